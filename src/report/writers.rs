//! Writers for the rectification list: CSV (UTF-8 with BOM, for Excel), JSON (a documented,
//! versioned schema with stable ids), Markdown, and XLSX (frozen header, autofilter, wrapped text,
//! widths that fit Chinese, overdue rows marked, a second sheet of counts).
//!
//! Safe to open: no CSV cell starts like a formula (a leading apostrophe), every XLSX text cell is
//! written as a string (never through a call that could take a formula), and the Markdown carries
//! no HTML or links from the data.

use super::rectification::{RectRow, SCHEMA, columns, count_by};
use super::words::D;
use crate::i18n::Lang;
use crate::safe_text::{escape_markdown, guard_formula, markdown_cell};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook};
use unicode_width::UnicodeWidthStr;

/// The language of a list's rows (Chinese for an empty list).
fn lang_of(rows: &[RectRow]) -> Lang {
    rows.first().map_or(Lang::Zh, |r| r.lang)
}

/// The list as CSV, its headers in the language of its rows.
pub fn csv(rows: &[RectRow]) -> Result<Vec<u8>, String> {
    csv_in(rows, lang_of(rows))
}

/// The list as CSV with the headers in `lang`.
pub fn csv_in(rows: &[RectRow], lang: Lang) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(columns(lang)).map_err(|e| e.to_string())?;
    for r in rows {
        let mut failed = None;
        r.each_cell(|c| {
            if failed.is_none() {
                failed = w.write_field(guard_formula(c).as_bytes()).err();
            }
        });
        if let Some(e) = failed {
            return Err(e.to_string());
        }
        w.write_record(None::<&[u8]>).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// The list as JSON; `head` is the audit chain's head when it was made (sequence, hash), so a
/// receiver can later check with `xuncha audit verify --head` that nothing before it changed.
pub fn json(rows: &[RectRow], head: Option<(u64, &str)>) -> Result<Vec<u8>, String> {
    let head = head.map(|(seq, hash)| serde_json::json!({ "seq": seq, "hash": hash }));
    let doc = serde_json::json!({ "schema": SCHEMA, "count": rows.len(), "audit_head": head, "rows": rows });
    serde_json::to_vec_pretty(&doc).map_err(|e| e.to_string())
}

pub fn markdown(rows: &[RectRow], title: &str) -> Vec<u8> {
    markdown_in(rows, title, lang_of(rows))
}

pub fn markdown_in(rows: &[RectRow], title: &str, lang: Lang) -> Vec<u8> {
    let columns = columns(lang);
    let mut s = format!("# {}\n\n| {} |\n|{}\n", escape_markdown(title), columns.join(" | "), " --- |".repeat(columns.len()));
    for r in rows {
        s.push_str(&format!("| {} |\n", r.cells().iter().map(|c| markdown_cell(c)).collect::<Vec<_>>().join(" | ")));
    }
    s.into_bytes()
}

/// Display width in Excel's units: a CJK character is about two.
fn width_of(s: &str) -> f64 {
    s.lines().map(|l| l.width()).max().unwrap_or(0) as f64
}

pub fn xlsx(rows: &[RectRow], title: &str) -> Result<Vec<u8>, String> {
    xlsx_in(rows, title, lang_of(rows))
}

pub fn xlsx_in(rows: &[RectRow], title: &str, lang: Lang) -> Result<Vec<u8>, String> {
    let columns = columns(lang);
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xC00000))
        .set_font_color(Color::White)
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Center);
    let cell = Format::new().set_text_wrap().set_border(FormatBorder::Thin).set_align(FormatAlign::Top);
    let overdue = Format::new()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006));
    let ws = wb.add_worksheet().set_name(D::SheetList.text_in(lang)).map_err(e)?;
    for (c, h) in columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &header).map_err(e)?;
    }
    let mut widths: Vec<f64> = columns.iter().map(|h| width_of(h) + 2.0).collect();
    for (i, r) in rows.iter().enumerate() {
        let fmt = if r.overdue { &overdue } else { &cell };
        let row = (i + 1) as u32;
        // Each cell straight from the row: the writer copies what it keeps.
        let mut c = 0usize;
        let mut failed = None;
        r.each_cell(|v| {
            if failed.is_some() {
                return;
            }
            // A cell's width is at most its length in bytes: most cells need no measuring.
            if let Some(w) = widths.get_mut(c)
                && *w < 42.0
                && v.len() as f64 + 2.0 > *w
            {
                *w = w.max(width_of(v) + 2.0);
            }
            // A cell's own format, not a column's: Excel applies a column's format only to cells
            // that were never written. 序号 and 扣分 as numbers, so they sort and sum.
            let col = c as u16;
            let written = match c {
                0 => ws.write_number_with_format(row, col, r.seq as f64, fmt),
                12 => ws.write_number_with_format(row, col, r.deduction, fmt),
                _ => ws.write_string_with_format(row, col, v, fmt),
            };
            failed = written.err();
            c += 1;
        });
        if let Some(x) = failed {
            return Err(e(x));
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, w.min(40.0)).map_err(e)?;
    }
    ws.set_freeze_panes(1, 0).map_err(e)?;
    ws.autofilter(0, 0, rows.len() as u32, (columns.len() - 1) as u16).map_err(e)?;

    let summary = wb.add_worksheet().set_name(D::SheetCounts.text_in(lang)).map_err(e)?;
    summary.write_string_with_format(0, 0, title, &Format::new().set_bold()).map_err(e)?;
    let mut row = 2u32;
    let tables: [(&str, Vec<(String, usize)>); 3] = [
        (D::CountStatus.text_in(lang), count_by(rows, |r| r.status_label())),
        (D::CountSeverity.text_in(lang), count_by(rows, |r| r.severity.clone())),
        (D::CountArea.text_in(lang), count_by(rows, |r| r.area.clone())),
    ];
    for (name, counts) in tables {
        summary.write_string_with_format(row, 0, name, &header).map_err(e)?;
        summary.write_string_with_format(row, 1, D::CountProblems.text_in(lang), &header).map_err(e)?;
        row += 1;
        for (k, n) in counts {
            // Area names come from the roster: a string, whatever it starts with.
            summary.write_string_with_format(row, 0, &k, &cell).map_err(e)?;
            summary.write_number_with_format(row, 1, n as f64, &cell).map_err(e)?;
            row += 1;
        }
        row += 1;
    }
    summary.write_string_with_format(row, 0, D::CountTotal.text_in(lang), &Format::new().set_bold()).map_err(e)?;
    summary.write_number(row, 1, rows.len() as f64).map_err(e)?;
    summary.set_column_width(0, 24).map_err(e)?;
    summary.set_column_width(1, 10).map_err(e)?;
    wb.save_to_buffer().map_err(e)
}
