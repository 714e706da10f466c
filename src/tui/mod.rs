//! The full-screen console: a thin shell around [`app::App`].
//!
//! The loop waits for a key, a worker result or the 1 Hz tick (only while countdowns are on
//! screen), lets the app handle it, drains whatever else is queued, and draws once if
//! something changed. All file I/O runs on one worker thread, in order, so the render path
//! never touches the disk and appends keep their order.

pub mod app;
pub mod detail;
pub mod editor;
pub mod exercise;
pub mod filtered;
pub mod form;
mod input;
pub mod keymap;
pub mod live;
pub mod model;
pub mod rows;
pub mod theme;
pub mod ui;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc as std_mpsc;

use crossterm::event::Event as TermEvent;
use tokio::sync::mpsc;

use crate::clock::Clock;
use crate::incident::event::Event;
use crate::journal::JournalTail;
use crate::playbook::catalog::Catalog;
use crate::store::{IncidentDir, NewIncident, default_author};
use crate::watch::{Changed, Folder, Notice, Watch};
use app::{App, Effect, IncidentSummary, Loaded, Msg, StartData};

/// Where the console starts.
pub enum Start {
    /// The start screen, with incidents under this folder (and exercises under ./exercises).
    Screen { incidents: PathBuf },
    /// An incident folder (an exercise: as a player).
    Incident(PathBuf),
    /// An exercise folder, as its facilitator (the Exercise view, the clock's keys).
    Facilitator(PathBuf),
}

/// Runs the console until the user quits. The terminal is restored on every exit path,
/// panics included (ratatui's init installs the hook).
pub fn run(start: Start, clock: Arc<dyn Clock>, poll_only: bool) -> io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async move {
        // Raw mode, the alternate screen and the restoring panic hook come from ratatui's init;
        // the terminal it returns writes through line-buffered stdout, so ours buffers instead.
        drop(ratatui::try_init()?);
        let mut terminal = new_terminal()?;
        let result = event_loop(&mut terminal, start, clock, poll_only).await;
        ratatui::restore();
        result
    })
}

async fn event_loop(
    terminal: &mut Term,
    start: Start,
    clock: Arc<dyn Clock>,
    poll_only: bool,
) -> io::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    // Exercises live apart from real incidents; the start screen lists both.
    let dirs = match &start {
        Start::Screen { incidents } => (incidents.clone(), PathBuf::from("exercises")),
        Start::Incident(p) | Start::Facilitator(p) => {
            let parent = p.parent().map(Path::to_path_buf).unwrap_or_default();
            if crate::store::is_exercise(p) {
                (PathBuf::from("incidents"), parent)
            } else {
                (parent, PathBuf::from("exercises"))
            }
        }
    };
    let presence = Arc::new(std::sync::Mutex::new(PresenceSlot::default()));
    let jobs = spawn_worker(
        tx.clone(),
        dirs,
        Arc::clone(&clock),
        poll_only,
        Arc::clone(&presence),
    );
    let mut app = App::new(clock.now(), theme::Theme::from_env());
    app.me = default_author();
    match start {
        Start::Incident(p) => {
            let _ = jobs.send(Effect::Open(p));
        }
        Start::Facilitator(p) => {
            app.drill.facilitator = true;
            let _ = jobs.send(Effect::Open(p));
        }
        Start::Screen { .. } => {}
    }
    // The start screen's data is read either way, for Esc back to it.
    let _ = jobs.send(Effect::LoadStart);
    let (keys_tx, mut keys) = mpsc::unbounded_channel();
    let input = input::Input::start(keys_tx);
    let mut ticker = tokio::time::interval(std::time::Duration::from_secs(1));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        if app.dirty {
            terminal.draw(|f| ui::render(&app, f))?;
            app.dirty = false;
        }
        let msg = tokio::select! {
            ev = keys.recv() => match ev {
                Some(Ok(TermEvent::Key(k))) => Msg::Key(k),
                Some(Ok(TermEvent::Resize(..))) => Msg::Resize,
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e),
                None => break,
            },
            Some(m) = rx.recv() => m,
            _ = ticker.tick(), if app.has_clocks() => Msg::Tick(clock.now()),
        };
        let mut effects = app.handle(msg);
        while let Ok(m) = rx.try_recv() {
            effects.extend(app.handle(m));
        }
        for e in effects {
            match e {
                Effect::ExternalEditor { message, text } => {
                    let more = edit_externally(&mut app, terminal, &input, message, text);
                    for e in more? {
                        send_or_report(&jobs, e, &mut app);
                    }
                }
                other => send_or_report(&jobs, other, &mut app),
            }
        }
        if app.should_quit {
            break;
        }
    }
    // Quitting: this console is no longer there (here, not on the worker, which may be busy;
    // the slot's lock keeps a heartbeat from writing the file again).
    if let Ok(mut slot) = presence.lock() {
        slot.leave();
        slot.closed = true;
    }
    Ok(())
}

