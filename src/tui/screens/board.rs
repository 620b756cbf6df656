//! The rectification board's and the statistics screen's keys.

use crate::domain::Id;
use crate::domain::vocab::Vocab;
use crate::i18n::K;
use crate::tui::app::{App, Effect, Screen, Tone};
use crate::tui::complete::{PathPrompt, PromptKey};
use crate::tui::forms::Form;
use crate::tui::keymap::{Act, Input};
use crate::tui::views::cycle;

pub fn act(app: &mut App, a: Act) -> Vec<Effect> {
    let Some(Screen::Board(b)) = app.screens.last_mut() else { return Vec::new() };
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
                        app.screens.push(Screen::Form(Box::new(form)));
                    }
                    None => app.say(K::NoNextStatus.text(), Tone::Error),
                }
            }
        }
        Act::History => {
            if let Some(r) = b.selected_row() {
                return vec![Effect::RectHistory(r.number.clone())];
            }
        }
        Act::Export => return vec![Effect::ExportBoard],
        Act::AttachFile => {
            if let Some(r) = b.selected_row() {
                b.prompt = Some((r.number.clone(), PathPrompt::new("")));
            }
        }
        _ => {}
    }
    Vec::new()
}

/// A key while the path of a file to attach is typed: Tab completes it, Enter attaches the
/// file, Esc closes the prompt; the rest edits the text.
pub fn prompt(app: &mut App, input: Input) -> Vec<Effect> {
    let Some(Screen::Board(b)) = app.screens.last_mut() else { return Vec::new() };
    let Some((number, p)) = b.prompt.as_mut() else { return Vec::new() };
    match p.key(input) {
        PromptKey::Stay => {}
        PromptKey::Close => b.prompt = None,
        PromptKey::Empty => app.say(K::SyncPathEmpty.text(), Tone::Error),
        // The prompt stays until the file is attached: a refused one keeps the typed path.
        PromptKey::Run(path) => return vec![Effect::AttachStep { number: number.clone(), path }],
    }
    Vec::new()
}

pub fn stats(app: &mut App, a: Act) -> Vec<Effect> {
    let Some(Screen::Stats(st)) = app.screens.last_mut() else { return Vec::new() };
    match a {
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
    }
    Vec::new()
}
