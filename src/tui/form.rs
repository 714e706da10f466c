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
    /// The text it was given (a template, a default): what the person typed is the
    /// difference.
    pub baseline: String,
    /// Options of a choice that are shown but cannot be chosen (a milestone already reached).
    pub disabled: Vec<bool>,
    /// What was typed in a choice: only the options containing it are shown.
    pub filter: String,
}

impl Field {
    /// A one-line text field with an initial value.
    pub fn line(label: &'static str, value: &str, hint: &'static str) -> Field {
        let mut t = TextArea::new(vec![value.to_owned()]);
        t.move_cursor(ratatui_textarea::CursorMove::End);
        t.set_selection_style(
            ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::REVERSED),
        );
        Field {
            label,
            input: Input::Line(t),
            hint,
            baseline: value.to_owned(),
            disabled: Vec::new(),
            filter: String::new(),
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
        // Start on the first blank to fill, selected so typing replaces it; or at the top: a
        // template is read from its start.
        t.set_selection_style(ratatui::style::Style::new().add_modifier(
            ratatui::style::Modifier::REVERSED | ratatui::style::Modifier::UNDERLINED,
        ));
        t.move_cursor(ratatui_textarea::CursorMove::Top);
        select_blank(&mut t, true);
        Field {
            label,
            input: Input::Multi(t),
            hint,
            baseline: value.to_owned(),
            disabled: Vec::new(),
            filter: String::new(),
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
            baseline: String::new(),
            disabled: Vec::new(),
            filter: String::new(),
        }
    }

    /// Whether the person typed in it (a text that differs from what it was given).
    pub fn typed(&self) -> bool {
        match &self.input {
            Input::Line(_) | Input::Multi(_) => self.value() != self.baseline,
            Input::Choice { .. } => false,
        }
    }

    /// Whether option `i` of a choice is shown (it matches what was typed).
    pub fn shown(&self, i: usize) -> bool {
        let Input::Choice { options, .. } = &self.input else {
            return true;
        };
        let q = self.filter.to_lowercase();
        q.is_empty()
            || options.get(i).is_some_and(|(v, l)| {
                l.to_lowercase().contains(&q) || v.to_lowercase().contains(&q)
            })
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

/// The `{{fill:…}}` blanks of a text as (row, first char, char after the last).
fn blank_spans(t: &TextArea<'_>) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for (row, line) in t.lines().iter().enumerate() {
        for (_, r) in crate::playbook::placeholder::blanks(line) {
            let start = line[..r.start].chars().count();
            let end = start + line[r.clone()].chars().count();
            out.push((row, start, end));
        }
    }
    out
}

/// Selects the next blank after the cursor (or the selection), or the previous one before
/// it, so that what is typed replaces it. False when there is none that way.
fn select_blank(t: &mut TextArea<'_>, forward: bool) -> bool {
    let cursor = (t.cursor().0, t.cursor().1);
    let (from, to) = t.selection_range().unwrap_or((cursor, cursor));
    let spans = blank_spans(t);
    let found = if forward {
        spans.into_iter().find(|&(r, s, _)| (r, s) >= to)
    } else {
        spans.into_iter().rev().find(|&(r, _, e)| (r, e) <= from)
    };
    let Some((row, start, end)) = found else {
        return false;
    };
    t.cancel_selection();
    t.move_cursor(ratatui_textarea::CursorMove::Jump(row as u16, start as u16));
    t.start_selection();
    t.move_cursor(ratatui_textarea::CursorMove::Jump(row as u16, end as u16));
    true
}

/// What a key did to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormResult {
    Continue,
    Submit,
    Cancel,
}

/// A question the form asks before going on; its answer is a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// Esc with typed text: `y` discards it, Esc keeps it for later, any other key goes back.
    Discard,
    /// The composer's template changed but the text was typed by the person: `y` replaces
    /// it with the new template's text, `n` keeps it.
    Replace { template: String },
}

impl Ask {
    /// The question in words, with its keys.
    pub fn question(&self) -> String {
        match self {
            Ask::Discard => "Unsaved text.  y discard it  ·  Esc keep it for later (same key brings it back)  ·  any other key: back to the form".into(),
            Ask::Replace { template } => format!(
                "Replace the text you typed with the template \"{template}\"?  y replace  ·  n keep my text"
            ),
        }
    }
}

/// A form: a title, fields, which one has focus, and the last refusal.
#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    /// A question waiting for its answer (keys go to it first).
    pub ask: Option<Ask>,
    /// What the current choice will do, shown under the fields (the clocks a milestone
    /// starts).
    pub note: Option<String>,
    /// Enter in a one-line field saves the form from any field, not only the last (quick
    /// entry: the text, then Enter; later fields are optional).
    pub enter_saves: bool,
    /// Enter in this field (or a later one) saves the form: the fields after it are optional.
    pub enter_saves_from: Option<&'static str>,
}

