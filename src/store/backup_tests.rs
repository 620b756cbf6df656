//! Backup tests on a real sled database in a temporary folder: a backup is checked whole before
//! anything is written, each kind of damage is refused naming its line, and damage at random is
//! refused or changes nothing that matters. Beside `integrity_tests`, whose populated store they
//! back up; they edit a backup's lines by hand, which only the store's tests may do.

use super::integrity_tests::{demo_org, populated};
use super::*;
use crate::i18n::K;
use crate::store::keys::hex;
use serde_json::json;
use std::collections::HashMap;

/// A backup's lines as JSON values, to damage and write back (with a true end count). Lines left
/// alone are written back as they were read: a value re-serialised could order its keys
/// differently, and its bytes are what the audit log hashes.
struct Lines(Vec<Value>, std::rc::Rc<HashMap<String, String>>);

impl Lines {
    fn of(s: &Store) -> Lines {
        let mut out = Vec::new();
        s.backup(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let values: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let originals = values.iter().zip(text.lines()).map(|(v, l)| (v.to_string(), l.to_string())).collect();
        Lines(values, std::rc::Rc::new(originals))
    }
    /// The index of the first line of `tree` whose value satisfies `f`.
    fn find(&self, tree: &str, f: impl Fn(&Value) -> bool) -> usize {
        self.0.iter().position(|l| l["t"] == tree && f(&l["v"])).unwrap_or_else(|| panic!("no {tree} line"))
    }
    fn bytes(&self) -> Vec<u8> {
        let mut lines = self.0.clone();
        let n = lines.len() - 2;
        *lines.last_mut().unwrap() = json!({"end": true, "records": n});
        lines
            .iter()
            .map(|l| {
                let text = l.to_string();
                format!("{}\n", self.1.get(&text).unwrap_or(&text))
            })
            .collect::<String>()
            .into_bytes()
    }
}

fn refused(bytes: &[u8]) -> (usize, String) {
    match check_backup(bytes) {
        Err(BackupError::Line(line, why)) => (line, why),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn check_backup_refuses_each_kind_of_damage_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _, org) = populated(dir.path());
    let good = Lines::of(s.raw_store());
    assert!(check_backup(&good.bytes()).is_ok());
    let parent = s.raw_store().org(&org).unwrap().unwrap().parent.unwrap();
    let town = s.raw_store().org(&parent).unwrap().unwrap().parent.unwrap();
    let copy = || Lines(good.0.clone(), good.1.clone());
    let code = |c: &str| json!(c);
    let audit_seq = |n: u64| move |x: &Value| x["t"] == "audit" && x["v"]["entry"]["seq"] == n;
    // (damaged file, the line that must be named (found in the damaged file), words of the reason)
    type LineOf = Box<dyn Fn(&Lines) -> usize>;
    let mut cases: Vec<(Lines, LineOf, &str)> = Vec::new();

    // A record edited by hand: only the audit hash can tell.
    let mut l = copy();
    let i = l.find("findings", |_| true);
    l.0[i]["v"]["d"]["description"] = json!("支委会委员仅3人");
    cases.push((l, Box::new(|l| l.find("findings", |_| true) + 1), "与审计日志不符"));
    // An organisation whose parent is gone (with the parent's index entry, so that the
    // reference is what fails).
    let parent_ix = json!(keys::hex(&keys::Key::new().part(&town).part(&parent).bytes()));
    let mut l = copy();
    l.0.retain(|x| x["k"] != parent_ix && !(x["t"] == "orgs" && x["v"]["d"]["code"] == code(&parent)));
    let child = org.clone();
    cases.push((l, Box::new(move |l| l.find("orgs", |v| v["d"]["code"] == json!(child)) + 1), "上级组织"));
    // A round whose template snapshot is gone.
    let mut l = copy();
    l.0.retain(|x| x["t"] != "templates");
    cases.push((l, Box::new(|l| l.find("rounds", |_| true) + 1), "检查模板快照"));
    // A result whose visit is gone.
    let mut l = copy();
    let visit_of = org.clone();
    l.0.retain(|x| !(x["t"] == "visits" && x["v"]["d"]["org"] == json!(visit_of)));
    cases.push((l, Box::new(|l| l.find("results", |_| true) + 1), "不在备份中"));
    // A finding on an item its round's template does not have.
    let mut l = copy();
    let f = l.find("findings", |_| true);
    l.0[f]["v"]["d"]["item"] = json!("C9.99");
    cases.push((l, Box::new(|l| l.find("findings", |_| true) + 1), "C9.99"));
    // A missing and an extra index entry.
    let mut l = copy();
    l.0.retain(|x| x["t"] != "findings_by_visit");
    cases.push((l, Box::new(|l| l.find("findings", |_| true) + 1), "索引项"));
    let mut l = copy();
    let ix = l.0.iter().position(|x| x["t"] == "org_children").unwrap();
    l.0.insert(ix, json!({"t": "org_children", "k": keys::hex(&keys::Key::new().part("X").part("Y").bytes()), "v": null}));
    cases.push((l, Box::new(move |_| ix + 1), "没有对应的记录"));
    // A line twice, a tree nobody knows, a key of the wrong shape, a key that is not the record's.
    let city = |l: &Lines| l.find("orgs", |v| v["d"]["code"] == "01");
    let mut l = copy();
    let o = city(&l);
    l.0.insert(o + 1, l.0[o].clone());
    cases.push((l, Box::new(move |l| city(l) + 2), "重复"));
    let mut l = copy();
    l.0[o]["t"] = json!("people");
    cases.push((l, Box::new(move |_| o + 1), "people"));
    let mut l = copy();
    l.0[o]["k"] = json!(keys::hex(&keys::Key::new().part(7u64).bytes()));
    cases.push((l, Box::new(move |_| o + 1), "键无法读取"));
    let mut l = copy();
    l.0[o]["k"] = json!(keys::hex(&records::org_key("99")));
    cases.push((l, Box::new(move |_| o + 1), "与记录内容不符"));
    // Meta: a laptop id that is not one.
    let laptop_key = json!(keys::hex(META_LAPTOP));
    let mut l = copy();
    let m = l.0.iter().position(|x| x["t"] == "meta" && x["k"] == laptop_key).unwrap();
    l.0[m]["v"] = json!("not-an-id");
    cases.push((l, Box::new(move |_| m + 1), "laptop_id"));
    // A template snapshot whose text was edited.
    let mut l = copy();
    let t = l.find("templates", |_| true);
    let text = l.0[t]["v"]["d"]["text"].as_str().unwrap().replacen("委员", "委貟", 1);
    l.0[t]["v"]["d"]["text"] = json!(text);
    cases.push((l, Box::new(move |_| t + 1), "正文"));
    // The audit log: an entry removed, two swapped, a record the log wrote removed.
    let mut l = copy();
    l.0.retain(|x| !audit_seq(2)(x));
    cases.push((l, Box::new(move |l| l.0.iter().position(audit_seq(3)).unwrap() + 1), "缺少序号 2"));
    let mut l = copy();
    let a2 = l.0.iter().position(audit_seq(2)).unwrap();
    let (k2, k3) = (l.0[a2]["k"].clone(), l.0[a2 + 1]["k"].clone());
    l.0[a2]["k"] = k3;
    l.0[a2 + 1]["k"] = k2;
    cases.push((l, Box::new(move |_| a2 + 2), "审计链在第 2 条"));
    let mut l = copy();
    l.0.retain(|x| x["t"] != "results");
    let verdict = |x: &Value| x["t"] == "audit" && x["v"]["entry"]["action"] == "visit.verdict";
    cases.push((l, Box::new(move |l| l.0.iter().position(verdict).unwrap() + 1), "不在备份中"));

    for (i, (l, line, expect)) in cases.iter().enumerate() {
        let (got, why) = refused(&l.bytes());
        let line = line(l);
        assert!(why.contains(expect), "case {i}: expected {expect:?} on line {line}, got line {got}: {why}");
        assert_eq!(got, line, "case {i} ({expect}): {why}");
    }
    // A newer xuncha's backup is refused as such.
    let mut l = copy();
    l.0[0]["schema"] = json!(SCHEMA_VERSION + 1);
    assert_eq!(check_backup(&l.bytes()).unwrap_err(), BackupError::Newer(SCHEMA_VERSION + 1));
}

#[test]
fn check_backup_refuses_a_cycle_of_parents() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    let mut a = demo_org("A");
    let mut b = demo_org("B");
    s.commit("测试员", Commit::new("test", Value::Null, vec![Write::put(&a), Write::put(&b)])).unwrap();
    // Rewritten through the store so that the index entries follow: B under A, then A under B.
    b.parent = Some("A".into());
    s.commit("测试员", Commit::new("test", Value::Null, vec![Write::put(&b)])).unwrap();
    a.parent = Some("B".into());
    s.commit("测试员", Commit::new("test", Value::Null, vec![Write::put(&a)])).unwrap();
    let (_, why) = refused(&Lines::of(&s).bytes());
    assert!(why.contains("成环") && why.contains("A → B → A"), "{why}");
}

