//! The dashboard's keys, and its search box's.

use crate::tui::app::{App, Effect, Screen};
use crate::tui::field::TextField;
use crate::tui::keymap::{Act, Input};

pub fn act(app: &mut App, a: Act) -> Vec<Effect> {
    let Some(Screen::Dashboard(d)) = app.screens.last_mut() else { return Vec::new() };
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
    Vec::new()
}

/// A key while the search box is open: Enter keeps the search, Esc clears it, the rest edits it
/// (the rows shown are computed as the text changes).
pub fn search(app: &mut App, input: Input) -> Vec<Effect> {
    let Some(Screen::Dashboard(d)) = app.screens.last_mut() else { return Vec::new() };
    let Some(search) = d.search.as_mut() else { return Vec::new() };
    match input {
        Input::Act(_, Act::ClearSearch) => {
            d.search = None;
            d.set_query(String::new());
        }
        Input::Act(_, Act::Done) => d.search = None,
        other => {
            if search.input(other) {
                let text = search.text();
                d.set_query(text);
            }
        }
    }
    Vec::new()
}
