//! Visits and item verdicts: the inspector's walk through the checklist.

use super::{Result, Session, invalid, rounds};
use crate::domain::vocab::Vocab;
use crate::domain::{Id, ItemResult, Verdict, Visit, VisitStatus};
use crate::i18n::K;
use crate::store::{Commit, Write};
use serde_json::json;

/// Records (or clears, with None) the verdict and note of one item. Starts the visit if it has
/// not started. The change is flushed to disk before this returns.
pub fn record_verdict(s: &Session, round: Id, org: &str, item: &str, verdict: Option<Verdict>, note: &str) -> Result<ItemResult> {
    let r = rounds::get(s, round)?;
    let visit = s.store.visit(round, org)?.ok_or_else(|| invalid(K::OrgNotInRound, &[&org, &round]))?;
    let snap = s.store.template(&r.template_hash)?.ok_or_else(|| invalid(K::SnapshotMissing, &[&r.template_hash]))?;
    let it = snap.template.item(item).ok_or_else(|| invalid(K::ItemNotFound, &[&r.template_id, &item]))?;
    let o = s.store.org(org)?.ok_or_else(|| invalid(K::OrgNotFound, &[&org]))?;
    if !it.applies_to(o.field) {
        let field = o.field.map_or("-", |f| f.label());
        return Err(invalid(K::ItemNotForField, &[&item, &field]));
    }
    let now = chrono::Utc::now();
    let mut writes = Vec::new();
    match visit.status {
        VisitStatus::Submitted | VisitStatus::Approved => return Err(invalid(K::VisitLocked, &[&o.name, &visit.status])),
        VisitStatus::NotStarted => {
            writes.push(Write::put(&Visit { status: VisitStatus::InProgress, inspector: s.actor.clone(), started_at: Some(now), ..visit }))
        }
        VisitStatus::InProgress | VisitStatus::Returned => {}
    }
    let result =
        ItemResult { round, org: org.to_string(), item: item.to_string(), verdict, note: note.to_string(), by: s.actor.clone(), at: now };
    writes.push(Write::put(&result));
    let detail = json!({ "round": round.to_string(), "org": org, "item": item });
    s.store.commit(&s.actor, Commit::new("visit.verdict", detail, writes))?;
    Ok(result)
}
