//! A real terminal for the end-to-end tests: the binary runs in a tmux server of the test's own
//! (its own socket), keys are sent with send-keys (Chinese as the characters an input method
//! would commit), the screen is read with capture-pane. tmux and procps are installed when
//! missing (see `ensure`).

use super::ensure;
use crate::common::Folder;
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    pub socket: String,
}

impl Tmux {
    pub fn run(&self, args: &[&str]) -> String {
        ensure(&[("tmux", "tmux"), ("pkill", "procps"), ("pgrep", "procps")]);
        let out = Command::new("tmux")
            .arg("-u")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux must be installed (.ci/run installs it)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn start(&self, f: &Folder) {
        self.start_as(f, Some("测试员"));
    }

    /// Starts the program; with no inspector named, it asks (first run).
    pub fn start_as(&self, f: &Folder, inspector: Option<&str>) {
        let who = inspector.map_or(String::new(), |i| format!("XUNCHA_INSPECTOR={i}"));
        let cmd = format!(
            "env -u XUNCHA_INSPECTOR LANG=C.UTF-8 XUNCHA_DATA_DIR='{}' XUNCHA_CONFIG_DIR='{}' {who} '{}'",
            f.data().display(),
            f.config().display(),
            env!("CARGO_BIN_EXE_xuncha")
        );
        self.run(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", &cmd]);
    }

    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "e2e"])
    }

    /// Waits until the screen shows `text`; panics with the screen after 15 s.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(start.elapsed() < Duration::from_secs(15), "waited for {text:?}; the screen shows:\n{s}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Types text literally (Chinese arrives as the characters an input method would commit).
    pub fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "e2e", "-l", text]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

/// Waits until no process of this data folder runs (a killed process takes a moment to be
/// reaped; Ctrl-C a moment to restore the terminal and exit).
pub fn wait_until_gone(f: &Folder) {
    let start = Instant::now();
    while Command::new("pgrep").args(["-f", &f.data().display().to_string()]).output().unwrap().status.success() {
        assert!(start.elapsed() < Duration::from_secs(15), "xuncha did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
}
