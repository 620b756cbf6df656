//! Backup to and restore from a portable JSON-lines file.
//!
//! Line 1 is a header, then one line per stored entry (`{"t":tree,"k":hex key,"v":value}`, the
//! value's exact JSON text, or null for an index entry), then one line per evidence file
//! (`{"f":sha256,"b":hex bytes}`, version 2), then an end line with the counts, so a file cut
//! short is recognised.
//!
//! Restore first checks the whole file (`check_backup`, pure, so it can be fuzzed): every line,
//! every record against its kind and its key, the index entries against the records, the
//! references between records, the audit chain end to end and every record against the hash the
//! chain holds for it. Only a backup that passes is written, into an empty store, as a bulk fill:
//! a kill leaves the empty store or the whole backup, never part of it.

use super::audit::{self, Head, RecordCheck};
use super::error::{Result, StoreError};
use super::keys::{Part, describe, hex, unhex};
use super::records::{Record, decode};
use super::{SCHEMA_VERSION, Store, Table};
use crate::domain::{Finding, Id, ItemResult, LaptopId, Org, Round, TemplateSnapshot, Visit};
use crate::i18n::K;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, Write};

const FORMAT: &str = "xuncha-backup";
/// Version 2 carries the evidence files; version 1 (records only) is still read.
const VERSION: u32 = 2;
/// Records per sled batch while restoring. sled keeps the garbage of a batch until it is
/// applied: a 200,000-organisation backup restored in batches of 10,000 peaked at 1.2 GB, in
/// batches of 1,000 at the 0.4 GB the check itself needs.
const BATCH: usize = 1_000;

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    schema: u32,
    created: chrono::DateTime<chrono::Utc>,
}

#[derive(Serialize)]
struct LineOut<'a> {
    t: &'static str,
    k: String,
    v: Option<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineIn {
    t: Option<String>,
    k: Option<String>,
    v: Option<Box<RawValue>>,
    /// An evidence file: its SHA-256 and its bytes in hex.
    f: Option<String>,
    b: Option<String>,
    end: Option<bool>,
    records: Option<usize>,
    files: Option<usize>,
}

