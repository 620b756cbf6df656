//! The append-only, hash-chained audit log.
//!
//! Each entry is stored as `{"hash": H, "entry": E}` where H is the SHA-256 of E's exact stored
//! text and E names the previous entry's hash. Editing any entry breaks its own hash; removing or
//! replacing one breaks the next entry's link; the meta head names the last entry. A chain
//! rewritten consistently from some entry on is caught by comparing with a head printed earlier
//! (every export prints it).
//!
//! Each change in an entry holds the SHA-256 of the exact bytes it stored for the record, so the
//! chain also covers the records: a record edited, added or removed behind xuncha's back no
//! longer matches the latest hash the log holds for its key.
//!
//! From schema 3 a change is compact: the hashes of the record's bytes before and after, and
//! only the fields that differ, each with its value before and after (a new record: its fields;
//! a delete: the hash before). The record's whole value at any entry is its earlier values with
//! the diffs applied (`Change::replay`). Entries of schema 1 and 2 keep their whole values
//! before and after; they are never rewritten (the chain is append-only), and both formats are
//! verified and replayed alike.

use super::Table;
use super::keys::{Key, Part, describe, hex};
use crate::domain::LaptopId;
use crate::domain::fields::{diff_into, set_path};
use crate::i18n::K;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

pub(super) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One record's change within an entry: the record's key, the SHA-256 of the bytes stored (None
/// for a delete) and, from schema 3, of the bytes before (None for a new record). Unless the
/// commit was bulk generated data, also what the change recorded: from schema 3 a new record's
/// fields (`fields`) or the fields that changed with their values before and after (`diff`);
/// up to schema 2, whole values before and after (`old`, `new`). Entries keep the format they
/// were written in: the chain is append-only, and both formats verify.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub table: String,
    /// Readable: the key's parts joined by '/'.
    pub key: String,
    /// The key's bytes in hex, only when the readable form could name two keys (a part holding
    /// '/'), so that matching records to changes is exact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// Schema 3: the SHA-256 of the bytes the record had before (None: it is new).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// Schema 3: a new record's data (its envelope's `d`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Value>,
    /// Schema 3: the fields of a changed record whose values differ, by path (`rect.status` for
    /// a field of a nested object; arrays whole; `$v` for the envelope's version), each with
    /// its value before and after (null: absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<BTreeMap<String, [Value; 2]>>,
    /// Schema 1 and 2: the whole stored value before (None: absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// Schema 1 and 2: the whole stored value after (None: absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

impl Change {
    /// `values`: whether what changed is kept (not for bulk generated data). A record with the
    /// same bytes before and after is not a change and never reaches here.
    pub(super) fn new(table: Table, key: &[u8], old: Option<&[u8]>, new: Option<&[u8]>, values: bool) -> Change {
        let raw = match ident(key) {
            Ident::Raw(h) => Some(h),
            Ident::Readable(_) => None,
        };
        let (fields, diff) = match (old, new) {
            (None, Some(n)) if values => (Some(data(&stored(n))), None),
            (Some(o), Some(n)) if values => {
                let mut out = BTreeMap::new();
                let (o, n) = (stored(o), stored(n));
                if o.get("v") != n.get("v") {
                    out.insert("$v".to_string(), [o.get("v").cloned().unwrap_or(Value::Null), n.get("v").cloned().unwrap_or(Value::Null)]);
                }
                diff_into(&mut out, "", &data(&o), &data(&n));
                (None, Some(out))
            }
            _ => (None, None),
        };
        Change {
            table: table.name().to_string(),
            key: describe(key),
            raw,
            hash: new.map(record_hash),
            before: old.map(record_hash),
            fields,
            diff,
            old: None,
            new: None,
        }
    }

    /// Whether the change kept what it recorded (not a bulk entry's list of hashes). A delete
    /// keeps nothing but the hash before, and is shown.
    pub fn has_values(&self) -> bool {
        self.fields.is_some()
            || self.diff.is_some()
            || self.old.is_some()
            || self.new.is_some()
            || (self.hash.is_none() && self.before.is_some())
    }

    /// The record's data (the envelope's `d`) before and after this change, given its data after
    /// the record's previous change when the log holds it (`known`); Null for absent or unknown.
    /// From a diff alone (no `known`), the data holds only the fields that changed. Works for
    /// both formats, so that the history reads every entry the same way.
    pub fn replay(&self, known: Option<&Value>) -> (Value, Value) {
        let d = |v: &Option<Value>| v.as_ref().map(data).unwrap_or(Value::Null);
        if self.old.is_some() || self.new.is_some() {
            return (d(&self.old), d(&self.new));
        }
        if let Some(f) = &self.fields {
            return (Value::Null, f.clone());
        }
        let Some(diff) = &self.diff else {
            // A delete, or a bulk change without values.
            let before = if self.before.is_some() { known.cloned().unwrap_or(Value::Null) } else { Value::Null };
            return (before, Value::Null);
        };
        let mut old = known.cloned().unwrap_or_else(|| Value::Object(Default::default()));
        let mut new = old.clone();
        for (path, [a, b]) in diff.iter().filter(|(p, _)| p.as_str() != "$v") {
            if known.is_none() {
                set_path(&mut old, path, a.clone());
            }
            set_path(&mut new, path, b.clone());
        }
        (old, new)
    }
}

/// A stored value as JSON; bytes that are not JSON as a string (records are always JSON).
fn stored(b: &[u8]) -> Value {
    serde_json::from_slice::<Value>(b).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(b).into()))
}

