//! `crisisdesk log INCIDENT KIND …`: append one entry, headless. The words are
//! [`crate::command_line`]'s, the rules the command layer's (the console enforces the same).

use std::path::Path;

use sha2::{Digest as _, Sha256};
use uuid::Uuid;

use super::Failure;
use crate::clock::Clock;
use crate::command_line::LogKind;
use crate::incident::command::{Command, Context, Refusal, check_plain};
use crate::incident::time::parse_time;
use crate::journal::JournalError;
use crate::playbook::calendar::Calendar;
use crate::store::{IncidentDir, StoreError};

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
    let now = clock.now();
    let mut dir = IncidentDir::open(path, &author)
        .map_err(|e| Failure::invalid(e.to_string()))?
        .continuing_person_file();
    if let Some(id) = record_plain(&mut dir, &kind, at, key, now)? {
        return emitted(id);
    }
    let snap = dir.load().map_err(Failure::runtime)?;
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
        .map_err(append_failure)?;
    emitted(event.id)
}

/// Records a command that needs no state ([`Command::needs_state`]) without reading the
/// incident's entries: only `incident.json` (is it an exercise, whose time is the scenario
/// clock's?) and one byte search of the journal files (is there an `incident_closed` entry,
/// or, with `--key`, the entry a first call recorded?). Gives the id recorded, or `None`
/// when the command needs the folded incident after all (the caller then folds and checks
/// it there, with the same rules).
fn record_plain(
    dir: &mut IncidentDir,
    kind: &LogKind,
    at: Option<&str>,
    key: Option<&str>,
    now: jiff::Timestamp,
) -> Result<Option<Uuid>, Failure> {
    let Some(meta) = crate::store::incident_file(dir.path()) else {
        return Ok(None);
    };
    if meta.exercise {
        return Ok(None);
    }
    // Only RFC 3339 here: a local time is read in the playbook's zone, which the journal holds.
    let at = match at {
        None => None,
        Some(t) if t.trim().parse::<jiff::Timestamp>().is_ok() => Some(
            parse_time(t, &Calendar::utc()).map_err(|e| Failure::invalid(format!("--at: {e}")))?,
        ),
        Some(_) => return Ok(None),
    };
    // The words of the kinds that need no state never use the calendar.
    let command = match kind.clone().into_command(&Calendar::utc()) {
        Ok(c) if !c.needs_state() => c,
        _ => return Ok(None),
    };
    let id = key.map(|k| key_id(meta.id, k));
    let id_text = id.map(|id| format!("\"{id}\""));
    let mut needles: Vec<&[u8]> = vec![b"\"incident_closed\""];
    needles.extend(id_text.as_deref().map(str::as_bytes));
    match crate::journal::mentions(&dir.journal_dir(), &needles) {
        Ok(false) => {}
        // Closed, a retry, or a file that cannot be read: the full path decides and says why.
        Ok(true) | Err(_) => return Ok(None),
    }
    let Some(checked) = check_plain(command, at, now, None) else {
        return Ok(None);
    };
    let accepted = checked.map_err(refused)?;
    let event = dir
        .append_with(
            id.unwrap_or_else(Uuid::now_v7),
            accepted.at,
            now,
            accepted.body,
        )
        .map_err(append_failure)?;
    Ok(Some(event.id))
}

fn append_failure(e: StoreError) -> Failure {
    match e {
        StoreError::Journal(JournalError::TooLarge { bytes, max }) => Failure::invalid(format!(
            "the entry is too large: {bytes} bytes once recorded, and a journal record is at most {max} bytes (4 MiB); nothing was recorded"
        )),
        e => Failure::runtime(e),
    }
}

/// Prints the id of the entry recorded.
fn emitted(id: Uuid) -> Result<(), Failure> {
    super::emit(&format!("{id}\n")).map_err(|f| {
        Failure::runtime(format!(
            "the entry was recorded as {id}, but {} (retry with the same --key to get its id without recording it twice)",
            f.message
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
