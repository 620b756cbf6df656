//! Scoring, grading and warnings, computed from the template alone (points, partial deduction,
//! grade bands, warning rules), so local practice changes data, not code.
//!
//! Deduction scoring (扣分制): an answered item deducts its points when it fails and
//! `partial_deduction` of them when it partly meets; unanswered items deduct nothing yet, so the
//! live score starts at the full mark and falls as failures are recorded. 不适用 takes an item out
//! and the remaining items are rescaled to the template's total. A per-occurrence item deducts
//! `per_occurrence` for each occurrence counted, up to its cap (`Item::deduction`).

use super::finding::Finding;
use super::org::Field;
use super::round::Verdict;
use super::template::{Template, WarningRule};
use chrono::NaiveDate;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Warning {
    Red,
    Yellow,
    Blue,
}

/// One category's part of the health index.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryScore {
    pub id: String,
    pub name: String,
    /// Points kept, out of `max` (both after N/A items are taken out, before rescaling).
    pub earned: f64,
    pub max: f64,
    /// Items of the category with a verdict.
    pub answered: usize,
}

impl CategoryScore {
    /// The share of points kept; None while no item of the category is answered (unknown is not
    /// healthy). 1.0 for a category with every item not applicable.
    pub fn health(&self) -> Option<f64> {
        if self.answered == 0 {
            None
        } else if self.max > 0.0 {
            Some(self.earned / self.max)
        } else {
            Some(1.0)
        }
    }
}

/// A visit's score. An organisation nobody has looked at yet has no score, grade or warning: it
/// is unknown, not 100 and 标杆型.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// In the template's points (0..=total_points); None while nothing is known (no verdict, no
    /// veto, no finding).
    pub score: Option<f64>,
    /// score / total_points.
    pub health: Option<f64>,
    pub categories: Vec<CategoryScore>,
    pub grade: Option<String>,
    pub warning: Option<Warning>,
    /// Items with a verdict, and items that apply to this organisation.
    pub answered: usize,
    pub applicable: usize,
    pub veto: bool,
}

/// What the score is computed from.
pub struct Inputs<'a> {
    pub template: &'a Template,
    pub field: Option<Field>,
    pub verdicts: &'a HashMap<String, Verdict>,
    /// Occurrences counted on per-occurrence items (missing records...), by item.
    pub counts: &'a HashMap<String, u32>,
    pub findings: &'a [Finding],
    pub vetoed: bool,
    pub today: NaiveDate,
}

impl Score {
    /// Whether anything was found at all: a verdict, a veto or a finding.
    pub fn known(&self) -> bool {
        self.score.is_some()
    }

    /// "96.5", or "-" for an organisation not yet visited.
    pub fn score_label(&self) -> String {
        self.score.map_or_else(|| UNKNOWN.to_string(), |s| format!("{s:.1}"))
    }

    /// The grade, or "-" for an organisation not yet visited.
    pub fn grade_label(&self) -> &str {
        self.grade.as_deref().unwrap_or(UNKNOWN)
    }
}

/// What screens and lists show for a figure that is not known yet. ASCII: the em dash is of
/// ambiguous width on CJK terminals.
pub const UNKNOWN: &str = "-";

pub fn score(i: &Inputs<'_>) -> Score {
    // A withdrawn finding no longer counts against the organisation.
    let live: Vec<Finding> = i.findings.iter().filter(|f| f.status != super::rectification::RectStatus::Withdrawn).cloned().collect();
    let i = &Inputs { findings: &live, ..*i };
    let t = i.template;
    let mut categories = Vec::new();
    let (mut earned, mut max) = (0.0, 0.0);
    let (mut answered, mut applicable) = (0, 0);
    let mut weak_lead = false;
    for c in &t.categories {
        let mut cs = CategoryScore { id: c.id.clone(), name: c.name.clone(), earned: 0.0, max: 0.0, answered: 0 };
        for item in c.items.iter().filter(|it| it.applies_to(i.field)) {
            applicable += 1;
            let verdict = i.verdicts.get(&item.id).copied();
            if verdict.is_some() {
                answered += 1;
                cs.answered += 1;
            }
            if verdict == Some(Verdict::NotApplicable) {
                continue;
            }
            weak_lead |= item.weak_lead && verdict == Some(Verdict::Fails);
            let deducted = item.deduction(verdict, i.counts.get(&item.id).copied(), t.partial_deduction);
            cs.max += item.points;
            cs.earned += item.points - deducted;
        }
        earned += cs.earned;
        max += cs.max;
        categories.push(cs);
    }
    let score = if max > 0.0 { earned / max * t.total_points } else { t.total_points };
    // Rounded to hundredths so that 59.995 from float noise does not fall a band.
    let score = (score * 100.0).round() / 100.0;
    if answered == 0 && !i.vetoed && i.findings.is_empty() {
        return Score { score: None, health: None, categories, grade: None, warning: None, answered, applicable, veto: false };
    }
    let grade = grade(t, score, i.findings, i.vetoed);
    let warning = warning(t, &grade, i, weak_lead);
    let health = score / t.total_points;
    Score { score: Some(score), health: Some(health), categories, grade: Some(grade), warning, answered, applicable, veto: i.vetoed }
}