mod fuzz {
    //! Damage at random: a byte changed, inserted or removed, a line dropped or two swapped. The
    //! check never panics, and whatever it accepts holds exactly the original's records, meta and
    //! audit log (only the header's time, drafts or the spelling of a key may differ).
    use super::*;
    use proptest::prelude::*;

    type Entries = Vec<(Table, Vec<u8>, Vec<u8>)>;

    /// A backup of a populated store and its entries, made once.
    fn original() -> &'static (Vec<u8>, Entries) {
        static ORIGINAL: std::sync::OnceLock<(Vec<u8>, Entries)> = std::sync::OnceLock::new();
        ORIGINAL.get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let (s, _, _) = populated(dir.path());
            let mut out = Vec::new();
            s.raw_store().backup(&mut out).unwrap();
            let records = check_backup(&out).unwrap().records;
            (out, records)
        })
    }

    fn kept(records: &[(Table, Vec<u8>, Vec<u8>)]) -> Entries {
        let mut r: Vec<_> = records.iter().filter(|(t, _, _)| *t != Table::Drafts).cloned().collect();
        r.sort_by(|a, b| (a.0 as u8, &a.1).cmp(&(b.0 as u8, &b.1)));
        r
    }

    #[derive(Debug, Clone)]
    enum Damage {
        Set(usize, u8),
        Insert(usize, u8),
        Remove(usize),
        DropLine(usize),
        SwapLines(usize, usize),
    }

    fn damage() -> impl Strategy<Value = Damage> {
        prop_oneof![
            (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Damage::Set(i, b)),
            (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Damage::Insert(i, b)),
            any::<usize>().prop_map(Damage::Remove),
            any::<usize>().prop_map(Damage::DropLine),
            (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Damage::SwapLines(a, b)),
        ]
    }

    fn apply(bytes: &[u8], d: &Damage) -> Vec<u8> {
        let mut b = bytes.to_vec();
        let mut lines: Vec<Vec<u8>> = bytes.split(|c| *c == b'\n').map(<[u8]>::to_vec).collect();
        match *d {
            Damage::Set(i, x) => b[i % bytes.len()] = x,
            Damage::Insert(i, x) => b.insert(i % bytes.len(), x),
            Damage::Remove(i) => {
                b.remove(i % bytes.len());
            }
            Damage::DropLine(i) => {
                let n = lines.len();
                lines.remove(i % n);
                b = lines.join(&b'\n');
            }
            Damage::SwapLines(x, y) => {
                let n = lines.len();
                lines.swap(x % n, y % n);
                b = lines.join(&b'\n');
            }
        }
        b
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
        #[test]
        fn damage_is_refused_or_changes_nothing_that_matters(ds in proptest::collection::vec(damage(), 1..4)) {
            let (bytes, records) = original();
            let damaged = ds.iter().fold(bytes.clone(), |b, d| apply(&b, d));
            if let Ok(checked) = check_backup(&damaged) {
                prop_assert_eq!(kept(&checked.records), kept(records));
            }
        }
    }
}

