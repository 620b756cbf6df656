//! Operating-system errors as a sentence in the user's language, with the system's own text after
//! it: the Chinese screen says 文件不存在 first, and the detail ("No such file or directory (os
//! error 2)") stays for whoever has to dig further.

use crate::i18n::K;
use std::io::{self, ErrorKind};

/// "文件不存在（No such file or directory (os error 2)）".
pub fn describe(e: &io::Error) -> String {
    K::OsDetail.fill(&[&sentence(e.kind()).text(), &e])
}

/// Why a file could not be written: a full disk said as such ("nothing half-written is left"),
/// anything else as `describe` says it, after the file's name.
pub fn write_failed(path: &std::path::Path, e: &io::Error) -> String {
    if e.kind() == ErrorKind::StorageFull || e.raw_os_error() == Some(28) {
        K::FileDiskFull.fill(&[&path.display()])
    } else {
        format!("{}：{}", path.display(), describe(e))
    }
}

fn sentence(kind: ErrorKind) -> K {
    match kind {
        ErrorKind::NotFound => K::OsNotFound,
        ErrorKind::PermissionDenied => K::OsPermissionDenied,
        ErrorKind::IsADirectory => K::OsIsADirectory,
        ErrorKind::NotADirectory => K::OsNotADirectory,
        ErrorKind::InvalidFilename => K::OsInvalidFilename,
        ErrorKind::ResourceBusy | ErrorKind::ExecutableFileBusy => K::OsBusy,
        ErrorKind::TimedOut | ErrorKind::StaleNetworkFileHandle => K::OsTimedOut,
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => K::OsStorageFull,
        ErrorKind::ReadOnlyFilesystem => K::OsReadOnly,
        ErrorKind::FileTooLarge => K::OsFileTooLarge,
        ErrorKind::OutOfMemory => K::OsOutOfMemory,
        ErrorKind::UnexpectedEof => K::OsUnexpectedEof,
        ErrorKind::InvalidData => K::OsInvalidData,
        _ => K::OsOther,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_comes_first_and_the_system_detail_after_it() {
        let e = std::fs::read("/no/such/dir/xuncha-roster.csv").unwrap_err();
        let text = describe(&e);
        assert!(text.starts_with(K::OsNotFound.text()), "{text}");
        assert!(text.contains(&e.to_string()), "{text}");
        let dir = std::env::temp_dir();
        let e = std::fs::read(&dir).unwrap_err();
        assert!(describe(&e).starts_with(K::OsIsADirectory.text()), "{}", describe(&e));
    }
}
