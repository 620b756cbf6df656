//! Look-back rounds (回头看) through the binary: `round new --revisit` over the organisations that
//! had approved problems; `visit lookback` shows each earlier problem with its record;
//! `visit recheck` marks it; the visit is submitted without the checklist but not without its
//! marks; approval writes each mark into the earlier problem's history (未整改到位 reopens a
//! problem reported done and names the step that claimed it; 反弹 opens a new problem, numbered
//! at approval as a repeat); the bulletin states the results.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Folder, blank_sheet, fill_arrival, json};

/// The problems by description: (number, status, the whole record).
fn by_description(f: &Folder) -> std::collections::HashMap<String, serde_json::Value> {
    let list = json(&f.run_ok(&["finding", "list", "--format", "json"]));
    list.as_array().unwrap().iter().map(|x| (x["description"].as_str().unwrap().to_string(), x.clone())).collect()
}

fn number(f: &Folder, description: &str) -> String {
    by_description(f)[description]["number"].as_str().unwrap().to_string()
}

/// `xuncha ARGS` as another person.
fn run_as(f: &Folder, who: &str, args: &[&str]) -> String {
    let r = f.command().env("XUNCHA_INSPECTOR", who).args(args).output().unwrap();
    assert!(r.status.success(), "{args:?}: {}", String::from_utf8_lossy(&r.stderr));
    String::from_utf8_lossy(&r.stdout).into_owned()
}

/// The round id from `round new`'s output ("…（编号 ID）…").
fn round_id(f: &Folder, title: &str) -> String {
    let list = json(&f.run_ok(&["round", "list", "--format", "json"]));
    list.as_array().unwrap().iter().find(|r| r["title"] == title).unwrap()["id"].as_str().unwrap().to_string()
}

