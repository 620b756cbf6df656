//! The quarterly bulletin (季度通报): figures computed from the snap (`build`), laid out as a
//! format-neutral document (`document`: headings, paragraphs, tables, charts), then written as
//! Markdown or a self-contained, printable HTML page with inline SVG bar charts (`report::doc`).
//! Only approved visits and approved (numbered, not withdrawn) findings count.

use super::Snapshot;
use super::doc::{self, Document};
use crate::domain::scoring::Warning;
use crate::domain::vocab::Vocab;
use crate::domain::{Finding, Level, Quarter, RectStatus, RectType, Severity};
use crate::service::{Result, rounds};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

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

#[derive(Debug, Clone, PartialEq)]
pub struct AreaRank {
    pub area: String,
    pub units: usize,
    pub avg_score: f64,
    pub problems: usize,
    /// Closed ÷ due among last quarter's findings of the area; None when none were due.
    pub rect_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RectStats {
    pub total: usize,
    pub due: usize,
    pub closed: usize,
    pub overdue: usize,
    pub extended: usize,
    /// Closed by their deadline.
    pub on_time: usize,
}

impl RectStats {
    pub fn rate(&self) -> Option<f64> {
        (self.due > 0).then(|| self.closed as f64 / self.due as f64)
    }
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.closed > 0).then(|| self.on_time as f64 / self.closed as f64)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TopItem {
    pub item: String,
    pub text: String,
    pub count: usize,
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bulletin {
    pub title: String,
    pub quarter: Quarter,
    pub area_name: String,
    pub rounds: Vec<String>,
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
    pub sampled: bool,
    pub by_level: Vec<(String, usize)>,
    pub by_field: Vec<(String, usize)>,
    pub avg_score: Option<f64>,
    /// (grade, count) in the template's order, this quarter and the last.
    pub grades: Vec<(String, usize)>,
    pub prev_grades: Vec<(String, usize)>,
    pub prev_checked: usize,
    pub warnings: [usize; 3],
    pub problems: usize,
    pub by_category: Vec<(String, usize)>,
    pub by_severity: Vec<(String, usize)>,
    pub problems_by_field: Vec<(String, usize)>,
    pub problems_by_area: Vec<(String, usize)>,
    pub top_items: Vec<TopItem>,
    /// (organisation, area, why): serious, veto or repeated problems.
    pub criticised: Vec<(String, String, String)>,
    /// Top units by score: candidates for 通报表扬.
    pub best: Vec<(String, String, f64)>,
    pub prev_rect: RectStats,
    pub ranking: Vec<AreaRank>,
    pub red_list: Vec<(String, String, f64, String)>,
    /// The audit chain's head when the figures were read (sequence, hash): printed at the foot,
    /// so the document can be checked later against the snap it came from.
    pub audit_head: (u64, String),
}

fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 * 100.0 / whole as f64 }
}

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

/// The county-level name above `code` (or the nearest area).
fn county_of(snap: &dyn Snapshot, code: &str) -> Result<String> {
    let mut cur = snap.org(code)?.and_then(|o| o.parent);
    let mut nearest = String::new();
    for _ in 0..64 {
        let Some(c) = cur else { break };
        let Some(o) = snap.org(&c)? else { break };
        if o.level == Level::County {
            return Ok(o.name);
        }
        if nearest.is_empty() && o.level.is_area() {
            nearest = o.name.clone();
        }
        cur = o.parent;
    }
    Ok(nearest)
}

fn under(snap: &dyn Snapshot, code: &str, area: Option<&str>) -> Result<bool> {
    let Some(area) = area else { return Ok(true) };
    let mut cur = Some(code.to_string());
    for _ in 0..64 {
        let Some(c) = cur else { break };
        if c == area {
            return Ok(true);
        }
        cur = snap.org(&c)?.and_then(|o| o.parent);
    }
    Ok(false)
}

/// One quarter's approved visits with their scores. An approved visit has every item answered,
/// so its score and grade are known.
struct Checked {
    org: crate::domain::Org,
    county: String,
    score: crate::domain::scoring::Score,
    value: f64,
    grade: String,
    findings: Vec<Finding>,
}

