//! Used rounds for the demo: last quarter's round and this quarter's over the same Party
//! organisations, visits for a chosen share of them with arrival facts, a verdict for every item,
//! findings in Chinese, reviews with problem numbers, repeat problems and rectification steps.
//!
//! Everything is made of the domain's own types and obeys its rules (the same as the services
//! check): every applicable item of a handed-over visit has a verdict, every 不符合 a finding,
//! every 部分符合 a finding or a note, the arrival is recorded; numbers count per quarter in
//! approval order; a repeat names the earlier problem; rectification steps go through the status
//! machine (`service::rectify::apply`, the function the board and `rectify set` use). Times lie
//! between the quarter's start and the clock's now; ids are UUIDv7 of those times. The same
//! (organisations, seed, share, now) gives the same records.

use super::phrases::{LOCKED_NOTES, NOTES_MEETS, NOTES_PARTLY, OTHER_PROBLEMS, PHRASES, RECORDS_READ, RETURN_COMMENTS};
use super::{GIVEN, SURNAME};
use crate::domain::limits::quarter_start;
use crate::domain::{
    ArrivalState, Finding, Id, ItemResult, Org, Quarter, RectStatus, RectType, Review, Round, Scope, Severity, Template, Verdict, VetoMark,
    Visit, VisitStatus,
};
use chrono::{DateTime, Duration, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

#[path = "rounds_rectify.rs"]
mod rectify;

/// What the generator is asked for.
pub struct Plan<'a> {
    /// The Party organisations the rounds cover (already filtered to what a round inspects),
    /// in tree order.
    pub orgs: Vec<&'a Org>,
    /// The code the rounds' scope names (the root of the tree).
    pub root: String,
    pub template: &'a Template,
    pub template_id: &'a str,
    pub template_hash: &'a str,
    /// The share of organisations visited in each round (0..=1).
    pub visited: f64,
    pub seed: u64,
    /// The clock's local now: nothing generated lies after it.
    pub now: NaiveDateTime,
    /// Who creates the rounds.
    pub actor: &'a str,
}

/// One visit as it was left: the visit record, its results and findings, and the quarter's
/// number counter after it (when its approval handed out numbers).
pub struct Answered {
    pub visit: Visit,
    pub results: Vec<ItemResult>,
    pub findings: Vec<Finding>,
    pub counter: Option<(String, u64)>,
}

/// A finding's rectification step, applied through the status machine. Given by the caller so
/// that this module does not depend on the service layer's signatures.
pub type Step<'a> = &'a dyn Fn(&Finding, StepInput<'_>) -> Option<Finding>;

/// One requested rectification step: to which status, by whom, on which day, with what.
pub struct StepInput<'a> {
    pub to: RectStatus,
    pub by: &'a str,
    pub on: NaiveDate,
    pub note: &'a str,
    pub evidence: &'a str,
    pub measures: &'a str,
    pub overseer: &'a str,
    pub acceptor: &'a str,
    pub deadline: Option<NaiveDate>,
}

/// How well an organisation keeps its Party work: draws its failure rates.
#[derive(Clone, Copy)]
enum Quality {
    Good,
    Fair,
    Weak,
}

impl Quality {
    /// (fails, partly) per item, in thousandths.
    fn rates(self) -> (u32, u32) {
        match self {
            Quality::Good => (12, 25),
            Quality::Fair => (45, 60),
            Quality::Weak => (130, 110),
        }
    }
}

/// The rounds, and the visits as they were left, made on demand.
pub struct UsedRounds<'a> {
    plan: Plan<'a>,
    rng: ChaCha8Rng,
    inspectors: Vec<String>,
    supervisors: Vec<String>,
    quality: Vec<Quality>,
    /// (round, visited org indexes in tree order)
    rounds: Vec<(Round, Vec<usize>)>,
}

/// The current quarter and the one before, as (round index 0 = previous, 1 = current).
fn quarters(now: NaiveDateTime) -> [Quarter; 2] {
    let cur = Quarter::of(now.date());
    [cur.previous(), cur]
}

fn quarter_end(q: Quarter) -> NaiveDate {
    let next = if q.q == 4 { Quarter { year: q.year + 1, q: 1 } } else { Quarter { year: q.year, q: q.q + 1 } };
    quarter_start(next).pred_opt().unwrap_or(NaiveDate::MAX)
}

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    Local.from_local_datetime(&t).earliest().map_or_else(|| Utc.from_utc_datetime(&t), |d| d.with_timezone(&Utc))
}

