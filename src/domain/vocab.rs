//! A closed vocabulary of labels: each value has a canonical Chinese and English label and may be
//! written in files with a few more words. Shared by levels, fields, severities, methods, verdicts.

use crate::i18n::pick;

/// A value with labels and accepted spellings.
pub trait Vocab: Sized + Copy + 'static {
    /// Every value, in display order.
    const ALL: &'static [Self];
    /// (canonical zh, canonical en, further accepted words).
    fn words(self) -> (&'static str, &'static str, &'static [&'static str]);

    /// The label in the current language.
    fn label(self) -> &'static str {
        let (zh, en, _) = self.words();
        pick(zh, en)
    }
    /// The canonical Chinese label, used in data files and stored records.
    fn zh(self) -> &'static str {
        self.words().0
    }
    /// Parses any accepted word, ignoring surrounding space and ASCII case.
    fn parse_word(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.iter().copied().find(|v| {
            let (zh, en, more) = v.words();
            zh == s || en.eq_ignore_ascii_case(s) || more.iter().any(|m| m.eq_ignore_ascii_case(s))
        })
    }
    /// "a, b, c": the canonical labels in the current language, for error messages.
    fn expected() -> String {
        Self::ALL.iter().map(|v| v.label()).collect::<Vec<_>>().join(", ")
    }
}

/// Serde support: values are stored by their canonical Chinese label, and read from any accepted
/// word, so files and records stay readable by people.
#[macro_export]
macro_rules! vocab_serde {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::domain::vocab::Vocab::zh(*self))
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                <$t as $crate::domain::vocab::Vocab>::parse_word(&s).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "unknown value {s:?}, expected one of: {}",
                        <$t as $crate::domain::vocab::Vocab>::expected()
                    ))
                })
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::domain::vocab::Vocab::label(*self))
            }
        }
    };
}
