//! The incident as it stands: a pure fold over the merged journal and the playbook.
//!
//! Events are applied in the order they *happened* (`at`, then console, then sequence), after
//! amendments and retractions are taken into account, so a back-dated entry or a file read in a
//! different order folds to exactly the same state. Nothing here depends on the clock: whether
//! a deadline is overdue is asked with an explicit `now`.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::Timestamp;
use uuid::Uuid;

use super::event::{Body, Event, LessonKind};
use crate::journal::ids::{IdMap, IdState};
use crate::journal::{Name, Stored};
use crate::playbook::calendar::Calendar;
use crate::playbook::duration::Duration;
use crate::playbook::model::{DETECTED, Inject, InjectKind, Playbook};
use crate::playbook::placeholder;

mod live;
pub use live::{Extended, LiveFold};

/// Why a journal could not be folded into an incident at all.
#[derive(Debug, thiserror::Error)]
pub enum FoldError {
    #[error(
        "the journal has no \"incident opened\" entry: this folder is not an incident, or its first entry was lost"
    )]
    NotOpened,
    #[error("the playbook recorded when the incident was opened does not load: {0}")]
    Playbook(String),
}

/// Where a deadline stands at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeadlineState {
    /// Overdue: not met and past due. Sorted first: it is what matters most.
    Overdue,
    /// Running, not yet due.
    Pending,
    /// Its clock has not started: the milestone it runs from is not marked.
    Waiting,
    /// Met after it was due.
    Late,
    /// Met in time.
    Met,
}

impl DeadlineState {
    /// The word used in JSON and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineState::Overdue => "overdue",
            DeadlineState::Pending => "pending",
            DeadlineState::Waiting => "waiting",
            DeadlineState::Late => "late",
            DeadlineState::Met => "met",
        }
    }
}

/// One deadline of one stakeholder, with its clock.
#[derive(Clone, Debug, PartialEq)]
pub struct DeadlineClock {
    /// The deadline's id, or its label when it has none: how a message names it.
    pub key: String,
    pub label: String,
    /// `detected` or a milestone id.
    pub from: String,
    pub within: Duration,
    pub basis: Option<String>,
    /// When its milestone was marked.
    pub anchor_at: Option<Timestamp>,
    pub due: Option<Timestamp>,
    /// When a message meeting it was sent, and which message.
    pub met_at: Option<Timestamp>,
    pub met_by: Option<Uuid>,
}

impl DeadlineClock {
    /// Where it stands at `now`.
    pub fn state(&self, now: Timestamp) -> DeadlineState {
        match (self.due, self.met_at) {
            (None, _) => DeadlineState::Waiting,
            (Some(due), Some(met)) if met <= due => DeadlineState::Met,
            (Some(_), Some(_)) => DeadlineState::Late,
            (Some(due), None) if now > due => DeadlineState::Overdue,
            (Some(_), None) => DeadlineState::Pending,
        }
    }
}

/// One audience and its clocks.
#[derive(Clone, Debug, PartialEq)]
pub struct StakeholderState {
    pub id: String,
    /// In play at the current severity (`min_severity`).
    pub in_play: bool,
    pub last_sent_at: Option<Timestamp>,
    pub sent_count: usize,
    /// When the next update is due, by the stakeholder's or the severity's cadence.
    pub next_update_due: Option<Timestamp>,
    pub deadlines: Vec<DeadlineClock>,
}

impl StakeholderState {
    /// The unmet running deadline due first.
    pub fn next_deadline(&self) -> Option<&DeadlineClock> {
        self.deadlines
            .iter()
            .filter(|d| d.met_at.is_none() && d.due.is_some())
            .min_by_key(|d| d.due)
    }
}

/// An approval or objection by a role.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub role: String,
    pub by: Name,
    pub at: Timestamp,
    pub comment: Option<String>,
    pub event: Uuid,
}

/// How a message was sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Sending {
    pub at: Timestamp,
    pub by: Name,
    pub channel: Option<String>,
    /// The deadline it met, if any.
    pub met_deadline: Option<String>,
    /// Why it went without every approval.
    pub override_reason: Option<String>,
    pub event: Uuid,
}

/// A message to a stakeholder, from draft to sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// The id of the event that drafted it (or sent it, when it was logged as sent directly).
    pub id: Uuid,
    pub stakeholder: String,
    pub template: Option<String>,
    pub channel: Option<String>,
    pub text: String,
    pub drafted_at: Timestamp,
    pub drafted_by: Name,
    /// Times the text was changed after the draft.
    pub edits: usize,
    /// Approvals of the current text (an edit clears them: they approved other words).
    pub approvals: Vec<Verdict>,
    /// Objections to the current text not since withdrawn by an approval from the same role.
    pub objections: Vec<Verdict>,
    pub sent: Option<Sending>,
}

/// Where a message stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MessageStatus {
    /// Has unfilled `{{fill:…}}` blanks: cannot be approved or sent.
    Draft {
        blanks: Vec<String>,
    },
    /// Complete, waiting for these roles (or blocked by an objection).
    AwaitingApproval {
        missing: Vec<String>,
        objections: Vec<String>,
    },
    /// Every approval is in: ready to send.
    Approved,
    Sent,
}

