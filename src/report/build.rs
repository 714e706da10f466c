//! From the folded incident, its journal entries and what the journal reader found, to the
//! report's data ([`Report`]). Pure: the caller reads the folder and says what "now" is.

use std::collections::HashMap;

use jiff::Timestamp;
use uuid::Uuid;

use super::metrics;
use super::model::*;
use crate::incident::describe::words;
use crate::incident::state::{DeadlineClock, Incident, InquiryKind, Message};
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
    }
}

/// Lookups shared by the sections.
struct Ctx<'a> {
    inc: &'a Incident,
    events: &'a [Stored<Event>],
    /// Event id → index in `events`.
    index: HashMap<Uuid, usize>,
    as_of: Timestamp,
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
        let now = if inc.exercise {
            crate::exercise::fold(input.events, inc).map_or(input.now, |ex| ex.now(input.now))
        } else {
            input.now
        };
        Ctx {
            inc,
            events: input.events,
            index,
            as_of: inc.closed_at.unwrap_or(now),
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