/// This console's presence file, shared by the I/O worker (which writes it) and the event
/// loop (which removes it on quit, without waiting for the worker).
#[derive(Default)]
struct PresenceSlot {
    /// The incident folder and console id of the file written, if any.
    file: Option<(PathBuf, String)>,
    /// The console is quitting: nothing is written any more.
    closed: bool,
}

impl PresenceSlot {
    /// Removes the file written, if any.
    fn leave(&mut self) {
        if let Some((incident, id)) = self.file.take() {
            let _ = crate::presence::remove(&incident, &id);
        }
    }
}

/// Gives the terminal to `$EDITOR` on a message's text and takes it back. The text is kept in
/// a file of its own first (`editor::keep`) and stays there until it is recorded or
/// discarded, so neither a failing editor nor a console that dies meanwhile loses it.
fn edit_externally(
    app: &mut App,
    terminal: &mut Term,
    input: &input::Input,
    message: uuid::Uuid,
    text: String,
) -> io::Result<Vec<Effect>> {
    let Some(incident) = app.incident.as_ref().map(|iv| iv.data.incident.id) else {
        return Ok(Vec::new());
    };
    let dir = editor::drafts_dir();
    let file = match editor::keep(&dir, incident, message, &format!("{text}\n")) {
        Ok(f) => f,
        Err(e) => {
            return Ok(app.handle(Msg::Failed(format!(
                "the editor was not started: its file could not be written in {}: {e}",
                dir.display()
            ))));
        }
    };
    // Nothing in this process reads the terminal while the editor has it.
    input.pause();
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = crossterm::execute!(
        io::stdout(),
        crossterm::terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let edited = editor::run_editor(&file);
    let back = take_terminal_back(terminal);
    input.resume();
    app.dirty = true;
    let (text_after, failure) = match edited {
        editor::Edited::Done(t) => (Some(t), None),
        editor::Edited::Failed { why, text } => (text, Some(why)),
    };
    let effects = app.handle(Msg::Edited {
        message,
        before: text,
        text: text_after,
        failure,
        file,
    });
    // If the terminal cannot be had back the console ends; the text stays in its file and
    // is offered again when the incident is opened.
    back.map(|()| effects)
}

/// Raw mode and the alternate screen again, and a fresh terminal whose first frame paints
/// everything. No cursor-position query (`Terminal::clear` makes one): nothing may depend
/// on a reply from the terminal here.
fn take_terminal_back(terminal: &mut Term) -> io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(
        io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        crossterm::cursor::Hide,
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    )?;
    *terminal = new_terminal()?;
    Ok(())
}

/// The console's terminal. Its writes are buffered so that a frame leaves in one write when
/// ratatui flushes at the end of a draw: over SSH a half-drawn frame is never shown, and a
/// frame costs one system call rather than one per kilobyte.
type Term = ratatui::Terminal<ratatui::backend::CrosstermBackend<io::BufWriter<io::Stdout>>>;

