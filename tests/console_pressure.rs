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

// ---- 7. Every row opens in full -------------------------------------------------------------

fn page(app: &App) -> &crisisdesk::tui::app::Page {
    match &app.overlay {
        Some(Overlay::Page(p)) => p,
        other => panic!("no page open: {other:?}"),
    }
}

/// Snapshots at both sizes as `NAME_80x24` and `NAME_120x40`.
fn snap(name: &str, app: &App) {
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let id = format!("{name}_{w}x{h}");
        insta::assert_snapshot!(id.as_str(), screen(app, w, h));
    }
}

#[test]
fn enter_on_an_inquiry_shows_the_whole_question_its_times_and_its_answer() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('4'));
    // Open first: the overdue one; the answered one is below it.
    app.handle(key(KeyCode::Down));
    app.handle(key(KeyCode::Enter));
    let p = page(&app);
    assert_eq!(p.entry, Some(id(ANSWERED_INQUIRY)));
    let all = p.lines.join("\n");
    assert!(
        all.contains("Will the CEO give an interview tonight?"),
        "{all}"
    );
    assert!(
        all.contains("by: ben@desk on console ben-desk-0001"),
        "{all}"
    );
    assert!(all.contains("UTC)"), "local and UTC: {all}");
    assert!(all.contains("WHAT REFERS TO IT"), "{all}");
    assert!(all.contains("↳ answered"), "{all}");
    snap("detail_inquiry", &app);
    app.handle(key(KeyCode::Esc));
    assert!(app.overlay.is_none());
}

#[test]
fn enter_on_a_message_shows_its_text_approvals_and_comments() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('3'));
    app.handle(key(KeyCode::End)); // the sent holding statement is last
    app.handle(key(KeyCode::Enter));
    let all = page(&app).lines.join("\n");
    assert!(all.contains("✔ approved by legal"), "{all}");
    assert!(all.contains("➜ sent"), "{all}");
    assert!(all.contains("met the deadline"), "{all}");
    assert!(all.contains("TEXT"), "{all}");
    assert!(all.contains("Change your Kestrel password"), "{all}");
    snap("detail_message", &app);
}

#[test]
fn enter_on_an_audience_shows_every_deadline_with_due_time_and_basis() {
    let mut app = incident_app(fixture(false));
    let mut found = false;
    for _ in 0..12 {
        app.handle(key(KeyCode::Enter));
        let all = page(&app).lines.join("\n");
        app.handle(key(KeyCode::Esc));
        if all.contains("Lead supervisory") {
            assert!(all.contains("GDPR Art. 33"), "{all}");
            assert!(all.contains("due "), "{all}");
            found = true;
            break;
        }
        app.handle(key(KeyCode::Down));
    }
    assert!(found, "the supervisory authority is on the board");
}

// ---- 8. The Board shows due times and uses wide screens ---------------------------------------

#[test]
fn the_board_shows_due_times_bases_and_on_tall_screens_every_clock() {
    let app = incident_app(fixture(false));
    let s = screen(&app, 120, 40);
    assert!(s.contains("basis"), "{s}");
    assert!(s.contains("Mon 09:30"), "the due time with its day:\n{s}");
    let s = screen(&app, 200, 60);
    assert!(s.contains("Legal and policy clocks"), "{s}");
    assert!(s.contains("GDPR Art. 33"), "{s}");
    assert!(
        s.contains("Lead supervisory authority"),
        "names in full:\n{s}"
    );
    let s = screen(&app, 80, 24);
    assert!(s.contains("Fri 10:45"), "{s}");
}

#[test]
fn the_timeline_stays_at_the_newest_entry_when_more_arrive() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('2'));
    app.handle(key(KeyCode::End));
    let mut j = fixture_journal(false);
    j.push_ben(
        90,
        "2026-11-27T11:59:00Z",
        Body::Note {
            text: "The newest of all".into(),
        },
    );
    app.handle(Msg::Refreshed(Box::new(j.loaded())));
    let s = screen(&app, 80, 24);
    assert!(s.contains("The newest of all"), "{s}");
    let n = app.incident.as_ref().unwrap().data.events.len();
    assert!(s.contains(&format!("entry {n} of {n}")), "{s}");
}

// ---- 9. Amend, retract, untick ----------------------------------------------------------------

