//! The incremental fold: entries folded in batch by batch, as a console receives them, give
//! exactly the incident a full fold of everything gives, whatever the entries are (back-dated,
//! corrections, references to things not recorded yet) and however they are cut into batches.

use std::collections::BTreeMap;

use crisisdesk::check::Checked;
use crisisdesk::incident::event::{Body, Event, LessonKind, Origin};
use crisisdesk::incident::state::{Extended, Incident, LiveFold, fold};
use crisisdesk::incident::status::JournalHealth;
use crisisdesk::journal::{Integrity, JournalReport, Stored};
use crisisdesk::tui::app::Loaded;
use crisisdesk::tui::live::LiveState;
use jiff::Timestamp;
use proptest::prelude::*;
use uuid::Uuid;

const PLAYBOOK: &str = r#"{
  "format": "crisisdesk.playbook.v1",
  "id": "test",
  "title": "Test playbook",
  "timezone": "Europe/Warsaw",
  "org": { "name": "Acme" },
  "severities": [
    { "id": "low", "name": "Low", "criteria": ["contained"], "update_every": "24h" },
    { "id": "high", "name": "High", "criteria": ["public"], "update_every": "4h" }
  ],
  "milestones": [{ "id": "aware", "name": "Breach confirmed" }],
  "roles": [{ "id": "lead", "title": "Crisis lead" }, { "id": "legal", "title": "Legal" }],
  "stakeholders": [
    { "id": "press", "name": "Media", "group": "media", "approval": ["lead", "legal"],
      "deadlines": [{ "label": "Holding statement", "within": "1h", "from": "detected" }] },
    { "id": "dpa", "name": "Regulator", "group": "regulator", "approval": ["legal"],
      "deadlines": [{ "id": "early", "label": "Early warning", "within": "24h", "from": "aware" }] },
    { "id": "sec", "name": "Investors", "group": "investors", "min_severity": "high" }
  ],
  "checklists": [{ "phase": "First hour", "items": [
    { "id": "h1", "text": "Convene the team", "due": "30m" }
  ] }]
}"#;

const T0: i64 = 1_795_766_400; // 2026-11-27T08:00:00Z

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.below(items.len() as u64) as usize])
    }
}

fn id(n: u64) -> Uuid {
    Uuid::from_u128(u128::from(n))
}

