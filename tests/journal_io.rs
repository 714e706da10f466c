//! The journal on disk: writing, reading back, recovery findings, file selection, merge order,
//! permissions, and incremental reading.

mod journal_common;

use std::fs;
use std::path::Path;

use crisisdesk::journal::{
    ChainBreak, ChainHead, CorruptReason, FileCursor, Integrity, JournalTail, JournalWriter,
    Stored, TornTail, chain_sum_at, decode_file, read_journal,
};
use journal_common::{Note, ZERO, encode_file, encode_line, line_starts, note, write};
use uuid::Uuid;

const SESSION: Uuid = Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0001);

fn texts(entries: &[Stored<Note>]) -> Vec<&str> {
    entries.iter().map(|s| s.entry.text.as_str()).collect()
}

fn writer_with(dir: &Path, notes: &[Note]) -> JournalWriter {
    let mut w = JournalWriter::create_with_session(dir, "Alice@Laptop", SESSION).unwrap();
    for n in notes {
        w.append(n).unwrap();
    }
    w
}

fn five() -> Vec<Note> {
    (1..=5)
        .map(|i| note(i, i as i64, &format!("n{i}")))
        .collect()
}

#[test]
fn round_trip_and_byte_exact_format() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("journal");
    let notes = vec![
        note(1, 0, "first"),
        note(2, 5, "quote \" backslash \\ newline \n tab \t é 🚨"),
        note(3, 2, "back-dated"),
    ];
    let mut w = JournalWriter::create_with_session(&dir, "Alice@Laptop", SESSION).unwrap();
    let console = "alice-laptop-01930000000070008000000000000001";
    assert_eq!(w.console_id(), console);
    assert_eq!(w.path(), dir.join(format!("{console}.jsonl")));
    let receipts: Vec<_> = notes.iter().map(|n| w.append(n).unwrap()).collect();
    assert_eq!(
        receipts.iter().map(|r| r.seq).collect::<Vec<_>>(),
        [1, 2, 3]
    );

    // The bytes are exactly what the format document specifies.
    let bytes = fs::read(w.path()).unwrap();
    assert_eq!(String::from_utf8(bytes).unwrap(), encode_file(&notes));
    let (_, sum1) = encode_line(1, ZERO, &notes[0]);
    assert_eq!(receipts[0].sum, sum1);

    let journal = read_journal::<Note>(&dir).unwrap();
    assert_eq!(
        texts(&journal.entries),
        ["first", "back-dated", notes[1].text.as_str()]
    );
    assert_eq!(journal.entries[1].seq, 3);
    assert!(journal.entries.iter().all(|s| s.console == console));
    assert_eq!(journal.entries[2].entry, notes[1]);
    let report = &journal.report;
    assert_eq!(report.integrity, Integrity::Ok);
    assert_eq!(
        (report.records, report.entries, report.duplicates),
        (3, 3, 0)
    );
    assert_eq!(report.files.len(), 1);
    assert_eq!(report.files[0].file, format!("{console}.jsonl"));
    assert!(!report.files[0].conflict_copy);
    assert_eq!(
        serde_json::to_value(report).unwrap()["integrity"],
        serde_json::json!("ok")
    );
}

#[test]
fn torn_tail_is_ignored_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let w = writer_with(tmp.path(), &five()[..3]);
    let len = fs::metadata(w.path()).unwrap().len();
    let (partial, _) = encode_line(4, ZERO, &note(4, 4, "cut"));
    fs::OpenOptions::new()
        .append(true)
        .open(w.path())
        .unwrap()
        .write_all_bytes(&partial.as_bytes()[..40]);

    let journal = read_journal::<Note>(tmp.path()).unwrap();
    assert_eq!(texts(&journal.entries), ["n1", "n2", "n3"]);
    let file = &journal.report.files[0];
    assert_eq!(
        file.torn_tail,
        Some(TornTail {
            offset: len,
            bytes: 40
        })
    );
    assert!(file.corrupt.is_empty() && file.chain_breaks.is_empty());
    assert_eq!(journal.report.integrity, Integrity::TornTail);
    assert_eq!(journal.report.integrity.to_string(), "torn-tail");
    assert_eq!(
        fs::metadata(w.path()).unwrap().len(),
        len + 40,
        "never truncated"
    );
}

