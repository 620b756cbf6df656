//! The quarterly bulletin (季度通报): every figure computed once from the snap (`build_with`,
//! serialisable as the JSON export), laid out as a format-neutral document (`layout::document`:
//! headings, paragraphs, tables, charts, three attachments), then written as a Word 公文 or as
//! Markdown or HTML previews (`report::doc`, `report::docx`). Only approved visits and approved
//! (numbered, not withdrawn) findings count; the rectification figures follow
//! `domain::figures` (docs/figures.md).

mod layout;
mod quarter;

pub(crate) use layout::ordinal;

use super::Snapshot;
use super::doc::{self, Document};
use super::words::{D, label};
use crate::domain::figures::{Period, RectFigures, Standing, Timeline, average, one_decimal, percent, rectification, standing};
use crate::domain::scoring::{Cause, Warning};
use crate::domain::template::Honours;
use crate::domain::vocab::Vocab;
use crate::domain::{Id, Quarter, Scope, Severity, VisitStatus};
use crate::i18n::{K, Lang};
use crate::service::Result;
use chrono::NaiveDate;
use quarter::{Checked, Places, Quarterly, Rounds, checked};
pub use quarter::{quarter_end, quarter_start};
use serde::Serialize;
use std::collections::BTreeMap;

/// Free text written by people: 好的做法 and 工作要求.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Notes {
    pub good: String,
    pub requirements: String,
}

impl Notes {
    /// A Markdown file with `## 好的做法` and `## 工作要求` sections (other text is ignored).
    pub fn parse(text: &str) -> Notes {
        let mut n = Notes::default();
        let mut cur: Option<&mut String> = None;
        for line in text.lines() {
            let h = line.trim_start_matches('#').trim();
            if line.starts_with('#') {
                cur = if h.contains("好的做法") {
                    Some(&mut n.good)
                } else if h.contains("工作要求") {
                    Some(&mut n.requirements)
                } else {
                    None
                };
                continue;
            }
            if let Some(s) = cur.as_deref_mut() {
                s.push_str(line);
                s.push('\n');
            }
        }
        n.good = n.good.trim().to_string();
        n.requirements = n.requirements.trim().to_string();
        n
    }
}

/// What a bulletin is built for: the quarter, the area (or everything), the day its states are
/// judged on (the end of the quarter, or today if earlier, unless `as_of` says), and the language
/// of its labels.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub quarter: Quarter,
    pub area: Option<&'a str>,
    pub as_of: Option<NaiveDate>,
    pub lang: Lang,
}

/// Counts serialised as `[{"name": …, "count": …}]`.
fn counts<S: serde::Serializer>(v: &[(String, usize)], s: S) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for (name, count) in v {
        seq.serialize_element(&serde_json::json!({ "name": name, "count": count }))?;
    }
    seq.end()
}

fn as_text<T: std::fmt::Display, S: serde::Serializer>(v: &T, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(v)
}

fn colours<S: serde::Serializer>(w: &[usize; 3], s: S) -> std::result::Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&serde_json::json!({ "red": w[0], "yellow": w[1], "blue": w[2] }), s)
}

fn head<S: serde::Serializer>(h: &(u64, String), s: S) -> std::result::Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&serde_json::json!({ "seq": h.0, "hash": h.1 }), s)
}

/// The period the rectification figures are counted in (docs/figures.md).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PeriodOut {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub as_of: NaiveDate,
}

/// A round of the quarter, with its sample (share and seed) when it drew one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundInfo {
    pub title: String,
    /// The share drawn, in percent with one decimal.
    pub sample_rate: Option<String>,
    pub sample_seed: Option<u64>,
}

/// One grade this quarter and last, with their shares of the approved visits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradeRow {
    pub grade: String,
    pub count: usize,
    pub share: Option<String>,
    pub prev_count: usize,
    pub prev_share: Option<String>,
    /// The change of the share in percentage points, signed ("+2.5").
    pub change: Option<String>,
}

