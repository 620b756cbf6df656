//! Changes that travel between laptops, and how they merge. Pure: no store, no keys, no clock.
//!
//! Every accepted write on a laptop is also a **change**: the laptop, its sequence number there,
//! the hash of that laptop's previous change (so each laptop's changes form a chain), who made it
//! and when, and one **op** per field it set. An op names the record (table and key), the field
//! by dotted path (`rect.status`), the new value, and the **dots** (laptop, sequence) of the
//! values of that field it replaced: what its author had seen.
//!
//! Each record keeps, per field, the dots whose values are live (`Versions`). An op removes the
//! dots it saw and adds its own. One live dot: the field holds its value. Several live dots with
//! different values: a **conflict**, both values kept until someone who has seen them all
//! writes the field. Changes are applied in each laptop's order and after the changes their ops
//! saw (`deps`), so every laptop that has applied the same changes holds the same fields: the
//! live set is a multi-value register, and the value shown while in conflict is the latest by
//! (time, laptop, sequence), the same everywhere.

use super::LaptopId;
use super::fields::{get_path, set_path};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// One change's place: the laptop that made it and its sequence number there (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Dot {
    pub laptop: LaptopId,
    pub seq: u64,
}

/// What a laptop holds: per laptop, the highest sequence number applied (all before it are too).
pub type Known = BTreeMap<LaptopId, u64>;

/// Whether `known` holds the change at `dot`.
pub fn holds(known: &Known, dot: Dot) -> bool {
    known.get(&dot.laptop).is_some_and(|n| *n >= dot.seq)
}

/// The fields a change set in one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Op {
    /// The record's tree (`visits`, `findings`, ...).
    #[serde(rename = "t")]
    pub table: String,
    /// The record's key bytes, hex.
    #[serde(rename = "k")]
    pub key: String,
    #[serde(rename = "f")]
    pub sets: Vec<Set>,
}

/// One field set by a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Set {
    /// The field, by dotted path.
    #[serde(rename = "p")]
    pub field: String,
    /// The new value (null: the field removed).
    #[serde(rename = "v")]
    pub value: Value,
    /// The dots of the values this write replaced.
    #[serde(rename = "s", default, skip_serializing_if = "Vec::is_empty")]
    pub seen: Vec<Dot>,
}

/// One change as it travels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncChange {
    pub laptop: LaptopId,
    pub seq: u64,
    /// The hash of this laptop's previous change (64 zeros for the first).
    pub prev: String,
    /// Who made it, by the name they acted under.
    pub author: String,
    pub at: DateTime<Utc>,
    /// What they did (`visit.verdict`, `review.approve`, ...), as in the audit log.
    pub action: String,
    pub ops: Vec<Op>,
    /// The laptop's signature of `signed_bytes` (hex), added when it first leaves the laptop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sig: Option<String>,
}

/// The hash of "no previous change".
pub const FIRST_PREV: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Fields that say who last touched a record and when (a result's `by` and `at`, a visit's
/// `started_at`): written beside every edit, they would double each real conflict. Concurrent
/// values of them are no conflict: the latest shows, the same everywhere; the conflict on the
/// field that was edited names both authors.
pub fn is_quiet(field: &str) -> bool {
    matches!(field, "by" | "at" | "started_at")
}

/// Fields that are logs: lists only ever appended to (a finding's rectification steps and its
/// attached files). Two laptops that append at once both keep their entries: the field holds
/// the union, ordered by each entry's date then its text, the same everywhere; it is no conflict.
pub fn is_log(field: &str) -> bool {
    LOGS.contains(&field)
}

/// The fields that are logs (see `is_log`).
pub const LOGS: [&str; 2] = ["rect.updates", "attachments"];

/// The union of the lists `values`, each entry once, ordered by its `on` (a step's day, or an
/// attachment's `at`) then its text.
pub fn union_of(values: &[&Value]) -> Value {
    let mut all: Vec<(String, String, Value)> = Vec::new();
    for v in values {
        for e in v.as_array().map(Vec::as_slice).unwrap_or_default() {
            let text = e.to_string();
            if !all.iter().any(|(_, t, _)| *t == text) {
                let when = e.get("on").or_else(|| e.get("at")).and_then(Value::as_str).unwrap_or_default();
                all.push((when.to_string(), text, e.clone()));
            }
        }
    }
    all.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    Value::Array(all.into_iter().map(|(_, _, e)| e).collect())
}

/// The fields of a change that its hash covers: all but the signature.
#[derive(Serialize)]
struct Hashed<'a> {
    laptop: &'a LaptopId,
    seq: u64,
    prev: &'a str,
    author: &'a str,
    at: &'a DateTime<Utc>,
    action: &'a str,
    ops: &'a [Op],
}

impl SyncChange {
    pub fn dot(&self) -> Dot {
        Dot { laptop: self.laptop, seq: self.seq }
    }

