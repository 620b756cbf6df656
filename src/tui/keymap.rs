//! Keys → actions, per screen. Defaults live here; `keys.toml` in the config folder may rebind
//! any action. The help overlay is generated from this table, so help and keys never disagree.

use crate::i18n::K;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::HashMap;
use std::path::Path;

/// Where a key is pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ctx {
    Global,
    Rounds,
    Dashboard,
    Visit,
    Form,
    Picker,
    Queue,
    Review,
    Board,
    Stats,
}

impl Ctx {
    pub const ALL: [Ctx; 10] =
        [Ctx::Global, Ctx::Rounds, Ctx::Dashboard, Ctx::Visit, Ctx::Form, Ctx::Picker, Ctx::Queue, Ctx::Review, Ctx::Board, Ctx::Stats];
    pub fn name(self) -> &'static str {
        match self {
            Ctx::Global => "global",
            Ctx::Rounds => "rounds",
            Ctx::Dashboard => "dashboard",
            Ctx::Visit => "visit",
            Ctx::Form => "form",
            Ctx::Picker => "picker",
            Ctx::Queue => "queue",
            Ctx::Review => "review",
            Ctx::Board => "board",
            Ctx::Stats => "stats",
        }
    }
}

macro_rules! acts {
    ($($act:ident = $name:literal, $k:ident;)*) => {
        /// What a key does.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Act { $($act),* }
        impl Act {
            pub const ALL: &'static [Act] = &[$(Act::$act),*];
            pub fn name(self) -> &'static str { match self { $(Act::$act => $name),* } }
            pub fn help(self) -> &'static str { match self { $(Act::$act => K::$k.text()),* } }
        }
    };
}

acts! {
    Quit = "quit", HelpQuit;
    Help = "help", HelpHelp;
    Back = "back", HelpBack;
    Up = "up", HelpUp;
    Down = "down", HelpDown;
    PageUp = "page_up", HelpPageUp;
    PageDown = "page_down", HelpPageDown;
    Open = "open", HelpOpen;
    NewRound = "new_round", HelpNewRound;
    Search = "search", HelpSearch;
    FilterStatus = "filter_status", HelpFilterStatus;
    FilterField = "filter_field", HelpFilterField;
    FilterArea = "filter_area", HelpFilterArea;
    Meets = "meets", HelpMeets;
    Fails = "fails", HelpFails;
    Partly = "partly", HelpPartly;
    NotApplicable = "not_applicable", HelpNotApplicable;
    Clear = "clear", HelpClear;
    EditNote = "edit_note", HelpEditNote;
    AddFinding = "add_finding", HelpAddFinding;
    AddOther = "add_other_finding", HelpAddOther;
    EditFinding = "edit_finding", HelpEditFinding;
    NextUnanswered = "next_unanswered", HelpNextUnanswered;
    Submit = "submit", HelpSubmit;
    Veto = "veto", HelpVeto;
    VisitInfo = "visit_info", HelpVisitInfo;
    NextField = "next_field", HelpNextField;
    PrevField = "prev_field", HelpPrevField;
    Save = "save", HelpSave;
    ReviewQueue = "review_queue", HelpReviewQueue;
    ToggleRole = "toggle_role", HelpToggleRole;
    History = "history", HelpHistory;
    ApproveFinding = "approve_finding", HelpApproveFinding;
    ReturnFinding = "return_finding", HelpReturnFinding;
    CorrectFinding = "correct_finding", HelpCorrectFinding;
    ApproveVisit = "approve_visit", HelpApproveVisit;
    ReturnVisit = "return_visit", HelpReturnVisit;
    Checklist = "checklist", HelpChecklist;
    Board = "board", HelpBoard;
    Stats = "statistics", HelpStats;
    FilterQuarter = "filter_quarter", HelpFilterQuarter;
    FilterRound = "filter_round", HelpFilterRound;
    FilterSeverity = "filter_severity", HelpFilterSeverity;
    Sort = "sort", HelpSort;
    ChangeStatus = "change_status", HelpChangeStatus;
    Export = "export", HelpExport;
}

