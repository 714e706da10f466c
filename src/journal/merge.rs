//! Merging records of all files into one deterministic order, and the dedupe by id.
//!
//! Records are sorted through small keys rather than moving whole entries, then the entries
//! are permuted into place once, in their own vector, so the merge adds no second copy.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::collections::hash_map::Entry as Slot;

use uuid::Uuid;

use super::Stored;
use super::report::DuplicateConflict;

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

/// Sorts `entries` by their keys and drops every record whose id is already in `seen` or
/// came earlier in the order. `seen` maps kept ids to their payload fingerprints; a dropped
/// record whose fingerprint differs is returned as a conflict. `consoles[k.file]` names the
/// console of a file.
pub(crate) fn merge<T>(
    mut entries: Vec<Stored<T>>,
    mut keys: Vec<Key>,
    seen: &mut HashMap<Uuid, u64>,
    file_names: &[&str],
    consoles: &[&str],
) -> (Vec<Stored<T>>, Vec<DuplicateConflict>) {
    debug_assert_eq!(entries.len(), keys.len());
    // Stable sort: it merges the already sorted runs that files mostly are in linear time.
    keys.sort_by(Key::order);

    seen.reserve(keys.len());
    let mut perm = Vec::with_capacity(keys.len());
    let mut kept_files = Vec::with_capacity(keys.len());
    let mut dropped = Vec::new();
    let mut conflicts = Vec::new();
    for key in &keys {
        match seen.entry(key.id) {
            Slot::Vacant(slot) => {
                slot.insert(key.fp);
                perm.push(key.idx);
                kept_files.push(key.file);
            }
            Slot::Occupied(slot) => {
                if *slot.get() != key.fp {
                    conflicts.push(DuplicateConflict {
                        id: key.id,
                        file: file_names[key.file as usize].to_owned(),
                        line: key.line,
                        seq: key.seq,
                    });
                }
                dropped.push(key.idx);
            }
        }
    }
    drop(keys);

    let kept = perm.len();
    perm.extend(dropped);
    permute(&mut entries, &mut perm);
    entries.truncate(kept);
    for (stored, file) in entries.iter_mut().zip(kept_files) {
        stored.console = consoles[file as usize].to_owned();
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
