//! The first worksheet of an XLSX file into rows, without trusting the file: the archive's parts
//! are unpacked and measured before calamine opens it, and the cells are streamed one by one
//! (calamine's `worksheet_range` would allocate whatever `<dimension>` the sheet declares).

use super::{Budget, Limits, Place, Problem, Rows};
use crate::i18n::K;
use calamine::{Data, DataRef, Reader, Xlsx};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Rows, Problem> {
    check_parts(bytes, limits)?;
    let bad = |e: calamine::XlsxError| Problem::Xlsx(e.to_string());
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(bad)?;
    let sheet = wb.sheet_names().first().cloned().ok_or_else(|| Problem::Xlsx(K::FileNoSheet.text().to_string()))?;
    let mut reader = wb.worksheet_cells_reader(&sheet).map_err(bad)?;
    // The declared extent is only read, never allocated: past the limits, the sheet is refused
    // before any cell is.
    let end = reader.dimensions().end;
    if end.0 as usize >= limits.rows || end.1 as usize >= limits.columns {
        return Err(Problem::DeclaredOutOfBounds { end, rows: limits.rows, columns: limits.columns });
    }
    let mut budget = Budget::new(limits);
    // By row: cells usually come in order, but nothing in the format makes a file keep it.
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    while let Some(cell) = reader.next_cell().map_err(bad)? {
        let (row, col) = cell.get_position();
        let text = cell_text(cell.get_value());
        // Empty cells carry only formatting: Excel writes them anywhere, and they are not data.
        if text.is_empty() {
            continue;
        }
        if row as usize >= limits.rows || col as usize >= limits.columns {
            return Err(Problem::OutOfBounds { row, col, rows: limits.rows, columns: limits.columns });
        }
        let line = row as usize + 1;
        let (row_cells, col) = (rows.entry(row).or_default(), col as usize);
        budget.text(&text, line, || Place::Cell { row, col: col as u32 })?;
        if row_cells.len() <= col {
            budget.cells(line, col + 1 - row_cells.len())?;
            row_cells.resize(col + 1, String::new());
        }
        row_cells[col] = text.into_owned();
    }
    Ok(rows.into_iter().map(|(row, cells)| (row as usize + 1, cells)).collect())
}

/// A cell as text, trimmed. Excel stores codes and counts typed as numbers as floats: 1001 comes
/// back as 1001.0 and is given back as "1001". Shared strings stay borrowed until they passed the
/// length check.
fn cell_text<'a>(value: &DataRef<'a>) -> Cow<'a, str> {
    match value {
        DataRef::Empty => Cow::Borrowed(""),
        DataRef::SharedString(s) => {
            let s: &'a str = s;
            Cow::Borrowed(s.trim())
        }
        DataRef::String(s) => Cow::Owned(s.trim().to_string()),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Cow::Owned(format!("{}", *f as i64)),
        other => Cow::Owned(Data::from(other.clone()).to_string().trim().to_string()),
    }
}

/// Unpacks every part of the archive into nothing, counting: a part larger than its limit (a zip
/// bomb) or an XML part with a longer run of text than any cell can hold is refused before
/// calamine reads the shared strings and styles whole.
fn check_parts(bytes: &[u8], limits: &Limits) -> Result<(), Problem> {
    let bad = |e: &dyn std::fmt::Display| Problem::Xlsx(e.to_string());
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| bad(&e))?;
        if part.is_dir() {
            continue;
        }
        let name = part.name().map_or_else(|_| format!("#{}", i + 1), |n| n.into_owned());
        // calamine finds parts whatever their case and slashes.
        let path = name.replace('\\', "/").to_ascii_lowercase();
        let limit = if is_worksheet(&path) { limits.sheet_part_bytes } else { limits.other_part_bytes };
        let too_big = || Problem::PartTooBig { part: name.clone(), limit };
        if part.size() > limit {
            return Err(too_big());
        }
        let xml = path.ends_with(".xml") || path.ends_with(".rels");
        let (mut records, most) = if path.rsplit('/').next() == Some("sharedstrings.xml") {
            (Some(StartTags::new(&[b"si"])), limits.shared_strings)
        } else if xml && !is_worksheet(&path) {
            (
                Some(StartTags::new(&[b"xf", b"font", b"fill", b"border", b"numFmt", b"sheet", b"definedName", b"Relationship"])),
                limits.records,
            )
        } else {
            (None, 0)
        };
        let (mut unpacked, mut run) = (0u64, 0usize);
        loop {
            let n = part.read(&mut buf).map_err(|e| bad(&e))?;
            if n == 0 {
                break;
            }
            unpacked += n as u64;
            if unpacked > limit {
                return Err(too_big());
            }
            if xml {
                run = markup_run(&buf[..n], run, limits.xml_run_bytes)
                    .ok_or_else(|| Problem::PartRunTooLong { part: name.clone(), limit: limits.xml_run_bytes as u64 })?;
            }
            if let Some(records) = &mut records {
                records.feed(&buf[..n]);
                if records.count > most {
                    return Err(Problem::TooManyRecords { part: name.clone(), limit: most });
                }
            }
        }
    }
    Ok(())
}

