//! How the console's state changes: `App::handle(Msg) -> Vec<Effect>`.
//!
//! No terminal, no files, no clock in here: key presses, ticks and loaded data come in as
//! [`Msg`]s; anything that touches the world goes out as an [`Effect`] for the shell
//! (`tui::run`) to carry out. Tests drive the whole console through `handle`. The state itself
//! is in [`super::model`]; building forms is in `forms`, turning a submitted form into a
//! command for the command layer in `submit`.

mod forms;
mod submit;

use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{KeyEvent, KeyEventKind};
use jiff::Timestamp;
use uuid::Uuid;

use super::form::{Ask, Field, Form, FormResult};
use super::keymap::{self, Action, Context, QuickKind};
use crate::incident::command::Command;
use crate::incident::event::Body;
use crate::playbook::catalog::Catalog;

pub use super::model::*;
use super::rows::view_len;
pub use super::rows::{checklist_rows, message_order, short, timeline_rows};

/// Something that happened outside the app.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// The clock moved (1 Hz while clocks are on screen).
    Tick(Timestamp),
    Resize,
    StartData(StartData),
    /// An incident was opened or re-read after a save.
    Opened(Box<Loaded>),
    /// An append finished: `Ok` means it is on disk.
    Saved(Result<Box<Loaded>, String>),
    /// New entries from other consoles (or the inbox) were read.
    Refreshed(Box<Loaded>),
    /// Something to tell the user (an inbox item taken in or rejected).
    Notice(String),
    /// The open incident's playbook was edited on disk: offer to adopt this version.
    PlaybookEdited {
        source: String,
        changes: Vec<String>,
    },
    /// A failure to report (could not open, could not create…).
    Failed(String),
    /// `$EDITOR` ran on a message's text kept in `file` (`before` is what it was given).
    /// `text` is the file's text afterwards (if it could be read); `failure` why the editor
    /// did not end normally.
    Edited {
        message: Uuid,
        before: String,
        text: Option<String>,
        failure: Option<String>,
        file: PathBuf,
    },
    /// Texts from `$EDITOR` that were never recorded, found when the incident opened.
    Kept(Vec<super::editor::KeptText>),
    /// Who has the incident at `path` open (read every few seconds; sent when it changes).
    Presence {
        path: PathBuf,
        /// This console's id.
        me: String,
        consoles: Vec<crate::presence::Console>,
    },
}

/// Work for the shell.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Read the playbooks and the incidents folder.
    LoadStart,
    Open(PathBuf),
    /// The person left the open incident (back to the start screen): it is no longer open
    /// here, and the other consoles stop showing this one.
    Leave,
    Create {
        playbook: String,
        title: String,
        severity: String,
        detected_at: Timestamp,
        exercise: bool,
    },
    /// Create a tabletop exercise (under ./exercises) on a playbook's injects and open it.
    CreateExercise {
        playbook: String,
        title: String,
        severity: String,
        scenario_start: Timestamp,
        speed: u32,
    },
    /// Append one event happening at `at` to the open incident, then re-read it.
    Append {
        path: PathBuf,
        body: Body,
        at: Timestamp,
    },
    /// Append an entry the command layer accepted (with the id and stamp its rules fixed:
    /// inject deliveries), then re-read the incident.
    Record {
        path: PathBuf,
        accepted: Box<crate::incident::Accepted>,
    },
    /// Deliver the exercise's injects whose time has come (one pass), then re-read it.
    DeliverDue {
        path: PathBuf,
    },
    /// Edit a message's text in `$EDITOR`.
    ExternalEditor {
        message: Uuid,
        text: String,
    },
    /// Write the incident's report (report.html and report.md) into its folder.
    WriteReport(PathBuf),
    /// The kept text in this file was discarded by the person: remove it.
    ForgetKept(PathBuf),
    /// The kept text in this file was recorded by the append just before: remove it once
    /// that append is on disk (kept if it failed).
    ForgetKeptIfSaved(PathBuf),
}

impl App {
    pub(super) fn say(&mut self, text: impl Into<String>) {
        self.notify(text.into(), false);
    }

    pub(super) fn warn(&mut self, text: impl Into<String>) {
        self.notify(text.into(), true);
    }

    /// Shows a notice and keeps it in the session's list.
    fn notify(&mut self, text: String, error: bool) {
        let n = Notice { text, error };
        self.notices.push((self.now, n.clone()));
        if self.notices.len() > 500 {
            self.notices.remove(0);
        }
        self.notice = Some(n);
    }

    /// A notice that arrived on its own: counted until the list is opened.
    fn notify_unseen(&mut self, text: String, error: bool) {
        self.unseen += 1;
        self.notify(text, error);
    }

    /// Advances the state; returns what the shell must do.
    pub fn handle(&mut self, msg: Msg) -> Vec<Effect> {
        let effects = self.update(msg);
        // Appends and records are carried out in order, each answered by one `Saved`: remember,
        // for each, the form it came from, so that its text comes back if it is not saved.
        let mut submitted = self.submitted.take();
        for e in &effects {
            if matches!(e, Effect::Append { .. } | Effect::Record { .. }) {
                self.in_flight.push_back(submitted.take());
            }
        }
        effects
    }

