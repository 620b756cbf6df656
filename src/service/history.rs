//! Who changed what, when, from which laptop: views of the audit log, in words. A line names
//! the organisation and the round, not their keys, and the fields by what people call them.

use super::{Result, Session};
use crate::domain::Id;
use crate::i18n::K;
use crate::store::{AuditEntry, Change, Store};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct HistoryLine {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub laptop: String,
    /// The action's code, as the audit log keeps it (visit.verdict, review.approve …).
    pub action: String,
    /// The action in words (记录结论, 审核通过 …).
    pub action_label: String,
    /// "柳河村党支部 C1.2 结论: 符合 → 不符合; …"
    pub what: String,
}

/// An action code in words; an unknown code as it is.
pub fn action_label(action: &str) -> String {
    let k = match action {
        "org.import" => K::ActOrgImport,
        "demo.fill" => K::ActDemoFill,
        "template.snapshot" => K::ActTemplateSnapshot,
        "round.create" => K::ActRoundCreate,
        "visit.verdict" => K::ActVisitVerdict,
        "visit.info" => K::ActVisitInfo,
        "visit.veto" => K::ActVisitVeto,
        "visit.recheck" => K::ActVisitRecheck,
        "visit.submit" => K::ActVisitSubmit,
        "visit.import" => K::ActVisitImport,
        "finding.add" => K::ActFindingAdd,
        "finding.edit" => K::ActFindingEdit,
        "finding.withdraw" => K::ActFindingWithdraw,
        "review.finding" => K::ActReviewFinding,
        "review.correct" => K::ActReviewCorrect,
        "review.approve" => K::ActReviewApprove,
        "review.return" => K::ActReviewReturn,
        "rectify.update" => K::ActRectifyUpdate,
        "rectify.notice" => K::ActRectifyNotice,
        "rectify.import" => K::ActRectifyImport,
        "finding.attach" => K::ActFindingAttach,
        "rectify.attach" => K::ActRectifyAttach,
        "sync.adopt" => K::ActSyncAdopt,
        "conflict.resolve" => K::ActConflictResolve,
        "team.init" | "team.admit" | "team.remove" | "team.numbering" | "team.roster" => K::ActTeamRoster,
        other => return other.to_string(),
    };
    k.text().to_string()
}

/// A record field in words; an unknown field as it is.
pub fn field_label(field: &str) -> &str {
    let k = match field {
        "verdict" => K::ColVerdict,
        "note" => K::ColNote,
        "description" => K::FieldDescription,
        "severity" => K::FieldSeverity,
        "status" => K::ColStatus,
        "deadline" => K::FieldDeadline,
        "rect_type" => K::FieldRectType,
        "requirement" => K::FieldRequirement,
        "responsible_person" => K::FieldResponsible,
        "evidence" => K::FieldEvidence,
        "review" => K::ColReview,
        "review_comment" => K::ReviewComment,
        "number" => K::ColNumber,
        "repeat_of" => K::FieldRepeatOf,
        "rect" => K::StatsRect,
        "arrived_at" => K::FieldArrivedAt,
        "arrival_state" => K::FieldArrivalState,
        "arrival_note" => K::FieldArrivalNote,
        "interviewed" => K::FieldInterviewed,
        "records_read" => K::FieldRecordsRead,
        "unannounced" => K::FieldUnannounced,
        "vetoes" => K::VetoGates,
        "inspector" => K::Inspector,
        "return_comment" => K::ReturnComment,
        "reviewed_by" => K::FieldReviewedBy,
        "name" => K::ColName,
        "code" => K::ColCode,
        "title" => K::ColTitle,
        "level" => K::ColLevel,
        "field" => K::ColField,
        "secretary" => K::ColSecretary,
        "members" => K::ColMembers,
        "parent" => K::ColParent,
        "measures" => K::FieldMeasures,
        "overseer" => K::FieldOverseer,
        "progress" => K::FieldProgress,
        "acceptor" => K::FieldAcceptor,
        "accepted_on" => K::FieldAcceptedOn,
        "closed_on" => K::FieldClosedOn,
        "remarks" => K::FieldRemarks,
        "updates" => K::FieldRectSteps,
        "attachments" => K::ColFileId,
        "started_at" => K::FieldStartedAt,
        _ => return field,
    };
    k.text()
}

/// The kind of record a table holds, in words.
fn table_label(table: &str) -> &str {
    let k = match table {
        "results" => K::ColVerdict,
        "findings" => K::Findings,
        "visits" => K::ColVisit,
        "orgs" => K::Organisations,
        "rounds" => K::Rounds,
        "templates" => K::Templates,
        _ => return table,
    };
    k.text()
}

/// Fields that say nothing new to a reader: who and when are on the line already; the record's
/// own keys are in its name.
const QUIET: &[&str] = &["at", "by", "round", "org", "item", "id", "created_at", "created_by", "started_at", "submitted_at", "approved_on"];

