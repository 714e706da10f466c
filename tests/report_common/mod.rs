//! A scripted incident for the report tests, written to a real journal folder: fixed ids, fixed
//! times, two consoles, the shipped data-breach playbook (Europe/Berlin: CET is UTC+1 in
//! November). Every figure the report computes from it is worked out by hand in
//! `tests/report.rs`.
//!
//! Times (UTC) — the story:
//! ```text
//! 27 Nov 08:00 detected; 08:05 opened (low)        08:20 milestone aware
//!        08:30 severity high (ben)                 08:40 milestone nis2_aware
//!        08:45 decision                            08:50 fact 1,500 (unconfirmed), amended 09:40 to 1,200
//!        09:00 milestone public                    09:05 draft #10 media (hostile text)
//!        09:10 draft #20 employees                 09:15 #10 approved legal (ben)
//!        09:20 mention (Heise)                     09:22 note with an <img> tag (ben)
//!        09:25 #10 approved crisis_lead            09:30 #10 sent by email (holding: met)
//!        09:35 inquiry #60 Reuters, 1 h            09:40 note #97, retracted 09:45
//!        09:50 #20 approved crisis_lead            09:55 #20 sent (staff-first due 09:45: late 10 min)
//!        10:00 draft #30 csirt; inquiry #70 BBC, 2 h; draft #50 board
//!        10:15 request #80 sellers, 4 h (never answered)
//!        10:20 #50 approved legal                  10:30 #30 approved legal; #50 sent (board: met)
//!        10:40 #30 edited (approvals void)         10:45 #70 answered (in time)
//!        10:50 #30 approved legal                  11:00 #30 approved crisis_lead
//!        11:05 #30 sent, fulfils early warning (met); #60 answered (late)
//!        12:00 inquiry #90 local radio, no deadline; 12:30 answered
//! 30 Nov 07:00 draft #40 csirt                     08:00 #40 approved legal
//!        09:10 #40 sent with an override, fulfils nis2-notification (due 08:40: late 30 min)
//!        10:00 lessons; actions #110 (open) and #111 (done 10:30)
//!        11:00 closed
//! ```
#![allow(dead_code)]

pub mod exercise;

use std::path::{Path, PathBuf};

use crisisdesk::incident::event::{Body, Event, LessonKind, Origin};
use crisisdesk::journal::JournalWriter;
use crisisdesk::playbook::duration::Duration;
use crisisdesk::report::{self, Input, Report};
use crisisdesk::store::{IncidentDir, Snapshot};
use jiff::Timestamp;
use uuid::Uuid;

/// Text a hostile or careless person typed: Markdown and HTML syntax, a script, a terminal
/// escape sequence and a bidi override.
pub const HOSTILE: &str = "We know | a | b |\n# heading\n<script>alert('x')</script>\n\u{1b}[31mRED\u{1b}[0m and \u{202e}evil";

/// A note with an HTML tag that would run a script if it were markup.
pub const IMG: &str = "<img src=x onerror=alert(1)> & `code` *not bold*";

/// The override reason.
pub const OVERRIDE: &str = "Portal closes at 10:00; crisis lead unreachable";

pub fn t(s: &str) -> Timestamp {
    s.parse().expect("an RFC 3339 time")
}

pub fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// The data-breach playbook as shipped.
pub fn data_breach() -> &'static str {
    crisisdesk::playbook::catalog::SHIPPED
        .iter()
        .find(|(name, _)| *name == "data-breach.json")
        .map(|(_, text)| *text)
        .expect("data-breach.json is shipped")
}

/// Two consoles writing one journal.
struct Writers {
    anna: JournalWriter,
    ben: JournalWriter,
}

impl Writers {
    fn new(journal: &Path) -> Writers {
        Writers {
            anna: JournalWriter::create_with_session(journal, "anna@laptop", id(0xa1))
                .expect("anna's file"),
            ben: JournalWriter::create_with_session(journal, "ben@desk", id(0xb2))
                .expect("ben's file"),
        }
    }

    fn write(&mut self, ben: bool, n: u128, at: &str, body: Body) {
        let (w, author) = if ben {
            (&mut self.ben, "ben@desk")
        } else {
            (&mut self.anna, "anna@laptop")
        };
        let origin = Origin {
            author: author.into(),
            console: w.console_id().to_owned(),
        };
        let at = t(at);
        w.append(&Event::new(id(n), at, at, &origin, body))
            .expect("appended");
    }

    fn anna(&mut self, n: u128, at: &str, body: Body) {
        self.write(false, n, at, body);
    }

    fn ben(&mut self, n: u128, at: &str, body: Body) {
        self.write(true, n, at, body);
    }
}

fn hours(h: u32) -> Option<Duration> {
    Some(format!("{h}h").parse().expect("a duration"))
}

