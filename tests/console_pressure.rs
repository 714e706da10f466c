//! The console under pressure (issue 12), driven through `App::handle` like a person at the
//! keys: nothing typed is lost, the composer never keeps the wrong audience's words, every
//! text can be read whole, every mistake corrected. Fixed clock and ids (`tests/common`).

mod common;

use std::path::PathBuf;

use common::*;
use crisisdesk::incident::event::Body;
use crisisdesk::tui::app::{App, Confirm, Effect, Msg, Overlay, Purpose};
use crisisdesk::tui::form::{Ask, Form};
use crossterm::event::KeyCode;

fn form(app: &App) -> &Form {
    match &app.overlay {
        Some(Overlay::Form(_, f)) => f,
        other => panic!("no form open: {other:?}"),
    }
}

fn purpose(app: &App) -> Option<Purpose> {
    match &app.overlay {
        Some(Overlay::Form(p, _)) => Some(p.clone()),
        _ => None,
    }
}

fn focused(app: &App) -> &'static str {
    let f = form(app);
    f.fields[f.focus].label
}

fn notice(app: &App) -> String {
    app.notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

fn appended(effects: &[Effect]) -> Vec<&Body> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Append { body, .. } => Some(body),
            _ => None,
        })
        .collect()
}

// ---- 1. $EDITOR: the edited text survives any failure ----------------------------------------

fn kept_file() -> PathBuf {
    PathBuf::from("/kept/drafts/inc-msg.txt")
}

#[test]
fn an_edited_text_is_recorded_and_its_kept_file_goes_only_once_saved() {
    let mut app = incident_app(fixture(false));
    let effects = app.handle(Msg::Edited {
        message: id(DPA_DRAFT),
        before: "old".into(),
        text: Some("The new text, every blank filled.".into()),
        failure: None,
        file: kept_file(),
    });
    assert!(matches!(
        appended(&effects)[..],
        [Body::MessageEdited { text, .. }] if text == "The new text, every blank filled."
    ));
    // The kept file goes after the append, and only if it reached the disk.
    assert_eq!(
        effects.last(),
        Some(&Effect::ForgetKeptIfSaved(kept_file()))
    );
}

#[test]
fn a_failed_editor_leaves_its_text_in_the_edit_form_and_on_disk() {
    let mut app = incident_app(fixture(false));
    let effects = app.handle(Msg::Edited {
        message: id(DPA_DRAFT),
        before: "old".into(),
        text: Some("Half of what I wrote".into()),
        failure: Some("the editor (vi) exited with exit status: 1".into()),
        file: kept_file(),
    });
    assert!(effects.is_empty(), "nothing recorded, nothing removed");
    assert_eq!(purpose(&app), Some(Purpose::Edit(id(DPA_DRAFT))));
    assert_eq!(form(&app).get("Text"), "Half of what I wrote");
    let err = form(&app).error.clone().unwrap();
    assert!(err.contains("exited with"), "{err}");
    assert!(err.contains("/kept/drafts/inc-msg.txt"), "{err}");
    // Saving it records the edit and lets the kept file go.
    let effects = app.handle(ctrl('s'));
    assert!(matches!(
        appended(&effects)[..],
        [Body::MessageEdited { text, .. }] if text == "Half of what I wrote"
    ));
    assert_eq!(
        effects.last(),
        Some(&Effect::ForgetKeptIfSaved(kept_file()))
    );
}

#[test]
fn an_edit_the_incident_refuses_stays_in_the_form_with_the_reason() {
    let mut app = incident_app(fixture(false));
    // The holding statement was sent: an edit of it is refused.
    let effects = app.handle(Msg::Edited {
        message: id(HOLDING),
        before: "old".into(),
        text: Some("Too late to change".into()),
        failure: None,
        file: kept_file(),
    });
    assert!(effects.is_empty());
    assert_eq!(form(&app).get("Text"), "Too late to change");
    assert!(form(&app).error.as_ref().unwrap().contains("already sent"));
    // Discarding it is the person's choice, asked for, and removes the kept file.
    assert!(app.handle(key(KeyCode::Esc)).is_empty());
    assert_eq!(form(&app).ask, Some(Ask::Discard));
    assert_eq!(app.handle(ch('y')), vec![Effect::ForgetKept(kept_file())]);
    assert!(app.overlay.is_none());
}