/// Why a backup is refused.
#[derive(Debug, Clone, PartialEq)]
pub enum BackupError {
    /// What is wrong, and on which line (from 1).
    Line(usize, String),
    /// Written by a newer xuncha: its schema.
    Newer(u32),
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupWritten {
    pub records: usize,
    pub files: usize,
    /// Evidence files left out: damaged (their content no longer has their hash) or unreadable.
    pub skipped: Vec<String>,
}

/// A backup that passed every check, ready to write.
#[derive(Debug)]
pub struct CheckedBackup {
    pub schema: u32,
    pub laptop: LaptopId,
    /// (tree, key, value) in the file's order; index entries have an empty value.
    pub records: Vec<(Table, Vec<u8>, Vec<u8>)>,
    /// The evidence files (SHA-256, bytes), each checked against its hash.
    pub files: Vec<(String, Vec<u8>)>,
}

/// One entry of the file, with its line.
struct Entry {
    line: usize,
    table: Table,
    key: Vec<u8>,
    value: Vec<u8>,
}

type Check<T> = std::result::Result<T, BackupError>;

fn at(line: usize, why: impl Into<String>) -> BackupError {
    BackupError::Line(line, why.into())
}

/// Checks a whole backup file. Pure: no I/O, no store.
pub fn check_backup(bytes: &[u8]) -> Check<CheckedBackup> {
    let (schema, entries, files) = parse(bytes)?;
    let meta = check_meta(&entries, schema)?;
    let records = Records::decode(&entries)?;
    records.check_indexes(&entries)?;
    records.check_references()?;
    check_audit(&entries, meta.head_line, schema)?;
    check_changes(&entries)?;
    Ok(CheckedBackup { schema, laptop: meta.laptop, records: entries.into_iter().map(|e| (e.table, e.key, e.value)).collect(), files })
}

/// The evidence files of a backup: (SHA-256, bytes).
type FileLines = Vec<(String, Vec<u8>)>;

/// The header, every line's shape (each evidence file against its hash) and the end record.
fn parse(bytes: &[u8]) -> Check<(u32, Vec<Entry>, FileLines)> {
    let mut lines = bytes.split(|b| *b == b'\n').enumerate().map(|(i, l)| (i + 1, l.strip_suffix(b"\r").unwrap_or(l)));
    let not_backup = || at(1, K::BackupNotBackup.text());
    let header: Header = match lines.next() {
        Some((_, l)) => serde_json::from_slice(l).map_err(|_| not_backup())?,
        None => return Err(not_backup()),
    };
    if header.format != FORMAT {
        return Err(not_backup());
    }
    if !(1..=VERSION).contains(&header.version) {
        return Err(at(1, K::BackupUnknownVersion.fill(&[&header.version, &VERSION])));
    }
    if header.schema > SCHEMA_VERSION {
        return Err(BackupError::Newer(header.schema));
    }
    if header.schema == 0 {
        return Err(at(1, K::BackupUnknownSchema.fill(&[&header.schema])));
    }
    let mut entries: Vec<Entry> = Vec::new();
    let mut files: FileLines = Vec::new();
    let mut seen_files: HashMap<String, usize> = HashMap::new();
    let mut seen: HashMap<(Table, Vec<u8>), usize> = HashMap::new();
    let mut ended = false;
    let mut last_line = 1;
    for (no, raw) in lines {
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        last_line = no;
        if ended {
            return Err(at(no, K::BackupAfterEnd.text()));
        }
        let text = std::str::from_utf8(raw).map_err(|_| at(no, K::BackupNotUtf8.text()))?;
        let l: LineIn = serde_json::from_str(text).map_err(|e| at(no, K::BackupBadLine.fill(&[&e])))?;
        if l.end == Some(true) {
            let expected = l.records.unwrap_or(usize::MAX);
            if expected != entries.len() {
                return Err(at(no, K::BackupCountMismatch.fill(&[&expected, &entries.len()])));
            }
            if l.files.unwrap_or(0) != files.len() {
                return Err(at(no, K::BackupFileCount.fill(&[&l.files.unwrap_or(0), &files.len()])));
            }
            ended = true;
            continue;
        }
        if let Some(sha) = l.f {
            let content = l.b.as_deref().and_then(unhex).filter(|_| header.version >= 2 && crate::domain::evidence::is_sha256(&sha));
            let Some(content) = content else { return Err(at(no, K::BackupBadFile.text())) };
            if super::files::sha256_of(&content) != sha {
                return Err(at(no, K::BackupFileHash.fill(&[&sha])));
            }
            if let Some(first) = seen_files.insert(sha.clone(), no) {
                return Err(at(no, K::BackupDuplicate.fill(&[&first])));
            }
            files.push((sha, content));
            continue;
        }
        let name = l.t.unwrap_or_default();
        let table = Table::from_name(&name).ok_or_else(|| at(no, K::BackupUnknownTree.fill(&[&name])))?;
        let key = l.k.as_deref().and_then(unhex).ok_or_else(|| at(no, K::BackupBadKey.fill(&[&table.name()])))?;
        if !key_fits(table, &key) {
            return Err(at(no, K::BackupBadKey.fill(&[&table.name()])));
        }
        if let Some(first) = seen.insert((table, key.clone()), no) {
            return Err(at(no, K::BackupDuplicate.fill(&[&first])));
        }
        let value = l.v.map(|v| v.get().as_bytes().to_vec()).unwrap_or_default();
        entries.push(Entry { line: no, table, key, value });
    }
    if !ended {
        return Err(at(last_line, K::BackupTruncated.text()));
    }
    Ok((header.schema, entries, files))
}

/// The change log: each laptop's changes numbered from 1 without a gap, each linked to the
/// previous by its hash, and the last of each named by the meta's heads (so a change edited,
/// dropped or added is refused by line).
fn check_changes(entries: &[Entry]) -> Check<()> {
    use crate::domain::sync::{FIRST_PREV, SyncChange};
    let heads_line = entries.iter().find(|e| e.table == Table::Meta && e.key == super::sync::META_HEADS);
    let heads: super::sync::Heads = match heads_line {
        Some(e) => serde_json::from_slice(&e.value).map_err(|x| at(e.line, K::BackupBadValue.fill(&[&"meta", &x])))?,
        None => Default::default(),
    };
    let roster: Option<crate::domain::team::SignedRoster> =
        entries.iter().find(|e| e.table == Table::Team).and_then(|e| decode::<crate::domain::team::SignedRoster>(&e.key, &e.value).ok());
    let mut last: std::collections::BTreeMap<crate::domain::LaptopId, (u64, String, usize)> = Default::default();
    for e in entries.iter().filter(|e| e.table == Table::Changes) {
        let c: SyncChange = serde_json::from_slice(&e.value).map_err(|x| at(e.line, K::BackupBadValue.fill(&[&"changes", &x])))?;
        // Stored exactly as xuncha writes a change: any other spelling of it is an edit.
        if serde_json::to_vec(&c).ok().as_deref() != Some(e.value.as_slice()) {
            return Err(at(e.line, K::BackupBadValue.fill(&[&"changes", &"not as xuncha writes it"])));
        }
        // A signature is the signing laptop's, when the backup's roster names it.
        if let (Some(sig), Some(r)) = (&c.sig, &roster)
            && let Some(m) = r.roster.on_laptop(c.laptop)
            && !crate::identity::verify(&m.key, &c.signed_bytes(r.roster.team_id), sig)
        {
            return Err(at(e.line, K::BackupBadValue.fill(&[&"changes", &"signature"])));
        }
        if super::keys::encode(&[Part::Id(c.laptop.0), Part::U64(c.seq)]) != e.key {
            return Err(at(e.line, K::BackupKeyMismatch.fill(&[&describe(&e.key), &format!("{}/{}", c.laptop, c.seq)])));
        }
        let (seq, prev, _) = last.get(&c.laptop).cloned().unwrap_or((0, FIRST_PREV.to_string(), 0));
        if c.seq != seq + 1 || c.prev != prev {
            return Err(at(e.line, K::SyncChainBroken.fill(&[&c.laptop, &c.seq])));
        }
        last.insert(c.laptop, (c.seq, c.hash(), e.line));
    }
    let line = heads_line.map_or(1, |e| e.line);
    for (laptop, (seq, hash, at_line)) in &last {
        match heads.0.get(laptop) {
            Some(h) if h.seq == *seq && h.hash == *hash => {}
            _ => return Err(at(*at_line, K::SyncChainBroken.fill(&[laptop, seq]))),
        }
    }
    if heads.0.keys().any(|l| !last.contains_key(l)) {
        return Err(at(line, K::BackupBadValue.fill(&[&"meta", &"sync/heads"])));
    }
    Ok(())
}

/// Whether a key has the parts its tree's keys have.
fn key_fits(table: Table, key: &[u8]) -> bool {
    use Part::{Id as I, Str as S, U64 as U};
    let parts = match table {
        Table::Meta => {
            // Counts are derived: a backup carries them, a restore writes its own.
            return [super::META_SCHEMA, super::META_LAPTOP, super::META_AUDIT_HEAD, super::sync::META_HEADS].contains(&key)
                || key
                    .strip_prefix(super::META_COUNT)
                    .and_then(|t| Table::from_name(std::str::from_utf8(t).ok()?))
                    .is_some_and(Table::counted);
        }
        Table::Drafts => return std::str::from_utf8(key).is_ok(),
        _ => match super::keys::decode(key) {
            Some(p) => p,
            None => return false,
        },
    };
    match table {
        Table::Orgs | Table::Templates | Table::Counters | Table::Team => matches!(parts.as_slice(), [S(_)]),
        Table::OrgChildren => matches!(parts.as_slice(), [S(_), S(_)]),
        Table::Rounds | Table::Findings => matches!(parts.as_slice(), [I(_)]),
        Table::Visits => matches!(parts.as_slice(), [I(_), S(_)]),
        Table::Results => matches!(parts.as_slice(), [I(_), S(_), S(_)]),
        Table::FindingsByVisit => matches!(parts.as_slice(), [I(_), S(_), I(_)]),
        Table::Audit => matches!(parts.as_slice(), [U(_)]),
        Table::Changes => matches!(parts.as_slice(), [I(_), U(_)]),
        // Derived from the changes (rebuilt by a restore) or local to this laptop: never carried.
        Table::Meta | Table::Drafts | Table::Summaries | Table::Versions | Table::Conflicts | Table::Peers => false,
    }
}

struct Meta {
    laptop: LaptopId,
    /// The line of the audit head (None: no entries yet).
    head_line: Option<(usize, Vec<u8>)>,
}

fn check_meta(entries: &[Entry], schema: u32) -> Check<Meta> {
    let find = |k: &[u8]| entries.iter().find(|e| e.table == Table::Meta && e.key == k);
    let end = entries.last().map_or(1, |e| e.line + 1);
    let missing = |name: &str| at(end, K::BackupMetaMissing.fill(&[&name]));
    let bad = |e: &Entry, why: String| at(e.line, K::BackupMetaBad.fill(&[&String::from_utf8_lossy(&e.key), &why]));
    let s = find(super::META_SCHEMA).ok_or_else(|| missing("schema_version"))?;
    let found: u32 = serde_json::from_slice(&s.value).map_err(|e| bad(s, e.to_string()))?;
    if found > SCHEMA_VERSION {
        return Err(BackupError::Newer(found));
    }
    if found != schema {
        return Err(at(s.line, K::BackupSchemaMismatch.fill(&[&found, &schema])));
    }
    let l = find(super::META_LAPTOP).ok_or_else(|| missing("laptop_id"))?;
    let laptop: LaptopId = serde_json::from_slice(&l.value).map_err(|e| bad(l, e.to_string()))?;
    let head_line = match find(super::META_AUDIT_HEAD) {
        Some(h) => {
            serde_json::from_slice::<Head>(&h.value).map_err(|e| bad(h, e.to_string()))?;
            Some((h.line, h.value.clone()))
        }
        None => None,
    };
    for d in entries.iter().filter(|e| e.table == Table::Drafts) {
        serde_json::from_slice::<serde_json::Value>(&d.value).map_err(|e| at(d.line, K::BackupBadValue.fill(&[&"drafts", &e])))?;
    }
    Ok(Meta { laptop, head_line })
}

/// The records of the file, decoded, each with its line.
#[derive(Default)]
struct Records {
    orgs: BTreeMap<String, (usize, Org)>,
    templates: HashMap<String, (usize, TemplateSnapshot)>,
    rounds: BTreeMap<Id, (usize, Round)>,
    visits: BTreeMap<(Id, String), (usize, Visit)>,
    results: Vec<(usize, ItemResult)>,
    findings: Vec<(usize, Finding)>,
    /// The index entries the records imply, with the line of the record.
    indexes: HashMap<(Table, Vec<u8>), usize>,
}

/// Decodes one record and checks that its key is the one its content gives.
fn record<T: Record>(e: &Entry) -> Check<T> {
    let r: T = decode(&e.key, &e.value).map_err(|err| {
        let why = match err {
            StoreError::BadRecord { reason, .. } => reason,
            other => other.to_string(),
        };
        at(e.line, K::BackupBadValue.fill(&[&T::TABLE.name(), &why]))
    })?;
    if r.key() != e.key {
        return Err(at(e.line, K::BackupKeyMismatch.fill(&[&describe(&e.key), &describe(&r.key())])));
    }
    Ok(r)
}

impl Records {
    fn decode(entries: &[Entry]) -> Check<Records> {
        let mut r = Records::default();
        for e in entries {
            let implied = match e.table {
                Table::Orgs => {
                    let o: Org = record(e)?;
                    let ix = o.indexes();
                    r.orgs.insert(o.code.clone(), (e.line, o));
                    ix
                }
                Table::Templates => {
                    let t: TemplateSnapshot = record(e)?;
                    if audit::record_hash(t.text.as_bytes()) != t.hash {
                        return Err(at(e.line, K::BackupTemplateHash.text()));
                    }
                    r.templates.insert(t.hash.clone(), (e.line, t));
                    Vec::new()
                }
                Table::Rounds => {
                    let x: Round = record(e)?;
                    r.rounds.insert(x.id, (e.line, x));
                    Vec::new()
                }
                Table::Visits => {
                    let v: Visit = record(e)?;
                    r.visits.insert((v.round, v.org.clone()), (e.line, v));
                    Vec::new()
                }
                Table::Results => {
                    r.results.push((e.line, record(e)?));
                    Vec::new()
                }
                Table::Findings => {
                    let f: Finding = record(e)?;
                    let ix = f.indexes();
                    r.findings.push((e.line, f));
                    ix
                }
                Table::Team => {
                    record::<crate::domain::team::SignedRoster>(e)?;
                    Vec::new()
                }
                Table::Counters => {
                    record::<super::Counter>(e)?;
                    Vec::new()
                }
                Table::OrgChildren | Table::FindingsByVisit => {
                    if !e.value.is_empty() {
                        return Err(at(e.line, K::BackupIndexValue.text()));
                    }
                    Vec::new()
                }
                Table::Changes => {
                    serde_json::from_slice::<crate::domain::sync::SyncChange>(&e.value)
                        .map_err(|x| at(e.line, K::BackupBadValue.fill(&[&e.table.name(), &x])))?;
                    Vec::new()
                }
                Table::Meta | Table::Drafts | Table::Audit | Table::Summaries | Table::Versions | Table::Conflicts | Table::Peers => {
                    Vec::new()
                }
            };
            for ix in implied {
                r.indexes.insert(ix, e.line);
            }
        }
        Ok(r)
    }

