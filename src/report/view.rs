//! The words both human formats share: section titles, the figures table, states and notes.
//! Markdown and HTML lay them out; what they say is decided once, here, so the two formats
//! state the same facts.

use super::model::*;
use super::text::{Times, duration};
use crate::incident::LessonKind;

/// The report's sections, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Summary,
    Figures,
    Audiences,
    Timeline,
    Record,
    Lessons,
    Integrity,
}

impl Section {
    /// The heading, numbered as in the issue that defined the report.
    pub fn title(self) -> &'static str {
        match self {
            Section::Summary => "1. Summary",
            Section::Figures => "2. Key figures",
            Section::Audiences => "3. Who was told what, when",
            Section::Timeline => "4. Timeline",
            Section::Record => "5. Decisions, facts and media",
            Section::Lessons => "6. Lessons and actions",
            Section::Integrity => "7. Integrity of the record",
        }
    }

    /// An anchor id for HTML.
    pub fn anchor(self) -> &'static str {
        match self {
            Section::Summary => "summary",
            Section::Figures => "figures",
            Section::Audiences => "audiences",
            Section::Timeline => "timeline",
            Section::Record => "record",
            Section::Lessons => "lessons",
            Section::Integrity => "integrity",
        }
    }
}

/// The sections of this report.
pub fn sections(_r: &Report) -> Vec<Section> {
    vec![
        Section::Summary,
        Section::Figures,
        Section::Audiences,
        Section::Timeline,
        Section::Record,
        Section::Lessons,
        Section::Integrity,
    ]
}

/// The document's title.
pub fn title(r: &Report) -> String {
    match r.kind {
        ReportKind::PostIncident => format!("Post-incident report: {}", r.incident.title),
        ReportKind::AfterAction => format!("EXERCISE — After-action report: {}", r.incident.title),
    }
}

/// How times are shown.
pub fn times_note(r: &Report, t: &Times) -> String {
    format!(
        "Times are in {}, the playbook's time zone ({} at detection). The JSON form of this \
         report gives every time in UTC.",
        t.zone(),
        t.offset_at(r.incident.detected_at)
    )
}

pub fn playbook_line(p: &PlaybookInfo) -> String {
    match &p.version {
        Some(v) => format!("{} ({}), version {v}", p.title, p.id),
        None => format!("{} ({})", p.title, p.id),
    }
}

pub fn adoption_line(a: &Adoption, t: &Times) -> String {
    let version = a.version.as_deref().map_or_else(
        || "an edited version".to_owned(),
        |v| format!("version {v}"),
    );
    let changes = if a.changes.is_empty() {
        String::new()
    } else {
        format!(": {}", a.changes.join("; "))
    };
    let withdrawn = if a.retracted {
        " (adoption withdrawn)"
    } else {
        ""
    };
    format!("{} by {} — {version}{changes}{withdrawn}", t.at(a.at), a.by)
}

/// The audience's name, or its id when the report does not know it.
pub fn audience_name(r: &Report, id: &str) -> String {
    r.audiences
        .iter()
        .find(|a| a.id == id)
        .map_or_else(|| id.to_owned(), |a| a.name.clone())
}

/// One row of the key figures table.
pub struct FigureRow {
    pub name: &'static str,
    pub value: String,
    pub how: String,
}