impl MessageStatus {
    /// One word for lists and JSON.
    pub fn as_str(&self) -> &'static str {
        match self {
            MessageStatus::Draft { .. } => "draft",
            MessageStatus::AwaitingApproval { .. } => "awaiting_approval",
            MessageStatus::Approved => "approved",
            MessageStatus::Sent => "sent",
        }
    }

    /// The state in a word or two, for lists.
    pub fn label(&self) -> &'static str {
        match self {
            MessageStatus::Draft { .. } => "draft",
            MessageStatus::AwaitingApproval { .. } => "awaiting approval",
            MessageStatus::Approved => "approved",
            MessageStatus::Sent => "sent",
        }
    }

    /// What stands between the message and sending it, in words: the one place a status is
    /// explained, so the command line, the status summary and the console say the same.
    pub fn reason(&self) -> String {
        match self {
            MessageStatus::Draft { blanks } => format!("blanks to fill: {}", blanks.join(", ")),
            MessageStatus::AwaitingApproval {
                missing,
                objections,
            } => {
                let mut parts = Vec::new();
                if !missing.is_empty() {
                    parts.push(format!("needs approval by {}", missing.join(", ")));
                }
                if !objections.is_empty() {
                    parts.push(format!("objection from {}", objections.join(", ")));
                }
                parts.join("; ")
            }
            MessageStatus::Approved => "approved by every required role — ready to send".into(),
            MessageStatus::Sent => "sent".into(),
        }
    }

    /// The reason cut to a few characters, for a table cell: `needs legal+ceo`.
    pub fn brief(&self) -> String {
        match self {
            MessageStatus::Draft { .. } => "draft".into(),
            MessageStatus::AwaitingApproval { missing, .. } if missing.is_empty() => {
                "objection".into()
            }
            MessageStatus::AwaitingApproval { missing, .. } => {
                format!("needs {}", missing.join("+"))
            }
            MessageStatus::Approved => "ready".into(),
            MessageStatus::Sent => "sent".into(),
        }
    }
}

impl Message {
    /// The unfilled blanks in the text.
    pub fn blanks(&self) -> Vec<String> {
        placeholder::blanks(&self.text)
            .into_iter()
            .map(|(n, _)| n)
            .collect()
    }

    /// Roles the playbook requires for this stakeholder that have not approved the current text.
    pub fn missing_approvals(&self, playbook: &Playbook) -> Vec<String> {
        let required = playbook
            .stakeholder(&self.stakeholder)
            .map(|s| s.approval.as_slice())
            .unwrap_or_default();
        required
            .iter()
            .filter(|r| !self.approvals.iter().any(|a| &a.role == *r))
            .cloned()
            .collect()
    }

    /// Where it stands under the playbook's approval rules.
    pub fn status(&self, playbook: &Playbook) -> MessageStatus {
        if self.sent.is_some() {
            return MessageStatus::Sent;
        }
        let blanks = self.blanks();
        if !blanks.is_empty() {
            return MessageStatus::Draft { blanks };
        }
        let missing = self.missing_approvals(playbook);
        let objections: Vec<String> = self.objections.iter().map(|o| o.role.clone()).collect();
        if missing.is_empty() && objections.is_empty() {
            MessageStatus::Approved
        } else {
            MessageStatus::AwaitingApproval {
                missing,
                objections,
            }
        }
    }
}

/// A media inquiry or a stakeholder request waiting for a reply.
#[derive(Clone, Debug, PartialEq)]
pub struct Inquiry {
    pub id: Uuid,
    /// `media_inquiry` or `stakeholder_request`.
    pub kind: InquiryKind,
    /// Outlet or person; for requests, the stakeholder's name.
    pub from: String,
    pub journalist: Option<String>,
    pub stakeholder: Option<String>,
    pub text: String,
    pub received_at: Timestamp,
    pub reply_by: Option<Timestamp>,
    pub answers: Vec<Answer>,
    /// Who started writing an answer, and when (`inquiry_claimed`), oldest first.
    pub claims: Vec<Claim>,
}

/// Someone writing the answer to an inquiry.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    pub at: Timestamp,
    pub by: Name,
    /// The console they write from (one person may have two).
    pub console: Name,
}

/// Whether an inquiry came from the press or from a stakeholder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InquiryKind {
    Media,
    Request,
}

/// A reply given.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub at: Timestamp,
    pub by: Name,
    /// The console it was recorded from (one person may have two).
    pub console: Name,
    pub text: String,
    pub event: Uuid,
}

impl Inquiry {
    /// Still waiting for a reply.
    pub fn is_open(&self) -> bool {
        self.answers.is_empty()
    }
    /// Open and past its reply deadline.
    pub fn is_overdue(&self, now: Timestamp) -> bool {
        self.is_open() && self.reply_by.is_some_and(|d| now > d)
    }
}

/// Coverage seen in the media.
#[derive(Clone, Debug, PartialEq)]
pub struct Mention {
    pub id: Uuid,
    pub at: Timestamp,
    pub source: String,
    pub url: Option<String>,
    pub text: String,
    pub sentiment: Option<String>,
}

/// A playbook checklist item and whether it is done.
#[derive(Clone, Debug, PartialEq)]
pub struct ChecklistEntry {
    pub id: String,
    pub phase: String,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<Timestamp>,
    pub done: Option<Done>,
}

impl ChecklistEntry {
    /// Not done and past due.
    pub fn is_overdue(&self, now: Timestamp) -> bool {
        overdue(&self.done, self.due, now)
    }
}

/// Not done and past its due time (checklist items and actions alike).
fn overdue(done: &Option<Done>, due: Option<Timestamp>, now: Timestamp) -> bool {
    done.is_none() && due.is_some_and(|d| now > d)
}

/// Who finished something, and when.
#[derive(Clone, Debug, PartialEq)]
pub struct Done {
    pub at: Timestamp,
    pub by: Name,
}

/// A follow-up action added during the incident.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub id: Uuid,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<Timestamp>,
    pub added_at: Timestamp,
    pub added_by: Name,
    pub done: Option<Done>,
}

impl Action {
    /// Not done and past due.
    pub fn is_overdue(&self, now: Timestamp) -> bool {
        overdue(&self.done, self.due, now)
    }
}

/// A milestone and when it was marked.
#[derive(Clone, Debug, PartialEq)]
pub struct MilestoneMark {
    pub id: String,
    pub name: String,
    pub at: Timestamp,
    pub by: Name,
}

/// A change of severity.
#[derive(Clone, Debug, PartialEq)]
pub struct SeverityChange {
    pub at: Timestamp,
    pub severity: String,
    pub by: Name,
    pub reason: Option<String>,
}

/// A text entry kept for reports (decisions, facts, lessons).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: Uuid,
    pub at: Timestamp,
    pub by: Name,
    pub text: String,
}

/// A finding of the check accepted with a reason (see [`crate::check`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Acknowledgment {
    /// The finding's id.
    pub finding: String,
    pub reason: String,
    /// The finding as it read when acknowledged.
    pub text: Option<String>,
    pub by: Name,
    pub at: Timestamp,
    pub entry: Uuid,
}

