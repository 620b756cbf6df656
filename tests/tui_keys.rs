//! Every key is in the keymap. Two checks:
//! - on the source: outside src/tui/keymap.rs no part of the interface reads a key code or its
//!   modifiers, nor lets a widget read keys by itself (ratatui-textarea's `input`): screens,
//!   forms, popups and fields are handed what the keymap resolved;
//! - on the running app: every screen, form, field and popup context is walked, each key of a
//!   wide set (letters, digits, signs, Chinese, arrows, paging, editing and function keys, with
//!   Ctrl) is pressed, and a key that changes anything or asks for any effect must be one the
//!   table resolves there (or a character typed into a text field, which the help names too);
//!   the help overlay of that context lists every key the table resolves there.
//!
//! And `keys.toml` rebinds the keys of popups and text fields like any other.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod screens;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use screens::{Rig, rig, submit_visit};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use xuncha::tui::app::{Effect, Overlay, Screen};
use xuncha::tui::keymap::{Ctx, Input, KeySpec, Keymap};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_key_code_is_read_outside_the_keymap() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join("tui");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let banned = ["KeyCode", "KeyModifiers", "input_without_shortcuts", "area.input(", "TextArea::input"];
    let mut found = Vec::new();
    for f in &files {
        if f.ends_with("keymap.rs") {
            continue;
        }
        // Code only, up to the unit tests (which build key events to press).
        for (n, line) in std::fs::read_to_string(f).unwrap().lines().enumerate().take_while(|(_, l)| !l.starts_with("#[cfg(test)]")) {
            let code = line.split("//").next().unwrap_or("");
            if let Some(b) = banned.iter().find(|b| code.contains(*b)) {
                found.push(format!("{}:{}: {b}: {}", f.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(files.len() > 10, "the sources were found");
    assert!(found.is_empty(), "keys are read only through the keymap:\n{}", found.join("\n"));
}

/// Every key worth trying: printable ASCII, Chinese, and the named keys, plain and with Ctrl.
fn all_keys() -> Vec<KeyEvent> {
    let mut out = Vec::new();
    for c in (0x20u8..0x7f).map(char::from).chain("会议记".chars()) {
        out.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    for c in 'a'..='z' {
        out.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        out.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT));
    }
    let named = [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Insert,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
    ];
    for k in named.into_iter().chain((1..=12).map(KeyCode::F)) {
        out.push(KeyEvent::new(k, KeyModifiers::NONE));
        out.push(KeyEvent::new(k, KeyModifiers::CONTROL));
        out.push(KeyEvent::new(k, KeyModifiers::SHIFT));
    }
    out
}

/// The app's state as text: what a key may change.
fn state(r: &Rig) -> String {
    format!("{:?}|{:?}|{:?}|{}|{}|{:?}", r.app.screens, r.app.overlay, r.app.status, r.app.quit, r.app.supervisor, r.app.offered)
}

/// Presses every key in the state `r` is in (restored before each), checking that whatever a
/// key does, the keymap resolves it there. Returns the contexts walked.
fn walk(r: &mut Rig, what: &str) -> Vec<Ctx> {
    let chain = r.app.chain();
    let (screens, overlay) = (r.app.screens.clone(), r.app.overlay.clone());
    r.app.status = None;
    // The help of this context shows every key the table resolves here.
    let help = r.app.keymap.help(&chain);
    let shown: HashSet<String> = help.iter().flat_map(|(keys, _)| keys.split(" / ").map(str::to_string).collect::<Vec<_>>()).collect();
    let typing = help.iter().any(|(_, what)| *what == xuncha::i18n::K::HelpTyping.text());
    for ev in all_keys() {
        r.app.screens = screens.clone();
        r.app.overlay = overlay.clone();
        r.app.status = None;
        r.app.quit = false;
        let resolved = r.app.keymap.resolve(&chain, &ev);
        let before = state(r);
        let effects: Vec<Effect> = r.app.key(ev);
        let after = state(r);
        let acted = before != after || !effects.is_empty();
        match resolved {
            None => assert!(!acted, "{what} {chain:?}: {ev:?} is in no table but did something: {effects:?}"),
            Some(Input::Char(_)) => assert!(typing, "{what}: {ev:?} typed but the help does not say so"),
            Some(Input::Act(..)) => {
                let label = KeySpec::of(&ev).label();
                let any = xuncha::i18n::K::KeysAny.text();
                assert!(shown.contains(&label) || shown.contains(any), "{what} {chain:?}: {label} is bound but not in the help {help:?}");
            }
        }
    }
    r.app.screens = screens;
    r.app.overlay = overlay;
    chain
}

#[test]
fn every_key_of_every_context_is_in_the_table_and_its_help() {
    let (mut r, round) = rig(false, true);
    let round = round.unwrap();
    let mut seen: HashSet<Ctx> = HashSet::from([Ctx::Global]);
    let mut go = |r: &mut Rig, keys: &str, what: &str| {
        r.press(keys);
        seen.extend(walk(r, what));
    };
    go(&mut r, "", "rounds");
    go(&mut r, "?", "help");
    go(&mut r, "<Esc><Enter>", "dashboard");
    go(&mut r, "/hq", "search");
    go(&mut r, "<Esc><Enter>", "arrival form (a one-line field)");
    go(&mut r, "<Tab>", "arrival form (a choice)");
    go(&mut r, "<Esc>", "visit");
    go(&mut r, "e", "note");
    go(&mut r, "<Esc>v", "veto gates");
    go(&mut r, "<Esc>a", "finding form (a multi-line field)");
    go(&mut r, "记<Esc>", "a question");
    go(&mut r, "y", "visit again");
    go(&mut r, "h", "history");
    go(&mut r, "<Esc>q<Esc>b", "board");
    go(&mut r, "q", "rounds again");
    go(&mut r, "t", "statistics");
    go(&mut r, "q", "rounds again");
    go(&mut r, "s", "sync");
    go(&mut r, "i", "path prompt");
    go(&mut r, "<Esc>c", "conflicts");
    // A draft offered back at the next start.
    r.press("q");
    r.app.screens.truncate(1);
    r.press("<Enter><Enter><Esc>e会");
    r.app = xuncha::tui::start(&r.driver, Keymap::default(), false).unwrap();
    assert!(matches!(r.app.overlay, Some(Overlay::Confirm { offer: Some(_), .. })));
    go(&mut r, "", "draft offer");
    // The supervisor's screens.
    r.press("<Esc>");
    let org = {
        let Some(Screen::Rounds(_)) = r.app.top() else { panic!() };
        let d = r.driver.dashboard(round).unwrap();
        d.rows[1].org.code.clone()
    };
    submit_visit(&r, round, &org);
    go(&mut r, "mr", "review queue");
    go(&mut r, "<Enter>", "review");
    // A look-back (回头看) visit over the visit just reviewed, once approved.
    // Approved by a supervisor who did not inspect it.
    r.driver.session.act_as("王督导".into());
    let s = &r.driver.session;
    xuncha::service::review::approve(s, round, &org).unwrap();
    let earlier = xuncha::service::rounds::get(s, round).unwrap();
    let lb = xuncha::service::lookback::create(s, "回头看", "2026Q4".parse().unwrap(), &earlier).unwrap();
    let view = r.driver.lookback(lb.id, &org).unwrap();
    assert_eq!(view.earlier.len(), 1, "the approved problem is there to mark");
    r.app.screens.push(Screen::Lookback(Box::new(view)));
    go(&mut r, "", "look-back visit");
    let all: HashSet<Ctx> = Ctx::ALL.into_iter().collect();
    let missing: Vec<&Ctx> = all.difference(&seen).collect();
    assert!(missing.is_empty(), "contexts not walked: {missing:?}");
}

#[test]
fn keys_toml_rebinds_popups_and_text_fields_too() {
    let keys = Keymap::parse("[confirm]\nyes = [\"j\"]\n[text]\ndelete_back = [\"ctrl-g\"]\n[global]\nhelp = [\"f2\"]\n").unwrap();
    let (mut r, _) = rig(false, true);
    r.app.keymap = keys;
    r.press("<Enter><Enter><Esc>e记录");
    r.app.key(KeyEvent::new(KeyCode::Char('g'), KeyModifiers::CONTROL));
    let Some(Screen::Visit(v)) = r.app.top() else { panic!() };
    assert_eq!(v.note.as_ref().unwrap().text(), "记", "ctrl-g deletes the character before");
    r.press("<Enter>s");
    assert!(matches!(r.app.overlay, Some(Overlay::Confirm { .. })));
    let effects = r.app.key(KeyEvent::from(KeyCode::Char('j')));
    assert!(matches!(effects.as_slice(), [Effect::Submit(..)]), "j answers yes: {effects:?}");
    r.app.key(KeyEvent::from(KeyCode::F(2)));
    let Some(Overlay::Help(chain)) = &r.app.overlay else { panic!("F2 shows the keys") };
    let help = r.app.keymap.help(chain);
    assert!(help.iter().any(|(k, _)| k == "F2"), "{help:?}");
}
