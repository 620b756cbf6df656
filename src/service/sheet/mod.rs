//! The paper fallback: a blank visit sheet (CSV or XLSX) to print, and the import of a filled one. The
//! sheet records everything the screens do: the arrival and the six "四不两直" checks, verdicts
//! and notes, findings on items and outside them (其他) with every field of the finding form, and
//! veto gates.
//!
//! Reading is in two steps: `parse` judges the rows on their own (pure: the file, the round's
//! template and quarter, the clock), `import` checks them against the store and writes them in one
//! commit, or nothing.

use super::findings::{FindingInput, validate};
use super::{Result, ServiceError, Session, rounds, visits};
use crate::domain::limits;
use crate::domain::rules;
use crate::domain::vocab::Vocab;
use crate::domain::{
    ArrivalState, Finding, Id, ItemResult, Quarter, RectType, Severity, Template, UNANNOUNCED_CHECKS, Verdict, VetoMark, Visit, VisitStatus,
};
use crate::i18n::K;
use crate::store::{Commit, Write};
use crate::tabular::{FileKind, Problem, ReadOptions, Rows};
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The sheet's columns. 检查内容 and 分值 are for the reader on paper and are ignored on import.
pub const COLUMNS: [&str; 14] = [
    "组织编码",
    "检查项编号",
    "检查内容",
    "分值",
    "结论",
    "说明",
    "问题描述",
    "严重程度",
    "整改类型",
    "整改要求",
    "责任人",
    "整改时限",
    "佐证",
    "次数",
];
const ORG: usize = 0;
const ITEM: usize = 1;
const TEXT: usize = 2;
const POINTS: usize = 3;
const VERDICT: usize = 4;
const NOTE: usize = 5;
const DESC: usize = 6;
const SEVERITY: usize = 7;
const RECT_TYPE: usize = 8;
const REQUIREMENT: usize = 9;
const RESPONSIBLE: usize = 10;
const DEADLINE: usize = 11;
const EVIDENCE: usize = 12;
/// Occurrences found on an item that deducts per occurrence; last, so the columns people know
/// keep their places.
const COUNT: usize = 13;
/// Columns a sheet may lack: the read-only ones, and those added after the first sheets were
/// printed (整改类型, 佐证, 次数).
const OPTIONAL: [usize; 5] = [TEXT, POINTS, RECT_TYPE, EVIDENCE, COUNT];

/// The rows of a sheet that are not checklist items, named in the 检查项编号 column.
pub const ARRIVAL_TIME: &str = "到达时间";
pub const ARRIVAL_STATE: &str = "到达情况";
pub const INTERVIEWED: &str = "询问对象";
pub const RECORDS_READ: &str = "查阅资料";
/// A finding outside the checklist.
pub const OTHER: &str = "其他";

// What to write in each kind of row, printed in the 检查内容 column. The sheet is a document for
// the office: Chinese whatever the screen language.
const HINT_TIME: &str = "结论栏填到达时间，如 2026-11-22 09:30";
const HINT_STATE: &str = "结论栏填到达时所见：";
const HINT_CHECK: &str = "结论栏填 是 / 否";
const HINT_TEXT: &str = "说明栏填写";
const HINT_VETO: &str = "一票否决：结论栏填 是 / 否，是则说明栏写明原因。";
/// After the veto's text: the item that triggers it (its verdict must be 不符合).
const HINT_VETO_ITEM: &str = "（由检查项 {item} 触发，该项须判为不符合）";
/// After a per-occurrence item's text.
const HINT_COUNT: &str = "（按次扣分：每次扣 {per} 分，最多扣 {cap} 分；不符合或部分符合时次数栏填发现的次数）";
const HINT_OTHER: &str = "检查项以外的问题：填问题描述等栏";

/// One fact of the arrival, as a sheet row gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum Arrival {
    Time(NaiveDateTime),
    /// 到达情况, with the 说明 column as the arrival note.
    State(Option<ArrivalState>, String),
    /// One of the six "四不两直" checks (its index), 是 or 否.
    Check(usize, Option<bool>),
    Interviewed(String),
    RecordsRead(String),
}

/// What one row of a sheet says.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Arrival(Arrival),
    Item {
        item: String,
        verdict: Option<Verdict>,
        note: String,
        /// Occurrences found (次数), on a per-occurrence item.
        count: Option<u32>,
        finding: Option<FindingInput>,
    },
    /// A finding not tied to an item.
    Other(FindingInput),
    /// A veto gate: set (with its reason), cleared, or (None) left as it is.
    Veto {
        gate: String,
        set: Option<bool>,
        reason: String,
    },
}

