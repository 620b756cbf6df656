//! Rounds (督查批次): which template, which organisations, which quarter; and the views of a
//! round the dashboard and `round show` need.

use super::{Result, Session, invalid, orgs, templates};
use crate::domain::scoring::{self, Score};
use crate::domain::{Field, Finding, Id, Level, Org, Quarter, Round, Scope, Template, Verdict, Visit};
use crate::i18n::K;
use crate::store::{Commit, Write};
use crate::template::Loaded;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use serde_json::json;
use std::collections::HashMap;

/// The organisations a round inspects: Party organisations, not areas or units.
pub fn inspectable(level: Level) -> bool {
    matches!(level, Level::Committee | Level::GeneralBranch | Level::Branch)
}

/// The codes a scope covers, in tree order. A sample is drawn reproducibly from `seed`.
pub fn select(session: &Session, scope: &Scope, template: &Template) -> Result<Vec<String>> {
    let pool = |under: Option<&str>, field: Option<Field>| -> Result<Vec<String>> {
        Ok(orgs::list(session, under)?
            .into_iter()
            .map(|l| l.org)
            .filter(|o| inspectable(o.level))
            .filter(|o| field.is_none() || o.field == field)
            .filter(|o| template.fields.is_empty() || o.field.is_some_and(|f| template.fields.contains(&f)))
            .map(|o| o.code)
            .collect())
    };
    let codes = match scope {
        Scope::Subtree { under, field } => pool(Some(under), *field)?,
        Scope::Sample { under, field, rate, seed } => {
            if !(*rate > 0.0 && *rate <= 1.0) {
                return Err(invalid(K::SampleRate, &[]));
            }
            let mut all = pool(under.as_deref(), *field)?;
            let n = ((all.len() as f64 * rate).ceil() as usize).min(all.len());
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(*seed);
            all.shuffle(&mut rng);
            all.truncate(n);
            // Back in tree order, as people expect to walk them.
            let order: HashMap<String, usize> = pool(under.as_deref(), *field)?.into_iter().enumerate().map(|(i, c)| (c, i)).collect();
            all.sort_by_key(|c| order.get(c).copied().unwrap_or(usize::MAX));
            all
        }
        // A look-back's organisations come from the round it looks back at (service::lookback).
        Scope::List | Scope::Revisit { .. } => Vec::new(),
    };
    if codes.is_empty() {
        return Err(invalid(K::RoundNoneInScope, &[]));
    }
    Ok(codes)
}

/// Starts a round over the organisations of `scope` (or `list` for `Scope::List`).
pub fn create(s: &Session, title: &str, quarter: Quarter, template: &Loaded, scope: Scope, list: Vec<String>) -> Result<Round> {
    let orgs = if matches!(scope, Scope::List | Scope::Revisit { .. }) { list } else { select(s, &scope, &template.template)? };
    // Checked before the template is kept, so a refused round writes nothing.
    check_new(s, title, &orgs)?;
    let hash = templates::snapshot(s, template)?;
    create_on(s, title, quarter, &template.template.id, &hash, scope, orgs)
}

/// A round needs a title and organisations that exist.
fn check_new(s: &Session, title: &str, orgs: &[String]) -> Result<()> {
    if title.trim().is_empty() {
        return Err(invalid(K::TitleEmpty, &[]));
    }
    if orgs.is_empty() {
        return Err(invalid(K::RoundNoOrgs, &[]));
    }
    for code in orgs {
        if s.store.org(code)?.is_none() {
            return Err(invalid(K::OrgNotFound, &[code]));
        }
    }
    Ok(())
}

/// Starts a round over `orgs` with the template snapshot `hash` (already stored): the round and
/// one 未开始 visit per organisation.
pub(super) fn create_on(
    s: &Session,
    title: &str,
    quarter: Quarter,
    template_id: &str,
    hash: &str,
    scope: Scope,
    orgs: Vec<String>,
) -> Result<Round> {
    check_new(s, title, &orgs)?;
    let round = Round {
        id: Id::new(),
        title: title.trim().to_string(),
        quarter,
        template_id: template_id.to_string(),
        template_hash: hash.to_string(),
        scope,
        org_count: orgs.len(),
        created_by: s.actor.clone(),
        created_at: s.now(),
    };
    let detail = json!({ "round": round.id.to_string(), "orgs": round.org_count });
    let mut writes = vec![Write::put(&round)];
    for org in orgs {
        writes.push(Write::put(&Visit::new(round.id, &org)));
    }
    s.commit_in_parts(Commit::new("round.create", detail, writes))?;
    Ok(round)
}

/// A round by its id, or by the short id shown on screen.
pub fn find(session: &Session, id: &str) -> Result<Round> {
    let store = &session.store;
    let id = id.trim();
    if let Ok(full) = id.parse::<Id>() {
        return store.round(full)?.ok_or_else(|| invalid(K::RoundNotFound, &[&id]));
    }
    let matches: Vec<Round> = store.rounds()?.into_iter().filter(|r| r.id.matches(id)).collect();
    match <[Round; 1]>::try_from(matches) {
        Ok([r]) => Ok(r),
        Err(_) => Err(invalid(K::RoundNotFound, &[&id])),
    }
}

