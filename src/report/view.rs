//! The words both human formats share: section titles, the figures table, states and notes.
//! Markdown and HTML lay them out; what they say is decided once, here, so the two formats
//! state the same facts.

use super::model::*;
use super::text::{Times, duration};
use crate::exercise::InjectStatus;
use crate::incident::LessonKind;
use crate::incident::event::Rating;
use crate::playbook::model::InjectKind;

/// The report's sections, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// After-action report: what the exercise was, when, who took part (in place of the
    /// summary).
    Overview,
    /// After-action report: each inject, its expected actions, ratings and evidence.
    Injects,
    /// After-action report: counts per rating.
    Ratings,
    /// After-action report: strengths and areas for improvement from the lessons.
    Findings,
    /// After-action report: the corrective actions.
    ImprovementPlan,
    Summary,
    Figures,
    Audiences,
    Timeline,
    Record,
    Lessons,
    Integrity,
}

impl Section {
    /// The section's name, unnumbered.
    pub fn name(self) -> &'static str {
        match self {
            Section::Overview => "Exercise overview",
            Section::Injects => "Analysis of each inject",
            Section::Ratings => "Ratings summary",
            Section::Findings => "Strengths and areas for improvement",
            Section::ImprovementPlan => "Improvement plan",
            Section::Summary => "Summary",
            Section::Figures => "Key figures",
            Section::Audiences => "Who was told what, when",
            Section::Timeline => "Timeline",
            Section::Record => "Decisions, facts and media",
            Section::Lessons => "Lessons and actions",
            Section::Integrity => "Integrity of the record",
        }
    }

    /// An anchor id for HTML.
    pub fn anchor(self) -> &'static str {
        match self {
            Section::Overview => "overview",
            Section::Injects => "injects",
            Section::Ratings => "ratings",
            Section::Findings => "findings",
            Section::ImprovementPlan => "improvement-plan",
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

/// The sections of this report: the post-incident report's seven, or for an exercise the
/// after-action report's five (overview in place of the summary) followed by the post-incident
/// report's sections 2 to 7.
pub fn sections(r: &Report) -> Vec<Section> {
    let mut out = if r.exercise.is_some() {
        vec![
            Section::Overview,
            Section::Injects,
            Section::Ratings,
            Section::Findings,
            Section::ImprovementPlan,
        ]
    } else {
        vec![Section::Summary]
    };
    out.extend([
        Section::Figures,
        Section::Audiences,
        Section::Timeline,
        Section::Record,
        Section::Lessons,
        Section::Integrity,
    ]);
    out
}

/// Each section with its heading, numbered in order (`2. Key figures`).
pub fn headings(r: &Report) -> Vec<(Section, String)> {
    sections(r)
        .into_iter()
        .enumerate()
        .map(|(k, s)| (s, format!("{}. {}", k + 1, s.name())))
        .collect()
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
    if r.exercise.is_some() {
        return format!(
            "Every time is scenario time (the time in the exercise's story) in {}, the \
             playbook's time zone ({} at the scenario start), except where marked real time. \
             The JSON form of this report gives every time in UTC.",
            t.zone(),
            t.offset_at(r.incident.detected_at)
        );
    }
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

/// The words an exercise report opens and ends with.
pub const EXERCISE_BANNER: &str = crate::exercise::MARK;

/// What the banner says after the marks.
pub const EXERCISE_NOTE: &str = "The after-action report and improvement plan of a tabletop \
    exercise. Nothing in it happened: its messages, inquiries and deadlines are the exercise's, \
    on scenario time.";

/// What the banner says at the end of the document.
pub const EXERCISE_END: &str = "End of the after-action report of a tabletop exercise.";

/// What the interim note says after its time.
pub fn interim_note(r: &Report) -> &'static str {
    if r.exercise.is_some() {
        " The exercise is still running; figures are as they stood then (scenario time)."
    } else {
        " The incident is still open; figures are as they stood then."
    }
}

/// What the closing note says when there is none.
pub fn no_closing_note(r: &Report) -> &'static str {
    match (r.incident.closed_at.is_some(), r.exercise.is_some()) {
        (true, false) => "The incident was closed without a note.",
        (false, false) => "The incident is still open.",
        (true, true) => "The exercise was closed without a note.",
        (false, true) => "The exercise is still running.",
    }
}

