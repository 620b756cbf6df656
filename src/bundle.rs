//! The bundle file: changes carried between laptops on a USB stick, a shared folder or mail.
//!
//! A bundle is gzip-compressed UTF-8 text, one JSON value per line:
//! 1. the header: kind `xuncha-bundle/1`, the team, the sending laptop and person, the receiver
//!    (if chosen), when it was made, the sender's roster (signed by the leader), what the sender
//!    holds (`have`, per laptop the last change), the sender's audit chain head, and the count;
//! 2. one change per line (`domain::sync::SyncChange`), each signed by the laptop that made it;
//! 3. one evidence file per line (`{"file": SHA-256, "data": hex}`): the files the changes name
//!    (attachments), each checked against its hash when read;
//! 4. the end: the count again, the SHA-256 of every byte before the end line, and the sending
//!    laptop's signature of it.
//!
//! Reading is pure (`read`): it checks the shape, the count and the hash; the signatures and
//! the roster are checked by the service, which holds the keys. Writing is `write`.

use crate::domain::sync::{Known, SyncChange, hex};
use crate::domain::team::SignedRoster;
use crate::domain::{Id, LaptopId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};

pub const KIND: &str = "xuncha-bundle/1";

/// The most text a bundle may hold once decompressed (a whole province round is far less): a
/// file that claims more is refused before it fills the memory.
pub const MAX_TEXT: u64 = 8 << 30;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub kind: String,
    pub team: Id,
    pub from: LaptopId,
    pub author: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<LaptopId>,
    pub made_at: DateTime<Utc>,
    pub roster: SignedRoster,
    /// What the sender holds: per laptop, its last change.
    pub have: Known,
    /// The sender's audit chain: entries and the hash of the last.
    pub audit_head: (u64, String),
    /// The round the sender chose, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<Id>,
    pub changes: usize,
    /// How many evidence files follow the changes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub files: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One evidence file as it travels: its SHA-256 and its content in hex (inside gzip, hex costs
/// next to nothing over the bytes themselves).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct FileLine {
    file: String,
    data: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct End {
    pub end: usize,
    pub sha256: String,
    pub sig: String,
}

/// A bundle as read: header, changes, and the end with the sender's signature.
#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    pub header: Header,
    pub changes: Vec<SyncChange>,
    /// The evidence files carried, by SHA-256 (each checked against its content).
    pub files: Vec<(String, Vec<u8>)>,
    pub end: End,
}

/// What the sender signs: kind, team and the hash of the text before the end line.
pub fn signed_bytes(team: Id, sha256: &str) -> Vec<u8> {
    format!("{KIND}\n{team}\n{sha256}").into_bytes()
}

/// Why a file is not a bundle that can be read. Lines count from 1, in the decompressed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleError {
    /// Not gzip, or not a bundle's header.
    NotBundle,
    /// The compressed data is damaged or cut.
    Damaged(String),
    /// More text than `MAX_TEXT`.
    TooLarge,
    /// A line is not what it should be.
    Line(usize, String),
    /// No end line: the file was cut.
    Truncated,
    /// The end line's count or hash does not match what came before.
    Mismatch,
    /// An evidence file's content does not have the SHA-256 it is carried under.
    FileMismatch(String),
}

/// Reads a bundle's bytes: decompresses (up to `MAX_TEXT`), then checks every line's shape,
/// the count and the hash. Never panics, whatever the bytes.
pub fn read(bytes: &[u8]) -> Result<Bundle, BundleError> {
    if bytes.len() < 2 || bytes[..2] != [0x1f, 0x8b] {
        return Err(BundleError::NotBundle);
    }
    let mut text = Vec::new();
    let mut dec = flate2::read::GzDecoder::new(bytes).take(MAX_TEXT + 1);
    dec.read_to_end(&mut text).map_err(|e| BundleError::Damaged(e.to_string()))?;
    if text.len() as u64 > MAX_TEXT {
        return Err(BundleError::TooLarge);
    }
    parse(&text)
}

