//! The console's state: what is open, where the cursor is, which window is up. The update
//! logic is in [`super::app`]; the screens in [`super::ui`] read this and [`super::rows`].

use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;
use uuid::Uuid;

use super::form::Form;
use super::keymap::{Context, QuickKind};
use super::theme::Theme;
use crate::incident::event::Event;
use crate::incident::state::Incident;
use crate::incident::status::JournalHealth;
use crate::journal::Stored;
use crate::playbook::catalog::Catalog;

/// The views of an incident, in the order of their number keys. The seventh, Exercise, is
/// the facilitator's alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Board,
    Timeline,
    Messages,
    Media,
    Checklist,
    Playbook,
    Exercise,
}

impl View {
    pub const ALL: [View; 7] = [
        View::Board,
        View::Timeline,
        View::Messages,
        View::Media,
        View::Checklist,
        View::Playbook,
        View::Exercise,
    ];

    /// The views this console offers: the Exercise view only to an exercise's facilitator.
    pub fn offered(facilitator: bool) -> &'static [View] {
        if facilitator {
            &View::ALL
        } else {
            &View::ALL[..6]
        }
    }
    /// Its name on the tab bar.
    pub fn name(self) -> &'static str {
        match self {
            View::Board => "Board",
            View::Timeline => "Timeline",
            View::Messages => "Messages",
            View::Media => "Media",
            View::Checklist => "Checklist",
            View::Playbook => "Playbook",
            View::Exercise => "Exercise",
        }
    }
    pub(crate) fn index(self) -> usize {
        View::ALL.iter().position(|v| *v == self).unwrap_or(0)
    }
    pub fn context(self) -> Context {
        match self {
            View::Board => Context::Incident,
            View::Timeline => Context::Timeline,
            View::Messages => Context::Messages,
            View::Media => Context::Media,
            View::Checklist => Context::Checklist,
            View::Playbook => Context::Playbook,
            View::Exercise => Context::Exercise,
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
    /// This console's id (its journal file's name), to tell its entries from those of the
    /// person's other consoles.
    pub console: String,
    pub events: Entries,
    pub incident: Arc<Incident>,
    pub health: JournalHealth,
    /// What each audience was told and the check's findings, made with the fold.
    pub check: Arc<crate::check::Checked>,
}

/// What an open form is for.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    Quick(QuickKind),
    NewIncident {
        exercise: bool,
    },
    Approve(Uuid),
    Send(Uuid),
    Edit(Uuid),
    Answer(Uuid),
    Command,
    Search,
    Compose,
    /// Acknowledge a finding of the check.
    Acknowledge,
    /// Correct a journal entry (its id).
    Amend(Uuid),
    /// A facilitator's form in an exercise (rate, skip, improvise, jump).
    Exercise(super::exercise::ExerciseForm),
    /// Withdraw a journal entry (its id).
    Retract(Uuid),
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
    /// A question before something that cannot be undone.
    Confirm(Confirm),
    /// Approving or sending a message the check has findings about: the entry is checked and
    /// held (`effects`) while the person confirms; `findings` are (id, one sentence).
    Despite {
        purpose: Purpose,
        form: Box<Form>,
        findings: Vec<(String, String)>,
        effects: Vec<super::app::Effect>,
    },
    /// A page of text to read, wrapped and scrollable: an entry's detail, `:help`, the
    /// notices. `entry` is the journal entry it shows, which `E` amends and `R` retracts.
    Page(Page),
}

/// A page to read.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub title: String,
    pub lines: Vec<String>,
    /// The journal entry `E` amends and `R` retracts from this page, where the rules allow
    /// it (never an exercise's own entries: a delivery, the clock).
    pub entry: Option<Uuid>,
}

/// What a confirmation is about.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirm {
    /// Quit (or leave the incident) with typed text kept for later in these forms.
    Leave { quit: bool, unsaved: Vec<String> },
    /// Close the incident, with what is still open, in words.
    CloseIncident {
        text: Option<String>,
        open: Vec<String>,
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
    pub cursor: [usize; 7],
    pub timeline_filter: Option<&'static str>,
    pub search: String,
    /// The timeline's rows under the filter and search, kept between frames (see
    /// [`IncidentView::refresh_rows`]).
    pub timeline_cache: super::filtered::TimelineCache,
    pub save: SaveState,
    /// The Messages view shows what each audience was told instead of the selected message
    /// (on screens too narrow for both).
    pub told_whom: bool,
}

