//! The supervisor's review: which findings become official. Approval numbers each finding
//! (2026Q4-0001, per quarter, in the approving store, never reused) and marks repeats.

use super::{Result, ServiceError, Session, invalid, rounds};
use crate::domain::vocab::Vocab;
use crate::domain::{Finding, Id, Quarter, RectStatus, Review, Round, Visit, VisitStatus};
use crate::i18n::K;
use crate::store::{Commit, Counter, Store, Write};
use chrono::{DateTime, Utc};
use serde_json::json;

/// How a visit is named on the command line: the round's short id and the organisation code.
pub fn visit_ref(round: &Round, org: &str) -> String {
    format!("{}:{}", round.id.short(), org)
}

/// Parses `ROUND:ORG` (the round's full or short id).
pub fn parse_visit_ref(session: &Session, text: &str) -> Result<(Round, String)> {
    let store = &session.store;
    let (r, org) = text.split_once(':').ok_or_else(|| invalid(K::VisitRefBad, &[&text]))?;
    let round = rounds::find(session, r).map_err(|_| invalid(K::VisitRefBad, &[&text]))?;
    if store.visit(round.id, org)?.is_none() {
        return Err(invalid(K::OrgNotInRound, &[&org, &round.id]));
    }
    Ok((round, org.to_string()))
}

/// One submitted visit waiting for review.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub round: Round,
    pub row: rounds::OrgRow,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// Submitted visits, oldest submission first, optionally of one round.
pub fn queue(session: &Session, round: Option<Id>, today: chrono::NaiveDate) -> Result<Vec<QueueRow>> {
    let store = &session.store;
    let mut out = Vec::new();
    let submitted_at = VisitStatus::ALL.iter().position(|s| *s == VisitStatus::Submitted).unwrap_or_default();
    for r in store.rounds()?.into_iter().filter(|r| round.is_none_or(|id| r.id == id)) {
        // The round's summary says whether any visit waits: most rounds are read no further.
        if session.round_summary(r.id)?.by_status.get(submitted_at).copied().unwrap_or(0) == 0 {
            continue;
        }
        let template = rounds::template_of(session, &r)?;
        for v in store.visits(r.id)?.into_iter().filter(|v| v.status == VisitStatus::Submitted) {
            let d = rounds::visit_data(session, r.id, &v.org)?;
            let score = rounds::score_of(&template, &d, today);
            let score = if r.revisits().is_some() { rounds::ungraded(score) } else { score };
            let row = rounds::OrgRow {
                area: super::orgs::area_path(session, &v.org)?,
                findings: d.findings.len(),
                score,
                org: d.org,
                visit: d.visit,
            };
            out.push(QueueRow { round: r.clone(), submitted_at: v.submitted_at, row });
        }
    }
    out.sort_by_key(|q| q.submitted_at);
    Ok(out)
}

fn submitted(s: &Session, round: Id, org: &str) -> Result<Visit> {
    let v = s.store.visit(round, org)?.ok_or_else(|| invalid(K::OrgNotInRound, &[&org, &round]))?;
    if v.status != VisitStatus::Submitted {
        let name = s.store.org(org)?.map_or_else(|| org.to_string(), |o| o.name);
        return Err(invalid(K::NotSubmitted, &[&name, &v.status]));
    }
    Ok(v)
}

/// A submitted visit that this person may review: a reviewer (in a team), and never its own
/// inspector (alone too).
fn reviewable(s: &Session, round: Id, org: &str) -> Result<Visit> {
    super::team::require(s, super::team::Act::Review)?;
    let v = submitted(s, round, org)?;
    if !v.inspector.is_empty() && v.inspector == s.actor {
        return Err(invalid(K::RuleSelfReview, &[&v.inspector]));
    }
    Ok(v)
}

fn finding(s: &Session, id: Id) -> Result<Finding> {
    s.store.finding(id)?.ok_or_else(|| invalid(K::FindingNotFound, &[&id]))
}

