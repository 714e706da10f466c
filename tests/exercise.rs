//! Tabletop exercises through the real binary on a pinned real clock (`CRISISDESK_NOW`): the
//! scenario clock, deliveries on time and never twice (two processes racing included),
//! replies and ratings in `status --json`, MSEL spreadsheets with errors at row and column.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin(cwd: &Path, now: &str) -> Command {
    let mut c = Command::cargo_bin("crisisdesk").unwrap();
    c.current_dir(cwd)
        .env("CRISISDESK_NOW", now)
        .env("USER", "facilitator");
    c
}

fn run(cwd: &Path, now: &str, args: &[&str]) -> String {
    let out = bin(cwd, now).args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn refused(cwd: &Path, now: &str, args: &[&str]) -> String {
    let out = bin(cwd, now).args(args).assert().code(2);
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

fn status(cwd: &Path, now: &str, dir: &str) -> Value {
    serde_json::from_str(&run(cwd, now, &["status", dir, "--json"])).unwrap()
}

/// The data-breach playbook's 12 injects, scenario starting Friday 6 March 2026 17:00 in
/// Berlin (16:00 UTC), ten times real speed, created on Monday 2 March at 09:00 UTC.
fn create(cwd: &Path) -> String {
    let out = run(
        cwd,
        "2026-03-02T09:00:00Z",
        &[
            "exercise",
            "data-breach",
            "--title",
            "Q1 breach drill",
            "--speed",
            "10",
            "--scenario-start",
            "2026-03-06 17:00",
        ],
    );
    let dir = out.lines().last().unwrap().to_owned();
    assert_eq!(dir, "exercises/2026-03-06-q1-breach-drill", "{out}");
    assert!(cwd.join(&dir).join("journal").is_dir());
    dir
}

fn inject<'a>(st: &'a Value, id: &str) -> &'a Value {
    st["exercise"]["injects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no inject {id}"))
}

