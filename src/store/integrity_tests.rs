//! Integrity tests on a real sled database in a temporary folder: what a kill leaves is cleared
//! at open, a bulk fill cut off is wiped back to the empty store, the audit log covers the
//! records, an older store is migrated, a full disk is named (backups: `backup_tests`, which
//! shares `populated` and `demo_org`). They reach under the API (to edit records and entries, or
//! leave a kill's leftovers), which only the store may do.

use super::audit::Head;
use super::*;
use crate::domain::{Scope, Verdict};
use crate::service::findings::{self, FindingInput};
use crate::service::{Session, demo, rounds, visits};
use crate::template::Catalog;
use serde_json::json;
use std::collections::HashMap;

/// A store with every kind of record: organisations and their index, a template snapshot, a
/// round with its visits, a result, a finding and its index.
pub(super) fn populated(dir: &Path) -> (Session, Id, String) {
    let s = Session::new(Store::open(dir).unwrap(), "测试员").with_clock(crate::clock::Clock::fixed_local("2026-11-22 10:00").unwrap());
    demo::fill(&s, 60, 4).unwrap();
    let branches: Vec<String> = s.raw_store().orgs().unwrap().into_iter().filter(|o| o.members.is_some()).take(3).map(|o| o.code).collect();
    let cat = Catalog::load(&[]);
    let round =
        rounds::create(&s, "测试批次", "2026Q4".parse().unwrap(), cat.get("dangzhibu").unwrap(), Scope::List, branches.clone()).unwrap().id;
    let org = branches[0].clone();
    visits::record_verdict(&s, round, &org, "C1.2", Some(Verdict::Fails), "委员不足", false).unwrap();
    let input = FindingInput {
        round: Some(round),
        org: org.clone(),
        item: Some("C1.2".into()),
        description: "支委会委员仅2人".into(),
        responsible_person: "王芳".into(),
        deadline: "2027-12-31".into(),
        ..Default::default()
    };
    findings::save(&s, &input).unwrap();
    (s, round, org)
}

fn files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    out.sort();
    out
}

// --- what a kill leaves

#[test]
fn a_snapshot_a_kill_left_generating_is_removed_and_the_store_opens_whole() {
    let dir = tempfile::tempdir().unwrap();
    let before = {
        let (s, _, _) = populated(dir.path());
        s.raw_store().findings().unwrap()
    };
    // sled picks the newest snapshot by name; an empty or torn one makes it refuse the store.
    let db = dir.path().join("db");
    std::fs::write(db.join("snap.FFFFFFFFFFFFFFF0.generating"), b"").unwrap();
    std::fs::write(db.join("snap.FFFFFFFFFFFFFFF1.generating"), (0..200u8).collect::<Vec<_>>()).unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.findings().unwrap(), before);
    assert!(s.verify_audit().unwrap().intact());
    assert!(!files(&db).iter().any(|f| f.ends_with(".generating")), "{:?}", files(&db));
}

#[test]
fn a_store_killed_while_being_created_is_made_again() {
    let dir = tempfile::tempdir().unwrap();
    // The marker is down, sled has begun its files: a half-written conf, a torn log.
    std::fs::create_dir_all(dir.path().join("db").join("blobs")).unwrap();
    std::fs::write(dir.path().join("xuncha-creating"), b"").unwrap();
    std::fs::write(dir.path().join("db").join("conf"), b"segment_size: 52").unwrap();
    std::fs::write(dir.path().join("db").join("db"), vec![7u8; 3000]).unwrap();
    let laptop = {
        let s = Store::open(dir.path()).unwrap();
        assert!(s.is_empty().unwrap());
        s.laptop()
    };
    assert_eq!(files(dir.path()), ["db", "xuncha-store.json", "xuncha.lock"]);
    assert_eq!(Store::open(dir.path()).unwrap().laptop(), laptop, "made once, then the same store");
}

