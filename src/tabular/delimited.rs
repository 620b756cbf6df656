//! Decoded CSV text (or Excel's tab-separated "Unicode text") into rows, within the limits.

use super::{Budget, Limits, Place, Problem, Rows};

pub fn read(text: &str, limits: &Limits) -> Result<Rows, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter(text)).from_reader(text.as_bytes());
    let mut budget = Budget::new(limits);
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = Lines::new(text.as_bytes());
    loop {
        let line = lines.at(rdr.position().byte() as usize);
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                // Where the record starts: the reader's position is before the blank lines it
                // skipped, so step over them.
                let line = record.position().map_or(line, |p| {
                    let start = p.byte() as usize;
                    lines.at(start + text.as_bytes()[start..].iter().take_while(|b| **b == b'\n' || **b == b'\r').count())
                });
                // Trailing empty cells do not count: spreadsheets pad every row to the widest.
                let width = (0..record.len()).rev().find(|i| !record[*i].trim().is_empty()).map_or(0, |i| i + 1);
                if width == 0 {
                    continue;
                }
                if width > limits.columns {
                    return Err(Problem::TooManyColumns { line, columns: width, limit: limits.columns });
                }
                if rows.len() >= limits.rows {
                    return Err(Problem::TooManyRows { line, limit: limits.rows });
                }
                let mut cells = Vec::with_capacity(width);
                for (i, cell) in record.iter().take(width).enumerate() {
                    // Our own CSV exports guard cells that start like a formula with an
                    // apostrophe: a file sent back unchanged reads as it was written.
                    let cell = crate::safe_text::unguard_formula(cell.trim()).trim();
                    budget.text(cell, line, || Place::Line { line, column: i + 1 })?;
                    budget.cells(line, 1)?;
                    cells.push(cell.to_string());
                }
                rows.push((line, cells));
            }
            Err(e) => {
                let line = e.position().map_or(line, |p| lines.at(p.byte() as usize));
                return Err(Problem::Csv { line, detail: e.to_string() });
            }
        }
    }
    Ok(rows)
}

/// Line numbers as an editor shows them. The csv reader counts only `\n`, but it also ends a
/// record at a lone `\r`: files saved as "CSV (Macintosh)" by Excel for Mac end their lines so,
/// and every error in them would otherwise be reported on line 1.
struct Lines<'a> {
    text: &'a [u8],
    byte: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a [u8]) -> Self {
        Lines { text, byte: 0, line: 1 }
    }

    /// The line of the byte at `byte`: one more than the line breaks (`\n`, `\r\n` or a lone
    /// `\r`) before it. Positions come in file order, so each call counts on from the last.
    fn at(&mut self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        if byte < self.byte {
            (self.byte, self.line) = (0, 1);
        }
        for i in self.byte..byte {
            match self.text[i] {
                b'\n' => self.line += 1,
                b'\r' if self.text.get(i + 1) != Some(&b'\n') => self.line += 1,
                _ => {}
            }
        }
        self.byte = byte;
        self.line
    }
}

/// Excel's "Unicode text" separates cells with tabs, CSV with commas: the first filled line says
/// which.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first.matches('\t').count() > first.matches(',').count() { b'\t' } else { b',' }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(rows: &Rows) -> Vec<usize> {
        rows.iter().map(|(l, _)| *l).collect()
    }

    #[test]
    fn rows_keep_their_line_numbers_and_blank_lines_are_skipped() {
        let rows = read("a,b\n\n\"x\ny\",z\nc,d\n,,\n", &Limits::DEFAULT).unwrap();
        assert_eq!(lines(&rows), vec![1, 3, 5]);
        assert_eq!(rows[1].1, vec!["x\ny".to_string(), "z".to_string()]);
    }

    #[test]
    fn lines_ended_by_a_lone_carriage_return_are_numbered_as_an_editor_shows_them() {
        // Excel for Mac's "CSV (Macintosh)", and a file whose line endings were mixed up.
        let rows = read("a,b\rc,d\r\re,\"x\ry\"\rf,g\r\nh,i\n", &Limits::DEFAULT).unwrap();
        assert_eq!(lines(&rows), vec![1, 2, 4, 6, 7]);
        assert_eq!(rows[2].1, vec!["e".to_string(), "x\ry".to_string()]);
        let small = Limits { cell_chars: 2, ..Limits::DEFAULT };
        assert_eq!(
            read("a,b\rc,d\re,fff\r", &small),
            Err(Problem::CellTooLong { place: Place::Line { line: 3, column: 2 }, chars: 3, limit: 2 })
        );
    }

    #[test]
    fn tab_separated_text_is_read_as_excel_writes_it() {
        let rows = read("编码\t名称\t上级编码\n1\t\"城关镇, 党委\"\t\n", &Limits::DEFAULT).unwrap();
        assert_eq!(rows[0].1, vec!["编码", "名称", "上级编码"]);
        assert_eq!(rows[1].1, vec!["1", "城关镇, 党委"], "trailing empty cells are dropped");
    }

    #[test]
    fn each_limit_names_where_it_was_passed() {
        let small = Limits { rows: 2, columns: 3, cells: 5, cell_chars: 4, text_bytes: 12, ..Limits::DEFAULT };
        assert_eq!(read("a,b\nc,d\ne,f\n", &small), Err(Problem::TooManyRows { line: 3, limit: 2 }));
        assert_eq!(read("a,b\nc,d,e,f,,,\n", &small), Err(Problem::TooManyColumns { line: 2, columns: 4, limit: 3 }));
        assert_eq!(read("a,b,c\n\nd,e,f\n", &small), Err(Problem::TooManyCells { line: 3, limit: 5 }));
        assert_eq!(
            read("a,b\nc,abcde\n", &small),
            Err(Problem::CellTooLong { place: Place::Line { line: 2, column: 2 }, chars: 5, limit: 4 })
        );
        assert_eq!(read("党支部,党支部\n", &small), Err(Problem::TooMuchText { line: 1, limit: 12 }));
        assert!(read("四个汉字,b\n", &Limits { text_bytes: 100, ..small }).is_ok(), "cell length counts characters, not bytes");
    }
}
