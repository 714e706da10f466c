//! The console without a terminal: screens as insta snapshots at 80×24 and 120×40 over
//! `TestBackend`, styles where colour carries meaning, the app driven by key presses, and
//! hostile or huge input. Fixed clock and ids throughout (see `tests/common`).

mod common;

use std::sync::Arc;

use common::*;
use crisisdesk::incident::event::{Body, Event, Origin};
use crisisdesk::journal::Stored;
use crisisdesk::tui::app::{App, Effect, Overlay, Purpose, View};
use crisisdesk::tui::keymap::{self, Context, QuickKind};
use crisisdesk::tui::theme::Theme;
use crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// Snapshots what the app shows at both sizes as `NAME_80x24` and `NAME_120x40`.
fn snap(name: &str, app: &App) {
    for (w, h) in SIZES {
        let id = format!("{name}_{w}x{h}");
        insta::assert_snapshot!(id.as_str(), screen(app, w, h));
    }
}

/// The text of the open form's error line, if any.
fn form_error(app: &App) -> Option<String> {
    match &app.overlay {
        Some(Overlay::Form(_, f)) => f.error.clone(),
        _ => None,
    }
}

fn form_purpose(app: &App) -> Option<Purpose> {
    match &app.overlay {
        Some(Overlay::Form(p, _)) => Some(p.clone()),
        _ => None,
    }
}

fn form_labels(app: &App) -> Vec<&'static str> {
    match &app.overlay {
        Some(Overlay::Form(_, f)) => f.fields.iter().map(|f| f.label).collect(),
        _ => Vec::new(),
    }
}

fn view(app: &App) -> View {
    app.incident.as_ref().expect("an incident is open").view
}

// ---- snapshots: start screen --------------------------------------------------------------

#[test]
fn snapshots_start_screen() {
    let app = start_app(start_data());
    for (w, h) in SIZES {
        let s = screen(&app, w, h);
        assert!(s.contains(TITLE), "{s}");
        assert!(s.contains("Warehouse fire drill"), "{s}");
        assert!(s.contains("OPEN live"), "{s}");
        assert!(s.contains("closed exercise"), "{s}");
        assert!(s.contains("data-breach"), "{s}");
    }
    snap("start", &app);
}

#[test]
fn snapshots_start_screen_without_incidents_invites_to_start_one() {
    let app = start_app(empty_start_data());
    for (w, h) in SIZES {
        let s = screen(&app, w, h);
        assert!(s.contains("No incidents yet"), "{s}");
        assert!(s.contains("start one"), "{s}");
        // The playbooks to start from are right there.
        assert!(s.contains("data-breach"), "{s}");
        assert!(s.contains("PLAYBOOKS"), "{s}");
    }
    snap("start_empty", &app);
}

#[test]
fn snapshots_new_incident_form_and_playbook_preview() {
    let mut app = start_app(empty_start_data());
    // First row is the first playbook (no incidents): p previews it.
    app.handle(key(KeyCode::Down));
    assert!(app.handle(ch('p')).is_empty());
    let Some(Overlay::PlaybookPreview(id)) = &app.overlay else {
        panic!("p opens the playbook preview: {:?}", app.overlay);
    };
    assert_eq!(id, "data-breach");
    let s = screen(&app, 80, 24);
    assert!(s.contains("Personal data breach"), "{s}");
    assert!(s.contains("Esc closes"), "{s}");
    snap("start_playbook_preview", &app);
    app.handle(key(KeyCode::Esc));
    assert!(app.overlay.is_none());

    // N: a new incident from the selected playbook, the title to type first.
    app.handle(ch('N'));
    assert_eq!(
        form_purpose(&app),
        Some(Purpose::NewIncident { exercise: false })
    );
    let Some(Overlay::Form(_, form)) = &app.overlay else {
        panic!()
    };
    assert_eq!(form.get("Playbook"), "data-breach");
    assert_eq!(form.fields[form.focus].label, "Title");
    type_str(&mut app, "Water supply contaminated");
    let s = screen(&app, 80, 24);
    assert!(s.contains("Water supply contaminated"), "{s}");
    assert!(s.contains("Detected at"), "{s}");
    snap("start_new_incident_form", &app);
}

// ---- snapshots: the six views ---------------------------------------------------------------

#[test]
fn snapshots_each_incident_view() {
    let mut app = incident_app(fixture(false));
    let names = [
        "board",
        "timeline",
        "messages",
        "media",
        "checklist",
        "playbook",
    ];
    for (i, name) in names.iter().enumerate() {
        let digit = char::from(b'1' + i as u8);
        assert!(app.handle(ch(digit)).is_empty());
        assert_eq!(view(&app), View::ALL[i]);
        for (w, h) in SIZES {
            let s = screen(&app, w, h);
            assert!(
                s.contains(TITLE),
                "{name} {w}x{h}: the header shows the title\n{s}"
            );
            assert!(s.contains("T+04:00:00"), "{name} {w}x{h}: the clock\n{s}");
            assert!(s.contains("✔ saved"), "{name} {w}x{h}: saved state\n{s}");
            assert!(
                s.contains("✖ OVERDUE"),
                "{name} {w}x{h}: the overdue banner\n{s}"
            );
            assert!(s.contains("?"), "{name} {w}x{h}: key bar\n{s}");
        }
        snap(&format!("view_{name}"), &app);
    }
}

