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
    check_references(bytes)?;
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

/// Excel's last row and column (1-based): XFD1048576.
const EXCEL_ROWS: u64 = 1_048_576;
const EXCEL_COLUMNS: u64 = 16_384;

/// Reads every worksheet's cell references as calamine's cell reader will, and refuses a file
/// with one outside Excel's sheet or a range that ends before it starts. calamine 0.38 computes
/// a reference in u32 without checking (`AAAAAAA1`, seven letters, or a row of ten digits
/// overflows) and subtracts a `<dimension>`'s start from its end: in a debug build a panic, in
/// a release build a cell silently put elsewhere. Found by fuzzing (docs/fuzzing.md). The parts
/// have passed [`check_parts`], so no tag the XML reader holds is longer than the run limit.
fn check_references(bytes: &[u8]) -> Result<(), Problem> {
    use quick_xml::events::Event;
    let bad = |e: &dyn std::fmt::Display| Problem::Xlsx(e.to_string());
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|e| bad(&e))?;
        let name = part.name().map_or_else(|_| format!("#{}", i + 1), |n| n.into_owned());
        if part.is_dir() || !is_worksheet(&name.replace('\\', "/").to_ascii_lowercase()) {
            continue;
        }
        // Configured as calamine configures its reader, so both see the same elements.
        let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
        let config = xml.config_mut();
        config.check_end_names = false;
        config.trim_text(false);
        config.check_comments = false;
        config.expand_empty_elements = true;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            let e = match xml.read_event_into(&mut buf).map_err(|e| bad(&e))? {
                Event::Start(e) => e,
                Event::Eof => break,
                _ => continue,
            };
            let (key, is_range) = match e.local_name().as_ref() {
                "c" | "row" => ("r", false),
                "dimension" | "f" => ("ref", true),
                _ => continue,
            };
            for (k, v) in raw_attributes(e.attributes_raw()) {
                let ok = if is_range { range_ok(v) } else { cell_ref(v).is_some() };
                if k == key && !ok {
                    let end = v.char_indices().nth(32).map_or(v.len(), |(i, _)| i);
                    return Err(Problem::BadReference { part: name, reference: v[..end].to_string() });
                }
            }
        }
    }
    Ok(())
}

/// The attributes of a start tag as calamine's `RawAttrIter` reads them: a key runs to `=`
/// (trimmed), the value to the matching quote, neither unescaped. Malformed input ends the list
/// (calamine refuses it too).
fn raw_attributes(raw: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = raw;
    while let Some((key, after)) = rest.trim_start().split_once('=') {
        let after = after.trim_start();
        let Some(quote) = after.chars().next().filter(|q| matches!(q, '"' | '\'')) else { break };
        let value = &after[1..];
        let (value, next) = value.split_once(quote).unwrap_or((value, ""));
        out.push((key.trim_end(), value));
        rest = next;
    }
    out
}

/// A cell reference as calamine reads one (letters, then digits; letters may be missing, as in
/// `<row r="3">`), within Excel's sheet: its 1-based row and column (0: none).
fn cell_ref(s: &str) -> Option<(u64, u64)> {
    let digits = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, number) = s.split_at(digits);
    let col = letters.bytes().try_fold(0u64, |n, b| {
        let b = b.to_ascii_uppercase();
        b.is_ascii_uppercase().then(|| (n * 26 + u64::from(b - b'A') + 1).min(EXCEL_COLUMNS + 1))
    })?;
    let row = number.bytes().try_fold(0u64, |n, b| b.is_ascii_digit().then(|| (n * 10 + u64::from(b - b'0')).min(EXCEL_ROWS + 1)))?;
    (col <= EXCEL_COLUMNS && (1..=EXCEL_ROWS).contains(&row)).then_some((row, col))
}

/// A range (`A1:G12`) or a single cell, each end a cell with its column, the end not before the
/// start.
fn range_ok(s: &str) -> bool {
    let mut ends = s.split(':').map(cell_ref);
    match (ends.next(), ends.next(), ends.next()) {
        (Some(Some(a)), None, None) => a.1 > 0,
        (Some(Some(a)), Some(Some(b)), None) => a.1 > 0 && b.1 > 0 && b.0 >= a.0 && b.1 >= a.1,
        _ => false,
    }
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
    fn cell_references_are_checked_against_excels_sheet() {
        assert_eq!(cell_ref("A1"), Some((1, 1)));
        assert_eq!(cell_ref("xfd1048576"), Some((1_048_576, 16_384)));
        assert_eq!(cell_ref("17"), Some((17, 0)), "a row's own number");
        assert_eq!(cell_ref("A0000001"), Some((1, 1)), "leading zeros are read as calamine reads them");
        for bad in ["XFE1", "A1048577", "A0", "AAAAAAA1", "A99999999999", "", "A", "A1B", "1A", "Ａ1", "A-1"] {
            assert_eq!(cell_ref(bad), None, "{bad}");
        }
        assert!(range_ok("A1:G12") && range_ok("B2") && range_ok("A1:XFD1048576") && range_ok("C3:C3"));
        for bad in ["B2:A1", "A2:B1", "B1:A2", "A1:B2:C3", "1:2", "A1:", ":A1", "Xinlitr", "A1:XFE1"] {
            assert!(!range_ok(bad), "{bad}");
        }
    }

    #[test]
    fn attributes_are_split_as_calamine_splits_them() {
        assert_eq!(raw_attributes(r#" r="A1" s = '2'  t="s""#), vec![("r", "A1"), ("s", "2"), ("t", "s")]);
        assert_eq!(raw_attributes(r#"r="A1" x"#), vec![("r", "A1")]);
        assert_eq!(raw_attributes(r#"r=A1"#), Vec::<(&str, &str)>::new());
        assert_eq!(raw_attributes(r#"r="A1"#), vec![("r", "A1")]);
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