#[test]
fn chain_head_is_the_last_verified_record_and_survives_growth() {
    let tmp = tempfile::tempdir().unwrap();
    let notes = five();
    let mut w = writer_with(tmp.path(), &notes[..3]);
    let receipt3 = w.append(&notes[3]).unwrap();
    let head = |dir: &Path| {
        read_journal::<Note>(dir).unwrap().report.files[0]
            .chain_head
            .clone()
    };
    let four = head(tmp.path()).expect("a head");
    assert_eq!(
        four,
        ChainHead {
            seq: 4,
            sum: receipt3.sum.clone()
        }
    );
    assert_eq!(four.sum.len(), 64);

    // A torn tail does not move the head; a new record does, and the old head is still found
    // at its seq.
    let (partial, _) = encode_line(5, ZERO, &note(9, 9, "cut"));
    fs::OpenOptions::new()
        .append(true)
        .open(w.path())
        .unwrap()
        .write_all_bytes(&partial.as_bytes()[..30]);
    assert_eq!(head(tmp.path()), Some(four.clone()));
    let bytes = fs::read(w.path()).unwrap();
    assert_eq!(chain_sum_at(&bytes, 4), Some(four.sum.clone()));
    assert_eq!(chain_sum_at(&bytes, 5), None);

    // An edited earlier record breaks the chain up to every later record; records before it
    // still check.
    let text = String::from_utf8(bytes).unwrap().replacen("n2", "N2", 1);
    assert_eq!(chain_sum_at(text.as_bytes(), 1).map(|s| s.len()), Some(64));
    assert_eq!(chain_sum_at(text.as_bytes(), 2), None);
    assert_eq!(chain_sum_at(text.as_bytes(), 4), None);

    let empty = tempfile::tempdir().unwrap();
    fs::write(empty.path().join("a.jsonl"), "").unwrap();
    assert_eq!(head(empty.path()), None);
}

trait WriteAllBytes {
    fn write_all_bytes(self, bytes: &[u8]);
}
impl WriteAllBytes for fs::File {
    fn write_all_bytes(mut self, bytes: &[u8]) {
        std::io::Write::write_all(&mut self, bytes).unwrap();
    }
}

#[test]
fn corrupt_line_in_the_middle_is_skipped_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let w = writer_with(tmp.path(), &five());
    let mut bytes = fs::read(w.path()).unwrap();
    let starts = line_starts(&bytes);
    let third = starts[2];
    let at = bytes[third..].windows(2).position(|x| x == b"n3").unwrap() + third;
    bytes[at + 1] = b'X'; // "n3" becomes "nX": the sum no longer matches
    fs::write(w.path(), &bytes).unwrap();

    let journal = read_journal::<Note>(tmp.path()).unwrap();
    assert_eq!(texts(&journal.entries), ["n1", "n2", "n4", "n5"]);
    let file = &journal.report.files[0];
    assert_eq!(file.records, 4);
    assert_eq!(file.corrupt.len(), 1);
    assert_eq!(file.corrupt[0].line, 3);
    assert_eq!(file.corrupt[0].offset, third as u64);
    assert_eq!(file.corrupt[0].reason, CorruptReason::BadChecksum);
    assert!(
        file.chain_breaks.is_empty(),
        "the skipped line explains the gap"
    );
    assert_eq!(file.torn_tail, None);
    assert_eq!(journal.report.integrity, Integrity::Corrupt);
    let json = serde_json::to_value(&journal.report).unwrap();
    assert_eq!(
        json["files"][0]["corrupt"][0]["reason"]["kind"],
        "bad-checksum"
    );
}

