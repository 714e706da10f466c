//! Small helpers the regions share: a titled section rule, scrolling, centring a window,
//! cutting text to fit, wrapping words, "how long ago", marking a template's blanks, and each
//! audience's urgency (also behind the overdue banner).

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use crate::tui::theme::Theme;

pub(super) use crate::tui::rows::{AudienceState, DUE_SOON_SECS, audience_state};

/// A titled section of a view: a rule along its top with the title in it.
pub(super) fn section<'a>(t: &Theme, title: impl Into<std::borrow::Cow<'a, str>>) -> Block<'a> {
    Block::new()
        .borders(Borders::TOP)
        .title(Span::styled(title.into(), t.title()))
}

/// How many rows to skip so `cursor` is visible in `height` rows.
pub(super) fn scroll_for(cursor: usize, height: usize) -> usize {
    if height == 0 {
        return cursor;
    }
    (cursor + 1).saturating_sub(height)
}

/// A window of `width` × `height` cells (at most the area) in the middle of `area`.
pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    area.centered(Constraint::Length(width), Constraint::Length(height))
}

pub(super) use crate::sanitize::fit;

/// Splits `s` into lines of at most `width` terminal cells at word boundaries (a longer
/// word is broken), so CJK and emoji wrap where a terminal shows them.
pub(super) fn wrap_words(s: &str, width: usize) -> Vec<String> {
    let lines: Vec<String> = textwrap::wrap(s, width.max(1))
        .into_iter()
        .map(|l| l.into_owned())
        .collect();
    if lines.is_empty() {
        vec![String::new()]
    } else {
        lines
    }
}

/// A line with its `{{fill:…}}` blanks marked (reversed: visible without colour too).
pub(super) fn highlight_blanks(line: &str, t: &Theme) -> Line<'static> {
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
