//! Reading a journal folder: file selection, recovery, and the parallel bulk load.
//!
//! Files are streamed in blocks of whole lines (never held whole). The main thread reads and
//! splits; worker threads verify checksums and parse payloads, the expensive part; results come
//! back in block order, so chain checking and line numbering stay sequential and exact.

use std::collections::VecDeque;
use std::fs::{self, File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use super::merge::{self, Key};
use super::record::{self, Chain, MAX_LINE_BYTES, Sum};
use super::report::{ChainHead, CorruptLine, CorruptReason, FileReport, JournalReport, TornTail};
use super::tail::FileCursor;
use super::{Entry, JournalError, Name, Stored};

/// Bytes read per block: large enough to amortise hand-over between threads, small enough
/// that the blocks in flight stay a few MiB.
pub(crate) const BLOCK: usize = 1 << 20;
/// Bytes before the read offset that a cursor re-checks to notice a file rewritten in place.
const ANCHOR: usize = 96;

/// Everything read from a journal folder.
#[derive(Debug, Clone)]
pub struct Journal<T> {
    /// Entries merged by `(at, console, seq)` and deduped by id.
    pub entries: Vec<Stored<T>>,
    /// What was found on the way.
    pub report: JournalReport,
}

/// Whether a file in `journal/` is read: a name ending in `.jsonl` that does not start with
/// `.`. That takes in sync-conflict copies and leaves out temp and partial files.
pub fn is_journal_file_name(name: &str) -> bool {
    name.len() > ".jsonl".len() && name.ends_with(".jsonl") && !name.starts_with('.')
}

/// Console id of a journal file: the leading run of `[a-z0-9-]` of its stem (a console id has
/// no other characters, and every sync tool's conflict suffix starts with one: `.sync-conflict-…`,
/// ` (conflicted copy …)`), or the whole stem if it starts with another character.
pub fn console_of_file_name(name: &str) -> &str {
    let stem = name.strip_suffix(".jsonl").unwrap_or(name);
    let end = stem
        .find(|c: char| !matches!(c, 'a'..='z' | '0'..='9' | '-'))
        .unwrap_or(stem.len());
    if end == 0 { stem } else { &stem[..end] }
}

/// Reads, verifies and merges every journal file in `journal_dir`. Modifies nothing.
pub fn read_journal<T: Entry>(journal_dir: impl AsRef<Path>) -> Result<Journal<T>, JournalError> {
    load(journal_dir.as_ref(), false).map(|loaded| loaded.journal)
}

/// Decodes one journal file's bytes, in file order, without merging or dedupe: for checking a
/// single file (a backup, a blob from git) and for tests.
pub fn decode_file<T: Entry>(file_name: &str, bytes: &[u8]) -> (Vec<Stored<T>>, FileReport) {
    let mut state = FileState::new(file_name);
    let mut pieces = Vec::new();
    let mut input = bytes;
    let mut out = Vec::new();
    while state
        .splitter
        .fill(&mut input, BLOCK, &mut pieces)
        .expect("reading a slice")
    {
        for piece in pieces.drain(..) {
            state.accept_piece(piece, |r| out.push(r));
        }
    }
    state.finish_reading();
    let console = Name::from(&state.report.console);
    let stored = out
        .into_iter()
        .map(|r| Stored {
            console: console.clone(),
            seq: r.seq,
            entry: r.entry,
        })
        .collect();
    (stored, state.report)
}

/// The `sum` of record `seq` in one journal file's bytes, if records 1 to `seq` are all there,
/// verified and unbroken in their chain: tells whether a file still holds, unchanged, the
/// records a chain head was taken from (an edit, removal or insertion at or before `seq`
/// gives `None`; records appended after it do not matter).
pub fn chain_sum_at(bytes: &[u8], seq: u64) -> Option<String> {
    let mut prev = record::ZERO_SUM;
    for (n, line) in (1..).zip(bytes.split_inclusive(|&b| b == b'\n')) {
        let env = record::decode(line.strip_suffix(b"\n")?).ok()?;
        if env.seq != n || env.prev != prev {
            return None;
        }
        if n == seq {
            return Some(record::hex(&env.sum));
        }
        prev = env.sum;
    }
    None
}

/// The result of a bulk load, with what a [`super::JournalTail`] needs to continue from it.
pub(crate) struct Loaded<T> {
    pub journal: Journal<T>,
    pub cursors: Vec<FileCursor>,
    pub seen: merge::IdMap,
}

/// Identity of an open file: a replaced file (rename over it) has a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Identity {
    dev: u64,
    ino: u64,
}

