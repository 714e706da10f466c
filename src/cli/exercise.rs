//! `crisisdesk exercise …` and `crisisdesk msel`: create a tabletop exercise, run its clock and
//! its injects headless, rate what players did. The rules are the command layer's.

use std::io::Write as _;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use jiff::Timestamp;
use uuid::Uuid;

use super::Failure;
use super::incident::{find_playbook, load};
use super::log::refused;
use crate::clock::Clock;
use crate::exercise::status::{ExerciseStatus, describe_time};
use crate::exercise::{ClockOp, Exercise, msel};
use crate::incident::command::{self, Command, Context, Refusal};
use crate::incident::event::{Body, Rating};
use crate::incident::state::Incident;
use crate::incident::time::parse_time;
use crate::playbook::calendar::Calendar;
use crate::playbook::duration::Duration;
use crate::playbook::model::{Inject, InjectKind};
use crate::store::{IncidentDir, NewIncident};

/// `println!` that reports a closed or full output as a failure (exit 1) instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {
        super::emit(&format!("{}\n", format_args!($($arg)*)))?
    };
}

/// `crisisdesk exercise`: create an exercise (PLAYBOOK --title T), or control one.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ExerciseArgs {
    #[command(subcommand)]
    pub control: Option<Control>,
    /// Playbook id (shipped or in ./playbooks) or a playbook file: its injects are the MSEL
    /// unless --msel gives a spreadsheet.
    #[arg(required = true)]
    pub playbook: Option<String>,
    /// What the exercise is called ("Q3 breach drill").
    #[arg(long, required = true)]
    pub title: Option<String>,
    /// Scenario seconds per real second, 1 to 120.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=120))]
    pub speed: u32,
    /// When the scenario begins, e.g. a Friday at 17:00 so weekends and business-day deadlines
    /// are exercised (default: now). RFC 3339, or `YYYY-MM-DD HH:MM` in the playbook's zone.
    #[arg(long, value_name = "TIME")]
    pub scenario_start: Option<String>,
    /// The injects from a spreadsheet (CSV with a header row naming the inject keys; see
    /// `crisisdesk msel`) instead of the playbook's.
    #[arg(long, value_name = "FILE.csv")]
    pub msel: Option<PathBuf>,
    /// Starting severity id (default: the playbook's lowest).
    #[arg(long)]
    pub severity: Option<String>,
    /// Folder to create the exercise in (never among real incidents).
    #[arg(long, default_value = "exercises")]
    pub dir: PathBuf,
    /// Who runs it (default: name@host).
    #[arg(long, global = true)]
    pub author: Option<String>,
}

/// Controls of a running exercise, for scripts and tests (the facilitator's console has keys
/// for all of them).
#[derive(Debug, Subcommand)]
pub enum Control {
    /// Start the scenario clock (players are briefed).
    Start { exercise: PathBuf },
    /// Hold scenario time.
    Pause { exercise: PathBuf },
    /// Let scenario time run again.
    Resume { exercise: PathBuf },
    /// Deliver every inject whose time has come (one pass), or the one named, now (early if
    /// it is not yet due).
    Deliver {
        exercise: PathBuf,
        inject: Option<String>,
    },
    /// Change the speed: scenario seconds per real second, 1 to 120.
    Speed {
        exercise: PathBuf,
        #[arg(value_parser = clap::value_parser!(u32).range(1..=120))]
        speed: u32,
    },
    /// Jump forward: to the next pending inject's time (`next`), or by a duration (`30m`).
    Jump {
        exercise: PathBuf,
        #[arg(value_name = "next|DURATION")]
        to: String,
    },
    /// Take a pending inject out of play.
    Skip {
        exercise: PathBuf,
        inject: String,
        /// Why (recorded).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Rate expected action N (from 1) of a delivered inject: P performed without challenges,
    /// S with some, M with major challenges, U unable to perform. A later rating of the same
    /// action replaces this one (both stay in the journal).
    Rate {
        exercise: PathBuf,
        inject: String,
        #[arg(value_name = "N")]
        item: u32,
        #[arg(value_enum, ignore_case = true)]
        rating: RatingArg,
        /// What the evaluator saw.
        #[arg(long)]
        note: Option<String>,
    },
    /// Write an inject on the spot and deliver it at once.
    Improvise {
        exercise: PathBuf,
        /// The simulated sender ("Caller claiming to be a customer").
        #[arg(long)]
        from: String,
        /// The player role it is addressed to.
        #[arg(long)]
        to: Option<String>,
        /// phone, email, social, tv, walk-in…
        #[arg(long)]
        channel: Option<String>,
        #[arg(long, value_enum, default_value = "info")]
        kind: KindArg,
        #[arg(long)]
        subject: Option<String>,
        /// The reply deadline of an inquiry or request, e.g. 30m.
        #[arg(long)]
        within: Option<Duration>,
        /// The audience a request speaks for.
        #[arg(long)]
        stakeholder: Option<String>,
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
}

/// P, S, M or U.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RatingArg {
    /// Performed without challenges.
    P,
    /// Performed with some challenges.
    S,
    /// Performed with major challenges.
    M,
    /// Unable to be performed.
    U,
}

impl From<RatingArg> for Rating {
    fn from(r: RatingArg) -> Rating {
        match r {
            RatingArg::P => Rating::Performed,
            RatingArg::S => Rating::SomeChallenges,
            RatingArg::M => Rating::MajorChallenges,
            RatingArg::U => Rating::Unable,
        }
    }
}

/// An inject's kind, named as in the playbook format.
#[derive(Clone, Copy, Debug, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum KindArg {
    Info,
    MediaInquiry,
    MediaMention,
    StakeholderRequest,
    Escalation,
}