#[test]
fn an_identity_without_its_marker_or_a_stale_marker_leaves_the_data_alone() {
    let dir = tempfile::tempdir().unwrap();
    let orgs = {
        let (s, _, _) = populated(dir.path());
        s.raw_store().orgs().unwrap()
    };
    // A marker beside an identity: the kill came just after the identity was written.
    std::fs::write(dir.path().join("xuncha-creating"), b"").unwrap();
    std::fs::write(dir.path().join("xuncha-store.json.tmp"), b"{\"lap").unwrap();
    assert_eq!(Store::open(dir.path()).unwrap().orgs().unwrap(), orgs);
    assert_eq!(files(dir.path()), ["db", "xuncha-store.json", "xuncha.lock"]);
    // A store from before the identity file existed: no identity, no marker. sled reads it.
    std::fs::remove_file(dir.path().join("xuncha-store.json")).unwrap();
    assert_eq!(Store::open(dir.path()).unwrap().orgs().unwrap(), orgs);
    assert!(dir.path().join("xuncha-store.json").exists(), "the identity is written for it");
}

#[test]
fn a_store_closed_and_opened_again_at_once_opens_every_time() {
    // sled's flusher keeps the database file locked for a moment after the store is dropped;
    // opening at once must wait for it, not report the folder as damaged.
    let dir = tempfile::tempdir().unwrap();
    for n in 0..100u64 {
        let s = Store::open(dir.path()).unwrap_or_else(|e| panic!("open {n}: {e}"));
        s.save_draft("n", &json!(n)).unwrap();
    }
    assert_eq!(Store::open(dir.path()).unwrap().drafts().unwrap(), vec![("n".to_string(), json!(99))]);
}

// --- bulk fills

#[test]
fn a_fill_cut_off_is_wiped_back_to_the_empty_store_it_started_from() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = {
        let s = Store::open(dir.path()).unwrap();
        let before = Filling { laptop: s.laptop(), schema: SCHEMA_VERSION };
        s.tree(Table::Meta).insert(META_FILLING, serde_json::to_vec(&before).unwrap()).unwrap();
        // What a restore cut off midway leaves: part of another laptop's store, its identity.
        let other = LaptopId(Id::new());
        s.tree(Table::Meta).insert(META_LAPTOP, serde_json::to_vec(&other).unwrap()).unwrap();
        s.commit("测试员", Commit::new("test", Value::Null, vec![Write::put(&demo_org("A"))])).unwrap();
        s.tree(Table::Drafts).insert(b"note", b"{}".as_slice()).unwrap();
        s.db.flush().unwrap();
        identity::write(dir.path(), other).unwrap();
        before.laptop
    };
    let s = Session::new(Store::open(dir.path()).unwrap(), "测试员");
    assert!(s.raw_store().is_empty().unwrap() && s.raw_store().drafts().unwrap().is_empty());
    assert_eq!(s.raw_store().laptop(), laptop);
    assert_eq!(identity::read(dir.path()).unwrap(), Some(laptop));
    assert_eq!(s.raw_store().tree(Table::Meta).iter().count(), 2, "schema and laptop id only");
    demo::fill(&s, 60, 1).unwrap();
    assert_eq!(s.raw_store().count(Table::Orgs), 60, "and it accepts a new fill");
}

#[test]
fn an_older_xuncha_s_cut_off_restore_is_wiped_back_too() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = {
        let s = Store::open(dir.path()).unwrap();
        s.commit("测试员", Commit::new("test", Value::Null, vec![Write::put(&demo_org("A"))])).unwrap();
        s.tree(Table::Meta).insert(META_RESTORING, b"true".as_slice()).unwrap();
        s.db.flush().unwrap();
        s.laptop()
    };
    let s = Store::open(dir.path()).unwrap();
    assert!(s.is_empty().unwrap());
    assert_eq!(s.laptop(), laptop);
}

#[test]
fn a_fill_refuses_a_store_that_is_not_empty_drafts_included() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    s.save_draft("note", &json!({"text": "半句话"})).unwrap();
    let fill = Commit::new("demo.fill", Value::Null, vec![Write::put(&demo_org("A"))]);
    assert!(matches!(s.fill_empty("测试员", fill), Err(StoreError::NotEmpty(_))));
    assert_eq!(s.count(Table::Orgs), 0);
}

