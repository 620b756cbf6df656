//! The supervisor's screens' keys: the review queue, and one visit's findings under review.

use crate::i18n::K;
use crate::service::findings::input_of;
use crate::tui::app::{App, Effect, OnYes, Overlay, Screen};
use crate::tui::forms::Form;
use crate::tui::keymap::Act;

pub fn queue(app: &mut App, a: Act) -> Vec<Effect> {
    let Some(Screen::Queue(q)) = app.screens.last_mut() else { return Vec::new() };
    match a {
        Act::Down => q.selected = (q.selected + 1).min(q.rows.len().saturating_sub(1)),
        Act::Up => q.selected = q.selected.saturating_sub(1),
        Act::Open => {
            if let Some(row) = q.rows.get(q.selected) {
                return vec![Effect::OpenReview(row.round.id, row.row.org.code.clone())];
            }
        }
        _ => {}
    }
    Vec::new()
}

pub fn act(app: &mut App, a: Act) -> Vec<Effect> {
    let Some(Screen::Review(r)) = app.screens.last_mut() else { return Vec::new() };
    let n = r.visit.findings.len();
    let (round, org) = (r.visit.round.id, r.visit.org.code.clone());
    let finding = r.finding().cloned();
    match a {
        Act::Down => r.selected = (r.selected + 1).min(n.saturating_sub(1)),
        Act::Up => r.selected = r.selected.saturating_sub(1),
        Act::ApproveFinding => {
            if let Some(f) = finding {
                r.selected = (r.selected + 1).min(n.saturating_sub(1));
                return vec![Effect::Decide { finding: f.id, decision: crate::domain::Review::Approved, comment: String::new() }];
            }
        }
        Act::ReturnFinding => {
            if let Some(f) = finding {
                let form = Form::return_finding(&f, &r.visit.org.name);
                app.screens.push(Screen::Form(Box::new(form)));
            }
        }
        Act::CorrectFinding => {
            if let Some(f) = finding {
                let title =
                    format!("{} - {} {}", r.visit.org.name, f.item.as_deref().unwrap_or(K::OtherItem.text()), K::ScreenFinding.text());
                app.screens.push(Screen::Form(Box::new(Form::finding(input_of(&f), 0, title).correcting())));
            }
        }
        Act::ApproveVisit => {
            let live = r.visit.findings.iter().filter(|f| crate::domain::rules::live(f)).count();
            let text = K::ApproveVisitAsk.fill(&[&r.visit.org.name, &live]);
            app.overlay = Some(Overlay::Confirm { text, yes: OnYes::ApproveVisit(round, org), offer: None });
        }
        Act::ReturnVisit => {
            let form = Form::return_visit(round, &org, &r.visit.org.name, &r.visit.visit.return_comment);
            app.screens.push(Screen::Form(Box::new(form)));
        }
        Act::Checklist => return vec![Effect::OpenVisit(round, org)],
        Act::History => {
            let item = finding.and_then(|f| f.item).unwrap_or_default();
            return vec![Effect::History(round, org, item)];
        }
        _ => {}
    }
    Vec::new()
}
