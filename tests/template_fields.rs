//! The default template fits each field, deducts per occurrence and ties each veto gate to its
//! item: through the binary, on the paper sheet, the scores and the per-branch report.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{DEADLINE, Folder, blank_sheet, col, dump, fill_arrival, item_rows, json, new_round, row_of, write_rows};

/// The demo's town 0101001 holds village branches (0101001001D1 …) and school branches
/// (0101001006D1 …); a round over it.
const VILLAGE: &str = "0101001001D1";
const SCHOOL: &str = "0101001006D1";

fn round_over_the_town() -> (Folder, String) {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "400", "--seed", "5"]);
    let round = new_round(&f, "2026Q4", "分领域检查测试");
    (f, round)
}

fn field_of(f: &Folder, round: &str, org: &str) -> (String, u64) {
    let shown = json(&f.run_ok(&["round", "show", round, "--format", "json"]));
    let o = shown["organisations"].as_array().unwrap().iter().find(|o| o["code"] == org).unwrap().clone();
    (o["field"].as_str().unwrap().to_string(), o["applicable"].as_u64().unwrap())
}

fn set(rows: &mut [Vec<String>], key: &str, name: &str, value: &str) {
    let c = col(rows, name);
    row_of(rows, key)[c] = value.to_string();
}

/// A finding on `item`, so a 不符合 or 部分符合 verdict can be handed over.
fn finding(rows: &mut [Vec<String>], item: &str, text: &str) {
    set(rows, item, "问题描述", text);
    set(rows, item, "责任人", "王书记");
    set(rows, item, "整改时限", DEADLINE);
}

/// Every item 符合, the arrival filled.
fn all_met(f: &Folder, round: &str, org: &str) -> Vec<Vec<String>> {
    let mut rows = blank_sheet(f, round, org);
    fill_arrival(&mut rows, "2026-10-01 09:30");
    let verdict = col(&rows, "结论");
    for r in item_rows(&mut rows) {
        r[verdict] = "符合".into();
    }
    rows
}

