//! Tail latency benchmark: from an append by another console to `crisisdesk tail --json`
//! printing it.
//!
//! `cargo bench --bench tail` (the run itself takes about 15 s), or `cargo bench --bench tail -- --appends 500`.
//!
//! In one run it:
//! 1. creates an incident (the `data-breach` playbook) on tmpfs (`/dev/shm`; `--dir DIR` to put
//!    it elsewhere, e.g. `--dir target/tmp` for the real disk). On tmpfs `sync_data` costs
//!    microseconds, so "`append_with` returned" is the moment of the write that the followers'
//!    watches react to. On a disk it is up to tens of ms later: `tail -F` then prints nearly
//!    every line before `append_with` returns (0 ms, no ratio possible), and the crisisdesk
//!    figures shrink by the fsync time;
//! 2. starts three followers as child processes, all on that incident at once:
//!    `crisisdesk tail INCIDENT --json` (change events, plus the 1 s poll),
//!    `crisisdesk tail INCIDENT --json --poll-only`, and, as the anchor, coreutils
//!    `tail -F -n +1 FILE` on the one journal file the bench writes to;
//! 3. appends N notes (`--appends N`, default 200) from this process through
//!    [`IncidentDir::append_with`] — a console of its own, with its own journal file, so another
//!    process from the followers' point of view — with a pause of 20–120 ms (pseudo-random,
//!    `--seed N`) between appends. The clock starts just after `append_with` returns (the entry
//!    has been written and `sync_data`-ed), so process start-up is not measured at all;
//! 4. timestamps every line the followers print as it is read from their stdout, matches it to
//!    its append by the entry id (`"id"` of a `tail --json` line, `"entry"."id"` of a raw
//!    journal line), and reports p50/p99/max per follower, and each mode's ratio to `tail -F`.
//!
//! The three run on the very same appends, so the anchor sees exactly what the modes see. A line
//! printed before `append_with` returned (the follower saw the write while the fsync was still
//! going) counts as 0 ms and is counted in the "early" column.
//!
//! It prints a Markdown table and exits 1 if a target is missed — p99 ≤ 20 ms with change
//! events, p99 ≤ [`POLL_INTERVAL`] + 250 ms with `--poll-only` — or if a `crisisdesk` follower
//! missed or repeated an entry.
//!
//! `crisisdesk` is the binary cargo builds for benches (`CARGO_BIN_EXE_crisisdesk`: the `bench`
//! profile, which inherits `release`, so `target/release/crisisdesk`); `cargo bench` builds it
//! before running this, so it is never stale.
//!
//! `--dump` also prints every follower's latencies in append order (ms), which shows batching:
//! a run of falling values is entries released together.
//!
//! Children are killed on every way out: by a drop guard on return and on panic, by SIGINT
//! from the terminal (same process group), and on Linux by `PR_SET_PDEATHSIG` if this process
//! is killed outright.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crisisdesk::incident::Body;
use crisisdesk::playbook;
use crisisdesk::store::{IncidentDir, NewIncident};
use crisisdesk::watch::POLL_INTERVAL;
use jiff::Timestamp;
use uuid::Uuid;

const BIN: &str = env!("CARGO_BIN_EXE_crisisdesk");
const PLAYBOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/data-breach.json");

const PAUSE_MIN_MS: u64 = 20;
const PAUSE_MAX_MS: u64 = 120;
/// With change events: the first change after a quiet spell is acted on at once.
const TARGET_EVENTS_P99: Duration = Duration::from_millis(20);
/// Allowed on top of the poll interval (`--poll-only`).
const SLACK: Duration = Duration::from_millis(250);
const TARGET_POLL_P99: Duration = POLL_INTERVAL.saturating_add(SLACK);
/// How long a follower may take to show its first line, or the warm-up entry.
const READY_TIMEOUT: Duration = Duration::from_secs(15);

fn main() {
    let opts = <Opts as clap::Parser>::parse();
    // `run` owns every child: they are all killed before this exits.
    let ok = match run(&opts) {
        Ok(ok) => ok,
        Err(e) => {
            eprintln!("error: {e}");
            false
        }
    };
    if !ok {
        std::process::exit(1);
    }
}

/// The live-update latency benchmark: appends by another console until `crisisdesk tail
/// --json` prints them, with change events and with `--poll-only`, beside `tail -F`.
#[derive(clap::Parser)]
struct Opts {
    /// Appends measured.
    #[arg(long, default_value_t = 200, value_parser = positive)]
    appends: usize,
    /// Seed of the pauses between appends.
    #[arg(long, default_value_t = 0x7a11_5eed)]
    seed: u64,
    /// Folder to run in (default: tmpfs, so fsync does not blur the anchor).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Print every latency in append order.
    #[arg(long)]
    dump: bool,
    /// Passed by `cargo bench` to every bench binary.
    #[arg(long, hide = true)]
    bench: bool,
}

