//! The console's state and how it changes: `App::handle(Msg) -> Vec<Effect>`.
//!
//! No terminal, no files, no clock in here: key presses, ticks and loaded data come in as
//! [`Msg`]s; anything that touches the world goes out as an [`Effect`] for the shell
//! (`tui::run`) to carry out. Tests drive the whole console through `handle`.

use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{KeyEvent, KeyEventKind};
use jiff::Timestamp;
use uuid::Uuid;

use super::form::{Field, Form, FormResult};
use super::keymap::{self, Action, Context, QuickKind};
use super::theme::Theme;
use crate::command_line::LogKind;
use crate::incident::command::{Command, Context as Rules, Due, Refusal};
use crate::incident::event::{Body, Event};
use crate::incident::state::{Incident, MessageStatus};
use crate::incident::status::JournalHealth;
use crate::journal::Stored;
use crate::playbook::catalog::Catalog;

/// The six views of an incident, in the order of their number keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Board,
    Timeline,
    Messages,
    Media,
    Checklist,
    Playbook,
}

impl View {
    pub const ALL: [View; 6] = [
        View::Board,
        View::Timeline,
        View::Messages,
        View::Media,
        View::Checklist,
        View::Playbook,
    ];
    /// Its name on the tab bar.
    pub fn name(self) -> &'static str {
        match self {
            View::Board => "Board",
            View::Timeline => "Timeline",
            View::Messages => "Messages",
            View::Media => "Media",
            View::Checklist => "Checklist",
            View::Playbook => "Playbook",
        }
    }
    fn index(self) -> usize {
        View::ALL.iter().position(|v| *v == self).unwrap_or(0)
    }
    fn context(self) -> Context {
        match self {
            View::Board => Context::Incident,
            View::Timeline => Context::Timeline,
            View::Messages => Context::Messages,
            View::Media => Context::Media,
            View::Checklist => Context::Checklist,
            View::Playbook => Context::Playbook,
        }
    }
}

/// An incident folder as the start screen lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct IncidentSummary {
    pub path: PathBuf,
    pub title: String,
    pub playbook: String,
    pub severity: String,
    pub closed: bool,
    pub exercise: bool,
    pub last_activity: Timestamp,
    /// Why it could not be read, if it could not.
    pub problem: Option<String>,
}

/// What the start screen shows.
#[derive(Clone, Debug, Default)]
pub struct StartData {
    pub catalog: Arc<Catalog>,
    pub incidents: Vec<IncidentSummary>,
}

/// The journal's entries, shared by the I/O worker (which appends) and the screen (which
/// reads). Append-only, so the indices a fold hands out stay valid while entries arrive, and
/// no update ever copies the whole journal.
#[derive(Clone, Debug, Default)]
pub struct Entries(Arc<std::sync::RwLock<Vec<Stored<Event>>>>);

impl Entries {
    /// Shares these entries.
    pub fn new(entries: Vec<Stored<Event>>) -> Entries {
        Entries(Arc::new(std::sync::RwLock::new(entries)))
    }
    /// Reads them (the worker holds the lock only to append).
    pub fn read(&self) -> std::sync::RwLockReadGuard<'_, Vec<Stored<Event>>> {
        // A panic elsewhere while appending cannot leave a half-pushed Vec: keep reading.
        self.0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
    /// Adds entries at the end.
    pub fn append(&self, more: Vec<Stored<Event>>) {
        if more.is_empty() {
            return;
        }
        let mut v = self
            .0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        v.extend(more);
    }
    /// How many there are.
    pub fn len(&self) -> usize {
        self.read().len()
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// An open incident: its entries, the folded state, and the journal's health.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub path: PathBuf,
    pub events: Entries,
    pub incident: Arc<Incident>,
    pub health: JournalHealth,
    /// Who has written to the incident (author) and when last, most recent first.
    pub consoles: Vec<(String, Timestamp)>,
}

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
    /// `$EDITOR` returned this text for a message.
    Edited {
        message: Uuid,
        text: String,
    },
}

/// Work for the shell.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Read the playbooks and the incidents folder.
    LoadStart,
    Open(PathBuf),
    Create {
        playbook: String,
        title: String,
        severity: String,
        detected_at: Timestamp,
        exercise: bool,
    },
    /// Append one event happening at `at` to the open incident, then re-read it.
    Append {
        path: PathBuf,
        body: Body,
        at: Timestamp,
    },
    /// Edit a message's text in `$EDITOR`.
    ExternalEditor {
        message: Uuid,
        text: String,
    },
}

