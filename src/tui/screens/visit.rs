//! The visit screen's keys (the checklist walk), and its note editor's.

use crate::domain::Verdict;
use crate::domain::vocab::Vocab;
use crate::i18n::K;
use crate::service::findings::input_of;
use crate::tui::app::{App, Effect, NoteDraft, OnYes, Overlay, Screen, Tone, note_draft_key};
use crate::tui::field::TextField;
use crate::tui::forms::Form;
use crate::tui::keymap::{Act, Input};
use crate::tui::views::VisitView;
use serde_json::Value;

pub fn act(app: &mut App, a: Act) -> Vec<Effect> {
    let now = app.now();
    let Some(Screen::Visit(v)) = app.screens.last_mut() else { return Vec::new() };
    let n = v.items.len();
    let (round, org) = (v.round.id, v.org.code.clone());
    let verdict = |verdict: Option<Verdict>, v: &VisitView| -> Vec<Effect> {
        match v.item_id() {
            Some(item) => {
                vec![Effect::Verdict { round, org: org.clone(), item: item.to_string(), verdict, note: v.note_of(item), withdraw: false }]
            }
            None => Vec::new(),
        }
    };
    // A closed record reads as closed: nothing that would change it opens.
    let changes = matches!(
        a,
        Act::Meets
            | Act::AttachFile
            | Act::Fails
            | Act::Partly
            | Act::NotApplicable
            | Act::Clear
            | Act::EditNote
            | Act::Count
            | Act::AddFinding
            | Act::AddOther
            | Act::EditFinding
            | Act::Submit
            | Act::Veto
            | Act::VisitInfo
    );
    if changes && let Some(why) = v.read_only() {
        app.say(why, Tone::Error);
        return Vec::new();
    }
    // 符合 or 不适用 over findings asks first: a finding never sits under a verdict denying it.
    if let (Act::Meets | Act::NotApplicable, Some(item)) = (a, v.item_id()) {
        let chosen = if a == Act::Meets { Verdict::Meets } else { Verdict::NotApplicable };
        let under = v.live_findings(Some(item)).len();
        if under > 0 {
            let text = K::VerdictFindingsAsk.fill(&[&item, &under, &chosen.label()]);
            let yes = OnYes::VerdictWithdrawing { round, org: org.clone(), item: item.to_string(), verdict: chosen, note: v.note_of(item) };
            app.overlay = Some(Overlay::Confirm { text, yes, offer: None });
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
                app.screens.push(Screen::Form(Box::new(form)));
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
            if crate::domain::rules::contradicts_findings(current)
                && let Some((id, _)) = item.as_ref()
            {
                let text = K::FindingOverVerdictAsk.fill(&[id, &current.map_or("", |c| c.label())]);
                app.overlay = Some(Overlay::Confirm { text, yes: OnYes::OpenForm(Box::new(form)), offer: None });
                return Vec::new();
            }
            app.screens.push(Screen::Form(Box::new(form)));
        }
        Act::EditFinding => {
            let f = v.live_findings(v.item_id()).last().map(|f| (*f).clone());
            if let Some(f) = f {
                let title = format!("{} - {} {}", v.org.name, f.item.as_deref().unwrap_or(K::OtherItem.text()), K::ScreenFinding.text());
                app.screens.push(Screen::Form(Box::new(Form::finding(input_of(&f), 0, title))));
            }
        }
        Act::AttachFile => {
            // The item's latest finding, as `c` edits it.
            match v.live_findings(v.item_id()).last() {
                Some(f) => {
                    let label = f
                        .number
                        .clone()
                        .unwrap_or_else(|| format!("{} {}", f.item.as_deref().unwrap_or(K::OtherItem.text()), f.id.short()));
                    v.prompt = Some((f.id, label, crate::tui::complete::PathPrompt::new("")));
                }
                None => app.say(K::EvidenceNoFinding.text(), Tone::Error),
            }
        }
        Act::EditNote => {
            if let Some(item) = v.item_id() {
                v.note = Some(TextField::new(&v.note_of(item), false));
                v.counting = false;
            }
        }
        Act::Count => {
            // Asks for the number of occurrences, on the count's own line; refused with the
            // reason where a count cannot stand (not per occurrence, not found wanting).
            if let Some(item) = v.item() {
                let verdict = v.verdict_of(&item.id);
                match crate::domain::rules::count_problem(item, verdict, 1) {
                    Some(why) => app.say(why, Tone::Error),
                    None => {
                        let now = v.count_of(&item.id).map(|n| n.to_string()).unwrap_or_default();
                        v.note = Some(TextField::new(&now, false));
                        v.counting = true;
                    }
                }
            }
        }
        Act::Submit => {
            let text = K::SubmitAsk.fill(&[&v.org.name]);
            app.overlay = Some(Overlay::Confirm { text, yes: OnYes::Submit(round, org), offer: None });
        }
        Act::Veto => app.overlay = Some(Overlay::Veto { selected: 0 }),
        Act::VisitInfo => {
            // The arrival defaults to when the visit was opened, not to when the form is.
            let opened = v.opened_at.unwrap_or(now);
            let form = Form::info(&v.visit, &v.org.name, v.round.quarter, opened);
            app.screens.push(Screen::Form(Box::new(form)));
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

/// A key while the item's note is typed: Enter saves it, Esc cancels (asking first when it
/// changed), the rest edits it.
pub fn note(app: &mut App, input: Input) -> Vec<Effect> {
    let Some(Screen::Visit(v)) = app.screens.last_mut() else { return Vec::new() };
    let Some(item) = v.item_id().map(str::to_string) else { return Vec::new() };
    let key = note_draft_key(v.round.id, &v.org.code, &item);
    let Some(note) = v.note.as_mut() else { return Vec::new() };
    if v.counting {
        return count(app, input);
    }
    match input {
        Input::Act(_, Act::Save) => {
            let text = note.text();
            v.note = None;
            let verdict = v.verdict_of(&item);
            vec![
                Effect::Verdict { round: v.round.id, org: v.org.code.clone(), item, verdict, note: text, withdraw: false },
                Effect::DropDraft(key),
            ]
        }
        Input::Act(_, Act::Cancel) => {
            if note.text() == v.note_of(&item) {
                v.note = None;
                return vec![Effect::DropDraft(key)];
            }
            app.overlay = Some(Overlay::Confirm { text: K::DiscardAsk.text().into(), yes: OnYes::DiscardNote(key), offer: None });
            Vec::new()
        }
        other => {
            if note.input(other) {
                let draft = NoteDraft { round: v.round.id, org: v.org.code.clone(), item, note: note.text() };
                return vec![Effect::SaveDraft(key, serde_json::to_value(draft).unwrap_or(Value::Null))];
            }
            Vec::new()
        }
    }
}

/// A key while the path of a file to attach to a finding is typed: Tab completes it, Enter
/// attaches it, Esc closes the prompt; the rest edits the text.
pub fn prompt(app: &mut App, input: crate::tui::keymap::Input) -> Vec<Effect> {
    use crate::tui::complete::PromptKey;
    let Some(Screen::Visit(v)) = app.screens.last_mut() else { return Vec::new() };
    let Some((id, _, p)) = v.prompt.as_mut() else { return Vec::new() };
    match p.key(input) {
        PromptKey::Stay => {}
        PromptKey::Close => v.prompt = None,
        PromptKey::Empty => app.say(K::SyncPathEmpty.text(), Tone::Error),
        // The prompt stays until the file is attached: a refused one keeps the typed path.
        PromptKey::Run(path) => return vec![Effect::AttachFinding { id: *id, path }],
    }
    Vec::new()
}

/// A key while the count of occurrences is typed: Enter saves it (empty clears it), Esc drops
/// it; only a whole number from 1 up is taken.
fn count(app: &mut App, input: Input) -> Vec<Effect> {
    let Some(Screen::Visit(v)) = app.screens.last_mut() else { return Vec::new() };
    let Some(item) = v.item_id().map(str::to_string) else { return Vec::new() };
    let Some(field) = v.note.as_mut() else { return Vec::new() };
    match input {
        Input::Act(_, Act::Save) => {
            let text = field.text();
            let count = match text.trim() {
                "" => None,
                t => match t.parse::<u32>() {
                    Ok(n) if (1..=crate::domain::limits::OCCURRENCES).contains(&n) => Some(n),
                    _ => {
                        app.say(K::CountRange.fill(&[&crate::domain::limits::OCCURRENCES]), Tone::Error);
                        return Vec::new();
                    }
                },
            };
            v.note = None;
            v.counting = false;
            vec![Effect::Count { round: v.round.id, org: v.org.code.clone(), item, count }]
        }
        Input::Act(_, Act::Cancel) => {
            v.note = None;
            v.counting = false;
            Vec::new()
        }
        other => {
            field.input(other);
            Vec::new()
        }
    }
}
