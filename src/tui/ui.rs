//! Drawing the console. Pure functions of `&App` into a frame: no I/O, no clock.
//!
//! ```text
//! ┌ header: EXERCISE · title · severity · T+hh:mm:ss · local time · saved ─────────┐
//! │ 1 Board  2 Timeline  3 Messages  4 Media  5 Checklist  6 Playbook              │
//! │ ✖ OVERDUE banner: the single most overdue thing                                │
//! │ view body                                                                      │
//! │ notice                                                                          │
//! └ key bar (from the keymap) ─────────────────────────────────────────────────────┘
//! ```
//! Every untrusted string goes through `crate::sanitize` before it reaches a widget.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Cell, Clear, List, ListItem, Paragraph, Row, Table, Wrap};

use super::app::{
    App, ChecklistRow, IncidentView, Overlay, Purpose, SaveState, View, checklist_rows, short,
    timeline_rows,
};
use super::form::{Form, Input};
use super::keymap::{self, Context};
use super::theme::{Theme, Urgency};
use crate::incident::describe::{describe, kind_label};
use crate::incident::state::{
    DeadlineState, Incident, InquiryKind, MessageStatus, StakeholderState,
};
use crate::incident::status::countdown;
use crate::sanitize;

/// A deadline closer than this is "due soon".
const DUE_SOON_SECS: i64 = 3600;

/// Draws the whole console.
pub fn render(app: &App, f: &mut Frame) {
    let area = f.area();
    let [main, notice, bar] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    match &app.incident {
        Some(iv) => incident_screen(app, iv, f, main),
        None => start_screen(app, f, main),
    }
    if let Some(n) = &app.notice {
        let style = if n.error {
            app.theme.error()
        } else {
            app.theme.ok()
        };
        f.render_widget(
            Paragraph::new(sanitize::line(&n.text).into_owned()).style(style),
            notice,
        );
    }
    key_bar(app, f, bar);
    if let Some(o) = &app.overlay {
        overlay(app, o, f, area);
    }
}

fn key_bar(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut spans = Vec::new();
    for b in keymap::bindings(app.context()).filter(|b| !b.bar.is_empty()) {
        spans.push(Span::styled(b.keys[0].label(), t.key()));
        spans.push(Span::raw(format!(" {}  ", b.bar)));
    }
    if app.incident.is_some() {
        spans.push(Span::styled("1-6", t.key()));
        spans.push(Span::raw(" views  "));
        spans.push(Span::styled("d f m s i a l", t.key()));
        spans.push(Span::raw(" log"));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

// ---- start screen ----------------------------------------------------------------------

fn start_screen(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    let mut title = vec![
        Span::styled("crisisdesk", t.title()),
        Span::raw(" — incidents and playbooks"),
    ];
    if !app.start_search.is_empty() {
        title.push(Span::styled(
            format!("   search: {}", sanitize::line(&app.start_search)),
            t.dim(),
        ));
    }
    f.render_widget(Paragraph::new(Line::from(title)), head);

    // Each section lays out its own columns; messages take the whole width. At 80 columns
    // the least useful column of each section is left out so titles stay readable.
    let wide = body.width >= 100;
    let w = body.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_line = 0;
    let incidents: Vec<usize> = app.start_incidents().collect();
    lines.push(Line::from(Span::styled("INCIDENTS", t.title())));
    if incidents.is_empty() {
        for l in wrap_words(
            "No incidents yet. Choose a playbook below and press Enter to start one (X for an exercise).",
            w,
        ) {
            lines.push(Line::from(Span::styled(l, t.title())));
        }
    }
    let mut n = 0;
    for &i in &incidents {
        let s = &app.start.incidents[i];
        let state = if s.problem.is_some() {
            "unreadable"
        } else if s.closed {
            "closed"
        } else {
            "OPEN"
        };
        let kind = if s.exercise { "exercise" } else { "live" };
        let ago = format!("{} ago", countdown(s.last_activity, app.now));
        let title = sanitize::line(&s.title);
        let severity = sanitize::line(&s.severity);
        let playbook = sanitize::line(&s.playbook);
        let state_kind = format!("{state} {kind}");
        let mut cells: Vec<(&str, usize)> = vec![(&state_kind, 16), (&title, 0)];
        if wide {
            cells.push((&playbook, 20));
        }
        cells.push((&severity, if wide { 26 } else { 16 }));
        cells.push((&ago, 11));
        if n == app.start_cursor {
            selected_line = lines.len();
        }
        let line = Line::raw(columns(&cells, w));
        lines.push(if n == app.start_cursor {
            line.style(t.selected())
        } else {
            line
        });
        n += 1;
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled("PLAYBOOKS", t.title())));
    for i in app.start_playbooks() {
        let e = &app.start.catalog.entries[i];
        let pb = &e.loaded.playbook;
        let origin = match &e.origin {
            crate::playbook::catalog::Origin::Shipped(_) => "shipped".to_owned(),
            crate::playbook::catalog::Origin::File(p) => {
                sanitize::line(&p.display().to_string()).into_owned()
            }
        };
        let id = sanitize::line(&pb.id);
        let title = sanitize::line(&pb.title);
        let audiences = format!("{} audiences", pb.stakeholders.len());
        let injects = format!("{} injects", pb.injects.len());
        let mut cells: Vec<(&str, usize)> = vec![(&id, 21), (&title, 0), (&audiences, 13)];
        if wide {
            cells.push((&injects, 11));
        }
        cells.push((&origin, if wide { 24 } else { 10 }));
        if n == app.start_cursor {
            selected_line = lines.len();
        }
        let line = Line::raw(columns(&cells, w));
        lines.push(if n == app.start_cursor {
            line.style(t.selected())
        } else {
            line
        });
        n += 1;
    }
    for b in &app.start.catalog.broken {
        let msg = format!(
            "✖ {} does not load: {} error(s) — crisisdesk validate shows them",
            sanitize::line(&b.file),
            b.errors().count()
        );
        for l in wrap_words(&msg, w) {
            lines.push(Line::from(Span::styled(l, t.error())));
        }
    }
    for note in &app.start.catalog.notices {
        for l in wrap_words(&format!("note: {}", sanitize::line(note)), w) {
            lines.push(Line::from(Span::styled(l, t.dim())));
        }
    }
    let visible = body.height as usize;
    // Keep the section heading in view while the first rows are selected.
    let skip = scroll_for(selected_line + 1, visible).min(lines.len().saturating_sub(1));
    f.render_widget(
        Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()),
        body,
    );
}

