//! The change log that travels between laptops (see `domain::sync`): every commit of records
//! that travel also appends this laptop's next change, in the same transaction; changes from
//! other laptops are merged field by field (`merge`) and land through the same commit path, so
//! their records are audited, indexed and counted like local ones.
//!
//! Trees: `changes` (laptop, seq) → the change; `versions` (table, record key) → which change
//! wrote each field; `conflicts` (table, record key, field) → a field holding several values;
//! `peers` (laptop) → what was exchanged with it (the service's). Meta `sync/heads`: per laptop,
//! the last change applied and its hash.

use super::keys::{Key, hex};
use super::{Result, Store, StoreError, Table, Write};
use crate::domain::fields::{diff_into, get_path, leaves};
use crate::domain::sync::{Dot, FIRST_PREV, Known, Op, Set, SyncChange, Versions, unhex};
use crate::domain::sync_rules::Rec;
use crate::domain::{Finding, ItemResult, LaptopId, Org, Round, TemplateSnapshot, Visit};
use crate::i18n::K;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sled::transaction::{TransactionalTree, UnabortableTransactionError};
use std::collections::{BTreeMap, HashMap};

/// The trees whose records travel. (Not counters: numbers are given on one laptop; not the
/// roster: it travels whole, signed by the leader.)
pub const SYNCED: [Table; 6] = [Table::Orgs, Table::Templates, Table::Rounds, Table::Visits, Table::Results, Table::Findings];

pub(super) const META_HEADS: &[u8] = b"sync/heads";
/// Present once every record that travels has been written as a change (`adopt_records`); a
/// commit that records no changes (the demo's) removes it.
pub(super) const META_ADOPTED: &[u8] = b"sync/adopted";
/// This laptop's changes up to this sequence number are signed.
const META_SIGNED: &[u8] = b"sync/signed";

/// The last change applied from one laptop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub seq: u64,
    pub hash: String,
}

/// Per laptop, the last change applied (this laptop's own included).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Heads(pub BTreeMap<LaptopId, Head>);

impl Heads {
    pub fn known(&self) -> Known {
        self.0.iter().map(|(l, h)| (*l, h.seq)).collect()
    }
    fn of(&self, laptop: LaptopId) -> Head {
        self.0.get(&laptop).cloned().unwrap_or(Head { seq: 0, hash: FIRST_PREV.to_string() })
    }
}

pub fn versions_key(table: Table, key: &[u8]) -> Vec<u8> {
    [Key::new().part(table.name()).bytes().as_slice(), key].concat()
}

fn conflict_key(table: Table, key: &[u8], field: &str) -> Vec<u8> {
    [versions_key(table, key), Key::new().part(field).bytes()].concat()
}

fn change_key(laptop: LaptopId, seq: u64) -> Vec<u8> {
    Key::new().part(laptop.0).part(seq).bytes()
}

/// One change of another laptop as it lands: the records after it, and its audit entry's
/// author, laptop, time and action.
pub struct Step {
    pub author: String,
    pub laptop: LaptopId,
    pub at: DateTime<Utc>,
    pub action: String,
    pub detail: Value,
    pub writes: Vec<Write>,
    /// Whether its audit entry keeps the values (not for adopted records: they are many, and
    /// the change log holds them).
    pub values: bool,
}

/// What a merge of other laptops' changes brings to the commit that lands it: the changes, one
/// step each (landed in order, instead of the commit's writes, which hold the records' final
/// state for the summaries), and the versions, conflicts and heads they move.
#[derive(Default)]
pub struct Remote {
    pub changes: Vec<SyncChange>,
    pub steps: Vec<Step>,
    versions: Vec<(Vec<u8>, Versions)>,
    /// Conflict index entries to add (true) or remove (false).
    conflicts: Vec<(Vec<u8>, bool)>,
    heads: Heads,
}