pub(super) fn demo_org(code: &str) -> Org {
    Org {
        level_word: None,
        code: code.into(),
        name: format!("{code}党支部"),
        parent: None,
        level: crate::domain::Level::City,
        field: None,
        secretary: String::new(),
        members: None,
    }
}

// --- the audit log covers the records

#[test]
fn each_change_holds_the_hash_of_the_bytes_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    let a = demo_org("A");
    s.commit("测试员", Commit::new("test", Value::Null, vec![Write::put(&a)])).unwrap();
    let stored = s.tree(Table::Orgs).get(records::org_key("A")).unwrap().unwrap();
    s.commit("测试员", Commit::new("test", Value::Null, vec![Write::delete(&a)])).unwrap();
    let log = s.audit_entries().unwrap();
    assert_eq!(log[0].changes[0].hash.as_deref(), Some(audit::record_hash(&stored).as_str()));
    assert_eq!(log[0].changes[0].before, None, "a new record has no hash before");
    assert!(log[0].changes[0].fields.is_some(), "an ordinary commit keeps the new record's fields");
    assert_eq!(log[1].changes[0].hash, None, "a delete has no hash");
    assert_eq!(log[1].changes[0].before.as_deref(), Some(audit::record_hash(&stored).as_str()), "but the hash before");
    assert!(s.verify_audit().unwrap().intact());
}

#[test]
fn a_bulk_fill_lists_every_record_with_its_hash_and_without_values() {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::new(Store::open(dir.path()).unwrap(), "测试员");
    demo::fill(&s, 500, 2).unwrap();
    let log = s.raw_store().audit_entries().unwrap();
    let changes: Vec<&Change> = log.iter().flat_map(|e| &e.changes).collect();
    assert_eq!(changes.len(), 500);
    assert!(changes.iter().all(|c| c.table == "orgs" && c.hash.is_some() && c.old.is_none() && c.new.is_none()));
    let text = String::from_utf8(s.raw_store().tree(Table::Audit).iter().next().unwrap().unwrap().1.to_vec()).unwrap();
    assert!(!text.contains("\"new\""), "no values are stored: {}", &text[..300]);
    // The history shows the fill by its detail, not 500 empty changes.
    let history = crate::service::history::log(&s, None, None).unwrap();
    assert_eq!(history.len(), 1);
    assert!(history[0].what.contains("seed"), "{}", history[0].what);
    assert!(s.raw_store().verify_audit().unwrap().intact());
}

#[test]
fn verify_names_a_record_edited_added_or_removed_behind_xuncha() {
    let dir = tempfile::tempdir().unwrap();
    let (s, _, _) = populated(dir.path());
    let r = s.raw_store().verify_audit().unwrap();
    assert!(r.intact(), "{r:?}");
    assert_eq!(r.records as usize, Table::AUDITED.iter().map(|t| s.raw_store().count(*t)).sum::<usize>());

    let findings = s.raw_store().tree(Table::Findings);
    let (key, value) = findings.iter().next().unwrap().unwrap();
    let edited = String::from_utf8(value.to_vec()).unwrap().replace("支委会委员仅2人", "支委会委员仅3人");
    findings.insert(&key, edited.as_bytes()).unwrap();
    let r = s.raw_store().verify_audit().unwrap();
    assert_eq!(r.broken, None, "the chain itself is whole");
    let (table, k, why) = r.record.unwrap();
    assert_eq!((table.as_str(), k), ("findings", keys::describe(&key)));
    assert!(why.contains("改动"), "{why}");
    findings.insert(&key, value).unwrap();
    assert!(s.raw_store().verify_audit().unwrap().intact(), "put back, it matches again");

    let orgs = s.raw_store().tree(Table::Orgs);
    let (key, value) = orgs.iter().next().unwrap().unwrap();
    orgs.remove(&key).unwrap();
    let (table, k, why) = s.raw_store().verify_audit().unwrap().record.unwrap();
    assert_eq!((table.as_str(), k), ("orgs", keys::describe(&key)));
    assert!(why.contains("已不在"), "{why}");
    orgs.insert(&key, value).unwrap();

    s.raw_store().tree(Table::Orgs).insert(records::org_key("ZZ"), records::encode(&demo_org("ZZ"))).unwrap();
    let (table, k, why) = s.raw_store().verify_audit().unwrap().record.unwrap();
    assert_eq!((table.as_str(), k.as_str()), ("orgs", "ZZ"));
    assert!(why.contains("没有写入它"), "{why}");
}

