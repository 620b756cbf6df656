//! The TUI's state and how keys change it. `App::key` turns a key into state changes and effects
//! (as data); the driver runs the effects through the services. Nothing here touches the store,
//! so the state logic is testable without a terminal or a store.

use super::field::TextField;
use super::forms::{FindingDraft, Form, FormKind, Submit};
use super::keymap::{Act, Ctx, Keymap};
use super::views::{BoardView, DashboardView, QueueView, ReviewView, RoundsView, StatsView, VisitView, cycle};
use crate::domain::vocab::Vocab;
use crate::domain::{Id, Verdict};
use crate::i18n::K;
use crate::service::findings::input_of;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::Value;

#[derive(Debug, Clone)]
pub enum Screen {
    Rounds(RoundsView),
    Dashboard(Box<DashboardView>),
    Visit(Box<VisitView>),
    Form(Box<Form>),
    Queue(Box<QueueView>),
    Review(Box<ReviewView>),
    Board(Box<BoardView>),
    Stats(Box<StatsView>),
}

/// What a confirm dialog does on "y".
#[derive(Debug, Clone)]
pub enum OnYes {
    /// Close the form on top (and drop its draft, if any).
    Discard(Option<String>),
    /// Cancel the note being edited (and drop its draft).
    DiscardNote(String),
    Submit(Id, String),
    ClearVeto(Id, String, String),
    ApproveVisit(Id, String),
    Restore(Box<FindingDraft>),
    RestoreNote(NoteDraft),
}

/// A note being typed when the program stopped.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct NoteDraft {
    pub round: Id,
    pub org: String,
    pub item: String,
    pub note: String,
}

#[derive(Debug, Clone)]
pub enum Overlay {
    Help(Ctx),
    Confirm {
        text: String,
        yes: OnYes,
        no_drops_draft: Option<String>,
    },
    /// The veto gates of the visit on top; `reason` while one is being set.
    Veto {
        selected: usize,
        reason: Option<Box<TextField>>,
    },
    /// A line of text to enter: a comment.
    Input {
        title: String,
        field: Box<TextField>,
        purpose: InputFor,
    },
    History {
        title: String,
        lines: Vec<String>,
    },
}

/// What an entered comment is for.
#[derive(Debug, Clone)]
pub enum InputFor {
    ReturnFinding(Id),
    ReturnVisit(Id, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Error,
    Info,
}

/// Work for the driver: writes through the services, and screens to load.
#[derive(Debug, Clone)]
pub enum Effect {
    NewRoundForm,
    OpenRound(Id),
    OpenVisit(Id, String),
    Verdict {
        round: Id,
        org: String,
        item: String,
        verdict: Option<Verdict>,
        note: String,
    },
    Save(Submit),
    SetVeto {
        round: Id,
        org: String,
        veto: String,
        reason: Option<String>,
    },
    Submit(Id, String),
    SaveDraft(String, Value),
    DropDraft(String),
    /// Open a visit and then a finding form from a kept draft.
    RestoreDraft(Box<FindingDraft>),
    /// Open a visit on the item, editing the kept note.
    RestoreNote(NoteDraft),
    OpenQueue,
    OpenReview(Id, String),
    Decide {
        finding: Id,
        decision: crate::domain::Review,
        comment: String,
    },
    ApproveVisit(Id, String),
    ReturnVisit(Id, String, String),
    History(Id, String, String),
    ToggleRole,
    OpenBoard,
    /// Reload the board's rows for its (changed) filter.
    ReloadBoard,
    ExportBoard,
    RectHistory(String),
    OpenStats,
    ReloadStats,
}

pub struct App {
    pub screens: Vec<Screen>,
    pub overlay: Option<Overlay>,
    pub status: Option<(String, Tone)>,
    pub keymap: Keymap,
    pub quit: bool,
    pub actor: String,
    /// Supervisor mode: the review queue and review decisions.
    pub supervisor: bool,
    pub today: chrono::NaiveDate,
    pub now: chrono::NaiveDateTime,
}

fn ctrl_c(ev: &KeyEvent) -> bool {
    ev.modifiers.contains(KeyModifiers::CONTROL) && ev.code == KeyCode::Char('c')
}

pub fn note_draft_key(round: Id, org: &str, item: &str) -> String {
    format!("note/{round}/{org}/{item}")
}

impl App {
    pub fn new(keymap: Keymap, actor: String) -> App {
        let now = chrono::Local::now().naive_local();
        App { screens: Vec::new(), overlay: None, status: None, keymap, quit: false, actor, supervisor: false, today: now.date(), now }
    }

