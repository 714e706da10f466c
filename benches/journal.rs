//! Journal benchmark: opening a large incident, peak memory, durable appends and kill -9.
//!
//! `cargo bench --bench journal` (100,000 events, a few minutes on 2 cores), or the 1M figures:
//! `cargo bench --bench journal -- --events 1000000`.
//!
//! In one run it:
//! 1. generates an incident folder of N events (2–3 consoles, a realistic mix, the
//!    `data-breach` playbook) through the real [`IncidentDir`] / `JournalWriter`, on tmpfs
//!    (`/dev/shm`) where `sync_data` is cheap, then copies it to a temp dir on the real disk;
//! 2. times a baseline: `serde_json::from_str::<Value>` of every line, one thread;
//! 3. times `read_journal::<Event>` + `fold` (issue 14's goal: ≤ 1.0× the baseline; and
//!    < 3 s for 1M events);
//! 4. measures the peak RSS (`VmHWM`) of a child process doing only the load + fold (issue 14's
//!    goal: ≤ 0.8× the journal's size on disk), and of one doing only the baseline, for context;
//! 5. measures the latency of appends with `sync_data` on the real disk (p50/p99/max);
//! 6. runs a kill -9 loop: child writers are SIGKILLed after a varying delay, and every id a
//!    child reported as appended must read back, with no corruption (a torn tail is allowed).
//!    Each incident folder takes 20 killed writers, and is re-read and folded after each kill.
//!    A SIGKILL leaves the page cache intact: this checks the process side (an acknowledged
//!    append is never lost, a cut-off write is never taken for corruption), not power loss;
//! 7. runs `crisisdesk log INCIDENT note …` (the release binary, `--log-calls N` times, one
//!    after the other) on the generated incident, then as many `log … action …` (a kind that
//!    needs the folded incident): per-call wall time p50/p99 (issue 14's goal: ≤ 50 ms per
//!    note at 100,000 entries), the CPU time of all calls, and how many journal files the calls
//!    left (goal: a handful).
//!
//! It prints the figures as a Markdown table and exits 1 if a target is missed or a durability
//! check fails. The binary re-executes itself for the child processes (hidden `--child-*`
//! arguments).
//!
//! Options: `--events N`, `--kill-iterations N`, `--appends N`, `--runs N` (timed repetitions of
//! the baseline and the load, median reported), `--keep` (keep the generated incident and print
//! where it is), `--incident DIR` (measure an existing incident folder instead of generating).

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crisisdesk::incident::{Body, Event, LessonKind, fold};
use crisisdesk::journal::{Integrity, JournalWriter, read_journal};
use crisisdesk::playbook::{self, Loaded};
use crisisdesk::store::{IncidentDir, NewIncident};
use jiff::Timestamp;
use sha2::{Digest as _, Sha256};
use uuid::Uuid;

const PLAYBOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/playbooks/data-breach.json");
/// 2026-11-27T08:00:00Z: when the generated incident opens.
const T0_MS: i64 = 1_795_766_400_000;

/// Issue 14: open (load + fold) no slower than a bare `serde_json::Value` parse of the lines.
const TARGET_RATIO: f64 = 1.0;
const TARGET_OPEN_SECS_PER_MILLION: f64 = 3.0;
/// Issue 14: peak memory of an open incident ≤ 0.8× the journal's bytes.
const TARGET_MEMORY: f64 = 0.8;
/// Issue 14: a `crisisdesk log … note` call on a 100,000-entry incident, p99 wall time.
const TARGET_LOG_CALL: Duration = Duration::from_millis(50);
/// Issue 14: "a script of 10,000 calls leaves a handful of files".
const TARGET_LOG_FILES: usize = 3;
const BIN: &str = env!("CARGO_BIN_EXE_crisisdesk");

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--child-load") => return child_load(Path::new(&args[1])),
        Some("--child-baseline") => return child_baseline(Path::new(&args[1])),
        Some("--child-writer") => {
            return child_writer(Path::new(&args[1]), args[2].parse().expect("seed"));
        }
        _ => {}
    }
    let opts = <Opts as clap::Parser>::parse();
    if !run(&opts) {
        std::process::exit(1);
    }
}

/// The journal benchmark: load + fold of a generated incident against a bare parse, peak
/// memory, append latency and a kill -9 loop.
#[derive(clap::Parser)]
struct Opts {
    /// Events in the generated incident.
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(2..))]
    events: u64,
    /// `crisisdesk log` calls timed, per kind (note, action).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    log_calls: u32,
    /// Writers killed with SIGKILL in the durability loop.
    #[arg(long, default_value_t = 200)]
    kill_iterations: u32,
    /// Appends timed for the latency figures.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    appends: u32,
    /// Timed runs of each measurement; the median is reported.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// Keep the generated incident folder.
    #[arg(long)]
    keep: bool,
    /// Measure an existing incident folder instead of generating one.
    #[arg(long)]
    incident: Option<PathBuf>,
    /// Passed by `cargo bench` to every bench binary.
    #[arg(long, hide = true)]
    bench: bool,
}

// ---------------------------------------------------------------------------------------------
// The run

