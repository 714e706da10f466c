//! The writer: one process, one file, durable appends.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use uuid::Uuid;

use super::record::{self, MAX_LINE_BYTES, Sum, ZERO_SUM};
use super::{Entry, JournalError};

/// Console slug from `user@host`: lowercased, every character outside `[a-z0-9-]` mapped to
/// `-`, at most 32 characters; `console` if that leaves nothing. Idempotent.
///
/// The restricted alphabet keeps file names portable and lets a reader strip any suffix a sync
/// tool appends to a conflict copy (see [`super::console_of_file_name`]).
pub fn console_slug(user_at_host: &str) -> String {
    let slug: String = user_at_host
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '-' => c,
            _ => '-',
        })
        .take(32)
        .collect();
    if slug.is_empty() {
        "console".to_owned()
    } else {
        slug
    }
}

/// A console id, `<person>-<session>`: the person is [`console_slug`] of `user@host`, the
/// session 32 hex digits (a uuid v7) new for each process. The one place the format is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConsoleId<'a> {
    /// `anna-laptop`: who and on which machine.
    pub person: &'a str,
    /// The process's session, when the id has one.
    pub session: Option<&'a str>,
}

impl<'a> ConsoleId<'a> {
    /// Reads a console id; an id not in the format is all person.
    pub fn parse(id: &'a str) -> Self {
        match id.rsplit_once('-') {
            Some((person, session))
                if session.len() == 32 && session.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                ConsoleId {
                    person,
                    session: Some(session),
                }
            }
            _ => ConsoleId {
                person: id,
                session: None,
            },
        }
    }

    /// The user part of the person (`anna` of `anna-laptop`), for tight spaces.
    pub fn user(&self) -> &'a str {
        self.person.split('-').next().unwrap_or(self.person)
    }
}

/// What [`JournalWriter::append`] guarantees was made durable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendReceipt {
    /// Console id (file stem) of the file the record went to.
    pub console: String,
    /// The record's `seq` in that file.
    pub seq: u64,
    /// The record's `sum`, lowercase hex: the value the next record links to.
    pub sum: String,
}

/// Appends entries to this process's own journal file.
///
/// No buffering: each record is one `write_all` followed by `sync_data`. After a failed write
/// or sync the file is abandoned (its state is unknown, and retrying an fsync after a failure
/// can report success for lost data), and the next append starts a new file.
#[derive(Debug)]
pub struct JournalWriter {
    dir: PathBuf,
    slug: String,
    console_id: String,
    path: PathBuf,
    /// `None` after a failure: the next append opens a new segment.
    segment: Option<Segment>,
    #[cfg(test)]
    fail_after: Option<usize>,
}

#[derive(Debug)]
struct Segment {
    file: File,
    seq: u64,
    prev: Sum,
}

impl JournalWriter {
    /// Creates a new file `journal_dir/<slug>-<session>.jsonl` for this process, with a fresh
    /// uuid v7 session. Creates `journal_dir` (mode 0700) if it is missing.
    pub fn create(journal_dir: impl AsRef<Path>, console_slug: &str) -> io::Result<Self> {
        Self::create_inner(journal_dir.as_ref(), console_slug, None)
    }

    /// Like [`JournalWriter::create`] with a given session id, for reproducible file names in
    /// tests. Fails if that file already exists.
    pub fn create_with_session(
        journal_dir: impl AsRef<Path>,
        console_slug: &str,
        session: Uuid,
    ) -> io::Result<Self> {
        Self::create_inner(journal_dir.as_ref(), console_slug, Some(session))
    }

    fn create_inner(dir: &Path, slug: &str, session: Option<Uuid>) -> io::Result<Self> {
        let slug = self::console_slug(slug);
        let (file, console_id, path) = open_segment(dir, &slug, session)?;
        Ok(JournalWriter {
            dir: dir.to_owned(),
            slug,
            console_id,
            path,
            segment: Some(Segment {
                file,
                seq: 0,
                prev: ZERO_SUM,
            }),
            #[cfg(test)]
            fail_after: None,
        })
    }

