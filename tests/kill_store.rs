//! Kill tests of the store outside ordinary commits (tests/crash.rs covers those):
//!
//! 1. Opening and closing. A child process opens the store, writes a draft, closes it, and again,
//!    in a loop, and is killed with SIGKILL after a random delay: while sled creates its files,
//!    recovers, writes `snap.*.generating`, flushes on close, or while xuncha writes the folder's
//!    identity. After every kill the store must open (never refused as damaged) and hold
//!    everything it held before, whole. Some runs start from an empty folder, some from a store
//!    with data; some kill the real binary (`xuncha status`) instead of the test child.
//! 2. Filling an empty folder: `xuncha demo --orgs 20000` and `xuncha restore` killed at random
//!    moments. Each run leaves the whole result or the empty folder it started from (same laptop
//!    id), which opens and accepts the fill again.
//!
//! This file has its own `main` (harness = false): run with `XUNCHA_KILL_CHILD` set, the same
//! executable is the child of part 1.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rand::{RngExt, SeedableRng};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use xuncha::domain::{Scope, Verdict};
use xuncha::service::{Session, demo, rounds, visits};
use xuncha::store::Store;
use xuncha::template::Catalog;

const CHILD: &str = "XUNCHA_KILL_CHILD";
const START: &str = "XUNCHA_KILL_START";
const KILLS_EMPTY: usize = 100;
const KILLS_DATA: usize = 100;
const KILLS_BINARY: usize = 20;
const KILLS_DEMO: usize = 10;
const KILLS_RESTORE: usize = 10;
const DEMO_ORGS: &str = "20000";
/// The restored backup: more organisations than one restore batch (10,000).
const BACKUP_ORGS: usize = 12_000;

/// The child: open (saying so), write a draft (so the next open has log to recover and a
/// snapshot to write), close; print the draft's number once the store is closed.
fn child(dir: &Path, start: u64) {
    for n in start.. {
        println!("open");
        let store = Store::open(dir).unwrap_or_else(|e| panic!("child open: {e}"));
        store.save_draft("kill-test", &serde_json::json!(n)).unwrap();
        drop(store);
        println!("{n}");
    }
}

/// What the child said before it was killed.
#[derive(Default)]
struct Said {
    opens: usize,
    acked: Vec<u64>,
}

/// Every stored entry but the drafts, as backup lines: equal text means equal data.
fn records(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    store.backup(&mut out).unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("{\"t\":") && !l.starts_with("{\"t\":\"drafts\""))
        .map(String::from)
        .collect()
}

/// The folder's files with their sizes, for a failure message.
fn listing(dir: &Path) -> String {
    let mut out = Vec::new();
    for sub in [dir.to_path_buf(), dir.join("db"), dir.join("db").join("blobs")] {
        for e in std::fs::read_dir(&sub).into_iter().flatten().flatten() {
            let len = e.metadata().map(|m| m.len()).unwrap_or(0);
            out.push(format!("{} ({len} bytes)", e.path().strip_prefix(dir).unwrap_or(&e.path()).display()));
        }
    }
    out.sort();
    out.join(", ")
}

fn open(dir: &Path, what: &str) -> Store {
    Store::open(dir).unwrap_or_else(|e| panic!("{what}: the store must open after a kill, got: {e}\nthe folder holds: {}", listing(dir)))
}

fn draft(store: &Store) -> Option<u64> {
    store.drafts().unwrap().into_iter().find(|(k, _)| k == "kill-test").and_then(|(_, v)| v.as_u64())
}

fn binary(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_xuncha"));
    c.arg("--data-dir").arg(dir).args(args).env("XUNCHA_CONFIG_DIR", dir.with_extension("config")).env("XUNCHA_INSPECTOR", "测试员");
    c
}

fn test_child(dir: &Path, start: u64) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.env(CHILD, dir).env(START, start.to_string());
    c
}