#[test]
fn a_key_whose_readable_form_is_ambiguous_is_matched_by_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    s.commit("测试员", Commit::new("test", Value::Null, vec![Write::put(&demo_org("A/B"))])).unwrap();
    let c = &s.audit_entries().unwrap()[0].changes[0];
    assert_eq!((c.key.as_str(), c.raw.as_deref()), ("A/B", Some(keys::hex(&records::org_key("A/B")).as_str())));
    assert!(s.verify_audit().unwrap().intact());
    s.tree(Table::Orgs).insert(records::org_key("A/B"), records::encode(&demo_org("A/C"))).unwrap();
    assert_eq!(s.verify_audit().unwrap().record.unwrap().1, "A/B");
}

#[test]
fn the_head_is_what_verify_compares_given_heads_with() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.audit_head().unwrap(), (0, audit::GENESIS.to_string()));
    for code in ["A", "B", "C"] {
        s.commit("测试员", Commit::new("test", Value::Null, vec![Write::put(&demo_org(code))])).unwrap();
    }
    let (seq, hash) = s.audit_head().unwrap();
    assert_eq!((seq, &hash), (3, &s.audit_entries().unwrap()[2].hash));
    let second = s.audit_entries().unwrap()[1].hash.clone();
    assert!(s.verify_audit_with(&[(2, second.clone()), (3, hash.to_uppercase()), (0, audit::GENESIS.into())]).unwrap().intact());
    let (at, why) = s.verify_audit_with(&[(2, hash.clone())]).unwrap().broken.unwrap();
    assert_eq!(at, 2);
    assert!(why.contains("改写"), "{why}");
    let (at, why) = s.verify_audit_with(&[(9, hash)]).unwrap().broken.unwrap();
    assert_eq!(at, 9);
    assert!(why.contains("超出"), "{why}");
}

/// Rewrites the store as schema 1 wrote it: changes without hashes, the chain recomputed.
fn as_schema_1(s: &Store) {
    let mut known = HashMap::new();
    let audit = s.tree(Table::Audit);
    let mut prev = audit::GENESIS.to_string();
    let mut last = (0, String::new());
    for kv in audit.iter() {
        let (k, v) = kv.unwrap();
        let stored: Value = serde_json::from_slice(&v).unwrap();
        let mut entry = stored["entry"].clone();
        // Schema 1 listed no changes for bulk data, and old and new (null or not) for the rest.
        legacy_values(&mut entry, &mut known);
        let changes = entry["changes"].as_array_mut().unwrap();
        changes.retain(|c| c.get("old").is_some() || c.get("new").is_some());
        for c in changes {
            let c = c.as_object_mut().unwrap();
            c.remove("hash");
            c.remove("raw");
            c.entry("old").or_insert(Value::Null);
            c.entry("new").or_insert(Value::Null);
        }
        entry["prev"] = json!(prev);
        let text = serde_json::to_string(&entry).unwrap();
        let hash = audit::record_hash(text.as_bytes());
        audit.insert(k, format!("{{\"hash\":\"{hash}\",\"entry\":{text}}}").into_bytes()).unwrap();
        last = (entry["seq"].as_u64().unwrap(), hash.clone());
        prev = hash;
    }
    let head = serde_json::to_vec(&Head { seq: last.0, hash: last.1 }).unwrap();
    s.tree(Table::Meta).insert(META_AUDIT_HEAD, head).unwrap();
    s.tree(Table::Meta).insert(META_SCHEMA, b"1".as_slice()).unwrap();
    s.db.flush().unwrap();
}

