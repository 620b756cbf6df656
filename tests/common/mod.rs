//! Helpers shared by the integration tests: run the real binary on a temporary data folder.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

pub mod evidence;
pub mod team;

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
    now: std::cell::RefCell<String>,
}

impl Folder {
    pub fn new() -> Folder {
        Folder { tmp: tempfile::tempdir().unwrap(), now: std::cell::RefCell::new(NOW.to_string()) }
    }
    /// Moves the clock of the commands that follow (local time, "2026-11-22 10:05").
    pub fn set_now(&self, now: &str) {
        *self.now.borrow_mut() = now.to_string();
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
    /// The binary on this folder, at the fixed moment `NOW`, so dates and overdue marks are the
    /// same on every run.
    pub fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_xuncha"));
        c.env("XUNCHA_DATA_DIR", self.data())
            .env("XUNCHA_CONFIG_DIR", self.config())
            .env("XUNCHA_INSPECTOR", "测试员")
            .env("XUNCHA_NOW", self.now.borrow().as_str())
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

/// The moment the CLI tests run at (`--now`, through XUNCHA_NOW).
pub const NOW: &str = "2026-11-22 10:00";
/// A deadline comfortably inside the two years a deadline may reach from `NOW`.
pub const DEADLINE: &str = "2027-12-31";

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

/// The blank sheet of one visit, as rows of cells (the header first).
pub fn blank_sheet(f: &Folder, round: &str, org: &str) -> Vec<Vec<String>> {
    let path = f.path("sheet.csv");
    f.run_ok(&["visit", "sheet", "--round", round, "--org", org, "-o", path.to_str().unwrap()]);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM, so Excel reads the Chinese");
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
    rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

/// The column of `name` in a sheet's header.
pub fn col(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
}

/// The row whose 检查项编号 is `key` (an item id, 到达时间, 其他 …).
pub fn row_of<'a>(rows: &'a mut [Vec<String>], key: &str) -> &'a mut Vec<String> {
    rows.iter_mut().skip(1).find(|r| r[1] == key).unwrap_or_else(|| panic!("no row {key}"))
}

/// The checklist items of a sheet: the rows whose 分值 is filled.
pub fn item_rows(rows: &mut [Vec<String>]) -> impl Iterator<Item = &mut Vec<String>> {
    let points = col(rows, "分值");
    rows.iter_mut().skip(1).filter(move |r| !r[points].is_empty())
}

/// Fills the arrival rows of a sheet: arrived at `time`, the door open, every check held.
pub fn fill_arrival(rows: &mut [Vec<String>], time: &str) {
    let verdict = col(rows, "结论");
    row_of(rows, "到达时间")[verdict] = time.into();
    row_of(rows, "到达情况")[verdict] = "开门".into();
    for check in ["不发通知", "不打招呼", "不听汇报", "不用陪同接待", "直奔基层", "直插现场"] {
        row_of(rows, check)[verdict] = "是".into();
    }
}

/// An arrival time inside the round's quarter and not after `NOW`: 09:30 on its first day.
pub fn arrival_in(f: &Folder, round: &str) -> String {
    let rounds = json(&f.run_ok(&["round", "list", "--format", "json"]));
    let q = rounds.as_array().unwrap().iter().find(|r| r["id"] == round).unwrap()["quarter"].as_str().unwrap().to_string();
    let (year, n) = q.split_once('Q').unwrap();
    let month = (n.parse::<u32>().unwrap() - 1) * 3 + 1;
    format!("{year}-{month:02}-01 09:30")
}

/// Writes rows as a CSV file; returns its path.
pub fn write_rows(f: &Folder, name: &str, rows: &[Vec<String>]) -> String {
    let path = f.path(name);
    let mut w = csv::Writer::from_path(&path).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    path.display().to_string()
}

/// Fills an organisation's paper sheet through the CLI: arrived on the quarter's first day, every
/// item 符合 but those in `fail`, each with a finding (deadline `DEADLINE`, `responsible` as
/// 责任人), then imports it.
pub fn fill_sheet(f: &Folder, round: &str, org: &str, fail: &[(&str, &str)], responsible: &str, submit: bool) {
    let mut rows = blank_sheet(f, round, org);
    fill_arrival(&mut rows, &arrival_in(f, round));
    let (verdict, desc, resp, deadline) = (col(&rows, "结论"), col(&rows, "问题描述"), col(&rows, "责任人"), col(&rows, "整改时限"));
    for r in item_rows(&mut rows) {
        r[verdict] = "符合".into();
        if let Some((_, d)) = fail.iter().find(|(item, _)| *item == r[1]) {
            r[verdict] = "不符合".into();
            r[desc] = d.to_string();
            r[resp] = responsible.to_string();
            r[deadline] = DEADLINE.into();
        }
    }
    let path = f.path("sheet.csv");
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

/// Approves every submitted visit, as the supervisor 李督导.
pub fn approve_all(f: &Folder) {
    for q in json(&f.run_ok(&["review", "list", "--format", "json"])).as_array().unwrap() {
        let r: Run = f
            .command()
            .env("XUNCHA_INSPECTOR", "李督导")
            .args(["review", "approve", q["visit"].as_str().unwrap()])
            .output()
            .unwrap()
            .into();
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
}
