//! Writing a message from a template: placeholders filled from the incident, blanks filled by
//! the writer.

use jiff::Timestamp;

use super::state::Incident;
use crate::playbook::language::Language;
use crate::playbook::placeholder::{self, Placeholder};

/// Fills a template for a stakeholder from the incident, as written at `now`; values that are
/// absent (no hotline in the playbook) stay as blanks to fill.
pub fn fill_template(inc: &Incident, body: &str, stakeholder: &str, now: Timestamp) -> String {
    let pb = &inc.playbook;
    let tz = inc.calendar.time_zone().clone();
    // Dates go into the message in its own language ("2 grudnia 2026 15:05 CET").
    let language = Language::of(pb.language.as_deref());
    let writer = language.formatter();
    let local = |t: Timestamp| match &writer {
        Some(w) => w.date_time(t, &tz),
        None => language.date_time(t, &tz),
    };
    // A message written now promises the next update one cadence after it.
    let next_update = pb
        .stakeholder(stakeholder)
        .and_then(|def| {
            def.update_every
                .or_else(|| pb.severity(&inc.severity).and_then(|s| s.update_every))
        })
        .map(|cadence| inc.calendar.add(now, &cadence));
    placeholder::fill(body, |p| match p {
        Placeholder::OrgName => pb.org.name.clone(),
        Placeholder::OrgDarkSite => pb.org.dark_site.clone(),
        Placeholder::OrgHotline => pb.org.hotline.clone(),
        Placeholder::IncidentTitle => Some(inc.title.clone()),
        Placeholder::IncidentSeverity => Some(
            pb.severity(&inc.severity)
                .map_or(inc.severity.clone(), |s| s.name.clone()),
        ),
        Placeholder::DetectedAt => Some(local(inc.detected_at)),
        Placeholder::Now => Some(local(now)),
        Placeholder::NextUpdate => next_update.map(local),
        Placeholder::Role(r) => pb
            .role(r)
            .map(|role| role.holder.clone().unwrap_or_else(|| role.title.clone())),
        Placeholder::Fill(_) => None,
    })
}

/// Replaces every `{{fill:NAME}}` blank with `value`; when the text has no such blank, gives
/// back the names of the blanks it does have.
pub fn fill_blank(text: &str, name: &str, value: &str) -> Result<String, Vec<String>> {
    let blanks = placeholder::blanks(text);
    if !blanks.iter().any(|(n, _)| n == name) {
        let mut names: Vec<String> = Vec::new();
        for (n, _) in blanks {
            if !names.contains(&n) {
                names.push(n);
            }
        }
        return Err(names);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (n, range) in blanks {
        if n == name {
            out.push_str(&text[last..range.start]);
            out.push_str(value);
            last = range.end;
        }
    }
    out.push_str(&text[last..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::fill_blank;

    #[test]
    fn fills_every_blank_of_a_name_and_names_the_others() {
        let t = "About {{fill:count}} people; {{fill:count}} of them {{fill:where}}.";
        assert_eq!(
            fill_blank(t, "count", "1,200").unwrap(),
            "About 1,200 people; 1,200 of them {{fill:where}}."
        );
        assert_eq!(
            fill_blank(t, "cuont", "x").unwrap_err(),
            vec!["count", "where"]
        );
    }
}
