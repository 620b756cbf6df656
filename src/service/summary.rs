//! Aggregates that live with the data: per visit (answered/applicable, score, grade, warning,
//! findings) and per round (visits by status, answered/applicable, findings). Every commit that
//! touches a visit, its results or its findings rewrites that visit's summary and its round's in
//! the same transaction (`Session::commit`), so the rounds screen, the dashboard and `round show`
//! read a few small records instead of decoding every result.
//!
//! Summaries are derived: never audited, never in a backup. The summaries tree holds a
//! completeness flag; a store without it (an older store, a restore, a bulk fill, a large change
//! cut off midway) is rebuilt from the records at the first read.

use super::{Result, Session, rounds};
use crate::domain::scoring::{Score, Warning};
use crate::domain::vocab::Vocab;
use crate::domain::{Finding, Id, ItemResult, Org, RectStatus, Round, Severity, Template, Visit, VisitStatus};
use crate::store::keys::{Key, Part};
use crate::store::{Commit, Derived, Record, Table, Write, decode_record, encode_record};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One visit's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitSummary {
    pub round: Id,
    pub org: String,
    pub status: VisitStatus,
    pub answered: usize,
    pub applicable: usize,
    pub score: Option<f64>,
    pub health: Option<f64>,
    pub grade: Option<String>,
    pub veto: bool,
    /// The warning while none of the visit's open findings is overdue, and once one is: the
    /// calendar moves on without a commit, so both are kept and `first_deadline` picks.
    pub warning_calm: Option<Warning>,
    pub warning_overdue: Option<Warning>,
    /// The earliest deadline of an open finding.
    pub first_deadline: Option<NaiveDate>,
    pub findings: usize,
    /// Who inspected (the bulletin names the inspectors).
    #[serde(default)]
    pub inspector: String,
    /// The approved (numbered, not withdrawn) findings, in the few facts the bulletin counts, so
    /// a quarter's figures read no finding record.
    #[serde(default)]
    pub problems: Vec<ProblemFacts>,
    /// An item marked as a lead of a weak organisation failed (the red warning's rule).
    #[serde(default)]
    pub weak_lead: bool,
    /// Items answered 不符合 or 部分符合: a later quarter's finding on one of them is a repeat.
    #[serde(default)]
    pub failed_items: Vec<String>,
}

/// What the bulletin counts of an approved finding. Dates stay dates and the rectification keeps
/// its history: whether it is due, done or overdue depends on the day the figures are judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemFacts {
    pub id: Id,
    pub item: Option<String>,
    pub severity: Severity,
    /// Marked a repeat (重复问题) when approved.
    pub repeat: bool,
    pub timeline: crate::domain::figures::Timeline,
}

impl ProblemFacts {
    /// The facts of `f`, when it is an approved finding.
    pub fn of(f: &Finding) -> Option<ProblemFacts> {
        (f.number.is_some() && f.status != RectStatus::Withdrawn).then(|| ProblemFacts {
            id: f.id,
            item: f.item.clone(),
            severity: f.severity,
            repeat: f.repeat_of.is_some(),
            timeline: crate::domain::figures::Timeline::of(f),
        })
    }
}

impl VisitSummary {
    pub fn warning(&self, today: NaiveDate) -> Option<Warning> {
        match self.first_deadline {
            Some(d) if d < today => self.warning_overdue,
            _ => self.warning_calm,
        }
    }

    /// The figures as the scoring gives them (without the per-category detail).
    pub fn score(&self, today: NaiveDate) -> Score {
        Score {
            score: self.score,
            health: self.health,
            categories: Vec::new(),
            grade: self.grade.clone(),
            warning: self.warning(today),
            answered: self.answered,
            applicable: self.applicable,
            veto: self.veto,
        }
    }
}

impl Record for VisitSummary {
    const TABLE: Table = Table::Summaries;
    fn key(&self) -> Vec<u8> {
        visit_key(self.round, &self.org)
    }
}

