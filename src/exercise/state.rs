//! The exercise as it stands, folded from the journal: its plan, its clock, each inject's
//! state, the evaluators' ratings, and the evidence of what players did after each delivery.

use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use super::clock::{ClockOp, Phase, ScenarioClock};
use crate::incident::event::{Body, Event, Rating};
use crate::incident::state::{DeadlineState, Incident};
use crate::journal::{Name, Stored};
use crate::playbook::model::{Inject, InjectKind};

/// Where an inject stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InjectStatus {
    /// Not yet delivered.
    Pending,
    Delivered,
    /// Taken out of play by the facilitator.
    Skipped,
}

impl InjectStatus {
    /// The word used on screens and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            InjectStatus::Pending => "pending",
            InjectStatus::Delivered => "delivered",
            InjectStatus::Skipped => "skipped",
        }
    }
}

/// How an inject reached the players.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    /// The delivery entry's id (also the id of the inquiry, mention or request it became).
    pub event: Uuid,
    /// Scenario time it was delivered at.
    pub at: Timestamp,
    /// Real time it was recorded at.
    pub recorded_at: Timestamp,
    pub by: Name,
    /// Delivered by the facilitator before its time.
    pub early: bool,
}

/// An inject taken out of play.
#[derive(Clone, Debug, PartialEq)]
pub struct Skip {
    pub event: Uuid,
    pub at: Timestamp,
    pub by: Name,
    pub reason: Option<String>,
}

/// An evaluator's rating of one expected action.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemRating {
    /// The expected action, counted from 1.
    pub item: u32,
    pub rating: Rating,
    pub note: Option<String>,
    /// Scenario time it was recorded at.
    pub at: Timestamp,
    pub by: Name,
    pub event: Uuid,
}

/// One inject of the exercise and what became of it.
#[derive(Clone, Debug, PartialEq)]
pub struct InjectState {
    /// As planned (with its `expect` list), or as improvised.
    pub inject: Inject,
    /// Scenario time it is due at (for an improvised inject: when it was delivered).
    pub due: Timestamp,
    pub improvised: bool,
    pub delivered: Option<Delivery>,
    pub skipped: Option<Skip>,
    /// Every rating in the order recorded; [`Self::ratings`] gives the ones in force.
    pub rating_history: Vec<ItemRating>,
}

impl InjectState {
    /// Pending, delivered or skipped. A delivery counts over a skip: players saw it.
    pub fn status(&self) -> InjectStatus {
        if self.delivered.is_some() {
            InjectStatus::Delivered
        } else if self.skipped.is_some() {
            InjectStatus::Skipped
        } else {
            InjectStatus::Pending
        }
    }

    /// The rating in force for each rated item (a later rating of an item replaces an
    /// earlier one), by item.
    pub fn ratings(&self) -> Vec<&ItemRating> {
        let mut latest: Vec<&ItemRating> = Vec::new();
        for r in &self.rating_history {
            match latest.iter_mut().find(|l| l.item == r.item) {
                Some(slot) => *slot = r,
                None => latest.push(r),
            }
        }
        latest.sort_by_key(|r| r.item);
        latest
    }

    /// When a reply is due, for inquiries and requests with a `respond_within`, once delivered.
    pub fn reply_by(&self, inc: &Incident) -> Option<Timestamp> {
        let d = self.delivered.as_ref()?;
        let within = self.inject.respond_within.as_ref()?;
        if !matches!(
            self.inject.kind,
            InjectKind::MediaInquiry | InjectKind::StakeholderRequest
        ) {
            return None;
        }
        Some(inc.calendar.add(d.at, within))
    }

    /// The first reply to the inquiry or request this inject became, if any.
    pub fn replied_at(&self, inc: &Incident) -> Option<Timestamp> {
        let d = self.delivered.as_ref()?;
        inc.inquiries
            .iter()
            .find(|i| i.id == d.event)
            .and_then(|i| i.answers.iter().map(|a| a.at).min())
    }

    /// Whether the reply deadline was met, at scenario time `now`.
    pub fn reply_state(&self, inc: &Incident, now: Timestamp) -> Option<DeadlineState> {
        let due = self.reply_by(inc)?;
        Some(match self.replied_at(inc) {
            Some(at) if at <= due => DeadlineState::Met,
            Some(_) => DeadlineState::Late,
            None if now > due => DeadlineState::Overdue,
            None => DeadlineState::Pending,
        })
    }
}