/// The key figures, in the order they are shown.
pub fn figure_rows(r: &Report, t: &Times) -> Vec<FigureRow> {
    let m = &r.metrics;
    let first = &m.first_public_statement;
    let d = &m.deadlines;
    let q = &m.inquiries;
    vec![
        FigureRow {
            name: "Time to the first public statement",
            value: match (first.seconds_after_detection, first.at) {
                (Some(s), Some(at)) => format!(
                    "{} ({}, to {})",
                    duration(s),
                    t.at(at),
                    audience_name(r, first.audience.as_deref().unwrap_or(""))
                ),
                _ => "no public statement was sent".into(),
            },
            how: first.how.clone(),
        },
        FigureRow {
            name: "Legal and internal deadlines",
            value: format!(
                "{} met, {} late, {} missed, {} still running, {} not started (of {})",
                d.met, d.late, d.missed, d.running, d.waiting, d.total
            ),
            how: d.how.clone(),
        },
        FigureRow {
            name: "Messages sent",
            value: m.messages_sent.count.to_string(),
            how: m.messages_sent.how.clone(),
        },
        FigureRow {
            name: "Median time from draft to last approval",
            value: match m.draft_to_last_approval.median_seconds {
                Some(s) => format!(
                    "{} (over {} message{})",
                    duration(s),
                    m.draft_to_last_approval.count,
                    plural(m.draft_to_last_approval.count)
                ),
                None => "no message carried every approval it needed".into(),
            },
            how: m.draft_to_last_approval.how.clone(),
        },
        FigureRow {
            name: "Sends with an approval override",
            value: if m.overrides.sends.is_empty() {
                "0".into()
            } else {
                format!(
                    "{}: {}",
                    m.overrides.count,
                    m.overrides
                        .sends
                        .iter()
                        .map(|o| format!("\"{}\"", o.reason))
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            },
            how: m.overrides.how.clone(),
        },
        FigureRow {
            name: "Inquiries answered within their reply deadline",
            value: format!(
                "{} of {} with a reply deadline ({} answered late)",
                q.answered_within_deadline, q.with_deadline, q.answered_late
            ),
            how: q.how.clone(),
        },
        FigureRow {
            name: "Median response time to inquiries",
            value: match q.median_response_seconds {
                Some(s) => {
                    let answered = q.total - q.unanswered;
                    format!("{} (over {answered} answered)", duration(s))
                }
                None => "no inquiry was answered".into(),
            },
            how: "From the question to its first answer, over answered inquiries.".into(),
        },
        FigureRow {
            name: "Unanswered inquiries",
            value: format!(
                "{} of {} ({} past their reply deadline)",
                q.unanswered, q.total, q.unanswered_overdue
            ),
            how: "Media inquiries and stakeholder requests with no answer recorded.".into(),
        },
    ]
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A symbol for each deadline state, so it reads without colour.
pub fn deadline_symbol(s: ReportDeadlineState) -> &'static str {
    match s {
        ReportDeadlineState::Met => "✓",
        ReportDeadlineState::Late => "!",
        ReportDeadlineState::Missed => "✗",
        ReportDeadlineState::Running => "◷",
        ReportDeadlineState::Waiting => "○",
    }
}

/// What a deadline marker means, for legends.
pub fn deadline_legend(s: ReportDeadlineState) -> &'static str {
    match s {
        ReportDeadlineState::Met => "met",
        ReportDeadlineState::Late => "met late",
        ReportDeadlineState::Missed => "missed",
        ReportDeadlineState::Running => "due (running)",
        ReportDeadlineState::Waiting => "not started",
    }
}

/// `✓ met`, `! late by 2 h 10 min`, `✗ missed (3 h past due)`…
pub fn deadline_state_words(s: ReportDeadlineState, overdue: Option<i64>) -> String {
    let word = match (s, overdue) {
        (ReportDeadlineState::Late, Some(o)) => format!("late by {}", duration(o)),
        (ReportDeadlineState::Missed, Some(o)) => format!("missed ({} past due)", duration(o)),
        (ReportDeadlineState::Waiting, _) => "waiting (clock not started)".into(),
        (s, _) => s.as_str().into(),
    };
    format!("{} {word}", deadline_symbol(s))
}

/// Whether an audience was in play and told, in a sentence.
pub fn audience_status(a: &Audience, i: &IncidentPart) -> String {
    let group = format!("Group: {}.", a.group);
    let play = if a.in_play {
        String::new()
    } else if a.group == "unknown" {
        " Not an audience of the playbook.".into()
    } else {
        format!(" Not in play at severity {}.", i.severity_name)
    };
    let told = match a.messages.len() {
        0 => " Never told anything.".to_owned(),
        n => format!(" {n} message{} sent.", plural(n)),
    };
    format!("{group}{play}{told}")
}