fn run(opts: &Opts) -> bool {
    let loaded = load_playbook();
    let work = tempfile::Builder::new()
        .prefix("crisisdesk-bench-")
        .tempdir_in(std::env::temp_dir())
        .expect("temp dir");
    eprintln!("machine: {}", machine());
    let busy = load_average();
    if busy > 0.5 {
        eprintln!(
            "warning: load average {busy:.2} before starting: other processes compete for the CPUs and the timings will be high"
        );
    }

    // 1. The incident.
    let (incident, generated) = match &opts.incident {
        Some(dir) => (dir.clone(), None),
        None => {
            let started = Instant::now();
            let (path, stats) = generate(opts.events, &loaded, work.path());
            eprintln!(
                "generated {} events in {:.1} s ({}), copied to {}",
                group(stats.events),
                started.elapsed().as_secs_f64(),
                stats.via,
                path.display()
            );
            (path, Some(stats))
        }
    };
    let journal_dir = incident.join("journal");
    let files = journal_files(&journal_dir);
    let disk: u64 = files.iter().map(|f| fs::metadata(f).unwrap().len()).sum();
    let lines = count_lines(&files);
    eprintln!(
        "journal: {} files, {} lines, {}",
        files.len(),
        group(lines),
        mb(disk)
    );

    // 2 + 3. Baseline and load + fold, alternated, median of `runs`.
    let mut baselines = Vec::new();
    let mut loads = Vec::new();
    let mut folds = Vec::new();
    let mut totals = Vec::new();
    let mut cpus = Vec::new();
    let mut load_ok = true;
    for run in 1..=opts.runs {
        let (bare, parsed) = baseline(&files);
        assert_eq!(parsed, lines);
        let cpu_before = cpu_seconds();
        let timed = load_and_fold(&journal_dir);
        let cpu = cpu_seconds() - cpu_before;
        eprintln!(
            "run {run}: baseline {:.3} s | read_journal {:.3} s + fold {:.3} s = {:.3} s, {cpu:.2} CPU-s ({} entries, integrity {})",
            bare.as_secs_f64(),
            timed.load.as_secs_f64(),
            timed.fold.as_secs_f64(),
            (timed.load + timed.fold).as_secs_f64(),
            group(timed.entries),
            timed.integrity,
        );
        if timed.entries != lines || timed.integrity != Integrity::Ok || !timed.folded {
            eprintln!(
                "FAILED: load returned {} entries (expected {}), integrity {}, folded {}",
                timed.entries, lines, timed.integrity, timed.folded
            );
            load_ok = false;
        }
        baselines.push(bare);
        loads.push(timed.load);
        folds.push(timed.fold);
        totals.push(timed.load + timed.fold);
        cpus.push(Duration::from_secs_f64(cpu.max(0.0)));
    }
    let bare = median(&mut baselines);
    let load = median(&mut loads);
    let fold_time = median(&mut folds);
    let total = median(&mut totals);
    let cpu = median(&mut cpus);
    let ratio = total.as_secs_f64() / bare.as_secs_f64();
    let open_budget = TARGET_OPEN_SECS_PER_MILLION * lines as f64 / 1e6;

    // Where the time goes: each phase alone, on one thread.
    let phases = phases(&files);

    // 4. Peak memory, each in a fresh process.
    let load_child = child(&["--child-load"], &incident);
    let base_child = child(&["--child-baseline"], &incident);
    let peak = load_child.kib("hwm") * 1024;
    let peak_ratio = peak as f64 / disk as f64;
    let start_rss = load_child.kib("rss_start") * 1024;
    let base_peak = base_child.kib("hwm") * 1024;

    // 5. Append latency on the real disk.
    let latencies = append_latency(opts.appends, work.path());

    // 6. kill -9.
    let kill = kill_loop(opts.kill_iterations, &loaded, work.path());

    // 7. The CLI, last: it appends to the incident.
    let notes = log_calls(&incident, "note", opts.log_calls);
    let actions = log_calls(&incident, "action", opts.log_calls);
    let files_after = journal_files(&journal_dir).len();
    let left = files_after - files.len();

    // Verdicts and the table.
    let busy_after = load_average();
    let verdict = |ok: bool| if ok { "pass" } else { "**FAIL**" };
    let ratio_ok = ratio <= TARGET_RATIO;
    let open_ok = total.as_secs_f64() < open_budget;
    let memory_ok = peak_ratio <= TARGET_MEMORY;
    let kill_ok = kill.failures.is_empty();
    let mut t = String::new();
    let per_m = if lines == 1_000_000 {
        String::new()
    } else {
        format!(" (3 s × {}/1M)", group(lines))
    };
    writeln!(t, "| Measure | Result | Target | |").unwrap();
    writeln!(t, "| --- | --- | --- | --- |").unwrap();
    writeln!(
        t,
        "| Machine | {}; load average {busy:.1} at start, {busy_after:.1} at end | | |",
        machine()
    )
    .unwrap();
    let gen_note = match &generated {
        Some(s) => format!(
            "{} events ({}), {} consoles",
            group(s.events),
            s.mix(),
            s.consoles
        ),
        None => format!("{} lines in {}", group(lines), incident.display()),
    };
    writeln!(
        t,
        "| Journal | {gen_note}; {} in {} files, {} B/line | | |",
        mb(disk),
        files.len(),
        disk / lines.max(1)
    )
    .unwrap();
    writeln!(
        t,
        "| Baseline: `serde_json::from_str::<Value>` per line, 1 thread | {:.2} s | | |",
        bare.as_secs_f64()
    )
    .unwrap();
    writeln!(
        t,
        "| `read_journal::<Event>` ({} threads) | {:.2} s | | |",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        load.as_secs_f64()
    )
    .unwrap();
    writeln!(t, "| `fold` | {:.2} s | | |", fold_time.as_secs_f64()).unwrap();
    writeln!(
        t,
        "| Load + fold, wall time | {:.2} s ({:.2} CPU-s) | < {open_budget:.2} s{per_m} | {} |",
        total.as_secs_f64(),
        cpu.as_secs_f64(),
        verdict(open_ok && load_ok)
    )
    .unwrap();
    writeln!(
        t,
        "| Open: load + fold ÷ bare `Value` parse (the anchor, same run) | {ratio:.2}× | ≤ {TARGET_RATIO}× (issue 14) | {} |",
        verdict(ratio_ok)
    )
    .unwrap();
    writeln!(
        t,
        "| Peak RSS of a process doing load + fold ÷ journal bytes | {} = {peak_ratio:.2}× the journal ({:.2}× without the {} it starts with) | ≤ {TARGET_MEMORY}× (issue 14) | {} |",
        mb(peak),
        peak.saturating_sub(start_rss) as f64 / disk as f64,
        mb(start_rss),
        verdict(memory_ok)
    )
    .unwrap();
    writeln!(
        t,
        "| Peak RSS of a process doing the baseline | {} | | |",
        mb(base_peak)
    )
    .unwrap();
    writeln!(
        t,
        "| Single-thread phases: read lines / SHA-256 / `Event` decode | {:.2} s / {:.2} s / {:.2} s | | |",
        phases.read.as_secs_f64(),
        phases.hash.as_secs_f64(),
        phases.decode.as_secs_f64()
    )
    .unwrap();
    writeln!(
        t,
        "| Append + `sync_data` on the real disk, {} appends | p50 {} · p99 {} · max {} | | |",
        latencies.len(),
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().unwrap())
    )
    .unwrap();
    writeln!(
        t,
        "| kill -9 loop | {} writers SIGKILLed, {KILLS_PER_FOLDER} per incident folder, folder re-read after each kill; {} ids acknowledged, {} missing on reading back; {} reads with corruption; {} torn tails | no loss, no corruption | {} |",
        kill.iterations,
        group(kill.verified),
        kill.lost,
        kill.corrupt_reads,
        kill.torn_tails,
        verdict(kill_ok)
    )
    .unwrap();
    let log_ok = notes.failed == 0
        && actions.failed == 0
        && percentile(&notes.wall, 0.99) <= TARGET_LOG_CALL;
    let files_ok = left <= TARGET_LOG_FILES;
    let per_100k = if lines == 100_000 {
        String::new()
    } else {
        format!(
            " (the goal is set at 100,000 entries; this incident has {})",
            group(lines)
        )
    };
    for (calls, what) in [
        (&notes, "note"),
        (&actions, "action (folds the incident first)"),
    ] {
        writeln!(
            t,
            "| `crisisdesk log INCIDENT {what}`, {} calls | p50 {} · p99 {} · max {}; {:.1} ms CPU per call{} | {} | {} |",
            calls.wall.len(),
            ms(percentile(&calls.wall, 0.50)),
            ms(percentile(&calls.wall, 0.99)),
            ms(*calls.wall.last().unwrap()),
            calls.cpu.as_secs_f64() * 1000.0 / calls.wall.len() as f64,
            if calls.failed > 0 {
                format!("; **{} calls failed**", calls.failed)
            } else {
                String::new()
            },
            if calls.kind == "note" {
                format!("p99 ≤ {}{per_100k}", ms(TARGET_LOG_CALL))
            } else {
                "reported".to_owned()
            },
            if calls.kind == "note" {
                verdict(log_ok)
            } else if calls.failed == 0 {
                ""
            } else {
                verdict(false)
            },
        )
        .unwrap();
    }
    writeln!(
        t,
        "| Journal files the {} `log` calls left | {left} | ≤ {TARGET_LOG_FILES} | {} |",
        notes.wall.len() + actions.wall.len(),
        verdict(files_ok)
    )
    .unwrap();
    for f in &kill.failures {
        eprintln!("kill -9 loop: {f}");
    }

    if opts.keep {
        let kept = work.keep();
        eprintln!("kept {}", kept.display());
        if opts.incident.is_none() {
            eprintln!(
                "re-run on it: cargo bench --bench journal -- --incident {}",
                incident.display()
            );
        }
    }
    if busy_after > 1.5 {
        eprintln!(
            "warning: load average {busy_after:.2} at the end: the timings were taken on a busy machine"
        );
    }
    println!("\n{t}");
    let ok = ratio_ok && open_ok && memory_ok && kill_ok && load_ok && log_ok && files_ok;
    if !ok {
        eprintln!("some targets were missed or a check failed");
    }
    ok
}