#[test]
fn an_unchanged_text_records_nothing() {
    let mut app = incident_app(fixture(false));
    let effects = app.handle(Msg::Edited {
        message: id(DPA_DRAFT),
        before: "same".into(),
        text: Some("same".into()),
        failure: None,
        file: kept_file(),
    });
    assert_eq!(effects, vec![Effect::ForgetKept(kept_file())]);
    assert!(notice(&app).contains("unchanged"));
}

#[test]
fn texts_kept_from_a_console_that_died_are_offered_when_the_incident_opens() {
    let mut app = incident_app(fixture(false));
    let kept = |n: u128, text: &str| crisisdesk::tui::editor::KeptText {
        message: id(DPA_DRAFT),
        text: text.into(),
        file: PathBuf::from(format!("/kept/{n}.txt")),
    };
    app.handle(Msg::Kept(vec![
        kept(1, "Recovered words"),
        kept(2, "More words"),
    ]));
    assert_eq!(purpose(&app), Some(Purpose::Edit(id(DPA_DRAFT))));
    assert_eq!(form(&app).get("Text"), "Recovered words");
    assert!(form(&app).error.as_ref().unwrap().contains("Recovered"));
    // Discard the first: the second comes next.
    app.handle(key(KeyCode::Esc));
    assert_eq!(
        app.handle(ch('y')),
        vec![Effect::ForgetKept(PathBuf::from("/kept/1.txt"))]
    );
    assert_eq!(form(&app).get("Text"), "More words");
}

// ---- 2. Esc never throws typed text away -----------------------------------------------------

#[test]
fn esc_on_an_untouched_form_closes_it_at_once() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('n'));
    app.handle(key(KeyCode::Esc));
    assert!(app.overlay.is_none());
}

#[test]
fn esc_with_typed_text_asks_and_a_second_esc_keeps_it_for_later() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('n'));
    type_str(&mut app, "Reuters wants a call back at 14:00");
    app.handle(key(KeyCode::Esc));
    assert_eq!(form(&app).ask, Some(Ask::Discard));
    for (w, h) in [(80, 24), (120, 40)] {
        let s = screen(&app, w, h);
        assert!(s.contains("y discard it"), "{w}x{h}\n{s}");
    }
    // Any other key: back to the form, text intact (the key only answers).
    app.handle(ch('x'));
    assert_eq!(form(&app).ask, None);
    assert_eq!(form(&app).get("Text"), "Reuters wants a call back at 14:00");
    // Esc, Esc: kept for later; the same key brings it back.
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Esc));
    assert!(app.overlay.is_none());
    assert!(
        notice(&app).contains("n brings it back"),
        "{}",
        notice(&app)
    );
    app.handle(ch('n'));
    assert_eq!(form(&app).get("Text"), "Reuters wants a call back at 14:00");
    // Esc, y: discarded; the next note starts empty.
    app.handle(key(KeyCode::Esc));
    app.handle(ch('y'));
    assert!(app.overlay.is_none());
    app.handle(ch('n'));
    assert_eq!(form(&app).get("Text"), "");
}

#[test]
fn quitting_with_text_kept_for_later_asks_first() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('c'));
    for _ in 0..3 {
        app.handle(key(KeyCode::Tab));
    }
    type_str(&mut app, "Our own words");
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Esc));
    app.handle(ch('q'));
    assert!(!app.should_quit);
    assert!(matches!(
        &app.overlay,
        Some(Overlay::Confirm(Confirm::Leave { quit: true, unsaved })) if unsaved.len() == 1
    ));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Quitting now throws it away"), "{s}");
    app.handle(ch('x'));
    assert!(!app.should_quit && app.overlay.is_none());
    app.handle(ch('q'));
    app.handle(ch('y'));
    assert!(app.should_quit);
}

// ---- 3. The composer follows the audience and the template ------------------------------------

