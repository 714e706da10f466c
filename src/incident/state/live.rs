//! Folding entries in as they arrive, without starting over: [`LiveFold`].

use super::*;

/// An incident folded so far, kept ready to take more entries.
///
/// A console or a follower holds one. New entries from another console are applied to the
/// state as it stands — microseconds, where folding a million entries again takes most of a
/// second. What one step cannot get exactly right falls back to a full fold, so the incident
/// is always the one [`fold`] gives for the whole slice. The fallback is taken for:
/// - an entry dated before (or with the same time, console and sequence as) the latest one
///   applied: a back-dated entry, another machine's clock running behind;
/// - a correction of anything but a note, decision, fact, lesson or mention, or one that
///   changes a time; an adopted playbook; a second "incident opened";
/// - an entry naming a message, inquiry or action not recorded yet, one that other entries
///   named before it existed, or one a correction named before it arrived.
pub struct LiveFold {
    incident: Incident,
    folded: FoldIndex,
    /// Entries of the slice folded so far.
    len: usize,
}

/// What [`LiveFold::extend`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extended {
    /// There was nothing new.
    Nothing,
    /// The new entries were applied to the state as it stood.
    Applied,
    /// The whole slice was folded again.
    Refolded,
}

impl std::fmt::Debug for LiveFold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveFold")
            .field("len", &self.len)
            .field("last", &self.folded.last)
            .finish_non_exhaustive()
    }
}

impl LiveFold {
    /// Folds `events` (as [`fold`] does) and keeps what it takes to fold more in later.
    pub fn new(events: &[Stored<Event>]) -> Result<LiveFold, FoldError> {
        let (incident, folded) = fold_indexed(events)?;
        Ok(LiveFold {
            incident,
            folded,
            len: events.len(),
        })
    }

    /// The incident as folded so far.
    pub fn incident(&self) -> &Incident {
        &self.incident
    }

    /// The incident, for keeping without the means to extend it.
    pub fn into_incident(self) -> Incident {
        self.incident
    }

    /// How many entries of the slice have been folded.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing has been folded (never true: a fold needs the "incident opened" entry).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Folds in `events[self.len()..]`. `events` is the slice folded so far with the new
    /// entries appended, in any order; a slice shorter than that is folded from scratch.
    pub fn extend(&mut self, events: &[Stored<Event>]) -> Result<Extended, FoldError> {
        if events.len() == self.len {
            return Ok(Extended::Nothing);
        }
        if events.len() > self.len {
            let mut batch: Vec<usize> = (self.len..events.len()).collect();
            batch.sort_by(|&a, &b| key(&events[a]).cmp(&key(&events[b])));
            if self.applies_in_place(events, &batch) {
                self.apply(events, &batch);
                return Ok(Extended::Applied);
            }
        }
        *self = LiveFold::new(events)?;
        Ok(Extended::Refolded)
    }

    /// Whether applying `batch` (indices of new entries in the order they happened) to the
    /// state as it stands gives exactly what a full fold would.
    fn applies_in_place(&self, events: &[Stored<Event>], batch: &[usize]) -> bool {
        let f = &self.folded;
        let mut last = f.last.as_ref().map(|(at, c, seq)| (*at, c.as_str(), *seq));
        let mut created: IdMap<()> = IdMap::with_hasher(f.ids);
        let mut corrected: IdMap<()> = IdMap::with_hasher(f.ids);
        for &i in batch {
            let s = &events[i];
            let e = &s.entry;
            let here = key(s);
            if last.is_some_and(|l| here <= l) {
                return false;
            }
            last = Some(here);
            if f.corrected.contains_key(&e.id)
                || f.dangling.contains_key(&e.id)
                || corrected.contains_key(&e.id)
            {
                return false;
            }
            match &e.body {
                Body::IncidentOpened { .. } | Body::PlaybookAdopted { .. } => return false,
                Body::Amend {
                    new_at: Some(_), ..
                } => return false,
                Body::Amend { target, .. } | Body::Retract { target, .. } => {
                    if !corrects_in_place(events, target) {
                        return false;
                    }
                    corrected.insert(*target, ());
                }
                _ => {}
            }
            if let Some(target) = refers_to(&e.body)
                && !f.index.knows(&target)
                && !created.contains_key(&target)
            {
                return false;
            }
            if creates(&e.body) {
                created.insert(e.id, ());
            }
        }
        true
    }