#[test]
fn a_school_is_never_asked_about_si_yi_liang_gong_kai_and_a_village_is() {
    let (f, round) = round_over_the_town();
    assert_eq!(field_of(&f, &round, SCHOOL).0, "学校");
    assert_eq!(field_of(&f, &round, VILLAGE).0, "农村");
    let keys = |org: &str| blank_sheet(&f, &round, org).into_iter().map(|r| (r[1].clone(), r[2].clone())).collect::<Vec<_>>();
    let school = keys(SCHOOL);
    let village = keys(VILLAGE);
    let asks = |rows: &[(String, String)], what: &str| rows.iter().any(|(_, text)| text.contains(what));
    let has = |rows: &[(String, String)], id: &str| rows.iter().any(|(key, _)| key == id);
    assert!(!asks(&school, "四议两公开") && !has(&school, "C11.1"), "a school is never asked about 四议两公开");
    assert!(asks(&village, "四议两公开") && has(&village, "C11.1") && has(&village, "C11.3"));
    assert!(has(&school, "C11.14") && asks(&school, "校长负责制") && !has(&village, "C11.14"));
    // Both are asked about 政治建设 (第一议题) and 推荐推优.
    for rows in [&school, &village] {
        assert!(has(rows, "C10.1") && asks(rows, "第一议题") && has(rows, "C5.8") && asks(rows, "推优"));
    }
    // By hand from checklists/dangzhibu.toml: 55 items for every field (C1 5, C2 6, C3 8, C4 6,
    // C5 8, C6 5, C7 6, C8 5, C9 3, C10 3), then 领域重点: a village's C11.1 to C11.3, a school's
    // C11.14 and C11.15.
    assert_eq!(field_of(&f, &round, VILLAGE).1, 55 + 3);
    assert_eq!(field_of(&f, &round, SCHOOL).1, 55 + 2);

    // A sheet that answers 四议两公开 for the school is refused, naming the row, and changes nothing.
    let mut rows = all_met(&f, &round, SCHOOL);
    let mut extra = rows.last().unwrap().clone();
    extra[1] = "C11.1".into();
    extra[col(&rows, "结论")] = "符合".into();
    rows.push(extra);
    let file = write_rows(&f, "school.csv", &rows);
    let before = dump(&f);
    let r = f.run(&["visit", "import", &file, "--round", &round]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    let at = format!("第 {} 行第 2 列（检查项编号）", rows.len());
    assert!(r.stderr.lines().any(|l| l.contains(&at) && l.contains("检查项 C11.1 不适用于领域 学校")), "{}", r.stderr);
    assert_eq!(dump(&f), before);
}

#[test]
fn counted_occurrences_deduct_per_occurrence_up_to_the_cap() {
    let (f, round) = round_over_the_town();
    let mut rows = all_met(&f, &round, VILLAGE);
    // The sheet says how each per-occurrence item deducts, and has a column for the count.
    let text_col = col(&rows, "检查内容");
    let text = row_of(&mut rows, "C3.7")[text_col].clone();
    assert!(text.contains("每次扣 0.5 分，最多扣 2 分"), "{text}");
    set(&mut rows, "C3.7", "结论", "不符合");
    set(&mut rows, "C3.7", "次数", "3");
    finding(&mut rows, "C3.7", "3份支委会记录缺应到实到人数");
    set(&mut rows, "C10.3", "结论", "部分符合");
    set(&mut rows, "C10.3", "次数", "9");
    finding(&mut rows, "C10.3", "9名党员上年度学时不足32学时");
    set(&mut rows, "C1.3", "结论", "不符合");
    finding(&mut rows, "C1.3", "换届超期");
    let file = write_rows(&f, "counted.csv", &rows);
    f.run_ok(&["visit", "import", &file, "--round", &round, "--submit"]);
    // By hand: a village's items add up to 100 (none 不适用, nothing rescaled). C3.7: 3 × 0.5 =
    // 1.5 (under its cap of 2). C10.3: 9 × 0.5 = 4.5, capped at its 3 points (部分符合 with a
    // count deducts by the count). C1.3 deducts its 2 points. 100 - 1.5 - 3 - 2 = 93.5; the
    // findings are 一般 and 较重 (none 严重): 标杆型.
    let shown = json(&f.run_ok(&["round", "show", &round, "--format", "json"]));
    let o = shown["organisations"].as_array().unwrap().iter().find(|o| o["code"] == VILLAGE).unwrap().clone();
    assert_eq!((o["score"].as_f64(), o["grade"].as_str()), (Some(93.5), Some("标杆型")), "{o}");
    // The per-branch report says what each count cost.
    let md = f.path("report.md");
    f.run_ok(&["export", "report", "--round", &round, "--org", VILLAGE, "--format", "md", "-o", md.to_str().unwrap()]);
    let report = std::fs::read_to_string(&md).unwrap();
    assert!(report.contains("得分 93.5 分（满分 100.0 分）"), "{report}");
    assert!(report.contains("按次扣分：C3.7") && report.contains("发现 3 次，每次扣 0.5 分，扣 1.5 分"), "{report}");
    assert!(report.contains("按次扣分：C10.3") && report.contains("发现 9 次，每次扣 0.5 分，扣 3 分"), "{report}");
    // Approved, the rectification list's 扣分 is what each item deducted: 1.5, 3 and 2.
    common::approve_all(&f);
    let out = f.path("list.json");
    f.run_ok(&["export", "rectification", "--round", &round, "--format", "json", "-o", out.to_str().unwrap()]);
    let list = json(&std::fs::read_to_string(&out).unwrap());
    let mut deductions: Vec<(String, f64)> = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["item"].as_str().unwrap().to_string(), r["deduction"].as_f64().unwrap()))
        .collect();
    deductions.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(deductions, [("C1.3".to_string(), 2.0), ("C10.3".to_string(), 3.0), ("C3.7".to_string(), 1.5)]);
}

#[test]
fn a_count_where_none_can_stand_is_refused_at_its_cell() {
    let (f, round) = round_over_the_town();
    let mut rows = all_met(&f, &round, VILLAGE);
    let line = |rows: &[Vec<String>], key: &str| rows.iter().position(|r| r[1] == key).unwrap() + 1;
    // C1.3 does not deduct per occurrence; C3.7 is 符合; C10.3's count is not a number; C3.8…
    set(&mut rows, "C1.3", "结论", "不符合");
    set(&mut rows, "C1.3", "次数", "2");
    finding(&mut rows, "C1.3", "换届超期");
    set(&mut rows, "C3.7", "次数", "1");
    set(&mut rows, "C10.3", "结论", "不符合");
    set(&mut rows, "C10.3", "次数", "三");
    finding(&mut rows, "C10.3", "学时不足");
    let count_col = col(&rows, "次数") + 1;
    let file = write_rows(&f, "bad-counts.csv", &rows);
    let before = dump(&f);
    let r = f.run(&["visit", "import", &file, "--round", &round]);
    assert_eq!(r.code, 2);
    for (key, why) in [
        ("C1.3", "检查项 C1.3 不按次扣分，不填次数"),
        ("C3.7", "检查项 C3.7 须为不符合或部分符合才填次数"),
        ("C10.3", "次数应为 1 到 999 的整数"),
    ] {
        let at = format!("第 {} 行第 {count_col} 列（次数）", line(&rows, key));
        assert!(r.stderr.lines().any(|l| l.contains(&at) && l.contains(why)), "{at} {why}: {}", r.stderr);
    }
    assert_eq!(dump(&f), before, "nothing recorded");
}

