//! The console in an exercise, driven by keys on a fixed clock: the facilitator's Exercise
//! view (snapshots at 80×24 and 120×40), its clock, delivery, skip and rating keys giving the
//! command layer's entries; a player's console ringing when an inject arrives without eating
//! the keys meant for something else, and never showing what is not delivered.

mod common;

use common::{Journal, ch, ctrl, data_breach_source, id, key, t, type_str};
use crisisdesk::exercise::deliver::{delivery_id, skip_id};
use crisisdesk::incident::command::Accepted;
use crisisdesk::incident::event::{Body, Event, Origin, Rating};
use crisisdesk::journal::Stored;
use crisisdesk::playbook::model::Inject;
use crisisdesk::tui::app::{App, Effect, Loaded, Msg};
use crisisdesk::tui::model::{Overlay, View};
use crisisdesk::tui::theme::Theme;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Scenario: Friday 6 March 2026, 17:00 in Berlin (16:00 UTC), ten times real speed.
const START: &str = "2026-03-06T16:00:00Z";
/// Real time the facilitator started the clock.
const STARTED: &str = "2026-11-27T11:00:00Z";
/// Real time on screen: nine real minutes later, 90 scenario minutes: 17:30 UTC.
const REAL_NOW: &str = "2026-11-27T11:09:00Z";

fn injects() -> Vec<Inject> {
    crisisdesk::playbook::parse("p", data_breach_source().as_bytes(), None)
        .unwrap()
        .playbook
        .injects
}

fn inject(id: &str) -> Inject {
    injects().into_iter().find(|i| i.id == id).unwrap()
}

/// Builds an exercise journal entry by entry: scenario time `at`, real time `real`.
struct Drill {
    events: Vec<Stored<Event>>,
}

impl Drill {
    fn planned(started: bool) -> Drill {
        let mut d = Drill { events: Vec::new() };
        d.push(
            1,
            START,
            "2026-11-27T10:50:00Z",
            "facilitator",
            Body::IncidentOpened {
                title: "Q1 breach drill".into(),
                playbook_id: "data-breach".into(),
                playbook_source: data_breach_source().into(),
                severity: "low".into(),
                detected_at: t(START),
                exercise: true,
            },
        );
        d.push(
            2,
            START,
            "2026-11-27T10:50:00Z",
            "facilitator",
            Body::ExercisePlanned {
                scenario_start: t(START),
                speed: 10,
                injects: injects(),
                msel: None,
            },
        );
        if started {
            d.push(3, START, STARTED, "facilitator", Body::ExerciseStarted);
        }
        d
    }

    fn push(&mut self, n: u128, at: &str, real: &str, who: &str, body: Body) -> &mut Drill {
        let console = format!("{who}-desk-0001");
        let seq = self.events.iter().filter(|e| e.console == console).count() as u64 + 1;
        let origin = Origin {
            author: format!("{who}@desk"),
            console: console.clone(),
        };
        self.events.push(Stored {
            console: console.into(),
            seq,
            entry: Event::new(id(n), t(at), t(real), &origin, body),
        });
        self
    }

    /// An on-time delivery, as the exercise clock writes it.
    fn deliver(&mut self, inject_id: &str, at: &str, real: &str) -> &mut Drill {
        let mut e = Event::new(
            delivery_id(id(1), inject_id),
            t(at),
            t(real),
            &Origin {
                author: "exercise clock".into(),
                console: "exercise-clock".into(),
            },
            Body::InjectDelivered {
                inject: Box::new(Inject {
                    expect: Vec::new(),
                    ..inject(inject_id)
                }),
                early: false,
                improvised: false,
            },
        );
        e.incident = Some(id(1));
        let seq = self
            .events
            .iter()
            .filter(|s| s.console == "exercise-clock")
            .count() as u64
            + 1;
        self.events.push(Stored {
            console: "exercise-clock".into(),
            seq,
            entry: e,
        });
        self
    }