/// Runs `cmd`, kills it (SIGKILL) after `delay`; returns what it said.
fn run_and_kill(mut cmd: Command, delay: Duration) -> Said {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut said = Said::default();
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            match line.parse::<u64>() {
                Ok(n) => said.acked.push(n),
                Err(_) if line == "open" => said.opens += 1,
                Err(_) => {}
            }
        }
        said
    });
    std::thread::sleep(delay);
    let _ = child.kill(); // it may have finished already
    child.wait().unwrap();
    reader.join().unwrap()
}

/// How long `cmd` takes to print its first `lines` lines, the median of `runs` runs: the kills
/// are spread over that window, measured on this machine now.
fn time_to(runs: usize, make: impl Fn() -> Command, lines: usize) -> Duration {
    let mut runs: Vec<Duration> = (0..runs)
        .map(|_| {
            let begun = Instant::now();
            let mut child = make().stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
            let seen = BufReader::new(child.stdout.take().unwrap()).lines().take(lines).count();
            let took = begun.elapsed();
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            assert_eq!(seen, lines, "the calibration run printed its lines: {}", String::from_utf8_lossy(&out.stderr));
            took
        })
        .collect();
    runs.sort();
    runs[runs.len() / 2]
}

fn micros(d: Duration) -> u64 {
    d.as_micros() as u64
}

/// Part 1, from an empty folder: most kills land while sled creates its files or xuncha the
/// identity.
fn open_close_from_empty(rng: &mut impl RngExt) {
    let probe = tempfile::tempdir().unwrap();
    let n = std::cell::Cell::new(0);
    let first = time_to(
        3,
        || {
            n.set(n.get() + 1);
            test_child(&probe.path().join(format!("d{}", n.get())), 0)
        },
        2,
    );
    let (mut during_first_open, mut after) = (0, 0);
    for kill in 1..=KILLS_EMPTY {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        let said = run_and_kill(test_child(&dir, 0), Duration::from_micros(rng.random_range(micros(first) / 3..micros(first) * 3 / 2)));
        during_first_open += usize::from(said.opens == 1 && said.acked.is_empty());
        after += usize::from(!said.acked.is_empty());
        let store = open(&dir, &format!("empty folder, kill {kill}"));
        assert!(store.is_empty().unwrap(), "empty folder, kill {kill}: nothing but meta");
        if let Some(last) = said.acked.last() {
            let kept = draft(&store);
            assert!(kept.is_some_and(|n| n >= *last), "empty folder, kill {kill}: draft {last} was acknowledged, found {kept:?}");
        }
    }
    println!(
        "{KILLS_EMPTY} kills from an empty folder (first open and close {first:?}): {during_first_open} during the first open, \
         {after} after at least one whole open and close"
    );
}

