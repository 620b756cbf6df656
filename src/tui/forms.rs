//! Forms: new round, first-run setup, visit arrival details, finding, veto reason, review
//! comments, rectification steps. One generic form (fields, focus, errors, dirty flag) and, per
//! kind, how it is built and what saving it means.
//!
//! Every form is a draft while it is typed: each change is kept in the store (`snapshot`), and a
//! form killed half-typed is offered back at the next start (`from_draft`).

use super::field::{Field, TextField};
use crate::domain::vocab::Vocab;
use crate::domain::{ArrivalState, Field as OrgField, Id, Org, Quarter, RectType, Scope, Severity, UNANNOUNCED_CHECKS, Visit};
use crate::i18n::{K, pick};
use crate::service::findings::{FindingField, FindingInput, validate};
use crate::service::visits::VisitInfo;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What the form is for, with what saving it needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum FormKind {
    Setup {
        ask_data: bool,
    },
    NewRound {
        templates: Vec<String>,
    },
    Info {
        round: Id,
        org: String,
        /// The round's quarter: an arrival before it began is refused at the field.
        quarter: Quarter,
    },
    /// `correct`: a supervisor's correction during review.
    Finding {
        base: FindingInput,
        draft_key: String,
        correct: bool,
    },
    /// A rectification status change on the board.
    Rectify {
        number: String,
        next: Vec<crate::domain::RectStatus>,
    },
    /// The reason a veto gate is set.
    Veto {
        round: Id,
        org: String,
        gate: String,
    },
    /// A supervisor's comment returning one finding.
    ReturnFinding {
        finding: Id,
        round: Id,
        org: String,
    },
    /// A supervisor's comment returning a whole visit.
    ReturnVisit {
        round: Id,
        org: String,
    },
    /// A look-back's mark of an earlier problem, with what was seen.
    Recheck {
        round: Id,
        org: String,
        finding: Id,
        number: String,
    },
}

#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    /// A line above the fields, e.g. what the first-run form is for.
    pub intro: String,
    pub fields: Vec<(String, Field)>,
    pub focus: usize,
    pub errors: HashMap<usize, String>,
    pub dirty: bool,
}

/// What a form asks to be done when saved.
#[derive(Debug, Clone)]
pub enum Submit {
    Setup { name: String, team: String, data: usize, path: String },
    NewRound { title: String, quarter: Quarter, template: String, scope: Scope },
    Info { round: Id, org: String, info: VisitInfo },
    Finding { input: FindingInput, draft_key: String, correct: bool },
    Rectify { number: String, update: crate::service::rectify::Update },
    Veto { round: Id, org: String, gate: String, reason: String },
    ReturnFinding { finding: Id, comment: String },
    ReturnVisit { round: Id, org: String, comment: String },
    Recheck { round: Id, org: String, finding: Id, mark: crate::domain::lookback::Mark, note: String },
}

/// A finding form's draft as earlier versions kept it: the input and the focused field. Still
/// read, so a draft kept before an upgrade is offered back too.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FindingDraft {
    pub input: FindingInput,
    pub focus: usize,
    /// A line for the person: which organisation and item.
    pub label: String,
}

/// One field as typed, for a draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FieldDraft {
    Text { text: String, multiline: bool },
    Choice { options: Vec<String>, index: usize },
}

/// A whole form as typed: what it is for, its fields and where the caret was.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FormDraft {
    pub kind: FormKind,
    pub title: String,
    #[serde(default)]
    pub intro: String,
    pub fields: Vec<(String, FieldDraft)>,
    pub focus: usize,
}

fn choice_labels<V: Vocab>() -> Vec<String> {
    V::ALL.iter().map(|v| v.label().to_string()).collect()
}

fn tri(v: Option<bool>) -> usize {
    match v {
        None => 0,
        Some(true) => 1,
        Some(false) => 2,
    }
}

impl Form {
    fn new(kind: FormKind, title: String, fields: Vec<(String, Field)>) -> Form {
        Form { kind, title, intro: String::new(), fields, focus: 0, errors: HashMap::new(), dirty: false }
    }

