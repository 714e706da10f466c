//! Events in words, for timelines, `crisisdesk tail` and reports.

use super::event::{Body, Event};
use super::state::Incident;
use crate::sanitize;

/// A short, upper-case-for-important label of an event's kind, for timelines.
pub fn kind_label(b: &Body) -> &'static str {
    match b {
        Body::IncidentOpened { .. } => "opened",
        Body::Note { .. } => "note",
        Body::Decision { .. } => "DECISION",
        Body::Fact { .. } => "fact",
        Body::MilestoneMarked { .. } => "MILESTONE",
        Body::SeverityChanged { .. } => "SEVERITY",
        Body::MessageDrafted { .. } => "draft",
        Body::MessageEdited { .. } => "edit",
        Body::MessageApproved { .. } => "approved",
        Body::MessageObjected { .. } => "OBJECTION",
        Body::MessageSent { .. } => "SENT",
        Body::MediaInquiry { .. } => "inquiry",
        Body::InquiryAnswered { .. } => "answered",
        Body::MediaMention { .. } => "mention",
        Body::StakeholderRequest { .. } => "request",
        Body::ChecklistDone { .. } => "done",
        Body::ActionAdded { .. } => "action",
        Body::ActionDone { .. } => "done",
        Body::Lesson { .. } => "lesson",
        Body::Amend { .. } => "amend",
        Body::Retract { .. } => "retract",
        Body::IncidentClosed { .. } => "CLOSED",
        Body::PlaybookAdopted { .. } => "PLAYBOOK",
        Body::ExercisePlanned { .. } => "EXERCISE",
        Body::ExerciseStarted
        | Body::ExercisePaused
        | Body::ExerciseResumed
        | Body::ExerciseSpeed { .. }
        | Body::ExerciseJumped { .. } => "clock",
        Body::InjectDelivered { .. } => "INJECT",
        Body::InjectSkipped { .. } => "skipped",
        Body::InjectRated { .. } => "rated",
        Body::FindingAcknowledged { .. } => "checked",
        Body::ChecklistUndone { .. } => "UNTICKED",
        Body::InquiryClaimed { .. } => "answering",
        Body::Unknown => "(newer)",
    }
}

/// One line describing an event in words, sanitised for a terminal.
pub fn describe(inc: &Incident, b: &Body) -> String {
    sanitize::line(&words(inc, b)).into_owned()
}

