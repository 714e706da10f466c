//! A scripted tabletop exercise for the after-action report tests, written to a real journal
//! folder: fixed ids, fixed times, four people on four consoles plus the exercise clock's own
//! deliveries, the shipped data-breach playbook (Europe/Berlin: CET is UTC+1 in March) and its
//! first five injects as a CSV MSEL. Every figure of the after-action report is worked out by
//! hand in `tests/report_exercise.rs`.
//!
//! The clock runs at ten times real speed from real 09:10 UTC on Monday 2 March 2026, when it
//! is 16:00 UTC on Friday 6 March in the scenario. Scenario times (UTC) — the story:
//! ```text
//! 16:00 fran opens and plans the exercise (real 09:00), starts the clock (real 09:10)
//! 16:00 i01 delivered (info)           16:05 anna: note      16:08 ben: decision
//! 16:10 eva rates i01: 1 P, 2 M
//! 16:25 i02 delivered (info)           16:30 anna: milestone aware   16:35 ben: severity medium
//! 16:40 eva rates i01: 2 S (replaces M); i02: 1 P, 3 S
//! 16:50 i03 delivered (request, reply within 30 min: due 17:20)
//!       16:55 anna drafts #300 to employees; 17:02 approves it (crisis lead); 17:05 sends it
//!       17:10 ben answers the request (met, 20 min)   17:12 ben: note, withdrawn 17:13
//! 17:20 i04 delivered (media inquiry, reply within 1 h: due 18:20)
//!       17:25 anna drafts #310 to the media; 17:35 ben approves (legal); 17:40 anna (crisis
//!       lead); 17:45 anna sends it
//! 17:45 fran skips i05 ("running late")
//! 18:00 fran improvises x1 (escalation from the CEO)
//!       18:05 ben: note with hostile text   18:35 anna answers i04 (late: 1 h 15 min)
//! 18:50 hot wash: a lesson of each kind     18:55 ben adds a corrective action
//! 19:00 fran closes the exercise (real 09:28)
//! 19:00 eva rates after the close (real 09:40): i03 1 P, 2 U; i04 2 M (hostile note), 3 P
//! ```
//! Hand-checked ratings in force: P 4 (i01 1, i02 1, i03 1, i04 3), S 2 (i01 2, i02 3), M 1
//! (i04 2), U 1 (i03 2); not rated 4 (i01 3, i02 2, i03 3, i04 1); not played 3 (i05, skipped);
//! 15 expected actions in all (x1, improvised, has none).

use std::path::{Path, PathBuf};

use crisisdesk::exercise::deliver::{CLOCK_AUTHOR, as_delivered, delivery_id, skip_id};
use crisisdesk::incident::event::{Body, Event, LessonKind, Origin, Rating};
use crisisdesk::journal::JournalWriter;
use crisisdesk::playbook::model::{Inject, InjectKind};
use jiff::{SignedDuration, Timestamp};

use super::{data_breach, id, t};

/// The exercise's id (its `incident_opened` entry).
pub const EXERCISE: u128 = 1;

/// Scenario time the exercise starts at.
pub const SCENARIO_START: &str = "2026-03-06T16:00:00Z";

/// Real time the facilitator starts the clock.
pub const REAL_START: &str = "2026-03-02T09:10:00Z";

/// A player's note made of Markdown and HTML syntax, a script, an escape sequence and a bidi
/// override.
pub const HOSTILE_NOTE: &str = "Called the CEO | a | b |\n# heading\n<script>alert('x')</script>\n\u{1b}[31mRED\u{1b}[0m \u{202e}evil";

/// An evaluator's note with a script in it.
pub const HOSTILE_RATING: &str =
    "<script>alert('rated')</script> statement out before the deadline, the answer after it";

/// The real time at which the clock (running at ×10 from `REAL_START`) reaches `scenario`.
pub fn real(scenario: &str) -> Timestamp {
    let gone = t(scenario).duration_since(t(SCENARIO_START));
    t(REAL_START) + SignedDuration::from_secs(gone.as_secs() / 10)
}

