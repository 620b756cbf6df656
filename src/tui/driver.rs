//! Runs effects through the same services the CLI uses, and loads what the screens show.

use super::app::{App, Effect, OnYes, Overlay, Screen, Tone};
use super::forms::{FindingDraft, Form, FormDraft, FormKind, Submit};
use super::views::{BoardView, DashboardView, LookbackView, QueueView, ReviewView, RoundsView, StatsView, VisitView};
use crate::config::Config;
use crate::i18n::K;
use crate::service::export::Format;
use crate::service::{Result, ServiceError, Session, demo, findings, history, orgs, review, rounds, visits};
use crate::template::Catalog;
use std::collections::HashMap;

/// Draws a gauge: what is being done, and how far (0 to 1).
pub type Progress = Box<dyn FnMut(&str, f64)>;

pub struct Driver {
    pub session: Session,
    pub catalog: Catalog,
    pub config: Config,
    /// Where the config is saved (first run).
    pub save_config: bool,
    /// Draws a progress gauge during long work (set by the terminal loop; None in tests).
    pub progress: Option<Progress>,
    /// This laptop's signing key, for bundles (`identity::key_path()`; a test's own file).
    pub key_path: std::path::PathBuf,
}

impl Driver {
    /// Where the board's export key writes: `exports/` beside the data folder's database.
    pub fn export_dir(&self) -> std::path::PathBuf {
        self.session.exports_dir()
    }
}

impl Driver {
    pub fn rounds_view(&self) -> Result<RoundsView> {
        Ok(RoundsView { rows: rounds::list(&self.session)?, selected: 0 })
    }

    pub fn dashboard(&self, round: crate::domain::Id) -> Result<DashboardView> {
        let r = rounds::get(&self.session, round)?;
        Ok(DashboardView::new(r.clone(), rounds::overview(&self.session, &r, self.session.today())?))
    }

    pub fn visit(&self, round: crate::domain::Id, org: &str) -> Result<VisitView> {
        let s = &self.session;
        let r = rounds::get(s, round)?;
        let template = rounds::template_of(s, &r)?;
        let d = rounds::visit_data(s, round, org)?;
        let score = rounds::score_of(&template, &d, s.today());
        let results: HashMap<_, _> = s.results(round, org)?.into_iter().map(|r| (r.item.clone(), r)).collect();
        let items = template
            .categories
            .iter()
            .enumerate()
            .flat_map(|(ci, c)| c.items.iter().filter(|i| i.applies_to(d.org.field)).map(move |i| (ci, i.id.clone())))
            .collect();
        Ok(VisitView {
            area: orgs::area_path(s, org)?,
            round: r,
            template,
            org: d.org,
            visit: d.visit,
            results,
            findings: d.findings,
            score,
            items,
            selected: 0,
            note: None,
            prompt: None,
            counting: false,
            opened_at: Some(s.clock.local_now()),
            reviewing: false,
        })
    }

    /// A look-back visit: the organisation's earlier problems with their records and marks.
    pub fn lookback(&self, round: crate::domain::Id, org: &str) -> Result<LookbackView> {
        let s = &self.session;
        let r = rounds::get(s, round)?;
        let d = rounds::visit_data(s, round, org)?;
        let earlier = crate::service::lookback::earlier(s, &r, org)?;
        let titles: HashMap<crate::domain::Id, String> = s.rounds()?.into_iter().map(|r| (r.id, r.title)).collect();
        let histories = earlier.iter().map(|e| super::views::rect_history(&e.finding, &titles)).collect();
        Ok(LookbackView {
            area: orgs::area_path(s, org)?,
            round: r,
            org: d.org,
            visit: d.visit,
            earlier,
            histories,
            selected: 0,
            opened_at: Some(s.clock.local_now()),
            reviewing: false,
        })
    }

    pub fn queue(&self) -> Result<QueueView> {
        Ok(QueueView { rows: review::queue(&self.session, None, self.session.today())?, selected: 0 })
    }

