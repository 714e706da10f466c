//! The command layer: every refusal, and what it accepts, checked against a folded incident
//! without any front end. Fixed ids and a fixed clock throughout.

use crisisdesk::incident::command::{
    Command, Context, Doing, Due, Refusal, check_plain, opening, resolve,
};
use crisisdesk::incident::event::{Body, Event, LessonKind, Origin};
use crisisdesk::incident::state::{Incident, fold};
use crisisdesk::journal::Stored;
use crisisdesk::playbook::calendar::Calendar;
use jiff::Timestamp;
use uuid::Uuid;

const PLAYBOOK: &str = r#"{
  "format": "crisisdesk.playbook.v1",
  "id": "test",
  "title": "Test playbook",
  "timezone": "Europe/Warsaw",
  "org": { "name": "Acme" },
  "severities": [
    { "id": "low", "name": "Low", "criteria": ["contained"], "update_every": "24h" },
    { "id": "high", "name": "High", "criteria": ["public"], "update_every": "4h" }
  ],
  "milestones": [{ "id": "aware", "name": "Breach confirmed" }],
  "roles": [{ "id": "lead", "title": "Crisis lead" }, { "id": "legal", "title": "Legal" }],
  "stakeholders": [
    { "id": "press", "name": "Media", "group": "media", "approval": ["lead", "legal"],
      "deadlines": [{ "id": "holding", "label": "Holding statement", "within": "1h", "from": "detected" }] },
    { "id": "staff", "name": "Employees", "group": "employees" }
  ],
  "templates": [
    { "id": "hold", "title": "Holding", "stakeholders": ["press"], "channel": "email",
      "body": "{{org.name}} knows. {{fill:count}} records. Hotline {{org.hotline}}." }
  ],
  "checklists": [{ "phase": "First hour", "items": [{ "id": "h1", "text": "Convene" }] }]
}"#;

const NOW: &str = "2026-11-27T12:00:00Z";

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

struct Script {
    events: Vec<Stored<Event>>,
}

impl Script {
    fn new() -> Self {
        let mut s = Script { events: Vec::new() };
        s.push(
            1,
            "2026-11-27T08:00:00Z",
            Body::IncidentOpened {
                title: "Records exposed".into(),
                playbook_id: "test".into(),
                playbook_source: PLAYBOOK.into(),
                severity: "low".into(),
                detected_at: t("2026-11-27T08:00:00Z"),
                exercise: false,
            },
        );
        s
    }

    fn push(&mut self, n: u128, at: &str, body: Body) -> &mut Self {
        let origin = Origin {
            author: "anna@laptop".into(),
            console: "c1".into(),
        };
        let seq = self.events.len() as u64 + 1;
        self.events.push(Stored {
            console: "c1".into(),
            seq,
            entry: Event::new(id(n), t(at), t(at), &origin, body),
        });
        self
    }

    fn check(&self, cmd: Command) -> Result<Body, Refusal> {
        self.check_at(cmd, None)
    }

    fn check_at(&self, cmd: Command, at: Option<&str>) -> Result<Body, Refusal> {
        let inc: Incident = fold(&self.events).expect("folds");
        Context::new(&inc, &self.events, t(NOW))
            .check(cmd, at.map(t))
            .map(|a| a.body)
    }
}

fn draft(text: &str) -> Body {
    Body::MessageDrafted {
        stakeholder: "press".into(),
        template: None,
        channel: None,
        text: text.into(),
    }
}

fn approve(message: u128, role: &str) -> Body {
    Body::MessageApproved {
        message: id(message),
        role: role.into(),
        comment: None,
    }
}

fn send(message: u128) -> Command {
    Command::Sent {
        stakeholder: "press".into(),
        channel: None,
        message: Some(id(message).to_string()),
        fulfils: None,
        override_reason: None,
        text: None,
    }
}

fn note(text: &str) -> Command {
    Command::Note { text: text.into() }
}

#[test]
fn empty_texts_are_refused_and_texts_are_trimmed() {
    let s = Script::new();
    assert_eq!(
        s.check(note("   ")),
        Err(Refusal::Empty { what: "the note" })
    );
    assert_eq!(
        s.check(note("  Reporter called \n")),
        Ok(Body::Note {
            text: "Reporter called".into()
        })
    );
    let r = s.check(Command::Decision { text: "".into() }).unwrap_err();
    assert_eq!(r.to_string(), "the decision must not be empty");
}

