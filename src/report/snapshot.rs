//! What a report may read: a read-only view of the data that the service implements. Reports are
//! functions from a snapshot to rows and documents; they never see the store.

use crate::domain::{Finding, Id, ItemResult, Org, Round, Template, Visit};
use crate::service::Result;
use crate::service::rounds::VisitData;
use crate::service::summary::VisitSummary;

pub trait Snapshot {
    fn org(&self, code: &str) -> Result<Option<Org>>;
    /// Every organisation.
    fn orgs(&self) -> Result<Vec<Org>>;
    fn rounds(&self) -> Result<Vec<Round>>;
    fn visits(&self, round: Id) -> Result<Vec<Visit>>;
    fn visit(&self, round: Id, org: &str) -> Result<Option<Visit>>;
    fn result(&self, round: Id, org: &str, item: &str) -> Result<Option<ItemResult>>;
    fn findings(&self) -> Result<Vec<Finding>>;
    fn finding(&self, id: Id) -> Result<Option<Finding>>;
    /// A round's visit figures as the aggregates keep them (score, grade, warning, veto).
    fn visit_summaries(&self, round: Id) -> Result<Vec<VisitSummary>>;
    /// A visit with its results and findings.
    fn visit_data(&self, round: Id, org: &str) -> Result<VisitData>;
    /// The template snapshot a round was started with.
    fn template_of(&self, round: &Round) -> Result<Template>;
    /// The audit chain's head, printed on every document.
    fn audit_head(&self) -> Result<(u64, String)>;
}
