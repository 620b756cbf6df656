//! Demo data: a generated organisation tree in an empty data folder, and optionally two used
//! rounds over it (last quarter's and this one's) with visits for a share of the organisations.

use super::{Result, Session, invalid, rectify, rounds};
use crate::demo::rounds::{Answered, Plan, StepInput, UsedRounds};
use crate::demo::{MAX_ORGS, MIN_ORGS, generate};
use crate::domain::{Finding, TemplateSnapshot, Visit};
use crate::i18n::K;
use crate::store::{Commit, Counter, Table, Write};
use crate::template::Loaded;
use serde_json::json;

/// Fills an empty data folder with `n` generated organisations, parents before children. The
/// audit records the count and seed (enough to make the same data again) and each record's hash,
/// not its value. All or nothing: a kill midway leaves the empty folder (see `Store::fill_empty`).
pub fn fill(s: &Session, n: usize, seed: u64) -> Result<usize> {
    fill_used(s, n, seed, 0.0, None).map(|f| f.orgs)
}

/// What a demo fill made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Filled {
    pub orgs: usize,
    pub rounds: usize,
    pub visits: usize,
    pub results: usize,
    pub findings: usize,
    pub approved: usize,
}

/// Writes in one commit of the answered visits (whole visits, so each commit leaves every visit
/// as an inspector could have left it).
const PART: usize = 10_000;

/// `fill`, and with `visited` > 0 two used rounds over every Party organisation with `template`
/// (last quarter's and this quarter's, so repeat problems exist): visits for that share of them
/// in each, with arrival facts, verdicts, findings, reviews, problem numbers and rectification
/// steps, made by `demo::rounds` at the session's clock.
///
/// The tree, the template snapshot, the rounds and their 未开始 visits are one fill of the empty
/// folder, all or nothing. The answered visits follow in audited commits of about 10,000 records,
/// each holding whole visits in approval order with the quarter's number counter, so a kill
/// midway leaves a true store in which fewer visits were done (and numbers without gaps).
pub fn fill_used(s: &Session, n: usize, seed: u64, visited: f64, template: Option<&Loaded>) -> Result<Filled> {
    if !(MIN_ORGS..=MAX_ORGS).contains(&n) {
        return Err(invalid(K::DemoRange, &[]));
    }
    if !(0.0..=1.0).contains(&visited) {
        return Err(invalid(K::DemoVisitedRange, &[]));
    }
    if s.store.count(Table::Orgs) > 0 {
        return Err(invalid(K::DemoNotEmpty, &[]));
    }
    let orgs = generate(n, seed);
    let mut filled = Filled { orgs: n, ..Default::default() };
    let template = template.filter(|_| visited > 0.0);
    let Some(loaded) = template else {
        let writes = orgs.iter().map(Write::put).collect();
        let mut commit = Commit::new("demo.fill", json!({ "orgs": n, "seed": seed }), writes);
        commit.record_values = false;
        s.fill_empty(commit)?;
        return Ok(filled);
    };
    let t = &loaded.template;
    let mut members: Vec<&crate::domain::Org> = orgs
        .iter()
        .filter(|o| rounds::inspectable(o.level))
        .filter(|o| t.fields.is_empty() || o.field.is_some_and(|f| t.fields.contains(&f)))
        .collect();
    members.sort_by(|a, b| a.code.cmp(&b.code));
    let root = orgs.iter().find(|o| o.parent.is_none()).map(|o| o.code.clone()).unwrap_or_default();
    let plan = Plan {
        orgs: members.clone(),
        root,
        template: t,
        template_id: &t.id,
        template_hash: &loaded.hash,
        visited,
        seed,
        now: s.clock.local_now(),
        actor: &s.actor,
    };
    let used = UsedRounds::new(plan);
    let made = used.rounds();
    filled.rounds = made.len();

    let mut writes: Vec<Write> = orgs.iter().map(Write::put).collect();
    writes.push(Write::put(&TemplateSnapshot {
        hash: loaded.hash.clone(),
        source: loaded.source.to_string(),
        text: loaded.text.clone(),
        template: t.clone(),
    }));
    for r in &made {
        writes.push(Write::put(r));
        writes.extend(members.iter().map(|o| Write::put(&Visit::new(r.id, &o.code))));
    }
    let detail =
        json!({ "orgs": n, "seed": seed, "visited": visited, "rounds": made.iter().map(|r| r.id.to_string()).collect::<Vec<_>>() });
    let mut commit = Commit::new("demo.fill", detail, writes);
    commit.record_values = false;
    s.fill_empty(commit)?;

    // The visits are made on one thread and written on this one: making them takes about a
    // fifth of the time writing does, and the machine has two cores.
    let (tx, rx) = std::sync::mpsc::sync_channel::<(Vec<Write>, Filled)>(2);
    std::thread::scope(|scope| -> Result<()> {
        scope.spawn(move || {
            // Rectification steps through the same status machine as the board and `rectify set`.
            let step = |f: &Finding, i: StepInput<'_>| -> Option<Finding> {
                let u = rectify::Update {
                    status: Some(i.to),
                    note: i.note.to_string(),
                    evidence: i.evidence.to_string(),
                    deadline: i.deadline,
                    measures: i.measures.to_string(),
                    overseer: i.overseer.to_string(),
                    acceptor: i.acceptor.to_string(),
                    // The demo's requests for more time are granted.
                    extension: (f.status == crate::domain::RectStatus::ExtensionRequested).then_some(rectify::Extension::Grant),
                    ..Default::default()
                };
                rectify::apply(f, &u, i.by, i.on).ok().flatten()
            };
            let mut batch: Vec<Write> = Vec::with_capacity(PART + 200);
            let mut counts = Filled::default();
            let mut gone = false;
            used.answered(&step, |a: Answered| {
                if gone {
                    return;
                }
                counts.visits += 1;
                counts.results += a.results.len();
                counts.findings += a.findings.len();
                counts.approved += usize::from(a.visit.status == crate::domain::VisitStatus::Approved);
                batch.push(Write::put(&a.visit));
                batch.extend(a.results.iter().map(Write::put));
                batch.extend(a.findings.iter().map(Write::put));
                if let Some((name, value)) = a.counter {
                    batch.push(Write::put(&Counter { name, value }));
                }
                if batch.len() >= PART {
                    // The writer stopped (a failed commit): nothing more to make.
                    gone = tx.send((std::mem::take(&mut batch), std::mem::take(&mut counts))).is_err();
                }
            });
            if !gone && !batch.is_empty() {
                let _ = tx.send((batch, counts));
            }
        });
        // Owned here, so that a failed commit drops it and the maker stops instead of waiting.
        let rx = rx;
        for (part, (writes, counts)) in rx.iter().enumerate() {
            let detail = json!({ "seed": seed, "visited": visited, "part": part + 1 });
            let mut commit = Commit::new("demo.visits", detail, writes);
            commit.record_values = false;
            s.commit(commit)?;
            filled.visits += counts.visits;
            filled.results += counts.results;
            filled.findings += counts.findings;
            filled.approved += counts.approved;
        }
        Ok(())
    })?;
    // The aggregates summed once here, so that the first start after the demo does not sum a
    // province's seven million verdicts while the user waits.
    s.rebuild_summaries()?;
    Ok(filled)
}
