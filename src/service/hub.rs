//! The office hub: push this laptop's changes to the team's PostgreSQL hub, pull the team's
//! changes from it, with the same checks and merge as a bundle (signatures against the roster,
//! the team's rules, conflicts). The hub checks every change again itself before storing it.
//! Pushing or pulling again after an interruption sends or takes only what is still missing.

use super::sync::{ADOPT_PER_CHANGE, check_signatures, land};
use super::{Result, ServiceError, Session, invalid};
use crate::domain::sync::Known;
use crate::hub::{self, HubError};
use crate::i18n::K;
use crate::identity::Keys;
use crate::store::Commit;
use serde_json::json;

/// At most so many changes, or changes writing so many records, per insert transaction on push
/// (the hub stores one transaction at a time: a part must not keep other laptops waiting long),
/// and per page on pull (what a laptop holds in memory at once).
const PUSH_PART: usize = 500;
const PUSH_RECORDS: usize = 5_000;
const PULL_PART: i64 = 2_000;
const PULL_RECORDS: i64 = 20_000;

/// A hub failure as the user reads it.
pub fn hub_error(url: &str, e: HubError) -> ServiceError {
    worded(url, e, None)
}

/// A hub failure as the user reads it, naming the members of `roster` by name.
fn worded(url: &str, e: HubError, roster: Option<&crate::domain::team::Roster>) -> ServiceError {
    let hub = hub::label(url);
    match e {
        HubError::BadUrl(why) => invalid(K::HubBadUrl, &[&why]),
        HubError::PasswordInUrl => invalid(K::HubPasswordInUrl, &[]),
        HubError::PgpassOpen(file) => invalid(K::HubPgpassOpen, &[&file.display()]),
        HubError::RootCert(file, why) => invalid(K::HubRootCert, &[&file.display(), &why]),
        HubError::Connect(why) => ServiceError::Io(K::HubUnreachable.fill(&[&hub, &why])),
        HubError::NotInitialised { have, need } => invalid(K::HubNotInitialised, &[&hub, &have, &need]),
        HubError::MigrationEdited { number, name } => invalid(K::HubMigrationEdited, &[&hub, &number, &name]),
        HubError::Refused { code, detail, .. } => invalid(K::HubRefused, &[&hub, &refusal(&code, detail.as_deref(), roster)]),
        HubError::Busy => ServiceError::Io(K::HubBusy.fill(&[&hub])),
        HubError::Denied(why) => invalid(K::HubDenied, &[&hub, &why]),
        HubError::Db(why) => invalid(K::HubDb, &[&hub, &why]),
        HubError::Corrupt(what) => invalid(K::HubCorrupt, &[&hub, &what]),
        HubError::Unreadable(what) => invalid(K::HubRecordUnreadable, &[&hub, &what]),
    }
}

