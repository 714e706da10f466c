//! "What did we tell whom": the figures each audience has heard, and the contradictions
//! between them, before they are sent.
//!
//! Pure: no terminal, no files. [`extract`] reads the figures stated in one text; the rest
//! of the module compares them across messages, audiences and the facts log.

pub mod extract;
pub mod finding;
pub mod lexicon;
pub mod noun;
pub mod record;
pub mod section;

pub use extract::{Statement, Subject, Value, extract};
pub use finding::{Finding, KeyHeard, Kind, Quote, Told, ToldMessage};
pub use lexicon::{Bound, Lang};
pub use record::{Cache, Record, Said};

use std::sync::Arc;

use uuid::Uuid;

use crate::incident::{Event, Incident};
use crate::journal::Stored;

/// The check as a console keeps it: the record (to check a text against as it is typed) and
/// the incident's findings, made together after every change of the journal.
#[derive(Debug)]
pub struct Checked {
    pub record: Record,
    pub findings: Vec<Finding>,
}

impl Checked {
    /// Reads the incident and finds everything.
    pub fn new(inc: &Incident, events: &[Stored<Event>]) -> Arc<Checked> {
        Checked::build(inc, events, &mut record::Cache::default())
    }

    /// As [`Checked::new`], reading only texts `cache` has not seen.
    pub fn build(
        inc: &Incident,
        events: &[Stored<Event>],
        cache: &mut record::Cache,
    ) -> Arc<Checked> {
        let record = Record::build(inc, events, cache);
        let findings = record.findings();
        Arc::new(Checked { record, findings })
    }

    /// Findings that warn (not acknowledged), key messages apart.
    pub fn open(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.is_open() && f.kind != Kind::KeyMessage)
    }

    /// Key messages not yet given (and not acknowledged).
    pub fn open_key_messages(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.is_open() && f.kind == Kind::KeyMessage)
            .count()
    }

    /// Findings that name a message.
    pub fn about(&self, message: Uuid) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(move |f| f.messages.contains(&message))
    }

    /// Conflicts and unconfirmed figures of a draft that nobody acknowledged: what approving
    /// or sending it should ask about.
    pub fn blocking(&self, message: Uuid) -> Vec<&Finding> {
        self.findings
            .iter()
            .filter(|f| {
                f.is_open()
                    && f.messages.first() == Some(&message)
                    && matches!(f.kind, Kind::Conflict | Kind::Unconfirmed)
            })
            .collect()
    }
}
