//! Keys → actions, per screen, form, popup and text field. Defaults live here; `keys.toml` in the
//! config folder may rebind any action. The help overlay is generated from this table, so help and
//! keys never disagree. This is the only module that looks at key codes: every other part of the
//! interface is handed an [`Input`] (an action, or a character typed into a text field) resolved
//! here, so no key does anything the table does not list (tests/tui_keys.rs checks both). The
//! contexts and actions themselves (`Ctx`, `Act`, re-exported here) are in `actions`.

use crate::i18n::K;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;
use std::path::Path;

pub use super::actions::{Act, Ctx};

/// What a key means where it was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A bound action, with the context whose table bound it.
    Act(Ctx, Act),
    /// A character typed into the text field being edited.
    Char(char),
}

/// A key with its modifiers, as written in keys.toml: "j", "ctrl-s", "enter", "backtab".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl KeySpec {
    /// "any": every key the context's other bindings do not take.
    pub const ANY: KeySpec = KeySpec { code: KeyCode::Null, ctrl: false };

    /// The character this key types in a text field, if it is one.
    fn typed(&self) -> Option<char> {
        match self.code {
            KeyCode::Char(c) if !self.ctrl && !c.is_control() => Some(c),
            _ => None,
        }
    }

    pub fn of(ev: &KeyEvent) -> KeySpec {
        let code = match ev.code {
            // Shift-Tab arrives as BackTab on most terminals, Tab+SHIFT on some.
            KeyCode::Tab if ev.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            c => c,
        };
        KeySpec { code, ctrl: ev.modifiers.contains(KeyModifiers::CONTROL) }
    }

    pub fn parse(s: &str) -> Option<KeySpec> {
        let lower = s.trim().to_ascii_lowercase();
        let (ctrl, rest) = match lower.strip_prefix("ctrl-").or_else(|| lower.strip_prefix("ctrl+")) {
            Some(r) => (true, r.to_string()),
            None => (false, lower.clone()),
        };
        let code = match rest.as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" | "shift+tab" => KeyCode::BackTab,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "any" if !ctrl => KeyCode::Null,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            f if f.len() >= 2 && f.starts_with('f') && f[1..].parse::<u8>().is_ok_and(|n| (1..=24).contains(&n)) => {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                // Single characters keep their case: "G" is not "g".
                let original = if ctrl { &s.trim()[5..] } else { s.trim() };
                let mut chars = original.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c }),
                    _ => return None,
                }
            }
        };
        Some(KeySpec { code, ctrl })
    }

    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "Shift-Tab".to_string(),
            KeyCode::Up => "Up".to_string(),
            KeyCode::Down => "Down".to_string(),
            KeyCode::Left => "Left".to_string(),
            KeyCode::Right => "Right".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Backspace => "Backspace".to_string(),
            KeyCode::Delete => "Delete".to_string(),
            KeyCode::Insert => "Insert".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Null => K::KeysAny.text().to_string(),
            KeyCode::Char(c) => c.to_string(),
            other => format!("{other:?}"),
        };
        if self.ctrl { format!("Ctrl-{}", base.to_uppercase()) } else { base }
    }
}