    fn update(&mut self, msg: Msg) -> Vec<Effect> {
        self.dirty = true;
        match msg {
            Msg::Key(ev) => {
                if ev.kind != KeyEventKind::Press {
                    self.dirty = false;
                    return Vec::new();
                }
                self.key(ev)
            }
            Msg::Tick(now) => {
                self.real_now = now;
                self.now = self.incident_now();
                self.exercise_tick()
            }
            Msg::Resize => Vec::new(),
            Msg::StartData(mut d) => {
                keep_last_good(&self.start.catalog, &mut d);
                self.start = d;
                self.start_cursor = self.start_cursor.min(self.start_rows().saturating_sub(1));
                Vec::new()
            }
            Msg::Opened(data) => {
                let title = data.incident.title.clone();
                if self.presence.path != data.path {
                    self.presence = Default::default();
                }
                self.incident = Some(IncidentView {
                    data: *data,
                    view: View::Board,
                    // The timeline opens at its newest entry.
                    cursor: [0, usize::MAX, 0, 0, 0, 0, 0],
                    timeline_filter: None,
                    search: String::new(),
                    timeline_cache: Default::default(),
                    save: SaveState::Saved,
                    told_whom: false,
                });
                self.overlay = None;
                self.say(format!("opened {}", crate::sanitize::line(&title)));
                self.exercise_opened();
                Vec::new()
            }
            Msg::Saved(Ok(data)) => {
                self.in_flight.pop_front();
                if self.take_data(*data)
                    && let Some(iv) = &mut self.incident
                {
                    iv.save = SaveState::Saved;
                }
                if self.quit_after_save {
                    self.should_quit = true;
                }
                Vec::new()
            }
            Msg::Saved(Err(e)) => {
                if let Some(iv) = &mut self.incident {
                    iv.save = SaveState::Failed;
                }
                // Do not quit on a failed save: the user must see it.
                self.quit_after_save = false;
                // What was typed is kept, as a form left with Esc is: its key brings it back.
                match self.in_flight.pop_front().flatten() {
                    Some((purpose, mut form)) => {
                        let key = purpose_key(&purpose);
                        form.error = Some(format!("not saved: {e}"));
                        self.stash.push((purpose, form));
                        self.warn(format!(
                            "NOT SAVED — what you typed is kept: {key} brings it back, Enter tries again ({e})"
                        ));
                    }
                    None => self.warn(format!("NOT SAVED: {e}")),
                }
                Vec::new()
            }
            Msg::Refreshed(data) => {
                self.take_data(*data);
                Vec::new()
            }
            Msg::Presence { path, me, consoles } => {
                // Only for the incident on screen (a list read before leaving it is late).
                if self
                    .incident
                    .as_ref()
                    .is_some_and(|iv| iv.data.path == path)
                {
                    self.presence = super::model::Presence { path, me, consoles };
                } else {
                    self.dirty = false;
                }
                Vec::new()
            }
            Msg::Notice(text) => {
                self.notify_unseen(text, false);
                Vec::new()
            }
            Msg::PlaybookEdited { source, changes } => {
                let declined = self.declined_playbook.as_deref() == Some(source.as_str());
                // Never over a form the user is filling in; the question comes back on the
                // next change of the file.
                if self.incident.is_some() && !declined && self.overlay.is_none() {
                    self.overlay = Some(Overlay::Adopt { source, changes });
                }
                Vec::new()
            }
            Msg::Failed(e) => {
                self.notify_unseen(e, true);
                Vec::new()
            }
            Msg::Edited {
                message,
                before,
                text,
                failure,
                file,
            } => self.edited(message, before, text, failure, file),
            Msg::Kept(found) => {
                self.kept_queue.extend(found);
                self.offer_kept();
                Vec::new()
            }
        }
    }

    /// Takes newly read data of the open incident (false if it is of another one). The
    /// timeline stays at its newest entry if that is where the person was; an offer to adopt
    /// a playbook that another console adopted meanwhile goes away.
    fn take_data(&mut self, data: Loaded) -> bool {
        let Some(iv) = &mut self.incident else {
            return false;
        };
        if iv.data.path != data.path {
            return false;
        }
        let at_end = iv.cursor[View::Timeline.index()].saturating_add(1) >= timeline_rows(iv).len();
        let previous = std::mem::replace(&mut iv.data, data);
        iv.refresh_rows(Some(&previous.incident));
        if at_end {
            iv.cursor[View::Timeline.index()] = usize::MAX;
        }
        if let Some(Overlay::Adopt { source, .. }) = &self.overlay {
            let adopted = iv.data.events.read().iter().any(|e| {
                matches!(&e.entry.body, Body::PlaybookAdopted { playbook_source, .. } if playbook_source == source)
            });
            if adopted {
                self.overlay = None;
                self.say(
                    "the edited playbook was adopted (by another console): it is in force now",
                );
            }
        }
        self.exercise_refreshed();
        true
    }

