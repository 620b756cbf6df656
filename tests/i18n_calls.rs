//! Every call site passes its key as many arguments as the key declares (xuncha issue 10: strings,
//! once). The table itself is checked while compiling and by the unit tests in src/i18n.rs; this
//! scans the sources for the three forms a message is filled with:
//!
//! ```text
//! K::Name.fill(&[a, b])        K::Name.fill_in(lang, &[a, b])        invalid(K::Name, &[a, b])
//! ```
//!
//! and counts the top-level elements of the array. A site it cannot read (a key in a variable, an
//! array built elsewhere) is skipped; the test fails if it reads too few sites, so a change of
//! form does not turn it into a test of nothing.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use xuncha::i18n::K;

fn sources() -> Vec<PathBuf> {
    fn walk(p: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(p).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out.sort();
    out
}

/// The number of top-level elements of the array whose `[` is at `open`, or None when the text
/// cannot be read (unbalanced, or the end of the file comes first).
fn count_elements(text: &[u8], open: usize) -> Option<usize> {
    debug_assert_eq!(text[open], b'[');
    let mut depth = 0usize;
    let mut elements = 0;
    let mut something = false;
    let mut i = open;
    while i < text.len() {
        let c = text[i];
        match c {
            b'"' => {
                // A string: skip to its closing quote, minding escapes.
                i += 1;
                while i < text.len() && text[i] != b'"' {
                    if text[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                something = true;
            }
            b'\'' if i + 2 < text.len() && (text[i + 2] == b'\'' || text[i + 1] == b'\\') => {
                // A char literal ('x' or '\n'); a lifetime has no closing quote and is left alone.
                i += if text[i + 1] == b'\\' { 3 } else { 2 };
                something = true;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > 1 {
                    something = true;
                }
            }
            b'<' if i >= 2 && &text[i - 2..i] == b"::" => depth += 1,
            b'>' if depth > 1 && text[i - 1] != b'=' && text[i - 1] != b'-' => {
                // Only closes a turbofish when one is open: counted like a bracket above. A
                // comparison at the top level of an element is not expected in an argument list.
                depth -= 1;
            }
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(elements + usize::from(something));
                }
            }
            b',' if depth == 1 => {
                if !something {
                    return None;
                }
                elements += 1;
                something = false;
            }
            c if !c.is_ascii_whitespace() => something = true,
            _ => {}
        }
        i += 1;
    }
    None
}

/// (file, line, key name, argument count) of every site read.
fn call_sites() -> Vec<(String, usize, String, usize)> {
    let forms: [(&str, &str); 3] = [("K::", ".fill(&["), ("K::", ".fill_in("), ("invalid(K::", ", &[")];
    let mut sites = Vec::new();
    for path in sources() {
        // The table's own tests give fewer values on purpose, to show a missing one stays visible.
        if path.ends_with("src/i18n.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let bytes = text.as_bytes();
        let shown = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(&path).display().to_string();
        for (prefix, after) in forms {
            let mut from = 0;
            while let Some(at) = text[from..].find(prefix) {
                let start = from + at + prefix.len();
                from = start;
                // `invalid(K::` also matches `K::`; the first form only looks at `.fill(&[`.
                if prefix == "K::" && start >= 11 && &text[start - 11..start] == "invalid(K::" {
                    continue;
                }
                let name_len = text[start..].find(|c: char| !c.is_ascii_alphanumeric() && c != '_').unwrap_or(0);
                let name = &text[start..start + name_len];
                if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_uppercase()) {
                    continue;
                }
                let rest = &text[start + name_len..];
                if !rest.starts_with(after) {
                    continue;
                }
                // The array: right after the form, or (fill_in) after the language argument.
                let open = if after == ".fill_in(" {
                    let Some(amp) = rest[after.len()..].find("&[") else { continue };
                    let between = &rest[after.len()..after.len() + amp];
                    if between.contains(['(', ')', '[', ']', ';']) || between.matches(',').count() != 1 {
                        continue;
                    }
                    start + name_len + after.len() + amp + 1
                } else {
                    start + name_len + after.len() - 1
                };
                if let Some(n) = count_elements(bytes, open) {
                    let line = text[..start].matches('\n').count() + 1;
                    sites.push((shown.clone(), line, name.to_string(), n));
                }
            }
        }
    }
    sites
}

#[test]
fn the_element_counter_reads_the_common_forms() {
    let count = |s: &str| count_elements(s.as_bytes(), s.find('[').unwrap());
    assert_eq!(count("[]"), Some(0));
    assert_eq!(count("[&a]"), Some(1));
    assert_eq!(count("[&a, &b]"), Some(2));
    assert_eq!(count("[&a, &b,]"), Some(2));
    assert_eq!(count("[&f(x, y), &v[1], &\"a, b\", &','.to_string()]"), Some(4));
    assert_eq!(count("[&xs.iter().map(|(a, b)| format!(\"{a}, {b}\")).collect::<Vec<_>>().join(\", \"), &n]"), Some(2));
    assert_eq!(count("[&parse::<HashMap<u8, u8>>(s), &n]"), Some(2));
    assert_eq!(count("[\n    &a,\n    &b,\n]"), Some(2));
    assert_eq!(count("[&a, &b"), None);
}

#[test]
fn every_call_site_passes_as_many_arguments_as_its_key_declares() {
    let keys: HashMap<&str, K> = K::ALL.iter().map(|k| (k.name(), *k)).collect();
    let sites = call_sites();
    // Hundreds of sites fill a message; reading only a few means the scan lost its way.
    assert!(sites.len() >= 200, "only {} call sites read", sites.len());
    let mut wrong = Vec::new();
    for (file, line, name, n) in &sites {
        let Some(k) = keys.get(name.as_str()) else {
            wrong.push(format!("{file}:{line}: K::{name} is not a key"));
            continue;
        };
        if k.args().len() != *n {
            wrong.push(format!("{file}:{line}: K::{name} declares ({}) but is given {n}", k.args().join(", ")));
        }
    }
    assert!(wrong.is_empty(), "call sites that do not fit their keys:\n{}", wrong.join("\n"));
}

#[test]
fn every_key_with_arguments_is_read_at_some_site() {
    // Keys filled only through a variable (`k.fill(...)`), which the scan cannot follow: the gaps
    // of a visit (src/service/visits.rs); and one no code uses today (the roster ignores unknown
    // columns, RosterIgnoredColumns, rather than refusing them).
    let through_a_variable = ["GapUnanswered", "GapFails", "GapPartly", "GapNotRechecked", "RosterUnknownColumn"];
    let sites = call_sites();
    let read: std::collections::HashSet<&str> = sites.iter().map(|s| s.2.as_str()).collect();
    let unread: Vec<&str> = K::ALL
        .iter()
        .filter(|k| !k.args().is_empty() && !read.contains(k.name()) && !through_a_variable.contains(&k.name()))
        .map(|k| k.name())
        .collect();
    assert!(unread.is_empty(), "keys with arguments that no site read fills (unused, or a form the scan misses): {unread:?}");
}
