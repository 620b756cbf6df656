//! Store tests against a real sled database in a temporary folder. They live inside `store`
//! because some of them reach under the API (to edit an audit entry, or to fake a newer schema),
//! which only the store may do.

use super::*;
use crate::domain::{Field, Level};

fn org(code: &str, parent: Option<&str>) -> Org {
    Org {
        level_word: None,
        code: code.into(),
        name: format!("{code}党支部"),
        parent: parent.map(Into::into),
        level: if parent.is_some() { Level::Branch } else { Level::City },
        field: parent.map(|_| Field::Government),
        secretary: "王芳".into(),
        members: Some(12),
    }
}

fn put(store: &Store, orgs: &[Org]) -> usize {
    store.commit("测试员", Commit::new("test", Value::Null, orgs.iter().map(Write::put).collect())).unwrap()
}

#[test]
fn records_survive_reopening_with_the_same_laptop_id() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = {
        let s = Store::open(dir.path()).unwrap();
        assert_eq!(put(&s, &[org("A", None), org("A1", Some("A"))]), 2);
        s.laptop()
    };
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.laptop(), laptop);
    assert_eq!(s.org("A1").unwrap().unwrap(), org("A1", Some("A")));
    assert_eq!(s.child_codes(Some("A")).unwrap(), vec!["A1".to_string()]);
    assert_eq!(s.child_codes(None).unwrap(), vec!["A".to_string()]);
}

#[test]
fn an_unchanged_write_is_skipped_and_writes_no_audit_entry() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(put(&s, &[org("A", None)]), 1);
    assert_eq!(put(&s, &[org("A", None)]), 0);
    assert_eq!(s.count(Table::Audit), 1);
}

#[test]
fn moving_an_org_moves_its_index_entry() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    put(&s, &[org("A", None), org("B", None), org("X", Some("A"))]);
    put(&s, &[org("X", Some("B"))]);
    assert!(s.child_codes(Some("A")).unwrap().is_empty());
    assert_eq!(s.child_codes(Some("B")).unwrap(), vec!["X".to_string()]);
    s.commit("测试员", Commit::new("test", Value::Null, vec![Write::delete(&org("X", Some("B")))])).unwrap();
    assert!(s.child_codes(Some("B")).unwrap().is_empty());
    assert!(s.org("X").unwrap().is_none());
}

#[test]
fn the_audit_log_records_who_what_and_old_and_new_values() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    put(&s, &[org("A", None)]);
    let mut changed = org("A", None);
    changed.secretary = "李明".into();
    put(&s, &[changed.clone()]);
    let log = s.audit_entries().unwrap();
    assert_eq!(log.len(), 2);
    let e = &log[1];
    assert_eq!((e.seq, e.actor.as_str(), e.laptop), (2, "测试员", s.laptop()));
    assert_eq!(e.prev, log[0].hash);
    let c = &e.changes[0];
    assert_eq!((c.table.as_str(), c.key.as_str()), ("orgs", "A"));
    // Only what changed, with the hashes of the record before and after: not two copies.
    let diff: std::collections::BTreeMap<String, [Value; 2]> =
        [("secretary".to_string(), [Value::from("王芳"), Value::from("李明")])].into();
    assert_eq!(c.diff.as_ref(), Some(&diff));
    assert_eq!(c.before, log[0].changes[0].hash);
    assert_eq!(c.hash.as_deref(), Some(audit::record_hash(&records::encode(&changed)).as_str()));
    assert_eq!((&c.fields, &c.old, &c.new), (&None, &None, &None));
    // A new record keeps its fields.
    assert_eq!(log[0].changes[0].fields.as_ref().unwrap()["secretary"], "王芳");
    let r = s.verify_audit().unwrap();
    assert_eq!((r.entries, r.broken), (2, None));
}

#[test]
fn verify_names_an_edited_entry() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    for i in 0..3 {
        put(&s, &[org(&format!("A{i}"), None)]);
    }
    // Someone edits entry 2 in place: the actor's name, nothing else.
    let key = keys::Key::new().part(2u64).bytes();
    let audit = s.tree(Table::Audit);
    let text = String::from_utf8(audit.get(&key).unwrap().unwrap().to_vec()).unwrap();
    audit.insert(key, text.replace("测试员", "别人").into_bytes()).unwrap();
    let r = s.verify_audit().unwrap();
    let (seq, why) = r.broken.unwrap();
    assert_eq!(seq, 2);
    assert!(why.contains("哈希"), "{why}");
}