    /// A rich exercise: four injects delivered, one skipped, players at work, ratings.
    fn played() -> Drill {
        let mut d = Drill::planned(true);
        d.deliver("i01", "2026-03-06T16:00:00Z", "2026-11-27T11:00:00Z")
            .deliver("i02", "2026-03-06T16:25:00Z", "2026-11-27T11:02:30Z")
            .deliver("i03", "2026-03-06T16:50:00Z", "2026-11-27T11:05:00Z")
            .deliver("i04", "2026-03-06T17:20:00Z", "2026-11-27T11:08:00Z");
        d.push(
            20,
            "2026-03-06T16:10:00Z",
            "2026-11-27T11:01:00Z",
            "anna",
            Body::Decision {
                text: "Isolate the export server; keep the logs".into(),
            },
        )
        .push(
            21,
            "2026-03-06T16:30:00Z",
            "2026-11-27T11:03:00Z",
            "anna",
            Body::MilestoneMarked {
                milestone: "aware".into(),
                text: None,
            },
        )
        .push(
            22,
            "2026-03-06T17:28:00Z",
            "2026-11-27T11:08:48Z",
            "ben",
            Body::InquiryAnswered {
                inquiry: delivery_id(id(1), "i04"),
                text: "We are investigating and will say more by 19:00.".into(),
            },
        )
        .push(
            23,
            "2026-03-06T17:29:00Z",
            "2026-11-27T11:08:54Z",
            "facilitator",
            Body::InjectRated {
                inject: "i04".into(),
                item: 2,
                rating: Rating::MajorChallenges,
                note: Some("no approval before the reply".into()),
            },
        )
        .push(
            24,
            "2026-03-06T17:29:30Z",
            "2026-11-27T11:08:57Z",
            "facilitator",
            Body::InjectRated {
                inject: "i04".into(),
                item: 2,
                rating: Rating::SomeChallenges,
                note: Some("legal approved by phone, logged late".into()),
            },
        );
        let mut skip = Event::new(
            skip_id(id(1), "i05"),
            t("2026-03-06T17:29:40Z"),
            t("2026-11-27T11:08:58Z"),
            &Origin {
                author: "facilitator@desk".into(),
                console: "facilitator-desk-0001".into(),
            },
            Body::InjectSkipped {
                inject: "i05".into(),
                reason: Some("running late".into()),
            },
        );
        skip.incident = Some(id(1));
        let seq = d.events.len() as u64 + 100;
        d.events.push(Stored {
            console: "facilitator-desk-0001".into(),
            seq,
            entry: skip,
        });
        d
    }

    fn loaded(mut self) -> Loaded {
        self.events
            .sort_by(|a, b| (a.entry.at, &a.console, a.seq).cmp(&(b.entry.at, &b.console, b.seq)));
        let mut loaded = Journal {
            events: self.events,
        }
        .loaded();
        loaded.path = "exercises/2026-03-06-q1-breach-drill".into();
        loaded
    }
}

