//! The figure extraction on hand-written English and Polish sentences: numbers in every
//! format, number words, multipliers, ranges and qualifiers, start dates, inflected nouns,
//! and near misses that must not be read as statements at all.

use crisisdesk::check::{Bound, Lang, Statement, Subject, Value, extract};

/// A statement in a compact, readable form: `customers =1200`, `mieszkańców ~12000r`,
/// `GB[data] =9`, `since 14/3`, `%[customer] >=40`.
fn describe(s: &Statement) -> String {
    let subject = match &s.subject {
        Subject::Noun {
            word, modifiers, ..
        } => with_mods(word, modifiers),
        Subject::Unit { unit, modifiers } => with_mods(unit, modifiers),
        Subject::Since => "since".to_owned(),
    };
    let value = match s.value {
        Value::Count {
            n,
            hi,
            bound,
            rounded,
        } => {
            let r = if rounded { "r" } else { "" };
            match bound {
                Bound::Exact => format!("={n}{r}"),
                Bound::About => format!("~{n}{r}"),
                Bound::AtMost => format!("<={n}{r}"),
                Bound::AtLeast => format!(">={n}{r}"),
                Bound::Nearly => format!("nearly {n}{r}"),
                Bound::JustOver => format!("just over {n}{r}"),
                Bound::Between => format!("{n}..{}{r}", hi.unwrap_or(n)),
            }
        }
        Value::Date { year, month, day } => match year {
            Some(y) => format!("{day}/{month}/{y}"),
            None => format!("{day}/{month}"),
        },
    };
    format!("{subject} {value}")
}

fn with_mods(word: &str, mods: &[crisisdesk::check::noun::Keys]) -> String {
    if mods.is_empty() {
        word.to_owned()
    } else {
        let m: Vec<&str> = mods.iter().map(|k| k.primary()).collect();
        format!("{word}[{}]", m.join(","))
    }
}

