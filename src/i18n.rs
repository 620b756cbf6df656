//! Every user-visible string, in Chinese (default) and English.
//!
//! The screen language is process-wide: it is chosen once from `--lang` at start-up, so `Display`
//! impls of errors can render in the user's language without threading a parameter everywhere.
//! Documents for the office (the rectification list, the bulletin, the paper visit sheet) are
//! written in a language of their own, Chinese unless `--doc-lang en`: their builders ask for a
//! text in a given language with [`K::text_in`] and [`K::fill_in`].
//!
//! The table at the end of this file declares, for each key, the names of its arguments and the two
//! texts, which use them by name:
//!
//! ```text
//! ExportWritten(count, path) => "已导出 {count} 行到 {path}", "exported {count} rows to {path}";
//! ```
//!
//! `K::ExportWritten.fill(&[&n, &path])` binds the values to the declared names in order, so a
//! translation may put them in any order. The table is checked while compiling: a text that uses
//! a name its key does not declare, leaves out a declared name, or has a bare `{}` is an error.
//! A name that starts with `zh_` (or `en_`) is for the Chinese (or English) text only, for the rare
//! value that only one language shows (the Chinese quarter "2026年第四季度" in a round's title).

use std::fmt::Display;
use std::sync::atomic::{AtomicU8, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese: the screens' default, and the office documents' whatever the screens are in.
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `zh` or `en`, as on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Picks the text for this language: `lang.pick("中文", "English")`.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

static LANG: AtomicU8 = AtomicU8::new(0);

pub fn set_lang(lang: Lang) {
    LANG.store(lang as u8, Ordering::Relaxed);
}

/// The screen language (`--lang`).
pub fn lang() -> Lang {
    match LANG.load(Ordering::Relaxed) {
        1 => Lang::En,
        _ => Lang::Zh,
    }
}

/// Picks the text for the current language: `pick("中文", "English")`. Used by domain enums whose
/// labels are part of the data vocabulary (verdicts, severities) and live next to their parsers.
pub fn pick(zh: &'static str, en: &'static str) -> &'static str {
    lang().pick(zh, en)
}