fn console(loaded: Loaded, facilitator: bool) -> App {
    let mut app = App::new(t(REAL_NOW), Theme { color: false });
    app.drill.facilitator = facilitator;
    app.handle(Msg::StartData(common::start_data()));
    assert!(app.handle(Msg::Opened(Box::new(loaded))).is_empty());
    app
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| crisisdesk::tui::ui::render(app, f)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// The accepted entry an effect asks to record.
fn recorded(effects: &[Effect]) -> &Accepted {
    match effects {
        [Effect::Record { accepted, .. }] => accepted,
        other => panic!("expected one Record effect, got {other:?}"),
    }
}

#[test]
fn the_facilitator_opens_on_the_exercise_view_and_players_never_see_it() {
    let app = console(Drill::played().loaded(), true);
    assert_eq!(app.incident.as_ref().unwrap().view, View::Exercise);
    assert_eq!(
        app.now,
        t("2026-03-06T17:30:00Z"),
        "the screens count in scenario time"
    );

    let mut player = console(Drill::played().loaded(), false);
    assert_eq!(player.incident.as_ref().unwrap().view, View::Board);
    player.handle(ch('7'));
    assert_eq!(player.incident.as_ref().unwrap().view, View::Board);
    for (w, h) in [(80, 24), (120, 40)] {
        for v in ['1', '2', '3', '4', '5', '6'] {
            player.handle(ch(v));
            let s = screen(&player, w, h);
            assert!(s.contains("EXERCISE"), "{v} at {w}x{h}:\n{s}");
            // Nothing of an inject not yet delivered, nor what evaluators expect.
            assert!(!s.contains("Researcher post going viral"), "{s}");
            assert!(!s.contains("Holding statement approved by legal"), "{s}");
        }
    }
    // The plan's entry in full (Enter on the timeline) says how many injects, not what.
    let iv = player.incident.as_ref().unwrap();
    let page =
        crisisdesk::tui::detail::entry_page(&iv.data.incident, &iv.data.events.read(), id(2));
    let text = page.lines.join("\n");
    assert!(text.contains("scenario start"), "{text}");
    assert!(!text.contains("Why am I reading this"), "{text}");
    assert!(!text.contains("expect"), "{text}");
}

#[test]
fn snapshots_of_the_facilitator_view() {
    let mut app = console(Drill::played().loaded(), true);
    for _ in 0..3 {
        app.handle(key(KeyCode::Down));
    }
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let s = screen(&app, w, h);
        assert!(s.contains("EXERCISE"), "{s}");
        assert!(s.contains("▶ ×10"), "{s}");
        assert!(s.contains("✖ skipped"), "{s}");
        assert!(s.contains("◌ pending"), "{s}");
        insta::assert_snapshot!(format!("facilitator_view_{w}x{h}"), s);
    }
    // Enter: the selected inject in full, with its ratings and what players did.
    app.handle(key(KeyCode::Enter));
    let s = screen(&app, 120, 40);
    assert!(s.contains("A user on a criminal forum claims"), "{s}");
    assert!(
        s.contains("[S] Holding statement approved"),
        "the later rating counts:\n{s}"
    );
    assert!(s.contains("inquiry answered"), "{s}");
    assert!(s.contains("MET"), "the reply deadline:\n{s}");
}

#[test]
fn the_facilitator_runs_the_clock_from_the_keymap() {
    // Not started: Space starts it.
    let mut app = console(Drill::planned(false).loaded(), true);
    let s = screen(&app, 80, 24);
    assert!(s.contains("NOT STARTED"), "{s}");
    assert!(s.contains("Space"), "the clock key is in the key bar:\n{s}");
    let e = app.handle(ch(' '));
    assert_eq!(recorded(&e).body, Body::ExerciseStarted);

    // Running at ×10: Space pauses, + and - step the speed, J jumps to the next inject.
    let mut app = console(Drill::played().loaded(), true);
    assert_eq!(recorded(&app.handle(ch(' '))).body, Body::ExercisePaused);
    assert_eq!(
        recorded(&app.handle(ch('+'))).body,
        Body::ExerciseSpeed { speed: 20 }
    );
    assert_eq!(
        recorded(&app.handle(ch('-'))).body,
        Body::ExerciseSpeed { speed: 5 }
    );
    assert_eq!(
        recorded(&app.handle(ch('J'))).body,
        Body::ExerciseJumped {
            to: t("2026-03-06T18:30:00Z")
        },
        "i05 is skipped: the next is i06 at 2h30m"
    );
    // T asks by how much.
    assert!(app.handle(ch('T')).is_empty());
    type_str(&mut app, "45m");
    let e = app.handle(key(KeyCode::Enter));
    assert_eq!(
        recorded(&e).body,
        Body::ExerciseJumped {
            to: t("2026-03-06T18:15:00Z")
        }
    );
}

