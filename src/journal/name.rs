//! [`Name`]: a short text that many entries repeat (a console id, an author), shared instead of
//! copied.
//!
//! A million-entry journal names a handful of consoles and authors a million times each. As
//! `String`s those copies were a third of the memory an open incident took; as `Name`s each
//! distinct value is allocated once per reading thread and every entry holds a pointer to it.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// An immutable, cheaply cloned string. Reads like a `&str` (it derefs to one, compares with
/// `str`, `&str` and `String`, and prints as the text); serialized as a plain JSON string.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Name(Arc<str>);

impl Name {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A `Name` for `text`, sharing the allocation of one made recently on this thread for the
    /// same text. Decoding a journal calls this for every entry, so equal names read in a row
    /// (nearly all of them) cost a hash and a comparison, not an allocation.
    pub fn interned(text: &str) -> Name {
        RECENT.with(|recent| {
            let mut recent = recent.borrow_mut();
            let slot = &mut recent[slot_of(text)];
            match slot {
                Some(hit) if hit.as_str() == text => hit.clone(),
                _ => {
                    let name = Name(Arc::from(text));
                    *slot = Some(name.clone());
                    name
                }
            }
        })
    }
}

/// How many names each thread remembers: far more than the consoles and authors of a real
/// incident. A name has one slot, picked by its hash, so a folder of 100,000 one-entry files
/// (each its own console) costs a lookup per entry, not a search.
const RECENT_NAMES: usize = 64;

/// FNV-1a: names are short, and this runs once per name read.
fn slot_of(text: &str) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in text.as_bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    (h ^ (h >> 32)) as usize % RECENT_NAMES
}

thread_local! {
    static RECENT: RefCell<[Option<Name>; RECENT_NAMES]> =
        const { RefCell::new([const { None }; RECENT_NAMES]) };
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name(Arc::from(text))
    }
}

impl From<&String> for Name {
    fn from(text: &String) -> Name {
        Name(Arc::from(text.as_str()))
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name(Arc::from(text))
    }
}

impl From<Name> for String {
    fn from(name: Name) -> String {
        name.as_str().to_owned()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

impl serde::Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Name {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Name, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Name;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Name, E> {
                Ok(Name::interned(v))
            }
        }
        d.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_a_string() {
        let n = Name::from("anna@laptop");
        assert_eq!(n, "anna@laptop");
        assert_eq!("anna@laptop", n);
        assert_eq!(n, String::from("anna@laptop"));
        assert_eq!(n.len(), 11);
        assert_eq!(format!("{n} {n:?}"), "anna@laptop \"anna@laptop\"");
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"anna@laptop\"");
        let back: Name = serde_json::from_str("\"anna\\u0040laptop\"").unwrap();
        assert_eq!(back, n);
    }

    #[test]
    fn equal_names_decoded_on_one_thread_share_one_allocation() {
        let a: Name = serde_json::from_str("\"ben@desk\"").unwrap();
        let b: Name = serde_json::from_str("\"ben@desk\"").unwrap();
        assert!(Arc::ptr_eq(&a.0, &b.0));
        // More distinct names than the cache holds: still correct, just not shared.
        let many: Vec<Name> = (0..100).map(|i| Name::interned(&format!("n{i}"))).collect();
        for (i, n) in many.iter().enumerate() {
            assert_eq!(n.as_str(), format!("n{i}"));
        }
    }
}
