//! A kill during a bundle import loses nothing and a rerun completes it: the import of a
//! district's two used rounds is killed (SIGKILL) at growing moments until a run finishes; then
//! the killed laptop holds exactly what a laptop that imported the same bundle in one go holds,
//! and its audit chain is intact.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Folder;
use std::time::Duration;

fn admit(leader: &Folder, member: &Folder, name: &str) {
    let req = member.path("join.req");
    member.run_ok(&["team", "request", "--name", name, "-o", req.to_str().unwrap()]);
    leader.run_ok(&["team", "admit", req.to_str().unwrap(), "--role", "inspector"]);
}

/// What a laptop holds, as its exports say it.
fn held(f: &Folder) -> (String, String, String) {
    let list = f.path("list.csv");
    f.run_ok(&["export", "rectification", "--format", "csv", "-o", list.to_str().unwrap()]);
    (
        std::fs::read_to_string(list).unwrap(),
        f.run_ok(&["round", "list", "--format", "json"]),
        f.run_ok(&["org", "list", "--format", "json"]),
    )
}

#[test]
fn an_import_killed_anywhere_completes_when_run_again() {
    let leader = Folder::new();
    leader.run_ok(&["demo", "--orgs", "300", "--visited", "0.8"]);
    leader.run_ok(&["team", "init", "--name", "王明", "--team", "督查一组"]);
    let (killed, whole) = (Folder::new(), Folder::new());
    admit(&leader, &killed, "张三");
    admit(&leader, &whole, "李四");
    let bundle = leader.path("all.bundle");
    leader.run_ok(&["bundle", "export", "-o", bundle.to_str().unwrap()]);
    whole.run_ok(&["bundle", "import", bundle.to_str().unwrap()]);

    let mut kills = 0;
    let mut delay = 20u64;
    loop {
        let mut child = killed.command().args(["bundle", "import", bundle.to_str().unwrap()]).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        if child.try_wait().unwrap().is_some() {
            break;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
        delay = delay * 8 / 5;
        assert!(kills < 100, "the import never finished");
    }
    assert!(kills > 0, "the import was killed at least once");
    let again = killed.run_ok(&["bundle", "import", bundle.to_str().unwrap()]);
    assert!(again.contains("应用 0 条变更"), "everything landed: {again}");
    assert_eq!(held(&killed), held(&whole), "after {kills} kills the same data as an import in one go");
    let verify = killed.run(&["audit", "verify"]);
    assert_eq!(verify.code, 0, "{}{}", verify.stdout, verify.stderr);
    println!("bundle import killed {kills} times, then complete");
}
