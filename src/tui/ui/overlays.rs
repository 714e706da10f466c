//! The windows drawn over the whole screen: the help window (built from the keymap table, so
//! it cannot drift from what the keys do), the forms (fields, the composer's live count and
//! the refusal), the playbook preview on the start screen, and the question whether to adopt
//! a playbook edited on disk.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, Paragraph, Wrap};

use super::playbook::playbook_lines;
use super::widgets::{centered, scroll_for, wrap_words};
use crate::sanitize;
use crate::tui::form::{Form, Input};
use crate::tui::keymap::{self, Context};
use crate::tui::model::{App, Confirm, Overlay, Page, Purpose};

pub(super) fn overlay(app: &App, o: &Overlay, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    match o {
        Overlay::Despite {
            purpose, findings, ..
        } => despite_window(app, purpose, findings, f, area),
        Overlay::Help => {
            let width = area.width.min(86);
            let lines = help_lines(app, width.saturating_sub(2) as usize);
            let r = centered(area, width, lines.len() as u16 + 2);
            let inner = r.height.saturating_sub(2) as usize;
            // Taller than the screen: it scrolls, and says so.
            let skip = app.overlay_scroll.min(lines.len().saturating_sub(inner));
            let title = if lines.len() > inner {
                format!(
                    " Help {}-{} of {} — ↑↓ PgUp PgDn scroll · Esc closes ",
                    skip + 1,
                    (skip + inner).min(lines.len()),
                    lines.len()
                )
            } else {
                " Help — Esc closes ".to_owned()
            };
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>())
                    .block(Block::bordered().title(title)),
                r,
            );
        }
        Overlay::PlaybookPreview(id) => {
            let Some(e) = app.start.catalog.get(id) else {
                return;
            };
            let lines = playbook_lines(&e.loaded.playbook, t, "");
            let r = centered(
                area,
                area.width.saturating_sub(4),
                area.height.saturating_sub(2),
            );
            // Scrolls by whole lines of the playbook (each wraps to the window's width).
            let skip = app.overlay_scroll.min(lines.len().saturating_sub(1));
            let total = lines.len();
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>())
                    .wrap(Wrap { trim: false })
                    .block(Block::bordered().title(format!(
                        " {} — line {} of {} · ↑↓ PgUp PgDn scroll · Esc closes ",
                        sanitize::line(&e.loaded.playbook.title),
                        skip + 1,
                        total
                    ))),
                r,
            );
        }
        Overlay::Form(purpose, form) => form_window(app, purpose, form, f, area),
        Overlay::Confirm(c) => confirm_window(app, c, f, area),
        Overlay::Page(page) => page_window(app, page, f, area),
        Overlay::Adopt { changes, .. } => {
            let room = area.height.saturating_sub(10) as usize;
            let mut lines = vec![
                Line::from(Span::styled(
                    "The playbook this incident runs on was edited on disk.",
                    t.title(),
                )),
                Line::raw(
                    "Adopting it applies its audiences, deadlines and approvals from now on,",
                ),
                Line::raw("and records the adoption in the journal. What changed:"),
                Line::raw(""),
            ];
            for c in changes.iter().take(room) {
                lines.push(Line::raw(format!("• {}", sanitize::line(c))));
            }
            if changes.len() > room {
                lines.push(Line::raw("• …"));
            }
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::styled("y", t.key()),
                Span::raw(" adopt it   "),
                Span::styled("n", t.key()),
                Span::raw(" keep the current version"),
            ]));
            let r = centered(area, 78, lines.len() as u16 + 2);
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(Block::bordered().title(" Playbook edited ")),
                r,
            );
        }
    }
}

/// The help window's lines for what is on screen, from the keymap table, wrapped to `width`
/// columns with continuation lines indented under the description.
pub fn help_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let ctx = app.context();
    let mut entries: Vec<(String, &'static str)> = keymap::shown(ctx, app.exercise().is_some())
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            (keys.join(" "), b.help)
        })
        .collect();
    let first_form_key = entries.len();
    entries.extend(keymap::FORM_KEYS.iter().map(|(k, h)| ((*k).to_owned(), *h)));
    let key_w = entries
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let text_w = width.saturating_sub(key_w + 2).max(12);
    let mut lines = vec![Line::from(Span::styled(
        format!("Keys on this screen ({})", context_name(ctx)),
        t.title(),
    ))];
    for (n, (keys, help)) in entries.into_iter().enumerate() {
        if n == first_form_key {
            lines.push(Line::raw(""));
            lines.push(Line::from(Span::styled("In a form", t.title())));
        }
        for (i, part) in wrap_words(help, text_w).into_iter().enumerate() {
            let key = if i == 0 { keys.as_str() } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("{key:>key_w$}  "), t.key()),
                Span::raw(part),
            ]));
        }
    }
    lines
}

