//! Stated figures in English and Polish text: what is counted, the value, how it is
//! qualified, and the exact words.
//!
//! A figure is a number (digits with English or Polish separators, a number word from one to
//! twenty, with "thousand" / "tys." / "k" / "million" / "mln" multipliers) and the noun it
//! counts, or a start date ("since 14 March", "od 14 marca"). The reading is deliberately
//! narrow: a figure that is asked about, denied, attributed to someone else, conditional, an
//! increment ("another 300"), a reference ("Article 33") or a duration ("within 72 hours")
//! is not a statement, and is left out. Missing a figure costs less than a false alarm.

use std::ops::Range;

use super::lexicon::{self as lx, Bound, Lang};
use super::noun::{self, Keys};

/// What a figure counts.
#[derive(Clone, Debug, PartialEq)]
pub enum Subject {
    /// A noun, with the words that narrow it ("German", "in Warsaw").
    Noun {
        /// The noun as written ("customers", "mieszkańców").
        word: String,
        keys: Keys,
        modifiers: Vec<Keys>,
        lang: Lang,
    },
    /// A unit that is not inflected (%, GB, PLN…), with what it measures ("of data").
    Unit {
        unit: &'static str,
        modifiers: Vec<Keys>,
    },
    /// The date something started ("since 14 March").
    Since,
}

impl Subject {
    /// Whether two figures count the same thing.
    pub fn same(&self, other: &Subject) -> bool {
        match (self, other) {
            (
                Subject::Noun {
                    keys: a,
                    modifiers: ma,
                    lang: la,
                    ..
                },
                Subject::Noun {
                    keys: b,
                    modifiers: mb,
                    lang: lb,
                    ..
                },
            ) => la == lb && a.same(b) && same_modifiers(ma, mb),
            (
                Subject::Unit {
                    unit: a,
                    modifiers: ma,
                },
                Subject::Unit {
                    unit: b,
                    modifiers: mb,
                },
            ) => a == b && same_modifiers(ma, mb),
            (Subject::Since, Subject::Since) => true,
            _ => false,
        }
    }

    /// Short words for the thing counted, for finding texts ("customers", "GB", "start date").
    pub fn label(&self) -> String {
        match self {
            Subject::Noun { word, .. } => word.clone(),
            Subject::Unit { unit, .. } => (*unit).to_owned(),
            Subject::Since => "start date".to_owned(),
        }
    }

    /// What differs, for the start of a finding: "figures for customers", "start dates".
    pub fn topic(&self) -> String {
        match self {
            Subject::Noun { word, .. } => format!("figures for {word}"),
            Subject::Unit { unit: "%", .. } => "percentages".to_owned(),
            Subject::Unit { unit, .. } => format!("figures in {unit}"),
            Subject::Since => "start dates".to_owned(),
        }
    }

    /// Index keys: subjects sharing one are [`same`](Self::same) (the reverse holds but for
    /// modifiers that share a secondary key only, which are then left uncompared).
    pub fn group_keys(&self) -> Vec<String> {
        match self {
            Subject::Noun {
                keys,
                modifiers,
                lang,
                ..
            } => {
                let m = primaries(modifiers);
                keys.0.iter().map(|k| format!("{lang:?}:{k}|{m}")).collect()
            }
            Subject::Unit { unit, modifiers } => {
                vec![format!("unit:{unit}|{}", primaries(modifiers))]
            }
            Subject::Since => vec!["since".to_owned()],
        }
    }

    /// A stable name of the subject, for finding ids.
    pub fn canonical(&self) -> String {
        match self {
            Subject::Noun {
                keys, modifiers, ..
            } => format!("{}[{}]", keys.primary(), primaries(modifiers)),
            Subject::Unit { unit, modifiers } => format!("{unit}[{}]", primaries(modifiers)),
            Subject::Since => "since".to_owned(),
        }
    }
}

/// The modifiers' primary keys, sorted: "german+warsaw".
fn primaries(m: &[Keys]) -> String {
    let mut v: Vec<&str> = m.iter().map(Keys::primary).collect();
    v.sort_unstable();
    v.join("+")
}

/// Same narrowing words, in any order.
fn same_modifiers(a: &[Keys], b: &[Keys]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| x.same(y)))
}

/// The value of a figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// A count or measure. `hi` is set for ranges ("1,200–1,500").
    Count {
        n: f64,
        hi: Option<f64>,
        bound: Bound,
        /// Written with a multiplier ("1.2 million"): read as within 5 %.
        rounded: bool,
    },
    /// A calendar date; the year when written.
    Date {
        year: Option<i16>,
        month: u8,
        day: u8,
    },
}

/// How far "about" reaches either way, and "nearly" / "just over" one way.
pub const ABOUT: f64 = 0.10;
/// How far a number written with a multiplier ("1.2 million") reaches either way.
pub const ROUNDED: f64 = 0.05;

impl Value {
    /// The values the figure allows, low to high.
    pub fn interval(&self) -> (f64, f64) {
        let Value::Count {
            n,
            hi,
            bound,
            rounded,
        } = *self
        else {
            return (f64::NAN, f64::NAN);
        };
        let slack = if rounded { ROUNDED } else { 0.0 };
        let lo_of = |v: f64| v * (1.0 - slack);
        let hi_of = |v: f64| v * (1.0 + slack);
        match bound {
            Bound::Exact => (lo_of(n), hi_of(n)),
            Bound::About => (
                n * (1.0 - ABOUT).min(1.0 - slack),
                n * (1.0 + ABOUT).max(1.0 + slack),
            ),
            Bound::AtMost => (0.0, hi_of(n)),
            Bound::AtLeast => (lo_of(n), f64::INFINITY),
            Bound::Nearly => (n * (1.0 - ABOUT), hi_of(n)),
            Bound::JustOver => (lo_of(n), n * (1.0 + ABOUT)),
            Bound::Between => {
                let h = hi.unwrap_or(n);
                (lo_of(n.min(h)), hi_of(n.max(h)))
            }
        }
    }