    /// The index trees hold exactly the entries the records imply.
    fn check_indexes(&self, entries: &[Entry]) -> Check<()> {
        let mut present = HashSet::new();
        for e in entries.iter().filter(|e| matches!(e.table, Table::OrgChildren | Table::FindingsByVisit)) {
            if !self.indexes.contains_key(&(e.table, e.key.clone())) {
                return Err(at(e.line, K::BackupIndexExtra.text()));
            }
            present.insert((e.table, e.key.clone()));
        }
        let mut missing: Vec<_> = self.indexes.iter().filter(|(ix, _)| !present.contains(*ix)).collect();
        missing.sort_by_key(|(_, line)| **line);
        match missing.first() {
            Some(((t, k), line)) => Err(at(**line, K::BackupIndexMissing.fill(&[&t.name(), &describe(k)]))),
            None => Ok(()),
        }
    }

    /// Every record names records that are in the file: an organisation its parent (without a
    /// cycle), a round its template snapshot, a visit its round and organisation, a result and a
    /// finding their visit and an item of the round's template.
    fn check_references(&self) -> Check<()> {
        // Each organisation's way up ends at a root: walked once per organisation, stopping at
        // one already known to reach a root, so a long chain costs no more than a short one.
        let mut reaches_root: HashSet<&str> = HashSet::new();
        for (code, (line, _)) in &self.orgs {
            let mut path: Vec<&str> = Vec::new();
            let mut on_path: HashSet<&str> = HashSet::new();
            let mut here = code.as_str();
            loop {
                if reaches_root.contains(here) {
                    break;
                }
                if !on_path.insert(here) {
                    path.push(here);
                    let start = path.iter().position(|c| *c == here).unwrap_or(0);
                    let cycle_line = self.orgs.get(here).map_or(*line, |(l, _)| *l);
                    return Err(at(cycle_line, K::BackupOrgCycle.fill(&[&path[start..].join(" → ")])));
                }
                path.push(here);
                let Some((here_line, o)) = self.orgs.get(here) else { break };
                match o.parent.as_deref() {
                    None => break,
                    Some(p) if !self.orgs.contains_key(p) => return Err(at(*here_line, K::BackupNoParent.fill(&[&p]))),
                    Some(p) => here = p,
                }
            }
            reaches_root.extend(path);
        }
        for (line, r) in self.rounds.values() {
            match self.templates.get(&r.template_hash) {
                None => return Err(at(*line, K::BackupNoTemplate.fill(&[&r.template_hash]))),
                Some((_, t)) if t.template.id != r.template_id => {
                    return Err(at(*line, K::BackupTemplateId.fill(&[&r.template_id, &t.template.id])));
                }
                Some(_) => {}
            }
        }
        for (line, v) in self.visits.values() {
            if !self.rounds.contains_key(&v.round) {
                return Err(at(*line, K::BackupNoRound.fill(&[&v.round])));
            }
            if !self.orgs.contains_key(&v.org) {
                return Err(at(*line, K::BackupNoOrg.fill(&[&v.org])));
            }
        }
        let item_of = |line: usize, round: Id, org: &str, item: Option<&str>| -> Check<()> {
            if !self.visits.contains_key(&(round, org.to_string())) {
                return Err(at(line, K::BackupNoVisit.fill(&[&round, &org])));
            }
            let Some(item) = item else { return Ok(()) };
            // The visit's round is present and has its template (checked above).
            let template = self.rounds.get(&round).and_then(|(_, r)| self.templates.get(&r.template_hash));
            match template {
                Some((_, t)) if t.template.item(item).is_some() => Ok(()),
                Some((_, t)) => Err(at(line, K::BackupNoItem.fill(&[&item, &t.template.id]))),
                None => Err(at(line, K::BackupNoRound.fill(&[&round]))),
            }
        };
        for (line, r) in &self.results {
            item_of(*line, r.round, &r.org, Some(&r.item))?;
        }
        for (line, f) in &self.findings {
            item_of(*line, f.round, &f.org, f.item.as_deref())?;
        }
        Ok(())
    }
}

/// The audit chain end to end with the meta head, then (from schema 2, whose entries hash what
/// they wrote) every audited record against the latest hash the chain holds for it.
fn check_audit(entries: &[Entry], head: Option<(usize, Vec<u8>)>, schema: u32) -> Check<()> {
    let mut log: Vec<&Entry> = entries.iter().filter(|e| e.table == Table::Audit).collect();
    log.sort_by(|a, b| a.key.cmp(&b.key));
    let chain = audit::walk(log.iter().map(|e| (e.key.clone(), e.value.clone())), head.as_ref().map(|(_, h)| h.as_slice()), &[]);
    if let Some((seq, why)) = chain.broken {
        // The entry at fault, or where it should have been: the next entry, else the head.
        let line = log
            .iter()
            .find(|e| matches!(super::keys::decode(&e.key).as_deref(), Some([Part::U64(n)]) if *n >= seq))
            .map(|e| e.line)
            .or(head.as_ref().map(|(l, _)| *l))
            .unwrap_or_else(|| entries.last().map_or(1, |e| e.line));
        return Err(at(line, K::AuditBroken.fill(&[&seq, &why])));
    }
    if schema < 2 {
        return Ok(());
    }
    let mut check = RecordCheck::new(chain.latest);
    for e in entries.iter().filter(|e| Table::AUDITED.contains(&e.table)) {
        if let Some(why) = check.record(e.table, &e.key, &e.value) {
            return Err(at(e.line, K::BackupAuditRecord.fill(&[&why])));
        }
    }
    if let Some((table, key, why, seq)) = check.missing() {
        let line =
            log.iter().find(|e| matches!(super::keys::decode(&e.key).as_deref(), Some([Part::U64(n)]) if *n == seq)).map_or(1, |e| e.line);
        return Err(at(line, K::BackupAuditMissing.fill(&[&table, &key, &why])));
    }
    Ok(())
}

impl Store {
    /// Writes every tree to `out`; returns the number of records written.
    pub fn backup(&self, out: &mut dyn Write) -> Result<usize> {
        self.backup_at(out, chrono::Utc::now())
    }

