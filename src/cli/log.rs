//! `crisisdesk log INCIDENT KIND …`: append one entry, headless, with the same rules the
//! console enforces (approvals before sending, no blanks, ids that exist).

use std::path::Path;

use clap::Subcommand;
use jiff::Timestamp;
use uuid::Uuid;

use super::Failure;
use super::incident::load;
use crate::clock::Clock;
use crate::incident::event::{Body, Event, LessonKind};
use crate::incident::state::{Incident, MessageStatus};
use crate::incident::time::parse_time;
use crate::journal::Stored;
use crate::playbook::duration::Duration;
use crate::playbook::placeholder::{self, Placeholder};
use crate::playbook::suggest::did_you_mean;

/// The kinds of entry `crisisdesk log` appends.
#[derive(Debug, Subcommand)]
pub enum LogKind {
    /// Something worth recording.
    Note {
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// A decision taken (say in the text who took it).
    Decision {
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// A fact: confirmed unless --unconfirmed.
    Fact {
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        #[arg(long)]
        unconfirmed: bool,
    },
    /// Mark a playbook milestone (starts the clocks that run from it).
    Milestone { id: String, text: Vec<String> },
    /// Change the severity.
    Severity { id: String, text: Vec<String> },
    /// Draft a message to a stakeholder, from a template (placeholders filled) or a text.
    Draft {
        /// The stakeholder (audience) id from the playbook.
        #[arg(long)]
        stakeholder: String,
        /// A template id from the playbook; its placeholders are filled from the incident.
        #[arg(long)]
        template: Option<String>,
        /// How it goes or went out (email, press release, phone…).
        #[arg(long)]
        channel: Option<String>,
        /// Fill a blank: --fill count=1200 (repeatable).
        #[arg(long = "fill", value_name = "NAME=VALUE")]
        fills: Vec<String>,
        text: Vec<String>,
    },
    /// Replace the text of a draft (approvals given so far no longer count).
    Edit {
        message: String,
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Approve a draft as a role.
    Approve {
        message: String,
        /// A role id from the playbook.
        #[arg(long)]
        role: String,
        /// A remark recorded with the approval.
        #[arg(long)]
        comment: Option<String>,
    },
    /// Object to a draft as a role (it cannot be sent until that role approves).
    Object {
        message: String,
        /// A role id from the playbook.
        #[arg(long)]
        role: String,
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Record that a message went out.
    Sent {
        /// The stakeholder (audience) id from the playbook.
        #[arg(long)]
        stakeholder: String,
        /// How it goes or went out (email, press release, phone…).
        #[arg(long)]
        channel: Option<String>,
        /// The approved draft that was sent.
        #[arg(long, conflicts_with = "text")]
        message: Option<String>,
        /// The deadline it meets (id or label); default: the earliest-due running one.
        #[arg(long)]
        fulfils: Option<String>,
        /// Send without every approval; the reason is recorded.
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
        /// The text sent, when there is no draft.
        text: Vec<String>,
    },
    /// A journalist's question.
    Inquiry {
        /// Outlet or person asking.
        #[arg(long)]
        from: String,
        /// The journalist, when the outlet is in --from.
        #[arg(long)]
        journalist: Option<String>,
        /// Reply deadline, e.g. 2h.
        #[arg(long)]
        within: Option<Duration>,
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// A stakeholder's request.
    Request {
        /// The stakeholder (audience) id from the playbook.
        #[arg(long)]
        stakeholder: String,
        /// Reply deadline, e.g. 2h, 30m or 1bd.
        #[arg(long)]
        within: Option<Duration>,
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Coverage seen in the media.
    Mention {
        /// Where it appeared (outlet, account, programme).
        #[arg(long)]
        source: String,
        /// A link to it.
        #[arg(long)]
        url: Option<String>,
        /// positive, neutral, negative… (free text).
        #[arg(long)]
        sentiment: Option<String>,
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Reply to an inquiry or request.
    Answer {
        inquiry: String,
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// A follow-up action.
    Action {
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// Role id responsible.
        #[arg(long)]
        owner: Option<String>,
        /// A duration from now (4h) or a time.
        #[arg(long, value_name = "DURATION|TIME")]
        due: Option<String>,
    },
    /// Tick a checklist item (its id) or finish an action (its id).
    Done { id: String },
    /// A lesson for the review: went well, went wrong (default), or got lucky.
    Lesson {
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        #[arg(long, value_enum, default_value = "wrong")]
        kind: LessonArg,
    },
    /// Correct an earlier entry's text and/or time.
    Amend {
        id: String,
        /// When it really happened.
        #[arg(long, value_name = "TIME")]
        new_at: Option<String>,
        #[arg(long)]
        reason: Option<String>,
        text: Vec<String>,
    },
    /// Withdraw an earlier entry (it stays in the record, marked retracted).
    Retract {
        id: String,
        #[arg(required = true, num_args = 1..)]
        reason: Vec<String>,
    },
    /// Close the incident.
    Close { text: Vec<String> },
}

/// `--kind` of a lesson.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum LessonArg {
    Well,
    Wrong,
    Lucky,
}

fn join(words: &[String]) -> Option<String> {
    let t = words.join(" ");
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn required(words: &[String], what: &str) -> Result<String, Failure> {
    join(words).ok_or_else(|| Failure::invalid(format!("{what} must not be empty")))
}

/// `crisisdesk log`.
pub fn run(
    path: &Path,
    kind: LogKind,
    at: Option<&str>,
    author: Option<&str>,
    clock: &dyn Clock,
) -> Result<(), Failure> {
    let author = author.map_or_else(crate::store::default_author, str::to_owned);
    let (mut dir, snap) = load(path, &author)?;
    let now = clock.now();
    let inc = &snap.incident;
    let at = match at {
        Some(t) => parse_time(t, &inc.calendar).map_err(|e| Failure::invalid(e.to_string()))?,
        None => now,
    };
    if at > now {
        return Err(Failure::invalid(
            "--at is in the future: log things when they have happened",
        ));
    }
    let body = build(inc, &snap.events, at, kind)?;
    let event = dir
        .append_with(Uuid::now_v7(), at, now, body)
        .map_err(Failure::runtime)?;
    println!("{}", event.id);
    Ok(())
}

/// Turns a `log` kind into the event to append, checked against the incident as it stands:
/// ids resolve, approvals are in, blanks are filled. The console's `:` command line uses it too.
pub fn build(
    inc: &Incident,
    events: &[Stored<Event>],
    at: Timestamp,
    kind: LogKind,
) -> Result<Body, Failure> {
    Ctx { inc, events, at }.body(kind)
}

struct Ctx<'a> {
    inc: &'a Incident,
    events: &'a [Stored<Event>],
    at: Timestamp,
}

impl Ctx<'_> {
    fn body(&self, kind: LogKind) -> Result<Body, Failure> {
        let inc = self.inc;
        let pb = &inc.playbook;
        Ok(match kind {
            LogKind::Note { text } => Body::Note {
                text: required(&text, "the note")?,
            },
            LogKind::Decision { text } => Body::Decision {
                text: required(&text, "the decision")?,
            },
            LogKind::Fact { text, unconfirmed } => Body::Fact {
                text: required(&text, "the fact")?,
                confirmed: !unconfirmed,
            },
            LogKind::Milestone { id, text } => {
                let ids: Vec<&str> = pb.milestones.iter().map(|m| m.id.as_str()).collect();
                if pb.milestone(&id).is_none() {
                    return Err(unknown("milestone", &id, &ids));
                }
                if let Some(when) = inc.milestone_at(&id) {
                    return Err(Failure::invalid(format!(
                        "milestone \"{id}\" was already marked at {when}; to correct its time use `log amend ID --new-at TIME`"
                    )));
                }
                Body::MilestoneMarked {
                    milestone: id,
                    text: join(&text),
                }
            }
            LogKind::Severity { id, text } => {
                let ids: Vec<&str> = pb.severities.iter().map(|s| s.id.as_str()).collect();
                if pb.severity(&id).is_none() {
                    return Err(unknown("severity", &id, &ids));
                }
                Body::SeverityChanged {
                    severity: id,
                    reason: join(&text),
                }
            }
            LogKind::Draft {
                stakeholder,
                template,
                channel,
                fills,
                text,
            } => {
                self.stakeholder(&stakeholder)?;
                let mut body = match (&template, join(&text)) {
                    (Some(_), Some(_)) => {
                        return Err(Failure::invalid(
                            "give either --template or a text, not both (edit the draft afterwards)",
                        ));
                    }
                    (Some(t), None) => {
                        let ids: Vec<&str> = pb.templates.iter().map(|t| t.id.as_str()).collect();
                        let tpl = pb.template(t).ok_or_else(|| unknown("template", t, &ids))?;
                        fill_template(inc, &tpl.body, &stakeholder, self.at)
                    }
                    (None, Some(text)) => text,
                    (None, None) => {
                        return Err(Failure::invalid("a draft needs --template ID or a text"));
                    }
                };
                for f in &fills {
                    let (name, value) = f.split_once('=').ok_or_else(|| {
                        Failure::invalid(format!("--fill {f}: write it as NAME=VALUE"))
                    })?;
                    body = fill_blank(&body, name, value)?;
                }
                let channel = channel.or_else(|| {
                    template
                        .as_deref()
                        .and_then(|t| pb.template(t))
                        .and_then(|t| t.channel.clone())
                });
                Body::MessageDrafted {
                    stakeholder,
                    template,
                    channel,
                    text: body,
                }
            }
            LogKind::Edit { message, text } => {
                let m = self.unsent_message(&message)?;
                Body::MessageEdited {
                    message: m,
                    text: required(&text, "the new text")?,
                }
            }
            LogKind::Approve {
                message,
                role,
                comment,
            } => {
                let id = self.unsent_message(&message)?;
                self.role(&role)?;
                let m = inc.message(&id).expect("resolved above");
                let blanks = m.blanks();
                if !blanks.is_empty() {
                    return Err(Failure::invalid(format!(
                        "message {} still has blanks to fill: {} — edit it first (a message with \"[INSERT NUMBER]\" must never be approved)",
                        Event::short_id(&id),
                        blanks.join(", ")
                    )));
                }
                Body::MessageApproved {
                    message: id,
                    role,
                    comment,
                }
            }
            LogKind::Object {
                message,
                role,
                text,
            } => {
                let id = self.unsent_message(&message)?;
                self.role(&role)?;
                Body::MessageObjected {
                    message: id,
                    role,
                    comment: required(&text, "the objection")?,
                }
            }
            LogKind::Sent {
                stakeholder,
                channel,
                message,
                fulfils,
                override_reason,
                text,
            } => self.sent(
                stakeholder,
                channel,
                message,
                fulfils,
                override_reason,
                join(&text),
            )?,
            LogKind::Inquiry {
                from,
                journalist,
                within,
                text,
            } => Body::MediaInquiry {
                from,
                journalist,
                question: required(&text, "the question")?,
                reply_within: within,
            },
            LogKind::Request {
                stakeholder,
                within,
                text,
            } => {
                self.stakeholder(&stakeholder)?;
                Body::StakeholderRequest {
                    stakeholder,
                    text: required(&text, "the request")?,
                    reply_within: within,
                }
            }
            LogKind::Mention {
                source,
                url,
                sentiment,
                text,
            } => Body::MediaMention {
                source,
                url,
                sentiment,
                text: required(&text, "the mention")?,
            },
            LogKind::Answer { inquiry, text } => {
                let candidates: Vec<(Uuid, String)> = inc
                    .inquiries
                    .iter()
                    .map(|i| (i.id, format!("from {}", i.from)))
                    .collect();
                Body::InquiryAnswered {
                    inquiry: resolve(&inquiry, &candidates, "inquiry")?,
                    text: required(&text, "the answer")?,
                }
            }
            LogKind::Action { text, owner, due } => {
                if let Some(o) = &owner {
                    self.role(o)?;
                }
                let due = match due {
                    None => None,
                    Some(d) => Some(match d.parse::<Duration>() {
                        Ok(d) => inc.calendar.add(self.at, &d),
                        Err(_) => parse_time(&d, &inc.calendar)
                            .map_err(|_| Failure::invalid(format!(
                                "--due {d}: give a duration like 4h or 2bd, or a time like 2026-11-28 09:00"
                            )))?,
                    }),
                };
                Body::ActionAdded {
                    text: required(&text, "the action")?,
                    owner,
                    due,
                }
            }
            LogKind::Done { id } => {
                if let Some(item) = inc.checklist.iter().find(|c| c.id == id) {
                    if let Some(d) = &item.done {
                        return Err(Failure::invalid(format!(
                            "checklist item \"{id}\" was already done at {} by {}",
                            d.at, d.by
                        )));
                    }
                    Body::ChecklistDone { item: id }
                } else {
                    let actions: Vec<(Uuid, String)> = inc
                        .actions
                        .iter()
                        .filter(|a| a.done.is_none())
                        .map(|a| (a.id, a.text.clone()))
                        .collect();
                    match resolve(&id, &actions, "open action") {
                        Ok(a) => Body::ActionDone { action: a },
                        Err(_) => {
                            let mut known: Vec<String> = inc
                                .checklist
                                .iter()
                                .filter(|c| c.done.is_none())
                                .map(|c| c.id.clone())
                                .collect();
                            known.extend(actions.iter().map(|(a, _)| Event::short_id(a)));
                            let hint = did_you_mean(&id, &known)
                                .map(|s| format!(" — did you mean \"{s}\"?"))
                                .unwrap_or_default();
                            return Err(Failure::invalid(format!(
                                "\"{id}\" is neither an open checklist item nor an open action{hint}"
                            )));
                        }
                    }
                }
            }
            LogKind::Lesson { text, kind } => Body::Lesson {
                text: required(&text, "the lesson")?,
                lesson: match kind {
                    LessonArg::Well => LessonKind::Well,
                    LessonArg::Wrong => LessonKind::Wrong,
                    LessonArg::Lucky => LessonKind::Lucky,
                },
            },
            LogKind::Amend {
                id,
                new_at,
                reason,
                text,
            } => {
                let target = self.event(&id)?;
                let new_at = new_at
                    .map(|t| parse_time(&t, &inc.calendar))
                    .transpose()
                    .map_err(|e| Failure::invalid(e.to_string()))?;
                let text = join(&text);
                if text.is_none() && new_at.is_none() {
                    return Err(Failure::invalid(
                        "an amendment needs a new text or --new-at TIME",
                    ));
                }
                if let Some(t) = &text {
                    let mut probe = self.body_of(&target).clone();
                    if !probe.set_text(t.clone()) {
                        return Err(Failure::invalid(format!(
                            "a {} entry has no text to amend; use --new-at, or retract it and log it again",
                            probe.kind()
                        )));
                    }
                }
                Body::Amend {
                    target,
                    text,
                    new_at,
                    reason,
                }
            }
            LogKind::Retract { id, reason } => {
                let target = self.event(&id)?;
                match self.body_of(&target) {
                    Body::IncidentOpened { .. } => {
                        return Err(Failure::invalid(
                            "the entry that opened the incident cannot be retracted",
                        ));
                    }
                    Body::Retract { .. } => {
                        return Err(Failure::invalid(
                            "a retraction cannot be retracted: log the entry again instead",
                        ));
                    }
                    _ => {}
                }
                if inc.retracted.contains_key(&target) {
                    return Err(Failure::invalid("that entry is already retracted"));
                }
                Body::Retract {
                    target,
                    reason: required(&reason, "the reason")?,
                }
            }
            LogKind::Close { text } => {
                if let Some(c) = inc.closed_at {
                    return Err(Failure::invalid(format!(
                        "the incident was already closed at {c}"
                    )));
                }
                Body::IncidentClosed { text: join(&text) }
            }
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
    ) -> Result<Body, Failure> {
        let inc = self.inc;
        let pb = &inc.playbook;
        let def = self.stakeholder(&stakeholder)?;
        if let Some(f) = &fulfils {
            let st = inc
                .stakeholder(&stakeholder)
                .expect("every playbook stakeholder has a state");
            let keys: Vec<&str> = st.deadlines.iter().map(|d| d.key.as_str()).collect();
            match st.deadlines.iter().find(|d| &d.key == f || &d.label == f) {
                None => return Err(unknown(&format!("deadline of {stakeholder}"), f, &keys)),
                Some(d) if d.met_at.is_some() => {
                    return Err(Failure::invalid(format!(
                        "deadline \"{}\" of {stakeholder} was already met",
                        d.label
                    )));
                }
                Some(_) => {}
            }
        }
        let override_reason = override_reason.map(|r| r.trim().to_owned());
        if override_reason.as_deref() == Some("") {
            return Err(Failure::invalid("--override needs a reason"));
        }
        let message_id = match &message {
            Some(m) => {
                let id = self.unsent_message(m)?;
                let msg = inc.message(&id).expect("resolved above");
                if msg.stakeholder != stakeholder {
                    return Err(Failure::invalid(format!(
                        "message {} is addressed to \"{}\", not \"{stakeholder}\"",
                        Event::short_id(&id),
                        msg.stakeholder
                    )));
                }
                match msg.status(pb) {
                    MessageStatus::Draft { blanks } => {
                        return Err(Failure::invalid(format!(
                            "message {} still has blanks to fill: {} — it cannot be sent",
                            Event::short_id(&id),
                            blanks.join(", ")
                        )));
                    }
                    MessageStatus::AwaitingApproval {
                        missing,
                        objections,
                    } if override_reason.is_none() => {
                        let mut why = Vec::new();
                        if !missing.is_empty() {
                            why.push(format!("missing approval by {}", missing.join(", ")));
                        }
                        if !objections.is_empty() {
                            why.push(format!("objection from {}", objections.join(", ")));
                        }
                        return Err(Failure::invalid(format!(
                            "message {} cannot be sent: {} (use --override REASON to send anyway; the reason is recorded)",
                            Event::short_id(&id),
                            why.join("; ")
                        )));
                    }
                    _ => {}
                }
                Some(id)
            }
            None => {
                let Some(t) = &text else {
                    return Err(Failure::invalid(
                        "say what was sent: --message ID of an approved draft, or the text",
                    ));
                };
                let blanks = placeholder::blanks(t);
                if !blanks.is_empty() {
                    return Err(Failure::invalid(
                        "the text still has {{fill:…}} blanks — it cannot be sent",
                    ));
                }
                if !def.approval.is_empty() && override_reason.is_none() {
                    return Err(Failure::invalid(format!(
                        "messages to {stakeholder} need approval by {} first: draft it and have it approved, or use --override REASON",
                        def.approval.join(", ")
                    )));
                }
                None
            }
        };
        Ok(Body::MessageSent {
            stakeholder,
            message: message_id,
            text: if message_id.is_some() { None } else { text },
            channel,
            fulfils,
            override_reason,
        })
    }

    fn stakeholder(&self, id: &str) -> Result<&crate::playbook::Stakeholder, Failure> {
        let pb = &self.inc.playbook;
        pb.stakeholder(id).ok_or_else(|| {
            let ids: Vec<&str> = pb.stakeholders.iter().map(|s| s.id.as_str()).collect();
            unknown("stakeholder", id, &ids)
        })
    }

    fn role(&self, id: &str) -> Result<(), Failure> {
        let pb = &self.inc.playbook;
        if pb.role(id).is_some() {
            return Ok(());
        }
        let ids: Vec<&str> = pb.roles.iter().map(|r| r.id.as_str()).collect();
        Err(unknown("role", id, &ids))
    }

    fn unsent_message(&self, input: &str) -> Result<Uuid, Failure> {
        let all: Vec<(Uuid, String)> = self
            .inc
            .messages
            .iter()
            .map(|m| (m.id, format!("to {}", m.stakeholder)))
            .collect();
        let id = resolve(input, &all, "message")?;
        if let Some(s) = self.inc.message(&id).and_then(|m| m.sent.as_ref()) {
            return Err(Failure::invalid(format!(
                "message {} was already sent at {}",
                Event::short_id(&id),
                s.at
            )));
        }
        Ok(id)
    }

    fn event(&self, input: &str) -> Result<Uuid, Failure> {
        let all: Vec<(Uuid, String)> = self
            .events
            .iter()
            .map(|e| (e.entry.id, e.entry.body.kind().to_owned()))
            .collect();
        resolve(input, &all, "entry")
    }

    fn body_of(&self, id: &Uuid) -> &Body {
        &self
            .events
            .iter()
            .find(|e| &e.entry.id == id)
            .expect("resolved ids exist")
            .entry
            .body
    }
}

fn unknown(what: &str, id: &str, known: &[&str]) -> Failure {
    let hint = did_you_mean(id, known)
        .map(|s| format!(" — did you mean \"{s}\"?"))
        .unwrap_or_default();
    Failure::invalid(format!(
        "no {what} \"{id}\"{hint} (known: {})",
        if known.is_empty() {
            "none".to_owned()
        } else {
            known.join(", ")
        }
    ))
}

/// Resolves a full uuid, or a unique suffix of at least 6 hex digits (screens show the last 8).
pub fn resolve(input: &str, candidates: &[(Uuid, String)], what: &str) -> Result<Uuid, Failure> {
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
            let hint = did_you_mean(&needle, &shorts)
                .map(|s| format!(" — did you mean {s}?"))
                .unwrap_or_default();
            let listed: Vec<String> = candidates
                .iter()
                .rev()
                .take(8)
                .map(|(id, d)| format!("{} ({d})", Event::short_id(id)))
                .collect();
            Err(Failure::invalid(format!(
                "no {what} with id \"{input}\"{hint}{}",
                if listed.is_empty() {
                    String::new()
                } else {
                    format!("\nrecent: {}", listed.join(", "))
                }
            )))
        }
        _ => Err(Failure::invalid(format!(
            "\"{input}\" matches {} {what}s: give more digits",
            matches.len()
        ))),
    }
}

/// Fills a template for a stakeholder from the incident; absent values stay as blanks.
pub fn fill_template(inc: &Incident, body: &str, stakeholder: &str, now: Timestamp) -> String {
    let pb = &inc.playbook;
    let tz = inc.calendar.time_zone().clone();
    let local = |t: Timestamp| {
        t.to_zoned_datetime(tz.clone())
            .strftime("%-d %B %Y, %H:%M %Z")
            .to_string()
    };
    // A message written now promises the next update one cadence after it.
    let next_update = pb
        .stakeholder(stakeholder)
        .and_then(|def| {
            def.update_every
                .or_else(|| pb.severity(&inc.severity).and_then(|s| s.update_every))
        })
        .map(|cadence| inc.calendar.add(now, &cadence));
    placeholder::fill(body, |p| match p {
        Placeholder::OrgName => pb.org.name.clone(),
        Placeholder::OrgDarkSite => pb.org.dark_site.clone(),
        Placeholder::OrgHotline => pb.org.hotline.clone(),
        Placeholder::IncidentTitle => Some(inc.title.clone()),
        Placeholder::IncidentSeverity => Some(
            pb.severity(&inc.severity)
                .map_or(inc.severity.clone(), |s| s.name.clone()),
        ),
        Placeholder::DetectedAt => Some(local(inc.detected_at)),
        Placeholder::Now => Some(local(now)),
        Placeholder::NextUpdate => next_update.map(local),
        Placeholder::Role(r) => pb
            .role(r)
            .map(|role| role.holder.clone().unwrap_or_else(|| role.title.clone())),
        Placeholder::Fill(_) => None,
    })
}

/// Replaces every `{{fill:NAME}}` blank with `value`.
fn fill_blank(text: &str, name: &str, value: &str) -> Result<String, Failure> {
    let blanks = placeholder::blanks(text);
    if !blanks.iter().any(|(n, _)| n == name) {
        let names: Vec<&str> = blanks.iter().map(|(n, _)| n.as_str()).collect();
        return Err(unknown("blank", name, &names));
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (n, range) in blanks {
        if n == name {
            out.push_str(&text[last..range.start]);
            out.push_str(value);
            last = range.end;
        }
    }
    out.push_str(&text[last..]);
    Ok(out)
}
