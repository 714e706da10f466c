//! Keypress to frame with the timeline's search and kind filter on, and another console's
//! entry from the moment the worker has read it to the frame that shows it — at 100,000 and
//! at 1,000,000 entries, in one run.
//!
//! `cargo bench --bench keys` (add `-- --events N` to change the large size).
//! Targets (p99): a search or filter keypress to its frame ≤ 16 ms, another console's entry
//! applied to its frame ≤ 100 ms. Exits non-zero when a target is missed.
//!
//! The entry is measured from what the worker has read (the poll of the journal file that
//! changed reads only its new bytes; the tail benchmark measures that) through the
//! incremental fold, the message to the app and the frame.

use std::time::{Duration, Instant};

use crisisdesk::incident::event::{Body, Event, Origin};
use crisisdesk::journal::{Integrity, JournalReport, Stored};
use crisisdesk::tui::app::{App, Msg};
use crisisdesk::tui::live::LiveState;
use crisisdesk::tui::theme::Theme;
use crisisdesk::tui::ui;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use uuid::Uuid;

const PLAYBOOK: &str = include_str!("../playbooks/data-breach.json");

/// Words the entries' texts are made of, so that searches find some entries and not others.
const WORDS: [&str; 12] = [
    "call centre",
    "regulator",
    "Breach",
    "press office",
    "customers",
    "wave of calls",
    "password reset",
    "BBC",
    "statement",
    "Überprüfung",
    "legal",
    "forensics",
];

fn start() -> Timestamp {
    "2026-11-27T08:00:00Z".parse().unwrap()
}

fn entry(i: usize, console: &str, seq: u64, at: Timestamp) -> Stored<Event> {
    let origin = Origin {
        author: format!("{console}@host"),
        console: console.into(),
    };
    let text = format!(
        "Entry {i}: {} reports {} about the {}",
        WORDS[i % 12],
        WORDS[(i / 12) % 12],
        WORDS[(i / 144) % 12]
    );
    // Facts are few in a real incident: one entry in a thousand.
    let body = if i.is_multiple_of(10) {
        Body::Decision { text }
    } else if i % 1000 == 1 {
        Body::Fact {
            text,
            confirmed: true,
        }
    } else {
        Body::Note { text }
    };
    Stored {
        console: console.into(),
        seq,
        entry: Event::new(Uuid::from_u128(i as u128 + 1), at, at, &origin, body),
    }
}

fn events(n: usize) -> Vec<Stored<Event>> {
    let origin = Origin {
        author: "bench@host".into(),
        console: "bench".into(),
    };
    let mut events = Vec::with_capacity(n + 1);
    events.push(Stored {
        console: "bench".into(),
        seq: 1,
        entry: Event::new(
            Uuid::from_u128(1),
            start(),
            start(),
            &origin,
            Body::IncidentOpened {
                title: "Customer records exposed".into(),
                playbook_id: "data-breach".into(),
                playbook_source: PLAYBOOK.into(),
                severity: "low".into(),
                detected_at: start(),
                exercise: false,
            },
        ),
    });
    for i in 1..n {
        events.push(entry(i, "bench", i as u64 + 1, at(i)));
    }
    events
}

fn at(i: usize) -> Timestamp {
    start() + jiff::SignedDuration::from_millis(i as i64 * 10)
}

fn report(n: usize) -> JournalReport {
    JournalReport {
        integrity: Integrity::Ok,
        records: n as u64,
        entries: n as u64,
        duplicates: 0,
        conflicts: Vec::new(),
        files: Vec::new(),
    }
}

fn key(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() - 1) as f64 * p).round() as usize]
}

struct Figures {
    search_p99: Duration,
    search_max: Duration,
    filter_p99: Duration,
    filter_max: Duration,
    entry_p99: Duration,
    entry_max: Duration,
    open: Duration,
}

