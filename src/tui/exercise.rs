//! The exercise side of the console: every console on an exercise delivers injects when their
//! time comes (on the I/O worker), a player's console rings when one arrives, and the
//! facilitator's console runs the clock, delivers early, skips, improvises and rates.
//!
//! The rules are the command layer's; this only turns keys and forms into commands and
//! deliveries into what the screens show.

use std::collections::HashSet;

use jiff::Timestamp;
use uuid::Uuid;

use super::app::Effect;
use super::form::{Field, Form};
use super::keymap::Action;
use super::model::{App, Overlay, Page, Purpose, SaveState, View};
use crate::exercise::{ClockOp, Exercise, InjectState, InjectStatus, Phase};
use crate::incident::command::{Command, Context};
use crate::incident::event::{Body, Rating};
use crate::playbook::model::{Inject, InjectKind};
use crate::sanitize;

/// The speeds `+` and `-` step through.
pub const SPEEDS: [u32; 8] = [1, 2, 5, 10, 20, 30, 60, 120];

/// A delivery pass not answered within this long is asked for again.
const PASS_PATIENCE_SECS: i64 = 10;

/// The exercise side of one console.
#[derive(Debug, Default)]
pub struct Drill {
    /// This console is the facilitator's (`crisisdesk open DIR --facilitator`, or the one that
    /// created the exercise).
    pub facilitator: bool,
    /// Deliveries this console has already seen (their entry ids): only new ones ring.
    seen: HashSet<Uuid>,
    /// Injects that arrived while this console was open and were not yet taken, oldest first.
    pub ringing: Vec<Ringing>,
    /// When this console last asked its worker for a delivery pass (real time), until the
    /// incident is read again.
    asked: Option<Timestamp>,
}

/// An inject ringing on a player's screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Ringing {
    /// The delivery entry.
    pub event: Uuid,
    /// As players received it.
    pub inject: Inject,
    /// Scenario time it arrived.
    pub at: Timestamp,
}

/// The facilitator's forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExerciseForm {
    /// Rate an expected action of this inject.
    Rate(String),
    /// Skip this inject.
    Skip(String),
    Improvise,
    JumpBy,
}

impl ExerciseForm {
    /// The key that opens it.
    pub fn action(&self) -> Action {
        match self {
            ExerciseForm::Rate(_) => Action::RateInject,
            ExerciseForm::Skip(_) => Action::SkipInject,
            ExerciseForm::Improvise => Action::Improvise,
            ExerciseForm::JumpBy => Action::JumpBy,
        }
    }
}

/// The injects a delivery in this fold stands for: delivery entry id → inject.
fn deliveries(ex: &Exercise) -> impl Iterator<Item = (Uuid, &InjectState)> {
    ex.injects
        .iter()
        .filter_map(|i| i.delivered.as_ref().map(|d| (d.event, i)))
}

impl App {
    /// The open exercise, if an exercise is open.
    pub fn exercise(&self) -> Option<&Exercise> {
        self.incident
            .as_ref()
            .and_then(|iv| iv.data.incident.exercise_state.as_deref())
    }

    /// Whether this console is facilitating the open exercise.
    pub fn facilitating(&self) -> bool {
        self.drill.facilitator && self.exercise().is_some()
    }

    /// Now in the open incident's own time (scenario time in an exercise).
    pub(crate) fn incident_now(&self) -> Timestamp {
        match &self.incident {
            Some(iv) => iv.data.incident.now(self.real_now),
            None => self.real_now,
        }
    }

    /// An incident was opened: what was delivered before does not ring; the facilitator
    /// starts on the Exercise view.
    pub(crate) fn exercise_opened(&mut self) {
        self.now = self.incident_now();
        self.drill.ringing.clear();
        self.drill.asked = None;
        self.drill.seen = self
            .exercise()
            .map(|ex| deliveries(ex).map(|(id, _)| id).collect())
            .unwrap_or_default();
        let facilitator = self.drill.facilitator && self.exercise().is_some();
        if let Some(iv) = &mut self.incident {
            if facilitator {
                iv.view = View::Exercise;
            } else if iv.view == View::Exercise {
                iv.view = View::Board;
            }
        }
    }

