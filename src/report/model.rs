//! The report as data: what `crisisdesk report --format json` prints (the contract is
//! `docs/report-json.md`) and what the Markdown and HTML renderers read. Nothing here is
//! formatted for people: times are instants (UTC in JSON), durations whole seconds, texts
//! exactly as typed.

use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::journal::Name;

/// The value of `format` in the JSON.
pub const REPORT_FORMAT: &str = "crisisdesk.report.v1";

/// A post-incident report, or an exercise's after-action report.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Always [`REPORT_FORMAT`].
    pub format: &'static str,
    /// `post_incident` or `after_action` (an exercise).
    pub kind: ReportKind,
    pub incident: IncidentPart,
    pub metrics: Metrics,
    /// Every audience of the playbook, in its order (then any audience a message went to that
    /// the playbook does not know).
    pub audiences: Vec<Audience>,
    /// What we told whom: the figures each audience heard, the check's findings and how
    /// each was resolved, the key messages and who heard them (see `crate::check`).
    pub told_whom: crate::check::section::Section,
    /// Media inquiries and stakeholder requests, in the order they came in.
    pub inquiries: Vec<InquiryRow>,
    /// Media coverage seen.
    pub mentions: Vec<MentionRow>,
    pub decisions: Vec<EntryRow>,
    pub facts: Vec<FactRow>,
    pub actions: Vec<ActionRow>,
    pub lessons: Vec<LessonRow>,
    /// Checklist items of the playbook and whether they were done.
    pub checklist: Vec<ChecklistRow>,
    /// Every journal entry in the order things happened.
    pub timeline: Vec<TimelineRow>,
    pub integrity: IntegrityPart,
}

/// Which report this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    PostIncident,
    AfterAction,
}

/// Section 1: what the incident was.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentPart {
    /// Id of the "incident opened" entry.
    pub id: Uuid,
    pub title: String,
    pub exercise: bool,
    /// True while the incident is open: the report is a snapshot at `as_of`.
    pub interim: bool,
    /// The moment the figures are judged at: the closure, or (open incidents) when the report
    /// was made.
    pub as_of: Timestamp,
    /// The playbook's IANA zone, in which the Markdown and HTML show times.
    pub timezone: String,
    pub playbook: PlaybookInfo,
    /// Edited versions of the playbook adopted during the incident, oldest first.
    pub playbook_adoptions: Vec<Adoption>,
    pub detected_at: Timestamp,
    /// When the incident was opened in crisisdesk.
    pub opened_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    /// The text of the closing entry.
    pub closing_note: Option<String>,
    /// From detection to closure (or to `as_of` while open).
    pub duration_seconds: i64,
    /// Severity id at `as_of`.
    pub severity: String,
    pub severity_name: String,
    pub severity_history: Vec<SeverityRow>,
    /// Marked milestones in the order they happened, `detected` first.
    pub milestones: Vec<MilestoneRow>,
    /// Journal entries, retracted ones included.
    pub entries: usize,
}

/// A playbook version.
#[derive(Clone, Debug, Serialize)]
pub struct PlaybookInfo {
    pub id: String,
    pub title: String,
    /// The team's revision label, if the playbook has one.
    pub version: Option<String>,
}

