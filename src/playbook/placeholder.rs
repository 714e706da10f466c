//! Template placeholders: `{{org.name}}`, `{{role.legal}}`, `{{fill:number_affected}}`…
//!
//! A template body is split into fixed text and placeholders. Filling replaces each
//! placeholder the incident knows; a value that is absent (no hotline in the playbook)
//! becomes a `{{fill:…}}` blank, because a message must never go out with a hole in it.

use std::fmt;
use std::ops::Range;

/// A placeholder as written in a template body.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Placeholder {
    OrgName,
    OrgDarkSite,
    OrgHotline,
    IncidentTitle,
    IncidentSeverity,
    DetectedAt,
    Now,
    NextUpdate,
    /// `{{role.ROLE_ID}}`: that role's holder, or its title.
    Role(String),
    /// `{{fill:NAME}}`: a blank the writer fills before approval.
    Fill(String),
}

impl Placeholder {
    /// The name of the blank this placeholder becomes when its value is absent.
    pub fn blank_name(&self) -> String {
        match self {
            Placeholder::Fill(n) => n.clone(),
            Placeholder::Role(r) => format!("role_{r}"),
            other => other.to_string().replace('.', "_"),
        }
    }
}

impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Placeholder::OrgName => f.write_str("org.name"),
            Placeholder::OrgDarkSite => f.write_str("org.dark_site"),
            Placeholder::OrgHotline => f.write_str("org.hotline"),
            Placeholder::IncidentTitle => f.write_str("incident.title"),
            Placeholder::IncidentSeverity => f.write_str("incident.severity"),
            Placeholder::DetectedAt => f.write_str("detected_at"),
            Placeholder::Now => f.write_str("now"),
            Placeholder::NextUpdate => f.write_str("next_update"),
            Placeholder::Role(r) => write!(f, "role.{r}"),
            Placeholder::Fill(n) => write!(f, "fill:{n}"),
        }
    }
}

/// The fixed names, for "did you mean" hints.
pub const KNOWN: [&str; 10] = [
    "org.name",
    "org.dark_site",
    "org.hotline",
    "incident.title",
    "incident.severity",
    "detected_at",
    "now",
    "next_update",
    "role.ROLE_ID",
    "fill:NAME",
];

/// One piece of a template body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    /// A placeholder and the byte range of its `{{…}}` in the body.
    Placeholder(Placeholder, Range<usize>),
}

/// Why a body could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlaceholderError {
    #[error("\"{{{{\" at character {at} is never closed with \"}}}}\"")]
    Unclosed { offset: usize, at: usize },
    #[error("unknown placeholder \"{{{{{name}}}}}\"{hint}")]
    Unknown {
        offset: usize,
        name: String,
        hint: String,
    },
    #[error(
        "placeholder \"{{{{role.{role}}}}}\" names a role this playbook does not declare{hint}"
    )]
    UnknownRole {
        offset: usize,
        role: String,
        hint: String,
    },
    #[error(
        "blank \"{{{{fill:{name}}}}}\" has an invalid name: use lowercase letters, digits, _ and -"
    )]
    BadFillName { offset: usize, name: String },
}

impl PlaceholderError {
    /// Byte offset of the fault in the body.
    pub fn offset(&self) -> usize {
        match self {
            PlaceholderError::Unclosed { offset, .. }
            | PlaceholderError::Unknown { offset, .. }
            | PlaceholderError::UnknownRole { offset, .. }
            | PlaceholderError::BadFillName { offset, .. } => *offset,
        }
    }
}

/// Splits a body into text and placeholders.
pub fn parse(body: &str) -> Result<Vec<Segment<'_>>, PlaceholderError> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(found) = body[rest..].find("{{") {
        let open = rest + found;
        if open > rest {
            out.push(Segment::Text(&body[rest..open]));
        }
        let Some(len) = body[open + 2..].find("}}") else {
            return Err(PlaceholderError::Unclosed {
                offset: open,
                at: body[..open].chars().count() + 1,
            });
        };
        let inner = &body[open + 2..open + 2 + len];
        let close = open + 2 + len + 2;
        let name = inner.trim_matches(' ');
        if name.contains("{{") {
            return Err(PlaceholderError::Unclosed {
                offset: open,
                at: body[..open].chars().count() + 1,
            });
        }
        out.push(Segment::Placeholder(classify(name, open)?, open..close));
        rest = close;
    }
    if rest < body.len() {
        out.push(Segment::Text(&body[rest..]));
    }
    Ok(out)
}

