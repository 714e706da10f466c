//! From the folded incident, its journal entries and what the journal reader found, to the
//! report's data ([`Report`]). Pure: the caller reads the folder and says what "now" is.

use std::collections::HashMap;

use jiff::Timestamp;
use uuid::Uuid;

use super::metrics;
use super::model::*;
use crate::exercise::state::is_player_action;
use crate::exercise::{Exercise, InjectState, InjectStatus, Phase};
use crate::incident::describe::words;
use crate::incident::event::Rating;
use crate::incident::state::{DeadlineClock, DeadlineState, Incident, InquiryKind, Message};
use crate::incident::{Body, Event};
use crate::journal::{JournalReport, Name, Stored};

/// What a report is made from.
pub struct Input<'a> {
    /// The incident as folded from `events`.
    pub incident: &'a Incident,
    /// The merged journal entries the incident was folded from.
    pub events: &'a [Stored<Event>],
    /// What the journal reader found.
    pub journal: &'a JournalReport,
    /// Findings for entries set aside as another incident's (`store::foreign_findings`).
    pub set_aside: &'a [crate::journal::Finding],
    /// When the report is made: the "as of" time of an open incident's interim report.
    /// A closed incident's report does not depend on it.
    pub now: Timestamp,
}

/// Builds the report.
pub fn build(input: &Input<'_>) -> Report {
    let inc = input.incident;
    let ctx = Ctx::new(input);
    let audiences = audiences(&ctx);
    let metrics = metrics::compute(inc, &audiences, ctx.as_of);
    let exercise = ctx
        .exercise
        .as_ref()
        .map(|ex| exercise_part(&ctx, ex, input.now));
    Report {
        format: REPORT_FORMAT,
        kind: if inc.exercise {
            ReportKind::AfterAction
        } else {
            ReportKind::PostIncident
        },
        incident: incident_part(&ctx),
        metrics,
        audiences,
        told_whom: crate::check::section::section(inc, input.events),
        inquiries: inquiries(&ctx),
        mentions: inc
            .mentions
            .iter()
            .map(|m| MentionRow {
                id: m.id,
                at: m.at,
                source: m.source.clone(),
                url: m.url.clone(),
                sentiment: m.sentiment.clone(),
                text: m.text.clone(),
            })
            .collect(),
        decisions: ctx.entries(|b| matches!(b, Body::Decision { .. })),
        facts: facts(&ctx),
        actions: actions(&ctx),
        lessons: inc
            .lessons
            .iter()
            .map(|(e, kind)| LessonRow {
                id: e.id,
                at: e.at,
                by: e.by.clone(),
                kind: *kind,
                text: e.text.clone(),
            })
            .collect(),
        checklist: checklist(&ctx),
        timeline: timeline(&ctx),
        integrity: integrity(input),
        exercise,
    }
}

/// Lookups shared by the sections.
struct Ctx<'a> {
    inc: &'a Incident,
    events: &'a [Stored<Event>],
    /// Event id → index in `events`.
    index: HashMap<Uuid, usize>,
    as_of: Timestamp,
    /// The exercise layer, for an exercise.
    exercise: Option<Exercise>,
}

impl<'a> Ctx<'a> {
    fn new(input: &Input<'a>) -> Self {
        let inc = input.incident;
        let mut index = HashMap::with_capacity(input.events.len());
        for (i, s) in input.events.iter().enumerate() {
            index.entry(s.entry.id).or_insert(i);
        }
        // An exercise's entries are dated in scenario time: an open one is judged at the
        // scenario time it has reached, not at the real time.
        let exercise = crate::exercise::fold(input.events, inc);
        let now = exercise.as_ref().map_or(input.now, |ex| ex.now(input.now));
        Ctx {
            inc,
            events: input.events,
            index,
            as_of: inc.closed_at.unwrap_or(now),
            exercise,
        }
    }

