//! The evidence store: files attached to findings and steps, kept beside the database in
//! `<data>/evidence/ab/abcdef…` under the SHA-256 of their content. A file is written whole
//! (temporary file, fsync, rename), made read-only, and never overwritten: the same hash is the
//! same content, already there. Reading checks the hash, so a file changed on disk is caught.
//! Plain files, not sled: photos of several megabytes do not belong in the database's log.

use super::Store;
use crate::domain::evidence::is_sha256;
use crate::domain::sync::hex;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::PathBuf;

/// The evidence files of one data folder.
pub struct Files {
    dir: PathBuf,
}

/// Why a file could not be given back.
#[derive(Debug)]
pub enum FileError {
    /// Not in the store.
    Missing(PathBuf),
    /// In the store, but its content no longer has its hash (the file was changed or damaged).
    Damaged(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl Store {
    /// The evidence files kept in this data folder.
    pub fn files(&self) -> Files {
        Files { dir: self.dir.join("evidence") }
    }
}

/// The SHA-256 of `bytes`, lowercase hex.
pub fn sha256_of(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

impl Files {
    /// Where the file with hash `sha256` lives (whether or not it is there).
    pub fn path(&self, sha256: &str) -> PathBuf {
        self.dir.join(sha256.get(..2).unwrap_or("00")).join(sha256)
    }

    pub fn has(&self, sha256: &str) -> bool {
        is_sha256(sha256) && self.path(sha256).is_file()
    }

    /// Keeps `bytes`; returns its hash and whether it was new (false: the same content was
    /// already kept, and nothing is written). A file under that hash whose content no longer
    /// matches it (changed or damaged on disk) is replaced by the content it names.
    pub fn put(&self, bytes: &[u8]) -> std::io::Result<(String, bool)> {
        let sha256 = sha256_of(bytes);
        let path = self.path(&sha256);
        if path.is_file() {
            if std::fs::read(&path).is_ok_and(|kept| sha256_of(&kept) == sha256) {
                return Ok((sha256, false));
            }
            let mut perms = std::fs::metadata(&path)?.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&path, perms)?;
        }
        if let Some(parent) = path.parent() {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(parent)?;
        }
        let mut file = crate::atomic_file::AtomicFile::create(&path, crate::atomic_file::Access::Private)?;
        file.write_all(bytes)?;
        file.commit()?;
        // Never changed once kept: read-only for everyone, the owner included.
        let mut perms = std::fs::metadata(&path)?.permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&path, perms)?;
        Ok((sha256, true))
    }

    /// The hashes of the files kept, in order (what a backup carries).
    pub fn list(&self) -> std::io::Result<Vec<String>> {
        let mut out = Vec::new();
        let dirs = match std::fs::read_dir(&self.dir) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e),
        };
        for d in dirs {
            let d = d?;
            if !d.file_type()?.is_dir() {
                continue;
            }
            for f in std::fs::read_dir(d.path())? {
                let name = f?.file_name().to_string_lossy().into_owned();
                // Temporary files of a write cut short are not kept files.
                if is_sha256(&name) && name.starts_with(&*d.file_name().to_string_lossy()) {
                    out.push(name);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// The content of the file with hash `sha256`, checked against it.
    pub fn get(&self, sha256: &str) -> Result<Vec<u8>, FileError> {
        let path = self.path(sha256);
        if !is_sha256(sha256) {
            return Err(FileError::Missing(path));
        }
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(FileError::Missing(path)),
            Err(e) => return Err(FileError::Io(path, e)),
        };
        if sha256_of(&bytes) != sha256 {
            return Err(FileError::Damaged(path));
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_once_read_only_and_checked_on_reading() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let files = Files { dir: dir.path().join("evidence") };
        let (h, new) = files.put(b"photo").unwrap_or_else(|e| panic!("{e}"));
        assert!(new);
        assert_eq!(files.put(b"photo").unwrap_or_else(|e| panic!("{e}")), (h.clone(), false));
        assert!(files.has(&h));
        assert!(std::fs::metadata(files.path(&h)).unwrap_or_else(|e| panic!("{e}")).permissions().readonly());
        assert_eq!(files.get(&h).unwrap_or_else(|e| panic!("{e:?}")), b"photo");
        assert!(matches!(files.get(&"0".repeat(64)), Err(FileError::Missing(_))));
    }

    #[test]
    fn a_damaged_file_is_caught_and_the_right_content_repairs_it() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let files = Files { dir: dir.path().join("evidence") };
        let (h, _) = files.put(b"scan").unwrap_or_else(|e| panic!("{e}"));
        let p = files.path(&h);
        let mut perms = std::fs::metadata(&p).unwrap_or_else(|e| panic!("{e}")).permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&p, perms).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&p, b"changed").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(files.get(&h), Err(FileError::Damaged(_))));
        assert_eq!(files.put(b"scan").unwrap_or_else(|e| panic!("{e}")), (h.clone(), true));
        assert_eq!(files.get(&h).unwrap_or_else(|e| panic!("{e:?}")), b"scan");
        assert!(std::fs::metadata(&p).unwrap_or_else(|e| panic!("{e}")).permissions().readonly());
    }
}