/// One checklist item's problems, in its typical wording.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypicalItem {
    pub item: String,
    /// The item's typical problem ("三会一课"记录不全), or the standard with "not met".
    pub problem: String,
    pub count: usize,
    /// Findings quoted: "organisation: description".
    pub examples: Vec<String>,
}

/// A category's problems, most frequent items first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypicalCategory {
    pub category: String,
    pub count: usize,
    pub items: Vec<TypicalItem>,
}

/// An organisation and a count (repeats).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgCount {
    pub org: String,
    pub group: String,
    pub count: usize,
}

/// What the quarter's look-back visits found of the earlier problems, with the held rate.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct LookbackOut {
    pub visits: usize,
    pub checked: usize,
    pub held: usize,
    pub relapsed: usize,
    pub not_done: usize,
    pub held_rate: Option<String>,
}

impl From<crate::domain::lookback::Tally> for LookbackOut {
    fn from(t: crate::domain::lookback::Tally) -> LookbackOut {
        LookbackOut {
            visits: t.visits,
            checked: t.checked(),
            held: t.held,
            relapsed: t.relapsed,
            not_done: t.not_done,
            held_rate: t.held_rate(),
        }
    }
}

/// The rectification figures with their rates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RectOut {
    #[serde(flatten)]
    pub figures: RectFigures,
    pub on_time_rate: Option<String>,
    pub done_rate: Option<String>,
}

impl RectOut {
    fn of(figures: RectFigures) -> RectOut {
        RectOut { on_time_rate: figures.on_time_rate(), done_rate: figures.done_rate(), figures }
    }
}

/// One group (a township in a county's bulletin, a county in the whole) ranked by average score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaRank {
    pub area: String,
    pub units: usize,
    pub avg_score: String,
    pub problems: usize,
    pub rect: RectOut,
}

/// One group's rectification figures (every group with an approved finding, visited this quarter
/// or not).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaRect {
    pub area: String,
    pub rect: RectOut,
}

/// One approved visit in 附件1, ranked within its group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRow {
    pub group: String,
    pub rank: usize,
    pub org: String,
    pub level: String,
    pub score: String,
    pub grade: String,
    pub warning: Option<String>,
    pub problems: usize,
    pub repeats: usize,
}

/// One organisation on the warning list (附件2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WarningRow {
    pub org: String,
    pub group: String,
    pub warning: String,
    pub score: String,
    pub grade: String,
    pub why: String,
}

/// One finding in the rectification extract (附件3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtractRow {
    pub number: String,
    pub group: String,
    pub org: String,
    pub problem: String,
    pub severity: String,
    pub deadline: Option<NaiveDate>,
    pub responsible: String,
    pub state: String,
}

