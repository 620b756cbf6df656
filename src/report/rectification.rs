//! The rectification list (问题整改清单): one row per official finding, with the columns of the
//! domain brief, built from the snap alone. Writers turn the rows into files.

use super::Snapshot;
use super::words::{D, label};
use crate::domain::{Field, Finding, Id, Quarter, RectStatus, Round, Severity};
use crate::i18n::{K, Lang};
use crate::service::Result;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// The JSON schema version of the exported list (docs/rectification-json.md).
pub const SCHEMA: &str = "xuncha.rectification/1";

/// Which findings a list holds. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub round: Option<Id>,
    pub quarter: Option<Quarter>,
    /// An organisation code: everything under it.
    pub area: Option<String>,
    pub field: Option<Field>,
    pub status: Option<RectStatus>,
    /// Only overdue findings (the 逾期 state, derived from the deadline).
    pub overdue: bool,
    pub severity: Option<Severity>,
}

/// One line of the list. Field names are the JSON keys; `COLUMNS` gives the Chinese headers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RectRow {
    pub seq: usize,
    pub number: String,
    pub id: Id,
    pub round: String,
    pub round_id: Id,
    pub quarter: Quarter,
    pub inspected_on: Option<NaiveDate>,
    /// The arrival time the inspector recorded (检查时间), local.
    pub inspected_at: Option<chrono::NaiveDateTime>,
    /// What the inspector found on arrival (开门, 锁门, 有人值班).
    pub arrival_state: String,
    pub inspector: String,
    pub parent_path: String,
    pub org_code: String,
    pub org: String,
    pub field: String,
    pub item: String,
    pub category: String,
    pub description: String,
    pub severity: String,
    pub deduction: f64,
    pub evidence: String,
    /// 附件: the files attached to the finding and its steps (the cell lists their short ids).
    pub files: Vec<FileRef>,
    pub repeat: bool,
    pub repeat_of: Option<String>,
    pub rect_type: String,
    pub requirement: String,
    pub measures: String,
    pub responsible_unit: String,
    pub responsible_person: String,
    pub overseer: String,
    pub deadline: Option<NaiveDate>,
    pub progress: String,
    pub status: String,
    pub overdue: bool,
    /// Days until the deadline (negative: overdue), while open.
    pub days_left: Option<i64>,
    pub acceptor: String,
    pub accepted_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub remarks: String,
    /// The county-level area, for counts and rankings, and its code.
    #[serde(skip)]
    pub area: String,
    #[serde(skip)]
    pub area_code: String,
    /// The language of the labels (field, severity, type, status) and of the cells.
    #[serde(skip)]
    pub lang: Lang,
}

/// One file of a row, as the JSON export lists it: its short id, hash, name, size, kind, when
/// it was attached, and the day of the step it belongs to (none: on the finding).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileRef {
    pub id: String,
    pub sha256: String,
    pub name: String,
    pub size: u64,
    pub kind: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub step: Option<NaiveDate>,
}

impl FileRef {
    fn of(step: Option<NaiveDate>, a: &crate::domain::evidence::Attachment) -> FileRef {
        FileRef {
            id: a.short_id().to_string(),
            sha256: a.sha256.clone(),
            name: a.name.clone(),
            size: a.size,
            kind: a.kind.clone(),
            at: a.at,
            step,
        }
    }
}

/// The headers of the list in English (`--doc-lang en`), in the order of `COLUMNS`.
pub const COLUMNS_EN: [&str; 29] = [
    "No.",
    "Problem number",
    "Round",
    "Inspected at",
    "Inspector",
    "Parent organisations",
    "Organisation inspected",
    "Field",
    "Item",
    "Category",
    "Description",
    "Severity",
    "Deduction",
    "Evidence",
    "Files",
    "Repeated",
    "Rectification type",
    "Requirement",
    "Measures",
    "Unit responsible",
    "Person responsible",
    "Overseer",
    "Deadline",
    "Progress",
    "Status",
    "Acceptor",
    "Accepted on",
    "Closed on",
    "Remarks",
];

