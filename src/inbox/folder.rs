//! One pass over the inbox folder, through directory handles and file descriptors.
//!
//! Every name is resolved relative to an open directory (`openat`, `renameat`, …) and used as
//! one path component; nothing is ever looked up by a path a second time. An item is `lstat`ed,
//! opened with `O_NOFOLLOW | O_NONBLOCK`, and the open file checked to be the regular file seen,
//! with one link, small enough; all reading is from that descriptor. `done/`, `rejected/` and
//! `.claimed/` are opened no-follow as directories (created 0700), or the pass stops and says
//! why. Moves never replace a name (`RENAME_NOREPLACE`, or link + unlink), and error notes are
//! created new (`O_CREAT | O_EXCL | O_NOFOLLOW`, 0600).
//!
//! Crash safety: the descriptor of an item holds an exclusive `flock` from before the claim to
//! after the move. A file in `.claimed/` that can be locked has no living owner: it is taken
//! again. Its entry id is derived from its name and bytes, so if it was recorded before the
//! crash it is only moved.

use std::fs::File;
use std::io::{self, Read as _, Write as _};
use std::os::fd::OwnedFd;
use std::os::unix::fs::MetadataExt as _;
use std::time::{Duration, SystemTime};

use jiff::Timestamp;
use rustix::fs::{
    self as rfs, AtFlags, CWD, Dir, FileType, FlockOperation, Mode, OFlags, RenameFlags,
};
use rustix::io::Errno;

use super::{
    CLAIMED_DIR, DONE_DIR, ERROR_SUFFIX, INCOMPLETE_GRACE, InboxReport, Item, MAX_ITEM_BYTES,
    REJECTED_DIR, SETTLE, STUCK_AFTER, Standing, Step, content_id, error_note, is_item_name, parse,
    prepare,
};
use crate::fault::{self, Point};
use crate::store::IncidentDir;

/// Longest file name most file systems allow, in bytes.
const NAME_MAX: usize = 255;
/// What versions before `.claimed/` renamed a claimed item to, in `inbox/` itself.
const LEGACY_CLAIM_PREFIX: &str = ".claimed-";

/// Where an item's file is now: a folder and a name in it.
#[derive(Clone, Copy)]
enum Folder {
    Inbox,
    Claimed,
}

struct Loc<'a> {
    folder: Folder,
    file: &'a str,
}

/// The open folders of one pass.
struct Dirs {
    inbox: OwnedFd,
    claimed: OwnedFd,
    done: OwnedFd,
    rejected: OwnedFd,
}

impl Dirs {
    fn of(&self, f: Folder) -> &OwnedFd {
        match f {
            Folder::Inbox => &self.inbox,
            Folder::Claimed => &self.claimed,
        }
    }
}

/// Names found in `inbox/`.
#[derive(Default)]
struct Listing {
    /// Items to take in.
    items: Vec<String>,
    /// `.claimed-NAME` files left by an older version: (file name, item name).
    legacy: Vec<(String, String)>,
}