#[test]
fn times_after_now_are_refused() {
    let s = Script::new();
    let r = s
        .check_at(note("later"), Some("2026-11-27T12:00:01Z"))
        .unwrap_err();
    assert_eq!(r, Refusal::InFuture);
    assert!(r.to_string().contains("in the future"));
    // Back-dating is fine.
    assert!(
        s.check_at(note("earlier"), Some("2026-11-27T09:00:00Z"))
            .is_ok()
    );
}

#[test]
fn unknown_playbook_ids_name_the_known_ones_with_a_hint() {
    let s = Script::new();
    let r = s
        .check(Command::Milestone {
            id: "awar".into(),
            text: None,
        })
        .unwrap_err();
    assert!(matches!(&r, Refusal::Unknown { what, .. } if what == "milestone"));
    assert_eq!(
        r.to_string(),
        "no milestone \"awar\" — did you mean \"aware\"? (known: aware)"
    );
    let r = s
        .check(Command::Severity {
            id: "L2".into(),
            reason: None,
        })
        .unwrap_err();
    assert_eq!(r.to_string(), "no severity \"L2\" (known: low, high)");
    let r = s
        .check(Command::Approve {
            message: "x".into(),
            role: "legal".into(),
            comment: None,
        })
        .unwrap_err();
    assert!(matches!(
        r,
        Refusal::NoSuchEntry {
            what: "message",
            ..
        }
    ));
}

#[test]
fn a_milestone_is_marked_once_and_severity_must_change() {
    let mut s = Script::new();
    s.push(
        2,
        "2026-11-27T09:00:00Z",
        Body::MilestoneMarked {
            milestone: "aware".into(),
            text: None,
        },
    );
    let r = s
        .check(Command::Milestone {
            id: "aware".into(),
            text: None,
        })
        .unwrap_err();
    assert_eq!(
        r,
        Refusal::MilestoneMarked {
            milestone: "aware".into(),
            at: t("2026-11-27T09:00:00Z")
        }
    );
    let r = s
        .check(Command::Severity {
            id: "low".into(),
            reason: None,
        })
        .unwrap_err();
    assert_eq!(
        r,
        Refusal::SameSeverity {
            severity: "low".into()
        }
    );
    assert!(
        s.check(Command::Severity {
            id: "high".into(),
            reason: Some("on the news".into())
        })
        .is_ok()
    );
}

#[test]
fn drafts_fill_templates_and_blanks_and_refuse_unknown_blanks() {
    let s = Script::new();
    let body = s
        .check(Command::Draft {
            stakeholder: "press".into(),
            template: Some("hold".into()),
            channel: None,
            fills: vec![("count".into(), "1,200".into())],
            text: None,
        })
        .unwrap();
    let Body::MessageDrafted { text, channel, .. } = body else {
        panic!("a draft")
    };
    // The absent hotline stays a blank to fill; the template's channel is taken.
    assert_eq!(
        text,
        "Acme knows. 1,200 records. Hotline {{fill:org_hotline}}."
    );
    assert_eq!(channel.as_deref(), Some("email"));
    let r = s
        .check(Command::Draft {
            stakeholder: "press".into(),
            template: Some("hold".into()),
            channel: None,
            fills: vec![("cuont".into(), "1".into())],
            text: None,
        })
        .unwrap_err();
    assert_eq!(
        r.to_string(),
        "no blank \"cuont\" — did you mean \"count\"? (known: count, org_hotline)"
    );
    let r = s
        .check(Command::Draft {
            stakeholder: "press".into(),
            template: None,
            channel: None,
            fills: vec![],
            text: None,
        })
        .unwrap_err();
    assert_eq!(r, Refusal::DraftNeedsText);
    let r = s
        .check(Command::Draft {
            stakeholder: "pres".into(),
            template: None,
            channel: None,
            fills: vec![],
            text: Some("x".into()),
        })
        .unwrap_err();
    assert!(r.to_string().contains("did you mean \"press\""), "{r}");
}

#[test]
fn blanks_block_approval_and_sending() {
    let mut s = Script::new();
    s.push(2, "2026-11-27T09:00:00Z", draft("{{fill:count}} records"));
    let r = s
        .check(Command::Approve {
            message: id(2).to_string(),
            role: "legal".into(),
            comment: None,
        })
        .unwrap_err();
    assert_eq!(
        r,
        Refusal::Blanks {
            message: Some(id(2)),
            blanks: vec!["count".into()],
            doing: Doing::Approve
        }
    );
    assert!(r.to_string().contains("[INSERT NUMBER]"));
    let r = s.check(send(2)).unwrap_err();
    assert!(matches!(
        r,
        Refusal::Blanks {
            doing: Doing::Send,
            ..
        }
    ));
    // A text sent without a draft is checked too.
    let r = s
        .check(Command::Sent {
            stakeholder: "staff".into(),
            channel: None,
            message: None,
            fulfils: None,
            override_reason: None,
            text: Some("About {{fill:n}} people".into()),
        })
        .unwrap_err();
    assert!(matches!(r, Refusal::Blanks { message: None, .. }));
}

