//! `crisisdesk log INCIDENT KIND …`: append one entry, headless. The words are
//! [`crate::command_line`]'s, the rules the command layer's (the console enforces the same).

use std::path::Path;

use uuid::Uuid;

use super::Failure;
use super::incident::load;
use crate::clock::Clock;
use crate::command_line::LogKind;
use crate::incident::command::{Context, Refusal};
use crate::incident::time::parse_time;

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
    let at = at
        .map(|t| parse_time(t, &inc.calendar))
        .transpose()
        .map_err(|e| Failure::invalid(format!("--at: {e}")))?;
    let command = kind.into_command(&inc.calendar).map_err(Failure::invalid)?;
    let accepted = Context::new(inc, &snap.events, now)
        .check(command, at)
        .map_err(refused)?;
    let event = dir
        .append_with(Uuid::now_v7(), accepted.at, now, accepted.body)
        .map_err(Failure::runtime)?;
    println!("{}", event.id);
    Ok(())
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
