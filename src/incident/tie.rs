//! Which records belong to this incident.
//!
//! Every entry names its incident (the id of its `incident_opened` entry), so a journal file
//! carried into the wrong folder by a sync mix-up is recognised instead of changing this
//! incident's state: its entries are set aside and reported. An incident has exactly one
//! opening entry; any other one (whatever it names) is set aside too, so a stray copy can
//! never rename the incident. Entries written before entries named their incident belong to
//! any incident (a documented limit: such a copy is not recognised).

use uuid::Uuid;

use super::event::{Body, Event};
use crate::journal::{Name, Stored};

/// An entry set aside because it is not this incident's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Foreign {
    /// The entry's id.
    pub id: Uuid,
    /// Console and `seq` of the record, to find its file and line.
    pub console: Name,
    pub seq: u64,
    /// Why it is not this incident's.
    pub why: Why,
}

/// Why an entry is not this incident's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// It names another incident.
    OtherIncident(Uuid),
    /// A second `incident_opened` entry, titled so.
    SecondOpening { title: String },
}

impl Why {
    /// The finding's kind, as `crisisdesk verify` names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Why::OtherIncident(_) => "other-incident",
            Why::SecondOpening { .. } => "second-opening",
        }
    }

    /// What it means, in words.
    pub fn meaning(&self) -> String {
        match self {
            Why::OtherIncident(other) => format!(
                "a record of another incident ({other}), copied here by mistake (a sync mix-up?): it is not taken into this incident"
            ),
            Why::SecondOpening { title } => format!(
                "a second \"incident opened\" entry (\"{}\"): an incident is opened once, so it is not taken into this one",
                crate::sanitize::line(title)
            ),
        }
    }
}

/// The incident a journal records: `expected` (the id `incident.json` gives) when one of its
/// opening entries has that id, else the opening entry that happened first; `None` when there
/// is none. `events` are in merge order.
pub fn identity(events: &[Stored<Event>], expected: Option<Uuid>) -> Option<Uuid> {
    let mut openers = events
        .iter()
        .filter(|s| matches!(s.entry.body, Body::IncidentOpened { .. }))
        .map(|s| s.entry.id);
    let first = openers.next()?;
    match expected {
        Some(id) if id == first || openers.any(|o| o == id) => Some(id),
        _ => Some(first),
    }
}

/// Why `e` is not an entry of incident `id`, if it is not.
pub fn foreign(e: &Event, id: Uuid) -> Option<Why> {
    if let Some(other) = e.incident
        && other != id
    {
        return Some(Why::OtherIncident(other));
    }
    match &e.body {
        Body::IncidentOpened { title, .. } if e.id != id => Some(Why::SecondOpening {
            title: title.clone(),
        }),
        _ => None,
    }
}

/// Removes from `events` the entries that are not incident `id`'s and returns them.
pub fn separate(events: &mut Vec<Stored<Event>>, id: Uuid) -> Vec<Foreign> {
    let mut out = Vec::new();
    // One scan in the usual case (nothing foreign); the vector is only rewritten otherwise.
    if !events.iter().any(|s| foreign(&s.entry, id).is_some()) {
        return out;
    }
    events.retain(|s| match foreign(&s.entry, id) {
        Some(why) => {
            out.push(Foreign {
                id: s.entry.id,
                console: s.console.clone(),
                seq: s.seq,
                why,
            });
            false
        }
        None => true,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::event::Origin;

    fn stored(id: u128, incident: Option<u128>, body: Body) -> Stored<Event> {
        let at: jiff::Timestamp = "2026-11-27T10:00:00Z".parse().unwrap();
        let origin = Origin {
            author: "a".into(),
            console: "c".into(),
        };
        let mut e = Event::new(Uuid::from_u128(id), at, at, &origin, body);
        e.incident = incident.map(Uuid::from_u128);
        Stored {
            console: "c".into(),
            seq: id as u64,
            entry: e,
        }
    }

    fn opened(title: &str) -> Body {
        Body::IncidentOpened {
            title: title.into(),
            playbook_id: "p".into(),
            playbook_source: String::new(),
            severity: "s".into(),
            detected_at: "2026-11-27T08:00:00Z".parse().unwrap(),
            exercise: false,
        }
    }

    fn note() -> Body {
        Body::Note { text: "n".into() }
    }

    #[test]
    fn the_incident_is_the_expected_opener_else_the_first() {
        let events = vec![
            stored(1, Some(1), opened("other")),
            stored(2, Some(2), opened("this")),
        ];
        assert_eq!(
            identity(&events, Some(Uuid::from_u128(2))),
            Some(Uuid::from_u128(2))
        );
        assert_eq!(identity(&events, None), Some(Uuid::from_u128(1)));
        assert_eq!(
            identity(&events, Some(Uuid::from_u128(9))),
            Some(Uuid::from_u128(1))
        );
        assert_eq!(identity(&events[..0], None), None);
    }

    #[test]
    fn other_incidents_and_second_openings_are_set_aside() {
        let mut events = vec![
            stored(1, Some(1), opened("other")),
            stored(2, Some(2), opened("this")),
            stored(3, Some(1), note()),
            stored(4, Some(2), note()),
            stored(5, None, note()),
            stored(6, None, opened("old style")),
        ];
        let set_aside = separate(&mut events, Uuid::from_u128(2));
        let kept: Vec<u128> = events.iter().map(|s| s.entry.id.as_u128()).collect();
        assert_eq!(kept, [2, 4, 5]);
        let why: Vec<(u64, &str)> = set_aside.iter().map(|f| (f.seq, f.why.kind())).collect();
        assert_eq!(
            why,
            [
                (1, "other-incident"),
                (3, "other-incident"),
                (6, "second-opening")
            ]
        );
        assert!(set_aside[2].why.meaning().contains("old style"));
    }
}
