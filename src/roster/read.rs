//! Turns a roster file into rows of text cells with their line numbers, whatever it was saved as:
//! CSV in UTF-8 (with or without BOM) or GB18030 (Excel and WPS on Chinese Windows), or XLSX.

use super::RosterError;
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// A row of cells and the line (CSV) or row (XLSX) number a person sees for it, from 1.
pub type Rows = Vec<(usize, Vec<String>)>;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

pub fn read_rows(file: &str, bytes: &[u8]) -> Result<Rows, RosterError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) || bytes == UTF8_BOM {
        return Err(RosterError::Empty(file.to_string()));
    }
    if bytes.starts_with(ZIP_MAGIC) {
        return read_xlsx(file, bytes);
    }
    // Text never holds NUL bytes; an old .xls, a PDF or an image does.
    if bytes.contains(&0) {
        return Err(RosterError::Binary(file.to_string()));
    }
    let text = decode_text(bytes).ok_or_else(|| RosterError::Encoding(file.to_string()))?;
    read_csv(&text)
}

/// UTF-8 (BOM stripped) when the bytes are valid UTF-8, else GB18030, which is a superset of GBK
/// and GB2312; None when neither decodes without loss.
pub fn decode_text(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(s.to_string());
    }
    encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes).map(|s| s.into_owned())
}

fn read_csv(text: &str) -> Result<Rows, RosterError> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = rdr.position().line() as usize;
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                // Where the record starts: the reader's position is before the blank lines it
                // skipped, so step over them.
                let line = record.position().map_or(line, |p| {
                    let skipped = text.as_bytes()[p.byte() as usize..].iter().take_while(|b| **b == b'\n' || **b == b'\r');
                    p.line() as usize + skipped.filter(|b| **b == b'\n').count()
                });
                let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
                if cells.iter().any(|c| !c.is_empty()) {
                    rows.push((line, cells));
                }
            }
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line() as usize);
                return Err(RosterError::Csv(line, e.to_string()));
            }
        }
    }
    Ok(rows)
}

fn read_xlsx(file: &str, bytes: &[u8]) -> Result<Rows, RosterError> {
    let bad = |e: &dyn std::fmt::Display| RosterError::Xlsx(file.to_string(), e.to_string());
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let sheet = wb.sheet_names().first().cloned().ok_or_else(|| bad(&"no worksheet"))?;
    let range = wb.worksheet_range(&sheet).map_err(|e| bad(&e))?;
    // Row numbers as Excel shows them, even when the data does not start at A1.
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells: Vec<String> = vec![String::new(); first_col];
        cells.extend(row.iter().map(cell_text));
        if cells.iter().any(|c| !c.is_empty()) {
            rows.push((first_row + i + 1, cells));
        }
    }
    if rows.is_empty() {
        return Err(RosterError::Empty(file.to_string()));
    }
    Ok(rows)
}

/// Excel stores codes and counts typed as numbers as floats: 1001 comes back as 1001.0.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Empty => String::new(),
        other => other.to_string().trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom_and_gb18030_decode_alike() {
        let text = "编码,名称\nA1,城关镇党委\n";
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        let mut bom = UTF8_BOM.to_vec();
        bom.extend_from_slice(text.as_bytes());
        for bytes in [text.as_bytes().to_vec(), bom, gb.into_owned()] {
            assert_eq!(decode_text(&bytes).as_deref(), Some(text));
        }
    }

    #[test]
    fn csv_rows_keep_their_line_numbers_and_skip_blank_lines() {
        let rows = read_csv("a,b\n\n\"x\ny\",z\nc,d\n").unwrap();
        assert_eq!(rows.iter().map(|(l, _)| *l).collect::<Vec<_>>(), vec![1, 3, 5]);
        assert_eq!(rows[1].1, vec!["x\ny".to_string(), "z".to_string()]);
    }

    #[test]
    fn empty_binary_and_undecodable_files_are_named() {
        assert!(matches!(read_rows("a.csv", b""), Err(RosterError::Empty(_))));
        assert!(matches!(read_rows("a.csv", b" \n\r\n"), Err(RosterError::Empty(_))));
        assert!(matches!(read_rows("a.xls", b"\xD0\xCF\x11\xE0\0\0"), Err(RosterError::Binary(_))));
        assert!(matches!(read_rows("a.csv", b"\xFF\xFE\xFF,\x81"), Err(RosterError::Encoding(_))));
        assert!(matches!(read_rows("a.xlsx", b"PK\x03\x04garbage"), Err(RosterError::Xlsx(..))));
    }
}
