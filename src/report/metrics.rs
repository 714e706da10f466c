//! Section 2, the key figures. Each is computed here once and carries, in `how`, the words
//! saying how, so a reader of any format can check it by hand.

use jiff::Timestamp;

use super::build::seconds;
use super::model::*;
use crate::incident::state::{Incident, Message};
use crate::playbook::model::Group;

/// Every figure of the report.
pub fn compute(inc: &Incident, audiences: &[Audience], as_of: Timestamp) -> Metrics {
    Metrics {
        first_public_statement: first_public_statement(inc),
        first_message_by_group: first_message_by_group(inc),
        deadlines: deadlines(audiences, as_of),
        messages_sent: Count {
            count: inc.messages.iter().filter(|m| m.sent.is_some()).count(),
            how: "Messages marked sent, to any audience.".into(),
        },
        draft_to_last_approval: draft_to_last_approval(inc),
        overrides: overrides(audiences),
        inquiries: inquiries(inc, as_of),
    }
}

/// The median of whole seconds: the middle value, or for an even count the mean of the two
/// middle values rounded down.
pub fn median(mut values: Vec<i64>) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]).div_euclid(2)
    })
}

/// The sent message that went out first among those matching `pick`.
fn first_sent(inc: &Incident, pick: impl Fn(&Message) -> bool) -> Option<&Message> {
    inc.messages
        .iter()
        .filter(|m| m.sent.is_some() && pick(m))
        .min_by_key(|m| m.sent.as_ref().map(|s| s.at))
}

fn group_of(inc: &Incident, audience: &str) -> Option<Group> {
    inc.playbook.stakeholder(audience).map(|s| s.group)
}

fn first_public_statement(inc: &Incident) -> FirstStatement {
    let first = first_sent(inc, |m| group_of(inc, &m.stakeholder) == Some(Group::Media));
    let at = first.and_then(|m| m.sent.as_ref()).map(|s| s.at);
    FirstStatement {
        at,
        seconds_after_detection: at.map(|t| seconds(inc.detected_at, t)),
        audience: first.map(|m| m.stakeholder.clone()),
        message: first.map(|m| m.id),
        how: "From detection to the first message sent to an audience of the group \"media\" \
              (the press, social media)."
            .into(),
    }
}

fn first_message_by_group(inc: &Incident) -> GroupFirsts {
    let groups = Group::ALL
        .iter()
        .filter_map(|&g| {
            let audiences: Vec<String> = inc
                .playbook
                .stakeholders
                .iter()
                .filter(|s| s.group == g)
                .map(|s| s.id.clone())
                .collect();
            if audiences.is_empty() {
                return None;
            }
            let first = first_sent(inc, |m| audiences.contains(&m.stakeholder));
            let at = first.and_then(|m| m.sent.as_ref()).map(|s| s.at);
            Some(GroupFirst {
                group: g.as_str().to_owned(),
                audiences,
                at,
                seconds_after_detection: at.map(|t| seconds(inc.detected_at, t)),
                audience: first.map(|m| m.stakeholder.clone()),
                message: first.map(|m| m.id),
            })
        })
        .collect();
    GroupFirsts {
        groups,
        how: "For each group of audiences in the playbook, from detection to the first message \
              sent to any audience of that group."
            .into(),
    }
}

fn deadlines(audiences: &[Audience], as_of: Timestamp) -> DeadlineFigures {
    let items: Vec<DeadlineItem> = audiences
        .iter()
        .flat_map(|a| {
            a.deadlines.iter().filter(|d| d.counted).map(|d| {
                let overdue_seconds = match (d.state, d.due, d.met_at) {
                    (ReportDeadlineState::Late, Some(due), Some(met)) => Some(seconds(due, met)),
                    (ReportDeadlineState::Missed, Some(due), _) => Some(seconds(due, as_of)),
                    _ => None,
                };
                DeadlineItem {
                    audience: a.id.clone(),
                    audience_name: a.name.clone(),
                    id: d.id.clone(),
                    label: d.label.clone(),
                    basis: d.basis.clone(),
                    due: d.due,
                    met_at: d.met_at,
                    state: d.state,
                    overdue_seconds,
                }
            })
        })
        .collect();
    let count = |s: ReportDeadlineState| items.iter().filter(|d| d.state == s).count();
    DeadlineFigures {
        total: items.len(),
        met: count(ReportDeadlineState::Met),
        late: count(ReportDeadlineState::Late),
        missed: count(ReportDeadlineState::Missed),
        running: count(ReportDeadlineState::Running),
        waiting: count(ReportDeadlineState::Waiting),
        items,
        how: "Each deadline of the playbook runs from its anchor (detection or a milestone) and \
              is met by the first message to its audience that names it or, naming none, is \
              sent while its clock runs. Met: sent by the due time; late: sent after it; \
              missed: not sent and past due at the time the report is judged at (the closure, \
              or now for an interim report); running: not yet due; waiting: its milestone was \
              never marked. Deadlines of audiences not in play at the final severity count \
              only if they were met."
            .into(),
    }
}