    /// What `$EDITOR` gave back: recorded at once when it can be; otherwise in the edit form
    /// (still kept on disk) with the reason, never lost.
    fn edited(
        &mut self,
        message: Uuid,
        before: String,
        text: Option<String>,
        failure: Option<String>,
        file: PathBuf,
    ) -> Vec<Effect> {
        let Some(text) = text.filter(|t| *t != before) else {
            match failure {
                Some(why) => self.warn(format!("{why}; the message is unchanged")),
                None => self.say("the text is unchanged: nothing recorded"),
            }
            return vec![Effect::ForgetKept(file)];
        };
        self.kept.retain(|(m, _)| *m != message);
        self.kept.push((message, file.clone()));
        if failure.is_none() {
            let command = Command::Edit {
                message: message.to_string(),
                text: text.clone(),
            };
            if let Ok(mut effects) = self.append_checked(command, None) {
                self.kept.retain(|(m, _)| *m != message);
                effects.push(Effect::ForgetKeptIfSaved(file));
                return effects;
            }
        }
        let why = match (failure, self.edit_refusal(message, &text)) {
            (Some(f), _) => f,
            (None, Some(r)) => r,
            (None, None) => "the edit could not be recorded".into(),
        };
        self.open_edit_form(message, &text, true);
        if let Some(Overlay::Form(_, form)) = &mut self.overlay {
            form.error = Some(format!(
                "{why} — your text is here and kept in {}: Ctrl-s records it, Esc then y discards it",
                file.display()
            ));
        }
        Vec::new()
    }

    /// Why an edit of `message` to `text` would be refused now.
    fn edit_refusal(&self, message: Uuid, text: &str) -> Option<String> {
        let iv = self.incident.as_ref()?;
        crate::incident::command::Context::new(
            &iv.data.incident,
            &iv.data.events.read(),
            self.real_now,
        )
        .check(
            Command::Edit {
                message: message.to_string(),
                text: text.to_owned(),
            },
            None,
        )
        .err()
        .map(|r| r.to_string())
    }

    /// Offers the next text kept from an earlier `$EDITOR` run, when no window is open.
    pub(super) fn offer_kept(&mut self) {
        if self.overlay.is_some() || self.incident.is_none() {
            return;
        }
        let Some(k) = (!self.kept_queue.is_empty()).then(|| self.kept_queue.remove(0)) else {
            return;
        };
        self.kept.retain(|(m, _)| *m != k.message);
        self.kept.push((k.message, k.file.clone()));
        self.open_edit_form(k.message, &k.text, true);
        if let Some(Overlay::Form(_, form)) = &mut self.overlay {
            form.error = Some(format!(
                "Recovered: this text from $EDITOR was never recorded (kept in {}). Ctrl-s records it, Esc then y discards it",
                k.file.display()
            ));
        }
    }

    pub(super) fn key(&mut self, ev: KeyEvent) -> Vec<Effect> {
        if let Some(overlay) = self.overlay.take() {
            let effects = self.overlay_key(overlay, ev);
            self.check_form();
            return effects;
        }
        let Some(action) = keymap::action_for(self.context(), &ev) else {
            self.dirty = false;
            return Vec::new();
        };
        self.notice = None;
        self.action(action)
    }

