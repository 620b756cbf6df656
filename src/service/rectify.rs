//! Follow-up of official findings: status changes through the rectification status machine,
//! one at a time (the board, `rectify set`) or from a file sent back by follow-up tracking.

use super::{Result, ServiceError, Session, invalid};
use crate::domain::vocab::Vocab;
use crate::domain::{Finding, RectStatus, RectUpdate};
use crate::i18n::K;
use crate::store::{Commit, Store, Write};
use crate::tabular::{FileKind, Problem, ReadOptions};
use chrono::NaiveDate;
use serde_json::json;
use std::path::Path;

/// One requested change of a finding's rectification. Empty text fields change nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Update {
    pub status: Option<RectStatus>,
    pub note: String,
    pub evidence: String,
    /// 申请延期: the new deadline.
    pub deadline: Option<NaiveDate>,
    pub measures: String,
    pub overseer: String,
    pub acceptor: String,
    pub accepted_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub remarks: String,
    /// Deciding a 申请延期 (from 申请延期 back to 整改中): a reviewer grants it (with the date
    /// asked, or `deadline`) or refuses it (with a reason in `note`).
    pub extension: Option<Extension>,
}

/// A reviewer's decision on a request for more time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extension {
    Grant,
    Refuse,
}

/// A new deadline for more time: later than the one it replaces, and within two years of today.
fn later_deadline(d: NaiveDate, old: Option<NaiveDate>, today: NaiveDate) -> std::result::Result<(), String> {
    if let Some(old) = old
        && d <= old
    {
        return Err(K::ExtensionEarlier.fill(&[&d, &old]));
    }
    let latest = crate::domain::limits::latest_deadline(today);
    if d > latest {
        return Err(K::DeadlineTooFar.fill(&[&d, &latest]));
    }
    Ok(())
}

/// Applies `u` to `f` (pure): the new finding, or why not. `None` when nothing changes, so that
/// importing the same file twice changes nothing.
pub fn apply(f: &Finding, u: &Update, by: &str, today: NaiveDate) -> std::result::Result<Option<Finding>, String> {
    if f.number.is_none() {
        return Err(K::NotOfficial.fill(&[&f.id]));
    }
    let mut g = f.clone();
    let set = |field: &mut String, v: &str| {
        if !v.trim().is_empty() {
            *field = v.trim().to_string();
        }
    };
    set(&mut g.rect.measures, &u.measures);
    set(&mut g.rect.overseer, &u.overseer);
    set(&mut g.rect.remarks, &u.remarks);
    set(&mut g.rect.progress, &u.note);
    if let Some(to) = u.status.filter(|to| *to != f.status) {
        if !f.status.can_move_to(to) {
            let allowed = f.status.next().iter().map(|s| s.label()).collect::<Vec<_>>().join(", ");
            return Err(K::BadTransition.fill(&[&f.status.label(), &to.label(), &allowed]));
        }
        let mut step = RectUpdate {
            on: today,
            by: by.to_string(),
            from: f.status,
            to,
            note: u.note.trim().to_string(),
            evidence: u.evidence.trim().to_string(),
            deadline_from: None,
            deadline_to: None,
            attachments: vec![],
            notice: None,
            recheck: None,
        };
        match to {
            RectStatus::ExtensionRequested => {
                let (Some(d), false) = (u.deadline, u.note.trim().is_empty()) else { return Err(K::ExtensionNeeds.text().into()) };
                later_deadline(d, f.deadline, today)?;
                // Asked for, not granted: the deadline moves only when a reviewer grants it.
                step.deadline_from = f.deadline;
                step.deadline_to = Some(d);
            }
            RectStatus::InProgress if f.status == RectStatus::ExtensionRequested => match u.extension {
                None => return Err(K::ExtensionDecide.text().into()),
                Some(Extension::Refuse) if u.note.trim().is_empty() => return Err(K::ExtensionRefuseNeeds.text().into()),
                Some(Extension::Refuse) => {}
                Some(Extension::Grant) => {
                    let asked = f
                        .rect
                        .updates
                        .iter()
                        .rev()
                        .find(|x| x.is_move() && x.to == RectStatus::ExtensionRequested)
                        .and_then(|x| x.deadline_to);
                    let Some(d) = u.deadline.or(asked) else { return Err(K::ExtensionNeeds.text().into()) };
                    later_deadline(d, f.deadline, today)?;
                    step.deadline_from = f.deadline;
                    step.deadline_to = Some(d);
                    g.deadline = Some(d);
                }
            },
            RectStatus::Rejected if u.note.trim().is_empty() => return Err(K::RejectNeeds.text().into()),
            RectStatus::Closed => {
                if !RectStatus::acceptance_allowed(&u.acceptor, &f.responsible_person) {
                    return Err(K::AcceptorNeeded.fill(&[&f.responsible_person]));
                }
                // 销号 is a check by someone else than who said the fix was done.
                if let Some(done) = f.rect.updates.iter().rev().find(|x| x.is_move() && x.to == RectStatus::AwaitingAcceptance)
                    && done.by == by
                {
                    return Err(K::RuleCloseSelf.fill(&[&by]));
                }
                g.rect.acceptor = u.acceptor.trim().to_string();
                g.rect.accepted_on = Some(u.accepted_on.unwrap_or(today));
                g.rect.closed_on = Some(u.closed_on.or(u.accepted_on).unwrap_or(today));
            }
            _ => {}
        }
        g.status = to;
        g.rect.updates.push(step);
    }
    Ok((g != *f).then_some(g))
}

