//! The Playbook view (6): the incident's playbook, read-only, as lines of key messages, Q&A,
//! roles and templates filtered by the search; `playbook_lines` is also what the start
//! screen's playbook preview shows and what the app measures to scroll.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::Paragraph;

use super::widgets::{highlight_blanks, section};
use crate::sanitize;
use crate::tui::model::{App, IncidentView};
use crate::tui::theme::Theme;

pub(super) fn playbook(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
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
        // Key messages and Q&A answers are paragraphs: wrapped, never cut at the edge.
        .wrap(ratatui::widgets::Wrap { trim: false })
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