/// A stored value's data: its envelope's `d`, or the value itself if it is not an envelope.
fn data(v: &Value) -> Value {
    match v.get("d") {
        Some(d) if v.get("v").is_some() => d.clone(),
        _ => v.clone(),
    }
}

/// The SHA-256 of a record's stored bytes, as the audit log keeps it.
pub(super) fn record_hash(bytes: &[u8]) -> String {
    sha256_hex(bytes)
}

/// How a change names its record, exactly: the readable key, or the key's hex when the readable
/// form is ambiguous.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Ident {
    Readable(String),
    Raw(String),
}

pub(super) fn ident(key: &[u8]) -> Ident {
    match super::keys::decode(key) {
        Some(parts) if !parts.iter().any(|p| matches!(p, Part::Str(s) if s.contains('/'))) => Ident::Readable(describe(key)),
        _ => Ident::Raw(hex(key)),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub laptop: LaptopId,
    pub action: String,
    #[serde(default)]
    pub detail: Value,
    #[serde(default)]
    pub changes: Vec<Change>,
    pub prev: String,
    /// Not part of the hashed text: filled from the stored wrapper.
    #[serde(skip)]
    pub hash: String,
}

/// The meta record naming the last entry.
#[derive(Serialize, Deserialize)]
pub(super) struct Head {
    pub seq: u64,
    pub hash: String,
}

#[derive(Deserialize)]
struct StoredRef<'a> {
    hash: String,
    #[serde(borrow)]
    entry: &'a RawValue,
}

fn sha256_hex(b: &[u8]) -> String {
    super::keys::hex(&Sha256::digest(b))
}

impl AuditEntry {
    /// The entry that follows `head` (None: the first one).
    pub(super) fn next(
        head: Option<&[u8]>,
        at: DateTime<Utc>,
        actor: &str,
        laptop: LaptopId,
        action: &str,
        detail: &Value,
        changes: Vec<Change>,
    ) -> Result<AuditEntry, super::StoreError> {
        let (seq, prev) = match head {
            None => (1, GENESIS.to_string()),
            Some(h) => {
                let h: Head = serde_json::from_slice(h).map_err(|e| super::StoreError::BadRecord {
                    table: "meta",
                    key: "audit_head".into(),
                    reason: e.to_string(),
                })?;
                (h.seq + 1, h.hash)
            }
        };
        Ok(AuditEntry {
            seq,
            at,
            actor: actor.to_string(),
            laptop,
            action: action.to_string(),
            detail: detail.clone(),
            changes,
            prev,
            hash: String::new(),
        })
    }