/// The incident state derived from its journal.
#[derive(Clone, Debug)]
pub struct Incident {
    /// The id of the "incident opened" event.
    pub id: Uuid,
    pub title: String,
    pub playbook: Arc<Playbook>,
    pub calendar: Calendar,
    pub exercise: bool,
    /// An exercise's plan, scenario clock, injects and ratings (`None` for a real incident).
    pub exercise_state: Option<Box<crate::exercise::Exercise>>,
    pub opened_at: Timestamp,
    pub detected_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    pub severity: String,
    pub severity_history: Vec<SeverityChange>,
    /// Marked milestones in the order they happened, `detected` first.
    pub milestones: Vec<MilestoneMark>,
    /// In the playbook's order.
    pub stakeholders: Vec<StakeholderState>,
    pub messages: Vec<Message>,
    pub inquiries: Vec<Inquiry>,
    pub mentions: Vec<Mention>,
    pub checklist: Vec<ChecklistEntry>,
    pub actions: Vec<Action>,
    pub decisions: Vec<Entry>,
    /// Facts with whether they are confirmed.
    pub facts: Vec<(Entry, bool)>,
    pub lessons: Vec<(Entry, LessonKind)>,
    /// Findings of the check acknowledged with a reason, in the order they were recorded.
    pub acknowledgments: Vec<Acknowledgment>,
    /// Retracted event → the retracting event's id and reason.
    pub retracted: HashMap<Uuid, (Uuid, String)>,
    /// Amended event → the amending events' ids, oldest first.
    pub amended: HashMap<Uuid, Vec<Uuid>>,
    /// Indices into the folded slice in the order events happened (amended times applied).
    pub order: Vec<usize>,
    /// Events in the journal, retracted ones included.
    pub event_count: usize,
    /// The latest time anything was recorded.
    pub last_recorded_at: Timestamp,
    /// Entries that could not be applied (an approval for an unknown message…), in words.
    pub anomalies: Vec<String>,
}

/// Something past its time: what it is, and when it was due.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Overdue<'a> {
    pub due: Timestamp,
    pub what: OverdueItem<'a>,
}

/// What is overdue.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OverdueItem<'a> {
    /// A legal or internal deadline of an audience in play, not met.
    Deadline {
        stakeholder: &'a StakeholderState,
        deadline: &'a DeadlineClock,
    },
    /// The update promised to an audience in play (its cadence) has not gone out.
    Update {
        stakeholder: &'a StakeholderState,
    },
    /// A journalist or stakeholder is still waiting for the reply promised by `due`.
    Reply {
        inquiry: &'a Inquiry,
    },
    Checklist {
        item: &'a ChecklistEntry,
    },
    Action {
        action: &'a Action,
    },
}

/// Folds merged journal entries into the incident state.
///
/// To fold entries in as they arrive without starting over, see [`LiveFold`].
pub fn fold(events: &[Stored<Event>]) -> Result<Incident, FoldError> {
    fold_indexed(events).map(|(incident, _)| incident)
}

/// What a fold knows besides the incident: what [`LiveFold`] needs to apply more entries.
struct FoldIndex {
    ids: IdState,
    index: Index,
    /// Ids that entries referred to before anything with that id existed (applied as
    /// anomalies): if one turns up, those entries would have waited for it.
    dangling: IdMap<()>,
    /// Ids that retractions and amendments name: if one turns up, it is corrected.
    corrected: IdMap<()>,
    /// `(at, console, seq)` of the latest entry applied, amended times applied.
    last: Option<(Timestamp, Name, u64)>,
}

