//! Editing a message in `$EDITOR`, and the texts kept until they are recorded.
//!
//! The text goes into a private file in the kept-texts folder
//! (`$XDG_STATE_HOME/crisisdesk/drafts`, else `~/.local/state/crisisdesk/drafts`) named after
//! the incident and the message. The file stays there until its text is recorded as an entry
//! or the person discards it: if the editor fails, the console stops, or the machine goes
//! down, the next console that opens the incident offers the text again.

use std::io;
use std::path::{Path, PathBuf};

use uuid::Uuid;

/// A text kept for a message of an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptText {
    pub message: Uuid,
    pub text: String,
    pub file: PathBuf,
}

/// The folder of kept texts.
pub fn drafts_dir() -> PathBuf {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".local/state"))
        })
        .unwrap_or_else(std::env::temp_dir);
    state.join("crisisdesk").join("drafts")
}

fn ensure_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// Where the text of `message` in `incident` is kept.
pub fn kept_file(dir: &Path, incident: Uuid, message: Uuid) -> PathBuf {
    dir.join(format!("{}-{}.txt", incident.simple(), message.simple()))
}

/// Keeps `text` for a message (replacing what was kept before).
pub fn keep(dir: &Path, incident: Uuid, message: Uuid, text: &str) -> io::Result<PathBuf> {
    ensure_dir(dir)?;
    let file = kept_file(dir, incident, message);
    let _ = std::fs::remove_file(&file);
    crate::store::write_private_file(&file, text.as_bytes())?;
    Ok(file)
}

/// The texts kept for an incident's messages, oldest first.
pub fn kept_for(dir: &Path, incident: Uuid) -> Vec<KeptText> {
    let prefix = format!("{}-", incident.simple());
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(std::time::SystemTime, KeptText)> = read
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_owned();
            let message = name.strip_prefix(&prefix)?.strip_suffix(".txt")?;
            let message = Uuid::try_parse(message).ok()?;
            let text = std::fs::read_to_string(e.path()).ok()?;
            let modified = e.metadata().and_then(|m| m.modified()).ok()?;
            Some((
                modified,
                KeptText {
                    message,
                    text: text.trim_end_matches('\n').to_owned(),
                    file: e.path(),
                },
            ))
        })
        .collect();
    found.sort_by_key(|(t, _)| *t);
    found.into_iter().map(|(_, k)| k).collect()
}

/// How an editor run ended.
#[derive(Debug)]
pub enum Edited {
    /// The editor exited normally; this is the file's text now.
    Done(String),
    /// The editor failed; the file's text (if it could be read) is still worth keeping.
    Failed { why: String, text: Option<String> },
}

/// Runs `$VISUAL`, else `$EDITOR`, else `vi`, on `file` and reads the file back. The caller
/// has given the terminal to the editor; the file is never removed here.
pub fn run_editor(file: &Path) -> Edited {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|v| !v.trim().is_empty())
        })
        .unwrap_or_else(|| "vi".into());
    let mut parts = shlex::split(&editor).unwrap_or_else(|| vec![editor.clone()]);
    if parts.is_empty() {
        parts.push("vi".into());
    }
    let program = parts.remove(0);
    let status = std::process::Command::new(&program)
        .args(parts)
        .arg(file)
        .status();
    let read = || {
        std::fs::read_to_string(file)
            .ok()
            .map(|t| t.trim_end_matches('\n').to_owned())
    };
    match status {
        Ok(s) if s.success() => match read() {
            Some(t) => Edited::Done(t),
            None => Edited::Failed {
                why: format!("the edited file {} could not be read", file.display()),
                text: None,
            },
        },
        Ok(s) => Edited::Failed {
            why: format!("the editor ({program}) exited with {s}"),
            text: read(),
        },
        Err(e) => Edited::Failed {
            why: format!("the editor ({program}) could not start: {e}"),
            text: read(),
        },
    }
}

/// Removes a kept text once it is recorded or discarded.
pub fn forget(file: &Path) {
    let _ = std::fs::remove_file(file);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_texts_are_found_by_incident_and_replaced_by_message() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("drafts");
        let (inc, other, m) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        keep(&dir, inc, m, "first").unwrap();
        let f = keep(&dir, inc, m, "second\n").unwrap();
        keep(&dir, other, m, "elsewhere").unwrap();
        let kept = kept_for(&dir, inc);
        assert_eq!(
            kept,
            vec![KeptText {
                message: m,
                text: "second".into(),
                file: f.clone()
            }]
        );
        forget(&f);
        assert!(kept_for(&dir, inc).is_empty());
        assert_eq!(kept_for(&dir, other).len(), 1);
    }
}
