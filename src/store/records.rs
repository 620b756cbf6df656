//! How each kind of record is keyed, indexed and enveloped.
//!
//! Values are JSON in a versioned envelope `{"v":N,"d":...}`: readable in a backup, and an older
//! record is migrated on read by its kind's `migrate`.

use super::Table;
use super::error::{Result, StoreError};
use super::keys::{Key, describe};
use crate::domain::{Finding, Id, ItemResult, Org, Round, TemplateSnapshot, Visit};
use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::marker::PhantomData;

pub trait Record: Serialize + DeserializeOwned {
    const TABLE: Table;
    /// The envelope version this build writes.
    const VERSION: u32 = 1;
    fn key(&self) -> Vec<u8>;
    /// Index entries (table, key) that point at this record; written and removed with it.
    fn indexes(&self) -> Vec<(Table, Vec<u8>)> {
        Vec::new()
    }
    /// Brings an older envelope's data up to `VERSION`: the per-record migration hook. No kind
    /// has changed shape yet, so there is nothing an older record could be migrated from.
    fn migrate(from: u32, _data: Value) -> std::result::Result<Value, String> {
        Err(format!("no migration from record version {from}"))
    }
}

#[derive(Serialize)]
struct EnvelopeOut<'a, T> {
    v: u32,
    d: &'a T,
}

pub fn encode<T: Record>(r: &T) -> Vec<u8> {
    // Serialising our own plain structs to JSON cannot fail (no maps with non-string keys).
    serde_json::to_vec(&EnvelopeOut { v: T::VERSION, d: r }).unwrap_or_default()
}

/// Reads a stored record in one pass: the envelope's `v` comes first (as `encode` writes it), so
/// `d` is read straight into `T` when it is the current version; only an older record's `d` goes
/// through a `Value`, for its kind's `migrate`. An envelope with `d` before `v` (not one xuncha
/// writes, but a backup is text) is still read, through a `Value`.
pub fn decode<T: Record>(key: &[u8], bytes: &[u8]) -> Result<T> {
    let bad = |reason: String| StoreError::BadRecord { table: T::TABLE.name(), key: describe(key), reason };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let read = (&mut de).deserialize_map(EnvelopeVisitor::<T>(PhantomData)).and_then(|r| de.end().map(|()| r));
    match read.map_err(|e| bad(e.to_string()))? {
        Read::Current(r) => Ok(r),
        Read::Value(v, data) if v == T::VERSION => serde_json::from_value(data).map_err(|e| bad(e.to_string())),
        Read::Value(v, data) if v < T::VERSION => {
            let data = T::migrate(v, data).map_err(bad)?;
            serde_json::from_value(data).map_err(|e| bad(e.to_string()))
        }
        Read::Value(v, _) | Read::Newer(v) => Err(bad(format!("record version {v} is newer than this xuncha ({})", T::VERSION))),
    }
}

/// What an envelope held: the record itself; its data as a `Value` (an older version, or `d`
/// read before `v`); or only a version newer than this build's.
enum Read<T> {
    Current(T),
    Value(u32, Value),
    Newer(u32),
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum Field {
    V,
    D,
    #[serde(other)]
    Other,
}

struct EnvelopeVisitor<T>(PhantomData<T>);

impl<'de, T: Record> Visitor<'de> for EnvelopeVisitor<T> {
    type Value = Read<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a record envelope {\"v\":N,\"d\":...}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Read<T>, A::Error> {
        let mut version: Option<u32> = None;
        let mut read: Option<Read<T>> = None;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::V if version.is_some() => return Err(de::Error::duplicate_field("v")),
                Field::V => version = Some(map.next_value()?),
                Field::D if read.is_some() => return Err(de::Error::duplicate_field("d")),
                Field::D => {
                    read = Some(match version {
                        Some(v) if v == T::VERSION => Read::Current(map.next_value()?),
                        Some(v) if v > T::VERSION => {
                            map.next_value::<de::IgnoredAny>()?;
                            Read::Newer(v)
                        }
                        // Older, or no version yet (0 until `v` comes): kept as a Value.
                        v => Read::Value(v.unwrap_or(0), map.next_value()?),
                    })
                }
                Field::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        let version = version.ok_or_else(|| de::Error::missing_field("v"))?;
        match read {
            Some(Read::Value(_, data)) => Ok(Read::Value(version, data)),
            Some(r) => Ok(r),
            None => Err(de::Error::missing_field("d")),
        }
    }
}

/// The index entries of a stored value, used to remove them when the record changes.
pub fn indexes_of<T: Record>(key: &[u8], bytes: &[u8]) -> Result<Vec<(Table, Vec<u8>)>> {
    Ok(decode::<T>(key, bytes)?.indexes())
}

pub fn org_key(code: &str) -> Vec<u8> {
    Key::new().part(code).bytes()
}

/// Children are indexed under their parent's code; roots under "".
pub fn children_prefix(parent: Option<&str>) -> Vec<u8> {
    Key::new().part(parent.unwrap_or("")).bytes()
}

impl Record for Org {
    const TABLE: Table = Table::Orgs;
    fn key(&self) -> Vec<u8> {
        org_key(&self.code)
    }
    fn indexes(&self) -> Vec<(Table, Vec<u8>)> {
        vec![(Table::OrgChildren, Key::new().part(self.parent.as_deref().unwrap_or("")).part(&self.code).bytes())]
    }
}

impl Record for TemplateSnapshot {
    const TABLE: Table = Table::Templates;
    fn key(&self) -> Vec<u8> {
        Key::new().part(&self.hash).bytes()
    }
}

/// The team's roster: one record, the highest version signed by the leader.
impl Record for crate::domain::team::SignedRoster {
    const TABLE: Table = Table::Team;
    fn key(&self) -> Vec<u8> {
        Key::new().part("roster").bytes()
    }
}

impl Record for Round {
    const TABLE: Table = Table::Rounds;
    fn key(&self) -> Vec<u8> {
        Key::new().part(self.id).bytes()
    }
}

pub fn visit_key(round: Id, org: &str) -> Vec<u8> {
    Key::new().part(round).part(org).bytes()
}

impl Record for Visit {
    const TABLE: Table = Table::Visits;
    fn key(&self) -> Vec<u8> {
        visit_key(self.round, &self.org)
    }
}

pub fn result_key(round: Id, org: &str, item: &str) -> Vec<u8> {
    Key::new().part(round).part(org).part(item).bytes()
}

impl Record for ItemResult {
    const TABLE: Table = Table::Results;
    fn key(&self) -> Vec<u8> {
        result_key(self.round, &self.org, &self.item)
    }
}

impl Record for Finding {
    const TABLE: Table = Table::Findings;
    fn key(&self) -> Vec<u8> {
        Key::new().part(self.id).bytes()
    }
    fn indexes(&self) -> Vec<(Table, Vec<u8>)> {
        vec![(Table::FindingsByVisit, Key::new().part(self.round).part(&self.org).part(self.id).bytes())]
    }
}

/// A named counter that only goes up: problem numbers per quarter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counter {
    pub name: String,
    pub value: u64,
}

