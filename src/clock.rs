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

/// The latest moment crisisdesk accepts as a time someone gives (a pinned clock, `--at`,
/// `--due`…): deadlines counted from later times could pass the end of the calendar (year
/// 9999) and would have to be cut short, which would be a silent lie.
pub fn latest() -> Timestamp {
    // 9000-01-01T00:00:00Z
    Timestamp::from_second(221_845_392_000).expect("year 9000 is in range")
}

/// The clock the command line uses: `CRISISDESK_NOW` if set, else the system's. A value that
/// is not an RFC 3339 time, or is later than [`latest`], is refused (never silently replaced
/// by the system clock: a demonstration would run on the wrong day).
pub fn from_env() -> Result<Box<dyn Clock>, String> {
    match std::env::var_os(NOW_ENV) {
        None => Ok(Box::new(SystemClock)),
        Some(v) => {
            let text = v.to_string_lossy();
            match text.trim().parse::<Timestamp>() {
                Ok(t) if t < latest() => Ok(Box::new(FixedClock(t))),
                Ok(_) => Err(format!(
                    "{NOW_ENV}=\"{text}\" is past the year 9000: deadlines would run off the calendar"
                )),
                Err(e) => Err(format!(
                    "{NOW_ENV}=\"{text}\" is not a time: write it as RFC 3339, like 2026-11-27T10:00:00Z ({e})"
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_time_accepted_is_the_start_of_9000() {
        assert_eq!(latest().to_string(), "9000-01-01T00:00:00Z");
    }
}