fn fold_indexed(events: &[Stored<Event>]) -> Result<(Incident, FoldIndex), FoldError> {
    let ids = IdState::new();
    // Corrections first: they decide which events count and when they happened.
    let mut retracted: IdMap<(Uuid, String)> = IdMap::with_hasher(ids);
    let mut amendments: IdMap<Vec<usize>> = IdMap::with_hasher(ids);
    let mut corrected: IdMap<()> = IdMap::with_hasher(ids);
    for (i, s) in events.iter().enumerate() {
        match &s.entry.body {
            Body::Retract { target, reason } => {
                retracted
                    .entry(*target)
                    .or_insert((s.entry.id, reason.clone()));
                corrected.insert(*target, ());
            }
            Body::Amend { target, .. } => {
                amendments.entry(*target).or_default().push(i);
                corrected.insert(*target, ());
            }
            _ => {}
        }
    }
    // An exercise's plan, clock, deliveries and ratings cannot be withdrawn: the clock and
    // the deliveries are derived from them, and a withdrawn delivery could never be redone
    // (its id is fixed). Such a retraction stays in the record and changes nothing.
    let mut unretractable = Vec::new();
    if !retracted.is_empty() {
        for s in events {
            if s.entry.body.is_exercise_control() && retracted.remove(&s.entry.id).is_some() {
                unretractable.push(s.entry.id);
            }
        }
    }
    let key = |i: usize| {
        let s = &events[i];
        (s.entry.at, s.console.as_str(), s.seq)
    };
    for list in amendments.values_mut() {
        list.sort_by(|&a, &b| key(a).cmp(&key(b)));
        list.retain(|i| !retracted.contains_key(&events[*i].entry.id));
    }
    // The latest surviving amendment that gives a new time decides when an event happened.
    let new_at = |list: &[usize]| {
        list.iter()
            .rev()
            .find_map(|&a| match &events[a].entry.body {
                Body::Amend { new_at, .. } => *new_at,
                _ => None,
            })
    };
    // Events moved in time, by index. Usually none or a handful, so the rest need no lookup.
    let mut moved: Vec<(usize, Timestamp)> = Vec::new();
    if amendments.values().any(|l| new_at(l).is_some()) {
        for (i, s) in events.iter().enumerate() {
            if let Some(at) = amendments.get(&s.entry.id).and_then(|l| new_at(l)) {
                moved.push((i, at));
            }
        }
    }
    let effective_at = |i: usize| -> Timestamp {
        if moved.is_empty() {
            return events[i].entry.at;
        }
        match moved.binary_search_by_key(&i, |&(j, _)| j) {
            Ok(k) => moved[k].1,
            Err(_) => events[i].entry.at,
        }
    };
    let order = happened_order(events, &moved, &effective_at);
    let opened = order
        .iter()
        .copied()
        .find(|&i| matches!(events[i].entry.body, Body::IncidentOpened { .. }))
        .ok_or(FoldError::NotOpened)?;
    let Body::IncidentOpened {
        title,
        playbook_source,
        severity,
        detected_at,
        exercise,
        ..
    } = &events[opened].entry.body
    else {
        unreachable!("found above");
    };
    // The rules in force are those of the latest adopted version of the playbook, if any
    // was adopted (and not retracted), else the one the incident was opened with.
    let adopted = order
        .iter()
        .rev()
        .find_map(|&i| match &events[i].entry.body {
            Body::PlaybookAdopted {
                playbook_source, ..
            } if !retracted.contains_key(&events[i].entry.id) => Some(playbook_source),
            _ => None,
        });
    let source = adopted.unwrap_or(playbook_source);
    let playbook =
        crate::playbook::snapshot::snapshot(source).map_err(|e| FoldError::Playbook(e.render()))?;
    let calendar = Calendar::from_iana(playbook.timezone_name(), playbook.holidays.iter().copied())
        .map_err(|e| FoldError::Playbook(e.to_string()))?;

    let opened_event = &events[opened].entry;
    let mut inc = Incident {
        id: opened_event.id,
        title: title.clone(),
        exercise: *exercise,
        opened_at: opened_event.recorded_at,
        detected_at: *detected_at,
        closed_at: None,
        severity: severity.clone(),
        severity_history: vec![SeverityChange {
            at: opened_event.at,
            severity: severity.clone(),
            by: opened_event.author.clone(),
            reason: None,
        }],
        milestones: vec![MilestoneMark {
            id: DETECTED.into(),
            name: "Detected".into(),
            at: *detected_at,
            by: opened_event.author.clone(),
        }],
        stakeholders: playbook
            .stakeholders
            .iter()
            .map(|s| StakeholderState {
                id: s.id.clone(),
                in_play: true,
                last_sent_at: None,
                sent_count: 0,
                next_update_due: None,
                deadlines: s
                    .deadlines
                    .iter()
                    .map(|d| DeadlineClock {
                        key: d.key().to_owned(),
                        label: d.label.clone(),
                        from: d.from.clone(),
                        within: d.within,
                        basis: d.basis.clone(),
                        anchor_at: None,
                        due: None,
                        met_at: None,
                        met_by: None,
                    })
                    .collect(),
            })
            .collect(),
        checklist: playbook
            .checklists
            .iter()
            .flat_map(|c| {
                c.items.iter().map(|i| ChecklistEntry {
                    id: i.id.clone(),
                    phase: c.phase.clone(),
                    text: i.text.clone(),
                    owner: i.owner.clone(),
                    due: i.due.map(|d| calendar.add(*detected_at, &d)),
                    done: None,
                })
            })
            .collect(),
        messages: Vec::new(),
        inquiries: Vec::new(),
        mentions: Vec::new(),
        actions: Vec::new(),
        decisions: Vec::new(),
        facts: Vec::new(),
        lessons: Vec::new(),
        acknowledgments: Vec::new(),
        amended: amendments
            .iter()
            .filter(|(_, l)| !l.is_empty())
            .map(|(t, l)| (*t, l.iter().map(|&i| events[i].entry.id).collect()))
            .collect(),
        retracted: HashMap::new(),
        order: Vec::new(),
        event_count: events.len(),
        last_recorded_at: events
            .iter()
            .map(|s| s.entry.recorded_at)
            .max()
            .unwrap_or(opened_event.recorded_at),
        anomalies: Vec::new(),
        exercise_state: None,
        playbook,
        calendar,
    };
    inc.start_clock(DETECTED, *detected_at);
    for id in unretractable {
        inc.anomalies.push(format!(
            "exercise entry {id} cannot be retracted; the retraction is ignored"
        ));
    }

    let mut index = Index {
        messages: IdMap::with_hasher(ids),
        inquiries: IdMap::with_hasher(ids),
        actions: IdMap::with_hasher(ids),
    };
    // Entries that refer to a message, inquiry or action recorded with an earlier time
    // elsewhere (clock skew between machines, back-dating) wait until it exists, so the
    // result never depends on which console's clock ran ahead.
    let mut creators: IdMap<()> = IdMap::with_hasher(ids);
    for s in events {
        let e = &s.entry;
        let creates = match &e.body {
            Body::MessageDrafted { .. }
            | Body::MediaInquiry { .. }
            | Body::StakeholderRequest { .. }
            | Body::ActionAdded { .. } => true,
            Body::MessageSent { message, .. } => message.is_none(),
            Body::InjectDelivered { inject, .. } => matches!(
                inject.kind,
                InjectKind::MediaInquiry | InjectKind::StakeholderRequest
            ),
            _ => false,
        };
        if creates && !retracted.contains_key(&e.id) {
            creators.insert(e.id, ());
        }
    }
    let mut waiting: IdMap<Vec<(usize, Timestamp, Body)>> = IdMap::with_hasher(ids);
    let mut dangling: IdMap<()> = IdMap::with_hasher(ids);
    for &i in &order {
        let stored = &events[i];
        let e = &stored.entry;
        if i == opened || retracted.contains_key(&e.id) {
            continue;
        }
        let at = effective_at(i);
        let text_amendment = amendments.get(&e.id).and_then(|l| {
            l.iter().rev().find_map(|&a| match &events[a].entry.body {
                Body::Amend { text, .. } => text.clone(),
                _ => None,
            })
        });
        let amended_body;
        let body = match text_amendment {
            Some(t) => {
                let mut b = e.body.clone();
                b.set_text(t);
                amended_body = b;
                &amended_body
            }
            None => &e.body,
        };
        if let Some(target) = refers_to(body)
            && !index.knows(&target)
        {
            if creators.contains_key(&target) {
                waiting
                    .entry(target)
                    .or_default()
                    .push((i, at, body.clone()));
                continue;
            }
            dangling.insert(target, ());
        }
        inc.apply(e, at, body, &mut index);
        // Anything that was waiting for this entry can happen now, in its own order.
        let mut ready = waiting.remove(&e.id).unwrap_or_default();
        while !ready.is_empty() {
            let (j, at, body) = ready.remove(0);
            inc.apply(&events[j].entry, at, &body, &mut index);
            if let Some(more) = waiting.remove(&events[j].entry.id) {
                ready.extend(more);
            }
        }
    }
    // What still waits refers to something retracted or never recorded: apply it anyway so
    // it is reported as an anomaly rather than silently dropped.
    let mut leftovers: Vec<(usize, Timestamp, Body)> = waiting.into_values().flatten().collect();
    leftovers.sort_by_key(|(j, ..)| *j);
    for (j, at, body) in leftovers {
        if let Some(target) = refers_to(&body) {
            dangling.insert(target, ());
        }
        inc.apply(&events[j].entry, at, &body, &mut index);
    }
    for (target, by) in &retracted {
        if *target == inc.id {
            inc.anomalies.push(
                "the \"incident opened\" entry cannot be retracted; the retraction is ignored"
                    .into(),
            );
        } else {
            inc.retracted.insert(*target, by.clone());
        }
    }
    inc.finish();
    let last = order
        .last()
        .map(|&i| (effective_at(i), events[i].console.clone(), events[i].seq));
    inc.order = order;
    // The exercise layer reads the order and the retractions settled above.
    inc.exercise_state = crate::exercise::fold(events, &inc).map(Box::new);
    let folded = FoldIndex {
        ids,
        index,
        dangling,
        corrected,
        last,
    };
    Ok((inc, folded))
}