#[test]
fn e_amends_and_r_retracts_the_selected_entry() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('2'));
    app.handle(key(KeyCode::End)); // "Call centre briefed; phishing script live"
    app.handle(ch('E'));
    assert_eq!(purpose(&app), Some(Purpose::Amend(id(26))));
    assert_eq!(
        form(&app).get("Text"),
        "Call centre briefed; phishing script live"
    );
    app.handle(ctrl('a'));
    type_str(&mut app, "Call centre briefed; script live at 12:30");
    let effects = app.handle(ctrl('s'));
    assert!(matches!(
        appended(&effects)[..],
        [Body::Amend { target, text: Some(t), .. }] if *target == id(26) && t.contains("12:30")
    ));
    // From the detail too: Enter, then R, a reason, Enter.
    app.handle(key(KeyCode::Enter));
    app.handle(ch('R'));
    assert_eq!(purpose(&app), Some(Purpose::Retract(id(26))));
    type_str(&mut app, "logged on the wrong incident");
    let effects = app.handle(key(KeyCode::Enter));
    assert!(matches!(
        appended(&effects)[..],
        [Body::Retract { target, reason }] if *target == id(26) && reason.contains("wrong")
    ));
}

#[test]
fn x_on_a_ticked_item_unticks_it_on_record() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('5'));
    app.handle(key(KeyCode::Home)); // "Open the incident log", ticked
    let effects = app.handle(ch('x'));
    assert!(matches!(
        appended(&effects)[..],
        [Body::ChecklistUndone { item, .. }] if item == "h1-open-log"
    ));
    assert!(notice(&app).contains("unticked"));
}

// ---- 10. The milestone picker: every milestone, always in the same place ----------------------

#[test]
fn the_milestone_picker_lists_reached_ones_but_skips_them_and_shows_the_clocks() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('m'));
    let f = form(&app);
    let crisisdesk::tui::form::Input::Choice { options, selected } = &f.fields[0].input else {
        panic!()
    };
    let pb_order: Vec<&str> = options.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(pb_order.len(), 5, "all five, reached or not: {pb_order:?}");
    assert_eq!(
        pb_order[*selected], "high_risk",
        "the first not yet reached"
    );
    let note = f.note.clone().unwrap();
    assert!(note.contains("Starts:"), "{note}");
    assert!(note.contains("due Sun 29 Nov"), "{note}");
    // Down moves to the next one not reached; Up does not land on a reached one.
    app.handle(key(KeyCode::Down));
    assert_eq!(form(&app).get("Milestone"), "nis2_aware");
    app.handle(key(KeyCode::Up));
    app.handle(key(KeyCode::Up));
    assert_eq!(form(&app).get("Milestone"), "high_risk");
    assert!(
        form(&app)
            .note
            .as_ref()
            .unwrap()
            .contains("Affected customers")
    );
}

// ---- 11. Closing asks first, then the clocks stop ------------------------------------------------

fn command(app: &mut App, line: &str) -> Vec<Effect> {
    app.handle(ch(':'));
    type_str(app, line);
    app.handle(key(KeyCode::Enter))
}

#[test]
fn close_asks_first_listing_what_is_still_open() {
    let mut app = incident_app(fixture(false));
    assert!(command(&mut app, "close Contained; all audiences told").is_empty());
    let Some(Overlay::Confirm(Confirm::CloseIncident { open, .. })) = &app.overlay else {
        panic!("{:?}", app.overlay)
    };
    let all = open.join("\n");
    assert!(
        all.contains("deadline: Lead supervisory authority"),
        "{all}"
    );
    assert!(all.contains("unanswered: Der Tagesbericht"), "{all}");
    assert!(all.contains("not sent: message"), "{all}");
    assert!(all.contains("open action"), "{all}");
    let s = screen(&app, 80, 24);
    assert!(s.contains("y close it"), "{s}");
    app.handle(ch('n'));
    assert!(app.overlay.is_none());
    command(&mut app, "close");
    let effects = app.handle(ch('y'));
    assert!(matches!(
        appended(&effects)[..],
        [Body::IncidentClosed { .. }]
    ));
}

#[test]
fn a_closed_incident_stops_its_clocks_says_closed_and_refuses_at_once() {
    let mut j = fixture_journal(false);
    j.push(
        91,
        "2026-11-27T11:58:00Z",
        Body::IncidentClosed { text: None },
    );
    let mut app = incident_app(j.loaded());
    let s = screen(&app, 80, 24);
    assert!(s.contains(" CLOSED "), "{s}");
    assert!(
        s.contains("T+03:58:00"),
        "the clock stopped at closing:\n{s}"
    );
    app.handle(Msg::Tick(t("2026-11-27T13:00:00Z")));
    assert!(screen(&app, 80, 24).contains("T+03:58:00"));
    // A note is refused before any typing, and says what is still taken.
    app.handle(ch('n'));
    assert!(app.overlay.is_none());
    assert!(
        notice(&app).contains("only corrections"),
        "{}",
        notice(&app)
    );
    // A lesson is still taken.
    app.handle(ch('l'));
    assert_eq!(
        purpose(&app),
        Some(Purpose::Quick(crisisdesk::tui::keymap::QuickKind::Lesson))
    );
}