fn draft_to_last_approval(inc: &Incident) -> MedianFigure {
    let durations: Vec<i64> = inc
        .messages
        .iter()
        .filter_map(|m| {
            let required = &inc.playbook.stakeholder(&m.stakeholder)?.approval;
            if required.is_empty() || !m.missing_approvals(&inc.playbook).is_empty() {
                return None;
            }
            let last = m
                .approvals
                .iter()
                .filter(|a| required.contains(&a.role))
                .map(|a| a.at)
                .max()?;
            Some(seconds(m.drafted_at, last))
        })
        .collect();
    MedianFigure {
        count: durations.len(),
        median_seconds: median(durations),
        how: "Over messages whose text as it stands (or as sent) carries every approval the \
              playbook requires for its audience: from the draft to the last of those \
              approvals (an edit voids earlier approvals, so rework counts). The median of an \
              even count is the mean of the two middle values, rounded down to the second."
            .into(),
    }
}

fn overrides(audiences: &[Audience]) -> Overrides {
    let mut sends: Vec<OverrideRow> = audiences
        .iter()
        .flat_map(|a| {
            a.messages.iter().filter_map(|m| {
                Some(OverrideRow {
                    message: m.id,
                    audience: a.id.clone(),
                    sent_at: m.sent_at,
                    sent_by: m.sent_by.clone(),
                    reason: m.override_reason.clone()?,
                    missing_roles: m.missing_roles.clone(),
                })
            })
        })
        .collect();
    sends.sort_by_key(|s| s.sent_at);
    Overrides {
        count: sends.len(),
        sends,
        how: "Messages sent with an override: without every approval the playbook requires, \
              with the reason recorded at the time."
            .into(),
    }
}

fn inquiries(inc: &Incident, as_of: Timestamp) -> InquiryFigures {
    let mut f = InquiryFigures {
        total: inc.inquiries.len(),
        with_deadline: 0,
        answered_within_deadline: 0,
        answered_late: 0,
        answered_without_deadline: 0,
        unanswered: 0,
        unanswered_overdue: 0,
        median_response_seconds: None,
        how: "Media inquiries and stakeholder requests. An inquiry is answered when its first \
              answer is recorded; within its deadline when that is no later than its reply \
              deadline. Response time: from the question to the first answer; the median is \
              over answered inquiries (an even count: the mean of the two middle values, \
              rounded down). Unanswered ones are overdue when past their reply deadline at the \
              time the report is judged at."
            .into(),
    };
    let mut responses = Vec::new();
    for q in &inc.inquiries {
        let first = q.answers.iter().map(|a| a.at).min();
        if q.reply_by.is_some() {
            f.with_deadline += 1;
        }
        match (first, q.reply_by) {
            (Some(a), Some(due)) if a <= due => f.answered_within_deadline += 1,
            (Some(_), Some(_)) => f.answered_late += 1,
            (Some(_), None) => f.answered_without_deadline += 1,
            (None, due) => {
                f.unanswered += 1;
                if due.is_some_and(|d| as_of > d) {
                    f.unanswered_overdue += 1;
                }
            }
        }
        if let Some(a) = first {
            responses.push(seconds(q.received_at, a));
        }
    }
    f.median_response_seconds = median(responses);
    f
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_of_odd_even_and_none() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![7]), Some(7));
        assert_eq!(median(vec![30, 10, 20]), Some(20));
        assert_eq!(median(vec![40, 10, 30, 20]), Some(25));
        assert_eq!(median(vec![1, 2]), Some(1), "1.5 rounds down");
        assert_eq!(
            median(vec![-3, -2]),
            Some(-3),
            "rounds down, not toward zero"
        );
    }
}