/// A worksheet is streamed and may be large; every other part (shared strings, styles, the
/// workbook, relationships) is read whole and gets the smaller limit.
fn is_worksheet(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path);
    path.contains("worksheets/") && file.starts_with("sheet") && file.ends_with(".xml")
}

/// The bytes since the last `<` or `>`, carried over `chunk`; None once they pass `limit`. An XML
/// parser holds such a run (a text node, a tag) in one buffer.
fn markup_run(chunk: &[u8], mut run: usize, limit: usize) -> Option<usize> {
    let mut start = 0;
    for pos in memchr::memchr2_iter(b'<', b'>', chunk) {
        if run + (pos - start) > limit {
            return None;
        }
        run = 0;
        start = pos + 1;
    }
    run += chunk.len() - start;
    (run <= limit).then_some(run)
}

/// Counts the start tags of some local names (`<si>`, `<x:si count="1">`, `<si/>`) in XML fed
/// in chunks of any size: the elements calamine keeps a record of when it opens a workbook.
struct StartTags {
    locals: &'static [&'static [u8]],
    /// The name of the tag being read, when a chunk ended inside it.
    name: Option<Vec<u8>>,
    count: usize,
}

impl StartTags {
    fn new(locals: &'static [&'static [u8]]) -> Self {
        StartTags { locals, name: None, count: 0 }
    }

    fn feed(&mut self, mut chunk: &[u8]) {
        loop {
            let mut name = match self.name.take() {
                Some(name) => name,
                None => match memchr::memchr(b'<', chunk) {
                    Some(p) => {
                        chunk = &chunk[p + 1..];
                        Vec::new()
                    }
                    None => return,
                },
            };
            // A closing tag's name starts with '/', which ends it at once: it is not counted.
            let end = chunk.iter().position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'));
            let part = &chunk[..end.unwrap_or(chunk.len())];
            // Names are short; a longer one is not the one counted, whatever follows.
            name.extend_from_slice(&part[..part.len().min(64usize.saturating_sub(name.len()))]);
            let Some(end) = end else {
                self.name = Some(name);
                return;
            };
            if name.rsplit(|b| *b == b':').next().is_some_and(|local| self.locals.contains(&local)) {
                self.count += 1;
            }
            chunk = &chunk[end..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_counted_across_chunks_and_reset_by_markup() {
        assert_eq!(markup_run(b"<a>xyz", 0, 10), Some(3));
        assert_eq!(markup_run(b"abcd", 3, 10), Some(7));
        assert_eq!(markup_run(b"abcd<e", 8, 10), None);
        assert_eq!(markup_run(b"ab<cd", 8, 10), Some(2));
        assert_eq!(markup_run(b"", 4, 10), Some(4));
    }

    #[test]
    fn shared_strings_are_counted_whatever_the_chunks() {
        let xml = br#"<sst count="3"><si><t>a</t></si><x:si><t>b</t></x:si><si/><sis>c</sis><s>d</s></sst>"#;
        for size in [1, 2, 3, 7, xml.len()] {
            let mut tags = StartTags::new(&[b"si"]);
            for chunk in xml.chunks(size) {
                tags.feed(chunk);
            }
            assert_eq!(tags.count, 3, "chunks of {size}");
        }
    }

    #[test]
    fn only_sheet_parts_of_a_worksheets_folder_count_as_worksheets() {
        assert!(is_worksheet("xl/worksheets/sheet1.xml"));
        assert!(!is_worksheet("xl/worksheets/sharedstrings.xml"));
        assert!(!is_worksheet("xl/sharedstrings.xml"));
        assert!(!is_worksheet("xl/worksheets/_rels/sheet1.xml.rels"));
    }

    #[test]
    fn numbers_typed_in_excel_come_back_as_people_typed_them() {
        assert_eq!(cell_text(&DataRef::Float(1001.0)), "1001");
        assert_eq!(cell_text(&DataRef::Float(12.5)), "12.5");
        assert_eq!(cell_text(&DataRef::Int(36)), "36");
        assert_eq!(cell_text(&DataRef::SharedString("  红旗村 ")), "红旗村");
        assert_eq!(cell_text(&DataRef::Empty), "");
    }
}
