//! The Word writer: a [`Document`] as a .docx laid out as a Chinese official document (公文,
//! GB/T 9704-2012). A4 portrait, margins 37/35/28/26 mm (a text block of 156 × 225 mm), body
//! text 3号 (16 pt) 仿宋 on a fixed line of 28.95 pt (22 lines a page), paragraphs indented two
//! characters; with `official`: the red 发文机关标志, the 发文字号, the red line, the title, the
//! 主送机关, the body, the 附件 list, the signature and date, each attachment on a new page and
//! the 版记 at the end. Page numbers "— 1 —" in the footer, odd pages on the right and even
//! pages on the left, each one character in from the edge.
//!
//! The XML is written by docx-rs. Two things it has no call for are added to the parts it built
//! (see [`finish`]): the title in the document's properties and the "repeat as header row" mark
//! of a table's first row. Text is cleaned of what XML cannot hold first ([`clean`]).

use super::doc::{Attachment, Block, Chart, Document, Official};
use super::words::D;
use crate::i18n::Lang;
use docx_rs::{
    AlignmentType, BorderType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing, LineSpacingType, PageMargin, Paragraph,
    ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, SpecialIndentType, Tab, TabValueType, Table, TableCell,
    TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};
use unicode_width::UnicodeWidthStr;

const PAGE_W: u32 = 11906; // A4: 210 mm
const PAGE_H: u32 = 16838; // 297 mm
const MARGIN_TOP: i32 = 2098; // 37 mm
const MARGIN_BOTTOM: i32 = 1984; // 35 mm
const MARGIN_LEFT: i32 = 1587; // 28 mm
const MARGIN_RIGHT: i32 = 1474; // 26 mm
/// The footer's distance from the page's bottom edge: the number's top sits about 7 mm under
/// the text block (35 mm − 7 mm − a 14 pt line).
const FOOTER_FROM_EDGE: i32 = 1304;
/// The text block's width (156 mm).
const TEXT_W: i32 = PAGE_W as i32 - MARGIN_LEFT - MARGIN_RIGHT;

/// 3号 (16 pt) in half-points, the body's size.
const BODY: usize = 32;
/// 2号 (22 pt), the title's.
const TITLE: usize = 44;
/// 4号 (14 pt): the 版记 and the page numbers.
const SMALL: usize = 28;
/// 小四 (12 pt): tables.
const TABLE: usize = 24;
/// 五号 (10.5 pt): tables of more than `NARROW_COLUMNS` columns, so their cells need not wrap
/// every few characters.
const TABLE_WIDE: usize = 21;
const NARROW_COLUMNS: usize = 5;
/// One character of body text (16 pt) in twips: indents are counted in these.
const CHAR: i32 = 320;
/// The fixed line of the body: 28.95 pt, 22 lines in the 225 mm block.
const LINE: i32 = 579;

const RED: &str = "FF0000";
const BLACK: &str = "000000";
const FANGSONG: &str = "仿宋_GB2312";
const HEITI: &str = "黑体";
const KAITI: &str = "楷体_GB2312";
const XIAOBIAOSONG: &str = "方正小标宋简体";
const SONGTI: &str = "宋体";

/// The document as the bytes of a .docx file. Err only when the zip cannot be written (it is
/// written to memory, so in practice never).
pub fn docx(doc: &Document) -> Result<Vec<u8>, String> {
    let page = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(PageMargin {
            top: MARGIN_TOP,
            left: MARGIN_LEFT,
            bottom: MARGIN_BOTTOM,
            right: MARGIN_RIGHT,
            header: 851,
            footer: FOOTER_FROM_EDGE,
            gutter: 0,
        })
        .default_fonts(fonts(FANGSONG))
        .default_size(BODY)
        .default_line_spacing(LineSpacing::new().line_rule(LineSpacingType::Exact).line(LINE))
        // GB/T 9704: odd pages' number on the right, even pages' on the left (docx-rs sets
        // w:evenAndOddHeaders in the settings when an even footer is given).
        .footer(Footer::new().add_paragraph(page_number(AlignmentType::Right)))
        .even_footer(Footer::new().add_paragraph(page_number(AlignmentType::Left)));
    // The document's own date as its created and modified dates (none: docx-rs's fixed epoch,
    // never the clock, so the same document is the same file).
    let page = match doc.date {
        Some(d) => page.created_at(&format!("{d}T00:00:00Z")).updated_at(&format!("{d}T00:00:00Z")),
        None => page,
    };
    let mut w = Writer { tables_with_header: Vec::new(), out: Vec::new(), lang: doc.lang, page_break: false };
    w.document(doc);
    let d = w.out.into_iter().fold(page, |d, part| match part {
        Part::P(p) => d.add_paragraph(*p),
        Part::T(t) => d.add_table(*t),
    });
    finish(d.build(), &clean(&doc.title), &w.tables_with_header)
}

/// A paragraph or a table, in the order written (boxed: a docx-rs paragraph is 2 kB).
enum Part {
    P(Box<Paragraph>),
    T(Box<Table>),
}