/// The first five injects of the shipped playbook: the exercise's MSEL.
pub fn msel() -> Vec<Inject> {
    crisisdesk::playbook::parse("data-breach.json", data_breach().as_bytes(), None)
        .expect("the shipped playbook parses")
        .playbook
        .injects
        .into_iter()
        .take(5)
        .collect()
}

struct Consoles {
    writers: Vec<(String, JournalWriter)>,
}

impl Consoles {
    fn new(journal: &Path) -> Consoles {
        let writers = ["fran@desk", "eva@tablet", "anna@laptop", "ben@desk"]
            .iter()
            .enumerate()
            .map(|(k, who)| {
                let w = JournalWriter::create_with_session(journal, who, id(0xc0 + k as u128))
                    .expect("a journal file");
                ((*who).to_owned(), w)
            })
            .collect();
        Consoles { writers }
    }

    /// Writes an entry by `who` at scenario time `at`, recorded at real time `recorded`.
    fn write_at(&mut self, who: &str, n: u128, at: &str, recorded: Timestamp, body: Body) {
        let (name, w) = self
            .writers
            .iter_mut()
            .find(|(name, _)| name.starts_with(who))
            .expect("a known console");
        let origin = Origin {
            author: name.as_str().into(),
            console: w.console_id().to_owned(),
        };
        let mut e = Event::new(id(n), t(at), recorded, &origin, body);
        e.incident = Some(id(EXERCISE));
        w.append(&e).expect("appended");
    }

    /// Writes an entry recorded when the clock reached its scenario time.
    fn write(&mut self, who: &str, n: u128, at: &str, body: Body) {
        self.write_at(who, n, at, real(at), body);
    }

    /// The exercise clock's on-time delivery of a planned inject, written by fran's console
    /// (whichever console runs the delivery pass writes the same entry).
    fn deliver(&mut self, inject: &Inject, at: &str) {
        let (_, w) = &mut self.writers[0];
        let e = Event {
            id: delivery_id(id(EXERCISE), &inject.id),
            at: t(at),
            recorded_at: real(at),
            author: CLOCK_AUTHOR.into(),
            console: CLOCK_AUTHOR.replace(' ', "-").into(),
            incident: Some(id(EXERCISE)),
            body: Body::InjectDelivered {
                inject: Box::new(as_delivered(inject)),
                early: false,
                improvised: false,
            },
        };
        w.append(&e).expect("appended");
    }
}

fn rate(inject: &str, item: u32, rating: Rating, note: Option<&str>) -> Body {
    Body::InjectRated {
        inject: inject.into(),
        item,
        rating,
        note: note.map(Into::into),
    }
}

fn approve(n: u128, role: &str) -> Body {
    Body::MessageApproved {
        message: id(n),
        role: role.into(),
        comment: None,
    }
}

fn sent(stakeholder: &str, n: u128, channel: &str) -> Body {
    Body::MessageSent {
        stakeholder: stakeholder.into(),
        message: Some(id(n)),
        text: None,
        channel: Some(channel.into()),
        fulfils: None,
        override_reason: None,
    }
}

fn lesson(text: &str, lesson: LessonKind) -> Body {
    Body::Lesson {
        text: text.into(),
        lesson,
    }
}

