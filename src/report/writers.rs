//! Writers for the rectification list: CSV (UTF-8 with BOM, for Excel), JSON (a documented,
//! versioned schema with stable ids), Markdown, and XLSX (a title row, frozen header, autofilter,
//! wrapped text, widths that fit Chinese, overdue rows marked, a second sheet of counts, the page
//! set up for A4 by `sheet_layout`); and any plain table as XLSX (the paper visit sheet).
//!
//! Safe to open: no CSV cell starts like a formula (a leading apostrophe), every XLSX text cell is
//! written as a string (never through a call that could take a formula), and the Markdown carries
//! no HTML or links from the data.

use super::rectification::{RectRow, SCHEMA, columns, count_by};
use super::sheet_layout::{self as layout, Print, Styles, Widths};
use super::words::D;
use crate::i18n::Lang;
use crate::safe_text::{escape_markdown, guard_formula, markdown_cell};
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

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

/// What a sheet's title row says besides what the sheet is: the round(s) or quarter the list
/// holds (empty: everything) and the day it was exported (the session's clock, so a test's file
/// is the same every time).
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub scope: String,
    pub exported_on: NaiveDate,
    /// The rectification figures of the listed findings (`domain::figures`, the bulletin's
    /// function): the period they are counted in and the figures, for the counts sheet.
    pub figures: Option<(crate::domain::figures::Period, crate::domain::figures::RectFigures)>,
}

impl Heading {
    /// The list's title row: 问题整改清单（2026年第四季度）　导出日期：2026-11-22.
    pub fn list_title(&self, lang: Lang) -> String {
        match self.scope.as_str() {
            "" => D::ListTitleAll.fill_in(lang, &[&self.exported_on]),
            scope => D::ListTitle.fill_in(lang, &[&scope, &self.exported_on]),
        }
    }

    /// The counts sheet's title row.
    pub fn counts_title(&self, lang: Lang) -> String {
        match self.scope.as_str() {
            "" => D::CountsTitleAll.fill_in(lang, &[&self.exported_on]),
            scope => D::CountsTitle.fill_in(lang, &[&scope, &self.exported_on]),
        }
    }
}

pub fn xlsx(rows: &[RectRow], heading: &Heading) -> Result<Vec<u8>, String> {
    xlsx_in(rows, heading, lang_of(rows))
}

/// The list as XLSX: the list itself first (the sheet `rectify import` reads), then the counts.
/// Both under a title row, with the page set up for printing (`sheet_layout`).
pub fn xlsx_in(rows: &[RectRow], heading: &Heading, lang: Lang) -> Result<Vec<u8>, String> {
    let columns = columns(lang);
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = Workbook::new();
    let styles = Styles::new();
    // The counts below write with these two by name.
    let (header, cell) = (styles.header.clone(), styles.cell.clone());
    let title = heading.list_title(lang);
    let ws = wb.add_worksheet().set_name(D::SheetList.text_in(lang)).map_err(e)?;
    layout::title_and_header(ws, &title, columns.len(), &columns, &styles).map_err(e)?;
    let mut widths = Widths::of_headers(&columns);
    for (i, r) in rows.iter().enumerate() {
        let fmt = if r.overdue { &styles.overdue } else { &cell };
        let row = layout::FIRST_ROW + i as u32;
        // Each cell straight from the row: the writer copies what it keeps.
        let mut c = 0usize;
        let mut failed = None;
        r.each_cell(|v| {
            if failed.is_some() {
                return;
            }
            widths.fit(c, v);
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
    layout::page_setup(ws, &title, &widths, Print::TABLE).map_err(e)?;
    let last = layout::HEADER_ROW + rows.len() as u32;
    ws.autofilter(layout::HEADER_ROW, 0, last, (columns.len() - 1) as u16).map_err(e)?;

    let summary = wb.add_worksheet().set_name(D::SheetCounts.text_in(lang)).map_err(e)?;
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
    if let Some((period, f)) = &heading.figures {
        row += 2;
        let head = D::CountRect.fill_in(lang, &[&period.start, &period.end, &period.as_of]);
        summary.write_string_with_format(row, 0, &head, &header).map_err(e)?;
        summary.write_string_with_format(row, 1, D::CountProblems.text_in(lang), &header).map_err(e)?;
        row += 1;
        let counts = [
            (D::ColDue, f.due),
            (D::ColOnTime, f.on_time),
            (D::ColDone, f.done),
            (D::ColOverdue, f.overdue),
            (D::ColDueToday, f.due_today_open),
            (D::ColCarried, f.carried_over),
            (D::ColLongTerm, f.long_term),
            (D::ColNotDue, f.not_due),
            (D::ColExtensions, f.extension_asked),
        ];
        for (k, n) in counts {
            summary.write_string_with_format(row, 0, k.text_in(lang), &cell).map_err(e)?;
            summary.write_number_with_format(row, 1, n as f64, &cell).map_err(e)?;
            row += 1;
        }
        let rate = f.on_time_rate().map_or_else(|| D::Dash.text_in(lang).to_string(), |r| format!("{r}%"));
        summary.write_string_with_format(row, 0, D::ColOnTimeRate.text_in(lang), &cell).map_err(e)?;
        summary.write_string_with_format(row, 1, &rate, &cell).map_err(e)?;
        row += 1;
        summary.write_string(row, 0, D::CountRectNote.text_in(lang)).map_err(e)?;
    }
    counts_layout(summary, &heading.counts_title(lang), &styles).map_err(e)?;
    wb.save_to_buffer().map_err(e)
}

/// The counts sheet's page, apart from its figures: the title row over its two columns, portrait
/// A4 (it is narrow), the title repeated on every page.
fn counts_layout(ws: &mut Worksheet, title: &str, styles: &Styles) -> Result<(), rust_xlsxwriter::XlsxError> {
    layout::title_and_header(ws, title, 2, &[], styles)?;
    let mut widths = Widths::of_headers(&["", ""]);
    widths.at_least(0, 30.0);
    widths.at_least(1, 10.0);
    layout::page_setup(ws, title, &widths, Print::TITLE_ONLY)
}

/// A plain table as XLSX (the paper visit sheet): the title row, the header, every cell a string
/// (never a formula), long text wrapped, the page set up for printing. `min_widths` gives columns
/// filled in by hand room to write in: (column, width).
pub fn table_xlsx(
    sheet: &str,
    title: &str,
    headers: &[&str],
    rows: &[Vec<String>],
    min_widths: &[(usize, f64)],
) -> Result<Vec<u8>, String> {
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = Workbook::new();
    let styles = Styles::new();
    let ws = wb.add_worksheet().set_name(sheet).map_err(e)?;
    layout::title_and_header(ws, title, headers.len(), headers, &styles).map_err(e)?;
    let mut widths = Widths::of_headers(headers);
    for (c, w) in min_widths {
        widths.at_least(*c, *w);
    }
    for (i, r) in rows.iter().enumerate() {
        for (c, v) in r.iter().enumerate().take(headers.len()) {
            widths.fit(c, v);
            ws.write_string_with_format(layout::FIRST_ROW + i as u32, c as u16, v, &styles.cell).map_err(e)?;
        }
    }
    layout::page_setup(ws, title, &widths, Print::TABLE).map_err(e)?;
    wb.save_to_buffer().map_err(e)
}