/// Lays out cells in columns of the given widths (0: whatever the others leave), cut to fit
/// with `…` and padded, one space apart, in terminal cells (wide characters count twice).
fn columns(cells: &[(&str, usize)], width: usize) -> String {
    let fixed: usize = cells.iter().map(|(_, w)| *w + 1).sum();
    let flexible = cells.iter().filter(|(_, w)| *w == 0).count().max(1);
    let fill = width.saturating_sub(fixed) / flexible;
    let mut out = String::new();
    for (i, (text, w)) in cells.iter().enumerate() {
        let w = if *w == 0 { fill.max(8) } else { *w };
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&pad_cut(text, w));
    }
    out
}

/// `s` in exactly `width` terminal cells: cut with `…`, or padded with spaces.
fn pad_cut(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let total: usize = s.chars().map(|c| c.width().unwrap_or(0)).sum();
    let mut out = String::new();
    let mut used = 0;
    if total <= width {
        out.push_str(s);
        used = total;
    } else {
        for c in s.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw + 1 > width {
                break;
            }
            out.push(c);
            used += cw;
        }
        out.push('…');
        used += 1;
    }
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

// ---- incident screen -------------------------------------------------------------------

fn incident_screen(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let inc = &iv.data.incident;
    let [header, tabs, banner, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    header_line(app, iv, f, header);
    tab_line(app, iv, f, tabs);
    overdue_banner(app, inc, f, banner);
    match iv.view {
        View::Board => board(app, iv, f, body),
        View::Timeline => timeline(app, iv, f, body),
        View::Messages => messages(app, iv, f, body),
        View::Media => media(app, iv, f, body),
        View::Checklist => checklist(app, iv, f, body),
        View::Playbook => playbook(app, iv, f, body),
    }
}

fn header_line(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inc = &iv.data.incident;
    let pb = &inc.playbook;
    // Right: what must always show (clock, local time, saved). Left: the rest, cut to fit.
    let elapsed = (app.now.as_second() - inc.detected_at.as_second()).max(0);
    let local = app
        .now
        .to_zoned_datetime(inc.calendar.time_zone().clone())
        .strftime("%H:%M %Z")
        .to_string();
    let (mark, style) = match iv.save {
        SaveState::Saved => ("✔ saved", t.ok()),
        SaveState::Saving => ("… saving", t.dim()),
        SaveState::Failed => ("✖ NOT SAVED", t.error()),
    };
    let right = vec![
        Span::raw(format!(
            " T+{:02}:{:02}:{:02}  {local}  ",
            elapsed / 3600,
            elapsed / 60 % 60,
            elapsed % 60
        )),
        Span::styled(mark, style),
    ];
    let right_width = right
        .iter()
        .map(|s| s.width() as u16)
        .sum::<u16>()
        .min(area.width);
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(right_width)]).areas(area);
    let mut spans = Vec::new();
    if inc.exercise {
        spans.push(Span::styled(" EXERCISE ", t.exercise()));
        spans.push(Span::raw(" "));
    }
    let rank = pb.severity_rank(&inc.severity).unwrap_or(0);
    let sev = pb
        .severity(&inc.severity)
        .map_or(inc.severity.as_str(), |s| s.name.as_str());
    spans.push(Span::styled(
        format!("[{}] ", fit(&sanitize::line(sev), 18)),
        t.severity(rank, pb.severities.len()),
    ));
    if inc.closed_at.is_some() {
        spans.push(Span::styled("CLOSED ", t.title()));
    }
    spans.push(Span::styled(
        sanitize::line(&inc.title).into_owned(),
        t.title(),
    ));
    f.render_widget(Paragraph::new(Line::from(spans)), left_area);
    f.render_widget(Paragraph::new(Line::from(right)), right_area);
}

/// How long ago, in one unit: `45s`, `10m`, `3h`, `2d`.
fn ago(then: Timestamp, now: Timestamp) -> String {
    let s = (now.as_second() - then.as_second()).max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}

