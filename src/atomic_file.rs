//! Files written whole or not at all, with the mode they should have: a temporary file in the
//! target's folder, fsync, then a rename over the target. An interrupted write never leaves a
//! file that looks complete, and never a half-written one under the target's name.

use std::io::Write;
use std::path::Path;

/// Who may read the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// An export handed on to others: 0666 less the user's umask (0644 with umask 022).
    Shared,
    /// Everything in the store, or the user's settings: 0600.
    Private,
}

/// A file being written; the target appears only on `commit`. Dropped without a commit, the
/// temporary file is removed.
pub struct AtomicFile {
    tmp: tempfile::NamedTempFile,
    target: std::path::PathBuf,
}

impl AtomicFile {
    pub fn create(target: &Path, access: Access) -> std::io::Result<AtomicFile> {
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let name = target.file_name().map_or_else(|| "xuncha".into(), |n| n.to_string_lossy().into_owned());
        // Hidden and marked, so that a leftover from a crash is recognisable next to the export.
        let tmp = tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".partial").tempfile_in(dir)?;
        set_mode(tmp.as_file(), access)?;
        Ok(AtomicFile { tmp, target: target.to_path_buf() })
    }

    /// Flushes the bytes to disk and puts the file in place of the target.
    pub fn commit(self) -> std::io::Result<()> {
        self.tmp.as_file().sync_all()?;
        let dir = self.tmp.path().parent().map(Path::to_path_buf);
        self.tmp.persist(&self.target).map_err(|e| e.error)?;
        // The rename itself is durable once the folder is synced (Unix; elsewhere it cannot be
        // opened as a file, and the rename is already done).
        #[cfg(unix)]
        if let Some(dir) = dir {
            std::fs::File::open(dir)?.sync_all()?;
        }
        #[cfg(not(unix))]
        let _ = dir;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tmp.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.flush()
    }
}

#[cfg(unix)]
fn set_mode(f: &std::fs::File, access: Access) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    // Set explicitly: the process umask is 0077 (see `privacy`), and the temporary file is
    // created 0600 whatever the umask.
    let mode = match access {
        Access::Shared => crate::privacy::shared_file_mode(),
        Access::Private => 0o600,
    };
    f.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &std::fs::File, _: Access) -> std::io::Result<()> {
    Ok(())
}

/// Writes an export: atomically, readable as the user's umask says. Every export of the CLI and
/// the screens goes through here.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_with(path, Access::Shared, bytes)
}

/// Writes a file atomically with the given access.
pub fn write_with(path: &Path, access: Access, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = AtomicFile::create(path, access)?;
    f.write_all(bytes)?;
    f.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn the_target_appears_whole_and_nothing_else_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("清单.csv");
        std::fs::write(&p, "old").unwrap();
        write_atomic(&p, "新内容".as_bytes()).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "新内容");
        assert_eq!(names(dir.path()), vec!["清单.csv".to_string()]);
    }

    #[test]
    fn an_unfinished_file_leaves_the_target_alone() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("backup.jsonl");
        std::fs::write(&p, "previous").unwrap();
        {
            let mut f = AtomicFile::create(&p, Access::Private).unwrap();
            f.write_all(b"half").unwrap();
            // Dropped without commit: an interrupted write.
        }
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "previous");
        assert_eq!(names(dir.path()), vec!["backup.jsonl".to_string()]);
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_0600_and_shared_ones_follow_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let private = dir.path().join("p");
        write_with(&private, Access::Private, b"x").unwrap();
        assert_eq!(std::fs::metadata(&private).unwrap().permissions().mode() & 0o777, 0o600);
        let shared = dir.path().join("s");
        write_atomic(&shared, b"x").unwrap();
        assert_eq!(std::fs::metadata(&shared).unwrap().permissions().mode() & 0o777, crate::privacy::shared_file_mode());
    }
}
