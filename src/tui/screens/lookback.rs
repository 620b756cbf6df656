//! The look-back visit's keys: one key per mark, earlier problem after earlier problem; a mark
//! with a note in a form; 反弹 opens the new problem it made, to complete.

use crate::domain::lookback::Mark;
use crate::i18n::K;
use crate::tui::app::{App, Effect, OnYes, Overlay, Screen, Tone};
use crate::tui::forms::Form;
use crate::tui::keymap::Act;

pub fn act(app: &mut App, a: Act) -> Vec<Effect> {
    let now = app.now();
    let Some(Screen::Lookback(v)) = app.screens.last_mut() else { return Vec::new() };
    let n = v.earlier.len();
    let (round, org) = (v.round.id, v.org.code.clone());
    let changes = matches!(
        a,
        Act::Held | Act::Relapsed | Act::NotDone | Act::Clear | Act::EditNote | Act::EditFinding | Act::Submit | Act::VisitInfo
    );
    if changes && let Some(why) = v.read_only() {
        app.say(why, Tone::Error);
        return Vec::new();
    }
    let current = v.current().cloned();
    let mark = |m: Option<Mark>| -> Vec<Effect> {
        match &current {
            Some(e) => {
                let note = e.recheck.as_ref().map(|r| r.note.clone()).unwrap_or_default();
                vec![Effect::Recheck { round, org: org.clone(), finding: e.finding.id, mark: m, note }]
            }
            None => Vec::new(),
        }
    };
    match a {
        Act::Down => v.selected = (v.selected + 1).min(n.saturating_sub(1)),
        Act::Up => v.selected = v.selected.saturating_sub(1),
        Act::Held | Act::NotDone => {
            let effects = mark(Some(if a == Act::Held { Mark::Held } else { Mark::NotDone }));
            // On to the next: one key per problem.
            v.selected = (v.selected + 1).min(n.saturating_sub(1));
            return effects;
        }
        // 反弹 stays on the problem: the new one opens in a form over it.
        Act::Relapsed => return mark(Some(Mark::Relapsed)),
        Act::Clear => return mark(None),
        Act::EditNote => {
            if let Some(e) = &current {
                let form = Form::recheck(round, &v.org, e);
                app.screens.push(Screen::Form(Box::new(form)));
            }
        }
        Act::EditFinding => {
            let relapse = current.as_ref().and_then(|e| e.recheck.as_ref()).and_then(|r| r.relapse);
            match relapse {
                Some(id) => return vec![Effect::EditRelapse(id)],
                None => app.say(K::LookbackNoRelapse.text(), Tone::Info),
            }
        }
        Act::History => {
            if let Some(number) = current.and_then(|e| e.finding.number) {
                return vec![Effect::RectHistory(number)];
            }
        }
        Act::VisitInfo => {
            let opened = v.opened_at.unwrap_or(now);
            let form = Form::info(&v.visit, &v.org.name, v.round.quarter, opened);
            app.screens.push(Screen::Form(Box::new(form)));
        }
        Act::Submit => {
            let text = K::SubmitAsk.fill(&[&v.org.name]);
            app.overlay = Some(Overlay::Confirm { text, yes: OnYes::Submit(round, org), offer: None });
        }
        _ => {}
    }
    Vec::new()
}
