//! The detail of one row, as a [`Page`] of plain lines: the whole text, its id, who wrote it
//! from which console, when (local and UTC), and everything that refers to it — approvals and
//! objections with their comments, answers, amendments, retractions, the deadline a send met.
//! Built here (not on screen) so the screen only draws lines, and so `E` / `R` know which
//! journal entry the page shows.

use jiff::Timestamp;
use uuid::Uuid;

use super::model::{App, ChecklistRow, IncidentView, Page, View};
use super::rows::{board_order, checklist_rows, message_order, timeline_rows};
use crate::incident::describe::kind_label;
use crate::incident::event::{Body, Event};
use crate::incident::state::{Incident, MessageStatus};
use crate::journal::Stored;
use crate::sanitize;

/// "Fri 27 Nov 2026 10:30 CET (09:30 UTC)".
pub fn when(inc: &Incident, t: Timestamp) -> String {
    let local = t
        .to_zoned_datetime(inc.calendar.time_zone().clone())
        .strftime("%a %d %b %Y %H:%M %Z")
        .to_string();
    let utc = t
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .strftime("%H:%M UTC")
        .to_string();
    format!("{local} ({utc})")
}

/// The entry that `body` acts on, if any.
fn target_of(body: &Body) -> Option<Uuid> {
    match body {
        Body::MessageEdited { message, .. }
        | Body::MessageApproved { message, .. }
        | Body::MessageObjected { message, .. } => Some(*message),
        Body::MessageSent { message, .. } => *message,
        Body::InquiryAnswered { inquiry, .. } => Some(*inquiry),
        Body::ActionDone { action } => Some(*action),
        Body::Amend { target, .. } | Body::Retract { target, .. } => Some(*target),
        _ => None,
    }
}

/// Lines saying what refers to entry `id`, oldest first.
fn references(inc: &Incident, events: &[Stored<Event>], id: Uuid) -> Vec<String> {
    let mut out = Vec::new();
    for &i in &inc.order {
        let e = &events[i].entry;
        if target_of(&e.body) != Some(id) {
            continue;
        }
        let who = format!("{} — {}", sanitize::line(&e.author), when(inc, e.at));
        let line = match &e.body {
            Body::MessageApproved { role, comment, .. } => format!(
                "✔ approved by {}{} ({who})",
                sanitize::line(role),
                comment
                    .as_deref()
                    .map(|c| format!(": \"{}\"", sanitize::line(c)))
                    .unwrap_or_default()
            ),
            Body::MessageObjected { role, comment, .. } => format!(
                "✖ objection by {}: \"{}\" ({who})",
                sanitize::line(role),
                sanitize::line(comment)
            ),
            Body::MessageEdited { text, .. } => {
                format!("✎ edited ({who}): {}", sanitize::line(text))
            }
            Body::MessageSent {
                channel, fulfils, ..
            } => format!(
                "➜ sent{}{} ({who})",
                channel
                    .as_deref()
                    .map(|c| format!(" by {}", sanitize::line(c)))
                    .unwrap_or_default(),
                fulfils
                    .as_deref()
                    .map(|f| format!(", for deadline {}", sanitize::line(f)))
                    .unwrap_or_default()
            ),
            Body::InquiryAnswered { text, .. } => {
                format!("↳ answered ({who}): {}", sanitize::line(text))
            }
            Body::ActionDone { .. } => format!("☑ done ({who})"),
            Body::Amend {
                text,
                new_at,
                reason,
                ..
            } => {
                let mut what = Vec::new();
                if let Some(t) = text {
                    what.push(format!("text now \"{}\"", sanitize::line(t)));
                }
                if let Some(at) = new_at {
                    what.push(format!("time now {}", when(inc, *at)));
                }
                if let Some(r) = reason {
                    what.push(format!("because {}", sanitize::line(r)));
                }
                format!("✎ amended ({who}): {}", what.join("; "))
            }
            Body::Retract { reason, .. } => {
                format!("✖ RETRACTED ({who}): {}", sanitize::line(reason))
            }
            other => format!("{} ({who})", kind_label(other)),
        };
        if inc.retracted.contains_key(&e.id) {
            out.push(format!("{line} [this was retracted]"));
        } else {
            out.push(line);
        }
    }
    out
}

