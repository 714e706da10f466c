//! Finding the file and line of one entry, for a finding about it (rare: only damaged
//! journals need it, so it reads the few files concerned again rather than keeping every
//! record's position in memory).

use std::io::{BufRead as _, BufReader};
use std::path::Path;

use uuid::Uuid;

use super::reader::{console_of_file_name, list_dir, open_regular};
use super::record;

/// The file (name inside `journal_dir`) and 1-based line of the record of entry `id` written
/// by `console`; the first such record in file-name order. `None` if it is not (or no longer)
/// there.
pub fn locate(journal_dir: &Path, console: &str, id: Uuid) -> Option<(String, u64)> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: Uuid,
    }
    let files = list_dir(journal_dir).ok()?;
    for f in files
        .iter()
        .filter(|f| console_of_file_name(&f.name) == console)
    {
        let Ok(Some((file, _))) = open_regular(&f.path) else {
            continue;
        };
        let mut reader = BufReader::new(file);
        let mut line = Vec::new();
        let mut number = 0;
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            number += 1;
            let Some(body) = line.strip_suffix(b"\n") else {
                break;
            };
            let found = record::decode(body)
                .ok()
                .and_then(|env| serde_json::from_slice::<IdOnly>(env.entry).ok())
                .is_some_and(|e| e.id == id);
            if found {
                return Some((f.name.clone(), number));
            }
        }
    }
    None
}
