//! The four findings: conflicting figures, unconfirmed figures stated, audiences left with
//! a figure the facts log has since changed, and key messages not yet given.
//!
//! The rules look at where things stand now: what each audience last heard about a thing
//! (its latest message that mentions it), the drafts, and the facts log as it reads now.
//! A disagreement that a change in the facts log explains is reported once, as a stale
//! audience, not also as a conflict. They err on the side of fewer, surer findings: figures
//! agree when their ranges overlap, and only confirmed facts make anyone stale.

use std::collections::HashMap;

use jiff::Timestamp;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::extract::{Statement, Subject};
use super::noun;
use super::record::{FactVersion, Record, Said};
use crate::incident::Event;

/// What kind of problem a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Two audiences (or an audience and the facts log, or a draft and either) have
    /// figures for the same thing that cannot both be true.
    Conflict,
    /// A figure stated as fact that the facts log has only as unconfirmed.
    Unconfirmed,
    /// The facts log changed after some audiences were told the old figure.
    Stale,
    /// A key message of the playbook that no message has carried yet.
    KeyMessage,
}

impl Kind {
    /// The word used in JSON and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Conflict => "conflict",
            Kind::Unconfirmed => "unconfirmed",
            Kind::Stale => "stale",
            Kind::KeyMessage => "key_message",
        }
    }
}

/// The exact words from one message, draft, fact or key message.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quote {
    /// `message` (sent), `draft`, `fact` or `key_message`.
    pub source: &'static str,
    /// The message id, or the fact's entry id (the amendment for an amended text).
    pub id: Option<Uuid>,
    /// The stakeholder the message went (or goes) to.
    pub audience: Option<String>,
    /// When the message was sent (drafted, for a draft) or the fact logged.
    pub at: Option<Timestamp>,
    pub words: String,
    /// How a qualified figure was read: "1,080 to 1,320", "no more than 1,500".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
    /// For a stale audience: the later message to it that already gave the new figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected_by: Option<Uuid>,
}

/// Who acknowledged a finding, when, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Acknowledged {
    pub by: String,
    pub at: Timestamp,
    pub reason: String,
    /// The journal entry.
    pub entry: Uuid,
}

/// One thing the spokesperson should know before the next message goes out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Derived from what the finding is about (its kind, the thing counted, the messages,
    /// facts and words involved), so it stays the same across runs and an acknowledgment
    /// keeps applying until something in it changes.
    pub id: String,
    pub kind: Kind,
    /// What is counted ("customers"), for figures.
    pub subject: Option<String>,
    /// Stakeholder ids involved, the audiences told earlier included.
    pub audiences: Vec<String>,
    /// Message ids involved (drafts included).
    pub messages: Vec<Uuid>,
    /// Fact entry ids involved (the fact, and the amendment that changed it).
    pub facts: Vec<Uuid>,
    pub quotes: Vec<Quote>,
    /// The finding in one sentence.
    pub text: String,
    /// Set once someone acknowledged it: it no longer warns.
    pub acknowledged: Option<Acknowledged>,
}

impl Finding {
    /// Still warning: not acknowledged.
    pub fn is_open(&self) -> bool {
        self.acknowledged.is_none()
    }
}

/// How much of a key message's words a message must carry to have given it.
pub const KEY_MESSAGE_SHARE: f64 = 0.6;

/// What one audience heard of a key message: its best message and the share of words.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyHeard {
    pub audience: String,
    pub message: Uuid,
    pub at: Timestamp,
    /// Words of the key message found in the message, and how many it has.
    pub words_found: usize,
    pub words: usize,
}

impl KeyHeard {
    /// Carried: enough of its words.
    pub fn carried(&self) -> bool {
        self.words > 0 && self.words_found as f64 / self.words as f64 >= KEY_MESSAGE_SHARE
    }
}

/// The figures one audience heard, message by message.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Told {
    /// The stakeholder id.
    pub audience: String,
    /// Its messages that stated figures, oldest first.
    pub messages: Vec<ToldMessage>,
}

