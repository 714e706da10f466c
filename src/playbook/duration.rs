//! Durations as written in playbooks (`1h30m`, `4bd`, `P1M`).
//!
//! A playbook says "notify the regulator within 72h" or "update staff every 4h". Those strings are
//! written by people in a text editor, so the compact form is strict (lowercase units, largest
//! first, each at most once): a file that reads one way to a person must not mean something else
//! to the program. ISO 8601 (`PT72H`) is accepted too because other tools export it.
//!
//! A [`Duration`] is only a description; turning it into a moment needs a time zone and holidays,
//! which is [`Calendar::add`](super::calendar::Calendar::add)'s job.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// A playbook duration: parts applied largest first.
///
/// `months`, `weeks` and `days` are calendar units (same wall-clock time in the playbook's zone),
/// `business_days` skip weekends and holidays, and `hours`, `minutes` and `seconds` are elapsed
/// time. Parts are kept separately rather than normalised (`24h` is not `1d`) because across a
/// daylight-saving change they mean different moments.
///
/// The fields are public for convenience; the parser rejects any part above about 100 years
/// (for example more than 1200 months or 876000 hours), so parsed values never overflow deadline
/// arithmetic. Values built by hand beyond those limits still work: deadlines saturate instead of
/// panicking, but their text form will not parse back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Duration {
    /// Calendar months (`mo`).
    pub months: u32,
    /// Calendar weeks (`w`), seven calendar days each.
    pub weeks: u32,
    /// Business days (`bd`): Monday to Friday in the playbook's zone, minus holidays.
    pub business_days: u32,
    /// Calendar days (`d`): same wall-clock time on a later day.
    pub days: u32,
    /// Elapsed hours (`h`).
    pub hours: u32,
    /// Elapsed minutes (`m`).
    pub minutes: u32,
    /// Elapsed seconds (`s`).
    pub seconds: u32,
}

/// Why a text is not a playbook duration. The messages are meant for the people who write
/// playbooks, so they say what to write instead rather than describing the grammar.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DurationError {
    /// Nothing was written.
    #[error("a duration cannot be empty: write it like 72h, 30m, 4bd or 1h30m")]
    Empty,
    /// The text does not look like a duration at all.
    #[error("\"{input}\" is not a duration: write it like 72h, 30m, 4bd or 1h30m")]
    NotADuration {
        /// The text as written.
        input: String,
    },
    /// The text contains spaces (`1 h`, `72 hours`).
    #[error("\"{input}\" is not a duration: write it like 72h, 30m, 4bd or 1h30m, without spaces")]
    Whitespace {
        /// The text as written.
        input: String,
    },
    /// A sign was written (`-1h`, `+4h`); deadlines only count forward.
    #[error(
        "\"{input}\" is not a duration: leave out the \"+\" or \"-\" sign, durations always count forward"
    )]
    Signed {
        /// The text as written.
        input: String,
    },
    /// A fraction was written (`1.5h`, `PT0.5S`).
    #[error("\"{input}\" is not a duration: use whole numbers, like 1h30m instead of 1.5h")]
    Fraction {
        /// The text as written.
        input: String,
    },
    /// A number without a unit (`72`).
    #[error(
        "\"{input}\" is not a duration: the number {number} needs a unit, like {number}h or {number}bd"
    )]
    MissingUnit {
        /// The text as written.
        input: String,
        /// The number that lacks a unit.
        number: String,
    },
    /// A unit without a number (`h`).
    #[error("\"{input}\" is not a duration: put a number before the unit \"{unit}\", like 4{unit}")]
    MissingNumber {
        /// The text as written.
        input: String,
        /// The unit that lacks a number.
        unit: String,
    },
    /// A unit in capitals (`1H`); `M` would be ambiguous between months and minutes.
    #[error(
        "\"{input}\" is not a duration: units are written in lowercase, \"{lower}\" not \"{unit}\""
    )]
    UppercaseUnit {
        /// The text as written.
        input: String,
        /// The unit as written.
        unit: String,
        /// The unit as it should be written.
        lower: String,
    },
    /// A unit that does not exist (`5min`, `1y`).
    #[error(
        "unknown unit \"{unit}\" in \"{input}\": use mo (months), w (weeks), bd (business days), d (days), h (hours), m (minutes) or s (seconds)"
    )]
    UnknownUnit {
        /// The text as written.
        input: String,
        /// The unknown unit.
        unit: String,
    },
    /// The same unit twice (`1h2h`).
    #[error("unit \"{unit}\" appears twice in \"{input}\"")]
    RepeatedUnit {
        /// The text as written.
        input: String,
        /// The repeated unit.
        unit: &'static str,
    },
    /// Units out of order (`30m1h`).
    #[error("units must go largest first: \"{input}\" (write {suggestion})")]
    OutOfOrder {
        /// The text as written.
        input: String,
        /// The same parts, largest first.
        suggestion: String,
    },
    /// A part above about 100 years.
    #[error("\"{input}\" is too long a duration: at most {max}{unit} (about 100 years) is allowed")]
    TooLarge {
        /// The text as written.
        input: String,
        /// The unit that is too large.
        unit: &'static str,
        /// The largest value accepted for that unit.
        max: u32,
    },
    /// An ISO 8601 duration jiff could not read.
    #[error(
        "\"{input}\" is not a duration: write it like 72h, 30m, 4bd or 1h30m, or in ISO 8601 like PT72H"
    )]
    InvalidIso {
        /// The text as written.
        input: String,
    },
    /// An ISO 8601 duration in lowercase (`pt72h`).
    #[error(
        "\"{input}\" is not a duration: ISO 8601 durations are written in capitals, like PT72H"
    )]
    LowercaseIso {
        /// The text as written.
        input: String,
    },
}

