//! The journal's word on damage (issue 9, items 6–7), through the real binary: records tied to
//! their incident, `crisisdesk verify` naming every finding by file, line and kind, `status
//! --json` carrying the same list, and `tail` saying when what it shows is damaged.

use std::fs;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use sha2::{Digest as _, Sha256};

const NOW: &str = "2026-11-27T10:00:00Z";

/// The binary under test; `CRISISDESK_TEST_BIN` runs the tests against another build.
fn bin_path() -> PathBuf {
    std::env::var_os("CRISISDESK_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_crisisdesk")))
}

fn cmd(cwd: &Path) -> Command {
    let mut c = Command::new(bin_path());
    c.current_dir(cwd)
        .env("CRISISDESK_NOW", NOW)
        .env("USER", "tester")
        .env_remove("CRISISDESK_FAULT");
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

fn new_incident(cwd: &Path, title: &str, dir: &str) -> PathBuf {
    let out = cmd(cwd)
        .args(["new", "data-breach", "--title", title, "--dir", dir])
        .args(["--detected-at", "2026-11-27T08:00:00Z"])
        .output()
        .unwrap();
    cwd.join(ok(out).trim())
}

fn log(cwd: &Path, dir: &Path, args: &[&str]) -> String {
    ok(cmd(cwd).arg("log").arg(dir).args(args).output().unwrap())
        .trim()
        .to_owned()
}

fn status(cwd: &Path, dir: &Path) -> Value {
    let out = ok(cmd(cwd)
        .arg("status")
        .arg(dir)
        .arg("--json")
        .output()
        .unwrap());
    serde_json::from_str(&out).unwrap()
}

fn verify(cwd: &Path, dir: &Path, json: bool) -> Output {
    let mut c = cmd(cwd);
    c.arg("verify").arg(dir);
    if json {
        c.arg("--json");
    }
    c.output().unwrap()
}

fn journal_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir.join("journal"))
        .unwrap()
        .map(|e| e.unwrap().path())
        // The journal files, not the lock `log` calls take turns under.
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    v.sort();
    v
}

