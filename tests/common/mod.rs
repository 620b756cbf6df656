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

pub fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

/// A round over the demo's first town in `quarter`; returns the newest round's id.
pub fn new_round(f: &Folder, quarter: &str, title: &str) -> String {
    f.run_ok(&["round", "new", "--under", "0101001", "--quarter", quarter, "--title", title]);
    json(&f.run_ok(&["round", "list", "--format", "json"]))[0]["id"].as_str().unwrap().to_string()
}

/// Fills an organisation's paper sheet through the CLI: everything 符合 but the items in `fail`,
/// each with a finding (deadline 2099-12-31, `responsible` as 责任人), then imports it.
pub fn fill_sheet(f: &Folder, round: &str, org: &str, fail: &[(&str, &str)], responsible: &str, submit: bool) {
    let path = f.path("sheet.csv");
    f.run_ok(&["visit", "sheet", "--round", round, "--org", org, "-o", path.to_str().unwrap()]);
    let bytes = std::fs::read(&path).unwrap();
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
    let mut rows: Vec<Vec<String>> = rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    for r in rows.iter_mut().skip(1) {
        r[4] = "符合".into();
        if let Some((_, desc)) = fail.iter().find(|(item, _)| *item == r[1]) {
            r[4] = "不符合".into();
            r[6] = desc.to_string();
            r[9] = responsible.to_string();
            r[10] = "2099-12-31".into();
        }
    }
    let mut w = csv::Writer::from_path(&path).unwrap();
    for r in &rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    let mut args = vec!["visit", "import", path.to_str().unwrap(), "--round", round];
    if submit {
        args.push("--submit");
    }
    f.run_ok(&args);
}