#[test]
fn garbage_and_foreign_lines_are_reported_with_their_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let good = encode_file(&five()[..2]);
    let (third, _) = encode_line(3, ZERO, &serde_json::json!({"not": "a note"}));
    let contents = format!("{good}\n{{\"v\":2,\"seq\":1}}\n{third}");
    write(tmp.path(), "x.jsonl", &contents);
    let journal = read_journal::<Note>(tmp.path()).unwrap();
    assert_eq!(texts(&journal.entries), ["n1", "n2"]);
    let reasons: Vec<_> = journal.report.files[0]
        .corrupt
        .iter()
        .map(|c| (c.line, c.reason.clone()))
        .collect();
    assert!(matches!(&reasons[0], (3, CorruptReason::Malformed { .. })));
    assert_eq!(
        reasons[1],
        (
            4,
            CorruptReason::UnsupportedVersion {
                version: "2".into()
            }
        )
    );
    // Verified but not a Note: reported, and its link (to a zero prev) is checked like any other.
    assert!(matches!(&reasons[2], (5, CorruptReason::BadEntry { .. })));
    assert_eq!(
        journal.report.files[0].chain_breaks.len(),
        0,
        "seq 3 follows 2 skipped lines"
    );
}

#[test]
fn chain_breaks_are_detected_and_records_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let notes = five();
    let full = encode_file(&notes);
    let lines: Vec<&str> = full.split_inclusive('\n').collect();

    // Line 2 removed.
    write(
        tmp.path(),
        "removed.jsonl",
        [lines[0], lines[2], lines[3], lines[4]].concat(),
    );
    // Lines 4 and 5 swapped.
    write(
        tmp.path(),
        "swapped.jsonl",
        [lines[0], lines[1], lines[2], lines[4], lines[3]].concat(),
    );
    // First line removed: the file no longer starts at seq 1.
    write(tmp.path(), "headless.jsonl", lines[1..].concat());

    let journal = read_journal::<Note>(tmp.path()).unwrap();
    let file = |name: &str| {
        journal
            .report
            .files
            .iter()
            .find(|f| f.file == name)
            .unwrap()
    };
    let second_offset = lines[0].len() as u64;
    assert_eq!(
        file("removed.jsonl").chain_breaks,
        [ChainBreak {
            line: 2,
            offset: second_offset,
            seq: 3,
            expected_seq: 2,
            prev_mismatch: true
        }]
    );
    assert_eq!(file("removed.jsonl").records, 4);
    let swapped: Vec<_> = file("swapped.jsonl")
        .chain_breaks
        .iter()
        .map(|b| (b.line, b.seq, b.expected_seq))
        .collect();
    assert_eq!(swapped, [(4, 5, 4), (5, 4, 6)]);
    assert_eq!(file("swapped.jsonl").records, 5);
    assert_eq!(file("headless.jsonl").chain_breaks[0].expected_seq, 1);
    assert!(file("headless.jsonl").corrupt.is_empty());
    assert_eq!(journal.report.integrity, Integrity::Corrupt);
    assert_eq!(texts(&journal.entries), ["n1", "n2", "n3", "n4", "n5"]);
}

