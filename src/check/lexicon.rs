//! The words the extraction knows, in English and Polish: number words, multipliers,
//! qualifiers, units, months, and the words that make a figure something other than a plain
//! statement (a question, a rumour, an increment, a condition).
//!
//! Lists, not grammar: every entry is lower case and matched against whole words (Polish
//! forms are listed as they are written, diacritics included). What is not listed is not
//! understood; README's Limits says so.

/// The language a text is read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Pl,
}

impl Lang {
    /// From a playbook's BCP-47 `language` tag; English when absent or anything else.
    pub fn from_tag(tag: Option<&str>) -> Lang {
        match tag {
            Some(t)
                if t.eq_ignore_ascii_case("pl") || t.to_ascii_lowercase().starts_with("pl-") =>
            {
                Lang::Pl
            }
            _ => Lang::En,
        }
    }
}

/// Number words one to twenty in the text's language (English; Polish with its case forms
/// and "półtora"). Language matters: Polish "ten" means "this", not 10.
pub fn number_word(w: &str, lang: Lang) -> Option<f64> {
    const EN: [&str; 20] = [
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
    let v = match lang {
        Lang::En => EN.iter().position(|e| *e == w)? + 1,
        Lang::Pl => match w {
            "jeden" | "jedna" | "jedno" | "jednego" | "jednej" | "jednemu" | "jednym" => 1,
            "dwa" | "dwie" | "dwóch" | "dwoje" | "dwojga" | "dwu" | "dwoma" | "dwom" => 2,
            "trzy" | "trzech" | "trzej" | "troje" | "trojga" | "trzema" | "trzem" => 3,
            "cztery" | "czterech" | "czterej" | "czworo" | "czterema" | "czterem" => 4,
            "pięć" | "pięciu" | "pięcioro" | "pięcioma" => 5,
            "sześć" | "sześciu" | "sześcioro" | "sześcioma" => 6,
            "siedem" | "siedmiu" | "siedmioro" | "siedmioma" => 7,
            "osiem" | "ośmiu" | "ośmioro" | "ośmioma" => 8,
            "dziewięć" | "dziewięciu" | "dziewięcioro" | "dziewięcioma" => 9,
            "dziesięć" | "dziesięciu" | "dziesięcioro" | "dziesięcioma" => 10,
            "jedenaście" | "jedenastu" | "jedenastoma" => 11,
            "dwanaście" | "dwunastu" | "dwunastoma" => 12,
            "trzynaście" | "trzynastu" | "trzynastoma" => 13,
            "czternaście" | "czternastu" | "czternastoma" => 14,
            "piętnaście" | "piętnastu" | "piętnastoma" => 15,
            "szesnaście" | "szesnastu" | "szesnastoma" => 16,
            "siedemnaście" | "siedemnastu" | "siedemnastoma" => 17,
            "osiemnaście" | "osiemnastu" | "osiemnastoma" => 18,
            "dziewiętnaście" | "dziewiętnastu" | "dziewiętnastoma" => 19,
            "dwadzieścia" | "dwudziestu" | "dwudziestoma" => 20,
            "półtora" | "półtorej" => return Some(1.5),
            _ => return None,
        },
    };
    Some(v as f64)
}

/// A multiplier word after a number: "1.2 million", "1,5 tys.", "3 thousand". The bool is
/// true for the Polish abbreviations, after which a comma is a decimal mark ("1,250 mln").
pub fn multiplier_word(w: &str) -> Option<(f64, bool)> {
    Some(match w {
        "thousand" | "thousands" => (1e3, false),
        "tys" | "tysiąc" | "tysiące" | "tysięcy" | "tysiąca" | "tysiącach" => (1e3, true),
        "million" | "millions" | "mn" => (1e6, false),
        "mln" | "milion" | "miliony" | "milionów" | "miliona" => (1e6, true),
        "billion" | "billions" | "bn" => (1e9, false),
        "mld" | "miliard" | "miliardy" | "miliardów" | "miliarda" => (1e9, true),
        _ => return None,
    })
}

/// A multiplier written onto the number: "12k", "1.2m", "3bn".
pub fn attached_multiplier(suffix: &str) -> Option<f64> {
    match suffix {
        "k" => Some(1e3),
        "m" | "mln" => Some(1e6),
        "bn" | "mld" => Some(1e9),
        _ => None,
    }
}

/// Units that are not inflected nouns: the canonical unit, or `None`.
pub fn unit(w: &str) -> Option<&'static str> {
    Some(match w {
        "%" | "percent" | "per cent" | "procent" | "proc" | "procenta" | "procentach" => "%",
        "gb" | "gigabytes" | "gigabyte" | "gigabajtów" | "gigabajty" => "GB",
        "tb" | "terabytes" | "terabyte" | "terabajtów" | "terabajty" => "TB",
        "mb" | "megabytes" | "megabyte" | "megabajtów" | "megabajty" => "MB",
        "kb" => "kB",
        "km" | "kilometres" | "kilometers" | "kilometrów" | "kilometry" => "km",
        "kg" | "kilograms" | "kilogrammes" | "kilogramów" | "kilogramy" => "kg",
        "ha" | "hectares" | "hektarów" | "hektary" => "ha",
        "m²" | "m2" => "m²",
        "m³" | "m3" => "m³",
        "zł" | "zl" | "pln" | "złotych" | "złote" | "złoty" => "PLN",
        "eur" | "euro" | "euros" | "€" => "EUR",
        "usd" | "dollars" | "$" => "USD",
        "gbp" | "pounds" | "£" => "GBP",
        _ => return None,
    })
}