#[test]
fn views_show_the_fixture_state() {
    let mut app = incident_app(fixture(false));
    // Board: overdue audience (staff briefing), sent audience, approval pending.
    let s = screen(&app, 120, 40);
    assert!(s.contains("All employees"), "{s}");
    assert!(s.contains("✖ OVERDUE"), "{s}");
    assert!(s.contains("needs crisis_lead"), "{s}");
    assert!(s.contains("Der Tagesbericht"), "{s}");
    // Timeline: retracted and amended entries are marked; the newest entry is last.
    app.handle(ch('2'));
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("[retracted] Reuters called about the leak"),
        "{s}"
    );
    assert!(
        s.contains("No figures until forensics confirm [amended]"),
        "{s}"
    );
    let last_entry = s
        .lines()
        .rfind(|l| l.contains("anna@laptop") || l.contains("ben@desk"))
        .unwrap_or_default();
    assert!(last_entry.contains("Call centre briefed"), "{s}");
    // Messages: the three states and the reason for each.
    app.handle(ch('3'));
    let s = screen(&app, 120, 40);
    assert!(s.contains("awaiting approval"), "{s}");
    assert!(s.contains("draft"), "{s}");
    assert!(s.contains("sent"), "{s}");
    assert!(s.contains("needs approval by crisis_lead"), "{s}");
    // Media desk: one overdue, one answered, the mention.
    app.handle(ch('4'));
    let s = screen(&app, 120, 40);
    assert!(s.contains("OVERDUE"), "{s}");
    assert!(s.contains("answered"), "{s}");
    assert!(s.contains("@infosec_karla on X"), "{s}");
    // Checklist: done and overdue items, actions.
    app.handle(ch('5'));
    let s = screen(&app, 120, 40);
    // Rows of the list (below the header, tabs, banner and the list's title).
    let row = |text: &str| {
        s.lines()
            .skip(4)
            .find(|l| l.contains(text))
            .unwrap_or_default()
    };
    assert!(row("Open the incident log").starts_with(" ☑ "), "{s}");
    // Overdue: the mark and how long ago it was due, before the text.
    assert!(
        row("Convene the crisis team").starts_with(" ✖  -3h30m Convene"),
        "{s}"
    );
    assert!(
        row("Brief the management board").starts_with(" ☐   4h00m"),
        "{s}"
    );
    assert!(s.contains("Give call centre the phishing script"), "{s}");
    assert!(s.contains("Checklist 2/"), "{s}");
}

// ---- snapshots: overlays --------------------------------------------------------------------

/// Every binding of the help's context: its keys and its help line are on screen (paging
/// through the window if it is taller than the terminal).
fn assert_help_lists_every_binding(app: &mut App, ctx: Context, w: u16, h: u16) {
    assert!(matches!(app.overlay, Some(Overlay::Help)));
    let mut seen = String::new();
    let mut last = String::new();
    for _ in 0..10 {
        let s = window_text(&draw(app, w, h), "Help");
        if s == last {
            break;
        }
        seen.push_str(&s);
        last = s;
        app.handle(key(KeyCode::PageDown));
        assert!(
            matches!(app.overlay, Some(Overlay::Help)),
            "paging keeps help open"
        );
    }
    for _ in 0..10 {
        app.handle(key(KeyCode::PageUp));
    }
    // Whitespace collapsed: a description wrapped onto a second line reads as one again.
    let flat = collapse(&seen);
    for b in keymap::shown(ctx, app.exercise().is_some()) {
        let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
        let entry = collapse(&format!("{} {}", keys.join(" "), b.help));
        assert!(
            flat.contains(&entry),
            "{ctx:?} {w}x{h}: help misses {entry:?}\n{seen}"
        );
    }
    for (k, help) in keymap::FORM_KEYS {
        assert!(flat.contains(&collapse(&format!("{k} {help}"))), "{k}");
    }
}

/// The text inside the bordered window whose title contains `title` (not what is under it).
fn window_text(buf: &ratatui::buffer::Buffer, title: &str) -> String {
    let (w, h) = (buf.area.width, buf.area.height);
    let row_text = |y: u16, x0: u16, x1: u16| -> String {
        (x0..x1).map(|x| buf[(x, y)].symbol()).collect::<String>()
    };
    for y in 0..h {
        for x0 in 0..w {
            if buf[(x0, y)].symbol() != "┌" {
                continue;
            }
            let Some(x1) = (x0 + 1..w).find(|&x| buf[(x, y)].symbol() == "┐") else {
                continue;
            };
            if !row_text(y, x0, x1).contains(title) {
                continue;
            }
            let mut out = String::new();
            for yy in y + 1..h {
                if buf[(x0, yy)].symbol() == "└" {
                    break;
                }
                out.push_str(row_text(yy, x0 + 1, x1).trim_end());
                out.push('\n');
            }
            return out;
        }
    }
    panic!("no window titled {title:?} on screen:\n{}", text_of(buf));
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn help_lists_every_binding_of_every_context() {
    // The start screen.
    let mut app = start_app(start_data());
    app.handle(ch('?'));
    for (w, h) in SIZES {
        assert_help_lists_every_binding(&mut app, Context::Start, w, h);
    }
    // Each incident view.
    let mut app = incident_app(fixture(false));
    for (i, v) in View::offered(false).iter().enumerate() {
        app.handle(ch(char::from(b'1' + i as u8)));
        let ctx = app.context();
        assert_eq!(view(&app), *v);
        app.handle(ch('?'));
        for (w, h) in SIZES {
            assert_help_lists_every_binding(&mut app, ctx, w, h);
        }
        app.handle(key(KeyCode::Esc));
        assert!(app.overlay.is_none());
    }
}

#[test]
fn snapshots_help() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('?'));
    snap("help_board", &app);
    let mut app = incident_app(fixture(false));
    app.handle(ch('3'));
    app.handle(ch('?'));
    snap("help_messages", &app);
    let mut app = start_app(start_data());
    app.handle(ch('?'));
    snap("help_start", &app);
}

#[test]
fn snapshots_quick_entry_forms() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('n'));
    type_str(&mut app, "Journalist from rbb24 called back");
    assert!(screen(&app, 80, 24).contains("Journalist from rbb24 called back"));
    snap("form_note", &app);

    let mut app = incident_app(fixture(false));
    app.handle(ch('m'));
    assert_eq!(
        form_purpose(&app),
        Some(Purpose::Quick(QuickKind::Milestone))
    );
    let s = screen(&app, 80, 24);
    // Already marked milestones are listed, marked as reached (and cannot be chosen).
    assert!(
        s.lines().any(|l| l.contains("✔") && l.contains("reached")),
        "{s}"
    );
    assert!(s.contains("High risk to data subjects"), "{s}");
    snap("form_milestone_picker", &app);
}