struct Writer {
    /// For each table in the order written: whether its first row is a header row.
    tables_with_header: Vec<bool>,
    out: Vec<Part>,
    lang: Lang,
    /// A page break is due before the next paragraph.
    page_break: bool,
}

impl Writer {
    fn p(&mut self, p: Paragraph) {
        // After a page break the next paragraph starts the new page.
        let p = if std::mem::take(&mut self.page_break) { p.page_break_before(true) } else { p };
        self.out.push(Part::P(Box::new(p)));
    }

    fn blank(&mut self) {
        self.p(Paragraph::new());
    }

    fn table(&mut self, t: Table, header: bool) {
        // A table cannot start a page by itself: an empty paragraph does it.
        if self.page_break {
            self.blank();
        }
        self.tables_with_header.push(header);
        self.out.push(Part::T(Box::new(t)));
    }

    fn document(&mut self, doc: &Document) {
        let lang = doc.lang;
        let mut body = doc.blocks.as_slice();
        if let Some(o) = &doc.official {
            self.head(o);
        }
        // The title: the first block when it is a level-1 heading (Document::new puts it
        // there), else the document's title.
        match body.first() {
            Some(Block::Heading(1, t)) => {
                self.p(title(t));
                self.blank();
                body = &body[1..];
            }
            _ if !doc.title.trim().is_empty() => {
                self.p(title(&doc.title));
                self.blank();
            }
            _ => {}
        }
        if let Some(o) = doc.official.as_ref().filter(|o| !o.recipients.trim().is_empty()) {
            self.p(text_para(&D::Recipients.fill_in(lang, &[&clean(&o.recipients)]), FANGSONG, BODY).align(AlignmentType::Both));
        }
        self.blocks(body);
        // The attachment list follows the body with or without the official parts: a plain
        // report that carries attachments says so too.
        if !doc.attachments.is_empty() {
            self.attachment_list(&doc.attachments);
        }
        if let Some(o) = &doc.official {
            self.signature(o);
        }
        for (i, a) in doc.attachments.iter().enumerate() {
            self.attachment(i + 1, a);
        }
        if let Some(o) = &doc.official {
            self.record(o);
        }
    }