fn load_playbook() -> Loaded {
    playbook::load_file(Path::new(PLAYBOOK), None).expect("data-breach playbook loads")
}

// ---------------------------------------------------------------------------------------------
// 1. Generating an incident

struct GenStats {
    events: u64,
    consoles: usize,
    kinds: HashMap<&'static str, u64>,
    via: &'static str,
}

impl GenStats {
    fn mix(&self) -> String {
        let mut kinds: Vec<_> = self.kinds.iter().collect();
        kinds.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let pct = |n: u64| n as f64 * 100.0 / self.events as f64;
        let top: Vec<String> = kinds
            .iter()
            .take(6)
            .map(|(k, n)| format!("{k} {:.0}%", pct(**n)))
            .collect();
        let rest: u64 = kinds.iter().skip(6).map(|(_, n)| **n).sum();
        format!(
            "{}, {} other kinds {:.0}%",
            top.join(", "),
            kinds.len().saturating_sub(6),
            pct(rest)
        )
    }
}

/// Writes the incident through `IncidentDir` (one per console, each with its own
/// `JournalWriter`) on tmpfs, then copies it under `dest`. Returns the copied folder.
fn generate(events: u64, loaded: &Loaded, dest: &Path) -> (PathBuf, GenStats) {
    let shm = Path::new("/dev/shm");
    let (scratch, via) = match tempfile::Builder::new()
        .prefix("crisisdesk-bench-")
        .tempdir_in(shm)
    {
        Ok(dir) => (dir, "written on /dev/shm"),
        Err(e) => {
            eprintln!(
                "/dev/shm unavailable ({e}): generating on the real disk, one fsync per event (slow)"
            );
            (
                tempfile::tempdir_in(dest).expect("temp dir"),
                "written on disk",
            )
        }
    };
    let mut sim = Gen::new(loaded, 0x5eed_cafe, T0_MS);
    let authors = ["anna@war-room-laptop", "ben@comms-desk-2", "scribe@ops-pc"];
    let (id, at) = sim.tick();
    let first = IncidentDir::create(
        scratch.path(),
        &NewIncident {
            playbook: loaded,
            title: "Customer database exposed",
            severity: "medium",
            detected_at: ts(T0_MS - 2 * 3600 * 1000),
            exercise: false,
        },
        authors[0],
        id,
        at,
    )
    .expect("create incident");
    let path = first.path().to_owned();
    let mut dirs = vec![first];
    for author in &authors[1..] {
        dirs.push(IncidentDir::open(&path, author).expect("open incident"));
    }
    let mut kinds: HashMap<&'static str, u64> = HashMap::new();
    *kinds.entry("incident_opened").or_default() += 1;
    let started = Instant::now();
    for n in 1..events {
        let (id, now) = sim.tick();
        // Consoles write 50 / 30 / 20 % of the events.
        let console = match sim.rng.below(10) {
            0..5 => 0,
            5..8 => 1,
            _ => 2,
        };
        // 2 % are back-dated by up to 10 minutes: files are not in `at` order.
        let at = if sim.rng.below(100) < 2 {
            ts(now.as_millisecond() - 1000 * (1 + sim.rng.below(600)) as i64)
        } else {
            now
        };
        let body = sim.body(id, at);
        *kinds.entry(body.kind()).or_default() += 1;
        dirs[console]
            .append_with(id, at, now, body)
            .expect("append");
        if n % 100_000 == 0 {
            eprintln!(
                "  {} events, {:.0}/s",
                group(n),
                n as f64 / started.elapsed().as_secs_f64()
            );
        }
    }
    drop(dirs);

    let name = path.file_name().expect("folder name");
    let copy = dest.join(name);
    fs::create_dir_all(copy.join("journal")).unwrap();
    fs::create_dir_all(copy.join("inbox")).unwrap();
    fs::copy(path.join("incident.json"), copy.join("incident.json")).unwrap();
    for file in journal_files(&path.join("journal")) {
        fs::copy(&file, copy.join("journal").join(file.file_name().unwrap())).unwrap();
    }
    drop(scratch);
    (
        copy,
        GenStats {
            events,
            consoles: authors.len(),
            kinds,
            via,
        },
    )
}

