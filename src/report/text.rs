//! Words and times for the Markdown and HTML renderers.
//!
//! Escaping for each format is the format library's job (pulldown-cmark-to-cmark, maud); this
//! module only makes characters that neither format can show visible, so an escape sequence,
//! a bidi override or a zero-width character in someone's text comes out as something a
//! reader can see rather than something that acts.

use std::borrow::Cow;
use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Shows times in one zone, with the zone's abbreviation on each.
#[derive(Clone, Debug)]
pub struct Times {
    tz: TimeZone,
    name: String,
}

impl Times {
    /// Times in the IANA zone `name` (UTC if jiff does not know it).
    pub fn new(name: &str) -> Times {
        let tz = TimeZone::get(name).unwrap_or(TimeZone::UTC);
        Times {
            tz,
            name: name.to_owned(),
        }
    }

    /// The zone's IANA name.
    pub fn zone(&self) -> &str {
        &self.name
    }

    /// The instant in this zone.
    pub fn zoned(&self, t: Timestamp) -> jiff::ZonedDateTime {
        t.to_zoned_datetime(self.tz.clone())
    }

    /// `2026-11-27 09:00 CET`; seconds only when there are any.
    pub fn at(&self, t: Timestamp) -> String {
        let z = t.to_zoned_datetime(self.tz.clone());
        if z.second() == 0 && z.subsec_nanosecond() == 0 {
            z.strftime("%Y-%m-%d %H:%M %Z").to_string()
        } else {
            z.strftime("%Y-%m-%d %H:%M:%S %Z").to_string()
        }
    }

    /// [`Times::at`], or a dash.
    pub fn opt(&self, t: Option<Timestamp>) -> String {
        t.map_or_else(|| "—".to_owned(), |t| self.at(t))
    }

    /// `UTC+01:00` style offset at an instant, for the note on times.
    pub fn offset_at(&self, t: Timestamp) -> String {
        let z = t.to_zoned_datetime(self.tz.clone());
        format!("{} (UTC{})", z.strftime("%Z"), z.strftime("%:z"))
    }
}

/// A duration in words: `45 s`, `12 min`, `1 h 05 min`, `3 d 2 h`; negative with a minus.
pub fn duration(secs: i64) -> String {
    let sign = if secs < 0 { "−" } else { "" };
    let s = secs.unsigned_abs();
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    let body = if d > 0 {
        if h > 0 {
            format!("{d} d {h} h")
        } else {
            format!("{d} d")
        }
    } else if h > 0 {
        format!("{h} h {m:02} min")
    } else if m > 0 {
        if sec > 0 {
            format!("{m} min {sec:02} s")
        } else {
            format!("{m} min")
        }
    } else {
        format!("{sec} s")
    };
    format!("{sign}{body}")
}

/// [`duration`], or a dash.
pub fn opt_duration(secs: Option<i64>) -> String {
    secs.map_or_else(|| "—".to_owned(), duration)
}

/// Makes every character visible: C0 controls become their Unicode control pictures (ESC
/// shows as `␛`), DEL `␡`; C1 controls, bidi overrides and isolates, zero-width characters
/// and BOMs become `⟨U+202E⟩`; a tab becomes a space and CRLF a newline. Newlines stay.
pub fn visible(s: &str) -> Cow<'_, str> {
    let needs = s
        .chars()
        .any(|c| c != '\n' && crate::sanitize::is_unsafe(c));
    if !needs {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\t' => out.push(' '),
            '\u{0}'..='\u{1f}' => {
                out.push(char::from_u32(0x2400 + c as u32).expect("control pictures"))
            }
            '\u{7f}' => out.push('\u{2421}'),
            c if crate::sanitize::is_unsafe(c) => {
                let _ = write!(out, "⟨U+{:04X}⟩", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`visible`] on one line: each newline becomes ` ↵ `, so a table cell stays one row.
pub fn one_line(s: &str) -> String {
    let v = visible(s);
    if v.contains('\n') {
        v.trim_end_matches('\n').replace('\n', " ↵ ")
    } else {
        v.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_words() {
        assert_eq!(duration(0), "0 s");
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(12 * 60), "12 min");
        assert_eq!(duration(12 * 60 + 5), "12 min 05 s");
        assert_eq!(duration(3600 + 5 * 60 + 9), "1 h 05 min");
        assert_eq!(duration(3 * 86_400 + 2 * 3600 + 59), "3 d 2 h");
        assert_eq!(duration(2 * 86_400), "2 d");
        assert_eq!(duration(-90), "−1 min 30 s");
        assert_eq!(opt_duration(None), "—");
    }

    #[test]
    fn times_name_their_zone_and_follow_daylight_saving() {
        let t = Times::new("Europe/Berlin");
        assert_eq!(
            t.at("2026-11-27T08:00:00Z".parse().unwrap()),
            "2026-11-27 09:00 CET"
        );
        assert_eq!(
            t.at("2026-07-01T08:00:30Z".parse().unwrap()),
            "2026-07-01 10:00:30 CEST"
        );
        assert_eq!(
            t.offset_at("2026-11-27T08:00:00Z".parse().unwrap()),
            "CET (UTC+01:00)"
        );
        assert_eq!(Times::new("Nowhere/Else").zone(), "Nowhere/Else");
    }

    #[test]
    fn hostile_characters_become_visible() {
        assert!(matches!(visible("plain\ntext"), Cow::Borrowed(_)));
        assert_eq!(visible("\u{1b}[31mred\u{1b}[0m"), "␛[31mred␛[0m");
        assert_eq!(
            visible("a\u{202e}b\u{200b}c\u{85}d"),
            "a⟨U+202E⟩b⟨U+200B⟩c⟨U+0085⟩d"
        );
        assert_eq!(visible("x\r\ny\tz\u{7f}\u{0}"), "x\ny z␡␀");
        assert_eq!(one_line("one\ntwo\n"), "one ↵ two");
    }
}
