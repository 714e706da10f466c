//! The layers stay layers: the domain uses no terminal, async or argument-parsing crate, and
//! nothing below the front ends reaches up into them. See docs/design.md ("Module map").
//!
//! This reads the source: every path written in code (comments and string literals are
//! skipped) is checked against what its layer may use.

use std::path::{Path, PathBuf};

/// Crates only the front ends may use.
const FRONT_END_CRATES: &[&str] = &[
    "clap",
    "ratatui",
    "ratatui_textarea",
    "crossterm",
    "tokio",
    "futures",
];
/// Modules that are front ends (the command line, the console, and the `log` words they share).
const FRONT_END_MODULES: &[&str] = &["cli", "tui", "command_line"];
/// The I/O shell between the domain and the front ends.
const SHELL_MODULES: &[&str] = &["store", "watch", "inbox"];

/// Where a source file sits.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Layer {
    /// Pure: no I/O crates, no front ends, no shell.
    Domain,
    /// The journal: files, but no front ends and no terminal or async.
    Journal,
    /// Files and watches: no front ends.
    Shell,
    Cli,
    Console,
    /// `command_line.rs`: clap words shared by the CLI and the console.
    Words,
    Root,
}

fn layer_of(rel: &Path) -> Layer {
    let first = rel
        .components()
        .next()
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or("");
    match first.trim_end_matches(".rs") {
        "cli" => Layer::Cli,
        "tui" => Layer::Console,
        "command_line" => Layer::Words,
        "journal" => Layer::Journal,
        "store" | "watch" | "inbox" => Layer::Shell,
        "main" | "lib" => Layer::Root,
        _ => Layer::Domain,
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file with comments and string and char literals blanked out, so a doc
/// comment that mentions `crate::tui` is not a dependency.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let rest = &src[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            i += end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(rest.len(), |e| e + 2);
            i += end;
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].chars().take_while(|c| *c == '#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let start = 2 + hashes;
            let end = rest[start..]
                .find(&close)
                .map_or(rest.len(), |e| start + e + close.len());
            out.push_str("\"\"");
            i += end;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            i = (j + 1).min(b.len());
        } else if b[i] == b'\'' && i + 2 < b.len() && (b[i + 2] == b'\'' || b[i + 1] == b'\\') {
            // A char literal ('a', '\n', '\''); lifetimes ('a) are left alone.
            let end = src[i + 1..]
                .char_indices()
                .skip(1)
                .find(|(_, c)| *c == '\'')
                .map_or(1, |(k, _)| k + 2);
            out.push_str("' '");
            i += end;
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Every `a::b` path head in the code: the first segment and, after `crate::`, the module.
fn used(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let is_ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < bytes.len() {
        if is_ident(bytes[i]) && (i == 0 || !is_ident(bytes[i - 1]) && bytes[i - 1] != b':') {
            let start = i;
            while i < bytes.len() && is_ident(bytes[i]) {
                i += 1;
            }
            let word = &code[start..i];
            if code[i..].starts_with("::") {
                if word == "crate" {
                    let tail = &code[i + 2..];
                    let module: String = tail
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if module.is_empty() && tail.starts_with('{') {
                        // `use crate::{a, b::c}`: every head in the braces.
                        let inner = &tail[1..tail.find('}').unwrap_or(tail.len())];
                        for part in inner.split(',') {
                            let head: String = part
                                .trim()
                                .chars()
                                .take_while(|c| c.is_alphanumeric() || *c == '_')
                                .collect();
                            found.push(format!("crate::{head}"));
                        }
                    } else {
                        found.push(format!("crate::{module}"));
                    }
                } else {
                    found.push(word.to_owned());
                }
            }
        } else {
            i += 1;
        }
    }
    found
}

fn violations() -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut bad = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap().to_path_buf();
        let layer = layer_of(&rel);
        let code = code_only(&std::fs::read_to_string(&file).unwrap());
        for path in used(&code) {
            let module = path.strip_prefix("crate::");
            let refused = match layer {
                Layer::Domain => {
                    FRONT_END_CRATES.contains(&path.as_str())
                        || path == "notify"
                        || module.is_some_and(|m| {
                            FRONT_END_MODULES.contains(&m) || SHELL_MODULES.contains(&m)
                        })
                }
                Layer::Journal => {
                    FRONT_END_CRATES.contains(&path.as_str())
                        || module.is_some_and(|m| {
                            FRONT_END_MODULES.contains(&m) || SHELL_MODULES.contains(&m)
                        })
                }
                Layer::Shell => {
                    FRONT_END_CRATES.contains(&path.as_str())
                        || module.is_some_and(|m| FRONT_END_MODULES.contains(&m))
                }
                Layer::Words => {
                    module.is_some_and(|m| FRONT_END_MODULES.contains(&m) && m != "command_line")
                }
                Layer::Console => module == Some("cli"),
                Layer::Cli | Layer::Root => false,
            };
            if refused {
                bad.push(format!("{} ({layer:?}) uses {path}", rel.display()));
            }
        }
        // The screens read the console's state (`tui::model`, `tui::rows`), never its update
        // logic: drawing must not be able to change what it draws.
        if rel.starts_with("tui/ui") {
            for reach in ["crate::tui::app", "super::app", "super::super::app"] {
                if code.contains(reach) {
                    bad.push(format!("{} (screen) uses {reach}", rel.display()));
                }
            }
        }
    }
    bad.sort();
    bad.dedup();
    bad
}

#[test]
fn layers_use_only_what_they_may() {
    let bad = violations();
    assert!(bad.is_empty(), "layering broken:\n{}", bad.join("\n"));
}

#[test]
fn the_scanner_sees_real_uses_and_ignores_comments_and_strings() {
    let code = code_only(
        "use crate::tui::app; // crate::cli here\nlet s = \"crossterm::x\"; clap::Parser; let c = '\"'; crate::{store, incident::x};",
    );
    let u = used(&code);
    assert!(u.contains(&"crate::tui".to_owned()), "{u:?}");
    assert!(u.contains(&"clap".to_owned()), "{u:?}");
    assert!(u.contains(&"crate::store".to_owned()), "{u:?}");
    assert!(u.contains(&"crate::incident".to_owned()), "{u:?}");
    assert!(!u.contains(&"crate::cli".to_owned()), "{u:?}");
    assert!(!u.contains(&"crossterm".to_owned()), "{u:?}");
    assert_eq!(layer_of(Path::new("incident/command.rs")), Layer::Domain);
    assert_eq!(layer_of(Path::new("tui/ui/board.rs")), Layer::Console);
    assert_eq!(layer_of(Path::new("inbox.rs")), Layer::Shell);
}
