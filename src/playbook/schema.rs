//! The JSON Schema (draft 2020-12) of format v1, generated from the Rust types so it cannot
//! drift from what the program reads. `playbooks/schema.json` is this output.

use super::model::Playbook;

/// The schema as pretty-printed JSON with a trailing newline.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Playbook);
    let mut out = serde_json::to_string_pretty(&schema).expect("a schema always serialises");
    out.push('\n');
    out
}
