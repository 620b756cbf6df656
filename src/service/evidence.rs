//! Evidence files on findings and rectification steps: checked (size, kind by content, who may),
//! kept in the data folder's evidence store under their SHA-256, and recorded on the finding as
//! one audited change that travels. docs/evidence.md.

use super::{Result, ServiceError, Session, invalid};
use crate::domain::evidence::{self, Attachment, Refused};
use crate::domain::team::Role;
use crate::domain::{Finding, RectUpdate};
use crate::i18n::K;
use crate::store::{Commit, FileError, Write};
use serde_json::json;
use std::path::Path;

/// The size limit when config.toml sets none (`[evidence] max_mb`).
pub const DEFAULT_MAX_MB: u64 = 20;

/// A file read from disk and judged fit to attach.
pub struct Incoming {
    pub name: String,
    pub bytes: Vec<u8>,
    pub kind: &'static str,
}

/// Reads the file at `path` if it is within `max_mb` and of an accepted kind by its content;
/// else says why, naming the file.
pub fn read(path: &Path, max_mb: u64) -> Result<Incoming> {
    let file = path.display().to_string();
    let cannot = |e: &std::io::Error| invalid(K::EvidenceUnreadable, &[&file, &crate::oserror::describe(e)]);
    let meta = std::fs::metadata(path).map_err(|e| cannot(&e))?;
    if !meta.is_file() {
        return Err(invalid(K::EvidenceNotFile, &[&file]));
    }
    let max = max_mb.saturating_mul(1 << 20);
    // Judged before reading: a file of any size is refused without filling the memory.
    if meta.len() > max {
        return Err(invalid(K::EvidenceTooLarge, &[&file, &super::sync::size_label(meta.len()), &max_mb]));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    let f = std::fs::File::open(path).map_err(|e| cannot(&e))?;
    std::io::Read::read_to_end(&mut std::io::Read::take(f, max + 1), &mut bytes).map_err(|e| cannot(&e))?;
    if bytes.len() as u64 > max {
        return Err(invalid(K::EvidenceTooLarge, &[&file, &super::sync::size_label(bytes.len() as u64), &max_mb]));
    }
    if bytes.is_empty() {
        return Err(invalid(K::EvidenceEmpty, &[&file]));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| file.clone());
    let kind = evidence::kind_of(&name, &bytes).map_err(|r| match r {
        Refused::Kind { looks_like } => invalid(K::EvidenceKind, &[&file, &words(&looks_like)]),
        Refused::Misnamed { ending, looks_like } => invalid(K::EvidenceMisnamed, &[&file, &ending, &words(&looks_like)]),
    })?;
    Ok(Incoming { name, bytes, kind })
}

/// What an attach did: the finding as written, the file's record, and whether the file was new
/// to the evidence store (false: the same content was kept already).
pub struct Attached {
    pub finding: Finding,
    pub attachment: Attachment,
    pub stored: bool,
}

/// Whether this laptop's member is a reviewer (alone, with no team, everyone decides for themselves).
fn is_reviewer(s: &Session) -> Result<bool> {
    let Some(held) = super::team::roster(s)? else { return Ok(true) };
    Ok(held.roster.on_laptop(s.laptop()).is_some_and(|m| m.roles.contains(&Role::Reviewer)))
}

/// Keeps the file and records `attachment` with `writes`: the file first, so a record never
/// names a file the store lacks (a file kept by a commit that then fails is harmless: nothing
/// names it).
fn keep(s: &Session, bytes: &[u8]) -> Result<(String, bool)> {
    let files = s.store.files();
    files.put(bytes).map_err(|e| ServiceError::Io(crate::oserror::write_failed(&files.path(&crate::store::sha256_of(bytes)), &e)))
}

fn record(s: &Session, incoming: &Incoming, sha256: String) -> Attachment {
    Attachment {
        sha256,
        name: incoming.name.clone(),
        size: incoming.bytes.len() as u64,
        kind: incoming.kind.to_string(),
        at: s.now(),
        by: s.actor.clone(),
    }
}

fn detail(f: &Finding, a: &Attachment) -> serde_json::Value {
    json!({ "round": f.round.to_string(), "org": f.org, "finding": f.id.to_string(), "number": f.number,
        "sha256": a.sha256, "name": a.name, "size": a.size, "kind": a.kind })
}

/// What a file's content was taken for, in words: a type, or (for "?") content no type fits,
/// such as text in an encoding other than UTF-8 (GBK from a Chinese Windows).
fn words(looks_like: &str) -> String {
    if looks_like == "?" { K::EvidenceUnknownContent.text().to_string() } else { looks_like.to_string() }
}

/// Attaches the file at `path` to the finding `finding` (its number or id). The inspector who
/// recorded it may while it is not yet approved; a reviewer may at any time.
pub fn attach_to_finding(s: &Session, finding: &str, path: &Path, max_mb: u64) -> Result<Attached> {
    let f = super::findings::find(s, finding)?;
    if !is_reviewer(s)? && (f.created_by != s.actor || f.number.is_some()) {
        return Err(invalid(K::EvidenceFindingWho, &[&f.created_by]));
    }
    let incoming = read(path, max_mb)?;
    let sha256 = crate::store::sha256_of(&incoming.bytes);
    if let Some(a) = f.attachments.iter().find(|a| a.sha256 == sha256) {
        return Err(invalid(K::EvidenceAlready, &[&path.display(), &a.short_id()]));
    }
    let (sha256, stored) = keep(s, &incoming.bytes)?;
    let a = record(s, &incoming, sha256);
    let mut g = f.clone();
    g.attachments.push(a.clone());
    s.commit(Commit::new("finding.attach", detail(&g, &a), vec![Write::put(&g)]))?;
    Ok(Attached { finding: g, attachment: a, stored })
}

/// Attaches the file at `path` to the rectification of the problem numbered `number`, as a step
/// of its own that leaves the status where it is (follow-up tracking or a reviewer).
pub fn attach_to_step(s: &Session, number: &str, path: &Path, note: &str, max_mb: u64) -> Result<Attached> {
    let f = super::findings::find(s, number)?;
    if f.number.is_none() {
        return Err(invalid(K::NotOfficial, &[&f.id]));
    }
    super::team::require(s, super::team::Act::Rectify)?;
    super::visits::check_len(K::ColNote.text(), note, crate::domain::limits::TEXT_CHARS)?;
    let incoming = read(path, max_mb)?;
    let sha256 = crate::store::sha256_of(&incoming.bytes);
    if let Some(a) = f.rect.updates.iter().flat_map(|u| &u.attachments).find(|a| a.sha256 == sha256) {
        return Err(invalid(K::EvidenceAlready, &[&path.display(), &a.short_id()]));
    }
    let (sha256, stored) = keep(s, &incoming.bytes)?;
    let a = record(s, &incoming, sha256);
    let mut g = f.clone();
    g.rect.updates.push(RectUpdate {
        on: s.today(),
        by: s.actor.clone(),
        from: f.status,
        to: f.status,
        note: note.trim().to_string(),
        evidence: String::new(),
        deadline_from: None,
        deadline_to: None,
        attachments: vec![a.clone()],
        notice: None,
        recheck: None,
    });
    s.commit(Commit::new("rectify.attach", detail(&g, &a), vec![Write::put(&g)]))?;
    Ok(Attached { finding: g, attachment: a, stored })
}

/// Where a finding's file hangs: on the finding, or on a step of its rectification (its day).
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub step: Option<chrono::NaiveDate>,
    pub attachment: Attachment,
    /// Whether the evidence store holds the file (it may still be on its way from another laptop).
    pub present: bool,
}