/// Cuts `s` to `width` characters, marking the cut with `…`.
fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn tab_line(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut spans = Vec::new();
    let narrow = area.width < 110;
    for (i, v) in View::ALL.iter().enumerate() {
        let label = if narrow {
            format!("{} {} ", i + 1, v.name())
        } else {
            format!(" {} {} ", i + 1, v.name())
        };
        if *v == iv.view {
            spans.push(Span::styled(format!("[{}]", label.trim()), t.selected()));
            if narrow {
                spans.push(Span::raw(" "));
            }
        } else {
            spans.push(Span::raw(label));
        }
    }
    if iv.data.health.integrity != "ok" {
        spans.push(Span::styled(
            format!("  journal: {}", iv.data.health.integrity),
            t.error(),
        ));
    }
    // Who is writing to this incident, and how long ago each last wrote.
    let writers = &iv.data.consoles;
    if !writers.is_empty() {
        let shown: Vec<String> = writers
            .iter()
            .take(3)
            .map(|(who, at)| {
                // The user part of `user-host` (a console id is `user@host` made safe).
                let name = who.split(['@', '-']).next().unwrap_or(who);
                format!("{} {}", fit(&sanitize::line(name), 10), ago(*at, app.now))
            })
            .collect();
        let more = writers.len().saturating_sub(3);
        let more = if more > 0 {
            format!(" +{more}")
        } else {
            String::new()
        };
        spans.push(Span::styled(
            format!("  ✎ {}{more}", shown.join(" · ")),
            t.dim(),
        ));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// One audience's urgency and what to say about it.
struct AudienceState {
    urgency: Urgency,
    what: String,
    /// Seconds until due (negative: overdue), for sorting.
    due_in: i64,
}

fn audience_state(inc: &Incident, s: &StakeholderState, now: Timestamp) -> AudienceState {
    let next = s.next_deadline();
    let mut best: Option<AudienceState> = None;
    if let Some(d) = next
        && let Some(due) = d.due
    {
        let secs = due.as_second() - now.as_second();
        let urgency = match d.state(now) {
            DeadlineState::Overdue => Urgency::Overdue,
            _ if secs < DUE_SOON_SECS => Urgency::DueSoon,
            _ => Urgency::Pending,
        };
        best = Some(AudienceState {
            urgency,
            // The clock first: a long label is what gets cut, never the countdown.
            what: format!("{:<6} {}", countdown(now, due), sanitize::line(&d.label)),
            due_in: secs,
        });
    }
    if let Some(nu) = s.next_update_due {
        let secs = nu.as_second() - now.as_second();
        if best.as_ref().is_none_or(|b| secs < b.due_in) {
            let urgency = if secs < 0 {
                Urgency::Overdue
            } else if secs < DUE_SOON_SECS {
                Urgency::DueSoon
            } else {
                Urgency::Pending
            };
            best = Some(AudienceState {
                urgency,
                what: format!("{:<6} update due", countdown(now, nu)),
                due_in: secs,
            });
        }
    }
    best.unwrap_or_else(|| {
        if s.deadlines
            .iter()
            .any(|d| d.due.is_none() && d.met_at.is_none())
        {
            let waiting: Vec<String> = s
                .deadlines
                .iter()
                .filter(|d| d.due.is_none())
                .map(|d| {
                    inc.playbook
                        .milestone(&d.from)
                        .map_or(d.from.clone(), |m| sanitize::line(&m.name).into_owned())
                })
                .collect();
            AudienceState {
                urgency: Urgency::Waiting,
                what: format!("waits for: {}", waiting.join(", ")),
                due_in: i64::MAX / 2,
            }
        } else if s.last_sent_at.is_some() {
            AudienceState {
                urgency: Urgency::Done,
                what: "informed".into(),
                due_in: i64::MAX / 2,
            }
        } else {
            AudienceState {
                urgency: Urgency::Idle,
                what: "no deadline".into(),
                due_in: i64::MAX,
            }
        }
    })
}

fn overdue_banner(app: &App, inc: &Incident, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let now = app.now;
    let mut worst: Option<(i64, String)> = None;
    let mut consider = |secs: i64, text: String| {
        if secs < 0 && worst.as_ref().is_none_or(|(w, _)| secs < *w) {
            worst = Some((secs, text));
        }
    };
    for s in inc.stakeholders.iter().filter(|s| s.in_play) {
        let a = audience_state(inc, s, now);
        if a.urgency == Urgency::Overdue {
            let name = inc
                .playbook
                .stakeholder(&s.id)
                .map_or(s.id.as_str(), |d| d.name.as_str());
            consider(a.due_in, format!("{}: {}", sanitize::line(name), a.what));
        }
    }
    for q in inc.inquiries.iter().filter(|q| q.is_overdue(now)) {
        let due = q.reply_by.expect("overdue has a deadline");
        consider(
            due.as_second() - now.as_second(),
            format!(
                "reply to {} {}",
                sanitize::line(&q.from),
                countdown(now, due)
            ),
        );
    }
    for c in inc.checklist.iter().filter(|c| c.is_overdue(now)) {
        let due = c.due.expect("overdue has a due time");
        consider(
            due.as_second() - now.as_second(),
            format!(
                "checklist {}: {}",
                countdown(now, due),
                sanitize::line(&c.text)
            ),
        );
    }
    for a in inc.actions.iter().filter(|a| a.is_overdue(now)) {
        let due = a.due.expect("overdue has a due time");
        consider(
            due.as_second() - now.as_second(),
            format!(
                "action {}: {}",
                countdown(now, due),
                sanitize::line(&a.text)
            ),
        );
    }
    let count = inc
        .stakeholders
        .iter()
        .filter(|s| s.in_play && audience_state(inc, s, now).urgency == Urgency::Overdue)
        .count()
        + inc.inquiries.iter().filter(|q| q.is_overdue(now)).count()
        + inc.checklist.iter().filter(|c| c.is_overdue(now)).count()
        + inc.actions.iter().filter(|a| a.is_overdue(now)).count();
    let line = match worst {
        Some((_, text)) => {
            // How many first: the text is what gets cut on a narrow screen.
            let more = if count > 1 {
                format!("(+{} more)  ", count - 1)
            } else {
                String::new()
            };
            Line::from(Span::styled(
                format!(" ✖ OVERDUE  {more}{text} "),
                t.urgency(Urgency::Overdue),
            ))
        }
        None => Line::from(Span::styled(" ✔ nothing overdue", t.ok())),
    };
    f.render_widget(Paragraph::new(line), area);
}

fn board(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    // Side by side only when the audience table keeps room for names and deadlines.
    let wide = area.width >= 150;
    let (left, right) = if wide {
        let [l, r] = Layout::horizontal([Constraint::Percentage(65), Constraint::Percentage(35)])
            .areas(area);
        (l, Some(r))
    } else {
        (area, None)
    };
    let (audiences, side) = match right {
        Some(r) => (left, r),
        None => {
            // The audiences get the rows they need; the panels below get the rest.
            let audiences = iv
                .data
                .incident
                .stakeholders
                .iter()
                .filter(|s| s.in_play)
                .count() as u16;
            let side = area
                .height
                .saturating_sub(audiences + 2)
                .max(area.height.clamp(3, 7))
                .min(area.height.saturating_sub(5).max(3));
            let [a, s] =
                Layout::vertical([Constraint::Min(5), Constraint::Length(side)]).areas(left);
            (a, s)
        }
    };
    audiences_table(app, iv, f, audiences);
    side_panels(app, iv, f, side, wide);
}

fn audiences_table(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inc = &iv.data.incident;
    let now = app.now;
    let mut rows: Vec<(AudienceState, &StakeholderState)> = inc
        .stakeholders
        .iter()
        .filter(|s| s.in_play)
        .map(|s| (audience_state(inc, s, now), s))
        .collect();
    rows.sort_by_key(|(a, _)| (a.urgency, a.due_in));
    let cursor = iv.cursor[0].min(rows.len().saturating_sub(1));
    let table_rows: Vec<Row> = rows
        .iter()
        .enumerate()
        .map(|(i, (a, s))| {
            let def = inc.playbook.stakeholder(&s.id);
            let name = def.map_or(s.id.as_str(), |d| d.name.as_str());
            let (sym, word) = a.urgency.mark();
            let pending = inc
                .drafts()
                .filter(|m| m.stakeholder == s.id)
                .map(|m| match m.status(&inc.playbook) {
                    MessageStatus::Draft { .. } => "draft".to_owned(),
                    MessageStatus::AwaitingApproval { missing, .. } => {
                        format!("needs {}", missing.join("+"))
                    }
                    MessageStatus::Approved => "ready".to_owned(),
                    MessageStatus::Sent => String::new(),
                })
                .next()
                .unwrap_or_default();
            let last = s
                .last_sent_at
                .map_or("—".to_owned(), |l| format!("{} ago", countdown(l, now)));
            let style = if i == cursor {
                t.selected()
            } else {
                Style::new()
            };
            Row::new(vec![
                Cell::from(Span::styled(format!("{sym} {word}"), t.urgency(a.urgency))),
                Cell::from(sanitize::line(name).into_owned()),
                Cell::from(a.what.clone()),
                Cell::from(last),
                Cell::from(pending),
            ])
            .style(style)
        })
        .collect();
    let skip = scroll_for(cursor, area.height.saturating_sub(2) as usize);
    let table = Table::new(
        table_rows.into_iter().skip(skip),
        [
            Constraint::Length(10),
            Constraint::Fill(2),
            Constraint::Fill(3),
            Constraint::Length(9),
            Constraint::Length(17),
        ],
    )
    .header(Row::new(vec!["state", "audience", "next", "last sent", "approval"]).style(t.dim()))
    .column_spacing(1)
    .block(section(t, " Audiences "));
    f.render_widget(table, area);
}

fn side_panels(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect, stacked: bool) {
    let t = &app.theme;
    let inc = &iv.data.incident;
    let now = app.now;
    // Beside the audiences: stacked. Below them: side by side, the latest entries too when
    // there is room for a third column.
    let latest = stacked || area.width >= 100;
    let events = iv.data.events.read();
    let areas: Vec<Rect> = if stacked {
        Layout::vertical([
            Constraint::Percentage(40),
            Constraint::Percentage(30),
            Constraint::Percentage(30),
        ])
        .split(area)
        .to_vec()
    } else if latest {
        Layout::horizontal([
            Constraint::Percentage(33),
            Constraint::Percentage(33),
            Constraint::Percentage(34),
        ])
        .spacing(1)
        .split(area)
        .to_vec()
    } else {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .spacing(1)
            .split(area)
            .to_vec()
    };
    // Open inquiries.
    let inquiries: Vec<ListItem> = inc
        .open_inquiries()
        .map(|q| {
            let due = q
                .reply_by
                .map(|d| countdown(now, d))
                .unwrap_or_else(|| "—".into());
            let urgency = if q.is_overdue(now) {
                Urgency::Overdue
            } else if q
                .reply_by
                .is_some_and(|d| d.as_second() - now.as_second() < DUE_SOON_SECS)
            {
                Urgency::DueSoon
            } else {
                Urgency::Pending
            };
            ListItem::new(Line::from(vec![
                Span::styled(format!("{} {due} ", urgency.mark().0), t.urgency(urgency)),
                Span::raw(format!(
                    "{}: {}",
                    sanitize::line(&q.from),
                    sanitize::line(&q.text)
                )),
            ]))
        })
        .collect();
    let empty = |s: &'static str| vec![ListItem::new(Span::styled(s, t.dim()))];
    let inquiries = if inquiries.is_empty() {
        empty("no open inquiries")
    } else {
        inquiries
    };
    f.render_widget(
        List::new(inquiries).block(section(t, " Press asking ")),
        areas[0],
    );
    // Next checklist items.
    let items: Vec<ListItem> = inc
        .checklist
        .iter()
        .filter(|c| c.done.is_none())
        .take(6)
        .map(|c| {
            let (mark, style) = if c.is_overdue(now) {
                ("✖", t.urgency(Urgency::Overdue))
            } else {
                ("☐", t.text())
            };
            ListItem::new(Line::from(vec![
                Span::styled(format!("{mark} "), style),
                Span::raw(sanitize::line(&c.text).into_owned()),
            ]))
        })
        .collect();
    let items = if items.is_empty() {
        empty("checklist complete")
    } else {
        items
    };
    f.render_widget(
        List::new(items).block(section(t, " Next on the checklist ")),
        areas[1],
    );
    if latest {
        let recent: Vec<ListItem> = inc
            .order
            .iter()
            .rev()
            .take(areas[2].height.saturating_sub(1) as usize)
            .map(|&i| timeline_item(app, inc, &events[i].entry, false))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        f.render_widget(List::new(recent).block(section(t, " Latest ")), areas[2]);
    }
}

fn timeline_item<'a>(
    app: &App,
    inc: &Incident,
    e: &crate::incident::event::Event,
    author: bool,
) -> ListItem<'a> {
    let t = &app.theme;
    let time =
        e.at.to_zoned_datetime(inc.calendar.time_zone().clone())
            .strftime("%d %H:%M")
            .to_string();
    let retracted = inc.retracted.contains_key(&e.id);
    let mut spans = vec![
        Span::styled(format!("{time} "), t.dim()),
        Span::styled(format!("{:<10} ", kind_label(&e.body)), t.key()),
    ];
    if author {
        spans.push(Span::styled(
            format!("{} ", sanitize::line(&e.author)),
            t.dim(),
        ));
    }
    let text = describe(inc, &e.body);
    if retracted {
        spans.push(Span::styled(
            format!("[retracted] {text}"),
            t.dim().add_modifier(Modifier::CROSSED_OUT),
        ));
    } else {
        spans.push(Span::raw(text));
    }
    if inc.amended.contains_key(&e.id) {
        spans.push(Span::styled(" [amended]", t.dim()));
    }
    ListItem::new(Line::from(spans))
}

