//! The rectification figures every document states, defined once (docs/figures.md): the
//! bulletin, its JSON, the statistics sheet and the screen all count through `rectification`, so
//! they cannot disagree, and a check by hand follows the same definitions.
//!
//! For a period (a quarter) judged as of a day (the end of the quarter, or `--as-of`):
//! - 到期应整改 (due): approved findings, not withdrawn, not long-term (长期整改), whose deadline
//!   after any extension granted by that day falls within the period, up to that day. Each
//!   finding is due in one period only, the one its deadline falls in: a finding fixed early
//!   counts there, once, not in the period it was fixed in.
//! - 已整改 (done): reported done (已整改待验收) or 已销号 by that day, dated by the day it was
//!   reported done.
//! - 按期整改 (on time): due and done on or before its deadline. 按期整改率 = on time ÷ due.
//! - 逾期 (overdue): due, not done by that day, and its deadline passed before that day.
//! - 往期逾期仍未整改 (carried over): due in an earlier period and still not done by that day.
//!
//! Rates are rounded half up to one decimal from the exact fraction (4.85 → 4.9), never from a
//! float that may be 4.8499….

use super::finding::RectType;
use super::rectification::RectStatus;
use super::round::Verdict;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One status change of a finding's rectification, as the figures need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub on: NaiveDate,
    pub to: RectStatus,
    /// A granted extension: the new deadline (a request alone moves nothing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granted: Option<NaiveDate>,
}

/// A finding's rectification history: enough to know its state on any day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    pub rect_type: RectType,
    /// The day it was approved; None for a finding of an older store.
    pub approved_on: Option<NaiveDate>,
    /// The deadline before any extension.
    pub first_deadline: Option<NaiveDate>,
    pub steps: Vec<Step>,
    /// The status it has now (a record written without steps, such as an import, keeps it).
    pub status: RectStatus,
    /// 销号日期 as recorded: the day it was done when no step says so.
    pub closed_on: Option<NaiveDate>,
}

impl Timeline {
    /// The timeline of a finding.
    pub fn of(f: &super::Finding) -> Timeline {
        let steps: Vec<Step> = f
            .rect
            .updates
            .iter()
            // A step that leaves the status (files, a notice, a look-back's note) moves nothing on
            // the timeline.
            .filter(|u| u.is_move())
            .map(|u| Step {
                on: u.on,
                to: u.to,
                granted: (u.from == RectStatus::ExtensionRequested && u.to == RectStatus::InProgress).then_some(u.deadline_to).flatten(),
            })
            .collect();
        // The deadline before the first grant; an edit without a step is the deadline itself.
        let first_deadline = f
            .rect
            .updates
            .iter()
            .find(|u| u.from == RectStatus::ExtensionRequested && u.to == RectStatus::InProgress && u.deadline_to.is_some())
            .map_or(f.deadline, |u| u.deadline_from);
        Timeline {
            rect_type: f.rect_type,
            approved_on: f.approved_on,
            first_deadline,
            steps,
            status: f.status,
            closed_on: f.rect.closed_on,
        }
    }

    /// The status on `day`: the last step on or before it; with no step yet, 待整改 (or the
    /// record's own status when it has no steps at all).
    pub fn status_on(&self, day: NaiveDate) -> RectStatus {
        if self.steps.is_empty() {
            return self.status;
        }
        self.steps.iter().rev().find(|s| s.on <= day).map_or(RectStatus::Pending, |s| s.to)
    }

    /// The deadline on `day`, after the extensions granted by then. An on-the-spot fix without a
    /// date was due the day it was approved.
    pub fn deadline_on(&self, day: NaiveDate) -> Option<NaiveDate> {
        let granted = self.steps.iter().rev().filter(|s| s.on <= day).find_map(|s| s.granted);
        granted.or(self.first_deadline).or(if self.rect_type == RectType::Immediate { self.approved_on } else { None })
    }

    /// The day it was reported done, when it is done (已整改待验收 or 已销号) on `day`.
    pub fn done_on(&self, day: NaiveDate) -> Option<NaiveDate> {
        let status = self.status_on(day);
        if !matches!(status, RectStatus::AwaitingAcceptance | RectStatus::Closed) {
            return None;
        }
        let reported = self.steps.iter().rev().filter(|s| s.on <= day).find(|s| s.to == RectStatus::AwaitingAcceptance).map(|s| s.on);
        reported.or(self.steps.iter().rev().find(|s| s.on <= day && s.to == RectStatus::Closed).map(|s| s.on)).or(self.closed_on)
    }

