//! Problems found in a playbook, located by line and column, worded for the people who write
//! playbooks (communications professionals, not programmers).

use std::fmt;

/// Whether a problem stops the playbook from loading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
}

/// One problem in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub level: Level,
    /// 1-based line and column (in characters), when the fault has a place in the text.
    pub position: Option<(usize, usize)>,
    /// JSON pointer to the value at fault (`/stakeholders/2/deadlines/0/within`); empty for
    /// faults of the file as a whole.
    pub path: String,
    pub message: String,
}

impl Problem {
    /// True when this problem stops the playbook from loading.
    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// Formats the problem as `FILE:LINE:COL: error: MESSAGE (at PATH)`.
    pub fn display<'a>(&'a self, file: &'a str) -> impl fmt::Display + 'a {
        DisplayProblem {
            file,
            problem: self,
        }
    }
}

struct DisplayProblem<'a> {
    file: &'a str,
    problem: &'a Problem,
}

impl fmt::Display for DisplayProblem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.problem;
        f.write_str(self.file)?;
        if let Some((line, col)) = p.position {
            write!(f, ":{line}:{col}")?;
        }
        let level = match p.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(f, ": {level}: {}", p.message)?;
        if !p.path.is_empty() {
            write!(f, " (at {})", p.path)?;
        }
        Ok(())
    }
}

/// Maps byte offsets in a text to 1-based line and character column.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// Line and column of a byte offset; columns count characters, as editors show them.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let col = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line + 1, col + 1)
    }
}

/// Line and column of a byte offset in possibly invalid UTF-8 bytes.
pub fn byte_position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "{\n  \"tytuł\": 1,\n  \"x\": 2\n}";
        let idx = LineIndex::new(text);
        let off = text.find(": 1").unwrap();
        assert_eq!(idx.position(text, off), (2, 10));
        assert_eq!(idx.position(text, 0), (1, 1));
        assert_eq!(idx.position(text, text.len()), (4, 2));
        assert_eq!(byte_position(b"ab\ncd\xff", 5), (2, 3));
    }

    #[test]
    fn display_names_file_line_column_and_path() {
        let p = Problem {
            level: Level::Error,
            position: Some((3, 7)),
            path: "/roles/0/id".into(),
            message: "role id is empty".into(),
        };
        assert_eq!(
            p.display("pb.json").to_string(),
            "pb.json:3:7: error: role id is empty (at /roles/0/id)"
        );
    }
}