/// What an open form is for.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    Quick(QuickKind),
    NewIncident { exercise: bool },
    Approve(Uuid),
    Send(Uuid),
    Edit(Uuid),
    Answer(Uuid),
    Command,
    Search,
    Compose,
}

/// A window over the screen.
#[derive(Debug, Clone)]
pub enum Overlay {
    Help,
    Form(Purpose, Box<Form>),
    /// A playbook shown read-only from the start screen (its id).
    PlaybookPreview(String),
    /// Adopt the edited playbook into the running incident? (its text, what changed)
    Adopt {
        source: String,
        changes: Vec<String>,
    },
}

/// A line at the bottom saying what just happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// Whether what the user did is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Saving,
    Failed,
}

/// The open incident and where the user is in it.
#[derive(Debug, Clone)]
pub struct IncidentView {
    pub data: Loaded,
    pub view: View,
    /// Selected row per view.
    pub cursor: [usize; 6],
    pub timeline_filter: Option<&'static str>,
    pub search: String,
    pub save: SaveState,
}

/// The whole console.
#[derive(Debug)]
pub struct App {
    pub now: Timestamp,
    pub theme: Theme,
    pub start: StartData,
    pub start_cursor: usize,
    pub start_search: String,
    pub incident: Option<IncidentView>,
    pub overlay: Option<Overlay>,
    pub notice: Option<Notice>,
    pub should_quit: bool,
    /// Something changed since the last frame.
    pub dirty: bool,
    /// First line shown of the help or playbook window (they can be taller than the screen).
    pub overlay_scroll: usize,
    /// The template the composer last filled its text from.
    composer_template: String,
    /// The audience the composer last listed templates for.
    composer_to: String,
    /// Quit once the append in flight is on disk.
    quit_after_save: bool,
    /// A playbook version the user chose not to adopt (not offered again).
    declined_playbook: Option<String>,
}

/// Timeline kinds the `k` filter cycles through.
pub const TIMELINE_FILTERS: [Option<&str>; 8] = [
    None,
    Some("note"),
    Some("decision"),
    Some("fact"),
    Some("message"),
    Some("media"),
    Some("milestone"),
    Some("severity"),
];

impl App {
    /// A console on the start screen at `now`.
    pub fn new(now: Timestamp, theme: Theme) -> App {
        App {
            now,
            theme,
            start: StartData::default(),
            start_cursor: 0,
            start_search: String::new(),
            incident: None,
            overlay: None,
            notice: None,
            should_quit: false,
            dirty: true,
            overlay_scroll: 0,
            composer_template: String::new(),
            composer_to: String::new(),
            quit_after_save: false,
            declined_playbook: None,
        }
    }

    /// The key context of what is on screen.
    pub fn context(&self) -> Context {
        match &self.incident {
            Some(iv) => iv.view.context(),
            None => Context::Start,
        }
    }

    /// Whether live countdowns are on screen (the shell ticks at 1 Hz only then).
    pub fn has_clocks(&self) -> bool {
        self.incident.is_some()
    }

