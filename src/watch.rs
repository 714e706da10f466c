//! Noticing that files changed: change events from the OS, plus a poll that always runs.
//!
//! Folders are watched, never single files (editors save by renaming, which ends a file
//! watch). A notice says which folder changed and, where known, which files in it, so the
//! reader re-reads only those: an idle follower of a folder of 100,000 journal files costs
//! next to nothing.
//!
//! - **Change events** come straight from `notify`'s recommended watcher. The first event
//!   after a quiet spell is passed on at once; events arriving within [`BATCH`] after a notice
//!   are gathered into one notice at the end of that window, so a burst of writes costs one
//!   re-read per window, never one per write. `Access` events are dropped (reading is not
//!   changing, and the caller's own reads must not wake it again); a `Rescan` or a watcher
//!   error says "anything may have changed". (`notify-debouncer-full` was not used: it holds
//!   a path's events back for as long as they keep coming, notify-rs/notify#146.)
//! - **The poll** runs every [`POLL_INTERVAL`] because network drives and some sync tools
//!   deliver no events. It compares size, inode and modification time in nanoseconds
//!   (notify's own poller compares whole seconds and misses appends), but not of every file
//!   every time: it looks at the folder itself (a new, removed or renamed file changes it),
//!   at files that changed in the last [`HOT`] every time, and at the others
//!   [`COLD_PER_POLL`] at a time, in turn. On a drive without events, a file quiet for longer
//!   than [`HOT`] that changes again is noticed within its turn: seconds for a few hundred
//!   files, minutes for 100,000 (docs/design.md).
//!
//! Either path only says *what* changed; the caller then reads what is new, so a duplicate
//! notice costs a cheap re-check, never a duplicate entry.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use notify::{EventKind, RecursiveMode, Watcher as _};

/// How often the poll looks, events or not.
pub const POLL_INTERVAL: Duration = Duration::from_millis(1000);
/// After a notice, further change events are gathered this long into one notice: the first
/// change after a quiet spell is passed on at once, later ones within this much.
pub const BATCH: Duration = Duration::from_millis(10);
/// A file that changed within this long is looked at on every poll.
pub const HOT: Duration = Duration::from_secs(600);
/// Files not changed lately that each poll looks at, in turn.
pub const COLD_PER_POLL: usize = 256;
/// The poll lists a folder again when the folder itself changed, and at least this often
/// (more rarely for large folders: one second per 1,000 files), in case a file system does not
/// update a folder's time.
pub const RELIST: Duration = Duration::from_secs(30);
/// Changed files named in one notice; beyond that it says "anything may have changed".
const MAX_NAMED: usize = 1024;
/// Longer than the clock tick file systems stamp times with.
const SAME_TICK: Duration = Duration::from_millis(100);

/// A watched folder's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Folder {
    Journal,
    Inbox,
    Playbooks,
}

/// What changed in a folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Changed {
    /// These files (written, created, renamed, removed), by path.
    Files(Vec<PathBuf>),
    /// Anything may have changed: events were lost, or the watcher failed.
    Everything,
}

impl Changed {
    /// Whether `path` may have changed.
    pub fn includes(&self, path: &Path) -> bool {
        match self {
            Changed::Files(files) => files.iter().any(|f| f == path),
            Changed::Everything => true,
        }
    }
}

/// One notice: a folder changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub folder: Folder,
    pub changed: Changed,
}

/// Running watches; dropping it stops them.
pub struct Watch {
    // Kept alive on purpose: dropping the watcher stops the OS watch, and with it the thread
    // gathering its events.
    _watcher: Option<notify::RecommendedWatcher>,
    stop: Arc<AtomicBool>,
    poller: Option<JoinHandle<()>>,
    /// Why change events are not available, if they are not (the poll still runs).
    pub events_unavailable: Option<String>,
}

