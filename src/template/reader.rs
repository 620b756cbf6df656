//! A small reader over toml's spanned document tree that collects every error with its file, line
//! and column instead of stopping at the first one, and words them in the user's language.

use crate::domain::vocab::Vocab;
use crate::i18n::K;
use std::fmt;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One problem in a template file, located by line and column (both from 1; columns count
/// characters, not bytes, so they match what an editor shows for Chinese text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

pub struct Reader<'s> {
    src: &'s str,
    file: String,
    pub errors: Vec<TemplateError>,
}

pub type Value<'i> = Spanned<DeValue<'i>>;

impl<'s> Reader<'s> {
    pub fn new(file: &str, src: &'s str) -> Self {
        Reader { src, file: file.to_string(), errors: Vec::new() }
    }

    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let before = &self.src[..self.src.floor_char_boundary(offset)];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }

    pub fn line_of(&self, span: &Range<usize>) -> usize {
        self.line_col(span.start).0
    }

    pub fn error(&mut self, span: Range<usize>, message: String) {
        let (line, column) = self.line_col(span.start);
        self.errors.push(TemplateError { file: self.file.clone(), line, column, message });
    }

    /// Reports keys of `table` that are not in `allowed`, naming the expected ones.
    pub fn check_keys(&mut self, table: &DeTable<'_>, allowed: &[&str]) {
        for key in table.keys() {
            if !allowed.contains(&key.get_ref().as_ref()) {
                self.error(key.span(), K::TplUnknownKey.fill(&[&key.get_ref(), &allowed.join(", ")]));
            }
        }
    }

    /// Whether `key` is in `table` (an optional key whose default is not "absent").
    pub fn has(table: &DeTable<'_>, key: &str) -> bool {
        Self::get(table, key).is_some()
    }

    fn get<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t Value<'i>> {
        table.iter().find(|(k, _)| k.get_ref().as_ref() == key).map(|(_, v)| v)
    }

    fn missing(&mut self, at: &Range<usize>, key: &str) {
        self.error(at.clone(), K::TplMissingKey.fill(&[&key]));
    }

    fn wrong_type(&mut self, v: &Value<'_>, key: &str, what: K) {
        self.error(v.span(), K::TplWrongType.fill(&[&key, &what.text()]));
    }

    /// Reads `key` with `convert`, reporting a missing required key (at `at`, the table's own
    /// span) or a value `convert` rejects (as not being `what`).
    fn value<T>(
        &mut self,
        t: &DeTable<'_>,
        at: &Range<usize>,
        key: &str,
        required: bool,
        what: K,
        convert: impl FnOnce(&DeValue<'_>) -> Option<T>,
    ) -> Option<Spanned<T>> {
        let Some(v) = Self::get(t, key) else {
            if required {
                self.missing(at, key);
            }
            return None;
        };
        match convert(v.get_ref()) {
            Some(x) => Some(Spanned::new(v.span(), x)),
            None => {
                self.wrong_type(v, key, what);
                None
            }
        }
    }

    /// A string; a required one must not be blank.
    pub fn string(&mut self, t: &DeTable<'_>, at: &Range<usize>, key: &str, required: bool) -> Option<Spanned<String>> {
        let s = self.value(t, at, key, required, K::TypeString, |v| v.as_str().map(str::to_string))?;
        if required && s.get_ref().trim().is_empty() {
            self.error(s.span(), K::TplEmpty.fill(&[&key]));
            return None;
        }
        Some(s)
    }

    pub fn integer(&mut self, t: &DeTable<'_>, at: &Range<usize>, key: &str, required: bool) -> Option<Spanned<i64>> {
        self.value(t, at, key, required, K::TypeInteger, |v| v.as_integer().and_then(|i| i64::from_str_radix(i.as_str(), i.radix()).ok()))
    }

    /// An integer or a float.
    pub fn number(&mut self, t: &DeTable<'_>, at: &Range<usize>, key: &str, required: bool) -> Option<Spanned<f64>> {
        self.value(t, at, key, required, K::TypeNumber, |v| match v {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok().map(|n| n as f64),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok().filter(|x| x.is_finite()),
            _ => None,
        })
    }

    pub fn boolean(&mut self, t: &DeTable<'_>, key: &str) -> bool {
        match Self::get(t, key) {
            None => false,
            Some(v) => match v.get_ref().as_bool() {
                Some(b) => b,
                None => {
                    self.wrong_type(v, key, K::TypeBool);
                    false
                }
            },
        }
    }

    /// An optional array of strings, each with its span; absent means empty.
    pub fn strings(&mut self, t: &DeTable<'_>, key: &str) -> Vec<Spanned<String>> {
        let Some(v) = Self::get(t, key) else { return Vec::new() };
        let Some(arr) = v.get_ref().as_array() else {
            self.wrong_type(v, key, K::TypeStringArray);
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in arr.iter() {
            match e.get_ref().as_str() {
                Some(s) => out.push(Spanned::new(e.span(), s.to_string())),
                None => self.wrong_type(e, key, K::TypeStringArray),
            }
        }
        out
    }

    /// Words of a closed vocabulary (severities, methods, fields), each checked.
    pub fn vocab_list<V: Vocab>(&mut self, t: &DeTable<'_>, key: &str) -> Vec<V> {
        let words = self.strings(t, key);
        words.iter().filter_map(|w| self.vocab_word::<V>(w, key)).collect()
    }

    pub fn vocab_word<V: Vocab>(&mut self, w: &Spanned<String>, key: &str) -> Option<V> {
        let v = V::parse_word(w.get_ref());
        if v.is_none() {
            self.error(w.span(), K::TplBadValue.fill(&[&key, w.get_ref(), &V::expected()]));
        }
        v
    }

    /// An optional sub-table (`[warnings.red]`).
    pub fn table<'t, 'i>(&mut self, t: &'t DeTable<'i>, key: &str) -> Option<(&'t DeTable<'i>, Range<usize>)> {
        let v = Self::get(t, key)?;
        match v.get_ref().as_table() {
            Some(tbl) => Some((tbl, v.span())),
            None => {
                self.wrong_type(v, key, K::TypeTable);
                None
            }
        }
    }

    /// An array of tables (`[[categories]]`); absent means empty.
    pub fn tables<'t, 'i>(&mut self, t: &'t DeTable<'i>, key: &str) -> Vec<(&'t DeTable<'i>, Range<usize>)> {
        let Some(v) = Self::get(t, key) else { return Vec::new() };
        let Some(arr) = v.get_ref().as_array() else {
            self.wrong_type(v, key, K::TypeArray);
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in arr.iter() {
            match e.get_ref().as_table() {
                Some(tbl) => out.push((tbl, e.span())),
                None => self.wrong_type(e, key, K::TypeTable),
            }
        }
        out
    }
}
