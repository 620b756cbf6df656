//! The store's integrity through the binary: the audit chain covers the records (a record edited,
//! an entry removed or swapped behind xuncha's back is named), the head printed with every export
//! catches a chain rewritten from the middle on, a backup edited by hand is refused with its line
//! and the folder stays empty and usable, and a full disk is reported as a full disk.
//!
//! The tampering opens the database with sled after the binary has exited, as someone with the
//! files could.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Folder, Run, dump, json};
use sha2::{Digest, Sha256};
use std::path::Path;
use xuncha::store::keys::Key;

/// Demo data, a round over the first town, one visit filled with a finding.
fn with_a_finding(f: &Folder) -> (String, String) {
    f.run_ok(&["demo", "--orgs", "300", "--seed", "5"]);
    let round = common::new_round(f, "2026Q4", "完整性测试");
    let shown = json(&f.run_ok(&["round", "show", &round, "--format", "json"]));
    let org = shown["organisations"][0]["code"].as_str().unwrap().to_string();
    common::fill_sheet(f, &round, &org, &[("C1.2", "支委会委员仅2人")], "王芳", false);
    let findings = json(&f.run_ok(&["finding", "list", "--format", "json"]));
    (round, findings[0]["id"].as_str().unwrap().to_string())
}

fn db(f: &Folder) -> sled::Db {
    sled::open(f.data().join("db")).unwrap()
}

fn seq_key(seq: u64) -> Vec<u8> {
    Key::new().part(seq).bytes()
}

/// The "审计链头：#N HASH" line an export printed: (N, HASH).
fn head_of(out: &str) -> (u64, String) {
    let line = out.lines().find(|l| l.starts_with("审计链头：#")).unwrap_or_else(|| panic!("no head line in {out}"));
    let (seq, hash) = line.trim_start_matches("审计链头：#").split_once(' ').unwrap();
    (seq.parse().unwrap(), hash.to_string())
}

