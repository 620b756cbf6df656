//! The fuzz targets' inputs on the stable toolchain: every seed (`fuzz/seeds/TARGET/`) and every
//! input a fuzzer once crashed on (`fuzz/regressions/TARGET/`, minimised) is fed to the same
//! function the fuzz target calls (`fuzz/src/lib.rs`, included here by path), which must return
//! (the parser saying Ok or Err) without panicking and within the memory the fuzzers are given.
//! See docs/fuzzing.md.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// Reads the OS's resource usage (getrusage, wait4) through libc.
#![allow(unsafe_code)]

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod targets;

use std::path::{Path, PathBuf};
use std::time::Instant;

/// The fuzzers run with -rss_limit_mb=1024; the inputs they found must stay below it here too.
const MEMORY_MB: f64 = 1024.0;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files directly in `dir`, in name order; none when it does not exist.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

/// The peak resident memory of this test process, in MB.
#[cfg(unix)]
fn peak_rss_mb() -> f64 {
    // SAFETY: rusage is plain data that getrusage fills for this process.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) }, 0);
    // Linux reports kilobytes, macOS bytes.
    if cfg!(target_os = "macos") { usage.ru_maxrss as f64 / 1048576.0 } else { usage.ru_maxrss as f64 / 1024.0 }
}

/// Feeds every seed and regression input of `target` to its function; reports each file that
/// panicked, and prints each file's size and time (measurements, not limits).
fn replay(target: &str) {
    let run = targets::TARGETS.iter().find(|(name, _)| *name == target).unwrap_or_else(|| panic!("no fuzz target {target}")).1;
    let seeds = files_in(&fuzz_dir().join("seeds").join(target));
    assert!(!seeds.is_empty(), "fuzz/seeds/{target}/ has no seed");
    let regressions = files_in(&fuzz_dir().join("regressions").join(target));
    let mut panicked = Vec::new();
    for file in seeds.iter().chain(&regressions) {
        let bytes = std::fs::read(file).unwrap();
        let start = Instant::now();
        let outcome = std::panic::catch_unwind(|| run(&bytes));
        let name = file.strip_prefix(fuzz_dir()).unwrap().display().to_string();
        println!(
            "{name}: {} bytes, {:.3} ms{}",
            bytes.len(),
            start.elapsed().as_secs_f64() * 1000.0,
            if outcome.is_err() { ", PANICKED" } else { "" }
        );
        if outcome.is_err() {
            panicked.push(name);
        }
    }
    println!("{target}: {} seeds, {} regression inputs", seeds.len(), regressions.len());
    assert!(panicked.is_empty(), "{target} panicked on {panicked:?}");
    #[cfg(unix)]
    {
        let peak = peak_rss_mb();
        println!("peak memory of the test process so far: {peak:.1} MB");
        assert!(peak < MEMORY_MB, "{target}: the test process reached {peak:.1} MB");
    }
}

#[test]
fn template() {
    replay("template");
}

#[test]
fn roster_csv() {
    replay("roster_csv");
}

#[test]
fn roster_xlsx() {
    replay("roster_xlsx");
}

#[test]
fn sheet() {
    replay("sheet");
}

#[test]
fn followup() {
    replay("followup");
}

#[test]
fn keymap() {
    replay("keymap");
}

#[test]
fn config() {
    replay("config");
}

#[test]
fn notes() {
    replay("notes");
}

#[test]
fn backup() {
    replay("backup");
}

#[test]
fn join_request() {
    replay("join_request");
}

#[test]
fn bundle() {
    replay("bundle");
}

#[test]
fn pgpass() {
    replay("pgpass");
}

#[test]
fn evidence() {
    replay("evidence");
}

/// A target added to `TARGETS` is replayed here too, has its fuzz binary, and every folder of
/// inputs belongs to a target: a misspelt folder would otherwise be skipped without a word.
#[test]
fn every_target_is_replayed_and_built_and_every_folder_is_a_target() {
    let this = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions.rs")).unwrap();
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    let names: Vec<&str> = targets::TARGETS.iter().map(|(name, _)| *name).collect();
    for name in &names {
        assert!(this.contains(&format!("replay(\"{name}\")")), "tests/fuzz_regressions.rs does not replay {name}");
        assert!(manifest.contains(&format!("name = \"{name}\"")), "fuzz/Cargo.toml has no [[bin]] {name}");
        let binary = std::fs::read_to_string(fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"))).unwrap();
        assert!(binary.contains(&format!("xuncha_fuzz::{name}(data)")), "fuzz_targets/{name}.rs does not call xuncha_fuzz::{name}");
    }
    for folder in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz_dir().join(folder)) else { continue };
        for entry in entries {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(names.contains(&name.as_str()), "fuzz/{folder}/{name} is not a fuzz target ({names:?})");
        }
    }
}

/// The workbook the XLSX target builds from a seed is one the reader accepts, so the fuzzer
/// starts inside the format rather than at its door.
#[test]
fn the_xlsx_target_builds_readable_workbooks() {
    for seed in files_in(&fuzz_dir().join("seeds/roster_xlsx")) {
        let book = targets::xlsx_from_parts(&std::fs::read(&seed).unwrap()).unwrap();
        let rows = xuncha::tabular::read_rows(xuncha::tabular::FileKind::Roster, "seed", &book, &Default::default());
        let rows = rows.unwrap_or_else(|e| panic!("{}: {e}", seed.display()));
        println!("{}: {} rows", seed.display(), rows.len());
        assert!(rows.len() >= 3, "{}: {rows:?}", seed.display());
        assert!(rows[0].1.iter().any(|h| h == "编码" || h == "code"), "{}: {:?}", seed.display(), rows[0]);
    }
}
