//! `crisisdesk report` through the real binary: formats, output files, errors, exit codes.

mod report_common;

use std::path::Path;

use assert_cmd::Command;
use report_common::*;

fn bin(cwd: &Path) -> Command {
    let mut c = Command::cargo_bin("crisisdesk").unwrap();
    c.current_dir(cwd)
        .env("CRISISDESK_NOW", "2026-12-05T12:00:00Z")
        .env("USER", "tester");
    c
}

fn stdout(c: &mut Command) -> String {
    String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap()
}

#[test]
fn markdown_by_default_and_the_format_from_the_file_name() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = scripted(tmp.path(), true);
    let md = stdout(bin(tmp.path()).arg("report").arg(&dir));
    assert!(
        md.starts_with("# Post-incident report: Customer records exposed"),
        "{}",
        &md[..100]
    );
    let json = stdout(
        bin(tmp.path())
            .arg("report")
            .arg(&dir)
            .args(["--format", "json"]),
    );
    let j: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(j["metrics"]["messages_sent"]["count"], 5);

    for (name, start) in [
        ("out.html", "<!DOCTYPE html>"),
        ("out.JSON", "{"),
        ("out.markdown", "# Post-incident report"),
    ] {
        let file = tmp.path().join(name);
        let printed = stdout(bin(tmp.path()).arg("report").arg(&dir).arg("-o").arg(&file));
        assert_eq!(printed.trim(), file.display().to_string(), "says where");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.starts_with(start), "{name}: {}", &text[..40]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "a report is as private as the journal");
        }
    }
    // --format wins over the name; a second run replaces the file.
    let file = tmp.path().join("report.txt");
    stdout(
        bin(tmp.path())
            .arg("report")
            .arg(&dir)
            .args(["--format", "html", "-o"])
            .arg(&file),
    );
    stdout(
        bin(tmp.path())
            .arg("report")
            .arg(&dir)
            .args(["--format", "json", "-o"])
            .arg(&file),
    );
    assert!(std::fs::read_to_string(&file).unwrap().starts_with('{'));
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
}

#[test]
fn the_same_folder_gives_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = scripted(tmp.path(), true);
    for format in ["md", "html", "json"] {
        let a = stdout(
            bin(tmp.path())
                .arg("report")
                .arg(&dir)
                .args(["--format", format]),
        );
        let b = stdout(
            bin(tmp.path())
                .env("CRISISDESK_NOW", "2031-01-01T00:00:00Z")
                .env("TZ", "Asia/Tokyo")
                .arg("report")
                .arg(&dir)
                .args(["--format", format]),
        );
        assert_eq!(
            a, b,
            "{format}: a closed incident's report depends only on its journal"
        );
    }
}

#[test]
fn bad_input_is_refused_with_exit_2_and_output_errors_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = scripted(tmp.path(), false);
    let out = bin(tmp.path())
        .arg("report")
        .arg(&dir)
        .args(["-o", "report.pdf"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("cannot tell the format from the name report.pdf"),
        "{err}"
    );
    assert!(!tmp.path().join("report.pdf").exists());

    let out = bin(tmp.path()).args(["report", "nowhere"]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("not an incident folder"), "{err}");

    let out = bin(tmp.path())
        .arg("report")
        .arg(&dir)
        .args(["-o", "no/such/folder/report.md"])
        .assert()
        .code(1);
    assert!(
        String::from_utf8_lossy(&out.get_output().stderr)
            .contains("cannot write no/such/folder/report.md")
    );

    if Path::new("/dev/full").exists() {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("crisisdesk"))
            .current_dir(tmp.path())
            .env("CRISISDESK_NOW", "2026-12-05T12:00:00Z")
            .arg("report")
            .arg(&dir)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "a full disk is a runtime failure, not a panic"
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the report"));
    }
    // An open incident: an interim report as of the pinned clock.
    let md = stdout(bin(tmp.path()).arg("report").arg(&dir));
    assert!(md.contains("**Interim, as of 2026-12-05 13:00 CET.**"));
}

#[test]
fn a_damaged_journal_is_reported_and_warned_about() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = scripted(tmp.path(), true);
    let anna = std::fs::read_dir(dir.join("journal"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("anna"))
        .unwrap();
    let mut bytes = std::fs::read(&anna).unwrap();
    let at = bytes.len() - 20;
    bytes[at] ^= 0x01;
    std::fs::write(&anna, bytes).unwrap();
    let out = bin(tmp.path()).arg("report").arg(&dir).assert().success();
    let md = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("warning: the journal is damaged (corrupt)"),
        "{err}"
    );
    let first_lines: String = md.lines().take(3).collect();
    assert!(
        first_lines.contains("**Warning: damaged record.**"),
        "{first_lines}"
    );
    assert!(
        first_lines.contains("line 24: the record's bytes changed after it was written"),
        "{first_lines}"
    );
}

