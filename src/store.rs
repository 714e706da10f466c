//! Incident folders on disk: creating one, reading its journal, appending to it.
//!
//! ```text
//! incidents/2026-11-27-customer-data-exposed/
//!   incident.json        what it is (id, title, playbook, created) — for listings; the journal is the record
//!   journal/             one append-only file per console process (see docs/journal-format.md)
//!   inbox/               JSON items dropped by other tools and people
//! ```
//! This is the I/O shell around the pure domain: it reads files, folds them with
//! [`crate::incident::fold`], and writes events through one [`JournalWriter`] per process.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::incident::tie::{self, Foreign};
use crate::incident::{Body, Event, FoldError, Incident, Origin, fold};
use crate::journal::{
    Finding, JournalError, JournalReport, JournalWriter, Stored, console_slug, read_journal,
};
use crate::playbook::Loaded;

/// The value of `format` in `incident.json`.
pub const INCIDENT_FORMAT: &str = "crisisdesk.incident.v1";

/// What `incident.json` holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentFile {
    pub format: String,
    pub id: Uuid,
    pub title: String,
    pub playbook: String,
    pub exercise: bool,
    pub created_at: Timestamp,
}

/// Why an incident folder could not be created, read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not an incident folder (it has no journal/ folder)", .0.display())]
    NotAnIncident(PathBuf),
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("{}: {source}", path.display())]
    Fold { path: PathBuf, source: FoldError },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The incident as read from disk: events, folded state and what the reader found.
#[derive(Debug)]
pub struct Snapshot {
    /// This incident's entries (those of other incidents set aside).
    pub events: Vec<Stored<Event>>,
    pub incident: Incident,
    pub report: JournalReport,
    /// Entries set aside as not this incident's (see [`crate::incident::tie`]).
    pub foreign: Vec<Foreign>,
}

/// Findings for entries set aside, each located by file and line.
pub fn foreign_findings(journal_dir: &Path, foreign: &[Foreign]) -> Vec<Finding> {
    foreign
        .iter()
        .map(|f| {
            let (file, line) = crate::journal::locate(journal_dir, &f.console, f.id)
                .map_or((format!("{}.jsonl", f.console), None), |(file, line)| {
                    (file, Some(line))
                });
            Finding::damage(&file, line, None, f.why.kind(), f.why.meaning())
        })
        .collect()
}

/// `incident.json` of the incident folder `path`, if it can be read.
pub fn incident_file(path: &Path) -> Option<IncidentFile> {
    let text = fs::read(path.join("incident.json")).ok()?;
    serde_json::from_slice(&text).ok()
}

/// The incident id `incident.json` in `path` gives, if it can be read.
pub fn incident_id(path: &Path) -> Option<Uuid> {
    let text = fs::read(path.join("incident.json")).ok()?;
    serde_json::from_slice::<IncidentFile>(&text)
        .ok()
        .map(|f| f.id)
}

/// An incident folder, and this process's writer for it (created on the first append).
#[derive(Debug)]
pub struct IncidentDir {
    path: PathBuf,
    writer: Option<JournalWriter>,
    origin_author: String,
    /// The incident's id from `incident.json`, stamped on every entry written.
    incident: Option<Uuid>,
    /// Append to the person's shared file under its lock ([`JournalWriter::shared`]) rather
    /// than to a file of this process's own.
    shared: bool,
    /// This process's session: its console id before anything is written (presence), and
    /// the name of its first journal file (unless it continues the person's shared file).
    session: Uuid,
}

/// What a new incident starts with.
pub struct NewIncident<'a> {
    pub playbook: &'a Loaded,
    pub title: &'a str,
    pub severity: &'a str,
    pub detected_at: Timestamp,
    pub exercise: bool,
}

impl IncidentDir {
    /// Opens an existing incident folder.
    pub fn open(path: impl Into<PathBuf>, author: &str) -> Result<Self, StoreError> {
        let path = path.into();
        if !path.join("journal").is_dir() {
            return Err(StoreError::NotAnIncident(path));
        }
        Ok(IncidentDir {
            incident: incident_id(&path),
            path,
            writer: None,
            origin_author: author.to_owned(),
            shared: false,
            session: Uuid::now_v7(),
        })
    }

    /// Makes this process append to the file its author's earlier short-lived processes on
    /// this machine appended to, under their shared lock (see [`JournalWriter::shared`]), so
    /// a script of many `crisisdesk log` calls leaves one file, not one per call. Takes effect
    /// at the first append.
    pub fn continuing_person_file(mut self) -> Self {
        self.shared = true;
        self
    }

    /// Creates `parent/YYYY-MM-DD-slug` (a free name), writes `incident.json` and the
    /// "incident opened" event, and returns the folder.
    pub fn create(
        parent: &Path,
        new: &NewIncident<'_>,
        author: &str,
        id: Uuid,
        now: Timestamp,
    ) -> Result<Self, StoreError> {
        Self::create_dated(parent, new, author, id, now, now)
    }

