//! The paper fallback: a blank visit sheet (CSV) to print, and the import of a filled one.

use super::findings::{FindingInput, split_evidence, validate};
use super::{Result, ServiceError, Session, rounds};
use crate::domain::vocab::Vocab;
use crate::domain::{Finding, Id, ItemResult, RectStatus, RectType, Severity, Verdict, Visit, VisitStatus};
use crate::i18n::K;
use crate::store::{Commit, Write};
use crate::tabular::{FileKind, Problem, ReadOptions};
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;

/// The sheet's columns. 检查内容 and 分值 are for the reader on paper and are ignored on import.
pub const COLUMNS: [&str; 11] =
    ["组织编码", "检查项编号", "检查内容", "分值", "结论", "说明", "问题描述", "严重程度", "整改要求", "责任人", "整改时限"];
const READ_ONLY: [usize; 2] = [2, 3];

/// A blank sheet for one visit: one row per applicable item, UTF-8 with BOM so Excel reads it.
pub fn blank(s: &Session, round: Id, org: &str) -> Result<Vec<u8>> {
    let r = rounds::get(s, round)?;
    let template = rounds::template_of(&s.store, &r)?;
    let d = rounds::visit_data(&s.store, round, org)?;
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let io = |e: csv::Error| ServiceError::Invalid(e.to_string());
    w.write_record(COLUMNS).map_err(io)?;
    for (_, item) in template.items().filter(|(_, i)| i.applies_to(d.org.field)) {
        let points = crate::template::fmt_points(item.points);
        w.write_record([org, &item.id, &item.text, &points, "", "", "", "", "", "", ""]).map_err(io)?;
    }
    w.into_inner().map_err(|e| ServiceError::Invalid(e.to_string()))
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SheetSummary {
    pub verdicts: usize,
    pub findings: usize,
    pub submitted: Vec<String>,
}

/// One bad cell of a sheet.
fn cell_err(line: usize, col: usize, reason: String) -> String {
    K::RosterRowError.fill(&[&line, &(col + 1), &COLUMNS[col], &reason])
}

/// Records a filled sheet: all rows or none. With `submit`, each visit whose items are then all
/// answered is submitted.
pub fn import(s: &Session, round: Id, path: &Path, submit: bool, options: &ReadOptions) -> Result<SheetSummary> {
    let file = path.display().to_string();
    let rows = crate::tabular::read_file(FileKind::Sheet, path, options)?;
    let r = rounds::get(s, round)?;
    let template = rounds::template_of(&s.store, &r)?;
    let mut rows = rows.into_iter();
    let Some((_, header)) = rows.next() else { return Err(FileKind::Sheet.error(&file, Problem::Empty).into()) };
    let pos: Vec<Option<usize>> =
        COLUMNS.iter().map(|c| header.iter().position(|h| h.trim().trim_start_matches('\u{feff}') == *c)).collect();
    let missing: Vec<&str> =
        COLUMNS.iter().enumerate().filter(|(i, _)| pos[*i].is_none() && !READ_ONLY.contains(i)).map(|(_, c)| *c).collect();
    if !missing.is_empty() {
        let required: Vec<&str> = COLUMNS.iter().enumerate().filter(|(i, _)| !READ_ONLY.contains(i)).map(|(_, c)| *c).collect();
        return Err(FileKind::Sheet.missing_columns(&file, &missing, &required).into());
    }
    let today = chrono::Local::now().date_naive();
    let now = chrono::Utc::now();
    let mut errors = Vec::new();
    let mut visits: HashMap<String, Visit> = HashMap::new();
    // Organisations already reported as not in the round or locked: one error each, not one a row.
    let mut refused: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut writes = Vec::new();
    let mut summary = SheetSummary::default();
    for (line, cells) in rows {
        let get = |c: usize| pos[c].and_then(|p| cells.get(p)).map_or("", |s| s.trim());
        let org = get(0).to_string();
        let item = get(1).to_string();
        if refused.contains(&org) {
            continue;
        }
        if !visits.contains_key(&org) {
            match s.store.visit(round, &org)? {
                Some(v) if v.editable() => {
                    visits.insert(org.clone(), v);
                }
                Some(v) => {
                    errors.push(cell_err(line, 0, K::VisitLocked.fill(&[&org, &v.status])));
                    refused.insert(org);
                    continue;
                }
                None => {
                    errors.push(cell_err(line, 0, K::OrgNotInRound.fill(&[&org, &round])));
                    refused.insert(org);
                    continue;
                }
            }
        }
        let o = s.store.org(&org)?;
        let field = o.as_ref().and_then(|o| o.field);
        let unit = o.map(|o| o.name).unwrap_or_default();
        match template.item(&item) {
            Some(it) if it.applies_to(field) => {}
            Some(_) => {
                errors.push(cell_err(line, 1, K::ItemNotForField.fill(&[&item, &field.map_or("-", |f| f.label())])));
                continue;
            }
            None => {
                errors.push(cell_err(line, 1, K::ItemNotFound.fill(&[&template.id, &item])));
                continue;
            }
        }
        let verdict = match get(4) {
            "" => None,
            w => match Verdict::parse_word(w) {
                Some(v) => Some(v),
                None => {
                    errors.push(cell_err(line, 4, K::TplBadValue.fill(&[&COLUMNS[4], &w, &Verdict::expected()])));
                    continue;
                }
            },
        };
        if verdict.is_some() || !get(5).is_empty() {
            writes.push(Write::put(&ItemResult {
                round,
                org: org.clone(),
                item: item.clone(),
                verdict,
                note: get(5).to_string(),
                by: s.actor.clone(),
                at: now,
            }));
            summary.verdicts += verdict.is_some() as usize;
        }
        if !get(6).is_empty() {
            let severity = match get(7) {
                "" => template.item(&item).map(|i| i.severity),
                w => match Severity::parse_word(w) {
                    Some(v) => Some(v),
                    None => {
                        errors.push(cell_err(line, 7, K::TplBadValue.fill(&[&COLUMNS[7], &w, &Severity::expected()])));
                        continue;
                    }
                },
            };
            let input = FindingInput {
                id: None,
                round: Some(round),
                org: org.clone(),
                item: Some(item.clone()),
                description: get(6).to_string(),
                severity,
                rect_type: Some(if get(10).is_empty() { RectType::LongTerm } else { RectType::ByDeadline }),
                requirement: get(8).to_string(),
                responsible_person: get(9).to_string(),
                deadline: get(10).to_string(),
                evidence: String::new(),
            };
            // The same problem already recorded (the sheet imported again): nothing new.
            let known = s
                .store
                .visit_findings(round, &org)?
                .iter()
                .any(|f| f.item.as_deref() == Some(item.as_str()) && f.description == input.description);
            match validate(&input, today) {
                Ok(_) if known => {}
                Ok((severity, rect_type, deadline)) => {
                    writes.push(Write::put(&Finding {
                        id: Id::new(),
                        round,
                        org: org.clone(),
                        item: Some(item.clone()),
                        description: input.description.clone(),
                        severity,
                        evidence: split_evidence(&input.evidence),
                        rect_type,
                        requirement: input.requirement.clone(),
                        responsible_unit: unit.clone(),
                        responsible_person: input.responsible_person.clone(),
                        deadline,
                        status: RectStatus::Pending,
                        number: None,
                        created_by: s.actor.clone(),
                        created_at: now,
                        review: Default::default(),
                        review_comment: String::new(),
                        corrected_by: None,
                        repeat_of: None,
                        rect: Default::default(),
                    }));
                    summary.findings += 1;
                }
                Err(errs) => {
                    for e in errs {
                        errors.push(cell_err(line, 10, e.message));
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(format!("{}\n  {}", K::SheetRejected.fill(&[&file, &errors.len()]), errors.join("\n  "))));
    }
    for v in visits.values() {
        if v.status == VisitStatus::NotStarted {
            writes.push(Write::put(&Visit {
                status: VisitStatus::InProgress,
                inspector: s.actor.clone(),
                started_at: Some(now),
                ..v.clone()
            }));
        }
    }
    let detail = json!({ "round": round.to_string(), "file": file });
    s.store.commit(&s.actor, Commit::new("visit.import", detail, writes))?;
    if submit {
        let mut orgs: Vec<&String> = visits.keys().collect();
        orgs.sort();
        for org in orgs {
            if super::visits::unanswered(s, round, org)?.is_empty() {
                super::visits::submit(s, round, org)?;
                summary.submitted.push(org.clone());
            }
        }
    }
    Ok(summary)
}
