//! What changed between two versions of a playbook, in words, for the "adopt the edited
//! playbook?" question a running incident asks.

use super::model::Playbook;

/// The differences that matter to a running incident: audiences, their deadlines, approvals
/// and cadences, templates, severities, milestones and checklist items. Empty when none.
pub fn diff(old: &Playbook, new: &Playbook) -> Vec<String> {
    let mut out = Vec::new();
    for s in &new.stakeholders {
        match old.stakeholder(&s.id) {
            None => out.push(format!("new audience: {} ({})", s.name, s.id)),
            Some(o) => {
                for d in &s.deadlines {
                    match o.deadlines.iter().find(|x| x.key() == d.key()) {
                        None => out.push(format!(
                            "{}: new deadline '{}' within {} from {}",
                            s.id, d.label, d.within, d.from
                        )),
                        Some(x) if x.within != d.within || x.from != d.from => out.push(format!(
                            "{}: deadline '{}' now within {} from {} (was {} from {})",
                            s.id, d.label, d.within, d.from, x.within, x.from
                        )),
                        Some(_) => {}
                    }
                }
                for x in &o.deadlines {
                    if !s.deadlines.iter().any(|d| d.key() == x.key()) {
                        out.push(format!("{}: deadline '{}' removed", s.id, x.label));
                    }
                }
                if o.approval != s.approval {
                    out.push(format!(
                        "{}: approval now by {} (was {})",
                        s.id,
                        list(&s.approval),
                        list(&o.approval)
                    ));
                }
                if o.update_every != s.update_every {
                    out.push(format!("{}: update cadence changed", s.id));
                }
                if o.min_severity != s.min_severity {
                    out.push(format!("{}: in play from a different severity", s.id));
                }
                if o.name != s.name
                    || o.group != s.group
                    || o.owner != s.owner
                    || o.channels != s.channels
                {
                    out.push(format!("{}: name, group, owner or channels changed", s.id));
                }
            }
        }
    }
    for o in &old.stakeholders {
        if new.stakeholder(&o.id).is_none() {
            out.push(format!("audience removed: {} ({})", o.name, o.id));
        }
    }
    for t in &new.templates {
        match old.template(&t.id) {
            None => out.push(format!("new template: {}", t.title)),
            Some(o) if o != t => out.push(format!("template changed: {}", t.title)),
            Some(_) => {}
        }
    }
    for o in &old.templates {
        if new.template(&o.id).is_none() {
            out.push(format!("template removed: {}", o.title));
        }
    }
    if old.severities != new.severities {
        out.push("severities changed".into());
    }
    if old.milestones != new.milestones {
        out.push("milestones changed".into());
    }
    if old.checklists != new.checklists {
        out.push("checklists changed".into());
    }
    if old.roles != new.roles {
        out.push("roles changed".into());
    }
    let rest_differs = old.key_messages != new.key_messages
        || old.qa != new.qa
        || old.org != new.org
        || old.title != new.title
        || old.timezone != new.timezone
        || old.holidays != new.holidays;
    if rest_differs {
        out.push("key messages, Q&A, organisation, title, time zone or holidays changed".into());
    }
    out
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "nobody".into()
    } else {
        v.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Playbook {
        let text = include_str!("../../playbooks/data-breach.json");
        crate::playbook::parse("t", text.as_bytes(), None)
            .unwrap()
            .playbook
    }

    #[test]
    fn names_what_changed() {
        let old = shipped();
        assert!(diff(&old, &old).is_empty());
        let mut new = old.clone();
        new.stakeholders[0].deadlines[0].within = "2h".parse().unwrap();
        new.stakeholders.pop();
        new.templates[0].body.push_str(" More.");
        let d = diff(&old, &new);
        assert!(d.iter().any(|l| l.contains("now within 2h")), "{d:?}");
        assert!(d.iter().any(|l| l.starts_with("audience removed")), "{d:?}");
        assert!(d.iter().any(|l| l.starts_with("template changed")), "{d:?}");
    }
}
