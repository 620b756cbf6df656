//! Rounds, the paper sheet and findings through the binary.

mod common;

use common::{Folder, dump, json};

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
        assert_eq!((o["status"].as_str(), o["score"].as_f64(), o["grade"].as_str()), (Some("未开始"), Some(100.0), Some("标杆型")));
        assert_eq!(o["applicable"], 52, "rural branches get 四议两公开 too");
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
    let path = f.path("sheet.csv");
    f.run_ok(&["visit", "sheet", "--round", &id, "--org", &org, "-o", path.to_str().unwrap()]);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM, so Excel reads the Chinese");
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
    let rows: Vec<Vec<String>> = rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    assert_eq!(rows[0][..5], ["组织编码", "检查项编号", "检查内容", "分值", "结论"]);
    (id, org, rows)
}

fn write_sheet(f: &Folder, name: &str, rows: &[Vec<String>]) -> String {
    let path = f.path(name);
    let mut w = csv::Writer::from_path(&path).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    path.display().to_string()
}

#[test]
fn a_filled_paper_sheet_is_recorded_and_submitted() {
    let f = seeded();
    let (id, org, mut rows) = round_and_sheet(&f);
    for r in rows.iter_mut().skip(1) {
        r[4] = "符合".into();
    }
    rows[3][4] = "不符合".into();
    rows[3][5] = "换届材料不全".into();
    rows[3][6] = "上次换届已超期8个月".into();
    rows[3][8] = "年底前完成换届".into();
    rows[3][9] = "王建国".into();
    rows[3][10] = "2099-12-31".into();
    let file = write_sheet(&f, "filled.csv", &rows);
    let out = f.run_ok(&["visit", "import", &file, "--round", &id, "--submit"]);
    assert!(out.contains(&format!("已录入 {} 个结论、1 个问题", rows.len() - 1)), "{out}");
    assert!(out.contains(&org), "submitted: {out}");
    let findings = json(&f.run_ok(&["finding", "list", "--round", &id, "--org", &org, "--format", "json"]));
    assert_eq!(findings[0]["description"], "上次换届已超期8个月");
    assert_eq!(findings[0]["deadline"], "2099-12-31");
    assert_eq!(findings[0]["severity"], "较重", "the item's default severity");
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
    rows[1][4] = "好".into();
    rows[2][1] = "C99".into();
    rows[3][6] = "台账不实".into();
    rows[3][10] = "2020-01-01".into();
    rows[4][0] = "NOPE".into();
    let file = write_sheet(&f, "bad.csv", &rows);
    let before = dump(&f);
    let r = f.run(&["visit", "import", &file, "--round", &id]);
    assert_eq!(r.code, 2);
    for expected in ["第 2 行第 5 列（结论）", "第 3 行第 2 列（检查项编号）", "第 4 行第 11 列（整改时限）", "第 5 行第 1 列（组织编码）"]
    {
        assert!(r.stderr.contains(expected), "{expected}: {}", r.stderr);
    }
    assert_eq!(dump(&f), before);
}

#[test]
fn an_unfinished_sheet_is_recorded_but_not_submitted() {
    let f = seeded();
    let (id, org, mut rows) = round_and_sheet(&f);
    rows[1][4] = "符合".into();
    let file = write_sheet(&f, "part.csv", &rows);
    let out = f.run_ok(&["visit", "import", &file, "--round", &id, "--submit"]);
    assert!(!out.contains("已提交"), "{out}");
    let shown = json(&f.run_ok(&["round", "show", &id, "--format", "json"]));
    let o = shown["organisations"].as_array().unwrap().iter().find(|o| o["code"] == org.as_str()).unwrap().clone();
    assert_eq!((o["status"].as_str(), o["answered"].as_u64()), (Some("检查中"), Some(1)));
}