fn timeline(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inc = &iv.data.incident;
    let rows = timeline_rows(iv);
    let events = iv.data.events.read();
    let height = area.height.saturating_sub(1) as usize;
    // Newest last: with no selection yet, show the end.
    let cursor = iv.cursor[1].min(rows.len().saturating_sub(1));
    let skip = scroll_for(cursor, height);
    // Only the visible rows are built, so a million entries scroll as fast as ten.
    let items: Vec<ListItem> = rows
        .iter()
        .enumerate()
        .skip(skip)
        .take(height)
        .map(|(n, &i)| {
            let item = timeline_item(app, inc, &events[i].entry, true);
            if n == cursor {
                item.style(t.selected())
            } else {
                item
            }
        })
        .collect();
    let filter = iv.timeline_filter.unwrap_or("all");
    let title = format!(
        " Timeline — {} of {} entries · kind: {filter}{} ",
        rows.len(),
        events.len(),
        if iv.search.is_empty() {
            String::new()
        } else {
            format!(" · search: {}", sanitize::line(&iv.search))
        }
    );
    f.render_widget(List::new(items).block(section(t, title)), area);
}

fn messages(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inc = &iv.data.incident;
    let pb = &inc.playbook;
    let order = App::message_order(inc);
    let [list_area, detail] =
        Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(area);
    let cursor = iv.cursor[2].min(order.len().saturating_sub(1));
    let rows: Vec<Row> = order
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let m = &inc.messages[i];
            let status = m.status(pb);
            let (word, urgency) = match &status {
                MessageStatus::Draft { .. } => ("draft", Urgency::Waiting),
                MessageStatus::AwaitingApproval { .. } => ("awaiting approval", Urgency::DueSoon),
                MessageStatus::Approved => ("approved", Urgency::Pending),
                MessageStatus::Sent => ("sent", Urgency::Done),
            };
            let style = if n == cursor {
                t.selected()
            } else {
                Style::new()
            };
            let to = pb
                .stakeholder(&m.stakeholder)
                .map_or(m.stakeholder.as_str(), |s| s.name.as_str());
            Row::new(vec![
                Cell::from(short(&m.id)),
                Cell::from(Span::styled(
                    format!("{} {word}", urgency.mark().0),
                    t.urgency(urgency),
                )),
                Cell::from(sanitize::line(to).into_owned()),
                Cell::from(sanitize::line(m.template.as_deref().unwrap_or("")).into_owned()),
            ])
            .style(style)
        })
        .collect();
    let rows = if rows.is_empty() {
        vec![Row::new(vec![Cell::from(Span::styled(
            "No messages yet: press c to compose one.",
            t.dim(),
        ))])]
    } else {
        rows
    };
    let skip = scroll_for(cursor, list_area.height.saturating_sub(2) as usize);
    f.render_widget(
        Table::new(
            rows.into_iter().skip(skip),
            [
                Constraint::Length(9),
                Constraint::Length(20),
                Constraint::Min(16),
                Constraint::Length(18),
            ],
        )
        .header(Row::new(vec!["id", "state", "to", "template"]).style(t.dim()))
        .block(section(t, " Messages ")),
        list_area,
    );
    let Some(&i) = order.get(cursor) else { return };
    let m = &inc.messages[i];
    let status = m.status(pb);
    let mut lines = Vec::new();
    let why = match &status {
        MessageStatus::Draft { blanks } => {
            format!("blocked: blanks to fill — {}", blanks.join(", "))
        }
        MessageStatus::AwaitingApproval {
            missing,
            objections,
        } => {
            let mut w = Vec::new();
            if !missing.is_empty() {
                w.push(format!("needs approval by {}", missing.join(", ")));
            }
            if !objections.is_empty() {
                w.push(format!("objection from {}", objections.join(", ")));
            }
            w.join("; ")
        }
        MessageStatus::Approved => "approved by every required role — ready to send (S)".into(),
        MessageStatus::Sent => {
            let s = m.sent.as_ref().expect("sent");
            format!(
                "sent {} by {}{}{}",
                countdown(s.at, app.now) + " ago",
                sanitize::line(&s.by),
                s.met_deadline
                    .as_deref()
                    .map(|d| {
                        let label = inc
                            .stakeholder(&m.stakeholder)
                            .and_then(|st| st.deadlines.iter().find(|x| x.key == d))
                            .map_or(d, |x| x.label.as_str());
                        format!(", met '{}'", sanitize::line(label))
                    })
                    .unwrap_or_default(),
                s.override_reason
                    .as_deref()
                    .map(|r| format!(", OVERRIDE: {}", sanitize::line(r)))
                    .unwrap_or_default()
            )
        }
    };
    lines.push(Line::from(Span::styled(why, t.title())));
    for a in &m.approvals {
        lines.push(Line::from(Span::styled(
            format!("✔ {} ({})", sanitize::line(&a.role), sanitize::line(&a.by)),
            t.ok(),
        )));
    }
    for o in &m.objections {
        lines.push(Line::from(Span::styled(
            format!(
                "✖ {} objects: {}",
                sanitize::line(&o.role),
                sanitize::line(o.comment.as_deref().unwrap_or(""))
            ),
            t.error(),
        )));
    }
    let max = m
        .template
        .as_deref()
        .and_then(|id| pb.template(id))
        .and_then(|t| t.max_chars);
    let count = crate::playbook::placeholder::char_count(&m.text);
    lines.push(Line::from(Span::styled(
        match max {
            Some(max) if count > max as usize => format!("{count} / {max} characters — TOO LONG"),
            Some(max) => format!("{count} / {max} characters"),
            None => format!("{count} characters"),
        },
        if max.is_some_and(|x| count > x as usize) {
            t.error()
        } else {
            t.dim()
        },
    )));
    lines.push(Line::raw(""));
    for l in sanitize::text(&m.text).lines() {
        lines.push(highlight_blanks(l, t));
    }
    f.render_widget(
        Paragraph::new(Text::from(lines))
            .wrap(Wrap { trim: false })
            .block(section(t, format!(" Message {} ", short(&m.id)))),
        detail,
    );
}