fn new_terminal() -> io::Result<Term> {
    let out = io::BufWriter::with_capacity(1 << 16, io::stdout());
    ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(out))
}

/// Hands an effect to the I/O worker; if the worker is gone (it panicked), says so on screen
/// rather than leaving the user believing entries are being saved.
fn send_or_report(jobs: &std_mpsc::Sender<Effect>, e: Effect, app: &mut App) {
    if jobs.send(e).is_err() {
        app.handle(Msg::Saved(Err(
            "the file worker stopped: nothing more can be saved — quit and open the incident again"
                .into(),
        )));
    }
}

/// Work for the I/O thread: the app's effects, and notices that a watched folder changed.
enum Job {
    Effect(Effect),
    Changed(Notice),
    /// Time to say this console is here and see who else is ([`crate::presence`]).
    Presence,
}

/// Writes `report.html` and `report.md` into the incident folder (on the worker: reading the
/// whole journal and rendering can take a moment on a large incident). Returns where.
pub fn write_reports(path: &Path, author: &str, now: jiff::Timestamp) -> Result<String, String> {
    let snap = IncidentDir::open(path, author)
        .and_then(|d| d.load())
        .map_err(|e| e.to_string())?;
    let set_aside = crate::store::foreign_findings(&path.join("journal"), &snap.foreign);
    let report = crate::report::build(&crate::report::Input {
        incident: &snap.incident,
        events: &snap.events,
        journal: &snap.report,
        set_aside: &set_aside,
        now,
    });
    for (name, format) in [
        ("report.html", crate::report::Format::Html),
        ("report.md", crate::report::Format::Markdown),
    ] {
        let file = path.join(name);
        crate::store::replace_file(&file, crate::report::render(&report, format).as_bytes())
            .map_err(|e| format!("{}: {e}", file.display()))?;
    }
    let interim = if report.incident.interim {
        " (interim: the incident is open)"
    } else {
        ""
    };
    Ok(format!(
        "report.html and report.md in {}{interim}",
        path.display()
    ))
}

/// The I/O worker: carries out effects in order and reports back as messages.
fn spawn_worker(
    tx: mpsc::UnboundedSender<Msg>,
    (incidents_dir, exercises_dir): (PathBuf, PathBuf),
    clock: Arc<dyn Clock>,
    poll_only: bool,
    presence: Arc<std::sync::Mutex<PresenceSlot>>,
) -> std_mpsc::Sender<Effect> {
    let (effects, effect_rx) = std_mpsc::channel::<Effect>();
    let (jobs, rx) = std_mpsc::channel::<Job>();
    // Effects from the app and change notices from the watches share one ordered queue.
    let forward = jobs.clone();
    std::thread::spawn(move || {
        for e in effect_rx {
            if forward.send(Job::Effect(e)).is_err() {
                break;
            }
        }
    });
    // The presence beat: ends when the worker does.
    let beat = jobs.clone();
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(crate::presence::READ_EVERY);
            if beat.send(Job::Presence).is_err() {
                break;
            }
        }
    });
    std::thread::Builder::new()
        .name("crisisdesk-io".into())
        .spawn(move || {
            let mut w = Worker {
                tx,
                author: default_author(),
                clock,
                incidents_dir,
                exercises_dir,
                poll_only,
                jobs: jobs.clone(),
                open: None,
                playbooks_watch: None,
                last_append_ok: false,
                presence,
                presence_written: None,
                presence_shown: None,
            };
            w.playbooks_watch =
                Some(w.watch(vec![(Folder::Playbooks, PathBuf::from("playbooks"))]));
            for job in rx {
                let msg = match job {
                    Job::Effect(e) => w.effect(e),
                    Job::Changed(f) => w.changed(f),
                    Job::Presence => w.presence(),
                };
                if let Some(msg) = msg
                    && w.tx.send(msg).is_err()
                {
                    break;
                }
            }
        })
        .expect("the I/O thread starts");
    effects
}