#[test]
fn verify_names_a_removed_entry() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    for i in 0..3 {
        put(&s, &[org(&format!("A{i}"), None)]);
    }
    s.tree(Table::Audit).remove(keys::Key::new().part(2u64).bytes()).unwrap();
    assert_eq!(s.verify_audit().unwrap().broken.unwrap().0, 2);
}

#[test]
fn a_store_from_a_newer_xuncha_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    {
        let s = Store::open(dir.path()).unwrap();
        s.tree(Table::Meta).insert(META_SCHEMA, b"99".as_slice()).unwrap();
        s.db.flush().unwrap();
    }
    let err = Store::open(dir.path()).err().unwrap();
    assert!(matches!(err, StoreError::Newer(_, 99, SCHEMA_VERSION)), "{err}");
    assert!(err.to_string().contains("升级"), "{err}");
}

#[test]
fn a_record_from_a_newer_xuncha_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    s.tree(Table::Orgs).insert(records::org_key("A"), br#"{"v":7,"d":{}}"#.as_slice()).unwrap();
    s.tree(Table::Orgs).insert(records::org_key("B"), b"garbage".as_slice()).unwrap();
    assert!(matches!(s.org("A"), Err(StoreError::BadRecord { .. })));
    let err = s.org("B").unwrap_err().to_string();
    assert!(err.contains("orgs/B"), "{err}");
}

#[test]
fn a_second_open_in_the_same_process_is_refused_as_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let _first = Store::open(dir.path()).unwrap();
    assert!(matches!(Store::open(dir.path()), Err(StoreError::InUse(_))));
}

#[test]
fn backup_and_restore_round_trip_exactly() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let s = Store::open(a.path()).unwrap();
    put(&s, &[org("A", None), org("A1", Some("A")), org("A2", Some("A"))]);
    let mut first = Vec::new();
    s.backup(&mut first).unwrap();
    let mut t = Store::open(b.path()).unwrap();
    let n = t.restore("b.jsonl", &mut first.as_slice()).unwrap();
    assert_eq!(n, s.count(Table::Meta) + 3 + 3 + 1 + 1, "meta, orgs, their index entries, one audit entry, one change");
    assert_eq!(t.laptop(), s.laptop());
    let mut second = Vec::new();
    t.backup(&mut second).unwrap();
    let body = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap().lines().skip(1).map(String::from).collect::<Vec<_>>();
    assert_eq!(body(&first), body(&second));
    assert_eq!(t.verify_audit().unwrap().broken, None);
    assert!(matches!(t.restore("b.jsonl", &mut first.as_slice()), Err(StoreError::NotEmpty(_))));
}

#[test]
fn a_truncated_or_foreign_backup_is_refused_and_writes_nothing() {
    let a = tempfile::tempdir().unwrap();
    let s = Store::open(a.path()).unwrap();
    put(&s, &[org("A", None), org("A1", Some("A"))]);
    let mut full = Vec::new();
    s.backup(&mut full).unwrap();
    let text = String::from_utf8(full).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let cases = [
        (lines[..lines.len() - 1].join("\n"), "不完整"),
        (format!("{}\n{}", lines[..3].join("\n"), &lines[3][..10]), "第 4 行"),
        ("hello\n".to_string(), "不是 xuncha 备份文件"),
        (String::new(), "不是 xuncha 备份文件"),
        (text.replace("\"records\":", "\"records\":1"), "记录数不符"),
    ];
    for (input, expect) in cases {
        let b = tempfile::tempdir().unwrap();
        let mut t = Store::open(b.path()).unwrap();
        let err = t.restore("b.jsonl", &mut input.as_bytes()).unwrap_err().to_string();
        assert!(err.contains(expect) && err.contains("b.jsonl"), "{expect}: {err}");
        assert!(t.is_empty().unwrap());
    }
}

#[test]
fn a_damaged_database_is_reported_not_replaced_by_an_empty_one() {
    let dir = tempfile::tempdir().unwrap();
    {
        let s = Store::open(dir.path()).unwrap();
        put(&s, &[org("A", None)]);
    }
    // Overwrite the database log with noise, as a failing disk might.
    let log = dir.path().join("db").join("db");
    let len = std::fs::metadata(&log).unwrap().len() as usize;
    std::fs::write(&log, (0..len).map(|i| (i * 7919 % 251) as u8).collect::<Vec<_>>()).unwrap();
    let err = Store::open(dir.path()).err().expect("a damaged store must not open as a new one");
    assert!(matches!(err, StoreError::Corrupt(..)), "{err}");
    assert!(err.to_string().contains("restore"), "the way out is named: {err}");
    // And it stays refused: nothing was initialised over it.
    assert!(Store::open(dir.path()).is_err());
}

