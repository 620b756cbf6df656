//! Honest limits on what people type and import. A record that judges someone should be
//! readable on one screen and one printed line, and a date should be one a plan can keep.

use super::round::Quarter;
use chrono::{NaiveDate, NaiveDateTime};

/// Names: organisations, people, round titles, teams.
pub const NAME_CHARS: usize = 100;
/// Descriptions, notes, requirements, comments, reasons.
pub const TEXT_CHARS: usize = 2000;
/// A deadline at most this many days after today (two years).
pub const DEADLINE_DAYS: u64 = 731;
/// Items in one template.
pub const TEMPLATE_ITEMS: usize = 2000;
/// Occurrences counted on one item (missing records, members short of study hours): more than
/// a branch could have is a typing slip.
pub const OCCURRENCES: u32 = 999;

/// Characters (not bytes) in `text`, trimmed.
pub fn chars(text: &str) -> usize {
    text.trim().chars().count()
}

/// Whether `text` fits in `max` characters.
pub fn fits(text: &str, max: usize) -> bool {
    chars(text) <= max
}

/// The latest deadline allowed when planning on `today`.
pub fn latest_deadline(today: NaiveDate) -> NaiveDate {
    today.checked_add_days(chrono::Days::new(DEADLINE_DAYS)).unwrap_or(NaiveDate::MAX)
}

/// The first day of a quarter.
pub fn quarter_start(q: Quarter) -> NaiveDate {
    NaiveDate::from_ymd_opt(q.year, u32::from(q.q - 1) * 3 + 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Why an arrival time cannot be true: it lies in the future, or before the round's quarter began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrivalProblem {
    Future,
    BeforeQuarter(NaiveDate),
}

/// Checks a stated arrival time against the clock (minute precision, as it is typed) and the
/// round's quarter.
pub fn check_arrival(arrived: NaiveDateTime, quarter: Quarter, now: NaiveDateTime) -> Result<(), ArrivalProblem> {
    let minute = |t: NaiveDateTime| (t.date(), t.time().format("%H:%M").to_string());
    if minute(arrived) > minute(now) {
        return Err(ArrivalProblem::Future);
    }
    let start = quarter_start(quarter);
    if arrived.date() < start {
        return Err(ArrivalProblem::BeforeQuarter(start));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn arrival_times_are_refused_in_the_future_and_before_the_quarter() {
        let q: Quarter = "2026Q4".parse().unwrap();
        let now = t("2026-11-22 09:30") + chrono::Duration::seconds(40);
        assert_eq!(check_arrival(t("2026-11-22 09:30"), q, now), Ok(()), "the current minute is not the future");
        assert_eq!(check_arrival(t("2026-11-22 09:31"), q, now), Err(ArrivalProblem::Future));
        assert_eq!(check_arrival(t("2026-10-01 00:00"), q, now), Ok(()));
        assert_eq!(check_arrival(t("2026-09-30 23:59"), q, now), Err(ArrivalProblem::BeforeQuarter("2026-10-01".parse().unwrap())));
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(fits(&"党".repeat(100), NAME_CHARS));
        assert!(!fits(&"党".repeat(101), NAME_CHARS));
        assert_eq!(latest_deadline("2026-11-22".parse().unwrap()).to_string(), "2028-11-22");
    }
}
