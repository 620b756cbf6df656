//! The store: the only code that names sled.
//!
//! One sled database per data folder, a few trees per entity kind plus index trees, versioned JSON
//! values, a hash-chained audit log written in the same transaction as the change it records, and
//! a flush after every accepted commit (see `commit`). Opening clears what a kill can leave (see
//! `recover`); a bulk fill of an empty store (demo, restore) is all or nothing (see `fill_empty`).

mod audit;
mod backup;
#[cfg(test)]
mod backup_tests;
mod commit;
#[cfg(test)]
mod count_tests;
mod error;
mod files;
mod identity;
#[cfg(test)]
mod integrity_tests;
pub mod keys;
mod reads;
mod records;
mod recover;
pub mod sync;
#[cfg(test)]
mod tests;

pub use audit::{AuditEntry, Change, VerifyReport};
pub use backup::{BackupError, BackupWritten, CheckedBackup, check_backup};
pub use commit::{Commit, Derived, IndexEntries, Write};
pub use error::{Result, StoreError};
pub use files::{FileError, Files, sha256_of};
pub use records::{Counter, Record, decode as decode_record, encode as encode_record, visit_key};

use crate::domain::{Finding, Id, ItemResult, LaptopId, Org, Round, TemplateSnapshot, Visit};
use serde_json::Value;
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};
use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// The schema this build writes. Opening an older store runs `MIGRATIONS`; a newer one is refused.
/// 2: audit changes hold the hash of the record bytes they wrote.
/// 3: audit changes hold the hash before and the fields that changed, not whole values; meta
///    holds each tree's entry count (`count/<tree>`).
pub const SCHEMA_VERSION: u32 = 3;

/// Store-wide migrations: `MIGRATIONS[n]` takes a store from schema n+1 to n+2.
type Migration = fn(&Store) -> Result<()>;
const MIGRATIONS: &[Migration] = &[attest_records, count_entries];

/// Schema 2 to 3: each counted tree's entries, counted once. (Entries written before stay in
/// their format: the chain is append-only, and both formats verify.)
fn count_entries(store: &Store) -> Result<()> {
    store.recount()
}

/// Schema 1 to 2: the entries of schema 1 hold no record hashes, so one entry attests the hash of
/// every record as it is now; from then on the log covers the records. Written with the new
/// schema version in one transaction, so a kill cannot attest twice.
fn attest_records(store: &Store) -> Result<()> {
    let mut changes = Vec::new();
    for t in Table::AUDITED {
        for kv in store.tree(t).iter() {
            let (k, v) = kv?;
            changes.push(Change::new(t, &k, None, Some(&v), false));
        }
    }
    let detail = serde_json::json!({ "from": 1, "to": 2, "records": changes.len() });
    let schema = serde_json::to_vec(&2u32).unwrap_or_default();
    let outcome = (store.tree(Table::Meta), store.tree(Table::Audit)).transaction(|(meta, audit)| {
        if !changes.is_empty() {
            let head = meta.get(META_AUDIT_HEAD)?;
            let entry =
                AuditEntry::next(head.as_deref(), chrono::Utc::now(), "xuncha", store.laptop, "schema.migrate", &detail, changes.clone())
                    .map_err(ConflictableTransactionError::Abort)?;
            let (key, value, head) = entry.encode();
            audit.insert(key, value)?;
            meta.insert(META_AUDIT_HEAD, head)?;
        }
        meta.insert(META_SCHEMA, schema.as_slice())?;
        Ok(())
    });
    match outcome {
        Ok(()) => Ok(()),
        Err(TransactionError::Abort(e)) => Err(e),
        Err(TransactionError::Storage(e)) => Err(e.into()),
    }
}

/// The trees. Index trees (`OrgChildren`, `FindingsByVisit`) are derived and never audited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    Meta,
    Orgs,
    OrgChildren,
    Templates,
    Rounds,
    Visits,
    Results,
    Findings,
    FindingsByVisit,
    Audit,
    Drafts,
    Counters,
    /// Aggregates per round and per visit, kept by the service in the same transaction as the
    /// records they sum up. Derived: never audited, never in a backup, rebuilt when missing.
    Summaries,
    /// The team's signed roster (人员名单).
    Team,
    /// The changes that travel between laptops, by (laptop, seq); see `sync`.
    Changes,
    /// Per record, which change wrote each field and the values of fields in conflict.
    Versions,
    /// Fields in conflict, by (table, record key, field): an index of `Versions`.
    Conflicts,
    /// What was exchanged with each other laptop.
    Peers,
}

