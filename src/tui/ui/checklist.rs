//! The Checklist view (5): the playbook's checklist grouped by phase, then the actions, each
//! with its mark, countdown and owner.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem};

use super::widgets::{scroll_for, section};
use crate::incident::status::countdown;
use crate::sanitize;
use crate::tui::model::{App, ChecklistRow, IncidentView};
use crate::tui::rows::checklist_rows;
use crate::tui::theme::Urgency;

pub(super) fn checklist(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inc = &iv.data.incident;
    let now = app.clock_now();
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