#[test]
fn missing_approvals_and_objections_can_be_overridden_with_a_reason() {
    let mut s = Script::new();
    s.push(2, "2026-11-27T09:00:00Z", draft("We know."))
        .push(3, "2026-11-27T09:05:00Z", approve(2, "legal"))
        .push(
            4,
            "2026-11-27T09:06:00Z",
            Body::MessageObjected {
                message: id(2),
                role: "lead".into(),
                comment: "too early".into(),
            },
        );
    let r = s.check(send(2)).unwrap_err();
    assert!(r.can_override());
    assert_eq!(
        r.to_string(),
        "message 00000002 cannot be sent: objection from lead (\"too early\")"
    );
    let Command::Sent {
        stakeholder,
        channel,
        message,
        fulfils,
        text,
        ..
    } = send(2)
    else {
        unreachable!()
    };
    let overridden = Command::Sent {
        stakeholder: stakeholder.clone(),
        channel: channel.clone(),
        message: message.clone(),
        fulfils: fulfils.clone(),
        override_reason: Some("  ".into()),
        text: text.clone(),
    };
    assert_eq!(s.check(overridden), Err(Refusal::EmptyOverride));
    let overridden = Command::Sent {
        stakeholder,
        channel,
        message,
        fulfils,
        override_reason: Some("CEO on air in 5 minutes".into()),
        text,
    };
    let Body::MessageSent {
        override_reason, ..
    } = s.check(overridden).unwrap()
    else {
        panic!("a send")
    };
    assert_eq!(override_reason.as_deref(), Some("CEO on air in 5 minutes"));
    // Without a draft, an audience that needs approval needs an override.
    let r = s
        .check(Command::Sent {
            stakeholder: "press".into(),
            channel: None,
            message: None,
            fulfils: None,
            override_reason: None,
            text: Some("said on the phone".into()),
        })
        .unwrap_err();
    assert!(r.can_override());
    assert!(
        r.to_string().contains("need approval by lead, legal"),
        "{r}"
    );
}

#[test]
fn sends_check_the_audience_the_deadline_and_what_was_sent() {
    let mut s = Script::new();
    s.push(2, "2026-11-27T09:00:00Z", draft("We know."))
        .push(3, "2026-11-27T09:05:00Z", approve(2, "legal"))
        .push(4, "2026-11-27T09:06:00Z", approve(2, "lead"));
    let r = s
        .check(Command::Sent {
            stakeholder: "staff".into(),
            channel: None,
            message: Some(id(2).to_string()),
            fulfils: None,
            override_reason: None,
            text: None,
        })
        .unwrap_err();
    assert_eq!(
        r,
        Refusal::WrongAudience {
            message: id(2),
            addressed_to: "press".into(),
            given: "staff".into()
        }
    );
    let r = s
        .check(Command::Sent {
            stakeholder: "press".into(),
            channel: None,
            message: Some(id(2).to_string()),
            fulfils: Some("holdnig".into()),
            override_reason: None,
            text: None,
        })
        .unwrap_err();
    assert!(r.to_string().contains("did you mean \"holding\""), "{r}");
    let r = s
        .check(Command::Sent {
            stakeholder: "staff".into(),
            channel: None,
            message: None,
            fulfils: None,
            override_reason: None,
            text: None,
        })
        .unwrap_err();
    assert_eq!(r, Refusal::SentNeedsText);
    assert!(s.check(send(2)).is_ok());
    s.push(
        5,
        "2026-11-27T09:10:00Z",
        Body::MessageSent {
            stakeholder: "press".into(),
            message: Some(id(2)),
            text: None,
            channel: None,
            fulfils: None,
            override_reason: None,
        },
    );
    let r = s.check(send(2)).unwrap_err();
    assert_eq!(
        r,
        Refusal::AlreadySent {
            message: id(2),
            at: t("2026-11-27T09:10:00Z")
        }
    );
    let r = s
        .check(Command::Sent {
            stakeholder: "press".into(),
            channel: None,
            message: None,
            fulfils: Some("holding".into()),
            override_reason: Some("phone".into()),
            text: Some("again".into()),
        })
        .unwrap_err();
    assert_eq!(
        r,
        Refusal::DeadlineMet {
            stakeholder: "press".into(),
            label: "Holding statement".into()
        }
    );
}

