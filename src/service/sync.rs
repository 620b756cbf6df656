//! Bundles between the laptops of a team: export what a peer lacks, verify a bundle without
//! taking it, import it. Every bundle is checked whole before anything is written: the file's
//! shape and hash, the team, the roster's signature (the leader's), the sender's signature, each
//! change's laptop (on the roster) and signature, and each change against the team's rules (a
//! dry run of the merge). Then it lands in parts, each one transaction: a kill loses nothing,
//! and importing again completes it (changes already held are skipped).

use super::{Result, ServiceError, Session, invalid};
use crate::bundle::{self, Bundle, BundleError, Header};
use crate::domain::sync::{Known, SyncChange};
use crate::domain::sync_rules::{self, Broken, Rec};
use crate::domain::team::{Member, SignedRoster};
use crate::domain::{Id, LaptopId};
use crate::i18n::K;
use crate::identity::{self, Keys};
use crate::store::sync::{MergeError, Merged};
use crate::store::{Commit, Table};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::path::Path;

/// At most so many changes, or changes touching so many records, land per transaction on
/// import: one transaction per change would flush thousands of times; one for a whole city
/// would hold gigabytes.
const PART: usize = 500;
const PART_RECORDS: usize = 5_000;
/// Records a change adopted from before changes were kept (see `Store::adopt_records`) holds.
pub(super) const ADOPT_PER_CHANGE: usize = 1000;

/// What this laptop knows of a peer: what it sent there and what the peer said it holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PeerState {
    pub laptop: Option<LaptopId>,
    /// The changes sent in bundles addressed to it.
    #[serde(default)]
    pub sent: Known,
    /// What it held when it last sent a bundle here.
    #[serde(default)]
    pub have: Known,
    pub last_sent: Option<DateTime<Utc>>,
    pub last_received: Option<DateTime<Utc>>,
}

impl PeerState {
    /// What the peer holds, as far as this laptop knows.
    fn holds(&self) -> Known {
        let mut k = self.have.clone();
        for (l, n) in &self.sent {
            let e = k.entry(*l).or_insert(0);
            *e = (*e).max(*n);
        }
        k
    }
}

fn peer(s: &Session, laptop: LaptopId) -> Result<PeerState> {
    Ok(s.store
        .peer(laptop)?
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or(PeerState { laptop: Some(laptop), ..Default::default() }))
}

fn put_peer(s: &Session, laptop: LaptopId, p: &PeerState) -> Result<()> {
    Ok(s.store.put_peer(laptop, &serde_json::to_value(p).unwrap_or_default())?)
}

/// How many changes `have` lacks of `heads`.
fn lacking(heads: &Known, have: &Known) -> u64 {
    heads.iter().map(|(l, n)| n.saturating_sub(have.get(l).copied().unwrap_or(0))).sum()
}

/// A file's size as people read it: 812 B, 14.2 KiB, 3.1 MiB.
pub fn size_label(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    pub changes: usize,
    pub laptops: usize,
    pub bytes: u64,
    pub to: Option<String>,
    /// Evidence files carried.
    pub files: usize,
}