    fn event(&self, id: &Uuid) -> Option<&'a Event> {
        self.index.get(id).map(|&i| &self.events[i].entry)
    }

    /// The surviving amendments of an entry, oldest first.
    fn amendments(&self, id: &Uuid) -> impl Iterator<Item = &'a Event> + '_ {
        self.inc
            .amended
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|a| self.event(a))
    }

    /// The entry's body with its latest text amendment applied.
    fn body(&self, e: &Event) -> Body {
        let text = self.amendments(&e.id).filter_map(|a| match &a.body {
            Body::Amend { text, .. } => text.clone(),
            _ => None,
        });
        let mut body = e.body.clone();
        if let Some(t) = text.last() {
            body.set_text(t);
        }
        body
    }

    /// When the entry happened, its latest time amendment applied.
    fn at(&self, e: &Event) -> Timestamp {
        self.amendments(&e.id)
            .filter_map(|a| match &a.body {
                Body::Amend { new_at, .. } => *new_at,
                _ => None,
            })
            .last()
            .unwrap_or(e.at)
    }

    fn corrections(&self, e: &Event) -> Option<Corrections> {
        let mut c = Corrections::default();
        for a in self.amendments(&e.id) {
            if let Body::Amend {
                text,
                new_at,
                reason,
                ..
            } = &a.body
            {
                if text.is_some() && c.original_text.is_none() {
                    c.original_text = e.body.text().map(str::to_owned);
                }
                if new_at.is_some() {
                    c.original_at = Some(e.at);
                }
                c.amendments.push(AmendRow {
                    id: a.id,
                    at: a.at,
                    by: a.author.clone(),
                    text: text.clone(),
                    new_at: *new_at,
                    reason: reason.clone(),
                });
            }
        }
        if let Some((rid, reason)) = self.inc.retracted.get(&e.id) {
            let (at, by) = self
                .event(rid)
                .map_or((e.at, Name::default()), |r| (r.at, r.author.clone()));
            c.retraction = Some(RetractRow {
                id: *rid,
                at,
                by,
                reason: reason.clone(),
            });
        }
        (!c.is_empty()).then_some(c)
    }

    /// Entries of one kind in the order they happened, retracted ones included and marked.
    fn entries(&self, pick: impl Fn(&Body) -> bool) -> Vec<EntryRow> {
        self.in_order()
            .filter(|e| pick(&e.body))
            .map(|e| {
                let body = self.body(e);
                EntryRow {
                    id: e.id,
                    at: self.at(e),
                    by: e.author.clone(),
                    text: body.text().unwrap_or_default().to_owned(),
                    retracted: self.inc.retracted.contains_key(&e.id),
                    corrections: self.corrections(e),
                }
            })
            .collect()
    }

    fn in_order(&self) -> impl Iterator<Item = &'a Event> + '_ {
        self.inc.order.iter().map(|&i| &self.events[i].entry)
    }

    fn audience_name(&self, id: &str) -> String {
        self.inc
            .playbook
            .stakeholder(id)
            .map_or_else(|| id.to_owned(), |s| s.name.clone())
    }
}

