//! The HTML report's timeline picture: one lane per audience in play, each message sent as a
//! mark, each deadline as a marker whose colour, shape and word all say its state (so it
//! survives black-and-white printing), severity changes and milestones along the top.
//!
//! ```text
//!            09:00        10:00        11:00        12:00
//! severity   [ Low        | High                            ]
//! milestones ▼ Detected         ▼ Breach public
//! Press      ───●──────────○met──────────────────●───────────
//! DPA        ─────────────────────●────────△late─────────────
//! CSIRT      ──────────────────────────────────────✕missed───
//!            legend: ● sent  ○ met  △ late  ✕ missed  ◇ running
//! ```
//! Written with maud, like the rest of the page: every text is escaped by it, and every
//! element is closed, so the picture is well-formed XML too.

use jiff::{Span, Timestamp, ToSpan, ZonedDateTime};
use maud::{Markup, html};

use super::model::*;
use super::text::{Times, one_line};
use super::view;

const WIDTH: f64 = 1000.0;
const LEFT: f64 = 180.0;
const RIGHT: f64 = 30.0;
const AXIS_Y: f64 = 24.0;
const SEVERITY_Y: f64 = 34.0;
const MILESTONE_Y: f64 = 62.0;
const LANES_Y: f64 = 130.0;
const LANE: f64 = 38.0;
const LEGEND: f64 = 46.0;

/// How deadline states are drawn: colour, shape, word.
fn style(s: ReportDeadlineState) -> (&'static str, &'static str) {
    match s {
        ReportDeadlineState::Met => ("#1b7f3b", "met"),
        ReportDeadlineState::Late => ("#b35c00", "late"),
        ReportDeadlineState::Missed => ("#c62828", "missed"),
        ReportDeadlineState::Running => ("#1f5fbf", "due"),
        ReportDeadlineState::Waiting => ("#777777", "waiting"),
    }
}

/// The marker of a deadline state centred on (x, y).
fn marker(s: ReportDeadlineState, x: f64, y: f64) -> Markup {
    let (colour, _) = style(s);
    match s {
        ReportDeadlineState::Met => html! {
            circle cx=(n(x)) cy=(n(y)) r="6" fill="white" stroke=(colour) stroke-width="2.5" {}
        },
        ReportDeadlineState::Late => html! {
            polygon points=(format!("{},{} {},{} {},{}", n(x), n(y - 7.0), n(x + 7.0), n(y + 5.0), n(x - 7.0), n(y + 5.0)))
                fill=(colour) stroke=(colour) stroke-width="1" {}
        },
        ReportDeadlineState::Missed => html! {
            path d=(format!("M{} {} L{} {} M{} {} L{} {}", n(x - 6.0), n(y - 6.0), n(x + 6.0), n(y + 6.0), n(x - 6.0), n(y + 6.0), n(x + 6.0), n(y - 6.0)))
                stroke=(colour) stroke-width="3" fill="none" {}
        },
        ReportDeadlineState::Running | ReportDeadlineState::Waiting => html! {
            polygon points=(format!("{},{} {},{} {},{} {},{}", n(x), n(y - 7.0), n(x + 7.0), n(y), n(x), n(y + 7.0), n(x - 7.0), n(y)))
                fill="white" stroke=(colour) stroke-width="2.5" {}
        },
    }
}

/// A coordinate with one decimal.
fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// Maps instants to x between `LEFT` and `WIDTH - RIGHT`.
struct Scale {
    t0: i64,
    t1: i64,
}

impl Scale {
    fn x(&self, t: Timestamp) -> f64 {
        let span = (self.t1 - self.t0).max(1) as f64;
        let f = ((t.as_second() - self.t0) as f64 / span).clamp(0.0, 1.0);
        LEFT + f * (WIDTH - LEFT - RIGHT)
    }
    fn beyond(&self, t: Timestamp) -> bool {
        t.as_second() > self.t1
    }
}

/// Tick spacing: the first whose count fits.
const STEPS: [(i64, &str); 13] = [
    (5 * 60, "%H:%M"),
    (10 * 60, "%H:%M"),
    (15 * 60, "%H:%M"),
    (30 * 60, "%H:%M"),
    (3600, "%H:%M"),
    (2 * 3600, "%H:%M"),
    (3 * 3600, "%H:%M"),
    (6 * 3600, "%d %b %H:%M"),
    (12 * 3600, "%d %b %H:%M"),
    (86_400, "%d %b"),
    (2 * 86_400, "%d %b"),
    (7 * 86_400, "%d %b"),
    (30 * 86_400, "%d %b"),
];