impl<'a> UsedRounds<'a> {
    pub fn new(plan: Plan<'a>) -> UsedRounds<'a> {
        let mut rng = ChaCha8Rng::seed_from_u64(plan.seed ^ 0x5EED_0F0F_D3A0_7E11);
        let n = plan.orgs.len();
        let team = (n / 60).clamp(4, 400);
        let person =
            |rng: &mut ChaCha8Rng| format!("{}{}", SURNAME[rng.random_range(0..SURNAME.len())], GIVEN[rng.random_range(0..GIVEN.len())]);
        let inspectors: Vec<String> = (0..team).map(|_| person(&mut rng)).collect();
        let supervisors: Vec<String> = (0..(team / 8).max(2)).map(|_| person(&mut rng)).collect();
        let quality = (0..n)
            .map(|_| match rng.random_range(0..100) {
                0..60 => Quality::Good,
                60..90 => Quality::Fair,
                _ => Quality::Weak,
            })
            .collect();
        let mut me = UsedRounds { plan, rng, inspectors, supervisors, quality, rounds: Vec::new() };
        if me.plan.visited > 0.0 && n > 0 {
            for q in quarters(me.plan.now) {
                let round = me.round(q);
                let mut pick: Vec<usize> = (0..n).collect();
                rand::seq::SliceRandom::shuffle(pick.as_mut_slice(), &mut me.rng);
                pick.truncate(((n as f64 * me.plan.visited).round() as usize).clamp(1, n));
                pick.sort_unstable();
                me.rounds.push((round, pick));
            }
        }
        me
    }

    /// A time-ordered id for a record made at `t`, its random part from the seed.
    fn id_at(&mut self, t: NaiveDateTime) -> Id {
        let bytes: [u8; 10] = self.rng.random();
        let ms = utc(t).timestamp_millis().max(0) as u64;
        Id::from_bytes(uuid::Builder::from_unix_timestamp_millis(ms, &bytes).into_uuid().into_bytes())
    }

    fn pick<T: Copy>(&mut self, list: &[T]) -> T {
        list[self.rng.random_range(0..list.len())]
    }

    fn chance(&mut self, per_thousand: u32) -> bool {
        self.rng.random_range(0..1000) < per_thousand
    }

    /// The window visits of quarter `q` fall in: from a few days after its start to its end or
    /// a few days before now, whichever is earlier (never before the start, never after now).
    fn window(&self, q: Quarter) -> (NaiveDateTime, NaiveDateTime) {
        let start = quarter_start(q).and_hms_opt(8, 0, 0).unwrap_or_default();
        let end = quarter_end(q).and_hms_opt(17, 0, 0).unwrap_or_default().min(self.plan.now - Duration::days(2));
        let from = (start + Duration::days(5)).min(end);
        if from >= start && end >= from { (from, end) } else { (start.min(self.plan.now), self.plan.now) }
    }

    fn round(&mut self, q: Quarter) -> Round {
        let created = (quarter_start(q).and_hms_opt(9, 0, 0).unwrap_or_default() + Duration::days(2)).min(self.plan.now);
        let id = self.id_at(created);
        let title = format!("{}基层党建\"四不两直\"督查", q.zh_title());
        Round {
            id,
            title,
            quarter: q,
            template_id: self.plan.template_id.to_string(),
            template_hash: self.plan.template_hash.to_string(),
            scope: Scope::Subtree { under: self.plan.root.clone(), field: None },
            org_count: self.plan.orgs.len(),
            created_by: self.plan.actor.to_string(),
            created_at: utc(created),
        }
    }

    /// The rounds, oldest first, each with every organisation of the plan (their visits start 未开始).
    pub fn rounds(&self) -> Vec<Round> {
        self.rounds.iter().map(|(r, _)| r.clone()).collect()
    }

    /// How many visits `answered` will make.
    pub fn visit_count(&self) -> usize {
        self.rounds.iter().map(|(_, v)| v.len()).sum()
    }

    /// Makes every visited organisation's visit, last quarter's round first, each round's approved
    /// visits in approval order (so numbers count as a supervisor would have handed them out).
    /// `step` applies one rectification step through the status machine.
    pub fn answered(mut self, step: Step<'_>, mut sink: impl FnMut(Answered)) {
        let rounds = std::mem::take(&mut self.rounds);
        // (org index, item) → the earlier round's problem number on that failed item.
        let mut failed_before: HashMap<(usize, String), String> = HashMap::new();
        for (ri, (round, picked)) in rounds.iter().enumerate() {
            let current = ri + 1 == rounds.len() && ri > 0;
            let (from, to) = self.window(round.quarter);
            let span = (to - from).num_minutes().max(1);
            // Arrival moments, on working hours.
            let mut plan: Vec<(usize, NaiveDateTime)> = picked
                .iter()
                .map(|&o| {
                    let at = from + Duration::minutes(self.rng.random_range(0..span));
                    let hour = if self.rng.random_range(0..10) < 7 { self.rng.random_range(8..11) } else { self.rng.random_range(14..16) };
                    let at = at.date().and_hms_opt(hour, self.rng.random_range(0..60), 0).unwrap_or(at);
                    (o, at.clamp(from.min(to), to.max(from)))
                })
                .collect();
            // Latest arrivals are the ones still open: in progress, submitted, returned.
            plan.sort_by_key(|&(o, at)| (at, o));
            let n = plan.len();
            let open = if current { (n * 4 / 100, n * 6 / 100, n / 100) } else { (0, 0, 0) };
            let mut states: Vec<(usize, NaiveDateTime, VisitStatus, NaiveDateTime)> = plan
                .iter()
                .enumerate()
                .map(|(k, &(o, at))| {
                    let from_end = n - k;
                    let status = if from_end <= open.0 {
                        VisitStatus::InProgress
                    } else if from_end <= open.0 + open.1 {
                        VisitStatus::Submitted
                    } else if from_end <= open.0 + open.1 + open.2 {
                        VisitStatus::Returned
                    } else {
                        VisitStatus::Approved
                    };
                    let reviewed =
                        (at + Duration::hours(self.rng.random_range(20..240))).min(self.plan.now - Duration::minutes(30)).max(at);
                    (o, at, status, reviewed)
                })
                .collect();
            states.sort_by_key(|&(o, _, status, reviewed)| (status != VisitStatus::Approved, reviewed, o));
            let mut numbered = 0u64;
            let mut mine: HashMap<(usize, String), String> = HashMap::new();
            for (o, at, status, reviewed) in states {
                let a = self.visit(round, o, at, status, reviewed, current, &failed_before, &mut numbered, step);
                // A later round's repeat names the first problem (by id) on an item that failed.
                for r in a.results.iter().filter(|r| r.verdict == Some(Verdict::Fails)) {
                    let first = a.findings.iter().filter(|f| f.item.as_deref() == Some(r.item.as_str())).min_by_key(|f| f.id);
                    if let Some(f) = first {
                        mine.insert((o, r.item.clone()), f.number.clone().unwrap_or_else(|| f.id.short()));
                    }
                }
                sink(a);
            }
            failed_before.extend(mine);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn visit(
        &mut self,
        round: &Round,
        oi: usize,
        arrived: NaiveDateTime,
        status: VisitStatus,
        reviewed: NaiveDateTime,
        current: bool,
        failed_before: &HashMap<(usize, String), String>,
        numbered: &mut u64,
        step: Step<'_>,
    ) -> Answered {
        let org: &Org = self.plan.orgs[oi];
        let template = self.plan.template;
        let inspector = self.inspectors[self.rng.random_range(0..self.inspectors.len())].clone();
        let supervisor = self.supervisors[self.rng.random_range(0..self.supervisors.len())].clone();
        let quality = self.quality[oi];
        let (mut fail_rate, partly_rate) = quality.rates();
        if current {
            // Things improve a little from one quarter to the next.
            fail_rate = fail_rate * 4 / 5;
        }
        let arrival_state = match self.rng.random_range(0..100) {
            0..70 => ArrivalState::OnDuty,
            70..90 => ArrivalState::Open,
            _ => ArrivalState::Locked,
        };
        let arrival_note = if arrival_state == ArrivalState::Locked { self.pick(LOCKED_NOTES).to_string() } else { String::new() };
        let mut unannounced = [Some(true); 6];
        if self.chance(30) {
            // The branch had heard the team was in the township.
            unannounced[1] = Some(false);
        }
        let secretary = if org.secretary.is_empty() { "支部书记".to_string() } else { org.secretary.clone() };
        let member =
            |rng: &mut ChaCha8Rng| format!("{}{}", SURNAME[rng.random_range(0..SURNAME.len())], GIVEN[rng.random_range(0..GIVEN.len())]);
        let interviewed = format!("支部书记{secretary}，党员{}、{}", member(&mut self.rng), member(&mut self.rng));
        let records = (0..3).map(|_| self.pick(RECORDS_READ)).collect::<Vec<_>>();
        let mut records_read: Vec<&str> = Vec::new();
        for r in records {
            if !records_read.contains(&r) {
                records_read.push(r);
            }
        }
        let mut vetoes = Vec::new();
        let vetoed = !template.vetoes.is_empty() && matches!(quality, Quality::Weak) && self.chance(40);
        if vetoed {
            let gate = self.pick(&template.vetoes.iter().map(|v| v.id.as_str()).collect::<Vec<_>>());
            vetoes.push(VetoMark { id: gate.to_string(), reason: "现场查阅会议记录并询问党员，情况属实".to_string() });
        }

        // The walk: applicable items in template order; an unfinished visit stops partway.
        let applicable: Vec<(usize, usize, &crate::domain::Item)> = template
            .categories
            .iter()
            .enumerate()
            .flat_map(|(ci, c)| c.items.iter().enumerate().map(move |(ki, it)| (ci, ki, it)))
            .filter(|(_, _, it)| it.applies_to(org.field))
            .collect();
        let answer_upto = if status == VisitStatus::InProgress {
            let upper = applicable.len().saturating_sub(1).max(1);
            self.rng.random_range((applicable.len() / 4).min(upper - 1)..upper)
        } else {
            applicable.len()
        };
        let no_recruitment = self.chance(80);
        let small = org.members.is_some_and(|m| m < 10);
        let mut results = Vec::with_capacity(applicable.len());
        let mut findings = Vec::new();
        let mut t = arrived + Duration::minutes(10);
        for (k, (ci, ki, item)) in applicable.iter().enumerate() {
            if k >= answer_upto {
                break;
            }
            t = (t + Duration::minutes(self.rng.random_range(1..4))).min(self.plan.now);
            let failed_earlier = failed_before.get(&(oi, item.id.clone()));
            let serious = item.severity == Severity::Serious;
            let fr = if serious { fail_rate / 2 } else { fail_rate };
            let roll = self.rng.random_range(0..1000);
            // A small branch needs no Party groups (C1.5); one with no applicants this year has
            // no application talks or activists to train (C5.2, C5.3).
            let not_applicable =
                (small && *ci == 0 && *ki == 4 && self.chance(700)) || (no_recruitment && *ci == 4 && matches!(*ki, 1 | 2));
            let verdict = if not_applicable {
                Verdict::NotApplicable
            } else if (failed_earlier.is_some() && self.chance(300)) || roll < fr {
                // An item failed last quarter fails again more often than chance: repeats.
                Verdict::Fails
            } else if roll < fr + partly_rate {
                Verdict::Partly
            } else {
                Verdict::Meets
            };
            let mut note = String::new();
            let mut problems = 0;
            match verdict {
                Verdict::Fails => problems = if self.chance(80) { 2 } else { 1 },
                Verdict::Partly if self.chance(600) => problems = 1,
                Verdict::Partly => note = self.pick(NOTES_PARTLY).to_string(),
                Verdict::Meets if self.chance(30) => note = self.pick(NOTES_MEETS).to_string(),
                _ => {}
            }
            for _ in 0..problems {
                let severity = if verdict == Verdict::Partly {
                    match item.severity {
                        Severity::Serious => Severity::Significant,
                        _ => Severity::Minor,
                    }
                } else {
                    item.severity
                };
                let f = self.finding(round, org, Some((*ci, *ki, item.id.as_str())), severity, &inspector, t, arrived.date());
                findings.push(f);
            }
            // A per-occurrence item found wanting says how many times (missing records...).
            let count = (item.per_occurrence.is_some() && matches!(verdict, Verdict::Fails | Verdict::Partly))
                .then(|| self.rng.random_range(1..=4));
            results.push(ItemResult {
                round: round.id,
                org: org.code.clone(),
                item: item.id.clone(),
                verdict: Some(verdict),
                count,
                note,
                by: inspector.clone(),
                at: utc(t),
            });
        }
        if status != VisitStatus::InProgress && self.chance(25) {
            let at = (t + Duration::minutes(5)).min(self.plan.now);
            let f = self.finding(round, org, None, Severity::Minor, &inspector, at, arrived.date());
            findings.push(f);
        }
        let done = (t + Duration::minutes(15)).min(self.plan.now);
        let handed_over = status != VisitStatus::InProgress;
        // A gate stands only on its item answered 不符合, as the program requires.
        vetoes.retain(|m: &VetoMark| {
            let item = template.vetoes.iter().find(|g| g.id == m.id).and_then(|g| g.item.as_deref());
            item.is_none_or(|i| results.iter().any(|r| r.item == i && r.verdict == Some(Verdict::Fails)))
        });
        let mut visit = Visit {
            round: round.id,
            org: org.code.clone(),
            status,
            inspector: inspector.clone(),
            started_at: Some(utc(arrived)),
            arrived_at: Some(arrived),
            arrival_state: Some(arrival_state),
            arrival_note,
            unannounced,
            interviewed,
            records_read: records_read.join("、"),
            vetoes,
            submitted_at: handed_over.then(|| utc(done.min(reviewed))),
            return_comment: String::new(),
            reviewed_by: None,
            rechecks: Vec::new(),
        };
        let mut counter = None;
        match status {
            VisitStatus::Approved => {
                visit.reviewed_by = Some(supervisor.clone());
                let on = reviewed.date();
                // Approval numbers a visit's findings in the order the store lists them (by id).
                findings.sort_by_key(|f| f.id);
                for f in findings.iter_mut() {
                    f.review = Review::Approved;
                    *numbered += 1;
                    f.number = Some(format!("{}-{:04}", round.quarter, *numbered));
                    f.approved_on = Some(on);
                    f.repeat_of = f.item.as_ref().and_then(|i| failed_before.get(&(oi, i.clone())).cloned());
                }
                counter = (!findings.is_empty()).then(|| (round.quarter.to_string(), *numbered));
                for f in findings.iter_mut() {
                    *f = self.rectify(f.clone(), &supervisor, step);
                }
            }
            VisitStatus::Returned => {
                visit.reviewed_by = Some(supervisor.clone());
                visit.return_comment = self.pick(RETURN_COMMENTS).to_string();
                if let Some(f) = findings.first_mut() {
                    f.review = Review::Returned;
                    f.review_comment = "请写明具体月份和涉及人数".to_string();
                }
            }
            _ => {}
        }
        Answered { visit, results, findings, counter }
    }

    #[allow(clippy::too_many_arguments)]
    fn finding(
        &mut self,
        round: &Round,
        org: &Org,
        item: Option<(usize, usize, &str)>,
        severity: Severity,
        inspector: &str,
        at: NaiveDateTime,
        visited_on: NaiveDate,
    ) -> Finding {
        let (description, requirement) = match item {
            Some((ci, ki, _)) => {
                let p = &PHRASES[ci % PHRASES.len()];
                (self.pick(p.problems[ki % p.problems.len()]), p.requirement)
            }
            None => (self.pick(OTHER_PROBLEMS), "结合实际制定整改措施，按期报送整改情况"),
        };
        let description = description
            .replace("{a}", &self.rng.random_range(2..6).to_string())
            .replace("{m}", &self.rng.random_range(1..=at.date().format("%m").to_string().parse::<u32>().unwrap_or(12)).to_string())
            .replace("{p}", &self.rng.random_range(40..60).to_string());
        let rect_type = match self.rng.random_range(0..100) {
            0..15 => RectType::Immediate,
            15..92 => RectType::ByDeadline,
            _ => RectType::LongTerm,
        };
        let deadline = match rect_type {
            RectType::Immediate => None,
            RectType::ByDeadline => Some(visited_on + Duration::days(self.pick(&[15, 30, 30, 30, 45, 60, 90]))),
            RectType::LongTerm => Some(visited_on + Duration::days(180)),
        };
        let photo = self.rng.random_range(1..40);
        let evidence = vec![format!("照片{photo}-{}", photo + self.rng.random_range(1..4)), "现场询问记录".to_string()];
        Finding {
            id: self.id_at(at),
            round: round.id,
            org: org.code.clone(),
            item: item.map(|(_, _, id)| id.to_string()),
            description,
            severity,
            evidence,
            rect_type,
            requirement: requirement.to_string(),
            responsible_unit: org.name.clone(),
            responsible_person: if org.secretary.is_empty() { "支部书记".to_string() } else { org.secretary.clone() },
            deadline,
            status: RectStatus::Pending,
            number: None,
            approved_on: None,
            created_by: inspector.to_string(),
            created_at: utc(at),
            review: Review::Pending,
            review_comment: String::new(),
            corrected_by: None,
            repeat_of: None,
            rect: Default::default(),
            attachments: vec![],
        }
    }
}
