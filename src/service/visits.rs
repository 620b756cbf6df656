//! Visits and item verdicts: the inspector's walk through the checklist.

use super::{Result, ServiceError, Session, invalid, rounds};
use crate::domain::limits::{self, ArrivalProblem};
use crate::domain::rules::{self, Gap};
use crate::domain::vocab::Vocab;
use crate::domain::{ArrivalState, Finding, Id, ItemResult, Quarter, RectStatus, TemplateSnapshot, Verdict, VetoMark, Visit, VisitStatus};
use crate::i18n::K;
use crate::store::{Commit, Write};
use chrono::NaiveDateTime;
use serde_json::json;

/// Loads an editable visit and its template, starting the visit (检查中) when it was 未开始.
/// The visit, if it may still be changed, with its round's template (shared from the store's
/// cache, not copied: a verdict is the hottest path) and the write that starts it.
pub(super) fn editable(s: &Session, round: Id, org: &str) -> Result<(Visit, std::sync::Arc<TemplateSnapshot>, Option<Write>)> {
    let r = rounds::get(s, round)?;
    let visit = s.store.visit(round, org)?.ok_or_else(|| invalid(K::OrgNotInRound, &[&org, &round]))?;
    if !visit.editable() {
        let name = s.store.org(org)?.map_or(org.to_string(), |o| o.name);
        return Err(invalid(K::VisitLocked, &[&name, &visit.status]));
    }
    let template = s.store.template_arc(&r.template_hash)?.ok_or_else(|| invalid(K::SnapshotMissing, &[&r.template_hash]))?;
    let start = (visit.status == VisitStatus::NotStarted).then(|| {
        Write::put(&Visit { status: VisitStatus::InProgress, inspector: s.actor.clone(), started_at: Some(s.now()), ..visit.clone() })
    });
    let visit = if start.is_some() { Visit { status: VisitStatus::InProgress, inspector: s.actor.clone(), ..visit } } else { visit };
    Ok((visit, template, start))
}

fn commit(s: &Session, action: &str, round: Id, org: &str, writes: Vec<Write>) -> Result<()> {
    let detail = json!({ "round": round.to_string(), "org": org });
    s.commit(Commit::new(action, detail, writes))?;
    Ok(())
}

/// A text of at most `max` characters, or the refusal naming the field.
pub(crate) fn check_len(label: &str, text: &str, max: usize) -> Result<()> {
    if limits::fits(text, max) { Ok(()) } else { Err(invalid(K::TooLong, &[&label, &max, &limits::chars(text)])) }
}

/// Records (or clears, with None) the verdict and note of one item. The change is flushed to
/// disk before this returns.
///
/// 符合 or 不适用 over live findings of the item would leave a problem under a verdict that
/// denies it: refused, unless `withdraw_findings`, which withdraws them in the same commit.
pub fn record_verdict(
    s: &Session,
    round: Id,
    org: &str,
    item: &str,
    verdict: Option<Verdict>,
    note: &str,
    withdraw_findings: bool,
) -> Result<ItemResult> {
    let (visit, snap, start) = editable(s, round, org)?;
    let template = &snap.template;
    let it = template.item(item).ok_or_else(|| invalid(K::ItemNotFound, &[&template.id, &item]))?;
    let o = s.store.org(org)?.ok_or_else(|| invalid(K::OrgNotFound, &[&org]))?;
    if !it.applies_to(o.field) {
        let field = o.field.map_or("-", |f| f.label());
        return Err(invalid(K::ItemNotForField, &[&item, &field]));
    }
    if let Some(why) = rules::verdict_under_gate(template, &visit, item, verdict) {
        return Err(ServiceError::Invalid(why));
    }
    check_len(K::ColNote.text(), note, limits::TEXT_CHARS)?;
    // The occurrences counted stay while the verdict still says something was found.
    let count =
        s.store.result(round, org, item)?.and_then(|r| r.count).filter(|_| matches!(verdict, Some(Verdict::Fails | Verdict::Partly)));
    let mut writes: Vec<Write> = start.into_iter().collect();
    if rules::contradicts_findings(verdict) {
        let findings = s.store.visit_findings(round, org)?;
        let under = rules::item_findings(&findings, item);
        if !under.is_empty() {
            let label = verdict.map_or("", |v| v.label());
            if !withdraw_findings {
                return Err(invalid(K::VerdictHasFindings, &[&item, &under.len(), &label]));
            }
            let reason = K::WithdrawnByVerdict.fill(&[&label]);
            for f in under {
                writes.push(Write::put(&Finding { status: RectStatus::Withdrawn, review_comment: reason.clone(), ..f.clone() }));
            }
        }
    }
    let result = ItemResult {
        round,
        org: org.to_string(),
        item: item.to_string(),
        verdict,
        note: note.trim_end().to_string(),
        count,
        by: s.actor.clone(),
        at: s.now(),
    };
    writes.push(Write::put(&result));
    let detail = json!({ "round": round.to_string(), "org": org, "item": item });
    s.commit(Commit::new("visit.verdict", detail, writes))?;
    Ok(result)
}