/// The incident this console has open: its folder (and writer), what it has read of the
/// journal, and the watch on it.
struct OpenIncident {
    dir: IncidentDir,
    reader: Reader,
    /// An exercise's scenario clock as of the latest fold: appends are dated in its time.
    scenario: Option<crate::exercise::ScenarioClock>,
    _watch: Watch,
}

/// What the console has read of an incident's journal, and the incident folded from it.
struct Reader {
    journal_dir: PathBuf,
    tail: JournalTail<Event>,
    /// The entries read so far and the incident folded from them, kept up to date.
    state: live::LiveState,
    /// The incident's id: entries naming another one are set aside.
    id: Option<uuid::Uuid>,
    /// Entries set aside, located (found again only when one more is set aside).
    foreign: Vec<crate::incident::tie::Foreign>,
    foreign_findings: Vec<crate::journal::Finding>,
}

impl Reader {
    /// Reads what is new in the files `changed` names; whether there was anything (entries
    /// or findings). Nothing is folded here: the state folds what arrived when next asked.
    fn read(&mut self, changed: &Changed) -> bool {
        let polled = match changed {
            Changed::Files(paths) => self.tail.poll_files(paths),
            Changed::Everything => self.tail.poll(),
        };
        if polled.entries.is_empty() && !polled.findings_changed {
            return false;
        }
        let mut fresh = polled.entries;
        if let Some(id) = self.id {
            let set_aside = crate::incident::tie::separate(&mut fresh, id);
            if !set_aside.is_empty() {
                self.foreign.extend(set_aside);
                self.foreign_findings =
                    crate::store::foreign_findings(&self.journal_dir, &self.foreign);
            }
        }
        self.state.append(fresh);
        true
    }
}

/// The open console's state as an inbox pass checks items against it: what is new on disk
/// is read first, then after each item recorded only this console's own file.
struct InboxState<'a> {
    reader: &'a mut Reader,
    /// This console's journal file.
    own: Option<PathBuf>,
    /// What to read before the next item is checked (`None`: nothing).
    unread: Option<Changed>,
    /// Whether the pass read entries the screens have not been given yet.
    read_any: bool,
}

impl crate::inbox::Standing for InboxState<'_> {
    fn with_state(
        &mut self,
        _dir: &IncidentDir,
        f: &mut dyn FnMut(&crate::incident::state::Incident, &[crate::journal::Stored<Event>]),
    ) -> Result<(), String> {
        if let Some(changed) = self.unread.take() {
            self.read_any |= self.reader.read(&changed);
        }
        self.reader
            .state
            .with(|incident, events| f(incident, events))
            .ok_or_else(|| "the journal does not fold into an incident".to_owned())
    }

    fn recorded(&mut self) {
        self.unread = Some(
            self.own
                .clone()
                .map_or(Changed::Everything, |f| Changed::Files(vec![f])),
        );
    }
}

struct Worker {
    tx: mpsc::UnboundedSender<Msg>,
    author: String,
    clock: Arc<dyn Clock>,
    incidents_dir: PathBuf,
    /// Where exercises are created and listed from (never among real incidents).
    exercises_dir: PathBuf,
    poll_only: bool,
    jobs: std_mpsc::Sender<Job>,
    open: Option<OpenIncident>,
    playbooks_watch: Option<Watch>,
    /// Whether the latest append reached the disk (a kept text goes only then).
    last_append_ok: bool,
    /// This console's presence file (removed on quit by the event loop).
    presence: Arc<std::sync::Mutex<PresenceSlot>>,
    /// When the presence file was last written (real time: the beat is not the incident's
    /// clock, which tests and demonstrations pin).
    presence_written: Option<std::time::Instant>,
    /// The consoles last shown, so an unchanged list is not sent again.
    presence_shown: Option<Vec<crate::presence::Console>>,
}

impl Worker {
    fn watch(&self, folders: Vec<(Folder, PathBuf)>) -> Watch {
        let jobs = std::sync::Mutex::new(self.jobs.clone());
        Watch::start(folders, self.poll_only, move |f| {
            if let Ok(j) = jobs.lock() {
                let _ = j.send(Job::Changed(f));
            }
        })
    }