fn context_name(c: Context) -> &'static str {
    match c {
        Context::Start => "start",
        Context::Incident => "board",
        Context::Timeline => "timeline",
        Context::Playbook => "playbook",
        Context::Messages => "messages",
        Context::Checklist => "checklist",
        Context::Media => "media desk",
        Context::Detail => "detail",
        Context::Exercise => "exercise (facilitator)",
    }
}

fn form_window(app: &App, purpose: &Purpose, form: &Form, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let big = matches!(purpose, Purpose::Compose | Purpose::Edit(_));
    let field_height = |fld: &crate::tui::form::Field| -> u16 {
        match &fld.input {
            Input::Line(_) => 1,
            Input::Multi(_) => {
                if big {
                    area.height.saturating_sub(12).max(4)
                } else {
                    4
                }
            }
            Input::Choice { options, .. } => (options.len() as u16).clamp(1, 6),
        }
    };
    // The check of the text being written: its findings (or that its figures agree) under
    // the text, taken from the text's rows.
    let checked = matches!(purpose, Purpose::Compose | Purpose::Edit(_));
    let check_lines = if checked {
        check_lines(app, area.width.saturating_sub(8) as usize)
    } else {
        Vec::new()
    };
    let check_h = (check_lines.len() as u16).min((area.height / 5).max(2));
    let field_height = |fld: &crate::tui::form::Field| -> u16 {
        match &fld.input {
            Input::Multi(_) if big => field_height(fld).saturating_sub(check_h).max(3),
            _ => field_height(fld),
        }
    };
    let width = if big {
        area.width.saturating_sub(4)
    } else {
        76
    };
    // A note gets the rows it wraps to (a question being answered is read in full), within
    // reason on a small screen.
    let note_h = form.note.as_ref().map_or(0, |n| {
        let lines = textwrap::wrap(
            &sanitize::line(n),
            usize::from(width.saturating_sub(2)).max(10),
        )
        .len() as u16;
        lines.clamp(1, (area.height / 3).max(2))
    });
    let inner_h: u16 = form
        .fields
        .iter()
        .map(|fl| field_height(fl) + 1)
        .sum::<u16>()
        + 3
        + check_h
        + note_h;
    let r = centered(area, width, inner_h + 2);
    f.render_widget(Clear, r);
    let block = Block::bordered().title(format!(" {} — Esc cancels ", form.title));
    let inner = block.inner(r);
    f.render_widget(block, r);
    let mut constraints: Vec<Constraint> = Vec::new();
    for fl in &form.fields {
        constraints.push(Constraint::Length(1));
        constraints.push(Constraint::Length(field_height(fl)));
    }
    constraints.push(Constraint::Length(check_h));
    constraints.push(Constraint::Length(1));
    constraints.push(Constraint::Min(1));
    let rows = Layout::vertical(constraints).split(inner);
    let n = form.fields.len() * 2;
    if check_h > 0 {
        f.render_widget(
            Paragraph::new(check_lines).wrap(Wrap { trim: false }),
            rows[n],
        );
    }
    for (i, fl) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label_style = if focused { t.key() } else { t.dim() };
        let mut label = vec![Span::styled(
            format!("{}{}", if focused { "▸ " } else { "  " }, fl.label),
            label_style,
        )];
        // The live count and blanks before the hint: on a narrow screen the hint is cut.
        if fl.label == "Text" && matches!(purpose, Purpose::Compose) {
            label.push(Span::styled(composer_count(app, form), t.dim()));
        }
        if !fl.filter.is_empty() {
            label.push(Span::styled(
                format!("  typed: {}", sanitize::line(&fl.filter)),
                t.key(),
            ));
        } else if focused && !fl.hint.is_empty() {
            label.push(Span::styled(format!("  {}", fl.hint), t.dim()));
        }
        f.render_widget(Paragraph::new(Line::from(label)), rows[i * 2]);
        let slot = rows[i * 2 + 1];
        match &fl.input {
            Input::Line(ta) | Input::Multi(ta) => {
                let mut ta = ta.clone();
                if !focused {
                    ta.set_cursor_style(Style::new());
                }
                ta.set_cursor_line_style(Style::new());
                f.render_widget(&ta, slot);
            }
            Input::Choice { options, selected } => {
                let h = slot.height as usize;
                // Only the options matching what was typed; the chosen one kept in view.
                let shown: Vec<usize> = (0..options.len()).filter(|&i| fl.shown(i)).collect();
                let at = shown.iter().position(|&i| i == *selected).unwrap_or(0);
                let skip = scroll_for(at, h);
                let mut items: Vec<ListItem> = shown
                    .iter()
                    .skip(skip)
                    .take(h)
                    .map(|&n| {
                        let l = &options[n].1;
                        let s = if n == *selected {
                            format!("▸ {l}")
                        } else {
                            format!("  {l}")
                        };
                        let item = ListItem::new(sanitize::line(&s).into_owned());
                        if fl.disabled.get(n).copied().unwrap_or(false) {
                            item.style(t.dim())
                        } else if n == *selected && focused {
                            item.style(t.selected())
                        } else {
                            item
                        }
                    })
                    .collect();
                if shown.is_empty() {
                    items.push(ListItem::new(Span::styled(
                        format!(
                            "  nothing matches \"{}\" (Backspace)",
                            sanitize::line(&fl.filter)
                        ),
                        t.error(),
                    )));
                }
                f.render_widget(List::new(items), slot);
            }
        }
    }
    // The refusal gets every row left under the fields, wrapped: the reason is the point.
    let err_row = rows[n + 1].union(rows[n + 2]);
    if let Some(ask) = &form.ask {
        // A question waits: it takes the place of everything else down there.
        f.render_widget(
            Paragraph::new(Span::styled(
                format!("? {}", sanitize::line(&ask.question())),
                t.title().add_modifier(ratatui::style::Modifier::REVERSED),
            ))
            .wrap(Wrap { trim: true }),
            err_row,
        );
    } else if let Some(e) = &form.error {
        f.render_widget(
            Paragraph::new(Span::styled(format!("✖ {}", sanitize::line(e)), t.error()))
                .wrap(Wrap { trim: true }),
            err_row,
        );
    } else if let Some(note) = &form.note {
        // The note, and under it the keys (what Enter does is not something to guess).
        let [note_row, keys_row] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(err_row);
        f.render_widget(
            Paragraph::new(Span::styled(sanitize::line(note).into_owned(), t.title()))
                .wrap(Wrap { trim: true }),
            note_row,
        );
        f.render_widget(
            Paragraph::new(Span::styled(form.keys_hint(), t.dim())),
            keys_row,
        );
    } else {
        f.render_widget(
            Paragraph::new(Span::styled(form.keys_hint(), t.dim())).wrap(Wrap { trim: true }),
            err_row,
        );
    }
}