pub(super) fn process(
    dir: &mut IncidentDir,
    now: Timestamp,
    state: &mut dyn Standing,
    observe: &mut dyn FnMut(Step, &str),
) -> InboxReport {
    let mut report = InboxReport::default();
    let path = dir.inbox_dir();
    let inbox = match rfs::openat(CWD, &path, dir_flags(), Mode::empty()) {
        Ok(fd) => fd,
        Err(Errno::NOENT) => return report,
        Err(Errno::LOOP | Errno::NOTDIR) => {
            report.problems.push(
                "inbox/ is a symbolic link or not a folder: refused, so that nothing outside the incident is read or written".into(),
            );
            return report;
        }
        Err(e) => {
            report
                .problems
                .push(format!("inbox/ cannot be opened: {}", io::Error::from(e)));
            return report;
        }
    };
    let listing = match list_inbox(&inbox, &mut report) {
        Ok(l) => l,
        Err(e) => {
            report
                .problems
                .push(format!("inbox/ cannot be listed: {e}"));
            return report;
        }
    };
    let claimed_waiting = match rfs::openat(&inbox, CLAIMED_DIR, dir_flags(), Mode::empty()) {
        Ok(fd) => list_names(&fd).map(|n| n.iter().any(|n| is_item_name(n))),
        Err(_) => Ok(false),
    }
    .unwrap_or(false);
    let waiting = listing.items.len() + listing.legacy.len();
    if waiting == 0 && !claimed_waiting {
        return report;
    }
    if let Some(why) = read_only(&inbox) {
        report.problems.push(format!(
            "inbox/ is read-only ({why}): {} item(s) waiting cannot be claimed or moved, so none was taken in — make the folder writable",
            waiting.max(1)
        ));
        return report;
    }
    let subdir = |name: &str, report: &mut InboxReport| match open_subdir(&inbox, name) {
        Ok(fd) => Some(fd),
        Err(why) => {
            report.problems.push(why);
            None
        }
    };
    let (Some(claimed), Some(done), Some(rejected)) = (
        subdir(CLAIMED_DIR, &mut report),
        subdir(DONE_DIR, &mut report),
        subdir(REJECTED_DIR, &mut report),
    ) else {
        return report;
    };
    let mut pass = Pass {
        dir,
        now,
        dirs: Dirs {
            inbox,
            claimed,
            done,
            rejected,
        },
        state,
        report,
        observe,
    };
    pass.run(listing);
    pass.report
}

struct Pass<'a> {
    dir: &'a mut IncidentDir,
    now: Timestamp,
    dirs: Dirs,
    /// The incident as it stands, which items are checked against.
    state: &'a mut dyn Standing,
    report: InboxReport,
    observe: &'a mut dyn FnMut(Step, &str),
}

/// Why an item was not finished in this pass.
enum Stop {
    /// Gone (another console took it), busy, or changed: nothing to say.
    Quiet,
    /// Said in the report; stop the whole pass (the incident cannot be read).
    Abort,
}

