//! Inject delivery: which injects are due, and the entries that deliver them.
//!
//! A delivery's id is derived from the exercise's id and the inject's id, so two consoles
//! delivering at once, or a console killed mid-delivery and started again, write the same id
//! and the journal keeps it once. An on-time delivery is also the same entry byte for byte
//! wherever it is written: dated at the inject's scheduled scenario time, stamped with the
//! real instant the scenario clock reached it ([`ScenarioClock::real_at`]), by the exercise
//! clock rather than by whoever's console happened to run the pass. So a late pass (no console
//! was open, or it ran after a jump) leaves the same record an on-time one would have, and the
//! reply deadlines and the timeline are as the MSEL intended.
//!
//! [`ScenarioClock::real_at`]: super::clock::ScenarioClock::real_at

use jiff::Timestamp;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::state::{Exercise, InjectState, InjectStatus};
use crate::incident::event::{Body, Event};
use crate::playbook::model::Inject;

/// Author and console of on-time deliveries: the exercise clock, not a person.
pub const CLOCK_AUTHOR: &str = "exercise clock";

/// A uuid v8 from a purpose, the exercise id and an inject id.
fn derived(purpose: &str, exercise: Uuid, inject: &str) -> Uuid {
    let mut h = Sha256::new();
    h.update(purpose.as_bytes());
    h.update([0]);
    h.update(exercise.as_bytes());
    h.update(inject.as_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    Uuid::new_v8(b)
}

/// The id of the entry delivering `inject` in `exercise`, whoever delivers it.
pub fn delivery_id(exercise: Uuid, inject: &str) -> Uuid {
    derived("crisisdesk.inject_delivered", exercise, inject)
}

/// The id of the entry skipping `inject` in `exercise`.
pub fn skip_id(exercise: Uuid, inject: &str) -> Uuid {
    derived("crisisdesk.inject_skipped", exercise, inject)
}

/// The inject as players receive it: without what evaluators expect of them.
pub fn as_delivered(inject: &Inject) -> Inject {
    Inject {
        expect: Vec::new(),
        ..inject.clone()
    }
}

impl Exercise {
    /// Planned injects due at real time `real_now` and not yet delivered or skipped: their
    /// scheduled time has been reached on a clock that was started. `known` says whether an
    /// entry id is already in the journal (a delivery the fold set aside still counts).
    pub fn due(&self, real_now: Timestamp, known: impl Fn(&Uuid) -> bool) -> Vec<&InjectState> {
        if self.clock.started_at().is_none_or(|s| s > real_now) {
            return Vec::new();
        }
        let now = self.clock.at(real_now);
        self.injects
            .iter()
            .filter(|i| !i.improvised && i.status() == InjectStatus::Pending && i.due <= now)
            .filter(|i| !known(&delivery_id(self.id, &i.inject.id)))
            .collect()
    }

    /// The on-time delivery entry of a due inject: the same bytes from every console.
    /// `real_now` is only a bound (the clock reached the inject's time no later than now).
    pub fn delivery(&self, inject: &InjectState, real_now: Timestamp) -> Event {
        let reached = self
            .clock
            .real_at(inject.due)
            .map_or(real_now, |r| r.min(real_now));
        Event {
            id: delivery_id(self.id, &inject.inject.id),
            at: inject.due,
            recorded_at: reached,
            author: CLOCK_AUTHOR.into(),
            console: CLOCK_AUTHOR.replace(' ', "-").into(),
            incident: Some(self.id),
            body: Body::InjectDelivered {
                inject: Box::new(as_delivered(&inject.inject)),
                early: false,
                improvised: false,
            },
        }
    }

    /// A free id for an improvised inject: `x1`, `x2`… not used by any inject so far.
    pub fn improvised_id(&self) -> String {
        (1..)
            .map(|n| format!("x{n}"))
            .find(|id| self.inject(id).is_none())
            .expect("an unused id exists")
    }
}
