//! A fixture incident for the console's tests, built in code: fixed ids, fixed times, the
//! shipped data-breach playbook, and events covering every kind of state the screens show.
//!
//! Times (UTC; the playbook runs on Europe/Berlin, so local is +1h):
//! detected 08:00, now 12:00 (T+04:00:00).

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use crisisdesk::incident::event::{Body, Event, LessonKind, Origin};
use crisisdesk::incident::state::fold;
use crisisdesk::incident::status::JournalHealth;
use crisisdesk::journal::Stored;
use crisisdesk::playbook::catalog::Catalog;
use crisisdesk::tui::app::{App, IncidentSummary, Loaded, Msg, StartData};
use crisisdesk::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use uuid::Uuid;

/// The data-breach playbook as shipped (the text the journal keeps whole).
pub fn data_breach_source() -> &'static str {
    crisisdesk::playbook::catalog::SHIPPED
        .iter()
        .find(|(name, _)| *name == "data-breach.json")
        .map(|(_, text)| *text)
        .expect("data-breach.json is shipped")
}

pub fn t(s: &str) -> Timestamp {
    s.parse().expect("a valid RFC 3339 time")
}

/// The fixed "now" of every screen test: four hours after detection.
pub fn now() -> Timestamp {
    t("2026-11-27T12:00:00Z")
}

pub fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// Where the fixture incident pretends to live (nothing is read from or written to it).
pub fn incident_path() -> PathBuf {
    PathBuf::from("incidents/2026-11-27-customer-records-exposed")
}

/// Journal entries built by hand, as two consoles would have written them.
pub struct Journal {
    pub events: Vec<Stored<Event>>,
}

impl Journal {
    /// A journal holding only the "incident opened" entry.
    pub fn opened(title: &str, exercise: bool) -> Journal {
        let mut j = Journal { events: Vec::new() };
        j.push(
            1,
            "2026-11-27T08:00:00Z",
            Body::IncidentOpened {
                title: title.into(),
                playbook_id: "data-breach".into(),
                playbook_source: data_breach_source().into(),
                severity: "low".into(),
                detected_at: t("2026-11-27T08:00:00Z"),
                exercise,
            },
        );
        j
    }

    /// Appends an entry from Anna's console.
    pub fn push(&mut self, n: u128, at: &str, body: Body) -> &mut Self {
        self.push_as(n, at, "anna@laptop", "anna-laptop-0001", body)
    }

    /// Appends an entry from Ben's console (a second journal file).
    pub fn push_ben(&mut self, n: u128, at: &str, body: Body) -> &mut Self {
        self.push_as(n, at, "ben@desk", "ben-desk-0001", body)
    }

    /// Appends an entry by `author` from `console`.
    pub fn push_as(
        &mut self,
        n: u128,
        at: &str,
        author: &str,
        console: &str,
        body: Body,
    ) -> &mut Self {
        let origin = Origin {
            author: author.into(),
            console: console.into(),
        };
        let seq = self.events.iter().filter(|e| e.console == console).count() as u64 + 1;
        self.events.push(Stored {
            console: console.into(),
            seq,
            entry: Event::new(id(n), t(at), t(at), &origin, body),
        });
        self
    }

    /// The incident as it stands, ready for `Msg::Opened`.
    pub fn loaded(self) -> Loaded {
        let incident = fold(&self.events).expect("the fixture folds");
        let mut consoles: Vec<&str> = self.events.iter().map(|e| e.console.as_str()).collect();
        consoles.sort_unstable();
        consoles.dedup();
        let health = JournalHealth {
            files: consoles.len(),
            consoles: consoles.len(),
            torn_tails: 0,
            corrupt_lines: 0,
            integrity: "ok".into(),
            ..Default::default()
        };
        let check = crisisdesk::check::Checked::new(&incident, &self.events);
        Loaded {
            path: incident_path(),
            console: String::new(),
            events: crisisdesk::tui::app::Entries::new(self.events),
            incident: Arc::new(incident),
            health,
            check,
        }
    }
}

pub const TITLE: &str = "Customer records exposed";

/// Message ids in the fixture.
pub const HOLDING: u128 = 5; // media, from the template, approved and sent on time
pub const DPA_DRAFT: u128 = 9; // still has a blank
pub const SELLERS_DRAFT: u128 = 10; // approved by legal, waits for the crisis lead
/// Inquiry ids.
pub const OVERDUE_INQUIRY: u128 = 12;
pub const ANSWERED_INQUIRY: u128 = 13;

fn note(text: &str) -> Body {
    Body::Note { text: text.into() }
}

