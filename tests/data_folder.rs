//! The data folder through the binary: in use by another process, not writable, backup and
//! restore, the audit chain, demo data and the status screen.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Folder, dump};
use xuncha::store::Store;

#[test]
fn a_second_process_gets_a_one_line_message_and_exit_2() {
    let f = Folder::new();
    let _held = Store::open(&f.data()).unwrap();
    let r = f.run(&["org", "list"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("已被另一个 xuncha 打开"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"));
    let en = f.run(&["--lang", "en", "status"]);
    assert!(en.stderr.contains("is open in another xuncha"), "{}", en.stderr);
}

#[test]
fn a_data_folder_that_cannot_be_created_is_named() {
    let f = Folder::new();
    let file = f.path("a-file");
    std::fs::write(&file, "x").unwrap();
    let r = f.command().args(["--data-dir", file.join("data").to_str().unwrap(), "status"]).output().unwrap();
    let r: common::Run = r.into();
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("不可写") && r.stderr.contains("a-file"), "{}", r.stderr);
}

#[test]
fn backup_restore_round_trip_through_the_cli() {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "300", "--seed", "9"]);
    let backup = f.path("backup.jsonl");
    let out = f.run_ok(&["backup", backup.to_str().unwrap()]);
    assert!(out.contains("已备份"), "{out}");
    let g = Folder::new();
    let out = g.run_ok(&["restore", backup.to_str().unwrap()]);
    assert!(out.contains("已从"), "{out}");
    assert_eq!(dump(&f), dump(&g), "a restored folder holds identical data");
    assert_eq!(f.run_ok(&["org", "list", "--format", "csv"]), g.run_ok(&["org", "list", "--format", "csv"]));
    let r = g.run(&["restore", backup.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("不是空的"), "{}", r.stderr);
}

#[test]
fn a_truncated_backup_is_refused_and_the_folder_stays_empty() {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "60"]);
    let backup = f.path("backup.jsonl");
    f.run_ok(&["backup", backup.to_str().unwrap()]);
    // Cut at half its bytes, wherever that falls (inside a character too, as a pulled plug may).
    let bytes = std::fs::read(&backup).unwrap();
    let cut = f.path("cut.jsonl");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let g = Folder::new();
    let r = g.run(&["restore", cut.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cut.jsonl") && r.stderr.contains("行"), "{}", r.stderr);
    assert!(g.run_ok(&["status"]).contains("组织: 0"));
}

#[test]
fn demo_fills_an_empty_folder_reproducibly_and_only_once() {
    let f = Folder::new();
    let out = f.run_ok(&["demo", "--orgs", "500", "--seed", "42"]);
    assert!(out.contains("500"), "{out}");
    let g = Folder::new();
    g.run_ok(&["demo", "--orgs", "500", "--seed", "42"]);
    assert_eq!(f.run_ok(&["org", "list", "--format", "csv"]), g.run_ok(&["org", "list", "--format", "csv"]));
    let r = f.run(&["demo"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("已有组织"), "{}", r.stderr);
    for n in ["49", "200001"] {
        let r = Folder::new().run(&["demo", "--orgs", n]);
        assert_eq!(r.code, 2, "{n}");
        assert!(r.stderr.contains("50 到 200000"), "{}", r.stderr);
    }
    let status = f.run_ok(&["status"]);
    assert!(status.contains("组织: 500") && status.contains("dangzhibu v2") && status.contains("检查人: 测试员"), "{status}");
}

#[test]
fn audit_verify_reports_the_chain() {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "50"]);
    let out = f.run_ok(&["audit", "verify"]);
    assert!(out.contains("审计链完整：1 条记录"), "{out}");
}

#[test]
fn usage_errors_exit_2_without_a_panic() {
    let f = Folder::new();
    for args in [vec!["org", "list", "--format", "xml"], vec!["no-such-command"], vec!["template", "check"]] {
        let r = f.run(&args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
    let r = f.run(&["template", "show", "nope"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("dangzhibu"), "the loaded ids are listed: {}", r.stderr);
}

#[test]
fn the_screens_without_a_terminal_say_so() {
    let f = Folder::new();
    let r = f.run(&[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("需要在终端中运行") && !r.stderr.contains("panicked"), "{}", r.stderr);
}