/// Writes a bundle to `path`: the changes the member `to` lacks (all of them without `to`);
/// with `round`, those of that round and, so that each laptop's chain stays whole, the earlier
/// changes of the same laptops the receiver lacks. Records made before changes were kept are
/// adopted first. This laptop's own changes are signed as they first leave it.
pub fn export(s: &Session, keys: &Keys, path: &Path, to: Option<&str>, round: Option<Id>) -> Result<Exported> {
    let held = super::team::roster(s)?.ok_or_else(|| invalid(K::TeamNone, &[]))?;
    let team = held.roster.team_id;
    let me = held.roster.on_laptop(s.laptop()).filter(|m| m.key == keys.public_hex()).cloned();
    let me = me.ok_or_else(|| invalid(K::RuleNotMember, &[&held.roster.team]))?;
    let target = match to {
        None => None,
        Some(name) => {
            let m = held.roster.members.iter().find(|m| m.name == name.trim()).cloned();
            Some(m.ok_or_else(|| invalid(K::BundleNoSuchMember, &[&name.trim(), &held.roster.team]))?)
        }
    };
    if let Some(r) = round {
        super::rounds::get(s, r)?;
    }
    s.store.adopt_records(&s.actor, s.now(), ADOPT_PER_CHANGE)?;
    s.store.sign_own(&|hash| keys.sign(&crate::domain::sync::signed_bytes(team, hash)))?;
    let base = match &target {
        Some(m) => peer(s, m.laptop)?.holds(),
        None => Known::new(),
    };
    let mut changes = s.store.changes_after(&base)?;
    if let Some(r) = round {
        changes = within_round(s, changes, r)?;
    }
    // The evidence files the changes name, as this laptop holds them (checked against their
    // hashes): the receiver's evidence store is not known here, so all of them travel.
    let files = evidence_files(s, &changes)?;
    let heads = s.store.sync_heads()?.known();
    let header = Header {
        kind: bundle::KIND.into(),
        team,
        from: s.laptop(),
        author: me.name.clone(),
        to: target.as_ref().map(|m| m.laptop),
        made_at: s.now(),
        roster: held.clone(),
        have: heads,
        audit_head: s.store.audit_head()?,
        round,
        changes: changes.len(),
        files: files.len(),
    };
    let io = |e: std::io::Error| ServiceError::Io(crate::oserror::write_failed(path, &e));
    let mut file = crate::atomic_file::AtomicFile::create(path, crate::atomic_file::Access::Shared).map_err(io)?;
    bundle::write_with_files(&mut file, &header, &changes, &files, &|b| keys.sign(b)).map_err(io)?;
    file.commit().map_err(io)?;
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if let Some(m) = &target {
        let mut p = peer(s, m.laptop)?;
        for c in &changes {
            let e = p.sent.entry(c.laptop).or_insert(0);
            *e = (*e).max(c.seq);
        }
        p.last_sent = Some(s.now());
        put_peer(s, m.laptop, &p)?;
    }
    let laptops = changes.iter().map(|c| c.laptop).collect::<std::collections::BTreeSet<_>>().len();
    Ok(Exported { changes: changes.len(), laptops, bytes, to: target.map(|m| m.name), files: files.len() })
}

/// The evidence files `changes` name that this laptop holds, each read back and checked against
/// its hash (a file changed in the store stops the export, named). A file this laptop lacks
/// (its change came through the hub before the file) is left out; the receiver lists it as not
/// there yet.
pub(super) fn evidence_files(s: &Session, changes: &[SyncChange]) -> Result<Vec<(String, Vec<u8>)>> {
    held_files(s, super::evidence::named_by(changes))
}

/// The files among `hashes` this laptop holds, each read back and checked against its hash.
pub(super) fn held_files(s: &Session, hashes: Vec<String>) -> Result<Vec<(String, Vec<u8>)>> {
    let store = s.store.files();
    let mut out = Vec::new();
    for sha in hashes {
        if !store.has(&sha) {
            continue;
        }
        match store.get(&sha) {
            Ok(bytes) => out.push((sha, bytes)),
            Err(crate::store::FileError::Damaged(p)) => return Err(invalid(K::EvidenceDamaged, &[&p.display(), &sha])),
            Err(crate::store::FileError::Missing(_)) => {}
            Err(crate::store::FileError::Io(p, e)) => {
                return Err(ServiceError::Io(format!("{}：{}", p.display(), crate::oserror::describe(&e))));
            }
        }
    }
    Ok(out)
}

/// Keeps evidence files that arrived (already checked against their hashes), before the
/// changes that name them land.
pub(super) fn keep_files(s: &Session, files: &[(String, Vec<u8>)]) -> Result<()> {
    let store = s.store.files();
    for (sha, bytes) in files {
        store.put(bytes).map_err(|e| ServiceError::Io(crate::oserror::write_failed(&store.path(sha), &e)))?;
    }
    Ok(())
}

