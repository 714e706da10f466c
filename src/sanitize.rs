//! The one place untrusted text is made safe for a terminal.
//!
//! Playbooks, journal entries, inbox items and file names are written by other people and
//! other programs. Before any of it reaches a terminal it passes through here: control
//! characters (C0, C1, DEL — escape sequences start with them), bidi overrides and isolates
//! (which can make a line read differently from what it says), zero-width characters and BOMs
//! are removed; tabs become spaces; runs of combining marks are capped (so "zalgo" text cannot
//! smear over neighbouring rows); and fields are capped in length. Text in files is never
//! changed: this is for display only.

use std::borrow::Cow;

/// The longest one-line field shown, in characters.
pub const MAX_LINE_CHARS: usize = 2_000;
/// The longest multi-line text shown, in characters.
pub const MAX_TEXT_CHARS: usize = 100_000;
/// Combining marks kept after one base character.
const MAX_COMBINING: usize = 2;
const TAB_WIDTH: usize = 4;

/// One-line fields (titles, names, authors): newlines become spaces.
pub fn line(s: &str) -> Cow<'_, str> {
    clean(s, false, MAX_LINE_CHARS)
}

/// Multi-line text (message bodies, notes): newlines kept, everything else as [`line`].
pub fn text(s: &str) -> Cow<'_, str> {
    clean(s, true, MAX_TEXT_CHARS)
}

/// Cuts already-clean text to at most `width` terminal cells, marking a cut with `…`. Widths
/// are what a terminal shows (a CJK character or an emoji takes two cells), so columns line
/// up whatever the script.
pub fn fit(s: &str, width: usize) -> String {
    use unicode_truncate::UnicodeTruncateStr;
    use unicode_width::UnicodeWidthStr;
    if s.width() <= width {
        return s.to_owned();
    }
    let (cut, _) = s.unicode_truncate(width.saturating_sub(1));
    format!("{cut}…")
}

/// Already-clean text in exactly `width` terminal cells: cut as [`fit`] does, then padded
/// with spaces, for columns of plain text.
pub fn pad(s: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let cut = fit(s, width);
    let used = cut.width();
    let mut out = cut;
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
    out
}

/// True for characters that must never reach a terminal.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}'                      // Arabic letter mark
            | '\u{200B}'..='\u{200F}'       // zero-width space/joiners, LRM, RLM
            | '\u{2028}' | '\u{2029}'       // line and paragraph separators
            | '\u{202A}'..='\u{202E}'       // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}'       // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}'       // bidi isolates
            | '\u{206A}'..='\u{206F}'       // deprecated format characters
            | '\u{FEFF}'                    // BOM / zero-width no-break space
            | '\u{FFF9}'..='\u{FFFB}'       // interlinear annotations
        )
}

/// JSON for other programs to print (chat bridges, terminals, logs): serde_json's, with every
/// character [`is_unsafe`] flags that serde_json leaves raw (DEL, C1 controls, bidi overrides
/// and isolates, zero-width characters, line separators, BOMs) written as a `\uXXXX` escape.
/// A JSON reader gets the same text back; a careless printer gets no control sequence.
pub fn json<T: serde::Serialize + ?Sized>(value: &T, pretty: bool) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(256);
    if pretty {
        let f = EscapeUnsafe(serde_json::ser::PrettyFormatter::new());
        value.serialize(&mut serde_json::Serializer::with_formatter(&mut out, f))?;
    } else {
        let f = EscapeUnsafe(serde_json::ser::CompactFormatter);
        value.serialize(&mut serde_json::Serializer::with_formatter(&mut out, f))?;
    }
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

/// A formatter that escapes what [`is_unsafe`] flags inside strings and otherwise writes as
/// the one it wraps.
struct EscapeUnsafe<F>(F);

macro_rules! delegate {
    ($($name:ident),*) => {$(
        fn $name<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
            self.0.$name(w)
        }
    )*};
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for EscapeUnsafe<F> {
    delegate!(
        begin_array,
        end_array,
        begin_object,
        end_object,
        end_array_value,
        end_object_value,
        begin_object_value
    );

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }

    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                write!(w, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
}

fn is_combining(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}'
    )
}

fn needs_cleaning(s: &str, multiline: bool, max: usize) -> bool {
    let mut prev_combining = false;
    for (n, c) in s.chars().enumerate() {
        if n >= max || (is_unsafe(c) && !(multiline && c == '\n')) {
            return true;
        }
        let comb = is_combining(c);
        if comb && prev_combining {
            return true;
        }
        prev_combining = comb;
    }
    false
}

