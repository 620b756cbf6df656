//! Rounds (督查批次): which template, which organisations, which quarter.

use super::{Result, Session, invalid, templates};
use crate::domain::{Id, Quarter, Round, Scope, Visit, VisitStatus};
use crate::i18n::K;
use crate::store::{Commit, Write};
use crate::template::Loaded;
use serde_json::json;

/// Starts a round over `orgs` with a snapshot of `template`: the round and one 未开始 visit per
/// organisation.
pub fn create(s: &Session, title: &str, quarter: Quarter, template: &Loaded, scope: Scope, orgs: Vec<String>) -> Result<Round> {
    if orgs.is_empty() {
        return Err(invalid(K::RoundNoOrgs, &[]));
    }
    for code in &orgs {
        if s.store.org(code)?.is_none() {
            return Err(invalid(K::OrgNotFound, &[code]));
        }
    }
    let hash = templates::snapshot(s, template)?;
    let round = Round {
        id: Id::new(),
        title: title.to_string(),
        quarter,
        template_id: template.template.id.clone(),
        template_hash: hash,
        scope,
        org_count: orgs.len(),
        created_by: s.actor.clone(),
        created_at: chrono::Utc::now(),
    };
    let detail = json!({ "round": round.id.to_string(), "orgs": round.org_count });
    let mut writes = vec![Write::put(&round)];
    for org in orgs {
        writes.push(Write::put(&Visit {
            round: round.id,
            org,
            status: VisitStatus::NotStarted,
            inspector: String::new(),
            started_at: None,
        }));
    }
    s.store.commit_in_parts(&s.actor, Commit::new("round.create", detail, writes))?;
    Ok(round)
}

pub fn get(s: &Session, id: Id) -> Result<Round> {
    s.store.round(id)?.ok_or_else(|| invalid(K::RoundNotFound, &[&id]))
}
