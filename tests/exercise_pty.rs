//! End to end: an exercise in two real pseudo-terminals, a facilitator's console and a
//! player's console on one exercise folder, typed at like people and read back through a
//! terminal emulator (`vt100`). The facilitator starts the clock and delivers an inject early;
//! the injects appear on the player's screen, delivered once by whichever console got there.
//!
//! The real clock is pinned (`CRISISDESK_NOW`), so scenario time stands at the scenario
//! start: only what the test does moves the exercise on. Every step waits for the screen to
//! show its result; nothing sleeps and hopes.

use std::path::Path;
use std::process::Command;

mod pty;

use pty::{Console, NOW, bin};
use serde_json::Value;

fn crisisdesk(cwd: &Path, args: &[&str]) -> String {
    let out = Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .env("CRISISDESK_NOW", NOW)
        .env("USER", "facilitator")
        .output()
        .expect("runs crisisdesk");
    assert!(
        out.status.success(),
        "crisisdesk {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn an_inject_appears_on_the_players_screen() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let out = crisisdesk(
        cwd,
        &[
            "exercise",
            "data-breach",
            "--title",
            "PTY drill",
            "--speed",
            "10",
        ],
    );
    let dir = out.lines().last().unwrap().to_owned();
    assert!(dir.starts_with("exercises/"), "{out}");

    let mut desk = Console::start_with(
        cwd,
        &["open", &dir, "--facilitator"],
        &[("USER", "facilitator")],
    );
    desk.wait_until("the facilitator's Exercise view", |s| {
        s.contains("7 Exercise") && s.contains("NOT STARTED") && s.contains("MSEL")
    });
    let mut player = Console::start_with(cwd, &["open", &dir], &[("USER", "player")]);
    let s = player.wait_until("the player's board", |s| {
        s.contains("EXERCISE") && s.contains("NOT STARTED") && s.contains("Board")
    });
    assert!(
        !s.contains("7 Exercise"),
        "players have no Exercise view:\n{s}"
    );
    assert!(
        !s.contains("Unusual database export"),
        "nothing before it arrives:\n{s}"
    );

    // The facilitator starts the clock: i01 (at 0m) is due and rings on the player's screen.
    desk.keys(" ");
    desk.wait_for("▶ ×10");
    let s = player.wait_until("the first inject ringing", |s| {
        s.contains("PHONE CALL")
            && s.contains("Unusual database export")
            && s.contains("o: take it")
    });
    assert!(!s.contains("7 Exercise"), "{s}");

    // The facilitator delivers i04 early: it reaches the player too.
    desk.keys("\x1b[B\x1b[B\x1b[B");
    desk.wait_until("i04 selected", |s| s.contains("i04 — Enter"));
    desk.keys("D");
    // The notice says so ("inject i04 delivered", then "delivered i04 from …" once the
    // journal's change comes back): the MSEL's state is what stays.
    desk.wait_until("i04 delivered early", |s| {
        s.lines()
            .any(|l| l.starts_with("i04") && l.contains("✔ early"))
    });
    player.wait_until("the second inject", |s| s.contains("1 more ringing"));

    // The player takes the call: the inject in full.
    player.keys("o");
    let s = player.wait_until("the inject in full", |s| {
        s.contains("From:") && s.contains("(scenario time)")
    });
    assert!(s.contains("Security operations centre analyst"), "{s}");
    player.keys("\x1b");
    player.wait_until("the next inject ringing", |s| {
        s.contains("Request for comment")
    });
    player.keys("q");
    assert!(player.wait_exit().success());
    desk.keys("q");
    assert!(desk.wait_exit().success());

    // Each delivered once, whoever delivered it; the early one says so.
    let st: Value = serde_json::from_str(&crisisdesk(cwd, &["status", &dir, "--json"])).unwrap();
    let injects = st["exercise"]["injects"].as_array().unwrap();
    let state = |id: &str| injects.iter().find(|i| i["id"] == id).unwrap().clone();
    assert_eq!(state("i01")["state"], "delivered");
    assert_eq!(state("i04")["state"], "delivered");
    assert_eq!(state("i04")["early"], true);
    assert_eq!(state("i02")["state"], "pending");
    assert_eq!(st["journal"]["integrity"], "ok", "{}", st["journal"]);
    let mut ids = Vec::new();
    for f in std::fs::read_dir(cwd.join(&dir).join("journal")).unwrap() {
        for l in std::fs::read_to_string(f.unwrap().path()).unwrap().lines() {
            let r: Value = serde_json::from_str(l).unwrap();
            if r["entry"]["event"]["kind"] == "inject_delivered" {
                ids.push(r["entry"]["id"].as_str().unwrap().to_owned());
            }
        }
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 2, "{ids:?}");
}
