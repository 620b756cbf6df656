//! Bundles through the binary, between four laptops (four data and config folders): the leader
//! sends the roster, organisations and a round; the inspector sends submitted visits; the
//! reviewer returns one with a comment and approves another with numbers; follow-up records the
//! rectification, the reviewer closes it; after a full exchange every laptop exports the same
//! rectification list. Importing twice changes nothing.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::team::{NAMES, team};
use common::{Folder, dump, json};

fn visit(round: &str, org: &str) -> String {
    format!("{round}:{org}")
}

fn rect_list(f: &Folder) -> String {
    let out = f.path("list.csv");
    f.run_ok(&["export", "rectification", "--format", "csv", "-o", out.to_str().unwrap()]);
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn four_laptops_carry_the_work_from_visit_to_closing() {
    let t = team();
    let round = t.round.clone();
    for f in t.laptops() {
        let rounds = json(&f.run_ok(&["round", "list", "--format", "json"]));
        assert_eq!(rounds[0]["id"], round.as_str(), "the round reached every laptop");
        assert!(f.run_ok(&["whoami"]).contains("县委组织部督查一组"));
    }

    // The inspector walks two visits and submits them; the reviewer receives them.
    let (a, b) = ("0101001001D1", "0101001004D1");
    common::fill_sheet(&t.inspector, &round, a, &[("C1.3", "换届超期8个月")], "刘书记", true);
    common::fill_sheet(&t.inspector, &round, b, &[("C3.1", "本季度未开党员大会")], "陈书记", true);
    let got = t.send(&t.inspector, 2);
    assert!(got.contains("来自 张三"), "{got}");
    let queue = json(&t.reviewer.run_ok(&["review", "list", "--format", "json"]));
    assert_eq!(queue.as_array().unwrap().len(), 2, "{queue}");

    // Every history names who did it, on the laptop that received it.
    let log = t.reviewer.run_ok(&["audit", "log", "--org", a]);
    assert!(log.lines().any(|l| l.contains("张三") && l.contains("提交")), "{log}");

    // Verifying says who sent it, the roster and the sender's audit head, and writes nothing.
    let head = t.inspector.run_ok(&["audit", "verify"]);
    let verified = t.reviewer.run_ok(&["bundle", "verify", t.inspector.path("to-2.bundle").to_str().unwrap()]);
    assert!(verified.contains("来自 张三") && verified.contains("人员名单第 5 版") && verified.contains("发送方的审计日志"), "{verified}");
    let hash = verified.lines().find(|l| l.contains("发送方的审计日志")).unwrap().rsplit(' ').next().unwrap();
    assert!(head.contains(hash), "the sender's own audit verify names the same head: {head}");

    // Importing the same bundle again changes nothing.
    let before = dump(&t.reviewer);
    let again = t.reviewer.run_ok(&["bundle", "import", t.inspector.path("to-2.bundle").to_str().unwrap()]);
    assert!(again.contains("应用 0 条变更") && again.contains("本机已有，跳过"), "{again}");
    assert_eq!(dump(&t.reviewer), before);

    // The reviewer returns one visit with a comment and approves the other, numbering it.
    t.reviewer.run_ok(&["review", "return", &visit(&round, b), "--comment", "党员大会记录需附签到表"]);
    let approved = t.reviewer.run_ok(&["review", "approve", &visit(&round, a)]);
    assert!(approved.contains("2026Q4-0001"), "{approved}");
    t.send(&t.reviewer, 1);
    let shown = t.inspector.run_ok(&["round", "show", &round]);
    assert!(shown.lines().any(|l| l.starts_with(b) && l.contains("已退回")), "{shown}");
    assert!(shown.lines().any(|l| l.starts_with(a) && l.contains("已通过")), "{shown}");

    // Follow-up receives the numbered finding and reports it done; the reviewer closes it.
    t.send(&t.reviewer, 3);
    t.followup.run_ok(&["rectify", "set", "2026Q4-0001", "--status", "整改中", "--note", "已约谈支部书记"]);
    t.followup.run_ok(&["rectify", "set", "2026Q4-0001", "--status", "已整改待验收", "--note", "已完成换届"]);
    let refused = t.followup.run(&["rectify", "set", "2026Q4-0001", "--status", "已销号", "--acceptor", "组织委员"]);
    assert_eq!(refused.code, 2, "who reported it done does not close it");
    t.send(&t.followup, 2);
    t.reviewer.run_ok(&["rectify", "set", "2026Q4-0001", "--status", "已销号", "--acceptor", "组织委员"]);

    // The returned visit comes back resubmitted and is approved; follow-up asks for more time
    // on its problem, which only the reviewer grants.
    common::fill_sheet(&t.inspector, &round, b, &[("C3.1", "本季度未开党员大会")], "陈书记", true);
    t.send(&t.inspector, 2);
    assert!(t.reviewer.run_ok(&["review", "approve", &visit(&round, b)]).contains("2026Q4-0002"));
    t.send(&t.reviewer, 3);
    t.followup.run_ok(&["rectify", "set", "2026Q4-0002", "--status", "申请延期", "--note", "需待换届后整改", "--deadline", "2028-06-30"]);
    let r = t.followup.run(&["rectify", "extension", "2026Q4-0002", "--grant"]);
    assert!(r.code == 2 && r.stderr.contains("审核员"), "{}", r.stderr);
    t.send(&t.followup, 2);
    t.reviewer.run_ok(&["rectify", "extension", "2026Q4-0002", "--grant"]);
    t.send(&t.reviewer, 3);
    let list = json(&t.followup.run_ok(&["finding", "list", "--format", "json"]));
    let f2 = list.as_array().unwrap().iter().find(|x| x["number"] == "2026Q4-0002").unwrap().clone();
    assert_eq!((f2["status"].as_str(), f2["deadline"].as_str()), (Some("整改中"), Some("2028-06-30")), "{f2}");

    // After a full exchange every laptop holds the same list, closed by the reviewer.
    t.exchange_all();
    let lists: Vec<String> = t.laptops().iter().map(|f| rect_list(f)).collect();
    assert!(lists[0].contains("2026Q4-0001") && lists[0].contains("已销号"), "{}", lists[0]);
    for l in &lists[1..] {
        assert_eq!(l, &lists[0]);
    }
    for f in t.laptops() {
        let status = f.run_ok(&["bundle", "status"]);
        for name in NAMES {
            assert!(status.contains(name), "{status}");
        }
        assert_eq!(f.run_ok(&["conflict", "list"]).trim(), "没有冲突。");
    }
}

#[test]
fn the_same_field_edited_on_two_laptops_is_a_conflict_a_reviewer_settles() {
    let t = team();
    let round = t.round.clone();
    common::fill_sheet(&t.inspector, &round, "0101001001D1", &[("C1.3", "换届超期8个月")], "刘书记", true);
    t.send(&t.inspector, 2);
    t.reviewer.run_ok(&["review", "approve", &visit(&round, "0101001001D1")]);
    t.send(&t.reviewer, 3);
    // Both record a step without having seen the other's: the note is the same field.
    t.reviewer.run_ok(&["rectify", "set", "2026Q4-0001", "--status", "整改中", "--note", "审核员：已电话督促"]);
    t.followup.run_ok(&["rectify", "set", "2026Q4-0001", "--status", "整改中", "--note", "督办员：已约谈书记"]);
    t.send(&t.followup, 2);
    t.send(&t.reviewer, 3);
    let on_r = t.reviewer.run_ok(&["conflict", "list"]);
    let on_f = t.followup.run_ok(&["conflict", "list"]);
    assert_eq!(on_r, on_f, "the same conflicts, with the same ids, on both laptops");
    assert!(on_r.contains("审核员：已电话督促") && on_r.contains("督办员：已约谈书记"), "both values kept: {on_r}");
    assert!(on_r.contains("整改进展"), "{on_r}");
    let id = on_r.lines().nth(2).unwrap().split_whitespace().next().unwrap().to_string();

    // Follow-up may not settle it; the reviewer does, and the choice travels.
    let r = t.followup.run(&["conflict", "resolve", &id, "--take", "2"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for line in on_r.lines().skip(2) {
        let id = line.split_whitespace().next().unwrap();
        t.reviewer.run_ok(&["conflict", "resolve", id, "--take", "2"]);
    }
    assert_eq!(t.reviewer.run_ok(&["conflict", "list"]).trim(), "没有冲突。");
    t.send(&t.reviewer, 3);
    assert_eq!(t.followup.run_ok(&["conflict", "list"]).trim(), "没有冲突。");
    assert_eq!(rect_list(&t.reviewer), rect_list(&t.followup));
}

/// Records made before changes were kept (here the demo's) that are edited before the first
/// export travel whole, not as the few fields the edit changed.
#[test]
fn records_from_before_the_team_travel_whole_when_edited_first() {
    let leader = Folder::new();
    leader.run_ok(&["demo", "--orgs", "60", "--visited", "0.8"]);
    leader.run_ok(&["team", "init", "--name", NAMES[0], "--team", "督查一组"]);
    let queue = json(&leader.run_ok(&["review", "list", "--format", "json"]));
    let first = queue[0]["visit"].as_str().unwrap().to_string();
    leader.run_ok(&["review", "return", &first, "--comment", "请补充到达照片"]);
    let member = Folder::new();
    let req = member.path("join.req");
    member.run_ok(&["team", "request", "--name", "张三", "-o", req.to_str().unwrap()]);
    leader.run_ok(&["team", "admit", req.to_str().unwrap(), "--role", "inspector"]);
    let file = leader.path("all.bundle");
    leader.run_ok(&["bundle", "export", "-o", file.to_str().unwrap(), "--to", "张三"]);
    member.run_ok(&["bundle", "import", file.to_str().unwrap()]);
    for args in [&["round", "list", "--format", "json"][..], &["review", "list", "--format", "json"], &["org", "list", "--format", "json"]]
    {
        assert_eq!(member.run_ok(args), leader.run_ok(args), "{args:?}");
    }
}

/// A bundle lost on the way (a USB stick left in a drawer) is made good: once the receiver
/// sends a bundle back, saying what it holds, the next bundle to it carries what it lacks.
#[test]
fn a_lost_bundle_is_sent_again_once_the_peer_says_what_it_holds() {
    let t = team();
    common::fill_sheet(&t.inspector, &t.round, "0101001001D1", &[("C1.3", "换届超期8个月")], "刘书记", true);
    let lost = t.inspector.path("lost.bundle");
    t.inspector.run_ok(&["bundle", "export", "-o", lost.to_str().unwrap(), "--to", NAMES[2]]);
    let status = t.inspector.run_ok(&["bundle", "status"]);
    assert!(status.lines().any(|l| l.starts_with(NAMES[2]) && l.split_whitespace().nth(1) == Some("0")), "assumed sent: {status}");
    t.send(&t.reviewer, 1);
    let status = t.inspector.run_ok(&["bundle", "status"]);
    assert!(status.lines().any(|l| l.starts_with(NAMES[2]) && l.split_whitespace().nth(1) != Some("0")), "known lacking: {status}");
    t.send(&t.inspector, 2);
    let queue = json(&t.reviewer.run_ok(&["review", "list", "--format", "json"]));
    assert_eq!(queue.as_array().unwrap().len(), 1, "the lost visit arrived: {queue}");
}
