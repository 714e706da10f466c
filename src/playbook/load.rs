//! Reading a playbook file: bytes → text → JSON syntax → validation → [`Playbook`].
//!
//! Each stage turns what can go wrong into a [`Problem`] with a place and plain words, and
//! validation reports every problem in the file at once, so a writer fixes them in one go.

use std::io::Read;
use std::path::Path;

use jiff::civil::Date;

use super::model::Playbook;
use super::problem::{Level, LineIndex, Problem, byte_position};
use super::validate;

/// Playbooks are hand-written text; anything bigger is the wrong file, and refusing it early
/// keeps a stray 50 MB export from stalling the console.
pub const MAX_BYTES: u64 = 8 * 1024 * 1024;

/// A playbook that loaded, with its warnings and the exact text it came from.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub playbook: Playbook,
    pub warnings: Vec<Problem>,
    /// The file's text (without a BOM): incidents keep it as their snapshot.
    pub source: String,
}

/// A playbook that did not load: every problem found, errors and warnings.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{file}: {} error(s)", self.errors().count())]
pub struct LoadError {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl LoadError {
    /// The problems that stopped the file from loading.
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.is_error())
    }

    /// Every problem, one per line, as `FILE:LINE:COL: error: …`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for p in &self.problems {
            out.push_str(&p.display(&self.file).to_string());
            out.push('\n');
        }
        out
    }

    fn whole_file(file: &str, position: Option<(usize, usize)>, message: String) -> Self {
        LoadError {
            file: file.to_owned(),
            problems: vec![Problem {
                level: Level::Error,
                position,
                path: String::new(),
                message,
            }],
        }
    }
}

/// Reads and validates a playbook file. `today` enables the "not reviewed for a year" warning.
pub fn load_file(path: &Path, today: Option<Date>) -> Result<Loaded, LoadError> {
    let name = path.display().to_string();
    let read = || -> std::io::Result<Result<Vec<u8>, u64>> {
        let mut options = std::fs::File::options();
        options.read(true);
        // Never wait on a named pipe (or a device): open without blocking, then check that
        // what was opened is a regular file.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::custom_flags(
            &mut options,
            rustix::fs::OFlags::NONBLOCK.bits() as i32,
        );
        let file = options.open(path)?;
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(std::io::Error::other(if meta.is_dir() {
                "it is a folder, not a file"
            } else {
                "not a regular file (a pipe or a device?)"
            }));
        }
        let len = meta.len();
        if len > MAX_BYTES {
            return Ok(Err(len));
        }
        let mut bytes = Vec::with_capacity(len as usize);
        // Read at most one byte past the limit: the file may grow while we read it.
        file.take(MAX_BYTES + 1).read_to_end(&mut bytes)?;
        Ok(Ok(bytes))
    };
    match read() {
        Ok(Ok(bytes)) => parse(&name, &bytes, today),
        Ok(Err(len)) => Err(too_big(&name, len)),
        Err(e) => Err(LoadError::whole_file(
            &name,
            None,
            format!("cannot read the file: {e}"),
        )),
    }
}

fn too_big(name: &str, len: u64) -> LoadError {
    LoadError::whole_file(
        name,
        None,
        format!(
            "the file is {:.1} MB; a playbook is at most {} MB of text — is this the right file?",
            len as f64 / 1_000_000.0,
            MAX_BYTES / 1024 / 1024
        ),
    )
}

/// Validates playbook bytes; `file` names them in messages.
pub fn parse(file: &str, bytes: &[u8], today: Option<Date>) -> Result<Loaded, LoadError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_big(file, bytes.len() as u64));
    }
    let text = decode(file, bytes)?;
    syntax(file, text)?;
    let problems = validate::validate(text, today);
    if problems.iter().any(Problem::is_error) {
        let mut problems = problems;
        sort(&mut problems);
        return Err(LoadError {
            file: file.to_owned(),
            problems,
        });
    }
    match serde_json::from_str::<Playbook>(text) {
        Ok(playbook) => {
            let mut warnings = problems;
            sort(&mut warnings);
            Ok(Loaded {
                playbook,
                warnings,
                source: text.to_owned(),
            })
        }
        // Validation should have caught everything serde can object to; if it did not,
        // still say where, rather than loading half a playbook.
        Err(e) => Err(LoadError::whole_file(
            file,
            Some((e.line(), e.column())),
            format!("the playbook could not be read: {e}"),
        )),
    }
}

