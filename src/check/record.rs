//! What each audience has been told, and what the facts log says, with the figures read out
//! of every text once.
//!
//! A [`Record`] is built from the folded incident (and the journal entries, for the earlier
//! versions of amended facts) whenever the incident changes; checking a draft against it then
//! reads only the draft. That is what keeps the composer's check cheap on every keystroke.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use uuid::Uuid;

use super::extract::{Statement, extract};
use super::lexicon::Lang;
use crate::incident::state::{Acknowledgment, Incident};
use crate::incident::{Body, Event};
use crate::journal::Stored;

/// A message as the check sees it: who it was (or is to be) said to, when, and its figures.
#[derive(Clone, Debug)]
pub struct Said {
    pub message: Uuid,
    pub audience: String,
    /// When it was sent; for a draft, when it was drafted.
    pub at: Timestamp,
    pub sent: bool,
    pub text: String,
    pub statements: Vec<Statement>,
}

/// One version of a fact in the facts log: as first logged, or as amended.
#[derive(Clone, Debug)]
pub struct FactVersion {
    /// The fact entry.
    pub fact: Uuid,
    /// The entry that gave this text: the fact itself or an amendment of it.
    pub entry: Uuid,
    pub at: Timestamp,
    pub confirmed: bool,
    pub text: String,
    pub statements: Vec<Statement>,
    /// When a later amendment replaced this text, if one did.
    pub replaced_at: Option<Timestamp>,
}

impl FactVersion {
    /// The version of its fact in force now.
    pub fn is_current(&self) -> bool {
        self.replaced_at.is_none()
    }
}

/// An audience of the playbook.
#[derive(Clone, Debug)]
pub struct Audience {
    pub id: String,
    pub name: String,
    pub in_play: bool,
}

/// Everything the check compares, read once.
#[derive(Clone, Debug)]
pub struct Record {
    /// The playbook's language: texts that do not tell are read in it.
    pub lang: Lang,
    /// The playbook's zone, for times in finding texts.
    pub tz: TimeZone,
    pub audiences: Vec<Audience>,
    /// Sent messages, in the order they went out.
    pub sent: Vec<Said>,
    /// Messages not yet sent.
    pub drafts: Vec<Said>,
    /// Every version of every fact, in the order they were logged.
    pub facts: Vec<FactVersion>,
    /// The playbook's key messages.
    pub key_messages: Vec<String>,
    pub acknowledgments: Vec<Acknowledgment>,
    /// Group key (see [`super::extract::Subject::group_keys`]) → (index in `sent`, index of
    /// the statement).
    index: HashMap<String, Vec<(usize, usize)>>,
}

impl Record {
    /// Reads the incident: every sent message, draft and fact version.
    pub fn new(inc: &Incident, events: &[Stored<Event>]) -> Record {
        let pb = &inc.playbook;
        let lang = Lang::from_tag(pb.language.as_deref());
        let said = |m: &crate::incident::state::Message| Said {
            message: m.id,
            audience: m.stakeholder.clone(),
            at: m.sent.as_ref().map_or(m.drafted_at, |s| s.at),
            sent: m.sent.is_some(),
            statements: extract(&m.text, lang),
            text: m.text.clone(),
        };
        let mut sent: Vec<Said> = inc
            .messages
            .iter()
            .filter(|m| m.sent.is_some())
            .map(said)
            .collect();
        sent.sort_by_key(|a| (a.at, a.message));
        let drafts = inc
            .messages
            .iter()
            .filter(|m| m.sent.is_none())
            .map(said)
            .collect();
        let mut rec = Record {
            lang,
            tz: inc.calendar.time_zone().clone(),
            audiences: pb
                .stakeholders
                .iter()
                .map(|s| Audience {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    in_play: inc.stakeholder(&s.id).is_none_or(|st| st.in_play),
                })
                .collect(),
            sent,
            drafts,
            facts: fact_versions(inc, events, lang),
            key_messages: pb.key_messages.clone(),
            acknowledgments: inc.acknowledgments.clone(),
            index: HashMap::new(),
        };
        rec.reindex();
        rec
    }