    /// The incident was read again: new deliveries ring on a player's console (the
    /// facilitator is told in a notice).
    pub(crate) fn exercise_refreshed(&mut self) {
        self.now = self.incident_now();
        self.drill.asked = None;
        let Some(ex) = self.exercise() else { return };
        let fresh: Vec<Ringing> = deliveries(ex)
            .filter(|(id, _)| !self.drill.seen.contains(id))
            .map(|(id, i)| Ringing {
                event: id,
                inject: i.inject.clone(),
                at: i.delivered.as_ref().map_or(i.due, |d| d.at),
            })
            .collect();
        for r in fresh {
            self.drill.seen.insert(r.event);
            if self.drill.facilitator {
                self.say(format!(
                    "delivered {} from {}",
                    sanitize::line(&r.inject.id),
                    sanitize::line(&r.inject.from)
                ));
            } else {
                self.drill.ringing.push(r);
            }
        }
    }

    /// Each second: if an inject's time has come, this console's worker delivers it (any
    /// open console may; the journal keeps one delivery per inject).
    pub(crate) fn exercise_tick(&mut self) -> Vec<Effect> {
        if let Some(asked) = self.drill.asked
            && (self.real_now.as_second() - asked.as_second()) < PASS_PATIENCE_SECS
        {
            return Vec::new();
        }
        let (Some(ex), Some(iv)) = (self.exercise(), self.incident.as_ref()) else {
            return Vec::new();
        };
        let events = iv.data.events.read();
        let due = !ex
            .due(self.real_now, |id| events.iter().any(|e| e.entry.id == *id))
            .is_empty();
        drop(events);
        if !due {
            return Vec::new();
        }
        let path = iv.data.path.clone();
        self.drill.asked = Some(self.real_now);
        vec![Effect::DeliverDue { path }]
    }

    /// The exercise keys.
    pub(crate) fn exercise_action(&mut self, action: Action) -> Vec<Effect> {
        if action == Action::TakeInject {
            self.take_inject();
            return Vec::new();
        }
        let Some(ex) = self.exercise() else {
            self.warn("this is not an exercise");
            return Vec::new();
        };
        let phase = ex.clock.phase();
        let speed = ex.clock.speed();
        let selected = self.selected_inject().map(|i| i.inject.id.clone());
        let command = match action {
            Action::ExerciseClock => Command::Clock {
                op: match phase {
                    Phase::NotStarted => ClockOp::Start,
                    Phase::Running => ClockOp::Pause,
                    Phase::Paused => ClockOp::Resume,
                    Phase::Ended => {
                        self.warn("the exercise is over (closed): its clock has stopped");
                        return Vec::new();
                    }
                },
            },
            Action::Faster | Action::Slower => {
                let next = if action == Action::Faster {
                    SPEEDS.iter().copied().find(|s| *s > speed)
                } else {
                    SPEEDS.iter().rev().copied().find(|s| *s < speed)
                };
                match next {
                    Some(s) => Command::Clock {
                        op: ClockOp::Speed(s),
                    },
                    None => {
                        self.warn(format!("the speed is already ×{speed}"));
                        return Vec::new();
                    }
                }
            }
            Action::JumpNext => match ex.next_pending() {
                Some(next) if next.due > self.now => Command::Clock {
                    op: ClockOp::Jump(next.due),
                },
                Some(next) => {
                    let id = next.inject.id.clone();
                    self.say(format!("{id} is due now: it is being delivered"));
                    return Vec::new();
                }
                None => {
                    self.warn("no inject is pending: nothing to jump to");
                    return Vec::new();
                }
            },
            Action::JumpBy => {
                let form = Form::new(
                    "Jump the scenario clock forward",
                    vec![Field::line(
                        "By",
                        "",
                        "a duration: 30m, 2h, 1d, 1bd (business days skip the weekend)",
                    )],
                );
                self.open_form(Purpose::Exercise(ExerciseForm::JumpBy), form);
                return Vec::new();
            }
            Action::DeliverNow => match selected {
                Some(inject) => Command::Deliver { inject },
                None => return self.no_inject(),
            },
            Action::SkipInject => {
                let Some(inject) = selected else {
                    return self.no_inject();
                };
                let form = Form::new(
                    format!(
                        "Skip inject {} (it will never be delivered)",
                        sanitize::line(&inject)
                    ),
                    vec![Field::line(
                        "Reason",
                        "",
                        "why, for the record (Enter skips it)",
                    )],
                );
                self.open_form(Purpose::Exercise(ExerciseForm::Skip(inject)), form);
                return Vec::new();
            }
            Action::RateInject => {
                let Some(i) = self.selected_inject() else {
                    return self.no_inject();
                };
                if i.inject.expect.is_empty() {
                    let id = i.inject.id.clone();
                    self.warn(format!("inject {id} has no expected actions to rate"));
                    return Vec::new();
                }
                if i.status() != InjectStatus::Delivered {
                    let id = i.inject.id.clone();
                    self.warn(format!(
                        "inject {id} has not been delivered: rate what players did once it has"
                    ));
                    return Vec::new();
                }
                let form = rate_form(i);
                let id = i.inject.id.clone();
                self.open_form(Purpose::Exercise(ExerciseForm::Rate(id)), form);
                return Vec::new();
            }
            Action::Improvise => {
                let form = self.improvise_form();
                self.open_form(Purpose::Exercise(ExerciseForm::Improvise), form);
                return Vec::new();
            }
            _ => return Vec::new(),
        };
        match self.record(command) {
            Ok(e) => e,
            Err(e) => {
                self.warn(e);
                Vec::new()
            }
        }
    }

