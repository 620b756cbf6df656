//! Commits: what a set of writes holds (`Write`, `Derived`, `Commit`) and how it lands, in one
//! sled transaction with its audit entry and the tree counts, then flushed; a large one is cut in
//! parts (`commit_in_parts`). Kept apart from `mod.rs`, which opens, migrates and bulk-fills the
//! store, because this is the one path every change of a record takes.

use super::records::{Record, encode, indexes_of};
use super::{AuditEntry, Change, META_AUDIT_HEAD, Result, Store, StoreError, Table, count_key, sync};
use serde_json::Value;
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

/// Adds `delta` (per table, indexed like `Table::ALL`) to the counts in meta, inside a
/// transaction. A count that does not read is left alone: `count` then counts the tree.
fn add_counts(meta: &TransactionalTree, delta: &[i64]) -> std::result::Result<(), sled::transaction::UnabortableTransactionError> {
    for (t, d) in Table::ALL.iter().zip(delta) {
        if *d == 0 || !t.counted() {
            continue;
        }
        let key = count_key(*t);
        let current = match meta.get(&key)? {
            None => Some(0),
            Some(v) => serde_json::from_slice::<u64>(&v).ok(),
        };
        if let Some(n) = current {
            // Absent means 0, as in a new store.
            match n.saturating_add_signed(*d) {
                0 => meta.remove(key)?,
                n => meta.insert(key, serde_json::to_vec(&n).unwrap_or_default())?,
            };
        }
    }
    Ok(())
}

/// Index entries (tree, key) that point at one record.
pub type IndexEntries = Vec<(Table, Vec<u8>)>;

/// One write of a commit: put or delete a record, with its index entries.
pub struct Write {
    table: Table,
    key: Vec<u8>,
    value: Option<Vec<u8>>,
    indexes: IndexEntries,
    old_indexes: fn(&[u8], &[u8]) -> Result<IndexEntries>,
}

impl Write {
    pub fn put<T: Record>(r: &T) -> Write {
        Write { table: T::TABLE, key: r.key(), value: Some(encode(r)), indexes: r.indexes(), old_indexes: indexes_of::<T> }
    }
    pub fn delete<T: Record>(r: &T) -> Write {
        Write { table: T::TABLE, key: r.key(), value: None, indexes: Vec::new(), old_indexes: indexes_of::<T> }
    }
    pub fn table(&self) -> Table {
        self.table
    }
    pub fn key(&self) -> &[u8] {
        &self.key
    }
    /// The bytes to store; None for a delete.
    pub fn value(&self) -> Option<&[u8]> {
        self.value.as_deref()
    }
}

/// A write of derived data (aggregates, their marker in meta) that lands in the same transaction
/// as a commit's records but is neither audited nor counted as a change.
pub struct Derived {
    pub table: Table,
    pub key: Vec<u8>,
    pub value: Option<Vec<u8>>,
}

impl Derived {
    pub fn put<T: Record>(r: &T) -> Derived {
        Derived { table: T::TABLE, key: r.key(), value: Some(encode(r)) }
    }
}

/// A set of writes that land together, with the audit entry that records them.
pub struct Commit {
    /// What the user did, e.g. "org.import", "visit.verdict".
    pub action: String,
    /// Free detail for the audit log (file name, counts, seed).
    pub detail: Value,
    pub writes: Vec<Write>,
    /// Whether the audit entry lists each record's old and new value. Bulk generated data (demo)
    /// records only its detail, which is enough to make it again.
    pub record_values: bool,
    /// Derived data written with the records (see `Derived`).
    pub derived: Vec<Derived>,
    /// When it happened, from the caller's clock (the service's); the system clock if None.
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    /// Fields in conflict this write resolves, having seen every value: (tree, record key, field).
    pub settle: Vec<(Table, Vec<u8>, String)>,
    /// Changes of other laptops this commit lands (their records are the writes); None for a
    /// local write, which becomes this laptop's next change.
    pub remote: Option<super::sync::Remote>,
}

