//! End to end: the real binary in a real pseudo-terminal (100×30), typed at like a person and
//! read back through a terminal emulator (`vt100`). No tmux: `cargo test` needs nothing else.
//!
//! Open an incident, add a note, mark the milestone the media clock runs from, compose the
//! holding statement from its template and fill its blanks, approve it with every role the
//! playbook requires, mark it sent, quit — then `crisisdesk status --json` must show the
//! message sent and the media deadline met.
//!
//! Every step waits (polling the screen, up to a generous timeout) for what a person would
//! wait for before the next key: the screen showing the result. Nothing sleeps and hopes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

mod pty;

use pty::{Console, NOW, STEP, bin};
use serde_json::Value;

fn crisisdesk(cwd: &Path, args: &[&str]) -> String {
    let out = Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .env("CRISISDESK_NOW", NOW)
        .env("USER", "tester")
        .output()
        .expect("runs crisisdesk");
    assert!(
        out.status.success(),
        "crisisdesk {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn playbook() -> Value {
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("playbooks/data-breach.json"),
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A timeline row for an entry of `kind` recorded by this console's user.
fn timeline_has(s: &str, kind: &str, text: &str) -> bool {
    s.lines()
        .any(|l| l.contains(kind) && l.contains("tester@") && l.contains(text))
}

#[test]
fn a_holding_statement_from_note_to_sent_in_a_real_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = crisisdesk(
        cwd,
        &[
            "new",
            "data-breach",
            "--title",
            "Customer records exposed",
            "--detected-at",
            "2026-11-27T08:00:00Z",
        ],
    );
    let dir = dir.trim().to_owned();
    assert!(cwd.join(&dir).join("journal").is_dir(), "{dir}");

    // What the playbook says about the media: its holding statement template, the roles
    // that must approve, and the milestone its deadline runs from.
    let pb = playbook();
    let media = pb["stakeholders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "media")
        .unwrap();
    let roles: Vec<String> = media["approval"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect();
    assert!(!roles.is_empty());
    let deadline = &media["deadlines"][0];
    let from = deadline["from"].as_str().unwrap().to_owned();
    assert_eq!(from, "public");
    let milestones: Vec<&str> = pb["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    let public_index = milestones.iter().position(|m| *m == from).unwrap();
    let public_name = pb["milestones"][public_index]["name"].as_str().unwrap();

    let mut c = Console::start(cwd, &["open", &dir]);
    let s = c.wait_for("Customer records exposed");
    assert!(
        s.contains("T+02:00:00"),
        "the clock runs from detection:\n{s}"
    );
    c.wait_for("✔ saved");

    // 1. A note: n, the text, Enter. Saved means it comes back from the journal.
    c.keys("2"); // the timeline, to see it land
    c.wait_for("Timeline — entry 1 of 1");
    c.keys("n");
    c.wait_for("Note — Esc cancels");
    c.type_text("Reporter from Der Tagesbericht called about a forum post");
    c.wait_for("about a forum post");
    c.keys("\r");
    c.wait_until("the note in the timeline, saved", |s| {
        timeline_has(s, "note", "Reporter from Der Tagesbericht called")
            && !s.contains("Note — Esc cancels")
            && s.contains("✔ saved")
    });

    // 2. The milestone the media clock runs from, from the picker.
    c.keys("m");
    c.wait_for("Milestone reached — Esc cancels");
    for _ in 0..public_index {
        c.keys("\x1b[B"); // Down
    }
    c.wait_for(&format!("▸ {public_name}"));
    c.keys("\r\r"); // Milestone → Text → saved (the time is a Tab away)
    c.wait_until("the milestone in the timeline", |s| {
        timeline_has(s, "MILESTONE", public_name) && s.contains("✔ saved")
    });

    // 3. Compose: the first audience is the media, its own template comes first and is filled
    // in at once; its blanks are highlighted and counted.
    c.keys("c");
    let s = c.wait_for("2 blank(s) to fill");
    assert!(s.contains("News and trade media"), "{s}");
    assert!(s.contains("Holding statement"), "{s}");
    assert!(s.contains("{{fill:"), "{s}");
    c.keys("\t\t\t"); // To → Template → Channel → Text
    c.wait_for("▸ Text");
    // Select the whole text (Ctrl-a) and type the statement with its blanks filled.
    c.keys("\x01");
    let statement = "Statement from Kestrel Commerce GmbH\n\n\
        We have found that an unauthorised party gained access to part of our systems that \
        holds customer information. We are sorry.\n\n\
        What we can confirm: names, email addresses and order histories were copied.\n\n\
        What customers can do now: change your Kestrel password if you use it elsewhere.\n\n\
        Media contact: Jonas Albrecht, press office.";
    c.type_text(statement);
    c.wait_until("the typed statement, no blanks left", |s| {
        s.contains("Media contact: Jonas Albrecht, press office.")
            && !s.contains("blank(s) to fill")
            && !s.contains("{{fill:what_is_confirmed}}")
            && !s.contains("{{fill:customer_advice}}")
    });
    c.keys("\x13"); // Ctrl-s saves the draft
    c.wait_until("the composer closed", |s| !s.contains("Compose — to"));
    c.keys("3");
    let needs = format!("needs approval by {}", roles.join(", "));
    // Wait for the whole frame: the detail below the list is drawn in the same frame, but
    // the terminal may be read between its rows.
    let s = c.wait_until("the draft awaiting approval", |s| {
        s.contains("awaiting approval")
            && s.contains(&needs)
            && s.contains("✔ saved")
            && s.contains("What we can confirm: names")
    });
    assert!(s.contains("media-holding"), "{s}");
    assert!(s.contains("What we can confirm: names"), "{s}");

    // 4. Approve as each required role: the form offers the roles still needed first.
    for (n, role) in roles.iter().enumerate() {
        c.keys("A");
        c.wait_for("Approve as — Esc cancels");
        c.keys("\r"); // the first role still needed; Enter approves
        c.wait_until(&format!("the approval by {role}"), |s| {
            s.contains(&format!("✔ {role} (tester@")) && !s.contains("Approve as")
        });
        if n + 1 < roles.len() {
            c.wait_for(&format!("needs approval by {}", roles[n + 1..].join(", ")));
        }
    }
    c.wait_for("approved by every required role — ready to send (S)");

    // 5. Mark it sent: channel pre-filled from the template, the deadline found by itself.
    c.keys("S");
    let s = c.wait_for("Mark sent — Esc cancels");
    assert!(
        !s.contains("Override"),
        "nothing is missing: no override:\n{s}"
    );
    c.keys("\r"); // Enter records it (channel and deadline as offered)
    let s = c.wait_until("the message sent, meeting its deadline", |s| {
        s.contains("✔ sent") && s.contains(", met '") && s.contains("✔ saved")
    });
    assert!(
        s.contains(&format!(", met '{}'", deadline["label"].as_str().unwrap())),
        "met the holding-statement deadline:\n{s}"
    );

    // 6. Quit: nothing is unsaved, so no question; the terminal is given back.
    c.keys("q");
    let status = c.wait_exit();
    assert!(status.success(), "{status:?}");
    let raw = String::from_utf8_lossy(&c.raw);
    assert!(
        raw.contains("\x1b[?1049l"),
        "the alternate screen was left on exit"
    );
    assert!(!raw.contains("\x1b]0;"), "no window title is ever set");

    // 7. The record says so too.
    let status: Value =
        serde_json::from_str(&crisisdesk(cwd, &["status", &dir, "--json"])).unwrap();
    assert_eq!(status["counts"]["messages_sent"], 1, "{status:#}");
    assert_eq!(status["counts"]["drafts"], 0, "{status:#}");
    // opened, note, milestone, draft, one approval per role, sent
    assert_eq!(
        status["counts"]["events"],
        5 + roles.len(),
        "{:#}",
        status["counts"]
    );
    let media = status["stakeholders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "media")
        .unwrap();
    assert_eq!(media["deadlines"][0]["state"], "met", "{media:#}");
    assert_eq!(media["deadlines"][0]["met_at"], NOW, "{media:#}");
    assert_eq!(media["last_sent_at"], NOW, "{media:#}");
    assert!(
        status["milestones"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == "public"),
        "{status:#}"
    );
    assert_eq!(status["journal"]["integrity"], "ok");
}

/// An incident with one draft to the employees, made headless; returns its folder.
fn incident_with_a_draft(cwd: &Path) -> String {
    let dir = crisisdesk(
        cwd,
        &[
            "new",
            "data-breach",
            "--title",
            "Customer records exposed",
            "--detected-at",
            "2026-11-27T08:00:00Z",
        ],
    )
    .trim()
    .to_owned();
    crisisdesk(
        cwd,
        &[
            "log",
            &dir,
            "draft",
            "--stakeholder",
            "employees",
            "Colleagues, we are looking into a security incident.",
        ],
    );
    dir
}

/// Whether a journal line of the incident records `kind` with `text` in it.
fn journal_has(dir: &Path, kind: &str, text: &str) -> bool {
    std::fs::read_dir(dir.join("journal"))
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .flat_map(|t| t.lines().map(str::to_owned).collect::<Vec<_>>())
        .any(|l| l.contains(&format!("\"kind\":\"{kind}\"")) && l.contains(text))
}

/// A shell script standing in for `$EDITOR`.
fn editor_script(dir: &Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path.display().to_string()
}

fn kept_files(state: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(state.join("crisisdesk/drafts"))
        .map(|r| r.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default()
}

#[test]
fn the_editor_gets_the_terminal_and_its_text_is_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let state = cwd.join("state");
    let dir = incident_with_a_draft(cwd);
    // An editor that takes its time, as a person does, then adds a line.
    let editor = editor_script(
        cwd,
        "slow-editor",
        "sleep 0.5\nprintf 'We will update you at 15:00.\\n' >> \"$1\"",
    );
    let mut c = Console::start_with(
        cwd,
        &["open", &dir],
        &[
            ("EDITOR", &editor),
            ("VISUAL", ""),
            ("XDG_STATE_HOME", state.to_str().unwrap()),
        ],
    );
    c.wait_for("Customer records exposed");
    c.keys("3");
    c.wait_for("we are looking into a security incident");
    c.keys("e");
    let s = c.wait_until("the edit recorded", |s| {
        s.contains("We will update you at 15:00.") && s.contains("✔ saved")
    });
    assert!(!s.contains("could not be read"), "{s}");
    // Still alive and answering keys after the editor.
    c.keys("2");
    c.wait_until("the edit in the timeline", |s| {
        timeline_has(s, "edit", "edited")
    });
    c.keys("q");
    assert!(c.wait_exit().success());
    assert!(kept_files(&state).is_empty(), "recorded: nothing kept");
    assert!(journal_has(
        &cwd.join(&dir),
        "message_edited",
        "update you at 15:00"
    ));
}

#[test]
fn an_editor_that_fails_or_a_console_that_dies_loses_no_text() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let state = cwd.join("state");
    let dir = incident_with_a_draft(cwd);
    // This editor writes, then fails.
    let failing = editor_script(
        cwd,
        "failing-editor",
        "printf 'Words worth keeping.\\n' >> \"$1\"\nexit 3",
    );
    let env = |editor: &str| {
        vec![
            ("EDITOR".to_owned(), editor.to_owned()),
            ("VISUAL".to_owned(), String::new()),
            ("XDG_STATE_HOME".to_owned(), state.display().to_string()),
        ]
    };
    let start = |editor: &str| {
        let e = env(editor);
        let refs: Vec<(&str, &str)> = e.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        Console::start_with(cwd, &["open", &dir], &refs)
    };
    let mut c = start(&failing);
    c.wait_for("Customer records exposed");
    c.keys("3");
    c.wait_for("we are looking into a security incident");
    c.keys("e");
    let s = c.wait_for("exited with");
    assert!(s.contains("Words worth keeping."), "in the edit form:\n{s}");
    assert_eq!(kept_files(&state).len(), 1, "and on disk");
    // Esc asks; Esc again keeps it for later; q asks before throwing it away; y quits.
    c.keys("\x1b");
    c.wait_for("y discard it");
    c.keys("\x1b");
    c.wait_for("E brings it back");
    c.keys("q");
    c.wait_for("Quitting now throws it away");
    c.keys("y");
    assert!(c.wait_exit().success());
    assert_eq!(kept_files(&state).len(), 1, "the file stays until recorded");

    // Next time, an editor that kills the console while it has the terminal.
    let killer = editor_script(
        cwd,
        "killing-editor",
        "printf 'Written as the console died.\\n' >> \"$1\"\nkill -9 $PPID",
    );
    let mut c = start(&killer);
    // The text kept from before is offered at once.
    let s = c.wait_for("Recovered");
    assert!(s.contains("Words worth keeping."), "{s}");
    c.keys("\x13"); // Ctrl-s records it
    c.wait_until("the recovered text recorded", |s| {
        !s.contains("Recovered") && s.contains("✔ saved")
    });
    c.keys("3");
    c.wait_for("Words worth keeping.");
    c.keys("e");
    let status = c.wait_exit();
    assert!(!status.success(), "killed: {status:?}");
    assert_eq!(kept_files(&state).len(), 1);
    // The console comes back with the text written as it died.
    let mut c = start("true");
    let s = c.wait_for("Recovered");
    assert!(s.contains("Written as the console died."), "{s}");
    c.keys("\x13");
    c.wait_until("recorded", |s| {
        !s.contains("Recovered") && s.contains("✔ saved")
    });
    c.keys("q");
    assert!(c.wait_exit().success());
    assert!(kept_files(&state).is_empty());
    assert!(journal_has(
        &cwd.join(&dir),
        "message_edited",
        "Words worth keeping."
    ));
    assert!(journal_has(
        &cwd.join(&dir),
        "message_edited",
        "Written as the console died."
    ));
}

/// Journal lines of the incident that contain `text`.
fn journal_count(dir: &Path, text: &str) -> usize {
    std::fs::read_dir(dir.join("journal"))
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .map(|t| t.matches(text).count())
        .sum()
}

#[test]
fn a_write_that_fails_says_not_saved_and_keeps_the_text() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = incident_with_a_draft(cwd);
    // The write fails, and so does the second try on a new file (a full disk).
    let mut c = Console::start_with(
        cwd,
        &["open", &dir],
        &[("CRISISDESK_FAULT", "journal-write@1,journal-write@2")],
    );
    c.wait_for("Board");
    c.keys("n");
    c.wait_for("Note");
    c.type_text("Call from the regulator");
    c.keys("\r");
    let s = c.wait_for("NOT SAVED");
    assert!(s.contains("what you typed is kept"), "{s}");
    assert_eq!(journal_count(&cwd.join(&dir), "Call from the regulator"), 0);
    // The same key brings the text back; Enter tries again (and the disk has room now).
    c.keys("n");
    let s = c.wait_for("Call from the regulator");
    assert!(s.contains("not saved"), "{s}");
    c.keys("\r");
    c.wait_until("saved", |s| {
        s.contains("✔ saved") && s.contains("note recorded")
    });
    c.keys("q");
    assert!(c.wait_exit().success());
    assert_eq!(journal_count(&cwd.join(&dir), "Call from the regulator"), 1);
}

#[test]
fn a_failed_sync_is_written_again_to_a_new_file_and_kept_once() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = incident_with_a_draft(cwd);
    // The record reaches the file but its sync fails: the file is abandoned, and the same
    // entry goes to a new file. Readers keep one copy.
    let mut c = Console::start_with(
        cwd,
        &["open", &dir],
        &[("CRISISDESK_FAULT", "journal-sync")],
    );
    c.wait_for("Board");
    c.keys("n");
    c.wait_for("Note");
    c.type_text("Synced twice");
    c.keys("\r");
    c.wait_until("saved", |s| {
        s.contains("✔ saved") && s.contains("note recorded")
    });
    c.keys("q");
    assert!(c.wait_exit().success());
    let path = cwd.join(&dir);
    assert_eq!(
        journal_count(&path, "Synced twice"),
        2,
        "in the abandoned file and the new one"
    );
    let out = Command::new(bin())
        .args(["verify", &dir])
        .current_dir(cwd)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let status = crisisdesk(cwd, &["status", &dir, "--json"]);
    let status: Value = serde_json::from_str(&status).unwrap();
    assert_eq!(
        status["counts"]["events"], 3,
        "opened, the draft, the note once"
    );
}

/// Names of the files in `dir` (none if it does not exist), sorted.
fn file_names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn a_console_killed_at_any_step_of_an_inbox_item_loses_none() {
    // Issue 9, proof that stays: the console taking items in dies at each step of an item's
    // life (read, claimed, recorded, moved); the next console finishes the job, and every
    // item ends recorded exactly once or refused with its note.
    for point in [
        "inbox-read",
        "inbox-claimed",
        "inbox-recorded",
        "inbox-moved",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let cwd = tmp.path();
        let dir = incident_with_a_draft(cwd);
        let path = cwd.join(&dir);
        for (name, json) in [
            ("a.json", r#"{"kind":"note","text":"ITEM A"}"#),
            ("b.json", r#"{"kind":"note","text":"ITEM B"}"#),
            ("c.json", r#"{"kind":"note"}"#),
        ] {
            let item = path.join("inbox").join(name);
            std::fs::write(&item, json).unwrap();
            // Settled at once, as a file written a minute ago.
            std::fs::File::options()
                .append(true)
                .open(&item)
                .unwrap()
                .set_modified(SystemTime::now() - Duration::from_secs(60))
                .unwrap();
        }
        let mut dying = Console::start_with(
            cwd,
            &["open", &dir],
            &[("CRISISDESK_FAULT", &format!("{point}@1"))],
        );
        assert!(
            !dying.wait_exit().success(),
            "{point}: the console dies on the spot"
        );
        drop(dying);

        let mut c = Console::start(cwd, &["open", &dir]);
        c.wait_for("Board");
        // What the next console must get to: nothing waiting, nothing claimed.
        let deadline = Instant::now() + STEP;
        loop {
            c.pump(Duration::from_millis(50));
            let waiting: Vec<String> = file_names(&path.join("inbox"))
                .into_iter()
                .filter(|n| n.ends_with(".json"))
                .collect();
            if waiting.is_empty() && file_names(&path.join("inbox/.claimed")).is_empty() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{point}: still waiting {waiting:?}, claimed {:?}:\n{}",
                file_names(&path.join("inbox/.claimed")),
                c.screen()
            );
        }
        c.keys("q");
        assert!(c.wait_exit().success(), "{point}");
        assert_eq!(journal_count(&path, "ITEM A"), 1, "{point}");
        assert_eq!(journal_count(&path, "ITEM B"), 1, "{point}");
        assert_eq!(
            file_names(&path.join("inbox/done")),
            ["a.json", "b.json"],
            "{point}"
        );
        let rejected = file_names(&path.join("inbox/rejected"));
        assert_eq!(
            rejected,
            ["c.json", "c.json.error.txt"],
            "{point}: the bad item and its note"
        );
    }
}

// ---- Presence: who else has the incident open -------------------------------------------------

/// Two consoles of one person show as two, another person's too, and a console that quits is
/// gone from the others' screens (its presence file removed, read again within seconds).
#[test]
fn each_console_shows_the_others_that_have_the_incident_open() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = incident_with_a_draft(cwd);
    let mut a = Console::start(cwd, &["open", &dir]);
    a.wait_for("Customer records exposed");
    let mut b = Console::start(cwd, &["open", &dir]);
    b.wait_for("Customer records exposed");
    let mut ben = Console::start_with(cwd, &["open", &dir], &[("USER", "ben")]);
    ben.wait_for("Customer records exposed");
    // Tester's two consoles are told apart by their tags; Ben is named by person and machine
    // (by user name only if the host name leaves no room).
    let here = |s: &str| {
        s.lines()
            .find(|l| l.contains("also here: "))
            .map(str::to_owned)
    };
    let s = a.wait_until("ben and tester's other console", |s| {
        here(s).is_some_and(|l| l.contains("ben") && l.contains("tester") && l.contains(" #"))
    });
    assert!(here(&s).unwrap().contains("also here: ben"), "{s}");
    let presence = cwd.join(&dir).join("presence");
    assert_eq!(std::fs::read_dir(&presence).unwrap().count(), 3);
    // Ben quits: his file goes, and he is gone from the other screens.
    ben.keys("q");
    assert!(ben.wait_exit().success());
    a.wait_until("ben gone", |s| {
        here(s).is_some_and(|l| l.contains("tester") && !l.contains("ben"))
    });
    assert_eq!(std::fs::read_dir(&presence).unwrap().count(), 2);
    b.keys("q");
    assert!(b.wait_exit().success());
    let s = a.wait_until("no one else", |s| !s.contains("also here: "));
    assert!(s.contains("Customer records exposed"));
    a.keys("q");
    assert!(a.wait_exit().success());
    assert_eq!(std::fs::read_dir(&presence).unwrap().count(), 0);
}