/// A row that passed the checks that need no store.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    pub line: usize,
    pub org: String,
    pub entry: Entry,
}

/// One bad cell of a sheet.
fn cell_err(line: usize, col: usize, reason: String) -> String {
    K::RosterRowError.fill(&[&line, &(col + 1), &COLUMNS[col], &reason])
}

fn yes_no(w: &str) -> Option<Option<bool>> {
    match w.trim() {
        "" => Some(None),
        "是" | "y" | "Y" | "yes" | "Yes" | "YES" | "√" | "✓" => Some(Some(true)),
        "否" | "n" | "N" | "no" | "No" | "NO" | "×" | "✗" => Some(Some(false)),
        _ => None,
    }
}

/// An arrival time as people write it: 2026-11-22 09:30, 2026/11/22 9:30, 2026-11-22T09:30.
fn parse_time(s: &str) -> Option<NaiveDateTime> {
    let t = s.trim().replace(['/', '.'], "-").replace('T', " ");
    ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"].iter().find_map(|f| NaiveDateTime::parse_from_str(&t, f).ok())
}

/// Where each of `COLUMNS` is in a header.
fn positions(header: &[String]) -> Vec<Option<usize>> {
    COLUMNS.iter().map(|c| header.iter().position(|h| h.trim().trim_start_matches('\u{feff}') == *c)).collect()
}

/// The columns a sheet must have.
fn required_columns() -> Vec<&'static str> {
    COLUMNS.iter().enumerate().filter(|(i, _)| !OPTIONAL.contains(i)).map(|(_, c)| *c).collect()
}

/// The rows from the header on: the sheet written as XLSX has a title row above it.
fn from_header(rows: Rows) -> Rows {
    crate::tabular::from_header(rows, &required_columns())
}

/// The columns a sheet needs and `header` lacks.
fn missing_columns(header: &[String]) -> Vec<&'static str> {
    let pos = positions(header);
    COLUMNS.iter().enumerate().filter(|(i, _)| pos[*i].is_none() && !OPTIONAL.contains(i)).map(|(_, c)| *c).collect()
}

/// Judges every row on its own: the vocabulary of each cell, the arrival facts against the
/// round's quarter and the clock, a finding's fields as the finding form would, a verdict that
/// contradicts a described finding, and one row per item, arrival fact and veto gate of an
/// organisation. Every bad cell is reported.
pub fn parse(rows: Rows, template: &Template, quarter: Quarter, now: NaiveDateTime) -> std::result::Result<Vec<SheetRow>, Vec<String>> {
    match parse_all(rows, template, quarter, now) {
        (rows, errors) if errors.is_empty() => Ok(rows),
        (_, errors) => Err(errors),
    }
}