/// A line with its `{{fill:…}}` blanks marked (reversed: visible without colour too).
fn highlight_blanks(line: &str, t: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    let mut last = 0;
    for (_, r) in crate::playbook::placeholder::blanks(line) {
        spans.push(Span::raw(line[last..r.start].to_owned()));
        spans.push(Span::styled(line[r.clone()].to_owned(), t.blank()));
        last = r.end;
    }
    spans.push(Span::raw(line[last..].to_owned()));
    Line::from(spans)
}

fn media(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inc = &iv.data.incident;
    let now = app.now;
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area);
    let cursor = iv.cursor[3].min(inc.inquiries.len().saturating_sub(1));
    let rows: Vec<Row> = inc
        .inquiries
        .iter()
        .enumerate()
        .map(|(n, q)| {
            let (state, u) = if !q.is_open() {
                ("answered".to_owned(), Urgency::Done)
            } else if q.is_overdue(now) {
                (
                    format!("OVERDUE {}", countdown(now, q.reply_by.expect("overdue"))),
                    Urgency::Overdue,
                )
            } else if let Some(d) = q.reply_by {
                let u = if d.as_second() - now.as_second() < DUE_SOON_SECS {
                    Urgency::DueSoon
                } else {
                    Urgency::Pending
                };
                (format!("reply in {}", countdown(now, d)), u)
            } else {
                ("open".to_owned(), Urgency::Pending)
            };
            let kind = match q.kind {
                InquiryKind::Media => "press",
                InquiryKind::Request => "request",
            };
            let style = if n == cursor {
                t.selected()
            } else {
                Style::new()
            };
            Row::new(vec![
                Cell::from(Span::styled(
                    format!("{} {state}", u.mark().0),
                    t.urgency(u),
                )),
                Cell::from(kind),
                Cell::from(sanitize::line(&q.from).into_owned()),
                Cell::from(sanitize::line(&q.text).into_owned()),
            ])
            .style(style)
        })
        .collect();
    let rows = if rows.is_empty() {
        vec![Row::new(vec![Cell::from(Span::styled(
            "No inquiries yet: press i to log one.",
            t.dim(),
        ))])]
    } else {
        rows
    };
    f.render_widget(
        Table::new(
            rows,
            [
                Constraint::Length(20),
                Constraint::Length(8),
                Constraint::Length(20),
                Constraint::Min(20),
            ],
        )
        .header(Row::new(vec!["reply", "kind", "from", "question"]).style(t.dim()))
        .block(section(t, " Inquiries ")),
        top,
    );
    let mentions: Vec<ListItem> = inc
        .mentions
        .iter()
        .rev()
        .map(|m| {
            ListItem::new(Line::from(vec![
                Span::styled(format!("{} ", countdown(m.at, now)), t.dim()),
                Span::styled(
                    format!("{} ", sanitize::line(m.sentiment.as_deref().unwrap_or("·"))),
                    t.key(),
                ),
                Span::raw(format!(
                    "{}: {}",
                    sanitize::line(&m.source),
                    sanitize::line(&m.text)
                )),
            ]))
        })
        .collect();
    f.render_widget(List::new(mentions).block(section(t, " Mentions ")), bottom);
}

