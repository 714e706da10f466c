//! What the journal records: one [`Event`] per thing that happened in an incident.
//!
//! Events are facts, never edited: a correction is a new [`Body::Amend`] or [`Body::Retract`]
//! event referring to the one it corrects. The JSON shape is a public, versioned interface
//! (`docs/journal-format.md`): new optional fields may be added; an event kind this version
//! does not know is kept as [`Body::Unknown`] and shown, never treated as corruption.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::journal::Name;
use crate::playbook::duration::Duration;
use crate::playbook::model::Inject;

/// Version of the event vocabulary this build writes.
pub const EVENT_VERSION: u32 = 1;

/// One recorded fact about an incident.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// uuid v7: time-ordered, unique across consoles.
    pub id: Uuid,
    /// When it happened; may be earlier than `recorded_at` (back-dated entries).
    pub at: Timestamp,
    /// When the console wrote it.
    pub recorded_at: Timestamp,
    /// Who recorded it (`name@host` by default).
    pub author: Name,
    /// The console (journal file) that wrote it.
    pub console: Name,
    /// The incident it belongs to: the id of its `incident_opened` entry. A record of another
    /// incident (a journal file copied into the wrong folder) is recognised by it and not
    /// folded in. Absent in entries written before it existed, which belong to any incident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<Uuid>,
    /// What happened.
    #[serde(rename = "event")]
    pub body: Body,
}

impl crate::journal::Entry for Event {
    fn id(&self) -> Uuid {
        self.id
    }
    fn at(&self) -> Timestamp {
        self.at
    }
}

/// How a lesson is classed in the after-action review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LessonKind {
    /// What went well: keep doing it.
    Well,
    /// What went wrong: fix it.
    Wrong,
    /// Where we got lucky: do not count on it next time.
    Lucky,
}

impl LessonKind {
    /// Words for reports and screens.
    pub fn label(self) -> &'static str {
        match self {
            LessonKind::Well => "went well",
            LessonKind::Wrong => "went wrong",
            LessonKind::Lucky => "got lucky",
        }
    }
}

/// How well players performed an expected action of an exercise inject (HSEEP ratings).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Rating {
    /// P: performed without challenges.
    #[serde(rename = "P")]
    Performed,
    /// S: performed with some challenges.
    #[serde(rename = "S")]
    SomeChallenges,
    /// M: performed with major challenges.
    #[serde(rename = "M")]
    MajorChallenges,
    /// U: unable to be performed.
    #[serde(rename = "U")]
    Unable,
}

impl Rating {
    /// Every rating, best first.
    pub const ALL: [Rating; 4] = [
        Rating::Performed,
        Rating::SomeChallenges,
        Rating::MajorChallenges,
        Rating::Unable,
    ];

    /// The letter evaluators write: P, S, M or U.
    pub fn letter(self) -> &'static str {
        match self {
            Rating::Performed => "P",
            Rating::SomeChallenges => "S",
            Rating::MajorChallenges => "M",
            Rating::Unable => "U",
        }
    }

    /// What the letter means.
    pub fn label(self) -> &'static str {
        match self {
            Rating::Performed => "performed without challenges",
            Rating::SomeChallenges => "performed with some challenges",
            Rating::MajorChallenges => "performed with major challenges",
            Rating::Unable => "unable to be performed",
        }
    }

    /// Reads a letter (either case).
    pub fn from_letter(s: &str) -> Option<Rating> {
        Rating::ALL
            .into_iter()
            .find(|r| r.letter().eq_ignore_ascii_case(s.trim()))
    }
}

