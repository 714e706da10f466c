//! What each audience has been told, and what the facts log says, with the figures read out
//! of every text once.
//!
//! A [`Record`] is built from the folded incident (and the journal entries, for the earlier
//! versions of amended facts) whenever the incident changes; checking a draft against it then
//! reads only the draft. That is what keeps the composer's check cheap on every keystroke.

use std::collections::{HashMap, HashSet};

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
    /// The content words of each sent message (for key messages), as `sent`.
    pub sent_words: Vec<HashSet<String>>,
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

/// What was read out of texts before, by language and text: a record rebuilt after every
/// journal change reads only the texts that are new or changed.
#[derive(Debug, Default)]
pub struct Cache {
    statements: HashMap<(Lang, String), Vec<Statement>>,
    words: HashMap<(Lang, String), HashSet<String>>,
}

impl Cache {
    /// The figures in `text` (read once per text).
    pub fn statements(&mut self, text: &str, lang: Lang) -> Vec<Statement> {
        self.statements
            .entry((lang, text.to_owned()))
            .or_insert_with(|| extract(text, lang))
            .clone()
    }

    /// The content words of `text` as stems, for key messages (read once per text).
    pub fn words(&mut self, text: &str, lang: Lang) -> HashSet<String> {
        self.words
            .entry((lang, text.to_owned()))
            .or_insert_with(|| super::finding::word_keys(text, lang))
            .clone()
    }

    /// Forgets texts not used by the last record built, so the cache does not grow with
    /// every edit of a draft.
    fn keep_only(&mut self, texts: &HashSet<(Lang, String)>) {
        self.statements.retain(|k, _| texts.contains(k));
        self.words.retain(|k, _| texts.contains(k));
    }
}

impl Record {
    /// Reads the incident: every sent message, draft and fact version.
    pub fn new(inc: &Incident, events: &[Stored<Event>]) -> Record {
        Record::build(inc, events, &mut Cache::default())
    }

    /// As [`Record::new`], reading only texts `cache` has not seen.
    pub fn build(inc: &Incident, events: &[Stored<Event>], cache: &mut Cache) -> Record {
        let pb = &inc.playbook;
        let lang = Lang::from_tag(pb.language.as_deref());
        let mut used: HashSet<(Lang, String)> = HashSet::new();
        let mut said = |m: &crate::incident::state::Message| {
            used.insert((lang, m.text.clone()));
            Said {
                message: m.id,
                audience: m.stakeholder.clone(),
                at: m.sent.as_ref().map_or(m.drafted_at, |s| s.at),
                sent: m.sent.is_some(),
                statements: cache.statements(&m.text, lang),
                text: m.text.clone(),
            }
        };
        let mut sent: Vec<Said> = inc
            .messages
            .iter()
            .filter(|m| m.sent.is_some())
            .map(&mut said)
            .collect();
        sent.sort_by_key(|a| (a.at, a.message));
        let drafts = inc
            .messages
            .iter()
            .filter(|m| m.sent.is_none())
            .map(&mut said)
            .collect();
        let sent_words = sent.iter().map(|s| cache.words(&s.text, lang)).collect();
        let facts = fact_versions(inc, events, lang, cache, &mut used);
        cache.keep_only(&used);
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
            sent_words,
            drafts,
            facts,
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
        let sent_words = sent
            .iter()
            .map(|s| super::finding::word_keys(&s.text, lang))
            .collect();
        let mut rec = Record {
            lang,
            tz,
            audiences,
            sent,
            sent_words,
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
fn fact_versions(
    inc: &Incident,
    events: &[Stored<Event>],
    lang: Lang,
    cache: &mut Cache,
    used: &mut HashSet<(Lang, String)>,
) -> Vec<FactVersion> {
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
                statements: {
                    used.insert((lang, text.clone()));
                    cache.statements(text, lang)
                },
                text: text.clone(),
                replaced_at: versions.get(i + 1).map(|v| v.1),
            });
        }
    }
    out.sort_by_key(|f| f.at);
    out
}