    pub fn top(&self) -> Option<&Screen> {
        self.screens.last()
    }

    pub fn ctx(&self) -> Ctx {
        match self.top() {
            Some(Screen::Rounds(_)) | None => Ctx::Rounds,
            Some(Screen::Dashboard(_)) => Ctx::Dashboard,
            Some(Screen::Visit(_)) => Ctx::Visit,
            Some(Screen::Form(_)) => Ctx::Form,
            Some(Screen::Queue(_)) => Ctx::Queue,
            Some(Screen::Review(_)) => Ctx::Review,
            Some(Screen::Board(_)) => Ctx::Board,
            Some(Screen::Stats(_)) => Ctx::Stats,
        }
    }

    pub fn say(&mut self, text: impl Into<String>, tone: Tone) {
        self.status = Some((text.into(), tone));
    }

    fn back(&mut self) {
        self.screens.pop();
        if self.screens.is_empty() {
            self.quit = true;
        }
    }

    /// Turns one key press into state changes and effects.
    pub fn key(&mut self, ev: KeyEvent) -> Vec<Effect> {
        if ctrl_c(&ev) {
            self.quit = true;
            return Vec::new();
        }
        if self.overlay.is_some() {
            return self.overlay_key(ev);
        }
        let ctx = self.ctx();
        let act = self.keymap.action(ctx, &ev);
        match self.screens.last_mut() {
            Some(Screen::Form(_)) => self.form_key(ev, act),
            Some(Screen::Dashboard(d)) if d.search.is_some() => {
                let search = d.search.as_mut().expect("checked above");
                match ev.code {
                    KeyCode::Esc => {
                        d.search = None;
                        d.query.clear();
                    }
                    KeyCode::Enter => d.search = None,
                    _ => {
                        if search.input(ev) {
                            d.query = search.text();
                            d.selected = 0;
                        }
                    }
                }
                Vec::new()
            }
            Some(Screen::Visit(v)) if v.note.is_some() => self.note_key(ev),
            _ => match act {
                Some(Act::Help) => {
                    self.overlay = Some(Overlay::Help(ctx));
                    Vec::new()
                }
                Some(Act::Back) => {
                    self.back();
                    Vec::new()
                }
                Some(Act::Quit) => {
                    self.quit = true;
                    Vec::new()
                }
                Some(a) => self.screen_act(a),
                None => Vec::new(),
            },
        }
    }

