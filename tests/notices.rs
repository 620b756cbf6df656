//! `xuncha export notice`: the escalation ladder's documents (督办通知单, 约谈通知) through the
//! binary, for two village branches whose problems sit on different rungs; each notice recorded
//! in the history of the problems it lists, once; refusals that write nothing; the Word file
//! opened by LibreOffice.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod support;

use common::{Folder, blank_sheet, col, fill_arrival, json, row_of};
use std::io::Read;
use support::office::{pdf_pages, pdf_text, to_pdf};

/// Two village branches visited in 2026Q3 and approved on 2026-08-20, each failing four items
/// with the deadlines given; `responsible` names each branch's secretary. Returns the folder and
/// the two organisations' (code, name).
fn scenario() -> (Folder, Vec<(String, String)>) {
    let f = Folder::new();
    f.set_now("2026-08-20 10:00");
    f.run_ok(&["demo", "--orgs", "300", "--seed", "3"]);
    let round = common::new_round(&f, "2026Q3", "第三季度督查");
    let shown = json(&f.run_ok(&["round", "show", &round, "--format", "json"]));
    let orgs: Vec<(String, String)> = shown["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["field"] == "农村")
        .take(2)
        .map(|o| (o["code"].as_str().unwrap().to_string(), o["name"].as_str().unwrap().to_string()))
        .collect();
    for (i, (org, _)) in orgs.iter().enumerate() {
        let mut rows = blank_sheet(&f, &round, org);
        fill_arrival(&mut rows, &common::arrival_in(&f, &round));
        let c = |n: &str| col(&rows, n);
        let (verdict, desc, kind, resp, deadline) = (c("结论"), c("问题描述"), c("整改类型"), c("责任人"), c("整改时限"));
        for r in common::item_rows(&mut rows) {
            r[verdict] = "符合".into();
        }
        let who = ["王书记", "李书记"][i];
        for (item, d, dl) in
            [("C1.1", "问责", "2026-09-01"), ("C1.2", "告诫", "2026-10-01"), ("C1.3", "督办", "2026-11-01"), ("C2.1", "提醒", "2026-11-25")]
        {
            let r = row_of(&mut rows, item);
            (r[verdict], r[desc], r[kind], r[resp], r[deadline]) =
                ("不符合".into(), format!("{who}{d}"), "限期整改".into(), who.into(), dl.into());
        }
        let path = common::write_rows(&f, &format!("sheet{i}.csv"), &rows);
        f.run_ok(&["visit", "import", &path, "--round", &round, "--submit"]);
    }
    common::approve_all(&f);
    f.set_now("2026-11-22 10:00");
    (f, orgs)
}

/// Each finding's notice steps as (description, level, number, fix_by), and its status.
fn notices(f: &Folder) -> Vec<(String, String, String, String, String)> {
    let list = json(&f.run_ok(&["finding", "list", "--format", "json"]));
    let mut out = Vec::new();
    for x in list.as_array().unwrap() {
        for u in x["rect"]["updates"].as_array().into_iter().flatten() {
            if let Some(n) = u.get("notice") {
                assert_eq!(u["from"], u["to"], "a notice leaves the status as it was");
                assert_eq!(u["to"], x["status"]);
                out.push((
                    x["description"].as_str().unwrap().to_string(),
                    n["level"].as_str().unwrap().to_string(),
                    n["number"].as_str().unwrap_or_default().to_string(),
                    n["fix_by"].as_str().unwrap_or_default().to_string(),
                    u["on"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    out.sort();
    out
}

fn document_xml(docx: &std::path::Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn a_supervision_notice_per_branch_recorded_once_in_each_problem() {
    let (f, orgs) = scenario();
    std::fs::create_dir_all(f.config()).unwrap();
    std::fs::write(f.config().join("config.toml"), "[office]\nname = \"中共示例县委组织部\"\ncode = \"示组督\"\n").unwrap();
    let out = f.path("督办.docx");
    // On 2026-11-22 with the default thresholds each branch has three problems at 督办 or above
    // (82, 52 and 21 days over); the fourth is due on 11-25, only a reminder.
    let said = f.run_ok(&["export", "notice", "--level", "督办", "--number", "3", "--date", "2026-11-22", "-o", out.to_str().unwrap()]);
    assert!(said.contains("2 个单位、6 个问题"), "{said}");
    assert!(said.contains("已记入 6 个问题的整改记录"), "{said}");
    let xml = document_xml(&out);
    assert_eq!(xml.matches("督办通知单").count(), 2, "one notice per branch");
    for want in [
        orgs[0].1.as_str(),
        orgs[1].1.as_str(),
        "示组督〔2026〕3号",
        "中共示例县委组织部",
        "王书记问责",
        "李书记督办",
        "新整改时限",
        "2026年12月7日",
        "82天",
    ] {
        assert!(xml.contains(want), "{want} missing");
    }
    assert!(!xml.contains("王书记提醒"), "a problem not yet overdue is not under supervision");
    assert!(xml.contains("w:pageBreakBefore"), "the second branch's notice starts a page");

    // Each listed problem's history has the notice: the level, the number and the date it sets
    // (15 days after the day issued), the status unchanged.
    let steps = notices(&f);
    assert_eq!(steps.len(), 6, "{steps:?}");
    for (d, level, number, fix_by, on) in &steps {
        assert!(!d.ends_with("提醒"), "{d}");
        assert_eq!(
            (level.as_str(), number.as_str(), fix_by.as_str(), on.as_str()),
            ("督办", "示组督〔2026〕3号", "2026-12-07", "2026-11-22")
        );
    }
    let log = f.run_ok(&["audit", "log"]);
    assert!(log.contains("发出督办/约谈通知"), "{log}");

    // The same notice again: written again, recorded nothing new.
    let again = f.run_ok(&["export", "notice", "--level", "督办", "--number", "3", "--date", "2026-11-22", "-o", out.to_str().unwrap()]);
    assert!(again.contains("此前已记入"), "{again}");
    assert_eq!(notices(&f).len(), 6);

    // LibreOffice opens it: two notices, at least two pages.
    let pdf = to_pdf(&out);
    assert!(pdf_pages(&pdf) >= 2, "{} pages", pdf_pages(&pdf));
    let text = pdf_text(&pdf);
    assert!(text.contains("督办通知单") && text.contains(&orgs[1].1) && text.contains("签收人"), "{text}");
}

#[test]
fn a_talk_lists_the_long_overdue_and_leaves_blanks_for_the_hour() {
    let (f, orgs) = scenario();
    let out = f.path("约谈.md");
    // 告诫约谈 is past 30 days over: C1.1 (82) and C1.2 (52) of each branch; only the first
    // branch's area (its own code) asked.
    let said = f.run_ok(&[
        "export",
        "notice",
        "--level",
        "约谈",
        "--area",
        &orgs[0].0,
        "--place",
        "县委组织部三楼会议室",
        "--fix-by",
        "2026-12-31",
        "--format",
        "md",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(said.contains("1 个单位、2 个问题"), "{said}");
    let md = std::fs::read_to_string(&out).unwrap();
    for want in [
        "约谈通知",
        "被约谈单位",
        orgs[0].1.as_str(),
        "王书记",
        "逾期82天",
        "逾期52天",
        "县委组织部三楼会议室",
        "＿＿＿＿",
        "2026年12月31日",
    ] {
        assert!(md.contains(want), "{want} missing:\n{md}");
    }
    assert!(!md.contains("李书记") && !md.contains("王书记督办"), "{md}");
    let steps = notices(&f);
    assert_eq!(
        steps.iter().map(|s| (s.0.as_str(), s.1.as_str(), s.3.as_str())).collect::<Vec<_>>(),
        [("王书记告诫", "告诫约谈", "2026-12-31"), ("王书记问责", "告诫约谈", "2026-12-31")]
    );
}

#[test]
fn notices_that_cannot_be_are_refused_and_write_nothing() {
    let (f, _) = scenario();
    let out = f.path("n.docx");
    let o = out.to_str().unwrap();
    for (args, says) in [
        (vec!["--level", "提醒"], "没有通知文书"),
        (vec!["--level", "问责建议"], "没有通知文书"),
        (vec!["--level", "加急"], "“加急”没有通知文书；可写的层级：督办, 告诫约谈"),
        (vec!["--level", "督办", "--as-of", "2026-12-01"], "晚于今天"),
        (vec!["--level", "督办", "--fix-by", "2026-11-01"], "须晚于发出日期"),
        (vec!["--level", "督办", "--as-of", "2026-08-25"], "没有处于“督办”及以上层级的问题"),
        (vec!["--level", "督办", "--area", "没有这个"], "没有这个"),
        (vec!["--level", "督办", "--date", "明天"], "明天"),
    ] {
        let mut all = vec!["export", "notice", "-o", o];
        all.extend(args.iter());
        let r = f.run(&all);
        assert_eq!(r.code, 2, "{all:?}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(says), "{all:?}: {}", r.stderr);
        assert!(!out.exists(), "{all:?} wrote the file");
    }
    assert!(notices(&f).is_empty(), "nothing recorded");
}
