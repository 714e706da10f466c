//! The forms the console opens: quick entry, a new incident, approving, sending, editing,
//! answering, and the composer (audience, template, text).

use crate::incident::state::MessageStatus;
use crate::tui::form::{Field, Form};
use crate::tui::keymap::{Action, QuickKind};

use super::*;

impl App {
    pub(super) fn new_incident_form(&mut self, exercise: bool, playbook: Option<&str>) {
        let options: Vec<(String, String)> = self
            .start
            .catalog
            .entries
            .iter()
            .map(|e| {
                let pb = &e.loaded.playbook;
                (
                    pb.id.clone(),
                    format!("{} ({})", crate::sanitize::line(&pb.title), pb.id),
                )
            })
            .collect();
        if options.is_empty() {
            self.warn("no playbooks are loaded: add one to ./playbooks");
            return;
        }
        let mut pb_field = Field::choice("Playbook", options, "↑↓ to choose");
        if let (Some(id), crate::tui::form::Input::Choice { options, selected }) =
            (playbook, &mut pb_field.input)
        {
            *selected = options.iter().position(|(v, _)| v == id).unwrap_or(0);
        }
        let mut form = if exercise {
            // The playbook's injects are the MSEL; this console becomes the facilitator's.
            Form::new(
                "New tabletop EXERCISE (under ./exercises; you are its facilitator)",
                vec![
                    pb_field,
                    Field::line("Title", "", "what the exercise is called"),
                    Field::choice("Severity", Vec::new(), "↑↓ or type to choose"),
                    Field::line(
                        "Scenario starts",
                        "",
                        "the scenario's own time, e.g. a Friday 17:00 (YYYY-MM-DD HH:MM, playbook's zone)",
                    ),
                    Field::line("Speed", "1", "scenario seconds per real second, 1 to 120"),
                ],
            )
        } else {
            Form::new(
                "New incident",
                vec![
                    pb_field,
                    Field::line("Title", "", "what happened, in a few words"),
                    Field::choice("Severity", Vec::new(), "↑↓ or type to choose"),
                    Field::line(
                        "Detected at",
                        "",
                        "when the organisation learned of it (YYYY-MM-DD HH:MM, playbook's zone)",
                    ),
                ],
            )
        };
        form.focus = if playbook.is_some() { 1 } else { 0 };
        self.new_incident_playbook(&mut form);
        self.open_form(Purpose::NewIncident { exercise }, form);
    }

