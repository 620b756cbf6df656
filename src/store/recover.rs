//! What a kill can leave in a data folder, and how opening clears it before sled reads it.
//!
//! Everything here runs under the folder's lock (`xuncha.lock`), so no other xuncha is using the
//! files it removes. It only removes what provably holds no data:
//!
//! - `db/snap.*.generating`: sled writes a snapshot (a cache of its page table) under that name,
//!   fsyncs it and renames it; it writes one only while opening, before anything else is written,
//!   and the older snapshot and the log stay until the rename. A kill before the rename leaves a
//!   file sled would pick as the newest snapshot and, when it is incomplete, refuse as corrupt.
//!   Without it, sled recovers from the older snapshot and the log, exactly as if the kill had
//!   come just before the snapshot began.
//! - `xuncha-store.json.tmp`: the identity is written to it and renamed; the old identity (if
//!   any) stays whole until the rename.
//! - `db/` of a store being created: the marker `xuncha-creating` is written (durably) before
//!   sled creates `db/`, and removed only after the identity file is written, which happens after
//!   the schema and laptop id are flushed and before any record can be. So marker present and
//!   identity absent means `db/` holds at most a half-made empty store (a half-written `conf`, a
//!   torn first segment, meta without identity): it is removed and the store made again.
//!   A `db/` without identity and without the marker is left to sled: it may be a store made
//!   before the identity file existed.

use std::io;
use std::path::Path;

const CREATING: &str = "xuncha-creating";

/// Clears the leftovers of a kill. Returns whether this open creates the store (the marker is in
/// place until `created` is called).
pub(super) fn before_open(dir: &Path) -> io::Result<bool> {
    remove_if_present(&dir.join(super::identity::TMP))?;
    let db = dir.join("db");
    let marker = dir.join(CREATING);
    let creating = if super::identity::exists(dir)? {
        // A marker beside an identity is from a kill just after the identity was written.
        remove_if_present(&marker)?;
        false
    } else if marker.exists() {
        if db.exists() {
            std::fs::remove_dir_all(&db)?;
            sync_dir(dir)?;
        }
        true
    } else if !db.exists() {
        std::fs::write(&marker, b"")?;
        std::fs::File::open(&marker)?.sync_all()?;
        sync_dir(dir)?;
        true
    } else {
        false
    };
    if db.is_dir() {
        for entry in std::fs::read_dir(&db)? {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("snap.") && name.ends_with(".generating") {
                std::fs::remove_file(entry.path())?;
            }
        }
    }
    Ok(creating)
}

/// The identity is written: the store exists, the marker goes.
pub(super) fn created(dir: &Path) -> io::Result<()> {
    remove_if_present(&dir.join(CREATING))?;
    sync_dir(dir)
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Makes a rename, creation or removal in `dir` durable. Windows has no directory handles to
/// sync; its renames are durable through the file system's own journal.
pub(super) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
