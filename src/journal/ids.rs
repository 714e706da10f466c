//! Hash maps keyed by entry ids: the journal's dedupe and the fold's lookups share them.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use uuid::Uuid;

/// A hash map keyed by entry ids.
pub type IdMap<V> = HashMap<Uuid, V, IdState>;

/// Builds [`IdHasher`]s with a random seed per map family.
///
/// Ids are uuid v7 (random low bits) or content hashes, so a multiply-xorshift mix spreads
/// them well; SipHash was the largest single cost of the dedupe and a visible share of the
/// fold on a million entries. The seed keeps someone who writes ids on purpose from making
/// every lookup collide.
#[derive(Clone, Copy, Debug)]
pub struct IdState(u64);

impl IdState {
    /// A fresh random seed.
    pub fn new() -> Self {
        IdState(std::hash::RandomState::new().hash_one(0x5eed_u64) | 1)
    }
}

impl Default for IdState {
    fn default() -> Self {
        IdState::new()
    }
}

impl BuildHasher for IdState {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(self.0)
    }
}

/// The hasher [`IdState`] builds.
#[derive(Clone, Copy, Debug)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0 ^ u64::from_le_bytes(word))
                .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                .rotate_left(29);
        }
    }

    fn finish(&self) -> u64 {
        let h = (self.0 ^ (self.0 >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 29)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_differ_in_one_bit_hash_apart() {
        let s = IdState::new();
        let a = s.hash_one(Uuid::from_u128(1));
        let b = s.hash_one(Uuid::from_u128(3));
        assert_ne!(a, b);
        let mut m: IdMap<u32> = IdMap::default();
        for n in 0..1000u128 {
            m.insert(Uuid::from_u128(n << 64), n as u32);
        }
        assert_eq!(m.len(), 1000);
        assert_eq!(m[&Uuid::from_u128(7 << 64)], 7);
    }
}
