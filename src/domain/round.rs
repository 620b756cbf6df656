//! Rounds (督查批次), visits (one per organisation in a round) and item results.

use super::ids::Id;
use super::org::Field;
use super::vocab::Vocab;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A calendar quarter, written `2026Q4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Quarter {
    pub year: i32,
    pub q: u8,
}

impl Quarter {
    pub fn of(date: NaiveDate) -> Self {
        Quarter { year: date.year(), q: (date.month0() / 3 + 1) as u8 }
    }
    pub fn previous(self) -> Self {
        if self.q == 1 { Quarter { year: self.year - 1, q: 4 } } else { Quarter { year: self.year, q: self.q - 1 } }
    }
    /// 2026年第四季度
    pub fn zh_title(self) -> String {
        const N: [&str; 4] = ["一", "二", "三", "四"];
        format!("{}年第{}季度", self.year, N[(self.q - 1) as usize])
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.q)
    }
}

impl FromStr for Quarter {
    type Err = String;
    /// Exactly `YYYYQn` (n from 1 to 4; `q` also accepted), nothing more: a quarter is a key of
    /// problem numbers and bulletins, and a loose spelling would make two of one.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || crate::i18n::K::QuarterBad.fill(&[&s]);
        let b = s.trim().as_bytes();
        let ok = b.len() == 6 && b[..4].iter().all(u8::is_ascii_digit) && matches!(b[4], b'Q' | b'q') && (b'1'..=b'4').contains(&b[5]);
        if !ok {
            return Err(bad());
        }
        let year: i32 = s.trim()[..4].parse().map_err(|_| bad())?;
        if !(2000..=2200).contains(&year) {
            return Err(bad());
        }
        Ok(Quarter { year, q: b[5] - b'0' })
    }
}

impl TryFrom<String> for Quarter {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl From<Quarter> for String {
    fn from(q: Quarter) -> String {
        q.to_string()
    }
}

/// How a round's organisations were chosen; recorded so the choice can be explained later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// Every Party organisation under `under` (of `field`, when given).
    Subtree { under: String, field: Option<Field> },
    /// A random share of them; the rate and seed are kept so the sample can be drawn again.
    Sample { under: Option<String>, field: Option<Field>, rate: f64, seed: u64 },
    /// An explicit list.
    List,
    /// A look-back (回头看) at `round`: the organisations that had problems there.
    Revisit { round: Id },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Round {
    pub id: Id,
    pub title: String,
    pub quarter: Quarter,
    pub template_id: String,
    /// The content hash of the template snapshot this round uses.
    pub template_hash: String,
    pub scope: Scope,
    /// How many organisations the round covers; each has a `Visit` record (kept separately, so a
    /// verdict never reads or rewrites a list of thousands).
    pub org_count: usize,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

impl Round {
    /// The round this one looks back at, when it is a look-back (回头看).
    pub fn revisits(&self) -> Option<Id> {
        match self.scope {
            Scope::Revisit { round } => Some(round),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VisitStatus {
    NotStarted,
    InProgress,
    Submitted,
    Returned,
    Approved,
}

impl VisitStatus {
    /// 未开始 → 检查中 → 已提交 → 已退回 → 已提交 → 已通过.
    pub fn can_move_to(self, to: VisitStatus) -> bool {
        use VisitStatus::*;
        matches!(
            (self, to),
            (NotStarted, InProgress) | (InProgress, Submitted) | (Returned, Submitted) | (Submitted, Returned) | (Submitted, Approved)
        )
    }
}

impl Vocab for VisitStatus {
    const ALL: &'static [Self] =
        &[VisitStatus::NotStarted, VisitStatus::InProgress, VisitStatus::Submitted, VisitStatus::Returned, VisitStatus::Approved];
    fn words(self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            VisitStatus::NotStarted => ("未开始", "not started", &[]),
            VisitStatus::InProgress => ("检查中", "in progress", &[]),
            VisitStatus::Submitted => ("已提交", "submitted", &[]),
            VisitStatus::Returned => ("已退回", "returned", &[]),
            VisitStatus::Approved => ("已通过", "approved", &[]),
        }
    }
}
crate::vocab_serde!(VisitStatus);

/// What the inspector found on arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArrivalState {
    Open,
    Locked,
    OnDuty,
}

impl Vocab for ArrivalState {
    const ALL: &'static [Self] = &[ArrivalState::Open, ArrivalState::Locked, ArrivalState::OnDuty];
    fn words(self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            ArrivalState::Open => ("开门", "open", &["门开着"]),
            ArrivalState::Locked => ("锁门", "locked", &["关门"]),
            ArrivalState::OnDuty => ("有人值班", "someone on duty", &["on duty", "值班"]),
        }
    }
}
crate::vocab_serde!(ArrivalState);

/// The six "四不两直" conditions, in order; the visit records whether each really held.
pub const UNANNOUNCED_CHECKS: [(&str, &str); 6] = [
    ("不发通知", "no advance notice"),
    ("不打招呼", "no greeting"),
    ("不听汇报", "no briefing"),
    ("不用陪同接待", "no escort or hosting"),
    ("直奔基层", "straight to the grassroots"),
    ("直插现场", "straight to the site"),
];

/// A veto gate set on a visit, with the inspector's reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VetoMark {
    pub id: String,
    pub reason: String,
}

/// One organisation's visit within a round: created 未开始 with the round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub round: Id,
    pub org: String,
    pub status: VisitStatus,
    /// Who started the visit (empty until then).
    #[serde(default)]
    pub inspector: String,
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    /// Arrival time as the inspector states it (local time).
    #[serde(default)]
    pub arrived_at: Option<NaiveDateTime>,
    #[serde(default)]
    pub arrival_state: Option<ArrivalState>,
    #[serde(default)]
    pub arrival_note: String,
    /// Whether each of `UNANNOUNCED_CHECKS` held; None until answered.
    #[serde(default)]
    pub unannounced: [Option<bool>; 6],
    #[serde(default)]
    pub interviewed: String,
    #[serde(default)]
    pub records_read: String,
    #[serde(default)]
    pub vetoes: Vec<VetoMark>,
    #[serde(default)]
    pub submitted_at: Option<DateTime<Utc>>,
    /// The supervisor's comment when the visit was last returned.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub return_comment: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_by: Option<String>,
    /// In a look-back round: each earlier problem as the inspector judged it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rechecks: Vec<super::lookback::Recheck>,
}

impl Visit {
    /// A visit not yet started.
    pub fn new(round: Id, org: &str) -> Visit {
        Visit {
            round,
            org: org.to_string(),
            status: VisitStatus::NotStarted,
            inspector: String::new(),
            started_at: None,
            arrived_at: None,
            arrival_state: None,
            arrival_note: String::new(),
            unannounced: [None; 6],
            interviewed: String::new(),
            records_read: String::new(),
            vetoes: Vec::new(),
            submitted_at: None,
            return_comment: String::new(),
            reviewed_by: None,
            rechecks: Vec::new(),
        }
    }

    /// Whether the inspector may still change it.
    pub fn editable(&self) -> bool {
        matches!(self.status, VisitStatus::NotStarted | VisitStatus::InProgress | VisitStatus::Returned)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    Meets,
    Fails,
    Partly,
    NotApplicable,
}

impl Vocab for Verdict {
    const ALL: &'static [Self] = &[Verdict::Meets, Verdict::Fails, Verdict::Partly, Verdict::NotApplicable];
    fn words(self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            Verdict::Meets => ("符合", "meets", &["y", "yes"]),
            Verdict::Fails => ("不符合", "fails", &["n", "no"]),
            Verdict::Partly => ("部分符合", "partly", &["p", "partial"]),
            Verdict::NotApplicable => ("不适用", "n/a", &["x", "na", "not applicable"]),
        }
    }
}
crate::vocab_serde!(Verdict);

/// The verdict and note for one item of one visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemResult {
    pub round: Id,
    pub org: String,
    pub item: String,
    pub verdict: Option<Verdict>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// How many occurrences were found, on an item that deducts per occurrence (answered 不符合
    /// or 部分符合); None elsewhere and on records from before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    pub by: String,
    pub at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_parses_prints_and_steps_back() {
        let q: Quarter = "2026q4".parse().unwrap();
        assert_eq!(q, Quarter { year: 2026, q: 4 });
        assert_eq!(q.to_string(), "2026Q4");
        assert_eq!(q.zh_title(), "2026年第四季度");
        assert_eq!("2026Q1".parse::<Quarter>().unwrap().previous().to_string(), "2025Q4");
        assert_eq!(Quarter::of(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()).to_string(), "2026Q4");
        assert_eq!(Quarter::of(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()).to_string(), "2026Q1");
        for bad in ["2026Q5", "2026Q0", "26", "Q4", "abcdQ1", "2026-Q4", "2026Q04", "26Q4", "２０２６Q4", "2026Q4x", "1999Q4"] {
            assert!(bad.parse::<Quarter>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_visit_status_machine() {
        use VisitStatus::*;
        let path = [NotStarted, InProgress, Submitted, Returned, Submitted, Approved];
        for w in path.windows(2) {
            assert!(w[0].can_move_to(w[1]), "{:?} -> {:?}", w[0], w[1]);
        }
        for (from, to) in
            [(InProgress, Approved), (NotStarted, Submitted), (Approved, Returned), (Approved, InProgress), (Returned, Approved)]
        {
            assert!(!from.can_move_to(to), "{from:?} -> {to:?} must be refused");
        }
    }

    #[test]
    fn verdict_keys_are_accepted_words() {
        assert_eq!(Verdict::parse_word("不符合"), Some(Verdict::Fails));
        assert_eq!(Verdict::parse_word("x"), Some(Verdict::NotApplicable));
        assert_eq!(Verdict::parse_word("部分符合"), Some(Verdict::Partly));
    }
}