/// The common head of an entry's page: id, author and console, when it happened and was
/// recorded.
fn entry_head(inc: &Incident, s: &Stored<Event>, out: &mut Vec<String>) {
    let e = &s.entry;
    out.push(format!("id: {} (short {})", e.id, Event::short_id(&e.id)));
    out.push(format!(
        "by: {} on console {}",
        sanitize::line(&e.author),
        sanitize::line(&s.console)
    ));
    out.push(format!("happened: {}", when(inc, e.at)));
    if e.recorded_at != e.at {
        out.push(format!("recorded: {}", when(inc, e.recorded_at)));
    }
    if let Some((_, reason)) = inc.retracted.get(&e.id) {
        out.push(format!("RETRACTED: {}", sanitize::line(reason)));
    }
}

/// Every field of an entry's body but its kind (and a playbook's whole text), one a line.
fn body_fields(body: &Body, out: &mut Vec<String>) {
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(body) else {
        return;
    };
    for (k, v) in map {
        // An exercise's plan is the facilitator's: players never see an inject before it
        // arrives, nor what evaluators expect of them.
        if k == "kind" || k == "playbook_source" || k == "injects" {
            continue;
        }
        let v = match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        // Texts keep their paragraphs: each line of the text is a line of the page.
        let mut lines = v.split('\n');
        out.push(format!(
            "{}: {}",
            k.replace('_', " "),
            sanitize::line(lines.next().unwrap_or(""))
        ));
        for l in lines {
            out.push(format!("  {}", sanitize::line(l)));
        }
    }
}

fn find(events: &[Stored<Event>], id: Uuid) -> Option<&Stored<Event>> {
    events.iter().find(|s| s.entry.id == id)
}

/// The page for the selected row of the view on screen.
pub fn selected(app: &App) -> Option<Page> {
    let iv = app.incident.as_ref()?;
    let inc = &iv.data.incident;
    let events = iv.data.events.read();
    let cur = iv.cursor[iv.view.index()];
    match iv.view {
        View::Timeline => {
            let rows = timeline_rows(iv);
            let &i = rows.get(cur.min(rows.len().saturating_sub(1)))?;
            Some(entry_page(inc, &events, events[i].entry.id))
        }
        View::Messages => {
            let order = message_order(inc);
            let &i = order.get(cur.min(order.len().saturating_sub(1)))?;
            Some(message_page(inc, &events, i))
        }
        View::Media => {
            let q = inc.inquiries.get(media_index(iv, app.clock_now(), cur)?)?;
            Some(entry_page(inc, &events, q.id))
        }
        View::Checklist => {
            let rows = checklist_rows(inc);
            match rows.get(cur.min(rows.len().saturating_sub(1)))? {
                ChecklistRow::Action(a) => Some(entry_page(inc, &events, inc.actions[*a].id)),
                ChecklistRow::Item(c) => Some(checklist_page(inc, &events, *c)),
            }
        }
        View::Board => {
            let order = board_order(inc, app.clock_now());
            let &s = order.get(cur.min(order.len().saturating_sub(1)))?;
            Some(audience_page(inc, s, app.clock_now()))
        }
        View::Playbook => None,
        View::Exercise => super::exercise::inject_detail(app),
    }
}

/// The inquiry index the media desk shows at row `cur`.
fn media_index(iv: &IncidentView, now: Timestamp, cur: usize) -> Option<usize> {
    let order = super::rows::media_order(&iv.data.incident, now);
    order.get(cur.min(order.len().saturating_sub(1))).copied()
}

