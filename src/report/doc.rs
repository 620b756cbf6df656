//! A small document model for the office's documents (the quarterly bulletin): headings,
//! paragraphs, tables and bar charts as data, with no format in them. Each writer turns it into
//! one format and escapes the text for that format; text in the model is always plain, so a name
//! such as `<script>…</script>红旗村` comes out as text everywhere.

use crate::safe_text::{escape_html, escape_markdown, markdown_cell};

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    /// Appended to each value's label: "%", "个", or nothing.
    pub unit: String,
    pub bars: Vec<(String, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Level 1 is the document's title, 2 a section.
    Heading(u8, String),
    /// One paragraph of plain text, on one line.
    Paragraph(String),
    /// A header row and the body rows, all plain text.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    Chart(Chart),
    /// Lines to sign on, side by side where there is room: each is who signs ("检查组（签字）").
    Signatures(Vec<String>),
    /// What follows starts on a new page (one notice per organisation).
    PageBreak,
}

/// The parts of an official document (公文, GB/T 9704-2012) around its body. A document with
/// these is laid out as one by the Word writer; the previews (Markdown, HTML) print them as text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Official {
    /// 发文机关标志: the issuing office's name as printed in red at the head
    /// ("中共××县委组织部文件" or just the office's name).
    pub issuer_mark: String,
    /// 发文字号 ("×组通〔2026〕12号"); empty: none.
    pub number: String,
    /// 主送机关, printed after the title and followed by a colon ("各乡镇党委").
    pub recipients: String,
    /// 发文机关署名, above the date at the end of the body.
    pub signature: String,
    /// 成文日期 written out ("2026年12月31日").
    pub date: String,
    /// 抄送机关 for the 版记; empty: no cc line.
    pub cc: String,
    /// 印发机关 and 印发日期 for the 版记 ("中共××县委组织部办公室", "2026年12月31日印发").
    pub printed_by: String,
    pub printed_on: String,
}

/// An attachment printed after the body on a new page, headed "附件N" and its title.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attachment {
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
    /// The language it is written in (the HTML page says so).
    pub lang: crate::i18n::Lang,
    /// The head and foot of an official document (the bulletin); None for a plain document.
    pub official: Option<Official>,
    /// 附件, in order (附件1, 附件2…): listed after the body, printed after it.
    pub attachments: Vec<Attachment>,
    /// The day it is dated (成文日期, or the day written): the Word file's created date.
    pub date: Option<chrono::NaiveDate>,
}

impl Document {
    /// A document headed by its title.
    pub fn new(title: &str) -> Document {
        Document {
            title: title.to_string(),
            blocks: vec![Block::Heading(1, title.to_string())],
            lang: Default::default(),
            official: None,
            attachments: Vec::new(),
            date: None,
        }
    }
    /// The same document, marked as written in `lang`.
    pub fn in_lang(mut self, lang: crate::i18n::Lang) -> Document {
        self.lang = lang;
        self
    }
    pub fn heading(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Heading(2, text.into()));
    }
    pub fn paragraph(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Paragraph(text.into()));
    }
    /// Free text (several lines, as a person wrote it): one paragraph per non-empty line.
    pub fn paragraphs(&mut self, text: &str) {
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            self.paragraph(line);
        }
    }
    pub fn table(&mut self, header: &[&str], rows: Vec<Vec<String>>) {
        self.blocks.push(Block::Table { header: header.iter().map(|h| h.to_string()).collect(), rows });
    }
    pub fn chart(&mut self, title: &str, unit: &str, bars: Vec<(String, f64)>) {
        self.blocks.push(Block::Chart(Chart { title: title.to_string(), unit: unit.to_string(), bars }));
    }
}

/// Markdown. Charts are left out: Markdown cannot draw them, and their figures are in the text
/// and tables around them.
pub fn markdown(doc: &Document) -> String {
    let mut s = String::new();
    for b in &preview_blocks(doc) {
        match b {
            Block::Heading(level, text) => {
                s.push_str(&"#".repeat(usize::from((*level).clamp(1, 6))));
                s.push(' ');
                s.push_str(&escape_markdown(&one_line(text)));
            }
            Block::Paragraph(text) => s.push_str(&escape_markdown(&one_line(text))),
            Block::Table { header, rows } => {
                let row = |cells: &[String]| format!("| {} |\n", cells.iter().map(|c| markdown_cell(c)).collect::<Vec<_>>().join(" | "));
                // A table of label and value pairs has no header row: Markdown needs one, so its
                // first row stands there.
                let (header, rows) = match (header.is_empty(), rows.split_first()) {
                    (true, Some((first, rest))) => (first, rest),
                    _ => (header, rows.as_slice()),
                };
                if header.is_empty() {
                    continue;
                }
                s.push_str(&row(header));
                s.push_str(&format!("|{}\n", " --- |".repeat(header.len())));
                for r in rows {
                    s.push_str(&row(r));
                }
                s.pop();
            }
            Block::Chart(_) => continue,
            Block::Signatures(who) => s.push_str(&escape_markdown(&signature_line(who))),
            // A thematic break: the next page's part, set apart.
            Block::PageBreak => s.push_str("* * *"),
        }
        s.push_str("\n\n");
    }
    let trimmed = s.trim_end().len();
    s.truncate(trimmed);
    s.push('\n');
    s
}