/// Durations: counted, but too often promises ("within 72 hours", "next update in 2 hours")
/// to compare. A figure counting one of these is never a finding.
pub fn is_time_unit(w: &str) -> bool {
    matches!(
        w,
        "second"
            | "seconds"
            | "sec"
            | "secs"
            | "minute"
            | "minutes"
            | "min"
            | "mins"
            | "hour"
            | "hours"
            | "h"
            | "hr"
            | "hrs"
            | "day"
            | "days"
            | "week"
            | "weeks"
            | "month"
            | "months"
            | "year"
            | "years"
            | "bd"
            | "night"
            | "nights"
            | "weekend"
            | "weekends"
            | "times"
            | "am"
            | "pm"
            | "o'clock"
            | "sekunda"
            | "sekundy"
            | "sekund"
            | "minuta"
            | "minuty"
            | "minut"
            | "minutach"
            | "godzina"
            | "godziny"
            | "godzin"
            | "godzinach"
            | "godz"
            | "dzień"
            | "dni"
            | "dniach"
            | "doba"
            | "doby"
            | "dób"
            | "dobę"
            | "tydzień"
            | "tygodnie"
            | "tygodni"
            | "tygodniach"
            | "miesiąc"
            | "miesiące"
            | "miesięcy"
            | "miesiącach"
            | "rok"
            | "lata"
            | "lat"
            | "latach"
            | "roku"
            | "razy"
            | "raz"
            | "noc"
            | "nocy"
    )
}

/// Month names (English and abbreviations; Polish nominative and genitive) → 1..=12.
pub fn month(w: &str) -> Option<u8> {
    Some(match w {
        "january" | "jan" | "styczeń" | "stycznia" => 1,
        "february" | "feb" | "luty" | "lutego" => 2,
        "march" | "mar" | "marzec" | "marca" => 3,
        "april" | "apr" | "kwiecień" | "kwietnia" => 4,
        "may" | "maj" | "maja" => 5,
        "june" | "jun" | "czerwiec" | "czerwca" => 6,
        "july" | "jul" | "lipiec" | "lipca" => 7,
        "august" | "aug" | "sierpień" | "sierpnia" => 8,
        "september" | "sep" | "sept" | "wrzesień" | "września" => 9,
        "october" | "oct" | "październik" | "października" => 10,
        "november" | "nov" | "listopad" | "listopada" => 11,
        "december" | "dec" | "grudzień" | "grudnia" => 12,
        _ => return None,
    })
}

/// Weekday names that may stand between "since" and a date ("since Monday, 14 March").
pub fn is_weekday(w: &str) -> bool {
    matches!(
        w,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "poniedziałku"
            | "wtorku"
            | "środy"
            | "czwartku"
            | "piątku"
            | "soboty"
            | "niedzieli"
    )
}