/// One round's figures, the sums of its visits'.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoundSummary {
    pub round: Id,
    pub visits: usize,
    /// Visits by status, in `VisitStatus::ALL` order.
    pub by_status: Vec<usize>,
    pub answered: usize,
    pub applicable: usize,
    pub findings: usize,
}

impl RoundSummary {
    fn empty(round: Id) -> RoundSummary {
        RoundSummary { round, by_status: vec![0; VisitStatus::ALL.len()], ..Default::default() }
    }

    /// Adds (`sign` 1) or takes away (`sign` -1) one visit's figures.
    fn apply(&mut self, v: &VisitSummary, sign: isize) {
        let add = |x: &mut usize, n: usize| *x = x.saturating_add_signed(sign * n as isize);
        add(&mut self.visits, 1);
        if let Some(i) = VisitStatus::ALL.iter().position(|s| *s == v.status) {
            if self.by_status.len() < VisitStatus::ALL.len() {
                self.by_status.resize(VisitStatus::ALL.len(), 0);
            }
            add(&mut self.by_status[i], 1);
        }
        add(&mut self.answered, v.answered);
        add(&mut self.applicable, v.applicable);
        add(&mut self.findings, v.findings);
    }
}

impl Record for RoundSummary {
    const TABLE: Table = Table::Summaries;
    fn key(&self) -> Vec<u8> {
        round_key(self.round)
    }
}

fn visit_key(round: Id, org: &str) -> Vec<u8> {
    Key::new().part("v").part(round).part(org).bytes()
}

fn round_key(round: Id) -> Vec<u8> {
    Key::new().part("r").part(round).bytes()
}

/// The flag names the summaries' shape: a store whose summaries lack a later field (2: the
/// inspector and the approved findings' facts; 3: their rectification history, the weak lead and
/// the failed items; 4: warnings from open findings only, 立行立改 due the day approved) sums them
/// again at the first read.
fn complete_flag() -> Vec<u8> {
    Key::new().part("complete-4").bytes()
}

/// A visit's figures from its records.
fn summarise(template: &Template, org: &Org, visit: &Visit, results: &[ItemResult], findings: &[Finding]) -> VisitSummary {
    let data = rounds::VisitData {
        org: org.clone(),
        visit: visit.clone(),
        verdicts: results.iter().filter_map(|r| r.verdict.map(|v| (r.item.clone(), v))).collect(),
        counts: results.iter().filter_map(|r| r.count.map(|n| (r.item.clone(), n))).collect(),
        notes: HashMap::new(),
        findings: findings.to_vec(),
    };
    // The warning is the only figure that depends on the day: computed before any deadline and
    // after every one.
    let calm = rounds::score_of(template, &data, NaiveDate::MIN);
    let overdue = rounds::score_of(template, &data, NaiveDate::MAX);
    VisitSummary {
        round: visit.round,
        org: visit.org.clone(),
        status: visit.status,
        answered: calm.answered,
        applicable: calm.applicable,
        score: calm.score,
        health: calm.health,
        grade: calm.grade,
        veto: calm.veto,
        warning_calm: calm.warning,
        warning_overdue: overdue.warning,
        first_deadline: findings.iter().filter(|f| f.status.is_open()).filter_map(|f| f.due_date()).min(),
        findings: findings.len(),
        inspector: visit.inspector.clone(),
        problems: findings.iter().filter_map(ProblemFacts::of).collect(),
        weak_lead: template.items().any(|(_, i)| i.weak_lead && data.verdicts.get(&i.id) == Some(&crate::domain::Verdict::Fails)),
        failed_items: template
            .items()
            .filter(|(_, i)| data.verdicts.get(&i.id).is_some_and(|v| crate::domain::figures::is_repeat_source(*v)))
            .map(|(_, i)| i.id.clone())
            .collect(),
    }
}