fn checklist(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inc = &iv.data.incident;
    let now = app.now;
    let rows = checklist_rows(inc);
    let cursor = iv.cursor[4].min(rows.len().saturating_sub(1));
    let mut phase = "";
    let mut items = Vec::new();
    let mut selected_line = 0;
    for (n, row) in rows.iter().enumerate() {
        let (mark, urgency, text, extra, head) = match row {
            ChecklistRow::Item(i) => {
                let c = &inc.checklist[*i];
                let (mark, u) = if c.done.is_some() {
                    ("☑", Urgency::Done)
                } else if c.is_overdue(now) {
                    ("✖", Urgency::Overdue)
                } else {
                    ("☐", Urgency::Pending)
                };
                let due = c
                    .due
                    .map(|d| {
                        if c.done.is_none() {
                            countdown(now, d)
                        } else {
                            String::new()
                        }
                    })
                    .unwrap_or_default();
                (
                    mark,
                    u,
                    c.text.clone(),
                    (due, c.owner.as_deref().unwrap_or("")),
                    Some(c.phase.as_str()),
                )
            }
            ChecklistRow::Action(i) => {
                let a = &inc.actions[*i];
                let (mark, u) = if a.done.is_some() {
                    ("☑", Urgency::Done)
                } else if a.is_overdue(now) {
                    ("✖", Urgency::Overdue)
                } else {
                    ("☐", Urgency::Pending)
                };
                let due = a.due.map(|d| countdown(now, d)).unwrap_or_default();
                let due = if a.done.is_none() { due } else { String::new() };
                (
                    mark,
                    u,
                    a.text.clone(),
                    (due, a.owner.as_deref().unwrap_or("")),
                    Some("Actions"),
                )
            }
        };
        if let Some(h) = head
            && h != phase
        {
            phase = h;
            items.push(ListItem::new(Span::styled(
                sanitize::line(h).into_owned(),
                t.title(),
            )));
        }
        if n == cursor {
            selected_line = items.len();
        }
        // Mark and countdown first: a long item text is what gets cut, never its clock.
        let (due, owner) = extra;
        let item = ListItem::new(Line::from(vec![
            Span::styled(format!(" {mark} "), t.urgency(urgency)),
            Span::styled(format!("{due:>7} "), t.urgency(urgency)),
            Span::raw(sanitize::line(&text).into_owned()),
            Span::styled(format!("  {}", sanitize::line(owner)), t.dim()),
        ]));
        items.push(if n == cursor {
            item.style(t.selected())
        } else {
            item
        });
    }
    let height = area.height.saturating_sub(1) as usize;
    let skip = scroll_for(selected_line, height);
    let done = inc.checklist.iter().filter(|c| c.done.is_some()).count();
    f.render_widget(
        List::new(items.into_iter().skip(skip).collect::<Vec<_>>()).block(section(
            t,
            format!(
                " Checklist {done}/{} done · actions: {} open ",
                inc.checklist.len(),
                inc.open_actions().count()
            ),
        )),
        area,
    );
}

