//! The headless CLI (`new`, `log`, `status`) through the real binary, on a pinned clock.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const NOW: &str = "2026-11-27T10:00:00Z";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin(cwd: &Path) -> Command {
    let mut c = Command::cargo_bin("crisisdesk").unwrap();
    c.current_dir(cwd)
        .env("CRISISDESK_NOW", NOW)
        .env("USER", "tester");
    c
}

fn stdout(c: &mut Command) -> String {
    let out = c.assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn fails(c: &mut Command, code: i32) -> String {
    let out = c.assert().code(code);
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

/// Creates an incident on the data-breach playbook, detected at 08:00 UTC.
fn new_incident(cwd: &Path) -> PathBuf {
    let out = stdout(bin(cwd).args([
        "new",
        root().join("playbooks/data-breach.json").to_str().unwrap(),
        "--title",
        "Customer records exposed",
        "--detected-at",
        "2026-11-27T08:00:00Z",
    ]));
    let dir = cwd.join(out.trim());
    assert!(dir.join("journal").is_dir());
    assert!(
        out.trim()
            .starts_with("incidents/2026-11-27-customer-records-exposed"),
        "{out}"
    );
    dir
}

fn log(cwd: &Path, dir: &Path, args: &[&str]) -> String {
    let mut c = bin(cwd);
    c.arg("log").arg(dir).args(args);
    stdout(&mut c).trim().to_owned()
}

fn status(cwd: &Path, dir: &Path) -> Value {
    let out = stdout(bin(cwd).arg("status").arg(dir).arg("--json"));
    serde_json::from_str(&out).unwrap()
}

fn media(status: &Value) -> &Value {
    status["stakeholders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["group"] == "media")
        .expect("a media stakeholder")
}

#[test]
fn new_log_and_status_follow_a_message_from_draft_to_sent() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);

    let s = status(cwd, &dir);
    assert_eq!(s["incident"]["title"], "Customer records exposed");
    assert_eq!(s["incident"]["playbook"], "data-breach");
    assert_eq!(s["incident"]["detected_at"], "2026-11-27T08:00:00Z");
    assert_eq!(s["incident"]["closed_at"], Value::Null);
    assert_eq!(s["counts"]["events"], 1);
    assert_eq!(s["journal"]["integrity"], "ok");
    assert_eq!(s["journal"]["files"], 1);
    let press = media(&s).clone();
    let press_id = press["id"].as_str().unwrap().to_owned();
    // Start the media clock if it runs from a milestone.
    let from = press["deadlines"][0]["from"].as_str().unwrap().to_owned();
    if from != "detected" {
        assert_eq!(press["deadlines"][0]["state"], "waiting");
        log(
            cwd,
            &dir,
            &["milestone", &from, "--at", "2026-11-27T09:00:00Z"],
        );
    }

    // A note, back-dated.
    let note = log(
        cwd,
        &dir,
        &["note", "Reporter", "called", "--at", "2026-11-27T09:30:00Z"],
    );
    assert_eq!(note.len(), 36, "prints the full id: {note}");

    // Draft the holding statement from its template; blanks must be filled before approval.
    let pb: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("playbooks/data-breach.json")).unwrap(),
    )
    .unwrap();
    let template = pb["templates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            t["stakeholders"]
                .as_array()
                .is_some_and(|s| s.iter().any(|x| x == press_id.as_str()))
        })
        .expect("a template for the media");
    let tid = template["id"].as_str().unwrap();
    let draft = log(
        cwd,
        &dir,
        &["draft", "--stakeholder", &press_id, "--template", tid],
    );
    let st = status(cwd, &dir);
    assert_eq!(st["counts"]["drafts"], 1);

    let approval: Vec<String> = pb["stakeholders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == press_id.as_str())
        .unwrap()["approval"]
        .as_array()
        .map(|a| a.iter().map(|r| r.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default();
    assert!(!approval.is_empty(), "media messages need approval");

    let body = template["body"].as_str().unwrap();
    if body.contains("{{fill:") {
        let err = fails(
            bin(cwd).args([
                "log",
                dir.to_str().unwrap(),
                "approve",
                &draft,
                "--role",
                &approval[0],
            ]),
            2,
        );
        assert!(err.contains("blanks to fill"), "{err}");
    }
    // Sending before approval is refused and names the missing roles.
    let filled =
        "We are investigating unauthorised access to customer records. Next update at 14:00.";
    log(cwd, &dir, &["edit", &draft[28..], filled]);
    let err = fails(
        bin(cwd).args([
            "log",
            dir.to_str().unwrap(),
            "sent",
            "--stakeholder",
            &press_id,
            "--message",
            &draft,
        ]),
        2,
    );
    assert!(err.contains("missing approval by"), "{err}");
    assert!(err.contains(&approval[0]), "{err}");

    for role in &approval {
        log(cwd, &dir, &["approve", &draft, "--role", role]);
    }
    assert_eq!(status(cwd, &dir)["counts"]["pending_approvals"], 0);
    log(
        cwd,
        &dir,
        &[
            "sent",
            "--stakeholder",
            &press_id,
            "--message",
            &draft,
            "--channel",
            "email",
        ],
    );

    let s = status(cwd, &dir);
    assert_eq!(s["counts"]["messages_sent"], 1);
    assert_eq!(s["counts"]["drafts"], 0);
    let press = media(&s);
    assert_eq!(press["last_sent_at"], NOW);
    let first = &press["deadlines"][0];
    assert!(
        first["state"] == "met" || first["state"] == "late",
        "the media deadline is met: {first}"
    );
    assert_eq!(first["met_at"], NOW);

    // The human summary puts overdue items first and names the journal's health.
    let text = stdout(bin(cwd).arg("status").arg(&dir));
    assert!(text.starts_with("Customer records exposed"), "{text}");
    assert!(text.contains("journal ok"), "{text}");
}

#[test]
fn unknown_ids_are_refused_with_a_hint_and_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    let d = dir.to_str().unwrap();
    let err = fails(bin(cwd).args(["log", d, "milestone", "awre"]), 2);
    assert!(err.contains("did you mean \"aware\"?"), "{err}");
    let err = fails(bin(cwd).args(["log", d, "severity", "hgh"]), 2);
    assert!(err.contains("did you mean"), "{err}");
    let err = fails(
        bin(cwd).args(["log", d, "approve", "deadbeef", "--role", "legal"]),
        2,
    );
    assert!(err.contains("no message with id"), "{err}");
    let err = fails(
        bin(cwd).args(["log", d, "note", "x", "--at", "2030-01-01T00:00:00Z"]),
        2,
    );
    assert!(err.contains("in the future"), "{err}");
    let err = fails(
        bin(cwd).args(["log", d, "note", "x", "--at", "yesterday"]),
        2,
    );
    assert!(err.contains("is not a time"), "{err}");
    let err = fails(bin(cwd).args(["new", "data-breech", "--title", "x"]), 2);
    assert!(err.contains("did you mean \"data-breach\"?"), "{err}");
    let err = fails(bin(cwd).args(["status", "/nonexistent/incident"]), 2);
    assert!(err.contains("not an incident folder"), "{err}");
    // Nothing was written by the refused commands.
    assert_eq!(status(cwd, &dir)["counts"]["events"], 1);
}

#[test]
fn direct_sends_need_approval_or_an_override_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    let d = dir.to_str().unwrap();
    let press_id = media(&status(cwd, &dir))["id"].as_str().unwrap().to_owned();
    let err = fails(
        bin(cwd).args([
            "log",
            d,
            "sent",
            "--stakeholder",
            &press_id,
            "Statement text",
        ]),
        2,
    );
    assert!(err.contains("need approval by"), "{err}");
    let err = fails(
        bin(cwd).args([
            "log",
            d,
            "sent",
            "--stakeholder",
            &press_id,
            "--override",
            " ",
            "Statement",
        ]),
        2,
    );
    assert!(err.contains("needs a reason"), "{err}");
    log(
        cwd,
        &dir,
        &[
            "sent",
            "--stakeholder",
            &press_id,
            "--override",
            "CEO approved by phone",
            "Statement",
        ],
    );
    assert_eq!(status(cwd, &dir)["counts"]["messages_sent"], 1);
}