/// An edited playbook adopted mid-incident.
#[derive(Clone, Debug, Serialize)]
pub struct Adoption {
    pub at: Timestamp,
    pub by: Name,
    pub version: Option<String>,
    /// What changed, as the team saw it.
    pub changes: Vec<String>,
    /// Withdrawn later (the rules stayed those of the version before).
    pub retracted: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct SeverityRow {
    pub at: Timestamp,
    pub severity: String,
    pub name: String,
    pub by: Name,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MilestoneRow {
    pub id: String,
    pub name: String,
    pub at: Timestamp,
    pub by: Name,
}

/// Section 2: the key figures, each with how it was computed (`how`).
#[derive(Clone, Debug, Serialize)]
pub struct Metrics {
    pub first_public_statement: FirstStatement,
    pub first_message_by_group: GroupFirsts,
    pub deadlines: DeadlineFigures,
    pub messages_sent: Count,
    pub draft_to_last_approval: MedianFigure,
    pub overrides: Overrides,
    pub inquiries: InquiryFigures,
}

/// Time to the first public statement.
#[derive(Clone, Debug, Serialize)]
pub struct FirstStatement {
    pub at: Option<Timestamp>,
    pub seconds_after_detection: Option<i64>,
    /// The audience it went to.
    pub audience: Option<String>,
    pub message: Option<Uuid>,
    pub how: String,
}

/// Time to the first message per audience group.
#[derive(Clone, Debug, Serialize)]
pub struct GroupFirsts {
    pub groups: Vec<GroupFirst>,
    pub how: String,
}

/// The first message to one group of audiences.
#[derive(Clone, Debug, Serialize)]
pub struct GroupFirst {
    /// `media`, `regulator`, `employees`… (the playbook's groups).
    pub group: String,
    /// The group's audiences (ids).
    pub audiences: Vec<String>,
    pub at: Option<Timestamp>,
    pub seconds_after_detection: Option<i64>,
    pub audience: Option<String>,
    pub message: Option<Uuid>,
}

/// Legal and internal deadlines by state.
#[derive(Clone, Debug, Serialize)]
pub struct DeadlineFigures {
    pub total: usize,
    pub met: usize,
    pub late: usize,
    pub missed: usize,
    pub running: usize,
    /// Clocks that never started (their milestone was not marked).
    pub waiting: usize,
    /// Every counted deadline, in the audiences' order.
    pub items: Vec<DeadlineItem>,
    pub how: String,
}

/// One deadline in the figures.
#[derive(Clone, Debug, Serialize)]
pub struct DeadlineItem {
    pub audience: String,
    pub audience_name: String,
    pub id: Option<String>,
    pub label: String,
    pub basis: Option<String>,
    pub due: Option<Timestamp>,
    pub met_at: Option<Timestamp>,
    pub state: ReportDeadlineState,
    /// How long after the due time it was met (late) or how far past it `as_of` is (missed).
    pub overdue_seconds: Option<i64>,
}

/// Where a deadline stands in a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportDeadlineState {
    /// Met by its due time.
    Met,
    /// Met after its due time.
    Late,
    /// Not met, and past due at `as_of`.
    Missed,
    /// Not met, not yet due at `as_of`.
    Running,
    /// Its clock never started: the milestone it runs from was not marked.
    Waiting,
}

impl ReportDeadlineState {
    /// The word used in every format.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportDeadlineState::Met => "met",
            ReportDeadlineState::Late => "late",
            ReportDeadlineState::Missed => "missed",
            ReportDeadlineState::Running => "running",
            ReportDeadlineState::Waiting => "waiting",
        }
    }
}

/// A plain count.
#[derive(Clone, Debug, Serialize)]
pub struct Count {
    pub count: usize,
    pub how: String,
}

/// A median over some items.
#[derive(Clone, Debug, Serialize)]
pub struct MedianFigure {
    /// `None` when no item qualifies.
    pub median_seconds: Option<i64>,
    /// How many items the median is over.
    pub count: usize,
    pub how: String,
}

