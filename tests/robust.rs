//! Output, input and environment (issue 9, items 8–11), through the real binary: closed and
//! full outputs, retried `log` calls, control characters in JSON, bad clocks, times past the
//! calendar, no terminal, pipes where files were expected, oversize entries, zero cadences.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;

const NOW: &str = "2026-11-27T10:00:00Z";

/// The binary under test; `CRISISDESK_TEST_BIN` runs the tests against another build.
fn bin_path() -> PathBuf {
    std::env::var_os("CRISISDESK_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_crisisdesk")))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cmd(cwd: &Path) -> Command {
    let mut c = Command::new(bin_path());
    c.current_dir(cwd)
        .env("CRISISDESK_NOW", NOW)
        .env("USER", "tester")
        .env("RUST_BACKTRACE", "0")
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

fn new_incident(cwd: &Path, title: &str) -> PathBuf {
    let out = cmd(cwd)
        .args(["new", "data-breach", "--title", title])
        .args(["--detected-at", "2026-11-27T08:00:00Z"])
        .output()
        .unwrap();
    cwd.join(ok(out).trim())
}

fn journal_text(dir: &Path) -> String {
    let mut all = String::new();
    for e in fs::read_dir(dir.join("journal")).unwrap() {
        all.push_str(&fs::read_to_string(e.unwrap().path()).unwrap());
    }
    all
}

/// Runs `c` with standard output going to /dev/full.
fn to_full(c: &mut Command) -> Output {
    c.stdout(fs::File::create("/dev/full").unwrap())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

/// Runs `c` with standard output a pipe nobody reads (its reader already gone).
fn to_closed_pipe(c: &mut Command) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    c.stdout(writer).stderr(Stdio::piped()).output().unwrap()
}

fn fails_cleanly(out: &Output, what: &str) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{what}: {stderr}");
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert!(stderr.contains("cannot write the "), "{what}: {stderr}");
}

#[test]
fn closed_or_full_output_is_a_clean_failure_never_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd, "Output");
    let playbook = root().join("playbooks/data-breach.json");
    let cases: Vec<(&str, Vec<&std::ffi::OsStr>)> = vec![
        ("status", vec!["status".as_ref(), dir.as_os_str()]),
        (
            "status --json",
            vec!["status".as_ref(), dir.as_os_str(), "--json".as_ref()],
        ),
        ("schema", vec!["schema".as_ref()]),
        ("msel", vec!["msel".as_ref(), "data-breach".as_ref()]),
        ("validate", vec!["validate".as_ref(), playbook.as_os_str()]),
        ("verify", vec!["verify".as_ref(), dir.as_os_str()]),
        ("report", vec!["report".as_ref(), dir.as_os_str()]),
        ("start screen", vec![]),
    ];
    for (what, args) in &cases {
        fails_cleanly(
            &to_full(cmd(cwd).args(args)),
            &format!("{what} > /dev/full"),
        );
        fails_cleanly(
            &to_closed_pipe(cmd(cwd).args(args)),
            &format!("{what} | (closed)"),
        );
    }
    // `log` saves the entry, then says it could not print its id: exit 1, and it says the
    // entry was recorded so that a retry (with --key) does not record it twice.
    let out = to_full(cmd(cwd).arg("log").arg(&dir).args(["note", "SAVED ONCE"]));
    fails_cleanly(&out, "log > /dev/full");
    assert!(
        text(&out.stderr).contains("recorded"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(journal_text(&dir).matches("SAVED ONCE").count(), 1);
}

#[test]
fn a_log_key_makes_retries_safe() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd, "Keys");
    let log = |args: &[&str]| cmd(cwd).arg("log").arg(&dir).args(args).output().unwrap();
    let first = ok(log(&["note", "RETRIED", "--key", "job-17"]));
    // The retry after a lost answer (here: a full disk on the first try's output).
    let lost = to_full(
        cmd(cwd)
            .arg("log")
            .arg(&dir)
            .args(["note", "RETRIED", "--key", "job-18"]),
    );
    assert_eq!(lost.status.code(), Some(1));
    let again = ok(log(&["note", "RETRIED", "--key", "job-17"]));
    assert_eq!(first, again, "the first id again");
    let retried = ok(log(&["note", "RETRIED", "--key", "job-18"]));
    assert_eq!(
        journal_text(&dir).matches("RETRIED").count(),
        2,
        "{retried}"
    );
    // The same key for another kind of entry is a mistake, not a retry.
    let out = log(&["decision", "other", "--key", "job-17"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("job-17"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn json_output_escapes_c1_and_bidi_controls() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let nasty = "a\u{9b}2Jb\u{85}c\u{202e}d\u{2066}e\u{7f}f";
    let dir = new_incident(cwd, nasty);
    ok(cmd(cwd)
        .arg("log")
        .arg(&dir)
        .args(["note", nasty])
        .output()
        .unwrap());
    let status = ok(cmd(cwd)
        .arg("status")
        .arg(&dir)
        .arg("--json")
        .output()
        .unwrap());
    // `tail` follows for ever: read what it prints first, then stop it.
    let mut child = cmd(cwd)
        .arg("tail")
        .arg(&dir)
        .arg("--json")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead as _;
        for line in std::io::BufReader::new(&mut out)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    let mut tail = String::new();
    for _ in 0..2 {
        // A guard against a hang, not a speed requirement.
        tail.push_str(&rx.recv_timeout(Duration::from_secs(30)).unwrap());
        tail.push('\n');
    }
    let _ = child.kill();
    let _ = child.wait();
    for (what, json) in [("status --json", &status), ("tail --json", &tail)] {
        for c in ['\u{9b}', '\u{85}', '\u{202e}', '\u{2066}', '\u{7f}'] {
            assert!(!json.contains(c), "{what} has a raw U+{:04X}", c as u32);
        }
        assert!(
            json.contains(r"\u009b") && json.contains(r"\u202e"),
            "{what}: {json}"
        );
    }
    // Still the same text to a JSON reader.
    let v: Value = serde_json::from_str(&status).unwrap();
    assert_eq!(v["incident"]["title"], nasty);
}

#[test]
fn a_bad_pinned_clock_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd, "Clock");
    for bad in [
        "garbage",
        "2026-13-45T00:00:00Z",
        "99999-01-01T00:00:00Z",
        "9990-01-01T00:00:00Z",
    ] {
        let out = cmd(cwd)
            .env("CRISISDESK_NOW", bad)
            .arg("status")
            .arg(&dir)
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("CRISISDESK_NOW"), "{stderr}");
    }
}

