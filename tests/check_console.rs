//! The check in the console: the composer shows what the text being written contradicts, as
//! it is typed; approving or sending a message with a conflict asks first and records the
//! confirmation; the Board counts findings; the Messages view says what each audience heard.

mod common;

use common::*;
use crisisdesk::check::Kind;
use crisisdesk::incident::event::Body;
use crisisdesk::tui::app::{App, Effect, Overlay};
use crossterm::event::KeyCode;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// Message ids added to the fixture.
const TOLD_STAFF: u128 = 40; // sent to employees: "about 1,200 customers"
const DPA_FIGURES: u128 = 41; // a draft to the regulator: "1,500 customers"

/// The fixture incident, with employees told a figure and a draft to the regulator that
/// contradicts it.
fn with_figures() -> Journal {
    let mut j = fixture_journal(false);
    j.push(
        TOLD_STAFF,
        "2026-11-27T10:50:00Z",
        Body::MessageSent {
            stakeholder: "employees".into(),
            message: None,
            text: Some(
                "Records of about 1,200 customers were accessed; access was possible since 14 March."
                    .into(),
            ),
            channel: Some("intranet".into()),
            fulfils: None,
            override_reason: Some("internal".into()),
        },
    );
    j.push(
        DPA_FIGURES,
        "2026-11-27T11:55:00Z",
        Body::MessageDrafted {
            stakeholder: "dpa".into(),
            template: None,
            channel: None,
            text: "Supplementary information: the breach concerns 1,500 customers.".into(),
        },
    );
    j
}

/// The composer, to the press, with a new text typed over the template's.
fn composer_typing(text: &str) -> App {
    let mut app = incident_app(with_figures().loaded());
    app.handle(ch('c'));
    for _ in 0..3 {
        app.handle(key(KeyCode::Tab));
    }
    app.handle(ctrl('a'));
    type_str(&mut app, text);
    app
}

#[test]
fn the_composer_shows_a_conflict_as_it_is_typed() {
    // Before the figure is complete, nothing is wrong.
    let mut app = composer_typing("We can confirm that 1,");
    assert!(app.form_findings.is_empty());
    type_str(&mut app, "500 customers are affected.");
    assert_eq!(app.form_findings.len(), 1, "{:?}", app.form_findings);
    let f = &app.form_findings[0];
    assert_eq!(f.kind, Kind::Conflict);
    assert_eq!(f.audiences, ["media", "employees"]);
    for (w, h) in SIZES {
        let s = screen(&app, w, h);
        assert!(s.contains("⚠ CONFLICT “1,500 customers”"), "{w}x{h}\n{s}");
        assert!(s.contains("All employees heard"), "{w}x{h}\n{s}");
        insta::assert_snapshot!(format!("composer_with_conflict_{w}x{h}"), s);
    }
    // Agreeing figures: the check says so.
    let mut app = composer_typing("About 1 200 customers are affected, since 14 March.");
    assert!(app.form_findings.is_empty());
    assert_eq!(app.form_figures, 2);
    let s = screen(&app, 80, 24);
    assert!(s.contains("✔ check: 2 figure(s), none contradicts"), "{s}");
    // Fixing the text clears the warning.
    for _ in 0.."About 1 200 customers are affected, since 14 March."
        .chars()
        .count()
    {
        app.handle(key(KeyCode::Backspace));
    }
    type_str(&mut app, "Up to 1,500 customers may be affected.");
    assert!(app.form_findings.is_empty(), "{:?}", app.form_findings);
}

/// The Messages view on the draft to the regulator (the newest draft comes first).
fn on_dpa_draft() -> App {
    let mut app = incident_app(with_figures().loaded());
    app.handle(ch('3'));
    app
}

#[test]
fn approving_a_message_with_a_conflict_asks_and_records_the_confirmation() {
    let mut app = on_dpa_draft();
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("⚠ conflict"),
        "the message shows its finding:\n{s}"
    );
    app.handle(ch('A'));
    assert!(
        app.handle(key(KeyCode::Enter)).is_empty(),
        "nothing recorded yet"
    );
    let Some(Overlay::Despite { findings, .. }) = &app.overlay else {
        panic!("expected the question, got {:?}", app.overlay);
    };
    assert_eq!(findings.len(), 1);
    let s = screen(&app, 80, 24);
    assert!(s.contains("Approve despite the check?"), "{s}");
    assert!(s.contains("1,500 customers"), "{s}");
    assert!(s.contains("y approve anyway"), "{s}");
    // Going back records nothing and returns to the form.
    assert!(app.handle(key(KeyCode::Esc)).is_empty());
    assert!(matches!(app.overlay, Some(Overlay::Form(..))));
    app.handle(key(KeyCode::Enter));
    let effects = app.handle(ch('y'));
    let bodies: Vec<&Body> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Append { body, .. } => Some(body),
            _ => None,
        })
        .collect();
    assert_eq!(bodies.len(), 2, "{effects:?}");
    match bodies[0] {
        Body::FindingAcknowledged {
            finding,
            reason,
            text,
        } => {
            assert_eq!(finding, &findings_id(&app));
            assert!(
                reason.starts_with("confirmed in the console when approving it as "),
                "{reason}"
            );
            assert!(text.as_deref().unwrap_or("").contains("1,500 customers"));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(bodies[1], Body::MessageApproved { .. }),
        "{:?}",
        bodies[1]
    );
}