fn clean(s: &str, multiline: bool, max: usize) -> Cow<'_, str> {
    if !needs_cleaning(s, multiline, max) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len().min(max * 4));
    let mut combining = 0;
    let mut column = 0;
    let mut kept = 0;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if kept >= max {
            out.push('…');
            break;
        }
        match c {
            '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{0085}' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    continue;
                }
                if multiline {
                    out.push('\n');
                } else if !out.ends_with(' ') {
                    out.push(' ');
                }
                column = 0;
                combining = 0;
                kept += 1;
            }
            '\t' => {
                let n = TAB_WIDTH - column % TAB_WIDTH;
                out.extend(std::iter::repeat_n(' ', n));
                column += n;
                combining = 0;
                kept += 1;
            }
            c if is_unsafe(c) => {}
            c if is_combining(c) => {
                combining += 1;
                if combining <= MAX_COMBINING {
                    out.push(c);
                }
            }
            c => {
                out.push(c);
                column += 1;
                combining = 0;
                kept += 1;
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences_and_controls() {
        assert_eq!(line("a\x1b[31mred\x1b[0m\x07b"), "a[31mred[0mb");
        assert_eq!(line("x\u{9b}2Jy\u{7f}"), "x2Jy");
        assert_eq!(text("a\r\nb\rc"), "a\nb\nc");
    }

    #[test]
    fn strips_bidi_and_zero_width() {
        assert_eq!(line("abc\u{202E}fed\u{202C}"), "abcfed");
        assert_eq!(line("\u{2066}x\u{2069}\u{200B}\u{FEFF}y"), "xy");
    }

    #[test]
    fn flattens_lines_and_expands_tabs() {
        assert_eq!(line("one\ntwo\n\nthree"), "one two three");
        assert_eq!(text("a\tb\n\tc"), "a   b\n    c");
    }

    #[test]
    fn caps_combining_marks_and_length() {
        let zalgo = format!("e{}", "\u{0301}".repeat(50));
        assert_eq!(line(&zalgo).chars().count(), 1 + MAX_COMBINING);
        let word = "w".repeat(5_000);
        let cut = line(&word);
        assert_eq!(cut.chars().count(), MAX_LINE_CHARS + 1);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn fit_cuts_with_an_ellipsis() {
        assert_eq!(fit("Łódź Bałuty", 20), "Łódź Bałuty");
        assert_eq!(fit("Łódź Bałuty", 5), "Łódź…");
        assert_eq!(fit("abc", 0), "…");
    }

    #[test]
    fn fit_and_pad_count_terminal_cells_not_characters() {
        // Each of these characters takes two cells.
        assert_eq!(fit("危机沟通", 8), "危机沟通");
        assert_eq!(fit("危机沟通", 7), "危机沟…");
        assert_eq!(fit("危机沟通", 6), "危机…");
        assert_eq!(pad("危机", 6), "危机  ");
        assert_eq!(pad("危机沟通", 5), "危机…");
        assert_eq!(pad("ab", 4), "ab  ");
        use unicode_width::UnicodeWidthStr;
        for s in ["危机沟通 crisis", "Łódź", "🔥🔥🔥 fire", "plain"] {
            for w in 1..12 {
                assert_eq!(pad(s, w).width(), w, "{s} in {w} cells");
            }
        }
    }

    #[test]
    fn json_escapes_what_a_terminal_would_act_on() {
        let v =
            serde_json::json!({"t": "a\u{9b}2J\u{85}b\u{202e}c\u{7f}\u{2028}\n\"é🔥", "n": [1, 2]});
        let compact = json(&v, false).unwrap();
        assert_eq!(
            compact,
            r#"{"n":[1,2],"t":"a\u009b2J\u0085b\u202ec\u007f\u2028\n\"é🔥"}"#
        );
        let back: serde_json::Value = serde_json::from_str(&compact).unwrap();
        assert_eq!(back, v);
        let pretty = json(&v, true).unwrap();
        assert_eq!(
            pretty,
            serde_json::to_string_pretty(&v)
                .unwrap()
                .replace('\u{9b}', "\\u009b")
                .replace('\u{85}', "\\u0085")
                .replace('\u{202e}', "\\u202e")
                .replace('\u{7f}', "\\u007f")
                .replace('\u{2028}', "\\u2028")
        );
    }

    #[test]
    fn keeps_ordinary_unicode_untouched() {
        for s in ["Zażółć gęślą jaźń", "危机沟通", "مرحبا", "🔥 fire", "é"] {
            assert!(matches!(line(s), Cow::Borrowed(_)), "{s}");
        }
    }
}