/// Sends that went without every approval.
#[derive(Clone, Debug, Serialize)]
pub struct Overrides {
    pub count: usize,
    pub sends: Vec<OverrideRow>,
    pub how: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct OverrideRow {
    pub message: Uuid,
    pub audience: String,
    pub sent_at: Timestamp,
    pub sent_by: Name,
    pub reason: String,
    /// Roles whose approval of the text as sent was missing.
    pub missing_roles: Vec<String>,
}

/// How inquiries were handled.
#[derive(Clone, Debug, Serialize)]
pub struct InquiryFigures {
    /// Media inquiries and stakeholder requests.
    pub total: usize,
    pub with_deadline: usize,
    pub answered_within_deadline: usize,
    pub answered_late: usize,
    /// Answered, with no reply deadline set.
    pub answered_without_deadline: usize,
    pub unanswered: usize,
    /// Unanswered and past their reply deadline at `as_of`.
    pub unanswered_overdue: usize,
    /// Median of (first answer − question) over answered inquiries.
    pub median_response_seconds: Option<i64>,
    pub how: String,
}

/// Section 3: one audience, what it was owed and what it was told.
#[derive(Clone, Debug, Serialize)]
pub struct Audience {
    pub id: String,
    pub name: String,
    /// The playbook's group; `unknown` for an audience the playbook does not name.
    pub group: String,
    /// In play at the severity at `as_of`.
    pub in_play: bool,
    /// At least one message was sent to it.
    pub told: bool,
    pub deadlines: Vec<AudienceDeadline>,
    /// Messages sent, in the order they went out.
    pub messages: Vec<SentMessage>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AudienceDeadline {
    pub id: Option<String>,
    pub label: String,
    pub basis: Option<String>,
    /// `detected` or the milestone id its clock runs from.
    pub from: String,
    pub due: Option<Timestamp>,
    pub met_at: Option<Timestamp>,
    /// The message that met it.
    pub met_by: Option<Uuid>,
    pub state: ReportDeadlineState,
    /// Left out of the deadline figures: the audience is not in play and it was not met.
    pub counted: bool,
}

/// A message as it went out.
#[derive(Clone, Debug, Serialize)]
pub struct SentMessage {
    pub id: Uuid,
    pub sent_at: Timestamp,
    pub sent_by: Name,
    pub channel: Option<String>,
    /// The full text as sent.
    pub text: String,
    pub template: Option<String>,
    pub drafted_at: Timestamp,
    pub drafted_by: Name,
    /// The deadline it met (its id, or label when it has none).
    pub deadline: Option<String>,
    pub deadline_label: Option<String>,
    /// Approvals of the text as sent.
    pub approvals: Vec<ApprovalRow>,
    /// Why it went without every approval; `None` when it did not.
    #[serde(rename = "override")]
    pub override_reason: Option<String>,
    /// Roles that had not approved the text as sent.
    pub missing_roles: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ApprovalRow {
    pub role: String,
    pub by: Name,
    pub at: Timestamp,
}

/// Section 5: a media inquiry or a stakeholder request.
#[derive(Clone, Debug, Serialize)]
pub struct InquiryRow {
    pub id: Uuid,
    /// `media` or `request`.
    pub kind: &'static str,
    pub from: String,
    pub journalist: Option<String>,
    /// For requests: the audience asking.
    pub audience: Option<String>,
    pub text: String,
    pub asked_at: Timestamp,
    /// Reply deadline.
    pub due: Option<Timestamp>,
    /// First answer.
    pub answered_at: Option<Timestamp>,
    pub response_seconds: Option<i64>,
    /// `answered_in_time`, `answered_late`, `answered` (no deadline), `overdue`, `open`.
    pub state: &'static str,
    pub answers: Vec<AnswerRow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AnswerRow {
    pub at: Timestamp,
    pub by: Name,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct MentionRow {
    pub id: Uuid,
    pub at: Timestamp,
    pub source: String,
    pub url: Option<String>,
    pub sentiment: Option<String>,
    pub text: String,
}

/// Corrections of an entry: amendments and a retraction, never hidden.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Corrections {
    /// The text as first recorded, when an amendment changed it.
    pub original_text: Option<String>,
    /// The time as first recorded, when an amendment moved it.
    pub original_at: Option<Timestamp>,
    pub amendments: Vec<AmendRow>,
    pub retraction: Option<RetractRow>,
}

impl Corrections {
    /// Nothing was corrected.
    pub fn is_empty(&self) -> bool {
        self.amendments.is_empty() && self.retraction.is_none()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct AmendRow {
    pub id: Uuid,
    pub at: Timestamp,
    pub by: Name,
    pub text: Option<String>,
    pub new_at: Option<Timestamp>,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RetractRow {
    pub id: Uuid,
    pub at: Timestamp,
    pub by: Name,
    pub reason: String,
}

/// A decision (or any plain recorded entry).
#[derive(Clone, Debug, Serialize)]
pub struct EntryRow {
    pub id: Uuid,
    pub at: Timestamp,
    pub by: Name,
    /// The text in force (amendments applied).
    pub text: String,
    pub retracted: bool,
    /// `None` when nothing corrected it.
    pub corrections: Option<Corrections>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FactRow {
    pub id: Uuid,
    pub at: Timestamp,
    pub by: Name,
    pub text: String,
    pub confirmed: bool,
    pub retracted: bool,
    /// `None` when nothing corrected it.
    pub corrections: Option<Corrections>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ActionRow {
    pub id: Uuid,
    pub text: String,
    /// Role id.
    pub owner: Option<String>,
    pub due: Option<Timestamp>,
    pub added_at: Timestamp,
    pub added_by: Name,
    pub done_at: Option<Timestamp>,
    pub done_by: Option<Name>,
    /// `done`, `open` or `overdue` (open and past due at `as_of`).
    pub state: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct LessonRow {
    pub id: Uuid,
    pub at: Timestamp,
    pub by: Name,
    /// `well`, `wrong` or `lucky`.
    pub kind: crate::incident::LessonKind,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ChecklistRow {
    pub id: String,
    pub phase: String,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<Timestamp>,
    pub done_at: Option<Timestamp>,
    pub done_by: Option<Name>,
    /// `done`, `open` or `overdue`.
    pub state: &'static str,
}

/// Section 4: one journal entry.
#[derive(Clone, Debug, Serialize)]
pub struct TimelineRow {
    pub id: Uuid,
    /// When it happened (an amended time applied).
    pub at: Timestamp,
    pub recorded_at: Timestamp,
    /// The journal's `kind`.
    pub kind: &'static str,
    pub author: Name,
    pub console: Name,
    /// The entry in words (amended text applied).
    pub summary: String,
    /// The entry this one corrects or acts on (amend, retract, approval, answer…).
    pub refers_to: Option<Uuid>,
    pub retracted: bool,
    /// `None` when nothing corrected it.
    pub corrections: Option<Corrections>,
}

/// Section 7: what the journal reader found, and the chain heads to check the record against.
#[derive(Clone, Debug, Serialize)]
pub struct IntegrityPart {
    /// `ok`, `torn-tail` or `corrupt` (docs/journal-format.md).
    pub status: &'static str,
    /// The record is damaged (more than an incomplete last record).
    pub damaged: bool,
    /// Anything was not read (damage, or an incomplete last record): these words stand at the
    /// very top of the report.
    pub warning: Option<String>,
    /// Journal files read.
    pub files: usize,
    /// Valid records read, duplicates included.
    pub records: u64,
    /// Distinct entries after dedupe.
    pub entries: u64,
    pub duplicates: u64,
    /// Consoles that wrote entries.
    pub consoles: usize,
    pub torn_tails: usize,
    pub corrupt_lines: usize,
    pub chain_breaks: usize,
    /// Duplicate ids with differing contents.
    pub conflicts: usize,
    /// Per file, the head of its hash chain.
    pub chain_heads: Vec<ChainHeadRow>,
    /// Every finding, with file and line (as `crisisdesk verify` lists them).
    pub findings: Vec<crate::journal::Finding>,
    /// Entries that could not be applied (an approval of an unknown message…), in words.
    pub anomalies: Vec<String>,
}

/// One file's chain head.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ChainHeadRow {
    pub file: String,
    /// Valid records in the file.
    pub records: u64,
    /// `seq` of the last verified record (0: none).
    pub seq: u64,
    /// Its SHA-256 `sum`, 64 hex digits; `None` for a file with no verified record.
    pub sum: Option<String>,
}