/// The id of the one open conflict of the fixture with figures.
fn findings_id(app: &App) -> String {
    let iv = app.incident.as_ref().unwrap();
    iv.data
        .check
        .findings
        .iter()
        .find(|f| f.kind == Kind::Conflict)
        .map(|f| f.id.clone())
        .unwrap()
}

#[test]
fn an_acknowledged_conflict_no_longer_asks_and_survives_the_send() {
    let id = findings_id(&incident_app(with_figures().loaded()));
    let acked = || {
        let mut j = with_figures();
        j.push(
            60,
            "2026-11-27T11:56:00Z",
            Body::FindingAcknowledged {
                finding: id.clone(),
                reason: "the regulator gets the forensic count".into(),
                text: None,
            },
        );
        j
    };
    let mut app = incident_app(acked().loaded());
    app.handle(ch('3'));
    app.handle(ch('S'));
    // The send form: Enter records at once (approvals are missing: an override is asked for).
    app.handle(key(KeyCode::Enter));
    assert!(
        !matches!(app.overlay, Some(Overlay::Despite { .. })),
        "an acknowledged finding does not ask again"
    );
    // Once sent, the same finding (same messages, same words) is still acknowledged.
    let mut j = acked();
    j.push(
        61,
        "2026-11-27T11:58:00Z",
        Body::MessageSent {
            stakeholder: "dpa".into(),
            message: Some(id_of(DPA_FIGURES)),
            text: None,
            channel: None,
            fulfils: None,
            override_reason: Some("legal on the phone".into()),
        },
    );
    let app = incident_app(j.loaded());
    let check = &app.incident.as_ref().unwrap().data.check;
    let conflict = check
        .findings
        .iter()
        .find(|f| f.kind == Kind::Conflict)
        .expect("still listed");
    assert_eq!(conflict.id, id);
    assert!(!conflict.is_open());
    assert_eq!(check.open().count(), 0);
}

fn id_of(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

#[test]
fn the_board_counts_findings_and_the_messages_view_says_who_heard_what() {
    let mut app = incident_app(with_figures().loaded());
    for (w, h) in SIZES {
        let s = screen(&app, w, h);
        assert!(s.contains("⚠ check (view 3): 1 conflict"), "{w}x{h}\n{s}");
    }
    app.handle(ch('3'));
    // Wide: beside the messages.
    let s = screen(&app, 160, 48);
    assert!(s.contains("Told whom"), "{s}");
    assert!(s.contains("about 1,200 customers"), "{s}");
    // Narrower: instead of the selected message, with w (and back).
    for (w, h) in SIZES {
        let s = screen(&app, w, h);
        assert!(!s.contains("Told whom"), "{s}");
        assert!(s.contains("w: told whom"), "{s}");
    }
    app.handle(ch('w'));
    for (w, h) in SIZES {
        let s = screen(&app, w, h);
        assert!(s.contains("Told whom"), "{s}");
        assert!(s.contains("All employees"), "{s}");
        insta::assert_snapshot!(format!("told_whom_{w}x{h}"), s);
    }
    app.handle(ch('w'));
    assert!(!screen(&app, 80, 24).contains("Told whom"));
}

#[test]
fn k_acknowledges_a_finding_with_a_reason() {
    let mut app = incident_app(with_figures().loaded());
    let id = findings_id(&app);
    app.handle(ch('3'));
    app.handle(ch('K'));
    assert!(matches!(app.overlay, Some(Overlay::Form(..))));
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "Regulator gets the newer count");
    let effects = app.handle(key(KeyCode::Enter));
    let body = effects.iter().find_map(|e| match e {
        Effect::Append { body, .. } => Some(body.clone()),
        _ => None,
    });
    match body {
        Some(Body::FindingAcknowledged {
            finding, reason, ..
        }) => {
            assert_eq!(finding, id);
            assert_eq!(reason, "Regulator gets the newer count");
        }
        other => panic!("{other:?} / {:?}", app.overlay),
    }
}

#[test]
fn a_send_the_rules_refuse_is_refused_before_the_check_asks() {
    let mut app = on_dpa_draft();
    app.handle(ch('S'));
    app.handle(key(KeyCode::Enter));
    // The regulator's approvals are missing: the form says so, and waits for a reason.
    let Some(Overlay::Form(_, form)) = &app.overlay else {
        panic!("{:?}", app.overlay);
    };
    assert!(
        form.error.as_deref().unwrap_or("").contains("Override"),
        "{:?}",
        form.error
    );
    type_str(&mut app, "legal on the phone");
    assert!(app.handle(key(KeyCode::Enter)).is_empty());
    assert!(
        matches!(app.overlay, Some(Overlay::Despite { .. })),
        "{:?}",
        app.overlay
    );
    let effects = app.handle(ch('y'));
    let kinds: Vec<&str> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Append { body, .. } => Some(body.kind()),
            _ => None,
        })
        .collect();
    assert_eq!(kinds, ["finding_acknowledged", "message_sent"]);
}