fn positive(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{s} is not a positive whole number")),
    }
}

// ---------------------------------------------------------------------------------------------
// The run

fn run(opts: &Opts) -> Result<bool, String> {
    let shm = Path::new("/dev/shm");
    let parent = match &opts.dir {
        Some(dir) => dir.clone(),
        None if shm.is_dir() => shm.to_owned(),
        None => {
            eprintln!("no /dev/shm: the incident goes on the disk, under target/tmp");
            PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        }
    };
    std::fs::create_dir_all(&parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    let work = tempfile::Builder::new()
        .prefix("crisisdesk-tail-bench-")
        .tempdir_in(&parent)
        .map_err(|e| format!("temp dir in {}: {e}", parent.display()))?;

    // The incident, opened by one console; the bench appends as another, to its own file.
    let loaded =
        playbook::load_file(Path::new(PLAYBOOK), None).map_err(|e| format!("{PLAYBOOK}: {e:?}"))?;
    let now = Timestamp::now();
    let opened = Uuid::now_v7();
    let new = NewIncident {
        playbook: &loaded,
        title: "Tail latency bench",
        severity: "high",
        detected_at: now,
        exercise: true,
    };
    let incident = IncidentDir::create(work.path(), &new, "anna@bench", opened, now)
        .map_err(|e| e.to_string())?;
    let mut console =
        IncidentDir::open(incident.path(), "bench@appender").map_err(|e| e.to_string())?;
    // Creates this console's (empty) journal file, so `tail -F` can follow it from the start.
    let origin = console.origin().map_err(|e| e.to_string())?;
    let journal_file = console
        .journal_dir()
        .join(format!("{}.jsonl", origin.console));
    if !journal_file.is_file() {
        return Err(format!("expected {}", journal_file.display()));
    }

    // The followers. Dropping them (any way out of this function) kills them.
    let mut followers = vec![
        Follower::crisisdesk("`crisisdesk tail --json` (change events)", &incident, false)?,
        Follower::crisisdesk("`crisisdesk tail --json --poll-only`", &incident, true)?,
    ];
    let anchor = match Follower::tail_f(&journal_file) {
        Ok(f) => {
            followers.push(f);
            true
        }
        Err(e) => {
            eprintln!("no anchor: {e}");
            false
        }
    };

    // Ready: each `crisisdesk tail` has printed the journal so far (its watch starts right
    // after); then one warm-up append must reach every follower before the clock starts.
    for f in followers.iter_mut().filter(|f| f.kind != Kind::TailF) {
        f.wait_for(&[opened], READY_TIMEOUT)?;
    }
    std::thread::sleep(Duration::from_millis(300));
    let warm_up = Uuid::now_v7();
    append(&mut console, warm_up, "warm-up")?;
    for f in &mut followers {
        f.wait_for(&[warm_up], READY_TIMEOUT)?;
    }

    eprintln!(
        "tail bench: {} appends, {PAUSE_MIN_MS}–{PAUSE_MAX_MS} ms apart, to {}",
        opts.appends,
        journal_file.display()
    );
    let mut rng = SplitMix64(opts.seed);
    let mut appends = Vec::with_capacity(opts.appends);
    let started = Instant::now();
    for i in 0..opts.appends {
        let pause = PAUSE_MIN_MS + rng.next() % (PAUSE_MAX_MS - PAUSE_MIN_MS + 1);
        std::thread::sleep(Duration::from_millis(pause));
        let id = Uuid::now_v7();
        let before = Instant::now();
        append(&mut console, id, &format!("bench append {i}"))?;
        let after = Instant::now();
        appends.push(Append { id, before, after });
        for f in &mut followers {
            f.check_alive()?;
        }
    }
    let appending = started.elapsed();

    // Wait for every follower to print every append (or give up after one poll interval and
    // a margin past the target), then give duplicates a moment to show up.
    let ids: Vec<Uuid> = appends.iter().map(|a| a.id).collect();
    let deadline = Instant::now() + TARGET_POLL_P99 + Duration::from_secs(2);
    for f in &mut followers {
        let _ = f.wait_for(&ids, deadline.saturating_duration_since(Instant::now()));
    }
    std::thread::sleep(Duration::from_millis(300));

    let results: Vec<Measured> = followers.iter().map(|f| f.measure(&appends)).collect();
    if opts.dump {
        for (f, m) in followers.iter().zip(&results) {
            let v: Vec<String> = m
                .in_order
                .iter()
                .map(|d| d.map_or("missed".into(), |d| format!("{:.1}", d.as_secs_f64() * 1e3)))
                .collect();
            eprintln!("{:?}: {}", f.kind, v.join(" "));
        }
    }
    let mut fsync: Vec<Duration> = appends.iter().map(|a| a.after - a.before).collect();
    fsync.sort();

    let anchor = anchor.then(|| results.last().expect("the anchor was pushed last"));
    let mut ok = true;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "| Follower | p50 | p99 | max | p50 ÷ `tail -F` | p99 ÷ `tail -F` | early | missed | repeated | target (p99) | |"
    );
    let _ = writeln!(t, "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|");
    for (f, m) in followers.iter().zip(&results) {
        let target = match f.kind {
            Kind::Events => Some(TARGET_EVENTS_P99),
            Kind::PollOnly => Some(TARGET_POLL_P99),
            Kind::TailF => None,
        };
        let (p50, p99, max) = m.summary();
        let verdict = match target {
            Some(target) => {
                let met = m.missed == 0 && m.repeated == 0 && p99 <= target;
                ok &= met;
                if met { "✅" } else { "❌ missed" }
            }
            None => "anchor",
        };
        let (r50, r99) = match anchor {
            Some(a) if f.kind != Kind::TailF => {
                let (a50, a99, _) = a.summary();
                (ratio(p50, a50), ratio(p99, a99))
            }
            _ => ("—".to_owned(), "—".to_owned()),
        };
        let _ = writeln!(
            t,
            "| {} | {} | {} | {} | {r50} | {r99} | {} | {} | {} | {} | {verdict} |",
            f.name,
            ms(p50),
            ms(p99),
            ms(max),
            m.early,
            m.missed,
            m.repeated,
            target.map_or("—".to_owned(), |d| format!("≤ {}", ms(d))),
        );
    }
    let _ = writeln!(
        t,
        "\n{} appends in {:.1} s, {PAUSE_MIN_MS}–{PAUSE_MAX_MS} ms apart (seed {:#x}); incident in {}; latency = line read from the follower's stdout − `append_with` returned. \
         `append_with` itself (write + `sync_data`): p50 {} · p99 {} · max {}. \
         Batch window {} ms after a notice, poll interval {} ms.",
        appends.len(),
        appending.as_secs_f64(),
        opts.seed,
        parent.display(),
        ms(percentile(&fsync, 0.50)),
        ms(percentile(&fsync, 0.99)),
        ms(*fsync.last().expect("at least one append")),
        crisisdesk::watch::BATCH.as_millis(),
        POLL_INTERVAL.as_millis(),
    );
    println!("\n{t}");
    if !ok {
        eprintln!("some targets were missed");
    }
    drop(followers);
    Ok(ok)
}

