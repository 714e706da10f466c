//! Report benchmark: the report of a large incident, end to end (read the journal, fold,
//! build the report, render it), for each format.
//!
//! `cargo bench --bench report` (100,000 entries; target under 2 s per format), or
//! `cargo bench --bench report -- --events 20000` for a quick run, `--incident DIR` to
//! measure an existing folder.
//!
//! The generated incident is the data-breach playbook with three consoles and a realistic mix:
//! notes, facts, decisions, drafts with approvals (some edited), sends (some with an
//! override), inquiries and answers, mentions, actions, lessons, amendments and retractions.
//! It is written through the real journal writer on /dev/shm (cheap fsyncs) when available.
//! Prints a Markdown table and exits 1 if the target is missed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crisisdesk::incident::{Body, Event, LessonKind, Origin};
use crisisdesk::journal::JournalWriter;
use crisisdesk::report::{self, Format, Input};
use crisisdesk::store::IncidentDir;
use jiff::Timestamp;
use uuid::Uuid;

const TARGET_SECS: f64 = 2.0;

/// The report benchmark.
#[derive(clap::Parser)]
struct Opts {
    /// Entries in the generated incident.
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(10..))]
    events: u64,
    /// Timed repetitions per format (the median is reported).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// Measure this incident folder instead of generating one.
    #[arg(long, value_name = "DIR")]
    incident: Option<PathBuf>,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

fn main() {
    let opts = <Opts as clap::Parser>::parse();
    let mut scratch = None;
    let dir = match &opts.incident {
        Some(d) => d.clone(),
        None => {
            let tmp = tempfile::Builder::new()
                .prefix("crisisdesk-report-bench-")
                .tempdir_in("/dev/shm")
                .or_else(|_| tempfile::tempdir())
                .expect("a scratch folder");
            let started = Instant::now();
            let dir = generate(tmp.path(), opts.events);
            scratch = Some(tmp);
            eprintln!(
                "generated {} entries in {:.1} s",
                opts.events,
                started.elapsed().as_secs_f64()
            );
            dir
        }
    };
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let mut ok = true;
    println!(
        "| format | read + fold | build | render | total (median of {}) | CPU time | size | target |",
        opts.runs
    );
    println!("|---|---|---|---|---|---|---|---|");
    for (name, format) in [
        ("Markdown", Format::Markdown),
        ("HTML", Format::Html),
        ("JSON", Format::Json),
    ] {
        let mut runs: Vec<(Duration, Duration, Duration, usize, f64)> = (0..opts.runs)
            .map(|_| {
                let cpu0 = cpu_secs();
                let t0 = Instant::now();
                let snap = IncidentDir::open(&dir, "bench@host")
                    .and_then(|d| d.load())
                    .expect("the incident loads");
                let t1 = Instant::now();
                let r = report::build(&Input {
                    incident: &snap.incident,
                    events: &snap.events,
                    journal: &snap.report,
                    set_aside: &[],
                    now: Timestamp::now(),
                });
                let t2 = Instant::now();
                let text = report::render(&r, format);
                let t3 = Instant::now();
                (t1 - t0, t2 - t1, t3 - t2, text.len(), cpu_secs() - cpu0)
            })
            .collect();
        runs.sort_by_key(|(a, b, c, _, _)| *a + *b + *c);
        let (read, build, render, size, cpu) = runs[runs.len() / 2];
        let total = (read + build + render).as_secs_f64();
        let met = total < TARGET_SECS;
        ok &= met;
        println!(
            "| {name} | {:.2} s | {:.2} s | {:.2} s | **{total:.2} s** | {cpu:.2} s | {:.1} MB | < {TARGET_SECS} s: {} |",
            read.as_secs_f64(),
            build.as_secs_f64(),
            render.as_secs_f64(),
            size as f64 / 1e6,
            if met { "met" } else { "**missed**" }
        );
    }
    println!("\nload average before the runs: {}", load.trim());
    // `exit` runs no destructors: remove the generated incident first.
    drop(scratch);
    if !ok {
        std::process::exit(1);
    }
}

/// CPU time used by this process so far (all threads), from /proc: with other work on the
/// machine, wall time says little; this says what the report itself cost.
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line: 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// A small deterministic random number generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn ts(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).expect("in range")
}