/// Words that introduce a start date: "since 14 March", "od 14 marca".
pub fn is_since(w: &str) -> bool {
    matches!(w, "since" | "od")
}

/// How a qualifier bounds the number it precedes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// The number as written.
    Exact,
    /// Roughly: within 10 % either way.
    About,
    /// At most: nothing above it.
    AtMost,
    /// At least: nothing below it.
    AtLeast,
    /// Just below it: within 10 % under.
    Nearly,
    /// Just above it: within 10 % over.
    JustOver,
    /// Between two numbers.
    Between,
}

/// Qualifiers written before a number, longest first within each language. Each is a
/// sequence of lower-case words (punctuation such as "~" counts as a word).
pub const QUALIFIERS: &[(&[&str], Bound)] = &[
    // English
    (&["not", "more", "than"], Bound::AtMost),
    (&["no", "more", "than"], Bound::AtMost),
    (&["not", "fewer", "than"], Bound::AtLeast),
    (&["no", "fewer", "than"], Bound::AtLeast),
    (&["no", "less", "than"], Bound::AtLeast),
    (&["not", "less", "than"], Bound::AtLeast),
    (&["a", "maximum", "of"], Bound::AtMost),
    (&["a", "minimum", "of"], Bound::AtLeast),
    (&["in", "excess", "of"], Bound::AtLeast),
    (&["upwards", "of"], Bound::AtLeast),
    (&["as", "many", "as"], Bound::AtMost),
    (&["up", "to"], Bound::AtMost),
    (&["at", "most"], Bound::AtMost),
    (&["at", "least"], Bound::AtLeast),
    (&["more", "than"], Bound::AtLeast),
    (&["greater", "than"], Bound::AtLeast),
    (&["fewer", "than"], Bound::AtMost),
    (&["less", "than"], Bound::AtMost),
    (&["just", "under"], Bound::Nearly),
    (&["just", "below"], Bound::Nearly),
    (&["just", "over"], Bound::JustOver),
    (&["just", "above"], Bound::JustOver),
    (&["close", "to"], Bound::Nearly),
    (&["an", "estimated"], Bound::About),
    (&["about"], Bound::About),
    (&["approximately"], Bound::About),
    (&["approx"], Bound::About),
    (&["around"], Bound::About),
    (&["roughly"], Bound::About),
    (&["some"], Bound::About),
    (&["circa"], Bound::About),
    (&["ca"], Bound::About),
    (&["~"], Bound::About),
    (&["nearly"], Bound::Nearly),
    (&["almost"], Bound::Nearly),
    (&["over"], Bound::AtLeast),
    (&["above"], Bound::AtLeast),
    (&["under"], Bound::AtMost),
    (&["below"], Bound::AtMost),
    (&["maximum"], Bound::AtMost),
    (&["max"], Bound::AtMost),
    (&["minimum"], Bound::AtLeast),
    (&["min"], Bound::AtLeast),
    // Polish
    (&["nie", "więcej", "niż"], Bound::AtMost),
    (&["nie", "mniej", "niż"], Bound::AtLeast),
    (&["mniej", "więcej"], Bound::About),
    (&["co", "najmniej"], Bound::AtLeast),
    (&["co", "najwyżej"], Bound::AtMost),
    (&["więcej", "niż"], Bound::AtLeast),
    (&["mniej", "niż"], Bound::AtMost),
    (&["około"], Bound::About),
    (&["ok"], Bound::About),
    (&["rzędu"], Bound::About),
    (&["szacunkowo"], Bound::About),
    (&["blisko"], Bound::Nearly),
    (&["prawie"], Bound::Nearly),
    (&["niemal"], Bound::Nearly),
    (&["niespełna"], Bound::Nearly),
    (&["niecałe"], Bound::Nearly),
    (&["niecałych"], Bound::Nearly),
    (&["ponad"], Bound::AtLeast),
    (&["powyżej"], Bound::AtLeast),
    (&["przynajmniej"], Bound::AtLeast),
    (&["najmniej"], Bound::AtLeast),
    (&["poniżej"], Bound::AtMost),
    (&["maksymalnie"], Bound::AtMost),
    (&["maks"], Bound::AtMost),
    (&["najwyżej"], Bound::AtMost),
    (&["do"], Bound::AtMost),
];

