//! What makes a visit's record true enough to hand over: the rules a submission and an approval
//! check, and the rule that a verdict never contradicts a finding. Pure: the service reads the
//! facts, these functions judge them.

use super::finding::Finding;
use super::org::Field;
use super::rectification::RectStatus;
use super::round::{Verdict, Visit};
use super::template::{Item, Template};
use crate::i18n::K;
use std::collections::HashMap;

/// One reason a visit cannot be submitted (or approved) yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// An applicable item without a verdict.
    Unanswered(String),
    /// 不符合 without a finding on the item: a deduction with no problem on the list.
    FailsWithoutFinding(String),
    /// 部分符合 with neither a finding nor a note saying what was partly missing.
    PartlyWithoutFindingOrNote(String),
    NoArrivalTime,
    NoArrivalState,
    /// A look-back visit's earlier problem (by its number) not yet marked.
    NotRechecked(String),
}

/// A look-back (回头看) visit's gaps: its checklist is there to use, not to finish; every earlier
/// problem (`unmarked`: the numbers still without a mark) needs its mark.
pub fn lookback_gaps(mut gaps: Vec<Gap>, unmarked: Vec<String>) -> Vec<Gap> {
    gaps.retain(|g| !matches!(g, Gap::Unanswered(_)));
    gaps.extend(unmarked.into_iter().map(Gap::NotRechecked));
    gaps
}

/// Whether a finding still counts (withdrawn ones do not).
pub fn live(f: &Finding) -> bool {
    f.status != RectStatus::Withdrawn
}

/// The live findings recorded on `item`.
pub fn item_findings<'a>(findings: &'a [Finding], item: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| live(f) && f.item.as_deref() == Some(item)).collect()
}

/// A verdict that says the item is fine (or out of scope) cannot stand over a finding on it.
pub fn contradicts_findings(verdict: Option<Verdict>) -> bool {
    matches!(verdict, Some(Verdict::Meets | Verdict::NotApplicable))
}

/// Why `count` occurrences cannot be recorded on `item` under `verdict`, in words; None when
/// they can: the item deducts per occurrence, the count is 1 to `limits::OCCURRENCES`, and the
/// verdict says something was found (不符合 or 部分符合).
pub fn count_problem(item: &Item, verdict: Option<Verdict>, count: u32) -> Option<String> {
    if item.per_occurrence.is_none() {
        Some(K::CountNotPerOccurrence.fill(&[&item.id]))
    } else if !(1..=super::limits::OCCURRENCES).contains(&count) {
        Some(K::CountRange.fill(&[&super::limits::OCCURRENCES]))
    } else if !matches!(verdict, Some(Verdict::Fails | Verdict::Partly)) {
        Some(K::CountNeedsFailure.fill(&[&item.id]))
    } else {
        None
    }
}

/// Why veto gate `gate` cannot be set on a visit with these verdicts: a gate tied to an item
/// stands only on that item answered 不符合.
pub fn gate_problem(template: &Template, gate: &str, verdicts: &HashMap<String, Verdict>) -> Option<String> {
    let item = template.vetoes.iter().find(|g| g.id == gate)?.item.as_deref()?;
    (verdicts.get(item) != Some(&Verdict::Fails)).then(|| K::VetoNeedsItemFailed.fill(&[&gate, &item]))
}

/// Why `item` may not take `verdict`: a veto gate it triggers is set on the visit, and the gate
/// stands only on the item answered 不符合 (clear the gate first).
pub fn verdict_under_gate(template: &Template, visit: &Visit, item: &str, verdict: Option<Verdict>) -> Option<String> {
    if verdict == Some(Verdict::Fails) {
        return None;
    }
    let gate = template.gates_of(item).find(|g| visit.vetoes.iter().any(|m| m.id == g.id))?;
    Some(K::VerdictHoldsGate.fill(&[&item, &gate.id]))
}