/// Why the hub refused, in words, from its check's code and the change it names (see
/// hub/migrations/: every refusal carries the change's laptop, sequence, action and rule).
fn refusal(code: &str, detail: Option<&str>, roster: Option<&crate::domain::team::Roster>) -> String {
    let d: serde_json::Value = detail.and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
    let text = |k: &str| d.get(k).and_then(serde_json::Value::as_str).unwrap_or("").to_string();
    let laptop = text("laptop");
    let name = roster
        .and_then(|r| r.members.iter().find(|m| m.laptop.0.to_string() == laptop))
        .map_or_else(|| if laptop.is_empty() { text("name") } else { laptop.clone() }, |m| m.name.clone());
    let why = match code {
        "XC001" => K::HubWhyNotJson.text().to_string(),
        "XC002" => K::HubWhyText.text().to_string(),
        "XC003" => K::HubWhyNotMember.text().to_string(),
        "XC004" => K::HubWhySignature.fill(&[&name]),
        "XC005" => K::HubWhyChain.text().to_string(),
        "XC006" => {
            let rule = text("rule");
            match rule.split_once(':') {
                Some(("name", rest)) => {
                    let (field, named) = rest.split_once(':').unwrap_or((rest, ""));
                    K::HubWhyName.fill(&[&field, &named])
                }
                _ => K::HubWhyRule.fill(&[&rule_words(&rule)]),
            }
        }
        "XC007" => K::HubWhyOtherTeam.text().to_string(),
        "XC008" => K::HubWhyReplaced.text().to_string(),
        "XC009" => K::HubWhyOps.text().to_string(),
        "XC010" => K::HubWhyRosterText.text().to_string(),
        "XC011" => K::HubWhyRoster.text().to_string(),
        "XC012" => K::HubWhyLogin.text().to_string(),
        "XC013" => K::HubWhyLaptopElsewhere.fill(&[&name]),
        "XC020" => K::HubWhyAppendOnly.text().to_string(),
        other => K::HubWhyOther.fill(&[&other]),
    };
    match d.get("seq").and_then(serde_json::Value::as_i64) {
        Some(seq) => K::SyncChangeRefused.fill(&[&name, &seq, &text("action"), &why]),
        None => why,
    }
}

fn rule_words(rule: &str) -> String {
    match rule {
        "review" => K::HubRuleReview.text().to_string(),
        "own_visit" => K::HubRuleOwnVisit.text().to_string(),
        "numbering" => K::HubRuleNumbering.text().to_string(),
        "rectify" => K::HubRuleRectify.text().to_string(),
        "close_own" => K::HubRuleCloseOwn.text().to_string(),
        other => K::HubWhyOther.fill(&[&other]),
    }
}

/// Lets the logins write for the team `team` (its id, as `xuncha whoami` prints it on a member's
/// laptop) and read its changes: the hub's administrator's act.
pub fn allow(url: &str, team: &str, logins: &[String]) -> Result<usize> {
    let id: crate::domain::Id = team.trim().parse().map_err(|_| invalid(K::HubBadTeamId, &[&team.trim()]))?;
    let mut c = hub::connect(url).map_err(|e| hub_error(url, e))?;
    hub::ready(&mut c).map_err(|e| hub_error(url, e))?;
    hub::allow(&mut c, id, logins).map_err(|e| hub_error(url, e))
}

/// The hub's URL: the one given, or `hub_url` from the config file; refused at once when it
/// cannot be read or carries a password (whatever else is wrong too).
pub fn url_or_config(given: Option<&str>, config: Option<&str>) -> Result<String> {
    let url = given.or(config).map(|u| u.trim().to_string()).filter(|u| !u.is_empty()).ok_or_else(|| invalid(K::HubNoUrl, &[]))?;
    hub::check_url(&url).map_err(|e| hub_error(&url, e))?;
    Ok(url)
}

/// Creates or upgrades the hub's schema; the migrations applied now.
pub fn init(url: &str) -> Result<Vec<i32>> {
    let mut c = hub::connect(url).map_err(|e| hub_error(url, e))?;
    hub::migrate(&mut c).map_err(|e| hub_error(url, e))
}

/// What a push did.
#[derive(Debug, Clone, PartialEq)]
pub struct Pushed {
    pub changes: usize,
    pub laptops: usize,
}

/// Sends the hub the changes this laptop holds that the hub lacks (this laptop's and those it
/// received from others), in transactions of 500: a push cut short is completed by the next.
pub fn push(s: &Session, keys: &Keys, url: &str) -> Result<Pushed> {
    push_with(s, keys, url, &mut |_, _| {})
}

