//! Where "now" comes from. Services, reports and screens take the time from the clock they are
//! given and never read the system clock themselves, so a test (or `xuncha --now`) can fix the
//! moment and get the same result every time.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The computer's clock.
    #[default]
    System,
    /// A fixed moment: tests and reproducible runs.
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// A clock fixed at a local wall-clock time, e.g. "2026-11-22 09:30" or "2026-11-22T09:30:00".
    pub fn fixed_local(text: &str) -> Option<Clock> {
        let t = text.trim();
        let naive = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
            .or_else(|| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(9, 0, 0)))?;
        Local.from_local_datetime(&naive).earliest().map(|d| Clock::Fixed(d.with_timezone(&Utc)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
        }
    }

    /// Local wall-clock time, as inspectors read it on their watch.
    pub fn local_now(&self) -> NaiveDateTime {
        self.now().with_timezone(&Local).naive_local()
    }

    /// The local date.
    pub fn today(&self) -> NaiveDate {
        self.local_now().date()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_reads_back_its_local_time() {
        let c = Clock::fixed_local("2026-11-22 09:30").unwrap();
        assert_eq!(c.local_now().to_string(), "2026-11-22 09:30:00");
        assert_eq!(c.today().to_string(), "2026-11-22");
        assert_eq!(c.now(), c.now(), "a fixed clock does not move");
        assert_eq!(Clock::fixed_local("2026-11-22").unwrap().local_now().to_string(), "2026-11-22 09:00:00");
        assert!(Clock::fixed_local("tomorrow").is_none());
    }
}
