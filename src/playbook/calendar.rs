//! Deadline arithmetic in a playbook's time zone, with business days and holidays.
//!
//! Deadlines are computed in the playbook's zone, never the viewer's, so that two responders on
//! different machines see the same due time for "72h" or "4bd".

use std::collections::BTreeSet;
use std::ops::Bound;

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp, ZonedDateTime};

use super::duration::Duration;

/// The time zone and holidays deadlines are computed in.
#[derive(Clone, Debug)]
pub struct Calendar {
    tz: TimeZone,
    /// Sorted so that counting the holidays inside a window is a range query.
    holidays: BTreeSet<Date>,
}

/// Why a calendar could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The time zone name is not in the IANA time zone database.
    #[error("{}", unknown_zone_message(.name, .suggestion.as_deref()))]
    UnknownTimeZone {
        /// The name as written.
        name: String,
        /// The closest known name, when one is close enough to be a likely typo.
        suggestion: Option<String>,
    },
}

fn unknown_zone_message(name: &str, suggestion: Option<&str>) -> String {
    let hint = match suggestion {
        Some(s) => format!(" (did you mean \"{s}\"?)"),
        None => String::new(),
    };
    format!(
        "unknown time zone \"{name}\"{hint}: use a name from the IANA time zone database, \
         like Europe/Warsaw, America/Chicago or UTC"
    )
}

