//! Checklist template files: the TOML format (see docs/templates.md), its validation, and loading
//! from the built-in defaults, the user's template folder and `--templates DIR`.

mod parse;
mod reader;

pub use parse::{fmt_points, parse_template};
pub use reader::TemplateError;

use crate::domain::Template;
use crate::i18n::K;
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::{Path, PathBuf};

/// The templates shipped inside the binary: the files under `checklists/`.
/// The commented starting file `xuncha template new` writes: a small template that passes
/// `template check`, with every key explained (a test checks it loads).
pub const STARTER: &str = include_str!("starter.toml");

pub const BUILTIN: &[(&str, &str)] = &[("checklists/dangzhibu.toml", include_str!("../../checklists/dangzhibu.toml"))];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Builtin(&'static str),
    File(PathBuf),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Builtin(name) => write!(f, "{} ({})", name, K::SourceBuiltin.text()),
            Source::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// A template that loaded, with the exact text it came from and that text's hash. The hash names
/// the immutable snapshot a round keeps.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub template: Template,
    pub source: Source,
    pub text: String,
    pub hash: String,
}

/// A template file that did not load, with every error found in it.
#[derive(Debug, Clone)]
pub struct Failed {
    pub source: Source,
    pub errors: Vec<TemplateError>,
}

/// The templates available to this run: what loaded, and what did not (listed with its errors).
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub loaded: Vec<Loaded>,
    pub failed: Vec<Failed>,
}

pub fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses one template's text. `name` is how errors refer to the file.
pub fn load_text(name: &str, text: &str) -> Result<(Template, String), Vec<TemplateError>> {
    parse_template(name, text).map(|t| (t, content_hash(text)))
}

/// Reads and parses one file.
pub fn load_file(path: &Path) -> Result<Loaded, Failed> {
    let name = path.display().to_string();
    let fail = |message: String| Failed {
        source: Source::File(path.to_path_buf()),
        errors: vec![TemplateError { file: name.clone(), line: 1, column: 1, message }],
    };
    let bytes = std::fs::read(path).map_err(|e| fail(K::TplRead.fill(&[&crate::oserror::describe(&e)])))?;
    let text = String::from_utf8(bytes).map_err(|_| fail(K::TplNotUtf8.text().to_string()))?;
    match load_text(&name, &text) {
        Ok((template, hash)) => Ok(Loaded { template, source: Source::File(path.to_path_buf()), text, hash }),
        Err(errors) => Err(Failed { source: Source::File(path.to_path_buf()), errors }),
    }
}

impl Catalog {
    /// The built-in templates, then every `*.toml` in each folder (in name order). A folder that
    /// does not exist is skipped: the user's template folder is optional.
    pub fn load(folders: &[PathBuf]) -> Catalog {
        let mut cat = Catalog::default();
        for (name, text) in BUILTIN {
            match load_text(name, text) {
                Ok((template, hash)) => cat.add(Loaded { template, source: Source::Builtin(name), text: text.to_string(), hash }),
                Err(errors) => cat.failed.push(Failed { source: Source::Builtin(name), errors }),
            }
        }
        for folder in folders {
            let Ok(entries) = std::fs::read_dir(folder) else { continue };
            let mut paths: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "toml")).collect();
            paths.sort();
            for p in paths {
                match load_file(&p) {
                    Ok(l) => cat.add(l),
                    Err(f) => cat.failed.push(f),
                }
            }
        }
        cat
    }

    /// Adds a loaded template unless the same id and version is already there from elsewhere
    /// (the identical file twice is simply ignored).
    fn add(&mut self, l: Loaded) {
        if let Some(prev) = self.loaded.iter().find(|p| p.template.id == l.template.id && p.template.version == l.template.version) {
            if prev.hash != l.hash {
                let name = l.source.to_string();
                let message = K::TplDuplicateTemplate.fill(&[&l.template.id, &l.template.version, &prev.source]);
                self.failed.push(Failed { source: l.source, errors: vec![TemplateError { file: name, line: 1, column: 1, message }] });
            }
            return;
        }
        self.loaded.push(l);
    }

    /// The newest version of the template with this id.
    pub fn get(&self, id: &str) -> Option<&Loaded> {
        self.loaded.iter().filter(|l| l.template.id == id).max_by_key(|l| l.template.version)
    }

    pub fn ids(&self) -> String {
        self.loaded.iter().map(|l| l.template.id.as_str()).collect::<Vec<_>>().join(", ")
    }
}
