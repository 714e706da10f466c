//! The incident's status at a moment, as `crisisdesk status` prints it: JSON for scripts
//! (`docs/status-json.md`) and a plain summary for people, overdue first.

use jiff::Timestamp;
use serde::Serialize;

use super::state::{DeadlineState, Incident, InquiryKind, OverdueItem};
use crate::journal::Finding;

/// The journal's health, as the status reports it.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct JournalHealth {
    pub files: usize,
    pub consoles: usize,
    /// Files ending in an incomplete record.
    pub torn_tails: usize,
    /// Complete lines skipped (bad checksum, malformed, unreadable entry…).
    pub corrupt_lines: usize,
    /// Records kept whose link to the record before them does not hold.
    pub chain_breaks: usize,
    /// Entries found in two versions.
    pub conflicts: usize,
    /// Entries set aside as another incident's (or a second opening).
    pub foreign_records: usize,
    pub integrity: String,
    /// Every finding, located by file and line (docs/journal-format.md).
    pub findings: Vec<Finding>,
}

impl JournalHealth {
    /// What the journal reader found, in the status's terms.
    pub fn new(
        events: &[crate::journal::Stored<super::event::Event>],
        report: &crate::journal::JournalReport,
    ) -> JournalHealth {
        let mut consoles: Vec<&str> = events.iter().map(|e| e.console.as_str()).collect();
        consoles.sort_unstable();
        consoles.dedup();
        JournalHealth {
            files: report.files.len(),
            consoles: consoles.len(),
            torn_tails: report
                .files
                .iter()
                .filter(|f| f.torn_tail.is_some())
                .count(),
            corrupt_lines: report.files.iter().map(|f| f.corrupt.len()).sum(),
            chain_breaks: report.files.iter().map(|f| f.chain_breaks.len()).sum(),
            conflicts: report.conflicts.len(),
            foreign_records: 0,
            integrity: report.integrity.as_str().to_owned(),
            findings: report.findings(),
        }
    }

    /// Adds the findings about entries set aside as not this incident's.
    pub fn with_foreign(mut self, findings: Vec<Finding>) -> JournalHealth {
        if !findings.is_empty() {
            self.foreign_records += findings.len();
            self.integrity = crate::journal::Integrity::Corrupt.as_str().to_owned();
            self.findings.extend(findings);
        }
        self
    }

    /// Findings that mean damage (all but torn tails).
    pub fn damage(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.damage)
    }
}

/// `crisisdesk status --json`.
#[derive(Clone, Debug, Serialize)]
pub struct Status {
    pub incident: IncidentInfo,
    pub milestones: Vec<MilestoneInfo>,
    pub stakeholders: Vec<StakeholderInfo>,
    /// Media inquiries and stakeholder requests, in the order they came in.
    pub inquiries: Vec<InquiryInfo>,
    pub counts: Counts,
    pub journal: JournalHealth,
}