/// The facts about a sent message, as label and value.
pub fn message_facts(m: &SentMessage, t: &Times) -> Vec<(&'static str, String)> {
    let mut out = vec![
        (
            "Drafted",
            format!(
                "{} by {}{}",
                t.at(m.drafted_at),
                m.drafted_by,
                m.template
                    .as_deref()
                    .map(|tpl| format!(" from template {tpl}"))
                    .unwrap_or_default()
            ),
        ),
        ("Sent", format!("{} by {}", t.at(m.sent_at), m.sent_by)),
        (
            "Deadline met",
            m.deadline_label
                .clone()
                .or_else(|| m.deadline.clone())
                .unwrap_or_else(|| "none".into()),
        ),
        (
            "Approvals",
            if m.approvals.is_empty() {
                "none".into()
            } else {
                m.approvals
                    .iter()
                    .map(|a| format!("{} ({}, {})", a.role, a.by, t.at(a.at)))
                    .collect::<Vec<_>>()
                    .join("; ")
            },
        ),
    ];
    if let Some(reason) = &m.override_reason {
        out.push((
            "OVERRIDE",
            format!(
                "sent without {}: {reason}",
                if m.missing_roles.is_empty() {
                    "every approval".to_owned()
                } else {
                    format!("the approval of {}", m.missing_roles.join(", "))
                }
            ),
        ));
    }
    out.push(("Message id", m.id.to_string()));
    out
}

/// The kind of a timeline entry in words, marked when withdrawn.
pub fn kind_words(e: &TimelineRow) -> String {
    let k = e.kind.replace('_', " ");
    if e.retracted {
        format!("{k} (WITHDRAWN)")
    } else if e
        .corrections
        .as_ref()
        .is_some_and(|c| !c.amendments.is_empty())
    {
        format!("{k} (corrected)")
    } else {
        k
    }
}

/// Corrections of an entry in words, oldest first.
pub fn correction_notes(c: Option<&Corrections>, t: &Times) -> Vec<String> {
    let mut out = Vec::new();
    let Some(c) = c else {
        return out;
    };
    if let Some(orig) = &c.original_text {
        out.push(format!("first recorded as \"{orig}\""));
    }
    if let Some(at) = c.original_at {
        out.push(format!("first recorded as happening {}", t.at(at)));
    }
    for a in &c.amendments {
        let mut what = Vec::new();
        if let Some(text) = &a.text {
            what.push(format!("text now \"{text}\""));
        }
        if let Some(at) = a.new_at {
            what.push(format!("time moved to {}", t.at(at)));
        }
        let reason = a
            .reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        out.push(format!(
            "corrected {} by {}: {}{reason}",
            t.at(a.at),
            a.by,
            what.join(", ")
        ));
    }
    if let Some(r) = &c.retraction {
        out.push(format!(
            "WITHDRAWN {} by {}: {}",
            t.at(r.at),
            r.by,
            r.reason
        ));
    }
    out
}

pub fn fact_status(f: &FactRow) -> &'static str {
    match (f.retracted, f.confirmed) {
        (true, _) => "withdrawn",
        (false, true) => "confirmed",
        (false, false) => "unconfirmed",
    }
}

/// Who asked.
pub fn inquiry_from(q: &InquiryRow) -> String {
    match (q.kind, &q.journalist) {
        ("request", _) => format!("{} (request)", q.from),
        (_, Some(j)) => format!("{} ({j})", q.from),
        _ => q.from.clone(),
    }
}

pub fn inquiry_state_words(state: &str) -> &'static str {
    match state {
        "answered_in_time" => "✓ answered in time",
        "answered_late" => "! answered late",
        "answered" => "answered (no deadline)",
        "overdue" => "✗ unanswered, overdue",
        _ => "unanswered",
    }
}

/// Lesson kinds with their headings, in the order shown.
pub const LESSON_KINDS: [(LessonKind, &str); 3] = [
    (LessonKind::Well, "What went well"),
    (LessonKind::Wrong, "What went wrong"),
    (LessonKind::Lucky, "Where we got lucky"),
];

