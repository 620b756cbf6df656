//! The quarterly bulletin as a Word 公文 through the binary: the issuing office from config.toml,
//! `--number` and `--date`; the document's structure read from the .docx (masthead, number, title,
//! recipients, attachments with their tables and repeated header rows, the page-number field);
//! the same document twice; then opened by LibreOffice and converted to PDF.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod support;

use common::Folder;
use std::io::Read;
use support::office::{pdf_pages, pdf_text, pdf_text_raw, png_of_page, to_pdf};

/// One part of a .docx (a zip), as text.
fn part(docx: &std::path::Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// Every part of a .docx whose name starts with `prefix`, joined.
fn parts(docx: &std::path::Path, prefix: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().filter_map(Result::ok).filter(|n| n.starts_with(prefix)).map(|n| n.to_string()).collect();
    names
        .iter()
        .map(|n| {
            let mut s = String::new();
            zip.by_name(n).unwrap().read_to_string(&mut s).unwrap();
            s
        })
        .collect()
}

#[test]
fn the_bulletin_is_a_gbt_9704_document_that_libreoffice_opens() {
    let f = Folder::new();
    // Two used rounds (last quarter's and this one's) over a small tree, most visits approved.
    f.run_ok(&["demo", "--orgs", "200", "--seed", "5", "--visited", "0.6"]);
    std::fs::create_dir_all(f.config()).unwrap();
    std::fs::write(
        f.config().join("config.toml"),
        "[office]\nname = \"中共示例县委组织部\"\ncode = \"示组通\"\nrecipients = \"各乡镇党委，县直各单位党组织\"\ncc = \"县委办公室，县纪委监委机关\"\n",
    )
    .unwrap();
    let out = f.path("通报.docx");
    let args = [
        "export",
        "bulletin",
        "--quarter",
        "2026Q4",
        "--format",
        "docx",
        "--number",
        "12",
        "--date",
        "2026-12-31",
        "-o",
        out.to_str().unwrap(),
    ];
    let said = f.run_ok(&args);
    assert!(said.contains("已生成《关于2026年第四季度基层党建“四不两直”督查情况的通报》"), "{said}");

    let doc = part(&out, "word/document.xml");
    for expected in [
        "中共示例县委组织部文件",
        "示组通〔2026〕12号",
        "关于2026年第四季度基层党建",
        "各乡镇党委，县直各单位党组织：",
        "一、基本情况",
        "五、问题整改情况",
        "口径说明",
        "附件：",
        "附件1",
        "附件2",
        "附件3",
        "各党组织得分、等次和预警情况",
        "预警名单",
        "重点问题整改清单",
        "2026年12月31日",
        "抄送：县委办公室，县纪委监委机关。",
    ] {
        assert!(doc.contains(expected), "{expected} not in document.xml");
    }
    // The masthead in red, A4 and GB/T 9704's margins, the attachments' tables with header rows
    // repeated on every page (the grade table, the rectification table, the ranking, 附件1-3).
    assert!(doc.contains(r#"<w:color w:val="FF0000""#), "a red masthead");
    assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4");
    assert!(doc.contains(r#"w:top="2098""#) && doc.contains(r#"w:left="1587""#), "37 mm top, 28 mm left");
    let tables = doc.matches("<w:tbl>").count();
    assert!(tables >= 6, "{tables} tables");
    assert!(doc.matches("<w:tblHeader").count() >= 6, "header rows repeat");
    assert!(!doc.contains("等次分布（个）"), "the charts are left out of the 公文");
    // Page numbers as a field in the footers, "— PAGE —".
    let footers = parts(&out, "word/footer");
    assert!(footers.contains("PAGE") && footers.contains('—'), "{footers}");
    // Reproducible: the same data writes the same document.
    let again = f.path("again.docx");
    let mut twice = args;
    twice[11] = again.to_str().unwrap();
    f.run_ok(&twice);
    assert_eq!(part(&again, "word/document.xml"), doc);

    // Opened by LibreOffice: pages, the head and the page numbers as printed.
    let pdf = to_pdf(&out);
    let pages = pdf_pages(&pdf);
    assert!(pages >= 4, "{pages} pages");
    let text = pdf_text(&pdf);
    for expected in ["中共示例县委组织部文件", "〔2026〕12", "五、问题整改情况", "附件 1", "重点问题整改清单"]
    {
        assert!(text.replace("附件1", "附件 1").contains(expected), "{expected} not in the PDF:\n{text}");
    }
    assert!(pdf_text_raw(&pdf).contains("— 2 —"), "the page number field as printed");
    if let Some(dir) = std::env::var_os("XUNCHA_KEEP_PNG") {
        png_of_page(&pdf, 1, &std::path::Path::new(&dir).join("bulletin-page1"));
    }
}

#[test]
fn without_an_office_the_document_is_plain_and_the_user_is_told() {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "100", "--seed", "5", "--visited", "0.6"]);
    let out = f.path("plain.docx");
    let r = f.run(&["export", "bulletin", "--quarter", "2026Q4", "--format", "docx", "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("config.toml 中没有 [office] 的 name"), "{}", r.stderr);
    let doc = part(&out, "word/document.xml");
    assert!(doc.contains("附件1") && !doc.contains("文件</w:t>"), "no masthead");
    // A bad [office] key is refused with the file and the key.
    std::fs::create_dir_all(f.config()).unwrap();
    std::fs::write(f.config().join("config.toml"), "[office]\nnmae = \"x\"\n").unwrap();
    let r = f.run(&["export", "bulletin", "--quarter", "2026Q4", "--format", "docx", "-o", out.to_str().unwrap()]);
    assert!(r.code != 0 && r.stderr.contains("config.toml") && r.stderr.contains("nmae"), "{}", r.stderr);
}