/// A random incident: entries in the order consoles wrote them (each console's `seq` rising),
/// mostly dated as written, some back-dated, some referring to things that do not exist or
/// are recorded later.
fn script(seed: u64, len: u64) -> Vec<Stored<Event>> {
    let mut rng = Rng(seed);
    let mut seqs = [0u64; 3];
    let mut out = Vec::new();
    let (mut drafts, mut inquiries, mut actions, mut any) = (vec![], vec![], vec![], vec![]);
    let mut push = |out: &mut Vec<Stored<Event>>, rng: &mut Rng, n: u64, minute: i64, body| {
        let c = rng.below(3) as usize;
        seqs[c] += 1;
        let console = ["c1", "c2", "c3"][c];
        // One in eight is back-dated by up to an hour: another machine's clock, or --at.
        let at = if rng.below(8) == 0 {
            minute - rng.below(60) as i64
        } else {
            minute
        };
        let at = Timestamp::from_second(T0 + at * 60).unwrap();
        let origin = Origin {
            author: format!("{console}@host"),
            console: console.into(),
        };
        out.push(Stored {
            console: console.into(),
            seq: seqs[c],
            entry: Event::new(id(n), at, at, &origin, body),
        });
    };
    push(
        &mut out,
        &mut rng,
        1,
        0,
        Body::IncidentOpened {
            title: "Records exposed".into(),
            playbook_id: "test".into(),
            playbook_source: PLAYBOOK.into(),
            severity: "low".into(),
            detected_at: Timestamp::from_second(T0).unwrap(),
            exercise: false,
        },
    );
    for n in 2..len + 2 {
        let minute = n as i64 * 3;
        // A reference to something recorded, or now and then to an id recorded later or never.
        let target = |rng: &mut Rng, of: &[u64]| {
            if rng.below(6) == 0 {
                id(n + 1 + rng.below(4))
            } else {
                id(rng.pick(of).unwrap_or(n + 1))
            }
        };
        let text = format!("text {n}");
        let body = match rng.below(22) {
            0..=2 => Body::Note { text },
            3 => Body::Decision { text },
            4 => Body::Fact {
                text,
                confirmed: rng.below(2) == 0,
            },
            5 => Body::Lesson {
                text,
                lesson: LessonKind::Lucky,
            },
            6 => Body::MediaMention {
                source: "Reuters".into(),
                url: None,
                text,
                sentiment: None,
            },
            7 => Body::MilestoneMarked {
                milestone: "aware".into(),
                text: None,
            },
            8 => Body::SeverityChanged {
                severity: ["low", "high"][rng.below(2) as usize].into(),
                reason: None,
            },
            9 => {
                drafts.push(n);
                Body::MessageDrafted {
                    stakeholder: ["press", "dpa"][rng.below(2) as usize].into(),
                    template: None,
                    channel: None,
                    text,
                }
            }
            10 => Body::MessageEdited {
                message: target(&mut rng, &drafts),
                text,
            },
            11 | 12 => Body::MessageApproved {
                message: target(&mut rng, &drafts),
                role: ["lead", "legal"][rng.below(2) as usize].into(),
                comment: None,
            },
            13 => Body::MessageObjected {
                message: target(&mut rng, &drafts),
                role: "legal".into(),
                comment: text,
            },
            14 => Body::MessageSent {
                stakeholder: ["press", "dpa", "sec"][rng.below(3) as usize].into(),
                message: (rng.below(2) == 0).then(|| target(&mut rng, &drafts)),
                text: Some(text),
                channel: None,
                fulfils: None,
                override_reason: None,
            },
            15 => {
                inquiries.push(n);
                Body::MediaInquiry {
                    from: "BBC".into(),
                    journalist: None,
                    question: text,
                    reply_within: Some("1h".parse().unwrap()),
                }
            }
            16 => Body::InquiryAnswered {
                inquiry: target(&mut rng, &inquiries),
                text,
            },
            17 => {
                actions.push(n);
                Body::ActionAdded {
                    text,
                    owner: None,
                    due: None,
                }
            }
            18 => match rng.below(2) {
                0 => Body::ActionDone {
                    action: target(&mut rng, &actions),
                },
                _ => Body::ChecklistDone { item: "h1".into() },
            },
            19 => Body::Amend {
                target: target(&mut rng, &any),
                text: (rng.below(3) > 0).then(|| format!("amended {n}")),
                new_at: (rng.below(4) == 0)
                    .then(|| Timestamp::from_second(T0 + rng.below(300) as i64 * 60).unwrap()),
                reason: None,
            },
            20 => Body::Retract {
                target: target(&mut rng, &any),
                reason: "wrong".into(),
            },
            _ => Body::IncidentClosed { text: None },
        };
        any.push(n);
        push(&mut out, &mut rng, n, minute, body);
    }
    out
}

/// The incident with its hash maps in a fixed order, for comparing two folds.
fn canonical(inc: &Incident) -> String {
    let mut inc = inc.clone();
    let retracted: BTreeMap<_, _> = inc.retracted.drain().collect();
    let amended: BTreeMap<_, _> = inc.amended.drain().collect();
    format!("{inc:?}\n{retracted:?}\n{amended:?}")
}

