//! The scenario clock: what time it is in an exercise's story at a real instant.
//!
//! The facilitator starts, pauses, resumes, changes the speed of and jumps the clock; each of
//! those is a journal entry stamped with the real time it was recorded (`recorded_at`). The
//! scenario time at any real instant is a pure function of those entries, replayed in real-time
//! order, so every console on the folder, on any machine, shows the same scenario time and no
//! process has to keep running for the clock to be right.
//!
//! ```text
//! scenario
//!   ^                         ______/   speed 10
//!   |                   jump |
//!   |          ____________ /            paused: flat
//!   |        /
//!   |______/  started        speed 1
//!   +-------------------------------------------> real
//! ```
//! The clock never goes backwards: an operation recorded with a real time earlier than the one
//! before it (two machines' clocks disagree) counts as happening at that earlier entry's time,
//! and a jump to a scenario time already passed is refused.

use jiff::Timestamp;

/// The slowest and fastest speeds (scenario seconds per real second).
pub const MIN_SPEED: u32 = 1;
/// See [`MIN_SPEED`].
pub const MAX_SPEED: u32 = 120;

/// One thing the facilitator (or closing the exercise) did to the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockOp {
    /// Players are briefed: the clock starts running.
    Start,
    /// Scenario time holds.
    Pause,
    /// Scenario time runs again from where it held.
    Resume,
    /// Scenario seconds per real second from here on.
    Speed(u32),
    /// Scenario time moves forward to this time at once.
    Jump(Timestamp),
    /// The exercise is over (it was closed): scenario time holds for good.
    End,
}

/// Where the clock stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Created, waiting at its scenario start for the facilitator to start it.
    NotStarted,
    Running,
    Paused,
    /// Closed: the clock holds at the time it was closed.
    Ended,
}

impl Phase {
    /// The word used on screens and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::NotStarted => "not_started",
            Phase::Running => "running",
            Phase::Paused => "paused",
            Phase::Ended => "ended",
        }
    }

    /// True when scenario time is not moving.
    pub fn holds(self) -> bool {
        self != Phase::Running
    }
}

/// Why a clock operation is refused, in words for the facilitator.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClockRefusal {
    #[error("the exercise has not started yet: start it first (players are briefed)")]
    NotStarted,
    #[error("the exercise has already started")]
    AlreadyStarted,
    #[error("the exercise clock is already paused")]
    AlreadyPaused,
    #[error("the exercise clock is not paused: it is running")]
    NotPaused,
    #[error("the exercise is over: its clock cannot change any more")]
    Ended,
    #[error(
        "the speed must be from {MIN_SPEED} to {MAX_SPEED} (scenario seconds per real second), not {0}"
    )]
    Speed(u32),
    #[error(
        "scenario time is already {now}: the clock only goes forward (a jump to {to} would go back)"
    )]
    Backwards { now: Timestamp, to: Timestamp },
}

/// From `real` on (until the next segment), scenario time is `scenario` plus the real time
/// elapsed since `real` times `speed` while running, or `scenario` while holding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    real: Timestamp,
    scenario: Timestamp,
    speed: u32,
    phase: Phase,
}

/// The scenario clock of one exercise, built by replaying its clock entries in real-time order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioClock {
    start: Timestamp,
    /// Ordered by `real` (never decreasing); the first is the waiting state before any entry.
    segments: Vec<Segment>,
}

impl ScenarioClock {
    /// A new exercise's clock: waiting at `start`, to run at `speed` once started.
    pub fn new(start: Timestamp, speed: u32) -> ScenarioClock {
        ScenarioClock {
            start,
            segments: vec![Segment {
                real: Timestamp::MIN,
                scenario: start,
                speed: speed.clamp(MIN_SPEED, MAX_SPEED),
                phase: Phase::NotStarted,
            }],
        }
    }

    /// The scenario time the exercise begins at.
    pub fn scenario_start(&self) -> Timestamp {
        self.start
    }

    fn last(&self) -> &Segment {
        self.segments
            .last()
            .expect("a clock always has its first segment")
    }

    /// The phase after every operation so far.
    pub fn phase(&self) -> Phase {
        self.last().phase
    }

