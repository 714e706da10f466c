//! Times as people type them: RFC 3339, or `YYYY-MM-DD HH:MM` in the playbook's time zone.

use jiff::Timestamp;
use jiff::civil::DateTime;

use crate::playbook::calendar::Calendar;

/// Why a time could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{}", match too_late {
    false => format!("\"{input}\" is not a time: write 2026-11-19T22:00:00Z, or 2026-11-19 23:00 for local time in {zone}"),
    true => format!("\"{input}\" is past the year 9000: deadlines counted from it would run off the calendar"),
})]
pub struct TimeError {
    pub input: String,
    pub zone: String,
    /// It is a time, but too far in the future to count from.
    pub too_late: bool,
}

/// Reads an RFC 3339 timestamp or a local `YYYY-MM-DD HH:MM[:SS]` in the calendar's zone.
/// Times after [`crate::clock::latest`] are refused (deadlines from them could run off the
/// calendar).
pub fn parse_time(input: &str, calendar: &Calendar) -> Result<Timestamp, TimeError> {
    let t = parse_any(input, calendar)?;
    if t >= crate::clock::latest() {
        return Err(TimeError {
            input: input.to_owned(),
            zone: calendar.time_zone().iana_name().unwrap_or("UTC").to_owned(),
            too_late: true,
        });
    }
    Ok(t)
}

fn parse_any(input: &str, calendar: &Calendar) -> Result<Timestamp, TimeError> {
    let s = input.trim();
    if let Ok(t) = s.parse::<Timestamp>() {
        return Ok(t);
    }
    let err = || TimeError {
        input: input.to_owned(),
        zone: calendar.time_zone().iana_name().unwrap_or("UTC").to_owned(),
        too_late: false,
    };
    // Only the plain local forms: anything with an offset or zone is RFC 3339's job above.
    if s.len() < 16 || s.contains(['Z', 'z', '+', '[']) {
        return Err(err());
    }
    let dt: DateTime = s.replacen(' ', "T", 1).parse().map_err(|_| err())?;
    calendar
        .time_zone()
        .to_ambiguous_timestamp(dt)
        .compatible()
        .map_err(|_| err())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc3339_and_local_times() {
        let warsaw = Calendar::from_iana("Europe/Warsaw", []).unwrap();
        assert_eq!(
            parse_time("2026-11-19T22:00:00Z", &warsaw)
                .unwrap()
                .to_string(),
            "2026-11-19T22:00:00Z"
        );
        assert_eq!(
            parse_time("2026-11-19 23:00", &warsaw).unwrap().to_string(),
            "2026-11-19T22:00:00Z"
        );
        assert_eq!(
            parse_time("2026-07-01 12:30:15", &warsaw)
                .unwrap()
                .to_string(),
            "2026-07-01T10:30:15Z"
        );
        let e = parse_time("yesterday", &warsaw).unwrap_err();
        assert!(e.to_string().contains("Europe/Warsaw"), "{e}");
        assert!(parse_time("2026-11-19", &warsaw).is_err());
        let e = parse_time("9999-12-30 12:00", &warsaw).unwrap_err();
        assert!(e.to_string().contains("past the year 9000"), "{e}");
        assert!(parse_time("8999-12-31T23:59:59Z", &warsaw).is_ok());
    }
}
