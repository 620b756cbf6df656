//! How each kind of record is keyed, indexed and enveloped.
//!
//! Values are JSON in a versioned envelope `{"v":N,"d":...}`: readable in a backup, and an older
//! record is migrated on read by its kind's `migrate`.

use super::Table;
use super::error::{Result, StoreError};
use super::keys::{Key, describe};
use crate::domain::{Finding, Id, ItemResult, Org, Round, TemplateSnapshot, Visit};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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

#[derive(Deserialize)]
struct EnvelopeIn {
    v: u32,
    d: Value,
}

pub fn encode<T: Record>(r: &T) -> Vec<u8> {
    // Serialising our own plain structs to JSON cannot fail (no maps with non-string keys).
    serde_json::to_vec(&EnvelopeOut { v: T::VERSION, d: r }).unwrap_or_default()
}

pub fn decode<T: Record>(key: &[u8], bytes: &[u8]) -> Result<T> {
    let bad = |reason: String| StoreError::BadRecord { table: T::TABLE.name(), key: describe(key), reason };
    let env: EnvelopeIn = serde_json::from_slice(bytes).map_err(|e| bad(e.to_string()))?;
    let data = match env.v {
        v if v == T::VERSION => env.d,
        v if v < T::VERSION => T::migrate(v, env.d).map_err(bad)?,
        v => return Err(bad(format!("record version {v} is newer than this xuncha ({})", T::VERSION))),
    };
    serde_json::from_value(data).map_err(|e| bad(e.to_string()))
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
