//! Real processes on one journal folder: concurrent writers, and writers killed with SIGKILL.
//!
//! `harness = false`: the binary re-executes itself as the writer process. With
//! `--child-writer DIR N` it appends N entries to DIR and prints each id to stdout once
//! `append` has returned Ok (i.e. once the entry is durable); otherwise it runs the scenarios
//! (optionally only those whose name contains an argument) and exits non-zero on failure.

mod journal_common;

use std::collections::HashSet;
use std::io::{Read as _, Write as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crisisdesk::journal::{Integrity, JournalWriter, read_journal};
use journal_common::{Note, ts};
use uuid::Uuid;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child-writer") {
        let count = args[2].parse().expect("N");
        child_writer(Path::new(&args[1]), count);
        return;
    }
    if args.first().map(String::as_str) == Some("--child-shared-writer") {
        let count = args[2].parse().expect("N");
        child_shared_writer(Path::new(&args[1]), count);
        return;
    }
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let scenarios: [(&str, fn()); 3] = [
        (
            "two_processes_append_at_the_same_time",
            two_processes_append_at_the_same_time,
        ),
        (
            "kill_9_loop_loses_nothing_saved",
            kill_9_loop_loses_nothing_saved,
        ),
        (
            "shared_writers_take_turns_and_survive_kill_9",
            shared_writers_take_turns_and_survive_kill_9,
        ),
    ];
    let (mut passed, mut failed) = (0, 0);
    for (name, scenario) in scenarios {
        if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        let started = Instant::now();
        let ok = std::panic::catch_unwind(scenario).is_ok();
        let verdict = if ok { "ok" } else { "FAILED" };
        println!(
            "test {name} ... {verdict} ({:.1} s)",
            started.elapsed().as_secs_f64()
        );
        if ok {
            passed += 1;
        } else {
            failed += 1;
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        std::process::exit(1);
    }
}

/// The writer process. Runs until it has appended `count` entries or is killed.
fn child_writer(dir: &Path, count: u64) {
    let pid = std::process::id();
    let mut writer = JournalWriter::create(dir, &format!("child{pid}@test")).expect("create");
    let mut out = std::io::stdout().lock();
    for i in 0..count {
        let note = Note {
            id: Uuid::now_v7(),
            at: ts(i as i64),
            text: format!("entry {i} from process {pid}"),
        };
        writer.append(&note).expect("append");
        writeln!(out, "{}", note.id).expect("stdout");
        out.flush().expect("stdout");
    }
}

/// A writer like `crisisdesk log` calls: each entry through a new [`JournalWriter::shared`]
/// (lock, continue the person's file, append, release), all as the same person.
fn child_shared_writer(dir: &Path, count: u64) {
    let pid = std::process::id();
    let mut out = std::io::stdout().lock();
    for i in 0..count {
        let note = Note {
            id: Uuid::now_v7(),
            at: ts(i as i64),
            text: format!("entry {i} from process {pid}"),
        };
        let mut writer = JournalWriter::shared(dir, "same@person").expect("shared");
        writer.append(&note).expect("append");
        drop(writer);
        writeln!(out, "{}", note.id).expect("stdout");
        out.flush().expect("stdout");
    }
}

fn spawn_shared_writer(dir: &Path, count: u64) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .arg("--child-shared-writer")
        .arg(dir)
        .arg(count.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn writer")
}