/// An event in words, as typed: nothing removed, so a report can show every character (each
/// front end makes it safe for its medium: [`describe`] for a terminal).
pub fn words(inc: &Incident, b: &Body) -> String {
    let pb = &inc.playbook;
    let name = |id: &str| pb.stakeholder(id).map_or(id.to_owned(), |s| s.name.clone());
    match b {
        Body::IncidentOpened { title, .. } => format!("incident opened: {title}"),
        Body::MilestoneMarked { milestone, text } => format!(
            "{}{}",
            pb.milestone(milestone)
                .map_or(milestone.as_str(), |m| m.name.as_str()),
            text.as_deref()
                .map(|t| format!(" — {t}"))
                .unwrap_or_default()
        ),
        Body::SeverityChanged { severity, reason } => format!(
            "→ {}{}",
            pb.severity(severity)
                .map_or(severity.as_str(), |s| s.name.as_str()),
            reason
                .as_deref()
                .map(|t| format!(" — {t}"))
                .unwrap_or_default()
        ),
        Body::MessageDrafted {
            stakeholder, text, ..
        } => format!("to {}: {text}", name(stakeholder)),
        Body::MessageEdited { message, .. } => {
            format!("message {} edited", Event::short_id(message))
        }
        Body::MessageApproved { message, role, .. } => {
            format!("message {} approved as {role}", Event::short_id(message))
        }
        Body::MessageObjected {
            message,
            role,
            comment,
        } => {
            format!("{role} objects to {}: {comment}", Event::short_id(message))
        }
        Body::MessageSent {
            stakeholder,
            channel,
            ..
        } => format!(
            "to {}{}",
            name(stakeholder),
            channel
                .as_deref()
                .map(|c| format!(" by {c}"))
                .unwrap_or_default()
        ),
        Body::MediaInquiry { from, question, .. } => format!("{from}: {question}"),
        Body::StakeholderRequest {
            stakeholder, text, ..
        } => format!("{}: {text}", name(stakeholder)),
        Body::MediaMention { source, text, .. } => format!("{source}: {text}"),
        Body::ChecklistDone { item } => inc
            .checklist
            .iter()
            .find(|c| &c.id == item)
            .map_or(item.clone(), |c| c.text.clone()),
        Body::ChecklistUndone { item, reason } => format!(
            "{} is open again{}",
            inc.checklist
                .iter()
                .find(|c| &c.id == item)
                .map_or(item.clone(), |c| c.text.clone()),
            reason
                .as_deref()
                .map(|r| format!(" — {r}"))
                .unwrap_or_default()
        ),
        Body::InquiryClaimed { inquiry } => {
            inc.inquiries.iter().find(|q| &q.id == inquiry).map_or_else(
                || format!("inquiry {}", Event::short_id(inquiry)),
                |q| format!("writing the answer to {}: {}", q.from, q.text),
            )
        }
        Body::ActionDone { action } => inc.actions.iter().find(|a| &a.id == action).map_or_else(
            || format!("action {}", Event::short_id(action)),
            |a| a.text.clone(),
        ),
        Body::Amend {
            target,
            text,
            new_at,
            reason,
        } => {
            let mut parts = vec![format!("corrects {}", Event::short_id(target))];
            if let Some(t) = text {
                parts.push(format!("to \"{t}\""));
            }
            if let Some(at) = new_at {
                parts.push(format!("time to {at}"));
            }
            if let Some(r) = reason {
                parts.push(format!("({r})"));
            }
            parts.join(" ")
        }
        Body::Retract { target, reason } => {
            format!("withdraws {}: {reason}", Event::short_id(target))
        }
        Body::PlaybookAdopted { changes, .. } => {
            format!("edited playbook adopted: {}", changes.join("; "))
        }
        Body::ExercisePlanned {
            scenario_start,
            speed,
            injects,
            msel,
        } => format!(
            "exercise planned: {} injects{}, scenario starts {}, speed ×{speed}",
            injects.len(),
            msel.as_deref()
                .map(|m| format!(" from {m}"))
                .unwrap_or_default(),
            inc.calendar
                .to_zoned(*scenario_start)
                .strftime("%a %d %b %H:%M %Z")
        ),
        Body::ExerciseStarted => "exercise clock started".to_owned(),
        Body::ExercisePaused => "exercise clock paused".to_owned(),
        Body::ExerciseResumed => "exercise clock resumed".to_owned(),
        Body::ExerciseSpeed { speed } => format!("exercise clock speed ×{speed}"),
        Body::ExerciseJumped { to } => format!(
            "exercise clock jumped to {}",
            inc.calendar.to_zoned(*to).strftime("%a %d %b %H:%M")
        ),
        Body::InjectDelivered {
            inject,
            early,
            improvised,
        } => {
            let mut s = format!("{} from {}", inject.id, inject.from);
            if let Some(c) = &inject.channel {
                s.push_str(&format!(" by {c}"));
            }
            if let Some(to) = &inject.to {
                let role = pb.role(to).map_or(to.as_str(), |r| r.title.as_str());
                s.push_str(&format!(" to {role}"));
            }
            s.push_str(": ");
            if let Some(subject) = &inject.subject {
                s.push_str(&format!("{subject} — "));
            }
            s.push_str(&inject.text);
            if *early {
                s.push_str(" (delivered early)");
            }
            if *improvised {
                s.push_str(" (improvised)");
            }
            s
        }
        Body::InjectSkipped { inject, reason } => format!(
            "inject {inject} skipped{}",
            reason
                .as_deref()
                .map(|r| format!(" — {r}"))
                .unwrap_or_default()
        ),
        Body::InjectRated {
            inject,
            item,
            rating,
            note,
        } => format!(
            "inject {inject}, expected action {item}: {} ({}){}",
            rating.letter(),
            rating.label(),
            note.as_deref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default()
        ),
        Body::FindingAcknowledged {
            finding,
            reason,
            text,
        } => match text {
            Some(t) => format!("acknowledged finding {finding} ({t}): {reason}"),
            None => format!("acknowledged finding {finding}: {reason}"),
        },
        other => other.text().unwrap_or("").to_owned(),
    }
}