/// The composer as `c` opens it: the first audience (the media) and its own template, the
/// holding statement, already filled in.
fn composer_with_template() -> App {
    let mut app = incident_app(fixture(false));
    app.handle(ch('c'));
    assert_eq!(form_purpose(&app), Some(Purpose::Compose));
    app
}

/// The same, with the focus in the text.
fn composer_on_text() -> App {
    let mut app = composer_with_template();
    for _ in 0..3 {
        app.handle(key(KeyCode::Tab)); // Template, Channel, Text
    }
    let Some(Overlay::Form(_, form)) = &app.overlay else {
        panic!()
    };
    assert_eq!(form.fields[form.focus].label, "Text");
    app
}

#[test]
fn snapshots_composer_with_template_and_blanks() {
    let app = composer_with_template();
    let Some(Overlay::Form(_, form)) = &app.overlay else {
        panic!()
    };
    assert_eq!(form.get("To"), "media");
    assert_eq!(form.get("Template"), "media-holding");
    let text = form.get("Text");
    assert!(
        text.starts_with("Statement from Kestrel Commerce GmbH"),
        "{text}"
    );
    assert!(text.contains("{{fill:what_is_confirmed}}"), "{text}");
    assert!(text.contains("{{fill:customer_advice}}"), "{text}");
    assert!(!text.contains("{{org."), "placeholders are filled: {text}");
    assert_eq!(form.get("Channel"), "press office email / dark site");
    let app = composer_on_text();
    for (w, h) in SIZES {
        let s = screen(&app, w, h);
        assert!(s.contains("2 blank(s) to fill"), "{w}x{h}\n{s}");
        // The editor opens at the first blank to fill.
        assert!(s.contains("{{fill:what_is_confirmed}}"), "{w}x{h}\n{s}");
    }
    snap("composer_template_with_blanks", &app);
}

#[test]
fn composer_blanks_are_highlighted_without_colour() {
    let app = composer_on_text();
    let buf = draw(&app, 120, 40);
    let text = text_of(&buf);
    let (row, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("{{fill:customer_advice}}"))
        .expect("the blank is on screen");
    let col = line
        .chars()
        .take(line.find("{{fill:customer_advice}}").unwrap())
        .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
        .sum::<usize>();
    let cell = &buf[(col as u16 + 2, row as u16)];
    assert!(
        cell.modifier.contains(Modifier::REVERSED),
        "blank at ({col},{row}) is reversed: {cell:?}"
    );
}

#[test]
fn snapshots_approve_and_send_forms() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('3'));
    // The first row is the newest unsent message: the sellers notice, approved by legal.
    app.handle(ch('A'));
    assert_eq!(
        form_purpose(&app),
        Some(Purpose::Approve(id(SELLERS_DRAFT)))
    );
    let Some(Overlay::Form(_, form)) = &app.overlay else {
        panic!()
    };
    assert_eq!(form.get("Role"), "crisis_lead", "the missing role first");
    snap("form_approve", &app);

    app.handle(key(KeyCode::Esc));
    app.handle(ch('S'));
    assert_eq!(form_purpose(&app), Some(Purpose::Send(id(SELLERS_DRAFT))));
    assert!(form_labels(&app).contains(&"Override"));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Override"), "{s}");
    snap("form_send_with_override", &app);
}

#[test]
fn snapshots_command_line_and_search() {
    let mut app = incident_app(fixture(false));
    app.handle(ch(':'));
    type_str(&mut app, "inquiry --from Reuters --within 30m Any comment?");
    assert_eq!(form_purpose(&app), Some(Purpose::Command));
    snap("command_line", &app);

    let mut app = incident_app(fixture(false));
    app.handle(ch('2'));
    app.handle(ch('/'));
    type_str(&mut app, "phishing");
    assert_eq!(form_purpose(&app), Some(Purpose::Search));
    snap("search", &app);
    // Enter applies the search to the timeline.
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    assert!(app.overlay.is_none());
    let s = screen(&app, 120, 40);
    assert!(s.contains("search: phishing"), "{s}");
    assert!(
        s.contains("Call centre briefed; phishing script live"),
        "{s}"
    );
    assert!(!s.contains("Reuters called"), "{s}");
    snap("timeline_searched", &app);
}

#[test]
fn snapshots_exercise_header() {
    let app = incident_app(fixture(true));
    for (w, h) in SIZES {
        let s = screen(&app, w, h);
        let header = s.lines().next().unwrap();
        assert!(header.contains("EXERCISE"), "{w}x{h}: {header}");
        assert!(header.contains("T+04:00:00"), "{w}x{h}: {header}");
    }
    snap("exercise_board", &app);
}

#[test]
fn refusals_and_notices_snapshot() {
    // Approving a draft with blanks: refused with a reason on screen.
    let mut app = incident_app(fixture(false));
    app.handle(ch('3'));
    app.handle(key(KeyCode::Down));
    assert!(app.handle(ch('A')).is_empty());
    snap("refused_approve_blanks", &app);
}

// ---- styles where colour carries meaning ----------------------------------------------------

/// The row and the cells of the overdue banner (the row starting with "✖ OVERDUE").
fn banner_cells(buf: &ratatui::buffer::Buffer) -> (u16, Vec<ratatui::buffer::Cell>) {
    let text = text_of(buf);
    let row = text
        .lines()
        .position(|l| l.trim_start().starts_with("✖ OVERDUE"))
        .expect("an overdue banner") as u16;
    let cells = (0..buf.area.width).map(|x| buf[(x, row)].clone()).collect();
    (row, cells)
}