#[test]
fn done_ticks_a_checklist_item_once_or_finishes_an_open_action() {
    let mut s = Script::new();
    s.push(
        2,
        "2026-11-27T09:00:00Z",
        Body::ActionAdded {
            text: "Brief call centre".into(),
            owner: None,
            due: None,
        },
    );
    assert_eq!(
        s.check(Command::Done { id: "h1".into() }),
        Ok(Body::ChecklistDone { item: "h1".into() })
    );
    assert_eq!(
        s.check(Command::Done {
            id: "00000002".into()
        }),
        Ok(Body::ActionDone { action: id(2) })
    );
    let r = s.check(Command::Done { id: "h2".into() }).unwrap_err();
    assert_eq!(
        r,
        Refusal::NotDoable {
            given: "h2".into(),
            suggestion: Some("h1".into())
        }
    );
    s.push(
        3,
        "2026-11-27T09:30:00Z",
        Body::ChecklistDone { item: "h1".into() },
    );
    let r = s.check(Command::Done { id: "h1".into() }).unwrap_err();
    assert!(matches!(r, Refusal::ChecklistDone { .. }));
    assert!(r.to_string().contains("anna@laptop"), "{r}");
}

#[test]
fn action_owners_are_roles_and_dues_are_durations_or_times() {
    let s = Script::new();
    let cal = Calendar::from_iana("Europe/Warsaw", []).unwrap();
    let r = s
        .check(Command::Action {
            text: "x".into(),
            owner: Some("Legal".into()),
            due: None,
        })
        .unwrap_err();
    assert!(r.to_string().contains("did you mean \"legal\""), "{r}");
    let due = Due::parse("4h", &cal).unwrap();
    let Body::ActionAdded { due, .. } = s
        .check(Command::Action {
            text: "x".into(),
            owner: Some("legal".into()),
            due: Some(due),
        })
        .unwrap()
    else {
        panic!("an action")
    };
    assert_eq!(due, Some(t("2026-11-27T16:00:00Z")));
    assert_eq!(
        Due::parse("2026-11-28 09:00", &cal).unwrap(),
        Due::At(t("2026-11-28T08:00:00Z"))
    );
    assert_eq!(
        Due::parse("soon", &cal),
        Err(Refusal::BadDue {
            given: "soon".into()
        })
    );
}

#[test]
fn amendments_and_retractions_are_checked() {
    let mut s = Script::new();
    s.push(
        2,
        "2026-11-27T09:00:00Z",
        Body::Note {
            text: "typo".into(),
        },
    )
    .push(
        3,
        "2026-11-27T09:00:00Z",
        Body::ChecklistDone { item: "h1".into() },
    );
    let amend = |id: u128, text: Option<&str>| Command::Amend {
        id: Uuid::from_u128(id).to_string(),
        text: text.map(Into::into),
        new_at: None,
        reason: None,
    };
    assert_eq!(s.check(amend(2, None)), Err(Refusal::AmendNeedsChange));
    assert_eq!(
        s.check(amend(3, Some("x"))),
        Err(Refusal::NothingToAmend {
            kind: "checklist_done"
        })
    );
    assert!(s.check(amend(2, Some("fixed"))).is_ok());
    let retract = |n: u128| Command::Retract {
        id: id(n).to_string(),
        reason: "wrong".into(),
    };
    assert_eq!(s.check(retract(1)), Err(Refusal::RetractOpening));
    s.push(
        4,
        "2026-11-27T10:00:00Z",
        Body::Retract {
            target: id(2),
            reason: "wrong incident".into(),
        },
    );
    assert_eq!(s.check(retract(2)), Err(Refusal::AlreadyRetracted));
    assert_eq!(s.check(retract(4)), Err(Refusal::RetractRetraction));
    assert_eq!(
        s.check(Command::Retract {
            id: id(3).to_string(),
            reason: " ".into()
        }),
        Err(Refusal::Empty { what: "the reason" })
    );
}

