//! The report as JSON: the data behind the Markdown and HTML (`docs/report-json.md`).

use super::model::Report;

/// The report as pretty-printed JSON, ending in a newline.
///
/// Written by [`crate::sanitize::json`]: besides the C0 controls serde_json escapes, DEL, C1
/// controls, bidi overrides and isolates, zero-width characters and BOMs are written as
/// `\uXXXX` escapes, so printing the file is safe; any JSON reader gets back exactly the text
/// that was typed.
pub fn render(report: &Report) -> String {
    let mut out = crate::sanitize::json(report, true).expect("the report serialises");
    out.push('\n');
    out
}