    /// Creates an exercise folder like [`Self::create`]: its first entries are dated in
    /// scenario time, at `new.detected_at` (the scenario start), and the second is `plan`
    /// (the `exercise_planned` entry with the MSEL and the clock settings).
    pub fn create_exercise(
        parent: &Path,
        new: &NewIncident<'_>,
        plan: Body,
        author: &str,
        id: Uuid,
        now: Timestamp,
    ) -> Result<Self, StoreError> {
        debug_assert!(new.exercise && matches!(plan, Body::ExercisePlanned { .. }));
        let mut dir = Self::create_dated(parent, new, author, id, new.detected_at, now)?;
        dir.append_with(Uuid::now_v7(), new.detected_at, now, plan)?;
        Ok(dir)
    }

    fn create_dated(
        parent: &Path,
        new: &NewIncident<'_>,
        author: &str,
        id: Uuid,
        at: Timestamp,
        now: Timestamp,
    ) -> Result<Self, StoreError> {
        create_private_dir_all(parent)?;
        let pb = &new.playbook.playbook;
        let tz = jiff::tz::TimeZone::get(pb.timezone_name()).unwrap_or(jiff::tz::TimeZone::UTC);
        let date = new.detected_at.to_zoned_datetime(tz).date();
        let base = format!("{date}-{}", slug(new.title));
        let mut path = parent.join(&base);
        let mut n = 1;
        loop {
            match create_private_dir(&path) {
                Ok(()) => break,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    n += 1;
                    path = parent.join(format!("{base}-{n}"));
                }
                Err(e) => return Err(io(&path)(e)),
            }
        }
        create_private_dir(&path.join("journal")).map_err(io(&path))?;
        create_private_dir(&path.join("inbox")).map_err(io(&path))?;
        let meta = IncidentFile {
            format: INCIDENT_FORMAT.into(),
            id,
            title: new.title.to_owned(),
            playbook: pb.id.clone(),
            exercise: new.exercise,
            created_at: now,
        };
        let meta_path = path.join("incident.json");
        let mut text = serde_json::to_string_pretty(&meta).expect("incident.json serialises");
        text.push('\n');
        write_private_file(&meta_path, text.as_bytes()).map_err(io(&meta_path))?;
        let mut dir = IncidentDir {
            path,
            writer: None,
            origin_author: author.to_owned(),
            incident: Some(id),
            shared: false,
            session: Uuid::now_v7(),
        };
        let body = Body::IncidentOpened {
            title: new.title.to_owned(),
            playbook_id: pb.id.clone(),
            playbook_source: new.playbook.source.clone(),
            severity: new.severity.to_owned(),
            detected_at: new.detected_at,
            exercise: new.exercise,
        };
        dir.append_with(id, at, now, body)?;
        Ok(dir)
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The journal folder.
    pub fn journal_dir(&self) -> PathBuf {
        self.path.join("journal")
    }

    /// The inbox folder.
    pub fn inbox_dir(&self) -> PathBuf {
        self.path.join("inbox")
    }

    /// Reads every journal file, merges, sets aside entries of other incidents, and folds.
    pub fn load(&self) -> Result<Snapshot, StoreError> {
        let mut journal = read_journal::<Event>(self.journal_dir())?;
        let foreign = match tie::identity(&journal.entries, self.incident) {
            Some(id) => tie::separate(&mut journal.entries, id),
            None => Vec::new(),
        };
        let incident = fold(&journal.entries).map_err(|source| StoreError::Fold {
            path: self.path.clone(),
            source,
        })?;
        Ok(Snapshot {
            events: journal.entries,
            incident,
            report: journal.report,
            foreign,
        })
    }

    /// The incident's id as `incident.json` gives it.
    pub fn incident_id(&self) -> Option<Uuid> {
        self.incident
    }

    /// Who this process writes as.
    pub fn origin(&mut self) -> Result<Origin, StoreError> {
        let console = self.writer()?.console_id().to_owned();
        Ok(Origin {
            author: self.origin_author.clone(),
            console,
        })
    }

    /// This process's console id (`<person>-<session>`), known before its journal file is
    /// made: the file's name until a failed write moves it to a new one.
    pub fn console_id(&self) -> String {
        if let Some(w) = &self.writer {
            return w.console_id().to_owned();
        }
        format!(
            "{}-{}",
            console_slug(&self.origin_author),
            self.session.simple()
        )
    }

    /// Who this process writes as (`user@host`).
    pub fn author(&self) -> &str {
        &self.origin_author
    }

    fn writer(&mut self) -> Result<&mut JournalWriter, StoreError> {
        if self.writer.is_none() {
            let slug = console_slug(&self.origin_author);
            let w = if self.shared {
                JournalWriter::shared(self.journal_dir(), &slug)
            } else {
                JournalWriter::create_with_session(self.journal_dir(), &slug, self.session)
            }
            .map_err(io(&self.path))?;
            self.writer = Some(w);
        }
        Ok(self.writer.as_mut().expect("just created"))
    }

