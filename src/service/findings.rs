//! Findings: validated input from the finding form, the paper sheet or the CLI.

use super::{Result, ServiceError, Session, invalid, rounds};
use crate::domain::limits;
use crate::domain::{Finding, Id, ItemResult, RectStatus, RectType, Severity, Verdict};
use crate::i18n::K;
use crate::store::{Commit, Write};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The form's fields, as typed. Kept as text so a half-typed form can be kept as a draft.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FindingInput {
    /// None: a new finding.
    pub id: Option<Id>,
    pub round: Option<Id>,
    pub org: String,
    pub item: Option<String>,
    pub description: String,
    pub severity: Option<Severity>,
    pub rect_type: Option<RectType>,
    pub requirement: String,
    pub responsible_person: String,
    /// 2026-12-31, 2026/12/31 or +30 (days from today).
    pub deadline: String,
    /// Photo numbers, file paths, names of people asked: separated by ；, ; or new lines.
    pub evidence: String,
}

/// Which field an error belongs to, so a form can show it next to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FindingField {
    Description,
    Severity,
    RectType,
    Requirement,
    Responsible,
    Deadline,
    Evidence,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: FindingField,
    pub message: String,
}

/// Parses a deadline: an ISO date, a date with slashes or dots, or +N days from `today`.
pub fn parse_deadline(text: &str, today: NaiveDate) -> std::result::Result<Option<NaiveDate>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Some(days) = t.strip_prefix('+').or_else(|| t.strip_prefix('＋')) {
        let days = days.trim().trim_end_matches('天');
        return days
            .parse::<u32>()
            .ok()
            .and_then(|d| today.checked_add_days(chrono::Days::new(d as u64)))
            .map(Some)
            .ok_or_else(|| K::DeadlineBad.fill(&[&t]));
    }
    let normal = t.replace(['/', '.', '年', '月'], "-").trim_end_matches('日').to_string();
    NaiveDate::parse_from_str(&normal, "%Y-%m-%d").map(Some).map_err(|_| K::DeadlineBad.fill(&[&t]))
}