/// The holding statement as the composer fills it from the template, blanks then filled.
fn holding_text() -> String {
    let prefix = Journal::opened(TITLE, false);
    let inc = fold(&prefix.events).expect("folds");
    let tpl = inc
        .playbook
        .template("media-holding")
        .expect("media-holding template")
        .body
        .clone();
    crisisdesk::incident::compose::fill_template(&inc, &tpl, "media", t("2026-11-27T09:10:00Z"))
        .replace(
            "{{fill:what_is_confirmed}}",
            "names, email addresses and order histories were copied.",
        )
        .replace(
            "{{fill:customer_advice}}",
            "Change your Kestrel password if you reuse it elsewhere.",
        )
}

/// The fixture journal: every kind of state the console shows.
pub fn fixture_journal(exercise: bool) -> Journal {
    let mut j = Journal::opened(TITLE, exercise);
    j.push(
        2,
        "2026-11-27T08:30:00Z",
        Body::MilestoneMarked {
            milestone: "aware".into(),
            text: Some("Forensics confirm customer table was exported".into()),
        },
    )
    .push(
        3,
        "2026-11-27T08:40:00Z",
        Body::SeverityChanged {
            severity: "medium".into(),
            reason: Some("Evidence that records were copied".into()),
        },
    )
    .push(
        4,
        "2026-11-27T09:00:00Z",
        Body::MilestoneMarked {
            milestone: "public".into(),
            text: None,
        },
    )
    .push(
        HOLDING,
        "2026-11-27T09:10:00Z",
        Body::MessageDrafted {
            stakeholder: "media".into(),
            template: Some("media-holding".into()),
            channel: Some("press office email / dark site".into()),
            text: holding_text(),
        },
    )
    .push(
        6,
        "2026-11-27T09:20:00Z",
        Body::MessageApproved {
            message: id(HOLDING),
            role: "legal".into(),
            comment: None,
        },
    )
    .push_ben(
        7,
        "2026-11-27T09:25:00Z",
        Body::MessageApproved {
            message: id(HOLDING),
            role: "crisis_lead".into(),
            comment: Some("Go".into()),
        },
    )
    .push(
        8,
        "2026-11-27T09:50:00Z",
        Body::MessageSent {
            stakeholder: "media".into(),
            message: Some(id(HOLDING)),
            text: None,
            channel: Some("dark site".into()),
            fulfils: Some("media-holding".into()),
            override_reason: None,
        },
    )
    .push(
        DPA_DRAFT,
        "2026-11-27T10:00:00Z",
        Body::MessageDrafted {
            stakeholder: "dpa".into(),
            template: None,
            channel: Some("online breach form".into()),
            text: "Initial Art. 33 notification, reference {{fill:case_reference}}.\nAwareness: 27 November, 09:30 CET.".into(),
        },
    )
    .push(
        SELLERS_DRAFT,
        "2026-11-27T10:10:00Z",
        Body::MessageDrafted {
            stakeholder: "sellers".into(),
            template: None,
            channel: Some("seller portal banner".into()),
            text: "We are investigating unauthorised access to customer order data. Payouts are not affected.".into(),
        },
    )
    .push(
        11,
        "2026-11-27T10:20:00Z",
        Body::MessageApproved {
            message: id(SELLERS_DRAFT),
            role: "legal".into(),
            comment: None,
        },
    )
    .push(
        OVERDUE_INQUIRY,
        "2026-11-27T10:30:00Z",
        Body::MediaInquiry {
            from: "Der Tagesbericht".into(),
            journalist: Some("Lena Hartmann".into()),
            question: "How many customers are affected?".into(),
            reply_within: Some("1h".parse().expect("duration")),
        },
    )
    .push_ben(
        ANSWERED_INQUIRY,
        "2026-11-27T10:40:00Z",
        Body::MediaInquiry {
            from: "rbb24".into(),
            journalist: None,
            question: "Will the CEO give an interview tonight?".into(),
            reply_within: Some("2h".parse().expect("duration")),
        },
    )
    .push_ben(
        14,
        "2026-11-27T11:00:00Z",
        Body::InquiryAnswered {
            inquiry: id(ANSWERED_INQUIRY),
            text: "Not tonight; written statement sent.".into(),
        },
    )
    .push(
        15,
        "2026-11-27T10:45:00Z",
        Body::MediaMention {
            source: "@infosec_karla on X".into(),
            url: None,
            text: "Kestrel leaked customer data, company silent".into(),
            sentiment: Some("negative".into()),
        },
    )
    .push(
        16,
        "2026-11-27T08:05:00Z",
        Body::ChecklistDone {
            item: "h1-open-log".into(),
        },
    )
    .push(
        17,
        "2026-11-27T08:25:00Z",
        Body::ChecklistDone {
            item: "h1-contain".into(),
        },
    )
    .push(
        18,
        "2026-11-27T11:10:00Z",
        Body::ActionAdded {
            text: "Give call centre the phishing script".into(),
            owner: Some("customer_lead".into()),
            due: Some(t("2026-11-27T11:40:00Z")),
        },
    )
    .push(
        19,
        "2026-11-27T11:12:00Z",
        Body::ActionAdded {
            text: "Book the forensic firm".into(),
            owner: Some("ciso".into()),
            due: None,
        },
    )
    .push(20, "2026-11-27T11:15:00Z", Body::ActionDone { action: id(19) })
    .push(
        21,
        "2026-11-27T11:20:00Z",
        Body::Lesson {
            text: "A retired reporting tool kept a live service account".into(),
            lesson: LessonKind::Wrong,
        },
    )
    .push(22, "2026-11-27T11:25:00Z", note("Reuters called about the leak"))
    .push(
        23,
        "2026-11-27T11:30:00Z",
        Body::Retract {
            target: id(22),
            reason: "it was Reuters TV, logged twice".into(),
        },
    )
    .push(
        24,
        "2026-11-27T11:35:00Z",
        Body::Decision {
            text: "No figures until forensics confirm".into(),
        },
    )
    .push_ben(
        25,
        "2026-11-27T11:40:00Z",
        Body::Amend {
            target: id(24),
            text: Some("No figures until the forensic count is in".into()),
            new_at: None,
            reason: Some("clearer".into()),
        },
    )
    .push(
        26,
        "2026-11-27T11:50:00Z",
        note("Call centre briefed; phishing script live"),
    );
    j
}