/// Any journal entry: its fields in full, then what refers to it.
pub fn entry_page(inc: &Incident, events: &[Stored<Event>], id: Uuid) -> Page {
    let mut lines = Vec::new();
    let title;
    let mut correctable = false;
    match find(events, id) {
        Some(s) => {
            correctable = !s.entry.body.is_exercise_control();
            title = format!(" {} {} ", kind_label(&s.entry.body), Event::short_id(&id));
            entry_head(inc, s, &mut lines);
            lines.push(String::new());
            body_fields(&s.entry.body, &mut lines);
        }
        None => {
            title = format!(" entry {} ", Event::short_id(&id));
            lines.push("this entry is not in the journal read so far".into());
        }
    }
    if let Some(q) = inc.inquiries.iter().find(|q| q.id == id) {
        lines.push(String::new());
        lines.push(format!("received: {}", when(inc, q.received_at)));
        if let Some(by) = q.reply_by {
            lines.push(format!("reply by: {}", when(inc, by)));
        }
        for c in &q.claims {
            lines.push(format!(
                "being answered by {} (console {}) since {}",
                sanitize::line(&c.by),
                crate::presence::session_tag(&c.console),
                when(inc, c.at)
            ));
        }
    }
    if let Some(a) = inc.actions.iter().find(|a| a.id == id) {
        lines.push(String::new());
        if let Some(due) = a.due {
            lines.push(format!("due: {}", when(inc, due)));
        }
        match &a.done {
            Some(d) => lines.push(format!(
                "done by {} at {}",
                sanitize::line(&d.by),
                when(inc, d.at)
            )),
            None => lines.push("open".into()),
        }
    }
    let refs = references(inc, events, id);
    if !refs.is_empty() {
        lines.push(String::new());
        lines.push("WHAT REFERS TO IT".into());
        lines.extend(refs);
    }
    Page {
        title,
        lines,
        entry: correctable.then_some(id),
    }
}

/// A message: its whole text, where it stands, approvals and objections with comments,
/// and how it was sent.
fn message_page(inc: &Incident, events: &[Stored<Event>], i: usize) -> Page {
    let m = &inc.messages[i];
    let pb = &inc.playbook;
    let mut lines = Vec::new();
    let to = pb
        .stakeholder(&m.stakeholder)
        .map_or(m.stakeholder.as_str(), |s| s.name.as_str());
    lines.push(format!("to: {} ({})", sanitize::line(to), m.stakeholder));
    if let Some(t) = &m.template {
        lines.push(format!("template: {}", sanitize::line(t)));
    }
    if let Some(c) = &m.channel {
        lines.push(format!("channel: {}", sanitize::line(c)));
    }
    lines.push(format!(
        "state: {}",
        match m.status(pb) {
            MessageStatus::Draft { blanks } =>
                format!("draft — blanks to fill: {}", blanks.join(", ")),
            MessageStatus::AwaitingApproval {
                missing,
                objections,
            } => {
                let mut w = Vec::new();
                if !missing.is_empty() {
                    w.push(format!("needs approval by {}", missing.join(", ")));
                }
                if !objections.is_empty() {
                    w.push(format!("objection from {}", objections.join(", ")));
                }
                format!("awaiting approval — {}", w.join("; "))
            }
            MessageStatus::Approved => "approved by every required role".into(),
            MessageStatus::Sent => "sent".into(),
        }
    ));
    if let Some(s) = find(events, m.id) {
        entry_head(inc, s, &mut lines);
    }
    if m.edits > 0 {
        lines.push(format!("edited {} time(s) since drafted", m.edits));
    }
    for a in &m.approvals {
        lines.push(format!(
            "✔ approved by {} ({}, {}){}",
            sanitize::line(&a.role),
            sanitize::line(&a.by),
            when(inc, a.at),
            a.comment
                .as_deref()
                .map(|c| format!(": \"{}\"", sanitize::line(c)))
                .unwrap_or_default()
        ));
    }
    for o in &m.objections {
        lines.push(format!(
            "✖ objection by {} ({}, {}): \"{}\"",
            sanitize::line(&o.role),
            sanitize::line(&o.by),
            when(inc, o.at),
            sanitize::line(o.comment.as_deref().unwrap_or(""))
        ));
    }
    if let Some(s) = &m.sent {
        lines.push(format!(
            "➜ sent {} by {}{}",
            when(inc, s.at),
            sanitize::line(&s.by),
            s.channel
                .as_deref()
                .map(|c| format!(" via {}", sanitize::line(c)))
                .unwrap_or_default()
        ));
        if let Some(d) = &s.met_deadline
            && let Some(dl) = inc
                .stakeholder(&m.stakeholder)
                .and_then(|st| st.deadlines.iter().find(|x| &x.key == d))
        {
            lines.push(format!(
                "  met the deadline \"{}\"{}{}",
                sanitize::line(&dl.label),
                dl.due
                    .map(|due| format!(", due {}", when(inc, due)))
                    .unwrap_or_default(),
                dl.basis
                    .as_deref()
                    .map(|b| format!(" ({})", sanitize::line(b)))
                    .unwrap_or_default()
            ));
        }
        if let Some(r) = &s.override_reason {
            lines.push(format!(
                "  sent WITHOUT every approval: {}",
                sanitize::line(r)
            ));
        }
    }
    lines.push(String::new());
    lines.push("TEXT".into());
    lines.extend(sanitize::text(&m.text).lines().map(str::to_owned));
    let refs = references(inc, events, m.id);
    if !refs.is_empty() {
        lines.push(String::new());
        lines.push("WHAT REFERS TO IT".into());
        lines.extend(refs);
    }
    Page {
        title: format!(" Message {} ", Event::short_id(&m.id)),
        lines,
        entry: Some(m.id),
    }
}