/// (language of the playbook, sentence, the statements expected, in order)
const TABLE: &[(&str, &str, &[&str])] = &[
    // --- English: numbers and separators
    (
        "en",
        "Records of about 1,200 customers were accessed.",
        &["customers ~1200"],
    ),
    (
        "en",
        "Records of 1,500 customers were accessed.",
        &["customers =1500"],
    ),
    (
        "en",
        "We have written to 1 200 customers.",
        &["customers =1200"],
    ),
    (
        "en",
        "We have written to 1\u{a0}200 customers.",
        &["customers =1200"],
    ),
    (
        "en",
        "We have written to 1\u{202f}200 customers.",
        &["customers =1200"],
    ),
    ("en", "The attacker copied 9 GB of data.", &["GB[data] =9"]),
    ("en", "The attacker copied 12GB of data.", &["GB[data] =12"]),
    (
        "en",
        "About 1.5 GB of data left our network.",
        &["GB[data] ~1.5"],
    ),
    (
        "en",
        "The breach involves 1.2 million records.",
        &["records =1200000r"],
    ),
    (
        "en",
        "The breach involves 1.2m records.",
        &["records =1200000r"],
    ),
    (
        "en",
        "Roughly 12k customers received the email.",
        &["customers ~12000r"],
    ),
    ("en", "Three sites are closed.", &["sites =3"]),
    ("en", "3 sites are closed.", &["sites =3"]),
    ("en", "We closed one site as a precaution.", &["site =1"]),
    ("en", "Twenty employees were evacuated.", &["employees =20"]),
    (
        "en",
        "Two thousand customers were affected.",
        &["customers =2000r"],
    ),
    (
        "en",
        "40% of customers have been contacted.",
        &["%[custom] =40"],
    ),
    (
        "en",
        "40 per cent of customers have been contacted.",
        &["%[custom] =40"],
    ),
    ("en", "The fine could reach €5 million.", &["EUR =5000000r"]),
    // --- English: qualifiers and ranges
    (
        "en",
        "Up to 1,500 customers may be affected.",
        &["customers <=1500"],
    ),
    (
        "en",
        "At least 300 people were evacuated.",
        &["people >=300"],
    ),
    (
        "en",
        "More than 1,500 customers are affected.",
        &["customers >=1500"],
    ),
    (
        "en",
        "Over 200 staff worked through the night.",
        &["staff >=200"],
    ),
    (
        "en",
        "Nearly 2,000 households lost power.",
        &["households nearly 2000"],
    ),
    ("en", "Almost 50 stores are closed.", &["stores nearly 50"]),
    (
        "en",
        "Approximately 9 GB of data was copied.",
        &["GB[data] ~9"],
    ),
    (
        "en",
        "Fewer than 100 accounts were locked.",
        &["accounts <=100"],
    ),
    (
        "en",
        "Between 1,200 and 1,500 customers are affected.",
        &["customers 1200..1500"],
    ),
    (
        "en",
        "1,200–1,500 customers are affected.",
        &["customers 1200..1500"],
    ),
    (
        "en",
        "1,200 to 1,500 customers are affected.",
        &["customers 1200..1500"],
    ),
    ("en", "From 3 to 5 sites will reopen.", &["sites 3..5"]),
    (
        "en",
        "1,200 or more customers are affected.",
        &["customers >=1200"],
    ),
    (
        "en",
        "Just over 1,000 patients were moved.",
        &["patients just over 1000"],
    ),
    // --- English: nouns, adjectives, places
    (
        "en",
        "1,200 affected customers will get a letter.",
        &["customers =1200"],
    ),
    (
        "en",
        "1,200 of our customers will get a letter.",
        &["customers =1200"],
    ),
    (
        "en",
        "3 of our 12 sites are closed.",
        &["sites =3", "sites =12"],
    ),
    (
        "en",
        "1,200 German customers are affected.",
        &["customers[german] =1200"],
    ),
    (
        "en",
        "1,200 customers in Germany are affected.",
        &["customers[germani] =1200"],
    ),
    ("en", "Affected customers: 1,500.", &["customers =1500"]),
    (
        "en",
        "The number of affected customers is 1,500.",
        &["customers =1500"],
    ),
    // --- English: dates
    (
        "en",
        "The access has been possible since 14 March.",
        &["since 14/3"],
    ),
    (
        "en",
        "The access has been possible since March 12.",
        &["since 12/3"],
    ),
    (
        "en",
        "The access has been possible since March 12th, 2026.",
        &["since 12/3/2026"],
    ),
    (
        "en",
        "Unauthorised access since Monday, 14 March.",
        &["since 14/3"],
    ),
    (
        "en",
        "Services have been down since 14.03.2026.",
        &["since 14/3/2026"],
    ),
    // --- English near misses: nothing stated
    ("en", "Is it true that 5,000 customers are affected?", &[]),
    ("en", "It is not 5,000 customers.", &[]),
    ("en", "Media reports of 5,000 customers are wrong.", &[]),
    (
        "en",
        "If more than 500 customers are affected, we notify the regulator.",
        &[],
    ),
    ("en", "Another 300 customers were identified today.", &[]),
    ("en", "We found 300 more customers.", &[]),
    ("en", "The count rose by 300 customers.", &[]),
    ("en", "We will update you within 2 hours.", &[]),
    ("en", "The outage lasted 3 days.", &[]),
    ("en", "Next update at 10:00 CET.", &[]),
    ("en", "Call our hotline on 0800 123 456.", &[]),
    ("en", "This is a notification under Article 33 GDPR.", &[]),
    ("en", "No one was hurt.", &[]),
    ("en", "A 45-year-old employee was treated on site.", &[]),
    (
        "en",
        "Statement from Acme — 27 November 2026, 10:00 CET",
        &[],
    ),
    ("en", "We will never ask for a one-time code.", &[]),
    ("en", "COVID-19 and NIS2 rules apply.", &[]),
    ("en", "In 2025 we ran two exercises.", &["exercises =2"]),
    ("en", "Earlier we said 1,200 customers.", &[]),
    (
        "en",
        "We will decide within {{fill:8k_days}} of the filing.",
        &[],
    ),
    ("en", "An 8-K is due within four business days.", &[]),
    ("en", "One of our colleagues died at the site.", &[]),
    ("en", "About {{fill:count}} customers are affected.", &[]),
    // --- Polish: numbers, separators, multipliers
    (
        "pl",
        "Bez wody pozostaje około 12 tys. mieszkańców.",
        &["mieszkańców ~12000r"],
    ),
    (
        "pl",
        "Bez wody pozostaje 12 000 mieszkańców.",
        &["mieszkańców =12000"],
    ),
    (
        "pl",
        "Bez wody pozostaje 12\u{a0}000 mieszkańców.",
        &["mieszkańców =12000"],
    ),
    (
        "pl",
        "Bez wody pozostaje 12\u{202f}000 mieszkańców.",
        &["mieszkańców =12000"],
    ),
    (
        "pl",
        "Awaria dotyczy 1,5 tys. gospodarstw domowych.",
        &["gospodarstw =1500r"],
    ),
    ("pl", "Wyciekło 1,2 mln rekordów.", &["rekordów =1200000r"]),
    ("pl", "Wyciekło 1,5 GB danych.", &["GB[dan] =1.5"]),
    (
        "pl",
        "Trzy szpitale korzystają z beczkowozów.",
        &["szpitale =3"],
    ),
    (
        "pl",
        "Pięciu pracowników trafiło do szpitala.",
        &["pracowników =5"],
    ),
    ("pl", "Dwie osoby zostały ranne.", &["osoby =2"]),
    ("pl", "Ewakuowano 120 osób.", &["osób =120"]),
    (
        "pl",
        "Ponad 40% mieszkańców nie ma wody.",
        &["%[mieszkanc] >=40"],
    ),
    (
        "pl",
        "Półtora tysiąca klientów dostało SMS.",
        &["klientów =1500r"],
    ),
    // --- Polish: qualifiers and ranges
    (
        "pl",
        "Ponad 1200 klientów straciło dostęp.",
        &["klientów >=1200"],
    ),
    ("pl", "Co najmniej 300 osób ewakuowano.", &["osób >=300"]),
    (
        "pl",
        "Do 1500 odbiorców może nie mieć wody.",
        &["odbiorców <=1500"],
    ),
    (
        "pl",
        "Blisko 2 tys. odbiorców nie ma wody.",
        &["odbiorców nearly 2000r"],
    ),
    ("pl", "Prawie 50 ulic jest bez wody.", &["ulic nearly 50"]),
    (
        "pl",
        "Od 1200 do 1500 klientów straciło dostęp.",
        &["klientów 1200..1500"],
    ),
    (
        "pl",
        "Nie więcej niż 20 placówek jest zamkniętych.",
        &["placówek <=20"],
    ),
    (
        "pl",
        "Ok. 300 mieszkańców korzysta z punktów poboru.",
        &["mieszkańców ~300"],
    ),
    // --- Polish: inflections and places
    (
        "pl",
        "Przekazaliśmy wodę 300 mieszkańcom.",
        &["mieszkańcom =300"],
    ),
    (
        "pl",
        "Utrudnienia dotyczą 1200 poszkodowanych klientów.",
        &["klientów =1200"],
    ),
    (
        "pl",
        "Wodę dowieziemy 300 mieszkańcom Nadwarcina.",
        &["mieszkańcom[nadwarcin] =300"],
    ),
    (
        "pl",
        "Liczba poszkodowanych: 1200.",
        &["poszkodowanych =1200"],
    ),
    // --- Polish: dates
    ("pl", "Awaria trwa od 14 marca.", &["since 14/3"]),
    (
        "pl",
        "Awaria trwa od 12 marca 2026 r.",
        &["since 12/3/2026"],
    ),
    (
        "pl",
        "Awaria trwa od dnia 14.03.2026.",
        &["since 14/3/2026"],
    ),
    (
        "pl",
        "Awaria trwa od poniedziałku, 14 marca.",
        &["since 14/3"],
    ),
    // --- Polish near misses
    ("pl", "Czy prawdą jest, że 5000 osób nie ma wody?", &[]),
    ("pl", "Podobno 5000 osób nie ma wody.", &[]),
    ("pl", "Nie 5000, lecz mniej osób.", &[]),
    ("pl", "Liczba poszkodowanych wzrosła o 300 osób.", &[]),
    ("pl", "Kolejne 300 osób zgłosiło się po wodę.", &[]),
    (
        "pl",
        "Jeśli awaria potrwa ponad 3 dni, uruchomimy kolejne punkty.",
        &[],
    ),
    ("pl", "Kolejny komunikat o godz. 14:00.", &[]),
    ("pl", "Zadzwoń pod numer 994.", &[]),
    ("pl", "Ten komunikat jest ważny do odwołania.", &[]),
    ("pl", "Wcześniej podawaliśmy 1200 osób.", &[]),
    ("pl", "Komunikat z 14 marca 2026 r., godz. 10:00.", &[]),
    ("pl", "Zgodnie z art. 33 RODO zawiadamiamy organ.", &[]),
    ("pl", "Jeden z pracowników trafił do szpitala.", &[]),
    ("pl", "Odpowiemy w ciągu 2 dni roboczych.", &[]),
];

