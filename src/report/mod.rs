//! Post-incident reports (and, for exercises, after-action reports) as Markdown, HTML and
//! JSON, made from the journal alone: the same folder gives the same report on any machine.
//!
//! Pure: [`build`] turns the folded incident, its entries and what the journal reader found
//! into one data model ([`Report`]); [`json`] serialises it (the contract is
//! `docs/report-json.md`); [`markdown`] and [`html`] render it for people. The caller reads
//! the folder and writes the result.

pub mod build;
pub mod html;
pub mod json;
pub mod markdown;
pub mod metrics;
pub mod model;
pub mod svg;
pub mod text;
pub mod verify;
pub mod view;

pub use build::{Input, build};
pub use model::Report;

/// The three formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Json,
}

impl Format {
    /// The format a file name's extension implies (`.md`, `.markdown`, `.html`, `.htm`,
    /// `.json`), if any.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Renders a report in a format.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Markdown => markdown::render(report),
        Format::Html => html::render(report),
        Format::Json => json::render(report),
    }
}
