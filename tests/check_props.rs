//! Property: writing the same figure another way (separators, decimal marks, number words,
//! multipliers, singular or plural, another case of a Polish noun) never creates a finding.

use crisisdesk::check::record::{Audience, FactVersion};
use crisisdesk::check::{Lang, Record, Said, Value, extract};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use proptest::prelude::*;
use uuid::Uuid;

const EN_WORDS: [&str; 20] = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];
const PL_WORDS: [&str; 20] = [
    "jeden",
    "dwa",
    "trzy",
    "cztery",
    "pięć",
    "sześć",
    "siedem",
    "osiem",
    "dziewięć",
    "dziesięć",
    "jedenaście",
    "dwanaście",
    "trzynaście",
    "czternaście",
    "piętnaście",
    "szesnaście",
    "siedemnaście",
    "osiemnaście",
    "dziewiętnaście",
    "dwadzieścia",
];
const SPACES: [&str; 4] = [" ", "\u{a0}", "\u{202f}", "\u{2009}"];

/// Digits grouped by threes with `sep`.
fn grouped(v: u64, sep: &str) -> String {
    let d = v.to_string();
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// Every way the format table knows to write `v` in `lang` (`k` picks among them).
fn formats(v: u64, lang: Lang) -> Vec<String> {
    let mut f = vec![v.to_string()];
    match lang {
        Lang::En => f.push(grouped(v, ",")),
        Lang::Pl => f.push(grouped(v, ".")),
    }
    for s in SPACES {
        f.push(grouped(v, s));
    }
    if (1..=20).contains(&v) {
        f.push(match lang {
            Lang::En => EN_WORDS[v as usize - 1].to_owned(),
            Lang::Pl => PL_WORDS[v as usize - 1].to_owned(),
        });
    }
    if v >= 1000 && v.is_multiple_of(100) && v < 1_000_000 {
        let thousands = v as f64 / 1000.0;
        let t = format!("{thousands}");
        f.push(match lang {
            Lang::En => format!("{t} thousand"),
            Lang::Pl => format!("{} tys.", t.replace('.', ",")),
        });
        if lang == Lang::En && v.is_multiple_of(1000) {
            f.push(format!("{}k", v / 1000));
        }
    }
    if v >= 1_000_000 && v.is_multiple_of(100_000) {
        let m = format!("{}", v as f64 / 1e6);
        f.push(match lang {
            Lang::En => format!("{m} million"),
            Lang::Pl => format!("{} mln", m.replace('.', ",")),
        });
    }
    f
}

/// Forms of one noun that must count the same thing.
const EN_NOUNS: &[&[&str]] = &[
    &["customers", "customer"],
    &["sites", "site"],
    &["records", "record"],
    &["people", "person"],
    &["households", "household"],
];
const PL_NOUNS: &[&[&str]] = &[
    &["mieszkańców", "mieszkańcy", "mieszkańcom"],
    &["osób", "osoby", "osobom"],
    &["klientów", "klienci", "klientom"],
    &["budynków", "budynki", "budynkom"],
    &["odbiorców", "odbiorcy", "odbiorcom"],
];

fn sentence(lang: Lang, qualifier: bool, number: &str, noun: &str) -> String {
    match (lang, qualifier) {
        (Lang::En, false) => format!("So far {number} {noun} were affected."),
        (Lang::En, true) => format!("So far about {number} {noun} were affected."),
        (Lang::Pl, false) => format!("Potwierdzamy, że awaria dotyczy {number} {noun}."),
        (Lang::Pl, true) => format!("Potwierdzamy, że awaria dotyczy około {number} {noun}."),
    }
}

fn said(n: u128, audience: &str, at: &str, text: String, lang: Lang) -> Said {
    Said {
        message: Uuid::from_u128(n),
        audience: audience.into(),
        at: at.parse::<Timestamp>().unwrap(),
        sent: true,
        statements: extract(&text, lang),
        text,
    }
}

fn audiences() -> Vec<Audience> {
    ["media", "regulator", "staff"]
        .iter()
        .map(|id| Audience {
            id: (*id).into(),
            name: (*id).into(),
            in_play: true,
        })
        .collect()
}

fn value() -> impl Strategy<Value = u64> {
    prop_oneof![
        1u64..=20,
        21u64..=999,
        1000u64..=999_999,
        (1u64..=99).prop_map(|m| m * 100_000)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn reformatting_a_figure_never_creates_a_finding(
        v in value(),
        polish in any::<bool>(),
        picks in prop::array::uniform3(any::<prop::sample::Index>()),
        nouns in prop::array::uniform4(any::<prop::sample::Index>()),
        about in prop::array::uniform3(any::<bool>()),
    ) {
        let lang = if polish { Lang::Pl } else { Lang::En };
        let forms = formats(v, lang);
        let groups = if polish { PL_NOUNS } else { EN_NOUNS };
        let group = groups[nouns[0].index(groups.len())];
        let texts: Vec<String> = (0..3)
            .map(|k| {
                let number = &forms[picks[k].index(forms.len())];
                let noun = group[nouns[k + 1].index(group.len())];
                sentence(lang, about[k], number, noun)
            })
            .collect();
        // Each text states the figure once, with its value.
        for text in &texts {
            let st = extract(text, lang);
            prop_assert_eq!(st.len(), 1, "{}: {:?}", text, st);
            let (lo, hi) = st[0].value.interval();
            prop_assert!(lo <= v as f64 && v as f64 <= hi, "{} read as {:?}", text, st[0].value);
            let is_count = matches!(st[0].value, Value::Count { .. });
            prop_assert!(is_count);
        }
        let sent = vec![
            said(1, "media", "2026-11-27T09:30:00Z", texts[0].clone(), lang),
            said(2, "regulator", "2026-11-27T10:30:00Z", texts[1].clone(), lang),
        ];
        let fact_text = texts[2].clone();
        let facts = vec![FactVersion {
            fact: Uuid::from_u128(3),
            entry: Uuid::from_u128(3),
            at: "2026-11-27T09:00:00Z".parse().unwrap(),
            confirmed: true,
            statements: extract(&fact_text, lang),
            text: fact_text,
            replaced_at: None,
        }];
        let draft = said(4, "staff", "2026-11-27T11:00:00Z", texts[2].clone(), lang);
        let rec = Record::from_parts(lang, TimeZone::UTC, audiences(), sent, vec![Said { sent: false, ..draft.clone() }], facts);
        let findings = rec.findings();
        prop_assert!(findings.is_empty(), "{:?}\n{:#?}", texts, findings.iter().map(|f| &f.text).collect::<Vec<_>>());
        prop_assert!(rec.check(&draft).is_empty());
    }

    /// The extraction never panics, whatever the text, and its quotes are in the text.
    #[test]
    fn any_text_is_read_without_panicking(text in "\\PC{0,80}", polish in any::<bool>()) {
        let lang = if polish { Lang::Pl } else { Lang::En };
        for s in extract(&text, lang) {
            prop_assert!(text.get(s.span.clone()).is_some());
        }
    }

    /// Texts made of the pieces figures are made of (digits, separators, number words,
    /// qualifiers) are read without panicking too.
    #[test]
    fn figure_like_text_is_read_without_panicking(
        parts in prop::collection::vec(prop_oneof![
            Just("1"), Just("200"), Just(","), Just("."), Just(" "), Just("\u{a0}"), Just("-"),
            Just("–"), Just("about "), Just("up to "), Just("od "), Just("do "), Just("since "),
            Just("March"), Just("marca"), Just("14"), Just("tys."), Just("k"), Just("million"),
            Just("customers"), Just("osób"), Just("%"), Just("€"), Just(":"), Just("?"),
            Just("of "), Just("z "), Just("3"), Just("three"), Just("\n"),
        ], 0..24),
        polish in any::<bool>(),
    ) {
        let text: String = parts.concat();
        let lang = if polish { Lang::Pl } else { Lang::En };
        for s in extract(&text, lang) {
            prop_assert!(text.get(s.span.clone()).is_some());
        }
    }
}