/// Checks the decompressed text of a bundle.
pub fn parse(text: &[u8]) -> Result<Bundle, BundleError> {
    let mut lines = text.split(|b| *b == b'\n').enumerate().map(|(i, l)| (i + 1, l));
    let header: Header = match lines.next() {
        Some((_, l)) => serde_json::from_slice(l).map_err(|_| BundleError::NotBundle)?,
        None => return Err(BundleError::NotBundle),
    };
    if header.kind != KIND {
        return Err(BundleError::NotBundle);
    }
    // Where the end line starts: everything before it is hashed.
    let mut offset = 0usize;
    let mut changes = Vec::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for (no, line) in lines {
        let start = offset_of(text, line);
        if line.is_empty() {
            continue;
        }
        if line.starts_with(b"{\"end\"") {
            let end: End = serde_json::from_slice(line).map_err(|e| BundleError::Line(no, e.to_string()))?;
            let rest = text.get(start + line.len()..).unwrap_or_default();
            if !rest.iter().all(u8::is_ascii_whitespace) {
                return Err(BundleError::Line(no + 1, "text after the end".into()));
            }
            offset = start;
            let hashed = text.get(..offset).unwrap_or_default();
            if end.end != changes.len()
                || header.changes != changes.len()
                || header.files != files.len()
                || end.sha256 != hex(&Sha256::digest(hashed))
            {
                return Err(BundleError::Mismatch);
            }
            return Ok(Bundle { header, changes, files, end });
        }
        if line.starts_with(b"{\"file\"") {
            let f: FileLine = serde_json::from_slice(line).map_err(|e| BundleError::Line(no, e.to_string()))?;
            let data = crate::domain::sync::unhex(&f.data).ok_or_else(|| BundleError::Line(no, "data is not hex".into()))?;
            if hex(&Sha256::digest(&data)) != f.file {
                return Err(BundleError::FileMismatch(f.file));
            }
            files.push((f.file, data));
            continue;
        }
        let c: SyncChange = serde_json::from_slice(line).map_err(|e| BundleError::Line(no, e.to_string()))?;
        changes.push(c);
    }
    let _ = offset;
    Err(BundleError::Truncated)
}

/// The offset of `line` (a slice of `text`) in `text`.
fn offset_of(text: &[u8], line: &[u8]) -> usize {
    (line.as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

/// Writes a bundle: header and changes, then the end line with `sign`'s signature of the hash,
/// gzip-compressed into `out`.
pub fn write(out: &mut dyn Write, header: &Header, changes: &[SyncChange], sign: &dyn Fn(&[u8]) -> String) -> std::io::Result<()> {
    write_with_files(out, header, changes, &[], sign)
}

/// `write`, with evidence files (SHA-256, content) after the changes; `header.files` must count
/// them.
pub fn write_with_files(
    out: &mut dyn Write,
    header: &Header,
    changes: &[SyncChange],
    files: &[(String, Vec<u8>)],
    sign: &dyn Fn(&[u8]) -> String,
) -> std::io::Result<()> {
    let mut gz = flate2::write::GzEncoder::new(out, flate2::Compression::fast());
    let mut hasher = Sha256::new();
    let mut line = serde_json::to_vec(header).unwrap_or_default();
    line.push(b'\n');
    hasher.update(&line);
    gz.write_all(&line)?;
    for c in changes {
        line.clear();
        serde_json::to_writer(&mut line, c).map_err(std::io::Error::other)?;
        line.push(b'\n');
        hasher.update(&line);
        gz.write_all(&line)?;
    }
    for (sha256, data) in files {
        line.clear();
        serde_json::to_writer(&mut line, &FileLine { file: sha256.clone(), data: hex(data) }).map_err(std::io::Error::other)?;
        line.push(b'\n');
        hasher.update(&line);
        gz.write_all(&line)?;
    }
    let sha256 = hex(&hasher.finalize());
    let end = End { end: changes.len(), sig: sign(&signed_bytes(header.team, &sha256)), sha256 };
    line = serde_json::to_vec(&end).unwrap_or_default();
    line.push(b'\n');
    gz.write_all(&line)?;
    gz.finish()?.flush()
}