/// The changes of `round` and, per laptop, every earlier one in the list (a chain is sent whole).
fn within_round(s: &Session, changes: Vec<SyncChange>, round: Id) -> Result<Vec<SyncChange>> {
    let prefix = crate::store::keys::Key::new().part(round).bytes();
    let hex_prefix = crate::domain::sync::hex(&prefix);
    let round_key = hex_prefix.clone();
    let mut finding_round: std::collections::HashMap<String, bool> = std::collections::HashMap::new();
    let mut last: Known = Known::new();
    for c in &changes {
        let mut touches = false;
        for op in &c.ops {
            touches |= match op.table.as_str() {
                "visits" | "results" => op.key.starts_with(&hex_prefix),
                "rounds" => op.key == round_key,
                "findings" => {
                    if !finding_round.contains_key(&op.key) {
                        let id = crate::domain::sync::unhex(&op.key).and_then(|k| crate::store::keys::decode(&k)).and_then(|p| {
                            match p.first() {
                                Some(crate::store::keys::Part::Id(id)) => Some(*id),
                                _ => None,
                            }
                        });
                        let in_round = match id {
                            Some(id) => s.store.finding(id)?.is_some_and(|f| f.round == round),
                            None => false,
                        };
                        finding_round.insert(op.key.clone(), in_round);
                    }
                    finding_round.get(&op.key).copied().unwrap_or(false)
                }
                _ => false,
            };
        }
        if touches {
            last.insert(c.laptop, c.seq);
        }
    }
    Ok(changes.into_iter().filter(|c| last.get(&c.laptop).is_some_and(|n| c.seq <= *n)).collect())
}

/// A bundle checked against this laptop: who sent it, what it brings, what would change.
#[derive(Debug, Clone)]
pub struct Checked {
    pub header: Header,
    /// The sender's name on the roster.
    pub sender: String,
    /// The roster that will be in force (the bundle's, when newer).
    pub roster: SignedRoster,
    pub roster_newer: bool,
    /// Changes this laptop lacks that can be taken now.
    pub fresh: usize,
    /// Changes this laptop already holds.
    pub known: usize,
    /// Changes that must wait for earlier ones this laptop lacks.
    pub held: usize,
    /// Records that would change.
    pub records: usize,
    pub changes: Vec<SyncChange>,
    /// The evidence files carried, checked against their hashes.
    pub files: Vec<(String, Vec<u8>)>,
}

fn bad_file(file: &str, e: BundleError) -> ServiceError {
    let why = match e {
        BundleError::NotBundle => K::BundleNotBundle.text().to_string(),
        BundleError::Damaged(why) => K::BundleDamaged.fill(&[&why]),
        BundleError::TooLarge => K::BundleTooLarge.fill(&[&(bundle::MAX_TEXT >> 30)]),
        BundleError::Line(line, why) => K::BundleLine.fill(&[&line, &why]),
        BundleError::Truncated => K::BundleTruncated.text().to_string(),
        BundleError::Mismatch => K::BundleMismatch.text().to_string(),
        BundleError::FileMismatch(sha) => K::BundleFileBad.fill(&[&sha]),
    };
    invalid(K::BundleRefused, &[&file, &why])
}

/// Reads and checks a bundle whole, writing nothing: the file, the team, the roster, every
/// signature, and every change against the rules (a dry run of the merge).
pub fn check(s: &Session, keys: &Keys, file: &str, bytes: &[u8]) -> Result<Checked> {
    let b = bundle::read(bytes).map_err(|e| bad_file(file, e))?;
    check_bundle(s, keys, file, b)
}

fn check_bundle(s: &Session, keys: &Keys, file: &str, b: Bundle) -> Result<Checked> {
    let refuse = |why: String| invalid(K::BundleRefused, &[&file, &why]);
    let (roster, roster_newer) = roster_in_force(s, keys, &b.header).map_err(refuse)?;
    let team = roster.roster.team_id;
    let sender = roster.roster.on_laptop(b.header.from).cloned().ok_or_else(|| refuse(K::BundleUnknownSender.fill(&[&b.header.from])))?;
    if !identity::verify(&sender.key, &bundle::signed_bytes(team, &b.end.sha256), &b.end.sig) {
        return Err(refuse(K::BundleBadSignature.fill(&[&sender.name])));
    }
    check_signatures(&roster, &b.changes).map_err(refuse)?;
    let heads = s.store.sync_heads()?.known();
    let known = b.changes.iter().filter(|c| crate::domain::sync::holds(&heads, c.dot())).count();
    let merged = merge(s, &roster, b.changes.clone()).map_err(|e| match e {
        MergeFailure::Service(e) => e,
        MergeFailure::Refused(why) => refuse(why),
    })?;
    Ok(Checked {
        sender: sender.name,
        roster_newer,
        fresh: merged.remote.changes.len(),
        known,
        held: merged.held.len(),
        records: merged.writes.len(),
        roster,
        header: b.header,
        changes: b.changes,
        files: b.files,
    })
}

