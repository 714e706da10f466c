//! The inbox: JSON items dropped into `INCIDENT/inbox/` by monitoring tools and colleagues
//! (a journalist's inquiry, a media mention, legal's approval…) become journal entries.
//!
//! Each item is claimed by an atomic rename (so two consoles never both take it), checked
//! with the same rules as `crisisdesk log`, appended with an id derived from its bytes (so a
//! crash between append and move cannot record it twice: the journal dedupes by id), then
//! moved to `inbox/done/`, or to `inbox/rejected/` with `NAME.error.txt` saying why.
//! Half-written files are left alone until they settle. File names are used only as one
//! plain path component; nothing outside the inbox is touched. See `docs/inbox-format.md`.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use jiff::Timestamp;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::incident::command::{Command, Context};
use crate::playbook::duration::Duration as PlaybookDuration;
use crate::store::IncidentDir;

/// A file is read only once it has not changed for this long.
pub const SETTLE: Duration = Duration::from_millis(800);
/// An item whose JSON is cut short is waited for this long before it is rejected.
pub const INCOMPLETE_GRACE: Duration = Duration::from_secs(30);
/// Inbox items are small; anything bigger is not one.
pub const MAX_ITEM_BYTES: u64 = 1024 * 1024;

/// One item, as dropped. Optional `at` (RFC 3339 or local time) and `author` on every kind.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Item {
    MediaInquiry {
        from: String,
        text: String,
        #[serde(default)]
        journalist: Option<String>,
        #[serde(default)]
        respond_within: Option<PlaybookDuration>,
        #[serde(default)]
        at: Option<String>,
        #[serde(default)]
        author: Option<String>,
    },
    MediaMention {
        source: String,
        text: String,
        #[serde(default)]
        url: Option<String>,
        #[serde(default)]
        sentiment: Option<String>,
        #[serde(default)]
        at: Option<String>,
        #[serde(default)]
        author: Option<String>,
    },
    StakeholderRequest {
        stakeholder: String,
        text: String,
        #[serde(default)]
        respond_within: Option<PlaybookDuration>,
        #[serde(default)]
        at: Option<String>,
        #[serde(default)]
        author: Option<String>,
    },
    Note {
        text: String,
        #[serde(default)]
        at: Option<String>,
        #[serde(default)]
        author: Option<String>,
    },
    Approval {
        message: String,
        role: String,
        decision: Decision,
        #[serde(default)]
        comment: Option<String>,
        #[serde(default)]
        at: Option<String>,
        #[serde(default)]
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

impl Item {
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
    /// Set when some files were still being written: look again after this long.
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
}

/// Whether a name in the inbox is an item to read (not hidden, not a temp file).
pub fn is_item_name(name: &str) -> bool {
    name.ends_with(".json") && !name.starts_with('.') && !name.starts_with('~') && name.len() > 5
}

/// Takes in every settled item in the incident's inbox.
pub fn process(dir: &mut IncidentDir, now: Timestamp) -> InboxReport {
    let inbox = dir.inbox_dir();
    let mut report = InboxReport::default();
    let Ok(read) = std::fs::read_dir(&inbox) else {
        return report;
    };
    let mut names: Vec<String> = read
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| is_item_name(n))
        .collect();
    names.sort();
    for name in names {
        let path = inbox.join(&name);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let age = meta
            .modified()
            .ok()
            .and_then(|m| SystemTime::now().duration_since(m).ok())
            .unwrap_or(Duration::ZERO);
        if age < SETTLE {
            report.retry_after = Some(SETTLE);
            continue;
        }
        match take(dir, &inbox, &name, &meta, age, now) {
            Taken::Ingested(id) => report.ingested.push((name, id)),
            Taken::Rejected(why) => report.rejected.push((name, why)),
            Taken::NotYet => report.retry_after = Some(SETTLE * 2),
            Taken::Gone => {}
        }
    }
    report
}

enum Taken {
    Ingested(Uuid),
    Rejected(String),
    /// Cut short and recent: probably still being written.
    NotYet,
    /// Another console took it first.
    Gone,
}

