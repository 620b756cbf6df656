//! The bulletin as a document: its sections in the office's order, the definitions of its
//! figures, and its three attachments (附件1 scores, grades and warnings ranked within each
//! group; 附件2 the warning list; 附件3 the rectification extract). Every writer (Word, Markdown,
//! HTML) works from this.

use super::{Bulletin, Notes};
use crate::i18n::Lang;
use crate::report::doc::{Attachment, Block, Document};
use crate::report::words::D;

const ORDINALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// 一, 二, 三… (1, 2, 3 in English) for "一是…二是…".
pub(crate) fn ordinal(i: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => ORDINALS.get(i).map_or_else(|| (i + 1).to_string(), |s| s.to_string()),
        Lang::En => (i + 1).to_string(),
    }
}

/// The area to print before an organisation's name: none when the name already starts with it
/// ("团结县交通运输局党支部", not "团结县团结县交通运输局党支部").
fn area_of(group: &str, org: &str) -> String {
    if org.starts_with(group) { String::new() } else { group.to_string() }
}

fn list(v: &[(String, usize)], lang: Lang) -> String {
    v.iter().map(|(k, n)| D::CountOf.fill_in(lang, &[k, n])).collect::<Vec<_>>().join(D::ListSep.text_in(lang))
}

fn or_dash(v: &Option<String>, lang: Lang) -> String {
    v.clone().unwrap_or_else(|| D::Dash.text_in(lang).to_string())
}

fn pct(v: &Option<String>, lang: Lang) -> String {
    v.as_ref().map_or_else(|| D::Dash.text_in(lang).to_string(), |x| format!("{x}%"))
}

fn table(header: &[&str], rows: Vec<Vec<String>>) -> Block {
    Block::Table { header: header.iter().map(|h| h.to_string()).collect(), rows }
}

