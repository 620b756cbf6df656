//! The handover sheet (问题交办单) the team leaves with the branch at the end of a visit: who was
//! inspected, when and by whom, each problem with its requirement, deadline and the person
//! responsible, the request to rectify and report, and lines for both sides to sign. Problems to
//! fix on the spot (立行立改) also get a notice of their own (立行立改通知书), attached. As a
//! document for the Word writer, or as a workbook laid out for printing on A4.

use super::doc::{Attachment, Block, Document};
use super::sheet_layout as layout;
use super::visit_doc::{VisitFacts, deadline_text, number, or_dash, responsible};
use super::words::{D, label};
use crate::domain::Finding;
use crate::domain::finding::RectType;
use crate::i18n::Lang;
use crate::safe_text::guard_formula;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet};

/// The handover sheet's parts, in the document's language.
pub struct Handover {
    pub title: String,
    pub lang: Lang,
    /// (label, value): 被检查单位, 检查时间, 检查组, 检查人员.
    pub head: Vec<(String, String)>,
    pub intro: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub request: String,
    pub signers: Vec<String>,
    /// The notice of on-the-spot fixes, when any problem is 立行立改.
    pub immediate: Option<Notice>,
}

/// 立行立改通知书.
pub struct Notice {
    pub title: String,
    pub to: String,
    pub intro: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub request: String,
    pub signers: Vec<String>,
}

/// The handover sheet of a visit (its findings, withdrawn ones left out).
pub fn build(v: &VisitFacts) -> Handover {
    let lang = v.lang;
    let t = |k: D| k.text_in(lang).to_string();
    let when = v.when();
    let head = vec![
        (t(D::HvOrg), v.org.name.clone()),
        (t(D::HvTime), when.clone()),
        (t(D::HvTeam), v.round.title.clone()),
        (t(D::HvInspectors), if v.inspectors.is_empty() { t(D::Dash) } else { v.inspectors.join(D::NameSep.text_in(lang)) }),
    ];
    let header =
        [D::ColSeq, D::ColNumber, D::ColItem, D::ColDescription, D::ColSeverity, D::ColRequirement, D::ColDeadline, D::ColResponsibleBoth]
            .into_iter()
            .map(t)
            .collect();
    let rows = v
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            vec![
                (i + 1).to_string(),
                number(f, lang),
                v.item_text(f),
                f.description.trim().to_string(),
                label(f.severity, lang).to_string(),
                or_dash(&f.requirement, lang),
                deadline_text(f, lang),
                responsible(f, lang),
            ]
        })
        .collect();
    let signers = vec![t(D::SignTeam), t(D::SignBranch)];
    let on_the_spot: Vec<&Finding> = v.findings.iter().filter(|f| f.rect_type == RectType::Immediate).collect();
    let immediate = (!on_the_spot.is_empty()).then(|| Notice {
        title: t(D::ImmediateTitle),
        to: D::ImmediateTo.fill_in(lang, &[&v.org.name]),
        intro: D::ImmediateIntro.fill_in(lang, &[&v.visit_day(), &on_the_spot.len()]),
        header: [D::ColSeq, D::ColNumber, D::ColDescription, D::ColRequirement, D::ColDeadline, D::ColResponsibleBoth]
            .into_iter()
            .map(t)
            .collect(),
        rows: on_the_spot
            .iter()
            .enumerate()
            .map(|(i, f)| {
                vec![
                    (i + 1).to_string(),
                    number(f, lang),
                    f.description.trim().to_string(),
                    or_dash(&f.requirement, lang),
                    deadline_text(f, lang),
                    responsible(f, lang),
                ]
            })
            .collect(),
        request: t(D::ImmediateRequest),
        signers: signers.clone(),
    });
    Handover {
        title: D::HandoverTitle.fill_in(lang, &[&v.org.name]),
        lang,
        head,
        intro: D::HvIntro.fill_in(lang, &[&v.org.name, &when, &v.findings.len()]),
        header,
        rows,
        request: if immediate.is_some() { t(D::HvRequest) } else { t(D::HvRequestPlain) },
        signers,
        immediate,
    }
}