/// Signature lines as one line of text: "检查组（签字）：＿＿＿＿　被检查单位（签字）：＿＿＿＿".
fn signature_line(who: &[String]) -> String {
    who.iter().map(|w| format!("{w}：＿＿＿＿＿＿")).collect::<Vec<_>>().join("　　")
}

/// The blocks a preview (Markdown, HTML) prints: an official document's head, recipients,
/// attachment list, signature, date, attachments and 版记 as plain blocks around the body. The
/// Word writer lays these parts out itself.
pub fn preview_blocks(doc: &Document) -> Vec<Block> {
    use super::words::D;
    let lang = doc.lang;
    let mut out = Vec::new();
    let mut body = doc.blocks.iter();
    if let Some(o) = &doc.official {
        out.extend([&o.issuer_mark, &o.number].into_iter().filter(|t| !t.is_empty()).map(|t| Block::Paragraph(t.clone())));
    }
    // The title first, then whom it is sent to.
    if let Some(first) = body.next() {
        out.push(first.clone());
    }
    if let Some(o) = doc.official.as_ref().filter(|o| !o.recipients.is_empty()) {
        out.push(Block::Paragraph(D::Recipients.fill_in(lang, &[&o.recipients])));
    }
    out.extend(body.cloned());
    if !doc.attachments.is_empty() {
        let list = doc
            .attachments
            .iter()
            .enumerate()
            .map(|(i, a)| D::AttachmentItem.fill_in(lang, &[&(i + 1), &a.title]))
            .collect::<Vec<_>>()
            .join(D::RoundSep.text_in(lang));
        out.push(Block::Paragraph(D::AttachmentList.fill_in(lang, &[&list])));
    }
    if let Some(o) = &doc.official {
        out.extend([&o.signature, &o.date].into_iter().filter(|t| !t.is_empty()).map(|t| Block::Paragraph(t.clone())));
    }
    for (i, a) in doc.attachments.iter().enumerate() {
        out.push(Block::Heading(2, D::AttachmentHead.fill_in(lang, &[&(i + 1), &a.title])));
        out.extend(a.blocks.iter().cloned());
    }
    if let Some(o) = &doc.official {
        if !o.cc.is_empty() {
            out.push(Block::Paragraph(D::Cc.fill_in(lang, &[&o.cc])));
        }
        if !o.printed_by.is_empty() || !o.printed_on.is_empty() {
            out.push(Block::Paragraph(D::PrintedBy.fill_in(lang, &[&o.printed_by, &o.printed_on])));
        }
    }
    out
}

/// A line break inside a heading or paragraph would start a new Markdown block (a heading, a
/// list): the model's paragraphs are one line each, and a stray break is a space.
fn one_line(text: &str) -> String {
    text.replace("\r\n", " ").replace(['\n', '\r'], " ")
}

/// A horizontal bar chart as inline SVG.
pub fn svg_bars(chart: &Chart) -> String {
    let max = chart.bars.iter().map(|d| d.1).fold(0.0, f64::max).max(1.0);
    let row = 26.0;
    let h = 30.0 + row * chart.bars.len() as f64;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="640" height="{h}" role="img" aria-label="{t}"><text x="0" y="18" font-size="15" font-weight="bold">{t}</text>"#,
        t = escape_html(&chart.title)
    );
    for (i, (k, v)) in chart.bars.iter().enumerate() {
        let y = 30.0 + row * i as f64;
        let w = 380.0 * v / max;
        s.push_str(&format!(
            r##"<text x="150" y="{ty}" font-size="13" text-anchor="end">{k}</text><rect x="160" y="{y}" width="{w:.1}" height="18" fill="#c00000"/><text x="{tx:.1}" y="{ty}" font-size="13">{v}{unit}</text>"##,
            ty = y + 14.0,
            k = escape_html(k),
            tx = 166.0 + w,
            v = crate::template::fmt_points((v * 10.0).round() / 10.0),
            unit = escape_html(&chart.unit),
        ));
    }
    s.push_str("</svg>");
    s
}