/// The outcome of merging changes: the records to write, what else lands with them, and the
/// changes that must wait for earlier ones this laptop lacks.
pub struct Merged {
    pub writes: Vec<Write>,
    pub remote: Remote,
    pub held: Vec<SyncChange>,
}

/// Why a merge was refused: the store failed, or a change cannot be taken (the text says which
/// and why).
#[derive(Debug)]
pub enum MergeError {
    Store(StoreError),
    Refused(String),
}

impl From<StoreError> for MergeError {
    fn from(e: StoreError) -> Self {
        MergeError::Store(e)
    }
}
impl From<sled::Error> for MergeError {
    fn from(e: sled::Error) -> Self {
        MergeError::Store(e.into())
    }
}

/// A record's data (its envelope's `d`) from its stored bytes.
fn data_of(bytes: &[u8]) -> Value {
    let mut v: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
    v.get_mut("d").map(Value::take).unwrap_or(Value::Null)
}

/// The typed record of `table` from its data; `None` for a tree whose records do not travel.
pub fn rec_of(table: Table, data: &Value) -> std::result::Result<Rec, String> {
    let e = |e: serde_json::Error| e.to_string();
    Ok(match table {
        Table::Orgs => Rec::Org(serde_json::from_value::<Org>(data.clone()).map_err(e)?),
        Table::Templates => Rec::Template(serde_json::from_value::<TemplateSnapshot>(data.clone()).map_err(e)?),
        Table::Rounds => Rec::Round(serde_json::from_value::<Round>(data.clone()).map_err(e)?),
        Table::Visits => Rec::Visit(serde_json::from_value::<Visit>(data.clone()).map_err(e)?),
        Table::Results => Rec::Result(serde_json::from_value::<ItemResult>(data.clone()).map_err(e)?),
        Table::Findings => Rec::Finding(serde_json::from_value::<Finding>(data.clone()).map_err(e)?),
        other => return Err(format!("records of {} do not travel", other.name())),
    })
}

/// A typed record's key.
fn key_of(rec: &Rec) -> Vec<u8> {
    use super::Record;
    match rec {
        Rec::Org(r) => r.key(),
        Rec::Template(r) => r.key(),
        Rec::Round(r) => r.key(),
        Rec::Visit(r) => r.key(),
        Rec::Result(r) => r.key(),
        Rec::Finding(r) => r.key(),
    }
}

/// The write that stores a typed record.
pub fn write_of(rec: &Rec) -> Write {
    match rec {
        Rec::Org(r) => Write::put(r),
        Rec::Template(r) => Write::put(r),
        Rec::Round(r) => Write::put(r),
        Rec::Visit(r) => Write::put(r),
        Rec::Result(r) => Write::put(r),
        Rec::Finding(r) => Write::put(r),
    }
}

/// One record of a commit that travels: its tree, key, and bytes before and after.
pub(super) struct Touched<'a> {
    pub table: Table,
    pub key: &'a [u8],
    pub old: Option<sled::IVec>,
    pub new: Option<&'a [u8]>,
}

type TxResult<T> = std::result::Result<T, UnabortableTransactionError>;

fn read_heads(meta: &TransactionalTree) -> TxResult<Heads> {
    Ok(meta.get(META_HEADS)?.and_then(|v| serde_json::from_slice(&v).ok()).unwrap_or_default())
}