/// `push`, reporting (changes sent, changes to send) after each part.
pub fn push_with(s: &Session, keys: &Keys, url: &str, progress: &mut dyn FnMut(usize, usize)) -> Result<Pushed> {
    let mine = super::team::roster(s)?.ok_or_else(|| invalid(K::TeamNone, &[]))?;
    if mine.roster.on_laptop(s.laptop()).is_none_or(|m| m.key != keys.public_hex()) {
        return Err(invalid(K::RuleNotMember, &[&mine.roster.team]));
    }
    let err = |e| hub_error(url, e);
    let mut c = hub::connect(url).map_err(err)?;
    hub::ready(&mut c).map_err(err)?;
    // The hub judges with the newest roster it holds: take it first when it is newer, so that
    // what is sent is what the hub will take (a member removed, a role changed).
    let (held, _) = roster_in_force(s, keys, &mut c, url, Some(mine))?;
    let team = held.roster.team_id;
    s.store.adopt_records(&s.actor, s.now(), ADOPT_PER_CHANGE)?;
    s.store.sign_own(&|hash| keys.sign(&crate::domain::sync::signed_bytes(team, hash)))?;
    hub::put_roster(&mut c, &held).map_err(|e| worded(url, e, Some(&held.roster)))?;
    let there = hub::heads(&mut c, team).map_err(err)?;
    // Only the changes of laptops on the roster (the hub takes no others), each after the
    // changes it follows and those whose values it replaced: the hub applies them as they come.
    let changes: Vec<_> = s.store.changes_after(&there)?.into_iter().filter(|ch| held.roster.on_laptop(ch.laptop).is_some()).collect();
    let changes = causal_order(changes, &there);
    // The files the changes name go first, those the hub lacks: a change never arrives before
    // its files.
    let named = super::evidence::named_by(&changes);
    let missing = hub::files_missing(&mut c, team, &named).map_err(err)?;
    for part in super::sync::held_files(s, missing)?.chunks(FILES_PART) {
        hub::put_files(&mut c, team, part).map_err(|e| worded(url, e, Some(&held.roster)))?;
    }
    let total = changes.len();
    let mut sent = 0;
    let mut rest = changes.as_slice();
    while !rest.is_empty() {
        // At least one change a part, however large.
        let (mut n, mut size) = (0, 0);
        while n < rest.len() && n < PUSH_PART && (n == 0 || size + rest[n].ops.len() <= PUSH_RECORDS) {
            size += rest[n].ops.len();
            n += 1;
        }
        let (part, tail) = rest.split_at(n);
        hub::insert_changes(&mut c, team, part).map_err(|e| worded(url, e, Some(&held.roster)))?;
        sent += part.len();
        progress(sent, total);
        rest = tail;
    }
    let laptops = changes.iter().map(|c| c.laptop).collect::<std::collections::BTreeSet<_>>().len();
    if sent > 0 {
        let detail = json!({ "hub": hub::label(url), "changes": sent });
        s.commit(Commit::new("hub.push", detail, Vec::new()))?;
    }
    Ok(Pushed { changes: sent, laptops })
}

/// `changes` ordered so that each comes after its laptop's previous change and after the changes
/// whose values it replaced (those `there` holds count as before all). What cannot be ordered
/// (an earlier change missing) goes last, in the order given: the hub will say what is missing.
fn causal_order(changes: Vec<crate::domain::sync::SyncChange>, there: &Known) -> Vec<crate::domain::sync::SyncChange> {
    let mut have = there.clone();
    let mut out = Vec::with_capacity(changes.len());
    let mut todo = changes;
    loop {
        let before = out.len();
        let mut rest = Vec::new();
        for c in todo {
            let next = have.get(&c.laptop).copied().unwrap_or(0) + 1 == c.seq;
            if next && c.deps().iter().all(|(l, n)| have.get(l).copied().unwrap_or(0) >= *n) {
                have.insert(c.laptop, c.seq);
                out.push(c);
            } else {
                rest.push(c);
            }
        }
        todo = rest;
        if todo.is_empty() || out.len() == before {
            out.extend(todo);
            return out;
        }
    }
}