#[test]
fn milestones_actions_inquiries_lessons_and_close() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = new_incident(cwd);
    let d = dir.to_str().unwrap();
    log(
        cwd,
        &dir,
        &["milestone", "aware", "DPO confirmed personal data involved"],
    );
    let err = fails(bin(cwd).args(["log", d, "milestone", "aware"]), 2);
    assert!(err.contains("already marked"), "{err}");
    let s = status(cwd, &dir);
    assert!(
        s["milestones"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == "aware")
    );

    let q = log(
        cwd,
        &dir,
        &[
            "inquiry", "--from", "Reuters", "--within", "2h", "How", "many?",
        ],
    );
    assert_eq!(status(cwd, &dir)["counts"]["open_inquiries"], 1);
    log(cwd, &dir, &["answer", &q[28..], "We will update at 14:00"]);
    assert_eq!(status(cwd, &dir)["counts"]["open_inquiries"], 0);

    let a = log(
        cwd,
        &dir,
        &["action", "Brief", "call", "centre", "--due", "4h"],
    );
    assert_eq!(status(cwd, &dir)["counts"]["open_actions"], 1);
    log(cwd, &dir, &["done", &a]);
    assert_eq!(status(cwd, &dir)["counts"]["open_actions"], 0);

    log(
        cwd,
        &dir,
        &[
            "lesson", "Hotline", "script", "was", "ready", "--kind", "well",
        ],
    );
    log(cwd, &dir, &["fact", "Backups", "intact", "--unconfirmed"]);
    log(
        cwd,
        &dir,
        &["decision", "Notify", "the", "authority", "today"],
    );
    let n = log(cwd, &dir, &["note", "typo"]);
    log(cwd, &dir, &["amend", &n, "corrected"]);
    log(cwd, &dir, &["retract", &n, "wrong incident"]);
    log(cwd, &dir, &["close", "Stood", "down"]);
    let s = status(cwd, &dir);
    assert_eq!(s["incident"]["closed_at"], NOW);
    assert_eq!(s["counts"]["events"], 13);
    let err = fails(bin(cwd).args(["log", d, "close"]), 2);
    assert!(err.contains("already closed"), "{err}");
}

/// `--help` is part of the interface people and scripts read: changes to it are deliberate.
#[test]
fn help_texts_are_stable() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    insta::assert_snapshot!("help", stdout(bin(cwd).env("COLUMNS", "100").arg("--help")));
    insta::assert_snapshot!(
        "log_help",
        stdout(bin(cwd).env("COLUMNS", "100").args(["log", "--help"]))
    );
    insta::assert_snapshot!(
        "report_help",
        stdout(bin(cwd).env("COLUMNS", "100").args(["report", "--help"]))
    );
    insta::assert_snapshot!(
        "sent_help",
        stdout(
            bin(cwd)
                .env("COLUMNS", "100")
                .args(["log", "x", "sent", "--help"])
        )
    );
    insta::assert_snapshot!(
        "exercise_help",
        stdout(bin(cwd).env("COLUMNS", "100").args(["exercise", "--help"]))
    );
}
