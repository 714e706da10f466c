//! The words of `crisisdesk log`, shared by the command line and the console's `:` line:
//! argv words in, an [`incident::Command`](crate::incident::Command) out.
//!
//! This is front-end code (it uses clap); the rules of what may be recorded are not here but
//! in the command layer, `crate::incident::command`.

use clap::Subcommand;

use crate::incident::command::{Command, Due};
use crate::incident::event::LessonKind;
use crate::playbook::calendar::Calendar;
use crate::playbook::duration::Duration;

/// The kinds of entry `crisisdesk log` appends.
#[derive(Clone, Debug, Subcommand)]
pub enum LogKind {
    /// Something worth recording.
    Note {
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// A decision taken (say in the text who took it).
    Decision {
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// A fact: confirmed unless --unconfirmed.
    Fact {
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        #[arg(long)]
        unconfirmed: bool,
    },
    /// Mark a playbook milestone (starts the clocks that run from it).
    Milestone { id: String, text: Vec<String> },
    /// Change the severity.
    Severity { id: String, text: Vec<String> },
    /// Draft a message to a stakeholder, from a template (placeholders filled) or a text.
    Draft {
        /// The stakeholder (audience) id from the playbook.
        #[arg(long)]
        stakeholder: String,
        /// A template id from the playbook; its placeholders are filled from the incident.
        #[arg(long)]
        template: Option<String>,
        /// How it goes or went out (email, press release, phone…).
        #[arg(long)]
        channel: Option<String>,
        /// Fill a blank: --fill count=1200 (repeatable).
        #[arg(long = "fill", value_name = "NAME=VALUE")]
        fills: Vec<String>,
        text: Vec<String>,
    },
    /// Replace the text of a draft (approvals given so far no longer count).
    Edit {
        message: String,
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Approve a draft as a role.
    Approve {
        message: String,
        /// A role id from the playbook.
        #[arg(long)]
        role: String,
        /// A remark recorded with the approval.
        #[arg(long)]
        comment: Option<String>,
    },
    /// Object to a draft as a role (it cannot be sent until that role approves).
    Object {
        message: String,
        /// A role id from the playbook.
        #[arg(long)]
        role: String,
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Record that a message went out.
    Sent {
        /// The stakeholder (audience) id from the playbook.
        #[arg(long)]
        stakeholder: String,
        /// How it goes or went out (email, press release, phone…).
        #[arg(long)]
        channel: Option<String>,
        /// The approved draft that was sent.
        #[arg(long, conflicts_with = "text")]
        message: Option<String>,
        /// The deadline it meets (id or label); default: the earliest-due running one.
        #[arg(long)]
        fulfils: Option<String>,
        /// Send without every approval; the reason is recorded.
        #[arg(long = "override", value_name = "REASON")]
        override_reason: Option<String>,
        /// The text sent, when there is no draft.
        text: Vec<String>,
    },
    /// A journalist's question.
    Inquiry {
        /// Outlet or person asking.
        #[arg(long)]
        from: String,
        /// The journalist, when the outlet is in --from.
        #[arg(long)]
        journalist: Option<String>,
        /// Reply deadline, e.g. 2h.
        #[arg(long)]
        within: Option<Duration>,
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// A stakeholder's request.
    Request {
        /// The stakeholder (audience) id from the playbook.
        #[arg(long)]
        stakeholder: String,
        /// Reply deadline, e.g. 2h, 30m or 1bd.
        #[arg(long)]
        within: Option<Duration>,
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Coverage seen in the media.
    Mention {
        /// Where it appeared (outlet, account, programme).
        #[arg(long)]
        source: String,
        /// A link to it.
        #[arg(long)]
        url: Option<String>,
        /// positive, neutral, negative… (free text).
        #[arg(long)]
        sentiment: Option<String>,
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Reply to an inquiry or request.
    Answer {
        inquiry: String,
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// A follow-up action.
    Action {
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// Role id responsible.
        #[arg(long)]
        owner: Option<String>,
        /// A duration from now (4h) or a time.
        #[arg(long, value_name = "DURATION|TIME")]
        due: Option<String>,
    },
    /// Tick a checklist item (its id) or finish an action (its id).
    Done { id: String },
    /// A lesson for the review: went well, went wrong (default), or got lucky.
    Lesson {
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        #[arg(long, value_enum, default_value = "wrong")]
        kind: LessonArg,
    },
    /// Correct an earlier entry's text and/or time.
    Amend {
        id: String,
        /// When it really happened.
        #[arg(long, value_name = "TIME")]
        new_at: Option<String>,
        #[arg(long)]
        reason: Option<String>,
        text: Vec<String>,
    },
    /// Withdraw an earlier entry (it stays in the record, marked retracted).
    Retract {
        id: String,
        #[arg(required = true, num_args = 1..)]
        reason: Vec<String>,
    },
    /// Close the incident.
    Close { text: Vec<String> },
    /// Accept a finding of `crisisdesk check` with a reason: it stops warning and stays in
    /// the record and the report.
    Acknowledge {
        /// The finding's id, as `crisisdesk check` prints it (or its first 6 or more digits).
        finding: String,
        /// Why it is all right ("the regulator has the newer count; press update at 12:00").
        #[arg(required = true, num_args = 1..)]
        reason: Vec<String>,
    },
}

/// `--kind` of a lesson.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum LessonArg {
    Well,
    Wrong,
    Lucky,
}

fn join(words: Vec<String>) -> String {
    words.join(" ").trim().to_owned()
}

fn join_opt(words: Vec<String>) -> Option<String> {
    Some(join(words)).filter(|t| !t.is_empty())
}

impl LogKind {
    /// The command these words ask for. Errors are about the words themselves (a `--fill`
    /// without `=`, a `--due` that is neither a duration nor a time); the incident's rules are
    /// checked afterwards by the command layer.
    pub fn into_command(self, calendar: &Calendar) -> Result<Command, String> {
        Ok(match self {
            LogKind::Note { text } => Command::Note { text: join(text) },
            LogKind::Decision { text } => Command::Decision { text: join(text) },
            LogKind::Fact { text, unconfirmed } => Command::Fact {
                text: join(text),
                confirmed: !unconfirmed,
            },
            LogKind::Milestone { id, text } => Command::Milestone {
                id,
                text: join_opt(text),
            },
            LogKind::Severity { id, text } => Command::Severity {
                id,
                reason: join_opt(text),
            },
            LogKind::Draft {
                stakeholder,
                template,
                channel,
                fills,
                text,
            } => Command::Draft {
                text: match (&template, join_opt(text)) {
                    (Some(_), Some(_)) => {
                        return Err(
                            "give either --template or a text, not both (edit the draft afterwards)"
                                .into(),
                        );
                    }
                    (_, t) => t,
                },
                stakeholder,
                template,
                channel,
                fills: fills
                    .iter()
                    .map(|f| {
                        f.split_once('=')
                            .map(|(n, v)| (n.to_owned(), v.to_owned()))
                            .ok_or_else(|| format!("--fill {f}: write it as NAME=VALUE"))
                    })
                    .collect::<Result<_, _>>()?,
            },
            LogKind::Edit { message, text } => Command::Edit {
                message,
                text: join(text),
            },
            LogKind::Approve {
                message,
                role,
                comment,
            } => Command::Approve {
                message,
                role,
                comment,
            },
            LogKind::Object {
                message,
                role,
                text,
            } => Command::Object {
                message,
                role,
                comment: join(text),
            },
            LogKind::Sent {
                stakeholder,
                channel,
                message,
                fulfils,
                override_reason,
                text,
            } => Command::Sent {
                stakeholder,
                channel,
                message,
                fulfils,
                override_reason,
                text: join_opt(text),
            },
            LogKind::Inquiry {
                from,
                journalist,
                within,
                text,
            } => Command::Inquiry {
                from,
                journalist,
                within,
                question: join(text),
            },
            LogKind::Request {
                stakeholder,
                within,
                text,
            } => Command::Request {
                stakeholder,
                within,
                text: join(text),
            },
            LogKind::Mention {
                source,
                url,
                sentiment,
                text,
            } => Command::Mention {
                source,
                url,
                sentiment,
                text: join(text),
            },
            LogKind::Answer { inquiry, text } => Command::Answer {
                inquiry,
                text: join(text),
            },
            LogKind::Action { text, owner, due } => Command::Action {
                text: join(text),
                owner,
                due: due
                    .map(|d| Due::parse(&d, calendar))
                    .transpose()
                    .map_err(|e| format!("--{e}"))?,
            },
            LogKind::Done { id } => Command::Done { id },
            LogKind::Lesson { text, kind } => Command::Lesson {
                text: join(text),
                kind: kind.into(),
            },
            LogKind::Amend {
                id,
                new_at,
                reason,
                text,
            } => Command::Amend {
                id,
                text: join_opt(text),
                new_at: new_at
                    .map(|t| crate::incident::time::parse_time(&t, calendar))
                    .transpose()
                    .map_err(|e| format!("--new-at: {e}"))?,
                reason,
            },
            LogKind::Retract { id, reason } => Command::Retract {
                id,
                reason: join(reason),
            },
            LogKind::Close { text } => Command::Close {
                text: join_opt(text),
            },
            LogKind::Acknowledge { finding, reason } => Command::Acknowledge {
                finding,
                reason: join(reason),
            },
        })
    }
}

impl From<LessonArg> for LessonKind {
    fn from(a: LessonArg) -> LessonKind {
        match a {
            LessonArg::Well => LessonKind::Well,
            LessonArg::Wrong => LessonKind::Wrong,
            LessonArg::Lucky => LessonKind::Lucky,
        }
    }
}