/// Words after a number that bound it: "1,200 or more", "1 200 lub więcej".
pub const POST_QUALIFIERS: &[(&[&str], Bound)] = &[
    (&["or", "more"], Bound::AtLeast),
    (&["or", "over"], Bound::AtLeast),
    (&["or", "fewer"], Bound::AtMost),
    (&["or", "less"], Bound::AtMost),
    (&["or", "so"], Bound::About),
    (&["lub", "więcej"], Bound::AtLeast),
    (&["i", "więcej"], Bound::AtLeast),
    (&["albo", "więcej"], Bound::AtLeast),
    (&["lub", "mniej"], Bound::AtMost),
    (&["z", "okładem"], Bound::JustOver),
    (&["+"], Bound::AtLeast),
];

/// Words opening a range: "between 1,200 and 1,500", "from 3 to 5", "od 1200 do 1500".
pub fn range_opener(w: &str) -> Option<&'static [&'static str]> {
    match w {
        "between" => Some(&["and"]),
        "from" => Some(&["to"]),
        "od" => Some(&["do"]),
        "pomiędzy" | "między" => Some(&["a"]),
        _ => None,
    }
}

/// Words that join the two ends of a range after a number: "1,200 to 1,500", "1200–1500".
pub fn is_range_joiner(w: &str) -> bool {
    matches!(w, "-" | "–" | "—" | "to" | "do")
}

/// Words right before a figure that make it a label, a reference or a rate rather than a
/// count: "Article 33", "nr 5", "every 2 hours", "by 300" (an increase), "o 300" (pl).
pub fn is_reference_word(w: &str) -> bool {
    matches!(
        w,
        "article"
            | "art"
            | "section"
            | "no"
            | "number"
            | "nr"
            | "numer"
            | "§"
            | "ust"
            | "pkt"
            | "page"
            | "str"
            | "room"
            | "pokój"
            | "line"
            | "linia"
            | "level"
            | "poziom"
            | "version"
            | "wersja"
            | "v"
            | "tel"
            | "phone"
            | "call"
            | "dial"
            | "zadzwoń"
            | "pod"
            | "#"
            | "+"
            | "step"
            | "krok"
            | "item"
            | "rule"
            | "paragraph"
            | "chapter"
            | "rozdział"
            | "by"
            | "o"
            | "per"
            | "every"
            | "each"
            | "co"
            | "top"
            | "grade"
            | "stage"
            | "etap"
            | "phase"
            | "faza"
            | "priority"
            | "priorytet"
            | "category"
            | "kategoria"
            | "kategorii"
            | "level-"
            | "aged"
            | "age"
            | "wieku"
            | "godz"
            | "godzinie"
            | "tier"
            | "flight"
            | "lot"
            | "gate"
            | "bus"
            | "route"
            | "autobus"
            | "tramwaj"
            | "ward"
            | "oddział"
            | "floor"
            | "piętro"
    )
}

/// Words before a figure that say it is new on top of an earlier one, or part of one:
/// "another 300", "a further 300", "kolejne 300", "the remaining 300".
pub fn is_increment_word(w: &str) -> bool {
    matches!(
        w,
        "another"
            | "further"
            | "additional"
            | "extra"
            | "more"
            | "new"
            | "remaining"
            | "other"
            | "kolejne"
            | "kolejnych"
            | "kolejni"
            | "kolejnym"
            | "dodatkowe"
            | "dodatkowych"
            | "dodatkowi"
            | "następne"
            | "następnych"
            | "nowe"
            | "nowych"
            | "nowi"
            | "pozostałe"
            | "pozostałych"
            | "pozostali"
            | "inne"
            | "innych"
            | "inni"
            | "jeszcze"
            | "kolejnego"
            | "kolejną"
            | "kolejna"
            | "kolejny"
    )
}