impl Watch {
    /// Watches `folders` (which need not exist yet) and calls `notice` when one changes. With
    /// `poll_only`, no OS events are used: for network drives and for testing. The poll's
    /// first look is taken before this returns, so a change made after it is always noticed.
    pub fn start<F>(folders: Vec<(Folder, PathBuf)>, poll_only: bool, notice: F) -> Watch
    where
        F: Fn(Notice) + Send + Sync + 'static,
    {
        let notice = Arc::new(notice);
        let stop = Arc::new(AtomicBool::new(false));
        let mut events_unavailable = None;
        let watcher = if poll_only {
            None
        } else {
            match events(&folders, Arc::clone(&stop), Arc::clone(&notice)) {
                Ok(d) => Some(d),
                Err(e) => {
                    events_unavailable = Some(e.to_string());
                    None
                }
            }
        };
        let poller = {
            let stop = Arc::clone(&stop);
            let polls: Vec<FolderPoll> = folders
                .iter()
                .map(|(f, p)| FolderPoll::new(*f, p.clone()))
                .collect();
            std::thread::Builder::new()
                .name("crisisdesk-poll".into())
                .spawn(move || poll(polls, stop, notice))
                .ok()
        };
        Watch {
            _watcher: watcher,
            stop,
            poller,
            events_unavailable,
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(p) = self.poller.take() {
            p.thread().unpark();
            let _ = p.join();
        }
    }
}

fn events<F>(
    folders: &[(Folder, PathBuf)],
    stop: Arc<AtomicBool>,
    notice: Arc<F>,
) -> notify::Result<notify::RecommendedWatcher>
where
    F: Fn(Notice) + Send + Sync + 'static,
{
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)?;
    for (_, path) in folders {
        // A folder that does not exist yet is covered by the poll.
        if path.is_dir() {
            watcher.watch(path, RecursiveMode::NonRecursive)?;
        }
    }
    let roots = folders.to_vec();
    std::thread::Builder::new()
        .name("crisisdesk-events".into())
        .spawn(move || gather(&roots, &rx, &stop, &*notice))
        .map_err(notify::Error::io)?;
    Ok(watcher)
}

/// What a run of events says changed, per folder.
#[derive(Default)]
struct Pending(BTreeMap<Folder, Option<BTreeSet<PathBuf>>>);

impl Pending {
    fn everything(&mut self, folder: Folder) {
        self.0.insert(folder, None);
    }

