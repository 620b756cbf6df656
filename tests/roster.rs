//! Roster import through the binary: the encodings and formats Excel and WPS save, goldens of the
//! stored tree, every bad row reported with line and column, and the store unchanged on error.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Folder, dump, fixture};

fn import(f: &Folder, file: &str) -> common::Run {
    f.run(&["org", "import", fixture(file).to_str().unwrap()])
}

#[test]
fn utf8_bom_and_gb18030_rosters_store_the_same_tree() {
    let mut dumps = Vec::new();
    for file in ["roster/roster.csv", "roster/roster-bom.csv", "roster/roster-gb18030.csv"] {
        let f = Folder::new();
        let r = import(&f, file);
        assert_eq!(r.code, 0, "{file}: {}", r.stderr);
        assert!(r.stdout.contains("新增 11"), "{file}: {}", r.stdout);
        let orgs = f.run_ok(&["org", "list", "--format", "csv"]);
        dumps.push(orgs);
    }
    assert_eq!(dumps[0], dumps[1]);
    assert_eq!(dumps[0], dumps[2]);
    insta::assert_snapshot!("roster-as-listed", dumps[0]);
}

#[test]
fn the_listed_tree_is_indented_by_depth_and_aligned() {
    let f = Folder::new();
    assert_eq!(import(&f, "roster/roster.csv").code, 0);
    insta::assert_snapshot!("roster-tree", f.run_ok(&["org", "list"]));
    insta::assert_snapshot!("roster-subtree", f.run_ok(&["org", "list", "--under", "230102"]));
    let json: serde_json::Value = serde_json::from_str(&f.run_ok(&["org", "list", "--under", "23010101", "--format", "json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert_eq!(json[1]["field"], "农村", "the branch inherited its village's field");
    assert_eq!(json[1]["members"], 36);
    let r = f.run(&["org", "list", "--under", "NOPE"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("NOPE"), "{}", r.stderr);
}

#[test]
fn english_headers_and_words_are_accepted_and_extra_columns_named() {
    let f = Folder::new();
    let r = import(&f, "roster/roster-english.csv");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Remarks"), "ignored columns are named: {}", r.stdout);
    let json: serde_json::Value = serde_json::from_str(&f.run_ok(&["org", "list", "--format", "json"])).unwrap();
    let levels: Vec<&str> = json.as_array().unwrap().iter().map(|o| o["level"].as_str().unwrap()).collect();
    assert_eq!(levels, vec!["市", "县", "村", "党支部"]);
    assert_eq!(json[3]["field"], "农村");
}

#[test]
fn xlsx_saved_from_excel_imports_with_numeric_cells() {
    let f = Folder::new();
    let path = f.path("roster.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let header = ["编码", "名称", "上级编码", "层级", "领域", "书记", "党员数"];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    // Codes and counts typed as numbers, as people do in Excel.
    ws.write_number(1, 0, 23.0).unwrap();
    ws.write_string(1, 1, "清河市").unwrap();
    ws.write_string(1, 3, "市").unwrap();
    ws.write_number(2, 0, 2301.0).unwrap();
    ws.write_string(2, 1, "东山县红旗村党支部").unwrap();
    ws.write_number(2, 2, 23.0).unwrap();
    ws.write_string(2, 3, "党支部").unwrap();
    ws.write_string(2, 4, "农村").unwrap();
    ws.write_string(2, 5, "王建国").unwrap();
    ws.write_number(2, 6, 36.0).unwrap();
    wb.save(&path).unwrap();
    let r = f.run(&["org", "import", path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&f.run_ok(&["org", "list", "--format", "json"])).unwrap();
    assert_eq!(json[1]["code"], "2301");
    assert_eq!(json[1]["parent"], "23");
    assert_eq!(json[1]["members"], 36);
    assert_eq!(json[1]["secretary"], "王建国");
}

#[test]
fn xlsx_bad_rows_are_reported_with_excel_row_numbers() {
    let f = Folder::new();
    let path = f.path("bad.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["编码", "名称", "上级编码", "层级"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "A").unwrap();
    ws.write_string(1, 1, "甲").unwrap();
    ws.write_string(1, 3, "市").unwrap();
    ws.write_string(2, 0, "B").unwrap();
    ws.write_string(2, 1, "乙").unwrap();
    ws.write_string(2, 3, "星球").unwrap();
    wb.save(&path).unwrap();
    let r = f.run(&["org", "import", path.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("第 3 行第 4 列（层级）") && r.stderr.contains("星球"), "{}", r.stderr);
}

#[test]
fn every_bad_row_is_reported_and_nothing_changes() {
    let f = Folder::new();
    assert_eq!(import(&f, "roster/roster.csv").code, 0);
    let before = dump(&f);
    let r = import(&f, "roster/roster-bad.csv");
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    let text = r.stderr.replace(&format!("{}/", fixture("roster").display()), "");
    insta::assert_snapshot!("roster-bad-rows", text);
    assert_eq!(dump(&f), before, "a refused import changes nothing");
    let en = f.run(&["--lang", "en", "org", "import", fixture("roster/roster-bad.csv").to_str().unwrap()]);
    assert!(en.stderr.contains("line 5 column 3 (parent): parent code \"NOPE\""), "{}", en.stderr);
}

#[test]
fn bad_files_get_a_clear_error_and_change_nothing() {
    let f = Folder::new();
    f.run_ok(&["status"]);
    let before = dump(&f);
    for (file, expect) in [
        ("roster/roster-empty.csv", "是空的"),
        ("roster/roster-binary.dat", "不是 CSV 或 XLSX"),
        ("roster/roster-bad-encoding.csv", "的编码看起来是西欧 Latin-1，不是 UTF-8 或 GB18030（GBK）"),
        ("roster/roster-missing-columns.csv", "缺少列：编码, 上级编码（表头应包含：编码, 名称, 上级编码, 层级）"),
        ("roster/no-such-file.csv", "no-such-file.csv：文件不存在（"),
    ] {
        let r = import(&f, file);
        assert_eq!(r.code, 2, "{file}");
        assert!(r.stderr.contains(expect), "{file}: {}", r.stderr);
        assert!(r.stderr.contains(file.trim_start_matches("roster/")), "the file is named: {}", r.stderr);
    }
    assert_eq!(dump(&f), before);
}

#[test]
fn importing_again_changes_nothing_and_a_changed_row_updates() {
    let f = Folder::new();
    assert_eq!(import(&f, "roster/roster.csv").code, 0);
    let first = dump(&f);
    let r = import(&f, "roster/roster-gb18030.csv");
    assert!(r.stdout.contains("新增 0，更新 0，未变 11"), "{}", r.stdout);
    assert_eq!(dump(&f), first, "not even an audit entry is added");
    let changed = std::fs::read_to_string(fixture("roster/roster.csv")).unwrap().replace("王建国,36", "刘志强,38");
    let path = f.path("changed.csv");
    std::fs::write(&path, changed).unwrap();
    let r = f.run(&["org", "import", path.to_str().unwrap()]);
    assert!(r.stdout.contains("新增 0，更新 1，未变 10"), "{}", r.stdout);
    let json: serde_json::Value = serde_json::from_str(&f.run_ok(&["org", "list", "--under", "23010101D1", "--format", "json"])).unwrap();
    assert_eq!(json[0]["secretary"], "刘志强");
    assert_eq!(json[0]["members"], 38);
    f.run_ok(&["audit", "verify"]);
}

#[test]
fn a_listing_saved_as_csv_imports_again_unchanged() {
    let f = Folder::new();
    assert_eq!(import(&f, "roster/roster.csv").code, 0);
    let path = f.path("listed.csv");
    std::fs::write(&path, f.run_ok(&["org", "list", "--format", "csv"])).unwrap();
    let r = f.run(&["org", "import", path.to_str().unwrap()]);
    assert!(r.stdout.contains("未变 11"), "{}", r.stdout);
}
