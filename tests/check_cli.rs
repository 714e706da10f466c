//! `crisisdesk check` and `crisisdesk log … acknowledge` through the real binary.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const NOW: &str = "2026-11-27T12:00:00Z";

fn bin(cwd: &Path) -> Command {
    let mut c = Command::cargo_bin("crisisdesk").unwrap();
    c.current_dir(cwd)
        .env("CRISISDESK_NOW", NOW)
        .env("USER", "tester");
    c
}

fn run(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = bin(cwd).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn ok(cwd: &Path, args: &[&str]) -> String {
    let (code, out, err) = run(cwd, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out.trim().to_owned()
}

fn incident(cwd: &Path) -> PathBuf {
    let out = ok(
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
    cwd.join(out)
}

fn log(cwd: &Path, dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["log", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    ok(cwd, &all)
}

fn check_json(cwd: &Path, dir: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["check", dir.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    let (code, out, err) = run(cwd, &args);
    (
        code,
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}")),
    )
}

#[test]
fn check_exit_codes_json_and_acknowledging() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = incident(cwd);
    let d = dir.to_str().unwrap();
    // Nothing said yet: nothing found, exit 0.
    let (code, out, _) = run(cwd, &["check", d]);
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("No findings"), "{out}");

    let press = log(
        cwd,
        &dir,
        &[
            "sent",
            "--stakeholder",
            "media",
            "--override",
            "holding line",
            "--at",
            "2026-11-27T09:30:00Z",
            "Records of about 1,200 customers were accessed. We will never ask for a password, card number or one-time code by email, phone or text; anyone who does is not us.",
        ],
    );
    let draft = log(
        cwd,
        &dir,
        &[
            "draft",
            "--stakeholder",
            "dpa",
            "The breach concerns 1,500 customers.",
        ],
    );
    let (code, json) = check_json(cwd, &dir, &["--message", &draft[draft.len() - 8..]]);
    assert_eq!(code, 3);
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{json:#}");
    let f = &findings[0];
    assert_eq!(f["kind"], "conflict");
    assert_eq!(f["audiences"], serde_json::json!(["dpa", "media"]));
    assert_eq!(f["messages"], serde_json::json!([draft, press]));
    assert_eq!(f["facts"], serde_json::json!([]));
    assert_eq!(f["quotes"][0]["words"], "1,500 customers");
    assert_eq!(f["quotes"][1]["words"], "about 1,200 customers");
    assert_eq!(f["quotes"][1]["reading"], "1,080 to 1,320");
    assert!(
        f["text"]
            .as_str()
            .unwrap()
            .starts_with("The draft to Lead supervisory authority")
    );
    assert_eq!(f["acknowledged"], Value::Null);
    let id = f["id"].as_str().unwrap().to_owned();

    // Acknowledging: by a prefix, with a reason; then it is listed but no longer warns.
    let (code, _, err) = run(cwd, &["log", d, "acknowledge", &id[..8]]);
    assert_eq!(code, 2, "a reason is required: {err}");
    log(
        cwd,
        &dir,
        &[
            "acknowledge",
            &id[..8],
            "The",
            "regulator",
            "gets",
            "the",
            "forensic",
            "count",
        ],
    );
    let (code, json) = check_json(cwd, &dir, &["--message", &draft]);
    assert_eq!(code, 0);
    let f = &json["findings"][0];
    assert_eq!(f["id"], id.as_str());
    assert_eq!(
        f["acknowledged"]["reason"],
        "The regulator gets the forensic count"
    );
    assert!(
        f["acknowledged"]["by"]
            .as_str()
            .unwrap()
            .starts_with("tester@")
    );
    let (code, _, err) = run(cwd, &["log", d, "acknowledge", &id, "again"]);
    assert_eq!(code, 2);
    assert!(err.contains("already acknowledged"), "{err}");
    let (code, _, err) = run(cwd, &["log", d, "acknowledge", "ffffffffffff", "why"]);
    assert_eq!(code, 2);
    assert!(err.contains("no finding \"ffffffffffff\""), "{err}");

    // The whole incident: key messages not yet given still warn (exit 3); text lists them.
    let (code, out, _) = run(cwd, &["check", d]);
    assert_eq!(code, 3);
    assert!(out.contains("key messages not yet given (5):"), "{out}");
    assert!(out.contains("(acknowledged)"), "{out}");
    // An unknown message id is bad input.
    let (code, _, err) = run(cwd, &["check", d, "--message", "deadbeef"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn the_report_says_what_we_told_whom_in_all_three_formats() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = incident(cwd);
    let d = dir.to_str().unwrap();
    let fact = log(
        cwd,
        &dir,
        &[
            "fact",
            "--at",
            "2026-11-27T09:00:00Z",
            "1,200 customers affected",
        ],
    );
    log(
        cwd,
        &dir,
        &[
            "sent",
            "--stakeholder",
            "media",
            "--override",
            "holding line",
            "--at",
            "2026-11-27T09:30:00Z",
            "Records of about 1,200 customers were accessed.",
        ],
    );
    log(
        cwd,
        &dir,
        &[
            "sent",
            "--stakeholder",
            "employees",
            "--override",
            "internal",
            "--at",
            "2026-11-27T09:40:00Z",
            "Access was possible since 14 March.",
        ],
    );
    log(
        cwd,
        &dir,
        &[
            "amend",
            &fact,
            "--at",
            "2026-11-27T10:00:00Z",
            "1,500 customers affected",
        ],
    );
    log(
        cwd,
        &dir,
        &[
            "sent",
            "--stakeholder",
            "dpa",
            "--override",
            "legal on the phone",
            "--at",
            "2026-11-27T10:30:00Z",
            "The breach concerns 1,500 customers; access was possible since 12 March.",
        ],
    );
    let (_, json) = check_json(cwd, &dir, &[]);
    let conflict = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "conflict")
        .expect("the start dates conflict")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    log(
        cwd,
        &dir,
        &[
            "acknowledge",
            &conflict,
            "Forensics moved the start date; staff update at 13:00",
        ],
    );

    let md = ok(cwd, &["report", d, "--format", "md"]);
    assert!(md.contains("### What we told whom"), "{md}");
    assert!(md.contains("about 1,200 customers"), "{md}");
    assert!(md.contains("1,500 customers · since 12 March"), "{md}");
    assert!(
        md.contains("**stale "),
        "the press heard the old figure: {md}"
    );
    assert!(md.contains(&format!("**conflict {conflict}**")), "{md}");
    assert!(md.contains("acknowledged by tester@"), "{md}");
    assert!(
        md.contains("Forensics moved the start date; staff update at 13:00"),
        "{md}"
    );
    assert!(md.contains("open: nobody acknowledged it"), "{md}");
    assert!(md.contains("#### Key messages"), "{md}");

    let html = ok(cwd, &["report", d, "--format", "html"]);
    assert!(
        html.contains("<h3 id=\"told-whom\">What we told whom</h3>"),
        "{html}"
    );
    assert!(html.contains("since 12 March"));
    assert!(html.contains("class=\"finding acknowledged\""));
    assert!(html.contains("class=\"finding open\""));

    let json: Value = serde_json::from_str(&ok(cwd, &["report", d, "--format", "json"])).unwrap();
    let told = &json["told_whom"];
    let media = told["audiences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "media")
        .unwrap();
    assert_eq!(
        media["messages"][0]["figures"],
        serde_json::json!(["about 1,200 customers"])
    );
    let kinds: Vec<(&str, &str)> = told["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] != "key_message")
        .map(|f| {
            (
                f["kind"].as_str().unwrap(),
                f["resolution"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(kinds, [("stale", "open"), ("conflict", "acknowledged")]);
    assert_eq!(told["key_messages"].as_array().unwrap().len(), 6);
}
