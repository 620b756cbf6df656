//! The TUI's state and how keys change it. `App::key` turns a key into state changes and effects
//! (as data); the driver runs the effects through the services. Nothing here touches the store,
//! so the state logic is testable without a terminal or a store.

use super::field::Field;
use super::forms::{Form, FormDraft, Submit};
use super::keymap::{Act, Ctx, Input, Keymap};
use super::screens::{board, dashboard, form, lookback, overlay, review, rounds, sync, visit};
use super::views::{
    BoardView, ConflictsView, DashboardView, LookbackView, QueueView, ReviewView, RoundsView, StatsView, SyncView, VisitView,
};
use crate::clock::Clock;
use crate::domain::{Id, Verdict};
use crate::i18n::K;
use ratatui::crossterm::event::KeyEvent;
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
    Sync(Box<SyncView>),
    Conflicts(Box<ConflictsView>),
    Lookback(Box<LookbackView>),
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
    /// Start a look-back at this round.
    Lookback(Id),
    /// Settle a conflict on its value `take` (from 1).
    Resolve {
        id: String,
        take: usize,
    },
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
    /// The keys of the contexts in force under it.
    Help(Vec<Ctx>),
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
    /// How many occurrences were found on a per-occurrence item (None clears it).
    Count {
        round: Id,
        org: String,
        item: String,
        count: Option<u32>,
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
    /// Attach the file at `path` to the rectification of the problem `number`.
    AttachStep {
        number: String,
        path: std::path::PathBuf,
    },
    /// Attach the file at `path` to the finding `id`.
    AttachFinding {
        id: crate::domain::Id,
        path: std::path::PathBuf,
    },
    OpenStats,
    ReloadStats,
    OpenSync,
    OpenConflicts,
    /// Write a bundle for the member named (everyone without one).
    ExportBundle {
        to: Option<String>,
        path: std::path::PathBuf,
    },
    ImportBundle(std::path::PathBuf),
    /// Start a look-back (回头看) at a round.
    NewLookback(Id),
    /// Open the finding a 反弹 made, to complete it.
    EditRelapse(Id),
    /// Mark (or clear) an earlier problem in a look-back visit.
    Recheck {
        round: Id,
        org: String,
        finding: Id,
        mark: Option<crate::domain::lookback::Mark>,
        note: String,
    },
    Resolve {
        id: String,
        take: usize,
    },
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
            && !matches!(self.top(), Some(Screen::Sync(v)) if v.prompt.is_some())
            && !matches!(self.top(), Some(Screen::Board(b)) if b.prompt.is_some())
            && !matches!(self.top(), Some(Screen::Visit(v)) if v.prompt.is_some())
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
            Some(Screen::Sync(_)) => Ctx::Sync,
            Some(Screen::Conflicts(_)) => Ctx::Conflicts,
            Some(Screen::Lookback(_)) => Ctx::Lookback,
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

    /// Closes the screen on top; closing the last one quits.
    pub fn back(&mut self) {
        self.screens.pop();
        if self.screens.is_empty() {
            self.quit = true;
        }
    }

    /// The contexts whose keys are in force, most specific first: the popup on top, or the field
    /// being typed in and its form, or the screen.
    pub fn chain(&self) -> Vec<Ctx> {
        if let Some(o) = &self.overlay {
            return vec![match o {
                Overlay::Help(_) => Ctx::Help,
                Overlay::History { .. } => Ctx::History,
                Overlay::Confirm { offer: Some(_), .. } => Ctx::Offer,
                Overlay::Confirm { .. } => Ctx::Confirm,
                Overlay::Veto { .. } => Ctx::Picker,
            }];
        }
        match self.top() {
            Some(Screen::Form(f)) => match f.fields.get(f.focus).map(|(_, field)| field) {
                Some(Field::Text(t)) if t.multiline => vec![Ctx::Lines, Ctx::Form, Ctx::Text],
                Some(Field::Text(_)) => vec![Ctx::Form, Ctx::Text],
                Some(Field::Choice(_)) => vec![Ctx::Form, Ctx::Choice],
                None => vec![Ctx::Form],
            },
            Some(Screen::Dashboard(d)) if d.search.is_some() => vec![Ctx::Search, Ctx::Text],
            Some(Screen::Visit(v)) if v.note.is_some() => vec![Ctx::Note, Ctx::Text],
            Some(Screen::Sync(v)) if v.prompt.is_some() => vec![Ctx::Path, Ctx::Text],
            Some(Screen::Board(b)) if b.prompt.is_some() => vec![Ctx::Path, Ctx::Text],
            Some(Screen::Visit(v)) if v.prompt.is_some() => vec![Ctx::Path, Ctx::Text],
            _ => vec![self.ctx()],
        }
    }

    /// Turns one key press into state changes and effects: the keymap resolves it where it was
    /// pressed, and the screen, form or popup on top acts on what it means.
    pub fn key(&mut self, ev: KeyEvent) -> Vec<Effect> {
        let chain = self.chain();
        let input = self.keymap.resolve(&chain, &ev);
        // Ctrl-C quits from anywhere at once; `q` on the home screen asks first when drafts are kept.
        if input == Some(Input::Act(Ctx::Global, Act::Quit)) {
            self.quit = true;
            return Vec::new();
        }
        // An error or a long message was read: the next key clears it (a long one covers part of
        // the screen, wrapped).
        if matches!(&self.status, Some((t, tone)) if *tone == Tone::Error || unicode_width::UnicodeWidthStr::width(t.as_str()) > 40) {
            self.status = None;
        }
        let Some(input) = input else { return Vec::new() };
        if self.overlay.is_some() {
            return overlay::input(self, input);
        }
        if input == Input::Act(Ctx::Global, Act::Help) {
            self.overlay = Some(Overlay::Help(chain));
            return Vec::new();
        }
        match self.top() {
            Some(Screen::Form(_)) => return form::input(self, input),
            Some(Screen::Dashboard(d)) if d.search.is_some() => return dashboard::search(self, input),
            Some(Screen::Visit(v)) if v.note.is_some() => return visit::note(self, input),
            Some(Screen::Sync(v)) if v.prompt.is_some() => return sync::prompt(self, input),
            Some(Screen::Board(b)) if b.prompt.is_some() => return board::prompt(self, input),
            Some(Screen::Visit(v)) if v.prompt.is_some() => return visit::prompt(self, input),
            _ => {}
        }
        let Input::Act(_, a) = input else { return Vec::new() };
        match (a, self.top()) {
            (Act::Back, _) => {
                self.back();
                Vec::new()
            }
            (Act::Quit, _) => vec![Effect::QuitAsked],
            (_, Some(Screen::Rounds(_)) | None) => rounds::act(self, a),
            (_, Some(Screen::Dashboard(_))) => dashboard::act(self, a),
            (_, Some(Screen::Visit(_))) => visit::act(self, a),
            (_, Some(Screen::Queue(_))) => review::queue(self, a),
            (_, Some(Screen::Review(_))) => review::act(self, a),
            (_, Some(Screen::Board(_))) => board::act(self, a),
            (_, Some(Screen::Stats(_))) => board::stats(self, a),
            (_, Some(Screen::Sync(_))) => sync::act(self, a),
            (_, Some(Screen::Conflicts(_))) => sync::conflicts(self, a),
            (_, Some(Screen::Lookback(_))) => lookback::act(self, a),
            (_, Some(Screen::Form(_))) => Vec::new(),
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
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

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