fn measure(n: usize, samples: usize) -> Figures {
    let t = Instant::now();
    let mut state = LiveState::new("bench".into(), events(n));
    let report = report(n);
    let loaded = state.loaded("bench".into(), &report, &[]).expect("folds");
    let open = t.elapsed();
    let now: Timestamp = "2026-11-28T12:00:00Z".parse().unwrap();
    let mut app = App::new(now, Theme { color: true });
    app.handle(Msg::Opened(Box::new(loaded)));
    let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let mut press = |app: &mut App, msgs: Vec<Msg>| {
        let t = Instant::now();
        for m in msgs {
            app.handle(m);
        }
        term.draw(|f| ui::render(app, f)).unwrap();
        t.elapsed()
    };
    press(&mut app, vec![key(KeyCode::Char('2'))]);

    // Search: open the form, type a query, Enter, scroll; again with a longer query, a
    // shorter one and another one.
    let mut search = Vec::new();
    for q in ["call", "call centre", "regulator", "bbc", "über", "press"] {
        search.push(press(&mut app, vec![key(KeyCode::Char('/'))]));
        // Clear what the field holds.
        for _ in 0..20 {
            search.push(press(&mut app, vec![key(KeyCode::Backspace)]));
        }
        for c in q.chars() {
            search.push(press(&mut app, vec![key(KeyCode::Char(c))]));
        }
        search.push(press(&mut app, vec![key(KeyCode::Enter)]));
        for _ in 0..samples / 6 {
            search.push(press(&mut app, vec![key(KeyCode::Up)]));
        }
    }
    // Filter: cycle the kinds, with the search on and off.
    let mut filter = Vec::new();
    for _ in 0..samples / 2 {
        filter.push(press(&mut app, vec![key(KeyCode::Char('k'))]));
    }
    press(&mut app, vec![key(KeyCode::Char('/'))]);
    for _ in 0..20 {
        press(&mut app, vec![key(KeyCode::Backspace)]);
    }
    press(&mut app, vec![key(KeyCode::Enter)]);
    for _ in 0..samples / 2 {
        filter.push(press(&mut app, vec![key(KeyCode::Char('k'))]));
    }

    // Another console's entries, one at a time, on the timeline (filtered by "decision" for
    // a third of them, searched for another third).
    let mut arrived = Vec::new();
    for k in 0..samples {
        match k * 3 / samples {
            0 => {}
            1 => {
                while app.incident.as_ref().unwrap().timeline_filter != Some("decision") {
                    press(&mut app, vec![key(KeyCode::Char('k'))]);
                }
            }
            _ => {
                while app.incident.as_ref().unwrap().timeline_filter.is_some() {
                    press(&mut app, vec![key(KeyCode::Char('k'))]);
                }
                if app.incident.as_ref().unwrap().search.is_empty() {
                    press(&mut app, vec![key(KeyCode::Char('/'))]);
                    for c in "regulator".chars() {
                        press(&mut app, vec![key(KeyCode::Char(c))]);
                    }
                    press(&mut app, vec![key(KeyCode::Enter)]);
                }
            }
        }
        let i = n + k;
        let fresh = entry(i, "other", k as u64 + 1, at(i));
        let t = Instant::now();
        state.append(vec![fresh]);
        let loaded = state.loaded("bench".into(), &report, &[]).expect("folds");
        arrived.push(t.elapsed() + press(&mut app, vec![Msg::Refreshed(Box::new(loaded))]));
    }
    let max = |v: &[Duration]| v.iter().copied().max().unwrap_or_default();
    Figures {
        search_max: max(&search),
        search_p99: percentile(&mut search, 0.99),
        filter_max: max(&filter),
        filter_p99: percentile(&mut filter, 0.99),
        entry_max: max(&arrived),
        entry_p99: percentile(&mut arrived, 0.99),
        open,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let big = args
        .iter()
        .position(|a| a == "--events")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let samples = 120;
    let small = measure(100_000, samples);
    let large = measure(big, samples);
    let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1e3);
    println!("| 200×60, {samples}+ samples each | 100,000 entries | {big} entries | goal |");
    println!("|---|---|---|---|");
    println!(
        "| search keypress→frame p99 (max) | {} ({}) | {} ({}) | p99 ≤ 16 ms |",
        ms(small.search_p99),
        ms(small.search_max),
        ms(large.search_p99),
        ms(large.search_max)
    );
    println!(
        "| kind filter keypress→frame p99 (max) | {} ({}) | {} ({}) | p99 ≤ 16 ms |",
        ms(small.filter_p99),
        ms(small.filter_max),
        ms(large.filter_p99),
        ms(large.filter_max)
    );
    println!(
        "| another console's entry, read→frame p99 (max) | {} ({}) | {} ({}) | p99 ≤ 100 ms |",
        ms(small.entry_p99),
        ms(small.entry_max),
        ms(large.entry_p99),
        ms(large.entry_max)
    );
    println!(
        "| first fold and screen data (for scale) | {} | {} | |",
        ms(small.open),
        ms(large.open)
    );
    let ok = [small, large].iter().all(|f| {
        f.search_p99 <= Duration::from_millis(16)
            && f.filter_p99 <= Duration::from_millis(16)
            && f.entry_p99 <= Duration::from_millis(100)
    });
    if !ok {
        eprintln!("key and live-update targets missed");
        std::process::exit(1);
    }
}