/// The files of the finding `finding` (its number or id).
pub fn list(s: &Session, finding: &str) -> Result<(Finding, Vec<Listed>)> {
    let f = super::findings::find(s, finding)?;
    let files = s.store.files();
    let listed = evidence::of_finding(&f)
        .into_iter()
        .map(|(step, a)| Listed { step, attachment: a.clone(), present: files.has(&a.sha256) })
        .collect();
    Ok((f, listed))
}

/// Writes the file `id` (its short id or whole hash) of the finding `finding` to `out`, after
/// checking its content against its hash. Never over an existing file.
pub fn extract(s: &Session, finding: &str, id: &str, out: &Path) -> Result<Attachment> {
    let (_, listed) = list(s, finding)?;
    let id = id.trim().to_ascii_lowercase();
    let mut matching: Vec<&Listed> = listed.iter().filter(|l| !id.is_empty() && l.attachment.sha256.starts_with(&id)).collect();
    matching.sort_by(|a, b| a.attachment.sha256.cmp(&b.attachment.sha256));
    matching.dedup_by(|a, b| a.attachment.sha256 == b.attachment.sha256);
    // A prefix two files share names neither: say which, rather than pick one.
    if matching.len() > 1 {
        let which = matching.iter().map(|l| format!("{}（{}）", l.attachment.short_id(), l.attachment.name)).collect::<Vec<_>>().join("、");
        return Err(invalid(K::EvidenceAmbiguous, &[&id, &which]));
    }
    let Some(l) = matching.first() else { return Err(invalid(K::EvidenceNoSuchFile, &[&id, &finding.trim()])) };
    let bytes = s.store.files().get(&l.attachment.sha256).map_err(|e| file_error(&l.attachment, e))?;
    if out.exists() {
        return Err(invalid(K::EvidenceOutExists, &[&out.display()]));
    }
    let io = |e: std::io::Error| ServiceError::Io(crate::oserror::write_failed(out, &e));
    let mut file = crate::atomic_file::AtomicFile::create(out, crate::atomic_file::Access::Shared).map_err(io)?;
    std::io::Write::write_all(&mut file, &bytes).map_err(io)?;
    file.commit().map_err(io)?;
    Ok(l.attachment.clone())
}

fn file_error(a: &Attachment, e: FileError) -> ServiceError {
    match e {
        FileError::Missing(_) => invalid(K::EvidenceMissing, &[&a.short_id(), &a.name]),
        FileError::Damaged(p) => invalid(K::EvidenceDamaged, &[&p.display(), &a.sha256]),
        FileError::Io(p, e) => ServiceError::Io(format!("{}：{}", p.display(), crate::oserror::describe(&e))),
    }
}

/// The hashes of the files `changes` name (attachments of findings and of steps), each once.
pub fn named_by(changes: &[crate::domain::sync::SyncChange]) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    for set in changes.iter().flat_map(|c| &c.ops).flat_map(|o| &o.sets) {
        if crate::domain::sync::is_log(&set.field) {
            collect_hashes(&set.value, &mut out);
        }
    }
    out.into_iter().collect()
}

fn collect_hashes(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_hashes(i, out)),
        serde_json::Value::Object(m) => {
            if let Some(h) = m.get("sha256").and_then(|h| h.as_str()).filter(|h| evidence::is_sha256(h)) {
                out.insert(h.to_string());
            }
            m.values().for_each(|i| collect_hashes(i, out));
        }
        _ => {}
    }
}
