//! The per-branch inspection report (一支部一报告): one visit written up for the file and for
//! the organisation above the branch. 一、基本情况 (who, which round, who inspected, the arrival
//! and the six unannounced checks, who was interviewed, what was read); 二、得分情况 (score,
//! grade, warning and what fired it, vetoes, a table by category); 三、发现的问题; 四、好的方面;
//! 五、整改要求; and the audit head the figures were read at.

use super::doc::{Block, Document};
use super::visit_doc::{VisitFacts, date_time, day, deadline_text, number, or_dash, responsible};
use super::words::{D, label};
use crate::domain::figures::one_decimal;
use crate::domain::finding::RectType;
use crate::domain::round::UNANNOUNCED_CHECKS;
use crate::domain::scoring::{self, FindingFacts, Warning, WarningFacts};
use crate::domain::{RectStatus, Verdict};
use crate::i18n::Lang;

use super::bulletin::ordinal;

/// The visit's score as the round's template computes it, on the document's day.
pub fn score(v: &VisitFacts) -> scoring::Score {
    scoring::score(&scoring::Inputs {
        template: &v.template,
        field: v.org.field,
        verdicts: &v.verdicts,
        counts: &v.counts,
        findings: &v.all_findings,
        vetoed: !v.visit.vetoes.is_empty(),
        today: v.today,
    })
}

/// The report's title.
pub fn title(v: &VisitFacts) -> String {
    D::ReportTitle.fill_in(v.lang, &[&v.org.name])
}

