//! The timeline's rows under a kind filter and a search, kept between frames.
//!
//! Drawing a frame must not look at a million entries. So what each entry is (which kind
//! filters show it) and its text as a search sees it (lowercased) are worked out once, as
//! entries arrive, and the rows for the filter and search in force are kept until one of them
//! changes. A search that grows (`call` → `call centre`) only looks again at the entries the
//! shorter one found; another search runs once over the lowercased texts, held end to end in
//! one buffer so that one vectorised substring search goes through them all.
//!
//! The rows are always exactly those of [`super::rows::timeline_rows_uncached`]: that is what
//! the tests compare them with.

use std::sync::Arc;

use memchr::memmem;

use super::model::TIMELINE_FILTERS;
use crate::incident::event::Event;
use crate::incident::state::Incident;
use crate::journal::Stored;

/// Ends each lowercased text and author in the search buffer: a search for text without it
/// cannot match across two of them.
const SEP: u8 = 0;

/// Whether the timeline's kind filter `filter` shows an entry of `kind`.
pub fn kind_shown(filter: &str, kind: &str) -> bool {
    match filter {
        "message" => kind.starts_with("message"),
        "media" => kind.starts_with("media") || kind == "inquiry_answered",
        "milestone" => kind == "milestone_marked",
        "severity" => kind == "severity_changed",
        k => kind == k,
    }
}

/// Whether the search `q` (lowercased) finds an entry: in its text or its author, ignoring
/// case.
pub fn search_finds(e: &Event, q: &str) -> bool {
    q.is_empty()
        || e.body.text().is_some_and(|t| t.to_lowercase().contains(q))
        || e.author.to_lowercase().contains(q)
}

/// The kept rows and what they were made from; one per open incident.
#[derive(Clone, Default)]
pub struct TimelineCache {
    /// Per entry (journal order): bit `f` is set when `TIMELINE_FILTERS[f]` shows it.
    kinds: Vec<u8>,
    /// The entries' lowercased texts and authors, built on the first search.
    text: Option<Arc<SearchText>>,
    /// The latest search (lowercased) and, per entry, whether it finds it.
    hits: Option<(String, Vec<bool>)>,
    /// What `rows` are for.
    key: Option<Key>,
    rows: Vec<usize>,
}

impl std::fmt::Debug for TimelineCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TimelineCache")
            .field("entries", &self.kinds.len())
            .field("key", &self.key)
            .field("rows", &self.rows.len())
            .finish_non_exhaustive()
    }
}

/// The filter and search some rows are for, and the fold they were taken from.
#[derive(Clone, Debug)]
struct Key {
    /// The folded incident (held, so that its address is never another fold's).
    incident: Arc<Incident>,
    filter: Option<&'static str>,
    search: String,
}

/// Lowercased texts end to end: entry `i` is `buf[starts[i]..starts[i + 1]]`, its text (if
/// any), [`SEP`], its author, [`SEP`].
#[derive(Clone, Default)]
struct SearchText {
    buf: Vec<u8>,
    starts: Vec<usize>,
}

impl SearchText {
    fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    fn extend(&mut self, events: &[Stored<Event>]) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        for s in &events[self.len()..] {
            let e = &s.entry;
            if let Some(t) = e.body.text() {
                self.buf.extend_from_slice(t.to_lowercase().as_bytes());
            }
            self.buf.push(SEP);
            self.buf
                .extend_from_slice(e.author.to_lowercase().as_bytes());
            self.buf.push(SEP);
            self.starts.push(self.buf.len());
        }
    }

    fn entry(&self, i: usize) -> &[u8] {
        &self.buf[self.starts[i]..self.starts[i + 1]]
    }

    /// Per entry, whether `finder` finds something in it: one pass over the whole buffer.
    fn scan(&self, finder: &memmem::Finder<'_>) -> Vec<bool> {
        let mut hits = vec![false; self.len()];
        let mut pos = 0;
        while pos < self.buf.len() {
            let Some(off) = finder.find(&self.buf[pos..]) else {
                break;
            };
            let at = pos + off;
            let i = self.starts.partition_point(|&s| s <= at) - 1;
            hits[i] = true;
            // The rest of this entry need not be searched.
            pos = self.starts[i + 1];
        }
        hits
    }
}

impl TimelineCache {
    /// The rows kept for `inc` under `filter` and `search`, if they are the ones kept.
    pub fn rows_for(
        &self,
        inc: &Arc<Incident>,
        filter: Option<&'static str>,
        search: &str,
    ) -> Option<&[usize]> {
        let key = self.key.as_ref()?;
        (Arc::ptr_eq(&key.incident, inc) && key.filter == filter && key.search == search)
            .then_some(self.rows.as_slice())
    }