/// Part 1 on a store with data.
fn open_close_with_data(rng: &mut impl RngExt) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    {
        let s = Session::new(open(&dir, "setup"), "测试员");
        demo::fill(&s, 300, 3).unwrap();
        let branches: Vec<String> = s.orgs().unwrap().into_iter().filter(|o| o.members.is_some()).take(5).map(|o| o.code).collect();
        let cat = Catalog::load(&[]);
        let tpl = cat.get("dangzhibu").unwrap();
        let round = rounds::create(&s, "杀进程测试", "2026Q4".parse().unwrap(), tpl, Scope::List, branches.clone()).unwrap().id;
        for (i, org) in branches.iter().enumerate() {
            visits::record_verdict(&s, round, org, "C1.1", Some(Verdict::Fails), &format!("第{i}条说明"), false).unwrap();
        }
    }
    let before = records(&open(&dir, "setup"));
    let first = time_to(3, || test_child(&dir, 0), 2);
    let each = (time_to(3, || test_child(&dir, 0), 12).saturating_sub(first)) / 10;
    let status = time_to(3, || binary(&dir, &["status"]), 1);
    let mut last_draft: Option<u64> = None;
    for kill in 1..=KILLS_DATA + KILLS_BINARY {
        // An unacknowledged draft may have landed too: start after it.
        let start = last_draft.map_or(1000, |n| n + 2);
        let said = if kill > KILLS_DATA {
            run_and_kill(binary(&dir, &["status"]), Duration::from_micros(rng.random_range(micros(status) / 3..micros(status) * 3 / 2)))
        } else {
            let window = micros(first) / 3..micros(first + each * 4);
            run_and_kill(test_child(&dir, start), Duration::from_micros(rng.random_range(window)))
        };
        let store = open(&dir, &format!("store with data, kill {kill}"));
        let after = records(&store);
        let differs = before.iter().zip(&after).find(|(a, b)| a != b);
        assert!(
            after.len() == before.len() && differs.is_none(),
            "store with data, kill {kill}: {} records of {}, first difference {differs:?}",
            after.len(),
            before.len()
        );
        let audit = store.verify_audit().unwrap();
        assert!(audit.intact(), "store with data, kill {kill}: the audit chain and the records verify: {audit:?}");
        if let Some(last) = said.acked.last() {
            last_draft = Some(*last);
        }
        if let Some(last) = last_draft {
            let kept = draft(&store);
            assert!(kept.is_some_and(|n| n >= last), "store with data, kill {kill}: draft {last} was acknowledged, found {kept:?}");
        }
    }
    println!(
        "{} kills of a store with data (first open and close {first:?}, then {each:?} each; {KILLS_BINARY} kills of `xuncha status`, \
         which takes {status:?})",
        KILLS_DATA + KILLS_BINARY
    );
}

/// Whether the kill cut the fill off while it was writing: the fill's marker is in the database,
/// seen with sled itself before xuncha opens (and wipes) the folder.
fn cut_mid_fill(dir: &Path) -> bool {
    let Ok(db) = sled::Config::new().path(dir.join("db")).open() else { return false };
    db.open_tree("meta").and_then(|meta| meta.contains_key("filling")).unwrap_or(false)
}

/// Part 2: kills `fill` (a command on the folder) at random moments of its run. After each kill the
/// folder holds the whole result (checked by `is_whole`) or is the empty folder it was, with the
/// same laptop id; a whole folder is set aside and the next kill starts on a new empty one.
fn fill_killed(
    name: &str,
    kills: usize,
    rng: &mut impl RngExt,
    fill: &dyn Fn(&Path) -> Command,
    is_whole: &dyn Fn(&Store) -> Result<(), String>,
) {
    let tmp = tempfile::tempdir().unwrap();
    let folders = std::cell::Cell::new(0);
    let new_folder = || {
        folders.set(folders.get() + 1);
        let dir = tmp.path().join(format!("data{}", folders.get()));
        let laptop = open(&dir, "a new folder").laptop();
        (dir, laptop)
    };
    let took = time_to(1, || fill(&new_folder().0), 1);
    let (mut dir, mut laptop) = new_folder();
    let (mut empty, mut cut, mut whole) = (0, 0, 0);
    for kill in 1..=kills {
        // Every other kill in the second half, where the writing is (reading and checking come first).
        let from = if kill % 2 == 0 { micros(took) / 2 } else { 0 };
        run_and_kill(fill(&dir), Duration::from_micros(rng.random_range(from..micros(took) * 11 / 10)));
        let was_cut = cut_mid_fill(&dir);
        let store = open(&dir, &format!("{name}, kill {kill}"));
        if store.is_empty().unwrap() {
            assert_eq!(store.laptop(), laptop, "{name}, kill {kill}: the empty folder keeps its laptop id");
            assert!(store.drafts().unwrap().is_empty(), "{name}, kill {kill}: nothing of the fill is left");
            empty += 1;
            cut += usize::from(was_cut);
        } else {
            is_whole(&store).unwrap_or_else(|e| panic!("{name}, kill {kill}: neither empty nor whole: {e}"));
            let audit = store.verify_audit().unwrap();
            assert!(audit.intact(), "{name}, kill {kill}: {audit:?}");
            whole += 1;
            drop(store);
            (dir, laptop) = new_folder();
        }
    }
    // The last folder accepts the fill to the end.
    let out = fill(&dir).output().unwrap();
    assert!(out.status.success(), "{name}: the fill runs on the folder a kill left: {}", String::from_utf8_lossy(&out.stderr));
    is_whole(&open(&dir, name)).unwrap();
    println!(
        "{kills} kills of {name} (an uninterrupted run takes {took:?}): {empty} left the empty folder ({cut} of them cut off while \
         writing, wiped back at the next open), {whole} the whole result"
    );
}