/// The units of the compact form, largest first. Declaration order is the required order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Months,
    Weeks,
    BusinessDays,
    Days,
    Hours,
    Minutes,
    Seconds,
}

impl Unit {
    const ALL: [Unit; 7] = [
        Unit::Months,
        Unit::Weeks,
        Unit::BusinessDays,
        Unit::Days,
        Unit::Hours,
        Unit::Minutes,
        Unit::Seconds,
    ];

    fn symbol(self) -> &'static str {
        match self {
            Unit::Months => "mo",
            Unit::Weeks => "w",
            Unit::BusinessDays => "bd",
            Unit::Days => "d",
            Unit::Hours => "h",
            Unit::Minutes => "m",
            Unit::Seconds => "s",
        }
    }

    fn from_symbol(s: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|u| u.symbol() == s)
    }

    /// About 100 years of each unit: far beyond any real deadline, and small enough that the sum
    /// of all parts stays well inside jiff's range (years up to 9999) and `u64` seconds.
    fn max(self) -> u32 {
        match self {
            Unit::Months => 1_200,
            Unit::Weeks => 5_218,
            Unit::BusinessDays | Unit::Days => 36_500,
            Unit::Hours => 876_000,
            Unit::Minutes => 52_560_000,
            Unit::Seconds => 3_153_600_000,
        }
    }

    /// Singular and plural names, for [`Duration::human`].
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Unit::Months => ("month", "months"),
            Unit::Weeks => ("week", "weeks"),
            Unit::BusinessDays => ("business day", "business days"),
            Unit::Days => ("day", "days"),
            Unit::Hours => ("hour", "hours"),
            Unit::Minutes => ("minute", "minutes"),
            Unit::Seconds => ("second", "seconds"),
        }
    }
}

impl Duration {
    fn get(&self, unit: Unit) -> u32 {
        match unit {
            Unit::Months => self.months,
            Unit::Weeks => self.weeks,
            Unit::BusinessDays => self.business_days,
            Unit::Days => self.days,
            Unit::Hours => self.hours,
            Unit::Minutes => self.minutes,
            Unit::Seconds => self.seconds,
        }
    }

    fn set(&mut self, unit: Unit, value: u32) {
        match unit {
            Unit::Months => self.months = value,
            Unit::Weeks => self.weeks = value,
            Unit::BusinessDays => self.business_days = value,
            Unit::Days => self.days = value,
            Unit::Hours => self.hours = value,
            Unit::Minutes => self.minutes = value,
            Unit::Seconds => self.seconds = value,
        }
    }

