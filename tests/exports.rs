//! The rectification list and the bulletin through the binary: golden exports, xlsx read back
//! with calamine, follow-up imports (every error class, the status machine, idempotence), and
//! bulletin figures checked against a scenario computed by hand.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use calamine::{Reader, Xlsx, open_workbook};
use common::{Folder, dump, json};

fn new_round(f: &Folder, quarter: &str) -> String {
    common::new_round(f, quarter, &format!("{quarter}督查"))
}

/// Answers an organisation's sheet (all 符合 but `fail`, each with a finding) and submits it.
fn fill(f: &Folder, round: &str, org: &str, fail: &[(&str, &str)]) {
    common::fill_sheet(f, round, org, fail, "王书记", true);
}

/// Two quarters at one town: Q3 A fails C1.3 and C3.1, B fails C6.1; Q4 A fails C1.3 again and
/// C9.3, C passes everything. All approved.
fn scenario() -> (Folder, Vec<String>) {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "300", "--seed", "3"]);
    let r3 = new_round(&f, "2026Q3");
    let shown = json(&f.run_ok(&["round", "show", &r3, "--format", "json"]));
    // Rural branches: the same 58 items for each.
    let orgs: Vec<String> = shown["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["field"] == "农村")
        .map(|o| o["code"].as_str().unwrap().to_string())
        .collect();
    let (a, b, c) = (&orgs[0], &orgs[1], &orgs[2]);
    fill(&f, &r3, a, &[("C1.3", "换届超期8个月"), ("C3.1", "本季度未开党员大会")]);
    fill(&f, &r3, b, &[("C6.1", "党费未按月交纳")]);
    common::approve_all(&f);
    let r4 = new_round(&f, "2026Q4");
    fill(&f, &r4, a, &[("C1.3", "换届仍未完成"), ("C9.3", "党员作用发挥不明显")]);
    fill(&f, &r4, c, &[]);
    common::approve_all(&f);
    (f, vec![a.clone(), b.clone(), c.clone()])
}

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

#[test]
fn the_list_in_every_format() {
    let (f, _) = scenario();
    let out = f.path("list.csv");
    f.run_ok(&["export", "rectification", "--format", "csv", "-o", out.to_str().unwrap()]);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    // The inspection date is today's; the snapshot holds the rest byte for byte.
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap().replace(&today(), "<today>");
    insta::assert_snapshot!("rectification-csv", text);

    let md = f.path("list.md");
    f.run_ok(&["export", "rectification", "--quarter", "2026Q4", "--format", "md", "-o", md.to_str().unwrap()]);
    insta::assert_snapshot!("rectification-md", std::fs::read_to_string(&md).unwrap().replace(&today(), "<today>"));

    let js = f.path("list.json");
    f.run_ok(&["export", "rectification", "--format", "json", "-o", js.to_str().unwrap()]);
    let doc = json(&std::fs::read_to_string(&js).unwrap());
    assert_eq!(doc["schema"], "xuncha.rectification/1");
    assert_eq!(doc["count"], 5);
    let repeat = doc["rows"].as_array().unwrap().iter().find(|r| r["number"] == "2026Q4-0001").unwrap();
    assert_eq!((repeat["repeat"].as_bool(), repeat["repeat_of"].as_str()), (Some(true), Some("2026Q3-0001")));
    assert!(repeat["id"].as_str().unwrap().len() == 36, "stable ids");
    // The chain's head travels with the list: the sending store can prove nothing before it changed.
    let (seq, hash) = (doc["audit_head"]["seq"].as_u64().unwrap(), doc["audit_head"]["hash"].as_str().unwrap());
    assert!(seq > 0 && hash.len() == 64, "{}", doc["audit_head"]);
    assert!(f.run_ok(&["audit", "verify", "--head", &format!("{seq}:{hash}")]).contains("审计链完整"));

    let xl = f.path("list.xlsx");
    f.run_ok(&["export", "rectification", "--format", "xlsx", "-o", xl.to_str().unwrap()]);
    let mut wb: Xlsx<_> = open_workbook(&xl).unwrap();
    assert_eq!(wb.sheet_names(), vec!["整改清单".to_string(), "统计".to_string()]);
    let sheet = wb.worksheet_range("整改清单").unwrap();
    assert_eq!(sheet.height(), 7, "the title, the header and five rows");
    assert_eq!(sheet.get_value((0, 0)).unwrap().to_string(), "问题整改清单（2026Q3督查、2026Q4督查）　导出日期：2026-11-22");
    assert_eq!(sheet.get_value((1, 1)).unwrap().to_string(), "问题编号");
    assert_eq!(sheet.get_value((1, 28)).unwrap().to_string(), "备注");
    assert_eq!(sheet.get_value((2, 10)).unwrap().to_string(), "换届超期8个月");
    let stats = wb.worksheet_range("统计").unwrap();
    let cells: Vec<String> = stats.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("|")).collect();
    assert!(cells.contains(&"待整改|5".to_string()), "{cells:?}");
    assert!(cells.contains(&"较重|4".to_string()) && cells.contains(&"合计|5".to_string()), "{cells:?}");

    // Filters: quarter, severity, status; html is not a list format.
    let count = |args: &[&str]| -> usize {
        let p = f.path("f.json");
        let mut a = vec!["export", "rectification", "--format", "json", "-o", p.to_str().unwrap()];
        a.extend_from_slice(args);
        f.run_ok(&a);
        json(&std::fs::read_to_string(&p).unwrap())["count"].as_u64().unwrap() as usize
    };
    assert_eq!(count(&["--quarter", "2026Q3"]), 3);
    assert_eq!(count(&["--severity", "较重"]), 4);
    assert_eq!(count(&["--status", "已销号"]), 0);
    assert_eq!(count(&["--area", "0101001", "--field", "农村"]), 5);
    assert_eq!(count(&["--area", "0102"]), 0);
    let r = f.run(&["export", "rectification", "--format", "html", "-o", f.path("x.html").to_str().unwrap()]);
    assert_eq!(r.code, 2);
}