/// The fixture incident, loaded.
pub fn fixture(exercise: bool) -> Loaded {
    fixture_journal(exercise).loaded()
}

/// The shipped catalog (no review-date warnings: no "today").
pub fn catalog() -> Arc<Catalog> {
    Arc::new(Catalog::shipped(None))
}

/// Start-screen data with two incidents (one open and live, one closed exercise).
pub fn start_data() -> StartData {
    StartData {
        catalog: catalog(),
        incidents: vec![
            IncidentSummary {
                path: incident_path(),
                title: TITLE.into(),
                playbook: "data-breach".into(),
                severity: "Medium — confirmed breach".into(),
                closed: false,
                exercise: false,
                last_activity: t("2026-11-27T11:50:00Z"),
                problem: None,
            },
            IncidentSummary {
                path: PathBuf::from("incidents/2026-10-02-warehouse-fire-drill"),
                title: "Warehouse fire drill".into(),
                playbook: "facility-fire".into(),
                severity: "Minor".into(),
                closed: true,
                exercise: true,
                last_activity: t("2026-10-02T15:30:00Z"),
                problem: None,
            },
        ],
    }
}

/// Start-screen data with no incidents yet.
pub fn empty_start_data() -> StartData {
    StartData {
        catalog: catalog(),
        incidents: Vec::new(),
    }
}

/// A console on the start screen, fixed clock, no colour.
pub fn start_app(data: StartData) -> App {
    let mut app = App::new(now(), Theme { color: false });
    assert!(app.handle(Msg::StartData(data)).is_empty());
    app
}

/// A console with the fixture incident open on the Board.
pub fn incident_app(loaded: Loaded) -> App {
    incident_app_with(loaded, Theme { color: false })
}

pub fn incident_app_with(loaded: Loaded, theme: Theme) -> App {
    let mut app = App::new(now(), theme);
    app.handle(Msg::StartData(start_data()));
    assert!(app.handle(Msg::Opened(Box::new(loaded))).is_empty());
    app
}

// ---- keys ---------------------------------------------------------------------------------

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Msg {
    // Upper-case letters arrive with Shift, as a terminal sends them.
    let mods = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    Msg::Key(KeyEvent::new(KeyCode::Char(c), mods))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn release(c: char) -> Msg {
    Msg::Key(KeyEvent::new_with_kind(
        KeyCode::Char(c),
        KeyModifiers::NONE,
        KeyEventKind::Release,
    ))
}

/// Types text one key at a time; returns every effect.
pub fn type_str(app: &mut App, s: &str) -> Vec<crisisdesk::tui::app::Effect> {
    s.chars().flat_map(|c| app.handle(ch(c))).collect()
}

// ---- screens ------------------------------------------------------------------------------

/// Draws the app once at `width`×`height` and returns the buffer.
pub fn draw(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|f| crisisdesk::tui::ui::render(app, f))
        .expect("draws");
    terminal.backend().buffer().clone()
}

/// The buffer as text, one row a line; the cells hidden behind wide characters are skipped.
pub fn text_of(buf: &Buffer) -> String {
    let w = buf.area.width as usize;
    let mut out = String::new();
    for row in buf.content.chunks(w) {
        let mut skip = 0usize;
        let mut line = String::new();
        for c in row {
            if skip == 0 {
                line.push_str(c.symbol());
            }
            skip = skip
                .max(unicode_width::UnicodeWidthStr::width(c.symbol()))
                .saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// What the screen shows at `width`×`height`, as text.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    text_of(&draw(app, width, height))
}