/// One message's figures, as worded.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ToldMessage {
    pub message: Uuid,
    /// When it was sent.
    pub at: Timestamp,
    /// The exact words of each figure ("about 1,200 customers", "since 14 March").
    pub figures: Vec<String>,
}

/// A statement of a sent message: (index in `Record::sent`, statement index).
type At = (usize, usize);

/// What one audience last heard about a thing: its latest message that mentions it.
#[derive(Clone, Debug)]
struct Heard {
    audience: String,
    said: usize,
    statements: Vec<usize>,
}

/// The facts log on a thing: the latest confirmed version that gives a figure for it.
struct FactNow<'a> {
    version: &'a FactVersion,
    /// The version before it, when this one is an amendment.
    was: Option<&'a FactVersion>,
    statements: Vec<&'a Statement>,
}

fn agree(a: &[&Statement], b: &[&Statement]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.value.agrees(&y.value)))
}

impl Record {
    /// Every finding for the incident: conflicts between what audiences heard now and in
    /// each draft, unconfirmed figures stated, stale audiences, key messages not yet given.
    pub fn findings(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for group in self.groups() {
            out.extend(self.sent_conflict(&group));
            out.extend(self.stale(&group));
        }
        for said in &self.sent {
            out.extend(self.unconfirmed(said));
        }
        for draft in &self.drafts {
            out.extend(self.draft_conflicts(draft));
            out.extend(self.unconfirmed(draft));
        }
        out.extend(self.key_message_findings());
        self.finish(out)
    }

    /// The findings for one text being written or a draft: conflicts with what audiences
    /// heard and the facts log, and unconfirmed figures. Cheap: only `said` is read.
    pub fn check(&self, said: &Said) -> Vec<Finding> {
        let mut out = self.draft_conflicts(said);
        out.extend(self.unconfirmed(said));
        self.finish(out)
    }

    fn finish(&self, mut out: Vec<Finding>) -> Vec<Finding> {
        for f in &mut out {
            f.acknowledged = self.acknowledgment(&f.id).map(|a| Acknowledged {
                by: a.by.to_string(),
                at: a.at,
                reason: a.reason.clone(),
                entry: a.entry,
            });
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|f| seen.insert(f.id.clone()));
        out
    }

    /// Sent statements grouped by the thing they count.
    fn groups(&self) -> Vec<Vec<At>> {
        let all: Vec<At> = self
            .sent
            .iter()
            .enumerate()
            .flat_map(|(m, s)| (0..s.statements.len()).map(move |i| (m, i)))
            .collect();
        let mut parent: Vec<usize> = (0..all.len()).collect();
        fn root(p: &mut [usize], mut i: usize) -> usize {
            while p[i] != i {
                p[i] = p[p[i]];
                i = p[i];
            }
            i
        }
        let mut first_of: HashMap<String, usize> = HashMap::new();
        for (i, &(m, s)) in all.iter().enumerate() {
            for key in self.sent[m].statements[s].subject.group_keys() {
                match first_of.get(&key) {
                    Some(&j) => {
                        let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                        parent[a] = b;
                    }
                    None => {
                        first_of.insert(key, i);
                    }
                }
            }
        }
        let mut groups: HashMap<usize, Vec<At>> = HashMap::new();
        for (i, a) in all.iter().enumerate() {
            let r = root(&mut parent, i);
            groups.entry(r).or_default().push(*a);
        }
        let mut groups: Vec<Vec<At>> = groups.into_values().collect();
        groups.sort();
        groups
    }

    /// Per audience, its latest message among `members`, and that message's statements.
    fn latest(&self, members: &[At]) -> Vec<Heard> {
        let mut by: HashMap<&str, Heard> = HashMap::new();
        for &(m, s) in members {
            let a = self.sent[m].audience.as_str();
            let h = by.entry(a).or_insert_with(|| Heard {
                audience: a.to_owned(),
                said: m,
                statements: Vec::new(),
            });
            if m > h.said {
                h.said = m;
                h.statements.clear();
            }
            if m == h.said {
                h.statements.push(s);
            }
        }
        let mut v: Vec<Heard> = by.into_values().collect();
        v.sort_by_key(|h| h.said);
        v
    }

