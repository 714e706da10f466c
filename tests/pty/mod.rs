//! The console in a real pseudo-terminal, typed at like a person and read back through a
//! terminal emulator (`vt100`), for the end-to-end tests. No tmux: `cargo test` needs nothing
//! else. Every step waits (polling the screen, up to a generous timeout) for what a person
//! would wait for before the next key: the screen showing the result. Nothing sleeps and hopes.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// The real clock, pinned for every console a test starts (`CRISISDESK_NOW`).
pub const NOW: &str = "2026-11-27T10:00:00Z";
pub const ROWS: u16 = 30;
pub const COLS: u16 = 100;
/// How long one step may take on a busy two-core machine.
pub const STEP: Duration = Duration::from_secs(20);

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_crisisdesk")
}

/// The console under test: the PTY's writer, and a screen fed by a reader thread.
pub struct Console {
    writer: Box<dyn Write + Send>,
    output: mpsc::Receiver<Vec<u8>>,
    parser: vt100::Parser,
    /// Everything the program wrote, for the final checks and for failure messages.
    pub raw: Vec<u8>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Console {
    pub fn start(cwd: &Path, args: &[&str]) -> Console {
        Console::start_with(cwd, args, &[])
    }

    /// Starts the console with more environment (`$EDITOR`, where texts are kept).
    pub fn start_with(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Console {
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
        cmd.env("USER", "tester");
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
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
    pub fn pump(&mut self, wait: Duration) {
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
    pub fn settle(&mut self) {
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

    pub fn screen(&self) -> String {
        self.parser.screen().contents()
    }

    /// Waits until the screen satisfies `ok`; fails with the screen if it never does.
    pub fn wait_until(&mut self, what: &str, ok: impl Fn(&str) -> bool) -> String {
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

    pub fn wait_for(&mut self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Types keys (raw bytes, as a terminal sends them).
    pub fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("types");
        self.writer.flush().expect("flushes");
    }

    /// Types text one key at a time, the way a person's keystrokes arrive.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let key = if c == '\n' {
                "\r".to_owned()
            } else {
                c.to_string()
            };
            self.keys(&key);
        }
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
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