/// The known zone name most similar to `name`, if it is similar enough to be a typo. The city
/// alone counts too, since people often write `Warsaw` for `Europe/Warsaw`.
fn closest_zone_name(name: &str) -> Option<String> {
    let wanted = name.to_ascii_lowercase();
    jiff::tz::db()
        .available()
        .map(|candidate| {
            let full = candidate.as_str().to_ascii_lowercase();
            let city = full.rsplit('/').next().unwrap_or(&full);
            let score =
                strsim::jaro_winkler(&wanted, &full).max(strsim::jaro_winkler(&wanted, city));
            (score, candidate.as_str().to_owned())
        })
        .filter(|(score, _)| *score >= 0.9)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

impl Calendar {
    /// A calendar in `tz` where `holidays` (local dates) are not business days.
    pub fn new(tz: TimeZone, holidays: impl IntoIterator<Item = Date>) -> Self {
        Calendar {
            tz,
            holidays: holidays.into_iter().collect(),
        }
    }

    /// UTC with no holidays: the default when a playbook names no `timezone`.
    pub fn utc() -> Self {
        Calendar::new(TimeZone::UTC, [])
    }

    /// Looks up an IANA name (e.g. "Europe/Warsaw"); error on unknown names, with a suggestion
    /// when the name looks like a typo of a known one.
    pub fn from_iana(
        name: &str,
        holidays: impl IntoIterator<Item = Date>,
    ) -> Result<Self, CalendarError> {
        let tz = TimeZone::get(name).map_err(|_| CalendarError::UnknownTimeZone {
            name: name.to_owned(),
            suggestion: closest_zone_name(name),
        })?;
        Ok(Calendar::new(tz, holidays))
    }

    /// The calendar a playbook's deadlines run on: its zone and holidays. Validation rejects
    /// unknown zones, so the UTC fallback only covers a playbook built without validation.
    pub fn of(pb: &crate::playbook::Playbook) -> Self {
        Calendar::from_iana(pb.timezone_name(), pb.holidays.iter().copied())
            .unwrap_or_else(|_| Calendar::utc())
    }

    /// The zone deadlines and business days are evaluated in.
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// Monday to Friday and not a holiday. `d` is a local date in this calendar's zone.
    pub fn is_business_day(&self, d: Date) -> bool {
        is_weekday(d) && !self.holidays.contains(&d)
    }

    /// The moment `d` after `anchor`. Never earlier than anchor.
    ///
    /// Parts are applied largest first, in the order they are written: months, weeks, business
    /// days, days on the local wall clock, then hours, minutes and seconds as elapsed time.
    ///
    /// - Months keep the day of month, or use the month's last day when it has no such day
    ///   (31 January + `1mo` = 28 or 29 February), at the same local time.
    /// - Weeks and days keep the local time, so a day across a daylight-saving change lasts 23 or
    ///   25 hours. A local time that does not exist or occurs twice on the target day is resolved
    ///   the "compatible" way: after a gap, or the first of the two.
    /// - Business days follow the regulatory reading: the anchor's own day does not count and
    ///   the result is the end (23:59:59 local) of the Nth business day after it. `0bd` changes
    ///   nothing.
    ///
    /// The calendar parts are combined on the local clock and turned into a moment once, so an
    /// intermediate step that lands in a gap cannot shift the final result. Results beyond the
    /// year 9999 saturate at [`Timestamp::MAX`] instead of panicking.
    pub fn add(&self, anchor: Timestamp, d: &Duration) -> Timestamp {
        // Elapsed-only durations skip the local clock entirely: converting an anchor in a
        // repeated hour to local time and back could move it to the earlier occurrence.
        let calendar_end = if d.is_elapsed_only() {
            Some(anchor)
        } else {
            self.add_calendar_parts(anchor, d)
        };
        let elapsed = i64::from(d.hours) * 3_600 + i64::from(d.minutes) * 60 + i64::from(d.seconds);
        calendar_end
            .and_then(|t| t.checked_add(SignedDuration::from_secs(elapsed)).ok())
            // Clamping guards the promise against zones that once repeated a whole day.
            .map_or(Timestamp::MAX, |t| t.max(anchor))
    }

    /// `t` on this calendar's wall clock, for display and for reading local dates.
    pub fn to_zoned(&self, t: Timestamp) -> ZonedDateTime {
        t.to_zoned_datetime(self.tz.clone())
    }

    /// Months, weeks, business days and days on the local clock; `None` when out of range.
    fn add_calendar_parts(&self, anchor: Timestamp, d: &Duration) -> Option<Timestamp> {
        let mut local: DateTime = self.tz.to_datetime(anchor);
        local = local
            .checked_add(Span::new().try_months(d.months).ok()?)
            .ok()?;
        local = local
            .checked_add(Span::new().try_weeks(d.weeks).ok()?)
            .ok()?;
        if d.business_days > 0 {
            let due = self.nth_business_day_after(local.date(), d.business_days)?;
            local = due.at(23, 59, 59, 0);
        }
        local = local.checked_add(Span::new().try_days(d.days).ok()?).ok()?;
        self.tz.to_ambiguous_timestamp(local).compatible().ok()
    }

    /// The `n`th (n ≥ 1) business day after `from`, not counting `from` itself.
    ///
    /// Jumps straight to the `n`th weekday, then moves on by as many weekdays as there were
    /// holidays in the window just covered, until a window holds none. That keeps `36500bd`
    /// fast while each holiday is still counted exactly once.
    fn nth_business_day_after(&self, mut from: Date, n: u32) -> Option<Date> {
        let mut remaining = i64::from(n);
        loop {
            let to = nth_weekday_after(from, remaining)?;
            let skipped = self
                .holidays
                .range((Bound::Excluded(from), Bound::Included(to)))
                .filter(|&&h| is_weekday(h))
                .count();
            if skipped == 0 {
                return Some(to);
            }
            from = to;
            remaining = i64::try_from(skipped).ok()?;
        }
    }
}

fn is_weekday(d: Date) -> bool {
    !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The `n`th (n ≥ 1) Monday-to-Friday date after `from`, in constant time.
///
/// A weekend day behaves like the Friday before it (the next weekday is the same Monday), so
/// count weekdays from that week's Monday: `k` weekdays in are `k / 5` weeks and `k % 5` days.
fn nth_weekday_after(from: Date, n: i64) -> Option<Date> {
    let offset_in_week = i64::from(from.weekday().to_monday_zero_offset());
    let k = offset_in_week.min(4) + n;
    let days = (k / 5) * 7 + k % 5 - offset_in_week;
    from.checked_add(Span::new().try_days(days).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn dur(s: &str) -> Duration {
        s.parse().unwrap()
    }

    fn zone(name: &str) -> Calendar {
        Calendar::from_iana(name, []).unwrap()
    }

    /// A local wall-clock time in the calendar's zone (compatible disambiguation).
    fn local(cal: &Calendar, s: &str) -> Timestamp {
        let dt: DateTime = s.parse().unwrap();
        cal.time_zone()
            .to_ambiguous_timestamp(dt)
            .compatible()
            .unwrap()
    }

    /// `t` on the calendar's wall clock, like `2026-03-29T12:00:00`.
    fn wall(cal: &Calendar, t: Timestamp) -> String {
        cal.to_zoned(t).datetime().to_string()
    }

    fn hours_between(a: Timestamp, b: Timestamp) -> i64 {
        (b - a).as_secs() / 3_600
    }

    #[test]
    fn saturday_afternoon_plus_4bd_is_end_of_thursday() {
        let cal = Calendar::utc();
        let anchor = local(&cal, "2026-01-10T14:00");
        assert_eq!(cal.to_zoned(anchor).weekday(), Weekday::Saturday);
        let due = cal.add(anchor, &dur("4bd"));
        assert_eq!(wall(&cal, due), "2026-01-15T23:59:59");
        assert_eq!(cal.to_zoned(due).weekday(), Weekday::Thursday);
    }

    #[test]
    fn tuesday_morning_plus_4bd_is_end_of_monday() {
        let cal = Calendar::utc();
        let anchor = local(&cal, "2026-01-13T10:00");
        assert_eq!(cal.to_zoned(anchor).weekday(), Weekday::Tuesday);
        let due = cal.add(anchor, &dur("4bd"));
        assert_eq!(wall(&cal, due), "2026-01-19T23:59:59");
        assert_eq!(cal.to_zoned(due).weekday(), Weekday::Monday);
    }

    #[test]
    fn holiday_in_the_window_adds_a_business_day() {
        let anchor = "2026-01-13T10:00";
        let with = |holidays: &[&str]| {
            let cal = Calendar::new(TimeZone::UTC, holidays.iter().map(|h| date(h)));
            wall(&cal, cal.add(local(&cal, anchor), &dur("4bd")))
        };
        assert_eq!(with(&[]), "2026-01-19T23:59:59");
        // Thursday inside the window: one more business day.
        assert_eq!(with(&["2026-01-15"]), "2026-01-20T23:59:59");
        // A holiday on the due day itself moves the deadline too.
        assert_eq!(with(&["2026-01-19"]), "2026-01-20T23:59:59");
        // Holidays on the anchor's day, on a weekend or after the window change nothing.
        assert_eq!(
            with(&["2026-01-13", "2026-01-17", "2026-01-21"]),
            "2026-01-19T23:59:59"
        );
        // A holiday on the extra day pushes once more.
        assert_eq!(with(&["2026-01-15", "2026-01-20"]), "2026-01-21T23:59:59");
    }

    #[test]
    fn polish_christmas_and_new_year() {
        let holidays = [
            "2026-12-24",
            "2026-12-25",
            "2026-12-26",
            "2027-01-01",
            "2027-01-06",
        ];
        let cal = Calendar::from_iana("Europe/Warsaw", holidays.map(date)).unwrap();
        let anchor = local(&cal, "2026-12-23T16:00");
        let due = |n: &str| wall(&cal, cal.add(anchor, &dur(n)));
        assert_eq!(due("1bd"), "2026-12-28T23:59:59");
        assert_eq!(due("4bd"), "2026-12-31T23:59:59");
        assert_eq!(due("5bd"), "2027-01-04T23:59:59");
        assert_eq!(due("7bd"), "2027-01-07T23:59:59");
    }

    #[test]
    fn zero_changes_nothing() {
        let cal = zone("America/Chicago");
        let anchor = local(&cal, "2026-01-10T14:00:17");
        for text in ["0m", "0bd", "0mo0w0bd0d0h0m0s"] {
            assert_eq!(cal.add(anchor, &dur(text)), anchor, "{text}");
        }
    }

    #[test]
    fn warsaw_spring_forward_day_is_23_hours() {
        let cal = zone("Europe/Warsaw");
        let anchor = local(&cal, "2026-03-28T12:00");
        let day = cal.add(anchor, &dur("1d"));
        assert_eq!(wall(&cal, day), "2026-03-29T12:00:00");
        assert_eq!(hours_between(anchor, day), 23);
        let hours = cal.add(anchor, &dur("24h"));
        assert_eq!(wall(&cal, hours), "2026-03-29T13:00:00");
        assert_eq!(hours_between(anchor, hours), 24);
        // ISO 8601 means the same.
        assert_eq!(cal.add(anchor, &dur("P1D")), day);
        assert_eq!(cal.add(anchor, &dur("PT24H")), hours);
    }

    #[test]
    fn warsaw_fall_back_day_is_25_hours() {
        let cal = zone("Europe/Warsaw");
        let anchor = local(&cal, "2026-10-24T12:00");
        let day = cal.add(anchor, &dur("1d"));
        assert_eq!(wall(&cal, day), "2026-10-25T12:00:00");
        assert_eq!(hours_between(anchor, day), 25);
        assert_eq!(
            wall(&cal, cal.add(anchor, &dur("24h"))),
            "2026-10-25T11:00:00"
        );
    }

    #[test]
    fn chicago_fall_back_day_is_25_hours() {
        let cal = zone("America/Chicago");
        let anchor = local(&cal, "2026-10-31T12:00");
        let day = cal.add(anchor, &dur("1d"));
        assert_eq!(wall(&cal, day), "2026-11-01T12:00:00");
        assert_eq!(hours_between(anchor, day), 25);
        let hours = cal.add(anchor, &dur("24h"));
        assert_eq!(wall(&cal, hours), "2026-11-01T11:00:00");
        // A week across the change is 7 days of wall clock, 169 hours.
        let anchor = local(&cal, "2026-10-28T09:00");
        let week = cal.add(anchor, &dur("1w"));
        assert_eq!(wall(&cal, week), "2026-11-04T09:00:00");
        assert_eq!(hours_between(anchor, week), 169);
    }

    #[test]
    fn chicago_spring_forward_day_is_23_hours() {
        let cal = zone("America/Chicago");
        let anchor = local(&cal, "2026-03-07T12:00");
        let day = cal.add(anchor, &dur("1d"));
        assert_eq!(wall(&cal, day), "2026-03-08T12:00:00");
        assert_eq!(hours_between(anchor, day), 23);
    }

    #[test]
    fn wall_clock_in_a_gap_or_fold_is_resolved_compatibly() {
        // 02:30 does not exist in Warsaw on 29 March 2026: compatible moves it past the gap.
        let cal = zone("Europe/Warsaw");
        let anchor = local(&cal, "2026-03-28T02:30");
        assert_eq!(
            wall(&cal, cal.add(anchor, &dur("1d"))),
            "2026-03-29T03:30:00"
        );
        // 01:30 happens twice in Chicago on 1 November 2026: compatible takes the first (CDT).
        let cal = zone("America/Chicago");
        let anchor = local(&cal, "2026-10-31T01:30");
        let due = cal.to_zoned(cal.add(anchor, &dur("1d")));
        assert_eq!(due.datetime().to_string(), "2026-11-01T01:30:00");
        assert_eq!(due.offset().seconds(), -5 * 3_600);
    }

    #[test]
    fn elapsed_time_in_a_fold_is_exact() {
        // From the first 01:30 to the second one is one elapsed hour.
        let cal = zone("America/Chicago");
        let first = local(&cal, "2026-11-01T01:30");
        let later = cal.add(first, &dur("1h"));
        assert_eq!(later - first, SignedDuration::from_hours(1));
        assert_eq!(wall(&cal, later), "2026-11-01T01:30:00");
        assert_eq!(cal.to_zoned(later).offset().seconds(), -6 * 3_600);
        // Starting from the second 01:30, a zero duration must not jump back to the first.
        assert_eq!(cal.add(later, &dur("0m")), later);
    }

    #[test]
    fn month_end_clamps_to_last_day_of_february() {
        let cal = zone("Europe/Warsaw");
        let feb = |anchor: &str| wall(&cal, cal.add(local(&cal, anchor), &dur("1mo")));
        assert_eq!(feb("2026-01-31T09:15"), "2026-02-28T09:15:00");
        assert_eq!(feb("2028-01-31T09:15"), "2028-02-29T09:15:00");
        assert_eq!(feb("2026-03-31T09:15"), "2026-04-30T09:15:00");
        // Months are calendar months across DST too (March 1 CET to April 1 CEST).
        assert_eq!(feb("2026-03-01T09:15"), "2026-04-01T09:15:00");
        // P1Y is 12 calendar months.
        assert_eq!(
            wall(&cal, cal.add(local(&cal, "2028-02-29T09:15"), &dur("P1Y"))),
            "2029-02-28T09:15:00"
        );
    }

    #[test]
    fn business_days_use_the_zone_not_utc() {
        let chicago = zone("America/Chicago");
        let utc = Calendar::utc();

        // Friday 21:00 in Chicago is already Saturday in UTC.
        let friday = local(&chicago, "2026-01-09T21:00");
        assert_eq!(chicago.to_zoned(friday).weekday(), Weekday::Friday);
        assert_eq!(utc.to_zoned(friday).weekday(), Weekday::Saturday);
        let due = chicago.add(friday, &dur("1bd"));
        assert_eq!(wall(&chicago, due), "2026-01-12T23:59:59");
        assert_eq!(due.to_string(), "2026-01-13T05:59:59Z");
        assert_ne!(due, utc.add(friday, &dur("1bd")));

        // Thursday evening in Chicago is Friday in UTC: the next business day differs.
        let thursday = local(&chicago, "2026-01-08T21:00");
        assert_eq!(
            wall(&chicago, chicago.add(thursday, &dur("1bd"))),
            "2026-01-09T23:59:59"
        );
        assert_eq!(
            wall(&utc, utc.add(thursday, &dur("1bd"))),
            "2026-01-12T23:59:59"
        );

        // Monday morning in Auckland is still Sunday in UTC.
        let auckland = zone("Pacific/Auckland");
        let monday = local(&auckland, "2026-01-12T08:00");
        assert_eq!(utc.to_zoned(monday).weekday(), Weekday::Sunday);
        assert_eq!(
            wall(&auckland, auckland.add(monday, &dur("1bd"))),
            "2026-01-13T23:59:59"
        );
    }

    #[test]
    fn parts_apply_largest_first() {
        // Saturday 14:00 + 1w = Saturday 17th 14:00; + 2bd = end of Tuesday 20th;
        // + 1d = end of Wednesday 21st; + 3h = Thursday 22nd 02:59:59.
        let cal = Calendar::utc();
        let anchor = local(&cal, "2026-01-10T14:00");
        let due = cal.add(anchor, &dur("1w2bd1d3h"));
        assert_eq!(wall(&cal, due), "2026-01-22T02:59:59");
        assert_eq!(
            wall(&cal, cal.add(anchor, &dur("1mo1h30m"))),
            "2026-02-10T15:30:00"
        );
    }

    #[test]
    fn saturates_instead_of_panicking() {
        let cal = zone("Europe/Warsaw");
        let huge = Duration {
            months: u32::MAX,
            weeks: u32::MAX,
            business_days: u32::MAX,
            days: u32::MAX,
            hours: u32::MAX,
            minutes: u32::MAX,
            seconds: u32::MAX,
        };
        let anchor = local(&cal, "2026-01-10T14:00");
        assert_eq!(cal.add(anchor, &huge), Timestamp::MAX);
        assert_eq!(
            cal.add(
                anchor,
                &Duration {
                    business_days: u32::MAX,
                    ..Duration::default()
                }
            ),
            Timestamp::MAX
        );
        assert_eq!(cal.add(Timestamp::MAX, &dur("1s")), Timestamp::MAX);
        assert_eq!(cal.add(Timestamp::MAX, &dur("1mo")), Timestamp::MAX);
        assert_eq!(cal.add(Timestamp::MAX, &dur("0m")), Timestamp::MAX);
        // The parser's largest values still give a real deadline from today.
        let longest = dur("1200mo5218w36500bd36500d876000h52560000m3153600000s");
        let due = cal.add(anchor, &longest);
        assert!(due > anchor && due < Timestamp::MAX);
    }

    #[test]
    fn from_iana_names() {
        let cal = Calendar::from_iana("Europe/Warsaw", [date("2026-05-01")]).unwrap();
        assert_eq!(cal.time_zone().iana_name(), Some("Europe/Warsaw"));
        assert!(!cal.is_business_day(date("2026-05-01")));
        assert!(Calendar::from_iana("UTC", []).is_ok());

        let err = Calendar::from_iana("Europe/Warsw", []).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown time zone \"Europe/Warsw\" (did you mean \"Europe/Warsaw\"?): \
             use a name from the IANA time zone database, like Europe/Warsaw, America/Chicago or UTC"
        );
        let message = Calendar::from_iana("Warsaw", []).unwrap_err().to_string();
        assert!(
            message.contains("(did you mean \"Europe/Warsaw\"?)"),
            "{message}"
        );
        for name in [
            "",
            "Mars/Olympus_Mons",
            "+01:00",
            "CET-1CEST,M3.5.0,M10.5.0/3",
        ] {
            let message = Calendar::from_iana(name, []).unwrap_err().to_string();
            assert!(
                message.starts_with(&format!("unknown time zone \"{name}\"")),
                "{message}"
            );
        }
    }

    #[test]
    fn business_day_rules() {
        let cal = Calendar::new(TimeZone::UTC, [date("2026-01-14"), date("2026-01-17")]);
        assert!(cal.is_business_day(date("2026-01-13"))); // Tuesday
        assert!(!cal.is_business_day(date("2026-01-14"))); // Wednesday, holiday
        assert!(!cal.is_business_day(date("2026-01-17"))); // Saturday, also a holiday
        assert!(!cal.is_business_day(date("2026-01-18"))); // Sunday
        assert!(cal.is_business_day(date("2026-01-19"))); // Monday
    }

    #[test]
    fn nth_weekday_matches_counting_day_by_day() {
        let mut from = date("2026-01-05");
        for _ in 0..14 {
            let mut d = from;
            for n in 1..=30 {
                d = d.tomorrow().unwrap();
                while !is_weekday(d) {
                    d = d.tomorrow().unwrap();
                }
                assert_eq!(nth_weekday_after(from, n), Some(d), "{from} + {n}");
            }
            from = from.tomorrow().unwrap();
        }
    }

    const ZONES: [&str; 9] = [
        "UTC",
        "Europe/Warsaw",
        "America/Chicago",
        "Pacific/Auckland",
        "Asia/Kolkata",
        "Australia/Lord_Howe",
        "America/Santiago",
        "America/St_Johns",
        "Pacific/Apia",
    ];

    fn any_part() -> impl Strategy<Value = u32> {
        prop_oneof![0..=3u32, 0..=400u32, 0..=40_000u32, any::<u32>()]
    }

    fn any_duration() -> impl Strategy<Value = Duration> {
        (
            any_part(),
            any_part(),
            any_part(),
            any_part(),
            any_part(),
            any_part(),
            any_part(),
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

    fn any_timestamp() -> impl Strategy<Value = Timestamp> {
        let years_1900_2100 = -2_208_988_800i64..4_102_444_800i64;
        let everything = Timestamp::MIN.as_second()..=Timestamp::MAX.as_second();
        prop_oneof![
            3 => years_1900_2100.prop_map(|s| Timestamp::from_second(s).unwrap()),
            1 => everything.prop_map(|s| Timestamp::from_second(s).unwrap()),
        ]
    }

    proptest! {
        #[test]
        fn deadline_is_never_before_anchor(
            anchor in any_timestamp(),
            d in any_duration(),
            zone_index in 0..ZONES.len(),
            holiday_offsets in proptest::collection::vec(0i64..60, 0..10),
        ) {
            let tz = TimeZone::get(ZONES[zone_index]).unwrap();
            let start = tz.to_datetime(anchor).date();
            let holidays = holiday_offsets
                .iter()
                .filter_map(|&o| start.checked_add(Span::new().days(o)).ok());
            let cal = Calendar::new(tz, holidays);
            let due = cal.add(anchor, &d);
            prop_assert!(due >= anchor, "{anchor} + {d} = {due}");
            if d.is_elapsed_only() && due < Timestamp::MAX {
                let secs = i64::try_from(d.approx_seconds()).unwrap();
                prop_assert_eq!(due - anchor, SignedDuration::from_secs(secs));
            }
        }

        #[test]
        fn business_days_land_at_end_of_a_business_day(
            anchor in (0i64..4_102_444_800).prop_map(|s| Timestamp::from_second(s).unwrap()),
            n in 1u32..1_500,
            zone_index in 0..ZONES.len() - 1, // not Apia, which skipped a whole Friday in 2011
            holiday_offsets in proptest::collection::vec(0i64..2_500, 0..200),
        ) {
            let tz = TimeZone::get(ZONES[zone_index]).unwrap();
            let start = tz.to_datetime(anchor).date();
            let holidays: Vec<Date> = holiday_offsets
                .iter()
                .map(|&o| start.checked_add(Span::new().days(o)).unwrap())
                .collect();
            let cal = Calendar::new(tz, holidays);
            let due = cal.to_zoned(cal.add(anchor, &Duration { business_days: n, ..Duration::default() }));
            prop_assert!(cal.is_business_day(due.date()), "{due} is not a business day");
            prop_assert_eq!(due.time(), jiff::civil::time(23, 59, 59, 0));
            // Exactly n business days after the anchor's day, counted one day at a time.
            let mut count = 0;
            let mut day = start;
            while day < due.date() {
                day = day.tomorrow().unwrap();
                if cal.is_business_day(day) {
                    count += 1;
                }
            }
            prop_assert_eq!(count, n);
        }
    }
}
