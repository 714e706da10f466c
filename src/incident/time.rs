//! Times as people type them: RFC 3339, or `YYYY-MM-DD HH:MM` in the playbook's time zone.

use jiff::Timestamp;
use jiff::civil::DateTime;

use crate::playbook::calendar::Calendar;

/// Why a time could not be read.
#[derive(Debug, thiserror::Error)]
#[error(
    "\"{input}\" is not a time: write 2026-11-19T22:00:00Z, or 2026-11-19 23:00 for local time in {zone}"
)]
pub struct TimeError {
    pub input: String,
    pub zone: String,
}

/// Reads an RFC 3339 timestamp or a local `YYYY-MM-DD HH:MM[:SS]` in the calendar's zone.
pub fn parse_time(input: &str, calendar: &Calendar) -> Result<Timestamp, TimeError> {
    let s = input.trim();
    if let Ok(t) = s.parse::<Timestamp>() {
        return Ok(t);
    }
    let err = || TimeError {
        input: input.to_owned(),
        zone: calendar.time_zone().iana_name().unwrap_or("UTC").to_owned(),
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
    }
}
