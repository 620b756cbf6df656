//! The entry counts meta keeps: after creates, updates, deletes, a fill, a restore, a migration
//! and a commit killed at random moments, `count` equals the trees counted entry by entry.

use super::keys::hex;
use super::*;
use crate::domain::{Field, Level};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn org(code: &str, parent: Option<&str>, members: u32) -> Org {
    Org {
        level_word: None,
        code: code.into(),
        name: format!("{code}党支部"),
        parent: parent.map(Into::into),
        level: if parent.is_some() { Level::Branch } else { Level::City },
        field: parent.map(|_| Field::Government),
        secretary: "王芳".into(),
        members: Some(members),
    }
}

fn commit(s: &Store, writes: Vec<Write>) -> usize {
    s.commit("测试员", Commit::new("test", Value::Null, writes)).unwrap()
}

/// Every counted tree: its count, and that it agrees with the tree counted entry by entry.
fn counts(s: &Store) -> Vec<(&'static str, usize)> {
    assert_eq!(s.count_mismatches().unwrap(), vec![], "kept counts differ from the trees");
    Table::ALL.into_iter().filter(|t| t.counted() && s.count(*t) > 0).map(|t| (t.name(), s.count(t))).collect()
}

#[test]
fn counts_follow_creates_updates_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(counts(&s), vec![]);
    commit(&s, vec![Write::put(&org("A", None, 1)), Write::put(&org("A1", Some("A"), 1)), Write::put(&org("A2", Some("A"), 1))]);
    assert_eq!(counts(&s), vec![("orgs", 3), ("org_children", 3), ("audit", 1)]);
    // An update keeps the count; a move replaces an index entry; an unchanged write is nothing.
    commit(&s, vec![Write::put(&org("A1", Some("A"), 9)), Write::put(&org("A2", Some("A1"), 1))]);
    assert_eq!(counts(&s), vec![("orgs", 3), ("org_children", 3), ("audit", 2)]);
    commit(&s, vec![Write::put(&org("A1", Some("A"), 9))]);
    assert_eq!(counts(&s), vec![("orgs", 3), ("org_children", 3), ("audit", 2)]);
    // The same record twice in one commit, and a delete.
    commit(&s, vec![Write::put(&org("B", None, 1)), Write::put(&org("B", None, 2)), Write::delete(&org("A2", Some("A1"), 1))]);
    assert_eq!(counts(&s), vec![("orgs", 3), ("org_children", 3), ("audit", 3)]);
    // Deleting what is not there changes nothing.
    commit(&s, vec![Write::delete(&org("Z", None, 1))]);
    assert_eq!(counts(&s), vec![("orgs", 3), ("org_children", 3), ("audit", 3)]);
    drop(s);
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(counts(&s), vec![("orgs", 3), ("org_children", 3), ("audit", 3)]);
    // Meta and drafts are counted entry by entry.
    s.save_draft("d", &serde_json::json!(1)).unwrap();
    assert_eq!(s.count(Table::Drafts), 1);
    assert_eq!(s.count(Table::Meta), s.tree(Table::Meta).len());
}

#[test]
fn counts_follow_a_fill_in_parts_and_a_restore() {
    let a = tempfile::tempdir().unwrap();
    let s = crate::service::Session::new(Store::open(a.path()).unwrap(), "测试员");
    crate::service::demo::fill(&s, 12_500, 3).unwrap();
    let filled = counts(s.raw_store());
    assert_eq!(filled, vec![("orgs", 12_500), ("org_children", 12_500), ("audit", 2)], "two parts, two entries");
    let mut backup = Vec::new();
    s.raw_store().backup(&mut backup).unwrap();
    // A backup's counts are derived data: wrong ones are not a reason to refuse it, and the
    // restore writes the counts of what it wrote.
    let text = String::from_utf8(backup).unwrap();
    let key = hex(b"count/orgs");
    let wrong: String = text
        .lines()
        .map(|l| if l.contains(&format!("\"k\":\"{key}\"")) { l.replace("12500", "7") } else { l.to_string() } + "\n")
        .collect();
    assert_ne!(wrong, text);
    let b = tempfile::tempdir().unwrap();
    let mut t = Store::open(b.path()).unwrap();
    t.restore("b.jsonl", &mut wrong.as_bytes()).unwrap();
    assert_eq!(counts(&t), filled);
    // A backup without counts (as schema 2 wrote them) too.
    let without: String = text.lines().filter(|l| !l.contains(&format!("\"k\":\"{}", hex(b"count/")))).map(|l| format!("{l}\n")).collect();
    let without =
        without.replace(&format!("\"records\":{}", text.lines().count() - 2), &format!("\"records\":{}", without.lines().count() - 2));
    let c = tempfile::tempdir().unwrap();
    let mut u = Store::open(c.path()).unwrap();
    u.restore("c.jsonl", &mut without.as_bytes()).unwrap();
    assert_eq!(counts(&u), filled);
}