const DEFAULTS: &[(Ctx, Act, &[&str])] = &[
    // Ctrl-C quits from anywhere, also while typing; F1 shows the keys also where `?` is typed.
    (Ctx::Global, Act::Quit, &["ctrl-c"]),
    (Ctx::Global, Act::Help, &["?", "f1"]),
    (Ctx::Rounds, Act::Down, &["j", "down"]),
    (Ctx::Rounds, Act::Up, &["k", "up"]),
    (Ctx::Rounds, Act::Open, &["enter"]),
    (Ctx::Rounds, Act::NewRound, &["n"]),
    (Ctx::Rounds, Act::NewLookback, &["l"]),
    (Ctx::Rounds, Act::ReviewQueue, &["r"]),
    (Ctx::Rounds, Act::ToggleRole, &["m"]),
    (Ctx::Rounds, Act::Board, &["b"]),
    (Ctx::Rounds, Act::Stats, &["t"]),
    (Ctx::Rounds, Act::Sync, &["s"]),
    (Ctx::Rounds, Act::Conflicts, &["c"]),
    // Esc is not quit on the home screen: a reflex key never closes the program.
    (Ctx::Rounds, Act::Quit, &["q"]),
    (Ctx::Dashboard, Act::Down, &["j", "down"]),
    (Ctx::Dashboard, Act::Up, &["k", "up"]),
    (Ctx::Dashboard, Act::PageDown, &["pgdn"]),
    (Ctx::Dashboard, Act::PageUp, &["pgup"]),
    (Ctx::Dashboard, Act::Open, &["enter"]),
    (Ctx::Dashboard, Act::Search, &["/"]),
    (Ctx::Dashboard, Act::FilterStatus, &["t"]),
    (Ctx::Dashboard, Act::FilterField, &["f"]),
    (Ctx::Dashboard, Act::FilterArea, &["a"]),
    (Ctx::Dashboard, Act::Back, &["q", "esc"]),
    (Ctx::Search, Act::Done, &["enter"]),
    (Ctx::Search, Act::ClearSearch, &["esc"]),
    (Ctx::Visit, Act::Down, &["j", "down"]),
    (Ctx::Visit, Act::Up, &["k", "up"]),
    (Ctx::Visit, Act::Meets, &["y"]),
    (Ctx::Visit, Act::Fails, &["n"]),
    (Ctx::Visit, Act::Partly, &["p"]),
    (Ctx::Visit, Act::NotApplicable, &["x"]),
    (Ctx::Visit, Act::Clear, &["u"]),
    (Ctx::Visit, Act::EditNote, &["e", "enter"]),
    (Ctx::Visit, Act::Count, &["t"]),
    (Ctx::Visit, Act::AddFinding, &["a"]),
    (Ctx::Visit, Act::AddOther, &["o"]),
    (Ctx::Visit, Act::EditFinding, &["c"]),
    (Ctx::Visit, Act::NextUnanswered, &["g"]),
    (Ctx::Visit, Act::Submit, &["s"]),
    (Ctx::Visit, Act::Veto, &["v"]),
    (Ctx::Visit, Act::VisitInfo, &["i"]),
    (Ctx::Visit, Act::History, &["h"]),
    (Ctx::Visit, Act::AttachFile, &["F"]),
    (Ctx::Visit, Act::Back, &["q", "esc"]),
    (Ctx::Note, Act::Save, &["enter"]),
    (Ctx::Note, Act::Cancel, &["esc"]),
    (Ctx::Form, Act::NextField, &["tab", "down"]),
    (Ctx::Form, Act::PrevField, &["backtab", "up"]),
    (Ctx::Form, Act::Save, &["ctrl-s"]),
    (Ctx::Form, Act::Cancel, &["esc"]),
    (Ctx::Text, Act::Left, &["left", "ctrl-b"]),
    (Ctx::Text, Act::Right, &["right", "ctrl-f"]),
    (Ctx::Text, Act::WordLeft, &["ctrl-left"]),
    (Ctx::Text, Act::WordRight, &["ctrl-right"]),
    (Ctx::Text, Act::LineStart, &["home", "ctrl-a"]),
    (Ctx::Text, Act::LineEnd, &["end", "ctrl-e"]),
    (Ctx::Text, Act::DeleteBack, &["backspace", "ctrl-h"]),
    (Ctx::Text, Act::DeleteForward, &["delete", "ctrl-d"]),
    (Ctx::Text, Act::DeleteWord, &["ctrl-w", "ctrl-backspace"]),
    (Ctx::Text, Act::DeleteToEnd, &["ctrl-k"]),
    (Ctx::Text, Act::DeleteToStart, &["ctrl-u"]),
    (Ctx::Text, Act::Undo, &["ctrl-z"]),
    (Ctx::Text, Act::Redo, &["ctrl-y"]),
    (Ctx::Lines, Act::Newline, &["enter"]),
    (Ctx::Lines, Act::LineUp, &["up"]),
    (Ctx::Lines, Act::LineDown, &["down"]),
    (Ctx::Choice, Act::NextOption, &["right", "space"]),
    (Ctx::Choice, Act::PrevOption, &["left"]),
    (Ctx::Picker, Act::Down, &["j", "down"]),
    (Ctx::Picker, Act::Up, &["k", "up"]),
    (Ctx::Picker, Act::Open, &["enter"]),
    (Ctx::Picker, Act::Back, &["esc", "q"]),
    (Ctx::Confirm, Act::Yes, &["y", "Y"]),
    (Ctx::Confirm, Act::No, &["n", "N", "esc"]),
    // `n` drops an offered draft; Esc keeps it for the next start: a reflex key never throws
    // typed text away.
    (Ctx::Offer, Act::Restore, &["y", "Y"]),
    (Ctx::Offer, Act::DropDraft, &["n", "N"]),
    (Ctx::Offer, Act::KeepDraft, &["esc"]),
    (Ctx::Help, Act::Close, &["any"]),
    (Ctx::History, Act::Close, &["any"]),
    (Ctx::Queue, Act::Down, &["j", "down"]),
    (Ctx::Queue, Act::Up, &["k", "up"]),
    (Ctx::Queue, Act::Open, &["enter"]),
    (Ctx::Queue, Act::Back, &["q", "esc"]),
    (Ctx::Review, Act::Down, &["j", "down"]),
    (Ctx::Review, Act::Up, &["k", "up"]),
    (Ctx::Review, Act::ApproveFinding, &["y"]),
    (Ctx::Review, Act::ReturnFinding, &["n"]),
    (Ctx::Review, Act::CorrectFinding, &["e"]),
    (Ctx::Review, Act::ApproveVisit, &["A"]),
    (Ctx::Review, Act::ReturnVisit, &["R"]),
    (Ctx::Review, Act::Checklist, &["enter"]),
    (Ctx::Review, Act::History, &["h"]),
    (Ctx::Review, Act::Back, &["q", "esc"]),
    (Ctx::Board, Act::Down, &["j", "down"]),
    (Ctx::Board, Act::Up, &["k", "up"]),
    (Ctx::Board, Act::PageDown, &["pgdn"]),
    (Ctx::Board, Act::PageUp, &["pgup"]),
    (Ctx::Board, Act::ChangeStatus, &["enter"]),
    (Ctx::Board, Act::History, &["h"]),
    (Ctx::Board, Act::FilterQuarter, &["Q"]),
    (Ctx::Board, Act::FilterRound, &["r"]),
    (Ctx::Board, Act::FilterStatus, &["t"]),
    (Ctx::Board, Act::FilterSeverity, &["s"]),
    (Ctx::Board, Act::FilterField, &["f"]),
    (Ctx::Board, Act::FilterArea, &["a"]),
    (Ctx::Board, Act::Sort, &["o"]),
    (Ctx::Board, Act::Export, &["x"]),
    (Ctx::Board, Act::AttachFile, &["F"]),
    (Ctx::Board, Act::Back, &["q", "esc"]),
    (Ctx::Stats, Act::FilterQuarter, &["Q"]),
    (Ctx::Stats, Act::FilterArea, &["a"]),
    (Ctx::Stats, Act::Back, &["q", "esc"]),
    (Ctx::Sync, Act::Down, &["j", "down"]),
    (Ctx::Sync, Act::Up, &["k", "up"]),
    (Ctx::Sync, Act::ExportBundle, &["e"]),
    (Ctx::Sync, Act::ExportBundleAll, &["E"]),
    (Ctx::Sync, Act::ImportBundle, &["i"]),
    (Ctx::Sync, Act::Conflicts, &["c"]),
    (Ctx::Sync, Act::Back, &["q", "esc"]),
    // The path prompt: Tab completes (it is not the next field here), Enter goes, Esc closes it.
    (Ctx::Path, Act::Complete, &["tab"]),
    (Ctx::Path, Act::RunPath, &["enter"]),
    (Ctx::Path, Act::Back, &["esc"]),
    (Ctx::Conflicts, Act::Down, &["j", "down"]),
    (Ctx::Conflicts, Act::Up, &["k", "up"]),
    (Ctx::Conflicts, Act::NextOption, &["right", "l"]),
    (Ctx::Conflicts, Act::PrevOption, &["left", "h"]),
    (Ctx::Conflicts, Act::Resolve, &["enter"]),
    (Ctx::Conflicts, Act::Back, &["q", "esc"]),
    (Ctx::Lookback, Act::Down, &["j", "down"]),
    (Ctx::Lookback, Act::Up, &["k", "up"]),
    (Ctx::Lookback, Act::Held, &["y", "1"]),
    (Ctx::Lookback, Act::Relapsed, &["f", "2"]),
    (Ctx::Lookback, Act::NotDone, &["w", "3"]),
    (Ctx::Lookback, Act::Clear, &["u"]),
    (Ctx::Lookback, Act::EditNote, &["e", "enter"]),
    (Ctx::Lookback, Act::EditFinding, &["c"]),
    (Ctx::Lookback, Act::History, &["h"]),
    (Ctx::Lookback, Act::VisitInfo, &["i"]),
    (Ctx::Lookback, Act::Submit, &["s"]),
    (Ctx::Lookback, Act::Back, &["q", "esc"]),
];