/// A role as `Title (id)`, or the id when the playbook does not know it.
pub fn role_name(x: &ExercisePart, id: &str) -> String {
    x.roles
        .iter()
        .find(|r| r.id == id)
        .map_or_else(|| id.to_owned(), |r| format!("{} ({id})", r.title))
}

/// An inject's kind in words.
pub fn inject_kind(k: InjectKind) -> &'static str {
    match k {
        InjectKind::Info => "Information",
        InjectKind::MediaInquiry => "Media inquiry",
        InjectKind::MediaMention => "Media mention",
        InjectKind::StakeholderRequest => "Stakeholder request",
        InjectKind::Escalation => "Escalation",
    }
}

/// `i04 — Media inquiry from Lena Hartmann` (improvised ones say so; one withheld says only
/// when it is due).
pub fn inject_heading(i: &InjectRow) -> String {
    match i.kind {
        Some(kind) => format!(
            "{} — {} from {}{}",
            i.id,
            inject_kind(kind),
            i.from,
            if i.improvised { " (improvised)" } else { "" }
        ),
        None => format!("{} — due {} after the start", i.id, i.at),
    }
}

/// What stands in place of a withheld inject's content.
pub const WITHHELD: &str = "Not delivered yet: what it says and what evaluators expect are \
    left out until it is delivered or the exercise is closed, so that no player reads it early.";

/// A rating as letter and meaning; without one, `not rated` (or `not played` when the inject
/// never reached the players).
pub fn rating_words(r: Option<Rating>, i: &InjectRow) -> String {
    match r {
        Some(r) => format!("{} — {}", r.letter(), r.label()),
        None if i.state == InjectStatus::Delivered => "not rated".into(),
        None if i.withheld => "not played yet".into(),
        None => "not played".into(),
    }
}

/// The evaluator's note of an expected action: the rating in force's note, by whom and
/// when, then each replaced rating with its own note.
pub fn rating_note(x: &Expectation, t: &Times) -> String {
    let mut parts = Vec::new();
    if let (Some(by), Some(at)) = (&x.rated_by, x.rated_at) {
        parts.push(match &x.note {
            Some(n) => format!("{n} ({by}, {})", t.at(at)),
            None => format!("no note ({by}, {})", t.at(at)),
        });
    }
    for old in x.ratings.iter().filter(|r| r.replaced) {
        parts.push(format!(
            "replaces {} ({}, {}){}",
            old.rating.letter(),
            old.by,
            t.at(old.at),
            old.note
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default()
        ));
    }
    parts.join("; ")
}

/// Where an inject's reply deadline stands, in a sentence.
pub fn reply_words(i: &InjectRow, t: &Times) -> Option<String> {
    let state = i.reply?;
    let due = i.reply_by.map(|d| t.at(d)).unwrap_or_default();
    let answered = |what: &str| {
        format!(
            "{} {what}: answered {}, {} after the inject (due {due})",
            deadline_symbol(state),
            t.opt(i.replied_at),
            i.reply_seconds.map(duration).unwrap_or_default(),
        )
    };
    Some(match state {
        ReportDeadlineState::Met => answered("met"),
        ReportDeadlineState::Late => answered("late"),
        ReportDeadlineState::Missed => {
            format!("{} missed: no answer (due {due})", deadline_symbol(state))
        }
        _ => format!(
            "{} running: no answer yet (due {due})",
            deadline_symbol(state)
        ),
    })
}

/// An inject's facts, as label and value.
pub fn inject_facts(
    i: &InjectRow,
    r: &Report,
    x: &ExercisePart,
    t: &Times,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if i.improvised {
        out.push(("Planned", "no: improvised by the facilitator".to_owned()));
    } else {
        out.push(("Due", format!("{} ({} after the start)", t.at(i.due), i.at)));
    }
    match (i.state, i.delivered_at) {
        (InjectStatus::Delivered, Some(at)) => out.push((
            "Delivered",
            format!(
                "{}{} by {}{}",
                t.at(at),
                if i.early { " (early)" } else { "" },
                i.delivered_by.as_deref().unwrap_or(""),
                i.delivered_real_at
                    .map(|r| format!("; real time {}", t.at(r)))
                    .unwrap_or_default()
            ),
        )),
        (InjectStatus::Skipped, _) => out.push((
            "Skipped",
            format!(
                "{} by {}{}; not played",
                t.opt(i.skipped_at),
                i.skipped_by.as_deref().unwrap_or(""),
                i.skip_reason
                    .as_deref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            ),
        )),
        _ if i.withheld => out.push(("Delivered", "not yet".into())),
        _ => out.push(("Delivered", "never: the exercise ended before it".into())),
    }
    if let Some(to) = &i.to {
        out.push(("To", role_name(x, to)));
    }
    if let Some(c) = &i.channel {
        out.push(("Channel", c.clone()));
    }
    if let Some(a) = &i.audience {
        out.push(("Speaks for", audience_name(r, a)));
    }
    if let Some(s) = &i.subject {
        out.push(("Subject", s.clone()));
    }
    if let Some(reply) = reply_words(i, t) {
        out.push(("Reply deadline", reply));
    }
    out
}