    /// The compact JSON the hash covers: the change without its signature. The office hub
    /// stores exactly these bytes, so that it can check the hash itself.
    pub fn hashed_json(&self) -> Vec<u8> {
        let h = Hashed {
            laptop: &self.laptop,
            seq: self.seq,
            prev: &self.prev,
            author: &self.author,
            at: &self.at,
            action: &self.action,
            ops: &self.ops,
        };
        serde_json::to_vec(&h).unwrap_or_default()
    }

    /// The SHA-256 (hex) of the change's compact JSON without its signature.
    pub fn hash(&self) -> String {
        hex(&Sha256::digest(self.hashed_json()))
    }

    /// What the laptop signs: the kind, the team and the hash, so that a signature never serves
    /// another team or another kind of document.
    pub fn signed_bytes(&self, team: super::Id) -> Vec<u8> {
        signed_bytes(team, &self.hash())
    }

    /// The changes of other laptops this one's ops saw: they must be applied before it.
    pub fn deps(&self) -> Known {
        let mut out = Known::new();
        for d in self.ops.iter().flat_map(|o| &o.sets).flat_map(|x| &x.seen).filter(|d| d.laptop != self.laptop) {
            let n = out.entry(d.laptop).or_insert(0);
            *n = (*n).max(d.seq);
        }
        out
    }
}

/// What a laptop signs for the change whose hash is `hash`.
pub fn signed_bytes(team: super::Id, hash: &str) -> Vec<u8> {
    format!("xuncha-change/1\n{team}\n{hash}").into_bytes()
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// The fields one change wrote to a record, as kept in `Versions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Writer {
    #[serde(rename = "l")]
    pub laptop: LaptopId,
    #[serde(rename = "s")]
    pub seq: u64,
    #[serde(rename = "t")]
    pub at: DateTime<Utc>,
    /// The fields whose live value is this change's.
    #[serde(rename = "f")]
    pub fields: Vec<String>,
}

/// One of the values a field in conflict holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub dot: Dot,
    pub at: DateTime<Utc>,
    pub value: Value,
}

/// Which change wrote each field of one record, and the values of fields in conflict.
/// Invariant: a field not in `conflicts` holds the value of every live dot it has.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Versions {
    #[serde(rename = "w", default)]
    pub writers: Vec<Writer>,
    #[serde(rename = "c", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub conflicts: BTreeMap<String, Vec<Candidate>>,
}

impl Versions {
    /// The live dots of `field`, with their times.
    pub fn live(&self, field: &str) -> Vec<(Dot, DateTime<Utc>)> {
        self.writers.iter().filter(|w| w.fields.iter().any(|f| f == field)).map(|w| (Dot { laptop: w.laptop, seq: w.seq }, w.at)).collect()
    }

    /// Replaces the live dots `seen` of `field` by `dot`.
    fn move_field(&mut self, field: &str, seen: &[Dot], dot: Dot, at: DateTime<Utc>) {
        for w in &mut self.writers {
            if seen.contains(&Dot { laptop: w.laptop, seq: w.seq }) {
                w.fields.retain(|f| f != field);
            }
        }
        self.writers.retain(|w| !w.fields.is_empty());
        match self.writers.iter_mut().find(|w| w.laptop == dot.laptop && w.seq == dot.seq) {
            Some(w) => {
                if let Err(i) = w.fields.binary_search_by(|f| f.as_str().cmp(field)) {
                    w.fields.insert(i, field.to_string());
                }
            }
            None => {
                // Kept in dot order, fields sorted: laptops that applied the same changes hold
                // the same bytes.
                let i = self.writers.partition_point(|w| (w.laptop, w.seq) < (dot.laptop, dot.seq));
                self.writers.insert(i, Writer { laptop: dot.laptop, seq: dot.seq, at, fields: vec![field.to_string()] });
            }
        }
    }

    /// The dots a local write of `field` has seen: every live one, unless the field is in
    /// conflict and the write does not settle it; then only those holding the value shown
    /// (`shown`), so the other values stay in conflict beside the new one.
    pub fn seen_by_local(&self, field: &str, shown: &Value, settle: bool) -> Vec<Dot> {
        match self.conflicts.get(field) {
            Some(c) if !settle => c.iter().filter(|x| &x.value == shown).map(|x| x.dot).collect(),
            _ => self.live(field).into_iter().map(|(d, _)| d).collect(),
        }
    }

    /// The latest time among the live dots of `fields`: a local write must be later, so that
    /// the value it writes is the one shown.
    pub fn latest(&self) -> Option<DateTime<Utc>> {
        self.writers.iter().map(|w| w.at).max()
    }