/// What the check found in the text being written, one finding a line (wrapped to `width`):
/// "⚠ CONFLICT “1,500 customers” — News media heard “about 1,200 customers” (27 Nov 09:30)".
fn check_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let Some(iv) = &app.incident else {
        return Vec::new();
    };
    if app.form_findings.is_empty() {
        if app.form_figures == 0 {
            return Vec::new();
        }
        return vec![Line::styled(
            format!(
                "✔ check: {} figure(s), none contradicts what audiences heard or the facts log",
                app.form_figures
            ),
            t.ok(),
        )];
    }
    let record = &iv.data.check.record;
    let mut lines = Vec::new();
    for f in &app.form_findings {
        let word = match f.kind {
            crate::check::Kind::Conflict => "CONFLICT",
            crate::check::Kind::Unconfirmed => "UNCONFIRMED",
            crate::check::Kind::Stale => "STALE",
            crate::check::Kind::KeyMessage => "KEY MESSAGE",
        };
        let text = format!("⚠ {word} {}", sanitize::line(&record.brief(f)));
        for (i, part) in wrap_words(&text, width.max(20)).into_iter().enumerate() {
            let style = if i == 0 { t.error() } else { t.text() };
            lines.push(Line::styled(part, style));
        }
    }
    lines
}

/// Approve or send although the check found something: each finding in full, and the keys.
fn despite_window(
    app: &App,
    purpose: &Purpose,
    findings: &[(String, String)],
    f: &mut Frame,
    area: Rect,
) {
    let t = &app.theme;
    let width = area.width.min(78);
    let text_w = width.saturating_sub(4) as usize;
    let doing = match purpose {
        Purpose::Approve(_) => "approve",
        _ => "mark sent",
    };
    let mut lines = vec![Line::styled(
        format!("The check found this in the message you {doing}:"),
        t.title(),
    )];
    for (id, text) in findings {
        let text = format!("⚠ {id}: {}", sanitize::line(text));
        for part in wrap_words(&text, text_w) {
            lines.push(Line::raw(part));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("y", t.key()),
        Span::raw(format!(" {doing} anyway (recorded: acknowledged)   ")),
        Span::styled("n / Esc", t.key()),
        Span::raw(" back"),
    ]));
    let r = centered(area, width, lines.len() as u16 + 2);
    let inner = r.height.saturating_sub(2) as usize;
    // Longer than the screen: the keys stay in view, the findings are cut.
    if lines.len() > inner && inner >= 3 {
        let keys = lines.split_off(lines.len() - 2);
        lines.truncate(inner - 3);
        lines.push(Line::styled("… (more: crisisdesk check)", t.dim()));
        lines.extend(keys);
    }
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(format!(
            " {} despite the check? ",
            if doing == "approve" {
                "Approve"
            } else {
                "Send"
            }
        ))),
        r,
    );
}

