//! What a read found: per file and overall. Serializable, for `status --json` and reports.

use std::fmt;

use serde::Serialize;

/// Overall verdict of a read, worst finding first.
///
/// Serialized as `"ok"`, `"torn-tail"` or `"corrupt"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Integrity {
    /// Every byte of every file was a verified record in an unbroken chain.
    Ok,
    /// Only incomplete last lines (a crash or a write in progress); nothing else is wrong.
    TornTail,
    /// At least one corrupt line, chain break, conflicting duplicate or vanished file.
    Corrupt,
}

impl Integrity {
    /// The serialized spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Integrity::Ok => "ok",
            Integrity::TornTail => "torn-tail",
            Integrity::Corrupt => "corrupt",
        }
    }
}

impl fmt::Display for Integrity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything a read found, across all files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalReport {
    /// Worst finding across files.
    pub integrity: Integrity,
    /// Valid records read, duplicates included.
    pub records: u64,
    /// Distinct entries after dedupe by id.
    pub entries: u64,
    /// Records dropped because an earlier one had the same id (conflict copies, re-appends).
    pub duplicates: u64,
    /// Duplicates whose contents differ from the kept record: an entry was altered somewhere.
    pub conflicts: Vec<DuplicateConflict>,
    /// One per journal file, sorted by file name.
    pub files: Vec<FileReport>,
}

impl JournalReport {
    pub(crate) fn new(
        files: Vec<FileReport>,
        entries: u64,
        conflicts: Vec<DuplicateConflict>,
    ) -> Self {
        let records: u64 = files.iter().map(|f| f.records).sum();
        let file_worst = files.iter().map(FileReport::integrity).max();
        let integrity = if conflicts.is_empty() {
            file_worst.unwrap_or(Integrity::Ok)
        } else {
            Integrity::Corrupt
        };
        JournalReport {
            integrity,
            records,
            entries,
            duplicates: records.saturating_sub(entries),
            conflicts,
            files,
        }
    }
}

/// One thing a read found, located: what `crisisdesk verify` lists and `status --json`
/// carries. Kinds: `torn-tail` (not damage), `bad-checksum`, `malformed`,
/// `unsupported-version`, `too-long`, `bad-entry`, `cr-line-endings`, `chain-break`,
/// `conflict`, `missing`, and the incident's own `other-incident` and `second-opening`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// File name inside `journal/`.
    pub file: String,
    /// 1-based line number; `None` for a finding about the whole file.
    pub line: Option<u64>,
    /// Byte offset of the line's start, when known.
    pub offset: Option<u64>,
    /// What was found, as a stable kebab-case word.
    pub kind: String,
    /// False only for a torn tail (a crash or a write in progress): everything else means
    /// the record is damaged.
    pub damage: bool,
    /// What it means, in words.
    pub meaning: String,
}

impl Finding {
    /// A damage finding.
    pub fn damage(
        file: &str,
        line: Option<u64>,
        offset: Option<u64>,
        kind: &str,
        meaning: String,
    ) -> Self {
        Finding {
            file: file.to_owned(),
            line,
            offset,
            kind: kind.to_owned(),
            damage: true,
            meaning,
        }
    }
}

impl JournalReport {
    /// Every finding, file by file in name order and by line within a file, then the
    /// conflicts.
    pub fn findings(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for f in &self.files {
            let mut here: Vec<Finding> = Vec::new();
            for c in &f.corrupt {
                let kind = match &c.reason {
                    CorruptReason::BadChecksum => "bad-checksum",
                    CorruptReason::Malformed { .. } => "malformed",
                    CorruptReason::UnsupportedVersion { .. } => "unsupported-version",
                    CorruptReason::BadEntry { .. } => "bad-entry",
                    CorruptReason::TooLong { .. } => "too-long",
                };
                let meaning = match &c.reason {
                    CorruptReason::BadChecksum => {
                        "the record's bytes changed after it was written (its checksum does not match): it is not read".to_owned()
                    }
                    CorruptReason::Malformed { detail } => {
                        format!("not a journal record ({detail}): it is not read")
                    }
                    CorruptReason::UnsupportedVersion { version } => format!(
                        "a record of format version {version}, which this version of crisisdesk cannot read"
                    ),
                    CorruptReason::BadEntry { detail } => format!(
                        "the record is intact but its entry does not parse ({detail}): it is not read"
                    ),
                    CorruptReason::TooLong { bytes } => format!(
                        "a line of {bytes} bytes, longer than a record can be: it is not read"
                    ),
                };
                here.push(Finding::damage(
                    &f.file,
                    Some(c.line),
                    Some(c.offset),
                    kind,
                    meaning,
                ));
            }
            for b in &f.chain_breaks {
                let prev = if b.prev_mismatch {
                    ", and it does not link to the record before it"
                } else {
                    ""
                };
                here.push(Finding::damage(
                    &f.file,
                    Some(b.line),
                    Some(b.offset),
                    "chain-break",
                    format!(
                        "records were removed, inserted or reordered before this line (seq {} where {} was due{prev}); the record itself verifies and is kept",
                        b.seq, b.expected_seq
                    ),
                ));
            }
            // The line after the last complete one.
            let end_line = f.records + f.corrupt.len() as u64 + 1;
            if let Some(t) = &f.cr_line_endings {
                here.push(Finding::damage(
                    &f.file,
                    Some(end_line),
                    Some(t.offset),
                    "cr-line-endings",
                    format!(
                        "{} bytes whose lines end in a bare CR (a tool converted the line endings): not read as records; convert the CRs back to LF to read them",
                        t.bytes
                    ),
                ));
            }
            if let Some(t) = &f.torn_tail {
                here.push(Finding {
                    file: f.file.clone(),
                    line: Some(end_line),
                    offset: Some(t.offset),
                    kind: "torn-tail".into(),
                    damage: false,
                    meaning: format!(
                        "an incomplete last record of {} bytes: a write cut short by a crash, or one in progress; it is not read",
                        t.bytes
                    ),
                });
            }
            if f.missing {
                here.push(Finding::damage(
                    &f.file,
                    None,
                    None,
                    "missing",
                    "the file was read and has since disappeared: its records are no longer in the folder".into(),
                ));
            }
            here.sort_by_key(|x| x.line.unwrap_or(u64::MAX));
            out.extend(here);
        }
        for c in &self.conflicts {
            out.push(Finding::damage(
                &c.file,
                Some(c.line),
                None,
                "conflict",
                format!(
                    "a second version of entry {} with different contents: the entry was altered in one copy; the first version is kept",
                    c.id
                ),
            ));
        }
        out
    }
}