    /// 发文机关标志 (red, 小标宋, centred, as large as fits one line up to 36 pt), 发文字号 and
    /// the red line under them.
    fn head(&mut self, o: &Official) {
        let mark = clean(&o.issuer_mark);
        if !mark.trim().is_empty() {
            // One em is two display columns: the largest size that keeps the mark on one line of
            // the 156 mm block, between 22 pt and 36 pt (a longer mark wraps).
            let ems = (UnicodeWidthStr::width(mark.as_str()) as f64 / 2.0).max(1.0);
            let pt = (f64::from(TEXT_W) / 20.0 * 0.95 / ems).clamp(22.0, 36.0);
            let half_points = (pt * 2.0).floor() as usize;
            self.p(Paragraph::new()
                .add_run(Run::new().add_text(mark).fonts(fonts(XIAOBIAOSONG)).size(half_points).color(RED))
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Auto).line(240).before(200).after(240)));
        }
        self.blank();
        let number = clean(&o.number);
        // The red line is the bottom border of the number's paragraph (or of an empty one),
        // about 4 mm under it, across the text block.
        let p = text_para(&number, FANGSONG, BODY).align(AlignmentType::Center);
        self.p(ruled(p, &[(ParagraphBorderPosition::Bottom, 18, 11, RED)]));
        self.blank();
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            match b {
                Block::Heading(1, t) => self.p(title(t)),
                Block::Heading(2, t) => self
                    .p(text_para(t, HEITI, BODY).indent(Some(0), Some(SpecialIndentType::FirstLine(2 * CHAR)), None, None).keep_next(true)),
                Block::Heading(_, t) => self
                    .p(text_para(t, KAITI, BODY).indent(Some(0), Some(SpecialIndentType::FirstLine(2 * CHAR)), None, None).keep_next(true)),
                Block::Paragraph(t) => self.p(body_para(t)),
                Block::Table { header, rows } => self.data_table(header, rows),
                Block::Chart(c) => self.chart(c),
                Block::Signatures(who) => self.signatures(who),
                Block::PageBreak => self.page_break = true,
            }
        }
    }

    /// A table across the text block: thin black borders, 小四 仿宋, the header row bold and
    /// repeated on each page, no row split across pages; columns in proportion to their widest
    /// text ([`column_widths`]), short cells and numbers centred, long text on the left, wrapping.
    fn data_table(&mut self, header: &[String], rows: &[Vec<String>]) {
        let columns = rows.iter().map(Vec::len).chain([header.len()]).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        let mut widest = vec![2usize; columns];
        for r in rows.iter().chain([header.to_vec()].iter()) {
            for (i, c) in r.iter().enumerate() {
                if let Some(w) = widest.get_mut(i) {
                    *w = (*w).max(UnicodeWidthStr::width(c.as_str()));
                }
            }
        }
        let size = if columns > NARROW_COLUMNS { TABLE_WIDE } else { TABLE };
        let grid = column_widths(&widest, size);
        let cell = |text: &str, i: usize, bold: bool| {
            let text = clean(text);
            let centred = bold || looks_numeric(&text) || UnicodeWidthStr::width(text.as_str()) <= 12;
            let mut run = Run::new().add_text(text).fonts(fonts(FANGSONG)).size(size);
            if bold {
                run = run.bold();
            }
            let p = Paragraph::new()
                .add_run(run)
                .align(if centred { AlignmentType::Center } else { AlignmentType::Left })
                .line_spacing(LineSpacing::new().line_rule(LineSpacingType::AtLeast).line(320));
            TableCell::new().add_paragraph(p).vertical_align(VAlignType::Center).width(grid.get(i).copied().unwrap_or(0), WidthType::Dxa)
        };
        let row = |cells: &[String], bold: bool| {
            let mut out: Vec<TableCell> = (0..columns).map(|i| cell(cells.get(i).map_or("", String::as_str), i, bold)).collect();
            if out.is_empty() {
                out.push(TableCell::new());
            }
            TableRow::new(out).cant_split()
        };
        let has_header = !header.is_empty();
        let mut all = Vec::with_capacity(rows.len() + 1);
        if has_header {
            all.push(row(header, true));
        }
        all.extend(rows.iter().map(|r| row(r, false)));
        let t = Table::new(all)
            .set_grid(grid.clone())
            .width(TEXT_W as usize, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .margins(TableCellMargins::new().margin(40, 80, 40, 80));
        self.table(t, has_header);
        // A paragraph after each table keeps two tables in a row from running into one.
        self.p(Paragraph::new().line_spacing(LineSpacing::new().line_rule(LineSpacingType::Exact).line(200)));
    }

    /// A chart as a small table (label, value with its unit) under its title: a docx cannot draw
    /// the bars without a picture, and its figures must not be lost (the text around a chart
    /// does not always give them all).
    fn chart(&mut self, c: &Chart) {
        if c.bars.is_empty() {
            return;
        }
        self.p(text_para(&c.title, HEITI, TABLE + 4).align(AlignmentType::Center).keep_next(true));
        let rows: Vec<Vec<String>> = c
            .bars
            .iter()
            .map(|(k, v)| vec![k.clone(), format!("{}{}", crate::template::fmt_points((v * 10.0).round() / 10.0), c.unit)])
            .collect();
        self.data_table(&[], &rows);
    }

    /// Lines to sign on: a borderless table, one column per signer, each "who：", room to sign
    /// and the date to fill in.
    fn signatures(&mut self, who: &[String]) {
        if who.is_empty() {
            return;
        }
        let w = TEXT_W as usize / who.len();
        let cells = who
            .iter()
            .map(|name| {
                TableCell::new()
                    .add_paragraph(text_para(&D::SignBy.fill_in(self.lang, &[&clean(name)]), FANGSONG, BODY))
                    .add_paragraph(Paragraph::new())
                    .add_paragraph(Paragraph::new())
                    .add_paragraph(text_para(D::SignDate.text_in(self.lang), FANGSONG, BODY).align(AlignmentType::Right))
                    .width(w, WidthType::Dxa)
                    .clear_all_border()
            })
            .collect();
        self.blank();
        let t = Table::without_borders(vec![TableRow::new(cells).cant_split()])
            .set_grid(vec![w; who.len()])
            .width(TEXT_W as usize, WidthType::Dxa)
            .layout(TableLayoutType::Fixed);
        self.table(t, false);
    }

    /// "附件：1. 标题", the next items under the first one's number, a long title wrapping
    /// under its own start.
    fn attachment_list(&mut self, attachments: &[Attachment]) {
        self.blank();
        let label = D::AttachmentLabel.text_in(self.lang);
        // Half a character (8 pt) per display column.
        let label_w = UnicodeWidthStr::width(label) as i32 * CHAR / 2;
        for (i, a) in attachments.iter().enumerate() {
            let item = D::AttachmentItem.fill_in(self.lang, &[&(i + 1), &clean(&a.title)]);
            let left = 2 * CHAR + label_w;
            let p = if i == 0 {
                text_para(&format!("{label}{item}"), FANGSONG, BODY).indent(
                    Some(left),
                    Some(SpecialIndentType::Hanging(label_w)),
                    None,
                    None,
                )
            } else {
                text_para(&item, FANGSONG, BODY).indent(Some(left), None, None, None)
            };
            self.p(p.align(AlignmentType::Both));
        }
    }

    /// 发文机关署名 and 成文日期 on the right, the date four characters in from the edge and the
    /// signature centred over it.
    fn signature(&mut self, o: &Official) {
        let (sig, date) = (clean(&o.signature), clean(&o.date));
        if sig.trim().is_empty() && date.trim().is_empty() {
            return;
        }
        self.blank();
        self.blank();
        let date_right = 4 * CHAR;
        let half = CHAR / 2;
        let (sw, dw) = (UnicodeWidthStr::width(sig.as_str()) as i32 * half, UnicodeWidthStr::width(date.as_str()) as i32 * half);
        let sig_right = (date_right + (dw - sw) / 2).max(0);
        if !sig.trim().is_empty() {
            self.p(text_para(&sig, FANGSONG, BODY).align(AlignmentType::Right).indent(None, None, Some(sig_right), None).keep_next(true));
        }
        if !date.trim().is_empty() {
            self.p(text_para(&date, FANGSONG, BODY).align(AlignmentType::Right).indent(None, None, Some(date_right), None));
        }
    }

    /// An attachment on a new page: "附件N" flush left in 黑体, its title centred in 小标宋 2号,
    /// then its blocks.
    fn attachment(&mut self, n: usize, a: &Attachment) {
        self.p(text_para(&D::AttachmentMark.fill_in(self.lang, &[&n]), HEITI, BODY).page_break_before(true).keep_next(true));
        self.blank();
        let mut blocks = a.blocks.as_slice();
        // An attachment's blocks may start with its own title: printed once.
        if let Some(Block::Heading(1, t)) = blocks.first()
            && t.trim() == a.title.trim()
        {
            blocks = &blocks[1..];
        }
        if !a.title.trim().is_empty() {
            self.p(title(&a.title));
            self.blank();
        }
        self.blocks(blocks);
    }

    /// 版记: the cc line and the printing office and date, between black lines (thicker first
    /// and last), 4号 仿宋, one character in from each side.
    fn record(&mut self, o: &Official) {
        let (cc, by, on) = (clean(&o.cc), clean(&o.printed_by), clean(&o.printed_on));
        let has_cc = !cc.trim().is_empty();
        let has_printed = !by.trim().is_empty() || !on.trim().is_empty();
        if !has_cc && !has_printed {
            return;
        }
        let one = SMALL as i32 * 10; // one 14 pt character in twips
        // The lines run across the text block and a paragraph's border follows its indents: the
        // text is set in by a full-width space (one character) instead, and the date by the tab
        // stop one character short of the right edge.
        let space = "\u{3000}";
        // GB/T 9704 puts the 版记 at the foot of the last page; here it follows the text after
        // two blank lines (a frame anchored to the bottom margin, Word's way, is not placed there
        // by LibreOffice, which then loses its lines).
        self.blank();
        self.blank();
        let spacing = || LineSpacing::new().line_rule(LineSpacingType::Exact).line(LINE);
        if has_cc {
            let p =
                text_para(&format!("{space}{}", D::Cc.fill_in(self.lang, &[&cc])), FANGSONG, SMALL).line_spacing(spacing()).keep_next(true);
            let under = if has_printed { 4 } else { 8 };
            self.p(ruled(p, &[(ParagraphBorderPosition::Top, 8, 4, BLACK), (ParagraphBorderPosition::Bottom, under, 4, BLACK)]));
        }
        if has_printed {
            let right_stop = (TEXT_W - one).max(0) as usize;
            let p = Paragraph::new()
                .add_run(
                    Run::new()
                        .add_text(format!("{space}{}", D::PrintedOffice.fill_in(self.lang, &[&by])))
                        .fonts(fonts(FANGSONG))
                        .size(SMALL),
                )
                .add_run(Run::new().add_tab().add_text(D::PrintedOn.fill_in(self.lang, &[&on])).fonts(fonts(FANGSONG)).size(SMALL))
                .add_tab(Tab::new().val(TabValueType::Right).pos(right_stop))
                .line_spacing(spacing());
            let lines: &[_] = if has_cc {
                &[(ParagraphBorderPosition::Bottom, 8, 4, BLACK)]
            } else {
                &[(ParagraphBorderPosition::Top, 8, 4, BLACK), (ParagraphBorderPosition::Bottom, 8, 4, BLACK)]
            };
            self.p(ruled(p, lines));
        }
    }
}