    /// Console id of the current file: its name without `.jsonl`. Changes after a failure.
    pub fn console_id(&self) -> &str {
        &self.console_id
    }

    /// Path of the current file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one entry and returns once it is on stable storage.
    ///
    /// Before writing, the record is checked to read back as this entry, so nothing is saved
    /// that a reader could not recover. On an I/O error the entry may or may not have reached
    /// the abandoned file; the caller keeps it and may append it again (readers dedupe by id).
    pub fn append<T: Entry>(&mut self, entry: &T) -> Result<AppendReceipt, JournalError> {
        if self.segment.is_none() {
            let (file, console_id, path) = open_segment(&self.dir, &self.slug, None)
                .map_err(|e| JournalError::io(&self.dir, e))?;
            self.console_id = console_id;
            self.path = path;
            self.segment = Some(Segment {
                file,
                seq: 0,
                prev: ZERO_SUM,
            });
        }
        let segment = self.segment.as_mut().expect("opened above");
        let seq = segment.seq + 1;
        let (line, sum) =
            record::encode(seq, &segment.prev, entry).map_err(JournalError::Serialize)?;
        if line.len() > MAX_LINE_BYTES {
            return Err(JournalError::TooLarge {
                bytes: line.len(),
                max: MAX_LINE_BYTES,
            });
        }
        check_reads_back(&line, entry)?;

        #[cfg(test)]
        let written = match self.fail_after.take() {
            Some(n) => segment
                .file
                .write_all(&line[..n.min(line.len())])
                .and(Err(io::Error::other("injected failure"))),
            None => segment.file.write_all(&line),
        };
        #[cfg(not(test))]
        let written = crate::fault::io_error(crate::fault::Point::JournalWrite)
            .and_then(|()| segment.file.write_all(&line));

        let synced = written.and_then(|()| {
            crate::fault::io_error(crate::fault::Point::JournalSync)?;
            segment.file.sync_data()
        });
        if let Err(e) = synced {
            self.segment = None;
            return Err(JournalError::io(&self.path, e));
        }
        segment.seq = seq;
        segment.prev = sum;
        Ok(AppendReceipt {
            console: self.console_id.clone(),
            seq,
            sum: record::hex(&sum),
        })
    }

    /// Makes the next append write only `bytes` bytes of its line and then fail.
    #[cfg(test)]
    pub(crate) fn fail_next_append(&mut self, bytes: usize) {
        self.fail_after = Some(bytes);
    }
}

fn check_reads_back<T: Entry>(line: &[u8], entry: &T) -> Result<(), JournalError> {
    let body = &line[..line.len() - 1];
    if body.contains(&b'\n') {
        return Err(JournalError::NotReadable(
            "raw newline in the entry's JSON".into(),
        ));
    }
    let envelope = record::decode(body).map_err(|e| JournalError::NotReadable(e.to_string()))?;
    let back: T = serde_json::from_slice(envelope.entry)
        .map_err(|e| JournalError::NotReadable(e.to_string()))?;
    if back.id() != entry.id() || back.at() != entry.at() {
        return Err(JournalError::NotReadable(
            "id or time changes on reading back".into(),
        ));
    }
    Ok(())
}

