//! Live updates: consoles on one folder see each other's entries (appends, a file renamed in,
//! a sync conflict copy) exactly once, with change events and with polling alone; the inbox
//! takes every item kind in exactly once and refuses bad ones with their reason; playbooks
//! edited by rename-over are picked up and a broken edit keeps the last good version.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crisisdesk::inbox;
use crisisdesk::store::IncidentDir;
use crisisdesk::tui::app::{App, Msg};
use crisisdesk::tui::theme::Theme;
use crisisdesk::watch::{Folder, Watch};

const NOW: &str = "2026-11-27T10:00:00Z";
const BIN: &str = env!("CARGO_BIN_EXE_crisisdesk");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cmd(cwd: &Path, user: &str) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(cwd)
        .env("CRISISDESK_NOW", NOW)
        .env("USER", user);
    c
}

fn new_incident(cwd: &Path) -> PathBuf {
    let out = cmd(cwd, "anna")
        .args([
            "new",
            "data-breach",
            "--title",
            "Live test",
            "--detected-at",
            "2026-11-27T08:00:00Z",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    cwd.join(String::from_utf8(out.stdout).unwrap().trim())
}

fn log_note(cwd: &Path, dir: &Path, user: &str, text: &str) -> String {
    let out = cmd(cwd, user)
        .arg("log")
        .arg(dir)
        .args(["note", text])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// A running `crisisdesk tail --json`, its lines arriving on a channel.
struct Tail {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: HashMap<String, usize>,
}

impl Tail {
    fn start(cwd: &Path, dir: &Path, poll_only: bool) -> Tail {
        let mut c = cmd(cwd, "viewer");
        c.arg("tail")
            .arg(dir)
            .arg("--json")
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if poll_only {
            c.arg("--poll-only");
        }
        let mut child = c.spawn().unwrap();
        let out = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Tail {
            child,
            lines,
            seen: HashMap::new(),
        }
    }

    fn drain(&mut self, wait: Duration) {
        let deadline = Instant::now() + wait;
        while let Ok(line) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            let v: serde_json::Value =
                serde_json::from_str(&line).expect("tail --json prints JSON lines");
            *self
                .seen
                .entry(v["id"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
    }

    /// Waits until `id` has been printed (up to 15 s).
    fn wait_for(&mut self, id: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !self.seen.contains_key(id) && Instant::now() < deadline {
            self.drain(Duration::from_millis(100));
        }
        assert!(self.seen.contains_key(id), "tail never printed {id}");
    }
}

impl Drop for Tail {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn consoles_see_each_others_entries_exactly_once() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    let mut evented = Tail::start(cwd, &dir, false);
    let mut polled = Tail::start(cwd, &dir, true);

    // 1. Appends from other consoles.
    let mut ids = Vec::new();
    for (user, text) in [
        ("bob", "Call from the regulator"),
        ("carol", "Legal is on the line"),
    ] {
        ids.push(log_note(cwd, &dir, user, text));
    }
    // 2. A journal file arriving by rename (a sync tool writes a temp file, then renames it),
    // written on another machine's copy of the incident.
    let other = tempfile::tempdir().unwrap();
    let staged = other.path().join("copy");
    std::fs::create_dir_all(staged.join("journal")).unwrap();
    std::fs::copy(dir.join("incident.json"), staged.join("incident.json")).unwrap();
    for f in std::fs::read_dir(dir.join("journal")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, staged.join("journal").join(f.file_name().unwrap())).unwrap();
    }
    let staged_note = log_note(other.path(), &staged, "dave", "Written elsewhere");
    let staged_file = std::fs::read_dir(staged.join("journal"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .contains("Written elsewhere")
        })
        .unwrap();
    let name = staged_file.file_name().unwrap().to_owned();
    let tmp_name = dir.join("journal").join(".incoming.tmp");
    std::fs::copy(&staged_file, &tmp_name).unwrap();
    std::fs::rename(&tmp_name, dir.join("journal").join(&name)).unwrap();
    ids.push(staged_note);
    // 3. A sync conflict copy of a file already read: nothing new, nothing twice.
    let first = std::fs::read_dir(dir.join("journal"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .contains("Call from the regulator")
        })
        .unwrap();
    let conflict = first.with_file_name(format!(
        "{}.sync-conflict-20261127-101010-ABCDEFG.jsonl",
        first.file_stem().unwrap().to_string_lossy()
    ));
    std::fs::copy(&first, &conflict).unwrap();
    // 4. A rename-replace of a file with identical content (a sync tool rewriting it).
    let replace_tmp = dir.join("journal").join(".replace.tmp");
    std::fs::copy(&first, &replace_tmp).unwrap();
    std::fs::rename(&replace_tmp, &first).unwrap();
    let last = log_note(cwd, &dir, "bob", "After the copies");
    ids.push(last.clone());

    for tail in [&mut evented, &mut polled] {
        for id in &ids {
            tail.wait_for(id);
        }
        // Give any duplicate the time to show up, then check there is none.
        tail.drain(Duration::from_millis(2500));
        for (id, n) in &tail.seen {
            assert_eq!(*n, 1, "{id} printed {n} times");
        }
        assert_eq!(
            tail.seen.len(),
            1 + ids.len(),
            "the opening entry and the new ones"
        );
    }
}

fn write_item(dir: &Path, name: &str, json: &str) {
    let path = dir.join("inbox").join(name);
    std::fs::write(&path, json).unwrap();
}

/// Makes every item old enough to count as settled.
fn settle() {
    std::thread::sleep(inbox::SETTLE + Duration::from_millis(200));
}

fn status(cwd: &Path, dir: &Path) -> serde_json::Value {
    let out = cmd(cwd, "anna")
        .arg("status")
        .arg(dir)
        .arg("--json")
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn inbox_takes_every_kind_in_exactly_once_and_rejects_bad_items() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    let draft = {
        let out = cmd(cwd, "anna")
            .arg("log")
            .arg(&dir)
            .args([
                "draft",
                "--stakeholder",
                "media",
                "Complete text, no blanks.",
            ])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    write_item(
        &dir,
        "inquiry.json",
        r#"{"kind":"media_inquiry","from":"BBC","text":"Is it true?","respond_within":"2h"}"#,
    );
    write_item(
        &dir,
        "mention.json",
        r#"{"kind":"media_mention","source":"X","url":"https://x.example/1","text":"rumour","sentiment":"negative"}"#,
    );
    write_item(
        &dir,
        "request.json",
        r#"{"kind":"stakeholder_request","stakeholder":"dpa","text":"Send the log","respond_within":"24h","author":"dpa-portal"}"#,
    );
    write_item(
        &dir,
        "note.json",
        r#"{"kind":"note","text":"From the monitoring tool","at":"2026-11-27T09:00:00Z"}"#,
    );
    write_item(
        &dir,
        "approve.json",
        &format!(
            r#"{{"kind":"approval","message":"{draft}","role":"legal","decision":"approve","comment":"ok from legal"}}"#
        ),
    );
    write_item(
        &dir,
        "object.json",
        &format!(
            r#"{{"kind":"approval","message":"{draft}","role":"crisis_lead","decision":"object","comment":"wait for the CEO"}}"#
        ),
    );
    // Refused: an unknown stakeholder, an unknown kind, not JSON at all.
    write_item(
        &dir,
        "bad-stakeholder.json",
        r#"{"kind":"stakeholder_request","stakeholder":"dpo","text":"x"}"#,
    );
    write_item(&dir, "bad-kind.json", r#"{"kind":"telegram","text":"x"}"#);
    write_item(&dir, "garbage.json", "this is not json at all");
    // Not items: hidden and temp files. A link pointing outside the folder is refused (and
    // never followed).
    write_item(&dir, ".hidden.json", r#"{"kind":"note","text":"hidden"}"#);
    write_item(&dir, "partial.json.tmp", r#"{"kind":"note","text":"temp"}"#);
    let outside = cwd.join("x.json");
    std::fs::write(&outside, r#"{"kind":"note","text":"outside"}"#).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("../../x.json", dir.join("inbox").join("link.json")).unwrap();
    settle();

    let mut console = IncidentDir::open(&dir, "anna@test").unwrap();
    let now: jiff::Timestamp = NOW.parse().unwrap();
    let report = inbox::process(&mut console, now);
    let mut ingested: Vec<&str> = report.ingested.iter().map(|(n, _)| n.as_str()).collect();
    ingested.sort();
    assert_eq!(
        ingested,
        [
            "approve.json",
            "inquiry.json",
            "mention.json",
            "note.json",
            "object.json",
            "request.json"
        ]
    );
    let rejected: HashMap<&str, &str> = report
        .rejected
        .iter()
        .map(|(n, w)| (n.as_str(), w.as_str()))
        .collect();
    assert_eq!(rejected.len(), 4, "{rejected:?}");
    assert!(rejected["link.json"].contains("symbolic link"));
    assert!(rejected["bad-stakeholder.json"].contains("did you mean \"dpa\""));
    assert!(rejected["bad-kind.json"].contains("\"kind\": \"telegram\" is not a kind of item"));
    let why =
        std::fs::read_to_string(dir.join("inbox/rejected/bad-stakeholder.json.error.txt")).unwrap();
    assert!(why.contains("no stakeholder \"dpo\""), "{why}");
    assert!(dir.join("inbox/done/inquiry.json").is_file());
    assert!(
        dir.join("inbox/.hidden.json").is_file(),
        "hidden files are left alone"
    );
    assert!(
        dir.join("inbox/partial.json.tmp").is_file(),
        "temp files are left alone"
    );
    assert!(outside.is_file(), "nothing outside the inbox is touched");

    // A second pass (another console) finds nothing: exactly once.
    let mut other = IncidentDir::open(&dir, "bob@test").unwrap();
    let again = inbox::process(&mut other, now);
    assert!(again.ingested.is_empty() && again.rejected.is_empty());

    let s = status(cwd, &dir);
    assert_eq!(
        s["counts"]["open_inquiries"], 2,
        "the inquiry and the request"
    );
    let snap = console.load().unwrap();
    let inc = &snap.incident;
    assert_eq!(inc.mentions.len(), 1);
    let m = &inc.messages[0];
    assert_eq!(m.approvals.len(), 1);
    assert_eq!(m.objections.len(), 1);
    let request = snap
        .events
        .iter()
        .find(|e| e.entry.body.kind() == "stakeholder_request")
        .unwrap();
    assert_eq!(
        request.entry.author, "dpa-portal",
        "attributed to the dropping source"
    );
    let note = snap
        .events
        .iter()
        .find(|e| e.entry.body.text() == Some("From the monitoring tool"))
        .unwrap();
    assert_eq!(note.entry.at.to_string(), "2026-11-27T09:00:00Z");
    assert_eq!(
        snap.events
            .iter()
            .filter(|e| e.entry.body.kind() == "note")
            .count(),
        1
    );
}

#[test]
fn a_slowly_written_item_is_read_only_when_complete() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    let mut console = IncidentDir::open(&dir, "anna@test").unwrap();
    let now: jiff::Timestamp = NOW.parse().unwrap();
    let path = dir.join("inbox/slow.json");
    let full = r#"{"kind":"note","text":"written in pieces"}"#;
    let (a, b) = full.split_at(20);
    std::fs::write(&path, a).unwrap();
    // Just written: not settled, so not read.
    let r = inbox::process(&mut console, now);
    assert!(r.ingested.is_empty() && r.rejected.is_empty());
    assert!(r.retry_after.is_some());
    // Settled but cut short: still waited for, not rejected.
    settle();
    let r = inbox::process(&mut console, now);
    assert!(r.ingested.is_empty() && r.rejected.is_empty(), "{r:?}");
    assert!(path.is_file());
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(&mut f, b.as_bytes()).unwrap();
    drop(f);
    settle();
    let r = inbox::process(&mut console, now);
    assert_eq!(r.ingested.len(), 1, "{r:?}");
}

#[test]
fn the_console_takes_in_an_item_dropped_while_it_runs() {
    // The shell's watch → inbox path, without a terminal: a watch on inbox/ notices the
    // drop, and one pass takes it in.
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let _w = Watch::start(vec![(Folder::Inbox, dir.join("inbox"))], false, move |n| {
        let _ = tx.lock().unwrap().send(n.folder);
    });
    write_item(&dir, "drop.json", r#"{"kind":"note","text":"dropped"}"#);
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(10)).unwrap(),
        Folder::Inbox
    );
    settle();
    let mut console = IncidentDir::open(&dir, "anna@test").unwrap();
    let r = inbox::process(&mut console, NOW.parse().unwrap());
    assert_eq!(r.ingested.len(), 1);
}

fn catalog_titles(app: &App) -> Vec<String> {
    app.start
        .catalog
        .entries
        .iter()
        .map(|e| e.loaded.playbook.title.clone())
        .collect()
}

#[test]
fn playbook_edits_by_rename_over_are_picked_up_and_broken_edits_survived() {
    let tmp = tempfile::tempdir().unwrap();
    let playbooks = tmp.path().join("playbooks");
    std::fs::create_dir(&playbooks).unwrap();
    let incidents = tmp.path().join("incidents");
    let source = std::fs::read_to_string(root().join("playbooks/data-breach.json")).unwrap();
    let mine = source.replacen("\"id\": \"data-breach\"", "\"id\": \"our-breach\"", 1);
    assert_ne!(mine, source);
    let file = playbooks.join("our-breach.json");
    std::fs::write(&file, &mine).unwrap();

    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let _w = Watch::start(
        vec![(Folder::Playbooks, playbooks.clone())],
        false,
        move |n| {
            let _ = tx.lock().unwrap().send(n.folder);
        },
    );
    let mut app = App::new(NOW.parse().unwrap(), Theme { color: false });
    app.handle(Msg::StartData(crisisdesk::tui::load_start(
        &incidents, &playbooks,
    )));
    assert!(catalog_titles(&app).contains(&"Personal data breach".to_owned()));

    // An editor saves by writing a temp file and renaming it over the original.
    let rename_over = |text: &str| {
        let tmp = playbooks.join(".our-breach.json.swp");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &file).unwrap();
    };
    let broken = mine.replacen("\"stakeholders\"", "\"stakholders\"", 1);
    while rx.try_recv().is_ok() {}
    rename_over(&broken);
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(10)).unwrap(),
        Folder::Playbooks
    );
    app.handle(Msg::StartData(crisisdesk::tui::load_start(
        &incidents, &playbooks,
    )));
    let c = &app.start.catalog;
    assert_eq!(c.broken.len(), 1, "the broken edit is shown");
    assert!(
        c.broken[0]
            .render()
            .contains("did you mean \"stakeholders\"")
    );
    assert!(
        c.get("our-breach").is_some(),
        "the last good version stays in use"
    );
    assert!(
        c.notices.iter().any(|n| n.contains("last good version")),
        "{:?}",
        c.notices
    );

    let fixed = mine.replacen(
        "\"title\": \"Personal data breach\"",
        "\"title\": \"Our breach playbook\"",
        1,
    );
    rename_over(&fixed);
    let deadline = Instant::now() + Duration::from_secs(10);
    while rx.recv_timeout(Duration::from_millis(200)) != Ok(Folder::Playbooks)
        && Instant::now() < deadline
    {}
    app.handle(Msg::StartData(crisisdesk::tui::load_start(
        &incidents, &playbooks,
    )));
    assert!(app.start.catalog.broken.is_empty());
    assert!(catalog_titles(&app).contains(&"Our breach playbook".to_owned()));
}

#[test]
fn an_edited_playbook_is_offered_to_the_running_incident_and_adopted_or_declined() {
    use crisisdesk::incident::Body;
    use crisisdesk::tui::app::{Effect, Overlay};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let tmp = tempfile::tempdir().unwrap();
    let dir = new_incident(tmp.path());
    let snap = IncidentDir::open(&dir, "anna@test")
        .unwrap()
        .load()
        .unwrap();
    let old = (*snap.incident.playbook).clone();
    let mut new = old.clone();
    new.stakeholders.pop();
    let changes = crisisdesk::playbook::diff::diff(&old, &new);
    assert!(
        changes.iter().any(|c| c.starts_with("audience removed")),
        "{changes:?}"
    );

    let loaded = crisisdesk::tui::app::Loaded {
        path: dir.clone(),
        check: crisisdesk::check::Checked::new(&snap.incident, &snap.events),
        console: String::new(),
        health: crisisdesk::incident::status::JournalHealth::new(&snap.events, &snap.report),
        events: crisisdesk::tui::app::Entries::new(snap.events),
        incident: std::sync::Arc::new(snap.incident),
    };
    let key = |c: char| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    let mut app = App::new(NOW.parse().unwrap(), Theme { color: false });
    app.handle(Msg::Opened(Box::new(loaded)));
    let offer = || Msg::PlaybookEdited {
        source: "{\"edited\": true}".into(),
        changes: changes.clone(),
    };
    app.handle(offer());
    assert!(matches!(app.overlay, Some(Overlay::Adopt { .. })));
    let effects = app.handle(key('y'));
    assert!(matches!(
        effects.as_slice(),
        [Effect::Append { body: Body::PlaybookAdopted { changes: c, .. }, .. }] if c == &changes
    ));
    // Declined once, that version is not offered again.
    app.handle(offer());
    assert!(app.handle(key('n')).is_empty());
    app.handle(offer());
    assert!(app.overlay.is_none());
}
