//! Findings (问题): what an inspector found wrong, and what must be fixed by whom and when.

use super::ids::Id;
use super::rectification::RectStatus;
use super::template::Severity;
use super::vocab::Vocab;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// How the problem is to be fixed: on the spot, by a date, or over the long term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RectType {
    Immediate,
    ByDeadline,
    LongTerm,
}

impl Vocab for RectType {
    const ALL: &'static [Self] = &[RectType::Immediate, RectType::ByDeadline, RectType::LongTerm];
    fn words(self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            RectType::Immediate => ("立行立改", "immediate", &["on the spot"]),
            RectType::ByDeadline => ("限期整改", "by deadline", &["deadline"]),
            RectType::LongTerm => ("长期整改", "long term", &["long-term"]),
        }
    }
}
crate::vocab_serde!(RectType);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub id: Id,
    pub round: Id,
    pub org: String,
    /// None: a problem outside any checklist item ("other").
    pub item: Option<String>,
    pub description: String,
    pub severity: Severity,
    #[serde(default)]
    pub evidence: Vec<String>,
    pub rect_type: RectType,
    #[serde(default)]
    pub requirement: String,
    #[serde(default)]
    pub responsible_unit: String,
    #[serde(default)]
    pub responsible_person: String,
    pub deadline: Option<NaiveDate>,
    pub status: RectStatus,
    /// The human problem number (2026Q4-0001), assigned once at approval.
    #[serde(default)]
    pub number: Option<String>,
    /// The day it was approved (and numbered): follow-up dates cannot be earlier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_on: Option<NaiveDate>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// The supervisor's decision on this finding while the visit is under review.
    #[serde(default)]
    pub review: Review,
    /// The supervisor's comment when returned (shown to the inspector next to the finding).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub review_comment: String,
    /// Who last corrected the finding during review (a supervisor), if anyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrected_by: Option<String>,
    /// The earlier problem this repeats (its number, or its id when it has none): the same
    /// organisation failed the same item in an earlier round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_of: Option<String>,
    /// The rectification as follow-up tracking reports it.
    #[serde(default)]
    pub rect: Rectification,
    /// Files attached to the finding (photos, scans, documents), oldest first: a log, only ever
    /// appended to (`domain::sync::is_log`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<super::evidence::Attachment>,
}

/// Follow-up of one finding after approval (整改台账 columns).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Rectification {
    /// 整改措施
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub measures: String,
    /// 督促责任人
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub overseer: String,
    /// 整改进展: the latest progress note.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub progress: String,
    /// 验收人
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub acceptor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_on: Option<NaiveDate>,
    /// 备注
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub remarks: String,
    /// Every status change, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub updates: Vec<RectUpdate>,
}

impl Rectification {
    /// 整改进展 as the list shows it: the progress note, else the note of the latest step that
    /// has one (a step recorded without the note copied into `progress`), else empty.
    pub fn latest_progress(&self) -> &str {
        if !self.progress.trim().is_empty() {
            return &self.progress;
        }
        self.updates.iter().rev().filter(|u| u.is_move()).map(|u| u.note.as_str()).find(|n| !n.trim().is_empty()).unwrap_or("")
    }
}

/// One step of a rectification: who moved it where, when, with what note and evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RectUpdate {
    pub on: NaiveDate,
    pub by: String,
    pub from: RectStatus,
    pub to: RectStatus,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub evidence: String,
    /// For 申请延期: the deadline before and after.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_to: Option<NaiveDate>,
    /// Files recorded with this step. A file attached later is a step of its own that leaves
    /// the status where it is (`from == to`): the steps are a log, never edited.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<super::evidence::Attachment>,
    /// A notice issued (督办, 约谈): the status stays (`from` = `to`); the step records that the
    /// office acted and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<super::escalation::Issued>,
    /// What a look-back (回头看) found: held or came back (status unchanged), or not done (the
    /// problem reopened, flagging the step that reported it done).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recheck: Option<super::lookback::Rechecked>,
}

impl RectUpdate {
    /// A change of status (not a notice, a look-back's note or files recorded, which leave the
    /// status).
    pub fn is_move(&self) -> bool {
        self.from != self.to
    }
}

/// A supervisor's decision on one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Review {
    #[default]
    Pending,
    Approved,
    Returned,
}

impl Vocab for Review {
    const ALL: &'static [Self] = &[Review::Pending, Review::Approved, Review::Returned];
    fn words(self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            Review::Pending => ("待审核", "pending", &[]),
            Review::Approved => ("已通过", "approved", &[]),
            Review::Returned => ("已退回", "returned", &[]),
        }
    }
}
crate::vocab_serde!(Review);

impl Finding {
    /// A plain new finding for tests: minor, 限期整改, no number yet.
    #[cfg(test)]
    pub fn sample(status: RectStatus, deadline: Option<NaiveDate>) -> Finding {
        Finding {
            id: Id::new(),
            round: Id::new(),
            org: "O".into(),
            item: None,
            description: "问题".into(),
            severity: Severity::Minor,
            evidence: vec![],
            rect_type: RectType::ByDeadline,
            requirement: String::new(),
            responsible_unit: String::new(),
            responsible_person: String::new(),
            deadline,
            status,
            number: None,
            approved_on: None,
            created_by: "t".into(),
            created_at: chrono::DateTime::UNIX_EPOCH,
            review: Review::Pending,
            review_comment: String::new(),
            corrected_by: None,
            repeat_of: None,
            rect: Rectification::default(),
            attachments: vec![],
        }
    }

    /// Overdue is derived, never stored: it changes with the calendar, not with an edit.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        overdue_on(self.status, self.due_date(), today)
    }

    /// The day it is to be fixed by: its deadline, or for an on-the-spot fix (立行立改) without
    /// one, the day it was approved (the bulletin's figures count it so too: domain::figures).
    pub fn due_date(&self) -> Option<NaiveDate> {
        self.deadline.or(if self.rect_type == RectType::Immediate { self.approved_on } else { None })
    }
}

/// A finding in `status` with `deadline` is overdue on `day`: still open and its deadline passed.
pub fn overdue_on(status: RectStatus, deadline: Option<NaiveDate>, day: NaiveDate) -> bool {
    status.is_open() && deadline.is_some_and(|d| d < day)
}