    fn say(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: false,
        });
    }

    fn warn(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: true,
        });
    }

    /// Advances the state; returns what the shell must do.
    pub fn handle(&mut self, msg: Msg) -> Vec<Effect> {
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
                self.now = now;
                Vec::new()
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
                self.incident = Some(IncidentView {
                    data: *data,
                    view: View::Board,
                    // The timeline opens at its newest entry.
                    cursor: [0, usize::MAX, 0, 0, 0, 0],
                    timeline_filter: None,
                    search: String::new(),
                    save: SaveState::Saved,
                });
                self.overlay = None;
                self.say(format!("opened {}", crate::sanitize::line(&title)));
                Vec::new()
            }
            Msg::Saved(Ok(data)) => {
                if let Some(iv) = &mut self.incident
                    && iv.data.path == data.path
                {
                    iv.data = *data;
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
                self.warn(format!("NOT SAVED: {e}"));
                Vec::new()
            }
            Msg::Refreshed(data) => {
                if let Some(iv) = &mut self.incident
                    && iv.data.path == data.path
                {
                    iv.data = *data;
                }
                Vec::new()
            }
            Msg::Notice(text) => {
                self.say(text);
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
                self.warn(e);
                Vec::new()
            }
            Msg::Edited { message, text } => self.append_kind(
                Command::Edit {
                    message: message.to_string(),
                    text,
                },
                None,
            ),
        }
    }

    fn key(&mut self, ev: KeyEvent) -> Vec<Effect> {
        if let Some(overlay) = self.overlay.take() {
            return self.overlay_key(overlay, ev);
        }
        let Some(action) = keymap::action_for(self.context(), &ev) else {
            self.dirty = false;
            return Vec::new();
        };
        self.notice = None;
        self.action(action)
    }

    fn action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => {
                // Nothing typed is ever held back, but an append may still be on its way to
                // the disk: wait for it rather than lose it.
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
            Action::Help => {
                self.overlay = Some(Overlay::Help);
                self.overlay_scroll = 0;
                Vec::new()
            }
            Action::Close => {
                if self.incident.take().is_some() {
                    return vec![Effect::LoadStart];
                }
                Vec::new()
            }
            Action::View(i) => {
                if let Some(iv) = &mut self.incident {
                    iv.view = View::ALL[i.min(5)];
                }
                Vec::new()
            }
            Action::NextView | Action::PrevView => {
                if let Some(iv) = &mut self.incident {
                    let i = iv.view.index();
                    let n = if action == Action::NextView {
                        i + 1
                    } else {
                        i + 5
                    };
                    iv.view = View::ALL[n % 6];
                }
                Vec::new()
            }
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
                if let Some(form) = self.quick_form(kind) {
                    self.overlay = Some(Overlay::Form(Purpose::Quick(kind), Box::new(form)));
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
                self.overlay = Some(Overlay::Form(Purpose::Command, Box::new(form)));
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
                    iv.cursor[View::Timeline.index()] = usize::MAX;
                }
                Vec::new()
            }
            Action::Compose => {
                self.open_composer();
                Vec::new()
            }
            Action::Approve | Action::Send | Action::Edit | Action::ExternalEditor => {
                self.message_action(action)
            }
            Action::Done => self.tick_done(),
            Action::Answer => {
                self.answer_form();
                Vec::new()
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
        }
    }

    fn move_cursor(&mut self, action: Action) {
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

    // ---- start screen -------------------------------------------------------------------

    /// Rows of the start screen: incidents first, then playbooks (filtered by search).
    pub fn start_rows(&self) -> usize {
        self.start_incidents().count() + self.start_playbooks().count()
    }

    /// Incidents shown on the start screen (index into `start.incidents`).
    pub fn start_incidents(&self) -> impl Iterator<Item = usize> + '_ {
        let q = self.start_search.to_lowercase();
        self.start
            .incidents
            .iter()
            .enumerate()
            .filter(move |(_, s)| {
                q.is_empty() || s.title.to_lowercase().contains(&q) || s.playbook.contains(&q)
            })
            .map(|(i, _)| i)
    }

    /// Playbooks shown on the start screen (index into the catalog).
    pub fn start_playbooks(&self) -> impl Iterator<Item = usize> + '_ {
        let q = self.start_search.to_lowercase();
        self.start
            .catalog
            .entries
            .iter()
            .enumerate()
            .filter(move |(_, e)| {
                q.is_empty()
                    || e.loaded.playbook.title.to_lowercase().contains(&q)
                    || e.loaded.playbook.id.contains(&q)
            })
            .map(|(i, _)| i)
    }

    /// What row `n` of the start screen is.
    pub fn start_row(&self, n: usize) -> Option<StartRow> {
        let incidents: Vec<usize> = self.start_incidents().collect();
        if let Some(&i) = incidents.get(n) {
            return Some(StartRow::Incident(i));
        }
        self.start_playbooks()
            .nth(n - incidents.len())
            .map(StartRow::Playbook)
    }

    fn open_selected(&mut self) -> Vec<Effect> {
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

    fn new_incident_form(&mut self, exercise: bool, playbook: Option<&str>) {
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
        if let (Some(id), super::form::Input::Choice { options, selected }) =
            (playbook, &mut pb_field.input)
        {
            *selected = options.iter().position(|(v, _)| v == id).unwrap_or(0);
        }
        let title = if exercise {
            "New tabletop EXERCISE"
        } else {
            "New incident"
        };
        let mut form = Form::new(
            title,
            vec![
                pb_field,
                Field::line("Title", "", "what happened, in a few words"),
                Field::line(
                    "Severity",
                    "",
                    "a severity id; empty for the playbook's lowest",
                ),
                Field::line(
                    "Detected at",
                    &local_now(self.now),
                    "when the organisation learned of it (YYYY-MM-DD HH:MM, playbook's zone)",
                ),
            ],
        );
        form.focus = if playbook.is_some() { 1 } else { 0 };
        self.overlay = Some(Overlay::Form(
            Purpose::NewIncident { exercise },
            Box::new(form),
        ));
    }

    // ---- forms ---------------------------------------------------------------------------

    fn overlay_key(&mut self, overlay: Overlay, ev: KeyEvent) -> Vec<Effect> {
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
            Overlay::Form(purpose, mut form) => match form.key(&ev) {
                FormResult::Continue => {
                    let refill = purpose == Purpose::Compose;
                    let template = form.get("Template");
                    let to = form.get("To");
                    self.overlay = Some(Overlay::Form(purpose, form));
                    if refill && self.composer_to != to {
                        self.composer_to = to;
                        self.composer_templates();
                    } else if refill && self.composer_template != template {
                        self.composer_template = template;
                        self.composer_fill();
                    }
                    Vec::new()
                }
                FormResult::Cancel => Vec::new(),
                FormResult::Submit => match self.submit(&purpose, &form) {
                    Ok(effects) => effects,
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

    fn quick_form(&mut self, kind: QuickKind) -> Option<Form> {
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
                let options: Vec<(String, String)> = pb
                    .milestones
                    .iter()
                    .filter(|m| iv.data.incident.milestone_at(&m.id).is_none())
                    .map(|m| (m.id.clone(), crate::sanitize::line(&m.name).into_owned()))
                    .collect();
                if options.is_empty() {
                    self.warn("every milestone of the playbook is already marked");
                    return None;
                }
                vec![
                    Field::choice("Milestone", options, "↑↓ to choose"),
                    Field::line("Text", "", "optional"),
                    when,
                ]
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
                if let super::form::Input::Choice { selected, .. } = &mut field.input {
                    *selected = pb.severity_rank(&iv.data.incident.severity).unwrap_or(0);
                }
                vec![field, Field::line("Reason", "", "why"), when]
            }
            QuickKind::Inquiry => vec![
                Field::line("From", "", "outlet or person asking"),
                Field::line(
                    "Within",
                    "2h",
                    "reply deadline, e.g. 1h or 30m; empty for none",
                ),
                Field::line("Question", "", ""),
                when,
            ],
            QuickKind::Action => vec![
                Field::line("Text", "", ""),
                Field::line("Owner", "", "a role id; empty for none"),
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

    fn submit(&mut self, purpose: &Purpose, form: &Form) -> Result<Vec<Effect>, String> {
        let opt = |s: String| -> Option<String> {
            let t = s.trim().to_owned();
            (!t.is_empty()).then_some(t)
        };
        let at = opt(form.get("At"));
        let command = match purpose {
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
            Purpose::Command => {
                let line = form.get(":");
                let parts = shlex::split(&line).ok_or("unbalanced quotes")?;
                let mut argv = vec!["log".to_owned()];
                argv.extend(parts);
                let parsed = <CommandLine as clap::Parser>::try_parse_from(argv).map_err(|e| {
                    e.to_string()
                        .lines()
                        .next()
                        .unwrap_or("")
                        .replace("error: ", "")
                })?;
                let calendar = match &self.incident {
                    Some(iv) => iv.data.incident.calendar.clone(),
                    None => return Err("no incident is open".into()),
                };
                let command = parsed.kind.into_command(&calendar)?;
                return self.append_checked(command, parsed.at.or(at));
            }
            Purpose::Search => {
                let q = form.get("/").trim().to_owned();
                match &mut self.incident {
                    Some(iv) => {
                        iv.search = q;
                        iv.cursor[iv.view.index()] = 0;
                    }
                    None => {
                        self.start_search = q;
                        self.start_cursor = 0;
                    }
                }
                return Ok(Vec::new());
            }
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
    fn append_checked(
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
        let accepted = Rules::new(inc, &iv.data.events.read(), self.now)
            .check(command, at)
            .map_err(refused)?;
        self.append_body(accepted.body, accepted.at)
    }

    /// Asks for an already checked event to be appended to the open incident.
    fn append_body(&mut self, body: Body, at: Timestamp) -> Result<Vec<Effect>, String> {
        let iv = self.incident.as_mut().ok_or("no incident is open")?;
        iv.save = SaveState::Saving;
        let what = body.kind().replace('_', " ");
        let effect = Effect::Append {
            path: iv.data.path.clone(),
            body,
            at,
        };
        self.say(format!("{what} recorded"));
        Ok(vec![effect])
    }

    fn append_kind(&mut self, command: Command, at: Option<String>) -> Vec<Effect> {
        match self.append_checked(command, at) {
            Ok(e) => e,
            Err(e) => {
                self.warn(e);
                Vec::new()
            }
        }
    }

    // ---- messages, checklist, media ------------------------------------------------------

    /// Messages in the order the Messages view lists them: unsent first, newest first.
    pub fn message_order(inc: &Incident) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..inc.messages.len()).collect();
        idx.sort_by_key(|&i| {
            let m = &inc.messages[i];
            (m.sent.is_some(), std::cmp::Reverse(m.drafted_at))
        });
        idx
    }

    fn selected_message(&self) -> Option<Uuid> {
        let iv = self.incident.as_ref()?;
        let inc = &iv.data.incident;
        let order = Self::message_order(inc);
        let i = *order.get(iv.cursor[View::Messages.index()].min(order.len().saturating_sub(1)))?;
        Some(inc.messages[i].id)
    }

    fn message_action(&mut self, action: Action) -> Vec<Effect> {
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
                self.overlay = Some(Overlay::Form(Purpose::Approve(id), Box::new(form)));
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
                    Field::line(
                        "Fulfils",
                        "",
                        "deadline id or label; empty for the earliest running one",
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
                self.overlay = Some(Overlay::Form(Purpose::Send(id), Box::new(form)));
            }
            Action::Edit => {
                let form = Form::new(
                    "Edit draft (Ctrl-s saves; approvals given so far will no longer count)",
                    vec![Field::multi("Text", &m.text, "fill every {{fill:…}} blank")],
                );
                self.overlay = Some(Overlay::Form(Purpose::Edit(id), Box::new(form)));
            }
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

    fn open_composer(&mut self) {
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
        self.overlay = Some(Overlay::Form(Purpose::Compose, Box::new(form)));
        self.composer_to = String::new();
        self.composer_template = String::new();
        // List the first audience's templates first.
        if let Some(Overlay::Form(_, form)) = &self.overlay {
            self.composer_to = form.get("To");
        }
        self.composer_templates();
    }

    /// Lists the templates written for the chosen audience first, then a blank message,
    /// then the rest.
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
        if let Some(f) = form.fields.iter_mut().find(|f| f.label == "Template") {
            *f = Field::choice(
                "Template",
                options,
                "↑↓ a template (★ written for this audience)",
            );
        }
        // The template shown as chosen is the one whose text is in the editor.
        self.composer_template = form.get("Template");
        self.composer_fill();
    }

    /// Fills the composer's text from its chosen template (called when the template changes).
    pub fn composer_fill(&mut self) {
        let Some(Overlay::Form(Purpose::Compose, form)) = &mut self.overlay else {
            return;
        };
        let Some(iv) = &self.incident else { return };
        let inc = &iv.data.incident;
        let tid = form.get("Template");
        let to = form.get("To");
        let Some(t) = inc.playbook.template(&tid) else {
            return;
        };
        let text = crate::incident::compose::fill_template(inc, &t.body, &to, self.now);
        if let Some(f) = form.fields.iter_mut().find(|f| f.label == "Text") {
            *f = Field::multi(
                "Text",
                &text,
                "Ctrl-s saves the draft; fill every {{fill:…}} blank",
            );
        }
        if form.get("Channel").is_empty()
            && let Some(c) = &t.channel
            && let Some(f) = form.fields.iter_mut().find(|f| f.label == "Channel")
        {
            *f = Field::line("Channel", c, "optional");
        }
    }

    fn tick_done(&mut self) -> Vec<Effect> {
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
        let id = match row {
            ChecklistRow::Item(i) => inc.checklist[*i].id.clone(),
            ChecklistRow::Action(i) => inc.actions[*i].id.to_string(),
        };
        self.append_kind(Command::Done { id }, None)
    }

    fn answer_form(&mut self) {
        let Some(iv) = &self.incident else { return };
        let inc = &iv.data.incident;
        let open: Vec<&crate::incident::state::Inquiry> = inc.inquiries.iter().collect();
        let Some(q) = open.get(iv.cursor[View::Media.index()].min(open.len().saturating_sub(1)))
        else {
            self.warn("no inquiry selected: log one with i");
            return;
        };
        let form = Form::new(
            format!("Answer to {}", crate::sanitize::line(&q.from)),
            vec![Field::line("Answer", "", "what was said, in short")],
        );
        self.overlay = Some(Overlay::Form(Purpose::Answer(q.id), Box::new(form)));
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

/// A refusal in the console's words: on screen the override is a field, not a flag.
fn refused(r: Refusal) -> String {
    if r.can_override() {
        format!("{r} — write a reason in Override to send it anyway (the reason is recorded)")
    } else {
        r.to_string()
    }
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

/// Who is writing to the incident — one line per person and machine (the console id without
/// its session), with when they last wrote, most recent first. Inbox items carry their
/// sender as author but were written by a console: the console is who is writing.
pub fn writers(events: &[Stored<Event>]) -> Vec<(String, Timestamp)> {
    let mut last: std::collections::HashMap<&str, Timestamp> = std::collections::HashMap::new();
    for s in events {
        let who = console_person(&s.console);
        let t = last.entry(who).or_insert(s.entry.recorded_at);
        *t = (*t).max(s.entry.recorded_at);
    }
    let mut out: Vec<(String, Timestamp)> =
        last.into_iter().map(|(w, t)| (w.to_owned(), t)).collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// `anna-laptop` of `anna-laptop-01a21b20…` (a console id is `<user-host>-<32 hex session>`).
fn console_person(console: &str) -> &str {
    match console.rsplit_once('-') {
        Some((person, session))
            if session.len() == 32 && session.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            person
        }
        _ => console,
    }
}

/// A row of the start screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartRow {
    Incident(usize),
    Playbook(usize),
}

/// A row of the checklist view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChecklistRow {
    Item(usize),
    Action(usize),
}

/// Checklist items (playbook order) then actions.
pub fn checklist_rows(inc: &Incident) -> Vec<ChecklistRow> {
    (0..inc.checklist.len())
        .map(ChecklistRow::Item)
        .chain((0..inc.actions.len()).map(ChecklistRow::Action))
        .collect()
}

/// Events the timeline shows, by the filter and search (indices into the events, in the
/// order they happened). Unfiltered, it is the fold's own order, borrowed: drawing a frame of
/// a million-entry timeline touches only the visible rows.
pub fn timeline_rows(iv: &IncidentView) -> std::borrow::Cow<'_, [usize]> {
    let inc = &iv.data.incident;
    if iv.timeline_filter.is_none() && iv.search.is_empty() {
        return std::borrow::Cow::Borrowed(&inc.order);
    }
    let q = iv.search.to_lowercase();
    let events = iv.data.events.read();
    let rows = inc
        .order
        .iter()
        .copied()
        .filter(|&i| {
            let e = &events[i].entry;
            let kind = e.body.kind();
            let kind_ok = match iv.timeline_filter {
                None => true,
                Some("message") => kind.starts_with("message"),
                Some("media") => kind.starts_with("media") || kind == "inquiry_answered",
                Some("milestone") => kind == "milestone_marked",
                Some("severity") => kind == "severity_changed",
                Some(k) => kind == k,
            };
            kind_ok
                && (q.is_empty()
                    || e.body.text().is_some_and(|t| t.to_lowercase().contains(&q))
                    || e.author.to_lowercase().contains(&q))
        })
        .collect();
    std::borrow::Cow::Owned(rows)
}

fn view_len(iv: &IncidentView) -> usize {
    let inc = &iv.data.incident;
    match iv.view {
        View::Board => inc.stakeholders.iter().filter(|s| s.in_play).count(),
        View::Timeline => timeline_rows(iv).len(),
        View::Messages => inc.messages.len(),
        View::Media => inc.inquiries.len(),
        View::Checklist => inc.checklist.len() + inc.actions.len(),
        View::Playbook => {
            super::ui::playbook_lines(&inc.playbook, &Theme { color: false }, &iv.search).len()
        }
    }
}

fn local_now(now: Timestamp) -> String {
    now.to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Short id of an event for screens.
pub fn short(id: &Uuid) -> String {
    Event::short_id(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_shared_not_copied() {
        let a = Entries::new(Vec::new());
        let b = a.clone();
        let origin = crate::incident::Origin {
            author: "a@h".into(),
            console: "c".into(),
        };
        let t: Timestamp = "2026-11-27T10:00:00Z".parse().unwrap();
        a.append(vec![Stored {
            console: "c".into(),
            seq: 1,
            entry: Event::new(
                Uuid::from_u128(1),
                t,
                t,
                &origin,
                Body::Note { text: "x".into() },
            ),
        }]);
        assert_eq!(
            b.len(),
            1,
            "the screen's handle sees what the worker appended"
        );
        assert!(!b.is_empty());
    }
}