fn append(console: &mut IncidentDir, id: Uuid, text: &str) -> Result<(), String> {
    let now = Timestamp::now();
    console
        .append_with(id, now, now, Body::Note { text: text.into() })
        .map(|_| ())
        .map_err(|e| format!("append: {e}"))
}

struct Append {
    id: Uuid,
    before: Instant,
    after: Instant,
}

// ---------------------------------------------------------------------------------------------
// Followers

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Events,
    PollOnly,
    TailF,
}

/// When each id was printed (every time it was).
type Seen = Arc<Mutex<HashMap<Uuid, Vec<Instant>>>>;

/// A running follower; dropping it kills it.
struct Follower {
    name: &'static str,
    kind: Kind,
    child: Child,
    seen: Seen,
    /// Lines that held no id.
    unreadable: Arc<AtomicUsize>,
    reader: Option<JoinHandle<()>>,
}

impl Follower {
    fn crisisdesk(
        name: &'static str,
        incident: &IncidentDir,
        poll_only: bool,
    ) -> Result<Self, String> {
        let mut c = Command::new(BIN);
        c.arg("tail").arg(incident.path()).arg("--json");
        if poll_only {
            c.arg("--poll-only");
        }
        c.current_dir(incident.path())
            .env("USER", "viewer")
            .env_remove("CRISISDESK_NOW");
        let kind = if poll_only {
            Kind::PollOnly
        } else {
            Kind::Events
        };
        Follower::spawn(name, kind, c, |v| v.get("id"))
    }

    fn tail_f(file: &Path) -> Result<Self, String> {
        let mut c = Command::new("tail");
        c.args(["-F", "-n", "+1"]).arg(file);
        Follower::spawn("`tail -F` (coreutils, the anchor)", Kind::TailF, c, |v| {
            v.get("entry").and_then(|e| e.get("id"))
        })
    }