#[derive(Debug, Clone)]
pub struct Keymap {
    /// (context, action) → keys, in help order.
    bindings: Vec<(Ctx, Act, Vec<KeySpec>)>,
    lookup: HashMap<(Ctx, KeySpec), Act>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = DEFAULTS.iter().map(|(c, a, keys)| (*c, *a, keys.iter().filter_map(|k| KeySpec::parse(k)).collect())).collect();
        Keymap::from_bindings(bindings)
    }
}

impl Keymap {
    fn from_bindings(bindings: Vec<(Ctx, Act, Vec<KeySpec>)>) -> Keymap {
        let mut lookup = HashMap::new();
        for (c, a, keys) in &bindings {
            for k in keys {
                lookup.insert((*c, *k), *a);
            }
        }
        Keymap { bindings, lookup }
    }

    /// The action of a key in `ctx`; global keys apply everywhere.
    pub fn action(&self, ctx: Ctx, ev: &KeyEvent) -> Option<Act> {
        match self.resolve(&[ctx], ev) {
            Some(Input::Act(_, a)) => Some(a),
            _ => None,
        }
    }

    /// What a key means where `chain` is in force (first match wins): the global quit first (it
    /// works while typing too), then each context of the chain (its own keys, then its "any"
    /// key), then, where a text field is being typed in, the character itself, then the other
    /// global keys.
    pub fn resolve(&self, chain: &[Ctx], ev: &KeyEvent) -> Option<Input> {
        let k = KeySpec::of(ev);
        if let Some((c, a)) = self.bound(chain, k) {
            return Some(Input::Act(c, a));
        }
        if chain.iter().any(|c| c.types())
            && let Some(c) = typed(ev)
        {
            return Some(Input::Char(c));
        }
        self.lookup.get(&(Ctx::Global, k)).map(|a| Input::Act(Ctx::Global, *a))
    }