impl Form {
    /// A form with focus on its first field.
    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Form {
        Form {
            title: title.into(),
            fields,
            focus: 0,
            error: None,
            ask: None,
            note: None,
            enter_saves: false,
            enter_saves_from: None,
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

    /// Whether the person typed anything in it.
    pub fn typed(&self) -> bool {
        self.fields.iter().any(Field::typed)
    }

    /// The field with this label.
    pub fn field_mut(&mut self, label: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.label == label)
    }

    /// Whether Enter in the focused field saves the form (as [`Form::key`] decides).
    fn enter_saves_here(&self) -> bool {
        let from = self
            .enter_saves_from
            .and_then(|l| self.fields.iter().position(|f| f.label == l));
        self.focus + 1 == self.fields.len()
            || self.enter_saves
            || from.is_some_and(|i| self.focus >= i)
    }

    /// The keys line under the fields: what Enter and Tab do in the focused field (a new line
    /// in a text, saving in the last field), so it never promises what the key does not do.
    pub fn keys_hint(&self) -> &'static str {
        match self.fields.get(self.focus).map(|f| &f.input) {
            Some(Input::Multi(_)) => {
                "Enter new line · Tab next blank or field · Ctrl-s save · Esc cancel"
            }
            _ if self.enter_saves_here() => "Enter save · Tab next field · Esc cancel",
            _ => "Enter/Tab next field · Ctrl-s save · Esc cancel",
        }
    }

    /// Handles a key.
    pub fn key(&mut self, ev: &KeyEvent) -> FormResult {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match ev.code {
            KeyCode::Esc => return FormResult::Cancel,
            KeyCode::Char('s') if ctrl => return FormResult::Submit,
            KeyCode::Tab | KeyCode::BackTab => {
                let forward = ev.code == KeyCode::Tab;
                // In a text with blanks, Tab and Shift-Tab go from blank to blank first.
                if let Some(Field {
                    input: Input::Multi(t),
                    ..
                }) = self.fields.get_mut(self.focus)
                    && select_blank(t, forward)
                {
                    return FormResult::Continue;
                }
                let n = self.fields.len().max(1);
                self.focus = if forward {
                    (self.focus + 1) % n
                } else {
                    (self.focus + n - 1) % n
                };
                // Arriving in a text: its first (or last) blank is selected.
                if let Some(Field {
                    input: Input::Multi(t),
                    ..
                }) = self.fields.get_mut(self.focus)
                    && t.selection_range().is_none()
                {
                    if forward {
                        t.move_cursor(ratatui_textarea::CursorMove::Top);
                    } else {
                        t.move_cursor(ratatui_textarea::CursorMove::Bottom);
                        t.move_cursor(ratatui_textarea::CursorMove::End);
                    }
                    select_blank(t, forward);
                }
                return FormResult::Continue;
            }
            _ => {}
        }
        let last = self.enter_saves_here();
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
                } else if ctrl && ev.code == KeyCode::Char('a') {
                    // Select all, as in a text: what is typed next replaces it.
                    t.select_all();
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
            Input::Choice { options, selected } => {
                let n = options.len();
                let filter = &mut field.filter;
                let disabled = &field.disabled;
                let q = |filter: &str, i: usize| {
                    let q = filter.to_lowercase();
                    q.is_empty()
                        || options.get(i).is_some_and(|(v, l)| {
                            l.to_lowercase().contains(&q) || v.to_lowercase().contains(&q)
                        })
                };
                let ok = |filter: &str, i: usize| {
                    q(filter, i) && !disabled.get(i).copied().unwrap_or(false)
                };
                match ev.code {
                    // Past options that cannot be chosen or do not match, to the next that can.
                    KeyCode::Up => {
                        if let Some(i) = (0..*selected).rev().find(|&i| ok(filter, i)) {
                            *selected = i;
                        }
                    }
                    KeyCode::Down => {
                        if let Some(i) = (*selected + 1..n).find(|&i| ok(filter, i)) {
                            *selected = i;
                        }
                    }
                    KeyCode::Enter => {
                        if last {
                            return FormResult::Submit;
                        }
                        self.focus += 1;
                    }
                    // Typing filters the list: an id or a name, whichever the person knows.
                    KeyCode::Char(c) if !ctrl => {
                        filter.push(c);
                        if let Some(i) = (0..n).find(|&i| ok(filter, i)) {
                            *selected = i;
                        }
                    }
                    KeyCode::Backspace => {
                        filter.pop();
                        if !ok(filter, *selected)
                            && let Some(i) = (0..n).find(|&i| ok(filter, i))
                        {
                            *selected = i;
                        }
                    }
                    _ => {}
                }
            }
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

    /// The keys line says what Enter does where the cursor is (found in the walkthrough: a
    /// one-field answer form said "Enter/Tab next field" and Enter saved; a text said it too
    /// and Enter made a new line).
    #[test]
    fn the_keys_line_says_what_enter_does_in_the_focused_field() {
        let mut f = Form::new(
            "t",
            vec![Field::line("What", "", ""), Field::multi("Text", "", "")],
        );
        assert_eq!(
            f.keys_hint(),
            "Enter/Tab next field · Ctrl-s save · Esc cancel"
        );
        assert_eq!(f.key(&key(KeyCode::Enter)), FormResult::Continue);
        assert!(
            f.keys_hint().starts_with("Enter new line"),
            "{}",
            f.keys_hint()
        );
        f.key(&key(KeyCode::Enter));
        assert_eq!(f.get("Text"), "\n", "Enter in a text is a new line");
        let mut one = Form::new("t", vec![Field::line("Answer", "", "")]);
        assert!(one.keys_hint().starts_with("Enter save"));
        one.key(&key(KeyCode::Char('x')));
        assert_eq!(one.key(&key(KeyCode::Enter)), FormResult::Submit);
    }
}