/// SplitMix64: small, fast and reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "the",
    "customer",
    "database",
    "export",
    "was",
    "reachable",
    "from",
    "an",
    "unauthenticated",
    "endpoint",
    "between",
    "and",
    "legal",
    "confirms",
    "that",
    "we",
    "must",
    "notify",
    "regulator",
    "within",
    "72",
    "hours",
    "of",
    "awareness",
    "holding",
    "statement",
    "approved",
    "by",
    "crisis",
    "lead",
    "press",
    "desk",
    "Reuters",
    "asked",
    "whether",
    "payment",
    "data",
    "is",
    "affected",
    "—",
    "no",
    "evidence",
    "so",
    "far",
    "CISO",
    "reports",
    "access",
    "path",
    "closed",
    "at",
    "09:42",
    "CET",
    "about",
    "48,000",
    "accounts",
    "in",
    "Germany,",
    "Austria",
    "Poland",
    "call",
    "centre",
    "briefed;",
    "script",
    "v2",
    "shared",
    "with",
    "team",
    "leads",
    "board",
    "chair",
    "wants",
    "hourly",
    "updates",
    "until",
    "containment",
    "is",
    "confirmed",
    "forensics",
    "firm",
    "onboarded",
    "under",
    "privilege",
    "insurer",
    "notified",
    "claim",
    "reference",
    "pending",
    "social",
    "media",
    "mentions",
    "rising",
    "on",
    "X",
    "and",
    "LinkedIn",
    "sellers",
    "asking",
    "if",
    "payouts",
    "are",
    "delayed",
    "Müller",
    "(DPO)",
    "reviewed",
    "the",
    "Art.",
    "33",
    "draft",
    "\"no",
    "passwords",
    "exposed\"",
    "—",
    "to",
    "be",
    "verified",
    "€2.4m",
    "exposure",
    "estimate",
    "from",
    "finance",
    "Łódź",
    "office",
    "staff",
    "memo",
    "ready",
    "for",
    "sign-off",
    "journalist",
    "from",
    "Handelsblatt",
    "called",
    "twice",
    "next",
    "update",
    "due",
    "at",
    "14:00",
    "decision:",
    "take",
    "the",
    "seller",
    "portal",
    "offline",
    "rotate",
    "API",
    "keys",
    "tonight",
];

const OUTLETS: &[&str] = &[
    "Reuters",
    "Handelsblatt",
    "BBC Radio 4",
    "heise online",
    "Der Spiegel",
    "TechCrunch",
    "local radio",
];
const CHANNELS: &[&str] = &["email", "phone", "portal", "press release", "intranet"];
const SENTIMENTS: &[&str] = &["negative", "neutral", "positive"];
const SEVERITIES: &[&str] = &["low", "medium", "high", "critical"];

/// Produces a stream of realistic events. Holds only small bounded queues of recent ids (for
/// approvals, replies, corrections), never the events.
struct Gen {
    rng: Rng,
    clock_ms: i64,
    stakeholders: Vec<(String, Vec<String>)>,
    roles: Vec<String>,
    milestones: Vec<String>,
    checklist: Vec<String>,
    templates: Vec<String>,
    reply_within: Vec<playbook::duration::Duration>,
    /// Unsent drafts: (id, stakeholder index).
    drafts: VecDeque<(Uuid, usize)>,
    inquiries: VecDeque<Uuid>,
    actions: VecDeque<Uuid>,
    /// Recent notes, facts and decisions: what amendments and retractions target.
    texts: VecDeque<(Uuid, Timestamp)>,
}