/// Adjectives that say nothing about which things are counted in a crisis message
/// ("1,200 affected customers" counts the same customers as "1,200 customers").
pub fn is_neutral_adjective(w: &str) -> bool {
    matches!(
        w,
        "affected"
            | "impacted"
            | "involved"
            | "concerned"
            | "total"
            | "poszkodowanych"
            | "poszkodowani"
            | "poszkodowane"
            | "poszkodowanym"
            | "dotkniętych"
            | "dotknięci"
            | "dotknięte"
            | "łącznie"
            | "in"
            | "all"
            | "wszystkich"
            | "our"
            | "naszych"
            | "nasze"
            | "nasi"
            | "the"
    )
}

/// Words that negate or attribute a figure to someone else, seen shortly before it:
/// "not 1,500", "reports of 5,000", "podobno 300".
pub fn is_disowning_word(w: &str) -> bool {
    matches!(
        w,
        "not"
            | "no"
            | "never"
            | "nie"
            | "nigdy"
            | "reports"
            | "reported"
            | "reportedly"
            | "report"
            | "claims"
            | "claimed"
            | "claim"
            | "claiming"
            | "rumours"
            | "rumors"
            | "rumour"
            | "rumor"
            | "alleged"
            | "allegedly"
            | "according"
            | "suggested"
            | "speculation"
            | "doniesienia"
            | "doniesień"
            | "doniesieniami"
            | "podobno"
            | "rzekomo"
            | "plotki"
            | "spekulacje"
            | "spekulacji"
            | "według"
            | "twierdzi"
            | "twierdzą"
            | "pisze"
            | "piszą"
            | "podają"
            | "podaje"
            | "podał"
            | "podała"
            | "wrong"
            | "incorrect"
            | "false"
            | "nieprawdziwe"
            | "nieprawda"
            | "błędnie"
            | "instead"
            | "zamiast"
            | "rather"
            | "earlier"
            | "previously"
            | "wcześniej"
            | "wcześniejsze"
            | "initially"
            | "początkowo"
            | "originally"
            | "pierwotnie"
    )
}

/// Words opening a condition: figures in "if more than 500 customers are affected" are
/// thresholds, not statements.
pub fn is_condition_word(w: &str) -> bool {
    matches!(
        w,
        "if" | "unless"
            | "whether"
            | "should"
            | "threshold"
            | "jeśli"
            | "jeżeli"
            | "gdyby"
            | "gdy"
            | "czy"
            | "próg"
            | "progu"
            | "wypadku"
            | "przypadku"
    )
}

/// Words and phrases that hedge a sentence: a figure in it is not stated as fact.
pub const HEDGES: &[&[&str]] = &[
    &["may"],
    &["might"],
    &["could"],
    &["possibly"],
    &["potentially"],
    &["perhaps"],
    &["unconfirmed"],
    &["unverified"],
    &["estimate"],
    &["estimated"],
    &["estimates"],
    &["preliminary"],
    &["provisional"],
    &["provisionally"],
    &["initial", "estimate"],
    &["suspected"],
    &["believe"],
    &["believed"],
    &["likely"],
    &["appears"],
    &["not", "yet", "confirmed"],
    &["not", "confirmed"],
    &["yet", "to", "be", "confirmed"],
    &["being", "verified"],
    &["under", "investigation"],
    &["może"],
    &["mogą"],
    &["mogło"],
    &["mogły"],
    &["mógł"],
    &["mogła"],
    &["prawdopodobnie"],
    &["przypuszczalnie"],
    &["wstępnie"],
    &["wstępne"],
    &["wstępnych"],
    &["wstępny"],
    &["szacunkowo"],
    &["szacujemy"],
    &["szacuje"],
    &["szacuje", "się"],
    &["niepotwierdzone"],
    &["niepotwierdzonych"],
    &["niepotwierdzony"],
    &["nie", "potwierdzono"],
    &["nie", "zostało", "potwierdzone"],
    &["nie", "została", "potwierdzona"],
    &["weryfikujemy"],
    &["sprawdzamy"],
    &["możliwe"],
    &["ewentualnie"],
    &["prawdopodobnie"],
];

