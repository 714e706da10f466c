//! The console's one reader of the terminal: a thread that polls crossterm for key and resize
//! events and can be paused.
//!
//! Why not crossterm's `EventStream`: while `$EDITOR` runs, nothing in this process may read
//! the terminal (the editor's keys and the terminal's replies to its queries are the
//! editor's), and dropping an `EventStream` only asks its reader thread to stop — it may
//! still be inside a read, and a wake-up it leaves armed makes the next terminal query fail
//! at once ("The cursor position could not be read within a normal duration"). This thread
//! polls with a short timeout and, when paused, says so only after its last poll returned:
//! from then until it is resumed, nothing reads the terminal.

use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crossterm::event::Event as TermEvent;
use tokio::sync::mpsc;

/// How long one poll of the terminal waits: the longest a pause waits for the reader.
const POLL: Duration = Duration::from_millis(150);

/// The handle of the reader thread.
pub struct Input {
    paused: Arc<(Mutex<bool>, Condvar)>,
    idle: std_mpsc::Receiver<()>,
}

impl Input {
    /// Starts reading; events (or the error that ended reading) arrive on `tx`.
    pub fn start(tx: mpsc::UnboundedSender<std::io::Result<TermEvent>>) -> Input {
        let paused = Arc::new((Mutex::new(false), Condvar::new()));
        let (idle_tx, idle) = std_mpsc::channel();
        let flag = Arc::clone(&paused);
        std::thread::Builder::new()
            .name("crisisdesk-keys".into())
            .spawn(move || {
                loop {
                    {
                        let (lock, cv) = &*flag;
                        let mut p = lock
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        if *p {
                            // Not reading now, and not until resumed.
                            if idle_tx.send(()).is_err() {
                                return;
                            }
                            while *p {
                                p = cv
                                    .wait(p)
                                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                            }
                        }
                    }
                    match crossterm::event::poll(POLL) {
                        Ok(false) => {}
                        Ok(true) => {
                            let ev = crossterm::event::read();
                            let failed = ev.is_err();
                            if tx.send(ev).is_err() || failed {
                                return;
                            }
                        }
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            return;
                        }
                    }
                    if tx.is_closed() {
                        return;
                    }
                }
            })
            .expect("the key reader starts");
        Input { paused, idle }
    }

    /// Stops reading the terminal; returns once the reader is idle (or gone).
    pub fn pause(&self) {
        let (lock, _) = &*self.paused;
        *lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = true;
        // The reader finishes its poll (at most POLL) and says it is idle; if it has ended
        // (the terminal failed) nothing reads either.
        let _ = self.idle.recv_timeout(POLL * 10);
    }

    /// Reads the terminal again.
    pub fn resume(&self) {
        let (lock, cv) = &*self.paused;
        *lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = false;
        cv.notify_all();
    }
}