    fn apply(&mut self, events: &[Stored<Event>], batch: &[usize]) {
        let inc = &mut self.incident;
        for &i in batch {
            let s = &events[i];
            let e = &s.entry;
            match &e.body {
                Body::Amend { target, text, .. } => {
                    inc.amended.entry(*target).or_default().push(e.id);
                    if let Some(text) = text {
                        inc.set_entry_text(target, text);
                    }
                    self.folded.corrected.insert(*target, ());
                }
                Body::Retract { target, reason } => {
                    inc.drop_entry(target);
                    inc.retracted
                        .entry(*target)
                        .or_insert_with(|| (e.id, reason.clone()));
                    self.folded.corrected.insert(*target, ());
                }
                body => inc.apply(e, e.at, body, &mut self.folded.index),
            }
            self.folded.last = Some((e.at, s.console.clone(), s.seq));
            inc.last_recorded_at = inc.last_recorded_at.max(e.recorded_at);
        }
        inc.order.extend_from_slice(batch);
        inc.event_count = events.len();
        inc.finish();
        if inc.exercise {
            // The exercise layer (its clock, deliveries, ratings) is small: fold it again.
            inc.exercise_state = crate::exercise::fold(events, inc).map(Box::new);
        }
        self.len = events.len();
    }
}

/// The order entries happened in, before amendments.
fn key(s: &Stored<Event>) -> (Timestamp, &str, u64) {
    (s.entry.at, s.console.as_str(), s.seq)
}

/// Whether the entry makes something later entries refer to.
fn creates(body: &Body) -> bool {
    match body {
        Body::MessageDrafted { .. }
        | Body::MediaInquiry { .. }
        | Body::StakeholderRequest { .. }
        | Body::ActionAdded { .. } => true,
        Body::MessageSent { message, .. } => message.is_none(),
        Body::InjectDelivered { inject, .. } => matches!(
            inject.kind,
            InjectKind::MediaInquiry | InjectKind::StakeholderRequest
        ),
        _ => false,
    }
}

/// Whether a correction of `target` only touches the entry itself: a note, decision, fact,
/// lesson or mention (or an entry not in the slice yet). The newest entries are the likeliest
/// to be corrected, so the search runs from the end.
fn corrects_in_place(events: &[Stored<Event>], target: &Uuid) -> bool {
    match events.iter().rev().find(|s| s.entry.id == *target) {
        None => true,
        Some(s) => matches!(
            s.entry.body,
            Body::Note { .. }
                | Body::Decision { .. }
                | Body::Fact { .. }
                | Body::Lesson { .. }
                | Body::MediaMention { .. }
                | Body::Unknown
        ),
    }
}

impl Incident {
    /// Replaces the text of the decision, fact, lesson or mention recorded by `id`.
    fn set_entry_text(&mut self, id: &Uuid, text: &str) {
        if let Some(d) = self.decisions.iter_mut().find(|d| d.id == *id) {
            d.text = text.to_owned();
        } else if let Some((f, _)) = self.facts.iter_mut().find(|(f, _)| f.id == *id) {
            f.text = text.to_owned();
        } else if let Some((l, _)) = self.lessons.iter_mut().find(|(l, _)| l.id == *id) {
            l.text = text.to_owned();
        } else if let Some(m) = self.mentions.iter_mut().find(|m| m.id == *id) {
            m.text = text.to_owned();
        }
    }

    /// Removes the decision, fact, lesson or mention recorded by `id`.
    fn drop_entry(&mut self, id: &Uuid) {
        self.decisions.retain(|d| d.id != *id);
        self.facts.retain(|(f, _)| f.id != *id);
        self.lessons.retain(|(l, _)| l.id != *id);
        self.mentions.retain(|m| m.id != *id);
    }
}