/// The bulletin as a document (without the official head and foot, which the service adds from
/// the office's settings).
pub fn document(b: &Bulletin, notes: &Notes) -> Document {
    let lang = b.lang;
    let t = |k: D| k.text_in(lang);
    let dash = || t(D::Dash).to_string();
    let mut d = Document::new(&b.title).in_lang(lang);
    if b.empty {
        d.paragraph(D::EmptyQuarter.fill_in(lang, &[&b.quarter.zh_title(), &b.quarter]));
    }

    d.heading(t(D::Overview));
    let rounds = if b.rounds.is_empty() {
        dash()
    } else {
        b.rounds
            .iter()
            .map(|r| match (&r.sample_rate, r.sample_seed) {
                (Some(rate), Some(seed)) => D::RoundSampled.fill_in(lang, &[&r.title, rate, &seed]),
                _ => r.title.clone(),
            })
            .collect::<Vec<_>>()
            .join(t(D::RoundSep))
    };
    let inspectors = if b.inspectors.is_empty() { dash() } else { b.inspectors.join(t(D::NameSep)) };
    let area = if b.area_name.is_empty() { String::new() } else { D::InArea.fill_in(lang, &[&b.area_name]) };
    if b.empty {
        d.paragraph(D::EmptyOverview.fill_in(lang, &[&b.quarter.zh_title(), &b.quarter, &rounds, &area, &b.population]));
    } else {
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
                &or_dash(&b.coverage, lang),
                &if b.sampled { t(D::Sampled) } else { "" },
                &list(&b.by_field, lang),
            ],
        ));
    }
    // Unknown is not counted as good or bad: say what the figures leave out.
    if b.not_visited + b.pending > 0 {
        d.paragraph(D::LeftOut.fill_in(lang, &[&b.in_scope, &b.checked, &b.pending, &b.not_visited]));
    }

    d.heading(t(D::Assessment));
    d.paragraph(D::AverageScore.fill_in(lang, &[&or_dash(&b.avg_score, lang)]));
    let grade_rows = b
        .grade_rows
        .iter()
        .map(|g| {
            let change = g.change.as_ref().filter(|_| b.prev_checked > 0).map_or_else(dash, |c| D::PointsChange.fill_in(lang, &[c]));
            vec![g.grade.clone(), g.count.to_string(), pct(&g.share, lang), g.prev_count.to_string(), pct(&g.prev_share, lang), change]
        })
        .collect();
    d.table(&[t(D::ColGrade), t(D::ColThisQuarter), t(D::ColShare), t(D::ColLastQuarter), t(D::ColShare), t(D::ColChange)], grade_rows);
    d.paragraph(D::WarningsText.fill_in(lang, &[&b.period.as_of, &b.warnings[0], &b.warnings[1], &b.warnings[2]]));
    d.chart(t(D::ChartGrades), "", b.grades.iter().map(|(g, n)| (g.clone(), *n as f64)).collect());
    let warn = [(t(D::WarnRed), b.warnings[0]), (t(D::WarnYellow), b.warnings[1]), (t(D::WarnBlue), b.warnings[2])];
    d.chart(t(D::ChartWarnings), "", warn.iter().map(|(k, n)| (k.to_string(), *n as f64)).collect());

    d.heading(t(D::GoodPractice));
    if notes.good.is_empty() {
        d.paragraph(t(D::GoodNone));
    } else {
        d.paragraphs(&notes.good);
    }
    let named = |v: &[super::Named]| {
        v.iter().map(|n| D::NamedUnit.fill_in(lang, &[&area_of(&n.group, &n.org), &n.org, &n.why])).collect::<Vec<_>>().join(t(D::NameSep))
    };
    d.paragraph(if b.praise.is_empty() {
        D::PraiseNone.fill_in(lang, &[&b.praise_rule])
    } else {
        D::Praise.fill_in(lang, &[&b.praise_rule, &b.praise.len(), &named(&b.praise)])
    });

    d.heading(t(D::Problems));
    d.paragraph(D::ProblemsText.fill_in(
        lang,
        &[
            &b.problems,
            &or_dash(&b.per_unit, lang),
            &list(&b.by_category, lang),
            &list(&b.by_severity, lang),
            &list(&b.problems_by_field, lang),
            &list(&b.problems_by_area, lang),
        ],
    ));
    for (i, c) in b.typical.iter().enumerate() {
        d.blocks.push(Block::Heading(3, D::CategoryHead.fill_in(lang, &[&ordinal(i, lang), &c.category, &c.count])));
        for (j, item) in c.items.iter().take(3).enumerate() {
            let examples =
                if item.examples.is_empty() { String::new() } else { D::ForExample.fill_in(lang, &[&item.examples.join(t(D::RoundSep))]) };
            d.paragraph(D::TopItem.fill_in(lang, &[&ordinal(j, lang), &item.problem, &item.count, &examples]));
        }
    }
    if b.repeats > 0 {
        let orgs = b
            .repeats_by_org
            .iter()
            .map(|r| D::RepeatUnit.fill_in(lang, &[&area_of(&r.group, &r.org), &r.org, &r.count]))
            .collect::<Vec<_>>();
        d.paragraph(D::RepeatsText.fill_in(lang, &[&b.repeats, &b.repeats_by_org.len(), &orgs.join(t(D::NameSep))]));
    }
    d.paragraph(if b.criticism.is_empty() {
        D::CriticismNone.fill_in(lang, &[&b.criticism_rule])
    } else {
        D::Criticism.fill_in(lang, &[&b.criticism_rule, &b.criticism.len(), &named(&b.criticism)])
    });
    d.chart(t(D::ChartCategories), "", b.by_category.iter().map(|(k, n)| (k.clone(), *n as f64)).collect());

    d.heading(t(D::Rectification));
    let r = &b.rect;
    let f = &r.figures;
    d.paragraph(D::RectText.fill_in(
        lang,
        &[
            &b.period.as_of,
            &f.due,
            &f.on_time,
            &pct(&r.on_time_rate, lang),
            &f.done,
            &pct(&r.done_rate, lang),
            &f.overdue,
            &f.due_today_open,
            &f.carried_over,
            &f.long_term,
            &f.extension_asked,
        ],
    ));
    d.paragraph(D::Definitions.fill_in(lang, &[&b.period.start, &b.period.end, &b.period.as_of]));
    let rect_rows = b
        .rect_by_area
        .iter()
        .map(|a| {
            let f = &a.rect.figures;
            vec![
                a.area.clone(),
                f.due.to_string(),
                f.on_time.to_string(),
                pct(&a.rect.on_time_rate, lang),
                f.overdue.to_string(),
                f.carried_over.to_string(),
            ]
        })
        .collect();
    d.table(&[t(D::ColArea), t(D::ColDue), t(D::ColOnTime), t(D::ColOnTimeRate), t(D::ColOverdue), t(D::ColCarried)], rect_rows);
    let l = &b.lookback;
    if l.visits > 0 {
        d.paragraph(D::LookbackText.fill_in(lang, &[&l.visits, &l.checked, &l.held, &pct(&l.held_rate, lang), &l.relapsed, &l.not_done]));
    }

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
                a.avg_score.clone(),
                a.problems.to_string(),
                pct(&a.rect.on_time_rate, lang),
            ]
        })
        .collect();
    d.table(&[t(D::ColRank), t(D::ColArea), t(D::ColInspected), t(D::ColAverage), t(D::ColProblems), t(D::ColOnTimeRate)], ranks);
    d.paragraph(D::SeeAttachments.fill_in(lang, &[&b.warning_list.len()]));
    d.chart(t(D::ChartAreas), "", b.ranking.iter().map(|a| (a.area.clone(), a.avg_score.parse().unwrap_or(0.0))).collect());

    d.heading(t(D::Requirements));
    if notes.requirements.is_empty() {
        d.paragraph(t(D::ToBeAnnounced));
    } else {
        d.paragraphs(&notes.requirements);
    }
    match &b.hub {
        Some((hub, id, hash)) => d.paragraph(D::VerificationHub.fill_in(lang, &[hub, id, hash])),
        None => d.paragraph(D::Verification.fill_in(lang, &[&b.audit_head.0, &b.audit_head.1])),
    }
    d.attachments = attachments(b);
    d
}