fn sort(problems: &mut [Problem]) {
    problems.sort_by_key(|p| (p.position.unwrap_or((usize::MAX, 0)), p.level));
}

/// Bytes → text: UTF-8 only, BOM allowed, no NUL, not empty.
fn decode<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str, LoadError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(LoadError::whole_file(
            file,
            Some((1, 1)),
            "the file is saved as UTF-16; save it as UTF-8".into(),
        ));
    }
    if looks_like_utf16(bytes) {
        return Err(LoadError::whole_file(
            file,
            Some((1, 1)),
            "the file is saved as UTF-16; save it as UTF-8".into(),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LoadError::whole_file(
            file,
            None,
            "the file is empty: a playbook is a JSON object starting with {".into(),
        ));
    }
    if let Some(i) = bytes.iter().position(|&b| b == 0) {
        return Err(LoadError::whole_file(
            file,
            Some(byte_position(bytes, i)),
            "the file contains a NUL byte: it is not a text file (or not saved as UTF-8)".into(),
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        LoadError::whole_file(
            file,
            Some(byte_position(bytes, at)),
            format!(
                "the file is not valid UTF-8 text (byte 0x{:02X}); save it as UTF-8",
                bytes[at]
            ),
        )
    })
}

/// UTF-16 without a byte order mark: a JSON text is mostly ASCII, so in UTF-16 nearly every
/// other byte is zero (which would otherwise be reported as a NUL byte).
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let pairs = bytes.chunks_exact(2).take(64);
    let n = pairs.len();
    let low_first = pairs.clone().filter(|p| p[0] != 0 && p[1] == 0).count();
    let high_first = pairs.filter(|p| p[0] == 0 && p[1] != 0).count();
    n >= 2 && low_first.max(high_first) * 4 >= n * 3
}

/// The deepest nesting the format allows.
pub const MAX_DEPTH: usize = 128;

