//! Rounds, the paper sheet and findings through the binary.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{DEADLINE, Folder, blank_sheet, col, dump, fill_arrival, item_rows, json, row_of, write_rows};

fn seeded() -> Folder {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "400", "--seed", "5"]);
    f
}

#[test]
fn a_round_needs_a_scope_and_a_known_template() {
    let f = seeded();
    let r = f.run(&["round", "new"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--under") && r.stderr.contains("--sample"), "{}", r.stderr);
    let r = f.run(&["round", "new", "--under", "01", "--template", "nope"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("dangzhibu"), "{}", r.stderr);
    let r = f.run(&["round", "new", "--under", "01", "--quarter", "2026Q5"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("2026Q4"), "{}", r.stderr);
}

#[test]
fn subtree_rounds_cover_party_organisations_of_the_field() {
    let f = seeded();
    let out = f.run_ok(&["round", "new", "--under", "0101", "--field", "农村", "--quarter", "2026Q4"]);
    assert!(out.contains("2026年第四季度基层党建\"四不两直\"督查"), "the default title: {out}");
    let rounds = json(&f.run_ok(&["round", "list", "--format", "json"]));
    let id = rounds[0]["id"].as_str().unwrap();
    let shown = json(&f.run_ok(&["round", "show", &id[id.len() - 8..], "--format", "json"]));
    let orgs = shown["organisations"].as_array().unwrap();
    assert!(!orgs.is_empty());
    for o in orgs {
        assert_eq!(o["field"], "农村");
        assert!(o["code"].as_str().unwrap().starts_with("0101"));
        // Nobody has been there yet: no score, no grade, no warning (not 100 and 标杆型).
        assert_eq!(
            (o["status"].as_str(), &o["score"], &o["grade"], o["warning"].as_str()),
            (Some("未开始"), &json("null"), &json("null"), Some(""))
        );
        // 55 items for every field and 3 of 领域重点 for 农村 (四议两公开 among them).
        assert_eq!(o["applicable"], 58, "rural branches get 四议两公开 too");
    }
}

#[test]
fn a_sample_is_reproducible_from_its_rate_and_seed() {
    let pick = || {
        let f = seeded();
        f.run_ok(&["round", "new", "--sample", "20%", "--seed", "11"]);
        let rounds = json(&f.run_ok(&["round", "list", "--format", "json"]));
        assert_eq!(rounds[0]["scope"]["rate"], 0.2);
        assert_eq!(rounds[0]["scope"]["seed"], 11);
        let id = rounds[0]["id"].as_str().unwrap().to_string();
        let shown = json(&f.run_ok(&["round", "show", &id, "--format", "json"]));
        shown["organisations"].as_array().unwrap().iter().map(|o| o["code"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    let a = pick();
    assert_eq!(a, pick());
    assert!(a.len() > 10, "{}", a.len());
}

/// A round over one town, and the first organisation's blank sheet.
fn round_and_sheet(f: &Folder) -> (String, String, Vec<Vec<String>>) {
    f.run_ok(&["round", "new", "--under", "0101001", "--quarter", "2026Q4", "--title", "纸质检查表测试"]);
    let id = json(&f.run_ok(&["round", "list", "--format", "json"]))[0]["id"].as_str().unwrap().to_string();
    let org = json(&f.run_ok(&["round", "show", &id, "--format", "json"]))["organisations"][0]["code"].as_str().unwrap().to_string();
    let rows = blank_sheet(f, &id, &org);
    assert_eq!(rows[0][..5], ["组织编码", "检查项编号", "检查内容", "分值", "结论"]);
    for key in ["到达时间", "到达情况", "不发通知", "直插现场", "询问对象", "查阅资料", "C1.1", "V1", "其他"] {
        assert!(rows.iter().any(|r| r[1] == key), "the blank sheet has a {key} row");
    }
    (id, org, rows)
}

/// Sets the cell of column `name` in the row `key`.
fn set(rows: &mut [Vec<String>], key: &str, name: &str, value: &str) {
    let c = col(rows, name);
    row_of(rows, key)[c] = value.to_string();
}

/// Every item 符合, the arrival filled.
fn all_met(rows: &mut [Vec<String>]) {
    fill_arrival(rows, "2026-11-20 09:30");
    let verdict = col(rows, "结论");
    for r in item_rows(rows) {
        r[verdict] = "符合".into();
    }
}

#[test]
fn a_filled_paper_sheet_records_everything_the_screens_do() {
    let f = seeded();
    let (id, org, mut rows) = round_and_sheet(&f);
    all_met(&mut rows);
    set(&mut rows, "到达情况", "说明", "值班人员在岗");
    set(&mut rows, "不打招呼", "结论", "否");
    set(&mut rows, "询问对象", "说明", "书记王建国；党员李某");
    set(&mut rows, "查阅资料", "说明", "2026年会议记录本");
    set(&mut rows, "C1.3", "结论", "不符合");
    set(&mut rows, "C1.3", "说明", "换届材料不全");
    set(&mut rows, "C1.3", "问题描述", "上次换届已超期8个月");
    set(&mut rows, "C1.3", "整改类型", "限期整改");
    set(&mut rows, "C1.3", "整改要求", "年底前完成换届");
    set(&mut rows, "C1.3", "责任人", "王建国");
    set(&mut rows, "C1.3", "整改时限", DEADLINE);
    set(&mut rows, "C1.3", "佐证", "照片3；换届材料");
    set(&mut rows, "V1", "结论", "否");
    // A problem outside the checklist, fixed over the long term.
    set(&mut rows, "其他", "问题描述", "活动室被挪作仓库");
    set(&mut rows, "其他", "整改类型", "长期整改");
    let file = write_rows(&f, "filled.csv", &rows);
    let out = f.run_ok(&["visit", "import", &file, "--round", &id, "--submit"]);
    let items = rows.iter().skip(1).filter(|r| !r[3].is_empty()).count();
    assert!(out.contains(&format!("已录入 {items} 个结论、2 个问题")), "{out}");
    assert!(out.contains("已提交"), "submitted: {out}");
    let findings = json(&f.run_ok(&["finding", "list", "--round", &id, "--org", &org, "--format", "json"]));
    let on_item = findings.as_array().unwrap().iter().find(|x| x["item"] == "C1.3").unwrap();
    assert_eq!(
        (on_item["description"].as_str(), on_item["deadline"].as_str(), on_item["severity"].as_str(), on_item["rect_type"].as_str()),
        (Some("上次换届已超期8个月"), Some(DEADLINE), Some("较重"), Some("限期整改")),
        "the item's default severity"
    );
    assert_eq!(on_item["evidence"], json(r#"["照片3","换届材料"]"#));
    let other = findings.as_array().unwrap().iter().find(|x| x["item"].is_null()).unwrap();
    assert_eq!((other["description"].as_str(), other["rect_type"].as_str()), (Some("活动室被挪作仓库"), Some("长期整改")));
    // The arrival travels with every finding.
    let visit = &on_item["visit"];
    assert_eq!((visit["arrived_at"].as_str(), visit["arrival_state"].as_str()), (Some("2026-11-20T09:30:00"), Some("开门")));
    assert_eq!((visit["unannounced"]["不发通知"].as_bool(), visit["unannounced"]["不打招呼"].as_bool()), (Some(true), Some(false)));
    assert_eq!((visit["arrival_note"].as_str(), visit["interviewed"].as_str()), (Some("值班人员在岗"), Some("书记王建国；党员李某")));
    let shown = json(&f.run_ok(&["round", "show", &id, "--format", "json"]));
    let o = &shown["organisations"][0];
    assert_eq!((o["status"].as_str(), o["score"].as_f64(), o["warning"].as_str()), (Some("已提交"), Some(98.0), Some("蓝")));
    let table = f.run_ok(&["finding", "list"]);
    assert!(table.contains("上次换届已超期8个月") && table.contains("待整改"), "{table}");
    let r = f.run(&["visit", "import", &file, "--round", &id]);
    assert_eq!(r.code, 2, "a submitted visit cannot be changed");
    assert_eq!(r.stderr.matches("已提交").count(), 1, "one error for the organisation, not one a row: {}", r.stderr);
}

#[test]
fn a_bad_sheet_names_every_bad_cell_and_records_nothing() {
    let f = seeded();
    let (id, _, mut rows) = round_and_sheet(&f);
    let line = |rows: &[Vec<String>], key: &str| rows.iter().position(|r| r[1] == key).unwrap() + 1;
    set(&mut rows, "到达时间", "结论", "2026-12-01 09:00");
    set(&mut rows, "到达情况", "结论", "半开");
    set(&mut rows, "C1.1", "结论", "好");
    set(&mut rows, "C1.3", "问题描述", "台账不实");
    set(&mut rows, "C1.3", "整改时限", "2020-01-01");
    set(&mut rows, "C1.4", "结论", "符合");
    set(&mut rows, "C1.4", "问题描述", "委员出缺");
    set(&mut rows, "C2.1", "问题描述", "重大事项未集体研究");
    set(&mut rows, "C2.1", "整改时限", "2030-01-01");
    set(&mut rows, "C2.2", "问题描述", "书记说不清党员数");
    set(&mut rows, "C2.2", "整改类型", "马上改");
    set(&mut rows, "V2", "结论", "是");
    let c2_3 = line(&rows, "C2.3") - 1;
    rows[c2_3][1] = "C99".into();
    let c3_1 = line(&rows, "C3.1") - 1;
    rows[c3_1][0] = "NOPE".into();
    // One row per item: a second C1.1 row.
    let dup = row_of(&mut rows, "C1.2").clone();
    rows.push(dup);
    let expected = [
        (line(&rows, "到达时间"), 5, "结论", "晚于现在"),
        (line(&rows, "到达情况"), 5, "结论", "半开"),
        (line(&rows, "C1.1"), 5, "结论", "好"),
        (line(&rows, "C1.3"), 12, "整改时限", "早于今天"),
        (line(&rows, "C1.4"), 5, "结论", "结论为\"符合\"却填了问题描述"),
        (line(&rows, "C2.1"), 12, "整改时限", "超过两年"),
        (line(&rows, "C2.2"), 9, "整改类型", "马上改"),
        (line(&rows, "V2"), 6, "说明", "请填写原因"),
        (c2_3 + 1, 2, "检查项编号", "C99"),
        (c3_1 + 1, 1, "组织编码", "NOPE"),
        (rows.len(), 2, "检查项编号", "每个检查项只能有一行"),
    ];
    let file = write_rows(&f, "bad.csv", &rows);
    let before = dump(&f);
    let r = f.run(&["visit", "import", &file, "--round", &id]);
    assert_eq!(r.code, 2);
    for (line, col, name, why) in expected {
        let at = format!("第 {line} 行第 {col} 列（{name}）");
        let found = r.stderr.lines().find(|l| l.contains(&at)).unwrap_or_else(|| panic!("{at}: {}", r.stderr));
        assert!(found.contains(why), "{at} should say {why}: {found}");
    }
    assert_eq!(dump(&f), before);
}

#[test]
fn submitting_needs_every_verdict_a_finding_for_each_failure_and_the_arrival() {
    let f = seeded();
    let (id, org, mut rows) = round_and_sheet(&f);
    set(&mut rows, "C1.1", "结论", "符合");
    let part = write_rows(&f, "part.csv", &rows);
    let before = dump(&f);
    let r = f.run(&["visit", "import", &part, "--round", &id, "--submit"]);
    assert_eq!(r.code, 2, "with --submit the whole visit must be ready");
    assert!(
        r.stderr.contains("个检查项未作结论") && r.stderr.contains("未填到达时间") && r.stderr.contains("未填到达情况"),
        "{}",
        r.stderr
    );
    assert_eq!(dump(&f), before, "refused whole");
    // Without --submit the answered rows are recorded.
    f.run_ok(&["visit", "import", &part, "--round", &id]);
    let shown = json(&f.run_ok(&["round", "show", &id, "--format", "json"]));
    let o = shown["organisations"].as_array().unwrap().iter().find(|o| o["code"] == org.as_str()).unwrap().clone();
    assert_eq!((o["status"].as_str(), o["answered"].as_u64()), (Some("检查中"), Some(1)));

    // Everything answered, but 不符合 without a finding and 部分符合 with neither finding nor note.
    all_met(&mut rows);
    set(&mut rows, "C3.1", "结论", "不符合");
    set(&mut rows, "C3.2", "结论", "部分符合");
    let gaps = write_rows(&f, "gaps.csv", &rows);
    let r = f.run(&["visit", "import", &gaps, "--round", &id, "--submit"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("1 个不符合的检查项没有记录问题（C3.1）"), "{}", r.stderr);
    assert!(r.stderr.contains("1 个部分符合的检查项既无问题也无说明（C3.2）"), "{}", r.stderr);
    // A note is enough for 部分符合; a finding for 不符合.
    set(&mut rows, "C3.2", "说明", "党小组会记录缺两次");
    set(&mut rows, "C3.1", "问题描述", "本季度未开党员大会");
    set(&mut rows, "C3.1", "整改时限", DEADLINE);
    let ready = write_rows(&f, "ready.csv", &rows);
    assert!(f.run_ok(&["visit", "import", &ready, "--round", &id, "--submit"]).contains("已提交"));
}

#[test]
fn a_verdict_never_denies_a_recorded_finding() {
    let f = seeded();
    let (id, org, mut rows) = round_and_sheet(&f);
    set(&mut rows, "C1.3", "问题描述", "换届超期");
    set(&mut rows, "C1.3", "整改时限", DEADLINE);
    let first = write_rows(&f, "first.csv", &rows);
    f.run_ok(&["visit", "import", &first, "--round", &id]);
    // A described finding with no verdict makes the item 不符合.
    let shown = json(&f.run_ok(&["round", "show", &id, "--format", "json"]));
    let o = shown["organisations"].as_array().unwrap().iter().find(|o| o["code"] == org.as_str()).unwrap().clone();
    assert_eq!(o["answered"].as_u64(), Some(1));
    let mut again = blank_sheet(&f, &id, &org);
    set(&mut again, "C1.3", "结论", "符合");
    let second = write_rows(&f, "second.csv", &again);
    let before = dump(&f);
    let r = f.run(&["visit", "import", &second, "--round", &id]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("检查项 C1.3 有 1 个问题，结论不能改为符合"), "{}", r.stderr);
    assert_eq!(dump(&f), before);
}

#[test]
fn the_sheet_carries_the_arrival_already_recorded_and_reads_back_unchanged() {
    let f = seeded();
    let (id, org, mut rows) = round_and_sheet(&f);
    fill_arrival(&mut rows, "2026-11-20 09:30");
    set(&mut rows, "到达情况", "说明", "值班人员在岗");
    set(&mut rows, "询问对象", "说明", "书记王建国");
    set(&mut rows, "V3", "结论", "是");
    set(&mut rows, "V3", "说明", "半年未开展组织生活");
    // The gate stands on the item that triggers it, C3.1, answered 不符合.
    set(&mut rows, "C3.1", "结论", "不符合");
    let file = write_rows(&f, "arrival.csv", &rows);
    f.run_ok(&["visit", "import", &file, "--round", &id]);
    let mut again = blank_sheet(&f, &id, &org);
    let (verdict, note) = (col(&again, "结论"), col(&again, "说明"));
    assert_eq!(row_of(&mut again, "到达时间")[verdict], "2026-11-20 09:30");
    let state = row_of(&mut again, "到达情况").clone();
    assert_eq!((state[verdict].as_str(), state[note].as_str()), ("开门", "值班人员在岗"));
    assert_eq!(row_of(&mut again, "直插现场")[verdict], "是");
    assert_eq!(row_of(&mut again, "询问对象")[note], "书记王建国");
    let veto = row_of(&mut again, "V3").clone();
    assert_eq!((veto[verdict].as_str(), veto[note].as_str()), ("是", "半年未开展组织生活"));
    let before = dump(&f);
    let back = write_rows(&f, "back.csv", &again);
    f.run_ok(&["visit", "import", &back, "--round", &id]);
    assert_eq!(dump(&f), before, "the printed sheet imported as it is changes nothing");
}