    /// (audit key, stored value, new meta head).
    pub(super) fn encode(&self) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let text = serde_json::to_string(self).unwrap_or_default();
        let hash = sha256_hex(text.as_bytes());
        let stored = format!("{{\"hash\":\"{hash}\",\"entry\":{text}}}");
        let head = serde_json::to_vec(&Head { seq: self.seq, hash }).unwrap_or_default();
        (Key::new().part(self.seq).bytes(), stored.into_bytes(), head)
    }

    pub(super) fn decode(_key: &[u8], value: &[u8]) -> Result<AuditEntry, String> {
        let stored: StoredRef<'_> = serde_json::from_slice(value).map_err(|e| e.to_string())?;
        let mut entry: AuditEntry = serde_json::from_str(stored.entry.get()).map_err(|e| e.to_string())?;
        entry.hash = stored.hash;
        Ok(entry)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct VerifyReport {
    pub entries: u64,
    pub last_hash: String,
    /// The first broken entry's sequence number and what is wrong with it.
    pub broken: Option<(u64, String)>,
    /// Records checked against the latest hash the log holds for them (0 when the chain is
    /// broken: then the log cannot vouch for anything).
    pub records: u64,
    /// The first record that does not match the log: table, readable key, what is wrong.
    pub record: Option<(String, String, String)>,
}

impl VerifyReport {
    /// The chain is whole and every record matches it.
    pub fn intact(&self) -> bool {
        self.broken.is_none() && self.record.is_none()
    }
}

/// The part of an entry that verification reads: no values, so a bulk entry of 10,000 changes
/// stays cheap.
#[derive(Deserialize)]
struct LightEntry {
    seq: u64,
    prev: String,
    #[serde(default)]
    changes: Vec<LightChange>,
}

#[derive(Deserialize)]
struct LightChange {
    table: String,
    key: String,
    #[serde(default)]
    raw: Option<String>,
    #[serde(default)]
    hash: Option<String>,
    #[serde(default)]
    new: Option<serde::de::IgnoredAny>,
}

/// What the log last said about one record.
#[derive(Debug, Clone)]
pub(super) struct Latest {
    pub seq: u64,
    pub key: String,
    /// None: deleted, or an entry from before records were hashed.
    pub hash: Option<String>,
    /// Whether that change wrote a value (a change without hash that wrote one predates hashes).
    pub wrote: bool,
}

/// The chain walked: its length, last hash, first break, and the latest change of every key.
pub(super) struct Chain {
    pub entries: u64,
    pub last_hash: String,
    pub broken: Option<(u64, String)>,
    pub latest: HashMap<(String, Ident), Latest>,
}

/// Walks the entries (in key order) and checks each against the previous one, the meta `head`,
/// and the heads `pins` given by the user (entry SEQ must have hash H).
pub(super) fn walk(entries: impl IntoIterator<Item = (Vec<u8>, Vec<u8>)>, head: Option<&[u8]>, pins: &[(u64, String)]) -> Chain {
    let mut chain = Chain { entries: 0, last_hash: GENESIS.to_string(), broken: None, latest: HashMap::new() };
    let mut expected_seq = 1u64;
    for (k, v) in entries {
        if let Err(why) = walk_one(&mut chain, expected_seq, &k, &v, pins) {
            chain.broken = Some((expected_seq, why));
            return chain;
        }
        expected_seq += 1;
    }
    let head_ok = match head {
        None => chain.entries == 0,
        Some(h) => serde_json::from_slice::<Head>(h).is_ok_and(|h| h.seq == chain.entries && h.hash == chain.last_hash),
    };
    if !head_ok {
        chain.broken = Some((expected_seq, K::AuditHeadMismatch.text().to_string()));
        return chain;
    }
    for (seq, hash) in pins {
        if *seq == 0 && !hash.eq_ignore_ascii_case(GENESIS) {
            chain.broken = Some((0, K::AuditPinMismatch.fill(&[seq, hash, &GENESIS])));
        } else if *seq > chain.entries {
            chain.broken = Some((*seq, K::AuditPinBeyond.fill(&[seq, &chain.entries])));
        }
        if chain.broken.is_some() {
            break;
        }
    }
    chain
}

fn walk_one(chain: &mut Chain, expected_seq: u64, k: &[u8], v: &[u8], pins: &[(u64, String)]) -> Result<(), String> {
    let seq = match super::keys::decode(k).as_deref() {
        Some([Part::U64(n)]) => *n,
        _ => return Err(K::AuditUnreadable.fill(&[&describe(k)])),
    };
    if seq != expected_seq {
        return Err(K::AuditGap.fill(&[&expected_seq]));
    }
    let stored: StoredRef<'_> = serde_json::from_slice(v).map_err(|e| K::AuditUnreadable.fill(&[&e]))?;
    if sha256_hex(stored.entry.get().as_bytes()) != stored.hash {
        return Err(K::AuditHashMismatch.text().to_string());
    }
    let entry: LightEntry = serde_json::from_str(stored.entry.get()).map_err(|e| K::AuditUnreadable.fill(&[&e]))?;
    // The full entry must read too: what `audit log` and the history show.
    serde_json::from_str::<AuditEntry>(stored.entry.get()).map_err(|e| K::AuditUnreadable.fill(&[&e]))?;
    if entry.prev != chain.last_hash || entry.seq != seq {
        return Err(K::AuditPrevMismatch.text().to_string());
    }
    for (_, pin) in pins.iter().filter(|(s, _)| *s == seq) {
        if !pin.eq_ignore_ascii_case(&stored.hash) {
            return Err(K::AuditPinMismatch.fill(&[&seq, pin, &stored.hash]));
        }
    }
    for c in entry.changes {
        let id = match c.raw {
            Some(raw) => Ident::Raw(raw),
            None => Ident::Readable(c.key.clone()),
        };
        chain.latest.insert((c.table, id), Latest { seq, key: c.key, wrote: c.hash.is_some() || c.new.is_some(), hash: c.hash });
    }
    chain.last_hash = stored.hash;
    chain.entries += 1;
    Ok(())
}

/// Checks records against the latest hashes of a walked chain; `done` then names an audited key
/// whose record is gone.
pub(super) struct RecordCheck {
    latest: HashMap<(String, Ident), Latest>,
    pub checked: u64,
}

impl RecordCheck {
    pub fn new(latest: HashMap<(String, Ident), Latest>) -> RecordCheck {
        RecordCheck { latest, checked: 0 }
    }

    /// What is wrong with this stored record, if anything.
    pub fn record(&mut self, table: Table, key: &[u8], value: &[u8]) -> Option<String> {
        self.checked += 1;
        match self.latest.remove(&(table.name().to_string(), ident(key))) {
            None => Some(K::AuditRecordUnlogged.text().to_string()),
            Some(Latest { hash: Some(h), .. }) if h == record_hash(value) => None,
            Some(Latest { hash: Some(_), seq, .. }) => Some(K::AuditRecordEdited.fill(&[&seq])),
            Some(Latest { hash: None, wrote: true, seq, .. }) => Some(K::AuditRecordNoHash.fill(&[&seq])),
            Some(Latest { hash: None, wrote: false, seq, .. }) => Some(K::AuditRecordDeleted.fill(&[&seq])),
        }
    }

    /// After every record was checked: the first (table, readable key, reason, entry) the log says
    /// exists but the store does not hold.
    pub fn missing(self) -> Option<(String, String, String, u64)> {
        let mut gone: Vec<_> = self.latest.into_iter().filter(|(_, l)| l.hash.is_some()).collect();
        gone.sort_by_key(|(_, l)| l.seq);
        gone.into_iter().next().map(|((table, _), l)| (table, l.key, K::AuditRecordMissing.fill(&[&l.seq]), l.seq))
    }
}
