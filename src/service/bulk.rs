//! Decisions on many visits at once: approving every submitted visit of a round.
//!
//! Each visit goes through [`review::approve`], the same checks and the same single audited,
//! flushed commit as approving it alone, so a refusal of one visit (a finding marked returned,
//! an item without its finding) leaves it for the supervisor and does not stop the others, and an
//! interruption leaves every visit either approved whole or untouched.

use super::{Result, ServiceError, Session, review};
use crate::domain::{Finding, Id, VisitStatus};

/// What happened to one visit.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Approved: its findings, numbered (those withdrawn before approval keep no number).
    Approved { org: String, name: String, findings: Vec<Finding> },
    /// Left submitted; the reason is the one approving it alone gives.
    Refused { org: String, name: String, reason: String },
}

impl Outcome {
    pub fn is_approved(&self) -> bool {
        matches!(self, Outcome::Approved { .. })
    }
}

/// The submitted visits of `round`, oldest submission first (the order of `review list`, so the
/// problem numbers follow the queue).
pub fn submitted(s: &Session, round: Id) -> Result<Vec<String>> {
    let mut visits: Vec<_> = s.store.visits(round)?.into_iter().filter(|v| v.status == VisitStatus::Submitted).collect();
    visits.sort_by(|a, b| (a.submitted_at, &a.org).cmp(&(b.submitted_at, &b.org)));
    Ok(visits.into_iter().map(|v| v.org).collect())
}

/// Approves every submitted visit of `round` that can be approved, one commit each, calling `each`
/// with every outcome as it happens. A refused visit is reported and skipped; a failure of the
/// machine (disk, I/O) stops at once and is returned, with every visit before it approved.
pub fn approve_round(s: &Session, round: Id, each: &mut dyn FnMut(&Outcome)) -> Result<Vec<Outcome>> {
    let mut out = Vec::new();
    for org in submitted(s, round)? {
        let name = s.store.org(&org)?.map_or_else(|| org.clone(), |o| o.name);
        let outcome = match review::approve(s, round, &org) {
            Ok(findings) => Outcome::Approved { org, name, findings },
            Err(ServiceError::Invalid(reason)) => Outcome::Refused { org, name, reason },
            Err(e) => return Err(e),
        };
        each(&outcome);
        out.push(outcome);
    }
    Ok(out)
}
