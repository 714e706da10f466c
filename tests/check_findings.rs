//! The check's findings on small incidents built in code: planted contradictions, an
//! unconfirmed figure, a corrected fact, key messages, acknowledgments, and figures that look
//! different but agree (which must not be findings).

use crisisdesk::check::{Finding, Kind, Record};
use crisisdesk::incident::event::{Body, Event, Origin};
use crisisdesk::incident::state::fold;
use crisisdesk::journal::Stored;
use crisisdesk::playbook::catalog::SHIPPED;
use jiff::Timestamp;
use uuid::Uuid;

fn t(hm: &str) -> Timestamp {
    format!("2026-11-27T{hm}:00Z").parse().unwrap()
}

/// An incident's journal, built entry by entry with fixed ids and times.
struct Inc {
    events: Vec<Stored<Event>>,
    next: u128,
}

impl Inc {
    fn new(playbook: &str, severity: &str) -> Inc {
        let source = SHIPPED
            .iter()
            .find(|(name, _)| *name == playbook)
            .map(|(_, text)| *text)
            .unwrap();
        let id = playbook.trim_end_matches(".json");
        let mut inc = Inc {
            events: Vec::new(),
            next: 1,
        };
        inc.push(
            "08:00",
            Body::IncidentOpened {
                title: "Test".into(),
                playbook_id: id.into(),
                playbook_source: source.into(),
                severity: severity.into(),
                detected_at: t("08:00"),
                exercise: false,
            },
        );
        inc
    }

    /// The data-breach playbook (English).
    fn en() -> Inc {
        Inc::new("data-breach.json", "high")
    }

    /// The water-supply playbook (Polish).
    fn pl() -> Inc {
        Inc::new("awaria-wodociagow.json", "krytyczny")
    }

    fn push(&mut self, at: &str, body: Body) -> Uuid {
        let id = Uuid::from_u128(self.next);
        self.next += 1;
        let origin = Origin {
            author: "anna@laptop".into(),
            console: "anna".into(),
        };
        let seq = self.events.len() as u64 + 1;
        self.events.push(Stored {
            console: "anna".into(),
            seq,
            entry: Event::new(id, t(at), t(at), &origin, body),
        });
        id
    }

    fn sent(&mut self, at: &str, audience: &str, text: &str) -> Uuid {
        self.push(
            at,
            Body::MessageSent {
                stakeholder: audience.into(),
                message: None,
                text: Some(text.into()),
                channel: None,
                fulfils: None,
                override_reason: None,
            },
        )
    }

    fn draft(&mut self, at: &str, audience: &str, text: &str) -> Uuid {
        self.push(
            at,
            Body::MessageDrafted {
                stakeholder: audience.into(),
                template: None,
                channel: None,
                text: text.into(),
            },
        )
    }

    fn fact(&mut self, at: &str, text: &str, confirmed: bool) -> Uuid {
        self.push(
            at,
            Body::Fact {
                text: text.into(),
                confirmed,
            },
        )
    }

    fn amend(&mut self, at: &str, target: Uuid, text: &str) -> Uuid {
        self.push(
            at,
            Body::Amend {
                target,
                text: Some(text.into()),
                new_at: None,
                reason: None,
            },
        )
    }

    fn ack(&mut self, at: &str, finding: &str, reason: &str) -> Uuid {
        self.push(
            at,
            Body::FindingAcknowledged {
                finding: finding.into(),
                reason: reason.into(),
                text: None,
            },
        )
    }

    fn record(&self) -> Record {
        let inc = fold(&self.events).unwrap();
        Record::new(&inc, &self.events)
    }

    /// Findings other than key messages (the test playbooks' key messages are never sent).
    fn findings(&self) -> Vec<Finding> {
        self.record()
            .findings()
            .into_iter()
            .filter(|f| f.kind != Kind::KeyMessage)
            .collect()
    }
}

fn kinds(f: &[Finding]) -> Vec<&'static str> {
    f.iter().map(|f| f.kind.as_str()).collect()
}

fn none(inc: &Inc) {
    let f = inc.findings();
    assert!(f.is_empty(), "expected no finding, got:\n{}", texts(&f));
}