/// Everything that keeps the visit from being handed over, in template order, arrival last.
pub fn submission_gaps(
    template: &Template,
    field: Option<Field>,
    verdicts: &HashMap<String, Verdict>,
    notes: &HashMap<String, String>,
    findings: &[Finding],
    visit: &Visit,
) -> Vec<Gap> {
    let mut gaps = Vec::new();
    for (_, item) in template.items().filter(|(_, i)| i.applies_to(field)) {
        let has_finding = !item_findings(findings, &item.id).is_empty();
        let has_note = notes.get(&item.id).is_some_and(|n| !n.trim().is_empty());
        match verdicts.get(&item.id) {
            None => gaps.push(Gap::Unanswered(item.id.clone())),
            Some(Verdict::Fails) if !has_finding => gaps.push(Gap::FailsWithoutFinding(item.id.clone())),
            Some(Verdict::Partly) if !has_finding && !has_note => gaps.push(Gap::PartlyWithoutFindingOrNote(item.id.clone())),
            _ => {}
        }
    }
    if visit.arrived_at.is_none() {
        gaps.push(Gap::NoArrivalTime);
    }
    if visit.arrival_state.is_none() {
        gaps.push(Gap::NoArrivalState);
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::template::{Category, GradeBand, Item, Method, Severity, Warnings};
    use crate::domain::{ArrivalState, Id};

    fn template() -> Template {
        let item = |id: &str| Item {
            id: id.into(),
            text: id.into(),
            methods: vec![Method::Read],
            guidance: String::new(),
            severity: Severity::Minor,
            points: 5.0,
            fields: if id == "R" { vec![Field::Rural] } else { vec![] },
            weak_lead: false,
            problem: String::new(),
            per_occurrence: None,
            cap: None,
        };
        Template {
            honours: Default::default(),
            id: "t".into(),
            version: 1,
            title: "t".into(),
            fields: vec![],
            total_points: 20.0,
            partial_deduction: 0.5,
            categories: vec![Category {
                id: "A".into(),
                name: "甲".into(),
                points: 20.0,
                items: vec![item("A1"), item("A2"), item("A3"), item("R")],
                by_field: false,
            }],
            vetoes: vec![],
            grades: vec![GradeBand { name: "达标".into(), min_score: 0.0, forbid: vec![] }],
            warnings: Warnings { red: Default::default(), yellow: Default::default(), blue: Default::default() },
        }
    }

    fn finding(item: &str, status: RectStatus) -> Finding {
        Finding { item: Some(item.into()), ..Finding::sample(status, None) }
    }

    #[test]
    fn every_gap_is_named_in_template_order_with_the_arrival_last() {
        let t = template();
        let verdicts = HashMap::from([("A1".to_string(), Verdict::Fails), ("A2".to_string(), Verdict::Partly)]);
        let visit = Visit::new(Id::new(), "O");
        let gaps = submission_gaps(&t, Some(Field::Government), &verdicts, &HashMap::new(), &[], &visit);
        assert_eq!(
            gaps,
            vec![
                Gap::FailsWithoutFinding("A1".into()),
                Gap::PartlyWithoutFindingOrNote("A2".into()),
                Gap::Unanswered("A3".into()),
                Gap::NoArrivalTime,
                Gap::NoArrivalState
            ],
            "R is for rural organisations only"
        );
    }

    #[test]
    fn a_finding_or_a_note_closes_the_gaps_and_a_withdrawn_finding_does_not() {
        let t = template();
        let verdicts = HashMap::from([
            ("A1".to_string(), Verdict::Fails),
            ("A2".to_string(), Verdict::Partly),
            ("A3".to_string(), Verdict::NotApplicable),
        ]);
        let notes = HashMap::from([("A2".to_string(), "签到表缺3人".to_string())]);
        let mut visit = Visit::new(Id::new(), "O");
        visit.arrived_at = Some("2026-11-22T09:30:00".parse().unwrap());
        visit.arrival_state = Some(ArrivalState::Open);
        let withdrawn = [finding("A1", RectStatus::Withdrawn)];
        let gaps = submission_gaps(&t, None, &verdicts, &notes, &withdrawn, &visit);
        assert_eq!(gaps, vec![Gap::FailsWithoutFinding("A1".into())]);
        let live = [finding("A1", RectStatus::Pending)];
        assert!(submission_gaps(&t, None, &verdicts, &notes, &live, &visit).is_empty());
    }

    #[test]
    fn only_meets_and_not_applicable_contradict_a_finding() {
        assert!(contradicts_findings(Some(Verdict::Meets)) && contradicts_findings(Some(Verdict::NotApplicable)));
        assert!(!contradicts_findings(Some(Verdict::Fails)) && !contradicts_findings(Some(Verdict::Partly)) && !contradicts_findings(None));
    }
}
