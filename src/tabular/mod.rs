//! Tabular files that people bring: a roster, a filled visit sheet, a follow-up list. Each is read
//! into rows of text cells with the line (CSV) or row (XLSX) number a person sees, whatever it was
//! saved as, and every error names the kind of file, the file, and where in it.
//!
//! These files come from anywhere, so reading them is bounded before anything big is allocated.
//! The limits ([`Limits::DEFAULT`], also in README.md, "Limits of input files"):
//!
//! | what | limit | why |
//! | --- | --- | --- |
//! | file size | 200 MB | checked from the file's metadata before reading |
//! | rows | 1,000,000 | a province's roster has about 200,000 |
//! | columns | 256 (A to IV) | a roster has 7, a visit sheet 11, the rectification list 28 |
//! | cells (a row counts up to its last filled cell) | 4,000,000 | a province's roster is 1,600,000 at 8 columns |
//! | one cell | 32,767 characters | Excel's own limit |
//! | all text | 128 MB | a province's roster holds about 20 MB |
//! | an XLSX worksheet unpacked | 256 MB | a province's roster sheet is about 60 MB; it is read as a stream |
//! | any other XLSX part unpacked (shared strings, styles, …) | 64 MB | these are read whole; a province's shared strings are 7 to 20 MB |
//! | shared strings (distinct cell texts) | 2,000,000 | each costs memory when the workbook opens; a province's roster has about 600,000 |
//! | formats, fonts, sheets, relationships… in the other parts | 200,000 | each costs memory when the workbook opens; Excel allows 64,000 formats |
//! | an unbroken run of text inside an XLSX part | 1 MB | the XML parser buffers one run whole |
//! | XLSX cell references | inside A1:XFD1048576, ranges not reversed | calamine's u32 arithmetic overflows past them (found by fuzzing) |
//!
//! XLSX files are checked twice: every XML part of the archive is unpacked once into nothing,
//! counting bytes, before calamine opens the workbook (which reads the shared strings and styles
//! whole), and the first worksheet is then streamed cell by cell, never as a range sized by the
//! sheet's own `<dimension>` (which a file can state as A1:XFD1048576).
//!
//! CSV text is UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text", tab-separated)
//! or GB18030/GBK; any other encoding is refused with its name, unless `--encoding` says otherwise.

mod decode;
mod delimited;
mod error;
mod xlsx;

pub use decode::encoding_for_label;
pub use error::{Place, Problem, ReadError};

use crate::i18n::K;
use encoding_rs::Encoding;
use std::fmt;
use std::io::Read;
use std::path::Path;

/// A row of cells and the line (CSV) or row (XLSX) number a person sees for it, from 1.
pub type Rows = Vec<(usize, Vec<String>)>;

/// Which file a message is about: people keep several open and must know which one to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// 名册: organisations (`xuncha org import`).
    Roster,
    /// 检查表: a filled paper visit sheet (`xuncha visit import`).
    Sheet,
    /// 整改回执: a rectification list sent back by follow-up tracking (`xuncha rectify import`).
    FollowUp,
}

impl FileKind {
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Roster => K::KindRoster.text(),
            FileKind::Sheet => K::KindSheet.text(),
            FileKind::FollowUp => K::KindFollowUp.text(),
        }
    }

    /// An error about `file` of this kind.
    pub fn error(self, file: &str, problem: Problem) -> ReadError {
        ReadError { kind: self, file: file.to_string(), problem }
    }

    /// The header lacks required columns: `missing` and what it must have, both as the user reads them.
    pub fn missing_columns(self, file: &str, missing: &[&str], expected: &[&str]) -> ReadError {
        self.error(file, Problem::MissingColumns { missing: missing.join(", "), expected: expected.join(", ") })
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How far reading a file may go. See the module documentation for the defaults and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub file_bytes: u64,
    pub rows: usize,
    pub columns: usize,
    pub cells: usize,
    pub cell_chars: usize,
    pub text_bytes: usize,
    pub sheet_part_bytes: u64,
    pub other_part_bytes: u64,
    pub shared_strings: usize,
    pub records: usize,
    pub xml_run_bytes: usize,
}

const MB: u64 = 1024 * 1024;