impl Pass<'_> {
    fn run(&mut self, listing: Listing) {
        // Claims first: an item whose console died is older than anything new.
        for (file, name) in &listing.legacy {
            // Into .claimed/ under its own name, then like any other claim.
            match move_noreplace(&self.dirs.inbox, file, &self.dirs.claimed, name) {
                Ok(()) => {}
                Err(Errno::EXIST) => self.report.problems.push(format!(
                    "{}: an older claim (inbox/{}) waits for the one in inbox/.claimed/ to be taken in",
                    display(name),
                    display(file)
                )),
                Err(Errno::NOENT) => {}
                Err(e) => self.report.problems.push(format!(
                    "{}: its old claim inbox/{} cannot be taken again: {}",
                    display(name),
                    display(file),
                    io::Error::from(e)
                )),
            }
        }
        let claimed = match list_names(&self.dirs.claimed) {
            Ok(n) => n,
            Err(e) => {
                self.report
                    .problems
                    .push(format!("inbox/.claimed/ cannot be listed: {e}"));
                Vec::new()
            }
        };
        for name in claimed.iter().filter(|n| is_item_name(n)) {
            if let Err(Stop::Abort) = self.take_claimed(name) {
                return;
            }
        }
        for name in &listing.items {
            if let Err(Stop::Abort) = self.take_new(name) {
                return;
            }
        }
    }

    /// An item dropped into `inbox/`.
    fn take_new(&mut self, name: &str) -> Result<(), Stop> {
        (self.observe)(Step::Listed, name);
        let at = Loc {
            folder: Folder::Inbox,
            file: name,
        };
        let (file, meta) = match self.open(&at)? {
            Opened::File(f, m) => (f, m),
            Opened::NotRegular(what) => {
                return self.reject(&at, name, format!("{what}, not an item file"));
            }
        };
        let age = meta
            .modified()
            .ok()
            .and_then(|m| SystemTime::now().duration_since(m).ok())
            .unwrap_or(Duration::ZERO);
        if age < SETTLE {
            self.report.retry(SETTLE);
            return Ok(());
        }
        if !lock(&file) {
            return Ok(()); // another console is taking it in right now
        }
        let bytes = match self.read(&at, name, &file, &meta)? {
            Some(b) => b,
            None => return Ok(()),
        };
        let item = match parse(&bytes) {
            Ok(Some(item)) => item,
            Ok(None) if age < INCOMPLETE_GRACE => {
                self.report.retry(SETTLE * 2);
                return Ok(());
            }
            Ok(None) => {
                return self.reject(
                    &at,
                    name,
                    "not a valid inbox item: the JSON is cut short".into(),
                );
            }
            Err(why) => return self.reject(&at, name, why),
        };
        (self.observe)(Step::Read, name);
        fault::crash_point(Point::InboxRead);
        self.readable()?;
        // Claim it: of several consoles, only the one whose rename succeeds goes on.
        match move_noreplace(&self.dirs.inbox, name, &self.dirs.claimed, name) {
            Ok(()) => {}
            Err(Errno::NOENT) => return Ok(()),
            Err(Errno::EXIST) => {
                // A claim of the same name is still being taken in; this one waits for it.
                self.report.retry(SETTLE * 2);
                return Ok(());
            }
            Err(e) => {
                self.report.problems.push(format!(
                    "{}: cannot be claimed: {}",
                    display(name),
                    io::Error::from(e)
                ));
                return Ok(());
            }
        }
        let claimed = Loc {
            folder: Folder::Claimed,
            file: name,
        };
        if !same_file(&self.dirs.claimed, name, &meta) {
            // Replaced between the open and the claim: what was claimed is not what was read.
            // Put it back untouched, to be read afresh.
            let _ = move_noreplace(&self.dirs.claimed, name, &self.dirs.inbox, name);
            self.report.retry(SETTLE);
            return Ok(());
        }
        (self.observe)(Step::Claimed, name);
        fault::crash_point(Point::InboxClaimed);
        self.finish(&claimed, name, &bytes, item)
    }

    /// An item in `.claimed/`: taken again if no running console holds it.
    fn take_claimed(&mut self, name: &str) -> Result<(), Stop> {
        let at = Loc {
            folder: Folder::Claimed,
            file: name,
        };
        let (file, meta) = match self.open(&at)? {
            Opened::File(f, m) => (f, m),
            Opened::NotRegular(what) => {
                return self.reject(&at, name, format!("{what}, not an item file"));
            }
        };
        if !lock(&file) {
            let held = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64 - meta.ctime())
                .unwrap_or(0);
            if held >= STUCK_AFTER.as_secs() as i64 {
                self.report.problems.push(format!(
                    "{}: held by another console for {} min without being taken in (inbox/.claimed/); if no console is running, it will be taken in on the next pass",
                    display(name),
                    held / 60
                ));
            }
            return Ok(());
        }
        let Some(bytes) = self.read(&at, name, &file, &meta)? else {
            return Ok(());
        };
        let item = match parse(&bytes) {
            Ok(Some(item)) => item,
            Ok(None) => {
                return self.reject(
                    &at,
                    name,
                    "not a valid inbox item: the JSON is cut short".into(),
                );
            }
            Err(why) => return self.reject(&at, name, why),
        };
        self.finish(&at, name, &bytes, item)
    }

    /// Opens an item where it is, checked; `Err(Quiet)` when it is gone or changed under us.
    fn open(&mut self, at: &Loc<'_>) -> Result<Opened, Stop> {
        match open_item(self.dirs.of(at.folder), at.file) {
            Ok(Some(o)) => Ok(o),
            Ok(None) => {
                self.report.retry(SETTLE);
                Err(Stop::Quiet)
            }
            Err(Errno::NOENT) => Err(Stop::Quiet),
            Err(e) => {
                self.report.problems.push(format!(
                    "{}: cannot be opened: {}",
                    display(at.file),
                    io::Error::from(e)
                ));
                Err(Stop::Quiet)
            }
        }
    }

    /// Checks the open file and reads it; `None` when it was rejected or cannot be read.
    fn read(
        &mut self,
        at: &Loc<'_>,
        name: &str,
        file: &File,
        meta: &std::fs::Metadata,
    ) -> Result<Option<Vec<u8>>, Stop> {
        if meta.nlink() != 1 {
            self.reject(
                at,
                name,
                format!(
                    "the file has {} names (hard links): an item must be a file of its own, so that nothing from outside inbox/ is read",
                    meta.nlink()
                ),
            )?;
            return Ok(None);
        }
        let too_big = |n: u64| format!("the file is {n} bytes; an inbox item is at most 1 MiB");
        if meta.len() > MAX_ITEM_BYTES {
            self.reject(at, name, too_big(meta.len()))?;
            return Ok(None);
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        if let Err(e) = file.take(MAX_ITEM_BYTES + 1).read_to_end(&mut bytes) {
            self.report
                .problems
                .push(format!("{}: cannot be read: {e}", display(name)));
            return Ok(None);
        }
        if bytes.len() as u64 > MAX_ITEM_BYTES {
            self.reject(at, name, too_big(bytes.len() as u64))?;
            return Ok(None);
        }
        Ok(Some(bytes))
    }

    /// Whether the incident can be read (the pass stops, saying so, if it cannot).
    fn readable(&mut self) -> Result<(), Stop> {
        match self.state.with_state(self.dir, &mut |_, _| {}) {
            Ok(()) => Ok(()),
            Err(e) => {
                self.report.problems.push(format!(
                    "the incident could not be read, so no item was taken in: {e}"
                ));
                Err(Stop::Abort)
            }
        }
    }

    /// Checks, records and moves a claimed item.
    fn finish(&mut self, at: &Loc<'_>, name: &str, bytes: &[u8], item: Item) -> Result<(), Stop> {
        let now = self.now;
        let id = content_id(name, bytes);
        let mut item = Some(item);
        let mut checked = None;
        let read = self.state.with_state(self.dir, &mut |incident, events| {
            if let Some(item) = item.take() {
                let known = events.iter().any(|e| e.entry.id == id);
                checked = Some((prepare(item, name, incident, events, now), known));
            }
        });
        if let Err(e) = read {
            self.report.problems.push(format!(
                "the incident could not be read, so no item was taken in: {e}"
            ));
            return Err(Stop::Abort);
        }
        let Some((prepared, known)) = checked else {
            return Err(Stop::Abort);
        };
        let prepared = match prepared {
            Ok(p) => p,
            Err(why) => return self.reject(at, name, why),
        };
        // Taken in before by a console that stopped before moving it: only move it now.
        if !known {
            if let Err(e) =
                self.dir
                    .append_as(&prepared.author, id, prepared.at, now, prepared.body)
            {
                // Not saved: it stays claimed, unlocked, and is taken again on the next pass.
                self.report.problems.push(format!(
                    "{}: not saved, will be tried again: {e}",
                    display(name)
                ));
                self.report.retry(SETTLE * 2);
                return Ok(());
            }
            self.state.recorded();
        }
        (self.observe)(Step::Recorded, name);
        fault::crash_point(Point::InboxRecorded);
        match move_free(self.dirs.of(at.folder), at.file, &self.dirs.done, name, 0) {
            Ok(_) => self.report.ingested.push((name.to_owned(), id)),
            Err(e) => self.report.problems.push(format!(
                "{}: recorded as {id}, but it could not be moved to done/ ({}); it is moved on the next pass",
                display(name),
                io::Error::from(e)
            )),
        }
        (self.observe)(Step::Moved, name);
        fault::crash_point(Point::InboxMoved);
        Ok(())
    }

    /// Moves an item to `rejected/` with a note saying why.
    fn reject(&mut self, at: &Loc<'_>, name: &str, why: String) -> Result<(), Stop> {
        let why = crate::sanitize::line(&why).into_owned();
        let note_text = error_note(name, &why);
        let from = self.dirs.of(at.folder);
        for n in 1..=1000 {
            let dest = free_name(name, n, ERROR_SUFFIX.len());
            let note = format!("{dest}{ERROR_SUFFIX}");
            // The note first, created new: a planted file or link of that name is never
            // written through, and it names the pair.
            let fd = match rfs::openat(
                &self.dirs.rejected,
                &note,
                OFlags::WRONLY
                    | OFlags::CREATE
                    | OFlags::EXCL
                    | OFlags::NOFOLLOW
                    | OFlags::NOCTTY
                    | OFlags::CLOEXEC,
                Mode::RUSR | Mode::WUSR,
            ) {
                Ok(fd) => fd,
                Err(Errno::EXIST) => continue,
                Err(e) => {
                    self.report.problems.push(format!(
                        "{}: refused ({why}), but the note in rejected/ cannot be created: {}",
                        display(name),
                        io::Error::from(e)
                    ));
                    return Ok(());
                }
            };
            let mut note_file = File::from(fd);
            let written = note_file
                .write_all(note_text.as_bytes())
                .and_then(|()| note_file.sync_data());
            let moved = match written {
                Ok(()) => move_noreplace(from, at.file, &self.dirs.rejected, &dest),
                Err(e) => Err(Errno::from_io_error(&e).unwrap_or(Errno::IO)),
            };
            match moved {
                Ok(()) => {
                    self.report.rejected.push((name.to_owned(), why));
                    (self.observe)(Step::Moved, name);
                    fault::crash_point(Point::InboxMoved);
                    return Ok(());
                }
                Err(Errno::EXIST) => {
                    let _ = rfs::unlinkat(&self.dirs.rejected, &note, AtFlags::empty());
                }
                Err(Errno::NOENT) => {
                    let _ = rfs::unlinkat(&self.dirs.rejected, &note, AtFlags::empty());
                    return Ok(());
                }
                Err(e) => {
                    let _ = rfs::unlinkat(&self.dirs.rejected, &note, AtFlags::empty());
                    self.report.problems.push(format!(
                        "{}: refused ({why}), but it cannot be moved to rejected/: {}",
                        display(name),
                        io::Error::from(e)
                    ));
                    return Ok(());
                }
            }
        }
        self.report.problems.push(format!(
            "{}: refused ({why}), but rejected/ has no free name for it",
            display(name)
        ));
        Ok(())
    }
}

