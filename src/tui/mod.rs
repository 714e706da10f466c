//! The full-screen console: a thin shell around [`app::App`].
//!
//! The loop waits for a key, a worker result or the 1 Hz tick (only while countdowns are on
//! screen), lets the app handle it, drains whatever else is queued, and draws once if
//! something changed. All file I/O runs on one worker thread, in order, so the render path
//! never touches the disk and appends keep their order.

pub mod app;
pub mod form;
pub mod keymap;
pub mod theme;
pub mod ui;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc as std_mpsc;

use crossterm::event::{Event as TermEvent, EventStream};
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::clock::Clock;
use crate::incident::status::JournalHealth;
use crate::playbook::catalog::Catalog;
use crate::store::{IncidentDir, NewIncident, default_author};
use app::{App, Effect, IncidentSummary, Loaded, Msg, StartData};

/// Where the console starts.
pub enum Start {
    /// The start screen, with incidents under this folder.
    Screen { incidents: PathBuf },
    /// An incident folder.
    Incident(PathBuf),
}

/// Runs the console until the user quits. The terminal is restored on every exit path,
/// panics included (ratatui's init installs the hook).
pub fn run(start: Start, clock: Arc<dyn Clock>) -> io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let mut terminal = ratatui::try_init()?;
        let result = event_loop(&mut terminal, start, clock).await;
        ratatui::restore();
        result
    })
}

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    start: Start,
    clock: Arc<dyn Clock>,
) -> io::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let incidents_dir = match &start {
        Start::Screen { incidents } => incidents.clone(),
        Start::Incident(p) => p.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let jobs = spawn_worker(tx.clone(), incidents_dir, Arc::clone(&clock));
    let mut app = App::new(clock.now(), theme::Theme::from_env());
    if let Start::Incident(p) = start {
        let _ = jobs.send(Effect::Open(p));
    }
    // The start screen's data is read either way, for Esc back to it.
    let _ = jobs.send(Effect::LoadStart);
    let mut events = EventStream::new();
    let mut ticker = tokio::time::interval(std::time::Duration::from_secs(1));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        if app.dirty {
            terminal.draw(|f| ui::render(&app, f))?;
            app.dirty = false;
        }
        let msg = tokio::select! {
            ev = events.next() => match ev {
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
                    // The editor owns the terminal until it exits; stop reading keys first.
                    drop(events);
                    ratatui::restore();
                    let edited = external_edit(&text);
                    *terminal = ratatui::try_init()?;
                    terminal.clear()?;
                    events = EventStream::new();
                    app.dirty = true;
                    match edited {
                        Ok(t) if t != text => {
                            let more = app.handle(Msg::Edited { message, text: t });
                            for e in more {
                                let _ = jobs.send(e);
                            }
                        }
                        Ok(_) => {}
                        Err(e) => {
                            app.handle(Msg::Failed(format!("editor: {e}")));
                        }
                    }
                }
                other => {
                    let _ = jobs.send(other);
                }
            }
        }
        if app.should_quit {
            break;
        }
    }
    Ok(())
}

/// Runs `$EDITOR` (or `$VISUAL`, else `vi`) on a private temp file holding `text`.
fn external_edit(text: &str) -> io::Result<String> {
    let dir = std::env::temp_dir().join(format!("crisisdesk-{}", uuid::Uuid::now_v7().simple()));
    crate::store::create_private_dir(&dir)?;
    let path = dir.join("message.txt");
    crate::store::write_private_file(&path, text.as_bytes())?;
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".into());
    let mut parts = shlex::split(&editor).unwrap_or_else(|| vec![editor.clone()]);
    let program = parts.remove(0);
    let status = std::process::Command::new(program)
        .args(parts)
        .arg(&path)
        .status();
    let result = match status {
        Ok(s) if s.success() => std::fs::read_to_string(&path),
        Ok(s) => Err(io::Error::other(format!(
            "the editor exited with {s}; nothing changed"
        ))),
        Err(e) => Err(e),
    };
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_dir(&dir);
    result.map(|t| t.trim_end_matches('\n').to_owned())
}