/// The roster to act under: this laptop's, or the hub's when it is a newer version signed by
/// the same leader (then taken here first); on a laptop in no team yet, the hub's roster that
/// names this laptop with its key (the leader admitted it, the office let its login in). With
/// the version taken, if one was.
fn roster_in_force(
    s: &Session,
    keys: &Keys,
    c: &mut postgres::Client,
    url: &str,
    mine: Option<crate::domain::team::SignedRoster>,
) -> Result<(crate::domain::team::SignedRoster, Option<u64>)> {
    let err = |e| hub_error(url, e);
    let label = hub::label(url);
    let me = keys.public_hex();
    let team = match &mine {
        Some(r) => r.roster.team_id,
        None => hub::team_of(c, s.laptop(), &me).map_err(err)?.ok_or_else(|| invalid(K::TeamNone, &[]))?,
    };
    let theirs = hub::roster(c, team).map_err(err)?;
    let unsigned = || invalid(K::HubRefusedHere, &[&label, &K::BundleRosterUnsigned.text()]);
    let newer = match (&mine, theirs) {
        (Some(m), Some(t)) if t.roster.version > m.roster.version => {
            let same_leader = match (m.roster.leader(), t.roster.leader()) {
                (Some(a), Some(b)) => a.key == b.key && a.laptop == b.laptop,
                _ => false,
            };
            if !same_leader || !super::team::is_signed_by_leader(&t) {
                return Err(unsigned());
            }
            Some(t)
        }
        (None, Some(t)) => {
            if t.roster.on_laptop(s.laptop()).is_none_or(|m| m.key != me) || !super::team::is_signed_by_leader(&t) {
                return Err(unsigned());
            }
            Some(t)
        }
        _ => None,
    };
    match (newer, mine) {
        (Some(t), _) => {
            let detail = json!({ "team": t.roster.team, "version": t.roster.version, "hub": label });
            s.commit(Commit::new("team.roster", detail, vec![crate::store::Write::put(&t)]))?;
            let v = t.roster.version;
            if t.roster.on_laptop(s.laptop()).is_none_or(|m| m.key != me) {
                return Err(invalid(K::RuleNotMember, &[&t.roster.team]));
            }
            Ok((t, Some(v)))
        }
        (None, Some(m)) => Ok((m, None)),
        (None, None) => Err(invalid(K::TeamNone, &[])),
    }
}

/// What a pull did.
#[derive(Debug, Clone, PartialEq)]
pub struct Pulled {
    pub applied: usize,
    pub records: usize,
    /// Changes that wait for earlier ones the hub does not hold yet.
    pub held: usize,
    pub roster_version: Option<u64>,
    pub conflicts: usize,
    /// Changes on the hub this laptop does not accept, why (each skipped with its laptop's later
    /// changes; the next pull meets them again).
    pub skipped: Vec<String>,
}

/// Takes from the hub the team's changes this laptop lacks: the roster first when the hub's is
/// newer (signed by this team's leader), then the changes in the order the hub took them,
/// each checked (signature against the roster) and merged with the team's rules, in parts that
/// are each one transaction.
pub fn pull(s: &Session, keys: &Keys, url: &str) -> Result<Pulled> {
    pull_with(s, keys, url, &mut |_, _| {})
}