impl From<KindArg> for InjectKind {
    fn from(k: KindArg) -> InjectKind {
        match k {
            KindArg::Info => InjectKind::Info,
            KindArg::MediaInquiry => InjectKind::MediaInquiry,
            KindArg::MediaMention => InjectKind::MediaMention,
            KindArg::StakeholderRequest => InjectKind::StakeholderRequest,
            KindArg::Escalation => InjectKind::Escalation,
        }
    }
}

/// What `crisisdesk exercise` does: returns the folder of a new exercise (for the console to
/// open on a terminal), or `None` after a control.
pub fn run(args: ExerciseArgs, clock: &dyn Clock) -> Result<Option<PathBuf>, Failure> {
    let author = args
        .author
        .clone()
        .unwrap_or_else(crate::store::default_author);
    match args.control {
        Some(control) => {
            self::control(control, &author, clock)?;
            Ok(None)
        }
        None => create(args, &author, clock).map(Some),
    }
}

/// `crisisdesk exercise PLAYBOOK --title T …`: creates the exercise, waiting at its scenario
/// start; prints what it holds and, as the last line, its folder.
fn create(args: ExerciseArgs, author: &str, clock: &dyn Clock) -> Result<PathBuf, Failure> {
    let now = clock.now();
    let today = now.to_zoned_datetime(jiff::tz::TimeZone::system()).date();
    let playbook = args.playbook.as_deref().unwrap_or_default();
    let loaded = find_playbook(playbook, today)?;
    let pb = &loaded.playbook;
    let calendar = Calendar::of(pb);
    let scenario_start = args
        .scenario_start
        .as_deref()
        .map(|t| parse_time(t, &calendar))
        .transpose()
        .map_err(|e| Failure::invalid(format!("--scenario-start: {e}")))?
        .unwrap_or(now);
    // The scenario may begin in the future (next Friday at 17:00): only the title and the
    // severity are checked here.
    let opening = command::opening(
        pb,
        args.title.as_deref().unwrap_or_default(),
        args.severity.as_deref(),
        None,
        now,
    )
    .map_err(|r| match r {
        Refusal::Unknown { .. } => Failure::invalid(format!("playbook \"{}\": {r}", pb.id)),
        r => Failure::invalid(r.to_string()),
    })?;
    let (injects, source) = match &args.msel {
        Some(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| Failure::invalid(format!("{}: {e}", path.display())))?;
            let name = path.display().to_string();
            let injects = msel::read(&bytes, &loaded.source).map_err(|problems| {
                let lines: Vec<String> = problems
                    .iter()
                    .map(|p| p.display(&name).to_string())
                    .collect();
                Failure::invalid(format!(
                    "the MSEL does not load ({} problem(s)):\n{}",
                    lines.len(),
                    lines.join("\n")
                ))
            })?;
            let file = path
                .file_name()
                .map_or(name.clone(), |n| n.to_string_lossy().into_owned());
            (injects, Some(file))
        }
        None => (pb.injects.clone(), None),
    };
    let count = injects.len();
    let plan = Body::ExercisePlanned {
        scenario_start,
        speed: args.speed,
        injects,
        msel: source.clone(),
    };
    let dir = IncidentDir::create_exercise(
        &args.dir,
        &NewIncident {
            playbook: &loaded,
            title: &opening.title,
            severity: &opening.severity,
            detected_at: scenario_start,
            exercise: true,
        },
        plan,
        author,
        Uuid::now_v7(),
        now,
    )
    .map_err(Failure::runtime)?;
    // What was made goes to standard error, so standard output is the folder alone:
    // `E=$(crisisdesk exercise …)` captures it, as `I=$(crisisdesk new …)` does.
    let _ = writeln!(
        std::io::stderr(),
        "EXERCISE — {}: {count} injects from {}, scenario starts {}, speed ×{}\n\
         waiting for the facilitator: crisisdesk exercise start {}",
        crate::sanitize::line(&opening.title),
        source.as_deref().map_or_else(
            || format!("playbook {}", pb.id),
            |s| crate::sanitize::line(s).into_owned()
        ),
        describe_time(&calendar, scenario_start),
        args.speed,
        dir.path().display()
    );
    out!("{}", dir.path().display());
    Ok(dir.path().to_path_buf())
}

