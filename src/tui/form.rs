//! Small forms: quick entry, approvals, sending, answers, new incidents, the command line and
//! search all share this one implementation of fields, focus and keys.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

/// One field's input.
#[derive(Debug, Clone)]
pub enum Input {
    /// A one-line text.
    Line(TextArea<'static>),
    /// Several lines (Enter makes a new line; Ctrl-s saves).
    Multi(TextArea<'static>),
    /// One of a list: (value, label).
    Choice {
        options: Vec<(String, String)>,
        selected: usize,
    },
}

/// A labelled field.
#[derive(Debug, Clone)]
pub struct Field {
    pub label: &'static str,
    pub input: Input,
    /// Shown under the field when it has focus.
    pub hint: &'static str,
}

impl Field {
    /// A one-line text field with an initial value.
    pub fn line(label: &'static str, value: &str, hint: &'static str) -> Field {
        let mut t = TextArea::new(vec![value.to_owned()]);
        t.move_cursor(ratatui_textarea::CursorMove::End);
        Field {
            label,
            input: Input::Line(t),
            hint,
        }
    }

    /// A multi-line text field.
    pub fn multi(label: &'static str, value: &str, hint: &'static str) -> Field {
        let lines: Vec<String> = value.split('\n').map(str::to_owned).collect();
        let mut t = TextArea::new(lines);
        // Unfilled blanks stand out (reversed, so also without colour).
        let _ = t.set_search_pattern(r"\{\{ *fill:[^}]*\}\}");
        t.set_search_style(
            ratatui::style::Style::new()
                .add_modifier(ratatui::style::Modifier::REVERSED | ratatui::style::Modifier::BOLD),
        );
        // A paragraph is one line of text: wrap it on screen, or most of it is out of view.
        t.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        // Start at the first blank to fill, or at the top: a template is read from its start.
        let first_blank = value.split('\n').enumerate().find_map(|(row, line)| {
            crate::playbook::placeholder::blanks(line)
                .first()
                .map(|(_, r)| (row, line[..r.start].chars().count()))
        });
        match first_blank {
            Some((row, col)) => {
                t.move_cursor(ratatui_textarea::CursorMove::Jump(row as u16, col as u16))
            }
            None => t.move_cursor(ratatui_textarea::CursorMove::Top),
        }
        Field {
            label,
            input: Input::Multi(t),
            hint,
        }
    }

    /// A choice among options (value, label).
    pub fn choice(
        label: &'static str,
        options: Vec<(String, String)>,
        hint: &'static str,
    ) -> Field {
        Field {
            label,
            input: Input::Choice {
                options,
                selected: 0,
            },
            hint,
        }
    }

    /// The field's value: the text, or the chosen option's value.
    pub fn value(&self) -> String {
        match &self.input {
            Input::Line(t) | Input::Multi(t) => t.lines().join("\n"),
            Input::Choice { options, selected } => options
                .get(*selected)
                .map(|(v, _)| v.clone())
                .unwrap_or_default(),
        }
    }
}

/// What a key did to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormResult {
    Continue,
    Submit,
    Cancel,
}

/// A form: a title, fields, which one has focus, and the last refusal.
#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    /// Enter in a one-line field saves the form from any field, not only the last (quick
    /// entry: the text, then Enter; later fields are optional).
    pub enter_saves: bool,
}

impl Form {
    /// A form with focus on its first field.
    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Form {
        Form {
            title: title.into(),
            fields,
            focus: 0,
            error: None,
            enter_saves: false,
        }
    }

    /// The value of the field with this label.
    pub fn get(&self, label: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .map(Field::value)
            .unwrap_or_default()
    }

    /// Handles a key.
    pub fn key(&mut self, ev: &KeyEvent) -> FormResult {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match ev.code {
            KeyCode::Esc => return FormResult::Cancel,
            KeyCode::Char('s') if ctrl => return FormResult::Submit,
            KeyCode::Tab => {
                self.focus = (self.focus + 1) % self.fields.len().max(1);
                return FormResult::Continue;
            }
            KeyCode::BackTab => {
                self.focus = (self.focus + self.fields.len().max(1) - 1) % self.fields.len().max(1);
                return FormResult::Continue;
            }
            _ => {}
        }
        let last = self.focus + 1 == self.fields.len() || self.enter_saves;
        let Some(field) = self.fields.get_mut(self.focus) else {
            return FormResult::Continue;
        };
        match &mut field.input {
            Input::Line(t) => {
                if ev.code == KeyCode::Enter {
                    if last {
                        return FormResult::Submit;
                    }
                    self.focus += 1;
                } else if !(ctrl && matches!(ev.code, KeyCode::Char('m' | 'j'))) {
                    t.input(*ev);
                }
            }
            Input::Multi(t) => {
                // Select all, so typing replaces a whole template text.
                if ctrl && ev.code == KeyCode::Char('a') {
                    t.select_all();
                } else {
                    t.input(*ev);
                }
            }
            Input::Choice { options, selected } => match ev.code {
                KeyCode::Up | KeyCode::Char('k') => *selected = selected.saturating_sub(1),
                KeyCode::Down | KeyCode::Char('j') => {
                    *selected = (*selected + 1).min(options.len().saturating_sub(1));
                }
                KeyCode::Enter => {
                    if last {
                        return FormResult::Submit;
                    }
                    self.focus += 1;
                }
                _ => {}
            },
        }
        FormResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn typing_tab_and_enter() {
        let mut f = Form::new(
            "t",
            vec![
                Field::line("What", "", ""),
                Field::choice(
                    "Which",
                    vec![("a".into(), "A".into()), ("b".into(), "B".into())],
                    "",
                ),
            ],
        );
        for c in "hi".chars() {
            assert_eq!(f.key(&key(KeyCode::Char(c))), FormResult::Continue);
        }
        assert_eq!(f.key(&key(KeyCode::Enter)), FormResult::Continue);
        assert_eq!(f.focus, 1);
        f.key(&key(KeyCode::Down));
        assert_eq!(f.get("What"), "hi");
        assert_eq!(f.get("Which"), "b");
        assert_eq!(f.key(&key(KeyCode::Enter)), FormResult::Submit);
        assert_eq!(f.key(&key(KeyCode::Esc)), FormResult::Cancel);
    }
}
