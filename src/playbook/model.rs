//! The playbook format v1 as Rust types (`../shared/PLAYBOOK-FORMAT.md`).
//!
//! These types are what the rest of the program reads. They are deserialised only after
//! [`super::validate`] has accepted the file, so they carry no validation of their own; the
//! JSON Schema printed by `crisisdesk schema` is generated from them.

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::duration::Duration;

/// The value of the `format` key this version reads.
pub const FORMAT_V1: &str = "crisisdesk.playbook.v1";

/// The built-in anchor every playbook has without declaring it.
pub const DETECTED: &str = "detected";

/// A crisis playbook: what a communications team prepared before the crisis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(
    title = "crisisdesk playbook v1",
    transform = allow_extension_keys,
    deny_unknown_fields
)]
pub struct Playbook {
    /// Lets editors validate a playbook against the schema; ignored by crisisdesk.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Exactly `crisisdesk.playbook.v1`.
    #[schemars(extend("const" = FORMAT_V1))]
    pub format: String,
    #[schemars(with = "IdSchema")]
    pub id: String,
    pub title: String,
    /// The team's own revision label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// When to use this playbook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Free category: cyber, product, safety, people, environment, reputation…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// BCP-47 tag of the texts, e.g. `pl`, `en-GB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// IANA zone for deadlines and business days; `UTC` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Days that do not count as business days.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<DateSchema>")]
    pub holidays: Vec<Date>,
    /// Shown as a warning when older than a year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DateSchema>")]
    pub last_reviewed: Option<Date>,
    #[serde(default)]
    pub org: Org,
    /// Ordered lowest to highest.
    pub severities: Vec<Severity>,
    /// Named moments that start legal or internal clocks (`detected` is built in).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    pub roles: Vec<Role>,
    pub stakeholders: Vec<Stakeholder>,
    /// Pre-approved message texts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<Template>,
    /// The lines every spokesperson repeats.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_messages: Vec<String>,
    /// Prepared answers to expected questions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qa: Vec<Qa>,
    /// Phase-by-phase to-do lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checklists: Vec<Checklist>,
    /// The scripted events of a tabletop exercise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub injects: Vec<Inject>,
}

/// The organisation the playbook speaks for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = allow_extension_keys, deny_unknown_fields)]
pub struct Org {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Pre-built crisis web page, published when needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dark_site: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotline: Option<String>,
}

/// One level of seriousness.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = allow_extension_keys, deny_unknown_fields)]
pub struct Severity {
    #[schemars(with = "IdSchema")]
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub criteria: Vec<String>,
    /// Default cadence of stakeholder updates at this level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_every: Option<Duration>,
}

/// A named moment that starts clocks ("personal data breach confirmed").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = allow_extension_keys, deny_unknown_fields)]
pub struct Milestone {
    #[schemars(with = "IdSchema")]
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A seat on the crisis team.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = allow_extension_keys, deny_unknown_fields)]
pub struct Role {
    #[schemars(with = "IdSchema")]
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// The kind of audience a stakeholder is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Media,
    Regulator,
    Government,
    Community,
    Employees,
    Customers,
    Investors,
    Partners,
    Board,
    Other,
}

impl Group {
    /// Every group, in the order of the spec.
    pub const ALL: [Group; 10] = [
        Group::Media,
        Group::Regulator,
        Group::Government,
        Group::Community,
        Group::Employees,
        Group::Customers,
        Group::Investors,
        Group::Partners,
        Group::Board,
        Group::Other,
    ];

    /// The name used in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Media => "media",
            Group::Regulator => "regulator",
            Group::Government => "government",
            Group::Community => "community",
            Group::Employees => "employees",
            Group::Customers => "customers",
            Group::Investors => "investors",
            Group::Partners => "partners",
            Group::Board => "board",
            Group::Other => "other",
        }
    }
}

/// An audience the organisation must keep informed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = allow_extension_keys, deny_unknown_fields)]
pub struct Stakeholder {
    #[schemars(with = "IdSchema")]
    pub id: String,
    pub name: String,
    pub group: Group,
    /// Press release, phone, intranet, web form…
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<String>,
    /// The role responsible for this audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<IdSchema>")]
    pub owner: Option<String>,
    /// Obligations to tell this audience by a time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deadlines: Vec<Deadline>,
    /// Cadence of updates once the first message went out; overrides the severity's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_every: Option<Duration>,
    /// Roles that must approve a message before it may be marked sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<IdSchema>")]
    pub approval: Vec<String>,
    /// The audience is in play only at or above this severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<IdSchema>")]
    pub min_severity: Option<String>,
}