impl Record for Counter {
    const TABLE: Table = Table::Counters;
    fn key(&self) -> Vec<u8> {
        Key::new().part(&self.name).bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A kind at its second version: version 1 called `value` `count`.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Twice {
        name: String,
        value: u64,
    }

    impl Record for Twice {
        const TABLE: Table = Table::Counters;
        const VERSION: u32 = 2;
        fn key(&self) -> Vec<u8> {
            Key::new().part(&self.name).bytes()
        }
        fn migrate(from: u32, mut data: Value) -> std::result::Result<Value, String> {
            match (from, data.as_object_mut()) {
                (1, Some(m)) => {
                    let count = m.remove("count").ok_or("no count")?;
                    m.insert("value".into(), count);
                    Ok(data)
                }
                _ => Err(format!("no migration from record version {from}")),
            }
        }
    }

    fn reason(r: Result<Twice>) -> String {
        match r {
            Err(StoreError::BadRecord { table, key, reason }) => {
                assert_eq!((table, key.as_str()), ("counters", "k"));
                reason
            }
            other => panic!("expected a bad record, got {other:?}"),
        }
    }

    #[test]
    fn the_current_version_reads_directly_and_round_trips() {
        let t = Twice { name: "k".into(), value: 7 };
        let bytes = encode(&t);
        assert_eq!(String::from_utf8_lossy(&bytes), r#"{"v":2,"d":{"name":"k","value":7}}"#);
        assert_eq!(decode::<Twice>(b"k", &bytes).unwrap(), t);
        // `d` before `v`, and fields xuncha does not know, are read too.
        assert_eq!(decode::<Twice>(b"k", br#"{"d":{"name":"k","value":7},"x":[1],"v":2}"#).unwrap(), t);
    }

    #[test]
    fn an_older_version_goes_through_its_migration() {
        let old = br#"{"v":1,"d":{"name":"k","count":7}}"#;
        assert_eq!(decode::<Twice>(b"k", old).unwrap(), Twice { name: "k".into(), value: 7 });
        let early = br#"{"d":{"name":"k","count":7},"v":1}"#;
        assert_eq!(decode::<Twice>(b"k", early).unwrap(), Twice { name: "k".into(), value: 7 });
        let why = reason(decode::<Twice>(b"k", br#"{"v":0,"d":{"name":"k","count":7}}"#));
        assert_eq!(why, "no migration from record version 0");
    }

    #[test]
    fn a_newer_version_and_broken_envelopes_are_refused_by_name() {
        let why = reason(decode::<Twice>(b"k", br#"{"v":3,"d":{"anything":true}}"#));
        assert_eq!(why, "record version 3 is newer than this xuncha (2)");
        let why = reason(decode::<Twice>(b"k", br#"{"d":{"anything":true},"v":3}"#));
        assert_eq!(why, "record version 3 is newer than this xuncha (2)");
        assert!(reason(decode::<Twice>(b"k", br#"{"d":{"name":"k","value":7}}"#)).contains("missing field `v`"));
        assert!(reason(decode::<Twice>(b"k", br#"{"v":2}"#)).contains("missing field `d`"));
        assert!(reason(decode::<Twice>(b"k", br#"{"v":2,"v":2,"d":{}}"#)).contains("duplicate field `v`"));
        assert!(reason(decode::<Twice>(b"k", br#"{"v":2,"d":{"name":"k","value":7},"d":{}}"#)).contains("duplicate field `d`"));
        assert!(reason(decode::<Twice>(b"k", br#"{"v":2,"d":{"name":"k"}}"#)).contains("missing field `value`"));
        assert!(reason(decode::<Twice>(b"k", br#"{"v":2,"d":{"name":"k","value":7}} x"#)).contains("trailing characters"));
        assert!(reason(decode::<Twice>(b"k", br#"{"v":2,"d":{"name":"k","value":"#)).contains("EOF"));
        assert!(!reason(decode::<Twice>(b"k", b"[2, {}]")).is_empty());
    }
}
