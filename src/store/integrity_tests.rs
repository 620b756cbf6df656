//! Integrity tests on a real sled database in a temporary folder: what a kill leaves is cleared
//! at open, a bulk fill cut off is wiped back to the empty store, the audit log covers the
//! records, an older store is migrated, a backup is checked whole before anything is written, a
//! full disk is named. They reach under the API (to edit records and entries, or leave a kill's
//! leftovers), which only the store may do.

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
fn populated(dir: &Path) -> (Session, Id, String) {
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

fn demo_org(code: &str) -> Org {
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

// --- backups

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
    assert!(matches!(StoreError::from(std::io::Error::other("x")), StoreError::Io(_)), "other errors stay what they are");
}
