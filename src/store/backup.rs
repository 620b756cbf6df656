//! Backup to and restore from a portable JSON-lines file.
//!
//! Line 1 is a header, then one line per stored entry (`{"t":tree,"k":hex key,"v":value}`, the
//! value's exact JSON text, or null for an index entry), then an end line with the count, so a
//! file cut short is recognised. Restore writes into an empty store, and only after the whole file has been read and checked.

use super::error::{Result, StoreError};
use super::keys::{hex, unhex};
use super::{SCHEMA_VERSION, Store, Table};
use crate::i18n::K;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::io::{BufRead, Write};

const FORMAT: &str = "xuncha-backup";

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    schema: u32,
    created: chrono::DateTime<chrono::Utc>,
}

#[derive(Serialize)]
struct LineOut<'a> {
    t: &'static str,
    k: String,
    v: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct LineIn {
    t: Option<String>,
    k: Option<String>,
    v: Option<Box<RawValue>>,
    end: Option<bool>,
    records: Option<usize>,
}

impl Store {
    /// Writes every tree to `out`; returns the number of records written.
    pub fn backup(&self, out: &mut dyn Write) -> Result<usize> {
        let header = Header { format: FORMAT.into(), version: 1, schema: SCHEMA_VERSION, created: chrono::Utc::now() };
        writeln!(out, "{}", serde_json::to_string(&header).unwrap_or_default())?;
        let mut n = 0;
        for t in Table::ALL {
            for kv in self.tree(t).iter() {
                let (k, v) = kv?;
                let raw: Option<&RawValue> = if v.is_empty() {
                    None
                } else {
                    let text = std::str::from_utf8(&v).map_err(|e| StoreError::BadRecord {
                        table: t.name(),
                        key: hex(&k),
                        reason: e.to_string(),
                    })?;
                    Some(serde_json::from_str(text).map_err(|e| StoreError::BadRecord {
                        table: t.name(),
                        key: hex(&k),
                        reason: e.to_string(),
                    })?)
                };
                let line = LineOut { t: t.name(), k: hex(&k), v: raw };
                writeln!(out, "{}", serde_json::to_string(&line).unwrap_or_default())?;
                n += 1;
            }
        }
        writeln!(out, "{{\"end\":true,\"records\":{n}}}")?;
        out.flush()?;
        Ok(n)
    }

    /// Loads a backup into this store, which must be empty. Nothing is written unless the whole
    /// file reads cleanly.
    pub fn restore(&mut self, file: &str, input: &mut dyn BufRead) -> Result<usize> {
        if !self.is_empty()? {
            return Err(StoreError::NotEmpty(self.dir.clone()));
        }
        let bad = |line: usize, why: String| StoreError::Backup(file.to_string(), line, why);
        let mut lines = input.lines().enumerate();
        let header: Header = match lines.next() {
            Some((_, Ok(l))) => serde_json::from_str(&l).map_err(|_| bad(1, K::BackupNotBackup.text().into()))?,
            Some((_, Err(e))) => return Err(bad(1, e.to_string())),
            None => return Err(bad(1, K::BackupNotBackup.text().into())),
        };
        if header.format != FORMAT {
            return Err(bad(1, K::BackupNotBackup.text().into()));
        }
        if header.schema > SCHEMA_VERSION {
            return Err(StoreError::Newer(self.dir.clone(), header.schema, SCHEMA_VERSION));
        }
        let mut records: Vec<(Table, Vec<u8>, Vec<u8>)> = Vec::new();
        let mut ended = false;
        let mut last_line = 1;
        for (i, line) in lines {
            let no = i + 1;
            last_line = no;
            let line = line.map_err(|e| bad(no, e.to_string()))?;
            if ended {
                if line.trim().is_empty() {
                    continue;
                }
                return Err(bad(no, "content after the end record".into()));
            }
            let l: LineIn = serde_json::from_str(&line).map_err(|e| bad(no, e.to_string()))?;
            if l.end == Some(true) {
                let expected = l.records.unwrap_or(usize::MAX);
                if expected != records.len() {
                    return Err(bad(no, K::BackupCountMismatch.fill(&[&expected, &records.len()])));
                }
                ended = true;
                continue;
            }
            let table = l.t.as_deref().and_then(Table::from_name).ok_or_else(|| bad(no, format!("unknown tree {:?}", l.t)))?;
            let key = l.k.as_deref().and_then(unhex).ok_or_else(|| bad(no, "bad key".into()))?;
            let value = l.v.map(|v| v.get().as_bytes().to_vec()).unwrap_or_default();
            records.push((table, key, value));
        }
        if !ended {
            return Err(bad(last_line, K::BackupTruncated.text().into()));
        }
        // A backup without the store's identity would restore into a folder that cannot open.
        for key in [super::META_SCHEMA, super::META_LAPTOP] {
            if !records.iter().any(|(t, k, _)| *t == Table::Meta && k == key) {
                return Err(bad(last_line, format!("no {} record", String::from_utf8_lossy(key))));
            }
        }
        let schema = records.iter().find(|(t, k, _)| *t == Table::Meta && k == super::META_SCHEMA);
        if let Some((_, _, v)) = schema {
            let found: u32 = serde_json::from_slice(v).map_err(|e| bad(last_line, format!("schema_version: {e}")))?;
            if found > SCHEMA_VERSION {
                return Err(StoreError::Newer(self.dir.clone(), found, SCHEMA_VERSION));
            }
        }
        // Written in batches (one transaction of 200,000 records needs gigabytes), under a marker:
        // a store whose restore was cut short refuses to open and says to restore again.
        let meta = self.tree(Table::Meta);
        meta.insert(super::META_RESTORING, b"true".as_slice())?;
        self.db.flush()?;
        for t in Table::ALL {
            let mut batch = sled::Batch::default();
            let mut size = 0;
            for (_, k, v) in records.iter().filter(|(rt, _, _)| *rt == t) {
                batch.insert(k.as_slice(), v.as_slice());
                size += 1;
                if size == 10_000 {
                    self.tree(t).apply_batch(std::mem::take(&mut batch))?;
                    size = 0;
                }
            }
            self.tree(t).apply_batch(batch)?;
        }
        self.db.flush()?;
        // The folder now holds the restored laptop's store.
        let laptop = records.iter().find(|(t, k, _)| *t == Table::Meta && k == super::META_LAPTOP);
        if let Some((_, _, v)) = laptop {
            let laptop = serde_json::from_slice(v).map_err(|e| bad(last_line, format!("laptop_id: {e}")))?;
            super::identity::write(&self.dir, laptop)?;
        }
        meta.remove(super::META_RESTORING)?;
        self.db.flush()?;
        // The restored meta brings the original laptop id and schema; migrate if it is older.
        self.init_meta()?;
        Ok(records.len())
    }
}