/// An obligation to tell an audience within a time of an anchor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = allow_extension_keys, deny_unknown_fields)]
pub struct Deadline {
    /// Lets a message name the deadline it fulfils.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<IdSchema>")]
    pub id: Option<String>,
    pub label: String,
    pub within: Duration,
    /// `detected` or a milestone id.
    #[schemars(with = "IdSchema")]
    pub from: String,
    /// The law or policy behind it ("GDPR Art. 33").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

impl Deadline {
    /// How a message names this deadline: its id, or its label when it has none.
    pub fn key(&self) -> &str {
        self.id.as_deref().unwrap_or(&self.label)
    }
}

/// A pre-approved message text with placeholders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = allow_extension_keys, deny_unknown_fields)]
pub struct Template {
    #[schemars(with = "IdSchema")]
    pub id: String,
    pub title: String,
    /// holding_statement, press_release, internal_memo, social_post…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The audiences this text is written for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(with = "Vec<IdSchema>")]
    pub stakeholders: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// The text, with `{{placeholders}}`.
    pub body: String,
    /// Limit in user-perceived characters of the filled message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub max_chars: Option<u32>,
}

/// A prepared answer to an expected question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = allow_extension_keys, deny_unknown_fields)]
pub struct Qa {
    pub q: String,
    pub a: String,
}

/// One phase of to-do items ("First hour").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = allow_extension_keys, deny_unknown_fields)]
pub struct Checklist {
    pub phase: String,
    pub items: Vec<ChecklistItem>,
}

/// A to-do item; ids are unique across the whole playbook.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = allow_extension_keys, deny_unknown_fields)]
pub struct ChecklistItem {
    #[schemars(with = "IdSchema")]
    pub id: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<IdSchema>")]
    pub owner: Option<String>,
    /// Due this long after detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Duration>,
}

/// What kind of scripted event an inject is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InjectKind {
    #[default]
    Info,
    MediaInquiry,
    MediaMention,
    StakeholderRequest,
    Escalation,
}

impl InjectKind {
    /// Every kind, as written in the file.
    pub const NAMES: [&'static str; 5] = [
        "info",
        "media_inquiry",
        "media_mention",
        "stakeholder_request",
        "escalation",
    ];
}

/// A scripted event of a tabletop exercise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(transform = allow_extension_keys, deny_unknown_fields)]
pub struct Inject {
    #[schemars(with = "IdSchema")]
    pub id: String,
    /// Exercise time after start.
    pub at: Duration,
    /// The simulated sender.
    pub from: String,
    /// The player role it is addressed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<IdSchema>")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default)]
    pub kind: InjectKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub text: String,
    /// The reply deadline for inquiries and requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respond_within: Option<Duration>,
    /// The audience this inject speaks for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<IdSchema>")]
    pub stakeholder: Option<String>,
    /// What evaluators expect players to do.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expect: Vec<String>,
}

impl Inject {
    /// Its kind in words: "media inquiry", "info".
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            InjectKind::Info => "info",
            InjectKind::MediaInquiry => "media inquiry",
            InjectKind::MediaMention => "media mention",
            InjectKind::StakeholderRequest => "stakeholder request",
            InjectKind::Escalation => "escalation",
        }
    }
}

impl Playbook {
    /// The stakeholder with this id.
    pub fn stakeholder(&self, id: &str) -> Option<&Stakeholder> {
        self.stakeholders.iter().find(|s| s.id == id)
    }
    /// The role with this id.
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }
    /// The template with this id.
    pub fn template(&self, id: &str) -> Option<&Template> {
        self.templates.iter().find(|t| t.id == id)
    }
    /// The severity with this id.
    pub fn severity(&self, id: &str) -> Option<&Severity> {
        self.severities.iter().find(|s| s.id == id)
    }
    /// Position of a severity in the ordered list (higher is more serious).
    pub fn severity_rank(&self, id: &str) -> Option<usize> {
        self.severities.iter().position(|s| s.id == id)
    }
    /// The milestone with this id (not `detected`, which is built in).
    pub fn milestone(&self, id: &str) -> Option<&Milestone> {
        self.milestones.iter().find(|m| m.id == id)
    }
    /// Every checklist item with its phase.
    pub fn checklist_items(&self) -> impl Iterator<Item = (&str, &ChecklistItem)> {
        self.checklists
            .iter()
            .flat_map(|c| c.items.iter().map(move |i| (c.phase.as_str(), i)))
    }
    /// The time zone name deadlines are computed in.
    pub fn timezone_name(&self) -> &str {
        self.timezone.as_deref().unwrap_or("UTC")
    }
}

/// Schema stand-in for ids (`[a-z0-9][a-z0-9_-]*`).
#[derive(JsonSchema)]
#[schemars(extend("pattern" = "^[a-z0-9][a-z0-9_-]*$"))]
struct IdSchema(#[allow(dead_code)] String);

/// Schema stand-in for `YYYY-MM-DD` dates.
#[derive(JsonSchema)]
#[schemars(extend("format" = "date", "pattern" = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
struct DateSchema(#[allow(dead_code)] String);

/// `x-` keys are allowed (and ignored) on every object.
fn allow_extension_keys(schema: &mut schemars::Schema) {
    schema.insert("patternProperties".into(), serde_json::json!({ "^x-": {} }));
}
