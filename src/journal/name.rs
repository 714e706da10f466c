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
    /// (nearly all of them) cost a comparison, not an allocation.
    pub fn interned(text: &str) -> Name {
        RECENT.with(|recent| {
            let mut recent = recent.borrow_mut();
            if let Some(hit) = recent.names.iter().find(|n| n.as_str() == text) {
                return hit.clone();
            }
            let name = Name(Arc::from(text));
            if recent.names.len() < RECENT_NAMES {
                recent.names.push(name.clone());
            } else {
                let slot = recent.next;
                recent.names[slot] = name.clone();
                recent.next = (slot + 1) % RECENT_NAMES;
            }
            name
        })
    }
}

/// How many distinct names each thread remembers: more than the consoles and authors of any
/// real incident, few enough that a linear scan is the fastest lookup.
const RECENT_NAMES: usize = 32;

#[derive(Default)]
struct Recent {
    names: Vec<Name>,
    /// The slot replaced next once `names` is full.
    next: usize,
}

thread_local! {
    static RECENT: RefCell<Recent> = RefCell::default();
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