/// `parse`, keeping the good rows beside the errors, so the import can check them against the
/// store too and report every bad cell of the file at once.
fn parse_all(rows: Rows, template: &Template, quarter: Quarter, now: NaiveDateTime) -> (Vec<SheetRow>, Vec<String>) {
    let today = now.date();
    let mut rows = from_header(rows).into_iter();
    let Some((_, header)) = rows.next() else { return (Vec::new(), Vec::new()) };
    let pos = positions(&header);
    let missing = missing_columns(&header);
    if !missing.is_empty() {
        return (Vec::new(), vec![K::SheetMissingColumns.fill(&[&missing.join(", ")])]);
    }
    let mut errors = Vec::new();
    let mut out = Vec::new();
    // (org, key) → the line that first gave it: one row per item, arrival fact and veto gate.
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (line, cells) in rows {
        let get = |c: usize| pos[c].and_then(|p| cells.get(p)).map_or("", |s| s.trim());
        let org = get(ORG).to_string();
        let key = get(ITEM).to_string();
        if org.is_empty() {
            errors.push(cell_err(line, ORG, K::RowMissing.text().into()));
            continue;
        }
        if key.is_empty() {
            errors.push(cell_err(line, ITEM, K::RowMissing.text().into()));
            continue;
        }
        if key != OTHER {
            if let Some(first) = seen.get(&(org.clone(), key.clone())) {
                errors.push(cell_err(line, ITEM, K::RepeatRowItem.fill(&[&key, first])));
                continue;
            }
            seen.insert((org.clone(), key.clone()), line);
        }
        let too_long = |col: usize, max: usize| (!limits::fits(get(col), max)).then(|| (col, max, limits::chars(get(col))));
        if let Some((col, max, n)) =
            [too_long(NOTE, limits::TEXT_CHARS), too_long(VERDICT, limits::TEXT_CHARS)].into_iter().flatten().next()
        {
            errors.push(cell_err(line, col, K::TooLong.fill(&[&COLUMNS[col], &max, &n])));
            continue;
        }
        let check = UNANNOUNCED_CHECKS.iter().position(|(zh, _)| *zh == key);
        let entry = match key.as_str() {
            ARRIVAL_TIME => match get(VERDICT) {
                "" => continue,
                w => match parse_time(w) {
                    Some(t) => match visits::arrival_error(t, quarter, now) {
                        None => Entry::Arrival(Arrival::Time(t)),
                        Some(e) => {
                            errors.push(cell_err(line, VERDICT, e));
                            continue;
                        }
                    },
                    None => {
                        errors.push(cell_err(line, VERDICT, K::BadDateTime.text().into()));
                        continue;
                    }
                },
            },
            ARRIVAL_STATE => match get(VERDICT) {
                "" => Entry::Arrival(Arrival::State(None, get(NOTE).to_string())),
                w => match ArrivalState::parse_word(w) {
                    Some(st) => Entry::Arrival(Arrival::State(Some(st), get(NOTE).to_string())),
                    None => {
                        errors.push(cell_err(line, VERDICT, K::TplBadValue.fill(&[&COLUMNS[VERDICT], &w, &ArrivalState::expected()])));
                        continue;
                    }
                },
            },
            INTERVIEWED => Entry::Arrival(Arrival::Interviewed(get(NOTE).to_string())),
            RECORDS_READ => Entry::Arrival(Arrival::RecordsRead(get(NOTE).to_string())),
            _ if check.is_some() => match yes_no(get(VERDICT)) {
                Some(v) => Entry::Arrival(Arrival::Check(check.unwrap_or_default(), v)),
                None => {
                    errors.push(cell_err(line, VERDICT, K::TplBadValue.fill(&[&COLUMNS[VERDICT], &get(VERDICT), &"是, 否"])));
                    continue;
                }
            },
            _ if template.vetoes.iter().any(|g| g.id == key) => match yes_no(get(VERDICT)) {
                Some(Some(true)) if get(NOTE).is_empty() => {
                    errors.push(cell_err(line, NOTE, K::ReasonEmpty.text().into()));
                    continue;
                }
                Some(set) => Entry::Veto { gate: key.clone(), set, reason: get(NOTE).to_string() },
                None => {
                    errors.push(cell_err(line, VERDICT, K::TplBadValue.fill(&[&COLUMNS[VERDICT], &get(VERDICT), &"是, 否"])));
                    continue;
                }
            },
            _ => {
                let item = (key != OTHER).then(|| key.clone());
                if let Some(id) = &item
                    && template.item(id).is_none()
                {
                    errors.push(cell_err(line, ITEM, K::ItemNotFound.fill(&[&template.id, id])));
                    continue;
                }
                let verdict = match get(VERDICT) {
                    "" => None,
                    w => match Verdict::parse_word(w) {
                        Some(v) if item.is_some() => Some(v),
                        Some(_) => {
                            errors.push(cell_err(line, VERDICT, K::OtherNoVerdict.text().into()));
                            continue;
                        }
                        None => {
                            errors.push(cell_err(line, VERDICT, K::TplBadValue.fill(&[&COLUMNS[VERDICT], &w, &Verdict::expected()])));
                            continue;
                        }
                    },
                };
                let finding = match finding_cells(&get, line, item.as_deref(), template, today) {
                    Ok(f) => f,
                    Err(mut e) => {
                        errors.append(&mut e);
                        continue;
                    }
                };
                if finding.is_some() && rules::contradicts_findings(verdict) {
                    let label = verdict.map_or("", |v| v.label());
                    errors.push(cell_err(line, VERDICT, K::FindingContradictsVerdict.fill(&[&label])));
                    continue;
                }
                // 次数: a whole number on a per-occurrence item found wanting (a described
                // finding makes an unanswered item 不符合, as the import does).
                let count = match (get(COUNT), item.as_deref().and_then(|i| template.item(i))) {
                    ("", _) => None,
                    (w, Some(it)) => {
                        let implied = if finding.is_some() && verdict.is_none() { Some(Verdict::Fails) } else { verdict };
                        let why = match w.parse::<u32>() {
                            Ok(n) => rules::count_problem(it, implied, n).map_or(Ok(n), Err),
                            Err(_) => Err(K::CountRange.fill(&[&limits::OCCURRENCES])),
                        };
                        match why {
                            Ok(n) => Some(n),
                            Err(e) => {
                                errors.push(cell_err(line, COUNT, e));
                                continue;
                            }
                        }
                    }
                    (_, None) => {
                        errors.push(cell_err(line, COUNT, K::OtherNoCount.text().into()));
                        continue;
                    }
                };
                match (item, finding) {
                    (Some(item), finding) => Entry::Item { item, verdict, note: get(NOTE).to_string(), count, finding },
                    (None, Some(f)) => Entry::Other(f),
                    // A blank 其他 row, as the blank sheet prints them.
                    (None, None) => continue,
                }
            }
        };
        out.push(SheetRow { line, org, entry });
    }
    (out, errors)
}