fn by_number(store: &Store, number: &str) -> Result<Finding> {
    store
        .findings()?
        .into_iter()
        .find(|f| f.number.as_deref() == Some(number.trim()))
        .ok_or_else(|| invalid(K::NumberUnknown, &[&number.trim()]))
}

/// Changes one finding (the board, `xuncha rectify set`).
pub fn set(s: &Session, number: &str, u: &Update) -> Result<Finding> {
    let f = by_number(&s.store, number)?;
    // Deciding a request for more time is a reviewer's; every other step follow-up's too.
    let deciding = f.status == RectStatus::ExtensionRequested && u.status == Some(RectStatus::InProgress);
    super::team::require(s, if deciding { super::team::Act::Review } else { super::team::Act::Rectify })?;
    let today = s.today();
    match apply(&f, u, &s.actor, today).map_err(ServiceError::Invalid)? {
        None => Ok(f),
        Some(g) => {
            let detail = json!({ "round": g.round.to_string(), "org": g.org, "number": g.number, "status": g.status.zh() });
            s.commit(Commit::new("rectify.update", detail, vec![Write::put(&g)]))?;
            Ok(g)
        }
    }
}

/// The columns a follow-up file may carry (the list's own headers); 问题编号 and 整改状态 are needed.
const KEY: &str = "问题编号";
const STATUS: &str = "整改状态";
const OPTIONAL: [&str; 9] = ["整改进展", "整改措施", "督促责任人", "验收人", "验收日期", "销号日期", "整改时限", "备注", "佐证"];

fn parse_date(s: &str) -> std::result::Result<Option<NaiveDate>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let normal = t.replace(['/', '.', '年', '月'], "-").trim_end_matches('日').to_string();
    NaiveDate::parse_from_str(&normal, "%Y-%m-%d").map(Some).map_err(|_| K::BadDate.fill(&[&t]))
}

/// "整改中（逾期）" → 整改中: the list adds 逾期 to open findings; it is not a state.
fn parse_status(s: &str) -> Option<RectStatus> {
    let t = s.trim().trim_end_matches("（逾期）").trim_end_matches("(逾期)").trim();
    RectStatus::parse_word(t)
}

/// One row of a follow-up file: where it is (line), and its cells as (column name, column, text).
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub line: usize,
    pub cells: Vec<(String, usize, String)>,
}

impl Incoming {
    fn get(&self, name: &str) -> (usize, &str) {
        self.cells.iter().find(|(n, _, _)| n == name).map_or((0, ""), |(_, c, v)| (*c, v.as_str()))
    }
}

fn read_incoming(path: &Path, options: &ReadOptions) -> Result<(String, Vec<Incoming>)> {
    let file = path.display().to_string();
    let bytes = crate::tabular::read_bytes(FileKind::FollowUp, path, options)?;
    let json = path.extension().is_some_and(|x| x.eq_ignore_ascii_case("json"));
    Ok((file.clone(), parse_incoming(&file, &bytes, json, options)?))
}