/// A visit, by round and organisation code.
type VisitRef = (Id, String);

/// The records a commit writes, decoded once, by the visit they belong to.
#[derive(Default)]
struct Pending {
    rounds: HashMap<Id, Round>,
    visits: BTreeMap<VisitRef, Option<Visit>>,
    results: HashMap<VisitRef, Vec<ItemResult>>,
    /// Findings written (None: deleted), by id, with the visit they belong to.
    findings: HashMap<VisitRef, Vec<(Id, Option<Finding>)>>,
    touched: BTreeSet<VisitRef>,
}

impl Session {
    /// Whether the summaries are complete; rebuilds them from the records when they are not.
    fn summaries_ready(&self) -> Result<()> {
        if !self.store.derived_complete(Table::Summaries, &complete_flag())? {
            self.rebuild_summaries()?;
        }
        Ok(())
    }

    /// Recomputes every summary from the records (an older store, a restore, a bulk fill).
    pub fn rebuild_summaries(&self) -> Result<()> {
        let mut out = Vec::new();
        let orgs: HashMap<String, Org> = self.store.orgs()?.into_iter().map(|o| (o.code.clone(), o)).collect();
        for round in self.store.rounds()? {
            let template = rounds::template_of(self, &round)?;
            let mut total = RoundSummary::empty(round.id);
            for visit in self.store.visits(round.id)? {
                let Some(org) = orgs.get(&visit.org) else { continue };
                let results = self.store.results(round.id, &visit.org)?;
                let findings = self.store.visit_findings(round.id, &visit.org)?;
                let v = summarise(&template, org, &visit, &results, &findings);
                total.apply(&v, 1);
                out.push((v.key(), encode_record(&v)));
            }
            out.push((total.key(), encode_record(&total)));
        }
        Ok(self.store.rebuild_derived(Table::Summaries, out, &complete_flag())?)
    }

    /// A round's figures.
    pub fn round_summary(&self, round: Id) -> Result<RoundSummary> {
        self.summaries_ready()?;
        Ok(self.store.derived::<RoundSummary>(&round_key(round))?.unwrap_or_else(|| RoundSummary::empty(round)))
    }

    /// The figures of every visit of a round, in organisation-code order.
    pub fn visit_summaries(&self, round: Id) -> Result<Vec<VisitSummary>> {
        self.summaries_ready()?;
        Ok(self.store.derived_under::<VisitSummary>(&Key::new().part("v").part(round).bytes())?)
    }

    /// Applies `commit` with the summaries it changes, in one transaction, then flushes. Every
    /// service write goes through here.
    pub(super) fn commit(&self, mut commit: Commit) -> Result<usize> {
        commit.at = Some(self.now());
        if self.store.derived_complete(Table::Summaries, &complete_flag())? {
            commit.derived = self.summaries_after(&commit.writes)?;
        }
        Ok(self.store.commit(&self.actor, commit)?)
    }

    /// Fills an empty store with generated data (the demo) in one go; the summaries are summed
    /// from the records at the next read.
    pub(super) fn fill_empty(&self, mut commit: Commit) -> Result<usize> {
        commit.at = Some(self.now());
        self.store.clear_derived_flag(Table::Summaries, &complete_flag())?;
        Ok(self.store.fill_empty(&self.actor, commit)?)
    }

    /// Marks the summaries as to be summed again from the records (after a restore).
    pub(super) fn summaries_stale(&self) -> Result<()> {
        Ok(self.store.clear_derived_flag(Table::Summaries, &complete_flag())?)
    }

