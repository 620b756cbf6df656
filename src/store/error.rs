//! What can go wrong with a data folder, worded for the person at the keyboard.

use crate::i18n::K;
use std::fmt;
use std::path::PathBuf;

#[derive(Debug)]
pub enum StoreError {
    /// Another xuncha holds the folder's lock.
    InUse(PathBuf),
    NotWritable(PathBuf, String),
    /// Written by a newer xuncha: (folder, its schema, the newest this build knows).
    Newer(PathBuf, u32, u32),
    Corrupt(PathBuf, String),
    Io(String),
    BadRecord {
        table: &'static str,
        key: String,
        reason: String,
    },
    NotEmpty(PathBuf),
    /// A bad backup file: (file, line, reason).
    Backup(String, usize, String),
    /// The disk holding the data folder (when known) is full. Commits are atomic and a bulk fill
    /// is wiped back at the next open, so nothing is left half-written.
    DiskFull(Option<PathBuf>),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            StoreError::InUse(p) => K::StoreInUse.fill(&[&p.display()]),
            StoreError::NotWritable(p, e) => K::StoreNotWritable.fill(&[&p.display(), e]),
            StoreError::Newer(p, found, known) => K::StoreNewer.fill(&[&p.display(), found, known]),
            StoreError::Corrupt(p, e) => K::StoreCorrupt.fill(&[&p.display(), e]),
            StoreError::Io(e) => K::StoreIo.fill(&[e]),
            StoreError::BadRecord { table, key, reason } => K::StoreBadRecord.fill(&[table, key, reason]),
            StoreError::NotEmpty(p) => K::RestoreNotEmpty.fill(&[&p.display()]),
            StoreError::Backup(file, line, reason) => K::BackupBad.fill(&[file, line, reason]),
            StoreError::DiskFull(Some(p)) => K::StoreDiskFull.fill(&[&p.display()]),
            StoreError::DiskFull(None) => K::StoreDiskFullSomewhere.text().to_string(),
        };
        f.write_str(&s)
    }
}

impl std::error::Error for StoreError {}

/// ENOSPC: std maps it to `StorageFull`; the raw number is checked too, as sled re-creates some
/// errors from their text and kind.
pub(super) fn is_disk_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28)
}

impl StoreError {
    /// Names the data folder in an error that did not know it.
    pub(super) fn in_dir(self, dir: &std::path::Path) -> StoreError {
        match self {
            StoreError::DiskFull(None) => StoreError::DiskFull(Some(dir.to_path_buf())),
            other => other,
        }
    }
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        match e {
            sled::Error::Io(io) => io.into(),
            other => StoreError::Io(other.to_string()),
        }
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        if is_disk_full(&e) { StoreError::DiskFull(None) } else { StoreError::Io(e.to_string()) }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;