/// Maps from an event id to where the fold keeps what that event created.
struct Index {
    messages: IdMap<usize>,
    inquiries: IdMap<usize>,
    actions: IdMap<usize>,
}

impl Index {
    /// Whether a message, inquiry or action with this id exists yet.
    fn knows(&self, id: &Uuid) -> bool {
        self.messages.contains_key(id)
            || self.inquiries.contains_key(id)
            || self.actions.contains_key(id)
    }
}

/// The message, inquiry or action an entry acts on, if any.
fn refers_to(body: &Body) -> Option<Uuid> {
    match body {
        Body::MessageEdited { message, .. }
        | Body::MessageApproved { message, .. }
        | Body::MessageObjected { message, .. } => Some(*message),
        Body::MessageSent { message, .. } => *message,
        Body::InquiryAnswered { inquiry, .. } | Body::InquiryClaimed { inquiry } => Some(*inquiry),
        Body::ActionDone { action } => Some(*action),
        _ => None,
    }
}

/// Indices of `events` in the order they happened: by `(at, console, seq)` with amended times
/// (`moved`, sorted by index), ties in slice order, as a stable sort would give.
///
/// The journal hands over its entries already in `(at, console, seq)` order, so normally
/// nothing is sorted: the few events an amendment moved are sorted apart and merged in.
fn happened_order(
    events: &[Stored<Event>],
    moved: &[(usize, Timestamp)],
    effective_at: &impl Fn(usize) -> Timestamp,
) -> Vec<usize> {
    fn stored_key(s: &Stored<Event>) -> (Timestamp, &str, u64) {
        (s.entry.at, s.console.as_str(), s.seq)
    }
    let key = |i: usize| (effective_at(i), events[i].console.as_str(), events[i].seq);
    let in_stored_order = events
        .windows(2)
        .all(|w| stored_key(&w[0]) <= stored_key(&w[1]));
    if !in_stored_order {
        let mut order: Vec<usize> = (0..events.len()).collect();
        order.sort_by(|&a, &b| key(a).cmp(&key(b)));
        return order;
    }
    if moved.is_empty() {
        return (0..events.len()).collect();
    }
    let mut late: Vec<usize> = moved.iter().map(|&(i, _)| i).collect();
    late.sort_by(|&a, &b| key(a).cmp(&key(b)).then(a.cmp(&b)));
    let mut late = late.into_iter().peekable();
    let mut order = Vec::with_capacity(events.len());
    let mut next_moved = moved.iter().map(|&(i, _)| i).peekable();
    for (i, s) in events.iter().enumerate() {
        if next_moved.next_if_eq(&i).is_some() {
            continue;
        }
        // An unmoved event keeps its stored time: it is its own key.
        let here = (stored_key(s), i);
        while let Some(j) = late.next_if(|&j| (key(j), j) < here) {
            order.push(j);
        }
        order.push(i);
    }
    order.extend(late);
    order
}

