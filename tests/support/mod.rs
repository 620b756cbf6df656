//! What the tests need from the machine: the README's one test command (`cargo test`) must pass
//! on a fresh machine, so a tool that is missing is installed from the OS packages (apt-get, as
//! root or through `sudo -n`), once per test process.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// Each test file takes the helpers it needs: the tmux tests never start a PostgreSQL cluster,
// the hub's tests never open a terminal.
#![allow(dead_code)]

pub mod office;
pub mod pg;
pub mod tmux;

use std::process::{Command, Stdio};
use std::sync::Mutex;

fn found(tool: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {tool}")]).stdout(Stdio::null()).status().is_ok_and(|s| s.success())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Makes sure each `(tool, package)` is on the PATH, installing the packages that are missing.
/// Panics, saying what to install, when that is not possible here.
pub fn ensure(tools: &[(&str, &str)]) {
    static LOCK: Mutex<()> = Mutex::new(());
    let _one_at_a_time = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let missing: Vec<&str> = tools.iter().filter(|(t, _)| !found(t)).map(|(_, p)| *p).collect();
    if missing.is_empty() {
        return;
    }
    let ok = install_packages(&missing);
    let still: Vec<&str> = tools.iter().filter(|(t, _)| !found(t)).map(|(t, _)| *t).collect();
    assert!(
        ok && still.is_empty(),
        "the tests need {} (install the packages {}: apt-get install {})",
        still.join(", "),
        missing.join(" "),
        missing.join(" ")
    );
}

/// Installs Debian packages with apt-get (as root, or through `sudo -n`), updating the package
/// lists once if the first try fails. Says whether apt-get succeeded; one install at a time.
pub fn install_packages(packages: &[&str]) -> bool {
    install_packages_with(packages, &[])
}

/// [`install_packages`] with more options for apt-get install (`--no-install-recommends`).
pub fn install_packages_with(packages: &[&str], options: &[&str]) -> bool {
    static LOCK: Mutex<()> = Mutex::new(());
    let _one_at_a_time = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo", "-n"] };
    let apt = |args: &[&str]| {
        let mut all: Vec<&str> = sudo.to_vec();
        all.push("apt-get");
        all.extend_from_slice(args);
        Command::new(all[0]).args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive").status().is_ok_and(|s| s.success())
    };
    let mut install = vec!["install", "-y", "-q"];
    install.extend_from_slice(options);
    install.extend_from_slice(packages);
    apt(&install) || (apt(&["update", "-q"]) && apt(&install))
}