#[test]
fn a_look_back_marks_each_earlier_problem_and_approval_writes_it_into_its_history() {
    let f = Folder::new();
    f.set_now("2026-08-20 10:00");
    f.run_ok(&["demo", "--orgs", "300", "--seed", "3"]);
    let q3 = common::new_round(&f, "2026Q3", "第三季度督查");
    let shown = json(&f.run_ok(&["round", "show", &q3, "--format", "json"]));
    let villages: Vec<String> = shown["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["field"] == "农村")
        .take(3)
        .map(|o| o["code"].as_str().unwrap().to_string())
        .collect();
    let (a, b, clean) = (&villages[0], &villages[1], &villages[2]);
    common::fill_sheet(&f, &q3, a, &[("C1.1", "a1 党员名册不全"), ("C1.2", "a2 台账缺失"), ("C1.3", "a3 换届超期")], "王书记", true);
    common::fill_sheet(&f, &q3, b, &[("C1.1", "b1 会议记录不全")], "李书记", true);
    common::fill_sheet(&f, &q3, clean, &[], "赵书记", true);
    common::approve_all(&f);

    // Follow-up: a1 reported done by 跟踪员 and closed by 验收员; a2 reported done, not yet
    // accepted; a3 under way; b1 done and closed.
    f.set_now("2026-09-10 10:00");
    let (a1, a2, a3, b1) =
        (number(&f, "a1 党员名册不全"), number(&f, "a2 台账缺失"), number(&f, "a3 换届超期"), number(&f, "b1 会议记录不全"));
    for n in [&a1, &a2, &b1] {
        run_as(&f, "跟踪员", &["rectify", "set", n, "--status", "已整改待验收", "--note", "已补齐"]);
    }
    run_as(&f, "跟踪员", &["rectify", "set", &a3, "--status", "整改中"]);
    f.set_now("2026-09-15 10:00");
    for n in [&a1, &b1] {
        run_as(&f, "验收员", &["rectify", "set", n, "--status", "已销号", "--acceptor", "验收员"]);
    }

    // The look-back, in Q4: the two branches with problems, not the clean one.
    f.set_now("2026-11-10 09:00");
    let said = f.run_ok(&["round", "new", "--revisit", &q3, "--quarter", "2026Q4"]);
    assert!(said.contains("第三季度督查回头看") && said.contains("2 个组织"), "{said}");
    let lb = round_id(&f, "第三季度督查回头看");
    let shown = json(&f.run_ok(&["round", "show", &lb, "--format", "json"]));
    let codes: Vec<&str> = shown["organisations"].as_array().unwrap().iter().map(|o| o["code"].as_str().unwrap()).collect();
    assert_eq!(codes, [a.as_str(), b.as_str()]);

    // Each earlier problem with its record.
    let listed = f.run_ok(&["visit", "lookback", "--visit", &format!("{lb}/{a}")]);
    for want in [a1.as_str(), "已销号", a2.as_str(), "已整改待验收", a3.as_str(), "整改中", "已补齐"] {
        assert!(listed.contains(want), "{want}:\n{listed}");
    }

    // Not submitted without the marks (the checklist itself is not required).
    let sheet_of = |org: &str, name: &str| {
        let mut rows = blank_sheet(&f, &lb, org);
        fill_arrival(&mut rows, "2026-11-10 09:30");
        common::write_rows(&f, name, &rows)
    };
    f.set_now("2026-11-10 11:00");
    let sheet_a = sheet_of(a, "a.csv");
    let r = f.run(&["visit", "import", &sheet_a, "--round", &lb, "--submit"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("3 个原问题未作回头看结论"), "{}", r.stderr);

    let visit_a = format!("{lb}/{a}");
    let visit_b = format!("{lb}/{b}");
    f.run_ok(&["visit", "recheck", "--visit", &visit_a, &a1, "已巩固", "--note", "名册齐全"]);
    f.run_ok(&["visit", "recheck", "--visit", &visit_a, &a2, "已巩固", "--note", "台账仍缺三个月"]);
    // Changed without --note: what was seen stays.
    f.run_ok(&["visit", "recheck", "--visit", &visit_a, &a2, "未整改到位"]);
    f.run_ok(&["visit", "recheck", "--visit", &visit_a, &a3, "未整改到位"]);
    let said = f.run_ok(&["visit", "recheck", "--visit", &visit_b, &b1, "反弹", "--note", "10月以来会议记录又缺"]);
    assert!(said.contains("新建问题"), "{said}");
    // A problem of another branch, a mark that is not one: refused, nothing changed.
    let r = f.run(&["visit", "recheck", "--visit", &visit_a, &b1, "已巩固"]);
    assert!(r.code == 2 && r.stderr.contains(&b1), "{}", r.stderr);
    let r = f.run(&["visit", "recheck", "--visit", &visit_a, &a1, "很好"]);
    assert!(r.code == 2 && r.stderr.contains("已巩固"), "{}", r.stderr);
    // Held or came back are said of a problem fixed: a3 was never reported done.
    let r = f.run(&["visit", "recheck", "--visit", &visit_a, &a3, "已巩固"]);
    assert!(r.code == 2 && r.stderr.contains("从未报告整改完成"), "{}", r.stderr);
    // One look-back of a round a quarter.
    let r = f.run(&["round", "new", "--revisit", &q3, "--quarter", "2026Q4"]);
    assert!(r.code == 2 && r.stderr.contains("已有对“第三季度督查”的回头看批次"), "{}", r.stderr);
    // The relapse is a new problem of the look-back visit, a repeat of b1, pending review.
    let all = by_description(&f);
    let relapse = all.values().find(|x| x["repeat_of"] == b1.as_str()).unwrap().clone();
    assert!(relapse["description"].as_str().unwrap().contains("10月以来会议记录又缺"), "{relapse}");
    assert_eq!((relapse["round"].as_str().unwrap(), relapse["number"].is_null()), (lb.as_str(), true));

    f.run_ok(&["visit", "import", &sheet_a, "--round", &lb, "--submit"]);
    let sheet_b = sheet_of(b, "b.csv");
    f.run_ok(&["visit", "import", &sheet_b, "--round", &lb, "--submit"]);
    f.set_now("2026-11-12 10:00");
    common::approve_all(&f);

    let all = by_description(&f);
    let steps = |d: &str| all[d]["rect"]["updates"].as_array().unwrap().clone();
    let last = |d: &str| steps(d).last().unwrap().clone();
    // a1: held; closed as it was, the look-back in its history.
    assert_eq!(all["a1 党员名册不全"]["status"], "已销号");
    assert_eq!(
        (last("a1 党员名册不全")["recheck"]["mark"].as_str(), last("a1 党员名册不全")["on"].as_str()),
        (Some("已巩固"), Some("2026-11-12"))
    );
    // a2: reported done on 09-10 by 跟踪员, not done: reopened (退回重改), that claim flagged.
    let a2s = last("a2 台账缺失");
    assert_eq!(all["a2 台账缺失"]["status"], "退回重改");
    assert_eq!((a2s["from"].as_str(), a2s["to"].as_str(), a2s["by"].as_str()), (Some("已整改待验收"), Some("退回重改"), Some("李督导")));
    assert_eq!((a2s["recheck"]["flags_on"].as_str(), a2s["recheck"]["flags_by"].as_str()), (Some("2026-09-10"), Some("跟踪员")));
    assert_eq!(a2s["note"], "台账仍缺三个月");
    // a3: never reported done: still 整改中, the look-back noted, nothing flagged.
    let a3s = last("a3 换届超期");
    assert_eq!((all["a3 换届超期"]["status"].as_str(), a3s["to"].as_str()), (Some("整改中"), Some("整改中")));
    assert!(a3s["recheck"]["flags_on"].is_null());
    // b1: came back: closed as it was; the new problem numbered in Q4 as its repeat.
    assert_eq!(all["b1 会议记录不全"]["status"], "已销号");
    assert_eq!(last("b1 会议记录不全")["recheck"]["mark"], "反弹");
    let relapse = all.values().find(|x| x["repeat_of"] == b1.as_str()).unwrap();
    assert!(relapse["number"].as_str().unwrap().starts_with("2026Q4-"), "{relapse}");
    assert_eq!(relapse["status"], "待整改");

    // A look-back grades no one: its visits show no score, grade or warning.
    let shown = json(&f.run_ok(&["round", "show", &lb, "--format", "json"]));
    for o in shown["organisations"].as_array().unwrap() {
        assert!(o["score"].is_null() && o["grade"].is_null(), "{o}");
    }
    // The bulletin of Q4 states the results (the look-back is no visit of the quarter's checks).
    let out = f.path("q4.json");
    f.run_ok(&["export", "bulletin", "--quarter", "2026Q4", "--format", "json", "--allow-empty", "-o", out.to_str().unwrap()]);
    let b = json(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(b["checked"], 0, "a look-back grades nobody");
    let l = &b["lookback"];
    // 4 earlier problems on 2 organisations: 1 held, 1 came back, 2 not done: held 1/4 = 25.0%.
    assert_eq!(
        (
            l["visits"].as_u64(),
            l["checked"].as_u64(),
            l["held"].as_u64(),
            l["relapsed"].as_u64(),
            l["not_done"].as_u64(),
            l["held_rate"].as_str()
        ),
        (Some(2), Some(4), Some(1), Some(1), Some(2), Some("25.0"))
    );
    let md = f.path("q4.md");
    f.run_ok(&["export", "bulletin", "--quarter", "2026Q4", "--format", "md", "--allow-empty", "-o", md.to_str().unwrap()]);
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.contains("复查 2 个党组织的 4 个原问题：已巩固 1 个（巩固率 25.0%），反弹 1 个，未整改到位 2 个"), "{text}");

    // A look-back of a look-back, and of a round without approved problems: refused.
    let r = f.run(&["round", "new", "--revisit", &lb]);
    assert!(r.code == 2 && r.stderr.contains("本身是回头看批次"), "{}", r.stderr);
    let empty = common::new_round(&f, "2026Q4", "第四季度督查");
    let r = f.run(&["round", "new", "--revisit", &empty]);
    assert!(r.code == 2 && r.stderr.contains("没有审核通过的问题"), "{}", r.stderr);
}
