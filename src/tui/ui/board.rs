//! The Board view (1): every audience in play sorted by urgency, with its next deadline, when
//! it was last informed and what its pending message waits for; beside or below it the open
//! press inquiries, the next checklist items and, when there is room, the latest entries.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, List, ListItem, Row, Table};

use super::timeline::timeline_item;
use super::widgets::{AudienceState, DUE_SOON_SECS, audience_state, scroll_for, section};
use crate::incident::state::DeadlineState;
use crate::incident::state::StakeholderState;
use crate::incident::status::countdown;
use crate::sanitize;
use crate::tui::model::{App, IncidentView};
use crate::tui::rows::board_order;
use crate::tui::theme::Urgency;

pub(super) fn board(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
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
    // Tall screens: the clocks under the audiences, rather than empty rows.
    let in_play = iv
        .data
        .incident
        .stakeholders
        .iter()
        .filter(|s| s.in_play)
        .count() as u16;
    let started = iv
        .data
        .incident
        .stakeholders
        .iter()
        .filter(|s| s.in_play)
        .flat_map(|s| s.deadlines.iter())
        .filter(|d| d.due.is_some())
        .count() as u16;
    let need = in_play + 3;
    if started > 0 && audiences.height >= need + 5 {
        let [a, c] =
            Layout::vertical([Constraint::Length(need), Constraint::Min(4)]).areas(audiences);
        audiences_table(app, iv, f, a);
        clocks_table(app, iv, f, c);
    } else {
        audiences_table(app, iv, f, audiences);
    }
    side_panels(app, iv, f, side, wide);
}

fn audiences_table(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inc = &iv.data.incident;
    let now = app.clock_now();
    let tz = inc.calendar.time_zone().clone();
    let rows: Vec<(AudienceState, &StakeholderState)> = board_order(inc, now)
        .into_iter()
        .map(|i| {
            let s = &inc.stakeholders[i];
            (audience_state(inc, s, now), s)
        })
        .collect();
    // Wide enough: the due time and the legal basis in columns of their own; narrower, the
    // due time goes with the countdown (the basis is in the detail, Enter).
    let wide = area.width >= 120;
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
                .map(|m| m.status(&inc.playbook).brief())
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
            let due = a
                .due
                .map(|d| {
                    d.to_zoned_datetime(tz.clone())
                        .strftime("%a %H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            let mut cells = vec![
                Cell::from(Span::styled(format!("{sym} {word}"), t.urgency(a.urgency))),
                Cell::from(sanitize::line(name).into_owned()),
            ];
            if wide {
                cells.push(Cell::from(a.what.clone()));
                cells.push(Cell::from(due));
                cells.push(Cell::from(
                    sanitize::line(a.basis.as_deref().unwrap_or("")).into_owned(),
                ));
            } else if due.is_empty() {
                cells.push(Cell::from(a.what.clone()));
            } else {
                // Countdown, due time, then the label (what gets cut).
                let (clock, label) = a.what.split_at(a.what.find(' ').unwrap_or(a.what.len()));
                cells.push(Cell::from(format!("{clock} {due}{label}")));
            }
            if area.width >= 100 {
                cells.push(Cell::from(last));
            }
            cells.push(Cell::from(pending));
            Row::new(cells).style(style)
        })
        .collect();
    let skip = scroll_for(cursor, area.height.saturating_sub(2) as usize);
    let (widths, header): (Vec<Constraint>, Vec<&str>) = if wide {
        (
            vec![
                Constraint::Length(10),
                Constraint::Fill(3),
                Constraint::Fill(4),
                Constraint::Length(9),
                Constraint::Fill(2),
                Constraint::Length(9),
                Constraint::Length(17),
            ],
            vec![
                "state",
                "audience",
                "next",
                "due",
                "basis",
                "last sent",
                "approval",
            ],
        )
    } else if area.width >= 100 {
        (
            vec![
                Constraint::Length(10),
                Constraint::Fill(3),
                Constraint::Fill(4),
                Constraint::Length(9),
                Constraint::Length(15),
            ],
            vec!["state", "audience", "next (due)", "last sent", "approval"],
        )
    } else {
        // Narrow: the names and deadlines get the room; when each audience was last
        // informed is in its detail (Enter).
        (
            vec![
                Constraint::Length(10),
                Constraint::Fill(3),
                Constraint::Fill(4),
                Constraint::Length(15),
            ],
            vec!["state", "audience", "next (due)", "approval"],
        )
    };
    let table = Table::new(table_rows.into_iter().skip(skip), widths)
        .header(Row::new(header).style(t.dim()))
        .column_spacing(1)
        .block(section(
            t,
            format!(" Audiences{} — Enter: detail ", check_count(&iv.data.check)),
        ));
    f.render_widget(table, area);
}