    fn spawn(
        name: &'static str,
        kind: Kind,
        mut c: Command,
        id_of: fn(&serde_json::Value) -> Option<&serde_json::Value>,
    ) -> Result<Self, String> {
        c.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        die_with_parent(&mut c);
        let mut child = c.spawn().map_err(|e| format!("{c:?}: {e}"))?;
        let out = child.stdout.take().expect("stdout is piped");
        let seen = Seen::default();
        let unreadable = Arc::new(AtomicUsize::new(0));
        let reader = {
            let seen = Arc::clone(&seen);
            let unreadable = Arc::clone(&unreadable);
            std::thread::Builder::new()
                .name(format!("read {kind:?}"))
                .spawn(move || {
                    let mut out = BufReader::new(out);
                    let mut line = String::new();
                    loop {
                        line.clear();
                        match out.read_line(&mut line) {
                            Ok(0) | Err(_) => break,
                            Ok(_) => {}
                        }
                        // Stamped before any parsing.
                        let at = Instant::now();
                        let id = serde_json::from_str::<serde_json::Value>(&line)
                            .ok()
                            .and_then(|v| id_of(&v).and_then(|id| id.as_str()?.parse().ok()));
                        match id {
                            Some(id) => seen
                                .lock()
                                .expect("not poisoned")
                                .entry(id)
                                .or_default()
                                .push(at),
                            None => {
                                unreadable.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                })
                .map_err(|e| e.to_string())?
        };
        Ok(Follower {
            name,
            kind,
            child,
            seen,
            unreadable,
            reader: Some(reader),
        })
    }

    fn check_alive(&mut self) -> Result<(), String> {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(format!("{} exited early: {status}", self.name)),
            Err(e) => Err(format!("{}: {e}", self.name)),
        }
    }

    /// Waits until every id in `ids` has been printed.
    fn wait_for(&mut self, ids: &[Uuid], timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            {
                let seen = self.seen.lock().expect("not poisoned");
                if ids.iter().all(|id| seen.contains_key(id)) {
                    return Ok(());
                }
            }
            self.check_alive()?;
            if Instant::now() >= deadline {
                return Err(format!(
                    "{} did not print every expected entry within {timeout:?} ({} unreadable lines)",
                    self.name,
                    self.unreadable.load(Ordering::Relaxed)
                ));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn measure(&self, appends: &[Append]) -> Measured {
        let seen = self.seen.lock().expect("not poisoned");
        let mut m = Measured::default();
        for a in appends {
            match seen.get(&a.id) {
                Some(times) => {
                    let first = times.iter().min().expect("at least one");
                    if *first < a.after {
                        m.early += 1;
                    }
                    let latency = first.saturating_duration_since(a.after);
                    m.latencies.push(latency);
                    m.in_order.push(Some(latency));
                    m.repeated += times.len() - 1;
                }
                None => {
                    m.missed += 1;
                    m.in_order.push(None);
                }
            }
        }
        m.latencies.sort();
        m
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
    }
}

/// Has the kernel kill the child if this process dies without running its destructors
/// (SIGKILL, an unhandled signal).
#[cfg(target_os = "linux")]
fn die_with_parent(c: &mut Command) {
    use std::ffi::{c_int, c_ulong};
    use std::os::unix::process::CommandExt as _;
    unsafe extern "C" {
        fn prctl(option: c_int, ...) -> c_int;
    }
    const PR_SET_PDEATHSIG: c_int = 1;
    const SIGKILL: c_ulong = 9;
    // SAFETY: between fork and exec only a bare system call is made: no allocation, no lock.
    unsafe {
        c.pre_exec(|| {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn die_with_parent(_: &mut Command) {}

#[derive(Default)]
struct Measured {
    /// Sorted; one per append that was printed.
    latencies: Vec<Duration>,
    /// One per append, in append order; `None` if never printed.
    in_order: Vec<Option<Duration>>,
    /// Printed before `append_with` returned (counted as 0 ms).
    early: usize,
    missed: usize,
    repeated: usize,
}

impl Measured {
    /// p50, p99 and max; a missed entry makes them all infinite.
    fn summary(&self) -> (Duration, Duration, Duration) {
        if self.missed > 0 || self.latencies.is_empty() {
            return (Duration::MAX, Duration::MAX, Duration::MAX);
        }
        (
            percentile(&self.latencies, 0.50),
            percentile(&self.latencies, 0.99),
            *self.latencies.last().expect("not empty"),
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> String {
    if d == Duration::MAX {
        "∞".to_owned()
    } else {
        format!("{:.2} ms", d.as_secs_f64() * 1e3)
    }
}

fn ratio(a: Duration, b: Duration) -> String {
    if a == Duration::MAX || b == Duration::MAX || b.is_zero() {
        "—".to_owned()
    } else {
        format!("{:.0}×", a.as_secs_f64() / b.as_secs_f64())
    }
}

/// A tiny deterministic generator for the pauses.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}