#[test]
fn overdue_banner_is_red_bold_reversed_in_colour() {
    let app = incident_app_with(fixture(false), Theme { color: true });
    for (w, h) in SIZES {
        let buf = draw(&app, w, h);
        let (row, cells) = banner_cells(&buf);
        let mark = cells
            .iter()
            .find(|c| c.symbol() == "✖")
            .expect("the banner's mark");
        assert_eq!(mark.fg, Color::Red, "row {row}");
        assert!(mark.modifier.contains(Modifier::BOLD), "{mark:?}");
        assert!(mark.modifier.contains(Modifier::REVERSED), "{mark:?}");
        // Every cell of the banner's words carries the same style.
        let line: String = cells.iter().map(|c| c.symbol()).collect();
        let start = line.find("OVERDUE").unwrap();
        let o = &cells[line[..start].chars().count()];
        assert_eq!(o.symbol(), "O");
        assert_eq!(o.fg, Color::Red);
        assert!(o.modifier.contains(Modifier::BOLD | Modifier::REVERSED));
    }
    // Overdue audiences on the Board are red too, and a met one is not.
    let buf = draw(&app, 120, 40);
    let text = text_of(&buf);
    let row = text
        .lines()
        .position(|l| l.contains("All employees"))
        .unwrap() as u16;
    assert_eq!(buf[(0, row)].symbol(), "✖");
    assert_eq!(buf[(0, row)].fg, Color::Red);
}

#[test]
fn without_colour_no_cell_has_a_colour_but_overdue_keeps_its_symbol_and_word() {
    let mut app = incident_app(fixture(false));
    for (i, _) in View::ALL.iter().enumerate() {
        app.handle(ch(char::from(b'1' + i as u8)));
        for (w, h) in SIZES {
            let buf = draw(&app, w, h);
            for c in &buf.content {
                assert_eq!(c.fg, Color::Reset, "{i} {w}x{h}: {c:?}");
                assert!(
                    matches!(c.bg, Color::Reset),
                    "{i} {w}x{h}: background {c:?}"
                );
            }
            let text = text_of(&buf);
            assert!(text.contains("✖ OVERDUE"), "{text}");
            let (_, cells) = banner_cells(&buf);
            let mark = cells.iter().find(|c| c.symbol() == "✖").unwrap();
            // Still the loudest thing on screen: bold and reversed.
            assert!(mark.modifier.contains(Modifier::BOLD | Modifier::REVERSED));
        }
    }
    // The composer's blanks carry no colour either.
    let app = composer_on_text();
    let buf = draw(&app, 120, 40);
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
        "the composer draws without colour"
    );
}

// ---- the app driven by keys -----------------------------------------------------------------

#[test]
fn number_keys_and_tab_switch_views() {
    let mut app = incident_app(fixture(false));
    assert_eq!(view(&app), View::Board);
    assert!(app.handle(ch('2')).is_empty());
    assert_eq!(view(&app), View::Timeline);
    assert_eq!(app.context(), Context::Timeline);
    assert!(screen(&app, 80, 24).contains("[2 Timeline]"));
    for expected in [
        View::Messages,
        View::Media,
        View::Checklist,
        View::Playbook,
        View::Board,
        View::Timeline,
    ] {
        assert!(app.handle(key(KeyCode::Tab)).is_empty());
        assert_eq!(view(&app), expected);
    }
    app.handle(key(KeyCode::BackTab));
    assert_eq!(view(&app), View::Board);
    app.handle(key(KeyCode::BackTab));
    assert_eq!(view(&app), View::Playbook);
    app.handle(ch('6'));
    assert_eq!(view(&app), View::Playbook);
}

#[test]
fn question_mark_opens_help_and_esc_closes_it() {
    let mut app = incident_app(fixture(false));
    assert!(app.handle(ch('?')).is_empty());
    assert!(matches!(app.overlay, Some(Overlay::Help)));
    assert!(screen(&app, 120, 40).contains("Keys on this screen (board)"));
    // Keys other than the closing ones do nothing to the incident underneath.
    assert!(app.handle(ch('n')).is_empty());
    assert!(matches!(app.overlay, Some(Overlay::Help)));
    assert!(app.handle(key(KeyCode::Esc)).is_empty());
    assert!(app.overlay.is_none());
    assert!(app.incident.is_some(), "Esc closed only the help");
    assert!(!app.should_quit);
}

#[test]
fn note_typed_and_entered_appends_exactly_one_note() {
    let mut app = incident_app(fixture(false));
    assert!(app.handle(ch('n')).is_empty());
    assert_eq!(form_purpose(&app), Some(Purpose::Quick(QuickKind::Note)));
    // Letters that are keys elsewhere are just text in a form.
    assert!(type_str(&mut app, "q? Reporter called: 2 more").is_empty());
    let effects = app.handle(key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::Append {
            path: incident_path(),
            body: Body::Note {
                text: "q? Reporter called: 2 more".into()
            },
            at: now(),
        }]
    );
    assert!(app.overlay.is_none());
    assert!(!app.should_quit);
    let iv = app.incident.as_ref().unwrap();
    assert_eq!(iv.save, crisisdesk::tui::app::SaveState::Saving);
    let s = screen(&app, 80, 24);
    assert!(s.contains("… saving"), "{s}");
    assert!(s.contains("note recorded"), "{s}");
}

#[test]
fn empty_note_is_refused_inside_the_form() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('n'));
    assert!(app.handle(key(KeyCode::Enter)).is_empty()); // Text → At
    assert!(app.handle(key(KeyCode::Enter)).is_empty()); // submit
    let err = form_error(&app).expect("refused");
    assert!(err.contains("must not be empty"), "{err}");
}

#[test]
fn back_dated_note_keeps_its_time_and_future_is_refused() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('n'));
    type_str(&mut app, "Earlier call");
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "2026-11-27 12:30"); // Berlin: 11:30 UTC
    let effects = app.handle(key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::Append {
            path: incident_path(),
            body: Body::Note {
                text: "Earlier call".into()
            },
            at: t("2026-11-27T11:30:00Z"),
        }]
    );
    app.handle(ch('n'));
    type_str(&mut app, "From the future");
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "2026-11-27 23:00");
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    assert!(form_error(&app).unwrap().contains("future"));
}