    /// Brings the kept rows up to date for `inc` (folded from `events`), `filter` and
    /// `search`. `previous` is the fold the rows were kept for before, if the incident was
    /// folded again: when the new fold only added entries after its rows, the rows only grow.
    pub fn update(
        &mut self,
        events: &[Stored<Event>],
        inc: &Arc<Incident>,
        filter: Option<&'static str>,
        search: &str,
        previous: Option<&Arc<Incident>>,
    ) {
        if filter.is_none() && search.is_empty() {
            // The fold's own order is shown: nothing to keep.
            self.key = None;
            self.rows = Vec::new();
            return;
        }
        if self.rows_for(inc, filter, search).is_some() {
            return;
        }
        self.extend_kinds(events);
        let q = search.to_lowercase();
        self.search(events, &q);
        let key = Key {
            incident: Arc::clone(inc),
            filter,
            search: search.to_owned(),
        };
        let grown = previous.filter(|p| {
            self.key.as_ref().is_some_and(|k| {
                Arc::ptr_eq(&k.incident, p) && k.filter == filter && k.search == search
            }) && inc.order.len() >= p.order.len()
                && inc.order[..p.order.len()] == p.order[..]
        });
        let from = match grown {
            Some(p) => p.order.len(),
            None => {
                self.rows.clear();
                0
            }
        };
        let mut rows = std::mem::take(&mut self.rows);
        {
            let shown = self.shown(events, filter, &q);
            rows.extend(inc.order[from..].iter().copied().filter(|&i| shown(i)));
        }
        self.rows = rows;
        self.key = Some(key);
    }

