//! The XLSX sheets people fill and send back, through the binary: the rectification list as the
//! follow-up template (exported, filled in a spreadsheet, imported), and the paper visit sheet as
//! XLSX (written with its title row and print setup, filled, imported with the same result as the
//! CSV). A filled copy is made as a spreadsheet saves one: read with calamine, cells changed,
//! written again with rust_xlsxwriter, the title row still above the header.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use calamine::{Reader, Xlsx, open_workbook};
use common::{Folder, dump, json};
use std::io::Read;
use std::path::Path;

/// The first sheet of an XLSX file as rows of text, from A1 (the title row first).
fn grid(path: &Path) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    assert_eq!(range.start(), Some((0, 0)), "the sheet starts at A1");
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

/// Writes rows as the first sheet of an XLSX file, every cell as text.
fn write_grid(path: &Path, rows: &[Vec<String>]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

fn zip_part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

/// The demo's town, a 2026Q4 round over it, and its rural branches (the same items for each).
fn round_and_branches(f: &Folder) -> (String, Vec<String>) {
    f.run_ok(&["demo", "--orgs", "300", "--seed", "3"]);
    let round = common::new_round(f, "2026Q4", "2026年第四季度第一轮督查");
    let shown = json(&f.run_ok(&["round", "show", &round, "--format", "json"]));
    let orgs = shown["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["field"] == "农村")
        .map(|o| o["code"].as_str().unwrap().to_string())
        .collect();
    (round, orgs)
}

/// The records of what a visit found: its results (verdicts, notes) and findings.
fn found(f: &Folder) -> Vec<String> {
    let kinds = ["{\"t\":\"results\"", "{\"t\":\"findings\""];
    dump(f).lines().filter(|l| kinds.iter().any(|k| l.starts_with(k))).map(str::to_string).collect()
}

fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

#[test]
fn the_list_is_the_follow_up_template_exported_filled_in_xlsx_and_imported() {
    let f = Folder::new();
    let (round, orgs) = round_and_branches(&f);
    common::fill_sheet(&f, &round, &orgs[0], &[("C1.3", "换届超期8个月"), ("C3.1", "本季度未开党员大会")], "王书记", true);
    common::approve_all(&f);

    let list = f.path("list.xlsx");
    f.run_ok(&["export", "rectification", "--quarter", "2026Q4", "--format", "xlsx", "-o", list.to_str().unwrap()]);
    let rows = grid(&list);
    assert_eq!(rows[0][0], "问题整改清单（2026年第四季度）　导出日期：2026-11-22", "the title row names the quarter and the day");
    assert_eq!((rows[1][0].as_str(), rows[1][1].as_str()), ("序号", "问题编号"), "the header under it");
    assert_eq!(rows.len(), 4, "title, header, two findings");
    assert!(zip_part(&list, "xl/workbook.xml").contains("_xlnm.Print_Titles"), "title and header on every page");

    // The list sent back unchanged changes nothing, title row and all.
    let before = dump(&f);
    let said = f.run_ok(&["rectify", "import", list.to_str().unwrap()]);
    assert!(said.contains("已更新 0 个问题，2 个未变"), "{said}");
    assert_eq!(dump(&f), before);

    // The follow-up team fills 整改状态, 整改进展, 整改措施 and 督促责任人 of the first finding.
    let mut filled = rows.clone();
    let header = filled[1].clone();
    let number = filled[2][col(&header, "问题编号")].clone();
    let first = &mut filled[2];
    first[col(&header, "整改状态")] = "整改中".into();
    first[col(&header, "整改进展")] = "已召开支委会研究整改方案".into();
    first[col(&header, "整改措施")] = "限期召开党员大会补选委员".into();
    first[col(&header, "督促责任人")] = "李督导".into();
    let back = f.path("filled.xlsx");
    write_grid(&back, &filled);
    let said = f.run_ok(&["rectify", "import", back.to_str().unwrap()]);
    assert!(said.contains("已更新 1 个问题，1 个未变"), "{said}");
    let said = f.run_ok(&["rectify", "import", back.to_str().unwrap()]);
    assert!(said.contains("已更新 0 个问题，2 个未变"), "the same file twice changes nothing: {said}");

    // The next export carries what was filled in.
    let again = f.path("again.xlsx");
    f.run_ok(&["export", "rectification", "--quarter", "2026Q4", "--format", "xlsx", "-o", again.to_str().unwrap()]);
    let rows = grid(&again);
    let row = rows.iter().find(|r| r[1] == number).unwrap();
    let cell = |name: &str| row[col(&rows[1], name)].as_str();
    assert_eq!(
        (cell("整改状态"), cell("整改进展"), cell("整改措施"), cell("督促责任人")),
        ("整改中", "已召开支委会研究整改方案", "限期召开党员大会补选委员", "李督导")
    );
    let other = rows.iter().skip(2).find(|r| r[1] != number).unwrap();
    assert_eq!(
        (other[col(&rows[1], "整改进展")].as_str(), other[col(&rows[1], "整改措施")].as_str(), other[col(&rows[1], "督促责任人")].as_str()),
        ("", "", ""),
        "empty where nothing was reported"
    );
}

/// Fills a sheet's rows (the header first): arrived, every check held, every item 符合 but C1.3,
/// 不符合 with a finding.
fn fill(rows: &mut [Vec<String>], arrival: &str) {
    common::fill_arrival(rows, arrival);
    let (verdict, desc, resp, deadline) =
        (common::col(rows, "结论"), common::col(rows, "问题描述"), common::col(rows, "责任人"), common::col(rows, "整改时限"));
    for r in common::item_rows(rows) {
        r[verdict] = "符合".into();
        if r[1] == "C1.3" {
            r[verdict] = "不符合".into();
            r[desc] = "换届超期8个月".into();
            r[resp] = "王书记".into();
            r[deadline] = common::DEADLINE.into();
        }
    }
}

#[test]
fn the_visit_sheet_as_xlsx_prints_on_a4_and_reads_back_as_the_csv_does() {
    let f = Folder::new();
    let (round, orgs) = round_and_branches(&f);
    let (a, b) = (&orgs[0], &orgs[1]);
    let name = json(&f.run_ok(&["round", "show", &round, "--format", "json"]))["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == a.as_str())
        .unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string();

    // Chosen by the file's name; the same rows as the CSV under a title row.
    let sheet = f.path("a.xlsx");
    let said = f.run_ok(&["visit", "sheet", "--round", &round, "--org", a, "-o", sheet.to_str().unwrap()]);
    assert!(said.contains("已写出检查表"), "{said}");
    let rows = grid(&sheet);
    assert_eq!(rows[0][0], format!("检查表：2026年第四季度第一轮督查　{name}（{a}）　导出日期：2026-11-22"));
    let csv = common::blank_sheet(&f, &round, a);
    assert_eq!(rows[1..], csv[..], "the same header and rows as the CSV");
    let part = zip_part(&sheet, "xl/worksheets/sheet1.xml");
    for attr in [r#"paperSize="9""#, r#"orientation="landscape""#, r#"fitToHeight="0""#, r#"state="frozen""#, r#"<mergeCell ref="A1:N1"/>"#]
    {
        assert!(part.contains(attr), "{attr} in the sheet");
    }
    assert!(zip_part(&sheet, "xl/workbook.xml").contains("$1:$2</definedName>"), "title and header repeated");
    assert!(zip_part(&sheet, "xl/styles.xml").contains(r#"wrapText="1""#), "the items' text wraps");

    // The blank sheet records nothing, as the blank CSV does (either marks its visit started).
    assert!(found(&f).is_empty());
    let said = f.run_ok(&["visit", "import", sheet.to_str().unwrap(), "--round", &round]);
    assert!(said.contains("已录入 0 个结论、0 个问题"), "{said}");
    let blank_csv = common::write_rows(&f, "blank-b.csv", &common::blank_sheet(&f, &round, b));
    assert_eq!(f.run_ok(&["visit", "import", &blank_csv, "--round", &round]), said);
    assert!(found(&f).is_empty(), "no verdict, note or finding from a blank sheet");

    // Filled in the xlsx for one branch, in the CSV for another: the same result.
    let arrival = common::arrival_in(&f, &round);
    let mut body = rows[1..].to_vec();
    fill(&mut body, &arrival);
    let filled = f.path("a-filled.xlsx");
    write_grid(&filled, &[vec![rows[0][0].clone()]].into_iter().chain(body).collect::<Vec<_>>());
    let from_xlsx = f.run_ok(&["visit", "import", filled.to_str().unwrap(), "--round", &round]);
    let mut csv_rows = common::blank_sheet(&f, &round, b);
    fill(&mut csv_rows, &arrival);
    let from_csv = f.run_ok(&["visit", "import", &common::write_rows(&f, "b.csv", &csv_rows), "--round", &round]);
    // A village branch: 55 items for every field and 3 of 领域重点 for 农村.
    assert!(from_xlsx.contains("已录入 58 个结论、1 个问题"), "{from_xlsx}");
    assert_eq!(from_xlsx, from_csv);
    assert!(found(&f).iter().any(|l| l.contains("换届超期8个月")), "the finding is among the records");
    let shown = json(&f.run_ok(&["round", "show", &round, "--format", "json"]));
    let figures = |code: &str| {
        let o = shown["organisations"].as_array().unwrap().iter().find(|o| o["code"] == code).unwrap();
        (o["answered"].clone(), o["score"].clone(), o["grade"].clone(), o["findings"].clone(), o["status"].clone())
    };
    assert_eq!(figures(a), figures(b), "the xlsx and the csv recorded the same visit");
    let findings = f.run_ok(&["finding", "list", "--format", "json"]);
    assert_eq!(json(&findings).as_array().unwrap().iter().filter(|x| x["description"] == "换届超期8个月").count(), 2, "{findings}");

    // --format wins over the name.
    let (x, c) = (f.path("x.sheet"), f.path("c.xlsx"));
    f.run_ok(&["visit", "sheet", "--round", &round, "--org", a, "--format", "xlsx", "-o", x.to_str().unwrap()]);
    f.run_ok(&["visit", "sheet", "--round", &round, "--org", a, "--format", "csv", "-o", c.to_str().unwrap()]);
    assert!(std::fs::read(&x).unwrap().starts_with(b"PK"), "xlsx asked for");
    assert!(std::fs::read(&c).unwrap().starts_with(b"\xEF\xBB\xBF"), "csv asked for");
}
