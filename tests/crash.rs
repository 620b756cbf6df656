//! Crash test: a child process records verdicts in a loop, each flushed before it is
//! acknowledged on stdout, and is killed with SIGKILL at random moments. After every kill the
//! store must open, hold every acknowledged record whole, and keep an unbroken audit chain.
//!
//! This file has its own `main` (harness = false): run with `XUNCHA_CRASH_CHILD` set, the same
//! executable is the writer child.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rand::{RngExt, SeedableRng};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use xuncha::domain::{Id, Scope, Verdict};
use xuncha::service::{Session, demo, rounds, visits};
use xuncha::store::Store;
use xuncha::template::Catalog;

const CHILD: &str = "XUNCHA_CRASH_CHILD";
const KILLS: usize = 25;

fn note(i: u64) -> String {
    format!("第{i}条：会议记录缺少签到，书记说明情况")
}

fn session(dir: &Path) -> Session {
    Session::new(Store::open(dir).expect("the store opens after a crash"), "测试员")
}

/// The (org, item) slots the writer cycles through.
fn slots(s: &Session, round: Id) -> Vec<(String, String)> {
    let r = s.round(round).unwrap().unwrap();
    let t = xuncha::service::rounds::template_of(s, &r).unwrap();
    let mut out = Vec::new();
    for visit in s.visits(round).unwrap() {
        let org = &visit.org;
        let field = s.org(org).unwrap().unwrap().field;
        for (_, item) in t.items().filter(|(_, i)| i.applies_to(field)) {
            out.push((org.clone(), item.id.clone()));
        }
    }
    out
}

/// The child: write forever from `start`, printing each index once it is flushed.
fn writer(dir: &Path, round: Id, start: u64) {
    let s = session(dir);
    let slots = slots(&s, round);
    let verdicts = [Verdict::Meets, Verdict::Fails, Verdict::Partly, Verdict::NotApplicable];
    for i in start.. {
        let (org, item) = &slots[i as usize % slots.len()];
        visits::record_verdict(&s, round, org, item, Some(verdicts[i as usize % 4]), &note(i), false).unwrap();
        println!("{i}");
    }
}

fn main() {
    if let Ok(dir) = std::env::var(CHILD) {
        let round: Id = std::env::var("XUNCHA_CRASH_ROUND").unwrap().parse().unwrap();
        let start: u64 = std::env::var("XUNCHA_CRASH_START").unwrap().parse().unwrap();
        writer(Path::new(&dir), round, start);
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let round = {
        let s = session(dir);
        demo::fill(&s, 60, 5).unwrap();
        let branches: Vec<String> = s.orgs().unwrap().into_iter().filter(|o| o.members.is_some()).take(20).map(|o| o.code).collect();
        let cat = Catalog::load(&[]);
        let tpl = cat.get("dangzhibu").unwrap();
        let q = "2026Q4".parse().unwrap();
        rounds::create(&s, "崩溃测试批次", q, tpl, Scope::List, branches).unwrap().id
    };
    let seed: u64 = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    println!("crash test: seed {seed}");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut next: u64 = 0;
    let mut acked_total = 0usize;
    // slot -> the newest acknowledged index written to it
    let mut newest: HashMap<usize, u64> = HashMap::new();
    let all_slots = slots(&session(dir), round);
    let n_slots = all_slots.len();
    for kill in 1..=KILLS {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .env(CHILD, dir)
            .env("XUNCHA_CRASH_ROUND", round.to_string())
            .env("XUNCHA_CRASH_START", next.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(out).lines().map_while(Result::ok).filter_map(|l| l.parse::<u64>().ok()).collect::<Vec<_>>()
        });
        std::thread::sleep(Duration::from_millis(rng.random_range(20..400)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let acked = reader.join().unwrap();
        acked_total += acked.len();
        for i in &acked {
            newest.insert(*i as usize % n_slots, *i);
        }
        // An unacknowledged write may have landed too: start after it.
        next = acked.last().map_or(next, |i| i + 1) + 1;

        let s = session(dir);
        let mut checked = 0;
        for (slot, i) in &newest {
            let (org, item) = &all_slots[*slot];
            let r = s.result(round, org, item).unwrap().unwrap_or_else(|| panic!("kill {kill}: acknowledged write {i} is missing"));
            let stored: u64 = r.note.trim_start_matches('第').split('条').next().unwrap().parse().unwrap();
            assert!(stored >= *i, "kill {kill}: slot {slot} went back from {i} to {stored}");
            assert_eq!(r.note, note(stored), "kill {kill}: the note is whole");
            checked += 1;
        }
        let audit = s.raw_store().verify_audit().unwrap();
        assert!(audit.intact(), "kill {kill}: the audit chain is intact and covers the records: {audit:?}");
        // The aggregates landed in the same transactions as the records they sum.
        let kept = (s.round_summary(round).unwrap(), s.visit_summaries(round).unwrap());
        s.rebuild_summaries().unwrap();
        assert_eq!(kept, (s.round_summary(round).unwrap(), s.visit_summaries(round).unwrap()), "kill {kill}: summaries in step");
        println!("kill {kill:2}: {:4} acknowledged, {checked:4} slots checked, {} audit entries", acked.len(), audit.entries);
    }
    assert!(acked_total > KILLS, "the writer made progress ({acked_total} writes)");
    println!("crash test: {KILLS} kills, {acked_total} acknowledged writes, all present and whole");
    println!("1 passed, 0 failed");
}