/// Marks one finding approved, or returned with a comment, while its visit is under review.
pub fn decide(s: &Session, id: Id, decision: Review, comment: &str) -> Result<Finding> {
    let f = finding(s, id)?;
    submitted(s, f.round, &f.org)?;
    if decision == Review::Returned && comment.trim().is_empty() {
        return Err(invalid(K::CommentEmpty, &[]));
    }
    let f = Finding { review: decision, review_comment: comment.trim().to_string(), ..f };
    let detail = json!({ "round": f.round.to_string(), "org": f.org, "finding": f.id.to_string(), "review": decision.zh() });
    s.commit(Commit::new("review.finding", detail, vec![Write::put(&f)]))?;
    Ok(f)
}

/// A supervisor's correction of severity, deadline or wording during review, recorded as theirs.
pub fn correct(s: &Session, input: &super::findings::FindingInput) -> Result<Finding> {
    let id = input.id.ok_or_else(|| invalid(K::FindingNotFound, &[&"-"]))?;
    let f = finding(s, id)?;
    submitted(s, f.round, &f.org)?;
    let today = s.today();
    let (severity, rect_type, deadline) = super::findings::validate(input, today)
        .map_err(|errs| ServiceError::Invalid(errs.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("；")))?;
    let f = Finding {
        description: input.description.trim().to_string(),
        severity,
        rect_type,
        deadline,
        requirement: input.requirement.trim().to_string(),
        responsible_person: input.responsible_person.trim().to_string(),
        evidence: super::findings::split_evidence(&input.evidence),
        corrected_by: Some(s.actor.clone()),
        ..f
    };
    let detail = json!({ "round": f.round.to_string(), "org": f.org, "finding": f.id.to_string() });
    s.commit(Commit::new("review.correct", detail, vec![Write::put(&f)]))?;
    Ok(f)
}

/// The earlier problem `item` repeats at `org`: the newest earlier round in which the
/// organisation answered that item 不符合 or 部分符合 in an approved visit
/// (`figures::is_repeat_source`, the bulletin's rule too). Its finding's number (or short id), or the round's id.
pub fn repeat_of(session: &Session, round: &Round, org: &str, item: &str) -> Result<Option<String>> {
    let store = &session.store;
    // Earlier means an earlier quarter, whenever the rounds were entered: a round typed in late
    // for last quarter is still last quarter's. A look-back's checklist is optional and judges
    // no one: its verdicts make no repeat (as the bulletin counts, report::bulletin::quarter).
    let mut earlier: Vec<Round> = store.rounds()?.into_iter().filter(|r| r.quarter < round.quarter && r.revisits().is_none()).collect();
    earlier.sort_by_key(|r| std::cmp::Reverse((r.quarter, r.id)));
    for r in earlier {
        // Only an approved visit is on the record: a returned or unreviewed one makes no repeat.
        let approved = store.visit(r.id, org)?.is_some_and(|v| v.status == VisitStatus::Approved);
        let failed =
            approved && store.result(r.id, org, item)?.and_then(|res| res.verdict).is_some_and(crate::domain::figures::is_repeat_source);
        if failed {
            let prior = store.visit_findings(r.id, org)?.into_iter().find(|f| f.item.as_deref() == Some(item));
            return Ok(Some(match prior {
                Some(f) => f.number.unwrap_or_else(|| f.id.short()),
                None => format!("{} {}", r.quarter, r.id.short()),
            }));
        }
    }
    Ok(None)
}

/// The next `n` problem numbers of `quarter`, and the counter record that reserves them.
fn numbers(store: &Store, quarter: Quarter, n: usize) -> Result<(Vec<String>, Counter)> {
    let name = quarter.to_string();
    let last = store.counter(&name)?;
    let numbers = (1..=n as u64).map(|i| format!("{name}-{:04}", last + i)).collect();
    Ok((numbers, Counter { name, value: last + n as u64 }))
}

