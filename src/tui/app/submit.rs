//! A submitted form becomes a [`Command`] for the command layer, which gives the entry to
//! append or a refusal to show in the form.

use jiff::Timestamp;

use crate::command_line::LogKind;
use crate::incident::command::{Command, Context as Rules, Due, Refusal};
use crate::incident::event::Body;
use crate::tui::form::Form;
use crate::tui::keymap::QuickKind;

use super::*;

impl App {
    pub(super) fn submit(&mut self, purpose: &Purpose, form: &Form) -> Result<Vec<Effect>, String> {
        let opt = |s: String| -> Option<String> {
            let t = s.trim().to_owned();
            (!t.is_empty()).then_some(t)
        };
        let at = opt(form.get("At"));
        let command = match purpose {
            Purpose::Exercise(f) => return self.exercise_submit(f, form),
            Purpose::Quick(q) => match q {
                QuickKind::Note => Command::Note {
                    text: form.get("Text"),
                },
                QuickKind::Decision => Command::Decision {
                    text: form.get("Text"),
                },
                QuickKind::Fact => Command::Fact {
                    text: form.get("Text"),
                    confirmed: form.get("Status") != "unconfirmed",
                },
                QuickKind::Milestone => Command::Milestone {
                    id: form.get("Milestone"),
                    text: opt(form.get("Text")),
                },
                QuickKind::Severity => Command::Severity {
                    id: form.get("Severity"),
                    reason: opt(form.get("Reason")),
                },
                QuickKind::Inquiry => Command::Inquiry {
                    from: opt(form.get("From")).ok_or("who is asking? fill in From")?,
                    journalist: None,
                    within: match opt(form.get("Within")) {
                        Some(w) => Some(w.parse().map_err(|e| format!("Within: {e}"))?),
                        None => None,
                    },
                    question: form.get("Question"),
                },
                QuickKind::Action => Command::Action {
                    text: form.get("Text"),
                    owner: opt(form.get("Owner")),
                    due: match (opt(form.get("Due")), &self.incident) {
                        (Some(d), Some(iv)) => Some(
                            Due::parse(&d, &iv.data.incident.calendar)
                                .map_err(|e| format!("Due: {e}"))?,
                        ),
                        _ => None,
                    },
                },
                QuickKind::Lesson => Command::Lesson {
                    text: form.get("Text"),
                    kind: match form.get("Kind").as_str() {
                        "well" => crate::incident::LessonKind::Well,
                        "lucky" => crate::incident::LessonKind::Lucky,
                        _ => crate::incident::LessonKind::Wrong,
                    },
                },
            },
            Purpose::Approve(m) => Command::Approve {
                message: m.to_string(),
                role: form.get("Role"),
                comment: opt(form.get("Comment")),
            },
            Purpose::Send(m) => {
                let stakeholder = self
                    .incident
                    .as_ref()
                    .and_then(|iv| iv.data.incident.message(m))
                    .map(|msg| msg.stakeholder.clone())
                    .unwrap_or_default();
                Command::Sent {
                    stakeholder,
                    channel: opt(form.get("Channel")),
                    message: Some(m.to_string()),
                    fulfils: opt(form.get("Fulfils")),
                    override_reason: opt(form.get("Override")),
                    text: None,
                }
            }
            Purpose::Edit(m) => Command::Edit {
                message: m.to_string(),
                text: form.get("Text"),
            },
            Purpose::Amend(id) => {
                let inc = &self
                    .incident
                    .as_ref()
                    .ok_or("no incident is open")?
                    .data
                    .incident;
                let new_at = opt(form.get("New time"))
                    .map(|t| crate::incident::time::parse_time(&t, &inc.calendar))
                    .transpose()
                    .map_err(|e| format!("New time: {e}"))?;
                // An unchanged text is not a correction of the text.
                let text = opt(form.get("Text"))
                    .filter(|_| form.fields.iter().any(|f| f.label == "Text" && f.typed()));
                Command::Amend {
                    id: id.to_string(),
                    text,
                    new_at,
                    reason: opt(form.get("Reason")),
                }
            }
            Purpose::Retract(id) => Command::Retract {
                id: id.to_string(),
                reason: form.get("Reason"),
            },
            Purpose::Answer(q) => Command::Answer {
                inquiry: q.to_string(),
                text: form.get("Answer"),
            },
            Purpose::Compose => {
                let text = form.get("Text");
                if text.trim().is_empty() {
                    return Err("the message is empty: choose a template or write the text".into());
                }
                Command::Draft {
                    stakeholder: form.get("To"),
                    template: opt(form.get("Template")),
                    channel: opt(form.get("Channel")),
                    fills: Vec::new(),
                    text: Some(text),
                }
            }
            Purpose::Acknowledge => Command::Acknowledge {
                finding: form.get("Finding"),
                reason: form.get("Reason"),
            },
            Purpose::Command => {
                let line = form.get(":");
                let parts = shlex::split(&line).ok_or("unbalanced quotes")?;
                if parts.is_empty() || matches!(parts[0].as_str(), "help" | "?" | "-h" | "--help") {
                    self.overlay = Some(Overlay::Page(command_help()));
                    self.overlay_scroll = 0;
                    return Ok(Vec::new());
                }
                let mut argv = vec!["log".to_owned()];
                argv.extend(parts);
                let parsed = <CommandLine as clap::Parser>::try_parse_from(argv)
                    .map_err(|e| command_error(&e))?;
                let calendar = match &self.incident {
                    Some(iv) => iv.data.incident.calendar.clone(),
                    None => return Err("no incident is open".into()),
                };
                let command = parsed.kind.into_command(&calendar)?;
                if let Command::Close { text } = command {
                    // Closing stops every clock: ask first, with what is still open.
                    let iv = self.incident.as_ref().ok_or("no incident is open")?;
                    if let Some(closed) = iv.data.incident.closed_at {
                        return Err(Refusal::AlreadyClosed { at: closed }.to_string());
                    }
                    let open = still_open(&iv.data.incident, self.now);
                    self.overlay = Some(Overlay::Confirm(Confirm::CloseIncident { text, open }));
                    return Ok(Vec::new());
                }
                return self.append_checked(command, parsed.at.or(at));
            }
            Purpose::Search => {
                let q = form.get("/").trim().to_owned();
                match &mut self.incident {
                    Some(iv) => {
                        iv.search = q;
                        iv.refresh_rows(None);
                        iv.cursor[iv.view.index()] = 0;
                    }
                    None => {
                        self.start_search = q;
                        self.start_cursor = 0;
                    }
                }
                return Ok(Vec::new());
            }
            Purpose::NewIncident { exercise: true } => return self.new_exercise(form),
            Purpose::NewIncident { exercise } => {
                let playbook = form.get("Playbook");
                let entry = self
                    .start
                    .catalog
                    .get(&playbook)
                    .ok_or_else(|| format!("no playbook {playbook}"))?;
                let pb = &entry.loaded.playbook;
                let cal = crate::playbook::calendar::Calendar::of(pb);
                let detected_at = opt(form.get("Detected at"))
                    .map(|t| crate::incident::time::parse_time(&t, &cal))
                    .transpose()
                    .map_err(|e| e.to_string())?;
                let opening = crate::incident::command::opening(
                    pb,
                    &form.get("Title"),
                    opt(form.get("Severity")).as_deref(),
                    detected_at,
                    self.now,
                )
                .map_err(|r| match r {
                    Refusal::Empty { .. } => "give the incident a title".to_owned(),
                    r => r.to_string(),
                })?;
                return Ok(vec![Effect::Create {
                    playbook,
                    title: opening.title,
                    severity: opening.severity,
                    detected_at: opening.detected_at,
                    exercise: *exercise,
                }]);
            }
        };
        self.append_checked(command, at)
    }