    /// `backup`, stamped with `created` (the caller's clock).
    pub fn backup_at(&self, out: &mut dyn Write, created: chrono::DateTime<chrono::Utc>) -> Result<usize> {
        Ok(self.backup_report(out, created)?.records)
    }

    /// `backup_at`, saying what it wrote and which evidence files it could not (damaged or gone
    /// from the folder): those are left out and named, so one bad photo never stops the records
    /// from being backed up.
    pub fn backup_report(&self, out: &mut dyn Write, created: chrono::DateTime<chrono::Utc>) -> Result<BackupWritten> {
        let header = Header { format: FORMAT.into(), version: VERSION, schema: SCHEMA_VERSION, created };
        writeln!(out, "{}", serde_json::to_string(&header).unwrap_or_default())?;
        let mut n = 0;
        // Aggregates and the versions of fields are derived: rebuilt after a restore, never
        // carried; what was exchanged with peers is sent again, harmlessly, after a restore.
        for t in Table::ALL.into_iter().filter(|t| !matches!(t, Table::Summaries | Table::Versions | Table::Conflicts | Table::Peers)) {
            for kv in self.tree(t).iter() {
                let (k, v) = kv?;
                let raw: Option<&RawValue> = if v.is_empty() {
                    None
                } else {
                    let text = std::str::from_utf8(&v).map_err(|e| StoreError::BadRecord {
                        table: t.name(),
                        key: hex(&k),
                        reason: e.to_string(),
                    })?;
                    Some(serde_json::from_str(text).map_err(|e| StoreError::BadRecord {
                        table: t.name(),
                        key: hex(&k),
                        reason: e.to_string(),
                    })?)
                };
                let line = LineOut { t: t.name(), k: hex(&k), v: raw };
                writeln!(out, "{}", serde_json::to_string(&line).unwrap_or_default())?;
                n += 1;
            }
        }
        // The evidence files, in hash order, each read back against its hash: a damaged file is
        // named, not copied.
        let files = self.files();
        let (mut written, mut skipped) = (0, Vec::new());
        for sha in files.list()? {
            match files.get(&sha) {
                Ok(bytes) => {
                    writeln!(out, "{{\"f\":\"{sha}\",\"b\":\"{}\"}}", hex(&bytes))?;
                    written += 1;
                }
                Err(super::files::FileError::Io(p, e)) if e.kind() != std::io::ErrorKind::NotFound => {
                    skipped.push(format!("{}：{}", p.display(), crate::oserror::describe(&e)));
                }
                Err(_) => skipped.push(sha),
            }
        }
        writeln!(out, "{{\"end\":true,\"records\":{n},\"files\":{written}}}")?;
        out.flush()?;
        Ok(BackupWritten { records: n, files: written, skipped })
    }