    fn effect(&mut self, e: Effect) -> Option<Msg> {
        Some(match e {
            Effect::LoadStart => Msg::StartData(self.start_data()),
            Effect::Leave => {
                self.leave();
                return None;
            }
            Effect::Open(path) => match self.open_incident(&path) {
                Ok(l) => {
                    // Texts from $EDITOR never recorded (a crash, a failed editor): offer them.
                    let kept = editor::kept_for(&editor::drafts_dir(), l.incident.id);
                    let _ = self.tx.send(Msg::Opened(Box::new(l)));
                    if kept.is_empty() {
                        return None;
                    }
                    Msg::Kept(kept)
                }
                Err(e) => Msg::Failed(format!("cannot open {}: {e}", path.display())),
            },
            Effect::CreateExercise {
                playbook,
                title,
                severity,
                scenario_start,
                speed,
            } => {
                let catalog = Catalog::load(Path::new("playbooks"), None);
                let Some(entry) = catalog.get(&playbook) else {
                    return Some(Msg::Failed(format!(
                        "playbook {playbook} is no longer available"
                    )));
                };
                let new = NewIncident {
                    playbook: &entry.loaded,
                    title: &title,
                    severity: &severity,
                    detected_at: scenario_start,
                    exercise: true,
                };
                let plan = crate::incident::Body::ExercisePlanned {
                    scenario_start,
                    speed,
                    injects: entry.loaded.playbook.injects.clone(),
                    msel: None,
                };
                let created = IncidentDir::create_exercise(
                    &self.exercises_dir,
                    &new,
                    plan,
                    &self.author,
                    uuid::Uuid::now_v7(),
                    self.clock.now(),
                )
                .map_err(|e| e.to_string())
                .and_then(|d| self.open_incident(d.path()));
                match created {
                    Ok(l) => Msg::Opened(Box::new(l)),
                    Err(e) => Msg::Failed(format!("cannot create the exercise: {e}")),
                }
            }
            Effect::Create {
                playbook,
                title,
                severity,
                detected_at,
                exercise,
            } => {
                let catalog = Catalog::load(Path::new("playbooks"), None);
                let Some(entry) = catalog.get(&playbook) else {
                    return Some(Msg::Failed(format!(
                        "playbook {playbook} is no longer available"
                    )));
                };
                let new = NewIncident {
                    playbook: &entry.loaded,
                    title: &title,
                    severity: &severity,
                    detected_at,
                    exercise,
                };
                let now = self.clock.now();
                let created = IncidentDir::create(
                    &self.incidents_dir,
                    &new,
                    &self.author,
                    uuid::Uuid::now_v7(),
                    now,
                )
                .map_err(|e| e.to_string())
                .and_then(|d| self.open_incident(d.path()));
                match created {
                    Ok(l) => Msg::Opened(Box::new(l)),
                    Err(e) => Msg::Failed(format!("cannot create the incident: {e}")),
                }
            }
            Effect::Append { path, body, at } => {
                let Some(open) = self.open.as_mut().filter(|o| o.dir.path() == path) else {
                    return Some(Msg::Saved(Err("the incident is no longer open".into())));
                };
                let now = self.clock.now();
                // Never after now, in the incident's own time (scenario time in an exercise).
                let incident_now = open.scenario.as_ref().map_or(now, |c| c.at(now));
                let appended = open.dir.origin().and_then(|origin| {
                    let event = Event::new(
                        uuid::Uuid::now_v7(),
                        at.min(incident_now),
                        now,
                        &origin,
                        body,
                    );
                    // A failed write or sync abandons that file; the same entry goes once more
                    // to a new one. Same id and bytes: if the failed write did reach the disk,
                    // readers keep one copy.
                    open.dir.append(&event).or_else(|_| open.dir.append(&event))
                });
                self.last_append_ok = appended.is_ok();
                match appended {
                    Err(e) => Msg::Saved(Err(e.to_string())),
                    Ok(_) => Msg::Saved(
                        self.refresh_own()
                            .ok_or_else(|| "the journal could not be re-read".to_owned()),
                    ),
                }
            }
            Effect::Record { path, accepted } => {
                let Some(open) = self.open.as_mut().filter(|o| o.dir.path() == path) else {
                    return Some(Msg::Saved(Err("the incident is no longer open".into())));
                };
                let now = self.clock.now();
                let appended = open.dir.origin().and_then(|origin| {
                    // As for Append: once more, the same entry, to a new file.
                    let event = accepted.entry(&origin, now);
                    open.dir.append(&event).or_else(|_| open.dir.append(&event))
                });
                self.last_append_ok = appended.is_ok();
                match appended {
                    Err(e) => Msg::Saved(Err(e.to_string())),
                    Ok(_) => Msg::Saved(
                        self.refresh_own()
                            .ok_or_else(|| "the journal could not be re-read".to_owned()),
                    ),
                }
            }
            Effect::DeliverDue { path } => return self.deliver_due(&path),
            Effect::ExternalEditor { .. } => return None,
            Effect::WriteReport(path) => match write_reports(&path, &self.author, self.clock.now())
            {
                Ok(written) => Msg::Notice(format!("report written: {written}")),
                Err(e) => Msg::Failed(format!("cannot write the report: {e}")),
            },
            Effect::ForgetKept(file) => {
                editor::forget(&file);
                return None;
            }
            Effect::ForgetKeptIfSaved(file) => {
                if self.last_append_ok {
                    editor::forget(&file);
                }
                return None;
            }
        })
    }