#[test]
fn a_closed_incident_takes_only_corrections_lessons_and_actions() {
    let mut s = Script::new();
    s.push(2, "2026-11-27T09:00:00Z", Body::Note { text: "n".into() })
        .push(
            3,
            "2026-11-27T11:00:00Z",
            Body::IncidentClosed { text: None },
        );
    let closed = t("2026-11-27T11:00:00Z");
    assert_eq!(
        s.check(note("late")),
        Err(Refusal::Closed {
            at: closed,
            kind: "note"
        })
    );
    assert_eq!(
        s.check(Command::Close { text: None }),
        Err(Refusal::AlreadyClosed { at: closed })
    );
    assert_eq!(
        s.check(Command::Done { id: "h1".into() }),
        Err(Refusal::Closed {
            at: closed,
            kind: "checklist tick"
        })
    );
    assert!(
        s.check(Command::Lesson {
            text: "Hotline script was ready".into(),
            kind: LessonKind::Well
        })
        .is_ok()
    );
    assert!(
        s.check(Command::Action {
            text: "Update the playbook".into(),
            owner: None,
            due: None
        })
        .is_ok()
    );
    assert!(
        s.check(Command::Amend {
            id: id(2).to_string(),
            text: Some("corrected".into()),
            new_at: None,
            reason: None
        })
        .is_ok()
    );
}

#[test]
fn ids_resolve_by_unique_suffix_and_say_when_ambiguous() {
    let a = Uuid::parse_str("01a21b20-8d76-7316-b411-e0084eabc561").unwrap();
    let b = Uuid::parse_str("01a21b20-8d76-7316-b411-e0094eabc561").unwrap();
    let c: Vec<(Uuid, String)> = vec![(a, "to media".into()), (b, "to staff".into())];
    assert_eq!(resolve("84eabc561", &c, "message"), Ok(a));
    assert_eq!(resolve(&a.to_string(), &c, "message"), Ok(a));
    assert_eq!(
        resolve("4eabc561", &c, "message"),
        Err(Refusal::Ambiguous {
            what: "message",
            given: "4eabc561".into(),
            matches: 2
        })
    );
    let r = resolve("4eabc563", &c, "message").unwrap_err();
    assert!(
        r.to_string()
            .contains("did you mean 4eabc561?\nrecent: 4eabc561 (to staff), 4eabc561 (to media)"),
        "{r}"
    );
    // Fewer than six digits never match by suffix (too easy to hit the wrong entry).
    assert!(resolve("c561", &c, "message").is_err());
}

#[test]
fn openings_need_a_title_a_known_severity_and_a_past_detection() {
    let pb = crisisdesk::playbook::parse("t", PLAYBOOK.as_bytes(), None)
        .unwrap()
        .playbook;
    let now = t(NOW);
    let o = opening(&pb, "  Records exposed ", None, None, now).unwrap();
    assert_eq!(o.title, "Records exposed");
    assert_eq!(o.severity, "low");
    assert_eq!(o.detected_at, now);
    assert_eq!(
        opening(&pb, " ", None, None, now),
        Err(Refusal::Empty { what: "the title" })
    );
    let r = opening(&pb, "x", Some("hihg"), None, now).unwrap_err();
    assert!(r.to_string().contains("did you mean \"high\""), "{r}");
    assert_eq!(
        opening(&pb, "x", None, Some(t("2026-11-28T00:00:00Z")), now),
        Err(Refusal::DetectedInFuture)
    );
}

/// The kinds that need no state give the same answer without the fold as with it, open or
/// closed, now or back-dated or in the future; the others are not checked without it.
#[test]
fn kinds_that_need_no_state_are_checked_the_same_without_the_fold() {
    let plain = || {
        vec![
            note("n"),
            note("  "),
            Command::Decision { text: "d".into() },
            Command::Fact {
                text: "f".into(),
                confirmed: false,
            },
            Command::Inquiry {
                from: "Daily".into(),
                journalist: None,
                within: None,
                question: " ".into(),
            },
            Command::Mention {
                source: "Radio".into(),
                url: None,
                sentiment: None,
                text: "m".into(),
            },
            Command::Lesson {
                text: "l".into(),
                kind: LessonKind::Well,
            },
        ]
    };
    let mut s = Script::new();
    for closed in [false, true] {
        if closed {
            s.push(
                3,
                "2026-11-27T09:30:00Z",
                Body::IncidentClosed { text: None },
            );
        }
        let inc: Incident = fold(&s.events).expect("folds");
        for at in [
            None,
            Some("2026-11-27T09:00:00Z"),
            Some("2026-11-27T11:00:00Z"),
        ] {
            for cmd in plain() {
                assert!(!cmd.needs_state());
                let folded = Context::new(&inc, &s.events, t(NOW)).check(cmd.clone(), at.map(t));
                let unfolded = check_plain(cmd, at.map(t), t(NOW), inc.closed_at);
                assert_eq!(unfolded, Some(folded));
            }
        }
    }
    let stateful = Command::Severity {
        id: "high".into(),
        reason: None,
    };
    assert!(stateful.needs_state());
    assert_eq!(check_plain(stateful, None, t(NOW), None), None);
}
