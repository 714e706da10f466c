//! The one table of keys: it dispatches key presses, draws the key bar and writes the help
//! overlay, so the help can never disagree with what a key does.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where the user is; decides which bindings apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Start,
    Incident,
    Timeline,
    Playbook,
    Messages,
    Checklist,
    Media,
    /// The detail window of one row (an entry, a message, an audience…).
    Detail,
    /// The facilitator's Exercise view: the MSEL, the scenario clock, ratings.
    Exercise,
}

/// What a key does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    Close,
    View(usize),
    NextView,
    PrevView,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Search,
    Command,
    Quick(QuickKind),
    Compose,
    Approve,
    Send,
    Edit,
    ExternalEditor,
    Done,
    Answer,
    Filter,
    Open,
    NewIncident,
    NewExercise,
    ViewPlaybook,
    Refresh,
    /// Show what each audience was told (the check's "told whom").
    ToldWhom,
    /// Acknowledge a finding of the check with a reason.
    Acknowledge,
    /// The full detail of the selected row.
    Detail,
    /// Correct the selected entry's text or time.
    Amend,
    /// Withdraw the selected entry, with a reason.
    Retract,
    /// The list of notices.
    Notices,
    /// Write the report (report.html and report.md) into the incident folder.
    Report,
    /// Exercise: show the incoming inject in full (it stops ringing).
    TakeInject,
    /// Exercise (facilitator): start, pause or resume the scenario clock.
    ExerciseClock,
    /// Exercise (facilitator): run the scenario clock faster / slower.
    Faster,
    Slower,
    /// Exercise (facilitator): jump to the next pending inject's time / by a duration.
    JumpNext,
    JumpBy,
    /// Exercise (facilitator): deliver the selected inject now.
    DeliverNow,
    /// Exercise (facilitator): take the selected inject out of play.
    SkipInject,
    /// Exercise (facilitator): rate what players did for the selected inject.
    RateInject,
    /// Exercise (facilitator): write an inject on the spot and deliver it.
    Improvise,
}

/// The one-key entries of quick entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuickKind {
    Note,
    Decision,
    Fact,
    Milestone,
    Severity,
    Inquiry,
    Action,
    Lesson,
}

impl QuickKind {
    /// What the form is called.
    pub fn title(self) -> &'static str {
        match self {
            QuickKind::Note => "Note",
            QuickKind::Decision => "Decision",
            QuickKind::Fact => "Fact",
            QuickKind::Milestone => "Milestone reached",
            QuickKind::Severity => "Change severity",
            QuickKind::Inquiry => "Media inquiry",
            QuickKind::Action => "Action",
            QuickKind::Lesson => "Lesson",
        }
    }
}

/// A key as written in help ("q", "Ctrl-s", "Enter").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn ch(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

impl Key {
    /// Whether a key press is this key.
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match (self.code, ev.code) {
            // Shifted letters arrive as upper-case chars; Shift itself is not part of the key.
            (KeyCode::Char(a), KeyCode::Char(b)) => a == b && ctrl == self.ctrl,
            (a, b) => a == b && ctrl == self.ctrl,
        }
    }

    /// How the key is written for people.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }
}

/// One binding: keys, what they do, where, and how help describes it.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    /// Short word for the key bar; empty keeps the binding out of the bar.
    pub bar: &'static str,
    /// One line for the help overlay.
    pub help: &'static str,
    pub contexts: &'static [Context],
}

use Context as C;

const EVERYWHERE: &[Context] = &[
    C::Start,
    C::Incident,
    C::Timeline,
    C::Playbook,
    C::Messages,
    C::Checklist,
    C::Media,
    C::Exercise,
];
const INCIDENT: &[Context] = &[
    C::Incident,
    C::Timeline,
    C::Playbook,
    C::Messages,
    C::Checklist,
    C::Media,
    C::Exercise,
];
const LISTS: &[Context] = &[
    C::Start,
    C::Incident,
    C::Timeline,
    C::Playbook,
    C::Messages,
    C::Checklist,
    C::Media,
    C::Detail,
    C::Exercise,
];
const EXERCISE: &[Context] = &[C::Exercise];

