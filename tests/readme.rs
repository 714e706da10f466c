//! The README tried as a new user would: every ```sh block, in order, in one shell, in a
//! fresh folder, with `crisisdesk` on the PATH and the real clock — exactly as written, so a
//! reader copying them gets what the README promises.
//!
//! Two kinds of line cannot run inside `cargo test` and are checked instead of run: the
//! `cargo …` lines of "The two commands" (the console, and this very test suite), and
//! `crisisdesk tail`, which follows the journal until interrupted: it runs for two seconds and
//! must have printed the timeline. The one block fenced as ```text is the output of the
//! check's example, compared with what the example prints.

use std::path::{Path, PathBuf};
use std::process::Command;

fn readme() -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md")
}

/// The ```sh blocks, in order.
fn sh_blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.trim_start()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(_), "```") => out.push(current.take().expect("open")),
            (Some(b), _) => {
                b.push_str(line);
                b.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// The script a reader would type: the blocks joined, with the lines that cannot run here
/// replaced by what checks them.
fn script(blocks: &[String]) -> String {
    let mut s = String::from("set -euo pipefail\n");
    let mut continued = false;
    for block in blocks {
        for line in block.lines() {
            let t = line.trim_start();
            if !continued && t.starts_with("cargo ") {
                let cmd = t.split('#').next().unwrap_or("").trim();
                assert!(
                    ["cargo run --release", "cargo test"].contains(&cmd),
                    "a cargo line the test does not know: {line}"
                );
                continue;
            }
            if !continued && t.starts_with("crisisdesk tail ") {
                let cmd = t.split('#').next().unwrap_or("").trim();
                s.push_str(&format!(
                    "out=$(timeout 2 {cmd} || true); test -n \"$out\" || {{ echo '{cmd} printed nothing' >&2; exit 1; }}\n"
                ));
                continue;
            }
            continued = line.trim_end().ends_with('\\');
            s.push_str(line);
            s.push('\n');
        }
    }
    s
}

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_crisisdesk"))
        .parent()
        .expect("the binary's folder")
        .to_path_buf()
}

#[test]
fn every_command_block_of_the_readme_runs_as_written_in_a_fresh_folder() {
    let blocks = sh_blocks(&readme());
    assert!(blocks.len() >= 4, "the README's command blocks: {blocks:?}");
    let walkthrough = blocks
        .iter()
        .find(|b| b.contains("crisisdesk new"))
        .expect("the headless walkthrough");
    // No id from someone else's incident, no fixed date that makes every deadline overdue.
    assert!(!walkthrough.contains("4eabc561"), "{walkthrough}");
    assert!(!walkthrough.contains("--detected-at"), "{walkthrough}");
    let tmp = tempfile::tempdir().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(script(&blocks))
        .current_dir(tmp.path())
        .env("PATH", path)
        .env_remove("CRISISDESK_NOW")
        .env("USER", "reader")
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the README's commands failed:\n{stderr}\n--- output ---\n{stdout}"
    );
    // What the walkthrough promises: the playbooks written and valid, the statement sent
    // (both approvals in, one through the inbox), the media clock met, the inquiry answered.
    assert!(
        stdout.contains("wrote playbooks/data-breach.json"),
        "{stdout}"
    );
    assert!(stdout.contains("ok playbooks/data-breach.json"), "{stdout}");
    assert!(stdout.contains("Nothing is overdue"), "{stdout}");
    let incident = std::fs::read_dir(tmp.path().join("incidents"))
        .expect("the walkthrough made an incidents folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with("-customer-records-exposed"))
        })
        .expect("the walkthrough's incident");
    let out = Command::new(env!("CARGO_BIN_EXE_crisisdesk"))
        .args(["status", "--json"])
        .arg(&incident)
        .output()
        .expect("status runs");
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).expect("status --json");
    assert_eq!(status["counts"]["messages_sent"], 1, "{status:#}");
    assert_eq!(status["counts"]["drafts"], 0, "{status:#}");
    let media = status["stakeholders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "media")
        .unwrap();
    assert_eq!(media["deadlines"][0]["state"], "met", "{media:#}");
    assert!(
        tmp.path().join("playbooks/schema.json").is_file(),
        "the schema is exported beside the playbooks"
    );
    // The check's example prints what the README shows: the same findings, kind and subject,
    // in the same order, and the conflict it acknowledges is acknowledged.
    let shown = findings(&text_blocks(&readme()).join("\n"));
    let printed = std::fs::read_to_string(tmp.path().join("findings.txt")).expect("findings.txt");
    assert_eq!(findings(&printed), shown, "{printed}");
    assert!(printed.starts_with("9 findings to look at"), "{printed}");
    let example = tmp
        .path()
        .join("incidents/2026-11-27-what-did-we-tell-whom");
    let out = Command::new(env!("CARGO_BIN_EXE_crisisdesk"))
        .args(["check", "--json"])
        .arg(&example)
        .output()
        .expect("check runs");
    let check: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check --json");
    let conflict = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "conflict")
        .expect("the conflict");
    assert!(
        conflict["acknowledged"].is_object(),
        "the README acknowledged it: {conflict:#}"
    );
}

/// The ```text blocks (output shown, not run).
fn text_blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match (&mut current, line.trim_start()) {
            (None, "```text") => current = Some(String::new()),
            (Some(_), "```") => out.push(current.take().expect("open")),
            (Some(b), _) => {
                b.push_str(line);
                b.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// The findings `crisisdesk check` lists, as (kind, subject): `conflict 9611b19f2c4d — start
/// date` gives ("conflict", "start date").
fn findings(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| {
            let (kind, rest) = l.split_once(' ')?;
            let (_, subject) = rest.split_once(" — ")?;
            ["conflict", "stale", "unconfirmed"]
                .contains(&kind)
                .then(|| (kind.to_owned(), subject.to_owned()))
        })
        .collect()
}