impl Identity {
    pub fn of(meta: &Metadata) -> Self {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            Identity {
                dev: meta.dev(),
                ino: meta.ino(),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            Identity::default()
        }
    }
}

/// A journal file found in the folder.
pub(crate) struct Listed {
    pub name: String,
    pub path: PathBuf,
}

/// The journal files of `dir`, sorted by name. Only regular files: symlinks (which could point
/// out of the folder), folders and anything else are skipped. The file type comes with the
/// listing on most file systems, so a folder of 100,000 files costs no call per file here.
pub(crate) fn list_dir(dir: &Path) -> Result<Vec<Listed>, JournalError> {
    let io_err = |e| JournalError::io(dir, e);
    let mut files = Vec::new();
    for item in fs::read_dir(dir).map_err(io_err)? {
        let item = item.map_err(io_err)?;
        let name = item.file_name().to_string_lossy().into_owned();
        if !is_journal_file_name(&name) {
            continue;
        }
        // `file_type` does not follow links; it asks the file system only when the listing
        // did not say.
        match item.file_type() {
            Ok(kind) if kind.is_file() => files.push(Listed {
                name,
                path: item.path(),
            }),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(JournalError::io(item.path(), e)),
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// Opens `path` only if it is a regular file: never through a symbolic link (`O_NOFOLLOW`),
/// never blocking on a FIFO (`O_NONBLOCK`), and the type checked on the file opened, so
/// nothing swapped in between two calls is ever read. `None`: not (or no longer) such a file.
pub(crate) fn open_regular(path: &Path) -> io::Result<Option<(File, Metadata)>> {
    #[cfg(unix)]
    let opened = {
        use rustix::fs::{Mode, OFlags};
        rustix::fs::open(
            path,
            OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map(File::from)
        .map_err(io::Error::from)
    };
    #[cfg(not(unix))]
    let opened = File::open(path);
    let file = match opened {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        // A symbolic link (ELOOP under O_NOFOLLOW) is not a journal file.
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => {
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    Ok(meta.is_file().then_some((file, meta)))
}

/// A run of complete lines, or an over-long line that was skipped without being kept.
pub(crate) enum Piece {
    Lines { start: u64, bytes: Vec<u8> },
    TooLong { start: u64, bytes: u64 },
}

/// Cuts a byte stream into whole lines, keeping the incomplete last line for later.
#[derive(Debug, Clone, Default)]
pub(crate) struct Splitter {
    /// Bytes consumed from the file.
    pub offset: u64,
    /// The incomplete line after the last `\n`, starting at `carry_start`.
    carry: Vec<u8>,
    carry_start: u64,
    /// Discarding a line longer than [`MAX_LINE_BYTES`] that starts here.
    too_long: Option<u64>,
    /// The last bytes consumed (up to [`ANCHOR`]).
    pub anchor: Vec<u8>,
}

impl Splitter {
    /// Reads up to `max` more bytes and pushes the complete lines among them. `Ok(false)` at
    /// end of input.
    pub fn fill(
        &mut self,
        input: &mut impl Read,
        max: usize,
        out: &mut Vec<Piece>,
    ) -> io::Result<bool> {
        let mut buf = if self.too_long.is_some() {
            Vec::with_capacity(max.min(BLOCK))
        } else {
            let mut carry = std::mem::take(&mut self.carry);
            carry.reserve(max.min(BLOCK));
            carry
        };
        let before = buf.len();
        let n = input.take(max as u64).read_to_end(&mut buf)?;
        if n == 0 {
            if self.too_long.is_none() {
                // Kept until the next read: only the bytes, not the room reserved for them.
                buf.shrink_to_fit();
                self.carry = buf;
            }
            return Ok(false);
        }
        let new = &buf[before..];
        self.anchor
            .extend_from_slice(&new[new.len().saturating_sub(ANCHOR)..]);
        let excess = self.anchor.len().saturating_sub(ANCHOR);
        self.anchor.drain(..excess);
        let read_start = self.offset;
        self.offset += n as u64;

        let mut start = self.carry_start;
        // The carry holds no newline: only the new bytes need scanning.
        let mut scan_from = before;
        if let Some(long_start) = self.too_long {
            let Some(nl) = buf.iter().position(|&b| b == b'\n') else {
                return Ok(true);
            };
            let end = read_start + nl as u64;
            out.push(Piece::TooLong {
                start: long_start,
                bytes: end + 1 - long_start,
            });
            self.too_long = None;
            buf.drain(..=nl);
            start = end + 1;
            scan_from = 0;
        }
        match buf[scan_from..].iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                let last = scan_from + last;
                self.carry = buf[last + 1..].to_vec();
                self.carry_start = start + last as u64 + 1;
                buf.truncate(last + 1);
                out.push(Piece::Lines { start, bytes: buf });
            }
            None if buf.len() > MAX_LINE_BYTES => {
                self.too_long = Some(start);
                self.carry_start = self.offset;
            }
            None => {
                self.carry = buf;
                self.carry_start = start;
            }
        }
        Ok(true)
    }

    /// The incomplete line at the end of what was read so far, if any.
    pub fn torn_tail(&self) -> Option<TornTail> {
        match self.too_long {
            Some(start) => Some(TornTail {
                offset: start,
                bytes: self.offset - start,
            }),
            None if !self.carry.is_empty() => Some(TornTail {
                offset: self.carry_start,
                bytes: self.carry.len() as u64,
            }),
            None => None,
        }
    }
}

/// One line as decoded by a worker, before chain checking.
pub(crate) struct Decoded<T> {
    /// Offset of the line within its block.
    rel: usize,
    line: Result<Verified<T>, CorruptReason>,
}

struct Verified<T> {
    seq: u64,
    prev: Sum,
    sum: Sum,
    fp: u64,
    entry: Result<T, String>,
}

/// Verifies and parses every line of a block of complete lines: the parallel part.
pub(crate) fn decode_block<T: Entry>(bytes: &[u8]) -> Vec<Decoded<T>> {
    let mut out = Vec::with_capacity(bytes.len() / 200 + 1);
    let mut rel = 0;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let decoded = record::decode(&line[..line.len() - 1]).map(|env| Verified {
            seq: env.seq,
            prev: env.prev,
            sum: env.sum,
            fp: record::fingerprint(env.entry),
            entry: serde_json::from_slice(env.entry).map_err(|e| e.to_string()),
        });
        out.push(Decoded { rel, line: decoded });
        rel += line.len();
    }
    out
}

/// A verified, parsed record with where it was found.
pub(crate) struct Record<T> {
    pub line: u64,
    pub seq: u64,
    pub fp: u64,
    pub entry: T,
}

/// The sequential side of reading one file: splitting, line numbers, chain, findings.
#[derive(Debug, Clone)]
pub(crate) struct FileState {
    pub splitter: Splitter,
    pub report: FileReport,
    chain: Chain,
    line_no: u64,
}

impl FileState {
    pub fn new(file_name: &str) -> Self {
        FileState {
            splitter: Splitter::default(),
            report: FileReport::new(file_name),
            chain: Chain::default(),
            line_no: 0,
        }
    }

    /// Handles a piece on the current thread.
    pub fn accept_piece<T: Entry>(&mut self, piece: Piece, sink: impl FnMut(Record<T>)) {
        match piece {
            Piece::Lines { start, bytes } => self.accept_lines(start, decode_block(&bytes), sink),
            Piece::TooLong { start, bytes } => self.accept_too_long(start, bytes),
        }
    }

    /// Takes the decoded lines of the block at `start`, in file order.
    pub fn accept_lines<T>(
        &mut self,
        start: u64,
        lines: Vec<Decoded<T>>,
        mut sink: impl FnMut(Record<T>),
    ) {
        for decoded in lines {
            self.line_no += 1;
            let line = self.line_no;
            let offset = start + decoded.rel as u64;
            match decoded.line {
                Ok(v) => {
                    if let Some(b) = self.chain.link(v.seq, &v.prev, &v.sum, line, offset) {
                        self.report.chain_breaks.push(b);
                    }
                    match v.entry {
                        Ok(entry) => {
                            self.report.records += 1;
                            sink(Record {
                                line,
                                seq: v.seq,
                                fp: v.fp,
                                entry,
                            });
                        }
                        Err(detail) => {
                            self.corrupt(line, offset, CorruptReason::BadEntry { detail })
                        }
                    }
                }
                Err(reason) => {
                    self.chain.skip();
                    self.corrupt(line, offset, reason);
                }
            }
        }
    }

    pub fn accept_too_long(&mut self, start: u64, bytes: u64) {
        self.line_no += 1;
        self.chain.skip();
        self.corrupt(self.line_no, start, CorruptReason::TooLong { bytes });
    }

    fn corrupt(&mut self, line: u64, offset: u64, reason: CorruptReason) {
        self.report.corrupt.push(CorruptLine {
            line,
            offset,
            reason,
        });
    }

    /// Records the torn tail, if any, once everything available was read. An unterminated
    /// tail holding a CR is not a write cut short (a record never contains a raw CR) but
    /// lines whose endings a tool turned into bare CRs: reported as such.
    pub fn finish_reading(&mut self) {
        let tail = self.splitter.torn_tail();
        let cr = tail.is_some() && self.splitter.carry.contains(&b'\r');
        (self.report.torn_tail, self.report.cr_line_endings) =
            if cr { (None, tail) } else { (tail, None) };
        self.report.chain_head = self.chain.head().map(|(seq, sum)| ChainHead {
            seq,
            sum: record::hex(&sum),
        });
    }
}

/// Pieces of one or more files, in file order, handed to a decoder as one job: a folder of
/// thousands of small files costs one hand-over per megabyte, not one per file.
struct Batch {
    pieces: Vec<(usize, Piece)>,
    bytes: usize,
}

impl Batch {
    fn new() -> Self {
        Batch {
            pieces: Vec::new(),
            bytes: 0,
        }
    }

    fn push(&mut self, file: usize, piece: Piece) {
        if let Piece::Lines { bytes, .. } = &piece {
            self.bytes += bytes.len();
        }
        self.pieces.push((file, piece));
    }
}

/// A piece after decoding, still in file order.
enum Done<T> {
    Lines {
        file: usize,
        start: u64,
        lines: Vec<Decoded<T>>,
    },
    TooLong {
        file: usize,
        start: u64,
        bytes: u64,
    },
}

/// A decoder thread: jobs go in, decoded pieces come back in the same order.
type Lane<T> = (mpsc::SyncSender<Batch>, mpsc::Receiver<Vec<Done<T>>>);

fn decode_batch<T: Entry>(batch: Batch) -> Vec<Done<T>> {
    batch
        .pieces
        .into_iter()
        .map(|(file, piece)| match piece {
            Piece::Lines { start, bytes } => Done::Lines {
                file,
                start,
                lines: decode_block(&bytes),
            },
            Piece::TooLong { start, bytes } => Done::TooLong { file, start, bytes },
        })
        .collect()
}

/// Collects records of all files for the merge.
struct Sink<T> {
    entries: Vec<Stored<T>>,
    keys: Vec<Key>,
}

impl<T: Entry> Sink<T> {
    fn push(&mut self, file: usize, console_rank: u32, r: Record<T>) {
        let idx = u32::try_from(self.entries.len()).expect("fewer than 2^32 records");
        push_tight(
            &mut self.keys,
            Key {
                at: r.entry.at(),
                console: console_rank,
                seq: r.seq,
                file: file as u32,
                line: r.line,
                fp: r.fp,
                id: r.entry.id(),
                idx,
            },
        );
        // The console name is filled in after the dedupe, for kept entries only.
        push_tight(
            &mut self.entries,
            Stored {
                console: Name::default(),
                seq: r.seq,
                entry: r.entry,
            },
        );
    }
}

/// Pushes without `Vec`'s doubling: a full vector grows by an eighth, so one holding millions
/// of records ends at most an eighth above its length instead of up to twice it. Large
/// allocations are moved by remapping pages, so growing often costs little.
fn push_tight<T>(v: &mut Vec<T>, item: T) {
    if v.len() == v.capacity() {
        v.reserve_exact((v.len() / 8).max(1024));
    }
    v.push(item);
}

/// Bytes a record line takes in practice at least (an envelope of ~165 bytes and a short
/// entry): records are guessed from file sizes with it. Room reserved but never filled costs
/// address space, not memory.
const TYPICAL_LINE: u64 = 300;

/// Reads the whole folder; with `for_tail`, also returns the ids seen, which costs a hash map.
pub(crate) fn load<T: Entry>(dir: &Path, for_tail: bool) -> Result<Loaded<T>, JournalError> {
    let listed = list_dir(dir)?;
    let console_names: Vec<&str> = listed
        .iter()
        .map(|f| console_of_file_name(&f.name))
        .collect();
    let mut consoles = console_names.clone();
    consoles.sort_unstable();
    consoles.dedup();
    let ranks: Vec<u32> = console_names
        .iter()
        .map(|c| consoles.binary_search(c).expect("listed") as u32)
        .collect();
    let parallelism = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);

    let mut states: Vec<FileState> = listed.iter().map(|f| FileState::new(&f.name)).collect();
    let mut identities = vec![None; listed.len()];
    // Room for the records at once, when a few files make the size cheap to ask: each
    // reallocation of a growing vector of a million entries leaves freed pages behind.
    let guess = if listed.len() <= 64 {
        let bytes: u64 = listed
            .iter()
            .filter_map(|f| fs::symlink_metadata(&f.path).ok())
            .map(|m| m.len())
            .sum();
        usize::try_from(bytes / TYPICAL_LINE).unwrap_or(0)
    } else {
        0
    };
    let mut sink = Sink {
        entries: Vec::with_capacity(guess),
        keys: Vec::with_capacity(guess),
    };

    std::thread::scope(|scope| -> Result<(), JournalError> {
        // Decoder threads start once there is enough to share: a small journal is read on
        // this thread alone.
        let mut lanes: Vec<Lane<T>> = Vec::new();
        let mut read = 0usize;
        // Lanes of the jobs in flight, oldest first: results are taken in that order, so every
        // file's pieces reach its chain in file order.
        let mut queue: VecDeque<usize> = VecDeque::new();
        let mut next_lane = 0;
        let mut batch = Batch::new();
        let mut pieces = Vec::new();

        let accept = |done: Vec<Done<T>>, states: &mut Vec<FileState>, sink: &mut Sink<T>| {
            for d in done {
                match d {
                    Done::Lines { file, start, lines } => {
                        states[file].accept_lines(start, lines, |r| sink.push(file, ranks[file], r))
                    }
                    Done::TooLong { file, start, bytes } => {
                        states[file].accept_too_long(start, bytes)
                    }
                }
            }
        };

        // Hands a full batch to the next decoder, or decodes it here when there are none.
        let mut dispatch = |batch: Batch,
                            read: usize,
                            lanes: &mut Vec<_>,
                            states: &mut Vec<FileState>,
                            sink: &mut Sink<T>| {
            if lanes.is_empty() && parallelism > 1 && read > 2 * BLOCK {
                for _ in 0..parallelism {
                    let (job_tx, job_rx) = mpsc::sync_channel::<Batch>(2);
                    let (done_tx, done_rx) = mpsc::sync_channel::<Vec<Done<T>>>(2);
                    scope.spawn(move || {
                        for job in job_rx {
                            if done_tx.send(decode_batch::<T>(job)).is_err() {
                                break;
                            }
                        }
                    });
                    lanes.push((job_tx, done_rx));
                }
            }
            if lanes.is_empty() {
                accept(decode_batch(batch), states, sink);
                return;
            }
            if queue.len() >= 2 * lanes.len() {
                let lane = queue.pop_front().expect("in flight");
                let done = lanes[lane]
                    .1
                    .recv()
                    .expect("journal decoder thread panicked");
                accept(done, states, sink);
            }
            lanes[next_lane]
                .0
                .send(batch)
                .expect("journal decoder thread panicked");
            queue.push_back(next_lane);
            next_lane = (next_lane + 1) % lanes.len();
        };

        for (file, listed) in listed.iter().enumerate() {
            let Some((mut handle, meta)) =
                open_regular(&listed.path).map_err(|e| JournalError::io(&listed.path, e))?
            else {
                continue;
            };
            identities[file] = Some(Identity::of(&meta));
            // What the file held when opened; what is written later is for the tail.
            let len = meta.len();
            loop {
                let offset = states[file].splitter.offset;
                let want = usize::try_from(len.saturating_sub(offset))
                    .unwrap_or(BLOCK)
                    .min(BLOCK);
                if want == 0 {
                    break;
                }
                let more = states[file]
                    .splitter
                    .fill(&mut handle, want, &mut pieces)
                    .map_err(|e| JournalError::io(&listed.path, e))?;
                read += want;
                for piece in pieces.drain(..) {
                    batch.push(file, piece);
                    if batch.bytes >= BLOCK / 2 {
                        let full = std::mem::replace(&mut batch, Batch::new());
                        dispatch(full, read, &mut lanes, &mut states, &mut sink);
                    }
                }
                if !more {
                    break;
                }
            }
        }
        if !batch.pieces.is_empty() {
            dispatch(batch, read, &mut lanes, &mut states, &mut sink);
        }
        while let Some(lane) = queue.pop_front() {
            let done = lanes[lane]
                .1
                .recv()
                .expect("journal decoder thread panicked");
            accept(done, &mut states, &mut sink);
        }
        // Only now is every block of every file through its chain.
        for state in &mut states {
            state.finish_reading();
        }
        Ok(())
    })?;

    let names: Vec<&str> = listed.iter().map(|f| f.name.as_str()).collect();
    let mut seen = merge::IdMap::default();
    let (entries, conflicts) = merge::merge(
        sink.entries,
        sink.keys,
        for_tail.then_some(&mut seen),
        &names,
        &console_names,
    );
    let mut cursors = Vec::new();
    let mut reports = Vec::with_capacity(listed.len());
    for ((listed, state), identity) in listed.into_iter().zip(states).zip(identities) {
        let Some(identity) = identity else { continue };
        // A one-off read keeps only the findings; a tail keeps each file's whole state.
        if for_tail {
            reports.push(state.report.clone());
            cursors.push(FileCursor::resume(listed.path, state, identity));
        } else {
            reports.push(state.report);
        }
    }
    let report = JournalReport::new(reports, entries.len() as u64, conflicts);
    Ok(Loaded {
        journal: Journal { entries, report },
        cursors,
        seen,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert!(is_journal_file_name("a-b.jsonl"));
        assert!(is_journal_file_name(
            "a.sync-conflict-20261127-101010-ABCDEFG.jsonl"
        ));
        assert!(is_journal_file_name("a (conflicted copy 2026-11-27).jsonl"));
        for name in [
            ".a.jsonl",
            ".jsonl",
            "a.jsonl.tmp",
            "a.jsonl~",
            "a.jsonl.part",
            "a.json",
            "a.swp",
        ] {
            assert!(!is_journal_file_name(name), "{name}");
        }
        assert_eq!(console_of_file_name("ab-12.jsonl"), "ab-12");
        assert_eq!(
            console_of_file_name("ab-12.sync-conflict-20261127-101010-ABCDEFG.jsonl"),
            "ab-12"
        );
        assert_eq!(
            console_of_file_name("ab-12 (conflicted copy 2026-11-27).jsonl"),
            "ab-12"
        );
        assert_eq!(console_of_file_name("Notes.jsonl"), "Notes");
    }

    #[test]
    fn splitter_keeps_partial_lines_and_drops_long_ones() {
        let mut s = Splitter::default();
        let mut out = Vec::new();
        let long = vec![b'x'; MAX_LINE_BYTES + 5000];
        let mut data = b"ab\ncd".to_vec();
        data.extend_from_slice(&long);
        data.extend_from_slice(b"\nef\ngh");
        let mut input = &data[..];
        while s.fill(&mut input, 1000, &mut out).unwrap() {}
        let mut lines = Vec::new();
        for piece in out {
            match piece {
                Piece::Lines { start, bytes } => {
                    assert!(bytes.len() < 100, "the long line is never kept");
                    lines.push((start, String::from_utf8(bytes).unwrap()));
                }
                Piece::TooLong { start, bytes } => lines.push((start, format!("long {bytes}"))),
            }
        }
        let long_len = 2 + MAX_LINE_BYTES as u64 + 5000;
        assert_eq!(lines[0], (0, "ab\n".to_owned()));
        assert_eq!(lines[1], (3, format!("long {}", long_len + 1)));
        assert_eq!(lines[2], (3 + long_len + 1, "ef\n".to_owned()));
        assert_eq!(lines.len(), 3);
        assert_eq!(
            s.torn_tail(),
            Some(TornTail {
                offset: 3 + long_len + 4,
                bytes: 2
            })
        );
        assert_eq!(s.offset, data.len() as u64);
    }
}
