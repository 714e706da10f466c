//! `crisisdesk tail INCIDENT [--json]`: the merged timeline, then every new entry as it
//! arrives from any console, one per line, until interrupted — for chat bridges and scripts.

use std::io::Write;
use std::path::Path;
use std::sync::mpsc;

use super::Failure;
use crate::incident::describe::{describe, kind_label};
use crate::incident::event::Event;
use crate::incident::state::{Incident, fold};
use crate::journal::{JournalTail, Stored};
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
    let mut incident = fold(&events).map_err(Failure::runtime)?;
    let mut out = std::io::stdout().lock();
    for s in &events {
        if !print(&mut out, s, &incident, json) {
            return Ok(());
        }
    }
    let _ = out.flush();
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
        if fresh.is_empty() {
            continue;
        }
        fresh.sort_by(|a, b| (a.entry.at, &a.console, a.seq).cmp(&(b.entry.at, &b.console, b.seq)));
        // Names and zones come from the playbook in force, which an entry may change.
        events.extend(fresh.iter().cloned());
        if let Ok(i) = fold(&events) {
            incident = i;
        }
        for s in &fresh {
            if !print(&mut out, s, &incident, json) {
                return Ok(());
            }
        }
        if out.flush().is_err() {
            return Ok(());
        }
    }
}

/// Prints one entry; false when stdout is gone (the reader quit), which ends the tail.
fn print(out: &mut impl Write, s: &Stored<Event>, inc: &Incident, json: bool) -> bool {
    let e = &s.entry;
    let r = if json {
        match serde_json::to_string(e) {
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
        writeln!(
            out,
            "{time}  {:<10} {:<20} {}{retracted}  [{}]",
            kind_label(&e.body),
            crate::sanitize::line(&e.author),
            describe(inc, &e.body),
            Event::short_id(&e.id)
        )
    };
    r.is_ok()
}
