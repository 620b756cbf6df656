//! Issuing the escalation ladder's notices (`xuncha export notice`): the 督办通知单 for the
//! problems at 督办 or above, the 约谈通知 for those at 告诫约谈 or above, one per organisation,
//! written as a document and recorded as a step in each listed finding's history (the status
//! stays; the step names the notice, its number and the date it sets). Issuing the same notice
//! again records nothing new.

use super::export::{Format, Written};
use super::{Result, ServiceError, Session, invalid};
use crate::domain::escalation::{Issued, NOTICE_RUNGS, Rung, Thresholds};
use crate::domain::vocab::Vocab;
use crate::domain::{Finding, RectUpdate};
use crate::i18n::{K, Lang};
use crate::report::notice::{Listed, Notices, OrgNotice};
use crate::store::{Commit, Write};
use chrono::NaiveDate;
use serde_json::json;
use std::path::Path;

/// Days a notice gives by default to fix what it lists.
pub const DEFAULT_DAYS: i64 = 15;

/// What to issue.
pub struct NoticeRequest<'a> {
    pub level: Rung,
    /// Only organisations under this code.
    pub area: Option<&'a str>,
    /// The day the rungs are judged on (default: today).
    pub as_of: Option<NaiveDate>,
    /// The date the notice sets for the fixes (default: `DEFAULT_DAYS` after `date`).
    pub fix_by: Option<NaiveDate>,
    /// The document's number, as printed ("" for none).
    pub number: String,
    /// Who issues it (the office's name; "" leaves a blank).
    pub office: String,
    /// The day it is issued (成文日期).
    pub date: NaiveDate,
    /// For a talk: when and where ("" leaves a blank to fill in).
    pub when: String,
    pub place: String,
    pub format: Format,
    pub lang: Lang,
    pub thresholds: Thresholds,
}

/// What issuing did.
pub struct Outcome {
    pub written: Written,
    pub orgs: usize,
    pub problems: usize,
    /// Findings whose history gained the notice (0 when it was issued before).
    pub recorded: usize,
}

const FORMATS: &[Format] = &[Format::Docx, Format::Md];

/// The problems at `level` or above on `day`, by organisation (in code order), each
/// organisation's longest overdue first.
fn listed(s: &Session, req: &NoticeRequest<'_>, day: NaiveDate) -> Result<Vec<OrgNotice>> {
    let mut orgs: Vec<OrgNotice> = Vec::new();
    for d in super::rectify::due(s, day, &req.thresholds)? {
        if d.rung < req.level {
            continue;
        }
        if let Some(area) = req.area
            && !crate::report::rectification::under(s, &d.finding.org, area)?
        {
            continue;
        }
        let item = Listed { due: d.due, days_over: d.days_over, finding: d.finding };
        match orgs.iter_mut().find(|o| o.code == item.finding.org) {
            Some(o) => o.problems.push(item),
            None => orgs.push(OrgNotice { code: item.finding.org.clone(), name: d.org, problems: vec![item] }),
        }
    }
    orgs.sort_by(|a, b| a.code.cmp(&b.code));
    for o in &mut orgs {
        o.problems.sort_by(|a, b| b.days_over.cmp(&a.days_over).then(a.finding.number.cmp(&b.finding.number)));
    }
    Ok(orgs)
}

/// The finding with the notice in its history, or None when this very notice is there already.
fn with_notice(f: &Finding, issued: &Issued, by: &str, today: NaiveDate) -> Option<Finding> {
    if f.rect.updates.iter().any(|u| u.notice.as_ref() == Some(issued)) {
        return None;
    }
    let mut g = f.clone();
    g.rect.updates.push(RectUpdate {
        on: today,
        by: by.to_string(),
        from: f.status,
        to: f.status,
        note: String::new(),
        evidence: String::new(),
        deadline_from: None,
        deadline_to: None,
        attachments: vec![],
        notice: Some(issued.clone()),
        recheck: None,
    });
    Some(g)
}