/// Records (or clears, with None) how many occurrences were found on a per-occurrence item
/// answered 不符合 or 部分符合; its verdict and note stay.
pub fn record_count(s: &Session, round: Id, org: &str, item: &str, count: Option<u32>) -> Result<ItemResult> {
    let (_, snap, start) = editable(s, round, org)?;
    let template = &snap.template;
    let it = template.item(item).ok_or_else(|| invalid(K::ItemNotFound, &[&template.id, &item]))?;
    let old = s.store.result(round, org, item)?;
    let verdict = old.as_ref().and_then(|r| r.verdict);
    if let Some(why) = count.and_then(|n| rules::count_problem(it, verdict, n)) {
        return Err(ServiceError::Invalid(why));
    }
    let result = ItemResult {
        round,
        org: org.to_string(),
        item: item.to_string(),
        verdict,
        note: old.map(|r| r.note).unwrap_or_default(),
        count,
        by: s.actor.clone(),
        at: s.now(),
    };
    let mut writes: Vec<Write> = start.into_iter().collect();
    writes.push(Write::put(&result));
    let detail = json!({ "round": round.to_string(), "org": org, "item": item, "count": count });
    // Part of the item's verdict, in the history as such.
    s.commit(Commit::new("visit.verdict", detail, writes))?;
    Ok(result)
}

/// Why an arrival time cannot be recorded, in words.
pub fn arrival_error(arrived: NaiveDateTime, quarter: Quarter, now: NaiveDateTime) -> Option<String> {
    let shown = arrived.format("%Y-%m-%d %H:%M");
    match limits::check_arrival(arrived, quarter, now) {
        Ok(()) => None,
        Err(ArrivalProblem::Future) => Some(K::ArrivalFuture.fill(&[&shown])),
        Err(ArrivalProblem::BeforeQuarter(start)) => Some(K::ArrivalBeforeQuarter.fill(&[&shown, &start])),
    }
}

/// Arrival and "四不两直" details of a visit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VisitInfo {
    pub arrived_at: Option<NaiveDateTime>,
    pub arrival_state: Option<ArrivalState>,
    pub arrival_note: String,
    pub unannounced: [Option<bool>; 6],
    pub interviewed: String,
    pub records_read: String,
}

impl VisitInfo {
    pub fn of(v: &Visit) -> VisitInfo {
        VisitInfo {
            arrived_at: v.arrived_at,
            arrival_state: v.arrival_state,
            arrival_note: v.arrival_note.clone(),
            unannounced: v.unannounced,
            interviewed: v.interviewed.clone(),
            records_read: v.records_read.clone(),
        }
    }
}

pub fn save_info(s: &Session, round: Id, org: &str, info: VisitInfo) -> Result<Visit> {
    let (visit, _, _) = editable(s, round, org)?;
    let r = rounds::get(s, round)?;
    if let Some(e) = info.arrived_at.and_then(|t| arrival_error(t, r.quarter, s.clock.local_now())) {
        return Err(ServiceError::Invalid(e));
    }
    check_len(K::FieldArrivalNote.text(), &info.arrival_note, limits::TEXT_CHARS)?;
    check_len(K::FieldInterviewed.text(), &info.interviewed, limits::TEXT_CHARS)?;
    check_len(K::FieldRecordsRead.text(), &info.records_read, limits::TEXT_CHARS)?;
    let v = Visit {
        arrived_at: info.arrived_at,
        arrival_state: info.arrival_state,
        arrival_note: info.arrival_note.trim().to_string(),
        unannounced: info.unannounced,
        interviewed: info.interviewed.trim().to_string(),
        records_read: info.records_read.trim().to_string(),
        ..visit
    };
    commit(s, "visit.info", round, org, vec![Write::put(&v)])?;
    Ok(v)
}