const QUEUE: usize = 256;

fn bounded<T>(q: &mut VecDeque<T>, item: T) {
    if q.len() == QUEUE {
        q.pop_front();
    }
    q.push_back(item);
}

impl Gen {
    fn new(loaded: &Loaded, seed: u64, clock_ms: i64) -> Gen {
        let pb = &loaded.playbook;
        Gen {
            rng: Rng(seed),
            clock_ms,
            stakeholders: pb
                .stakeholders
                .iter()
                .map(|s| (s.id.clone(), s.approval.clone()))
                .collect(),
            roles: pb.roles.iter().map(|r| r.id.clone()).collect(),
            milestones: pb.milestones.iter().map(|m| m.id.clone()).collect(),
            checklist: pb
                .checklists
                .iter()
                .flat_map(|c| c.items.iter().map(|i| i.id.clone()))
                .collect(),
            templates: pb.templates.iter().map(|t| t.id.clone()).collect(),
            reply_within: ["1h", "2h", "4h", "1bd"]
                .iter()
                .map(|d| d.parse().expect("duration"))
                .collect(),
            drafts: VecDeque::new(),
            inquiries: VecDeque::new(),
            actions: VecDeque::new(),
            texts: VecDeque::new(),
        }
    }

    /// Advances the clock by 50 ms – 2 s and returns a uuid v7 for that moment with it.
    fn tick(&mut self) -> (Uuid, Timestamp) {
        self.clock_ms += 50 + self.rng.below(1950) as i64;
        let mut random = [0u8; 10];
        random[..8].copy_from_slice(&self.rng.next().to_le_bytes());
        random[8..].copy_from_slice(&self.rng.next().to_le_bytes()[..2]);
        let id =
            uuid::Builder::from_unix_timestamp_millis(self.clock_ms as u64, &random).into_uuid();
        (id, ts(self.clock_ms))
    }

    /// 60–200 characters of plausible incident prose.
    fn text(&mut self) -> String {
        let target = 60 + self.rng.below(141) as usize;
        let mut s = String::with_capacity(target + 16);
        loop {
            let word = *self.rng.pick(WORDS);
            let len = s.chars().count();
            if len + 1 + word.chars().count() > target && len >= 60 {
                break;
            }
            if len + 1 + word.chars().count() > 200 {
                break;
            }
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(word);
        }
        s.push('.');
        s
    }

    fn short(&mut self) -> Option<String> {
        let text = self.text();
        Some(text.chars().take(60).collect())
    }

    fn body(&mut self, id: Uuid, at: Timestamp) -> Body {
        let roll = self.rng.below(1000);
        let body = match roll {
            0..300 => Body::Note { text: self.text() },
            300..500 => Body::Fact {
                text: self.text(),
                confirmed: self.rng.below(5) != 0,
            },
            500..650 => Body::Decision { text: self.text() },
            650..710 => {
                let s = self.rng.below(self.stakeholders.len() as u64) as usize;
                bounded(&mut self.drafts, (id, s));
                Body::MessageDrafted {
                    stakeholder: self.stakeholders[s].0.clone(),
                    template: (self.rng.below(2) == 0 && !self.templates.is_empty())
                        .then(|| self.rng.pick(&self.templates).clone()),
                    channel: Some(self.rng.pick(CHANNELS).to_string()),
                    text: self.text(),
                }
            }
            710..725 if !self.drafts.is_empty() => {
                let (message, _) = *self.rng.pick(self.drafts.make_contiguous());
                Body::MessageEdited {
                    message,
                    text: self.text(),
                }
            }
            725..815 if !self.drafts.is_empty() => {
                let (message, s) = *self.rng.pick(self.drafts.make_contiguous());
                let required = &self.stakeholders[s].1;
                let role = if required.is_empty() {
                    self.rng.pick(&self.roles).clone()
                } else {
                    self.rng.pick(required).clone()
                };
                Body::MessageApproved {
                    message,
                    role,
                    comment: if self.rng.below(3) == 0 {
                        self.short()
                    } else {
                        None
                    },
                }
            }
            815..825 if !self.drafts.is_empty() => {
                let (message, _) = *self.rng.pick(self.drafts.make_contiguous());
                Body::MessageObjected {
                    message,
                    role: self.rng.pick(&self.roles).clone(),
                    comment: self.text(),
                }
            }
            825..875 => {
                let draft = if self.rng.below(5) != 0 {
                    self.drafts.pop_front()
                } else {
                    None
                };
                let s = draft.map_or_else(
                    || self.rng.below(self.stakeholders.len() as u64) as usize,
                    |d| d.1,
                );
                Body::MessageSent {
                    stakeholder: self.stakeholders[s].0.clone(),
                    message: draft.map(|d| d.0),
                    text: if draft.is_none() {
                        Some(self.text())
                    } else {
                        None
                    },
                    channel: Some(self.rng.pick(CHANNELS).to_string()),
                    fulfils: None,
                    override_reason: (self.rng.below(20) == 0).then(|| self.text()),
                }
            }
            875..905 => {
                bounded(&mut self.inquiries, id);
                Body::MediaInquiry {
                    from: self.rng.pick(OUTLETS).to_string(),
                    journalist: (self.rng.below(5) < 3).then(|| "J. Example".to_owned()),
                    question: self.text(),
                    reply_within: Some(*self.rng.pick(&self.reply_within)),
                }
            }
            905..930 if !self.inquiries.is_empty() => {
                let inquiry = self.inquiries.pop_front().expect("not empty");
                Body::InquiryAnswered {
                    inquiry,
                    text: self.text(),
                }
            }
            930..940 => {
                bounded(&mut self.inquiries, id);
                let s = self.rng.below(self.stakeholders.len() as u64) as usize;
                Body::StakeholderRequest {
                    stakeholder: self.stakeholders[s].0.clone(),
                    text: self.text(),
                    reply_within: Some(*self.rng.pick(&self.reply_within)),
                }
            }
            940..960 => Body::MediaMention {
                source: self.rng.pick(OUTLETS).to_string(),
                url: (self.rng.below(2) == 0)
                    .then(|| format!("https://news.example/{}", self.rng.below(1_000_000))),
                text: self.text(),
                sentiment: Some(self.rng.pick(SENTIMENTS).to_string()),
            },
            960..965 => Body::MilestoneMarked {
                milestone: self.rng.pick(&self.milestones).clone(),
                text: self.short(),
            },
            965..970 => Body::ChecklistDone {
                item: self.rng.pick(&self.checklist).clone(),
            },
            970..980 => {
                bounded(&mut self.actions, id);
                Body::ActionAdded {
                    text: self.text(),
                    owner: Some(self.rng.pick(&self.roles).clone()),
                    due: Some(ts(at.as_millisecond() + 4 * 3600 * 1000)),
                }
            }
            980..988 if !self.actions.is_empty() => Body::ActionDone {
                action: self.actions.pop_front().expect("not empty"),
            },
            988..990 => Body::SeverityChanged {
                severity: self.rng.pick(SEVERITIES).to_string(),
                reason: self.short(),
            },
            990..993 => Body::Lesson {
                text: self.text(),
                lesson: *self
                    .rng
                    .pick(&[LessonKind::Well, LessonKind::Wrong, LessonKind::Lucky]),
            },
            993..998 if !self.texts.is_empty() => {
                let (target, target_at) = *self.rng.pick(self.texts.make_contiguous());
                // One in ten corrections also moves the event in time: the fold re-sorts.
                let new_at = (self.rng.below(10) == 0).then(|| {
                    ts(target_at.as_millisecond() - 1000 * (1 + self.rng.below(900)) as i64)
                });
                Body::Amend {
                    target,
                    text: Some(self.text()),
                    new_at,
                    reason: self.short(),
                }
            }
            998..1000 if !self.texts.is_empty() => {
                let (target, _) = *self.rng.pick(self.texts.make_contiguous());
                Body::Retract {
                    target,
                    reason: self.text(),
                }
            }
            _ => Body::Note { text: self.text() },
        };
        if matches!(
            body,
            Body::Note { .. } | Body::Fact { .. } | Body::Decision { .. }
        ) {
            bounded(&mut self.texts, (id, at));
        }
        body
    }
}