/// The rows of a follow-up file (CSV, XLSX or the JSON export) by column name, before any is
/// checked against the store: pure, so a fuzzer can feed it anything.
pub fn parse_incoming(file: &str, bytes: &[u8], json: bool, options: &ReadOptions) -> Result<Vec<Incoming>> {
    let file = file.to_string();
    if json || bytes.trim_ascii_start().starts_with(b"{") {
        let v: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|e| ServiceError::Invalid(K::FollowUpJsonBad.fill(&[&FileKind::FollowUp.label(), &file, &e])))?;
        let rows = v
            .get("rows")
            .and_then(|r| r.as_array())
            .ok_or_else(|| ServiceError::Invalid(K::FollowUpJsonBad.fill(&[&FileKind::FollowUp.label(), &file, &K::JsonNoRows.text()])))?;
        // JSON keys are the export's: number, status, progress, measures, overseer, acceptor, ...
        let keys = [
            ("number", KEY),
            ("status", STATUS),
            ("progress", "整改进展"),
            ("measures", "整改措施"),
            ("overseer", "督促责任人"),
            ("acceptor", "验收人"),
            ("accepted_on", "验收日期"),
            ("closed_on", "销号日期"),
            ("deadline", "整改时限"),
            ("remarks", "备注"),
            ("evidence", "佐证"),
        ];
        let incoming = rows
            .iter()
            .enumerate()
            .map(|(i, r)| Incoming {
                line: i + 1,
                cells: keys
                    .iter()
                    .enumerate()
                    .filter_map(|(c, (k, name))| {
                        let v = r.get(*k)?;
                        let text = match v {
                            serde_json::Value::String(s) => s.clone(),
                            serde_json::Value::Null => String::new(),
                            other => other.to_string(),
                        };
                        Some((name.to_string(), c + 1, text))
                    })
                    .collect(),
            })
            .collect();
        return Ok(incoming);
    }
    // The list as xuncha writes it in XLSX has a title row above the header.
    let rows = crate::tabular::read_rows(FileKind::FollowUp, &file, bytes, options)?;
    let mut rows = crate::tabular::from_header(rows, &[KEY, STATUS]).into_iter();
    let Some((_, header)) = rows.next() else { return Err(FileKind::FollowUp.error(&file, Problem::Empty).into()) };
    let known: Vec<&str> = std::iter::once(KEY).chain(std::iter::once(STATUS)).chain(OPTIONAL).collect();
    let cols: Vec<(String, usize)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let h = h.trim().trim_start_matches('\u{feff}');
            known.contains(&h).then(|| (h.to_string(), i))
        })
        .collect();
    let missing: Vec<&str> = [KEY, STATUS].into_iter().filter(|k| !cols.iter().any(|(n, _)| n == k)).collect();
    if !missing.is_empty() {
        return Err(FileKind::FollowUp.missing_columns(&file, &missing, &[KEY, STATUS]).into());
    }
    let incoming = rows
        .map(|(line, cells)| Incoming {
            line,
            cells: cols.iter().map(|(n, i)| (n.clone(), i + 1, cells.get(*i).cloned().unwrap_or_default())).collect(),
        })
        .collect();
    Ok(incoming)
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub updated: usize,
    pub unchanged: usize,
}

/// Reads a list sent back by follow-up tracking (CSV, XLSX or the JSON export) and applies every
/// row, or none: every bad cell is reported with its line and column.
pub fn import(s: &Session, path: &Path, options: &ReadOptions) -> Result<ImportSummary> {
    import_with(s, path, options, &mut |_, _| {})
}

