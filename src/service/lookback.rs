//! Look-back rounds (回头看): made over the organisations that had problems in an earlier round;
//! each visit marks every earlier problem 已巩固, 反弹 or 未整改到位 (`domain::lookback`). A 反弹
//! at once opens a new finding of the visit that repeats the earlier one (the inspector completes
//! it like any other; review numbers it). When the visit is approved, every earlier problem's
//! history gets what was found; 未整改到位 reopens a problem reported done (退回重改), naming the
//! step that reported it.

use super::{Result, Session, invalid, rounds};
use crate::domain::lookback::{self, Mark, Recheck, Rechecked};
use crate::domain::vocab::Vocab;
use crate::domain::{Finding, Id, Quarter, RectStatus, RectType, RectUpdate, Round, Scope, Visit};
use crate::i18n::K;
use crate::store::{Commit, Write};
use serde_json::json;

/// Days a relapsed problem is given by default (the inspector sets the real deadline).
const RELAPSE_DAYS: i64 = 30;

/// Starts a look-back at `earlier`: one visit per organisation with an approved problem there,
/// with the earlier round's template. Refused when the earlier round has none, or is itself a
/// look-back.
pub fn create(s: &Session, title: &str, quarter: Quarter, earlier: &Round) -> Result<Round> {
    if earlier.revisits().is_some() {
        return Err(invalid(K::LookbackOfLookback, &[&earlier.title]));
    }
    let mut orgs: Vec<String> = Vec::new();
    for f in s.store.findings()? {
        if f.round == earlier.id && lookback::revisitable(&f) && !orgs.contains(&f.org) {
            orgs.push(f.org);
        }
    }
    if orgs.is_empty() {
        return Err(invalid(K::LookbackNone, &[&earlier.title]));
    }
    // One look-back of a round a quarter: a second would split the visits and count twice.
    if let Some(r) = s.store.rounds()?.into_iter().find(|r| r.quarter == quarter && r.revisits() == Some(earlier.id)) {
        return Err(invalid(K::LookbackExists, &[&r.title, &earlier.title]));
    }
    // In the order the earlier round walked them.
    let order: Vec<String> = s.store.visits(earlier.id)?.into_iter().map(|v| v.org).collect();
    orgs.sort_by_key(|c| order.iter().position(|o| o == c).unwrap_or(usize::MAX));
    rounds::create_on(s, title, quarter, &earlier.template_id, &earlier.template_hash, Scope::Revisit { round: earlier.id }, orgs)
}

/// One earlier problem of a look-back visit, with what the visit found of it so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Earlier {
    pub finding: Finding,
    pub recheck: Option<Recheck>,
}

/// The earlier problems a look-back visit checks, in number order; empty for another round.
pub fn earlier(s: &Session, round: &Round, org: &str) -> Result<Vec<Earlier>> {
    let Some(of) = round.revisits() else { return Ok(Vec::new()) };
    let visit = s.store.visit(round.id, org)?;
    let marks = visit.map(|v| v.rechecks).unwrap_or_default();
    let mut out: Vec<Earlier> = s
        .store
        .visit_findings(of, org)?
        .into_iter()
        .filter(lookback::revisitable)
        .map(|f| Earlier { recheck: marks.iter().find(|r| r.finding == f.id).cloned(), finding: f })
        .collect();
    out.sort_by(|a, b| a.finding.number.cmp(&b.finding.number));
    Ok(out)
}