    /// Checks a command against the open incident (the rules every front end shares), then
    /// asks for the append.
    pub(super) fn append_checked(
        &mut self,
        command: Command,
        at: Option<String>,
    ) -> Result<Vec<Effect>, String> {
        let iv = self.incident.as_mut().ok_or("no incident is open")?;
        let inc = &iv.data.incident;
        let at = at
            .map(|t| crate::incident::time::parse_time(&t, &inc.calendar))
            .transpose()
            .map_err(|e| e.to_string())?;
        let accepted = Rules::new(inc, &iv.data.events.read(), self.real_now)
            .check(command, at)
            .map_err(refused)?;
        self.append_body(accepted.body, accepted.at)
    }

    /// Asks for an already checked event to be appended to the open incident.
    pub(super) fn append_body(&mut self, body: Body, at: Timestamp) -> Result<Vec<Effect>, String> {
        let iv = self.incident.as_mut().ok_or("no incident is open")?;
        iv.save = SaveState::Saving;
        // The notice says what was recorded in words ("draft recorded — to News and trade
        // media: …"), not the journal's kind name ("message drafted recorded").
        let what = format!(
            "{} recorded — {}",
            crate::incident::describe::kind_label(&body).to_lowercase(),
            crate::incident::describe::describe(&iv.data.incident, &body)
        );
        let effect = Effect::Append {
            path: iv.data.path.clone(),
            body,
            at,
        };
        self.say(what);
        Ok(vec![effect])
    }

