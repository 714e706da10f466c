//! The command line: `clap` definitions and the thin glue from each subcommand to the domain.
//!
//! Names and exit codes are a contract for scripts: 0 success, 1 runtime failure, 2 invalid
//! input (a bad playbook, bad arguments, an unknown id, a refused action).

pub mod check;
pub mod exercise;
pub mod incident;
pub mod log;
pub mod report;
pub mod tail;
pub mod verify;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::playbook::{self, schema};

use crate::command_line::LogKind;

/// What `crisisdesk playbooks` does.
#[derive(Debug, Subcommand)]
pub enum PlaybooksAction {
    /// Write the shipped playbooks (and schema.json) into DIR, to read, adapt or validate;
    /// files already there are left alone.
    Export {
        /// The folder to write them to (created if missing), e.g. playbooks
        dir: PathBuf,
    },
}

/// crisisdesk — a terminal war room for crisis communicators.
#[derive(Debug, Parser)]
#[command(name = "crisisdesk", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Notice file changes by polling only (every second), not by change events: for
    /// network drives that send none, and for testing.
    #[arg(long, global = true)]
    pub poll_only: bool,
}

/// The subcommands; with none, the console opens on its start screen.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start an incident from a playbook and print its folder.
    New {
        /// Playbook id (shipped or in ./playbooks) or a playbook file.
        playbook: String,
        /// What the incident is called ("Customer records exposed").
        #[arg(long)]
        title: String,
        /// Starting severity id (default: the playbook's lowest).
        #[arg(long)]
        severity: Option<String>,
        /// When the organisation learned of it (default: now). RFC 3339, or
        /// `YYYY-MM-DD HH:MM` in the playbook's time zone.
        #[arg(long, value_name = "TIME")]
        detected_at: Option<String>,
        /// Folder to create the incident in.
        #[arg(long, default_value = "incidents")]
        dir: PathBuf,
        /// Exercises have their own command now: `crisisdesk exercise PLAYBOOK --title T`.
        #[arg(long, hide = true)]
        exercise: bool,
        /// Who opens it (default: name@host).
        #[arg(long)]
        author: Option<String>,
    },
    /// Append one entry to an incident's journal and print its id.
    Log {
        /// The incident folder.
        incident: PathBuf,
        #[command(subcommand)]
        kind: LogKind,
        /// When it happened, if not now: RFC 3339, or `YYYY-MM-DD HH:MM` in the playbook's zone.
        #[arg(long, global = true, value_name = "TIME")]
        at: Option<String>,
        /// Who records it (default: name@host).
        #[arg(long, global = true)]
        author: Option<String>,
        /// Makes retries safe: the same key twice records once, and the second call prints
        /// the first entry's id.
        #[arg(long, global = true, value_name = "TEXT")]
        key: Option<String>,
    },
    /// Show where an incident stands: what is overdue first.
    Status {
        /// The incident folder.
        incident: PathBuf,
        /// Print JSON (see docs/status-json.md) instead of a summary.
        #[arg(long)]
        json: bool,
    },
    /// Open an incident folder in the console (an exercise: as a player).
    Open {
        /// The incident folder.
        incident: PathBuf,
        /// Open an exercise as its facilitator: the Exercise view with the MSEL, the scenario
        /// clock's keys, deliveries, skips and ratings.
        #[arg(long)]
        facilitator: bool,
    },
    /// Print an incident's timeline, then every new entry as it arrives, until interrupted.
    Tail {
        /// The incident folder.
        incident: PathBuf,
        /// One JSON object per line (the journal entry), for scripts and chat bridges.
        #[arg(long)]
        json: bool,
    },
    /// What did we tell whom: conflicting figures between audiences, unconfirmed figures
    /// stated, audiences told a figure the facts log has since changed, key messages not yet
    /// given. Exit 3 when a finding nobody acknowledged remains.
    Check {
        /// The incident folder.
        incident: PathBuf,
        /// Only the findings about this message (a draft or a sent one; its id or last 8 digits).
        #[arg(long, value_name = "ID")]
        message: Option<String>,
        /// Print JSON (see docs/check-json.md) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write an incident's report: post-incident, or after-action for an exercise.
    ///
    /// Markdown to standard output unless --format or -o says otherwise. An open incident
    /// gives an interim report, as of now.
    Report {
        /// The incident folder.
        incident: PathBuf,
        /// md, html or json; with -o and no --format, taken from the file's extension.
        #[arg(long, value_enum)]
        format: Option<report::ReportFormat>,
        /// Write to this file (replacing it) instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Take in the items waiting in an incident's inbox/ once (an open console does it by itself).
    Inbox {
        /// The incident folder.
        incident: PathBuf,
    },
    /// Check an incident's journal: every finding by file and line (exit 3 when damaged).
    Verify {
        /// The incident folder.
        incident: PathBuf,
        /// Print JSON (the same findings as `status --json`) instead of lines.
        #[arg(long)]
        json: bool,
        /// Also check that this report (`crisisdesk report --format json`) was made from the
        /// record in the folder, and say which journal file changed since.
        #[arg(long, value_name = "FILE.json")]
        report: Option<PathBuf>,
    },
    /// Check playbook files against format v1 and print every problem found.
    Validate {
        /// Playbook files (JSON).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print the JSON Schema (draft 2020-12) of the playbook format.
    Schema,
    /// The playbooks built into crisisdesk.
    Playbooks {
        #[command(subcommand)]
        action: PlaybooksAction,
    },
    /// Run a tabletop exercise: create one from a playbook (under ./exercises), or run its
    /// clock and injects and rate what players did.
    Exercise(exercise::ExerciseArgs),
    /// Print a playbook's injects as an MSEL spreadsheet (CSV), to plan an exercise from.
    Msel {
        /// Playbook id (shipped or in ./playbooks) or a playbook file.
        playbook: String,
    },
}

/// Exit status for invalid input (a bad playbook, bad arguments).
pub const EXIT_INVALID: u8 = 2;
/// Exit status for a runtime failure.
pub const EXIT_FAILURE: u8 = 1;
/// Exit status of `verify` when the journal is damaged.
pub const EXIT_DAMAGED: u8 = 3;

/// A command that did not succeed: what to tell the user and which exit status.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    /// Invalid input: exit 2.
    pub fn invalid(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_INVALID,
            message: message.into(),
        }
    }
    /// Runtime failure: exit 1.
    pub fn runtime(message: impl std::fmt::Display) -> Self {
        Failure {
            code: EXIT_FAILURE,
            message: message.to_string(),
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let clock = match crate::clock::from_env() {
        Ok(c) => c,
        Err(e) => return fail(Failure::invalid(e)),
    };
    let result = match cli.command {
        None if std::io::IsTerminal::is_terminal(&std::io::stdout()) => console(
            crate::tui::Start::Screen {
                incidents: PathBuf::from("incidents"),
            },
            clock,
            cli.poll_only,
        ),
        // Not a terminal (a pipe, a script): print what the start screen would show.
        None => start_screen_text(),
        Some(Command::Open {
            incident,
            facilitator,
        }) => {
            if !incident.join("journal").is_dir() {
                Err(Failure::invalid(format!(
                    "{} is not an incident folder (it has no journal/ folder)",
                    incident.display()
                )))
            } else if facilitator && !crate::store::is_exercise(&incident) {
                Err(Failure::invalid(format!(
                    "{} is a real incident, not an exercise: it has no facilitator",
                    incident.display()
                )))
            } else if facilitator {
                console(
                    crate::tui::Start::Facilitator(incident),
                    clock,
                    cli.poll_only,
                )
            } else {
                console(crate::tui::Start::Incident(incident), clock, cli.poll_only)
            }
        }
        Some(Command::Validate { files }) => match validate(&files) {
            Ok(code) => return code,
            Err(f) => Err(f),
        },
        Some(Command::Check {
            incident,
            message,
            json,
        }) => match check::run(&incident, message.as_deref(), json) {
            Ok(code) => return code,
            Err(f) => Err(f),
        },
        Some(Command::Schema) => emit(&schema::json_schema()),
        Some(Command::Playbooks {
            action: PlaybooksAction::Export { dir },
        }) => export_playbooks(&dir),
        Some(Command::New { exercise: true, .. }) => Err(Failure::invalid(
            "exercises have their own command, and live apart from real incidents: crisisdesk exercise PLAYBOOK --title T (see crisisdesk exercise --help)",
        )),
        Some(Command::New {
            playbook,
            title,
            severity,
            detected_at,
            dir,
            exercise,
            author,
        }) => incident::new(
            &incident::NewArgs {
                playbook: &playbook,
                title: &title,
                severity: severity.as_deref(),
                detected_at: detected_at.as_deref(),
                dir: &dir,
                exercise,
                author: author.as_deref(),
            },
            clock.as_ref(),
        ),
        Some(Command::Log {
            incident,
            kind,
            at,
            author,
            key,
        }) => log::run(
            &incident,
            kind,
            at.as_deref(),
            author.as_deref(),
            key.as_deref(),
            clock.as_ref(),
        ),
        Some(Command::Inbox { incident }) => inbox(&incident, clock.as_ref()),
        Some(Command::Verify {
            incident,
            json,
            report,
        }) => verify::run(&incident, json, report.as_deref()),
        Some(Command::Tail { incident, json }) => tail::run(&incident, json, cli.poll_only),
        Some(Command::Report {
            incident,
            format,
            output,
        }) => report::run(&incident, format, output, clock.as_ref()),
        Some(Command::Status { incident, json }) => {
            incident::status(&incident, json, clock.as_ref())
        }
        Some(Command::Msel { playbook }) => exercise::print_msel(&playbook, clock.as_ref()),
        Some(Command::Exercise(args)) => match exercise::run(args, clock.as_ref()) {
            // On a terminal, a new exercise opens in the facilitator's console.
            Ok(Some(path)) if std::io::IsTerminal::is_terminal(&std::io::stdout()) => {
                console(crate::tui::Start::Facilitator(path), clock, cli.poll_only)
            }
            Ok(_) => Ok(()),
            Err(f) => Err(f),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => fail(f),
    }
}

/// Says why on standard error (if it can) and gives the exit status.
fn fail(f: Failure) -> ExitCode {
    let _ = std::io::stdout().flush();
    let _ = writeln!(
        std::io::stderr(),
        "crisisdesk: {}",
        crate::sanitize::text(&f.message)
    );
    ExitCode::from(f.code)
}

/// Writes `text` to standard output and flushes it. An output that is closed (the reader
/// quit) or full (a full disk) is a runtime failure (exit 1), never a panic nor a silent
/// success.
pub fn emit(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(output_failed)
}

fn console(
    start: crate::tui::Start,
    clock: Box<dyn crate::clock::Clock>,
    poll_only: bool,
) -> Result<(), Failure> {
    needs_terminal()?;
    crate::tui::run(start, std::sync::Arc::from(clock), poll_only).map_err(|e| {
        // No controlling terminal at all (a service, a detached job): ENXIO on /dev/tty.
        if e.raw_os_error() == Some(6) {
            no_terminal()
        } else {
            Failure::runtime(e)
        }
    })
}

/// The console draws on a terminal and reads keys from one: refuse (rather than write escape
/// codes into a file, or fail with "No such device or address") when there is none.
fn needs_terminal() -> Result<(), Failure> {
    use std::io::IsTerminal as _;
    let keys = std::io::stdin().is_terminal()
        || std::fs::File::options()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .is_ok();
    if std::io::stdout().is_terminal() && keys {
        Ok(())
    } else {
        Err(no_terminal())
    }
}

fn no_terminal() -> Failure {
    Failure::runtime(
        "the console needs a terminal, and this process has none (its output goes to a file or a pipe): run it in a terminal, or use `crisisdesk status`, `tail` or `log` from scripts",
    )
}

/// `crisisdesk inbox`: one pass over the inbox. Exit 1 when something kept items from being
/// taken in (a read-only or symlinked folder, a journal that cannot be written, a stuck
/// claim), else 2 when any item was rejected.
fn inbox(path: &Path, clock: &dyn crate::clock::Clock) -> Result<(), Failure> {
    let author = crate::store::default_author();
    let mut dir = crate::store::IncidentDir::open(path, &author)
        .map_err(|e| Failure::invalid(e.to_string()))?
        .continuing_person_file();
    let report = crate::inbox::process(&mut dir, clock.now());
    // What an exercise took in says so, so it cannot be taken for a real incident's.
    let drill = if crate::store::is_exercise(path) {
        "EXERCISE "
    } else {
        ""
    };
    let mut out = std::io::stdout().lock();
    for (name, id) in &report.ingested {
        out_line(
            &mut out,
            format_args!("{drill}ok {} — {id}", crate::sanitize::line(name)),
        )?;
    }
    for (name, why) in &report.rejected {
        out_line(
            &mut out,
            format_args!(
                "{drill}rejected {} — {}",
                crate::sanitize::line(name),
                crate::sanitize::line(why)
            ),
        )?;
    }
    if report.retry_after.is_some() && report.problems.is_empty() {
        out_line(
            &mut out,
            format_args!("waiting: some items are still being written; run again in a moment"),
        )?;
    }
    drop(out);
    if !report.problems.is_empty() {
        let lines: Vec<String> = report
            .problems
            .iter()
            .map(|p| crate::sanitize::line(p).into_owned())
            .collect();
        return Err(Failure::runtime(format!(
            "inbox: {}",
            lines.join("\ncrisisdesk: inbox: ")
        )));
    }
    if report.rejected.is_empty() {
        Ok(())
    } else {
        Err(Failure::invalid(format!(
            "{} item(s) rejected: see inbox/rejected/",
            report.rejected.len()
        )))
    }
}

/// Writes one line to standard output; a closed or full output is a runtime failure.
fn out_line(out: &mut impl Write, line: std::fmt::Arguments<'_>) -> Result<(), Failure> {
    writeln!(out, "{line}").map_err(output_failed)
}

/// The failure for output that could not be written (a closed pipe, a full disk).
pub fn output_failed(e: std::io::Error) -> Failure {
    Failure::runtime(format!("cannot write the output: {e}"))
}

fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

/// `crisisdesk validate FILE...`: per file `ok …` or its problems; exit 2 if any is invalid.
fn validate(files: &[PathBuf]) -> Result<ExitCode, Failure> {
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    let mut invalid = false;
    let mut seen: Vec<(String, String)> = Vec::new();
    for file in files {
        let name = file.display().to_string();
        // `validate playbooks/*.json` also names the schema that lives beside them.
        if file.file_name().is_some_and(|n| n == "schema.json") {
            line(format!(
                "skip {name} — the playbook JSON Schema, not a playbook"
            ));
            continue;
        }
        match playbook::load_file(file, Some(today())) {
            Ok(loaded) => {
                let pb = &loaded.playbook;
                if let Some((_, other)) = seen.iter().find(|(id, _)| id == &pb.id) {
                    invalid = true;
                    line(format!(
                        "{name}: error: playbook id \"{}\" is also used by {other}; ids must be unique among the playbooks loaded together",
                        pb.id
                    ));
                    continue;
                }
                seen.push((pb.id.clone(), name.clone()));
                line(format!(
                    "ok {name} — {}: {} stakeholders, {} templates, {} injects",
                    crate::sanitize::line(&pb.title),
                    pb.stakeholders.len(),
                    pb.templates.len(),
                    pb.injects.len()
                ));
                for w in &loaded.warnings {
                    line(crate::sanitize::line(&w.display(&name).to_string()).into_owned());
                }
            }
            Err(e) => {
                invalid = true;
                for p in &e.problems {
                    line(crate::sanitize::line(&p.display(&e.file).to_string()).into_owned());
                }
            }
        }
    }
    emit(&out)?;
    Ok(if invalid {
        ExitCode::from(EXIT_INVALID)
    } else {
        ExitCode::SUCCESS
    })
}

/// Not a terminal (a pipe, a script): the start screen's information as text — the
/// incidents under `./incidents`, open ones first, and the playbooks on offer.
fn start_screen_text() -> Result<(), Failure> {
    let data = crate::tui::load_start(Path::new("incidents"), Path::new("playbooks"));
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    if data.incidents.is_empty() {
        line("crisisdesk — no incidents under incidents/ yet".into());
    } else {
        line("crisisdesk — incidents\n".into());
        for i in &data.incidents {
            let state = match (&i.problem, i.closed, i.exercise) {
                (Some(_), _, _) => "CANNOT BE READ",
                (None, true, _) => "closed",
                (None, false, true) => "EXERCISE",
                (None, false, false) => "open",
            };
            line(format!(
                "  {:<8} {}  [{}]  {}",
                state,
                crate::sanitize::line(&i.title),
                crate::sanitize::line(&i.severity),
                i.path.display()
            ));
            if let Some(p) = &i.problem {
                line(format!("           {}", crate::sanitize::line(p)));
            }
        }
    }
    let catalog = &data.catalog;
    line("\nPlaybooks available\n".into());
    for e in &catalog.entries {
        let pb = &e.loaded.playbook;
        line(format!(
            "  {:<22} {}  ({} stakeholders, {} templates, {} injects; {})",
            pb.id,
            crate::sanitize::line(&pb.title),
            pb.stakeholders.len(),
            pb.templates.len(),
            pb.injects.len(),
            e.origin.describe()
        ));
    }
    for n in &catalog.notices {
        line(format!("\nnote: {}", crate::sanitize::line(n)));
    }
    for b in &catalog.broken {
        line(format!(
            "\n{}",
            crate::sanitize::text(&b.render()).trim_end()
        ));
    }
    line(
        "\nStart an incident:  crisisdesk new data-breach --title \"What happened\"\n\
         Then:               crisisdesk status incidents/<folder>"
            .into(),
    );
    emit(&out)
}

/// Writes the shipped playbooks and the schema into `dir`, never over an existing file.
fn export_playbooks(dir: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::runtime(format!("cannot create {}: {e}", dir.display())))?;
    let schema = schema::json_schema();
    let files = crate::playbook::catalog::SHIPPED
        .iter()
        .map(|(n, t)| (*n, *t))
        .chain(std::iter::once(("schema.json", schema.as_str())));
    for (name, text) in files {
        let path = dir.join(name);
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()));
        match written {
            // A closed pipe (`| head`) is not a failure of the export.
            Ok(()) => {
                let _ = writeln!(std::io::stdout(), "wrote {}", path.display());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let _ = writeln!(std::io::stdout(), "kept {} (already there)", path.display());
            }
            Err(e) => {
                return Err(Failure::runtime(format!(
                    "cannot write {}: {e}",
                    path.display()
                )));
            }
        }
    }
    Ok(())
}