fn control(control: Control, author: &str, clock: &dyn Clock) -> Result<(), Failure> {
    let path = match &control {
        Control::Start { exercise }
        | Control::Pause { exercise }
        | Control::Resume { exercise }
        | Control::Deliver { exercise, .. }
        | Control::Speed { exercise, .. }
        | Control::Jump { exercise, .. }
        | Control::Skip { exercise, .. }
        | Control::Rate { exercise, .. }
        | Control::Improvise { exercise, .. } => exercise.clone(),
    };
    let (mut dir, snap) = load(&path, author)?;
    let inc = &snap.incident;
    let real_now = clock.now();
    let Some(ex) = inc.exercise_state.as_deref() else {
        return Err(refused(Refusal::NotAnExercise {
            kind: "exercise control",
        }));
    };
    let cx = Context::new(inc, &snap.events, real_now);
    let cmd = match control {
        Control::Deliver { inject: None, .. } => {
            let delivered = dir
                .deliver_due(inc, &snap.events, real_now)
                .map_err(Failure::runtime)?;
            for e in &delivered {
                if let Body::InjectDelivered { inject, .. } = &e.body {
                    out!("EXERCISE — delivered {}", line(inc, inject, e.at));
                }
            }
            if delivered.is_empty() {
                out!(
                    "EXERCISE — nothing due; {}",
                    where_it_stands(ex, inc, real_now)
                );
            }
            return Ok(());
        }
        Control::Start { .. } => Command::Clock { op: ClockOp::Start },
        Control::Pause { .. } => Command::Clock { op: ClockOp::Pause },
        Control::Resume { .. } => Command::Clock {
            op: ClockOp::Resume,
        },
        Control::Speed { speed, .. } => Command::Clock {
            op: ClockOp::Speed(speed),
        },
        Control::Jump { to, .. } => Command::Clock {
            op: ClockOp::Jump(jump_target(ex, inc, cx.now, &to)?),
        },
        Control::Deliver {
            inject: Some(inject),
            ..
        } => Command::Deliver { inject },
        Control::Skip { inject, reason, .. } => Command::Skip { inject, reason },
        Control::Rate {
            inject,
            item,
            rating,
            note,
            ..
        } => Command::Rate {
            inject,
            item,
            rating: rating.into(),
            note,
        },
        Control::Improvise {
            from,
            to,
            channel,
            kind,
            subject,
            within,
            stakeholder,
            text,
            ..
        } => Command::Improvise {
            inject: Inject {
                id: String::new(),
                at: Duration::default(),
                from,
                to,
                channel,
                kind: kind.into(),
                subject,
                text: text.join(" "),
                respond_within: within,
                stakeholder,
                expect: Vec::new(),
            },
        },
    };
    let accepted = cx.check(cmd, None).map_err(refused)?;
    let event = dir
        .append_accepted(accepted, real_now)
        .map_err(Failure::runtime)?;
    // Say where things stand after the change, from the journal as it is now.
    let (_, snap) = load(&path, author)?;
    let inc = &snap.incident;
    let ex = inc.exercise_state.as_deref().expect("still an exercise");
    let done = match &event.body {
        Body::ExerciseStarted => "started".to_owned(),
        Body::ExercisePaused => "paused".to_owned(),
        Body::ExerciseResumed => "resumed".to_owned(),
        Body::ExerciseSpeed { speed } => format!("speed ×{speed}"),
        Body::ExerciseJumped { to } => format!("jumped to {}", describe_time(&inc.calendar, *to)),
        Body::InjectDelivered { inject, .. } => {
            format!("delivered {}", line(inc, inject, event.at))
        }
        Body::InjectSkipped { inject, .. } => format!("skipped {inject}"),
        Body::InjectRated {
            inject,
            item,
            rating,
            ..
        } => {
            let what = ex
                .inject(inject)
                .and_then(|i| i.inject.expect.get(*item as usize - 1))
                .map(|e| crate::sanitize::line(e).into_owned())
                .unwrap_or_default();
            format!(
                "rated {inject}, expected action {item} ({what}): {} — {}",
                rating.letter(),
                rating.label()
            )
        }
        other => other.kind().to_owned(),
    };
    out!("EXERCISE — {done}; {}", where_it_stands(ex, inc, real_now));
    Ok(())
}

