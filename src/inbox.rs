//! The inbox: JSON items dropped into `INCIDENT/inbox/` by monitoring tools and colleagues
//! (a journalist's inquiry, a media mention, legal's approval…) become journal entries.
//!
//! The inbox is a trust boundary: whoever can write the folder chooses the names, the kinds of
//! file and the bytes, and may swap any of them while a pass runs. So the folder is worked
//! through directory handles and file descriptors ([`folder`]), never through paths resolved
//! twice: each item is opened once (no-follow, non-blocking), the open file is checked (a
//! regular file with one name, at most [`MAX_ITEM_BYTES`]) and read from the descriptor.
//!
//! Life of an item: read and parsed; claimed by an atomic rename into `inbox/.claimed/` (so two
//! consoles never both take it) while its descriptor holds a lock (so a claim whose console
//! died is recognised and taken again); checked with the same rules as `crisisdesk log`;
//! appended with an id derived from its name and bytes (so taking it again after a crash can
//! never record it twice: the journal dedupes by id); moved to `inbox/done/`, or to
//! `inbox/rejected/` with `NAME.error.txt` saying why. Whatever cannot be done is reported
//! ([`InboxReport::problems`]), never skipped silently. See `docs/inbox-format.md` and
//! `docs/security.md`.

#[cfg(unix)]
mod folder;

use std::time::Duration;

use jiff::Timestamp;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::incident::command::{Command, Context};
use crate::incident::event::{Body, Event};
use crate::incident::state::Incident;
use crate::journal::Stored;
use crate::playbook::duration::Duration as PlaybookDuration;
use crate::store::{IncidentDir, Snapshot};

/// The incident as it stands, which each inbox item is checked against.
///
/// A pass run on its own ([`process`]) reads the incident from disk, once and again after
/// each item it records. An open console already holds the incident, kept up to date as
/// entries arrive: it checks items against that ([`process_with`]), so an item costs no
/// reading and folding of the whole journal.
pub trait Standing {
    /// Calls `f` with the incident as it stands and its entries, this pass's items included;
    /// `Err` (in words) when the incident cannot be read.
    fn with_state(
        &mut self,
        dir: &IncidentDir,
        f: &mut dyn FnMut(&Incident, &[Stored<Event>]),
    ) -> Result<(), String>;

    /// An item was just recorded in the journal: from now on the state must include it.
    fn recorded(&mut self);
}

/// The incident read from disk: loaded when first needed and again after each record.
#[derive(Default)]
pub struct FromDisk {
    snap: Option<Snapshot>,
}

impl Standing for FromDisk {
    fn with_state(
        &mut self,
        dir: &IncidentDir,
        f: &mut dyn FnMut(&Incident, &[Stored<Event>]),
    ) -> Result<(), String> {
        if self.snap.is_none() {
            self.snap = Some(dir.load().map_err(|e| e.to_string())?);
        }
        let snap = self.snap.as_ref().expect("loaded above");
        f(&snap.incident, &snap.events);
        Ok(())
    }

    fn recorded(&mut self) {
        self.snap = None;
    }
}

/// A file is read only once it has not changed for this long.
pub const SETTLE: Duration = Duration::from_millis(800);
/// An item whose JSON is cut short is waited for this long before it is rejected.
pub const INCOMPLETE_GRACE: Duration = Duration::from_secs(30);
/// Inbox items are small; anything bigger is not one.
pub const MAX_ITEM_BYTES: u64 = 1024 * 1024;
/// A claim still held by a running console after this long is reported as stuck.
pub const STUCK_AFTER: Duration = Duration::from_secs(60);
/// Where claimed items wait while they are taken in.
pub const CLAIMED_DIR: &str = ".claimed";
/// Items taken in.
pub const DONE_DIR: &str = "done";
/// Items refused, each with `NAME.error.txt` beside it.
pub const REJECTED_DIR: &str = "rejected";
/// What the note beside a refused item is called: the item's name plus this.
pub const ERROR_SUFFIX: &str = ".error.txt";

