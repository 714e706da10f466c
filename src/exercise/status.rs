//! The `exercise` object of `crisisdesk status --json` (docs/status-json.md). Every time in it
//! is scenario time.

use jiff::Timestamp;
use serde::Serialize;

use super::clock::Phase;
use super::state::{Exercise, InjectStatus};
use crate::incident::event::Rating;
use crate::incident::state::{DeadlineState, Incident};
use crate::playbook::calendar::Calendar;
use crate::playbook::model::InjectKind;

/// An exercise at one real instant.
#[derive(Clone, Debug, Serialize)]
pub struct ExerciseStatus {
    /// Scenario time now.
    pub scenario_now: Timestamp,
    pub scenario_start: Timestamp,
    /// `not_started`, `running`, `paused` or `ended`.
    pub clock: Phase,
    /// True whenever scenario time is not moving (not started, paused, ended).
    pub paused: bool,
    pub speed: u32,
    /// The CSV file the MSEL came from; null when it is the playbook's.
    pub msel: Option<String>,
    pub injects: Vec<InjectInfo>,
}

/// One inject.
#[derive(Clone, Debug, Serialize)]
pub struct InjectInfo {
    pub id: String,
    /// When it is due after the scenario start, as in the MSEL (`1h30m`).
    pub at: String,
    /// When it is due, in scenario time.
    pub due: Timestamp,
    pub state: InjectStatus,
    /// What it simulates, who it is from and for: null until delivered (players never see an
    /// inject before it arrives).
    pub kind: Option<InjectKind>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub delivered_at: Option<Timestamp>,
    pub early: bool,
    pub improvised: bool,
    pub skipped_at: Option<Timestamp>,
    /// For inquiries and requests with a reply deadline, once delivered.
    pub reply_by: Option<Timestamp>,
    /// `pending`, `overdue`, `met` or `late`; null without a reply deadline.
    pub reply: Option<DeadlineState>,
    pub replied_at: Option<Timestamp>,
    /// How many actions evaluators expect.
    pub expected: usize,
    /// The rating in force for each rated item.
    pub ratings: Vec<RatingInfo>,
}

/// A rating of one expected action.
#[derive(Clone, Debug, Serialize)]
pub struct RatingInfo {
    /// The expected action, from 1.
    pub item: u32,
    pub expect: String,
    /// `P`, `S`, `M` or `U`.
    pub rating: Rating,
    pub note: Option<String>,
    pub at: Timestamp,
    pub by: crate::journal::Name,
}

impl ExerciseStatus {
    /// The exercise at real time `real_now`.
    pub fn new(ex: &Exercise, inc: &Incident, real_now: Timestamp) -> ExerciseStatus {
        let now = ex.now(real_now);
        let phase = ex.clock.phase_at(real_now);
        ExerciseStatus {
            scenario_now: now,
            scenario_start: ex.scenario_start,
            clock: phase,
            paused: phase.holds(),
            speed: ex.clock.speed_at(real_now),
            msel: ex.msel.clone(),
            injects: ex
                .injects
                .iter()
                .map(|i| InjectInfo {
                    id: i.inject.id.clone(),
                    at: i.inject.at.to_string(),
                    due: i.due,
                    state: i.status(),
                    kind: i.delivered.as_ref().map(|_| i.inject.kind),
                    from: i.delivered.as_ref().map(|_| i.inject.from.clone()),
                    to: i.delivered.as_ref().and(i.inject.to.clone()),
                    delivered_at: i.delivered.as_ref().map(|d| d.at),
                    early: i.delivered.as_ref().is_some_and(|d| d.early),
                    improvised: i.improvised,
                    skipped_at: (i.status() == InjectStatus::Skipped)
                        .then(|| i.skipped.as_ref().map(|s| s.at))
                        .flatten(),
                    reply_by: i.reply_by(inc),
                    reply: i.reply_state(inc, now),
                    replied_at: i.replied_at(inc),
                    expected: i.inject.expect.len(),
                    ratings: i
                        .ratings()
                        .into_iter()
                        .map(|r| RatingInfo {
                            item: r.item,
                            expect: i
                                .inject
                                .expect
                                .get(r.item as usize - 1)
                                .cloned()
                                .unwrap_or_default(),
                            rating: r.rating,
                            note: r.note.clone(),
                            at: r.at,
                            by: r.by.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A scenario time for people: `Fri 06 Mar 17:00:00 CET` in the playbook's zone.
pub fn describe_time(calendar: &Calendar, t: Timestamp) -> String {
    calendar
        .to_zoned(t)
        .strftime("%a %d %b %H:%M:%S %Z")
        .to_string()
}

/// The exercise part of `crisisdesk status`, for people: the clock, then each inject in MSEL
/// order — what was delivered and how the reply deadline went, the pending ones by time only.
pub fn summary(ex: &Exercise, inc: &Incident, real_now: Timestamp) -> String {
    use std::fmt::Write;
    let st = ExerciseStatus::new(ex, inc, real_now);
    let cal = &inc.calendar;
    let clean = |s: &str| crate::sanitize::line(s).into_owned();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nEXERCISE clock: scenario time {} — {}, ×{}{}",
        describe_time(cal, st.scenario_now),
        st.clock.as_str().replace('_', " "),
        st.speed,
        st.msel
            .as_deref()
            .map(|m| format!("; MSEL from {}", clean(m)))
            .unwrap_or_default()
    );
    for (i, info) in ex.injects.iter().zip(&st.injects) {
        let what = match (&i.delivered, info.state) {
            (Some(d), _) => format!(
                "delivered {}{} — {}{}",
                describe_time(cal, d.at),
                if d.early { " (early)" } else { "" },
                clean(&i.inject.from),
                i.inject
                    .subject
                    .as_deref()
                    .map(|s| format!(": {}", clean(s)))
                    .unwrap_or_default()
            ),
            (None, InjectStatus::Skipped) => "skipped".to_owned(),
            _ => format!(
                "pending, due {} ({})",
                describe_time(cal, i.due),
                crate::incident::status::countdown(st.scenario_now, i.due)
            ),
        };
        let reply = match (info.reply, info.reply_by) {
            (Some(r), Some(by)) => {
                format!("; reply {} (by {})", r.as_str(), describe_time(cal, by))
            }
            _ => String::new(),
        };
        let ratings: Vec<String> = info
            .ratings
            .iter()
            .map(|r| format!("{}:{}", r.item, r.rating.letter()))
            .collect();
        let ratings = if ratings.is_empty() {
            String::new()
        } else {
            format!("; rated {}", ratings.join(" "))
        };
        let _ = writeln!(out, "  {:<5} {what}{reply}{ratings}", clean(&i.inject.id));
    }
    for a in &ex.anomalies {
        let _ = writeln!(out, "note: {}", clean(a));
    }
    out
}