fn ts(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).expect("in range")
}

fn journal_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("journal dir")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    files
}

fn count_lines(files: &[PathBuf]) -> u64 {
    let mut n = 0;
    let mut buf = vec![0u8; 1 << 20];
    for path in files {
        let mut f = fs::File::open(path).unwrap();
        loop {
            let got = f.read(&mut buf).unwrap();
            if got == 0 {
                break;
            }
            n += buf[..got].iter().filter(|&&b| b == b'\n').count() as u64;
        }
    }
    n
}

// ---------------------------------------------------------------------------------------------
// 2 + 3. Baseline and load + fold

/// Parses every line of every file as a `serde_json::Value`, one thread, nothing kept.
fn baseline(files: &[PathBuf]) -> (Duration, u64) {
    let started = Instant::now();
    let mut lines = 0;
    for path in files {
        let mut reader = BufReader::new(fs::File::open(path).unwrap());
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 0 {
            let value: serde_json::Value = serde_json::from_str(&line).expect("valid JSON");
            std::hint::black_box(&value);
            lines += 1;
            line.clear();
        }
    }
    (started.elapsed(), lines)
}

struct Timed {
    load: Duration,
    fold: Duration,
    entries: u64,
    integrity: Integrity,
    folded: bool,
}

fn load_and_fold(journal_dir: &Path) -> Timed {
    let started = Instant::now();
    let journal = read_journal::<Event>(journal_dir).expect("read journal");
    let load = started.elapsed();
    let started = Instant::now();
    let incident = fold(&journal.entries);
    let fold_time = started.elapsed();
    let timed = Timed {
        load,
        fold: fold_time,
        entries: journal.entries.len() as u64,
        integrity: journal.report.integrity,
        folded: incident.is_ok(),
    };
    // Dropping a million events is not part of opening an incident.
    drop((journal, incident));
    timed
}

struct Phases {
    read: Duration,
    hash: Duration,
    decode: Duration,
}