/// Something players did after an inject arrived.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    pub event: Uuid,
    /// Scenario time.
    pub at: Timestamp,
    /// How long after the delivery, in scenario time.
    pub after: SignedDuration,
    pub by: Name,
    /// The entry's kind in the journal (`message_sent`, `inquiry_answered`…).
    pub kind: &'static str,
    /// The entry in words, sanitised.
    pub text: String,
    /// It answers the inquiry or request this inject became.
    pub answers_inject: bool,
}

/// The exercise state derived from its journal.
#[derive(Clone, Debug, PartialEq)]
pub struct Exercise {
    /// The exercise's id (its `incident_opened` entry's): delivery ids derive from it.
    pub id: Uuid,
    pub scenario_start: Timestamp,
    /// The speed it was planned at.
    pub planned_speed: u32,
    /// The CSV the MSEL came from, when not the playbook's.
    pub msel: Option<String>,
    pub clock: ScenarioClock,
    /// Planned injects by due time (then MSEL order), then improvised ones as delivered.
    pub injects: Vec<InjectState>,
    /// Entries that could not be applied, in words.
    pub anomalies: Vec<String>,
}

impl Exercise {
    /// Scenario time at real time `real`.
    pub fn now(&self, real: Timestamp) -> Timestamp {
        self.clock.at(real)
    }

    /// The inject with this id.
    pub fn inject(&self, id: &str) -> Option<&InjectState> {
        self.injects.iter().find(|i| i.inject.id == id)
    }

    /// The next pending planned inject, by due time.
    pub fn next_pending(&self) -> Option<&InjectState> {
        self.injects
            .iter()
            .filter(|i| !i.improvised && i.status() == InjectStatus::Pending)
            .min_by_key(|i| i.due)
    }

    /// What players did after `inject` was delivered, in the order it happened: sends,
    /// answers, decisions, milestones, approvals and the rest of their entries (not the
    /// exercise's own control entries, not lessons, not corrections).
    pub fn evidence(
        &self,
        inc: &Incident,
        events: &[Stored<Event>],
        inject: &InjectState,
    ) -> Vec<Evidence> {
        let Some(d) = &inject.delivered else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for &i in &inc.order {
            let Some(s) = events.get(i) else { continue };
            let e = &s.entry;
            if e.at < d.at || inc.retracted.contains_key(&e.id) || !is_player_action(&e.body) {
                continue;
            }
            let answers_inject =
                matches!(&e.body, Body::InquiryAnswered { inquiry, .. } if *inquiry == d.event);
            out.push(Evidence {
                event: e.id,
                at: e.at,
                after: e.at.duration_since(d.at),
                by: e.author.clone(),
                kind: e.body.kind(),
                text: crate::incident::describe::describe(inc, &e.body),
                answers_inject,
            });
        }
        out
    }
}

/// Entries that are something players did in response to the scenario.
pub fn is_player_action(b: &Body) -> bool {
    matches!(
        b,
        Body::Note { .. }
            | Body::Decision { .. }
            | Body::Fact { .. }
            | Body::MilestoneMarked { .. }
            | Body::SeverityChanged { .. }
            | Body::MessageDrafted { .. }
            | Body::MessageEdited { .. }
            | Body::MessageApproved { .. }
            | Body::MessageObjected { .. }
            | Body::MessageSent { .. }
            | Body::InquiryAnswered { .. }
            | Body::ChecklistDone { .. }
            | Body::ActionAdded { .. }
            | Body::ActionDone { .. }
    )
}

/// The clock operation an entry is, if it is one. Closing the exercise ends its clock.
pub fn clock_op(b: &Body) -> Option<ClockOp> {
    Some(match b {
        Body::ExerciseStarted => ClockOp::Start,
        Body::ExercisePaused => ClockOp::Pause,
        Body::ExerciseResumed => ClockOp::Resume,
        Body::ExerciseSpeed { speed } => ClockOp::Speed(*speed),
        Body::ExerciseJumped { to } => ClockOp::Jump(*to),
        Body::IncidentClosed { .. } => ClockOp::End,
        _ => return None,
    })
}