    /// The speed after every operation so far.
    pub fn speed(&self) -> u32 {
        self.last().speed
    }

    /// When the clock was started (real time), if it was.
    pub fn started_at(&self) -> Option<Timestamp> {
        self.segments
            .iter()
            .find(|s| s.phase != Phase::NotStarted)
            .map(|s| s.real)
    }

    /// Whether `op` may be done now, after every operation so far.
    pub fn check(&self, real: Timestamp, op: ClockOp) -> Result<(), ClockRefusal> {
        let last = self.last();
        match (last.phase, op) {
            (Phase::Ended, ClockOp::End) => Ok(()),
            (Phase::Ended, _) => Err(ClockRefusal::Ended),
            (_, ClockOp::End) => Ok(()),
            (Phase::NotStarted, ClockOp::Start) => Ok(()),
            (_, ClockOp::Start) => Err(ClockRefusal::AlreadyStarted),
            (Phase::NotStarted, ClockOp::Pause | ClockOp::Resume) => Err(ClockRefusal::NotStarted),
            (Phase::Paused, ClockOp::Pause) => Err(ClockRefusal::AlreadyPaused),
            (Phase::Running, ClockOp::Resume) => Err(ClockRefusal::NotPaused),
            (_, ClockOp::Speed(n)) if !(MIN_SPEED..=MAX_SPEED).contains(&n) => {
                Err(ClockRefusal::Speed(n))
            }
            (_, ClockOp::Jump(to)) => {
                let now = self.at(real.max(last.real));
                if to <= now {
                    Err(ClockRefusal::Backwards { now, to })
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    /// Applies `op` recorded at real time `real`, if it may be done (see [`Self::check`]).
    /// A `real` earlier than the previous operation's counts as that operation's time.
    pub fn apply(&mut self, real: Timestamp, op: ClockOp) -> Result<(), ClockRefusal> {
        self.check(real, op)?;
        let last = *self.last();
        if last.phase == Phase::Ended {
            return Ok(());
        }
        let real = real.max(last.real);
        let now = self.at(real);
        let next = match op {
            ClockOp::Start | ClockOp::Resume => Segment {
                phase: Phase::Running,
                ..last
            },
            ClockOp::Pause => Segment {
                phase: Phase::Paused,
                ..last
            },
            ClockOp::Speed(speed) => Segment { speed, ..last },
            ClockOp::Jump(to) => Segment {
                scenario: to,
                ..last
            },
            ClockOp::End => Segment {
                phase: Phase::Ended,
                ..last
            },
        };
        self.segments.push(Segment {
            real,
            scenario: if matches!(op, ClockOp::Jump(_)) {
                next.scenario
            } else {
                now
            },
            ..next
        });
        Ok(())
    }

    /// The segment in force at `real`.
    fn segment_at(&self, real: Timestamp) -> &Segment {
        let i = self.segments.partition_point(|s| s.real <= real);
        &self.segments[i.saturating_sub(1)]
    }

    /// Scenario time at real time `real`.
    pub fn at(&self, real: Timestamp) -> Timestamp {
        let s = self.segment_at(real);
        if s.phase != Phase::Running {
            return s.scenario;
        }
        let elapsed = real.as_nanosecond() - s.real.as_nanosecond();
        let ns = s.scenario.as_nanosecond() + elapsed * i128::from(s.speed);
        Timestamp::from_nanosecond(ns).unwrap_or(Timestamp::MAX)
    }

    /// The phase at real time `real`.
    pub fn phase_at(&self, real: Timestamp) -> Phase {
        self.segment_at(real).phase
    }

    /// The speed at real time `real`.
    pub fn speed_at(&self, real: Timestamp) -> u32 {
        self.segment_at(real).speed
    }

    /// The first real instant, once the clock was started, at which scenario time had reached
    /// `scenario`; `None` if it has not (yet, by the operations so far).
    ///
    /// An on-time inject delivery is stamped with this instant, so every console that delivers
    /// it writes the same entry, whenever it actually runs.
    pub fn real_at(&self, scenario: Timestamp) -> Option<Timestamp> {
        let first = self
            .segments
            .iter()
            .position(|s| s.phase != Phase::NotStarted)?;
        let run = &self.segments[first..];
        for (i, s) in run.iter().enumerate() {
            if s.scenario >= scenario {
                return Some(s.real);
            }
            if s.phase != Phase::Running {
                continue;
            }
            let gap = scenario.as_nanosecond() - s.scenario.as_nanosecond();
            let speed = i128::from(s.speed);
            let real_ns = s.real.as_nanosecond() + (gap + speed - 1) / speed;
            let reached = Timestamp::from_nanosecond(real_ns).unwrap_or(Timestamp::MAX);
            match run.get(i + 1) {
                Some(next) if next.real <= reached => continue,
                _ => return Some(reached),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + s).unwrap()
    }

    #[test]
    fn waits_then_runs_pauses_speeds_and_jumps() {
        let mut c = ScenarioClock::new(t(1_000_000), 1);
        assert_eq!(
            c.at(t(50)),
            t(1_000_000),
            "waits at its start until started"
        );
        c.apply(t(100), ClockOp::Start).unwrap();
        assert_eq!(c.at(t(160)), t(1_000_060));
        c.apply(t(160), ClockOp::Speed(10)).unwrap();
        assert_eq!(c.at(t(170)), t(1_000_160));
        c.apply(t(170), ClockOp::Pause).unwrap();
        assert_eq!(c.at(t(10_000)), t(1_000_160), "pause holds scenario time");
        c.apply(t(10_000), ClockOp::Resume).unwrap();
        assert_eq!(c.at(t(10_001)), t(1_000_170));
        c.apply(t(10_001), ClockOp::Jump(t(1_003_600))).unwrap();
        assert_eq!(c.at(t(10_002)), t(1_003_610));
        assert_eq!(c.phase(), Phase::Running);
        assert_eq!(c.speed(), 10);
        // real_at inverts it
        assert_eq!(c.real_at(t(1_000_000)), Some(t(100)));
        assert_eq!(c.real_at(t(1_000_060)), Some(t(160)));
        assert_eq!(
            c.real_at(t(1_000_165)),
            Some(t(10_000) + jiff::SignedDuration::from_millis(500)),
            "paused at 1_000_160, resumed at ×10"
        );
        assert_eq!(
            c.real_at(t(1_002_000)),
            Some(t(10_001)),
            "inside a jump: the jump's instant"
        );
        assert_eq!(c.real_at(t(1_003_700)), Some(t(10_011)));
    }

    #[test]
    fn refuses_what_makes_no_sense() {
        let mut c = ScenarioClock::new(t(0), 1);
        assert_eq!(c.apply(t(1), ClockOp::Pause), Err(ClockRefusal::NotStarted));
        assert_eq!(
            c.apply(t(1), ClockOp::Resume),
            Err(ClockRefusal::NotStarted)
        );
        c.apply(t(1), ClockOp::Start).unwrap();
        assert_eq!(
            c.apply(t(2), ClockOp::Start),
            Err(ClockRefusal::AlreadyStarted)
        );
        assert_eq!(c.apply(t(2), ClockOp::Resume), Err(ClockRefusal::NotPaused));
        assert_eq!(
            c.apply(t(2), ClockOp::Speed(0)),
            Err(ClockRefusal::Speed(0))
        );
        assert_eq!(
            c.apply(t(2), ClockOp::Speed(121)),
            Err(ClockRefusal::Speed(121))
        );
        assert!(matches!(
            c.apply(t(11), ClockOp::Jump(t(5))),
            Err(ClockRefusal::Backwards { .. })
        ));
        c.apply(t(12), ClockOp::Pause).unwrap();
        assert_eq!(
            c.apply(t(13), ClockOp::Pause),
            Err(ClockRefusal::AlreadyPaused)
        );
        c.apply(t(14), ClockOp::End).unwrap();
        assert_eq!(c.apply(t(15), ClockOp::Resume), Err(ClockRefusal::Ended));
        assert_eq!(c.at(t(1000)), t(11));
    }

    #[test]
    fn an_entry_from_a_clock_that_runs_behind_does_not_turn_time_back() {
        let mut c = ScenarioClock::new(t(0), 2);
        c.apply(t(100), ClockOp::Start).unwrap();
        c.apply(t(90), ClockOp::Pause).unwrap();
        assert_eq!(c.at(t(95)), t(0));
        assert_eq!(c.at(t(200)), t(0), "paused at the start entry's instant");
    }

    /// The obvious model: a second-by-second simulation.
    #[derive(Clone, Copy, Debug)]
    struct Model {
        s: i64,
        speed: i64,
        phase: Phase,
    }

    impl Model {
        fn apply(&mut self, op: ClockOp) -> bool {
            use ClockOp::*;
            match (self.phase, op) {
                (Phase::Ended, _) => matches!(op, End),
                (_, End) => {
                    self.phase = Phase::Ended;
                    true
                }
                (Phase::NotStarted, Start) => {
                    self.phase = Phase::Running;
                    true
                }
                (Phase::Running, Pause) => {
                    self.phase = Phase::Paused;
                    true
                }
                (Phase::Paused, Resume) => {
                    self.phase = Phase::Running;
                    true
                }
                (_, Speed(n)) if (1..=120).contains(&n) => {
                    self.speed = i64::from(n);
                    true
                }
                (_, Jump(to)) if to.as_second() - 1_800_000_000 > self.s => {
                    self.s = to.as_second() - 1_800_000_000;
                    true
                }
                _ => false,
            }
        }
    }

    fn op() -> impl Strategy<Value = ClockOp> {
        prop_oneof![
            Just(ClockOp::Start),
            Just(ClockOp::Pause),
            Just(ClockOp::Resume),
            (0u32..130).prop_map(ClockOp::Speed),
            (0i64..5_000).prop_map(|s| ClockOp::Jump(t(s))),
            Just(ClockOp::End),
        ]
    }

    proptest! {
        /// Start, pause, resume, speed changes and jumps at whole real seconds give, at every
        /// whole real second, the scenario time a second-by-second simulation gives.
        #[test]
        fn scenario_time_matches_a_step_by_step_model(
            speed in 1u32..=120,
            ops in prop::collection::vec((0i64..40, op()), 0..25),
        ) {
            let mut ops = ops;
            ops.sort_by_key(|(r, _)| *r);
            let mut clock = ScenarioClock::new(t(0), speed);
            let mut model = Model { s: 0, speed: i64::from(speed), phase: Phase::NotStarted };
            let mut pending = ops.iter().peekable();
            for second in 0..45 {
                while let Some((_, op)) = pending.next_if(|(r, _)| *r == second) {
                    let accepted = clock.apply(t(second), *op).is_ok();
                    prop_assert_eq!(accepted, model.apply(*op), "{:?} at {}", op, second);
                }
                prop_assert_eq!(clock.at(t(second)), t(model.s), "at real second {}", second);
                prop_assert_eq!(clock.phase_at(t(second)), model.phase);
                if model.phase == Phase::Running {
                    model.s += model.speed;
                }
            }
        }

        /// Scenario time never goes back, and `real_at` finds the first instant it reached a time.
        #[test]
        fn monotone_and_inverted_by_real_at(
            ops in prop::collection::vec((0i64..40, op()), 0..25),
            probe in 0i64..6_000,
        ) {
            let mut ops = ops;
            ops.sort_by_key(|(r, _)| *r);
            let mut clock = ScenarioClock::new(t(0), 3);
            for (r, op) in &ops {
                let _ = clock.apply(t(*r), *op);
            }
            let mut before = clock.at(t(-5));
            for second in -5..60 {
                let now = clock.at(t(second));
                prop_assert!(now >= before);
                before = now;
            }
            let target = t(probe);
            match clock.real_at(target) {
                Some(r) => {
                    prop_assert!(clock.at(r) >= target);
                    let just_before = r.checked_sub(jiff::SignedDuration::from_nanos(1)).unwrap();
                    prop_assert!(
                        clock.at(just_before) < target || clock.started_at() == Some(r) && clock.at(just_before) >= target,
                    );
                }
                None => prop_assert!(clock.at(t(1_000_000)) < target || clock.started_at().is_none()),
            }
        }
    }
}