impl Limits {
    pub const DEFAULT: Limits = Limits {
        file_bytes: 200 * MB,
        rows: 1_000_000,
        columns: 256,
        cells: 4_000_000,
        cell_chars: 32_767,
        text_bytes: 128 * MB as usize,
        sheet_part_bytes: 256 * MB,
        other_part_bytes: 64 * MB,
        shared_strings: 2_000_000,
        records: 200_000,
        xml_run_bytes: MB as usize,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Whole megabytes, rounded up, for messages: a limit of 200 MB, a file of 201 MB.
pub(crate) fn megabytes(bytes: u64) -> u64 {
    bytes.div_ceil(MB)
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Decode CSV text in this encoding instead of recognising it (`--encoding`).
    pub encoding: Option<&'static Encoding>,
    pub limits: Limits,
}

impl ReadOptions {
    /// The options for an `--encoding` given (or not) on the command line; an unknown label is
    /// refused with a message naming it.
    pub fn with_encoding_label(label: Option<&str>) -> Result<ReadOptions, String> {
        let encoding = label.map(encoding_for_label).transpose()?;
        Ok(ReadOptions { encoding, ..ReadOptions::default() })
    }
}

/// Reads and parses a file from disk: [`read_bytes`], then [`read_rows`].
pub fn read_file(kind: FileKind, path: &Path, options: &ReadOptions) -> Result<Rows, ReadError> {
    let bytes = read_bytes(kind, path, options)?;
    read_rows(kind, &path.display().to_string(), &bytes, options)
}

/// The file's bytes, refused before reading when its metadata says it is larger than the limit;
/// OS errors become a sentence in the user's language.
pub fn read_bytes(kind: FileKind, path: &Path, options: &ReadOptions) -> Result<Vec<u8>, ReadError> {
    let file = path.display().to_string();
    let os = |e: std::io::Error| kind.error(&file, Problem::Os(crate::oserror::describe(&e)));
    let limit = options.limits.file_bytes;
    let meta = std::fs::metadata(path).map_err(os)?;
    if meta.is_dir() {
        return Err(os(std::io::ErrorKind::IsADirectory.into()));
    }
    if meta.len() > limit {
        return Err(kind.error(&file, Problem::TooBig { bytes: meta.len(), limit }));
    }
    // Read no more than the limit even if the file grows meanwhile or is a device or a pipe
    // whose metadata says nothing.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes)).map_err(os)?;
    if bytes.len() as u64 > limit {
        return Err(kind.error(&file, Problem::TooBig { bytes: bytes.len() as u64, limit }));
    }
    Ok(bytes)
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Rows of an XLSX (by its zip signature) or CSV file; `file` is the name used in messages.
/// Rows without any filled cell are left out; a file without any is refused as empty.
pub fn read_rows(kind: FileKind, file: &str, bytes: &[u8], options: &ReadOptions) -> Result<Rows, ReadError> {
    let rows = if bytes.starts_with(ZIP_MAGIC) {
        xlsx::read(bytes, &options.limits)
    } else {
        decode::decode(bytes, options.encoding).and_then(|text| delimited::read(&text, &options.limits))
    }
    .map_err(|p| kind.error(file, p))?;
    if rows.is_empty() {
        return Err(kind.error(file, Problem::Empty));
    }
    Ok(rows)
}

/// How far down a header row is looked for: a title row or two, a blank line, a note.
const HEADER_SEARCH_ROWS: usize = 10;

/// The rows from the header row on. A sheet xuncha writes as XLSX has a title row above its
/// header (the list's round and export date), and a person may add a line or two above it too:
/// the header is the first row, among the first few, that names every column of `required`
/// (cells compared trimmed, a BOM ignored). A file without such a row is given back whole, so its
/// first row is reported as the header lacking the columns, as before.
pub fn from_header(mut rows: Rows, required: &[&str]) -> Rows {
    let names = |cells: &[String]| required.iter().all(|r| cells.iter().any(|c| c.trim().trim_start_matches('\u{feff}').trim() == *r));
    if let Some(at) = rows.iter().take(HEADER_SEARCH_ROWS).position(|(_, cells)| names(cells)) {
        rows.drain(..at);
    }
    rows
}

/// Keeps the running totals of a file's rows against the limits, for both formats.
struct Budget<'a> {
    limits: &'a Limits,
    cells: usize,
    text: usize,
}

impl<'a> Budget<'a> {
    fn new(limits: &'a Limits) -> Self {
        Budget { limits, cells: 0, text: 0 }
    }

    /// A cell's text: not longer than a cell may be, and not past the total.
    fn text(&mut self, text: &str, line: usize, place: impl FnOnce() -> Place) -> Result<(), Problem> {
        let chars = text.chars().count();
        if chars > self.limits.cell_chars {
            return Err(Problem::CellTooLong { place: place(), chars, limit: self.limits.cell_chars });
        }
        self.text += text.len();
        if self.text > self.limits.text_bytes {
            return Err(Problem::TooMuchText { line, limit: self.limits.text_bytes as u64 });
        }
        Ok(())
    }

    /// `n` more cells stored: a row counts up to its last filled cell.
    fn cells(&mut self, line: usize, n: usize) -> Result<(), Problem> {
        self.cells += n;
        if self.cells > self.limits.cells {
            return Err(Problem::TooManyCells { line, limit: self.limits.cells });
        }
        Ok(())
    }
}

#[cfg(test)]
mod header_tests {
    use super::*;

    fn rows(lines: &[&[&str]]) -> Rows {
        lines.iter().enumerate().map(|(i, l)| (i + 1, l.iter().map(|c| c.to_string()).collect())).collect()
    }

    #[test]
    fn the_header_is_found_under_a_title_row() {
        let titled = rows(&[
            &["问题整改清单（2026年第四季度）　导出日期：2026-11-22"],
            &["序号", "问题编号", "整改状态"],
            &["1", "2026Q4-0001", "整改中"],
        ]);
        let from = from_header(titled, &["问题编号", "整改状态"]);
        assert_eq!(from.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [2, 3], "the title is dropped, the lines kept");
        let plain = rows(&[&["\u{feff}问题编号", " 整改状态 "], &["2026Q4-0001", "整改中"]]);
        assert_eq!(from_header(plain.clone(), &["问题编号", "整改状态"]), plain, "a header on the first line stays");
        let none = rows(&[&["编号", "状态"], &["2026Q4-0001", "整改中"]]);
        assert_eq!(from_header(none.clone(), &["问题编号", "整改状态"]), none, "no header anywhere: the file as it was");
        let mut deep: Vec<&[&str]> = vec![&["说明"]; HEADER_SEARCH_ROWS];
        deep.push(&["问题编号", "整改状态"]);
        assert_eq!(from_header(rows(&deep), &["问题编号", "整改状态"]).len(), HEADER_SEARCH_ROWS + 1, "only the first rows are looked at");
    }
}
