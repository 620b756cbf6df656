//! The TUI's state and how keys change it. `App::key` turns a key into state changes and effects
//! (as data); the driver runs the effects through the services. Nothing here touches the store,
//! so the state logic is testable without a terminal or a store.

use super::field::TextField;
use super::forms::{Form, FormDraft, Submit};
use super::keymap::{Act, Ctx, Keymap};
use super::views::{BoardView, DashboardView, QueueView, ReviewView, RoundsView, StatsView, VisitView, cycle};
use crate::clock::Clock;
use crate::domain::vocab::Vocab;
use crate::domain::{Id, Verdict};
use crate::i18n::K;
use crate::service::findings::input_of;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::Value;
use std::collections::HashSet;

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
    /// Close the form on top and drop its draft.
    Discard(String),
    /// Cancel the note being edited (and drop its draft).
    DiscardNote(String),
    Submit(Id, String),
    ClearVeto(Id, String, String),
    ApproveVisit(Id, String),
    Restore(Box<FormDraft>),
    RestoreNote(NoteDraft),
    /// 符合 or 不适用 over findings: withdraw them and record the verdict.
    VerdictWithdrawing {
        round: Id,
        org: String,
        item: String,
        verdict: Verdict,
        note: String,
    },
    /// Open a form (a finding over a 符合 verdict, once the inspector agreed).
    OpenForm(Box<Form>),
    Quit,
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
    /// A question: `y` does `yes`; `n` drops the draft `offer` names (a kept draft offered back),
    /// Esc keeps it for later.
    Confirm {
        text: String,
        yes: OnYes,
        offer: Option<String>,
    },
    /// The veto gates of the visit on top: Enter sets one (its reason in a form) or clears it.
    Veto {
        selected: usize,
    },
    History {
        title: String,
        lines: Vec<String>,
    },
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
        /// Withdraw the item's findings (the inspector agreed to it).
        withdraw: bool,
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
    /// Open a kept form again, over the screen it was typed on.
    RestoreForm(Box<FormDraft>),
    /// `q` on the home screen: quit, after a question when drafts are kept.
    QuitAsked,
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
    pub clock: Clock,
    /// Drafts kept from an earlier run are still to be offered.
    pub offer_drafts: bool,
    /// Drafts offered in this run (restored, or kept for later): not offered again.
    pub offered: HashSet<String>,
    /// The screens below this index of the stack were drawn from data older than the last write:
    /// each is reloaded when it comes back on top. (A write reloads only the screen on top, so
    /// the stale screens are always the bottom of the stack.)
    pub stale_below: usize,
}

fn ctrl_c(ev: &KeyEvent) -> bool {
    ev.modifiers.contains(KeyModifiers::CONTROL) && ev.code == KeyCode::Char('c')
}

pub fn note_draft_key(round: Id, org: &str, item: &str) -> String {
    format!("note/{round}/{org}/{item}")
}

impl App {
    pub fn new(keymap: Keymap, actor: String, clock: Clock) -> App {
        App {
            screens: Vec::new(),
            overlay: None,
            status: None,
            keymap,
            quit: false,
            actor,
            supervisor: false,
            clock,
            offer_drafts: false,
            offered: HashSet::new(),
            stale_below: 0,
        }
    }

