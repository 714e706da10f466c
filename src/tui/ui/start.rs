//! The start screen, shown when no incident is open: the incidents found on disk and the
//! playbooks available to start one from, in columns cut to the terminal's width, with
//! playbooks that do not load and catalogue notices listed below them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::widgets::{scroll_for, wrap_words};
use crate::incident::status::countdown;
use crate::sanitize;
use crate::tui::model::App;

pub(super) fn start_screen(app: &App, f: &mut Frame, area: Rect) {
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
    } else if incidents.iter().all(|&i| app.start.incidents[i].exercise) {
        lines.push(Line::from(Span::styled(
            "No real incidents: Enter on a playbook below starts one.",
            t.dim(),
        )));
    }
    let mut n = 0;
    let mut exercises_heading = false;
    for &i in &incidents {
        let s = &app.start.incidents[i];
        // Exercises are listed apart, under their own heading, so none is taken for real.
        if s.exercise && !exercises_heading {
            exercises_heading = true;
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::styled(" EXERCISES ", t.exercise()),
                Span::styled("  tabletop drills (./exercises)", t.dim()),
            ]));
        }
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
        out.push_str(&sanitize::pad(text, w));
    }
    out
}