fn playbook(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let inc = &iv.data.incident;
    let lines = playbook_lines(&inc.playbook, &app.theme, &iv.search);
    let height = area.height.saturating_sub(1) as usize;
    let max_skip = lines.len().saturating_sub(height);
    let skip = iv.cursor[5].min(max_skip);
    f.render_widget(
        Paragraph::new(Text::from(
            lines
                .into_iter()
                .skip(skip)
                .take(height)
                .collect::<Vec<_>>(),
        ))
        .block(section(
            &app.theme,
            format!(
                " Playbook: {} (read-only) ",
                sanitize::line(&inc.playbook.title)
            ),
        )),
        area,
    );
}

/// The playbook as readable lines: key messages, Q&A, roles, templates. `query` filters
/// sections' entries.
pub fn playbook_lines(
    pb: &crate::playbook::Playbook,
    t: &Theme,
    query: &str,
) -> Vec<Line<'static>> {
    let q = query.to_lowercase();
    let keep = |s: &str| q.is_empty() || s.to_lowercase().contains(&q);
    let mut out = Vec::new();
    let head = |out: &mut Vec<Line<'static>>, s: &str| {
        out.push(Line::raw(""));
        out.push(Line::from(Span::styled(s.to_owned(), t.title())));
    };
    if let Some(s) = &pb.summary {
        out.push(Line::raw(sanitize::line(s).into_owned()));
    }
    head(&mut out, "KEY MESSAGES");
    for m in pb.key_messages.iter().filter(|m| keep(m)) {
        out.push(Line::raw(format!("• {}", sanitize::line(m))));
    }
    head(&mut out, "Q&A");
    for qa in pb.qa.iter().filter(|qa| keep(&qa.q) || keep(&qa.a)) {
        out.push(Line::from(Span::styled(
            format!("Q: {}", sanitize::line(&qa.q)),
            t.key(),
        )));
        out.push(Line::raw(format!("A: {}", sanitize::line(&qa.a))));
    }
    head(&mut out, "ROLES");
    for r in pb
        .roles
        .iter()
        .filter(|r| keep(&r.title) || r.holder.as_deref().is_some_and(keep))
    {
        out.push(Line::raw(format!(
            "{:<16} {}{}{}",
            r.id,
            sanitize::line(&r.title),
            r.holder
                .as_deref()
                .map(|h| format!(" — {}", sanitize::line(h)))
                .unwrap_or_default(),
            r.contact
                .as_deref()
                .map(|c| format!(" · {}", sanitize::line(c)))
                .unwrap_or_default()
        )));
    }
    head(&mut out, "TEMPLATES");
    for tpl in pb
        .templates
        .iter()
        .filter(|x| keep(&x.title) || keep(&x.body))
    {
        out.push(Line::from(Span::styled(
            format!("{} — {}", tpl.id, sanitize::line(&tpl.title)),
            t.key(),
        )));
        for l in sanitize::text(&tpl.body).lines() {
            out.push(highlight_blanks(&format!("  {l}"), t));
        }
    }
    out
}

// ---- overlays --------------------------------------------------------------------------

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn overlay(app: &App, o: &Overlay, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    match o {
        Overlay::Help => {
            let width = area.width.min(86);
            let lines = help_lines(app, width.saturating_sub(2) as usize);
            let r = centered(area, width, lines.len() as u16 + 2);
            let inner = r.height.saturating_sub(2) as usize;
            // Taller than the screen: it scrolls, and says so.
            let skip = app.overlay_scroll.min(lines.len().saturating_sub(inner));
            let title = if lines.len() > inner {
                format!(
                    " Help {}-{} of {} — ↑↓ PgUp PgDn scroll · Esc closes ",
                    skip + 1,
                    (skip + inner).min(lines.len()),
                    lines.len()
                )
            } else {
                " Help — Esc closes ".to_owned()
            };
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>())
                    .block(Block::bordered().title(title)),
                r,
            );
        }
        Overlay::PlaybookPreview(id) => {
            let Some(e) = app.start.catalog.get(id) else {
                return;
            };
            let lines = playbook_lines(&e.loaded.playbook, t, "");
            let r = centered(
                area,
                area.width.saturating_sub(4),
                area.height.saturating_sub(2),
            );
            // Scrolls by whole lines of the playbook (each wraps to the window's width).
            let skip = app.overlay_scroll.min(lines.len().saturating_sub(1));
            let total = lines.len();
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>())
                    .wrap(Wrap { trim: false })
                    .block(Block::bordered().title(format!(
                        " {} — line {} of {} · ↑↓ PgUp PgDn scroll · Esc closes ",
                        sanitize::line(&e.loaded.playbook.title),
                        skip + 1,
                        total
                    ))),
                r,
            );
        }
        Overlay::Form(purpose, form) => form_window(app, purpose, form, f, area),
        Overlay::Adopt { changes, .. } => {
            let room = area.height.saturating_sub(10) as usize;
            let mut lines = vec![
                Line::from(Span::styled(
                    "The playbook this incident runs on was edited on disk.",
                    t.title(),
                )),
                Line::raw(
                    "Adopting it applies its audiences, deadlines and approvals from now on,",
                ),
                Line::raw("and records the adoption in the journal. What changed:"),
                Line::raw(""),
            ];
            for c in changes.iter().take(room) {
                lines.push(Line::raw(format!("• {}", sanitize::line(c))));
            }
            if changes.len() > room {
                lines.push(Line::raw("• …"));
            }
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::styled("y", t.key()),
                Span::raw(" adopt it   "),
                Span::styled("n", t.key()),
                Span::raw(" keep the current version"),
            ]));
            let r = centered(area, 78, lines.len() as u16 + 2);
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(Block::bordered().title(" Playbook edited ")),
                r,
            );
        }
    }
}