/// A question before something that cannot be undone, with its keys.
fn confirm_window(app: &App, c: &Confirm, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let (title, mut lines, keys): (&str, Vec<Line>, Vec<(&str, &str)>) = match c {
        Confirm::CloseIncident { open, .. } => (
            " Close the incident? ",
            {
                let mut l = vec![Line::styled(
                    if open.is_empty() {
                        "Nothing is still open.".to_owned()
                    } else {
                        format!("Still open ({}):", open.len())
                    },
                    t.title(),
                )];
                let room = area.height.saturating_sub(10) as usize;
                let w = area.width.min(100).saturating_sub(4) as usize;
                for o in open.iter().take(room) {
                    // One line each: the list is what matters, the detail is elsewhere.
                    l.push(Line::raw(super::widgets::fit(
                        &format!("• {}", sanitize::line(o)),
                        w,
                    )));
                }
                if open.len() > room {
                    l.push(Line::raw(format!("• … and {} more", open.len() - room)));
                }
                l.push(Line::raw(
                    "Closed, its clocks stop; it takes only corrections, lessons, actions.",
                ));
                l
            },
            vec![("y", "close it"), ("any other key", "keep it open")],
        ),
        Confirm::Leave { quit, unsaved } => (
            if *quit {
                " Quit? "
            } else {
                " Leave the incident? "
            },
            std::iter::once(Line::styled(
                "Text you typed was kept for later in:",
                t.title(),
            ))
            .chain(
                unsaved
                    .iter()
                    .map(|u| Line::raw(format!("• {}", sanitize::line(u)))),
            )
            .chain(std::iter::once(Line::raw(if *quit {
                "Quitting now throws it away."
            } else {
                "Leaving the incident throws it away."
            })))
            .collect(),
            vec![
                (
                    "y",
                    if *quit {
                        "quit and discard it"
                    } else {
                        "leave and discard it"
                    },
                ),
                ("any other key", "go back to it"),
            ],
        ),
    };
    lines.push(Line::raw(""));
    let mut spans = Vec::new();
    for (k, what) in keys {
        spans.push(Span::styled(k, t.key()));
        spans.push(Span::raw(format!(" {what}   ")));
    }
    lines.push(Line::from(spans));
    let width = area
        .width
        .min(if matches!(c, Confirm::CloseIncident { .. }) {
            100
        } else {
            72
        });
    let r = centered(area, width, lines.len() as u16 + 2);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(title)),
        r,
    );
}

/// A page to read (an entry's detail, `:help`, the notices): wrapped to the window, scrolled
/// by whole lines, with its keys in the title.
fn page_window(app: &App, page: &Page, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    // The header stays above and the notice line below: what a key on the page did (or
    // why it did nothing) must be readable while the page is open.
    let height = area.height.saturating_sub(3);
    let r = Rect {
        y: area.y + 1.min(area.height),
        ..centered(area, area.width.saturating_sub(4).min(120), height)
    };
    let skip = app.overlay_scroll.min(page.lines.len().saturating_sub(1));
    let lines: Vec<Line> = page
        .lines
        .iter()
        .skip(skip)
        .map(|l| {
            // Section heads (all capitals) stand out, also without colour.
            if !l.is_empty()
                && l.chars().all(|c| !c.is_lowercase())
                && l.chars().any(char::is_alphabetic)
            {
                Line::styled(sanitize::line(l).into_owned(), t.title())
            } else {
                Line::raw(sanitize::line(l).into_owned())
            }
        })
        .collect();
    let keys = if page.entry.is_some() {
        "↑↓ PgUp PgDn · E amend · R retract · Esc closes"
    } else {
        "↑↓ PgUp PgDn · Esc closes"
    };
    let title = format!(
        "{}— line {} of {} · {keys} ",
        sanitize::line(&page.title),
        skip + 1,
        page.lines.len()
    );
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(title)),
        r,
    );
}

/// "123 / 280 characters · 2 blanks" for the composer's text.
fn composer_count(app: &App, form: &Form) -> String {
    let text = form.get("Text");
    let count = crate::playbook::placeholder::char_count(&text);
    let blanks = crate::playbook::placeholder::blanks(&text).len();
    let max = app.incident.as_ref().and_then(|iv| {
        iv.data
            .incident
            .playbook
            .template(&form.get("Template"))
            .and_then(|t| t.max_chars)
    });
    let mut s = match max {
        Some(m) if count > m as usize => format!("  {count} / {m} characters — TOO LONG"),
        Some(m) => format!("  {count} / {m} characters"),
        None => format!("  {count} characters"),
    };
    if blanks > 0 {
        s.push_str(&format!(" · {blanks} blank(s) to fill"));
    }
    s
}
