//! The store's reads: records by key and by prefix, each decoded once from its bytes; derived
//! data (aggregates) and its completeness flag; drafts; the audit log, its head and its
//! verification against the records.

use super::records::{children_prefix, decode, org_key, result_key, visit_key};
use super::*;

impl Store {
    pub(super) fn get<T: Record>(&self, key: &[u8]) -> Result<Option<T>> {
        match self.tree(T::TABLE).get(key)? {
            Some(v) => decode::<T>(key, &v).map(Some),
            None => Ok(None),
        }
    }

    pub(super) fn scan<T: Record>(&self, prefix: &[u8]) -> Result<Vec<T>> {
        self.tree(T::TABLE)
            .scan_prefix(prefix)
            .map(|kv| {
                let (k, v) = kv?;
                decode::<T>(&k, &v)
            })
            .collect()
    }

    /// The team's roster, when this laptop belongs to a team.
    pub fn roster(&self) -> Result<Option<crate::domain::team::SignedRoster>> {
        self.get(&keys::Key::new().part("roster").bytes())
    }

    pub fn org(&self, code: &str) -> Result<Option<Org>> {
        self.get(&org_key(code))
    }

    pub fn orgs(&self) -> Result<Vec<Org>> {
        self.scan(&[])
    }

    /// Codes of the direct children of `parent` (None: the roots), in code order.
    pub fn child_codes(&self, parent: Option<&str>) -> Result<Vec<String>> {
        let prefix = children_prefix(parent);
        self.tree(Table::OrgChildren)
            .scan_prefix(&prefix)
            .map(|kv| {
                let (k, _) = kv?;
                match keys::decode(&k).as_deref() {
                    Some([_, keys::Part::Str(child)]) => Ok(child.clone()),
                    _ => Err(StoreError::BadRecord {
                        table: Table::OrgChildren.name(),
                        key: keys::describe(&k),
                        reason: "bad index key".into(),
                    }),
                }
            })
            .collect()
    }

    pub fn template(&self, hash: &str) -> Result<Option<TemplateSnapshot>> {
        Ok(self.template_arc(hash)?.map(|t| (*t).clone()))
    }

    /// A template snapshot, shared: read from the store once per hash, then from the cache.
    pub fn template_arc(&self, hash: &str) -> Result<Option<Arc<TemplateSnapshot>>> {
        if let Some(t) = self.template_cache.read().unwrap_or_else(|e| e.into_inner()).get(hash) {
            return Ok(Some(t.clone()));
        }
        let Some(t) = self.get::<TemplateSnapshot>(&keys::Key::new().part(hash).bytes())? else { return Ok(None) };
        let t = Arc::new(t);
        self.template_cache.write().unwrap_or_else(|e| e.into_inner()).insert(hash.to_string(), t.clone());
        Ok(Some(t))
    }

    /// Forgets every cached template snapshot (after anything that writes the templates tree
    /// other than an ordinary commit of new snapshots).
    pub(super) fn forget_templates(&self) {
        self.template_cache.write().unwrap_or_else(|e| e.into_inner()).clear();
    }

    pub fn templates(&self) -> Result<Vec<TemplateSnapshot>> {
        self.scan(&[])
    }

    pub fn round(&self, id: Id) -> Result<Option<Round>> {
        self.get(&keys::Key::new().part(id).bytes())
    }

    pub fn rounds(&self) -> Result<Vec<Round>> {
        self.scan(&[])
    }

    pub fn visit(&self, round: Id, org: &str) -> Result<Option<Visit>> {
        self.get(&visit_key(round, org))
    }

    pub fn visits(&self, round: Id) -> Result<Vec<Visit>> {
        self.scan(&keys::Key::new().part(round).bytes())
    }

    pub fn result(&self, round: Id, org: &str, item: &str) -> Result<Option<ItemResult>> {
        self.get(&result_key(round, org, item))
    }

    pub fn results(&self, round: Id, org: &str) -> Result<Vec<ItemResult>> {
        self.scan(&visit_key(round, org))
    }

    pub fn finding(&self, id: Id) -> Result<Option<Finding>> {
        self.get(&keys::Key::new().part(id).bytes())
    }

    pub fn findings(&self) -> Result<Vec<Finding>> {
        self.scan(&[])
    }

    /// The last number handed out by a counter (0 if none yet).
    pub fn counter(&self, name: &str) -> Result<u64> {
        Ok(self.get::<records::Counter>(&keys::Key::new().part(name).bytes())?.map_or(0, |c| c.value))
    }

    /// A visit's findings, oldest first.
    pub fn visit_findings(&self, round: Id, org: &str) -> Result<Vec<Finding>> {
        let mut out = Vec::new();
        for kv in self.tree(Table::FindingsByVisit).scan_prefix(visit_key(round, org)) {
            let (k, _) = kv?;
            if let Some([_, _, keys::Part::Id(id)]) = keys::decode(&k).as_deref()
                && let Some(f) = self.finding(*id)?
            {
                out.push(f);
            }
        }
        Ok(out)
    }

    /// A derived record (an aggregate) by key.
    pub fn derived<T: Record>(&self, key: &[u8]) -> Result<Option<T>> {
        self.get::<T>(key)
    }

    /// Derived records (aggregates) under a key prefix, in key order.
    pub fn derived_under<T: Record>(&self, prefix: &[u8]) -> Result<Vec<T>> {
        self.scan::<T>(prefix)
    }

    /// Whether a derived table's completeness flag is set (kept in that table, which is never
    /// backed up, so a restored store rebuilds its aggregates).
    pub fn derived_complete(&self, table: Table, flag: &[u8]) -> Result<bool> {
        Ok(self.tree(table).contains_key(flag)?)
    }