/// Ticks on round local times.
fn ticks(scale: &Scale, times: &Times) -> Vec<(Timestamp, String)> {
    let span = scale.t1 - scale.t0;
    let (step, fmt) = STEPS
        .iter()
        .copied()
        .find(|(s, _)| span / s <= 8)
        .unwrap_or(STEPS[STEPS.len() - 1]);
    let Ok(start) = Timestamp::from_second(scale.t0) else {
        return Vec::new();
    };
    let z = times.zoned(start);
    // Round down to the step in local time: whole minutes, hours or days.
    let floor: Option<ZonedDateTime> = if step < 86_400 {
        let minutes = i64::from(z.hour()) * 60 + i64::from(z.minute());
        let down = minutes - minutes % (step / 60).min(24 * 60);
        z.with()
            .hour((down / 60) as i8)
            .minute((down % 60) as i8)
            .second(0)
            .subsec_nanosecond(0)
            .build()
            .ok()
    } else {
        z.start_of_day().ok()
    };
    let Some(mut tick) = floor else {
        return Vec::new();
    };
    let add: Span = if step < 86_400 {
        step.seconds()
    } else {
        (step / 86_400).days()
    };
    let mut out = Vec::new();
    let mut first = true;
    while tick.timestamp().as_second() <= scale.t1 && out.len() < 40 {
        let t = tick.timestamp();
        if t.as_second() >= scale.t0 {
            let f = if first && step < 6 * 3600 {
                "%d %b %H:%M"
            } else {
                fmt
            };
            out.push((t, tick.strftime(f).to_string()));
            first = false;
        }
        match tick.checked_add(add) {
            Ok(next) => tick = next,
            Err(_) => break,
        }
    }
    out
}

/// Roughly how wide a text of 11 px system font is.
fn text_px(s: &str) -> f64 {
    s.chars().count() as f64 * 6.3
}

/// Cuts a text to about `px` wide.
fn fit_px(s: &str, px: f64) -> String {
    crate::sanitize::fit(s, (px / 6.3).max(1.0) as usize)
}

/// A milestone label, on the side of its flag where it fits.
enum Label {
    Right(String),
    Left(String),
}

/// Milestone labels laid out in up to four rows so they do not overlap: each goes in the
/// first row with room, cut to the room there is.
fn milestone_labels<'a>(
    milestones: &'a [MilestoneRow],
    scale: &Scale,
) -> Vec<(&'a MilestoneRow, usize, Label)> {
    const ROWS: usize = 4;
    let mut ends = [f64::MIN; ROWS];
    let mut out = Vec::new();
    let mut sorted: Vec<&MilestoneRow> = milestones.iter().collect();
    sorted.sort_by_key(|m| m.at);
    for m in sorted {
        let x = scale.x(m.at);
        let name = one_line(&m.name);
        let row = (0..ROWS).find(|&r| ends[r] < x - 6.0).unwrap_or_else(|| {
            (0..ROWS)
                .min_by(|&a, &b| ends[a].total_cmp(&ends[b]))
                .unwrap_or(0)
        });
        let room_right = (WIDTH - x - 10.0).min(200.0);
        let label = if room_right >= 80.0 {
            let text = fit_px(&name, room_right);
            ends[row] = x + 7.0 + text_px(&text);
            Label::Right(text)
        } else {
            ends[row] = x;
            Label::Left(fit_px(&name, 200.0))
        };
        out.push((m, row, label));
    }
    out
}

/// The audiences drawn: those in play, and any other that was told something.
fn lanes(r: &Report) -> Vec<&Audience> {
    r.audiences.iter().filter(|a| a.in_play || a.told).collect()
}

