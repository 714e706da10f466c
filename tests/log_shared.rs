//! `crisisdesk log` from one person on one machine: every call continues one journal file
//! under a lock, and kinds that need no state are recorded without folding the incident.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const NOW: &str = "2026-11-27T10:00:00Z";

fn bin(cwd: &Path) -> Command {
    let mut c = Command::cargo_bin("crisisdesk").unwrap();
    c.current_dir(cwd)
        .env("CRISISDESK_NOW", NOW)
        .env("USER", "tester");
    c
}

fn stdout(c: &mut Command) -> String {
    let out = c.assert().success();
    String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .trim()
        .to_owned()
}

fn new_incident(cwd: &Path) -> PathBuf {
    let playbook = Path::new(env!("CARGO_MANIFEST_DIR")).join("playbooks/data-breach.json");
    let out = stdout(bin(cwd).args([
        "new",
        playbook.to_str().unwrap(),
        "--title",
        "Customer records exposed",
        "--detected-at",
        "2026-11-27T08:00:00Z",
    ]));
    cwd.join(out)
}

fn log(cwd: &Path, dir: &Path, args: &[&str]) -> String {
    stdout(bin(cwd).arg("log").arg(dir).args(args))
}

fn journal_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("journal"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    files
}

/// The ids in a `verify --json` run that must find no damage and no incomplete record.
fn verified(cwd: &Path, dir: &Path) -> Value {
    let out = bin(cwd)
        .arg("verify")
        .arg(dir)
        .arg("--json")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["findings"], serde_json::json!([]), "{text}");
    report
}

fn entry_ids(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["entry"]["id"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn many_log_calls_continue_one_file_and_its_chain() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    let opened = journal_files(&dir);
    assert_eq!(opened.len(), 1);
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(log(cwd, &dir, &["note", &format!("update {i}")]));
    }
    // Kinds that fold the incident first go to the same file.
    ids.push(log(cwd, &dir, &["severity", "high", "Regulator", "called"]));
    ids.push(log(cwd, &dir, &["decision", "Notify", "customers"]));
    let files = journal_files(&dir);
    assert_eq!(files.len(), 2, "one file for `new`, one for every `log`");
    let logged = files.iter().find(|f| !opened.contains(f)).unwrap();
    assert_eq!(entry_ids(logged), ids, "every call, in order, in one file");
    let text = std::fs::read_to_string(logged).unwrap();
    for (n, line) in (1..).zip(text.lines()) {
        assert!(
            line.starts_with(&format!("{{\"v\":1,\"seq\":{n},")),
            "{line}"
        );
    }
    verified(cwd, &dir);
    let status: Value =
        serde_json::from_str(&stdout(bin(cwd).arg("status").arg(&dir).arg("--json"))).unwrap();
    assert_eq!(status["counts"]["events"], 15);
    assert_eq!(status["incident"]["severity"], "high");
}

#[test]
fn a_torn_tail_is_left_as_it_is_and_the_next_call_starts_a_new_file() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    let first = log(cwd, &dir, &["note", "before the crash"]);
    let logged = journal_files(&dir)
        .into_iter()
        .find(|f| entry_ids(f).contains(&first))
        .unwrap();
    // What a crash mid-append leaves: part of a record, no newline.
    let mut bytes = std::fs::read(&logged).unwrap();
    bytes.extend_from_slice(b"{\"v\":1,\"seq\":2,\"prev\":\"00");
    std::fs::write(&logged, &bytes).unwrap();
    let second = log(cwd, &dir, &["note", "after the crash"]);
    let third = log(cwd, &dir, &["note", "and on"]);
    assert_eq!(
        std::fs::read(&logged).unwrap(),
        bytes,
        "the torn file is left alone"
    );
    assert_eq!(journal_files(&dir).len(), 3);
    let out = bin(cwd)
        .arg("verify")
        .arg(&dir)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "a torn tail is not damage");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["torn-tail"]);
    let status: Value =
        serde_json::from_str(&stdout(bin(cwd).arg("status").arg(&dir).arg("--json"))).unwrap();
    assert_eq!(status["counts"]["events"], 4);
    let all: HashSet<String> = journal_files(&dir)
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .unwrap()
                .lines()
                .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                .map(|v| v["entry"]["id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(all.contains(&first) && all.contains(&second) && all.contains(&third));
}

#[test]
fn concurrent_log_processes_never_interleave_and_lose_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    let exe = assert_cmd::cargo::cargo_bin("crisisdesk");
    let writers: Vec<std::thread::JoinHandle<Vec<String>>> = (0..4)
        .map(|w| {
            let (exe, cwd, dir) = (exe.clone(), cwd.to_owned(), dir.clone());
            std::thread::spawn(move || {
                (0..10)
                    .map(|i| {
                        let out = std::process::Command::new(&exe)
                            .current_dir(&cwd)
                            .env("CRISISDESK_NOW", NOW)
                            .env("USER", "tester")
                            .arg("log")
                            .arg(&dir)
                            .args(["note", &format!("writer {w} line {i} {}", "x".repeat(3000))])
                            .output()
                            .unwrap();
                        assert!(out.status.success());
                        String::from_utf8(out.stdout).unwrap().trim().to_owned()
                    })
                    .collect()
            })
        })
        .collect();
    let acknowledged: HashSet<String> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert_eq!(acknowledged.len(), 40);
    // Every line of every file is a whole record (verify finds no corrupt line, no chain
    // break, no torn tail), and every acknowledged entry is there.
    verified(cwd, &dir);
    let recorded: HashSet<String> = journal_files(&dir)
        .iter()
        .flat_map(|f| entry_ids(f))
        .collect();
    assert!(acknowledged.is_subset(&recorded));
    // Waiting for the lock is the rule; a new file only if it is held for seconds.
    assert!(journal_files(&dir).len() <= 3, "{:?}", journal_files(&dir));
}

