//! Validation of a playbook against format v1, on a syntax tree that remembers where every
//! value is, so each problem is reported at its line and column.
//!
//! The walk never stops at the first fault: it checks every key, id, reference, duration,
//! placeholder and enum in the file and returns them all. Messages name the thing the writer
//! knows ("stakeholder 'regulator', deadline 'Notify authority'") rather than a JSON path,
//! which is still given for tools.

use std::collections::HashMap;

use jsonc_parser::ast::{ObjectProp, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};

use super::duration::{Duration, DurationError};
use super::model::{DETECTED, FORMAT_V1, Group, InjectKind};
use super::placeholder;
use super::problem::{Level, LineIndex, Problem};
use super::suggest::did_you_mean;

const TOP_KEYS: &[&str] = &[
    "$schema",
    "format",
    "id",
    "title",
    "version",
    "summary",
    "scenario",
    "language",
    "timezone",
    "holidays",
    "last_reviewed",
    "org",
    "severities",
    "milestones",
    "roles",
    "stakeholders",
    "templates",
    "key_messages",
    "qa",
    "checklists",
    "injects",
];
const ORG_KEYS: &[&str] = &["name", "dark_site", "hotline"];
const SEVERITY_KEYS: &[&str] = &["id", "name", "criteria", "update_every"];
const MILESTONE_KEYS: &[&str] = &["id", "name", "description"];
const ROLE_KEYS: &[&str] = &["id", "title", "holder", "backup", "contact"];
const STAKEHOLDER_KEYS: &[&str] = &[
    "id",
    "name",
    "group",
    "channels",
    "owner",
    "deadlines",
    "update_every",
    "approval",
    "min_severity",
];
const DEADLINE_KEYS: &[&str] = &["id", "label", "within", "from", "basis"];
const TEMPLATE_KEYS: &[&str] = &[
    "id",
    "title",
    "kind",
    "stakeholders",
    "channel",
    "body",
    "max_chars",
];
const QA_KEYS: &[&str] = &["q", "a"];
const CHECKLIST_KEYS: &[&str] = &["phase", "items"];
const ITEM_KEYS: &[&str] = &["id", "text", "owner", "due"];
const INJECT_KEYS: &[&str] = &[
    "id",
    "at",
    "from",
    "to",
    "channel",
    "kind",
    "subject",
    "text",
    "respond_within",
    "stakeholder",
    "expect",
];

/// Every object type's keys, for the test that keeps this table and the schema in step.
pub const OBJECT_KEYS: &[(&str, &[&str])] = &[
    ("Playbook", TOP_KEYS),
    ("Org", ORG_KEYS),
    ("Severity", SEVERITY_KEYS),
    ("Milestone", MILESTONE_KEYS),
    ("Role", ROLE_KEYS),
    ("Stakeholder", STAKEHOLDER_KEYS),
    ("Deadline", DEADLINE_KEYS),
    ("Template", TEMPLATE_KEYS),
    ("Qa", QA_KEYS),
    ("Checklist", CHECKLIST_KEYS),
    ("ChecklistItem", ITEM_KEYS),
    ("Inject", INJECT_KEYS),
];

/// Validates playbook text that is already known to be well-formed JSON.
///
/// `today` enables the "not reviewed for over a year" warning.
pub fn validate(text: &str, today: Option<jiff::civil::Date>) -> Vec<Problem> {
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    let mut v = Validator {
        text,
        lines: LineIndex::new(text),
        problems: Vec::new(),
        ids: Declared::default(),
        today,
    };
    match jsonc_parser::parse_to_ast(text, &collect, &options) {
        Ok(result) => match result.value {
            Some(root) => v.top(&root),
            None => v.push_at(0, "", "the file holds no JSON value".into()),
        },
        Err(e) => {
            let start = e.range().start;
            v.push_at(
                start,
                "",
                format!("the file is not valid JSON: {}", e.kind()),
            );
        }
    }
    v.problems
}

/// Ids declared in the file, gathered before the walk so references resolve in any order.
#[derive(Default)]
struct Declared {
    roles: Vec<String>,
    milestones: Vec<String>,
    severities: Vec<String>,
    stakeholders: Vec<String>,
    any_severity_cadence: bool,
}

struct Validator<'t> {
    text: &'t str,
    lines: LineIndex,
    problems: Vec<Problem>,
    ids: Declared,
    today: Option<jiff::civil::Date>,
}

/// An object's properties by name (first occurrence; duplicates are reported).
struct Obj<'a, 'v> {
    props: HashMap<&'v str, &'v ObjectProp<'a>>,
    start: usize,
}

impl<'a, 'v> Obj<'a, 'v> {
    fn get(&self, key: &str) -> Option<&'v Value<'a>> {
        self.props.get(key).map(|p| &p.value)
    }
    fn str(&self, key: &str) -> Option<&'v str> {
        match self.get(key) {
            Some(Value::StringLit(s)) => Some(s.value.as_ref()),
            _ => None,
        }
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::StringLit(_) => "a text",
        Value::NumberLit(_) => "a number",
        Value::BooleanLit(_) => "true/false",
        Value::Object(_) => "an object { }",
        Value::Array(_) => "a list [ ]",
        Value::NullKeyword(_) => "null",
    }
}