pub fn split_evidence(text: &str) -> Vec<String> {
    text.split(['；', ';', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Checks the input; every problem is returned, each with its field.
pub fn validate(input: &FindingInput, today: NaiveDate) -> std::result::Result<(Severity, RectType, Option<NaiveDate>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut err = |field, message: String| errors.push(FieldError { field, message });
    if input.description.trim().is_empty() {
        err(FindingField::Description, K::DescEmpty.text().into());
    }
    let lengths = [
        (FindingField::Description, K::FieldDescription, &input.description, limits::TEXT_CHARS),
        (FindingField::Requirement, K::FieldRequirement, &input.requirement, limits::TEXT_CHARS),
        (FindingField::Responsible, K::FieldResponsible, &input.responsible_person, limits::NAME_CHARS),
        (FindingField::Evidence, K::FieldEvidence, &input.evidence, limits::TEXT_CHARS),
    ];
    for (field, label, text, max) in lengths {
        if !limits::fits(text, max) {
            err(field, K::TooLong.fill(&[&label.text(), &max, &limits::chars(text)]));
        }
    }
    let rect_type = input.rect_type.unwrap_or(RectType::ByDeadline);
    let deadline = match parse_deadline(&input.deadline, today) {
        Ok(Some(d)) if d < today => {
            err(FindingField::Deadline, K::DeadlinePast.fill(&[&d]));
            None
        }
        Ok(Some(d)) if d > limits::latest_deadline(today) => {
            err(FindingField::Deadline, K::DeadlineTooFar.fill(&[&d, &limits::latest_deadline(today)]));
            None
        }
        Ok(d) => d,
        Err(e) => {
            err(FindingField::Deadline, e);
            None
        }
    };
    if rect_type == RectType::ByDeadline && deadline.is_none() && input.deadline.trim().is_empty() {
        err(FindingField::Deadline, K::DeadlineNeeded.text().into());
    }
    let severity = input.severity.unwrap_or(Severity::Minor);
    if errors.is_empty() { Ok((severity, rect_type, deadline)) } else { Err(errors) }
}

/// Saves a new or edited finding. Field errors come back as `ServiceError::Fields`-style text
/// through `Err`; use `validate` first to show them next to the fields.
pub fn save(s: &Session, input: &FindingInput) -> Result<Finding> {
    let today = s.today();
    let (severity, rect_type, deadline) = validate(input, today)
        .map_err(|errs| ServiceError::Invalid(errs.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("；")))?;
    let round = input.round.ok_or_else(|| invalid(K::RoundNotFound, &[&"-"]))?;
    let r = rounds::get(s, round)?;
    let visit = s.store.visit(round, &input.org)?.ok_or_else(|| invalid(K::OrgNotInRound, &[&input.org, &round]))?;
    if !visit.editable() {
        let name = s.store.org(&input.org)?.map_or_else(|| input.org.clone(), |o| o.name);
        return Err(invalid(K::VisitLocked, &[&name, &visit.status]));
    }
    if let Some(item) = &input.item {
        let t = rounds::template_of(s, &r)?;
        if t.item(item).is_none() {
            return Err(invalid(K::ItemNotFound, &[&t.id, item]));
        }
    }
    let existing = match input.id {
        Some(id) => Some(s.store.finding(id)?.ok_or_else(|| invalid(K::FindingNotFound, &[&id]))?),
        None => None,
    };
    if existing.as_ref().is_some_and(|f| f.number.is_some()) {
        return Err(invalid(K::NotEditable, &[]));
    }
    let org = s.store.org(&input.org)?.ok_or_else(|| invalid(K::OrgNotFound, &[&input.org]))?;
    let fresh = from_input(s, round, &org.name, input, (severity, rect_type, deadline));
    let finding = match &existing {
        None => fresh,
        // An inspector's edit puts the finding back before the supervisor; the comment stays
        // visible until the next decision, and what follow-up recorded stays.
        Some(f) => Finding {
            id: f.id,
            status: f.status,
            created_by: f.created_by.clone(),
            created_at: f.created_at,
            review_comment: f.review_comment.clone(),
            corrected_by: f.corrected_by.clone(),
            repeat_of: f.repeat_of.clone(),
            rect: f.rect.clone(),
            attachments: f.attachments.clone(),
            ..fresh
        },
    };
    let mut writes = Vec::new();
    // A new problem on an item means the item is not met: a verdict that says otherwise (or no
    // verdict yet) becomes 不符合 in the same commit, so a finding never sits under 符合.
    if existing.is_none()
        && let Some(item) = &input.item
    {
        let old = s.store.result(round, &input.org, item)?;
        let verdict = old.as_ref().and_then(|r| r.verdict);
        if verdict.is_none() || crate::domain::rules::contradicts_findings(verdict) {
            writes.push(Write::put(&ItemResult {
                round,
                org: input.org.clone(),
                item: item.clone(),
                verdict: Some(Verdict::Fails),
                // A count recorded under 部分符合 still counts the same occurrences.
                count: old.as_ref().and_then(|r| r.count),
                note: old.map(|r| r.note).unwrap_or_default(),
                by: s.actor.clone(),
                at: s.now(),
            }));
        }
    }
    if visit.status == crate::domain::VisitStatus::NotStarted {
        writes.push(Write::put(&crate::domain::Visit {
            status: crate::domain::VisitStatus::InProgress,
            inspector: s.actor.clone(),
            started_at: Some(s.now()),
            ..visit
        }));
    }
    writes.push(Write::put(&finding));
    let action = if existing.is_some() { "finding.edit" } else { "finding.add" };
    let detail = json!({ "round": round.to_string(), "org": input.org, "finding": finding.id.to_string() });
    s.commit(Commit::new(action, detail, writes))?;
    Ok(finding)
}

/// A new finding from checked input, as the inspector records it: pending review, no number yet.
pub(crate) fn from_input(
    s: &Session,
    round: Id,
    unit: &str,
    input: &FindingInput,
    (severity, rect_type, deadline): (Severity, RectType, Option<NaiveDate>),
) -> Finding {
    Finding {
        id: Id::new(),
        round,
        org: input.org.clone(),
        item: input.item.clone(),
        description: input.description.trim().to_string(),
        severity,
        evidence: split_evidence(&input.evidence),
        rect_type,
        requirement: input.requirement.trim().to_string(),
        responsible_unit: unit.to_string(),
        responsible_person: input.responsible_person.trim().to_string(),
        deadline,
        status: RectStatus::Pending,
        number: None,
        approved_on: None,
        created_by: s.actor.clone(),
        created_at: s.now(),
        review: crate::domain::Review::Pending,
        review_comment: String::new(),
        corrected_by: None,
        repeat_of: None,
        rect: Default::default(),
        attachments: vec![],
    }
}

/// The form's input for an existing finding.
pub fn input_of(f: &Finding) -> FindingInput {
    FindingInput {
        id: Some(f.id),
        round: Some(f.round),
        org: f.org.clone(),
        item: f.item.clone(),
        description: f.description.clone(),
        severity: Some(f.severity),
        rect_type: Some(f.rect_type),
        requirement: f.requirement.clone(),
        responsible_person: f.responsible_person.clone(),
        deadline: f.deadline.map(|d| d.to_string()).unwrap_or_default(),
        evidence: f.evidence.join("；"),
    }
}

/// A finding by its problem number (2026Q4-0001), its id or its short id.
pub fn find(session: &Session, text: &str) -> Result<Finding> {
    let store = &session.store;
    let t = text.trim();
    store
        .findings()?
        .into_iter()
        .find(|f| f.number.as_deref() == Some(t) || f.id.matches(t))
        .ok_or_else(|| invalid(K::FindingNotFound, &[&t]))
}

/// Findings, filtered by round and organisation, oldest first.
pub fn list(session: &Session, round: Option<Id>, org: Option<&str>) -> Result<Vec<Finding>> {
    let store = &session.store;
    let mut all: Vec<Finding> = match (round, org) {
        (Some(r), Some(o)) => store.visit_findings(r, o)?,
        _ => store.findings()?.into_iter().filter(|f| round.is_none_or(|r| f.round == r) && org.is_none_or(|o| f.org == o)).collect(),
    };
    all.sort_by_key(|f| f.id);
    Ok(all)
}

/// A finding with the arrival facts of its visit, as `finding list --format json` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    #[serde(flatten)]
    pub finding: Finding,
    pub visit: VisitFacts,
}

/// What the inspector recorded of the visit a finding was made on.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VisitFacts {
    pub inspector: String,
    pub status: Option<crate::domain::VisitStatus>,
    pub arrived_at: Option<chrono::NaiveDateTime>,
    pub arrival_state: Option<crate::domain::ArrivalState>,
    pub arrival_note: String,
    /// Each "四不两直" check by its name: true (held), false (did not), null (not answered).
    pub unannounced: serde_json::Map<String, serde_json::Value>,
    pub interviewed: String,
    pub records_read: String,
}

impl VisitFacts {
    pub fn of(v: &crate::domain::Visit) -> VisitFacts {
        let unannounced = crate::domain::UNANNOUNCED_CHECKS
            .iter()
            .zip(v.unannounced)
            .map(|((zh, _), held)| (zh.to_string(), held.map_or(serde_json::Value::Null, serde_json::Value::Bool)))
            .collect();
        VisitFacts {
            inspector: v.inspector.clone(),
            status: Some(v.status),
            arrived_at: v.arrived_at,
            arrival_state: v.arrival_state,
            arrival_note: v.arrival_note.clone(),
            unannounced,
            interviewed: v.interviewed.clone(),
            records_read: v.records_read.clone(),
        }
    }
}

/// `list`, each finding with its visit's arrival facts.
pub fn list_with_visits(session: &Session, round: Option<Id>, org: Option<&str>) -> Result<Vec<Listed>> {
    let store = &session.store;
    list(session, round, org)?
        .into_iter()
        .map(|f| {
            let visit = store.visit(f.round, &f.org)?.map(|v| VisitFacts::of(&v)).unwrap_or_default();
            Ok(Listed { finding: f, visit })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        "2026-11-22".parse().unwrap()
    }

    #[test]
    fn deadlines_in_the_forms_people_type() {
        assert_eq!(parse_deadline("2026-12-31", today()), Ok(Some("2026-12-31".parse().unwrap())));
        assert_eq!(parse_deadline("2026/12/31", today()), Ok(Some("2026-12-31".parse().unwrap())));
        assert_eq!(parse_deadline("2026年12月31日", today()), Ok(Some("2026-12-31".parse().unwrap())));
        assert_eq!(parse_deadline("+30", today()), Ok(Some("2026-12-22".parse().unwrap())));
        assert_eq!(parse_deadline("＋7天", today()), Ok(Some("2026-11-29".parse().unwrap())));
        assert_eq!(parse_deadline(" ", today()), Ok(None));
        assert!(parse_deadline("下周", today()).is_err());
        assert!(parse_deadline("2026-13-01", today()).is_err());
    }

    #[test]
    fn validation_names_each_bad_field() {
        let input = FindingInput { description: "  ".into(), deadline: "2026-11-01".into(), ..Default::default() };
        let errs = validate(&input, today()).unwrap_err();
        let fields: Vec<FindingField> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![FindingField::Description, FindingField::Deadline]);
        assert!(errs[1].message.contains("早于今天"));
        let missing = FindingInput { description: "会议记录缺签到".into(), ..Default::default() };
        assert_eq!(validate(&missing, today()).unwrap_err()[0].field, FindingField::Deadline, "限期整改 needs a date");
        let on_the_spot = FindingInput { rect_type: Some(RectType::Immediate), ..missing };
        assert!(validate(&on_the_spot, today()).is_ok());
    }

    #[test]
    fn evidence_splits_on_chinese_and_ascii_separators() {
        assert_eq!(split_evidence("照片12；照片13;\n 询问党员王某 "), vec!["照片12", "照片13", "询问党员王某"]);
    }
}
