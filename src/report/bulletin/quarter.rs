//! What the rounds hold, read for the bulletin: the organisations once (names, levels, fields, the
//! group each is ranked in), and each visit's figures and approved findings' facts from the visit
//! aggregates. No result and no finding record is decoded (a province has millions and hundreds
//! of thousands): only the few findings quoted or listed are read.

use super::super::Snapshot;
use crate::domain::figures::Timeline;
use crate::domain::scoring::{Cause, FindingFacts, Warning, WarningFacts, warning_why};
use crate::domain::{Id, Level, Org, Quarter, Round, Severity, Template, VisitStatus};
use crate::service::Result;
use crate::service::summary::VisitSummary;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// An approved finding as the bulletin counts it.
pub struct Problem {
    pub id: Id,
    pub item: Option<String>,
    pub severity: Severity,
    /// A repeat: marked when approved, or the same organisation answered the item 不符合 or
    /// 部分符合 in an earlier quarter.
    pub repeat: bool,
    pub timeline: Timeline,
}

/// The organisations by code, with the group each is ranked in worked out once per parent.
pub struct Places {
    orgs: HashMap<String, Org>,
    area: Option<String>,
    group: std::cell::RefCell<HashMap<String, String>>,
}

impl Places {
    pub fn load(snap: &dyn Snapshot, area: Option<&str>) -> Result<Places> {
        let orgs = snap.orgs()?.into_iter().map(|o| (o.code.clone(), o)).collect();
        Ok(Places { orgs, area: area.map(str::to_string), group: Default::default() })
    }

    pub fn org(&self, code: &str) -> Option<&Org> {
        self.orgs.get(code)
    }

    /// The group `code` is ranked in. In an area's bulletin: the area just below it on the way to
    /// the organisation (a county's townships), or the area itself for an organisation directly
    /// under it. In the whole: the county above it (or the nearest area).
    pub fn group(&self, code: &str) -> String {
        let Some(parent) = self.org(code).and_then(|o| o.parent.clone()) else { return String::new() };
        if let Some(known) = self.group.borrow().get(&parent) {
            return known.clone();
        }
        let found = match &self.area {
            Some(area) => self.child_of_area(&parent, area),
            None => self.county(&parent),
        };
        self.group.borrow_mut().insert(parent, found.clone());
        found
    }

    fn child_of_area(&self, parent: &str, area: &str) -> String {
        let own = self.org(area).map_or_else(|| area.to_string(), |o| o.name.clone());
        let mut cur = Some(parent.to_string());
        for _ in 0..64 {
            let Some(o) = cur.as_deref().and_then(|c| self.org(c)) else { break };
            if o.code == area {
                return own;
            }
            if o.parent.as_deref() == Some(area) {
                return if o.level.is_area() { o.name.clone() } else { own };
            }
            cur = o.parent.clone();
        }
        own
    }

    fn county(&self, parent: &str) -> String {
        let mut cur = Some(parent.to_string());
        let mut nearest = String::new();
        for _ in 0..64 {
            let Some(o) = cur.as_deref().and_then(|c| self.org(c)) else { break };
            if o.level == Level::County {
                return o.name.clone();
            }
            if nearest.is_empty() && o.level.is_area() {
                nearest = o.name.clone();
            }
            cur = o.parent.clone();
        }
        nearest
    }

    /// How many organisations under the area (or in all) a round inspects.
    pub fn inspectable(&self) -> usize {
        self.orgs.values().filter(|o| crate::service::rounds::inspectable(o.level) && self.under(&o.code)).count()
    }

    /// Whether `code` is the area or lies under it (everything, without an area).
    pub fn under(&self, code: &str) -> bool {
        let Some(area) = &self.area else { return true };
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

/// One approved visit with its figures, its warning as of the day judged.
pub struct Checked<'a> {
    pub org: &'a Org,
    pub group: String,
    pub round: Id,
    pub value: f64,
    pub grade: String,
    pub veto: bool,
    pub warning: Option<(Warning, Vec<Cause>)>,
    pub findings: Vec<Problem>,
}

/// Every round up to the bulletin's quarter, with its template and its visits in the area.
pub struct Rounds {
    pub rounds: Vec<(Round, Template, Vec<VisitSummary>)>,
}

impl Rounds {
    pub fn load(snap: &dyn Snapshot, up_to: Quarter, places: &Places) -> Result<Rounds> {
        let mut rounds = Vec::new();
        let mut all = snap.rounds()?;
        // In the order they were made (ids are time-ordered): the latest visit of an organisation
        // is the last one.
        all.sort_by_key(|r| (r.quarter, r.id));
        for r in all.into_iter().filter(|r| r.quarter <= up_to) {
            let template = snap.template_of(&r)?;
            let visits = snap.visit_summaries(r.id)?.into_iter().filter(|v| places.under(&v.org)).collect();
            rounds.push((r, template, visits));
        }
        Ok(Rounds { rounds })
    }

    pub fn of(&self, q: Quarter) -> impl Iterator<Item = &(Round, Template, Vec<VisitSummary>)> {
        self.rounds.iter().filter(move |(r, _, _)| r.quarter == q)
    }

