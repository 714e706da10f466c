//! The playbook's language for what crisisdesk writes into its texts: the dates and times a
//! template fills in (`{{now}}`, `{{detected_at}}`, `{{next_update}}`) come out as that
//! language writes them — "2 grudnia 2026 15:05 CET", "2. Dezember 2026 um 15:05 MEZ",
//! "December 2, 2026 at 8:05 AM CST".
//!
//! The words and patterns are Unicode CLDR's, through ICU4X with its data compiled in (no
//! month tables of our own, every CLDR language works). A region tag uses that region's
//! conventions where CLDR has them (`en-GB` writes the day first) and the language's
//! otherwise (`pl-PL` is `pl`).

use icu_calendar::Gregorian;
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::{Combo, YMD, YMDT, zone::SpecificShort};
use icu_datetime::input::{Date, Time, UtcOffset, ZonedDateTime};
use icu_locale_core::Locale;
use icu_time::zone::{IanaParser, ZoneNameTimestamp};
use jiff::Timestamp;
use jiff::tz::TimeZone;

type ZoneAt = icu_datetime::input::TimeZoneInfo<icu_time::zone::models::AtTime>;

/// A playbook's language, read from its BCP-47 tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Language {
    locale: Locale,
}

impl Language {
    /// Reads a BCP-47 tag (`pl`, `en-GB`, `de-AT`); `None` when it is not one.
    pub fn parse(tag: &str) -> Option<Language> {
        let locale: Locale = tag.trim().parse().ok()?;
        // "und" names no language; five to eight letters ("english") are reserved by BCP 47
        // for languages ISO 639 does not have: neither writes anything readable.
        if locale.id.language.is_unknown() || locale.id.language.as_str().len() > 3 {
            return None;
        }
        Some(Language { locale })
    }

    /// The language of a playbook's `language` field: English when it has none (or one that
    /// validation would have refused).
    pub fn of(tag: Option<&str>) -> Language {
        tag.and_then(Language::parse)
            .unwrap_or_else(|| Language::parse("en").expect("en is a language tag"))
    }

    /// The tag as ICU reads it (`en-GB`).
    pub fn tag(&self) -> String {
        self.locale.to_string()
    }

    /// A moment as a message to the public gives it, in this language: the day with the
    /// month in words, the time to the minute, and the zone's name (its abbreviation where
    /// the language has one, else the offset: "CET", "MEZ", "UTC+1", "GMT-6").
    pub fn date_time(&self, t: Timestamp, tz: &TimeZone) -> String {
        self.formatter()
            .map(|f| f.date_time(t, tz))
            .unwrap_or_else(|| fallback(t, tz))
    }

    /// A formatter to write several moments with (it loads the language's patterns once).
    pub fn formatter(&self) -> Option<DateTimeWriter> {
        let fields = YMD::long().with_time_hm().with_zone(SpecificShort);
        FixedCalendarDateTimeFormatter::try_new((&self.locale).into(), fields)
            .ok()
            .map(|inner| DateTimeWriter { inner })
    }
}

/// Writes moments in one language (see [`Language::date_time`]).
pub struct DateTimeWriter {
    inner: FixedCalendarDateTimeFormatter<Gregorian, Combo<YMDT, SpecificShort>>,
}

impl DateTimeWriter {
    /// `t` in zone `tz`, written in the writer's language.
    pub fn date_time(&self, t: Timestamp, tz: &TimeZone) -> String {
        match to_icu(t, tz) {
            // CLDR puts no-break spaces in some patterns ("3:05 PM" has U+202F): plain
            // spaces, so an SMS stays in its 7-bit alphabet and a text reads the same
            // whatever font or channel it goes through.
            Some(zdt) => self
                .inner
                .format(&zdt)
                .to_string()
                .replace(['\u{202f}', '\u{a0}'], " "),
            None => fallback(t, tz),
        }
    }
}

/// jiff's moment in ICU's terms: the Gregorian date and the time of day in the zone, and the
/// zone itself (its IANA name, the offset then in force, and the moment, which decides
/// between standard and summer time names).
fn to_icu(t: Timestamp, tz: &TimeZone) -> Option<ZonedDateTime<Gregorian, ZoneAt>> {
    let z = t.to_zoned_datetime(tz.clone());
    let date = Date::try_new_gregorian(z.year().into(), z.month() as u8, z.day() as u8).ok()?;
    let time = Time::try_new(z.hour() as u8, z.minute() as u8, z.second() as u8, 0).ok()?;
    let zone_id = tz
        .iana_name()
        .map_or(icu_datetime::input::TimeZone::UNKNOWN, |name| {
            IanaParser::new().parse(name)
        });
    let zone = zone_id
        .with_offset(UtcOffset::try_from_seconds(z.offset().seconds()).ok())
        .with_zone_name_timestamp(ZoneNameTimestamp::from_epoch_seconds(t.as_second()));
    Some(ZonedDateTime { date, time, zone })
}

/// Only if ICU could not be used (a date outside its range): ISO-like, which any reader
/// understands.
fn fallback(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%d %H:%M %Z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn zone(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap()
    }

    #[test]
    fn tags_are_read_by_icu_and_region_tags_keep_their_language() {
        assert_eq!(Language::parse("pl-PL").unwrap().tag(), "pl-PL");
        assert_eq!(Language::parse("EN-gb").unwrap().tag(), "en-GB");
        assert!(Language::parse("und").is_none());
        assert!(Language::parse("polish!").is_none());
        assert!(Language::parse("english").is_none());
        assert_eq!(Language::of(None).tag(), "en");
        assert_eq!(Language::of(Some("x")).tag(), "en");
    }

    #[test]
    fn summer_and_winter_have_their_own_zone_names() {
        let pl = Language::of(Some("pl"));
        let warsaw = zone("Europe/Warsaw");
        assert_eq!(
            pl.date_time(at("2026-12-02T14:05:00Z"), &warsaw),
            "2 grudnia 2026 15:05 CET"
        );
        assert_eq!(
            pl.date_time(at("2026-07-02T14:05:00Z"), &warsaw),
            "2 lipca 2026 16:05 CEST"
        );
    }

    #[test]
    fn a_zone_without_a_name_in_the_language_shows_its_offset() {
        let de = Language::of(Some("de"));
        assert_eq!(
            de.date_time(at("2026-12-02T14:05:00Z"), &zone("America/Chicago")),
            "2. Dezember 2026 um 08:05 GMT-6"
        );
        let fixed = TimeZone::fixed(jiff::tz::offset(5));
        assert_eq!(
            de.date_time(at("2026-12-02T14:05:00Z"), &fixed),
            "2. Dezember 2026 um 19:05 GMT+5"
        );
    }
}
