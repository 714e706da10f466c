//! [`Body`]'s JSON form, `{"kind":"note","text":…}`, read without buffering.
//!
//! serde's derive for an internally tagged enum reads the whole object into an owned tree
//! before it looks at the tag, then reads the tree a second time: a large share of decoding a
//! big journal. So `Body` derives the plain, externally tagged form as inherent functions
//! (`#[serde(remote = "Self")]`) and these adapters put the tag where the format has it. On
//! writing, `kind` becomes the object's first field, byte for byte what the derive wrote. On
//! reading, when `kind` comes first (crisisdesk always writes it first) the rest of the object
//! goes straight into the variant's fields; an object with `kind` elsewhere (another tool's) is
//! buffered first, as before. A kind this build does not know is [`Body::Unknown`], its fields
//! skipped.

use std::fmt;

use serde::de::value::{MapDeserializer, StrDeserializer};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, IntoDeserializer as _, MapAccess,
    VariantAccess, Visitor,
};
use serde::ser::{self, Impossible, SerializeStruct, Serializer};

use super::event::Body;

const TAG: &str = "kind";

/// Writes `body` as an object whose first field is its kind.
pub(super) fn serialize<S: Serializer>(body: &Body, s: S) -> Result<S::Ok, S::Error> {
    Body::serialize(body, Tagged(s))
}

/// Reads a body object; see the module comment.
pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Body, D::Error> {
    d.deserialize_map(BodyVisitor)
}

struct BodyVisitor;

impl<'de> Visitor<'de> for BodyVisitor {
    type Value = Body;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with a \"kind\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Body, A::Error> {
        let Some(first) = map.next_key::<Text<'de>>()? else {
            return Err(de::Error::missing_field(TAG));
        };
        if first.as_str() == TAG {
            let kind: Text<'de> = map.next_value()?;
            return Body::deserialize(Variant {
                kind: kind.as_str(),
                rest: map,
            });
        }
        // `kind` is not first: gather the object, then read it like the fast path would.
        let mut object = serde_json::Map::new();
        object.insert(first.as_str().to_owned(), map.next_value()?);
        while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
            object.insert(key, value);
        }
        let kind = match object.remove(TAG) {
            Some(serde_json::Value::String(kind)) => kind,
            Some(other) => {
                return Err(de::Error::invalid_type(
                    unexpected(&other),
                    &"the kind as a string",
                ));
            }
            None => return Err(de::Error::missing_field(TAG)),
        };
        let rest = MapDeserializer::<_, serde_json::Error>::new(object.into_iter());
        Body::deserialize(Variant { kind: &kind, rest }).map_err(de::Error::custom)
    }
}

fn unexpected(value: &serde_json::Value) -> de::Unexpected<'_> {
    match value {
        serde_json::Value::Null => de::Unexpected::Unit,
        serde_json::Value::Bool(b) => de::Unexpected::Bool(*b),
        serde_json::Value::Number(_) => de::Unexpected::Other("a number"),
        serde_json::Value::String(s) => de::Unexpected::Str(s),
        serde_json::Value::Array(_) => de::Unexpected::Seq,
        serde_json::Value::Object(_) => de::Unexpected::Map,
    }
}

/// A key or a kind: borrowed from the input when it has no escapes.
enum Text<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Text<'_> {
    fn as_str(&self) -> &str {
        match self {
            Text::Borrowed(s) => s,
            Text::Owned(s) => s,
        }
    }
}

impl<'de> de::Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text::Owned(v))
            }
        }
        d.deserialize_str(V)
    }
}

/// The enum as the derived (externally tagged) code expects it: the variant named by `kind`,
/// its fields in `rest`, the remainder of the object.
struct Variant<'a, M> {
    kind: &'a str,
    rest: M,
}

impl<'de, M: MapAccess<'de>> Deserializer<'de> for Variant<'_, M> {
    type Error = M::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, M::Error> {
        visitor.visit_enum(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de, M: MapAccess<'de>> EnumAccess<'de> for Variant<'_, M> {
    type Error = M::Error;
    type Variant = Fields<M>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Fields<M>), M::Error> {
        let kind: StrDeserializer<'_, M::Error> = self.kind.into_deserializer();
        Ok((seed.deserialize(kind)?, Fields(self.rest)))
    }
}

/// The rest of the object: the variant's fields.
struct Fields<M>(M);

impl<'de, M: MapAccess<'de>> VariantAccess<'de> for Fields<M> {
    type Error = M::Error;