    /// The items each organisation answered 不符合 or 部分符合 in an approved visit before `q`
    /// (a visit returned or never approved is not on the record).
    pub fn failed_before(&self, q: Quarter) -> HashMap<&str, HashSet<&str>> {
        let mut out: HashMap<&str, HashSet<&str>> = HashMap::new();
        for (_, _, visits) in self.rounds.iter().filter(|(r, _, _)| r.quarter < q && r.revisits().is_none()) {
            for v in visits.iter().filter(|v| v.status == VisitStatus::Approved) {
                out.entry(v.org.as_str()).or_default().extend(v.failed_items.iter().map(String::as_str));
            }
        }
        out
    }

    /// The template of a round.
    pub fn template(&self, round: Id) -> Option<&Template> {
        self.rounds.iter().find(|(r, _, _)| r.id == round).map(|(_, t, _)| t)
    }
}

/// A quarter's visits in the area: the approved ones with their figures, and the others counted.
pub struct Quarterly<'a> {
    pub checked: Vec<Checked<'a>>,
    pub in_scope: usize,
    pub not_visited: usize,
}

/// The quarter's approved visits, their findings and warnings as of `as_of`. An organisation
/// visited by several rounds of the quarter (a full round and a spot check) counts once, by its
/// latest approved visit; findings approved after `as_of` are not yet on the record.
pub fn checked<'a>(rounds: &Rounds, q: Quarter, as_of: NaiveDate, places: &'a Places) -> Quarterly<'a> {
    let earlier = rounds.failed_before(q);
    // Each organisation once: its latest approved visit, else whether it was visited at all.
    let mut latest: HashMap<&str, (&Round, &Template, &VisitSummary)> = HashMap::new();
    let mut seen: HashMap<&str, bool> = HashMap::new();
    // A look-back (回头看) checks earlier problems, not the organisation: it is no visit here
    // (its results are counted apart: `lookback`).
    for (r, template, visits) in rounds.of(q).filter(|(r, _, _)| r.revisits().is_none()) {
        for v in visits {
            let visited = seen.entry(v.org.as_str()).or_insert(false);
            *visited |= v.status != VisitStatus::NotStarted;
            if v.status == VisitStatus::Approved {
                latest.insert(v.org.as_str(), (r, template, v));
            }
        }
    }
    let in_scope = seen.len();
    let not_visited = seen.values().filter(|visited| !**visited).count();
    let mut chosen: Vec<(&Round, &Template, &VisitSummary)> = latest.into_values().collect();
    chosen.sort_by(|a, b| a.2.org.cmp(&b.2.org));
    let mut out = Vec::new();
    for (r, template, v) in chosen {
        let Some(org) = places.org(&v.org) else { continue };
        let (Some(value), Some(grade)) = (v.score, v.grade.clone()) else { continue };
        let failed = earlier.get(v.org.as_str());
        let findings: Vec<Problem> = v
            .problems
            .iter()
            .filter(|f| f.timeline.approved_on.is_none_or(|d| d <= as_of))
            .map(|f| Problem {
                id: f.id,
                item: f.item.clone(),
                severity: f.severity,
                repeat: f.repeat || f.item.as_deref().is_some_and(|i| failed.is_some_and(|set| set.contains(i))),
                timeline: f.timeline.clone(),
            })
            .collect();
        let facts: Vec<FindingFacts> = findings
            .iter()
            .map(|f| {
                let open = f.timeline.status_on(as_of).is_open();
                let overdue = open && f.timeline.deadline_on(as_of).is_some_and(|d| d < as_of);
                FindingFacts { severity: f.severity, open, overdue }
            })
            .collect();
        let warning = warning_why(template, &WarningFacts { grade: &grade, vetoed: v.veto, weak_lead: v.weak_lead, findings: &facts });
        out.push(Checked { group: places.group(&v.org), org, round: r.id, value, grade, veto: v.veto, warning, findings });
    }
    Quarterly { checked: out, in_scope, not_visited }
}

/// The first day of a quarter.
pub fn quarter_start(q: Quarter) -> NaiveDate {
    NaiveDate::from_ymd_opt(q.year, u32::from(q.q - 1) * 3 + 1, 1).unwrap_or_default()
}

/// The last day of a quarter.
pub fn quarter_end(q: Quarter) -> NaiveDate {
    let next = if q.q == 4 { Quarter { year: q.year + 1, q: 1 } } else { Quarter { year: q.year, q: q.q + 1 } };
    quarter_start(next).pred_opt().unwrap_or_default()
}

/// The quarter's look-back results: the approved visits of its look-back rounds in the area and
/// what they found of each earlier problem.
pub fn lookback(snap: &dyn Snapshot, rounds: &Rounds, q: Quarter, places: &Places) -> Result<crate::domain::lookback::Tally> {
    let mut t = crate::domain::lookback::Tally::default();
    for (r, _, _) in rounds.of(q).filter(|(r, _, _)| r.revisits().is_some()) {
        for v in snap.visits(r.id)?.into_iter().filter(|v| v.status == VisitStatus::Approved && places.under(&v.org)) {
            t.add(&v.rechecks);
        }
    }
    Ok(t)
}