/// Fills the `{name}` placeholders of `template`: `names[i]` takes `args[i]`. A placeholder whose
/// name is not declared, or that has no value, is left as it is. Values are not scanned again, so
/// a value with braces in it stays as it is. Kept tiny on purpose: the templates are ours.
pub fn fill(template: &str, names: &[&str], args: &[&dyn Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let i = names.iter().position(|n| *n == name)?;
            Some((args.get(i)?, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(&v.to_string());
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What is wrong with one text of the table, found while compiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFault {
    /// `{}`: every placeholder has a name.
    Bare,
    /// `{` not followed by a name and `}`.
    Unclosed,
    /// `{name}` where the key declares no such name (or a `zh_` name in English, `en_` in Chinese).
    Undeclared,
    /// A declared name this text does not use.
    Unused,
}

const fn same(a: &[u8], a_from: usize, a_to: usize, b: &[u8]) -> bool {
    if a_to - a_from != b.len() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if a[a_from + i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn starts_with(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && same(s, 0, prefix.len(), prefix)
}

/// Whether a declared name belongs in the text of `lang`: every name, except a `zh_` name in the
/// English text and an `en_` name in the Chinese one.
const fn name_for(name: &[u8], lang: Lang) -> bool {
    match lang {
        Lang::Zh => !starts_with(name, b"en_"),
        Lang::En => !starts_with(name, b"zh_"),
    }
}

/// Checks one text against its key's declared names (a `const fn`, so the table is checked while
/// compiling, and again by the unit tests).
pub const fn check_text(text: &str, names: &[&str], lang: Lang) -> Result<(), TextFault> {
    let t = text.as_bytes();
    let mut used = [false; 16];
    let mut i = 0;
    while i < t.len() {
        if t[i] != b'{' {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut j = start;
        while j < t.len() && (t[j].is_ascii_lowercase() || t[j].is_ascii_digit() || t[j] == b'_') {
            j += 1;
        }
        if j >= t.len() || t[j] != b'}' {
            return Err(TextFault::Unclosed);
        }
        if j == start {
            return Err(TextFault::Bare);
        }
        let mut n = 0;
        let mut found = false;
        while n < names.len() {
            if same(t, start, j, names[n].as_bytes()) && name_for(names[n].as_bytes(), lang) {
                used[n] = true;
                found = true;
            }
            n += 1;
        }
        if !found {
            return Err(TextFault::Undeclared);
        }
        i = j + 1;
    }
    let mut n = 0;
    while n < names.len() {
        if !used[n] && name_for(names[n].as_bytes(), lang) {
            return Err(TextFault::Unused);
        }
        n += 1;
    }
    Ok(())
}

/// Fails the build with the key's name when a text of a table is wrong.
#[doc(hidden)]
#[macro_export]
macro_rules! __i18n_check_entry {
    ($key:ident, $zh:literal, $en:literal, $names:expr) => {
        const _: () = {
            use $crate::i18n::{Lang, TextFault, check_text};
            let names: &[&str] = $names;
            assert!(names.len() <= 16, concat!("i18n: ", stringify!($key), " declares more than 16 arguments"));
            match check_text($zh, names, Lang::Zh) {
                Ok(()) => {}
                Err(TextFault::Bare) => panic!(concat!(
                    "i18n: the Chinese text of ",
                    stringify!($key),
                    " has a bare {{}}: declare the argument names, e.g. ",
                    stringify!($key),
                    "(count, path), and write {{count}}"
                )),
                Err(TextFault::Unclosed) => {
                    panic!(concat!("i18n: the Chinese text of ", stringify!($key), " has a `{{` that is not a {{name}}"))
                }
                Err(TextFault::Undeclared) => {
                    panic!(concat!("i18n: the Chinese text of ", stringify!($key), " uses a {{name}} its key does not declare"))
                }
                Err(TextFault::Unused) => {
                    panic!(concat!("i18n: the Chinese text of ", stringify!($key), " leaves out a declared argument"))
                }
            }
            match check_text($en, names, Lang::En) {
                Ok(()) => {}
                Err(TextFault::Bare) => panic!(concat!(
                    "i18n: the English text of ",
                    stringify!($key),
                    " has a bare {{}}: declare the argument names, e.g. ",
                    stringify!($key),
                    "(count, path), and write {{count}}"
                )),
                Err(TextFault::Unclosed) => {
                    panic!(concat!("i18n: the English text of ", stringify!($key), " has a `{{` that is not a {{name}}"))
                }
                Err(TextFault::Undeclared) => {
                    panic!(concat!("i18n: the English text of ", stringify!($key), " uses a {{name}} its key does not declare"))
                }
                Err(TextFault::Unused) => {
                    panic!(concat!("i18n: the English text of ", stringify!($key), " leaves out a declared argument"))
                }
            }
        };
    };
}

/// What every table of texts gives: its keys, their argument names and their two texts.
pub trait Texts: Copy + 'static {
    /// Every key, in the order of the table.
    const ALL: &'static [Self];
    /// The key's name, as in the table.
    fn name(self) -> &'static str;
    /// The names of the key's arguments, in the order they are bound.
    fn args(self) -> &'static [&'static str];
    /// The Chinese and English texts.
    fn texts(self) -> (&'static str, &'static str);
}

/// A table of texts: `table! { Name; Key(arg, ...) => "中文 {arg}", "English {arg}"; ... }` makes
/// the enum `Name` with `text_in` and `fill_in`, which always take their language. The screen's
/// table `K` (below, through `strings!`) adds `text` and `fill` in the screen language; a
/// document's table (src/report/words.rs) has none, so a document cannot follow the screen.
#[macro_export]
macro_rules! i18n_table {
    ($name:ident; $($key:ident $(($($arg:ident),+))? => $zh:literal, $en:literal;)*) => {
        /// A key for one text, in Chinese and English.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($key),* }
        impl $crate::i18n::Texts for $name {
            const ALL: &'static [$name] = &[$($name::$key),*];
            fn name(self) -> &'static str {
                match self { $($name::$key => stringify!($key)),* }
            }
            fn args(self) -> &'static [&'static str] {
                match self { $($name::$key => &[$($(stringify!($arg)),+)?]),* }
            }
            fn texts(self) -> (&'static str, &'static str) {
                match self { $($name::$key => ($zh, $en)),* }
            }
        }
        impl $name {
            /// Every key, in the order of the table.
            pub const ALL: &'static [$name] = <$name as $crate::i18n::Texts>::ALL;
            /// The key's name, as in the table.
            pub fn name(self) -> &'static str {
                $crate::i18n::Texts::name(self)
            }
            /// The names of the key's arguments, in the order `fill_in` binds them.
            pub fn args(self) -> &'static [&'static str] {
                $crate::i18n::Texts::args(self)
            }
            /// The Chinese and English texts.
            pub fn texts(self) -> (&'static str, &'static str) {
                $crate::i18n::Texts::texts(self)
            }
            /// The text in the given language (a document's, not necessarily the screen's).
            pub fn text_in(self, lang: $crate::i18n::Lang) -> &'static str {
                let (zh, en) = self.texts();
                lang.pick(zh, en)
            }
            /// The text in the given language, its arguments bound by name: `args[i]` fills
            /// `{name}` where `name` is the key's i-th declared argument.
            pub fn fill_in(self, lang: $crate::i18n::Lang, args: &[&dyn std::fmt::Display]) -> String {
                $crate::i18n::fill(self.text_in(lang), self.args(), args)
            }
        }
        $($crate::__i18n_check_entry!($key, $zh, $en, &[$($(stringify!($arg)),+)?]);)*
    };
}