/// Function words: never the thing counted. Prepositions that can join a figure to its
/// noun ("1,200 of our customers") are handled before this list is consulted.
pub fn is_stopword(w: &str) -> bool {
    matches!(
        w,
        // English
        "a" | "an" | "the" | "and" | "or" | "but" | "nor" | "of" | "to" | "in" | "on"
            | "at" | "by" | "for" | "with" | "from" | "as" | "into" | "onto" | "than"
            | "that" | "which" | "who" | "whom" | "whose" | "what" | "this" | "these"
            | "those" | "it" | "its" | "they" | "them" | "their" | "we" | "us" | "our"
            | "you" | "your" | "he" | "she" | "his" | "her" | "i" | "me" | "my" | "is"
            | "are" | "was" | "were" | "be" | "been" | "being" | "am" | "have" | "has"
            | "had" | "having" | "will" | "would" | "shall" | "should" | "can" | "could"
            | "may" | "might" | "must" | "do" | "does" | "did" | "done" | "not" | "no"
            | "so" | "if" | "then" | "there" | "here" | "when" | "where" | "while"
            | "about" | "over" | "under" | "up" | "down" | "out" | "off" | "more" | "less"
            | "most" | "least" | "each" | "every" | "per" | "all" | "any" | "some"
            | "such" | "only" | "also" | "just" | "still" | "yet" | "already" | "again"
            | "now" | "today" | "since" | "until" | "till" | "after" | "before" | "during"
            | "between" | "among" | "across" | "through" | "via" | "within" | "without"
            | "against" | "around" | "near" | "because" | "how" | "why" | "both" | "either"
            | "neither" | "own" | "same" | "other" | "another" | "than," | "too" | "very"
            | "x" | "percent"
            // Polish
            | "w" | "z" | "ze" | "na" | "od" | "o" | "u" | "po"
            | "przez" | "dla" | "przy" | "pod" | "nad" | "za" | "przed" | "między"
            | "się" | "jest" | "są" | "był" | "była" | "było" | "byli" | "były" | "być"
            | "będzie" | "będą" | "został" | "została" | "zostało" | "zostali" | "zostały"
            | "zostanie" | "zostaną" | "ma" | "mają" | "miał" | "miała" | "mieli" | "nie"
            | "ten" | "ta" | "te" | "tych" | "tym" | "tę" | "tego" | "że" | "aby"
            | "żeby" | "oraz" | "lub" | "albo" | "ale" | "lecz" | "jak" | "już" | "jeszcze"
            | "tylko" | "także" | "też" | "który" | "która" | "które" | "których" | "którzy"
            | "co" | "kto" | "gdzie" | "kiedy" | "jego" | "jej" | "ich" | "nas" | "nam"
            | "nasz" | "nasza" | "nasze" | "naszych" | "wasz" | "wszyscy" | "wszystkie"
            | "wszystkich" | "każdy" | "każda" | "każde" | "około" | "ok" | "ponad" | "nawet"
            | "jako" | "niż" | "czy" | "bo" | "więc" | "według" | "dziś" | "teraz"
            | "obecnie" | "wciąż" | "nadal" | "mln" | "tys" | "mld" | "proc"
    )
}

/// Prepositions after a counted noun that introduce a place or owner, when followed by a
/// capitalised name: "1,200 customers in Germany", "300 mieszkańców w Nadwarcinie".
pub fn is_place_preposition(w: &str) -> bool {
    matches!(
        w,
        "in" | "from"
            | "at"
            | "of"
            | "across"
            | "outside"
            | "w"
            | "we"
            | "z"
            | "ze"
            | "na"
            | "poza"
            | "spoza"
    )
}

/// Words joining a figure to the same noun later: "3 of our 12 sites", "300 z 1200 osób".
pub fn is_partitive(w: &str) -> bool {
    matches!(w, "of" | "out" | "z" | "ze" | "spośród" | "among")
}

/// Words after a label and before its figure: "Affected customers: 1,500", "the number
/// of customers is 1,500", "liczba poszkodowanych wynosi 1200".
pub fn is_linking_word(w: &str) -> bool {
    matches!(
        w,
        ":" | "="
            | "–"
            | "—"
            | "is"
            | "was"
            | "stands"
            | "totals"
            | "totalled"
            | "totaled"
            | "reached"
            | "wynosi"
            | "wynosiła"
            | "wynosił"
            | "sięga"
            | "sięgnęła"
            | "osiągnęła"
    )
}