    fn no_inject(&mut self) -> Vec<Effect> {
        self.warn("select an inject first (↑ ↓)");
        Vec::new()
    }

    /// A facilitator's form, submitted.
    pub(crate) fn exercise_submit(
        &mut self,
        which: &ExerciseForm,
        form: &Form,
    ) -> Result<Vec<Effect>, String> {
        let opt = |s: String| {
            let t = s.trim().to_owned();
            (!t.is_empty()).then_some(t)
        };
        let command = match which {
            ExerciseForm::JumpBy => {
                let by: crate::playbook::duration::Duration = form
                    .get("By")
                    .trim()
                    .parse()
                    .map_err(|e| format!("By: {e}"))?;
                let cal = &self
                    .incident
                    .as_ref()
                    .ok_or("no incident is open")?
                    .data
                    .incident
                    .calendar;
                Command::Clock {
                    op: ClockOp::Jump(cal.add(self.now, &by)),
                }
            }
            ExerciseForm::Skip(inject) => Command::Skip {
                inject: inject.clone(),
                reason: opt(form.get("Reason")),
            },
            ExerciseForm::Rate(inject) => Command::Rate {
                inject: inject.clone(),
                item: form
                    .get("Expected action")
                    .parse()
                    .map_err(|_| "choose an expected action")?,
                rating: Rating::from_letter(&form.get("Rating")).ok_or("choose P, S, M or U")?,
                note: opt(form.get("Note")),
            },
            ExerciseForm::Improvise => Command::Improvise {
                inject: Inject {
                    id: String::new(),
                    at: Default::default(),
                    from: form.get("From"),
                    to: opt(form.get("To")),
                    channel: opt(form.get("Channel")),
                    kind: serde_json::from_value(serde_json::Value::String(form.get("Kind")))
                        .unwrap_or_default(),
                    subject: opt(form.get("Subject")),
                    text: form.get("Text"),
                    respond_within: match opt(form.get("Reply within")) {
                        Some(w) => Some(w.parse().map_err(|e| format!("Reply within: {e}"))?),
                        None => None,
                    },
                    stakeholder: opt(form.get("Audience")),
                    expect: Vec::new(),
                },
            },
        };
        self.record(command)
    }

    /// Checks an exercise command with the command layer and asks the worker to record it.
    fn record(&mut self, command: Command) -> Result<Vec<Effect>, String> {
        let real_now = self.real_now;
        let iv = self.incident.as_mut().ok_or("no incident is open")?;
        let accepted = Context::new(&iv.data.incident, &iv.data.events.read(), real_now)
            .check(command, None)
            .map_err(|r| r.to_string())?;
        iv.save = SaveState::Saving;
        let what = describe_done(&accepted.body);
        let effect = Effect::Record {
            path: iv.data.path.clone(),
            accepted: Box::new(accepted),
        };
        self.say(what);
        Ok(vec![effect])
    }

    /// The inject selected in the Exercise view.
    pub fn selected_inject(&self) -> Option<&InjectState> {
        let iv = self.incident.as_ref()?;
        let ex = iv.data.incident.exercise_state.as_deref()?;
        let cur = iv.cursor[View::Exercise.index()].min(ex.injects.len().saturating_sub(1));
        ex.injects.get(cur)
    }