    /// Local wall-clock time.
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.clock.local_now()
    }

    /// Whether the app is idle on a screen where a question may be asked.
    pub fn idle(&self) -> bool {
        self.overlay.is_none()
            && !matches!(self.top(), Some(Screen::Form(_)))
            && !matches!(self.top(), Some(Screen::Visit(v)) if v.note.is_some())
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

    /// A write changed what the screen at `index` shows (it was reloaded): every screen below it
    /// is stale.
    pub fn touched(&mut self, index: usize) {
        self.stale_below = self.stale_below.max(index);
    }

    /// The index of the screen on top when it is stale (it came back on top after a write).
    pub fn stale_top(&self) -> Option<usize> {
        let top = self.screens.len().checked_sub(1)?;
        (top < self.stale_below && !matches!(self.screens[top], Screen::Form(_))).then_some(top)
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
        // An error or a long message was read: the next key clears it (a long one covers part of
        // the screen, wrapped).
        if matches!(&self.status, Some((t, tone)) if *tone == Tone::Error || unicode_width::UnicodeWidthStr::width(t.as_str()) > 40) {
            self.status = None;
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
                        d.set_query(String::new());
                    }
                    KeyCode::Enter => d.search = None,
                    _ => {
                        if search.input(ev) {
                            let text = search.text();
                            d.set_query(text);
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
                // Ctrl-C quits at once (above); `q` asks first when drafts are kept.
                Some(Act::Quit) => vec![Effect::QuitAsked],
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
        let now = self.now();
        let Some(Screen::Visit(v)) = self.screens.last_mut() else { return Vec::new() };
        let n = v.items.len();
        let (round, org) = (v.round.id, v.org.code.clone());
        let verdict = |verdict: Option<Verdict>, v: &VisitView| -> Vec<Effect> {
            match v.item_id() {
                Some(item) => {
                    vec![Effect::Verdict {
                        round,
                        org: org.clone(),
                        item: item.to_string(),
                        verdict,
                        note: v.note_of(item),
                        withdraw: false,
                    }]
                }
                None => Vec::new(),
            }
        };
        // A closed record reads as closed: nothing that would change it opens.
        let changes = matches!(
            a,
            Act::Meets
                | Act::Fails
                | Act::Partly
                | Act::NotApplicable
                | Act::Clear
                | Act::EditNote
                | Act::AddFinding
                | Act::AddOther
                | Act::EditFinding
                | Act::Submit
                | Act::Veto
                | Act::VisitInfo
        );
        if changes && let Some(why) = v.read_only() {
            self.say(why, Tone::Error);
            return Vec::new();
        }
        // 符合 or 不适用 over findings asks first: a finding never sits under a verdict denying it.
        if let (Act::Meets | Act::NotApplicable, Some(item)) = (a, v.item_id()) {
            let chosen = if a == Act::Meets { Verdict::Meets } else { Verdict::NotApplicable };
            let under = v.live_findings(Some(item)).len();
            if under > 0 {
                let text = K::VerdictFindingsAsk.fill(&[&item, &under, &chosen.label()]);
                let yes =
                    OnYes::VerdictWithdrawing { round, org: org.clone(), item: item.to_string(), verdict: chosen, note: v.note_of(item) };
                self.overlay = Some(Overlay::Confirm { text, yes, offer: None });
                return Vec::new();
            }
        }
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
                // A finding on an item marked 符合 or 不适用 turns it into 不符合: ask first.
                let current = item.as_ref().and_then(|(id, _)| v.verdict_of(id));
                if crate::domain::rules::contradicts_findings(current) {
                    let (id, _) = item.as_ref().expect("a verdict belongs to an item");
                    let text = K::FindingOverVerdictAsk.fill(&[id, &current.map_or("", |c| c.label())]);
                    self.overlay = Some(Overlay::Confirm { text, yes: OnYes::OpenForm(Box::new(form)), offer: None });
                    return Vec::new();
                }
                self.screens.push(Screen::Form(Box::new(form)));
            }
            Act::EditFinding => {
                let f = v.live_findings(v.item_id()).last().map(|f| (*f).clone());
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
                self.overlay = Some(Overlay::Confirm { text, yes: OnYes::Submit(round, org), offer: None });
            }
            Act::Veto => self.overlay = Some(Overlay::Veto { selected: 0 }),
            Act::VisitInfo => {
                // The arrival defaults to when the visit was opened, not to when the form is.
                let opened = v.opened_at.unwrap_or(now);
                let form = Form::info(&v.visit, &v.org.name, v.round.quarter, opened);
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
                    let form = Form::return_finding(&f, &r.visit.org.name);
                    self.screens.push(Screen::Form(Box::new(form)));
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
                let live = r.visit.findings.iter().filter(|f| crate::domain::rules::live(f)).count();
                let text = K::ApproveVisitAsk.fill(&[&r.visit.org.name, &live]);
                self.overlay = Some(Overlay::Confirm { text, yes: OnYes::ApproveVisit(round, org), offer: None });
            }
            Act::ReturnVisit => {
                let form = Form::return_visit(round, &org, &r.visit.org.name, &r.visit.visit.return_comment);
                self.screens.push(Screen::Form(Box::new(form)));
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
                vec![
                    Effect::Verdict { round: v.round.id, org: v.org.code.clone(), item, verdict, note: text, withdraw: false },
                    Effect::DropDraft(key),
                ]
            }
            KeyCode::Esc => {
                if note.text() == v.note_of(&item) {
                    v.note = None;
                    return vec![Effect::DropDraft(key)];
                }
                self.overlay = Some(Overlay::Confirm { text: K::DiscardAsk.text().into(), yes: OnYes::DiscardNote(key), offer: None });
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
        let now = self.now();
        let Some(Screen::Form(f)) = self.screens.last_mut() else { return Vec::new() };
        // In a multi-line field, the arrows move within the text, not between fields.
        let in_multiline = f.text_field().is_some_and(|t| t.multiline);
        match act {
            Some(Act::NextField) if !(in_multiline && ev.code == KeyCode::Down) => f.next(),
            Some(Act::PrevField) if !(in_multiline && ev.code == KeyCode::Up) => f.prev(),
            Some(Act::Save) => {
                if let Some(s) = f.submit(now) {
                    return vec![Effect::Save(s)];
                }
            }
            Some(Act::Back) => {
                let draft = f.draft_key();
                if f.dirty {
                    self.overlay = Some(Overlay::Confirm { text: K::DiscardAsk.text().into(), yes: OnYes::Discard(draft), offer: None });
                } else {
                    self.back();
                    return vec![Effect::DropDraft(draft)];
                }
            }
            _ => {
                // Every change of every form is kept, flushed, before the next key.
                if f.focused().input(ev) {
                    f.dirty = true;
                    f.errors.remove(&f.focus);
                    let draft = serde_json::to_value(f.snapshot()).unwrap_or(Value::Null);
                    return vec![Effect::SaveDraft(f.draft_key(), draft)];
                }
            }
        }
        Vec::new()
    }

    fn overlay_key(&mut self, ev: KeyEvent) -> Vec<Effect> {
        let Some(overlay) = self.overlay.take() else { return Vec::new() };
        match overlay {
            Overlay::Help(_) | Overlay::History { .. } => Vec::new(),
            Overlay::Confirm { text, yes, offer } => match ev.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => match yes {
                    OnYes::Discard(draft) => {
                        self.back();
                        vec![Effect::DropDraft(draft)]
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
                    OnYes::Restore(draft) => vec![Effect::RestoreForm(draft)],
                    OnYes::RestoreNote(draft) => vec![Effect::RestoreNote(draft)],
                    OnYes::VerdictWithdrawing { round, org, item, verdict, note } => {
                        if let Some(Screen::Visit(v)) = self.screens.last_mut() {
                            v.selected = (v.selected + 1).min(v.items.len().saturating_sub(1));
                        }
                        vec![Effect::Verdict { round, org, item, verdict: Some(verdict), note, withdraw: true }]
                    }
                    OnYes::OpenForm(form) => {
                        self.screens.push(Screen::Form(form));
                        Vec::new()
                    }
                    OnYes::Quit => {
                        self.quit = true;
                        Vec::new()
                    }
                },
                // `n` drops an offered draft; Esc keeps it for the next start: a reflex key
                // never throws typed text away.
                KeyCode::Char('n') | KeyCode::Char('N') => offer.map(Effect::DropDraft).into_iter().collect(),
                KeyCode::Esc => {
                    if offer.is_some() {
                        self.say(K::DraftKept.text(), Tone::Info);
                    }
                    Vec::new()
                }
                _ => {
                    self.overlay = Some(Overlay::Confirm { text, yes, offer });
                    Vec::new()
                }
            },
            Overlay::Veto { mut selected } => {
                let Some(Screen::Visit(v)) = self.screens.last() else { return Vec::new() };
                let gates = &v.template.vetoes;
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
                                    offer: None,
                                });
                                return Vec::new();
                            }
                            // The reason is typed in a form: kept as a draft like every form.
                            let form = Form::veto(v.round.id, &v.org.code, &v.org.name, &g.id, &g.text);
                            self.screens.push(Screen::Form(Box::new(form)));
                            return Vec::new();
                        }
                    }
                    Some(Act::Back) => return Vec::new(),
                    _ => {}
                }
                self.overlay = Some(Overlay::Veto { selected });
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

    /// Offers a kept note back; `org_name` names the organisation it belongs to.
    pub fn offer_note(&mut self, key: String, draft: NoteDraft, org_name: &str) {
        self.offered.insert(key.clone());
        let text = K::DraftAsk.fill(&[&format!("{org_name} {} {}", draft.item, K::ColNote.text())]);
        self.overlay = Some(Overlay::Confirm { text, yes: OnYes::RestoreNote(draft), offer: Some(key) });
    }

    /// Offers a kept form back.
    pub fn offer_form(&mut self, key: String, draft: FormDraft) {
        self.offered.insert(key.clone());
        let text = K::DraftAsk.fill(&[&draft.title]);
        self.overlay = Some(Overlay::Confirm { text, yes: OnYes::Restore(Box::new(draft)), offer: Some(key) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Level, Org, Severity};

    fn app_with_finding_form() -> App {
        let org = Org {
            level_word: None,
            code: "B1".into(),
            name: "红旗村党支部".into(),
            parent: None,
            level: Level::Branch,
            field: None,
            secretary: "王书记".into(),
            members: None,
        };
        let mut app = App::new(Keymap::default(), "李明".into(), Clock::fixed_local("2026-11-22 09:30").unwrap());
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
        let back = crate::tui::forms::Form::from_draft(serde_json::from_value(value.clone()).unwrap());
        assert_eq!(back.finding_input().unwrap().description, "会");
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
    fn ctrl_c_quits_from_anywhere_and_q_asks_to_quit_from_home() {
        let mut app = app_with_finding_form();
        app.screens.pop();
        assert!(app.key(KeyEvent::from(KeyCode::Esc)).is_empty() && !app.quit, "Esc on the home screen does nothing");
        let effects = app.key(KeyEvent::from(KeyCode::Char('q')));
        assert!(matches!(effects.as_slice(), [Effect::QuitAsked]), "q on the home screen asks the driver to quit: {effects:?}");
        let mut app = app_with_finding_form();
        app.key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert!(app.quit);
    }
}