/// What the evidence table says when it is empty.
pub fn no_evidence(i: &InjectRow) -> &'static str {
    match i.state {
        InjectStatus::Delivered => "Nothing recorded by players between this inject and the next.",
        _ if i.withheld => "None yet: the inject has not been delivered.",
        _ => "None: the inject was not played.",
    }
}

/// The overview's rows, as label and value.
pub fn overview_rows(r: &Report, x: &ExercisePart, t: &Times) -> Vec<(&'static str, String)> {
    let i = &r.incident;
    let planned = || x.injects.iter().filter(|i| !i.improvised);
    let delivered = planned()
        .filter(|i| i.state == InjectStatus::Delivered)
        .count();
    let skipped = planned()
        .filter(|i| i.state == InjectStatus::Skipped)
        .count();
    let pending = x.msel.planned - delivered - skipped;
    let rated =
        x.ratings_summary.expected - x.ratings_summary.not_rated - x.ratings_summary.not_played;
    let real = match (x.real_started_at, x.real_ended_at) {
        (Some(s), Some(e)) => format!(
            "started {}, closed {} ({})",
            t.at(s),
            t.at(e),
            duration(e.as_second() - s.as_second())
        ),
        (Some(s), None) => format!("started {}; not closed yet", t.at(s)),
        (None, _) => "the clock was never started".into(),
    };
    let mut rows = vec![
        ("Exercise", i.title.clone()),
        (
            "Scope",
            "Tabletop exercise, discussion-based: no real audience was contacted".into(),
        ),
        (
            "Scenario time",
            format!(
                "{} to {} ({}{})",
                t.at(x.scenario_start),
                t.at(x.scenario_end),
                duration(x.scenario_end.as_second() - x.scenario_start.as_second()),
                if i.interim { " so far" } else { "" }
            ),
        ),
        ("Real time", real),
        ("Created (real time)", t.at(x.real_created_at)),
        (
            "Clock",
            format!(
                "{}; planned at ×{} (scenario seconds per real second)",
                x.clock.as_str().replace('_', " "),
                x.planned_speed
            ),
        ),
        ("Playbook", playbook_line(&i.playbook)),
    ];
    for a in &i.playbook_adoptions {
        rows.push(("Playbook adopted", adoption_line(a, t)));
    }
    rows.extend([
        (
            "MSEL",
            format!(
                "{}: {} planned inject{}{}",
                x.msel
                    .source
                    .as_deref()
                    .map_or_else(|| "the playbook's".to_owned(), |s| format!("from {s}")),
                x.msel.planned,
                plural(x.msel.planned),
                if x.msel.improvised > 0 {
                    format!(", {} improvised", x.msel.improvised)
                } else {
                    String::new()
                }
            ),
        ),
        (
            "Injects",
            format!(
                "{delivered} of {} planned delivered, {skipped} skipped, {pending} {}; {} \
                 improvised",
                x.msel.planned,
                if i.interim {
                    "not delivered yet"
                } else {
                    "never delivered"
                },
                x.msel.improvised
            ),
        ),
        (
            "Expected actions",
            format!("{} ({rated} rated)", x.ratings_summary.expected),
        ),
        ("Severity", format!("{} ({})", i.severity_name, i.severity)),
        ("Journal entries", i.entries.to_string()),
    ]);
    rows
}

