//! The after-action report of the scripted exercise in `report_common::exercise`: the ratings
//! summary, evidence and reply deadlines worked out by hand, the three formats as golden
//! snapshots, EXERCISE on the title and banner, hostile text checked by real parsers.

mod report_common;

use std::collections::HashSet;

use crisisdesk::exercise::deliver::delivery_id;
use crisisdesk::report::{self, Format, view};
use pulldown_cmark::{Event, Options, Parser};
use report_common::exercise::*;
use report_common::*;
use serde_json::Value;

/// Real time the reports are made at: long after the exercise.
const LATER: &str = "2026-03-20T12:00:00Z";

fn closed() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = scripted_exercise(tmp.path(), true);
    (tmp, dir)
}

fn json_of(r: &crisisdesk::report::Report) -> Value {
    serde_json::from_str(&report::render(r, Format::Json)).unwrap()
}

fn inject<'a>(j: &'a Value, id: &str) -> &'a Value {
    j["exercise"]["injects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("inject {id}"))
}

#[test]
fn the_after_action_report_has_the_hand_checked_figures() {
    let (_tmp, dir) = closed();
    let r = report_at(&dir, LATER);
    let j = json_of(&r);
    assert_eq!(j["kind"], "after_action");
    assert_eq!(j["incident"]["exercise"], true);
    assert_eq!(j["incident"]["interim"], false);
    assert_eq!(j["incident"]["as_of"], "2026-03-06T19:00:00Z");
    assert!(
        r.integrity.anomalies.is_empty() && r.exercise.as_ref().unwrap().anomalies.is_empty(),
        "{:?} {:?}",
        r.integrity.anomalies,
        r.exercise.as_ref().unwrap().anomalies
    );
    let x = &j["exercise"];
    assert_eq!(x["scope"], "tabletop");
    assert_eq!(x["scenario_start"], "2026-03-06T16:00:00Z");
    assert_eq!(x["scenario_end"], "2026-03-06T19:00:00Z");
    assert_eq!(x["real_created_at"], "2026-03-02T09:00:00Z");
    assert_eq!(x["real_started_at"], "2026-03-02T09:10:00Z");
    // 3 scenario hours at ×10: 18 real minutes.
    assert_eq!(x["real_ended_at"], "2026-03-02T09:28:00Z");
    assert_eq!(x["clock"], "ended");
    assert_eq!(x["planned_speed"], 10);
    assert_eq!(
        x["msel"],
        serde_json::json!({"source": "drill-msel.csv", "planned": 5, "improvised": 1})
    );

    // The ratings in force, counted by hand (see report_common/exercise.rs).
    let s = &x["ratings_summary"];
    assert_eq!(
        [
            &s["P"],
            &s["S"],
            &s["M"],
            &s["U"],
            &s["not_rated"],
            &s["not_played"],
            &s["expected"]
        ],
        [4, 2, 1, 1, 4, 3, 15].map(Value::from).each_ref()
    );

    // Injects in MSEL order, then the improvised one.
    let ids: Vec<&str> = x["injects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["i01", "i02", "i03", "i04", "i05", "x1"]);
    let states: Vec<&str> = x["injects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        [
            "delivered",
            "delivered",
            "delivered",
            "delivered",
            "skipped",
            "delivered"
        ]
    );

    // A replaced rating: i01's second expected action was M, then S; both kept.
    let i01 = inject(&j, "i01");
    assert_eq!(i01["at"], "0m");
    assert_eq!(i01["due"], "2026-03-06T16:00:00Z");
    assert_eq!(i01["delivered_at"], "2026-03-06T16:00:00Z");
    assert_eq!(i01["delivered_real_at"], "2026-03-02T09:10:00Z");
    assert_eq!(i01["delivered_by"], "exercise clock");
    let second = &i01["expectations"][1];
    assert_eq!(second["item"], 2);
    assert_eq!(second["rating"], "S");
    assert_eq!(
        second["note"],
        "Log opened in time; the detection time was guessed"
    );
    assert_eq!(second["rated_by"], "eva@tablet");
    let history: Vec<(&str, bool)> = second["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["rating"].as_str().unwrap(),
                r["replaced"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(history, [("M", true), ("S", false)]);
    assert_eq!(i01["expectations"][2]["rating"], Value::Null, "not rated");
    assert_eq!(i01["expectations"][2]["ratings"], serde_json::json!([]));
    assert_eq!(i01["reply"], Value::Null, "no reply deadline");

    // Evidence: from the delivery to the next inject, withdrawn entries left out, with how
    // long after the inject each came in scenario time.
    let evidence = |i: &Value| -> Vec<(String, i64, bool)> {
        i["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["kind"].as_str().unwrap().to_owned(),
                    e["after_seconds"].as_i64().unwrap(),
                    e["answers_inject"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    let ev = |k: &str, s: i64, a: bool| (k.to_owned(), s, a);
    assert_eq!(
        evidence(i01),
        [ev("note", 300, false), ev("decision", 480, false)]
    );
    assert_eq!(
        evidence(inject(&j, "i02")),
        [
            ev("milestone_marked", 300, false),
            ev("severity_changed", 600, false)
        ]
    );
    let i03 = inject(&j, "i03");
    assert_eq!(
        evidence(i03),
        [
            ev("message_drafted", 300, false),
            ev("message_approved", 720, false),
            ev("message_sent", 900, false),
            ev("inquiry_answered", 1200, true),
        ]
    );
    // The request's reply deadline: delivered 16:50, 30 minutes, answered 17:10.
    assert_eq!(i03["reply_by"], "2026-03-06T17:20:00Z");
    assert_eq!(i03["replied_at"], "2026-03-06T17:10:00Z");
    assert_eq!(i03["reply_seconds"], 1200);
    assert_eq!(i03["reply"], "met");
    // The press inquiry: delivered 17:20, 1 hour, answered 18:35 (after x1 arrived): late.
    let i04 = inject(&j, "i04");
    assert_eq!(i04["reply_by"], "2026-03-06T18:20:00Z");
    assert_eq!(i04["reply_seconds"], 4500);
    assert_eq!(i04["reply"], "late");
    assert_eq!(
        evidence(i04),
        [
            ev("message_drafted", 300, false),
            ev("message_approved", 900, false),
            ev("message_approved", 1200, false),
            ev("message_sent", 1500, false),
            ev("inquiry_answered", 4500, true),
        ]
    );
    assert_eq!(
        i04["evidence"][4]["id"],
        id(42).to_string(),
        "the answer, though it came after the next inject"
    );
    let i05 = inject(&j, "i05");
    assert_eq!(i05["skipped_at"], "2026-03-06T17:45:00Z");
    assert_eq!(i05["skipped_by"], "fran@desk");
    assert_eq!(
        i05["skip_reason"],
        "running late; the press inquiry covers it"
    );
    assert_eq!(i05["delivered_at"], Value::Null);
    assert_eq!(i05["evidence"], serde_json::json!([]));
    let x1 = inject(&j, "x1");
    assert_eq!(x1["improvised"], true);
    assert_eq!(x1["kind"], "escalation");
    assert_eq!(x1["delivered_by"], "fran@desk");
    assert_eq!(
        evidence(x1),
        [
            ev("note", 300, false),
            ev("inquiry_answered", 2100, false),
            ev("action_added", 3300, false),
        ]
    );
    assert_eq!(x1["evidence"][0]["text"], HOSTILE_NOTE, "exactly as typed");

    // Participants: everyone who wrote, not the exercise clock, with the roles they acted in.
    let people: Vec<(String, Value, Value, u64)> = x["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["functions"].clone(),
                p["roles"].clone(),
                p["entries"].as_u64().unwrap(),
            )
        })
        .collect();
    let json = |v: &[&str]| serde_json::json!(v);
    assert_eq!(
        people,
        [
            ("fran@desk".into(), json(&["facilitator"]), json(&[]), 6),
            (
                "anna@laptop".into(),
                json(&["player"]),
                json(&["crisis_lead"]),
                10
            ),
            ("ben@desk".into(), json(&["player"]), json(&["legal"]), 9),
            ("eva@tablet".into(), json(&["evaluator"]), json(&[]), 10),
        ]
    );

    // Sections 2-7 of the post-incident report, on scenario time.
    assert_eq!(j["metrics"]["messages_sent"]["count"], 2);
    assert_eq!(
        j["metrics"]["first_public_statement"]["seconds_after_detection"], 6300,
        "16:00 → 17:45 scenario time"
    );
    assert_eq!(j["lessons"].as_array().unwrap().len(), 3);
    assert_eq!(j["actions"][0]["owner"], "social_lead");
    // Messages as sent, marks and all.
    let media = j["audiences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "media")
        .unwrap();
    let text = media["messages"][0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("EXERCISE EXERCISE EXERCISE")
            && text.ends_with("EXERCISE EXERCISE EXERCISE")
    );
    assert_eq!(
        j["inquiries"][0]["id"],
        delivery_id(id(EXERCISE), "i03").to_string()
    );
}

#[test]
fn an_open_exercise_gives_an_interim_report_at_its_scenario_time() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = scripted_exercise(tmp.path(), false);
    // Real 09:25 is scenario 18:30 at ×10: i04's reply deadline (18:20) has passed unanswered
    // as of then? No: anna answered at 18:35, after 18:30, so as of 18:30 it is missed.
    let r = report_at(&dir, "2026-03-02T09:25:00Z");
    let j = json_of(&r);
    assert_eq!(j["incident"]["interim"], true);
    assert_eq!(j["incident"]["as_of"], "2026-03-06T18:30:00Z");
    let x = &j["exercise"];
    assert_eq!(x["clock"], "running");
    assert_eq!(x["real_ended_at"], Value::Null);
    assert_eq!(x["scenario_end"], "2026-03-06T18:30:00Z");
    // Before the evaluators' last ratings: i03 and i04 are unrated but for none.
    let s = &x["ratings_summary"];
    assert_eq!(
        [
            &s["P"],
            &s["S"],
            &s["M"],
            &s["U"],
            &s["not_rated"],
            &s["not_played"]
        ],
        [2, 2, 0, 0, 8, 3].map(Value::from).each_ref()
    );
    // While it runs, what an inject not delivered says and expects stays unseen: i05 was
    // skipped, but the facilitator could still deliver it.
    let i05 = inject(&j, "i05");
    assert_eq!(i05["withheld"], true);
    assert_eq!(
        (&i05["kind"], &i05["from"], &i05["text"], &i05["subject"]),
        (
            &Value::Null,
            &Value::from(""),
            &Value::from(""),
            &Value::Null
        )
    );
    assert!(
        i05["expectations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["text"] == "")
    );
    assert_eq!(inject(&j, "i04")["withheld"], false);
    let planned = &msel()[4];
    let md = report::render(&r, Format::Markdown);
    let html = report::render(&r, Format::Html);
    for text in [&planned.text, &planned.expect[0], &planned.from] {
        let (md_text, _) = markdown_texts(&md);
        assert!(!md_text.contains(text.as_str()), "{text}");
        assert!(!html.contains(text.as_str()), "{text}");
    }
    assert!(md.contains("Not delivered yet: what it says and what evaluators expect are left out"));
    assert!(md.contains("The exercise is still running; figures are as they stood then"));
    assert!(md.contains("The exercise is still running."));
    // Closed, it is all there.
    let (_tmp, dir) = closed();
    let md = report::render(&report_at(&dir, LATER), Format::Markdown);
    assert!(markdown_texts(&md).0.contains(planned.text.as_str()));
}

#[test]
fn golden_markdown_html_and_json() {
    let (_tmp, dir) = closed();
    let r = report_at(&dir, LATER);
    insta::assert_snapshot!("aar_md", report::render(&r, Format::Markdown));
    insta::assert_snapshot!("aar_html", report::render(&r, Format::Html));
    insta::assert_snapshot!("aar_json", report::render(&r, Format::Json));
}

#[test]
fn a_closed_exercise_report_does_not_depend_on_when_it_is_made() {
    let (_tmp, dir) = closed();
    let a = report::render(&report_at(&dir, LATER), Format::Json);
    let b = report::render(&report_at(&dir, "2027-01-01T00:00:00Z"), Format::Json);
    assert_eq!(a, b);
}

/// The text of every text event of a CommonMark document, and whether any was raw HTML.
fn markdown_texts(md: &str) -> (String, bool) {
    let mut texts = String::new();
    let mut html = false;
    for e in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match e {
            Event::Text(t) | Event::Code(t) => texts.push_str(&t),
            Event::SoftBreak | Event::HardBreak => texts.push('\n'),
            Event::Html(_) | Event::InlineHtml(_) => html = true,
            _ => {}
        }
    }
    (texts, html)
}

#[test]
fn exercise_says_so_at_the_top_and_bottom_and_in_the_title() {
    let (_tmp, dir) = closed();
    let r = report_at(&dir, LATER);
    let md = report::render(&r, Format::Markdown);
    assert!(md.starts_with("# EXERCISE — After-action report: Spring drill"));
    // Right under the title, and at the very end, a quote with the marks in bold.
    let mut quotes = Vec::new();
    let mut in_quote = false;
    for e in Parser::new_ext(&md, Options::ENABLE_TABLES) {
        match e {
            Event::Start(pulldown_cmark::Tag::BlockQuote(_)) => {
                in_quote = true;
                quotes.push(String::new());
            }
            Event::End(pulldown_cmark::TagEnd::BlockQuote(_)) => in_quote = false,
            Event::Text(t) if in_quote => quotes.last_mut().unwrap().push_str(&t),
            _ => {}
        }
    }
    assert!(
        quotes[0].starts_with("EXERCISE EXERCISE EXERCISE The after-action report"),
        "{quotes:?}"
    );
    assert_eq!(
        quotes.last().unwrap(),
        "EXERCISE EXERCISE EXERCISE End of the after-action report of a tabletop exercise."
    );
    assert!(
        md.find("**EXERCISE EXERCISE EXERCISE**").unwrap()
            < md.find("Every time is scenario time").unwrap(),
        "the banner comes first, under the title"
    );
    let html = report::render(&r, Format::Html);
    let doc = scraper::Html::parse_document(&html);
    let title: String = doc
        .select(&scraper::Selector::parse("head > title").unwrap())
        .flat_map(|t| t.text())
        .collect();
    assert!(
        title.starts_with("EXERCISE — After-action report"),
        "{title}"
    );
    let first = doc
        .select(&scraper::Selector::parse("body > *").unwrap())
        .next()
        .unwrap();
    assert_eq!(first.value().attr("class"), Some("exercise-banner"));
    assert!(
        first
            .text()
            .collect::<String>()
            .contains("EXERCISE EXERCISE EXERCISE")
    );
    // The banner repeats on every printed page: fixed in print, with room kept for it.
    assert!(html.contains("position: fixed") && html.contains("body.exercise { padding-left"));
    // A post-incident report has none of it.
    let tmp = tempfile::tempdir().unwrap();
    let real = report::render(
        &report_at(&scripted(tmp.path(), true), "2026-12-05T12:00:00Z"),
        Format::Html,
    );
    assert!(!real.contains("exercise-banner") && !real.contains("EXERCISE"));
}

#[test]
fn the_sections_are_the_after_action_reports_then_the_post_incident_reports() {
    let (_tmp, dir) = closed();
    let r = report_at(&dir, LATER);
    let headings: Vec<String> = view::headings(&r).into_iter().map(|(_, h)| h).collect();
    assert_eq!(
        headings,
        [
            "1. Exercise overview",
            "2. Analysis of each inject",
            "3. Ratings summary",
            "4. Strengths and areas for improvement",
            "5. Improvement plan",
            "6. Key figures",
            "7. Who was told what, when",
            "8. Timeline",
            "9. Decisions, facts and media",
            "10. Lessons and actions",
            "11. Integrity of the record",
        ]
    );
    let md = report::render(&r, Format::Markdown);
    let html = report::render(&r, Format::Html);
    let doc = scraper::Html::parse_document(&html);
    let h2: Vec<String> = doc
        .select(&scraper::Selector::parse("section > h2").unwrap())
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(h2, headings);
    for h in &headings {
        assert!(
            md.contains(&format!("\n## {}\n", h.replacen(". ", "\\. ", 1)))
                || md.contains(&format!("\n## {h}\n")),
            "{h}"
        );
    }
}

#[test]
fn the_three_formats_state_the_same_facts() {
    let (_tmp, dir) = closed();
    let r = report_at(&dir, LATER);
    let md = report::render(&r, Format::Markdown);
    let html = report::render(&r, Format::Html);
    let doc = scraper::Html::parse_document(&html);
    let html_text: String = doc.root_element().text().collect();
    let (md_text, _) = markdown_texts(&md);
    assert!(md.contains("* **Speaks for:** Affected customers (data subjects)"));
    assert!(html.contains("<dt>Speaks for</dt><dd>Affected customers (data subjects)</dd>"));
    for fact in [
        "2026-03-06 17:00 CET to 2026-03-06 20:00 CET (3 h 00 min)",
        "started 2026-03-02 10:10 CET, closed 2026-03-02 10:28 CET (18 min)",
        "from drill-msel.csv: 5 planned injects, 1 improvised",
        "4 of 5 planned delivered, 1 skipped, 0 never delivered; 1 improvised",
        "not played",
        "15 (8 rated)",
        "S — performed with some challenges",
        "replaces M (eva@tablet, 2026-03-06 17:10 CET): Log opened late",
        "✓ met: answered 2026-03-06 18:10 CET, 20 min after the inject (due 2026-03-06 18:20 CET)",
        "! late: answered 2026-03-06 19:35 CET, 1 h 15 min after the inject (due 2026-03-06 19:20 CET)",
        "running late; the press inquiry covers it",
        "1 P · 2 S · 3 —",
        "Logs were preserved before anyone wiped a server",
        "The reporter was answered after the deadline <b>again</b>",
        "Pre-approve a phishing-warning social post",
        "Social media lead",
        "Crisis lead (Chief Operating Officer) (crisis_lead)",
        "None: the inject was not played.",
    ] {
        assert!(md_text.contains(fact), "Markdown lacks {fact:?}");
        assert!(html_text.contains(fact), "HTML lacks {fact:?}");
    }
}

#[test]
fn hostile_text_is_text_in_every_format() {
    let (_tmp, dir) = closed();
    let r = report_at(&dir, LATER);
    let md = report::render(&r, Format::Markdown);
    let (texts, html) = markdown_texts(&md);
    assert!(!html, "no raw HTML reaches the Markdown");
    for s in [
        "Called the CEO | a | b | ↵ # heading ↵ <script>alert('x')</script> ↵ ␛[31mRED␛[0m ⟨U+202E⟩evil",
        HOSTILE_RATING,
    ] {
        assert!(texts.contains(s), "Markdown lacks {s:?}");
    }
    assert!(!md.contains('\u{1b}') && !md.contains('\u{202e}'));

    let page = report::render(&r, Format::Html);
    let doc = scraper::Html::parse_document(&page);
    assert!(doc.errors.is_empty(), "HTML parse errors: {:?}", doc.errors);
    let names: HashSet<String> = doc
        .tree
        .nodes()
        .filter_map(|n| n.value().as_element().map(|e| e.name().to_owned()))
        .collect();
    assert!(
        !names.contains("script") && !names.contains("b"),
        "{names:?}"
    );
    let text: String = doc.root_element().text().collect();
    for s in [
        "Called the CEO | a | b |\n# heading\n<script>alert('x')</script>\n␛[31mRED␛[0m ⟨U+202E⟩evil",
        HOSTILE_RATING,
    ] {
        assert!(text.contains(s), "HTML lacks {s:?}");
    }
    assert!(!page.contains('\u{1b}') && !page.contains('\u{202e}'));
    let svg_start = page.find("<svg").unwrap();
    let svg_end = page.find("</svg>").unwrap() + "</svg>".len();
    roxmltree::Document::parse(&page[svg_start..svg_end]).expect("well-formed SVG");

    let json = report::render(&r, Format::Json);
    assert!(!json.contains('\u{1b}') && !json.contains('\u{202e}'));
    let j: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(inject(&j, "i04")["expectations"][1]["note"], HOSTILE_RATING);
}
