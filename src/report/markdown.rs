//! The report as Markdown that renders cleanly on GitHub and in common viewers.
//!
//! The document is built as a stream of CommonMark events (pulldown-cmark) and written out by
//! pulldown-cmark-to-cmark, which escapes every piece of text: what a person typed (`| a | b |`,
//! `# heading`, `<script>`) comes out as the characters they typed, never as markup. Tables
//! are GitHub-flavoured; no raw HTML is used.

use pulldown_cmark::{Alignment, CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::model::*;
use super::text::{Times, duration, one_line, opt_duration, visible};
use super::view::{self, Section};

/// Renders the report.
///
/// The document is written in independent parts (the head, each section, each day of the
/// timeline), each through its own serializer, on as many threads as there are cores: a
/// 100,000-entry timeline is most of the work, and the serializer checks each block it writes
/// by parsing it back.
pub fn render(r: &Report) -> String {
    let t = Times::new(&r.incident.timezone);
    let mut parts: Vec<Md> = Vec::new();
    let mut md = Md::default();
    if let Some(w) = &r.integrity.warning {
        md.quote(|q| {
            q.para(vec![
                strong(if r.integrity.damaged {
                    "Warning: damaged record."
                } else {
                    "Note: incomplete record."
                }),
                text(" "),
                text(w),
            ]);
        });
    }
    md.heading(1, &view::title(r));
    if r.exercise.is_some() {
        md.quote(|q| {
            q.para(vec![
                strong(view::EXERCISE_BANNER),
                text(" "),
                text(view::EXERCISE_NOTE),
            ])
        });
    }
    if r.incident.interim {
        md.quote(|q| {
            q.para(vec![
                strong(&format!("Interim, as of {}.", t.at(r.incident.as_of))),
                text(view::interim_note(r)),
            ])
        });
    }
    md.para(vec![text(&view::times_note(r, &t))]);
    parts.push(md);
    for (section, heading) in view::headings(r) {
        let mut md = Md::default();
        md.heading(2, &heading);
        match (section, &r.exercise) {
            (Section::Overview, Some(x)) => overview(&mut md, r, x, &t),
            (Section::Injects, Some(x)) => injects(&mut md, r, x, &t),
            (Section::Ratings, Some(x)) => ratings(&mut md, x),
            (Section::Findings, _) => findings(&mut md, r, &t),
            (Section::ImprovementPlan, Some(x)) => plan(&mut md, r, x, &t),
            (
                Section::Overview | Section::Injects | Section::Ratings | Section::ImprovementPlan,
                None,
            ) => {}
            (Section::Summary, _) => summary(&mut md, r, &t),
            (Section::Figures, _) => figures(&mut md, r, &t),
            (Section::Audiences, _) => {
                audiences(&mut md, r, &t);
                told_whom(&mut md, r, &t);
            }
            (Section::Timeline, _) => {
                timeline_intro(&mut md);
                parts.push(md);
                for day in view::days(&r.timeline, &t) {
                    let mut md = Md::default();
                    timeline_day(&mut md, day, &t);
                    parts.push(md);
                }
                continue;
            }
            (Section::Record, _) => record(&mut md, r, &t),
            (Section::Lessons, _) => lessons(&mut md, r, &t),
            (Section::Integrity, _) => integrity(&mut md, r),
        }
        parts.push(md);
    }
    if r.exercise.is_some() {
        let mut md = Md::default();
        md.quote(|q| {
            q.para(vec![
                strong(view::EXERCISE_BANNER),
                text(" "),
                text(view::EXERCISE_END),
            ])
        });
        parts.push(md);
    }
    let rendered = render_parts(&parts);
    let mut out = String::with_capacity(rendered.iter().map(String::len).sum::<usize>() + 8);
    for part in rendered {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&part);
    }
    out
}

/// Below this many events a document is rendered on one thread.
const PARALLEL_EVENTS: usize = 20_000;

/// Renders the parts, spread over the available cores in contiguous runs of similar size.
fn render_parts(parts: &[Md]) -> Vec<String> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4);
    render_parts_on(parts, workers, PARALLEL_EVENTS)
}

