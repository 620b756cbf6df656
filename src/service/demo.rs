//! Demo data: a generated organisation tree in an empty data folder.

use super::{Result, Session, invalid};
use crate::demo::{MAX_ORGS, MIN_ORGS, generate};
use crate::i18n::K;
use crate::store::{Commit, Table, Write};
use serde_json::json;

/// Fills an empty data folder with `n` generated organisations, parents before children. The
/// audit records the count and seed (enough to make the same data again) and each record's hash,
/// not its value. All or nothing: a kill midway leaves the empty folder (see `Store::fill_empty`).
pub fn fill(s: &Session, n: usize, seed: u64) -> Result<usize> {
    if !(MIN_ORGS..=MAX_ORGS).contains(&n) {
        return Err(invalid(K::DemoRange, &[]));
    }
    if s.store.count(Table::Orgs) > 0 {
        return Err(invalid(K::DemoNotEmpty, &[]));
    }
    let writes = generate(n, seed).iter().map(Write::put).collect();
    let mut commit = Commit::new("demo.fill", json!({ "orgs": n, "seed": seed }), writes);
    commit.record_values = false;
    s.fill_empty(commit)
}
