//! The report as one self-contained HTML page: inline CSS and SVG, no scripts, no network.
//! Readable on a phone (tables scroll sideways inside their box), and printable on A4: each
//! section starts a page, table rows are never cut, and every state is a word and a symbol,
//! not a colour alone.
//!
//! Written with maud: every piece of text goes through its auto-escaping, so what a person
//! typed is text on the page, never markup.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::model::*;
use super::svg;
use super::text::{Times, duration, opt_duration, visible};
use super::view::{self, Section};

/// Page style: screen first, then print. Our own constant, so it goes in unescaped.
const CSS: &str = r#"
:root { --fg: #1a1a1a; --muted: #555; --line: #c8c8c8; --head: #f0f0f0;
  --met: #1b7f3b; --late: #b35c00; --missed: #c62828; --running: #1f5fbf; --waiting: #666; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); background: #fff; margin: 0 auto; max-width: 64rem; padding: 1rem; }
h1 { font-size: 1.55rem; margin: .4rem 0 .6rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #333; padding-bottom: .15rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
h4 { font-size: .98rem; margin: 1rem 0 .3rem; }
p { margin: .4rem 0; }
.note, .how { color: var(--muted); font-size: .88rem; }
.warning { border: 3px solid var(--missed); background: #fdecea; padding: .6rem .9rem; margin: 0 0 .8rem; }
.warning strong { color: var(--missed); }
.interim { border: 2px dashed var(--late); padding: .5rem .9rem; margin: .4rem 0; }
nav ul { columns: 2; margin: .3rem 0; padding-left: 0; list-style: none; font-size: .92rem; }
.wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .4rem 0 .9rem; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { border: 1px solid var(--line); padding: .28rem .45rem; text-align: left; vertical-align: top;
  white-space: pre-wrap; overflow-wrap: anywhere; }
th { background: var(--head); }
table.facts th { width: 14rem; }
td time { white-space: nowrap; }
table.figures td:first-child { width: 22%; } table.figures td:nth-child(2) { width: 30%; }
.message { border-left: 4px solid #888; background: #fafafa; margin: .4rem 0 1rem; padding: .5rem .8rem; }
.message .text { white-space: pre-wrap; overflow-wrap: anywhere; }
.message dl + .text { margin-top: .4rem; border-top: 1px solid var(--line); padding-top: .4rem; }
.message dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; margin: 0; font-size: .88rem; }
.message dt { font-weight: 600; }
.message dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.override { color: var(--missed); font-weight: 700; }
.s-met { color: var(--met); } .s-late { color: var(--late); font-weight: 600; }
.s-missed { color: var(--missed); font-weight: 700; } .s-running { color: var(--running); }
.s-waiting { color: var(--waiting); }
.withdrawn { text-decoration: line-through; color: var(--muted); }
.corr { display: block; color: var(--muted); font-size: .85rem; }
.picture { overflow-x: auto; border: 1px solid var(--line); padding: .3rem; margin: .5rem 0 1rem; }
.picture svg { display: block; width: 100%; min-width: 46rem; height: auto; }
ul { padding-left: 1.3rem; }
code { font-size: .85rem; overflow-wrap: anywhere; }
@media (max-width: 40rem) {
  body { font-size: 14px; padding: .6rem; }
  nav ul { columns: 1; }
  table.facts th { width: auto; }
}
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  nav { display: none; }
  section + section { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
  tr, .message dl, li, .warning, .interim { break-inside: avoid; }
  thead { display: table-header-group; }
  .wrap, .picture { overflow: visible; }
  .picture svg { min-width: 0; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// The after-action report's own style, added after [`CSS`] for exercises only.
const EXERCISE_CSS: &str = r#"
.exercise-banner { position: sticky; top: 0; z-index: 1; background: #ffe14d; color: #000;
  border: 2px solid #000; padding: .25rem .6rem; text-align: center; font-size: .9rem; letter-spacing: .04em; }
p.exercise { border: 2px solid #000; background: #fff8cc; padding: .5rem .9rem; }
.inject { border-left: 4px solid #444; background: #fafafa; margin: 1.4rem 0 .6rem; padding: .4rem .8rem; }
.inject h3 { margin-top: .2rem; }
.inject dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; margin: 0; font-size: .88rem; }
.inject dt { font-weight: 600; }
.inject dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.inject .text { white-space: pre-wrap; overflow-wrap: anywhere; margin: .4rem 0 .6rem; border-top: 1px solid var(--line);
  border-bottom: 1px solid var(--line); padding: .4rem 0; }
table.expect, table.evidence { table-layout: fixed; min-width: 36rem; }
table.expect th:nth-child(1) { width: 5%; } table.expect th:nth-child(2) { width: 38%; }
table.expect th:nth-child(3) { width: 20%; } table.expect th:nth-child(4) { width: 37%; }
table.evidence th:nth-child(1) { width: 22%; } table.evidence th:nth-child(2) { width: 10%; }
table.evidence th:nth-child(3) { width: 14%; } table.evidence th:nth-child(4) { width: 14%; }
table.evidence th:nth-child(5) { width: 40%; } table.evidence td time { white-space: normal; }
.r-p { color: var(--met); font-weight: 600; } .r-s { color: var(--running); font-weight: 600; }
.r-m { color: var(--late); font-weight: 700; } .r-u { color: var(--missed); font-weight: 700; }
.r-none { color: var(--waiting); font-style: italic; }
@page exercise { @top-center { content: "EXERCISE EXERCISE EXERCISE \2014  tabletop exercise, not a real incident";
  font: 700 9pt system-ui, sans-serif; } }
body.exercise { page: exercise; }
@media print {
  .inject dl { break-inside: avoid; }
  /* EXERCISE on every printed page: a strip down the left edge, repeated on each page (as
     fixed elements are), beside the text rather than over it; and in the page's top margin
     where the browser draws page margin boxes. */
  .exercise-banner { position: fixed; top: 0; bottom: 0; left: 0; width: 7mm; padding: 0;
    writing-mode: vertical-rl; transform: rotate(180deg); display: flex; align-items: center;
    justify-content: center; font-size: 8pt; }
  body.exercise { padding-left: 10mm; }
}
"#;

/// Renders the report as a page.
pub fn render(r: &Report) -> String {
    let t = Times::new(&r.incident.timezone);
    let title = view::title(r);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="crisisdesk";
                title { (visible(&title)) }
                style { (PreEscaped(CSS)) @if r.exercise.is_some() { (PreEscaped(EXERCISE_CSS)) } }
            }
            body class=[r.exercise.is_some().then_some("exercise")] {
                @if r.exercise.is_some() {
                    div.exercise-banner role="note" {
                        strong { (view::EXERCISE_BANNER) } " — tabletop exercise, not a real incident"
                    }
                }
                @if let Some(w) = &r.integrity.warning {
                    div.warning role="alert" {
                        strong { (if r.integrity.damaged { "Warning: damaged record. " } else { "Note: incomplete record. " }) }
                        (visible(w))
                    }
                }
                header {
                    h1 { (visible(&title)) }
                    @if r.exercise.is_some() {
                        p.exercise { strong { (view::EXERCISE_BANNER) } " " (view::EXERCISE_NOTE) }
                    }
                    @if r.incident.interim {
                        p.interim {
                            strong { "Interim, as of " (time(&t, r.incident.as_of)) "." }
                            (view::interim_note(r))
                        }
                    }
                    p.note { (view::times_note(r, &t)) }
                    nav aria-label="Sections" {
                        ul {
                            @for (s, heading) in view::headings(r) {
                                li { a href=(format!("#{}", s.anchor())) { (heading) } }
                            }
                        }
                    }
                }
                @for (s, heading) in view::headings(r) {
                    section id=(s.anchor()) {
                        h2 { (heading) }
                        (match (s, &r.exercise) {
                            (Section::Overview, Some(x)) => overview(r, x, &t),
                            (Section::Injects, Some(x)) => injects(r, x, &t),
                            (Section::Ratings, Some(x)) => ratings(x),
                            (Section::Findings, _) => findings(r, &t),
                            (Section::ImprovementPlan, Some(x)) => plan(r, x, &t),
                            (Section::Overview | Section::Injects | Section::Ratings | Section::ImprovementPlan, None) => html! {},
                            (Section::Summary, _) => summary(r, &t),
                            (Section::Figures, _) => figures(r, &t),
                            (Section::Audiences, _) => html! { (audiences(r, &t)) (told_whom(r, &t)) },
                            (Section::Timeline, _) => timeline(r, &t),
                            (Section::Record, _) => record(r, &t),
                            (Section::Lessons, _) => lessons(r, &t),
                            (Section::Integrity, _) => integrity(r),
                        })
                    }
                }
                @if r.exercise.is_some() {
                    p.exercise { strong { (view::EXERCISE_BANNER) } " " (view::EXERCISE_END) }
                }
            }
        }
    };
    page.into_string()
}

/// A table: head cells and rows of cells; each cell is markup.
fn table(head: &[&str], rows: impl IntoIterator<Item = Vec<Markup>>) -> Markup {
    classed_table("", head, rows)
}

/// [`table`] with a class.
fn classed_table(
    class: &str,
    head: &[&str],
    rows: impl IntoIterator<Item = Vec<Markup>>,
) -> Markup {
    html! {
        div.wrap {
            table class=[(!class.is_empty()).then_some(class)] {
                thead { tr { @for h in head { th scope="col" { (h) } } } }
                tbody {
                    @for row in rows {
                        tr { @for c in row { td { (c) } } }
                    }
                }
            }
        }
    }
}

/// Label/value rows.
fn facts(rows: impl IntoIterator<Item = (&'static str, Markup)>) -> Markup {
    html! {
        div.wrap {
            table.facts {
                tbody {
                    @for (k, v) in rows {
                        tr { th scope="row" { (k) } td { (v) } }
                    }
                }
            }
        }
    }
}

/// Text someone typed.
fn txt(s: &str) -> Markup {
    html! { (visible(s)) }
}

fn opt_txt(s: Option<&str>) -> Markup {
    html! { @if let Some(s) = s { (visible(s)) } }
}

fn time(t: &Times, at: jiff::Timestamp) -> Markup {
    html! { time datetime=(at.to_string()) { (t.at(at)) } }
}

fn opt_time(t: &Times, at: Option<jiff::Timestamp>) -> Markup {
    match at {
        Some(at) => time(t, at),
        None => html! { "—" },
    }
}

fn state(s: ReportDeadlineState, overdue: Option<i64>) -> Markup {
    html! { span class=(format!("s-{}", s.as_str())) { (view::deadline_state_words(s, overdue)) } }
}

fn how(text: &str) -> Markup {
    html! { p.how { (text) } }
}

fn none_recorded() -> Markup {
    html! { p { "None recorded." } }
}

fn summary(r: &Report, t: &Times) -> Markup {
    let i = &r.incident;
    let mut rows: Vec<(&'static str, Markup)> = vec![
        ("Title", txt(&i.title)),
        ("Playbook", txt(&view::playbook_line(&i.playbook))),
    ];
    for a in &i.playbook_adoptions {
        rows.push(("Playbook adopted", txt(&view::adoption_line(a, t))));
    }
    rows.extend([
        ("Detected", time(t, i.detected_at)),
        ("Opened in crisisdesk", time(t, i.opened_at)),
        (
            "Closed",
            match i.closed_at {
                Some(c) => time(t, c),
                None => html! { "not yet (interim report)" },
            },
        ),
        (
            if i.interim {
                "Duration so far"
            } else {
                "Duration"
            },
            html! { (duration(i.duration_seconds)) },
        ),
        (
            "Severity",
            html! { (visible(&i.severity_name)) " (" (visible(&i.severity)) ")" },
        ),
        ("Journal entries", html! { (i.entries) }),
    ]);
    html! {
        (facts(rows))
        (summary_lists(r, t))
    }
}

/// The summary's picture, severity history, milestones and closing note.
fn summary_lists(r: &Report, t: &Times) -> Markup {
    let i = &r.incident;
    html! {
        h3 { "At a glance" }
        p.note {
            "One lane per audience in play: each message sent is a dot (a square when it went without every approval); "
            "each deadline is a marker whose shape and word say whether it was met, met late, missed or is still running. "
            "Severity and milestones run along the top."
        }
        div.picture { (svg::timeline(r, t)) }
        h3 { "Severity history" }
        (table(&["Time", "Severity", "By", "Reason"], i.severity_history.iter().map(|s| vec![
            time(t, s.at),
            html! { (visible(&s.name)) " (" (visible(&s.severity)) ")" },
            txt(&s.by),
            opt_txt(s.reason.as_deref()),
        ])))
        h3 { "Milestones" }
        (table(&["Time", "Milestone", "By"], i.milestones.iter().map(|m| vec![
            time(t, m.at), txt(&m.name), txt(&m.by),
        ])))
        h3 { "Closing note" }
        @match (&i.closing_note, i.closed_at) {
            (Some(note), _) => div.message { div.text { (visible(note)) } },
            (None, _) => p { (view::no_closing_note(r)) },
        }
    }
}

fn overview(r: &Report, x: &ExercisePart, t: &Times) -> Markup {
    html! {
        (facts(view::overview_rows(r, x, t).into_iter().map(|(k, v)| (k, txt(&v)))))
        h3 { "Participants" }
        p.note { (view::PARTICIPANTS_NOTE) }
        (table(&["Participant", "In the exercise", "Playbook roles", "Entries", "Console sessions"],
            view::participant_rows(x).iter().map(|row| row.iter().map(|c| txt(c)).collect())))
        (summary_lists(r, t))
    }
}

fn rating(rating: Option<crate::incident::event::Rating>, i: &InjectRow) -> Markup {
    let class = rating.map_or("r-none", |r| match r.letter() {
        "P" => "r-p",
        "S" => "r-s",
        "M" => "r-m",
        _ => "r-u",
    });
    html! { span class=(class) { (view::rating_words(rating, i)) } }
}

fn injects(r: &Report, x: &ExercisePart, t: &Times) -> Markup {
    html! {
        p.note { (x.evidence_how) }
        @for i in &x.injects {
            div.inject id=(format!("inject-{}", i.id)) {
                h3 { (visible(&view::inject_heading(i))) }
                dl {
                    @for (label, value) in view::inject_facts(i, r, x, t) {
                        dt { (label) } dd { (visible(&value)) }
                    }
                }
                @if i.withheld {
                    p { (view::WITHHELD) }
                } @else {
                    div.text { (visible(&i.text)) }
                    @if i.expectations.is_empty() {
                        p { "No expected actions were planned for it." }
                    } @else {
                        (classed_table("expect", &["#", "Expected action", "Rating", "Evaluator's note"], i.expectations.iter().map(|e| vec![
                            html! { (e.item) },
                            txt(&e.text),
                            rating(e.rating, i),
                            txt(&view::rating_note(e, t)),
                        ])))
                    }
                    h4 { "Evidence: what players did after " (visible(&i.id)) }
                    @if i.evidence.is_empty() {
                        p { (view::no_evidence(i)) }
                    } @else {
                        (classed_table("evidence", &["Time", "After the inject", "By", "Kind", "What"], i.evidence.iter().map(|e| vec![
                            time(t, e.at),
                            html! { (duration(e.after_seconds)) },
                            txt(&e.by),
                            html! { (e.kind.replace('_', " ")) @if e.answers_inject { " " strong { "(the reply)" } } },
                            txt(&e.text),
                        ])))
                    }
                }
            }
        }
    }
}

fn ratings(x: &ExercisePart) -> Markup {
    html! {
        (classed_table("ratings", &["Rating", "Meaning", "Expected actions"], view::ratings_rows(&x.ratings_summary).into_iter().map(|[letter, meaning, count]| vec![
            html! { strong { (letter) } },
            html! { (meaning) },
            html! { (count) },
        ])))
        (how(&x.ratings_summary.how))
        h3 { "By inject" }
        (table(&["Inject", "State", "Ratings by expected action"], x.injects.iter().map(|i| vec![
            html! { a href=(format!("#inject-{}", i.id)) { (visible(&view::inject_heading(i))) } },
            html! { (view::inject_state_words(i)) },
            html! { (view::inject_ratings_line(i)) },
        ])))
    }
}

fn findings(r: &Report, t: &Times) -> Markup {
    let strengths: Vec<&LessonRow> = view::strengths(r).collect();
    let areas: Vec<(&LessonRow, &str)> = view::areas(r).collect();
    html! {
        p.note { (view::FINDINGS_NOTE) }
        h3 { "Strengths" }
        @if strengths.is_empty() { (none_recorded()) } @else {
            ul { @for l in strengths {
                li { (visible(&l.text)) span.note { " (" (visible(&l.by)) ", " (t.at(l.at)) ")" } }
            } }
        }
        h3 { "Areas for improvement" }
        @if areas.is_empty() { (none_recorded()) } @else {
            ul { @for (l, kind) in areas {
                li { strong { (kind) ":" } " " (visible(&l.text)) span.note { " (" (visible(&l.by)) ", " (t.at(l.at)) ")" } }
            } }
        }
    }
}

fn plan(r: &Report, x: &ExercisePart, t: &Times) -> Markup {
    let rows = view::plan_rows(r, x, t);
    html! {
        p.note { (view::PLAN_NOTE) }
        @if rows.is_empty() { p { "No corrective action was recorded." } } @else {
            (table(&["Corrective action", "Owner", "Added", "Due", "State"], rows.iter().map(|row| row.iter().map(|c| txt(c)).collect())))
        }
    }
}

fn figures(r: &Report, t: &Times) -> Markup {
    let m = &r.metrics;
    html! {
        (classed_table("figures", &["Figure", "Value", "How it was computed"], view::figure_rows(r, t).into_iter().map(|f| vec![
            html! { strong { (f.name) } },
            txt(&f.value),
            html! { span.how { (f.how) } },
        ])))
        h3 { "First message to each group of audiences" }
        (table(&["Group", "First message", "After detection", "To"], m.first_message_by_group.groups.iter().map(|g| vec![
            html! { (g.group) },
            match g.at { Some(a) => time(t, a), None => html! { "none sent" } },
            html! { (opt_duration(g.seconds_after_detection)) },
            opt_txt(g.audience.as_deref().map(|a| view::audience_name(r, a)).as_deref()),
        ])))
        (how(&m.first_message_by_group.how))
        h3 { "Deadlines" }
        (table(&["Audience", "Deadline", "Basis", "Due", "Met at", "State"], m.deadlines.items.iter().map(|d| vec![
            txt(&d.audience_name),
            txt(&d.label),
            opt_txt(d.basis.as_deref()),
            opt_time(t, d.due),
            opt_time(t, d.met_at),
            state(d.state, d.overdue_seconds),
        ])))
        (how(&m.deadlines.how))
        h3 { "Sends with an approval override" }
        @if m.overrides.sends.is_empty() {
            p { "None: every message went out with the approvals it needed." }
        } @else {
            (table(&["Sent", "To", "Sent by", "Missing approvals", "Reason"], m.overrides.sends.iter().map(|o| vec![
                time(t, o.sent_at),
                txt(&view::audience_name(r, &o.audience)),
                txt(&o.sent_by),
                txt(&o.missing_roles.join(", ")),
                html! { span.override { (visible(&o.reason)) } },
            ])))
        }
    }
}

fn audiences(r: &Report, t: &Times) -> Markup {
    html! {
        @for a in &r.audiences {
            h3 id=(format!("audience-{}", a.id)) { (visible(&a.name)) " (" (visible(&a.id)) ")" }
            p { (visible(&view::audience_status(a, &r.incident))) }
            @if !a.deadlines.is_empty() {
                (table(&["Deadline", "Basis", "Due", "Met at", "State"], a.deadlines.iter().map(|d| vec![
                    txt(&d.label),
                    opt_txt(d.basis.as_deref()),
                    opt_time(t, d.due),
                    opt_time(t, d.met_at),
                    state(d.state, None),
                ])))
            }
            @for (k, m) in a.messages.iter().enumerate() {
                div.message {
                    h4 {
                        "Message " (k + 1) " — sent " (time(t, m.sent_at))
                        @if let Some(c) = &m.channel { " by " (visible(c)) }
                    }
                    dl {
                        @for (label, value) in view::message_facts(m, t) {
                            @if label == "OVERRIDE" {
                                dt.override { (label) } dd.override { (visible(&value)) }
                            } @else {
                                dt { (label) } dd { (visible(&value)) }
                            }
                        }
                    }
                    div.text { (visible(&m.text)) }
                }
            }
        }
    }
}

/// What we told whom: the figures per audience, the check's findings and their resolution,
/// the key messages.
fn told_whom(r: &Report, t: &Times) -> Markup {
    let s = &r.told_whom;
    let figures = s
        .findings
        .iter()
        .filter(|row| row.finding.kind != crate::check::Kind::KeyMessage);
    html! {
        h3 id="told-whom" { "What we told whom" }
        p.note { (view::TOLD_WHOM_NOTE) }
        @if s.audiences.is_empty() {
            p { "No message sent stated a figure." }
        } @else {
            (table(&["Audience", "Sent", "Message", "Figures"], s.audiences.iter().flat_map(|a| {
                a.messages.iter().enumerate().map(move |(n, m)| vec![
                    html! { @if n == 0 { (visible(&a.name)) " (" (visible(&a.id)) ")" } },
                    time(t, m.at),
                    html! { (crate::incident::Event::short_id(&m.message)) },
                    html! { (visible(&m.figures.join(" · "))) },
                ])
            })))
        }
        h4 { "Findings of the check" }
        @if s.findings.iter().all(|row| row.finding.kind == crate::check::Kind::KeyMessage) {
            p { "None: no two audiences were told figures that contradict each other, and no figure went out against the facts log." }
        } @else {
            ul.findings {
                @for row in figures {
                    li class=(format!("finding {}", row.resolution)) {
                        strong { (row.finding.kind.as_str()) " " (row.finding.id) } " — "
                        (visible(&row.finding.text)) " "
                        strong { "Resolution:" } " " (visible(&view::finding_resolution(&row.finding, t)))
                    }
                }
            }
        }
        @if !s.key_messages.is_empty() {
            h4 { "Key messages" }
            ul {
                @for k in &s.key_messages {
                    li { (visible(&k.text)) " — " strong { (visible(&view::key_message_state(k, r))) } }
                }
            }
        }
    }
}

fn corrections(c: Option<&Corrections>, t: &Times) -> Markup {
    html! {
        @for note in view::correction_notes(c, t) {
            span.corr { (visible(&note)) }
        }
    }
}

fn timeline(r: &Report, t: &Times) -> Markup {
    html! {
        p.note { (view::TIMELINE_NOTE) }
        @for (day, rows) in view::days(&r.timeline, t) {
            h3 { (day) }
            (table(&["Time", "Kind", "Entry", "Author", "Console"], rows.iter().map(|e| vec![
                time(t, e.at),
                html! { (view::kind_words(e)) },
                html! {
                    @if e.retracted { span.withdrawn { (visible(&e.summary)) } } @else { (visible(&e.summary)) }
                    (corrections(e.corrections.as_ref(), t))
                },
                txt(&e.author),
                txt(&e.console),
            ])))
        }
    }
}

fn record(r: &Report, t: &Times) -> Markup {
    html! {
        h3 { "Decisions" }
        @if r.decisions.is_empty() { (none_recorded()) } @else {
            (table(&["Time", "Decision", "By"], r.decisions.iter().map(|d| vec![
                time(t, d.at),
                html! {
                    @if d.retracted { span.withdrawn { (visible(&d.text)) } } @else { (visible(&d.text)) }
                    (corrections(d.corrections.as_ref(), t))
                },
                txt(&d.by),
            ])))
        }
        h3 { "Facts" }
        @if r.facts.is_empty() { (none_recorded()) } @else {
            (table(&["Time", "Fact", "Status", "By"], r.facts.iter().map(|f| vec![
                time(t, f.at),
                html! {
                    @if f.retracted { span.withdrawn { (visible(&f.text)) } } @else { (visible(&f.text)) }
                    (corrections(f.corrections.as_ref(), t))
                },
                html! { (view::fact_status(f)) },
                txt(&f.by),
            ])))
        }
        h3 { "Media inquiries and requests" }
        @if r.inquiries.is_empty() { (none_recorded()) } @else {
            (table(&["Asked", "From", "Question", "Reply due", "Answered", "Response time", "State", "Answer"], r.inquiries.iter().map(|q| vec![
                time(t, q.asked_at),
                txt(&view::inquiry_from(q)),
                txt(&q.text),
                opt_time(t, q.due),
                opt_time(t, q.answered_at),
                html! { (opt_duration(q.response_seconds)) },
                html! { (view::inquiry_state_words(q.state)) },
                html! { @for a in &q.answers { span.corr { (visible(&a.text)) " — " (visible(&a.by)) ", " (t.at(a.at)) } } },
            ])))
        }
        h3 { "Media mentions" }
        @if r.mentions.is_empty() { (none_recorded()) } @else {
            (table(&["Time", "Source", "Sentiment", "Text", "Link"], r.mentions.iter().map(|m| vec![
                time(t, m.at),
                txt(&m.source),
                opt_txt(m.sentiment.as_deref()),
                txt(&m.text),
                // Shown as text, not a link: the report never sends its reader anywhere.
                html! { @if let Some(u) = &m.url { code { (visible(u)) } } },
            ])))
        }
    }
}

fn lessons(r: &Report, t: &Times) -> Markup {
    html! {
        @for (kind, title) in view::LESSON_KINDS {
            h3 { (title) }
            @let items: Vec<&LessonRow> = r.lessons.iter().filter(|l| l.kind == kind).collect();
            @if items.is_empty() { (none_recorded()) } @else {
                ul {
                    @for l in items {
                        li { (visible(&l.text)) span.note { " (" (visible(&l.by)) ", " (t.at(l.at)) ")" } }
                    }
                }
            }
        }
        h3 { "Actions" }
        @if r.actions.is_empty() { (none_recorded()) } @else {
            (table(&["Action", "Owner", "Due", "State", "Done"], r.actions.iter().map(|a| vec![
                txt(&a.text),
                opt_txt(a.owner.as_deref()),
                opt_time(t, a.due),
                html! { span class=(format!("s-{}", match a.state { "done" => "met", "overdue" => "missed", _ => "running" })) { (a.state) } },
                html! { @if let Some(d) = a.done_at { (t.at(d)) " by " (visible(a.done_by.as_deref().unwrap_or(""))) } },
            ])))
        }
        h3 { "Playbook checklist" }
        @if r.checklist.is_empty() { p { "The playbook has no checklist." } } @else {
            (table(&["Phase", "Item", "Owner", "Due", "State"], r.checklist.iter().map(|c| vec![
                txt(&c.phase),
                txt(&c.text),
                opt_txt(c.owner.as_deref()),
                opt_time(t, c.due),
                html! { @if let Some(d) = c.done_at { "done " (t.at(d)) } @else { (c.state) } },
            ])))
        }
    }
}

fn integrity(r: &Report) -> Markup {
    let g = &r.integrity;
    html! {
        p { strong { (view::integrity_verdict(g)) } }
        (facts(view::integrity_rows(g).into_iter().map(|(k, v)| (k, html! { (v) }))))
        h3 { "Chain heads" }
        p.note { (view::CHAIN_HEADS_NOTE) }
        (table(&["File", "Records", "Last seq", "SHA-256 of the last record"], g.chain_heads.iter().map(|h| vec![
            html! { code { (visible(&h.file)) } },
            html! { (h.records) },
            html! { (h.seq) },
            html! { code { (h.sum.as_deref().unwrap_or("no record")) } },
        ])))
        @if !g.findings.is_empty() {
            h3 { "Damage found" }
            (table(&["File", "Line", "Kind", "What it means"], g.findings.iter().map(|f| vec![
                html! { code { (visible(&f.file)) } },
                html! { @match f.line { Some(l) => (l), None => "end" } },
                html! { (f.kind) },
                txt(&f.meaning),
            ])))
        }
        @if !g.anomalies.is_empty() {
            h3 { "Entries that could not be applied" }
            ul { @for a in &g.anomalies { li { (visible(a)) } } }
        }
    }
}