#[test]
fn the_facilitator_delivers_early_skips_rates_and_improvises() {
    let mut app = console(Drill::played().loaded(), true);
    // i06 (row 6) is pending: D delivers it now, early, under its derived id.
    for _ in 0..5 {
        app.handle(key(KeyCode::Down));
    }
    let e = app.handle(ch('D'));
    let a = recorded(&e);
    assert_eq!(
        a.at,
        t("2026-03-06T17:30:00Z"),
        "dated now, in scenario time"
    );
    assert_eq!(a.fixed.as_ref().unwrap().id, delivery_id(id(1), "i06"));
    assert!(
        matches!(&a.body, Body::InjectDelivered { inject, early: true, .. } if inject.id == "i06" && inject.expect.is_empty())
    );

    // X skips the selected one, with a reason.
    app.handle(key(KeyCode::Down));
    assert!(app.handle(ch('X')).is_empty());
    type_str(&mut app, "no time left");
    let e = app.handle(key(KeyCode::Enter));
    assert_eq!(
        recorded(&e).body,
        Body::InjectSkipped {
            inject: "i07".into(),
            reason: Some("no time left".into())
        }
    );

    // r rates a delivered inject: the expected action, P S M U, a note.
    app.handle(key(KeyCode::Home));
    app.handle(key(KeyCode::Down)); // i02
    assert!(app.handle(ch('r')).is_empty());
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("Milestone ‘aware’ marked"),
        "the expected actions:\n{s}"
    );
    app.handle(key(KeyCode::Down)); // action 2
    app.handle(key(KeyCode::Tab));
    app.handle(key(KeyCode::Down)); // S
    app.handle(key(KeyCode::Tab));
    type_str(&mut app, "DPO late");
    let e = app.handle(key(KeyCode::Enter));
    assert_eq!(
        recorded(&e).body,
        Body::InjectRated {
            inject: "i02".into(),
            item: 2,
            rating: Rating::SomeChallenges,
            note: Some("DPO late".into())
        }
    );
    // A pending inject cannot be rated yet: said at once, no form.
    app.handle(key(KeyCode::End));
    assert!(app.handle(ch('r')).is_empty());
    assert!(app.overlay.is_none());
    assert!(
        app.notice
            .as_ref()
            .unwrap()
            .text
            .contains("has not been delivered")
    );

    // I improvises one: from, to, channel, kind, text; delivered at once as x1.
    assert!(app.handle(ch('I')).is_empty());
    type_str(&mut app, "Caller claiming to be a customer");
    app.handle(key(KeyCode::Tab)); // To
    app.handle(key(KeyCode::Tab)); // Channel
    app.handle(key(KeyCode::Tab)); // Kind
    for _ in 0..3 {
        app.handle(key(KeyCode::Down)); // stakeholder_request
    }
    app.handle(key(KeyCode::Tab)); // Subject
    app.handle(key(KeyCode::Tab)); // Text
    type_str(&mut app, "My card was charged twice: is this the breach?");
    app.handle(key(KeyCode::Tab)); // Reply within
    type_str(&mut app, "20m");
    let e = app.handle(ctrl('s'));
    let a = recorded(&e);
    let Body::InjectDelivered {
        inject,
        improvised: true,
        ..
    } = &a.body
    else {
        panic!("{a:?}")
    };
    assert_eq!(inject.id, "x1");
    assert_eq!(inject.at.to_string(), "1h30m");
    assert_eq!(inject.channel.as_deref(), Some("phone"));
    assert_eq!(
        inject.respond_within.map(|d| d.to_string()).as_deref(),
        Some("20m")
    );
}

#[test]
fn an_arriving_inject_rings_on_a_player_console_without_taking_its_keys() {
    let before = Drill::played();
    let mut app = console(before.loaded(), false);
    assert!(
        app.drill.ringing.is_empty(),
        "what was delivered before does not ring"
    );

    // i06 arrives (another console delivered it): it rings.
    let mut after = Drill::played();
    after.deliver("i06", "2026-03-06T18:30:00Z", REAL_NOW);
    app.handle(Msg::Refreshed(Box::new(after.loaded())));
    assert_eq!(app.drill.ringing.len(), 1);
    let s = screen(&app, 80, 24);
    assert!(s.contains("Why am I reading this on X?"), "{s}");
    assert!(s.contains("o: take it"), "{s}");

    // The player was about to write a note: n still opens it, the text goes into it.
    assert!(app.handle(ch('n')).is_empty());
    assert!(matches!(app.overlay, Some(Overlay::Form(..))));
    type_str(&mut app, "Reporter on hold");
    let e = app.handle(key(KeyCode::Enter));
    assert!(
        matches!(&e[..], [Effect::Append { body: Body::Note { text }, .. }] if text == "Reporter on hold"),
        "{e:?}"
    );
    assert_eq!(app.drill.ringing.len(), 1, "still ringing until taken");

    // o takes it: the inject in full, as players receive it.
    app.handle(ch('o'));
    assert!(app.drill.ringing.is_empty());
    let s = screen(&app, 120, 40);
    assert!(s.contains("EXERCISE"), "{s}");
    assert!(s.contains("From:"), "{s}");
    assert!(s.contains("Why am I reading this on X?"), "{s}");
    assert!(!s.contains("Expected"), "{s}");
}