/// The roster in force after this bundle: the bundle's when it is a newer version of this
/// team's, signed by the same leader; this laptop's otherwise. A laptop with no team yet takes
/// the bundle's roster only if it names this laptop with this laptop's key.
fn roster_in_force(s: &Session, keys: &Keys, h: &Header) -> std::result::Result<(SignedRoster, bool), String> {
    let theirs = &h.roster;
    if theirs.roster.team_id != h.team || !super::team::is_signed_by_leader(theirs) {
        return Err(K::BundleRosterUnsigned.text().to_string());
    }
    match super::team::roster(s).map_err(|e| e.to_string())? {
        Some(mine) => {
            if mine.roster.team_id != h.team {
                return Err(K::BundleOtherTeam.fill(&[&theirs.roster.team, &mine.roster.team]));
            }
            let same_leader = match (mine.roster.leader(), theirs.roster.leader()) {
                (Some(a), Some(b)) => a.key == b.key && a.laptop == b.laptop,
                _ => false,
            };
            if !same_leader {
                return Err(K::BundleRosterUnsigned.text().to_string());
            }
            Ok(if theirs.roster.version > mine.roster.version { (theirs.clone(), true) } else { (mine, false) })
        }
        None => match theirs.roster.on_laptop(s.laptop()) {
            Some(m) if m.key == keys.public_hex() => Ok((theirs.clone(), true)),
            _ => Err(K::BundleNotForMe.fill(&[&theirs.roster.team])),
        },
    }
}

enum MergeFailure {
    Service(ServiceError),
    Refused(String),
}

/// The merge of `changes` into this laptop's records, each change judged by the team's rules.
fn merge(s: &Session, roster: &SignedRoster, changes: Vec<SyncChange>) -> std::result::Result<Merged, MergeFailure> {
    let r = &roster.roster;
    let mut judge = |c: &SyncChange, touched: &[(Option<Rec>, Rec)]| -> std::result::Result<(), String> {
        let Some(author) = r.on_laptop(c.laptop) else { return Err(K::BundleUnknownLaptop.fill(&[&c.laptop, &c.seq])) };
        // Records from before the team, entered by the leader: the leader vouches for them (the
        // leader's key could give itself any role anyway); what they record was done by others,
        // under the rules of their time. A member's adopted records are judged as their acts.
        if c.action == "sync.adopt" && author.leader {
            return Ok(());
        }
        for (before, after) in touched {
            sync_rules::check(r, author, before.as_ref(), after).map_err(|b| broken(author, c, b))?;
        }
        Ok(())
    };
    s.store.merge(changes, &mut judge).map_err(|e| match e {
        MergeError::Store(e) => MergeFailure::Service(e.into()),
        MergeError::Refused(why) => MergeFailure::Refused(why),
    })
}

fn broken(author: &Member, c: &SyncChange, b: Broken) -> String {
    let why = match b {
        Broken::Review { author } => K::SyncRuleReview.fill(&[&author]),
        Broken::OwnVisit { author } => K::SyncRuleOwnVisit.fill(&[&author]),
        Broken::Numbering { author } => K::SyncRuleNumbering.fill(&[&author]),
        Broken::Rectify { author } => K::SyncRuleRectify.fill(&[&author]),
        Broken::CloseOwn { author } => K::RuleCloseSelf.fill(&[&author]),
        Broken::Attach { author } => K::SyncRuleAttach.fill(&[&author]),
        Broken::Name { author, field, named } => K::SyncRuleName.fill(&[&author, &field, &named]),
    };
    K::SyncChangeRefused.fill(&[&author.name, &c.seq, &c.action, &why])
}

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub sender: String,
    pub applied: usize,
    pub known: usize,
    pub held: usize,
    pub records: usize,
    pub roster_version: Option<u64>,
    pub conflicts: usize,
}