/// Byte offset of the bracket that opens level `MAX_DEPTH + 1`, if any. Counts brackets
/// outside strings; on malformed text it over-counts, never under-counts, so parsing after a
/// clean scan cannot recurse deeper than the limit.
fn depth_fault(text: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// JSON syntax, with serde_json's limits (nesting depth 128) and its positions, reworded.
fn syntax(file: &str, text: &str) -> Result<(), LoadError> {
    let too_deep = depth_fault(text);
    let parsed = if too_deep.is_some() {
        // serde_json's own limit (127) keeps the stack safe and finds any earlier fault.
        serde_json::from_str::<serde_json::Value>(text).map(|_| ())
    } else {
        // At most 128 levels: safe to parse without serde_json's limit of 127.
        let mut de = serde_json::Deserializer::from_str(text);
        de.disable_recursion_limit();
        <serde_json::Value as serde::Deserialize>::deserialize(&mut de).and_then(|_| de.end())
    };
    let e = match parsed {
        Ok(()) => return Ok(()),
        Err(e) if e.to_string().contains("recursion limit") => {
            let index = LineIndex::new(text);
            return Err(LoadError::whole_file(
                file,
                too_deep.map(|at| index.position(text, at)),
                format!("the JSON is nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        Err(e) => e,
    };
    let raw = e.to_string();
    let raw = raw.split(" at line ").next().unwrap_or(&raw);
    // serde_json counts lines and byte columns; turn them into a byte offset in the text.
    let mut at = (e.line() > 0).then(|| {
        let start = text
            .split_inclusive('\n')
            .take(e.line() - 1)
            .map(str::len)
            .sum::<usize>();
        let col_bytes = e.column().saturating_sub(1);
        let end = (start + col_bytes).min(text.len());
        (0..=end)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0)
    });
    let next = at.map_or("", |i| &text[i..]);
    let message = if next.starts_with("//") || next.starts_with("/*") {
        "comments are not allowed in JSON: remove this one, or keep the note in a key starting \
         with x-, like \"x-note\""
            .to_owned()
    } else if next.starts_with('\'') {
        "texts and keys must be in double quotes (\"like this\"): single quotes are not allowed \
         in JSON"
            .to_owned()
    } else if raw.contains("trailing comma") {
        // serde_json points at the closing bracket; the comma to remove may be lines above.
        at = at.map(|i| match text[..i].rfind(|c: char| !c.is_whitespace()) {
            Some(comma) if text[comma..].starts_with(',') => comma,
            _ => i,
        });
        "there is a comma after the last item of a list or object: remove it".to_owned()
    } else if raw.contains("EOF while parsing") {
        "the file ends too early: a closing }, ] or \" is missing".to_owned()
    } else if raw.contains("key must be a string") {
        "keys must be written in double quotes, like \"title\"".to_owned()
    } else if raw.contains("control character") {
        // serde_json stops just after a line break, or on the tab or other character itself.
        match at {
            Some(i) if text[..i].ends_with('\n') || text[i..].starts_with('\r') => {
                // Point at the end of the line where the text should have been closed.
                at = Some(text[..i].trim_end_matches(['\n', '\r']).len());
                "this text is not closed: add the closing \" before the end of the line \
                 (a line break inside a text is written \\n)"
                    .to_owned()
            }
            Some(i) if text[i..].starts_with('\t') => {
                "a tab inside a text: write it as \\t".to_owned()
            }
            _ => {
                let c = next.chars().next().unwrap_or('\0');
                format!(
                    "an invisible control character inside a text: remove it, or write it as \
                     \\u{:04X}",
                    c as u32
                )
            }
        }
    } else if raw.contains("expected `,` or `}`") || raw.contains("expected `,` or `]`") {
        // serde_json points at the next item; the comma goes after the previous one, which
        // may be lines above.
        at = at.map(|i| text[..i].trim_end().len());
        let (close, what) = if raw.contains('}') {
            ('}', "object")
        } else {
            (']', "list")
        };
        format!("a comma is missing here (or a closing {close}, if the {what} should end here)")
    } else if raw.contains("expected `:`") {
        "a colon (:) is missing after the key".to_owned()
    } else if raw.contains("trailing characters") {
        "there is more text after the end of the playbook's { }".to_owned()
    } else if raw.contains("expected value") {
        "a value is expected here (text in double quotes, a number, a list [ ] or an object { }); \
         comments and single quotes are not allowed in JSON"
            .to_owned()
    } else if raw.contains("hex escape") || raw.contains("unicode code point") {
        // serde_json stops after the escape; point at its backslash.
        at = at.map(|i| text[..i].rfind("\\u").filter(|&j| i - j <= 12).unwrap_or(i));
        "an invalid \\u escape in a text: type the character itself instead (the file is UTF-8)"
            .to_owned()
    } else if raw.contains("invalid escape") {
        "an invalid backslash escape in a text: write a backslash as \\\\".to_owned()
    } else {
        format!("the file is not valid JSON: {raw}")
    };
    let position = at.map(|i| LineIndex::new(text).position(text, i));
    Err(LoadError::whole_file(file, position, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> String {
        parse("t.json", bytes, None).unwrap_err().render()
    }

    #[test]
    fn whole_file_faults_are_clear() {
        assert!(err(b"").contains("the file is empty"));
        assert!(err(b"  \n").contains("the file is empty"));
        assert!(err(b"{\"a\":\0}").contains("t.json:1:6: error: the file contains a NUL byte"));
        assert!(
            err(b"{\n\"a\": \"\xff\"}").contains("t.json:2:7: error: the file is not valid UTF-8")
        );
        assert!(err(b"\xff\xfe{\0}\0").contains("UTF-16"));
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(err(deep.as_bytes()).contains("nested more than 128 levels"));
        assert!(err(b"{\"a\": 1,}").contains("t.json:1:8: error: there is a comma after the last"));
        assert!(err(b"{\"a\": 1").contains("ends too early"));
        let big = vec![b' '; MAX_BYTES as usize + 1];
        assert!(err(&big).contains("a playbook is at most 8 MB"));
    }

    #[test]
    fn nesting_of_exactly_128_levels_is_allowed_and_129_is_not() {
        let nest = |n: usize| format!("{{\"x-deep\": {}{}}}", "[".repeat(n - 1), "]".repeat(n - 1));
        let at_limit = err(nest(MAX_DEPTH).as_bytes());
        assert!(!at_limit.contains("nested"), "{at_limit}");
        let over = err(nest(MAX_DEPTH + 1).as_bytes());
        assert!(
            over.contains("t.json:1:139: error: the JSON is nested more than 128"),
            "{over}"
        );
        // Brackets inside texts do not count.
        let quoted = format!(
            "{{\"x-a\": \"{}\\\"{}\"}}",
            "[".repeat(300),
            "{".repeat(300)
        );
        assert!(!err(quoted.as_bytes()).contains("nested"));
    }

    #[test]
    fn syntax_columns_count_characters() {
        // "ł" is two bytes; the column must still count it as one character.
        assert!(err("{\"ł\": 1,}".as_bytes()).contains("t.json:1:8:"));
    }

    #[test]
    fn syntax_faults_are_named_and_placed_where_the_writer_fixes_them() {
        // The comma to remove, not the bracket on the next line.
        assert!(err(b"{\n  \"a\": 1,\n}").contains("t.json:2:9: error: there is a comma after"));
        assert!(
            err(b"{\n  // note\n  \"a\": 1\n}").contains("t.json:2:3: error: comments are not")
        );
        assert!(err(b"{\"a\": 1 /* note */}").contains("t.json:1:9: error: comments are not"));
        assert!(
            err(b"{\"a\": 'b'}").contains("t.json:1:7: error: texts and keys must be in double")
        );
        // An unclosed text is reported at the end of its line, also with CRLF line ends.
        assert!(
            err(b"{\n  \"a\": \"b,\n  \"c\": 1\n}")
                .contains("t.json:2:11: error: this text is not closed")
        );
        assert!(
            err(b"{\r\n  \"a\": \"b,\r\n  \"c\": 1\r\n}")
                .contains("t.json:2:11: error: this text is not closed")
        );
        assert!(
            err(b"{\"a\": \"\\ud800 b\"}").contains("t.json:1:8: error: an invalid \\u escape")
        );
        assert!(err(b"{\"a\": \"b\tc\"}").contains("t.json:1:9: error: a tab inside a text"));
        assert!(err(b"{\"a\": \"b\x01c\"}").contains("t.json:1:9: error: an invisible control character inside a text: remove it, or write it as \\u0001"));
    }

    #[test]
    fn a_missing_comma_is_placed_after_the_item_it_should_follow() {
        assert!(
            err(b"{\n  \"a\": 1\n  \"b\": 2\n}")
                .contains("t.json:2:9: error: a comma is missing here (or a closing }")
        );
        assert!(
            err(b"{\"a\": [1 2]}")
                .contains("t.json:1:9: error: a comma is missing here (or a closing ]")
        );
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_named() {
        let le: Vec<u8> = "{\"a\": \"ł\"}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "{\"a\": \"ł\"}"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert!(err(&le).contains("t.json:1:1: error: the file is saved as UTF-16"));
        assert!(err(&be).contains("t.json:1:1: error: the file is saved as UTF-16"));
    }
}
