//! Helpers shared by the integration tests: run the real binary on a temporary data folder.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// A data folder and a config folder of the test's own, removed when it ends.
pub struct Folder {
    pub tmp: tempfile::TempDir,
}

impl Folder {
    pub fn new() -> Folder {
        Folder { tmp: tempfile::tempdir().unwrap() }
    }
    pub fn data(&self) -> PathBuf {
        self.tmp.path().join("data")
    }
    pub fn config(&self) -> PathBuf {
        self.tmp.path().join("config")
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }
    pub fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_xuncha"));
        c.env("XUNCHA_DATA_DIR", self.data())
            .env("XUNCHA_CONFIG_DIR", self.config())
            .env("XUNCHA_INSPECTOR", "测试员")
            .env_remove("XUNCHA_LANG");
        c
    }
    /// Runs `xuncha ARGS` on this folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.command().args(args).output().unwrap().into()
    }
    pub fn run_ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert_eq!(r.code, 0, "xuncha {args:?} failed:\n{}\n{}", r.stdout, r.stderr);
        r.stdout
    }
}

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// The store's records as a backup (all lines but the timestamped header): equal text means
/// equal data.
pub fn dump(f: &Folder) -> String {
    let out = f.path("dump.jsonl");
    f.run_ok(&["backup", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(out).unwrap();
    text.lines().skip(1).collect::<Vec<_>>().join("\n")
}