/// What a quarter's rounds hold: the approved visits and what describes the rounds.
struct Quarterly {
    checked: Vec<Checked>,
    in_scope: usize,
    not_visited: usize,
    titles: Vec<String>,
    inspectors: Vec<String>,
    sampled: bool,
    grade_order: Vec<String>,
}

fn checked(snap: &dyn Snapshot, q: Quarter, area: Option<&str>, today: NaiveDate) -> Result<Quarterly> {
    let mut out = Vec::new();
    let mut titles = Vec::new();
    let mut inspectors: Vec<String> = Vec::new();
    let mut sampled = false;
    let mut grade_order = Vec::new();
    let (mut in_scope, mut not_visited) = (0, 0);
    for r in snap.rounds()?.into_iter().filter(|r| r.quarter == q) {
        titles.push(r.title.clone());
        sampled |= matches!(r.scope, crate::domain::Scope::Sample { .. });
        let template = snap.template_of(&r)?;
        if grade_order.is_empty() {
            grade_order = template.grades.iter().map(|g| g.name.clone()).collect();
        }
        for v in snap.visits(r.id)? {
            if !under(snap, &v.org, area)? {
                continue;
            }
            in_scope += 1;
            if v.status == crate::domain::VisitStatus::NotStarted {
                not_visited += 1;
            }
            if v.status != crate::domain::VisitStatus::Approved {
                continue;
            }
            if !v.inspector.is_empty() && !inspectors.contains(&v.inspector) {
                inspectors.push(v.inspector.clone());
            }
            let mut d = snap.visit_data(r.id, &v.org)?;
            d.findings.retain(|f| f.number.is_some() && f.status != RectStatus::Withdrawn);
            let score = rounds::score_of(&template, &d, today);
            let (Some(value), Some(grade)) = (score.score, score.grade.clone()) else { continue };
            out.push(Checked { county: county_of(snap, &v.org)?, org: d.org, score, value, grade, findings: d.findings });
        }
    }
    Ok(Quarterly { checked: out, in_scope, not_visited, titles, inspectors, sampled, grade_order })
}

/// The last day of a quarter.
fn quarter_end(q: Quarter) -> NaiveDate {
    let next = if q.q == 4 { Quarter { year: q.year + 1, q: 1 } } else { Quarter { year: q.year, q: q.q + 1 } };
    NaiveDate::from_ymd_opt(next.year, u32::from(next.q - 1) * 3 + 1, 1).and_then(|d| d.pred_opt()).unwrap_or_default()
}

/// Last quarter's findings as they stand at the end of this quarter (or today, if earlier).
fn rect_stats(findings: &[&Finding], cutoff: NaiveDate) -> RectStats {
    let mut s = RectStats { total: findings.len(), ..Default::default() };
    for f in findings {
        // Due: its deadline has come, it was to be fixed on the spot, or it is already done
        // (a fix finished early counts as due and done).
        let due = f.rect_type == RectType::Immediate || f.deadline.is_some_and(|d| d <= cutoff) || f.status == RectStatus::Closed;
        if f.rect.updates.iter().any(|u| u.to == RectStatus::ExtensionRequested) {
            s.extended += 1;
        }
        if !due {
            continue;
        }
        s.due += 1;
        if f.status == RectStatus::Closed {
            s.closed += 1;
            if f.deadline.is_none_or(|d| f.rect.closed_on.is_some_and(|c| c <= d)) {
                s.on_time += 1;
            }
        } else if f.is_overdue(cutoff) {
            s.overdue += 1;
        }
    }
    s
}