    /// A kind without fields, or one this build does not know: whatever else the object holds
    /// is skipped.
    fn unit_variant(mut self) -> Result<(), M::Error> {
        while self.0.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _: T) -> Result<T::Value, M::Error> {
        Err(de::Error::custom(
            "an event body is never a newtype variant",
        ))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, M::Error> {
        Err(de::Error::custom("an event body is never a tuple variant"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, M::Error> {
        visitor.visit_map(self.0)
    }
}

/// A serializer that writes a variant as an object with its tag first.
struct Tagged<S>(S);

/// The fields of a struct variant, after the tag.
struct TaggedFields<S>(S);

impl<S: SerializeStruct> ser::SerializeStructVariant for TaggedFields<S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_field<T: ?Sized + serde::Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.0.serialize_field(key, value)
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(key)
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

fn not_a_variant<E: ser::Error>() -> E {
    E::custom("an event body serializes only as one of its kinds")
}

impl<S: Serializer> Serializer for Tagged<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Impossible<S::Ok, S::Error>;
    type SerializeTuple = Impossible<S::Ok, S::Error>;
    type SerializeTupleStruct = Impossible<S::Ok, S::Error>;
    type SerializeTupleVariant = Impossible<S::Ok, S::Error>;
    type SerializeMap = Impossible<S::Ok, S::Error>;
    type SerializeStruct = Impossible<S::Ok, S::Error>;
    type SerializeStructVariant = TaggedFields<S::SerializeStruct>;

    fn serialize_unit_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        let mut object = self.0.serialize_struct(name, 1)?;
        object.serialize_field(TAG, variant)?;
        object.end()
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        let mut object = self.0.serialize_struct(name, len + 1)?;
        object.serialize_field(TAG, variant)?;
        Ok(TaggedFields(object))
    }

    fn serialize_bool(self, _: bool) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_i8(self, _: i8) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_i16(self, _: i16) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_i32(self, _: i32) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_i64(self, _: i64) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_u8(self, _: u8) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_u16(self, _: u16) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_u32(self, _: u32) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_u64(self, _: u64) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_f32(self, _: f32) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_f64(self, _: f64) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_char(self, _: char) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_str(self, _: &str) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_some<T: ?Sized + serde::Serialize>(self, _: &T) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_newtype_struct<T: ?Sized + serde::Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_newtype_variant<T: ?Sized + serde::Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<S::Ok, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        Err(not_a_variant())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        Err(not_a_variant())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The derive this replaces, kept as the reference for the JSON shape.
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum Reference {
        Note {
            text: String,
        },
        Fact {
            text: String,
            #[serde(default = "yes")]
            confirmed: bool,
        },
        IncidentClosed {
            #[serde(default, skip_serializing_if = "Option::is_none")]
            text: Option<String>,
        },
        #[serde(other)]
        Unknown,
    }

    fn yes() -> bool {
        true
    }

    #[test]
    fn writes_what_the_internally_tagged_derive_wrote() {
        let pairs = [
            (
                Body::Note { text: "a".into() },
                Reference::Note { text: "a".into() },
            ),
            (
                Body::Fact {
                    text: "b\n\"c\"".into(),
                    confirmed: false,
                },
                Reference::Fact {
                    text: "b\n\"c\"".into(),
                    confirmed: false,
                },
            ),
            (
                Body::IncidentClosed { text: None },
                Reference::IncidentClosed { text: None },
            ),
            (Body::Unknown, Reference::Unknown),
        ];
        for (body, reference) in pairs {
            assert_eq!(
                serde_json::to_string(&body).unwrap(),
                serde_json::to_string(&reference).unwrap()
            );
        }
    }

    #[test]
    fn reads_kind_anywhere_and_skips_what_it_does_not_know() {
        let read = |json: &str| serde_json::from_str::<Body>(json);
        let fact = Body::Fact {
            text: "x".into(),
            confirmed: true,
        };
        assert_eq!(read(r#"{"kind":"fact","text":"x"}"#).unwrap(), fact);
        assert_eq!(read(r#"{"text":"x","kind":"fact"}"#).unwrap(), fact);
        assert_eq!(
            read(r#"{"kind":"fact","extra":[1,{"a":2}],"text":"x"}"#).unwrap(),
            fact
        );
        assert_eq!(
            read(r#"{"ki\u006ed":"f\u0061ct","text":"x"}"#).unwrap(),
            fact
        );
        assert_eq!(
            read(r#"{"kind":"hologram","room":{"n":7},"text":5}"#).unwrap(),
            Body::Unknown
        );
        assert_eq!(
            read(r#"{"room":7,"kind":"hologram"}"#).unwrap(),
            Body::Unknown
        );
        assert_eq!(
            read(r#"{"kind":"incident_closed"}"#).unwrap(),
            Body::IncidentClosed { text: None }
        );
        for bad in [
            r#"{}"#,
            r#"{"text":"x"}"#,
            r#"{"kind":"fact"}"#,
            r#"{"kind":5,"text":"x"}"#,
            r#"{"text":"x","kind":5}"#,
            r#"{"kind":"fact","text":7}"#,
            r#""fact""#,
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
        // What the fast path and the buffered path say about the same mistake.
        let missing = read(r#"{"kind":"note"}"#).unwrap_err().to_string();
        assert!(missing.contains("missing field `text`"), "{missing}");
    }
}