    /// Appends one event happening at `at`; returns it once it is on disk.
    pub fn append_with(
        &mut self,
        id: Uuid,
        at: Timestamp,
        now: Timestamp,
        body: Body,
    ) -> Result<Event, StoreError> {
        let origin = self.origin()?;
        let mut event = Event::new(id, at, now, &origin, body);
        event.incident = event.incident.or(self.incident);
        self.append(&event)?;
        Ok(event)
    }

    /// Appends an event recorded on someone else's behalf (an inbox item names its author);
    /// the console is still this process's.
    pub fn append_as(
        &mut self,
        author: &str,
        id: Uuid,
        at: Timestamp,
        now: Timestamp,
        body: Body,
    ) -> Result<Event, StoreError> {
        let mut origin = self.origin()?;
        origin.author = author.to_owned();
        let mut event = Event::new(id, at, now, &origin, body);
        event.incident = event.incident.or(self.incident);
        self.append(&event)?;
        Ok(event)
    }

    /// Appends an entry the command layer accepted, recorded at real time `real_now` (with
    /// the id and stamp the rules fixed, if any).
    pub fn append_accepted(
        &mut self,
        accepted: crate::incident::Accepted,
        real_now: Timestamp,
    ) -> Result<Event, StoreError> {
        let origin = self.origin()?;
        let event = accepted.entry(&origin, real_now);
        self.append(&event)?;
        Ok(event)
    }

    /// One delivery pass over an exercise at real time `real_now`: every inject whose time
    /// has come on the scenario clock and that is not yet delivered or skipped is delivered,
    /// through the command layer. Returns what was appended (nothing for a real incident).
    /// Safe to run from any number of consoles at once: deliveries of one inject are one
    /// entry, whoever writes it.
    pub fn deliver_due(
        &mut self,
        incident: &Incident,
        events: &[Stored<Event>],
        real_now: Timestamp,
    ) -> Result<Vec<Event>, StoreError> {
        let Some(ex) = incident.exercise_state.as_deref() else {
            return Ok(Vec::new());
        };
        let known: std::collections::HashSet<Uuid> = events.iter().map(|s| s.entry.id).collect();
        let cx = crate::incident::Context::new(incident, events, real_now);
        let mut out = Vec::new();
        for inject in ex.due(real_now, |id| known.contains(id)) {
            let cmd = crate::incident::Command::Deliver {
                inject: inject.inject.id.clone(),
            };
            if let Ok(accepted) = cx.check(cmd, None) {
                out.push(self.append_accepted(accepted, real_now)?);
            }
        }
        Ok(out)
    }

    /// Appends a prepared event, stamped with this incident's id if it names none. On
    /// failure the event is not saved; the next append goes to a new file (the journal never
    /// retries on a file whose write or fsync failed).
    pub fn append(&mut self, event: &Event) -> Result<(), StoreError> {
        if event.incident.is_none() && self.incident.is_some() {
            let mut stamped = event.clone();
            stamped.incident = self.incident;
            self.writer()?.append(&stamped)?;
        } else {
            self.writer()?.append(event)?;
        }
        Ok(())
    }
}

/// Whether a folder is a tabletop exercise, from its `incident.json` (without reading the
/// journal).
pub fn is_exercise(path: &Path) -> bool {
    fs::read(path.join("incident.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<IncidentFile>(&b).ok())
        .is_some_and(|f| f.exercise)
}

/// `name@host` for the current user, the default author.
pub fn default_author() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "someone".into());
    format!("{user}@{}", hostname())
}

fn hostname() -> String {
    let from_file = fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| fs::read_to_string("/etc/hostname"))
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    from_file
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "localhost".into())
}

/// A folder-name slug of a title: ASCII letters and digits joined by `-`, at most 48 long.
pub fn slug(title: &str) -> String {
    let ascii = deunicode::deunicode(title).to_lowercase();
    let mut out = String::new();
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 48 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "incident".into()
    } else {
        out
    }
}

/// Creates a folder readable only by its owner (0700 on unix).
pub fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut b = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(path)
}

fn create_private_dir_all(path: &Path) -> Result<(), StoreError> {
    if path.is_dir() {
        return Ok(());
    }
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(path).map_err(io(path))
}

/// Writes a new file readable only by its owner (0600 on unix) and syncs it.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Replaces `path` with `bytes` in one step: written to a new private (0600) file beside it,
/// synced, then renamed over it, so a reader never sees half a file and a crash leaves the old
/// one whole. For reports written into or beside an incident folder.
pub fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| std::io::Error::other("not a file name"))?
        .to_string_lossy();
    let tmp = dir.join(format!(".{name}.{}.tmp", Uuid::now_v7().simple()));
    let written = write_private_file(&tmp, bytes).and_then(|()| fs::rename(&tmp, path));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_readable_ascii() {
        assert_eq!(slug("Customer data exposed!"), "customer-data-exposed");
        assert_eq!(slug("Awaria wodociągów — Łódź"), "awaria-wodociagow-lodz");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("🔥"), "fire");
        assert_eq!(slug("   "), "incident");
        assert!(slug(&"long title ".repeat(20)).len() <= 48);
    }
}
