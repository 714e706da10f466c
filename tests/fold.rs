//! The incident fold: every event kind, every deadline state, approvals, corrections, and
//! order independence. Fixed ids and a fixed clock throughout.

use crisisdesk::incident::event::{Body, Event, LessonKind, Origin};
use crisisdesk::incident::state::{DeadlineState, Incident, InquiryKind, MessageStatus, fold};
use crisisdesk::journal::Stored;
use jiff::Timestamp;
use proptest::prelude::*;
use uuid::Uuid;

const PLAYBOOK: &str = r#"{
  "format": "crisisdesk.playbook.v1",
  "id": "test",
  "title": "Test playbook",
  "timezone": "Europe/Warsaw",
  "holidays": ["2026-12-24"],
  "org": { "name": "Acme", "hotline": "+48 22 000 00 00" },
  "severities": [
    { "id": "low", "name": "Low", "criteria": ["contained"], "update_every": "24h" },
    { "id": "high", "name": "High", "criteria": ["public"], "update_every": "4h" }
  ],
  "milestones": [{ "id": "aware", "name": "Breach confirmed" }, { "id": "material", "name": "Material" }],
  "roles": [{ "id": "lead", "title": "Crisis lead" }, { "id": "legal", "title": "Legal" }],
  "stakeholders": [
    { "id": "press", "name": "Media", "group": "media", "approval": ["lead", "legal"],
      "deadlines": [{ "label": "Holding statement", "within": "1h", "from": "detected" }] },
    { "id": "dpa", "name": "Regulator", "group": "regulator", "approval": ["legal"],
      "deadlines": [
        { "id": "early", "label": "Early warning", "within": "24h", "from": "aware" },
        { "id": "full", "label": "Notification", "within": "72h", "from": "aware" }
      ] },
    { "id": "sec", "name": "Investors", "group": "investors", "min_severity": "high",
      "deadlines": [{ "label": "8-K", "within": "4bd", "from": "material" }] },
    { "id": "staff", "name": "Employees", "group": "employees", "update_every": "2h" }
  ],
  "checklists": [{ "phase": "First hour", "items": [
    { "id": "h1", "text": "Convene the team", "due": "30m" },
    { "id": "h2", "text": "Brief the CEO", "due": "1h" }
  ] }]
}"#;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// Builds journal entries from (id, at, body), one console, in the given order.
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
        self.push_as(n, at, "c1", body)
    }

    fn push_as(&mut self, n: u128, at: &str, console: &str, body: Body) -> &mut Self {
        let origin = Origin {
            author: "anna@laptop".into(),
            console: console.into(),
        };
        let seq = self.events.iter().filter(|e| e.console == console).count() as u64 + 1;
        self.events.push(Stored {
            console: console.into(),
            seq,
            entry: Event::new(id(n), t(at), t(at), &origin, body),
        });
        self
    }

    fn fold(&self) -> Incident {
        fold(&self.events).expect("folds")
    }
}