    /// `commit` for a change too large for one transaction (an import, a new round): written in
    /// parts, the summaries with the last; until that lands the summaries are marked incomplete,
    /// so a cut-off change is summed again from the records.
    pub(super) fn commit_in_parts(&self, mut commit: Commit) -> Result<usize> {
        commit.at = Some(self.now());
        let flag = complete_flag();
        if self.store.derived_complete(Table::Summaries, &flag)? {
            commit.derived = self.summaries_after(&commit.writes)?;
            self.store.clear_derived_flag(Table::Summaries, &flag)?;
            commit.derived.push(Derived { table: Table::Summaries, key: flag, value: Some(b"1".to_vec()) });
        }
        Ok(self.store.commit_in_parts(&self.actor, commit)?)
    }

    /// The summaries of the visits `writes` touch, and of their rounds, as they will be after.
    fn summaries_after(&self, writes: &[Write]) -> Result<Vec<Derived>> {
        let p = self.pending(writes)?;
        if p.touched.is_empty() {
            return Ok(Vec::new());
        }
        // Shared from the store's cache: a template is large and a verdict must not copy it.
        let mut templates: HashMap<Id, std::sync::Arc<crate::domain::TemplateSnapshot>> = HashMap::new();
        let mut totals: HashMap<Id, RoundSummary> = HashMap::new();
        let mut out = Vec::new();
        for (round, org) in &p.touched {
            let r = match p.rounds.get(round) {
                Some(r) => r.clone(),
                None => match self.store.round(*round)? {
                    Some(r) => r,
                    None => continue,
                },
            };
            let new_round = p.rounds.contains_key(round) && self.store.round(*round)?.is_none();
            if !templates.contains_key(round) {
                let snap = self.store.template_arc(&r.template_hash)?;
                let snap = snap.ok_or_else(|| super::invalid(crate::i18n::K::SnapshotMissing, &[&r.template_hash]))?;
                templates.insert(*round, snap);
            }
            let total = match totals.entry(*round) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(self.store.derived::<RoundSummary>(&round_key(*round))?.unwrap_or_else(|| RoundSummary::empty(*round)))
                }
            };
            let old = if new_round { None } else { self.store.derived::<VisitSummary>(&visit_key(*round, org))? };
            if let Some(old) = &old {
                total.apply(old, -1);
            }
            let key = (*round, org.clone());
            let visit = match p.visits.get(&key) {
                Some(v) => v.clone(),
                None if new_round => None,
                None => self.store.visit(*round, org)?,
            };
            let Some(visit) = visit else {
                out.push(Derived { table: Table::Summaries, key: visit_key(*round, org), value: None });
                continue;
            };
            let Some(o) = self.store.org(org)? else { continue };
            let mut results = if new_round { Vec::new() } else { self.store.results(*round, org)? };
            for r in p.results.get(&key).into_iter().flatten() {
                match results.iter_mut().find(|x| x.item == r.item) {
                    Some(x) => *x = r.clone(),
                    None => results.push(r.clone()),
                }
            }
            let mut findings = if new_round { Vec::new() } else { self.store.visit_findings(*round, org)? };
            for (id, f) in p.findings.get(&key).into_iter().flatten() {
                findings.retain(|x| x.id != *id);
                if let Some(f) = f {
                    findings.push(f.clone());
                }
            }
            let v = summarise(&templates[round].template, &o, &visit, &results, &findings);
            total.apply(&v, 1);
            out.push(Derived::put(&v));
        }
        out.extend(totals.values().map(Derived::put));
        Ok(out)
    }

    /// Decodes the visits, results, findings and rounds of `writes`.
    fn pending(&self, writes: &[Write]) -> Result<Pending> {
        let mut p = Pending::default();
        for w in writes {
            match w.table() {
                Table::Rounds => {
                    if let Some(v) = w.value() {
                        let r: Round = decode_record(w.key(), v)?;
                        p.rounds.insert(r.id, r);
                    }
                }
                Table::Visits => {
                    let Some((round, org)) = visit_of_key(w.key()) else { continue };
                    let v = w.value().map(|v| decode_record::<Visit>(w.key(), v)).transpose()?;
                    p.touched.insert((round, org.clone()));
                    p.visits.insert((round, org), v);
                }
                Table::Results => {
                    let Some(v) = w.value() else { continue };
                    let r: ItemResult = decode_record(w.key(), v)?;
                    p.touched.insert((r.round, r.org.clone()));
                    p.results.entry((r.round, r.org.clone())).or_default().push(r);
                }
                Table::Findings => {
                    let f = match w.value() {
                        Some(v) => decode_record::<Finding>(w.key(), v)?,
                        None => match crate::store::keys::decode(w.key()).as_deref() {
                            Some([Part::Id(id)]) => match self.store.finding(*id)? {
                                Some(old) => {
                                    let key = (old.round, old.org.clone());
                                    p.touched.insert(key.clone());
                                    p.findings.entry(key).or_default().push((old.id, None));
                                    continue;
                                }
                                None => continue,
                            },
                            _ => continue,
                        },
                    };
                    let key = (f.round, f.org.clone());
                    p.touched.insert(key.clone());
                    p.findings.entry(key).or_default().push((f.id, Some(f)));
                }
                _ => {}
            }
        }
        Ok(p)
    }
}

