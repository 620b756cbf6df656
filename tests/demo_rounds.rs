//! `xuncha demo --visited SHARE` through the binary: used rounds on a small tree, read back by
//! the commands people use (round list, status, audit verify, the rectification list, the review
//! queue, the bulletin), and the same seed giving the same data.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Folder, json};

fn used(seed: &str) -> Folder {
    let f = Folder::new();
    let out = f.run_ok(&["demo", "--orgs", "400", "--seed", seed, "--visited", "0.8"]);
    assert!(out.contains("400 个组织") && out.contains("2 个检查批次"), "{out}");
    f
}

fn rectification_csv(f: &Folder) -> String {
    let path = f.path("list.csv");
    f.run_ok(&["export", "rectification", "--format", "csv", "-o", path.to_str().unwrap()]);
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn used_rounds_are_read_as_real_by_every_command() {
    let f = used("7");

    // Two rounds, last quarter's and this one's (the clock is 2026-11-22), each with most
    // organisations answered.
    let rounds = f.run_ok(&["round", "list"]);
    assert!(rounds.contains("2026Q3") && rounds.contains("2026Q4"), "{rounds}");
    assert!(rounds.contains("2026年第三季度基层党建\"四不两直\"督查"), "{rounds}");

    let status = f.run_ok(&["status"]);
    assert!(status.contains("组织: 400") && status.contains("督查批次: 2"), "{status}");
    let findings: usize = status.lines().find_map(|l| l.strip_prefix("问题: ")).unwrap().trim().parse().unwrap();
    assert!(findings > 50, "{status}");

    // The audit chain and every record agree: the data was written through audited commits.
    let verify = f.run_ok(&["audit", "verify"]);
    assert!(verify.contains("审计链完整") && verify.contains("数据记录与审计日志一致"), "{verify}");

    // The rectification list: numbered per quarter, every status of the machine that follow-up
    // reaches, overdue items, repeats naming last quarter's problem, Chinese descriptions.
    let csv = rectification_csv(&f);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(rows.len() > 50, "{csv}");
    assert!(csv.contains(",2026Q3-0001,") && csv.contains(",2026Q4-0001,"), "numbers start at 0001 in each quarter");
    for status in ["待整改", "整改中", "已整改待验收", "已销号", "（逾期）"] {
        assert!(csv.contains(status), "no {status} in the list");
    }
    assert!(csv.contains("是（2026Q3-"), "a repeat problem names last quarter's number");
    assert!(csv.contains("会议") || csv.contains("党费") || csv.contains("支委"), "descriptions in Chinese");

    // The review queue holds the visits left submitted, and one of them passes the real
    // approval's checks: its record is complete.
    let queue = json(&f.run_ok(&["review", "list", "--format", "json"]));
    let queue = queue.as_array().unwrap();
    assert!(!queue.is_empty(), "some visits are left submitted");
    let visit = queue[0]["visit"].as_str().unwrap().to_string();
    let approved = f.command().env("XUNCHA_INSPECTOR", "李督导").args(["review", "approve", &visit]).output().unwrap();
    assert!(approved.status.success(), "{}", String::from_utf8_lossy(&approved.stderr));
    assert!(f.run_ok(&["audit", "verify"]).contains("数据记录与审计日志一致"));

    // The bulletin reads both quarters: scores, grades, last quarter's rectification rate.
    let bulletin = f.path("bulletin.md");
    f.run_ok(&["export", "bulletin", "--quarter", "2026Q4", "--format", "md", "-o", bulletin.to_str().unwrap()]);
    let text = std::fs::read_to_string(bulletin).unwrap();
    assert!(text.contains("平均得分") && text.contains("整改完成率"), "{text}");
}

#[test]
fn the_same_seed_gives_the_same_data_and_another_seed_other_data() {
    let a = rectification_csv(&used("11"));
    let b = rectification_csv(&used("11"));
    assert_eq!(a, b);
    let c = rectification_csv(&used("12"));
    assert_ne!(a, c);
}

#[test]
fn the_share_is_checked_and_zero_keeps_the_tree_only() {
    let f = Folder::new();
    let r = f.run(&["demo", "--orgs", "100", "--visited", "1.5"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--visited"), "{}", r.stderr);
    assert!(f.run_ok(&["status"]).contains("督查批次: 0"), "a refused demo writes nothing");
    let out = f.run_ok(&["demo", "--orgs", "100"]);
    assert!(!out.contains("检查批次"), "{out}");
    assert!(f.run_ok(&["status"]).contains("督查批次: 0"));
}