impl Table {
    pub const ALL: [Table; 18] = [
        Table::Meta,
        Table::Orgs,
        Table::OrgChildren,
        Table::Templates,
        Table::Rounds,
        Table::Visits,
        Table::Results,
        Table::Findings,
        Table::FindingsByVisit,
        Table::Audit,
        Table::Drafts,
        Table::Counters,
        Table::Summaries,
        Table::Team,
        Table::Changes,
        Table::Versions,
        Table::Conflicts,
        Table::Peers,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Table::Meta => "meta",
            Table::Orgs => "orgs",
            Table::OrgChildren => "org_children",
            Table::Templates => "templates",
            Table::Rounds => "rounds",
            Table::Visits => "visits",
            Table::Results => "results",
            Table::Findings => "findings",
            Table::FindingsByVisit => "findings_by_visit",
            Table::Audit => "audit",
            Table::Drafts => "drafts",
            Table::Counters => "counters",
            Table::Summaries => "summaries",
            Table::Team => "team",
            Table::Changes => "changes",
            Table::Versions => "versions",
            Table::Conflicts => "conflicts",
            Table::Peers => "peers",
        }
    }
    pub fn from_name(s: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == s)
    }
    /// The trees of records that commits write and the audit log covers (not the indexes, which
    /// are derived; not drafts, which are not records; not meta or the log itself).
    pub const AUDITED: [Table; 8] =
        [Table::Orgs, Table::Templates, Table::Rounds, Table::Visits, Table::Results, Table::Findings, Table::Counters, Table::Team];
    /// Whether meta keeps this tree's entry count (every tree commits write; not meta itself, nor
    /// drafts, which are written outside commits and stay a handful).
    pub fn counted(self) -> bool {
        !matches!(self, Table::Meta | Table::Drafts | Table::Summaries | Table::Changes | Table::Versions | Table::Conflicts | Table::Peers)
    }
}

const META_SCHEMA: &[u8] = b"schema_version";
const META_LAPTOP: &[u8] = b"laptop_id";
const META_AUDIT_HEAD: &[u8] = b"audit_head";
/// Left by a restore of an older xuncha that was cut off; now wiped back like `META_FILLING`.
const META_RESTORING: &[u8] = b"restoring";
/// Present while an empty store is being filled (demo, restore): what the store was before.
const META_FILLING: &[u8] = b"filling";
/// Followed by a tree's name: how many entries the tree holds (JSON number), kept in the same
/// transaction as every write, so that `count` is one read.
const META_COUNT: &[u8] = b"count/";

fn count_key(t: Table) -> Vec<u8> {
    [META_COUNT, t.name().as_bytes()].concat()
}

/// The empty store a bulk fill started from; a store that still has it was cut off mid-fill and is
/// put back to exactly this at the next open.
#[derive(serde::Serialize, serde::Deserialize)]
struct Filling {
    laptop: LaptopId,
    schema: u32,
}

pub struct Store {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    laptop: LaptopId,
    dir: PathBuf,
    /// Template snapshots already read, by hash. A snapshot never changes under its hash (the hash
    /// is of its text), so it is decoded once per process; commits that write the templates tree
    /// and the wipe of a cut fill empty it all the same.
    template_cache: RwLock<HashMap<String, Arc<TemplateSnapshot>>>,
    // Held for the life of the store: a second xuncha on the same folder is refused.
    _lock: File,
}

impl Store {
    /// Opens (creating if needed) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Store> {
        let not_writable = |e: &std::io::Error| match error::is_disk_full(e) {
            true => StoreError::DiskFull(Some(dir.to_path_buf())),
            false => StoreError::NotWritable(dir.to_path_buf(), e.to_string()),
        };
        // A folder xuncha creates is the user's alone (0700), whatever the process umask.
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(|e| not_writable(&e))?;
        let lock = File::options().create(true).truncate(false).write(true).open(dir.join("xuncha.lock")).map_err(|e| not_writable(&e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Err(StoreError::InUse(dir.to_path_buf())),
            Err(std::fs::TryLockError::Error(e)) => return Err(not_writable(&e)),
        }
        // Under the lock: clear what a kill while opening or closing can leave.
        let creating = recover::before_open(dir).map_err(|e| not_writable(&e))?;
        if !recover::wait_for_sled(dir).map_err(|e| not_writable(&e))? {
            return Err(StoreError::InUse(dir.to_path_buf()));
        }
        let sled_error = |e: sled::Error| match e {
            sled::Error::Io(io) if io.kind() == std::io::ErrorKind::PermissionDenied => not_writable(&io),
            sled::Error::Io(io) if error::is_disk_full(&io) => StoreError::DiskFull(Some(dir.to_path_buf())),
            // A read or write that failed is not, by itself, a damaged store.
            sled::Error::Io(io) => StoreError::Io(format!("{}: {io}", dir.display())),
            other => StoreError::Corrupt(dir.to_path_buf(), other.to_string()),
        };
        let db = sled::Config::new().path(dir.join("db")).cache_capacity(64 * 1024 * 1024).open().map_err(sled_error)?;
        let mut trees = Vec::with_capacity(Table::ALL.len());
        for t in Table::ALL {
            trees.push(db.open_tree(t.name()).map_err(sled_error)?);
        }
        let mut store =
            Store { db, trees, laptop: LaptopId(Id::new()), dir: dir.to_path_buf(), template_cache: RwLock::default(), _lock: lock };
        store.init_meta().map_err(|e| e.in_dir(dir))?;
        if creating {
            recover::created(dir).map_err(|e| not_writable(&e))?;
        }
        Ok(store)
    }