fn fills(rng: &mut impl RngExt) {
    let expected: Vec<_> = xuncha::demo::generate(DEMO_ORGS.parse().unwrap(), 7);
    let demo_whole = |store: &Store| -> Result<(), String> {
        let orgs = store.orgs().map_err(|e| e.to_string())?;
        let mut want = expected.clone();
        want.sort_by(|a, b| a.code.cmp(&b.code));
        if orgs != want {
            return Err(format!("{} organisations of {}", orgs.len(), want.len()));
        }
        Ok(())
    };
    fill_killed("demo --orgs 20000", KILLS_DEMO, rng, &|dir| binary(dir, &["demo", "--orgs", DEMO_ORGS, "--seed", "7"]), &demo_whole);

    // A backup of a store with organisations, a round and verdicts.
    let src = tempfile::tempdir().unwrap();
    let dir = src.path().join("data");
    {
        let s = Session::new(open(&dir, "setup"), "测试员");
        demo::fill(&s, BACKUP_ORGS, 7).unwrap();
        let branches: Vec<String> = s.orgs().unwrap().into_iter().filter(|o| o.members.is_some()).take(40).map(|o| o.code).collect();
        let cat = Catalog::load(&[]);
        let tpl = cat.get("dangzhibu").unwrap();
        let round = rounds::create(&s, "恢复测试", "2026Q4".parse().unwrap(), tpl, Scope::List, branches.clone()).unwrap().id;
        for org in &branches {
            visits::record_verdict(&s, round, org, "C1.2", Some(Verdict::Partly), "支委会委员仅2人", false).unwrap();
        }
    }
    let file = src.path().join("backup.jsonl");
    let out = binary(&dir, &["backup", file.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let original = records(&open(&dir, "the backed-up store"));
    let restore_whole = |store: &Store| -> Result<(), String> {
        let got = records(store);
        match original.iter().zip(&got).find(|(a, b)| a != b) {
            _ if got.len() != original.len() => Err(format!("{} entries of {}", got.len(), original.len())),
            Some((a, b)) => Err(format!("{a} became {b}")),
            None => Ok(()),
        }
    };
    let restore = |dir: &Path| binary(dir, &["restore", file.to_str().unwrap()]);
    fill_killed("restore", KILLS_RESTORE, rng, &restore, &restore_whole);
}

fn main() {
    if let Ok(dir) = std::env::var(CHILD) {
        let start = std::env::var(START).ok().and_then(|s| s.parse().ok()).unwrap_or(0);
        child(Path::new(&dir), start);
        return;
    }
    let seed: u64 = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    println!("kill test of the store: seed {seed}");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let started = Instant::now();
    let phase = Instant::now();
    open_close_from_empty(&mut rng);
    println!("  ({:.1} s)", phase.elapsed().as_secs_f64());
    let phase = Instant::now();
    open_close_with_data(&mut rng);
    println!("  ({:.1} s)", phase.elapsed().as_secs_f64());
    let phase = Instant::now();
    fills(&mut rng);
    println!("  ({:.1} s)", phase.elapsed().as_secs_f64());
    let kills = KILLS_EMPTY + KILLS_DATA + KILLS_BINARY + KILLS_DEMO + KILLS_RESTORE;
    println!("kill test: {kills} kills in {:.1} s", started.elapsed().as_secs_f64());
    println!("1 passed, 0 failed");
}