#[test]
fn milestone_picker_appends_the_chosen_milestone() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('m'));
    // Offered: high_risk, nis2_aware, nis2_notified (aware and public are marked).
    app.handle(key(KeyCode::Down));
    let effects: Vec<Effect> = [KeyCode::Enter, KeyCode::Enter, KeyCode::Enter]
        .into_iter()
        .flat_map(|k| app.handle(key(k)))
        .collect();
    assert_eq!(
        effects,
        vec![Effect::Append {
            path: incident_path(),
            body: Body::MilestoneMarked {
                milestone: "nis2_aware".into(),
                text: None
            },
            at: now(),
        }]
    );
}

#[test]
fn command_line_note_appends_a_note() {
    let mut app = incident_app(fixture(false));
    app.handle(ch(':'));
    type_str(&mut app, "note hello world");
    let effects = app.handle(key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::Append {
            path: incident_path(),
            body: Body::Note {
                text: "hello world".into()
            },
            at: now(),
        }]
    );
    assert!(app.overlay.is_none());
}

#[test]
fn command_line_with_an_unknown_id_shows_the_error_in_the_form() {
    let mut app = incident_app(fixture(false));
    app.handle(ch(':'));
    type_str(&mut app, "approve deadbeef --role legal");
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    let err = form_error(&app).expect("an error in the form");
    assert!(err.contains("deadbeef"), "{err}");
    assert_eq!(form_purpose(&app), Some(Purpose::Command));
    let s = screen(&app, 80, 24);
    assert!(s.contains("✖"), "{s}");
    assert!(s.contains("deadbeef"), "{s}");
    snap("command_line_error", &app);

    // An unknown milestone and an unknown kind too.
    let mut app = incident_app(fixture(false));
    app.handle(ch(':'));
    type_str(&mut app, "milestone launch");
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    assert!(form_error(&app).unwrap().contains("launch"));
    let mut app = incident_app(fixture(false));
    app.handle(ch(':'));
    type_str(&mut app, "teleport now");
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    assert!(form_error(&app).is_some());
}

#[test]
fn approving_a_draft_with_blanks_is_refused_with_a_visible_notice() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('3'));
    app.handle(key(KeyCode::Down)); // the Art. 33 draft with a blank
    assert!(app.handle(ch('A')).is_empty());
    assert!(app.overlay.is_none(), "no approval form opens");
    let n = app.notice.as_ref().expect("a notice");
    assert!(n.error);
    assert!(n.text.contains("case_reference"), "{}", n.text);
    for (w, h) in SIZES {
        let s = screen(&app, w, h);
        assert!(s.contains("cannot approve: blanks to fill first"), "{s}");
    }
    // Sending it is refused the same way.
    assert!(app.handle(ch('S')).is_empty());
    assert!(app.overlay.is_none());
    assert!(app.notice.as_ref().unwrap().text.contains("cannot send"));
}

#[test]
fn approving_as_the_missing_role_appends_an_approval() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('3'));
    app.handle(ch('A'));
    let effects: Vec<Effect> = [KeyCode::Enter, KeyCode::Enter]
        .into_iter()
        .flat_map(|k| app.handle(key(k)))
        .collect();
    assert_eq!(
        effects,
        vec![Effect::Append {
            path: incident_path(),
            body: Body::MessageApproved {
                message: id(SELLERS_DRAFT),
                role: "crisis_lead".into(),
                comment: None
            },
            at: now(),
        }]
    );
}

#[test]
fn send_without_approvals_needs_an_override_reason() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('3'));
    assert!(app.handle(ch('S')).is_empty());
    assert_eq!(
        form_labels(&app),
        vec!["Channel", "Fulfils", "Override", "At"]
    );
    // Enter records the send from any field; with no override reason it is refused.
    let effects = app.handle(key(KeyCode::Enter));
    assert!(effects.is_empty(), "{effects:?}");
    let err = form_error(&app).expect("refused");
    assert!(err.contains("cannot be sent"), "{err}");
    assert!(err.contains("crisis_lead"), "{err}");
    let s = screen(&app, 120, 40);
    assert!(s.contains("cannot be sent"), "{s}");
    snap("form_send_refused", &app);
    // The refusal puts the cursor in Override; with a reason it goes, and is recorded.
    type_str(&mut app, "CEO unreachable, sellers calling");
    let effects = app.handle(key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::Append {
            path: incident_path(),
            body: Body::MessageSent {
                stakeholder: "sellers".into(),
                message: Some(id(SELLERS_DRAFT)),
                text: None,
                channel: Some("seller portal banner".into()),
                fulfils: None,
                override_reason: Some("CEO unreachable, sellers calling".into()),
            },
            at: now(),
        }]
    );
}

#[test]
fn q_quits_and_key_releases_are_ignored() {
    let mut app = incident_app(fixture(false));
    assert!(app.handle(release('q')).is_empty());
    assert!(!app.should_quit, "a release is not a press");
    assert!(app.handle(release('2')).is_empty());
    assert_eq!(view(&app), View::Board);
    assert!(!app.dirty, "a release does not even redraw");
    assert!(app.handle(ch('q')).is_empty());
    assert!(app.should_quit);

    let mut app = start_app(start_data());
    app.handle(ch('q'));
    assert!(app.should_quit);
}

#[test]
fn esc_on_an_incident_goes_back_to_the_start_screen() {
    let mut app = incident_app(fixture(false));
    let effects = app.handle(key(KeyCode::Esc));
    // The incident is left (the other consoles stop showing this one) and the list read.
    assert_eq!(effects, vec![Effect::Leave, Effect::LoadStart]);
    assert!(app.incident.is_none());
    assert_eq!(app.context(), Context::Start);
    assert!(!app.should_quit);
    let s = screen(&app, 80, 24);
    assert!(s.contains("incidents and playbooks"), "{s}");
}