#[test]
fn temp_files_ignored_conflict_copies_read_and_deduped() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("journal");
    fs::create_dir(&dir).unwrap();
    let notes = five();
    let base = "bob-host-0193abc";
    write(&dir, &format!("{base}.jsonl"), encode_file(&notes[..3]));
    // Syncthing kept the other side's version: the same file with one more record.
    write(
        &dir,
        &format!("{base}.sync-conflict-20261127-101010-ABCDEFG.jsonl"),
        encode_file(&notes[..4]),
    );
    // Dropbox's copy, identical.
    write(
        &dir,
        &format!("{base} (conflicted copy 2026-11-27).jsonl"),
        encode_file(&notes[..3]),
    );
    // Not journal files: hidden, temporary, partial, backup, swap, other extension.
    let other = encode_file(&[note(99, 0, "must not be read")]);
    for name in [
        ".hidden.jsonl",
        "a.jsonl.tmp",
        "a.jsonl.part",
        "a.jsonl~",
        ".a.jsonl.swp",
        "a.json",
        "a.tmp",
    ] {
        write(&dir, name, &other);
    }
    fs::create_dir(dir.join("sub.jsonl")).unwrap();
    write(&dir.join("sub.jsonl"), "inner.jsonl", &other);
    #[cfg(unix)]
    {
        write(tmp.path(), "outside.jsonl", &other);
        std::os::unix::fs::symlink(tmp.path().join("outside.jsonl"), dir.join("link.jsonl"))
            .unwrap();
    }

    let journal = read_journal::<Note>(&dir).unwrap();
    assert_eq!(texts(&journal.entries), ["n1", "n2", "n3", "n4"]);
    assert!(journal.entries.iter().all(|s| s.console == base));
    let report = &journal.report;
    assert_eq!(report.files.len(), 3);
    assert_eq!(report.files.iter().filter(|f| f.conflict_copy).count(), 2);
    assert!(report.files.iter().all(|f| f.console == base));
    assert_eq!(
        (report.records, report.entries, report.duplicates),
        (10, 4, 6)
    );
    assert!(report.conflicts.is_empty());
    assert_eq!(report.integrity, Integrity::Ok);
}

#[test]
fn differing_duplicates_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "a.jsonl",
        encode_file(&[note(1, 0, "original")]),
    );
    write(tmp.path(), "b.jsonl", encode_file(&[note(1, 0, "altered")]));
    let journal = read_journal::<Note>(tmp.path()).unwrap();
    assert_eq!(texts(&journal.entries), ["original"]);
    let conflicts = &journal.report.conflicts;
    assert_eq!(conflicts.len(), 1);
    assert_eq!(
        (conflicts[0].file.as_str(), conflicts[0].line),
        ("b.jsonl", 1)
    );
    assert_eq!(journal.report.integrity, Integrity::Corrupt);
}

#[cfg(unix)]
#[test]
fn files_are_0600_and_created_folders_0700() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let incident = tmp.path().join("incident");
    let dir = incident.join("journal");
    let w = writer_with(&dir, &five()[..1]);
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(w.path()), 0o600);
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&incident), 0o700);
}

#[test]
fn a_writer_never_reuses_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let w = writer_with(tmp.path(), &five()[..1]);
    let again = JournalWriter::create_with_session(tmp.path(), "alice@laptop", SESSION);
    assert_eq!(again.unwrap_err().kind(), std::io::ErrorKind::AlreadyExists);
    let other = JournalWriter::create(tmp.path(), "alice@laptop").unwrap();
    assert_ne!(other.path(), w.path());
    assert_eq!(
        fs::read(w.path()).unwrap().len(),
        encode_file(&five()[..1]).len()
    );
}

