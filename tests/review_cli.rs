//! The review cycle through the binary: submit, return with a comment, resubmit, approve,
//! problem numbers (stable, unique, per quarter, never reused), repeats across rounds,
//! withdrawal, and the audit log of it all.

mod common;

use common::{Folder, dump, json};
use serde_json::Value;

fn new_round(f: &Folder, quarter: &str) -> String {
    common::new_round(f, quarter, &format!("{quarter} 督查"))
}

fn fill(f: &Folder, round: &str, org: &str, fail: &[(&str, &str)], submit: bool) {
    common::fill_sheet(f, round, org, fail, "", submit);
}

fn orgs_of(f: &Folder, round: &str) -> Vec<String> {
    let shown = json(&f.run_ok(&["round", "show", round, "--format", "json"]));
    shown["organisations"].as_array().unwrap().iter().map(|o| o["code"].as_str().unwrap().to_string()).collect()
}

fn findings(f: &Folder, round: &str) -> Vec<Value> {
    json(&f.run_ok(&["finding", "list", "--round", round, "--format", "json"])).as_array().unwrap().clone()
}

#[test]
fn the_whole_cycle_with_numbers_repeats_and_history() {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "300", "--seed", "3"]);
    let r1 = new_round(&f, "2026Q3");
    let orgs = orgs_of(&f, &r1);
    let (a, b) = (&orgs[0], &orgs[1]);
    fill(&f, &r1, a, &[("C1.3", "换届超期8个月"), ("C3.1", "本季度未开党员大会")], true);
    fill(&f, &r1, b, &[("C6.1", "党费未足额交纳")], true);

    // Approving a visit that is not submitted is refused and changes nothing.
    let c = &orgs[2];
    let before = dump(&f);
    let r = f.command().env("XUNCHA_INSPECTOR", "李督导").args(["review", "approve", &format!("{r1}:{c}")]).output().unwrap();
    let r: common::Run = r.into();
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("只有已提交的检查可以审核"), "{}", r.stderr);
    assert_eq!(dump(&f), before);

    // The queue: oldest submission first.
    let queue = json(&f.run_ok(&["review", "list", "--format", "json"]));
    let visits: Vec<&str> = queue.as_array().unwrap().iter().map(|q| q["org"].as_str().unwrap()).collect();
    assert_eq!(visits, vec![a.as_str(), b.as_str()]);
    let visit_a = queue[0]["visit"].as_str().unwrap().to_string();
    assert_eq!(queue[0]["inspector"], "测试员");

    // Return with an empty comment: refused. With a comment: 已退回.
    let sup = |args: &[&str]| -> common::Run { f.command().env("XUNCHA_INSPECTOR", "李督导").args(args).output().unwrap().into() };
    let r = sup(&["review", "return", &visit_a, "--comment", " "]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("退回必须填写意见"), "{}", r.stderr);
    assert_eq!(sup(&["review", "return", &visit_a, "--comment", "党员大会记录需附签到表"]).code, 0);
    let shown = json(&f.run_ok(&["round", "show", &r1, "--format", "json"]));
    assert_eq!(shown["organisations"][0]["status"], "已退回");

    // The inspector fixes the sheet and resubmits a little later; the same findings are not
    // duplicated.
    f.set_now("2026-11-22 10:05");
    fill(&f, &r1, a, &[("C1.3", "换届超期8个月"), ("C3.1", "本季度未开党员大会")], true);
    assert_eq!(findings(&f, &r1).len(), 3);

    // Approve both: numbers per quarter, in approval order.
    let queue = json(&f.run_ok(&["review", "list", "--format", "json"]));
    let order: Vec<&str> = queue.as_array().unwrap().iter().map(|q| q["org"].as_str().unwrap()).collect();
    assert_eq!(order, vec![b.as_str(), a.as_str()], "the resubmitted visit queues behind the older one");
    let visit_b = queue[0]["visit"].as_str().unwrap().to_string();
    let out = sup(&["review", "approve", &visit_b]);
    assert!(out.stdout.contains("2026Q3-0001"), "{}", out.stdout);
    let out = sup(&["review", "approve", &visit_a]);
    assert!(out.stdout.contains("2026Q3-0002, 2026Q3-0003"), "{}", out.stdout);
    assert_eq!(sup(&["review", "approve", &visit_a]).code, 2, "an approved visit is not approved twice");

    // An inspector cannot edit an approved visit's sheet.
    let r: common::Run =
        f.command().args(["visit", "import", f.path("sheet.csv").to_str().unwrap(), "--round", &r1]).output().unwrap().into();
    assert_eq!(r.code, 2);

    // Withdraw one: it keeps its number, marked 已撤销; numbers are never reused.
    assert_eq!(sup(&["finding", "withdraw", "2026Q3-0002", "--reason", "核实后不属实"]).code, 0);
    let all = findings(&f, &r1);
    let withdrawn = all.iter().find(|x| x["number"] == "2026Q3-0002").unwrap();
    assert_eq!(withdrawn["status"], "已撤销");

    // Next quarter: the same branch fails the same item again → 重复问题 with the earlier number.
    let r2 = new_round(&f, "2026Q4");
    fill(&f, &r2, a, &[("C1.3", "换届仍未完成"), ("C9.3", "党员作用发挥不明显")], true);
    let visit_a2 = json(&f.run_ok(&["review", "list", "--format", "json"]))[0]["visit"].as_str().unwrap().to_string();
    let out = sup(&["review", "approve", &visit_a2]);
    assert!(out.stdout.contains("2026Q4-0001") && out.stdout.contains("2026Q4-0002"), "a new quarter counts from 1: {}", out.stdout);
    let q4 = findings(&f, &r2);
    let repeat = q4.iter().find(|x| x["item"] == "C1.3").unwrap();
    let earlier = all.iter().find(|x| x["item"] == "C1.3").unwrap()["number"].clone();
    assert_eq!(repeat["repeat_of"], earlier, "{repeat}");
    assert!(q4.iter().find(|x| x["item"] == "C9.3").unwrap().get("repeat_of").is_none());
    let table = f.run_ok(&["finding", "list", "--round", &r2]);
    assert!(table.contains("重复问题"), "{table}");

    // Every number is unique.
    let mut numbers: Vec<String> = json(&f.run_ok(&["finding", "list", "--format", "json"]))
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["number"].as_str().map(String::from))
        .collect();
    let n = numbers.len();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), n);
    assert_eq!(n, 5);

    // The history of it all: who, which laptop, old and new values; and the chain holds.
    let log = json(&f.run_ok(&["audit", "log", "--org", a, "--format", "json"]));
    let actions: Vec<(&str, &str)> =
        log.as_array().unwrap().iter().map(|l| (l["action"].as_str().unwrap(), l["actor"].as_str().unwrap())).collect();
    for expected in [
        ("visit.import", "测试员"),
        ("visit.submit", "测试员"),
        ("review.return", "李督导"),
        ("review.approve", "李督导"),
        ("finding.withdraw", "李督导"),
    ] {
        assert!(actions.contains(&expected), "{expected:?} missing from {actions:?}");
    }
    let approve = log.as_array().unwrap().iter().find(|l| l["action"] == "review.approve").unwrap();
    let what = approve["what"].as_str().unwrap();
    assert!(what.contains("问题编号: - → 2026Q3-0002") && !what.contains(r1.as_str()), "names and words, not keys: {approve}");
    assert_eq!(approve["action_label"], "审核通过");
    assert_eq!(approve["laptop"].as_str().unwrap().len(), 8);
    let text = f.run_ok(&["audit", "log", "--round", &r2]);
    assert!(text.contains("审核通过") && !text.contains("党员大会记录需附签到表"), "only the round's entries: {text}");
    assert!(f.run_ok(&["audit", "verify"]).contains("审计链完整"));
}

#[test]
fn a_bad_visit_reference_is_named() {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "100"]);
    for bad in ["nocolon", "zzzzzzzz:01"] {
        let r = f.run(&["review", "approve", bad]);
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains(bad) && r.stderr.contains("ROUND:ORG") || r.stderr.contains("批次编号:组织编码"), "{}", r.stderr);
    }
}
