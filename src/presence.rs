//! Who has the incident open: one small file per running console in `INCIDENT/presence/`.
//!
//! Presence is not history, so it stays out of the journal (nothing is appended every few
//! seconds) and in plain files a sync tool carries like any other: each open console rewrites
//! `presence/<console-id>` every [`HEARTBEAT`] with who it is (person and machine) and the time
//! on its clock, and removes it when it closes the incident. A console that stopped without
//! removing its file (a crash, a closed laptop) is not shown once its file is older than
//! [`STALE_AFTER`]; readers never delete other consoles' files.
//!
//! The folder is a trust boundary like the inbox: a file is opened no-follow and non-blocking,
//! read only if it is a regular file of at most [`MAX_BYTES`], must name the console its file
//! name gives, and its text is sanitised before it can reach a screen. Anything else is
//! ignored (presence is a courtesy, not a record). See docs/journal-format.md.

use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::journal::ConsoleId;

/// The folder inside an incident folder.
pub const DIR: &str = "presence";
/// How often an open console rewrites its file.
pub const HEARTBEAT: Duration = Duration::from_secs(15);
/// How often a console reads the folder (so one that stopped fades out within a minute).
pub const READ_EVERY: Duration = Duration::from_secs(5);
/// A file older than this (three missed heartbeats) is a console that stopped. A time this
/// far in the future is not believed either.
pub const STALE_AFTER: SignedDuration = SignedDuration::from_secs(45);
/// A presence file is one short line; anything bigger is not one.
pub const MAX_BYTES: u64 = 1024;
/// The most of a name shown.
const MAX_NAME_CHARS: usize = 64;

/// What a presence file holds (one line of JSON).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    /// The console id, as in the file name.
    console: String,
    /// `user@host`: the person and the machine.
    author: String,
    /// When the console last said it is open, on its clock.
    at: Timestamp,
}

/// A console that has the incident open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Console {
    /// Its console id (`<person>-<session>`), the file's name.
    pub id: String,
    /// `user@host`, sanitised for a screen.
    pub author: String,
    /// Its latest heartbeat.
    pub seen: Timestamp,
}

impl Console {
    /// Whether its latest heartbeat is recent at `now` (neither stale nor from the future).
    pub fn is_live(&self, now: Timestamp) -> bool {
        let age = now.duration_since(self.seen);
        age <= STALE_AFTER && age >= -STALE_AFTER
    }

    /// The session part of the id, short: tells two consoles of one person apart.
    pub fn tag(&self) -> &str {
        session_tag(&self.id)
    }
}

/// The last four hex digits of a console id's session (random in a uuid v7, unlike its
/// first digits, which are the time it started); the whole id when it has no session.
pub fn session_tag(console_id: &str) -> &str {
    match ConsoleId::parse(console_id).session {
        Some(s) => &s[s.len() - 4..],
        None => console_id,
    }
}

/// The presence folder of an incident folder.
pub fn dir(incident: &Path) -> PathBuf {
    incident.join(DIR)
}

