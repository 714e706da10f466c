//! Recovery, exhaustively: every truncation point and every flipped byte of generated journals.

mod journal_common;

use std::fs;

use crisisdesk::journal::{
    FileCursor, Integrity, JournalWriter, TornTail, decode_file, read_journal,
};
use journal_common::{Note, encode_file, line_starts, note};
use proptest::prelude::*;
use uuid::Uuid;

fn notes() -> impl Strategy<Value = Vec<Note>> {
    let text = prop_oneof!["(?s).{0,40}", "[\"\\\\\n\r\t\u{0}\u{202e}é🚨 ]{0,12}"];
    prop::collection::vec((any::<u128>(), -1_000_000i64..1_000_000, text), 1..6).prop_map(|v| {
        v.into_iter()
            .map(|(id, secs, text)| Note {
                id: Uuid::from_u128(id),
                at: journal_common::ts(secs),
                text,
            })
            .collect()
    })
}

/// The journal file the real writer produces for `notes`.
fn written(notes: &[Note]) -> Vec<u8> {
    let tmp = tempfile::tempdir().unwrap();
    let mut w = JournalWriter::create(tmp.path(), "p@t").unwrap();
    for n in notes {
        w.append(n).unwrap();
    }
    fs::read(w.path()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Cut anywhere: exactly the records whose line is complete come back, in order; a torn
    /// tail is reported iff the cut is inside a line; nothing is ever called corrupt.
    #[test]
    fn recovery_at_every_truncation_point(notes in notes()) {
        let bytes = written(&notes);
        let starts = line_starts(&bytes);
        prop_assert_eq!(starts.len(), notes.len() + 1);
        for cut in 0..=bytes.len() {
            let (stored, report) = decode_file::<Note>("p-t-1.jsonl", &bytes[..cut]);
            let complete = starts[1..].iter().filter(|&&end| end <= cut).count();
            let got: Vec<&Note> = stored.iter().map(|s| &s.entry).collect();
            prop_assert_eq!(got, notes[..complete].iter().collect::<Vec<_>>(), "cut at {}", cut);
            let mid_line = !starts.contains(&cut);
            let torn = mid_line.then(|| TornTail {
                offset: starts[complete] as u64,
                bytes: (cut - starts[complete]) as u64,
            });
            prop_assert_eq!(report.torn_tail, torn, "cut at {}", cut);
            prop_assert!(report.corrupt.is_empty() && report.chain_breaks.is_empty());
            let expected = if mid_line { Integrity::TornTail } else { Integrity::Ok };
            prop_assert_eq!(report.integrity(), expected);
        }
    }

    /// Any single flipped byte is noticed, and what is returned is only ever original records.
    #[test]
    fn a_flipped_byte_is_always_detected(notes in notes(), mask in 1u8..=255) {
        let bytes = encode_file(&notes).into_bytes();
        for i in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= mask;
            let (stored, report) = decode_file::<Note>("p-t-1.jsonl", &flipped);
            prop_assert_ne!(report.integrity(), Integrity::Ok, "flip {:#04x} at {} undetected", mask, i);
            for s in &stored {
                prop_assert_eq!(Some(&s.entry), notes.get(s.seq as usize - 1), "misread at {}", i);
            }
            // At worst a flipped newline merges two records into one bad line.
            prop_assert!(stored.len() + 2 >= notes.len());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// A cursor polled after every single byte a writer adds sees each record exactly once,
    /// as soon as its newline is there.
    #[test]
    fn cursor_polled_at_every_byte(notes in notes()) {
        let bytes = written(&notes);
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("p-t-1.jsonl");
        let mut file = fs::File::create(&path).unwrap();
        let mut cursor = FileCursor::new(&path);
        let mut seen = Vec::new();
        for (i, b) in bytes.iter().enumerate() {
            std::io::Write::write_all(&mut file, &[*b]).unwrap();
            let polled = cursor.poll::<Note>().unwrap();
            prop_assert!(!polled.restarted);
            seen.extend(polled.records.into_iter().map(|s| s.entry));
            let complete = bytes[..=i].iter().filter(|&&c| c == b'\n').count();
            prop_assert_eq!(seen.len(), complete);
        }
        prop_assert_eq!(seen, notes);
        prop_assert_eq!(cursor.report().integrity(), Integrity::Ok);
    }
}

/// The same property through real files and the full reader: truncate a copy on disk at every
/// point (as a crash would leave it) and read the folder.
#[test]
fn truncated_files_on_disk_recover_to_the_last_complete_record() {
    let notes: Vec<Note> = (1..=4)
        .map(|i| note(i, i as i64, &format!("entry {i} ✓")))
        .collect();
    let bytes = written(&notes);
    let starts = line_starts(&bytes);
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("p-t-1.jsonl");
    for cut in 0..=bytes.len() {
        fs::write(&path, &bytes).unwrap();
        fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(cut as u64)
            .unwrap();
        let journal = read_journal::<Note>(tmp.path()).unwrap();
        let complete = starts[1..].iter().filter(|&&end| end <= cut).count();
        assert_eq!(journal.entries.len(), complete, "cut at {cut}");
        let expected = if starts.contains(&cut) {
            Integrity::Ok
        } else {
            Integrity::TornTail
        };
        assert_eq!(journal.report.integrity, expected, "cut at {cut}");
    }
}