/// Checks a bundle whole, then takes it: the roster first when newer, then the changes in parts.
pub fn import(s: &Session, keys: &Keys, file: &str, bytes: &[u8]) -> Result<Imported> {
    import_with(s, keys, file, bytes, &mut |_, _| {})
}

/// `import`, reporting (changes landed, changes to land) after each part.
pub fn import_with(s: &Session, keys: &Keys, file: &str, bytes: &[u8], progress: &mut dyn FnMut(usize, usize)) -> Result<Imported> {
    let checked = check(s, keys, file, bytes)?;
    let mut roster_version = None;
    if checked.roster_newer {
        let r = &checked.roster;
        let detail = json!({ "team": r.roster.team, "version": r.roster.version, "from": checked.sender, "file": file });
        s.commit(Commit::new("team.roster", detail, vec![crate::store::Write::put(r)]))?;
        roster_version = Some(r.roster.version);
    }
    // This laptop's records from before changes were kept become its changes first, so that
    // what arrives meets their versions (a conflict where both wrote) instead of overwriting them.
    s.store.adopt_records(&s.actor, s.now(), ADOPT_PER_CHANGE)?;
    let refuse = |why: String| invalid(K::BundleRefused, &[&file, &why]);
    // Only the files its changes name: a bundle cannot slip content into the store (and so into
    // every later backup) that no record refers to.
    let named: std::collections::HashSet<String> = super::evidence::named_by(&checked.changes).into_iter().collect();
    let carried: Vec<(String, Vec<u8>)> = checked.files.iter().filter(|(sha, _)| named.contains(sha)).cloned().collect();
    keep_files(s, &carried)?;
    let detail = json!({ "file": file, "from": checked.sender });
    let landed = land(s, &checked.roster, ("bundle.import", &detail), checked.changes, &refuse, progress)?;
    let (applied, records, carried) = (landed.applied, landed.records, landed.held);
    let mut p = peer(s, checked.header.from)?;
    p.have = checked.header.have.clone();
    // What the peer said it holds is the truth: a bundle sent to it before and lost on the way
    // (a USB stick) is sent again next time, instead of being assumed to have arrived.
    p.sent = checked.header.have.clone();
    p.last_received = Some(s.now());
    put_peer(s, checked.header.from, &p)?;
    Ok(Imported {
        sender: checked.sender,
        applied,
        known: checked.known,
        held: carried.len(),
        records,
        roster_version,
        conflicts: s.store.conflicts()?.len(),
    })
}

/// What landing changes did: how many landed, how many records they wrote, and the changes
/// that wait for earlier ones this laptop lacks.
pub(super) struct Landed {
    pub applied: usize,
    pub records: usize,
    pub held: Vec<SyncChange>,
}