fn classify(name: &str, offset: usize) -> Result<Placeholder, PlaceholderError> {
    let p = match name {
        "org.name" => Placeholder::OrgName,
        "org.dark_site" => Placeholder::OrgDarkSite,
        "org.hotline" => Placeholder::OrgHotline,
        "incident.title" => Placeholder::IncidentTitle,
        "incident.severity" => Placeholder::IncidentSeverity,
        "detected_at" => Placeholder::DetectedAt,
        "now" => Placeholder::Now,
        "next_update" => Placeholder::NextUpdate,
        _ => {
            if let Some(role) = name.strip_prefix("role.") {
                Placeholder::Role(role.to_owned())
            } else if let Some(fill) = name.strip_prefix("fill:") {
                if !is_fill_name(fill) {
                    return Err(PlaceholderError::BadFillName {
                        offset,
                        name: fill.to_owned(),
                    });
                }
                Placeholder::Fill(fill.to_owned())
            } else {
                let hint = crate::playbook::suggest::did_you_mean(name, KNOWN)
                    .map(|s| format!(" — did you mean \"{{{{{s}}}}}\"?"))
                    .unwrap_or_else(|| {
                        " — placeholders are org.name, org.dark_site, org.hotline, \
                         incident.title, incident.severity, detected_at, now, next_update, \
                         role.ROLE_ID and fill:NAME"
                            .to_owned()
                    });
                return Err(PlaceholderError::Unknown {
                    offset,
                    name: name.to_owned(),
                    hint,
                });
            }
        }
    };
    Ok(p)
}

fn is_fill_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Every fault in a body (where [`parse`] stops at the first), so a writer sees them all.
/// `roles` are the playbook's declared role ids, which `{{role.X}}` must name.
pub fn check(body: &str, roles: &[String]) -> Vec<PlaceholderError> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(found) = body[rest..].find("{{") {
        let open = rest + found;
        let at = body[..open].chars().count() + 1;
        let Some(len) = body[open + 2..].find("}}") else {
            out.push(PlaceholderError::Unclosed { offset: open, at });
            break;
        };
        let inner = &body[open + 2..open + 2 + len];
        if let Some(nested) = inner.find("{{") {
            out.push(PlaceholderError::Unclosed { offset: open, at });
            rest = open + 2 + nested;
            continue;
        }
        match classify(inner.trim_matches(' '), open) {
            Err(e) => out.push(e),
            Ok(Placeholder::Role(role)) if !roles.contains(&role) => {
                let hint = crate::playbook::suggest::did_you_mean(&role, roles)
                    .map(|s| format!(" — did you mean \"{{{{role.{s}}}}}\"?"))
                    .unwrap_or_else(|| match roles {
                        [] => " (this playbook declares no roles)".to_owned(),
                        _ => format!(" (declared roles: {})", roles.join(", ")),
                    });
                out.push(PlaceholderError::UnknownRole {
                    offset: open,
                    role,
                    hint,
                });
            }
            Ok(_) => {}
        }
        rest = open + 2 + len + 2;
    }
    out
}

/// The fixed text of a body (placeholders removed), for the `max_chars` check at load.
pub fn fixed_text(body: &str) -> String {
    match parse(body) {
        Ok(segs) => segs
            .iter()
            .filter_map(|s| match s {
                Segment::Text(t) => Some(*t),
                Segment::Placeholder(..) => None,
            })
            .collect(),
        Err(_) => body.to_owned(),
    }
}

/// Fills a body: `value` returns the text for a placeholder or `None` when absent.
/// Absent values and `{{fill:…}}` stay in the text as blanks.
pub fn fill(body: &str, value: impl Fn(&Placeholder) -> Option<String>) -> String {
    let Ok(segs) = parse(body) else {
        return body.to_owned();
    };
    let mut out = String::with_capacity(body.len());
    for s in segs {
        match s {
            Segment::Text(t) => out.push_str(t),
            Segment::Placeholder(Placeholder::Fill(n), _) => {
                out.push_str(&format!("{{{{fill:{n}}}}}"));
            }
            Segment::Placeholder(p, _) => match value(&p) {
                Some(v) => out.push_str(&v),
                None => out.push_str(&format!("{{{{fill:{}}}}}", p.blank_name())),
            },
        }
    }
    out
}

