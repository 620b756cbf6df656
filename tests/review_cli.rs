//! The review cycle through the binary: submit, return with a comment, resubmit, approve,
//! problem numbers (stable, unique, per quarter, never reused), repeats across rounds,
//! withdrawal, and the audit log of it all.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

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

#[test]
fn a_round_is_approved_at_once_listing_each_visit_and_each_refusal() {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "300", "--seed", "3"]);
    let r1 = new_round(&f, "2026Q4");
    let orgs = orgs_of(&f, &r1);
    let names: Vec<String> = json(&f.run_ok(&["round", "show", &r1, "--format", "json"]))["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap().to_string())
        .collect();
    fill(&f, &r1, &orgs[0], &[("C1.3", "换届超期8个月"), ("C3.1", "本季度未开党员大会")], true);
    fill(&f, &r1, &orgs[1], &[], true);
    fill(&f, &r1, &orgs[2], &[("C6.1", "党费未足额交纳")], true);
    fill(&f, &r1, &orgs[3], &[("C2.1", "重大事项未经集体研究")], false);

    // The supervisor marks the third visit's finding returned (the screens' `n`): that visit
    // cannot be approved as a whole.
    let returned = findings(&f, &r1).into_iter().find(|x| x["org"] == orgs[2].as_str()).unwrap();
    {
        let s = xuncha::service::Session::open(&f.data(), "李督导").unwrap();
        let id = xuncha::service::findings::find(&s, returned["id"].as_str().unwrap()).unwrap().id;
        xuncha::service::review::decide(&s, id, xuncha::domain::Review::Returned, "金额需核实").unwrap();
    }

    let sup = |args: &[&str]| -> common::Run { f.command().env("XUNCHA_INSPECTOR", "李督导").args(args).output().unwrap().into() };
    let r = sup(&["review", "approve", "--round", &r1, "--all"]);
    assert_eq!(r.code, 2, "one visit was refused: {}\n{}", r.stdout, r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    // In the queue's order: each approved visit with its organisation and problem numbers, the
    // refused one with the reason, the visit not submitted not at all.
    assert!(lines[0].starts_with(&format!("已通过 {}", names[0])) && lines[0].contains("2026Q4-0001, 2026Q4-0002"), "{}", r.stdout);
    assert!(lines[1].starts_with(&format!("已通过 {}", names[1])) && lines[1].contains("没有问题"), "{}", r.stdout);
    assert!(lines[2].starts_with(&format!("未通过 {}", names[2])) && lines[2].contains("1 个问题被标记为退回"), "{}", r.stdout);
    assert!(!r.stdout.contains(&names[3]), "{}", r.stdout);
    assert!(r.stdout.contains("共通过 2 个检查，1 个未通过"), "{}", r.stdout);
    assert!(r.stderr.contains("1 个检查未通过"), "{}", r.stderr);

    // The approved ones are 已通过, the refused one still waits, the unsubmitted one is untouched.
    let shown = json(&f.run_ok(&["round", "show", &r1, "--format", "json"]));
    let status = |i: usize| shown["organisations"][i]["status"].as_str().unwrap().to_string();
    assert_eq!([status(0), status(1), status(2), status(3)], ["已通过", "已通过", "已提交", "检查中"]);
    let log = json(&f.run_ok(&["audit", "log", "--round", &r1, "--format", "json"]));
    let approvals = log.as_array().unwrap().iter().filter(|l| l["action"] == "review.approve" && l["actor"] == "李督导").count();
    assert_eq!(approvals, 2, "one audited commit per approved visit");

    // Again: nothing left that can be approved; the refusal is repeated, nothing changes.
    let before = dump(&f);
    let r = sup(&["review", "approve", "--round", &r1, "--all"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("共通过 0 个检查，1 个未通过"), "{}", r.stdout);
    assert_eq!(dump(&f), before);

    // A round with nothing submitted: said so, exit 0. In English too.
    let r2 = new_round(&f, "2026Q3");
    assert!(f.run_ok(&["review", "approve", "--round", &r2, "--all"]).contains("没有待审核的检查"));
    let en = f.run(&["--lang", "en", "review", "approve", "--round", &r2, "--all"]);
    assert_eq!(en.code, 0);
    assert!(en.stdout.contains("has no submitted visits to approve"), "{}", en.stdout);

    // --all needs --round, and a single visit cannot be given with it.
    assert_eq!(f.run(&["review", "approve", "--all"]).code, 2);
    assert_eq!(f.run(&["review", "approve", "--round", &r1]).code, 2);
    assert_eq!(f.run(&["review", "approve", &format!("{r1}:{}", orgs[2]), "--round", &r1, "--all"]).code, 2);
    assert_eq!(f.run(&["review", "approve"]).code, 2);
}

#[test]
fn a_round_approved_at_once_exits_0_when_every_visit_passes() {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "100"]);
    let r1 = new_round(&f, "2026Q4");
    let orgs = orgs_of(&f, &r1);
    fill(&f, &r1, &orgs[0], &[("C1.3", "换届超期8个月")], true);
    fill(&f, &r1, &orgs[1], &[("C6.1", "党费未足额交纳")], true);
    // Alone too, nobody approves a visit under the name that inspected it.
    let before = dump(&f);
    let own = f.run(&["review", "approve", &format!("{r1}:{}", orgs[0])]);
    assert_eq!(own.code, 2);
    assert!(own.stderr.contains("不能审核自己检查的单位：测试员 是这次检查的检查人"), "{}", own.stderr);
    assert_eq!(dump(&f), before, "refused, nothing changed");
    let out: common::Run =
        f.command().env("XUNCHA_INSPECTOR", "李督导").args(["review", "approve", "--round", &r1, "--all"]).output().unwrap().into();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = out.stdout;
    assert!(out.contains("2026Q4-0001") && out.contains("2026Q4-0002") && out.contains("共通过 2 个检查，0 个未通过"), "{out}");
    assert!(json(&f.run_ok(&["review", "list", "--format", "json"])).as_array().unwrap().is_empty());
    assert!(f.run_ok(&["audit", "verify"]).contains("审计链完整"));
}
