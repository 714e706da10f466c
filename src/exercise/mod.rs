//! Tabletop exercises: a scenario clock every console agrees on, injects delivered on time,
//! and the evaluation of what players did.
//!
//! An exercise is an incident folder whose `incident_opened` entry says `exercise: true`,
//! followed by an `exercise_planned` entry with its master scenario events list (MSEL) and
//! clock settings. In an exercise every entry's `at` is **scenario time** and `recorded_at` the
//! real time, so the incident fold, deadlines, cadences, reply deadlines and checklist dues all
//! run on scenario time unchanged; only "now" differs, and it comes from [`ScenarioClock`],
//! a pure function of the clock entries (start, pause, resume, speed, jump) and the real time.
//!
//! Pure: no terminal, no async, no file I/O.

pub mod clock;
pub mod deliver;
pub mod msel;
pub mod state;
pub mod status;

pub use clock::{ClockOp, ClockRefusal, Phase, ScenarioClock};
pub use state::{Delivery, Evidence, Exercise, InjectState, InjectStatus, ItemRating, fold};

/// The line every message composed in an exercise starts and ends with, so that a drill text
/// forwarded by mistake cannot be taken for real.
pub const MARK: &str = "EXERCISE EXERCISE EXERCISE";

/// `text` framed by [`MARK`] at its start and end. Marks already there are not doubled, so
/// marking is idempotent: an edit of a marked message stays marked once.
pub fn mark(text: &str) -> String {
    let body = text.trim();
    let inner = body.strip_prefix(MARK).unwrap_or(body);
    let inner = inner.strip_suffix(MARK).unwrap_or(inner).trim();
    if inner.is_empty() {
        format!("{MARK}\n\n{MARK}")
    } else {
        format!("{MARK}\n\n{inner}\n\n{MARK}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_frame_the_text_once() {
        let m = mark("We are aware of the incident.");
        assert_eq!(
            m,
            "EXERCISE EXERCISE EXERCISE\n\nWe are aware of the incident.\n\nEXERCISE EXERCISE EXERCISE"
        );
        assert_eq!(mark(&m), m, "idempotent");
        assert_eq!(
            mark(""),
            "EXERCISE EXERCISE EXERCISE\n\nEXERCISE EXERCISE EXERCISE"
        );
        assert_eq!(
            mark(MARK),
            "EXERCISE EXERCISE EXERCISE\n\nEXERCISE EXERCISE EXERCISE"
        );
        assert_eq!(
            mark("EXERCISE EXERCISE EXERCISE\nhello"),
            "EXERCISE EXERCISE EXERCISE\n\nhello\n\nEXERCISE EXERCISE EXERCISE"
        );
    }
}
