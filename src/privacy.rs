//! Private by default. The records judge real people, so everything xuncha creates on its own
//! (the data folder, sled's files and folders, created now or later: snapshots, blobs; backups;
//! the config file) is for the user alone: the process umask is set to 0077 at start. Exports
//! are documents the user hands on; they get the user's own umask back (see `atomic_file`).

#[cfg(unix)]
use std::sync::OnceLock;

/// The umask the user started xuncha with, before `private_by_default` replaced it.
#[cfg(unix)]
static USER_UMASK: OnceLock<u32> = OnceLock::new();

/// Sets the process umask to 0077, remembering the user's. Call once, first thing: files and
/// folders created from then on are 0600 and 0700. Does nothing off Unix.
// `mode_t` is u32 on Linux but u16 on macOS: the conversion is not useless everywhere.
#[allow(clippy::useless_conversion)]
pub fn private_by_default() {
    #[cfg(unix)]
    {
        let old = rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
        let _ = USER_UMASK.set(u32::from(old.as_raw_mode()));
    }
}

/// The user's umask: the one remembered at start, or (when `private_by_default` was not called,
/// as in a library user or a test) the process's current one.
#[cfg(unix)]
#[allow(clippy::useless_conversion)]
pub fn user_umask() -> u32 {
    // Read once and kept: reading the umask means setting it, so two threads reading it at
    // once could each see the other's momentary 0077 (a test saw an export made 0600). The
    // OnceLock lets one thread read it while the others wait. Setting 0077 for that instant can
    // only make a file created meanwhile by another thread more private, never less.
    *USER_UMASK.get_or_init(|| {
        let current = rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
        rustix::process::umask(current);
        u32::from(current.as_raw_mode())
    })
}

/// The mode of a file the user hands on (an export): what any program of the user would create.
#[cfg(unix)]
pub fn shared_file_mode() -> u32 {
    0o666 & !user_umask()
}