    /// Whether two figures for the same thing can both be true.
    pub fn agrees(&self, other: &Value) -> bool {
        match (self, other) {
            (
                Value::Date {
                    year: ya,
                    month: ma,
                    day: da,
                },
                Value::Date {
                    year: yb,
                    month: mb,
                    day: db,
                },
            ) => ma == mb && da == db && (ya.is_none() || yb.is_none() || ya == yb),
            (Value::Count { .. }, Value::Count { .. }) => {
                let (a0, a1) = self.interval();
                let (b0, b1) = other.interval();
                let scale = [a0, a1, b0, b1]
                    .into_iter()
                    .filter(|v| v.is_finite())
                    .fold(1.0f64, |m, v| m.max(v.abs()));
                let eps = 1e-9 * scale;
                a0 <= b1 + eps && b0 <= a1 + eps
            }
            _ => false,
        }
    }

    /// Whether it says more than the number itself (a range or a qualifier).
    pub fn is_qualified(&self) -> bool {
        matches!(self, Value::Count { bound, .. } if *bound != Bound::Exact)
    }

    /// How a qualified figure is read, in words: "1,080 to 1,320", "no more than 1,500".
    pub fn reading(&self) -> String {
        let (lo, hi) = self.interval();
        match self {
            Value::Count { bound, .. } => match bound {
                Bound::AtMost => format!("no more than {}", show(hi)),
                Bound::AtLeast => format!("{} or more", show(lo)),
                Bound::Exact if lo == hi => show(lo),
                _ => format!("{} to {}", show(lo), show(hi)),
            },
            Value::Date { year, month, day } => match year {
                Some(y) => format!("{day} {} {y}", month_name(*month)),
                None => format!("{day} {}", month_name(*month)),
            },
        }
    }

    /// A canonical form for ids.
    pub fn canonical(&self) -> String {
        match self {
            Value::Count {
                n,
                hi,
                bound,
                rounded,
            } => format!("{n}:{hi:?}:{bound:?}:{rounded}"),
            Value::Date { year, month, day } => format!("{year:?}-{month}-{day}"),
        }
    }
}

fn month_name(m: u8) -> &'static str {
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    .get(usize::from(m).wrapping_sub(1))
    .copied()
    .unwrap_or("?")
}

/// A number for reading: thousands grouped, at most two decimals.
pub fn show(v: f64) -> String {
    if !v.is_finite() {
        return "any number".to_owned();
    }
    let rounded = (v * 100.0).round() / 100.0;
    let int = rounded.trunc() as i64;
    let frac = ((rounded - rounded.trunc()).abs() * 100.0).round() as i64;
    let digits = int.abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if int < 0 {
        grouped.insert(0, '-');
    }
    if frac != 0 {
        let f = format!("{frac:02}");
        grouped.push('.');
        grouped.push_str(f.trim_end_matches('0'));
    }
    grouped
}

/// One figure stated in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub subject: Subject,
    pub value: Value,
    /// The exact words, as a byte range of the text ("about 1,200 customers").
    pub span: Range<usize>,
    /// Said with a hedge in the same sentence ("may", "estimated", "wstępnie").
    pub hedged: bool,
}

impl Statement {
    /// The exact words in `text` (the text the statement was extracted from).
    pub fn quote<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.span.clone()).unwrap_or("")
    }
}

/// The language of a text: by its marker words, else `default`.
pub fn language(text: &str, default: Lang) -> Lang {
    let (mut en, mut pl) = (0usize, 0usize);
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(400)
    {
        if w.chars().any(|c| "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".contains(c)) {
            pl += 1;
        }
        match lx::language_marker(&w.to_lowercase()) {
            Some(Lang::En) => en += 1,
            Some(Lang::Pl) => pl += 1,
            None => {}
        }
    }
    match en.cmp(&pl) {
        std::cmp::Ordering::Greater => Lang::En,
        std::cmp::Ordering::Less => Lang::Pl,
        std::cmp::Ordering::Equal => default,
    }
}

/// Every figure stated in `text`, read in its language (`default` when it cannot be told).
pub fn extract(text: &str, default: Lang) -> Vec<Statement> {
    let lang = language(text, default);
    let toks = tokenize(text, lang);
    let sentences = Sentences::new(&toks);
    let mut reader = Reader {
        toks: &toks,
        lang,
        sentences: &sentences,
        out: Vec::new(),
    };
    reader.run();
    reader.out
}

// ---------------------------------------------------------------------------------------
// Tokens

#[derive(Clone, Copy, Debug, PartialEq)]
struct Num {
    value: f64,
    rounded: bool,
    unit: Option<&'static str>,
    ordinal: bool,
    /// Digits only, no separator, no decimals, no multiplier (could be a year or a day).
    plain: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Word,
    Num(Num),
    Date {
        day: u8,
        month: u8,
        year: Option<i16>,
    },
    /// Digits that are not a quantity: times, codes, phone numbers, "COVID-19".
    Code,
    Punct,
}

#[derive(Clone, Debug)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
    /// Lower case (words); the character itself (punctuation).
    lower: String,
    /// Starts with a capital letter.
    cap: bool,
    /// A line break comes before it.
    newline: bool,
}

