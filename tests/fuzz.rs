//! Property-based "fuzz" tests over every parser of outside input: playbook bytes, journal
//! lines, inbox items (the parser and a whole pass), MSEL spreadsheets, durations, times and
//! the console's `:` command line. Inputs are arbitrary, or valid ones mutated (bytes
//! flipped, inserted, deleted, cut, repeated). Each must be taken or refused without a panic,
//! and every refusal must name its place (line and column, JSON pointer, row, or the input).
//!
//! `cargo test` runs a bounded number of cases per property. For a long local run:
//!
//! ```sh
//! CRISISDESK_FUZZ_CASES=20000 cargo test --release --test fuzz
//! ```
//!
//! A failing case is shrunk by proptest and saved under `proptest-regressions/`, so that it is
//! tried first on every later run.

mod common;

use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration as StdDuration, SystemTime};

use proptest::prelude::*;

use crisisdesk::inbox;
use crisisdesk::incident::event::Event;
use crisisdesk::journal::{JournalWriter, decode_file};
use crisisdesk::playbook::calendar::Calendar;
use crisisdesk::playbook::duration::Duration;

/// Cases per property: `CRISISDESK_FUZZ_CASES`, else `default` (kept small for `cargo test`).
fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("CRISISDESK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases: n,
        max_shrink_iters: 2_000,
        ..ProptestConfig::default()
    }
}

/// One change to a valid input; positions wrap around its length.
#[derive(Clone, Debug)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Cut(usize),
    Repeat(usize, usize),
}

/// Bytes that matter to the formats: JSON punctuation, line ends, NUL, invalid UTF-8, bidi.
fn interesting() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 1..8),
        prop::sample::select(vec![
            b"\"".to_vec(),
            b"{".to_vec(),
            b"}".to_vec(),
            b"[".to_vec(),
            b"]".to_vec(),
            b",".to_vec(),
            b":".to_vec(),
            b"\\".to_vec(),
            b"\n".to_vec(),
            b"\r".to_vec(),
            b"\r\n".to_vec(),
            b"\0".to_vec(),
            b"\xff\xfe".to_vec(),
            "\u{202e}".as_bytes().to_vec(),
            "\u{9b}".as_bytes().to_vec(),
            b"null".to_vec(),
            b"-1".to_vec(),
            b"1e999".to_vec(),
            b"99999999999999999999".to_vec(),
            b"\"\\u0000\"".to_vec(),
            b"\"\\ud800\"".to_vec(),
        ]),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Mutation::Flip(p, b)),
        3 => (any::<usize>(), interesting()).prop_map(|(p, b)| Mutation::Insert(p, b)),
        2 => (any::<usize>(), 1usize..64).prop_map(|(p, n)| Mutation::Delete(p, n)),
        1 => any::<usize>().prop_map(Mutation::Cut),
        1 => (any::<usize>(), 1usize..256).prop_map(|(p, n)| Mutation::Repeat(p, n)),
    ]
}

fn mutate(seed: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for m in mutations {
        let at = |p: usize, len: usize| if len == 0 { 0 } else { p % (len + 1) };
        match m {
            Mutation::Flip(p, b) if !v.is_empty() => {
                let i = p % v.len();
                v[i] ^= b | 1;
            }
            Mutation::Flip(..) => {}
            Mutation::Insert(p, bytes) => {
                let i = at(*p, v.len());
                v.splice(i..i, bytes.iter().copied());
            }
            Mutation::Delete(p, n) => {
                let i = at(*p, v.len());
                let end = (i + n).min(v.len());
                v.drain(i..end);
            }
            Mutation::Cut(p) => {
                let i = at(*p, v.len());
                v.truncate(i);
            }
            Mutation::Repeat(p, n) => {
                let i = at(*p, v.len());
                let end = (i + n).min(v.len());
                let chunk = v[i..end].to_vec();
                v.splice(end..end, chunk);
            }
        }
    }
    v
}

/// A valid input from `seeds`, mutated 0–8 times.
fn mutated(seeds: &'static [Vec<u8>]) -> impl Strategy<Value = Vec<u8>> {
    (0..seeds.len(), prop::collection::vec(mutation(), 0..8))
        .prop_map(move |(i, m)| mutate(&seeds[i], &m))
}

// ---- seeds --------------------------------------------------------------------------------

fn playbook_seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        crisisdesk::playbook::catalog::SHIPPED
            .iter()
            .map(|(_, text)| text.as_bytes().to_vec())
            .collect()
    })
}

/// A journal file as a console writes it: the fixture incident's entries.
fn journal_seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let mut w =
            JournalWriter::create_with_session(tmp.path(), "anna@fuzz", uuid::Uuid::from_u128(1))
                .unwrap();
        let mut bytes = Vec::new();
        for (n, s) in common::fixture_journal(false).events.iter().enumerate() {
            w.append(&s.entry).unwrap();
            if n == 3 {
                // A short file too, so that mutations often hit the envelope.
                bytes.push(std::fs::read(w.path()).unwrap());
            }
        }
        bytes.push(std::fs::read(w.path()).unwrap());
        bytes
    })
}