/// The finding a row describes (None when 问题描述 is empty), checked as the finding form checks.
fn finding_cells<'a>(
    get: &dyn Fn(usize) -> &'a str,
    line: usize,
    item: Option<&str>,
    template: &Template,
    today: NaiveDate,
) -> std::result::Result<Option<FindingInput>, Vec<String>> {
    if get(DESC).is_empty() {
        return Ok(None);
    }
    let mut errors = Vec::new();
    let severity = match get(SEVERITY) {
        "" => Some(item.and_then(|i| template.item(i)).map_or(Severity::Minor, |i| i.severity)),
        w => Severity::parse_word(w).or_else(|| {
            errors.push(cell_err(line, SEVERITY, K::TplBadValue.fill(&[&COLUMNS[SEVERITY], &w, &Severity::expected()])));
            None
        }),
    };
    let rect_type = match get(RECT_TYPE) {
        // Sheets without the column: a deadline means 限期整改, none 长期整改.
        "" => Some(if get(DEADLINE).is_empty() { RectType::LongTerm } else { RectType::ByDeadline }),
        w => RectType::parse_word(w).or_else(|| {
            errors.push(cell_err(line, RECT_TYPE, K::TplBadValue.fill(&[&COLUMNS[RECT_TYPE], &w, &RectType::expected()])));
            None
        }),
    };
    if !errors.is_empty() {
        // A field already unreadable: the form's checks would only repeat it in other words.
        return Err(errors);
    }
    let input = FindingInput {
        id: None,
        round: None,
        org: get(ORG).to_string(),
        item: item.map(str::to_string),
        description: get(DESC).to_string(),
        severity,
        rect_type,
        requirement: get(REQUIREMENT).to_string(),
        responsible_person: get(RESPONSIBLE).to_string(),
        deadline: get(DEADLINE).to_string(),
        evidence: get(EVIDENCE).to_string(),
    };
    if let Err(errs) = validate(&input, today) {
        use super::findings::FindingField as F;
        for e in errs {
            let col = match e.field {
                F::Description => DESC,
                F::Severity => SEVERITY,
                F::RectType => RECT_TYPE,
                F::Requirement => REQUIREMENT,
                F::Responsible => RESPONSIBLE,
                F::Deadline => DEADLINE,
                F::Evidence => EVIDENCE,
            };
            errors.push(cell_err(line, col, e.message));
        }
    }
    if errors.is_empty() { Ok(Some(input)) } else { Err(errors) }
}