    fn changed(&mut self, notice: Notice) -> Option<Msg> {
        match notice.folder {
            Folder::Journal => self.refresh(&notice.changed).map(Msg::Refreshed),
            Folder::Inbox => {
                let open = self.open.as_mut()?;
                let own = own_file(&mut open.dir);
                let mut state = InboxState {
                    reader: &mut open.reader,
                    own,
                    unread: Some(Changed::Everything),
                    read_any: false,
                };
                let report =
                    crate::inbox::process_with(&mut open.dir, self.clock.now(), &mut state);
                let read_any = state.read_any;
                if let Some(wait) = report.retry_after {
                    // Files still being written: look again once they have settled.
                    let jobs = self.jobs.clone();
                    std::thread::spawn(move || {
                        std::thread::sleep(wait);
                        let _ = jobs.send(Job::Changed(Notice {
                            folder: Folder::Inbox,
                            changed: Changed::Everything,
                        }));
                    });
                }
                let notes = report.notices();
                // Ingested items are in the journal now (in this console's file); show them
                // at once.
                let refreshed = match self.refresh_own() {
                    None if read_any => self.snapshot().map(Box::new),
                    r => r,
                };
                if let Some(r) = refreshed {
                    let _ = self.tx.send(Msg::Refreshed(r));
                }
                // Every notice, not only the last: the console keeps a list of them. What
                // kept items out matters more than what came in: it comes last, on screen.
                for n in notes {
                    let _ = self.tx.send(Msg::Notice(n));
                }
                report.warning().map(Msg::Failed)
            }
            Folder::Playbooks => {
                let data = self.start_data();
                if let Some(offer) = self.playbook_offer(&data) {
                    let _ = self.tx.send(offer);
                }
                Some(Msg::StartData(data))
            }
        }
    }

    /// The start screen's data: playbooks, incidents, and exercises (listed apart).
    fn start_data(&self) -> StartData {
        let mut data = load_start(&self.incidents_dir, Path::new("playbooks"));
        if self.exercises_dir != self.incidents_dir {
            data.incidents.extend(summaries(&self.exercises_dir));
            sort_summaries(&mut data.incidents);
        }
        data
    }