fn take(
    dir: &mut IncidentDir,
    inbox: &Path,
    name: &str,
    meta: &std::fs::Metadata,
    age: Duration,
    now: Timestamp,
) -> Taken {
    let path = inbox.join(name);
    if meta.len() > MAX_ITEM_BYTES {
        return reject(
            inbox,
            &path,
            name,
            format!(
                "the file is {} bytes; an inbox item is at most 1 MiB",
                meta.len()
            ),
        );
    }
    let Ok(bytes) = std::fs::read(&path) else {
        return Taken::Gone;
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}'),
        Err(_) => return reject(inbox, &path, name, "the file is not UTF-8 text".into()),
    };
    let item: Item = match serde_json::from_str(text) {
        Ok(i) => i,
        Err(e) if e.is_eof() && age < INCOMPLETE_GRACE => return Taken::NotYet,
        Err(e) => return reject(inbox, &path, name, format!("not a valid inbox item: {e}")),
    };
    // Claim it: of several consoles, only the one whose rename succeeds goes on.
    let claimed = inbox.join(format!(".claimed-{}", name));
    if std::fs::rename(&path, &claimed).is_err() {
        return Taken::Gone;
    }
    let snap = match dir.load() {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::rename(&claimed, &path);
            return reject_claimed(
                inbox,
                &claimed,
                name,
                format!("the incident could not be read: {e}"),
            );
        }
    };
    let (at_text, author) = item.at_author();
    let author = author
        .map(|a| crate::sanitize::line(a).into_owned())
        .unwrap_or_else(|| format!("inbox:{name}"));
    let at = match at_text {
        Some(t) => match crate::incident::time::parse_time(t, &snap.incident.calendar) {
            Ok(at) if at <= now => at,
            Ok(_) => {
                return reject_claimed(inbox, &claimed, name, "\"at\" is in the future".into());
            }
            Err(e) => return reject_claimed(inbox, &claimed, name, e.to_string()),
        },
        None => now,
    };
    let command = match item.into_command() {
        Ok(c) => c,
        Err(e) => return reject_claimed(inbox, &claimed, name, e),
    };
    let body = match Context::new(&snap.incident, &snap.events, now).check(command, Some(at)) {
        Ok(a) => a.body,
        Err(r) => return reject_claimed(inbox, &claimed, name, r.to_string()),
    };
    let id = content_id(name, &bytes);
    if snap.events.iter().any(|e| e.entry.id == id) {
        // Taken in before, by a console that stopped before moving it: only move it now.
        move_to(inbox, &claimed, "done", name);
        return Taken::Ingested(id);
    }
    if let Err(e) = dir.append_as(&author, id, at, now, body) {
        // Not saved: put it back for the next pass rather than lose it.
        let _ = std::fs::rename(&claimed, &path);
        return Taken::Rejected(format!("not saved, will retry: {e}"));
    }
    move_to(inbox, &claimed, "done", name);
    Taken::Ingested(id)
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

fn reject(inbox: &Path, path: &Path, name: &str, why: String) -> Taken {
    let claimed = inbox.join(format!(".claimed-{name}"));
    if std::fs::rename(path, &claimed).is_err() {
        return Taken::Gone;
    }
    reject_claimed(inbox, &claimed, name, why)
}

fn reject_claimed(inbox: &Path, claimed: &Path, name: &str, why: String) -> Taken {
    if let Some(dest) = move_to(inbox, claimed, "rejected", name) {
        let mut note = dest.clone().into_os_string();
        note.push(".error.txt");
        let text = format!(
            "{name} was not taken into the incident:\n{why}\n\nFix it and drop it into inbox/ again.\n"
        );
        let _ = std::fs::write(PathBuf::from(note), text);
    }
    Taken::Rejected(why)
}

/// Moves a claimed item into `inbox/<sub>/NAME` (a free name); returns where it went.
fn move_to(inbox: &Path, claimed: &Path, sub: &str, name: &str) -> Option<PathBuf> {
    let folder = inbox.join(sub);
    if !folder.is_dir() {
        let _ = crate::store::create_private_dir(&folder);
    }
    let stem = name.strip_suffix(".json").unwrap_or(name);
    let mut dest = folder.join(name);
    let mut n = 1;
    while dest.exists() {
        n += 1;
        dest = folder.join(format!("{stem}-{n}.json"));
    }
    std::fs::rename(claimed, &dest).ok().map(|_| dest)
}