fn texts(f: &[Finding]) -> String {
    f.iter()
        .map(|f| format!("  {} {}: {}", f.kind.as_str(), f.id, f.text))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn press_and_regulator_told_different_numbers() {
    let mut inc = Inc::en();
    let press = inc.sent(
        "09:30",
        "media",
        "Records of about 1,200 customers were accessed.",
    );
    let dpa = inc.sent("11:00", "dpa", "The breach concerns 1,500 customers.");
    let f = inc.findings();
    assert_eq!(kinds(&f), ["conflict"], "{}", texts(&f));
    let c = &f[0];
    assert_eq!(c.audiences, ["media", "dpa"]);
    assert_eq!(c.messages, [press, dpa]);
    assert_eq!(c.subject.as_deref(), Some("customers"));
    let words: Vec<&str> = c.quotes.iter().map(|q| q.words.as_str()).collect();
    assert_eq!(words, ["about 1,200 customers", "1,500 customers"]);
    assert_eq!(c.quotes[0].reading.as_deref(), Some("1,080 to 1,320"));
    assert_eq!(
        c.text,
        "Different figures for customers: News and trade media were told “about 1,200 customers” (27 Nov 10:30, message 00000002), Lead supervisory authority (Berlin Commissioner for Data Protection and Freedom of Information) were told “1,500 customers” (27 Nov 12:00, message 00000003) (“about 1,200 customers” allows 1,080 to 1,320)."
    );
}

#[test]
fn a_draft_that_contradicts_what_an_audience_heard() {
    let mut inc = Inc::en();
    inc.sent(
        "09:30",
        "media",
        "Records of about 1,200 customers were accessed.",
    );
    let draft = inc.draft("10:00", "dpa", "The breach concerns 1,500 customers.");
    let f = inc.findings();
    assert_eq!(kinds(&f), ["conflict"], "{}", texts(&f));
    assert_eq!(f[0].audiences, ["dpa", "media"]);
    assert_eq!(f[0].messages[0], draft);
    assert!(
        f[0].text
            .starts_with("The draft to Lead supervisory authority"),
        "{}",
        f[0].text
    );
    // The same check on the text alone, as the composer runs it.
    let rec = inc.record();
    let said = rec.draft(
        Uuid::nil(),
        "employees",
        t("12:00"),
        "We told 1,500 customers.",
    );
    let f = rec.check(&said);
    assert_eq!(kinds(&f), ["conflict"]);
    assert!(f[0].text.starts_with("This text to All employees says “1,500 customers”, but News and trade media were told “about 1,200 customers”"), "{}", f[0].text);
}

#[test]
fn ranges_that_overlap_agree_and_the_finding_says_so() {
    let mut inc = Inc::en();
    inc.sent("09:30", "media", "Up to 1,500 customers may be affected.");
    inc.draft("10:00", "dpa", "About 1,200 customers are affected.");
    none(&inc);
    // Two audiences that disagree, and a third whose range fits both: the finding says so.
    let mut inc = Inc::en();
    inc.sent("09:30", "media", "Up to 1,500 customers may be affected.");
    inc.sent("10:00", "dpa", "About 1,200 customers are affected.");
    inc.sent("10:30", "employees", "1,450 customers are affected.");
    let f = inc.findings();
    assert_eq!(kinds(&f), ["conflict"], "{}", texts(&f));
    assert_eq!(f[0].audiences, ["dpa", "employees"]);
    assert!(
        f[0].text
            .contains("; News and trade media’s “Up to 1,500 customers” agrees with both."),
        "{}",
        f[0].text
    );
}

#[test]
fn reformatted_and_spelled_out_numbers_agree() {
    for (a, b) in [
        ("3 sites are closed.", "Three sites are closed."),
        ("1,200 customers", "1 200 customers"),
        ("1,200 customers", "1\u{202f}200 customers"),
        ("1.2 thousand customers", "1,200 customers"),
        ("1.2 million records", "1,200,000 records"),
        ("1.2 million records", "1,234,567 records"),
        ("12k customers", "12,000 customers"),
        ("At least 1,200 customers", "1,500 customers"),
        ("More than 1,000 customers", "1,200 customers"),
        ("Nearly 1,500 customers", "1,450 customers"),
        ("1,200 customers", "1,200 customer records"),
        ("Between 1,200 and 1,500 customers", "1,400 customers"),
        ("since 14 March", "since March 14th"),
    ] {
        let mut inc = Inc::en();
        inc.sent("09:30", "media", a);
        inc.sent("10:30", "dpa", b);
        let f = inc.findings();
        assert!(f.is_empty(), "{a} / {b}:\n{}", texts(&f));
    }
}

#[test]
fn planted_contradictions_in_english() {
    for (a, b) in [
        (
            "The attacker copied 9 GB of data.",
            "12 GB of data was copied.",
        ),
        ("Three sites are closed.", "Five sites are closed."),
        (
            "Access was possible since 14 March.",
            "Access was possible since 12 March.",
        ),
        (
            "More than 1,500 customers are affected.",
            "About 1,200 customers are affected.",
        ),
        ("1,200 customers in Germany", "1,500 customers in Germany"),
    ] {
        let mut inc = Inc::en();
        inc.sent("09:30", "media", a);
        inc.sent("10:30", "dpa", b);
        let f = inc.findings();
        assert_eq!(kinds(&f), ["conflict"], "{a} / {b}:\n{}", texts(&f));
    }
}

#[test]
fn different_things_are_not_compared() {
    for (a, b) in [
        (
            "1,200 customers in Germany are affected.",
            "1,500 customers are affected.",
        ),
        (
            "1,200 customers are affected.",
            "1,500 employees are affected.",
        ),
        ("40% of customers were told.", "60% of employees were told."),
        (
            "We have 1,200 customers affected.",
            "Another 300 customers were found.",
        ),
        (
            "1,200 customers are affected.",
            "Reports of 5,000 customers are wrong.",
        ),
        (
            "1,200 customers are affected.",
            "Is it true that 5,000 customers are affected?",
        ),
        (
            "1,200 customers are affected.",
            "If more than 500 customers are affected, we notify.",
        ),
        (
            "We will update you within 2 hours.",
            "We will update you within 4 hours.",
        ),
    ] {
        let mut inc = Inc::en();
        inc.sent("09:30", "media", a);
        inc.sent("10:30", "dpa", b);
        let f = inc.findings();
        assert!(f.is_empty(), "{a} / {b}:\n{}", texts(&f));
    }
}

#[test]
fn what_an_audience_heard_last_counts() {
    let mut inc = Inc::en();
    inc.sent("09:30", "media", "About 1,200 customers are affected.");
    inc.sent("10:30", "media", "1,500 customers are affected.");
    inc.sent("11:00", "dpa", "1,500 customers are affected.");
    none(&inc);
    // A draft repeating the figure the press no longer has is a conflict.
    inc.draft("11:30", "employees", "About 1,200 customers are affected.");
    assert_eq!(kinds(&inc.findings()), ["conflict"]);
}

#[test]
fn an_unconfirmed_figure_stated_as_fact() {
    let mut inc = Inc::en();
    let fact = inc.fact(
        "09:00",
        "Up to 1,500 customers affected (estimate from the forensic team)",
        false,
    );
    let draft = inc.draft("09:30", "media", "1,500 customers were affected.");
    let f = inc.findings();
    assert_eq!(kinds(&f), ["unconfirmed"], "{}", texts(&f));
    assert_eq!(f[0].facts, [fact]);
    assert_eq!(f[0].messages, [draft]);
    assert_eq!(f[0].audiences, ["media"]);
    assert!(f[0].text.contains("only as unconfirmed"), "{}", f[0].text);
    // Said with a hedge, it is not stated as fact.
    let mut inc = Inc::en();
    inc.fact("09:00", "Up to 1,500 customers affected", false);
    inc.draft("09:30", "media", "Up to 1,500 customers may be affected.");
    none(&inc);
    // Once a confirmed fact gives the figure, it is no longer only unconfirmed.
    let mut inc = Inc::en();
    inc.fact("09:00", "Up to 1,500 customers affected", false);
    inc.fact("09:20", "1,500 customers affected", true);
    inc.sent("09:30", "media", "1,500 customers were affected.");
    none(&inc);
}

#[test]
fn a_corrected_fact_leaves_earlier_audiences_stale() {
    let mut inc = Inc::en();
    let fact = inc.fact("09:00", "1,200 customers affected", true);
    let press = inc.sent(
        "09:30",
        "media",
        "Records of 1,200 customers were accessed.",
    );
    let staff_old = inc.sent("09:40", "employees", "1,200 customers are affected.");
    let amendment = inc.amend("11:00", fact, "1,500 customers affected");
    let dpa = inc.sent("11:30", "dpa", "The breach concerns 1,500 customers.");
    let staff_new = inc.sent(
        "11:45",
        "employees",
        "Update: 1,500 customers are affected.",
    );
    let f = inc.findings();
    assert_eq!(kinds(&f), ["stale"], "{}", texts(&f));
    let s = &f[0];
    assert_eq!(s.facts, [fact, amendment]);
    assert_eq!(s.audiences, ["media", "employees"]);
    assert!(s.messages.contains(&press) && s.messages.contains(&staff_old));
    assert!(s.messages.contains(&staff_new));
    assert!(!s.messages.contains(&dpa));
    let corrected: Vec<_> = s.quotes.iter().filter_map(|q| q.corrected_by).collect();
    assert_eq!(corrected, [staff_new]);
    assert!(s.text.contains("was “1,200 customers”"), "{}", s.text);
    assert!(
        s.text.contains("All employees already had the new figure"),
        "{}",
        s.text
    );
    // Once the press is told too, nothing is left.
    inc.sent(
        "12:00",
        "media",
        "Correction: 1,500 customers are affected.",
    );
    none(&inc);
}

#[test]
fn a_later_fact_with_another_value_also_makes_audiences_stale() {
    let mut inc = Inc::en();
    inc.sent(
        "09:30",
        "media",
        "Records of 1,200 customers were accessed.",
    );
    inc.fact("10:00", "Forensics: 1,500 customers affected", true);
    let f = inc.findings();
    assert_eq!(kinds(&f), ["stale"], "{}", texts(&f));
    // An unconfirmed later fact does not.
    let mut inc = Inc::en();
    inc.sent(
        "09:30",
        "media",
        "Records of 1,200 customers were accessed.",
    );
    inc.fact("10:00", "Maybe 1,500 customers affected", false);
    none(&inc);
}

#[test]
fn a_message_sent_against_the_facts_log_conflicts_with_it() {
    let mut inc = Inc::en();
    let fact = inc.fact("09:00", "1,500 customers affected", true);
    inc.sent(
        "09:30",
        "media",
        "Records of 1,200 customers were accessed.",
    );
    let f = inc.findings();
    assert_eq!(kinds(&f), ["conflict"], "{}", texts(&f));
    assert_eq!(f[0].facts, [fact]);
    assert!(
        f[0].text
            .contains("the facts log says “1,500 customers” (confirmed"),
        "{}",
        f[0].text
    );
}

#[test]
fn acknowledged_findings_keep_their_id_and_stop_warning() {
    let mut inc = Inc::en();
    inc.sent(
        "09:30",
        "media",
        "Records of about 1,200 customers were accessed.",
    );
    inc.sent("11:00", "dpa", "The breach concerns 1,500 customers.");
    let first = inc.findings();
    assert_eq!(first.len(), 1);
    assert!(first[0].is_open());
    let id = first[0].id.clone();
    assert_eq!(id.len(), 12);
    assert_eq!(inc.findings()[0].id, id, "ids are stable");
    inc.ack(
        "11:10",
        &id,
        "The regulator has the newer count; press update at 12:00",
    );
    let after = inc.findings();
    assert_eq!(after.len(), 1, "still listed");
    assert_eq!(after[0].id, id);
    let ack = after[0].acknowledged.as_ref().expect("acknowledged");
    assert_eq!(
        ack.reason,
        "The regulator has the newer count; press update at 12:00"
    );
    // Something new in it (another audience told a third figure) makes it a new finding.
    inc.sent("11:30", "employees", "1,700 customers are affected.");
    let f = inc.findings();
    assert!(f.iter().any(|f| f.is_open()), "{}", texts(&f));
}

#[test]
fn key_messages_not_yet_given() {
    let mut inc = Inc::en();
    inc.sent(
        "09:30",
        "media",
        "Records of about 1,200 customers were accessed.",
    );
    let rec = inc.record();
    let f: Vec<Finding> = rec
        .findings()
        .into_iter()
        .filter(|f| f.kind == Kind::KeyMessage)
        .collect();
    assert_eq!(f.len(), 6, "{}", texts(&f));
    assert_eq!(f[0].audiences, ["media"]);
    // A message that carries one in its own words gives it.
    let mut inc = Inc::en();
    inc.sent(
        "09:30",
        "media",
        "We will never ask you for your password, card number or a one-time code — not by email, not by phone, not by text. Anyone who does is not us.",
    );
    let rec = inc.record();
    let open: Vec<String> = rec
        .findings()
        .into_iter()
        .filter(|f| f.kind == Kind::KeyMessage)
        .map(|f| f.quotes[0].words.clone())
        .collect();
    assert_eq!(open.len(), 5);
    assert!(!open.iter().any(|k| k.contains("never ask for a password")));
    // Nothing sent yet: nothing to say about key messages.
    assert!(Inc::en().record().findings().is_empty());
}

#[test]
fn planted_contradictions_in_polish() {
    for (a, b) in [
        (
            "Bez wody pozostaje około 12 tys. mieszkańców.",
            "Bez wody jest 15 000 mieszkańców.",
        ),
        ("Awaria trwa od 14 marca.", "Awaria trwa od 12 marca."),
        (
            "Trzy szpitale korzystają z beczkowozów.",
            "Pięć szpitali korzysta z beczkowozów.",
        ),
        (
            "Wodę dowieźliśmy 300 mieszkańcom.",
            "Wodę dowieźliśmy 500 mieszkańców.",
        ),
    ] {
        let mut inc = Inc::pl();
        inc.sent("09:30", "media", a);
        inc.sent("10:30", "mieszkancy", b);
        let f = inc.findings();
        assert_eq!(kinds(&f), ["conflict"], "{a} / {b}:\n{}", texts(&f));
    }
}

#[test]
fn polish_figures_that_look_different_but_agree() {
    for (a, b) in [
        (
            "Bez wody pozostaje około 12 tys. mieszkańców.",
            "Bez wody jest 12 000 mieszkańców.",
        ),
        (
            "Bez wody jest 12\u{a0}000 mieszkańców.",
            "Bez wody jest 12 000 mieszkańców.",
        ),
        (
            "Trzy szpitale korzystają z beczkowozów.",
            "3 szpitale korzystają z beczkowozów.",
        ),
        (
            "Wodę dowieźliśmy 300 mieszkańcom.",
            "Z punktów korzysta 300 mieszkańców.",
        ),
        (
            "Ponad 40% mieszkańców nie ma wody.",
            "45% mieszkańców nie ma wody.",
        ),
        (
            "Do 1500 odbiorców może nie mieć wody.",
            "Około 1200 odbiorców nie ma wody.",
        ),
        ("Awaria trwa od 14 marca.", "Awaria trwa od dnia 14.03."),
        (
            "Bez wody jest 1,5 tys. gospodarstw.",
            "Bez wody jest 1500 gospodarstw domowych.",
        ),
        (
            "Bez wody jest 300 mieszkańców Nadwarcina.",
            "Bez wody jest 500 mieszkańców.",
        ),
    ] {
        let mut inc = Inc::pl();
        inc.sent("09:30", "media", a);
        inc.sent("10:30", "mieszkancy", b);
        let f = inc.findings();
        assert!(f.is_empty(), "{a} / {b}:\n{}", texts(&f));
    }
}

#[test]
fn polish_corrected_fact_and_unconfirmed_figure() {
    let mut inc = Inc::pl();
    let fact = inc.fact("09:00", "Bez wody jest ok. 12 tys. mieszkańców.", true);
    inc.sent(
        "09:30",
        "media",
        "Bez wody pozostaje około 12 tys. mieszkańców.",
    );
    inc.amend("11:00", fact, "Bez wody jest 20 tys. mieszkańców.");
    inc.fact(
        "11:10",
        "Przyczyną może być pęknięcie magistrali; 3 awarie (niepotwierdzone)",
        false,
    );
    inc.draft(
        "11:30",
        "mieszkancy",
        "Bez wody jest 20 tys. mieszkańców. Doszło do 3 awarii.",
    );
    let f = inc.findings();
    assert_eq!(kinds(&f), ["stale", "unconfirmed"], "{}", texts(&f));
    assert_eq!(f[0].audiences, ["media"]);
}
