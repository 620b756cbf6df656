//! The XLSX files as a printer and an office read them: the rectification list built from a small
//! snapshot, written, then opened as the zip it is (page setup, frozen panes, the merged title,
//! print titles, wrapping) and read back with calamine (the title's words, where the header is,
//! what 督促责任人, 整改措施 and 整改进展 hold).

use super::Snapshot;
use super::rectification::{COLUMNS, rows_in};
use super::writers::{Heading, table_xlsx, xlsx_in};
use crate::domain::{Finding, Id, ItemResult, Level, Org, Quarter, RectStatus, RectUpdate, Round, Scope, Template, Visit};
use crate::i18n::Lang;
use crate::service::Result;
use crate::service::rounds::VisitData;
use crate::service::summary::VisitSummary;
use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use std::io::{Cursor, Read};

/// One county, one branch under it, one round and its findings.
struct Small {
    orgs: Vec<Org>,
    round: Round,
    findings: Vec<Finding>,
}

fn org(code: &str, name: &str, parent: Option<&str>, level: Level) -> Org {
    Org {
        code: code.into(),
        name: name.into(),
        parent: parent.map(str::to_string),
        level,
        level_word: None,
        field: None,
        secretary: String::new(),
        members: None,
    }
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn step(on: &str, from: RectStatus, to: RectStatus, note: &str) -> RectUpdate {
    RectUpdate {
        on: day(on),
        by: "跟踪员".into(),
        from,
        to,
        note: note.into(),
        evidence: String::new(),
        deadline_from: None,
        deadline_to: None,
        attachments: vec![],
        notice: None,
        recheck: None,
    }
}

impl Small {
    fn new() -> Small {
        let round = Round {
            id: Id::new(),
            title: "2026年第四季度第一轮督查 A&B".into(),
            quarter: "2026Q4".parse::<Quarter>().unwrap(),
            template_id: "dangzhibu".into(),
            template_hash: "h".into(),
            scope: Scope::List,
            org_count: 1,
            created_by: "测试员".into(),
            created_at: chrono::DateTime::UNIX_EPOCH,
        };
        let base = |n: &str, status: RectStatus| Finding {
            round: round.id,
            org: "B1".into(),
            number: Some(n.into()),
            description: "换届超期八个月，支委会委员缺额两名，未按期补选".into(),
            ..Finding::sample(status, Some(day("2026-12-31")))
        };
        // The progress only in the steps: the latest step with a note is what the list shows.
        let mut from_steps = base("2026Q4-0001", RectStatus::InProgress);
        from_steps.rect.updates = vec![
            step("2026-11-10", RectStatus::Pending, RectStatus::InProgress, "已制定整改方案"),
            step("2026-11-15", RectStatus::InProgress, RectStatus::ExtensionRequested, "已召开支委会，补选一名委员"),
            step("2026-11-18", RectStatus::ExtensionRequested, RectStatus::InProgress, ""),
        ];
        // Everything kept on the finding.
        let mut kept = base("2026Q4-0002", RectStatus::InProgress);
        kept.rect.measures = "召开党员大会补选委员".into();
        kept.rect.overseer = "李督导".into();
        kept.rect.progress = "已公示候选人".into();
        kept.rect.updates = vec![step("2026-11-10", RectStatus::Pending, RectStatus::InProgress, "旧的进展")];
        // Nothing at all: the three cells stay empty.
        let none = base("2026Q4-0003", RectStatus::Pending);
        Small {
            orgs: vec![org("C", "永安县", None, Level::County), org("B1", "柳河村党支部", Some("C"), Level::Branch)],
            round,
            findings: vec![from_steps, kept, none],
        }
    }
}

impl Snapshot for Small {
    fn org(&self, code: &str) -> Result<Option<Org>> {
        Ok(self.orgs.iter().find(|o| o.code == code).cloned())
    }
    fn orgs(&self) -> Result<Vec<Org>> {
        Ok(self.orgs.clone())
    }
    fn rounds(&self) -> Result<Vec<Round>> {
        Ok(vec![self.round.clone()])
    }
    fn visits(&self, _: Id) -> Result<Vec<Visit>> {
        Ok(Vec::new())
    }
    fn visit(&self, _: Id, _: &str) -> Result<Option<Visit>> {
        Ok(None)
    }
    fn result(&self, _: Id, _: &str, _: &str) -> Result<Option<ItemResult>> {
        Ok(None)
    }
    fn findings(&self) -> Result<Vec<Finding>> {
        Ok(self.findings.clone())
    }
    fn finding(&self, id: Id) -> Result<Option<Finding>> {
        Ok(self.findings.iter().find(|f| f.id == id).cloned())
    }
    fn visit_summaries(&self, _: Id) -> Result<Vec<VisitSummary>> {
        Ok(Vec::new())
    }
    fn visit_data(&self, _: Id, _: &str) -> Result<VisitData> {
        panic!("the list does not read a visit's data")
    }
    fn template_of(&self, _: &Round) -> Result<Template> {
        Ok(crate::template::Catalog::load(&[]).get("dangzhibu").unwrap().template.clone())
    }
    fn audit_head(&self) -> Result<(u64, String)> {
        Ok((0, String::new()))
    }
}

fn today() -> NaiveDate {
    day("2026-11-22")
}

/// The list of the small snapshot as XLSX, titled with its round.
fn list_xlsx() -> Vec<u8> {
    let snap = Small::new();
    let rows = rows_in(&snap, &Default::default(), today(), Lang::Zh, &mut |_, _| {}).unwrap();
    let heading = Heading { scope: snap.round.title.clone(), exported_on: today(), figures: None };
    xlsx_in(&rows, &heading, Lang::Zh).unwrap()
}

fn part(xlsx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut text = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
    text
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    range.get_value((row, col)).map(|d| d.to_string()).unwrap_or_default()
}

#[test]
fn the_list_shows_measures_overseer_and_the_latest_progress_from_the_data() {
    let snap = Small::new();
    let rows = rows_in(&snap, &Default::default(), today(), Lang::Zh, &mut |_, _| {}).unwrap();
    let got: Vec<(&str, &str, &str)> = rows.iter().map(|r| (r.measures.as_str(), r.overseer.as_str(), r.progress.as_str())).collect();
    assert_eq!(
        got,
        [("", "", "已召开支委会，补选一名委员"), ("召开党员大会补选委员", "李督导", "已公示候选人"), ("", "", "")],
        "the steps' latest note when no progress was kept; the kept progress over an older step; empty only where there is nothing"
    );
}

#[test]
fn the_list_prints_on_a4_landscape_one_page_wide_with_its_title_and_header_on_every_page() {
    let xlsx = list_xlsx();
    let list = part(&xlsx, "xl/worksheets/sheet1.xml");
    let setup = list.split("<pageSetup").nth(1).unwrap().split("/>").next().unwrap();
    for attr in [r#"paperSize="9""#, r#"orientation="landscape""#, r#"fitToHeight="0""#] {
        assert!(setup.contains(attr), "{attr} in <pageSetup{setup}/>");
    }
    // fitToWidth is 1 by the standard when absent, and the writer leaves the default out.
    assert!(!setup.contains("fitToWidth") || setup.contains(r#"fitToWidth="1""#), "{setup}");
    assert!(list.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "fit to pages is on");
    let pane = list.split("<pane").nth(1).unwrap().split("/>").next().unwrap();
    assert!(pane.contains(r#"ySplit="2""#) && pane.contains(r#"topLeftCell="A3""#) && pane.contains(r#"state="frozen""#), "{pane}");
    assert!(list.contains(r#"<mergeCell ref="A1:AC1"/>"#), "the title spans the 29 columns");
    assert!(list.contains(r#"<autoFilter ref="A2:AC5"/>"#), "the filter on the header row and the three rows");
    assert!(list.contains("<printOptions horizontalCentered=\"1\"/>"), "centred on the page");
    // The round's & printed as written: && in the footer (&amp;&amp; in the XML).
    let footer = list.split("<oddFooter>").nth(1).unwrap().split("</oddFooter>").next().unwrap();
    assert!(footer.contains("A&amp;&amp;B") && footer.contains("第 &amp;P 页 共 &amp;N 页"), "{footer}");
    let widths: Vec<f64> =
        list.split("<col ").skip(1).map(|c| c.split("width=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap()).collect();
    assert!(widths.iter().all(|w| *w <= super::sheet_layout::MAX_WIDTH + 1.0), "capped: {widths:?}");
    let workbook = part(&xlsx, "xl/workbook.xml");
    assert!(workbook.contains(r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">整改清单!$1:$2</definedName>"#), "{workbook}");
    assert!(workbook.contains(r#"<definedName name="_xlnm.Print_Titles" localSheetId="1">统计!$1:$1</definedName>"#), "{workbook}");
    assert!(part(&xlsx, "xl/styles.xml").contains(r#"wrapText="1""#), "long text wraps");

    // The counts: narrow, so portrait; the same title row and setup.
    let counts = part(&xlsx, "xl/worksheets/sheet2.xml");
    let setup = counts.split("<pageSetup").nth(1).unwrap().split("/>").next().unwrap();
    assert!(
        setup.contains(r#"paperSize="9""#) && setup.contains(r#"orientation="portrait""#) && setup.contains(r#"fitToHeight="0""#),
        "{setup}"
    );
    assert!(counts.contains(r#"<mergeCell ref="A1:B1"/>"#) && counts.contains(r#"state="frozen""#), "{counts}");
}

#[test]
fn the_list_read_back_has_its_title_then_the_header_then_the_rows() {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(list_xlsx())).unwrap();
    assert_eq!(wb.sheet_names(), ["整改清单", "统计"], "the list first: the follow-up import reads the first sheet");
    let list = wb.worksheet_range("整改清单").unwrap();
    assert_eq!(list.start(), Some((0, 0)));
    assert_eq!(cell(&list, 0, 0), "问题整改清单（2026年第四季度第一轮督查 A&B）　导出日期：2026-11-22");
    let header: Vec<String> = (0..29).map(|c| cell(&list, 1, c)).collect();
    assert_eq!(header, COLUMNS, "the header on the second row");
    assert_eq!(list.height(), 5, "title, header, three findings");
    let col = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap() as u32;
    let first = |name: &str| cell(&list, 2, col(name));
    assert_eq!(
        (first("问题编号"), first("整改进展"), first("整改措施"), first("督促责任人")),
        ("2026Q4-0001".into(), "已召开支委会，补选一名委员".into(), String::new(), String::new())
    );
    let second = |name: &str| cell(&list, 3, col(name));
    assert_eq!(
        (second("整改措施"), second("督促责任人"), second("整改进展")),
        ("召开党员大会补选委员".into(), "李督导".into(), "已公示候选人".into())
    );
    assert!(matches!(list.get_value((2, 0)), Some(Data::Float(f)) if *f == 1.0), "序号 a number");
    let counts = wb.worksheet_range("统计").unwrap();
    assert_eq!(cell(&counts, 0, 0), "问题整改统计（2026年第四季度第一轮督查 A&B）　导出日期：2026-11-22");
    let text: Vec<String> = counts.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("|")).collect();
    assert!(text.contains(&"合计|3".to_string()), "the figures are where they were: {text:?}");
}

#[test]
fn a_list_of_everything_is_titled_without_a_scope_and_a_plain_table_gets_the_same_page() {
    let heading = Heading { scope: String::new(), exported_on: today(), figures: None };
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(xlsx_in(&[], &heading, Lang::Zh).unwrap())).unwrap();
    assert_eq!(cell(&wb.worksheet_range("整改清单").unwrap(), 0, 0), "问题整改清单　导出日期：2026-11-22");

    let headers = ["组织编码", "检查项编号", "检查内容", "分值", "结论", "说明", "问题描述", "严重程度", "整改类型"];
    let rows = vec![vec!["B1".to_string(), "C1.1".into(), "按期换届".repeat(12), "2".into()]];
    let xlsx = table_xlsx("检查表", "检查表：第一轮　柳河村党支部（B1）　导出日期：2026-11-22", &headers, &rows, &[(4, 10.0)]).unwrap();
    let sheet = part(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"orientation="landscape""#) && sheet.contains(r#"paperSize="9""#), "nine columns: landscape");
    assert!(sheet.contains(r#"<mergeCell ref="A1:I1"/>"#) && sheet.contains(r#"state="frozen""#));
    assert!(part(&xlsx, "xl/workbook.xml").contains("_xlnm.Print_Titles"));
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(xlsx)).unwrap();
    let r = wb.worksheet_range("检查表").unwrap();
    assert_eq!((cell(&r, 1, 0), cell(&r, 2, 1), cell(&r, 2, 3)), ("组织编码".into(), "C1.1".into(), "2".into()));
    assert!(matches!(r.get_value((2, 3)), Some(Data::String(_))), "every cell a string");
}