    /// Whether an extension was asked for by `day`.
    pub fn extension_asked(&self, day: NaiveDate) -> bool {
        self.steps.iter().any(|s| s.on <= day && s.to == RectStatus::ExtensionRequested)
    }
}

/// Where a finding stands in a period, judged on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Withdrawn, or not approved by the day: in no figure.
    NotCounted,
    /// 长期整改: never due.
    LongTerm,
    /// Its deadline falls after the period (or the day): not due yet, whatever it has done.
    NotDue,
    /// Due in an earlier period.
    Earlier { done: bool },
    /// Due in this period.
    Due { done: bool, on_time: bool, overdue: bool },
}

/// A period: its first and last day, judged as of `as_of` (the last day at the latest counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub as_of: NaiveDate,
}

impl Period {
    /// The last day a deadline may fall on to be due: the end, or the day judged if earlier.
    pub fn last_due_day(&self) -> NaiveDate {
        self.end.min(self.as_of)
    }
}

/// Where `t` stands in `p`.
pub fn standing(t: &Timeline, withdrawn: bool, p: &Period) -> Standing {
    if withdrawn || t.approved_on.is_some_and(|a| a > p.as_of) {
        return Standing::NotCounted;
    }
    if t.rect_type == RectType::LongTerm {
        return Standing::LongTerm;
    }
    let Some(deadline) = t.deadline_on(p.as_of) else { return Standing::NotDue };
    let done = t.done_on(p.as_of);
    if deadline > p.last_due_day() {
        return Standing::NotDue;
    }
    if deadline < p.start {
        return Standing::Earlier { done: done.is_some() };
    }
    Standing::Due { done: done.is_some(), on_time: done.is_some_and(|d| d <= deadline), overdue: done.is_none() && deadline < p.as_of }
}

/// The rectification figures of a set of findings in a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RectFigures {
    /// Approved findings counted (not withdrawn).
    pub total: usize,
    /// 到期应整改
    pub due: usize,
    /// Due and done by the day judged (on time or late).
    pub done: usize,
    /// 按期整改
    pub on_time: usize,
    /// 逾期未整改
    pub overdue: usize,
    /// Due on the day judged and not yet done: neither on time nor overdue yet.
    pub due_today_open: usize,
    /// 往期逾期仍未整改
    pub carried_over: usize,
    /// 长期整改
    pub long_term: usize,
    /// Not due yet in this period.
    pub not_due: usize,
    /// 申请延期 asked by the day judged.
    pub extension_asked: usize,
}

impl RectFigures {
    /// 按期整改率 (on time ÷ due), rounded half up to one decimal; None when nothing is due.
    pub fn on_time_rate(&self) -> Option<String> {
        percent(self.on_time, self.due)
    }
    /// 整改完成率 (done ÷ due).
    pub fn done_rate(&self) -> Option<String> {
        percent(self.done, self.due)
    }
}

/// Counts `findings` (each a timeline and whether withdrawn) in `p`.
pub fn rectification<'a>(findings: impl IntoIterator<Item = (&'a Timeline, bool)>, p: &Period) -> RectFigures {
    let mut r = RectFigures::default();
    for (t, withdrawn) in findings {
        let s = standing(t, withdrawn, p);
        if s == Standing::NotCounted {
            continue;
        }
        r.total += 1;
        if t.extension_asked(p.as_of) {
            r.extension_asked += 1;
        }
        match s {
            Standing::NotCounted => {}
            Standing::LongTerm => r.long_term += 1,
            Standing::NotDue => r.not_due += 1,
            Standing::Earlier { done } => r.carried_over += usize::from(!done),
            Standing::Due { done, on_time, overdue } => {
                r.due += 1;
                r.done += usize::from(done);
                r.on_time += usize::from(on_time);
                r.overdue += usize::from(overdue);
                r.due_today_open += usize::from(!done && !overdue);
            }
        }
    }
    r
}

/// A verdict that makes a later finding on the same item a repeat (重复问题).
pub fn is_repeat_source(v: Verdict) -> bool {
    matches!(v, Verdict::Fails | Verdict::Partly)
}

/// `part ÷ whole` as a percentage with one decimal, rounded half up from the exact fraction.
pub fn percent(part: usize, whole: usize) -> Option<String> {
    (whole > 0).then(|| tenths(u128::from(part as u64) * 1000, u128::from(whole as u64)))
}

/// `num ÷ den` rounded half up to tenths, written with one decimal.
fn tenths(num: u128, den: u128) -> String {
    // num/den × 10 tenths… here num already carries ×1000 for a percentage (×100) in tenths (×10).
    let t = (2 * num + den) / (2 * den);
    format!("{}.{}", t / 10, t % 10)
}

