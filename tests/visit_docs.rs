//! A visit's two documents through the binary: the handover sheet (问题交办单, with the
//! 立行立改通知书) as Word and as a workbook, and the per-branch report (一支部一报告) as Word
//! and Markdown. The Word files are opened as zips and printed to PDF by LibreOffice
//! (tests/support/office.rs); the workbook is read back with calamine. Refusals: an unknown
//! round, an organisation not in the round, a visit with nothing to hand over, a malformed
//! --visit; nothing is written then.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod support;

use calamine::{Reader, Xlsx, open_workbook};
use common::{Folder, col, json};
use std::io::Read;

const IMMEDIATE: &str = "党员活动室门牌脱落";
const BY_DEADLINE: &str = "换届超期8个月未完成";
const STRENGTH: &str = "\"三会一课\"记录完整，签到齐全";

struct Scene {
    f: Folder,
    round: String,
    /// The organisation with two findings, and its name.
    org: String,
    name: String,
    /// An organisation of the round that passed everything.
    clean: String,
    /// An organisation of the round never visited.
    untouched: String,
}

/// A round over the demo's first town; one rural branch answered: all 符合 (one with a note),
/// C1.3 不符合 with a finding by deadline, C2.1 不符合 with a 立行立改 finding; submitted and
/// approved by 李督导 (the findings get their numbers). Another branch passes everything.
fn scene() -> Scene {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "300", "--seed", "3"]);
    let round = common::new_round(&f, "2026Q4", "2026年第四季度督查");
    let shown = json(&f.run_ok(&["round", "show", &round, "--format", "json"]));
    let rural: Vec<(String, String)> = shown["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["field"] == "农村")
        .map(|o| (o["code"].as_str().unwrap().to_string(), o["name"].as_str().unwrap().to_string()))
        .collect();
    let (org, name) = rural[0].clone();

    let mut rows = common::blank_sheet(&f, &round, &org);
    common::fill_arrival(&mut rows, &common::arrival_in(&f, &round));
    let [verdict, note, desc, kind, req, resp, deadline] =
        ["结论", "说明", "问题描述", "整改类型", "整改要求", "责任人", "整改时限"].map(|c| col(&rows, c));
    let mut first = true;
    for r in common::item_rows(&mut rows) {
        r[verdict] = "符合".into();
        if first {
            r[note] = STRENGTH.into();
            first = false;
        }
        match r[1].as_str() {
            "C1.3" => {
                r[verdict] = "不符合".into();
                r[desc] = BY_DEADLINE.into();
                r[req] = "年底前完成换届选举".into();
                r[resp] = "王书记".into();
                r[deadline] = common::DEADLINE.into();
            }
            "C2.1" => {
                r[verdict] = "不符合".into();
                r[desc] = IMMEDIATE.into();
                r[kind] = "立行立改".into();
                r[req] = "当天重新挂好门牌".into();
                r[resp] = "李委员".into();
                r[deadline] = "2026-11-23".into();
            }
            _ => {}
        }
    }
    let sheet = common::write_rows(&f, "filled.csv", &rows);
    f.run_ok(&["visit", "import", &sheet, "--round", &round, "--submit"]);
    common::fill_sheet(&f, &round, &rural[1].0, &[], "王书记", true);
    common::approve_all(&f);
    Scene { round, org, name, clean: rural[1].0.clone(), untouched: rural[2].0.clone(), f }
}

