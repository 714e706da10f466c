//! Incremental reading, for live updates: a cursor per file and a tail over the folder.
//!
//! Driven from outside (a directory watcher plus a 1–2 s poll, since network drives deliver no
//! events); nothing here blocks or spawns. A cursor that cannot be sure its file is the one it
//! read (replaced, truncated, rewritten in place) reads it again from the start: re-read
//! entries are dropped by the id dedupe, so restarting is always safe.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read as _, Seek as _, SeekFrom};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use super::merge::{self, IdMap, Key};
use super::reader::{self, BLOCK, FileState, Identity, Journal, Record, Splitter};
use super::report::{DuplicateConflict, FileReport, JournalReport};
use super::{Entry, JournalError, Name, Stored};

/// Reads one journal file incrementally: each [`FileCursor::poll`] returns the records
/// completed since the previous one.
///
/// It keeps the file's identity (device and inode), the offset read up to, the incomplete last
/// line and the chain state, so new lines are verified exactly as a full read would. It starts
/// again from offset 0 when the file was replaced (new inode), shrank, or no longer holds the
/// bytes it last read just before the offset (rewritten in place).
#[derive(Debug, Clone)]
pub struct FileCursor {
    path: PathBuf,
    state: FileState,
    identity: Option<Identity>,
}

/// What one [`FileCursor::poll`] read.
#[derive(Debug, Clone)]
pub struct CursorPoll<T> {
    /// The file was read again from the start: `records` may repeat earlier ones.
    pub restarted: bool,
    /// Verified records completed since the last poll, in file order.
    pub records: Vec<Stored<T>>,
}

impl FileCursor {
    /// A cursor at the start of the file at `path` (which need not exist yet).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        FileCursor {
            state: FileState::new(&name),
            path,
            identity: None,
        }
    }

    pub(crate) fn resume(path: PathBuf, state: FileState, identity: Identity) -> Self {
        FileCursor {
            path,
            state,
            identity: Some(identity),
        }
    }

    /// The file followed.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Console id the file's records are attributed to.
    pub fn console(&self) -> &str {
        &self.state.report.console
    }

    /// Bytes consumed so far (complete lines plus the incomplete last one).
    pub fn offset(&self) -> u64 {
        self.state.splitter.offset
    }

    /// Findings for the file's current contents (reset on a restart).
    pub fn report(&self) -> &FileReport {
        &self.state.report
    }

    /// Reads what was appended since the last poll. On an error nothing is consumed, so the
    /// next poll sees the same records again.
    pub fn poll<T: Entry>(&mut self) -> Result<CursorPoll<T>, JournalError> {
        let mut records = Vec::new();
        let restarted = self.poll_records(|r: Record<T>| records.push(r))?;
        let console = Name::from(self.console());
        Ok(CursorPoll {
            restarted,
            records: records
                .into_iter()
                .map(|r| Stored {
                    console: console.clone(),
                    seq: r.seq,
                    entry: r.entry,
                })
                .collect(),
        })
    }

    /// Feeds new records to `sink`; `Ok(true)` if the file was read again from the start.
    pub(crate) fn poll_records<T: Entry>(
        &mut self,
        sink: impl FnMut(Record<T>),
    ) -> Result<bool, JournalError> {
        let saved = (self.state.clone(), self.identity);
        let mut records = Vec::new();
        match self.poll_inner(|r| records.push(r)) {
            Ok(restarted) => {
                records.into_iter().for_each(sink);
                Ok(restarted)
            }
            Err(e) => {
                (self.state, self.identity) = saved;
                Err(JournalError::io(&self.path, e))
            }
        }
    }

    fn poll_inner<T: Entry>(&mut self, mut sink: impl FnMut(Record<T>)) -> io::Result<bool> {
        let Some((mut file, meta)) = reader::open_regular(&self.path)? else {
            // Gone, or no longer a regular file: a file that was read has vanished.
            self.state.report.missing = self.identity.is_some();
            return Ok(false);
        };
        self.state.report.missing = false;
        let identity = Identity::of(&meta);
        let restarted = self.identity.is_some_and(|old| old != identity)
            || meta.len() < self.state.splitter.offset
            || !anchor_matches(&mut file, &self.state.splitter)?;
        if restarted {
            self.state = FileState::new(&self.state.report.file.clone());
        }
        self.identity = Some(identity);
        file.seek(SeekFrom::Start(self.state.splitter.offset))?;
        let mut pieces = Vec::new();
        // Up to the length seen on opening (what is written meanwhile is for the next poll),
        // in reads no larger than that: a small append costs a small buffer and one read.
        loop {
            let left = meta.len().saturating_sub(self.state.splitter.offset);
            let want = usize::try_from(left).unwrap_or(BLOCK).min(BLOCK);
            if want == 0 || !self.state.splitter.fill(&mut file, want, &mut pieces)? {
                break;
            }
            for piece in pieces.drain(..) {
                self.state.accept_piece(piece, &mut sink);
            }
        }
        self.state.finish_reading();
        Ok(restarted)
    }
}

/// A file's report without what changes with every record read: what tells whether a poll
/// found anything besides records.
fn findings_of(report: &FileReport) -> FileReport {
    FileReport {
        records: 0,
        chain_head: None,
        ..report.clone()
    }
}

/// Whether the bytes just before the offset are still the ones read there.
fn anchor_matches(file: &mut File, splitter: &Splitter) -> io::Result<bool> {
    let n = splitter.anchor.len();
    if n == 0 {
        return Ok(true);
    }
    file.seek(SeekFrom::Start(splitter.offset - n as u64))?;
    let mut buf = vec![0; n];
    match file.read_exact(&mut buf) {
        Ok(()) => Ok(buf == splitter.anchor),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(false),
        Err(e) => Err(e),
    }
}