    /// The non-zero parts, largest first.
    fn parts(&self) -> impl Iterator<Item = (Unit, u32)> + '_ {
        Unit::ALL
            .into_iter()
            .map(|u| (u, self.get(u)))
            .filter(|&(_, v)| v != 0)
    }

    /// True when every part is zero (`0m`): the deadline is the anchor itself.
    pub fn is_zero(&self) -> bool {
        self.parts().next().is_none()
    }

    /// True when only hours, minutes and seconds are set, so the result does not depend on the
    /// time zone or holidays (a zero duration counts as elapsed-only).
    pub fn is_elapsed_only(&self) -> bool {
        self.months == 0 && self.weeks == 0 && self.business_days == 0 && self.days == 0
    }

    /// A rough length in seconds (a month is 30 days, a business day is one day). Only for
    /// sorting and display: real deadlines come from
    /// [`Calendar::add`](super::calendar::Calendar::add).
    pub fn approx_seconds(&self) -> u64 {
        const DAY: u64 = 86_400;
        let weights = [30 * DAY, 7 * DAY, DAY, DAY, 3_600, 60, 1];
        Unit::ALL
            .into_iter()
            .zip(weights)
            .fold(0u64, |acc, (u, w)| {
                acc.saturating_add(u64::from(self.get(u)).saturating_mul(w))
            })
    }

    /// The duration in words, for people: "72 hours", "4 business days", "1 hour 30 minutes".
    /// Zero reads "0 minutes".
    pub fn human(&self) -> String {
        let words: Vec<String> = self
            .parts()
            .map(|(u, v)| {
                let (one, many) = u.names();
                format!("{v} {}", if v == 1 { one } else { many })
            })
            .collect();
        if words.is_empty() {
            "0 minutes".to_owned()
        } else {
            words.join(" ")
        }
    }

    /// Rejects parts above [`Unit::max`], naming the offending unit.
    fn check_limits(self, input: &str) -> Result<Self, DurationError> {
        match self.parts().find(|&(u, v)| v > u.max()) {
            Some((u, _)) => Err(too_large(input, u)),
            None => Ok(self),
        }
    }
}

fn too_large(input: &str, unit: Unit) -> DurationError {
    DurationError::TooLarge {
        input: input.to_owned(),
        unit: unit.symbol(),
        max: unit.max(),
    }
}

/// The canonical compact form (`1h30m`, `4bd`; zero is `0m`), which [`FromStr`] reads back.
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("0m");
        }
        for (u, v) in self.parts() {
            write!(f, "{v}{}", u.symbol())?;
        }
        Ok(())
    }
}

impl FromStr for Duration {
    type Err = DurationError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        if input.is_empty() {
            return Err(DurationError::Empty);
        }
        let owned = || input.to_owned();
        if input.chars().any(char::is_whitespace) {
            return Err(DurationError::Whitespace { input: owned() });
        }
        if input.starts_with(['+', '-']) {
            return Err(DurationError::Signed { input: owned() });
        }
        if input.contains(['.', ',']) {
            return Err(DurationError::Fraction { input: owned() });
        }
        // No compact part starts with a letter, so a leading P can only mean ISO 8601.
        if input.starts_with(['P', 'p']) {
            return parse_iso(input);
        }
        parse_compact(input)
    }
}