/// The whole console.
#[derive(Debug)]
pub struct App {
    /// Now in the open incident's own time: scenario time in an exercise (every screen counts
    /// from it), the real time otherwise.
    pub now: Timestamp,
    /// Now on the real clock.
    pub real_now: Timestamp,
    /// The exercise side of this console: facilitator or player, injects ringing.
    pub drill: super::exercise::Drill,
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
    pub(in crate::tui) composer_template: String,
    /// The audience the composer last listed templates for.
    pub(in crate::tui) composer_to: String,
    /// Quit once the append in flight is on disk.
    pub(in crate::tui) quit_after_save: bool,
    /// A playbook version the user chose not to adopt (not offered again).
    pub(in crate::tui) declined_playbook: Option<String>,
    /// Forms left with Esc that held typed text, to come back to with the same key.
    pub stash: Vec<(Purpose, Box<Form>)>,
    /// The form just submitted, until its append is handed to the shell.
    pub(in crate::tui) submitted: Option<(Purpose, Box<Form>)>,
    /// One slot per append on its way to the disk, in order: the form it came from, if any
    /// (back into `stash` if it is not saved).
    pub(in crate::tui) in_flight: std::collections::VecDeque<Option<(Purpose, Box<Form>)>>,
    /// Texts from `$EDITOR` kept on disk until recorded or discarded, by message.
    pub kept: Vec<(Uuid, PathBuf)>,
    /// Kept texts found when the incident opened, offered one after another.
    pub(in crate::tui) kept_queue: Vec<super::editor::KeptText>,
    /// The check's findings for the text in the composer (or the edit form), as typed.
    pub form_findings: Vec<crate::check::Finding>,
    /// How many figures the check read in that text.
    pub form_figures: usize,
    /// Who this console records as (`user@host`), to tell its own claims from others'.
    pub me: String,
    /// Every notice of this session, newest last (`!` lists them).
    pub notices: Vec<(Timestamp, Notice)>,
    /// Notices that arrived on their own (the inbox, other consoles, failures) since the
    /// list was last opened: several can arrive at once and only one fits on screen.
    pub unseen: usize,
    /// The consoles that have the open incident open (this one included).
    pub presence: Presence,
}

/// Who has an incident open, as the I/O worker last read it ([`crate::presence`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Presence {
    /// The incident folder it is about.
    pub path: PathBuf,
    /// This console's id.
    pub me: String,
    /// The live consoles, by person.
    pub consoles: Vec<crate::presence::Console>,
}

impl Presence {
    /// The other consoles with the incident open, each named as [`crate::presence::label`]
    /// does (person and machine; a short tag when one person has two). `short` names people
    /// by their user name only (`anna`, not `anna@laptop`), for narrow screens.
    pub fn others(&self, short: bool) -> Vec<String> {
        let name = |a: &str| -> String {
            if short {
                a.split('@').next().unwrap_or(a).to_owned()
            } else {
                a.to_owned()
            }
        };
        let all: Vec<(String, &str)> = self
            .consoles
            .iter()
            .map(|c| (name(&c.author), c.id.as_str()))
            .collect();
        self.consoles
            .iter()
            .filter(|c| c.id != self.me)
            .map(|c| {
                crate::presence::label(
                    &name(&c.author),
                    &c.id,
                    all.iter().map(|(a, id)| (a.as_str(), *id)),
                )
            })
            .collect()
    }
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
            real_now: now,
            drill: super::exercise::Drill::default(),
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
            stash: Vec::new(),
            submitted: None,
            in_flight: std::collections::VecDeque::new(),
            kept: Vec::new(),
            kept_queue: Vec::new(),
            form_findings: Vec::new(),
            form_figures: 0,
            me: String::new(),
            notices: Vec::new(),
            unseen: 0,
            presence: Presence::default(),
        }
    }

    /// The key context of what is on screen.
    pub fn context(&self) -> Context {
        if matches!(self.overlay, Some(Overlay::Page(_))) {
            return Context::Detail;
        }
        match &self.incident {
            Some(iv) => iv.view.context(),
            None => Context::Start,
        }
    }

    /// Whether live countdowns are on screen (the shell ticks at 1 Hz only then).
    pub fn has_clocks(&self) -> bool {
        self.incident.is_some()
    }

    /// The moment the screens count from: now, or when the open incident was closed (its
    /// clocks stop then).
    pub fn clock_now(&self) -> Timestamp {
        match self
            .incident
            .as_ref()
            .and_then(|iv| iv.data.incident.closed_at)
        {
            Some(closed) => closed.min(self.now),
            None => self.now,
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::Body;

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