/// The handover sheet as a document: the head as a small table, the problems' table, the request
/// and the signature lines; the notice of on-the-spot fixes as its attachment.
pub fn document(h: &Handover) -> Document {
    let mut d = Document::new(&h.title).in_lang(h.lang);
    // Two pairs a row: 被检查单位 | … | 检查时间 | …
    let head_rows = h.head.chunks(2).map(|pair| pair.iter().flat_map(|(k, v)| [k.clone(), v.clone()]).collect()).collect();
    d.blocks.push(Block::Table { header: Vec::new(), rows: head_rows });
    d.paragraph(h.intro.clone());
    d.blocks.push(Block::Table { header: h.header.clone(), rows: h.rows.clone() });
    d.paragraph(h.request.clone());
    d.blocks.push(Block::Signatures(h.signers.clone()));
    if let Some(n) = &h.immediate {
        d.attachments.push(Attachment {
            title: n.title.clone(),
            blocks: vec![
                Block::Paragraph(n.to.clone()),
                Block::Paragraph(n.intro.clone()),
                Block::Table { header: n.header.clone(), rows: n.rows.clone() },
                Block::Paragraph(n.request.clone()),
                Block::Signatures(n.signers.clone()),
            ],
        });
    }
    d
}

/// Display width in Excel's units (a CJK character is about two), whole.
fn width_of(s: &str) -> usize {
    layout::width_of(s) as usize
}

/// One sheet laid out to print: the title merged over the columns, the lines above the table
/// merged likewise, the table (its header repeated on each printed page and frozen on screen),
/// the lines below it and the signature rows. A4 landscape, one page wide.
struct Sheet<'a> {
    title: &'a str,
    above: Vec<String>,
    header: &'a [String],
    rows: &'a [Vec<String>],
    below: Vec<String>,
    signers: &'a [String],
    lang: Lang,
}

fn sheet(ws: &mut Worksheet, s: &Sheet<'_>) -> Result<(), rust_xlsxwriter::XlsxError> {
    let columns = s.header.len().max(2);
    let last = (columns - 1) as u16;
    let title = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
    let line = Format::new().set_text_wrap().set_align(FormatAlign::Left).set_align(FormatAlign::VerticalCenter);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let cell = Format::new().set_text_wrap().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
    let centred = cell.clone().set_align(FormatAlign::Center);

    // Widths from the text, as every xlsx of xuncha measures them (sheet_layout: capped, longer
    // text wraps), at least a short code's.
    let headers: Vec<&str> = s.header.iter().map(String::as_str).collect();
    let mut fitted = layout::Widths::of_headers(&headers);
    for r in s.rows {
        for (c, v) in r.iter().enumerate() {
            fitted.fit(c, v);
        }
    }
    for c in 0..s.header.len() {
        fitted.at_least(c, 6.0);
    }
    let widths: Vec<usize> = fitted.get().iter().map(|w| *w as usize).collect();
    let total: usize = widths.iter().sum();
    // A merged line's height from its length over the sheet's width (Excel does not fit merged
    // cells' rows itself).
    let lines_for = |text: &str, width: usize| text.lines().map(|l| width_of(l).div_ceil(width.max(1)).max(1)).sum::<usize>().max(1);
    let height = |lines: usize| 15.0 * lines as f64 + 3.0;

    let mut row = 0u32;
    ws.merge_range(row, 0, row, last, &guard_formula(s.title), &title)?;
    ws.set_row_height(row, 30)?;
    row += 1;
    for text in &s.above {
        ws.merge_range(row, 0, row, last, &guard_formula(text), &line)?;
        ws.set_row_height(row, height(lines_for(text, total)))?;
        row += 1;
    }
    let header_row = row;
    for (c, h) in s.header.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, guard_formula(h).as_ref(), &head)?;
    }
    ws.set_row_height(row, height(s.header.iter().zip(&widths).map(|(h, w)| lines_for(h, *w)).max().unwrap_or(1)))?;
    row += 1;
    for r in s.rows {
        let mut lines = 1;
        for (c, v) in r.iter().enumerate() {
            let w = widths.get(c).copied().unwrap_or(10);
            lines = lines.max(lines_for(v, w.saturating_sub(1)));
            // 序号 as a number, so it sorts; the rest as text, whatever it starts with.
            if c == 0
                && let Ok(n) = v.parse::<u32>()
            {
                ws.write_number_with_format(row, 0, f64::from(n), &centred)?;
            } else {
                let f = if width_of(v) <= 12 { &centred } else { &cell };
                ws.write_string_with_format(row, c as u16, guard_formula(v).as_ref(), f)?;
            }
        }
        ws.set_row_height(row, height(lines))?;
        row += 1;
    }
    row += 1;
    for text in &s.below {
        ws.merge_range(row, 0, row, last, &guard_formula(text), &line)?;
        ws.set_row_height(row, height(lines_for(text, total)))?;
        row += 1;
    }
    row += 1;
    // The signers side by side: the left half and the right half of the columns.
    let halves = [(0u16, (columns / 2).saturating_sub(1) as u16), ((columns / 2) as u16, last)];
    for (i, who) in s.signers.iter().enumerate().take(2) {
        let (a, b) = halves[i];
        let sign = D::SignBy.fill_in(s.lang, &[who]);
        let date = D::SignDate.text_in(s.lang);
        let right = line.clone().set_align(FormatAlign::Right);
        if a == b {
            ws.write_string_with_format(row, a, guard_formula(&sign).as_ref(), &line)?;
            ws.write_string_with_format(row + 2, a, date, &right)?;
        } else {
            ws.merge_range(row, a, row, b, &guard_formula(&sign), &line)?;
            ws.merge_range(row + 2, a, row + 2, b, date, &right)?;
        }
    }
    ws.set_row_height(row + 1, 36)?;

    // The page as every xlsx of xuncha prints: A4 (landscape when wide), one page wide, the
    // header repeated and frozen, the title and page numbers in the footer.
    layout::page_setup(ws, s.title, &fitted, layout::Print { repeat: (header_row, header_row), freeze: header_row + 1 })?;
    ws.set_print_area(0, 0, row + 2, last)?;
    Ok(())
}