#[test]
fn merge_order_is_deterministic_whatever_the_file_order() {
    // Same instant on several consoles, back-dated entries, a conflict copy: the order is
    // (at, console, seq) and nothing else.
    let a = [
        note(1, 10, "a1"),
        note(2, 10, "a2"),
        note(3, 0, "a3 back-dated"),
    ];
    let b = [note(4, 10, "b1"), note(5, 5, "b2"), note(6, 20, "b3")];
    let c = [note(7, 10, "c1")];
    let files: [(&str, String); 4] = [
        ("aa-1.jsonl", encode_file(&a)),
        ("bb-2.jsonl", encode_file(&b)),
        ("bb-2 (conflicted copy).jsonl", encode_file(&b[..2])),
        ("cc-3.jsonl", encode_file(&c)),
    ];
    let expected = ["a3 back-dated", "b2", "a1", "a2", "b1", "c1", "b3"];
    let orders: [[usize; 4]; 4] = [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]];
    let mut results = Vec::new();
    for order in orders {
        let tmp = tempfile::tempdir().unwrap();
        for i in order {
            write(tmp.path(), files[i].0, &files[i].1);
        }
        let journal = read_journal::<Note>(tmp.path()).unwrap();
        assert_eq!(texts(&journal.entries), expected);
        let consoles: Vec<&str> = journal.entries.iter().map(|s| s.console.as_str()).collect();
        assert_eq!(
            consoles,
            ["aa-1", "bb-2", "aa-1", "aa-1", "bb-2", "cc-3", "bb-2"]
        );
        results.push((journal.entries, journal.report));
    }
    assert!(results.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn parallel_read_matches_the_file_by_file_decoder() {
    // Over 2 MiB, so several threads decode blocks; with findings spread across blocks.
    let tmp = tempfile::tempdir().unwrap();
    let text = "x".repeat(150);
    let mut names = Vec::new();
    for f in 0..2u128 {
        let notes: Vec<Note> = (0..6000u128)
            .map(|i| note(f * 100_000 + i, (i as i64 * 7919) % 5000, &text))
            .collect();
        let mut bytes = encode_file(&notes).into_bytes();
        let starts = line_starts(&bytes);
        for line in [10, 3000 + f as usize, 5999] {
            bytes[starts[line] + 30] ^= 0x01;
        }
        bytes.extend_from_slice(b"{\"v\":1,\"seq\":6001,\"prev\"");
        let name = format!("c{f}-0193.jsonl");
        write(tmp.path(), &name, &bytes);
        names.push((name, bytes));
    }
    let journal = read_journal::<Note>(tmp.path()).unwrap();
    assert_eq!(journal.entries.len(), 2 * 5997);
    for ((name, bytes), report) in names.iter().zip(&journal.report.files) {
        let (stored, single) = decode_file::<Note>(name, bytes);
        assert_eq!(&single, report);
        assert_eq!(stored.len(), 5997);
        assert_eq!(
            report.corrupt.iter().map(|c| c.line).collect::<Vec<_>>(),
            [
                11,
                3001 + names.iter().position(|n| &n.0 == name).unwrap() as u64,
                6000
            ]
        );
        assert_eq!(report.torn_tail.unwrap().bytes, 24);
    }
    let mut sorted = journal.entries.clone();
    sorted.sort_by(|x, y| (x.entry.at, &x.console, x.seq).cmp(&(y.entry.at, &y.console, y.seq)));
    assert_eq!(sorted, journal.entries);
}

#[test]
fn file_cursor_sees_appends_and_completes_partial_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("c-1.jsonl");
    let notes = five();
    let full = encode_file(&notes);
    let lines: Vec<&str> = full.split_inclusive('\n').collect();
    let mut cursor = FileCursor::new(&path);
    assert!(
        cursor.poll::<Note>().unwrap().records.is_empty(),
        "not there yet"
    );

    fs::write(&path, lines[..2].concat()).unwrap();
    let polled = cursor.poll::<Note>().unwrap();
    assert!(!polled.restarted);
    assert_eq!(texts(&polled.records), ["n1", "n2"]);
    assert_eq!(polled.records[0].console, "c-1");
    assert!(cursor.poll::<Note>().unwrap().records.is_empty());

    let append = |s: &str| {
        fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all_bytes(s.as_bytes())
    };
    append(&lines[2][..50]);
    assert!(cursor.poll::<Note>().unwrap().records.is_empty());
    assert_eq!(cursor.report().torn_tail.map(|t| t.bytes), Some(50));
    append(&lines[2][50..]);
    append(lines[3]);
    assert_eq!(texts(&cursor.poll::<Note>().unwrap().records), ["n3", "n4"]);
    assert_eq!(cursor.report().torn_tail, None);
    assert_eq!(cursor.report().records, 4);
    assert_eq!(cursor.offset(), lines[..4].concat().len() as u64);
}