fn render_parts_on(parts: &[Md], workers: usize, min_events: usize) -> Vec<String> {
    let total: usize = parts.iter().map(|p| p.events.len()).sum();
    if workers < 2 || total < min_events {
        return parts.iter().map(Md::render).collect();
    }
    let mut runs: Vec<&[Md]> = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (k, p) in parts.iter().enumerate() {
        size += p.events.len();
        if size * workers >= total && runs.len() + 1 < workers {
            runs.push(&parts[start..=k]);
            (start, size) = (k + 1, 0);
        }
    }
    runs.push(&parts[start..]);
    std::thread::scope(|scope| {
        let handles: Vec<_> = runs
            .iter()
            .map(|run| scope.spawn(move || run.iter().map(Md::render).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a Markdown part renders"))
            .collect()
    })
}

fn summary(md: &mut Md, r: &Report, t: &Times) {
    let i = &r.incident;
    let mut rows = vec![
        vec!["Title".into(), one_line(&i.title)],
        vec![
            "Playbook".into(),
            one_line(&view::playbook_line(&i.playbook)),
        ],
    ];
    for a in &i.playbook_adoptions {
        rows.push(vec![
            "Playbook adopted".into(),
            one_line(&view::adoption_line(a, t)),
        ]);
    }
    rows.extend([
        vec!["Detected".into(), t.at(i.detected_at)],
        vec!["Opened in crisisdesk".into(), t.at(i.opened_at)],
        vec![
            "Closed".into(),
            i.closed_at
                .map_or_else(|| "not yet (interim report)".into(), |c| t.at(c)),
        ],
        vec![
            if i.interim {
                "Duration so far".into()
            } else {
                "Duration".into()
            },
            duration(i.duration_seconds),
        ],
        vec![
            "Severity".into(),
            format!("{} ({})", one_line(&i.severity_name), one_line(&i.severity)),
        ],
        vec!["Journal entries".into(), i.entries.to_string()],
    ]);
    md.table(&["Field", "Value"], rows);
    summary_lists(md, r, t);
}

/// The summary's severity history, milestones and closing note.
fn summary_lists(md: &mut Md, r: &Report, t: &Times) {
    let i = &r.incident;
    md.heading(3, "Severity history");
    md.table(
        &["Time", "Severity", "By", "Reason"],
        i.severity_history
            .iter()
            .map(|s| {
                vec![
                    t.at(s.at),
                    format!("{} ({})", one_line(&s.name), one_line(&s.severity)),
                    one_line(&s.by),
                    s.reason.as_deref().map_or_else(String::new, one_line),
                ]
            })
            .collect(),
    );
    md.heading(3, "Milestones");
    md.table(
        &["Time", "Milestone", "By"],
        i.milestones
            .iter()
            .map(|m| vec![t.at(m.at), one_line(&m.name), one_line(&m.by)])
            .collect(),
    );
    md.heading(3, "Closing note");
    match &i.closing_note {
        Some(note) => md.quote(|q| q.user_text(note)),
        None => md.para(vec![text(view::no_closing_note(r))]),
    }
}

fn overview(md: &mut Md, r: &Report, x: &ExercisePart, t: &Times) {
    md.table(
        &["Field", "Value"],
        view::overview_rows(r, x, t)
            .into_iter()
            .map(|(k, v)| vec![k.to_owned(), one_line(&v)])
            .collect(),
    );
    md.heading(3, "Participants");
    md.para(vec![text(view::PARTICIPANTS_NOTE)]);
    md.table(
        &[
            "Participant",
            "In the exercise",
            "Playbook roles",
            "Entries",
            "Console sessions",
        ],
        view::participant_rows(x)
            .into_iter()
            .map(|row| row.iter().map(|c| one_line(c)).collect())
            .collect(),
    );
    summary_lists(md, r, t);
}

fn injects(md: &mut Md, r: &Report, x: &ExercisePart, t: &Times) {
    md.para(vec![text(&x.evidence_how)]);
    for i in &x.injects {
        md.heading(3, &view::inject_heading(i));
        md.list(
            view::inject_facts(i, r, x, t)
                .into_iter()
                .map(|(k, v)| vec![strong(&format!("{k}:")), text(" "), text(&one_line(&v))])
                .collect(),
        );
        if i.withheld {
            md.para(vec![text(view::WITHHELD)]);
            continue;
        }
        md.quote(|q| q.user_text(&i.text));
        if i.expectations.is_empty() {
            md.para(vec![text("No expected actions were planned for it.")]);
        } else {
            md.table(
                &["#", "Expected action", "Rating", "Evaluator's note"],
                i.expectations
                    .iter()
                    .map(|e| {
                        vec![
                            e.item.to_string(),
                            one_line(&e.text),
                            view::rating_words(e.rating, i),
                            one_line(&view::rating_note(e, t)),
                        ]
                    })
                    .collect(),
            );
        }
        md.heading(4, &format!("Evidence: what players did after {}", i.id));
        if i.evidence.is_empty() {
            md.para(vec![text(view::no_evidence(i))]);
        } else {
            md.table(
                &["Time", "After the inject", "By", "Kind", "What"],
                i.evidence
                    .iter()
                    .map(|e| {
                        vec![
                            t.at(e.at),
                            duration(e.after_seconds),
                            one_line(&e.by),
                            if e.answers_inject {
                                format!("{} (the reply)", e.kind.replace('_', " "))
                            } else {
                                e.kind.replace('_', " ")
                            },
                            one_line(&e.text),
                        ]
                    })
                    .collect(),
            );
        }
    }
}

fn ratings(md: &mut Md, x: &ExercisePart) {
    md.table(
        &["Rating", "Meaning", "Expected actions"],
        view::ratings_rows(&x.ratings_summary)
            .into_iter()
            .map(|r| r.into_iter().collect())
            .collect(),
    );
    md.para(vec![text(&x.ratings_summary.how)]);
    md.heading(3, "By inject");
    md.table(
        &["Inject", "State", "Ratings by expected action"],
        x.injects
            .iter()
            .map(|i| {
                vec![
                    one_line(&view::inject_heading(i)),
                    view::inject_state_words(i).to_owned(),
                    view::inject_ratings_line(i),
                ]
            })
            .collect(),
    );
}

fn findings(md: &mut Md, r: &Report, t: &Times) {
    md.para(vec![text(view::FINDINGS_NOTE)]);
    md.heading(3, "Strengths");
    let items: Vec<Vec<Inline>> = view::strengths(r)
        .map(|l| {
            vec![
                text(&one_line(&l.text)),
                text(&format!(" ({}, {})", one_line(&l.by), t.at(l.at))),
            ]
        })
        .collect();
    if items.is_empty() {
        md.para(vec![text("None recorded.")]);
    } else {
        md.list(items);
    }
    md.heading(3, "Areas for improvement");
    let items: Vec<Vec<Inline>> = view::areas(r)
        .map(|(l, kind)| {
            vec![
                strong(&format!("{kind}:")),
                text(" "),
                text(&one_line(&l.text)),
                text(&format!(" ({}, {})", one_line(&l.by), t.at(l.at))),
            ]
        })
        .collect();
    if items.is_empty() {
        md.para(vec![text("None recorded.")]);
    } else {
        md.list(items);
    }
}

fn plan(md: &mut Md, r: &Report, x: &ExercisePart, t: &Times) {
    md.para(vec![text(view::PLAN_NOTE)]);
    let rows = view::plan_rows(r, x, t);
    if rows.is_empty() {
        md.para(vec![text("No corrective action was recorded.")]);
    } else {
        md.table(
            &["Corrective action", "Owner", "Added", "Due", "State"],
            rows.into_iter()
                .map(|row| row.iter().map(|c| one_line(c)).collect())
                .collect(),
        );
    }
}

fn figures(md: &mut Md, r: &Report, t: &Times) {
    let rows = view::figure_rows(r, t)
        .into_iter()
        .map(|f| vec![f.name.to_owned(), one_line(&f.value), f.how])
        .collect();
    md.table(&["Figure", "Value", "How it was computed"], rows);

    let m = &r.metrics;
    md.heading(3, "First message to each group of audiences");
    md.table(
        &["Group", "First message", "After detection", "To"],
        m.first_message_by_group
            .groups
            .iter()
            .map(|g| {
                vec![
                    g.group.clone(),
                    g.at.map_or_else(|| "none sent".into(), |a| t.at(a)),
                    opt_duration(g.seconds_after_detection),
                    g.audience
                        .as_deref()
                        .map_or_else(String::new, |a| one_line(&view::audience_name(r, a))),
                ]
            })
            .collect(),
    );
    md.para(vec![text(&m.first_message_by_group.how)]);

    md.heading(3, "Deadlines");
    md.table(
        &["Audience", "Deadline", "Basis", "Due", "Met at", "State"],
        m.deadlines
            .items
            .iter()
            .map(|d| {
                vec![
                    one_line(&d.audience_name),
                    one_line(&d.label),
                    d.basis.as_deref().map_or_else(String::new, one_line),
                    t.opt(d.due),
                    t.opt(d.met_at),
                    view::deadline_state_words(d.state, d.overdue_seconds),
                ]
            })
            .collect(),
    );
    md.para(vec![text(&m.deadlines.how)]);

    md.heading(3, "Sends with an approval override");
    if m.overrides.sends.is_empty() {
        md.para(vec![text(
            "None: every message went out with the approvals it needed.",
        )]);
    } else {
        md.table(
            &["Sent", "To", "Sent by", "Missing approvals", "Reason"],
            m.overrides
                .sends
                .iter()
                .map(|o| {
                    vec![
                        t.at(o.sent_at),
                        one_line(&view::audience_name(r, &o.audience)),
                        one_line(&o.sent_by),
                        one_line(&o.missing_roles.join(", ")),
                        one_line(&o.reason),
                    ]
                })
                .collect(),
        );
    }
}

fn audiences(md: &mut Md, r: &Report, t: &Times) {
    for a in &r.audiences {
        md.heading(3, &format!("{} ({})", one_line(&a.name), one_line(&a.id)));
        md.para(vec![text(&view::audience_status(a, &r.incident))]);
        if !a.deadlines.is_empty() {
            md.table(
                &["Deadline", "Basis", "Due", "Met at", "State"],
                a.deadlines
                    .iter()
                    .map(|d| {
                        vec![
                            one_line(&d.label),
                            d.basis.as_deref().map_or_else(String::new, one_line),
                            t.opt(d.due),
                            t.opt(d.met_at),
                            view::deadline_state_words(d.state, None),
                        ]
                    })
                    .collect(),
            );
        }
        for (n, m) in a.messages.iter().enumerate() {
            md.heading(
                4,
                &format!(
                    "Message {} — sent {}{}",
                    n + 1,
                    t.at(m.sent_at),
                    m.channel
                        .as_deref()
                        .map(|c| format!(" by {}", one_line(c)))
                        .unwrap_or_default()
                ),
            );
            let items: Vec<Vec<Inline>> = view::message_facts(m, t)
                .into_iter()
                .map(|(k, v)| vec![strong(&format!("{k}:")), text(" "), text(&one_line(&v))])
                .collect();
            md.list(items);
            md.quote(|q| q.user_text(&m.text));
        }
    }
}

/// What we told whom: the figures per audience, the check's findings and their resolution,
/// the key messages.
fn told_whom(md: &mut Md, r: &Report, t: &Times) {
    let s = &r.told_whom;
    md.heading(3, "What we told whom");
    md.para(vec![text(view::TOLD_WHOM_NOTE)]);
    if s.audiences.is_empty() {
        md.para(vec![text("No message sent stated a figure.")]);
    } else {
        let mut rows = Vec::new();
        for a in &s.audiences {
            for (n, m) in a.messages.iter().enumerate() {
                rows.push(vec![
                    if n == 0 {
                        one_line(&format!("{} ({})", a.name, a.id))
                    } else {
                        String::new()
                    },
                    t.at(m.at),
                    crate::incident::Event::short_id(&m.message),
                    one_line(&m.figures.join(" · ")),
                ]);
            }
        }
        md.table(&["Audience", "Sent", "Message", "Figures"], rows);
    }
    md.heading(4, "Findings of the check");
    let findings: Vec<Vec<Inline>> = s
        .findings
        .iter()
        .filter(|row| row.finding.kind != crate::check::Kind::KeyMessage)
        .map(|row| {
            let f = &row.finding;
            vec![
                strong(&format!("{} {}", f.kind.as_str(), f.id)),
                text(" — "),
                text(&one_line(&f.text)),
                text(" "),
                strong("Resolution:"),
                text(" "),
                text(&one_line(&view::finding_resolution(f, t))),
            ]
        })
        .collect();
    if findings.is_empty() {
        md.para(vec![text(
            "None: no two audiences were told figures that contradict each other, and no figure went out against the facts log.",
        )]);
    } else {
        md.list(findings);
    }
    if !s.key_messages.is_empty() {
        md.heading(4, "Key messages");
        md.list(
            s.key_messages
                .iter()
                .map(|k| {
                    vec![
                        text(&one_line(&k.text)),
                        text(" — "),
                        strong(&view::key_message_state(k, r)),
                    ]
                })
                .collect(),
        );
    }
}

fn timeline_intro(md: &mut Md) {
    md.para(vec![text(view::TIMELINE_NOTE)]);
}

fn timeline_day(md: &mut Md, (day, rows): (String, &[TimelineRow]), t: &Times) {
    md.heading(3, &day);
    md.table(
        &["Time", "Kind", "Entry", "Author", "Console"],
        rows.iter()
            .map(|e| {
                let mut entry = one_line(&e.summary);
                for note in view::correction_notes(e.corrections.as_ref(), t) {
                    entry.push_str(" — ");
                    entry.push_str(&one_line(&note));
                }
                vec![
                    t.at(e.at),
                    view::kind_words(e),
                    entry,
                    one_line(&e.author),
                    one_line(&e.console),
                ]
            })
            .collect(),
    );
}

fn record(md: &mut Md, r: &Report, t: &Times) {
    md.heading(3, "Decisions");
    if r.decisions.is_empty() {
        md.para(vec![text("None recorded.")]);
    } else {
        md.table(
            &["Time", "Decision", "By", "Corrections"],
            r.decisions
                .iter()
                .map(|d| {
                    vec![
                        t.at(d.at),
                        one_line(&d.text),
                        one_line(&d.by),
                        one_line(&view::correction_notes(d.corrections.as_ref(), t).join("; ")),
                    ]
                })
                .collect(),
        );
    }
    md.heading(3, "Facts");
    if r.facts.is_empty() {
        md.para(vec![text("None recorded.")]);
    } else {
        md.table(
            &["Time", "Fact", "Status", "By", "Corrections"],
            r.facts
                .iter()
                .map(|f| {
                    vec![
                        t.at(f.at),
                        one_line(&f.text),
                        view::fact_status(f).to_owned(),
                        one_line(&f.by),
                        one_line(&view::correction_notes(f.corrections.as_ref(), t).join("; ")),
                    ]
                })
                .collect(),
        );
    }
    md.heading(3, "Media inquiries and requests");
    if r.inquiries.is_empty() {
        md.para(vec![text("None recorded.")]);
    } else {
        md.table(
            &[
                "Asked",
                "From",
                "Question",
                "Reply due",
                "Answered",
                "Response time",
                "State",
                "Answer",
            ],
            r.inquiries
                .iter()
                .map(|q| {
                    vec![
                        t.at(q.asked_at),
                        one_line(&view::inquiry_from(q)),
                        one_line(&q.text),
                        t.opt(q.due),
                        t.opt(q.answered_at),
                        opt_duration(q.response_seconds),
                        view::inquiry_state_words(q.state).to_owned(),
                        one_line(
                            &q.answers
                                .iter()
                                .map(|a| a.text.as_str())
                                .collect::<Vec<_>>()
                                .join(" / "),
                        ),
                    ]
                })
                .collect(),
        );
    }
    md.heading(3, "Media mentions");
    if r.mentions.is_empty() {
        md.para(vec![text("None recorded.")]);
    } else {
        md.table(
            &["Time", "Source", "Sentiment", "Text", "Link"],
            r.mentions
                .iter()
                .map(|m| {
                    vec![
                        t.at(m.at),
                        one_line(&m.source),
                        m.sentiment.as_deref().map_or_else(String::new, one_line),
                        one_line(&m.text),
                        m.url.as_deref().map_or_else(String::new, one_line),
                    ]
                })
                .collect(),
        );
    }
}

fn lessons(md: &mut Md, r: &Report, t: &Times) {
    for (kind, title) in view::LESSON_KINDS {
        md.heading(3, title);
        let items: Vec<Vec<Inline>> = r
            .lessons
            .iter()
            .filter(|l| l.kind == kind)
            .map(|l| {
                vec![
                    text(&one_line(&l.text)),
                    text(&format!(" ({}, {})", one_line(&l.by), t.at(l.at))),
                ]
            })
            .collect();
        if items.is_empty() {
            md.para(vec![text("None recorded.")]);
        } else {
            md.list(items);
        }
    }
    md.heading(3, "Actions");
    if r.actions.is_empty() {
        md.para(vec![text("None recorded.")]);
    } else {
        md.table(
            &["Action", "Owner", "Due", "State", "Done"],
            r.actions
                .iter()
                .map(|a| {
                    vec![
                        one_line(&a.text),
                        a.owner.as_deref().map_or_else(String::new, one_line),
                        t.opt(a.due),
                        a.state.to_owned(),
                        a.done_at.map_or_else(String::new, |d| {
                            format!(
                                "{} by {}",
                                t.at(d),
                                one_line(a.done_by.as_deref().unwrap_or(""))
                            )
                        }),
                    ]
                })
                .collect(),
        );
    }
    md.heading(3, "Playbook checklist");
    if r.checklist.is_empty() {
        md.para(vec![text("The playbook has no checklist.")]);
    } else {
        md.table(
            &["Phase", "Item", "Owner", "Due", "State"],
            r.checklist
                .iter()
                .map(|c| {
                    vec![
                        one_line(&c.phase),
                        one_line(&c.text),
                        c.owner.as_deref().map_or_else(String::new, one_line),
                        t.opt(c.due),
                        match c.done_at {
                            Some(d) => format!("done {}", t.at(d)),
                            None => c.state.to_owned(),
                        },
                    ]
                })
                .collect(),
        );
    }
}

fn integrity(md: &mut Md, r: &Report) {
    let g = &r.integrity;
    md.para(vec![text(&view::integrity_verdict(g))]);
    md.table(
        &["Measure", "Value"],
        view::integrity_rows(g)
            .into_iter()
            .map(|(k, v)| vec![k.to_owned(), v])
            .collect(),
    );
    md.heading(3, "Chain heads");
    md.para(vec![text(view::CHAIN_HEADS_NOTE)]);
    md.table(
        &["File", "Records", "Last seq", "SHA-256 of the last record"],
        g.chain_heads
            .iter()
            .map(|h| {
                vec![
                    one_line(&h.file),
                    h.records.to_string(),
                    h.seq.to_string(),
                    h.sum.clone().unwrap_or_else(|| "no record".into()),
                ]
            })
            .collect(),
    );
    if !g.findings.is_empty() {
        md.heading(3, "Damage found");
        md.table(
            &["File", "Line", "Kind", "What it means"],
            g.findings
                .iter()
                .map(|f| {
                    vec![
                        one_line(&f.file),
                        f.line.map_or_else(|| "end".into(), |l| l.to_string()),
                        f.kind.clone(),
                        one_line(&f.meaning),
                    ]
                })
                .collect(),
        );
    }
    if !g.anomalies.is_empty() {
        md.heading(3, "Entries that could not be applied");
        md.list(
            g.anomalies
                .iter()
                .map(|a| vec![text(&one_line(a))])
                .collect(),
        );
    }
}

/// A piece of inline text.
enum Inline {
    Text(String),
    Strong(String),
}

fn text(s: &str) -> Inline {
    Inline::Text(visible(s).into_owned())
}

fn strong(s: &str) -> Inline {
    Inline::Strong(visible(s).into_owned())
}

/// A Markdown document being built as CommonMark events.
#[derive(Default)]
struct Md {
    events: Vec<Event<'static>>,
}

impl Md {
    fn push(&mut self, e: Event<'static>) {
        self.events.push(e);
    }

    fn str(s: String) -> CowStr<'static> {
        CowStr::Boxed(s.into_boxed_str())
    }

    fn inlines(&mut self, inlines: Vec<Inline>) {
        for i in inlines {
            match i {
                Inline::Text(s) if s.is_empty() => {}
                Inline::Text(s) => self.push(Event::Text(Self::str(s))),
                Inline::Strong(s) => {
                    self.push(Event::Start(Tag::Strong));
                    self.push(Event::Text(Self::str(s)));
                    self.push(Event::End(TagEnd::Strong));
                }
            }
        }
    }

    fn heading(&mut self, level: u8, title: &str) {
        let level = match level {
            1 => HeadingLevel::H1,
            2 => HeadingLevel::H2,
            3 => HeadingLevel::H3,
            _ => HeadingLevel::H4,
        };
        self.push(Event::Start(Tag::Heading {
            level,
            id: None,
            classes: Vec::new(),
            attrs: Vec::new(),
        }));
        self.push(Event::Text(Self::str(one_line(title))));
        self.push(Event::End(TagEnd::Heading(level)));
    }

    fn para(&mut self, inlines: Vec<Inline>) {
        self.push(Event::Start(Tag::Paragraph));
        self.inlines(inlines);
        self.push(Event::End(TagEnd::Paragraph));
    }

    /// Text as someone typed it: paragraphs at blank lines, line breaks kept.
    fn user_text(&mut self, s: &str) {
        let v = visible(s);
        let mut any = false;
        for para in v
            .split("\n\n")
            .map(|p| p.trim_matches('\n'))
            .filter(|p| !p.is_empty())
        {
            any = true;
            self.push(Event::Start(Tag::Paragraph));
            for (n, line) in para.split('\n').enumerate() {
                if n > 0 {
                    self.push(Event::HardBreak);
                }
                if !line.is_empty() {
                    self.push(Event::Text(Self::str(line.to_owned())));
                }
            }
            self.push(Event::End(TagEnd::Paragraph));
        }
        if !any {
            self.para(vec![Inline::Strong("(empty)".into())]);
        }
    }

    fn quote(&mut self, f: impl FnOnce(&mut Md)) {
        self.push(Event::Start(Tag::BlockQuote(None)));
        f(self);
        self.push(Event::End(TagEnd::BlockQuote(None)));
    }

    fn list(&mut self, items: Vec<Vec<Inline>>) {
        self.push(Event::Start(Tag::List(None)));
        for item in items {
            self.push(Event::Start(Tag::Item));
            self.inlines(item);
            self.push(Event::End(TagEnd::Item));
        }
        self.push(Event::End(TagEnd::List(false)));
    }

    /// A table; cells are one line of plain text each (already made visible).
    fn table(&mut self, head: &[&str], rows: Vec<Vec<String>>) {
        self.push(Event::Start(Tag::Table(vec![Alignment::None; head.len()])));
        self.push(Event::Start(Tag::TableHead));
        for h in head {
            self.cell((*h).to_owned());
        }
        self.push(Event::End(TagEnd::TableHead));
        for row in rows {
            self.push(Event::Start(Tag::TableRow));
            for c in row {
                self.cell(c);
            }
            self.push(Event::End(TagEnd::TableRow));
        }
        self.push(Event::End(TagEnd::Table));
    }

    fn cell(&mut self, c: String) {
        self.push(Event::Start(Tag::TableCell));
        if !c.is_empty() {
            self.push(Event::Text(Self::str(c)));
        }
        self.push(Event::End(TagEnd::TableCell));
    }

    fn render(&self) -> String {
        let mut out = String::with_capacity(self.events.len() * 24);
        pulldown_cmark_to_cmark::cmark(
            self.events.iter(),
            &mut out,
            pulldown_cmark::Options::ENABLE_TABLES,
        )
        .expect("writing Markdown to a String cannot fail");
        let mut out = out.trim_start_matches('\n').to_owned();
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_render_the_same_on_several_threads() {
        let parts: Vec<Md> = (0..7)
            .map(|k| {
                let mut md = Md::default();
                md.heading(2, &format!("Part {k} | # <b>"));
                md.table(
                    &["a", "b"],
                    (0..k * 3)
                        .map(|r| vec![format!("{r} | x"), "*y*".into()])
                        .collect(),
                );
                md
            })
            .collect();
        let one = render_parts_on(&parts, 1, 0);
        for workers in 2..5 {
            assert_eq!(
                render_parts_on(&parts, workers, 0),
                one,
                "{workers} workers"
            );
        }
        assert!(one[3].starts_with("## Part 3 \\| \\# \\<b>"), "{}", one[3]);
    }
}
