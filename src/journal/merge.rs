//! Merging records of all files into one deterministic order, and the dedupe by id.
//!
//! Records are sorted through small keys rather than moving whole entries, then the entries
//! are permuted into place once, in their own vector, so the merge adds no second copy.

use std::cmp::Ordering;
use std::collections::hash_map::Entry as Slot;

use uuid::Uuid;

use super::report::DuplicateConflict;
use super::{Name, Stored};

/// Kept entry ids with their payload fingerprints.
pub(crate) type IdMap = super::ids::IdMap<u64>;

/// Sort key and bookkeeping of one record; `idx` is its position in the entries vector.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Key {
    pub at: jiff::Timestamp,
    /// Rank of the console id among all console ids.
    pub console: u32,
    pub seq: u64,
    /// Rank of the file name: breaks ties between a file and its conflict copies.
    pub file: u32,
    pub line: u64,
    pub fp: u64,
    pub id: Uuid,
    pub idx: u32,
}

impl Key {
    /// `(at, console, seq)`, then file name and line: a total order, so the result does not
    /// depend on the order the files were listed or read in.
    fn order(&self, other: &Self) -> Ordering {
        self.at
            .cmp(&other.at)
            .then(self.console.cmp(&other.console))
            .then(self.seq.cmp(&other.seq))
            .then(self.file.cmp(&other.file))
            .then(self.line.cmp(&other.line))
    }
}

/// Sorts `entries` by their keys and keeps the first record of each id in that order. With
/// `seen` (live tailing), ids already in it are dropped too and kept ids are added; it maps ids
/// to payload fingerprints. A dropped record whose fingerprint differs from the kept one is
/// returned as a conflict. `file_names` and `consoles` are indexed by `Key::file`.
pub(crate) fn merge<T>(
    mut entries: Vec<Stored<T>>,
    mut keys: Vec<Key>,
    seen: Option<&mut IdMap>,
    file_names: &[&str],
    consoles: &[&str],
) -> (Vec<Stored<T>>, Vec<DuplicateConflict>) {
    debug_assert_eq!(entries.len(), keys.len());
    // Stable sort: it merges the already sorted runs that files mostly are in linear time.
    keys.sort_by(Key::order);

    // Dedupe by sorting ids rather than through a hash map: ids of a journal arrive nearly
    // sorted (UUID v7), so this is close to linear and has no random memory access. The sort
    // is stable, so among equal ids the first in merge order comes first.
    let mut by_id: Vec<(Uuid, u32)> = keys
        .iter()
        .enumerate()
        .map(|(pos, key)| (key.id, pos as u32))
        .collect();
    by_id.sort_by_key(|&(id, _)| id);
    let mut keep = vec![true; keys.len()];
    let mut conflicts = Vec::new();
    let conflict = |key: &Key| DuplicateConflict {
        id: key.id,
        file: file_names[key.file as usize].to_owned(),
        line: key.line,
        seq: key.seq,
    };
    for run in by_id.chunk_by(|a, b| a.0 == b.0) {
        let first = &keys[run[0].1 as usize];
        for &(_, pos) in &run[1..] {
            keep[pos as usize] = false;
            let key = &keys[pos as usize];
            if key.fp != first.fp {
                conflicts.push(conflict(key));
            }
        }
    }
    drop(by_id);
    if let Some(seen) = seen {
        seen.reserve(keys.len());
        for (key, keep) in keys.iter().zip(&mut keep) {
            if !*keep {
                continue;
            }
            match seen.entry(key.id) {
                Slot::Vacant(slot) => {
                    slot.insert(key.fp);
                }
                Slot::Occupied(slot) => {
                    *keep = false;
                    if *slot.get() != key.fp {
                        conflicts.push(conflict(key));
                    }
                }
            }
        }
    }

    let mut perm = Vec::with_capacity(keys.len());
    let mut kept_files = Vec::with_capacity(keys.len());
    let mut dropped = Vec::new();
    for (key, keep) in keys.iter().zip(keep) {
        if keep {
            perm.push(key.idx);
            kept_files.push(key.file);
        } else {
            dropped.push(key.idx);
        }
    }
    drop(keys);

    let kept = perm.len();
    perm.extend(dropped);
    permute(&mut entries, &mut perm);
    entries.truncate(kept);
    // One shared name per console, not a copy per entry.
    let mut names: Vec<Option<Name>> = vec![None; consoles.len()];
    for (stored, file) in entries.iter_mut().zip(kept_files) {
        let file = file as usize;
        stored.console = names[file]
            .get_or_insert_with(|| Name::from(consoles[file]))
            .clone();
    }
    (entries, conflicts)
}

/// Reorders `v` in place so that `v[k]` becomes the old `v[perm[k]]`, following cycles.
/// `perm` is used up as the record of which positions are done.
fn permute<T>(v: &mut [T], perm: &mut [u32]) {
    const DONE: u32 = u32::MAX;
    for i in 0..perm.len() {
        if perm[i] == DONE {
            continue;
        }
        let mut j = i;
        loop {
            let k = perm[j] as usize;
            perm[j] = DONE;
            if k == i {
                break;
            }
            v.swap(j, k);
            j = k;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permute_applies_the_permutation() {
        let mut v = vec!['a', 'b', 'c', 'd', 'e'];
        let mut perm = vec![2, 0, 1, 4, 3];
        permute(&mut v, &mut perm);
        assert_eq!(v, ['c', 'a', 'b', 'e', 'd']);
    }
}