/// Two processes of one person append at once, turn by turn on one file, and are killed with
/// SIGKILL at varying moments: every acknowledged entry reads back, no line is ever two
/// records run together or a record glued to a torn one, and the chain never breaks.
fn shared_writers_take_turns_and_survive_kill_9() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("journal");
    // Uninterrupted first: 2 × 300 entries, one file, one unbroken chain.
    let children = [
        spawn_shared_writer(&dir, 300),
        spawn_shared_writer(&dir, 300),
    ];
    let mut saved = HashSet::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        saved.extend(saved_ids(&output.stdout));
    }
    assert_eq!(saved.len(), 600);
    let journal = read_journal::<Note>(&dir).unwrap();
    assert_eq!(journal.report.integrity, Integrity::Ok);
    assert_eq!(journal.report.files.len(), 1, "{:?}", journal.report.files);
    assert_eq!(journal.entries.len(), 600);

    let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
    for round in 0..30 {
        let mut pair = [
            spawn_shared_writer(&dir, u64::MAX),
            spawn_shared_writer(&dir, u64::MAX),
        ];
        let readers: Vec<_> = pair
            .iter_mut()
            .map(|c| {
                let mut stdout = c.stdout.take().unwrap();
                std::thread::spawn(move || {
                    let mut buf = Vec::new();
                    stdout.read_to_end(&mut buf).unwrap();
                    buf
                })
            })
            .collect();
        for child in &mut pair {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            std::thread::sleep(Duration::from_micros(2_000 + rng % 30_000));
            child.kill().unwrap();
            child.wait().unwrap();
        }
        for r in readers {
            saved.extend(saved_ids(&r.join().unwrap()));
        }
        let journal = read_journal::<Note>(&dir).unwrap();
        let read: HashSet<Uuid> = journal.entries.iter().map(|s| s.entry.id).collect();
        let lost: Vec<_> = saved.difference(&read).collect();
        assert!(
            lost.is_empty(),
            "round {round}: saved but not read back: {lost:?}"
        );
        for file in &journal.report.files {
            assert!(file.corrupt.is_empty(), "round {round}: {file:?}");
            assert!(file.chain_breaks.is_empty(), "round {round}: {file:?}");
        }
        assert_ne!(journal.report.integrity, Integrity::Corrupt);
    }
    let files = read_journal::<Note>(&dir).unwrap().report.files.len();
    println!(
        "    {} entries saved across 60 kills of two processes taking turns; {files} files",
        saved.len()
    );
}

fn spawn_writer(dir: &Path, count: u64) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .arg("--child-writer")
        .arg(dir)
        .arg(count.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn writer")
}

/// Ids on complete lines of a child's stdout: a line cut by the kill does not count.
fn saved_ids(stdout: &[u8]) -> Vec<Uuid> {
    let text = std::str::from_utf8(stdout).unwrap();
    let complete = &text[..text.rfind('\n').map_or(0, |i| i + 1)];
    complete.lines().map(|l| l.parse().expect("uuid")).collect()
}

fn two_processes_append_at_the_same_time() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("journal");
    std::fs::create_dir(&dir).unwrap();
    let children = [spawn_writer(&dir, 2000), spawn_writer(&dir, 2000)];
    let mut printed = HashSet::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        let ids = saved_ids(&output.stdout);
        assert_eq!(ids.len(), 2000);
        printed.extend(ids);
    }
    assert_eq!(printed.len(), 4000);

    let journal = read_journal::<Note>(&dir).unwrap();
    assert_eq!(journal.entries.len(), 4000);
    let read: HashSet<Uuid> = journal.entries.iter().map(|s| s.entry.id).collect();
    assert_eq!(read, printed, "no loss, no strangers");
    let report = &journal.report;
    assert_eq!((report.records, report.duplicates), (4000, 0));
    assert_eq!(report.integrity, Integrity::Ok);
    assert_eq!(report.files.len(), 2);
    assert!(report.files.iter().all(|f| f.records == 2000));
    // Entries of the two processes interleave by time, then console, then seq.
    let keys: Vec<_> = journal
        .entries
        .iter()
        .map(|s| (s.entry.at, s.console.clone(), s.seq))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]));
}

fn kill_9_loop_loses_nothing_saved() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("journal");
    let mut saved = HashSet::new();
    let mut torn = 0;
    // A fixed xorshift: kill moments vary, reproducibly.
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    for round in 0..60 {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let mut child = spawn_writer(&dir, u64::MAX);
        let mut stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            stdout.read_to_end(&mut buf).unwrap();
            buf
        });
        std::thread::sleep(Duration::from_micros(3_000 + rng % 60_000));
        child.kill().unwrap(); // SIGKILL on unix
        child.wait().unwrap();
        saved.extend(saved_ids(&reader.join().unwrap()));

        let journal = read_journal::<Note>(&dir).unwrap();
        let read: HashSet<Uuid> = journal.entries.iter().map(|s| s.entry.id).collect();
        let lost: Vec<_> = saved.difference(&read).collect();
        assert!(
            lost.is_empty(),
            "round {round}: saved but not read back: {lost:?}"
        );
        for file in &journal.report.files {
            assert!(file.corrupt.is_empty(), "round {round}: {file:?}");
            assert!(file.chain_breaks.is_empty(), "round {round}: {file:?}");
        }
        assert_ne!(journal.report.integrity, Integrity::Corrupt);
        torn = journal
            .report
            .files
            .iter()
            .filter(|f| f.torn_tail.is_some())
            .count();
    }
    assert!(
        saved.len() > 60,
        "the writers got to write: {}",
        saved.len()
    );
    println!(
        "    {} entries saved across 60 kills; {torn} files with a torn tail",
        saved.len()
    );
}
