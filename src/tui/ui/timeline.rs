//! The Timeline view (2): the journal's entries, oldest first, filtered by kind and search,
//! one line each with time, kind, author and description; also the single entry line the
//! board's "Latest" panel reuses.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem};

use super::widgets::{scroll_for, section};
use crate::incident::describe::{describe, kind_label};
use crate::incident::state::Incident;
use crate::sanitize;
use crate::tui::model::{App, IncidentView};
use crate::tui::rows::timeline_rows;

pub(super) fn timeline_item<'a>(
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

pub(super) fn timeline(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
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
        " Timeline — entry {} of {}{} · kind: {filter}{} ",
        if rows.is_empty() { 0 } else { cursor + 1 },
        rows.len(),
        if rows.len() == events.len() {
            String::new()
        } else {
            format!(" shown ({} in all)", events.len())
        },
        if iv.search.is_empty() {
            String::new()
        } else {
            format!(" · search: {}", sanitize::line(&iv.search))
        }
    );
    f.render_widget(List::new(items).block(section(t, title)), area);
}