/// An item file as opened.
enum Opened {
    File(File, std::fs::Metadata),
    /// Not a regular file: what it is.
    NotRegular(&'static str),
}

/// Opens `name` in `dir` if it is a regular file, without following a link and without
/// blocking on a pipe; the open file is checked to be the one `lstat` saw. `Ok(None)`: it
/// changed between the two (look again later).
fn open_item(dir: &OwnedFd, name: &str) -> Result<Option<Opened>, Errno> {
    let st = rfs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)?;
    let what = match FileType::from_raw_mode(st.st_mode) {
        FileType::RegularFile => None,
        FileType::Symlink => Some("a symbolic link (links are never followed)"),
        FileType::Directory => Some("a folder"),
        FileType::Fifo => Some("a named pipe"),
        FileType::Socket => Some("a socket"),
        FileType::CharacterDevice | FileType::BlockDevice => Some("a device"),
        FileType::Unknown => Some("not a regular file"),
    };
    if let Some(what) = what {
        return Ok(Some(Opened::NotRegular(what)));
    }
    let fd = match rfs::openat(
        dir,
        name,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        Ok(fd) => fd,
        // Replaced by a link since the lstat.
        Err(Errno::LOOP) => return Ok(None),
        Err(e) => return Err(e),
    };
    let file = File::from(fd);
    let meta = file
        .metadata()
        .map_err(|e| Errno::from_io_error(&e).unwrap_or(Errno::IO))?;
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    let same = meta.dev() == st.st_dev as u64 && meta.ino() == st.st_ino as u64;
    if !meta.is_file() || !same {
        return Ok(None);
    }
    Ok(Some(Opened::File(file, meta)))
}