/// Writes an incident of `events` entries under `parent` and returns its folder.
fn generate(parent: &Path, events: u64) -> PathBuf {
    let dir = parent.join("incident");
    let journal = dir.join("journal");
    std::fs::create_dir_all(&journal).unwrap();
    let playbook = crisisdesk::playbook::catalog::SHIPPED
        .iter()
        .find(|(name, _)| *name == "data-breach.json")
        .map(|(_, text)| *text)
        .unwrap();
    let authors = ["anna@war-room-laptop", "ben@comms-desk-2", "scribe@ops-pc"];
    let mut writers: Vec<(JournalWriter, Origin)> = authors
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let w = JournalWriter::create_with_session(&journal, a, Uuid::from_u128(k as u128 + 1))
                .unwrap();
            let origin = Origin {
                author: (*a).into(),
                console: w.console_id().to_owned(),
            };
            (w, origin)
        })
        .collect();
    let stakeholders = [
        "media",
        "dpa",
        "csirt",
        "data-subjects",
        "employees",
        "board",
        "sellers",
        "psp",
        "insurer",
    ];
    let roles = ["legal", "crisis_lead", "dpo"];
    let t0 = 1_795_766_400_000i64; // 2026-11-27T08:00:00Z
    let mut rng = Rng(0x5eed_cafe_f00d);
    let mut drafts: Vec<Uuid> = Vec::new();
    let mut inquiries: Vec<Uuid> = Vec::new();
    let mut actions: Vec<Uuid> = Vec::new();
    let mut texts: Vec<Uuid> = Vec::new();
    let milestones = [
        "aware",
        "nis2_aware",
        "public",
        "high_risk",
        "nis2_notified",
    ];
    for n in 0..events {
        let id = Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0000 + u128::from(n));
        let at = ts(t0 + n as i64 * 2_000);
        let body = if n == 0 {
            Body::IncidentOpened {
                title: "Customer database exposed".into(),
                playbook_id: "data-breach".into(),
                playbook_source: playbook.into(),
                severity: "medium".into(),
                detected_at: ts(t0 - 3_600_000),
                exercise: false,
            }
        } else if (n as usize) <= milestones.len() {
            Body::MilestoneMarked {
                milestone: milestones[n as usize - 1].into(),
                text: None,
            }
        } else {
            let pick = |rng: &mut Rng, v: &[Uuid]| v[(rng.below(v.len() as u64)) as usize];
            match rng.below(100) {
                0..25 => Body::Note {
                    text: format!(
                        "Call {n}: reporter asked about timing; told them we would update at the top of the hour"
                    ),
                },
                25..30 => {
                    texts.push(id);
                    Body::Fact {
                        text: format!("Finding {n}: affected records counted in shard {}", n % 17),
                        confirmed: rng.below(3) > 0,
                    }
                }
                30..33 => {
                    texts.push(id);
                    Body::Decision {
                        text: format!(
                            "Decision {n}: keep the shop offline until the patch is verified"
                        ),
                    }
                }
                33..43 => {
                    drafts.push(id);
                    Body::MessageDrafted {
                        stakeholder: stakeholders[rng.below(stakeholders.len() as u64) as usize]
                            .into(),
                        template: None,
                        channel: Some("email".into()),
                        text: format!(
                            "Update {n}: we are investigating unauthorised access to customer records. What we know, what we do, when we update next.\nMore at the dark site."
                        ),
                    }
                }
                43..58 if !drafts.is_empty() => Body::MessageApproved {
                    message: pick(&mut rng, &drafts),
                    role: roles[rng.below(3) as usize].into(),
                    comment: None,
                },
                58..60 if !drafts.is_empty() => Body::MessageEdited {
                    message: pick(&mut rng, &drafts),
                    text: format!("Edited update {n}: corrected figures."),
                },
                60..67 if !drafts.is_empty() => {
                    let k = rng.below(drafts.len() as u64) as usize;
                    let message = drafts.swap_remove(k);
                    Body::MessageSent {
                        stakeholder: stakeholders[rng.below(stakeholders.len() as u64) as usize]
                            .into(),
                        message: Some(message),
                        text: None,
                        channel: Some("email".into()),
                        fulfils: None,
                        override_reason: (rng.below(10) == 0)
                            .then(|| "deadline; approver unreachable".into()),
                    }
                }
                67..72 => {
                    inquiries.push(id);
                    Body::MediaInquiry {
                        from: ["Reuters", "BBC", "Heise", "Le Monde"][rng.below(4) as usize].into(),
                        journalist: None,
                        question: format!(
                            "Question {n}: how many customers are affected, and since when?"
                        ),
                        reply_within: Some("2h".parse().unwrap()),
                    }
                }
                72..76 if !inquiries.is_empty() => {
                    let k = rng.below(inquiries.len() as u64) as usize;
                    Body::InquiryAnswered {
                        inquiry: inquiries.swap_remove(k),
                        text: format!(
                            "Answer {n}: about 1,200 customers; we will update at 14:00."
                        ),
                    }
                }
                76..86 => Body::MediaMention {
                    source: "Social".into(),
                    url: Some(format!("https://example.org/post/{n}")),
                    text: format!("Post {n} about the outage"),
                    sentiment: Some("negative".into()),
                },
                86..89 => {
                    actions.push(id);
                    Body::ActionAdded {
                        text: format!("Action {n}: rotate credentials"),
                        owner: Some("ciso".into()),
                        due: Some(ts(t0 + n as i64 * 2_000 + 86_400_000)),
                    }
                }
                89..91 if !actions.is_empty() => {
                    let k = rng.below(actions.len() as u64) as usize;
                    Body::ActionDone {
                        action: actions.swap_remove(k),
                    }
                }
                91..92 => Body::Lesson {
                    text: format!("Lesson {n}: the holding statement template worked"),
                    lesson: LessonKind::Well,
                },
                92..94 if !texts.is_empty() => Body::Amend {
                    target: pick(&mut rng, &texts),
                    text: Some(format!("Corrected {n}")),
                    new_at: None,
                    reason: Some("typo".into()),
                },
                94..95 if !texts.is_empty() => Body::Retract {
                    target: pick(&mut rng, &texts),
                    reason: "wrong incident".into(),
                },
                _ => Body::ChecklistDone {
                    item: "h1-open-log".into(),
                },
            }
        };
        let (w, origin) = &mut writers[(n % 3) as usize];
        w.append(&Event::new(id, at, at, origin, body))
            .expect("append");
    }
    dir
}