fn short(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Null => crate::domain::scoring::UNKNOWN.into(),
        Value::Bool(true) => K::Yes.text().into(),
        Value::Bool(false) => K::No.text().into(),
        other => other.to_string(),
    };
    let s = s.replace('\n', " ");
    if s.chars().count() > 40 { format!("{}…", s.chars().take(40).collect::<String>()) } else { s }
}

/// Names for the keys a record is stored under: organisation codes and round ids become the
/// organisation's name and the round's title. Looked up once each.
struct Names<'a> {
    store: &'a Store,
    cache: HashMap<String, String>,
}

impl Names<'_> {
    fn of(&mut self, part: &str) -> String {
        if let Some(n) = self.cache.get(part) {
            return n.clone();
        }
        let name = match part.parse::<Id>() {
            Ok(id) => self.store.round(id).ok().flatten().map(|r| r.title),
            Err(_) => self.store.org(part).ok().flatten().map(|o| o.name),
        }
        .unwrap_or_else(|| part.to_string());
        self.cache.insert(part.to_string(), name.clone());
        name
    }

    /// "柳河村党支部 C1.2": the record's key in names; a finding by its number or description.
    /// `old` and `new`: the record's data before and after the change (Null: absent).
    fn record(&mut self, c: &Change, old: &Value, new: &Value) -> String {
        let data = [new, old].into_iter().find(|v| !v.is_null());
        if c.table == "findings" && data.and_then(|d| d.get("org")).is_none() {
            // Only the fields that changed are known from the log: the finding as it is now.
            let now = c.key.parse::<Id>().ok().and_then(|id| self.store.finding(id).ok().flatten());
            if let Some(v) = now.and_then(|f| serde_json::to_value(f).ok()) {
                return self.record(c, &Value::Null, &v);
            }
        }
        if c.table == "findings" {
            let org = data.and_then(|d| d.get("org")).and_then(Value::as_str).map(|o| self.of(o)).unwrap_or_default();
            let label = data
                .and_then(|d| d.get("number").and_then(Value::as_str).or_else(|| d.get("item").and_then(Value::as_str)))
                .unwrap_or(K::OtherItem.text())
                .to_string();
            return format!("{org} {} {label}", table_label(&c.table));
        }
        let parts: Vec<String> = c.key.split('/').map(|p| self.of(p)).collect();
        format!("{} {}", table_label(&c.table), parts.join(" "))
    }
}

/// Only the fields that differ: "结论: 符合 → 不符合; 说明: - → 已当场指出". From the change
/// alone: a change that keeps only the fields that differ (schema 3) shows those; `Replay` gives
/// them the record's other fields too.
pub fn fields(c: &Change) -> String {
    let (old, new) = c.replay(None);
    fields_of(&old, &new)
}

