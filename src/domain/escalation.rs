//! The escalation ladder (督办层级) of an open finding, from its deadline and history: 提醒 before
//! the deadline, 督办 once overdue, 告诫/约谈 past a second threshold (or at once for an overdue
//! repeat problem), 问责建议 past a third. The thresholds are the office's (`[escalation]` in
//! config.toml); everything else is computed, never stored, so the rung moves with the calendar.

use super::vocab::Vocab;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The rungs, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rung {
    Remind,
    Supervise,
    Admonish,
    Accountability,
}

impl Vocab for Rung {
    const ALL: &'static [Self] = &[Rung::Remind, Rung::Supervise, Rung::Admonish, Rung::Accountability];
    fn words(self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            Rung::Remind => ("提醒", "reminder", &[]),
            Rung::Supervise => ("督办", "supervision", &[]),
            Rung::Admonish => ("告诫约谈", "admonition", &["约谈", "告诫"]),
            Rung::Accountability => ("问责建议", "accountability", &["问责"]),
        }
    }
}
crate::vocab_serde!(Rung);

/// The office's thresholds, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// 提醒 this many days before the deadline (and on it).
    pub remind_before: i64,
    /// 告诫/约谈 when overdue by more than this many days.
    pub admonish_after: i64,
    /// 问责建议 when overdue by more than this many days.
    pub accountability_after: i64,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds { remind_before: 7, admonish_after: 30, accountability_after: 60 }
    }
}

impl Thresholds {
    /// Why these cannot be used, if they cannot (a rung would never be reached, or a negative
    /// count of days).
    pub fn problem(&self) -> Option<String> {
        if self.remind_before < 0 || self.admonish_after < 1 || self.accountability_after <= self.admonish_after {
            return Some(format!(
                "remind_before={} admonish_after={} accountability_after={}",
                self.remind_before, self.admonish_after, self.accountability_after
            ));
        }
        None
    }
}

/// The two rungs that have a document of their own: the 督办通知单 and the 约谈通知.
pub const NOTICE_RUNGS: [Rung; 2] = [Rung::Supervise, Rung::Admonish];

/// A notice issued about a finding (督办通知单, 约谈通知), as its history keeps it: the rung, the
/// document's number when it has one, and the date by which the notice asks the fix done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issued {
    pub level: Rung,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub number: String,
    /// The date the notice sets for the fix (整改期限 in the notice). The finding's own deadline
    /// stays: a notice does not make an overdue problem less overdue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix_by: Option<NaiveDate>,
}

/// The rung of a finding still open on `day` whose deadline is `due` (None: no deadline, long
/// term: no rung). `repeat`: the finding repeats an earlier quarter's.
pub fn rung(due: Option<NaiveDate>, repeat: bool, day: NaiveDate, t: &Thresholds) -> Option<Rung> {
    rung_over((day - due?).num_days(), repeat, t)
}

/// The rung of an open finding `over` days past its deadline (negative: days left).
pub fn rung_over(over: i64, repeat: bool, t: &Thresholds) -> Option<Rung> {
    if over > t.accountability_after {
        Some(Rung::Accountability)
    } else if over > t.admonish_after || (repeat && over > 0) {
        Some(Rung::Admonish)
    } else if over > 0 {
        Some(Rung::Supervise)
    } else if -over <= t.remind_before {
        Some(Rung::Remind)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn each_rung_at_its_threshold() {
        let t = Thresholds::default();
        let due = Some(d("2026-12-01"));
        let at = |day: &str| rung(due, false, d(day), &t);
        assert_eq!(at("2026-11-23"), None, "8 days before");
        assert_eq!(at("2026-11-24"), Some(Rung::Remind), "7 days before");
        assert_eq!(at("2026-12-01"), Some(Rung::Remind), "the deadline itself");
        assert_eq!(at("2026-12-02"), Some(Rung::Supervise), "a day over");
        assert_eq!(at("2026-12-31"), Some(Rung::Supervise), "30 days over");
        assert_eq!(at("2027-01-01"), Some(Rung::Admonish), "31 days over");
        assert_eq!(at("2027-01-30"), Some(Rung::Admonish), "60 days over");
        assert_eq!(at("2027-01-31"), Some(Rung::Accountability), "61 days over");
        assert_eq!(rung(due, true, d("2026-12-02"), &t), Some(Rung::Admonish), "a repeat overdue at once");
        assert_eq!(rung(due, true, d("2026-11-30"), &t), Some(Rung::Remind), "a repeat not yet due");
        assert_eq!(rung(None, true, d("2027-06-01"), &t), None, "long term");
        assert!(Rung::Accountability > Rung::Remind);
    }

    #[test]
    fn thresholds_that_skip_a_rung_are_named() {
        assert!(Thresholds::default().problem().is_none());
        assert!(Thresholds { accountability_after: 30, ..Default::default() }.problem().is_some());
        assert!(Thresholds { remind_before: -1, ..Default::default() }.problem().is_some());
    }
}