#[test]
fn the_table() {
    assert!(TABLE.len() >= 80, "the table has {} sentences", TABLE.len());
    let mut failures = Vec::new();
    for (lang, text, expected) in TABLE {
        let lang = Lang::from_tag(Some(lang));
        let got: Vec<String> = extract(text, lang).iter().map(describe).collect();
        if got != *expected {
            failures.push(format!(
                "{text}\n    expected {expected:?}\n    got      {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} sentences read wrongly:\n{}",
        failures.len(),
        TABLE.len(),
        failures.join("\n")
    );
}

#[test]
fn quotes_are_exact_substrings() {
    for (lang, text, _) in TABLE {
        for s in extract(text, Lang::from_tag(Some(lang))) {
            let q = s.quote(text);
            assert!(!q.is_empty(), "{text}");
            assert_eq!(&text[s.span.clone()], q);
        }
    }
}

#[test]
fn hedges_are_noticed_in_their_sentence_only() {
    let text = "Up to 1,500 customers may be affected. We have written to 1,200 customers.";
    let st = extract(text, Lang::En);
    assert_eq!(st.len(), 2);
    assert!(st[0].hedged);
    assert!(!st[1].hedged);
    let text = "Wstępnie szacujemy, że awaria dotyczy 1200 odbiorców.";
    assert!(extract(text, Lang::Pl)[0].hedged);
    // "May" next to a number is the month, not a hedge.
    let text = "Access has been possible since 14 May. 1,200 customers are affected.";
    assert!(extract(text, Lang::En).iter().all(|s| !s.hedged));
}