fn item_seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        [
            r#"{"kind": "media_inquiry", "from": "Reuters", "journalist": "Jan Kowalski", "text": "How many customers are affected?", "respond_within": "2h"}"#,
            r#"{"kind": "media_mention", "source": "X / @citynews", "url": "https://x.example/citynews/1", "text": "Reports of a data leak", "sentiment": "negative"}"#,
            r#"{"kind": "stakeholder_request", "stakeholder": "dpa", "text": "Please send the timeline", "respond_within": "24h", "author": "dpa-portal"}"#,
            r#"{"kind": "note", "text": "Monitoring: call volume doubled", "at": "2026-11-27T09:00:00Z"}"#,
            r#"{"kind": "approval", "message": "4eabc561", "role": "legal", "decision": "approve", "comment": "Cleared"}"#,
            r#"{"kind": "approval", "message": "4eabc561", "role": "legal", "decision": "object"}"#,
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect()
    })
}

fn msel_seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let pb = crisisdesk::playbook::parse(
            "data-breach.json",
            common::data_breach_source().as_bytes(),
            None,
        )
        .unwrap();
        vec![crisisdesk::exercise::msel::write(&pb.playbook.injects).into_bytes()]
    })
}

// ---- properties ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(cases(48))]

    /// Playbook bytes: loaded or refused; every error has a line and column, a JSON pointer,
    /// or is about the file as a whole (empty, UTF-16, too big).
    #[test]
    fn playbooks_are_loaded_or_refused_with_a_place(bytes in mutated(playbook_seeds())) {
        if let Err(e) = crisisdesk::playbook::parse("p.json", &bytes, None) {
            let errors: Vec<_> = e.problems.iter().filter(|p| p.is_error()).collect();
            prop_assert!(!errors.is_empty(), "a refusal says why");
            for p in errors {
                let whole_file = ["empty", "UTF-16", "larger"].iter().any(|w| p.message.contains(w));
                prop_assert!(
                    p.position.is_some() || !p.path.is_empty() || whole_file,
                    "no place: {}", p.display("p.json")
                );
                prop_assert!(p.display("p.json").to_string().starts_with("p.json"));
            }
        }
    }
}

proptest! {
    #![proptest_config(cases(256))]

    /// Journal bytes: every complete line is a record or a reported skipped line (with its
    /// number), and the bytes after the last newline are reported; nothing vanishes.
    #[test]
    fn journal_lines_are_read_or_reported_by_line(bytes in mutated(journal_seeds())) {
        let (entries, report) = decode_file::<Event>("f.jsonl", &bytes);
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        prop_assert_eq!(entries.len() as u64, report.records);
        prop_assert_eq!(report.records + report.corrupt.len() as u64, lines);
        for c in &report.corrupt {
            prop_assert!(c.line >= 1 && c.line <= lines, "line {} of {}", c.line, lines);
        }
        for b in &report.chain_breaks {
            prop_assert!(b.line >= 1 && b.line <= lines);
        }
        let tail = bytes.len() - bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let reported = report.torn_tail.or(report.cr_line_endings).map_or(0, |t| t.bytes);
        prop_assert_eq!(reported, tail as u64);
        for f in report_findings(&report) {
            prop_assert!(f.line.is_some(), "{:?}", f);
        }
    }

    /// Arbitrary bytes as a journal file.
    #[test]
    fn arbitrary_bytes_as_a_journal_file(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let (_, report) = decode_file::<Event>("f.jsonl", &bytes);
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        prop_assert_eq!(report.records + report.corrupt.len() as u64, lines);
    }

    /// Inbox item bytes: an item, cut short (waited for), or refused with line and column.
    #[test]
    fn inbox_items_are_read_or_refused_with_a_place(bytes in mutated(item_seeds())) {
        match inbox::parse(&bytes) {
            Ok(_) => {}
            Err(why) => prop_assert!(
                why.contains("not UTF-8 text (byte ")
                    || (why.contains(" line ") && why.contains(" column "))
                    || why.contains("\"kind\": "),
                "{}", why
            ),
        }
    }

    /// MSEL spreadsheets: injects, or problems each on a row.
    #[test]
    fn msel_sheets_are_read_or_refused_by_row(bytes in mutated(msel_seeds())) {
        if let Err(problems) = crisisdesk::exercise::msel::read(&bytes, common::data_breach_source()) {
            prop_assert!(!problems.is_empty());
            for p in problems {
                prop_assert!(p.row >= 1, "{:?}", p);
            }
        }
    }

    /// Durations: parsed (and written back the same), or refused naming the input.
    #[test]
    fn durations_parse_or_name_the_input(s in duration_text()) {
        match s.parse::<Duration>() {
            Ok(d) => {
                let again: Duration = d.to_string().parse().expect("a written duration reads back");
                prop_assert_eq!(again, d);
            }
            Err(e) => prop_assert!(e.to_string().contains(s.trim()), "{}", e),
        }
    }

    /// Times: read in the playbook's zone, before the year 9000, or refused naming the input.
    #[test]
    fn times_parse_or_name_the_input(s in time_text()) {
        let cal = Calendar::from_iana("Europe/Berlin", []).unwrap();
        match crisisdesk::incident::time::parse_time(&s, &cal) {
            Ok(t) => prop_assert!(t < crisisdesk::clock::latest()),
            Err(e) => prop_assert!(e.to_string().contains(&s), "{}", e),
        }
    }
}