/// The paragraph with single lines on the given sides only: (side, width in eighths of a point,
/// distance from the text in points, colour).
fn ruled(mut p: Paragraph, lines: &[(ParagraphBorderPosition, usize, usize, &str)]) -> Paragraph {
    let mut borders = ParagraphBorders::with_empty();
    for (side, size, space, color) in lines {
        borders = borders.set(ParagraphBorder::new(side.clone()).val(BorderType::Single).size(*size).space(*space).color(*color));
    }
    p.property = p.property.set_borders(borders);
    p
}

/// Times New Roman for Latin letters and digits, `east` for Chinese.
fn fonts(east: &str) -> RunFonts {
    RunFonts::new().ascii("Times New Roman").hi_ansi("Times New Roman").east_asia(east).cs("Times New Roman")
}

/// One paragraph of `text` in `east` at `size` (half-points), no indent.
fn text_para(text: &str, east: &str, size: usize) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(clean(text)).fonts(fonts(east)).size(size))
}

/// A body paragraph: justified, the first line two characters in.
fn body_para(text: &str) -> Paragraph {
    text_para(text, FANGSONG, BODY).align(AlignmentType::Both).indent(Some(0), Some(SpecialIndentType::FirstLine(2 * CHAR)), None, None)
}

/// A title: 2号 小标宋, centred, wrapping as it must.
fn title(text: &str) -> Paragraph {
    text_para(text, XIAOBIAOSONG, TITLE).align(AlignmentType::Center).keep_next(true)
}

