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
use crate::journal::{Finding, Integrity, chain_sum_at, read_journal};
use crate::report::verify::{HeadFinding, compare, heads_from_report};

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
    /// With `--report`: each journal file compared with the chain head the report recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<Vec<HeadFinding>>,
}

impl Verification {
    /// Whether anything is damaged (more than incomplete last records).
    pub fn damaged(&self) -> bool {
        self.integrity == Integrity::Corrupt
    }

    /// With `--report`: the report was not made from the record as it is (a file changed or
    /// is missing).
    pub fn report_mismatch(&self) -> bool {
        self.report
            .as_ref()
            .is_some_and(|r| r.iter().any(HeadFinding::is_mismatch))
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
        report: None,
    })
}

/// Compares the chain heads a report recorded with the folder's journal files.
pub fn check_report(path: &Path, report_file: &Path) -> Result<Vec<HeadFinding>, Failure> {
    let text = std::fs::read_to_string(report_file).map_err(|e| {
        Failure::invalid(format!(
            "cannot read the report {}: {e}",
            report_file.display()
        ))
    })?;
    let recorded = heads_from_report(&text)
        .map_err(|e| Failure::invalid(format!("{}: {e}", report_file.display())))?;
    let journal_dir = path.join("journal");
    let journal = read_journal::<Event>(&journal_dir).map_err(Failure::runtime)?;
    let current = crate::report::verify::chain_heads(&journal.report);
    let sum_at = |file: &str, seq: u64| {
        // Only a plain file name of this folder: the report's text is not trusted as a path.
        if file.contains(['/', '\\']) || file.starts_with('.') {
            return None;
        }
        chain_sum_at(&std::fs::read(journal_dir.join(file)).ok()?, seq)
    };
    Ok(compare(&recorded, &current, sum_at))
}

/// `crisisdesk verify`.
pub fn run(path: &Path, json: bool, report_file: Option<&Path>) -> Result<(), Failure> {
    let mut v = verify(path)?;
    if let Some(file) = report_file {
        v.report = Some(check_report(path, file)?);
    }
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
        if let (Some(heads), Some(file)) = (&v.report, report_file) {
            for h in heads {
                writeln!(
                    out,
                    "journal/{}: {} since the report — {}",
                    crate::sanitize::line(&h.file),
                    serde_json::to_value(h.state)
                        .ok()
                        .and_then(|s| s.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    crate::sanitize::line(&h.detail)
                )
                .map_err(output_failed)?;
            }
            if !v.report_mismatch() {
                writeln!(
                    out,
                    "ok {}: made from this record",
                    crate::sanitize::line(&file.display().to_string())
                )
                .map_err(output_failed)?;
            }
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
    if v.report_mismatch() {
        let changed: Vec<&str> = v
            .report
            .iter()
            .flatten()
            .filter(|h| h.is_mismatch())
            .map(|h| h.file.as_str())
            .collect();
        return Err(Failure {
            code: EXIT_DAMAGED,
            message: format!(
                "the report was not made from the record as it is now: {} changed or missing",
                changed.join(", ")
            ),
        });
    }
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