/// The report as a document.
pub fn document(v: &VisitFacts) -> Document {
    let lang = v.lang;
    let t = |k: D| k.text_in(lang);
    let dash = || t(D::Dash).to_string();
    let mut d = Document::new(&title(v)).in_lang(lang);

    d.heading(t(D::RpBasics));
    let field = v.org.field.map_or_else(dash, |f| label(f, lang).to_string());
    let level = match lang {
        Lang::Zh => v.org.level_name().to_string(),
        Lang::En => label(v.org.level, lang).to_string(),
    };
    let parent = if v.parent.is_empty() { dash() } else { v.parent.clone() };
    d.paragraph(D::RpOrg.fill_in(lang, &[&v.org.name, &level, &field, &parent]));
    // The quarter, unless the round's title already says it.
    let q = &v.round.quarter;
    if v.round.title.contains(&q.zh_title()) || v.round.title.contains(&q.to_string()) {
        d.paragraph(D::RpRoundTitle.fill_in(lang, &[&v.round.title]));
    } else {
        d.paragraph(D::RpRound.fill_in(lang, &[&v.round.title, &q.zh_title(), q]));
    }
    let names = if v.inspectors.is_empty() { dash() } else { v.inspectors.join(D::NameSep.text_in(lang)) };
    d.paragraph(D::RpInspectors.fill_in(lang, &[&names]));
    let arrived = v.visit.arrived_at.map_or_else(|| t(D::NotRecorded).to_string(), |a| date_time(a, lang));
    let state = v.visit.arrival_state.map_or_else(|| t(D::NotRecorded).to_string(), |s| label(s, lang).to_string());
    let note = if v.visit.arrival_note.trim().is_empty() {
        String::new()
    } else {
        D::RpArrivalNote.fill_in(lang, &[&v.visit.arrival_note.trim()])
    };
    d.paragraph(D::RpArrival.fill_in(lang, &[&arrived, &state, &note]));
    d.paragraph(t(D::RpChecks));
    let checks: Vec<String> = UNANNOUNCED_CHECKS.iter().map(|(zh, en)| lang.pick(zh, en).to_string()).collect();
    let held: Vec<String> = v
        .visit
        .unannounced
        .iter()
        .map(|c| match c {
            Some(true) => t(D::Yes).to_string(),
            Some(false) => t(D::No).to_string(),
            None => t(D::NotRecorded).to_string(),
        })
        .collect();
    d.blocks.push(Block::Table { header: checks, rows: vec![held] });
    let told = |text: &str| if text.trim().is_empty() { t(D::NotRecorded).to_string() } else { text.trim().to_string() };
    d.paragraph(D::RpInterviewed.fill_in(lang, &[&told(&v.visit.interviewed)]));
    d.paragraph(D::RpRecords.fill_in(lang, &[&told(&v.visit.records_read)]));

    d.heading(t(D::RpScoring));
    let s = score(v);
    match s.score {
        Some(points) => {
            d.paragraph(D::RpScore.fill_in(
                lang,
                &[&one_decimal(points), &one_decimal(v.template.total_points), &s.grade_label(), &s.answered, &s.applicable],
            ))
        }
        None => d.paragraph(t(D::RpNoScore)),
    }
    d.paragraph(warning_line(v, &s));
    for mark in &v.visit.vetoes {
        let gate = v.template.vetoes.iter().find(|g| g.id == mark.id);
        let what = gate.map_or_else(|| mark.id.clone(), |g| g.text.clone());
        // The item that triggered the gate, when the template ties it to one.
        match gate.and_then(|g| g.item.as_deref()) {
            Some(item) => d.paragraph(D::RpVetoAtItem.fill_in(lang, &[&what, &item, &or_dash(&mark.reason, lang)])),
            None => d.paragraph(D::RpVeto.fill_in(lang, &[&what, &or_dash(&mark.reason, lang)])),
        }
    }
    let rows = s
        .categories
        .iter()
        .map(|c| {
            let items: Vec<&str> = v
                .template
                .categories
                .iter()
                .find(|tc| tc.id == c.id)
                .map(|tc| tc.items.iter().filter(|i| i.applies_to(v.org.field)).map(|i| i.id.as_str()).collect())
                .unwrap_or_default();
            let count = |verdict: Verdict| items.iter().filter(|i| v.verdicts.get(**i) == Some(&verdict)).count();
            vec![
                c.name.clone(),
                one_decimal(c.max),
                one_decimal(c.earned),
                items.len().to_string(),
                count(Verdict::Fails).to_string(),
                count(Verdict::Partly).to_string(),
            ]
        })
        .collect();
    d.table(&[t(D::ColCategory), t(D::ColFullMarks), t(D::ColEarned), t(D::ColItems), t(D::ColFails), t(D::ColPartly)], rows);
    // Items that deduct per occurrence, with how many were found and what that cost.
    for (_, item) in v.template.items().filter(|(_, i)| i.applies_to(v.org.field)) {
        let (Some(per), Some(n)) = (item.per_occurrence, v.counts.get(&item.id)) else { continue };
        let verdict = v.verdicts.get(&item.id).copied();
        let deducted = item.deduction(verdict, Some(*n), v.template.partial_deduction);
        let fmt = crate::template::fmt_points;
        d.paragraph(D::RpCounted.fill_in(lang, &[&item.id, &item.text, n, &fmt(per), &fmt(deducted)]));
    }

    d.heading(t(D::RpFindings));
    if v.findings.is_empty() {
        d.paragraph(t(D::RpNoFindings));
    }
    for (i, f) in v.findings.iter().enumerate() {
        d.blocks.push(Block::Heading(3, D::RpFindingHead.fill_in(lang, &[&ordinal(i, lang), &number(f, lang), &v.item_text(f)])));
        d.paragraph(D::RpFindingText.fill_in(
            lang,
            &[
                &f.description.trim().trim_end_matches('。'),
                &label(f.severity, lang),
                &label(f.rect_type, lang),
                &or_dash(&f.requirement, lang),
                &deadline_text(f, lang),
                &responsible(f, lang),
                &label(f.status, lang),
            ],
        ));
        let files: Vec<String> = crate::domain::evidence::of_finding(f)
            .into_iter()
            .map(|(_, a)| {
                let size = crate::service::sync::size_label(a.size);
                D::RpFile.fill_in(lang, &[&a.short_id(), &a.name, &size, &a.sha256.get(..16).unwrap_or(&a.sha256)])
            })
            .collect();
        if !files.is_empty() {
            d.paragraph(D::RpFiles.fill_in(lang, &[&files.join(D::NameSep.text_in(lang))]));
        }
    }

    d.heading(t(D::RpStrengths));
    let strengths: Vec<String> = v
        .template
        .items()
        .filter(|(_, i)| v.verdicts.get(&i.id) == Some(&Verdict::Meets))
        .filter_map(|(_, i)| {
            v.notes.get(&i.id).map(|n| D::RpStrength.fill_in(lang, &[&D::ItemWithText.fill_in(lang, &[&i.id, &i.text]), &n.trim()]))
        })
        .collect();
    let full: Vec<String> =
        s.categories.iter().filter(|c| c.answered > 0 && c.max > 0.0 && c.earned >= c.max).map(|c| c.name.clone()).collect();
    if !strengths.is_empty() {
        for line in strengths {
            d.paragraph(line);
        }
    } else if !full.is_empty() {
        d.paragraph(D::RpFullCategories.fill_in(lang, &[&full.join(D::NameSep.text_in(lang))]));
    } else {
        d.paragraph(t(D::NoneAtAll));
    }

    d.heading(t(D::RpRectification));
    d.paragraph(rectification_text(v));
    d.paragraph(D::Verification.fill_in(lang, &[&v.head.0, &v.head.1]));
    d
}