impl Commit {
    pub fn new(action: &str, detail: Value, writes: Vec<Write>) -> Commit {
        Commit {
            action: action.to_string(),
            detail,
            writes,
            record_values: true,
            derived: Vec::new(),
            at: None,
            settle: Vec::new(),
            remote: None,
        }
    }
}

impl Store {
    /// Applies the writes and their audit entry atomically, then flushes. Writes that would leave
    /// a record byte-for-byte unchanged are skipped; a commit that changes nothing writes no audit
    /// entry. Returns the number of records changed.
    pub fn commit(&self, actor: &str, commit: Commit) -> Result<usize> {
        let at = commit.at.unwrap_or_else(chrono::Utc::now);
        let trees: Vec<&sled::Tree> = self.trees.iter().collect();
        let outcome = trees.as_slice().transaction(|tx: &Vec<TransactionalTree>| {
            let abort = ConflictableTransactionError::Abort;
            // Entries added (+) and removed (-) per tree, for the counts in meta.
            let mut delta = [0i64; Table::ALL.len()];
            let meta = &tx[Table::Meta as usize];
            let mut changed = 0usize;
            match &commit.remote {
                // Other laptops' changes: one audit entry per change, under its author, laptop
                // and time, so that every history names who did what.
                Some(remote) => {
                    for step in &remote.steps {
                        let (changes, n, _) = self.apply_writes(tx, &step.writes, &[], commit.record_values && step.values, &mut delta)?;
                        if n > 0 {
                            let head = meta.get(META_AUDIT_HEAD)?;
                            let entry =
                                AuditEntry::next(head.as_deref(), step.at, &step.author, step.laptop, &step.action, &step.detail, changes)
                                    .map_err(abort)?;
                            let (key, value, head) = entry.encode();
                            tx[Table::Audit as usize].insert(key, value)?;
                            meta.insert(META_AUDIT_HEAD, head)?;
                            delta[Table::Audit as usize] += 1;
                        }
                        changed += n;
                    }
                    sync::land_remote(tx, remote)?;
                }
                None => {
                    let (changes, n, touched) = self.apply_writes(tx, &commit.writes, &commit.settle, commit.record_values, &mut delta)?;
                    if commit.record_values {
                        sync::record_local(tx, self.laptop, actor, at, &commit.action, &touched, &commit.settle)?;
                    } else if !touched.is_empty() {
                        // Records written without changes are adopted at the next export.
                        meta.remove(sync::META_ADOPTED)?;
                    }
                    if n > 0 {
                        let head = meta.get(META_AUDIT_HEAD)?;
                        let entry = AuditEntry::next(head.as_deref(), at, actor, self.laptop, &commit.action, &commit.detail, changes)
                            .map_err(abort)?;
                        let (key, value, head) = entry.encode();
                        tx[Table::Audit as usize].insert(key, value)?;
                        meta.insert(META_AUDIT_HEAD, head)?;
                        delta[Table::Audit as usize] += 1;
                    }
                    changed = n;
                }
            }
            if changed == 0 {
                return Ok(0);
            }
            for d in &commit.derived {
                match &d.value {
                    Some(v) => tx[d.table as usize].insert(d.key.as_slice(), v.as_slice())?,
                    None => tx[d.table as usize].remove(d.key.as_slice())?,
                };
            }
            add_counts(meta, &delta)?;
            Ok(changed)
        });
        if commit.writes.iter().any(|w| w.table == Table::Templates) {
            // Snapshots are immutable, so this only matters for a write that is not a new one.
            self.forget_templates();
        }
        let changed = match outcome {
            Ok(n) => n,
            Err(TransactionError::Abort(e)) => return Err(e.in_dir(&self.dir)),
            Err(TransactionError::Storage(e)) => return Err(StoreError::from(e).in_dir(&self.dir)),
        };
        if changed > 0 || commit.remote.is_some() {
            self.db.flush().map_err(|e| StoreError::from(e).in_dir(&self.dir))?;
        }
        Ok(changed)
    }