impl Incident {
    fn apply(&mut self, e: &Event, at: Timestamp, body: &Body, index: &mut Index) {
        let Index {
            messages,
            inquiries,
            actions,
        } = index;
        let by = || e.author.clone();
        let entry = |text: &str| Entry {
            id: e.id,
            at,
            by: e.author.clone(),
            text: text.to_owned(),
        };
        match body {
            Body::IncidentOpened { .. } => self.anomalies.push(format!(
                "a second \"incident opened\" entry ({}) is ignored",
                e.id
            )),
            Body::Note { .. }
            | Body::Amend { .. }
            | Body::Retract { .. }
            | Body::PlaybookAdopted { .. }
            | Body::Unknown => {}
            // The exercise's plan, clock and evaluation are folded by `crate::exercise`.
            b if b.is_exercise_control() && !self.exercise => self.anomalies.push(format!(
                "an exercise entry ({}) in a real incident is ignored: real incidents take no injects",
                b.kind()
            )),
            Body::InjectDelivered { inject, .. } => self.deliver(e.id, at, inject, inquiries),
            Body::ExercisePlanned { .. }
            | Body::ExerciseStarted
            | Body::ExercisePaused
            | Body::ExerciseResumed
            | Body::ExerciseSpeed { .. }
            | Body::ExerciseJumped { .. }
            | Body::InjectSkipped { .. }
            | Body::InjectRated { .. } => {}
            Body::Decision { text } => self.decisions.push(entry(text)),
            Body::Fact { text, confirmed } => self.facts.push((entry(text), *confirmed)),
            Body::Lesson { text, lesson } => self.lessons.push((entry(text), *lesson)),
            Body::FindingAcknowledged {
                finding,
                reason,
                text,
            } => self.acknowledgments.push(Acknowledgment {
                finding: finding.clone(),
                reason: reason.clone(),
                text: text.clone(),
                by: by(),
                at,
                entry: e.id,
            }),
            Body::MilestoneMarked { milestone, .. } => {
                if self.milestones.iter().any(|m| &m.id == milestone) {
                    return; // the first marking counts; a later one is only a note
                }
                let Some(m) = self.playbook.milestone(milestone) else {
                    self.anomalies
                        .push(format!("milestone \"{milestone}\" is not in the playbook"));
                    return;
                };
                let name = m.name.clone();
                self.milestones.push(MilestoneMark {
                    id: milestone.clone(),
                    name,
                    at,
                    by: by(),
                });
                self.start_clock(milestone, at);
            }
            Body::SeverityChanged { severity, reason } => {
                if self.playbook.severity(severity).is_none() {
                    self.anomalies
                        .push(format!("severity \"{severity}\" is not in the playbook"));
                    return;
                }
                self.severity = severity.clone();
                self.severity_history.push(SeverityChange {
                    at,
                    severity: severity.clone(),
                    by: by(),
                    reason: reason.clone(),
                });
            }
            Body::MessageDrafted {
                stakeholder,
                template,
                channel,
                text,
            } => {
                messages.insert(e.id, self.messages.len());
                self.messages.push(Message {
                    id: e.id,
                    stakeholder: stakeholder.clone(),
                    template: template.clone(),
                    channel: channel.clone(),
                    text: text.clone(),
                    drafted_at: at,
                    drafted_by: by(),
                    edits: 0,
                    approvals: Vec::new(),
                    objections: Vec::new(),
                    sent: None,
                });
            }
            Body::MessageEdited { message, text } => match self.message_mut(messages, message) {
                Some(m) if m.sent.is_none() => {
                    m.text = text.clone();
                    m.edits += 1;
                    m.approvals.clear();
                    m.objections.clear();
                }
                Some(_) => self.anomalies.push(format!(
                    "an edit of message {message} after it was sent is ignored"
                )),
                None => self.unknown_message(message),
            },
            Body::MessageApproved {
                message,
                role,
                comment,
            } => {
                let v = Verdict {
                    role: role.clone(),
                    by: by(),
                    at,
                    comment: comment.clone(),
                    event: e.id,
                };
                self.verdict(messages, message, v, true);
            }
            Body::MessageObjected {
                message,
                role,
                comment,
            } => {
                let v = Verdict {
                    role: role.clone(),
                    by: by(),
                    at,
                    comment: Some(comment.clone()),
                    event: e.id,
                };
                self.verdict(messages, message, v, false);
            }
            Body::MessageSent {
                stakeholder,
                message,
                text,
                channel,
                fulfils,
                override_reason,
            } => {
                let met = self.meet_deadline(stakeholder, fulfils.as_deref(), at, e.id);
                let sending = Sending {
                    at,
                    by: by(),
                    channel: channel.clone(),
                    met_deadline: met,
                    override_reason: override_reason.clone(),
                    event: e.id,
                };
                if let Some(s) = self.stakeholders.iter_mut().find(|s| &s.id == stakeholder) {
                    s.last_sent_at = Some(s.last_sent_at.map_or(at, |l| l.max(at)));
                    s.sent_count += 1;
                } else {
                    self.anomalies.push(format!(
                        "a message was sent to \"{stakeholder}\", which is not a stakeholder in the playbook"
                    ));
                }
                let existing = message.and_then(|id| messages.get(&id).copied());
                match existing {
                    Some(idx) => {
                        let m = &mut self.messages[idx];
                        if m.sent.is_none() {
                            if let Some(t) = text {
                                m.text = t.clone();
                            }
                            if m.channel.is_none() {
                                m.channel = channel.clone();
                            }
                            m.sent = Some(sending);
                        } else {
                            self.anomalies
                                .push(format!("message {} was marked sent twice", m.id));
                        }
                    }
                    None => {
                        if let Some(id) = message {
                            self.unknown_message(id);
                        }
                        messages.insert(e.id, self.messages.len());
                        self.messages.push(Message {
                            id: e.id,
                            stakeholder: stakeholder.clone(),
                            template: None,
                            channel: channel.clone(),
                            text: text.clone().unwrap_or_default(),
                            drafted_at: at,
                            drafted_by: by(),
                            edits: 0,
                            approvals: Vec::new(),
                            objections: Vec::new(),
                            sent: Some(sending),
                        });
                    }
                }
            }
            Body::MediaInquiry {
                from,
                journalist,
                question,
                reply_within,
            } => {
                inquiries.insert(e.id, self.inquiries.len());
                self.inquiries.push(Inquiry {
                    id: e.id,
                    kind: InquiryKind::Media,
                    from: from.clone(),
                    journalist: journalist.clone(),
                    stakeholder: None,
                    text: question.clone(),
                    received_at: at,
                    reply_by: reply_within.map(|d| self.calendar.add(at, &d)),
                    answers: Vec::new(),
                    claims: Vec::new(),
                });
            }
            Body::StakeholderRequest {
                stakeholder,
                text,
                reply_within,
            } => {
                let from = self
                    .playbook
                    .stakeholder(stakeholder)
                    .map_or_else(|| stakeholder.clone(), |s| s.name.clone());
                inquiries.insert(e.id, self.inquiries.len());
                self.inquiries.push(Inquiry {
                    id: e.id,
                    kind: InquiryKind::Request,
                    from,
                    journalist: None,
                    stakeholder: Some(stakeholder.clone()),
                    text: text.clone(),
                    received_at: at,
                    reply_by: reply_within.map(|d| self.calendar.add(at, &d)),
                    answers: Vec::new(),
                    claims: Vec::new(),
                });
            }
            Body::InquiryAnswered { inquiry, text } => match inquiries.get(inquiry) {
                Some(&idx) => self.inquiries[idx].answers.push(Answer {
                    at,
                    by: by(),
                    console: e.console.clone(),
                    text: text.clone(),
                    event: e.id,
                }),
                None => self.anomalies.push(format!(
                    "an answer refers to inquiry {inquiry}, which is not in the journal"
                )),
            },
            Body::MediaMention {
                source,
                url,
                text,
                sentiment,
            } => self.mentions.push(Mention {
                id: e.id,
                at,
                source: source.clone(),
                url: url.clone(),
                text: text.clone(),
                sentiment: sentiment.clone(),
            }),
            Body::ChecklistUndone { item, .. } => {
                match self.checklist.iter_mut().find(|c| &c.id == item) {
                    Some(c) => c.done = None,
                    None => self
                        .anomalies
                        .push(format!("checklist item \"{item}\" is not in the playbook")),
                }
            }
            Body::InquiryClaimed { inquiry } => match inquiries.get(inquiry) {
                Some(&idx) => self.inquiries[idx].claims.push(Claim {
                    at,
                    by: by(),
                    console: e.console.clone(),
                }),
                None => self.anomalies.push(format!(
                    "an answer was started to inquiry {inquiry}, which is not in the journal"
                )),
            },
            Body::ChecklistDone { item } => {
                match self.checklist.iter_mut().find(|c| &c.id == item) {
                    Some(c) if c.done.is_none() => c.done = Some(Done { at, by: by() }),
                    Some(_) => {}
                    None => self
                        .anomalies
                        .push(format!("checklist item \"{item}\" is not in the playbook")),
                }
            }
            Body::ActionAdded { text, owner, due } => {
                // The first action with an id is the one `ActionDone` finds.
                actions.entry(e.id).or_insert(self.actions.len());
                self.actions.push(Action {
                    id: e.id,
                    text: text.clone(),
                    owner: owner.clone(),
                    due: *due,
                    added_at: at,
                    added_by: by(),
                    done: None,
                });
            }
            Body::ActionDone { action } => {
                match actions.get(action).map(|&i| &mut self.actions[i]) {
                    Some(a) if a.done.is_none() => a.done = Some(Done { at, by: by() }),
                    Some(_) => {}
                    None => self
                        .anomalies
                        .push(format!("action {action} is not in the journal")),
                }
            }
            Body::IncidentClosed { .. } => {
                if self.closed_at.is_none() {
                    self.closed_at = Some(at);
                }
            }
        }
    }