fn is_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// "role" → "roles", "severity" → "severities".
fn plural(kind: &str) -> String {
    match kind.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{kind}s"),
    }
}

fn quoted_list(items: &[String]) -> String {
    if items.is_empty() {
        return "none are declared".into();
    }
    let shown: Vec<&str> = items.iter().take(12).map(String::as_str).collect();
    let more = if items.len() > 12 { ", …" } else { "" };
    format!("declared: {}{more}", shown.join(", "))
}

impl<'t> Validator<'t> {
    fn push_at(&mut self, offset: usize, path: &str, message: String) {
        self.push_level(Level::Error, offset, path, message);
    }

    fn warn_at(&mut self, offset: usize, path: &str, message: String) {
        self.push_level(Level::Warning, offset, path, message);
    }

    fn push_level(&mut self, level: Level, offset: usize, path: &str, message: String) {
        self.problems.push(Problem {
            level,
            position: Some(self.lines.position(self.text, offset)),
            path: path.to_owned(),
            message,
        });
    }

    /// Checks that `v` is an object with only `keys` (plus `x-…`), no duplicates, and the
    /// `required` ones present.
    fn object<'a, 'v>(
        &mut self,
        v: &'v Value<'a>,
        path: &str,
        label: &str,
        keys: &[&str],
        required: &[&str],
    ) -> Option<Obj<'a, 'v>> {
        let Value::Object(o) = v else {
            self.push_at(
                v.range().start,
                path,
                format!("{label} must be an object {{ }}, not {}", kind_of(v)),
            );
            return None;
        };
        let mut props: HashMap<&'v str, &'v ObjectProp<'a>> = HashMap::new();
        let mut suggested: Vec<&str> = Vec::new();
        for p in &o.properties {
            let name = p.name.as_str();
            let at = p.name.range().start;
            let child = format!("{path}/{}", escape_pointer(name));
            if let Some(first) = props.get(name) {
                let (line, _) = self.lines.position(self.text, first.range.start);
                self.push_at(
                    at,
                    &child,
                    format!("{label}: key \"{name}\" appears twice (first on line {line})"),
                );
                continue;
            }
            if name.starts_with("x-") {
                // Kept and ignored, but still JSON a reader must not have to guess about.
                self.duplicate_keys(&p.value, &child);
            }
            if !keys.contains(&name) && !name.starts_with("x-") {
                let hint = match did_you_mean(name, keys) {
                    Some(s) => {
                        suggested.push(s);
                        format!(" — did you mean \"{s}\"?")
                    }
                    None if name.starts_with("X-") => {
                        " — your own keys must start with a lowercase x-".to_owned()
                    }
                    None => format!(
                        " (known keys: {}; start your own keys with x-)",
                        keys.join(", ")
                    ),
                };
                self.push_at(at, &child, format!("{label}: unknown key \"{name}\"{hint}"));
            }
            props.insert(name, p);
        }
        for r in required {
            // A misspelt required key is reported once: as the unknown key, with its fix.
            if !props.contains_key(r) && !suggested.contains(r) {
                self.push_at(o.range.start, path, format!("{label}: \"{r}\" is missing"));
            }
        }
        Some(Obj {
            props,
            start: o.range.start,
        })
    }

    /// Duplicate keys at any depth of a value the format does not read (an `x-` key's).
    fn duplicate_keys(&mut self, v: &Value, path: &str) {
        match v {
            Value::Object(o) => {
                let mut first: HashMap<&str, usize> = HashMap::new();
                for p in &o.properties {
                    let name = p.name.as_str();
                    let child = format!("{path}/{}", escape_pointer(name));
                    if let Some(&at) = first.get(name) {
                        let (line, _) = self.lines.position(self.text, at);
                        self.push_at(
                            p.name.range().start,
                            &child,
                            format!(
                                "key \"{name}\" appears twice in this object (first on line {line})"
                            ),
                        );
                    } else {
                        first.insert(name, p.range.start);
                        self.duplicate_keys(&p.value, &child);
                    }
                }
            }
            Value::Array(a) => {
                for (i, e) in a.elements.iter().enumerate() {
                    self.duplicate_keys(e, &format!("{path}/{i}"));
                }
            }
            _ => {}
        }
    }

    /// A string value; required ones must not be empty.
    fn string(&mut self, obj: &Obj, key: &str, path: &str, label: &str, required: bool) {
        let Some(v) = obj.get(key) else { return };
        let p = format!("{path}/{key}");
        match v {
            Value::StringLit(s) => {
                if required && s.value.trim().is_empty() {
                    self.push_at(v.range().start, &p, format!("{label}: \"{key}\" is empty"));
                }
            }
            other => self.push_at(
                other.range().start,
                &p,
                format!(
                    "{label}: \"{key}\" must be a text in double quotes, not {}",
                    kind_of(other)
                ),
            ),
        }
    }