/// A blank sheet's rows (under `COLUMNS`), unguarded: the arrival rows, one row per applicable
/// item, the veto gates, and two rows for findings outside the checklist. What the visit already
/// holds is printed in, so the paper carries the arrival as recorded on screen and importing the
/// sheet back changes nothing. Also the round's title and the organisation's name, for a title.
fn blank_rows(s: &Session, round: Id, org: &str) -> Result<(String, String, Vec<Vec<String>>)> {
    let r = rounds::get(s, round)?;
    let template = rounds::template_of(s, &r)?;
    let d = rounds::visit_data(s, round, org)?;
    // (key, 检查内容, 结论, 说明)
    let v = &d.visit;
    let yes_no = |b: Option<bool>| b.map_or("", |b| if b { "是" } else { "否" }).to_string();
    let mut rows: Vec<(String, String, String, String)> = Vec::new();
    let arrived = v.arrived_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
    rows.push((ARRIVAL_TIME.into(), HINT_TIME.into(), arrived, String::new()));
    let states = ArrivalState::ALL.iter().map(|a| a.zh()).collect::<Vec<_>>().join(" / ");
    let state = v.arrival_state.map(|a| a.zh().to_string()).unwrap_or_default();
    rows.push((ARRIVAL_STATE.into(), format!("{HINT_STATE}{states}（说明栏写情况）"), state, v.arrival_note.clone()));
    for (i, (zh, _)) in UNANNOUNCED_CHECKS.iter().enumerate() {
        rows.push((zh.to_string(), HINT_CHECK.into(), yes_no(v.unannounced[i]), String::new()));
    }
    rows.push((INTERVIEWED.into(), HINT_TEXT.into(), String::new(), v.interviewed.clone()));
    rows.push((RECORDS_READ.into(), HINT_TEXT.into(), String::new(), v.records_read.clone()));
    let row = |key: &str, hint: &str, verdict: &str, note: &str| {
        let mut r = vec![String::new(); COLUMNS.len()];
        r[ORG] = org.to_string();
        r[ITEM] = key.to_string();
        r[TEXT] = hint.to_string();
        r[VERDICT] = verdict.to_string();
        r[NOTE] = note.to_string();
        r
    };
    let mut out: Vec<Vec<String>> = rows.iter().map(|(key, hint, verdict, note)| row(key, hint, verdict, note)).collect();
    let fmt = crate::template::fmt_points;
    for (_, item) in template.items().filter(|(_, i)| i.applies_to(d.org.field)) {
        let text = match item.per_occurrence {
            Some(per) => format!("{}{}", item.text, HINT_COUNT.replace("{per}", &fmt(per)).replace("{cap}", &fmt(item.max_deduction()))),
            None => item.text.clone(),
        };
        let mut r = row(&item.id, &text, "", "");
        r[POINTS] = fmt(item.points);
        out.push(r);
    }
    for g in &template.vetoes {
        let set = v.vetoes.iter().find(|m| m.id == g.id);
        let (verdict, reason) = set.map_or(("", ""), |m| ("是", m.reason.as_str()));
        let by = g.item.as_deref().map_or(String::new(), |i| HINT_VETO_ITEM.replace("{item}", i));
        out.push(row(&g.id, &format!("{HINT_VETO}{}{by}", g.text), verdict, reason));
    }
    for _ in 0..2 {
        out.push(row(OTHER, HINT_OTHER, "", ""));
    }
    Ok((r.title, d.org.name.clone(), out))
}

/// A blank sheet for one visit as CSV, UTF-8 with BOM so Excel reads it.
pub fn blank(s: &Session, round: Id, org: &str) -> Result<Vec<u8>> {
    let (_, _, rows) = blank_rows(s, round, org)?;
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let io = |e: csv::Error| ServiceError::Invalid(e.to_string());
    w.write_record(COLUMNS).map_err(io)?;
    // Opened in a spreadsheet: no cell may run as a formula (an item's text could start with "=").
    for r in rows {
        w.write_record(r.iter().map(|c| crate::safe_text::guard_formula(c).into_owned())).map_err(io)?;
    }
    w.into_inner().map_err(|e| ServiceError::Invalid(e.to_string()))
}

/// A blank sheet for one visit as XLSX, the same rows as the CSV under a title row (round,
/// organisation, export date), set up to print on A4 landscape with the header on every page; the
/// columns filled in by hand wide enough to write in. Every cell is a string, never a formula.
pub fn blank_xlsx(s: &Session, round: Id, org: &str) -> Result<Vec<u8>> {
    use crate::report::words::D;
    let (round_title, name, rows) = blank_rows(s, round, org)?;
    let title = D::VisitSheetTitle.fill_in(crate::i18n::Lang::Zh, &[&round_title, &name, &org, &s.today()]);
    let by_hand = [
        (TEXT, 36.0),
        (VERDICT, 10.0),
        (NOTE, 20.0),
        (DESC, 24.0),
        (REQUIREMENT, 16.0),
        (RESPONSIBLE, 8.0),
        (DEADLINE, 12.0),
        (EVIDENCE, 12.0),
        (COUNT, 6.0),
    ];
    crate::report::writers::table_xlsx(D::SheetVisit.text_in(crate::i18n::Lang::Zh), &title, &COLUMNS, &rows, &by_hand)
        .map_err(ServiceError::Invalid)
}

mod import;
pub use import::{SheetSummary, import};