    /// Shows the oldest ringing inject in full; it stops ringing.
    fn take_inject(&mut self) {
        if self.drill.ringing.is_empty() {
            self.say("no inject is ringing");
            return;
        }
        let r = self.drill.ringing.remove(0);
        let Some(iv) = &self.incident else { return };
        let inc = &iv.data.incident;
        self.overlay = Some(Overlay::Page(inject_page(inc, &r.inject, r.at)));
        self.overlay_scroll = 0;
    }

    fn improvise_form(&self) -> Form {
        let mut roles = vec![(String::new(), "(anyone)".to_owned())];
        let mut audiences = vec![(String::new(), "(none)".to_owned())];
        if let Some(iv) = &self.incident {
            let pb = &iv.data.incident.playbook;
            roles.extend(
                pb.roles
                    .iter()
                    .map(|r| (r.id.clone(), sanitize::line(&r.title).into_owned())),
            );
            audiences.extend(
                pb.stakeholders
                    .iter()
                    .map(|s| (s.id.clone(), sanitize::line(&s.name).into_owned())),
            );
        }
        let kinds = InjectKind::NAMES
            .iter()
            .map(|k| ((*k).to_owned(), k.replace('_', " ")))
            .collect();
        Form::new(
            "Improvise an inject (delivered at once)",
            vec![
                Field::line(
                    "From",
                    "",
                    "the simulated sender: \"Caller claiming to be a customer\"",
                ),
                Field::choice("To", roles, "↑↓ the player role it is for"),
                Field::line("Channel", "phone", "phone, email, social, tv, walk-in…"),
                Field::choice(
                    "Kind",
                    kinds,
                    "↑↓ a media inquiry or a request waits for a reply; a mention is coverage",
                ),
                Field::line("Subject", "", "optional"),
                Field::multi("Text", "", "what the players receive; Ctrl-s delivers it"),
                Field::line("Reply within", "", "inquiries and requests: 30m, 1h…"),
                Field::choice(
                    "Audience",
                    audiences,
                    "↑↓ the audience a request speaks for",
                ),
            ],
        )
    }
}

/// The rating form for a delivered inject: its expected actions with their ratings so far.
fn rate_form(i: &InjectState) -> Form {
    let current = i.ratings();
    let items = i
        .inject
        .expect
        .iter()
        .enumerate()
        .map(|(n, e)| {
            let n = n as u32 + 1;
            let now = current
                .iter()
                .find(|r| r.item == n)
                .map(|r| format!(" [{}]", r.rating.letter()))
                .unwrap_or_default();
            (n.to_string(), format!("{n}. {}{now}", sanitize::line(e)))
        })
        .collect();
    let ratings = Rating::ALL
        .iter()
        .map(|r| {
            (
                r.letter().to_owned(),
                format!("{} — {}", r.letter(), r.label()),
            )
        })
        .collect();
    Form::new(
        format!(
            "Rate inject {} — a later rating of an action replaces this one",
            sanitize::line(&i.inject.id)
        ),
        vec![
            Field::choice(
                "Expected action",
                items,
                "↑↓ the action evaluators expected",
            ),
            Field::choice("Rating", ratings, "↑↓ P S M U (HSEEP)"),
            Field::line("Note", "", "what you saw; Enter saves"),
        ],
    )
}

/// What a recorded exercise entry did, in words, for the notice line.
fn describe_done(body: &Body) -> String {
    match body {
        Body::ExerciseStarted => "exercise started: the scenario clock runs".into(),
        Body::ExercisePaused => "exercise paused: scenario time holds".into(),
        Body::ExerciseResumed => "exercise resumed".into(),
        Body::ExerciseSpeed { speed } => format!("scenario clock at ×{speed}"),
        Body::ExerciseJumped { .. } => "scenario clock jumped forward".into(),
        Body::InjectDelivered { inject, .. } => {
            format!("inject {} delivered", sanitize::line(&inject.id))
        }
        Body::InjectSkipped { inject, .. } => format!("inject {} skipped", sanitize::line(inject)),
        Body::InjectRated {
            inject,
            item,
            rating,
            ..
        } => format!(
            "inject {}, expected action {item}: {} recorded",
            sanitize::line(inject),
            rating.letter()
        ),
        other => format!("{} recorded", other.kind().replace('_', " ")),
    }
}