/// `import`, telling `progress(done, total)` how far the checking has come.
pub fn import_with(s: &Session, path: &Path, options: &ReadOptions, progress: &mut dyn FnMut(usize, usize)) -> Result<ImportSummary> {
    super::team::require(s, super::team::Act::Rectify)?;
    let (file, incoming) = read_incoming(path, options)?;
    let today = s.today();
    let by_number: std::collections::HashMap<String, Finding> =
        s.store.findings()?.into_iter().filter_map(|f| f.number.clone().map(|n| (n, f))).collect();
    let mut errors = Vec::new();
    let mut writes = Vec::new();
    let mut summary = ImportSummary::default();
    let mut seen = std::collections::HashSet::new();
    let cell = |line: usize, col: usize, name: &str, reason: String| K::RosterRowError.fill(&[&line, &col, &name, &reason]);
    let total = incoming.len();
    for (done, row) in incoming.iter().enumerate() {
        progress(done, total);
        let (kc, number) = row.get(KEY);
        let number = number.trim();
        if number.is_empty() {
            continue;
        }
        let Some(f) = by_number.get(number) else {
            errors.push(cell(row.line, kc, KEY, K::NumberUnknown.fill(&[&number])));
            continue;
        };
        if !seen.insert(number.to_string()) {
            errors.push(cell(row.line, kc, KEY, K::RowDuplicateCode.fill(&[&number, &"-"])));
            continue;
        }
        let (sc, status_text) = row.get(STATUS);
        let status = if status_text.trim().is_empty() {
            None
        } else {
            match parse_status(status_text) {
                Some(st) => Some(st),
                None => {
                    errors.push(cell(row.line, sc, STATUS, K::TplBadValue.fill(&[&STATUS, &status_text, &RectStatus::expected()])));
                    continue;
                }
            }
        };
        let mut dates = [None, None, None];
        let mut bad = false;
        // The day it became official: nothing can be accepted or closed before it.
        let approved = f.approved_on.unwrap_or_else(|| f.created_at.with_timezone(&chrono::Local).date_naive());
        for (i, name) in ["验收日期", "销号日期", "整改时限"].iter().enumerate() {
            let (c, v) = row.get(name);
            match parse_date(v) {
                // What happened (accepted, closed) cannot lie in the future or before approval.
                Ok(Some(d)) if i < 2 && d > today => {
                    errors.push(cell(row.line, c, name, K::DateFuture.fill(&[&d])));
                    bad = true;
                }
                Ok(Some(d)) if i < 2 && d < approved => {
                    errors.push(cell(row.line, c, name, K::DateBeforeApproval.fill(&[&d, &approved])));
                    bad = true;
                }
                Ok(d) => dates[i] = d,
                Err(e) => {
                    errors.push(cell(row.line, c, name, e));
                    bad = true;
                }
            }
        }
        if bad {
            continue;
        }
        // A changed deadline in the file is an extension request only when the status says so.
        let deadline = dates[2].filter(|d| Some(*d) != f.deadline);
        let u = Update {
            status,
            note: row.get("整改进展").1.to_string(),
            evidence: row.get("佐证").1.to_string(),
            deadline,
            measures: row.get("整改措施").1.to_string(),
            overseer: row.get("督促责任人").1.to_string(),
            acceptor: row.get("验收人").1.to_string(),
            accepted_on: dates[0],
            closed_on: dates[1],
            remarks: row.get("备注").1.to_string(),
            // A file from follow-up tracking asks; it never decides a request for more time.
            extension: None,
        };
        // The progress note repeats in every export (the latest step's note when none was kept as
        // progress): it is only news when it differs.
        let u = Update { note: if u.note.trim() == f.rect.latest_progress().trim() { String::new() } else { u.note }, ..u };
        match apply(f, &u, &s.actor, today) {
            Ok(Some(g)) => {
                writes.push(Write::put(&g));
                summary.updated += 1;
            }
            Ok(None) => summary.unchanged += 1,
            Err(e) => errors.push(cell(row.line, sc, STATUS, e)),
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(format!("{}\n  {}", K::RectImportRejected.fill(&[&file, &errors.len()]), errors.join("\n  "))));
    }
    let detail = json!({ "file": file, "updated": summary.updated });
    s.commit_in_parts(Commit::new("rectify.import", detail, writes))?;
    Ok(summary)
}

/// One open finding on the escalation ladder (`xuncha rectify due`).
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub finding: Finding,
    pub org: String,
    pub rung: crate::domain::escalation::Rung,
    /// The day it is to be fixed by (the deadline, or the day approved for 立行立改).
    pub due: NaiveDate,
    /// Days past it on the day asked (negative: days left).
    pub days_over: i64,
}