/// The first band reached with none of its forbidden severities among the findings; a veto
/// forces the lowest band.
fn grade(t: &Template, score: f64, findings: &[Finding], vetoed: bool) -> String {
    let lowest = t.grades.last().map(|g| g.name.clone()).unwrap_or_default();
    if vetoed {
        return lowest;
    }
    t.grades
        .iter()
        .find(|g| score >= g.min_score && !findings.iter().any(|f| g.forbid.contains(&f.severity)))
        .map_or(lowest, |g| g.name.clone())
}

fn warning(t: &Template, grade: &str, i: &Inputs<'_>, weak_lead: bool) -> Option<Warning> {
    let findings: Vec<FindingFacts> = i
        .findings
        .iter()
        .map(|f| FindingFacts { severity: f.severity, open: f.status.is_open(), overdue: f.is_overdue(i.today) })
        .collect();
    warning_of(t, &WarningFacts { grade, vetoed: i.vetoed, weak_lead, findings: &findings })
}

/// What a warning rule looks at in one finding, on the day judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FindingFacts {
    pub severity: super::template::Severity,
    /// Still the branch's to fix (not reported done, closed or withdrawn).
    pub open: bool,
    pub overdue: bool,
}

/// What the warning of a visit is computed from: the bulletin gives the findings as they stood
/// at the end of its quarter, so a warning clears once its cause is rectified, and the same data
/// gives the same warning later.
pub struct WarningFacts<'a> {
    pub grade: &'a str,
    pub vetoed: bool,
    /// An item marked as a lead of a weak organisation failed.
    pub weak_lead: bool,
    pub findings: &'a [FindingFacts],
}

/// The first of red, yellow, blue whose rule in the template fires.
pub fn warning_of(t: &Template, w: &WarningFacts<'_>) -> Option<Warning> {
    warning_why(t, w).map(|(c, _)| c)
}

/// Why a warning fires: each condition of its rule that holds, in the rule's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    Grade(String),
    Veto,
    WeakLead,
    OpenSeverity(super::template::Severity),
    Overdue,
    Repeated(super::template::Severity),
}

