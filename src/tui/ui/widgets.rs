//! Small helpers the regions share: a titled section rule, scrolling, centring a window,
//! cutting text to fit, wrapping words, "how long ago", marking a template's blanks, and each
//! audience's urgency (also behind the overdue banner).

use jiff::Timestamp;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use crate::incident::state::{DeadlineState, Incident, StakeholderState};
use crate::incident::status::countdown;
use crate::sanitize;
use crate::tui::theme::{Theme, Urgency};

/// A deadline closer than this is "due soon".
pub(super) const DUE_SOON_SECS: i64 = 3600;

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

/// How long ago, in one unit: `45s`, `10m`, `3h`, `2d`.
pub(super) fn ago(then: Timestamp, now: Timestamp) -> String {
    let s = (now.as_second() - then.as_second()).max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
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

/// One audience's urgency and what to say about it.
pub(super) struct AudienceState {
    pub(super) urgency: Urgency,
    pub(super) what: String,
    /// Seconds until due (negative: overdue), for sorting.
    pub(super) due_in: i64,
}

pub(super) fn audience_state(
    inc: &Incident,
    s: &StakeholderState,
    now: Timestamp,
) -> AudienceState {
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