    /// When the open incident's playbook was edited on disk, the question whether to adopt it.
    fn playbook_offer(&mut self, data: &StartData) -> Option<Msg> {
        let open = self.open.as_mut()?;
        let incident = open.reader.state.incident()?;
        let entry = data.catalog.get(&incident.playbook.id)?;
        if entry.loaded.playbook == *incident.playbook {
            return None;
        }
        Some(Msg::PlaybookEdited {
            source: entry.loaded.source.clone(),
            changes: crate::playbook::diff::diff(&incident.playbook, &entry.loaded.playbook),
        })
    }

    fn open_incident(&mut self, path: &Path) -> Result<Loaded, String> {
        let dir = IncidentDir::open(path, &self.author).map_err(|e| e.to_string())?;
        let (tail, mut journal) =
            JournalTail::<Event>::open(dir.journal_dir()).map_err(|e| e.to_string())?;
        let id = crate::incident::tie::identity(&journal.entries, dir.incident_id());
        let foreign = match id {
            Some(id) => crate::incident::tie::separate(&mut journal.entries, id),
            None => Vec::new(),
        };
        let foreign_findings = crate::store::foreign_findings(&dir.journal_dir(), &foreign);
        let watch = self.watch(vec![
            (Folder::Journal, dir.journal_dir()),
            (Folder::Inbox, dir.inbox_dir()),
        ]);
        self.leave();
        let state = live::LiveState::new(dir.path().to_path_buf(), journal.entries);
        self.open = Some(OpenIncident {
            reader: Reader {
                journal_dir: dir.journal_dir(),
                tail,
                state,
                id,
                foreign,
                foreign_findings,
            },
            dir,
            scenario: None,
            _watch: watch,
        });
        // Items dropped while no console was running are ingested now.
        let _ = self.jobs.send(Job::Changed(Notice {
            folder: Folder::Inbox,
            changed: Changed::Everything,
        }));
        // Here at once, for every console (this one included).
        let _ = self.jobs.send(Job::Presence);
        self.presence_written = None;
        self.presence_shown = None;
        self.snapshot()
            .ok_or_else(|| "the journal does not fold into an incident".into())
    }

    /// Closes the open incident: this console is no longer there.
    fn leave(&mut self) {
        if let Ok(mut slot) = self.presence.lock() {
            slot.leave();
        }
        self.open = None;
        self.presence_shown = None;
    }

    /// Writes this console's presence file when a heartbeat is due, reads who is there, and
    /// says so when that changed. Failures are not reported: presence is a
    /// courtesy, and a folder that cannot be written is reported by the appends.
    fn presence(&mut self) -> Option<Msg> {
        let open = self.open.as_ref()?;
        let path = open.dir.path().to_path_buf();
        let now = self.clock.now();
        let due = self
            .presence_written
            .is_none_or(|t| t.elapsed() >= crate::presence::HEARTBEAT);
        if due && let Ok(mut slot) = self.presence.lock() {
            if slot.closed {
                return None;
            }
            let id = open.dir.console_id();
            if crate::presence::touch(&path, &id, open.dir.author(), now).is_ok() {
                slot.file = Some((path.clone(), id));
            }
            self.presence_written = Some(std::time::Instant::now());
        }
        let live = crate::presence::read(&path, now);
        if self.presence_shown.as_ref() == Some(&live) {
            return None;
        }
        self.presence_shown = Some(live.clone());
        Some(Msg::Presence {
            path,
            me: open.dir.console_id(),
            consoles: live,
        })
    }

    /// Reads what this console just wrote (and anything else new in its file).
    fn refresh_own(&mut self) -> Option<Box<Loaded>> {
        let open = self.open.as_mut()?;
        let changed =
            own_file(&mut open.dir).map_or(Changed::Everything, |f| Changed::Files(vec![f]));
        self.refresh(&changed)
    }

    /// Reads what is new in the files a notice names (from any console) and folds it in;
    /// `None` when there was nothing new, so nothing is folded or redrawn.
    fn refresh(&mut self, changed: &Changed) -> Option<Box<Loaded>> {
        let open = self.open.as_mut()?;
        if !open.reader.read(changed) {
            return None;
        }
        self.snapshot().map(Box::new)
    }