    fn file(&mut self, folder: Folder, path: PathBuf) {
        let files = self
            .0
            .entry(folder)
            .or_insert_with(|| Some(BTreeSet::new()));
        if let Some(set) = files {
            set.insert(path);
            if set.len() > MAX_NAMED {
                *files = None;
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn send(&mut self, notice: &impl Fn(Notice)) {
        for (folder, files) in std::mem::take(&mut self.0) {
            let changed = match files {
                Some(set) => Changed::Files(set.into_iter().collect()),
                None => Changed::Everything,
            };
            notice(Notice { folder, changed });
        }
    }
}

/// Turns change events into notices: the first event that counts is passed on at once and
/// opens a window of [`BATCH`]; what arrives in the window is passed on when it closes, and
/// opens the next one; a window with nothing in it ends the burst. Ends when the watcher is
/// dropped (it holds the sending end) or the watch is stopped.
fn gather<F>(
    roots: &[(Folder, PathBuf)],
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    stop: &AtomicBool,
    notice: &F,
) where
    F: Fn(Notice) + Send + Sync + 'static,
{
    let mut pending = Pending::default();
    while let Ok(first) = rx.recv() {
        affected(roots, first, &mut pending);
        // Anything else already queued goes with it.
        while let Ok(more) = rx.try_recv() {
            affected(roots, more, &mut pending);
        }
        while !pending.is_empty() {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            pending.send(notice);
            let end = Instant::now() + BATCH;
            loop {
                let left = end.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                match rx.recv_timeout(left) {
                    Ok(more) => affected(roots, more, &mut pending),
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        pending.send(notice);
                        return;
                    }
                }
            }
        }
    }
}

/// Adds what `event` says changed to `out`.
fn affected(roots: &[(Folder, PathBuf)], event: notify::Result<notify::Event>, out: &mut Pending) {
    match event {
        Ok(e) if matches!(e.kind, EventKind::Access(_)) => {}
        Ok(e) if e.need_rescan() => roots.iter().for_each(|(f, _)| out.everything(*f)),
        Ok(e) => {
            for p in e.paths {
                if let Some((f, root)) = roots.iter().find(|(_, root)| p.starts_with(root)) {
                    if p == *root {
                        out.everything(*f);
                    } else {
                        out.file(*f, p);
                    }
                }
            }
        }
        // Errors may mean missed events: have every folder looked at again.
        Err(_) => roots.iter().for_each(|(f, _)| out.everything(*f)),
    }
}

/// What the poll compares of a file: size, inode and modification time.
type Stamp = (u64, u64, Option<SystemTime>);

fn stamp(meta: &std::fs::Metadata) -> Stamp {
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    let inode = 0;
    (meta.len(), inode, meta.modified().ok())
}

/// A file as the poll last saw it.
struct Seen {
    stamp: Stamp,
    /// When the poll last saw it change (never, for files there at the first look).
    changed: Option<Instant>,
    /// The listing that last saw it.
    listing: u64,
}

/// The poll's view of one folder.
struct FolderPoll {
    folder: Folder,
    path: PathBuf,
    /// The folder's own stamp at the last listing: `None` when it could not be read.
    dir: Option<Stamp>,
    listed: Instant,
    listings: u64,
    /// List again on the next look: a file vanished, or the folder changed so shortly before
    /// the listing that a change right after it could leave the folder's time as it was (file
    /// systems stamp times from a clock that ticks every few milliseconds).
    relist: bool,
    files: BTreeMap<OsString, Seen>,
    /// The files that changed within [`HOT`], looked at on every poll. Kept apart so that a
    /// poll costs what the recent files cost: picking them out of `files` each time was a walk
    /// over every file, most of an idle follower's time at 100,000 files.
    hot: BTreeSet<OsString>,
    /// Where the turn of quiet files goes on.
    next_quiet: OsString,
}

impl FolderPoll {
    /// The first look, taken at once.
    fn new(folder: Folder, path: PathBuf) -> Self {
        let mut poll = FolderPoll {
            folder,
            path,
            dir: None,
            listed: Instant::now(),
            listings: 0,
            relist: false,
            files: BTreeMap::new(),
            hot: BTreeSet::new(),
            next_quiet: OsString::new(),
        };
        poll.list(None);
        poll
    }

    /// Lists the folder: new files are stamped, removed ones forgotten. With `changed`, both
    /// are changes (the first look has nothing to compare with). Files already known are
    /// not looked at here: their turn comes in [`FolderPoll::look`].
    fn list(&mut self, mut changed: Option<&mut Vec<PathBuf>>) {
        let now = Instant::now();
        self.listed = now;
        self.listings += 1;
        self.dir = dir_stamp(&self.path);
        self.relist = self
            .dir
            .and_then(|(_, _, modified)| modified)
            .is_some_and(|m| m.elapsed().is_ok_and(|age| age < SAME_TICK));
        let mark = self.listings;
        if let Ok(read) = std::fs::read_dir(&self.path) {
            for item in read.flatten() {
                let name = item.file_name();
                if let Some(seen) = self.files.get_mut(&name) {
                    seen.listing = mark;
                    continue;
                }
                if let Ok(meta) = item.metadata() {
                    if changed.is_some() {
                        self.hot.insert(name.clone());
                    }
                    self.files.insert(
                        name,
                        Seen {
                            stamp: stamp(&meta),
                            changed: changed.is_some().then_some(now),
                            listing: mark,
                        },
                    );
                    if let Some(changed) = changed.as_deref_mut() {
                        changed.push(item.path());
                    }
                }
            }
        }
        let path = &self.path;
        self.files.retain(|name, seen| {
            let kept = seen.listing == mark;
            if !kept && let Some(changed) = changed.as_deref_mut() {
                changed.push(path.join(name));
            }
            kept
        });
        let files = &self.files;
        self.hot.retain(|name| files.contains_key(name));
    }

    /// One poll: the paths that changed since the last.
    fn look(&mut self) -> Vec<PathBuf> {
        let now = Instant::now();
        let mut changed = Vec::new();
        let every = RELIST.max(Duration::from_millis(self.files.len() as u64));
        if self.relist
            || dir_stamp(&self.path) != self.dir
            || now.duration_since(self.listed) >= every
        {
            self.list(Some(&mut changed));
        }
        let is_hot = |s: &Seen| s.changed.is_some_and(|t| now.duration_since(t) < HOT);
        // The recent ones; those quiet for longer than HOT join the turn of the others.
        let files = &self.files;
        self.hot.retain(|name| files.get(name).is_some_and(is_hot));
        let mut names: Vec<OsString> = self.hot.iter().cloned().collect();
        // The quiet ones, a few each time, in turn.
        let start = std::mem::take(&mut self.next_quiet);
        let mut turn = self
            .files
            .range(start.clone()..)
            .chain(self.files.range(..start));
        for _ in 0..COLD_PER_POLL.min(self.files.len()) {
            let Some((name, seen)) = turn.next() else {
                break;
            };
            if !is_hot(seen) {
                names.push(name.clone());
            }
        }
        if let Some((name, _)) = turn.next() {
            self.next_quiet = name.clone();
        }
        for name in names {
            let path = self.path.join(&name);
            let now_stamp = std::fs::symlink_metadata(&path).ok().map(|m| stamp(&m));
            let Some(seen) = self.files.get_mut(&name) else {
                continue;
            };
            match now_stamp {
                Some(s) if s == seen.stamp => {}
                Some(s) => {
                    seen.stamp = s;
                    seen.changed = Some(now);
                    self.hot.insert(name);
                    changed.push(path);
                }
                // Gone: the next look lists the folder again and forgets it.
                None => {
                    self.relist = true;
                    changed.push(path);
                }
            }
        }
        changed.sort();
        changed.dedup();
        changed
    }
}

fn dir_stamp(path: &Path) -> Option<Stamp> {
    std::fs::metadata(path).ok().map(|m| stamp(&m))
}

fn poll<F>(mut folders: Vec<FolderPoll>, stop: Arc<AtomicBool>, notice: Arc<F>)
where
    F: Fn(Notice) + Send + Sync + 'static,
{
    while !stop.load(Ordering::Relaxed) {
        std::thread::park_timeout(POLL_INTERVAL);
        if stop.load(Ordering::Relaxed) {
            break;
        }
        for f in &mut folders {
            let changed = f.look();
            if !changed.is_empty() {
                let changed = if changed.len() > MAX_NAMED {
                    Changed::Everything
                } else {
                    Changed::Files(changed)
                };
                notice(Notice {
                    folder: f.folder,
                    changed,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::mpsc;

    fn wait_for(rx: &mpsc::Receiver<Notice>, want: Folder, file: &Path) -> bool {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            if let Ok(n) = rx.recv_timeout(Duration::from_millis(100))
                && n.folder == want
                && n.changed.includes(file)
            {
                return true;
            }
        }
        false
    }

    fn append(file: &Path, bytes: &[u8]) {
        let mut f = std::fs::OpenOptions::new().append(true).open(file).unwrap();
        f.write_all(bytes).unwrap();
        f.sync_all().unwrap();
    }

    #[test]
    fn an_append_is_noticed_with_events_and_by_polling_alone() {
        for poll_only in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let journal = dir.path().join("journal");
            std::fs::create_dir(&journal).unwrap();
            let file = journal.join("a.jsonl");
            std::fs::write(&file, b"one\n").unwrap();
            let (tx, rx) = mpsc::channel();
            let tx = std::sync::Mutex::new(tx);
            let _w = Watch::start(
                vec![(Folder::Journal, journal.clone())],
                poll_only,
                move |n| {
                    let _ = tx.lock().unwrap().send(n);
                },
            );
            std::thread::sleep(Duration::from_millis(200));
            while rx.try_recv().is_ok() {}
            // Same second, same size class: only a precise stamp sees it. The notice names
            // the file, so a reader looks at that file alone.
            append(&file, b"two\n");
            assert!(
                wait_for(&rx, Folder::Journal, &file),
                "poll_only={poll_only}"
            );
        }
    }

    #[test]
    fn a_file_appended_to_steadily_is_noticed_while_it_keeps_changing() {
        // Appends every 30 ms: a trailing debounce would hold the events back until they stop
        // (or the poll, a second later, saw the change).
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("journal");
        std::fs::create_dir(&journal).unwrap();
        let file = journal.join("a.jsonl");
        std::fs::write(&file, b"one\n").unwrap();
        let (tx, rx) = mpsc::channel();
        let tx = std::sync::Mutex::new(tx);
        let _w = Watch::start(vec![(Folder::Journal, journal.clone())], false, move |n| {
            let _ = tx.lock().unwrap().send((n, std::time::Instant::now()));
        });
        std::thread::sleep(Duration::from_millis(100));
        while rx.try_recv().is_ok() {}
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&file)
            .unwrap();
        let started = std::time::Instant::now();
        let mut noticed = Vec::new();
        while started.elapsed() < Duration::from_millis(600) {
            f.write_all(b"more\n").unwrap();
            std::thread::sleep(Duration::from_millis(30));
            noticed.extend(rx.try_iter());
        }
        let first = noticed
            .iter()
            .find(|(n, _)| n.folder == Folder::Journal)
            .map(|(_, at)| *at - started);
        assert!(
            first.is_some_and(|d| d < Duration::from_millis(450)),
            "first notice after {first:?}, while appends went on for 600 ms"
        );
    }

    #[test]
    fn a_folder_created_later_is_picked_up_by_the_poll() {
        let dir = tempfile::tempdir().unwrap();
        let inbox = dir.path().join("inbox");
        let (tx, rx) = mpsc::channel();
        let tx = std::sync::Mutex::new(tx);
        let _w = Watch::start(vec![(Folder::Inbox, inbox.clone())], false, move |n| {
            let _ = tx.lock().unwrap().send(n);
        });
        std::fs::create_dir(&inbox).unwrap();
        let item = inbox.join("x.json");
        std::fs::write(&item, b"{}").unwrap();
        assert!(wait_for(&rx, Folder::Inbox, &item));
    }

    #[test]
    fn the_poll_looks_at_changed_files_every_time_and_at_quiet_ones_in_turn() {
        let dir = tempfile::tempdir().unwrap();
        let n = 3 * COLD_PER_POLL;
        let names: Vec<PathBuf> = (0..n)
            .map(|i| dir.path().join(format!("f{i:04}.jsonl")))
            .collect();
        for path in &names {
            std::fs::write(path, b"x\n").unwrap();
        }
        let mut poll = FolderPoll::new(Folder::Journal, dir.path().to_owned());
        assert!(
            poll.look().is_empty(),
            "nothing changed since the first look"
        );
        assert!(
            poll.hot.is_empty(),
            "files there at the first look are quiet"
        );

        // A quiet file's change is found within one turn through all of them...
        let quiet = &names[n / 2];
        append(quiet, b"y\n");
        let mut looks = 0;
        while !poll.look().contains(quiet) {
            looks += 1;
            assert!(looks < n.div_ceil(COLD_PER_POLL) + 1, "not found in a turn");
        }
        // ...and from then on it is looked at every time.
        append(quiet, b"z\n");
        assert_eq!(poll.look(), vec![quiet.clone()]);
        let hot: Vec<&OsString> = poll.hot.iter().collect();
        assert_eq!(
            hot,
            [quiet.file_name().unwrap()],
            "only it is looked at every time"
        );

        // New and removed files change the folder: found at the next look.
        let new = dir.path().join("new.jsonl");
        std::fs::write(&new, b"x\n").unwrap();
        assert_eq!(poll.look(), vec![new.clone()]);
        assert_eq!(poll.hot.len(), 2, "the new file is recent too");
        std::fs::remove_file(&names[0]).unwrap();
        assert_eq!(poll.look(), vec![names[0].clone()]);
        assert!(poll.look().is_empty());
    }
}