/// Creates the next file for `slug`. A random session that happens to exist is retried.
fn open_segment(
    dir: &Path,
    slug: &str,
    session: Option<Uuid>,
) -> io::Result<(File, String, PathBuf)> {
    ensure_dir(dir)?;
    let mut attempts = 0;
    loop {
        let console_id = format!("{slug}-{}", session.unwrap_or_else(Uuid::now_v7).simple());
        let path = dir.join(format!("{console_id}.jsonl"));
        let mut options = OpenOptions::new();
        options.append(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(file) => {
                sync_dir(dir)?;
                return Ok((file, console_id, path));
            }
            Err(e)
                if e.kind() == io::ErrorKind::AlreadyExists
                    && session.is_none()
                    && attempts < 3 =>
            {
                attempts += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Creates the folder (and missing parents) with mode 0700 and makes the new directory entries
/// durable. An existing folder's mode is left as its owner set it.
fn ensure_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut missing = Vec::new();
    let mut cur = dir;
    while !cur.as_os_str().is_empty() && !cur.exists() {
        missing.push(cur);
        match cur.parent() {
            Some(parent) => cur = parent,
            None => break,
        }
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    for created in missing {
        if let Some(parent) = created.parent() {
            sync_dir(if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            })?;
        }
    }
    Ok(())
}

/// fsyncs a directory so that entries created in it survive a crash.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod console_id_tests {
    use super::ConsoleId;

    #[test]
    fn console_ids_split_into_person_and_session() {
        let id = ConsoleId::parse("anna-laptop-01a21b208d767316b411e0084eabc561");
        assert_eq!(id.person, "anna-laptop");
        assert_eq!(id.session, Some("01a21b208d767316b411e0084eabc561"));
        assert_eq!(id.user(), "anna");
        let odd = ConsoleId::parse("imported-file");
        assert_eq!((odd.person, odd.session), ("imported-file", None));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, serde::Serialize, serde::Deserialize)]
    struct E {
        id: Uuid,
        at: jiff::Timestamp,
        f: f64,
    }
    impl Entry for E {
        fn id(&self) -> Uuid {
            self.id
        }
        fn at(&self) -> jiff::Timestamp {
            self.at
        }
    }

    fn e(n: u128, f: f64) -> E {
        E {
            id: Uuid::from_u128(n),
            at: jiff::Timestamp::from_second(1_800_000_000).unwrap(),
            f,
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(console_slug("Alice.Smith@Laptop"), "alice-smith-laptop");
        assert_eq!(console_slug("élodie@pc"), "-lodie-pc");
        assert_eq!(console_slug(""), "console");
        assert_eq!(console_slug(&"x".repeat(40)).len(), 32);
        let s = console_slug("Bob@Host-1");
        assert_eq!(console_slug(&s), s);
    }

    #[test]
    fn failed_write_moves_to_a_new_segment() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("journal");
        let mut w = JournalWriter::create(&dir, "a@b").unwrap();
        let first = w.path().to_owned();
        assert_eq!(w.append(&e(1, 1.0)).unwrap().seq, 1);
        w.fail_next_append(10);
        assert!(matches!(w.append(&e(2, 2.0)), Err(JournalError::Io { .. })));
        assert_eq!(w.path(), first, "the id stays until a new segment exists");
        let receipt = w.append(&e(2, 2.0)).unwrap();
        assert_ne!(w.path(), first);
        assert_eq!(receipt.seq, 1);
        assert_eq!(receipt.console, w.console_id());

        let journal = super::super::read_journal::<E>(&dir).unwrap();
        let ids: Vec<u128> = journal
            .entries
            .iter()
            .map(|s| s.entry.id.as_u128())
            .collect();
        assert_eq!(ids.len(), 2);
        assert!(ids.contains(&1) && ids.contains(&2));
        let old = journal
            .report
            .files
            .iter()
            .find(|f| f.console != receipt.console)
            .unwrap();
        assert_eq!(old.records, 1);
        assert_eq!(old.torn_tail.unwrap().bytes, 10);
    }

    #[test]
    fn unreadable_entries_are_refused_before_writing() {
        let tmp = tempfile::tempdir().unwrap();
        let mut w = JournalWriter::create(tmp.path(), "a@b").unwrap();
        // serde_json writes NaN as null, which would not read back as f64.
        assert!(matches!(
            w.append(&e(1, f64::NAN)),
            Err(JournalError::NotReadable(_))
        ));
        assert_eq!(fs::metadata(w.path()).unwrap().len(), 0);
        assert_eq!(w.append(&e(1, 0.5)).unwrap().seq, 1);
    }
}