/// `x` rounded half up to one decimal as written: from its shortest decimal form, so 4.85 is 4.9
/// (formatting the float would give 4.8, as 4.85 is stored as 4.8499…).
pub fn one_decimal(x: f64) -> String {
    if !x.is_finite() {
        return "-".to_string();
    }
    let neg = x < 0.0;
    let text = format!("{}", x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut digits: Vec<u8> = int.bytes().map(|b| b - b'0').collect();
    let first = frac.bytes().next().map_or(0, |b| b - b'0');
    let second = frac.as_bytes().get(1).map_or(0, |b| b - b'0');
    digits.push(first);
    if second >= 5 {
        // Carry through the digits, the tenth included.
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let tenth = digits.pop().unwrap_or(0);
    let int: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    let int = if int.is_empty() { "0".to_string() } else { int };
    let sign = if neg && (int != "0" || tenth != 0) { "-" } else { "" };
    format!("{sign}{int}.{tenth}")
}

/// An average of scores, rounded half up to one decimal from the exact mean. Scores are kept in
/// hundredths (scoring rounds them so), so they are summed as whole hundredths: the mean of 70.1
/// and 70.8 is 70.45 and prints 70.5 (a float sum would give 70.4499… and 70.4).
pub fn average(values: &[f64]) -> Option<String> {
    if values.is_empty() || values.iter().any(|v| !v.is_finite()) {
        return (!values.is_empty()).then(|| "-".to_string());
    }
    let sum: i128 = values.iter().map(|v| (v * 100.0).round() as i128).sum();
    let n = values.len() as i128;
    // Tenths of the mean, half up: (sum / 10n) rounded, as (2·sum + 10n) / 20n for sum ≥ 0.
    let (neg, sum) = (sum < 0, sum.abs());
    let t = (2 * sum + 10 * n) / (20 * n);
    let sign = if neg && t != 0 { "-" } else { "" };
    Some(format!("{sign}{}.{}", t / 10, t % 10))
}

#[cfg(test)]
mod tests {
    use super::*;
    use RectStatus::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(deadline: &str, steps: &[(&str, RectStatus, Option<&str>)]) -> Timeline {
        Timeline {
            rect_type: RectType::ByDeadline,
            approved_on: Some(d("2026-10-10")),
            first_deadline: Some(d(deadline)),
            steps: steps.iter().map(|(on, to, g)| Step { on: d(on), to: *to, granted: g.map(d) }).collect(),
            status: steps.last().map_or(Pending, |s| s.1),
            closed_on: None,
        }
    }

    fn q4(as_of: &str) -> Period {
        Period { start: d("2026-10-01"), end: d("2026-12-31"), as_of: d(as_of) }
    }

    #[test]
    fn half_up_from_the_decimal_not_the_float() {
        assert_eq!(one_decimal(4.85), "4.9");
        assert_eq!(one_decimal(4.84999), "4.8");
        assert_eq!(one_decimal(99.95), "100.0");
        assert_eq!(one_decimal(0.05), "0.1");
        assert_eq!(one_decimal(-0.04), "0.0");
        assert_eq!(one_decimal(97.0), "97.0");
        assert_eq!(one_decimal(f64::NAN), "-");
        // 97/200 = 48.5 %; 1/3 = 33.33 %; 2/3 = 66.67 %; 1/8 = 12.5 %.
        assert_eq!(percent(97, 200).as_deref(), Some("48.5"));
        assert_eq!(percent(1, 3).as_deref(), Some("33.3"));
        assert_eq!(percent(2, 3).as_deref(), Some("66.7"));
        assert_eq!(percent(1, 8).as_deref(), Some("12.5"));
        assert_eq!(percent(1, 16).as_deref(), Some("6.3"), "6.25 rounds up");
        assert_eq!(percent(0, 0), None);
        // Means from whole hundredths, not a float sum.
        assert_eq!(average(&[70.1, 70.8]).as_deref(), Some("70.5"));
        assert_eq!(average(&[96.0, 96.5, 97.0, 95.5]).as_deref(), Some("96.3"));
        assert_eq!(average(&[99.99, 99.9]).as_deref(), Some("99.9"), "99.945 → 99.9");
        assert_eq!(average(&[]), None);
    }

    #[test]
    fn a_finding_is_due_in_the_period_its_deadline_falls_in_once() {
        // Done early (Sept for a December deadline): not due in Q3, due and on time in Q4.
        let mut early = t("2026-12-15", &[("2026-09-20", AwaitingAcceptance, None)]);
        early.approved_on = Some(d("2026-09-01"));
        let q3 = Period { start: d("2026-07-01"), end: d("2026-09-30"), as_of: d("2026-09-30") };
        assert_eq!(standing(&early, false, &q3), Standing::NotDue);
        assert_eq!(standing(&early, false, &q4("2026-12-31")), Standing::Due { done: true, on_time: true, overdue: false });
        // In Q1 it was due earlier and is done: nothing carried over.
        let q1 = Period { start: d("2027-01-01"), end: d("2027-03-31"), as_of: d("2027-03-31") };
        assert_eq!(standing(&early, false, &q1), Standing::Earlier { done: true });
    }

    #[test]
    fn states_are_taken_as_of_the_day_judged() {
        // Done in January after a December deadline: overdue at the end of Q4, judged again next
        // month with the same answer.
        let late = t("2026-12-10", &[("2026-11-01", InProgress, None), ("2027-01-05", AwaitingAcceptance, None)]);
        let s = standing(&late, false, &q4("2026-12-31"));
        assert_eq!(s, Standing::Due { done: false, on_time: false, overdue: true });
        // As of mid-December: overdue; as of the deadline itself: due, not yet overdue.
        assert_eq!(standing(&late, false, &q4("2026-12-10")), Standing::Due { done: false, on_time: false, overdue: false });
        assert_eq!(standing(&late, false, &q4("2026-12-09")), Standing::NotDue);
    }

    #[test]
    fn a_granted_extension_moves_the_deadline_from_the_day_it_was_granted() {
        let ext = t("2026-11-30", &[("2026-11-20", ExtensionRequested, None), ("2026-11-25", InProgress, Some("2027-01-31"))]);
        assert_eq!(ext.deadline_on(d("2026-11-24")), Some(d("2026-11-30")));
        assert_eq!(ext.deadline_on(d("2026-12-31")), Some(d("2027-01-31")));
        assert_eq!(standing(&ext, false, &q4("2026-12-31")), Standing::NotDue);
        assert!(ext.extension_asked(d("2026-12-31")) && !ext.extension_asked(d("2026-11-19")));
    }

    #[test]
    fn closed_is_dated_by_the_day_reported_done() {
        let c = t(
            "2026-11-30",
            &[
                ("2026-11-28", AwaitingAcceptance, None),
                ("2026-12-05", Rejected, None),
                ("2026-12-08", AwaitingAcceptance, None),
                ("2026-12-20", Closed, None),
            ],
        );
        assert_eq!(c.done_on(d("2026-11-29")), Some(d("2026-11-28")));
        assert_eq!(c.done_on(d("2026-12-06")), None, "rejected: not done");
        assert_eq!(c.done_on(d("2026-12-31")), Some(d("2026-12-08")));
        assert_eq!(standing(&c, false, &q4("2026-12-31")), Standing::Due { done: true, on_time: false, overdue: false });
    }

    #[test]
    fn long_term_withdrawn_and_later_approvals_are_not_due() {
        let mut long = t("2026-11-01", &[]);
        long.rect_type = RectType::LongTerm;
        assert_eq!(standing(&long, false, &q4("2026-12-31")), Standing::LongTerm);
        assert_eq!(standing(&t("2026-11-01", &[]), true, &q4("2026-12-31")), Standing::NotCounted);
        let mut later = t("2026-11-01", &[]);
        later.approved_on = Some(d("2027-01-02"));
        assert_eq!(standing(&later, false, &q4("2026-12-31")), Standing::NotCounted);
        let mut spot = t("2026-11-01", &[]);
        (spot.rect_type, spot.first_deadline) = (RectType::Immediate, None);
        assert_eq!(spot.deadline_on(d("2026-12-31")), Some(d("2026-10-10")), "due the day approved");
    }

    #[test]
    fn the_figures_add_up() {
        let all = [
            t("2026-11-10", &[("2026-11-09", AwaitingAcceptance, None)]), // on time
            t("2026-11-10", &[("2026-11-20", AwaitingAcceptance, None), ("2026-11-25", Closed, None)]), // late
            t("2026-11-10", &[("2026-11-01", InProgress, None)]),         // overdue
            t("2026-12-31", &[]),                                         // due today, open
            t("2027-02-01", &[]),                                         // not due
            t("2026-09-01", &[]),                                         // carried over
        ];
        let r = rectification(all.iter().map(|t| (t, false)), &q4("2026-12-31"));
        assert_eq!((r.total, r.due, r.done, r.on_time, r.overdue, r.due_today_open), (6, 4, 2, 1, 1, 1));
        assert_eq!((r.carried_over, r.not_due, r.long_term), (1, 1, 0));
        assert_eq!((r.on_time_rate().as_deref(), r.done_rate().as_deref()), (Some("25.0"), Some("50.0")));
    }
}