    /// Whether entry `i` is shown under `filter` and the search `q` (lowercased), by what is
    /// kept (`hits` must be for `q`).
    fn shown<'a>(
        &'a self,
        events: &'a [Stored<Event>],
        filter: Option<&'static str>,
        q: &'a str,
    ) -> impl Fn(usize) -> bool + 'a {
        let bit = filter.map(|f| TIMELINE_FILTERS.iter().position(|t| *t == Some(f)));
        let hits = self.hits.as_ref().map(|(_, h)| h);
        move |i| {
            let kind_ok = match bit {
                None => true,
                Some(Some(b)) => self.kinds[i] & (1 << b) != 0,
                // A filter the `k` key does not cycle through: asked of the entry itself.
                Some(None) => kind_shown(filter.unwrap_or(""), events[i].entry.body.kind()),
            };
            kind_ok
                && (q.is_empty()
                    || match hits {
                        Some(h) => h[i],
                        None => search_finds(&events[i].entry, q),
                    })
        }
    }

    fn extend_kinds(&mut self, events: &[Stored<Event>]) {
        for s in &events[self.kinds.len()..] {
            let kind = s.entry.body.kind();
            let mut bits = 0u8;
            for (b, f) in TIMELINE_FILTERS.iter().enumerate() {
                if let Some(f) = f
                    && kind_shown(f, kind)
                {
                    bits |= 1 << b;
                }
            }
            self.kinds.push(bits);
        }
    }

    /// Makes `hits` those of the search `q` (lowercased) for every entry.
    fn search(&mut self, events: &[Stored<Event>], q: &str) {
        if q.is_empty() {
            self.hits = None;
            return;
        }
        if q.as_bytes().contains(&SEP) {
            // Could match across the buffer's separators: asked of each entry instead.
            self.hits = None;
            return;
        }
        let text = Arc::make_mut(self.text.get_or_insert_with(Default::default));
        let before = text.len();
        text.extend(events);
        let text = &**self.text.as_ref().expect("built above");
        let finder = memmem::Finder::new(q.as_bytes());
        let find = |i: usize| finder.find(text.entry(i)).is_some();
        match &mut self.hits {
            Some((was, hits)) if was == q && hits.len() == before => {
                // Only entries that arrived since.
                hits.extend((before..text.len()).map(find));
            }
            // When the shorter search found most entries, one pass over all is quicker.
            Some((was, hits))
                if q.contains(was.as_str())
                    && hits.len() == before
                    && hits.iter().filter(|h| **h).count() < before / 8 =>
            {
                // A longer search finds a subset of what the shorter one found: only those
                // are looked at again (and entries that arrived since).
                for (i, h) in hits.iter_mut().enumerate() {
                    if *h {
                        *h = find(i);
                    }
                }
                hits.extend((before..text.len()).map(find));
                *was = q.to_owned();
            }
            _ => self.hits = Some((q.to_owned(), text.scan(&finder))),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use jiff::Timestamp;
    use proptest::prelude::*;
    use uuid::Uuid;

    use crate::incident::event::{Body, Event, Origin};
    use crate::incident::fold;
    use crate::journal::Stored;
    use crate::tui::model::{Entries, IncidentView, Loaded, SaveState, TIMELINE_FILTERS, View};
    use crate::tui::rows::{timeline_rows, timeline_rows_uncached};

    const PLAYBOOK: &str = include_str!("../../playbooks/data-breach.json");
    /// Letters whose lowercase is not one byte for one byte, or depends on what follows.
    const LETTERS: [&str; 10] = ["a", "A", "b", "ß", "Σ", "σ", "İ", "i", " ", "\0"];

    fn t(minute: i64) -> Timestamp {
        Timestamp::from_second(1_795_766_400 + minute * 60).unwrap()
    }

    fn stored(n: u64, minute: i64, author: &str, body: Body) -> Stored<Event> {
        let origin = Origin {
            author: author.into(),
            console: "c".into(),
        };
        Stored {
            console: "c".into(),
            seq: n,
            entry: Event::new(
                Uuid::from_u128(n.into()),
                t(minute),
                t(minute),
                &origin,
                body,
            ),
        }
    }

    fn opened() -> Stored<Event> {
        stored(
            1,
            0,
            "Anna",
            Body::IncidentOpened {
                title: "T".into(),
                playbook_id: "data-breach".into(),
                playbook_source: PLAYBOOK.into(),
                severity: "low".into(),
                detected_at: t(0),
                exercise: false,
            },
        )
    }

    #[derive(Debug, Clone)]
    enum Op {
        Filter(usize),
        Search(String),
        Type(String),
        Erase,
        /// Entries: (kind, minute, author, text).
        Arrive(Vec<(u8, i64, String, String)>),
    }

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(LETTERS.to_vec()), 0..6).prop_map(|v| v.concat())
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0..TIMELINE_FILTERS.len()).prop_map(Op::Filter),
            text().prop_map(Op::Search),
            text().prop_map(Op::Type),
            Just(Op::Erase),
            prop::collection::vec((0u8..5, 0i64..40, text(), text()), 1..6).prop_map(Op::Arrive),
        ]
    }

    fn view(events: &Entries) -> IncidentView {
        let inc = fold(&events.read()).unwrap();
        let check = crate::check::Checked::new(&inc, &events.read());
        IncidentView {
            data: Loaded {
                path: "x".into(),
                console: "c".into(),
                events: events.clone(),
                incident: Arc::new(inc),
                health: Default::default(),
                check,
            },
            view: View::Timeline,
            cursor: [0; 7],
            timeline_filter: None,
            search: String::new(),
            timeline_cache: Default::default(),
            save: SaveState::Saved,
            told_whom: false,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Whatever the filter and search do and whatever arrives (back-dated entries
        /// included), the kept rows are the rows worked out afresh, and they are kept.
        #[test]
        fn kept_rows_are_the_rows_worked_out_afresh(ops in prop::collection::vec(op(), 1..25)) {
            let events = Entries::new(vec![opened()]);
            let mut iv = view(&events);
            let mut n = 1u64;
            for op in ops {
                match op {
                    Op::Filter(f) => iv.timeline_filter = TIMELINE_FILTERS[f],
                    Op::Search(q) => iv.search = q,
                    Op::Type(more) => iv.search.push_str(&more),
                    Op::Erase => {
                        iv.search.pop();
                    }
                    Op::Arrive(list) => {
                        let fresh = list
                            .into_iter()
                            .map(|(kind, minute, author, text)| {
                                n += 1;
                                let body = match kind {
                                    0 => Body::Decision { text },
                                    1 => Body::Fact { text, confirmed: true },
                                    2 => Body::MilestoneMarked {
                                        milestone: "contained".into(),
                                        text: Some(text),
                                    },
                                    _ => Body::Note { text },
                                };
                                stored(n, minute, &author, body)
                            })
                            .collect();
                        events.append(fresh);
                        let previous = std::mem::replace(&mut iv.data, view(&events).data);
                        iv.refresh_rows(Some(&previous.incident));
                        prop_assert_eq!(timeline_rows(&iv).into_owned(), timeline_rows_uncached(&iv));
                        continue;
                    }
                }
                iv.refresh_rows(None);
                let kept = timeline_rows(&iv);
                prop_assert!(
                    matches!(kept, std::borrow::Cow::Borrowed(_)),
                    "the rows are kept, not worked out per frame"
                );
                prop_assert_eq!(kept.into_owned(), timeline_rows_uncached(&iv));
            }
        }
    }
}