pub fn build(snap: &dyn Snapshot, q: Quarter, area: Option<&str>, today: NaiveDate) -> Result<Bulletin> {
    let area_name = match area {
        Some(code) => snap.org(code)?.map_or(code.to_string(), |o| o.name),
        None => String::new(),
    };
    let Quarterly { checked: now, in_scope, not_visited, titles: rounds_titles, inspectors, sampled, grade_order } =
        checked(snap, q, area, today)?;
    let prev = checked(snap, q.previous(), area, today)?.checked;

    let population = snap.inspectable_count(area).unwrap_or(0);
    let mut by_level = Vec::new();
    let mut by_field = Vec::new();
    for c in &now {
        tally(&mut by_level, c.org.level.label().to_string());
        tally(&mut by_field, c.org.field.map_or("-".to_string(), |f| f.label().to_string()));
    }
    let grade_counts = |set: &[Checked]| -> Vec<(String, usize)> {
        grade_order.iter().map(|g| (g.clone(), set.iter().filter(|c| &c.grade == g).count())).collect()
    };
    let mut warnings = [0usize; 3];
    for c in &now {
        match c.score.warning {
            Some(Warning::Red) => warnings[0] += 1,
            Some(Warning::Yellow) => warnings[1] += 1,
            Some(Warning::Blue) => warnings[2] += 1,
            None => {}
        }
    }
    let avg_score = (!now.is_empty()).then(|| now.iter().map(|c| c.value).sum::<f64>() / now.len() as f64);

    // Problems of the quarter.
    let mut by_category = Vec::new();
    let mut by_severity: Vec<(String, usize)> = Severity::ALL.iter().map(|s| (s.label().to_string(), 0)).collect();
    let mut problems_by_field = Vec::new();
    let mut problems_by_area = Vec::new();
    let mut items: BTreeMap<String, TopItem> = BTreeMap::new();
    let mut criticised = Vec::new();
    let mut templates = HashMap::new();
    for r in snap.rounds()?.into_iter().filter(|r| r.quarter == q) {
        templates.insert(r.id, snap.template_of(&r)?);
    }
    let mut problems = 0;
    for c in &now {
        let mut why = Vec::new();
        if c.score.veto {
            why.push(crate::i18n::K::Vetoed.text().to_string());
        }
        for f in &c.findings {
            problems += 1;
            let t = templates.get(&f.round);
            let (cat, text) = match (t, f.item.as_deref()) {
                (Some(t), Some(i)) => {
                    t.items().find(|(_, it)| it.id == i).map_or((String::new(), String::new()), |(c, it)| (c.name.clone(), it.text.clone()))
                }
                _ => (crate::i18n::K::OtherItem.text().to_string(), String::new()),
            };
            tally(&mut by_category, cat);
            if let Some(e) = by_severity.iter_mut().find(|(k, _)| k == f.severity.label()) {
                e.1 += 1;
            }
            tally(&mut problems_by_field, c.org.field.map_or("-".to_string(), |x| x.label().to_string()));
            tally(&mut problems_by_area, c.county.clone());
            if let Some(i) = &f.item {
                let e = items.entry(i.clone()).or_insert_with(|| TopItem {
                    item: i.clone(),
                    text: text.clone(),
                    count: 0,
                    examples: Vec::new(),
                });
                e.count += 1;
                if e.examples.len() < 2 {
                    e.examples.push(format!("{}：{}", c.org.name, f.description.replace('\n', " ")));
                }
            }
            if f.severity == Severity::Serious && !why.iter().any(|w| w == Severity::Serious.label()) {
                why.push(Severity::Serious.label().to_string());
            }
            if f.repeat_of.is_some() && !why.iter().any(|w| w == "重复问题") {
                why.push("重复问题".to_string());
            }
        }
        if !why.is_empty() {
            criticised.push((c.org.name.clone(), c.county.clone(), why.join("、")));
        }
    }
    let mut top_items: Vec<TopItem> = items.into_values().collect();
    top_items.sort_by(|a, b| b.count.cmp(&a.count).then(a.item.cmp(&b.item)));
    top_items.truncate(5);

    // Last quarter's rectification, by area too.
    let cutoff = quarter_end(q).min(today);
    let prev_findings: Vec<&Finding> = prev.iter().flat_map(|c| c.findings.iter()).collect();
    let prev_rect = rect_stats(&prev_findings, cutoff);

    let mut areas: BTreeMap<String, (usize, f64, usize)> = BTreeMap::new();
    for c in &now {
        let e = areas.entry(c.county.clone()).or_default();
        e.0 += 1;
        e.1 += c.value;
        e.2 += c.findings.len();
    }
    let mut ranking: Vec<AreaRank> = areas
        .into_iter()
        .map(|(area, (units, total, problems))| {
            let theirs: Vec<&Finding> = prev.iter().filter(|c| c.county == area).flat_map(|c| c.findings.iter()).collect();
            AreaRank { rect_rate: rect_stats(&theirs, cutoff).rate(), avg_score: total / units as f64, units, problems, area }
        })
        .collect();
    ranking.sort_by(|a, b| b.avg_score.total_cmp(&a.avg_score).then(a.area.cmp(&b.area)));

    let mut best: Vec<(String, String, f64)> =
        now.iter().filter(|c| c.score.warning.is_none()).map(|c| (c.org.name.clone(), c.county.clone(), c.value)).collect();
    best.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    best.truncate(5);
    let red_list = now
        .iter()
        .filter(|c| c.score.warning == Some(Warning::Red))
        .map(|c| {
            let why = if c.score.veto { crate::i18n::K::Vetoed.text().to_string() } else { c.grade.clone() };
            (c.org.name.clone(), c.county.clone(), c.value, why)
        })
        .collect();

    Ok(Bulletin {
        title: format!("关于{}{}基层党建\"四不两直\"督查情况的通报", area_name, q.zh_title()),
        quarter: q,
        area_name,
        rounds: rounds_titles,
        inspectors,
        checked: now.len(),
        in_scope,
        not_visited,
        pending: in_scope - now.len() - not_visited,
        population,
        sampled,
        by_level,
        by_field,
        avg_score,
        grades: grade_counts(&now),
        prev_grades: grade_counts(&prev),
        prev_checked: prev.len(),
        warnings,
        problems,
        by_category: sorted_desc(by_category),
        by_severity,
        problems_by_field: sorted_desc(problems_by_field),
        problems_by_area: sorted_desc(problems_by_area),
        top_items,
        criticised,
        best,
        prev_rect,
        ranking,
        red_list,
        audit_head: snap.audit_head()?,
    })
}

const ORDINALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn rate(r: Option<f64>) -> String {
    r.map_or("-".to_string(), |x| format!("{:.1}%", x * 100.0))
}

fn list(v: &[(String, usize)]) -> String {
    v.iter().map(|(k, n)| format!("{k} {n} 个")).collect::<Vec<_>>().join("，")
}

/// The bulletin as a document: its sections, in the office's order, with the charts at the end
/// of the sections they illustrate. Every writer (Markdown, HTML) works from this.
pub fn document(b: &Bulletin, notes: &Notes) -> Document {
    let mut d = Document::new(&b.title);
    d.heading("一、基本情况");
    let coverage = pct(b.checked, b.population);
    d.paragraph(format!(
        "{}，按照\"四不两直\"方式开展督查（{}），检查人员：{}。共检查基层党组织 {} 个（{}），占{}基层党组织总数 {} 个的 {:.1}%{}。按领域：{}。",
        b.quarter.zh_title(),
        if b.rounds.is_empty() { "-".to_string() } else { b.rounds.join("；") },
        if b.inspectors.is_empty() { "-".to_string() } else { b.inspectors.join("、") },
        b.checked,
        list(&b.by_level),
        if b.area_name.is_empty() { "" } else { b.area_name.as_str() },
        b.population,
        coverage,
        if b.sampled { "（随机抽样）" } else { "" },
        list(&b.by_field),
    ));
    // Unknown is not counted as good or bad: say what the figures leave out.
    if b.not_visited + b.pending > 0 {
        d.paragraph(format!(
            "督查范围内共 {} 个党组织，以下统计只计入审核通过的 {} 个；尚有 {} 个检查中或待审核、{} 个未检查，不计入统计。",
            b.in_scope, b.checked, b.pending, b.not_visited
        ));
    }

    d.heading("二、总体评价");
    d.paragraph(format!("平均得分 {}。", b.avg_score.map_or("-".to_string(), |a| format!("{a:.1}"))));
    let grade_rows = b
        .grades
        .iter()
        .enumerate()
        .map(|(i, (g, n))| {
            let p = b.prev_grades.get(i).map_or(0, |x| x.1);
            let (now, before) = (pct(*n, b.checked), pct(p, b.prev_checked));
            let change = if b.prev_checked == 0 { "-".to_string() } else { format!("{:+.1} 个百分点", now - before) };
            vec![g.clone(), n.to_string(), format!("{now:.1}%"), p.to_string(), format!("{before:.1}%"), change]
        })
        .collect();
    d.table(&["等次", "本季度", "占比", "上季度", "占比", "变化"], grade_rows);
    d.paragraph(format!("三色预警：红色 {} 个，黄色 {} 个，蓝色 {} 个。", b.warnings[0], b.warnings[1], b.warnings[2]));
    d.chart("等次分布（个）", "", b.grades.iter().map(|(g, n)| (g.clone(), *n as f64)).collect());
    let warn = [("红", b.warnings[0]), ("黄", b.warnings[1]), ("蓝", b.warnings[2])];
    d.chart("三色预警（个）", "", warn.iter().map(|(k, n)| (k.to_string(), *n as f64)).collect());

    d.heading("三、好的做法");
    if notes.good.is_empty() {
        d.paragraph("（见附件）");
    } else {
        d.paragraphs(&notes.good);
    }
    if !b.best.is_empty() {
        d.paragraph(format!(
            "得分靠前的单位（通报表扬候选）：{}。",
            b.best.iter().map(|(o, a, sc)| format!("{a}{o}（{sc:.1} 分）")).collect::<Vec<_>>().join("、")
        ));
    }

    d.heading("四、存在的主要问题");
    let per_unit = if b.checked == 0 { 0.0 } else { b.problems as f64 / b.checked as f64 };
    d.paragraph(format!(
        "共发现问题 {} 个，平均每个党组织 {:.1} 个。按类别：{}。按严重程度：{}。按领域：{}。按地区：{}。",
        b.problems,
        per_unit,
        list(&b.by_category),
        list(&b.by_severity),
        list(&b.problems_by_field),
        list(&b.problems_by_area)
    ));
    for (i, t) in b.top_items.iter().enumerate() {
        d.paragraph(format!("{}是{}（{} 个）。如{}。", ORDINALS.get(i).unwrap_or(&""), t.text, t.count, t.examples.join("；")));
    }
    if !b.criticised.is_empty() {
        d.paragraph(format!(
            "通报批评：{}。",
            b.criticised.iter().map(|(o, a, why)| format!("{a}{o}（{why}）")).collect::<Vec<_>>().join("；")
        ));
    }
    d.chart("问题按类别（个）", "", b.by_category.iter().map(|(k, n)| (k.clone(), *n as f64)).collect());

    d.heading("五、上季度问题整改情况");
    let r = &b.prev_rect;
    d.paragraph(format!(
        "上季度共发现问题 {} 个，到期应整改 {} 个，已销号 {} 个，整改完成率 {}；按期完成率 {}；逾期未完成 {} 个；申请延期 {} 个。",
        r.total,
        r.due,
        r.closed,
        rate(r.rate()),
        rate(r.on_time_rate()),
        r.overdue,
        r.extended
    ));

    d.heading("六、排名");
    let ranks = b
        .ranking
        .iter()
        .enumerate()
        .map(|(i, a)| {
            vec![
                (i + 1).to_string(),
                a.area.clone(),
                a.units.to_string(),
                format!("{:.1}", a.avg_score),
                a.problems.to_string(),
                rate(a.rect_rate),
            ]
        })
        .collect();
    d.table(&["名次", "地区", "检查数", "平均得分", "问题数", "上季度整改完成率"], ranks);
    d.paragraph(if b.red_list.is_empty() {
        "红色预警名单：无。".to_string()
    } else {
        format!(
            "红色预警名单：{}。",
            b.red_list.iter().map(|(o, a, sc, why)| format!("{a}{o}（{sc:.1} 分，{why}）")).collect::<Vec<_>>().join("；")
        )
    });
    d.chart("各地区平均得分", "", b.ranking.iter().map(|a| (a.area.clone(), a.avg_score)).collect());

    d.heading("七、工作要求");
    if notes.requirements.is_empty() {
        d.paragraph("（另行通知）");
    } else {
        d.paragraphs(&notes.requirements);
    }
    d.paragraph("附件：问题整改清单（xuncha export rectification）、得分与等次表、预警名单。");
    d.paragraph(format!(
        "数据校验：审计链第 {} 条，{}（xuncha audit verify --head {}:{}）",
        b.audit_head.0, b.audit_head.1, b.audit_head.0, b.audit_head.1
    ));
    d
}

/// The bulletin as Markdown.
pub fn markdown(b: &Bulletin, notes: &Notes) -> String {
    doc::markdown(&document(b, notes))
}

/// The bulletin as one self-contained page with inline SVG charts, printable on A4.
pub fn html(b: &Bulletin, notes: &Notes) -> String {
    doc::html(&document(b, notes))
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