/// A media inquiry or a stakeholder request and its reply deadline.
#[derive(Clone, Debug, Serialize)]
pub struct InquiryInfo {
    pub id: String,
    /// `media` or `request`.
    pub kind: &'static str,
    pub from: String,
    pub stakeholder: Option<String>,
    pub received_at: Timestamp,
    pub reply_by: Option<Timestamp>,
    /// `pending`, `overdue`, `met` or `late`; null without a reply deadline.
    pub reply: Option<DeadlineState>,
    /// The first answer.
    pub answered_at: Option<Timestamp>,
    /// In an exercise, the inject it came from.
    pub inject: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct IncidentInfo {
    pub id: String,
    pub title: String,
    pub playbook: String,
    pub severity: String,
    pub exercise: bool,
    pub detected_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    pub timezone: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct MilestoneInfo {
    pub id: String,
    pub name: String,
    pub at: Timestamp,
}

#[derive(Clone, Debug, Serialize)]
pub struct StakeholderInfo {
    pub id: String,
    pub name: String,
    pub group: String,
    pub in_play: bool,
    pub last_sent_at: Option<Timestamp>,
    pub next_update_due: Option<Timestamp>,
    pub deadlines: Vec<DeadlineInfo>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeadlineInfo {
    pub id: Option<String>,
    pub label: String,
    pub from: String,
    pub basis: Option<String>,
    pub due: Option<Timestamp>,
    pub state: DeadlineState,
    pub met_at: Option<Timestamp>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Counts {
    pub events: usize,
    pub messages_sent: usize,
    pub drafts: usize,
    pub pending_approvals: usize,
    pub open_inquiries: usize,
    pub open_actions: usize,
    pub overdue_deadlines: usize,
    pub overdue_checklist_items: usize,
}

impl Status {
    /// The status of `inc` at `now`.
    pub fn new(inc: &Incident, journal: JournalHealth, now: Timestamp) -> Status {
        let pb = &inc.playbook;
        let stakeholders: Vec<StakeholderInfo> = inc
            .stakeholders
            .iter()
            .filter_map(|s| {
                let def = pb.stakeholder(&s.id)?;
                Some(StakeholderInfo {
                    id: s.id.clone(),
                    name: def.name.clone(),
                    group: def.group.as_str().into(),
                    in_play: s.in_play,
                    last_sent_at: s.last_sent_at,
                    next_update_due: s.next_update_due,
                    deadlines: s
                        .deadlines
                        .iter()
                        .zip(&def.deadlines)
                        .map(|(d, spec)| DeadlineInfo {
                            id: spec.id.clone(),
                            label: d.label.clone(),
                            from: d.from.clone(),
                            basis: d.basis.clone(),
                            due: d.due,
                            state: d.state(now),
                            met_at: d.met_at,
                        })
                        .collect(),
                })
            })
            .collect();
        let overdue_deadlines = stakeholders
            .iter()
            .filter(|s| s.in_play)
            .flat_map(|s| &s.deadlines)
            .filter(|d| d.state == DeadlineState::Overdue)
            .count();
        Status {
            incident: IncidentInfo {
                id: inc.id.to_string(),
                title: inc.title.clone(),
                playbook: pb.id.clone(),
                severity: inc.severity.clone(),
                exercise: inc.exercise,
                detected_at: inc.detected_at,
                closed_at: inc.closed_at,
                timezone: inc.timezone().to_owned(),
            },
            milestones: inc
                .milestones
                .iter()
                .map(|m| MilestoneInfo {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    at: m.at,
                })
                .collect(),
            inquiries: inc
                .inquiries
                .iter()
                .map(|q| {
                    let answered_at = q.answers.iter().map(|a| a.at).min();
                    InquiryInfo {
                        id: q.id.to_string(),
                        kind: match q.kind {
                            InquiryKind::Media => "media",
                            InquiryKind::Request => "request",
                        },
                        from: q.from.clone(),
                        stakeholder: q.stakeholder.clone(),
                        received_at: q.received_at,
                        reply_by: q.reply_by,
                        reply: q.reply_by.map(|due| match answered_at {
                            Some(a) if a <= due => DeadlineState::Met,
                            Some(_) => DeadlineState::Late,
                            None if now > due => DeadlineState::Overdue,
                            None => DeadlineState::Pending,
                        }),
                        answered_at,
                        inject: inc.exercise_state.as_deref().and_then(|ex| {
                            ex.injects
                                .iter()
                                .find(|i| i.delivered.as_ref().is_some_and(|d| d.event == q.id))
                                .map(|i| i.inject.id.clone())
                        }),
                    }
                })
                .collect(),
            counts: Counts {
                events: inc.event_count,
                messages_sent: inc.messages.iter().filter(|m| m.sent.is_some()).count(),
                drafts: inc.drafts().count(),
                pending_approvals: inc.pending_approvals().count(),
                open_inquiries: inc.open_inquiries().count(),
                open_actions: inc.open_actions().count(),
                overdue_deadlines,
                overdue_checklist_items: inc.checklist.iter().filter(|c| c.is_overdue(now)).count(),
            },
            stakeholders,
            journal,
        }
    }
}

/// Time left (or past, with a leading `-`) as `3h05m`, `2d04h`, `45s`.
pub fn countdown(from: Timestamp, to: Timestamp) -> String {
    let secs = to.as_second() - from.as_second();
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    if d > 0 {
        format!("{sign}{d}d{h:02}h")
    } else if h > 0 {
        format!("{sign}{h}h{m:02}m")
    } else if m > 0 {
        format!("{sign}{m}m{sec:02}s")
    } else {
        format!("{sign}{sec}s")
    }
}

/// Time since detection as `T+2h00m`, or `T-1h30m` while it is still ahead (a pinned clock,
/// an exercise before its start, a clock that is wrong).
pub fn since_detection(detected: Timestamp, now: Timestamp) -> String {
    if now < detected {
        format!("T-{}", countdown(now, detected))
    } else {
        format!("T+{}", countdown(detected, now))
    }
}

/// The plain-text summary for people: what is overdue first, then what is next.
pub fn summary(inc: &Incident, status: &Status, now: Timestamp) -> String {
    use std::fmt::Write;
    let pb = &inc.playbook;
    let tz = inc.calendar.time_zone().clone();
    let local = |t: Timestamp| {
        t.to_zoned_datetime(tz.clone())
            .strftime("%a %d %b %H:%M")
            .to_string()
    };
    let mut out = String::new();
    let clean = |s: &str| crate::sanitize::line(s).into_owned();
    let sev_name = pb
        .severity(&inc.severity)
        .map_or(inc.severity.clone(), |s| s.name.clone());
    let _ = writeln!(
        out,
        "{}{} — {} ({})",
        if inc.exercise { "EXERCISE — " } else { "" },
        clean(&inc.title),
        clean(&sev_name),
        clean(&pb.title)
    );
    let _ = writeln!(
        out,
        "detected {} ({}), times in {}{}",
        local(inc.detected_at),
        since_detection(inc.detected_at, now),
        inc.timezone(),
        inc.closed_at
            .map(|c| format!(", closed {}", local(c)))
            .unwrap_or_default()
    );

    let name = |id: &str| clean(pb.stakeholder(id).map_or(id, |d| d.name.as_str()));
    let overdue: Vec<String> = inc
        .overdue(now)
        .into_iter()
        .map(|o| match o.what {
            OverdueItem::Deadline {
                stakeholder,
                deadline,
            } => format!(
                "{} — {}: was due {} ({} ago)",
                name(&stakeholder.id),
                clean(&deadline.label),
                local(o.due),
                countdown(o.due, now)
            ),
            OverdueItem::Update { stakeholder } => format!(
                "{} — update promised by {} ({} ago)",
                name(&stakeholder.id),
                local(o.due),
                countdown(o.due, now)
            ),
            OverdueItem::Reply { inquiry } => format!(
                "reply to {} — was due {}: {}",
                clean(&inquiry.from),
                local(o.due),
                clean(&inquiry.text)
            ),
            OverdueItem::Checklist { item } => {
                format!("checklist: {} — {}", clean(&item.phase), clean(&item.text))
            }
            OverdueItem::Action { action } => format!("action: {}", clean(&action.text)),
        })
        .collect();
    if overdue.is_empty() {
        let _ = writeln!(out, "\nNothing is overdue.");
    } else {
        let _ = writeln!(out, "\nOVERDUE ({})", overdue.len());
        for o in &overdue {
            let _ = writeln!(out, "  ! {o}");
        }
    }

    let _ = writeln!(out, "\nAudiences");
    for s in &status.stakeholders {
        let state = if !s.in_play {
            "not in play".to_owned()
        } else if let Some(d) = s
            .deadlines
            .iter()
            .filter(|d| matches!(d.state, DeadlineState::Pending | DeadlineState::Overdue))
            .min_by_key(|d| d.due)
        {
            format!(
                "{} {} {}",
                d.state.as_str(),
                clean(&d.label),
                d.due
                    .map(|due| format!("due {} ({})", local(due), countdown(now, due)))
                    .unwrap_or_default()
            )
        } else if let Some(n) = s.next_update_due {
            format!("next update {} ({})", local(n), countdown(now, n))
        } else if s
            .deadlines
            .iter()
            .any(|d| d.state == DeadlineState::Waiting)
        {
            "waiting for a milestone".to_owned()
        } else if s.last_sent_at.is_some() {
            "informed".to_owned()
        } else {
            "not yet informed".to_owned()
        };
        let last = s
            .last_sent_at
            .map(|t| format!("; last sent {}", local(t)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} {state}{last}",
            crate::sanitize::pad(&clean(&s.name), 28)
        );
    }

    let pending: Vec<_> = inc.drafts().collect();
    if !pending.is_empty() {
        let _ = writeln!(out, "\nMessages not yet sent");
        for m in pending {
            let why = m.status(pb).reason();
            let _ = writeln!(
                out,
                "  {} to {}: {why}",
                super::event::Event::short_id(&m.id),
                clean(&m.stakeholder)
            );
        }
    }
    let open: Vec<_> = inc.open_inquiries().collect();
    if !open.is_empty() {
        let _ = writeln!(out, "\nOpen inquiries");
        for i in open {
            let kind = match i.kind {
                InquiryKind::Media => "press",
                InquiryKind::Request => "request",
            };
            let due = i
                .reply_by
                .map(|d| format!(" — reply by {} ({})", local(d), countdown(now, d)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} {kind} from {}{due}: {}",
                super::event::Event::short_id(&i.id),
                clean(&i.from),
                clean(&i.text)
            );
        }
    }
    let actions: Vec<_> = inc.open_actions().collect();
    if !actions.is_empty() {
        let _ = writeln!(out, "\nOpen actions");
        for a in actions {
            let _ = writeln!(
                out,
                "  {} {}{}{}",
                super::event::Event::short_id(&a.id),
                clean(&a.text),
                a.owner
                    .as_deref()
                    .map(|o| format!(" — {}", clean(o)))
                    .unwrap_or_default(),
                a.due
                    .map(|d| format!(", due {}", local(d)))
                    .unwrap_or_default()
            );
        }
    }
    let c = &status.counts;
    let j = &status.journal;
    let _ = writeln!(
        out,
        "\n{} entries from {} console(s); journal {}{}",
        c.events,
        j.consoles,
        j.integrity,
        if j.findings.is_empty() {
            String::new()
        } else {
            let damage = j.damage().count();
            let torn = j.findings.len() - damage;
            let mut parts = Vec::new();
            if damage > 0 {
                parts.push(format!("{damage} damaged record(s) or link(s)"));
            }
            if torn > 0 {
                parts.push(format!("{torn} incomplete last record(s)"));
            }
            format!(" ({}: crisisdesk verify lists them)", parts.join(", "))
        }
    );
    for a in &inc.anomalies {
        let _ = writeln!(out, "note: {}", clean(a));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_since_detection_keeps_its_sign() {
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        let detected = t("2026-11-27T08:00:00Z");
        assert_eq!(
            since_detection(detected, t("2026-11-27T10:00:00Z")),
            "T+2h00m"
        );
        assert_eq!(
            since_detection(detected, t("2026-11-27T06:30:00Z")),
            "T-1h30m"
        );
        assert_eq!(
            since_detection(detected, t("2026-11-22T00:00:00Z")),
            "T-5d08h"
        );
        assert_eq!(since_detection(detected, detected), "T+0s");
    }
}