/// Whether `name` in `dir` is (still) the file described by `meta`.
fn same_file(dir: &OwnedFd, name: &str, meta: &std::fs::Metadata) -> bool {
    #[allow(clippy::unnecessary_cast)]
    rfs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW)
        .is_ok_and(|st| st.st_dev as u64 == meta.dev() && st.st_ino as u64 == meta.ino())
}

/// Takes the item's lock without waiting; false when another process holds it. File
/// systems without locks (some network drives) count as unlocked: the claim's rename is
/// still atomic, only a dead console's claim is then noticed later.
fn lock(file: &File) -> bool {
    !matches!(
        rfs::flock(file, FlockOperation::NonBlockingLockExclusive),
        Err(Errno::WOULDBLOCK)
    )
}

fn dir_flags() -> OFlags {
    OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC
}

/// Opens `inbox/NAME/` as a real folder, creating it (0700) if missing; a link or a file in
/// its place is refused.
fn open_subdir(inbox: &OwnedFd, name: &str) -> Result<OwnedFd, String> {
    for _ in 0..3 {
        match rfs::openat(inbox, name, dir_flags(), Mode::empty()) {
            Ok(fd) => return Ok(fd),
            Err(Errno::NOENT) => match rfs::mkdirat(inbox, name, Mode::RWXU) {
                Ok(()) | Err(Errno::EXIST) => {}
                Err(e) => {
                    return Err(format!(
                        "inbox/{name}/ cannot be created: {}",
                        io::Error::from(e)
                    ));
                }
            },
            Err(Errno::LOOP | Errno::NOTDIR) => {
                return Err(format!(
                    "inbox/{name} is a symbolic link or not a folder: refused, so that no item leaves the incident — replace it with a real folder; no item was taken in"
                ));
            }
            Err(e) => {
                return Err(format!(
                    "inbox/{name}/ cannot be opened: {}",
                    io::Error::from(e)
                ));
            }
        }
    }
    Err(format!(
        "inbox/{name}/ keeps changing; no item was taken in"
    ))
}