/// The text of word/document.xml in a .docx, tags removed.
fn docx_text(path: &std::path::Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&quot;", "\"").replace("&amp;", "&")
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn a_visits_handover_sheet_and_report() {
    let s = scene();
    let f = &s.f;
    let numbers: Vec<String> = json(&f.run_ok(&["finding", "list", "--round", &s.round, "--org", &s.org, "--format", "json"]))
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["number"].as_str().map(str::to_string))
        .collect();
    assert_eq!(numbers.len(), 2, "both findings numbered on approval: {numbers:?}");

    // The handover sheet as Word, named by --round and --org.
    let docx = f.path("交办单.docx");
    let out = f.run_ok(&["export", "handover", "--round", &s.round, "--org", &s.org, "--format", "docx", "-o", docx.to_str().unwrap()]);
    let title = format!("{}问题交办单", s.name);
    assert!(out.contains(&format!("已生成《{title}》：")), "{out}");
    assert!(out.contains("审计链头：#"), "{out}");
    let text = docx_text(&docx);
    for want in [
        title.as_str(),
        "被检查单位",
        "检查时间",
        "2026年10月1日 09:30",
        "2026年第四季度督查",
        "测试员",
        IMMEDIATE,
        BY_DEADLINE,
        "年底前完成换届选举",
        "2027年12月31日",
        "立行立改（2026年11月23日前）",
        "王书记",
        "立行立改通知书",
        "检查组（签字）",
        "被检查单位负责人（签字）",
        "整改情况于期限届满后5个工作日内报送",
        &numbers[0],
        &numbers[1],
    ] {
        assert!(text.contains(want), "{want} is not in the handover docx:\n{text}");
    }
    // The notice lists only the on-the-spot problem: its part of the text after its title.
    let notice = &text[text.rfind("立行立改通知书").unwrap()..];
    assert!(notice.contains(IMMEDIATE) && !notice.contains(BY_DEADLINE), "{notice}");
    assert_eq!(notice.matches("（签字）").count(), 2, "its own signature lines: {notice}");

    // The same as a workbook, named by --visit ROUND/CODE.
    let xlsx = f.path("交办单.xlsx");
    f.run_ok(&["export", "handover", "--visit", &format!("{}/{}", s.round, s.org), "--format", "xlsx", "-o", xlsx.to_str().unwrap()]);
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    assert_eq!(wb.sheet_names(), vec!["问题交办单".to_string(), "立行立改通知书".to_string()]);
    let sheet = wb.worksheet_range("问题交办单").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows[0][0], title, "the title row");
    assert!(rows[1][0].starts_with("被检查单位：") && rows[1][0].contains(&s.name), "{:?}", rows[1]);
    let header = rows.iter().position(|r| r[0] == "序号").unwrap_or_else(|| panic!("no header row: {rows:?}"));
    assert_eq!(
        rows[header][..8],
        ["序号", "问题编号", "检查项", "问题描述", "严重程度", "整改要求", "整改时限", "整改责任单位/责任人"].map(String::from)
    );
    let body: Vec<&Vec<String>> = rows[header + 1..].iter().take_while(|r| !r[0].is_empty()).collect();
    assert_eq!(body.len(), 2, "{rows:?}");
    assert_eq!(body.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["1", "2"]);
    let by_deadline = body.iter().find(|r| r[3] == BY_DEADLINE).unwrap();
    // The unit responsible is the branch itself unless the sheet names another.
    assert_eq!((by_deadline[6].as_str(), by_deadline[7].clone()), ("2027年12月31日", format!("{}／王书记", s.name)));
    assert!(by_deadline[2].starts_with("C1.3 "), "{by_deadline:?}");
    let on_the_spot = body.iter().find(|r| r[3] == IMMEDIATE).unwrap();
    assert_eq!(on_the_spot[7], format!("{}／李委员", s.name));
    assert!(rows.iter().any(|r| r[0] == "检查组（签字）："), "signature row: {rows:?}");
    assert!(rows.iter().any(|r| r.iter().any(|c| c == "被检查单位负责人（签字）：")), "{rows:?}");
    let notice = wb.worksheet_range("立行立改通知书").unwrap();
    let notice: Vec<String> = notice.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("|")).collect();
    assert!(notice.iter().any(|r| r.contains(IMMEDIATE)) && !notice.iter().any(|r| r.contains(BY_DEADLINE)), "{notice:?}");

    // The report, with ROUND:CODE and the default format.
    let report = f.path("报告.docx");
    let out = f.run_ok(&["export", "report", "--visit", &format!("{}:{}", s.round, s.org), "-o", report.to_str().unwrap()]);
    let report_title = format!("{}基层党建\"四不两直\"督查报告", s.name);
    assert!(out.contains(&report_title), "{out}");
    let shown = json(&f.run_ok(&["round", "show", &s.round, "--format", "json"]));
    let mine = shown["organisations"].as_array().unwrap().iter().find(|o| o["code"] == s.org.as_str()).unwrap().clone();
    let score = mine["score"].as_f64().unwrap();
    assert!(score < 100.0, "two items failed: {score}");
    let score = format!("{:.1}", (score * 10.0).round() / 10.0);
    let text = docx_text(&report);
    for want in [
        report_title.as_str(),
        "一、基本情况",
        "二、得分情况",
        "三、发现的问题",
        "四、好的方面",
        "五、整改要求",
        &format!("得分 {score} 分"),
        mine["grade"].as_str().unwrap(),
        "不发通知",
        "直插现场",
        "开门",
        IMMEDIATE,
        BY_DEADLINE,
        "三会一课",
        "数据校验：审计链第",
        "最迟于2027年12月31日前完成",
    ] {
        assert!(text.contains(want), "{want} is not in the report docx:\n{text}");
    }
    // The Markdown preview says the same.
    let md = f.path("报告.md");
    f.run_ok(&["export", "report", "--round", &s.round, "--org", &s.org, "--format", "md", "-o", md.to_str().unwrap()]);
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.starts_with("# ") && md.contains("## 三、发现的问题") && md.contains(BY_DEADLINE), "{md}");
    assert!(md.contains("| 类别 | 满分 | 得分 | 检查项数 | 不符合 | 部分符合 |"), "{md}");

    // In English with --doc-lang en, whatever the screens are in.
    let en = f.path("report-en.md");
    f.run_ok(&["--doc-lang", "en", "export", "report", "--round", &s.round, "--org", &s.org, "--format", "md", "-o", en.to_str().unwrap()]);
    let en = std::fs::read_to_string(&en).unwrap();
    assert!(en.contains("Unannounced inspection report") && en.contains("## 3. Problems found") && !en.contains("发现的问题"), "{en}");
    let en_xlsx = f.path("handover-en.xlsx");
    f.run_ok(&[
        "--doc-lang",
        "en",
        "export",
        "handover",
        "--visit",
        &format!("{}/{}", s.round, s.org),
        "--format",
        "xlsx",
        "-o",
        en_xlsx.to_str().unwrap(),
    ]);
    let wb: Xlsx<_> = open_workbook(&en_xlsx).unwrap();
    assert_eq!(wb.sheet_names(), vec!["Handover".to_string(), "On-the-spot fixes".to_string()]);

    // A clean visit has a report, with its full-mark strengths, but nothing to hand over.
    let clean = f.path("clean.docx");
    f.run_ok(&["export", "report", "--round", &s.round, "--org", &s.clean, "-o", clean.to_str().unwrap()]);
    assert!(docx_text(&clean).contains("本次检查未发现问题"));

    // The Word files and the workbook as LibreOffice prints them.
    for (path, title, finding) in [(&docx, &title, IMMEDIATE), (&report, &report_title, BY_DEADLINE), (&xlsx, &title, BY_DEADLINE)] {
        let pdf = support::office::to_pdf(path);
        if let Some(keep) = std::env::var_os("XUNCHA_KEEP_PNG") {
            let keep = std::path::Path::new(&keep);
            std::fs::create_dir_all(keep).unwrap();
            let stem = path.file_name().unwrap().to_string_lossy().replace('.', "-");
            support::office::png_of_page(&pdf, 1, &keep.join(format!("{stem}-page1.png")));
            std::fs::copy(&pdf, keep.join(format!("{stem}.pdf"))).unwrap();
        }
        // In the order drawn: a table's cells one after another, each cell's lines together.
        let text = squeeze(&support::office::pdf_text_raw(&pdf));
        // The handover sheet and the notice: two pages, in either form (the workbook's sheets
        // one page each, one page wide).
        let pages = support::office::pdf_pages(&pdf);
        assert!(
            if path == &report { pages >= 2 } else { pages == 2 || (path == &docx && pages == 3) },
            "{}: {pages} pages",
            path.display()
        );
        assert!(text.contains(&squeeze(title)) && text.contains(&squeeze(finding)), "{}:\n{text}", path.display());
    }
}