/// Marks one earlier problem (None clears the mark). 反弹 opens a new finding of this visit that
/// repeats it, returned so the screen can open it for the inspector to complete; leaving 反弹
/// withdraws that finding again.
pub fn mark(s: &Session, round: Id, org: &str, finding: Id, mark: Option<Mark>, note: &str) -> Result<Option<Finding>> {
    let r = rounds::get(s, round)?;
    if r.revisits().is_none() {
        return Err(invalid(K::LookbackNotOne, &[&r.title]));
    }
    super::visits::check_len(K::ColNote.text(), note, crate::domain::limits::TEXT_CHARS)?;
    let (visit, _, start) = super::visits::editable(s, round, org)?;
    let earlier = earlier(s, &r, org)?;
    let Some(e) = earlier.into_iter().find(|e| e.finding.id == finding) else {
        let number = s.store.finding(finding)?.and_then(|f| f.number).unwrap_or_else(|| finding.to_string());
        let name = s.store.org(org)?.map_or_else(|| org.to_string(), |o| o.name);
        return Err(invalid(K::LookbackNotEarlier, &[&number, &name]));
    };
    // Held and came back are said of a problem that was fixed: one never reported done is still
    // to fix, whatever the look-back finds.
    if matches!(mark, Some(Mark::Held | Mark::Relapsed)) && !lookback::reported_done(&e.finding) {
        return Err(invalid(K::LookbackNotFixed, &[&e.finding.number.clone().unwrap_or_default(), &e.finding.status.label()]));
    }
    let mut writes: Vec<Write> = start.into_iter().collect();
    let old = e.recheck.clone();
    let mut relapse = old.as_ref().and_then(|o| o.relapse);
    let mut opened = None;
    // A 反弹 left: its new finding goes (withdrawn, before review ever saw it as official).
    if mark != Some(Mark::Relapsed)
        && let Some(id) = relapse.take()
        && let Some(f) = s.store.finding(id)?
        && f.status != RectStatus::Withdrawn
    {
        writes.push(Write::put(&Finding { status: RectStatus::Withdrawn, review_comment: K::RelapseWithdrawn.text().to_string(), ..f }));
    }
    if mark == Some(Mark::Relapsed) && relapse.is_none() {
        let f = relapse_of(s, &e.finding, round, note);
        relapse = Some(f.id);
        writes.push(Write::put(&f));
        opened = Some(f);
    }
    let mut rechecks: Vec<Recheck> = visit.rechecks.iter().filter(|x| x.finding != finding).cloned().collect();
    if let Some(m) = mark {
        rechecks.push(Recheck {
            finding,
            number: e.finding.number.clone().unwrap_or_default(),
            mark: m,
            note: note.trim().to_string(),
            relapse,
            by: s.actor.clone(),
            at: s.now(),
        });
    }
    rechecks.sort_by(|a, b| a.number.cmp(&b.number));
    writes.push(Write::put(&Visit { rechecks, ..visit }));
    let detail = json!({ "round": round.to_string(), "org": org, "finding": e.finding.number, "mark": mark.map(|m| m.zh()) });
    s.commit(Commit::new("visit.recheck", detail, writes))?;
    Ok(opened)
}

/// The new finding a 反弹 opens: the earlier problem's item, severity and people, pending
/// review, a repeat of it.
fn relapse_of(s: &Session, earlier: &Finding, round: Id, note: &str) -> Finding {
    let number = earlier.number.clone().unwrap_or_default();
    let seen = if note.trim().is_empty() { earlier.description.trim().to_string() } else { note.trim().to_string() };
    let today = s.today();
    Finding {
        id: Id::new(),
        round,
        org: earlier.org.clone(),
        item: earlier.item.clone(),
        description: K::RelapseDescription.fill(&[&number, &seen]),
        severity: earlier.severity,
        evidence: Vec::new(),
        rect_type: if earlier.rect_type == RectType::LongTerm { RectType::LongTerm } else { RectType::ByDeadline },
        requirement: earlier.requirement.clone(),
        responsible_unit: earlier.responsible_unit.clone(),
        responsible_person: earlier.responsible_person.clone(),
        deadline: (earlier.rect_type != RectType::LongTerm).then(|| today + chrono::Duration::days(RELAPSE_DAYS)),
        status: RectStatus::Pending,
        number: None,
        approved_on: None,
        created_by: s.actor.clone(),
        created_at: s.now(),
        review: crate::domain::Review::Pending,
        review_comment: String::new(),
        corrected_by: None,
        repeat_of: Some(if number.is_empty() { earlier.id.to_string() } else { number }),
        rect: Default::default(),
        attachments: vec![],
    }
}

/// The numbers of the earlier problems a look-back visit has not marked yet.
pub fn unmarked(s: &Session, round: &Round, org: &str) -> Result<Vec<String>> {
    Ok(earlier(s, round, org)?.into_iter().filter(|e| e.recheck.is_none()).filter_map(|e| e.finding.number).collect())
}

/// What approving a look-back visit writes in the earlier problems' histories (by the reviewer
/// approving it, today).
pub(super) fn on_approval(s: &Session, round: &Round, visit: &Visit) -> Result<Vec<Write>> {
    if round.revisits().is_none() {
        return Ok(Vec::new());
    }
    let today = s.today();
    let mut writes = Vec::new();
    for r in &visit.rechecks {
        // A problem withdrawn since it was marked has no rectification to write into.
        let Some(f) = s.store.finding(r.finding)?.filter(lookback::revisitable) else { continue };
        let mut g = f.clone();
        let mut seen = Rechecked { round: round.id, mark: r.mark, flags_on: None, flags_by: String::new(), relapse: r.relapse };
        let mut to = f.status;
        if r.mark == Mark::NotDone && lookback::reported_done(&f) {
            if let Some(c) = lookback::claim(&f) {
                seen.flags_on = Some(c.on);
                seen.flags_by = c.by.clone();
            }
            to = RectStatus::Rejected;
            g.rect.closed_on = None;
            g.rect.accepted_on = None;
        }
        g.status = to;
        g.rect.updates.push(RectUpdate {
            on: today,
            by: s.actor.clone(),
            from: f.status,
            to,
            note: r.note.clone(),
            evidence: String::new(),
            deadline_from: None,
            deadline_to: None,
            attachments: vec![],
            notice: None,
            recheck: Some(seen),
        });
        writes.push(Write::put(&g));
    }
    Ok(writes)
}
