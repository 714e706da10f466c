//! The Exercise view (7), the facilitator's desk, and the card that rings on a player's
//! screen when an inject arrives.
//!
//! ```text
//! ▶ RUNNING ×10 · scenario Fri 06 Mar 17:25:10 CET · next i03 in 25m00s        clock line
//! ┌ MSEL ───────────────────────────┐┌ i03 ─────────────────────────────────┐
//! │ id  due    in      state   from ││ how it is set, reply deadline,        │  side by side
//! │ i01 17:00  —       ✔ sent  SOC… ││ expected actions with ratings,        │  from 120 columns,
//! │ i02 17:25  0s      ● DUE   For… ││ what players did since delivery       │  one above the
//! └─────────────────────────────────┘└───────────────────────────────────────┘  other below
//! ```
//! Players never see this view: it shows injects before they arrive and what evaluators
//! expect. Every state has a word and a symbol, not only a colour.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table};

use super::widgets::{fit, scroll_for, section, wrap_words};
use crate::exercise::{Exercise, InjectState, InjectStatus, Phase};
use crate::incident::status::countdown;
use crate::sanitize;
use crate::tui::exercise::{arrival, facilitator_lines};
use crate::tui::model::{App, IncidentView, View};
use crate::tui::theme::{Theme, Urgency};

/// The scenario clock in a few words with a symbol: `▶ ×10`, `⏸ PAUSED ×10`.
pub(super) fn clock_badge(t: &Theme, ex: &Exercise, app: &App) -> Span<'static> {
    let phase = ex.clock.phase_at(app.real_now);
    let speed = ex.clock.speed_at(app.real_now);
    let (text, style) = match phase {
        Phase::NotStarted => (
            format!("■ NOT STARTED ×{speed}"),
            t.urgency(Urgency::Waiting),
        ),
        Phase::Running => (format!("▶ ×{speed}"), t.ok()),
        Phase::Paused => (format!("⏸ PAUSED ×{speed}"), t.urgency(Urgency::DueSoon)),
        Phase::Ended => ("■ ENDED".to_owned(), t.dim()),
    };
    Span::styled(text, style)
}