    /// Loads a backup into this store, which must be empty. Nothing is written unless the whole
    /// file passes `check_backup`; the writing is a bulk fill, so a kill leaves the empty store
    /// (restored at the next open) or the whole backup.
    pub fn restore(&mut self, file: &str, input: &mut dyn BufRead) -> Result<usize> {
        if !self.is_empty()? || !self.tree(Table::Drafts).is_empty() {
            return Err(StoreError::NotEmpty(self.dir.clone()));
        }
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes).map_err(|e| StoreError::Backup(file.to_string(), 1, e.to_string()))?;
        let checked = check_backup(&bytes).map_err(|e| match e {
            BackupError::Line(line, why) => StoreError::Backup(file.to_string(), line, why),
            BackupError::Newer(found) => StoreError::Newer(self.dir.clone(), found, SCHEMA_VERSION),
        })?;
        drop(bytes);
        let n = checked.records.len();
        // The files first: kept under their hashes, they are harmless if the records never land.
        let files = self.files();
        for (_, content) in &checked.files {
            files.put(content)?;
        }
        self.forget_templates();
        self.bulk_fill(|store| {
            for t in Table::ALL {
                let mut batch = sled::Batch::default();
                let mut size = 0;
                for (_, k, v) in checked.records.iter().filter(|(rt, _, _)| *rt == t) {
                    batch.insert(k.as_slice(), v.as_slice());
                    size += 1;
                    if size == BATCH {
                        store.tree(t).apply_batch(std::mem::take(&mut batch))?;
                        size = 0;
                    }
                }
                store.tree(t).apply_batch(batch)?;
            }
            // The counts of what was written, whatever counts the backup carried.
            let mut counts = sled::Batch::default();
            for t in Table::ALL.into_iter().filter(|t| t.counted()) {
                match checked.records.iter().filter(|(rt, _, _)| *rt == t).count() {
                    0 => counts.remove(super::count_key(t)),
                    n => counts.insert(super::count_key(t), serde_json::to_vec(&n).unwrap_or_default()),
                }
            }
            store.tree(Table::Meta).apply_batch(counts)?;
            store.db.flush()?;
            // The folder now holds the restored laptop's store.
            super::identity::write(&store.dir, checked.laptop)?;
            Ok(())
        })?;
        // The restored meta brings the original laptop id and schema; migrate if it is older.
        self.init_meta()?;
        self.rebuild_versions()?;
        Ok(n)
    }
}