#[test]
fn file_cursor_restarts_on_truncate_rename_and_rewrite() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("c-1.jsonl");
    let notes = five();
    fs::write(&path, encode_file(&notes[..3])).unwrap();
    let mut cursor = FileCursor::new(&path);
    assert_eq!(cursor.poll::<Note>().unwrap().records.len(), 3);

    // Truncated and rewritten shorter, same inode.
    fs::write(&path, encode_file(&notes[..1])).unwrap();
    let polled = cursor.poll::<Note>().unwrap();
    assert!(polled.restarted);
    assert_eq!(texts(&polled.records), ["n1"]);

    // Replaced by rename (new inode), longer.
    let tmp_file = tmp.path().join(".c-1.jsonl.tmp");
    fs::write(&tmp_file, encode_file(&notes[..4])).unwrap();
    fs::rename(&tmp_file, &path).unwrap();
    let polled = cursor.poll::<Note>().unwrap();
    assert!(polled.restarted);
    assert_eq!(texts(&polled.records), ["n1", "n2", "n3", "n4"]);

    // Rewritten in place with other, longer contents: caught by the bytes before the offset.
    let other: Vec<Note> = (10..16).map(|i| note(i, 0, &format!("other{i}"))).collect();
    fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .write_all_bytes(encode_file(&other).as_bytes());
    let polled = cursor.poll::<Note>().unwrap();
    assert!(polled.restarted);
    assert_eq!(polled.records.len(), 6);
    assert_eq!(polled.records[0].entry.text, "other10");

    // Deleted: reported missing, nothing returned.
    fs::remove_file(&path).unwrap();
    assert!(cursor.poll::<Note>().unwrap().records.is_empty());
    assert!(cursor.report().missing);
}

#[test]
fn journal_tail_returns_only_new_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let notes = five();
    let mut w = JournalWriter::create_with_session(dir, "a@b", SESSION).unwrap();
    w.append(&notes[0]).unwrap();
    w.append(&notes[1]).unwrap();

    let (mut tail, journal) = JournalTail::<Note>::open(dir).unwrap();
    assert_eq!(texts(&journal.entries), ["n1", "n2"]);
    assert!(tail.poll().entries.is_empty());

    w.append(&notes[2]).unwrap();
    let mut other = JournalWriter::create(dir, "c@d").unwrap();
    other.append(&notes[4]).unwrap();
    let polled = tail.poll();
    assert!(polled.errors.is_empty());
    assert_eq!(texts(&polled.entries), ["n3", "n5"]);

    // A conflict copy of a file brings nothing new; a rename-replace of a file neither.
    fs::copy(
        w.path(),
        dir.join(format!(
            "{}.sync-conflict-20261127-101010-X.jsonl",
            w.console_id()
        )),
    )
    .unwrap();
    let copy = dir.join("replacement.tmp");
    fs::copy(other.path(), &copy).unwrap();
    fs::rename(&copy, other.path()).unwrap();
    assert!(tail.poll().entries.is_empty());
    w.append(&notes[3]).unwrap();
    assert_eq!(texts(&tail.poll().entries), ["n4"]);

    let report = tail.report();
    assert_eq!(report.entries, 5);
    assert_eq!(report.files.len(), 3);
    assert_eq!(report.integrity, Integrity::Ok);

    // A tail that starts empty returns everything on its first poll.
    let mut fresh = JournalTail::<Note>::new(dir);
    assert_eq!(texts(&fresh.poll().entries), ["n1", "n2", "n3", "n4", "n5"]);
}

#[test]
fn the_format_document_example_verifies() {
    let doc = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/journal-format.md"
    ))
    .unwrap();
    let start = doc.find("```jsonl\n").unwrap() + "```jsonl\n".len();
    let example = &doc[start..start + doc[start..].find("```").unwrap()];
    let (stored, report) = decode_file::<Note>("alice-laptop-0193.jsonl", example.as_bytes());
    assert_eq!(report.integrity(), Integrity::Ok);
    let doc_note = |n: u128, secs: i64, text: &str| Note {
        id: Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0000 + n),
        ..note(0, secs, text)
    };
    let expected = [
        doc_note(1, 0, "Incident opened"),
        doc_note(2, 240, "Holding statement sent to press"),
    ];
    let got: Vec<Note> = stored.into_iter().map(|s| s.entry).collect();
    assert_eq!(got, expected);
    assert_eq!(encode_file(&expected), example);
}