#[test]
fn start_screen_enter_opens_an_incident_or_starts_one_from_a_playbook() {
    let mut app = start_app(start_data());
    // Row 0 is the open incident.
    assert_eq!(
        app.handle(key(KeyCode::Enter)),
        vec![Effect::Open(incident_path())]
    );
    // Rows 2… are the playbooks, in catalog order.
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Down)); // the second playbook: data-breach
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    assert_eq!(
        form_purpose(&app),
        Some(Purpose::NewIncident { exercise: false })
    );
    let Some(Overlay::Form(_, form)) = &app.overlay else {
        panic!()
    };
    assert_eq!(form.get("Playbook"), "data-breach");
    assert_eq!(form.focus, 1, "the title has focus");
    type_str(&mut app, "Customer data on a forum");
    // Title → Severity → Detected at (pre-filled with now) → submit.
    let effects: Vec<Effect> = [KeyCode::Enter, KeyCode::Enter, KeyCode::Enter]
        .into_iter()
        .flat_map(|k| app.handle(key(k)))
        .collect();
    assert_eq!(
        effects,
        vec![Effect::Create {
            playbook: "data-breach".into(),
            title: "Customer data on a forum".into(),
            severity: "low".into(),
            detected_at: now(),
            exercise: false,
        }]
    );
}

#[test]
fn new_incident_without_title_is_refused() {
    let mut app = start_app(empty_start_data());
    app.handle(ch('X'));
    assert_eq!(
        form_purpose(&app),
        Some(Purpose::NewIncident { exercise: true })
    );
    let effects: Vec<Effect> = (0..4)
        .flat_map(|_| app.handle(key(KeyCode::Enter)))
        .collect();
    assert!(effects.is_empty());
    assert!(form_error(&app).unwrap().contains("title"));
}

#[test]
fn composer_saves_a_draft_with_ctrl_s() {
    let mut app = composer_with_template();
    let effects = app.handle(ctrl('s'));
    assert_eq!(effects.len(), 1, "{effects:?}");
    let Effect::Append { body, at, .. } = &effects[0] else {
        panic!("{effects:?}")
    };
    assert_eq!(*at, now());
    let Body::MessageDrafted {
        stakeholder,
        template,
        channel,
        text,
    } = body
    else {
        panic!("{body:?}")
    };
    assert_eq!(stakeholder, "media");
    assert_eq!(template.as_deref(), Some("media-holding"));
    assert_eq!(channel.as_deref(), Some("press office email / dark site"));
    assert!(text.contains("{{fill:what_is_confirmed}}"));
}

#[test]
fn answering_and_ticking_append_the_right_events() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('4'));
    app.handle(ch('r'));
    assert_eq!(
        form_purpose(&app),
        Some(Purpose::Answer(id(OVERDUE_INQUIRY)))
    );
    type_str(&mut app, "We will not speculate on numbers.");
    let effects = app.handle(key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::Append {
            path: incident_path(),
            body: Body::InquiryAnswered {
                inquiry: id(OVERDUE_INQUIRY),
                text: "We will not speculate on numbers.".into()
            },
            at: now(),
        }]
    );
    app.handle(ch('5'));
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Down)); // third item: h1-assemble
    let effects = app.handle(ch('x'));
    assert_eq!(
        effects,
        vec![Effect::Append {
            path: incident_path(),
            body: Body::ChecklistDone {
                item: "h1-assemble".into()
            },
            at: now(),
        }]
    );
}

#[test]
fn saved_and_failed_appends_show_on_the_header() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('n'));
    type_str(&mut app, "x");
    app.handle(key(KeyCode::Enter));
    app.handle(crisisdesk::tui::app::Msg::Saved(Err("disk full".into())));
    let s = screen(&app, 80, 24);
    assert!(s.contains("✖ NOT SAVED"), "{s}");
    assert!(s.contains("NOT SAVED — what you typed is kept"), "{s}");
    assert!(screen(&app, 120, 40).contains("(disk full)"));
    // The text comes back with its key, and Enter tries again.
    app.handle(ch('n'));
    assert!(form_error(&app).is_some_and(|e| e.contains("disk full")));
    let effects = app.handle(key(KeyCode::Enter));
    assert!(
        matches!(&effects[..], [Effect::Append { body: Body::Note { text }, .. }] if text == "x"),
        "{effects:?}"
    );
    app.handle(crisisdesk::tui::app::Msg::Saved(Ok(Box::new(fixture(
        false,
    )))));
    assert!(screen(&app, 80, 24).contains("✔ saved"));
    assert!(app.stash.is_empty(), "nothing left to bring back");
}

#[test]
fn the_clock_ticks_the_header() {
    let mut app = incident_app(fixture(false));
    assert!(app.has_clocks());
    app.handle(crisisdesk::tui::app::Msg::Tick(t("2026-11-27T12:00:07Z")));
    assert!(screen(&app, 80, 24).contains("T+04:00:07"));
}

// ---- untrusted text -------------------------------------------------------------------------

const HOSTILE: &str =
    "A\x1b[2JB\x1b]0;pwned\x07C\u{9b}31mD\u{202e}gnp.exe\u{2066}E\u{200b}F\u{feff}G\tH\r\nI\u{7f}J";
const CJK: &str = "東京本社で漏洩";
const EMOJI: &str = "🔥🚨";