/// `pull`, reporting (changes landed, changes fetched so far) as it goes.
pub fn pull_with(s: &Session, keys: &Keys, url: &str, progress: &mut dyn FnMut(usize, usize)) -> Result<Pulled> {
    let err = |e| hub_error(url, e);
    let label = hub::label(url);
    let mine = super::team::roster(s)?;
    if let Some(r) = &mine
        && r.roster.on_laptop(s.laptop()).is_none_or(|m| m.key != keys.public_hex())
    {
        return Err(invalid(K::RuleNotMember, &[&r.roster.team]));
    }
    let mut c = hub::connect(url).map_err(err)?;
    hub::ready(&mut c).map_err(err)?;
    let (roster, roster_version) = roster_in_force(s, keys, &mut c, url, mine)?;
    let team = roster.roster.team_id;
    s.store.adopt_records(&s.actor, s.now(), ADOPT_PER_CHANGE)?;
    // Why the last change was refused here, when one was (see below).
    let why: std::cell::RefCell<Option<String>> = std::cell::RefCell::new(None);
    let refuse = |w: String| {
        *why.borrow_mut() = Some(w.clone());
        invalid(K::HubRefusedHere, &[&label, &w])
    };
    let detail = json!({ "hub": label });
    let (mut after, mut applied, mut records, mut fetched) = (0i64, 0usize, 0usize, 0usize);
    let mut held = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    loop {
        let have: Known = s.store.sync_heads()?.known();
        let (batch, last) = hub::changes_after(&mut c, team, &have, after, PULL_PART, PULL_RECORDS).map_err(err)?;
        if batch.is_empty() {
            break;
        }
        after = last;
        fetched += batch.len();
        let mut todo = std::mem::take(&mut held);
        todo.extend(batch);
        fetch_files(s, &mut c, team, url, &todo)?;
        *why.borrow_mut() = None;
        let whole = match check_signatures(&roster, &todo) {
            Ok(()) => land(s, &roster, ("hub.pull", &detail), todo.clone(), &refuse, &mut |_, _| {}),
            Err(w) => Err(refuse(w)),
        };
        let landed = match whole {
            Ok(l) => l,
            // One change this laptop does not accept must not keep the team's others away: the
            // part lands change by change, those refused are skipped and said (their laptops'
            // later changes wait behind them), and the next pull meets them again.
            Err(_) if why.borrow().is_some() => {
                let mut one_by_one = super::sync::Landed { applied: 0, records: 0, held: Vec::new() };
                for ch in todo {
                    *why.borrow_mut() = None;
                    let single = check_signatures(&roster, std::slice::from_ref(&ch))
                        .map_err(&refuse)
                        .and_then(|()| land(s, &roster, ("hub.pull", &detail), vec![ch], &refuse, &mut |_, _| {}));
                    match single {
                        Ok(l) => {
                            one_by_one.applied += l.applied;
                            one_by_one.records += l.records;
                            one_by_one.held.extend(l.held);
                        }
                        Err(_) if why.borrow().is_some() => skipped.extend(why.borrow_mut().take()),
                        Err(e) => return Err(e),
                    }
                }
                one_by_one
            }
            Err(e) => return Err(e),
        };
        applied += landed.applied;
        records += landed.records;
        held = landed.held;
        progress(applied, fetched);
    }
    Ok(Pulled { applied, records, held: held.len(), roster_version, conflicts: s.store.conflicts()?.len(), skipped })
}

/// Evidence files pushed per transaction.
const FILES_PART: usize = 16;

/// Fetches from the hub the evidence files `changes` name that this laptop lacks, checks each
/// against its hash and keeps it, before the changes land. A file that does not match refuses
/// the pull, and nothing of this part lands.
fn fetch_files(
    s: &Session,
    c: &mut postgres::Client,
    team: crate::domain::Id,
    url: &str,
    changes: &[crate::domain::sync::SyncChange],
) -> Result<()> {
    let store = s.store.files();
    let need: Vec<String> = super::evidence::named_by(changes).into_iter().filter(|h| !store.has(h)).collect();
    let got = hub::files(c, team, &need).map_err(|e| hub_error(url, e))?;
    for (sha, bytes) in &got {
        if crate::store::sha256_of(bytes) != *sha {
            return Err(invalid(K::HubRefusedHere, &[&hub::label(url), &K::HubFileBad.fill(&[sha])]));
        }
    }
    super::sync::keep_files(s, &got)
}