/// Inside a commit's transaction: this laptop's next change, made of the fields the commit's
/// records changed, with the versions and conflict index it moves. `settle`: fields whose
/// conflict this write resolves (it has seen every value).
pub(super) fn record_local(
    tx: &[TransactionalTree],
    laptop: LaptopId,
    actor: &str,
    at: DateTime<Utc>,
    action: &str,
    touched: &[Touched],
    settle: &[(Table, Vec<u8>, String)],
) -> TxResult<()> {
    let (meta, vtree, ctree) = (&tx[Table::Meta as usize], &tx[Table::Versions as usize], &tx[Table::Conflicts as usize]);
    let mut records = Vec::new();
    for t in touched {
        let Some(new) = t.new else { continue };
        let vkey = versions_key(t.table, t.key);
        let versions: Option<Versions> = vtree.get(&vkey)?.and_then(|v| serde_json::from_slice(&v).ok());
        let old = t.old.as_deref().map(data_of);
        // A record never written as a change (made before changes were kept, or by the demo) is
        // first adopted as it was (below), then changed like any other.
        let legacy = versions.is_none() && old.is_some();
        records.push((t, vkey, versions.unwrap_or_default(), old, data_of(new), legacy));
    }
    if records.is_empty() {
        return Ok(());
    }
    let mut heads = read_heads(meta)?;
    if records.iter().any(|r| r.5) {
        let own = heads.of(laptop);
        let dot = Dot { laptop, seq: own.seq + 1 };
        let mut ops = Vec::new();
        for (t, _, versions, old, _, _) in records.iter_mut().filter(|r| r.5) {
            let mut scratch = Value::Object(Default::default());
            let sets: Vec<Set> = leaves(old.as_ref().unwrap_or(&Value::Null))
                .into_iter()
                .map(|(field, value)| Set { field, value, seen: Vec::new() })
                .collect();
            for set in &sets {
                versions.apply(&mut scratch, set, dot, at);
            }
            ops.push(Op { table: t.table.name().to_string(), key: hex(t.key), sets });
        }
        let adopt =
            SyncChange { laptop, seq: dot.seq, prev: own.hash, author: actor.to_string(), at, action: "sync.adopt".into(), ops, sig: None };
        let hash = adopt.hash();
        tx[Table::Changes as usize].insert(change_key(laptop, dot.seq), serde_json::to_vec(&adopt).unwrap_or_default())?;
        heads.0.insert(laptop, Head { seq: dot.seq, hash });
    }
    // Later than every value it replaces, so that its value is the one shown.
    let latest = records.iter().filter_map(|r| r.2.latest()).max();
    let at = match latest {
        Some(l) if l >= at => l + chrono::Duration::milliseconds(1),
        _ => at,
    };
    let own = heads.of(laptop);
    let dot = Dot { laptop, seq: own.seq + 1 };
    let mut ops = Vec::new();
    for (t, vkey, mut versions, old, new, legacy) in records {
        let fields: BTreeMap<String, Value> = match &old {
            None => leaves(&new),
            Some(o) => {
                let mut d = BTreeMap::new();
                diff_into(&mut d, "", o, &new);
                let mut f: BTreeMap<String, Value> = d.into_iter().map(|(k, [_, v])| (k, v)).collect();
                // A settled field is written even when the value chosen is the one shown.
                for (_, _, field) in settle.iter().filter(|(st, sk, _)| *st == t.table && sk.as_slice() == t.key) {
                    f.entry(field.clone()).or_insert_with(|| get_path(&new, field).clone());
                }
                f
            }
        };
        let mut scratch = old.clone().unwrap_or_else(|| Value::Object(Default::default()));
        let mut sets = Vec::new();
        for (field, value) in fields {
            let settles = settle.iter().any(|(st, sk, sf)| *st == t.table && sk.as_slice() == t.key && *sf == field);
            let seen = versions.seen_by_local(&field, get_path(&scratch, &field), settles);
            let set = Set { field, value, seen };
            let was = versions.conflicts.contains_key(&set.field);
            versions.apply(&mut scratch, &set, dot, at);
            // The index changes only where a conflict starts or ends (most writes touch neither).
            let now = versions.conflicts.contains_key(&set.field);
            if now && !was {
                ctree.insert(conflict_key(t.table, t.key, &set.field), &[] as &[u8])?;
            } else if was && !now {
                ctree.remove(conflict_key(t.table, t.key, &set.field))?;
            }
            sets.push(set);
        }
        if sets.is_empty() && !legacy {
            continue;
        }
        vtree.insert(vkey, serde_json::to_vec(&versions).unwrap_or_default())?;
        if !sets.is_empty() {
            ops.push(Op { table: t.table.name().to_string(), key: hex(t.key), sets });
        }
    }
    if ops.is_empty() {
        // Only an adoption (if any) to record.
        meta.insert(META_HEADS, serde_json::to_vec(&heads).unwrap_or_default())?;
        return Ok(());
    }
    let change =
        SyncChange { laptop, seq: dot.seq, prev: own.hash, author: actor.to_string(), at, action: action.to_string(), ops, sig: None };
    let hash = change.hash();
    tx[Table::Changes as usize].insert(change_key(laptop, dot.seq), serde_json::to_vec(&change).unwrap_or_default())?;
    heads.0.insert(laptop, Head { seq: dot.seq, hash });
    meta.insert(META_HEADS, serde_json::to_vec(&heads).unwrap_or_default())?;
    Ok(())
}