#[test]
fn before_detection_the_clock_counts_down() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd, "Early");
    let out = ok(cmd(cwd)
        .env("CRISISDESK_NOW", "2026-11-27T06:30:00Z")
        .arg("status")
        .arg(&dir)
        .output()
        .unwrap());
    assert!(out.contains("(T-1h30m)"), "{out}");
    let out = ok(cmd(cwd).arg("status").arg(&dir).output().unwrap());
    assert!(out.contains("(T+2h00m)"), "{out}");
}

#[test]
fn times_past_the_end_of_the_calendar_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd, "Far");
    for due in ["9999-12-30 12:00", "9999-12-30T12:00:00Z"] {
        let out = cmd(cwd)
            .arg("log")
            .arg(&dir)
            .args(["action", "Archive", "--due", due])
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{due}: {stderr}");
    }
    assert!(!journal_text(&dir).contains("Archive"));
}

#[test]
fn the_console_says_it_needs_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd, "Console");
    let out = cmd(cwd)
        .arg("open")
        .arg(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("needs a terminal"), "{stderr}");
    assert!(!out.stdout.contains(&0x1b), "no escape codes into a file");
}

#[test]
fn the_piped_start_screen_lists_the_incidents() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    new_incident(cwd, "Listed incident");
    let out = ok(cmd(cwd).stdout(Stdio::piped()).output().unwrap());
    assert!(out.contains("Listed incident"), "{out}");
    assert!(
        out.contains("incidents/2026-11-27-listed-incident"),
        "{out}"
    );
}

#[test]
fn validate_refuses_a_pipe_instead_of_waiting_on_it() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let fifo = cwd.join("pipe.json");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let mut child = cmd(cwd)
        .arg("validate")
        .arg(&fifo)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A guard against a hang, not a speed requirement.
    let mut waited = Duration::ZERO;
    while child.try_wait().unwrap().is_none() && waited < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(50));
        waited += Duration::from_millis(50);
    }
    if child.try_wait().unwrap().is_none() {
        let _ = child.kill();
        panic!("validate waits on a pipe");
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stdout).contains("not a regular file"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn an_oversize_entry_is_invalid_input() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd, "Big");
    // 1 MB of arguments that the journal's JSON escaping turns into 6 MB.
    let word = "\u{1}".repeat(100_000);
    let words: Vec<&str> = (0..10).map(|_| word.as_str()).collect();
    let out = cmd(cwd)
        .arg("log")
        .arg(&dir)
        .arg("note")
        .args(&words)
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("too large"), "{stderr}");
}

#[test]
fn a_zero_update_cadence_is_refused_with_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let source = fs::read_to_string(root().join("playbooks/data-breach.json")).unwrap();
    let (before, after) = source
        .split_once("\"update_every\": \"")
        .expect("a cadence");
    let edited = format!(
        "{before}\"update_every\": \"0h{}",
        &after[after.find('"').unwrap()..]
    );
    let line = before.lines().count();
    let file = cwd.join("zero.json");
    fs::write(&file, edited).unwrap();
    let out = cmd(cwd).arg("validate").arg(&file).output().unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains(&format!("zero.json:{line}:")) && stdout.contains("update_every"),
        "{stdout}"
    );
}

#[test]
fn a_failed_write_is_a_failure_and_a_keyed_retry_records_once() {
    for fault in ["journal-write", "journal-sync"] {
        let tmp = tempfile::tempdir().unwrap();
        let cwd = tmp.path();
        let dir = new_incident(cwd, "Faults");
        let out = cmd(cwd)
            .env("CRISISDESK_FAULT", fault)
            .arg("log")
            .arg(&dir)
            .args(["note", "WRITTEN ONCE", "--key", "k1"])
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{fault}: {stderr}");
        assert!(stderr.contains("injected failure"), "{stderr}");
        // The script retries with the same key: the entry is there once either way.
        ok(cmd(cwd)
            .arg("log")
            .arg(&dir)
            .args(["note", "WRITTEN ONCE", "--key", "k1"])
            .output()
            .unwrap());
        let status = ok(cmd(cwd)
            .arg("status")
            .arg(&dir)
            .arg("--json")
            .output()
            .unwrap());
        let s: Value = serde_json::from_str(&status).unwrap();
        assert_eq!(s["counts"]["events"], 2, "{fault}: opened + the note once");
        assert_eq!(s["journal"]["integrity"], "ok", "{fault}");
    }
}