/// The hub's records of an area in a data folder of their own, for the reports that read a
/// laptop's data (the bulletin): the same code then makes the same document as on a laptop
/// holding the same data. The folder is private and removed when this is dropped.
pub struct HubSnapshot {
    pub session: Session,
    /// The hub's name and its last change (id, hash) when the records were read.
    pub head: (String, i64, String),
    // Dropped after the session (fields drop in order): the store's files go with the folder.
    _dir: tempfile::TempDir,
}

/// Records per transaction when filling a snapshot.
const SNAPSHOT_PART: usize = 5_000;

/// The records of the organisations under `area` (every organisation, template and round, and
/// the area's visits, results and findings), read from the hub into a private temporary folder.
pub fn snapshot(url: &str, area: Option<&str>, actor: &str, clock: crate::clock::Clock) -> Result<HubSnapshot> {
    let err = |e| hub_error(url, e);
    let mut c = hub::connect(url).map_err(err)?;
    hub::ready(&mut c).map_err(err)?;
    snapshot_of(&mut c, url, &hub::Scope::Area(area.unwrap_or("")), actor, clock)
}

fn snapshot_of(c: &mut postgres::Client, url: &str, scope: &hub::Scope, actor: &str, clock: crate::clock::Clock) -> Result<HubSnapshot> {
    let err = |e| hub_error(url, e);
    let (records, (id, hash)) = hub::records(c, scope).map_err(err)?;
    let io = |e: std::io::Error| ServiceError::Io(K::HubSnapshotFolder.fill(&[&e]));
    let dir = tempfile::Builder::new().prefix("xuncha-hub-").tempdir().map_err(io)?;
    let session = Session::open(&dir.path().join("data"), actor)?.with_clock(clock);
    let mut writes = Vec::new();
    for (tree, key, data) in records {
        let Some(table) = crate::store::Table::from_name(&tree) else { continue };
        let rec = crate::store::sync::rec_of(table, &data)
            .map_err(|why| invalid(K::HubCorrupt, &[&hub::label(url), &format!("{tree} {key}: {why}")]))?;
        writes.push(crate::store::sync::write_of(&rec));
        if writes.len() >= SNAPSHOT_PART {
            let mut commit = Commit::new("hub.snapshot", json!({ "hub": hub::label(url) }), std::mem::take(&mut writes));
            commit.record_values = false;
            session.commit(commit)?;
        }
    }
    if !writes.is_empty() {
        let mut commit = Commit::new("hub.snapshot", json!({ "hub": hub::label(url) }), writes);
        commit.record_values = false;
        session.commit(commit)?;
    }
    Ok(HubSnapshot { session, head: (hub::label(url), id, hash), _dir: dir })
}

/// What a refresh did.
#[derive(Debug, Clone, PartialEq)]
pub struct Refreshed {
    pub visits: usize,
    pub upto: i64,
}

fn warning_word(w: Option<crate::domain::scoring::Warning>) -> Option<String> {
    use crate::domain::scoring::Warning;
    w.map(|w| {
        match w {
            Warning::Red => "红",
            Warning::Yellow => "黄",
            Warning::Blue => "蓝",
        }
        .to_string()
    })
}

