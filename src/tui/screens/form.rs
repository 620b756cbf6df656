//! The keys of every form.

use crate::i18n::K;
use crate::tui::app::{App, Effect, OnYes, Overlay, Screen};
use crate::tui::keymap::{Act, Input};
use serde_json::Value;

/// A key in a form: next and previous field, save, cancel (asking first when something was
/// typed); the rest goes to the focused field, and every change is kept as a draft.
pub fn input(app: &mut App, input: Input) -> Vec<Effect> {
    let now = app.now();
    let Some(Screen::Form(f)) = app.screens.last_mut() else { return Vec::new() };
    // In a multi-line field, Enter and the arrows work within the text: its context comes before
    // the form's in the chain (App::chain), so they never arrive here as field moves.
    match input {
        Input::Act(_, Act::NextField) => f.next(),
        Input::Act(_, Act::PrevField) => f.prev(),
        Input::Act(_, Act::Save) => {
            if let Some(s) = f.submit(now) {
                return vec![Effect::Save(s)];
            }
        }
        Input::Act(_, Act::Cancel) => {
            let draft = f.draft_key();
            if f.dirty {
                app.overlay = Some(Overlay::Confirm { text: K::DiscardAsk.text().into(), yes: OnYes::Discard(draft), offer: None });
            } else {
                app.back();
                return vec![Effect::DropDraft(draft)];
            }
        }
        other => {
            // Every change of every form is kept, flushed, before the next key.
            if f.focused().input(other) {
                f.dirty = true;
                f.errors.remove(&f.focus);
                let draft = serde_json::to_value(f.snapshot()).unwrap_or(Value::Null);
                return vec![Effect::SaveDraft(f.draft_key(), draft)];
            }
        }
    }
    Vec::new()
}