/// One self-contained page, charts inline, styled for printing on A4.
pub fn html(doc: &Document) -> String {
    let mut body = String::new();
    for b in &preview_blocks(doc) {
        match b {
            Block::Heading(level, text) => {
                let l = (*level).clamp(1, 6);
                body.push_str(&format!("<h{l}>{}</h{l}>", escape_html(text)));
            }
            Block::Paragraph(text) => body.push_str(&format!("<p>{}</p>", escape_html(text))),
            Block::Table { header, rows } => {
                body.push_str("<table><tr>");
                body.push_str(&header.iter().map(|c| format!("<th>{}</th>", escape_html(c))).collect::<String>());
                body.push_str("</tr>");
                for r in rows {
                    body.push_str(&format!("<tr>{}</tr>", r.iter().map(|c| format!("<td>{}</td>", escape_html(c))).collect::<String>()));
                }
                body.push_str("</table>");
            }
            Block::Chart(c) => body.push_str(&format!("<figure>{}</figure>", svg_bars(c))),
            Block::Signatures(who) => body.push_str(&format!("<p class=\"sign\">{}</p>", escape_html(&signature_line(who)))),
            Block::PageBreak => body.push_str("<hr class=\"page\">"),
        }
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
@page {{ size: A4; margin: 20mm 18mm; }}
body {{ font-family: "FangSong", "仿宋", "Songti SC", "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.7; max-width: 174mm; margin: 0 auto; color: #000; }}
h1 {{ font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 18pt; text-align: center; color: #c00000; border-bottom: 2px solid #c00000; padding-bottom: 6pt; }}
h2 {{ font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 14pt; margin-top: 14pt; }}
p {{ text-indent: 2em; margin: 4pt 0; }}
table {{ border-collapse: collapse; width: 100%; margin: 6pt 0; page-break-inside: avoid; }}
th, td {{ border: 1px solid #444; padding: 2pt 5pt; font-size: 10.5pt; text-align: center; }}
th {{ background: #f2dede; }}
figure {{ margin: 8pt 0; page-break-inside: avoid; }}
svg {{ max-width: 100%; height: auto; }}
hr.page {{ border: 0; border-top: 1px dashed #999; margin: 16pt 0; break-after: page; }}
</style></head><body>
{body}
</body></html>
"#,
        title = escape_html(&doc.title),
        lang = match doc.lang {
            crate::i18n::Lang::Zh => "zh-CN",
            crate::i18n::Lang::En => "en",
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = r#"<script>alert(1)</script>红旗村 & "x" | [y](javascript:z)"#;

    fn sample() -> Document {
        let mut d = Document::new(&format!("通报 {HOSTILE}"));
        d.heading("一、基本情况");
        d.paragraph(format!("检查了{HOSTILE}。"));
        d.table(&["地区", "得分"], vec![vec![HOSTILE.to_string(), "98.0".into()]]);
        d.chart("各地区平均得分", "", vec![(HOSTILE.to_string(), 98.0)]);
        d
    }

    #[test]
    fn bars_scale_to_the_largest_value() {
        let svg =
            svg_bars(&Chart {
                title: "等次".into(), unit: String::new(), bars: vec![("标杆型".into(), 2.0), ("成长型".into(), 4.0)]
            });
        assert!(svg.starts_with("<svg") && svg.contains(r#"width="380.0""#) && svg.contains(r#"width="190.0""#), "{svg}");
    }

    #[test]
    fn html_carries_no_markup_from_the_text() {
        let page = html(&sample());
        assert!(!page.contains("<script>") && !page.contains("</script>"), "{page}");
        assert_eq!(
            page.matches("&lt;script&gt;alert(1)&lt;/script&gt;红旗村 &amp; &quot;x&quot;").count(),
            5,
            "title, h1, p, td, chart label"
        );
        assert!(
            page.contains("<h1>通报 &lt;script&gt;") && page.contains("<td>&lt;script&gt;") && page.contains("<th>地区</th>"),
            "{page}"
        );
        assert!(page.contains("<figure><svg") && page.contains(r#"text-anchor="end">&lt;script&gt;"#), "{page}");
    }

    #[test]
    fn markdown_carries_no_markup_links_or_extra_columns() {
        let md = markdown(&sample());
        assert!(!md.contains('<') && !md.contains("[y](") && !md.contains("svg"), "{md}");
        let lines: Vec<&str> = md.lines().collect();
        assert_eq!(lines[0], r#"# 通报 &lt;script&gt;alert(1)&lt;/script&gt;红旗村 &amp; "x" | \[y\](javascript:z)"#);
        assert_eq!(lines[2], "## 一、基本情况");
        assert_eq!(lines[4], r#"检查了&lt;script&gt;alert(1)&lt;/script&gt;红旗村 &amp; "x" | \[y\](javascript:z)。"#);
        // The pipe in the cell is escaped: the row keeps its two columns.
        assert_eq!(lines[8], r#"| &lt;script&gt;alert(1)&lt;/script&gt;红旗村 &amp; "x" \| \[y\](javascript:z) | 98.0 |"#);
        assert_eq!((lines[6], lines[7]), ("| 地区 | 得分 |", "| --- | --- |"));
        assert!(md.ends_with("| 98.0 |\n"), "the chart adds nothing: {md:?}");
    }

    #[test]
    fn a_line_break_in_a_paragraph_cannot_start_a_heading() {
        let mut d = Document::new("t");
        d.paragraph("甲\n# 乙");
        d.paragraphs("  第一行 \n\n第二行\n");
        assert_eq!(markdown(&d), "# t\n\n甲 # 乙\n\n第一行\n\n第二行\n");
    }
}