// ---- 13. The command line helps with its kinds ------------------------------------------------

#[test]
fn a_typo_in_a_kind_names_the_closest_and_help_lists_them_all() {
    let mut app = incident_app(fixture(false));
    command(&mut app, "decison Go public at 14:00");
    let err = form(&app).error.clone().unwrap();
    assert!(err.contains("did you mean \"decision\""), "{err}");
    app.handle(ctrl('a'));
    type_str(&mut app, "help");
    app.handle(key(KeyCode::Enter));
    let all = page(&app).lines.join("\n");
    for kind in [
        "note",
        "decision",
        "milestone",
        "inquiry",
        "amend",
        "retract",
        "close",
    ] {
        assert!(all.lines().any(|l| l.starts_with(kind)), "{kind}: {all}");
    }
    assert!(all.contains("--from"), "with their syntax: {all}");
}

// ---- 6. One journalist, one answer --------------------------------------------------------------

#[test]
fn opening_an_answer_records_who_is_answering_and_warns_of_others() {
    let mut app = incident_app(fixture(false));
    app.me = "anna@laptop".into();
    app.handle(ch('4'));
    let effects = app.handle(ch('r'));
    assert!(matches!(
        appended(&effects)[..],
        [Body::InquiryClaimed { inquiry }] if *inquiry == id(OVERDUE_INQUIRY)
    ));
    // Ben started answering it on his console: Anna is told, by name.
    let mut j = fixture_journal(false);
    j.push_ben(
        92,
        "2026-11-27T11:55:00Z",
        Body::InquiryClaimed {
            inquiry: id(OVERDUE_INQUIRY),
        },
    );
    let mut app = incident_app(j.loaded());
    app.me = "anna@laptop".into();
    app.handle(ch('4'));
    let s = screen(&app, 120, 40);
    assert!(s.contains("✎ ben"), "the desk shows who is answering:\n{s}");
    app.handle(ch('r'));
    let note = form(&app).note.clone().unwrap_or_default();
    assert!(note.contains("BEING ANSWERED by ben@desk"), "{note}");
    // The answered one says so, with the answer.
    app.handle(key(KeyCode::Esc));
    app.handle(key(KeyCode::Down));
    app.handle(ch('r'));
    let note = form(&app).note.clone().unwrap_or_default();
    assert!(note.contains("ALREADY ANSWERED by ben@desk"), "{note}");
}

/// Anna has two consoles: what one of them started is named by its console on the other, so
/// she does not answer the journalist twice; the desk and the header tell the two apart.
#[test]
fn two_consoles_of_one_person_are_told_apart_when_answering() {
    const HERE: &str = "anna-laptop-019ad0a2c5f47d1e8b3a6f0e2d4c0001";
    const OTHER: &str = "anna-laptop-019ad0a2c5f47d1e8b3a6f0e2d4c0002";
    let mut j = fixture_journal(false);
    j.push_as(
        92,
        "2026-11-27T11:55:00Z",
        "anna@laptop",
        OTHER,
        Body::InquiryClaimed {
            inquiry: id(OVERDUE_INQUIRY),
        },
    );
    let mut loaded = j.loaded();
    loaded.console = HERE.into();
    let path = loaded.path.clone();
    let mut app = incident_app(loaded);
    app.me = "anna@laptop".into();
    let seen = t("2026-11-27T12:00:00Z");
    let console = |id: &str, author: &str| crisisdesk::presence::Console {
        id: id.into(),
        author: author.into(),
        seen,
    };
    app.handle(Msg::Presence {
        path,
        me: HERE.into(),
        consoles: vec![
            console(HERE, "anna@laptop"),
            console(OTHER, "anna@laptop"),
            console("ben-desk-019ad0a2c5f47d1e8b3a6f0e2d4c0b0b", "ben@desk"),
        ],
    });
    // Person and machine where there is room, the user name on a narrow screen.
    let s = screen(&app, 120, 40);
    assert!(s.contains("also here: anna@laptop #0002 · ben@desk"), "{s}");
    let s = screen(&app, 100, 30);
    assert!(s.contains("also here: anna@laptop #0002 +1"), "{s}");
    // At 80 columns the views leave room only for how many.
    let s = screen(&app, 80, 24);
    assert!(s.contains("Playbook   +2 here"), "{s}");
    app.handle(ch('4'));
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("✎ anna #0002"),
        "the desk names the console:\n{s}"
    );
    let effects = app.handle(ch('r'));
    let note = form(&app).note.clone().unwrap_or_default();
    assert!(
        note.contains("BEING ANSWERED by anna@laptop #0002"),
        "her other console is named: {note}"
    );
    // This console's own start is recorded (every console then shows both).
    assert!(matches!(
        appended(&effects)[..],
        [Body::InquiryClaimed { inquiry }] if *inquiry == id(OVERDUE_INQUIRY)
    ));
    // Once this console has started, opening the answer again warns of the other only.
    app.handle(key(KeyCode::Esc));
    let mut j = fixture_journal(false);
    for (n, console) in [(92, OTHER), (93, HERE)] {
        j.push_as(
            n,
            "2026-11-27T11:55:00Z",
            "anna@laptop",
            console,
            Body::InquiryClaimed {
                inquiry: id(OVERDUE_INQUIRY),
            },
        );
    }
    let mut loaded = j.loaded();
    loaded.console = HERE.into();
    let mut app = incident_app(loaded);
    app.handle(ch('4'));
    let effects = app.handle(ch('r'));
    assert!(
        appended(&effects).is_empty(),
        "no second start: {effects:?}"
    );
    let note = form(&app).note.clone().unwrap_or_default();
    assert!(
        note.contains("BEING ANSWERED by anna@laptop #0002"),
        "{note}"
    );
    assert!(!note.contains("#0001"), "not warned of itself: {note}");
}

