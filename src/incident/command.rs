//! The command layer: what a person or a tool asks to record, checked against the incident as
//! it stands, giving the entry to append or a typed [`Refusal`].
//!
//! Every front end goes through here (`crisisdesk log`, the console's forms and `:` line, the
//! inbox, exercises), so the rules — approvals before sending, no unfilled blanks, ids that
//! exist, nothing but corrections after closing — live in one place. A refusal is data: each
//! front end words the remedy its own way (the CLI says "use --override REASON", the console
//! "write a reason in Override", the inbox writes it beside the item).

use std::fmt;

use jiff::Timestamp;
use uuid::Uuid;

use super::compose::{fill_blank, fill_template};
use super::event::{Body, Event, LessonKind, Origin, Rating};
use super::state::{Incident, MessageStatus};
use super::time::parse_time;
use crate::exercise::{self, ClockOp, ClockRefusal, Exercise, InjectStatus};
use crate::journal::{Name, Stored};
use crate::playbook::Playbook;
use crate::playbook::calendar::Calendar;
use crate::playbook::duration::Duration;
use crate::playbook::model::{Inject, InjectKind};
use crate::playbook::placeholder;
use crate::playbook::suggest::{did_you_mean, hint, phrase};

/// What someone asks to record. Text is text (not argv words); ids of entries are given as
/// people type them: a full uuid or a unique suffix of at least six hex digits.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Note {
        text: String,
    },
    Decision {
        text: String,
    },
    Fact {
        text: String,
        confirmed: bool,
    },
    Milestone {
        id: String,
        text: Option<String>,
    },
    Severity {
        id: String,
        reason: Option<String>,
    },
    /// A draft from a template (placeholders filled, then `fills` put into its blanks), or a
    /// text — written from `template` when both are given (the console's composer).
    Draft {
        stakeholder: String,
        template: Option<String>,
        channel: Option<String>,
        fills: Vec<(String, String)>,
        text: Option<String>,
    },
    Edit {
        message: String,
        text: String,
    },
    Approve {
        message: String,
        role: String,
        comment: Option<String>,
    },
    Object {
        message: String,
        role: String,
        comment: String,
    },
    /// A message went out: an approved draft (`message`) or a text logged after the fact.
    Sent {
        stakeholder: String,
        channel: Option<String>,
        message: Option<String>,
        fulfils: Option<String>,
        override_reason: Option<String>,
        text: Option<String>,
    },
    Inquiry {
        from: String,
        journalist: Option<String>,
        within: Option<Duration>,
        question: String,
    },
    Request {
        stakeholder: String,
        within: Option<Duration>,
        text: String,
    },
    Mention {
        source: String,
        url: Option<String>,
        sentiment: Option<String>,
        text: String,
    },
    Answer {
        inquiry: String,
        text: String,
    },
    Action {
        text: String,
        owner: Option<String>,
        due: Option<Due>,
    },
    /// Tick a checklist item (its id) or finish an action (its entry id).
    Done {
        id: String,
    },
    Lesson {
        text: String,
        kind: LessonKind,
    },
    Amend {
        id: String,
        text: Option<String>,
        new_at: Option<Timestamp>,
        reason: Option<String>,
    },
    Retract {
        id: String,
        reason: String,
    },
    Close {
        text: Option<String>,
    },
    /// Open a ticked checklist item again (its id), the tick staying on record.
    Untick {
        id: String,
        reason: Option<String>,
    },
    /// Start writing the answer to an inquiry (shown on every console).
    Claim {
        inquiry: String,
    },
    /// Adopt an edited version of the playbook (its text, and what changed in words).
    AdoptPlaybook {
        source: String,
        changes: Vec<String>,
    },
    /// Accept a finding of the check (its id, or its first six or more digits) with a reason.
    Acknowledge {
        finding: String,
        reason: String,
    },
    /// Exercises only: start, pause, resume, change the speed of, or jump the scenario clock
    /// (closing the exercise stops it; `ClockOp::End` is not a command).
    Clock {
        op: ClockOp,
    },
    /// Exercises only: deliver an inject of the MSEL now — on time if it is due, else early.
    Deliver {
        inject: String,
    },
    /// Exercises only: take a pending inject out of play.
    Skip {
        inject: String,
        reason: Option<String>,
    },
    /// Exercises only: rate expected action `item` (from 1) of a delivered inject.
    Rate {
        inject: String,
        item: u32,
        rating: Rating,
        note: Option<String>,
    },
    /// Exercises only: an inject the facilitator writes on the spot, delivered at once. Its
    /// `id` and `at` are given by the exercise (left empty here), it has no `expect` list.
    Improvise {
        inject: Inject,
    },
}

impl Command {
    /// The journal kind this command records, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Command::Note { .. } => "note",
            Command::Decision { .. } => "decision",
            Command::Fact { .. } => "fact",
            Command::Milestone { .. } => "milestone",
            Command::Severity { .. } => "severity change",
            Command::Draft { .. } => "draft",
            Command::Edit { .. } => "edit",
            Command::Approve { .. } => "approval",
            Command::Object { .. } => "objection",
            Command::Sent { .. } => "send",
            Command::Inquiry { .. } => "inquiry",
            Command::Request { .. } => "request",
            Command::Mention { .. } => "mention",
            Command::Answer { .. } => "answer",
            Command::Action { .. } => "action",
            Command::Done { .. } => "done",
            Command::Lesson { .. } => "lesson",
            Command::Amend { .. } => "amendment",
            Command::Retract { .. } => "retraction",
            Command::Close { .. } => "close",
            Command::AdoptPlaybook { .. } => "playbook adoption",
            Command::Acknowledge { .. } => "acknowledgment",
            Command::Untick { .. } => "untick",
            Command::Claim { .. } => "answer",
            Command::Clock { .. } => "exercise clock change",
            Command::Deliver { .. } => "inject delivery",
            Command::Skip { .. } => "inject skip",
            Command::Rate { .. } => "rating",
            Command::Improvise { .. } => "improvised inject",
        }
    }

    /// Whether a closed incident still takes it: corrections, lessons, follow-up actions and
    /// an exercise's ratings belong to the review that comes after closing; nothing else does.
    pub fn allowed_after_close(&self) -> bool {
        allowed_after_close_kind(self.kind())
    }

    /// Whether checking it needs the incident's folded state. Those that do not (a note, a
    /// decision, a fact, an inquiry, a mention, a lesson) refer to nothing in the incident: in
    /// a real incident they are checked against the clock and its closure alone
    /// ([`check_plain`]), so a front end may record them without folding the journal.
    pub fn needs_state(&self) -> bool {
        !matches!(
            self,
            Command::Note { .. }
                | Command::Decision { .. }
                | Command::Fact { .. }
                | Command::Inquiry { .. }
                | Command::Mention { .. }
                | Command::Lesson { .. }
        )
    }

    /// Whether it runs an exercise (and so only an exercise takes it).
    pub fn is_exercise_only(&self) -> bool {
        matches!(
            self,
            Command::Clock { .. }
                | Command::Deliver { .. }
                | Command::Skip { .. }
                | Command::Rate { .. }
                | Command::Improvise { .. }
        )
    }
}