    /// A list of non-empty strings.
    fn strings(&mut self, obj: &Obj, key: &str, path: &str, label: &str) {
        let Some(v) = obj.get(key) else { return };
        let p = format!("{path}/{key}");
        let Some(items) = self.array(v, &p, &format!("{label}: \"{key}\"")) else {
            return;
        };
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::StringLit(s) if s.value.trim().is_empty() => self.push_at(
                    item.range().start,
                    &format!("{p}/{i}"),
                    format!("{label}: item {} of \"{key}\" is empty", i + 1),
                ),
                Value::StringLit(_) => {}
                other => self.push_at(
                    other.range().start,
                    &format!("{p}/{i}"),
                    format!(
                        "{label}: item {} of \"{key}\" must be a text in double quotes, not {}",
                        i + 1,
                        kind_of(other)
                    ),
                ),
            }
        }
    }

    fn array<'a, 'v>(
        &mut self,
        v: &'v Value<'a>,
        path: &str,
        label: &str,
    ) -> Option<&'v [Value<'a>]> {
        match v {
            Value::Array(a) => Some(&a.elements),
            other => {
                self.push_at(
                    other.range().start,
                    path,
                    format!("{label} must be a list [ ], not {}", kind_of(other)),
                );
                None
            }
        }
    }

    /// An id value: its syntax, and uniqueness within `seen`.
    fn id(
        &mut self,
        obj: &Obj,
        path: &str,
        label: &str,
        what: &str,
        seen: &mut HashMap<String, usize>,
    ) {
        let Some(v) = obj.get("id") else { return };
        let p = format!("{path}/id");
        let Value::StringLit(s) = v else {
            self.push_at(
                v.range().start,
                &p,
                format!(
                    "{label}: \"id\" must be a text in double quotes, not {}",
                    kind_of(v)
                ),
            );
            return;
        };
        let id = s.value.as_ref();
        if id.trim().is_empty() {
            self.push_at(v.range().start, &p, format!("{label}: \"id\" is empty"));
            return;
        }
        if !is_id(id) {
            let hint = suggest_id(id)
                .map(|s| format!(", e.g. \"{s}\""))
                .unwrap_or_default();
            self.push_at(
                v.range().start,
                &p,
                format!(
                    "{label}: id \"{id}\" must use lowercase letters, digits, _ and -, \
                     starting with a letter or digit{hint}"
                ),
            );
            return;
        }
        let start = v.range().start;
        if let Some(&first) = seen.get(id) {
            let (line, _) = self.lines.position(self.text, first);
            self.push_at(
                start,
                &p,
                format!("{what} id \"{id}\" is used twice (first on line {line})"),
            );
        } else {
            seen.insert(id.to_owned(), start);
        }
    }

    /// A reference to a declared id of `kind` ("role", "milestone"…).
    fn reference(&mut self, v: &Value, path: &str, label: &str, key: &str, ids: Ids<'_>) {
        let Ids { kind, known, extra } = ids;
        let Value::StringLit(s) = v else {
            self.push_at(
                v.range().start,
                path,
                format!(
                    "{label}: \"{key}\" must be a {kind} id in double quotes, not {}",
                    kind_of(v)
                ),
            );
            return;
        };
        let id = s.value.as_ref();
        if known.iter().any(|k| k == id) || extra.contains(&id) {
            return;
        }
        let mut all: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        for k in known {
            if !all.contains(k) {
                all.push(k.clone());
            }
        }
        let hint = match did_you_mean(id, &all) {
            Some(s) => format!(" — did you mean \"{s}\"?"),
            None if all.is_empty() => format!(" (this playbook declares no {})", plural(kind)),
            None => format!(" ({} {})", plural(kind), quoted_list(&all)),
        };
        self.push_at(
            v.range().start,
            path,
            format!("{label}: \"{key}\" names {kind} \"{id}\", which this playbook does not declare{hint}"),
        );
    }

    fn opt_reference(
        &mut self,
        obj: &Obj,
        key: &str,
        path: &str,
        label: &str,
        kind: &str,
        known: &[String],
    ) {
        if let Some(v) = obj.get(key) {
            let ids = Ids {
                kind,
                known,
                extra: &[],
            };
            self.reference(v, &format!("{path}/{key}"), label, key, ids);
        }
    }

    fn reference_list(
        &mut self,
        obj: &Obj,
        key: &str,
        path: &str,
        label: &str,
        kind: &str,
        known: &[String],
    ) {
        let Some(v) = obj.get(key) else { return };
        let p = format!("{path}/{key}");
        let Some(items) = self.array(v, &p, &format!("{label}: \"{key}\"")) else {
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let ids = Ids {
                kind,
                known,
                extra: &[],
            };
            self.reference(item, &format!("{p}/{i}"), label, key, ids);
        }
    }

    fn duration(&mut self, obj: &Obj, key: &str, path: &str, label: &str) -> Option<Duration> {
        let v = obj.get(key)?;
        let p = format!("{path}/{key}");
        let Value::StringLit(s) = v else {
            self.push_at(
                v.range().start,
                &p,
                format!(
                    "{label}: \"{key}\" must be a duration in double quotes like \"72h\", \"30m\" or \"4bd\", not {}",
                    kind_of(v)
                ),
            );
            return None;
        };
        match s.value.parse::<Duration>() {
            Ok(d) => Some(d),
            Err(e) => {
                // Most duration messages already say what to write; give the examples only
                // where they do not, so the advice is not repeated.
                let message = match e {
                    DurationError::RepeatedUnit { .. } => format!(
                        "{label}: \"{key}\" must be a duration like 72h, 30m, 1h30m or 4bd — {e}"
                    ),
                    _ => format!("{label}: \"{key}\": {e}"),
                };
                self.push_at(v.range().start, &p, message);
                None
            }
        }
    }

    /// `update_every`: a duration longer than zero (a zero cadence would have an audience
    /// due an update at every moment).
    fn cadence(&mut self, obj: &Obj, path: &str, label: &str) -> Option<Duration> {
        let d = self.duration(obj, "update_every", path, label)?;
        if d.is_zero() {
            let at = obj.get("update_every").map_or(0, |v| v.range().start);
            self.push_at(
                at,
                &format!("{path}/update_every"),
                format!(
                    "{label}: \"update_every\" must be longer than zero: it is how often the audience hears from you (leave it out for no cadence)"
                ),
            );
            return None;
        }
        Some(d)
    }

    fn date(&mut self, v: &Value, path: &str, label: &str) -> Option<jiff::civil::Date> {
        let Value::StringLit(s) = v else {
            self.push_at(
                v.range().start,
                path,
                format!(
                    "{label} must be a date in double quotes like \"2026-12-24\", not {}",
                    kind_of(v)
                ),
            );
            return None;
        };
        let text = s.value.as_ref();
        let shaped = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        match text.parse::<jiff::civil::Date>() {
            Ok(d) if shaped => Some(d),
            Ok(_) => {
                self.push_at(
                    v.range().start,
                    path,
                    format!("{label}: \"{text}\" must be written YYYY-MM-DD, like 2026-12-24"),
                );
                None
            }
            Err(_) if shaped => {
                self.push_at(
                    v.range().start,
                    path,
                    format!("{label}: \"{text}\" is not a date that exists"),
                );
                None
            }
            Err(_) => {
                self.push_at(
                    v.range().start,
                    path,
                    format!(
                        "{label}: \"{text}\" is not a date; write it YYYY-MM-DD, like 2026-12-24"
                    ),
                );
                None
            }
        }
    }

    /// Collects declared ids leniently so references can be checked in one pass.
    fn gather(&mut self, top: &Obj) {
        fn ids(v: Option<&Value>) -> Vec<String> {
            let Some(Value::Array(a)) = v else {
                return Vec::new();
            };
            a.elements
                .iter()
                .filter_map(|e| match e {
                    Value::Object(o) => {
                        o.properties
                            .iter()
                            .find_map(|p| match (p.name.as_str(), &p.value) {
                                ("id", Value::StringLit(s)) => Some(s.value.to_string()),
                                _ => None,
                            })
                    }
                    _ => None,
                })
                .fold(Vec::new(), |mut acc: Vec<String>, id| {
                    if !acc.contains(&id) {
                        acc.push(id);
                    }
                    acc
                })
        }
        self.ids.roles = ids(top.get("roles"));
        self.ids.milestones = ids(top.get("milestones"));
        self.ids.severities = ids(top.get("severities"));
        self.ids.stakeholders = ids(top.get("stakeholders"));
        self.ids.any_severity_cadence = match top.get("severities") {
            Some(Value::Array(a)) if !a.elements.is_empty() => a.elements.iter().any(|e| match e {
                Value::Object(o) => o
                    .properties
                    .iter()
                    .any(|p| p.name.as_str() == "update_every"),
                _ => false,
            }),
            // Missing, empty or not a list is already an error; do not add a warning about
            // stakeholder cadence that follows from it.
            _ => true,
        };
    }

    fn top(&mut self, root: &Value) {
        let Some(top) = self.object(
            root,
            "",
            "the playbook",
            TOP_KEYS,
            &[
                "format",
                "id",
                "title",
                "severities",
                "roles",
                "stakeholders",
            ],
        ) else {
            return;
        };
        self.gather(&top);
        let label = "the playbook";
        if let Some(v) = top.get("format") {
            match v {
                Value::StringLit(s) if s.value == FORMAT_V1 => {}
                Value::StringLit(s) if s.value.starts_with("crisisdesk.playbook.") => self.push_at(
                    v.range().start,
                    "/format",
                    format!(
                        "this playbook is written in format \"{}\"; this version of crisisdesk reads \"{FORMAT_V1}\"",
                        s.value
                    ),
                ),
                _ => self.push_at(
                    v.range().start,
                    "/format",
                    format!("\"format\" must be exactly \"{FORMAT_V1}\""),
                ),
            }
        }
        let mut none = HashMap::new();
        self.id(&top, "", label, "playbook", &mut none);
        self.string(&top, "title", "", label, true);
        for k in ["version", "summary", "scenario", "$schema"] {
            self.string(&top, k, "", label, false);
        }
        self.language(&top);
        self.timezone(&top);
        if let Some(v) = top.get("holidays")
            && let Some(items) = self.array(v, "/holidays", "\"holidays\"")
        {
            for (i, d) in items.iter().enumerate() {
                self.date(d, &format!("/holidays/{i}"), &format!("holiday {}", i + 1));
            }
        }
        if let Some(v) = top.get("last_reviewed")
            && let Some(d) = self.date(v, "/last_reviewed", "\"last_reviewed\"")
            && let Some(today) = self.today
            && d < today.saturating_sub(jiff::Span::new().years(1))
        {
            self.warn_at(
                v.range().start,
                "/last_reviewed",
                format!("the playbook was last reviewed on {d}, more than a year ago: check its contacts, deadlines and texts"),
            );
        }
        if let Some(v) = top.get("org")
            && let Some(org) = self.object(v, "/org", "\"org\"", ORG_KEYS, &[])
        {
            for k in ORG_KEYS {
                self.string(&org, k, "/org", "org", false);
            }
        }
        self.list(&top, "severities", true, |me, v, path, i, seen| {
            me.severity(v, path, i, seen)
        });
        self.list(&top, "milestones", false, |me, v, path, i, seen| {
            me.milestone(v, path, i, seen)
        });
        self.list(&top, "roles", true, |me, v, path, i, seen| {
            me.role(v, path, i, seen)
        });
        self.list(&top, "stakeholders", true, |me, v, path, i, seen| {
            me.stakeholder(v, path, i, seen)
        });
        self.list(&top, "templates", false, |me, v, path, i, seen| {
            me.template(v, path, i, seen)
        });
        self.strings(&top, "key_messages", "", label);
        self.list(&top, "qa", false, |me, v, path, i, _| {
            if let Some(o) = me.object(v, path, &format!("Q&A {}", i + 1), QA_KEYS, &["q", "a"]) {
                me.string(&o, "q", path, &format!("Q&A {}", i + 1), true);
                me.string(&o, "a", path, &format!("Q&A {}", i + 1), true);
            }
        });
        let mut items_seen = HashMap::new();
        self.list(&top, "checklists", false, |me, v, path, i, _| {
            me.checklist(v, path, i, &mut items_seen)
        });
        self.list(&top, "injects", false, |me, v, path, i, seen| {
            me.inject(v, path, i, seen)
        });
    }

    /// Walks a top-level list; `required` lists must hold at least one item.
    fn list(
        &mut self,
        top: &Obj,
        key: &str,
        required: bool,
        mut each: impl FnMut(&mut Self, &Value, &str, usize, &mut HashMap<String, usize>),
    ) {
        let Some(v) = top.get(key) else { return };
        let path = format!("/{key}");
        let Some(items) = self.array(v, &path, &format!("\"{key}\"")) else {
            return;
        };
        if required && items.is_empty() {
            self.push_at(
                v.range().start,
                &path,
                format!("\"{key}\" must list at least one item"),
            );
        }
        let mut seen = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            each(self, item, &format!("{path}/{i}"), i, &mut seen);
        }
    }

    fn language(&mut self, top: &Obj) {
        self.string(top, "language", "", "the playbook", false);
        let Some(Value::StringLit(s)) = top.get("language") else {
            return;
        };
        let tag = s.value.as_ref();
        let ok = super::language::Language::parse(tag).is_some();
        if !ok {
            let at = top.get("language").map(|v| v.range().start).unwrap_or(0);
            self.push_at(
                at,
                "/language",
                format!("\"language\" must be a language tag like \"en\", \"en-GB\" or \"pl\", not \"{tag}\""),
            );
        }
    }

    fn timezone(&mut self, top: &Obj) {
        let Some(v) = top.get("timezone") else { return };
        let Value::StringLit(s) = v else {
            self.string(top, "timezone", "", "the playbook", true);
            return;
        };
        let name = s.value.as_ref();
        if jiff::tz::db().get(name).is_ok() {
            return;
        }
        let names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
        let hint = did_you_mean(name, &names)
            .map(|s| format!(" — did you mean \"{s}\"?"))
            .unwrap_or_else(|| {
                " (use an IANA name like \"Europe/Warsaw\" or \"America/Chicago\")".into()
            });
        self.push_at(
            v.range().start,
            "/timezone",
            format!("\"timezone\": \"{name}\" is not a known time zone{hint}"),
        );
    }

    /// An entry of a list (a severity, a role…): the object and how messages name it
    /// ("stakeholder 'press'", or "stakeholder 3" when it has no usable id).
    fn entry<'a, 'v>(
        &mut self,
        v: &'v Value<'a>,
        path: &str,
        what: &str,
        i: usize,
        keys: &[&str],
        required: &[&str],
    ) -> Option<(Obj<'a, 'v>, String)> {
        let label = Self::peek_label(v, what, i);
        let o = self.object(v, path, &label, keys, required)?;
        Some((o, label))
    }

    fn severity(&mut self, v: &Value, path: &str, i: usize, seen: &mut HashMap<String, usize>) {
        let Some((o, label)) = self.entry(v, path, "severity", i, SEVERITY_KEYS, &["id", "name"])
        else {
            return;
        };
        self.id(&o, path, &label, "severity", seen);
        self.string(&o, "name", path, &label, true);
        self.strings(&o, "criteria", path, &label);
        self.cadence(&o, path, &label);
    }

    fn milestone(&mut self, v: &Value, path: &str, i: usize, seen: &mut HashMap<String, usize>) {
        let Some((o, label)) = self.entry(v, path, "milestone", i, MILESTONE_KEYS, &["id", "name"])
        else {
            return;
        };
        if o.str("id") == Some(DETECTED) {
            let at = o.get("id").map(|v| v.range().start).unwrap_or(o.start);
            self.push_at(
                at,
                &format!("{path}/id"),
                "milestone \"detected\" is built in (when the organisation learned of the incident) and cannot be declared".into(),
            );
        }
        self.id(&o, path, &label, "milestone", seen);
        self.string(&o, "name", path, &label, true);
        self.string(&o, "description", path, &label, false);
    }

    fn role(&mut self, v: &Value, path: &str, i: usize, seen: &mut HashMap<String, usize>) {
        let Some((o, label)) = self.entry(v, path, "role", i, ROLE_KEYS, &["id", "title"]) else {
            return;
        };
        self.id(&o, path, &label, "role", seen);
        self.string(&o, "title", path, &label, true);
        for k in ["holder", "backup", "contact"] {
            self.string(&o, k, path, &label, false);
        }
    }

    fn stakeholder(&mut self, v: &Value, path: &str, i: usize, seen: &mut HashMap<String, usize>) {
        let Some((o, label)) = self.entry(
            v,
            path,
            "stakeholder",
            i,
            STAKEHOLDER_KEYS,
            &["id", "name", "group"],
        ) else {
            return;
        };
        self.id(&o, path, &label, "stakeholder", seen);
        self.string(&o, "name", path, &label, true);
        if let Some(g) = o.get("group") {
            self.enumeration(
                g,
                &format!("{path}/group"),
                &label,
                "group",
                &Group::ALL.map(Group::as_str),
            );
        }
        self.strings(&o, "channels", path, &label);
        let roles = self.ids.roles.clone();
        self.opt_reference(&o, "owner", path, &label, "role", &roles);
        self.reference_list(&o, "approval", path, &label, "role", &roles);
        let severities = self.ids.severities.clone();
        self.opt_reference(&o, "min_severity", path, &label, "severity", &severities);
        let cadence = self.cadence(&o, path, &label);
        let mut deadline_count = 0;
        if let Some(dv) = o.get("deadlines") {
            let dpath = format!("{path}/deadlines");
            if let Some(items) = self.array(dv, &dpath, &format!("{label}: \"deadlines\"")) {
                deadline_count = items.len();
                let mut ids = HashMap::new();
                let mut labels: HashMap<String, usize> = HashMap::new();
                for (j, d) in items.iter().enumerate() {
                    self.deadline(d, &format!("{dpath}/{j}"), &label, j, &mut ids, &mut labels);
                }
            }
        }
        if deadline_count == 0 && cadence.is_none() && !self.ids.any_severity_cadence {
            self.warn_at(
                o.start,
                path,
                format!("{label} has no deadline and no update cadence (\"update_every\"), so nothing will remind you to tell them"),
            );
        }
    }

    fn deadline(
        &mut self,
        v: &Value,
        path: &str,
        owner: &str,
        j: usize,
        ids: &mut HashMap<String, usize>,
        labels: &mut HashMap<String, usize>,
    ) {
        let pre = format!("{owner}, deadline {}", j + 1);
        let Some(o) = self.object(v, path, &pre, DEADLINE_KEYS, &["label", "within", "from"])
        else {
            return;
        };
        let label = match o.str("label") {
            Some(l) if !l.trim().is_empty() => format!("{owner}, deadline '{l}'"),
            _ => pre,
        };
        if o.get("id").is_some() {
            self.id(&o, path, &label, &format!("{owner}: deadline"), ids);
        } else if let Some(l) = o.str("label") {
            if let Some(&first) = labels.get(l) {
                let (line, _) = self.lines.position(self.text, first);
                self.warn_at(
                    o.start,
                    path,
                    format!("{label}: another deadline of this stakeholder has the same label (line {line}); give them ids so a message can name the one it meets"),
                );
            } else {
                labels.insert(l.to_owned(), o.start);
            }
        }
        self.string(&o, "label", path, &label, true);
        self.string(&o, "basis", path, &label, false);
        self.duration(&o, "within", path, &label);
        if let Some(from) = o.get("from") {
            let milestones = self.ids.milestones.clone();
            let ids = Ids {
                kind: "milestone",
                known: &milestones,
                extra: &[DETECTED],
            };
            self.reference(from, &format!("{path}/from"), &label, "from", ids);
        }
    }

    fn template(&mut self, v: &Value, path: &str, i: usize, seen: &mut HashMap<String, usize>) {
        let Some((o, label)) = self.entry(
            v,
            path,
            "template",
            i,
            TEMPLATE_KEYS,
            &["id", "title", "body"],
        ) else {
            return;
        };
        self.id(&o, path, &label, "template", seen);
        self.string(&o, "title", path, &label, true);
        self.string(&o, "kind", path, &label, false);
        self.string(&o, "channel", path, &label, false);
        self.string(&o, "body", path, &label, true);
        let stakeholders = self.ids.stakeholders.clone();
        self.reference_list(
            &o,
            "stakeholders",
            path,
            &label,
            "stakeholder",
            &stakeholders,
        );
        let max = match o.get("max_chars") {
            Some(Value::NumberLit(n)) => match n.value.parse::<u32>() {
                Ok(m) if m > 0 => Some(m),
                _ if n
                    .value
                    .parse::<u64>()
                    .is_ok_and(|m| m > u64::from(u32::MAX)) =>
                {
                    self.push_at(
                        n.range.start,
                        &format!("{path}/max_chars"),
                        format!("{label}: \"max_chars\" {} is too large", n.value),
                    );
                    None
                }
                _ => {
                    self.push_at(
                        n.range.start,
                        &format!("{path}/max_chars"),
                        format!(
                            "{label}: \"max_chars\" must be a whole number above 0, not {}",
                            n.value
                        ),
                    );
                    None
                }
            },
            Some(other) => {
                self.push_at(
                    other.range().start,
                    &format!("{path}/max_chars"),
                    format!(
                        "{label}: \"max_chars\" must be a whole number, not {}",
                        kind_of(other)
                    ),
                );
                None
            }
            None => None,
        };
        let Some(Value::StringLit(body)) = o.get("body") else {
            return;
        };
        let body_start = body.range.start;
        // The text between the quotes, as written: escapes (\n, \") make it longer than the
        // value, so offsets in the value are mapped back to the file.
        let raw = &self.text[body.range.start + 1..body.range.end - 1];
        let at = |off: usize| body_start + 1 + raw_offset(raw, off);
        let bpath = format!("{path}/body");
        let roles = self.ids.roles.clone();
        for e in placeholder::check(&body.value, &roles) {
            self.push_at(at(e.offset()), &bpath, format!("{label}: {e}"));
        }
        if let Some(max) = max {
            let fixed = placeholder::char_count(&placeholder::fixed_text(&body.value));
            if fixed > max as usize {
                self.warn_at(
                    body_start,
                    &bpath,
                    format!("{label}: the fixed text alone is {fixed} characters, over its limit of {max} (\"max_chars\")"),
                );
            }
        }
    }

    fn checklist(
        &mut self,
        v: &Value,
        path: &str,
        i: usize,
        items_seen: &mut HashMap<String, usize>,
    ) {
        let pre = format!("checklist {}", i + 1);
        let Some(o) = self.object(v, path, &pre, CHECKLIST_KEYS, &["phase", "items"]) else {
            return;
        };
        let label = match o.str("phase") {
            Some(p) if !p.trim().is_empty() => format!("checklist '{p}'"),
            _ => pre,
        };
        self.string(&o, "phase", path, &label, true);
        let Some(iv) = o.get("items") else { return };
        let ipath = format!("{path}/items");
        let Some(items) = self.array(iv, &ipath, &format!("{label}: \"items\"")) else {
            return;
        };
        let roles = self.ids.roles.clone();
        for (j, item) in items.iter().enumerate() {
            let p = format!("{ipath}/{j}");
            let Some((io, ilabel)) =
                self.entry(item, &p, "checklist item", j, ITEM_KEYS, &["id", "text"])
            else {
                continue;
            };
            self.id(&io, &p, &ilabel, "checklist item", items_seen);
            self.string(&io, "text", &p, &ilabel, true);
            self.opt_reference(&io, "owner", &p, &ilabel, "role", &roles);
            self.duration(&io, "due", &p, &ilabel);
        }
    }

    fn inject(&mut self, v: &Value, path: &str, i: usize, seen: &mut HashMap<String, usize>) {
        let Some((o, label)) = self.entry(
            v,
            path,
            "inject",
            i,
            INJECT_KEYS,
            &["id", "at", "from", "text"],
        ) else {
            return;
        };
        self.id(&o, path, &label, "inject", seen);
        self.duration(&o, "at", path, &label);
        self.string(&o, "from", path, &label, true);
        self.string(&o, "text", path, &label, true);
        self.string(&o, "channel", path, &label, false);
        self.string(&o, "subject", path, &label, false);
        if let Some(k) = o.get("kind") {
            self.enumeration(
                k,
                &format!("{path}/kind"),
                &label,
                "kind",
                &InjectKind::NAMES,
            );
        }
        self.duration(&o, "respond_within", path, &label);
        let roles = self.ids.roles.clone();
        self.opt_reference(&o, "to", path, &label, "role", &roles);
        let stakeholders = self.ids.stakeholders.clone();
        self.opt_reference(
            &o,
            "stakeholder",
            path,
            &label,
            "stakeholder",
            &stakeholders,
        );
        self.strings(&o, "expect", path, &label);
    }

    fn enumeration(&mut self, v: &Value, path: &str, label: &str, key: &str, allowed: &[&str]) {
        let Value::StringLit(s) = v else {
            self.push_at(
                v.range().start,
                path,
                format!(
                    "{label}: \"{key}\" must be one of {} in double quotes, not {}",
                    allowed.join(", "),
                    kind_of(v)
                ),
            );
            return;
        };
        let value = s.value.as_ref();
        if allowed.contains(&value) {
            return;
        }
        let hint = did_you_mean(value, allowed)
            .map(|s| format!(" — did you mean \"{s}\"?"))
            .unwrap_or_default();
        self.push_at(
            v.range().start,
            path,
            format!(
                "{label}: {key} \"{value}\" is not one of {}{hint}",
                allowed.join(", ")
            ),
        );
    }

    /// A label for an object before it is checked ("stakeholder 'press'" or "stakeholder 3").
    fn peek_label(v: &Value, what: &str, i: usize) -> String {
        if let Value::Object(o) = v
            && let Some(p) = o.properties.iter().find(|p| p.name.as_str() == "id")
            && let Value::StringLit(s) = &p.value
            && !s.value.is_empty()
        {
            return format!("{what} '{}'", s.value);
        }
        format!("{what} {}", i + 1)
    }
}