fn hostile_journal() -> Journal {
    let long_word: String = "x".repeat(5_000);
    // A playbook whose own text is hostile too: its summary and a key message.
    let source = data_breach_source()
        .replacen(
            "\"summary\": \"",
            "\"summary\": \"\\u001b[31mRED\\u001b]0;pwned\\u0007 \\u202e\\u2066 ",
            1,
        )
        .replacen(
            "\"key_messages\": [",
            "\"key_messages\": [\"\\u001b[2J\\u009b1m 東京 🔥 \\u200b\\u202e\",",
            1,
        );
    let mut j = Journal { events: Vec::new() };
    j.push(
        1,
        "2026-11-27T08:00:00Z",
        Body::IncidentOpened {
            title: format!("{HOSTILE} {CJK} {EMOJI} {long_word}"),
            playbook_id: "data-breach".into(),
            playbook_source: source,
            severity: "low".into(),
            detected_at: t("2026-11-27T08:00:00Z"),
            exercise: false,
        },
    );
    j.push(
        2,
        "2026-11-27T09:00:00Z",
        Body::Note {
            text: format!("{HOSTILE} {CJK}{EMOJI}"),
        },
    )
    .push(
        3,
        "2026-11-27T09:10:00Z",
        Body::Note {
            text: format!("{long_word} {CJK}"),
        },
    )
    .push(
        4,
        "2026-11-27T09:20:00Z",
        Body::MediaInquiry {
            from: format!("{HOSTILE} 日経新聞"),
            journalist: Some(HOSTILE.into()),
            question: format!("{HOSTILE} {EMOJI} {long_word}"),
            reply_within: Some("1h".parse().unwrap()),
        },
    )
    .push(
        5,
        "2026-11-27T09:30:00Z",
        Body::MessageDrafted {
            stakeholder: "media".into(),
            template: None,
            channel: Some(HOSTILE.into()),
            text: format!("{HOSTILE}\n{CJK} {EMOJI}\n{long_word}"),
        },
    )
    .push(
        6,
        "2026-11-27T09:40:00Z",
        Body::MediaMention {
            source: HOSTILE.into(),
            url: None,
            text: format!("{HOSTILE} {EMOJI}"),
            sentiment: Some(HOSTILE.into()),
        },
    )
    .push(
        7,
        "2026-11-27T09:50:00Z",
        Body::ActionAdded {
            text: format!("{HOSTILE} {CJK}"),
            owner: None,
            due: None,
        },
    )
    .push(
        8,
        "2026-11-27T11:59:00Z",
        Body::Note {
            text: format!("newest {CJK} {EMOJI} end"),
        },
    );
    j
}

fn assert_terminal_safe(buf: &ratatui::buffer::Buffer, what: &str) {
    for (i, c) in buf.content.iter().enumerate() {
        let sym = c.symbol();
        assert!(
            !sym.chars()
                .any(|ch| ch == '\x1b' || crisisdesk::sanitize::is_unsafe(ch)),
            "{what}: cell {i} holds {sym:?}"
        );
    }
}

#[test]
fn untrusted_text_never_reaches_the_terminal() {
    let mut app = incident_app(hostile_journal().loaded());
    let mut seen = String::new();
    let mut check = |app: &App, what: &str| {
        for (w, h) in SIZES {
            let buf = draw(app, w, h);
            assert_terminal_safe(&buf, &format!("{what} {w}x{h}"));
            let s = text_of(&buf);
            // The header's right side is never pushed off by a long title.
            if app.overlay.is_none() {
                assert!(
                    s.lines().next().unwrap().contains("T+04:00:00"),
                    "{what}\n{s}"
                );
            }
            assert!(!s.contains("pwned\u{7}"));
            seen.push_str(&s);
        }
    };
    for (i, name) in [
        "board",
        "timeline",
        "messages",
        "media",
        "checklist",
        "playbook",
    ]
    .iter()
    .enumerate()
    {
        app.handle(ch(char::from(b'1' + i as u8)));
        check(&app, name);
    }
    // The timeline's newest entry carries CJK and emoji.
    app.handle(ch('2'));
    let s = screen(&app, 120, 40);
    assert!(s.contains(&format!("newest {CJK} {EMOJI} end")), "{s}");
    // Forms show untrusted text too (the composer fills from the hostile playbook; the
    // answer form names the outlet).
    app.handle(ch('c'));
    check(&app, "composer");
    app.handle(key(KeyCode::Esc));
    app.handle(ch('4'));
    app.handle(ch('r'));
    check(&app, "answer form");
    app.handle(key(KeyCode::Esc));
    app.handle(ch('?'));
    check(&app, "help");
    assert!(seen.contains(CJK), "CJK text is shown");
    assert!(seen.contains(EMOJI), "emoji are shown");
    assert!(seen.contains("日経新聞"));
    assert!(seen.contains("東京"), "the playbook's own text is shown");

    // The start screen lists hostile titles and playbooks safely too.
    let mut data = start_data();
    data.incidents[0].title = format!("{CJK} {EMOJI} {HOSTILE}");
    data.incidents[1].severity = HOSTILE.into();
    let mut app = start_app(data);
    for (w, h) in SIZES {
        let buf = draw(&app, w, h);
        assert_terminal_safe(&buf, "start");
        assert!(text_of(&buf).contains(CJK));
    }
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Down));
    app.handle(ch('p'));
    for (w, h) in SIZES {
        assert_terminal_safe(&draw(&app, w, h), "preview");
    }
}