/// Every deadline clock that has started, soonest first, with its due time and legal basis
/// (drawn under the audiences when the screen is tall enough).
fn clocks_table(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inc = &iv.data.incident;
    let now = app.clock_now();
    let tz = inc.calendar.time_zone().clone();
    let mut clocks: Vec<(&StakeholderState, &crate::incident::state::DeadlineClock)> = inc
        .stakeholders
        .iter()
        .filter(|s| s.in_play)
        .flat_map(|s| s.deadlines.iter().map(move |d| (s, d)))
        .filter(|(_, d)| d.due.is_some())
        .collect();
    clocks.sort_by_key(|(_, d)| (d.met_at.is_some(), d.due));
    let rows: Vec<Row> = clocks
        .iter()
        .map(|(s, d)| {
            let name = inc
                .playbook
                .stakeholder(&s.id)
                .map_or(s.id.as_str(), |x| x.name.as_str());
            let due = d.due.expect("filtered");
            let state = d.state(now);
            let (mark, style) = match state {
                DeadlineState::Overdue => ("✖ OVERDUE", t.urgency(Urgency::Overdue)),
                DeadlineState::Pending => ("● running", t.urgency(Urgency::Pending)),
                DeadlineState::Met => ("✔ met", t.urgency(Urgency::Done)),
                DeadlineState::Late => ("✔ met late", t.urgency(Urgency::Done)),
                DeadlineState::Waiting => ("… waiting", t.dim()),
            };
            let left = if d.met_at.is_none() {
                countdown(now, due)
            } else {
                String::new()
            };
            Row::new(vec![
                Cell::from(Span::styled(mark, style)),
                Cell::from(left),
                Cell::from(
                    due.to_zoned_datetime(tz.clone())
                        .strftime("%a %d %b %H:%M %Z")
                        .to_string(),
                ),
                Cell::from(sanitize::line(name).into_owned()),
                Cell::from(sanitize::line(&d.label).into_owned()),
                Cell::from(sanitize::line(d.basis.as_deref().unwrap_or("")).into_owned()),
            ])
        })
        .collect();
    f.render_widget(
        Table::new(
            rows,
            [
                Constraint::Length(12),
                Constraint::Length(8),
                Constraint::Length(20),
                Constraint::Fill(2),
                Constraint::Fill(3),
                Constraint::Fill(2),
            ],
        )
        .header(
            Row::new(vec![
                "clock", "left", "due", "audience", "deadline", "basis",
            ])
            .style(t.dim()),
        )
        .column_spacing(1)
        .block(section(t, " Legal and policy clocks ")),
        area,
    );
}

/// " · ⚠ check: 1 conflict, 1 stale · 6 key messages not given" — what the check found that
/// nobody acknowledged (details: Messages view, `w`; `crisisdesk check`).
fn check_count(check: &crate::check::Checked) -> String {
    let mut by_kind: Vec<(&str, usize)> = Vec::new();
    for f in check.open() {
        let k = f.kind.as_str();
        match by_kind.iter_mut().find(|(n, _)| *n == k) {
            Some((_, c)) => *c += 1,
            None => by_kind.push((k, 1)),
        }
    }
    let mut s = String::new();
    if !by_kind.is_empty() {
        let parts: Vec<String> = by_kind
            .iter()
            .map(|(k, n)| match (*k, *n) {
                ("conflict", 1) => "1 conflict".to_owned(),
                ("conflict", n) => format!("{n} conflicts"),
                (k, n) => format!("{n} {k}"),
            })
            .collect();
        s.push_str(&format!(" · ⚠ check (view 3): {}", parts.join(", ")));
    }
    match check.open_key_messages() {
        0 => {}
        1 => s.push_str(" · 1 key message untold"),
        n => s.push_str(&format!(" · {n} key messages untold")),
    }
    s
}

fn side_panels(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect, stacked: bool) {
    let t = &app.theme;
    let inc = &iv.data.incident;
    let now = app.clock_now();
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
