//! The Messages view (3): the list of messages with their approval state, audience and
//! template, and below it the selected message in full: what blocks it or when it was sent,
//! approvals and objections, its length against the template's limit, and its text with the
//! blanks still to fill marked.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use super::widgets::{highlight_blanks, scroll_for, section};
use crate::incident::state::MessageStatus;
use crate::incident::status::countdown;
use crate::sanitize;
use crate::tui::model::{App, IncidentView};
use crate::tui::rows::{message_order, short};
use crate::tui::theme::Urgency;

pub(super) fn messages(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let inc = &iv.data.incident;
    let pb = &inc.playbook;
    let order = message_order(inc);
    // Wide: what each audience was told beside the messages; narrow: instead of the selected
    // message, with `w`.
    let (area, told) = if area.width >= 150 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)])
            .areas(area);
        (a, Some(b))
    } else {
        (area, None)
    };
    let [list_area, detail] =
        Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(area);
    if let Some(r) = told {
        told_whom(app, iv, f, r);
    } else if iv.told_whom {
        told_whom(app, iv, f, detail);
    }
    let cursor = iv.cursor[2].min(order.len().saturating_sub(1));
    let rows: Vec<Row> = order
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let m = &inc.messages[i];
            let status = m.status(pb);
            let word = status.label();
            let urgency = match &status {
                MessageStatus::Draft { .. } => Urgency::Waiting,
                MessageStatus::AwaitingApproval { .. } => Urgency::DueSoon,
                MessageStatus::Approved => Urgency::Pending,
                MessageStatus::Sent => Urgency::Done,
            };
            let style = if n == cursor {
                t.selected()
            } else {
                Style::new()
            };
            let to = pb
                .stakeholder(&m.stakeholder)
                .map_or(m.stakeholder.as_str(), |s| s.name.as_str());
            Row::new(vec![
                Cell::from(short(&m.id)),
                Cell::from(Span::styled(
                    format!("{} {word}", urgency.mark().0),
                    t.urgency(urgency),
                )),
                Cell::from(sanitize::line(to).into_owned()),
                Cell::from(sanitize::line(m.template.as_deref().unwrap_or("")).into_owned()),
            ])
            .style(style)
        })
        .collect();
    let rows = if rows.is_empty() {
        vec![Row::new(vec![Cell::from(Span::styled(
            "No messages yet: press c to compose one.",
            t.dim(),
        ))])]
    } else {
        rows
    };
    let skip = scroll_for(cursor, list_area.height.saturating_sub(2) as usize);
    f.render_widget(
        Table::new(
            rows.into_iter().skip(skip),
            [
                Constraint::Length(9),
                Constraint::Length(20),
                Constraint::Min(16),
                Constraint::Length(18),
            ],
        )
        .header(Row::new(vec!["id", "state", "to", "template"]).style(t.dim()))
        .block(section(t, " Messages ")),
        list_area,
    );
    if told.is_none() && iv.told_whom {
        return;
    }
    let Some(&i) = order.get(cursor) else { return };
    let m = &inc.messages[i];
    let status = m.status(pb);
    let mut lines = Vec::new();
    let why = match &status {
        MessageStatus::Draft { .. } => format!("blocked: {}", status.reason()),
        MessageStatus::AwaitingApproval { .. } => status.reason(),
        MessageStatus::Approved => format!("{} (S)", status.reason()),
        MessageStatus::Sent => {
            let s = m.sent.as_ref().expect("sent");
            format!(
                "sent {} by {}{}{}",
                countdown(s.at, app.now) + " ago",
                sanitize::line(&s.by),
                s.met_deadline
                    .as_deref()
                    .map(|d| {
                        let label = inc
                            .stakeholder(&m.stakeholder)
                            .and_then(|st| st.deadlines.iter().find(|x| x.key == d))
                            .map_or(d, |x| x.label.as_str());
                        format!(", met '{}'", sanitize::line(label))
                    })
                    .unwrap_or_default(),
                s.override_reason
                    .as_deref()
                    .map(|r| format!(", OVERRIDE: {}", sanitize::line(r)))
                    .unwrap_or_default()
            )
        }
    };
    lines.push(Line::from(Span::styled(why, t.title())));
    for a in &m.approvals {
        lines.push(Line::from(Span::styled(
            format!("✔ {} ({})", sanitize::line(&a.role), sanitize::line(&a.by)),
            t.ok(),
        )));
    }
    for o in &m.objections {
        lines.push(Line::from(Span::styled(
            format!(
                "✖ {} objects: {}",
                sanitize::line(&o.role),
                sanitize::line(o.comment.as_deref().unwrap_or(""))
            ),
            t.error(),
        )));
    }
    let max = m
        .template
        .as_deref()
        .and_then(|id| pb.template(id))
        .and_then(|t| t.max_chars);
    let count = crate::playbook::placeholder::char_count(&m.text);
    lines.push(Line::from(Span::styled(
        match max {
            Some(max) if count > max as usize => format!("{count} / {max} characters — TOO LONG"),
            Some(max) => format!("{count} / {max} characters"),
            None => format!("{count} characters"),
        },
        if max.is_some_and(|x| count > x as usize) {
            t.error()
        } else {
            t.dim()
        },
    )));
    // What the check says about this message: open findings first, acknowledged after.
    let mut about: Vec<&crate::check::Finding> = iv.data.check.about(m.id).collect();
    about.sort_by_key(|f| !f.is_open());
    for fnd in about {
        let (mark, style) = if fnd.is_open() {
            ("⚠", t.error())
        } else {
            ("✔ acknowledged", t.dim())
        };
        let mut text = format!("{mark} {} {}: {}", fnd.kind.as_str(), fnd.id, fnd.text);
        if let Some(a) = &fnd.acknowledged {
            text.push_str(&format!(" — {}: {}", a.by, a.reason));
        }
        lines.push(Line::styled(sanitize::line(&text).into_owned(), style));
    }
    lines.push(Line::raw(""));
    for l in sanitize::text(&m.text).lines() {
        lines.push(highlight_blanks(l, t));
    }
    f.render_widget(
        Paragraph::new(Text::from(lines))
            .wrap(Wrap { trim: false })
            .block(section(
                t,
                if told.is_none() {
                    format!(" Message {} — w: told whom ", short(&m.id))
                } else {
                    format!(" Message {} ", short(&m.id))
                },
            )),
        detail,
    );
}