fn refused(r: Run) -> String {
    assert_eq!(r.code, 2, "refused with exit 2: {}{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r.stderr
}

#[test]
fn every_export_prints_the_chain_head_and_verify_checks_records_and_heads() {
    let f = Folder::new();
    let (round, _) = with_a_finding(&f);
    let heads: Vec<(u64, String)> = [
        f.run_ok(&["backup", f.path("b.jsonl").to_str().unwrap()]),
        f.run_ok(&["visit", "sheet", "--round", &round, "--org", "0101001001D1", "-o", f.path("s.csv").to_str().unwrap()]),
        f.run_ok(&["export", "rectification", "--format", "csv", "-o", f.path("r.csv").to_str().unwrap()]),
        f.run_ok(&["export", "bulletin", "--quarter", "2026Q4", "--format", "md", "--allow-empty", "-o", f.path("b.md").to_str().unwrap()]),
    ]
    .iter()
    .map(|out| head_of(out))
    .collect();
    let entries = json(&f.run_ok(&["audit", "log", "--format", "json"])).as_array().unwrap().len() as u64;
    assert!(heads.iter().all(|h| *h == heads[0] && h.0 == entries && h.1.len() == 64), "{heads:?}");
    let (seq, hash) = &heads[0];
    let out = f.run_ok(&["audit", "verify", "--head", &format!("{seq}:{hash}"), "--head", &format!("#1:{}", first_hash(&f))]);
    assert!(out.contains(&format!("审计链完整：{entries} 条记录")), "{out}");
    assert!(out.contains("数据记录与审计日志一致：") && out.contains("与给定的链头相符"), "{out}");
    // A head that is not SEQ:HASH is refused before anything is opened.
    let why = refused(f.run(&["audit", "verify", "--head", "12"]));
    assert!(why.contains("--head") && why.contains("序号:哈希"), "{why}");
    let en = f.run(&["--lang", "en", "audit", "verify", "--head", "12:abc"]);
    assert!(en.stderr.contains("--head must be SEQ:HASH"), "{}", en.stderr);
}

fn first_hash(f: &Folder) -> String {
    let d = db(f);
    let v = d.open_tree("audit").unwrap().get(seq_key(1)).unwrap().unwrap();
    json(std::str::from_utf8(&v).unwrap())["hash"].as_str().unwrap().to_string()
}

#[test]
fn a_finding_edited_behind_xuncha_is_named() {
    let f = Folder::new();
    let (_, id) = with_a_finding(&f);
    assert!(f.run_ok(&["audit", "verify"]).contains("审计链完整"));
    {
        let d = db(&f);
        let findings = d.open_tree("findings").unwrap();
        let (k, v) = findings.iter().next().unwrap().unwrap();
        let edited = String::from_utf8(v.to_vec()).unwrap().replace("支委会委员仅2人", "支委会委员已补齐");
        findings.insert(k, edited.as_bytes()).unwrap();
        d.flush().unwrap();
    }
    let why = refused(f.run(&["audit", "verify"]));
    assert!(why.contains(&format!("数据记录 findings/{id} 与审计日志不符")) && why.contains("改动"), "{why}");
    let en = f.run(&["--lang", "en", "audit", "verify"]);
    assert!(en.stderr.contains(&format!("record findings/{id} does not match the audit log")), "{}", en.stderr);
}

/// A copy of `f`'s data in a new folder, through backup and restore.
fn copy_of(f: &Folder) -> Folder {
    let file = f.path("copy.jsonl");
    f.run_ok(&["backup", file.to_str().unwrap()]);
    let g = Folder::new();
    g.run_ok(&["restore", file.to_str().unwrap()]);
    g
}

#[test]
fn an_entry_deleted_or_two_swapped_behind_xuncha_are_named() {
    let f = Folder::new();
    with_a_finding(&f);
    let deleted = copy_of(&f);
    {
        let d = db(&deleted);
        d.open_tree("audit").unwrap().remove(seq_key(2)).unwrap();
        d.flush().unwrap();
    }
    let why = refused(deleted.run(&["audit", "verify"]));
    assert!(why.contains("审计链在第 2 条记录处断开：缺少序号 2"), "{why}");

    let swapped = copy_of(&f);
    {
        let d = db(&swapped);
        let audit = d.open_tree("audit").unwrap();
        let (two, three) = (audit.get(seq_key(2)).unwrap().unwrap(), audit.get(seq_key(3)).unwrap().unwrap());
        audit.insert(seq_key(2), three).unwrap();
        audit.insert(seq_key(3), two).unwrap();
        d.flush().unwrap();
    }
    let why = refused(swapped.run(&["audit", "verify"]));
    assert!(why.contains("审计链在第 2 条记录处断开"), "{why}");
}

fn sha256(b: &[u8]) -> String {
    Sha256::digest(b).iter().map(|x| format!("{x:02x}")).collect()
}

/// Edits the finding and rewrites the audit chain from the entry that last wrote it on, every
/// hash recomputed and the meta head moved: a forgery that keeps the chain and the records
/// consistent.
fn forge(f: &Folder) {
    let d = db(f);
    let (findings, audit, meta) = (d.open_tree("findings").unwrap(), d.open_tree("audit").unwrap(), d.open_tree("meta").unwrap());
    let (fk, fv) = findings.iter().next().unwrap().unwrap();
    let forged = String::from_utf8(fv.to_vec()).unwrap().replace("支委会委员仅2人", "支委会委员已补齐");
    findings.insert(&fk, forged.as_bytes()).unwrap();
    let key = json(std::str::from_utf8(&fv).unwrap())["d"]["id"].as_str().unwrap().to_string();
    let entries: Vec<(Vec<u8>, serde_json::Value)> =
        audit.iter().map(|kv| kv.unwrap()).map(|(k, v)| (k.to_vec(), json(std::str::from_utf8(&v).unwrap()))).collect();
    let from = entries.iter().rposition(|(_, e)| e["entry"]["changes"].as_array().unwrap().iter().any(|c| c["key"] == key)).unwrap();
    let mut prev = entries[from].1["entry"]["prev"].as_str().unwrap().to_string();
    let mut last = (0, String::new());
    for (k, stored) in &entries[from..] {
        let mut entry = stored["entry"].clone();
        for c in entry["changes"].as_array_mut().unwrap() {
            if c["key"] == key {
                c["hash"] = serde_json::json!(sha256(forged.as_bytes()));
                c["new"] = json(&forged);
            }
        }
        entry["prev"] = serde_json::json!(prev);
        let text = entry.to_string();
        let hash = sha256(text.as_bytes());
        audit.insert(k.as_slice(), format!("{{\"hash\":\"{hash}\",\"entry\":{text}}}").as_bytes()).unwrap();
        last = (entry["seq"].as_u64().unwrap(), hash.clone());
        prev = hash;
    }
    meta.insert("audit_head", serde_json::json!({"seq": last.0, "hash": last.1}).to_string().as_bytes()).unwrap();
    d.flush().unwrap();
}

#[test]
fn a_chain_rewritten_from_the_middle_on_passes_alone_and_fails_against_an_earlier_head() {
    let f = Folder::new();
    with_a_finding(&f);
    // Later work, after an export printed the head.
    let printed = head_of(&f.run_ok(&["export", "rectification", "--format", "md", "-o", f.path("r.md").to_str().unwrap()]));
    f.run_ok(&["finding", "list"]);
    forge(&f);
    let out = f.run_ok(&["audit", "verify"]);
    assert!(out.contains("审计链完整") && out.contains("数据记录与审计日志一致"), "the forgery is consistent: {out}");
    let list = f.run_ok(&["finding", "list"]);
    assert!(list.contains("支委会委员已补齐"), "{list}");
    let why = refused(f.run(&["audit", "verify", "--head", &format!("{}:{}", printed.0, printed.1)]));
    assert!(why.contains(&format!("第 {} 条的哈希与给定的链头不符", printed.0)) && why.contains("改写"), "{why}");
}

#[test]
fn a_backup_edited_by_hand_is_refused_with_its_line_and_the_folder_stays_empty_and_usable() {
    let f = Folder::new();
    with_a_finding(&f);
    let file = f.path("backup.jsonl");
    f.run_ok(&["backup", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text.lines().position(|l| l.contains("支委会委员仅2人") && l.starts_with("{\"t\":\"findings\"")).unwrap() + 1;
    let edited = f.path("edited.jsonl");
    // Only the record's line: the audit entries that hold its old and new value stay as they were.
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == line { l.replace("支委会委员仅2人", "支委会委员已补齐") } else { l.to_string() })
        .collect();
    std::fs::write(&edited, lines.join("\n") + "\n").unwrap();
    let g = Folder::new();
    let why = refused(g.run(&["restore", edited.to_str().unwrap()]));
    assert!(why.contains(&format!("备份文件 {} 第 {line} 行：与审计日志不符", edited.display())), "{why}");
    let en = g.run(&["--lang", "en", "restore", edited.to_str().unwrap()]);
    assert!(en.stderr.contains(&format!("line {line}: does not match the audit log")), "{}", en.stderr);
    assert!(g.run_ok(&["status"]).contains("组织: 0"), "nothing was written");
    g.run_ok(&["restore", file.to_str().unwrap()]);
    assert_eq!(dump(&f), dump(&g), "and the folder takes the good backup");
}

// --- a full disk

/// A small tmpfs mounted for one test, unmounted when dropped. None (with the reason printed)
/// where mounting is not permitted.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let out =
            std::process::Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(dir.path()).output();
        match out {
            Ok(o) if o.status.success() => Some(SmallDisk { dir }),
            Ok(o) => {
                println!("skipped: cannot mount a small tmpfs here ({})", String::from_utf8_lossy(&o.stderr).trim());
                None
            }
            Err(e) => {
                println!("skipped: cannot run mount ({e})");
                None
            }
        }
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
    fn resize(&self, size: &str) {
        let o = std::process::Command::new("mount").args(["-o", &format!("remount,size={size}")]).arg(self.path()).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    /// Fills the disk to the last byte; returns the filler to remove later.
    fn fill(&self) -> std::path::PathBuf {
        use std::io::Write;
        let filler = self.path().join("filler");
        let mut file = std::fs::File::create(&filler).unwrap();
        let chunk = vec![0u8; 4096];
        while file.write_all(&chunk).is_ok() {}
        while file.write_all(&chunk[..1]).is_ok() {}
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(self.path()).output();
    }
}

fn disk_full(r: &Run, dir: &Path) {
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("磁盘空间已满") && r.stderr.contains(&dir.display().to_string()), "{}", r.stderr);
    assert!(!r.stderr.contains("已损坏") && !r.stderr.contains("panicked"), "{}", r.stderr);
}

#[test]
fn a_full_disk_is_reported_as_a_full_disk_and_leaves_nothing_half_written() {
    let Some(disk) = SmallDisk::mount("3m") else { return };
    let f = Folder::new();
    let data = disk.path().join("data");
    let on_disk = |args: &[&str]| -> Run { f.command().arg("--data-dir").arg(&data).args(args).output().unwrap().into() };

    // A demo bigger than the disk: refused as a full disk; with space, the folder is empty again.
    let r = on_disk(&["demo", "--orgs", "20000"]);
    disk_full(&r, &data);
    disk.resize("64m");
    let status = on_disk(&["status"]);
    assert!(status.stdout.contains("组织: 0"), "the cut-off fill was wiped: {}{}", status.stdout, status.stderr);
    assert_eq!(on_disk(&["demo", "--orgs", "300"]).code, 0);
    let before: Run = on_disk(&["backup", f.path("before.jsonl").to_str().unwrap()]);
    assert_eq!(before.code, 0, "{}", before.stderr);

    // A commit on a full disk: refused as such, and the store is as it was once space is back.
    // sled writes into file space it took earlier, so a small commit can still land whole on a
    // full disk: then it must be there whole. Either way nothing is half-written.
    let filler = disk.fill();
    let r = on_disk(&["round", "new", "--under", "0101001", "--quarter", "2026Q4", "--title", "满盘"]);
    std::fs::remove_file(&filler).unwrap();
    let after: Run = on_disk(&["backup", f.path("after.jsonl").to_str().unwrap()]);
    assert_eq!(after.code, 0, "{}", after.stderr);
    let body = |name: &str| std::fs::read_to_string(f.path(name)).unwrap().lines().skip(1).map(String::from).collect::<Vec<_>>();
    if r.code == 0 {
        println!("the round landed in space sled had taken before the disk filled: checked whole");
        let rounds = on_disk(&["round", "list", "--format", "json"]).stdout;
        assert!(rounds.contains("满盘") && rounds.contains("\"organisations\": 23"), "{rounds}");
    } else {
        disk_full(&r, &data);
        assert_eq!(body("before.jsonl"), body("after.jsonl"), "nothing was half-written");
    }
    assert!(on_disk(&["audit", "verify"]).stdout.contains("审计链完整"));

    // An export onto a full disk: named as such, and no partial file is left.
    f.run_ok(&["demo", "--orgs", "60"]);
    let filler = disk.fill();
    let target = disk.path().join("backup.jsonl");
    let r: Run = f.run(&["backup", target.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("磁盘空间已满") && r.stderr.contains("backup.jsonl"), "{}", r.stderr);
    let left: Vec<_> = std::fs::read_dir(disk.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(!left.iter().any(|n| n.to_string_lossy().starts_with("backup")), "{left:?}");
    std::fs::remove_file(filler).unwrap();
}
