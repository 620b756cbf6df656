//! The folder's identity file, `xuncha-store.json`, kept outside the database.
//!
//! sled treats an unreadable log as torn writes and opens it as an empty database. Without a
//! witness outside the database, a damaged store would silently become a new, empty one; this
//! file says a store lived here, and whose it was.

use crate::domain::LaptopId;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

const FILE: &str = "xuncha-store.json";
/// Where the identity is written before it is renamed over `FILE`.
pub(super) const TMP: &str = "xuncha-store.json.tmp";

#[derive(Serialize, Deserialize)]
struct Identity {
    laptop: LaptopId,
}

/// The laptop id recorded for this folder, if any.
pub(super) fn read(dir: &Path) -> Result<Option<LaptopId>, String> {
    match std::fs::read(dir.join(FILE)) {
        Ok(bytes) => serde_json::from_slice::<Identity>(&bytes).map(|i| Some(i.laptop)).map_err(|e| format!("{FILE}: {e}")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{FILE}: {e}")),
    }
}

/// Whether the folder has an identity file (readable or not).
pub(super) fn exists(dir: &Path) -> std::io::Result<bool> {
    dir.join(FILE).try_exists()
}

/// Writes the identity durably: a temporary file, fsync, rename, fsync of the folder.
pub(super) fn write(dir: &Path, laptop: LaptopId) -> std::io::Result<()> {
    let tmp = dir.join(TMP);
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(&serde_json::to_vec(&Identity { laptop }).unwrap_or_default())?;
    f.sync_all()?;
    std::fs::rename(tmp, dir.join(FILE))?;
    super::recover::sync_dir(dir)
}