/// The approved, open findings that need action on `day`, highest rung first, then the longest
/// overdue: each with its rung on the ladder (`domain::escalation`).
pub fn due(s: &Session, day: NaiveDate, t: &crate::domain::escalation::Thresholds) -> Result<Vec<Due>> {
    let mut names: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for f in s.store.findings()? {
        if f.number.is_none() || !f.status.is_open() {
            continue;
        }
        let Some(date) = f.due_date() else { continue };
        let Some(rung) = crate::domain::escalation::rung(Some(date), f.repeat_of.is_some(), day, t) else { continue };
        let org = match names.get(&f.org) {
            Some(n) => n.clone(),
            None => {
                let n = s.store.org(&f.org)?.map_or_else(|| f.org.clone(), |o| o.name);
                names.insert(f.org.clone(), n.clone());
                n
            }
        };
        out.push(Due { org, rung, due: date, days_over: (day - date).num_days(), finding: f });
    }
    out.sort_by(|a, b| b.rung.cmp(&a.rung).then(b.days_over.cmp(&a.days_over)).then(a.finding.number.cmp(&b.finding.number)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(status: RectStatus) -> Finding {
        Finding {
            item: Some("C1.1".into()),
            responsible_person: "王书记".into(),
            number: Some("2026Q4-0001".into()),
            ..Finding::sample(status, Some("2026-12-31".parse().unwrap()))
        }
    }

    fn today() -> NaiveDate {
        "2026-11-22".parse().unwrap()
    }

    #[test]
    fn the_main_path_records_each_step() {
        let f = finding(RectStatus::Pending);
        let u = Update { status: Some(RectStatus::InProgress), note: "已制定整改方案".into(), ..Default::default() };
        let g = apply(&f, &u, "跟踪员", today()).unwrap().unwrap();
        assert_eq!((g.status, g.rect.progress.as_str(), g.rect.updates.len()), (RectStatus::InProgress, "已制定整改方案", 1));
        assert_eq!(apply(&g, &u, "跟踪员", today()).unwrap(), None, "the same update twice changes nothing");
    }

    #[test]
    fn forbidden_moves_and_missing_conditions_are_named() {
        let f = finding(RectStatus::Pending);
        let err = apply(&f, &Update { status: Some(RectStatus::Closed), ..Default::default() }, "x", today()).unwrap_err();
        assert!(err.contains("待整改") && err.contains("已销号") && err.contains("整改中"), "{err}");
        let err =
            apply(&f, &Update { status: Some(RectStatus::ExtensionRequested), note: "汛期".into(), ..Default::default() }, "x", today())
                .unwrap_err();
        assert!(err.contains("新的整改时限"), "{err}");
        let early = Update {
            status: Some(RectStatus::ExtensionRequested),
            note: "汛期".into(),
            deadline: Some("2026-12-01".parse().unwrap()),
            ..Default::default()
        };
        assert!(apply(&f, &early, "x", today()).unwrap_err().contains("不晚于"));
        let waiting = finding(RectStatus::AwaitingAcceptance);
        let self_accept = Update { status: Some(RectStatus::Closed), acceptor: "王书记".into(), ..Default::default() };
        assert!(apply(&waiting, &self_accept, "x", today()).unwrap_err().contains("验收人"));
        let reject = Update { status: Some(RectStatus::Rejected), ..Default::default() };
        assert!(apply(&waiting, &reject, "x", today()).unwrap_err().contains("理由"));
    }

    #[test]
    fn an_extension_moves_the_deadline_and_acceptance_closes() {
        let f = finding(RectStatus::InProgress);
        let u = Update {
            status: Some(RectStatus::ExtensionRequested),
            note: "需上级审批".into(),
            deadline: Some("2027-01-31".parse().unwrap()),
            ..Default::default()
        };
        let g = apply(&f, &u, "x", today()).unwrap().unwrap();
        assert_eq!(g.deadline, f.deadline, "asked, not yet granted");
        assert_eq!((g.rect.updates[0].deadline_from, g.rect.updates[0].deadline_to), (f.deadline, Some("2027-01-31".parse().unwrap())));
        let back = Update { status: Some(RectStatus::InProgress), ..Default::default() };
        assert!(apply(&g, &back, "r", today()).unwrap_err().contains("批准或驳回"));
        let refuse = Update { extension: Some(Extension::Refuse), ..back.clone() };
        assert!(apply(&g, &refuse, "r", today()).unwrap_err().contains("理由"));
        let refused = apply(&g, &Update { note: "理由不足".into(), ..refuse }, "r", today()).unwrap().unwrap();
        assert_eq!((refused.status, refused.deadline), (RectStatus::InProgress, f.deadline));
        let granted = apply(&g, &Update { extension: Some(Extension::Grant), ..back }, "r", today()).unwrap().unwrap();
        assert_eq!((granted.status, granted.deadline), (RectStatus::InProgress, Some("2027-01-31".parse().unwrap())));
        assert_eq!(granted.rect.updates[1].deadline_from, f.deadline);
        let w = finding(RectStatus::AwaitingAcceptance);
        let close = Update { status: Some(RectStatus::Closed), acceptor: "李督导".into(), ..Default::default() };
        let c = apply(&w, &close, "x", today()).unwrap().unwrap();
        assert_eq!((c.rect.acceptor.as_str(), c.rect.closed_on), ("李督导", Some(today())));
    }

    #[test]
    fn the_list_status_with_overdue_reads_back() {
        assert_eq!(parse_status("整改中（逾期）"), Some(RectStatus::InProgress));
        assert_eq!(parse_status("已销号"), Some(RectStatus::Closed));
        assert_eq!(parse_status("完成了"), None);
    }
}