/// What was found in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    /// File name inside `journal/`.
    pub file: String,
    /// Console id the records are attributed to (conflict-copy suffix stripped).
    pub console: String,
    /// True when the name carries a sync tool's conflict-copy suffix.
    pub conflict_copy: bool,
    /// Valid records read from the file.
    pub records: u64,
    /// Incomplete last line, if any.
    pub torn_tail: Option<TornTail>,
    /// Bytes at the end with bare CR line endings (a tool converted them), not read as
    /// records.
    pub cr_line_endings: Option<TornTail>,
    /// Complete lines that were skipped.
    pub corrupt: Vec<CorruptLine>,
    /// Records kept whose link to the previous record does not hold.
    pub chain_breaks: Vec<ChainBreak>,
    /// Set by [`super::JournalTail`] when a file it had read is no longer there.
    pub missing: bool,
    /// The last verified record of the file: the head of its hash chain. Anyone holding the
    /// folder later can check that a report was made from the same record (`None`: no record).
    pub chain_head: Option<ChainHead>,
}

/// The head of one file's hash chain: its last verified record's `seq` and `sum`.
///
/// Every earlier record is bound into that `sum` through the `prev` links, so the same head
/// means the same records up to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainHead {
    /// The record's `seq`.
    pub seq: u64,
    /// Its `sum`: 64 lowercase hex digits.
    pub sum: String,
}

impl FileReport {
    pub(crate) fn new(file: &str) -> Self {
        let console = super::console_of_file_name(file).to_owned();
        FileReport {
            conflict_copy: file.strip_suffix(".jsonl") != Some(console.as_str()),
            file: file.to_owned(),
            console,
            records: 0,
            torn_tail: None,
            cr_line_endings: None,
            corrupt: Vec::new(),
            chain_breaks: Vec::new(),
            missing: false,
            chain_head: None,
        }
    }

    /// This file's verdict.
    pub fn integrity(&self) -> Integrity {
        if !self.corrupt.is_empty()
            || !self.chain_breaks.is_empty()
            || self.missing
            || self.cr_line_endings.is_some()
        {
            Integrity::Corrupt
        } else if self.torn_tail.is_some() {
            Integrity::TornTail
        } else {
            Integrity::Ok
        }
    }
}

/// Bytes after the last newline of a file: a write cut short (or still in progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TornTail {
    /// Byte offset where the incomplete line starts.
    pub offset: u64,
    /// Its length in bytes.
    pub bytes: u64,
}

/// A complete line that was skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorruptLine {
    /// 1-based line number.
    pub line: u64,
    /// Byte offset of the line's start.
    pub offset: u64,
    /// Why it was skipped.
    pub reason: CorruptReason,
}

/// Why a line was skipped. Serialized with a `kind` tag: `bad-checksum`, `malformed`,
/// `unsupported-version`, `bad-entry`, `too-long`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CorruptReason {
    /// The SHA-256 of the line does not match its `sum`: the bytes changed after writing.
    BadChecksum,
    /// The line is not laid out as a v1 record.
    Malformed {
        /// What did not fit.
        detail: String,
    },
    /// A record of a format version this build cannot read.
    UnsupportedVersion {
        /// The `v` found.
        version: String,
    },
    /// The record verifies, but its payload does not parse as an entry of this build (its
    /// link in the chain still counts).
    BadEntry {
        /// The parser's message.
        detail: String,
    },
    /// Longer than [`super::MAX_LINE_BYTES`].
    TooLong {
        /// Length of the line, newline included.
        bytes: u64,
    },
}

impl fmt::Display for CorruptReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CorruptReason::BadChecksum => f.write_str("checksum does not match"),
            CorruptReason::Malformed { detail } => write!(f, "malformed record: {detail}"),
            CorruptReason::UnsupportedVersion { version } => {
                write!(f, "unsupported record version {version}")
            }
            CorruptReason::BadEntry { detail } => write!(f, "entry does not parse: {detail}"),
            CorruptReason::TooLong { bytes } => write!(f, "line of {bytes} bytes is too long"),
        }
    }
}

/// A verified record whose link to the previous verified record does not hold: records were
/// removed, reordered or inserted. The record itself is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    /// 1-based line number of the record.
    pub line: u64,
    /// Byte offset of its line.
    pub offset: u64,
    /// Its `seq`.
    pub seq: u64,
    /// The `seq` that should have followed.
    pub expected_seq: u64,
    /// Its `prev` is not the `sum` of the previous record (not checked right after a corrupt
    /// line, whose sum is unknown).
    pub prev_mismatch: bool,
}

/// A record dropped by the dedupe whose payload differs from the kept record with that id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicateConflict {
    /// The shared entry id.
    pub id: uuid::Uuid,
    /// File of the dropped record.
    pub file: String,
    /// Its 1-based line number.
    pub line: u64,
    /// Its `seq`.
    pub seq: u64,
}