    /// Replaces every record of the derived `table` by `records`, then sets its `flag`, in parts
    /// (derived data may be large), the flag last and flushed: a kill midway leaves the flag
    /// unset, so the data is rebuilt again.
    pub fn rebuild_derived(&self, table: Table, records: Vec<(Vec<u8>, Vec<u8>)>, flag: &[u8]) -> Result<()> {
        let run = || -> Result<()> {
            self.tree(table).clear()?;
            self.db.flush()?;
            for chunk in records.chunks(10_000) {
                let mut batch = sled::Batch::default();
                for (k, v) in chunk {
                    batch.insert(k.as_slice(), v.as_slice());
                }
                self.tree(table).apply_batch(batch)?;
            }
            self.db.flush()?;
            self.tree(table).insert(flag, &b"1"[..])?;
            self.db.flush()?;
            Ok(())
        };
        run().map_err(|e| e.in_dir(&self.dir))
    }

    /// Removes a derived table's completeness flag, flushed: before a change too large for one
    /// transaction, so that the data is rebuilt unless the change completes.
    pub fn clear_derived_flag(&self, table: Table, flag: &[u8]) -> Result<()> {
        let run = || -> Result<()> {
            if self.tree(table).remove(flag)?.is_some() {
                self.db.flush()?;
            }
            Ok(())
        };
        run().map_err(|e| e.in_dir(&self.dir))
    }

    /// Keeps a half-typed form under `key`, flushed: text typed is never lost, even before it is
    /// valid enough to save. Drafts are not records and are not audited.
    pub fn save_draft(&self, key: &str, value: &Value) -> Result<()> {
        let write = || -> Result<()> {
            self.tree(Table::Drafts).insert(key.as_bytes(), serde_json::to_vec(value).unwrap_or_default())?;
            self.db.flush()?;
            Ok(())
        };
        write().map_err(|e| e.in_dir(&self.dir))
    }

    pub fn drop_draft(&self, key: &str) -> Result<()> {
        let write = || -> Result<()> {
            if self.tree(Table::Drafts).remove(key.as_bytes())?.is_some() {
                self.db.flush()?;
            }
            Ok(())
        };
        write().map_err(|e| e.in_dir(&self.dir))
    }

    /// Every kept draft, by key.
    pub fn drafts(&self) -> Result<Vec<(String, Value)>> {
        self.tree(Table::Drafts)
            .iter()
            .map(|kv| {
                let (k, v) = kv?;
                let value = serde_json::from_slice(&v).map_err(|e| StoreError::BadRecord {
                    table: "drafts",
                    key: keys::describe(&k),
                    reason: e.to_string(),
                })?;
                Ok((String::from_utf8_lossy(&k).into_owned(), value))
            })
            .collect()
    }

    /// The audit log, oldest first.
    pub fn audit_entries(&self) -> Result<Vec<AuditEntry>> {
        self.tree(Table::Audit)
            .iter()
            .map(|kv| {
                let (k, v) = kv?;
                AuditEntry::decode(&k, &v).map_err(|reason| StoreError::BadRecord { table: "audit", key: keys::describe(&k), reason })
            })
            .collect()
    }

    /// The last audit entry's sequence number and hash ((0, zeros) before the first): printed
    /// with every export, so that a chain later rewritten from an earlier entry on is caught by
    /// `verify_audit_with`.
    pub fn audit_head(&self) -> Result<(u64, String)> {
        match self.tree(Table::Meta).get(META_AUDIT_HEAD)? {
            None => Ok((0, audit::GENESIS.to_string())),
            Some(v) => serde_json::from_slice::<audit::Head>(&v).map(|h| (h.seq, h.hash)).map_err(|e| StoreError::BadRecord {
                table: "meta",
                key: "audit_head".into(),
                reason: e.to_string(),
            }),
        }
    }

    /// Checks the audit chain and the records against it (see `verify_audit_with`).
    pub fn verify_audit(&self) -> Result<VerifyReport> {
        self.verify_audit_with(&[])
    }

    /// Checks the audit chain: contiguous sequence numbers, each entry's hash over its own text,
    /// each entry naming its predecessor's hash, the head naming the last entry, and each of
    /// `pins` (SEQ, HASH: heads printed earlier) naming an entry that still has that hash. Then
    /// every record of the audited trees against the latest hash the log holds for it.
    pub fn verify_audit_with(&self, pins: &[(u64, String)]) -> Result<VerifyReport> {
        let head = self.tree(Table::Meta).get(META_AUDIT_HEAD)?;
        let entries = self.tree(Table::Audit).iter().map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())));
        let chain = audit::walk(entries.collect::<std::result::Result<Vec<_>, _>>()?, head.as_deref(), pins);
        let mut report =
            VerifyReport { entries: chain.entries, last_hash: chain.last_hash, broken: chain.broken, records: 0, record: None };
        if report.broken.is_some() {
            return Ok(report);
        }
        let mut check = audit::RecordCheck::new(chain.latest);
        for t in Table::AUDITED {
            for kv in self.tree(t).iter() {
                let (k, v) = kv?;
                if let Some(why) = check.record(t, &k, &v) {
                    report.records = check.checked;
                    report.record = Some((t.name().to_string(), keys::describe(&k), why));
                    return Ok(report);
                }
            }
        }
        report.records = check.checked;
        report.record = check.missing().map(|(t, k, why, _)| (t, k, why));
        Ok(report)
    }
}