    pub(super) fn action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit if !self.stash.is_empty() => {
                self.overlay = Some(Overlay::Confirm(Confirm::Leave {
                    quit: true,
                    unsaved: self.stash.iter().map(|(_, f)| f.title.clone()).collect(),
                }));
                Vec::new()
            }
            Action::Close if self.incident.is_some() && !self.stash.is_empty() => {
                self.overlay = Some(Overlay::Confirm(Confirm::Leave {
                    quit: false,
                    unsaved: self.stash.iter().map(|(_, f)| f.title.clone()).collect(),
                }));
                Vec::new()
            }
            Action::Quit => self.quit(),
            Action::Help => {
                self.overlay = Some(Overlay::Help);
                self.overlay_scroll = 0;
                Vec::new()
            }
            Action::Close => {
                if self.incident.take().is_some() {
                    self.stash.clear();
                    self.kept.clear();
                    self.kept_queue.clear();
                    self.presence = Default::default();
                    return vec![Effect::Leave, Effect::LoadStart];
                }
                Vec::new()
            }
            Action::View(i) => {
                let offered = View::offered(self.facilitating());
                match (&mut self.incident, offered.get(i)) {
                    (Some(iv), Some(v)) => iv.view = *v,
                    (Some(_), None) => self.warn(
                        "the Exercise view is the facilitator's: crisisdesk open DIR --facilitator",
                    ),
                    (None, _) => {}
                }
                Vec::new()
            }
            Action::NextView | Action::PrevView => {
                let offered = View::offered(self.facilitating());
                if let Some(iv) = &mut self.incident {
                    let n = offered.len();
                    let i = offered.iter().position(|v| *v == iv.view).unwrap_or(0);
                    let next = if action == Action::NextView {
                        i + 1
                    } else {
                        i + n - 1
                    };
                    iv.view = offered[next % n];
                }
                Vec::new()
            }
            Action::TakeInject
            | Action::ExerciseClock
            | Action::Faster
            | Action::Slower
            | Action::JumpNext
            | Action::JumpBy
            | Action::DeliverNow
            | Action::SkipInject
            | Action::RateInject
            | Action::Improvise => self.exercise_action(action),
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => {
                self.move_cursor(action);
                Vec::new()
            }
            Action::Quick(kind) => {
                if self.refused_when_closed(quick_kind_command(kind)) {
                    return Vec::new();
                }
                if let Some(form) = self.quick_form(kind) {
                    self.open_form(Purpose::Quick(kind), form);
                }
                Vec::new()
            }
            Action::Command => {
                let form = Form::new(
                    "Command — the kinds of `crisisdesk log`",
                    vec![Field::line(
                        ":",
                        "",
                        "e.g. note Reporter called · milestone public · inquiry --from BBC --within 1h How many?",
                    )],
                );
                self.open_form(Purpose::Command, form);
                Vec::new()
            }
            Action::Search => {
                let current = match &self.incident {
                    Some(iv) => iv.search.clone(),
                    None => self.start_search.clone(),
                };
                let form = Form::new(
                    "Search",
                    vec![Field::line(
                        "/",
                        &current,
                        "Enter to search; empty to clear",
                    )],
                );
                self.overlay = Some(Overlay::Form(Purpose::Search, Box::new(form)));
                Vec::new()
            }
            Action::Filter => {
                if let Some(iv) = &mut self.incident {
                    let i = TIMELINE_FILTERS
                        .iter()
                        .position(|f| *f == iv.timeline_filter)
                        .unwrap_or(0);
                    iv.timeline_filter = TIMELINE_FILTERS[(i + 1) % TIMELINE_FILTERS.len()];
                    iv.refresh_rows(None);
                    iv.cursor[View::Timeline.index()] = usize::MAX;
                }
                Vec::new()
            }
            Action::Compose => {
                if self.refused_when_closed("draft") {
                    return Vec::new();
                }
                self.open_composer();
                self.check_form();
                Vec::new()
            }
            Action::Approve | Action::Send | Action::Edit | Action::ExternalEditor => {
                let effects = self.message_action(action);
                self.check_form();
                effects
            }
            Action::Report => match &self.incident {
                Some(iv) => {
                    let path = iv.data.path.clone();
                    self.say("writing the report…");
                    vec![Effect::WriteReport(path)]
                }
                None => Vec::new(),
            },
            Action::ToldWhom => {
                if let Some(iv) = &mut self.incident {
                    iv.told_whom = !iv.told_whom;
                }
                Vec::new()
            }
            Action::Acknowledge => {
                self.acknowledge_form();
                Vec::new()
            }
            Action::Done => self.tick_done(),
            Action::Answer => {
                if self.refused_when_closed("answer") {
                    return Vec::new();
                }
                self.answer_form()
            }
            Action::Open => self.open_selected(),
            Action::NewIncident | Action::NewExercise => {
                // On a playbook row, that playbook is the one chosen (as Enter does).
                let chosen = match self.start_row(self.start_cursor) {
                    Some(StartRow::Playbook(i)) => self
                        .start
                        .catalog
                        .entries
                        .get(i)
                        .map(|e| e.loaded.playbook.id.clone()),
                    _ => None,
                };
                self.new_incident_form(action == Action::NewExercise, chosen.as_deref());
                Vec::new()
            }
            Action::ViewPlaybook => {
                if let Some(StartRow::Playbook(i)) = self.start_row(self.start_cursor)
                    && let Some(e) = self.start.catalog.entries.get(i)
                {
                    self.overlay = Some(Overlay::PlaybookPreview(e.loaded.playbook.id.clone()));
                    self.overlay_scroll = 0;
                }
                Vec::new()
            }
            Action::Refresh => vec![Effect::LoadStart],
            Action::Detail => {
                match super::detail::selected(self) {
                    Some(page) => {
                        self.overlay = Some(Overlay::Page(page));
                        self.overlay_scroll = 0;
                    }
                    None => self.say("nothing selected here (this view shows every text whole)"),
                }
                Vec::new()
            }
            Action::Amend | Action::Retract => {
                match self.selected_entry() {
                    Some(id) => self.correction_form(action, id),
                    None => self.warn("no entry selected"),
                }
                Vec::new()
            }
            Action::Notices => {
                let lines: Vec<String> = if self.notices.is_empty() {
                    vec!["no notices yet".into()]
                } else {
                    self.notices
                        .iter()
                        .rev()
                        .map(|(at, n)| {
                            let t = at
                                .to_zoned_datetime(jiff::tz::TimeZone::system())
                                .strftime("%H:%M:%S")
                                .to_string();
                            format!("{t} {}{}", if n.error { "✖ " } else { "" }, n.text)
                        })
                        .collect()
                };
                self.unseen = 0;
                self.overlay = Some(Overlay::Page(Page {
                    title: " Notices, newest first ".into(),
                    lines,
                    entry: None,
                }));
                self.overlay_scroll = 0;
                Vec::new()
            }
        }
    }

    /// On a closed incident, says at once (before a form is filled in vain) that this kind
    /// is no longer taken. The rule is the command layer's.
    fn refused_when_closed(&mut self, kind: &'static str) -> bool {
        let Some(closed) = self
            .incident
            .as_ref()
            .and_then(|iv| iv.data.incident.closed_at)
        else {
            return false;
        };
        if crate::incident::command::allowed_after_close_kind(kind) {
            return false;
        }
        self.warn(crate::incident::Refusal::Closed { at: closed, kind }.to_string());
        true
    }

    /// The journal entry on screen: the timeline's selected row, or the detail shown.
    fn selected_entry(&self) -> Option<Uuid> {
        if let Some(Overlay::Page(p)) = &self.overlay {
            return p.entry;
        }
        let iv = self.incident.as_ref()?;
        if iv.view != View::Timeline {
            return None;
        }
        let rows = timeline_rows(iv);
        let cur = iv.cursor[View::Timeline.index()].min(rows.len().saturating_sub(1));
        let &i = rows.get(cur)?;
        Some(iv.data.events.read()[i].entry.id)
    }

    /// Quits, once the entry still being written (if any) is on disk.
    fn quit(&mut self) -> Vec<Effect> {
        // Nothing typed is ever held back, but an append may still be on its way to the
        // disk: wait for it rather than lose it.
        if self
            .incident
            .as_ref()
            .is_some_and(|iv| iv.save == SaveState::Saving)
        {
            self.quit_after_save = true;
            self.say("saving the last entry, then quitting…");
        } else {
            self.should_quit = true;
        }
        Vec::new()
    }

    /// Opens a form, or the one of the same purpose left earlier with typed text in it.
    pub(super) fn open_form(&mut self, purpose: Purpose, form: Form) {
        if let Some(i) = self.stash.iter().position(|(p, _)| *p == purpose) {
            let (p, f) = self.stash.remove(i);
            if p == Purpose::Compose {
                self.composer_to = f.get("To");
                self.composer_template = f.get("Template");
            }
            self.overlay = Some(Overlay::Form(p, f));
            self.say("what you typed before is back (Esc then y discards it)");
            return;
        }
        self.overlay = Some(Overlay::Form(purpose, Box::new(form)));
    }

    /// A form closed without saving: a text kept from `$EDITOR` for it goes too.
    fn discarded(&mut self, purpose: &Purpose) -> Vec<Effect> {
        if let Purpose::Edit(m) = purpose
            && let Some(i) = self.kept.iter().position(|(k, _)| k == m)
        {
            let (_, file) = self.kept.remove(i);
            return vec![Effect::ForgetKept(file)];
        }
        Vec::new()
    }

    /// The answer to a form's question.
    fn answer(
        &mut self,
        purpose: Purpose,
        mut form: Box<Form>,
        ask: Ask,
        ev: KeyEvent,
    ) -> Vec<Effect> {
        use crossterm::event::KeyCode;
        match ask {
            Ask::Discard => match ev.code {
                KeyCode::Char('y' | 'Y') => {
                    self.say("discarded what you typed");
                    let effects = self.discarded(&purpose);
                    self.offer_kept();
                    effects
                }
                KeyCode::Esc => {
                    let key = purpose_key(&purpose);
                    self.say(format!("kept what you typed: {key} brings it back"));
                    self.stash.retain(|(p, _)| *p != purpose);
                    self.stash.push((purpose, form));
                    Vec::new()
                }
                _ => {
                    self.overlay = Some(Overlay::Form(purpose, form));
                    Vec::new()
                }
            },
            Ask::Replace { .. } => {
                let replace = matches!(ev.code, KeyCode::Char('y' | 'Y'));
                let keep = matches!(ev.code, KeyCode::Char('n' | 'N') | KeyCode::Esc);
                if !replace && !keep {
                    form.ask = Some(ask);
                    self.overlay = Some(Overlay::Form(purpose, form));
                    return Vec::new();
                }
                self.overlay = Some(Overlay::Form(purpose, form));
                self.composer_fill(replace);
                Vec::new()
            }
        }
    }

    pub(super) fn move_cursor(&mut self, action: Action) {
        let page = 10;
        let (cursor, len) = match &mut self.incident {
            Some(iv) => {
                let len = view_len(iv);
                (&mut iv.cursor[iv.view.index()], len)
            }
            None => {
                let len = self.start_rows();
                (&mut self.start_cursor, len)
            }
        };
        let last = len.saturating_sub(1);
        let cur = (*cursor).min(last);
        *cursor = match action {
            Action::Up => cur.saturating_sub(1),
            Action::Down => (cur + 1).min(last),
            Action::PageUp => cur.saturating_sub(page),
            Action::PageDown => (cur + page).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            _ => cur,
        };
    }

    pub(super) fn open_selected(&mut self) -> Vec<Effect> {
        match self.start_row(self.start_cursor) {
            Some(StartRow::Incident(i)) => vec![Effect::Open(self.start.incidents[i].path.clone())],
            Some(StartRow::Playbook(i)) => {
                let id = self.start.catalog.entries[i].loaded.playbook.id.clone();
                self.new_incident_form(false, Some(&id));
                Vec::new()
            }
            None => Vec::new(),
        }
    }

    // ---- forms ---------------------------------------------------------------------------

    pub(super) fn overlay_key(&mut self, overlay: Overlay, ev: KeyEvent) -> Vec<Effect> {
        match overlay {
            Overlay::Help | Overlay::PlaybookPreview(_) => {
                use crossterm::event::KeyCode;
                // Any of Esc, ? or q closes the window; the arrows and pages scroll it (it
                // can be taller than the screen); other keys keep it open.
                let closes = matches!(
                    ev.code,
                    KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter
                );
                if closes {
                    return Vec::new();
                }
                // Lines the window holds: the drawing clamps to what fits; this bound keeps
                // PgUp answering at once after paging past the end.
                let lines = match &overlay {
                    Overlay::PlaybookPreview(id) => self.start.catalog.get(id).map_or(0, |e| {
                        super::ui::playbook_lines(&e.loaded.playbook, &self.theme, "").len()
                    }),
                    _ => super::ui::help_lines(self, 40).len(),
                };
                let last = lines.saturating_sub(1);
                let s = self.overlay_scroll.min(last);
                self.overlay_scroll = match ev.code {
                    KeyCode::Down | KeyCode::Char('j') => (s + 1).min(last),
                    KeyCode::Up | KeyCode::Char('k') => s.saturating_sub(1),
                    KeyCode::PageDown | KeyCode::Char(' ') => (s + 10).min(last),
                    KeyCode::PageUp => s.saturating_sub(10),
                    KeyCode::Home => 0,
                    KeyCode::End => last,
                    _ => s,
                };
                self.overlay = Some(overlay);
                Vec::new()
            }
            Overlay::Adopt { source, changes } => match ev.code {
                crossterm::event::KeyCode::Char('y') => {
                    self.append_kind(Command::AdoptPlaybook { source, changes }, None)
                }
                crossterm::event::KeyCode::Char('n') | crossterm::event::KeyCode::Esc => {
                    self.declined_playbook = Some(source);
                    self.say("keeping the playbook version the incident runs on");
                    Vec::new()
                }
                _ => {
                    self.overlay = Some(Overlay::Adopt { source, changes });
                    Vec::new()
                }
            },
            Overlay::Confirm(c) => self.confirmed(c, ev),
            Overlay::Despite {
                purpose,
                form,
                findings,
                effects,
            } => self.despite(purpose, form, findings, effects, ev),
            Overlay::Page(page) => {
                let action = keymap::action_for(Context::Detail, &ev);
                let last = page.lines.len().saturating_sub(1);
                let s = self.overlay_scroll.min(last);
                match action {
                    Some(Action::Close) => return Vec::new(),
                    Some(Action::Amend | Action::Retract) => {
                        let entry = page.entry;
                        self.overlay = Some(Overlay::Page(page));
                        match entry {
                            Some(id) => {
                                self.overlay = None;
                                self.correction_form(action.expect("matched"), id);
                            }
                            None => self.warn("nothing on this page can be amended or retracted"),
                        }
                        return Vec::new();
                    }
                    Some(Action::Down) => self.overlay_scroll = (s + 1).min(last),
                    Some(Action::Up) => self.overlay_scroll = s.saturating_sub(1),
                    Some(Action::PageDown) => self.overlay_scroll = (s + 10).min(last),
                    Some(Action::PageUp) => self.overlay_scroll = s.saturating_sub(10),
                    Some(Action::Top) => self.overlay_scroll = 0,
                    Some(Action::Bottom) => self.overlay_scroll = last,
                    _ => {}
                }
                self.overlay = Some(Overlay::Page(page));
                Vec::new()
            }
            Overlay::Form(purpose, form) if form.ask.is_some() => {
                let mut form = form;
                let ask = form.ask.take().expect("checked");
                self.answer(purpose, form, ask, ev)
            }
            Overlay::Form(purpose, mut form) => match form.key(&ev) {
                FormResult::Continue => {
                    if purpose == Purpose::Quick(QuickKind::Milestone) {
                        form.note = self.milestone_note(&form);
                    }
                    if matches!(purpose, Purpose::NewIncident { .. })
                        && form.fields[form.focus].label == "Playbook"
                    {
                        let severity = form.get("Severity");
                        self.new_incident_playbook(&mut form);
                        // Keep the severity chosen if the new playbook has it too.
                        if let Some(crate::tui::form::Field {
                            input: crate::tui::form::Input::Choice { options, selected },
                            ..
                        }) = form.field_mut("Severity")
                            && let Some(i) = options.iter().position(|(v, _)| *v == severity)
                        {
                            *selected = i;
                        }
                    }
                    let compose = purpose == Purpose::Compose;
                    self.overlay = Some(Overlay::Form(purpose, form));
                    if compose {
                        self.composer_changed();
                    }
                    Vec::new()
                }
                FormResult::Cancel => {
                    // Typed text is never thrown away by one key.
                    if form.typed() && purpose != Purpose::Search {
                        form.ask = Some(Ask::Discard);
                        self.overlay = Some(Overlay::Form(purpose, form));
                        return Vec::new();
                    }
                    let effects = self.discarded(&purpose);
                    self.offer_kept();
                    effects
                }
                FormResult::Submit => match self.submit(&purpose, &form) {
                    // Accepted, but the check has something to say about the message: ask
                    // first, holding the checked entry until the answer.
                    Ok(effects) if self.asks_first(&purpose).is_some() => {
                        let findings = self.asks_first(&purpose).unwrap_or_default();
                        if let Some(iv) = &mut self.incident {
                            iv.save = SaveState::Saved;
                        }
                        self.notice = None;
                        self.overlay = Some(Overlay::Despite {
                            purpose,
                            form,
                            findings,
                            effects,
                        });
                        Vec::new()
                    }
                    Ok(mut effects) => {
                        self.submitted = Some((purpose.clone(), form.clone()));
                        if let Purpose::Edit(m) = &purpose
                            && !effects.is_empty()
                            && let Some(i) = self.kept.iter().position(|(k, _)| k == m)
                        {
                            let (_, file) = self.kept.remove(i);
                            effects.push(Effect::ForgetKeptIfSaved(file));
                        }
                        self.offer_kept();
                        effects
                    }
                    Err(e) => {
                        form.error = Some(e);
                        // A refused send waits for its override reason: go there.
                        if let Some(i) = form.fields.iter().position(|f| f.label == "Override")
                            && form.get("Override").trim().is_empty()
                        {
                            form.focus = i;
                        }
                        self.overlay = Some(Overlay::Form(purpose, form));
                        Vec::new()
                    }
                },
            },
        }
    }

    /// The open conflicts and unconfirmed figures of the message an approval or a send is
    /// about: (id, sentence). `None` when there is nothing to ask.
    fn asks_first(&self, purpose: &Purpose) -> Option<Vec<(String, String)>> {
        let (Purpose::Approve(m) | Purpose::Send(m)) = purpose else {
            return None;
        };
        let iv = self.incident.as_ref()?;
        let found: Vec<(String, String)> = iv
            .data
            .check
            .blocking(*m)
            .into_iter()
            .map(|f| (f.id.clone(), f.text.clone()))
            .collect();
        (!found.is_empty()).then_some(found)
    }

    /// The answer to "approve / send despite the check's findings?": `y` records each
    /// finding as acknowledged (confirmed in the console) and then the approval or the send
    /// (`effects`, already checked); Esc or `n` goes back to the form with nothing recorded.
    fn despite(
        &mut self,
        purpose: Purpose,
        form: Box<Form>,
        findings: Vec<(String, String)>,
        effects: Vec<Effect>,
        ev: KeyEvent,
    ) -> Vec<Effect> {
        use crossterm::event::KeyCode;
        match ev.code {
            KeyCode::Char('y' | 'Y') => {
                let doing = match &purpose {
                    Purpose::Approve(_) => format!("approving it as {}", form.get("Role")),
                    _ => "marking it sent".to_owned(),
                };
                let mut out = Vec::new();
                for (id, _) in &findings {
                    let command = Command::Acknowledge {
                        finding: id.clone(),
                        reason: format!("confirmed in the console when {doing}"),
                    };
                    match self.append_checked(command, None) {
                        Ok(e) => out.extend(e),
                        Err(e) => self.warn(e),
                    }
                }
                out.extend(effects);
                if let Some(iv) = &mut self.incident {
                    iv.save = SaveState::Saving;
                }
                self.say(format!(
                    "recorded, with {} finding(s) acknowledged",
                    findings.len()
                ));
                self.offer_kept();
                out
            }
            KeyCode::Esc | KeyCode::Char('n' | 'N') => {
                self.overlay = Some(Overlay::Form(purpose, form));
                self.say("nothing recorded: fix the text (E) or acknowledge the finding (K)");
                Vec::new()
            }
            _ => {
                self.overlay = Some(Overlay::Despite {
                    purpose,
                    form,
                    findings,
                    effects,
                });
                Vec::new()
            }
        }
    }

    /// Re-checks the text in the composer or the edit form against what audiences heard.
    pub(super) fn check_form(&mut self) {
        self.form_findings.clear();
        self.form_figures = 0;
        let (Some(iv), Some(Overlay::Form(purpose, form))) = (&self.incident, &self.overlay) else {
            return;
        };
        let (audience, message) = match purpose {
            Purpose::Compose => (form.get("To"), Uuid::nil()),
            Purpose::Edit(m) => match iv.data.incident.message(m) {
                Some(msg) => (msg.stakeholder.clone(), *m),
                None => return,
            },
            _ => return,
        };
        let record = &iv.data.check.record;
        let said = record.draft(message, &audience, self.now, &form.get("Text"));
        self.form_figures = said.statements.len();
        self.form_findings = record
            .check(&said)
            .into_iter()
            .filter(|f| f.is_open())
            .collect();
    }

    fn confirmed(&mut self, c: Confirm, ev: KeyEvent) -> Vec<Effect> {
        use crossterm::event::KeyCode;
        match c {
            Confirm::CloseIncident { text, .. } => {
                if matches!(ev.code, KeyCode::Char('y' | 'Y')) {
                    self.append_kind(Command::Close { text }, None)
                } else {
                    self.say("not closed");
                    Vec::new()
                }
            }
            Confirm::Leave { quit, .. } => {
                let yes = matches!(ev.code, KeyCode::Char('y' | 'Y'))
                    || (quit && ev.code == KeyCode::Char('q'));
                if !yes {
                    self.say("nothing discarded");
                    return Vec::new();
                }
                self.stash.clear();
                if quit {
                    self.quit()
                } else {
                    self.action(Action::Close)
                }
            }
        }
    }

    pub(super) fn selected_message(&self) -> Option<Uuid> {
        let iv = self.incident.as_ref()?;
        let inc = &iv.data.incident;
        let order = message_order(inc);
        let i = *order.get(iv.cursor[View::Messages.index()].min(order.len().saturating_sub(1)))?;
        Some(inc.messages[i].id)
    }

    pub(super) fn tick_done(&mut self) -> Vec<Effect> {
        let Some(iv) = &self.incident else {
            return Vec::new();
        };
        let inc = &iv.data.incident;
        let rows = checklist_rows(inc);
        let Some(row) =
            rows.get(iv.cursor[View::Checklist.index()].min(rows.len().saturating_sub(1)))
        else {
            return Vec::new();
        };
        let command = match row {
            // A ticked item ticked again: it was ticked by mistake. Unticking is recorded too.
            ChecklistRow::Item(i) if inc.checklist[*i].done.is_some() => Command::Untick {
                id: inc.checklist[*i].id.clone(),
                reason: None,
            },
            ChecklistRow::Item(i) => Command::Done {
                id: inc.checklist[*i].id.clone(),
            },
            ChecklistRow::Action(i) => Command::Done {
                id: inc.actions[*i].id.to_string(),
            },
        };
        let untick = matches!(command, Command::Untick { .. });
        let effects = self.append_kind(command, None);
        if untick && !effects.is_empty() {
            self.say("unticked (recorded): x ticks it again");
        }
        effects
    }
}

