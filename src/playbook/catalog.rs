//! The playbooks a console offers: the shipped library (embedded in the binary, so crisisdesk
//! works from any folder) and the team's own files in `./playbooks`.
//!
//! A team's file overrides a shipped playbook with the same id — that is how a team adapts
//! one. A file whose text is identical to the shipped one (running from a checkout) is the
//! same playbook, not a conflict. Two of the team's files with one id: the first by file name
//! wins and the conflict is shown.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::load::{LoadError, Loaded, load_file, parse};

macro_rules! shipped {
    ($name:literal) => {
        ($name, include_str!(concat!("../../playbooks/", $name)))
    };
}

/// The shipped library: file name and text, embedded at build time, sorted by file name.
/// A test checks this list against the `playbooks/` folder.
pub const SHIPPED: &[(&str, &str)] = &[
    shipped!("awaria-wodociagow.json"),
    shipped!("data-breach.json"),
    shipped!("executive-misconduct.json"),
    shipped!("facility-fire.json"),
    shipped!("product-recall.json"),
    shipped!("ransomware.json"),
    shipped!("workplace-fatality.json"),
];

/// Where a playbook came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary, by file name.
    Shipped(&'static str),
    /// A file on disk.
    File(PathBuf),
}

impl Origin {
    /// How to name it to a user.
    pub fn describe(&self) -> String {
        match self {
            Origin::Shipped(name) => format!("shipped: {name}"),
            Origin::File(p) => p.display().to_string(),
        }
    }
}

/// A playbook that loaded, and where from.
#[derive(Clone, Debug)]
pub struct Entry {
    pub origin: Origin,
    pub loaded: Loaded,
}

/// Every playbook on offer, plus what went wrong while gathering them.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub entries: Vec<Entry>,
    /// Files that did not load, with all their problems.
    pub broken: Vec<LoadError>,
    /// Plain-words notes: id conflicts, shipped playbooks replaced by a team's file.
    pub notices: Vec<String>,
}

impl Catalog {
    /// The shipped library only.
    pub fn shipped(today: Option<Date>) -> Catalog {
        let mut c = Catalog::default();
        c.add_shipped(today);
        c
    }

    /// The team's files in `dir` (if it exists), then the shipped library.
    pub fn load(dir: &Path, today: Option<Date>) -> Catalog {
        let mut c = Catalog::default();
        for path in playbook_files(dir) {
            c.add(Origin::File(path.clone()), load_file(&path, today));
        }
        c.add_shipped(today);
        c
    }

    fn add_shipped(&mut self, today: Option<Date>) {
        for (name, text) in SHIPPED {
            let result = parse(&format!("(shipped) {name}"), text.as_bytes(), today);
            self.add(Origin::Shipped(name), result);
        }
    }

    fn add(&mut self, origin: Origin, result: Result<Loaded, LoadError>) {
        let loaded = match result {
            Ok(l) => l,
            Err(e) => {
                self.broken.push(e);
                return;
            }
        };
        let id = &loaded.playbook.id;
        if let Some(first) = self.entries.iter().find(|e| &e.loaded.playbook.id == id) {
            match (&first.origin, &origin) {
                (_, Origin::Shipped(_)) if first.loaded.source == loaded.source => {}
                (Origin::File(p), Origin::Shipped(name)) => self.notices.push(format!(
                    "{} replaces the shipped playbook {name} (same id \"{id}\")",
                    p.display()
                )),
                (first_origin, _) => self.notices.push(format!(
                    "{} is not used: its id \"{id}\" is already taken by {}",
                    origin.describe(),
                    first_origin.describe()
                )),
            }
            return;
        }
        self.entries.push(Entry { origin, loaded });
    }

    /// The playbook with this id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.loaded.playbook.id == id)
    }

    /// Ids on offer, for "did you mean" hints.
    pub fn ids(&self) -> Vec<String> {
        self.entries
            .iter()
            .map(|e| e.loaded.playbook.id.clone())
            .collect()
    }
}

/// `*.json` files directly in `dir`, sorted by name; `schema.json` and hidden or temp files
/// are not playbooks.
pub fn playbook_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| is_playbook_name(p))
        .collect();
    files.sort();
    files
}

/// Whether a file name looks like a playbook (and not an editor's temp file or the schema).
pub fn is_playbook_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.ends_with(".json") && !name.starts_with('.') && name != "schema.json"
}