    /// Reads or writes the schema version and laptop id; migrates an older store.
    fn init_meta(&mut self) -> Result<()> {
        self.finish_cut_fill()?;
        let meta = self.tree(Table::Meta);
        let corrupt = |why: String| StoreError::Corrupt(self.dir.clone(), why);
        let identity = identity::read(&self.dir).map_err(&corrupt)?;
        match meta.get(META_SCHEMA)? {
            None => {
                // sled recovers an unreadable database as an empty one. If this folder has held a
                // store before, that is lost data, not a new store: never paper over it.
                if let Some(id) = identity {
                    return Err(corrupt(format!("the database of laptop {id} is empty or unreadable")));
                }
                if !self.is_empty()? {
                    return Err(corrupt("schema version missing".into()));
                }
                meta.insert(META_SCHEMA, serde_json::to_vec(&SCHEMA_VERSION).unwrap_or_default())?;
                meta.insert(META_LAPTOP, serde_json::to_vec(&self.laptop).unwrap_or_default())?;
                self.db.flush()?;
                identity::write(&self.dir, self.laptop)?;
            }
            Some(v) => {
                let found: u32 = serde_json::from_slice(&v).map_err(|e| corrupt(format!("schema version: {e}")))?;
                if found > SCHEMA_VERSION {
                    return Err(StoreError::Newer(self.dir.clone(), found, SCHEMA_VERSION));
                }
                let laptop = meta.get(META_LAPTOP)?.ok_or_else(|| corrupt("laptop id missing".into()))?;
                self.laptop = serde_json::from_slice(&laptop).map_err(|e| corrupt(format!("laptop id: {e}")))?;
                match identity {
                    Some(id) if id != self.laptop => {
                        return Err(corrupt(format!("the database belongs to laptop {}, the folder to {id}", self.laptop)));
                    }
                    Some(_) => {}
                    None => identity::write(&self.dir, self.laptop)?,
                }
                self.migrate_from(found)?;
            }
        }
        Ok(())
    }

    /// A bulk fill cut off by a kill (or a full disk): wipe the store back to the empty store it
    /// started from, laptop id and identity file included. Every step can be repeated, so a kill
    /// during the wipe is finished by the next open.
    fn finish_cut_fill(&self) -> Result<()> {
        let meta = self.tree(Table::Meta);
        let corrupt = |why: String| StoreError::Corrupt(self.dir.clone(), why);
        let before: Filling = match (meta.get(META_FILLING)?, meta.get(META_RESTORING)?) {
            (Some(v), _) => serde_json::from_slice(&v).map_err(|e| corrupt(format!("filling: {e}")))?,
            (None, Some(_)) => {
                // An older xuncha's restore: the folder's identity is the laptop it started from
                // (or the restored one, which is as good for an empty store).
                let laptop = match identity::read(&self.dir).map_err(&corrupt)? {
                    Some(id) => id,
                    None => meta.get(META_LAPTOP)?.and_then(|v| serde_json::from_slice(&v).ok()).unwrap_or(self.laptop),
                };
                Filling { laptop, schema: SCHEMA_VERSION }
            }
            (None, None) => return Ok(()),
        };
        self.forget_templates();
        for t in Table::ALL {
            if t != Table::Meta {
                self.tree(t).clear()?;
            }
        }
        for kv in meta.iter() {
            let (k, _) = kv?;
            if ![META_FILLING, META_RESTORING].contains(&k.as_ref()) {
                meta.remove(k)?;
            }
        }
        meta.insert(META_SCHEMA, serde_json::to_vec(&before.schema).unwrap_or_default())?;
        meta.insert(META_LAPTOP, serde_json::to_vec(&before.laptop).unwrap_or_default())?;
        self.db.flush()?;
        identity::write(&self.dir, before.laptop)?;
        meta.remove(META_RESTORING)?;
        meta.remove(META_FILLING)?;
        self.db.flush()?;
        Ok(())
    }