    /// Where this form's draft is kept: one per subject, so two forms never share a draft.
    pub fn draft_key(&self) -> String {
        match &self.kind {
            FormKind::Setup { .. } => "form/setup".to_string(),
            FormKind::NewRound { .. } => "form/new_round".to_string(),
            FormKind::Info { round, org, .. } => format!("form/info/{round}/{org}"),
            FormKind::Finding { draft_key, .. } => draft_key.clone(),
            FormKind::Rectify { number, .. } => format!("form/rectify/{number}"),
            FormKind::Veto { round, org, gate } => format!("form/veto/{round}/{org}/{gate}"),
            FormKind::Recheck { round, org, finding, .. } => format!("form/recheck/{round}/{org}/{finding}"),
            FormKind::ReturnFinding { finding, .. } => format!("form/return_finding/{finding}"),
            FormKind::ReturnVisit { round, org } => format!("form/return_visit/{round}/{org}"),
        }
    }

    /// The form as typed now, to keep as a draft.
    pub fn snapshot(&self) -> FormDraft {
        let fields = self
            .fields
            .iter()
            .map(|(label, f)| {
                let d = match f {
                    Field::Text(t) => FieldDraft::Text { text: t.text(), multiline: t.multiline },
                    Field::Choice(c) => FieldDraft::Choice { options: c.options.clone(), index: c.index },
                };
                (label.clone(), d)
            })
            .collect();
        FormDraft { kind: self.kind.clone(), title: self.title.clone(), intro: self.intro.clone(), fields, focus: self.focus }
    }

    /// The form a draft was kept from, as it was typed (marked dirty: it holds unsaved text).
    pub fn from_draft(d: FormDraft) -> Form {
        let fields: Vec<(String, Field)> = d
            .fields
            .into_iter()
            .map(|(label, f)| {
                let field = match f {
                    FieldDraft::Text { text, multiline: true } => Field::multiline(&text),
                    FieldDraft::Text { text, multiline: false } => Field::text(&text),
                    FieldDraft::Choice { options, index } => Field::choice(options, index),
                };
                (label, field)
            })
            .collect();
        let focus = d.focus.min(fields.len().saturating_sub(1));
        Form { kind: d.kind, title: d.title, intro: d.intro, fields, focus, errors: HashMap::new(), dirty: true }
    }

    pub fn setup(ask_data: bool) -> Form {
        let mut fields = vec![(K::FieldName.text().to_string(), Field::text("")), (K::FieldTeam.text().to_string(), Field::text(""))];
        if ask_data {
            let options = vec![K::DataDemo.text().to_string(), K::DataImport.text().to_string(), K::DataEmpty.text().to_string()];
            fields.push((K::FieldData.text().to_string(), Field::choice(options, 0)));
            fields.push((K::FieldPath.text().to_string(), Field::text("")));
        }
        let mut f = Form::new(FormKind::Setup { ask_data }, K::ScreenSetup.text().to_string(), fields);
        f.intro = K::SetupIntro.text().to_string();
        f
    }

    pub fn new_round(templates: Vec<(String, String)>, today: chrono::NaiveDate) -> Form {
        let q = Quarter::of(today);
        let mut fields_opts = vec![K::AllFieldsChoice.text().to_string()];
        fields_opts.extend(choice_labels::<OrgField>());
        let fields = vec![
            (K::FieldTitle.text().to_string(), Field::text(&K::DefaultRoundTitle.fill(&[&q.zh_title(), &q]))),
            (K::FieldQuarter.text().to_string(), Field::text(&q.to_string())),
            (
                K::FieldTemplate.text().to_string(),
                Field::choice(templates.iter().map(|(id, title)| format!("{title} ({id})")).collect(), 0),
            ),
            (
                K::FieldScope.text().to_string(),
                Field::choice(vec![K::ScopeSubtree.text().to_string(), K::ScopeSample.text().to_string()], 0),
            ),
            (K::FieldUnder.text().to_string(), Field::text("")),
            (K::FieldFieldFilter.text().to_string(), Field::choice(fields_opts, 0)),
            (K::FieldRate.text().to_string(), Field::text("25%")),
            (K::FieldSeed.text().to_string(), Field::text("1")),
        ];
        Form::new(
            FormKind::NewRound { templates: templates.into_iter().map(|(id, _)| id).collect() },
            K::ScreenNewRound.text().to_string(),
            fields,
        )
    }