fn write_csv(f: &Folder, name: &str, rows: &[&[&str]]) -> String {
    let p = f.path(name);
    let mut w = csv::Writer::from_path(&p).unwrap();
    for r in rows {
        w.write_record(*r).unwrap();
    }
    w.flush().unwrap();
    p.display().to_string()
}

#[test]
fn follow_up_files_move_findings_through_the_status_machine() {
    let (f, _) = scenario();
    let before = dump(&f);
    let bad = write_csv(
        &f,
        "bad.csv",
        &[
            &["问题编号", "整改状态", "整改进展", "验收日期"],
            &["2026Q9-0001", "整改中", "", ""],
            &["2026Q3-0001", "已销号", "", ""],
            &["2026Q3-0002", "整改中", "", "明天"],
            &["2026Q3-0003", "差不多了", "", ""],
            &["2026Q4-0001", "整改中", "", ""],
            &["2026Q4-0001", "整改中", "", ""],
        ],
    );
    let r = f.run(&["rectify", "import", &bad]);
    assert_eq!(r.code, 2);
    for expected in [
        "第 2 行第 1 列（问题编号）：没有问题编号 2026Q9-0001",
        "第 3 行第 2 列（整改状态）：不能从\"待整改\"改为\"已销号\"",
        "第 4 行第 4 列（验收日期）：无法识别的日期 \"明天\"",
        "第 5 行第 2 列（整改状态）：\"整改状态\" 的值 \"差不多了\" 无效",
        "第 7 行第 1 列（问题编号）",
    ] {
        assert!(r.stderr.contains(expected), "{expected}\n{}", r.stderr);
    }
    assert_eq!(dump(&f), before, "a refused file changes nothing");
    // Dates of what happened can be neither in the future nor before the finding was approved.
    let dates = write_csv(
        &f,
        "dates.csv",
        &[
            &["问题编号", "整改状态", "验收日期", "销号日期"],
            &["2026Q3-0001", "整改中", "2026-12-01", ""],
            &["2026Q3-0002", "整改中", "", "2026-01-05"],
        ],
    );
    let r = f.run(&["rectify", "import", &dates]);
    assert_eq!(r.code, 2);
    for expected in [
        "第 2 行第 3 列（验收日期）：日期 2026-12-01 晚于今天",
        "第 3 行第 4 列（销号日期）：日期 2026-01-05 早于问题审核通过的日期 2026-11-22",
    ] {
        assert!(r.stderr.contains(expected), "{expected}\n{}", r.stderr);
    }
    assert_eq!(dump(&f), before, "a refused file changes nothing");
    let missing = write_csv(&f, "missing.csv", &[&["问题编号", "备注"], &["2026Q3-0001", "x"]]);
    let r = f.run(&["rectify", "import", &missing]);
    assert!(r.code == 2 && r.stderr.contains("整改状态"), "{}", r.stderr);

    // Step by step: 整改中, then 已整改待验收, then 已销号 by someone other than the responsible.
    let step1 = write_csv(
        &f,
        "s1.csv",
        &[&["问题编号", "整改状态", "整改进展", "整改措施"], &["2026Q3-0001", "整改中", "已拟定换届方案", "12月完成换届"]],
    );
    assert!(f.run_ok(&["rectify", "import", &step1]).contains("已更新 1 个问题，0 个未变"));
    assert!(f.run_ok(&["rectify", "import", &step1]).contains("已更新 0 个问题，1 个未变"), "the same file twice changes nothing");
    let step2 = write_csv(&f, "s2.csv", &[&["问题编号", "整改状态", "整改进展"], &["2026Q3-0001", "已整改待验收", "已完成换届选举"]]);
    f.run_ok(&["rectify", "import", &step2]);
    let self_accept = write_csv(&f, "s3.csv", &[&["问题编号", "整改状态", "验收人"], &["2026Q3-0001", "已销号", "王书记"]]);
    let r = f.run(&["rectify", "import", &self_accept]);
    assert!(r.code == 2 && r.stderr.contains("验收人不能是整改责任人"), "{}", r.stderr);

    // XLSX and JSON come back too: close by XLSX, extend another by JSON.
    let xl = f.path("s4.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["问题编号", "整改状态", "验收人", "验收日期"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["2026Q3-0001", "已销号", "李督导", "2026-11-22"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    wb.save(&xl).unwrap();
    // 销号 is checked by another person than who recorded the fix as done.
    let before = dump(&f);
    let r = f.run(&["rectify", "import", xl.to_str().unwrap()]);
    assert!(r.code == 2 && r.stderr.contains("销号须由另一个人核实：测试员 记录了整改完成"), "{}", r.stderr);
    assert_eq!(dump(&f), before, "refused whole, nothing changed");
    as_other(&f, &["rectify", "import", xl.to_str().unwrap()]);
    let js = f.path("s5.json");
    std::fs::write(&js, r#"{"schema":"xuncha.rectification/1","rows":[{"number":"2026Q3-0002","status":"申请延期","progress":"需上级审批","deadline":"2028-06-30"}]}"#).unwrap();
    f.run_ok(&["rectify", "import", js.to_str().unwrap()]);

    let list = json(&f.run_ok(&["finding", "list", "--format", "json"]));
    let by = |n: &str| list.as_array().unwrap().iter().find(|x| x["number"] == n).unwrap().clone();
    let closed = by("2026Q3-0001");
    assert_eq!(
        (closed["status"].as_str(), closed["rect"]["acceptor"].as_str(), closed["rect"]["accepted_on"].as_str()),
        (Some("已销号"), Some("李督导"), Some("2026-11-22"))
    );
    assert_eq!(closed["rect"]["updates"].as_array().unwrap().len(), 3);
    let extended = by("2026Q3-0002");
    // Asked for: the deadline moves only when a reviewer grants it.
    let asked = extended["rect"]["updates"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((extended["status"].as_str(), asked["deadline_to"].as_str()), (Some("申请延期"), Some("2028-06-30")));
    assert_ne!(extended["deadline"].as_str(), Some("2028-06-30"));
    let r = f.run(&["rectify", "set", "2026Q3-0002", "--status", "整改中"]);
    assert!(r.code == 2 && r.stderr.contains("申请延期须由审核员批准或驳回"), "{}", r.stderr);
    assert!(f.run_ok(&["rectify", "extension", "2026Q3-0002", "--grant"]).contains("新的整改时限：2028-06-30"));
    let list = json(&f.run_ok(&["finding", "list", "--format", "json"]));
    let granted = list.as_array().unwrap().iter().find(|x| x["number"] == "2026Q3-0002").unwrap().clone();
    assert_eq!((granted["status"].as_str(), granted["deadline"].as_str()), (Some("整改中"), Some("2028-06-30")));

    // The exported list round-trips: importing it unchanged changes nothing.
    let out = f.path("list.csv");
    f.run_ok(&["export", "rectification", "--format", "csv", "-o", out.to_str().unwrap()]);
    let before = dump(&f);
    assert!(f.run_ok(&["rectify", "import", out.to_str().unwrap()]).contains("已更新 0 个问题"));
    assert_eq!(dump(&f), before);
    f.run_ok(&["audit", "verify"]);
}

#[test]
fn the_bulletin_figures_match_the_scenario() {
    let (f, orgs) = scenario();
    // Last quarter's B problem is fixed and accepted.
    f.run_ok(&["rectify", "set", "2026Q3-0003", "--status", "整改中"]);
    f.run_ok(&["rectify", "set", "2026Q3-0003", "--status", "已整改待验收"]);
    as_other(&f, &["rectify", "set", "2026Q3-0003", "--status", "已销号", "--acceptor", "李督导"]);
    let notes = f.path("notes.md");
    std::fs::write(&notes, "## 好的做法\n红旗村坚持主题党日全程记录。\n## 工作要求\n各乡镇于12月31日前报送整改台账。\n").unwrap();
    let md = f.path("b.md");
    f.run_ok(&[
        "export",
        "bulletin",
        "--quarter",
        "2026Q4",
        "--notes",
        notes.to_str().unwrap(),
        "--format",
        "md",
        "-o",
        md.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&md).unwrap();
    // By hand: Q4 checked A (100 - 2 - 2 = 96) and C (100): average 98.0, both 标杆型; last
    // quarter A 95 and B 98, both 标杆型. A has an open 较重 finding: one blue warning. Two
    // problems (一般 1, 较重 1), one per unit; A is criticised for the repeat, C praised. Every
    // deadline is 2027-12-31: nothing is due this quarter, whatever was fixed early (B's problem
    // counts in the quarter of its deadline). tests/bulletin_figures.rs works the rectification
    // figures out on a richer data set.
    for expected in [
        "# 关于2026年第四季度基层党建“四不两直”督查情况的通报",
        "共检查基层党组织 2 个（党支部 2 个）",
        "督查范围内共 22 个党组织，以下统计只计入审核通过的 2 个；尚有 0 个检查中或待审核、20 个未检查，不计入统计。",
        "平均得分 98.0",
        "| 标杆型 | 2 | 100.0% | 2 | 100.0% | +0.0 个百分点 |",
        "三色预警：红色 0 个，黄色 0 个，蓝色 1 个。",
        "共发现问题 2 个，平均每个党组织 1.0 个",
        "按严重程度：一般 1 个，较重 1 个，严重 0 个",
        "（重复问题）",
        "截至2026-11-22，本季度到期应整改问题 0 个，按期整改 0 个，按期整改率 -；",
        "对以下 1 个党组织予以通报批评",
        "对以下 1 个党组织予以通报表扬",
        "红旗村坚持主题党日全程记录。",
        "数据校验：审计链第 ",
        "各乡镇于12月31日前报送整改台账。",
        "| 1 | 永安县 | 2 | 98.0 | 2 | - |",
    ] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
    let _ = orgs;

    let html = f.path("b.html");
    f.run_ok(&["export", "bulletin", "--quarter", "2026Q4", "--format", "html", "-o", html.to_str().unwrap()]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.starts_with("<!DOCTYPE html>") && page.contains("@page { size: A4") && page.matches("<svg").count() == 4,
        "self-contained with four charts"
    );
    assert!(
        !page.contains("http://") || page.matches("http://").all(|_| page.contains("xmlns=\"http://www.w3.org/2000/svg\"")),
        "no external resources"
    );
    // Rendered by a real browser when one is installed here.
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].into_iter().find(|p| std::path::Path::new(p).exists());
    if let Some(browser) = chromium {
        let pdf = f.path("b.pdf");
        let status = std::process::Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .arg(format!("--user-data-dir={}", f.path("chrome").display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", html.display()))
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"), "Chromium printed the page");
    } else {
        eprintln!("chromium not installed: the page was checked as text only");
    }
}

/// Runs `xuncha ARGS` as 李督导, not the 测试员 who recorded the rest.
fn as_other(f: &Folder, args: &[&str]) -> String {
    let r: common::Run = f.command().env("XUNCHA_INSPECTOR", "李督导").args(args).output().unwrap().into();
    assert_eq!(r.code, 0, "xuncha {args:?} as 李督导:\n{}\n{}", r.stdout, r.stderr);
    r.stdout
}
