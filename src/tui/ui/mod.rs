//! Drawing the console. Pure functions of `&App` into a frame: no I/O, no clock.
//!
//! Each region of the screen is drawn by one file of this folder; `render` below composes
//! them (the file that draws each region is named on the right):
//!
//! ```text
//! ┌ header: EXERCISE · title · severity · T+hh:mm:ss · local time · saved ─────────┐ header.rs
//! │ 1 Board  2 Timeline  3 Messages  4 Media  5 Checklist  6 Playbook              │ header.rs
//! │ ✖ OVERDUE banner: the single most overdue thing                                │ header.rs
//! │ view body: the selected view, one file each                                    │ board.rs
//! │                                                                                │ timeline.rs
//! │                                                                                │ messages.rs
//! │                                                                                │ media.rs
//! │                                                                                │ checklist.rs
//! │                                                                                │ playbook.rs
//! │                                                                                │ exercise.rs
//! │ notice                                                                         │ mod.rs
//! └ key bar (from the keymap) ─────────────────────────────────────────────────────┘ mod.rs
//! ```
//! With no incident open, `start.rs` draws everything above the notice instead. `overlays.rs`
//! draws the help window, the forms, the playbook preview and the adopt-playbook question
//! over the whole screen; `widgets.rs` holds the small helpers the regions share.
//!
//! Every untrusted string goes through `crate::sanitize` before it reaches a widget.

mod board;
mod checklist;
mod exercise;
mod header;
mod media;
mod messages;
mod overlays;
mod playbook;
mod start;
mod timeline;
mod widgets;

pub use overlays::help_lines;
pub use playbook::playbook_lines;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::keymap;
use super::model::{App, IncidentView, View};
use crate::sanitize;
use board::board;
use checklist::checklist;
use header::{header_line, overdue_banner, tab_line};
use media::media;
use messages::messages;
use overlays::overlay;
use playbook::playbook;
use start::start_screen;
use timeline::timeline;

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
    // Notices that arrived on their own and were not yet looked at: counted on the right.
    let notice = if app.unseen > 1 {
        let label = format!(" ! {} notices ", app.unseen);
        let [n, c] = Layout::horizontal([
            Constraint::Min(0),
            Constraint::Length(label.chars().count() as u16),
        ])
        .areas(notice);
        f.render_widget(
            Paragraph::new(Span::styled(
                label,
                app.theme
                    .key()
                    .add_modifier(ratatui::style::Modifier::REVERSED),
            )),
            c,
        );
        n
    } else {
        notice
    };
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
        // A window may cover the header: an exercise still says so, on every screen.
        if app
            .incident
            .as_ref()
            .is_some_and(|iv| iv.data.incident.exercise)
        {
            let mark = Span::styled(" EXERCISE ", app.theme.exercise());
            let width = (mark.width() as u16).min(area.width);
            // Where the window left the header's mark alone, or its own title says it, the
            // top row already does; otherwise the mark goes at the right end of the top row,
            // where it hides the end of a long title rather than the window's name.
            let top: String = (area.left()..area.right())
                .filter_map(|x| {
                    f.buffer_mut()
                        .cell((x, area.top()))
                        .map(|c| c.symbol().to_owned())
                })
                .collect();
            if area.height > 0 && !top.contains("EXERCISE") {
                f.render_widget(
                    Paragraph::new(mark),
                    Rect {
                        x: area.right() - width,
                        height: 1,
                        width,
                        ..area
                    },
                );
            }
        }
    }
}

fn key_bar(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut spans = Vec::new();
    let mut shown: Vec<&keymap::Binding> = keymap::shown(app.context(), app.exercise().is_some())
        .filter(|b| !b.bar.is_empty())
        .collect();
    // The facilitator's clock keys first: they are what the Exercise view is for.
    if app.context() == keymap::Context::Exercise {
        shown.sort_by_key(|b| b.contexts != [keymap::Context::Exercise]);
    }
    for b in shown {
        spans.push(Span::styled(b.keys[0].label(), t.key()));
        spans.push(Span::raw(format!(" {}  ", b.bar)));
    }
    if app.incident.is_some() && app.context() != keymap::Context::Detail {
        let views = if app.facilitating() { "1-7" } else { "1-6" };
        spans.push(Span::styled(views, t.key()));
        spans.push(Span::raw(" views  "));
        spans.push(Span::styled("d f m s i a l", t.key()));
        spans.push(Span::raw(" log"));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

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
        View::Exercise => exercise::view(app, iv, f, body),
    }
    // An inject that just arrived rings over the view until it is taken (o); keys still go
    // to the view beneath.
    if app.overlay.is_none() {
        exercise::ringing(app, f, body);
    }
}
