//! A path typed in a prompt, completed with Tab as a shell completes it: the entries of the
//! folder typed so far whose names start with the last part, completed to the longest prefix
//! they share (a folder gets its `/`); when several remain, they are listed under the field.

use super::field::TextField;
use super::keymap::{Act, Input};
use std::path::{Path, PathBuf};

/// A one-line path field and, after a Tab that left a choice, the names that fit.
#[derive(Debug, Clone)]
pub struct PathPrompt {
    pub field: TextField,
    /// The entries that start with the typed name, after the last Tab (folders end in `/`).
    pub choices: Vec<String>,
}

/// What a completion gives: the new text, and the names still in question when several fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub text: String,
    pub choices: Vec<String>,
}

impl PathPrompt {
    pub fn new(text: &str) -> PathPrompt {
        PathPrompt { field: TextField::new(text, false), choices: Vec::new() }
    }

    pub fn text(&self) -> String {
        self.field.text()
    }

    /// Completes the text from the file system (Tab).
    pub fn complete(&mut self) {
        let c = complete(&self.text());
        if c.text != self.text() {
            self.field.set_text(&c.text);
        }
        self.choices = c.choices;
    }

    /// A typed character or an editing key: the listed names no longer apply.
    pub fn input(&mut self, input: Input) {
        if self.field.input(input) {
            self.choices.clear();
        }
    }

    /// The path the text names, `~/` as the home folder.
    pub fn path(&self) -> PathBuf {
        expand(self.text().trim())
    }

    /// One key of a prompt: Tab completes, Esc closes, Enter runs the path typed (unless none
    /// is), the rest edits the text. Every screen's path prompt keys the same way.
    pub fn key(&mut self, input: Input) -> PromptKey {
        match input {
            Input::Act(_, Act::Complete) => self.complete(),
            Input::Act(_, Act::Back) => return PromptKey::Close,
            Input::Act(_, Act::RunPath) if self.text().trim().is_empty() => return PromptKey::Empty,
            Input::Act(_, Act::RunPath) => return PromptKey::Run(self.path()),
            other => self.input(other),
        }
        PromptKey::Stay
    }
}

/// What a key did to a path prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKey {
    /// Still typing.
    Stay,
    /// Closed (Esc).
    Close,
    /// Enter with nothing typed.
    Empty,
    /// Enter: the path typed.
    Run(PathBuf),
}

/// `~/…` under the home folder; anything else as typed.
pub fn expand(text: &str) -> PathBuf {
    match (text.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ if text == "~" => std::env::var_os("HOME").map_or_else(|| PathBuf::from(text), PathBuf::from),
        _ => PathBuf::from(text),
    }
}

/// The completion of `typed` against the folder it names.
pub fn complete(typed: &str) -> Completion {
    let (dir, name) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let folder = if dir.is_empty() { PathBuf::from(".") } else { expand(dir) };
    let entries = match std::fs::read_dir(&folder) {
        Ok(rd) => rd
            .flatten()
            .filter_map(|e| {
                let n = e.file_name().into_string().ok()?;
                let is_dir = e.path().is_dir();
                Some(if is_dir { format!("{n}/") } else { n })
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    complete_in(dir, name, entries)
}

/// The completion of the name `name` in the folder `dir` (as typed, with its `/`) among
/// `entries` (folders end in `/`). Hidden entries only when the name starts with a dot.
pub fn complete_in(dir: &str, name: &str, entries: Vec<String>) -> Completion {
    let mut fits: Vec<String> =
        entries.into_iter().filter(|e| e.starts_with(name) && (name.starts_with('.') || !e.starts_with('.'))).collect();
    fits.sort();
    let Some(first) = fits.first() else {
        return Completion { text: format!("{dir}{name}"), choices: Vec::new() };
    };
    // The longest prefix every fit shares, by characters (names are often Chinese).
    let mut common: String = first.clone();
    for f in &fits[1..] {
        let n = common.chars().zip(f.chars()).take_while(|(a, b)| a == b).count();
        common = common.chars().take(n).collect();
    }
    let choices = if fits.len() > 1 { fits } else { Vec::new() };
    Completion { text: format!("{dir}{common}"), choices }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn one_fit_completes_whole_and_a_folder_gets_its_slash() {
        let c = complete_in("/mnt/", "U", names(&["U盘/", "备份.bundle"]));
        assert_eq!(c, Completion { text: "/mnt/U盘/".into(), choices: vec![] });
        let c = complete_in("", "给张", names(&["给张三的同步包.bundle", "给李四.bundle"]));
        assert_eq!(c.text, "给张三的同步包.bundle");
    }

    #[test]
    fn several_fits_complete_their_common_prefix_and_are_listed() {
        let c = complete_in("d/", "同", names(&["同步包-张三.bundle", "同步包-李四.bundle", "其他"]));
        assert_eq!(c.text, "d/同步包-");
        assert_eq!(c.choices, names(&["同步包-张三.bundle", "同步包-李四.bundle"]));
    }

    #[test]
    fn no_fit_leaves_the_text_and_hidden_entries_need_a_dot() {
        assert_eq!(complete_in("d/", "x", names(&["a", "b"])), Completion { text: "d/x".into(), choices: vec![] });
        assert_eq!(complete_in("", "", names(&[".git/", "src/"])).text, "src/");
        assert_eq!(complete_in("", ".", names(&[".git/", "src/"])).text, ".git/");
    }

    #[test]
    fn completes_from_the_file_system() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir(tmp.path().join("U盘")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(tmp.path().join("U盘").join("给张三的同步包.bundle"), b"x").unwrap_or_else(|e| panic!("{e}"));
        let base = format!("{}/", tmp.path().display());
        let mut p = PathPrompt::new(&format!("{base}U"));
        p.complete();
        assert_eq!(p.text(), format!("{base}U盘/"));
        p.complete();
        assert_eq!(p.text(), format!("{base}U盘/给张三的同步包.bundle"));
        assert!(p.choices.is_empty());
        assert_eq!(complete(&format!("{base}nothing")).text, format!("{base}nothing"), "a missing folder changes nothing");
    }
}