/// The screen's table: `i18n_table!` and the texts in the screen language.
macro_rules! strings {
    ($($t:tt)*) => {
        crate::i18n_table! { K; $($t)* }
        impl K {
            /// The text in the screen language.
            pub fn text(self) -> &'static str {
                self.text_in(lang())
            }
            /// [`K::fill_in`] in the screen language.
            pub fn fill(self, args: &[&dyn Display]) -> String {
                self.fill_in(lang(), args)
            }
        }
    };
}

// The table itself: every string, zh and en, with its named arguments.
include!("i18n/strings.rs");

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every `{name}` in a text, in order.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    out.push(&after[..close]);
                    rest = &after[close + 1..];
                }
                None => break,
            }
        }
        out
    }

    /// The checks every table passes (the screen's here, the documents' in src/report/words.rs).
    pub(crate) fn check_table<T: Texts>() {
        every_text_uses_exactly_the_declared_names_in::<T>();
        fill_with_the_declared_arguments_leaves_no_placeholder_in::<T>();
        let names: Vec<&str> = T::ALL.iter().map(|k| k.name()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
    }

    #[test]
    fn every_text_uses_exactly_the_declared_names() {
        every_text_uses_exactly_the_declared_names_in::<K>();
    }

    fn every_text_uses_exactly_the_declared_names_in<T: Texts>() {
        for &k in T::ALL {
            let (zh, en) = k.texts();
            let names = k.args();
            for (lang, text) in [(Lang::Zh, zh), (Lang::En, en)] {
                assert_eq!(check_text(text, names, lang), Ok(()), "{} ({:?}): {text}", k.name(), lang);
                let used = placeholders(text);
                assert!(!used.contains(&""), "{} has a bare {{}}: {text}", k.name());
                for name in &used {
                    assert!(names.contains(name), "{} ({lang:?}) uses {{{name}}}, not declared in {names:?}", k.name());
                }
                for name in names {
                    let own = name_for(name.as_bytes(), lang);
                    assert_eq!(used.contains(name), own, "{} ({lang:?}) and {{{name}}}: {text}", k.name());
                }
            }
            // The names are distinct and the one-language names come in pairs.
            let mut sorted = names.to_vec();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), names.len(), "{} declares a name twice", k.name());
            let zh_only = names.iter().filter(|n| n.starts_with("zh_")).count();
            let en_only = names.iter().filter(|n| n.starts_with("en_")).count();
            assert_eq!(zh_only, en_only, "{}: each zh_ argument needs its en_ counterpart", k.name());
        }
    }

    #[test]
    fn fill_with_the_declared_arguments_leaves_no_placeholder() {
        fill_with_the_declared_arguments_leaves_no_placeholder_in::<K>();
    }

    fn fill_with_the_declared_arguments_leaves_no_placeholder_in<T: Texts>() {
        for &k in T::ALL {
            let values: Vec<String> = (0..k.args().len()).map(|i| format!("<{i}>")).collect();
            let args: Vec<&dyn Display> = values.iter().map(|v| v as &dyn Display).collect();
            for lang in [Lang::Zh, Lang::En] {
                let out = fill(lang.pick(k.texts().0, k.texts().1), k.args(), &args);
                assert!(!out.contains('{') && !out.contains('}'), "{} ({lang:?}) left a placeholder: {out}", k.name());
                for (i, name) in k.args().iter().enumerate() {
                    let own = name_for(name.as_bytes(), lang);
                    assert_eq!(out.contains(&format!("<{i}>")), own, "{} ({lang:?}) and argument {i}: {out}", k.name());
                }
            }
        }
    }

    #[test]
    fn arguments_are_bound_by_name_whatever_their_order_in_the_text() {
        let args: [&dyn Display; 2] = [&"backup.jsonl", &42];
        assert_eq!(K::RestoreDone.fill_in(Lang::Zh, &args), "已从 backup.jsonl 恢复 42 条记录");
        assert_eq!(K::RestoreDone.fill_in(Lang::En, &args), "restored 42 records from backup.jsonl");
        // A value with braces in it is not read as a placeholder.
        assert_eq!(K::OrgNotFound.fill_in(Lang::En, &[&"{code}"]), "no organisation with code \"{code}\"");
        // A missing value leaves its placeholder, so the mistake shows.
        assert_eq!(K::ExportWritten.fill_in(Lang::En, &[&3]), "exported 3 rows to {path}");
        // A one-language argument: the round title shows the Chinese quarter in Chinese only.
        let q: [&dyn Display; 2] = [&"2026年第四季度", &"2026Q4"];
        assert_eq!(K::DefaultRoundTitle.fill_in(Lang::Zh, &q), "2026年第四季度基层党建\"四不两直\"督查");
        assert_eq!(K::DefaultRoundTitle.fill_in(Lang::En, &q), "Unannounced inspection of grassroots Party building, 2026Q4");
    }

    #[test]
    fn the_check_finds_each_fault() {
        assert_eq!(check_text("a {} b", &[], Lang::Zh), Err(TextFault::Bare));
        assert_eq!(check_text("a {count b", &["count"], Lang::Zh), Err(TextFault::Unclosed));
        assert_eq!(check_text("a {Count} b", &["count"], Lang::Zh), Err(TextFault::Unclosed));
        assert_eq!(check_text("{path}", &["count"], Lang::Zh), Err(TextFault::Undeclared));
        assert_eq!(check_text("{count}", &["count", "path"], Lang::En), Err(TextFault::Unused));
        assert_eq!(check_text("{zh_q}", &["zh_q", "en_q"], Lang::En), Err(TextFault::Undeclared));
        assert_eq!(check_text("{path} {count} {path}", &["count", "path"], Lang::En), Ok(()));
        assert_eq!(check_text("no arguments", &[], Lang::En), Ok(()));
    }

    #[test]
    fn key_names_are_unique_and_listed_in_order() {
        let names: Vec<&str> = K::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names.first(), Some(&"ErrorPrefix"));
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
    }
}