fn incident_part(ctx: &Ctx<'_>) -> IncidentPart {
    let inc = ctx.inc;
    let pb = &inc.playbook;
    let opened = ctx.event(&inc.id);
    let original = opened.and_then(|e| match &e.body {
        Body::IncidentOpened {
            playbook_source, ..
        } => crate::playbook::parse("playbook snapshot", playbook_source.as_bytes(), None).ok(),
        _ => None,
    });
    let playbook = match &original {
        Some(l) => PlaybookInfo {
            id: l.playbook.id.clone(),
            title: l.playbook.title.clone(),
            version: l.playbook.version.clone(),
        },
        None => PlaybookInfo {
            id: pb.id.clone(),
            title: pb.title.clone(),
            version: pb.version.clone(),
        },
    };
    let playbook_adoptions = ctx
        .in_order()
        .filter_map(|e| match &e.body {
            Body::PlaybookAdopted {
                playbook_source,
                changes,
                ..
            } => Some(Adoption {
                at: ctx.at(e),
                by: e.author.clone(),
                version: crate::playbook::parse(
                    "playbook snapshot",
                    playbook_source.as_bytes(),
                    None,
                )
                .ok()
                .and_then(|l| l.playbook.version),
                changes: changes.clone(),
                retracted: inc.retracted.contains_key(&e.id),
            }),
            _ => None,
        })
        .collect();
    let closing_note = inc.closed_at.and_then(|closed| {
        ctx.in_order()
            .filter(|e| !inc.retracted.contains_key(&e.id))
            .find(|e| matches!(e.body, Body::IncidentClosed { .. }) && ctx.at(e) == closed)
            .and_then(|e| ctx.body(e).text().map(str::to_owned))
    });
    let end = inc.closed_at.unwrap_or(ctx.as_of);
    let severity_name = |id: &str| {
        pb.severity(id)
            .map_or_else(|| id.to_owned(), |s| s.name.clone())
    };
    // The severity the incident was opened with held from detection, even when it was opened
    // in crisisdesk later (entries back-dated to the first hours).
    let mut severity_history: Vec<SeverityRow> = inc
        .severity_history
        .iter()
        .enumerate()
        .map(|(k, s)| SeverityRow {
            at: if k == 0 {
                s.at.min(inc.detected_at)
            } else {
                s.at
            },
            severity: s.severity.clone(),
            name: severity_name(&s.severity),
            by: s.by.clone(),
            reason: s.reason.clone(),
        })
        .collect();
    severity_history.sort_by_key(|s| s.at);
    IncidentPart {
        id: inc.id,
        title: inc.title.clone(),
        exercise: inc.exercise,
        interim: inc.closed_at.is_none(),
        as_of: ctx.as_of,
        timezone: inc.timezone().to_owned(),
        playbook,
        playbook_adoptions,
        detected_at: inc.detected_at,
        opened_at: inc.opened_at,
        closed_at: inc.closed_at,
        closing_note,
        duration_seconds: seconds(inc.detected_at, end),
        severity: inc.severity.clone(),
        severity_name: severity_name(&inc.severity),
        severity_history,
        milestones: inc
            .milestones
            .iter()
            .map(|m| MilestoneRow {
                id: m.id.clone(),
                name: m.name.clone(),
                at: m.at,
                by: m.by.clone(),
            })
            .collect(),
        entries: inc.event_count,
    }
}

/// Whole seconds from `a` to `b` (negative when `b` is earlier).
pub(crate) fn seconds(a: Timestamp, b: Timestamp) -> i64 {
    b.as_second() - a.as_second()
}

/// Where a deadline stands at `as_of`.
pub(crate) fn deadline_state(d: &DeadlineClock, as_of: Timestamp) -> ReportDeadlineState {
    match (d.due, d.met_at) {
        (Some(due), Some(met)) if met > due => ReportDeadlineState::Late,
        (_, Some(_)) => ReportDeadlineState::Met,
        (None, None) => ReportDeadlineState::Waiting,
        (Some(due), None) if as_of > due => ReportDeadlineState::Missed,
        (Some(_), None) => ReportDeadlineState::Running,
    }
}