    /// The binding `k` reaches in `chain` before typing is considered.
    fn bound(&self, chain: &[Ctx], k: KeySpec) -> Option<(Ctx, Act)> {
        if let Some(Act::Quit) = self.lookup.get(&(Ctx::Global, k)) {
            return Some((Ctx::Global, Act::Quit));
        }
        chain.iter().find_map(|c| self.lookup.get(&(*c, k)).or_else(|| self.lookup.get(&(*c, KeySpec::ANY))).map(|a| (*c, *a)))
    }

    /// Which context's binding a key of the table reaches in `chain` (None: it is shadowed).
    fn owner(&self, chain: &[Ctx], k: KeySpec) -> Option<Ctx> {
        if k == KeySpec::ANY {
            return chain.iter().chain(std::iter::once(&Ctx::Global)).find(|c| self.lookup.contains_key(&(**c, k))).copied();
        }
        match self.bound(chain, k) {
            Some((c, _)) => Some(c),
            None if chain.iter().any(|c| c.types()) && k.typed().is_some() => None,
            None => self.lookup.contains_key(&(Ctx::Global, k)).then_some(Ctx::Global),
        }
    }

    /// (keys, what they do) for the help overlay: every binding of `chain` and the global ones, in
    /// the table's order, each with the keys that reach it there, and a line for typed characters
    /// where a field takes them.
    pub fn help(&self, chain: &[Ctx]) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = Vec::new();
        for (c, a, keys) in &self.bindings {
            if *c != Ctx::Global && !chain.contains(c) {
                continue;
            }
            let live: Vec<String> = keys.iter().filter(|k| self.owner(chain, **k) == Some(*c)).map(KeySpec::label).collect();
            if !live.is_empty() {
                out.push((live.join(" / "), a.help()));
            }
        }
        if chain.iter().any(|c| c.types()) {
            out.push((K::KeysOther.text().to_string(), K::HelpTyping.text()));
        }
        out
    }

    /// Every (context, action, keys) binding, for the help and the tests.
    pub fn bindings(&self) -> &[(Ctx, Act, Vec<KeySpec>)] {
        &self.bindings
    }

    /// The first key bound to `act` in `ctx`, for hints on screen.
    pub fn key_of(&self, ctx: Ctx, act: Act) -> String {
        self.bindings.iter().find(|(c, a, _)| *c == ctx && *a == act).and_then(|(_, _, k)| k.first()).map_or(String::new(), KeySpec::label)
    }

    /// The defaults with `keys.toml` applied: `[visit] meets = ["1", "y"]` rebinds an action in a
    /// screen. A missing file is the defaults; a bad one is the defaults and a message naming the
    /// file and the problem.
    pub fn load(path: &Path) -> (Keymap, Option<String>) {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Keymap::default(), None),
            Err(e) => return (Keymap::default(), Some(K::KeysBad.fill(&[&path.display(), &e]))),
        };
        match Self::parse(&text) {
            Ok(k) => (k, None),
            Err(e) => (Keymap::default(), Some(K::KeysBad.fill(&[&path.display(), &e]))),
        }
    }

    pub fn parse(text: &str) -> Result<Keymap, String> {
        let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string().trim().to_string())?;
        let mut map = Keymap::default();
        for (section, v) in &table {
            let ctx = Ctx::ALL
                .into_iter()
                .find(|c| c.name() == section)
                .ok_or_else(|| format!("[{section}]: {}", Ctx::ALL.iter().map(|c| c.name()).collect::<Vec<_>>().join(", ")))?;
            let acts = v.as_table().ok_or_else(|| format!("[{section}]"))?;
            for (name, keys) in acts {
                let act =
                    Act::ALL.iter().copied().find(|a| a.name() == name).ok_or_else(|| {
                        format!("[{section}] {name}: {}", Act::ALL.iter().map(|a| a.name()).collect::<Vec<_>>().join(", "))
                    })?;
                let words: Vec<&str> = match keys {
                    toml::Value::String(s) => vec![s.as_str()],
                    toml::Value::Array(a) => {
                        a.iter().map(|k| k.as_str().ok_or_else(|| format!("[{section}] {name}"))).collect::<Result<_, _>>()?
                    }
                    _ => return Err(format!("[{section}] {name}")),
                };
                let specs = words
                    .iter()
                    .map(|w| KeySpec::parse(w).ok_or_else(|| format!("[{section}] {name}: \"{w}\"")))
                    .collect::<Result<Vec<_>, _>>()?;
                match map.bindings.iter_mut().find(|(c, a, _)| *c == ctx && *a == act) {
                    Some(b) => b.2 = specs,
                    None => map.bindings.push((ctx, act, specs)),
                }
            }
        }
        Ok(Keymap::from_bindings(map.bindings))
    }
}

