//! `crisisdesk verify DIR [--json]`: every finding about an incident's journal, by file, line
//! and kind, with what it means. Exit 0 when nothing is damaged (an incomplete last record, a
//! crash or a write in progress, is listed but is not damage), 3 when something is.
//!
//! [`verify`] gathers the findings and [`run`] prints them; a report that states the result
//! (`verify --report`) builds on [`Verification`].

use std::io::Write as _;
use std::path::Path;

use serde::Serialize;

use super::{EXIT_DAMAGED, Failure, output_failed};
use crate::incident::event::Event;
use crate::incident::tie;
use crate::journal::{Finding, Integrity, read_journal};

/// What `crisisdesk verify` found.
#[derive(Clone, Debug, Serialize)]
pub struct Verification {
    /// `ok`, `torn-tail` (only incomplete last records) or `corrupt`.
    pub integrity: Integrity,
    /// Journal files read (conflict copies included).
    pub files: usize,
    /// Verified records read, duplicates included.
    pub records: u64,
    /// Distinct entries of this incident.
    pub entries: u64,
    /// Every finding, file by file and line by line.
    pub findings: Vec<Finding>,
}

impl Verification {
    /// Whether anything is damaged (more than incomplete last records).
    pub fn damaged(&self) -> bool {
        self.integrity == Integrity::Corrupt
    }
}

/// Reads and checks every journal file of the incident at `path`. Modifies nothing.
pub fn verify(path: &Path) -> Result<Verification, Failure> {
    let journal_dir = path.join("journal");
    if !journal_dir.is_dir() {
        return Err(Failure::invalid(format!(
            "{} is not an incident folder (it has no journal/ folder)",
            path.display()
        )));
    }
    let mut journal = read_journal::<Event>(&journal_dir).map_err(Failure::runtime)?;
    let foreign = match tie::identity(&journal.entries, crate::store::incident_id(path)) {
        Some(id) => tie::separate(&mut journal.entries, id),
        None => Vec::new(),
    };
    let report = &journal.report;
    let mut findings = report.findings();
    findings.extend(crate::store::foreign_findings(&journal_dir, &foreign));
    let integrity = if foreign.is_empty() {
        report.integrity
    } else {
        Integrity::Corrupt
    };
    Ok(Verification {
        integrity,
        files: report.files.len(),
        records: report.records,
        entries: journal.entries.len() as u64,
        findings,
    })
}

/// `crisisdesk verify`.
pub fn run(path: &Path, json: bool) -> Result<(), Failure> {
    let v = verify(path)?;
    let mut out = std::io::stdout().lock();
    if json {
        let text = crate::sanitize::json(&v, true).map_err(Failure::runtime)?;
        writeln!(out, "{text}").map_err(output_failed)?;
    } else {
        for f in &v.findings {
            let place = match f.line {
                Some(line) => format!("journal/{}:{line}", crate::sanitize::line(&f.file)),
                None => format!("journal/{}", crate::sanitize::line(&f.file)),
            };
            writeln!(
                out,
                "{place}: {} — {}",
                f.kind,
                crate::sanitize::line(&f.meaning)
            )
            .map_err(output_failed)?;
        }
        if !v.damaged() {
            let torn = v.findings.len();
            let note = if torn > 0 {
                format!("; {torn} incomplete last record(s): a crash or a write in progress")
            } else {
                ", every record verified".to_owned()
            };
            writeln!(
                out,
                "ok {} — {} entries in {} file(s){note}",
                path.display(),
                v.entries,
                v.files
            )
            .map_err(output_failed)?;
        }
    }
    out.flush().map_err(output_failed)?;
    if v.damaged() {
        let damaged = v.findings.iter().filter(|f| f.damage).count();
        return Err(Failure {
            code: EXIT_DAMAGED,
            message: format!(
                "the journal of {} is damaged: {damaged} finding(s); what each means: docs/journal-format.md",
                path.display()
            ),
        });
    }
    Ok(())
}