#[test]
fn a_schema_2_store_is_counted_once_when_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let expected = {
        let s = Store::open(dir.path()).unwrap();
        commit(&s, vec![Write::put(&org("A", None, 1)), Write::put(&org("A1", Some("A"), 1))]);
        commit(&s, vec![Write::put(&org("A1", Some("A"), 2))]);
        let expected = counts(&s);
        // What schema 2 had: no counts.
        for t in Table::ALL {
            s.tree(Table::Meta).remove(count_key(t)).unwrap();
        }
        s.tree(Table::Meta).insert(META_SCHEMA, b"2".as_slice()).unwrap();
        s.db.flush().unwrap();
        expected
    };
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(counts(&s), expected);
    let schema: u32 = serde_json::from_slice(&s.tree(Table::Meta).get(META_SCHEMA).unwrap().unwrap()).unwrap();
    assert_eq!(schema, SCHEMA_VERSION);
}

#[test]
fn an_unreadable_count_is_counted_entry_by_entry() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    commit(&s, vec![Write::put(&org("A", None, 1))]);
    s.tree(Table::Meta).insert(count_key(Table::Orgs), b"garbage".as_slice()).unwrap();
    assert_eq!(s.count(Table::Orgs), 1);
    commit(&s, vec![Write::put(&org("B", None, 1))]);
    assert_eq!(s.count(Table::Orgs), 2);
    assert_eq!(s.count_mismatches().unwrap(), vec![]);
    // A count written behind xuncha's back is reported, not trusted silently.
    s.tree(Table::Meta).insert(count_key(Table::Orgs), b"5".as_slice()).unwrap();
    assert_eq!(s.count_mismatches().unwrap(), vec![(Table::Orgs, 5, 2)]);
}

const CHILD: &str = "XUNCHA_COUNT_KILL_CHILD";

/// The writer of `counts_agree_after_commits_killed_at_random_moments`, which runs itself again as
/// a child process (with `CHILD` set) to be this: commits forever, each creating one
/// organisation, updating another and deleting a third, and says so on stdout once flushed.
fn write_until_killed(dir: &str) -> ! {
    let s = Store::open(Path::new(dir)).unwrap();
    let start = s.count(Table::Audit) as u32;
    for i in start.. {
        let mut writes = vec![Write::put(&org(&format!("O{i:06}"), Some("P"), i))];
        if i >= 1 {
            writes.push(Write::put(&org(&format!("O{:06}", i - 1), Some("Q"), i)));
        }
        if i >= 3 && i % 3 == 0 {
            writes.push(Write::delete(&org(&format!("O{:06}", i - 3), Some("Q"), i - 2)));
        }
        s.commit("测试员", Commit::new("test", Value::Null, writes)).unwrap();
        println!("committed {i}");
    }
    unreachable!("the writer is killed")
}

#[test]
#[cfg(unix)]
fn counts_agree_after_commits_killed_at_random_moments() {
    if let Ok(dir) = std::env::var(CHILD) {
        write_until_killed(&dir);
    }
    let dir = tempfile::tempdir().unwrap();
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos() as u64;
    let mut next = seed | 1;
    let mut random = move |n: u64| {
        next ^= next << 13;
        next ^= next >> 7;
        next ^= next << 17;
        next % n
    };
    let mut committed = 0u64;
    for kill in 0..12 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "store::count_tests::counts_agree_after_commits_killed_at_random_moments", "--nocapture", "--test-threads=1"])
            .env(CHILD, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Kill after a random number of acknowledged commits, a random moment into the next one.
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let wait = 1 + random(20);
        let mut seen = 0;
        for line in lines {
            if line.unwrap().starts_with("committed ") {
                seen += 1;
                if seen == wait {
                    break;
                }
            }
        }
        assert_eq!(seen, wait, "seed {seed}, kill {kill}: the child stopped early");
        std::thread::sleep(std::time::Duration::from_micros(random(3_000)));
        child.kill().unwrap();
        child.wait().unwrap();
        committed += seen;
        let s = Store::open(dir.path()).unwrap_or_else(|e| panic!("seed {seed}, kill {kill}: {e}"));
        assert_eq!(s.count_mismatches().unwrap(), vec![], "seed {seed}, kill {kill}");
        assert!(s.count(Table::Audit) as u64 >= committed, "seed {seed}, kill {kill}: every acknowledged commit is kept");
        assert!(s.verify_audit().unwrap().intact(), "seed {seed}, kill {kill}");
    }
}