/// A checklist item of the playbook: its text, owner, due time, and who ticked it.
fn checklist_page(inc: &Incident, events: &[Stored<Event>], i: usize) -> Page {
    let c = &inc.checklist[i];
    let mut lines = vec![
        format!("phase: {}", sanitize::line(&c.phase)),
        format!("item: {} ({})", sanitize::line(&c.text), c.id),
    ];
    if let Some(o) = &c.owner {
        lines.push(format!("owner: {}", sanitize::line(o)));
    }
    if let Some(d) = c.due {
        lines.push(format!("due: {}", when(inc, d)));
    }
    match &c.done {
        Some(d) => lines.push(format!(
            "☑ done by {} at {}",
            sanitize::line(&d.by),
            when(inc, d.at)
        )),
        None => lines.push("☐ not done".into()),
    }
    // Every tick and untick of it, in order.
    let mut history = Vec::new();
    for &k in &inc.order {
        let e = &events[k].entry;
        let what = match &e.body {
            Body::ChecklistDone { item } if *item == c.id => "ticked",
            Body::ChecklistUndone { item, .. } if *item == c.id => "unticked",
            _ => continue,
        };
        history.push(format!(
            "{what} by {} at {}",
            sanitize::line(&e.author),
            when(inc, e.at)
        ));
    }
    if !history.is_empty() {
        lines.push(String::new());
        lines.push("HISTORY".into());
        lines.extend(history);
    }
    Page {
        title: format!(" Checklist: {} ", c.id),
        lines,
        entry: None,
    }
}

/// An audience: every deadline with its due time and legal basis, cadence, messages.
fn audience_page(inc: &Incident, i: usize, now: Timestamp) -> Page {
    let st = &inc.stakeholders[i];
    let pb = &inc.playbook;
    let def = pb.stakeholder(&st.id);
    let name = def.map_or(st.id.as_str(), |d| d.name.as_str());
    let mut lines = vec![format!("audience: {} ({})", sanitize::line(name), st.id)];
    if let Some(d) = def {
        if !d.approval.is_empty() {
            lines.push(format!("approval needed from: {}", d.approval.join(", ")));
        }
        if !d.channels.is_empty() {
            lines.push(format!(
                "channels: {}",
                d.channels
                    .iter()
                    .map(|c| sanitize::line(c).into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    lines.push(String::new());
    lines.push("DEADLINES".into());
    if st.deadlines.is_empty() {
        lines.push("none".into());
    }
    for d in &st.deadlines {
        let from = pb
            .milestone(&d.from)
            .map_or(d.from.clone(), |m| m.name.clone());
        let state = d.state(now).as_str();
        let due = d.due.map_or_else(
            || format!("waits for: {}", sanitize::line(&from)),
            |due| format!("due {}", when(inc, due)),
        );
        lines.push(format!(
            "{} [{state}] {due}{}",
            sanitize::line(&d.label),
            d.basis
                .as_deref()
                .map(|b| format!(" — {}", sanitize::line(b)))
                .unwrap_or_default()
        ));
        if let Some(met) = d.met_at {
            lines.push(format!("  met {}", when(inc, met)));
        }
    }
    if let Some(nu) = st.next_update_due {
        lines.push(format!("next update due: {}", when(inc, nu)));
    }
    lines.push(String::new());
    lines.push(format!("MESSAGES ({} sent)", st.sent_count));
    for m in inc.messages.iter().filter(|m| m.stakeholder == st.id) {
        lines.push(format!(
            "{} {}: {}",
            Event::short_id(&m.id),
            m.status(pb).as_str().replace('_', " "),
            sanitize::line(m.text.lines().next().unwrap_or(""))
        ));
    }
    Page {
        title: format!(" {} ", sanitize::line(name)),
        lines,
        entry: None,
    }
}