/// Approves a submitted visit as a whole: every finding not withdrawn gets its number (once),
/// repeats are marked, and the visit becomes 已通过. Refused while a finding is marked returned.
pub fn approve(s: &Session, round: Id, org: &str) -> Result<Vec<Finding>> {
    let visit = reviewable(s, round, org)?;
    let r = rounds::get(s, round)?;
    let findings = s.store.visit_findings(round, org)?;
    let returned = findings.iter().filter(|f| f.review == Review::Returned).count();
    if returned > 0 {
        return Err(invalid(K::FindingsReturned, &[&returned]));
    }
    // The same checks as at submission: no deduction reaches a score without a problem on the
    // list, and no visit is official without its arrival.
    let gaps = super::visits::gaps(s, round, org)?;
    if !gaps.is_empty() {
        let name = s.store.org(org)?.map_or(org.to_string(), |o| o.name);
        return Err(invalid(K::ApproveRefused, &[&name, &super::visits::describe_gaps(&gaps)]));
    }
    let to_number: Vec<&Finding> = findings.iter().filter(|f| f.number.is_none() && f.status != RectStatus::Withdrawn).collect();
    if !to_number.is_empty() {
        super::team::require_numbering(s)?;
    }
    let (nums, counter) = numbers(&s.store, r.quarter, to_number.len())?;
    let mut writes = Vec::new();
    let mut out = Vec::new();
    let mut next = nums.into_iter();
    for f in &findings {
        let mut f = f.clone();
        f.review = Review::Approved;
        if f.number.is_none() && f.status != RectStatus::Withdrawn {
            f.number = next.next();
            f.approved_on = Some(s.today());
            // A look-back's 反弹 names the problem it repeats already.
            if f.repeat_of.is_none()
                && let Some(item) = f.item.clone()
            {
                f.repeat_of = repeat_of(s, &r, org, &item)?;
            }
        }
        writes.push(Write::put(&f));
        out.push(f);
    }
    if !to_number.is_empty() {
        writes.push(Write::put(&counter));
    }
    // A look-back's marks go into the earlier problems' histories.
    writes.extend(super::lookback::on_approval(s, &r, &visit)?);
    writes.push(Write::put(&Visit { status: VisitStatus::Approved, reviewed_by: Some(s.actor.clone()), ..visit }));
    let detail =
        json!({ "round": round.to_string(), "org": org, "numbers": out.iter().filter_map(|f| f.number.clone()).collect::<Vec<_>>() });
    s.commit(Commit::new("review.approve", detail, writes))?;
    Ok(out)
}

/// Returns a submitted visit to the inspector with a comment (the findings keep theirs).
pub fn return_visit(s: &Session, round: Id, org: &str, comment: &str) -> Result<Visit> {
    let visit = reviewable(s, round, org)?;
    let has_finding_comments = s.store.visit_findings(round, org)?.iter().any(|f| f.review == Review::Returned);
    if comment.trim().is_empty() && !has_finding_comments {
        return Err(invalid(K::CommentEmpty, &[]));
    }
    let v =
        Visit { status: VisitStatus::Returned, return_comment: comment.trim().to_string(), reviewed_by: Some(s.actor.clone()), ..visit };
    let detail = json!({ "round": round.to_string(), "org": org, "comment": v.return_comment });
    s.commit(Commit::new("review.return", detail, vec![Write::put(&v)]))?;
    Ok(v)
}

/// Withdraws an approved finding: it keeps its number and is marked 已撤销, never deleted.
pub fn withdraw(s: &Session, id: Id, reason: &str) -> Result<Finding> {
    let f = finding(s, id)?;
    if f.number.is_none() {
        return Err(invalid(K::NotApproved, &[]));
    }
    if reason.trim().is_empty() {
        return Err(invalid(K::ReasonEmpty, &[]));
    }
    let f = Finding { status: RectStatus::Withdrawn, review_comment: reason.trim().to_string(), ..f };
    let detail =
        json!({ "round": f.round.to_string(), "org": f.org, "finding": f.id.to_string(), "number": f.number, "reason": reason.trim() });
    s.commit(Commit::new("finding.withdraw", detail, vec![Write::put(&f)]))?;
    Ok(f)
}