/// Reads `<integer><unit>` parts, checking syntax first, then repeats, then order, then limits,
/// so that the message points at the first thing a person would fix.
fn parse_compact(input: &str) -> Result<Duration, DurationError> {
    let owned = || input.to_owned();
    let bytes = input.as_bytes();
    let mut parts: Vec<(Unit, &str)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let number_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let unit_start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let number = &input[number_start..unit_start];
        let unit = &input[unit_start..i];
        match (number.is_empty(), unit.is_empty()) {
            // Neither a digit nor a letter: some other character.
            (true, true) => return Err(DurationError::NotADuration { input: owned() }),
            // A lone unit (`h`) gets a precise hint; a word (`soon`) is simply not a duration.
            (true, false) if Unit::from_symbol(&unit.to_ascii_lowercase()).is_none() => {
                return Err(DurationError::NotADuration { input: owned() });
            }
            (true, false) => {
                return Err(DurationError::MissingNumber {
                    input: owned(),
                    unit: unit.to_ascii_lowercase(),
                });
            }
            (false, true) if i == bytes.len() => {
                return Err(DurationError::MissingUnit {
                    input: owned(),
                    number: number.to_owned(),
                });
            }
            (false, true) => return Err(DurationError::NotADuration { input: owned() }),
            (false, false) => {}
        }
        let Some(parsed) = Unit::from_symbol(unit) else {
            let lower = unit.to_ascii_lowercase();
            return Err(if Unit::from_symbol(&lower).is_some() {
                DurationError::UppercaseUnit {
                    input: owned(),
                    unit: unit.to_owned(),
                    lower,
                }
            } else {
                DurationError::UnknownUnit {
                    input: owned(),
                    unit: unit.to_owned(),
                }
            });
        };
        if parts.iter().any(|&(u, _)| u == parsed) {
            return Err(DurationError::RepeatedUnit {
                input: owned(),
                unit: parsed.symbol(),
            });
        }
        parts.push((parsed, number));
    }

    if parts.windows(2).any(|w| w[0].0 > w[1].0) {
        let mut sorted = parts.clone();
        sorted.sort_by_key(|&(u, _)| u);
        let suggestion = sorted
            .iter()
            .map(|&(u, n)| format!("{n}{}", u.symbol()))
            .collect();
        return Err(DurationError::OutOfOrder {
            input: owned(),
            suggestion,
        });
    }

    let mut duration = Duration::default();
    for (unit, number) in parts {
        // Too many digits for u32 is "too large" too, not a different kind of mistake.
        let value = number
            .parse::<u32>()
            .ok()
            .filter(|&v| v <= unit.max())
            .ok_or_else(|| too_large(input, unit))?;
        duration.set(unit, value);
    }
    Ok(duration)
}

/// Reads ISO 8601 with jiff's Temporal parser (not `Span::from_str`, which also accepts jiff's
/// "friendly" format such as `1 hour`; that would let a second, undocumented syntax in).
fn parse_iso(input: &str) -> Result<Duration, DurationError> {
    static PARSER: jiff::fmt::temporal::SpanParser = jiff::fmt::temporal::SpanParser::new();
    let owned = || input.to_owned();
    // jiff would take lowercase, but the compact `m` is minutes while ISO's date `M` is months:
    // requiring capitals keeps the two forms visibly apart (and matches the schema pattern).
    if input.bytes().any(|b| b.is_ascii_lowercase()) {
        return Err(DurationError::LowercaseIso { input: owned() });
    }
    // Checked before jiff, which refuses (or rebalances) values beyond its own range: those
    // should read "too long", not "invalid".
    if let Some(unit) = iso_part_over_limit(input) {
        return Err(too_large(input, unit));
    }
    let span = PARSER
        .parse_span(input)
        .map_err(|_| DurationError::InvalidIso { input: owned() })?;
    if span.is_negative() {
        return Err(DurationError::Signed { input: owned() });
    }
    if span.get_milliseconds() != 0 || span.get_microseconds() != 0 || span.get_nanoseconds() != 0 {
        return Err(DurationError::Fraction { input: owned() });
    }
    // Every field is non-negative here; anything that does not fit a u32 is over the limit.
    let fit = |v: i64, unit: Unit| u32::try_from(v).map_err(|_| too_large(input, unit));
    let months = i64::from(span.get_years()) * 12 + i64::from(span.get_months());
    Duration {
        months: fit(months, Unit::Months)?,
        weeks: fit(span.get_weeks().into(), Unit::Weeks)?,
        business_days: 0,
        days: fit(span.get_days().into(), Unit::Days)?,
        hours: fit(span.get_hours().into(), Unit::Hours)?,
        minutes: fit(span.get_minutes(), Unit::Minutes)?,
        seconds: fit(span.get_seconds(), Unit::Seconds)?,
    }
    .check_limits(input)
}

/// The first `<number><designator>` part of an ISO 8601 text above our limit, if any. A rough
/// scan: it gives up (`None`) on anything unexpected and leaves the grammar to jiff.
fn iso_part_over_limit(input: &str) -> Option<Unit> {
    let mut in_time = false;
    let mut number: Option<u64> = None;
    for b in input.bytes().skip(1) {
        if b.is_ascii_digit() {
            let digit = u64::from(b - b'0');
            number = Some(number.unwrap_or(0).saturating_mul(10).saturating_add(digit));
            continue;
        }
        let (unit, factor) = match (in_time, b) {
            (false, b'T') => {
                in_time = true;
                continue;
            }
            (false, b'Y') => (Unit::Months, 12),
            (false, b'M') => (Unit::Months, 1),
            (false, b'W') => (Unit::Weeks, 1),
            (false, b'D') => (Unit::Days, 1),
            (true, b'H') => (Unit::Hours, 1),
            (true, b'M') => (Unit::Minutes, 1),
            (true, b'S') => (Unit::Seconds, 1),
            _ => return None,
        };
        if number.take()?.saturating_mul(factor) > u64::from(unit.max()) {
            return Some(unit);
        }
    }
    None
}