    /// The new-incident form follows its playbook: that playbook's severities by name, and
    /// the detection time (now, when the form opened) in that playbook's zone.
    pub(super) fn new_incident_playbook(&self, form: &mut Form) {
        let Some(entry) = self.start.catalog.get(&form.get("Playbook")) else {
            return;
        };
        let pb = &entry.loaded.playbook;
        let severities: Vec<(String, String)> = pb
            .severities
            .iter()
            .map(|s| {
                (
                    s.id.clone(),
                    format!("{} ({})", crate::sanitize::line(&s.name), s.id),
                )
            })
            .collect();
        if let Some(f) = form.field_mut("Severity") {
            *f = Field::choice("Severity", severities, "↑↓ or type to choose");
        }
        let zone = pb.timezone_name().to_owned();
        let local = jiff::tz::TimeZone::get(&zone)
            .map(|tz| {
                self.now
                    .to_zoned_datetime(tz)
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_else(|_| local_now(self.now));
        if let Some(f) = form.field_mut("Detected at")
            && !f.typed()
        {
            *f = Field::line(
                "Detected at",
                &local,
                "when the organisation learned of it (YYYY-MM-DD HH:MM in the playbook's zone)",
            );
        }
        if let Some(f) = form.field_mut("Scenario starts")
            && !f.typed()
        {
            *f = Field::line(
                "Scenario starts",
                &local,
                "the scenario's own time, e.g. a Friday 17:00 (YYYY-MM-DD HH:MM in the playbook's zone)",
            );
        }
        form.note = Some(format!("Times are in {zone}, the playbook's time zone."));
    }

    pub(super) fn quick_form(&mut self, kind: QuickKind) -> Option<Form> {
        let iv = self.incident.as_ref()?;
        let pb = &iv.data.incident.playbook;
        let when = Field::line("At", "", "when it happened, if not now (YYYY-MM-DD HH:MM)");
        let fields = match kind {
            QuickKind::Note | QuickKind::Decision => {
                let mut form = Form::new(
                    kind.title(),
                    vec![
                        Field::line("Text", "", "Enter saves; Tab to back-date"),
                        when,
                    ],
                );
                // One key, the text, Enter: the optional time is a Tab away.
                form.enter_saves = true;
                return Some(form);
            }
            QuickKind::Fact => vec![
                Field::line("Text", "", ""),
                Field::choice(
                    "Status",
                    vec![
                        ("confirmed".into(), "confirmed".into()),
                        ("unconfirmed".into(), "unconfirmed".into()),
                    ],
                    "",
                ),
                when,
            ],
            QuickKind::Milestone => {
                // Every milestone, always in the playbook's order: a key position means the
                // same milestone each time. Reached ones are shown, marked, and skipped.
                let inc = &iv.data.incident;
                let tz = inc.calendar.time_zone().clone();
                let mut disabled = Vec::new();
                let options: Vec<(String, String)> = pb
                    .milestones
                    .iter()
                    .map(|m| {
                        let name = crate::sanitize::line(&m.name).into_owned();
                        let reached = inc.milestone_at(&m.id);
                        disabled.push(reached.is_some());
                        let label = match reached {
                            Some(at) => format!(
                                "✔ {name} — reached {}",
                                at.to_zoned_datetime(tz.clone()).strftime("%a %d %b %H:%M")
                            ),
                            None => name,
                        };
                        (m.id.clone(), label)
                    })
                    .collect();
                let Some(first) = disabled.iter().position(|d| !d) else {
                    self.warn("every milestone of the playbook is already marked");
                    return None;
                };
                let mut field = Field::choice(
                    "Milestone",
                    options,
                    "↑↓ to choose (✔ reached: cannot be marked again)",
                );
                field.disabled = disabled;
                if let crate::tui::form::Input::Choice { selected, .. } = &mut field.input {
                    *selected = first;
                }
                let mut form = Form::new(
                    kind.title(),
                    vec![field, Field::line("Text", "", "optional"), when],
                );
                // Enter after the text records it, as in every quick form: the time is a Tab
                // away (Enter there moved on to it, and a ':' typed next went into the time).
                form.enter_saves_from = Some("Text");
                form.note = self.milestone_note(&form);
                return Some(form);
            }
            QuickKind::Severity => {
                let mut field = Field::choice(
                    "Severity",
                    pb.severities
                        .iter()
                        .map(|s| (s.id.clone(), crate::sanitize::line(&s.name).into_owned()))
                        .collect(),
                    "↑↓ to choose",
                );
                if let crate::tui::form::Input::Choice { selected, .. } = &mut field.input {
                    *selected = pb.severity_rank(&iv.data.incident.severity).unwrap_or(0);
                }
                vec![field, Field::line("Reason", "", "why"), when]
            }
            QuickKind::Inquiry => {
                // From, the question, Enter: the reply time and back-dating are optional.
                let mut form = Form::new(
                    kind.title(),
                    vec![
                        Field::line("From", "", "outlet or person asking"),
                        Field::line("Question", "", "Enter saves; Tab for the reply time"),
                        Field::line(
                            "Within",
                            "2h",
                            "reply deadline, e.g. 1h or 30m; empty for none",
                        ),
                        when,
                    ],
                );
                form.enter_saves_from = Some("Question");
                return Some(form);
            }
            QuickKind::Action => vec![
                Field::line("Text", "", ""),
                Field::choice(
                    "Owner",
                    std::iter::once((String::new(), "(no owner)".to_owned()))
                        .chain(pb.roles.iter().map(|r| {
                            (
                                r.id.clone(),
                                format!(
                                    "{}{} ({})",
                                    crate::sanitize::line(&r.title),
                                    r.holder
                                        .as_deref()
                                        .map(|h| format!(" — {}", crate::sanitize::line(h)))
                                        .unwrap_or_default(),
                                    r.id
                                ),
                            )
                        }))
                        .collect(),
                    "↑↓ or type a name to choose",
                ),
                Field::line("Due", "", "a duration (4h) or a time; empty for none"),
                when,
            ],
            QuickKind::Lesson => vec![
                Field::line("Text", "", ""),
                Field::choice(
                    "Kind",
                    vec![
                        ("wrong".into(), "went wrong".into()),
                        ("well".into(), "went well".into()),
                        ("lucky".into(), "got lucky".into()),
                    ],
                    "",
                ),
                when,
            ],
        };
        Some(Form::new(kind.title(), fields))
    }

    /// What marking the chosen milestone does: the clocks it starts and when each is due
    /// (from the "At" time if one is given, else now).
    pub(super) fn milestone_note(&self, form: &Form) -> Option<String> {
        let iv = self.incident.as_ref()?;
        let inc = &iv.data.incident;
        let id = form.get("Milestone");
        let at = crate::incident::time::parse_time(form.get("At").trim(), &inc.calendar)
            .unwrap_or(self.now);
        let tz = inc.calendar.time_zone().clone();
        let mut starts = Vec::new();
        for s in &inc.playbook.stakeholders {
            for d in s.deadlines.iter().filter(|d| d.from == id) {
                let due = inc.calendar.add(at, &d.within);
                starts.push(format!(
                    "{} — {} due {}{}",
                    crate::sanitize::line(&s.name),
                    crate::sanitize::line(&d.label),
                    due.to_zoned_datetime(tz.clone())
                        .strftime("%a %d %b %H:%M %Z"),
                    // The law's name; its wording is in the audience's detail.
                    d.basis
                        .as_deref()
                        .map(|b| format!(
                            " ({})",
                            crate::sanitize::line(b.split(':').next().unwrap_or(b).trim())
                        ))
                        .unwrap_or_default()
                ));
            }
        }
        Some(if starts.is_empty() {
            "Starts no deadline clock.".to_owned()
        } else {
            format!("Starts: {}", starts.join(" · "))
        })
    }

    pub(super) fn message_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(id) = self.selected_message() else {
            self.warn("no message selected: compose one with c");
            return Vec::new();
        };
        let iv = self.incident.as_ref().expect("selected above");
        let inc = &iv.data.incident;
        let m = inc.message(&id).expect("selected above").clone();
        if m.sent.is_some() {
            self.warn("that message was already sent");
            return Vec::new();
        }
        let pb = &inc.playbook;
        match action {
            Action::Approve => {
                if let MessageStatus::Draft { blanks } = m.status(pb) {
                    self.warn(format!(
                        "cannot approve: blanks to fill first: {}",
                        blanks.join(", ")
                    ));
                    return Vec::new();
                }
                let missing = m.missing_approvals(pb);
                let mut roles: Vec<(String, String)> = missing
                    .iter()
                    .chain(
                        pb.roles
                            .iter()
                            .map(|r| &r.id)
                            .filter(|r| !missing.contains(r)),
                    )
                    .filter_map(|r| pb.role(r))
                    .map(|r| (r.id.clone(), crate::sanitize::line(&r.title).into_owned()))
                    .collect();
                roles.dedup();
                let form = Form::new(
                    "Approve as",
                    vec![
                        Field::choice(
                            "Role",
                            roles,
                            "roles still needed come first; Enter approves",
                        ),
                        Field::line("Comment", "", "optional"),
                        Field::line("At", "", "when it was approved, if not now"),
                    ],
                );
                let mut form = form;
                form.enter_saves = true;
                self.open_form(Purpose::Approve(id), form);
            }
            Action::Send => {
                let status = m.status(pb);
                let needs_override = matches!(status, MessageStatus::AwaitingApproval { .. });
                if let MessageStatus::Draft { blanks } = status {
                    self.warn(format!(
                        "cannot send: blanks to fill first: {}",
                        blanks.join(", ")
                    ));
                    return Vec::new();
                }
                let mut fields = vec![
                    Field::line(
                        "Channel",
                        m.channel.as_deref().unwrap_or(""),
                        "how it went out",
                    ),
                    Field::choice(
                        "Fulfils",
                        std::iter::once((
                            String::new(),
                            "(the earliest running deadline)".to_owned(),
                        ))
                        .chain(
                            inc.stakeholder(&m.stakeholder)
                                .map(|st| {
                                    st.deadlines
                                        .iter()
                                        .filter(|d| d.met_at.is_none())
                                        .map(|d| {
                                            (
                                                d.key.clone(),
                                                crate::sanitize::line(&d.label).into_owned(),
                                            )
                                        })
                                        .collect::<Vec<_>>()
                                })
                                .unwrap_or_default(),
                        )
                        .collect(),
                        "the deadline this message meets",
                    ),
                ];
                if needs_override {
                    fields.push(Field::line(
                        "Override",
                        "",
                        "approvals are missing: a reason sends it anyway, and is recorded",
                    ));
                }
                fields.push(Field::line(
                    "At",
                    "",
                    "when it went out, if not now (YYYY-MM-DD HH:MM)",
                ));
                let mut form = Form::new("Mark sent", fields);
                // Most sends change nothing here: Enter records it; Tab reaches the rest.
                form.enter_saves = true;
                self.open_form(Purpose::Send(id), form);
            }
            Action::Edit => self.open_edit_form(id, &m.text, false),
            Action::ExternalEditor => {
                return vec![Effect::ExternalEditor {
                    message: id,
                    text: m.text,
                }];
            }
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn open_composer(&mut self) {
        let Some(iv) = &self.incident else { return };
        let inc = &iv.data.incident;
        let pb = &inc.playbook;
        let to: Vec<(String, String)> = inc
            .stakeholders
            .iter()
            .filter(|s| s.in_play)
            .filter_map(|s| pb.stakeholder(&s.id))
            .map(|s| (s.id.clone(), crate::sanitize::line(&s.name).into_owned()))
            .collect();
        let mut templates = vec![(String::new(), "(blank)".to_owned())];
        templates.extend(
            pb.templates
                .iter()
                .map(|t| (t.id.clone(), crate::sanitize::line(&t.title).into_owned())),
        );
        let form = Form::new(
            "Compose — to, template, then the text",
            vec![
                Field::choice("To", to, "↑↓ the audience"),
                Field::choice("Template", templates, "↑↓ a template; Enter fills it in"),
                Field::line("Channel", "", "optional"),
                Field::multi(
                    "Text",
                    "",
                    "Ctrl-s saves the draft; fill every {{fill:…}} blank",
                ),
            ],
        );
        if self.stash.iter().any(|(p, _)| *p == Purpose::Compose) {
            self.open_form(Purpose::Compose, form);
            return;
        }
        self.overlay = Some(Overlay::Form(Purpose::Compose, Box::new(form)));
        self.composer_to = String::new();
        self.composer_template = String::new();
        // List the first audience's templates first, and fill in the first of them.
        self.composer_changed();
    }

    /// After a key in the composer: a new audience lists its templates first; a new
    /// template (or audience) sets the channel and the text from it — asking first when the
    /// text is the person's own.
    pub(super) fn composer_changed(&mut self) {
        let Some(Overlay::Form(Purpose::Compose, form)) = &self.overlay else {
            return;
        };
        let to = form.get("To");
        let audience_changed = to != self.composer_to;
        if audience_changed {
            self.composer_to = to;
            self.composer_templates();
        }
        let Some(Overlay::Form(Purpose::Compose, form)) = &mut self.overlay else {
            return;
        };
        let template = form.get("Template");
        if !audience_changed && template == self.composer_template {
            return;
        }
        self.composer_template = template;
        let typed = form.fields.iter().any(|f| f.label == "Text" && f.typed());
        if typed {
            let label = match &form
                .fields
                .iter()
                .find(|f| f.label == "Template")
                .map(|f| &f.input)
            {
                Some(crate::tui::form::Input::Choice { options, selected }) => options
                    .get(*selected)
                    .map(|(_, l)| l.trim_end_matches(" ★").to_owned())
                    .unwrap_or_default(),
                _ => String::new(),
            };
            form.ask = Some(crate::tui::form::Ask::Replace { template: label });
            // The channel goes with the template either way.
            self.composer_fill(false);
        } else {
            self.composer_fill(true);
        }
    }

    /// Lists the templates written for the chosen audience first, then a blank message,
    /// then the rest; the first is chosen.
    fn composer_templates(&mut self) {
        let Some(Overlay::Form(Purpose::Compose, form)) = &mut self.overlay else {
            return;
        };
        let Some(iv) = &self.incident else { return };
        let pb = &iv.data.incident.playbook;
        let to = form.get("To");
        let label = |t: &crate::playbook::Template| crate::sanitize::line(&t.title).into_owned();
        let mut options: Vec<(String, String)> = pb
            .templates
            .iter()
            .filter(|t| t.stakeholders.contains(&to))
            .map(|t| (t.id.clone(), format!("{} ★", label(t))))
            .collect();
        options.push((String::new(), "(blank)".to_owned()));
        options.extend(
            pb.templates
                .iter()
                .filter(|t| !t.stakeholders.contains(&to))
                .map(|t| (t.id.clone(), label(t))),
        );
        if let Some(f) = form.field_mut("Template") {
            *f = Field::choice(
                "Template",
                options,
                "↑↓ a template (★ written for this audience)",
            );
        }
    }

    /// Sets the composer's channel from its chosen template (unless the person typed one),
    /// and with `text` its text too: the template filled in for the audience, or nothing for
    /// "(blank)".
    pub fn composer_fill(&mut self, text: bool) {
        let Some(Overlay::Form(Purpose::Compose, form)) = &mut self.overlay else {
            return;
        };
        let Some(iv) = &self.incident else { return };
        let inc = &iv.data.incident;
        let tid = form.get("Template");
        let to = form.get("To");
        let t = inc.playbook.template(&tid);
        if text {
            let body = t
                .map(|t| crate::incident::compose::fill_template(inc, &t.body, &to, self.now))
                .unwrap_or_default();
            if let Some(f) = form.field_mut("Text") {
                *f = Field::multi("Text", &body, "Tab: next blank · Ctrl-s saves the draft");
            }
        }
        if let Some(f) = form.field_mut("Channel")
            && !f.typed()
        {
            *f = Field::line(
                "Channel",
                t.and_then(|t| t.channel.as_deref()).unwrap_or(""),
                "optional",
            );
        }
    }

    /// The edit form of a message, holding `text`; `elsewhere` when the text comes from
    /// `$EDITOR` or was recovered (then it counts as typed, and replaces a form left earlier).
    pub(super) fn open_edit_form(&mut self, id: uuid::Uuid, text: &str, elsewhere: bool) {
        let mut form = Form::new(
            "Edit draft (Ctrl-s saves; approvals given so far will no longer count)",
            vec![Field::multi("Text", text, "Tab: next blank · Ctrl-s saves")],
        );
        if elsewhere {
            // Not the recorded text: Esc asks before it goes.
            form.fields[0].baseline = self
                .incident
                .as_ref()
                .and_then(|iv| iv.data.incident.message(&id))
                .map(|m| m.text.clone())
                .unwrap_or_default();
            self.stash.retain(|(p, _)| *p != Purpose::Edit(id));
        }
        self.open_form(Purpose::Edit(id), form);
    }

    /// A form to acknowledge one of the check's open findings with a reason.
    pub(super) fn acknowledge_form(&mut self) {
        let Some(iv) = &self.incident else { return };
        let check = &iv.data.check;
        let options: Vec<(String, String)> = check
            .findings
            .iter()
            .filter(|f| f.is_open())
            .map(|f| {
                let about = f.subject.as_deref().unwrap_or("");
                (
                    f.id.clone(),
                    crate::sanitize::line(&format!("{} {} {about}", f.kind.as_str(), f.id))
                        .into_owned(),
                )
            })
            .collect();
        if options.is_empty() {
            self.say("the check has no open findings: nothing to acknowledge");
            return;
        }
        let form = Form::new(
            "Acknowledge a finding of the check",
            vec![
                Field::choice(
                    "Finding",
                    options,
                    "↑↓ the finding (the Messages view shows each in full)",
                ),
                Field::line(
                    "Reason",
                    "",
                    "why it is all right — recorded; the finding stops warning",
                ),
            ],
        );
        self.open_form(Purpose::Acknowledge, form);
    }

    /// The amend (`E`) or retract (`R`) form of a journal entry.
    pub(super) fn correction_form(&mut self, action: Action, id: uuid::Uuid) {
        let found = self.incident.as_ref().and_then(|iv| {
            let inc = &iv.data.incident;
            let events = iv.data.events.read();
            let s = events.iter().find(|s| s.entry.id == id)?;
            let what = format!(
                "{} {}",
                crate::incident::describe::kind_label(&s.entry.body),
                crate::tui::rows::short(&id)
            );
            // The text as it reads now: the latest amendment's, else the entry's own.
            let current =
                inc.amended
                    .get(&id)
                    .and_then(|list| {
                        list.iter().rev().find_map(|a| {
                            events.iter().find(|e| e.entry.id == *a).and_then(|e| {
                                match &e.entry.body {
                                    Body::Amend { text, .. } => text.clone(),
                                    _ => None,
                                }
                            })
                        })
                    })
                    .or_else(|| s.entry.body.text().map(str::to_owned))
                    .unwrap_or_default();
            Some((what, current))
        });
        let Some((what, current)) = found else {
            self.warn("that entry is not in the journal");
            return;
        };
        let (purpose, form) = if action == Action::Retract {
            let mut form = Form::new(
                format!("Retract {what} (it stays on record, struck out)"),
                vec![Field::line(
                    "Reason",
                    "",
                    "why it is withdrawn; Enter retracts",
                )],
            );
            form.enter_saves = true;
            (Purpose::Retract(id), form)
        } else {
            (
                Purpose::Amend(id),
                Form::new(
                    format!("Amend {what} (the original stays on record)"),
                    vec![
                        Field::line(
                            "Text",
                            &current,
                            "the corrected text; Ctrl-a selects it all",
                        ),
                        Field::line(
                            "New time",
                            "",
                            "when it really happened, if that was wrong (YYYY-MM-DD HH:MM)",
                        ),
                        Field::line("Reason", "", "optional: why it is corrected"),
                    ],
                ),
            )
        };
        self.open_form(purpose, form);
    }

    /// The answer form of the selected inquiry. Opening it records that this person is
    /// writing the answer (every console shows it); when someone else already answered or is
    /// answering, the form says who, first.
    pub(super) fn answer_form(&mut self) -> Vec<Effect> {
        let Some(iv) = &self.incident else {
            return Vec::new();
        };
        let inc = &iv.data.incident;
        let order = crate::tui::rows::media_order(inc, self.now);
        let Some(q) = order
            .get(iv.cursor[View::Media.index()].min(order.len().saturating_sub(1)))
            .map(|&i| inc.inquiries[i].clone())
        else {
            self.warn("no inquiry selected: log one with i");
            return Vec::new();
        };
        let tz = inc.calendar.time_zone().clone();
        let local = |t: jiff::Timestamp| {
            t.to_zoned_datetime(tz.clone())
                .strftime("%H:%M")
                .to_string()
        };
        // Who is named by console: one person's two consoles are two writers.
        let me_owned = iv.data.console.clone();
        let me = me_owned.as_str();
        let who = |by: &str, console: &str| {
            let name = crate::tui::rows::inquiry_console(&q, &self.presence, by, console, false);
            if console == me {
                format!("{name} (this console)")
            } else {
                name
            }
        };
        // What is being answered, in full: the list cuts it at the screen's edge.
        let asked = format!(
            "{}{} asked at {}: \"{}\"",
            crate::sanitize::line(&q.from),
            q.journalist
                .as_deref()
                .map(|j| format!(" ({})", crate::sanitize::line(j)))
                .unwrap_or_default(),
            local(q.received_at),
            crate::sanitize::line(&q.text)
        );
        let mut warnings = Vec::new();
        for a in &q.answers {
            warnings.push(format!(
                "ALREADY ANSWERED by {} at {}: \"{}\"",
                who(&a.by, &a.console),
                local(a.at),
                crate::sanitize::line(&a.text)
            ));
        }
        let last_answer = q.answers.iter().map(|a| a.at).max();
        // Everyone else writing an answer since the last one (each console once).
        let mut named: Vec<&str> = Vec::new();
        for c in &q.claims {
            if c.console.as_str() != me
                && last_answer.is_none_or(|t| c.at > t)
                && !named.contains(&c.console.as_str())
            {
                named.push(c.console.as_str());
                warnings.push(format!(
                    "BEING ANSWERED by {} (since {})",
                    who(&c.by, &c.console),
                    local(c.at)
                ));
            }
        }
        let mine = q.claims.iter().any(|c| c.console.as_str() == me)
            || q.answers.iter().any(|a| a.console.as_str() == me);
        let mut form = Form::new(
            format!("Answer to {}", crate::sanitize::line(&q.from)),
            vec![Field::line("Answer", "", "what was said, in short")],
        );
        form.note = Some(if warnings.is_empty() {
            asked
        } else {
            format!(
                "⚠ {} — agree who answers before you do · {asked}",
                warnings.join(" · ")
            )
        });
        self.open_form(Purpose::Answer(q.id), form);
        if mine {
            return Vec::new();
        }
        // Everyone else sees "being answered by" at once.
        let notice = self.notice.clone();
        let effects = self
            .append_checked(
                crate::incident::command::Command::Claim {
                    inquiry: q.id.to_string(),
                },
                None,
            )
            .unwrap_or_default();
        self.notice = notice;
        effects
    }
}