#[test]
fn a_restored_folder_carries_the_original_identity() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let s = Store::open(a.path()).unwrap();
    put(&s, &[org("A", None)]);
    let mut backup = Vec::new();
    s.backup(&mut backup).unwrap();
    {
        let mut t = Store::open(b.path()).unwrap();
        t.restore("b.jsonl", &mut backup.as_slice()).unwrap();
    }
    let t = Store::open(b.path()).unwrap();
    assert_eq!(t.laptop(), s.laptop());
}

mod model {
    //! The store behaves like a BTreeMap: random puts and deletes, committed in random batches,
    //! leave the same contents (and the same children index) as the model, also after reopening.
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone)]
    enum Op {
        Put(u8, u8, u8),
        Delete(u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![(0u8..12, 0u8..3, 0u8..50).prop_map(|(c, p, m)| Op::Put(c, p, m)), (0u8..12).prop_map(Op::Delete)]
    }

    fn make(code: u8, parent: u8, members: u8) -> Org {
        Org {
            level_word: None,
            code: format!("O{code:02}"),
            name: format!("组织{code}"),
            parent: Some(format!("P{parent}")),
            level: Level::Branch,
            field: Some(Field::Rural),
            secretary: String::new(),
            members: Some(u32::from(members)),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
        #[test]
        fn store_matches_a_btreemap(batches in proptest::collection::vec(proptest::collection::vec(op(), 1..6), 1..8)) {
            let dir = tempfile::tempdir().unwrap();
            let mut model: BTreeMap<String, Org> = BTreeMap::new();
            {
                let s = Store::open(dir.path()).unwrap();
                for batch in &batches {
                    let mut writes = Vec::new();
                    let mut staged = model.clone();
                    for o in batch {
                        match o {
                            Op::Put(c, p, m) => {
                                let org = make(*c, *p, *m);
                                staged.insert(org.code.clone(), org.clone());
                                writes.push(Write::put(&org));
                            }
                            Op::Delete(c) => {
                                if let Some(org) = staged.remove(&format!("O{c:02}")) {
                                    writes.push(Write::delete(&org));
                                }
                            }
                        }
                    }
                    s.commit("测试员", Commit::new("test", Value::Null, writes)).unwrap();
                    model = staged;
                }
            }
            let s = Store::open(dir.path()).unwrap();
            let stored: BTreeMap<String, Org> = s.orgs().unwrap().into_iter().map(|o| (o.code.clone(), o)).collect();
            prop_assert_eq!(&stored, &model);
            for p in 0..3 {
                let parent = format!("P{p}");
                let expected: Vec<String> = model.values().filter(|o| o.parent.as_deref() == Some(parent.as_str())).map(|o| o.code.clone()).collect();
                prop_assert_eq!(s.child_codes(Some(&parent)).unwrap(), expected);
            }
            prop_assert_eq!(s.verify_audit().unwrap().broken, None);
            prop_assert_eq!(s.count_mismatches().unwrap(), vec![]);
            prop_assert_eq!(s.count(Table::Orgs), model.len());
        }
    }
}

#[test]
fn a_template_snapshot_is_decoded_once_and_shared() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    let cat = crate::template::Catalog::load(&[]);
    let loaded = cat.get("dangzhibu").unwrap();
    let snap = TemplateSnapshot {
        hash: loaded.hash.clone(),
        source: loaded.source.to_string(),
        text: loaded.text.clone(),
        template: loaded.template.clone(),
    };
    assert_eq!(s.template(&snap.hash).unwrap(), None);
    s.commit("测试员", Commit::new("test", Value::Null, vec![Write::put(&snap)])).unwrap();
    let first = s.template_arc(&snap.hash).unwrap().unwrap();
    let second = s.template_arc(&snap.hash).unwrap().unwrap();
    assert!(Arc::ptr_eq(&first, &second), "the second read comes from the cache");
    assert_eq!(s.template(&snap.hash).unwrap().unwrap(), snap);
    // A commit that writes the templates tree empties the cache.
    s.commit("测试员", Commit::new("test", Value::Null, vec![Write::delete(&snap)])).unwrap();
    assert_eq!(s.template(&snap.hash).unwrap(), None);
}
