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
    /// The after-action report's own parts; absent (not `null`) in a post-incident report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exercise: Option<ExercisePart>,
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

/// An exercise's after-action report (HSEEP AAR/IP): overview, each inject with its expected
/// actions, ratings and evidence, and the ratings summary. Times are scenario time unless the
/// field says `real`.
#[derive(Clone, Debug, Serialize)]
pub struct ExercisePart {
    /// Always `tabletop`.
    pub scope: &'static str,
    /// Scenario time the exercise began at (also `incident.detected_at`).
    pub scenario_start: Timestamp,
    /// Scenario time it ended at (or had reached at `incident.as_of`, while it runs).
    pub scenario_end: Timestamp,
    /// Real time the exercise was created.
    pub real_created_at: Timestamp,
    /// Real time the facilitator started the clock; `None` if never started.
    pub real_started_at: Option<Timestamp>,
    /// Real time it was closed; `None` while it runs.
    pub real_ended_at: Option<Timestamp>,
    /// Where the clock stood at `incident.as_of`: `not_started`, `running`, `paused`, `ended`.
    pub clock: crate::exercise::Phase,
    /// Scenario seconds per real second it was planned at.
    pub planned_speed: u32,
    pub msel: MselInfo,
    /// Everyone who wrote in the journal (the exercise clock's own deliveries aside).
    pub participants: Vec<Participant>,
    /// The playbook's roles, for the names of owners, addressees and participants' roles.
    pub roles: Vec<RoleRow>,
    /// Planned injects by due time, then improvised ones as delivered.
    pub injects: Vec<InjectRow>,
    pub ratings_summary: RatingsSummary,
    /// How evidence is tied to an inject.
    pub evidence_how: String,
    /// Exercise entries that could not be applied, in words.
    pub anomalies: Vec<String>,
}

/// The master scenario events list used.
#[derive(Clone, Debug, Serialize)]
pub struct MselInfo {
    /// The CSV file the injects came from; `None` when they are the playbook's.
    pub source: Option<String>,
    /// Injects planned.
    pub planned: usize,
    /// Injects the facilitator wrote on the spot.
    pub improvised: usize,
}

/// A role of the playbook.
#[derive(Clone, Debug, Serialize)]
pub struct RoleRow {
    pub id: String,
    pub title: String,
}

/// Someone seen in the journal.
#[derive(Clone, Debug, Serialize)]
pub struct Participant {
    pub name: Name,
    /// Playbook roles they acted in (approvals and objections name the role), in the order
    /// first seen.
    pub roles: Vec<String>,
    /// `facilitator` (plan, clock, skips, early or improvised injects, closing), `evaluator`
    /// (ratings), `player` (anything done in response to the scenario).
    pub functions: Vec<&'static str>,
    /// Entries they wrote.
    pub entries: usize,
    /// Consoles they wrote from.
    pub consoles: Vec<Name>,
}

/// One inject and what became of it.
#[derive(Clone, Debug, Serialize)]
pub struct InjectRow {
    pub id: String,
    /// When it is due after the scenario start, as in the MSEL (`1h20m`).
    pub at: String,
    /// When it was due, in scenario time (an improvised inject: when it was delivered).
    pub due: Timestamp,
    /// `pending` (never delivered), `delivered` or `skipped`.
    pub state: crate::exercise::InjectStatus,
    pub improvised: bool,
    /// Delivered by the facilitator before its time.
    pub early: bool,
    /// While the exercise runs, what an inject not yet delivered says and expects is left out
    /// (players never see an inject before it arrives): `kind`, `from`, `to`, `channel`,
    /// `subject`, `audience` are `None` or empty, and so is each expected action's `text`.
    pub withheld: bool,
    pub kind: Option<crate::playbook::model::InjectKind>,
    pub from: String,
    /// The player role it was addressed to.
    pub to: Option<String>,
    pub channel: Option<String>,
    pub subject: Option<String>,
    /// The inject's message as the MSEL has it.
    pub text: String,
    /// The audience it speaks for.
    pub audience: Option<String>,
    pub delivered_at: Option<Timestamp>,
    /// Real time the delivery was recorded.
    pub delivered_real_at: Option<Timestamp>,
    pub delivered_by: Option<Name>,
    pub skipped_at: Option<Timestamp>,
    pub skipped_by: Option<Name>,
    pub skip_reason: Option<String>,
    /// Reply deadline (inquiries and requests with one, once delivered).
    pub reply_by: Option<Timestamp>,
    /// First answer to the inquiry or request it became.
    pub replied_at: Option<Timestamp>,
    /// Delivery → first answer.
    pub reply_seconds: Option<i64>,
    /// `met`, `late`, `missed` or `running` at `incident.as_of`; `None` without a reply
    /// deadline.
    pub reply: Option<ReportDeadlineState>,
    /// What evaluators expected players to do, each with its ratings.
    pub expectations: Vec<Expectation>,
    /// What players did, from its delivery until the next inject arrived, and any answer to it.
    pub evidence: Vec<EvidenceRow>,
}

/// One expected action of an inject.
#[derive(Clone, Debug, Serialize)]
pub struct Expectation {
    /// Counted from 1, as evaluators rate it.
    pub item: u32,
    pub text: String,
    /// The rating in force (the latest); `None`: not rated.
    pub rating: Option<crate::incident::event::Rating>,
    /// The note of the rating in force.
    pub note: Option<String>,
    pub rated_at: Option<Timestamp>,
    pub rated_by: Option<Name>,
    /// Every rating given, oldest first; all but the last were replaced.
    pub ratings: Vec<RatingRow>,
}

/// A rating as an evaluator recorded it.
#[derive(Clone, Debug, Serialize)]
pub struct RatingRow {
    /// The rating entry's id.
    pub id: Uuid,
    pub rating: crate::incident::event::Rating,
    pub note: Option<String>,
    pub at: Timestamp,
    pub by: Name,
    /// A later rating of the same expected action replaced it.
    pub replaced: bool,
}

/// Something players did after an inject.
#[derive(Clone, Debug, Serialize)]
pub struct EvidenceRow {
    /// The journal entry.
    pub id: Uuid,
    pub at: Timestamp,
    /// How long after the inject's delivery, in scenario time.
    pub after_seconds: i64,
    pub by: Name,
    /// The entry's kind in the journal (`message_sent`, `inquiry_answered`…).
    pub kind: &'static str,
    /// The entry in words, exactly as typed (amended text applied).
    pub text: String,
    /// It answers the inquiry or request this inject became.
    pub answers_inject: bool,
}

/// How the expected actions were rated: the rating in force of each.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RatingsSummary {
    /// Performed without challenges.
    #[serde(rename = "P")]
    pub performed: usize,
    /// Performed with some challenges.
    #[serde(rename = "S")]
    pub some_challenges: usize,
    /// Performed with major challenges.
    #[serde(rename = "M")]
    pub major_challenges: usize,
    /// Unable to be performed.
    #[serde(rename = "U")]
    pub unable: usize,
    /// Expected actions of delivered injects with no rating.
    pub not_rated: usize,
    /// Expected actions of injects never delivered (skipped or pending), with no rating.
    pub not_played: usize,
    /// Every expected action: the sum of the above.
    pub expected: usize,
    pub how: String,
}

impl RatingsSummary {
    /// The count of one rating.
    pub fn count(&self, r: crate::incident::event::Rating) -> usize {
        use crate::incident::event::Rating;
        match r {
            Rating::Performed => self.performed,
            Rating::SomeChallenges => self.some_challenges,
            Rating::MajorChallenges => self.major_challenges,
            Rating::Unable => self.unable,
        }
    }
}