/// The scenario time `jump next|DURATION` asks for.
fn jump_target(
    ex: &Exercise,
    inc: &Incident,
    now: Timestamp,
    to: &str,
) -> Result<Timestamp, Failure> {
    if to.trim() == "next" {
        let next = ex
            .next_pending()
            .ok_or_else(|| Failure::invalid("no inject is pending: there is nothing to jump to"))?;
        if next.due <= now {
            return Err(Failure::invalid(format!(
                "the next inject, {}, is already due ({}): deliver it (crisisdesk exercise deliver DIR)",
                next.inject.id,
                describe_time(&inc.calendar, next.due)
            )));
        }
        return Ok(next.due);
    }
    let d: Duration = to
        .trim()
        .parse()
        .map_err(|e| Failure::invalid(format!("jump: give `next` or a duration like 30m: {e}")))?;
    Ok(inc.calendar.add(now, &d))
}

/// An inject in one line: id, due time, sender, channel, addressee, subject.
fn line(inc: &Incident, inject: &Inject, at: Timestamp) -> String {
    let clean = |s: &str| crate::sanitize::line(s).into_owned();
    let mut s = format!(
        "{} ({}) from {}",
        inject.id,
        describe_time(&inc.calendar, at),
        clean(&inject.from)
    );
    if let Some(c) = &inject.channel {
        s.push_str(&format!(" by {}", clean(c)));
    }
    if let Some(to) = &inject.to {
        let role = inc
            .playbook
            .role(to)
            .map_or(to.as_str(), |r| r.title.as_str());
        s.push_str(&format!(" to {}", clean(role)));
    }
    if let Some(subject) = &inject.subject {
        s.push_str(&format!(": {}", clean(subject)));
    }
    s
}

/// Scenario time, the clock, and the next inject.
fn where_it_stands(ex: &Exercise, inc: &Incident, real_now: Timestamp) -> String {
    let st = ExerciseStatus::new(ex, inc, real_now);
    let mut s = format!(
        "scenario time {} ({}, ×{})",
        describe_time(&inc.calendar, st.scenario_now),
        st.clock.as_str().replace('_', " "),
        st.speed
    );
    if let Some(next) = ex
        .next_pending()
        .filter(|_| st.clock != crate::exercise::Phase::Ended)
    {
        s.push_str(&format!(
            "; next inject {} at {}",
            next.inject.id,
            describe_time(&inc.calendar, next.due)
        ));
        if next.due <= st.scenario_now && !st.paused {
            s.push_str(" (due: an open console delivers it, or crisisdesk exercise deliver DIR)");
        }
    }
    s
}

/// `crisisdesk msel PLAYBOOK`: the playbook's injects as CSV.
pub fn print_msel(playbook: &str, clock: &dyn Clock) -> Result<(), Failure> {
    let today = clock
        .now()
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .date();
    let loaded = find_playbook(playbook, today)?;
    super::emit(&msel::write(&loaded.playbook.injects))
}
