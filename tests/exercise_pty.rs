//! End to end: an exercise in two real pseudo-terminals, a facilitator's console and a
//! player's console on one exercise folder, typed at like people and read back through a
//! terminal emulator (`vt100`). The facilitator starts the clock and delivers an inject early;
//! the injects appear on the player's screen, delivered once by whichever console got there.
//!
//! The real clock is pinned (`CRISISDESK_NOW`), so scenario time stands at the scenario
//! start: only what the test does moves the exercise on. Every step waits for the screen to
//! show its result; nothing sleeps and hopes.

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use serde_json::Value;

const NOW: &str = "2026-11-27T10:00:00Z";
const ROWS: u16 = 30;
const COLS: u16 = 100;
/// How long one step may take on a busy two-core machine.
const STEP: Duration = Duration::from_secs(20);

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_crisisdesk")
}

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

/// The console under test: the PTY's writer, and a screen fed by a reader thread.
struct Console {
    writer: Box<dyn Write + Send>,
    output: mpsc::Receiver<Vec<u8>>,
    parser: vt100::Parser,
    /// Everything the program wrote, for the final checks and for failure messages.
    raw: Vec<u8>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Console {
    fn start(cwd: &Path, user: &str, args: &[&str]) -> Console {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(bin());
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env("CRISISDESK_NOW", NOW);
        cmd.env("USER", user);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).expect("spawns the console");
        // Only the child holds the terminal's other end: its exit ends our reads.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // Keep the master open as long as we read.
            let _master = pair.master;
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if tx.send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Console {
            writer,
            output: rx,
            parser: vt100::Parser::new(
                std::num::NonZeroU16::new(ROWS).unwrap(),
                std::num::NonZeroU16::new(COLS).unwrap(),
                0,
            ),
            raw: Vec::new(),
            child,
        }
    }

    /// Feeds what arrived so far to the screen (waiting up to `wait` for the first bytes).
    fn pump(&mut self, wait: Duration) {
        let mut first = true;
        loop {
            let chunk = if first {
                self.output.recv_timeout(wait).ok()
            } else {
                self.output.try_recv().ok()
            };
            first = false;
            let Some(bytes) = chunk else { break };
            // Answer a cursor-position query, as a terminal would.
            if bytes.windows(4).any(|w| w == b"\x1b[6n") {
                let (row, col) = self.parser.screen().cursor_position();
                let _ = write!(self.writer, "\x1b[{};{}R", row + 1, col + 1);
            }
            self.parser.process(&bytes);
            self.raw.extend_from_slice(&bytes);
        }
    }

    /// Reads until nothing more arrives for a moment (the frame being drawn is complete).
    fn settle(&mut self) {
        let quiet = Duration::from_millis(40);
        let until = Instant::now() + Duration::from_secs(2);
        while Instant::now() < until {
            match self.output.recv_timeout(quiet) {
                Ok(bytes) => {
                    if bytes.windows(4).any(|w| w == b"\x1b[6n") {
                        let (row, col) = self.parser.screen().cursor_position();
                        let _ = write!(self.writer, "\x1b[{};{}R", row + 1, col + 1);
                    }
                    self.parser.process(&bytes);
                    self.raw.extend_from_slice(&bytes);
                }
                Err(_) => break,
            }
        }
    }

    fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Waits until the screen satisfies `ok`; fails with the screen if it never does.
    fn wait_until(&mut self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + STEP;
        loop {
            self.pump(Duration::from_millis(50));
            let s = self.screen();
            if ok(&s) {
                // A frame can arrive in several reads: let it finish before judging it, so
                // what the caller asserts next is a whole frame.
                self.settle();
                let s = self.screen();
                if ok(&s) {
                    return s;
                }
                continue;
            }
            if Instant::now() > deadline {
                panic!("waited {STEP:?} for {what}; the screen shows:\n{s}");
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                self.pump(Duration::from_millis(50));
                panic!(
                    "the console exited ({status:?}) while waiting for {what}:\n{}",
                    self.screen()
                );
            }
        }
    }

    fn wait_for(&mut self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Types keys (raw bytes, as a terminal sends them).
    fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("types");
        self.writer.flush().expect("flushes");
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + STEP;
        loop {
            self.pump(Duration::from_millis(50));
            if let Some(status) = self.child.try_wait().expect("child status") {
                self.pump(Duration::from_millis(100));
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the console did not exit:\n{}", self.screen());
            }
        }
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        // A failed test must not leave the console running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
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

    let mut desk = Console::start(cwd, "facilitator", &["open", &dir, "--facilitator"]);
    desk.wait_until("the facilitator's Exercise view", |s| {
        s.contains("7 Exercise") && s.contains("NOT STARTED") && s.contains("MSEL")
    });
    let mut player = Console::start(cwd, "player", &["open", &dir]);
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