/// Whether a closed incident still takes commands of this kind (as [`Command::kind`] words
/// it), for front ends that ask before a form is filled in.
pub fn allowed_after_close_kind(kind: &str) -> bool {
    matches!(
        kind,
        "amendment"
            | "retraction"
            | "lesson"
            | "action"
            | "done"
            | "untick"
            | "acknowledgment"
            | "rating"
    )
}

/// When an action is due: a duration from when it was logged, or a time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Due {
    After(Duration),
    At(Timestamp),
}

impl Due {
    /// Reads `4h`, `2bd`, or a time (RFC 3339 or local `YYYY-MM-DD HH:MM` in `calendar`'s zone).
    pub fn parse(text: &str, calendar: &Calendar) -> Result<Due, Refusal> {
        if let Ok(d) = text.trim().parse::<Duration>() {
            return Ok(Due::After(d));
        }
        parse_time(text, calendar)
            .map(Due::At)
            .map_err(|_| Refusal::BadDue {
                given: text.to_owned(),
            })
    }
}

/// An entry the incident accepts: what to append and when it happened.
#[derive(Clone, Debug, PartialEq)]
pub struct Accepted {
    pub at: Timestamp,
    pub body: Body,
    /// What the rules fix besides the body (inject deliveries); append through
    /// [`Accepted::entry`] so it is respected.
    pub fixed: Option<Fixed>,
}

/// Parts of an entry the rules fix.
#[derive(Clone, Debug, PartialEq)]
pub struct Fixed {
    /// An inject delivery's id derives from the exercise and the inject, so it is delivered
    /// once whoever delivers it.
    pub id: Uuid,
    /// An on-time delivery is the same entry from every console: stamped with the real time
    /// the scenario clock reached the inject and signed by the exercise clock.
    pub stamp: Option<Stamp>,
}

/// Who recorded an entry and when, when the rules fix it.
#[derive(Clone, Debug, PartialEq)]
pub struct Stamp {
    pub incident: Option<Uuid>,
    pub recorded_at: Timestamp,
    pub author: Name,
    pub console: Name,
}

impl Accepted {
    /// An entry the rules fix whole (an on-time inject delivery), as accepted.
    fn whole(e: Event) -> Accepted {
        Accepted {
            at: e.at,
            body: e.body,
            fixed: Some(Fixed {
                id: e.id,
                stamp: Some(Stamp {
                    incident: e.incident,
                    recorded_at: e.recorded_at,
                    author: e.author,
                    console: e.console,
                }),
            }),
        }
    }
}

impl Accepted {
    /// The entry to append, recorded by `origin` at real time `real_now` (the rules' own id
    /// and stamp where they fix them, else a new time-ordered id).
    pub fn entry(self, origin: &Origin, real_now: Timestamp) -> Event {
        let id = self.fixed.as_ref().map_or_else(Uuid::now_v7, |f| f.id);
        match self.fixed.and_then(|f| f.stamp) {
            Some(stamp) => Event {
                id,
                incident: stamp.incident,
                at: self.at,
                recorded_at: stamp.recorded_at,
                author: stamp.author,
                console: stamp.console,
                body: self.body,
            },
            None => Event::new(id, self.at, real_now, origin, self.body),
        }
    }
}

/// Why an approval could not be given, or a message sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doing {
    Approve,
    Send,
}

/// An objection that blocks a message: the role and what it said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Objection {
    pub role: String,
    pub comment: Option<String>,
}

/// Why the incident refuses a command. `Display` gives the reason in plain words without a
/// remedy that depends on the front end; [`Refusal::can_override`] tells a front end when to
/// add how to send anyway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A required text is empty.
    Empty {
        what: &'static str,
    },
    /// The time given is after now.
    InFuture,
    /// The incident is closed and this kind is not a correction, lesson or action.
    Closed {
        at: Timestamp,
        kind: &'static str,
    },
    AlreadyClosed {
        at: Timestamp,
    },
    /// An id from the playbook that does not exist.
    Unknown {
        what: String,
        given: String,
        known: Vec<String>,
    },
    /// An entry id (full or a suffix) that matches nothing of its kind.
    NoSuchEntry {
        what: &'static str,
        given: String,
        suggestion: Option<String>,
        /// The most recent candidates, as `short-id (what)`.
        recent: Vec<String>,
    },
    /// A suffix that matches several entries.
    Ambiguous {
        what: &'static str,
        given: String,
        matches: usize,
    },
    MilestoneMarked {
        milestone: String,
        at: Timestamp,
    },
    SameSeverity {
        severity: String,
    },
    DraftNeedsText,
    AlreadySent {
        message: Uuid,
        at: Timestamp,
    },
    /// Unfilled `{{fill:…}}` blanks (in a message, or in a text sent without a draft).
    Blanks {
        message: Option<Uuid>,
        blanks: Vec<String>,
        doing: Doing,
    },
    /// Approvals missing or objections standing; an override reason sends anyway.
    NeedsApproval {
        message: Option<Uuid>,
        stakeholder: String,
        missing: Vec<String>,
        objections: Vec<Objection>,
    },
    WrongAudience {
        message: Uuid,
        addressed_to: String,
        given: String,
    },
    DeadlineMet {
        stakeholder: String,
        label: String,
    },
    EmptyOverride,
    SentNeedsText,
    ChecklistDone {
        id: String,
        at: Timestamp,
        by: String,
    },
    NotDoable {
        given: String,
        suggestion: Option<String>,
    },
    BadDue {
        given: String,
    },
    AmendNeedsChange,
    NothingToAmend {
        kind: &'static str,
    },
    RetractOpening,
    RetractRetraction,
    AlreadyRetracted,
    /// A new incident's detection time after now.
    DetectedInFuture,
    /// Unticking a checklist item that is not ticked.
    NotTicked {
        id: String,
    },
    /// No current finding of the check has this id; `open` lists those that warn.
    NoSuchFinding {
        given: String,
        open: Vec<String>,
    },
    AlreadyAcknowledged {
        finding: String,
        by: String,
        at: Timestamp,
        reason: String,
    },
    /// An exercise command on a real incident.
    NotAnExercise {
        kind: &'static str,
    },
    /// The scenario clock refuses the change.
    Clock(ClockRefusal),
    /// Clock changes, deliveries and improvised injects happen now.
    NotBackdated {
        kind: &'static str,
    },
    InjectDelivered {
        inject: String,
        at: Timestamp,
    },
    InjectSkipped {
        inject: String,
        at: Timestamp,
    },
    /// A rating of an inject players have not received.
    NotDelivered {
        inject: String,
    },
    NothingToRate {
        inject: String,
    },
    NoSuchItem {
        inject: String,
        item: u32,
        count: usize,
    },
    /// A retraction or amendment of an exercise's own entries.
    ExerciseEntry {
        kind: &'static str,
    },
}