/// A key with its modifiers, as written in keys.toml: "j", "ctrl-s", "enter", "backtab".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl KeySpec {
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
            KeyCode::Char(c) => c.to_string(),
            other => format!("{other:?}"),
        };
        if self.ctrl { format!("Ctrl-{}", base.to_uppercase()) } else { base }
    }
}

const DEFAULTS: &[(Ctx, Act, &[&str])] = &[
    (Ctx::Global, Act::Quit, &["ctrl-c"]),
    (Ctx::Global, Act::Help, &["?"]),
    (Ctx::Rounds, Act::Down, &["j", "down"]),
    (Ctx::Rounds, Act::Up, &["k", "up"]),
    (Ctx::Rounds, Act::Open, &["enter"]),
    (Ctx::Rounds, Act::NewRound, &["n"]),
    (Ctx::Rounds, Act::ReviewQueue, &["r"]),
    (Ctx::Rounds, Act::ToggleRole, &["m"]),
    (Ctx::Rounds, Act::Board, &["b"]),
    (Ctx::Rounds, Act::Stats, &["t"]),
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
    (Ctx::Visit, Act::Down, &["j", "down"]),
    (Ctx::Visit, Act::Up, &["k", "up"]),
    (Ctx::Visit, Act::Meets, &["y"]),
    (Ctx::Visit, Act::Fails, &["n"]),
    (Ctx::Visit, Act::Partly, &["p"]),
    (Ctx::Visit, Act::NotApplicable, &["x"]),
    (Ctx::Visit, Act::Clear, &["u"]),
    (Ctx::Visit, Act::EditNote, &["e", "enter"]),
    (Ctx::Visit, Act::AddFinding, &["a"]),
    (Ctx::Visit, Act::AddOther, &["o"]),
    (Ctx::Visit, Act::EditFinding, &["c"]),
    (Ctx::Visit, Act::NextUnanswered, &["g"]),
    (Ctx::Visit, Act::Submit, &["s"]),
    (Ctx::Visit, Act::Veto, &["v"]),
    (Ctx::Visit, Act::VisitInfo, &["i"]),
    (Ctx::Visit, Act::History, &["h"]),
    (Ctx::Visit, Act::Back, &["q", "esc"]),
    (Ctx::Form, Act::NextField, &["tab", "down"]),
    (Ctx::Form, Act::PrevField, &["backtab", "up"]),
    (Ctx::Form, Act::Save, &["ctrl-s"]),
    (Ctx::Form, Act::Back, &["esc"]),
    (Ctx::Picker, Act::Down, &["j", "down"]),
    (Ctx::Picker, Act::Up, &["k", "up"]),
    (Ctx::Picker, Act::Open, &["enter"]),
    (Ctx::Picker, Act::Back, &["esc", "q"]),
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
    (Ctx::Board, Act::Back, &["q", "esc"]),
    (Ctx::Stats, Act::FilterQuarter, &["Q"]),
    (Ctx::Stats, Act::FilterArea, &["a"]),
    (Ctx::Stats, Act::Back, &["q", "esc"]),
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
        let k = KeySpec::of(ev);
        self.lookup.get(&(ctx, k)).or_else(|| self.lookup.get(&(Ctx::Global, k))).copied()
    }

    /// (keys, what they do) for the help overlay.
    pub fn help(&self, ctx: Ctx) -> Vec<(String, &'static str)> {
        self.bindings
            .iter()
            .filter(|(c, _, keys)| (*c == ctx || *c == Ctx::Global) && !keys.is_empty())
            .map(|(_, a, keys)| (keys.iter().map(KeySpec::label).collect::<Vec<_>>().join(" / "), a.help()))
            .collect()
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
        let help = k.help(Ctx::Visit);
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
