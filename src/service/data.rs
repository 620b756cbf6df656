//! Queries on the data folder and the commands that keep it: records by key, drafts, the audit
//! chain, backup and restore. Each returns domain values; none hands out the store.

use super::{Result, ServiceError, Session};
use crate::atomic_file::{Access, AtomicFile};
use crate::domain::{Finding, Id, ItemResult, LaptopId, Org, Round, Visit};
use crate::store::StoreError;
pub use crate::store::VerifyReport;
use serde_json::Value;
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};

impl Session {
    /// The data folder.
    pub fn data_dir(&self) -> PathBuf {
        self.store.dir().to_path_buf()
    }

    /// Where the screens write their exports: `exports/` in the data folder.
    pub fn exports_dir(&self) -> PathBuf {
        self.store.dir().join("exports")
    }

    pub fn laptop(&self) -> LaptopId {
        self.store.laptop()
    }

    pub fn org(&self, code: &str) -> Result<Option<Org>> {
        Ok(self.store.org(code)?)
    }

    /// An organisation's name, or its code when it is unknown.
    pub fn org_name(&self, code: &str) -> Result<String> {
        Ok(self.store.org(code)?.map_or_else(|| code.to_string(), |o| o.name))
    }

    pub fn orgs(&self) -> Result<Vec<Org>> {
        Ok(self.store.orgs()?)
    }

    /// Whether the folder has no organisation yet (first run).
    pub fn has_no_orgs(&self) -> bool {
        self.store.count(crate::store::Table::Orgs) == 0
    }

    pub fn rounds(&self) -> Result<Vec<Round>> {
        Ok(self.store.rounds()?)
    }

    pub fn round(&self, id: Id) -> Result<Option<Round>> {
        Ok(self.store.round(id)?)
    }

    pub fn visit(&self, round: Id, org: &str) -> Result<Option<Visit>> {
        Ok(self.store.visit(round, org)?)
    }

    pub fn visits(&self, round: Id) -> Result<Vec<Visit>> {
        Ok(self.store.visits(round)?)
    }

    pub fn result(&self, round: Id, org: &str, item: &str) -> Result<Option<ItemResult>> {
        Ok(self.store.result(round, org, item)?)
    }

    pub fn results(&self, round: Id, org: &str) -> Result<Vec<ItemResult>> {
        Ok(self.store.results(round, org)?)
    }

    pub fn findings(&self) -> Result<Vec<Finding>> {
        Ok(self.store.findings()?)
    }

    pub fn finding(&self, id: Id) -> Result<Option<Finding>> {
        Ok(self.store.finding(id)?)
    }

    /// A visit's findings, oldest first.
    pub fn visit_findings(&self, round: Id, org: &str) -> Result<Vec<Finding>> {
        Ok(self.store.visit_findings(round, org)?)
    }

    /// The finding with this problem number, if any.
    pub fn finding_by_number(&self, number: &str) -> Result<Option<Finding>> {
        Ok(self.store.findings()?.into_iter().find(|f| f.number.as_deref() == Some(number)))
    }

    /// Keeps a half-typed form under `key`, flushed.
    pub fn save_draft(&self, key: &str, value: &Value) -> Result<()> {
        Ok(self.store.save_draft(key, value)?)
    }

    pub fn drop_draft(&self, key: &str) -> Result<()> {
        Ok(self.store.drop_draft(key)?)
    }

    /// Every kept draft, by key.
    pub fn drafts(&self) -> Result<Vec<(String, Value)>> {
        Ok(self.store.drafts()?)
    }

    /// The audit chain's head (sequence, hash), printed with every export.
    pub fn audit_head(&self) -> Result<(u64, String)> {
        Ok(self.store.audit_head()?)
    }

    /// Checks the audit chain, the records against it, and each head printed earlier.
    pub fn verify_audit(&self, pins: &[(u64, String)]) -> Result<VerifyReport> {
        Ok(self.store.verify_audit_with(pins)?)
    }

    /// Writes the whole store to `path` as a portable backup, atomically and readable by the user
    /// alone (it holds everything). Returns what it wrote, and the evidence files it could not.
    pub fn backup_to(&self, path: &Path) -> Result<crate::store::BackupWritten> {
        let mut n = crate::store::BackupWritten { records: 0, files: 0, skipped: Vec::new() };
        let mut store_error = None;
        let written = AtomicFile::create(path, Access::Private).and_then(|mut f| {
            let mut w = BufWriter::new(&mut f);
            match self.store.backup_report(&mut w, self.now()) {
                Ok(count) => n = count,
                // Writing the file filled the disk: reported with the file's name.
                Err(StoreError::DiskFull(_)) => return Err(std::io::ErrorKind::StorageFull.into()),
                Err(e) => {
                    let text = e.to_string();
                    store_error = Some(e);
                    return Err(std::io::Error::other(text));
                }
            }
            w.flush()?;
            drop(w);
            f.commit()
        });
        if let Some(e) = store_error {
            return Err(e.into());
        }
        written.map_err(|e| ServiceError::Io(crate::oserror::write_failed(path, &e)))?;
        Ok(n)
    }

    /// Loads a backup into this (empty) store, checked whole first. `name` names the file in
    /// errors. Returns the number of records.
    pub fn restore(&mut self, name: &str, input: &mut dyn BufRead) -> Result<usize> {
        self.summaries_stale()?;
        Ok(self.store.restore(name, input)?)
    }
}
