//! The append-only, hash-chained journal an incident is recorded in.
//!
//! Layout and guarantees (the on-disk format is specified in `docs/journal-format.md`):
//!
//! - Each console process appends to a file of its own, `journal/<console>.jsonl`, and never
//!   reopens an old one. Short-lived processes of one person on one machine (`crisisdesk log`)
//!   take turns on one file of theirs under a lock ([`JournalWriter::shared`]). No two writers
//!   ever write one file at once, and sync tools see no conflicts.
//! - One JSON record per line. Every record carries the SHA-256 of its own bytes (`sum`) and the
//!   `sum` of the record before it in the same file (`prev`), so a flipped byte, an edit, a
//!   removal or a reordering is detected.
//! - [`JournalWriter::append`] returns only after the line is written with one `write_all` and
//!   `sync_data`ed: an `Ok` means the entry survives a crash.
//! - Readers never modify anything. They recover what is readable, say exactly what was not
//!   ([`JournalReport`]), merge all files by `(at, console, seq)` and dedupe by entry id.
//!
//! The layer is generic over the payload: anything implementing [`Entry`].

pub mod ids;
mod locate;
mod merge;
mod name;
mod reader;
mod record;
mod report;
mod scan;
mod tail;
mod writer;

use std::path::PathBuf;

pub use locate::locate;
pub use name::Name;
pub(crate) use reader::open_regular;
pub use reader::{
    Journal, chain_sum_at, console_of_file_name, decode_file, is_journal_file_name, read_journal,
};
pub use record::{FORMAT_VERSION, MAX_LINE_BYTES};
pub use report::{
    ChainBreak, ChainHead, CorruptLine, CorruptReason, DuplicateConflict, FileReport, Finding,
    Integrity, JournalReport, TornTail,
};
pub use scan::mentions;
pub use tail::{CursorPoll, FileCursor, JournalTail, TailPoll};
pub use writer::{AppendReceipt, ConsoleId, JournalWriter, console_slug};

/// What the journal needs from an entry it stores.
///
/// `Send` because files are decoded on worker threads. The serialized form must read back into
/// an equal value (the writer checks that before writing) and should be deterministic (no
/// `HashMap` fields), so that two copies of one entry can be recognised as identical.
pub trait Entry: serde::Serialize + serde::de::DeserializeOwned + Clone + Send {
    /// Unique id of the entry; the merge keeps the first record with a given id.
    fn id(&self) -> uuid::Uuid;
    /// When it happened (may be back-dated) — first merge key.
    fn at(&self) -> jiff::Timestamp;
}

/// One entry as read back from the journal, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored<T> {
    /// Console id: the file stem, with any sync-conflict suffix stripped. Shared by every
    /// entry of the file.
    pub console: Name,
    /// Position of the record in its file, from 1.
    pub seq: u64,
    /// The payload.
    pub entry: T,
}

/// Why an append or a read failed.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The file system refused; `path` is the file or folder concerned.
    #[error("journal I/O error on {}: {source}", path.display())]
    Io {
        /// File or folder the operation was on.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The entry could not be serialized to JSON; nothing was written.
    #[error("entry cannot be serialized: {0}")]
    Serialize(#[source] serde_json::Error),
    /// The entry's JSON would not read back as the same entry (e.g. a NaN float, a missing
    /// `#[serde(default)]`, a raw newline); nothing was written, since it could never be read.
    #[error("entry would not read back from the journal: {0}")]
    NotReadable(String),
    /// The record would exceed [`MAX_LINE_BYTES`]; nothing was written.
    #[error("record of {bytes} bytes exceeds the journal's {max}-byte line limit")]
    TooLarge {
        /// Size of the encoded record, newline included.
        bytes: usize,
        /// The limit, [`MAX_LINE_BYTES`].
        max: usize,
    },
}

impl JournalError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        JournalError::Io {
            path: path.into(),
            source,
        }
    }
}
