//! The house rules, checked on the source: the service is the only door to the data. Screens
//! (tui), documents (report) and the command line (cli) name neither the store nor sled; the domain
//! names nothing that does I/O; reports know nothing of screens or the command line.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

fn sources(dir: &str) -> Vec<PathBuf> {
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
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir), &mut out);
    assert!(!out.is_empty(), "no sources under src/{dir}");
    out
}

/// Code only: comments (`//`, `//!`, `///`) dropped, so prose may speak of the store.
fn code(path: &Path) -> Vec<(usize, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split("//").next().unwrap_or("").to_string()))
        .collect()
}

/// Every line of `dirs` that holds one of `banned`, as "file:line: text".
fn offences(dirs: &[&str], banned: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for dir in dirs {
        for file in sources(dir) {
            for (n, line) in code(&file) {
                if let Some(b) = banned.iter().find(|b| line.contains(*b)) {
                    out.push(format!("{}:{n}: {b}: {}", file.display(), line.trim()));
                }
            }
        }
    }
    out
}

#[test]
fn screens_reports_and_the_command_line_never_name_the_store() {
    let found = offences(&["tui", "report", "cli"], &["crate::store", "store::", "Store", "raw_store", "sled"]);
    assert!(found.is_empty(), "the service is the only door:\n{}", found.join("\n"));
}

#[test]
fn the_domain_does_no_io_and_names_no_layer_above_it() {
    let found = offences(
        &["domain"],
        &["crate::store", "crate::service", "crate::report", "crate::tui", "crate::cli", "std::fs", "sled", "Utc::now", "Local::now"],
    );
    assert!(found.is_empty(), "the domain is pure:\n{}", found.join("\n"));
}

#[test]
fn reports_know_nothing_of_screens_or_the_command_line() {
    let found = offences(&["report"], &["crate::tui", "crate::cli", "std::fs", "Utc::now", "Local::now"]);
    assert!(found.is_empty(), "reports are functions from a snapshot to documents:\n{}", found.join("\n"));
}

#[test]
fn no_service_reads_the_system_clock() {
    // Services take "now" from the session's clock (tests fix it; the CLI has a hidden --now).
    let found = offences(&["service"], &["Utc::now", "Local::now", "SystemTime::now"]);
    assert!(found.is_empty(), "time is a parameter:\n{}", found.join("\n"));
}

#[test]
fn the_check_sees_a_violation() {
    // The scanner itself: a line naming the store is found, a comment is not.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.rs");
    std::fs::write(&f, "// the store is fine here\nlet s = crate::store::Store::open(p);\n").unwrap();
    let lines = code(&f);
    assert!(!lines[0].1.contains("store"));
    assert!(lines[1].1.contains("crate::store"));
}
