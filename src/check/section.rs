//! The "What we told whom" section of the post-incident report, as data: the figures each
//! audience heard and when, the check's findings with how each was resolved, and which
//! audiences heard the playbook's key messages.
//!
//! `crate::report` puts it in all three formats (section 3 of the report); this module decides
//! what is in it, so the report and `crisisdesk check` can never disagree.

use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use super::finding::{Finding, KeyHeard};
use super::record::Record;
use crate::incident::{Event, Incident};
use crate::journal::Stored;

/// What we told whom.
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    /// Every audience that heard a figure, in the playbook's order.
    pub audiences: Vec<AudienceHeard>,
    /// Every finding of the check as it stands (open and acknowledged), figures first.
    pub findings: Vec<FindingRow>,
    /// The playbook's key messages and who heard them.
    pub key_messages: Vec<KeyMessageRow>,
}

/// The figures one audience heard.
#[derive(Clone, Debug, Serialize)]
pub struct AudienceHeard {
    /// The stakeholder id.
    pub id: String,
    pub name: String,
    /// Its messages that stated figures, oldest first.
    pub messages: Vec<MessageFigures>,
}

/// One message's figures, as worded.
#[derive(Clone, Debug, Serialize)]
pub struct MessageFigures {
    pub message: Uuid,
    /// When it was sent.
    pub at: Timestamp,
    pub figures: Vec<String>,
}

/// A finding and how it was resolved.
#[derive(Clone, Debug, Serialize)]
pub struct FindingRow {
    #[serde(flatten)]
    pub finding: Finding,
    /// `open` (nobody acknowledged it) or `acknowledged` (see `finding.acknowledged`).
    pub resolution: &'static str,
}

/// A key message and who heard it.
#[derive(Clone, Debug, Serialize)]
pub struct KeyMessageRow {
    pub text: String,
    /// Carried by at least one message to an audience in play.
    pub given: bool,
    /// Per audience in play that was sent anything: its closest message.
    pub heard: Vec<KeyHeard>,
}

/// The section for an incident (folded from `events`).
pub fn section(incident: &Incident, events: &[Stored<Event>]) -> Section {
    of_record(&Record::new(incident, events))
}

/// The section from a record already made (the console keeps one).
pub fn of_record(record: &Record) -> Section {
    let audiences = record
        .told_whom()
        .into_iter()
        .map(|t| AudienceHeard {
            name: record.audience_name(&t.audience),
            id: t.audience,
            messages: t
                .messages
                .into_iter()
                .map(|m| MessageFigures {
                    message: m.message,
                    at: m.at,
                    figures: m.figures,
                })
                .collect(),
        })
        .collect();
    let mut findings: Vec<FindingRow> = record
        .findings()
        .into_iter()
        .map(|f| FindingRow {
            resolution: if f.is_open() { "open" } else { "acknowledged" },
            finding: f,
        })
        .collect();
    findings.sort_by_key(|r| r.finding.kind == super::Kind::KeyMessage);
    let key_messages = record
        .key_message_coverage()
        .into_iter()
        .map(|(text, heard)| KeyMessageRow {
            given: heard.iter().any(KeyHeard::carried),
            text,
            heard,
        })
        .collect();
    Section {
        audiences,
        findings,
        key_messages,
    }
}
