//! Fault injection, so tests of the real binary can prove that nothing is lost when a disk
//! fills up or a process dies half-way.
//!
//! `CRISISDESK_FAULT=POINT[@N][,POINT[@N]…]` makes the `N`-th pass through `POINT` (the first
//! without `@N`, every one with `@*`) fail: an I/O point returns an error, a crash point
//! aborts the process on the spot (no destructor runs, no buffer is flushed: for the files on
//! disk that is a `kill -9`). Unset, each check is one load of an already-parsed empty plan.
//! An unknown point name is reported once on stderr, so a mistyped test cannot pass vacuously.

use std::io::Write as _;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// The environment variable that holds the plan.
pub const FAULT_ENV: &str = "CRISISDESK_FAULT";

/// A place where a fault can be injected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Point {
    /// The journal writer's `write_all` of a record fails.
    JournalWrite,
    /// The journal writer's `sync_data` after a record fails.
    JournalSync,
    /// The inbox dies after reading an item, before claiming it.
    InboxRead,
    /// The inbox dies after claiming an item, before recording it.
    InboxClaimed,
    /// The inbox dies after recording an item, before moving it to `done/`.
    InboxRecorded,
    /// The inbox dies after moving an item to `done/` or `rejected/`.
    InboxMoved,
}

const POINTS: [(Point, &str); 6] = [
    (Point::JournalWrite, "journal-write"),
    (Point::JournalSync, "journal-sync"),
    (Point::InboxRead, "inbox-read"),
    (Point::InboxClaimed, "inbox-claimed"),
    (Point::InboxRecorded, "inbox-recorded"),
    (Point::InboxMoved, "inbox-moved"),
];

/// Which pass through a point fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum When {
    Nth(u64),
    Every,
}

struct Plan {
    faults: Vec<(Point, When)>,
    counts: [AtomicU64; POINTS.len()],
}

fn parse(spec: &str) -> (Vec<(Point, When)>, Vec<String>) {
    let mut faults = Vec::new();
    let mut unknown = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, when) = match part.split_once('@') {
            Some((n, "*")) => (n, Some(When::Every)),
            Some((n, k)) => (n, k.parse().ok().filter(|&k| k > 0).map(When::Nth)),
            None => (part, Some(When::Nth(1))),
        };
        match (POINTS.iter().find(|(_, s)| *s == name), when) {
            (Some((p, _)), Some(w)) => faults.push((*p, w)),
            _ => unknown.push(part.to_owned()),
        }
    }
    (faults, unknown)
}

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let spec = std::env::var(FAULT_ENV).unwrap_or_default();
        let (faults, unknown) = parse(&spec);
        if !unknown.is_empty() {
            let _ = writeln!(
                std::io::stderr(),
                "crisisdesk: {FAULT_ENV}: not understood: {} (points: {})",
                unknown.join(", "),
                POINTS.map(|(_, s)| s).join(", ")
            );
        }
        Plan {
            faults,
            counts: Default::default(),
        }
    })
}

/// Counts a pass through `point`; true when this pass is to fail.
pub fn hit(point: Point) -> bool {
    let plan = plan();
    if plan.faults.is_empty() {
        return false;
    }
    let i = POINTS
        .iter()
        .position(|(p, _)| *p == point)
        .expect("every point is listed");
    let n = plan.counts[i].fetch_add(1, Ordering::Relaxed) + 1;
    plan.faults.iter().any(|&(p, w)| {
        p == point
            && match w {
                When::Every => true,
                When::Nth(k) => k == n,
            }
    })
}

/// An injected I/O error for `point`, if this pass is to fail.
pub fn io_error(point: Point) -> std::io::Result<()> {
    if hit(point) {
        Err(std::io::Error::other(format!(
            "injected failure ({FAULT_ENV})"
        )))
    } else {
        Ok(())
    }
}

/// Dies on the spot if this pass through `point` is to fail.
pub fn crash_point(point: Point) {
    if hit(point) {
        std::process::abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_parse() {
        let (f, bad) = parse("journal-write@2, inbox-claimed,journal-sync@*,nope,inbox-read@0");
        assert_eq!(
            f,
            [
                (Point::JournalWrite, When::Nth(2)),
                (Point::InboxClaimed, When::Nth(1)),
                (Point::JournalSync, When::Every)
            ]
        );
        assert_eq!(bad, ["nope", "inbox-read@0"]);
        assert!(parse("").0.is_empty());
    }
}
