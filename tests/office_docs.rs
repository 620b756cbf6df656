//! The office's documents opened by a real office suite: an official document (公文) written by
//! the Word writer and a small spreadsheet are converted to PDF by LibreOffice
//! (tests/support/office.rs, installed when missing) and read back: pages, text, the page
//! number field as printed. Two conversions in all: LibreOffice is slow to start.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod support;

use support::office::{pdf_pages, pdf_text, pdf_text_raw, png_of_page, to_pdf};
use xuncha::report::doc::{Attachment, Block, Document, Official};

/// A notice as a county's organisation department sends it, with two attachments: a short table
/// and a long one (60 rows, onto a second page of its own).
fn notice() -> Document {
    let mut d = Document::new("关于2026年第四季度基层党建“四不两直”督查情况的通报");
    d.official = Some(Official {
        issuer_mark: "中共示例县委组织部文件".into(),
        number: "示组通〔2026〕12号".into(),
        recipients: "各乡镇党委，县直各部门党组（党委）".into(),
        signature: "中共示例县委组织部".into(),
        date: "2026年12月31日".into(),
        cc: "县委办公室，县纪委监委机关".into(),
        printed_by: "中共示例县委组织部办公室".into(),
        printed_on: "2026年12月31日".into(),
    });
    d.paragraph("为推动基层党组织建设各项任务落地见效，2026年第四季度，县委组织部采取“四不两直”方式，对全县基层党组织开展了随机督查。现将有关情况通报如下。");
    d.heading("一、基本情况");
    d.paragraph("本季度共督查基层党组织 22 个，覆盖 6 个乡镇、4 个领域，平均得分 91.5 分。其中标杆型 8 个、成长型 11 个、整改型 3 个。");
    d.blocks.push(Block::Heading(3, "（一）组织设置".into()));
    d.paragraph("大部分党组织设置规范，按期换届。个别村党支部委员出缺半年未补选，支委会委员仅 2 人。");
    d.heading("二、存在问题");
    d.paragraph("一是组织生活不够规范，部分党支部“三会一课”记录要素不全；二是书记履职不够到位，书记项目推进缓慢；三是阵地建设有短板。");
    d.heading("三、下步工作要求");
    d.paragraph("各乡镇党委要对照问题清单（见附件），逐项制定整改措施，于 2027 年 1 月 31 日前将整改情况报县委组织部组织科。");
    d.blocks.push(Block::Signatures(vec!["检查组（签字）".into(), "被检查单位（签字）".into()]));
    d.attachments.push(Attachment {
        title: "各乡镇督查得分情况".into(),
        blocks: vec![Block::Table {
            header: vec!["乡镇".into(), "督查个数".into(), "平均得分".into(), "等次".into()],
            rows: vec![
                vec!["金沙乡".into(), "5".into(), "93.2".into(), "标杆型".into()],
                vec!["银河镇".into(), "4".into(), "88.0".into(), "成长型".into()],
                vec!["红旗街道".into(), "3".into(), "95.5".into(), "标杆型".into()],
            ],
        }],
    });
    let rows = (1..=60)
        .map(|i| {
            vec![
                i.to_string(),
                format!("示例第{i}村党支部"),
                format!("问题{i}：会议记录要素不全，缺少参会人员签到和议题记录"),
                "限期整改".into(),
                "2027-01-31".into(),
            ]
        })
        .collect();
    d.attachments.push(Attachment {
        title: "问题整改清单".into(),
        blocks: vec![
            Block::Paragraph("以下问题请于整改时限前完成整改并报送佐证材料。".into()),
            Block::Table {
                header: vec!["序号".into(), "党组织".into(), "问题描述".into(), "整改类型".into(), "整改时限".into()], rows
            },
        ],
    });
    d
}

#[test]
fn an_official_notice_and_a_spreadsheet_open_in_libreoffice() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("notice.docx");
    std::fs::write(&path, xuncha::report::docx::docx(&notice()).unwrap()).unwrap();
    let pdf = to_pdf(&path);
    // The first page, for a person to look at: XUNCHA_KEEP_PNG names a folder to copy it (and
    // the PDF) to.
    let png = tmp.path().join("page1.png");
    png_of_page(&pdf, 1, &png);
    if let Some(keep) = std::env::var_os("XUNCHA_KEEP_PNG") {
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&png, std::path::Path::new(&keep).join("office-docx-page1.png")).unwrap();
        std::fs::copy(&pdf, std::path::Path::new(&keep).join("office-docx.pdf")).unwrap();
        std::fs::copy(&path, std::path::Path::new(&keep).join("office-docx.docx")).unwrap();
    }
    assert!(std::fs::metadata(&png).unwrap().len() > 10_000, "a blank page?");
    let pages = pdf_pages(&pdf);
    let text = pdf_text(&pdf);
    assert!(pages >= 3, "the body, the short attachment and the long one's two pages at least: {pages} pages\n{text}");
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for want in
        ["中共示例县委组织部文件", "〔2026〕12号", "关于2026年第四季度基层党建“四不两直”督查情况的通报", "附件1", "附件2", "各乡镇党委"]
    {
        assert!(squeezed.contains(want), "{want} is not in the PDF:\n{text}");
    }
    // Per page, without spaces (pdftotext puts some between Chinese and digits, and a cell's
    // text wraps).
    let page_texts: Vec<String> = text.split('\u{c}').map(|p| p.chars().filter(|c| !c.is_whitespace()).collect()).collect();
    // The long table's last row is past the page where its attachment starts, under a header
    // repeated at the top of that page.
    let last = page_texts.iter().position(|p| p.contains("问题60：会议记录")).unwrap_or_else(|| panic!("the last row is missing:\n{text}"));
    let start = page_texts.iter().position(|p| p.contains("附件2")).unwrap();
    assert!(last > start, "the last row (page {}) is on a later page than 附件2 (page {})", last + 1, start + 1);
    assert!(page_texts[last].contains("问题描述"), "the header row is repeated on page {}:\n{}", last + 1, page_texts[last]);
    // The PAGE field, printed: "— 1 —", "— 2 —"… (pdftotext -layout drops the narrow spaces).
    let raw = pdf_text_raw(&pdf);
    for n in 1..=pages {
        assert!(raw.contains(&format!("— {n} —")), "no page number \"— {n} —\":\n{raw}");
    }

    // A spreadsheet through the same harness (the xlsx writers' tests stand on it).
    let xlsx = tmp.path().join("list.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "党组织").unwrap();
    sheet.write_string(0, 1, "得分").unwrap();
    sheet.write_string(1, 0, "柳河村党支部").unwrap();
    sheet.write_number(1, 1, 97.5).unwrap();
    book.save(&xlsx).unwrap();
    let pdf = to_pdf(&xlsx);
    assert_eq!(pdf_pages(&pdf), 1);
    let text = pdf_text(&pdf);
    assert!(text.contains("柳河村党支部") && text.contains("97.5"), "{text}");
}