/// Rewrites an entry's changes of schema 3 (hash before, new fields or the fields that changed)
/// as schema 1 and 2 wrote them (whole values before and after), from the values earlier entries
/// gave each record (`known`).
fn legacy_values(entry: &mut Value, known: &mut HashMap<(String, String), Value>) {
    for c in entry["changes"].as_array_mut().unwrap() {
        let change: Change = serde_json::from_value(c.clone()).unwrap();
        let id = (change.table.clone(), change.raw.clone().unwrap_or_else(|| change.key.clone()));
        let valued = change.has_values();
        let (old, new) = change.replay(known.get(&id));
        let envelope = |d: &Value| if d.is_null() { Value::Null } else { json!({"v": 1, "d": d}) };
        let c = c.as_object_mut().unwrap();
        for field in ["before", "fields", "diff"] {
            c.remove(field);
        }
        if valued {
            c.insert("old".into(), envelope(&old));
            c.insert("new".into(), envelope(&new));
            known.insert(id, new);
        } else {
            known.remove(&id);
        }
    }
}

/// Rewrites the store as schema 2 wrote it: changes with the hash written and whole values, no
/// counts; the chain recomputed.
fn as_schema_2(s: &Store) {
    let mut known = HashMap::new();
    let audit = s.tree(Table::Audit);
    let mut prev = audit::GENESIS.to_string();
    let mut last = (0, String::new());
    for kv in audit.iter() {
        let (k, v) = kv.unwrap();
        let stored: Value = serde_json::from_slice(&v).unwrap();
        let mut entry = stored["entry"].clone();
        legacy_values(&mut entry, &mut known);
        entry["prev"] = json!(prev);
        let text = serde_json::to_string(&entry).unwrap();
        let hash = audit::record_hash(text.as_bytes());
        audit.insert(k, format!("{{\"hash\":\"{hash}\",\"entry\":{text}}}").into_bytes()).unwrap();
        last = (entry["seq"].as_u64().unwrap(), hash.clone());
        prev = hash;
    }
    let head = serde_json::to_vec(&Head { seq: last.0, hash: last.1 }).unwrap();
    s.tree(Table::Meta).insert(META_AUDIT_HEAD, head).unwrap();
    for t in Table::ALL {
        s.tree(Table::Meta).remove(count_key(t)).unwrap();
    }
    s.tree(Table::Meta).insert(META_SCHEMA, b"2".as_slice()).unwrap();
    s.db.flush().unwrap();
}

/// A store's history in words: the whole log, and one item's.
fn histories(s: &Session, round: Id, org: &str) -> (Vec<String>, Vec<String>) {
    let log = crate::service::history::log(s, None, None).unwrap().into_iter().map(|l| l.what).collect();
    let item = crate::service::history::item_history(s, round, org, "C1.2").unwrap().into_iter().map(|l| l.what).collect();
    (log, item)
}