/// How an inject arrived, as a phone call or a letter is announced: "PHONE CALL", "EMAIL".
pub fn arrival(inject: &Inject) -> String {
    match inject.channel.as_deref().map(str::to_lowercase).as_deref() {
        Some("phone") | Some("call") | Some("phone call") => "☎ PHONE CALL".into(),
        Some(c) if c.contains("mail") => "✉ EMAIL".into(),
        Some(c) => format!("▶ {}", sanitize::line(c).to_uppercase()),
        None => "▶ INCOMING".into(),
    }
}

/// The inject in full, as players received it (never its `expect` list).
pub fn inject_page(inc: &crate::incident::Incident, inject: &Inject, at: Timestamp) -> Page {
    let clean = |s: &str| sanitize::line(s).into_owned();
    let to = inject
        .to
        .as_deref()
        .map(|r| inc.playbook.role(r).map_or(r, |role| role.title.as_str()))
        .map(clean)
        .unwrap_or_else(|| "everyone".into());
    let mut lines = vec![
        format!("From:     {}", clean(&inject.from)),
        format!(
            "By:       {}",
            inject.channel.as_deref().map_or("—".into(), clean)
        ),
        format!("To:       {to}"),
        format!(
            "Arrived:  {} (scenario time)",
            inc.calendar.to_zoned(at).strftime("%a %d %b %H:%M %Z")
        ),
    ];
    if let Some(s) = &inject.subject {
        lines.push(format!("Subject:  {}", clean(s)));
    }
    lines.push(String::new());
    lines.extend(inject.text.split('\n').map(clean));
    lines.push(String::new());
    let reply = inject
        .respond_within
        .map(|d| format!(" — reply within {}", d.human()))
        .unwrap_or_default();
    lines.push(match inject.kind {
        InjectKind::MediaInquiry => {
            format!("A press question: it is on the Media desk (4), r answers it{reply}.")
        }
        InjectKind::StakeholderRequest => {
            format!("A request: it is on the Media desk (4), r answers it{reply}.")
        }
        InjectKind::MediaMention => "Coverage: it is on the Media desk (4).".into(),
        InjectKind::Info | InjectKind::Escalation => {
            "Recorded in the timeline (2); respond as you would for real.".into()
        }
    });
    Page {
        title: format!(" EXERCISE — {} {} ", arrival(inject), clean(&inject.id)),
        lines,
        // A delivery runs the exercise: nothing here for players to amend or retract.
        entry: None,
    }
}

/// What the facilitator sees of an inject: how it is set, what was expected and how it was
/// rated, whether the reply deadline was met, and what players did after it arrived (scenario
/// time after delivery). Plain lines, cleaned for the terminal.
pub fn facilitator_lines(
    inc: &crate::incident::Incident,
    events: &[crate::journal::Stored<crate::incident::Event>],
    ex: &Exercise,
    i: &InjectState,
    now: Timestamp,
) -> Vec<String> {
    let clean = |s: &str| sanitize::line(s).into_owned();
    let local = |t: Timestamp| inc.calendar.to_zoned(t).strftime("%a %H:%M").to_string();
    let mut out = Vec::new();
    let to = i
        .inject
        .to
        .as_deref()
        .map(|r| inc.playbook.role(r).map_or(r, |role| role.title.as_str()))
        .map(clean)
        .unwrap_or_else(|| "everyone".into());
    out.push(format!(
        "{} from {} by {} to {to}",
        i.inject.kind_name(),
        clean(&i.inject.from),
        i.inject.channel.as_deref().map_or("—".into(), clean),
    ));
    if let Some(s) = &i.inject.subject {
        out.push(format!("Subject: {}", clean(s)));
    }
    out.push(match (&i.delivered, &i.skipped) {
        (Some(d), _) => format!(
            "Delivered {}{} by {}",
            local(d.at),
            if d.early { " (early)" } else { "" },
            clean(&d.by)
        ),
        (None, Some(s)) => format!(
            "Skipped {} by {}{}",
            local(s.at),
            clean(&s.by),
            s.reason
                .as_deref()
                .map(|r| format!(": {}", clean(r)))
                .unwrap_or_default()
        ),
        (None, None) if i.due <= now && ex.clock.started_at().is_none() => {
            format!("Due {} — delivered when the exercise starts", local(i.due))
        }
        (None, None) if i.due <= now => format!("Due {} — being delivered", local(i.due)),
        (None, None) => format!(
            "Due {} (in {})",
            local(i.due),
            crate::incident::status::countdown(now, i.due)
        ),
    });
    if let (Some(by), Some(state)) = (i.reply_by(inc), i.reply_state(inc, now)) {
        let when = i
            .replied_at(inc)
            .map(|r| format!(", answered {}", local(r)))
            .unwrap_or_default();
        out.push(format!(
            "Reply deadline {}: {}{when}",
            local(by),
            state.as_str().to_uppercase()
        ));
    }
    out.push(String::new());
    if i.inject.expect.is_empty() {
        out.push("Expected: nothing listed (nothing to rate)".into());
    } else {
        out.push("Expected (r rates P S M U; the latest rating counts):".into());
        let ratings = i.ratings();
        for (n, e) in i.inject.expect.iter().enumerate() {
            let n = n as u32 + 1;
            let r = ratings.iter().find(|r| r.item == n);
            out.push(format!(
                " {n}. [{}] {}{}",
                r.map_or("·", |r| r.rating.letter()),
                clean(e),
                r.and_then(|r| r.note.as_deref())
                    .map(|note| format!(" — {}", clean(note)))
                    .unwrap_or_default()
            ));
        }
    }
    if i.delivered.is_some() {
        out.push(String::new());
        let evidence = ex.evidence(inc, events, i);
        if evidence.is_empty() {
            out.push("Players since delivery: nothing recorded yet".into());
        } else {
            out.push("Players since delivery (scenario time after it):".into());
            for e in evidence {
                let mins = e.after.as_secs() / 60;
                out.push(format!(
                    " +{}h{:02}m {}{} {} — {}",
                    mins / 60,
                    mins % 60,
                    if e.answers_inject { "↳ " } else { "" },
                    e.kind.replace('_', " "),
                    clean(&e.text),
                    clean(e.by.as_str().split('@').next().unwrap_or(""))
                ));
            }
        }
    }
    out
}

