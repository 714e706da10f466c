//! The inbox as a trust boundary (issue 9, items 1–5): whoever can write `inbox/` must not
//! make crisisdesk write outside it, read a file from outside it, hang, or lose an item. Each
//! test replays an attack or an accident with the real binary (or, for races, the library with
//! a hook at the exact moment), and checks the files afterwards.

use std::fs;
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use crisisdesk::inbox::{self, Step};
use crisisdesk::store::IncidentDir;

const NOW: &str = "2026-11-27T10:00:00Z";

/// The binary under test (`CRISISDESK_TEST_BIN` at run time lets the same tests be run
/// against another build, e.g. to see them fail on an older one).
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

fn new_incident(cwd: &Path) -> PathBuf {
    let out = cmd(cwd)
        .args(["new", "data-breach", "--title", "x"])
        .args(["--detected-at", "2026-11-27T08:00:00Z"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    cwd.join(text(&out.stdout).trim())
}

fn inbox_pass(cwd: &Path, dir: &Path) -> Output {
    cmd(cwd).arg("inbox").arg(dir).output().unwrap()
}

/// Sets a file's modification time one minute back, as `touch -d '1 min ago'` does, so it
/// counts as settled at once.
fn age(path: &Path) {
    let f = fs::File::options().append(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - Duration::from_secs(60))
        .unwrap();
}

fn drop_item(dir: &Path, name: &str, json: &str) -> PathBuf {
    let path = dir.join("inbox").join(name);
    fs::write(&path, json).unwrap();
    age(&path);
    path
}

/// Every entry in the journal, as `tail --json` prints them (the timeline, then it follows:
/// read through `status` instead, which ends).
fn journal_text(dir: &Path) -> String {
    let mut all = String::new();
    for e in fs::read_dir(dir.join("journal")).unwrap() {
        all.push_str(&fs::read_to_string(e.unwrap().path()).unwrap());
    }
    all
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .map(|r| {
            r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Checks every error note in `rejected/`: a file of its own, 0600, ending in a newline, with
/// no line an item's author chose whole.
fn check_notes(dir: &Path) {
    let rejected = dir.join("inbox/rejected");
    for name in names(&rejected) {
        if !name.ends_with(".error.txt") {
            continue;
        }
        let path = rejected.join(&name);
        let meta = fs::symlink_metadata(&path).unwrap();
        if meta.file_type().is_symlink() {
            continue; // planted by the test
        }
        assert_eq!(meta.mode() & 0o777, 0o600, "{name}");
        let note = fs::read_to_string(&path).unwrap();
        assert!(note.ends_with('\n'), "{name}: {note:?}");
        assert!(
            !note.lines().any(|l| l.trim() == "echo INJECTED"),
            "{name}: {note}"
        );
        assert!(!note.contains('\u{1b}'), "{name}");
    }
}

#[test]
fn a_planted_link_for_the_error_note_is_never_written_through() {
    // The issue's reproduction, with the key's newlines both raw and escaped.
    for item in [
        "{\"kind\":\"note\",\"text\":\"x\",\"\necho INJECTED\n\":1}",
        r#"{"kind":"note","text":"x","\necho INJECTED\n":1}"#,
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let cwd = tmp.path();
        let victim = cwd.join("victim.txt");
        fs::write(&victim, "original\n").unwrap();
        let dir = new_incident(cwd);
        let rejected = dir.join("inbox/rejected");
        fs::create_dir(&rejected).unwrap();
        fs::set_permissions(&rejected, fs::Permissions::from_mode(0o700)).unwrap();
        symlink(&victim, rejected.join("evil.json.error.txt")).unwrap();
        drop_item(&dir, "evil.json", item);

        let out = inbox_pass(cwd, &dir);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert_eq!(fs::read_to_string(&victim).unwrap(), "original\n");
        assert!(!names(&dir.join("inbox")).contains(&"evil.json".to_owned()));
        let notes: Vec<String> = names(&rejected)
            .into_iter()
            .filter(|n| n.ends_with(".error.txt") && n != "evil.json.error.txt")
            .collect();
        assert_eq!(notes.len(), 1, "{:?}", names(&rejected));
        check_notes(&dir);
        let stdout = text(&out.stdout);
        assert!(
            !stdout.lines().any(|l| l.trim() == "echo INJECTED"),
            "{stdout}"
        );
    }
}

#[test]
fn error_notes_are_private_and_end_in_a_newline() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    drop_item(&dir, "bad.json", r#"{"kind":"note"}"#);
    let out = inbox_pass(cwd, &dir);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let note = dir.join("inbox/rejected/bad.json.error.txt");
    assert_eq!(fs::metadata(&note).unwrap().mode() & 0o777, 0o600);
    check_notes(&dir);
    assert!(fs::read_to_string(&note).unwrap().contains("missing field"));
}

#[test]
fn symlinked_done_and_rejected_folders_are_refused_and_reported() {
    for (sub, item) in [
        ("done", r#"{"kind":"note","text":"fine"}"#),
        ("rejected", r#"{"kind":"note"}"#),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let cwd = tmp.path();
        let outside = cwd.join("outside");
        fs::create_dir(&outside).unwrap();
        let dir = new_incident(cwd);
        symlink(&outside, dir.join("inbox").join(sub)).unwrap();
        let path = drop_item(&dir, "item.json", item);

        let out = inbox_pass(cwd, &dir);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{sub}: {stderr}");
        assert!(stderr.contains(&format!("inbox/{sub}")), "{stderr}");
        assert!(stderr.contains("symbolic link"), "{stderr}");
        assert!(names(&outside).is_empty(), "{sub}: {:?}", names(&outside));
        assert!(path.is_file(), "the item stays where it was");
        assert!(!journal_text(&dir).contains("fine"));
    }
}

#[test]
fn a_hard_link_to_a_file_outside_the_inbox_is_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    let secret = cwd.join("secret.json");
    fs::write(&secret, r#"{"kind":"note","text":"SECRET"}"#).unwrap();
    age(&secret);
    fs::hard_link(&secret, dir.join("inbox/h.json")).unwrap();

    let out = inbox_pass(cwd, &dir);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("hard link"), "{stdout}");
    assert!(!journal_text(&dir).contains("SECRET"));
    assert_eq!(
        fs::read_to_string(&secret).unwrap(),
        r#"{"kind":"note","text":"SECRET"}"#
    );
    check_notes(&dir);
}

#[test]
fn pipes_and_links_in_the_inbox_are_refused_without_blocking() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    let status = Command::new("mkfifo")
        .arg(dir.join("inbox/pipe.json"))
        .status()
        .unwrap();
    assert!(status.success());
    let secret = cwd.join("secret.json");
    fs::write(&secret, r#"{"kind":"note","text":"SECRET"}"#).unwrap();
    symlink(&secret, dir.join("inbox/link.json")).unwrap();

    let out = inbox_pass(cwd, &dir);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("rejected pipe.json — a named pipe"),
        "{stdout}"
    );
    assert!(
        stdout.contains("rejected link.json — a symbolic link"),
        "{stdout}"
    );
    assert!(!journal_text(&dir).contains("SECRET"));
    assert!(secret.is_file());
}

#[test]
fn a_claim_left_by_a_killed_pass_is_taken_again() {
    // What an older version left behind when killed between claim and record.
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    drop_item(
        &dir,
        ".claimed-left.json",
        r#"{"kind":"note","text":"LEFT BEHIND"}"#,
    );

    let out = inbox_pass(cwd, &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("ok left.json"));
    assert_eq!(journal_text(&dir).matches("LEFT BEHIND").count(), 1);
    assert_eq!(names(&dir.join("inbox/done")), ["left.json"]);
    assert_eq!(names(&dir.join("inbox/.claimed")), Vec::<String>::new());
}

#[test]
fn a_pass_killed_at_any_step_records_each_item_exactly_once() {
    for point in [
        "inbox-read",
        "inbox-claimed",
        "inbox-recorded",
        "inbox-moved",
    ] {
        for nth in [1, 2] {
            let tmp = tempfile::tempdir().unwrap();
            let cwd = tmp.path();
            let dir = new_incident(cwd);
            drop_item(&dir, "a.json", r#"{"kind":"note","text":"ITEM A"}"#);
            drop_item(&dir, "b.json", r#"{"kind":"note","text":"ITEM B"}"#);
            drop_item(&dir, "c.json", r#"{"kind":"note"}"#);

            let killed = cmd(cwd)
                .arg("inbox")
                .arg(&dir)
                .env("CRISISDESK_FAULT", format!("{point}@{nth}"))
                .output()
                .unwrap();
            assert_eq!(
                killed.status.code(),
                None,
                "{point}@{nth}: the pass dies on the spot: {}",
                text(&killed.stderr)
            );
            // The next pass (the console or a script) finishes the job.
            let out = inbox_pass(cwd, &dir);
            assert!(
                matches!(out.status.code(), Some(0 | 2)),
                "{point}@{nth}: {}",
                text(&out.stderr)
            );
            let journal = journal_text(&dir);
            assert_eq!(journal.matches("ITEM A").count(), 1, "{point}@{nth}");
            assert_eq!(journal.matches("ITEM B").count(), 1, "{point}@{nth}");
            let left: Vec<String> = names(&dir.join("inbox"))
                .into_iter()
                .filter(|n| n.ends_with(".json"))
                .collect();
            assert!(left.is_empty(), "{point}@{nth}: {left:?}");
            assert!(
                names(&dir.join("inbox/.claimed")).is_empty(),
                "{point}@{nth}"
            );
            assert_eq!(names(&dir.join("inbox/done")), ["a.json", "b.json"]);
            let rejected = names(&dir.join("inbox/rejected"));
            assert!(rejected.contains(&"c.json".to_owned()), "{rejected:?}");
            check_notes(&dir);
        }
    }
}

#[test]
fn names_too_long_for_a_claim_prefix_are_taken_in() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    for len in [247, 250, 255] {
        let name = format!("{}.json", "n".repeat(len - 5));
        drop_item(
            &dir,
            &name,
            &format!(r#"{{"kind":"note","text":"LONG {len}"}}"#),
        );
    }
    // A refused one needs a note whose name is longer still.
    let bad = format!("{}.json", "r".repeat(250));
    drop_item(&dir, &bad, r#"{"kind":"note"}"#);

    let out = inbox_pass(cwd, &dir);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}{}", text(&out.stderr));
    let journal = journal_text(&dir);
    for len in [247, 250, 255] {
        assert_eq!(journal.matches(&format!("LONG {len}")).count(), 1, "{len}");
    }
    assert_eq!(names(&dir.join("inbox/done")).len(), 3);
    let rejected = names(&dir.join("inbox/rejected"));
    assert_eq!(rejected.len(), 2, "the item and its note: {rejected:?}");
    check_notes(&dir);
    assert!(
        names(&dir.join("inbox"))
            .iter()
            .all(|n| !n.ends_with(".json"))
    );
}

#[test]
fn a_read_only_inbox_is_reported_not_passed_over() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    drop_item(&dir, "waiting.json", r#"{"kind":"note","text":"WAITING"}"#);
    let inbox = dir.join("inbox");
    fs::set_permissions(&inbox, fs::Permissions::from_mode(0o555)).unwrap();
    let out = inbox_pass(cwd, &dir);
    fs::set_permissions(&inbox, fs::Permissions::from_mode(0o700)).unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("read-only"), "{stderr}");
    assert!(stderr.contains("1 item(s) waiting"), "{stderr}");
    assert!(dir.join("inbox/waiting.json").is_file());
}

// Races, through the library with a hook at the exact moment.

fn open(dir: &Path) -> IncidentDir {
    IncidentDir::open(dir, "anna@test").unwrap()
}

#[test]
fn a_link_renamed_over_a_listed_item_is_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    let secret = cwd.join("secret.json");
    fs::write(&secret, r#"{"kind":"note","text":"SECRET"}"#).unwrap();
    drop_item(&dir, "x.json", r#"{"kind":"note","text":"inside"}"#);
    let inbox_dir = dir.join("inbox");
    let mut console = open(&dir);
    let report = inbox::process_observed(&mut console, NOW.parse().unwrap(), &mut |step, name| {
        if step == Step::Listed && name == "x.json" {
            symlink(&secret, inbox_dir.join("swap")).unwrap();
            fs::rename(inbox_dir.join("swap"), inbox_dir.join("x.json")).unwrap();
        }
    });
    assert!(report.ingested.is_empty(), "{report:?}");
    assert!(!journal_text(&dir).contains("SECRET"));
    assert!(
        fs::symlink_metadata(dir.join("inbox/rejected/x.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_pipe_renamed_over_a_listed_item_does_not_block() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    drop_item(&dir, "x.json", r#"{"kind":"note","text":"inside"}"#);
    let inbox_dir = dir.join("inbox");
    let (tx, rx) = std::sync::mpsc::channel();
    let worker = {
        let dir = dir.clone();
        std::thread::spawn(move || {
            let mut console = open(&dir);
            let report =
                inbox::process_observed(&mut console, NOW.parse().unwrap(), &mut |step, name| {
                    if step == Step::Listed && name == "x.json" {
                        let fifo = inbox_dir.join("fifo");
                        assert!(
                            Command::new("mkfifo")
                                .arg(&fifo)
                                .status()
                                .unwrap()
                                .success()
                        );
                        fs::rename(&fifo, inbox_dir.join("x.json")).unwrap();
                    }
                });
            tx.send(report).unwrap();
        })
    };
    // A guard against a hang, not a speed requirement.
    let report = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the pass never blocks on a pipe");
    worker.join().unwrap();
    assert!(report.ingested.is_empty(), "{report:?}");
    assert_eq!(report.rejected.len(), 1, "{report:?}");
}

#[test]
fn a_claim_held_by_a_running_console_is_left_to_it() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    fs::create_dir(dir.join("inbox/.claimed")).unwrap();
    let path = dir.join("inbox/.claimed/held.json");
    fs::write(&path, r#"{"kind":"note","text":"HELD"}"#).unwrap();
    let held = fs::File::open(&path).unwrap();
    rustix::fs::flock(&held, rustix::fs::FlockOperation::LockExclusive).unwrap();
    let r = inbox::process(&mut open(&dir), NOW.parse().unwrap());
    assert!(r.ingested.is_empty(), "{r:?}");
    assert!(path.is_file());
    // Its console dies: the lock goes with it, and the next pass takes the item. The lock is
    // released explicitly rather than by closing `held`: the other tests of this binary spawn
    // processes all the time, and a child between its fork and its exec holds a copy of every
    // descriptor, lock included, so a close alone would leave the item locked for as long as
    // such a child waits to be scheduled (the test failed so under load). A dead console's
    // lock going with it is what `a_pass_killed_at_any_step_records_each_item_exactly_once`
    // shows with real processes.
    rustix::fs::flock(&held, rustix::fs::FlockOperation::Unlock).unwrap();
    drop(held);
    let r = inbox::process(&mut open(&dir), NOW.parse().unwrap());
    assert_eq!(r.ingested.len(), 1, "{r:?}");
    assert_eq!(journal_text(&dir).matches("HELD").count(), 1);
}

#[test]
fn a_failed_append_leaves_the_item_to_be_taken_again() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    drop_item(&dir, "a.json", r#"{"kind":"note","text":"ITEM A"}"#);
    let failed = cmd(cwd)
        .arg("inbox")
        .arg(&dir)
        .env("CRISISDESK_FAULT", "journal-sync")
        .output()
        .unwrap();
    let stderr = text(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not saved"), "{stderr}");
    assert!(!text(&failed.stdout).contains("ok a.json"));
    let out = inbox_pass(cwd, &dir);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("ok a.json"));
    // The failed write may have reached the abandoned file; readers keep one copy.
    let status = cmd(cwd)
        .arg("status")
        .arg(&dir)
        .arg("--json")
        .output()
        .unwrap();
    let s: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(s["counts"]["events"], 2, "opened + the item, once");
}

/// The incident as an open console holds it in memory; counts what a pass asks of it.
struct Held {
    incident: crisisdesk::incident::state::Incident,
    events: Vec<crisisdesk::journal::Stored<crisisdesk::incident::event::Event>>,
    asked: usize,
    recorded: usize,
}

impl inbox::Standing for Held {
    fn with_state(
        &mut self,
        _dir: &IncidentDir,
        f: &mut dyn FnMut(
            &crisisdesk::incident::state::Incident,
            &[crisisdesk::journal::Stored<crisisdesk::incident::event::Event>],
        ),
    ) -> Result<(), String> {
        self.asked += 1;
        f(&self.incident, &self.events);
        Ok(())
    }

    fn recorded(&mut self) {
        self.recorded += 1;
    }
}

fn held(dir: &Path) -> Held {
    let snap = open(dir).load().unwrap();
    Held {
        incident: snap.incident,
        events: snap.events,
        asked: 0,
        recorded: 0,
    }
}

#[test]
fn an_open_consoles_pass_checks_items_against_the_state_it_holds() {
    use crisisdesk::incident::event::{Body, Event, Origin};
    let tmp = tempfile::tempdir().unwrap();
    let dir = new_incident(tmp.path());
    // Two items, checked against the state given and recorded: it is told of each record.
    drop_item(&dir, "a.json", r#"{"kind":"note","text":"FIRST"}"#);
    drop_item(&dir, "b.json", r#"{"kind":"note","text":"SECOND"}"#);
    let mut state = held(&dir);
    let r = inbox::process_with(&mut open(&dir), NOW.parse().unwrap(), &mut state);
    assert_eq!(r.ingested.len(), 2, "{r:?}");
    assert!(state.asked >= 2);
    assert_eq!(state.recorded, 2);
    assert_eq!(journal_text(&dir).matches("SECOND").count(), 1);

    // The state held says the incident is closed (another console's entry this console has
    // read), the disk does not yet here: the item is refused by the state held, not the disk.
    let mut state = held(&dir);
    let origin = Origin {
        author: "bo@other".into(),
        console: "other".into(),
    };
    let at: jiff::Timestamp = "2026-11-27T09:30:00Z".parse().unwrap();
    state.events.push(crisisdesk::journal::Stored {
        console: "other".into(),
        seq: 1,
        entry: Event::new(
            uuid::Uuid::from_u128(77),
            at,
            at,
            &origin,
            Body::IncidentClosed { text: None },
        ),
    });
    state.incident = crisisdesk::incident::fold(&state.events).unwrap();
    drop_item(&dir, "late.json", r#"{"kind":"note","text":"LATE"}"#);
    let r = inbox::process_with(&mut open(&dir), NOW.parse().unwrap(), &mut state);
    assert!(r.ingested.is_empty(), "{r:?}");
    assert_eq!(state.recorded, 0);
    assert!(!journal_text(&dir).contains("LATE"));
    assert!(dir.join("inbox/rejected/late.json").is_file());
    let why = fs::read_to_string(dir.join("inbox/rejected/late.json.error.txt")).unwrap();
    assert!(why.contains("closed"), "{why}");
}