    /// A delivered exercise inject becomes what it simulates: a media inquiry or a stakeholder
    /// request waiting for a reply (its `respond_within` the reply deadline), or a mention.
    /// Information and escalations are entries addressed to their role and change nothing else.
    fn deliver(&mut self, id: Uuid, at: Timestamp, inject: &Inject, inquiries: &mut IdMap<usize>) {
        let kind = match inject.kind {
            InjectKind::MediaInquiry => InquiryKind::Media,
            InjectKind::StakeholderRequest => InquiryKind::Request,
            InjectKind::MediaMention => {
                self.mentions.push(Mention {
                    id,
                    at,
                    source: inject.from.clone(),
                    url: None,
                    text: inject.text.clone(),
                    sentiment: None,
                });
                return;
            }
            InjectKind::Info | InjectKind::Escalation => return,
        };
        inquiries.insert(id, self.inquiries.len());
        self.inquiries.push(Inquiry {
            id,
            kind,
            from: inject.from.clone(),
            journalist: None,
            stakeholder: inject.stakeholder.clone(),
            text: inject.text.clone(),
            received_at: at,
            reply_by: inject.respond_within.map(|d| self.calendar.add(at, &d)),
            answers: Vec::new(),
            claims: Vec::new(),
        });
    }

    fn message_mut<'a>(&'a mut self, index: &IdMap<usize>, id: &Uuid) -> Option<&'a mut Message> {
        index.get(id).map(|&i| &mut self.messages[i])
    }

    /// Records a role's approval or objection; it replaces that role's earlier verdict.
    fn verdict(&mut self, messages: &IdMap<usize>, message: &Uuid, v: Verdict, approve: bool) {
        let Some(m) = self.message_mut(messages, message) else {
            self.unknown_message(message);
            return;
        };
        m.approvals.retain(|a| a.role != v.role);
        m.objections.retain(|o| o.role != v.role);
        if approve {
            m.approvals.push(v);
        } else {
            m.objections.push(v);
        }
    }

    fn unknown_message(&mut self, id: &Uuid) {
        self.anomalies.push(format!(
            "an entry refers to message {id}, which is not in the journal"
        ));
    }

    /// Starts every deadline running from `milestone`.
    fn start_clock(&mut self, milestone: &str, at: Timestamp) {
        for s in &mut self.stakeholders {
            for d in s.deadlines.iter_mut().filter(|d| d.from == milestone) {
                d.anchor_at = Some(at);
                d.due = Some(self.calendar.add(at, &d.within));
            }
        }
    }

    /// Marks the deadline a message sent at `at` meets: the one it names, or the earliest-due
    /// unmet deadline whose clock is running.
    fn meet_deadline(
        &mut self,
        stakeholder: &str,
        named: Option<&str>,
        at: Timestamp,
        event: Uuid,
    ) -> Option<String> {
        let s = self.stakeholders.iter_mut().find(|s| s.id == stakeholder)?;
        let chosen = match named {
            Some(key) => s
                .deadlines
                .iter_mut()
                .find(|d| d.key == key || d.label == key),
            None => s
                .deadlines
                .iter_mut()
                .filter(|d| d.met_at.is_none() && d.anchor_at.is_some_and(|a| a <= at))
                .min_by_key(|d| d.due),
        };
        match chosen {
            Some(d) if d.met_at.is_none() => {
                d.met_at = Some(at);
                d.met_by = Some(event);
                Some(d.key.clone())
            }
            _ => None,
        }
    }

    /// Settles what depends on the final state: who is in play, when updates are next due.
    fn finish(&mut self) {
        let rank = self.playbook.severity_rank(&self.severity).unwrap_or(0);
        let sev_cadence = self
            .playbook
            .severity(&self.severity)
            .and_then(|s| s.update_every);
        let playbook = Arc::clone(&self.playbook);
        for s in &mut self.stakeholders {
            let Some(def) = playbook.stakeholder(&s.id) else {
                continue;
            };
            s.in_play = def
                .min_severity
                .as_deref()
                .and_then(|m| playbook.severity_rank(m))
                .is_none_or(|min| rank >= min);
            let cadence = def.update_every.or(sev_cadence);
            s.next_update_due = match (s.last_sent_at, cadence) {
                (Some(last), Some(c)) => Some(self.calendar.add(last, &c)),
                _ => None,
            };
        }
    }

    /// "Now" in the incident's own time at real time `real`: the scenario time in an exercise
    /// (every entry of an exercise is dated in scenario time), `real` itself otherwise.
    pub fn now(&self, real: Timestamp) -> Timestamp {
        match &self.exercise_state {
            Some(ex) => ex.now(real),
            None => real,
        }
    }

    /// The stakeholder state with this id.
    pub fn stakeholder(&self, id: &str) -> Option<&StakeholderState> {
        self.stakeholders.iter().find(|s| s.id == id)
    }

    /// The message with this id.
    pub fn message(&self, id: &Uuid) -> Option<&Message> {
        self.messages.iter().find(|m| &m.id == id)
    }

    /// Whether a milestone has been marked (and when).
    pub fn milestone_at(&self, id: &str) -> Option<Timestamp> {
        self.milestones.iter().find(|m| m.id == id).map(|m| m.at)
    }

    /// Messages not yet sent.
    pub fn drafts(&self) -> impl Iterator<Item = &Message> {
        self.messages.iter().filter(|m| m.sent.is_none())
    }

    /// Unsent messages waiting for an approval.
    pub fn pending_approvals(&self) -> impl Iterator<Item = &Message> {
        self.drafts().filter(|m| {
            matches!(
                m.status(&self.playbook),
                MessageStatus::AwaitingApproval { .. }
            )
        })
    }

    /// Inquiries and requests without a reply.
    pub fn open_inquiries(&self) -> impl Iterator<Item = &Inquiry> {
        self.inquiries.iter().filter(|i| i.is_open())
    }

    /// Actions not done.
    pub fn open_actions(&self) -> impl Iterator<Item = &Action> {
        self.actions.iter().filter(|a| a.done.is_none())
    }

    /// Everything overdue at `now`, most overdue first: the one rule behind the overdue
    /// banner, the status summary and the counts. Audiences out of play are left out (their
    /// clocks do not bind at this severity).
    pub fn overdue(&self, now: Timestamp) -> Vec<Overdue<'_>> {
        let mut out = Vec::new();
        for s in self.stakeholders.iter().filter(|s| s.in_play) {
            for d in &s.deadlines {
                if d.state(now) == DeadlineState::Overdue {
                    out.push(Overdue {
                        due: d.due.expect("an overdue deadline has a due time"),
                        what: OverdueItem::Deadline {
                            stakeholder: s,
                            deadline: d,
                        },
                    });
                }
            }
            if let Some(due) = s.next_update_due.filter(|n| *n < now) {
                out.push(Overdue {
                    due,
                    what: OverdueItem::Update { stakeholder: s },
                });
            }
        }
        for i in self.inquiries.iter().filter(|i| i.is_overdue(now)) {
            out.push(Overdue {
                due: i.reply_by.expect("an overdue inquiry has a reply deadline"),
                what: OverdueItem::Reply { inquiry: i },
            });
        }
        for c in self.checklist.iter().filter(|c| c.is_overdue(now)) {
            out.push(Overdue {
                due: c.due.expect("an overdue item has a due time"),
                what: OverdueItem::Checklist { item: c },
            });
        }
        for a in self.actions.iter().filter(|a| a.is_overdue(now)) {
            out.push(Overdue {
                due: a.due.expect("an overdue action has a due time"),
                what: OverdueItem::Action { action: a },
            });
        }
        out.sort_by_key(|o| o.due);
        out
    }

    /// The playbook's time zone name.
    pub fn timezone(&self) -> &str {
        self.playbook.timezone_name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::event::Origin;
    use proptest::prelude::*;

    fn stored(n: usize, at_s: i64, console: &str, seq: u64) -> Stored<Event> {
        let origin = Origin {
            author: "a@b".into(),
            console: console.into(),
        };
        let at = Timestamp::from_second(1_800_000_000 + at_s).unwrap();
        Stored {
            console: console.into(),
            seq,
            entry: Event::new(
                Uuid::from_u128(n as u128 + 1),
                at,
                at,
                &origin,
                Body::Note { text: "x".into() },
            ),
        }
    }

    proptest! {
        /// The merge of moved events gives exactly what a stable sort of everything gives.
        #[test]
        fn happened_order_is_a_stable_sort(
            times in prop::collection::vec((0i64..20, 0usize..3, 1u64..4), 0..60),
            moves in prop::collection::vec((any::<prop::sample::Index>(), -5i64..25), 0..8),
            sort_first in any::<bool>(),
        ) {
            let consoles = ["a", "b", "c"];
            let mut events: Vec<Stored<Event>> = times
                .iter()
                .enumerate()
                .map(|(n, &(at, c, seq))| stored(n, at, consoles[c], seq))
                .collect();
            if sort_first {
                events.sort_by(|x, y| {
                    (x.entry.at, &x.console, x.seq).cmp(&(y.entry.at, &y.console, y.seq))
                });
            }
            let mut moved: Vec<(usize, Timestamp)> = Vec::new();
            if !events.is_empty() {
                for (ix, at_s) in moves {
                    let i = ix.index(events.len());
                    if moved.iter().all(|&(j, _)| j != i) {
                        moved.push((i, Timestamp::from_second(1_800_000_000 + at_s).unwrap()));
                    }
                }
            }
            moved.sort_by_key(|&(i, _)| i);
            let effective_at = |i: usize| {
                moved
                    .iter()
                    .find(|&&(j, _)| j == i)
                    .map_or(events[i].entry.at, |&(_, at)| at)
            };
            let key = |i: usize| (effective_at(i), events[i].console.as_str(), events[i].seq);
            let mut expected: Vec<usize> = (0..events.len()).collect();
            expected.sort_by(|&a, &b| key(a).cmp(&key(b)));
            prop_assert_eq!(happened_order(&events, &moved, &effective_at), expected);
        }
    }
}
