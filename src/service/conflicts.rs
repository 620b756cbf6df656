//! Conflicts: a field edited on two laptops that had not seen each other's edit keeps both
//! values until a reviewer chooses one (`resolve`). The record shows the latest meanwhile, the
//! same on every laptop; nothing is overwritten silently.

use super::{Result, Session, invalid};
use crate::domain::fields::set_path;
use crate::domain::sync::Dot;
use crate::i18n::K;
use crate::store::{Commit, Table};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// One value a field in conflict holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub value: Value,
    /// Who wrote it (the change's author), and when.
    pub author: String,
    pub at: DateTime<Utc>,
    pub dot: Dot,
}

/// A field in conflict, as the 冲突 screen and `conflict list` show it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRow {
    /// A short id for `conflict resolve`, the same on every laptop.
    pub id: String,
    pub table: Table,
    /// The record, readable (e.g. the visit's round and organisation).
    pub record: String,
    pub field: String,
    /// The value the record shows meanwhile is the last.
    pub choices: Vec<Choice>,
    key: Vec<u8>,
}

fn short_id(table: Table, key: &[u8], field: &str) -> String {
    let mut h = Sha256::new();
    h.update(table.name().as_bytes());
    h.update([0]);
    h.update(key);
    h.update([0]);
    h.update(field.as_bytes());
    crate::domain::sync::hex(&h.finalize()[..4])
}

/// A record's key as people read it: the organisation's name where the key names one.
fn describe(s: &Session, table: Table, key: &[u8]) -> String {
    use crate::store::keys::{Part, decode};
    let parts = decode(key).unwrap_or_default();
    // A finding by its problem number (or its text, before it has one) and its organisation.
    if let (Table::Findings, [Part::Id(id)]) = (table, parts.as_slice())
        && let Ok(Some(f)) = s.store.finding(*id)
    {
        let org = s.store.org(&f.org).ok().flatten().map_or_else(|| f.org.clone(), |o| o.name);
        let what = f.number.clone().unwrap_or_else(|| f.description.chars().take(16).collect());
        return format!("{} {what}（{org}）", super::sync::table_label(table));
    }
    let text: Vec<String> = parts
        .iter()
        .map(|p| match p {
            Part::Str(code) => match s.store.org(code) {
                Ok(Some(o)) => format!("{}（{code}）", o.name),
                _ => code.clone(),
            },
            Part::Id(id) => match s.store.round(*id) {
                Ok(Some(r)) => r.title,
                _ => id.short(),
            },
            Part::U64(n) => n.to_string(),
        })
        .collect();
    format!("{} {}", super::sync::table_label(table), text.join(" / "))
}

/// Every field in conflict.
pub fn list(s: &Session) -> Result<Vec<ConflictRow>> {
    let mut out = Vec::new();
    for c in s.store.conflicts()? {
        let choices = c
            .candidates
            .iter()
            .map(|x| {
                let author = s.store.change(x.dot).ok().flatten().map_or_else(|| x.dot.laptop.to_string(), |ch| ch.author);
                Choice { value: x.value.clone(), author, at: x.at, dot: x.dot }
            })
            .collect();
        out.push(ConflictRow {
            id: short_id(c.table, &c.key, &c.field),
            record: describe(s, c.table, &c.key),
            table: c.table,
            field: c.field,
            choices,
            key: c.key,
        });
    }
    Ok(out)
}

/// A value as one line of text (a time in local time, to the minute).
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => match s.parse::<DateTime<Utc>>() {
            Ok(t) => t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string(),
            Err(_) => s.clone(),
        },
        other => other.to_string(),
    }
}

/// A field's path in words (`rect.progress` → 整改进展), where the parts are known.
pub fn field_text(path: &str) -> String {
    // A rectification field is named by itself (整改进展), not under the word for the whole.
    let path = path.strip_prefix("rect.").unwrap_or(path);
    path.split('.').map(super::history::field_label).collect::<Vec<_>>().join(" · ")
}

/// Settles the conflict `id` with its choice number `take` (from 1): the field gets that
/// value, on this laptop now and on the others when the change reaches them. A reviewer's act
/// in a team (alone: anyone's).
pub fn resolve(s: &Session, id: &str, take: usize) -> Result<ConflictRow> {
    super::team::require(s, super::team::Act::Review)?;
    let rows = list(s)?;
    let row = rows.into_iter().find(|r| r.id == id.trim()).ok_or_else(|| invalid(K::ConflictUnknown, &[&id.trim()]))?;
    let Some(choice) = take.checked_sub(1).and_then(|i| row.choices.get(i)) else {
        return Err(invalid(K::ConflictNoChoice, &[&take, &row.choices.len()]));
    };
    let mut data = s.store.record_data(row.table, &row.key)?.unwrap_or_else(|| Value::Object(Default::default()));
    set_path(&mut data, &row.field, choice.value.clone());
    let rec = crate::store::sync::rec_of(row.table, &data).map_err(|why| invalid(K::ConflictUnusable, &[&why]))?;
    let write = crate::store::sync::write_of(&rec);
    let detail = json!({ "conflict": row.id, "record": row.record, "field": row.field, "value": choice.value, "author": choice.author });
    let mut commit = Commit::new("conflict.resolve", detail, vec![write]);
    commit.settle = vec![(row.table, row.key.clone(), row.field.clone())];
    s.commit(commit)?;
    Ok(row)
}
