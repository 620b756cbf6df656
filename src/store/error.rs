//! What can go wrong with a data folder, worded for the person at the keyboard.

use crate::i18n::K;
use std::path::PathBuf;

/// Each message is the user's sentence (zh or en, from the string table); the error it came
/// from stays attached as its source.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another xuncha holds the folder's lock.
    #[error("{}", K::StoreInUse.fill(&[&.0.display()]))]
    InUse(PathBuf),
    #[error("{}", K::StoreNotWritable.fill(&[&.0.display(), .1]))]
    NotWritable(PathBuf, String),
    /// Written by a newer xuncha: (folder, its schema, the newest this build knows).
    #[error("{}", K::StoreNewer.fill(&[&.0.display(), .1, .2]))]
    Newer(PathBuf, u32, u32),
    #[error("{}", K::StoreCorrupt.fill(&[&.0.display(), .1]))]
    Corrupt(PathBuf, String),
    /// An I/O failure already worded with its detail (the folder it concerns, say).
    #[error("{}", K::StoreIo.fill(&[.0]))]
    Io(String),
    /// The storage engine failed.
    #[error("{}", K::StoreIo.fill(&[.0]))]
    Engine(#[source] sled::Error),
    /// The operating system refused a read or write.
    #[error("{}", K::StoreIo.fill(&[.0]))]
    Os(#[source] std::io::Error),
    #[error("{}", K::StoreBadRecord.fill(&[.table, .key, .reason]))]
    BadRecord { table: &'static str, key: String, reason: String },
    #[error("{}", K::RestoreNotEmpty.fill(&[&.0.display()]))]
    NotEmpty(PathBuf),
    /// A bad backup file: (file, line, reason).
    #[error("{}", K::BackupBad.fill(&[.0, .1, .2]))]
    Backup(String, usize, String),
    /// The disk holding the data folder (when known) is full. Commits are atomic and a bulk fill
    /// is wiped back at the next open, so nothing is left half-written.
    #[error("{}", match .0 { Some(p) => K::StoreDiskFull.fill(&[&p.display()]), None => K::StoreDiskFullSomewhere.text().to_string() })]
    DiskFull(Option<PathBuf>),
}

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
            other => StoreError::Engine(other),
        }
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        if is_disk_full(&e) { StoreError::DiskFull(None) } else { StoreError::Os(e) }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;
