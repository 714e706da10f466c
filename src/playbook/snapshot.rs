//! Playbook snapshots parsed once: a cache keyed by the snapshot's bytes.
//!
//! Every fold of an incident starts from the playbook text its journal recorded, and parsing
//! and validating that text costs milliseconds. A console refolding after a correction, the
//! start screen summarising several incidents on one playbook, and a report folding again all
//! parse the same bytes; they share one result instead, and every [`Incident`] folded from
//! the same text points at the same [`Playbook`].
//!
//! [`Incident`]: crate::incident::Incident

use std::hash::{BuildHasher as _, RandomState};
use std::sync::{Arc, LazyLock, Mutex};

use super::load::{LoadError, parse};
use super::model::Playbook;

/// Distinct snapshots kept: an incident has one or a few (adopted versions), a start screen a
/// handful of playbooks. The oldest is forgotten first.
const KEPT: usize = 16;

struct Parsed {
    hash: u64,
    text: Arc<str>,
    playbook: Arc<Playbook>,
}

struct Cache {
    hasher: RandomState,
    /// Most recently used last.
    parsed: Vec<Parsed>,
}

static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(|| {
    Mutex::new(Cache {
        hasher: RandomState::new(),
        parsed: Vec::new(),
    })
});

/// The playbook a journal's snapshot text describes, parsed and validated (warnings are not
/// kept: the snapshot is the record, not something to fix). A text that does not load is
/// parsed again each time, so its errors are reported each time.
pub fn snapshot(text: &str) -> Result<Arc<Playbook>, LoadError> {
    let hash = {
        let cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
        cache.hasher.hash_one(text)
    };
    if let Some(hit) = lookup(hash, text) {
        return Ok(hit);
    }
    // Parsed outside the lock: another thread may parse the same text meanwhile, which only
    // costs the time; the first to finish is kept.
    let playbook = Arc::new(parse("playbook snapshot", text.as_bytes(), None)?.playbook);
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(i) = cache
        .parsed
        .iter()
        .position(|p| p.hash == hash && &*p.text == text)
    {
        return Ok(Arc::clone(&cache.parsed[i].playbook));
    }
    if cache.parsed.len() == KEPT {
        cache.parsed.remove(0);
    }
    cache.parsed.push(Parsed {
        hash,
        text: Arc::from(text),
        playbook: Arc::clone(&playbook),
    });
    Ok(playbook)
}

fn lookup(hash: u64, text: &str) -> Option<Arc<Playbook>> {
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    let i = cache
        .parsed
        .iter()
        .position(|p| p.hash == hash && &*p.text == text)?;
    let hit = cache.parsed.remove(i);
    let playbook = Arc::clone(&hit.playbook);
    cache.parsed.push(hit);
    Some(playbook)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = include_str!("../../playbooks/data-breach.json");

    #[test]
    fn the_same_text_is_parsed_once_and_shared() {
        let a = snapshot(TEXT).unwrap();
        let copy = String::from(TEXT);
        let b = snapshot(copy.as_str()).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(a.id, "data-breach");
        let edited = TEXT.replacen("Personal data breach", "Personal data breach (v2)", 1);
        let c = snapshot(&edited).unwrap();
        assert!(!Arc::ptr_eq(&a, &c));
        assert_ne!(*a, *c);
    }

    #[test]
    fn a_text_that_does_not_load_is_reported_every_time() {
        for _ in 0..2 {
            let e = snapshot("{\"format\": 1}").unwrap_err();
            assert!(e.errors().count() > 0);
        }
    }
}