/// The header lists the other consoles live on this incident; a list read for another
/// incident (one left a moment ago) is not shown.
#[test]
fn the_header_shows_other_consoles_only_of_this_incident() {
    let mut app = incident_app(fixture(false));
    let seen = t("2026-11-27T12:00:00Z");
    let ben = crisisdesk::presence::Console {
        id: "ben-desk-019ad0a2c5f47d1e8b3a6f0e2d4c0b0b".into(),
        author: "ben@desk".into(),
        seen,
    };
    app.handle(Msg::Presence {
        path: "elsewhere".into(),
        me: String::new(),
        consoles: vec![ben.clone()],
    });
    assert!(!screen(&app, 80, 24).contains("also here"));
    app.handle(Msg::Presence {
        path: incident_path(),
        me: String::new(),
        consoles: vec![ben],
    });
    assert!(screen(&app, 80, 24).contains("also here: ben"));
    assert!(screen(&app, 120, 40).contains("also here: ben@desk"));
    app.handle(Msg::Presence {
        path: incident_path(),
        me: String::new(),
        consoles: Vec::new(),
    });
    assert!(!screen(&app, 80, 24).contains("also here"));
}

// ---- 15. Notices are kept -----------------------------------------------------------------------

#[test]
fn several_notices_are_counted_and_listed() {
    let mut app = incident_app(fixture(false));
    app.handle(Msg::Notice("inbox: rejected a.json: no kind".into()));
    app.handle(Msg::Notice("inbox: rejected b.json: no kind".into()));
    let s = screen(&app, 80, 24);
    assert!(s.contains("! 2 notices"), "{s}");
    app.handle(ch('!'));
    let all = page(&app).lines.join("\n");
    assert!(all.contains("a.json") && all.contains("b.json"), "{all}");
    app.handle(key(KeyCode::Esc));
    assert!(!screen(&app, 80, 24).contains("! 2 notices"));
}

// ---- 16. An adoption elsewhere withdraws the offer ----------------------------------------------

#[test]
fn an_adoption_by_another_console_withdraws_the_offer() {
    let mut app = incident_app(fixture(false));
    let source = data_breach_source().replace("Kestrel", "Kestrel ");
    app.handle(Msg::PlaybookEdited {
        source: source.clone(),
        changes: vec!["org name".into()],
    });
    assert!(matches!(app.overlay, Some(Overlay::Adopt { .. })));
    let mut j = fixture_journal(false);
    j.push_ben(
        93,
        "2026-11-27T11:59:00Z",
        Body::PlaybookAdopted {
            playbook_id: "data-breach".into(),
            playbook_source: source,
            changes: vec!["org name".into()],
        },
    );
    app.handle(Msg::Refreshed(Box::new(j.loaded())));
    assert!(app.overlay.is_none());
    assert!(notice(&app).contains("adopted"));
}

// ---- 12. Ids are picked by name, typing filters -------------------------------------------------