/// The I/O worker: carries out effects in order and reports back as messages.
fn spawn_worker(
    tx: mpsc::UnboundedSender<Msg>,
    incidents_dir: PathBuf,
    clock: Arc<dyn Clock>,
) -> std_mpsc::Sender<Effect> {
    let (jobs, rx) = std_mpsc::channel::<Effect>();
    std::thread::Builder::new()
        .name("crisisdesk-io".into())
        .spawn(move || {
            let author = default_author();
            // One incident folder (and so one journal file) per session.
            let mut open: Option<IncidentDir> = None;
            for job in rx {
                let msg = match job {
                    Effect::LoadStart => Msg::StartData(load_start(&incidents_dir)),
                    Effect::Open(path) => match IncidentDir::open(&path, &author).and_then(|d| {
                        let l = load(&d)?;
                        open = Some(d);
                        Ok(l)
                    }) {
                        Ok(l) => Msg::Opened(Box::new(l)),
                        Err(e) => Msg::Failed(format!("cannot open {}: {e}", path.display())),
                    },
                    Effect::Create {
                        playbook,
                        title,
                        severity,
                        detected_at,
                        exercise,
                    } => {
                        let catalog = Catalog::load(Path::new("playbooks"), None);
                        match catalog.get(&playbook) {
                            None => {
                                Msg::Failed(format!("playbook {playbook} is no longer available"))
                            }
                            Some(e) => {
                                let new = NewIncident {
                                    playbook: &e.loaded,
                                    title: &title,
                                    severity: &severity,
                                    detected_at,
                                    exercise,
                                };
                                let now = clock.now();
                                match IncidentDir::create(
                                    &incidents_dir,
                                    &new,
                                    &author,
                                    uuid::Uuid::now_v7(),
                                    now,
                                )
                                .and_then(|d| {
                                    let l = load(&d)?;
                                    open = Some(d);
                                    Ok(l)
                                }) {
                                    Ok(l) => Msg::Opened(Box::new(l)),
                                    Err(e) => {
                                        Msg::Failed(format!("cannot create the incident: {e}"))
                                    }
                                }
                            }
                        }
                    }
                    Effect::Append { path, body, at } => {
                        let dir = match open.take() {
                            Some(d) if d.path() == path => Ok(d),
                            _ => IncidentDir::open(&path, &author),
                        };
                        match dir {
                            Err(e) => Msg::Saved(Err(e.to_string())),
                            Ok(mut d) => {
                                let now = clock.now();
                                let r = d
                                    .append_with(uuid::Uuid::now_v7(), at.min(now), now, body)
                                    .and_then(|_| load(&d));
                                open = Some(d);
                                Msg::Saved(r.map(Box::new).map_err(|e| e.to_string()))
                            }
                        }
                    }
                    Effect::ExternalEditor { .. } => continue,
                };
                if tx.send(msg).is_err() {
                    break;
                }
            }
        })
        .expect("the I/O thread starts");
    jobs
}

fn load(dir: &IncidentDir) -> Result<Loaded, crate::store::StoreError> {
    let snap = dir.load()?;
    let health = health(&snap);
    Ok(Loaded {
        path: dir.path().to_path_buf(),
        events: Arc::new(snap.events),
        incident: Arc::new(snap.incident),
        health,
    })
}

fn health(snap: &crate::store::Snapshot) -> JournalHealth {
    crate::cli::incident::journal_health(snap)
}

/// Reads the playbooks and every incident folder under `dir`.
pub fn load_start(dir: &Path) -> StartData {
    let today = jiff::ZonedDateTime::now().date();
    let catalog = Catalog::load(Path::new("playbooks"), Some(today));
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
    // Open incidents first, most recently active first.
    incidents.sort_by_key(|s| (s.closed, std::cmp::Reverse(s.last_activity)));
    StartData {
        catalog: Arc::new(catalog),
        incidents,
    }
}
