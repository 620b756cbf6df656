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

/// Waits until no sled holds its lock on `db/db`, and says whether it was released in time.
///
/// Whoever holds it is closing: xuncha's own lock is ours already. But sled's flusher thread keeps
/// the database file (and its lock) open for a moment after the store is dropped, so a store
/// reopened at once, in this process or the next, would find it taken; sled reports that as an
/// error, which is neither damage nor another xuncha.
pub(super) fn wait_for_sled(dir: &Path) -> io::Result<bool> {
    let file = match std::fs::File::open(dir.join("db").join("db")) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(true),
        Err(e) => return Err(e),
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(true),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            Err(std::fs::TryLockError::WouldBlock) => return Ok(false),
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
    }
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