/// Inside a commit's transaction: what a merge of other laptops' changes lands besides records.
pub(super) fn land_remote(tx: &[TransactionalTree], remote: &Remote) -> TxResult<()> {
    let changes = &tx[Table::Changes as usize];
    for c in &remote.changes {
        changes.insert(change_key(c.laptop, c.seq), serde_json::to_vec(c).unwrap_or_default())?;
    }
    for (k, v) in &remote.versions {
        tx[Table::Versions as usize].insert(k.as_slice(), serde_json::to_vec(v).unwrap_or_default())?;
    }
    for (k, on) in &remote.conflicts {
        match on {
            true => tx[Table::Conflicts as usize].insert(k.as_slice(), &[] as &[u8])?,
            false => tx[Table::Conflicts as usize].remove(k.as_slice())?,
        };
    }
    let meta = &tx[Table::Meta as usize];
    let mut heads = read_heads(meta)?;
    for (l, h) in &remote.heads.0 {
        if heads.0.get(l).is_none_or(|x| x.seq < h.seq) {
            heads.0.insert(*l, h.clone());
        }
    }
    meta.insert(META_HEADS, serde_json::to_vec(&heads).unwrap_or_default())?;
    Ok(())
}

/// A record as a merge holds it: its data, versions, and whether the store had it.
struct Held {
    table: Table,
    key: Vec<u8>,
    data: Value,
    versions: Versions,
    existed: bool,
    touched: bool,
    /// The fields in conflict when it was loaded: the index changes only where that changes.
    had: Vec<String>,
}

/// Judges one change from the records it touches, before and after; the refusal's text.
pub type Judge<'a> = dyn FnMut(&SyncChange, &[(Option<Rec>, Rec)]) -> std::result::Result<(), String> + 'a;

/// One conflict: a field holding several values.
#[derive(Debug, Clone)]
pub struct ConflictEntry {
    pub table: Table,
    pub key: Vec<u8>,
    pub field: String,
    pub candidates: Vec<crate::domain::sync::Candidate>,
}

impl Store {
    /// Per laptop, the last change this store holds.
    pub fn sync_heads(&self) -> Result<Heads> {
        Ok(self.tree(Table::Meta).get(META_HEADS)?.and_then(|v| serde_json::from_slice(&v).ok()).unwrap_or_default())
    }