#[test]
fn a_schema_2_store_keeps_its_entries_and_the_history_reads_both_formats_alike() {
    let dir = tempfile::tempdir().unwrap();
    let (round, org, compact, history) = {
        let (s, round, org) = populated(dir.path());
        // More of the item's life: the finding edited, the verdict's note changed.
        let f = s.raw_store().visit_findings(round, &org).unwrap().remove(0);
        let mut input = findings::input_of(&f);
        input.description = "支委会委员仅2人，未按期补选".into();
        findings::save(&s, &input).unwrap();
        visits::record_verdict(&s, round, &org, "C1.2", Some(Verdict::Fails), "委员不足，已当场指出", false).unwrap();
        let compact: u64 = s.raw_store().tree(Table::Audit).iter().map(|kv| kv.unwrap().1.len() as u64).sum();
        let history = histories(&s, round, &org);
        assert!(history.1.iter().any(|w| w.contains("未按期补选")), "{:?}", history.1);
        as_schema_2(s.raw_store());
        (round, org, compact, history)
    };
    let s = Store::open(dir.path()).unwrap();
    let legacy: u64 = s.tree(Table::Audit).iter().map(|kv| kv.unwrap().1.len() as u64).sum();
    assert!(compact < legacy, "the compact entries are smaller: {compact} bytes against {legacy}");
    assert!(s.audit_entries().unwrap().iter().flat_map(|e| &e.changes).any(|c| c.new.is_some()), "the old entries stay as they were");
    assert!(s.verify_audit().unwrap().intact());
    assert_eq!(s.count_mismatches().unwrap(), vec![], "migrated: counted");
    let session = Session::new(s, "测试员").with_clock(crate::clock::Clock::fixed_local("2026-11-22 10:00").unwrap());
    assert_eq!(histories(&session, round, &org), history, "both formats say the same");
    // New entries after old ones: the history replays old values into new diffs.
    visits::record_verdict(&session, round, &org, "C1.2", Some(Verdict::Partly), "委员不足，已补选一人", false).unwrap();
    let last = session.raw_store().audit_entries().unwrap().pop().unwrap();
    assert!(last.changes.iter().all(|c| c.new.is_none() && c.diff.is_some()), "{last:?}");
    let (_, item) = histories(&session, round, &org);
    assert!(item.last().unwrap().contains("委员不足，已当场指出 → 委员不足，已补选一人"), "{item:?}");
    assert!(session.raw_store().verify_audit().unwrap().intact());
    let mut backup = Vec::new();
    session.raw_store().backup(&mut backup).unwrap();
    check_backup(&backup).unwrap();
}

#[test]
fn a_schema_1_store_is_migrated_with_one_entry_attesting_every_record() {
    let dir = tempfile::tempdir().unwrap();
    let (entries, records) = {
        let (s, _, _) = populated(dir.path());
        as_schema_1(s.raw_store());
        let r = s.raw_store().verify_audit().unwrap();
        assert_eq!(r.broken, None, "a schema 1 chain is whole");
        assert!(r.record.is_some(), "but it cannot vouch for the records");
        (s.raw_store().count(Table::Audit), Table::AUDITED.iter().map(|t| s.raw_store().count(*t)).sum::<usize>())
    };
    let s = Store::open(dir.path()).unwrap();
    let log = s.audit_entries().unwrap();
    assert_eq!(log.len(), entries + 1);
    let attest = log.last().unwrap();
    assert_eq!((attest.action.as_str(), attest.changes.len()), ("schema.migrate", records));
    assert!(s.verify_audit().unwrap().intact());
    let schema: u32 = serde_json::from_slice(&s.tree(Table::Meta).get(META_SCHEMA).unwrap().unwrap()).unwrap();
    assert_eq!(schema, SCHEMA_VERSION);
    drop(s);
    assert_eq!(Store::open(dir.path()).unwrap().count(Table::Audit), entries + 1, "migrated once");
}

// --- a full disk

#[test]
fn a_full_disk_is_named_as_a_full_disk_not_as_damage() {
    let enospc = std::io::Error::from_raw_os_error(28);
    assert_eq!(enospc.kind(), std::io::ErrorKind::StorageFull);
    assert!(matches!(StoreError::from(enospc), StoreError::DiskFull(None)));
    let from_sled = StoreError::from(sled::Error::Io(std::io::ErrorKind::StorageFull.into()));
    let err = from_sled.in_dir(Path::new("/数据"));
    assert!(matches!(&err, StoreError::DiskFull(Some(p)) if p == Path::new("/数据")));
    let text = err.to_string();
    assert!(text.contains("/数据") && text.contains("磁盘空间已满") && text.contains("没有写入"), "{text}");
    assert!(matches!(StoreError::from(std::io::Error::other("x")), StoreError::Os(_)), "other errors stay what they are");
}