/// The handover sheet as a workbook: the sheet itself, and the notice of on-the-spot fixes on a
/// second sheet when there is one.
pub fn xlsx(h: &Handover) -> Result<Vec<u8>, String> {
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = Workbook::new();
    let sep = match h.lang {
        Lang::Zh => "：",
        Lang::En => ": ",
    };
    let mut above: Vec<String> = h.head.iter().map(|(k, v)| format!("{k}{sep}{v}")).collect();
    above.push(h.intro.clone());
    let ws = wb.add_worksheet().set_name(D::HandoverSheet.text_in(h.lang)).map_err(e)?;
    sheet(
        ws,
        &Sheet {
            title: &h.title,
            above,
            header: &h.header,
            rows: &h.rows,
            below: vec![h.request.clone()],
            signers: &h.signers,
            lang: h.lang,
        },
    )
    .map_err(e)?;
    if let Some(n) = &h.immediate {
        let ws = wb.add_worksheet().set_name(D::ImmediateSheet.text_in(h.lang)).map_err(e)?;
        sheet(
            ws,
            &Sheet {
                title: &n.title,
                above: vec![n.to.clone(), n.intro.clone()],
                header: &n.header,
                rows: &n.rows,
                below: vec![n.request.clone()],
                signers: &n.signers,
                lang: h.lang,
            },
        )
        .map_err(e)?;
    }
    wb.save_to_buffer().map_err(e)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::{Field, Id, Level, Org, Quarter, RectStatus, Round, Scope, Visit};
    use calamine::{Reader, Xlsx};
    use chrono::NaiveDate;

    /// A visit of 柳河村党支部 with two findings (one 立行立改, one withdrawn) on the built-in
    /// template.
    pub(crate) fn facts() -> VisitFacts {
        let (name, text) = crate::template::BUILTIN[0];
        let (template, _) = crate::template::load_text(name, text).unwrap();
        let round = Round {
            id: Id::new(),
            title: "2026年第四季度督查".into(),
            quarter: Quarter { year: 2026, q: 4 },
            template_id: template.id.clone(),
            template_hash: String::new(),
            scope: Scope::List,
            org_count: 1,
            created_by: "组长".into(),
            created_at: chrono::DateTime::UNIX_EPOCH,
        };
        let org = Org {
            code: "0101001001D1".into(),
            name: "柳河村党支部".into(),
            parent: Some("0101001001".into()),
            level: Level::Branch,
            level_word: None,
            field: Some(Field::Rural),
            secretary: String::new(),
            members: None,
        };
        let mut visit = Visit::new(round.id, &org.code);
        visit.inspector = "张三".into();
        visit.arrived_at = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap().and_hms_opt(9, 30, 0);
        let mut late = Finding::sample(RectStatus::Pending, NaiveDate::from_ymd_opt(2026, 12, 31));
        late.description = "换届超期8个月".into();
        late.item = Some("C1.3".into());
        late.responsible_person = "王书记".into();
        late.number = Some("2026Q4-0001".into());
        late.created_by = "李四".into();
        let mut now = Finding::sample(RectStatus::Pending, None);
        now.description = "门牌脱落".into();
        now.rect_type = RectType::Immediate;
        let mut gone = Finding::sample(RectStatus::Withdrawn, None);
        gone.description = "已撤销的问题".into();
        let all = vec![now, late, gone];
        let findings: Vec<Finding> = all.iter().filter(|f| f.status != RectStatus::Withdrawn).cloned().collect();
        VisitFacts {
            round,
            org,
            parent: "柳河村".into(),
            visit,
            verdicts: Default::default(),
            counts: Default::default(),
            notes: Default::default(),
            all_findings: all,
            findings,
            inspectors: vec!["张三".into(), "李四".into()],
            template,
            head: (7, "ab".repeat(32)),
            today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            lang: Lang::Zh,
        }
    }

    #[test]
    fn the_sheet_lists_each_live_finding_and_the_notice_the_immediate_ones() {
        let h = build(&facts());
        assert_eq!(h.title, "柳河村党支部问题交办单");
        assert_eq!(h.head[1], ("检查时间".to_string(), "2026年11月20日 09:30".to_string()));
        assert_eq!(h.head[3].1, "张三、李四");
        assert_eq!(h.rows.len(), 2, "the withdrawn finding is not handed over");
        assert_eq!(h.rows[0][2], "其他");
        assert_eq!((h.rows[0][1].as_str(), h.rows[0][6].as_str()), ("待审核", "立行立改"));
        assert!(h.rows[1][2].starts_with("C1.3 按期换届"), "{:?}", h.rows[1]);
        assert_eq!((h.rows[1][6].as_str(), h.rows[1][7].as_str()), ("2026年12月31日", "王书记"));
        let notice = h.immediate.as_ref().unwrap();
        assert_eq!(notice.rows.len(), 1);
        assert_eq!(notice.rows[0][2], "门牌脱落");

        let d = document(&h);
        assert_eq!(d.attachments.len(), 1);
        assert_eq!(d.attachments[0].title, "立行立改通知书");
        assert!(d.blocks.contains(&Block::Signatures(vec!["检查组（签字）".into(), "被检查单位负责人（签字）".into()])));
    }

    #[test]
    fn no_notice_without_an_immediate_finding() {
        let mut v = facts();
        v.findings.retain(|f| f.rect_type != RectType::Immediate);
        let h = build(&v);
        assert!(h.immediate.is_none() && !h.request.contains("立行立改"));
        assert!(document(&h).attachments.is_empty());
    }

    #[test]
    fn the_workbook_reads_back() {
        let bytes = xlsx(&build(&facts())).unwrap();
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(wb.sheet_names(), vec!["问题交办单".to_string(), "立行立改通知书".to_string()]);
        let rows: Vec<Vec<String>> =
            wb.worksheet_range("问题交办单").unwrap().rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        assert_eq!(rows[0][0], "柳河村党支部问题交办单");
        assert_eq!(rows[1][0], "被检查单位：柳河村党支部");
        let header = rows.iter().position(|r| r[0] == "序号").unwrap();
        assert_eq!(rows[header + 2][3], "换届超期8个月");
        assert_eq!(rows[header + 2][7], "王书记");
        assert!(rows.iter().any(|r| r[0] == "检查组（签字）："));
    }
}