    /// The changes this store holds that `known` lacks, each laptop's in order.
    pub fn changes_after(&self, known: &Known) -> Result<Vec<SyncChange>> {
        let mut out = Vec::new();
        for (laptop, head) in self.sync_heads()?.0 {
            let from = known.get(&laptop).copied().unwrap_or(0);
            if from >= head.seq {
                continue;
            }
            for kv in self.tree(Table::Changes).range(change_key(laptop, from + 1)..=change_key(laptop, head.seq)) {
                let (k, v) = kv?;
                let c: SyncChange = serde_json::from_slice(&v).map_err(|e| StoreError::BadRecord {
                    table: Table::Changes.name(),
                    key: hex(&k),
                    reason: e.to_string(),
                })?;
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Signs this laptop's changes that have no signature yet (they are signed when they first
    /// leave it). Returns how many were signed.
    pub fn sign_own(&self, sign: &dyn Fn(&str) -> String) -> Result<usize> {
        use sha2::{Digest, Sha256};
        let own = self.sync_heads()?.of(self.laptop);
        let meta = self.tree(Table::Meta);
        let signed: u64 = meta.get(META_SIGNED)?.and_then(|v| serde_json::from_slice(&v).ok()).unwrap_or(0);
        if signed >= own.seq {
            return Ok(0);
        }
        let mut batch = sled::Batch::default();
        let mut n = 0;
        for kv in self.tree(Table::Changes).range(change_key(self.laptop, signed + 1)..=change_key(self.laptop, own.seq)) {
            let (k, v) = kv?;
            // An unsigned change is stored as exactly the text its hash covers (its last field
            // the ops, `]}`); a signed one ends with its signature (`"}`). So the hash is the
            // stored text's, and the signature goes in before the closing brace: no parse.
            if !v.ends_with(b"]}") {
                continue;
            }
            let hash = crate::domain::sync::hex(&Sha256::digest(&v));
            let sig = sign(&hash);
            let mut out = Vec::with_capacity(v.len() + 140);
            out.extend_from_slice(&v[..v.len() - 1]);
            out.extend_from_slice(format!(",\"sig\":\"{sig}\"}}").as_bytes());
            batch.insert(k, out);
            n += 1;
        }
        self.tree(Table::Changes).apply_batch(batch)?;
        meta.insert(META_SIGNED, serde_json::to_vec(&own.seq).unwrap_or_default())?;
        self.db.flush()?;
        Ok(n)
    }

    /// Records that travel but were never written as changes (made before this version of
    /// xuncha, or by the demo): each becomes part of a change of this laptop, `per` records a
    /// change, so that they can be sent. Returns how many records were adopted.
    pub fn adopt_records(&self, actor: &str, at: DateTime<Utc>, per: usize) -> Result<usize> {
        if self.tree(Table::Meta).contains_key(META_ADOPTED)? {
            return Ok(0);
        }
        let mut n = 0;
        for t in SYNCED {
            let mut part: Vec<(sled::IVec, sled::IVec)> = Vec::new();
            for kv in self.tree(t).iter() {
                let (k, v) = kv?;
                if !self.tree(Table::Versions).contains_key(versions_key(t, &k))? {
                    part.push((k, v));
                }
                if part.len() == per.max(1) {
                    n += self.adopt_part(actor, at, t, std::mem::take(&mut part))?;
                }
            }
            n += self.adopt_part(actor, at, t, part)?;
        }
        self.tree(Table::Meta).insert(META_ADOPTED, b"1".as_slice())?;
        self.db.flush()?;
        Ok(n)
    }

    fn adopt_part(&self, actor: &str, at: DateTime<Utc>, t: Table, part: Vec<(sled::IVec, sled::IVec)>) -> Result<usize> {
        use sled::Transactional;
        if part.is_empty() {
            return Ok(0);
        }
        let trees = (self.tree(Table::Meta), self.tree(Table::Versions), self.tree(Table::Changes));
        let outcome = trees.transaction(|(meta, vtree, changes)| {
            let mut heads = read_heads(meta)?;
            let own = heads.of(self.laptop);
            let dot = Dot { laptop: self.laptop, seq: own.seq + 1 };
            let mut ops = Vec::with_capacity(part.len());
            for (k, v) in &part {
                let mut versions = Versions::default();
                let mut scratch = Value::Object(Default::default());
                let sets: Vec<Set> = leaves(&data_of(v)).into_iter().map(|(field, value)| Set { field, value, seen: Vec::new() }).collect();
                for s in &sets {
                    versions.apply(&mut scratch, s, dot, at);
                }
                vtree.insert(versions_key(t, k), serde_json::to_vec(&versions).unwrap_or_default())?;
                ops.push(Op { table: t.name().to_string(), key: hex(k), sets });
            }
            let change = SyncChange {
                laptop: self.laptop,
                seq: dot.seq,
                prev: own.hash,
                author: actor.to_string(),
                at,
                action: "sync.adopt".into(),
                ops,
                sig: None,
            };
            let hash = change.hash();
            changes.insert(change_key(self.laptop, dot.seq), serde_json::to_vec(&change).unwrap_or_default())?;
            heads.0.insert(self.laptop, Head { seq: dot.seq, hash });
            meta.insert(META_HEADS, serde_json::to_vec(&heads).unwrap_or_default())?;
            Ok(())
        });
        outcome.map_err(|e: sled::transaction::TransactionError<()>| match e {
            sled::transaction::TransactionError::Storage(e) => StoreError::from(e),
            sled::transaction::TransactionError::Abort(()) => StoreError::Io("adopt aborted".into()),
        })?;
        self.db.flush()?;
        Ok(part.len())
    }

    /// Merges changes of other laptops into what this store holds, without writing: each
    /// laptop's changes in order, each after the changes its ops saw; a change whose turn has not
    /// come (an earlier one of its laptop, or one it saw, is missing) is held back. `check`
    /// judges each change from the records it touches, before and after; a refusal refuses the
    /// whole merge. Changes this store already holds are skipped.
    pub fn merge(&self, changes: Vec<SyncChange>, check: &mut Judge) -> std::result::Result<Merged, MergeError> {
        let start = self.sync_heads()?;
        let mut heads = start.clone();
        let mut pending: Vec<SyncChange> = changes.into_iter().filter(|c| heads.of(c.laptop).seq < c.seq).collect();
        let mut held: HashMap<Vec<u8>, Held> = HashMap::new();
        let mut order: Vec<Vec<u8>> = Vec::new();
        let mut applied = Vec::new();
        let mut steps = Vec::new();
        loop {
            let mut progress = false;
            let mut rest = Vec::new();
            for c in pending {
                let head = heads.of(c.laptop);
                let known = heads.known();
                let ready = c.seq == head.seq + 1 && c.deps().iter().all(|(l, n)| known.get(l).copied().unwrap_or(0) >= *n);
                if !ready {
                    rest.push(c);
                    continue;
                }
                if c.prev != head.hash {
                    return Err(MergeError::Refused(K::SyncChainBroken.fill(&[&c.laptop, &c.seq])));
                }
                let touched = self.merge_one(&c, &mut held, &mut order)?;
                check(&c, &touched).map_err(MergeError::Refused)?;
                steps.push(Step {
                    author: c.author.clone(),
                    laptop: c.laptop,
                    at: c.at,
                    action: c.action.clone(),
                    detail: serde_json::json!({ "via": "bundle", "seq": c.seq }),
                    writes: touched.iter().map(|(_, after)| write_of(after)).collect(),
                    values: c.action != "sync.adopt",
                });
                heads.0.insert(c.laptop, Head { seq: c.seq, hash: c.hash() });
                applied.push(c);
                progress = true;
            }
            pending = rest;
            if !progress || pending.is_empty() {
                break;
            }
        }
        let mut writes = Vec::new();
        let mut versions = Vec::new();
        let mut conflicts = Vec::new();
        for vkey in order {
            let Some(h) = held.remove(&vkey) else { continue };
            if !h.touched {
                continue;
            }
            let rec = rec_of(h.table, &h.data).map_err(MergeError::Refused)?;
            writes.push(write_of(&rec));
            for field in h.versions.conflicts.keys().filter(|f| !h.had.contains(*f)) {
                conflicts.push((conflict_key(h.table, &h.key, field), true));
            }
            for field in h.had.iter().filter(|f| !h.versions.conflicts.contains_key(*f)) {
                conflicts.push((conflict_key(h.table, &h.key, field), false));
            }
            versions.push((vkey, h.versions));
        }
        let moved = Heads(heads.0.into_iter().filter(|(l, h)| start.0.get(l) != Some(h)).collect());
        Ok(Merged { writes, remote: Remote { changes: applied, steps, versions, conflicts, heads: moved }, held: pending })
    }

    /// Applies one change to the records `held` (loading them on first touch); returns each
    /// touched record before and after, typed.
    fn merge_one(
        &self,
        c: &SyncChange,
        held: &mut HashMap<Vec<u8>, Held>,
        order: &mut Vec<Vec<u8>>,
    ) -> std::result::Result<Vec<(Option<Rec>, Rec)>, MergeError> {
        let refused = |why: String| MergeError::Refused(K::SyncBadOp.fill(&[&c.laptop, &c.seq, &why]));
        let mut out = Vec::new();
        for op in &c.ops {
            let table = Table::from_name(&op.table).filter(|t| SYNCED.contains(t)).ok_or_else(|| refused(op.table.clone()))?;
            let key = unhex(&op.key).ok_or_else(|| refused(op.key.clone()))?;
            // Fields are named by dotted paths under the record; a whole record ("$"), an empty
            // part or a path naming a field and one under it would apply differently by order.
            for set in &op.sets {
                let bad = set.field.is_empty() || set.field.starts_with('$') || set.field.split('.').any(str::is_empty);
                let overlaps = op.sets.iter().any(|o| o.field.len() > set.field.len() && o.field.starts_with(&format!("{}.", set.field)));
                if bad || overlaps {
                    return Err(refused(set.field.clone()));
                }
            }
            let vkey = versions_key(table, &key);
            if !held.contains_key(&vkey) {
                let stored = self.tree(table).get(&key)?;
                let versions: Versions = match self.tree(Table::Versions).get(&vkey)? {
                    Some(v) => serde_json::from_slice(&v).map_err(|e| StoreError::BadRecord {
                        table: Table::Versions.name(),
                        key: hex(&vkey),
                        reason: e.to_string(),
                    })?,
                    None => Versions::default(),
                };
                let data = stored.as_deref().map(data_of).unwrap_or_else(|| Value::Object(Default::default()));
                order.push(vkey.clone());
                let had = versions.conflicts.keys().cloned().collect();
                held.insert(vkey.clone(), Held { table, key: key.clone(), data, versions, existed: stored.is_some(), touched: false, had });
            }
            let Some(h) = held.get_mut(&vkey) else { continue };
            let before = if h.existed || h.touched { Some(rec_of(table, &h.data).map_err(refused)?) } else { None };
            for set in &op.sets {
                h.versions.apply(&mut h.data, set, c.dot(), c.at);
            }
            let after = rec_of(table, &h.data).map_err(refused)?;
            // A template snapshot is its text, named by the text's hash: never another text under it.
            if let Rec::Template(t) = &after
                && super::audit::record_hash(t.text.as_bytes()) != t.hash
            {
                return Err(refused(K::BackupTemplateHash.text().to_string()));
            }
            if key_of(&after) != key {
                return Err(refused(K::SyncKeyMismatch.fill(&[&super::keys::describe(&key)])));
            }
            h.touched = true;
            out.push((before, after));
        }
        Ok(out)
    }

    /// Rebuilds the versions of every field, and the conflict index, by replaying the change log
    /// (after a restore: they are derived from it and never carried in a backup).
    pub fn rebuild_versions(&self) -> Result<()> {
        let mut pending = self.changes_after(&Known::new())?;
        let mut known = Known::new();
        let mut held: HashMap<Vec<u8>, (Table, Vec<u8>, Versions, Value)> = HashMap::new();
        loop {
            let before = pending.len();
            let mut rest = Vec::new();
            for c in pending {
                let ready = c.seq == known.get(&c.laptop).copied().unwrap_or(0) + 1
                    && c.deps().iter().all(|(l, n)| known.get(l).copied().unwrap_or(0) >= *n);
                if !ready {
                    rest.push(c);
                    continue;
                }
                for op in &c.ops {
                    let (Some(t), Some(key)) = (Table::from_name(&op.table), unhex(&op.key)) else { continue };
                    let (_, _, v, data) = held
                        .entry(versions_key(t, &key))
                        .or_insert_with(|| (t, key, Versions::default(), Value::Object(Default::default())));
                    for set in &op.sets {
                        v.apply(data, set, c.dot(), c.at);
                    }
                }
                known.insert(c.laptop, c.seq);
            }
            pending = rest;
            if pending.is_empty() || pending.len() == before {
                break;
            }
        }
        self.tree(Table::Versions).clear()?;
        self.tree(Table::Conflicts).clear()?;
        let mut vb = sled::Batch::default();
        let mut cb = sled::Batch::default();
        for (vkey, (t, key, v, _)) in held {
            for field in v.conflicts.keys() {
                cb.insert(conflict_key(t, &key, field), &[] as &[u8]);
            }
            vb.insert(vkey, serde_json::to_vec(&v).unwrap_or_default());
        }
        self.tree(Table::Versions).apply_batch(vb)?;
        self.tree(Table::Conflicts).apply_batch(cb)?;
        self.db.flush()?;
        Ok(())
    }

    /// Every field in conflict.
    pub fn conflicts(&self) -> Result<Vec<ConflictEntry>> {
        let mut out = Vec::new();
        let mut last: Option<(Vec<u8>, Versions)> = None;
        for kv in self.tree(Table::Conflicts).iter() {
            let (k, _) = kv?;
            let Some(parts) = super::keys::decode(&k) else { continue };
            let (Some(super::keys::Part::Str(table)), Some(super::keys::Part::Str(field))) = (parts.first(), parts.last()) else {
                continue;
            };
            let Some(table) = Table::from_name(table) else { continue };
            let head = Key::new().part(table.name()).bytes().len();
            let tail = Key::new().part(field.as_str()).bytes().len();
            let Some(key) = k.get(head..k.len().saturating_sub(tail)) else { continue };
            let vkey = versions_key(table, key);
            let versions = match &last {
                Some((lk, v)) if *lk == vkey => v.clone(),
                _ => {
                    let v: Versions =
                        self.tree(Table::Versions).get(&vkey)?.and_then(|v| serde_json::from_slice(&v).ok()).unwrap_or_default();
                    last = Some((vkey.clone(), v.clone()));
                    v
                }
            };
            if let Some(c) = versions.conflicts.get(field) {
                out.push(ConflictEntry { table, key: key.to_vec(), field: field.clone(), candidates: c.clone() });
            }
        }
        Ok(out)
    }

    /// The change at `dot`, if this store holds it.
    pub fn change(&self, dot: Dot) -> Result<Option<SyncChange>> {
        Ok(self.tree(Table::Changes).get(change_key(dot.laptop, dot.seq))?.and_then(|v| serde_json::from_slice(&v).ok()))
    }

    /// What was exchanged with a peer laptop (the service's own JSON).
    pub fn peer(&self, laptop: LaptopId) -> Result<Option<Value>> {
        Ok(self.tree(Table::Peers).get(Key::new().part(laptop.0).bytes())?.and_then(|v| serde_json::from_slice(&v).ok()))
    }

    pub fn peers(&self) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        for kv in self.tree(Table::Peers).iter() {
            let (_, v) = kv?;
            if let Ok(v) = serde_json::from_slice(&v) {
                out.push(v);
            }
        }
        Ok(out)
    }

    pub fn put_peer(&self, laptop: LaptopId, value: &Value) -> Result<()> {
        self.tree(Table::Peers).insert(Key::new().part(laptop.0).bytes(), serde_json::to_vec(value).unwrap_or_default())?;
        self.db.flush()?;
        Ok(())
    }

    /// The record at (`table`, `key`) as stored, decoded, for the conflict screen.
    pub fn record_data(&self, table: Table, key: &[u8]) -> Result<Option<Value>> {
        Ok(self.tree(table).get(key)?.map(|v| data_of(&v)))
    }
}
