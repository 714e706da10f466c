//! `crisisdesk tail INCIDENT [--json]`: the merged timeline, then every new entry as it
//! arrives from any console, one per line, until interrupted — for chat bridges and scripts.

use std::io::Write;
use std::path::Path;
use std::sync::mpsc;

use super::{Failure, output_failed};
use crate::incident::describe::{describe, kind_label};
use crate::incident::event::Event;
use crate::incident::state::{Incident, fold};
use crate::incident::tie;
use crate::journal::{Finding, JournalReport, JournalTail, Stored};
use crate::watch::{Folder, POLL_INTERVAL, Watch};

/// Follows an incident's journal.
pub fn run(path: &Path, json: bool, poll_only: bool) -> Result<(), Failure> {
    let journal_dir = path.join("journal");
    if !journal_dir.is_dir() {
        return Err(Failure::invalid(format!(
            "{} is not an incident folder (it has no journal/ folder)",
            path.display()
        )));
    }
    let (mut tail, journal) = JournalTail::<Event>::open(&journal_dir).map_err(Failure::runtime)?;
    let mut events = journal.entries;
    let id = tie::identity(&events, crate::store::incident_id(path));
    let mut foreign = match id {
        Some(id) => tie::separate(&mut events, id),
        None => Vec::new(),
    };
    let mut incident = fold(&events).map_err(Failure::runtime)?;
    let mut out = std::io::stdout().lock();
    let mut warned = 0;
    warn_damage(&mut out, path, &journal.report, &foreign, json, &mut warned)?;
    for s in &events {
        print(&mut out, s, &incident, json)?;
    }
    out.flush().map_err(output_failed)?;
    let (tx, rx) = mpsc::channel();
    let tx = std::sync::Mutex::new(tx);
    let _watch = Watch::start(vec![(Folder::Journal, journal_dir)], poll_only, move |_| {
        let _ = tx.lock().map(|t| t.send(()));
    });
    loop {
        // Poll on every notice, and at least every poll interval in case one was missed.
        let _ = rx.recv_timeout(POLL_INTERVAL);
        while rx.try_recv().is_ok() {}
        let mut fresh = tail.poll().entries;
        if let Some(id) = id {
            foreign.extend(tie::separate(&mut fresh, id));
        }
        warn_damage(&mut out, path, &tail.report(), &foreign, json, &mut warned)?;
        if fresh.is_empty() {
            out.flush().map_err(output_failed)?;
            continue;
        }
        fresh.sort_by(|a, b| (a.entry.at, &a.console, a.seq).cmp(&(b.entry.at, &b.console, b.seq)));
        // Names and zones come from the playbook in force, which an entry may change.
        events.extend(fresh.iter().cloned());
        if let Ok(i) = fold(&events) {
            incident = i;
        }
        for s in &fresh {
            print(&mut out, s, &incident, json)?;
        }
        out.flush().map_err(output_failed)?;
    }
}

/// Says so when the journal shown is damaged, once per new damage finding: on standard output
/// among the entries, or on standard error with `--json` (the stream stays one entry per line).
fn warn_damage(
    out: &mut impl Write,
    path: &Path,
    report: &JournalReport,
    foreign: &[tie::Foreign],
    json: bool,
    warned: &mut usize,
) -> Result<(), Failure> {
    let mut damage: Vec<Finding> = report.findings().into_iter().filter(|f| f.damage).collect();
    if damage.len() + foreign.len() <= *warned {
        return Ok(());
    }
    damage.extend(crate::store::foreign_findings(
        &path.join("journal"),
        foreign,
    ));
    let first = &damage[0];
    let line = format!(
        "! journal DAMAGED: {} finding(s), first journal/{}{}: {} — run `crisisdesk verify {}` for the list",
        damage.len(),
        crate::sanitize::line(&first.file),
        first.line.map(|l| format!(":{l}")).unwrap_or_default(),
        first.kind,
        path.display()
    );
    *warned = damage.len();
    if json {
        let _ = writeln!(std::io::stderr(), "{line}");
        Ok(())
    } else {
        writeln!(out, "{line}").map_err(output_failed)
    }
}

/// Prints one entry; an output that is gone (the reader quit) or full ends the tail.
fn print(
    out: &mut impl Write,
    s: &Stored<Event>,
    inc: &Incident,
    json: bool,
) -> Result<(), Failure> {
    let e = &s.entry;
    let r = if json {
        match crate::sanitize::json(e, false) {
            Ok(line) => writeln!(out, "{line}"),
            Err(_) => Ok(()),
        }
    } else {
        let time =
            e.at.to_zoned_datetime(inc.calendar.time_zone().clone())
                .strftime("%Y-%m-%d %H:%M:%S %Z");
        let retracted = if inc.retracted.contains_key(&e.id) {
            " [retracted]"
        } else {
            ""
        };
        // An exercise's lines say so, so none can be taken for a real incident's.
        let drill = if inc.exercise { "EXERCISE " } else { "" };
        writeln!(
            out,
            "{drill}{time}  {:<10} {:<20} {}{retracted}  [{}]",
            kind_label(&e.body),
            crate::sanitize::line(&e.author),
            describe(inc, &e.body),
            Event::short_id(&e.id)
        )
    };
    r.map_err(output_failed)
}