/// Writes (or rewrites) this console's file: who it is and `now`. The folder is created
/// (mode 0700) if missing; the file is replaced in one rename, so a reader never sees half.
pub fn touch(incident: &Path, console_id: &str, author: &str, now: Timestamp) -> io::Result<()> {
    if !is_console_id(console_id) {
        return Err(io::Error::other(format!(
            "not a console id: {console_id:?}"
        )));
    }
    let folder = dir(incident);
    if !folder.is_dir() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&folder)?;
    }
    let record = Record {
        console: console_id.to_owned(),
        author: author.to_owned(),
        at: now,
    };
    let mut line = serde_json::to_vec(&record).map_err(io::Error::other)?;
    line.push(b'\n');
    // A dot file: readers skip it until it is renamed into place. Not synced: losing a
    // heartbeat to a crash loses nothing.
    let tmp = folder.join(format!(".{console_id}.tmp"));
    let written = (|| {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::custom_flags(
            &mut o,
            rustix::fs::OFlags::NOFOLLOW.bits() as i32,
        );
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        o.open(&tmp)?.write_all(&line)?;
        std::fs::rename(&tmp, folder.join(console_id))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Removes this console's file (it closed the incident). A file already gone is fine.
pub fn remove(incident: &Path, console_id: &str) -> io::Result<()> {
    if !is_console_id(console_id) {
        return Ok(());
    }
    match std::fs::remove_file(dir(incident).join(console_id)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The consoles live at `now`, by person then id. Files that are not presence files, or not
/// readable, are skipped: presence never stops a console from working.
pub fn read(incident: &Path, now: Timestamp) -> Vec<Console> {
    let Ok(list) = std::fs::read_dir(dir(incident)) else {
        return Vec::new();
    };
    let mut out: Vec<Console> = list
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            if !is_console_id(&name) {
                return None;
            }
            read_one(&e.path(), &name)
        })
        .filter(|c| c.is_live(now))
        .collect();
    out.sort_by(|a, b| a.author.cmp(&b.author).then(a.id.cmp(&b.id)));
    out
}

fn read_one(path: &Path, name: &str) -> Option<Console> {
    let (file, meta) = crate::journal::open_regular(path).ok()??;
    if meta.len() > MAX_BYTES {
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_BYTES + 1).read_to_end(&mut bytes).ok()?;
    if bytes.len() as u64 > MAX_BYTES {
        return None;
    }
    let record: Record = serde_json::from_slice(&bytes).ok()?;
    if record.console != name {
        return None;
    }
    let author: String = crate::sanitize::line(record.author.trim())
        .chars()
        .take(MAX_NAME_CHARS)
        .collect();
    Some(Console {
        id: record.console,
        author: if author.is_empty() {
            ConsoleId::parse(name).person.to_owned()
        } else {
            author
        },
        seen: record.at,
    })
}

/// A name a console id can have: `<slug>-<32 hex>`, the slug in `[a-z0-9-]`, at most 32.
fn is_console_id(name: &str) -> bool {
    let id = ConsoleId::parse(name);
    id.session.is_some()
        && !id.person.is_empty()
        && id.person.len() <= 32
        && id
            .person
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// How to name the console `id` of `author` on a screen: `anna@laptop`, or, when that person
/// has more than one console among `others` (live consoles, or those named in the journal),
/// `anna@laptop #c561` so two consoles of one person are told apart.
pub fn label<'a>(
    author: &str,
    id: &str,
    others: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let author = crate::sanitize::line(author);
    let twin = others
        .into_iter()
        .any(|(a, other)| a == author.as_ref() && other != id);
    if twin {
        format!("{author} #{}", session_tag(id))
    } else {
        author.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANNA_1: &str = "anna-laptop-019ad0a2c5f47d1e8b3a6f0e2d4c0001";
    const ANNA_2: &str = "anna-laptop-019ad0a2c5f47d1e8b3a6f0e2d4c0002";
    const BOB: &str = "bob-desk-019ad0a2c5f47d1e8b3a6f0e2d4c0b0b";

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn two_consoles_of_one_person_are_two_and_a_stopped_one_fades_within_a_minute() {
        let tmp = tempfile::tempdir().unwrap();
        let inc = tmp.path();
        let t0 = t("2026-12-02T10:00:00Z");
        touch(inc, ANNA_1, "anna@laptop", t0).unwrap();
        touch(inc, ANNA_2, "anna@laptop", t0).unwrap();
        touch(inc, BOB, "bob@desk", t0).unwrap();
        let live = read(inc, t0);
        let ids: Vec<&str> = live.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, [ANNA_1, ANNA_2, BOB]);
        // Anna's first console keeps beating; the second stopped at t0.
        let later = t0 + SignedDuration::from_secs(30);
        touch(inc, ANNA_1, "anna@laptop", later).unwrap();
        touch(inc, BOB, "bob@desk", later).unwrap();
        assert_eq!(
            read(inc, later).len(),
            3,
            "30 s without a heartbeat is quiet, not gone"
        );
        let gone = t0 + SignedDuration::from_secs(46);
        let ids: Vec<String> = read(inc, gone).into_iter().map(|c| c.id).collect();
        assert_eq!(ids, [ANNA_1, BOB]);
        // Its file stays (readers never delete others' files) but is not shown.
        assert!(dir(inc).join(ANNA_2).exists());
    }

    #[test]
    fn a_console_that_closes_removes_its_file() {
        let tmp = tempfile::tempdir().unwrap();
        let t0 = t("2026-12-02T10:00:00Z");
        touch(tmp.path(), BOB, "bob@desk", t0).unwrap();
        remove(tmp.path(), BOB).unwrap();
        assert!(read(tmp.path(), t0).is_empty());
        remove(tmp.path(), BOB).unwrap();
        assert!(!dir(tmp.path()).join(format!(".{BOB}.tmp")).exists());
    }

    #[test]
    fn a_time_from_the_future_is_not_believed() {
        let tmp = tempfile::tempdir().unwrap();
        let t0 = t("2026-12-02T10:00:00Z");
        touch(
            tmp.path(),
            BOB,
            "bob@desk",
            t0 + SignedDuration::from_hours(2),
        )
        .unwrap();
        assert!(read(tmp.path(), t0).is_empty());
        touch(
            tmp.path(),
            BOB,
            "bob@desk",
            t0 + SignedDuration::from_secs(20),
        )
        .unwrap();
        assert_eq!(
            read(tmp.path(), t0).len(),
            1,
            "a clock a little ahead is fine"
        );
    }

    #[test]
    fn files_that_are_not_presence_files_are_ignored_and_names_are_sanitised() {
        let tmp = tempfile::tempdir().unwrap();
        let inc = tmp.path();
        let t0 = t("2026-12-02T10:00:00Z");
        let folder = dir(inc);
        std::fs::create_dir_all(&folder).unwrap();
        let line = |console: &str, author: &str| {
            format!(r#"{{"console":"{console}","author":"{author}","at":"2026-12-02T10:00:00Z"}}"#)
        };
        // The file name and the console it names disagree.
        std::fs::write(folder.join(ANNA_1), line(BOB, "bob@desk")).unwrap();
        // Not a console id.
        std::fs::write(folder.join("notes.txt"), line("notes.txt", "x")).unwrap();
        // Too big.
        let big = line(ANNA_2, &"a".repeat(MAX_BYTES as usize));
        std::fs::write(folder.join(ANNA_2), big).unwrap();
        // Not JSON.
        let other = "carl-pc-019ad0a2c5f47d1e8b3a6f0e2d4c0ca1";
        std::fs::write(folder.join(other), "hello").unwrap();
        // Control sequences in the name.
        std::fs::write(folder.join(BOB), line(BOB, r"bob\u001b[2J@desk")).unwrap();
        // A symbolic link is never followed.
        #[cfg(unix)]
        {
            let target = inc.join("elsewhere");
            std::fs::write(
                &target,
                line("eve-x-019ad0a2c5f47d1e8b3a6f0e2d4c0eee", "eve@x"),
            )
            .unwrap();
            std::os::unix::fs::symlink(
                &target,
                folder.join("eve-x-019ad0a2c5f47d1e8b3a6f0e2d4c0eee"),
            )
            .unwrap();
        }
        let live = read(inc, t0);
        assert_eq!(live.len(), 1, "{live:?}");
        assert_eq!(live[0].id, BOB);
        assert!(!live[0].author.contains('\u{1b}'), "{:?}", live[0].author);
    }

    #[test]
    fn a_console_id_that_is_not_one_is_not_written() {
        let tmp = tempfile::tempdir().unwrap();
        let t0 = t("2026-12-02T10:00:00Z");
        assert!(touch(tmp.path(), "../escape", "x", t0).is_err());
        assert!(!dir(tmp.path()).exists());
    }

    #[test]
    fn labels_tell_two_consoles_of_one_person_apart() {
        let all = [
            ("anna@laptop", ANNA_1),
            ("anna@laptop", ANNA_2),
            ("bob@desk", BOB),
        ];
        assert_eq!(label("anna@laptop", ANNA_1, all), "anna@laptop #0001");
        assert_eq!(label("anna@laptop", ANNA_2, all), "anna@laptop #0002");
        assert_eq!(label("bob@desk", BOB, all), "bob@desk");
        assert_eq!(
            label("anna@laptop", ANNA_1, [("anna@laptop", ANNA_1)]),
            "anna@laptop"
        );
    }
}