/// Folds the exercise layer of a folded incident; `None` for a real incident.
///
/// An exercise created before exercises had a plan (no `exercise_planned` entry; its entries
/// are dated in real time) gets an empty plan and a clock that is the real clock.
pub fn fold(events: &[Stored<Event>], inc: &Incident) -> Option<Exercise> {
    if !inc.exercise {
        return None;
    }
    let mut anomalies = Vec::new();
    let mut plan: Option<(Timestamp, u32, &[Inject], Option<&String>)> = None;
    for &i in &inc.order {
        if let Body::ExercisePlanned {
            scenario_start,
            speed,
            injects,
            msel,
        } = &events[i].entry.body
        {
            if plan.is_none() {
                plan = Some((*scenario_start, *speed, injects, msel.as_ref()));
            } else {
                anomalies.push("a second exercise plan is ignored".to_owned());
            }
        }
    }
    let legacy = plan.is_none();
    let (scenario_start, speed, planned, msel) = plan.unwrap_or((inc.opened_at, 1, &[], None));
    let mut clock = ScenarioClock::new(scenario_start, speed);
    if legacy {
        let _ = clock.apply(inc.opened_at, ClockOp::Start);
    }
    // Clock entries relate real time to scenario time: replay them in real-time order.
    let mut ops: Vec<(Timestamp, &str, u64, ClockOp)> = events
        .iter()
        .filter(|s| !inc.retracted.contains_key(&s.entry.id))
        .filter_map(|s| {
            clock_op(&s.entry.body).map(|op| (s.entry.recorded_at, s.console.as_str(), s.seq, op))
        })
        .collect();
    ops.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    for (real, _, _, op) in ops {
        if let Err(e) = clock.apply(real, op) {
            // Two facilitators acting at once: the second's entry is kept but changes nothing.
            anomalies.push(format!("a clock entry at {real} changed nothing: {e}"));
        }
    }

    let mut injects: Vec<InjectState> = planned
        .iter()
        .map(|inject| InjectState {
            due: inc.calendar.add(scenario_start, &inject.at),
            inject: inject.clone(),
            improvised: false,
            delivered: None,
            skipped: None,
            rating_history: Vec::new(),
        })
        .collect();
    injects.sort_by_key(|i| i.due);

    for &i in &inc.order {
        let s = &events[i];
        let e = &s.entry;
        if inc.retracted.contains_key(&e.id) {
            continue;
        }
        match &e.body {
            Body::InjectDelivered {
                inject,
                early,
                improvised,
            } => {
                let delivery = Delivery {
                    event: e.id,
                    at: e.at,
                    recorded_at: e.recorded_at,
                    by: e.author.clone(),
                    early: *early,
                };
                let planned = injects
                    .iter_mut()
                    .find(|i| !i.improvised && !*improvised && i.inject.id == inject.id);
                match planned {
                    Some(p) if p.delivered.is_none() => p.delivered = Some(delivery),
                    Some(_) => anomalies.push(format!(
                        "inject {} was delivered a second time ({}); the first delivery counts",
                        inject.id, e.id
                    )),
                    None => {
                        if !*improvised {
                            anomalies.push(format!(
                                "inject {} was delivered but is not in the exercise's MSEL",
                                inject.id
                            ));
                        }
                        injects.push(InjectState {
                            inject: (**inject).clone(),
                            due: e.at,
                            improvised: true,
                            delivered: Some(delivery),
                            skipped: None,
                            rating_history: Vec::new(),
                        });
                    }
                }
            }
            Body::InjectSkipped { inject, reason } => {
                match injects.iter_mut().find(|i| &i.inject.id == inject) {
                    Some(p) if p.skipped.is_none() => {
                        p.skipped = Some(Skip {
                            event: e.id,
                            at: e.at,
                            by: e.author.clone(),
                            reason: reason.clone(),
                        });
                    }
                    Some(_) => {}
                    None => anomalies.push(format!("inject {inject} to skip is not in the MSEL")),
                }
            }
            Body::InjectRated {
                inject,
                item,
                rating,
                note,
            } => match injects.iter_mut().find(|i| &i.inject.id == inject) {
                Some(p) if *item >= 1 && (*item as usize) <= p.inject.expect.len() => {
                    p.rating_history.push(ItemRating {
                        item: *item,
                        rating: *rating,
                        note: note.clone(),
                        at: e.at,
                        by: e.author.clone(),
                        event: e.id,
                    });
                }
                Some(p) => anomalies.push(format!(
                    "a rating of inject {inject} names expected action {item}, but it has {}",
                    p.inject.expect.len()
                )),
                None => anomalies.push(format!("a rated inject {inject} is not in the MSEL")),
            },
            _ => {}
        }
    }
    Some(Exercise {
        id: inc.id,
        scenario_start,
        planned_speed: speed,
        msel: msel.cloned(),
        clock,
        injects,
        anomalies,
    })
}

