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
    /// For a [`JournalWriter::shared`] writer, the person's lock, held while it lives.
    lock: Option<shared::Lock>,
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
            lock: None,
            #[cfg(test)]
            fail_after: None,
        })
    }

    /// A writer for short-lived processes of one person on one machine (`crisisdesk log`):
    /// under an advisory lock, it continues the file the previous such process wrote (its
    /// chain goes on from that file's last record), so a script of many calls leaves one file.
    ///
    /// The lock (`journal/.<slug>.lock`, which names the file) is held until the writer is
    /// dropped, so two such processes never write one file at once. A new file is started,
    /// as [`JournalWriter::create`] does, when the lock cannot be had within a moment (a
    /// process holding it is stuck, or the file system has no locks), when the lock names no
    /// usable file (missing, another machine's, ending in an incomplete record, or its last
    /// record does not verify), and after a failed write. Consoles never continue a file.
    pub fn shared(journal_dir: impl AsRef<Path>, console_slug: &str) -> io::Result<Self> {
        let dir = journal_dir.as_ref();
        let slug = self::console_slug(console_slug);
        ensure_dir(dir)?;
        let Some(mut lock) = shared::Lock::acquire(dir, &slug) else {
            return Self::create_inner(dir, &slug, None);
        };
        let (file, console_id, path, seq, prev) = match lock.continued(dir, &slug) {
            Some(c) => c,
            None => {
                let (file, console_id, path) = open_segment(dir, &slug, None)?;
                lock.name(&console_id);
                (file, console_id, path, 0, ZERO_SUM)
            }
        };
        Ok(JournalWriter {
            dir: dir.to_owned(),
            slug,
            console_id,
            path,
            segment: Some(Segment { file, seq, prev }),
            lock: Some(lock),
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
            // The file is abandoned by every later process too, not only by this writer.
            if let Some(mut lock) = self.lock.take() {
                lock.name("");
            }
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

mod shared {
    //! The lock and the pointer behind [`super::JournalWriter::shared`].

    use std::fs::{File, OpenOptions};
    use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    use super::super::record::{self, MAX_LINE_BYTES, Sum};
    use super::ConsoleId;

    /// How long a process waits for another process of the same person to finish its append.
    /// An append takes milliseconds; much longer means a stuck process or a lock that never
    /// frees, and a new file is the safe answer.
    const WAIT: Duration = Duration::from_secs(2);

    /// An exclusive `flock` on `journal/.<slug>.lock`, released when dropped (or when the
    /// process ends, however it ends).
    #[derive(Debug)]
    pub(super) struct Lock {
        file: File,
    }

    /// What the lock file holds: the file the person's processes continue, and the machine
    /// that wrote it (a copy of the folder on another machine, or another machine with the same
    /// `user@host`, never continues this machine's file).
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Pointer {
        console: String,
        machine: String,
    }

    impl Lock {
        /// Takes the lock, waiting at most [`WAIT`]; `None` if it cannot be had.
        pub fn acquire(dir: &Path, slug: &str) -> Option<Lock> {
            #[cfg(unix)]
            {
                use rustix::fs::{FlockOperation, OFlags, flock};
                use std::os::unix::fs::OpenOptionsExt as _;
                let mut options = OpenOptions::new();
                options
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .mode(0o600)
                    .custom_flags(OFlags::NOFOLLOW.bits() as i32);
                let file = options.open(dir.join(format!(".{slug}.lock"))).ok()?;
                if !file.metadata().ok()?.is_file() {
                    return None;
                }
                let started = Instant::now();
                loop {
                    match flock(&file, FlockOperation::NonBlockingLockExclusive) {
                        Ok(()) => return Some(Lock { file }),
                        Err(rustix::io::Errno::WOULDBLOCK | rustix::io::Errno::INTR)
                            if started.elapsed() < WAIT =>
                        {
                            std::thread::sleep(Duration::from_millis(2));
                        }
                        // Held too long, or no locks on this file system.
                        Err(_) => return None,
                    }
                }
            }
            #[cfg(not(unix))]
            {
                let _ = (dir, slug);
                None
            }
        }

        /// The file the lock names, opened for appending, with the `seq` and `sum` of its last
        /// record, if it can be continued safely.
        pub fn continued(
            &mut self,
            dir: &Path,
            slug: &str,
        ) -> Option<(File, String, PathBuf, u64, Sum)> {
            let mut text = Vec::new();
            self.file.rewind().ok()?;
            (&self.file).take(4096).read_to_end(&mut text).ok()?;
            let pointer: Pointer = serde_json::from_slice(&text).ok()?;
            let id = ConsoleId::parse(&pointer.console);
            if id.person != slug || id.session.is_none() || pointer.machine != machine() {
                return None;
            }
            let path = dir.join(format!("{}.jsonl", pointer.console));
            let mut options = OpenOptions::new();
            options.read(true).append(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::custom_flags(
                &mut options,
                rustix::fs::OFlags::NOFOLLOW.bits() as i32,
            );
            let mut file = options.open(&path).ok()?;
            if !file.metadata().ok()?.is_file() {
                return None;
            }
            let (seq, prev) = last_record(&mut file)?;
            Some((file, pointer.console, path, seq, prev))
        }

        /// Names the file the next process continues (`""`: none). Best effort: a pointer that
        /// is not written, or half written, names no usable file, and the next process starts
        /// a new one.
        pub fn name(&mut self, console: &str) {
            let text = serde_json::to_vec(&Pointer {
                console: console.to_owned(),
                machine: machine(),
            })
            .expect("a pointer serializes");
            let _ = self
                .file
                .set_len(0)
                .and_then(|()| self.file.rewind())
                .and_then(|()| self.file.write_all(&text))
                .and_then(|()| self.file.sync_data());
        }
    }

    /// `seq` and `sum` of the file's last record (0 and zeros for an empty file), if the file
    /// ends with a complete record that verifies. A torn tail (a crash mid-append) is left as
    /// it is: appending after it would glue the new record to the torn bytes.
    fn last_record(file: &mut File) -> Option<(u64, Sum)> {
        let len = file.seek(SeekFrom::End(0)).ok()?;
        if len == 0 {
            return Some((0, record::ZERO_SUM));
        }
        // The last line is at most MAX_LINE_BYTES long; read backwards until its start.
        let mut tail: Vec<u8> = Vec::new();
        let mut start = len;
        let line_start = loop {
            let step = (start).min(64 * 1024);
            start -= step;
            let mut chunk = vec![0; step as usize];
            file.seek(SeekFrom::Start(start)).ok()?;
            file.read_exact(&mut chunk).ok()?;
            chunk.extend_from_slice(&tail);
            tail = chunk;
            if tail.last() != Some(&b'\n') {
                return None;
            }
            if let Some(nl) = tail[..tail.len() - 1].iter().rposition(|&b| b == b'\n') {
                break nl + 1;
            }
            if start == 0 {
                break 0;
            }
            if tail.len() > MAX_LINE_BYTES {
                return None;
            }
        };
        let line = &tail[line_start..tail.len() - 1];
        if line.ends_with(b"\r") {
            // Line endings converted by a tool: not a file to go on writing.
            return None;
        }
        let envelope = record::decode(line).ok()?;
        Some((envelope.seq, envelope.sum))
    }

    /// This machine's identity (`/etc/machine-id` where there is one), or `""`.
    fn machine() -> String {
        ["/etc/machine-id", "/var/lib/dbus/machine-id"]
            .iter()
            .find_map(|p| std::fs::read_to_string(p).ok())
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
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

    fn lock_text(dir: &Path) -> String {
        fs::read_to_string(dir.join(".a-b.lock")).unwrap()
    }

    #[test]
    fn shared_writers_continue_one_file_and_its_chain() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("journal");
        let mut path = None;
        for n in 1..=3 {
            let mut w = JournalWriter::shared(&dir, "a@b").unwrap();
            let receipt = w.append(&e(n, 1.0)).unwrap();
            assert_eq!(receipt.seq, n as u64, "the chain goes on");
            assert_eq!(*path.get_or_insert(w.path().to_owned()), w.path());
        }
        // A console's writer never continues it.
        let mut console = JournalWriter::create(&dir, "a@b").unwrap();
        assert_ne!(Some(console.path()), path.as_deref());
        assert_eq!(console.append(&e(9, 1.0)).unwrap().seq, 1);
        let journal = super::super::read_journal::<E>(&dir).unwrap();
        assert_eq!(journal.report.integrity, super::super::Integrity::Ok);
        assert_eq!(journal.entries.len(), 4);
    }

    #[test]
    fn a_held_lock_waits_and_a_pointer_from_elsewhere_is_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("journal");
        let mut first = JournalWriter::shared(&dir, "a@b").unwrap();
        first.append(&e(1, 1.0)).unwrap();
        let held = first.path().to_owned();
        // While the first writer lives, a second cannot have the lock: after waiting, it
        // writes a file of its own (and leaves the pointer alone).
        let mut second = JournalWriter::shared(&dir, "a@b").unwrap();
        assert_ne!(second.path(), held);
        second.append(&e(2, 1.0)).unwrap();
        drop((first, second));
        assert!(lock_text(&dir).contains(&console_of(&held)));

        // Another machine's pointer (a copied folder, the same user@host elsewhere).
        let other = lock_text(&dir).replace("\"machine\":\"", "\"machine\":\"elsewhere-");
        fs::write(dir.join(".a-b.lock"), other).unwrap();
        let w = JournalWriter::shared(&dir, "a@b").unwrap();
        assert_ne!(w.path(), held);
        let fresh = w.path().to_owned();
        drop(w);
        // A pointer to a link is not followed.
        fs::remove_file(&fresh).unwrap();
        std::os::unix::fs::symlink(&held, &fresh).unwrap();
        let mut w = JournalWriter::shared(&dir, "a@b").unwrap();
        assert_ne!(w.path(), fresh);
        assert_eq!(w.append(&e(3, 1.0)).unwrap().seq, 1);
    }

    #[test]
    fn a_failed_write_is_not_continued_by_the_next_process() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("journal");
        let mut w = JournalWriter::shared(&dir, "a@b").unwrap();
        w.append(&e(1, 1.0)).unwrap();
        let failed = w.path().to_owned();
        w.fail_next_append(0);
        assert!(w.append(&e(2, 1.0)).is_err());
        drop(w);
        let mut next = JournalWriter::shared(&dir, "a@b").unwrap();
        assert_ne!(next.path(), failed);
        assert_eq!(next.append(&e(2, 1.0)).unwrap().seq, 1);
    }

    fn console_of(path: &Path) -> String {
        path.file_stem().unwrap().to_string_lossy().into_owned()
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