fn report_findings(report: &crisisdesk::journal::FileReport) -> Vec<crisisdesk::journal::Finding> {
    crisisdesk::journal::JournalReport {
        integrity: report.integrity(),
        records: report.records,
        entries: report.records,
        duplicates: 0,
        conflicts: Vec::new(),
        files: vec![report.clone()],
    }
    .findings()
}

fn duration_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{0,12}(mo|w|bd|d|h|m|s|y|min|H|D)?([0-9]{0,6}(mo|w|bd|d|h|m|s))?",
        "P(T?[0-9]{0,6}[YMWDHS]){0,4}",
        "[ -~]{0,24}",
        any::<String>(),
    ]
}

fn time_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?",
        "[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}T[0-9]{1,3}:[0-9]{1,3}:[0-9]{1,3}Z",
        "[ -~]{0,32}",
        any::<String>(),
    ]
}

// ---- a whole inbox pass, and the console's `:` line ----------------------------------------

proptest! {
    #![proptest_config(cases(24))]

    /// A whole pass over a dropped item: it is taken in or refused (with a note saying why),
    /// and leaves the inbox either way.
    #[test]
    fn inbox_passes_take_or_refuse_every_item(bytes in mutated(item_seeds())) {
        let (_tmp, dir) = incident();
        let path = dir.join("inbox/item.json");
        std::fs::write(&path, &bytes).unwrap();
        let f = std::fs::File::options().append(true).open(&path).unwrap();
        f.set_modified(SystemTime::now() - StdDuration::from_secs(120)).unwrap();
        drop(f);
        let mut console = crisisdesk::store::IncidentDir::open(&dir, "fuzz@test").unwrap();
        let now: jiff::Timestamp = "2026-11-27T12:00:00Z".parse().unwrap();
        let r = inbox::process(&mut console, now);
        prop_assert!(r.problems.is_empty(), "{:?}", r.problems);
        prop_assert_eq!(r.ingested.len() + r.rejected.len(), 1, "{:?}", r);
        prop_assert!(!path.exists());
        for (_, why) in &r.rejected {
            prop_assert!(!why.trim().is_empty());
            prop_assert!(dir.join("inbox/rejected/item.json.error.txt").is_file());
        }
    }

    /// The console's `:` line: any words are recorded, refused with a message, or open a
    /// question; never a panic.
    #[test]
    fn command_lines_are_recorded_or_refused(line in command_line()) {
        let mut app = common::incident_app(common::fixture(false));
        app.handle(common::ch(':'));
        common::type_str(&mut app, &line);
        let effects = app.handle(common::key(crossterm::event::KeyCode::Enter));
        prop_assert!(
            !effects.is_empty() || app.overlay.is_some() || app.notice.is_some(),
            "nothing said about {:?}", line
        );
        let _ = common::screen(&app, 80, 24);
    }
}

/// A fresh incident folder (the shipped data-breach playbook), detected at 08:00.
fn incident() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let loaded = crisisdesk::playbook::parse(
        "data-breach.json",
        common::data_breach_source().as_bytes(),
        None,
    )
    .unwrap();
    let detected: jiff::Timestamp = "2026-11-27T08:00:00Z".parse().unwrap();
    let new = crisisdesk::store::NewIncident {
        playbook: &loaded,
        title: "Fuzz",
        severity: "low",
        detected_at: detected,
        exercise: false,
    };
    let dir = crisisdesk::store::IncidentDir::create(
        tmp.path(),
        &new,
        "fuzz@test",
        uuid::Uuid::from_u128(7),
        detected,
    )
    .unwrap();
    let path = dir.path().to_path_buf();
    assert!(Path::new(&path).join("inbox").is_dir());
    (tmp, path)
}

fn command_line() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        prop::sample::select(vec![
            "note",
            "decision",
            "fact",
            "milestone",
            "severity",
            "draft",
            "edit",
            "approve",
            "object",
            "sent",
            "inquiry",
            "request",
            "mention",
            "answer",
            "action",
            "done",
            "lesson",
            "amend",
            "retract",
            "close",
            "--at",
            "--stakeholder",
            "media",
            "dpa",
            "--template",
            "media-holding",
            "--fill",
            "x=1",
            "--role",
            "legal",
            "--override",
            "--message",
            "--within",
            "2h",
            "--due",
            "4h",
            "\"2026-11-27 10:00\"",
            "--from",
            "BBC",
            "--kind",
            "well",
            "--unconfirmed",
            "--new-at",
            "public",
            "high",
            "\"quoted text\"",
            "'single quoted'",
            "\"unbalanced",
            "--",
            "-x",
            "help",
            "c1d2e3f4",
            "0000000000000001",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z0-9_=.:/-]{1,12}",
        "[^\\x00-\\x1f\\x7f]{1,8}",
    ];
    prop::collection::vec(word, 0..8).prop_map(|w| w.join(" "))
}
