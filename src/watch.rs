//! Noticing that files changed: change events from the OS, plus a poll that always runs.
//!
//! Folders are watched, never single files (editors save by renaming, which ends a file
//! watch). Change events come straight from `notify`'s recommended watcher and are gathered
//! for [`DEBOUNCE`], counted from the first one, into one notice per folder; `Access` events are
//! dropped (reading a file is not changing it, and the caller's own reads must not wake it
//! again) and a `Rescan` (or any watcher error) counts as "everything changed". The window is
//! fixed, not a trailing debounce: `notify-debouncer-full` holds a path's events back for as
//! long as new ones of the same kind keep coming within its timeout, so a journal appended to
//! every 20–80 ms was noticed only by the poll, up to a second late. Because network drives
//! and some sync tools deliver no events at all, a poll compares every file's size, inode and
//! modification time (in nanoseconds: notify's own poller compares whole seconds and misses
//! appends) every [`POLL_INTERVAL`]. Either path only says *which folder* changed; the caller
//! then reads what is new, so a duplicate notice costs a cheap re-check, never a duplicate
//! entry.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use notify::{EventKind, RecursiveMode, Watcher as _};

/// How often the poll looks, events or not.
pub const POLL_INTERVAL: Duration = Duration::from_millis(1000);
/// How long change events are gathered, from the first one, before one notice goes out: a
/// change is noticed within about this long however busy the folder is.
pub const DEBOUNCE: Duration = Duration::from_millis(80);

/// A watched folder's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Folder {
    Journal,
    Inbox,
    Playbooks,
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
    /// Watches `folders` (which need not exist yet) and calls `notice` with the folder that
    /// changed. With `poll_only`, no OS events are used: for network drives and for testing.
    pub fn start<F>(folders: Vec<(Folder, PathBuf)>, poll_only: bool, notice: F) -> Watch
    where
        F: Fn(Folder) + Send + Sync + 'static,
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
            // Taken now, not when the thread gets going: a change in between must count.
            let first: Vec<Fingerprint> = folders.iter().map(|(_, p)| fingerprint(p)).collect();
            let folders = folders.clone();
            std::thread::Builder::new()
                .name("crisisdesk-poll".into())
                .spawn(move || poll(folders, first, stop, notice))
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
    F: Fn(Folder) + Send + Sync + 'static,
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

/// Turns change events into notices: the first event that counts opens a window of
/// [`DEBOUNCE`]; when it closes, each folder touched by the events gathered gets one notice.
/// Events arriving meanwhile join the window but never extend it. Ends when the watcher is
/// dropped (it holds the sending end) or the watch is stopped.
fn gather<F>(
    roots: &[(Folder, PathBuf)],
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    stop: &AtomicBool,
    notice: &F,
) where
    F: Fn(Folder) + Send + Sync + 'static,
{
    let mut changed: Vec<Folder> = Vec::new();
    while let Ok(first) = rx.recv() {
        affected(roots, first, &mut changed);
        if changed.is_empty() {
            continue;
        }
        let end = Instant::now() + DEBOUNCE;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match rx.recv_timeout(left) {
                Ok(more) => affected(roots, more, &mut changed),
                Err(_) => break,
            }
        }
        if stop.load(Ordering::Relaxed) {
            return;
        }
        changed.sort();
        changed.dedup();
        for f in changed.drain(..) {
            notice(f);
        }
    }
}

/// Adds the folders `event` says changed to `out`.
fn affected(
    roots: &[(Folder, PathBuf)],
    event: notify::Result<notify::Event>,
    out: &mut Vec<Folder>,
) {
    match event {
        Ok(e) if matches!(e.kind, EventKind::Access(_)) => {}
        Ok(e) if e.need_rescan() => out.extend(roots.iter().map(|(f, _)| *f)),
        Ok(e) => {
            for p in &e.paths {
                if let Some((f, _)) = roots.iter().find(|(_, root)| p.starts_with(root)) {
                    out.push(*f);
                }
            }
        }
        // Errors may mean missed events: have every folder looked at again.
        Err(_) => out.extend(roots.iter().map(|(f, _)| *f)),
    }
}

/// What the poll compares: per file, its size, inode and modification time.
type Fingerprint = BTreeMap<PathBuf, (u64, u64, Option<SystemTime>)>;

/// The fingerprint of a folder's direct entries.
pub fn fingerprint(dir: &Path) -> Fingerprint {
    let mut out = Fingerprint::new();
    let Ok(read) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in read.flatten() {
        let Ok(meta) = entry.metadata() else { continue };
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        out.insert(entry.path(), (meta.len(), inode, meta.modified().ok()));
    }
    out
}

fn poll<F>(
    folders: Vec<(Folder, PathBuf)>,
    mut last: Vec<Fingerprint>,
    stop: Arc<AtomicBool>,
    notice: Arc<F>,
) where
    F: Fn(Folder) + Send + Sync + 'static,
{
    while !stop.load(Ordering::Relaxed) {
        std::thread::park_timeout(POLL_INTERVAL);
        if stop.load(Ordering::Relaxed) {
            break;
        }
        for (i, (folder, path)) in folders.iter().enumerate() {
            let now = fingerprint(path);
            if now != last[i] {
                last[i] = now;
                notice(*folder);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::mpsc;

    fn wait_for(rx: &mpsc::Receiver<Folder>, want: Folder) -> bool {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::time::Instant::now() < deadline {
            if let Ok(f) = rx.recv_timeout(Duration::from_millis(100))
                && f == want
            {
                return true;
            }
        }
        false
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
                move |f| {
                    let _ = tx.lock().unwrap().send(f);
                },
            );
            std::thread::sleep(Duration::from_millis(200));
            while rx.try_recv().is_ok() {}
            // Same second, same size class: only a precise fingerprint sees it.
            let mut f = std::fs::OpenOptions::new()
                .append(true)
                .open(&file)
                .unwrap();
            f.write_all(b"two\n").unwrap();
            f.sync_all().unwrap();
            assert!(wait_for(&rx, Folder::Journal), "poll_only={poll_only}");
        }
    }

    #[test]
    fn a_file_appended_to_steadily_is_noticed_while_it_keeps_changing() {
        // Appends every 30 ms, closer together than DEBOUNCE: a trailing debounce would hold
        // the events back until they stop (or the poll, a second later, saw the change).
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("journal");
        std::fs::create_dir(&journal).unwrap();
        let file = journal.join("a.jsonl");
        std::fs::write(&file, b"one\n").unwrap();
        let (tx, rx) = mpsc::channel();
        let tx = std::sync::Mutex::new(tx);
        let _w = Watch::start(vec![(Folder::Journal, journal.clone())], false, move |f| {
            let _ = tx.lock().unwrap().send((f, std::time::Instant::now()));
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
            .find(|(f, _)| *f == Folder::Journal)
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
        let _w = Watch::start(vec![(Folder::Inbox, inbox.clone())], false, move |f| {
            let _ = tx.lock().unwrap().send(f);
        });
        std::fs::create_dir(&inbox).unwrap();
        std::fs::write(inbox.join("x.json"), b"{}").unwrap();
        assert!(wait_for(&rx, Folder::Inbox));
    }
}