/// What happened. Tagged by `kind` in JSON: `{"kind":"note","text":…}`.
///
/// The derive below is the plain (externally tagged) form, as inherent functions; the
/// `Serialize` and `Deserialize` impls put `kind` inside the object (see `tagged.rs`: reading
/// that form through the derive buffered every entry).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", remote = "Self")]
pub enum Body {
    /// The incident was opened on a playbook; the playbook's text is kept whole so the
    /// record shows exactly which rules were in force.
    IncidentOpened {
        title: String,
        playbook_id: String,
        /// The playbook file's text, byte for byte.
        playbook_source: String,
        severity: String,
        /// When the organisation learned of the incident (the `detected` anchor).
        detected_at: Timestamp,
        #[serde(default)]
        exercise: bool,
    },
    Note {
        text: String,
    },
    Decision {
        text: String,
    },
    Fact {
        text: String,
        #[serde(default = "yes")]
        confirmed: bool,
    },
    MilestoneMarked {
        milestone: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    SeverityChanged {
        severity: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// A message drafted for a stakeholder; the event's id is the message's id.
    MessageDrafted {
        stakeholder: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        template: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        channel: Option<String>,
        text: String,
    },
    /// A new text for a draft; approvals given before it no longer count.
    MessageEdited {
        message: Uuid,
        text: String,
    },
    MessageApproved {
        message: Uuid,
        role: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    MessageObjected {
        message: Uuid,
        role: String,
        comment: String,
    },
    /// A message went out. `at` is when it was sent.
    MessageSent {
        stakeholder: String,
        /// The draft that was sent; absent for a message logged after the fact.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<Uuid>,
        /// The text, when there is no draft.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        channel: Option<String>,
        /// The deadline (id, or label when it has none) this message meets, when named.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fulfils: Option<String>,
        /// Why it went out without every approval.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        override_reason: Option<String>,
    },
    MediaInquiry {
        /// Outlet or person asking ("Reuters", "BBC Radio 4").
        from: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        journalist: Option<String>,
        question: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_within: Option<Duration>,
    },
    /// A reply to a media inquiry or a stakeholder request.
    InquiryAnswered {
        inquiry: Uuid,
        text: String,
    },
    MediaMention {
        source: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        url: Option<String>,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sentiment: Option<String>,
    },
    StakeholderRequest {
        stakeholder: String,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply_within: Option<Duration>,
    },
    ChecklistDone {
        item: String,
    },
    ActionAdded {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due: Option<Timestamp>,
    },
    ActionDone {
        action: Uuid,
    },
    Lesson {
        text: String,
        lesson: LessonKind,
    },
    /// Corrects an earlier event's text and/or the time it happened.
    Amend {
        target: Uuid,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        new_at: Option<Timestamp>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Withdraws an earlier event: it stays in the record, marked retracted.
    Retract {
        target: Uuid,
        reason: String,
    },
    IncidentClosed {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// The team adopted an edited version of the playbook: from here on its rules (audiences,
    /// deadlines, approvals, templates) are the ones in force. Kept whole, like the first.
    PlaybookAdopted {
        playbook_id: String,
        playbook_source: String,
        /// What changed, in words, as the team saw it when adopting.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        changes: Vec<String>,
    },
    /// A tabletop exercise's master scenario events list and clock, written right after
    /// `incident_opened` when the exercise is created. Entries of an exercise are dated in
    /// scenario time (`at`) and carry the real time in `recorded_at`.
    ExercisePlanned {
        /// The scenario time the exercise begins at (the `detected` anchor).
        scenario_start: Timestamp,
        /// Scenario seconds per real second until the facilitator changes it (1 to 120).
        speed: u32,
        /// The injects, from the playbook or a CSV MSEL.
        injects: Vec<Inject>,
        /// The CSV file the injects came from; absent when they are the playbook's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        msel: Option<String>,
    },
    /// The facilitator started the exercise clock (players are briefed).
    ExerciseStarted,
    /// The exercise clock stopped; scenario time holds.
    ExercisePaused,
    /// The exercise clock runs again from where it was paused.
    ExerciseResumed,
    /// The exercise clock runs at a new speed from here on.
    ExerciseSpeed {
        speed: u32,
    },
    /// The exercise clock jumped forward to scenario time `to`.
    ExerciseJumped {
        to: Timestamp,
    },
    /// An inject reached the players. Its id is derived from the exercise and the inject, so
    /// it is delivered once however many consoles deliver it. The inject is kept as the players
    /// received it (without its `expect` list).
    InjectDelivered {
        /// Boxed: an inject is large and most entries are small.
        inject: Box<Inject>,
        /// Delivered by the facilitator before its time.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        early: bool,
        /// Written by the facilitator on the spot, not from the MSEL.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        improvised: bool,
    },
    /// The facilitator took an inject out of play.
    InjectSkipped {
        inject: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// An evaluator's rating of one expected action (`item`, from 1) of an inject; a later
    /// rating of the same item replaces it.
    InjectRated {
        inject: String,
        item: u32,
        rating: Rating,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A finding of the "what did we tell whom" check was seen and accepted, with a reason:
    /// it no longer warns, and the record and the report keep it with the reason.
    FindingAcknowledged {
        /// The finding's id (derived from what it is about, so it stays the same).
        finding: String,
        reason: String,
        /// The finding in one sentence as it read when acknowledged.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// A ticked checklist item is open again (ticked by mistake, or not done after all);
    /// the tick stays on record.
    ChecklistUndone {
        item: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Someone started writing the answer to an inquiry: every console shows it as being
    /// answered by them, so two people do not answer one journalist differently.
    InquiryClaimed {
        inquiry: Uuid,
    },
    /// A kind written by a newer crisisdesk: kept in the record, ignored by the fold.
    #[serde(other)]
    Unknown,
}

fn yes() -> bool {
    true
}

impl Serialize for Body {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        super::tagged::serialize(self, s)
    }
}

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Body, D::Error> {
        super::tagged::deserialize(d)
    }
}

impl Body {
    /// The `kind` name as written in the journal.
    pub fn kind(&self) -> &'static str {
        match self {
            Body::IncidentOpened { .. } => "incident_opened",
            Body::Note { .. } => "note",
            Body::Decision { .. } => "decision",
            Body::Fact { .. } => "fact",
            Body::MilestoneMarked { .. } => "milestone_marked",
            Body::SeverityChanged { .. } => "severity_changed",
            Body::MessageDrafted { .. } => "message_drafted",
            Body::MessageEdited { .. } => "message_edited",
            Body::MessageApproved { .. } => "message_approved",
            Body::MessageObjected { .. } => "message_objected",
            Body::MessageSent { .. } => "message_sent",
            Body::MediaInquiry { .. } => "media_inquiry",
            Body::InquiryAnswered { .. } => "inquiry_answered",
            Body::MediaMention { .. } => "media_mention",
            Body::StakeholderRequest { .. } => "stakeholder_request",
            Body::ChecklistDone { .. } => "checklist_done",
            Body::ActionAdded { .. } => "action_added",
            Body::ActionDone { .. } => "action_done",
            Body::Lesson { .. } => "lesson",
            Body::Amend { .. } => "amend",
            Body::Retract { .. } => "retract",
            Body::IncidentClosed { .. } => "incident_closed",
            Body::PlaybookAdopted { .. } => "playbook_adopted",
            Body::ExercisePlanned { .. } => "exercise_planned",
            Body::ExerciseStarted => "exercise_started",
            Body::ExercisePaused => "exercise_paused",
            Body::ExerciseResumed => "exercise_resumed",
            Body::ExerciseSpeed { .. } => "exercise_speed",
            Body::ExerciseJumped { .. } => "exercise_jumped",
            Body::InjectDelivered { .. } => "inject_delivered",
            Body::InjectSkipped { .. } => "inject_skipped",
            Body::InjectRated { .. } => "inject_rated",
            Body::FindingAcknowledged { .. } => "finding_acknowledged",
            Body::ChecklistUndone { .. } => "checklist_undone",
            Body::InquiryClaimed { .. } => "inquiry_claimed",
            Body::Unknown => "unknown",
        }
    }

    /// The free text an amendment replaces, if this kind has one.
    pub fn text(&self) -> Option<&str> {
        match self {
            Body::Note { text }
            | Body::Decision { text }
            | Body::Fact { text, .. }
            | Body::MessageDrafted { text, .. }
            | Body::MessageEdited { text, .. }
            | Body::InquiryAnswered { text, .. }
            | Body::MediaMention { text, .. }
            | Body::StakeholderRequest { text, .. }
            | Body::ActionAdded { text, .. }
            | Body::Lesson { text, .. } => Some(text),
            Body::MediaInquiry { question, .. } => Some(question),
            Body::MilestoneMarked { text, .. } | Body::IncidentClosed { text } => text.as_deref(),
            Body::SeverityChanged { reason, .. } => reason.as_deref(),
            Body::MessageApproved { comment, .. } => comment.as_deref(),
            Body::MessageObjected { comment, .. } => Some(comment),
            Body::MessageSent { text, .. } => text.as_deref(),
            Body::Retract { reason, .. } | Body::FindingAcknowledged { reason, .. } => Some(reason),
            Body::Amend { text, .. } => text.as_deref(),
            Body::IncidentOpened { title, .. } => Some(title),
            Body::InjectDelivered { inject, .. } => Some(&inject.text),
            Body::InjectSkipped { reason, .. } => reason.as_deref(),
            Body::InjectRated { note, .. } => note.as_deref(),
            Body::ChecklistUndone { reason, .. } => reason.as_deref(),
            Body::ChecklistDone { .. }
            | Body::InquiryClaimed { .. }
            | Body::ActionDone { .. }
            | Body::PlaybookAdopted { .. }
            | Body::ExercisePlanned { .. }
            | Body::ExerciseStarted
            | Body::ExercisePaused
            | Body::ExerciseResumed
            | Body::ExerciseSpeed { .. }
            | Body::ExerciseJumped { .. }
            | Body::Unknown => None,
        }
    }

    /// True for the entries that run an exercise (its plan, clock, deliveries, skips and
    /// ratings) rather than record what players did.
    pub fn is_exercise_control(&self) -> bool {
        matches!(
            self,
            Body::ExercisePlanned { .. }
                | Body::ExerciseStarted
                | Body::ExercisePaused
                | Body::ExerciseResumed
                | Body::ExerciseSpeed { .. }
                | Body::ExerciseJumped { .. }
                | Body::InjectDelivered { .. }
                | Body::InjectSkipped { .. }
                | Body::InjectRated { .. }
        )
    }

    /// Replaces the free text (for amendments); false when this kind has none to replace.
    pub fn set_text(&mut self, new: String) -> bool {
        match self {
            Body::Note { text }
            | Body::Decision { text }
            | Body::Fact { text, .. }
            | Body::MessageDrafted { text, .. }
            | Body::MessageEdited { text, .. }
            | Body::InquiryAnswered { text, .. }
            | Body::MediaMention { text, .. }
            | Body::StakeholderRequest { text, .. }
            | Body::ActionAdded { text, .. }
            | Body::Lesson { text, .. } => *text = new,
            Body::MediaInquiry { question, .. } => *question = new,
            Body::MilestoneMarked { text, .. } | Body::IncidentClosed { text } => *text = Some(new),
            Body::SeverityChanged { reason, .. } => *reason = Some(new),
            Body::MessageObjected { comment, .. } => *comment = new,
            Body::MessageApproved { comment, .. } => *comment = Some(new),
            Body::FindingAcknowledged { reason, .. } => *reason = new,
            _ => return false,
        }
        true
    }
}

/// Who and where, stamped on every event a console writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub author: String,
    pub console: String,
}

impl Event {
    /// A new event happening at `at`, recorded at `now`.
    pub fn new(id: Uuid, at: Timestamp, now: Timestamp, origin: &Origin, body: Body) -> Event {
        Event {
            id,
            at,
            recorded_at: now,
            author: Name::from(&origin.author),
            console: Name::from(&origin.console),
            incident: None,
            body,
        }
    }

    /// The short form of an id shown on screens and accepted by the CLI: its last 8 hex
    /// digits (a uuid v7 starts with the time, so its start is shared by nearby events).
    pub fn short_id(id: &Uuid) -> String {
        let s = id.simple().to_string();
        s[s.len() - 8..].to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_is_stable() {
        let e = Event {
            id: Uuid::from_u128(1),
            at: "2026-11-27T10:00:00Z".parse().unwrap(),
            recorded_at: "2026-11-27T10:00:05Z".parse().unwrap(),
            author: "anna@laptop".into(),
            console: "anna-laptop-0001".into(),
            incident: None,
            body: Body::Fact {
                text: "Plant evacuated".into(),
                confirmed: false,
            },
        };
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"id":"00000000-0000-0000-0000-000000000001","at":"2026-11-27T10:00:00Z","recorded_at":"2026-11-27T10:00:05Z","author":"anna@laptop","console":"anna-laptop-0001","event":{"kind":"fact","text":"Plant evacuated","confirmed":false}}"#
        );
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
    }

    #[test]
    fn unknown_kinds_from_newer_versions_are_kept_not_rejected() {
        let json = r#"{"id":"00000000-0000-0000-0000-000000000002","at":"2026-11-27T10:00:00Z","recorded_at":"2026-11-27T10:00:00Z","author":"a","console":"c","event":{"kind":"hologram_briefing","room":7}}"#;
        let e: Event = serde_json::from_str(json).unwrap();
        assert_eq!(e.body, Body::Unknown);
        assert_eq!(e.body.kind(), "unknown");
    }

    #[test]
    fn amendable_kinds_replace_their_text() {
        let mut b = Body::Decision { text: "old".into() };
        assert!(b.set_text("new".into()));
        assert_eq!(b.text(), Some("new"));
        let mut b = Body::ChecklistDone { item: "x".into() };
        assert!(!b.set_text("new".into()));
        assert_eq!(Event::short_id(&Uuid::from_u128(0xabcdef0123)), "cdef0123");
    }
}