fn delivered(st: &Value) -> Vec<String> {
    st["exercise"]["injects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["state"] == "delivered")
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_twelve_inject_exercise_at_ten_times_speed() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = create(cwd);
    let d = dir.as_str();
    assert!(
        !cwd.join("incidents").exists(),
        "never among real incidents"
    );

    // Waiting at its scenario start until the facilitator starts it.
    let st = status(cwd, "2026-03-02T09:05:00Z", d);
    assert_eq!(st["incident"]["exercise"], true);
    let ex = &st["exercise"];
    assert_eq!(ex["scenario_now"], "2026-03-06T16:00:00Z");
    assert_eq!(ex["paused"], true);
    assert_eq!(ex["clock"], "not_started");
    assert_eq!(ex["speed"], 10);
    assert_eq!(ex["injects"].as_array().unwrap().len(), 12);
    assert_eq!(inject(&st, "i04")["at"], "1h20m");
    assert_eq!(inject(&st, "i04")["due"], "2026-03-06T17:20:00Z");
    assert_eq!(
        inject(&st, "i04")["from"],
        Value::Null,
        "not revealed before delivery"
    );
    let out = run(cwd, "2026-03-02T09:05:00Z", &["exercise", "deliver", d]);
    assert!(out.contains("nothing due"), "{out}");

    run(cwd, "2026-03-02T09:10:00Z", &["exercise", "start", d]);
    // Three real minutes are thirty scenario minutes: i01 (0m) and i02 (25m) are due.
    let out = run(cwd, "2026-03-02T09:13:00Z", &["exercise", "deliver", d]);
    assert_eq!(out.matches("delivered").count(), 2, "{out}");
    run(cwd, "2026-03-02T09:13:00Z", &["exercise", "deliver", d]);
    let st = status(cwd, "2026-03-02T09:13:00Z", d);
    assert_eq!(st["exercise"]["scenario_now"], "2026-03-06T16:30:00Z");
    assert_eq!(delivered(&st), ["i01", "i02"]);
    assert_eq!(inject(&st, "i02")["delivered_at"], "2026-03-06T16:25:00Z");
    assert_eq!(inject(&st, "i03")["state"], "pending");

    // Pause holds scenario time for an hour of real time.
    run(cwd, "2026-03-02T09:14:00Z", &["exercise", "pause", d]);
    let st = status(cwd, "2026-03-02T10:14:00Z", d);
    assert_eq!(st["exercise"]["scenario_now"], "2026-03-06T16:40:00Z");
    assert_eq!(st["exercise"]["paused"], true);
    run(cwd, "2026-03-02T10:14:00Z", &["exercise", "deliver", d]);
    assert_eq!(
        delivered(&status(cwd, "2026-03-02T10:14:00Z", d)),
        ["i01", "i02"]
    );
    run(cwd, "2026-03-02T10:14:00Z", &["exercise", "resume", d]);

    // Six real minutes later it is 17:40: i03 (50m) and i04 (1h20m), dated at their times.
    run(cwd, "2026-03-02T10:20:00Z", &["exercise", "deliver", d]);
    let st = status(cwd, "2026-03-02T10:20:00Z", d);
    assert_eq!(st["exercise"]["scenario_now"], "2026-03-06T17:40:00Z");
    assert_eq!(st["exercise"]["paused"], false);
    assert_eq!(delivered(&st), ["i01", "i02", "i03", "i04"]);
    let i03 = inject(&st, "i03");
    assert_eq!(i03["delivered_at"], "2026-03-06T16:50:00Z");
    assert_eq!(
        i03["reply_by"], "2026-03-06T17:20:00Z",
        "30m in scenario time"
    );
    assert_eq!(i03["reply"], "overdue");
    let i04 = inject(&st, "i04");
    assert_eq!(i04["kind"], "media_inquiry");
    assert_eq!(
        i04["reply_by"], "2026-03-06T18:20:00Z",
        "1h in scenario time"
    );
    assert_eq!(i04["reply"], "pending");
    assert_eq!(
        st["counts"]["open_inquiries"], 2,
        "the request and the press question"
    );
    let request = st["inquiries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["inject"] == "i03")
        .unwrap();
    assert_eq!(request["kind"], "request");
    assert_eq!(request["received_at"], "2026-03-06T16:50:00Z");
    assert_eq!(
        request["reply_by"], "2026-03-06T17:20:00Z",
        "in scenario time"
    );
    assert_eq!(request["reply"], "overdue");

    // The spokesperson answers the reporter at 17:50 scenario time: met.
    let events = std::fs::read_dir(cwd.join(d).join("journal"))
        .unwrap()
        .flat_map(|f| {
            std::fs::read_to_string(f.unwrap().path())
                .unwrap()
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>();
    let i04_id = events
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["entry"]["event"]["inject"]["id"] == "i04")
        .map(|r| r["entry"]["id"].as_str().unwrap().to_owned())
        .unwrap();
    run(
        cwd,
        "2026-03-02T10:21:00Z",
        &[
            "log",
            d,
            "answer",
            &i04_id,
            "We are investigating and will update at 19:00.",
        ],
    );
    // Players may name the request by its inject's id: answered at 17:55, after 17:20: late.
    run(
        cwd,
        "2026-03-02T10:21:30Z",
        &[
            "log",
            d,
            "answer",
            "i03",
            "Advice for agents is on the intranet.",
        ],
    );
    // Ratings: a later rating of an item replaces the earlier one.
    run(
        cwd,
        "2026-03-02T10:22:00Z",
        &[
            "exercise",
            "rate",
            d,
            "i04",
            "2",
            "M",
            "--note",
            "sent after the deadline",
        ],
    );
    run(
        cwd,
        "2026-03-02T10:23:00Z",
        &["exercise", "rate", d, "i04", "2", "S"],
    );
    run(
        cwd,
        "2026-03-02T10:23:00Z",
        &["exercise", "rate", d, "i04", "1", "p"],
    );
    let st = status(cwd, "2026-03-02T10:24:00Z", d);
    let i04 = inject(&st, "i04");
    assert_eq!(i04["reply"], "met");
    assert_eq!(inject(&st, "i03")["reply"], "late");
    assert_eq!(inject(&st, "i03")["replied_at"], "2026-03-06T17:55:00Z");
    assert_eq!(i04["replied_at"], "2026-03-06T17:50:00Z");
    let ratings: Vec<(u64, &str)> = i04["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["item"].as_u64().unwrap(), r["rating"].as_str().unwrap()))
        .collect();
    assert_eq!(ratings, [(1, "P"), (2, "S")]);
    assert_eq!(i04["ratings"][1]["note"], Value::Null);

    // Speed and jumps: at ×60 one real minute is an hour; `jump next` lands on the next inject.
    run(cwd, "2026-03-02T10:24:00Z", &["exercise", "speed", d, "60"]);
    let st = status(cwd, "2026-03-02T10:25:00Z", d);
    assert_eq!(st["exercise"]["scenario_now"], "2026-03-06T19:20:00Z");
    run(
        cwd,
        "2026-03-02T10:25:00Z",
        &["exercise", "skip", d, "i07", "--reason", "time"],
    );
    run(cwd, "2026-03-02T10:25:00Z", &["exercise", "deliver", d]);
    let st = status(cwd, "2026-03-02T10:25:00Z", d);
    assert_eq!(delivered(&st), ["i01", "i02", "i03", "i04", "i05", "i06"]);
    run(
        cwd,
        "2026-03-02T10:25:00Z",
        &["exercise", "jump", d, "next"],
    );
    assert_eq!(
        status(cwd, "2026-03-02T10:25:00Z", d)["exercise"]["scenario_now"],
        "2026-03-06T20:00:00Z",
        "i08 at 4h"
    );
    let err = refused(
        cwd,
        "2026-03-02T10:25:00Z",
        &["exercise", "jump", d, "next"],
    );
    assert!(err.contains("already due"), "{err}");
    let err = refused(
        cwd,
        "2026-03-02T10:25:00Z",
        &["exercise", "deliver", d, "i07"],
    );
    assert!(err.contains("skipped"), "{err}");
    run(cwd, "2026-03-02T10:25:00Z", &["exercise", "jump", d, "6h"]);
    run(cwd, "2026-03-02T10:26:00Z", &["exercise", "deliver", d]);
    let st = status(cwd, "2026-03-02T10:26:00Z", d);
    assert_eq!(st["exercise"]["scenario_now"], "2026-03-07T03:00:00Z");
    assert_eq!(delivered(&st).len(), 11, "{:?}", delivered(&st));
    assert_eq!(inject(&st, "i07")["state"], "skipped");
    assert_eq!(inject(&st, "i12")["delivered_at"], "2026-03-07T01:00:00Z");
    assert_eq!(st["journal"]["integrity"], "ok");

    // Every delivery is in the journal once.
    let mut ids: Vec<String> = std::fs::read_dir(cwd.join(d).join("journal"))
        .unwrap()
        .flat_map(|f| {
            std::fs::read_to_string(f.unwrap().path())
                .unwrap()
                .lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap())
                .filter(|r| r["entry"]["event"]["kind"] == "inject_delivered")
                .map(|r| {
                    r["entry"]["event"]["inject"]["id"]
                        .as_str()
                        .unwrap()
                        .to_owned()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "{ids:?}");
}

#[test]
fn two_processes_delivering_at_once_deliver_each_inject_once() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = create(cwd);
    run(cwd, "2026-03-02T09:00:00Z", &["exercise", "start", &dir]);
    // Every 2 real minutes (20 scenario minutes), two consoles run a pass at the same moment.
    for minute in (1..=59).step_by(2) {
        let now = format!("2026-03-02T09:{minute:02}:00Z");
        let spawn = || {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("crisisdesk"))
                .current_dir(cwd)
                .env("CRISISDESK_NOW", &now)
                .env("USER", "racer")
                .args(["exercise", "deliver", &dir])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        };
        let (mut a, mut b) = (spawn(), spawn());
        assert!(a.wait().unwrap().success());
        assert!(b.wait().unwrap().success());
    }
    let st = status(cwd, "2026-03-02T09:59:30Z", &dir);
    assert_eq!(delivered(&st).len(), 12);
    // Racing copies of one delivery are the same entry, so the journal reports no conflict.
    assert_eq!(st["journal"]["integrity"], "ok", "{}", st["journal"]);
    let mut copies = std::collections::BTreeMap::<String, Vec<String>>::new();
    for f in std::fs::read_dir(cwd.join(&dir).join("journal")).unwrap() {
        for l in std::fs::read_to_string(f.unwrap().path()).unwrap().lines() {
            let r: Value = serde_json::from_str(l).unwrap();
            if r["entry"]["event"]["kind"] == "inject_delivered" {
                copies
                    .entry(r["entry"]["event"]["inject"]["id"].as_str().unwrap().into())
                    .or_default()
                    .push(r["entry"].to_string());
            }
        }
    }
    assert_eq!(copies.len(), 12);
    for (inject, entries) in &copies {
        assert!(
            entries.windows(2).all(|w| w[0] == w[1]),
            "{inject}: {entries:#?}"
        );
    }
    let events = st["counts"]["events"].as_u64().unwrap();
    assert_eq!(
        events,
        2 + 1 + 12,
        "opened, planned, started, 12 deliveries"
    );
}

#[test]
fn an_msel_spreadsheet_is_checked_row_by_row_and_column_by_column() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let csv = run(cwd, "2026-03-02T09:00:00Z", &["msel", "data-breach"]);
    assert!(csv.starts_with(
        "id,at,from,to,channel,kind,subject,text,respond_within,stakeholder,expect\n"
    ));
    // The written MSEL runs as it is.
    std::fs::write(cwd.join("plan.csv"), &csv).unwrap();
    let made = bin(cwd, "2026-03-02T09:00:00Z")
        .args([
            "exercise",
            "data-breach",
            "--title",
            "From the sheet",
            "--msel",
            "plan.csv",
        ])
        .assert()
        .success();
    let out = made.get_output();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("12 injects from plan.csv"), "{said}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "exercises/2026-03-02-from-the-sheet\n",
        "standard output is the folder alone"
    );

    let bad = "id,at,from,to,kind,text,respond_within\n\
               i01,0m,SOC analyst,ciso,info,Unusual export,\n\
               i02,half an hour,Reporter,comms_lead,media_inquiry,How many?,1h\n\
               i03,1h,Customer care,helpdesk,stakeholder_request,Agents ask,30 min\n\
               i03,2h,,comms_lead,media_mention,Viral post,\n";
    std::fs::write(cwd.join("bad.csv"), bad).unwrap();
    let err = refused(
        cwd,
        "2026-03-02T09:00:00Z",
        &[
            "exercise",
            "data-breach",
            "--title",
            "Bad",
            "--msel",
            "bad.csv",
        ],
    );
    let lines: Vec<&str> = err.lines().collect();
    let at = |needle: &str| {
        lines
            .iter()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} not in {err}"))
    };
    assert!(
        at("\"half an hour\"").starts_with("bad.csv:3:2: error:"),
        "{err}"
    );
    assert!(at("helpdesk").starts_with("bad.csv:4:4: error:"), "{err}");
    assert!(at("\"30 min\"").starts_with("bad.csv:4:7: error:"), "{err}");
    assert!(
        at("column C \"from\"").starts_with("bad.csv:5:3: error:"),
        "{err}"
    );
    assert!(
        at("i03").contains("bad.csv:5:1:") || err.contains("bad.csv:5:1: error:"),
        "{err}"
    );
    assert!(
        !cwd.join("exercises")
            .read_dir()
            .unwrap()
            .any(|e| { e.unwrap().file_name().to_string_lossy().contains("bad") })
    );

    std::fs::write(cwd.join("typo.csv"), "id,at,form,text\ni1,1h,x,y\n").unwrap();
    let err = refused(
        cwd,
        "2026-03-02T09:00:00Z",
        &[
            "exercise",
            "data-breach",
            "--title",
            "T",
            "--msel",
            "typo.csv",
        ],
    );
    assert!(
        err.contains("typo.csv:1:3: error: unknown column \"form\" — did you mean \"from\"?"),
        "{err}"
    );
}

#[test]
fn exercises_and_real_incidents_never_mix() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let now = "2026-03-02T09:00:00Z";
    let out = run(
        cwd,
        now,
        &[
            "new",
            root().join("playbooks/data-breach.json").to_str().unwrap(),
            "--title",
            "Real breach",
        ],
    );
    let real = out.trim().to_owned();
    for args in [
        vec!["exercise", "start", real.as_str()],
        vec!["exercise", "deliver", real.as_str()],
        vec!["exercise", "rate", real.as_str(), "i01", "1", "P"],
    ] {
        let err = refused(cwd, now, &args);
        assert!(err.contains("real incident"), "{err}");
    }
    let err = refused(
        cwd,
        now,
        &["new", "data-breach", "--title", "Drill", "--exercise"],
    );
    assert!(err.contains("crisisdesk exercise PLAYBOOK"), "{err}");

    // In an exercise, messages are marked, entries are in scenario time, and lines say EXERCISE.
    let dir = create(cwd);
    run(cwd, "2026-03-02T09:10:00Z", &["exercise", "start", &dir]);
    let id = run(
        cwd,
        "2026-03-02T09:11:00Z",
        &[
            "log",
            &dir,
            "draft",
            "--stakeholder",
            "employees",
            "Please do not talk to the press.",
        ],
    );
    let st = status(cwd, "2026-03-02T09:11:00Z", &dir);
    assert_eq!(st["counts"]["drafts"], 1);
    let journal = std::fs::read_dir(cwd.join(&dir).join("journal"))
        .unwrap()
        .map(|f| f.unwrap().path())
        // The journal files, not the lock `log` calls take turns under.
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect::<String>();
    let draft: Value = journal
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["entry"]["id"] == id.trim())
        .unwrap();
    assert_eq!(
        draft["entry"]["event"]["text"],
        "EXERCISE EXERCISE EXERCISE\n\nPlease do not talk to the press.\n\nEXERCISE EXERCISE EXERCISE"
    );
    assert_eq!(
        draft["entry"]["at"], "2026-03-06T16:10:00Z",
        "scenario time"
    );
    assert_eq!(
        draft["entry"]["recorded_at"], "2026-03-02T09:11:00Z",
        "real time"
    );
    let text = run(cwd, "2026-03-02T09:11:00Z", &["status", &dir]);
    assert!(text.starts_with("EXERCISE — Q1 breach drill"), "{text}");
    assert!(
        text.contains("EXERCISE clock: scenario time Fri 06 Mar 17:10:00 CET — running, ×10"),
        "{text}"
    );
    // A player cannot back-date into the scenario's future.
    let err = refused(
        cwd,
        "2026-03-02T09:11:00Z",
        &["log", &dir, "--at", "2026-03-06T17:00:00Z", "note", "later"],
    );
    assert!(err.contains("future"), "{err}");
}