/// Serialised as the compact text form, the same as a person would write it.
impl serde::Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Duration;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration like 72h, 30m, 4bd or 1h30m")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Duration, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// The schema pattern without anchors: the compact form or ISO 8601, each with at least one
/// part, in the required order. No look-around, so any JSON Schema regex engine can run it.
fn schema_pattern_body() -> String {
    /// One or more of `units`, in order, each optional except the first one present.
    fn ordered(units: &[&str]) -> String {
        (0..units.len())
            .map(|first| {
                let rest: String = units[first + 1..]
                    .iter()
                    .map(|u| format!("(?:[0-9]+{u})?"))
                    .collect();
                format!("[0-9]+{}{rest}", units[first])
            })
            .collect::<Vec<_>>()
            .join("|")
    }
    let compact: Vec<&str> = Unit::ALL.iter().map(|u| u.symbol()).collect();
    let compact = ordered(&compact);
    let date = ordered(&["Y", "M", "W", "D"]);
    let time = ordered(&["H", "M", "S"]);
    format!("{compact}|P(?:(?:{date})(?:T(?:{time}))?|T(?:{time}))")
}

impl schemars::JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }

    fn schema_id() -> Cow<'static, str> {
        concat!(module_path!(), "::Duration").into()
    }

    fn json_schema(_generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A duration: whole numbers with units, largest first, each unit once: \
                mo (calendar months), w (weeks), bd (business days), d (calendar days), \
                h (hours), m (minutes), s (seconds). Examples: 72h, 1h30m, 4bd, 1mo, 0m. \
                ISO 8601 (PT72H, P1M) is accepted too. Each part is limited to about 100 years.",
            "pattern": format!("^(?:{})$", schema_pattern_body()),
            "examples": ["72h", "1h30m", "4bd", "1mo", "PT72H"],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(s: &str) -> Duration {
        s.parse()
            .unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
    }

    fn error(s: &str) -> String {
        match s.parse::<Duration>() {
            Ok(d) => panic!("{s:?} should be rejected, got {d:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn d() -> Duration {
        Duration::default()
    }

    #[test]
    fn parses_every_spec_example() {
        let cases = [
            ("0m", d()),
            ("30s", Duration { seconds: 30, ..d() }),
            ("15m", Duration { minutes: 15, ..d() }),
            ("4h", Duration { hours: 4, ..d() }),
            (
                "1h30m",
                Duration {
                    hours: 1,
                    minutes: 30,
                    ..d()
                },
            ),
            ("2w", Duration { weeks: 2, ..d() }),
            ("3d", Duration { days: 3, ..d() }),
            (
                "4bd",
                Duration {
                    business_days: 4,
                    ..d()
                },
            ),
            ("1mo", Duration { months: 1, ..d() }),
            ("PT72H", Duration { hours: 72, ..d() }),
            ("P1M", Duration { months: 1, ..d() }),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), expected, "{text}");
        }
    }

    #[test]
    fn parses_all_units_together_and_zero_forms() {
        assert_eq!(
            parse("1mo2w3bd4d5h6m7s"),
            Duration {
                months: 1,
                weeks: 2,
                business_days: 3,
                days: 4,
                hours: 5,
                minutes: 6,
                seconds: 7
            }
        );
        assert_eq!(parse("0s"), d());
        assert_eq!(parse("0h0m"), d());
        assert_eq!(parse("007h"), Duration { hours: 7, ..d() });
    }

    #[test]
    fn parses_iso_8601() {
        assert_eq!(
            parse("P1Y2M3DT4H5M6S"),
            Duration {
                months: 14,
                days: 3,
                hours: 4,
                minutes: 5,
                seconds: 6,
                ..d()
            }
        );
        assert_eq!(parse("P2W"), Duration { weeks: 2, ..d() });
        assert_eq!(parse("PT0S"), d());
        assert_eq!(parse("PT90M"), Duration { minutes: 90, ..d() });
        assert_eq!(
            parse("P100Y"),
            Duration {
                months: 1200,
                ..d()
            }
        );
    }

    #[test]
    fn rejects_with_plain_messages() {
        let cases = [
            ("", "a duration cannot be empty: write it like 72h"),
            ("72", "\"72\" is not a duration: the number 72 needs a unit"),
            ("h", "put a number before the unit \"h\""),
            ("1H", "units are written in lowercase, \"h\" not \"H\""),
            ("1Mo", "units are written in lowercase, \"mo\" not \"Mo\""),
            ("1h2h", "unit \"h\" appears twice in \"1h2h\""),
            (
                "30m1h",
                "units must go largest first: \"30m1h\" (write 1h30m)",
            ),
            (
                "1d1bd",
                "units must go largest first: \"1d1bd\" (write 1bd1d)",
            ),
            ("1.5h", "\"1.5h\" is not a duration: use whole numbers"),
            ("1,5h", "use whole numbers"),
            ("-1h", "leave out the \"+\" or \"-\" sign"),
            ("+1h", "leave out the \"+\" or \"-\" sign"),
            (
                "1 h",
                "\"1 h\" is not a duration: write it like 72h, 30m, 4bd or 1h30m, without spaces",
            ),
            (
                "72 hours",
                "\"72 hours\" is not a duration: write it like 72h, 30m, 4bd or 1h30m",
            ),
            (" 4h", "without spaces"),
            ("5min", "unknown unit \"min\" in \"5min\": use mo (months)"),
            ("1y", "unknown unit \"y\""),
            ("4h_", "\"4h_\" is not a duration: write it like 72h"),
            ("1h30", "the number 30 needs a unit"),
            ("1h-30m", "\"1h-30m\" is not a duration"),
            ("soon", "\"soon\" is not a duration: write it like 72h"),
            ("30mm", "unknown unit \"mm\""),
            ("PT", "or in ISO 8601 like PT72H"),
            ("P1X", "or in ISO 8601 like PT72H"),
            ("pt72h", "ISO 8601 durations are written in capitals"),
            ("-PT1H", "leave out the \"+\" or \"-\" sign"),
            ("PT1.5H", "use whole numbers"),
            ("PT0.5S", "use whole numbers"),
            ("4٣h", "is not a duration"),
        ];
        for (text, fragment) in cases {
            let message = error(text);
            assert!(
                message.contains(fragment),
                "{text:?}: {message:?} should contain {fragment:?}"
            );
        }
    }

    #[test]
    fn rejects_huge_values_without_overflow() {
        let cases = [
            ("1201mo", "at most 1200mo (about 100 years)"),
            ("5219w", "at most 5218w"),
            ("36501bd", "at most 36500bd"),
            ("36501d", "at most 36500d"),
            ("876001h", "at most 876000h"),
            ("52560001m", "at most 52560000m"),
            ("3153600001s", "at most 3153600000s"),
            ("99999999999999999999999h", "at most 876000h"),
            ("P101Y", "at most 1200mo"),
            ("PT876001H", "at most 876000h"),
            ("P36501D", "at most 36500d"),
            ("P0Y7304500D", "at most 36500d"),
            ("PT99999999999999999999999S", "at most 3153600000s"),
        ];
        for (text, fragment) in cases {
            let message = error(text);
            assert!(
                message.contains("is too long a duration") && message.contains(fragment),
                "{text:?}: {message:?} should contain {fragment:?}"
            );
        }
        // The limits themselves are accepted.
        assert_eq!(parse("1200mo").months, 1200);
        assert_eq!(parse("3153600000s").seconds, 3_153_600_000);
    }

    #[test]
    fn displays_canonical_compact_form() {
        assert_eq!(d().to_string(), "0m");
        assert_eq!(parse("1h30m").to_string(), "1h30m");
        assert_eq!(parse("PT72H").to_string(), "72h");
        assert_eq!(parse("P1Y2M3DT4H5M6S").to_string(), "14mo3d4h5m6s");
        assert_eq!(parse("0h0s").to_string(), "0m");
        assert_eq!(parse("007h").to_string(), "7h");
        for text in ["0m", "30s", "15m", "4h", "1h30m", "2w", "3d", "4bd", "1mo"] {
            assert_eq!(parse(text).to_string(), text);
        }
    }

    #[test]
    fn helpers() {
        assert!(d().is_zero());
        assert!(!parse("1s").is_zero());
        assert!(parse("1h30m").is_elapsed_only());
        assert!(d().is_elapsed_only());
        assert!(!parse("1bd").is_elapsed_only());
        assert!(!parse("1d1h").is_elapsed_only());
        assert_eq!(parse("1h30m").approx_seconds(), 5_400);
        assert_eq!(parse("1mo").approx_seconds(), 30 * 86_400);
        assert_eq!(parse("1w1bd1d").approx_seconds(), 9 * 86_400);
        assert!(parse("4bd").approx_seconds() < parse("1w").approx_seconds());
        let max = Duration {
            months: u32::MAX,
            weeks: u32::MAX,
            business_days: u32::MAX,
            days: u32::MAX,
            hours: u32::MAX,
            minutes: u32::MAX,
            seconds: u32::MAX,
        };
        assert!(max.approx_seconds() > 0, "must not overflow");
    }

    #[test]
    fn human_wording() {
        assert_eq!(parse("72h").human(), "72 hours");
        assert_eq!(parse("4bd").human(), "4 business days");
        assert_eq!(parse("1bd").human(), "1 business day");
        assert_eq!(parse("1mo").human(), "1 month");
        assert_eq!(parse("1h30m").human(), "1 hour 30 minutes");
        assert_eq!(parse("2w1d1s").human(), "2 weeks 1 day 1 second");
        assert_eq!(d().human(), "0 minutes");
    }

    #[test]
    fn serde_uses_the_text_form() {
        let value = parse("1h30m");
        assert_eq!(serde_json::to_string(&value).unwrap(), "\"1h30m\"");
        assert_eq!(
            serde_json::from_str::<Duration>("\"PT72H\"").unwrap(),
            parse("72h")
        );
        let err = serde_json::from_str::<Duration>("\"30m1h\"")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("units must go largest first: \"30m1h\""),
            "{err}"
        );
        let err = serde_json::from_str::<Duration>("72")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("a duration like 72h, 30m, 4bd or 1h30m"),
            "{err}"
        );
    }

    #[test]
    fn json_schema_is_a_patterned_string() {
        let schema = schemars::schema_for!(Duration);
        assert_eq!(schema.get("type").and_then(|v| v.as_str()), Some("string"));
        let pattern = schema.get("pattern").and_then(|v| v.as_str()).unwrap();
        assert!(pattern.starts_with("^(?:") && pattern.ends_with(")$"));
        let description = schema.get("description").and_then(|v| v.as_str());
        assert!(description.unwrap().contains("business days"));
    }

    fn limited_duration() -> impl Strategy<Value = Duration> {
        let part = |u: Unit| prop_oneof![Just(0u32), 0..=u.max()];
        (
            part(Unit::Months),
            part(Unit::Weeks),
            part(Unit::BusinessDays),
            part(Unit::Days),
            part(Unit::Hours),
            part(Unit::Minutes),
            part(Unit::Seconds),
        )
            .prop_map(
                |(months, weeks, business_days, days, hours, minutes, seconds)| Duration {
                    months,
                    weeks,
                    business_days,
                    days,
                    hours,
                    minutes,
                    seconds,
                },
            )
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(value in limited_duration()) {
            let text = value.to_string();
            prop_assert_eq!(text.parse::<Duration>(), Ok(value));
            let json = serde_json::to_string(&value).unwrap();
            prop_assert_eq!(serde_json::from_str::<Duration>(&json).unwrap(), value);
        }

        /// Everything the schema pattern admits is something the parser reads (or rejects only
        /// as too large), so editors never bless a value the loader refuses for its shape.
        #[test]
        fn schema_pattern_strings_parse(
            text in proptest::string::string_regex(&schema_pattern_body()).unwrap()
        ) {
            match text.parse::<Duration>() {
                Ok(_) | Err(DurationError::TooLarge { .. }) => {}
                Err(e) => prop_assert!(false, "{text:?}: {e}"),
            }
        }

        /// Arbitrary text never panics the parser.
        #[test]
        fn parser_never_panics(text in "\\PC{0,12}") {
            let _ = text.parse::<Duration>();
        }
    }
}