#[test]
fn a_note_is_checked_without_folding_the_incident() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    // Take the opening away: the incident can no longer be folded, so kinds that need its
    // state are refused, but a note needs none and is still recorded.
    for f in journal_files(&dir) {
        std::fs::remove_file(f).unwrap();
    }
    let id = log(cwd, &dir, &["note", "Recorded", "all", "the", "same"]);
    let out = bin(cwd)
        .arg("log")
        .arg(&dir)
        .args(["severity", "high"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no \"incident opened\" entry"));
    let files = journal_files(&dir);
    assert_eq!(files.len(), 1);
    assert_eq!(entry_ids(&files[0]), [id]);
}

#[test]
fn a_note_still_follows_the_rules_that_need_the_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    // A retry with the same key finds the first call's entry.
    let first = log(cwd, &dir, &["note", "--key", "k1", "once"]);
    assert_eq!(log(cwd, &dir, &["note", "--key", "k1", "once"]), first);
    let err = bin(cwd)
        .arg("log")
        .arg(&dir)
        .args(["decision", "--key", "k1", "other"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&err.stderr).contains("already used for a note"));
    // A future time is refused without the fold too.
    let future = bin(cwd)
        .arg("log")
        .arg(&dir)
        .args(["note", "--at", "2026-11-27T11:00:00Z", "later"])
        .output()
        .unwrap();
    assert_eq!(future.status.code(), Some(2));
    // A closed incident takes no more notes, whoever closed it.
    log(cwd, &dir, &["close", "Stood", "down"]);
    let closed = bin(cwd)
        .arg("log")
        .arg(&dir)
        .args(["note", "late"])
        .output()
        .unwrap();
    assert_eq!(closed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&closed.stderr).contains("closed"));
    let status: Value =
        serde_json::from_str(&stdout(bin(cwd).arg("status").arg(&dir).arg("--json"))).unwrap();
    assert_eq!(status["counts"]["events"], 3);
}

#[test]
fn exercise_controls_and_log_calls_share_the_file_too() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let at = |c: &mut Command, now: &str| {
        c.env("CRISISDESK_NOW", now);
    };
    let mut create = bin(cwd);
    at(&mut create, "2026-03-02T09:00:00Z");
    let out = stdout(create.args([
        "exercise",
        "data-breach",
        "--title",
        "Drill",
        "--speed",
        "10",
        "--scenario-start",
        "2026-03-06 17:00",
    ]));
    let dir = cwd.join(out.lines().last().unwrap());
    let created = journal_files(&dir);
    for (args, now) in [
        (vec!["exercise", "start"], "2026-03-02T09:10:00Z"),
        (vec!["exercise", "deliver"], "2026-03-02T09:13:00Z"),
        (vec!["exercise", "pause"], "2026-03-02T09:14:00Z"),
        (
            vec!["log", "PLACE", "note", "Drill", "note"],
            "2026-03-02T09:15:00Z",
        ),
        (vec!["exercise", "resume"], "2026-03-02T09:16:00Z"),
    ] {
        let mut c = bin(cwd);
        at(&mut c, now);
        let mut args: Vec<&str> = args;
        match args.iter().position(|a| *a == "PLACE") {
            Some(i) => args[i] = dir.to_str().unwrap(),
            None => args.push(dir.to_str().unwrap()),
        }
        stdout(c.args(&args));
    }
    let files = journal_files(&dir);
    assert_eq!(files.len(), created.len() + 1, "{files:?}");
    verified(cwd, &dir);
}