    fn screen_act(&mut self, a: Act) -> Vec<Effect> {
        match self.screens.last_mut() {
            Some(Screen::Rounds(r)) => match a {
                Act::Down => r.selected = (r.selected + 1).min(r.rows.len().saturating_sub(1)),
                Act::Up => r.selected = r.selected.saturating_sub(1),
                Act::Open => {
                    if let Some(row) = r.rows.get(r.selected) {
                        return vec![Effect::OpenRound(row.round.id)];
                    }
                }
                Act::NewRound => return vec![Effect::NewRoundForm],
                Act::ToggleRole => return vec![Effect::ToggleRole],
                Act::Board => return vec![Effect::OpenBoard],
                Act::Stats => return vec![Effect::OpenStats],
                Act::ReviewQueue => {
                    if self.supervisor {
                        return vec![Effect::OpenQueue];
                    }
                    self.say(K::SupervisorOnly.text(), Tone::Error);
                }
                _ => {}
            },
            Some(Screen::Queue(q)) => match a {
                Act::Down => q.selected = (q.selected + 1).min(q.rows.len().saturating_sub(1)),
                Act::Up => q.selected = q.selected.saturating_sub(1),
                Act::Open => {
                    if let Some(row) = q.rows.get(q.selected) {
                        return vec![Effect::OpenReview(row.round.id, row.row.org.code.clone())];
                    }
                }
                _ => {}
            },
            Some(Screen::Review(_)) => return self.review_act(a),
            Some(Screen::Board(b)) => {
                let n = b.rows.len();
                match a {
                    Act::Down => b.selected = (b.selected + 1).min(n.saturating_sub(1)),
                    Act::Up => b.selected = b.selected.saturating_sub(1),
                    Act::PageDown => b.selected = (b.selected + 10).min(n.saturating_sub(1)),
                    Act::PageUp => b.selected = b.selected.saturating_sub(10),
                    Act::Sort => {
                        b.sort_area = !b.sort_area;
                        b.sort();
                    }
                    Act::FilterQuarter => {
                        b.filter.quarter = cycle(&b.filter.quarter, &b.quarters);
                        return vec![Effect::ReloadBoard];
                    }
                    Act::FilterRound => {
                        let ids: Vec<Id> = b.rounds.iter().map(|(id, _)| *id).collect();
                        b.filter.round = cycle(&b.filter.round, &ids);
                        return vec![Effect::ReloadBoard];
                    }
                    Act::FilterSeverity => {
                        b.filter.severity = cycle(&b.filter.severity, crate::domain::Severity::ALL);
                        return vec![Effect::ReloadBoard];
                    }
                    Act::FilterField => {
                        b.filter.field = cycle(&b.filter.field, &b.fields);
                        return vec![Effect::ReloadBoard];
                    }
                    Act::FilterArea => {
                        let codes: Vec<String> = b.areas.iter().map(|(c, _)| c.clone()).collect();
                        b.filter.area = cycle(&b.filter.area, &codes);
                        b.area_name = b.filter.area.as_ref().and_then(|c| b.areas.iter().find(|(x, _)| x == c)).map(|(_, n)| n.clone());
                        return vec![Effect::ReloadBoard];
                    }
                    Act::FilterStatus => {
                        // None → each state → 逾期 (derived) → None.
                        let all = crate::domain::RectStatus::ALL;
                        if b.filter.overdue {
                            b.filter.overdue = false;
                        } else {
                            b.filter.status = cycle(&b.filter.status, all);
                            b.filter.overdue = b.filter.status.is_none();
                        }
                        return vec![Effect::ReloadBoard];
                    }
                    Act::ChangeStatus => {
                        if let Some(r) = b.selected_row() {
                            let from = crate::domain::RectStatus::ALL.iter().copied().find(|s| s.label() == r.status);
                            match from.filter(|f| !f.next().is_empty()) {
                                Some(from) => {
                                    let form = Form::rectify(&r.number, &r.org, from);
                                    self.screens.push(Screen::Form(Box::new(form)));
                                }
                                None => self.say(K::NoNextStatus.text(), Tone::Error),
                            }
                        }
                    }
                    Act::History => {
                        if let Some(r) = b.selected_row() {
                            return vec![Effect::RectHistory(r.number.clone())];
                        }
                    }
                    Act::Export => return vec![Effect::ExportBoard],
                    _ => {}
                }
            }
            Some(Screen::Stats(st)) => match a {
                Act::FilterQuarter => {
                    let cur = Some(st.bulletin.quarter);
                    let next = cycle(&cur, &st.quarters).or(st.quarters.first().copied());
                    if let Some(q) = next {
                        st.bulletin.quarter = q;
                    }
                    return vec![Effect::ReloadStats];
                }
                Act::FilterArea => {
                    st.area = cycle(&st.area, &st.areas);
                    return vec![Effect::ReloadStats];
                }
                _ => {}
            },
            Some(Screen::Dashboard(d)) => {
                let n = d.visible().len();
                match a {
                    Act::Down => d.selected = (d.selected + 1).min(n.saturating_sub(1)),
                    Act::Up => d.selected = d.selected.saturating_sub(1),
                    Act::PageDown => d.selected = (d.selected + 10).min(n.saturating_sub(1)),
                    Act::PageUp => d.selected = d.selected.saturating_sub(10),
                    Act::Search => d.search = Some(TextField::new(&d.query, false)),
                    Act::FilterStatus => d.cycle_status(),
                    Act::FilterField => d.cycle_field(),
                    Act::FilterArea => d.cycle_area(),
                    Act::Open => {
                        if let Some(row) = d.selected_row() {
                            return vec![Effect::OpenVisit(d.round.id, row.org.code.clone())];
                        }
                    }
                    _ => {}
                }
            }
            Some(Screen::Visit(_)) => return self.visit_act(a),
            _ => {}
        }
        Vec::new()
    }