    /// Applies one op written at `dot`, `at` to a record's data `data` (its envelope's `d`).
    /// Returns whether the field's value changed.
    pub fn apply(&mut self, data: &mut Value, op: &Set, dot: Dot, at: DateTime<Utc>) -> bool {
        let live = self.live(&op.field);
        if live.iter().any(|(d, _)| *d == dot) {
            return false;
        }
        let remaining: Vec<(Dot, DateTime<Utc>)> = live.into_iter().filter(|(d, _)| !op.seen.contains(d)).collect();
        let before = get_path(data, &op.field).clone();
        self.move_field(&op.field, &op.seen, dot, at);
        if remaining.is_empty() {
            self.conflicts.remove(&op.field);
            set_path(data, &op.field, op.value.clone());
            return before != op.value;
        }
        let mut candidates: Vec<Candidate> = match self.conflicts.remove(&op.field) {
            Some(c) => c.into_iter().filter(|x| remaining.iter().any(|(d, _)| *d == x.dot)).collect(),
            None => remaining.iter().map(|(d, t)| Candidate { dot: *d, at: *t, value: before.clone() }).collect(),
        };
        candidates.push(Candidate { dot, at, value: op.value.clone() });
        candidates.sort_by_key(|c| (c.at, c.dot));
        if is_log(&op.field) {
            let merged = union_of(&candidates.iter().map(|c| &c.value).collect::<Vec<_>>());
            set_path(data, &op.field, merged.clone());
            return before != merged;
        }
        let shown = candidates.last().map(|c| c.value.clone()).unwrap_or(Value::Null);
        if candidates.iter().any(|c| c.value != shown) && !is_quiet(&op.field) {
            self.conflicts.insert(op.field.clone(), candidates);
        }
        set_path(data, &op.field, shown.clone());
        before != shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Id;
    use proptest::prelude::*;
    use serde_json::json;

    fn laptops() -> [LaptopId; 3] {
        [LaptopId(Id::new()), LaptopId(Id::new()), LaptopId(Id::new())]
    }

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + s, 0).unwrap_or_default()
    }

    /// A laptop in the model: its records' data and versions, the changes it holds, its own seq.
    #[derive(Clone, Default)]
    struct Replica {
        data: BTreeMap<String, Value>,
        versions: BTreeMap<String, Versions>,
        known: Known,
        log: Vec<SyncChange>,
    }

    impl Replica {
        fn write(&mut self, me: LaptopId, t: i64, record: &str, field: &str, value: Value) {
            let seq = self.known.get(&me).copied().unwrap_or(0) + 1;
            let v = self.versions.entry(record.into()).or_default();
            let d = self.data.entry(record.into()).or_insert_with(|| json!({}));
            let shown = get_path(d, field).clone();
            let seen = v.seen_by_local(field, &shown, false);
            // A log is appended to, as the service does with rectification steps.
            let value = if is_log(field) {
                let mut list = shown.as_array().cloned().unwrap_or_default();
                list.push(json!({ "on": format!("2026-11-{:02}", 1 + t % 28), "note": value }));
                Value::Array(list)
            } else {
                value
            };
            let op = Op { table: "t".into(), key: record.into(), sets: vec![Set { field: field.into(), value, seen }] };
            let c = SyncChange {
                laptop: me,
                seq,
                prev: String::new(),
                author: String::new(),
                at: at(t),
                action: "w".into(),
                ops: vec![op],
                sig: None,
            };
            self.apply(&c);
        }

        fn apply(&mut self, c: &SyncChange) -> bool {
            if holds(&self.known, c.dot()) || self.known.get(&c.laptop).copied().unwrap_or(0) + 1 != c.seq {
                return false;
            }
            if c.deps().iter().any(|(l, n)| self.known.get(l).copied().unwrap_or(0) < *n) {
                return false;
            }
            for op in &c.ops {
                let v = self.versions.entry(op.key.clone()).or_default();
                let d = self.data.entry(op.key.clone()).or_insert_with(|| json!({}));
                for set in &op.sets {
                    v.apply(d, set, c.dot(), c.at);
                }
            }
            self.known.insert(c.laptop, c.seq);
            self.log.push(c.clone());
            true
        }

        /// Takes every change `from` holds that this one lacks, in any order `order` gives,
        /// retrying those whose turn has not come.
        fn receive(&mut self, from: &Replica, order: &[usize]) {
            let mut todo: Vec<&SyncChange> = order.iter().filter_map(|i| from.log.get(*i % from.log.len().max(1))).collect();
            todo.extend(from.log.iter());
            loop {
                let before = self.log.len();
                for c in &todo {
                    self.apply(c);
                }
                if self.log.len() == before {
                    break;
                }
            }
        }
    }

    #[test]
    fn different_fields_merge_and_the_same_field_conflicts() {
        let [a, b, _] = laptops();
        let mut ra = Replica::default();
        ra.write(a, 0, "r", "x", json!(1));
        ra.write(a, 1, "r", "y", json!("a"));
        let mut rb = Replica::default();
        rb.receive(&ra, &[]);
        ra.write(a, 2, "r", "x", json!(2));
        rb.write(b, 3, "r", "y", json!("b"));
        rb.write(b, 4, "r", "x", json!(3));
        let (mut ra2, mut rb2) = (ra.clone(), rb.clone());
        ra2.receive(&rb, &[]);
        rb2.receive(&ra, &[]);
        assert_eq!(ra2.data, rb2.data);
        assert_eq!(ra2.versions, rb2.versions);
        // y edited once after both saw it: merged; x edited on both: a conflict keeping 2 and 3.
        assert_eq!(ra2.data["r"], json!({ "x": 3, "y": "b" }));
        let c = &ra2.versions["r"].conflicts["x"];
        assert_eq!(c.iter().map(|c| c.value.clone()).collect::<Vec<_>>(), [json!(2), json!(3)]);
        // A write that saw both settles it.
        let shown = ra2.data["r"]["x"].clone();
        let seen = ra2.versions["r"].seen_by_local("x", &shown, true);
        assert_eq!(seen.len(), 2);
    }

    #[test]
    fn an_unsigned_change_stored_is_the_text_its_hash_covers() {
        let [a, _, _] = laptops();
        let mut r = Replica::default();
        r.write(a, 0, "r", "x", json!("甲"));
        let c = r.log[0].clone();
        let stored = serde_json::to_vec(&c).unwrap();
        assert!(stored.ends_with(b"]}"));
        assert_eq!(hex(&Sha256::digest(&stored)), c.hash());
        let signed = serde_json::to_vec(&SyncChange { sig: Some("ab".into()), ..c }).unwrap();
        assert!(signed.ends_with(b"\"}"));
    }

    #[test]
    fn the_same_value_written_on_both_is_no_conflict() {
        let [a, b, _] = laptops();
        let (mut ra, mut rb) = (Replica::default(), Replica::default());
        ra.write(a, 0, "r", "x", json!(1));
        rb.write(b, 1, "r", "x", json!(1));
        ra.receive(&rb.clone(), &[]);
        assert_eq!(ra.data["r"], json!({ "x": 1 }));
        assert!(ra.versions["r"].conflicts.is_empty());
        assert_eq!(ra.versions["r"].live("x").len(), 2);
    }

    #[test]
    fn appends_to_a_log_on_two_laptops_keep_both_entries() {
        let [a, b, _] = laptops();
        let (mut ra, mut rb) = (Replica::default(), Replica::default());
        ra.write(a, 0, "r", "rect.updates", json!("甲"));
        rb.receive(&ra.clone(), &[]);
        ra.write(a, 1, "r", "rect.updates", json!("乙"));
        rb.write(b, 2, "r", "rect.updates", json!("丙"));
        let (mut ra2, mut rb2) = (ra.clone(), rb.clone());
        ra2.receive(&rb, &[]);
        rb2.receive(&ra, &[]);
        assert_eq!(ra2.data, rb2.data);
        assert!(ra2.versions["r"].conflicts.is_empty(), "a log is no conflict");
        let notes: Vec<&str> = ra2.data["r"]["rect"]["updates"].as_array().unwrap().iter().map(|e| e["note"].as_str().unwrap()).collect();
        assert_eq!(notes, ["甲", "乙", "丙"]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Random histories of three laptops that write and exchange in random orders: once each
        /// holds every change, all hold the same data and the same versions.
        #[test]
        fn three_laptops_converge(steps in prop::collection::vec((0usize..3, 0usize..5, 0usize..3, 0u8..4, 0usize..3, prop::collection::vec(0usize..40, 0..6)), 1..40)) {
            let ls = laptops();
            let mut reps = [Replica::default(), Replica::default(), Replica::default()];
            let fields = ["x", "y", "rect.status", "rect.updates", "attachments"];
            for (t, (who, field, record, value, from, order)) in steps.iter().enumerate() {
                let record = ["r1", "r2", "r3"][*record];
                if *value == 3 {
                    // An exchange instead of a write.
                    let src = reps[*from].clone();
                    reps[*who].receive(&src, order);
                } else {
                    reps[*who].write(ls[*who], t as i64, record, fields[*field], json!(value));
                }
            }
            for _ in 0..2 {
                for i in 0..3 {
                    for j in 0..3 {
                        let src = reps[j].clone();
                        reps[i].receive(&src, &[]);
                    }
                }
            }
            prop_assert_eq!(&reps[0].data, &reps[1].data);
            prop_assert_eq!(&reps[1].data, &reps[2].data);
            prop_assert_eq!(&reps[0].known, &reps[2].known);
            prop_assert_eq!(&reps[0].versions, &reps[1].versions);
            prop_assert_eq!(&reps[1].versions, &reps[2].versions);
        }
    }
}
