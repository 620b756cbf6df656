//! The printed page of every worksheet xuncha writes (the rectification list and its counts, the
//! paper visit sheet): a title row above the table (merged across its columns: what the sheet is,
//! of which round, and the day it was exported), the header row under it, the data below.
//!
//! Print setup, the same for every sheet: A4, landscape when the table is wider than a portrait
//! page, fitted to one page wide (as many pages long as it takes), the title and header rows
//! printed again on every page, frozen under the header on screen, columns as wide as their
//! widest cell in display columns (a CJK character counts two) up to a cap past which the text
//! wraps, and page numbers in the footer. Header and footer texts are escaped: a name with `&`
//! in it prints as written instead of being read as a control code.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

/// Row of the title, of the header, and the first row of data (0-based, as the writer counts).
pub const TITLE_ROW: u32 = 0;
pub const HEADER_ROW: u32 = 1;
pub const FIRST_ROW: u32 = 2;

/// A column is at most this wide (in Excel's character units); longer text wraps.
pub const MAX_WIDTH: f64 = 36.0;
/// Tables with more columns than this are printed landscape.
const PORTRAIT_COLUMNS: usize = 8;
/// About what fits across a portrait A4 page between the margins, in character units.
const PORTRAIT_WIDTH: f64 = 90.0;
/// Paper size 9 is A4 in the page setup's numbering.
pub const A4: u8 = 9;
/// Excel refuses a header or footer longer than this (in UTF-16 units, control codes included).
const HEADER_FOOTER_MAX: usize = 255;

/// The formats of a sheet: each cell carries its own (Excel applies a column's format only to
/// cells never written).
pub struct Styles {
    pub title: Format,
    pub header: Format,
    pub cell: Format,
    /// A row past its deadline: the list marks it red.
    pub overdue: Format,
}

impl Default for Styles {
    fn default() -> Self {
        Styles::new()
    }
}

impl Styles {
    pub fn new() -> Styles {
        let body = Format::new().set_text_wrap().set_border(FormatBorder::Thin).set_align(FormatAlign::Top);
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xC00000))
                .set_font_color(Color::White)
                .set_border(FormatBorder::Thin)
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            overdue: body.clone().set_background_color(Color::RGB(0xFFC7CE)).set_font_color(Color::RGB(0x9C0006)),
            cell: body,
        }
    }
}

/// Display width in Excel's units: a CJK character is about two; the widest line of the text.
pub fn width_of(s: &str) -> f64 {
    s.lines().map(|l| l.width()).max().unwrap_or(0) as f64
}

/// Each column's width, grown to fit the cells measured, capped at [`MAX_WIDTH`].
#[derive(Debug, Clone, PartialEq)]
pub struct Widths(Vec<f64>);

impl Widths {
    /// Wide enough for each header (a header wraps too, but reads better whole).
    pub fn of_headers(headers: &[&str]) -> Widths {
        Widths(headers.iter().map(|h| (width_of(h) + 2.0).min(MAX_WIDTH)).collect())
    }

    /// At least `w` for column `col` (a column to write in by hand needs room even when empty).
    pub fn at_least(&mut self, col: usize, w: f64) {
        if let Some(x) = self.0.get_mut(col) {
            *x = x.max(w.min(MAX_WIDTH));
        }
    }

    /// Grows column `col` to fit `text`.
    pub fn fit(&mut self, col: usize, text: &str) {
        // A cell's width is at most its length in bytes: most cells need no measuring.
        if let Some(w) = self.0.get_mut(col)
            && *w < MAX_WIDTH
            && text.len() as f64 + 2.0 > *w
        {
            *w = w.max(width_of(text) + 2.0).min(MAX_WIDTH);
        }
    }

    /// The columns' widths.
    pub fn get(&self) -> &[f64] {
        &self.0
    }

    /// Whether the table is too wide for a portrait page.
    pub fn landscape(&self) -> bool {
        self.0.len() > PORTRAIT_COLUMNS || self.0.iter().sum::<f64>() > PORTRAIT_WIDTH
    }
}

/// `s` safe inside a page header or footer: `&` starts a control code there, `&&` prints one.
pub fn escape_header_footer(s: &str) -> String {
    s.replace('&', "&&")
}

