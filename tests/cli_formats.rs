//! Every `--format` through the binary: each command's help lists exactly the formats it accepts,
//! each listed format works (JSON parses, CSV is rows with the header's columns and no cell a
//! spreadsheet would run, files are what their format says), and a format a command does not
//! take is refused by the parser.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Folder, json};

/// The formats `xuncha ARGS --help` lists for --format (English, as clap prints them).
fn listed_formats(f: &Folder, args: &[&str]) -> Vec<String> {
    let mut a = vec!["--lang", "en"];
    a.extend_from_slice(args);
    a.push("--help");
    let help = f.run_ok(&a);
    let line = help.lines().find(|l| l.trim_start().starts_with("--format")).unwrap_or_else(|| panic!("{args:?}: {help}"));
    let values = line.split("[possible values: ").nth(1).unwrap_or_else(|| panic!("{line}"));
    values.trim_end_matches(']').split(", ").map(str::to_string).collect()
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

/// CSV rows, all as wide as the header, at least `min_rows` below it, no cell starting like a
/// formula.
fn check_csv(what: &str, text: &str, min_rows: usize) -> Vec<Vec<String>> {
    let rows = csv_rows(text);
    assert!(rows.len() > min_rows, "{what}: {} rows: {text}", rows.len());
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r.len(), rows[0].len(), "{what}: row {i} has {} cells, the header {}: {text}", r.len(), rows[0].len());
        for c in r {
            assert!(!c.starts_with(['=', '+', '-', '@', '\t', '\r']), "{what}: row {i} cell {c:?} starts like a formula");
        }
    }
    rows
}

/// A roster whose names and texts start like formulas, a round over it with such a title, one
/// visit submitted with such a finding and one approved: every listing has rows to show.
fn scenario() -> (Folder, String) {
    let f = Folder::new();
    let roster = f.path("roster.csv");
    std::fs::write(
        &roster,
        "编码,名称,上级编码,层级,领域,书记,党员数\n\
         23,清河市,,市,,,\n\
         2301,东山县,23,县,,,\n\
         230101,城关镇,2301,镇,,,\n\
         23010101,@红旗村,230101,村,农村,,\n\
         23010101D1,=红旗村党支部,23010101,党支部,,-王建国,36\n\
         23010102,向阳村,230101,村,农村,,\n\
         23010102D1,+向阳村党支部,23010102,党支部,,李四,20\n",
    )
    .unwrap();
    f.run_ok(&["org", "import", roster.to_str().unwrap()]);
    f.run_ok(&["round", "new", "--under", "230101", "--quarter", "2026Q4", "--title", "=2026Q4督查"]);
    let round = json(&f.run_ok(&["round", "list", "--format", "json"]))[0]["id"].as_str().unwrap().to_string();
    common::fill_sheet(&f, &round, "23010101D1", &[("C1.3", "-换届超期8个月")], "-王建国", true);
    common::approve_all(&f);
    common::fill_sheet(&f, &round, "23010102D1", &[("C3.1", "@本季度未开党员大会")], "李四", true);
    (f, round)
}

#[test]
fn every_listing_prints_each_format_its_help_lists() {
    let (f, round) = scenario();
    let listings: [(&[&str], &[&str], usize); 9] = [
        (&["template", "list"], &["table", "json", "csv"], 1),
        (&["template", "show", "dangzhibu"], &["table", "json"], 0),
        (&["org", "list"], &["table", "json", "csv"], 7),
        (&["round", "list"], &["table", "json", "csv"], 1),
        (&["round", "show", &round], &["table", "json", "csv"], 2),
        (&["finding", "list"], &["table", "json", "csv"], 2),
        (&["review", "list"], &["table", "json", "csv"], 1),
        (&["audit", "log"], &["table", "json", "csv"], 5),
        // The approved finding (deadline 2027-12-31) is 61 days over on 2028-03-01.
        (&["rectify", "due", "--as-of", "2028-03-01"], &["table", "json", "csv"], 1),
    ];
    for (args, expected, min_rows) in listings {
        assert_eq!(listed_formats(&f, args), *expected, "{args:?} --help lists exactly what it accepts");
        for format in expected {
            let mut a = args.to_vec();
            a.extend_from_slice(&["--format", format]);
            let out = f.run_ok(&a);
            let what = format!("{a:?}");
            match *format {
                "json" => {
                    let v = json(&out);
                    assert!(v.is_array() || v.is_object(), "{what}: {out}");
                }
                "csv" => {
                    check_csv(&what, &out, min_rows);
                }
                _ => {
                    assert!(!out.trim().is_empty() && !out.trim_start().starts_with(['{', '[']), "{what}: {out}");
                    assert!(serde_json::from_str::<serde_json::Value>(&out).is_err(), "{what} is not JSON");
                }
            }
        }
    }
}