/// Follows a whole journal folder: discovers new files (including conflict copies) and
/// returns only entries whose id it has not returned before.
#[derive(Debug)]
pub struct JournalTail<T> {
    dir: PathBuf,
    cursors: BTreeMap<String, FileCursor>,
    /// Ids returned so far, with their payload fingerprints.
    seen: IdMap,
    conflicts: Vec<DuplicateConflict>,
    _entries: PhantomData<fn() -> T>,
}

/// What one [`JournalTail::poll`] found.
#[derive(Debug)]
pub struct TailPoll<T> {
    /// Entries not returned before, in merge order among themselves (they may be dated
    /// before entries returned earlier).
    pub entries: Vec<Stored<T>>,
    /// Files (or the folder) that could not be read this time; polled again next time.
    pub errors: Vec<JournalError>,
    /// Whether what the files read are found to hold besides records changed (a corrupt
    /// line, a torn tail, a vanished file, a conflict): [`JournalTail::report`] says what.
    pub findings_changed: bool,
}

impl<T: Entry> JournalTail<T> {
    /// A tail that has read nothing yet: the first poll returns the whole journal.
    pub fn new(journal_dir: impl Into<PathBuf>) -> Self {
        JournalTail {
            dir: journal_dir.into(),
            cursors: BTreeMap::new(),
            seen: IdMap::default(),
            conflicts: Vec::new(),
            _entries: PhantomData,
        }
    }

    /// Reads the whole journal (the fast, parallel way) and returns a tail that continues
    /// exactly where that read stopped.
    pub fn open(journal_dir: impl Into<PathBuf>) -> Result<(Self, Journal<T>), JournalError> {
        let dir = journal_dir.into();
        let loaded = reader::load::<T>(&dir, true)?;
        let cursors = loaded
            .cursors
            .into_iter()
            .map(|c| (c.state.report.file.clone(), c))
            .collect();
        let tail = JournalTail {
            dir,
            cursors,
            seen: loaded.seen,
            conflicts: loaded.journal.report.conflicts.clone(),
            _entries: PhantomData,
        };
        Ok((tail, loaded.journal))
    }

    /// The folder followed.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Reads what is new in every file, and any new file.
    pub fn poll(&mut self) -> TailPoll<T> {
        let mut errors = Vec::new();
        match reader::list_dir(&self.dir) {
            Ok(listed) => {
                for file in listed {
                    self.cursors
                        .entry(file.name)
                        .or_insert_with(|| FileCursor::new(file.path));
                }
            }
            Err(e) => errors.push(e),
        }
        let names: Vec<String> = self.cursors.keys().cloned().collect();
        self.poll_names(&names, errors)
    }

    /// Reads what is new in the files named (by path or name; those outside the journal's
    /// naming rules are ignored), taking up any that are new. What a change notice calls:
    /// the files not named are not touched, so following a folder of 100,000 files costs what
    /// the files that changed cost.
    pub fn poll_files<P: AsRef<Path>>(&mut self, paths: &[P]) -> TailPoll<T> {
        let mut names = Vec::with_capacity(paths.len());
        for path in paths {
            let Some(name) = path.as_ref().file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if !reader::is_journal_file_name(name) {
                continue;
            }
            if !self.cursors.contains_key(name) {
                let path = self.dir.join(name);
                // Like a listing: regular files only, never through a link.
                match std::fs::symlink_metadata(&path) {
                    Ok(meta) if meta.is_file() => {
                        self.cursors.insert(name.to_owned(), FileCursor::new(path));
                    }
                    _ => continue,
                }
            }
            names.push(name.to_owned());
        }
        names.sort_unstable();
        names.dedup();
        self.poll_names(&names, Vec::new())
    }

    /// Polls the cursors of `names` (all known) and merges what they read.
    fn poll_names(&mut self, names: &[String], mut errors: Vec<JournalError>) -> TailPoll<T> {
        let consoles: Vec<&str> = names
            .iter()
            .map(|n| reader::console_of_file_name(n))
            .collect();
        let mut ranked = consoles.clone();
        ranked.sort_unstable();
        ranked.dedup();

        let mut entries = Vec::new();
        let mut keys = Vec::new();
        let mut findings_changed = false;
        for (file, name) in names.iter().enumerate() {
            let cursor = self.cursors.get_mut(name).expect("polled names are known");
            let before = findings_of(cursor.report());
            let console = ranked.binary_search(&consoles[file]).expect("ranked") as u32;
            let polled = cursor.poll_records(|r: Record<T>| {
                keys.push(Key {
                    at: r.entry.at(),
                    console,
                    seq: r.seq,
                    file: file as u32,
                    line: r.line,
                    fp: r.fp,
                    id: r.entry.id(),
                    idx: u32::try_from(entries.len()).expect("fewer than 2^32 records"),
                });
                entries.push(Stored {
                    console: Name::default(),
                    seq: r.seq,
                    entry: r.entry,
                });
            });
            if let Err(e) = polled {
                errors.push(e);
            }
            findings_changed |= findings_of(cursor.report()) != before;
        }
        if entries.is_empty() {
            return TailPoll {
                entries,
                errors,
                findings_changed,
            };
        }

        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let (entries, conflicts) =
            merge::merge(entries, keys, Some(&mut self.seen), &names, &consoles);
        for conflict in conflicts {
            if !self.conflicts.contains(&conflict) {
                self.conflicts.push(conflict);
                findings_changed = true;
            }
        }
        TailPoll {
            entries,
            errors,
            findings_changed,
        }
    }

    /// Findings for the files as last read.
    pub fn report(&self) -> JournalReport {
        let files = self.cursors.values().map(|c| c.report().clone()).collect();
        JournalReport::new(files, self.seen.len() as u64, self.conflicts.clone())
    }
}