/// An organisation praised or criticised, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Named {
    pub org: String,
    pub group: String,
    pub score: String,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bulletin {
    pub title: String,
    #[serde(serialize_with = "as_text")]
    pub quarter: Quarter,
    pub area_code: Option<String>,
    pub area_name: String,
    pub period: PeriodOut,
    pub rounds: Vec<RoundInfo>,
    pub inspectors: Vec<String>,
    /// Approved visits of the quarter: only these count in the figures.
    pub checked: usize,
    /// Visits of the quarter's rounds in the area.
    pub in_scope: usize,
    /// Visits with nothing recorded yet: unknown, so in no figure.
    pub not_visited: usize,
    /// Visits recorded but not yet approved.
    pub pending: usize,
    /// Party organisations in the area (committees, general branches, branches).
    pub population: usize,
    pub coverage: Option<String>,
    pub sampled: bool,
    #[serde(serialize_with = "counts")]
    pub by_level: Vec<(String, usize)>,
    #[serde(serialize_with = "counts")]
    pub by_field: Vec<(String, usize)>,
    pub avg_score: Option<String>,
    /// (grade, count) in the template's order (the statistics screen draws them).
    #[serde(skip)]
    pub grades: Vec<(String, usize)>,
    pub grade_rows: Vec<GradeRow>,
    pub prev_checked: usize,
    /// Red, yellow, blue, as of the day judged.
    #[serde(serialize_with = "colours")]
    pub warnings: [usize; 3],
    pub problems: usize,
    pub per_unit: Option<String>,
    #[serde(serialize_with = "counts")]
    pub by_category: Vec<(String, usize)>,
    #[serde(serialize_with = "counts")]
    pub by_severity: Vec<(String, usize)>,
    #[serde(serialize_with = "counts")]
    pub problems_by_field: Vec<(String, usize)>,
    #[serde(serialize_with = "counts")]
    pub problems_by_area: Vec<(String, usize)>,
    pub typical: Vec<TypicalCategory>,
    /// Repeat problems of the quarter, and by organisation.
    pub repeats: usize,
    pub repeats_by_org: Vec<OrgCount>,
    /// The rectification figures of the period (docs/figures.md), and by group.
    pub rect: RectOut,
    pub rect_by_area: Vec<AreaRect>,
    pub ranking: Vec<AreaRank>,
    pub units: Vec<UnitRow>,
    pub warning_list: Vec<WarningRow>,
    /// At most `LISTED_MAX` rows of the extract, of `extract_total`.
    pub extract: Vec<ExtractRow>,
    pub extract_total: usize,
    pub praise: Vec<Named>,
    pub praise_rule: String,
    pub criticism: Vec<Named>,
    pub criticism_rule: String,
    /// The quarter's look-back (回头看) results.
    pub lookback: LookbackOut,
    /// No approved visit: the figures are all empty (written only with `--allow-empty`).
    pub empty: bool,
    /// The audit chain's head when the figures were read (sequence, hash): printed at the foot,
    /// so the document can be checked later against the snap it came from.
    #[serde(serialize_with = "head")]
    pub audit_head: (u64, String),
    /// Made from the office hub: its name and its last change (id, hash) when the figures were
    /// read, printed at the foot instead of a laptop's audit head.
    pub hub: Option<(String, i64, String)>,
    /// The language of the labels in the figures and of the document.
    #[serde(skip)]
    pub lang: Lang,
}

/// An item's problems while they are counted: its wording, how many, the first two found (the
/// organisation's name and the finding) to quote.
type Typical<'a> = (String, usize, Vec<(&'a str, Id)>);

/// The most rows an attachment lists (a province has tens of thousands of organisations; a
/// document of that many rows is neither read nor printable, and its writing would take gigabytes):
/// the rest are counted, and are all in the JSON export (the extract: its first rows).
pub const LISTED_MAX: usize = 2000;

/// Counts in first-seen order.
fn tally(out: &mut Vec<(String, usize)>, key: String) {
    match out.iter_mut().find(|(k, _)| *k == key) {
        Some((_, n)) => *n += 1,
        None => out.push((key, 1)),
    }
}

