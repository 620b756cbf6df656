//! The rounds (home) screen's keys.

use crate::i18n::K;
use crate::tui::app::{App, Effect, OnYes, Overlay, Screen, Tone};
use crate::tui::keymap::Act;

pub fn act(app: &mut App, a: Act) -> Vec<Effect> {
    let supervisor = app.supervisor;
    let Some(Screen::Rounds(r)) = app.screens.last_mut() else { return Vec::new() };
    match a {
        Act::Down => r.selected = (r.selected + 1).min(r.rows.len().saturating_sub(1)),
        Act::Up => r.selected = r.selected.saturating_sub(1),
        Act::Open => {
            if let Some(row) = r.rows.get(r.selected) {
                return vec![Effect::OpenRound(row.round.id)];
            }
        }
        Act::NewRound => return vec![Effect::NewRoundForm],
        // A look-back at the round selected, after a question naming it.
        Act::NewLookback => {
            if let Some(row) = r.rows.get(r.selected).filter(|row| row.round.revisits().is_some()) {
                let text = K::LookbackOfLookback.fill(&[&row.round.title]);
                app.say(text, Tone::Error);
            } else if let Some(row) = r.rows.get(r.selected) {
                let text = K::LookbackAsk.fill(&[&row.round.title]);
                app.overlay = Some(Overlay::Confirm { text, yes: OnYes::Lookback(row.round.id), offer: None });
            }
        }
        Act::ToggleRole => return vec![Effect::ToggleRole],
        Act::Board => return vec![Effect::OpenBoard],
        Act::Stats => return vec![Effect::OpenStats],
        Act::Sync => return vec![Effect::OpenSync],
        Act::Conflicts => return vec![Effect::OpenConflicts],
        Act::ReviewQueue => {
            if supervisor {
                return vec![Effect::OpenQueue];
            }
            app.say(K::SupervisorOnly.text(), Tone::Error);
        }
        _ => {}
    }
    Vec::new()
}
