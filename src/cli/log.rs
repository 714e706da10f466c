//! `crisisdesk log INCIDENT KIND …`: append one entry, headless. The words are
//! [`crate::command_line`]'s, the rules the command layer's (the console enforces the same).

use std::path::Path;

use sha2::{Digest as _, Sha256};
use uuid::Uuid;

use super::Failure;
use super::incident::load;
use crate::clock::Clock;
use crate::command_line::LogKind;
use crate::incident::command::{Command, Context, Refusal};
use crate::incident::time::parse_time;
use crate::journal::JournalError;
use crate::store::StoreError;

/// `crisisdesk log`. With `key`, the entry's id is derived from the incident and the key, so
/// a retried call (its answer lost) finds the entry the first one recorded and prints its id
/// instead of recording it again.
pub fn run(
    path: &Path,
    kind: LogKind,
    at: Option<&str>,
    author: Option<&str>,
    key: Option<&str>,
    clock: &dyn Clock,
) -> Result<(), Failure> {
    let author = author.map_or_else(crate::store::default_author, str::to_owned);
    let (mut dir, snap) = load(path, &author)?;
    let now = clock.now();
    let inc = &snap.incident;
    let at = at
        .map(|t| parse_time(t, &inc.calendar))
        .transpose()
        .map_err(|e| Failure::invalid(format!("--at: {e}")))?;
    let command = kind.into_command(&inc.calendar).map_err(Failure::invalid)?;
    let id = match key {
        None => Uuid::now_v7(),
        Some(key) => {
            let id = key_id(inc.id, key);
            if let Some(first) = snap.events.iter().find(|e| e.entry.id == id) {
                // A retry: the first call recorded it (the state may have moved on since, so
                // it is not checked again).
                let kind = first.entry.body.kind();
                if body_kinds(&command).is_some_and(|kinds| !kinds.contains(&kind)) {
                    return Err(Failure::invalid(format!(
                        "--key \"{}\" was already used for a {kind} entry ({id}); a key names one entry",
                        crate::sanitize::line(key)
                    )));
                }
                return super::emit(&format!("{id}\n"));
            }
            id
        }
    };
    let accepted = Context::new(inc, &snap.events, now)
        .check(command, at)
        .map_err(refused)?;
    let event = dir
        .append_with(id, accepted.at, now, accepted.body)
        .map_err(|e| match e {
            StoreError::Journal(JournalError::TooLarge { bytes, max }) => Failure::invalid(format!(
                "the entry is too large: {bytes} bytes once recorded, and a journal record is at most {max} bytes (4 MiB); nothing was recorded"
            )),
            e => Failure::runtime(e),
        })?;
    super::emit(&format!("{}\n", event.id)).map_err(|f| {
        Failure::runtime(format!(
            "the entry was recorded as {}, but {} (retry with the same --key to get its id without recording it twice)",
            event.id, f.message
        ))
    })
}

/// The id of the entry `crisisdesk log --key KEY` records in incident `incident`.
pub fn key_id(incident: Uuid, key: &str) -> Uuid {
    let mut h = Sha256::new();
    h.update(b"crisisdesk log --key\0");
    h.update(incident.as_bytes());
    h.update(key.as_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    Uuid::new_v8(b)
}

/// The entry kinds a command records (`None`: not known here, any counts).
fn body_kinds(c: &Command) -> Option<&'static [&'static str]> {
    Some(match c {
        Command::Note { .. } => &["note"],
        Command::Decision { .. } => &["decision"],
        Command::Fact { .. } => &["fact"],
        Command::Milestone { .. } => &["milestone_marked"],
        Command::Severity { .. } => &["severity_changed"],
        Command::Draft { .. } => &["message_drafted"],
        Command::Edit { .. } => &["message_edited"],
        Command::Approve { .. } => &["message_approved"],
        Command::Object { .. } => &["message_objected"],
        Command::Sent { .. } => &["message_sent"],
        Command::Inquiry { .. } => &["media_inquiry"],
        Command::Request { .. } => &["stakeholder_request"],
        Command::Mention { .. } => &["media_mention"],
        Command::Answer { .. } => &["inquiry_answered"],
        Command::Action { .. } => &["action_added"],
        Command::Done { .. } => &["checklist_done", "action_done"],
        Command::Lesson { .. } => &["lesson"],
        Command::Amend { .. } => &["amend"],
        Command::Retract { .. } => &["retract"],
        Command::Close { .. } => &["incident_closed"],
        _ => return None,
    })
}

/// A refusal in the command line's words: the remedy for missing approvals is a flag here.
pub fn refused(r: Refusal) -> Failure {
    if r.can_override() {
        Failure::invalid(format!(
            "{r} (use --override REASON to send anyway; the reason is recorded)"
        ))
    } else {
        Failure::invalid(r.to_string())
    }
}