/// The warning and what fired it.
pub fn warning_why(t: &Template, w: &WarningFacts<'_>) -> Option<(Warning, Vec<Cause>)> {
    let causes = |r: &WarningRule| {
        let mut out = Vec::new();
        if r.grades.iter().any(|g| g == w.grade) {
            out.push(Cause::Grade(w.grade.to_string()));
        }
        if r.veto && w.vetoed {
            out.push(Cause::Veto);
        }
        if r.weak_lead && w.weak_lead {
            out.push(Cause::WeakLead);
        }
        for s in &r.open_severities {
            if w.findings.iter().any(|f| f.open && f.severity == *s) {
                out.push(Cause::OpenSeverity(*s));
            }
        }
        if r.overdue && w.findings.iter().any(|f| f.overdue) {
            out.push(Cause::Overdue);
        }
        for s in &r.repeated_severities {
            // Open ones: a warning clears when its cause is rectified.
            if w.findings.iter().filter(|f| f.open && f.severity == *s).count() >= 2 {
                out.push(Cause::Repeated(*s));
            }
        }
        out
    };
    let bands = &t.warnings;
    [(Warning::Red, &bands.red), (Warning::Yellow, &bands.yellow), (Warning::Blue, &bands.blue)]
        .into_iter()
        .map(|(c, r)| (c, causes(r)))
        .find(|(_, why)| !why.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rectification::RectStatus;
    use crate::domain::template::{Category, GradeBand, Item, Method, Severity, Warnings};

    fn item(id: &str, points: f64) -> Item {
        Item {
            id: id.into(),
            text: id.into(),
            methods: vec![Method::Read],
            guidance: String::new(),
            severity: Severity::Minor,
            points,
            fields: vec![],
            weak_lead: false,
            problem: String::new(),
            per_occurrence: None,
            cap: None,
        }
    }

    /// Items of 40, 25, 15, 10, 5, 0.01 and 4.99 points, the default bands and warnings.
    fn template() -> Template {
        let mut rural = item("R", 10.0);
        rural.fields = vec![Field::Rural];
        let mut weak = item("W", 4.99);
        weak.weak_lead = true;
        Template {
            honours: Default::default(),
            id: "t".into(),
            version: 1,
            title: "t".into(),
            fields: vec![],
            total_points: 100.0,
            partial_deduction: 0.5,
            categories: vec![
                Category {
                    id: "A".into(),
                    name: "甲".into(),
                    points: 80.0,
                    items: vec![item("A1", 40.0), item("A2", 25.0), item("A3", 15.0)],
                    by_field: false,
                },
                Category {
                    id: "B".into(),
                    name: "乙".into(),
                    points: 20.0,
                    items: vec![rural, item("B2", 5.0), item("B3", 0.01), weak],
                    by_field: false,
                },
            ],
            vetoes: vec![],
            grades: vec![
                GradeBand { name: "标杆型".into(), min_score: 90.0, forbid: vec![Severity::Serious] },
                GradeBand { name: "成长型".into(), min_score: 75.0, forbid: vec![] },
                GradeBand { name: "达标型".into(), min_score: 60.0, forbid: vec![] },
                GradeBand { name: "未达标型".into(), min_score: 0.0, forbid: vec![] },
            ],
            warnings: Warnings {
                red: WarningRule {
                    label: "红".into(), grades: vec!["未达标型".into()], veto: true, weak_lead: true, ..Default::default()
                },
                yellow: WarningRule { label: "黄".into(), open_severities: vec![Severity::Serious], overdue: true, ..Default::default() },
                blue: WarningRule {
                    label: "蓝".into(),
                    open_severities: vec![Severity::Significant],
                    repeated_severities: vec![Severity::Minor],
                    ..Default::default()
                },
            },
        }
    }

    fn finding(severity: Severity, status: RectStatus, deadline: Option<NaiveDate>) -> Finding {
        Finding { severity, ..Finding::sample(status, deadline) }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn run(field: Option<Field>, verdicts: &[(&str, Verdict)], findings: &[Finding], vetoed: bool) -> Score {
        run_counted(template(), field, verdicts, &[], findings, vetoed)
    }

    fn run_counted(
        t: Template,
        field: Option<Field>,
        verdicts: &[(&str, Verdict)],
        counts: &[(&str, u32)],
        findings: &[Finding],
        vetoed: bool,
    ) -> Score {
        let verdicts: HashMap<String, Verdict> = verdicts.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        let counts: HashMap<String, u32> = counts.iter().map(|(k, n)| (k.to_string(), *n)).collect();
        score(&Inputs { template: &t, field, verdicts: &verdicts, counts: &counts, findings, vetoed, today: day("2026-11-22") })
    }

    #[test]
    fn per_occurrence_items_deduct_per_count_up_to_the_cap() {
        // A2 (25 points) deducts 2.5 per occurrence, at most 10.
        let mut t = template();
        let a2 = &mut t.categories[0].items[1];
        a2.per_occurrence = Some(2.5);
        a2.cap = Some(10.0);
        let s = |verdict, counts: &[(&str, u32)]| run_counted(t.clone(), Some(Field::Rural), &[("A2", verdict)], counts, &[], false).score;
        assert_eq!(s(Fails, &[("A2", 3)]), Some(100.0 - 7.5), "3 × 2.5");
        assert_eq!(s(Partly, &[("A2", 3)]), Some(100.0 - 7.5), "a count deducts the same under 部分符合");
        assert_eq!(s(Fails, &[("A2", 9)]), Some(100.0 - 10.0), "9 × 2.5 = 22.5, capped at 10");
        assert_eq!(s(Fails, &[]), Some(100.0 - 10.0), "no count: the whole cap");
        assert_eq!(s(Partly, &[]), Some(100.0 - 5.0), "no count, 部分符合: half the cap");
        assert_eq!(s(Meets, &[("A2", 3)]), Some(100.0), "a count under 符合 deducts nothing");
    }

    use Verdict::*;

    #[test]
    fn nothing_answered_is_unknown_not_the_full_mark() {
        let s = run(Some(Field::Rural), &[], &[], false);
        assert_eq!((s.score, s.grade, s.warning, s.health), (None, None, None, None));
        assert_eq!((s.answered, s.applicable), (0, 7));
        assert!(s.categories.iter().all(|c| c.health().is_none()));
        let one = run(Some(Field::Rural), &[("B2", Meets)], &[], false);
        assert_eq!((one.score, one.grade.as_deref()), (Some(100.0), Some("标杆型")), "unanswered items deduct nothing yet");
        assert_eq!((one.categories[0].health(), one.categories[1].health()), (None, Some(1.0)));
    }

    #[test]
    fn a_field_filtered_item_is_out_of_scope_for_other_fields() {
        let s = run(Some(Field::Government), &[], &[], false);
        assert_eq!(s.applicable, 6);
        assert_eq!(s.categories[1].max, 10.0);
    }

    #[test]
    fn fails_deducts_all_and_partly_half() {
        let s = run(Some(Field::Rural), &[("A2", Fails), ("A3", Partly), ("A1", Meets)], &[], false);
        assert_eq!(s.score, Some(100.0 - 25.0 - 7.5));
        assert_eq!(s.categories[0].earned, 80.0 - 32.5);
        assert_eq!(s.answered, 3);
    }

    #[test]
    fn not_applicable_items_are_taken_out_and_the_rest_rescaled() {
        // A1 (40) is not applicable; A2 (25) fails: 35 kept of 60 → 58.33 of 100.
        let s = run(Some(Field::Rural), &[("A1", NotApplicable), ("A2", Fails)], &[], false);
        assert_eq!(s.score, Some(58.33));
        assert_eq!(s.grade.as_deref(), Some("未达标型"));
        assert_eq!(s.categories[0].max, 40.0);
    }

    /// Band edges: deductions of 40.01, 40, 25.01, 25, 10.01 and 10 points.
    #[test]
    fn band_edges() {
        type Case<'a> = (&'a [(&'a str, Verdict)], f64, &'a str);
        let cases: &[Case] = &[
            (&[("A1", Fails), ("B3", Fails)], 59.99, "未达标型"),
            (&[("A1", Fails)], 60.0, "达标型"),
            (&[("A2", Fails), ("B3", Fails)], 74.99, "达标型"),
            (&[("A2", Fails)], 75.0, "成长型"),
            (&[("R", Fails), ("B3", Fails)], 89.99, "成长型"),
            (&[("R", Fails)], 90.0, "标杆型"),
        ];
        for (verdicts, expect_score, expect_grade) in cases {
            let s = run(Some(Field::Rural), verdicts, &[], false);
            assert_eq!(s.score, Some(*expect_score), "{verdicts:?}");
            assert_eq!(s.grade.as_deref(), Some(*expect_grade), "{verdicts:?} scored {:?}", s.score);
        }
    }

    #[test]
    fn a_serious_finding_keeps_a_high_score_out_of_the_top_band() {
        let serious = finding(Severity::Serious, RectStatus::Pending, None);
        let s = run(Some(Field::Rural), &[("B2", Fails)], &[serious], false);
        assert_eq!((s.score, s.grade.as_deref()), (Some(95.0), Some("成长型")));
        assert_eq!(s.warning, Some(Warning::Yellow), "an open serious finding is yellow");
    }

    #[test]
    fn a_veto_forces_the_lowest_grade_and_red() {
        let s = run(Some(Field::Rural), &[("A1", Meets)], &[], true);
        assert_eq!((s.score, s.grade.as_deref(), s.warning), (Some(100.0), Some("未达标型"), Some(Warning::Red)));
        let unanswered = run(Some(Field::Rural), &[], &[], true);
        assert_eq!(
            (unanswered.grade.as_deref(), unanswered.warning),
            (Some("未达标型"), Some(Warning::Red)),
            "a veto is a finding of its own"
        );
    }

    #[test]
    fn warning_rules_come_from_the_template() {
        let w = |verdicts: &[(&str, Verdict)], findings: &[Finding]| run(Some(Field::Rural), verdicts, findings, false).warning;
        assert_eq!(w(&[("A1", Fails), ("A2", Fails)], &[]), Some(Warning::Red), "below standard");
        assert_eq!(w(&[("W", Fails)], &[]), Some(Warning::Red), "a weak-organisation lead");
        let overdue = finding(Severity::Minor, RectStatus::InProgress, Some(day("2026-11-01")));
        assert_eq!(w(&[], &[overdue]), Some(Warning::Yellow));
        let closed_late = finding(Severity::Minor, RectStatus::Closed, Some(day("2026-11-01")));
        assert_eq!(w(&[("A1", Meets)], &[closed_late]), None, "a closed finding is not overdue");
        assert_eq!(w(&[], &[finding(Severity::Significant, RectStatus::Pending, None)]), Some(Warning::Blue));
        let minor = || finding(Severity::Minor, RectStatus::Pending, None);
        assert_eq!(w(&[("A1", Meets)], &[minor()]), None);
        assert_eq!(w(&[], &[minor(), minor()]), Some(Warning::Blue), "repeated minor problems");
    }

    #[test]
    fn a_template_out_of_fifty_scores_out_of_fifty() {
        let mut t = template();
        t.total_points = 50.0;
        let verdicts = HashMap::from([("A2".to_string(), Fails)]);
        let s = score(&Inputs {
            template: &t,
            field: Some(Field::Rural),
            verdicts: &verdicts,
            counts: &HashMap::new(),
            findings: &[],
            vetoed: false,
            today: day("2026-11-22"),
        });
        assert_eq!((s.score, s.health), (Some(37.5), Some(0.75)));
    }
}