fn approve(n: u128, role: &str) -> Body {
    Body::MessageApproved {
        message: id(n),
        role: role.into(),
        comment: None,
    }
}

fn draft(stakeholder: &str, text: &str) -> Body {
    Body::MessageDrafted {
        stakeholder: stakeholder.into(),
        template: None,
        channel: None,
        text: text.into(),
    }
}

fn sent(stakeholder: &str, n: u128, channel: &str, fulfils: Option<&str>) -> Body {
    Body::MessageSent {
        stakeholder: stakeholder.into(),
        message: Some(id(n)),
        text: None,
        channel: Some(channel.into()),
        fulfils: fulfils.map(str::to_owned),
        override_reason: None,
    }
}

fn milestone(m: &str) -> Body {
    Body::MilestoneMarked {
        milestone: m.into(),
        text: None,
    }
}

/// Writes the scripted incident into `parent/breach` and returns the folder. With `closed`
/// false the closing entry is left out (an interim report).
pub fn scripted(parent: &Path, closed: bool) -> PathBuf {
    let dir = parent.join("breach");
    let journal = dir.join("journal");
    std::fs::create_dir_all(&journal).expect("folder");
    let mut w = Writers::new(&journal);
    w.anna(
        1,
        "2026-11-27T08:05:00Z",
        Body::IncidentOpened {
            title: "Customer records exposed <script>alert(1)</script>".into(),
            playbook_id: "data-breach".into(),
            playbook_source: data_breach().into(),
            severity: "low".into(),
            detected_at: t("2026-11-27T08:00:00Z"),
            exercise: false,
        },
    );
    w.anna(2, "2026-11-27T08:20:00Z", milestone("aware"));
    w.ben(
        3,
        "2026-11-27T08:30:00Z",
        Body::SeverityChanged {
            severity: "high".into(),
            reason: Some("Records confirmed".into()),
        },
    );
    w.anna(4, "2026-11-27T08:40:00Z", milestone("nis2_aware"));
    w.anna(
        5,
        "2026-11-27T08:45:00Z",
        Body::Decision {
            text: "Take the shop offline".into(),
        },
    );
    w.ben(
        6,
        "2026-11-27T08:50:00Z",
        Body::Fact {
            text: "About 1,500 records".into(),
            confirmed: false,
        },
    );
    w.anna(7, "2026-11-27T09:00:00Z", milestone("public"));
    w.anna(10, "2026-11-27T09:05:00Z", draft("media", HOSTILE));
    w.anna(
        20,
        "2026-11-27T09:10:00Z",
        draft(
            "employees",
            "Colleagues: customer records were exposed.\nMore at 14:00.",
        ),
    );
    w.ben(11, "2026-11-27T09:15:00Z", approve(10, "legal"));
    w.ben(
        95,
        "2026-11-27T09:20:00Z",
        Body::MediaMention {
            source: "Heise".into(),
            url: Some("https://example.org/heise?x=<b>".into()),
            text: "Shop offline after breach".into(),
            sentiment: Some("negative".into()),
        },
    );
    w.ben(96, "2026-11-27T09:22:00Z", Body::Note { text: IMG.into() });
    w.anna(12, "2026-11-27T09:25:00Z", approve(10, "crisis_lead"));
    w.anna(13, "2026-11-27T09:30:00Z", sent("media", 10, "email", None));
    w.ben(
        60,
        "2026-11-27T09:35:00Z",
        Body::MediaInquiry {
            from: "Reuters".into(),
            journalist: Some("J. Doe".into()),
            question: "How many customers are affected?".into(),
            reply_within: hours(1),
        },
    );
    w.ben(
        97,
        "2026-11-27T09:40:00Z",
        Body::Note {
            text: "Call from the wrong incident".into(),
        },
    );
    w.anna(
        98,
        "2026-11-27T09:40:00Z",
        Body::Amend {
            target: id(6),
            text: Some("About 1,200 records".into()),
            new_at: None,
            reason: Some("count from forensics".into()),
        },
    );
    w.ben(
        99,
        "2026-11-27T09:45:00Z",
        Body::Retract {
            target: id(97),
            reason: "logged on the wrong incident".into(),
        },
    );
    w.anna(21, "2026-11-27T09:50:00Z", approve(20, "crisis_lead"));
    w.anna(
        22,
        "2026-11-27T09:55:00Z",
        sent("employees", 20, "intranet", None),
    );
    w.anna(
        30,
        "2026-11-27T10:00:00Z",
        draft("csirt", "NIS2 early warning: draft"),
    );
    w.ben(
        70,
        "2026-11-27T10:00:00Z",
        Body::MediaInquiry {
            from: "BBC".into(),
            journalist: None,
            question: "Is payment data involved?".into(),
            reply_within: hours(2),
        },
    );
    w.anna(50, "2026-11-27T10:00:00Z", draft("board", "Board briefing"));
    w.ben(
        80,
        "2026-11-27T10:15:00Z",
        Body::StakeholderRequest {
            stakeholder: "sellers".into(),
            text: "Are our orders affected?".into(),
            reply_within: hours(4),
        },
    );
    w.ben(51, "2026-11-27T10:20:00Z", approve(50, "legal"));
    w.ben(31, "2026-11-27T10:30:00Z", approve(30, "legal"));
    w.anna(52, "2026-11-27T10:30:00Z", sent("board", 50, "phone", None));
    w.anna(
        32,
        "2026-11-27T10:40:00Z",
        Body::MessageEdited {
            message: id(30),
            text: "NIS2 early warning: suspected malicious, no cross-border impact known".into(),
        },
    );
    w.ben(
        71,
        "2026-11-27T10:45:00Z",
        Body::InquiryAnswered {
            inquiry: id(70),
            text: "No payment data was stored in the affected system.".into(),
        },
    );
    w.ben(33, "2026-11-27T10:50:00Z", approve(30, "legal"));
    w.anna(34, "2026-11-27T11:00:00Z", approve(30, "crisis_lead"));
    w.anna(
        35,
        "2026-11-27T11:05:00Z",
        sent("csirt", 30, "CSIRT portal", Some("nis2-early-warning")),
    );
    w.ben(
        61,
        "2026-11-27T11:05:00Z",
        Body::InquiryAnswered {
            inquiry: id(60),
            text: "About 1,200 customers.".into(),
        },
    );
    w.ben(
        90,
        "2026-11-27T12:00:00Z",
        Body::MediaInquiry {
            from: "Radio Local".into(),
            journalist: None,
            question: "Is the shop open again?".into(),
            reply_within: None,
        },
    );
    w.ben(
        91,
        "2026-11-27T12:30:00Z",
        Body::InquiryAnswered {
            inquiry: id(90),
            text: "Not yet.".into(),
        },
    );
    w.anna(
        40,
        "2026-11-30T07:00:00Z",
        draft("csirt", "NIS2 incident notification"),
    );
    w.ben(41, "2026-11-30T08:00:00Z", approve(40, "legal"));
    w.anna(
        42,
        "2026-11-30T09:10:00Z",
        Body::MessageSent {
            stakeholder: "csirt".into(),
            message: Some(id(40)),
            text: None,
            channel: Some("CSIRT portal".into()),
            fulfils: Some("nis2-notification".into()),
            override_reason: Some(OVERRIDE.into()),
        },
    );
    w.anna(
        100,
        "2026-11-30T10:00:00Z",
        Body::Lesson {
            text: "The holding statement was pre-approved and went out in time".into(),
            lesson: LessonKind::Well,
        },
    );
    w.ben(
        101,
        "2026-11-30T10:00:00Z",
        Body::Lesson {
            text: "Staff heard after the press <b>again</b>".into(),
            lesson: LessonKind::Wrong,
        },
    );
    w.ben(
        102,
        "2026-11-30T10:00:00Z",
        Body::Lesson {
            text: "The journalist waited".into(),
            lesson: LessonKind::Lucky,
        },
    );
    w.anna(
        110,
        "2026-11-30T10:00:00Z",
        Body::ActionAdded {
            text: "Pre-approve the NIS2 notification template".into(),
            owner: Some("legal".into()),
            due: Some(t("2026-12-15T12:00:00Z")),
        },
    );
    w.anna(
        111,
        "2026-11-30T10:00:00Z",
        Body::ActionAdded {
            text: "Brief staff before any public statement".into(),
            owner: Some("internal_comms".into()),
            due: Some(t("2026-11-30T10:30:00Z")),
        },
    );
    w.ben(
        112,
        "2026-11-30T10:30:00Z",
        Body::ActionDone { action: id(111) },
    );
    if closed {
        w.anna(
            120,
            "2026-11-30T11:00:00Z",
            Body::IncidentClosed {
                text: Some("Closed after the final review.\nFollow-up in the action plan.".into()),
            },
        );
    }
    dir
}

/// The folder as read and folded.
pub fn load(dir: &Path) -> Snapshot {
    IncidentDir::open(dir, "tester@test")
        .expect("an incident folder")
        .load()
        .expect("it loads")
}

/// The report of the folder, made at `now`.
pub fn report_at(dir: &Path, now: &str) -> Report {
    let snap = load(dir);
    report::build(&Input {
        incident: &snap.incident,
        events: &snap.events,
        journal: &snap.report,
        set_aside: &[],
        now: t(now),
    })
}