fn merge_order(events: &mut [Stored<Event>]) {
    events.sort_by(|a, b| (a.entry.at, &a.console, a.seq).cmp(&(b.entry.at, &b.console, b.seq)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A prefix is loaded (in merge order, as the journal reader gives it), then the rest
    /// arrives in batches in the order it was written; after every batch the live fold is the
    /// full fold of everything so far.
    #[test]
    fn folding_in_batches_gives_the_full_fold(
        seed in any::<u64>(),
        len in 1u64..70,
        cuts in prop::collection::vec(1usize..12, 1..10),
    ) {
        let written = script(seed, len);
        let first = cuts[0].min(written.len());
        let mut events: Vec<Stored<Event>> = written[..first].to_vec();
        merge_order(&mut events);
        let mut live = match LiveFold::new(&events) {
            Ok(live) => live,
            // The opening entry is not in the prefix: nothing to extend yet.
            Err(_) => return Ok(()),
        };
        let mut at = first;
        let mut cuts = cuts[1..].iter().cycle();
        while at < written.len() {
            let step = *cuts.next().unwrap_or(&1);
            let end = (at + step).min(written.len());
            events.extend(written[at..end].iter().cloned());
            at = end;
            live.extend(&events).unwrap();
            let full = fold(&events).unwrap();
            prop_assert_eq!(canonical(live.incident()), canonical(&full));
            prop_assert_eq!(live.len(), events.len());
        }
    }
}

/// A journal report as a clean read gives it.
fn clean_report(n: usize) -> JournalReport {
    JournalReport {
        integrity: Integrity::Ok,
        records: n as u64,
        entries: n as u64,
        duplicates: 0,
        conflicts: Vec::new(),
        files: Vec::new(),
    }
}

/// What the console's screens are given, against everything worked out afresh from the
/// entries read so far.
fn same_as_from_scratch(loaded: &Loaded, events: &[Stored<Event>]) -> Result<(), TestCaseError> {
    let full = fold(events).unwrap();
    prop_assert_eq!(canonical(&loaded.incident), canonical(&full));
    let report = clean_report(events.len());
    prop_assert_eq!(&loaded.health, &JournalHealth::new(events, &report));
    let check = Checked::new(&full, events);
    prop_assert_eq!(
        format!("{:?}", loaded.check.findings),
        format!("{:?}", check.findings)
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// The console's worker: entries arrive batch by batch (back-dated ones, corrections and
    /// references to things recorded later among them) and after each batch what the screens
    /// are given is what a full load of everything so far gives.
    #[test]
    fn the_console_state_after_arrivals_is_the_full_fold(
        seed in any::<u64>(),
        len in 1u64..70,
        cuts in prop::collection::vec(1usize..12, 1..10),
    ) {
        let written = script(seed, len);
        let first = cuts[0].min(written.len());
        let mut events: Vec<Stored<Event>> = written[..first].to_vec();
        merge_order(&mut events);
        let mut state = LiveState::new("incident".into(), events.clone());
        let folds = state.loaded("c0".into(), &clean_report(events.len()), &[]);
        prop_assert_eq!(folds.is_some(), fold(&events).is_ok());
        let mut at = first;
        let mut cuts = cuts[1..].iter().cycle();
        while at < written.len() {
            let step = *cuts.next().unwrap_or(&1);
            let end = (at + step).min(written.len());
            state.append(written[at..end].to_vec());
            events.extend(written[at..end].iter().cloned());
            at = end;
            match state.loaded("c0".into(), &clean_report(events.len()), &[]) {
                Some(loaded) => same_as_from_scratch(&loaded, &events)?,
                None => prop_assert!(fold(&events).is_err()),
            }
        }
    }
}

#[test]
fn the_console_applies_new_entries_and_refolds_only_for_back_dated_ones() {
    let mut events: Vec<Stored<Event>> = script(11, 0);
    let mut state = LiveState::new("incident".into(), events.clone());
    assert_eq!(state.extend(), Some(Extended::Refolded), "the first fold");
    assert_eq!(
        state.extend(),
        Some(Extended::Nothing),
        "a poll that found nothing"
    );
    let origin = Origin {
        author: "bob@other".into(),
        console: "bob@other-1".into(),
    };
    let last = events.iter().map(|s| s.entry.at).max().unwrap();
    let note = |n: u64, at: Timestamp, seq: u64| Stored {
        console: "bob@other-1".into(),
        seq,
        entry: Event::new(id(n), at, at, &origin, Body::Note { text: "y".into() }),
    };
    let later = note(500, last + jiff::SignedDuration::from_secs(60), 1);
    state.append(vec![later.clone()]);
    events.push(later);
    assert_eq!(state.extend(), Some(Extended::Applied));
    same_as_from_scratch(
        &state
            .loaded("c0".into(), &clean_report(events.len()), &[])
            .unwrap(),
        &events,
    )
    .unwrap();
    // Another console's clock running behind: dated before what was applied.
    let behind = note(501, Timestamp::from_second(T0).unwrap(), 2);
    state.append(vec![behind.clone()]);
    events.push(behind);
    assert_eq!(state.extend(), Some(Extended::Refolded));
    let loaded = state
        .loaded("c0".into(), &clean_report(events.len()), &[])
        .unwrap();
    same_as_from_scratch(&loaded, &events).unwrap();
    assert_eq!(loaded.console, "c0");
}

#[test]
fn ordinary_entries_are_applied_in_place_and_back_dated_ones_refold() {
    let written = script(7, 40);
    let mut events: Vec<Stored<Event>> = written[..1].to_vec();
    let mut live = LiveFold::new(&events).unwrap();
    assert_eq!(live.extend(&events).unwrap(), Extended::Nothing);

    let origin = Origin {
        author: "anna@host".into(),
        console: "c9".into(),
    };
    let note = |n: u64, minute: i64, seq: u64| {
        let at = Timestamp::from_second(T0 + minute * 60).unwrap();
        Stored {
            console: "c9".into(),
            seq,
            entry: Event::new(id(n), at, at, &origin, Body::Note { text: "x".into() }),
        }
    };
    events.push(note(100, 10, 1));
    events.push(note(101, 11, 2));
    assert_eq!(live.extend(&events).unwrap(), Extended::Applied);
    // Dated before the latest entry applied: only a full fold puts it in its place.
    events.push(note(102, 5, 3));
    assert_eq!(live.extend(&events).unwrap(), Extended::Refolded);
    assert_eq!(live.incident().order, vec![0, 3, 1, 2]);
    assert_eq!(
        canonical(live.incident()),
        canonical(&fold(&events).unwrap())
    );
}

#[test]
fn a_correction_that_arrives_before_its_entry_still_counts() {
    let mut events: Vec<Stored<Event>> = script(3, 0);
    let mut live = LiveFold::new(&events).unwrap();
    let origin = Origin {
        author: "anna@host".into(),
        console: "c9".into(),
    };
    let entry = |n: u64, minute: i64, seq: u64, body: Body| {
        let at = Timestamp::from_second(T0 + minute * 60).unwrap();
        Stored {
            console: "c9".into(),
            seq,
            entry: Event::new(id(n), at, at, &origin, body),
        }
    };
    let decision = |n: u64| Body::Decision {
        text: format!("decision {n}"),
    };
    let retract = |n: u64| Body::Retract {
        target: id(n),
        reason: "wrong".into(),
    };
    // In one batch: the retraction (its machine's clock ahead) before the decision...
    events.push(entry(100, 10, 1, retract(101)));
    events.push(entry(101, 11, 2, decision(101)));
    live.extend(&events).unwrap();
    assert!(live.incident().decisions.is_empty());
    // ...and across batches.
    events.push(entry(102, 12, 3, retract(103)));
    live.extend(&events).unwrap();
    events.push(entry(103, 13, 4, decision(103)));
    live.extend(&events).unwrap();
    assert!(live.incident().decisions.is_empty());
    assert_eq!(
        canonical(live.incident()),
        canonical(&fold(&events).unwrap())
    );
}