/// Every key of the console, in the order help lists them.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[ch('?')],
        action: Action::Help,
        bar: "help",
        help: "show every key of this screen",
        contexts: EVERYWHERE,
    },
    Binding {
        keys: &[ch('q')],
        action: Action::Quit,
        bar: "quit",
        help: "quit (everything is already saved)",
        contexts: EVERYWHERE,
    },
    Binding {
        keys: &[code(KeyCode::Esc)],
        action: Action::Close,
        bar: "",
        help: "close the open window; on an incident, back to the start screen",
        contexts: LISTS,
    },
    Binding {
        keys: &[ch('q')],
        action: Action::Close,
        bar: "close",
        help: "close the window",
        contexts: &[C::Detail],
    },
    Binding {
        keys: &[code(KeyCode::Enter)],
        action: Action::Detail,
        bar: "detail",
        help: "the selected row in full: text, id, who, times, what refers to it",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('E')],
        action: Action::Amend,
        bar: "amend",
        help: "amend the selected entry (a new text or time; the original stays on record)",
        contexts: &[C::Timeline, C::Detail],
    },
    Binding {
        keys: &[ch('R')],
        action: Action::Retract,
        bar: "retract",
        help: "retract the selected entry, with a reason (it stays on record, struck out)",
        contexts: &[C::Timeline, C::Detail],
    },
    Binding {
        keys: &[ch('W')],
        action: Action::Report,
        bar: "",
        help: "write report.html and report.md into the incident folder",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('!')],
        action: Action::Notices,
        bar: "",
        help: "the notices of this session (inbox items taken in or rejected, saves…)",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('1')],
        action: Action::View(0),
        bar: "",
        help: "Board: every audience, deadlines, approvals",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('2')],
        action: Action::View(1),
        bar: "",
        help: "Timeline: every entry from every console",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('3')],
        action: Action::View(2),
        bar: "",
        help: "Messages: drafts, approvals, sent",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('4')],
        action: Action::View(3),
        bar: "",
        help: "Media desk: inquiries and mentions",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('5')],
        action: Action::View(4),
        bar: "",
        help: "Checklist and actions",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('6')],
        action: Action::View(5),
        bar: "",
        help: "Playbook: key messages, Q&A, roles, templates",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('7')],
        action: Action::View(6),
        bar: "",
        help: "Exercise (the facilitator's console): the MSEL, the scenario clock, ratings",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[code(KeyCode::Tab)],
        action: Action::NextView,
        bar: "view",
        help: "next view",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[code(KeyCode::BackTab)],
        action: Action::PrevView,
        bar: "",
        help: "previous view",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('n')],
        action: Action::Quick(QuickKind::Note),
        bar: "note",
        help: "new note",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('d')],
        action: Action::Quick(QuickKind::Decision),
        bar: "",
        help: "new decision",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('f')],
        action: Action::Quick(QuickKind::Fact),
        bar: "",
        help: "new fact (confirmed or not)",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('m')],
        action: Action::Quick(QuickKind::Milestone),
        bar: "",
        help: "mark a milestone (starts its clocks)",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('s')],
        action: Action::Quick(QuickKind::Severity),
        bar: "",
        help: "change the severity",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('i')],
        action: Action::Quick(QuickKind::Inquiry),
        bar: "",
        help: "log a media inquiry",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('a')],
        action: Action::Quick(QuickKind::Action),
        bar: "",
        help: "add an action",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('l')],
        action: Action::Quick(QuickKind::Lesson),
        bar: "",
        help: "record a lesson",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('c')],
        action: Action::Compose,
        bar: "compose",
        help: "compose a message to an audience",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('A')],
        action: Action::Approve,
        bar: "approve",
        help: "approve the selected message as a role",
        contexts: &[C::Messages],
    },
    Binding {
        keys: &[ch('S')],
        action: Action::Send,
        bar: "sent",
        help: "mark the selected message sent",
        contexts: &[C::Messages],
    },
    Binding {
        keys: &[ch('E')],
        action: Action::Edit,
        bar: "edit",
        help: "edit the selected draft",
        contexts: &[C::Messages],
    },
    Binding {
        keys: &[ch('e')],
        action: Action::ExternalEditor,
        bar: "",
        help: "edit the selected draft in $EDITOR",
        contexts: &[C::Messages],
    },
    Binding {
        keys: &[ch('w')],
        action: Action::ToldWhom,
        bar: "",
        help: "told whom: the figures each audience heard (again: the message)",
        contexts: &[C::Messages],
    },
    Binding {
        keys: &[ch('K')],
        action: Action::Acknowledge,
        bar: "",
        help: "acknowledge a finding of the check, with a reason",
        contexts: &[C::Messages],
    },
    Binding {
        keys: &[ch('x')],
        action: Action::Done,
        bar: "done",
        help: "tick the selected item or action done; on a ticked item, untick it (recorded)",
        contexts: &[C::Checklist],
    },
    Binding {
        keys: &[ch('r')],
        action: Action::Answer,
        bar: "answer",
        help: "record the answer to the selected inquiry",
        contexts: &[C::Media],
    },
    Binding {
        keys: &[ch('k')],
        action: Action::Filter,
        bar: "kind",
        help: "filter the timeline by kind",
        contexts: &[C::Timeline],
    },
    Binding {
        keys: &[ch('/')],
        action: Action::Search,
        bar: "search",
        help: "search",
        contexts: &[C::Timeline, C::Playbook, C::Start],
    },
    Binding {
        keys: &[ch(':')],
        action: Action::Command,
        bar: "cmd",
        help: "command line: the kinds of `crisisdesk log` (e.g. :note Reporter called)",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch('o')],
        action: Action::TakeInject,
        bar: "",
        help: "exercise: show the incoming inject in full (it stops ringing)",
        contexts: INCIDENT,
    },
    Binding {
        keys: &[ch(' ')],
        action: Action::ExerciseClock,
        bar: "clock",
        help: "start the exercise (players briefed), pause it, or resume it",
        contexts: EXERCISE,
    },
    Binding {
        keys: &[ch('+')],
        action: Action::Faster,
        bar: "faster",
        help: "run the scenario clock faster (×1 ×2 ×5 ×10 ×20 ×30 ×60 ×120)",
        contexts: EXERCISE,
    },
    Binding {
        keys: &[ch('-')],
        action: Action::Slower,
        bar: "",
        help: "run the scenario clock slower",
        contexts: EXERCISE,
    },
    Binding {
        keys: &[ch('J')],
        action: Action::JumpNext,
        bar: "next",
        help: "jump the scenario clock to the next pending inject",
        contexts: EXERCISE,
    },
    Binding {
        keys: &[ch('T')],
        action: Action::JumpBy,
        bar: "",
        help: "jump the scenario clock forward by a duration (30m, 2h, 1bd)",
        contexts: EXERCISE,
    },
    Binding {
        keys: &[ch('D')],
        action: Action::DeliverNow,
        bar: "deliver",
        help: "deliver the selected inject now (early if it is not due yet)",
        contexts: EXERCISE,
    },
    Binding {
        keys: &[ch('X')],
        action: Action::SkipInject,
        bar: "skip",
        help: "skip the selected inject (it is never delivered; recorded with a reason)",
        contexts: EXERCISE,
    },
    Binding {
        keys: &[ch('r')],
        action: Action::RateInject,
        bar: "rate",
        help: "rate an expected action of the selected inject: P, S, M or U, with a note",
        contexts: EXERCISE,
    },
    Binding {
        keys: &[ch('I')],
        action: Action::Improvise,
        bar: "improvise",
        help: "write an inject on the spot and deliver it now",
        contexts: EXERCISE,
    },
    Binding {
        keys: &[code(KeyCode::Up)],
        action: Action::Up,
        bar: "",
        help: "move up",
        contexts: LISTS,
    },
    Binding {
        keys: &[code(KeyCode::Down)],
        action: Action::Down,
        bar: "",
        help: "move down",
        contexts: LISTS,
    },
    Binding {
        keys: &[code(KeyCode::PageUp)],
        action: Action::PageUp,
        bar: "",
        help: "page up",
        contexts: LISTS,
    },
    Binding {
        keys: &[code(KeyCode::PageDown)],
        action: Action::PageDown,
        bar: "",
        help: "page down",
        contexts: LISTS,
    },
    Binding {
        keys: &[code(KeyCode::Home)],
        action: Action::Top,
        bar: "",
        help: "to the top",
        contexts: LISTS,
    },
    Binding {
        keys: &[code(KeyCode::End)],
        action: Action::Bottom,
        bar: "",
        help: "to the end",
        contexts: LISTS,
    },
    Binding {
        keys: &[code(KeyCode::Enter)],
        action: Action::Open,
        bar: "open",
        help: "open the selected incident, or start one from the selected playbook",
        contexts: &[C::Start],
    },
    Binding {
        keys: &[ch('N')],
        action: Action::NewIncident,
        bar: "new",
        help: "start a new incident",
        contexts: &[C::Start],
    },
    Binding {
        keys: &[ch('X')],
        action: Action::NewExercise,
        bar: "exercise",
        help: "start a tabletop exercise (marked EXERCISE everywhere)",
        contexts: &[C::Start],
    },
    Binding {
        keys: &[ch('p')],
        action: Action::ViewPlaybook,
        bar: "playbook",
        help: "view the selected playbook",
        contexts: &[C::Start],
    },
    Binding {
        keys: &[ch('R')],
        action: Action::Refresh,
        bar: "",
        help: "re-read playbooks and incidents",
        contexts: &[C::Start],
    },
];