/// One item, as dropped. Optional `at` (RFC 3339 or local time) and `author` on every kind.
#[derive(Debug)]
pub enum Item {
    MediaInquiry {
        from: String,
        text: String,
        journalist: Option<String>,
        respond_within: Option<PlaybookDuration>,
        at: Option<String>,
        author: Option<String>,
    },
    MediaMention {
        source: String,
        text: String,
        url: Option<String>,
        sentiment: Option<String>,
        at: Option<String>,
        author: Option<String>,
    },
    StakeholderRequest {
        stakeholder: String,
        text: String,
        respond_within: Option<PlaybookDuration>,
        at: Option<String>,
        author: Option<String>,
    },
    Note {
        text: String,
        at: Option<String>,
        author: Option<String>,
    },
    Approval {
        message: String,
        role: String,
        decision: Decision,
        comment: Option<String>,
        at: Option<String>,
        author: Option<String>,
    },
}

/// What an approval item decides.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Object,
}

/// The kinds an item may have, as written in its `kind`.
pub const ITEM_KINDS: [&str; 5] = [
    "media_inquiry",
    "media_mention",
    "stakeholder_request",
    "note",
    "approval",
];

/// The JSON shape of each kind: a plain struct (its `kind` included), so that every error
/// serde_json gives (a wrong type, an unknown key) carries the line and column. An internally
/// tagged enum would buffer the object first and lose them.
mod shape {
    use serde::Deserialize;
    use serde::de::IgnoredAny;

    use super::{Decision, PlaybookDuration};