fn audiences(ctx: &Ctx<'_>) -> Vec<Audience> {
    let inc = ctx.inc;
    let pb = &inc.playbook;
    let mut sent: Vec<&Message> = inc.messages.iter().filter(|m| m.sent.is_some()).collect();
    sent.sort_by_key(|m| m.sent.as_ref().map(|s| s.at));
    let mut out: Vec<Audience> = inc
        .stakeholders
        .iter()
        .map(|s| {
            let def = pb.stakeholder(&s.id);
            let deadlines: Vec<AudienceDeadline> = s
                .deadlines
                .iter()
                .map(|d| AudienceDeadline {
                    id: def
                        .and_then(|def| def.deadlines.iter().find(|x| x.key() == d.key))
                        .and_then(|x| x.id.clone()),
                    label: d.label.clone(),
                    basis: d.basis.clone(),
                    from: d.from.clone(),
                    due: d.due,
                    met_at: d.met_at,
                    met_by: d.met_by,
                    state: deadline_state(d, ctx.as_of),
                    counted: s.in_play || d.met_at.is_some(),
                })
                .collect();
            Audience {
                id: s.id.clone(),
                name: ctx.audience_name(&s.id),
                group: def.map_or("unknown", |d| d.group.as_str()).to_owned(),
                in_play: s.in_play,
                told: false,
                deadlines,
                messages: Vec::new(),
            }
        })
        .collect();
    for m in sent {
        let row = sent_message(ctx, m);
        match out.iter_mut().find(|a| a.id == m.stakeholder) {
            Some(a) => a.messages.push(row),
            None => out.push(Audience {
                id: m.stakeholder.clone(),
                name: m.stakeholder.clone(),
                group: "unknown".into(),
                in_play: false,
                told: false,
                deadlines: Vec::new(),
                messages: vec![row],
            }),
        }
    }
    for a in &mut out {
        a.told = !a.messages.is_empty();
    }
    out
}

fn sent_message(ctx: &Ctx<'_>, m: &Message) -> SentMessage {
    let pb = &ctx.inc.playbook;
    let s = m.sent.as_ref().expect("only sent messages");
    let deadline_label = s.met_deadline.as_ref().and_then(|key| {
        ctx.inc
            .stakeholder(&m.stakeholder)
            .and_then(|st| st.deadlines.iter().find(|d| &d.key == key))
            .map(|d| d.label.clone())
    });
    let mut approvals: Vec<ApprovalRow> = m
        .approvals
        .iter()
        .map(|a| ApprovalRow {
            role: a.role.clone(),
            by: a.by.clone(),
            at: a.at,
        })
        .collect();
    approvals.sort_by_key(|a| a.at);
    SentMessage {
        id: m.id,
        sent_at: s.at,
        sent_by: s.by.clone(),
        channel: s.channel.clone().or_else(|| m.channel.clone()),
        text: m.text.clone(),
        template: m.template.clone(),
        drafted_at: m.drafted_at,
        drafted_by: m.drafted_by.clone(),
        deadline: s.met_deadline.clone(),
        deadline_label,
        approvals,
        override_reason: s.override_reason.clone(),
        missing_roles: m.missing_approvals(pb),
    }
}

