//! What a quarter's rounds hold, read for the bulletin: the organisations once (names, levels,
//! fields, the county above each), and each visit's figures and approved findings' facts from the
//! visit aggregates. No result and no finding record is decoded (a province has millions and
//! hundreds of thousands): only the few findings quoted as examples are read.

use super::super::Snapshot;
use super::RectStats;
use crate::domain::scoring::Score;
use crate::domain::{Id, Level, Org, Quarter, RectStatus, Severity, VisitStatus};
use crate::service::Result;
use crate::service::summary::ProblemFacts;
use chrono::NaiveDate;
use std::collections::HashMap;

/// An approved finding as the bulletin counts it, at the bulletin's cutoff day.
pub struct Problem {
    pub id: Id,
    pub round: Id,
    pub item: Option<String>,
    pub severity: Severity,
    pub repeat: bool,
    pub status: RectStatus,
    pub deadline: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// An extension was asked for at some point.
    pub extended: bool,
    /// Due at the cutoff: its deadline has come, it was to be fixed on the spot, or it is already
    /// done (a fix finished early counts as due and done).
    pub due: bool,
    /// Open and past its deadline at the cutoff.
    pub overdue: bool,
}

impl Problem {
    fn of(round: Id, f: ProblemFacts, cutoff: NaiveDate) -> Problem {
        Problem {
            overdue: f.is_overdue(cutoff),
            due: f.immediate || f.deadline.is_some_and(|d| d <= cutoff) || f.status == RectStatus::Closed,
            id: f.id,
            round,
            item: f.item,
            severity: f.severity,
            repeat: f.repeat,
            status: f.status,
            deadline: f.deadline,
            closed_on: f.closed_on,
            extended: f.extended,
        }
    }
}

/// The organisations by code, with the county-level name above each worked out once per parent.
pub struct Places {
    orgs: HashMap<String, Org>,
    county: std::cell::RefCell<HashMap<String, String>>,
}

impl Places {
    pub fn load(snap: &dyn Snapshot) -> Result<Places> {
        let orgs = snap.orgs()?.into_iter().map(|o| (o.code.clone(), o)).collect();
        Ok(Places { orgs, county: Default::default() })
    }

    pub fn org(&self, code: &str) -> Option<&Org> {
        self.orgs.get(code)
    }

    /// The county-level name above `code` (or the nearest area above it).
    pub fn county(&self, code: &str) -> String {
        let Some(parent) = self.org(code).and_then(|o| o.parent.clone()) else { return String::new() };
        if let Some(known) = self.county.borrow().get(&parent) {
            return known.clone();
        }
        let mut cur = Some(parent.clone());
        let mut nearest = String::new();
        for _ in 0..64 {
            let Some(o) = cur.as_deref().and_then(|c| self.org(c)) else { break };
            if o.level == Level::County {
                nearest = o.name.clone();
                break;
            }
            if nearest.is_empty() && o.level.is_area() {
                nearest = o.name.clone();
            }
            cur = o.parent.clone();
        }
        self.county.borrow_mut().insert(parent, nearest.clone());
        nearest
    }

    /// How many organisations under `area` (or in all) a round inspects.
    pub fn inspectable(&self, area: Option<&str>) -> usize {
        self.orgs.values().filter(|o| crate::service::rounds::inspectable(o.level) && self.under(&o.code, area)).count()
    }

    /// Whether `code` is `area` or lies under it (everything, without an area).
    pub fn under(&self, code: &str, area: Option<&str>) -> bool {
        let Some(area) = area else { return true };
        let mut cur = Some(code);
        for _ in 0..64 {
            let Some(c) = cur else { break };
            if c == area {
                return true;
            }
            cur = self.org(c).and_then(|o| o.parent.as_deref());
        }
        false
    }
}

/// One quarter's approved visit with its score. An approved visit has every item answered, so its
/// score and grade are known.
pub struct Checked<'a> {
    pub org: &'a Org,
    pub county: String,
    pub score: Score,
    pub value: f64,
    pub grade: String,
    pub findings: Vec<Problem>,
}

/// What a quarter's rounds hold: the approved visits and what describes the rounds.
pub struct Quarterly<'a> {
    pub checked: Vec<Checked<'a>>,
    pub in_scope: usize,
    pub not_visited: usize,
    pub titles: Vec<String>,
    pub inspectors: Vec<String>,
    pub sampled: bool,
    pub grade_order: Vec<String>,
}

/// The quarter's rounds in `area`: its approved visits, their findings as at `cutoff`, and the
/// counts of the others.
pub fn checked<'a>(
    snap: &dyn Snapshot,
    q: Quarter,
    area: Option<&str>,
    today: NaiveDate,
    cutoff: NaiveDate,
    places: &'a Places,
) -> Result<Quarterly<'a>> {
    let mut out = Vec::new();
    let mut titles = Vec::new();
    let mut inspectors: Vec<String> = Vec::new();
    let mut sampled = false;
    let mut grade_order = Vec::new();
    let (mut in_scope, mut not_visited) = (0, 0);
    for r in snap.rounds()?.into_iter().filter(|r| r.quarter == q) {
        titles.push(r.title.clone());
        sampled |= matches!(r.scope, crate::domain::Scope::Sample { .. });
        if grade_order.is_empty() {
            grade_order = snap.template_of(&r)?.grades.iter().map(|g| g.name.clone()).collect();
        }
        for v in snap.visit_summaries(r.id)? {
            if !places.under(&v.org, area) {
                continue;
            }
            in_scope += 1;
            if v.status == VisitStatus::NotStarted {
                not_visited += 1;
            }
            if v.status != VisitStatus::Approved {
                continue;
            }
            if !v.inspector.is_empty() && !inspectors.contains(&v.inspector) {
                inspectors.push(v.inspector.clone());
            }
            let Some(org) = places.org(&v.org) else { continue };
            let score = v.score(today);
            let (Some(value), Some(grade)) = (score.score, score.grade.clone()) else { continue };
            let findings = v.problems.into_iter().map(|f| Problem::of(r.id, f, cutoff)).collect();
            out.push(Checked { county: places.county(&v.org), org, score, value, grade, findings });
        }
    }
    Ok(Quarterly { checked: out, in_scope, not_visited, titles, inspectors, sampled, grade_order })
}

/// The last day of a quarter.
pub fn quarter_end(q: Quarter) -> NaiveDate {
    let next = if q.q == 4 { Quarter { year: q.year + 1, q: 1 } } else { Quarter { year: q.year, q: q.q + 1 } };
    NaiveDate::from_ymd_opt(next.year, u32::from(next.q - 1) * 3 + 1, 1).and_then(|d| d.pred_opt()).unwrap_or_default()
}

/// Last quarter's findings as they stood at the cutoff their `due` and `overdue` were taken at
/// (the end of this quarter, or today if earlier).
pub fn rect_stats(findings: &[&Problem]) -> RectStats {
    let mut s = RectStats { total: findings.len(), ..Default::default() };
    for f in findings {
        if f.extended {
            s.extended += 1;
        }
        if !f.due {
            continue;
        }
        s.due += 1;
        if f.status == RectStatus::Closed {
            s.closed += 1;
            if f.deadline.is_none_or(|d| f.closed_on.is_some_and(|c| c <= d)) {
                s.on_time += 1;
            }
        } else if f.overdue {
            s.overdue += 1;
        }
    }
    s
}