    pub(super) fn append_kind(&mut self, command: Command, at: Option<String>) -> Vec<Effect> {
        match self.append_checked(command, at) {
            Ok(e) => e,
            Err(e) => {
                self.warn(e);
                Vec::new()
            }
        }
    }
}

/// The `:` command line: `crisisdesk log`'s kinds without the incident argument.
#[derive(Debug, clap::Parser)]
#[command(name = "log", no_binary_name = false, disable_help_flag = true)]
struct CommandLine {
    #[command(subcommand)]
    kind: LogKind,
    #[arg(long, global = true)]
    at: Option<String>,
}

/// A clap error in one line; an unknown kind names the closest one.
fn command_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() == ErrorKind::InvalidSubcommand {
        let given = match e.get(ContextKind::InvalidSubcommand) {
            Some(ContextValue::String(s)) => s.clone(),
            _ => String::new(),
        };
        let kinds: Vec<String> = <CommandLine as clap::CommandFactory>::command()
            .get_subcommands()
            .map(|c| c.get_name().to_owned())
            .collect();
        let hint = match crate::playbook::suggest::did_you_mean(&given, &kinds) {
            Some(k) => format!(" — did you mean \"{k}\"?"),
            None => String::new(),
        };
        return format!("no kind \"{given}\"{hint} (:help lists every kind)");
    }
    e.to_string()
        .lines()
        .next()
        .unwrap_or("")
        .replace("error: ", "")
}

/// `:help`: every kind of the command line with its syntax, from the same definitions that
/// parse it.
fn command_help() -> Page {
    let cmd = <CommandLine as clap::CommandFactory>::command();
    let mut lines = vec![
        "Type a kind and its words after `:`, as `crisisdesk log` takes them (without the".into(),
        "incident folder). Every kind takes --at TIME to back-date it.".into(),
        String::new(),
    ];
    for sub in cmd.get_subcommands() {
        let mut sub = sub.clone();
        let usage = sub.render_usage().to_string();
        let usage = usage
            .trim_start_matches("Usage:")
            .trim()
            .trim_start_matches("log ")
            .to_owned();
        lines.push(usage);
        if let Some(about) = sub.get_about() {
            lines.push(format!("    {about}"));
        }
    }
    Page {
        title: " :help — the command line ".into(),
        lines,
        entry: None,
    }
}

/// What is still open in an incident, in words: running legal deadlines, unanswered
/// inquiries, drafts not sent, open actions.
pub(super) fn still_open(inc: &crate::incident::Incident, now: Timestamp) -> Vec<String> {
    let tz = inc.calendar.time_zone().clone();
    let local = |t: Timestamp| {
        t.to_zoned_datetime(tz.clone())
            .strftime("%a %d %b %H:%M")
            .to_string()
    };
    let name = |id: &str| {
        inc.playbook
            .stakeholder(id)
            .map_or(id.to_owned(), |s| s.name.clone())
    };
    let mut out = Vec::new();
    for s in inc.stakeholders.iter().filter(|s| s.in_play) {
        for d in s.deadlines.iter().filter(|d| d.met_at.is_none()) {
            if let Some(due) = d.due {
                out.push(format!(
                    "deadline: {} — {} ({}, due {}){}",
                    name(&s.id),
                    d.label,
                    if due < now { "OVERDUE" } else { "running" },
                    local(due),
                    d.basis
                        .as_deref()
                        .map(|b| format!(" [{b}]"))
                        .unwrap_or_default()
                ));
            }
        }
    }
    for q in inc.open_inquiries() {
        out.push(format!("unanswered: {} — {}", q.from, q.text));
    }
    for m in inc.drafts() {
        out.push(format!(
            "not sent: message {} to {} ({})",
            short(&m.id),
            name(&m.stakeholder),
            m.status(&inc.playbook).as_str().replace('_', " ")
        ));
    }
    for a in inc.open_actions() {
        out.push(format!("open action: {}", a.text));
    }
    out
}

/// A refusal in the console's words: on screen the override is a field, not a flag.
fn refused(r: Refusal) -> String {
    if r.can_override() {
        format!("{r} — write a reason in Override to send it anyway (the reason is recorded)")
    } else {
        r.to_string()
    }
}