#[test]
fn round_list_and_show_print_csv_not_a_table() {
    let (f, round) = scenario();
    let rounds = check_csv("round list", &f.run_ok(&["round", "list", "--format", "csv"]), 1);
    assert_eq!(rounds[0], ["编号", "标题", "季度", "检查模板", "组织", "已答", "应答", "已提交"]);
    assert_eq!(rounds[1][0], round, "the full id, which every command accepts");
    assert_eq!(rounds[1][1], "'=2026Q4督查", "the title is guarded");
    // Two village branches, each asked 55 items every field has and 3 of 领域重点 for 农村.
    assert_eq!(&rounds[1][5..], ["116", "116", "2"], "progress as numbers a spreadsheet keeps: {:?}", rounds[1]);

    let shown = check_csv("round show", &f.run_ok(&["round", "show", &round, "--format", "csv"]), 2);
    assert_eq!(shown[0], ["编码", "名称", "地区", "领域", "状态", "已答", "应答", "问题", "得分", "等次", "预警", "一票否决"]);
    let red = shown.iter().find(|r| r[0] == "23010101D1").unwrap();
    assert_eq!(red[1], "'=红旗村党支部");
    assert_eq!((red[4].as_str(), red[5].as_str(), red[6].as_str(), red[7].as_str()), ("已通过", "58", "58", "1"), "{red:?}");
    assert!(red[8].parse::<f64>().is_ok(), "a score is a number: {red:?}");
    // The same figures as the JSON.
    let j = json(&f.run_ok(&["round", "show", &round, "--format", "json"]));
    let o = j["organisations"].as_array().unwrap().iter().find(|o| o["code"] == "23010101D1").unwrap();
    assert_eq!(format!("{:.1}", o["score"].as_f64().unwrap()), red[8]);
    assert_eq!(o["grade"].as_str().unwrap(), red[9]);

    // In English the header is English.
    let en = csv_rows(&f.run_ok(&["--lang", "en", "round", "list", "--format", "csv"]));
    assert_eq!(en[0][0], "id");

    // review list and audit log: whole times, whole changes.
    let queue = check_csv("review list", &f.run_ok(&["review", "list", "--format", "csv"]), 1);
    assert_eq!(queue.len(), 2, "the one submitted visit: {queue:?}");
    assert_eq!(queue[1][1], "'+向阳村党支部");
    assert_eq!(queue[1][4], "2026-11-22 10:00");
    let log = check_csv("audit log", &f.run_ok(&["audit", "log", "--format", "csv"]), 5);
    assert!(log.iter().all(|r| !r[5].ends_with('…')), "the csv keeps every change whole");
}

#[test]
fn every_export_writes_each_format_its_help_lists() {
    let (f, _) = scenario();
    let exports: [(&[&str], &[&str]); 2] = [
        (&["export", "rectification"], &["xlsx", "csv", "json", "md"]),
        (&["export", "bulletin", "--quarter", "2026Q4"], &["docx", "json", "md", "html"]),
    ];
    for (args, expected) in exports {
        assert_eq!(listed_formats(&f, args), *expected, "{args:?} --help lists exactly what it accepts");
        for format in expected {
            let path = f.path(&format!("out.{format}"));
            let mut a = args.to_vec();
            a.extend_from_slice(&["--format", format, "-o", path.to_str().unwrap()]);
            f.run_ok(&a);
            let bytes = std::fs::read(&path).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            let bulletin = args[1] == "bulletin";
            match *format {
                "xlsx" | "docx" => assert!(bytes.starts_with(b"PK"), "a zip"),
                "json" if bulletin => assert_eq!(json(&text)["schema"], "xuncha.bulletin/1", "{text}"),
                "csv" => {
                    let rows = check_csv("rectification csv", &text, 1);
                    assert!(rows[0].contains(&"问题编号".to_string()));
                }
                "json" => assert_eq!(json(&text)["schema"], "xuncha.rectification/1", "{text}"),
                "md" => assert!(text.contains("| ") && text.starts_with('#'), "{text}"),
                "html" => assert!(text.contains("<html") && text.contains("</html>"), "{text}"),
                _ => unreachable!(),
            }
        }
    }
}

#[test]
fn the_visit_sheet_writes_each_format_its_help_lists() {
    let (f, round) = scenario();
    let args = ["visit", "sheet", "--round", &round, "--org", "23010101D1"];
    assert_eq!(listed_formats(&f, &args), ["csv", "xlsx"], "visit sheet --help lists exactly what it accepts");
    for format in ["csv", "xlsx"] {
        let path = f.path(&format!("sheet-{format}.out"));
        let mut a = args.to_vec();
        a.extend_from_slice(&["--format", format, "-o", path.to_str().unwrap()]);
        f.run_ok(&a);
        let bytes = std::fs::read(&path).unwrap();
        match format {
            "csv" => {
                let rows = check_csv("visit sheet csv", &String::from_utf8(bytes).unwrap(), 10);
                assert_eq!(rows[0][0], "组织编码");
            }
            _ => assert!(bytes.starts_with(b"PK"), "a zip"),
        }
    }
}

#[test]
fn a_format_a_command_does_not_take_is_refused_by_the_parser() {
    let f = Folder::new();
    let out = f.path("x");
    let o = out.to_str().unwrap();
    for args in [
        vec!["template", "show", "dangzhibu", "--format", "csv"],
        vec!["round", "list", "--format", "md"],
        vec!["export", "rectification", "--format", "html", "-o", o],
        vec!["export", "bulletin", "--quarter", "2026Q4", "--format", "csv", "-o", o],
        vec!["export", "bulletin", "--quarter", "2026Q4", "--format", "xlsx", "-o", o],
        vec!["visit", "sheet", "--round", "x", "--org", "y", "--format", "json", "-o", o],
    ] {
        let r = f.run(&args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stderr.contains("invalid value"), "{args:?}: {}", r.stderr);
        assert!(!out.exists(), "{args:?} wrote nothing");
    }
}