fn media(s: &Value) -> &Value {
    s["stakeholders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "media")
        .unwrap()
}

fn findings(s: &Value) -> Vec<Value> {
    s["journal"]["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// A record line re-summed after its entry was changed: what an editor who knows the format
/// (or a buggy tool) writes.
fn resum(line: &str, edit: impl Fn(&str) -> String) -> String {
    let (body, _) = line.rsplit_once(r#","sum":""#).unwrap();
    let body = edit(body);
    let sum = Sha256::digest(body.as_bytes());
    let hex: String = sum.iter().map(|b| format!("{b:02x}")).collect();
    format!("{body},\"sum\":\"{hex}\"}}")
}

/// The entries of a journal file.
fn entries(file: &Path) -> Vec<Value> {
    fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["entry"].clone())
        .collect()
}

/// A file of records holding `entries`, chained from the start, as docs/journal-format.md
/// describes.
fn records(entries: &[Value]) -> String {
    let mut prev = "0".repeat(64);
    let mut out = String::new();
    for (i, e) in entries.iter().enumerate() {
        let body = format!(
            r#"{{"v":1,"seq":{},"prev":"{prev}","entry":{}"#,
            i + 1,
            serde_json::to_string(e).unwrap()
        );
        let line = resum(&format!("{body},\"sum\":\"\"}}"), |b| b.to_owned());
        prev = line[line.len() - 66..line.len() - 2].to_owned();
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[test]
fn a_journal_copied_from_another_incident_is_reported_not_folded_in() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    // The other incident is older, so its opening entry comes first in time.
    let other = new_incident(cwd, "Other incident", "other");
    log(
        cwd,
        &other,
        &[
            "sent",
            "--stakeholder",
            "media",
            "--override",
            "test",
            "Statement",
        ],
    );
    let this = new_incident(cwd, "This incident", "this");
    let before = status(cwd, &this);
    assert_eq!(before["journal"]["integrity"], "ok");

    // A sync mix-up: the other incident's journal files land in this one's folder.
    for f in journal_files(&other) {
        fs::copy(&f, this.join("journal").join(f.file_name().unwrap())).unwrap();
    }
    let s = status(cwd, &this);
    assert_eq!(s["incident"]["title"], "This incident", "not renamed");
    assert_eq!(s["incident"]["id"], before["incident"]["id"]);
    assert_eq!(media(&s)["last_sent_at"], Value::Null, "not folded in");
    assert_eq!(s["counts"]["events"], before["counts"]["events"]);
    assert_eq!(s["journal"]["integrity"], "corrupt");
    let f = findings(&s);
    let foreign: Vec<&Value> = f.iter().filter(|f| f["kind"] == "other-incident").collect();
    assert_eq!(foreign.len(), 2, "{f:#?}");
    for x in &foreign {
        assert!(x["file"].as_str().unwrap().ends_with(".jsonl"), "{x}");
        assert!(x["line"].as_u64().unwrap() >= 1, "{x}");
        assert!(
            x["meaning"].as_str().unwrap().contains("another incident"),
            "{x}"
        );
    }

    let out = verify(cwd, &this, false);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(report.contains("other-incident"), "{report}");
    assert!(report.contains(":1:"), "file:line: {report}");
}

#[test]
fn a_second_opening_entry_does_not_rename_the_incident() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let this = new_incident(cwd, "This incident", "this");
    // An opening entry with no incident of its own (as older versions wrote it), dated
    // earlier, in a file of its own.
    let mut opened = entries(&journal_files(&this)[0]).remove(0);
    let e = opened.as_object_mut().unwrap();
    e.remove("incident");
    e["id"] = "0192f000-0000-7000-8000-000000000001".into();
    e["at"] = "2026-11-27T07:00:00Z".into();
    e["event"]["title"] = "Renamed".into();
    fs::write(this.join("journal/zz-other.jsonl"), records(&[opened])).unwrap();

    let s = status(cwd, &this);
    assert_eq!(s["incident"]["title"], "This incident");
    let f = findings(&s);
    assert!(
        f.iter()
            .any(|f| f["kind"] == "second-opening" && f["file"] == "zz-other.jsonl"),
        "{f:#?}"
    );
    assert_eq!(s["journal"]["integrity"], "corrupt");
}

#[test]
fn chain_breaks_and_conflicts_are_counted_and_located() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd, "Chain", "incidents");
    for n in ["one", "two", "three"] {
        log(cwd, &dir, &["note", n]);
    }
    // All entries in one file of 4 records, then the third record cut out: the fourth (now
    // on line 3) breaks the chain.
    let mut all = Vec::new();
    for f in journal_files(&dir) {
        all.extend(entries(&f));
        fs::remove_file(f).unwrap();
    }
    let chained: Vec<String> = records(&all).lines().map(str::to_owned).collect();
    let file = "tester-console-0001.jsonl";
    let cut = [0, 1, 3].map(|i| chained[i].as_str()).join("\n");
    fs::write(dir.join("journal").join(file), cut + "\n").unwrap();
    // A conflict copy of the first two records with the second one's text changed.
    let mut changed = all[..2].to_vec();
    changed[1]["event"]["text"] = "uno".into();
    fs::write(
        dir.join("journal/tester-console-0001.sync-conflict-20261127-101010-ABC.jsonl"),
        records(&changed),
    )
    .unwrap();

    let s = status(cwd, &dir);
    let j = &s["journal"];
    assert_eq!(j["integrity"], "corrupt");
    assert_eq!(j["chain_breaks"], 1, "{j:#}");
    assert_eq!(j["conflicts"], 1, "{j:#}");
    let f = findings(&s);
    assert!(
        f.iter()
            .any(|f| f["kind"] == "chain-break" && f["file"] == file && f["line"] == 3),
        "{f:#?}"
    );
    assert!(
        f.iter().any(|f| f["kind"] == "conflict" && f["line"] == 2),
        "{f:#?}"
    );

    let out = verify(cwd, &dir, false);
    assert_eq!(out.status.code(), Some(3));
    let report = text(&out.stdout);
    assert!(
        report.contains(&format!("{file}:3: chain-break")),
        "{report}"
    );
    let out = verify(cwd, &dir, true);
    assert_eq!(out.status.code(), Some(3));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["integrity"], "corrupt");
    assert_eq!(v["findings"], s["journal"]["findings"], "the same list");
}

