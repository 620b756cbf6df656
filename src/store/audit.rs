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

use super::Table;
use super::keys::{Key, Part, describe, hex};
use crate::domain::LaptopId;
use crate::i18n::K;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub(super) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One record's change within an entry: the record's key, the SHA-256 of the bytes stored (None
/// for a delete), and, unless the commit was bulk generated data, the values before and after
/// (None: absent).
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

impl Change {
    /// `values`: whether the old and new values are kept (not for bulk generated data).
    pub(super) fn new(table: Table, key: &[u8], old: Option<&[u8]>, new: Option<&[u8]>, values: bool) -> Change {
        let json = |b: &[u8]| serde_json::from_slice::<Value>(b).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(b).into()));
        let raw = match ident(key) {
            Ident::Raw(h) => Some(h),
            Ident::Readable(_) => None,
        };
        Change {
            table: table.name().to_string(),
            key: describe(key),
            raw,
            hash: new.map(record_hash),
            old: old.filter(|_| values).map(json),
            new: new.filter(|_| values).map(json),
        }
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