impl Refusal {
    /// Whether an override reason would let the command through (missing approvals).
    pub fn can_override(&self) -> bool {
        matches!(self, Refusal::NeedsApproval { .. })
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let short = Event::short_id;
        match self {
            Refusal::Empty { what } => write!(f, "{what} must not be empty"),
            Refusal::InFuture => {
                write!(
                    f,
                    "that time is in the future: record things when they have happened"
                )
            }
            Refusal::Closed { at, kind } => write!(
                f,
                "the incident was closed at {at}: it takes only corrections (amend, retract), lessons and actions now, not a {kind}"
            ),
            Refusal::AlreadyClosed { at } => write!(f, "the incident was already closed at {at}"),
            Refusal::Unknown { what, given, known } => write!(
                f,
                "no {what} \"{given}\"{} (known: {})",
                hint(given, known),
                list(known)
            ),
            Refusal::NoSuchEntry {
                what,
                given,
                suggestion,
                recent,
            } => {
                write!(f, "no {what} with id \"{given}\"")?;
                if let Some(s) = suggestion {
                    write!(f, " — did you mean {s}?")?;
                }
                if !recent.is_empty() {
                    write!(f, "\nrecent: {}", recent.join(", "))?;
                }
                Ok(())
            }
            Refusal::Ambiguous {
                what,
                given,
                matches,
            } => write!(f, "\"{given}\" matches {matches} {what}s: give more digits"),
            Refusal::MilestoneMarked { milestone, at } => write!(
                f,
                "milestone \"{milestone}\" was already marked at {at}; to correct its time, amend that entry with a new time"
            ),
            Refusal::SameSeverity { severity } => {
                write!(f, "the severity is already \"{severity}\"")
            }
            Refusal::DraftNeedsText => write!(f, "a draft needs a template or a text"),
            Refusal::AlreadySent { message, at } => {
                write!(f, "message {} was already sent at {at}", short(message))
            }
            Refusal::Blanks {
                message,
                blanks,
                doing,
            } => {
                let what = match message {
                    Some(m) => format!("message {}", short(m)),
                    None => "the text".to_owned(),
                };
                let verb = match doing {
                    Doing::Approve => "approved",
                    Doing::Send => "sent",
                };
                write!(
                    f,
                    "{what} still has blanks to fill: {} — it cannot be {verb} (a message with \"[INSERT NUMBER]\" must never go out)",
                    blanks.join(", ")
                )
            }
            Refusal::NeedsApproval {
                message,
                stakeholder,
                missing,
                objections,
            } => {
                let mut why = Vec::new();
                if !missing.is_empty() {
                    why.push(format!("missing approval by {}", missing.join(", ")));
                }
                for o in objections {
                    why.push(match &o.comment {
                        Some(c) => format!("objection from {} (\"{c}\")", o.role),
                        None => format!("objection from {}", o.role),
                    });
                }
                match message {
                    Some(m) => write!(f, "message {} cannot be sent: {}", short(m), why.join("; ")),
                    None => write!(
                        f,
                        "messages to {stakeholder} need approval by {} first: draft it and have it approved",
                        missing.join(", ")
                    ),
                }
            }
            Refusal::WrongAudience {
                message,
                addressed_to,
                given,
            } => write!(
                f,
                "message {} is addressed to \"{addressed_to}\", not \"{given}\"",
                short(message)
            ),
            Refusal::DeadlineMet { stakeholder, label } => {
                write!(f, "deadline \"{label}\" of {stakeholder} was already met")
            }
            Refusal::EmptyOverride => write!(f, "an override needs a reason"),
            Refusal::SentNeedsText => write!(
                f,
                "say what was sent: the id of an approved draft, or the text"
            ),
            Refusal::ChecklistDone { id, at, by } => {
                write!(
                    f,
                    "checklist item \"{id}\" was already done at {at} by {by}"
                )
            }
            Refusal::NotDoable { given, suggestion } => {
                write!(
                    f,
                    "\"{given}\" is neither an open checklist item nor an open action"
                )?;
                if let Some(s) = suggestion {
                    write!(f, "{}", phrase(s))?;
                }
                Ok(())
            }
            Refusal::BadDue { given } => write!(
                f,
                "due \"{given}\": give a duration like 4h or 2bd, or a time like 2026-11-28 09:00"
            ),
            Refusal::AmendNeedsChange => {
                write!(f, "an amendment needs a new text or a new time")
            }
            Refusal::NothingToAmend { kind } => write!(
                f,
                "a {kind} entry has no text to amend; give a new time, or retract it and record it again"
            ),
            Refusal::RetractOpening => {
                write!(f, "the entry that opened the incident cannot be retracted")
            }
            Refusal::RetractRetraction => write!(
                f,
                "a retraction cannot be retracted: record the entry again instead"
            ),
            Refusal::AlreadyRetracted => write!(f, "that entry is already retracted"),
            Refusal::NotTicked { id } => {
                write!(
                    f,
                    "checklist item \"{id}\" is not ticked: nothing to untick"
                )
            }
            Refusal::DetectedInFuture => write!(
                f,
                "the detection time is in the future: it is when the organisation learned of the incident"
            ),
            Refusal::NoSuchFinding { given, open } => {
                write!(
                    f,
                    "no finding \"{given}\" (findings change as messages and facts do: check again)"
                )?;
                if open.is_empty() {
                    write!(f, " — there are no open findings")
                } else {
                    write!(f, "\nopen: {}", open.join(", "))
                }
            }
            Refusal::AlreadyAcknowledged {
                finding,
                by,
                at,
                reason,
            } => write!(
                f,
                "finding {finding} was already acknowledged by {by} at {at}: {reason}"
            ),
            Refusal::NotAnExercise { kind } => write!(
                f,
                "this is a real incident, not an exercise: it takes no {kind} (real incidents never take injects)"
            ),
            Refusal::Clock(r) => write!(f, "{r}"),
            Refusal::NotBackdated { kind } => {
                write!(f, "a {kind} happens now: it cannot be back-dated")
            }
            Refusal::InjectDelivered { inject, at } => {
                write!(f, "inject {inject} was already delivered at {at}")
            }
            Refusal::InjectSkipped { inject, at } => {
                write!(f, "inject {inject} was skipped at {at}")
            }
            Refusal::NotDelivered { inject } => write!(
                f,
                "inject {inject} has not been delivered: rate what players did once it has"
            ),
            Refusal::NothingToRate { inject } => {
                write!(f, "inject {inject} has no expected actions to rate")
            }
            Refusal::NoSuchItem {
                inject,
                item,
                count,
            } => write!(
                f,
                "inject {inject} has {count} expected action(s), counted from 1: there is no {item}"
            ),
            Refusal::ExerciseEntry { kind } => write!(
                f,
                "the exercise's own entries ({}) run the exercise and cannot be corrected or withdrawn (a rating is replaced by rating again)",
                kind.replace('_', " ")
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// What a new incident starts with, checked against its playbook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opening {
    pub title: String,
    pub severity: String,
    pub detected_at: Timestamp,
}

/// Checks what a new incident on `pb` starts with: a title, a severity of the playbook (its
/// lowest when none is given), and a detection time not after `now` (`now` when none).
pub fn opening(
    pb: &Playbook,
    title: &str,
    severity: Option<&str>,
    detected_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<Opening, Refusal> {
    let title = required(title.to_owned(), "the title")?;
    let severity = match optional(severity.map(str::to_owned)) {
        Some(s) if pb.severity(&s).is_some() => s,
        Some(s) => {
            let ids: Vec<&str> = pb.severities.iter().map(|s| s.id.as_str()).collect();
            return Err(unknown("severity", &s, &ids));
        }
        None => pb.severities[0].id.clone(),
    };
    let detected_at = detected_at.unwrap_or(now);
    if detected_at > now {
        return Err(Refusal::DetectedInFuture);
    }
    Ok(Opening {
        title,
        severity,
        detected_at,
    })
}

/// The incident a command is checked against: its folded state, the entries it was folded
/// from (amendments and retractions refer to any of them) and the present moment.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub incident: &'a Incident,
    pub events: &'a [Stored<Event>],
    /// Now in the incident's own time: in an exercise, scenario time (entries are dated in it).
    pub now: Timestamp,
    /// Now on the real clock (an entry's `recorded_at`).
    pub real_now: Timestamp,
}

impl<'a> Context<'a> {
    /// A context at real time `now`; in an exercise its [`Context::now`] is the scenario
    /// time then, by the exercise's clock.
    pub fn new(incident: &'a Incident, events: &'a [Stored<Event>], now: Timestamp) -> Self {
        Context {
            incident,
            events,
            now: incident.now(now),
            real_now: now,
        }
    }

    /// Checks a command happening at `at` (now when `None`); gives the entry to append.
    pub fn check(&self, cmd: Command, at: Option<Timestamp>) -> Result<Accepted, Refusal> {
        if cmd.is_exercise_only() && !self.incident.exercise {
            return Err(Refusal::NotAnExercise { kind: cmd.kind() });
        }
        let backdated = at.is_some_and(|a| a != self.now);
        let at = admit(&cmd, at, self.now, self.incident.closed_at)?;
        let rules = Rules { cx: self, at };
        if cmd.is_exercise_only() {
            return rules.exercise(cmd, backdated);
        }
        Ok(Accepted {
            at,
            body: rules.body(cmd)?,
            fixed: None,
        })
    }
}

/// When a command happens (`at`, or `now`), if the time and the incident's closure allow it.
fn admit(
    cmd: &Command,
    at: Option<Timestamp>,
    now: Timestamp,
    closed_at: Option<Timestamp>,
) -> Result<Timestamp, Refusal> {
    let at = at.unwrap_or(now);
    if at > now {
        return Err(Refusal::InFuture);
    }
    if let Some(closed) = closed_at {
        match cmd {
            Command::Close { .. } => return Err(Refusal::AlreadyClosed { at: closed }),
            c if !c.allowed_after_close() => {
                return Err(Refusal::Closed {
                    at: closed,
                    kind: c.kind(),
                });
            }
            _ => {}
        }
    }
    Ok(at)
}

/// Checks a command that needs no state ([`Command::needs_state`] is false) in a real
/// incident (not an exercise, whose time is the scenario clock's) at real time `now`, knowing
/// only when the incident was closed, if it was. Gives the same answer as [`Context::check`]
/// on the folded incident, without the fold; `None` for a command that needs state.
pub fn check_plain(
    cmd: Command,
    at: Option<Timestamp>,
    now: Timestamp,
    closed_at: Option<Timestamp>,
) -> Option<Result<Accepted, Refusal>> {
    if cmd.needs_state() {
        return None;
    }
    let at = match admit(&cmd, at, now, closed_at) {
        Ok(at) => at,
        Err(refusal) => return Some(Err(refusal)),
    };
    plain_body(cmd).ok().map(|body| {
        body.map(|body| Accepted {
            at,
            body,
            fixed: None,
        })
    })
}

/// The entry of a command that refers to nothing in the incident (the one place these kinds'
/// rules are written, for [`Context::check`] and [`check_plain`] alike); other commands are
/// given back.
fn plain_body(cmd: Command) -> Result<Result<Body, Refusal>, Box<Command>> {
    Ok(match cmd {
        Command::Note { text } => required(text, "the note").map(|text| Body::Note { text }),
        Command::Decision { text } => {
            required(text, "the decision").map(|text| Body::Decision { text })
        }
        Command::Fact { text, confirmed } => {
            required(text, "the fact").map(|text| Body::Fact { text, confirmed })
        }
        Command::Inquiry {
            from,
            journalist,
            within,
            question,
        } => (|| {
            Ok(Body::MediaInquiry {
                from: required(from, "who is asking")?,
                journalist: optional(journalist),
                question: required(question, "the question")?,
                reply_within: within,
            })
        })(),
        Command::Mention {
            source,
            url,
            sentiment,
            text,
        } => (|| {
            Ok(Body::MediaMention {
                source: required(source, "the source")?,
                url: optional(url),
                sentiment: optional(sentiment),
                text: required(text, "the mention")?,
            })
        })(),
        Command::Lesson { text, kind } => {
            required(text, "the lesson").map(|text| Body::Lesson { text, lesson: kind })
        }
        other => return Err(Box::new(other)),
    })
}

struct Rules<'c, 'a> {
    cx: &'c Context<'a>,
    at: Timestamp,
}

fn required(text: String, what: &'static str) -> Result<String, Refusal> {
    let t = text.trim();
    if t.is_empty() {
        Err(Refusal::Empty { what })
    } else {
        Ok(t.to_owned())
    }
}

fn optional(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

fn unknown<S: AsRef<str>>(what: &str, given: &str, known: &[S]) -> Refusal {
    Refusal::Unknown {
        what: what.to_owned(),
        given: given.to_owned(),
        known: known.iter().map(|k| k.as_ref().to_owned()).collect(),
    }
}

impl Rules<'_, '_> {
    fn body(&self, cmd: Command) -> Result<Body, Refusal> {
        let cmd = match plain_body(cmd) {
            Ok(body) => return body,
            Err(cmd) => *cmd,
        };
        let inc = self.cx.incident;
        let pb = &inc.playbook;
        Ok(match cmd {
            Command::Milestone { id, text } => {
                if pb.milestone(&id).is_none() {
                    let ids: Vec<&str> = pb.milestones.iter().map(|m| m.id.as_str()).collect();
                    return Err(unknown("milestone", &id, &ids));
                }
                if let Some(at) = inc.milestone_at(&id) {
                    return Err(Refusal::MilestoneMarked { milestone: id, at });
                }
                Body::MilestoneMarked {
                    milestone: id,
                    text: optional(text),
                }
            }
            Command::Severity { id, reason } => {
                if pb.severity(&id).is_none() {
                    let ids: Vec<&str> = pb.severities.iter().map(|s| s.id.as_str()).collect();
                    return Err(unknown("severity", &id, &ids));
                }
                if id == inc.severity {
                    return Err(Refusal::SameSeverity { severity: id });
                }
                Body::SeverityChanged {
                    severity: id,
                    reason: optional(reason),
                }
            }
            Command::Draft {
                stakeholder,
                template,
                channel,
                fills,
                text,
            } => self.draft(stakeholder, template, channel, fills, optional(text))?,
            Command::Edit { message, text } => Body::MessageEdited {
                message: self.unsent_message(&message)?,
                text: self.marked(required(text, "the new text")?),
            },
            Command::Approve {
                message,
                role,
                comment,
            } => {
                let id = self.unsent_message(&message)?;
                self.role(&role)?;
                let blanks = inc.message(&id).expect("resolved above").blanks();
                if !blanks.is_empty() {
                    return Err(Refusal::Blanks {
                        message: Some(id),
                        blanks,
                        doing: Doing::Approve,
                    });
                }
                Body::MessageApproved {
                    message: id,
                    role,
                    comment: optional(comment),
                }
            }
            Command::Object {
                message,
                role,
                comment,
            } => {
                let id = self.unsent_message(&message)?;
                self.role(&role)?;
                Body::MessageObjected {
                    message: id,
                    role,
                    comment: required(comment, "the objection")?,
                }
            }
            Command::Sent {
                stakeholder,
                channel,
                message,
                fulfils,
                override_reason,
                text,
            } => self.sent(
                stakeholder,
                optional(channel),
                message,
                optional(fulfils),
                override_reason,
                optional(text),
            )?,
            Command::Request {
                stakeholder,
                within,
                text,
            } => {
                self.stakeholder(&stakeholder)?;
                Body::StakeholderRequest {
                    stakeholder,
                    text: required(text, "the request")?,
                    reply_within: within,
                }
            }
            Command::Answer { inquiry, text } => {
                let candidates: Vec<(Uuid, String)> = inc
                    .inquiries
                    .iter()
                    .map(|i| (i.id, format!("from {}", i.from)))
                    .collect();
                // In an exercise, the inquiry or request an inject became is also named by
                // the inject's id, as the players received it ("answer i04").
                let delivered = inc.exercise_state.as_deref().and_then(|ex| {
                    let d = ex.inject(inquiry.trim())?.delivered.as_ref()?;
                    candidates
                        .iter()
                        .any(|(id, _)| *id == d.event)
                        .then_some(d.event)
                });
                Body::InquiryAnswered {
                    inquiry: match delivered {
                        Some(id) => id,
                        None => resolve(&inquiry, &candidates, "inquiry")?,
                    },
                    text: required(text, "the answer")?,
                }
            }
            Command::Action { text, owner, due } => {
                let owner = optional(owner);
                if let Some(o) = &owner {
                    self.role(o)?;
                }
                Body::ActionAdded {
                    text: required(text, "the action")?,
                    owner,
                    due: due.map(|d| match d {
                        Due::After(d) => inc.calendar.add(self.at, &d),
                        Due::At(t) => t,
                    }),
                }
            }
            Command::Done { id } => self.done(id)?,
            // Taken by `plain_body` above.
            Command::Note { .. }
            | Command::Decision { .. }
            | Command::Fact { .. }
            | Command::Inquiry { .. }
            | Command::Mention { .. }
            | Command::Lesson { .. } => unreachable!("plain_body checks these kinds"),
            Command::Amend {
                id,
                text,
                new_at,
                reason,
            } => {
                let target = self.event(&id)?;
                self.not_exercise_entry(&target)?;
                let text = optional(text);
                if text.is_none() && new_at.is_none() {
                    return Err(Refusal::AmendNeedsChange);
                }
                if let Some(t) = &text {
                    let mut probe = self.body_of(&target).clone();
                    if !probe.set_text(t.clone()) {
                        return Err(Refusal::NothingToAmend { kind: probe.kind() });
                    }
                }
                Body::Amend {
                    target,
                    text,
                    new_at,
                    reason: optional(reason),
                }
            }
            Command::Retract { id, reason } => {
                let target = self.event(&id)?;
                self.not_exercise_entry(&target)?;
                match self.body_of(&target) {
                    Body::IncidentOpened { .. } => return Err(Refusal::RetractOpening),
                    Body::Retract { .. } => return Err(Refusal::RetractRetraction),
                    _ => {}
                }
                if inc.retracted.contains_key(&target) {
                    return Err(Refusal::AlreadyRetracted);
                }
                Body::Retract {
                    target,
                    reason: required(reason, "the reason")?,
                }
            }
            Command::Close { text } => Body::IncidentClosed {
                text: optional(text),
            },
            Command::Untick { id, reason } => {
                let Some(item) = inc.checklist.iter().find(|c| c.id == id) else {
                    let ids: Vec<&str> = inc.checklist.iter().map(|c| c.id.as_str()).collect();
                    return Err(unknown("checklist item", &id, &ids));
                };
                if item.done.is_none() {
                    return Err(Refusal::NotTicked { id });
                }
                Body::ChecklistUndone {
                    item: id,
                    reason: optional(reason),
                }
            }
            Command::Claim { inquiry } => {
                let candidates: Vec<(Uuid, String)> = inc
                    .inquiries
                    .iter()
                    .map(|i| (i.id, format!("from {}", i.from)))
                    .collect();
                Body::InquiryClaimed {
                    inquiry: resolve(&inquiry, &candidates, "inquiry")?,
                }
            }
            Command::AdoptPlaybook { source, changes } => Body::PlaybookAdopted {
                playbook_id: pb.id.clone(),
                playbook_source: source,
                changes,
            },
            Command::Acknowledge { finding, reason } => {
                let reason = required(reason, "the reason")?;
                self.acknowledge(&finding, reason)?
            }
            Command::Clock { .. }
            | Command::Deliver { .. }
            | Command::Skip { .. }
            | Command::Rate { .. }
            | Command::Improvise { .. } => unreachable!("exercise commands are checked apart"),
        })
    }

    /// A message composed in an exercise starts and ends with "EXERCISE EXERCISE EXERCISE".
    fn marked(&self, text: String) -> String {
        if self.cx.incident.exercise {
            exercise::mark(&text)
        } else {
            text
        }
    }

    fn not_exercise_entry(&self, target: &Uuid) -> Result<(), Refusal> {
        let body = self.body_of(target);
        if body.is_exercise_control() {
            return Err(Refusal::ExerciseEntry { kind: body.kind() });
        }
        Ok(())
    }

    /// The exercise's own commands: clock, deliveries, skips, ratings, improvised injects.
    fn exercise(&self, cmd: Command, backdated: bool) -> Result<Accepted, Refusal> {
        let cx = self.cx;
        let ex: &Exercise = cx
            .incident
            .exercise_state
            .as_deref()
            .ok_or(Refusal::NotAnExercise { kind: cmd.kind() })?;
        let happens_now = matches!(
            cmd,
            Command::Clock { .. } | Command::Deliver { .. } | Command::Improvise { .. }
        );
        if happens_now && backdated {
            return Err(Refusal::NotBackdated { kind: cmd.kind() });
        }
        let plain = |body: Body| Accepted {
            at: self.at,
            body,
            fixed: None,
        };
        let find = |id: &str, planned_only: bool| {
            ex.injects
                .iter()
                .find(|i| i.inject.id == id && !(planned_only && i.improvised))
                .ok_or_else(|| {
                    let ids: Vec<&str> = ex
                        .injects
                        .iter()
                        .filter(|i| !(planned_only && i.improvised))
                        .map(|i| i.inject.id.as_str())
                        .collect();
                    unknown("inject", id, &ids)
                })
        };
        let pending = |i: &exercise::InjectState| match (&i.delivered, &i.skipped) {
            (Some(d), _) => Err(Refusal::InjectDelivered {
                inject: i.inject.id.clone(),
                at: d.at,
            }),
            (None, Some(s)) => Err(Refusal::InjectSkipped {
                inject: i.inject.id.clone(),
                at: s.at,
            }),
            (None, None) => Ok(()),
        };
        let started = || {
            if ex.clock.started_at().is_none() {
                Err(Refusal::Clock(ClockRefusal::NotStarted))
            } else {
                Ok(())
            }
        };
        Ok(match cmd {
            Command::Clock { op } => {
                ex.clock.check(cx.real_now, op).map_err(Refusal::Clock)?;
                plain(match op {
                    ClockOp::Start => Body::ExerciseStarted,
                    ClockOp::Pause => Body::ExercisePaused,
                    ClockOp::Resume => Body::ExerciseResumed,
                    ClockOp::Speed(speed) => Body::ExerciseSpeed { speed },
                    ClockOp::Jump(to) => Body::ExerciseJumped { to },
                    // Ending an exercise is closing it.
                    ClockOp::End => Body::IncidentClosed { text: None },
                })
            }
            Command::Deliver { inject } => {
                let i = find(&inject, true)?;
                pending(i)?;
                started()?;
                if i.due <= cx.now {
                    Accepted::whole(ex.delivery(i, cx.real_now))
                } else {
                    Accepted {
                        at: cx.now,
                        body: Body::InjectDelivered {
                            inject: Box::new(exercise::deliver::as_delivered(&i.inject)),
                            early: true,
                            improvised: false,
                        },
                        fixed: Some(Fixed {
                            id: exercise::deliver::delivery_id(ex.id, &inject),
                            stamp: None,
                        }),
                    }
                }
            }
            Command::Skip { inject, reason } => {
                let i = find(&inject, true)?;
                pending(i)?;
                Accepted {
                    at: self.at,
                    body: Body::InjectSkipped {
                        reason: optional(reason),
                        inject: inject.clone(),
                    },
                    fixed: Some(Fixed {
                        id: exercise::deliver::skip_id(ex.id, &inject),
                        stamp: None,
                    }),
                }
            }
            Command::Rate {
                inject,
                item,
                rating,
                note,
            } => {
                let i = find(&inject, false)?;
                if i.status() != InjectStatus::Delivered {
                    return Err(Refusal::NotDelivered { inject });
                }
                let count = i.inject.expect.len();
                if count == 0 {
                    return Err(Refusal::NothingToRate { inject });
                }
                if item == 0 || item as usize > count {
                    return Err(Refusal::NoSuchItem {
                        inject,
                        item,
                        count,
                    });
                }
                plain(Body::InjectRated {
                    inject,
                    item,
                    rating,
                    note: optional(note),
                })
            }
            Command::Improvise { inject } => {
                started()?;
                if let Some(to) = &inject.to {
                    self.role(to)?;
                }
                if let Some(s) = &inject.stakeholder {
                    self.stakeholder(s)?;
                }
                let offset = cx.now.duration_since(ex.scenario_start).as_secs().max(0);
                let at = Duration {
                    hours: (offset / 3600) as u32,
                    minutes: (offset / 60 % 60) as u32,
                    seconds: (offset % 60) as u32,
                    ..Duration::default()
                };
                let inject = Inject {
                    id: ex.improvised_id(),
                    at,
                    from: required(inject.from, "who the inject is from")?,
                    text: required(inject.text, "the inject's text")?,
                    to: optional(inject.to),
                    channel: optional(inject.channel),
                    subject: optional(inject.subject),
                    stakeholder: optional(inject.stakeholder),
                    respond_within: inject.respond_within.filter(|_| {
                        matches!(
                            inject.kind,
                            InjectKind::MediaInquiry | InjectKind::StakeholderRequest
                        )
                    }),
                    kind: inject.kind,
                    expect: Vec::new(),
                };
                plain(Body::InjectDelivered {
                    inject: Box::new(inject),
                    early: false,
                    improvised: true,
                })
            }
            _ => unreachable!("only exercise commands come here"),
        })
    }

    /// The acknowledgment of a current finding of the check, found by its id or a prefix.
    fn acknowledge(&self, given: &str, reason: String) -> Result<Body, Refusal> {
        let findings = crate::check::Record::new(self.cx.incident, self.cx.events).findings();
        let needle = given.trim().to_ascii_lowercase();
        let matches: Vec<&crate::check::Finding> = if needle.len() >= 6 {
            findings
                .iter()
                .filter(|f| f.id.starts_with(&needle))
                .collect()
        } else {
            Vec::new()
        };
        match matches.as_slice() {
            [one] => match &one.acknowledged {
                Some(a) => Err(Refusal::AlreadyAcknowledged {
                    finding: one.id.clone(),
                    by: a.by.clone(),
                    at: a.at,
                    reason: a.reason.clone(),
                }),
                None => Ok(Body::FindingAcknowledged {
                    finding: one.id.clone(),
                    reason,
                    text: Some(one.text.clone()),
                }),
            },
            [] => Err(Refusal::NoSuchFinding {
                given: given.to_owned(),
                open: findings
                    .iter()
                    .filter(|f| f.is_open())
                    .map(|f| format!("{} ({})", f.id, f.kind.as_str()))
                    .collect(),
            }),
            _ => Err(Refusal::Ambiguous {
                what: "finding",
                given: given.to_owned(),
                matches: matches.len(),
            }),
        }
    }

    fn draft(
        &self,
        stakeholder: String,
        template: Option<String>,
        channel: Option<String>,
        fills: Vec<(String, String)>,
        text: Option<String>,
    ) -> Result<Body, Refusal> {
        let inc = self.cx.incident;
        let pb = &inc.playbook;
        self.stakeholder(&stakeholder)?;
        let tpl = match &template {
            Some(t) => Some(pb.template(t).ok_or_else(|| {
                let ids: Vec<&str> = pb.templates.iter().map(|t| t.id.as_str()).collect();
                unknown("template", t, &ids)
            })?),
            None => None,
        };
        let mut body = match (tpl, text) {
            (Some(t), None) => fill_template(inc, &t.body, &stakeholder, self.at),
            (_, Some(text)) => text,
            (None, None) => return Err(Refusal::DraftNeedsText),
        };
        for (name, value) in &fills {
            body =
                fill_blank(&body, name, value).map_err(|known| unknown("blank", name, &known))?;
        }
        let body = self.marked(body);
        Ok(Body::MessageDrafted {
            stakeholder,
            channel: optional(channel).or_else(|| tpl.and_then(|t| t.channel.clone())),
            template,
            text: body,
        })
    }

    fn sent(
        &self,
        stakeholder: String,
        channel: Option<String>,
        message: Option<String>,
        fulfils: Option<String>,
        override_reason: Option<String>,
        text: Option<String>,
    ) -> Result<Body, Refusal> {
        let inc = self.cx.incident;
        let pb = &inc.playbook;
        let def = self.stakeholder(&stakeholder)?;
        if let Some(f) = &fulfils {
            let st = inc
                .stakeholder(&stakeholder)
                .expect("every playbook stakeholder has a state");
            match st.deadlines.iter().find(|d| &d.key == f || &d.label == f) {
                None => {
                    let keys: Vec<&str> = st.deadlines.iter().map(|d| d.key.as_str()).collect();
                    return Err(unknown(&format!("deadline of {stakeholder}"), f, &keys));
                }
                Some(d) if d.met_at.is_some() => {
                    return Err(Refusal::DeadlineMet {
                        stakeholder,
                        label: d.label.clone(),
                    });
                }
                Some(_) => {}
            }
        }
        let override_reason = match override_reason.map(|r| r.trim().to_owned()) {
            Some(r) if r.is_empty() => return Err(Refusal::EmptyOverride),
            other => other,
        };
        let message_id = match &message {
            Some(m) => {
                let id = self.unsent_message(m)?;
                let msg = inc.message(&id).expect("resolved above");
                if msg.stakeholder != stakeholder {
                    return Err(Refusal::WrongAudience {
                        message: id,
                        addressed_to: msg.stakeholder.clone(),
                        given: stakeholder,
                    });
                }
                match msg.status(pb) {
                    MessageStatus::Draft { blanks } => {
                        return Err(Refusal::Blanks {
                            message: Some(id),
                            blanks,
                            doing: Doing::Send,
                        });
                    }
                    MessageStatus::AwaitingApproval { mut missing, .. }
                        if override_reason.is_none() =>
                    {
                        // A role that objected is missing too; its objection says more.
                        missing.retain(|r| !msg.objections.iter().any(|o| &o.role == r));
                        return Err(Refusal::NeedsApproval {
                            message: Some(id),
                            stakeholder,
                            missing,
                            objections: msg
                                .objections
                                .iter()
                                .map(|o| Objection {
                                    role: o.role.clone(),
                                    comment: o.comment.clone(),
                                })
                                .collect(),
                        });
                    }
                    _ => {}
                }
                Some(id)
            }
            None => {
                let Some(t) = &text else {
                    return Err(Refusal::SentNeedsText);
                };
                let blanks: Vec<String> =
                    placeholder::blanks(t).into_iter().map(|(n, _)| n).collect();
                if !blanks.is_empty() {
                    return Err(Refusal::Blanks {
                        message: None,
                        blanks,
                        doing: Doing::Send,
                    });
                }
                if !def.approval.is_empty() && override_reason.is_none() {
                    return Err(Refusal::NeedsApproval {
                        message: None,
                        stakeholder,
                        missing: def.approval.clone(),
                        objections: Vec::new(),
                    });
                }
                None
            }
        };
        Ok(Body::MessageSent {
            stakeholder,
            message: message_id,
            text: if message_id.is_some() {
                None
            } else {
                text.map(|t| self.marked(t))
            },
            channel,
            fulfils,
            override_reason,
        })
    }

    fn done(&self, id: String) -> Result<Body, Refusal> {
        let inc = self.cx.incident;
        if let Some(item) = inc.checklist.iter().find(|c| c.id == id) {
            if let Some(d) = &item.done {
                return Err(Refusal::ChecklistDone {
                    id,
                    at: d.at,
                    by: d.by.to_string(),
                });
            }
            if let Some(at) = inc.closed_at {
                return Err(Refusal::Closed {
                    at,
                    kind: "checklist tick",
                });
            }
            return Ok(Body::ChecklistDone { item: id });
        }
        let actions: Vec<(Uuid, String)> =
            inc.open_actions().map(|a| (a.id, a.text.clone())).collect();
        match resolve(&id, &actions, "open action") {
            Ok(a) => Ok(Body::ActionDone { action: a }),
            Err(_) => {
                let mut known: Vec<String> = inc
                    .checklist
                    .iter()
                    .filter(|c| c.done.is_none())
                    .map(|c| c.id.clone())
                    .collect();
                known.extend(actions.iter().map(|(a, _)| Event::short_id(a)));
                Err(Refusal::NotDoable {
                    suggestion: did_you_mean(&id, &known).map(str::to_owned),
                    given: id,
                })
            }
        }
    }

    fn stakeholder(&self, id: &str) -> Result<&crate::playbook::Stakeholder, Refusal> {
        let pb = &self.cx.incident.playbook;
        pb.stakeholder(id).ok_or_else(|| {
            let ids: Vec<&str> = pb.stakeholders.iter().map(|s| s.id.as_str()).collect();
            unknown("stakeholder", id, &ids)
        })
    }

    fn role(&self, id: &str) -> Result<(), Refusal> {
        let pb = &self.cx.incident.playbook;
        if pb.role(id).is_some() {
            return Ok(());
        }
        let ids: Vec<&str> = pb.roles.iter().map(|r| r.id.as_str()).collect();
        Err(unknown("role", id, &ids))
    }

    fn unsent_message(&self, input: &str) -> Result<Uuid, Refusal> {
        let inc = self.cx.incident;
        let all: Vec<(Uuid, String)> = inc
            .messages
            .iter()
            .map(|m| (m.id, format!("to {}", m.stakeholder)))
            .collect();
        let id = resolve(input, &all, "message")?;
        if let Some(s) = inc.message(&id).and_then(|m| m.sent.as_ref()) {
            return Err(Refusal::AlreadySent {
                message: id,
                at: s.at,
            });
        }
        Ok(id)
    }

    fn event(&self, input: &str) -> Result<Uuid, Refusal> {
        let all: Vec<(Uuid, String)> = self
            .cx
            .events
            .iter()
            .map(|e| (e.entry.id, e.entry.body.kind().to_owned()))
            .collect();
        resolve(input, &all, "entry")
    }

    fn body_of(&self, id: &Uuid) -> &Body {
        &self
            .cx
            .events
            .iter()
            .find(|e| &e.entry.id == id)
            .expect("resolved ids exist")
            .entry
            .body
    }
}

/// Resolves a full uuid, or a unique suffix of at least 6 hex digits (screens show the last 8),
/// among `candidates` (id, a few words saying what it is).
pub fn resolve(
    input: &str,
    candidates: &[(Uuid, String)],
    what: &'static str,
) -> Result<Uuid, Refusal> {
    let needle = input.trim().to_ascii_lowercase().replace('-', "");
    if let Ok(full) = Uuid::parse_str(input.trim())
        && candidates.iter().any(|(id, _)| *id == full)
    {
        return Ok(full);
    }
    let matches: Vec<&(Uuid, String)> =
        if needle.len() >= 6 && needle.bytes().all(|b| b.is_ascii_hexdigit()) {
            candidates
                .iter()
                .filter(|(id, _)| {
                    let s = id.simple().to_string();
                    s.ends_with(&needle) || s.starts_with(&needle) && needle.len() >= 16
                })
                .collect()
        } else {
            Vec::new()
        };
    match matches.as_slice() {
        [one] => Ok(one.0),
        [] => {
            let shorts: Vec<String> = candidates
                .iter()
                .map(|(id, _)| Event::short_id(id))
                .collect();
            Err(Refusal::NoSuchEntry {
                what,
                given: input.to_owned(),
                suggestion: did_you_mean(&needle, &shorts).map(str::to_owned),
                recent: candidates
                    .iter()
                    .rev()
                    .take(8)
                    .map(|(id, d)| format!("{} ({d})", Event::short_id(id)))
                    .collect(),
            })
        }
        _ => Err(Refusal::Ambiguous {
            what,
            given: input.to_owned(),
            matches: matches.len(),
        }),
    }
}
