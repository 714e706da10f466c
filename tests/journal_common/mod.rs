//! Shared by the journal tests: a tiny entry type and an independent encoder of the documented
//! v1 line format (written from `docs/journal-format.md`, not from the crate's code, so the
//! tests also check that the two agree).
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

use crisisdesk::journal::Entry;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: Uuid,
    pub at: Timestamp,
    pub text: String,
}

impl Entry for Note {
    fn id(&self) -> Uuid {
        self.id
    }
    fn at(&self) -> Timestamp {
        self.at
    }
}

/// 2026-11-27T10:00:00Z plus `secs` seconds.
pub fn ts(secs: i64) -> Timestamp {
    Timestamp::from_second(1_795_773_600 + secs).unwrap()
}

pub fn note(n: u128, secs: i64, text: &str) -> Note {
    Note {
        id: Uuid::from_u128(n),
        at: ts(secs),
        text: text.to_owned(),
    }
}

pub const ZERO: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One record line exactly as the format document specifies; returns the line (with its
/// newline) and its sum.
pub fn encode_line(seq: u64, prev: &str, entry: &impl Serialize) -> (String, String) {
    let mut line = format!(
        "{{\"v\":1,\"seq\":{seq},\"prev\":\"{prev}\",\"entry\":{}",
        serde_json::to_string(entry).unwrap()
    );
    let sum = Sha256::digest(line.as_bytes())
        .iter()
        .fold(String::new(), |mut s, b| {
            write!(s, "{b:02x}").unwrap();
            s
        });
    writeln!(line, ",\"sum\":\"{sum}\"}}").unwrap();
    (line, sum)
}

/// A whole file of records, chained from seq 1.
pub fn encode_file<'a>(entries: impl IntoIterator<Item = &'a Note>) -> String {
    let mut out = String::new();
    let mut prev = ZERO.to_owned();
    for (i, e) in entries.into_iter().enumerate() {
        let (line, sum) = encode_line(i as u64 + 1, &prev, e);
        out.push_str(&line);
        prev = sum;
    }
    out
}

pub fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), contents).unwrap();
}

/// Byte offsets at which each line starts, plus the total length.
pub fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i + 1),
    );
    starts
}
