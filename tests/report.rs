//! Reports of the scripted incident in `report_common`: figures worked out by hand, the three
//! formats as golden snapshots, hostile text checked by real parsers (CommonMark, HTML, XML,
//! JSON), damage warnings, and the chain heads checked against the folder.

mod report_common;

use std::collections::HashSet;

use crisisdesk::report::model::ReportDeadlineState;
use crisisdesk::report::verify::{HeadState, compare, heads_from_report};
use crisisdesk::report::{self, Format};
use pulldown_cmark::{Event, Options, Parser};
use report_common::*;
use serde_json::Value;

const CLOSED_NOW: &str = "2026-12-05T12:00:00Z";

fn closed() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = scripted(tmp.path(), true);
    (tmp, dir)
}

fn json_of(r: &crisisdesk::report::Report) -> Value {
    serde_json::from_str(&report::render(r, Format::Json)).unwrap()
}

#[test]
fn figures_are_the_hand_checked_ones() {
    let (_tmp, dir) = closed();
    let r = report_at(&dir, CLOSED_NOW);
    let j = json_of(&r);
    let m = &j["metrics"];
    // Detected 08:00; the holding statement to the media went at 09:30.
    assert_eq!(m["first_public_statement"]["seconds_after_detection"], 5400);
    assert_eq!(m["first_public_statement"]["audience"], "media");
    assert_eq!(m["first_public_statement"]["message"], id(10).to_string());
    // Groups: media 09:30, employees 09:55, board 10:30, regulator (csirt) 11:05.
    let groups: Vec<(String, Value)> = m["first_message_by_group"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["group"].as_str().unwrap().to_owned(),
                g["seconds_after_detection"].clone(),
            )
        })
        .collect();
    let get = |name: &str| groups.iter().find(|(g, _)| g == name).unwrap().1.clone();
    assert_eq!(get("media"), 5400);
    assert_eq!(get("employees"), 6900);
    assert_eq!(get("board"), 9000);
    assert_eq!(get("regulator"), 11_100);
    assert_eq!(get("customers"), Value::Null);
    assert_eq!(get("partners"), Value::Null);
    // Deadlines at the closure (30 Nov 11:00): met holding, early warning, board; late
    // staff-first (10 min) and NIS2 notification (30 min); missed GDPR Art. 33 (due 30 Nov
    // 08:20), sellers, payment provider, insurer; waiting NIS2 final report and Art. 34.
    let d = &m["deadlines"];
    assert_eq!(
        (
            d["met"].clone(),
            d["late"].clone(),
            d["missed"].clone(),
            d["running"].clone(),
            d["waiting"].clone(),
            d["total"].clone()
        ),
        (3.into(), 2.into(), 4.into(), 0.into(), 2.into(), 11.into())
    );
    let item = |label_start: &str| {
        d["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["label"].as_str().unwrap().starts_with(label_start))
            .unwrap()
            .clone()
    };
    let nis2 = item("NIS2 incident notification");
    assert_eq!(nis2["state"], "late");
    assert_eq!(nis2["due"], "2026-11-30T08:40:00Z");
    assert_eq!(nis2["met_at"], "2026-11-30T09:10:00Z");
    assert_eq!(nis2["overdue_seconds"], 1800);
    assert!(
        nis2["basis"]
            .as_str()
            .unwrap()
            .starts_with("NIS2 Art. 23(4)(b)")
    );
    let staff = item("Staff briefed");
    assert_eq!(
        (staff["state"].clone(), staff["overdue_seconds"].clone()),
        ("late".into(), 600.into())
    );
    let gdpr = item("Notify the supervisory authority");
    assert_eq!(gdpr["state"], "missed");
    assert_eq!(gdpr["overdue_seconds"], 9600, "due 08:20, judged at 11:00");
    assert_eq!(item("NIS2 early warning")["state"], "met");
    assert_eq!(item("NIS2 final report")["state"], "waiting");
    assert_eq!(m["messages_sent"]["count"], 5);
    // Draft → last required approval: media 20 min, staff 40 min, board 20 min, csirt 60 min
    // (its first approval was voided by an edit); the overridden send lacks one, so it does
    // not count. Median of 1200, 1200, 2400, 3600 = 1800.
    assert_eq!(m["draft_to_last_approval"]["count"], 4);
    assert_eq!(m["draft_to_last_approval"]["median_seconds"], 1800);
    assert_eq!(m["overrides"]["count"], 1);
    assert_eq!(m["overrides"]["sends"][0]["reason"], OVERRIDE);
    assert_eq!(
        m["overrides"]["sends"][0]["missing_roles"],
        serde_json::json!(["crisis_lead"])
    );
    // Inquiries: Reuters due 10:35, answered 11:05 (late, 90 min); BBC due 12:00, answered
    // 10:45 (in time, 45 min); sellers' request never answered (due 14:15: overdue); local
    // radio without a deadline answered in 30 min. Median of 5400, 2700, 1800 = 2700.
    let q = &m["inquiries"];
    assert_eq!(q["total"], 4);
    assert_eq!(q["with_deadline"], 3);
    assert_eq!(q["answered_within_deadline"], 1);
    assert_eq!(q["answered_late"], 1);
    assert_eq!(q["answered_without_deadline"], 1);
    assert_eq!(q["unanswered"], 1);
    assert_eq!(q["unanswered_overdue"], 1);
    assert_eq!(q["median_response_seconds"], 2700);
    for key in [
        "first_public_statement",
        "deadlines",
        "messages_sent",
        "draft_to_last_approval",
        "overrides",
        "inquiries",
    ] {
        assert!(
            m[key]["how"].as_str().is_some_and(|h| h.len() > 20),
            "{key} says how"
        );
    }

    // The same facts in the lists.
    let reuters = j["inquiries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["from"] == "Reuters")
        .unwrap();
    assert_eq!(reuters["asked_at"], "2026-11-27T09:35:00Z");
    assert_eq!(reuters["due"], "2026-11-27T10:35:00Z");
    assert_eq!(reuters["answered_at"], "2026-11-27T11:05:00Z");
    assert_eq!(reuters["response_seconds"], 5400);
    assert_eq!(reuters["state"], "answered_late");
    let csirt = j["audiences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "csirt")
        .unwrap();
    let notification = &csirt["messages"][1];
    assert_eq!(notification["id"], id(40).to_string());
    assert_eq!(notification["deadline"], "nis2-notification");
    assert_eq!(notification["override"], OVERRIDE);
    assert_eq!(notification["approvals"][0]["role"], "legal");
    assert_eq!(notification["approvals"][0]["by"], "ben@desk");
    assert_eq!(notification["approvals"][0]["at"], "2026-11-30T08:00:00Z");
    let warning = &csirt["messages"][0];
    assert_eq!(warning["override"], Value::Null);
    assert_eq!(
        warning["approvals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["at"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["2026-11-27T10:50:00Z", "2026-11-27T11:00:00Z"],
        "only approvals of the text as sent"
    );
    let never: Vec<&str> = j["audiences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["told"] == false)
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        never,
        [
            "dpa",
            "data-subjects",
            "sellers",
            "psp",
            "insurer",
            "police",
            "investors"
        ]
    );
    assert_eq!(j["incident"]["interim"], false);
    assert_eq!(j["incident"]["as_of"], "2026-11-30T11:00:00Z");
    assert_eq!(j["incident"]["duration_seconds"], 3 * 86_400 + 3 * 3600);
    assert_eq!(
        j["incident"]["closing_note"],
        "Closed after the final review.\nFollow-up in the action plan."
    );
    assert_eq!(j["actions"][0]["state"], "open");
    assert_eq!(j["actions"][1]["state"], "done");
    assert_eq!(j["lessons"].as_array().unwrap().len(), 3);
    // Corrections are shown, never hidden.
    let fact = &j["facts"][0];
    assert_eq!(fact["text"], "About 1,200 records");
    assert_eq!(fact["corrections"]["original_text"], "About 1,500 records");
    assert_eq!(
        fact["corrections"]["amendments"][0]["reason"],
        "count from forensics"
    );
    let retracted = j["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id(97).to_string())
        .unwrap();
    assert_eq!(retracted["retracted"], true);
    assert_eq!(
        retracted["corrections"]["retraction"]["reason"],
        "logged on the wrong incident"
    );
    assert_eq!(j["timeline"].as_array().unwrap().len(), 45);
    assert_eq!(j["integrity"]["status"], "ok");
    assert_eq!(j["integrity"]["files"], 2);
    assert_eq!(j["integrity"]["records"], 45);
    assert_eq!(j["integrity"]["torn_tails"], 0);
    assert_eq!(j["integrity"]["corrupt_lines"], 0);
    assert_eq!(j["integrity"]["chain_heads"].as_array().unwrap().len(), 2);
    assert_eq!(j["format"], "crisisdesk.report.v1");
    assert_eq!(j["kind"], "post_incident");
    assert!(j.get("exercise").is_none());
}

#[test]
fn a_closed_report_does_not_depend_on_when_it_is_made() {
    let (_tmp, dir) = closed();
    let a = report::render(&report_at(&dir, CLOSED_NOW), Format::Json);
    let b = report::render(&report_at(&dir, "2027-06-01T00:00:00Z"), Format::Json);
    assert_eq!(a, b);
}

#[test]
fn an_open_incident_gives_an_interim_report_as_of_now() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = scripted(tmp.path(), false);
    let r = report_at(&dir, "2026-11-28T12:00:00Z");
    assert!(r.incident.interim);
    assert_eq!(r.incident.as_of, t("2026-11-28T12:00:00Z"));
    let state = |label: &str| {
        r.metrics
            .deadlines
            .items
            .iter()
            .find(|d| d.label.starts_with(label))
            .unwrap()
            .state
    };
    // As of 28 Nov 12:00 the GDPR and NIS2 notification clocks still run; the insurer's
    // (due 28 Nov 08:00) is missed. The notification is later sent late, but not yet.
    assert_eq!(
        state("Notify the supervisory authority"),
        ReportDeadlineState::Running
    );
    assert_eq!(
        state("NIS2 incident notification"),
        ReportDeadlineState::Late
    );
    assert_eq!(
        state("Notify the cyber insurer"),
        ReportDeadlineState::Missed
    );
    let md = report::render(&r, Format::Markdown);
    assert!(
        md.contains("**Interim, as of 2026-11-28 13:00 CET.**"),
        "{}",
        &md[..400]
    );
    let html = report::render(&r, Format::Html);
    assert!(html.contains(
        "Interim, as of <time datetime=\"2026-11-28T12:00:00Z\">2026-11-28 13:00 CET</time>."
    ));
}

#[test]
fn golden_markdown_html_and_json() {
    let (_tmp, dir) = closed();
    let r = report_at(&dir, CLOSED_NOW);
    insta::assert_snapshot!("report_md", report::render(&r, Format::Markdown));
    insta::assert_snapshot!("report_html", report::render(&r, Format::Html));
    insta::assert_snapshot!("report_json", report::render(&r, Format::Json));
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
fn hostile_text_is_text_in_markdown() {
    let (_tmp, dir) = closed();
    let md = report::render(&report_at(&dir, CLOSED_NOW), Format::Markdown);
    let (texts, html) = markdown_texts(&md);
    assert!(!html, "no raw HTML reaches the Markdown");
    // The message as sent, line by line (escape and bidi characters made visible).
    for line in [
        "We know | a | b |",
        "# heading",
        "<script>alert('x')</script>",
        "␛[31mRED␛[0m and ⟨U+202E⟩evil",
        "<img src=x onerror=alert(1)> & `code` *not bold*",
        "Customer records exposed <script>alert(1)</script>",
    ] {
        assert!(texts.contains(line), "missing {line:?}");
    }
    assert!(!md.contains('\u{1b}') && !md.contains('\u{202e}'));
    // Headings are only ours: the typed "# heading" did not become one.
    let headings = Parser::new_ext(&md, Options::ENABLE_TABLES)
        .filter(|e| matches!(e, Event::Start(pulldown_cmark::Tag::Heading { .. })))
        .count();
    let expected = md.lines().filter(|l| l.starts_with('#')).count();
    assert_eq!(headings, expected);
    assert!(md.lines().all(|l| !l.starts_with("# heading")));
}

/// Every element name in an HTML document.
fn element_names(doc: &scraper::Html) -> HashSet<String> {
    doc.tree
        .nodes()
        .filter_map(|n| n.value().as_element().map(|e| e.name().to_owned()))
        .collect()
}

#[test]
fn hostile_text_is_text_in_html_and_the_svg_is_well_formed() {
    let (_tmp, dir) = closed();
    let html = report::render(&report_at(&dir, CLOSED_NOW), Format::Html);
    let doc = scraper::Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "HTML parse errors: {:?}", doc.errors);
    let names = element_names(&doc);
    let allowed: HashSet<&str> = [
        "html", "head", "meta", "title", "style", "body", "div", "strong", "header", "h1", "h2",
        "h3", "h4", "p", "nav", "li", "a", "section", "table", "thead", "tbody", "tr", "th", "td",
        "time", "span", "dl", "dt", "dd", "ul", "code", "svg", "line", "text", "rect", "polygon",
        "g", "circle", "path",
    ]
    .into_iter()
    .collect();
    let unexpected: Vec<&String> = names
        .iter()
        .filter(|n| !allowed.contains(n.as_str()))
        .collect();
    assert!(unexpected.is_empty(), "unexpected elements: {unexpected:?}");
    assert!(!names.contains("script") && !names.contains("img"));
    for n in doc.tree.nodes() {
        if let Some(e) = n.value().as_element() {
            for (attr, value) in e.attrs() {
                assert!(!attr.starts_with("on"), "event handler attribute {attr}");
                if attr == "href" {
                    assert!(value.starts_with('#'), "links stay in the page: {value}");
                }
            }
        }
    }
    let text: String = doc.root_element().text().collect();
    for s in [
        "We know | a | b |\n# heading\n<script>alert('x')</script>\n␛[31mRED␛[0m and ⟨U+202E⟩evil",
        "<img src=x onerror=alert(1)> & `code` *not bold*",
        "Staff heard after the press <b>again</b>",
        "https://example.org/heise?x=<b>",
    ] {
        assert!(text.contains(s), "missing {s:?}");
    }
    assert!(!html.contains('\u{1b}') && !html.contains('\u{202e}'));
    // Nothing loads from outside: no source attributes, no stylesheet links or imports.
    for n in doc.tree.nodes() {
        if let Some(e) = n.value().as_element() {
            assert!(
                e.attrs()
                    .all(|(a, _)| a != "src" && !a.ends_with("href") || a == "href")
            );
        }
    }
    let style: String = doc
        .select(&scraper::Selector::parse("style").unwrap())
        .flat_map(|s| s.text())
        .collect();
    assert!(!style.contains("url(") && !style.contains("@import"));

    // The SVG is well-formed XML on its own.
    let start = html.find("<svg").unwrap();
    let end = html.find("</svg>").unwrap() + "</svg>".len();
    let svg = roxmltree::Document::parse(&html[start..end]).expect("well-formed SVG");
    let root = svg.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    // Five sends: four circles and one square for the override (plus the legend's one each).
    let sends = root
        .descendants()
        .filter(|n| n.has_tag_name("title") && n.text().is_some_and(|t| t.starts_with("Sent ")))
        .count();
    assert_eq!(sends, 5);
    // Deadline markers carry their state as a word as well as a colour and a shape.
    let words: Vec<&str> = root
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("font-size") == Some("9"))
        .filter_map(|n| n.text())
        .collect();
    for w in ["met", "late", "missed"] {
        assert!(words.contains(&w), "marker word {w}: {words:?}");
    }
    // One lane per audience in play (all eleven, at severity high).
    let lanes = root
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("x") == Some("8"))
        .count();
    assert_eq!(
        lanes,
        11 + 2,
        "eleven lanes plus the severity and milestone rows"
    );
}

#[test]
fn hostile_text_is_data_in_json() {
    let (_tmp, dir) = closed();
    let text = report::render(&report_at(&dir, CLOSED_NOW), Format::Json);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "escaped, not raw"
    );
    assert!(text.contains("\\u001b[31mRED\\u001b[0m and \\u202eevil"));
    let j: Value = serde_json::from_str(&text).unwrap();
    let media = j["audiences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "media")
        .unwrap();
    assert_eq!(
        media["messages"][0]["text"], HOSTILE,
        "the exact text as sent"
    );
}

#[test]
fn the_three_formats_state_the_same_facts() {
    let (_tmp, dir) = closed();
    let r = report_at(&dir, CLOSED_NOW);
    let md = report::render(&r, Format::Markdown);
    let html = report::render(&r, Format::Html);
    let doc = scraper::Html::parse_document(&html);
    let html_text: String = doc.root_element().text().collect();
    let (md_text, _) = markdown_texts(&md);
    for fact in [
        "1 h 30 min (2026-11-27 10:30 CET, to News and trade media)",
        "3 met, 2 late, 4 missed, 0 still running, 2 not started (of 11)",
        "30 min (over 4 messages)",
        "1 of 3 with a reply deadline (1 answered late)",
        "45 min (over 3 answered)",
        "1 of 4 (1 past their reply deadline)",
        OVERRIDE,
        "! late by 30 min",
        "✗ missed (2 h 40 min past due)",
        "About 1,200 records",
        "first recorded as \"About 1,500 records\"",
        "WITHDRAWN 2026-11-27 10:45 CET by ben@desk: logged on the wrong incident",
        "The journalist waited",
        "Pre-approve the NIS2 notification template",
    ] {
        assert!(md_text.contains(fact), "Markdown lacks {fact:?}");
        assert!(html_text.contains(fact), "HTML lacks {fact:?}");
    }
    for head in &r.integrity.chain_heads {
        let sum = head.sum.as_deref().unwrap();
        assert!(md.contains(sum) && html.contains(sum));
    }
}

#[test]
fn damage_is_announced_at_the_very_top() {
    let (_tmp, dir) = closed();
    let journal = dir.join("journal");
    let ben = std::fs::read_dir(&journal)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_str().unwrap().starts_with("ben"))
        .unwrap();
    let mut bytes = std::fs::read(&ben).unwrap();
    let third = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .unwrap()
        .0
        + 1;
    bytes[third + 40] ^= 0x01;
    bytes.extend_from_slice(b"{\"v\":1,\"seq\":99");
    std::fs::write(&ben, bytes).unwrap();
    let r = report_at(&dir, CLOSED_NOW);
    assert!(r.integrity.damaged);
    assert_eq!(r.integrity.status, "corrupt");
    assert_eq!((r.integrity.corrupt_lines, r.integrity.torn_tails), (1, 1));
    let file = ben.file_name().unwrap().to_str().unwrap();
    let finding = &r.integrity.findings[0];
    assert_eq!(
        (finding.file.as_str(), finding.line, finding.kind.as_str()),
        (file, Some(3), "bad-checksum")
    );
    let warning = r.integrity.warning.clone().unwrap();
    assert!(
        warning.contains(&format!(
            "{file} line 3: the record's bytes changed after it was written"
        )),
        "{warning}"
    );
    let md = report::render(&r, Format::Markdown);
    let mut events = Parser::new_ext(&md, Options::ENABLE_TABLES);
    assert!(
        matches!(
            events.next(),
            Some(Event::Start(pulldown_cmark::Tag::BlockQuote(_)))
        ),
        "{}",
        &md[..200]
    );
    let first_text = events.find_map(|e| match e {
        Event::Text(t) => Some(t.into_string()),
        _ => None,
    });
    assert_eq!(first_text.as_deref(), Some("Warning: damaged record."));
    let html = report::render(&r, Format::Html);
    let doc = scraper::Html::parse_document(&html);
    let body = doc
        .select(&scraper::Selector::parse("body > *").unwrap())
        .next()
        .unwrap();
    assert_eq!(body.value().attr("class"), Some("warning"));
    assert!(
        body.text()
            .collect::<String>()
            .contains(&format!("{file} line 3"))
    );
}