fn sorted_desc(mut v: Vec<(String, usize)>) -> Vec<(String, usize)> {
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// The bulletin's figures, their labels in the screen language (the statistics screen); a document
/// asks for its own language with `build_with`.
pub fn build(snap: &dyn Snapshot, q: Quarter, area: Option<&str>, today: NaiveDate) -> Result<Bulletin> {
    build_with(snap, &Options { quarter: q, area, as_of: None, lang: crate::i18n::lang() }, today)
}

/// `build`, with the labels in `lang`.
pub fn build_in(snap: &dyn Snapshot, q: Quarter, area: Option<&str>, today: NaiveDate, lang: Lang) -> Result<Bulletin> {
    build_with(snap, &Options { quarter: q, area, as_of: None, lang }, today)
}

/// The day a bulletin's states are judged on: `as_of`, else the end of the quarter, or today if
/// the quarter has not ended (a figure is never judged on a day still to come).
pub fn as_of(q: Quarter, as_of: Option<NaiveDate>, today: NaiveDate) -> NaiveDate {
    as_of.unwrap_or_else(|| quarter_end(q).min(today))
}

/// Every figure of the bulletin, from the snap, judged as of `opts.as_of` (see `as_of`).
pub fn build_with(snap: &dyn Snapshot, opts: &Options<'_>, today: NaiveDate) -> Result<Bulletin> {
    let (q, lang) = (opts.quarter, opts.lang);
    let t = |k: D| k.text_in(lang);
    let area_name = match opts.area {
        Some(code) => snap.org(code)?.map_or(code.to_string(), |o| o.name),
        None => String::new(),
    };
    let day = as_of(q, opts.as_of, today);
    let period = Period { start: quarter_start(q), end: quarter_end(q), as_of: day };
    // Read once: the organisations (names, places) and each visit's figures and approved
    // findings from its aggregates, for every round up to the quarter.
    let places = Places::load(snap, opts.area)?;
    let all = Rounds::load(snap, q, &places)?;
    let Quarterly { checked: now, in_scope, not_visited } = checked(&all, q, day, &places);
    let prev = checked(&all, q.previous(), day, &places).checked;

    let mut rounds = Vec::new();
    let mut inspectors: Vec<String> = Vec::new();
    let mut grade_order: Vec<String> = Vec::new();
    let mut honours: Option<Honours> = None;
    for (r, template, visits) in all.of(q) {
        let (sample_rate, sample_seed) = match r.scope {
            Scope::Sample { rate, seed, .. } => (Some(one_decimal(rate * 100.0)), Some(seed)),
            _ => (None, None),
        };
        rounds.push(RoundInfo { title: r.title.clone(), sample_rate, sample_seed });
        if grade_order.is_empty() {
            grade_order = template.grades.iter().map(|g| g.name.clone()).collect();
        }
        honours.get_or_insert_with(|| template.honours.clone());
        for v in visits.iter().filter(|v| v.status == VisitStatus::Approved && !v.inspector.is_empty()) {
            if !inspectors.contains(&v.inspector) {
                inspectors.push(v.inspector.clone());
            }
        }
    }
    let honours = honours.unwrap_or_default();
    let top_grade = grade_order.first().cloned().unwrap_or_default();
    let praise_grades = if honours.praise_grades.is_empty() { vec![top_grade] } else { honours.praise_grades.clone() };

    let population = places.inspectable();
    let mut by_level = Vec::new();
    let mut by_field = Vec::new();
    for c in &now {
        tally(&mut by_level, label(c.org.level, lang).to_string());
        tally(&mut by_field, c.org.field.map_or("-".to_string(), |f| label(f, lang).to_string()));
    }
    let grade_counts = |set: &[Checked<'_>]| -> Vec<(String, usize)> {
        grade_order.iter().map(|g| (g.clone(), set.iter().filter(|c| &c.grade == g).count())).collect()
    };
    let grades = grade_counts(&now);
    let prev_grades = grade_counts(&prev);
    let grade_rows = grades
        .iter()
        .zip(&prev_grades)
        .map(|((g, n), (_, p))| {
            let (share, prev_share) = (percent(*n, now.len()), percent(*p, prev.len()));
            // The change in tenths of a point, from the rounded shares the table prints.
            let tenths = |s: &Option<String>| s.as_deref().and_then(|x| x.replace('.', "").parse::<i64>().ok());
            let change = match (tenths(&share), tenths(&prev_share)) {
                (Some(a), Some(b)) => Some(format!("{}{}.{}", if a < b { "-" } else { "+" }, (a - b).abs() / 10, (a - b).abs() % 10)),
                _ => None,
            };
            GradeRow { grade: g.clone(), count: *n, share, prev_count: *p, prev_share, change }
        })
        .collect();
    let mut warnings = [0usize; 3];
    for c in &now {
        match c.warning.as_ref().map(|w| w.0) {
            Some(Warning::Red) => warnings[0] += 1,
            Some(Warning::Yellow) => warnings[1] += 1,
            Some(Warning::Blue) => warnings[2] += 1,
            None => {}
        }
    }
    let avg_score = average(&now.iter().map(|c| c.value).collect::<Vec<_>>());

    // Problems of the quarter, by category, severity, field and group; typical items.
    let mut by_category = Vec::new();
    let mut by_severity: Vec<(String, usize)> = Severity::ALL.iter().map(|s| (label(*s, lang).to_string(), 0)).collect();
    let mut problems_by_field = Vec::new();
    let mut problems_by_area = Vec::new();
    // (category, item key) → (problem wording, count, first two findings).
    let mut typical: BTreeMap<(String, String), Typical<'_>> = BTreeMap::new();
    let mut repeats_by_org = Vec::new();
    // Categories of equal count come in the checklist's order ("其他" last).
    let mut category_order: std::collections::HashMap<String, usize> = Default::default();
    let mut problems = 0;
    for c in &now {
        let template = all.template(c.round);
        let mut repeats = 0;
        for f in &c.findings {
            problems += 1;
            let found = template.zip(f.item.as_deref()).and_then(|(t, i)| t.items().find(|(_, it)| it.id == i));
            let (cat, key, wording) = match found {
                Some((cat, it)) => {
                    let wording = if it.problem.is_empty() { D::NotMet.fill_in(lang, &[&it.text]) } else { it.problem.clone() };
                    let place = template.and_then(|t| t.categories.iter().position(|x| x.id == cat.id)).unwrap_or(usize::MAX);
                    category_order.entry(cat.name.clone()).or_insert(place);
                    (cat.name.clone(), it.id.clone(), wording)
                }
                None => (K::OtherItem.text_in(lang).to_string(), String::new(), t(D::OtherProblems).to_string()),
            };
            tally(&mut by_category, cat.clone());
            if let Some(e) = by_severity.iter_mut().find(|(k, _)| k == label(f.severity, lang)) {
                e.1 += 1;
            }
            tally(&mut problems_by_field, c.org.field.map_or("-".to_string(), |x| label(x, lang).to_string()));
            tally(&mut problems_by_area, c.group.clone());
            let e = typical.entry((cat, key)).or_insert_with(|| (wording, 0, Vec::new()));
            e.1 += 1;
            if e.2.len() < 2 {
                e.2.push((c.org.name.as_str(), f.id));
            }
            repeats += usize::from(f.repeat);
        }
        if repeats > 0 {
            repeats_by_org.push(OrgCount { org: c.org.name.clone(), group: c.group.clone(), count: repeats });
        }
    }
    repeats_by_org.sort_by(|a, b| b.count.cmp(&a.count).then(a.group.cmp(&b.group)).then(a.org.cmp(&b.org)));
    let by_category = sorted_desc(by_category);
    let mut typical_out: Vec<TypicalCategory> = Vec::new();
    for ((cat, key), (problem, count, quoted)) in typical {
        let mut examples = Vec::new();
        for (org, id) in quoted {
            if let Some(f) = snap.finding(id)? {
                examples.push(D::Example.fill_in(lang, &[&org, &f.description.replace('\n', " ")]));
            }
        }
        let item = TypicalItem { item: key, problem, count, examples };
        match typical_out.iter_mut().find(|c| c.category == cat) {
            Some(c) => {
                c.count += count;
                c.items.push(item);
            }
            None => typical_out.push(TypicalCategory { category: cat, count, items: vec![item] }),
        }
    }
    for c in &mut typical_out {
        c.items.sort_by(|a, b| b.count.cmp(&a.count).then(a.item.cmp(&b.item)));
    }
    let place = |c: &TypicalCategory| category_order.get(&c.category).copied().unwrap_or(usize::MAX);
    typical_out.sort_by(|a, b| b.count.cmp(&a.count).then(place(a).cmp(&place(b))).then(a.category.cmp(&b.category)));

    // The rectification of every approved finding in the area up to the quarter, in the period.
    let mut rect_all = Vec::new();
    let mut rect_groups: BTreeMap<String, Vec<&Timeline>> = BTreeMap::new();
    let mut listed: Vec<(Id, String, String, &'static str, Severity)> = Vec::new();
    for (r, _, visits) in &all.rounds {
        for v in visits {
            let group = places.group(&v.org);
            let org = places.org(&v.org).map_or(v.org.clone(), |o| o.name.clone());
            for f in &v.problems {
                rect_all.push(&f.timeline);
                rect_groups.entry(group.clone()).or_default().push(&f.timeline);
                // The extract: what is overdue now or from before, and this quarter's serious problems.
                let why = match standing(&f.timeline, false, &period) {
                    Standing::Due { overdue: true, .. } => Some(D::StateOverdue),
                    Standing::Earlier { done: false } => Some(D::StateCarried),
                    _ if r.quarter == q && f.severity == Severity::Serious => Some(D::StateSerious),
                    _ => None,
                };
                if let Some(why) = why {
                    listed.push((f.id, group.clone(), org.clone(), why.text_in(lang), f.severity));
                }
            }
        }
    }
    let rect = RectOut::of(rectification(rect_all.iter().map(|t| (*t, false)), &period));
    // The extract is read record by record: at most LISTED_MAX of them (a province has tens of
    // thousands), by area and organisation; the total is stated.
    listed.sort_by(|a, b| (&a.1, &a.2, a.0).cmp(&(&b.1, &b.2, b.0)));
    let extract_total = listed.len();
    listed.truncate(LISTED_MAX);
    let mut extract = Vec::new();
    for (id, group, org, state, severity) in listed {
        let Some(f) = snap.finding(id)? else { continue };
        extract.push(ExtractRow {
            number: f.number.clone().unwrap_or_default(),
            group,
            org,
            problem: f.description.replace('\n', " "),
            severity: label(severity, lang).to_string(),
            deadline: Timeline::of(&f).deadline_on(day),
            responsible: f.responsible_person.clone(),
            state: state.to_string(),
        });
    }
    extract.sort_by(|a, b| (&a.group, &a.org, &a.number).cmp(&(&b.group, &b.org, &b.number)));

    // Every group's rectification, in the order of the groups' names; the rows add up to the
    // total.
    let rect_by_area: Vec<AreaRect> = rect_groups
        .iter()
        .map(|(g, ts)| AreaRect { area: g.clone(), rect: RectOut::of(rectification(ts.iter().map(|t| (*t, false)), &period)) })
        .collect();

    // Groups ranked by average score; organisations ranked within their group.
    let mut groups: BTreeMap<String, Vec<&Checked<'_>>> = BTreeMap::new();
    for c in &now {
        groups.entry(c.group.clone()).or_default().push(c);
    }
    let mut ranking: Vec<(f64, AreaRank)> = groups
        .iter()
        .map(|(g, cs)| {
            let mean = cs.iter().map(|c| c.value).sum::<f64>() / cs.len() as f64;
            let theirs = rect_groups.get(g).map(Vec::as_slice).unwrap_or_default();
            let rank = AreaRank {
                area: g.clone(),
                units: cs.len(),
                avg_score: average(&cs.iter().map(|c| c.value).collect::<Vec<_>>()).unwrap_or_default(),
                problems: cs.iter().map(|c| c.findings.len()).sum(),
                rect: RectOut::of(rectification(theirs.iter().map(|t| (*t, false)), &period)),
            };
            (mean, rank)
        })
        .collect();
    ranking.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.area.cmp(&b.1.area)));
    let ranking: Vec<AreaRank> = ranking.into_iter().map(|(_, r)| r).collect();
    let warning_word = |w: Warning| match w {
        Warning::Red => t(D::WarnRed),
        Warning::Yellow => t(D::WarnYellow),
        Warning::Blue => t(D::WarnBlue),
    };
    let mut units = Vec::new();
    for g in &ranking {
        let mut cs = groups.get(&g.area).cloned().unwrap_or_default();
        cs.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.org.name.cmp(&b.org.name)));
        let mut rank = 0;
        for (i, c) in cs.iter().enumerate() {
            // Equal scores share a rank (1, 2, 2, 4).
            if i == 0 || one_decimal(cs[i - 1].value) != one_decimal(c.value) {
                rank = i + 1;
            }
            units.push(UnitRow {
                group: g.area.clone(),
                rank,
                org: c.org.name.clone(),
                level: label(c.org.level, lang).to_string(),
                score: one_decimal(c.value),
                grade: c.grade.clone(),
                warning: c.warning.as_ref().map(|w| warning_word(w.0).to_string()),
                problems: c.findings.len(),
                repeats: c.findings.iter().filter(|f| f.repeat).count(),
            });
        }
    }
    let mut warning_list: Vec<(Warning, WarningRow)> = now
        .iter()
        .filter_map(|c| {
            let (w, causes) = c.warning.as_ref()?;
            let why = causes.iter().map(|x| cause_text(x, lang)).collect::<Vec<_>>().join(t(D::NameSep));
            Some((
                *w,
                WarningRow {
                    org: c.org.name.clone(),
                    group: c.group.clone(),
                    warning: warning_word(*w).to_string(),
                    score: one_decimal(c.value),
                    grade: c.grade.clone(),
                    why,
                },
            ))
        })
        .collect();
    let colour_rank = |w: Warning| match w {
        Warning::Red => 0,
        Warning::Yellow => 1,
        Warning::Blue => 2,
    };
    warning_list.sort_by(|a, b| colour_rank(a.0).cmp(&colour_rank(b.0)).then(a.1.group.cmp(&b.1.group)).then(a.1.org.cmp(&b.1.org)));

    // 表扬 and 批评 by the template's rules. An organisation criticised, or under a red or yellow
    // warning, is not praised in the same bulletin.
    let mut praise = Vec::new();
    let mut criticism = Vec::new();
    for c in &now {
        let h = all.template(c.round).map_or(&honours, |t| &t.honours);
        let mut why = Vec::new();
        if h.criticise_veto && c.veto {
            why.push(t(D::CauseVeto).to_string());
        }
        for s in &h.criticise_severities {
            if c.findings.iter().any(|f| f.severity == *s) {
                why.push(D::SeverityProblem.fill_in(lang, &[&label(*s, lang)]));
            }
        }
        if h.criticise_repeat && c.findings.iter().any(|f| f.repeat) {
            why.push(t(D::Repeated).to_string());
        }
        let score = one_decimal(c.value);
        if !why.is_empty() {
            criticism.push(Named { org: c.org.name.clone(), group: c.group.clone(), score, why: why.join(t(D::NameSep)) });
            continue;
        }
        let grades_ok = if h.praise_grades.is_empty() { praise_grades.contains(&c.grade) } else { h.praise_grades.contains(&c.grade) };
        let warned = c.warning.as_ref().is_some_and(|w| matches!(w.0, Warning::Red | Warning::Yellow));
        if grades_ok && !warned && !c.findings.iter().any(|f| h.praise_forbid.contains(&f.severity)) {
            praise.push(Named { org: c.org.name.clone(), group: c.group.clone(), score, why: c.grade.clone() });
        }
    }
    let by_place = |a: &Named, b: &Named| (&a.group, &a.org).cmp(&(&b.group, &b.org));
    praise.sort_by(by_place);
    criticism.sort_by(by_place);
    let severities = |v: &[Severity]| v.iter().map(|s| label(*s, lang)).collect::<Vec<_>>().join(t(D::NameSep));
    let praise_rule = if honours.praise_forbid.is_empty() {
        D::PraiseRuleAny.fill_in(lang, &[&praise_grades.join(t(D::NameSep))])
    } else {
        D::PraiseRule.fill_in(lang, &[&praise_grades.join(t(D::NameSep)), &severities(&honours.praise_forbid)])
    } + t(D::PraiseRuleTail);
    let mut conditions = Vec::new();
    if honours.criticise_veto {
        conditions.push(t(D::RuleVeto).to_string());
    }
    if !honours.criticise_severities.is_empty() {
        conditions.push(D::RuleSeverity.fill_in(lang, &[&severities(&honours.criticise_severities)]));
    }
    if honours.criticise_repeat {
        conditions.push(t(D::RuleRepeat).to_string());
    }
    let criticism_rule = D::CriticismRule.fill_in(lang, &[&conditions.join(t(D::Or))]);

    let title = if area_name.is_empty() {
        D::BulletinTitle.fill_in(lang, &[&q.zh_title(), &q])
    } else {
        D::BulletinTitleArea.fill_in(lang, &[&area_name, &q.zh_title(), &q])
    };
    Ok(Bulletin {
        title,
        quarter: q,
        area_code: opts.area.map(str::to_string),
        area_name,
        period: PeriodOut { start: period.start, end: period.end, as_of: day },
        sampled: rounds.iter().any(|r| r.sample_rate.is_some()),
        rounds,
        inspectors,
        checked: now.len(),
        in_scope,
        not_visited,
        pending: in_scope.saturating_sub(now.len() + not_visited),
        population,
        coverage: percent(now.len(), population),
        by_level,
        by_field,
        avg_score,
        grades,
        grade_rows,
        prev_checked: prev.len(),
        warnings,
        problems,
        per_unit: (!now.is_empty()).then(|| one_decimal(problems as f64 / now.len() as f64)),
        by_category,
        by_severity,
        problems_by_field: sorted_desc(problems_by_field),
        problems_by_area: sorted_desc(problems_by_area),
        typical: typical_out,
        repeats: repeats_by_org.iter().map(|r| r.count).sum(),
        repeats_by_org,
        rect,
        rect_by_area,
        ranking,
        units,
        warning_list: warning_list.into_iter().map(|(_, r)| r).collect(),
        extract,
        extract_total,
        praise,
        praise_rule,
        criticism,
        criticism_rule,
        lookback: quarter::lookback(snap, &all, q, &places)?.into(),
        empty: now.is_empty(),
        audit_head: snap.audit_head()?,
        hub: None,
        lang,
    })
}

