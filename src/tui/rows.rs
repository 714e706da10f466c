//! The rows each list shows, in order: what the screens draw and what the cursor moves over
//! (the start screen, the timeline with its filter and search, messages, the checklist), and
//! who is writing to the incident.

use jiff::Timestamp;
use uuid::Uuid;

use super::theme::{Theme, Urgency};
use crate::incident::event::Event;
use crate::incident::state::Incident;
use crate::incident::state::{DeadlineState, StakeholderState};
use crate::incident::status::countdown;
use crate::sanitize;

use super::model::*;

impl App {
    // ---- start screen -------------------------------------------------------------------

    /// Rows of the start screen: incidents first, then playbooks (filtered by search).
    pub fn start_rows(&self) -> usize {
        self.start_incidents().count() + self.start_playbooks().count()
    }

    /// Incidents shown on the start screen (index into `start.incidents`).
    pub fn start_incidents(&self) -> impl Iterator<Item = usize> + '_ {
        let q = self.start_search.to_lowercase();
        self.start
            .incidents
            .iter()
            .enumerate()
            .filter(move |(_, s)| {
                q.is_empty() || s.title.to_lowercase().contains(&q) || s.playbook.contains(&q)
            })
            .map(|(i, _)| i)
    }

    /// Playbooks shown on the start screen (index into the catalog).
    pub fn start_playbooks(&self) -> impl Iterator<Item = usize> + '_ {
        let q = self.start_search.to_lowercase();
        self.start
            .catalog
            .entries
            .iter()
            .enumerate()
            .filter(move |(_, e)| {
                q.is_empty()
                    || e.loaded.playbook.title.to_lowercase().contains(&q)
                    || e.loaded.playbook.id.contains(&q)
            })
            .map(|(i, _)| i)
    }

    /// What row `n` of the start screen is.
    pub fn start_row(&self, n: usize) -> Option<StartRow> {
        let incidents: Vec<usize> = self.start_incidents().collect();
        if let Some(&i) = incidents.get(n) {
            return Some(StartRow::Incident(i));
        }
        self.start_playbooks()
            .nth(n - incidents.len())
            .map(StartRow::Playbook)
    }
}

/// Messages in the order the Messages view lists them: unsent first, newest first.
pub fn message_order(inc: &Incident) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..inc.messages.len()).collect();
    idx.sort_by_key(|&i| {
        let m = &inc.messages[i];
        (m.sent.is_some(), std::cmp::Reverse(m.drafted_at))
    });
    idx
}

/// Names a console that started or gave an answer to `q`: person and machine (`anna@laptop`),
/// with its tag (`anna@laptop #c561`) when that person has another console among the
/// inquiry's claims and answers or the consoles open now, so two consoles of one person are
/// told apart. `short` names the person by user only (`anna`, `anna #c561`), for table cells.
pub fn inquiry_console(
    q: &crate::incident::state::Inquiry,
    presence: &crate::tui::model::Presence,
    author: &str,
    console: &str,
    short: bool,
) -> String {
    let name = |a: &str| -> String {
        if short {
            a.split('@').next().unwrap_or(a).to_owned()
        } else {
            a.to_owned()
        }
    };
    let pairs: Vec<(String, &str)> = q
        .claims
        .iter()
        .map(|c| (name(&c.by), c.console.as_str()))
        .chain(q.answers.iter().map(|a| (name(&a.by), a.console.as_str())))
        .chain(
            presence
                .consoles
                .iter()
                .map(|c| (name(&c.author), c.id.as_str())),
        )
        .collect();
    crate::presence::label(
        &name(author),
        console,
        pairs.iter().map(|(a, c)| (a.as_str(), *c)),
    )
}

/// Checklist items (playbook order) then actions.
pub fn checklist_rows(inc: &Incident) -> Vec<ChecklistRow> {
    (0..inc.checklist.len())
        .map(ChecklistRow::Item)
        .chain((0..inc.actions.len()).map(ChecklistRow::Action))
        .collect()
}

/// Events the timeline shows, by the filter and search (indices into the events, in the
/// order they happened). Unfiltered, it is the fold's own order, borrowed: drawing a frame of
/// a million-entry timeline touches only the visible rows. Filtered or searched, the rows
/// kept by [`IncidentView::refresh_rows`] (worked out again here only if they were not).
pub fn timeline_rows(iv: &IncidentView) -> std::borrow::Cow<'_, [usize]> {
    let inc = &iv.data.incident;
    if iv.timeline_filter.is_none() && iv.search.is_empty() {
        return std::borrow::Cow::Borrowed(&inc.order);
    }
    match iv
        .timeline_cache
        .rows_for(inc, iv.timeline_filter, &iv.search)
    {
        Some(rows) => std::borrow::Cow::Borrowed(rows),
        None => std::borrow::Cow::Owned(timeline_rows_uncached(iv)),
    }
}

/// [`timeline_rows`] worked out from the entries themselves, nothing kept.
pub fn timeline_rows_uncached(iv: &IncidentView) -> Vec<usize> {
    let inc = &iv.data.incident;
    let q = iv.search.to_lowercase();
    let events = iv.data.events.read();
    inc.order
        .iter()
        .copied()
        .filter(|&i| {
            let e = &events[i].entry;
            iv.timeline_filter
                .is_none_or(|f| super::filtered::kind_shown(f, e.body.kind()))
                && super::filtered::search_finds(e, &q)
        })
        .collect()
}