    /// The arrival and "四不两直" form. The arrival time defaults to `opened`, the moment the visit
    /// was opened on screen.
    pub fn info(v: &Visit, org_name: &str, quarter: Quarter, opened: NaiveDateTime) -> Form {
        let arrived = v.arrived_at.unwrap_or(opened).format("%Y-%m-%d %H:%M").to_string();
        let mut states = vec![K::Unanswered.text().to_string()];
        states.extend(choice_labels::<ArrivalState>());
        let state = v.arrival_state.map_or(0, |s| ArrivalState::ALL.iter().position(|x| *x == s).unwrap_or(0) + 1);
        let mut fields = vec![
            (K::FieldArrivedAt.text().to_string(), Field::text(&arrived)),
            (K::FieldArrivalState.text().to_string(), Field::choice(states, state)),
            (K::FieldArrivalNote.text().to_string(), Field::text(&v.arrival_note)),
        ];
        let yn = || vec![K::Unanswered.text().to_string(), K::Yes.text().to_string(), K::No.text().to_string()];
        for (i, (zh, en)) in UNANNOUNCED_CHECKS.iter().enumerate() {
            fields.push((pick(zh, en).to_string(), Field::choice(yn(), tri(v.unannounced[i]))));
        }
        fields.push((K::FieldInterviewed.text().to_string(), Field::text(&v.interviewed)));
        fields.push((K::FieldRecordsRead.text().to_string(), Field::text(&v.records_read)));
        let title = format!("{org_name} - {}", K::ScreenInfo.text());
        Form::new(FormKind::Info { round: v.round, org: v.org.clone(), quarter }, title, fields)
    }

    /// The reason for setting a veto gate; the gate's text above the field.
    pub fn veto(round: Id, org: &str, org_name: &str, gate: &str, gate_text: &str) -> Form {
        let fields = vec![(K::VetoReason.text().to_string(), Field::multiline(""))];
        let title = format!("{org_name} - {} {gate}", K::ScreenVeto.text());
        let mut f = Form::new(FormKind::Veto { round, org: org.to_string(), gate: gate.to_string() }, title, fields);
        f.intro = gate_text.to_string();
        f
    }

    /// A look-back's mark of an earlier problem and what was seen (the mark it has, else 已巩固).
    pub fn recheck(round: Id, org: &Org, e: &crate::service::lookback::Earlier) -> Form {
        use crate::domain::lookback::Mark;
        // A new mark starts where the record points: held for a problem reported done, not done
        // for one still open (the only mark it may have).
        let fresh = if crate::domain::lookback::reported_done(&e.finding) { Mark::Held } else { Mark::NotDone };
        let current = e.recheck.as_ref().map_or(fresh, |r| r.mark);
        let mark = Mark::ALL.iter().position(|m| *m == current).unwrap_or(0);
        let note = e.recheck.as_ref().map_or("", |r| r.note.as_str());
        let fields = vec![
            (K::ColRecheck.text().to_string(), Field::choice(choice_labels::<Mark>(), mark)),
            (K::RecheckSeen.text().to_string(), Field::multiline(note)),
        ];
        let number = e.finding.number.clone().unwrap_or_default();
        let title = format!("{} - {number} {}", org.name, K::ColRecheck.text());
        let mut f = Form::new(FormKind::Recheck { round, org: org.code.clone(), finding: e.finding.id, number }, title, fields);
        f.intro = e.finding.description.replace('\n', " ");
        f
    }

    /// A supervisor's comment returning one finding (the comment it has, if any).
    pub fn return_finding(finding: &crate::domain::Finding, org_name: &str) -> Form {
        let fields = vec![(K::ReviewComment.text().to_string(), Field::multiline(&finding.review_comment))];
        let item = finding.item.as_deref().unwrap_or(K::OtherItem.text());
        let title = format!("{org_name} - {item} {}", K::ReviewComment.text());
        let mut f =
            Form::new(FormKind::ReturnFinding { finding: finding.id, round: finding.round, org: finding.org.clone() }, title, fields);
        f.intro = finding.description.replace('\n', " ");
        f
    }