/// Costs of the load's phases, each alone on one thread: reading and splitting lines, the
/// SHA-256 of each record, decoding the `entry` into an `Event`.
fn phases(files: &[PathBuf]) -> Phases {
    let each_line = |f: &mut dyn FnMut(&[u8])| {
        let started = Instant::now();
        for path in files {
            let mut reader = BufReader::with_capacity(1 << 20, fs::File::open(path).unwrap());
            let mut line = Vec::new();
            while reader.read_until(b'\n', &mut line).unwrap() > 0 {
                f(&line);
                line.clear();
            }
        }
        started.elapsed()
    };
    // `{"v":1,...,"entry":<entry>,"sum":"<64 hex>"}\n`
    const SUFFIX: usize = ",\"sum\":\"".len() + 64 + "\"}\n".len();
    let read = each_line(&mut |line| {
        std::hint::black_box(line);
    });
    let with_hash = each_line(&mut |line| {
        let body = &line[..line.len() - SUFFIX];
        std::hint::black_box(Sha256::digest(body));
    });
    let with_decode = each_line(&mut |line| {
        let body = &line[..line.len() - SUFFIX];
        let start = find(body, b",\"entry\":").expect("entry") + 9;
        let event: Event = serde_json::from_slice(&body[start..]).expect("event");
        std::hint::black_box(event);
    });
    Phases {
        read,
        hash: with_hash.saturating_sub(read),
        decode: with_decode.saturating_sub(read),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

// ---------------------------------------------------------------------------------------------
// 4. Peak memory in child processes

fn vm_kib(field: &str) -> u64 {
    let status = fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// `--child-load INCIDENT`: load + fold only, then report the peak RSS.
fn child_load(incident: &Path) {
    let rss_start = vm_kib("VmRSS:");
    let t = load_and_fold_kept(&incident.join("journal"));
    println!("rss_start {rss_start}");
    println!("hwm {}", vm_kib("VmHWM:"));
    println!("entries {}", t.0);
    println!("seconds {}", t.1);
    std::io::stdout().flush().expect("stdout");
    // Freeing a million events is not part of the measure.
    std::process::exit(0);
}

/// Like [`load_and_fold`], but measures the peak while everything is still held.
fn load_and_fold_kept(journal_dir: &Path) -> (u64, f64) {
    let started = Instant::now();
    let journal = read_journal::<Event>(journal_dir).expect("read journal");
    let incident = fold(&journal.entries).expect("fold");
    let secs = started.elapsed().as_secs_f64();
    let entries = journal.entries.len() as u64;
    // Still alive here: the peak includes the events and the folded state together.
    std::hint::black_box((&journal, &incident));
    std::mem::forget((journal, incident));
    (entries, secs)
}

/// `--child-baseline INCIDENT`: the baseline only, then report the peak RSS.
fn child_baseline(incident: &Path) {
    let rss_start = vm_kib("VmRSS:");
    let (_, lines) = baseline(&journal_files(&incident.join("journal")));
    println!("rss_start {rss_start}");
    println!("hwm {}", vm_kib("VmHWM:"));
    println!("entries {lines}");
}

struct ChildReport(HashMap<String, String>);

impl ChildReport {
    fn kib(&self, key: &str) -> u64 {
        self.0
            .get(key)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("child reported no {key}: {:?}", self.0))
    }
}

fn child(args: &[&str], incident: &Path) -> ChildReport {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(args)
        .arg(incident)
        .stderr(Stdio::inherit())
        .output()
        .expect("spawn child");
    assert!(output.status.success(), "child {args:?} failed");
    let text = String::from_utf8(output.stdout).unwrap();
    eprintln!("child {}: {}", args[0], text.replace('\n', "; "));
    ChildReport(
        text.lines()
            .filter_map(|l| l.split_once(' '))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// 5. Append latency

fn append_latency(appends: u32, root: &Path) -> Vec<Duration> {
    let loaded = load_playbook();
    let dir = root.join("latency").join("journal");
    let mut writer = JournalWriter::create(&dir, "latency@bench").expect("writer");
    let console = writer.console_id().to_owned();
    let mut sim = Gen::new(&loaded, 7, T0_MS);
    let mut latencies = Vec::with_capacity(appends as usize);
    for _ in 0..appends {
        let (id, at) = sim.tick();
        let body = sim.body(id, at);
        let event = Event {
            id,
            at,
            recorded_at: at,
            author: "latency@bench".into(),
            console: console.as_str().into(),
            incident: None,
            body,
        };
        let started = Instant::now();
        writer.append(&event).expect("append");
        latencies.push(started.elapsed());
    }
    latencies.sort();
    latencies
}

/// What [`log_calls`] measured; `wall` sorted.
struct LogCalls {
    kind: &'static str,
    wall: Vec<Duration>,
    /// CPU time of all the calls together (user + system, of the children).
    cpu: Duration,
    failed: u32,
}

/// Runs `crisisdesk log INCIDENT KIND TEXT` `n` times, one after the other, as a script would.
fn log_calls(incident: &Path, kind: &'static str, n: u32) -> LogCalls {
    let cpu_before = children_cpu_seconds();
    let mut wall = Vec::new();
    let mut failed = 0;
    for i in 0..n {
        let started = Instant::now();
        let out = Command::new(BIN)
            .arg("log")
            .arg(incident)
            .arg(kind)
            .arg(format!("Benchmark {kind} {i}: call the regulator back"))
            .env("USER", "bench")
            .stdin(Stdio::null())
            .output()
            .expect("run crisisdesk");
        wall.push(started.elapsed());
        if !out.status.success() {
            failed += 1;
            eprintln!(
                "log {kind} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
    }
    wall.sort();
    let cpu = Duration::from_secs_f64((children_cpu_seconds() - cpu_before).max(0.0));
    eprintln!(
        "log {kind}: {n} calls, p50 {}, p99 {}, {:.1} CPU-ms per call",
        ms(percentile(&wall, 0.5)),
        ms(percentile(&wall, 0.99)),
        cpu.as_secs_f64() * 1000.0 / f64::from(n)
    );
    LogCalls {
        kind,
        wall,
        cpu,
        failed,
    }
}

/// CPU seconds of this process's children that have been waited for (`cutime` + `cstime`).
fn children_cpu_seconds() -> f64 {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rfind(')').map_or("", |i| &stat[i + 1..]);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // cutime and cstime are fields 16 and 17 of the line, 14 and 15 here; USER_HZ is 100.
    (ticks(13) + ticks(14)) / 100.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

// ---------------------------------------------------------------------------------------------
// 6. kill -9

struct KillStats {
    iterations: u32,
    verified: u64,
    /// Acknowledged ids missing at the last read of each folder.
    lost: usize,
    corrupt_reads: u32,
    torn_tails: usize,
    failures: Vec<String>,
}

/// `--child-writer INCIDENT SEED`: appends events until killed, printing each id once `append`
/// has returned Ok.
fn child_writer(incident: &Path, seed: u64) {
    let loaded = load_playbook();
    let author = format!("writer{}@kill-loop", std::process::id());
    let mut dir = IncidentDir::open(incident, &author).expect("open incident");
    let now = Timestamp::now().as_millisecond();
    let mut sim = Gen::new(&loaded, seed, now);
    let mut out = std::io::stdout().lock();
    loop {
        let (id, at) = sim.tick();
        let body = sim.body(id, at);
        dir.append_with(id, at, at, body).expect("append");
        writeln!(out, "{id}").expect("stdout");
        out.flush().expect("stdout");
    }
}

/// Writers killed per incident folder: each folder collects that many torn files, and
/// re-reading it after every kill stays cheap.
const KILLS_PER_FOLDER: u32 = 20;

fn new_kill_incident(loaded: &Loaded, parent: &Path, n: u32) -> PathBuf {
    let created = IncidentDir::create(
        parent,
        &NewIncident {
            playbook: loaded,
            title: &format!("Kill loop {n}"),
            severity: "low",
            detected_at: Timestamp::now(),
            exercise: true,
        },
        "lead@kill-loop",
        Uuid::now_v7(),
        Timestamp::now(),
    )
    .expect("create incident");
    created.path().to_owned()
}

fn kill_loop(iterations: u32, loaded: &Loaded, root: &Path) -> KillStats {
    let parent = root.join("kill");
    let mut incident = PathBuf::new();
    let mut rng = Rng(0x000d_ead0_beef);
    // Ids acknowledged by the writers of the current folder; missing ones and torn tails at
    // its latest read.
    let mut acknowledged: HashSet<Uuid> = HashSet::new();
    let (mut missing, mut torn) = (0, 0);
    let mut stats = KillStats {
        iterations: 0,
        verified: 0,
        lost: 0,
        corrupt_reads: 0,
        torn_tails: 0,
        failures: Vec::new(),
    };
    let started = Instant::now();
    for i in 0..iterations {
        if i % KILLS_PER_FOLDER == 0 {
            stats.verified += acknowledged.len() as u64;
            stats.lost += missing;
            stats.torn_tails += torn;
            (acknowledged, missing, torn) = (HashSet::new(), 0, 0);
            incident = new_kill_incident(loaded, &parent, i / KILLS_PER_FOLDER + 1);
        }
        // Mostly 3–120 ms; every tenth kill lands during start-up (0–3 ms).
        let delay = if i % 10 == 0 {
            rng.below(4)
        } else {
            3 + rng.below(118)
        };
        let mut child = Command::new(std::env::current_exe().unwrap())
            .arg("--child-writer")
            .arg(&incident)
            .arg(rng.next().to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn writer");
        let mut stdout = child.stdout.take().expect("piped");
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            stdout.read_to_end(&mut buf).expect("read child stdout");
            buf
        });
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("wait");
        let printed = reader.join().expect("reader");
        stats.iterations += 1;
        if status.signal() != Some(9) {
            stats.failures.push(format!(
                "iteration {i}: writer ended with {status}, not SIGKILL"
            ));
        }
        // Only complete lines: the kill may cut the last one.
        let text = String::from_utf8(printed).expect("utf-8");
        let complete = &text[..text.rfind('\n').map_or(0, |n| n + 1)];
        for line in complete.lines() {
            acknowledged.insert(line.parse().expect("uuid"));
        }

        let journal = match read_journal::<Event>(incident.join("journal")) {
            Ok(j) => j,
            Err(e) => {
                stats.failures.push(format!("iteration {i}: read: {e}"));
                continue;
            }
        };
        let report = &journal.report;
        let corrupt: usize = report
            .files
            .iter()
            .map(|f| f.corrupt.len() + f.chain_breaks.len())
            .sum();
        if report.integrity == Integrity::Corrupt || corrupt > 0 || !report.conflicts.is_empty() {
            stats.corrupt_reads += 1;
            stats.failures.push(format!(
                "iteration {i}: integrity {}, {corrupt} corrupt lines or chain breaks, {} conflicts",
                report.integrity,
                report.conflicts.len()
            ));
        }
        let present: HashSet<Uuid> = journal.entries.iter().map(|s| s.entry.id).collect();
        missing = acknowledged.difference(&present).count();
        if missing > 0 {
            stats.failures.push(format!(
                "iteration {i}: {missing} acknowledged ids missing after the kill"
            ));
        }
        if let Err(e) = fold(&journal.entries) {
            stats.failures.push(format!("iteration {i}: fold: {e}"));
        }
        torn = report
            .files
            .iter()
            .filter(|f| f.torn_tail.is_some())
            .count();
        if stats.failures.len() > 20 {
            stats.failures.push("stopping after 20 failures".into());
            break;
        }
    }
    stats.verified += acknowledged.len() as u64;
    stats.lost += missing;
    stats.torn_tails += torn;
    eprintln!(
        "kill -9 loop: {} iterations, {} acknowledged ids, {} torn tails, {:.1} s",
        stats.iterations,
        stats.verified,
        stats.torn_tails,
        started.elapsed().as_secs_f64()
    );
    stats
}

// ---------------------------------------------------------------------------------------------
// Formatting

fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1e6)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// CPU time this process has used so far, all threads, in seconds.
fn cpu_seconds() -> f64 {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rfind(')').map_or("", |i| &stat[i + 1..]);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here; USER_HZ is 100.
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// The one-minute load average.
fn load_average() -> f64 {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0)
}

fn machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let tmp = std::env::temp_dir();
    // The file system the temp dir is on: the longest mount point that contains it.
    let fs_type = fs::read_to_string("/proc/mounts")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (_, point, kind) = (f.next()?, f.next()?, f.next()?);
            tmp.starts_with(point)
                .then(|| (point.len(), kind.to_owned()))
        })
        .max()
        .map_or_else(|| "?".to_owned(), |(_, kind)| kind);
    format!(
        "{} × {cpu}, temp dir {} ({fs_type})",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        tmp.display()
    )
}