#[test]
fn evidence_files_travel_in_the_backup_and_a_changed_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _, _) = populated(dir.path());
    let photo = b"\xff\xd8\xff\xe0 the bytes of a photo".to_vec();
    let (sha, _) = s.raw_store().files().put(&photo).unwrap();
    let mut out = Vec::new();
    s.raw_store().backup(&mut out).unwrap();
    let checked = check_backup(&out).unwrap();
    assert_eq!(checked.files, vec![(sha.clone(), photo.clone())]);
    // Restored into another folder, the file is there, read back against its hash.
    let other = tempfile::tempdir().unwrap();
    let mut fresh = Store::open(other.path()).unwrap();
    fresh.restore("b.jsonl", &mut out.as_slice()).unwrap();
    assert_eq!(fresh.files().get(&sha).unwrap(), photo);
    assert_eq!(fresh.files().list().unwrap(), vec![sha.clone()]);
    // A file whose bytes were changed in the backup: refused, naming its line.
    let text = String::from_utf8(out).unwrap();
    let no = text.lines().position(|l| l.starts_with("{\"f\"")).unwrap() + 1;
    let changed = text.replacen(&hex(&photo), &hex(b"other bytes"), 1);
    let (line, why) = refused(changed.as_bytes());
    assert_eq!(line, no);
    assert_eq!(why, K::BackupFileHash.fill(&[&sha]));
    // The end's count of files must be the files there.
    let counted = text.replace(",\"files\":1}", ",\"files\":2}");
    assert_eq!(refused(counted.as_bytes()).1, K::BackupFileCount.fill(&[&2, &1]));
    // A version 1 backup (records only) is still read; a file line in one is refused.
    let v1 = text.replacen("\"version\":2", "\"version\":1", 1);
    assert_eq!(refused(v1.as_bytes()).0, no);
    let records_only: String =
        text.lines().filter(|l| !l.starts_with("{\"f\"")).map(|l| format!("{}\n", l.replace(",\"files\":1}", "}"))).collect();
    assert!(check_backup(records_only.replacen("\"version\":2", "\"version\":1", 1).as_bytes()).is_ok());
}

#[test]
fn the_fuzzers_seed_of_a_version_2_backup_with_a_file_is_a_good_backup() {
    let seed = include_bytes!("../../fuzz/seeds/backup/v2-with-file.jsonl");
    let checked = check_backup(seed).unwrap();
    assert_eq!(checked.files.len(), 1);
}