/// What a reference may name: ids of one kind, plus built-in ones (`detected`).
struct Ids<'k> {
    kind: &'k str,
    known: &'k [String],
    extra: &'k [&'k str],
}

/// The offset in a JSON string's text as written (between its quotes) of byte `decoded` of its
/// value, so a fault after a `\n` or `\"` in a template body is still placed exactly.
fn raw_offset(raw: &str, decoded: usize) -> usize {
    let bytes = raw.as_bytes();
    let (mut r, mut d) = (0, 0);
    while r < bytes.len() && d < decoded {
        if bytes[r] != b'\\' {
            // Unescaped text is copied byte for byte.
            r += 1;
            d += 1;
            continue;
        }
        if bytes.get(r + 1) != Some(&b'u') {
            r += 2;
            d += 1;
            continue;
        }
        let unit = |at: usize| {
            raw.get(at..at + 4)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
        };
        match unit(r + 2) {
            // A surrogate pair (\ud83d\ude00) is one four-byte character.
            Some(0xD800..=0xDBFF) if raw.get(r + 6..r + 8) == Some("\\u") => {
                r += 12;
                d += 4;
            }
            u => {
                r += 6;
                d += u.and_then(char::from_u32).map_or(3, char::len_utf8);
            }
        }
    }
    r.min(raw.len())
}