#[test]
fn chain_heads_tell_which_file_changed_since_the_report() {
    let (_tmp, dir) = closed();
    let journal = dir.join("journal");
    let mut carl =
        crisisdesk::journal::JournalWriter::create_with_session(&journal, "carl@pc", id(0xc3))
            .unwrap();
    let console = carl.console_id().to_owned();
    let note = |n: u128| {
        crisisdesk::incident::Event::new(
            id(n),
            t("2026-11-30T12:00:00Z"),
            t("2026-11-30T12:00:00Z"),
            &crisisdesk::incident::Origin {
                author: "carl@pc".into(),
                console: console.clone(),
            },
            crisisdesk::incident::Body::Note {
                text: "late note".into(),
            },
        )
    };
    carl.append(&note(500)).unwrap();
    let json = report::render(&report_at(&dir, CLOSED_NOW), Format::Json);
    let recorded = heads_from_report(&json).unwrap();
    assert_eq!(recorded.len(), 3);

    let current = |dir: &std::path::Path| report_at(dir, CLOSED_NOW).integrity.chain_heads;
    let sum_at = |file: &str, seq: u64| {
        crisisdesk::journal::chain_sum_at(&std::fs::read(journal.join(file)).ok()?, seq)
    };
    let states = |found: Vec<crisisdesk::report::verify::HeadFinding>| {
        found
            .into_iter()
            .map(|f| (f.file[..4].to_owned(), f.state))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        states(compare(&recorded, &current(&dir), sum_at)),
        [
            ("anna".into(), HeadState::Unchanged),
            ("ben-".into(), HeadState::Unchanged),
            ("carl".into(), HeadState::Unchanged)
        ]
    );
    // Carl writes on; Ben's file is edited (one byte of an early record).
    carl.append(&note(501)).unwrap();
    let ben = recorded
        .iter()
        .find(|h| h.file.starts_with("ben"))
        .unwrap()
        .file
        .clone();
    let mut bytes = std::fs::read(journal.join(&ben)).unwrap();
    let pos = bytes.windows(6).position(|w| w == b"Reuter").unwrap();
    bytes[pos] = b'r';
    std::fs::write(journal.join(&ben), bytes).unwrap();
    let found = compare(&recorded, &current(&dir), sum_at);
    assert_eq!(
        states(found.clone()),
        [
            ("anna".into(), HeadState::Unchanged),
            ("ben-".into(), HeadState::Changed),
            ("carl".into(), HeadState::Grew)
        ],
        "an edit in the middle is found even though the last record is untouched"
    );
    assert!(found[1].is_mismatch() && !found[2].is_mismatch());
    assert!(
        found[1].detail.contains("edited, cut or replaced"),
        "{}",
        found[1].detail
    );
    std::fs::remove_file(journal.join(&ben)).unwrap();
    let found = compare(&recorded, &current(&dir), sum_at);
    assert_eq!(
        found.iter().find(|f| f.file == ben).unwrap().state,
        HeadState::Missing
    );
}