/// The action a key press has in a context.
pub fn action_for(ctx: Context, ev: &KeyEvent) -> Option<Action> {
    BINDINGS
        .iter()
        .filter(|b| b.contexts.contains(&ctx))
        .find(|b| b.keys.iter().any(|k| k.matches(ev)))
        .map(|b| b.action)
}

/// The bindings of a context.
pub fn bindings(ctx: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.contexts.contains(&ctx))
}

impl Action {
    /// Keys that only mean something in an exercise (help leaves them out elsewhere).
    pub fn exercise_only(self) -> bool {
        matches!(self, Action::View(6) | Action::TakeInject)
    }
}

/// The bindings help and the key bar show: those of the context, the exercise's own only in
/// an exercise.
pub fn shown(ctx: Context, exercise: bool) -> impl Iterator<Item = &'static Binding> {
    bindings(ctx).filter(move |b| exercise || !b.action.exercise_only())
}

/// Keys of the form windows (help lists them with the window).
pub const FORM_KEYS: &[(&str, &str)] = &[
    ("Enter", "save (in a one-line field) / next field"),
    ("Ctrl-s", "save the form"),
    (
        "Tab / Shift-Tab",
        "next / previous blank (typing replaces it), then field",
    ),
    ("↑ ↓", "choose in a list"),
    ("Ctrl-a", "select all of a text (what you type replaces it)"),
    ("Esc", "cancel (typed text: y discards, Esc keeps it)"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn press(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for ctx in LISTS {
            let keys: Vec<String> = bindings(*ctx)
                .flat_map(|b| b.keys.iter().map(|k| k.label()))
                .collect();
            let mut sorted = keys.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), keys.len(), "{ctx:?}: {keys:?}");
        }
    }

    #[test]
    fn fixed_keys_do_what_the_brief_says() {
        assert_eq!(
            action_for(Context::Incident, &press('?')),
            Some(Action::Help)
        );
        assert_eq!(
            action_for(Context::Timeline, &press('q')),
            Some(Action::Quit)
        );
        assert_eq!(
            action_for(Context::Media, &press('n')),
            Some(Action::Quick(QuickKind::Note))
        );
        assert_eq!(
            action_for(Context::Incident, &press('6')),
            Some(Action::View(5))
        );
        assert_eq!(
            action_for(Context::Timeline, &press('/')),
            Some(Action::Search)
        );
        assert_eq!(
            action_for(Context::Checklist, &press(':')),
            Some(Action::Command)
        );
        assert_eq!(action_for(Context::Start, &press('n')), None);
        let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(action_for(Context::Playbook, &esc), Some(Action::Close));
    }
}