fn inquiries(ctx: &Ctx<'_>) -> Vec<InquiryRow> {
    ctx.inc
        .inquiries
        .iter()
        .map(|q| {
            let first = q.answers.iter().map(|a| a.at).min();
            let state = match (first, q.reply_by) {
                (Some(a), Some(due)) if a <= due => "answered_in_time",
                (Some(_), Some(_)) => "answered_late",
                (Some(_), None) => "answered",
                (None, Some(due)) if ctx.as_of > due => "overdue",
                (None, _) => "open",
            };
            InquiryRow {
                id: q.id,
                kind: match q.kind {
                    InquiryKind::Media => "media",
                    InquiryKind::Request => "request",
                },
                from: q.from.clone(),
                journalist: q.journalist.clone(),
                audience: q.stakeholder.clone(),
                text: q.text.clone(),
                asked_at: q.received_at,
                due: q.reply_by,
                answered_at: first,
                response_seconds: first.map(|a| seconds(q.received_at, a)),
                state,
                answers: q
                    .answers
                    .iter()
                    .map(|a| AnswerRow {
                        at: a.at,
                        by: a.by.clone(),
                        text: a.text.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

fn facts(ctx: &Ctx<'_>) -> Vec<FactRow> {
    ctx.in_order()
        .filter_map(|e| match &e.body {
            Body::Fact { confirmed, .. } => Some(FactRow {
                id: e.id,
                at: ctx.at(e),
                by: e.author.clone(),
                text: ctx.body(e).text().unwrap_or_default().to_owned(),
                confirmed: *confirmed,
                retracted: ctx.inc.retracted.contains_key(&e.id),
                corrections: ctx.corrections(e),
            }),
            _ => None,
        })
        .collect()
}

fn actions(ctx: &Ctx<'_>) -> Vec<ActionRow> {
    ctx.inc
        .actions
        .iter()
        .map(|a| ActionRow {
            id: a.id,
            text: a.text.clone(),
            owner: a.owner.clone(),
            due: a.due,
            added_at: a.added_at,
            added_by: a.added_by.clone(),
            done_at: a.done.as_ref().map(|d| d.at),
            done_by: a.done.as_ref().map(|d| d.by.clone()),
            state: if a.done.is_some() {
                "done"
            } else if a.is_overdue(ctx.as_of) {
                "overdue"
            } else {
                "open"
            },
        })
        .collect()
}

fn checklist(ctx: &Ctx<'_>) -> Vec<ChecklistRow> {
    ctx.inc
        .checklist
        .iter()
        .map(|c| ChecklistRow {
            id: c.id.clone(),
            phase: c.phase.clone(),
            text: c.text.clone(),
            owner: c.owner.clone(),
            due: c.due,
            done_at: c.done.as_ref().map(|d| d.at),
            done_by: c.done.as_ref().map(|d| d.by.clone()),
            state: if c.done.is_some() {
                "done"
            } else if c.is_overdue(ctx.as_of) {
                "overdue"
            } else {
                "open"
            },
        })
        .collect()
}

/// The entry an entry corrects or acts on.
fn refers_to(body: &Body) -> Option<Uuid> {
    match body {
        Body::Amend { target, .. } | Body::Retract { target, .. } => Some(*target),
        Body::MessageEdited { message, .. }
        | Body::MessageApproved { message, .. }
        | Body::MessageObjected { message, .. } => Some(*message),
        Body::MessageSent { message, .. } => *message,
        Body::InquiryAnswered { inquiry, .. } => Some(*inquiry),
        Body::ActionDone { action } => Some(*action),
        _ => None,
    }
}

fn timeline(ctx: &Ctx<'_>) -> Vec<TimelineRow> {
    ctx.in_order()
        .map(|e| {
            let amended = ctx.inc.amended.contains_key(&e.id);
            let retracted = ctx.inc.retracted.contains_key(&e.id);
            let (summary, corrections) = if amended || retracted {
                (words(ctx.inc, &ctx.body(e)), ctx.corrections(e))
            } else {
                (words(ctx.inc, &e.body), None)
            };
            TimelineRow {
                id: e.id,
                at: if amended { ctx.at(e) } else { e.at },
                recorded_at: e.recorded_at,
                kind: e.body.kind(),
                author: e.author.clone(),
                console: e.console.clone(),
                summary,
                refers_to: refers_to(&e.body),
                retracted,
                corrections,
            }
        })
        .collect()
}

/// How evidence is tied to an inject, in every format.
pub const EVIDENCE_HOW: &str = "What players did (entries other than the exercise's own \
    controls, lessons and corrections; withdrawn entries left out) from the inject's delivery \
    until the next inject arrived, and any answer to the inquiry or request it became, with how \
    long after the delivery it happened in scenario time.";

/// How the ratings summary is counted.
pub const RATINGS_HOW: &str = "Each expected action of each inject counts once, with the \
    rating in force (a later rating of the same action replaces an earlier one). Not rated: \
    the inject was delivered but no evaluator rated the action. Not played: the inject was \
    skipped or never delivered.";

fn exercise_part(ctx: &Ctx<'_>, ex: &Exercise, real_now: Timestamp) -> ExercisePart {
    let inc = ctx.inc;
    let closing = inc.closed_at.and_then(|closed| {
        ctx.in_order()
            .filter(|e| !inc.retracted.contains_key(&e.id))
            .find(|e| matches!(e.body, Body::IncidentClosed { .. }) && ctx.at(e) == closed)
    });
    let evidence = evidence(ctx, ex);
    let injects: Vec<InjectRow> = ex
        .injects
        .iter()
        .zip(evidence)
        .map(|(i, evidence)| inject_row(ctx, i, evidence))
        .collect();
    let mut summary = RatingsSummary {
        how: RATINGS_HOW.to_owned(),
        ..RatingsSummary::default()
    };
    for i in &injects {
        for x in &i.expectations {
            summary.expected += 1;
            match (x.rating, i.state) {
                (Some(Rating::Performed), _) => summary.performed += 1,
                (Some(Rating::SomeChallenges), _) => summary.some_challenges += 1,
                (Some(Rating::MajorChallenges), _) => summary.major_challenges += 1,
                (Some(Rating::Unable), _) => summary.unable += 1,
                (None, InjectStatus::Delivered) => summary.not_rated += 1,
                (None, _) => summary.not_played += 1,
            }
        }
    }
    ExercisePart {
        scope: "tabletop",
        scenario_start: ex.scenario_start,
        scenario_end: ctx.as_of,
        real_created_at: ctx.event(&inc.id).map_or(inc.opened_at, |e| e.recorded_at),
        real_started_at: ex.clock.started_at(),
        real_ended_at: closing.map(|e| e.recorded_at),
        clock: if inc.closed_at.is_some() {
            Phase::Ended
        } else {
            ex.phase_at(real_now)
        },
        planned_speed: ex.planned_speed,
        msel: MselInfo {
            source: ex.msel.clone(),
            planned: ex.injects.iter().filter(|i| !i.improvised).count(),
            improvised: ex.injects.iter().filter(|i| i.improvised).count(),
        },
        participants: participants(ctx),
        roles: inc
            .playbook
            .roles
            .iter()
            .map(|r| RoleRow {
                id: r.id.clone(),
                title: r.title.clone(),
            })
            .collect(),
        injects,
        ratings_summary: summary,
        evidence_how: EVIDENCE_HOW.to_owned(),
        anomalies: ex.anomalies.clone(),
    }
}

fn inject_row(ctx: &Ctx<'_>, i: &InjectState, evidence: Vec<EvidenceRow>) -> InjectRow {
    let inc = ctx.inc;
    let d = i.delivered.as_ref();
    let skipped = i.skipped.as_ref().filter(|_| d.is_none());
    let replied_at = i.replied_at(inc);
    // An inject not yet delivered stays unseen while the exercise runs: a report made then
    // (the console's W, by anyone) must not tell players what is coming or what is expected.
    let withheld = inc.closed_at.is_none() && d.is_none();
    let shown = |s: &Option<String>| s.clone().filter(|_| !withheld);
    let expectations = i
        .inject
        .expect
        .iter()
        .enumerate()
        .map(|(k, text)| {
            let item = k as u32 + 1;
            let history: Vec<_> = i.rating_history.iter().filter(|r| r.item == item).collect();
            let current = history.last();
            Expectation {
                item,
                text: if withheld {
                    String::new()
                } else {
                    text.clone()
                },
                rating: current.map(|r| r.rating),
                note: current.and_then(|r| r.note.clone()),
                rated_at: current.map(|r| r.at),
                rated_by: current.map(|r| r.by.clone()),
                ratings: history
                    .iter()
                    .enumerate()
                    .map(|(n, r)| RatingRow {
                        id: r.event,
                        rating: r.rating,
                        note: r.note.clone(),
                        at: r.at,
                        by: r.by.clone(),
                        replaced: n + 1 < history.len(),
                    })
                    .collect(),
            }
        })
        .collect();
    InjectRow {
        id: i.inject.id.clone(),
        at: i.inject.at.to_string(),
        due: i.due,
        state: i.status(),
        improvised: i.improvised,
        early: d.is_some_and(|d| d.early),
        withheld,
        kind: (!withheld).then_some(i.inject.kind),
        from: if withheld {
            String::new()
        } else {
            i.inject.from.clone()
        },
        to: shown(&i.inject.to),
        channel: shown(&i.inject.channel),
        subject: shown(&i.inject.subject),
        text: if withheld {
            String::new()
        } else {
            i.inject.text.clone()
        },
        audience: shown(&i.inject.stakeholder),
        delivered_at: d.map(|d| d.at),
        delivered_real_at: d.map(|d| d.recorded_at),
        delivered_by: d.map(|d| d.by.clone()),
        skipped_at: skipped.map(|s| s.at),
        skipped_by: skipped.map(|s| s.by.clone()),
        skip_reason: skipped.and_then(|s| s.reason.clone()),
        reply_by: i.reply_by(inc),
        replied_at,
        reply_seconds: d.zip(replied_at).map(|(d, r)| seconds(d.at, r)),
        reply: i.reply_state(inc, ctx.as_of).map(|s| match s {
            DeadlineState::Met => ReportDeadlineState::Met,
            DeadlineState::Late => ReportDeadlineState::Late,
            DeadlineState::Overdue => ReportDeadlineState::Missed,
            DeadlineState::Pending => ReportDeadlineState::Running,
            DeadlineState::Waiting => ReportDeadlineState::Waiting,
        }),
        expectations,
        evidence,
    }
}

/// The evidence of each inject (in `ex.injects`' order), in one pass over the entries: each
/// player action goes to the injects delivered last before it (several when they arrived at
/// the same scenario time), and an answer to an inject's inquiry or request to that inject
/// as well, whenever it came.
fn evidence(ctx: &Ctx<'_>, ex: &Exercise) -> Vec<Vec<EvidenceRow>> {
    let mut out: Vec<Vec<EvidenceRow>> = vec![Vec::new(); ex.injects.len()];
    // (delivery time, inject index), by time.
    let mut deliveries: Vec<(Timestamp, usize)> = ex
        .injects
        .iter()
        .enumerate()
        .filter_map(|(k, i)| i.delivered.as_ref().map(|d| (d.at, k)))
        .collect();
    deliveries.sort();
    if deliveries.is_empty() {
        return out;
    }
    let by_event: HashMap<Uuid, usize> = ex
        .injects
        .iter()
        .enumerate()
        .filter_map(|(k, i)| i.delivered.as_ref().map(|d| (d.event, k)))
        .collect();
    for e in ctx.in_order() {
        if ctx.inc.retracted.contains_key(&e.id) || !is_player_action(&e.body) {
            continue;
        }
        let at = ctx.at(e);
        let answered = match &e.body {
            Body::InquiryAnswered { inquiry, .. } => by_event.get(inquiry).copied(),
            _ => None,
        };
        // The injects delivered last at or before `at`.
        let end = deliveries.partition_point(|(t, _)| *t <= at);
        let window: &[(Timestamp, usize)] = match end.checked_sub(1).map(|k| deliveries[k].0) {
            Some(last) => {
                let start = deliveries.partition_point(|(t, _)| *t < last);
                &deliveries[start..end]
            }
            None => &[],
        };
        if window.is_empty() && answered.is_none() {
            continue;
        }
        let amended = ctx.inc.amended.contains_key(&e.id);
        let text = if amended {
            words(ctx.inc, &ctx.body(e))
        } else {
            words(ctx.inc, &e.body)
        };
        let targets = window
            .iter()
            .map(|(_, k)| *k)
            .chain(answered.filter(|a| !window.iter().any(|(_, k)| k == a)));
        for k in targets {
            let delivered = ex.injects[k].delivered.as_ref().map_or(at, |d| d.at);
            out[k].push(EvidenceRow {
                id: e.id,
                at,
                after_seconds: seconds(delivered, at),
                by: e.author.clone(),
                kind: e.body.kind(),
                text: text.clone(),
                answers_inject: answered == Some(k),
            });
        }
    }
    out
}

/// Everyone who wrote in the journal, in the order they first wrote, with the roles they
/// acted in and what they did in the exercise.
fn participants(ctx: &Ctx<'_>) -> Vec<Participant> {
    let mut out: Vec<Participant> = Vec::new();
    for e in ctx.in_order() {
        if e.author.as_str() == crate::exercise::deliver::CLOCK_AUTHOR {
            continue;
        }
        let k = match out.iter().position(|p| p.name == e.author) {
            Some(k) => k,
            None => {
                out.push(Participant {
                    name: e.author.clone(),
                    roles: Vec::new(),
                    functions: Vec::new(),
                    entries: 0,
                    consoles: Vec::new(),
                });
                out.len() - 1
            }
        };
        let p = &mut out[k];
        p.entries += 1;
        if !p.consoles.contains(&e.console) {
            p.consoles.push(e.console.clone());
        }
        if let Body::MessageApproved { role, .. } | Body::MessageObjected { role, .. } = &e.body
            && !p.roles.contains(role)
        {
            p.roles.push(role.clone());
        }
        let function = match &e.body {
            Body::ExercisePlanned { .. }
            | Body::ExerciseStarted
            | Body::ExercisePaused
            | Body::ExerciseResumed
            | Body::ExerciseSpeed { .. }
            | Body::ExerciseJumped { .. }
            | Body::InjectDelivered { .. }
            | Body::InjectSkipped { .. }
            | Body::IncidentClosed { .. } => Some("facilitator"),
            Body::InjectRated { .. } => Some("evaluator"),
            b if is_player_action(b) => Some("player"),
            _ => None,
        };
        if let Some(f) = function
            && !p.functions.contains(&f)
        {
            p.functions.push(f);
        }
    }
    for p in &mut out {
        p.functions.sort_by_key(|f| {
            ["facilitator", "evaluator", "player"]
                .iter()
                .position(|x| x == f)
        });
    }
    out
}

fn integrity(input: &Input<'_>) -> IntegrityPart {
    let j = input.journal;
    let mut consoles: Vec<&str> = input.events.iter().map(|e| e.console.as_str()).collect();
    consoles.sort_unstable();
    consoles.dedup();
    let mut findings = j.findings();
    findings.extend(input.set_aside.iter().cloned());
    let damaged = j.integrity == crate::journal::Integrity::Corrupt || !input.set_aside.is_empty();
    let warning = (!findings.is_empty()).then(|| warning(&findings, damaged));
    IntegrityPart {
        status: if damaged {
            "corrupt"
        } else {
            j.integrity.as_str()
        },
        damaged,
        warning,
        files: j.files.len(),
        records: j.records,
        entries: j.entries,
        duplicates: j.duplicates,
        consoles: consoles.len(),
        torn_tails: j.files.iter().filter(|f| f.torn_tail.is_some()).count(),
        corrupt_lines: j.files.iter().map(|f| f.corrupt.len()).sum(),
        chain_breaks: j.files.iter().map(|f| f.chain_breaks.len()).sum(),
        conflicts: j.conflicts.len(),
        chain_heads: super::verify::chain_heads(j),
        findings,
        anomalies: input.incident.anomalies.clone(),
    }
}

/// Findings named in the warning at the top; the rest are in the integrity section.
const WARNING_FINDINGS: usize = 5;

fn warning(findings: &[crate::journal::Finding], damaged: bool) -> String {
    let mut parts: Vec<String> = findings
        .iter()
        .take(WARNING_FINDINGS)
        .map(|f| match f.line {
            Some(line) => format!("{} line {line}: {}", f.file, f.meaning),
            None => format!("{}: {}", f.file, f.meaning),
        })
        .collect();
    if findings.len() > WARNING_FINDINGS {
        parts.push(format!(
            "and {} more (see Integrity of the record)",
            findings.len() - WARNING_FINDINGS
        ));
    }
    if damaged {
        format!(
            "The journal this report is built from is damaged; what could not be read is not in the report. {}. Check the folder with `crisisdesk verify` before relying on this report.",
            parts.join("; ")
        )
    } else {
        format!(
            "The journal ends in an incomplete write (a crash, or a write still in progress), which is not in this report: {}.",
            parts.join("; ")
        )
    }
}