#[test]
fn a_million_entry_timeline_renders_only_what_is_visible() {
    const N: usize = 1_000_000;
    let started = std::time::Instant::now();
    let opened = Journal::opened(TITLE, false);
    let mut events: Vec<Stored<Event>> = Vec::with_capacity(N + 1);
    events.extend(opened.events);
    let origin = Origin {
        author: "anna@laptop".into(),
        console: "anna-laptop-0001".into(),
    };
    let base = t("2026-11-27T08:00:00Z").as_second();
    for n in 1..=N {
        // One entry a tenth of a second apart, all before "now".
        let at =
            jiff::Timestamp::new(base + (n / 100) as i64, ((n % 100) * 10_000_000) as i32).unwrap();
        events.push(Stored {
            console: "anna-laptop-0001".into(),
            seq: n as u64 + 1,
            entry: Event::new(
                id(1_000_000_000 + n as u128),
                at,
                at,
                &origin,
                Body::Note {
                    text: format!("entry {n}"),
                },
            ),
        });
    }
    let incident = crisisdesk::incident::fold(&events).expect("folds");
    assert_eq!(incident.order.len(), N + 1);
    let built = started.elapsed();
    let check = crisisdesk::check::Checked::new(&incident, &events);
    let loaded = crisisdesk::tui::app::Loaded {
        path: incident_path(),
        console: String::new(),
        check,
        events: crisisdesk::tui::app::Entries::new(events),
        incident: Arc::new(incident),
        health: crisisdesk::incident::status::JournalHealth {
            files: 1,
            consoles: 1,
            torn_tails: 0,
            corrupt_lines: 0,
            integrity: "ok".into(),
            ..Default::default()
        },
    };
    let mut app = incident_app(loaded);
    app.handle(ch('2'));
    let frame = std::time::Instant::now();
    for (w, h) in SIZES {
        let s = screen(&app, w, h);
        assert!(
            s.contains(&format!("entry {N}")),
            "the newest entry shows:\n{s}"
        );
        assert!(s.contains(&format!("entry {} of {}", N + 1, N + 1)), "{s}");
        assert!(!s.lines().any(|l| l.ends_with("entry 1")), "{s}");
    }
    // Scrolling to the top and back is instant too.
    app.handle(key(KeyCode::Home));
    assert!(screen(&app, 80, 24).contains("incident opened"));
    app.handle(key(KeyCode::End));
    assert!(screen(&app, 80, 24).contains(&format!("entry {N}")));
    let frames = frame.elapsed();
    // Generous: six frames of a debug build; only the visible rows are built.
    assert!(
        frames < std::time::Duration::from_secs(2),
        "frames took {frames:?} (building and folding took {built:?})"
    );
}

#[test]
fn help_and_playbook_preview_scroll_when_taller_than_the_screen() {
    // Help on the board has more keys than 24 rows hold: the title says so, and it pages.
    let mut app = incident_app(fixture(false));
    app.handle(ch('?'));
    let top = window_text(&draw(&app, 80, 24), "Help");
    assert!(screen(&app, 80, 24).contains("PgUp PgDn scroll"));
    assert!(top.contains("show every key"), "{top}");
    app.handle(key(KeyCode::End));
    let end = window_text(&draw(&app, 80, 24), "Help");
    assert!(end.contains("Esc keeps it"), "the last line:\n{end}");
    assert!(!end.contains("show every key"), "{end}");
    app.handle(key(KeyCode::Home));
    assert_eq!(window_text(&draw(&app, 80, 24), "Help"), top);
    // At 200×60 it all fits: no scrolling offered.
    assert!(!screen(&app, 200, 60).contains("PgUp PgDn scroll"));

    // The playbook preview reaches its templates.
    let mut app = start_app(empty_start_data());
    app.handle(key(KeyCode::Down));
    app.handle(ch('p'));
    assert!(!screen(&app, 80, 24).contains("TEMPLATES"));
    app.handle(key(KeyCode::End));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Personal data breach — line"), "{s}");
    app.handle(key(KeyCode::Home));
    for _ in 0..200 {
        if screen(&app, 80, 24).contains("TEMPLATES") {
            break;
        }
        app.handle(key(KeyCode::PageDown));
    }
    let s = screen(&app, 80, 24);
    assert!(s.contains("TEMPLATES"), "{s}");
    assert!(matches!(app.overlay, Some(Overlay::PlaybookPreview(_))));
    app.handle(key(KeyCode::Esc));
    assert!(app.overlay.is_none());
}

#[test]
fn composer_text_can_be_replaced_whole_with_select_all() {
    // Ctrl-a selects the whole text (wherever the cursor is); typing replaces it.
    use crossterm::event::{KeyEvent, KeyModifiers};
    let mut app = composer_on_text();
    app.handle(crisisdesk::tui::app::Msg::Key(KeyEvent::new(
        KeyCode::Char('a'),
        KeyModifiers::CONTROL,
    )));
    type_str(&mut app, "Short statement.");
    let Some(Overlay::Form(_, form)) = &app.overlay else {
        panic!()
    };
    assert_eq!(form.get("Text"), "Short statement.");
    assert_eq!(form.get("Template"), "media-holding", "the template stays");
}

#[test]
fn before_detection_the_header_counts_down() {
    // A clock behind the detection time (a pinned clock, a machine set wrong): T-, not T+.
    let mut app = incident_app(fixture(false));
    app.handle(crisisdesk::tui::app::Msg::Tick(t("2026-11-27T06:30:05Z")));
    let s = screen(&app, 80, 24);
    assert!(s.contains("T-01:29:55"), "{s}");
    app.handle(crisisdesk::tui::app::Msg::Tick(t("2026-11-27T09:00:00Z")));
    assert!(screen(&app, 80, 24).contains("T+01:00:00"));
}

#[test]
fn w_writes_the_report_on_the_worker_not_the_screen() {
    let mut app = incident_app(fixture(false));
    let effects = app.handle(ch('W'));
    assert_eq!(effects, vec![Effect::WriteReport(incident_path())]);
    let s = screen(&app, 80, 24);
    assert!(s.contains("writing the report"), "{s}");
}

#[test]
fn a_damaged_journal_is_named_in_the_header_at_every_size() {
    // Issue 9, item 7: the console says when the record it shows is damaged. On the tab line
    // the mark was cut off at 80 columns ("journal: corrup"); it goes with the clock now.
    for exercise in [false, true] {
        let mut loaded = fixture(exercise);
        loaded.health.integrity = "corrupt".into();
        let app = incident_app(loaded);
        for (w, h) in [(80, 24), (120, 40), (200, 60)] {
            let s = screen(&app, w, h);
            let header = s.lines().next().unwrap_or_default();
            assert!(
                header.contains("journal: corrupt"),
                "exercise={exercise} {w}x{h}:\n{s}"
            );
            assert!(header.contains("T+"), "the clock still shows: {header}");
        }
    }
    // A sound journal says nothing.
    let app = incident_app(fixture(false));
    assert!(!screen(&app, 80, 24).contains("journal:"));
}
