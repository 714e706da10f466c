//! Styles and status symbols. Colour is never the only signal: every state also has a symbol
//! and a word, and with `NO_COLOR` set the console draws in the terminal's own colours.

use ratatui::style::{Color, Modifier, Style};

/// How the console draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

/// The state of an audience or item on screen, most urgent first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    Overdue,
    DueSoon,
    Pending,
    Waiting,
    Done,
    Idle,
}

impl Urgency {
    /// The symbol and the word shown with it.
    pub fn mark(self) -> (&'static str, &'static str) {
        match self {
            Urgency::Overdue => ("✖", "OVERDUE"),
            Urgency::DueSoon => ("▲", "due soon"),
            Urgency::Pending => ("●", "on track"),
            Urgency::Waiting => ("…", "waiting"),
            Urgency::Done => ("✔", "sent"),
            Urgency::Idle => ("·", "—"),
        }
    }
}

impl Theme {
    /// Colour unless `NO_COLOR` is set (to anything non-empty), per no-color.org.
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// Plain text.
    pub fn text(&self) -> Style {
        Style::new()
    }
    /// Less important text.
    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }
    /// Titles and headings.
    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    /// The selected row.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    /// Keys in the key bar and help.
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    /// Errors and refusals.
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    /// Good news (saved, met).
    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }
    /// An urgency's style; overdue is bold and reversed so it is the loudest thing on screen
    /// even without colour.
    pub fn urgency(&self, u: Urgency) -> Style {
        match u {
            Urgency::Overdue => self
                .fg(Color::Red)
                .add_modifier(Modifier::BOLD | Modifier::REVERSED),
            Urgency::DueSoon => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Urgency::Pending => self.fg(Color::Green),
            Urgency::Waiting => self.dim(),
            Urgency::Done => self.fg(Color::Blue),
            Urgency::Idle => self.dim(),
        }
    }
    /// A severity by its rank among the playbook's levels (0 = lowest).
    pub fn severity(&self, rank: usize, levels: usize) -> Style {
        let top = levels.saturating_sub(1).max(1);
        let c = match rank * 3 / top {
            0 => Color::Green,
            1 => Color::Yellow,
            2 => Color::LightRed,
            _ => Color::Red,
        };
        self.fg(c).add_modifier(Modifier::BOLD)
    }
    /// The EXERCISE banner.
    pub fn exercise(&self) -> Style {
        self.fg(Color::Magenta)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }
    /// Unfilled `{{fill:…}}` blanks in the editor.
    pub fn blank(&self) -> Style {
        self.fg(Color::Black)
            .bg(if self.color {
                Color::Yellow
            } else {
                Color::Reset
            })
            .add_modifier(Modifier::REVERSED)
    }
}