/// The fields that differ between a record's data before and after (Null: absent); a new
/// record's main fields.
fn fields_of(old: &Value, new: &Value) -> String {
    let mut parts = Vec::new();
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            let keys: std::collections::BTreeSet<&String> = o.keys().chain(n.keys()).collect();
            for k in keys {
                if QUIET.contains(&k.as_str()) {
                    continue;
                }
                let (a, b) = (o.get(k).unwrap_or(&Value::Null), n.get(k).unwrap_or(&Value::Null));
                if a != b {
                    parts.push(format!("{}: {} → {}", field_label(k), short(a), short(b)));
                }
            }
        }
        (Value::Null, Value::Object(n)) => {
            for k in ["verdict", "note", "description", "severity", "status", "code", "name", "title"] {
                if let Some(v) = n.get(k).filter(|v| !v.is_null() && v.as_str() != Some("")) {
                    parts.push(format!("{}: {}", field_label(k), short(v)));
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
    e.changes.iter().filter(|c| c.has_values())
}

/// Each record's data as the log has it so far, entry by entry: an entry of schema 3 keeps only
/// the fields that changed, so the record's other fields come from its earlier entries. A
/// record last written without values (bulk data) is unknown until its next whole value.
#[derive(Default)]
struct Replay {
    known: HashMap<(String, String), Value>,
}

impl Replay {
    /// The record's data before and after `c`, and what the log knows of it from then on.
    fn step(&mut self, c: &Change) -> (Value, Value) {
        let id = (c.table.clone(), c.raw.clone().unwrap_or_else(|| c.key.clone()));
        if !c.has_values() {
            self.known.remove(&id);
            return (Value::Null, Value::Null);
        }
        let (old, new) = c.replay(self.known.get(&id));
        // A diff without the record's earlier data is only part of the record: not kept.
        let whole = c.fields.is_some() || c.new.is_some() || self.known.contains_key(&id);
        if new.is_null() || !whole {
            self.known.remove(&id);
        } else {
            self.known.insert(id, new.clone());
        }
        (old, new)
    }
}

fn line(e: &AuditEntry, what: String) -> HistoryLine {
    HistoryLine {
        seq: e.seq,
        at: e.at,
        actor: e.actor.clone(),
        laptop: e.laptop.0.short(),
        action: e.action.clone(),
        action_label: action_label(&e.action),
        what,
    }
}

fn detail_is(e: &AuditEntry, key: &str, value: &str) -> bool {
    e.detail.get(key).and_then(Value::as_str) == Some(value)
}

/// What an entry without record values did, from its detail: "file: roster.csv; added: 12".
fn detail_words(e: &AuditEntry) -> String {
    match &e.detail {
        Value::Object(m) => m.iter().map(|(k, v)| format!("{}: {}", field_label(k), short(v))).collect::<Vec<_>>().join("; "),
        other => short(other),
    }
}

/// An attach entry's file in words: short id, name, size and the whole hash (the time is the
/// entry's own).
fn attached(e: &AuditEntry) -> Option<String> {
    if !matches!(e.action.as_str(), "finding.attach" | "rectify.attach") {
        return None;
    }
    let d = &e.detail;
    let sha = d.get("sha256").and_then(Value::as_str)?;
    let name = d.get("name").and_then(Value::as_str).unwrap_or_default();
    let size = d.get("size").and_then(Value::as_u64).unwrap_or_default();
    Some(K::EvidenceHistory.fill(&[&crate::domain::evidence::short_id(sha), &name, &super::sync::size_label(size), &sha]))
}

/// The audit log, optionally only entries about an organisation and/or a round.
pub fn log(session: &Session, org: Option<&str>, round: Option<Id>) -> Result<Vec<HistoryLine>> {
    let store = &session.store;
    let round = round.map(|r| r.to_string());
    let mut names = Names { store, cache: HashMap::new() };
    let mut replay = Replay::default();
    let mut out = Vec::new();
    for e in store.audit_entries()? {
        // Every entry is replayed, shown or not: a later one may need the fields it wrote.
        let steps: Vec<(&Change, Value, Value)> = e
            .changes
            .iter()
            .map(|c| {
                let (old, new) = replay.step(c);
                (c, old, new)
            })
            .filter(|(c, _, _)| c.has_values())
            .collect();
        let org_ok = org.is_none_or(|o| detail_is(&e, "org", o) || valued(&e).any(|c| c.key.split('/').any(|p| p == o)));
        let round_ok = round.as_deref().is_none_or(|r| detail_is(&e, "round", r) || valued(&e).any(|c| c.key.starts_with(r)));
        if !(org_ok && round_ok) {
            continue;
        }
        let what = if let Some(file) = attached(&e) {
            // The file by its hash, size and name, not the list it was appended to.
            let record = steps.first().map(|(c, old, new)| names.record(c, old, new)).unwrap_or_default();
            format!("{record}: {file}")
        } else if steps.is_empty() {
            detail_words(&e)
        } else {
            steps
                .iter()
                .map(|(c, old, new)| format!("{}: {}", names.record(c, old, new), fields_of(old, new)))
                .collect::<Vec<_>>()
                .join(" | ")
        };
        out.push(line(&e, what));
    }
    Ok(out)
}

/// Everything that happened to one item of one visit: its verdict and note, and its findings.
pub fn item_history(session: &Session, round: Id, org: &str, item: &str) -> Result<Vec<HistoryLine>> {
    let store = &session.store;
    let result_key = format!("{round}/{org}/{item}");
    let about_item = |d: &Value| {
        d.get("round").and_then(Value::as_str) == Some(&round.to_string())
            && d.get("org").and_then(Value::as_str) == Some(org)
            && d.get("item").and_then(Value::as_str) == Some(item)
    };
    // A finding the log holds no whole value of (written by bulk data, never by xuncha today):
    // what the store holds now says which item it is about.
    let mut now: HashMap<String, bool> = HashMap::new();
    let mut about_now = |key: &str| -> bool {
        *now.entry(key.to_string()).or_insert_with(|| {
            key.parse::<Id>()
                .ok()
                .and_then(|id| store.finding(id).ok().flatten())
                .is_some_and(|f| f.round == round && f.org == org && f.item.as_deref() == Some(item))
        })
    };
    let mut replay = Replay::default();
    let mut out = Vec::new();
    for e in store.audit_entries()? {
        let mut hits = Vec::new();
        for c in e.changes.iter().filter(|c| c.table == "results" || c.table == "findings") {
            let (old, new) = replay.step(c);
            let hit = match c.table.as_str() {
                "results" => c.key == result_key,
                _ if old.get("round").is_some() || new.get("round").is_some() => about_item(&old) || about_item(&new),
                _ => c.has_values() && about_now(&c.key),
            };
            if hit {
                hits.push(fields_of(&old, &new));
            }
        }
        if !hits.is_empty() {
            // Within one item the record's name says nothing new: only what changed (a file
            // attached: the file, not the list it joined).
            let what = attached(&e).unwrap_or_else(|| hits.join(" | "));
            out.push(line(&e, what));
        }
    }
    Ok(out)
}
