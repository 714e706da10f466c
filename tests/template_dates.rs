//! Dates and times a template fills in (`{{detected_at}}`, `{{now}}`, `{{next_update}}`) are
//! written in the playbook's language: the shipped Polish playbook through the real binary,
//! and each of seven languages through the composer's fill.

use std::path::Path;

use assert_cmd::Command;
use crisisdesk::incident::compose::fill_template;
use crisisdesk::incident::event::{Body, Event, Origin};
use crisisdesk::incident::state::fold;
use crisisdesk::journal::Stored;
use jiff::Timestamp;
use uuid::Uuid;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn shipped(name: &str) -> &'static str {
    crisisdesk::playbook::catalog::SHIPPED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .expect("shipped")
}

fn bin(cwd: &Path) -> Command {
    let mut c = Command::cargo_bin("crisisdesk").unwrap();
    c.current_dir(cwd)
        .env("CRISISDESK_NOW", "2026-12-02T14:05:00Z")
        .env("USER", "tester");
    c
}

fn run(c: &mut Command) -> String {
    let out = c.assert().success();
    String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .trim()
        .to_owned()
}

#[test]
fn a_polish_playbook_writes_polish_dates_into_its_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let dir = cwd.join(run(bin(cwd).args([
        "new",
        "awaria-wodociagow",
        "--title",
        "Awaria magistrali",
        "--severity",
        "wysoki",
        "--detected-at",
        "2026-12-02 09:30",
    ])));
    // The situation report to the city carries all three: start, now, next report.
    let id = run(bin(cwd).arg("log").arg(&dir).args([
        "draft",
        "--stakeholder",
        "miasto",
        "--template",
        "meldunek-kryzysowy",
    ]));
    let text = drafted_text(&dir, &id);
    // Warsaw is UTC+1 in December: detected 09:30 local, now 15:05, the city every 2 hours.
    assert!(
        text.contains("— 2 grudnia 2026 15:05 CET\n"),
        "now, in Polish: {text}"
    );
    assert!(
        text.contains("początek: 2 grudnia 2026 09:30 CET\n"),
        "detected_at, in Polish: {text}"
    );
    assert!(
        text.contains("Następny meldunek: 2 grudnia 2026 17:05 CET."),
        "next_update, in Polish: {text}"
    );
    assert!(!text.contains("December"), "{text}");
}

/// The text of the draft with this id, as the journal holds it.
fn drafted_text(dir: &Path, id: &str) -> String {
    for file in std::fs::read_dir(dir.join("journal")).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        for line in text.lines() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            if record["entry"]["id"] == id {
                return record["entry"]["event"]["text"]
                    .as_str()
                    .unwrap()
                    .to_owned();
            }
        }
    }
    panic!("no entry {id} in {}", dir.display())
}

/// The data-breach playbook (Europe/Berlin) with its language replaced.
fn incident_in(language: &str) -> crisisdesk::incident::state::Incident {
    let source = shipped("data-breach.json").replace(
        "\"language\": \"en-GB\"",
        &format!("\"language\": \"{language}\""),
    );
    assert!(source.contains(&format!("\"language\": \"{language}\"")));
    let origin = Origin {
        author: "anna@laptop".into(),
        console: "c1".into(),
    };
    let at = t("2026-12-02T08:30:00Z");
    let opened = Event::new(
        Uuid::from_u128(1),
        at,
        at,
        &origin,
        Body::IncidentOpened {
            title: "Records exposed".into(),
            playbook_id: "data-breach".into(),
            playbook_source: source,
            severity: "high".into(),
            detected_at: at,
            exercise: false,
        },
    );
    fold(&[Stored {
        console: "c1".into(),
        seq: 1,
        entry: opened,
    }])
    .expect("folds")
}

#[test]
fn each_language_writes_its_own_dates_with_the_zone_named() {
    // Berlin: detected 09:30, written at 15:05 (CET, winter); the media every 4 hours.
    let cases = [
        (
            "en-GB",
            "2 December 2026 at 09:30 CET | 2 December 2026 at 15:05 CET | 2 December 2026 at 19:05 CET",
        ),
        (
            "en",
            "December 2, 2026 at 9:30 AM GMT+1 | December 2, 2026 at 3:05 PM GMT+1 | December 2, 2026 at 7:05 PM GMT+1",
        ),
        (
            "pl",
            "2 grudnia 2026 09:30 CET | 2 grudnia 2026 15:05 CET | 2 grudnia 2026 19:05 CET",
        ),
        (
            "pl-PL",
            "2 grudnia 2026 09:30 CET | 2 grudnia 2026 15:05 CET | 2 grudnia 2026 19:05 CET",
        ),
        (
            "de",
            "2. Dezember 2026 um 09:30 MEZ | 2. Dezember 2026 um 15:05 MEZ | 2. Dezember 2026 um 19:05 MEZ",
        ),
        (
            "fr",
            "2 décembre 2026 à 09:30 UTC+1 | 2 décembre 2026 à 15:05 UTC+1 | 2 décembre 2026 à 19:05 UTC+1",
        ),
        (
            "nl",
            "2 december 2026 om 09:30 CET | 2 december 2026 om 15:05 CET | 2 december 2026 om 19:05 CET",
        ),
        (
            "es",
            "2 de diciembre de 2026 a las 09:30 CET | 2 de diciembre de 2026 a las 15:05 CET | 2 de diciembre de 2026 a las 19:05 CET",
        ),
        (
            "it",
            "2 dicembre 2026 alle ore 09:30 CET | 2 dicembre 2026 alle ore 15:05 CET | 2 dicembre 2026 alle ore 19:05 CET",
        ),
    ];
    let mut wrong = Vec::new();
    for (language, expected) in cases {
        let inc = incident_in(language);
        let got = fill_template(
            &inc,
            "{{detected_at}} | {{now}} | {{next_update}}",
            "media",
            t("2026-12-02T14:05:00Z"),
        );
        if got != expected {
            wrong.push(format!("{language}: got {got:?}, expected {expected:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