#[test]
fn bare_cr_line_endings_are_not_called_a_torn_tail() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd, "CR", "incidents");
    log(cwd, &dir, &["note", "hello"]);
    let files = journal_files(&dir);
    let converted = fs::read(&files[1]).unwrap();
    let converted: Vec<u8> = converted
        .into_iter()
        .map(|b| if b == b'\n' { b'\r' } else { b })
        .collect();
    fs::write(&files[1], converted).unwrap();

    let s = status(cwd, &dir);
    assert_eq!(s["journal"]["torn_tails"], 0);
    assert_eq!(s["journal"]["integrity"], "corrupt");
    let f = findings(&s);
    assert!(f.iter().any(|f| f["kind"] == "cr-line-endings"), "{f:#?}");
    let out = verify(cwd, &dir, false);
    assert_eq!(out.status.code(), Some(3));
    assert!(!text(&out.stdout).contains("torn"), "{}", text(&out.stdout));
}

#[test]
fn a_clean_journal_verifies_with_exit_0() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd, "Clean", "incidents");
    log(cwd, &dir, &["note", "hello"]);
    let out = verify(cwd, &dir, false);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("ok "),
        "{}",
        text(&out.stdout)
    );
    let out = verify(cwd, &dir, true);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["integrity"], "ok");
    assert_eq!(v["findings"], Value::Array(vec![]));
    assert_eq!(v["files"], 2);
    assert_eq!(v["entries"], 2);
    // Not an incident folder: invalid input.
    let out = verify(cwd, cwd, false);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_torn_tail_is_a_finding_but_not_damage() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd, "Torn", "incidents");
    let f = &journal_files(&dir)[0];
    let mut bytes = fs::read(f).unwrap();
    bytes.extend_from_slice(br#"{"v":1,"seq":2,"#);
    fs::write(f, bytes).unwrap();
    let out = verify(cwd, &dir, false);
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(report.contains(":2: torn-tail"), "{report}");
}

#[test]
fn tail_says_when_the_journal_it_shows_is_damaged() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd, "Tail", "incidents");
    log(cwd, &dir, &["note", "hello"]);
    let f = &journal_files(&dir)[1];
    let damaged = fs::read_to_string(f).unwrap().replace("hello", "jello");
    fs::write(f, damaged).unwrap();
    for json in [false, true] {
        let mut c = cmd(cwd);
        c.arg("tail").arg(&dir);
        if json {
            c.arg("--json");
        }
        let mut child = c
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Text: the warning is part of what a reader sees; JSON: on stderr, the stream stays
        // one entry per line.
        let stream: Box<dyn std::io::Read + Send> = if json {
            Box::new(child.stderr.take().unwrap())
        } else {
            Box::new(child.stdout.take().unwrap())
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut seen = Vec::new();
        let found = loop {
            // A guard against a hang, not a speed requirement.
            match rx.recv_timeout(Duration::from_secs(30)) {
                Ok(l) if l.contains("DAMAGED") => break Some(l),
                Ok(l) => seen.push(l),
                Err(_) => break None,
            }
        };
        let _ = child.kill();
        let _ = child.wait();
        let line = found.unwrap_or_else(|| panic!("no damage warning (json {json}): {seen:#?}"));
        assert!(line.contains("bad-checksum"), "{line}");
        assert!(line.contains("crisisdesk verify"), "{line}");
    }
}
