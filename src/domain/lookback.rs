//! Look-back rounds (回头看): a round over the organisations that had problems in an earlier
//! round, whose visits check that each problem stays fixed. The inspector marks every earlier
//! problem 已巩固 (held), 反弹 (came back) or 未整改到位 (not done, though reported done); the
//! marks take effect when the look-back visit is approved. Pure: the rules and the counts.

use super::finding::Finding;
use super::ids::Id;
use super::rectification::RectStatus;
use super::vocab::Vocab;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What the look-back found of one earlier problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mark {
    /// 已巩固: fixed and still fixed.
    Held,
    /// 反弹: fixed once, and back: open again as a new problem of the look-back visit that
    /// repeats the earlier one.
    Relapsed,
    /// 未整改到位: reported done, but not done: the earlier problem is reopened (退回重改) and the
    /// step that reported it done is flagged.
    NotDone,
}

impl Vocab for Mark {
    const ALL: &'static [Self] = &[Mark::Held, Mark::Relapsed, Mark::NotDone];
    fn words(self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            Mark::Held => ("已巩固", "held", &["巩固"]),
            Mark::Relapsed => ("反弹", "relapsed", &["came back"]),
            Mark::NotDone => ("未整改到位", "not done", &["未到位"]),
        }
    }
}
crate::vocab_serde!(Mark);

/// One earlier problem as the look-back visit judged it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recheck {
    /// The earlier finding's id, and its number as the inspector saw it.
    pub finding: Id,
    #[serde(default)]
    pub number: String,
    pub mark: Mark,
    /// What the inspector saw.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// For 反弹: the new finding of this visit that records the problem again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relapse: Option<Id>,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// What a look-back's approval wrote in an earlier finding's history: the look-back round, the
/// mark, and for 未整改到位 the step it flags (the day and person that reported the fix done).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rechecked {
    pub round: Id,
    pub mark: Mark,
    /// 未整改到位: the day of the step that reported the fix done, and who reported it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub flags_by: String,
    /// 反弹: the new problem's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relapse: Option<Id>,
}

/// Whether an earlier finding is one a look-back revisits: approved (numbered) and not withdrawn.
pub fn revisitable(f: &Finding) -> bool {
    f.number.is_some() && f.status != RectStatus::Withdrawn
}

/// Whether `f` was reported done (已整改待验收 or 已销号): 未整改到位 reopens only those; an open
/// problem marked so stays open and is simply still to fix.
pub fn reported_done(f: &Finding) -> bool {
    matches!(f.status, RectStatus::AwaitingAcceptance | RectStatus::Closed)
}

/// The step that reported `f` done, if any: the last step to 已整改待验收.
pub fn claim(f: &Finding) -> Option<&super::RectUpdate> {
    f.rect.updates.iter().rev().find(|u| u.is_move() && u.to == RectStatus::AwaitingAcceptance)
}

/// The look-back results of some approved look-back visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// Look-back visits approved.
    pub visits: usize,
    pub held: usize,
    pub relapsed: usize,
    pub not_done: usize,
}

impl Tally {
    pub fn add(&mut self, rechecks: &[Recheck]) {
        self.visits += 1;
        for r in rechecks {
            match r.mark {
                Mark::Held => self.held += 1,
                Mark::Relapsed => self.relapsed += 1,
                Mark::NotDone => self.not_done += 1,
            }
        }
    }
    pub fn checked(&self) -> usize {
        self.held + self.relapsed + self.not_done
    }
    /// 巩固率: held of those checked, as the bulletin states rates (one decimal, half up); None
    /// when none was checked.
    pub fn held_rate(&self) -> Option<String> {
        super::figures::percent(self.held, self.checked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(mark: Mark) -> Recheck {
        Recheck {
            finding: Id::new(),
            number: String::new(),
            mark,
            note: String::new(),
            relapse: None,
            by: "x".into(),
            at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn marks_parse_by_their_words() {
        assert_eq!(Mark::parse_word("已巩固"), Some(Mark::Held));
        assert_eq!(Mark::parse_word("反弹"), Some(Mark::Relapsed));
        assert_eq!(Mark::parse_word("未整改到位"), Some(Mark::NotDone));
        assert_eq!(Mark::parse_word("not done"), Some(Mark::NotDone));
        assert_eq!(Mark::parse_word("好"), None);
    }

    #[test]
    fn the_tally_counts_marks_and_the_held_rate_rounds_half_up() {
        let mut t = Tally::default();
        assert_eq!(t.held_rate(), None);
        t.add(&[r(Mark::Held), r(Mark::Held), r(Mark::Relapsed)]);
        t.add(&[r(Mark::NotDone)]);
        assert_eq!((t.visits, t.held, t.relapsed, t.not_done, t.checked()), (2, 2, 1, 1, 4));
        assert_eq!(t.held_rate().as_deref(), Some("50.0"));
        let third = Tally { visits: 1, held: 2, relapsed: 1, not_done: 0 };
        assert_eq!(third.held_rate().as_deref(), Some("66.7"), "2/3 = 66.67% → 66.7%");
    }

    #[test]
    fn only_numbered_live_findings_are_revisited_and_only_done_ones_reopen() {
        let mut f = Finding::sample(RectStatus::Closed, None);
        assert!(!revisitable(&f), "not approved");
        f.number = Some("2026Q3-0001".into());
        assert!(revisitable(&f) && reported_done(&f));
        f.status = RectStatus::InProgress;
        assert!(!reported_done(&f));
        f.status = RectStatus::Withdrawn;
        assert!(!revisitable(&f));
    }
}