    fn heard_statements(&self, h: &Heard) -> Vec<&Statement> {
        h.statements
            .iter()
            .map(|&s| &self.sent[h.said].statements[s])
            .collect()
    }

    /// The facts log on `subject` now: the latest current, confirmed version with a figure.
    fn fact_now(&self, subject: &Subject) -> Option<FactNow<'_>> {
        let v = self
            .facts
            .iter()
            .filter(|f| f.is_current() && f.confirmed)
            .filter(|f| f.statements.iter().any(|s| s.subject.same(subject)))
            .max_by_key(|f| f.at)?;
        let was = self
            .facts
            .iter()
            .rfind(|f| f.fact == v.fact && f.replaced_at == Some(v.at));
        Some(FactNow {
            version: v,
            was,
            statements: v
                .statements
                .iter()
                .filter(|s| s.subject.same(subject))
                .collect(),
        })
    }

    /// Conflicts among what audiences heard last about one thing (and the facts log).
    fn sent_conflict(&self, group: &[At]) -> Option<Finding> {
        let subject = &self.sent[group[0].0].statements[group[0].1].subject;
        let heard = self.latest(group);
        let fact = self.fact_now(subject);
        let mut involved: Vec<usize> = Vec::new();
        let mut against_facts = false;
        for (i, a) in heard.iter().enumerate() {
            let sa = self.heard_statements(a);
            let ta = self.sent[a.said].at;
            for b in &heard[i + 1..] {
                let sb = self.heard_statements(b);
                let tb = self.sent[b.said].at;
                if agree(&sa, &sb) {
                    continue;
                }
                if let Some(f) = &fact {
                    let (fa, fb) = (agree(&sa, &f.statements), agree(&sb, &f.statements));
                    let tf = f.version.at;
                    // A later change in the facts log explains it: reported as stale.
                    if (fb && !fa && tf > ta)
                        || (fa && !fb && tf > tb)
                        || (!fa && !fb && tf > ta && tf > tb)
                    {
                        continue;
                    }
                }
                for k in [i, heard.iter().position(|h| h.said == b.said).unwrap_or(i)] {
                    if !involved.contains(&k) {
                        involved.push(k);
                    }
                }
            }
            if let Some(f) = &fact
                && ta >= f.version.at
                && !agree(&sa, &f.statements)
            {
                against_facts = true;
                if !involved.contains(&i) {
                    involved.push(i);
                }
            }
        }
        if involved.is_empty() {
            return None;
        }
        involved.sort_unstable();
        let parties: Vec<&Heard> = involved.iter().map(|&i| &heard[i]).collect();
        let mut quotes: Vec<Quote> = Vec::new();
        let mut parts: Vec<String> = Vec::new();
        for (n, h) in parties.iter().enumerate() {
            let said = &self.sent[h.said];
            let stmts = self.heard_statements(h);
            quotes.extend(self.quotes(said, &stmts));
            let _ = n;
            parts.push(self.told(said, &stmts, "were told"));
        }
        let mut text = format!("Different {}: {}", subject.topic(), parts.join(", "));
        let mut facts = Vec::new();
        if let Some(f) = fact.as_ref().filter(|_| against_facts) {
            text.push_str(&format!("; the facts log says {}", self.fact_words(f)));
            quotes.extend(self.fact_quotes(f));
            facts.push(f.version.entry);
        }
        let pairs: Vec<(&str, &Statement)> = parties
            .iter()
            .flat_map(|h| {
                let text = self.sent[h.said].text.as_str();
                self.heard_statements(h).into_iter().map(move |s| (text, s))
            })
            .collect();
        text.push_str(&Self::readings(&pairs));
        let others: Vec<&Heard> = heard
            .iter()
            .enumerate()
            .filter(|(i, _)| !involved.contains(i))
            .map(|(_, h)| h)
            .collect();
        text.push_str(
            &self.fits_all(
                &others,
                &parties
                    .iter()
                    .map(|h| self.heard_statements(h))
                    .collect::<Vec<_>>(),
            ),
        );
        text.push('.');
        let audiences: Vec<String> = parties.iter().map(|h| h.audience.clone()).collect();
        let messages: Vec<Uuid> = parties.iter().map(|h| self.sent[h.said].message).collect();
        Some(self.finding(
            Kind::Conflict,
            Some(subject),
            audiences,
            messages,
            facts,
            quotes,
            text,
        ))
    }

    /// A draft (or a text being written) against what audiences heard and the facts log.
    fn draft_conflicts(&self, draft: &Said) -> Vec<Finding> {
        let mut out = Vec::new();
        for group in by_subject(&draft.statements) {
            let subject = &group[0].subject;
            let members: Vec<At> = group.iter().flat_map(|st| self.about(st)).collect();
            let heard = self.latest(&members);
            let fact = self.fact_now(subject);
            let mut against: Vec<&Heard> = Vec::new();
            for h in &heard {
                let sh = self.heard_statements(h);
                if agree(&group, &sh) {
                    continue;
                }
                if let Some(f) = &fact
                    && agree(&group, &f.statements)
                    && !agree(&sh, &f.statements)
                    && f.version.at > self.sent[h.said].at
                {
                    continue; // that audience is stale; the draft has the new figure
                }
                against.push(h);
            }
            let fact_against = fact.as_ref().filter(|f| !agree(&group, &f.statements));
            if against.is_empty() && fact_against.is_none() {
                continue;
            }
            let mut quotes = self.quotes(draft, &group);
            let mut text = format!(
                "{} says {}, but ",
                self.draft_name(draft),
                words_of(draft, &group)
            );
            let told: Vec<String> = against
                .iter()
                .map(|h| {
                    let said = &self.sent[h.said];
                    let stmts = self.heard_statements(h);
                    quotes.extend(self.quotes(said, &stmts));
                    self.told(said, &stmts, "were told")
                })
                .collect();
            let mut facts = Vec::new();
            let mut clauses = Vec::new();
            if !told.is_empty() {
                clauses.push(told.join(" and "));
            }
            if let Some(f) = fact_against {
                clauses.push(format!("the facts log says {}", self.fact_words(f)));
                quotes.extend(self.fact_quotes(f));
                facts.push(f.version.entry);
            }
            text.push_str(&clauses.join(", and "));
            let mut pairs: Vec<(&str, &Statement)> =
                group.iter().map(|s| (draft.text.as_str(), *s)).collect();
            for h in &against {
                let t = self.sent[h.said].text.as_str();
                pairs.extend(self.heard_statements(h).into_iter().map(|s| (t, s)));
            }
            text.push_str(&Self::readings(&pairs));
            let others: Vec<&Heard> = heard
                .iter()
                .filter(|h| !against.iter().any(|a| a.said == h.said))
                .collect();
            let mut sides: Vec<Vec<&Statement>> = vec![group.clone()];
            sides.extend(against.iter().map(|h| self.heard_statements(h)));
            if !against.is_empty() {
                text.push_str(&self.fits_all(&others, &sides));
            }
            text.push('.');
            let mut audiences = vec![draft.audience.clone()];
            let mut messages = vec![draft.message];
            for h in &against {
                if !audiences.contains(&h.audience) {
                    audiences.push(h.audience.clone());
                }
                messages.push(self.sent[h.said].message);
            }
            out.push(self.finding(
                Kind::Conflict,
                Some(subject),
                audiences,
                messages,
                facts,
                quotes,
                text,
            ));
        }
        out
    }

    /// Audiences told a figure before the facts log changed it.
    fn stale(&self, group: &[At]) -> Option<Finding> {
        let subject = &self.sent[group[0].0].statements[group[0].1].subject;
        let fact = self.fact_now(subject)?;
        let tf = fact.version.at;
        let heard = self.latest(group);
        let mut old: Vec<&Heard> = Vec::new();
        let mut corrected: Vec<(&Heard, At)> = Vec::new();
        for h in &heard {
            let sh = self.heard_statements(h);
            let th = self.sent[h.said].at;
            if agree(&sh, &fact.statements) {
                if th >= tf
                    && let Some(&earlier) = group.iter().rev().find(|&&(m, s)| {
                        self.sent[m].audience == h.audience
                            && self.sent[m].at < tf
                            && !self.sent[m].statements[s]
                                .value
                                .agrees_any(&fact.statements)
                    })
                {
                    corrected.push((h, earlier));
                }
                continue;
            }
            if th < tf {
                old.push(h);
            }
        }
        if old.is_empty() {
            return None;
        }
        let mut quotes = self.fact_quotes(&fact);
        let mut facts = vec![fact.version.fact];
        if fact.version.entry != fact.version.fact {
            facts.push(fact.version.entry);
        }
        let mut audiences = Vec::new();
        let mut messages = Vec::new();
        let told: Vec<String> = old
            .iter()
            .map(|h| {
                let said = &self.sent[h.said];
                let stmts = self.heard_statements(h);
                quotes.extend(self.quotes(said, &stmts));
                audiences.push(h.audience.clone());
                messages.push(said.message);
                self.told(said, &stmts, "last heard")
            })
            .collect();
        let changed = match fact.was {
            Some(was) => format!(
                "changed to {} ({}, amended {}; was “{}”)",
                self.fact_quote_words(&fact),
                confirmed_word(fact.version),
                self.when(fact.version.at),
                was.statements
                    .iter()
                    .filter(|s| s.subject.same(subject))
                    .map(|s| s.quote(&was.text))
                    .collect::<Vec<_>>()
                    .join("”, “")
            ),
            None => format!("says {}", self.fact_words(&fact)),
        };
        let mut text = format!(
            "The facts log {changed}, after {} and {} not been told since",
            told.join(" and "),
            if old.len() == 1 { "has" } else { "have" }
        );
        for (h, earlier) in &corrected {
            let said = &self.sent[h.said];
            let before = &self.sent[earlier.0];
            let mut q = self.quotes(before, &[&before.statements[earlier.1]]);
            for q in &mut q {
                q.corrected_by = Some(said.message);
            }
            quotes.extend(q);
            audiences.push(h.audience.clone());
            messages.push(before.message);
            messages.push(said.message);
            text.push_str(&format!(
                "; {} already had the new figure in message {} ({})",
                self.audience_name(&h.audience),
                Event::short_id(&said.message),
                self.when(said.at)
            ));
        }
        text.push('.');
        Some(self.finding(
            Kind::Stale,
            Some(subject),
            audiences,
            messages,
            facts,
            quotes,
            text,
        ))
    }

    /// Figures stated as fact that the facts log has only as unconfirmed.
    fn unconfirmed(&self, said: &Said) -> Vec<Finding> {
        let mut out = Vec::new();
        for group in by_subject(&said.statements) {
            let stated: Vec<&Statement> = group.iter().copied().filter(|s| !s.hedged).collect();
            if stated.is_empty() {
                continue;
            }
            let subject = &stated[0].subject;
            let on_it: Vec<(&FactVersion, Vec<&Statement>)> = self
                .facts
                .iter()
                .filter(|f| f.is_current())
                .map(|f| {
                    let st: Vec<&Statement> = f
                        .statements
                        .iter()
                        .filter(|s| s.subject.same(subject))
                        .collect();
                    (f, st)
                })
                .filter(|(_, st)| !st.is_empty())
                .collect();
            if on_it.iter().any(|(f, _)| f.confirmed) {
                continue;
            }
            let backing: Vec<&(&FactVersion, Vec<&Statement>)> =
                on_it.iter().filter(|(_, st)| agree(&stated, st)).collect();
            if backing.is_empty() {
                continue;
            }
            let mut quotes = self.quotes(said, &stated);
            let mut facts = Vec::new();
            let mut fact_words = Vec::new();
            for (f, st) in &backing {
                facts.push(f.entry);
                fact_words.push(format!(
                    "{} ({})",
                    st.iter()
                        .map(|s| format!("“{}”", s.quote(&f.text)))
                        .collect::<Vec<_>>()
                        .join(", "),
                    self.when(f.at)
                ));
                quotes.extend(st.iter().map(|s| self.fact_quote(f, s)));
            }
            let who = if said.sent {
                format!(
                    "Message {} to {} ({}) stated",
                    Event::short_id(&said.message),
                    self.audience_name(&said.audience),
                    self.when(said.at)
                )
            } else {
                format!("{} states", self.draft_name(said))
            };
            let text = format!(
                "{who} {} as fact, but the facts log has it only as unconfirmed: {}.",
                words_of(said, &stated),
                fact_words.join("; ")
            );
            out.push(self.finding(
                Kind::Unconfirmed,
                Some(subject),
                vec![said.audience.clone()],
                vec![said.message],
                facts,
                quotes,
                text,
            ));
        }
        out
    }

    /// What each audience heard of each key message: per key message, per audience in
    /// play, its best message (the one carrying most of the key message's words).
    pub fn key_message_coverage(&self) -> Vec<(String, Vec<KeyHeard>)> {
        let msg_words: Vec<std::collections::HashSet<String>> = self
            .sent
            .iter()
            .map(|s| word_keys(&s.text, self.lang))
            .collect();
        self.key_messages
            .iter()
            .map(|km| {
                let words = word_keys(km, self.lang);
                let mut best: HashMap<&str, KeyHeard> = HashMap::new();
                for (i, said) in self.sent.iter().enumerate() {
                    if !self
                        .audiences
                        .iter()
                        .any(|a| a.id == said.audience && a.in_play)
                    {
                        continue;
                    }
                    let found = words.iter().filter(|w| msg_words[i].contains(*w)).count();
                    let entry = best.entry(&said.audience).or_insert_with(|| KeyHeard {
                        audience: said.audience.clone(),
                        message: said.message,
                        at: said.at,
                        words_found: found,
                        words: words.len(),
                    });
                    if found > entry.words_found {
                        entry.message = said.message;
                        entry.at = said.at;
                        entry.words_found = found;
                    }
                }
                let mut heard: Vec<KeyHeard> = best.into_values().collect();
                heard.sort_by(|a, b| {
                    b.words_found
                        .cmp(&a.words_found)
                        .then(a.audience.cmp(&b.audience))
                });
                (km.clone(), heard)
            })
            .collect()
    }

    /// Key messages no message to an audience in play has carried (once anything was sent).
    fn key_message_findings(&self) -> Vec<Finding> {
        if self.sent.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (km, heard) in self.key_message_coverage() {
            if heard.is_empty() || heard.iter().any(KeyHeard::carried) {
                continue;
            }
            let closest = &heard[0];
            let text = if closest.words_found == 0 {
                format!("No message has carried the key message “{km}” yet, nor any of its words.")
            } else {
                format!(
                    "No message has carried the key message “{km}” yet; closest: {} heard {} of its {} words (message {}, {}).",
                    self.audience_name(&closest.audience),
                    closest.words_found,
                    closest.words,
                    Event::short_id(&closest.message),
                    self.when(closest.at)
                )
            };
            let quotes = vec![Quote {
                source: "key_message",
                id: None,
                audience: None,
                at: None,
                words: km.clone(),
                reading: None,
                corrected_by: None,
            }];
            out.push(Finding {
                id: finding_id(Kind::KeyMessage, &["key", &km]),
                kind: Kind::KeyMessage,
                subject: None,
                audiences: heard.iter().map(|h| h.audience.clone()).collect(),
                messages: Vec::new(),
                facts: Vec::new(),
                quotes,
                text,
                acknowledged: None,
            });
        }
        out
    }

    /// The finding in a short line for a text being written: its words first, then what
    /// they clash with ("“1,500 customers” — News media heard “about 1,200 customers” (27 Nov
    /// 09:30)").
    pub fn brief(&self, f: &Finding) -> String {
        let mine = f
            .quotes
            .first()
            .map_or(String::new(), |q| format!("“{}”", q.words));
        let others: Vec<String> = f
            .quotes
            .iter()
            .skip(1)
            .filter(|q| !(f.kind == Kind::Unconfirmed && q.source != "fact"))
            .map(|q| {
                let when = q.at.map(|t| self.when(t)).unwrap_or_default();
                match (q.source, &q.audience) {
                    ("fact", _) if f.kind == Kind::Unconfirmed => {
                        format!("the facts log has it only as unconfirmed ({when})")
                    }
                    ("fact", _) => format!("the facts log says “{}” ({when})", q.words),
                    (_, Some(a)) => format!(
                        "{} heard “{}” ({when})",
                        short_name(&self.audience_name(a)),
                        q.words
                    ),
                    _ => format!("“{}”", q.words),
                }
            })
            .collect();
        let mut others = others;
        others.dedup();
        format!("{mine} — {}", others.join("; "))
    }

    /// What each audience was told, figure by figure: per audience (in the playbook's
    /// order) that heard any figure, its messages with figures, oldest first, each with
    /// (message id, when, the exact words of each figure).
    pub fn told_whom(&self) -> Vec<Told> {
        let mut out = Vec::new();
        for a in &self.audiences {
            let heard: Vec<ToldMessage> = self
                .sent
                .iter()
                .filter(|s| s.audience == a.id && !s.statements.is_empty())
                .map(|s| {
                    let mut words: Vec<String> = Vec::new();
                    for st in &s.statements {
                        let w = st.quote(&s.text).to_owned();
                        if !words.contains(&w) {
                            words.push(w);
                        }
                    }
                    ToldMessage {
                        message: s.message,
                        at: s.at,
                        figures: words,
                    }
                })
                .collect();
            if !heard.is_empty() {
                out.push(Told {
                    audience: a.id.clone(),
                    messages: heard,
                });
            }
        }
        out
    }

    // --- words

    /// "News media were told “about 1,200 customers” (27 Nov 09:30, message 4eabc561)".
    fn told(&self, said: &Said, stmts: &[&Statement], verb: &str) -> String {
        let verb = if verb.is_empty() {
            String::new()
        } else {
            format!(" {verb}")
        };
        format!(
            "{}{verb} {} ({}, message {})",
            self.audience_name(&said.audience),
            words_of(said, stmts),
            self.when(said.at),
            Event::short_id(&said.message)
        )
    }

    fn draft_name(&self, said: &Said) -> String {
        if said.message.is_nil() {
            format!("This text to {}", self.audience_name(&said.audience))
        } else {
            format!(
                "The draft to {} (message {})",
                self.audience_name(&said.audience),
                Event::short_id(&said.message)
            )
        }
    }

    fn fact_words(&self, f: &FactNow<'_>) -> String {
        format!(
            "{} ({}, {})",
            self.fact_quote_words(f),
            confirmed_word(f.version),
            self.when(f.version.at)
        )
    }

    fn fact_quote_words(&self, f: &FactNow<'_>) -> String {
        f.statements
            .iter()
            .map(|s| format!("“{}”", s.quote(&f.version.text)))
            .collect::<Vec<_>>()
            .join(" and ")
    }

    fn fact_quotes(&self, f: &FactNow<'_>) -> Vec<Quote> {
        f.statements
            .iter()
            .map(|s| self.fact_quote(f.version, s))
            .collect()
    }

    fn fact_quote(&self, f: &FactVersion, s: &Statement) -> Quote {
        Quote {
            source: "fact",
            id: Some(f.entry),
            audience: None,
            at: Some(f.at),
            words: s.quote(&f.text).to_owned(),
            reading: s.value.is_qualified().then(|| s.value.reading()),
            corrected_by: None,
        }
    }

    fn quotes(&self, said: &Said, stmts: &[&Statement]) -> Vec<Quote> {
        stmts
            .iter()
            .map(|s| Quote {
                source: if said.sent { "message" } else { "draft" },
                id: (!said.message.is_nil()).then_some(said.message),
                audience: Some(said.audience.clone()),
                at: Some(said.at),
                words: s.quote(&said.text).to_owned(),
                reading: s.value.is_qualified().then(|| s.value.reading()),
                corrected_by: None,
            })
            .collect()
    }

    /// " (“about 1,200 customers” allows 1,080 to 1,320)" for the qualified figures among
    /// (text, statement) pairs.
    fn readings(pairs: &[(&str, &Statement)]) -> String {
        let mut notes: Vec<String> = Vec::new();
        for (text, s) in pairs {
            if matches!(s.value, super::extract::Value::Count { .. }) && s.value.is_qualified() {
                let n = format!("“{}” allows {}", s.quote(text), s.value.reading());
                if !notes.contains(&n) {
                    notes.push(n);
                }
            }
        }
        if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join("; "))
        }
    }

    /// Audiences whose figure agrees with every side: "Employees' “up to 1,500 customers”
    /// fits both".
    fn fits_all(&self, others: &[&Heard], sides: &[Vec<&Statement>]) -> String {
        let fitting: Vec<String> = others
            .iter()
            .filter(|h| {
                let sh = self.heard_statements(h);
                sides.iter().all(|side| agree(&sh, side))
            })
            .map(|h| {
                let said = &self.sent[h.said];
                format!(
                    "{}’s {}",
                    self.audience_name(&h.audience),
                    words_of(said, &self.heard_statements(h))
                )
            })
            .collect();
        match fitting.len() {
            0 => String::new(),
            _ => format!(
                "; {} {} with {}",
                fitting.join(" and "),
                if fitting.len() == 1 {
                    "agrees"
                } else {
                    "agree"
                },
                if sides.len() == 2 {
                    "both"
                } else {
                    "all of them"
                }
            ),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn finding(
        &self,
        kind: Kind,
        subject: Option<&Subject>,
        audiences: Vec<String>,
        messages: Vec<Uuid>,
        facts: Vec<Uuid>,
        quotes: Vec<Quote>,
        text: String,
    ) -> Finding {
        let mut parts: Vec<String> = vec![subject.map(Subject::canonical).unwrap_or_default()];
        let mut q: Vec<String> = quotes
            .iter()
            .map(|q| {
                format!(
                    "{}={}",
                    q.id.map(|i| i.to_string()).unwrap_or_default(),
                    q.words
                )
            })
            .collect();
        q.sort();
        parts.extend(q);
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        Finding {
            id: finding_id(kind, &refs),
            kind,
            subject: subject.map(Subject::label),
            audiences,
            messages,
            facts,
            quotes,
            text,
            acknowledged: None,
        }
    }
}

impl super::extract::Value {
    fn agrees_any(&self, others: &[&Statement]) -> bool {
        others.iter().any(|o| self.agrees(&o.value))
    }
}

/// A stakeholder's name without what it adds in brackets ("Lead supervisory authority").
fn short_name(name: &str) -> &str {
    name.split(" (").next().unwrap_or(name).trim()
}

fn confirmed_word(f: &FactVersion) -> &'static str {
    if f.confirmed {
        "confirmed"
    } else {
        "unconfirmed"
    }
}