/// The selected inject of the Exercise view in full, for the detail window.
pub fn inject_detail(app: &App) -> Option<Page> {
    let iv = app.incident.as_ref()?;
    let inc = &iv.data.incident;
    let ex = inc.exercise_state.as_deref()?;
    let i = app.selected_inject()?;
    let events = iv.data.events.read();
    let mut lines = facilitator_lines(inc, &events, ex, i, app.now);
    lines.insert(1, String::new());
    for (n, l) in i.inject.text.split('\n').enumerate() {
        lines.insert(2 + n, sanitize::line(l).into_owned());
    }
    Some(Page {
        title: format!(" EXERCISE — inject {} ", sanitize::line(&i.inject.id)),
        lines,
        entry: None,
    })
}

impl App {
    /// The new-exercise form, submitted: checked like `crisisdesk exercise` checks it; the
    /// console that creates an exercise is its facilitator's.
    pub(crate) fn new_exercise(&mut self, form: &Form) -> Result<Vec<Effect>, String> {
        let playbook = form.get("Playbook");
        let entry = self
            .start
            .catalog
            .get(&playbook)
            .ok_or_else(|| format!("no playbook {playbook}"))?;
        let pb = &entry.loaded.playbook;
        let cal = crate::playbook::calendar::Calendar::of(pb);
        let start = form.get("Scenario starts");
        let scenario_start = if start.trim().is_empty() {
            self.real_now
        } else {
            crate::incident::time::parse_time(&start, &cal).map_err(|e| e.to_string())?
        };
        let speed: u32 = form
            .get("Speed")
            .trim()
            .parse()
            .ok()
            .filter(|s| {
                (crate::exercise::clock::MIN_SPEED..=crate::exercise::clock::MAX_SPEED).contains(s)
            })
            .ok_or("Speed: a whole number from 1 to 120")?;
        let severity = form.get("Severity");
        let opening = crate::incident::command::opening(
            pb,
            &form.get("Title"),
            (!severity.trim().is_empty()).then_some(severity.trim()),
            None,
            self.real_now,
        )
        .map_err(|r| match r {
            crate::incident::Refusal::Empty { .. } => "give the exercise a title".to_owned(),
            r => r.to_string(),
        })?;
        self.drill.facilitator = true;
        Ok(vec![Effect::CreateExercise {
            playbook,
            title: opening.title,
            severity: opening.severity,
            scenario_start,
            speed,
        }])
    }
}
