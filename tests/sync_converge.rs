//! Convergence on real stores: three laptops of one team (real sled stores in temp folders,
//! real keys, real bundle files) write verdicts and notes on the same visit at random and send
//! each other bundles at random; once everyone has sent everyone what they lack, the three hold
//! the same results, the same visit and the same conflicts. The merge's own property test
//! (`domain::sync`) covers more histories in memory; this one covers the store, the bundle file
//! and the signatures around it.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Folder;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::path::{Path, PathBuf};
use xuncha::domain::Verdict;
use xuncha::service::{Session, conflicts, rounds, sync, visits};

const NAMES: [&str; 3] = ["王明", "张三", "李四"];
const ORG: &str = "0101001001D1";
const ITEMS: [&str; 3] = ["C1.1", "C1.2", "C1.3"];

/// Three laptops made once through the binary: the leader's with the demo's organisations and
/// a round, two members admitted, all holding the leader's bundle. Each case copies them.
fn prepared() -> (Vec<Folder>, String) {
    {
        let f: Vec<Folder> = (0..3).map(|_| Folder::new()).collect();
        f[0].run_ok(&["demo", "--orgs", "50"]);
        f[0].run_ok(&["team", "init", "--name", NAMES[0], "--team", "督查一组"]);
        let round = common::new_round(&f[0], "2026Q4", "四季度");
        for i in 1..3 {
            let req = f[i].path("join.req");
            f[i].run_ok(&["team", "request", "--name", NAMES[i], "-o", req.to_str().unwrap()]);
            f[0].run_ok(&["team", "admit", req.to_str().unwrap(), "--role", "inspector"]);
        }
        let all = f[0].path("all.bundle");
        f[0].run_ok(&["bundle", "export", "-o", all.to_str().unwrap()]);
        for member in &f[1..] {
            member.run_ok(&["bundle", "import", all.to_str().unwrap()]);
        }
        (f, round)
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

struct Laptop {
    session: Session,
    keys: xuncha::identity::Keys,
}

#[derive(Debug, Clone)]
enum Step {
    Write { who: usize, item: usize, verdict: usize, note: usize },
    Send { from: usize, to: usize },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..3usize, 0..3usize, 0..3usize, 0..3usize).prop_map(|(who, item, verdict, note)| Step::Write { who, item, verdict, note }),
        (0..3usize, 0..3usize).prop_map(|(from, to)| Step::Send { from, to }),
    ]
}

fn send(laptops: &[Laptop], dir: &Path, from: usize, to: usize) {
    if from == to {
        return;
    }
    let file: PathBuf = dir.join(format!("{from}-{to}.bundle"));
    sync::export(&laptops[from].session, &laptops[from].keys, &file, Some(NAMES[to]), None).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    sync::import(&laptops[to].session, &laptops[to].keys, "b", &bytes).unwrap();
}

/// What a laptop holds of the visit: its results and visit as JSON, and its conflicts (id,
/// field, values).
type State = (String, String, Vec<(String, String, Vec<String>)>);

fn state(l: &Laptop, round: xuncha::domain::Id) -> State {
    let s = &l.session;
    let results = serde_json::to_string(&s.results(round, ORG).unwrap()).unwrap();
    let visit = serde_json::to_string(&s.visit(round, ORG).unwrap()).unwrap();
    let conflicts = conflicts::list(s)
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c.field, c.choices.iter().map(|x| conflicts::value_text(&x.value)).collect()))
        .collect();
    (results, visit, conflicts)
}

#[test]
fn three_stores_exchanging_bundles_converge() {
    let (folders, round) = prepared();
    let mut runner = TestRunner::new(Config { cases: 12, ..Config::default() });
    // Histories that ended in conflicts: the test must meet some, or it tests only the easy case.
    let with_conflicts = std::cell::Cell::new(0);
    let outcome = runner.run(&prop::collection::vec(step(), 1..14), |steps| {
        let tmp = tempfile::tempdir().unwrap();
        let laptops: Vec<Laptop> = folders
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let data = tmp.path().join(format!("data{i}"));
                copy_dir(&f.data(), &data);
                let keys = xuncha::identity::load_or_make(&f.config().join("laptop.key")).unwrap();
                Laptop { session: Session::open(&data, NAMES[i]).unwrap(), keys }
            })
            .collect();
        let round = rounds::find(&laptops[0].session, &round).unwrap().id;
        let verdicts = [Verdict::Meets, Verdict::Partly, Verdict::Fails];
        let notes = ["", "记录不全", "已整改"];
        for s in &steps {
            match *s {
                Step::Write { who, item, verdict, note } => {
                    visits::record_verdict(&laptops[who].session, round, ORG, ITEMS[item], Some(verdicts[verdict]), notes[note], false)
                        .unwrap();
                }
                Step::Send { from, to } => send(&laptops, tmp.path(), from, to),
            }
        }
        for _ in 0..2 {
            for from in 0..3 {
                for to in 0..3 {
                    send(&laptops, tmp.path(), from, to);
                }
            }
        }
        let first = state(&laptops[0], round);
        with_conflicts.set(with_conflicts.get() + usize::from(!first.2.is_empty()));
        for l in &laptops[1..] {
            if state(l, round) != first {
                return Err(TestCaseError::fail(format!("{:?} != {first:?}", state(l, round))));
            }
        }
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    println!("{} of 12 histories ended with conflicts, all converged", with_conflicts.get());
    assert!(with_conflicts.get() > 0, "no history made a conflict");
}