fn visit_of_key(key: &[u8]) -> Option<(Id, String)> {
    match crate::store::keys::decode(key)?.as_slice() {
        [Part::Id(round), Part::Str(org)] => Some((*round, org.clone())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Scope, Verdict};
    use crate::service::findings::{self, FindingInput};
    use crate::service::{demo, rectify, review, visits};
    use crate::store::Store;
    use crate::template::Catalog;

    type Figures = Vec<(RoundSummary, Vec<VisitSummary>)>;

    /// The stored summaries of every round, and what a rebuild from the records gives.
    fn stored_and_rebuilt(s: &Session) -> (Figures, Figures) {
        let read = |s: &Session| {
            s.rounds().unwrap().iter().map(|r| (s.round_summary(r.id).unwrap(), s.visit_summaries(r.id).unwrap())).collect::<Vec<_>>()
        };
        let stored = read(s);
        s.rebuild_summaries().unwrap();
        (stored, read(s))
    }

    fn assert_in_step(s: &Session, after: &str) {
        let (stored, rebuilt) = stored_and_rebuilt(s);
        assert!(!stored.is_empty());
        assert_eq!(stored, rebuilt, "after {after}, the kept summaries differ from the records");
    }

    /// 300 demo organisations and a round over a town's branches.
    fn with_round() -> (tempfile::TempDir, Session, Round) {
        let dir = tempfile::tempdir().unwrap();
        let s = Session::new(Store::open(dir.path()).unwrap(), "测试员")
            .with_clock(crate::clock::Clock::fixed_local("2026-11-22 10:00").unwrap());
        demo::fill(&s, 300, 3).unwrap();
        let cat = Catalog::load(&[]);
        let scope = Scope::Subtree { under: "0101001".into(), field: None };
        let round = rounds::create(&s, "测试批次", "2026Q4".parse().unwrap(), cat.get("dangzhibu").unwrap(), scope, vec![]).unwrap();
        (dir, s, round)
    }

    #[test]
    fn every_write_keeps_the_summaries_equal_to_a_sum_over_the_records() {
        let (_dir, s, round) = with_round();
        assert_in_step(&s, "round.create");
        let sum = s.round_summary(round.id).unwrap();
        assert!(sum.visits > 3 && sum.answered == 0 && sum.applicable > 0, "{sum:?}");

        let orgs: Vec<String> = s.visits(round.id).unwrap().into_iter().map(|v| v.org).collect();
        let template = rounds::template_of(&s, &round).unwrap();
        let org = &orgs[0];
        // The items its field is asked about (the default template has field variants).
        let field = s.org(org).unwrap().unwrap().field;
        let items: Vec<String> = template.items().filter(|(_, i)| i.applies_to(field)).map(|(_, i)| i.id.clone()).collect();
        visits::record_verdict(&s, round.id, org, &items[0], Some(Verdict::Meets), "", false).unwrap();
        assert_in_step(&s, "a verdict");
        assert_eq!(s.round_summary(round.id).unwrap().answered, 1);
        assert_eq!(s.visit_summaries(round.id).unwrap().iter().find(|v| &v.org == org).unwrap().status, VisitStatus::InProgress);

        // A whole visit answered, a finding, the arrival, submitted and approved.
        for it in &items[1..] {
            visits::record_verdict(&s, round.id, org, it, Some(Verdict::Meets), "", false).unwrap();
        }
        visits::record_verdict(&s, round.id, org, "C1.2", Some(Verdict::Fails), "委员不足", false).unwrap();
        let input = FindingInput {
            round: Some(round.id),
            org: org.clone(),
            item: Some("C1.2".into()),
            description: "支委会委员仅2人".into(),
            responsible_person: "王芳".into(),
            deadline: "2026-12-01".into(),
            ..Default::default()
        };
        findings::save(&s, &input).unwrap();
        assert_in_step(&s, "a finding");
        let mut info = visits::VisitInfo::of(&s.visit(round.id, org).unwrap().unwrap());
        info.arrived_at = Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap().and_hms_opt(9, 0, 0).unwrap());
        info.arrival_state = Some(crate::domain::ArrivalState::Open);
        visits::save_info(&s, round.id, org, info).unwrap();
        visits::submit(&s, round.id, org).unwrap();
        assert_in_step(&s, "submit");
        let approver = Session { store: s.store, actor: "审核员".into(), clock: s.clock };
        let numbered = review::approve(&approver, round.id, org).unwrap();
        assert_in_step(&approver, "approve");
        let v = approver.visit_summaries(round.id).unwrap().into_iter().find(|v| &v.org == org).unwrap();
        assert_eq!((v.status, v.findings, v.answered), (VisitStatus::Approved, 1, v.applicable));
        assert!(v.score.is_some() && v.grade.is_some());

        // The warning follows the calendar without a commit: the deadline is 2026-12-01.
        let overdue = v.warning(chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
        assert_eq!(v.warning(chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()), v.warning_calm);
        assert_eq!(overdue, v.warning_overdue);

        let number = numbered[0].number.clone().unwrap();
        let u = rectify::Update {
            status: Some(crate::domain::RectStatus::InProgress), note: "已召开支委会".into(), ..Default::default()
        };
        rectify::set(&approver, &number, &u).unwrap();
        assert_in_step(&approver, "a rectification step");
        review::withdraw(&approver, numbered[0].id, "重复录入").unwrap();
        assert_in_step(&approver, "a withdrawal");
    }

    #[test]
    fn missing_summaries_are_summed_from_the_records_at_the_first_read() {
        let (_dir, s, round) = with_round();
        let org = s.visits(round.id).unwrap()[0].org.clone();
        visits::record_verdict(&s, round.id, &org, "C1.2", Some(Verdict::Fails), "", false).unwrap();
        let before = (s.round_summary(round.id).unwrap(), s.visit_summaries(round.id).unwrap());
        // An older store (or one whose large change was cut off) has no completeness flag.
        s.store.clear_derived_flag(Table::Summaries, &complete_flag()).unwrap();
        s.store.rebuild_derived(Table::Summaries, Vec::new(), b"other").unwrap();
        assert!(!s.store.derived_complete(Table::Summaries, &complete_flag()).unwrap());
        // A write while they are incomplete does not sum onto missing figures.
        visits::record_verdict(&s, round.id, &org, "C1.1", Some(Verdict::Meets), "", false).unwrap();
        let after = (s.round_summary(round.id).unwrap(), s.visit_summaries(round.id).unwrap());
        assert_eq!(after.0.answered, before.0.answered + 1);
        assert_eq!(after.1.len(), before.1.len());
        assert_in_step(&s, "a rebuild");
    }
}
