//! The one export service: builds a report from the session's read snapshot, writes it with its
//! writer, atomically (a temporary file beside the target, then a rename) and with the user's
//! umask. The command line and the screens both export through here, so the same filter gives
//! the same file from either.

use super::{Result, ServiceError, Session};
use crate::domain::Quarter;
use crate::i18n::{K, Lang};
use crate::report::rectification::{Filter, RectRow, rows_in, rows_with};
use crate::report::{bulletin, writers};
use std::path::{Path, PathBuf};

/// The file formats a document can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
    Json,
    Md,
    Html,
    Docx,
}

impl Format {
    pub fn word(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Md => "md",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }
}

impl Format {
    /// The format a file's name asks for: `.xlsx` is XLSX, anything else `or_else`.
    pub fn by_extension(path: &Path, or_else: Format) -> Format {
        match path.extension().and_then(|x| x.to_str()) {
            Some(x) if x.eq_ignore_ascii_case("xlsx") => Format::Xlsx,
            Some(x) if x.eq_ignore_ascii_case("csv") => Format::Csv,
            _ => or_else,
        }
    }
}

/// The formats of the paper visit sheet.
pub const SHEET_FORMATS: &[Format] = &[Format::Csv, Format::Xlsx];

/// The formats of the rectification list and of the bulletin.
pub const RECTIFICATION_FORMATS: &[Format] = &[Format::Xlsx, Format::Csv, Format::Json, Format::Md];
pub const BULLETIN_FORMATS: &[Format] = &[Format::Docx, Format::Json, Format::Md, Format::Html];

/// What was written: how many rows (the list) or the title (the bulletin), where, and the audit
/// chain's head at the time, printed with every export so a later rewrite of the chain is caught.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub rows: usize,
    pub title: String,
    pub path: PathBuf,
    pub head: (u64, String),
}

fn refuse_format(format: Format, accepted: &[Format]) -> ServiceError {
    let list = accepted.iter().map(|f| f.word()).collect::<Vec<_>>().join(", ");
    super::invalid(K::FormatNotFor, &[&format.word(), &list])
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::atomic_file::write_atomic(path, bytes).map_err(|e| ServiceError::Io(crate::oserror::write_failed(path, &e)))
}

/// The rectification list's rows for `filter` (the board and the export show the same rows).
pub fn rectification_rows(s: &Session, filter: &Filter, progress: &mut dyn FnMut(usize, usize)) -> Result<Vec<RectRow>> {
    rows_with(s, filter, s.today(), progress)
}

/// Writes the rectification list (问题整改清单) of `filter` to `path`, in Chinese.
pub fn rectification(s: &Session, filter: &Filter, format: Format, path: &Path, progress: &mut dyn FnMut(usize, usize)) -> Result<Written> {
    rectification_in(s, filter, format, Lang::Zh, path, progress)
}

