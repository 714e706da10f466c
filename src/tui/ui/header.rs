//! The three lines at the top of the incident screen: the header (exercise mark, severity,
//! title, time since detection, local time, whether the last entry is saved and whether the
//! journal is damaged), the tab line (the views, and which other consoles have the incident
//! open), and the overdue banner naming the single most overdue thing.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::widgets::fit;
use crate::incident::state::{Incident, OverdueItem, StakeholderState};
use crate::incident::status::countdown;
use crate::sanitize;
use crate::tui::model::{App, IncidentView, SaveState, View};
use crate::tui::theme::Urgency;

pub(super) fn header_line(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inc = &iv.data.incident;
    let pb = &inc.playbook;
    // Right: what must always show (clock, local time, saved). Left: the rest, cut to fit.
    // Counting down (T-) while detection is still ahead of the clock.
    let since = app.clock_now().as_second() - inc.detected_at.as_second();
    let (sign, elapsed) = (if since < 0 { '-' } else { '+' }, since.abs());
    let local = app
        .now
        .to_zoned_datetime(inc.calendar.time_zone().clone())
        .strftime("%H:%M %Z")
        .to_string();
    let (mark, style) = match iv.save {
        SaveState::Saved => ("✔ saved", t.ok()),
        SaveState::Saving => ("… saving", t.dim()),
        SaveState::Failed => ("✖ NOT SAVED", t.error()),
    };
    let mut right = vec![
        Span::raw(format!(
            " T{sign}{:02}:{:02}:{:02}  {local}  ",
            elapsed / 3600,
            elapsed / 60 % 60,
            elapsed % 60
        )),
        Span::styled(mark, style),
    ];
    // Damage to the record must show at any width: it goes with what always shows, and the
    // title is cut instead (on the tab line it was cut off at 80 columns).
    if iv.data.health.integrity != "ok" {
        right.push(Span::styled(
            format!("  journal: {}", iv.data.health.integrity),
            t.error(),
        ));
    }
    let right_width = right
        .iter()
        .map(|s| s.width() as u16)
        .sum::<u16>()
        .min(area.width);
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(right_width)]).areas(area);
    let mut spans = Vec::new();
    if inc.exercise {
        spans.push(Span::styled(" EXERCISE ", t.exercise()));
        spans.push(Span::raw(" "));
        if let Some(ex) = inc.exercise_state.as_deref() {
            spans.push(super::exercise::clock_badge(t, ex, app));
            spans.push(Span::raw(" "));
        }
    }
    let rank = pb.severity_rank(&inc.severity).unwrap_or(0);
    let sev = pb
        .severity(&inc.severity)
        .map_or(inc.severity.as_str(), |s| s.name.as_str());
    spans.push(Span::styled(
        format!("[{}] ", fit(&sanitize::line(sev), 18)),
        t.severity(rank, pb.severities.len()),
    ));
    if inc.closed_at.is_some() {
        // Reversed: it reads as a state, not a word of the title, also without colour.
        spans.push(Span::styled(
            " CLOSED ",
            t.selected().add_modifier(ratatui::style::Modifier::BOLD),
        ));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled(
        sanitize::line(&inc.title).into_owned(),
        t.title(),
    ));
    f.render_widget(Paragraph::new(Line::from(spans)), left_area);
    f.render_widget(Paragraph::new(Line::from(right)), right_area);
}

pub(super) fn tab_line(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut spans = Vec::new();
    let narrow = area.width < 110;
    let facilitator = app.facilitating();
    for (i, v) in View::offered(facilitator).iter().enumerate() {
        let label = if narrow {
            format!("{} {} ", i + 1, v.name())
        } else {
            format!(" {} {} ", i + 1, v.name())
        };
        if *v == iv.view {
            spans.push(Span::styled(format!("[{}]", label.trim()), t.selected()));
            if narrow {
                spans.push(Span::raw(" "));
            }
        } else {
            spans.push(Span::raw(label));
        }
    }
    // Who else has this incident open (live consoles, person and machine), as many as fit;
    // on a narrow screen by user name, or only how many.
    let used: usize = spans.iter().map(Span::width).sum();
    if let Some(text) = others_text(app, usize::from(area.width).saturating_sub(used)) {
        spans.push(Span::styled(text, t.dim()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// "  also here: anna@laptop #c561 · ben@desk +2" in at most `room` columns: full names,
/// else user names, else the count.
fn others_text(app: &App, room: usize) -> Option<String> {
    let width = unicode_width::UnicodeWidthStr::width;
    let full = app.presence.others(false);
    if full.is_empty() {
        return None;
    }
    let n = full.len();
    for names in [full, app.presence.others(true)] {
        // As many names as fit, then how many more.
        for shown in (1..=n).rev() {
            let more = if shown < n {
                format!(" +{}", n - shown)
            } else {
                String::new()
            };
            let text = format!("  also here: {}{more}", names[..shown].join(" · "));
            if width(text.as_str()) <= room {
                return Some(text);
            }
        }
    }
    let text = format!("  +{n} here");
    (width(text.as_str()) <= room).then_some(text)
}

pub(super) fn overdue_banner(app: &App, inc: &Incident, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let now = app.clock_now();
    if let Some(closed) = inc.closed_at {
        let local = closed
            .to_zoned_datetime(inc.calendar.time_zone().clone())
            .strftime("%a %d %b %H:%M %Z")
            .to_string();
        f.render_widget(
            Paragraph::new(Line::from(Span::styled(
                format!(
                    " ■ CLOSED {local} — clocks stopped; only corrections, lessons and actions are taken "
                ),
                t.title(),
            ))),
            area,
        );
        return;
    }
    let name = |s: &StakeholderState| {
        sanitize::line(
            inc.playbook
                .stakeholder(&s.id)
                .map_or(s.id.as_str(), |d| d.name.as_str()),
        )
        .into_owned()
    };
    let overdue = inc.overdue(now);
    let count = overdue.len();
    let worst = overdue.first().map(|o| {
        let left = countdown(now, o.due);
        let text = match o.what {
            OverdueItem::Deadline {
                stakeholder,
                deadline,
            } => format!(
                "{}: {left} {}",
                name(stakeholder),
                sanitize::line(&deadline.label)
            ),
            OverdueItem::Update { stakeholder } => {
                format!("{}: {left} update due", name(stakeholder))
            }
            OverdueItem::Reply { inquiry } => {
                format!("reply to {} {left}", sanitize::line(&inquiry.from))
            }
            OverdueItem::Checklist { item } => {
                format!("checklist {left}: {}", sanitize::line(&item.text))
            }
            OverdueItem::Action { action } => {
                format!("action {left}: {}", sanitize::line(&action.text))
            }
        };
        (o.due, text)
    });
    let line = match worst {
        Some((_, text)) => {
            // How many first: the text is what gets cut on a narrow screen.
            let more = if count > 1 {
                format!("(+{} more)  ", count - 1)
            } else {
                String::new()
            };
            Line::from(Span::styled(
                format!(" ✖ OVERDUE  {more}{text} "),
                t.urgency(Urgency::Overdue),
            ))
        }
        None => Line::from(Span::styled(" ✔ nothing overdue", t.ok())),
    };
    f.render_widget(Paragraph::new(line), area);
}
