//! What a data folder holds, at a glance.

use crate::store::Table;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub orgs: usize,
    pub template_snapshots: usize,
    pub rounds: usize,
    pub findings: usize,
    pub audit_entries: usize,
}

pub fn status(session: &super::Session) -> Status {
    let store = &session.store;
    Status {
        orgs: store.count(Table::Orgs),
        template_snapshots: store.count(Table::Templates),
        rounds: store.count(Table::Rounds),
        findings: store.count(Table::Findings),
        audit_entries: store.count(Table::Audit),
    }
}
