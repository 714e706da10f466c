//! The master scenario events list as a spreadsheet: CSV with a header row naming the inject
//! keys of the playbook format (`id`, `at`, `from`, `to`, `channel`, `kind`, `subject`, `text`,
//! `respond_within`, `stakeholder`, `expect`), `expect` as `;`-separated text (`;;` stands for
//! a `;` inside one expected action, so what `crisisdesk msel` writes reads back unchanged).
//!
//! Reading checks every cell with the playbook validator itself (so an MSEL row is held to
//! exactly the rules of an inject in a playbook, references to the playbook's roles and
//! stakeholders included) and reports each problem at its spreadsheet row and column.

use std::fmt;

use serde_json::{Map, Value};

use crate::playbook::model::Inject;
use crate::playbook::problem::Level;
use crate::playbook::suggest::did_you_mean;
use crate::playbook::validate;

/// The inject keys, in the order `crisisdesk msel` writes them.
pub fn columns() -> &'static [&'static str] {
    validate::OBJECT_KEYS
        .iter()
        .find(|(name, _)| *name == "Inject")
        .map(|(_, keys)| *keys)
        .expect("the validator knows inject keys")
}

/// Columns every row must have a value in.
const REQUIRED: [&str; 4] = ["id", "at", "from", "text"];

/// One problem in an MSEL file, at a spreadsheet row (the header is row 1) and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MselProblem {
    pub level: Level,
    /// Spreadsheet row, from 1 (the header row).
    pub row: usize,
    /// Column number from 1 and the header's name for it, when the fault is in one cell.
    pub column: Option<(usize, String)>,
    pub message: String,
}

impl MselProblem {
    fn error(row: usize, column: Option<(usize, String)>, message: impl Into<String>) -> Self {
        MselProblem {
            level: Level::Error,
            row,
            column,
            message: message.into(),
        }
    }

    /// `FILE:ROW:COL: error: MESSAGE (column B "at")`, like a compiler's messages.
    pub fn display<'a>(&'a self, file: &'a str) -> impl fmt::Display + 'a {
        Shown {
            file,
            problem: self,
        }
    }
}

struct Shown<'a> {
    file: &'a str,
    problem: &'a MselProblem,
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.problem;
        let level = match p.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        match &p.column {
            Some((n, name)) => write!(
                f,
                "{}:{}:{n}: {level}: {} (row {}, column {} \"{name}\")",
                self.file,
                p.row,
                p.message,
                p.row,
                column_letters(*n)
            ),
            None => write!(
                f,
                "{}:{}: {level}: {} (row {})",
                self.file, p.row, p.message, p.row
            ),
        }
    }
}

