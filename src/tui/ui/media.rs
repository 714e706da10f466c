//! The Media view (4), the media desk: press and information requests with how long is left
//! to reply, and below them the logged mentions, newest first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, List, ListItem, Row, Table};

use super::widgets::{DUE_SOON_SECS, section};
use crate::incident::state::InquiryKind;
use crate::incident::status::countdown;
use crate::sanitize;
use crate::tui::model::{App, IncidentView};
use crate::tui::rows::media_order;
use crate::tui::theme::Urgency;

pub(super) fn media(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inc = &iv.data.incident;
    let now = app.clock_now();
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area);
    let cursor = iv.cursor[3].min(inc.inquiries.len().saturating_sub(1));
    // Open ones first, least time left first; answered ones below.
    let rows: Vec<Row> = media_order(inc, now)
        .into_iter()
        .map(|i| &inc.inquiries[i])
        .enumerate()
        .map(|(n, q)| {
            let last_answer = q.answers.iter().map(|a| a.at).max();
            let mut answering: Vec<String> = Vec::new();
            for c in q
                .claims
                .iter()
                .filter(|c| last_answer.is_none_or(|t| c.at > t))
            {
                let name =
                    crate::tui::rows::inquiry_console(q, &app.presence, &c.by, &c.console, true);
                if !answering.contains(&name) {
                    answering.push(name);
                }
            }
            let (state, u) = if !q.is_open() {
                ("✔ answered".to_owned(), Urgency::Done)
            } else if !answering.is_empty() {
                (
                    format!("✎ {}", sanitize::line(&answering.join(", "))),
                    Urgency::Waiting,
                )
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
                    if state.starts_with('✔') || state.starts_with('✎') {
                        state
                    } else {
                        format!("{} {state}", u.mark().0)
                    },
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
        .block(section(
            t,
            " Inquiries — open first, least time left first · Enter: detail ",
        )),
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
