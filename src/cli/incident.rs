//! `crisisdesk new` and `crisisdesk status`.

use std::path::Path;

use uuid::Uuid;

use super::Failure;
use crate::clock::Clock;
use crate::exercise::status::ExerciseStatus;
use crate::incident::command::{self, Refusal};
use crate::incident::status::{JournalHealth, Status, summary};
use crate::incident::time::parse_time;
use crate::playbook::calendar::Calendar;
use crate::playbook::catalog::Catalog;
use crate::playbook::suggest::hint;
use crate::playbook::{self, Loaded};
use crate::store::{IncidentDir, NewIncident, Snapshot, default_author};

pub struct NewArgs<'a> {
    pub playbook: &'a str,
    pub title: &'a str,
    pub severity: Option<&'a str>,
    pub detected_at: Option<&'a str>,
    pub dir: &'a Path,
    pub exercise: bool,
    pub author: Option<&'a str>,
}

/// Finds a playbook by id (team's files in ./playbooks, then shipped) or by file path.
pub fn find_playbook(name: &str, today: jiff::civil::Date) -> Result<Loaded, Failure> {
    let path = Path::new(name);
    if name.ends_with(".json") || path.is_file() {
        return playbook::load_file(path, Some(today)).map_err(|e| {
            Failure::invalid(format!(
                "the playbook does not load:\n{}",
                e.render().trim_end()
            ))
        });
    }
    let catalog = Catalog::load(Path::new("playbooks"), Some(today));
    match catalog.get(name) {
        Some(e) => Ok(e.loaded.clone()),
        None => {
            let ids = catalog.ids();
            let hint = hint(name, &ids);
            Err(Failure::invalid(format!(
                "no playbook \"{name}\"{hint}\navailable: {}",
                ids.join(", ")
            )))
        }
    }
}

/// `crisisdesk new`.
pub fn new(args: &NewArgs<'_>, clock: &dyn Clock) -> Result<(), Failure> {
    let now = clock.now();
    let today = now.to_zoned_datetime(jiff::tz::TimeZone::system()).date();
    let loaded = find_playbook(args.playbook, today)?;
    let pb = &loaded.playbook;
    let calendar = Calendar::of(pb);
    let detected_at = args
        .detected_at
        .map(|t| parse_time(t, &calendar))
        .transpose()
        .map_err(|e| Failure::invalid(format!("--detected-at: {e}")))?;
    let opening =
        command::opening(pb, args.title, args.severity, detected_at, now).map_err(|r| match r {
            Refusal::Unknown { .. } => Failure::invalid(format!("playbook \"{}\": {r}", pb.id)),
            r => Failure::invalid(r.to_string()),
        })?;
    let author = args.author.map_or_else(default_author, str::to_owned);
    let dir = IncidentDir::create(
        args.dir,
        &NewIncident {
            playbook: &loaded,
            title: &opening.title,
            severity: &opening.severity,
            detected_at: opening.detected_at,
            exercise: args.exercise,
        },
        &author,
        Uuid::now_v7(),
        now,
    )
    .map_err(Failure::runtime)?;
    super::emit(&format!("{}\n", dir.path().display()))
}

/// Opens and folds an incident folder.
pub fn load(path: &Path, author: &str) -> Result<(IncidentDir, Snapshot), Failure> {
    // A command's process is short-lived: what it appends goes to the file its author's
    // earlier commands on this machine wrote, not to a new file per call.
    let dir = IncidentDir::open(path, author)
        .map_err(|e| Failure::invalid(e.to_string()))?
        .continuing_person_file();
    let snap = dir.load().map_err(Failure::runtime)?;
    Ok((dir, snap))
}

/// `crisisdesk status`.
pub fn status(path: &Path, json: bool, clock: &dyn Clock) -> Result<(), Failure> {
    let (_, snap) = load(path, &default_author())?;
    let real_now = clock.now();
    let inc = &snap.incident;
    // Deadlines are judged in the incident's own time: scenario time in an exercise.
    let now = inc.now(real_now);
    let health = JournalHealth::new(&snap.events, &snap.report).with_foreign(
        crate::store::foreign_findings(&path.join("journal"), &snap.foreign),
    );
    let status = Status::new(inc, health, now);
    let exercise = inc
        .exercise_state
        .as_deref()
        .map(|ex| ExerciseStatus::new(ex, inc, real_now));
    if json {
        #[derive(serde::Serialize)]
        struct WithExercise<'a> {
            #[serde(flatten)]
            status: &'a Status,
            exercise: Option<ExerciseStatus>,
        }
        let text = crate::sanitize::json(
            &WithExercise {
                status: &status,
                exercise,
            },
            true,
        )
        .map_err(Failure::runtime)?;
        super::emit(&format!("{text}\n"))
    } else {
        let mut text = summary(inc, &status, now);
        if let Some(ex) = inc.exercise_state.as_deref() {
            text.push_str(&crate::exercise::status::summary(ex, inc, real_now));
        }
        super::emit(&text)
    }
}
