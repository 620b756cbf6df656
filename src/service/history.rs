//! Who changed what, when, from which laptop: views of the audit log.

use super::Result;
use crate::domain::Id;
use crate::store::{AuditEntry, Change, Store};
use chrono::{DateTime, Utc};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct HistoryLine {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub laptop: String,
    pub action: String,
    /// "tree key: field old → new; …"
    pub what: String,
}

fn short(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    };
    let s = s.replace('\n', " ");
    if s.chars().count() > 40 { format!("{}…", s.chars().take(40).collect::<String>()) } else { s }
}

/// The fields that differ between a record's old and new value, after the record's name.
pub fn describe(c: &Change) -> String {
    format!("{} {}: {}", c.table, c.key, fields(c))
}

/// Only the fields that differ: "verdict: 符合 → 不符合; note: - → 已当场指出".
pub fn fields(c: &Change) -> String {
    let data = |v: &Option<Value>| v.as_ref().and_then(|v| v.get("d")).cloned().unwrap_or(Value::Null);
    let (old, new) = (data(&c.old), data(&c.new));
    let mut parts = Vec::new();
    match (&old, &new) {
        (Value::Object(o), Value::Object(n)) => {
            let keys: std::collections::BTreeSet<&String> = o.keys().chain(n.keys()).collect();
            for k in keys {
                if matches!(k.as_str(), "at" | "by") {
                    continue;
                }
                let (a, b) = (o.get(k).unwrap_or(&Value::Null), n.get(k).unwrap_or(&Value::Null));
                if a != b {
                    parts.push(format!("{k}: {} → {}", short(a), short(b)));
                }
            }
        }
        (Value::Null, Value::Object(n)) => {
            for k in ["verdict", "note", "description", "severity", "status", "code", "name", "title"] {
                if let Some(v) = n.get(k).filter(|v| !v.is_null() && v.as_str() != Some("")) {
                    parts.push(format!("{k}: {}", short(v)));
                }
            }
        }
        _ => {}
    }
    parts.join("; ")
}

/// Changes that keep their values. Bulk entries (demo data) list each record only with its hash,
/// for `audit verify`; their detail says what happened.
fn valued(e: &AuditEntry) -> impl Iterator<Item = &Change> {
    e.changes.iter().filter(|c| c.old.is_some() || c.new.is_some())
}

fn line(e: &AuditEntry, changes: &[&Change], name: fn(&Change) -> String) -> HistoryLine {
    let what = if changes.is_empty() { e.detail.to_string() } else { changes.iter().map(|c| name(c)).collect::<Vec<_>>().join(" | ") };
    HistoryLine { seq: e.seq, at: e.at, actor: e.actor.clone(), laptop: e.laptop.0.short(), action: e.action.clone(), what }
}

fn detail_is(e: &AuditEntry, key: &str, value: &str) -> bool {
    e.detail.get(key).and_then(Value::as_str) == Some(value)
}

/// The audit log, optionally only entries about an organisation and/or a round.
pub fn log(store: &Store, org: Option<&str>, round: Option<Id>) -> Result<Vec<HistoryLine>> {
    let round = round.map(|r| r.to_string());
    Ok(store
        .audit_entries()?
        .iter()
        .filter(|e| {
            let org_ok = org.is_none_or(|o| detail_is(e, "org", o) || valued(e).any(|c| c.key.split('/').any(|p| p == o)));
            let round_ok = round.as_deref().is_none_or(|r| detail_is(e, "round", r) || valued(e).any(|c| c.key.starts_with(r)));
            org_ok && round_ok
        })
        .map(|e| line(e, &valued(e).collect::<Vec<_>>(), describe))
        .collect())
}

/// Everything that happened to one item of one visit: its verdict and note, and its findings.
pub fn item_history(store: &Store, round: Id, org: &str, item: &str) -> Result<Vec<HistoryLine>> {
    let result_key = format!("{round}/{org}/{item}");
    let about_item = |v: &Option<Value>| {
        v.as_ref().and_then(|v| v.get("d")).is_some_and(|d| {
            d.get("round").and_then(Value::as_str) == Some(&round.to_string())
                && d.get("org").and_then(Value::as_str) == Some(org)
                && d.get("item").and_then(Value::as_str) == Some(item)
        })
    };
    let mut out = Vec::new();
    for e in store.audit_entries()? {
        let hits: Vec<&Change> = e
            .changes
            .iter()
            .filter(|c| {
                (c.table == "results" && c.key == result_key) || (c.table == "findings" && (about_item(&c.old) || about_item(&c.new)))
            })
            .collect();
        if !hits.is_empty() {
            // Within one item the record's name says nothing new: only what changed.
            out.push(line(&e, &hits, fields));
        }
    }
    Ok(out)
}
