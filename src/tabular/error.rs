//! What went wrong reading a tabular file, always with the kind of file and its name.

use super::{FileKind, megabytes};
use crate::i18n::K;
use std::fmt;

/// Where in a file: an XLSX cell as Excel names it, or a CSV line and column (both from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// 0-based row and column, shown as "XFD1048576".
    Cell {
        row: u32,
        col: u32,
    },
    Line {
        line: usize,
        column: usize,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Cell { row, col } => f.write_str(&K::PlaceCell.fill(&[&cell_name(*row, *col)])),
            Place::Line { line, column } => f.write_str(&K::PlaceLine.fill(&[line, column])),
        }
    }
}

/// Excel's name of a 0-based cell: (0, 0) is A1, (1048575, 16383) is XFD1048576.
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col as u64 + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row as u64 + 1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The operating system's error, already a sentence (see `oserror::describe`).
    Os(String),
    TooBig {
        bytes: u64,
        limit: u64,
    },
    Empty,
    Binary,
    /// The encoding the text seems to be in, refused: its name in words and the label to pass.
    Encoding {
        words: String,
        label: String,
    },
    /// Not valid text in `encoding`, first at `line`.
    Undecodable {
        encoding: String,
        line: usize,
    },
    Xlsx(String),
    /// An archive part that unpacks to more than the limit.
    PartTooBig {
        part: String,
        limit: u64,
    },
    PartRunTooLong {
        part: String,
        limit: u64,
    },
    /// A worksheet's cell reference (`<c r>`, `<row r>`, `<dimension ref>`, `<f ref>`) outside
    /// Excel's sheet or a range that ends before it starts; the reference as written, shortened.
    BadReference {
        part: String,
        reference: String,
    },
    /// A part read whole with more records (shared strings, formats, sheets, relationships) than
    /// the limit.
    TooManyRecords {
        part: String,
        limit: usize,
    },
    Csv {
        line: usize,
        detail: String,
    },
    /// A worksheet whose declared `<dimension>` reaches past the rows or columns read: its end
    /// cell. Whether the cells are really there or the tag lies, such a sheet is not read.
    DeclaredOutOfBounds {
        end: (u32, u32),
        rows: usize,
        columns: usize,
    },
    /// A filled XLSX cell beyond the rows or columns read.
    OutOfBounds {
        row: u32,
        col: u32,
        rows: usize,
        columns: usize,
    },
    TooManyRows {
        line: usize,
        limit: usize,
    },
    TooManyColumns {
        line: usize,
        columns: usize,
        limit: usize,
    },
    TooManyCells {
        line: usize,
        limit: usize,
    },
    CellTooLong {
        place: Place,
        chars: usize,
        limit: usize,
    },
    TooMuchText {
        line: usize,
        limit: u64,
    },
    MissingColumns {
        missing: String,
        expected: String,
    },
}

/// A file that could not be read as rows, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub kind: FileKind,
    pub file: String,
    pub problem: Problem,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, file) = (&self.kind.label(), &self.file);
        let s = match &self.problem {
            Problem::Os(e) => K::FileRead.fill(&[kind, file, e]),
            Problem::TooBig { bytes, limit } => K::FileTooBig.fill(&[kind, file, &megabytes(*bytes), &megabytes(*limit)]),
            Problem::Empty => K::FileEmpty.fill(&[kind, file]),
            Problem::Binary => K::FileBinary.fill(&[kind, file]),
            Problem::Encoding { words, label } => K::FileEncodingGuess.fill(&[kind, file, words, label]),
            Problem::Undecodable { encoding, line } => K::FileUndecodable.fill(&[kind, file, line, encoding]),
            Problem::Xlsx(e) => K::FileXlsx.fill(&[kind, file, e]),
            Problem::PartTooBig { part, limit } => K::FilePartTooBig.fill(&[kind, file, part, &megabytes(*limit)]),
            Problem::PartRunTooLong { part, limit } => K::FilePartRunTooLong.fill(&[kind, file, part, &megabytes(*limit)]),
            Problem::BadReference { part, reference } => K::FileBadReference.fill(&[kind, file, part, reference]),
            Problem::TooManyRecords { part, limit } => K::FileTooManyRecords.fill(&[kind, file, part, limit]),
            Problem::Csv { line, detail } => K::FileCsv.fill(&[kind, file, line, detail]),
            Problem::DeclaredOutOfBounds { end, rows, columns } => {
                let last = cell_name(*rows as u32 - 1, *columns as u32 - 1);
                K::FileDeclaredOutOfBounds.fill(&[kind, file, &cell_name(end.0, end.1), rows, columns, &last])
            }
            Problem::OutOfBounds { row, col, rows, columns } => {
                let last = cell_name(*rows as u32 - 1, *columns as u32 - 1);
                K::FileCellOutOfBounds.fill(&[kind, file, &cell_name(*row, *col), rows, columns, &last])
            }
            Problem::TooManyRows { line, limit } => K::FileTooManyRows.fill(&[kind, file, limit, line]),
            Problem::TooManyColumns { line, columns, limit } => K::FileTooManyColumns.fill(&[kind, file, line, columns, limit]),
            Problem::TooManyCells { line, limit } => K::FileTooManyCells.fill(&[kind, file, limit, line]),
            Problem::CellTooLong { place, chars, limit } => K::FileCellTooLong.fill(&[kind, file, place, chars, limit]),
            Problem::TooMuchText { line, limit } => K::FileTooMuchText.fill(&[kind, file, &megabytes(*limit), line]),
            Problem::MissingColumns { missing, expected } => K::FileMissingColumns.fill(&[kind, file, missing, expected]),
        };
        f.write_str(&s)
    }
}

impl std::error::Error for ReadError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(4, 25), "Z5");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(0, 255), "IV1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
        assert!(cell_name(u32::MAX, u32::MAX).ends_with("4294967296"), "the largest position a file can state does not overflow");
    }

    #[test]
    fn every_message_names_the_kind_and_the_file() {
        let e = FileKind::Sheet
            .error("x.csv", Problem::CellTooLong { place: Place::Line { line: 3, column: 5 }, chars: 40_000, limit: 32_767 });
        let text = e.to_string();
        assert!(text.starts_with(&format!("{} x.csv", K::KindSheet.text())), "{text}");
        assert!(text.contains(&K::PlaceLine.fill(&[&3, &5])) && text.contains("40000"), "{text}");
    }
}