/// 附件1 to 附件3.
fn attachments(b: &Bulletin) -> Vec<Attachment> {
    let lang = b.lang;
    let t = |k: D| k.text_in(lang);
    let none = || vec![Block::Paragraph(t(D::NoneAtAll).to_string())];
    let units = b
        .units
        .iter()
        .take(super::LISTED_MAX)
        .map(|u| {
            vec![
                u.group.clone(),
                u.rank.to_string(),
                u.org.clone(),
                u.score.clone(),
                u.grade.clone(),
                u.warning.clone().unwrap_or_else(|| t(D::Dash).to_string()),
                u.problems.to_string(),
                u.repeats.to_string(),
            ]
        })
        .collect::<Vec<_>>();
    // Past LISTED_MAX rows an attachment says how many it leaves out.
    let cut =
        |total: usize| (total > super::LISTED_MAX).then(|| Block::Paragraph(D::ListedFirst.fill_in(lang, &[&total, &super::LISTED_MAX])));
    let mut first = if units.is_empty() {
        none()
    } else {
        vec![table(
            &[
                t(D::ColArea),
                t(D::ColRankInArea),
                t(D::ColOrg),
                t(D::ColScore),
                t(D::ColGrade),
                t(D::ColWarning),
                t(D::ColProblems),
                t(D::ColRepeats),
            ],
            units,
        )]
    };
    first.extend(cut(b.units.len()));
    let warned = b
        .warning_list
        .iter()
        .take(super::LISTED_MAX)
        .map(|w| vec![w.warning.clone(), w.group.clone(), w.org.clone(), w.score.clone(), w.grade.clone(), w.why.clone()])
        .collect::<Vec<_>>();
    let mut second = vec![Block::Paragraph(D::WarningListNote.fill_in(lang, &[&b.period.as_of]))];
    if warned.is_empty() {
        second.extend(none());
    } else {
        second.push(table(&[t(D::ColWarning), t(D::ColArea), t(D::ColOrg), t(D::ColScore), t(D::ColGrade), t(D::ColWhy)], warned));
    }
    second.extend(cut(b.warning_list.len()));
    let rows = b
        .extract
        .iter()
        .map(|e| {
            vec![
                e.number.clone(),
                format!("{}{}", area_of(&e.group, &e.org), e.org),
                e.problem.clone(),
                e.severity.clone(),
                e.deadline.map_or_else(|| t(D::Dash).to_string(), |d| d.to_string()),
                e.responsible.clone(),
                e.state.clone(),
            ]
        })
        .collect::<Vec<_>>();
    let mut third = vec![Block::Paragraph(D::ExtractNote.fill_in(lang, &[&b.period.as_of]))];
    if rows.is_empty() {
        third.extend(none());
    } else {
        // Seven columns, the organisation with its area: the description keeps room to read.
        third.push(table(
            &[
                t(D::ColNumber),
                t(D::ColOrg),
                t(D::ColDescription),
                t(D::ColSeverity),
                t(D::ColDeadline),
                t(D::ColResponsibleShort),
                t(D::ColState),
            ],
            rows,
        ));
    }
    third.extend(cut(b.extract_total));
    vec![
        Attachment { title: t(D::Attachment1).to_string(), blocks: first },
        Attachment { title: t(D::Attachment2).to_string(), blocks: second },
        Attachment { title: t(D::Attachment3).to_string(), blocks: third },
    ]
}
