//! The playbook format v1 end to end: the shipped library, the broken-file corpus, the
//! schema, and the `validate` / `schema` commands through the real binary.

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use crisisdesk::playbook::catalog::{Catalog, SHIPPED, playbook_files};
use crisisdesk::playbook::{self, schema, validate};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 27)
}

#[test]
fn every_shipped_playbook_validates_without_errors() {
    let files = playbook_files(&root().join("playbooks"));
    assert!(
        files.len() >= 7,
        "the library ships at least seven playbooks"
    );
    for f in &files {
        let loaded =
            playbook::load_file(f, Some(today())).unwrap_or_else(|e| panic!("{}", e.render()));
        let pb = &loaded.playbook;
        assert!(
            loaded.warnings.is_empty(),
            "{}: {:?}",
            f.display(),
            loaded.warnings
        );
        assert!(pb.stakeholders.len() >= 7, "{}: stakeholders", pb.id);
        assert!(pb.qa.len() >= 8, "{}: Q&A", pb.id);
        assert!(pb.injects.len() >= 10, "{}: injects", pb.id);
        assert!(pb.checklists.len() >= 3, "{}: checklists", pb.id);
        for s in &pb.stakeholders {
            assert!(
                pb.templates.iter().any(|t| t.stakeholders.contains(&s.id)),
                "{}: no template for stakeholder {}",
                pb.id,
                s.id
            );
        }
        assert!(
            pb.templates.iter().any(|t| t.body.contains("{{fill:")),
            "{}: templates have blanks to fill",
            pb.id
        );
    }
}

#[test]
fn the_embedded_library_is_exactly_the_playbooks_folder() {
    let on_disk: Vec<(String, String)> = playbook_files(&root().join("playbooks"))
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(p).unwrap())
        })
        .collect();
    let embedded: Vec<(String, String)> = SHIPPED
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    assert_eq!(on_disk, embedded, "add new playbooks to catalog::SHIPPED");
    let catalog = Catalog::shipped(Some(today()));
    assert!(catalog.broken.is_empty(), "{:?}", catalog.broken);
    assert_eq!(catalog.entries.len(), SHIPPED.len());
    let polish = catalog
        .entries
        .iter()
        .find(|e| e.loaded.playbook.language.as_deref() == Some("pl"));
    assert!(polish.is_some(), "one playbook is written in Polish");
}

#[test]
fn running_from_a_checkout_does_not_report_shipped_playbooks_as_conflicts() {
    let catalog = Catalog::load(&root().join("playbooks"), Some(today()));
    assert!(catalog.notices.is_empty(), "{:?}", catalog.notices);
    assert_eq!(catalog.entries.len(), SHIPPED.len());
}

/// Each `tests/fixtures/broken/NAME.json` must fail to load, and every non-empty line of
/// `NAME.expect` must appear in the rendered problems.
#[test]
fn broken_playbooks_fail_with_the_expected_message() {
    let dir = root().join("tests/fixtures/broken");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 25, "the corpus has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let expect_path = case.with_extension("expect");
        let expected = fs::read_to_string(&expect_path)
            .unwrap_or_else(|_| panic!("{} has no .expect file", case.display()));
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = fs::read(case).unwrap();
        match playbook::parse(&name, &bytes, Some(today())) {
            Ok(_) => failures.push(format!("{name}: loaded, but must not")),
            Err(e) => {
                let rendered = e.render();
                for want in expected.lines().filter(|l| !l.trim().is_empty()) {
                    if !rendered.contains(want) {
                        failures.push(format!("{name}: missing {want:?} in:\n{rendered}"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_fifty_megabyte_file_is_refused_quickly_and_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.json");
    let f = fs::File::create(&path).unwrap();
    f.set_len(50_000_000).unwrap();
    let e = playbook::load_file(&path, None).unwrap_err();
    assert!(e.render().contains("the file is 50.0 MB"), "{}", e.render());
}

#[test]
fn schema_json_matches_the_types() {
    let shipped = fs::read_to_string(root().join("playbooks/schema.json")).unwrap();
    assert_eq!(
        shipped,
        schema::json_schema(),
        "playbooks/schema.json is stale: run `cargo run -- schema > playbooks/schema.json`"
    );
}

#[test]
fn validator_keys_and_schema_properties_agree() {
    let schema: serde_json::Value = serde_json::from_str(&schema::json_schema()).unwrap();
    for (name, keys) in validate::OBJECT_KEYS {
        let props = if *name == "Playbook" {
            &schema["properties"]
        } else {
            &schema["$defs"][name]["properties"]
        };
        let mut in_schema: Vec<&str> = props
            .as_object()
            .unwrap_or_else(|| panic!("{name} is in the schema"))
            .keys()
            .map(String::as_str)
            .collect();
        let mut in_validator: Vec<&str> = keys.to_vec();
        in_schema.sort();
        in_validator.sort();
        assert_eq!(in_schema, in_validator, "keys of {name}");
    }
}

fn bin() -> Command {
    Command::cargo_bin("crisisdesk").unwrap()
}

#[test]
fn validate_exits_zero_for_good_files_and_two_for_bad_ones() {
    let good = root().join("playbooks/data-breach.json");
    let out = bin().arg("validate").arg(&good).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.starts_with(&format!("ok {} — ", good.display())),
        "{stdout}"
    );
    assert!(stdout.contains(" stakeholders, "), "{stdout}");
    assert!(stdout.contains(" templates, "), "{stdout}");
    assert!(stdout.contains(" injects"), "{stdout}");

    let bad = root().join("tests/fixtures/broken/unknown-top-level-key.json");
    let out = bin().arg("validate").arg(&good).arg(&bad).assert().code(2);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("did you mean \"stakeholders\"?"),
        "{stdout}"
    );
    assert!(stdout.contains("unknown-top-level-key.json:"), "{stdout}");

    bin().arg("validate").assert().code(2);
    bin()
        .arg("validate")
        .arg(root().join("no-such-file.json"))
        .assert()
        .code(2);
}

#[test]
fn validate_reports_two_files_sharing_an_id() {
    let good = root().join("playbooks/data-breach.json");
    let out = bin().arg("validate").arg(&good).arg(&good).assert().code(2);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("is also used by"), "{stdout}");
}

#[test]
fn validate_prints_warnings_without_failing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.json");
    let text = fs::read_to_string(root().join("playbooks/data-breach.json"))
        .unwrap()
        .replacen(
            "\"format\"",
            "\"last_reviewed\": \"2020-01-01\",\n  \"format\"",
            1,
        );
    let text = remove_key(&text, "last_reviewed", 1);
    fs::write(&path, text).unwrap();
    let out = bin().arg("validate").arg(&path).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("warning: the playbook was last reviewed on 2020-01-01"),
        "{stdout}"
    );
}

/// Drops every occurrence of a top-level `"key": "value",` line but the first `keep`.
fn remove_key(text: &str, key: &str, keep: usize) -> String {
    let mut seen = 0;
    text.lines()
        .filter(|l| {
            if l.trim_start().starts_with(&format!("\"{key}\"")) {
                seen += 1;
                seen <= keep
            } else {
                true
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn schema_command_prints_the_schema() {
    let out = bin().arg("schema").assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert_eq!(stdout, schema::json_schema());
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
}