    fn visit_act(&mut self, a: Act) -> Vec<Effect> {
        let Some(Screen::Visit(v)) = self.screens.last_mut() else { return Vec::new() };
        let n = v.items.len();
        let (round, org) = (v.round.id, v.org.code.clone());
        let verdict = |verdict: Option<Verdict>, v: &VisitView| -> Vec<Effect> {
            match v.item_id() {
                Some(item) => vec![Effect::Verdict { round, org: org.clone(), item: item.to_string(), verdict, note: v.note_of(item) }],
                None => Vec::new(),
            }
        };
        match a {
            Act::Down => v.selected = (v.selected + 1).min(n.saturating_sub(1)),
            Act::Up => v.selected = v.selected.saturating_sub(1),
            Act::NextUnanswered => {
                if let Some(i) = v.next_unanswered() {
                    v.selected = i;
                }
            }
            Act::Meets | Act::Partly | Act::NotApplicable => {
                let chosen = match a {
                    Act::Meets => Verdict::Meets,
                    Act::Partly => Verdict::Partly,
                    _ => Verdict::NotApplicable,
                };
                let effects = verdict(Some(chosen), v);
                // On to the next item: one key per verdict, item after item.
                v.selected = (v.selected + 1).min(n.saturating_sub(1));
                return effects;
            }
            Act::Clear => return verdict(None, v),
            Act::Fails => {
                // Marking 不符合 opens the finding form at once.
                let effects = verdict(Some(Verdict::Fails), v);
                if let Some(item) = v.item() {
                    let title = format!("{} - {} {}", v.org.name, item.id, K::ScreenFinding.text());
                    let form = Form::new_finding(round, &v.org, Some((&item.id, item.severity)), title);
                    self.screens.push(Screen::Form(Box::new(form)));
                }
                return effects;
            }
            Act::AddFinding | Act::AddOther => {
                let item = if a == Act::AddFinding { v.item().map(|i| (i.id.clone(), i.severity)) } else { None };
                let title = format!(
                    "{} - {} {}",
                    v.org.name,
                    item.as_ref().map_or(K::OtherItem.text(), |(id, _)| id.as_str()),
                    K::ScreenFinding.text()
                );
                let form = Form::new_finding(round, &v.org, item.as_ref().map(|(id, s)| (id.as_str(), *s)), title);
                self.screens.push(Screen::Form(Box::new(form)));
            }
            Act::EditFinding => {
                let f = v.item_findings(v.item_id()).last().map(|f| (*f).clone());
                if let Some(f) = f {
                    let title =
                        format!("{} - {} {}", v.org.name, f.item.as_deref().unwrap_or(K::OtherItem.text()), K::ScreenFinding.text());
                    self.screens.push(Screen::Form(Box::new(Form::finding(input_of(&f), 0, title))));
                }
            }
            Act::EditNote => {
                if let Some(item) = v.item_id() {
                    v.note = Some(TextField::new(&v.note_of(item), false));
                }
            }
            Act::Submit => {
                let text = K::SubmitAsk.fill(&[&v.org.name]);
                self.overlay = Some(Overlay::Confirm { text, yes: OnYes::Submit(round, org), no_drops_draft: None });
            }
            Act::Veto => self.overlay = Some(Overlay::Veto { selected: 0, reason: None }),
            Act::VisitInfo => {
                let form = Form::info(&v.visit, self.now);
                self.screens.push(Screen::Form(Box::new(form)));
            }
            Act::History => {
                if let Some(item) = v.item_id() {
                    return vec![Effect::History(round, org, item.to_string())];
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn review_act(&mut self, a: Act) -> Vec<Effect> {
        let Some(Screen::Review(r)) = self.screens.last_mut() else { return Vec::new() };
        let n = r.visit.findings.len();
        let (round, org) = (r.visit.round.id, r.visit.org.code.clone());
        let finding = r.finding().cloned();
        match a {
            Act::Down => r.selected = (r.selected + 1).min(n.saturating_sub(1)),
            Act::Up => r.selected = r.selected.saturating_sub(1),
            Act::ApproveFinding => {
                if let Some(f) = finding {
                    r.selected = (r.selected + 1).min(n.saturating_sub(1));
                    return vec![Effect::Decide { finding: f.id, decision: crate::domain::Review::Approved, comment: String::new() }];
                }
            }
            Act::ReturnFinding => {
                if let Some(f) = finding {
                    let field = Box::new(TextField::new(&f.review_comment, false));
                    self.overlay =
                        Some(Overlay::Input { title: K::ReviewComment.text().into(), field, purpose: InputFor::ReturnFinding(f.id) });
                }
            }
            Act::CorrectFinding => {
                if let Some(f) = finding {
                    let title =
                        format!("{} - {} {}", r.visit.org.name, f.item.as_deref().unwrap_or(K::OtherItem.text()), K::ScreenFinding.text());
                    self.screens.push(Screen::Form(Box::new(Form::finding(input_of(&f), 0, title).correcting())));
                }
            }
            Act::ApproveVisit => {
                let text = K::ApproveVisitAsk.fill(&[&r.visit.org.name, &n]);
                self.overlay = Some(Overlay::Confirm { text, yes: OnYes::ApproveVisit(round, org), no_drops_draft: None });
            }
            Act::ReturnVisit => {
                let field = Box::new(TextField::new(&r.visit.visit.return_comment, false));
                self.overlay =
                    Some(Overlay::Input { title: K::ReturnComment.text().into(), field, purpose: InputFor::ReturnVisit(round, org) });
            }
            Act::Checklist => return vec![Effect::OpenVisit(round, org)],
            Act::History => {
                let item = finding.and_then(|f| f.item).unwrap_or_default();
                return vec![Effect::History(round, org, item)];
            }
            _ => {}
        }
        Vec::new()
    }

    fn note_key(&mut self, ev: KeyEvent) -> Vec<Effect> {
        let Some(Screen::Visit(v)) = self.screens.last_mut() else { return Vec::new() };
        let Some(item) = v.item_id().map(str::to_string) else { return Vec::new() };
        let key = note_draft_key(v.round.id, &v.org.code, &item);
        let note = v.note.as_mut().expect("editing a note");
        match ev.code {
            KeyCode::Enter => {
                let text = note.text();
                v.note = None;
                let verdict = v.verdict_of(&item);
                vec![Effect::Verdict { round: v.round.id, org: v.org.code.clone(), item, verdict, note: text }, Effect::DropDraft(key)]
            }
            KeyCode::Esc => {
                if note.text() == v.note_of(&item) {
                    v.note = None;
                    return vec![Effect::DropDraft(key)];
                }
                self.overlay =
                    Some(Overlay::Confirm { text: K::DiscardAsk.text().into(), yes: OnYes::DiscardNote(key), no_drops_draft: None });
                Vec::new()
            }
            _ => {
                if note.input(ev) {
                    let draft = NoteDraft { round: v.round.id, org: v.org.code.clone(), item, note: note.text() };
                    return vec![Effect::SaveDraft(key, serde_json::to_value(draft).unwrap_or(Value::Null))];
                }
                Vec::new()
            }
        }
    }

    fn form_key(&mut self, ev: KeyEvent, act: Option<Act>) -> Vec<Effect> {
        let today = self.today;
        let Some(Screen::Form(f)) = self.screens.last_mut() else { return Vec::new() };
        // In a multi-line field, the arrows move within the text, not between fields.
        let in_multiline = f.text_field().is_some_and(|t| t.multiline);
        match act {
            Some(Act::NextField) if !(in_multiline && ev.code == KeyCode::Down) => f.next(),
            Some(Act::PrevField) if !(in_multiline && ev.code == KeyCode::Up) => f.prev(),
            Some(Act::Save) => {
                if let Some(s) = f.submit(today) {
                    return vec![Effect::Save(s)];
                }
            }
            Some(Act::Back) => {
                let draft = match &f.kind {
                    FormKind::Finding { draft_key, .. } => Some(draft_key.clone()),
                    _ => None,
                };
                if f.dirty {
                    self.overlay =
                        Some(Overlay::Confirm { text: K::DiscardAsk.text().into(), yes: OnYes::Discard(draft), no_drops_draft: None });
                } else {
                    self.back();
                    return draft.map(Effect::DropDraft).into_iter().collect();
                }
            }
            _ => {
                if f.focused().input(ev) {
                    f.dirty = true;
                    f.errors.remove(&f.focus);
                    if let (FormKind::Finding { draft_key, .. }, Some(input)) = (&f.kind, f.finding_input()) {
                        let label = f.title.clone();
                        let draft = FindingDraft { input, focus: f.focus, label };
                        return vec![Effect::SaveDraft(draft_key.clone(), serde_json::to_value(draft).unwrap_or(Value::Null))];
                    }
                }
            }
        }
        Vec::new()
    }

    fn overlay_key(&mut self, ev: KeyEvent) -> Vec<Effect> {
        let Some(overlay) = self.overlay.take() else { return Vec::new() };
        match overlay {
            Overlay::Help(_) | Overlay::History { .. } => Vec::new(),
            Overlay::Input { title, mut field, purpose } => match ev.code {
                KeyCode::Esc => Vec::new(),
                KeyCode::Enter => {
                    let text = field.text();
                    match purpose {
                        InputFor::ReturnFinding(id) => {
                            vec![Effect::Decide { finding: id, decision: crate::domain::Review::Returned, comment: text }]
                        }
                        InputFor::ReturnVisit(round, org) => vec![Effect::ReturnVisit(round, org, text)],
                    }
                }
                _ => {
                    field.input(ev);
                    self.overlay = Some(Overlay::Input { title, field, purpose });
                    Vec::new()
                }
            },
            Overlay::Confirm { text, yes, no_drops_draft } => match ev.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => match yes {
                    OnYes::Discard(draft) => {
                        self.back();
                        draft.map(Effect::DropDraft).into_iter().collect()
                    }
                    OnYes::DiscardNote(key) => {
                        if let Some(Screen::Visit(v)) = self.screens.last_mut() {
                            v.note = None;
                        }
                        vec![Effect::DropDraft(key)]
                    }
                    OnYes::Submit(round, org) => vec![Effect::Submit(round, org)],
                    OnYes::ClearVeto(round, org, veto) => vec![Effect::SetVeto { round, org, veto, reason: None }],
                    OnYes::ApproveVisit(round, org) => vec![Effect::ApproveVisit(round, org)],
                    OnYes::Restore(draft) => vec![Effect::RestoreDraft(draft)],
                    OnYes::RestoreNote(draft) => vec![Effect::RestoreNote(draft)],
                },
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => no_drops_draft.map(Effect::DropDraft).into_iter().collect(),
                _ => {
                    self.overlay = Some(Overlay::Confirm { text, yes, no_drops_draft });
                    Vec::new()
                }
            },
            Overlay::Veto { mut selected, mut reason } => {
                let Some(Screen::Visit(v)) = self.screens.last() else { return Vec::new() };
                let gates = &v.template.vetoes;
                if let Some(r) = reason.as_mut() {
                    match ev.code {
                        KeyCode::Esc => reason = None,
                        KeyCode::Enter => {
                            let text = r.text();
                            if !text.trim().is_empty()
                                && let Some(g) = gates.get(selected)
                            {
                                return vec![Effect::SetVeto {
                                    round: v.round.id,
                                    org: v.org.code.clone(),
                                    veto: g.id.clone(),
                                    reason: Some(text),
                                }];
                            }
                        }
                        _ => {
                            r.input(ev);
                        }
                    }
                    self.overlay = Some(Overlay::Veto { selected, reason });
                    return Vec::new();
                }
                match self.keymap.action(Ctx::Picker, &ev) {
                    Some(Act::Down) => selected = (selected + 1).min(gates.len().saturating_sub(1)),
                    Some(Act::Up) => selected = selected.saturating_sub(1),
                    Some(Act::Open) => {
                        if let Some(g) = gates.get(selected) {
                            if v.visit.vetoes.iter().any(|m| m.id == g.id) {
                                let text = K::VetoClearAsk.fill(&[&g.text]);
                                self.overlay = Some(Overlay::Confirm {
                                    text,
                                    yes: OnYes::ClearVeto(v.round.id, v.org.code.clone(), g.id.clone()),
                                    no_drops_draft: None,
                                });
                                return Vec::new();
                            }
                            reason = Some(Box::new(TextField::new("", false)));
                        }
                    }
                    Some(Act::Back) => return Vec::new(),
                    _ => {}
                }
                self.overlay = Some(Overlay::Veto { selected, reason });
                Vec::new()
            }
        }
    }

    /// After a form was saved: close it.
    pub fn close_form(&mut self) {
        if matches!(self.top(), Some(Screen::Form(_))) {
            self.screens.pop();
        }
    }

    /// Offers a kept note back (at start).
    pub fn offer_note(&mut self, key: String, draft: NoteDraft) {
        let text = K::DraftAsk.fill(&[&format!("{} {} {}", draft.org, draft.item, K::ColNote.text())]);
        self.overlay = Some(Overlay::Confirm { text, yes: OnYes::RestoreNote(draft), no_drops_draft: Some(key) });
    }

    /// Offers a kept draft back (at start).
    pub fn offer_draft(&mut self, key: String, draft: FindingDraft) {
        let text = K::DraftAsk.fill(&[&draft.label]);
        self.overlay = Some(Overlay::Confirm { text, yes: OnYes::Restore(Box::new(draft)), no_drops_draft: Some(key) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Level, Org, Severity};

    fn app_with_finding_form() -> App {
        let org = Org {
            code: "B1".into(),
            name: "红旗村党支部".into(),
            parent: None,
            level: Level::Branch,
            field: None,
            secretary: "王书记".into(),
            members: None,
        };
        let mut app = App::new(Keymap::default(), "李明".into());
        app.screens.push(Screen::Rounds(RoundsView::default()));
        app.screens.push(Screen::Form(Box::new(Form::new_finding(Id::new(), &org, Some(("C1.1", Severity::Minor)), "t".into()))));
        app
    }

    #[test]
    fn typing_in_a_finding_keeps_a_draft_of_every_change() {
        let mut app = app_with_finding_form();
        let effects = app.key(KeyEvent::from(KeyCode::Char('会')));
        let [Effect::SaveDraft(key, value)] = effects.as_slice() else { panic!("{effects:?}") };
        assert!(key.starts_with("finding/") && key.ends_with("/B1/C1.1/new"), "{key}");
        assert_eq!(value["input"]["description"], "会");
    }

    #[test]
    fn esc_asks_before_dropping_typed_text_and_closes_a_clean_form() {
        let mut app = app_with_finding_form();
        app.key(KeyEvent::from(KeyCode::Char('会')));
        assert!(app.key(KeyEvent::from(KeyCode::Esc)).is_empty());
        assert!(matches!(app.overlay, Some(Overlay::Confirm { .. })));
        app.key(KeyEvent::from(KeyCode::Char('n')));
        assert!(matches!(app.top(), Some(Screen::Form(_))), "n keeps the form and its text");
        let effects = app.key(KeyEvent::from(KeyCode::Esc));
        assert!(effects.is_empty());
        let effects = app.key(KeyEvent::from(KeyCode::Char('y')));
        assert!(matches!(effects.as_slice(), [Effect::DropDraft(_)]), "{effects:?}");
        assert!(matches!(app.top(), Some(Screen::Rounds(_))));

        let mut clean = app_with_finding_form();
        let effects = clean.key(KeyEvent::from(KeyCode::Esc));
        assert!(matches!(effects.as_slice(), [Effect::DropDraft(_)]) && clean.overlay.is_none());
    }

    #[test]
    fn saving_an_invalid_form_emits_nothing_and_marks_the_fields() {
        let mut app = app_with_finding_form();
        let effects = app.key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
        assert!(effects.is_empty());
        let Some(Screen::Form(f)) = app.top() else { panic!() };
        assert!(f.errors.contains_key(&0), "the empty description is marked");
    }

    #[test]
    fn ctrl_c_quits_from_anywhere_and_q_goes_back() {
        let mut app = app_with_finding_form();
        app.screens.pop();
        app.key(KeyEvent::from(KeyCode::Char('q')));
        assert!(app.quit, "q on the home screen leaves");
        let mut app = app_with_finding_form();
        app.key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert!(app.quit);
    }
}