#[test]
fn a_veto_gate_stands_on_its_item_answered_fails() {
    let (f, round) = round_over_the_town();
    let mut rows = all_met(&f, &round, VILLAGE);
    // The sheet names the item behind each gate.
    let text_col = col(&rows, "检查内容");
    let hint = row_of(&mut rows, "V3")[text_col].clone();
    assert!(hint.contains("由检查项 C3.1 触发"), "{hint}");
    // V3 (连续6个月以上未开展组织生活) set while its item C3.1 is 符合: refused at the gate's row.
    set(&mut rows, "V3", "结论", "是");
    set(&mut rows, "V3", "说明", "半年未开展组织生活");
    let v3_line = rows.iter().position(|r| r[1] == "V3").unwrap() + 1;
    let file = write_rows(&f, "veto.csv", &rows);
    let before = dump(&f);
    let r = f.run(&["visit", "import", &file, "--round", &round]);
    assert_eq!(r.code, 2);
    let at = format!("第 {v3_line} 行第 5 列（结论）");
    assert!(
        r.stderr.lines().any(|l| l.contains(&at) && l.contains("一票否决 V3 由检查项 C3.1 触发：请先将 C3.1 判为不符合")),
        "{}",
        r.stderr
    );
    assert_eq!(dump(&f), before);

    // With C3.1 不符合 the gate stands: the lowest grade and red, whatever the score.
    set(&mut rows, "C3.1", "结论", "不符合");
    finding(&mut rows, "C3.1", "支部党员大会半年未召开");
    let file = write_rows(&f, "veto.csv", &rows);
    f.run_ok(&["visit", "import", &file, "--round", &round]);
    let shown = json(&f.run_ok(&["round", "show", &round, "--format", "json"]));
    let o = shown["organisations"].as_array().unwrap().iter().find(|o| o["code"] == VILLAGE).unwrap().clone();
    // 100 - C3.1's 3 points = 97, but the veto forces 未达标型 and red.
    assert_eq!((o["score"].as_f64(), o["grade"].as_str(), o["warning"].as_str()), (Some(97.0), Some("未达标型"), Some("红")), "{o}");
    let md = f.path("report.md");
    f.run_ok(&["export", "report", "--round", &round, "--org", VILLAGE, "--format", "md", "-o", md.to_str().unwrap()]);
    let report = std::fs::read_to_string(&md).unwrap();
    assert!(report.contains("一票否决：连续6个月以上未开展组织生活（由检查项 C3.1 触发；半年未开展组织生活）"), "{report}");

    // The item cannot leave 不符合 while its gate is set. The printed sheet carries the gate as
    // set (是, with its reason), so the refusal sits at the gate's row.
    let mut again = blank_sheet(&f, &round, VILLAGE);
    let verdict = col(&again, "结论");
    assert_eq!(row_of(&mut again, "V3")[verdict], "是");
    set(&mut again, "C3.1", "结论", "部分符合");
    let file = write_rows(&f, "again.csv", &again);
    let before = dump(&f);
    let r = f.run(&["visit", "import", &file, "--round", &round]);
    assert_eq!(r.code, 2);
    let at = format!("第 {v3_line} 行第 5 列（结论）");
    assert!(r.stderr.lines().any(|l| l.contains(&at) && l.contains("请先将 C3.1 判为不符合")), "{}", r.stderr);
    // With the V3 row left blank (the gate left as it is), the refusal sits at the item's row.
    row_of(&mut again, "V3")[verdict] = String::new();
    let c3_1 = again.iter().position(|r| r[1] == "C3.1").unwrap() + 1;
    let file = write_rows(&f, "again.csv", &again);
    let r = f.run(&["visit", "import", &file, "--round", &round]);
    assert_eq!(r.code, 2);
    let at = format!("第 {c3_1} 行第 5 列（结论）");
    assert!(r.stderr.lines().any(|l| l.contains(&at) && l.contains("请先将 C3.1 判为不符合")), "{}", r.stderr);
    assert_eq!(dump(&f), before);
}