#[test]
fn verify_checks_a_report_against_the_folder_and_names_the_file_that_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = scripted(tmp.path(), true);
    let report = tmp.path().join("report.json");
    stdout(
        bin(tmp.path())
            .arg("report")
            .arg(&dir)
            .arg("-o")
            .arg(&report),
    );
    let ok = stdout(
        bin(tmp.path())
            .arg("verify")
            .arg(&dir)
            .arg("--report")
            .arg(&report),
    );
    assert!(ok.contains("unchanged since the report"), "{ok}");
    assert!(
        ok.contains(&format!("ok {}: made from this record", report.display())),
        "{ok}"
    );

    // A file written later is named, and is not a mismatch.
    let mut w = crisisdesk::journal::JournalWriter::create_with_session(
        dir.join("journal"),
        "carl@pc",
        id(0xc3),
    )
    .unwrap();
    let origin = crisisdesk::incident::Origin {
        author: "carl@pc".into(),
        console: w.console_id().to_owned(),
    };
    let at = t("2026-12-01T09:00:00Z");
    w.append(&crisisdesk::incident::Event::new(
        id(600),
        at,
        at,
        &origin,
        crisisdesk::incident::Body::Note {
            text: "later".into(),
        },
    ))
    .unwrap();
    let grown = stdout(
        bin(tmp.path())
            .arg("verify")
            .arg(&dir)
            .arg("--report")
            .arg(&report),
    );
    assert!(
        grown.contains("carl-pc-") && grown.contains("new since the report"),
        "{grown}"
    );

    // Ben's last record cut off: the report no longer matches, and says which file.
    let ben = std::fs::read_dir(dir.join("journal"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("ben"))
        .unwrap();
    let bytes = std::fs::read(&ben).unwrap();
    let cut = bytes[..bytes.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap()
        + 1;
    std::fs::write(&ben, &bytes[..cut]).unwrap();
    let out = bin(tmp.path())
        .arg("verify")
        .arg(&dir)
        .arg("--report")
        .arg(&report)
        .assert()
        .code(3);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let ben_name = ben.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        text.contains(&format!("journal/{ben_name}: changed since the report")),
        "{text}"
    );
    assert!(
        err.contains(&format!("{ben_name} changed or missing")),
        "{err}"
    );
    let json = bin(tmp.path())
        .arg("verify")
        .arg(&dir)
        .args(["--json", "--report"])
        .arg(&report)
        .assert()
        .code(3);
    let j: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    let states: Vec<&str> = j["report"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["unchanged", "changed", "new"]);

    // Not a report: exit 2 with where it went wrong.
    std::fs::write(tmp.path().join("bad.json"), "{\"integrity\":{}}").unwrap();
    let out = bin(tmp.path())
        .arg("verify")
        .arg(&dir)
        .args(["--report", "bad.json"])
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("/integrity/chain_heads"));
}

#[test]
fn the_console_writes_report_html_and_md_into_the_folder_and_says_where() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = scripted(tmp.path(), false);
    let said =
        crisisdesk::tui::write_reports(&dir, "tester@test", t("2026-11-28T12:00:00Z")).unwrap();
    let html = dir.join("report.html");
    let md = dir.join("report.md");
    assert_eq!(
        said,
        format!(
            "report.html and report.md in {} (interim: the incident is open)",
            dir.display()
        )
    );
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.contains("**Interim, as of 2026-11-28 13:00 CET.**"));
    // The same bytes as the command gives.
    let cli = stdout(
        bin(tmp.path())
            .env("CRISISDESK_NOW", "2026-11-28T12:00:00Z")
            .arg("report")
            .arg(&dir),
    );
    assert_eq!(md, cli);
}

#[test]
fn an_open_exercise_is_judged_at_its_scenario_time() {
    let tmp = tempfile::tempdir().unwrap();
    let run =
        |now: &str, args: &[&str]| stdout(bin(tmp.path()).env("CRISISDESK_NOW", now).args(args));
    // Scenario from Friday 6 March 2026 17:00 Berlin (16:00 UTC), ten times real speed,
    // started at 09:00 UTC on 2 March: six real minutes later it is 17:00 + 1 h in the scenario.
    let out = run(
        "2026-03-02T09:00:00Z",
        &[
            "exercise",
            "data-breach",
            "--title",
            "Drill",
            "--speed",
            "10",
            "--scenario-start",
            "2026-03-06 17:00",
        ],
    );
    let dir = out.lines().last().unwrap().to_owned();
    run("2026-03-02T09:00:00Z", &["exercise", "start", &dir]);
    let json = run(
        "2026-03-02T09:06:00Z",
        &["report", &dir, "--format", "json"],
    );
    let j: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(j["kind"], "after_action");
    assert_eq!(j["incident"]["interim"], true);
    assert_eq!(j["incident"]["as_of"], "2026-03-06T17:00:00Z");
    let md = run("2026-03-02T09:06:00Z", &["report", &dir]);
    assert!(
        md.starts_with("# EXERCISE — After-action report: Drill"),
        "{}",
        &md[..80]
    );
    assert!(md.contains("**Interim, as of 2026-03-06 18:00 CET.**"));
}