/// Spreadsheet column letters: 1 → A, 26 → Z, 27 → AA.
pub fn column_letters(mut n: usize) -> String {
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// The separator a spreadsheet used: `,`, or `;` / tab as some locales' spreadsheets export,
/// judged by which appears most in the header line (outside quotes).
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in bytes {
        match b {
            b'\n' if !quoted => break,
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// Reads an MSEL CSV against the playbook it will run with (`playbook_source`, the playbook
/// file's text): the injects, or every problem found, each at its row and column.
pub fn read(bytes: &[u8], playbook_source: &str) -> Result<Vec<Inject>, Vec<MselProblem>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut problems = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(bytes))
        .from_reader(bytes);
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 1;
        match record {
            Ok(r) => rows.push((row, r.iter().map(|c| c.trim().to_owned()).collect())),
            Err(e) => {
                let (row, column) = match e.kind() {
                    csv::ErrorKind::Utf8 { pos, err } => (
                        pos.as_ref().map_or(row, |p| p.record() as usize + 1),
                        Some(err.field() + 1),
                    ),
                    _ => (row, None),
                };
                problems.push(MselProblem::error(
                    row,
                    column.map(|c| (c, String::new())),
                    match e.kind() {
                        csv::ErrorKind::Utf8 { .. } => {
                            "this cell is not UTF-8 text: save the spreadsheet as \"CSV UTF-8\""
                                .to_owned()
                        }
                        _ => format!("the file cannot be read as CSV: {e}"),
                    },
                ));
                if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                    return Err(problems);
                }
            }
        }
    }
    let Some((_, header)) = rows.first().cloned() else {
        return Err(vec![MselProblem::error(
            1,
            None,
            format!(
                "the file is empty: the first row must name the columns ({})",
                columns().join(", ")
            ),
        )]);
    };
    // Header: every cell names an inject key, once; the required keys are all there.
    let mut names: Vec<Option<&'static str>> = Vec::with_capacity(header.len());
    for (i, cell) in header.iter().enumerate() {
        let key = cell.to_ascii_lowercase();
        let col = Some((i + 1, cell.clone()));
        match columns().iter().find(|k| **k == key) {
            Some(k) if names.contains(&Some(*k)) => {
                problems.push(MselProblem::error(
                    1,
                    col,
                    format!("column \"{k}\" appears twice"),
                ));
                names.push(None);
            }
            Some(k) => names.push(Some(*k)),
            None if key.is_empty() => names.push(None),
            None if key.starts_with("x-") => names.push(None),
            None => {
                let hint = did_you_mean(&key, columns())
                    .map(|s| format!(" — did you mean \"{s}\"?"))
                    .unwrap_or_default();
                problems.push(MselProblem::error(
                    1,
                    col,
                    format!(
                        "unknown column \"{cell}\"{hint} (columns: {}; `x-` columns are ignored)",
                        columns().join(", ")
                    ),
                ));
                names.push(None);
            }
        }
    }
    for key in REQUIRED {
        if !names.contains(&Some(key)) {
            problems.push(MselProblem::error(
                1,
                None,
                format!("the header row has no \"{key}\" column, which every inject needs"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let column_of = |key: &str| {
        names
            .iter()
            .position(|n| *n == Some(key))
            .map(|i| (i + 1, header[i].clone()))
    };

    // Rows: each becomes the JSON object a playbook would hold.
    let mut objects = Vec::new();
    let mut row_of = Vec::new();
    for (row, cells) in rows.iter().skip(1) {
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let mut obj = Map::new();
        for (i, cell) in cells.iter().enumerate() {
            let Some(Some(key)) = names.get(i) else {
                if i >= names.len() && !cell.is_empty() {
                    problems.push(MselProblem::error(
                        *row,
                        Some((i + 1, String::new())),
                        format!(
                            "this row has a value beyond the last column ({} columns in the header)",
                            names.len()
                        ),
                    ));
                }
                continue;
            };
            if cell.is_empty() {
                continue;
            }
            let value = if *key == "expect" {
                Value::Array(split_expect(cell).into_iter().map(Value::String).collect())
            } else {
                Value::String(cell.clone())
            };
            obj.insert((*key).to_owned(), value);
        }
        for key in REQUIRED {
            obj.entry(key)
                .or_insert_with(|| Value::String(String::new()));
        }
        objects.push(Value::Object(obj));
        row_of.push(*row);
    }
    if objects.is_empty() {
        return Err(vec![MselProblem::error(
            2,
            None,
            "no injects: the file has a header row but no inject rows",
        )]);
    }

    // The playbook validator judges the injects in their playbook, so every rule (ids,
    // durations, kinds, roles, stakeholders) is the format's own; its JSON paths map back to
    // rows and columns.
    let mut playbook: Value = match serde_json::from_str(playbook_source) {
        Ok(v) => v,
        Err(e) => {
            return Err(vec![MselProblem::error(
                1,
                None,
                format!("the playbook is not JSON: {e}"),
            )]);
        }
    };
    if let Value::Object(top) = &mut playbook {
        top.insert("injects".into(), Value::Array(objects.clone()));
    }
    let text = serde_json::to_string(&playbook).expect("JSON values serialise");
    for p in validate::validate(&text, None) {
        if !p.is_error() {
            continue;
        }
        let mut parts = p.path.trim_start_matches('/').split('/');
        if parts.next() != Some("injects") {
            continue;
        }
        let Some(index) = parts.next().and_then(|n| n.parse::<usize>().ok()) else {
            continue;
        };
        let row = row_of.get(index).copied().unwrap_or(0);
        let column = parts.next().and_then(column_of);
        problems.push(MselProblem {
            level: p.level,
            row,
            column,
            message: p.message,
        });
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| (p.row, p.column.as_ref().map(|c| c.0)));
        return Err(problems);
    }
    objects
        .into_iter()
        .zip(&row_of)
        .map(|(o, row)| {
            serde_json::from_value::<Inject>(o).map_err(|e| {
                vec![MselProblem::error(
                    *row,
                    None,
                    format!("this inject cannot be read: {e}"),
                )]
            })
        })
        .collect()
}

/// Expected actions from one cell: `;` separates them, `;;` is a `;` within one.
pub fn split_expect(cell: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut item = String::new();
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ';' if chars.next_if_eq(&';').is_some() => item.push(';'),
            ';' => items.push(std::mem::take(&mut item)),
            c => item.push(c),
        }
    }
    items.push(item);
    items
        .into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Expected actions in one cell, the way [`split_expect`] reads them back.
pub fn join_expect(items: &[String]) -> String {
    items
        .iter()
        .map(|e| e.replace(';', ";;"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The injects as MSEL CSV, every column present.
pub fn write(injects: &[Inject]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(columns());
    for i in injects {
        let kind = serde_json::to_value(i.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        let _ = w.write_record([
            i.id.clone(),
            i.at.to_string(),
            i.from.clone(),
            opt(&i.to),
            opt(&i.channel),
            kind,
            opt(&i.subject),
            i.text.clone(),
            i.respond_within.map(|d| d.to_string()).unwrap_or_default(),
            opt(&i.stakeholder),
            join_expect(&i.expect),
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).expect("the CSV of UTF-8 strings is UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAYBOOK: &str = include_str!("../../playbooks/data-breach.json");

    fn shipped() -> Vec<Inject> {
        crate::playbook::parse("data-breach.json", PLAYBOOK.as_bytes(), None)
            .unwrap()
            .playbook
            .injects
    }

    #[test]
    fn the_written_msel_reads_back_as_the_same_injects() {
        let injects = shipped();
        assert!(injects.len() >= 10);
        let csv = write(&injects);
        assert!(
            injects
                .iter()
                .any(|i| i.expect.iter().any(|e| e.contains(';')))
        );
        assert!(csv.starts_with(
            "id,at,from,to,channel,kind,subject,text,respond_within,stakeholder,expect\n"
        ));
        assert_eq!(read(csv.as_bytes(), PLAYBOOK).unwrap(), injects);
    }

    #[test]
    fn each_problem_is_reported_at_its_row_and_column() {
        let csv = "id,at,from,to,kind,text,expect\n\
                   i01,30m,Reporter,comms_lead,media_inquiry,How many?,Answer within 1h\n\
                   i02,soon,Reporter,nobody,media_enquiry,Call me,\n\
                   i01,1h,,comms_lead,info,Hello,\n";
        let problems = read(csv.as_bytes(), PLAYBOOK).unwrap_err();
        let shown: Vec<String> = problems
            .iter()
            .map(|p| p.display("msel.csv").to_string())
            .collect();
        let find = |needle: &str| {
            shown
                .iter()
                .find(|s| s.contains(needle))
                .unwrap_or_else(|| panic!("no {needle:?} in {shown:#?}"))
        };
        assert!(
            find("\"soon\"").starts_with("msel.csv:3:2: error:"),
            "{shown:#?}"
        );
        assert!(
            find("nobody").starts_with("msel.csv:3:4: error:"),
            "{shown:#?}"
        );
        assert!(find("media_enquiry").contains("did you mean \"media_inquiry\""));
        assert!(find("media_enquiry").starts_with("msel.csv:3:5: error:"));
        assert!(find("column C \"from\"").starts_with("msel.csv:4:3: error:"));
        assert!(
            shown
                .iter()
                .any(|s| s.starts_with("msel.csv:4:1: error:") && s.contains("i01"))
        );
    }

    #[test]
    fn header_problems_name_the_column() {
        let csv = "id,at,form,text,Text\ni01,1h,x,y,z\n";
        let problems = read(csv.as_bytes(), PLAYBOOK).unwrap_err();
        let shown: Vec<String> = problems
            .iter()
            .map(|p| p.display("m.csv").to_string())
            .collect();
        assert!(
            shown[0]
                .starts_with("m.csv:1:3: error: unknown column \"form\" — did you mean \"from\"?"),
            "{shown:#?}"
        );
        assert!(
            shown
                .iter()
                .any(|s| s.starts_with("m.csv:1:5: error: column \"text\" appears twice"))
        );
        assert!(shown.iter().any(|s| s.contains("no \"from\" column")));
    }

    #[test]
    fn spreadsheet_habits_are_understood() {
        // A byte order mark, `;` separators, capitalised headers, blank rows, x- columns.
        let csv = "\u{feff}ID;At;From;Text;x-owner\r\n\r\ni01;1h;Reporter;\"Line one\nline two\";anna\r\n";
        let injects = read(csv.as_bytes(), PLAYBOOK).unwrap();
        assert_eq!(injects.len(), 1);
        assert_eq!(injects[0].text, "Line one\nline two");
        assert_eq!(injects[0].at.to_string(), "1h");
    }

    #[test]
    fn empty_and_headless_files_say_what_is_missing() {
        let e = read(b"", PLAYBOOK).unwrap_err();
        assert!(e[0].message.contains("the file is empty"));
        let e = read(b"id,at,from,text\n", PLAYBOOK).unwrap_err();
        assert!(e[0].message.contains("no injects"));
        let e = read(b"id,at,from,text\ni1,1h,a,b,c\n", PLAYBOOK).unwrap_err();
        assert_eq!(
            e[0].display("f").to_string().split(": ").next(),
            Some("f:2:5")
        );
    }

    #[test]
    fn semicolons_separate_expected_actions_and_doubled_stand_for_themselves() {
        assert_eq!(split_expect("a; b ;;c;"), vec!["a", "b ;c"]);
        assert_eq!(split_expect(" ; "), Vec::<String>::new());
        let items = vec!["x; y".to_owned(), "z".to_owned()];
        assert_eq!(split_expect(&join_expect(&items)), items);
    }

    #[test]
    fn column_letters_count_like_a_spreadsheet() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(53), "BA");
    }
}