    /// Inside a commit's transaction: puts or deletes each record with its index entries,
    /// skipping writes that leave a record as it is (unless they settle a conflict in it).
    /// Returns the audit changes, how many records changed, and those that travel.
    #[allow(clippy::type_complexity)]
    fn apply_writes<'a>(
        &self,
        tx: &[TransactionalTree],
        writes: &'a [Write],
        settle: &[(Table, Vec<u8>, String)],
        values: bool,
        delta: &mut [i64; Table::ALL.len()],
    ) -> std::result::Result<(Vec<Change>, usize, Vec<sync::Touched<'a>>), ConflictableTransactionError<StoreError>> {
        let abort = ConflictableTransactionError::Abort;
        let mut changes = Vec::new();
        let mut touched = Vec::new();
        let mut changed = 0usize;
        for w in writes {
            let tt = &tx[w.table as usize];
            let old = tt.get(&w.key)?;
            let settles = settle.iter().any(|(t, k, _)| *t == w.table && *k == w.key);
            if old.as_deref() == w.value.as_deref() && !settles {
                continue;
            }
            if let Some(old) = &old {
                for (it, ik) in (w.old_indexes)(&w.key, old).map_err(abort)? {
                    if tx[it as usize].remove(ik)?.is_some() {
                        delta[it as usize] -= 1;
                    }
                }
            }
            match &w.value {
                Some(v) => {
                    if tt.insert(w.key.as_slice(), v.as_slice())?.is_none() {
                        delta[w.table as usize] += 1;
                    }
                    for (it, ik) in &w.indexes {
                        if tx[*it as usize].insert(ik.as_slice(), &[] as &[u8])?.is_none() {
                            delta[*it as usize] += 1;
                        }
                    }
                }
                None => {
                    if tt.remove(w.key.as_slice())?.is_some() {
                        delta[w.table as usize] -= 1;
                    }
                }
            }
            changed += 1;
            if sync::SYNCED.contains(&w.table) {
                touched.push(sync::Touched { table: w.table, key: &w.key, old: old.clone(), new: w.value.as_deref() });
            }
            changes.push(Change::new(w.table, &w.key, old.as_deref(), w.value.as_deref(), values));
        }
        Ok((changes, changed, touched))
    }

    /// Commits a large change in parts of `PART` writes: one sled transaction of 200,000 records
    /// needs gigabytes. Callers validate everything first, so a part can only fail on I/O; each
    /// part is audited and flushed, and the audit detail says which part it is. Returns the
    /// number of records changed.
    pub fn commit_in_parts(&self, actor: &str, commit: Commit) -> Result<usize> {
        const PART: usize = 10_000;
        let parts = commit.writes.len().div_ceil(PART).max(1);
        if parts == 1 {
            return self.commit(actor, commit);
        }
        let mut changed = 0;
        let mut derived = commit.derived;
        let mut writes = commit.writes.into_iter().peekable();
        for part in 1..=parts {
            let chunk: Vec<Write> = writes.by_ref().take(PART).collect();
            let mut detail = commit.detail.clone();
            if let Value::Object(m) = &mut detail {
                m.insert("part".into(), Value::from(part));
                m.insert("parts".into(), Value::from(parts));
            }
            // Derived data lands with the last part.
            let derived = if part == parts { std::mem::take(&mut derived) } else { Vec::new() };
            let c = Commit {
                action: commit.action.clone(),
                detail,
                writes: chunk,
                record_values: commit.record_values,
                derived,
                at: commit.at,
                settle: Vec::new(),
                remote: None,
            };
            changed += self.commit(actor, c)?;
        }
        Ok(changed)
    }
}
