//! The append-only, hash-chained audit log.
//!
//! Each entry is stored as `{"hash": H, "entry": E}` where H is the SHA-256 of E's exact stored
//! text and E names the previous entry's hash. Editing any entry breaks its own hash; removing or
//! replacing one breaks the next entry's link; the meta head names the last entry.

use super::Table;
use super::keys::{Key, Part, describe};
use crate::domain::LaptopId;
use crate::i18n::K;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One record's change within an entry: the values before and after (None: absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub table: String,
    pub key: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

impl Change {
    pub(super) fn new(table: Table, key: &[u8], old: Option<&[u8]>, new: Option<&[u8]>) -> Change {
        let json = |b: &[u8]| serde_json::from_slice::<Value>(b).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(b).into()));
        Change { table: table.name().to_string(), key: describe(key), old: old.map(json), new: new.map(json) }
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

#[derive(Serialize, Deserialize)]
struct Head {
    seq: u64,
    hash: String,
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
}

pub(super) fn verify(entries: Vec<(Vec<u8>, Vec<u8>)>, head: Option<&[u8]>) -> super::Result<VerifyReport> {
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1u64;
    let mut count = 0u64;
    let broken =
        |seq: u64, why: String, count: u64, prev: String| Ok(VerifyReport { entries: count, last_hash: prev, broken: Some((seq, why)) });
    for (k, v) in entries {
        let seq = match super::keys::decode(&k).as_deref() {
            Some([Part::U64(n)]) => *n,
            _ => return broken(expected_seq, K::AuditUnreadable.fill(&[&describe(&k)]), count, prev),
        };
        if seq != expected_seq {
            return broken(expected_seq, K::AuditGap.fill(&[&expected_seq]), count, prev);
        }
        let stored: StoredRef<'_> = match serde_json::from_slice(&v) {
            Ok(s) => s,
            Err(e) => return broken(seq, K::AuditUnreadable.fill(&[&e]), count, prev),
        };
        if sha256_hex(stored.entry.get().as_bytes()) != stored.hash {
            return broken(seq, K::AuditHashMismatch.text().to_string(), count, prev);
        }
        let entry: AuditEntry = match serde_json::from_str(stored.entry.get()) {
            Ok(e) => e,
            Err(e) => return broken(seq, K::AuditUnreadable.fill(&[&e]), count, prev),
        };
        if entry.prev != prev || entry.seq != seq {
            return broken(seq, K::AuditPrevMismatch.text().to_string(), count, prev);
        }
        prev = stored.hash;
        count += 1;
        expected_seq += 1;
    }
    let head_ok = match head {
        None => count == 0,
        Some(h) => serde_json::from_slice::<Head>(h).is_ok_and(|h| h.seq == count && h.hash == prev),
    };
    if !head_ok {
        return broken(expected_seq, K::AuditHeadMismatch.text().to_string(), count, prev);
    }
    Ok(VerifyReport { entries: count, last_hash: prev, broken: None })
}