/// Sets a veto gate with its reason, or clears it (reason None).
pub fn set_veto(s: &Session, round: Id, org: &str, veto: &str, reason: Option<&str>) -> Result<Visit> {
    let (mut visit, snap, _) = editable(s, round, org)?;
    let template = &snap.template;
    if !template.vetoes.iter().any(|v| v.id == veto) {
        return Err(invalid(K::VetoUnknown, &[&veto]));
    }
    visit.vetoes.retain(|m| m.id != veto);
    if let Some(reason) = reason {
        if reason.trim().is_empty() {
            return Err(invalid(K::ReasonEmpty, &[]));
        }
        let verdicts = rounds::visit_data(s, round, org)?.verdicts;
        if let Some(why) = rules::gate_problem(template, veto, &verdicts) {
            return Err(ServiceError::Invalid(why));
        }
        check_len(K::VetoReason.text(), reason, limits::TEXT_CHARS)?;
        visit.vetoes.push(VetoMark { id: veto.to_string(), reason: reason.trim().to_string() });
    }
    commit(s, "visit.veto", round, org, vec![Write::put(&visit)])?;
    Ok(visit)
}

/// The applicable items without a verdict, in template order.
pub fn unanswered(s: &Session, round: Id, org: &str) -> Result<Vec<String>> {
    Ok(gaps(s, round, org)?.into_iter().filter_map(|g| if let Gap::Unanswered(i) = g { Some(i) } else { None }).collect())
}

/// Everything that keeps the visit from being submitted or approved.
pub fn gaps(s: &Session, round: Id, org: &str) -> Result<Vec<Gap>> {
    let r = rounds::get(s, round)?;
    let template = rounds::template_of(s, &r)?;
    let d = rounds::visit_data(s, round, org)?;
    let gaps = rules::submission_gaps(&template, d.org.field, &d.verdicts, &d.notes, &d.findings, &d.visit);
    if r.revisits().is_some() {
        return Ok(rules::lookback_gaps(gaps, super::lookback::unmarked(s, &r, org)?));
    }
    Ok(gaps)
}

/// The gaps in words, grouped: "2 个检查项未作结论（C1.1, C1.2）；未填到达时间".
pub fn describe_gaps(gaps: &[Gap]) -> String {
    let ids = |f: fn(&Gap) -> Option<&String>| gaps.iter().filter_map(f).cloned().collect::<Vec<_>>();
    let mut parts = Vec::new();
    let groups: [(K, Vec<String>); 4] = [
        (K::GapNotRechecked, ids(|g| if let Gap::NotRechecked(n) = g { Some(n) } else { None })),
        (K::GapUnanswered, ids(|g| if let Gap::Unanswered(i) = g { Some(i) } else { None })),
        (K::GapFails, ids(|g| if let Gap::FailsWithoutFinding(i) = g { Some(i) } else { None })),
        (K::GapPartly, ids(|g| if let Gap::PartlyWithoutFindingOrNote(i) = g { Some(i) } else { None })),
    ];
    for (k, items) in groups {
        if !items.is_empty() {
            parts.push(k.fill(&[&items.len(), &items.join(", ")]));
        }
    }
    if gaps.contains(&Gap::NoArrivalTime) {
        parts.push(K::GapArrivalTime.text().to_string());
    }
    if gaps.contains(&Gap::NoArrivalState) {
        parts.push(K::GapArrivalState.text().to_string());
    }
    parts.join(if crate::i18n::lang() == crate::i18n::Lang::Zh { "；" } else { "; " })
}

/// Submits the visit for review; refused, with the list, while an item is unanswered, a failed
/// item has no finding, a partly met one has neither finding nor note, or the arrival is missing.
pub fn submit(s: &Session, round: Id, org: &str) -> Result<Visit> {
    let (visit, _, _) = editable(s, round, org)?;
    let name = s.store.org(org)?.map_or(org.to_string(), |o| o.name);
    if !visit.status.can_move_to(VisitStatus::Submitted) {
        return Err(invalid(K::VisitLocked, &[&name, &visit.status]));
    }
    let gaps = gaps(s, round, org)?;
    if !gaps.is_empty() {
        return Err(invalid(K::SubmitRefused, &[&name, &describe_gaps(&gaps)]));
    }
    let v = Visit { status: VisitStatus::Submitted, submitted_at: Some(s.now()), ..visit };
    commit(s, "visit.submit", round, org, vec![Write::put(&v)])?;
    Ok(v)
}