/// Why the inbox folder cannot be written to, if it cannot. A folder without write permission
/// counts as read-only even for a user (root) who could write it anyway: someone meant it so.
fn read_only(inbox: &OwnedFd) -> Option<String> {
    let mode = rfs::fstat(inbox).map(|st| st.st_mode & 0o777).ok()?;
    if mode & 0o222 == 0 {
        return Some(format!("mode {mode:04o}"));
    }
    match rfs::accessat(
        inbox,
        ".",
        rfs::Access::WRITE_OK | rfs::Access::EXEC_OK,
        AtFlags::EACCESS,
    ) {
        Ok(()) => None,
        Err(Errno::ROFS) => Some("on a read-only file system".into()),
        Err(e) => Some(io::Error::from(e).to_string()),
    }
}

/// Every name in a folder (`.` and `..` left out); names that are not UTF-8 are returned
/// with `None` so that the caller can say so.
fn list_raw(dir: &OwnedFd) -> io::Result<Vec<Result<String, String>>> {
    let mut d = Dir::read_from(dir)?;
    let mut out = Vec::new();
    while let Some(entry) = d.read() {
        let entry = entry?;
        let bytes = entry.file_name().to_bytes();
        if bytes == b"." || bytes == b".." {
            continue;
        }
        out.push(match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_owned()),
            Err(_) => Err(String::from_utf8_lossy(bytes).into_owned()),
        });
    }
    Ok(out)
}