/// The `{{fill:…}}` blanks still in a text, with their byte ranges, in order.
///
/// Text that does not parse as a template (an unmatched `{{`) still reports the blanks it can
/// find, so a half-edited message is never mistaken for a complete one.
pub fn blanks(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(found) = text[rest..].find("{{") {
        let open = rest + found;
        let Some(len) = text[open + 2..].find("}}") else {
            break;
        };
        let inner = text[open + 2..open + 2 + len].trim_matches(' ');
        let close = open + 2 + len + 2;
        if let Some(name) = inner.strip_prefix("fill:") {
            out.push((name.to_owned(), open..close));
        }
        rest = close;
    }
    out
}

/// User-perceived characters (extended grapheme clusters), as `max_chars` counts them.
pub fn char_count(text: &str) -> usize {
    unicode_segmentation::UnicodeSegmentation::graphemes(text, true).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_known_placeholder_with_optional_spaces() {
        let body = "{{org.name}}{{ org.dark_site }}{{org.hotline}}{{incident.title}}\
                    {{incident.severity}}{{detected_at}}{{now}}{{next_update}}{{role.legal}}{{fill:n-1}}";
        let names: Vec<String> = parse(body)
            .unwrap()
            .into_iter()
            .filter_map(|s| match s {
                Segment::Placeholder(p, _) => Some(p.to_string()),
                Segment::Text(_) => None,
            })
            .collect();
        assert_eq!(
            names,
            [
                "org.name",
                "org.dark_site",
                "org.hotline",
                "incident.title",
                "incident.severity",
                "detected_at",
                "now",
                "next_update",
                "role.legal",
                "fill:n-1"
            ]
        );
    }

    #[test]
    fn unclosed_is_an_error_with_position() {
        let e = parse("Hello {{org.name").unwrap_err();
        assert_eq!(e.offset(), 6);
        assert!(e.to_string().contains("never closed"), "{e}");
        assert!(parse("a {{ {{org.name}}").is_err());
    }

    #[test]
    fn check_reports_every_fault() {
        let roles = ["legal".to_owned()];
        let errs = check(
            "{{org.nmae}} ok {{now}} {{fill:Bad}} {{ {{role.legl}} {{tail",
            &roles,
        );
        let offsets: Vec<usize> = errs.iter().map(PlaceholderError::offset).collect();
        assert_eq!(offsets, [0, 24, 37, 40, 54], "{errs:?}");
        assert!(
            errs[3]
                .to_string()
                .contains("did you mean \"{{role.legal}}\"")
        );
        assert!(check("{{ org.name }} and {{fill:x}} {{role.legal}}", &roles).is_empty());
    }

    #[test]
    fn unknown_placeholder_suggests_the_closest() {
        let e = parse("{{org.nmae}}").unwrap_err();
        assert!(
            e.to_string().contains("did you mean \"{{org.name}}\""),
            "{e}"
        );
        let e = parse("{{fill:Big Number}}").unwrap_err();
        assert!(e.to_string().contains("invalid name"), "{e}");
    }

    #[test]
    fn fill_keeps_blanks_for_absent_values() {
        let out = fill(
            "Call {{org.hotline}} or ask {{role.legal}}; {{fill:count}} affected. {{org.name}}",
            |p| match p {
                Placeholder::OrgName => Some("Acme".into()),
                _ => None,
            },
        );
        assert_eq!(
            out,
            "Call {{fill:org_hotline}} or ask {{fill:role_legal}}; {{fill:count}} affected. Acme"
        );
        let b: Vec<String> = blanks(&out).into_iter().map(|(n, _)| n).collect();
        assert_eq!(b, ["org_hotline", "role_legal", "count"]);
    }

    #[test]
    fn counts_graphemes_not_bytes() {
        assert_eq!(char_count("Zażółć"), 6);
        assert_eq!(char_count("👩‍👩‍👧"), 1);
        assert_eq!(fixed_text("ab{{now}}cd"), "abcd");
    }
}
