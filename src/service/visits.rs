//! Visits and item verdicts: the inspector's walk through the checklist.

use super::{Result, ServiceError, Session, invalid, rounds};
use crate::domain::vocab::Vocab;
use crate::domain::{ArrivalState, Id, ItemResult, Template, Verdict, VetoMark, Visit, VisitStatus};
use crate::i18n::K;
use crate::store::{Commit, Write};
use chrono::NaiveDateTime;
use serde_json::json;

/// Loads an editable visit and its template, starting the visit (检查中) when it was 未开始.
fn editable(s: &Session, round: Id, org: &str) -> Result<(Visit, Template, Option<Write>)> {
    let r = rounds::get(s, round)?;
    let visit = s.store.visit(round, org)?.ok_or_else(|| invalid(K::OrgNotInRound, &[&org, &round]))?;
    if !visit.editable() {
        let name = s.store.org(org)?.map_or(org.to_string(), |o| o.name);
        return Err(invalid(K::VisitLocked, &[&name, &visit.status]));
    }
    let template = rounds::template_of(&s.store, &r)?;
    let start = (visit.status == VisitStatus::NotStarted).then(|| {
        Write::put(&Visit {
            status: VisitStatus::InProgress,
            inspector: s.actor.clone(),
            started_at: Some(chrono::Utc::now()),
            ..visit.clone()
        })
    });
    let visit = if start.is_some() { Visit { status: VisitStatus::InProgress, inspector: s.actor.clone(), ..visit } } else { visit };
    Ok((visit, template, start))
}

fn commit(s: &Session, action: &str, round: Id, org: &str, writes: Vec<Write>) -> Result<()> {
    let detail = json!({ "round": round.to_string(), "org": org });
    s.store.commit(&s.actor, Commit::new(action, detail, writes))?;
    Ok(())
}

/// Records (or clears, with None) the verdict and note of one item. The change is flushed to
/// disk before this returns.
pub fn record_verdict(s: &Session, round: Id, org: &str, item: &str, verdict: Option<Verdict>, note: &str) -> Result<ItemResult> {
    let (_, template, start) = editable(s, round, org)?;
    let it = template.item(item).ok_or_else(|| invalid(K::ItemNotFound, &[&template.id, &item]))?;
    let o = s.store.org(org)?.ok_or_else(|| invalid(K::OrgNotFound, &[&org]))?;
    if !it.applies_to(o.field) {
        let field = o.field.map_or("-", |f| f.label());
        return Err(invalid(K::ItemNotForField, &[&item, &field]));
    }
    let result = ItemResult {
        round,
        org: org.to_string(),
        item: item.to_string(),
        verdict,
        note: note.trim_end().to_string(),
        by: s.actor.clone(),
        at: chrono::Utc::now(),
    };
    let mut writes: Vec<Write> = start.into_iter().collect();
    writes.push(Write::put(&result));
    let detail = json!({ "round": round.to_string(), "org": org, "item": item });
    s.store.commit(&s.actor, Commit::new("visit.verdict", detail, writes))?;
    Ok(result)
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
    let (mut visit, template, _) = editable(s, round, org)?;
    if !template.vetoes.iter().any(|v| v.id == veto) {
        return Err(invalid(K::VetoUnknown, &[&veto]));
    }
    visit.vetoes.retain(|m| m.id != veto);
    if let Some(reason) = reason {
        if reason.trim().is_empty() {
            return Err(invalid(K::ReasonEmpty, &[]));
        }
        visit.vetoes.push(VetoMark { id: veto.to_string(), reason: reason.trim().to_string() });
    }
    commit(s, "visit.veto", round, org, vec![Write::put(&visit)])?;
    Ok(visit)
}

/// The applicable items without a verdict, in template order.
pub fn unanswered(s: &Session, round: Id, org: &str) -> Result<Vec<String>> {
    let r = rounds::get(s, round)?;
    let template = rounds::template_of(&s.store, &r)?;
    let d = rounds::visit_data(&s.store, round, org)?;
    Ok(template.items().filter(|(_, i)| i.applies_to(d.org.field) && !d.verdicts.contains_key(&i.id)).map(|(_, i)| i.id.clone()).collect())
}

/// Submits the visit for review; refused, with the list, while items are unanswered.
pub fn submit(s: &Session, round: Id, org: &str) -> Result<Visit> {
    let (visit, _, _) = editable(s, round, org)?;
    if !visit.status.can_move_to(VisitStatus::Submitted) {
        let name = s.store.org(org)?.map_or(org.to_string(), |o| o.name);
        return Err(invalid(K::VisitLocked, &[&name, &visit.status]));
    }
    let open = unanswered(s, round, org)?;
    if !open.is_empty() {
        return Err(ServiceError::Invalid(K::VisitUnanswered.fill(&[&open.len(), &open.join(", ")])));
    }
    let v = Visit { status: VisitStatus::Submitted, submitted_at: Some(chrono::Utc::now()), ..visit };
    commit(s, "visit.submit", round, org, vec![Write::put(&v)])?;
    Ok(v)
}