    #[derive(Deserialize)]
    pub struct Kind {
        pub kind: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct MediaInquiry {
        #[serde(rename = "kind")]
        _kind: IgnoredAny,
        pub from: String,
        pub text: String,
        #[serde(default)]
        pub journalist: Option<String>,
        #[serde(default)]
        pub respond_within: Option<PlaybookDuration>,
        #[serde(default)]
        pub at: Option<String>,
        #[serde(default)]
        pub author: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct MediaMention {
        #[serde(rename = "kind")]
        _kind: IgnoredAny,
        pub source: String,
        pub text: String,
        #[serde(default)]
        pub url: Option<String>,
        #[serde(default)]
        pub sentiment: Option<String>,
        #[serde(default)]
        pub at: Option<String>,
        #[serde(default)]
        pub author: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct StakeholderRequest {
        #[serde(rename = "kind")]
        _kind: IgnoredAny,
        pub stakeholder: String,
        pub text: String,
        #[serde(default)]
        pub respond_within: Option<PlaybookDuration>,
        #[serde(default)]
        pub at: Option<String>,
        #[serde(default)]
        pub author: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Note {
        #[serde(rename = "kind")]
        _kind: IgnoredAny,
        pub text: String,
        #[serde(default)]
        pub at: Option<String>,
        #[serde(default)]
        pub author: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Approval {
        #[serde(rename = "kind")]
        _kind: IgnoredAny,
        pub message: String,
        pub role: String,
        pub decision: Decision,
        #[serde(default)]
        pub comment: Option<String>,
        #[serde(default)]
        pub at: Option<String>,
        #[serde(default)]
        pub author: Option<String>,
    }
}

impl Item {
    /// Reads one item from its JSON text. `Ok(None)`: the text is cut short.
    fn from_json(text: &str) -> Result<Option<Item>, String> {
        let bad = |e: serde_json::Error| format!("not a valid inbox item: {e}");
        let kind = match serde_json::from_str::<shape::Kind>(text) {
            Ok(k) => k.kind,
            Err(e) if e.is_eof() => return Ok(None),
            Err(e) => return Err(bad(e)),
        };
        Ok(Some(match kind.as_str() {
            "media_inquiry" => {
                let x: shape::MediaInquiry = serde_json::from_str(text).map_err(bad)?;
                Item::MediaInquiry {
                    from: x.from,
                    text: x.text,
                    journalist: x.journalist,
                    respond_within: x.respond_within,
                    at: x.at,
                    author: x.author,
                }
            }
            "media_mention" => {
                let x: shape::MediaMention = serde_json::from_str(text).map_err(bad)?;
                Item::MediaMention {
                    source: x.source,
                    text: x.text,
                    url: x.url,
                    sentiment: x.sentiment,
                    at: x.at,
                    author: x.author,
                }
            }
            "stakeholder_request" => {
                let x: shape::StakeholderRequest = serde_json::from_str(text).map_err(bad)?;
                Item::StakeholderRequest {
                    stakeholder: x.stakeholder,
                    text: x.text,
                    respond_within: x.respond_within,
                    at: x.at,
                    author: x.author,
                }
            }
            "note" => {
                let x: shape::Note = serde_json::from_str(text).map_err(bad)?;
                Item::Note {
                    text: x.text,
                    at: x.at,
                    author: x.author,
                }
            }
            "approval" => {
                let x: shape::Approval = serde_json::from_str(text).map_err(bad)?;
                Item::Approval {
                    message: x.message,
                    role: x.role,
                    decision: x.decision,
                    comment: x.comment,
                    at: x.at,
                    author: x.author,
                }
            }
            other => {
                let hint = crate::playbook::suggest::did_you_mean(other, &ITEM_KINDS)
                    .map(|s| format!(" — did you mean \"{s}\"?"))
                    .unwrap_or_default();
                return Err(format!(
                    "not a valid inbox item: \"kind\": \"{other}\" is not a kind of item{hint} (kinds: {})",
                    ITEM_KINDS.join(", ")
                ));
            }
        }))
    }

    fn at_author(&self) -> (Option<&str>, Option<&str>) {
        match self {
            Item::MediaInquiry { at, author, .. }
            | Item::MediaMention { at, author, .. }
            | Item::StakeholderRequest { at, author, .. }
            | Item::Note { at, author, .. }
            | Item::Approval { at, author, .. } => (at.as_deref(), author.as_deref()),
        }
    }

    fn into_command(self) -> Result<Command, String> {
        Ok(match self {
            Item::MediaInquiry {
                from,
                text,
                journalist,
                respond_within,
                ..
            } => Command::Inquiry {
                from,
                journalist,
                within: respond_within,
                question: text,
            },
            Item::MediaMention {
                source,
                text,
                url,
                sentiment,
                ..
            } => Command::Mention {
                source,
                url,
                sentiment,
                text,
            },
            Item::StakeholderRequest {
                stakeholder,
                text,
                respond_within,
                ..
            } => Command::Request {
                stakeholder,
                within: respond_within,
                text,
            },
            Item::Note { text, .. } => Command::Note { text },
            Item::Approval {
                message,
                role,
                decision: Decision::Approve,
                comment,
                ..
            } => Command::Approve {
                message,
                role,
                comment,
            },
            Item::Approval {
                message,
                role,
                decision: Decision::Object,
                comment,
                ..
            } => Command::Object {
                message,
                role,
                comment: comment.ok_or("an objection needs a \"comment\" saying why")?,
            },
        })
    }
}

/// What one pass over the inbox did.
#[derive(Debug, Default)]
pub struct InboxReport {
    /// Item file names taken in, with the entry each became.
    pub ingested: Vec<(String, Uuid)>,
    /// Item file names refused, with the reason (also written beside them).
    pub rejected: Vec<(String, String)>,
    /// What kept items from being taken in or moved (a read-only or symlinked folder, a
    /// journal that could not be written, an item stuck with another console), in words:
    /// the items concerned stay where they are and are tried again.
    pub problems: Vec<String>,
    /// Set when some files were still being written or must be tried again: look again after
    /// this long.
    pub retry_after: Option<Duration>,
}

impl InboxReport {
    /// One line per item for the console's notice line.
    pub fn notices(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .ingested
            .iter()
            .map(|(n, _)| format!("inbox: took in {n}"))
            .collect();
        out.extend(
            self.rejected
                .iter()
                .map(|(n, why)| format!("inbox: REJECTED {n} — {why} (see inbox/rejected/)")),
        );
        out
    }

    /// The problems in one line, for the console's warning line.
    pub fn warning(&self) -> Option<String> {
        match self.problems.as_slice() {
            [] => None,
            [one] => Some(format!("inbox: {one}")),
            [first, rest @ ..] => Some(format!("inbox: {first} (and {} more)", rest.len())),
        }
    }

    fn retry(&mut self, after: Duration) {
        self.retry_after = Some(self.retry_after.map_or(after, |r| r.min(after)));
    }
}

/// Whether a name in the inbox is an item to read (not hidden, not a temp file).
pub fn is_item_name(name: &str) -> bool {
    name.ends_with(".json") && !name.starts_with('.') && !name.starts_with('~') && name.len() > 5
}

/// A moment in an item's life, for [`process_observed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Found in the listing, about to be opened.
    Listed,
    /// Read from its descriptor, not yet claimed.
    Read,
    /// Claimed (moved into `inbox/.claimed/`), not yet recorded.
    Claimed,
    /// Recorded in the journal, not yet moved.
    Recorded,
    /// Moved to `done/` or `rejected/`.
    Moved,
}

/// Takes in every settled item in the incident's inbox, checked against the incident as
/// read from disk.
pub fn process(dir: &mut IncidentDir, now: Timestamp) -> InboxReport {
    process_observed(dir, now, &mut |_, _| {})
}

/// [`process`], checking items against `state` (an open console's, kept in memory).
pub fn process_with(
    dir: &mut IncidentDir,
    now: Timestamp,
    state: &mut dyn Standing,
) -> InboxReport {
    process_in(dir, now, state, &mut |_, _| {})
}

/// [`process`], calling `observe` at each step of each item's life (with the item's name), so
/// tests can interfere at exactly that moment.
pub fn process_observed(
    dir: &mut IncidentDir,
    now: Timestamp,
    observe: &mut dyn FnMut(Step, &str),
) -> InboxReport {
    process_in(dir, now, &mut FromDisk::default(), observe)
}

fn process_in(
    dir: &mut IncidentDir,
    now: Timestamp,
    state: &mut dyn Standing,
    observe: &mut dyn FnMut(Step, &str),
) -> InboxReport {
    #[cfg(unix)]
    {
        folder::process(dir, now, state, observe)
    }
    #[cfg(not(unix))]
    {
        let _ = (dir, now, state, observe);
        InboxReport {
            problems: vec!["the inbox is supported on Unix systems only".into()],
            ..InboxReport::default()
        }
    }
}

/// What an item becomes: who it is from, when it happened, and the entry.
struct Prepared {
    author: String,
    at: Timestamp,
    body: Body,
}

/// Checks an item against the incident as it stands (the rules of `crisisdesk log`); the
/// refusal in words.
fn prepare(
    item: Item,
    name: &str,
    incident: &Incident,
    events: &[Stored<Event>],
    now: Timestamp,
) -> Result<Prepared, String> {
    let (at_text, author) = item.at_author();
    let author = author
        .map(|a| crate::sanitize::line(a).into_owned())
        .unwrap_or_else(|| format!("inbox:{}", crate::sanitize::line(name)));
    // In an exercise, entries are dated in scenario time; `now` stays the real time recorded.
    let incident_now = incident.now(now);
    let at = match at_text {
        Some(t) => match crate::incident::time::parse_time(t, &incident.calendar) {
            Ok(at) if at <= incident_now => at,
            Ok(_) => return Err("\"at\" is in the future".into()),
            Err(e) => return Err(e.to_string()),
        },
        None => incident_now,
    };
    let command = item.into_command()?;
    let accepted = Context::new(incident, events, now)
        .check(command, Some(at))
        .map_err(|r| r.to_string())?;
    Ok(Prepared {
        author,
        at: accepted.at,
        body: accepted.body,
    })
}

/// Reads an item's bytes; `Ok(None)` when its JSON is cut short (perhaps still being written).
/// A refusal says what is wrong and where (serde_json's line and column, or the `kind`).
pub fn parse(bytes: &[u8]) -> Result<Option<Item>, String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}'),
        Err(e) => {
            return Err(format!(
                "the file is not UTF-8 text (byte {} is not)",
                e.valid_up_to() + 1
            ));
        }
    };
    Item::from_json(text)
}

/// An id from the item's name and bytes: the same drop always becomes the same entry.
fn content_id(name: &str, bytes: &[u8]) -> Uuid {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([0]);
    h.update(bytes);
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    Uuid::new_v8(b)
}

/// The text of `NAME.error.txt`: one line each for the name and the reason, whatever they
/// contain (they come from the item's author), ending in a newline.
fn error_note(name: &str, why: &str) -> String {
    format!(
        "{} was not taken into the incident:\n{}\n\nFix it and drop it into inbox/ again.\n",
        crate::sanitize::line(name),
        crate::sanitize::line(why)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_notes_are_one_line_per_field_and_end_in_a_newline() {
        let note = error_note("a\nb.json", "unknown field `\necho INJECTED\n`\u{1b}[2J");
        assert_eq!(
            note,
            "a b.json was not taken into the incident:\nunknown field ` echo INJECTED `[2J\n\nFix it and drop it into inbox/ again.\n"
        );
        assert!(!note.lines().any(|l| l == "echo INJECTED"));
    }

    #[test]
    fn ids_depend_on_name_and_bytes() {
        assert_eq!(content_id("a.json", b"x"), content_id("a.json", b"x"));
        assert_ne!(content_id("a.json", b"x"), content_id("b.json", b"x"));
        assert_ne!(content_id("a.json", b"x"), content_id("a.json", b"y"));
    }
}
