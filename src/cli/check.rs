//! `crisisdesk check INCIDENT [--message ID] [--json]`: what did we tell whom — conflicting
//! figures, unconfirmed figures stated, stale audiences, key messages not yet given.
//!
//! Exit status: 0 when nothing warns, 3 when a finding that is not acknowledged remains
//! (acknowledged findings are listed but do not count), 1 and 2 as everywhere else.

use std::path::Path;
use std::process::ExitCode;

use uuid::Uuid;

use super::Failure;
use super::incident::load;
use crate::check::{Finding, Kind, Record};
use crate::incident::Event;
use crate::sanitize;
use crate::store::default_author;

/// Exit status when findings remain that nobody acknowledged.
pub const EXIT_FINDINGS: u8 = 3;

/// What `--json` prints: the shape documented in docs/check-json.md.
#[derive(serde::Serialize)]
struct Report<'a> {
    findings: &'a [Finding],
}

/// `crisisdesk check`.
pub fn run(path: &Path, message: Option<&str>, json: bool) -> Result<ExitCode, Failure> {
    let (_, snap) = load(path, &default_author())?;
    let inc = &snap.incident;
    let record = Record::new(inc, &snap.events);
    let mut findings = record.findings();
    if let Some(m) = message {
        let all: Vec<(Uuid, String)> = inc
            .messages
            .iter()
            .map(|m| (m.id, format!("to {}", m.stakeholder)))
            .collect();
        let id = crate::incident::command::resolve(m, &all, "message")
            .map_err(|r| Failure::invalid(r.to_string()))?;
        findings.retain(|f| f.messages.contains(&id));
    }
    if json {
        let text = crate::sanitize::json(
            &Report {
                findings: &findings,
            },
            true,
        )
        .map_err(Failure::runtime)?;
        super::emit(&format!("{text}\n"))?;
    } else {
        super::emit(&summary(&findings))?;
    }
    Ok(if findings.iter().any(Finding::is_open) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

/// The findings as text for a terminal: open ones first, then the acknowledged.
pub fn summary(findings: &[Finding]) -> String {
    let open = findings.iter().filter(|f| f.is_open()).count();
    let acked = findings.len() - open;
    let mut s = String::new();
    if findings.is_empty() {
        s.push_str(
            "No findings: every audience heard the same figures, and they match the facts log.\n",
        );
        return s;
    }
    s.push_str(&format!(
        "{open} finding{} to look at{}\n",
        if open == 1 { "" } else { "s" },
        if acked > 0 {
            format!(", {acked} acknowledged")
        } else {
            String::new()
        }
    ));
    // Figures first, then the key messages not yet given (one line each), then what was
    // acknowledged.
    let key = |f: &&Finding| f.kind == Kind::KeyMessage;
    for f in findings.iter().filter(|f| f.is_open() && !key(f)) {
        s.push('\n');
        s.push_str(&finding_block(f));
    }
    let keys: Vec<&Finding> = findings.iter().filter(|f| f.is_open() && key(f)).collect();
    if !keys.is_empty() {
        s.push_str(&format!("\nkey messages not yet given ({}):\n", keys.len()));
        for f in keys {
            let words = f.quotes.first().map_or("", |q| q.words.as_str());
            s.push_str(&format!(
                "  {}  {}\n",
                f.id,
                sanitize::fit(&sanitize::line(words), 90)
            ));
        }
    }
    for f in findings.iter().filter(|f| !f.is_open()) {
        s.push('\n');
        s.push_str(&finding_block(f));
    }
    if open > 0 {
        s.push_str("\nTo accept one: crisisdesk log DIR acknowledge ID \"why it is all right\"\n");
    }
    s
}

/// One finding: kind, id and subject; its sentence; the ids involved; the acknowledgment.
fn finding_block(f: &Finding) -> String {
    let mut s = String::new();
    let subject = f
        .subject
        .as_deref()
        .map(|x| format!(" — {}", sanitize::line(x)))
        .unwrap_or_default();
    let state = if f.is_open() { "" } else { " (acknowledged)" };
    s.push_str(&format!("{} {}{subject}{state}\n", f.kind.as_str(), f.id));
    s.push_str(&format!("  {}\n", sanitize::line(&f.text)));
    let mut refs = Vec::new();
    if !f.audiences.is_empty() {
        refs.push(format!(
            "audiences: {}",
            sanitize::line(&f.audiences.join(", "))
        ));
    }
    if !f.messages.is_empty() {
        let ids: Vec<String> = f.messages.iter().map(Event::short_id).collect();
        refs.push(format!("messages: {}", ids.join(", ")));
    }
    if !f.facts.is_empty() {
        let ids: Vec<String> = f.facts.iter().map(Event::short_id).collect();
        refs.push(format!("facts: {}", ids.join(", ")));
    }
    if !refs.is_empty() {
        s.push_str(&format!("  {}\n", refs.join(" · ")));
    }
    if let Some(a) = &f.acknowledged {
        s.push_str(&format!(
            "  acknowledged by {} at {}: {}\n",
            sanitize::line(&a.by),
            a.at,
            sanitize::line(&a.reason)
        ));
    }
    s
}