/// Words ending a phrase of Polish or English words that are very likely adjectives
/// (so the noun comes after them): "1,200 German customers", "300 rannych osób".
pub fn looks_adjective(w: &str, lang: Lang) -> bool {
    if w.chars().count() < 4 {
        return false;
    }
    match lang {
        Lang::En => {
            [
                "ed", "al", "ic", "ive", "ous", "ish", "ese", "ian", "ful", "less", "able", "ible",
            ]
            .iter()
            .any(|s| w.ends_with(s))
                || matches!(
                    w,
                    "private"
                        | "business"
                        | "corporate"
                        | "retail"
                        | "senior"
                        | "junior"
                        | "large"
                        | "small"
                        | "major"
                        | "minor"
                        | "key"
                        | "former"
                        | "current"
                        | "existing"
                        | "active"
                        | "inactive"
                        | "premium"
                        | "online"
                        | "offline"
                        | "foreign"
                        | "domestic"
                        | "local"
                        | "young"
                        | "old"
                        | "elderly"
                        | "vulnerable"
                        | "unique"
                        | "separate"
                        | "different"
                        | "individual"
                )
        }
        Lang::Pl => ["ych", "ich", "ymi", "imi", "owe", "owa", "owy"]
            .iter()
            .any(|s| w.ends_with(s)),
    }
}

/// Polish and English marker words for telling the language of a text apart.
pub fn language_marker(w: &str) -> Option<Lang> {
    match w {
        "the" | "and" | "of" | "is" | "are" | "we" | "our" | "have" | "has" | "with" | "for"
        | "to" | "that" | "this" | "were" | "was" | "been" | "will" | "not" | "you" => {
            Some(Lang::En)
        }
        "i" | "w" | "z" | "na" | "się" | "nie" | "jest" | "są" | "że" | "do" | "od" | "oraz"
        | "około" | "dla" | "po" | "przez" | "jak" | "już" | "ich" => Some(Lang::Pl),
        _ => None,
    }
}

/// Abbreviations that end with a full stop without ending a sentence.
pub fn is_abbreviation(w: &str) -> bool {
    matches!(
        w,
        "ok" | "ca"
            | "tys"
            | "mln"
            | "mld"
            | "proc"
            | "art"
            | "ust"
            | "pkt"
            | "nr"
            | "godz"
            | "ul"
            | "al"
            | "pl"
            | "os"
            | "tel"
            | "np"
            | "m.in"
            | "r"
            | "dr"
            | "mr"
            | "mrs"
            | "ms"
            | "no"
            | "approx"
            | "vs"
            | "etc"
            | "e.g"
            | "i.e"
            | "st"
            | "str"
            | "zł"
            | "min"
            | "max"
            | "maks"
            | "ok."
            | "tzw"
            | "wg"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualifiers_are_lower_case_words() {
        for (words, _) in QUALIFIERS.iter().chain(POST_QUALIFIERS) {
            for w in *words {
                assert_eq!(w.to_lowercase(), *w);
                assert!(!w.contains(' '), "{w}");
            }
        }
    }

    #[test]
    fn number_words_cover_one_to_twenty_in_both_languages() {
        let en = [
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
        let pl = [
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
        for (i, (e, p)) in en.iter().zip(pl).enumerate() {
            let n = (i + 1) as f64;
            assert_eq!(number_word(e, Lang::En), Some(n), "{e}");
            assert_eq!(number_word(p, Lang::Pl), Some(n), "{p}");
        }
        assert_eq!(number_word("ten", Lang::Pl), None, "Polish 'ten' is 'this'");
        assert_eq!(number_word("pięciu", Lang::Pl), Some(5.0));
        assert_eq!(number_word("ten", Lang::Pl), None, "Polish 'ten' is 'this'");
        assert_eq!(number_word("pięciu", Lang::Pl), Some(5.0));
    }
}