/// “about 1,200 customers” and “1,250 customers”.
fn words_of(said: &Said, stmts: &[&Statement]) -> String {
    let mut v: Vec<String> = Vec::new();
    for s in stmts {
        let q = format!("“{}”", s.quote(&said.text));
        if !v.contains(&q) {
            v.push(q);
        }
    }
    v.join(" and ")
}

/// A text's statements grouped by the thing counted, in order of first mention.
fn by_subject(stmts: &[Statement]) -> Vec<Vec<&Statement>> {
    let mut groups: Vec<Vec<&Statement>> = Vec::new();
    for s in stmts {
        match groups.iter_mut().find(|g| g[0].subject.same(&s.subject)) {
            Some(g) => g.push(s),
            None => groups.push(vec![s]),
        }
    }
    groups
}

/// The content words of a text as noun keys (their first key), for key-message coverage.
pub(super) fn word_keys(
    text: &str,
    lang: super::lexicon::Lang,
) -> std::collections::HashSet<String> {
    let lang = super::extract::language(text, lang);
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .filter(|w| !super::lexicon::is_stopword(w))
        .map(|w| noun::keys(&w, lang).primary().to_owned())
        .collect()
}

/// A short stable id: the first 12 hex digits of SHA-256 over the kind and the parts.
fn finding_id(kind: Kind, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(kind.as_str().as_bytes());
    for p in parts {
        h.update([0u8]);
        h.update(p.as_bytes());
    }
    let digest = h.finalize();
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}