/// The command kind a quick-entry key records (as `Command::kind` words it).
fn quick_kind_command(k: QuickKind) -> &'static str {
    match k {
        QuickKind::Note => "note",
        QuickKind::Decision => "decision",
        QuickKind::Fact => "fact",
        QuickKind::Milestone => "milestone",
        QuickKind::Severity => "severity change",
        QuickKind::Inquiry => "inquiry",
        QuickKind::Action => "action",
        QuickKind::Lesson => "lesson",
    }
}

/// The key that opens a form of this purpose, for "… brings it back".
fn purpose_key(p: &Purpose) -> String {
    let action = match p {
        Purpose::Quick(k) => Action::Quick(*k),
        Purpose::Approve(_) => Action::Approve,
        Purpose::Send(_) => Action::Send,
        Purpose::Edit(_) => Action::Edit,
        Purpose::Answer(_) => Action::Answer,
        Purpose::Command => Action::Command,
        Purpose::Search => Action::Search,
        Purpose::Compose => Action::Compose,
        Purpose::Acknowledge => Action::Acknowledge,
        Purpose::NewIncident { exercise: true } => Action::NewExercise,
        Purpose::NewIncident { exercise: false } => Action::NewIncident,
        Purpose::Amend(_) => Action::Amend,
        Purpose::Retract(_) => Action::Retract,
        Purpose::Exercise(f) => f.action(),
    };
    keymap::BINDINGS
        .iter()
        .find(|b| b.action == action)
        .map_or_else(String::new, |b| b.keys[0].label())
}

/// A playbook file that loaded before and is broken now (an edit in progress, a typo) stays
/// in use in its last good version; the new catalog says so.
fn keep_last_good(old: &Catalog, new: &mut StartData) {
    let mut catalog = (*new.catalog).clone();
    let mut changed = false;
    for broken in &new.catalog.broken {
        let previous = old.entries.iter().find(|e| {
            matches!(&e.origin, crate::playbook::catalog::Origin::File(p) if p.display().to_string() == broken.file)
        });
        if let Some(e) = previous
            && catalog.get(&e.loaded.playbook.id).is_none()
        {
            catalog.entries.push(e.clone());
            catalog.notices.push(format!(
                "{} has errors: still using its last good version",
                broken.file
            ));
            changed = true;
        }
    }
    if changed {
        new.catalog = Arc::new(catalog);
    }
}

fn local_now(now: Timestamp) -> String {
    now.to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}