/// Escapes a key for a JSON pointer (RFC 6901).
fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A valid id close to an invalid one ("Comms Lead" → "comms-lead", "Rzecznik Łódź" →
/// "rzecznik-lodz"), for the hint; none when a letter has no plain-Latin spelling here.
fn suggest_id(id: &str) -> Option<String> {
    let mut s = String::new();
    for c in id.trim().chars().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | '0'..='9' | '_' => s.push(c),
            _ => match latin(c) {
                Some(plain) => s.push_str(plain),
                None if c.is_alphanumeric() => return None,
                // Spaces, dashes and punctuation become one dash.
                None if !s.is_empty() && !s.ends_with('-') => s.push('-'),
                None => {}
            },
        }
    }
    let s = s.trim_end_matches(['-', '_']).to_owned();
    (is_id(&s) && s != id).then_some(s)
}

/// The plain spelling of common accented Latin letters (lowercase), for id suggestions.
fn latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ą' | 'ă' | 'ā' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ě' | 'ē' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ı' | 'ī' => "i",
        'ł' | 'ľ' | 'ĺ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' | 'ō' => "o",
        'œ' => "oe",
        'ř' | 'ŕ' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'ű' | 'ū' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_suggestions_are_plain_and_tidy() {
        assert_eq!(suggest_id("Comms Lead").as_deref(), Some("comms-lead"));
        assert_eq!(
            suggest_id("Head of Comms (EU)").as_deref(),
            Some("head-of-comms-eu")
        );
        assert_eq!(
            suggest_id("Rzecznik Łódź").as_deref(),
            Some("rzecznik-lodz")
        );
        assert_eq!(suggest_id("-Legal-").as_deref(), Some("legal"));
        assert_eq!(suggest_id("مدير"), None);
        assert_eq!(suggest_id("!!!"), None);
        assert_eq!(plural("severity"), "severities");
        assert_eq!(plural("role"), "roles");
    }

    #[test]
    fn raw_offsets_step_over_escapes() {
        // The value is a, line break, quote, b; the file has a \n \" b.
        assert_eq!(raw_offset(r#"a\n\"b"#, 3), 5);
        assert_eq!(raw_offset("zażółć{{x", 10), 10);
        assert_eq!(raw_offset(r"\u00e9{{x", 2), 6);
        assert_eq!(raw_offset(r"\ud83d\ude00{{x", 4), 12);
        assert_eq!(raw_offset("ab", 9), 2);
    }
}