/// The timeline picture.
pub fn timeline(r: &Report, times: &Times) -> Markup {
    let i = &r.incident;
    let lanes = lanes(r);
    let mut t0 = i.detected_at.as_second();
    let mut t1 = i.as_of.as_second();
    for a in &lanes {
        for m in &a.messages {
            t0 = t0.min(m.sent_at.as_second());
            t1 = t1.max(m.sent_at.as_second());
        }
    }
    for m in &i.milestones {
        t0 = t0.min(m.at.as_second());
    }
    if t1 - t0 < 3600 {
        t1 = t0 + 3600;
    }
    // A little room on the right so a mark at the end is not cut.
    let scale = Scale { t0, t1 };
    let height = LANES_Y + LANE * lanes.len() as f64 + LEGEND;
    let ticks = ticks(&scale, times);
    let severities = &i.severity_history;
    html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {WIDTH} {}", n(height)))
            role="img" aria-labelledby="tl-title" font-family="system-ui, sans-serif" font-size="11" {
            title id="tl-title" { (format!("Timeline of {}: messages sent and deadlines per audience, in {}", one_line(&i.title), times.zone())) }
            // Lane backgrounds first, so grid lines and milestones show through.
            @for k in (1..lanes.len()).step_by(2) {
                rect x="0" y=(n(LANES_Y + LANE * k as f64)) width=(WIDTH) height=(LANE) fill="#f5f5f5" {}
            }
            // Axis and grid.
            @for (t, label) in &ticks {
                line x1=(n(scale.x(*t))) x2=(n(scale.x(*t))) y1=(n(AXIS_Y + 4.0)) y2=(n(height - LEGEND)) stroke="#e0e0e0" stroke-width="1" {}
                // The last label would run off the right edge if centred.
                text x=(n(scale.x(*t))) y=(n(AXIS_Y)) text-anchor=(if scale.x(*t) > WIDTH - RIGHT - 35.0 { "end" } else { "middle" }) fill="#444" { (label) }
            }
            // Severity strip.
            text x="8" y=(n(SEVERITY_Y + 13.0)) fill="#222" font-weight="bold" { "Severity" }
            @for (k, s) in severities.iter().enumerate() {
                @let x0 = scale.x(s.at);
                @let x1 = severities.get(k + 1).map_or(WIDTH - RIGHT, |next| scale.x(next.at));
                rect x=(n(x0)) y=(n(SEVERITY_Y)) width=(n((x1 - x0).max(1.0))) height="18"
                    fill=(if k % 2 == 0 { "#ececec" } else { "#d6d6d6" }) stroke="#888" stroke-width="0.5" {
                    title { (format!("{}: severity {} ({})", times.at(s.at), one_line(&s.name), one_line(&s.by))) }
                }
                @if x1 - x0 > 30.0 {
                    text x=(n(x0 + 4.0)) y=(n(SEVERITY_Y + 13.0)) fill="#111" { (fit_px(&one_line(&s.name), x1 - x0 - 8.0)) }
                }
            }
            // Milestones: a flag on top, a dashed line down through the lanes.
            text x="8" y=(n(MILESTONE_Y + 12.0)) fill="#222" font-weight="bold" { "Milestones" }
            @for (m, row, label) in milestone_labels(&i.milestones, &scale) {
                @let x = scale.x(m.at);
                @let y = MILESTONE_Y + row as f64 * 14.0;
                line x1=(n(x)) x2=(n(x)) y1=(n(y + 8.0)) y2=(n(height - LEGEND)) stroke="#555" stroke-width="1" stroke-dasharray="3 3" {}
                polygon points=(format!("{},{} {},{} {},{}", n(x - 5.0), n(y), n(x + 5.0), n(y), n(x), n(y + 8.0))) fill="#333" {
                    title { (format!("{}: {}", times.at(m.at), one_line(&m.name))) }
                }
                @match label {
                    Label::Right(text) => text x=(n(x + 7.0)) y=(n(y + 8.0)) fill="#222" { (text) },
                    Label::Left(text) => text x=(n(x - 7.0)) y=(n(y + 8.0)) fill="#222" text-anchor="end" { (text) },
                }
            }
            // One lane per audience.
            @for (k, a) in lanes.iter().enumerate() {
                @let y = LANES_Y + LANE * k as f64 + LANE / 2.0;
                text x="8" y=(n(y + 4.0)) fill="#111" {
                    title { (one_line(&a.name)) }
                    (crate::sanitize::fit(&one_line(&a.name), 26))
                }
                line x1=(LEFT) x2=(n(WIDTH - RIGHT)) y1=(n(y)) y2=(n(y)) stroke="#999" stroke-width="1" {}
                @for d in &a.deadlines {
                    @if let Some(due) = d.due {
                        @let (colour, word) = style(d.state);
                        @let x = scale.x(due);
                        @if let (ReportDeadlineState::Late, Some(met)) = (d.state, d.met_at) {
                            line x1=(n(x)) x2=(n(scale.x(met))) y1=(n(y)) y2=(n(y)) stroke=(colour) stroke-width="3" stroke-dasharray="4 2" {}
                        }
                        g {
                            title { (format!("{} — {}: due {}{}", one_line(&d.label), d.state.as_str(), times.at(due),
                                d.met_at.map(|m| format!(", met {}", times.at(m))).unwrap_or_default())) }
                            (marker(d.state, x, y))
                            text x=(n(x)) y=(n(y + 17.0)) text-anchor="middle" fill=(colour) font-size="9" font-weight="bold" {
                                (if scale.beyond(due) { format!("{word} →") } else { word.to_owned() })
                            }
                        }
                    }
                }
                @for m in &a.messages {
                    @let x = scale.x(m.sent_at);
                    g {
                        title { (format!("Sent {}{}: {}", times.at(m.sent_at),
                            if m.override_reason.is_some() { " WITHOUT EVERY APPROVAL" } else { "" },
                            crate::sanitize::fit(&one_line(&m.text), 160))) }
                        @if m.override_reason.is_some() {
                            rect x=(n(x - 5.0)) y=(n(y - 5.0)) width="10" height="10" fill="#111" {}
                        } @else {
                            circle cx=(n(x)) cy=(n(y)) r="5" fill="#111" {}
                        }
                    }
                }
            }
            // Legend.
            @let ly = height - LEGEND / 2.0;
            g font-size="10" {
                circle cx="20" cy=(n(ly)) r="5" fill="#111" {}
                text x="30" y=(n(ly + 4.0)) { "message sent" }
                rect x="115" y=(n(ly - 5.0)) width="10" height="10" fill="#111" {}
                text x="130" y=(n(ly + 4.0)) { "sent with an override" }
                @for (k, s) in [ReportDeadlineState::Met, ReportDeadlineState::Late, ReportDeadlineState::Missed, ReportDeadlineState::Running].into_iter().enumerate() {
                    @let x = 280.0 + 150.0 * k as f64;
                    (marker(s, x, ly))
                    text x=(n(x + 12.0)) y=(n(ly + 4.0)) { (format!("deadline {}", view::deadline_legend(s))) }
                }
            }
        }
    }
}