    pub fn review(&self, round: crate::domain::Id, org: &str) -> Result<ReviewView> {
        let visit = self.visit(round, org)?;
        let repeats = visit
            .findings
            .iter()
            .map(|f| match (&f.repeat_of, &f.item) {
                (Some(r), _) => Ok(Some(r.clone())),
                (None, Some(item)) => review::repeat_of(&self.session, &visit.round, org, item),
                (None, None) => Ok(None),
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ReviewView { visit, repeats, selected: 0 })
    }

    /// The board's rows for its filter: the same function the CLI export uses.
    pub fn reload_board(&self, b: &mut BoardView) -> Result<()> {
        b.rows = crate::report::rectification::rows(&self.session, &b.filter, self.session.today())?;
        b.sort();
        b.selected = b.selected.min(b.rows.len().saturating_sub(1));
        Ok(())
    }

    pub fn board(&self) -> Result<BoardView> {
        let all = crate::report::rectification::rows(&self.session, &Default::default(), self.session.today())?;
        let mut quarters: Vec<crate::domain::Quarter> = all.iter().map(|r| r.quarter).collect();
        quarters.sort();
        quarters.dedup();
        let mut areas: Vec<(String, String)> =
            all.iter().filter(|r| !r.area_code.is_empty()).map(|r| (r.area_code.clone(), r.area.clone())).collect();
        areas.sort();
        areas.dedup();
        let mut fields: Vec<crate::domain::Field> =
            all.iter().filter_map(|r| <crate::domain::Field as crate::domain::vocab::Vocab>::parse_word(&r.field)).collect();
        fields.sort();
        fields.dedup();
        let mut rounds: Vec<(crate::domain::Id, String)> = all.iter().map(|r| (r.round_id, r.round.clone())).collect();
        rounds.sort();
        rounds.dedup();
        let thresholds = self.config.escalation.unwrap_or_default();
        let mut b = BoardView { rows: all, quarters, rounds, areas, fields, thresholds, ..Default::default() };
        b.sort();
        Ok(b)
    }

    fn quarters(&self) -> Result<Vec<crate::domain::Quarter>> {
        let mut q: Vec<crate::domain::Quarter> = self.session.rounds()?.iter().map(|r| r.quarter).collect();
        q.sort();
        q.dedup();
        Ok(q)
    }

    pub fn stats(&self, today: chrono::NaiveDate) -> Result<StatsView> {
        let quarters = self.quarters()?;
        let quarter = quarters.last().copied().unwrap_or_else(|| crate::domain::Quarter::of(today));
        let mut areas: Vec<(String, String)> =
            self.session.orgs()?.into_iter().filter(|o| o.level == crate::domain::Level::County).map(|o| (o.code, o.name)).collect();
        areas.sort();
        let bulletin = crate::report::bulletin::build(&self.session, quarter, None, today)?;
        let mut st = StatsView { bulletin, rect: Vec::new(), quarters, areas, area: None };
        self.reload_stats(&mut st)?;
        Ok(st)
    }

    /// The figures for the view's quarter and area, from the same builders as the bulletin.
    pub fn reload_stats(&self, st: &mut StatsView) -> Result<()> {
        let today = self.session.today();
        let area = st.area.as_ref().map(|(c, _)| c.as_str());
        st.bulletin = crate::report::bulletin::build(&self.session, st.bulletin.quarter, area, today)?;
        let filter = crate::report::rectification::Filter {
            quarter: Some(st.bulletin.quarter),
            area: area.map(str::to_string),
            ..Default::default()
        };
        let rows = crate::report::rectification::rows(&self.session, &filter, today)?;
        st.rect = crate::report::rectification::count_by(&rows, |r| r.status_label());
        Ok(())
    }

    /// Reloads one screen's data from the store, keeping its selection, filters and search.
    pub fn reload(&self, screen: &mut Screen) -> Result<()> {
        match screen {
            Screen::Rounds(v) => {
                let sel = v.selected;
                *v = self.rounds_view()?;
                v.selected = sel.min(v.rows.len().saturating_sub(1));
            }
            Screen::Dashboard(d) => {
                let round = rounds::get(&self.session, d.round.id)?;
                d.set_rows(rounds::overview(&self.session, &round, self.session.today())?);
                d.round = round;
            }
            Screen::Visit(v) => {
                let mut fresh = self.visit(v.round.id, &v.org.code)?;
                fresh.selected = v.selected.min(fresh.items.len().saturating_sub(1));
                fresh.note = v.note.take();
                fresh.opened_at = v.opened_at;
                fresh.reviewing = v.reviewing;
                **v = fresh;
            }
            Screen::Queue(q) => {
                let sel = q.selected;
                **q = self.queue()?;
                q.selected = sel.min(q.rows.len().saturating_sub(1));
            }
            Screen::Review(r) => {
                let sel = r.selected;
                **r = self.review(r.visit.round.id, &r.visit.org.code.clone())?;
                r.selected = sel.min(r.visit.findings.len().saturating_sub(1));
            }
            Screen::Board(b) => {
                let sel = b.selected;
                self.reload_board(b)?;
                b.selected = sel.min(b.rows.len().saturating_sub(1));
            }
            Screen::Lookback(v) => {
                let mut fresh = self.lookback(v.round.id, &v.org.code)?;
                fresh.selected = v.selected.min(fresh.earlier.len().saturating_sub(1));
                fresh.opened_at = v.opened_at;
                fresh.reviewing = v.reviewing;
                **v = fresh;
            }
            Screen::Stats(st) => self.reload_stats(st)?,
            Screen::Sync(v) => self.reload_sync(v)?,
            Screen::Conflicts(c) => self.reload_conflicts(c)?,
            Screen::Form(_) => {}
        }
        Ok(())
    }

    /// After a write: the screen on top (under any form) is reloaded; the screens below it are
    /// marked stale and reloaded when they come back on top.
    pub fn refresh(&self, app: &mut App) -> Result<()> {
        if let Some(i) = app.screens.iter().rposition(|s| !matches!(s, Screen::Form(_))) {
            self.reload(&mut app.screens[i])?;
            app.touched(i);
        }
        Ok(())
    }

    /// A verdict was recorded: the visit showing it takes the item's result and its score is
    /// computed again from what the screen holds; the template, the other items and the findings
    /// (unless some were withdrawn) are not read again.
    fn verdict_saved(&self, app: &mut App, result: crate::domain::ItemResult, withdrew: bool) -> Result<()> {
        let s = &self.session;
        let at = app.screens.iter().rposition(|x| matches!(x, Screen::Visit(v) if v.round.id == result.round && v.org.code == result.org));
        let Some(i) = at else { return self.refresh(app) };
        let Screen::Visit(v) = &mut app.screens[i] else { return Ok(()) };
        if withdrew {
            v.findings = s.visit_findings(result.round, &result.org)?;
        }
        // Its status: the first verdict starts the visit.
        if let Some(visit) = s.visit(result.round, &result.org)? {
            v.visit = visit;
        }
        v.results.insert(result.item.clone(), result);
        v.rescore(s.today());
        app.touched(i);
        Ok(())
    }

    pub fn run(&mut self, app: &mut App, effects: Vec<Effect>) {
        for e in effects {
            if let Err(err) = self.apply(app, e) {
                app.say(err.to_string(), Tone::Error);
            }
        }
        // A screen that came back on top after a write shows what is true now.
        if let Some(i) = app.stale_top() {
            match self.reload(&mut app.screens[i]) {
                Ok(()) => app.stale_below = i,
                Err(err) => app.say(err.to_string(), Tone::Error),
            }
        }
        // Drafts kept from an earlier run are offered one at a time, whenever nothing else is
        // being asked or typed.
        if app.offer_drafts
            && app.idle()
            && let Err(err) = self.offer_drafts(app)
        {
            app.say(err.to_string(), Tone::Error);
        }
    }

    fn saved(&self, app: &mut App) -> Result<()> {
        self.refresh(app)?;
        self.say_saved(app);
        Ok(())
    }

    fn say_saved(&self, app: &mut App) {
        app.say(format!("{} {}", K::Saved.text(), self.session.clock.local_now().format("%H:%M:%S")), Tone::Ok);
    }

    fn apply(&mut self, app: &mut App, e: Effect) -> Result<()> {
        let s = &self.session;
        match e {
            Effect::NewRoundForm => {
                let templates = self.catalog.loaded.iter().map(|l| (l.template.id.clone(), l.template.title.clone())).collect();
                app.screens.push(Screen::Form(Box::new(Form::new_round(templates, s.today()))));
            }
            Effect::OpenRound(id) => app.screens.push(Screen::Dashboard(Box::new(self.dashboard(id)?))),
            Effect::OpenVisit(round, org) if rounds::get(s, round)?.revisits().is_some() => {
                let mut v = self.lookback(round, &org)?;
                v.reviewing = matches!(app.top(), Some(Screen::Review(_)));
                let start = v.visit.status == crate::domain::VisitStatus::NotStarted && !v.reviewing;
                let opened = v.opened_at.unwrap_or_else(|| s.clock.local_now());
                let info = start.then(|| Form::info(&v.visit, &v.org.name, v.round.quarter, opened));
                app.screens.push(Screen::Lookback(Box::new(v)));
                if let Some(form) = info {
                    app.screens.push(Screen::Form(Box::new(form)));
                }
            }
            Effect::OpenVisit(round, org) => {
                let mut v = self.visit(round, &org)?;
                // From the review queue the checklist is the supervisor's, read only.
                v.reviewing = matches!(app.top(), Some(Screen::Review(_)));
                // A visit starts with the arrival: time (the moment it was opened), what was
                // found, the 四不两直 checks.
                let start = v.visit.status == crate::domain::VisitStatus::NotStarted && !v.reviewing;
                let opened = v.opened_at.unwrap_or_else(|| s.clock.local_now());
                let info = start.then(|| Form::info(&v.visit, &v.org.name, v.round.quarter, opened));
                app.screens.push(Screen::Visit(Box::new(v)));
                if let Some(form) = info {
                    app.screens.push(Screen::Form(Box::new(form)));
                }
            }
            Effect::Verdict { round, org, item, verdict, note, withdraw } => {
                let result = visits::record_verdict(s, round, &org, &item, verdict, &note, withdraw)?;
                self.verdict_saved(app, result, withdraw)?;
                self.say_saved(app);
            }
            Effect::Count { round, org, item, count } => {
                let result = visits::record_count(s, round, &org, &item, count)?;
                self.verdict_saved(app, result, false)?;
                self.say_saved(app);
            }
            Effect::QuitAsked => {
                let kept = s.drafts()?.len();
                if kept == 0 {
                    app.quit = true;
                } else {
                    app.overlay = Some(Overlay::Confirm { text: K::QuitDraftsAsk.fill(&[&kept]), yes: OnYes::Quit, offer: None });
                }
            }
            Effect::SetVeto { round, org, veto, reason } => {
                visits::set_veto(s, round, &org, &veto, reason.as_deref())?;
                self.saved(app)?;
            }
            Effect::Submit(round, org) => {
                visits::submit(s, round, &org)?;
                app.screens.pop();
                self.saved(app)?;
                let name = s.org(&org)?.map_or(org, |o| o.name);
                app.say(K::VisitSubmitted.fill(&[&name]), Tone::Ok);
            }
            Effect::SaveDraft(key, value) => s.save_draft(&key, &value)?,
            Effect::DropDraft(key) => s.drop_draft(&key)?,
            Effect::RestoreForm(draft) => self.restore_form(app, *draft)?,
            Effect::RestoreNote(d) => {
                let mut v = self.visit(d.round, &d.org)?;
                v.selected = v.items.iter().position(|(_, id)| *id == d.item).unwrap_or(0);
                v.note = Some(super::field::TextField::new(&d.note, false));
                app.screens.push(Screen::Visit(Box::new(v)));
            }
            Effect::Save(submit) => self.save(app, submit)?,
            Effect::OpenQueue => app.screens.push(Screen::Queue(Box::new(self.queue()?))),
            Effect::OpenReview(round, org) => app.screens.push(Screen::Review(Box::new(self.review(round, &org)?))),
            Effect::Decide { finding, decision, comment } => {
                review::decide(s, finding, decision, &comment)?;
                self.saved(app)?;
            }
            Effect::ApproveVisit(round, org) => {
                let numbered = review::approve(s, round, &org)?;
                app.screens.pop();
                self.saved(app)?;
                let numbers: Vec<String> = numbered.iter().filter_map(|f| f.number.clone()).collect();
                let name = s.org(&org)?.map_or(org, |o| o.name);
                app.say(K::ReviewApproved.fill(&[&name, &numbers.len(), &numbers.join(", ")]), Tone::Ok);
            }
            Effect::History(round, org, item) => {
                let lines = history::item_history(s, round, &org, &item)?;
                let lines = lines
                    .iter()
                    .map(|l| {
                        format!("{}  {}  {}  {}", l.at.with_timezone(&chrono::Local).format("%m-%d %H:%M"), l.actor, l.action_label, l.what)
                    })
                    .collect();
                app.overlay = Some(super::app::Overlay::History { title: format!("{} {}", item, K::HistoryTitle.text()), lines });
            }
            Effect::OpenBoard => app.screens.push(Screen::Board(Box::new(self.board()?))),
            Effect::AttachStep { number, path } => {
                let max = self.config.evidence_max_mb().map_err(ServiceError::Invalid)?;
                let a = crate::service::evidence::attach_to_step(&self.session, &number, &path, "", max)?;
                let x = &a.attachment;
                let size = crate::service::sync::size_label(x.size);
                app.say(K::EvidenceStepAttached.fill(&[&x.short_id(), &x.name, &size, &number]), Tone::Ok);
                if let Some(Screen::Board(b)) = app.screens.last_mut() {
                    b.prompt = None;
                    self.reload_board(b)?;
                }
            }
            Effect::AttachFinding { id, path } => {
                let max = self.config.evidence_max_mb().map_err(ServiceError::Invalid)?;
                let a = crate::service::evidence::attach_to_finding(&self.session, &id.to_string(), &path, max)?;
                let x = &a.attachment;
                let size = crate::service::sync::size_label(x.size);
                let label = a.finding.number.clone().unwrap_or_else(|| id.short());
                if let Some(Screen::Visit(v)) = app.screens.last_mut() {
                    v.prompt = None;
                }
                self.refresh(app)?;
                app.say(K::EvidenceAttached.fill(&[&x.short_id(), &x.name, &size, &label]), Tone::Ok);
            }
            Effect::ReloadBoard => {
                if let Some(Screen::Board(b)) = app.screens.last_mut() {
                    b.selected = 0;
                    self.reload_board(b)?;
                }
            }
            Effect::ExportBoard => {
                if let Some(Screen::Board(b)) = app.screens.last() {
                    let label = K::HelpExport.text();
                    let progress = &mut self.progress;
                    let mut tick = |done: usize, total: usize| {
                        // A gauge only for lists long enough to wait for, redrawn every percent.
                        if total >= 2000
                            && done.is_multiple_of((total / 100).max(1))
                            && let Some(p) = progress.as_mut()
                        {
                            p(label, done as f64 / total as f64);
                        }
                    };
                    let dir = self.session.exports_dir();
                    std::fs::create_dir_all(&dir).map_err(|e| ServiceError::Io(crate::oserror::write_failed(&dir, &e)))?;
                    let path = dir.join(format!("整改清单-{}.xlsx", self.session.clock.local_now().format("%Y%m%d-%H%M%S")));
                    // The same export service as the CLI's: atomic, with the user's umask.
                    let w = crate::service::export::rectification(&self.session, &b.filter, Format::Xlsx, &path, &mut tick)?;
                    // The chain's head, as the CLI prints it after every export.
                    let head = K::AuditHeadLine.fill(&[&w.head.0, &w.head.1]);
                    app.say(format!("{}  {head}", K::Exported.fill(&[&w.rows, &path.display()])), Tone::Ok);
                }
            }
            Effect::RectHistory(number) => {
                let f = s.findings()?.into_iter().find(|f| f.number.as_deref() == Some(number.as_str()));
                let titles: std::collections::HashMap<crate::domain::Id, String> =
                    s.rounds()?.into_iter().map(|r| (r.id, r.title)).collect();
                let lines = f.map(|f| super::views::rect_history(&f, &titles)).unwrap_or_default();
                app.overlay = Some(super::app::Overlay::History { title: format!("{number} {}", K::HistoryTitle.text()), lines });
            }
            Effect::OpenStats => app.screens.push(Screen::Stats(Box::new(self.stats(self.session.today())?))),
            Effect::ReloadStats => {
                if let Some(Screen::Stats(st)) = app.screens.last_mut() {
                    self.reload_stats(st)?;
                }
            }
            Effect::OpenSync => app.screens.push(Screen::Sync(Box::new(self.sync_view()?))),
            Effect::OpenConflicts => app.screens.push(Screen::Conflicts(Box::new(self.conflicts_view()?))),
            Effect::NewLookback(id) => {
                let earlier = rounds::get(s, id)?;
                // The title is printed in documents: in their language (as `round new` does).
                let lang = if self.config.doc_lang.as_deref().map(str::trim) == Some("en") {
                    crate::i18n::Lang::En
                } else {
                    crate::i18n::Lang::Zh
                };
                let title = K::DefaultLookbackTitle.fill_in(lang, &[&earlier.title]);
                let round = crate::service::lookback::create(s, &title, crate::domain::Quarter::of(s.today()), &earlier)?;
                self.saved(app)?;
                app.say(K::LookbackCreated.fill(&[&round.title, &round.id.short(), &round.org_count, &earlier.title]), Tone::Ok);
                app.screens.push(Screen::Dashboard(Box::new(self.dashboard(round.id)?)));
            }
            Effect::Recheck { round, org, finding, mark, note } => {
                let opened = crate::service::lookback::mark(s, round, &org, finding, mark, &note)?;
                self.saved(app)?;
                // A 反弹 made a new problem: open it to complete (its deadline and who fixes it).
                if let Some(f) = opened {
                    let number = f.repeat_of.clone().unwrap_or_default();
                    let name = s.org(&org)?.map_or_else(|| org.clone(), |o| o.name);
                    let title = format!("{name} - {} {}", f.item.as_deref().unwrap_or(K::OtherItem.text()), K::ScreenFinding.text());
                    app.screens.push(Screen::Form(Box::new(Form::finding(findings::input_of(&f), 0, title))));
                    app.say(K::LookbackRelapseOpened.fill(&[&number]), Tone::Ok);
                }
            }
            Effect::EditRelapse(id) => {
                let f = findings::find(s, &id.to_string())?;
                if f.number.is_some() || f.status == crate::domain::RectStatus::Withdrawn {
                    return Err(ServiceError::Invalid(K::NotEditable.text().to_string()));
                }
                let name = s.org(&f.org)?.map_or_else(|| f.org.clone(), |o| o.name);
                let title = format!("{name} - {} {}", f.item.as_deref().unwrap_or(K::OtherItem.text()), K::ScreenFinding.text());
                app.screens.push(Screen::Form(Box::new(Form::finding(findings::input_of(&f), 0, title))));
            }
            Effect::ExportBundle { to, path } => self.export_bundle(app, to.as_deref(), &path)?,
            Effect::ImportBundle(path) => self.import_bundle(app, &path)?,
            Effect::Resolve { id, take } => self.resolve(app, &id, take)?,
            Effect::ToggleRole => {
                app.supervisor = !app.supervisor;
                self.config.role = Some(if app.supervisor { "supervisor" } else { "inspector" }.to_string());
                if self.save_config {
                    self.config.save().map_err(|e| ServiceError::Invalid(e.to_string()))?;
                }
                let role = if app.supervisor { K::RoleSupervisor.text() } else { K::RoleInspector.text() };
                app.say(K::RoleNow.fill(&[&role]), Tone::Info);
            }
        }
        Ok(())
    }

    fn save(&mut self, app: &mut App, submit: Submit) -> Result<()> {
        // The form's draft goes once what it holds is saved, not before.
        let draft = match app.top() {
            Some(Screen::Form(f)) => Some(f.draft_key()),
            _ => None,
        };
        self.save_form(app, submit)?;
        if let Some(key) = draft {
            self.session.drop_draft(&key)?;
        }
        Ok(())
    }

    fn save_form(&mut self, app: &mut App, submit: Submit) -> Result<()> {
        let s = &self.session;
        match submit {
            Submit::Finding { input, draft_key, correct } => {
                if correct {
                    crate::service::review::correct(s, &input)?;
                } else {
                    findings::save(s, &input)?;
                }
                s.drop_draft(&draft_key)?;
                app.close_form();
                self.saved(app)?;
                // A new finding recorded: on to the next item still to answer.
                if input.id.is_none()
                    && input.item.is_some()
                    && let Some(Screen::Visit(v)) = app.screens.last_mut()
                    && let Some(next) = v.next_unanswered()
                {
                    v.selected = next;
                }
            }
            Submit::Rectify { number, update } => {
                crate::service::rectify::set(s, &number, &update)?;
                app.close_form();
                self.saved(app)?;
            }
            Submit::Info { round, org, info } => {
                visits::save_info(s, round, &org, info)?;
                app.close_form();
                self.saved(app)?;
            }
            Submit::Veto { round, org, gate, reason } => {
                visits::set_veto(s, round, &org, &gate, Some(&reason))?;
                app.close_form();
                self.saved(app)?;
            }
            Submit::Recheck { round, org, finding, mark, note } => {
                app.close_form();
                return self.apply(app, super::app::Effect::Recheck { round, org, finding, mark: Some(mark), note });
            }
            Submit::ReturnFinding { finding, comment } => {
                review::decide(s, finding, crate::domain::Review::Returned, &comment)?;
                app.close_form();
                self.saved(app)?;
            }
            Submit::ReturnVisit { round, org, comment } => {
                review::return_visit(s, round, &org, &comment)?;
                app.close_form();
                if matches!(app.top(), Some(Screen::Review(_))) {
                    app.screens.pop();
                }
                self.saved(app)?;
                let name = s.org(&org)?.map_or(org, |o| o.name);
                app.say(K::ReviewReturned.fill(&[&name]), Tone::Ok);
            }
            Submit::NewRound { title, quarter, template, scope } => {
                let tpl = self
                    .catalog
                    .get(&template)
                    .ok_or_else(|| ServiceError::Invalid(K::TplNotFound.fill(&[&template, &self.catalog.ids()])))?;
                let round = rounds::create(s, &title, quarter, tpl, scope, Vec::new())?;
                app.close_form();
                self.saved(app)?;
                app.screens.push(Screen::Dashboard(Box::new(self.dashboard(round.id)?)));
            }
            Submit::Setup { name, team, data, path } => {
                // Who acts is kept first, and the form's draft goes with it: a demo or roster fills
                // an empty store only (a kill mid-fill wipes back to empty, drafts included).
                self.config.inspector = Some(name.clone());
                self.config.team = Some(team).filter(|t| !t.is_empty());
                if self.save_config {
                    self.config.save().map_err(|e| ServiceError::Invalid(e.to_string()))?;
                }
                app.actor = self.session.act_as(name);
                let s = &self.session;
                s.drop_draft("form/setup")?;
                match data {
                    0 => {
                        demo::fill(s, 2000, 1)?;
                        app.say(K::DemoLoaded.text(), Tone::Ok);
                    }
                    1 => {
                        orgs::import_roster(s, std::path::Path::new(&path), &Default::default())?;
                        app.say(K::Imported.text(), Tone::Ok);
                    }
                    _ => {}
                }
                app.close_form();
                self.refresh(app)?;
            }
        }
        Ok(())
    }

    /// Offers the next draft kept from an earlier run that was not offered yet in this one;
    /// when none is left, stops offering.
    pub fn offer_drafts(&self, app: &mut App) -> Result<()> {
        for (key, value) in self.session.drafts()? {
            if app.offered.contains(&key) {
                continue;
            }
            if key.starts_with("note/") {
                if let Ok(draft) = serde_json::from_value::<super::app::NoteDraft>(value) {
                    let name = self.session.org(&draft.org)?.map_or_else(|| draft.org.clone(), |o| o.name);
                    app.offer_note(key, draft, &name);
                    return Ok(());
                }
            } else if let Some(draft) = form_draft(value) {
                // The first-run form has its own place: it opens by itself while nobody is named.
                if !matches!(draft.kind, FormKind::Setup { .. }) {
                    app.offer_form(key, draft);
                    return Ok(());
                }
            }
            app.offered.insert(key);
        }
        app.offer_drafts = false;
        Ok(())
    }

    /// Opens a kept form again over the screen it was typed on. If that screen cannot be shown
    /// any more (the visit moved on), the form opens alone: its text is never lost, and saving
    /// says why it cannot be saved.
    fn restore_form(&mut self, app: &mut App, draft: FormDraft) -> Result<()> {
        let context: Result<Option<Screen>> = match &draft.kind {
            FormKind::Finding { base, correct: true, .. } => match base.round {
                Some(round) => self.review(round, &base.org).map(|r| Some(Screen::Review(Box::new(r)))),
                None => Ok(None),
            },
            FormKind::Finding { base, .. } => match base.round {
                Some(round) => self.visit(round, &base.org).map(|v| Some(Screen::Visit(Box::new(v)))),
                None => Ok(None),
            },
            FormKind::Info { round, org, .. } | FormKind::Veto { round, org, .. } => {
                if rounds::get(&self.session, *round)?.revisits().is_some() {
                    self.lookback(*round, org).map(|v| Some(Screen::Lookback(Box::new(v))))
                } else {
                    self.visit(*round, org).map(|v| Some(Screen::Visit(Box::new(v))))
                }
            }
            FormKind::Recheck { round, org, .. } => self.lookback(*round, org).map(|v| Some(Screen::Lookback(Box::new(v)))),
            FormKind::ReturnFinding { round, org, .. } | FormKind::ReturnVisit { round, org } => {
                self.review(*round, org).map(|r| Some(Screen::Review(Box::new(r))))
            }
            FormKind::Rectify { .. } => self.board().map(|b| Some(Screen::Board(Box::new(b)))),
            FormKind::NewRound { .. } | FormKind::Setup { .. } => Ok(None),
        };
        match context {
            Ok(Some(screen)) => app.screens.push(screen),
            Ok(None) => {}
            Err(e) => app.say(e.to_string(), Tone::Error),
        }
        app.screens.push(Screen::Form(Box::new(Form::from_draft(draft))));
        Ok(())
    }
}

/// A kept form draft, in today's shape or as finding drafts were kept before.
pub fn form_draft(value: serde_json::Value) -> Option<FormDraft> {
    if let Ok(d) = serde_json::from_value::<FormDraft>(value.clone()) {
        return Some(d);
    }
    let FindingDraft { input, focus, label } = serde_json::from_value(value).ok()?;
    Some(Form::finding(input, focus, label).snapshot())
}