/// The notices a request makes, checked, before anything is written or recorded. Refused when
/// no problem is at that rung, for a rung without a document, or for dates that cannot be.
pub fn prepare(s: &Session, req: &NoticeRequest<'_>) -> Result<Notices> {
    if !FORMATS.contains(&req.format) {
        let list = FORMATS.iter().map(|f| f.word()).collect::<Vec<_>>().join(", ");
        return Err(invalid(K::FormatNotFor, &[&req.format.word(), &list]));
    }
    if !NOTICE_RUNGS.contains(&req.level) {
        let list = NOTICE_RUNGS.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ");
        return Err(invalid(K::NoticeLevel, &[&req.level.label(), &list]));
    }
    if let Some(code) = req.area
        && s.org(code)?.is_none()
    {
        return Err(invalid(K::OrgNotFound, &[&code]));
    }
    let today = s.today();
    let day = req.as_of.unwrap_or(today);
    if day > today {
        return Err(invalid(K::NoticeAsOfLater, &[&day, &today]));
    }
    let fix_by = req.fix_by.unwrap_or(req.date + chrono::Duration::days(DEFAULT_DAYS));
    if fix_by <= req.date || fix_by > crate::domain::limits::latest_deadline(today) {
        return Err(invalid(K::NoticeFixBy, &[&fix_by, &req.date]));
    }
    let orgs = listed(s, req, day)?;
    if orgs.is_empty() {
        return Err(invalid(K::NoticeNone, &[&req.level.label(), &day]));
    }
    Ok(Notices {
        level: req.level,
        lang: req.lang,
        office: req.office.clone(),
        number: req.number.clone(),
        date: req.date,
        as_of: day,
        fix_by,
        when: req.when.clone(),
        place: req.place.clone(),
        orgs,
    })
}

/// Writes the notices to `path` and records them in each finding's history. Refused, with
/// nothing written or recorded, as `prepare` refuses, and for someone without the role.
pub fn issue(s: &Session, req: &NoticeRequest<'_>, path: &Path) -> Result<Outcome> {
    super::team::require(s, super::team::Act::Rectify)?;
    let notices = prepare(s, req)?;
    let today = s.today();
    let fix_by = notices.fix_by;
    let doc = crate::report::notice::document(&notices);
    let bytes = match req.format {
        Format::Docx => crate::report::docx::docx(&doc).map_err(ServiceError::Invalid)?,
        _ => crate::report::doc::markdown(&doc).into_bytes(),
    };
    // The document first: a notice recorded but never written would say it was sent.
    crate::atomic_file::write_atomic(path, &bytes).map_err(|e| ServiceError::Io(crate::oserror::write_failed(path, &e)))?;
    let issued = Issued { level: req.level, number: req.number.clone(), fix_by: Some(fix_by) };
    let writes: Vec<Write> = notices
        .orgs
        .iter()
        .flat_map(|o| &o.problems)
        .filter_map(|p| with_notice(&p.finding, &issued, &s.actor, today))
        .map(|g| Write::put(&g))
        .collect();
    let recorded = writes.len();
    if recorded > 0 {
        let detail =
            json!({ "level": req.level.zh(), "number": req.number, "fix_by": fix_by, "findings": recorded, "orgs": notices.orgs.len() });
        s.commit_in_parts(Commit::new("rectify.notice", detail, writes))?;
    }
    Ok(Outcome {
        orgs: notices.orgs.len(),
        problems: notices.problem_count(),
        recorded,
        written: Written { rows: notices.problem_count(), title: notices.title(), path: path.to_path_buf(), head: s.audit_head()? },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RectStatus;

    #[test]
    fn a_notice_is_recorded_once_and_keeps_the_status_and_deadline() {
        let f = Finding::sample(RectStatus::InProgress, Some("2026-11-01".parse().unwrap()));
        let issued =
            Issued { level: Rung::Supervise, number: "示组督〔2026〕3号".into(), fix_by: Some("2026-12-15".parse().unwrap()) };
        let g = with_notice(&f, &issued, "李督导", "2026-12-01".parse().unwrap()).unwrap();
        let step = g.rect.updates.last().unwrap();
        assert_eq!((step.from, step.to, g.status, g.deadline), (RectStatus::InProgress, RectStatus::InProgress, f.status, f.deadline));
        assert!(!step.is_move());
        assert_eq!(with_notice(&g, &issued, "李督导", "2026-12-02".parse().unwrap()), None, "the same notice twice");
        let talk = Issued { level: Rung::Admonish, ..issued };
        assert!(with_notice(&g, &talk, "李督导", "2026-12-02".parse().unwrap()).is_some(), "a talk after the notice is new");
    }
}