/// The footer: the sheet's title on the left (cut to what Excel takes), the page number and the
/// page count on the right.
pub fn footer(title: &str) -> String {
    let pages = "&R第 &P 页 共 &N 页";
    let room = HEADER_FOOTER_MAX - pages.encode_utf16().count() - 2;
    let mut left = String::new();
    let mut used = 0;
    for c in title.chars() {
        let escaped = escape_header_footer(c.encode_utf8(&mut [0; 4]));
        let n = escaped.encode_utf16().count();
        if used + n > room {
            break;
        }
        used += n;
        left.push_str(&escaped);
    }
    format!("&L{left}{pages}")
}

/// Writes the title row (merged across `columns` columns) and, when `headers` is not empty, the
/// header row under it.
pub fn title_and_header(ws: &mut Worksheet, title: &str, columns: usize, headers: &[&str], styles: &Styles) -> Result<(), XlsxError> {
    let last = columns.max(1) as u16 - 1;
    if last == 0 {
        ws.write_string_with_format(TITLE_ROW, 0, title, &styles.title)?;
    } else {
        ws.merge_range(TITLE_ROW, 0, TITLE_ROW, last, title, &styles.title)?;
    }
    // A merged cell does not grow with its text: room for two lines of the larger font.
    ws.set_row_height(TITLE_ROW, 36)?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, *h, &styles.header)?;
    }
    Ok(())
}

/// How a sheet prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Print {
    /// The rows printed again at the top of every page (0-based, inclusive).
    pub repeat: (u32, u32),
    /// The rows frozen above the scrolling part on screen.
    pub freeze: u32,
}

impl Print {
    /// A table: the title and the header repeat and stay in sight.
    pub const TABLE: Print = Print { repeat: (TITLE_ROW, HEADER_ROW), freeze: FIRST_ROW };
    /// A sheet of several small tables (the counts): only the title does.
    pub const TITLE_ONLY: Print = Print { repeat: (TITLE_ROW, TITLE_ROW), freeze: HEADER_ROW };
}

/// The page setup and the columns: A4, landscape when wide, one page wide, repeated rows, frozen
/// panes, widths, margins, footer.
pub fn page_setup(ws: &mut Worksheet, title: &str, widths: &Widths, print: Print) -> Result<(), XlsxError> {
    for (c, w) in widths.get().iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_paper_size(A4);
    if widths.landscape() {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(print.repeat.0, print.repeat.1)?;
    ws.set_freeze_panes(print.freeze, 0)?;
    ws.set_print_center_horizontally(true);
    // Inches: left, right, top, bottom, header, footer; room for binding on the left.
    ws.set_margins(0.6, 0.4, 0.6, 0.7, 0.3, 0.3);
    ws.set_footer(footer(title));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_chinese_twice_and_stop_at_the_cap() {
        let mut w = Widths::of_headers(&["序号", "问题描述"]);
        assert_eq!(w.get(), &[6.0, 10.0]);
        w.fit(0, "12");
        w.fit(1, "换届超期八个月仍未完成");
        assert_eq!(w.get(), &[6.0, 24.0]);
        w.fit(1, &"很长的问题描述".repeat(20));
        assert_eq!(w.get()[1], MAX_WIDTH);
        w.at_least(0, 12.0);
        assert_eq!(w.get()[0], 12.0);
        assert!(!w.landscape(), "two columns fit a portrait page");
        assert!(Widths::of_headers(&["a"; 9]).landscape(), "nine columns are landscape");
        assert!(Widths::of_headers(&["很长的问题描述很长的问题描述很长"; 4]).landscape(), "four wide ones too");
    }

    #[test]
    fn headers_and_footers_print_an_ampersand_as_written() {
        assert_eq!(escape_header_footer("A&B 党支部"), "A&&B 党支部");
        assert_eq!(footer("张&李"), "&L张&&李&R第 &P 页 共 &N 页");
        let long = footer(&"&党".repeat(300));
        assert!(long.encode_utf16().count() <= HEADER_FOOTER_MAX, "{}", long.len());
        assert!(long.ends_with("&R第 &P 页 共 &N 页"));
        let left = long.trim_end_matches("&R第 &P 页 共 &N 页");
        let trailing = left.len() - left.trim_end_matches('&').len();
        assert_eq!(trailing % 2, 0, "an escape is never cut in half: {left}");
    }
}
