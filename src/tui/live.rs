//! The open incident as the console's worker keeps it: entries read so far, the folded
//! state, and what the screens show beside it (the journal's health, the check),
//! all brought up to date with only the entries that arrived.
//!
//! Folding a million entries again takes most of a second; another console's entry must be
//! on screen well within that. So new entries are applied to the state as it stands
//! ([`LiveFold`], which folds the whole journal again only when it must: an entry dated before
//! ones already applied, a correction of a time…), and the consoles are counted for the new
//! entries alone.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use super::model::{Entries, Loaded};
use crate::incident::event::Event;
use crate::incident::state::{Extended, Incident, LiveFold};
use crate::incident::status::JournalHealth;
use crate::journal::{Finding, JournalReport, Stored};

/// An open incident's state, kept ready to take more entries.
pub struct LiveState {
    path: PathBuf,
    events: Entries,
    /// `None` while the entries do not fold into an incident (tried again as more arrive).
    fold: Option<LiveFold>,
    /// Console ids seen (for the journal's health).
    consoles: HashSet<crate::journal::Name>,
    /// How many entries `consoles` has counted.
    counted: usize,
    /// Figures read out of message texts before: a new entry reads only what is new.
    check_cache: crate::check::Cache,
}

impl std::fmt::Debug for LiveState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveState")
            .field("path", &self.path)
            .field("fold", &self.fold)
            .field("counted", &self.counted)
            .finish_non_exhaustive()
    }
}

impl LiveState {
    /// The incident at `path` with the entries read so far (nothing folded until asked).
    pub fn new(path: PathBuf, events: Vec<Stored<Event>>) -> LiveState {
        LiveState {
            path,
            events: Entries::new(events),
            fold: None,
            consoles: HashSet::new(),
            counted: 0,
            check_cache: crate::check::Cache::default(),
        }
    }

    /// The entries, shared with the screens.
    pub fn events(&self) -> &Entries {
        &self.events
    }

    /// Adds entries read since (in any order: the fold puts them in theirs).
    pub fn append(&self, fresh: Vec<Stored<Event>>) {
        self.events.append(fresh);
    }

    /// The incident with every entry read so far folded in; `None` when the entries do not
    /// fold into one. Folds only what arrived since the last call.
    pub fn incident(&mut self) -> Option<&Incident> {
        self.extend()?;
        self.fold.as_ref().map(LiveFold::incident)
    }

    /// Calls `f` with the incident (every entry read so far folded in) and the entries;
    /// `None` when they do not fold into an incident.
    pub fn with<R>(&mut self, f: impl FnOnce(&Incident, &[Stored<Event>]) -> R) -> Option<R> {
        self.extend()?;
        let fold = self.fold.as_ref()?;
        let events = self.events.read();
        Some(f(fold.incident(), &events))
    }

    /// Folds in what arrived since the last call: [`Extended::Nothing`] when nothing did,
    /// `None` when the entries do not fold into an incident.
    pub fn extend(&mut self) -> Option<Extended> {
        let events = self.events.read();
        let extended = if let Some(fold) = &mut self.fold {
            fold.extend(&events).ok()
        } else {
            match LiveFold::new(&events) {
                Ok(fold) => {
                    self.fold = Some(fold);
                    Some(Extended::Refolded)
                }
                Err(_) => None,
            }
        };
        drop(events);
        if extended.is_none() {
            self.fold = None;
        }
        extended
    }

    /// Everything the screens show, as of the entries read so far; `None` when they do not
    /// fold into an incident. `console` is this console's id, `report` the journal reader's,
    /// `foreign` the findings about entries set aside as another incident's.
    pub fn loaded(
        &mut self,
        console: String,
        report: &JournalReport,
        foreign: &[Finding],
    ) -> Option<Loaded> {
        self.extend()?;
        self.count_consoles();
        let fold = self.fold.as_ref()?;
        let incident = Arc::new(fold.incident().clone());
        let events = self.events.read();
        let check = crate::check::Checked::build(&incident, &events, &mut self.check_cache);
        drop(events);
        let mut health = JournalHealth::new(&[], report).with_foreign(foreign.to_vec());
        health.consoles = self.consoles.len();
        Some(Loaded {
            path: self.path.clone(),
            console,
            events: self.events.clone(),
            incident,
            health,
            check,
        })
    }

    /// Counts the consoles of the entries not counted yet.
    fn count_consoles(&mut self) {
        let events = self.events.read();
        for s in &events[self.counted..] {
            if !self.consoles.contains(&s.console) {
                self.consoles.insert(s.console.clone());
            }
        }
        self.counted = events.len();
    }
}