/// The headers in a document's language (the follow-up import reads the Chinese ones).
pub fn columns(lang: Lang) -> [&'static str; 29] {
    match lang {
        Lang::Zh => COLUMNS,
        Lang::En => COLUMNS_EN,
    }
}

/// The headers of the list, in order (domain brief §5).
pub const COLUMNS: [&str; 29] = [
    "序号",
    "问题编号",
    "检查批次",
    "检查时间",
    "检查人",
    "上级组织",
    "被查党组织",
    "领域",
    "检查项编号",
    "问题类别",
    "问题描述",
    "严重程度",
    "扣分",
    "佐证",
    "附件",
    "是否重复问题",
    "整改类型",
    "整改要求",
    "整改措施",
    "整改责任单位",
    "整改责任人",
    "督促责任人",
    "整改时限",
    "整改进展",
    "整改状态",
    "验收人",
    "验收日期",
    "销号日期",
    "备注",
];

/// YYYY-MM-DD into `buf`, written by hand: chrono's formatter parses its pattern for every cell.
fn date(buf: &mut String, d: Option<NaiveDate>) {
    use chrono::Datelike;
    use std::fmt::Write;
    if let Some(d) = d {
        let _ = write!(buf, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
    }
}

/// YYYY-MM-DD HH:MM into `buf`.
fn minute(buf: &mut String, t: &chrono::NaiveDateTime) {
    use chrono::Timelike;
    use std::fmt::Write;
    date(buf, Some(t.date()));
    let _ = write!(buf, " {:02}:{:02}", t.hour(), t.minute());
}

impl RectRow {
    /// The status as the list shows it: 逾期 is added to an open finding past its deadline.
    pub fn status_label(&self) -> String {
        if self.overdue { D::StatusOverdue.fill_in(self.lang, &[&self.status]) } else { self.status.clone() }
    }

    /// The cells in `COLUMNS` order.
    pub fn cells(&self) -> Vec<String> {
        let mut out = Vec::with_capacity(COLUMNS.len());
        self.each_cell(|c| out.push(c.to_string()));
        out
    }

    /// Hands each cell to `f` in `COLUMNS` order: the row's own text as it is, the formatted ones
    /// (numbers, dates) through one reused buffer, so an export of 30,000 rows allocates almost
    /// nothing per cell.
    pub fn each_cell(&self, mut f: impl FnMut(&str)) {
        use std::fmt::Write;
        let mut buf = String::with_capacity(32);
        let put = |buf: &mut String, f: &mut dyn FnMut(&str)| {
            f(buf);
            buf.clear();
        };
        let _ = write!(buf, "{}", self.seq);
        put(&mut buf, &mut f);
        f(&self.number);
        f(&self.round);
        match (self.inspected_at, self.inspected_on) {
            (Some(t), _) => minute(&mut buf, &t),
            (None, d) => date(&mut buf, d),
        }
        put(&mut buf, &mut f);
        f(&self.inspector);
        f(&self.parent_path);
        f(&self.org);
        f(&self.field);
        f(&self.item);
        f(&self.category);
        f(&self.description);
        f(&self.severity);
        f(&crate::template::fmt_points(self.deduction));
        f(&self.evidence);
        f(&self.files.iter().map(|x| x.id.as_str()).collect::<Vec<_>>().join("、"));
        if self.repeat {
            f(&D::YesRepeat.fill_in(self.lang, &[&self.repeat_of.clone().unwrap_or_default()]));
        } else {
            f(D::No.text_in(self.lang));
        }
        f(&self.rect_type);
        f(&self.requirement);
        f(&self.measures);
        f(&self.responsible_unit);
        f(&self.responsible_person);
        f(&self.overseer);
        date(&mut buf, self.deadline);
        put(&mut buf, &mut f);
        f(&self.progress);
        if self.overdue {
            f(&self.status_label());
        } else {
            f(&self.status);
        }
        f(&self.acceptor);
        date(&mut buf, self.accepted_on);
        put(&mut buf, &mut f);
        date(&mut buf, self.closed_on);
        put(&mut buf, &mut f);
        f(&self.remarks);
    }
}

/// Names from the top down to `code`'s parent (all levels): the 上级组织 column.
fn parent_path(
    snap: &dyn Snapshot,
    code: &str,
    cache: &mut HashMap<String, (String, Option<String>, bool)>,
) -> Result<(String, String, String)> {
    let mut names = Vec::new();
    let mut county = String::new();
    let mut county_code = String::new();
    let mut cur = snap.org(code)?.and_then(|o| o.parent);
    while let Some(c) = cur {
        if !cache.contains_key(&c) {
            let o = snap.org(&c)?;
            let entry = o.map_or((c.clone(), None, false), |o| (o.name, o.parent, o.level == crate::domain::Level::County));
            cache.insert(c.clone(), entry);
        }
        let (name, parent, is_county) = cache[&c].clone();
        if is_county {
            county = name.clone();
            county_code = c.clone();
        }
        names.push(name);
        cur = parent;
        if names.len() > 64 {
            break;
        }
    }
    names.reverse();
    Ok((names.join(" / "), county, county_code))
}

/// Whether `code` is `area` or under it (the service filters by area with it too).
pub fn under(snap: &dyn Snapshot, code: &str, area: &str) -> Result<bool> {
    let mut cur = Some(code.to_string());
    let mut steps = 0;
    while let Some(c) = cur {
        if c == area {
            return Ok(true);
        }
        cur = snap.org(&c)?.and_then(|o| o.parent);
        steps += 1;
        if steps > 64 {
            break;
        }
    }
    Ok(false)
}

/// The official (numbered) findings that pass `filter`, in problem-number order, as rows.
pub fn rows(snap: &dyn Snapshot, filter: &Filter, today: NaiveDate) -> Result<Vec<RectRow>> {
    rows_with(snap, filter, today, &mut |_, _| {})
}

/// `rows`, telling `progress(done, total)` how far it is (for bars and gauges on big lists). The
/// labels are in the screen language (the board); a document asks for its own with `rows_in`.
pub fn rows_with(snap: &dyn Snapshot, filter: &Filter, today: NaiveDate, progress: &mut dyn FnMut(usize, usize)) -> Result<Vec<RectRow>> {
    rows_in(snap, filter, today, crate::i18n::lang(), progress)
}

/// `rows_with`, the labels and cells in `lang`.
pub fn rows_in(
    snap: &dyn Snapshot,
    filter: &Filter,
    today: NaiveDate,
    lang: Lang,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<RectRow>> {
    let rounds_by_id: HashMap<Id, Round> = snap.rounds()?.into_iter().map(|r| (r.id, r)).collect();
    let mut templates = HashMap::new();
    let mut paths = HashMap::new();
    let mut out = Vec::new();
    let mut findings: Vec<Finding> = snap.findings()?.into_iter().filter(|f| f.number.is_some()).collect();
    findings.sort_by(|a, b| a.number.cmp(&b.number));
    let total = findings.len();
    for (done, f) in findings.into_iter().enumerate() {
        progress(done, total);
        let Some(round) = rounds_by_id.get(&f.round) else { continue };
        if filter.round.is_some_and(|r| r != f.round) || filter.quarter.is_some_and(|q| q != round.quarter) {
            continue;
        }
        if filter.severity.is_some_and(|s| s != f.severity) || filter.status.is_some_and(|s| s != f.status) {
            continue;
        }
        let overdue = f.is_overdue(today);
        if filter.overdue && !overdue {
            continue;
        }
        let Some(org) = snap.org(&f.org)? else { continue };
        if filter.field.is_some_and(|x| org.field != Some(x)) {
            continue;
        }
        if let Some(area) = &filter.area
            && !under(snap, &f.org, area)?
        {
            continue;
        }
        if !templates.contains_key(&round.template_hash) {
            templates.insert(round.template_hash.clone(), snap.template_of(round)?);
        }
        let template = &templates[&round.template_hash];
        let (category, deduction) = match f.item.as_deref().and_then(|i| template.items().find(|(_, it)| it.id == i)) {
            Some((c, it)) => {
                // What the item deducts in the score, per occurrence when it counts them.
                let result = snap.result(f.round, &f.org, &it.id)?;
                let (verdict, count) = result.map_or((None, None), |r| (r.verdict, r.count));
                (c.name.clone(), it.deduction(verdict, count, template.partial_deduction))
            }
            None => (K::OtherItem.text_in(lang).to_string(), 0.0),
        };
        let visit = snap.visit(f.round, &f.org)?;
        let inspected_on = visit
            .as_ref()
            .and_then(|v| v.arrived_at.map(|a| a.date()).or(v.started_at.map(|s| s.with_timezone(&chrono::Local).date_naive())));
        let inspected_at = visit.as_ref().and_then(|v| v.arrived_at);
        let arrival_state = visit.as_ref().and_then(|v| v.arrival_state).map_or(String::new(), |a| label(a, lang).to_string());
        let (parent_path, county, county_code) = parent_path(snap, &f.org, &mut paths)?;
        out.push(RectRow {
            seq: out.len() + 1,
            number: f.number.clone().unwrap_or_default(),
            id: f.id,
            round: round.title.clone(),
            round_id: round.id,
            quarter: round.quarter,
            inspected_on,
            inspected_at,
            arrival_state,
            inspector: visit.map(|v| v.inspector).filter(|i| !i.is_empty()).unwrap_or_else(|| f.created_by.clone()),
            parent_path,
            org_code: org.code.clone(),
            org: org.name.clone(),
            field: org.field.map_or(String::new(), |x| label(x, lang).to_string()),
            item: f.item.clone().unwrap_or_default(),
            category,
            description: f.description.clone(),
            severity: label(f.severity, lang).to_string(),
            deduction,
            evidence: f.evidence.join("；"),
            files: crate::domain::evidence::of_finding(&f).into_iter().map(|(step, a)| FileRef::of(step, a)).collect(),
            repeat: f.repeat_of.is_some(),
            repeat_of: f.repeat_of.clone(),
            rect_type: label(f.rect_type, lang).to_string(),
            requirement: f.requirement.clone(),
            measures: f.rect.measures.clone(),
            responsible_unit: if f.responsible_unit.is_empty() { org.name.clone() } else { f.responsible_unit.clone() },
            responsible_person: f.responsible_person.clone(),
            overseer: f.rect.overseer.clone(),
            deadline: f.deadline,
            progress: f.rect.latest_progress().to_string(),
            status: label(f.status, lang).to_string(),
            overdue,
            days_left: f.deadline.filter(|_| f.status.is_open()).map(|d| (d - today).num_days()),
            acceptor: f.rect.acceptor.clone(),
            accepted_on: f.rect.accepted_on,
            closed_on: f.rect.closed_on,
            remarks: f.rect.remarks.clone(),
            area: if county.is_empty() { org.name.clone() } else { county },
            area_code: county_code,
            lang,
        });
    }
    Ok(out)
}

/// What a list holds, for its title row: the round of the filter (its title), else the quarter,
/// else the rounds its rows come from (the first three, then how many); empty for no rows.
pub fn scope(round_title: Option<&str>, quarter: Option<Quarter>, rows: &[RectRow], lang: Lang) -> String {
    if let Some(t) = round_title {
        return t.to_string();
    }
    if let Some(q) = quarter {
        return match lang {
            Lang::Zh => q.zh_title(),
            Lang::En => q.to_string(),
        };
    }
    let mut rounds: Vec<&str> = Vec::new();
    for r in rows {
        if !rounds.contains(&r.round.as_str()) {
            rounds.push(&r.round);
        }
    }
    let sep = D::NameSep.text_in(lang);
    match rounds.len() {
        0..=3 => rounds.join(sep),
        n => D::RoundsAndMore.fill_in(lang, &[&rounds[..3].join(sep), &n]),
    }
}

/// Counts by a key, in first-seen order of the keys given, then any others.
pub fn count_by(rows: &[RectRow], key: impl Fn(&RectRow) -> String) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for r in rows {
        let k = key(r);
        match out.iter_mut().find(|(x, _)| *x == k) {
            Some((_, n)) => *n += 1,
            None => out.push((k, 1)),
        }
    }
    out
}