/// Writes the rectification list of `filter` to `path` in `lang`, the document's language, not the
/// screen's. JSON is data: its labels are the Chinese ones whatever the language
/// (docs/rectification-json.md).
pub fn rectification_in(
    s: &Session,
    filter: &Filter,
    format: Format,
    lang: Lang,
    path: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Written> {
    if !RECTIFICATION_FORMATS.contains(&format) {
        return Err(refuse_format(format, RECTIFICATION_FORMATS));
    }
    let lang = if format == Format::Json { Lang::Zh } else { lang };
    let rows = rows_in(s, filter, s.today(), lang, progress)?;
    let title = K::RectListTitle.fill_in(lang, &[&filter.quarter.map(|q| q.to_string()).unwrap_or_default()]);
    let head = s.audit_head()?;
    let bytes = match format {
        Format::Xlsx => writers::xlsx_in(&rows, &heading(s, filter, &rows, lang)?, lang).map_err(ServiceError::Invalid)?,
        Format::Csv => writers::csv_in(&rows, lang).map_err(ServiceError::Invalid)?,
        Format::Json => writers::json(&rows, Some((head.0, &head.1))).map_err(ServiceError::Invalid)?,
        Format::Md | Format::Html | Format::Docx => writers::markdown_in(&rows, &title, lang),
    };
    write(path, &bytes)?;
    Ok(Written { rows: rows.len(), title, path: path.to_path_buf(), head })
}

/// The title row's words for the list of `filter`: its round or quarter, and today.
fn heading(s: &Session, filter: &Filter, rows: &[RectRow], lang: Lang) -> Result<writers::Heading> {
    let round = filter.round.map(|r| super::rounds::get(s, r)).transpose()?;
    let scope = crate::report::rectification::scope(round.as_ref().map(|r| r.title.as_str()), filter.quarter, rows, lang);
    let figures = rect_figures(s, filter, rows)?;
    Ok(writers::Heading { scope, exported_on: s.today(), figures: Some(figures) })
}

/// The rectification figures of the list's quarter (the filter's, its round's, or the current
/// one) in its area, as the quarterly bulletin states them: the same function on the same
/// findings, so the 统计 sheet and the bulletin cannot disagree. Other filters of the list (status,
/// severity, field) do not narrow them: the sheet says so.
fn rect_figures(
    s: &Session,
    filter: &Filter,
    rows: &[RectRow],
) -> Result<(crate::domain::figures::Period, crate::domain::figures::RectFigures)> {
    let today = s.today();
    let round_quarter = filter.round.and_then(|r| rows.iter().find(|x| x.round_id == r).map(|x| x.quarter));
    let q = filter.quarter.or(round_quarter).unwrap_or_else(|| Quarter::of(today));
    let opts = bulletin::Options { quarter: q, area: filter.area.as_deref(), as_of: None, lang: Lang::Zh };
    let b = bulletin::build_with(s, &opts, today)?;
    let period = crate::domain::figures::Period { start: b.period.start, end: b.period.end, as_of: b.period.as_of };
    Ok((period, b.rect.figures))
}

/// Builds the quarterly bulletin (the screen shows it; `bulletin` writes it).
pub fn bulletin_of(s: &Session, quarter: Quarter, area: Option<&str>) -> Result<bulletin::Bulletin> {
    bulletin::build(s, quarter, area, s.today())
}

/// What to write of a quarterly bulletin.
pub struct BulletinRequest<'a> {
    pub quarter: Quarter,
    /// Only organisations under this code.
    pub area: Option<&'a str>,
    /// The day its states are judged on (default: the end of the quarter, or today if earlier).
    pub as_of: Option<chrono::NaiveDate>,
    pub notes: &'a bulletin::Notes,
    pub format: Format,
    /// The document's language, not the screen's (JSON is data: Chinese labels).
    pub lang: Lang,
    /// Write it even when no visit of the quarter is approved, saying so on its first page.
    pub allow_empty: bool,
    /// The head and foot of the official document (the office's settings).
    pub official: Option<crate::report::doc::Official>,
    /// Made from the office hub: its name, last change id and hash, named at the foot.
    pub hub: Option<(String, i64, String)>,
    /// 成文日期: the Word file is dated so.
    pub dated: chrono::NaiveDate,
}

/// Writes the quarterly bulletin (季度通报) to `path`: a Word 公文, its figures as JSON, or a
/// Markdown or HTML preview. A quarter with no approved visit is refused unless `allow_empty`.
pub fn bulletin(s: &Session, req: &BulletinRequest<'_>, path: &Path) -> Result<Written> {
    if !BULLETIN_FORMATS.contains(&req.format) {
        return Err(refuse_format(req.format, BULLETIN_FORMATS));
    }
    let lang = if req.format == Format::Json { Lang::Zh } else { req.lang };
    if let Some(code) = req.area
        && s.org(code)?.is_none()
    {
        return Err(super::invalid(K::OrgNotFound, &[&code]));
    }
    // A day still to come would state today's states as that day's; a day before the quarter
    // has nothing of it to judge.
    if let Some(day) = req.as_of {
        let (start, today) = (bulletin::quarter_start(req.quarter), s.today());
        if day > today || day < start {
            return Err(super::invalid(K::AsOfOutside, &[&day, &req.quarter, &start, &today]));
        }
    }
    let opts = bulletin::Options { quarter: req.quarter, area: req.area, as_of: req.as_of, lang };
    let mut b = bulletin::build_with(s, &opts, s.today())?;
    b.hub = req.hub.clone();
    if b.empty && !req.allow_empty {
        let area = if b.area_name.is_empty() { String::new() } else { format!("（{}）", b.area_name) };
        return Err(super::invalid(K::BulletinEmpty, &[&req.quarter, &area]));
    }
    let bytes = match req.format {
        Format::Json => bulletin::json(&b).map_err(ServiceError::Invalid)?,
        Format::Docx => {
            let mut doc = bulletin::document(&b, req.notes);
            doc.official = req.official.clone();
            doc.date = Some(req.dated);
            // The bulletin's charts repeat figures its text and tables state: in a 公文 they
            // would be the same tables twice (the Word writer draws a chart as a table).
            doc.blocks.retain(|b| !matches!(b, crate::report::doc::Block::Chart(_)));
            crate::report::docx::docx(&doc).map_err(ServiceError::Invalid)?
        }
        Format::Html | Format::Md => {
            let mut doc = bulletin::document(&b, req.notes);
            doc.official = req.official.clone();
            if req.format == Format::Html { crate::report::doc::html(&doc) } else { crate::report::doc::markdown(&doc) }.into_bytes()
        }
        Format::Xlsx | Format::Csv => return Err(refuse_format(req.format, BULLETIN_FORMATS)),
    };
    write(path, &bytes)?;
    Ok(Written { rows: 0, title: b.title.clone(), path: path.to_path_buf(), head: s.audit_head()? })
}