/// The help window's lines for what is on screen, from the keymap table, wrapped to `width`
/// columns with continuation lines indented under the description.
pub fn help_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let ctx = app.context();
    let mut entries: Vec<(String, &'static str)> = keymap::bindings(ctx)
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            (keys.join(" "), b.help)
        })
        .collect();
    let first_form_key = entries.len();
    entries.extend(keymap::FORM_KEYS.iter().map(|(k, h)| ((*k).to_owned(), *h)));
    let key_w = entries
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let text_w = width.saturating_sub(key_w + 2).max(12);
    let mut lines = vec![Line::from(Span::styled(
        format!("Keys on this screen ({})", context_name(ctx)),
        t.title(),
    ))];
    for (n, (keys, help)) in entries.into_iter().enumerate() {
        if n == first_form_key {
            lines.push(Line::raw(""));
            lines.push(Line::from(Span::styled("In a form", t.title())));
        }
        for (i, part) in wrap_words(help, text_w).into_iter().enumerate() {
            let key = if i == 0 { keys.as_str() } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("{key:>key_w$}  "), t.key()),
                Span::raw(part),
            ]));
        }
    }
    lines
}

/// Splits `s` into lines of at most `width` characters at spaces (a longer word is cut).
fn wrap_words(s: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in s.split(' ') {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push(line);
    out
}

fn context_name(c: Context) -> &'static str {
    match c {
        Context::Start => "start",
        Context::Incident => "board",
        Context::Timeline => "timeline",
        Context::Playbook => "playbook",
        Context::Messages => "messages",
        Context::Checklist => "checklist",
        Context::Media => "media desk",
    }
}

fn form_window(app: &App, purpose: &Purpose, form: &Form, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let big = matches!(purpose, Purpose::Compose | Purpose::Edit(_));
    let field_height = |fld: &super::form::Field| -> u16 {
        match &fld.input {
            Input::Line(_) => 1,
            Input::Multi(_) => {
                if big {
                    area.height.saturating_sub(12).max(4)
                } else {
                    4
                }
            }
            Input::Choice { options, .. } => (options.len() as u16).clamp(1, 6),
        }
    };
    let inner_h: u16 = form
        .fields
        .iter()
        .map(|fl| field_height(fl) + 1)
        .sum::<u16>()
        + 3;
    let width = if big {
        area.width.saturating_sub(4)
    } else {
        76
    };
    let r = centered(area, width, inner_h + 2);
    f.render_widget(Clear, r);
    let block = Block::bordered().title(format!(" {} — Esc cancels ", form.title));
    let inner = block.inner(r);
    f.render_widget(block, r);
    let mut constraints: Vec<Constraint> = Vec::new();
    for fl in &form.fields {
        constraints.push(Constraint::Length(1));
        constraints.push(Constraint::Length(field_height(fl)));
    }
    constraints.push(Constraint::Length(1));
    constraints.push(Constraint::Min(1));
    let rows = Layout::vertical(constraints).split(inner);
    for (i, fl) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label_style = if focused { t.key() } else { t.dim() };
        let mut label = vec![Span::styled(
            format!("{}{}", if focused { "▸ " } else { "  " }, fl.label),
            label_style,
        )];
        // The live count and blanks before the hint: on a narrow screen the hint is cut.
        if fl.label == "Text" && matches!(purpose, Purpose::Compose) {
            label.push(Span::styled(composer_count(app, form), t.dim()));
        }
        if focused && !fl.hint.is_empty() {
            label.push(Span::styled(format!("  {}", fl.hint), t.dim()));
        }
        f.render_widget(Paragraph::new(Line::from(label)), rows[i * 2]);
        let slot = rows[i * 2 + 1];
        match &fl.input {
            Input::Line(ta) | Input::Multi(ta) => {
                let mut ta = ta.clone();
                if !focused {
                    ta.set_cursor_style(Style::new());
                }
                ta.set_cursor_line_style(Style::new());
                f.render_widget(&ta, slot);
            }
            Input::Choice { options, selected } => {
                let h = slot.height as usize;
                let skip = scroll_for(*selected, h);
                let items: Vec<ListItem> = options
                    .iter()
                    .enumerate()
                    .skip(skip)
                    .take(h)
                    .map(|(n, (_, l))| {
                        let s = if n == *selected {
                            format!("▸ {l}")
                        } else {
                            format!("  {l}")
                        };
                        let item = ListItem::new(sanitize::line(&s).into_owned());
                        if n == *selected && focused {
                            item.style(t.selected())
                        } else {
                            item
                        }
                    })
                    .collect();
                f.render_widget(List::new(items), slot);
            }
        }
    }
    // The refusal gets every row left under the fields, wrapped: the reason is the point.
    let err_row = rows[form.fields.len() * 2].union(rows[form.fields.len() * 2 + 1]);
    if let Some(e) = &form.error {
        f.render_widget(
            Paragraph::new(Span::styled(format!("✖ {}", sanitize::line(e)), t.error()))
                .wrap(Wrap { trim: true }),
            err_row,
        );
    } else {
        let keys = if form.enter_saves {
            "Enter save · Tab next field · Esc cancel"
        } else {
            "Enter/Tab next field · Ctrl-s save · Esc cancel"
        };
        f.render_widget(Paragraph::new(Span::styled(keys, t.dim())), err_row);
    }
}

/// "123 / 280 characters · 2 blanks" for the composer's text.
fn composer_count(app: &App, form: &Form) -> String {
    let text = form.get("Text");
    let count = crate::playbook::placeholder::char_count(&text);
    let blanks = crate::playbook::placeholder::blanks(&text).len();
    let max = app.incident.as_ref().and_then(|iv| {
        iv.data
            .incident
            .playbook
            .template(&form.get("Template"))
            .and_then(|t| t.max_chars)
    });
    let mut s = match max {
        Some(m) if count > m as usize => format!("  {count} / {m} characters — TOO LONG"),
        Some(m) => format!("  {count} / {m} characters"),
        None => format!("  {count} characters"),
    };
    if blanks > 0 {
        s.push_str(&format!(" · {blanks} blank(s) to fill"));
    }
    s
}

/// A titled section of a view: a rule along its top with the title in it.
fn section<'a>(t: &Theme, title: impl Into<std::borrow::Cow<'a, str>>) -> Block<'a> {
    Block::new()
        .borders(Borders::TOP)
        .title(Span::styled(title.into(), t.title()))
}

/// How many rows to skip so `cursor` is visible in `height` rows.
fn scroll_for(cursor: usize, height: usize) -> usize {
    if height == 0 {
        return cursor;
    }
    (cursor + 1).saturating_sub(height)
}