/// The participants table: name, exercise role, playbook roles, entries, console sessions.
pub fn participant_rows(x: &ExercisePart) -> Vec<[String; 5]> {
    x.participants
        .iter()
        .map(|p| {
            [
                p.name.to_string(),
                p.functions.join(", "),
                p.roles
                    .iter()
                    .map(|r| role_name(x, r))
                    .collect::<Vec<_>>()
                    .join(", "),
                p.entries.to_string(),
                // Each run of the command line is a console session of its own: a count
                // reads better than a column of session ids (the JSON lists them).
                p.consoles.len().to_string(),
            ]
        })
        .collect()
}

/// What the participants table is.
pub const PARTICIPANTS_NOTE: &str = "Everyone who wrote in the exercise's journal: the roles \
    they acted in (as named when approving or objecting) and what they did in the exercise \
    (facilitator: plan, clock, skips, improvised injects, closing; evaluator: ratings; player: \
    anything done in response to the scenario). On-time deliveries are written by the \
    exercise clock, not a person.";

/// The ratings summary: letter (or dash), meaning, count.
pub fn ratings_rows(s: &RatingsSummary) -> Vec<[String; 3]> {
    let mut rows: Vec<[String; 3]> = Rating::ALL
        .iter()
        .map(|r| {
            [
                r.letter().to_owned(),
                r.label().to_owned(),
                s.count(*r).to_string(),
            ]
        })
        .collect();
    rows.push([
        "—".into(),
        "not rated (the inject was delivered)".into(),
        s.not_rated.to_string(),
    ]);
    rows.push([
        "—".into(),
        "not played (the inject was skipped or never delivered)".into(),
        s.not_played.to_string(),
    ]);
    rows.push([
        "".into(),
        "every expected action".into(),
        s.expected.to_string(),
    ]);
    rows
}

/// One inject's ratings in a line: `1 P · 2 S · 3 —`.
pub fn inject_ratings_line(i: &InjectRow) -> String {
    if i.expectations.is_empty() {
        return "no expected actions".into();
    }
    if i.withheld {
        return format!("{} expected, not played yet", i.expectations.len());
    }
    i.expectations
        .iter()
        .map(|x| format!("{} {}", x.item, x.rating.map_or("—", |r| r.letter())))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// An inject's state in a word or two.
pub fn inject_state_words(i: &InjectRow) -> &'static str {
    match (i.state, i.early, i.improvised) {
        (InjectStatus::Delivered, _, true) => "improvised",
        (InjectStatus::Delivered, true, _) => "delivered early",
        (InjectStatus::Delivered, ..) => "delivered",
        (InjectStatus::Skipped, ..) => "skipped",
        (InjectStatus::Pending, ..) if i.withheld => "not delivered yet",
        (InjectStatus::Pending, ..) => "never delivered",
    }
}

/// Where the strengths and areas for improvement come from.
pub const FINDINGS_NOTE: &str = "From the lessons recorded in the hot wash: what went well are \
    strengths; what went wrong, and where the team got lucky (do not count on it next time), \
    are areas for improvement.";

/// Lessons that are strengths.
pub fn strengths(r: &Report) -> impl Iterator<Item = &LessonRow> {
    r.lessons.iter().filter(|l| l.kind == LessonKind::Well)
}

/// Lessons that are areas for improvement, each with what kind it is.
pub fn areas(r: &Report) -> impl Iterator<Item = (&LessonRow, &'static str)> {
    r.lessons.iter().filter_map(|l| match l.kind {
        LessonKind::Well => None,
        LessonKind::Wrong => Some((l, "went wrong")),
        LessonKind::Lucky => Some((l, "got lucky")),
    })
}

/// What the improvement plan is.
pub const PLAN_NOTE: &str = "The corrective actions recorded, with the role that owns each, \
    when it was added and when it is due.";

/// The improvement plan: action, owner, added, due, state.
pub fn plan_rows(r: &Report, x: &ExercisePart, t: &Times) -> Vec<[String; 5]> {
    r.actions
        .iter()
        .map(|a| {
            [
                a.text.clone(),
                a.owner
                    .as_deref()
                    .map_or_else(|| "—".into(), |o| role_name(x, o)),
                format!("{} by {}", t.at(a.added_at), a.added_by),
                t.opt(a.due),
                match a.done_at {
                    Some(d) => {
                        format!("done {} by {}", t.at(d), a.done_by.as_deref().unwrap_or(""))
                    }
                    None => a.state.to_owned(),
                },
            ]
        })
        .collect()
}
