//! The keys of the popups over a screen.

use crate::i18n::K;
use crate::tui::app::{App, Effect, OnYes, Overlay, Screen, Tone};
use crate::tui::forms::Form;
use crate::tui::keymap::{Act, Input};

/// A key over a popup: the help, a history, a question, a draft offered back, the veto gates.
pub fn input(app: &mut App, input: Input) -> Vec<Effect> {
    let Some(overlay) = app.overlay.take() else { return Vec::new() };
    let Input::Act(_, a) = input else {
        app.overlay = Some(overlay);
        return Vec::new();
    };
    match overlay {
        Overlay::Help(_) | Overlay::History { .. } if a == Act::Close => Vec::new(),
        Overlay::Confirm { yes, .. } if matches!(a, Act::Yes | Act::Restore) => match yes {
            OnYes::Discard(draft) => {
                app.back();
                vec![Effect::DropDraft(draft)]
            }
            OnYes::DiscardNote(key) => {
                if let Some(Screen::Visit(v)) = app.screens.last_mut() {
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
                if let Some(Screen::Visit(v)) = app.screens.last_mut() {
                    v.selected = (v.selected + 1).min(v.items.len().saturating_sub(1));
                }
                vec![Effect::Verdict { round, org, item, verdict: Some(verdict), note, withdraw: true }]
            }
            OnYes::Resolve { id, take } => vec![Effect::Resolve { id, take }],
            OnYes::Lookback(round) => vec![Effect::NewLookback(round)],
            OnYes::OpenForm(form) => {
                app.screens.push(Screen::Form(form));
                Vec::new()
            }
            OnYes::Quit => {
                app.quit = true;
                Vec::new()
            }
        },
        Overlay::Confirm { .. } if a == Act::No => Vec::new(),
        // `n` drops an offered draft; Esc keeps it for the next start: a reflex key never throws
        // typed text away.
        Overlay::Confirm { offer: Some(key), .. } if a == Act::DropDraft => vec![Effect::DropDraft(key)],
        Overlay::Confirm { offer: Some(_), .. } if a == Act::KeepDraft => {
            app.say(K::DraftKept.text(), Tone::Info);
            Vec::new()
        }
        Overlay::Veto { mut selected } => {
            let Some(Screen::Visit(v)) = app.screens.last() else { return Vec::new() };
            let gates = &v.template.vetoes;
            match a {
                Act::Down => selected = (selected + 1).min(gates.len().saturating_sub(1)),
                Act::Up => selected = selected.saturating_sub(1),
                Act::Open => {
                    if let Some(g) = gates.get(selected) {
                        if v.visit.vetoes.iter().any(|m| m.id == g.id) {
                            let text = K::VetoClearAsk.fill(&[&g.text]);
                            app.overlay = Some(Overlay::Confirm {
                                text,
                                yes: OnYes::ClearVeto(v.round.id, v.org.code.clone(), g.id.clone()),
                                offer: None,
                            });
                            return Vec::new();
                        }
                        // A gate tied to an item stands only on it answered 不符合: said before a
                        // reason is typed for nothing.
                        let verdicts: std::collections::HashMap<String, crate::domain::Verdict> =
                            v.results.iter().filter_map(|(k, r)| r.verdict.map(|x| (k.clone(), x))).collect();
                        if let Some(why) = crate::domain::rules::gate_problem(&v.template, &g.id, &verdicts) {
                            app.overlay = Some(Overlay::Veto { selected });
                            app.say(why, Tone::Error);
                            return Vec::new();
                        }
                        // The reason is typed in a form: kept as a draft like every form.
                        let form = Form::veto(v.round.id, &v.org.code, &v.org.name, &g.id, &g.text);
                        app.screens.push(Screen::Form(Box::new(form)));
                        return Vec::new();
                    }
                }
                Act::Back => return Vec::new(),
                _ => {}
            }
            app.overlay = Some(Overlay::Veto { selected });
            Vec::new()
        }
        // A key of the table that means nothing here: the popup stays.
        other => {
            app.overlay = Some(other);
            Vec::new()
        }
    }
}