impl Exercise {
    /// Where the clock stands at real time `real`.
    pub fn phase_at(&self, real: Timestamp) -> Phase {
        self.clock.phase_at(real)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercise::deliver::delivery_id;
    use crate::incident::event::Origin;

    const PLAYBOOK: &str = include_str!("../../playbooks/data-breach.json");

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// A journal built entry by entry, the way consoles would write it.
    struct Journal {
        events: Vec<Stored<Event>>,
        next: u128,
    }

    impl Journal {
        fn exercise(scenario_start: &str, speed: u32) -> Journal {
            let start = t(scenario_start);
            let injects = crate::playbook::parse("p", PLAYBOOK.as_bytes(), None)
                .unwrap()
                .playbook
                .injects;
            let mut j = Journal {
                events: Vec::new(),
                next: 1,
            };
            j.push(
                start,
                t("2026-03-02T09:00:00Z"),
                Body::IncidentOpened {
                    title: "Drill".into(),
                    playbook_id: "data-breach".into(),
                    playbook_source: PLAYBOOK.into(),
                    severity: "low".into(),
                    detected_at: start,
                    exercise: true,
                },
            );
            j.push(
                start,
                t("2026-03-02T09:00:00Z"),
                Body::ExercisePlanned {
                    scenario_start: start,
                    speed,
                    injects,
                    msel: None,
                },
            );
            j
        }

        fn push(&mut self, at: Timestamp, real: Timestamp, body: Body) -> Uuid {
            let id = Uuid::from_u128(self.next);
            self.next += 1;
            self.push_event(Event::new(
                id,
                at,
                real,
                &Origin {
                    author: "facilitator@desk".into(),
                    console: "desk".into(),
                },
                body,
            ));
            id
        }

        fn push_event(&mut self, e: Event) {
            let seq = self.events.len() as u64 + 1;
            self.events.push(Stored {
                console: "desk".into(),
                seq,
                entry: e,
            });
            self.events.sort_by(|a, b| {
                (a.entry.at, &a.console, a.seq).cmp(&(b.entry.at, &b.console, b.seq))
            });
        }

        fn fold(&self) -> (Incident, Exercise) {
            let inc = crate::incident::fold(&self.events).unwrap();
            let ex = fold(&self.events, &inc).unwrap();
            (inc, ex)
        }

        /// What a console's delivery pass writes at real time `real`.
        fn deliver(&mut self, real: Timestamp) -> Vec<String> {
            let (_, ex) = self.fold();
            let ids: Vec<Uuid> = self.events.iter().map(|e| e.entry.id).collect();
            let due: Vec<Event> = ex
                .due(real, |id| ids.contains(id))
                .into_iter()
                .map(|i| ex.delivery(i, real))
                .collect();
            let names = due
                .iter()
                .map(|e| match &e.body {
                    Body::InjectDelivered { inject, .. } => inject.id.clone(),
                    _ => unreachable!(),
                })
                .collect();
            for e in due {
                self.push_event(e);
            }
            names
        }
    }

    #[test]
    fn injects_are_due_on_the_scenario_clock_and_delivered_once() {
        // Friday 17:00 in Berlin, ten times real speed.
        let mut j = Journal::exercise("2026-03-06T16:00:00Z", 10);
        let (_, ex) = j.fold();
        assert_eq!(ex.injects.len(), 12);
        assert!(
            j.deliver(t("2026-03-02T09:05:00Z")).is_empty(),
            "not started"
        );
        j.push(
            t("2026-03-06T16:00:00Z"),
            t("2026-03-02T09:10:00Z"),
            Body::ExerciseStarted,
        );
        assert_eq!(j.deliver(t("2026-03-02T09:10:00Z")), ["i01"]);
        // 3 real minutes = 30 scenario minutes: i02 (25m) is due, i03 (50m) is not.
        assert_eq!(j.deliver(t("2026-03-02T09:13:00Z")), ["i02"]);
        assert!(
            j.deliver(t("2026-03-02T09:13:00Z")).is_empty(),
            "never twice"
        );
        let (inc, ex) = j.fold();
        let i02 = ex.inject("i02").unwrap();
        let d = i02.delivered.as_ref().unwrap();
        assert_eq!(
            d.at,
            t("2026-03-06T16:25:00Z"),
            "dated at its scheduled time"
        );
        assert_eq!(
            d.recorded_at,
            t("2026-03-02T09:12:30Z"),
            "when the clock reached it"
        );
        assert_eq!(d.event, delivery_id(inc.id, "i02"));
        assert_eq!(ex.now(t("2026-03-02T09:13:00Z")), t("2026-03-06T16:30:00Z"));
    }

    #[test]
    fn a_delivered_request_is_an_open_request_with_its_reply_deadline_in_scenario_time() {
        let mut j = Journal::exercise("2026-03-06T16:00:00Z", 10);
        j.push(
            t("2026-03-06T16:00:00Z"),
            t("2026-03-02T09:00:00Z"),
            Body::ExerciseStarted,
        );
        // A late pass: nobody delivered for 9 real minutes (90 scenario minutes).
        assert_eq!(
            j.deliver(t("2026-03-02T09:09:00Z")),
            ["i01", "i02", "i03", "i04"]
        );
        let (inc, ex) = j.fold();
        let i03 = ex.inject("i03").unwrap();
        let req = inc
            .inquiries
            .iter()
            .find(|q| q.id == i03.delivered.as_ref().unwrap().event)
            .unwrap();
        assert_eq!(req.received_at, t("2026-03-06T16:50:00Z"));
        assert_eq!(req.reply_by, Some(t("2026-03-06T17:20:00Z")));
        assert_eq!(i03.reply_by(&inc), req.reply_by);
        let now = ex.now(t("2026-03-02T09:09:00Z"));
        assert_eq!(i03.reply_state(&inc, now), Some(DeadlineState::Overdue));
        // A player answers at 17:25 scenario time: late.
        j.push(
            t("2026-03-06T17:25:00Z"),
            t("2026-03-02T09:09:30Z"),
            Body::InquiryAnswered {
                inquiry: req.id,
                text: "Advice sent to agents".into(),
            },
        );
        let (inc, ex) = j.fold();
        let i03 = ex.inject("i03").unwrap();
        assert_eq!(i03.reply_state(&inc, now), Some(DeadlineState::Late));
        let evidence = ex.evidence(&inc, &j.events, i03);
        let answer = evidence.iter().find(|e| e.answers_inject).unwrap();
        assert_eq!(answer.after, SignedDuration::from_mins(35));
        // The media inquiry i04 is an open press question, the mention-free info inject i01 is not.
        assert_eq!(inc.open_inquiries().count(), 1);
        assert!(inc.anomalies.is_empty(), "{:?}", inc.anomalies);
    }

    #[test]
    fn a_later_rating_replaces_an_earlier_one_and_both_stay() {
        let mut j = Journal::exercise("2026-03-06T16:00:00Z", 1);
        j.push(
            t("2026-03-06T16:00:00Z"),
            t("2026-03-02T09:00:00Z"),
            Body::ExerciseStarted,
        );
        j.deliver(t("2026-03-02T09:00:00Z"));
        for (n, r, note) in [
            (2, Rating::MajorChallenges, Some("log opened late")),
            (1, Rating::Performed, None),
            (
                2,
                Rating::SomeChallenges,
                Some("log opened, detection time guessed"),
            ),
        ] {
            j.push(
                t("2026-03-06T16:10:00Z"),
                t("2026-03-02T09:10:00Z"),
                Body::InjectRated {
                    inject: "i01".into(),
                    item: n,
                    rating: r,
                    note: note.map(Into::into),
                },
            );
        }
        let (_, ex) = j.fold();
        let i01 = ex.inject("i01").unwrap();
        assert_eq!(i01.rating_history.len(), 3);
        let now: Vec<(u32, Rating)> = i01.ratings().iter().map(|r| (r.item, r.rating)).collect();
        assert_eq!(now, [(1, Rating::Performed), (2, Rating::SomeChallenges)]);
    }

    #[test]
    fn pause_holds_and_a_skipped_inject_is_never_delivered() {
        let mut j = Journal::exercise("2026-03-06T16:00:00Z", 10);
        j.push(
            t("2026-03-06T16:00:00Z"),
            t("2026-03-02T09:00:00Z"),
            Body::ExerciseStarted,
        );
        j.push(
            t("2026-03-06T16:20:00Z"),
            t("2026-03-02T09:02:00Z"),
            Body::ExercisePaused,
        );
        j.push(
            t("2026-03-06T16:20:00Z"),
            t("2026-03-02T09:02:10Z"),
            Body::InjectSkipped {
                inject: "i02".into(),
                reason: Some("running late".into()),
            },
        );
        assert_eq!(
            j.deliver(t("2026-03-02T10:00:00Z")),
            ["i01"],
            "paused at 16:20"
        );
        let (_, ex) = j.fold();
        assert_eq!(ex.now(t("2026-03-02T10:00:00Z")), t("2026-03-06T16:20:00Z"));
        j.push(
            t("2026-03-06T16:20:00Z"),
            t("2026-03-02T10:00:00Z"),
            Body::ExerciseResumed,
        );
        assert!(
            j.deliver(t("2026-03-02T10:01:00Z")).is_empty(),
            "16:30: i02 skipped"
        );
        assert_eq!(j.deliver(t("2026-03-02T10:03:00Z")), ["i03"]);
        let (_, ex) = j.fold();
        assert_eq!(ex.inject("i02").unwrap().status(), InjectStatus::Skipped);
        assert_eq!(ex.next_pending().unwrap().inject.id, "i04");
    }

    #[test]
    fn exercise_entries_cannot_be_retracted_and_real_incidents_take_no_injects() {
        let mut j = Journal::exercise("2026-03-06T16:00:00Z", 1);
        let started = j.push(
            t("2026-03-06T16:00:00Z"),
            t("2026-03-02T09:00:00Z"),
            Body::ExerciseStarted,
        );
        j.push(
            t("2026-03-06T16:01:00Z"),
            t("2026-03-02T09:01:00Z"),
            Body::Retract {
                target: started,
                reason: "oops".into(),
            },
        );
        let (inc, ex) = j.fold();
        assert_eq!(ex.clock.phase(), Phase::Running);
        assert!(
            inc.anomalies
                .iter()
                .any(|a| a.contains("cannot be retracted"))
        );

        let mut real = Journal::exercise("2026-03-06T16:00:00Z", 1);
        if let Body::IncidentOpened { exercise, .. } = &mut real.events[0].entry.body {
            *exercise = false;
        }
        let inject = Journal::exercise("2026-03-06T16:00:00Z", 1)
            .fold()
            .1
            .injects[3]
            .inject
            .clone();
        real.push(
            t("2026-03-06T16:00:00Z"),
            t("2026-03-02T09:00:00Z"),
            Body::InjectDelivered {
                inject: Box::new(inject),
                early: false,
                improvised: false,
            },
        );
        let inc = crate::incident::fold(&real.events).unwrap();
        assert!(fold(&real.events, &inc).is_none());
        assert_eq!(inc.inquiries.len(), 0);
        assert!(
            inc.anomalies
                .iter()
                .any(|a| a.contains("real incidents take no injects"))
        );
    }

    #[test]
    fn every_console_writes_the_same_delivery_entry() {
        let mut j = Journal::exercise("2026-03-06T16:00:00Z", 10);
        j.push(
            t("2026-03-06T16:00:00Z"),
            t("2026-03-02T09:00:00Z"),
            Body::ExerciseStarted,
        );
        let (_, ex) = j.fold();
        let i04 = ex.inject("i04").unwrap();
        let a = ex.delivery(i04, t("2026-03-02T09:08:00Z"));
        let b = ex.delivery(i04, t("2026-03-02T11:00:00Z"));
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
        assert_eq!(a.recorded_at, t("2026-03-02T09:08:00Z"));
        let Body::InjectDelivered { inject, .. } = &a.body else {
            unreachable!()
        };
        assert!(
            inject.expect.is_empty(),
            "players never see what is expected of them"
        );
    }
}