/// "Told whom": per audience, every figure it heard and when; an audience the facts log has
/// left behind (a stale finding) is marked.
fn told_whom(app: &App, iv: &IncidentView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let check = &iv.data.check;
    let record = &check.record;
    let stale: Vec<&str> = check
        .open()
        .filter(|x| x.kind == crate::check::Kind::Stale)
        .flat_map(|x| {
            x.quotes
                .iter()
                .filter(|q| q.source == "message" && q.corrected_by.is_none())
                .filter_map(|q| q.audience.as_deref())
        })
        .collect();
    let mut lines: Vec<Line> = Vec::new();
    for crate::check::Told {
        audience,
        messages: heard,
    } in record.told_whom()
    {
        let mut head = vec![Span::styled(
            sanitize::line(&record.audience_name(&audience)).into_owned(),
            t.title(),
        )];
        if stale.contains(&audience.as_str()) {
            head.push(Span::styled(" ⚠ stale", t.error()));
        }
        lines.push(Line::from(head));
        for m in heard {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {} {} ", record.when(m.at), short(&m.message)),
                    t.dim(),
                ),
                Span::raw(sanitize::line(&m.figures.join(" · ")).into_owned()),
            ]));
        }
    }
    if lines.is_empty() {
        lines.push(Line::styled("No figures sent to anyone yet.", t.dim()));
    }
    let open = check.open().count();
    let title = if open == 0 {
        " Told whom — figures each audience heard ".to_owned()
    } else {
        format!(" Told whom — ⚠ {open} finding(s): K acknowledges ")
    };
    f.render_widget(
        Paragraph::new(Text::from(lines))
            .wrap(Wrap { trim: false })
            .block(section(t, title)),
        area,
    );
}