    /// One delivery pass over the open exercise, by this console: what is due is delivered
    /// (the journal keeps one delivery per inject whoever else delivers it), and the incident
    /// is read again.
    fn deliver_due(&mut self, path: &Path) -> Option<Msg> {
        // The incident as it stands, with whatever is new.
        let loaded = match self.refresh(&Changed::Everything) {
            Some(loaded) => loaded,
            None => Box::new(self.snapshot()?),
        };
        let open = self.open.as_mut().filter(|o| o.dir.path() == path)?;
        // An exercise's journal is small: a copy keeps the lock out of the appends.
        let events = open.reader.state.events().read().clone();
        let delivered = open
            .dir
            .deliver_due(&loaded.incident, &events, self.clock.now());
        match delivered {
            Ok(d) if d.is_empty() => Some(Msg::Refreshed(loaded)),
            Ok(_) => self.refresh_own().map(Msg::Refreshed),
            Err(e) => Some(Msg::Failed(format!("inject delivery failed: {e}"))),
        }
    }

    /// What the screens show, with the entries read since the last time folded in (the
    /// whole journal is folded again only when they cannot simply be applied).
    fn snapshot(&mut self) -> Option<Loaded> {
        let open = self.open.as_mut()?;
        let console = open.dir.console_id();
        let r = &mut open.reader;
        let loaded = r
            .state
            .loaded(console, &r.tail.report(), &r.foreign_findings)?;
        open.scenario = loaded
            .incident
            .exercise_state
            .as_ref()
            .map(|ex| ex.clock.clone());
        Some(loaded)
    }
}

/// This console's own journal file in the incident (its writer is opened if it was not).
fn own_file(dir: &mut IncidentDir) -> Option<PathBuf> {
    let console = dir.origin().ok()?.console;
    Some(dir.journal_dir().join(format!("{console}.jsonl")))
}

/// Reads the playbooks and every incident folder under `dir`.
pub fn load_start(dir: &Path, playbooks: &Path) -> StartData {
    let today = jiff::ZonedDateTime::now().date();
    let catalog = Catalog::load(playbooks, Some(today));
    let mut incidents = summaries(dir);
    sort_summaries(&mut incidents);
    StartData {
        catalog: Arc::new(catalog),
        incidents,
    }
}

/// Real incidents before exercises; open ones first, most recently active first.
fn sort_summaries(list: &mut [IncidentSummary]) {
    list.sort_by_key(|s| (s.exercise, s.closed, std::cmp::Reverse(s.last_activity)));
}

/// The incident (or exercise) folders under `dir`, as the start screen lists them.
fn summaries(dir: &Path) -> Vec<IncidentSummary> {
    let mut incidents = Vec::new();
    if let Ok(read) = std::fs::read_dir(dir) {
        let mut paths: Vec<PathBuf> = read
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.join("journal").is_dir())
            .collect();
        paths.sort();
        for path in paths {
            let summary = match IncidentDir::open(&path, "").and_then(|d| d.load()) {
                Ok(snap) => {
                    let inc = &snap.incident;
                    IncidentSummary {
                        path: path.clone(),
                        title: inc.title.clone(),
                        playbook: inc.playbook.id.clone(),
                        severity: inc
                            .playbook
                            .severity(&inc.severity)
                            .map_or(inc.severity.clone(), |s| s.name.clone()),
                        closed: inc.closed_at.is_some(),
                        exercise: inc.exercise,
                        last_activity: inc.last_recorded_at,
                        problem: None,
                    }
                }
                Err(e) => IncidentSummary {
                    path: path.clone(),
                    title: path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    playbook: String::new(),
                    severity: String::new(),
                    closed: false,
                    exercise: false,
                    last_activity: jiff::Timestamp::UNIX_EPOCH,
                    problem: Some(e.to_string()),
                },
            };
            incidents.push(summary);
        }
    }
    incidents
}