/// What fired a warning, in words.
pub(crate) fn cause_text(c: &Cause, lang: Lang) -> String {
    match c {
        Cause::Grade(g) => D::CauseGrade.fill_in(lang, &[g]),
        Cause::Veto => K::Vetoed.text_in(lang).to_string(),
        Cause::WeakLead => D::CauseWeakLead.text_in(lang).to_string(),
        Cause::OpenSeverity(s) => D::CauseOpen.fill_in(lang, &[&label(*s, lang)]),
        Cause::Overdue => D::CauseOverdue.text_in(lang).to_string(),
        Cause::Repeated(s) => D::CauseRepeated.fill_in(lang, &[&label(*s, lang)]),
    }
}

/// The bulletin as a document (see `layout`).
pub fn document(b: &Bulletin, notes: &Notes) -> Document {
    layout::document(b, notes)
}

/// The bulletin as Markdown.
pub fn markdown(b: &Bulletin, notes: &Notes) -> String {
    doc::markdown(&document(b, notes))
}

/// The bulletin as one self-contained page with inline SVG charts, printable on A4.
pub fn html(b: &Bulletin, notes: &Notes) -> String {
    doc::html(&document(b, notes))
}

/// Every figure the bulletin states, as JSON (docs/figures.md).
pub fn json(b: &Bulletin) -> std::result::Result<Vec<u8>, String> {
    let mut v = serde_json::to_value(b).map_err(|e| e.to_string())?;
    if let Some(m) = v.as_object_mut() {
        m.insert("schema".into(), serde_json::json!("xuncha.bulletin/1"));
    }
    serde_json::to_vec_pretty(&v).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_sections_are_read_by_heading() {
        let n = Notes::parse("# 通报\n## 好的做法\n红旗村坚持\"三会一课\"。\n\n## 工作要求\n1. 月底前报送整改情况。\n## 其他\n不要\n");
        assert_eq!(n.good, "红旗村坚持\"三会一课\"。");
        assert_eq!(n.requirements, "1. 月底前报送整改情况。");
    }

    #[test]
    fn quarter_ends() {
        assert_eq!(quarter_end("2026Q4".parse().unwrap()).to_string(), "2026-12-31");
        assert_eq!(quarter_end("2026Q1".parse().unwrap()).to_string(), "2026-03-31");
    }
}