    /// A record from parts (tests and benchmarks); the index is built here.
    pub fn from_parts(
        lang: Lang,
        tz: TimeZone,
        audiences: Vec<Audience>,
        mut sent: Vec<Said>,
        drafts: Vec<Said>,
        facts: Vec<FactVersion>,
    ) -> Record {
        sent.sort_by_key(|a| (a.at, a.message));
        let mut rec = Record {
            lang,
            tz,
            audiences,
            sent,
            drafts,
            facts,
            key_messages: Vec::new(),
            acknowledgments: Vec::new(),
            index: HashMap::new(),
        };
        rec.reindex();
        rec
    }

    fn reindex(&mut self) {
        self.index.clear();
        for (m, said) in self.sent.iter().enumerate() {
            for (s, st) in said.statements.iter().enumerate() {
                for key in st.subject.group_keys() {
                    self.index.entry(key).or_default().push((m, s));
                }
            }
        }
    }

    /// A [`Said`] for a text being written (read in the record's language).
    pub fn draft(&self, message: Uuid, audience: &str, at: Timestamp, text: &str) -> Said {
        Said {
            message,
            audience: audience.to_owned(),
            at,
            sent: false,
            text: text.to_owned(),
            statements: extract(text, self.lang),
        }
    }

    /// Sent statements about the same thing as `st`: (index in `sent`, statement index),
    /// each once, in the order the messages went out.
    pub fn about(&self, st: &Statement) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        for key in st.subject.group_keys() {
            if let Some(list) = self.index.get(&key) {
                found.extend(
                    list.iter()
                        .filter(|&&(m, s)| self.sent[m].statements[s].subject.same(&st.subject)),
                );
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// A stakeholder's name, or its id when the playbook no longer has it.
    pub fn audience_name(&self, id: &str) -> String {
        self.audiences
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| id.to_owned(), |a| a.name.clone())
    }

    /// The acknowledgment of a finding, if any (the latest).
    pub fn acknowledgment(&self, finding: &str) -> Option<&Acknowledgment> {
        self.acknowledgments
            .iter()
            .rev()
            .find(|a| a.finding == finding)
    }

    /// A time for finding texts: "27 Nov 09:30" in the playbook's zone.
    pub fn when(&self, t: Timestamp) -> String {
        t.to_zoned_datetime(self.tz.clone())
            .strftime("%-d %b %H:%M")
            .to_string()
    }
}

/// Every version of every fact that is not retracted: the text as logged, then each
/// amendment's text from the time it was made.
fn fact_versions(inc: &Incident, events: &[Stored<Event>], lang: Lang) -> Vec<FactVersion> {
    let mut by_id: HashMap<Uuid, &Event> = HashMap::new();
    let wanted: Vec<Uuid> = inc
        .facts
        .iter()
        .flat_map(|(f, _)| {
            std::iter::once(f.id).chain(inc.amended.get(&f.id).into_iter().flatten().copied())
        })
        .collect();
    if !wanted.is_empty() {
        let wanted: std::collections::HashSet<Uuid> = wanted.into_iter().collect();
        for s in events {
            if wanted.contains(&s.entry.id) {
                by_id.insert(s.entry.id, &s.entry);
            }
        }
    }
    let mut out = Vec::new();
    for (fact, confirmed) in &inc.facts {
        let original = by_id.get(&fact.id).and_then(|e| match &e.body {
            Body::Fact { text, .. } => Some(text.clone()),
            _ => None,
        });
        // (entry, time, text) of each version, the first as logged.
        let mut versions: Vec<(Uuid, Timestamp, String)> = vec![(
            fact.id,
            fact.at,
            original.unwrap_or_else(|| fact.text.clone()),
        )];
        for a in inc.amended.get(&fact.id).into_iter().flatten() {
            if let Some(e) = by_id.get(a)
                && let Body::Amend {
                    text: Some(text), ..
                } = &e.body
            {
                versions.push((*a, e.at.max(fact.at), text.clone()));
            }
        }
        versions.sort_by_key(|v| v.1);
        for (i, (entry, at, text)) in versions.iter().enumerate() {
            out.push(FactVersion {
                fact: fact.id,
                entry: *entry,
                at: *at,
                confirmed: *confirmed,
                statements: extract(text, lang),
                text: text.clone(),
                replaced_at: versions.get(i + 1).map(|v| v.1),
            });
        }
    }
    out.sort_by_key(|f| f.at);
    out
}