fn list_names(dir: &OwnedFd) -> io::Result<Vec<String>> {
    let mut names: Vec<String> = list_raw(dir)?.into_iter().filter_map(Result::ok).collect();
    names.sort();
    Ok(names)
}

fn list_inbox(inbox: &OwnedFd, report: &mut InboxReport) -> io::Result<Listing> {
    let mut listing = Listing::default();
    for name in list_raw(inbox)? {
        match name {
            Ok(name) => {
                if is_item_name(&name) {
                    listing.items.push(name);
                } else if let Some(item) = name.strip_prefix(LEGACY_CLAIM_PREFIX)
                    && is_item_name(item)
                {
                    listing.legacy.push((name.clone(), item.to_owned()));
                }
            }
            Err(lossy) => {
                if lossy.ends_with(".json") && !lossy.starts_with(['.', '~']) {
                    report.problems.push(format!(
                        "{}: the name is not UTF-8 text, so it cannot be taken in; rename it",
                        display(&lossy)
                    ));
                }
            }
        }
    }
    listing.items.sort();
    listing.legacy.sort();
    Ok(listing)
}

/// Moves without ever replacing what is at the destination.
fn move_noreplace(from_dir: &OwnedFd, from: &str, to_dir: &OwnedFd, to: &str) -> Result<(), Errno> {
    #[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
    match rfs::renameat_with(from_dir, from, to_dir, to, RenameFlags::NOREPLACE) {
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
        other => return other,
    }
    // No RENAME_NOREPLACE here: a hard link cannot replace a name either.
    match rfs::linkat(from_dir, from, to_dir, to, AtFlags::empty()) {
        Ok(()) => rfs::unlinkat(from_dir, from, AtFlags::empty()),
        Err(Errno::EXIST) => Err(Errno::EXIST),
        Err(_) => {
            // Folders cannot be linked: check, then rename (the best this system offers).
            match rfs::statat(to_dir, to, AtFlags::SYMLINK_NOFOLLOW) {
                Err(Errno::NOENT) => rfs::renameat(from_dir, from, to_dir, to),
                Ok(_) => Err(Errno::EXIST),
                Err(e) => Err(e),
            }
        }
    }
}

/// Moves to the first free name of `name`, `name-2`, `name-3`… in `to_dir`; returns it.
fn move_free(
    from_dir: &OwnedFd,
    from: &str,
    to_dir: &OwnedFd,
    name: &str,
    extra: usize,
) -> Result<String, Errno> {
    for n in 1..=1000 {
        let dest = free_name(name, n, extra);
        match move_noreplace(from_dir, from, to_dir, &dest) {
            Ok(()) => return Ok(dest),
            Err(Errno::EXIST) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Errno::EXIST)
}

/// The `n`-th candidate name for an item: `NAME.json`, `NAME-2.json`…, shortened so that it
/// plus `extra` bytes (a suffix added later) fits in a file name.
fn free_name(name: &str, n: u32, extra: usize) -> String {
    let stem = name.strip_suffix(".json").unwrap_or(name);
    let number = if n <= 1 {
        String::new()
    } else {
        format!("-{n}")
    };
    let room = NAME_MAX.saturating_sub(extra + number.len() + ".json".len());
    let mut cut = stem.len().min(room);
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{number}.json", &stem[..cut])
}

/// A name as shown in reports: one line, no control characters.
fn display(name: &str) -> String {
    crate::sanitize::line(name).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_names_fit_with_their_note() {
        assert_eq!(free_name("a.json", 1, 0), "a.json");
        assert_eq!(free_name("a.json", 3, 0), "a-3.json");
        let long = format!("{}.json", "é".repeat(124)); // 253 bytes
        let n = free_name(&long, 1, ERROR_SUFFIX.len());
        assert!(n.len() + ERROR_SUFFIX.len() <= NAME_MAX, "{}", n.len());
        assert!(n.ends_with(".json"));
        assert_eq!(free_name(&long, 1, 0), long);
        assert!(free_name(&long, 2, 0).len() <= NAME_MAX);
    }
}