    /// A supervisor's comment returning the whole visit.
    pub fn return_visit(round: Id, org: &str, org_name: &str, comment: &str) -> Form {
        let fields = vec![(K::ReturnComment.text().to_string(), Field::multiline(comment))];
        let title = format!("{org_name} - {}", K::ReturnComment.text());
        Form::new(FormKind::ReturnVisit { round, org: org.to_string() }, title, fields)
    }

    /// The finding form for `input` (new or existing), focused on `focus`.
    pub fn finding(input: FindingInput, focus: usize, title: String) -> Form {
        let sev = input.severity.and_then(|s| Severity::ALL.iter().position(|x| *x == s)).unwrap_or(0);
        let rt = input.rect_type.and_then(|s| RectType::ALL.iter().position(|x| *x == s)).unwrap_or(1);
        let fields = vec![
            (K::FieldDescription.text().to_string(), Field::multiline(&input.description)),
            (K::FieldSeverity.text().to_string(), Field::choice(choice_labels::<Severity>(), sev)),
            (K::FieldRectType.text().to_string(), Field::choice(choice_labels::<RectType>(), rt)),
            (K::FieldRequirement.text().to_string(), Field::text(&input.requirement)),
            (K::FieldResponsible.text().to_string(), Field::text(&input.responsible_person)),
            (K::FieldDeadline.text().to_string(), Field::text(&input.deadline)),
            (K::FieldEvidence.text().to_string(), Field::text(&input.evidence)),
        ];
        let draft_key = draft_key(&input);
        let mut f = Form::new(FormKind::Finding { base: input, draft_key, correct: false }, title, fields);
        f.focus = focus.min(f.fields.len() - 1);
        f
    }

    /// A new finding for an organisation, with the defaults inspectors expect.
    pub fn new_finding(round: Id, org: &Org, item: Option<(&str, Severity)>, title: String) -> Form {
        let input = FindingInput {
            id: None,
            round: Some(round),
            org: org.code.clone(),
            item: item.map(|(i, _)| i.to_string()),
            severity: Some(item.map_or(Severity::Minor, |(_, s)| s)),
            rect_type: Some(RectType::ByDeadline),
            responsible_person: org.secretary.clone(),
            deadline: "+30".into(),
            ..Default::default()
        };
        Form::finding(input, 0, title)
    }

    /// A status change of an official finding: the states it may move to, a note, evidence, and
    /// (when they apply) a new deadline or the acceptor.
    pub fn rectify(number: &str, org: &str, from: crate::domain::RectStatus) -> Form {
        let next: Vec<crate::domain::RectStatus> = from.next().to_vec();
        let fields = vec![
            (K::FieldNewStatus.text().to_string(), Field::choice(next.iter().map(|s| s.label().to_string()).collect(), 0)),
            (K::FieldNote.text().to_string(), Field::text("")),
            (K::FieldEvidence.text().to_string(), Field::text("")),
            (K::FieldNewDeadline.text().to_string(), Field::text("")),
            (K::FieldAcceptor.text().to_string(), Field::text("")),
        ];
        let title = format!("{} - {} {} ({})", K::ScreenRectify.text(), number, org, from.label());
        Form::new(FormKind::Rectify { number: number.to_string(), next }, title, fields)
    }

    /// Marks a finding form as a supervisor's correction.
    pub fn correcting(mut self) -> Form {
        if let FormKind::Finding { correct, .. } = &mut self.kind {
            *correct = true;
        }
        self
    }

    pub fn focused(&mut self) -> &mut Field {
        &mut self.fields[self.focus].1
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
    }

    pub fn prev(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
    }

    /// The text cursor's field, if the focused field is text.
    pub fn text_field(&self) -> Option<&TextField> {
        match &self.fields[self.focus].1 {
            Field::Text(t) => Some(t),
            Field::Choice(_) => None,
        }
    }

