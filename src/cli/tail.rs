//! `crisisdesk tail INCIDENT [--json]`: the merged timeline, then every new entry as it
//! arrives from any console, one per line, until interrupted — for chat bridges and scripts.

use std::io::Write;
use std::path::Path;
use std::sync::mpsc;

use super::{Failure, output_failed};
use crate::incident::describe::{describe, kind_label};
use crate::incident::event::Event;
use crate::incident::state::{Incident, LiveFold};
use crate::incident::tie;
use crate::journal::{Finding, JournalReport, JournalTail, Stored};
use crate::watch::{Changed, Folder, POLL_INTERVAL, Watch};

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
    let mut live = LiveFold::new(&events).map_err(Failure::runtime)?;
    let mut out = std::io::stdout().lock();
    let mut warned = 0;
    warn_damage(&mut out, path, &journal.report, &foreign, json, &mut warned)?;
    for s in &events {
        print(&mut out, s, live.incident(), json)?;
    }
    out.flush().map_err(output_failed)?;
    let (tx, rx) = mpsc::channel::<Changed>();
    let tx = std::sync::Mutex::new(tx);
    let _watch = Watch::start(vec![(Folder::Journal, journal_dir)], poll_only, move |n| {
        let _ = tx.lock().map(|t| t.send(n.changed));
    });
    // Files that could not be read are tried again after a poll interval.
    let mut retry = false;
    loop {
        // Nothing happens between notices: an idle follower costs nothing, however many
        // files the journal has.
        let first = if retry {
            match rx.recv_timeout(POLL_INTERVAL) {
                Ok(changed) => changed,
                Err(mpsc::RecvTimeoutError::Timeout) => Changed::Everything,
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        } else {
            match rx.recv() {
                Ok(changed) => changed,
                Err(_) => return Ok(()),
            }
        };
        // Notices queued meanwhile go into the same read.
        let changed = rx.try_iter().fold(first, merge_changes);
        let polled = match &changed {
            Changed::Files(paths) => tail.poll_files(paths),
            Changed::Everything => tail.poll(),
        };
        retry = !polled.errors.is_empty();
        let mut fresh = polled.entries;
        let separated = match id {
            Some(id) => tie::separate(&mut fresh, id),
            None => Vec::new(),
        };
        if polled.findings_changed || !separated.is_empty() {
            foreign.extend(separated);
            warn_damage(&mut out, path, &tail.report(), &foreign, json, &mut warned)?;
        }
        if fresh.is_empty() {
            out.flush().map_err(output_failed)?;
            continue;
        }
        // In the order they happened (the poll merges them so), after what was shown.
        let first_new = events.len();
        events.extend(fresh);
        // Names and zones come from the playbook in force, which an entry may change. New
        // entries are folded into the state as it stands; a full fold only when they must.
        let _ = live.extend(&events);
        for s in &events[first_new..] {
            print(&mut out, s, live.incident(), json)?;
        }
        out.flush().map_err(output_failed)?;
    }
}

/// Two notices as one: the files of both, or everything.
fn merge_changes(a: Changed, b: Changed) -> Changed {
    match (a, b) {
        (Changed::Files(mut a), Changed::Files(b)) => {
            a.extend(b);
            a.sort();
            a.dedup();
            Changed::Files(a)
        }
        _ => Changed::Everything,
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