/// "— N —" in 4号 宋体, N the PAGE field, one character in from the side it sits on.
fn page_number(side: AlignmentType) -> Paragraph {
    let r = || Run::new().fonts(RunFonts::new().ascii("SimSun").hi_ansi("SimSun").east_asia(SONGTI)).size(SMALL);
    let one = SMALL as i32 * 10;
    let p = Paragraph::new()
        .add_run(r().add_text("— "))
        .add_run(r().add_field_char(FieldCharType::Begin, false))
        .add_run(r().add_instr_text(InstrText::PAGE(InstrPAGE::new())))
        .add_run(r().add_field_char(FieldCharType::Separate, false))
        .add_run(r().add_text("1"))
        .add_run(r().add_field_char(FieldCharType::End, false))
        .add_run(r().add_text(" —"))
        .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Auto).line(240));
    match side {
        AlignmentType::Left => p.align(AlignmentType::Left).indent(Some(one), None, None, None),
        _ => p.align(AlignmentType::Right).indent(None, None, Some(one), None),
    }
}

/// The grid of a table across the text block (twips), from each column's widest text in display
/// columns (half the font size each, and a little more for fonts that are wider; `size` in
/// half-points): a column of short text (up to 12 columns: numbers, dates, labels) gets its whole
/// width, longer ones at least 12 columns and the rest of the block in proportion to what more
/// they hold. When even that does not fit, all shrink alike.
fn column_widths(widest: &[usize], size: usize) -> Vec<usize> {
    // 130 twips a display column at 小四 (12 pt), in proportion for other sizes.
    let per_column: usize = 130 * size / TABLE;
    const PADDING: usize = 240; // the cell's margins and a little air
    let block = TEXT_W as usize;
    let natural: Vec<usize> = widest.iter().map(|w| w.min(&40) * per_column + PADDING).collect();
    let least: Vec<usize> = natural.iter().map(|n| (*n).min(12 * per_column + PADDING)).collect();
    let (sum_natural, sum_least): (usize, usize) = (natural.iter().sum(), least.iter().sum());
    let mut out: Vec<usize> = if sum_natural <= block {
        // Everything fits: the spare room goes to all in proportion.
        natural.iter().map(|n| n * block / sum_natural.max(1)).collect()
    } else if sum_least <= block {
        let (spare, wanted) = (block - sum_least, sum_natural - sum_least);
        least.iter().zip(&natural).map(|(l, n)| l + (n - l) * spare / wanted.max(1)).collect()
    } else {
        least.iter().map(|l| l * block / sum_least.max(1)).collect()
    };
    // Rounding leaves a few twips: the widest column takes them.
    let used: usize = out.iter().sum();
    if let Some(widest) = out.iter_mut().max_by_key(|w| **w) {
        *widest += block.saturating_sub(used);
    }
    out
}

/// A number, a percentage or a score ("98.5", "12", "87.5%", "-3").
fn looks_numeric(text: &str) -> bool {
    let t = text.trim().trim_end_matches(['%', '％']);
    !t.is_empty() && t.parse::<f64>().is_ok()
}

