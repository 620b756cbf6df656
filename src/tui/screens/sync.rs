//! The 同步 screen's keys (a bundle out for a member or everyone, a bundle in, each through a
//! path prompt completed with Tab) and the 冲突 screen's (pick a value, settle on it).

use crate::i18n::K;
use crate::tui::app::{App, Effect, OnYes, Overlay, Screen, Tone};
use crate::tui::complete::{PathPrompt, PromptKey};
use crate::tui::keymap::{Act, Ctx, Input};
use crate::tui::views::PathFor;

/// A file name for a bundle: the member's name (or 全组) and the minute it was written.
fn bundle_name(to: Option<&str>, now: chrono::NaiveDateTime) -> String {
    let to = to.unwrap_or(K::SyncEveryone.text());
    K::SyncBundleName.fill(&[&to, &now.format("%Y%m%d-%H%M")])
}

/// `dir` with one `/` at its end (empty: the current folder).
fn with_slash(dir: &str) -> String {
    if dir.is_empty() || dir.ends_with('/') { dir.to_string() } else { format!("{dir}/") }
}

pub fn act(app: &mut App, a: Act) -> Vec<Effect> {
    let now = app.now();
    let all_key = app.keymap.key_of(Ctx::Sync, Act::ExportBundleAll);
    let Some(Screen::Sync(v)) = app.screens.last_mut() else { return Vec::new() };
    match a {
        Act::Down => v.selected = (v.selected + 1).min(v.rows.len().saturating_sub(1)),
        Act::Up => v.selected = v.selected.saturating_sub(1),
        Act::ExportBundle => match v.rows.get(v.selected).filter(|r| !r.me) {
            Some(r) => {
                let text = format!("{}{}", with_slash(&v.export_dir), bundle_name(Some(&r.name), now));
                v.prompt = Some((PathFor::Export(Some(r.name.clone())), PathPrompt::new(&text)));
            }
            None => app.say(K::SyncPickMember.fill(&[&all_key]), Tone::Error),
        },
        Act::ExportBundleAll => {
            let text = format!("{}{}", with_slash(&v.export_dir), bundle_name(None, now));
            v.prompt = Some((PathFor::Export(None), PathPrompt::new(&text)));
        }
        Act::ImportBundle => v.prompt = Some((PathFor::Import, PathPrompt::new(&with_slash(&v.import_dir)))),
        Act::Conflicts => return vec![Effect::OpenConflicts],
        _ => {}
    }
    Vec::new()
}

/// A key while a path is typed: Tab completes it, Enter writes or reads the file, Esc closes
/// the prompt; the rest edits the text.
pub fn prompt(app: &mut App, input: Input) -> Vec<Effect> {
    let Some(Screen::Sync(v)) = app.screens.last_mut() else { return Vec::new() };
    let Some((what, p)) = v.prompt.as_mut() else { return Vec::new() };
    match p.key(input) {
        PromptKey::Stay => {}
        PromptKey::Close => v.prompt = None,
        PromptKey::Empty => app.say(K::SyncPathEmpty.text(), Tone::Error),
        PromptKey::Run(path) => {
            let effect = match what {
                PathFor::Export(to) => Effect::ExportBundle { to: to.clone(), path },
                PathFor::Import => Effect::ImportBundle(path),
            };
            v.prompt = None;
            return vec![effect];
        }
    }
    Vec::new()
}

pub fn conflicts(app: &mut App, a: Act) -> Vec<Effect> {
    let Some(Screen::Conflicts(c)) = app.screens.last_mut() else { return Vec::new() };
    let values = c.row().map_or(0, |r| r.choices.len());
    match a {
        Act::Down | Act::Up => {
            c.selected = if a == Act::Down { (c.selected + 1).min(c.rows.len().saturating_sub(1)) } else { c.selected.saturating_sub(1) };
            c.take = 0;
        }
        Act::NextOption => c.take = (c.take + 1).min(values.saturating_sub(1)),
        Act::PrevOption => c.take = c.take.saturating_sub(1),
        Act::Resolve => {
            if let Some(r) = c.row()
                && let Some(choice) = r.choices.get(c.take)
            {
                let value = crate::service::conflicts::value_text(&choice.value);
                let text = K::ConflictResolveAsk.fill(&[&r.id, &value, &choice.author]);
                let yes = OnYes::Resolve { id: r.id.clone(), take: c.take + 1 };
                app.overlay = Some(Overlay::Confirm { text, yes, offer: None });
            }
        }
        _ => {}
    }
    Vec::new()
}