/// 预警：黄色预警（严重问题未整改）, or 预警：无.
fn warning_line(v: &VisitFacts, s: &scoring::Score) -> String {
    let lang = v.lang;
    let Some(grade) = s.grade.as_deref() else { return D::RpNoWarning.text_in(lang).to_string() };
    let facts: Vec<FindingFacts> = v
        .all_findings
        .iter()
        .filter(|f| f.status != RectStatus::Withdrawn)
        .map(|f| FindingFacts { severity: f.severity, open: f.status.is_open(), overdue: f.is_overdue(v.today) })
        .collect();
    let weak_lead = v.template.items().any(|(_, i)| i.weak_lead && v.verdicts.get(&i.id) == Some(&Verdict::Fails));
    let w = WarningFacts { grade, vetoed: s.veto, weak_lead, findings: &facts };
    match scoring::warning_why(&v.template, &w) {
        Some((warning, causes)) => {
            let word = match warning {
                Warning::Red => D::WarnRed,
                Warning::Yellow => D::WarnYellow,
                Warning::Blue => D::WarnBlue,
            };
            let why = causes.iter().map(|c| super::bulletin::cause_text(c, lang)).collect::<Vec<_>>().join(D::ListSep.text_in(lang));
            let colour = match lang {
                Lang::Zh => format!("{}色", word.text_in(lang)),
                Lang::En => word.text_in(lang).to_string(),
            };
            D::RpWarning.fill_in(lang, &[&colour, &why])
        }
        None => D::RpNoWarning.text_in(lang).to_string(),
    }
}

/// 五、整改要求 from the findings' types and deadlines.
fn rectification_text(v: &VisitFacts) -> String {
    let lang = v.lang;
    if v.findings.is_empty() {
        return D::RpRectNone.text_in(lang).to_string();
    }
    let of = |k: RectType| v.findings.iter().filter(|f| f.rect_type == k).count();
    let latest = v
        .findings
        .iter()
        .filter(|f| f.rect_type == RectType::ByDeadline)
        .filter_map(|f| f.deadline)
        .max()
        .map_or_else(|| D::Dash.text_in(lang).to_string(), |d| day(d, lang));
    D::RpRectText.fill_in(
        lang,
        &[&v.org.name, &v.findings.len(), &of(RectType::Immediate), &of(RectType::ByDeadline), &latest, &of(RectType::LongTerm)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Verdict;

    #[test]
    fn the_report_has_its_five_parts_score_and_strengths() {
        let mut v = crate::report::handover::tests::facts();
        for (_, item) in v.template.items() {
            v.verdicts.insert(item.id.clone(), Verdict::Meets);
        }
        v.verdicts.insert("C1.3".into(), Verdict::Fails);
        v.notes.insert("C1.1".into(), "支部设置规范".into());
        let d = document(&v);
        let md = crate::report::doc::markdown(&d);
        for want in ["一、基本情况", "二、得分情况", "三、发现的问题", "四、好的方面", "五、整改要求", "C1.1", "“支部设置规范”", "门牌脱落"]
        {
            assert!(md.contains(want), "{want}:\n{md}");
        }
        assert!(!md.contains("已撤销的问题"), "{md}");
        let s = score(&v);
        assert!(md.contains(&format!("得分 {} 分", one_decimal(s.score.unwrap()))), "{md}");
        assert!(md.contains("数据校验：审计链第 7 条"), "{md}");
        assert!(md.contains("最迟于2026年12月31日前完成"), "{md}");
        assert!(md.contains("督查批次：2026年第四季度督查。"), "the quarter once: {md}");
        v.round.title = "秋季督查".into();
        assert!(crate::report::doc::markdown(&document(&v)).contains("督查批次：秋季督查（2026年第四季度）。"));
    }
}