impl Tok {
    fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sep {
    Comma,
    Dot,
    Space,
}

fn sep_at(text: &str, i: usize) -> Option<(Sep, usize)> {
    let c = text[i..].chars().next()?;
    match c {
        ',' => Some((Sep::Comma, 1)),
        '.' => Some((Sep::Dot, 1)),
        ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' => Some((Sep::Space, c.len_utf8())),
        _ => None,
    }
}

fn digits_at(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .map_or(0, |s| s.iter().take_while(|c| c.is_ascii_digit()).count())
}

fn tokenize(text: &str, lang: Lang) -> Vec<Tok> {
    let mut toks = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    let mut newline = false;
    while i < text.len() {
        let c = text[i..].chars().next().expect("i is on a char boundary");
        if c.is_whitespace() {
            newline |= c == '\n';
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let prev = text[..i].chars().next_back();
        // A `{{…}}` placeholder (a blank still to fill) says nothing yet.
        if text[i..].starts_with("{{") {
            let end = text[i..].find("}}").map_or(text.len(), |e| i + e + 2);
            toks.push(Tok {
                lower: String::new(),
                cap: false,
                kind: Kind::Code,
                start,
                end,
                newline,
            });
            newline = false;
            i = end;
            continue;
        }
        let (kind, end) = if c.is_ascii_digit() {
            let before_prev = prev.and_then(|p| text[..i - p.len_utf8()].chars().next_back());
            let glued = match prev {
                Some(p) if p.is_alphabetic() || p == '_' => true,
                Some('-') => before_prev.is_some_and(char::is_alphabetic),
                Some('+' | '#' | '/' | '@') => true,
                _ => false,
            };
            if glued {
                (Kind::Code, skip_code(text, i))
            } else {
                scan_number(text, i, lang)
            }
        } else if c.is_alphabetic() {
            let mut j = i;
            let mut chars = text[i..].char_indices().peekable();
            while let Some((off, ch)) = chars.next() {
                let ok = ch.is_alphabetic()
                    || is_mark(ch)
                    || (matches!(ch, '\'' | '’' | '-')
                        && chars.peek().is_some_and(|(_, n)| n.is_alphabetic()));
                if !ok {
                    break;
                }
                j = i + off + ch.len_utf8();
            }
            (Kind::Word, j)
        } else {
            (Kind::Punct, i + c.len_utf8())
        };
        let raw = &text[start..end];
        toks.push(Tok {
            lower: raw.to_lowercase(),
            cap: raw.chars().next().is_some_and(char::is_uppercase),
            kind,
            start,
            end,
            newline,
        });
        newline = false;
        i = end;
        debug_assert!(i <= b.len());
    }
    toks
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// Skips a run of digits and letters glued to something (a code, "NIS2", "+48 22 123").
fn skip_code(text: &str, i: usize) -> usize {
    let mut end = i;
    let mut chars = text[i..].char_indices().peekable();
    while let Some((off, c)) = chars.next() {
        let next_digit = chars.peek().is_some_and(|(_, n)| n.is_ascii_digit());
        if c.is_alphanumeric() || (matches!(c, ' ' | '-' | '.' | '/' | ':') && next_digit) {
            end = i + off + c.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// Reads a number starting at `start` (a digit with nothing glued before it).
fn scan_number(text: &str, start: usize, lang: Lang) -> (Kind, usize) {
    let b = text.as_bytes();
    let d0 = digits_at(b, start);
    let mut i = start + d0;
    let at = |j: usize| b.get(j).copied();
    // Times (10:00), ratios and dates with slashes (24/7, 14/03): not quantities.
    if matches!(at(i), Some(b':' | b'/')) && at(i + 1).is_some_and(|c| c.is_ascii_digit()) {
        return (Kind::Code, skip_code(text, start));
    }
    // dd.mm.yyyy, dd.mm.yy, dd.mm.
    if at(i) == Some(b'.') && d0 <= 2 {
        let d1 = digits_at(b, i + 1);
        if (1..=2).contains(&d1) && at(i + 1 + d1) == Some(b'.') {
            let day: u8 = text[start..i].parse().unwrap_or(0);
            let month: u8 = text[i + 1..i + 1 + d1].parse().unwrap_or(0);
            let y0 = i + 2 + d1;
            let d2 = digits_at(b, y0);
            let (year, end) = match d2 {
                4 => (text[y0..y0 + 4].parse().ok(), y0 + 4),
                2 => (
                    text[y0..y0 + 2].parse::<i16>().ok().map(|y| 2000 + y),
                    y0 + 2,
                ),
                _ => (None, i + 1 + d1),
            };
            if (1..=31).contains(&day) && (1..=12).contains(&month) {
                return (Kind::Date { day, month, year }, end);
            }
            return (Kind::Code, skip_code(text, start));
        }
    }
    let mut int = text[start..i].to_owned();
    let mut grouped: Option<Sep> = None;
    if d0 <= 3 && !(d0 > 1 && b[start] == b'0') {
        while let Some((sep, len)) = sep_at(text, i) {
            if grouped.is_some_and(|g| g != sep) {
                break;
            }
            let j = i + len;
            if digits_at(b, j) != 3 {
                break;
            }
            let after = j + 3;
            let decimal = match sep {
                Sep::Comma => polish_multiplier_follows(text, after),
                Sep::Dot => lang == Lang::En,
                Sep::Space => false,
            };
            if decimal {
                break;
            }
            int.push_str(&text[j..after]);
            i = after;
            grouped = Some(sep);
        }
    }
    let mut frac = "";
    if let Some(c @ (b'.' | b',')) = at(i) {
        let sep = if c == b'.' { Sep::Dot } else { Sep::Comma };
        let nd = digits_at(b, i + 1);
        if nd > 0 && grouped != Some(sep) {
            frac = &text[i + 1..i + 1 + nd];
            i += 1 + nd;
        }
    }
    let mut value: f64 = if frac.is_empty() {
        int.parse().unwrap_or(f64::NAN)
    } else {
        format!("{int}.{frac}").parse().unwrap_or(f64::NAN)
    };
    let mut num = Num {
        value,
        rounded: false,
        unit: None,
        ordinal: false,
        plain: grouped.is_none() && frac.is_empty(),
    };
    // Letters glued on: a multiplier (12k), a unit (9GB), an ordinal (14th), or a code (72h).
    let letters_end = text[i..]
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(text.len(), |(o, _)| i + o);
    if letters_end > i {
        let suffix = text[i..letters_end].to_lowercase();
        if let Some(m) = lx::attached_multiplier(&suffix) {
            value *= m;
            num.value = value;
            num.rounded = true;
            num.plain = false;
        } else if let Some(u) = lx::unit(&suffix) {
            num.unit = Some(u);
        } else if matches!(suffix.as_str(), "st" | "nd" | "rd" | "th") {
            num.ordinal = true;
        } else {
            return (Kind::Code, skip_code(text, start));
        }
        i = letters_end;
    }
    // "45-year-old", "3-day": a compound word, not a count.
    if at(i) == Some(b'-')
        && text[i + 1..]
            .chars()
            .next()
            .is_some_and(char::is_alphabetic)
    {
        return (Kind::Code, skip_code(text, start));
    }
    if !value.is_finite() {
        return (Kind::Code, i);
    }
    (Kind::Num(num), i)
}

/// A Polish multiplier abbreviation after `i` ("1,250 mln"): the comma was a decimal mark.
fn polish_multiplier_follows(text: &str, i: usize) -> bool {
    let rest = text[i..].trim_start_matches([' ', '\u{a0}', '\u{202f}', '\u{2009}']);
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    lx::multiplier_word(&word).is_some_and(|(_, pl)| pl)
}

// ---------------------------------------------------------------------------------------
// Sentences

struct Sentences {
    /// Sentence number of each token.
    of: Vec<usize>,
    question: Vec<bool>,
    hedged: Vec<bool>,
}

impl Sentences {
    fn new(toks: &[Tok]) -> Sentences {
        let mut of = Vec::with_capacity(toks.len());
        let mut start = vec![0];
        let mut question = vec![false];
        let mut current = 0;
        for (i, t) in toks.iter().enumerate() {
            let starts_line = t.newline
                && (t.cap || !t.is_word())
                && i > 0
                && of.last() == Some(&current)
                && start[current] != i;
            if starts_line {
                current += 1;
                start.push(i);
                question.push(false);
            }
            of.push(current);
            let ends = match t.lower.as_str() {
                "?" => {
                    question[current] = true;
                    true
                }
                "!" | ";" | "…" => true,
                "." => {
                    let prev = i.checked_sub(1).map(|p| &toks[p]);
                    let abbreviation = prev.is_some_and(|p| {
                        p.is_word()
                            && (lx::is_abbreviation(&p.lower) || p.lower.chars().count() == 1)
                    });
                    let next_lower = toks
                        .get(i + 1)
                        .is_some_and(|n| n.is_word() && !n.cap && !n.newline);
                    !abbreviation && !next_lower
                }
                _ => false,
            };
            if ends && i + 1 < toks.len() {
                current += 1;
                start.push(i + 1);
                question.push(false);
            }
        }
        let mut hedged = vec![false; start.len()];
        for (i, _) in toks.iter().enumerate() {
            let s = of[i];
            if hedged[s] {
                continue;
            }
            for phrase in lx::HEDGES {
                if phrase_at(toks, i, phrase) && !(phrase == &["may"] && near_number(toks, i)) {
                    hedged[s] = true;
                    break;
                }
            }
        }
        Sentences {
            of,
            question,
            hedged,
        }
    }
}

fn phrase_at(toks: &[Tok], i: usize, phrase: &[&str]) -> bool {
    phrase
        .iter()
        .enumerate()
        .all(|(k, w)| toks.get(i + k).is_some_and(|t| t.lower == *w))
}

/// "May" next to a number is the month.
fn near_number(toks: &[Tok], i: usize) -> bool {
    let num = |t: Option<&Tok>| t.is_some_and(|t| matches!(t.kind, Kind::Num(_)));
    num(i.checked_sub(1).and_then(|p| toks.get(p))) || num(toks.get(i + 1))
}

// ---------------------------------------------------------------------------------------
// Reading figures

struct Reader<'a> {
    toks: &'a [Tok],
    lang: Lang,
    sentences: &'a Sentences,
    out: Vec<Statement>,
}

/// A number read at a position, with its multiplier.
struct Read {
    value: f64,
    rounded: bool,
    unit: Option<&'static str>,
    /// The first token after it.
    next: usize,
    plain: bool,
}

/// What follows a figure.
enum Phrase {
    Noun {
        word: String,
        keys: Keys,
        modifiers: Vec<Keys>,
        last: usize,
    },
    Unit {
        unit: &'static str,
        modifiers: Vec<Keys>,
        last: usize,
    },
    /// Not a statement: a duration, an increment.
    Skip,
    None,
}

impl Reader<'_> {
    fn run(&mut self) {
        let mut i = 0;
        // A figure waiting for the noun of the next one ("3 of our 12 sites").
        let mut pending: Option<(Value, usize, bool)> = None;
        while i < self.toks.len() {
            if self.toks[i].is_word()
                && lx::is_since(&self.toks[i].lower)
                && let Some((st, next)) = self.since_date(i)
            {
                self.out.push(st);
                i = next;
                continue;
            }
            if self.number_at(i).is_some() {
                let (found, next) = self.figure(i);
                match found {
                    Found::Statement(st) => {
                        if let Some((value, start, hedged)) = pending.take() {
                            self.out.push(Statement {
                                subject: st.subject.clone(),
                                value,
                                span: start..self.toks[i].end,
                                hedged,
                            });
                        }
                        self.out.push(st);
                    }
                    Found::Partitive(value, start) => {
                        pending = Some((value, start, self.sentences.hedged[self.sentences.of[i]]));
                    }
                    Found::Nothing => pending = None,
                }
                i = next.max(i + 1);
                continue;
            }
            i += 1;
        }
    }

    fn word(&self, i: usize) -> Option<&str> {
        self.toks
            .get(i)
            .filter(|t| t.is_word())
            .map(|t| t.lower.as_str())
    }

    fn lower(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.lower.as_str())
    }

    /// Skips a full stop after an abbreviation ("tys.", "ok.").
    fn skip_dot(&self, i: usize) -> usize {
        if self.lower(i) == "." { i + 1 } else { i }
    }

    /// The token before `i`, skipping an abbreviation's full stop.
    fn before(&self, i: usize) -> Option<usize> {
        let p = i.checked_sub(1)?;
        if self.lower(p) == "." && p > 0 && self.toks[p - 1].is_word() {
            Some(p - 1)
        } else {
            Some(p)
        }
    }

    fn same_sentence(&self, a: usize, b: usize) -> bool {
        self.sentences.of.get(a) == self.sentences.of.get(b)
    }

    /// A number (digits or a number word) at `i`, with a multiplier after it.
    fn number_at(&self, i: usize) -> Option<Read> {
        let t = self.toks.get(i)?;
        let (value, rounded, unit, plain) = match &t.kind {
            Kind::Num(n) if !n.ordinal => (n.value, n.rounded, n.unit, n.plain),
            Kind::Word => {
                let v = lx::number_word(&t.lower, self.lang)?;
                if t.lower == "one" {
                    let prev = i.checked_sub(1).and_then(|p| self.word(p));
                    if prev.is_some_and(|p| {
                        matches!(
                            p,
                            "no" | "any" | "every" | "each" | "the" | "this" | "that" | "which"
                        )
                    }) {
                        return None;
                    }
                }
                (v, false, None, false)
            }
            _ => return None,
        };
        let mut read = Read {
            value,
            rounded,
            unit,
            next: i + 1,
            plain,
        };
        if unit.is_none()
            && let Some(w) = self.word(i + 1)
            && let Some((m, _)) = lx::multiplier_word(w)
        {
            read.value *= m;
            read.rounded = true;
            read.plain = false;
            read.next = self.skip_dot(i + 2);
        }
        Some(read)
    }

    /// "since 14 March", "since March 14th, 2026", "od 14 marca", "od dnia 14.03.2026".
    fn since_date(&self, i: usize) -> Option<(Statement, usize)> {
        let mut j = i + 1;
        if self.lower(j) == "dnia" || self.lower(j) == "the" {
            j += 1;
        }
        if self.word(j).is_some_and(lx::is_weekday) {
            j += 1;
            if self.lower(j) == "," {
                j += 1;
            }
        }
        let day_at = |k: usize| match self.toks.get(k).map(|t| &t.kind) {
            Some(Kind::Num(n)) if (n.plain || n.ordinal) && (1.0..=31.0).contains(&n.value) => {
                Some(n.value as u8)
            }
            _ => None,
        };
        let year_at = |k: usize| match self.toks.get(k).map(|t| &t.kind) {
            Some(Kind::Num(n)) if n.plain && (1900.0..=2100.0).contains(&n.value) => {
                Some(n.value as i16)
            }
            _ => None,
        };
        let (value, mut end) =
            if let Some(Kind::Date { day, month, year }) = self.toks.get(j).map(|t| &t.kind) {
                (
                    Value::Date {
                        year: *year,
                        month: *month,
                        day: *day,
                    },
                    j,
                )
            } else if let Some(day) = day_at(j) {
                let mut k = j + 1;
                if self.lower(k) == "of" {
                    k += 1;
                }
                let month = lx::month(self.word(k)?)?;
                k = self.skip_dot(k + 1);
                let year = year_at(k);
                let end = if year.is_some() { k } else { k - 1 };
                (Value::Date { year, month, day }, end)
            } else {
                let month = lx::month(self.word(j)?)?;
                let k = self.skip_dot(j + 1);
                let day = day_at(k)?;
                let mut end = k;
                let mut y = k + 1;
                if self.lower(y) == "," {
                    y += 1;
                }
                let year = year_at(y);
                if year.is_some() {
                    end = y;
                }
                (Value::Date { year, month, day }, end)
            };
        if self.lower(end) == "." && self.toks.get(end.wrapping_sub(1)).is_some_and(Tok::is_word) {
            end -= 1;
        }
        let sentence = self.sentences.of[i];
        if self.sentences.question[sentence] || self.disowned(i) {
            return None;
        }
        Some((
            Statement {
                subject: Subject::Since,
                value,
                span: self.toks[i].start..self.toks[end].end,
                hedged: self.sentences.hedged[sentence],
            },
            end + 1,
        ))
    }

    /// A qualifier ending right before token `i`: its bound and first token.
    fn qualifier_before(&self, i: usize) -> Option<(Bound, usize)> {
        for (words, bound) in lx::QUALIFIERS {
            if self.lang == Lang::En && words == &["do"] {
                continue;
            }
            let mut k = i;
            let mut ok = true;
            for w in words.iter().rev() {
                let Some(p) = self.before(k) else {
                    ok = false;
                    break;
                };
                if self.toks[p].lower != *w || !self.same_sentence(p, i) {
                    ok = false;
                    break;
                }
                k = p;
            }
            if ok {
                return Some((*bound, k));
            }
        }
        None
    }

    /// Words just before a figure that make it no statement of ours: "not 1,500",
    /// "reports of 5,000", "podobno 300".
    fn disowned(&self, first: usize) -> bool {
        let mut k = first;
        for step in 0..6 {
            let Some(p) = k.checked_sub(1) else { break };
            if !self.same_sentence(p, first) {
                break;
            }
            let w = self.lower(p);
            if step == 0 && matches!(w, "not" | "no" | "never" | "nie" | "nigdy") {
                return true;
            }
            if lx::is_disowning_word(w) && !matches!(w, "not" | "no" | "never" | "nie" | "nigdy") {
                return true;
            }
            k = p;
        }
        false
    }

    /// A condition opens the clause: "if more than 500 customers are affected".
    fn conditional(&self, first: usize) -> bool {
        let mut k = first;
        while let Some(p) = k.checked_sub(1) {
            if !self.same_sentence(p, first) || matches!(self.lower(p), "," | ";" | ":") {
                break;
            }
            if lx::is_condition_word(self.lower(p)) {
                return true;
            }
            k = p;
        }
        false
    }

    /// The figure starting with the number at `i`.
    fn figure(&self, i: usize) -> (Found, usize) {
        let read = self.number_at(i).expect("checked by the caller");
        let mut j = read.next;
        // A date ("14 March", "14 marca 2026") is not a count.
        if read.plain
            && (1.0..=31.0).contains(&read.value)
            && self.word(j).and_then(lx::month).is_some()
        {
            let mut end = self.skip_dot(j + 1);
            if matches!(self.toks.get(end).map(|t| &t.kind), Some(Kind::Num(n)) if n.plain) {
                end += 1;
            }
            return (Found::Nothing, end);
        }
        // A year ("in 2025", "March 2026", "2026 r.").
        if read.plain && (1900.0..=2100.0).contains(&read.value) {
            let prev = i.checked_sub(1).map_or("", |p| self.lower(p));
            let next = self.lower(j);
            if lx::month(prev).is_some()
                || matches!(
                    prev,
                    "in" | "since" | "w" | "od" | "roku" | "year" | "of" | "," | "("
                )
                || matches!(next, "r" | "roku" | "," | "." | ")" | "")
            {
                return (Found::Nothing, j);
            }
        }
        let mut value = Value::Count {
            n: read.value,
            hi: None,
            bound: Bound::Exact,
            rounded: read.rounded,
        };
        let mut unit = read.unit;
        // Qualifier, currency and range opener before the number.
        let mut first = i;
        let mut bound = Bound::Exact;
        let mut opener_partner: Option<&[&str]> = None;
        if let Some(p) = i.checked_sub(1)
            && let Some(u) = lx::unit(&self.toks[p].lower)
            && self.toks[p].kind == Kind::Punct
        {
            unit = Some(u);
            first = p;
        }
        if let Some(p) = first.checked_sub(1)
            && let Some(partner) = self.word(p).and_then(lx::range_opener)
        {
            opener_partner = Some(partner);
            first = p;
        } else if let Some((b, k)) = self.qualifier_before(first) {
            bound = b;
            first = k;
        }
        // The other end of a range.
        let joiner = self.lower(j);
        let joins = match opener_partner {
            Some(partner) => partner.contains(&joiner) || lx::is_range_joiner(joiner),
            // Polish "do" joins a range only after "od": "z 1200 do 1500" is a change.
            None => lx::is_range_joiner(joiner) && joiner != "do",
        };
        if joins && let Some(second) = self.number_at(j + 1) {
            let (mut lo, mut lo_rounded) = (read.value, read.rounded);
            if !read.rounded && second.rounded && second.value > lo {
                // "1.2-1.5 million": the multiplier covers both ends.
                let m = second.value / number_only(&self.toks[j + 1]).unwrap_or(second.value);
                lo *= m;
                lo_rounded = true;
            }
            value = Value::Count {
                n: lo,
                hi: Some(second.value),
                bound: Bound::Between,
                rounded: lo_rounded || second.rounded,
            };
            unit = unit.or(second.unit);
            j = second.next;
        } else if opener_partner.is_some() {
            // "from 1,200 customers": no range after all; "from" is no qualifier.
            first = i;
        }
        if let Value::Count { bound: b, .. } = &mut value
            && *b == Bound::Exact
        {
            *b = bound;
        }
        // After the number: "or more", "+".
        for (words, b) in lx::POST_QUALIFIERS {
            if phrase_at(self.toks, j, words) {
                if let Value::Count { bound, .. } = &mut value
                    && *bound == Bound::Exact
                {
                    *bound = *b;
                }
                j += words.len();
                break;
            }
        }
        // What makes it no statement.
        let sentence = self.sentences.of[i];
        let before_first = self.before(first).map_or("", |p| self.lower(p));
        if self.sentences.question[sentence]
            || lx::is_reference_word(before_first)
            || lx::is_increment_word(before_first)
            || matches!(before_first, "-" | "–")
                && first
                    .checked_sub(2)
                    .is_some_and(|p| matches!(self.toks[p].kind, Kind::Num(_)))
            || self.disowned(first)
            || self.conditional(first)
        {
            return (Found::Nothing, j);
        }
        let hedged = self.sentences.hedged[sentence];
        // "3 of our 12 sites": the first figure counts what the second does.
        // "one of our colleagues", "jeden z pracowników": one member, not a count.
        if read.value == 1.0
            && !read.rounded
            && self
                .word(j)
                .is_some_and(|w| matches!(w, "of" | "z" | "ze" | "spośród"))
        {
            return (Found::Nothing, j);
        }
        if unit.is_none()
            && let Some(w) = self.word(j)
            && lx::is_partitive(w)
        {
            let mut k = j + 1;
            if w == "out" && self.lower(k) == "of" {
                k += 1;
            }
            while self.word(k).is_some_and(|w| {
                matches!(
                    w,
                    "the"
                        | "our"
                        | "your"
                        | "its"
                        | "their"
                        | "these"
                        | "those"
                        | "all"
                        | "naszych"
                        | "wszystkich"
                        | "tych"
                        | "waszych"
                )
            }) {
                k += 1;
            }
            if self.number_at(k).is_some() {
                return (Found::Partitive(value, self.toks[first].start), k);
            }
            if w == "of" {
                j = k;
            }
        }
        let phrase = match unit {
            Some(u) => {
                let (modifiers, last) = self.unit_modifiers(j);
                Phrase::Unit {
                    unit: u,
                    modifiers,
                    last: last.unwrap_or(j - 1),
                }
            }
            None => self.phrase(j),
        };
        let (subject, last) = match phrase {
            Phrase::Noun {
                word,
                keys,
                modifiers,
                last,
            } => (
                Subject::Noun {
                    word,
                    keys,
                    modifiers,
                    lang: self.lang,
                },
                last,
            ),
            Phrase::Unit {
                unit,
                modifiers,
                last,
            } => (Subject::Unit { unit, modifiers }, last),
            Phrase::Skip => return (Found::Nothing, j),
            Phrase::None => match self.label_before(first) {
                Some((word, keys, label_start)) => {
                    let end = j.saturating_sub(1).max(i);
                    return (
                        Found::Statement(Statement {
                            subject: Subject::Noun {
                                word,
                                keys,
                                modifiers: Vec::new(),
                                lang: self.lang,
                            },
                            value,
                            span: self.toks[label_start].start..self.toks[end].end,
                            hedged,
                        }),
                        j,
                    );
                }
                None => return (Found::Nothing, j),
            },
        };
        (
            Found::Statement(Statement {
                subject,
                value,
                span: self.toks[first].start..self.toks[last].end,
                hedged,
            }),
            last + 1,
        )
    }

    /// The noun counted by a figure, from token `j`.
    fn phrase(&self, mut j: usize) -> Phrase {
        if let Some(t) = self.toks.get(j)
            && let Some(u) = lx::unit(&t.lower)
        {
            let (modifiers, last) = self.unit_modifiers(j + 1);
            return Phrase::Unit {
                unit: u,
                modifiers,
                last: last.unwrap_or(j),
            };
        }
        if self.lower(j) == "per" && self.lower(j + 1) == "cent" {
            let (modifiers, last) = self.unit_modifiers(j + 2);
            return Phrase::Unit {
                unit: "%",
                modifiers,
                last: last.unwrap_or(j + 1),
            };
        }
        let mut modifiers: Vec<Keys> = Vec::new();
        let mut neutral: Option<usize> = None;
        for _ in 0..4 {
            let Some(w) = self.word(j) else { break };
            if lx::is_time_unit(w) {
                return Phrase::Skip;
            }
            if lx::is_increment_word(w) {
                return Phrase::Skip;
            }
            // "four business days", "3 working hours": a duration.
            if self.word(j + 1).is_some_and(lx::is_time_unit) {
                return Phrase::Skip;
            }
            let next_is_content = self.word(j + 1).is_some_and(|n| self.content(n));
            if lx::is_neutral_adjective(w) && next_is_content {
                neutral = Some(j);
                j += 1;
                continue;
            }
            if !self.content(w) {
                break;
            }
            let adjective = lx::looks_adjective(w, self.lang)
                || (self.lang == Lang::En && self.toks[j].cap && !self.toks[j].newline);
            if adjective && next_is_content && modifiers.len() < 2 {
                modifiers.push(noun::keys(w, self.lang));
                j += 1;
                continue;
            }
            return self.noun_at(j, modifiers);
        }
        // "1200 poszkodowanych": the adjective stands for the noun.
        if let Some(n) = neutral.or_else(|| {
            let w = self.word(j)?;
            (lx::is_neutral_adjective(w) && !lx::is_stopword(w)).then_some(j)
        }) {
            return self.noun_at(n, modifiers);
        }
        Phrase::None
    }

    /// A word that can be the thing counted.
    fn content(&self, w: &str) -> bool {
        !lx::is_stopword(w)
            && lx::number_word(w, self.lang).is_none()
            && lx::multiplier_word(w).is_none()
            && lx::month(w).is_none()
            && !lx::is_time_unit(w)
    }

    /// The head noun at `j`, with a place or owner after it ("in Germany", "Nadwarcina").
    fn noun_at(&self, j: usize, mut modifiers: Vec<Keys>) -> Phrase {
        let t = &self.toks[j];
        let mut last = j;
        let cap_word = |k: usize| {
            self.toks
                .get(k)
                .filter(|t| t.is_word() && t.cap && !t.newline && self.content(&t.lower))
        };
        if let Some(w) = self.word(j + 1)
            && lx::is_place_preposition(w)
            && let Some(place) = cap_word(j + 2)
        {
            modifiers.push(noun::keys(&place.lower, self.lang));
            last = j + 2;
        } else if self.lang == Lang::Pl
            && let Some(owner) = cap_word(j + 1)
        {
            modifiers.push(noun::keys(&owner.lower, self.lang));
            last = j + 1;
        }
        Phrase::Noun {
            word: self.toks_text(t),
            keys: noun::keys(&t.lower, self.lang),
            modifiers,
            last,
        }
    }

    fn toks_text(&self, t: &Tok) -> String {
        t.lower.clone()
    }

    /// What a unit measures: "9 GB of data", "40% of customers", "40% mieszkańców".
    fn unit_modifiers(&self, j: usize) -> (Vec<Keys>, Option<usize>) {
        let mut k = j;
        let of = matches!(self.lower(k), "of" | "z");
        if of {
            k += 1;
            while self
                .word(k)
                .is_some_and(|w| lx::is_neutral_adjective(w) || w == "their")
            {
                k += 1;
            }
        }
        match self.word(k) {
            Some(w) if self.content(w) && (of || self.lang == Lang::Pl) => {
                (vec![noun::keys(w, self.lang)], Some(k))
            }
            _ => (Vec::new(), None),
        }
    }

    /// A label before the figure: "Affected customers: 1,500", "the number of customers is
    /// 1,500", "Liczba poszkodowanych: 1200". Returns the noun and where the quote starts.
    fn label_before(&self, first: usize) -> Option<(String, Keys, usize)> {
        let p = first.checked_sub(1)?;
        let link = if self.lower(p) == "at" && p > 0 && self.lower(p - 1) == "stands" {
            p - 1
        } else if lx::is_linking_word(self.lower(p)) {
            p
        } else {
            return None;
        };
        let mut n = link.checked_sub(1)?;
        if !self.same_sentence(n, first) {
            return None;
        }
        let w = self.word(n)?;
        if lx::is_neutral_adjective(w)
            && let Some(m) = n.checked_sub(1)
            && let Some(prev) = self.word(m)
            && self.content(prev)
            && !matches!(
                prev,
                "number" | "total" | "count" | "liczba" | "łączna" | "ogólna"
            )
            && self.same_sentence(m, first)
        {
            n = m;
        }
        let w = self.word(n)?;
        if !self.content(w) && !lx::is_neutral_adjective(w) {
            return None;
        }
        let mut start = n;
        while let Some(m) = start.checked_sub(1) {
            if self.same_sentence(m, first)
                && self.word(m).is_some_and(|x| {
                    matches!(
                        x,
                        "number" | "total" | "count" | "liczba" | "of" | "the" | "łączna"
                    ) || lx::is_neutral_adjective(x)
                })
            {
                start = m;
            } else {
                break;
            }
        }
        Some((w.to_owned(), noun::keys(w, self.lang), start))
    }
}

/// The number written in a token, before any multiplier.
fn number_only(t: &Tok) -> Option<f64> {
    match &t.kind {
        Kind::Num(n) => Some(n.value),
        _ => None,
    }
}

enum Found {
    Statement(Statement),
    /// "3 of …": the value, waiting for the noun of the next figure.
    Partitive(Value, usize),
    Nothing,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> (String, Value, String) {
        let st = extract(text, Lang::En);
        assert_eq!(st.len(), 1, "{text}: {st:#?}");
        let s = &st[0];
        (s.subject.label(), s.value, s.quote(text).to_owned())
    }

    fn count(text: &str) -> f64 {
        match one(text).1 {
            Value::Count { n, .. } => n,
            v => panic!("{v:?}"),
        }
    }

    #[test]
    fn separators_and_decimal_marks() {
        assert_eq!(count("1,200 customers"), 1200.0);
        assert_eq!(count("1 200 customers"), 1200.0);
        assert_eq!(count("1\u{a0}200 customers"), 1200.0);
        assert_eq!(count("1\u{202f}200 customers"), 1200.0);
        assert_eq!(count("1,200,000 records"), 1_200_000.0);
        assert_eq!(count("1.5 GB of data"), 1.5);
        assert_eq!(count("Wyciekło 1,5 GB danych."), 1.5);
        assert_eq!(count("Wyciekło 1.200 rekordów."), 1200.0);
        assert_eq!(count("1.2 million records"), 1_200_000.0);
        assert_eq!(count("1,2 mln rekordów"), 1_200_000.0);
        assert_eq!(count("1,250 mln rekordów"), 1_250_000.0);
        assert_eq!(count("12k customers"), 12_000.0);
        assert_eq!(count("ok. 1,5 tys. mieszkańców"), 1500.0);
    }

    #[test]
    fn codes_times_and_ids_are_not_figures() {
        for text in [
            "Call 0800 123 456 for help.",
            "Update at 10:00 today.",
            "Open 24/7.",
            "NIS2 applies.",
            "COVID-19 cases",
            "Under Article 33 of GDPR.",
            "We need 72h.",
            "A 45-year-old employee was hurt.",
            "Zadzwoń pod 994.",
        ] {
            assert!(
                extract(text, Lang::En).is_empty(),
                "{text}: {:?}",
                extract(text, Lang::En)
            );
        }
    }

    #[test]
    fn quotes_are_the_exact_words() {
        let (_, _, q) = one("Records of about 1,200 customers were accessed.");
        assert_eq!(q, "about 1,200 customers");
        let (_, _, q) = one("Bez wody jest ok. 12 tys. mieszkańców.");
        assert_eq!(q, "ok. 12 tys. mieszkańców");
    }

    #[test]
    fn show_groups_thousands() {
        assert_eq!(show(1200.0), "1,200");
        assert_eq!(show(1_080.0), "1,080");
        assert_eq!(show(1.5), "1.5");
        assert_eq!(show(999.0), "999");
    }
}