    /// Fills an empty store with a large commit (demo data), all or nothing as the user sees it:
    /// the parts are committed under a marker holding the empty store's identity, and a store
    /// opened with the marker still there is wiped back to that empty store.
    pub fn fill_empty(&self, actor: &str, commit: Commit) -> Result<usize> {
        self.bulk_fill(|store| store.commit_in_parts(actor, commit))
    }

    /// Runs `fill` under the fill marker; refuses a store that is not empty (drafts included: the
    /// wipe would take them).
    fn bulk_fill<T>(&self, fill: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        if !self.is_empty()? || !self.tree(Table::Drafts).is_empty() {
            return Err(StoreError::NotEmpty(self.dir.clone()));
        }
        let meta = self.tree(Table::Meta);
        let before = Filling { laptop: self.laptop, schema: SCHEMA_VERSION };
        let marked = meta.insert(META_FILLING, serde_json::to_vec(&before).unwrap_or_default()).map_err(StoreError::from);
        let result = marked.and_then(|_| self.db.flush().map_err(StoreError::from)).and_then(|_| fill(self));
        let done = result.and_then(|r| {
            meta.remove(META_FILLING)?;
            self.db.flush()?;
            Ok(r)
        });
        if done.is_err() {
            // Best effort now (a full disk may refuse even this); the next open wipes otherwise.
            let _ = self.finish_cut_fill();
        }
        done.map_err(|e| e.in_dir(&self.dir))
    }

    fn migrate_from(&self, found: u32) -> Result<()> {
        for version in found..SCHEMA_VERSION {
            let step = MIGRATIONS
                .get(version as usize - 1)
                .ok_or_else(|| StoreError::Corrupt(self.dir.clone(), format!("no migration from schema {version}")))?;
            step(self)?;
            self.tree(Table::Meta).insert(META_SCHEMA, serde_json::to_vec(&(version + 1)).unwrap_or_default())?;
            self.db.flush()?;
        }
        Ok(())
    }

    fn tree(&self, t: Table) -> &sled::Tree {
        &self.trees[t as usize]
    }

    pub fn laptop(&self) -> LaptopId {
        self.laptop
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// No records and no audit entries: only the meta of a new store (drafts do not count).
    pub fn is_empty(&self) -> Result<bool> {
        Ok(Table::ALL.iter().filter(|t| !matches!(t, Table::Meta | Table::Drafts | Table::Summaries)).all(|t| self.tree(*t).is_empty()))
    }

    /// How many entries a tree holds: one read of the count meta keeps for it (meta and drafts,
    /// which stay small, are counted).
    pub fn count(&self, t: Table) -> usize {
        if !t.counted() {
            return self.tree(t).len();
        }
        match self.tree(Table::Meta).get(count_key(t)) {
            Ok(None) => 0,
            Ok(Some(v)) => match serde_json::from_slice::<u64>(&v) {
                Ok(n) => usize::try_from(n).unwrap_or(usize::MAX),
                Err(_) => self.tree(t).len(),
            },
            Err(_) => self.tree(t).len(),
        }
    }

    /// Counts every counted tree entry by entry and writes the counts (the migration to schema
    /// 3; a restore writes counts it took from the backup's entries instead).
    fn recount(&self) -> Result<()> {
        let mut batch = sled::Batch::default();
        for t in Table::ALL.into_iter().filter(|t| t.counted()) {
            // Absent means 0, as in a new store.
            match self.tree(t).len() {
                0 => batch.remove(count_key(t)),
                n => batch.insert(count_key(t), serde_json::to_vec(&n).unwrap_or_default()),
            }
        }
        self.tree(Table::Meta).apply_batch(batch)?;
        Ok(())
    }

    /// The trees whose kept count differs from their entries counted one by one: (tree, kept,
    /// counted). Reads every tree; empty when all agree. The counts are derived data: a
    /// difference says a tree was written behind xuncha's back, not that records are wrong.
    pub fn count_mismatches(&self) -> Result<Vec<(Table, usize, usize)>> {
        let mut out = Vec::new();
        for t in Table::ALL.into_iter().filter(|t| t.counted()) {
            let kept = self.count(t);
            let mut counted = 0;
            for kv in self.tree(t).iter() {
                kv?;
                counted += 1;
            }
            if kept != counted {
                out.push((t, kept, counted));
            }
        }
        Ok(out)
    }
}
