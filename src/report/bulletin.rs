//! The quarterly bulletin (季度通报): figures computed from the snap (`build`), laid out as a
//! format-neutral document (`document`: headings, paragraphs, tables, charts), then written as
//! Markdown or a self-contained, printable HTML page with inline SVG bar charts (`report::doc`).
//! Only approved visits and approved (numbered, not withdrawn) findings count.

mod quarter;

use super::Snapshot;
use super::doc::{self, Document};
use super::words::{D, label};
use crate::domain::scoring::Warning;
use crate::domain::vocab::Vocab;
use crate::domain::{Quarter, Severity};
use crate::i18n::{K, Lang};
use crate::service::Result;
use chrono::NaiveDate;
use quarter::{Checked, Places, Quarterly, checked, quarter_end, rect_stats};
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
    /// Made from the office hub: its name and its last change (id, hash) when the figures were
    /// read, printed at the foot instead of a laptop's audit head.
    pub hub: Option<(String, i64, String)>,
    /// The language of the labels in the figures and of the document.
    pub lang: Lang,
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

/// The bulletin's figures, their labels in the screen language (the statistics screen); a document
/// asks for its own language with `build_in`.
pub fn build(snap: &dyn Snapshot, q: Quarter, area: Option<&str>, today: NaiveDate) -> Result<Bulletin> {
    build_in(snap, q, area, today, crate::i18n::lang())
}

/// `build`, with the labels in `lang`.
pub fn build_in(snap: &dyn Snapshot, q: Quarter, area: Option<&str>, today: NaiveDate, lang: Lang) -> Result<Bulletin> {
    let area_name = match area {
        Some(code) => snap.org(code)?.map_or(code.to_string(), |o| o.name),
        None => String::new(),
    };
    // Read once: the organisations (names, places) and each visit's figures and approved
    // findings from its aggregates.
    let places = Places::load(snap)?;
    let cutoff = quarter_end(q).min(today);
    let Quarterly { checked: now, in_scope, not_visited, titles: rounds_titles, inspectors, sampled, grade_order } =
        checked(snap, q, area, today, cutoff, &places)?;
    let prev = checked(snap, q.previous(), area, today, cutoff, &places)?.checked;

    let population = places.inspectable(area);
    let mut by_level = Vec::new();
    let mut by_field = Vec::new();
    for c in &now {
        tally(&mut by_level, label(c.org.level, lang).to_string());
        tally(&mut by_field, c.org.field.map_or("-".to_string(), |f| label(f, lang).to_string()));
    }
    let grade_counts = |set: &[Checked<'_>]| -> Vec<(String, usize)> {
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
    let mut by_severity: Vec<(String, usize)> = Severity::ALL.iter().map(|s| (label(*s, lang).to_string(), 0)).collect();
    let mut problems_by_field = Vec::new();
    let mut problems_by_area = Vec::new();
    let mut items: BTreeMap<String, TopItem> = BTreeMap::new();
    let mut examples: HashMap<String, Vec<(&str, crate::domain::Id)>> = HashMap::new();
    let mut criticised = Vec::new();
    let mut templates = HashMap::new();
    for r in snap.rounds()?.into_iter().filter(|r| r.quarter == q) {
        templates.insert(r.id, snap.template_of(&r)?);
    }
    let mut problems = 0;
    for c in &now {
        let mut why = Vec::new();
        if c.score.veto {
            why.push(K::Vetoed.text_in(lang).to_string());
        }
        for f in &c.findings {
            problems += 1;
            let t = templates.get(&f.round);
            let (cat, text) = match (t, f.item.as_deref()) {
                (Some(t), Some(i)) => {
                    t.items().find(|(_, it)| it.id == i).map_or((String::new(), String::new()), |(c, it)| (c.name.clone(), it.text.clone()))
                }
                _ => (K::OtherItem.text_in(lang).to_string(), String::new()),
            };
            tally(&mut by_category, cat);
            if let Some(e) = by_severity.iter_mut().find(|(k, _)| k == label(f.severity, lang)) {
                e.1 += 1;
            }
            tally(&mut problems_by_field, c.org.field.map_or("-".to_string(), |x| label(x, lang).to_string()));
            tally(&mut problems_by_area, c.county.clone());
            if let Some(i) = &f.item {
                let e = items.entry(i.clone()).or_insert_with(|| TopItem {
                    item: i.clone(),
                    text: text.clone(),
                    count: 0,
                    examples: Vec::new(),
                });
                e.count += 1;
                let quoted = examples.entry(i.clone()).or_default();
                if quoted.len() < 2 {
                    quoted.push((c.org.name.as_str(), f.id));
                }
            }
            let serious = label(Severity::Serious, lang);
            if f.severity == Severity::Serious && !why.iter().any(|w| w == serious) {
                why.push(serious.to_string());
            }
            let repeated = D::Repeated.text_in(lang);
            if f.repeat && !why.iter().any(|w| w == repeated) {
                why.push(repeated.to_string());
            }
        }
        if !why.is_empty() {
            criticised.push((c.org.name.clone(), c.county.clone(), why.join(D::NameSep.text_in(lang))));
        }
    }
    let mut top_items: Vec<TopItem> = items.into_values().collect();
    top_items.sort_by(|a, b| b.count.cmp(&a.count).then(a.item.cmp(&b.item)));
    top_items.truncate(5);
    // The two first findings of each of those items are quoted: only these records are read.
    for item in &mut top_items {
        for (org, id) in examples.remove(&item.item).unwrap_or_default() {
            if let Some(f) = snap.finding(id)? {
                item.examples.push(D::Example.fill_in(lang, &[&org, &f.description.replace('\n', " ")]));
            }
        }
    }

    // Last quarter's rectification, by area too.
    let prev_findings: Vec<&quarter::Problem> = prev.iter().flat_map(|c| c.findings.iter()).collect();
    let prev_rect = rect_stats(&prev_findings);

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
            let theirs: Vec<&quarter::Problem> = prev.iter().filter(|c| c.county == area).flat_map(|c| c.findings.iter()).collect();
            AreaRank { rect_rate: rect_stats(&theirs).rate(), avg_score: total / units as f64, units, problems, area }
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
            let why = if c.score.veto { K::Vetoed.text_in(lang).to_string() } else { c.grade.clone() };
            (c.org.name.clone(), c.county.clone(), c.value, why)
        })
        .collect();

    Ok(Bulletin {
        title: if area_name.is_empty() {
            D::BulletinTitle.fill_in(lang, &[&q.zh_title(), &q])
        } else {
            D::BulletinTitleArea.fill_in(lang, &[&area_name, &q.zh_title(), &q])
        },
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
        hub: None,
        lang,
    })
}

const ORDINALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn rate(r: Option<f64>) -> String {
    r.map_or("-".to_string(), |x| format!("{:.1}%", x * 100.0))
}

fn list(v: &[(String, usize)], lang: Lang) -> String {
    v.iter().map(|(k, n)| D::CountOf.fill_in(lang, &[k, n])).collect::<Vec<_>>().join(D::ListSep.text_in(lang))
}

/// The bulletin as a document: its sections, in the office's order, with the charts at the end
/// of the sections they illustrate, in the bulletin's language. Every writer (Markdown, HTML)
/// works from this.
pub fn document(b: &Bulletin, notes: &Notes) -> Document {
    let lang = b.lang;
    let t = |k: D| k.text_in(lang);
    let dash = || t(D::Dash).to_string();
    let mut d = Document::new(&b.title).in_lang(lang);
    d.heading(t(D::Overview));
    let coverage = format!("{:.1}", pct(b.checked, b.population));
    let rounds = if b.rounds.is_empty() { dash() } else { b.rounds.join(t(D::RoundSep)) };
    let inspectors = if b.inspectors.is_empty() { dash() } else { b.inspectors.join(t(D::NameSep)) };
    let area = if b.area_name.is_empty() { String::new() } else { D::InArea.fill_in(lang, &[&b.area_name]) };
    d.paragraph(D::OverviewText.fill_in(
        lang,
        &[
            &b.quarter.zh_title(),
            &b.quarter,
            &rounds,
            &inspectors,
            &b.checked,
            &list(&b.by_level, lang),
            &area,
            &b.population,
            &coverage,
            &if b.sampled { t(D::Sampled) } else { "" },
            &list(&b.by_field, lang),
        ],
    ));
    // Unknown is not counted as good or bad: say what the figures leave out.
    if b.not_visited + b.pending > 0 {
        d.paragraph(D::LeftOut.fill_in(lang, &[&b.in_scope, &b.checked, &b.pending, &b.not_visited]));
    }

    d.heading(t(D::Assessment));
    d.paragraph(D::AverageScore.fill_in(lang, &[&b.avg_score.map_or_else(dash, |a| format!("{a:.1}"))]));
    let grade_rows = b
        .grades
        .iter()
        .enumerate()
        .map(|(i, (g, n))| {
            let p = b.prev_grades.get(i).map_or(0, |x| x.1);
            let (now, before) = (pct(*n, b.checked), pct(p, b.prev_checked));
            let change = if b.prev_checked == 0 { dash() } else { D::PointsChange.fill_in(lang, &[&format!("{:+.1}", now - before)]) };
            vec![g.clone(), n.to_string(), format!("{now:.1}%"), p.to_string(), format!("{before:.1}%"), change]
        })
        .collect();
    d.table(&[t(D::ColGrade), t(D::ColThisQuarter), t(D::ColShare), t(D::ColLastQuarter), t(D::ColShare), t(D::ColChange)], grade_rows);
    d.paragraph(D::WarningsText.fill_in(lang, &[&b.warnings[0], &b.warnings[1], &b.warnings[2]]));
    d.chart(t(D::ChartGrades), "", b.grades.iter().map(|(g, n)| (g.clone(), *n as f64)).collect());
    let warn = [(t(D::WarnRed), b.warnings[0]), (t(D::WarnYellow), b.warnings[1]), (t(D::WarnBlue), b.warnings[2])];
    d.chart(t(D::ChartWarnings), "", warn.iter().map(|(k, n)| (k.to_string(), *n as f64)).collect());

    d.heading(t(D::GoodPractice));
    if notes.good.is_empty() {
        d.paragraph(t(D::SeeAttachment));
    } else {
        d.paragraphs(&notes.good);
    }
    if !b.best.is_empty() {
        let units = b.best.iter().map(|(o, a, sc)| D::BestUnit.fill_in(lang, &[o, a, &format!("{sc:.1}")])).collect::<Vec<_>>();
        d.paragraph(D::Best.fill_in(lang, &[&units.join(t(D::NameSep))]));
    }

    d.heading(t(D::Problems));
    let per_unit = if b.checked == 0 { 0.0 } else { b.problems as f64 / b.checked as f64 };
    d.paragraph(D::ProblemsText.fill_in(
        lang,
        &[
            &b.problems,
            &format!("{per_unit:.1}"),
            &list(&b.by_category, lang),
            &list(&b.by_severity, lang),
            &list(&b.problems_by_field, lang),
            &list(&b.problems_by_area, lang),
        ],
    ));
    for (i, item) in b.top_items.iter().enumerate() {
        let ordinal = match lang {
            Lang::Zh => ORDINALS.get(i).unwrap_or(&"").to_string(),
            Lang::En => (i + 1).to_string(),
        };
        d.paragraph(D::TopItem.fill_in(lang, &[&ordinal, &item.text, &item.count, &item.examples.join(t(D::RoundSep))]));
    }
    if !b.criticised.is_empty() {
        let units = b.criticised.iter().map(|(o, a, why)| D::CriticisedUnit.fill_in(lang, &[o, a, why])).collect::<Vec<_>>();
        d.paragraph(D::Criticised.fill_in(lang, &[&units.join(t(D::RoundSep))]));
    }
    d.chart(t(D::ChartCategories), "", b.by_category.iter().map(|(k, n)| (k.clone(), *n as f64)).collect());

    d.heading(t(D::PrevRect));
    let r = &b.prev_rect;
    d.paragraph(
        D::PrevRectText.fill_in(lang, &[&r.total, &r.due, &r.closed, &rate(r.rate()), &rate(r.on_time_rate()), &r.overdue, &r.extended]),
    );

    d.heading(t(D::Ranking));
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
    d.table(&[t(D::ColRank), t(D::ColArea), t(D::ColInspected), t(D::ColAverage), t(D::ColProblems), t(D::ColPrevRate)], ranks);
    d.paragraph(if b.red_list.is_empty() {
        t(D::RedNone).to_string()
    } else {
        let units =
            b.red_list.iter().map(|(o, a, sc, why)| D::RedUnit.fill_in(lang, &[o, a, &format!("{sc:.1}"), why])).collect::<Vec<_>>();
        D::RedList.fill_in(lang, &[&units.join(t(D::RoundSep))])
    });
    d.chart(t(D::ChartAreas), "", b.ranking.iter().map(|a| (a.area.clone(), a.avg_score)).collect());

    d.heading(t(D::Requirements));
    if notes.requirements.is_empty() {
        d.paragraph(t(D::ToBeAnnounced));
    } else {
        d.paragraphs(&notes.requirements);
    }
    d.paragraph(t(D::Attachments));
    match &b.hub {
        Some((hub, id, hash)) => d.paragraph(D::VerificationHub.fill_in(lang, &[hub, id, hash])),
        None => d.paragraph(D::Verification.fill_in(lang, &[&b.audit_head.0, &b.audit_head.1])),
    }
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
