//! Evidence files (佐证材料): a photo, a scan or a document attached to a finding or to a
//! rectification step. The file itself lives in the data folder under its SHA-256 (the store's
//! `files`); records carry only this description of it. Pure: the type of a file is judged from
//! bytes given to it, never by opening anything.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One attached file, as a finding or a step records it. Never edited once recorded: a file is
/// known by its hash, and two laptops that attach at once both keep theirs (the list is a log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// SHA-256 of the content, lowercase hex: the file's name in the evidence store.
    pub sha256: String,
    /// The file's name when it was attached (shown only; the hash is what counts).
    pub name: String,
    pub size: u64,
    /// The type its content shows (a MIME type: image/jpeg, application/pdf, ...).
    pub kind: String,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// How many hex characters of the hash name a file in lists and reports.
pub const SHORT: usize = 8;

impl Attachment {
    /// The short id lists and reports use: the first 8 hex characters of the hash.
    pub fn short_id(&self) -> &str {
        short_id(&self.sha256)
    }
}

pub fn short_id(sha256: &str) -> &str {
    sha256.get(..SHORT).unwrap_or(sha256)
}

/// Whether `s` is a SHA-256 as the store names files: 64 lowercase hex characters.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Every file of a finding and of its rectification steps (with the step's day), in the order
/// attached.
pub fn of_finding(f: &super::Finding) -> Vec<(Option<chrono::NaiveDate>, &Attachment)> {
    let mut out: Vec<(Option<chrono::NaiveDate>, &Attachment)> = f.attachments.iter().map(|a| (None, a)).collect();
    for u in &f.rect.updates {
        out.extend(u.attachments.iter().map(|a| (Some(u.on), a)));
    }
    out
}

/// The kinds of file accepted as evidence: (type, the file name endings that say it).
pub const ACCEPTED: &[(&str, &[&str])] = &[
    ("image/jpeg", &["jpg", "jpeg", "jpe"]),
    ("image/png", &["png"]),
    ("image/gif", &["gif"]),
    ("image/webp", &["webp"]),
    ("image/heif", &["heic", "heif"]),
    ("image/tiff", &["tif", "tiff"]),
    ("application/pdf", &["pdf"]),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", &["docx"]),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &["xlsx"]),
    ("application/vnd.openxmlformats-officedocument.presentationml.presentation", &["pptx"]),
    ("application/msword", &["doc"]),
    ("application/vnd.ms-excel", &["xls"]),
    ("application/vnd.ms-powerpoint", &["ppt"]),
    ("text/plain", &["txt", "text", "md"]),
];

/// Why a file's content is not accepted as evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The content is of a kind not accepted (what it looks like, if known).
    Kind { looks_like: String },
    /// The name says one kind, the content another (a `.jpg` that is text or a program).
    Misnamed { ending: String, looks_like: String },
}

/// The type of `bytes` as evidence, judged by content: a kind in `ACCEPTED`, or why not. `name`
/// is the file's name: its ending may not claim another accepted kind than the content shows.
pub fn kind_of(name: &str, bytes: &[u8]) -> Result<&'static str, Refused> {
    let seen: Option<&str> = match infer::get(bytes) {
        Some(t) => Some(t.mime_type()),
        // Plain text has no magic number: UTF-8 without control characters but tabs and line ends.
        None if !bytes.is_empty() && plain_text(bytes) => Some("text/plain"),
        None => None,
    };
    let accepted = seen.and_then(|m| ACCEPTED.iter().find(|(k, _)| *k == m).map(|(k, _)| *k));
    let ending = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let claimed = ACCEPTED.iter().find(|(_, ends)| ends.contains(&ending.as_str())).map(|(k, _)| *k);
    let looks_like = || seen.unwrap_or("?").to_string();
    match (accepted, claimed) {
        (Some(k), Some(c)) if k != c => Err(Refused::Misnamed { ending, looks_like: looks_like() }),
        (Some(k), _) => Ok(k),
        (None, Some(_)) => Err(Refused::Misnamed { ending, looks_like: looks_like() }),
        (None, None) => Err(Refused::Kind { looks_like: looks_like() }),
    }
}

fn plain_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|t| t.chars().all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t')))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

    #[test]
    fn the_content_decides_and_the_name_may_not_lie() {
        assert_eq!(kind_of("照片.png", PNG), Ok("image/png"));
        assert_eq!(kind_of("scan", PNG), Ok("image/png"));
        assert_eq!(kind_of("a.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), Ok("application/pdf"));
        assert_eq!(kind_of("记录.txt", "谈话记录".as_bytes()), Ok("text/plain"));
        assert!(
            matches!(kind_of("照片.jpg", "不是图片".as_bytes()), Err(Refused::Misnamed { looks_like, .. }) if looks_like == "text/plain")
        );
        assert!(matches!(kind_of("a.jpg", PNG), Err(Refused::Misnamed { .. })));
        let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0";
        assert!(matches!(kind_of("a.jpg", elf), Err(Refused::Misnamed { .. })));
        assert!(matches!(kind_of("a.bin", elf), Err(Refused::Kind { .. })));
        assert!(matches!(kind_of("a.bin", b"\0\x01\x02"), Err(Refused::Kind { .. })));
    }

    #[test]
    fn the_short_id_is_the_hash_start() {
        let h = "ab".repeat(32);
        assert!(is_sha256(&h));
        assert!(!is_sha256("AB"));
        assert_eq!(short_id(&h), "abababab");
    }
}
