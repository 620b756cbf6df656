//! Order-preserving key encoding: a key is a tuple of typed parts, and byte order of encoded keys
//! equals tuple order. Composite prefixes therefore list with `scan_prefix`.
//!
//! Each part starts with a type tag. Numbers are fixed-width big-endian; ids are their 16 bytes;
//! strings are UTF-8 with 0x00 escaped as 0x00 0xFF and end with 0x00, so "a" sorts before "a\0"
//! and before "ab", and a string part is never a prefix of a different string part.

use crate::domain::Id;
use std::fmt::Write;

const TAG_U64: u8 = 0x01;
const TAG_ID: u8 = 0x02;
const TAG_STR: u8 = 0x03;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    U64(u64),
    Id(Id),
    Str(String),
}

impl From<u64> for Part {
    fn from(n: u64) -> Self {
        Part::U64(n)
    }
}
impl From<Id> for Part {
    fn from(id: Id) -> Self {
        Part::Id(id)
    }
}
impl From<&str> for Part {
    fn from(s: &str) -> Self {
        Part::Str(s.to_string())
    }
}
impl From<&String> for Part {
    fn from(s: &String) -> Self {
        Part::Str(s.clone())
    }
}

/// Builds a key part by part.
#[derive(Debug, Default, Clone)]
pub struct Key(Vec<u8>);

impl Key {
    pub fn new() -> Self {
        Key(Vec::with_capacity(32))
    }
    pub fn part(mut self, p: impl Into<Part>) -> Self {
        match p.into() {
            Part::U64(n) => {
                self.0.push(TAG_U64);
                self.0.extend_from_slice(&n.to_be_bytes());
            }
            Part::Id(id) => {
                self.0.push(TAG_ID);
                self.0.extend_from_slice(id.as_bytes());
            }
            Part::Str(s) => {
                self.0.push(TAG_STR);
                for &b in s.as_bytes() {
                    self.0.push(b);
                    if b == 0 {
                        self.0.push(0xFF);
                    }
                }
                self.0.push(0x00);
            }
        }
        self
    }
    pub fn bytes(self) -> Vec<u8> {
        self.0
    }
}

pub fn encode(parts: &[Part]) -> Vec<u8> {
    parts.iter().cloned().fold(Key::new(), Key::part).bytes()
}

/// Decodes a key; None for bytes that no `encode` produced.
pub fn decode(mut b: &[u8]) -> Option<Vec<Part>> {
    let mut parts = Vec::new();
    while let Some((&tag, rest)) = b.split_first() {
        b = rest;
        match tag {
            TAG_U64 => {
                let (n, rest) = b.split_first_chunk::<8>()?;
                parts.push(Part::U64(u64::from_be_bytes(*n)));
                b = rest;
            }
            TAG_ID => {
                let (n, rest) = b.split_first_chunk::<16>()?;
                parts.push(Part::Id(Id::from_bytes(*n)));
                b = rest;
            }
            TAG_STR => {
                let mut s = Vec::new();
                loop {
                    let (&c, rest) = b.split_first()?;
                    b = rest;
                    if c == 0 {
                        if b.first() == Some(&0xFF) {
                            s.push(0);
                            b = &b[1..];
                        } else {
                            break;
                        }
                    } else {
                        s.push(c);
                    }
                }
                parts.push(Part::Str(String::from_utf8(s).ok()?));
            }
            _ => return None,
        }
    }
    Some(parts)
}

/// A readable form for the audit log and error messages: parts joined by '/'.
pub fn describe(key: &[u8]) -> String {
    match decode(key) {
        Some(parts) => parts
            .iter()
            .map(|p| match p {
                Part::U64(n) => n.to_string(),
                Part::Id(id) => id.to_string(),
                Part::Str(s) => s.clone(),
            })
            .collect::<Vec<_>>()
            .join("/"),
        None => String::from_utf8(key.to_vec()).unwrap_or_else(|_| hex(key)),
    }
}

pub fn hex(b: &[u8]) -> String {
    b.iter().fold(String::with_capacity(b.len() * 2), |mut s, x| {
        let _ = write!(s, "{x:02x}");
        s
    })
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn part() -> impl Strategy<Value = Part> {
        prop_oneof![
            any::<u64>().prop_map(Part::U64),
            any::<[u8; 16]>().prop_map(|b| Part::Id(Id::from_bytes(b))),
            ".*".prop_map(Part::Str),
            // Strings with NULs and high bytes, where escaping matters.
            proptest::collection::vec(prop_oneof![Just('\0'), Just('a'), Just('\u{ff}'), Just('支')], 0..6)
                .prop_map(|cs| Part::Str(cs.into_iter().collect())),
        ]
    }

    /// Tuples of one schema: what the store compares in one tree.
    fn same_schema_pair() -> impl Strategy<Value = (Vec<Part>, Vec<Part>)> {
        proptest::collection::vec(0u8..3, 1..4).prop_flat_map(|schema| {
            let one = |schema: Vec<u8>| {
                schema
                    .into_iter()
                    .map(|t| match t {
                        0 => any::<u64>().prop_map(Part::U64).boxed(),
                        1 => any::<[u8; 16]>().prop_map(|b| Part::Id(Id::from_bytes(b))).boxed(),
                        _ => "[a\\x00\\xff支]{0,5}".prop_map(Part::Str).boxed(),
                    })
                    .collect::<Vec<_>>()
            };
            (one(schema.clone()), one(schema))
        })
    }

    proptest! {
        #[test]
        fn keys_round_trip(parts in proptest::collection::vec(part(), 0..5)) {
            prop_assert_eq!(decode(&encode(&parts)), Some(parts));
        }

        #[test]
        fn keys_keep_tuple_order((a, b) in same_schema_pair()) {
            prop_assert_eq!(encode(&a).cmp(&encode(&b)), a.cmp(&b));
        }

        #[test]
        fn a_prefix_tuple_encodes_to_a_byte_prefix(parts in proptest::collection::vec(part(), 1..4), more in part()) {
            let short = encode(&parts);
            let mut longer = parts.clone();
            longer.push(more);
            prop_assert!(encode(&longer).starts_with(&short));
        }
    }

    #[test]
    fn string_parts_are_not_prefixes_of_each_other() {
        let a = encode(&[Part::from("A01")]);
        let b = encode(&[Part::from("A012")]);
        assert!(!b.starts_with(&a), "listing children of A01 must not include A012's");
    }

    #[test]
    fn hex_round_trips_and_describe_is_readable() {
        let k = encode(&[Part::from("城关镇"), Part::U64(7)]);
        assert_eq!(unhex(&hex(&k)), Some(k.clone()));
        assert_eq!(describe(&k), "城关镇/7");
        assert_eq!(unhex("zz"), None);
    }
}