fn composer(app: &mut App) {
    app.handle(ch('c'));
    assert_eq!(purpose(app), Some(Purpose::Compose));
}

/// Moves the focused choice down until `field` has `value`.
fn choose(app: &mut App, field: &str, value: &str) {
    while focused(app) != field {
        app.handle(key(KeyCode::Tab));
    }
    for _ in 0..40 {
        if form(app).get(field) == value {
            return;
        }
        app.handle(key(KeyCode::Down));
    }
    panic!("{field} never became {value}");
}

#[test]
fn a_new_template_brings_its_channel_and_text_and_blank_means_empty() {
    let mut app = incident_app(fixture(false));
    composer(&mut app);
    assert_eq!(form(&app).get("Channel"), "press office email / dark site");
    choose(&mut app, "Template", "");
    assert_eq!(form(&app).get("Text"), "", "(blank) is a blank text");
    assert_eq!(
        form(&app).get("Channel"),
        "",
        "and no channel of another template"
    );
    // The employees: their memo's channel, not the press office's.
    let mut app = incident_app(fixture(false));
    composer(&mut app);
    choose(&mut app, "To", "employees");
    assert_eq!(form(&app).get("Template"), "staff-memo");
    assert_eq!(form(&app).get("Channel"), "intranet and all-staff email");
    assert!(
        form(&app).get("Text").contains("Colleagues"),
        "{}",
        form(&app).get("Text")
    );
}

#[test]
fn a_new_template_asks_before_replacing_text_the_person_typed() {
    let mut app = incident_app(fixture(false));
    composer(&mut app);
    while focused(&app) != "Text" {
        app.handle(key(KeyCode::Tab));
    }
    app.handle(ctrl('a'));
    type_str(&mut app, "My own statement");
    // Back to the template, another one.
    app.handle(key(KeyCode::BackTab));
    app.handle(key(KeyCode::BackTab));
    assert_eq!(focused(&app), "Template");
    app.handle(key(KeyCode::Down));
    assert!(matches!(form(&app).ask, Some(Ask::Replace { .. })));
    assert!(screen(&app, 80, 24).contains("y replace"));
    // The channel follows the template at once; the text waits for the answer.
    assert_eq!(form(&app).get("Text"), "My own statement");
    app.handle(ch('n'));
    assert_eq!(form(&app).get("Text"), "My own statement");
    app.handle(key(KeyCode::Down));
    app.handle(ch('y'));
    assert_ne!(form(&app).get("Text"), "My own statement");
}

// ---- 4. Blanks are selected: typing replaces them, Tab goes to the next ------------------------

#[test]
fn typing_at_a_blank_replaces_it_and_tab_moves_between_blanks() {
    let mut app = incident_app(fixture(false));
    composer(&mut app);
    for _ in 0..3 {
        app.handle(key(KeyCode::Tab));
    }
    assert_eq!(focused(&app), "Text");
    type_str(&mut app, "names were copied");
    let text = form(&app).get("Text");
    assert!(!text.contains("{{fill:what_is_confirmed}}"), "{text}");
    assert!(text.contains("names were copied"), "{text}");
    // Tab: the next blank, selected.
    app.handle(key(KeyCode::Tab));
    assert_eq!(focused(&app), "Text");
    type_str(&mut app, "change your password");
    let text = form(&app).get("Text");
    assert!(!text.contains("{{fill:"), "{text}");
    assert!(text.contains("change your password"), "{text}");
    // No blank left: Tab goes on to the next field.
    app.handle(key(KeyCode::Tab));
    assert_eq!(focused(&app), "To");
    // Shift-Tab from the text with a blank behind the cursor goes back to it.
    let mut app = incident_app(fixture(false));
    composer(&mut app);
    for _ in 0..4 {
        app.handle(key(KeyCode::Tab)); // to the text, then its second blank
    }
    app.handle(key(KeyCode::BackTab));
    type_str(&mut app, "X");
    let text = form(&app).get("Text");
    assert!(!text.contains("{{fill:what_is_confirmed}}"), "{text}");
    assert!(text.contains("{{fill:customer_advice}}"), "{text}");
}