/// The facilitator's view.
pub(super) fn view(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inc = &iv.data.incident;
    let Some(ex) = inc.exercise_state.as_deref() else {
        f.render_widget(
            Paragraph::new(Span::styled("This is not an exercise.", t.dim())),
            area,
        );
        return;
    };
    let now = app.now;
    let [clock, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    clock_line(app, ex, f, clock);
    let cursor = iv.cursor[View::Exercise.index()].min(ex.injects.len().saturating_sub(1));
    let wide = rest.width >= 120;
    let (list_area, detail_area) = if wide {
        let [l, d] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
            .spacing(2)
            .areas(rest);
        (l, d)
    } else {
        let list_height = (ex.injects.len() as u16 + 2).min(rest.height / 2).max(4);
        let [l, d] =
            Layout::vertical([Constraint::Length(list_height), Constraint::Min(1)]).areas(rest);
        (l, d)
    };
    msel(app, ex, cursor, wide, f, list_area);
    let title = ex
        .injects
        .get(cursor)
        .map(|i| format!(" {} — Enter: in full ", sanitize::line(&i.inject.id)))
        .unwrap_or_else(|| " no injects: I improvises one ".into());
    let lines: Vec<Line> = match ex.injects.get(cursor) {
        Some(i) => {
            let events = iv.data.events.read();
            let width = detail_area.width.saturating_sub(1) as usize;
            facilitator_lines(inc, &events, ex, i, now)
                .into_iter()
                .flat_map(|l| {
                    let heading =
                        l.ends_with(':') || l.starts_with("Expected") || l.starts_with("Players");
                    wrap_words(&l, width).into_iter().map(move |w| {
                        if heading {
                            Line::from(Span::styled(w, t.title()))
                        } else {
                            Line::raw(w)
                        }
                    })
                })
                .collect()
        }
        None => Vec::new(),
    };
    f.render_widget(Paragraph::new(lines).block(section(t, title)), detail_area);
}

fn clock_line(app: &App, ex: &Exercise, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inc = &app
        .incident
        .as_ref()
        .expect("drawn with an incident")
        .data
        .incident;
    let mut spans = vec![
        clock_badge(t, ex, app),
        Span::raw(format!(
            "  scenario {}",
            inc.calendar
                .to_zoned(app.now)
                .strftime("%a %d %b %H:%M:%S %Z")
        )),
    ];
    let started = ex.clock.started_at().is_some();
    match ex.next_pending() {
        Some(next) if next.due > app.now || !started => spans.push(Span::raw(format!(
            "  · next {} {}",
            sanitize::line(&next.inject.id),
            if next.due > app.now {
                format!("in {}", countdown(app.now, next.due))
            } else {
                "at the start".to_owned()
            }
        ))),
        Some(next) => spans.push(Span::styled(
            format!("  · {} DUE now", sanitize::line(&next.inject.id)),
            t.urgency(Urgency::DueSoon),
        )),
        None => spans.push(Span::styled("  · every inject played", t.dim())),
    }
    if ex.clock.phase_at(app.real_now) == Phase::NotStarted {
        spans.push(Span::styled("  · Space starts it", t.key()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// One inject's state in a word with a symbol, and how urgent it is.
fn state_of(i: &InjectState, now: jiff::Timestamp, started: bool) -> (&'static str, Urgency) {
    match i.status() {
        InjectStatus::Delivered if i.improvised => ("+ improvised", Urgency::Done),
        InjectStatus::Delivered if i.delivered.as_ref().is_some_and(|d| d.early) => {
            ("✔ early", Urgency::Done)
        }
        InjectStatus::Delivered => ("✔ delivered", Urgency::Done),
        InjectStatus::Skipped => ("✖ skipped", Urgency::Waiting),
        InjectStatus::Pending if i.due <= now && started => ("● DUE", Urgency::DueSoon),
        InjectStatus::Pending => ("◌ pending", Urgency::Pending),
    }
}

fn msel(app: &App, ex: &Exercise, cursor: usize, wide: bool, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let now = app.now;
    let cal = &app
        .incident
        .as_ref()
        .expect("drawn with an incident")
        .data
        .incident
        .calendar;
    let started = ex.clock.started_at().is_some();
    let visible = area.height.saturating_sub(2) as usize;
    let skip = scroll_for(cursor, visible);
    let rows: Vec<Row> = ex
        .injects
        .iter()
        .enumerate()
        .skip(skip)
        .map(|(n, i)| {
            let (state, u) = state_of(i, now, started);
            let when = match (&i.delivered, i.status()) {
                (Some(d), _) => format!("-{}", countdown(d.at, now)),
                (None, InjectStatus::Skipped) => "—".into(),
                (None, _) => countdown(now, i.due),
            };
            let rated = if i.inject.expect.is_empty() {
                String::new()
            } else {
                format!("{}/{}", i.ratings().len(), i.inject.expect.len())
            };
            let what = i
                .inject
                .subject
                .as_deref()
                .map_or_else(|| sanitize::line(&i.inject.from), sanitize::line);
            let style = if n == cursor {
                t.selected()
            } else {
                Style::new()
            };
            Row::new(vec![
                Cell::from(sanitize::line(&i.inject.id).into_owned()),
                Cell::from(
                    cal.to_zoned(i.due)
                        .strftime(if wide { "%a %H:%M" } else { "%H:%M" })
                        .to_string(),
                ),
                Cell::from(when),
                Cell::from(Span::styled(state, t.urgency(u))),
                Cell::from(rated),
                Cell::from(fit(&what, 60)),
            ])
            .style(style)
        })
        .collect();
    let widths = [
        Constraint::Length(5),
        Constraint::Length(if wide { 9 } else { 5 }),
        Constraint::Length(if wide { 9 } else { 8 }),
        Constraint::Length(12),
        Constraint::Length(5),
        Constraint::Min(10),
    ];
    f.render_widget(
        Table::new(rows, widths)
            .header(Row::new(vec!["id", "due", "in", "state", "rated", "subject"]).style(t.dim()))
            .block(section(t, " MSEL — scenario times · ↑↓ select ")),
        area,
    );
}

/// The newest inject ringing on a player's screen, over the top right of the view.
pub(super) fn ringing(app: &App, f: &mut Frame, area: Rect) {
    let Some(r) = app.drill.ringing.first() else {
        return;
    };
    let t = &app.theme;
    let width = area.width.saturating_sub(2).min(64);
    let height = area.height.min(9);
    if width < 20 || height < 5 {
        return;
    }
    let card = Rect {
        x: area.x + area.width - width,
        y: area.y,
        width,
        height,
    };
    let inc = &app
        .incident
        .as_ref()
        .expect("drawn with an incident")
        .data
        .incident;
    let inner = width.saturating_sub(2) as usize;
    let clean = |s: &str| sanitize::line(s).into_owned();
    let to = r
        .inject
        .to
        .as_deref()
        .map(|role| inc.playbook.role(role).map_or(role, |x| x.title.as_str()))
        .map(clean)
        .unwrap_or_else(|| "everyone".into());
    let mut lines = vec![
        Line::from(vec![
            Span::styled("From ", t.dim()),
            Span::raw(fit(&clean(&r.inject.from), inner.saturating_sub(5))),
        ]),
        Line::from(vec![
            Span::styled("To ", t.dim()),
            Span::raw(fit(&to, inner.saturating_sub(3))),
        ]),
    ];
    if let Some(s) = &r.inject.subject {
        lines.push(Line::from(Span::styled(fit(&clean(s), inner), t.title())));
    }
    let room = (height as usize).saturating_sub(2 + lines.len());
    for l in wrap_words(&clean(&r.inject.text), inner)
        .into_iter()
        .take(room)
    {
        lines.push(Line::raw(l));
    }
    let more = app.drill.ringing.len() - 1;
    let footer = if more > 0 {
        format!(" o: take it · {more} more ringing ")
    } else {
        " o: take it ".to_owned()
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(t.exercise())
        .title(Span::styled(
            format!(" EXERCISE {} ", arrival(&r.inject)),
            t.exercise().add_modifier(Modifier::BOLD),
        ))
        .title_bottom(Span::styled(footer, t.key()));
    f.render_widget(Clear, card);
    f.render_widget(Paragraph::new(lines).block(block), card);
}