/// The character a key types into a text field: a printable character without Ctrl or Alt.
pub fn typed(ev: &KeyEvent) -> Option<char> {
    match ev.code {
        KeyCode::Char(c) if !c.is_control() && !ev.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn defaults_map_the_documented_keys() {
        let k = Keymap::default();
        assert_eq!(k.action(Ctx::Visit, &ev(KeyCode::Char('n'), KeyModifiers::NONE)), Some(Act::Fails));
        assert_eq!(k.action(Ctx::Rounds, &ev(KeyCode::Char('n'), KeyModifiers::NONE)), Some(Act::NewRound));
        assert_eq!(k.action(Ctx::Form, &ev(KeyCode::Char('s'), KeyModifiers::CONTROL)), Some(Act::Save));
        assert_eq!(k.action(Ctx::Form, &ev(KeyCode::Tab, KeyModifiers::SHIFT)), Some(Act::PrevField));
        assert_eq!(k.action(Ctx::Dashboard, &ev(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Act::Quit), "global");
    }

    #[test]
    fn help_is_generated_from_the_bindings() {
        let k = Keymap::parse("[visit]\nmeets = [\"1\", \"y\"]\n").unwrap();
        let help = k.help(&[Ctx::Visit]);
        assert!(help.iter().any(|(keys, _)| keys == "1 / y"), "{help:?}");
        assert_eq!(k.action(Ctx::Visit, &ev(KeyCode::Char('1'), KeyModifiers::NONE)), Some(Act::Meets));
    }

    #[test]
    fn a_bad_keys_file_names_the_problem() {
        assert!(Keymap::parse("[visit]\nmeet = \"1\"\n").unwrap_err().contains("meet"));
        assert!(Keymap::parse("[nowhere]\n").unwrap_err().contains("nowhere"));
        assert!(Keymap::parse("[visit]\nmeets = \"ctrl-\"\n").is_err());
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("keys.toml");
        std::fs::write(&p, "[visit]\nmeets = 3\n").unwrap();
        let (k, msg) = Keymap::load(&p);
        assert!(msg.unwrap().contains("keys.toml"));
        assert_eq!(k.action(Ctx::Visit, &ev(KeyCode::Char('y'), KeyModifiers::NONE)), Some(Act::Meets), "defaults stay");
    }
}