    fn value(&self, i: usize) -> String {
        self.fields[i].1.value()
    }

    fn index(&self, i: usize) -> usize {
        self.fields[i].1.index()
    }

    /// The finding input as typed now (for drafts and for saving).
    pub fn finding_input(&self) -> Option<FindingInput> {
        let FormKind::Finding { base, .. } = &self.kind else { return None };
        Some(FindingInput {
            description: self.value(0),
            severity: Severity::ALL.get(self.index(1)).copied(),
            rect_type: RectType::ALL.get(self.index(2)).copied(),
            requirement: self.value(3),
            responsible_person: self.value(4),
            deadline: self.value(5),
            evidence: self.value(6),
            ..base.clone()
        })
    }

    /// Checks the form; on success, what to do. On failure the errors are set next to the
    /// fields and the typed text stays.
    pub fn submit(&mut self, now: NaiveDateTime) -> Option<Submit> {
        let today = now.date();
        self.errors.clear();
        let out = match &self.kind {
            FormKind::Setup { ask_data } => {
                let name = self.value(0).trim().to_string();
                if name.is_empty() {
                    self.errors.insert(0, K::NameNeeded.text().into());
                }
                let (data, path) = if *ask_data { (self.index(2), self.value(3)) } else { (2, String::new()) };
                Submit::Setup { name, team: self.value(1).trim().to_string(), data, path: path.trim().to_string() }
            }
            FormKind::NewRound { templates } => {
                let title = self.value(0);
                if title.trim().is_empty() {
                    self.errors.insert(0, K::TitleEmpty.text().into());
                } else if !crate::domain::limits::fits(&title, crate::domain::limits::NAME_CHARS) {
                    let n = crate::domain::limits::chars(&title);
                    self.errors.insert(0, K::TooLong.fill(&[&K::FieldTitle.text(), &crate::domain::limits::NAME_CHARS, &n]));
                }
                let typed = self.value(1);
                let quarter = typed.parse::<Quarter>().map_err(|_| self.errors.insert(1, K::QuarterBad.fill(&[&typed]))).ok();
                let field = OrgField::ALL.get(self.index(5).wrapping_sub(1)).copied();
                let under = Some(self.value(4).trim().to_string()).filter(|s| !s.is_empty());
                let scope = if self.index(3) == 0 {
                    match under {
                        Some(under) => Some(Scope::Subtree { under, field }),
                        None => {
                            self.errors.insert(4, K::RowMissing.text().into());
                            None
                        }
                    }
                } else {
                    let rate = parse_rate(&self.value(6));
                    let seed = self.value(7).trim().parse::<u64>().ok();
                    if rate.is_none() {
                        self.errors.insert(6, K::SampleRate.text().into());
                    }
                    if seed.is_none() {
                        self.errors.insert(7, K::TypeInteger.text().into());
                    }
                    match (rate, seed) {
                        (Some(rate), Some(seed)) => Some(Scope::Sample { under, field, rate, seed }),
                        _ => None,
                    }
                };
                match (quarter, scope, templates.get(self.index(2))) {
                    (Some(quarter), Some(scope), Some(template)) if self.errors.is_empty() => {
                        Submit::NewRound { title: title.trim().to_string(), quarter, template: template.clone(), scope }
                    }
                    _ => return None,
                }
            }
            FormKind::Info { round, org, quarter } => {
                let arrived = self.value(0);
                let arrived_at = if arrived.trim().is_empty() {
                    self.errors.insert(0, K::ArrivalTimeNeeded.text().into());
                    None
                } else {
                    match NaiveDateTime::parse_from_str(arrived.trim(), "%Y-%m-%d %H:%M") {
                        Ok(t) => {
                            if let Some(e) = crate::service::visits::arrival_error(t, *quarter, now) {
                                self.errors.insert(0, e);
                            }
                            Some(t)
                        }
                        Err(_) => {
                            self.errors.insert(0, K::BadDateTime.text().into());
                            None
                        }
                    }
                };
                let mut unannounced = [None; 6];
                for (i, u) in unannounced.iter_mut().enumerate() {
                    *u = match self.index(3 + i) {
                        1 => Some(true),
                        2 => Some(false),
                        _ => None,
                    };
                }
                let info = VisitInfo {
                    arrived_at,
                    arrival_state: self.index(1).checked_sub(1).and_then(|i| ArrivalState::ALL.get(i).copied()),
                    arrival_note: self.value(2),
                    unannounced,
                    interviewed: self.value(9),
                    records_read: self.value(10),
                };
                Submit::Info { round: *round, org: org.clone(), info }
            }
            FormKind::Rectify { number, next } => {
                let deadline = match crate::service::findings::parse_deadline(&self.value(3), today) {
                    Ok(d) => d,
                    Err(e) => {
                        self.errors.insert(3, e);
                        None
                    }
                };
                let update = crate::service::rectify::Update {
                    status: next.get(self.index(0)).copied(),
                    note: self.value(1),
                    evidence: self.value(2),
                    deadline,
                    acceptor: self.value(4),
                    ..Default::default()
                };
                Submit::Rectify { number: number.clone(), update }
            }
            FormKind::Veto { round, org, gate } => {
                let reason = self.value(0).trim().to_string();
                if reason.is_empty() {
                    self.errors.insert(0, K::ReasonEmpty.text().into());
                }
                Submit::Veto { round: *round, org: org.clone(), gate: gate.clone(), reason }
            }
            FormKind::ReturnFinding { finding, .. } => {
                let comment = self.value(0).trim().to_string();
                if comment.is_empty() {
                    self.errors.insert(0, K::CommentEmpty.text().into());
                }
                Submit::ReturnFinding { finding: *finding, comment }
            }
            FormKind::ReturnVisit { round, org } => {
                Submit::ReturnVisit { round: *round, org: org.clone(), comment: self.value(0).trim().to_string() }
            }
            FormKind::Recheck { round, org, finding, .. } => {
                let mark = crate::domain::lookback::Mark::ALL.get(self.index(0)).copied()?;
                let note = self.value(1).trim().to_string();
                if !crate::domain::limits::fits(&note, crate::domain::limits::TEXT_CHARS) {
                    let n = crate::domain::limits::chars(&note);
                    self.errors.insert(1, K::TooLong.fill(&[&K::RecheckSeen.text(), &crate::domain::limits::TEXT_CHARS, &n]));
                }
                Submit::Recheck { round: *round, org: org.clone(), finding: *finding, mark, note }
            }
            FormKind::Finding { draft_key, correct, .. } => {
                let correct = *correct;
                let input = self.finding_input()?;
                if let Err(errs) = validate(&input, today) {
                    for e in errs {
                        let i = match e.field {
                            FindingField::Description => 0,
                            FindingField::Severity => 1,
                            FindingField::RectType => 2,
                            FindingField::Requirement => 3,
                            FindingField::Responsible => 4,
                            FindingField::Deadline => 5,
                            FindingField::Evidence => 6,
                        };
                        self.errors.insert(i, e.message);
                    }
                }
                Submit::Finding { input, draft_key: draft_key.clone(), correct }
            }
        };
        if self.errors.is_empty() { Some(out) } else { None }
    }
}

/// 0.25, 25 and 25% all mean a quarter; None outside (0, 1].
pub fn parse_rate(s: &str) -> Option<f64> {
    let t = s.trim();
    let pct = t.ends_with(['%', '％']);
    let v: f64 = t.trim_end_matches(['%', '％']).trim().parse().ok()?;
    let v = if pct || v > 1.0 { v / 100.0 } else { v };
    (v > 0.0 && v <= 1.0).then_some(v)
}

/// Where a finding form's draft is kept: one per finding (or per new finding of an item).
pub fn draft_key(input: &FindingInput) -> String {
    format!(
        "finding/{}/{}/{}/{}",
        input.round.map(|r| r.to_string()).unwrap_or_default(),
        input.org,
        input.item.as_deref().unwrap_or("-"),
        input.id.map_or("new".to_string(), |i| i.to_string())
    )
}

#[cfg(test)]
#[path = "forms_tests.rs"]
mod tests;