pub fn get(s: &Session, id: Id) -> Result<Round> {
    s.store.round(id)?.ok_or_else(|| invalid(K::RoundNotFound, &[&id]))
}

/// One organisation's line on the dashboard.
#[derive(Debug, Clone)]
pub struct OrgRow {
    pub org: Org,
    pub area: String,
    pub visit: Visit,
    pub findings: usize,
    pub score: Score,
}

/// What a visit's score is computed from, read from the store.
pub struct VisitData {
    pub org: Org,
    pub visit: Visit,
    pub verdicts: HashMap<String, Verdict>,
    /// Occurrences counted on per-occurrence items.
    pub counts: HashMap<String, u32>,
    /// Items with a note, whatever their verdict.
    pub notes: HashMap<String, String>,
    pub findings: Vec<Finding>,
}

pub fn visit_data(session: &Session, round: Id, org: &str) -> Result<VisitData> {
    let store = &session.store;
    let o = store.org(org)?.ok_or_else(|| invalid(K::OrgNotFound, &[&org]))?;
    let visit = store.visit(round, org)?.ok_or_else(|| invalid(K::OrgNotInRound, &[&org, &round]))?;
    let mut verdicts = HashMap::new();
    let mut notes = HashMap::new();
    let mut counts = HashMap::new();
    for r in store.results(round, org)? {
        if let Some(n) = r.count {
            counts.insert(r.item.clone(), n);
        }
        if let Some(v) = r.verdict {
            verdicts.insert(r.item.clone(), v);
        }
        if !r.note.trim().is_empty() {
            notes.insert(r.item, r.note);
        }
    }
    let findings = store.visit_findings(round, org)?;
    Ok(VisitData { org: o, visit, verdicts, counts, notes, findings })
}

/// A look-back visit's line: it checks earlier problems and grades no one, so it shows no score,
/// grade or warning (its checklist, used or not, is not a judgement of the organisation).
pub fn ungraded(s: Score) -> Score {
    Score { score: None, health: None, grade: None, warning: None, veto: false, ..s }
}

pub fn score_of(template: &Template, d: &VisitData, today: chrono::NaiveDate) -> Score {
    scoring::score(&scoring::Inputs {
        template,
        field: d.org.field,
        verdicts: &d.verdicts,
        counts: &d.counts,
        findings: &d.findings,
        vetoed: !d.visit.vetoes.is_empty(),
        today,
    })
}

/// The round's template snapshot.
pub fn template_of(session: &Session, round: &Round) -> Result<Template> {
    let store = &session.store;
    Ok(store.template(&round.template_hash)?.ok_or_else(|| invalid(K::SnapshotMissing, &[&round.template_hash]))?.template)
}

/// Every organisation of the round with progress, findings, score, grade and warning: read from
/// the visit summaries (no result is decoded), with each area's path worked out once.
pub fn overview(session: &Session, round: &Round, today: chrono::NaiveDate) -> Result<Vec<OrgRow>> {
    let store = &session.store;
    let summaries: HashMap<String, super::summary::VisitSummary> =
        session.visit_summaries(round.id)?.into_iter().map(|v| (v.org.clone(), v)).collect();
    let mut areas: HashMap<Option<String>, String> = HashMap::new();
    let mut rows = Vec::new();
    for v in store.visits(round.id)? {
        let Some(org) = store.org(&v.org)? else { continue };
        let area = match areas.get(&org.parent) {
            Some(a) => a.clone(),
            None => {
                let a = orgs::area_path(session, &v.org)?;
                areas.insert(org.parent.clone(), a.clone());
                a
            }
        };
        let (findings, score) = match summaries.get(&v.org) {
            Some(s) => (s.findings, s.score(today)),
            // Not summed yet (cannot happen after `visit_summaries`): computed from the records.
            None => {
                let d = visit_data(session, round.id, &v.org)?;
                (d.findings.len(), score_of(&template_of(session, round)?, &d, today))
            }
        };
        let score = if round.revisits().is_some() { ungraded(score) } else { score };
        rows.push(OrgRow { area, findings, score, org, visit: v });
    }
    Ok(rows)
}

/// A round's line on the home screen.
#[derive(Debug, Clone)]
pub struct RoundRow {
    pub round: Round,
    pub visits: usize,
    /// Visits by status, in `VisitStatus::ALL` order.
    pub by_status: Vec<usize>,
    pub answered: usize,
    pub applicable: usize,
}

pub fn list(session: &Session) -> Result<Vec<RoundRow>> {
    let store = &session.store;
    let mut rows = Vec::new();
    for round in store.rounds()? {
        let sum = session.round_summary(round.id)?;
        rows.push(RoundRow { visits: sum.visits, by_status: sum.by_status, answered: sum.answered, applicable: sum.applicable, round });
    }
    // Newest first: ids are time-ordered.
    rows.sort_by_key(|r| std::cmp::Reverse(r.round.id));
    Ok(rows)
}