#[test]
fn refusals_write_nothing() {
    let s = scene();
    let f = &s.f;
    let out = f.path("x.docx");
    let o = out.to_str().unwrap();
    let refused = |args: &[&str], want: &str| {
        let r = f.run(args);
        assert_eq!(r.code, 2, "{args:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(want), "{args:?}: {want} not in {}", r.stderr);
        assert!(!out.exists(), "{args:?} wrote a file");
    };
    refused(&["export", "handover", "--round", "ffffff", "--org", &s.org, "--format", "docx", "-o", o], "没有编号为 ffffff 的督查批次");
    refused(&["export", "report", "--visit", &format!("ffffff/{}", s.org), "-o", o], "没有编号为 ffffff 的督查批次");
    refused(&["export", "handover", "--round", &s.round, "--org", "0101", "--format", "docx", "-o", o], "不在督查批次");
    refused(&["export", "report", "--round", &s.round, "--org", "nosuch", "-o", o], "没有编码为 \"nosuch\" 的组织");
    refused(&["export", "handover", "--round", &s.round, "--org", &s.clean, "--format", "xlsx", "-o", o], "没有需要交办的问题");
    refused(&["export", "report", "--round", &s.round, "--org", &s.untouched, "-o", o], "尚未开始");
    refused(&["export", "handover", "--round", &s.round, "--org", &s.untouched, "--format", "docx", "-o", o], "尚未开始");
    refused(&["export", "report", "--visit", &s.round, "-o", o], "批次编号/组织编码");
    refused(&["export", "report", "--visit", &format!("{}/", s.round), "-o", o], "批次编号/组织编码");
    // clap's own refusals: --visit with --round, --round without --org.
    let r = f.run(&["export", "report", "--visit", &format!("{}/{}", s.round, s.org), "--round", &s.round, "-o", o]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = f.run(&["export", "report", "--round", &s.round, "-o", o]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!out.exists());
}