/// Writes the paper visit sheet (检查表) of one organisation in a round, to be filled by hand and
/// read back by `visit import`: CSV, or XLSX set up for printing.
pub fn visit_sheet(s: &Session, round: crate::domain::Id, org: &str, format: Format, path: &Path) -> Result<Written> {
    let bytes = match format {
        Format::Csv => super::sheet::blank(s, round, org)?,
        Format::Xlsx => super::sheet::blank_xlsx(s, round, org)?,
        _ => return Err(refuse_format(format, SHEET_FORMATS)),
    };
    write(path, &bytes)?;
    Ok(Written { rows: 0, title: s.org_name(org)?, path: path.to_path_buf(), head: s.audit_head()? })
}

/// The formats of a visit's handover sheet and of its report.
pub const HANDOVER_FORMATS: &[Format] = &[Format::Docx, Format::Xlsx];
pub const VISIT_REPORT_FORMATS: &[Format] = &[Format::Docx, Format::Md];

/// One visit read for its documents; refused (nothing written) when the organisation is not in
/// the round or the visit has not started and holds nothing.
fn visit_facts(s: &Session, round: &crate::domain::Round, org: &str, lang: Lang) -> Result<crate::report::visit_doc::VisitFacts> {
    let facts = crate::report::visit_doc::gather(s, round, org, s.today(), lang)?;
    if !facts.recorded() {
        return Err(super::invalid(K::VisitNothingRecorded, &[&facts.org.name, &round.id.short()]));
    }
    Ok(facts)
}

/// Writes the handover sheet (问题交办单, with the 立行立改通知书 when a problem is to be fixed on
/// the spot) of one visit, as a Word document or a workbook. A visit with no finding has nothing
/// to hand over and is refused.
pub fn handover(s: &Session, round: &crate::domain::Round, org: &str, format: Format, lang: Lang, path: &Path) -> Result<Written> {
    use crate::report::handover as h;
    if !HANDOVER_FORMATS.contains(&format) {
        return Err(refuse_format(format, HANDOVER_FORMATS));
    }
    let facts = visit_facts(s, round, org, lang)?;
    if facts.findings.is_empty() {
        return Err(super::invalid(K::HandoverNothing, &[&facts.org.name]));
    }
    let sheet = h::build(&facts);
    let bytes = match format {
        Format::Xlsx => h::xlsx(&sheet).map_err(ServiceError::Invalid)?,
        _ => {
            let mut doc = h::document(&sheet);
            doc.date = Some(s.today());
            crate::report::docx::docx(&doc).map_err(ServiceError::Invalid)?
        }
    };
    write(path, &bytes)?;
    Ok(Written { rows: sheet.rows.len(), title: sheet.title, path: path.to_path_buf(), head: facts.head })
}

/// Writes the per-branch inspection report (一支部一报告) of one visit, as a Word document or a
/// Markdown preview.
pub fn visit_report(s: &Session, round: &crate::domain::Round, org: &str, format: Format, lang: Lang, path: &Path) -> Result<Written> {
    use crate::report::visit_report as r;
    if !VISIT_REPORT_FORMATS.contains(&format) {
        return Err(refuse_format(format, VISIT_REPORT_FORMATS));
    }
    let facts = visit_facts(s, round, org, lang)?;
    let mut doc = r::document(&facts);
    doc.date = Some(s.today());
    let bytes = match format {
        Format::Md => crate::report::doc::markdown(&doc).into_bytes(),
        _ => crate::report::docx::docx(&doc).map_err(ServiceError::Invalid)?,
    };
    write(path, &bytes)?;
    Ok(Written { rows: facts.findings.len(), title: doc.title, path: path.to_path_buf(), head: facts.head })
}