/// Computes the score, grade and warnings of every visit the changes since the last refresh
/// may have moved, with xuncha's own scoring, and writes them into the hub's visit_scores (the
/// office's job, role xuncha_office: run it after pushes, or from cron).
pub fn refresh(url: &str, actor: &str, clock: crate::clock::Clock) -> Result<Refreshed> {
    let err = |e| hub_error(url, e);
    let mut c = hub::connect(url).map_err(err)?;
    hub::ready(&mut c).map_err(err)?;
    let (done, upto) = hub::scores_position(&mut c).map_err(err)?;
    if upto <= done {
        return Ok(Refreshed { visits: 0, upto });
    }
    let orgs = hub::orgs_touched(&mut c, done, upto).map_err(err)?;
    let snap = snapshot_of(&mut c, url, &hub::Scope::Orgs(&orgs), actor, clock)?;
    let s = &snap.session;
    let wanted: std::collections::HashSet<&str> = orgs.iter().map(String::as_str).collect();
    let mut rows = Vec::new();
    for round in s.store.rounds()? {
        for v in s.visit_summaries(round.id)? {
            if !wanted.contains(v.org.as_str()) {
                continue;
            }
            let key = crate::domain::sync::hex(&crate::store::visit_key(v.round, &v.org));
            let n = |x: usize| i32::try_from(x).unwrap_or(i32::MAX);
            rows.push(hub::ScoreRow {
                visit: key,
                round: v.round.to_string(),
                org: v.org.clone(),
                score: v.score,
                health: v.health,
                grade: v.grade.clone(),
                veto: v.veto,
                answered: n(v.answered),
                applicable: n(v.applicable),
                findings: n(v.findings),
                warning_calm: warning_word(v.warning_calm),
                warning_overdue: warning_word(v.warning_overdue),
                first_deadline: v.first_deadline.map(|d| d.to_string()),
            });
        }
    }
    hub::put_scores(&mut c, &rows, upto).map_err(err)?;
    Ok(Refreshed { visits: rows.len(), upto })
}

/// How this laptop and the hub stand: changes the hub lacks from here, changes here lacks.
#[derive(Debug, Clone, PartialEq)]
pub struct HubStatus {
    pub to_push: u64,
    pub to_pull: u64,
    pub hub_changes: u64,
}

/// What a push and a pull would move now, without moving anything.
pub fn status(s: &Session, url: &str) -> Result<HubStatus> {
    let held = super::team::roster(s)?.ok_or_else(|| invalid(K::TeamNone, &[]))?;
    let err = |e| hub_error(url, e);
    let mut c = hub::connect(url).map_err(err)?;
    hub::ready(&mut c).map_err(err)?;
    let there = hub::heads(&mut c, held.roster.team_id).map_err(err)?;
    let here = s.store.sync_heads()?.known();
    let lacking = |a: &Known, b: &Known| -> u64 { a.iter().map(|(l, n)| n.saturating_sub(b.get(l).copied().unwrap_or(0))).sum() };
    Ok(HubStatus { to_push: lacking(&here, &there), to_pull: lacking(&there, &here), hub_changes: there.values().sum() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_the_member_the_change_and_the_rule_in_the_users_words() {
        let roster: crate::domain::team::Roster = serde_json::from_value(json!({
            "team_id": crate::domain::Id::new(), "team": "一组", "version": 1,
            "numbering": "01a22df5-a518-75a2-b282-b47de192820b", "changed_at": "2026-11-22T10:00:00Z",
            "members": [{ "name": "张三", "laptop": "01a22df5-a518-75a2-b282-b47de192820b", "key": "00", "roles": ["inspector"] }]
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        let detail = r#"{"seq": 7, "rule": "review", "action": "review.approve", "laptop": "01a22df5-a518-75a2-b282-b47de192820b"}"#;
        let e = HubError::Refused { code: "XC006".into(), message: "english for the log".into(), detail: Some(detail.into()) };
        let text = worded("postgres://wang@10.0.0.5/xuncha", e, Some(&roster)).to_string();
        assert!(text.contains("张三 的第 7 条变更（review.approve）不被接受") && text.contains("只有审核员能审核"), "{text}");
        assert!(!text.contains("english"), "the server's text is for its log: {text}");
        let named = HubError::Refused {
            code: "XC006".into(),
            message: String::new(),
            detail: Some(r#"{"seq": 2, "rule": "name:inspector:李四", "action": "visit.save", "laptop": "x"}"#.into()),
        };
        let text = worded("postgres://wang@10.0.0.5/xuncha", named, None).to_string();
        assert!(text.contains("inspector") && text.contains("李四"), "{text}");
        let busy = hub_error("postgres://wang@10.0.0.5/xuncha", HubError::Busy).to_string();
        assert!(busy.contains("再运行一次"), "{busy}");
    }
}