/// The integrity verdict in a sentence.
pub fn integrity_verdict(g: &IntegrityPart) -> String {
    match g.status {
        "ok" => "The record is intact: every line of every journal file is a verified record in \
                 an unbroken hash chain."
            .into(),
        "torn-tail" => "The record ends in an incomplete write (a crash, or a write in \
                        progress); that last fragment is not in this report. Everything else \
                        verified."
            .into(),
        _ => format!(
            "The record is DAMAGED: {} finding{} below; what could not be read is not in this \
             report.",
            g.findings.len(),
            plural(g.findings.len())
        ),
    }
}

/// The counts of the integrity section.
pub fn integrity_rows(g: &IntegrityPart) -> Vec<(&'static str, String)> {
    vec![
        ("Status", g.status.to_owned()),
        ("Journal files", g.files.to_string()),
        ("Records read", g.records.to_string()),
        ("Distinct entries", g.entries.to_string()),
        ("Duplicate copies dropped", g.duplicates.to_string()),
        ("Consoles that wrote", g.consoles.to_string()),
        ("Torn tails", g.torn_tails.to_string()),
        ("Damaged lines skipped", g.corrupt_lines.to_string()),
        ("Chain breaks", g.chain_breaks.to_string()),
        ("Conflicting copies", g.conflicts.to_string()),
        (
            "Entries that could not be applied",
            g.anomalies.len().to_string(),
        ),
    ]
}

/// What the timeline section says first.
pub const TIMELINE_NOTE: &str = "Every journal entry in the order things happened, day by day. \
    Corrections are entries of their own; corrected and withdrawn entries stay, marked.";

/// The timeline cut into local days: each day's heading and its entries (the timeline is in
/// the order things happened, so each day is one run).
pub fn days<'a>(timeline: &'a [TimelineRow], t: &Times) -> Vec<(String, &'a [TimelineRow])> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut current: Option<jiff::civil::Date> = None;
    for (k, e) in timeline.iter().enumerate() {
        let date = t.zoned(e.at).date();
        if current != Some(date) {
            if let Some(d) = current {
                out.push((d.strftime("%A %-d %B %Y").to_string(), &timeline[start..k]));
            }
            (current, start) = (Some(date), k);
        }
    }
    if let Some(d) = current {
        out.push((d.strftime("%A %-d %B %Y").to_string(), &timeline[start..]));
    }
    out
}

/// What the chain heads are for.
pub const CHAIN_HEADS_NOTE: &str = "Each journal file's hash chain ends in the SHA-256 sum of \
    its last record, and every earlier record is bound into that sum. Anyone holding the \
    incident folder later can check that this report was made from the same record: \
    `crisisdesk verify DIR --report report.json` compares these heads with the folder and says \
    which file changed.";

/// What "What we told whom" says before its table.
pub const TOLD_WHOM_NOTE: &str = "The figures each audience heard, as worded in the messages sent \
     (numbers and what they count, ranges and start dates, as the check reads them), then what \
     the check found and how each finding was resolved.";

/// How a finding of the check was resolved, in words.
pub fn finding_resolution(f: &crate::check::Finding, t: &Times) -> String {
    match &f.acknowledged {
        Some(a) => format!("acknowledged by {} at {}: {}", a.by, t.at(a.at), a.reason),
        None => "open: nobody acknowledged it".to_owned(),
    }
}

/// Whether a key message was given, and to whom (audience names).
pub fn key_message_state(k: &crate::check::section::KeyMessageRow, r: &Report) -> String {
    let name = |id: &str| {
        r.audiences
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| id.to_owned(), |a| a.name.clone())
    };
    let carried: Vec<String> = k
        .heard
        .iter()
        .filter(|h| h.carried())
        .map(|h| name(&h.audience))
        .collect();
    if carried.is_empty() {
        match k.heard.first() {
            Some(h) if h.words_found > 0 => format!(
                "not given (closest: {} heard {} of its {} words)",
                name(&h.audience),
                h.words_found,
                h.words
            ),
            _ => "not given".to_owned(),
        }
    } else {
        format!("given to {}", carried.join(", "))
    }
}