impl IncidentView {
    /// Brings the timeline's kept rows up to date with the data, filter and search (after any
    /// of them changed). `previous` is the fold shown before new data came in.
    pub fn refresh_rows(&mut self, previous: Option<&std::sync::Arc<Incident>>) {
        let events = self.data.events.read();
        self.timeline_cache.update(
            &events,
            &self.data.incident,
            self.timeline_filter,
            &self.search,
            previous,
        );
    }
}

pub(crate) fn view_len(iv: &IncidentView) -> usize {
    let inc = &iv.data.incident;
    match iv.view {
        View::Board => inc.stakeholders.iter().filter(|s| s.in_play).count(),
        View::Timeline => timeline_rows(iv).len(),
        View::Messages => inc.messages.len(),
        View::Media => inc.inquiries.len(),
        View::Checklist => inc.checklist.len() + inc.actions.len(),
        View::Playbook => {
            crate::tui::ui::playbook_lines(&inc.playbook, &Theme { color: false }, &iv.search).len()
        }
        View::Exercise => inc.exercise_state.as_ref().map_or(0, |ex| ex.injects.len()),
    }
}

/// Short id of an event for screens.
pub fn short(id: &Uuid) -> String {
    Event::short_id(id)
}

/// A deadline closer than this is "due soon".
pub const DUE_SOON_SECS: i64 = 3600;

/// One audience's urgency and what to say about it.
pub struct AudienceState {
    pub urgency: Urgency,
    pub what: String,
    /// Seconds until due (negative: overdue), for sorting.
    pub due_in: i64,
    /// When the next thing is due, and the law or policy behind it.
    pub due: Option<Timestamp>,
    pub basis: Option<String>,
}

pub fn audience_state(inc: &Incident, s: &StakeholderState, now: Timestamp) -> AudienceState {
    let next = s.next_deadline();
    let mut best: Option<AudienceState> = None;
    if let Some(d) = next
        && let Some(due) = d.due
    {
        let secs = due.as_second() - now.as_second();
        let urgency = match d.state(now) {
            DeadlineState::Overdue => Urgency::Overdue,
            _ if secs < DUE_SOON_SECS => Urgency::DueSoon,
            _ => Urgency::Pending,
        };
        best = Some(AudienceState {
            urgency,
            // The clock first: a long label is what gets cut, never the countdown.
            what: format!("{:<6} {}", countdown(now, due), sanitize::line(&d.label)),
            due_in: secs,
            due: Some(due),
            basis: d.basis.clone(),
        });
    }
    if let Some(nu) = s.next_update_due {
        let secs = nu.as_second() - now.as_second();
        if best.as_ref().is_none_or(|b| secs < b.due_in) {
            let urgency = if secs < 0 {
                Urgency::Overdue
            } else if secs < DUE_SOON_SECS {
                Urgency::DueSoon
            } else {
                Urgency::Pending
            };
            best = Some(AudienceState {
                urgency,
                what: format!("{:<6} update due", countdown(now, nu)),
                due_in: secs,
                due: Some(nu),
                basis: None,
            });
        }
    }
    best.unwrap_or_else(|| {
        if s.deadlines
            .iter()
            .any(|d| d.due.is_none() && d.met_at.is_none())
        {
            let waiting: Vec<String> = s
                .deadlines
                .iter()
                .filter(|d| d.due.is_none())
                .map(|d| {
                    inc.playbook
                        .milestone(&d.from)
                        .map_or(d.from.clone(), |m| sanitize::line(&m.name).into_owned())
                })
                .collect();
            AudienceState {
                urgency: Urgency::Waiting,
                what: format!("waits for: {}", waiting.join(", ")),
                due_in: i64::MAX / 2,
                due: None,
                basis: None,
            }
        } else if s.last_sent_at.is_some() {
            AudienceState {
                urgency: Urgency::Done,
                what: "informed".into(),
                due_in: i64::MAX / 2,
                due: None,
                basis: None,
            }
        } else {
            AudienceState {
                urgency: Urgency::Idle,
                what: "no deadline".into(),
                due_in: i64::MAX,
                due: None,
                basis: None,
            }
        }
    })
}

/// Audiences in play (indices into the incident's stakeholders) in the Board's order: most
/// urgent first, then by time left.
pub fn board_order(inc: &Incident, now: Timestamp) -> Vec<usize> {
    let mut rows: Vec<(Urgency, i64, usize)> = inc
        .stakeholders
        .iter()
        .enumerate()
        .filter(|(_, s)| s.in_play)
        .map(|(i, s)| {
            let a = audience_state(inc, s, now);
            (a.urgency, a.due_in, i)
        })
        .collect();
    rows.sort_by_key(|&(u, d, _)| (u, d));
    rows.into_iter().map(|(_, _, i)| i).collect()
}

/// Inquiries (indices) in the media desk's order: open ones by time left to reply (overdue
/// first, no deadline last), then the answered ones, newest first.
pub fn media_order(inc: &Incident, _now: Timestamp) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..inc.inquiries.len()).collect();
    idx.sort_by_key(|&i| {
        let q = &inc.inquiries[i];
        (
            !q.is_open(),
            if q.is_open() {
                q.reply_by.map_or(i64::MAX, |d| d.as_second())
            } else {
                0
            },
            std::cmp::Reverse(q.received_at),
        )
    });
    idx
}
