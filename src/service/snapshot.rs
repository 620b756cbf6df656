//! The session as the reports' read snapshot.

use super::{Result, Session, rounds};
use crate::domain::{Finding, Id, ItemResult, Org, Round, Template, Visit};
use crate::report::Snapshot;

impl Snapshot for Session {
    fn org(&self, code: &str) -> Result<Option<Org>> {
        Session::org(self, code)
    }
    fn orgs(&self) -> Result<Vec<Org>> {
        Session::orgs(self)
    }
    fn finding(&self, id: Id) -> Result<Option<Finding>> {
        Session::finding(self, id)
    }
    fn visit_summaries(&self, round: Id) -> Result<Vec<super::summary::VisitSummary>> {
        Session::visit_summaries(self, round)
    }
    fn rounds(&self) -> Result<Vec<Round>> {
        Session::rounds(self)
    }
    fn visits(&self, round: Id) -> Result<Vec<Visit>> {
        Session::visits(self, round)
    }
    fn visit(&self, round: Id, org: &str) -> Result<Option<Visit>> {
        Session::visit(self, round, org)
    }
    fn result(&self, round: Id, org: &str, item: &str) -> Result<Option<ItemResult>> {
        Session::result(self, round, org, item)
    }
    fn findings(&self) -> Result<Vec<Finding>> {
        Session::findings(self)
    }
    fn visit_data(&self, round: Id, org: &str) -> Result<rounds::VisitData> {
        rounds::visit_data(self, round, org)
    }
    fn template_of(&self, round: &Round) -> Result<Template> {
        rounds::template_of(self, round)
    }
    fn audit_head(&self) -> Result<(u64, String)> {
        Session::audit_head(self)
    }
}