/// Writes the scripted exercise into `parent/drill` and returns the folder. With `closed`
/// false it stops before the hot wash (the clock still running: an interim report).
pub fn scripted_exercise(parent: &Path, closed: bool) -> PathBuf {
    let dir = parent.join("drill");
    let journal = dir.join("journal");
    std::fs::create_dir_all(&journal).expect("folder");
    let injects = msel();
    let inject = |n: usize| &injects[n];
    let mut c = Consoles::new(&journal);
    let created = t("2026-03-02T09:00:00Z");
    c.write_at(
        "fran",
        EXERCISE,
        SCENARIO_START,
        created,
        Body::IncidentOpened {
            title: "Spring drill: customer data export".into(),
            playbook_id: "data-breach".into(),
            playbook_source: data_breach().into(),
            severity: "low".into(),
            detected_at: t(SCENARIO_START),
            exercise: true,
        },
    );
    c.write_at(
        "fran",
        2,
        SCENARIO_START,
        created,
        Body::ExercisePlanned {
            scenario_start: t(SCENARIO_START),
            speed: 10,
            injects: injects.clone(),
            msel: Some("drill-msel.csv".into()),
        },
    );
    c.write("fran", 3, SCENARIO_START, Body::ExerciseStarted);
    c.deliver(inject(0), "2026-03-06T16:00:00Z");
    c.write(
        "anna",
        10,
        "2026-03-06T16:05:00Z",
        Body::Note {
            text: "Incident log opened; detection at 17:00".into(),
        },
    );
    c.write(
        "ben",
        11,
        "2026-03-06T16:08:00Z",
        Body::Decision {
            text: "Isolate the export server; preserve the logs".into(),
        },
    );
    c.write(
        "eva",
        12,
        "2026-03-06T16:10:00Z",
        rate(
            "i01",
            1,
            Rating::Performed,
            Some("Logs preserved before any wipe"),
        ),
    );
    c.write(
        "eva",
        13,
        "2026-03-06T16:10:00Z",
        rate("i01", 2, Rating::MajorChallenges, Some("Log opened late")),
    );
    c.deliver(inject(1), "2026-03-06T16:25:00Z");
    c.write(
        "anna",
        20,
        "2026-03-06T16:30:00Z",
        Body::MilestoneMarked {
            milestone: "aware".into(),
            text: Some("forensics confirm the export".into()),
        },
    );
    c.write(
        "ben",
        21,
        "2026-03-06T16:35:00Z",
        Body::SeverityChanged {
            severity: "medium".into(),
            reason: Some("export confirmed".into()),
        },
    );
    c.write(
        "eva",
        22,
        "2026-03-06T16:40:00Z",
        rate(
            "i01",
            2,
            Rating::SomeChallenges,
            Some("Log opened in time; the detection time was guessed"),
        ),
    );
    c.write(
        "eva",
        23,
        "2026-03-06T16:40:00Z",
        rate("i02", 1, Rating::Performed, None),
    );
    c.write(
        "eva",
        24,
        "2026-03-06T16:40:00Z",
        rate(
            "i02",
            3,
            Rating::SomeChallenges,
            Some("Raised to medium only"),
        ),
    );
    c.deliver(inject(2), "2026-03-06T16:50:00Z");
    c.write(
        "anna",
        300,
        "2026-03-06T16:55:00Z",
        Body::MessageDrafted {
            stakeholder: "employees".into(),
            template: None,
            channel: None,
            text: crisisdesk::exercise::mark(
                "Phishing advice for agents: we never ask customers for passwords.",
            ),
        },
    );
    c.write(
        "anna",
        301,
        "2026-03-06T17:02:00Z",
        approve(300, "crisis_lead"),
    );
    c.write(
        "anna",
        302,
        "2026-03-06T17:05:00Z",
        sent("employees", 300, "intranet"),
    );
    c.write(
        "ben",
        30,
        "2026-03-06T17:10:00Z",
        Body::InquiryAnswered {
            inquiry: delivery_id(id(EXERCISE), "i03"),
            text: "Advice sent to all agents at 18:05".into(),
        },
    );
    c.write(
        "ben",
        31,
        "2026-03-06T17:12:00Z",
        Body::Note {
            text: "Logged on the wrong exercise".into(),
        },
    );
    c.write(
        "ben",
        32,
        "2026-03-06T17:13:00Z",
        Body::Retract {
            target: id(31),
            reason: "wrong exercise".into(),
        },
    );
    c.deliver(inject(3), "2026-03-06T17:20:00Z");
    c.write(
        "anna",
        310,
        "2026-03-06T17:25:00Z",
        Body::MessageDrafted {
            stakeholder: "media".into(),
            template: None,
            channel: None,
            text: crisisdesk::exercise::mark(
                "We are investigating a possible exposure of customer data.\nNext update at 20:00.",
            ),
        },
    );
    c.write("ben", 311, "2026-03-06T17:35:00Z", approve(310, "legal"));
    c.write(
        "anna",
        312,
        "2026-03-06T17:40:00Z",
        approve(310, "crisis_lead"),
    );
    c.write(
        "anna",
        313,
        "2026-03-06T17:45:00Z",
        sent("media", 310, "email"),
    );
    let skip = Event::new(
        skip_id(id(EXERCISE), "i05"),
        t("2026-03-06T17:45:00Z"),
        real("2026-03-06T17:45:00Z"),
        &Origin {
            author: "fran@desk".into(),
            console: c.writers[0].1.console_id().to_owned(),
        },
        Body::InjectSkipped {
            inject: "i05".into(),
            reason: Some("running late; the press inquiry covers it".into()),
        },
    );
    c.writers[0].1.append(&skip).expect("appended");
    c.write(
        "fran",
        40,
        "2026-03-06T18:00:00Z",
        Body::InjectDelivered {
            inject: Box::new(Inject {
                id: "x1".into(),
                at: "0m".parse().expect("a duration"),
                from: "CEO (played by the facilitator)".into(),
                to: Some("crisis_lead".into()),
                channel: Some("phone".into()),
                kind: InjectKind::Escalation,
                subject: None,
                text: "Call me before anything else goes out.".into(),
                respond_within: None,
                stakeholder: None,
                expect: Vec::new(),
            }),
            early: false,
            improvised: true,
        },
    );
    c.write(
        "ben",
        41,
        "2026-03-06T18:05:00Z",
        Body::Note {
            text: HOSTILE_NOTE.into(),
        },
    );
    c.write(
        "anna",
        42,
        "2026-03-06T18:35:00Z",
        Body::InquiryAnswered {
            inquiry: delivery_id(id(EXERCISE), "i04"),
            text: "Statement sent: we are investigating".into(),
        },
    );
    if !closed {
        return dir;
    }
    c.write(
        "anna",
        50,
        "2026-03-06T18:50:00Z",
        lesson(
            "Logs were preserved before anyone wiped a server",
            LessonKind::Well,
        ),
    );
    c.write(
        "ben",
        51,
        "2026-03-06T18:50:00Z",
        lesson(
            "The reporter was answered after the deadline <b>again</b>",
            LessonKind::Wrong,
        ),
    );
    c.write(
        "eva",
        52,
        "2026-03-06T18:50:00Z",
        lesson(
            "The social post inject was skipped, so nobody saw that we had no post ready",
            LessonKind::Lucky,
        ),
    );
    c.write(
        "ben",
        53,
        "2026-03-06T18:55:00Z",
        Body::ActionAdded {
            text: "Pre-approve a phishing-warning social post".into(),
            owner: Some("social_lead".into()),
            due: Some(t("2026-03-20T11:00:00Z")),
        },
    );
    c.write(
        "fran",
        60,
        "2026-03-06T19:00:00Z",
        Body::IncidentClosed {
            text: Some("Hot wash done; the AAR follows within two weeks.".into()),
        },
    );
    let after = t("2026-03-02T09:40:00Z");
    for (n, inject, item, rating, note) in [
        (
            70,
            "i03",
            1,
            Rating::Performed,
            Some("Advice out in 15 minutes"),
        ),
        (
            71,
            "i03",
            2,
            Rating::Unable,
            Some("No social post was drafted"),
        ),
        (72, "i04", 2, Rating::MajorChallenges, Some(HOSTILE_RATING)),
        (73, "i04", 3, Rating::Performed, None),
    ] {
        c.write_at(
            "eva",
            n,
            "2026-03-06T19:00:00Z",
            after,
            rate(inject, item, rating, note),
        );
    }
    dir
}