#[test]
fn new_incident_severity_is_picked_by_name_and_detection_is_now_in_the_playbooks_zone() {
    let mut app = App::new(now(), crisisdesk::tui::theme::Theme { color: false });
    app.handle(Msg::StartData(empty_start_data()));
    app.handle(key(KeyCode::Down));
    app.handle(ch('N'));
    assert_eq!(form(&app).get("Playbook"), "data-breach");
    // 12:00 UTC is 13:00 in Berlin, the playbook's zone.
    assert_eq!(form(&app).get("Detected at"), "2026-11-27 13:00");
    type_str(&mut app, "Water supply contaminated");
    app.handle(key(KeyCode::Tab));
    assert_eq!(focused(&app), "Severity");
    // Typing the name filters: "high" is the level named High.
    type_str(&mut app, "high");
    let sev = form(&app).get("Severity");
    assert!(sev.contains("high"), "{sev}");
    snap("form_new_incident_severity", &app);
    let effects = app.handle(ctrl('s'));
    assert!(matches!(&effects[..], [Effect::Create { severity, .. }] if *severity == sev));
}

#[test]
fn an_action_owner_is_picked_from_the_roles_by_name() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('a'));
    type_str(&mut app, "Brief the call centre");
    app.handle(key(KeyCode::Tab));
    assert_eq!(focused(&app), "Owner");
    assert_eq!(form(&app).get("Owner"), "", "no owner unless chosen");
    type_str(&mut app, "legal");
    assert_eq!(form(&app).get("Owner"), "legal");
    snap("form_action_owner_filtered", &app);
    let effects = app.handle(ctrl('s'));
    assert!(matches!(
        appended(&effects)[..],
        [Body::ActionAdded { owner: Some(o), .. }] if o == "legal"
    ));
}

#[test]
fn ctrl_a_selects_a_whole_one_line_field_so_typing_replaces_it() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('n'));
    type_str(&mut app, "wrong words");
    app.handle(ctrl('a'));
    type_str(&mut app, "right");
    assert_eq!(form(&app).get("Text"), "right");
}

#[test]
fn an_inquiry_is_saved_by_enter_after_its_question() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('i'));
    type_str(&mut app, "WSJ");
    app.handle(key(KeyCode::Enter));
    assert_eq!(focused(&app), "Question");
    type_str(&mut app, "Is customer data affected?");
    let effects = app.handle(key(KeyCode::Enter));
    assert!(matches!(
        appended(&effects)[..],
        [Body::MediaInquiry { from, reply_within: Some(_), .. }] if from == "WSJ"
    ));
}

// ---- Found driving a whole incident in tmux ---------------------------------------------------

/// The answer form shows the whole question being answered (the desk's row cuts it), who
/// asked and when; the keys line says Enter saves, which it does.
#[test]
fn the_answer_form_shows_the_question_in_full() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('4'));
    app.handle(ch('r'));
    let note = form(&app).note.clone().unwrap_or_default();
    assert!(
        note.contains(
            "Der Tagesbericht (Lena Hartmann) asked at 11:30: \"How many customers are affected?\""
        ),
        "{note}"
    );
    snap("form_answer", &app);
    let s = screen(&app, 80, 24);
    assert!(s.contains("Enter save"), "{s}");
    type_str(&mut app, "About 1,200.");
    let effects = app.handle(key(KeyCode::Enter));
    assert!(
        matches!(appended(&effects)[..], [Body::InquiryAnswered { .. }]),
        "{effects:?}"
    );
}

/// Enter after a milestone's text records it (it moved on to the time, and what was typed
/// next went into the time field); the time is a Tab away.
#[test]
fn enter_after_a_milestones_text_records_it() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('m'));
    app.handle(key(KeyCode::Enter));
    assert_eq!(form(&app).fields[form(&app).focus].label, "Text");
    assert!(screen(&app, 80, 24).contains("Enter save"));
    type_str(&mut app, "Forensics confirmed it");
    let effects = app.handle(key(KeyCode::Enter));
    assert!(
        matches!(
            appended(&effects)[..],
            [Body::MilestoneMarked { milestone, text: Some(text) }]
                if milestone == "high_risk" && text == "Forensics confirmed it"
        ),
        "{effects:?}"
    );
}

/// In the composer's text, the keys line says Enter makes a new line (it said "Enter/Tab next
/// field").
#[test]
fn the_composers_keys_line_says_enter_is_a_new_line_in_the_text() {
    let mut app = incident_app(fixture(false));
    app.handle(ch('c'));
    assert!(screen(&app, 80, 24).contains("Enter/Tab next field"));
    for _ in 0..3 {
        app.handle(key(KeyCode::Tab));
    }
    assert_eq!(form(&app).fields[form(&app).focus].label, "Text");
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("Enter new line · Tab next blank or field"),
        "{s}"
    );
}