#[test]
fn any_open_console_asks_its_worker_to_deliver_what_is_due() {
    let mut app = console(Drill::planned(true).loaded(), false);
    // The clock was started: i01 (0m) is due; the tick asks for a pass, once.
    let e = app.handle(Msg::Tick(t(REAL_NOW)));
    assert!(matches!(&e[..], [Effect::DeliverDue { .. }]), "{e:?}");
    assert!(app.handle(Msg::Tick(t("2026-11-27T11:09:01Z"))).is_empty());
    // A real incident never asks.
    let mut real = common::incident_app(common::fixture(false));
    assert!(real.handle(Msg::Tick(t(REAL_NOW))).is_empty());
}

#[test]
fn the_facilitators_keys_are_in_the_help_and_the_key_bar() {
    let mut app = console(Drill::played().loaded(), true);
    let bar = screen(&app, 120, 40);
    let bar = bar.lines().last().unwrap();
    for k in [
        "Space clock",
        "+ faster",
        "J next",
        "D deliver",
        "X skip",
        "r rate",
        "I improvise",
    ] {
        assert!(bar.contains(k), "{k} in the key bar: {bar}");
    }
    app.handle(ch('?'));
    let mut seen = String::new();
    for _ in 0..6 {
        seen.push_str(&screen(&app, 120, 40));
        app.handle(key(KeyCode::PageDown));
    }
    let flat = seen.split_whitespace().collect::<Vec<_>>().join(" ");
    for b in crisisdesk::tui::keymap::shown(crisisdesk::tui::keymap::Context::Exercise, true) {
        let words: Vec<&str> = b.help.split_whitespace().take(4).collect();
        assert!(flat.contains(&words.join(" ")), "help misses {:?}", b.help);
    }
}

#[test]
fn a_window_over_the_header_still_says_exercise_and_keeps_its_own_name() {
    let mut app = console(Drill::played().loaded(), false);
    app.handle(ch('c'));
    assert!(app.overlay.is_some());
    for (w, h) in [(80, 24), (120, 40)] {
        let s = screen(&app, w, h);
        let top = s.lines().next().unwrap();
        assert!(top.contains("EXERCISE"), "{w}x{h}: {top}");
        assert!(top.contains("Compose"), "the window's name stays: {top}");
    }
}

#[test]
fn the_notice_says_what_was_recorded_in_words() {
    let mut app = console(Drill::played().loaded(), false);
    app.handle(ch('d'));
    type_str(&mut app, "Isolate the export server");
    app.handle(key(KeyCode::Enter));
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("decision recorded — Isolate the export server"),
        "{s}"
    );
}

#[test]
fn an_inject_taken_offers_no_correction_and_refuses_one() {
    let mut app = console(Drill::played().loaded(), false);
    let mut after = Drill::played();
    after.deliver("i06", "2026-03-06T18:30:00Z", REAL_NOW);
    app.handle(Msg::Refreshed(Box::new(after.loaded())));
    app.handle(ch('o'));
    let s = screen(&app, 120, 40);
    assert!(s.contains("Why am I reading this on X?"), "{s}");
    let title = s.lines().find(|l| l.contains("PHONE CALL i06")).unwrap();
    assert!(
        !title.contains("R retract"),
        "a delivery is not the player's to retract:\n{s}"
    );
    assert!(app.handle(ch('R')).is_empty());
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("nothing on this page can be amended or retracted"),
        "{s}"
    );
}
