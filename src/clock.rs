//! Where "now" comes from: the system clock, a fixed moment in tests, or `CRISISDESK_NOW`.
//!
//! Deadlines are judged against "now", so every part of the program asks a [`Clock`] rather
//! than the system; tests and demonstrations pin it.

use jiff::Timestamp;

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// The current moment.
    fn now(&self) -> Timestamp;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock stopped at one moment.
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

/// The environment variable that pins the command-line clock (RFC 3339), for scripted
/// demonstrations and tests. The system clock is used when it is unset.
pub const NOW_ENV: &str = "CRISISDESK_NOW";

/// The clock the command line uses: `CRISISDESK_NOW` if set and valid, else the system's.
pub fn from_env() -> Box<dyn Clock> {
    match std::env::var(NOW_ENV).ok().and_then(|s| s.parse().ok()) {
        Some(t) => Box::new(FixedClock(t)),
        None => Box::new(SystemClock),
    }
}
