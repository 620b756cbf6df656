//! `xuncha rectify due`: the open problems on the escalation ladder, through the binary, on
//! findings whose deadlines are set by hand, with the office's thresholds from config.toml.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Folder, blank_sheet, col, fill_arrival, json, row_of};

/// A branch's visit in 2026Q3, approved on 2026-08-20: C1.1 to C1.5 fail with the deadlines given
/// ("" and 长期整改 for C1.5), then C1.4's is reported done.
fn scenario() -> Folder {
    let f = Folder::new();
    f.set_now("2026-08-20 10:00");
    f.run_ok(&["demo", "--orgs", "300", "--seed", "3"]);
    let round = common::new_round(&f, "2026Q3", "第三季度督查");
    let shown = json(&f.run_ok(&["round", "show", &round, "--format", "json"]));
    let org =
        shown["organisations"].as_array().unwrap().iter().find(|o| o["field"] == "农村").unwrap()["code"].as_str().unwrap().to_string();
    let mut rows = blank_sheet(&f, &round, &org);
    fill_arrival(&mut rows, &common::arrival_in(&f, &round));
    let c = |n: &str| col(&rows, n);
    let (verdict, desc, kind, resp, deadline) = (c("结论"), c("问题描述"), c("整改类型"), c("责任人"), c("整改时限"));
    for r in common::item_rows(&mut rows) {
        r[verdict] = "符合".into();
    }
    for (item, d, k, dl) in [
        ("C1.1", "一 问责", "限期整改", "2026-09-01"),
        ("C1.2", "二 告诫", "限期整改", "2026-10-01"),
        ("C1.3", "三 督办", "限期整改", "2026-11-01"),
        ("C1.4", "四 已整改", "限期整改", "2026-09-15"),
        ("C2.1", "五 提醒", "限期整改", "2026-11-25"),
        ("C2.2", "六 未到", "限期整改", "2027-03-01"),
        ("C1.5", "七 长期", "长期整改", ""),
    ] {
        let r = row_of(&mut rows, item);
        (r[verdict], r[desc], r[kind], r[resp], r[deadline]) = ("不符合".into(), d.into(), k.into(), "王书记".into(), dl.into());
    }
    let path = common::write_rows(&f, "sheet.csv", &rows);
    f.run_ok(&["visit", "import", &path, "--round", &round, "--submit"]);
    common::approve_all(&f);
    let list = json(&f.run_ok(&["finding", "list", "--format", "json"]));
    let done = list.as_array().unwrap().iter().find(|x| x["description"] == "四 已整改").unwrap()["number"].as_str().unwrap().to_string();
    f.run_ok(&["rectify", "set", &done, "--status", "已整改待验收"]);
    f
}

fn due(f: &Folder, extra: &[&str]) -> Vec<(String, String, i64)> {
    let mut args = vec!["rectify", "due", "--format", "json"];
    args.extend_from_slice(extra);
    let v = json(&f.run_ok(&args));
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (x["description"].as_str().unwrap().to_string(), x["rung"].as_str().unwrap().to_string(), x["days_over"].as_i64().unwrap())
        })
        .collect()
}

#[test]
fn the_ladder_lists_what_needs_action_highest_rung_first() {
    let f = scenario();
    // As of 2026-11-22 with the default thresholds (提醒 7 days before, 告诫约谈 past 30 days,
    // 问责建议 past 60): C1.1 is 82 days over, C1.2 52, C1.3 21, C2.1 due in 3 days; C2.2 is
    // months away, C1.4 was reported done, C1.5 is long-term.
    let got = due(&f, &["--as-of", "2026-11-22"]);
    let want = [("一 问责", "问责建议", 82), ("二 告诫", "告诫约谈", 52), ("三 督办", "督办", 21), ("五 提醒", "提醒", -3)];
    assert_eq!(got, want.iter().map(|(d, r, n)| (d.to_string(), r.to_string(), *n)).collect::<Vec<_>>());
    // The table says the same, in Chinese.
    let table = f.run_ok(&["rectify", "due", "--as-of", "2026-11-22"]);
    assert!(table.contains("督办层级") && table.contains("问责建议") && table.contains("王书记"), "{table}");
    // Earlier, fewer rungs: on 2026-08-28 only C1.1 (due 09-01) is within a week.
    assert_eq!(due(&f, &["--as-of", "2026-08-28"]), [("一 问责".to_string(), "提醒".to_string(), -4)]);
    assert!(f.run_ok(&["rectify", "due", "--as-of", "2026-08-01"]).contains("2026-08-01 没有需要提醒或督办的问题"));

    // More time: asked for, the problem stays on its rung; granted (by a reviewer), the ladder
    // follows the new deadline, and the history keeps both steps.
    f.set_now("2026-11-22 10:00");
    let list = json(&f.run_ok(&["finding", "list", "--format", "json"]));
    let late = list.as_array().unwrap().iter().find(|x| x["description"] == "三 督办").unwrap()["number"].as_str().unwrap().to_string();
    f.run_ok(&["rectify", "set", &late, "--status", "申请延期", "--deadline", "2027-01-31", "--note", "换届须上级批复"]);
    assert!(due(&f, &[]).contains(&("三 督办".to_string(), "督办".to_string(), 21)), "a request alone moves nothing");
    let r: common::Run =
        f.command().env("XUNCHA_INSPECTOR", "李督导").args(["rectify", "extension", &late, "--grant"]).output().unwrap().into();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!due(&f, &[]).iter().any(|x| x.0 == "三 督办"), "granted to 2027-01-31: nothing to do on 11-22");
    assert!(due(&f, &["--as-of", "2027-02-05"]).contains(&("三 督办".to_string(), "督办".to_string(), 5)));
    let list = json(&f.run_ok(&["finding", "list", "--format", "json"]));
    let steps = list.as_array().unwrap().iter().find(|x| x["number"] == late.as_str()).unwrap()["rect"]["updates"].clone();
    let steps: Vec<(&str, Option<&str>)> =
        steps.as_array().unwrap().iter().map(|u| (u["to"].as_str().unwrap(), u["deadline_to"].as_str())).collect();
    assert_eq!(steps, [("申请延期", Some("2027-01-31")), ("整改中", Some("2027-01-31"))]);

    // The office's thresholds: 告诫约谈 past 10 days makes C1.3 (21 over) one.
    std::fs::create_dir_all(f.config()).unwrap();
    std::fs::write(f.config().join("config.toml"), "[escalation]\nadmonish_after = 10\n").unwrap();
    let got = due(&f, &["--as-of", "2026-11-22"]);
    assert_eq!(got[0], ("一 问责".to_string(), "问责建议".to_string(), 82));
    assert_eq!(got[1], ("二 告诫".to_string(), "告诫约谈".to_string(), 52));
    assert!(due(&f, &["--as-of", "2027-02-12"]).contains(&("三 督办".to_string(), "告诫约谈".to_string(), 12)), "past 10 days");
    // Thresholds that skip a rung are refused, naming them.
    std::fs::write(f.config().join("config.toml"), "[escalation]\nadmonish_after = 70\n").unwrap();
    let r = f.run(&["rectify", "due"]);
    assert!(r.code == 2 && r.stderr.contains("[escalation] 不可用") && r.stderr.contains("admonish_after=70"), "{}", r.stderr);
}