fn draft(stakeholder: &str, text: &str) -> Body {
    Body::MessageDrafted {
        stakeholder: stakeholder.into(),
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

fn sent(stakeholder: &str, message: Option<u128>, fulfils: Option<&str>) -> Body {
    Body::MessageSent {
        stakeholder: stakeholder.into(),
        message: message.map(id),
        text: message.is_none().then(|| "sent text".into()),
        channel: Some("email".into()),
        fulfils: fulfils.map(Into::into),
        override_reason: None,
    }
}

fn milestone(m: &str) -> Body {
    Body::MilestoneMarked {
        milestone: m.into(),
        text: None,
    }
}

fn state_of(inc: &Incident, stakeholder: &str, key: &str, now: &str) -> DeadlineState {
    inc.stakeholder(stakeholder)
        .unwrap()
        .deadlines
        .iter()
        .find(|d| d.key == key)
        .unwrap()
        .state(t(now))
}

#[test]
fn no_opened_event_is_an_error_not_a_panic() {
    assert!(fold(&[]).is_err());
}

#[test]
fn opened_sets_title_severity_detected_and_clocks_from_detected() {
    let inc = Script::new().fold();
    assert_eq!(inc.title, "Records exposed");
    assert_eq!(inc.severity, "low");
    assert_eq!(inc.detected_at, t("2026-11-27T08:00:00Z"));
    assert_eq!(inc.milestones[0].id, "detected");
    let press = &inc.stakeholder("press").unwrap().deadlines[0];
    assert_eq!(press.due, Some(t("2026-11-27T09:00:00Z")));
    assert_eq!(inc.checklist[0].due, Some(t("2026-11-27T08:30:00Z")));
}

#[test]
fn deadline_states_waiting_pending_overdue_met_late() {
    let mut s = Script::new();
    let inc = s.fold();
    assert_eq!(
        state_of(&inc, "dpa", "early", "2026-11-27T09:00:00Z"),
        DeadlineState::Waiting
    );
    assert_eq!(
        state_of(&inc, "press", "Holding statement", "2026-11-27T08:59:59Z"),
        DeadlineState::Pending
    );
    assert_eq!(
        state_of(&inc, "press", "Holding statement", "2026-11-27T09:00:01Z"),
        DeadlineState::Overdue
    );

    s.push(2, "2026-11-27T08:10:00Z", milestone("aware"));
    s.push(
        3,
        "2026-11-27T08:20:00Z",
        draft("press", "We know. We care."),
    );
    s.push(4, "2026-11-27T08:25:00Z", approve(3, "lead"));
    s.push(5, "2026-11-27T08:26:00Z", approve(3, "legal"));
    s.push(6, "2026-11-27T08:40:00Z", sent("press", Some(3), None));
    let inc = s.fold();
    assert_eq!(
        state_of(&inc, "press", "Holding statement", "2026-11-28T00:00:00Z"),
        DeadlineState::Met
    );
    let early = &inc.stakeholder("dpa").unwrap().deadlines[0];
    assert_eq!(early.due, Some(t("2026-11-28T08:10:00Z")));
    assert_eq!(
        state_of(&inc, "dpa", "early", "2026-11-27T09:00:00Z"),
        DeadlineState::Pending
    );

    s.push(7, "2026-11-28T09:00:00Z", sent("dpa", None, None));
    let inc = s.fold();
    assert_eq!(
        state_of(&inc, "dpa", "early", "2026-11-29T00:00:00Z"),
        DeadlineState::Late
    );
    assert_eq!(
        state_of(&inc, "dpa", "full", "2026-11-29T00:00:00Z"),
        DeadlineState::Pending
    );
}

#[test]
fn a_message_meets_the_earliest_due_running_deadline_or_the_one_it_names() {
    let mut s = Script::new();
    s.push(2, "2026-11-27T08:10:00Z", milestone("aware"));
    s.push(3, "2026-11-27T09:00:00Z", sent("dpa", None, Some("full")));
    s.push(4, "2026-11-27T10:00:00Z", sent("dpa", None, None));
    let inc = s.fold();
    let dpa = inc.stakeholder("dpa").unwrap();
    assert_eq!(
        dpa.deadlines[1].met_at,
        Some(t("2026-11-27T09:00:00Z")),
        "named"
    );
    assert_eq!(
        dpa.deadlines[0].met_at,
        Some(t("2026-11-27T10:00:00Z")),
        "then the early one"
    );
    assert_eq!(dpa.deadlines[0].met_by, Some(id(4)));
    // A message before a clock starts meets nothing.
    let mut s = Script::new();
    s.push(2, "2026-11-27T08:05:00Z", sent("dpa", None, None));
    s.push(3, "2026-11-27T08:10:00Z", milestone("aware"));
    let inc = s.fold();
    assert!(
        inc.stakeholder("dpa")
            .unwrap()
            .deadlines
            .iter()
            .all(|d| d.met_at.is_none())
    );
    assert_eq!(inc.messages[0].sent.as_ref().unwrap().met_deadline, None);
}

#[test]
fn business_day_deadlines_run_in_the_playbook_zone() {
    let mut s = Script::new();
    s.push(
        2,
        "2026-11-27T08:00:00Z",
        Body::SeverityChanged {
            severity: "high".into(),
            reason: Some("on the news".into()),
        },
    );
    // Friday 27 Nov 2026, 13:00 Warsaw. Four business days: Mon, Tue, Wed, Thu → end of Thu 3 Dec.
    s.push(3, "2026-11-27T12:00:00Z", milestone("material"));
    let inc = s.fold();
    let d = &inc.stakeholder("sec").unwrap().deadlines[0];
    assert_eq!(d.due, Some(t("2026-12-03T22:59:59Z")));
    assert!(inc.stakeholder("sec").unwrap().in_play);
    assert_eq!(inc.severity_history.len(), 2);
}

#[test]
fn approvals_blanks_objections_and_edits() {
    let mut s = Script::new();
    s.push(
        2,
        "2026-11-27T08:05:00Z",
        draft("press", "{{fill:count}} records were affected."),
    );
    let inc = s.fold();
    assert_eq!(
        inc.messages[0].status(&inc.playbook),
        MessageStatus::Draft {
            blanks: vec!["count".into()]
        }
    );
    s.push(
        3,
        "2026-11-27T08:06:00Z",
        Body::MessageEdited {
            message: id(2),
            text: "1,200 records were affected.".into(),
        },
    );
    s.push(4, "2026-11-27T08:07:00Z", approve(2, "lead"));
    let inc = s.fold();
    assert_eq!(
        inc.messages[0].status(&inc.playbook),
        MessageStatus::AwaitingApproval {
            missing: vec!["legal".into()],
            objections: vec![]
        }
    );
    assert_eq!(inc.pending_approvals().count(), 1);
    s.push(
        5,
        "2026-11-27T08:08:00Z",
        Body::MessageObjected {
            message: id(2),
            role: "legal".into(),
            comment: "Do not give the number yet".into(),
        },
    );
    let inc = s.fold();
    assert_eq!(
        inc.messages[0].status(&inc.playbook),
        MessageStatus::AwaitingApproval {
            missing: vec!["legal".into()],
            objections: vec!["legal".into()]
        }
    );
    s.push(6, "2026-11-27T08:09:00Z", approve(2, "legal"));
    assert_eq!(
        s.fold().messages[0].status(&s.fold().playbook),
        MessageStatus::Approved
    );
    // An edit after approval: they approved other words.
    s.push(
        7,
        "2026-11-27T08:10:00Z",
        Body::MessageEdited {
            message: id(2),
            text: "About 1,200 records were affected.".into(),
        },
    );
    let inc = s.fold();
    assert_eq!(inc.messages[0].edits, 2);
    assert!(inc.messages[0].approvals.is_empty());
    s.push(8, "2026-11-27T08:11:00Z", approve(2, "lead"));
    s.push(9, "2026-11-27T08:12:00Z", approve(2, "legal"));
    s.push(
        10,
        "2026-11-27T08:30:00Z",
        Body::MessageSent {
            stakeholder: "press".into(),
            message: Some(id(2)),
            text: None,
            channel: Some("press release".into()),
            fulfils: None,
            override_reason: None,
        },
    );
    let inc = s.fold();
    assert_eq!(inc.messages[0].status(&inc.playbook), MessageStatus::Sent);
    assert_eq!(
        inc.stakeholder("press").unwrap().last_sent_at,
        Some(t("2026-11-27T08:30:00Z"))
    );
}

#[test]
fn an_override_is_recorded_with_its_reason() {
    let mut s = Script::new();
    s.push(
        2,
        "2026-11-27T08:05:00Z",
        Body::MessageSent {
            stakeholder: "press".into(),
            message: None,
            text: Some("Statement".into()),
            channel: None,
            fulfils: None,
            override_reason: Some("Legal unreachable; CEO approved by phone".into()),
        },
    );
    let inc = s.fold();
    let sending = inc.messages[0].sent.as_ref().unwrap();
    assert_eq!(
        sending.override_reason.as_deref(),
        Some("Legal unreachable; CEO approved by phone")
    );
    assert_eq!(sending.met_deadline.as_deref(), Some("Holding statement"));
}

#[test]
fn cadence_sets_next_update_from_stakeholder_or_severity() {
    let mut s = Script::new();
    s.push(2, "2026-11-27T09:00:00Z", sent("staff", None, None));
    s.push(3, "2026-11-27T09:00:00Z", sent("dpa", None, None));
    let inc = s.fold();
    assert_eq!(
        inc.stakeholder("staff").unwrap().next_update_due,
        Some(t("2026-11-27T11:00:00Z"))
    );
    assert_eq!(
        inc.stakeholder("dpa").unwrap().next_update_due,
        Some(t("2026-11-28T09:00:00Z"))
    );
    s.push(
        4,
        "2026-11-27T09:30:00Z",
        Body::SeverityChanged {
            severity: "high".into(),
            reason: None,
        },
    );
    let inc = s.fold();
    assert_eq!(
        inc.stakeholder("dpa").unwrap().next_update_due,
        Some(t("2026-11-27T13:00:00Z"))
    );
    assert_eq!(
        inc.stakeholder("press").unwrap().next_update_due,
        None,
        "never sent"
    );
}

#[test]
fn min_severity_decides_who_is_in_play() {
    let mut s = Script::new();
    assert!(!s.fold().stakeholder("sec").unwrap().in_play);
    s.push(
        2,
        "2026-11-27T09:00:00Z",
        Body::SeverityChanged {
            severity: "high".into(),
            reason: None,
        },
    );
    assert!(s.fold().stakeholder("sec").unwrap().in_play);
}

#[test]
fn inquiries_requests_answers_and_mentions() {
    let mut s = Script::new();
    s.push(
        2,
        "2026-11-27T09:00:00Z",
        Body::MediaInquiry {
            from: "Reuters".into(),
            journalist: Some("J. Doe".into()),
            question: "How many customers?".into(),
            reply_within: Some("2h".parse().unwrap()),
        },
    );
    s.push(
        3,
        "2026-11-27T09:05:00Z",
        Body::StakeholderRequest {
            stakeholder: "dpa".into(),
            text: "Send the log".into(),
            reply_within: None,
        },
    );
    s.push(
        4,
        "2026-11-27T09:10:00Z",
        Body::MediaMention {
            source: "X".into(),
            url: None,
            text: "Rumour".into(),
            sentiment: Some("negative".into()),
        },
    );
    let inc = s.fold();
    assert_eq!(inc.inquiries.len(), 2);
    assert_eq!(inc.inquiries[0].reply_by, Some(t("2026-11-27T11:00:00Z")));
    assert!(inc.inquiries[0].is_overdue(t("2026-11-27T11:00:01Z")));
    assert_eq!(inc.inquiries[1].kind, InquiryKind::Request);
    assert_eq!(inc.inquiries[1].from, "Regulator");
    assert_eq!(inc.mentions.len(), 1);
    s.push(
        5,
        "2026-11-27T10:00:00Z",
        Body::InquiryAnswered {
            inquiry: id(2),
            text: "We will update at 14:00".into(),
        },
    );
    let inc = s.fold();
    assert_eq!(inc.open_inquiries().count(), 1);
    assert!(!inc.inquiries[0].is_overdue(t("2026-11-28T00:00:00Z")));
}

#[test]
fn checklist_actions_decisions_facts_lessons_and_close() {
    let mut s = Script::new();
    s.push(
        2,
        "2026-11-27T08:20:00Z",
        Body::ChecklistDone { item: "h1".into() },
    );
    s.push(
        3,
        "2026-11-27T08:21:00Z",
        Body::ActionAdded {
            text: "Brief the call centre".into(),
            owner: Some("lead".into()),
            due: Some(t("2026-11-27T12:00:00Z")),
        },
    );
    s.push(
        4,
        "2026-11-27T08:22:00Z",
        Body::Decision {
            text: "Notify the regulator today".into(),
        },
    );
    s.push(
        5,
        "2026-11-27T08:23:00Z",
        Body::Fact {
            text: "1,200 records".into(),
            confirmed: false,
        },
    );
    s.push(
        6,
        "2026-11-27T08:24:00Z",
        Body::Lesson {
            text: "Contacts list was stale".into(),
            lesson: LessonKind::Wrong,
        },
    );
    s.push(
        7,
        "2026-11-27T08:25:00Z",
        Body::Note {
            text: "Phone rang".into(),
        },
    );
    let inc = s.fold();
    assert!(inc.checklist[0].done.is_some());
    assert!(inc.checklist[1].is_overdue(t("2026-11-27T09:00:01Z")));
    assert!(inc.actions[0].is_overdue(t("2026-11-27T12:00:01Z")));
    assert_eq!(inc.decisions[0].text, "Notify the regulator today");
    assert!(!inc.facts[0].1);
    assert_eq!(inc.lessons[0].1, LessonKind::Wrong);
    assert_eq!(inc.closed_at, None);
    s.push(
        8,
        "2026-11-27T13:00:00Z",
        Body::ActionDone { action: id(3) },
    );
    s.push(
        9,
        "2026-11-27T14:00:00Z",
        Body::IncidentClosed {
            text: Some("Stood down".into()),
        },
    );
    let inc = s.fold();
    assert_eq!(inc.open_actions().count(), 0);
    assert_eq!(inc.closed_at, Some(t("2026-11-27T14:00:00Z")));
    assert_eq!(inc.event_count, 9);
    assert!(inc.anomalies.is_empty(), "{:?}", inc.anomalies);
}

#[test]
fn amend_and_retract_are_honoured() {
    let mut s = Script::new();
    s.push(
        2,
        "2026-11-27T09:00:00Z",
        Body::Decision {
            text: "Wrong words".into(),
        },
    );
    s.push(3, "2026-11-27T09:30:00Z", milestone("aware"));
    s.push(4, "2026-11-27T09:40:00Z", sent("dpa", None, None));
    s.push(
        5,
        "2026-11-27T10:00:00Z",
        Body::Amend {
            target: id(2),
            text: Some("Right words".into()),
            new_at: None,
            reason: None,
        },
    );
    // The breach was really confirmed earlier than it was logged.
    s.push(
        6,
        "2026-11-27T10:01:00Z",
        Body::Amend {
            target: id(3),
            text: None,
            new_at: Some(t("2026-11-27T08:30:00Z")),
            reason: Some("logged late".into()),
        },
    );
    s.push(
        7,
        "2026-11-27T10:02:00Z",
        Body::Retract {
            target: id(4),
            reason: "Not actually sent".into(),
        },
    );
    let inc = s.fold();
    assert_eq!(inc.decisions[0].text, "Right words");
    assert_eq!(inc.milestone_at("aware"), Some(t("2026-11-27T08:30:00Z")));
    assert_eq!(
        inc.stakeholder("dpa").unwrap().deadlines[0].due,
        Some(t("2026-11-28T08:30:00Z"))
    );
    assert!(
        inc.stakeholder("dpa")
            .unwrap()
            .deadlines
            .iter()
            .all(|d| d.met_at.is_none())
    );
    assert!(inc.retracted.contains_key(&id(4)));
    assert_eq!(inc.amended[&id(2)], vec![id(5)]);
    assert!(inc.messages.is_empty());
}

#[test]
fn references_to_unknown_things_are_reported_not_fatal() {
    let mut s = Script::new();
    s.push(2, "2026-11-27T09:00:00Z", approve(99, "legal"));
    s.push(3, "2026-11-27T09:00:00Z", milestone("nonexistent"));
    s.push(4, "2026-11-27T09:00:00Z", Body::Unknown);
    let inc = s.fold();
    assert_eq!(inc.anomalies.len(), 2, "{:?}", inc.anomalies);
}

#[test]
fn back_dated_events_fold_like_in_order_ones() {
    // In order.
    let mut a = Script::new();
    a.push(2, "2026-11-27T08:10:00Z", milestone("aware"));
    a.push(3, "2026-11-27T09:00:00Z", sent("dpa", None, None));
    // The same facts, the milestone logged afterwards but back-dated.
    let mut b = Script::new();
    b.push(3, "2026-11-27T09:00:00Z", sent("dpa", None, None));
    b.push(2, "2026-11-27T08:10:00Z", milestone("aware"));
    let (fa, fb) = (a.fold(), b.fold());
    assert_eq!(fa.stakeholders, fb.stakeholders);
    assert_eq!(
        fb.stakeholder("dpa").unwrap().deadlines[0].met_at,
        Some(t("2026-11-27T09:00:00Z"))
    );
}

/// A rich script used by the order-independence property.
fn rich_script() -> Vec<Stored<Event>> {
    let mut s = Script::new();
    s.push_as(2, "2026-11-27T08:10:00Z", "c2", milestone("aware"));
    s.push_as(3, "2026-11-27T08:20:00Z", "c1", draft("press", "We know."));
    s.push_as(4, "2026-11-27T08:25:00Z", "c2", approve(3, "lead"));
    s.push_as(5, "2026-11-27T08:25:00Z", "c1", approve(3, "legal"));
    s.push_as(
        6,
        "2026-11-27T08:40:00Z",
        "c3",
        sent("press", Some(3), None),
    );
    s.push_as(7, "2026-11-27T08:40:00Z", "c2", sent("dpa", None, None));
    s.push_as(8, "2026-11-27T08:41:00Z", "c1", sent("dpa", None, None));
    s.push_as(
        9,
        "2026-11-27T09:00:00Z",
        "c3",
        Body::SeverityChanged {
            severity: "high".into(),
            reason: None,
        },
    );
    s.push_as(
        10,
        "2026-11-27T09:05:00Z",
        "c1",
        Body::Retract {
            target: id(8),
            reason: "dup".into(),
        },
    );
    s.push_as(
        11,
        "2026-11-27T09:06:00Z",
        "c2",
        Body::ChecklistDone { item: "h2".into() },
    );
    s.events
}

proptest! {
    #[test]
    fn fold_is_the_same_whatever_order_entries_arrive_in(seed in any::<u64>()) {
        let events = rich_script();
        let mut shuffled = events.clone();
        // A deterministic shuffle from the seed.
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let a = fold(&events).unwrap();
        let b = fold(&shuffled).unwrap();
        prop_assert_eq!(&a.stakeholders, &b.stakeholders);
        prop_assert_eq!(&a.messages, &b.messages);
        prop_assert_eq!(&a.severity, &b.severity);
        prop_assert_eq!(&a.checklist, &b.checklist);
        prop_assert_eq!(a.retracted.len(), b.retracted.len());
    }
}

#[test]
fn entries_referring_to_a_later_dated_draft_still_apply() {
    // Legal's laptop clock runs two minutes behind: its approval is dated before the draft.
    let mut s = Script::new();
    s.push_as(
        3,
        "2026-11-27T08:20:00Z",
        "fast",
        draft("press", "We know. We care."),
    );
    s.push_as(4, "2026-11-27T08:18:00Z", "slow", approve(3, "legal"));
    s.push_as(5, "2026-11-27T08:21:00Z", "fast", approve(3, "lead"));
    s.push_as(
        6,
        "2026-11-27T08:19:00Z",
        "slow",
        Body::InquiryAnswered {
            inquiry: id(7),
            text: "Statement at noon".into(),
        },
    );
    s.push_as(
        7,
        "2026-11-27T08:19:30Z",
        "fast",
        Body::MediaInquiry {
            from: "Reuters".into(),
            journalist: None,
            question: "Comment?".into(),
            reply_within: None,
        },
    );
    let inc = s.fold();
    assert!(inc.anomalies.is_empty(), "{:?}", inc.anomalies);
    assert_eq!(
        inc.messages[0].status(&inc.playbook),
        MessageStatus::Approved
    );
    assert_eq!(inc.inquiries[0].answers.len(), 1);
    // Referring to something that never existed is still reported.
    s.push_as(8, "2026-11-27T08:30:00Z", "fast", approve(99, "legal"));
    assert_eq!(s.fold().anomalies.len(), 1);
}

#[test]
fn an_adopted_playbook_version_is_in_force_until_its_adoption_is_retracted() {
    let edited = PLAYBOOK.replace(
        r#""within": "1h", "from": "detected""#,
        r#""within": "2h", "from": "detected""#,
    );
    assert_ne!(edited, PLAYBOOK);
    let mut s = Script::new();
    s.push(
        2,
        "2026-11-27T08:30:00Z",
        Body::PlaybookAdopted {
            playbook_id: "test".into(),
            playbook_source: edited,
            changes: vec!["press: deadline now within 2h".into()],
        },
    );
    let inc = s.fold();
    assert_eq!(
        inc.stakeholder("press").unwrap().deadlines[0].due,
        Some(t("2026-11-27T10:00:00Z"))
    );
    s.push(
        3,
        "2026-11-27T08:40:00Z",
        Body::Retract {
            target: id(2),
            reason: "wrong file".into(),
        },
    );
    let inc = s.fold();
    assert_eq!(
        inc.stakeholder("press").unwrap().deadlines[0].due,
        Some(t("2026-11-27T09:00:00Z"))
    );
}