/// The text as XML can carry it, on one line: line breaks and tabs become spaces, other control
/// characters and the non-characters U+FFFE and U+FFFF are dropped (XML 1.0 cannot hold them,
/// and a file holding one does not open).
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            '\u{FFFE}' | '\u{FFFF}' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Packs the parts docx-rs built, after adding what it has no call for: the document's title in
/// its properties (docProps/core.xml: `dc:title`; docx-rs writes "unknown" as the author, so
/// nothing of the machine's user leaks) and `w:tblHeader` in the first row of each table that
/// has a header row (so Word and LibreOffice repeat it at the top of each page).
fn finish(mut built: docx_rs::XMLDocx, title: &str, tables_with_header: &[bool]) -> Result<Vec<u8>, String> {
    let core = String::from_utf8_lossy(&built.doc_props.core).into_owned();
    const END: &str = "</cp:coreProperties>";
    if let Some(at) = core.rfind(END) {
        let mut c = core[..at].to_string();
        c.push_str(&format!("<dc:title>{}</dc:title>", escape_xml(title)));
        c.push_str(&core[at..]);
        built.doc_props.core = c.into_bytes();
    }
    if tables_with_header.iter().any(|h| *h) {
        let doc = String::from_utf8_lossy(&built.document).into_owned();
        let mut out = String::with_capacity(doc.len() + 32 * tables_with_header.len());
        let mut rest = doc.as_str();
        let mut n = 0;
        // docx-rs writes no table inside a table here: the k-th `<w:tbl>` is the k-th table
        // written, and its first row's properties follow it.
        while let Some(at) = rest.find("<w:tbl>") {
            let (before, from) = rest.split_at(at + "<w:tbl>".len());
            out.push_str(before);
            rest = from;
            if tables_with_header.get(n).copied().unwrap_or(false)
                && let Some(pr) = rest.find("<w:trPr>")
            {
                let (a, b) = rest.split_at(pr + "<w:trPr>".len());
                out.push_str(a);
                out.push_str("<w:tblHeader />");
                rest = b;
            }
            n += 1;
        }
        out.push_str(rest);
        built.document = out.into_bytes();
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    built.pack(&mut bytes).map_err(|e| e.to_string())?;
    deflate(bytes.into_inner())
}

/// The package again with every part deflated: docx-rs stores its parts uncompressed, and a city's
/// bulletin is then 17 MB where Word's own would be about one. Parts keep their order and a fixed
/// time, so the same document is the same file.
fn deflate(stored: Vec<u8>) -> Result<Vec<u8>, String> {
    use std::io::{Read, Write};
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let mut input = zip::ZipArchive::new(std::io::Cursor::new(stored)).map_err(|e| err(&e))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut buf = Vec::new();
    for i in 0..input.len() {
        let mut part = input.by_index(i).map_err(|e| err(&e))?;
        let name = part.name().map_err(|e| err(&e))?.to_string();
        buf.clear();
        part.read_to_end(&mut buf).map_err(|e| err(&e))?;
        out.start_file(name, options).map_err(|e| err(&e))?;
        out.write_all(&buf).map_err(|e| err(&e))?;
    }
    Ok(out.finish().map_err(|e| err(&e))?.into_inner())
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// The parts of the .docx by name.
    fn parts(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut out = std::collections::BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            out.insert(f.name().unwrap().to_string(), s);
        }
        out
    }

    /// Every part is well-formed XML and holds no character XML 1.0 cannot carry.
    fn assert_well_formed(parts: &std::collections::BTreeMap<String, String>) {
        for (name, text) in parts {
            if !name.ends_with(".xml") && !name.ends_with(".rels") {
                continue;
            }
            let bad: Vec<char> = text
                .chars()
                .filter(|c| (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
                .collect();
            assert!(bad.is_empty(), "{name} holds {bad:?}");
            let mut r = quick_xml::Reader::from_str(text);
            loop {
                match r.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{name} is not well-formed: {e}\n{text}"),
                }
            }
        }
    }

    fn notice(lang: Lang) -> Document {
        let mut d = Document::new("关于2026年第四季度督查情况的通报").in_lang(lang);
        d.official = Some(Official {
            issuer_mark: "中共示例县委组织部文件".into(),
            number: "示组通〔2026〕12号".into(),
            recipients: "各乡镇党委".into(),
            signature: "中共示例县委组织部".into(),
            date: "2026年12月31日".into(),
            cc: "县委办公室".into(),
            printed_by: "中共示例县委组织部办公室".into(),
            printed_on: "2026年12月31日".into(),
        });
        d.heading("一、基本情况");
        d.blocks.push(Block::Heading(3, "（一）组织设置".into()));
        d.paragraph("本季度共督查基层党组织 22 个。");
        d.chart("各等次个数", "个", vec![("标杆型".into(), 8.0), ("成长型".into(), 11.0)]);
        d.blocks.push(Block::Signatures(vec!["检查组（签字）".into(), "被检查单位（签字）".into()]));
        d.attachments.push(Attachment {
            title: "得分情况".into(),
            blocks: vec![Block::Table {
                header: vec!["乡镇".into(), "得分".into()], rows: vec![vec!["金沙乡".into(), "93.2".into()]]
            }],
        });
        d.attachments.push(Attachment {
            title: "问题整改清单".into(),
            blocks: vec![Block::Table {
                header: vec!["序号".into(), "问题描述".into()],
                rows: vec![vec!["1".into(), "会议记录要素不全".into()]],
            }],
        });
        d
    }

    #[test]
    fn an_official_notice_has_its_head_body_attachments_and_record() {
        let p = parts(&docx(&notice(Lang::Zh)).unwrap());
        assert_well_formed(&p);
        let doc = &p["word/document.xml"];
        for want in [
            "中共示例县委组织部文件",
            "示组通〔2026〕12号",
            "关于2026年第四季度督查情况的通报",
            "各乡镇党委：",
            "一、基本情况",
            "（一）组织设置",
            "附件：1. 得分情况",
            "2. 问题整改清单",
            "附件1",
            "附件2",
            "检查组（签字）：",
            "年　　月　　日",
            "抄送：县委办公室。",
            "中共示例县委组织部办公室",
            "2026年12月31日印发",
            "8个",
        ] {
            assert!(doc.contains(want), "{want} is missing");
        }
        // In that order: mark, number, title, recipients, body, list, signature, attachments, 版记.
        let at = |s: &str| doc.find(s).unwrap_or_else(|| panic!("{s}"));
        let order = [
            "中共示例县委组织部文件",
            "示组通",
            "关于2026年",
            "各乡镇党委：",
            "一、基本情况",
            "附件：1.",
            ">中共示例县委组织部<",
            "附件1",
            "附件2",
            "抄送：",
        ];
        for w in order.windows(2) {
            assert!(at(w[0]) < at(w[1]), "{} comes before {}", w[0], w[1]);
        }
        // The red mark and the red line under the number.
        assert!(doc.contains(r#"<w:color w:val="FF0000" />"#) && doc.contains(r#"w:color="FF0000""#), "no red");
        assert!(doc.contains("方正小标宋简体") && doc.contains("仿宋_GB2312") && doc.contains("黑体") && doc.contains("楷体_GB2312"));
        // Tables: the chart's, the signatures', two attachments'; the two with a header row
        // repeat it, and no row splits across pages.
        assert_eq!(doc.matches("<w:tbl>").count(), 4);
        assert_eq!(doc.matches("<w:tblHeader />").count(), 2);
        assert_eq!(doc.matches("<w:cantSplit />").count(), doc.matches("<w:tr>").count());
        // The second attachment starts on a new page.
        assert_eq!(doc.matches(r#"<w:pageBreakBefore />"#).count(), 2);
        // A4, margins 37/35/28/26 mm.
        let mm = |twips: i32| f64::from(twips) * 25.4 / 1440.0;
        assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838" />"#), "{}", &doc[doc.find("<w:sectPr").unwrap()..]);
        assert!(doc.contains(r#"w:top="2098""#) && doc.contains(r#"w:bottom="1984""#));
        assert!(doc.contains(r#"w:left="1587""#) && doc.contains(r#"w:right="1474""#));
        assert_eq!(
            (mm(MARGIN_TOP).round(), mm(MARGIN_BOTTOM).round(), mm(MARGIN_LEFT).round(), mm(MARGIN_RIGHT).round()),
            (37.0, 35.0, 28.0, 26.0)
        );
        assert_eq!(mm(TEXT_W).round(), 156.0);
        // Page numbers: a PAGE field between em dashes, odd pages right, even pages left.
        let footers: Vec<&String> = p.iter().filter(|(k, _)| k.starts_with("word/footer")).map(|(_, v)| v).collect();
        assert_eq!(footers.len(), 2);
        for f in &footers {
            assert!(f.contains("<w:instrText>PAGE</w:instrText>") && f.contains("— ") && f.contains(" —"), "{f}");
        }
        assert!(
            footers.iter().any(|f| f.contains(r#"<w:jc w:val="right" />"#))
                && footers.iter().any(|f| f.contains(r#"<w:jc w:val="left" />"#))
        );
        assert!(p["word/settings.xml"].contains("<w:evenAndOddHeaders />"), "{}", p["word/settings.xml"]);
        assert!(doc.contains(r#"w:type="even""#) && doc.contains(r#"w:type="default""#));
        // The title in the properties, no one's name.
        let core = &p["docProps/core.xml"];
        assert!(core.contains("<dc:title>关于2026年第四季度督查情况的通报</dc:title>"), "{core}");
        assert!(core.contains("<dc:creator>unknown</dc:creator>"), "{core}");
    }

    #[test]
    fn english_uses_the_english_words() {
        let p = parts(&docx(&notice(Lang::En)).unwrap());
        let doc = &p["word/document.xml"];
        for want in [
            "To: 各乡镇党委",
            "Attachments: 1. 得分情况",
            "Attachment 1",
            "Attachment 2",
            "Copy to: 县委办公室.",
            "Issued by 中共示例县委组织部办公室",
            "Date:",
        ] {
            assert!(doc.contains(want), "{want} is missing");
        }
        assert!(!doc.contains("附件") && !doc.contains("抄送"));
    }

    #[test]
    fn a_plain_document_has_no_official_head() {
        let mut d = Document::new("柳河村党支部督查情况");
        d.paragraph("到达时间 2026-11-20 09:30。");
        let p = parts(&docx(&d).unwrap());
        let doc = &p["word/document.xml"];
        assert!(doc.contains("柳河村党支部督查情况") && doc.contains("到达时间"));
        assert!(!doc.contains("FF0000") && !doc.contains("<w:tbl>") && !doc.contains("抄送"));
        assert_eq!(doc.matches("柳河村党支部督查情况").count(), 1, "the title once");
        assert!(p.keys().any(|k| k.starts_with("word/footer")));
    }

    #[test]
    fn hostile_text_and_control_characters_still_make_a_file_that_opens() {
        let nasty = "甲\u{0}乙\u{1}\u{8}\u{b}\u{c}丙\u{1f}\u{7f}\u{85}\u{FFFE}\u{FFFF}丁</w:t><script>&\"'\n戊\t己";
        let mut d = Document::new(nasty);
        d.official = Some(Official {
            issuer_mark: nasty.into(),
            number: nasty.into(),
            recipients: nasty.into(),
            cc: nasty.into(),
            ..Default::default()
        });
        d.paragraph(nasty);
        d.heading(nasty);
        d.table(&[nasty], vec![vec![nasty.into(), nasty.into()]]);
        d.chart(nasty, nasty, vec![(nasty.into(), f64::NAN), (nasty.into(), f64::INFINITY)]);
        d.blocks.push(Block::Signatures(vec![nasty.into()]));
        d.attachments.push(Attachment { title: nasty.into(), blocks: vec![Block::Paragraph(nasty.into())] });
        let p = parts(&docx(&d).unwrap());
        assert_well_formed(&p);
        let doc = &p["word/document.xml"];
        assert!(doc.contains("甲乙丙丁&lt;/w:t&gt;&lt;script&gt;&amp;"), "the text, cleaned and escaped");
        assert!(doc.contains("戊 己"), "a line break and a tab are spaces");
        assert!(
            p["docProps/core.xml"].contains("<dc:title>甲乙丙丁&lt;/w:t&gt;&lt;script&gt;&amp;&quot;' 戊 己</dc:title>"),
            "{}",
            p["docProps/core.xml"]
        );
    }

    #[test]
    fn empty_documents_tables_and_ragged_rows_do_not_fail() {
        let p = parts(&docx(&Document::default()).unwrap());
        assert_well_formed(&p);
        assert!(p["word/document.xml"].contains("<w:body>"));

        let mut d = Document::new("");
        d.blocks.push(Block::Table { header: vec![], rows: vec![] });
        d.blocks.push(Block::Table { header: vec![], rows: vec![vec![], vec![]] });
        d.blocks.push(Block::Signatures(vec![]));
        d.chart("空", "", vec![]);
        d.attachments.push(Attachment::default());
        let p = parts(&docx(&d).unwrap());
        assert_well_formed(&p);
        assert_eq!(p["word/document.xml"].matches("<w:tbl>").count(), 0, "nothing to draw, no table");

        let mut d = Document::new("参差");
        d.table(&["甲", "乙"], vec![vec!["1".into(), "2".into(), "3".into()], vec!["4".into()], vec![]]);
        let p = parts(&docx(&d).unwrap());
        assert_well_formed(&p);
        let doc = &p["word/document.xml"];
        assert_eq!(doc.matches("<w:gridCol ").count(), 3, "as many columns as the longest row");
        assert_eq!(doc.matches("<w:tr>").count(), 4);
        assert_eq!(doc.matches("<w:tc>").count(), 12, "every row has every column");
    }

    #[test]
    fn a_table_of_ten_thousand_rows_is_written() {
        let mut d = Document::new("清单");
        let rows =
            (0..10_000).map(|i| vec![i.to_string(), format!("第{i}村党支部"), "会议记录要素不全，缺少参会人员签到".into()]).collect();
        d.table(&["序号", "党组织", "问题"], rows);
        let p = parts(&docx(&d).unwrap());
        let doc = &p["word/document.xml"];
        assert_eq!(doc.matches("<w:tr>").count(), 10_001);
        assert_eq!(doc.matches("<w:tblHeader />").count(), 1);
        assert!(doc.contains("第9999村党支部"));
    }

    #[test]
    fn the_parts_are_deflated_and_the_same_document_is_the_same_file() {
        let mut d = Document::new("通报");
        d.paragraphs(&"党支部按期换届。\n".repeat(500));
        let (a, b) = (docx(&d).unwrap(), docx(&d).unwrap());
        assert_eq!(a, b);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(a.clone())).unwrap();
        let part = zip.by_name("word/document.xml").unwrap();
        assert_eq!(part.compression(), zip::CompressionMethod::Deflated);
        assert!(a.len() * 5 < part.size() as usize, "{} bytes for {} of XML", a.len(), part.size());
    }

    #[test]
    fn columns_share_the_block_by_their_text() {
        // All fit: in proportion, filling the block.
        let w = column_widths(&[4, 8], TABLE);
        assert_eq!(w.iter().sum::<usize>(), TEXT_W as usize);
        assert!(w[1] > w[0]);
        // A long column does not squeeze the short ones below their text.
        let w = column_widths(&[4, 16, 200, 8, 10], TABLE);
        assert_eq!(w.iter().sum::<usize>(), TEXT_W as usize);
        assert_eq!((w[0], w[3], w[4]), (4 * 130 + 240, 8 * 130 + 240, 10 * 130 + 240));
        assert!(w[2] > w[1] && w[1] >= 12 * 130 + 240);
        // Too many columns: all shrink, still the block's width.
        let w = column_widths(&[40; 12], TABLE);
        assert_eq!(w.iter().sum::<usize>(), TEXT_W as usize);
        assert!(column_widths(&[], TABLE).is_empty());
    }

    #[test]
    fn numbers_are_told_from_text() {
        assert!(looks_numeric("98.5") && looks_numeric(" 12 ") && looks_numeric("87.5%") && looks_numeric("-3"));
        assert!(!looks_numeric("") && !looks_numeric("%") && !looks_numeric("第1村"));
    }
}