/// Merges `changes` (checked: signed by laptops on `roster`) into this laptop in parts, each
/// one transaction judged by the team's rules: a kill loses nothing, and landing the same
/// changes again completes it. `what` is the audit action and detail of each part; `refuse`
/// words a change the rules refuse.
pub(super) fn land(
    s: &Session,
    roster: &SignedRoster,
    what: (&str, &serde_json::Value),
    changes: Vec<SyncChange>,
    refuse: &dyn Fn(String) -> ServiceError,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Landed> {
    // What the progress counts to: the changes this laptop lacks, not those it already holds.
    let heads = s.store.sync_heads()?.known();
    let total = changes.iter().filter(|c| !crate::domain::sync::holds(&heads, c.dot())).count();
    let mut todo = changes.into_iter();
    let mut carried: Vec<SyncChange> = Vec::new();
    let (mut applied, mut records) = (0, 0);
    loop {
        let mut part: Vec<SyncChange> = std::mem::take(&mut carried);
        let mut size: usize = part.iter().map(|c| c.ops.len()).sum();
        // At least one new change each pass: changes held back (waiting for ones later in the
        // list) could otherwise fill every part and the landing would never move on.
        let mut added = 0;
        while added == 0 || (part.len() < PART && size < PART_RECORDS) {
            let Some(c) = todo.next() else { break };
            size += c.ops.len();
            part.push(c);
            added += 1;
        }
        if part.is_empty() {
            break;
        }
        let more = todo.len() > 0;
        let merged = merge(s, roster, part).map_err(|e| match e {
            MergeFailure::Service(e) => e,
            MergeFailure::Refused(why) => refuse(why),
        })?;
        let n = merged.remote.changes.len();
        let mut merged = merged;
        // The audit log names each change's author as the roster names its laptop: the name a
        // change carries is the laptop's own say.
        for step in &mut merged.remote.steps {
            if let Some(m) = roster.roster.on_laptop(step.laptop) {
                step.author = m.name.clone();
            }
        }
        carried = merged.held;
        if n == 0 && !more {
            break;
        }
        if n > 0 {
            records += merged.writes.len();
            let mut detail = what.1.clone();
            if let Some(o) = detail.as_object_mut() {
                o.insert("changes".into(), json!(n));
            }
            let mut commit = Commit::new(what.0, detail, merged.writes);
            commit.remote = Some(merged.remote);
            s.commit(commit)?;
            applied += n;
            progress(applied, total);
        }
    }
    Ok(Landed { applied, records, held: carried })
}

/// Whether every change is signed by its laptop's key on `roster`; the refusal names the first
/// that is not.
pub(super) fn check_signatures(roster: &SignedRoster, changes: &[SyncChange]) -> std::result::Result<(), String> {
    let team = roster.roster.team_id;
    for c in changes {
        let Some(m) = roster.roster.on_laptop(c.laptop) else {
            return Err(K::BundleUnknownLaptop.fill(&[&c.laptop, &c.seq]));
        };
        let signed = c.sig.as_deref().is_some_and(|sig| identity::verify(&m.key, &c.signed_bytes(team), sig));
        if !signed {
            return Err(K::BundleChangeSignature.fill(&[&m.name, &c.seq]));
        }
    }
    Ok(())
}

/// One member as the 同步 screen and `bundle status` show them.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerRow {
    pub name: String,
    pub roles: Vec<crate::domain::team::Role>,
    pub laptop: LaptopId,
    pub me: bool,
    /// Changes this laptop holds that the member lacks, as far as it knows.
    pub to_send: u64,
    /// Changes the member held, when it last sent here, that this laptop lacks.
    pub to_receive: u64,
    pub last_sent: Option<DateTime<Utc>>,
    pub last_received: Option<DateTime<Utc>>,
}

/// The team with what is pending to and from each member. Empty for a laptop in no team.
pub fn status(s: &Session) -> Result<Vec<PeerRow>> {
    let Some(held) = super::team::roster(s)? else { return Ok(Vec::new()) };
    let heads = s.store.sync_heads()?.known();
    let mut out = Vec::new();
    for m in &held.roster.members {
        let me = m.laptop == s.laptop();
        let p = if me { PeerState::default() } else { peer(s, m.laptop)? };
        out.push(PeerRow {
            name: m.name.clone(),
            roles: m.roles.clone(),
            laptop: m.laptop,
            me,
            to_send: if me { 0 } else { lacking(&heads, &p.holds()) },
            to_receive: if me { 0 } else { lacking(&p.have, &heads) },
            last_sent: p.last_sent,
            last_received: p.last_received,
        });
    }
    Ok(out)
}

/// The name of the table a conflict is in, as people say it.
pub fn table_label(t: Table) -> &'static str {
    match t {
        Table::Orgs => K::KindOrg.text(),
        Table::Templates => K::KindTemplate.text(),
        Table::Rounds => K::KindRound.text(),
        Table::Visits => K::KindVisit.text(),
        Table::Results => K::KindResult.text(),
        Table::Findings => K::KindFinding.text(),
        other => other.name(),
    }
}
