//! `crisisdesk report DIR [--format md|html|json] [-o FILE]`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Failure;
use crate::clock::Clock;
use crate::report::{self, Format, Input};
use crate::store::default_author;

/// The formats as the command line names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Markdown (GitHub-flavoured tables).
    Md,
    /// One self-contained HTML page with an SVG timeline.
    Html,
    /// The data behind the other two (docs/report-json.md).
    Json,
}

impl From<ReportFormat> for Format {
    fn from(f: ReportFormat) -> Format {
        match f {
            ReportFormat::Md => Format::Markdown,
            ReportFormat::Html => Format::Html,
            ReportFormat::Json => Format::Json,
        }
    }
}

/// Which format: the one asked for, else the output file's extension, else Markdown.
pub fn format_for(asked: Option<ReportFormat>, output: Option<&Path>) -> Result<Format, Failure> {
    match (asked, output) {
        (Some(f), _) => Ok(f.into()),
        (None, Some(file)) => Format::from_extension(file).ok_or_else(|| {
            Failure::invalid(format!(
                "cannot tell the format from the name {}: give --format md, html or json (or name the file .md, .html or .json)",
                file.display()
            ))
        }),
        (None, None) => Ok(Format::Markdown),
    }
}

/// `crisisdesk report`.
pub fn run(
    path: &Path,
    format: Option<ReportFormat>,
    output: Option<PathBuf>,
    clock: &dyn Clock,
) -> Result<(), Failure> {
    let format = format_for(format, output.as_deref())?;
    let (_, snap) = super::incident::load(path, &default_author())?;
    let set_aside = crate::store::foreign_findings(&path.join("journal"), &snap.foreign);
    let report = report::build(&Input {
        incident: &snap.incident,
        events: &snap.events,
        journal: &snap.report,
        set_aside: &set_aside,
        now: clock.now(),
    });
    let text = report::render(&report, format);
    match &output {
        Some(file) => {
            crate::store::replace_file(file, text.as_bytes())
                .map_err(|e| Failure::runtime(format!("cannot write {}: {e}", file.display())))?;
            super::emit(&format!("{}\n", file.display()))?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| Failure::runtime(format!("cannot write the report: {e}")))?;
        }
    }
    if report.integrity.damaged {
        let _ = writeln!(
            std::io::stderr(),
            "crisisdesk: warning: the journal is damaged ({}); the report says so at its top",
            report.integrity.status
        );
    }
    Ok(())
}
