//! Plain-text tables laid out in display columns, so Chinese text (two columns a character)
//! lines up with ASCII.

use unicode_width::UnicodeWidthStr;

pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    // `emit` strips control characters anyway; stripping first keeps the columns aligned.
    let rows: Vec<Vec<String>> =
        rows.iter().map(|r| r.iter().map(|c| crate::safe_text::strip_controls(c).into_owned()).collect()).collect();
    let cols = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate().take(cols) {
            widths[i] = widths[i].max(c.width());
        }
    }
    let mut out = String::new();
    let line = |cells: &mut dyn Iterator<Item = &str>, out: &mut String| {
        let mut s = String::new();
        for (i, c) in cells.enumerate() {
            s.push_str(c);
            if i + 1 < cols {
                s.push_str(&" ".repeat(widths[i].saturating_sub(c.width()) + 2));
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(&mut header.iter().copied(), &mut out);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(&mut rule.iter().map(String::as_str), &mut out);
    for r in &rows {
        line(&mut r.iter().map(String::as_str), &mut out);
    }
    out
}

/// The same rows as CSV for a spreadsheet: a header line, then one line per row. Piped into a
/// file, this opens in Excel or WPS, so no cell may run as a formula (a leading apostrophe before
/// `=`, `+`, `-`, `@`, a tab or a carriage return, as every CSV xuncha writes).
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> Result<String, super::Failure> {
    let io = |e: &dyn std::fmt::Display| super::Failure { message: e.to_string(), code: 1 };
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(header.iter().map(|h| crate::safe_text::guard_formula(h).into_owned())).map_err(|e| io(&e))?;
    for r in rows {
        w.write_record(r.iter().map(|c| crate::safe_text::guard_formula(c).into_owned())).map_err(|e| io(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| io(&e))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_cells_align_by_display_width() {
        let t = render(&["编码", "名称"], &[vec!["A1".into(), "城关镇".into()], vec!["B22".into(), "x".into()]]);
        let lines: Vec<&str> = t.lines().collect();
        // "编码" is 4 columns wide, like "B22 " plus padding: names start at one display column.
        let col = |l: &str, needle: &str| l[..l.find(needle).unwrap()].width();
        assert_eq!(col(lines[0], "名称"), col(lines[2], "城关镇"));
        assert_eq!(col(lines[2], "城关镇"), col(lines[3], "x"));
        assert_eq!(lines[1], "----  ------");
    }

    #[test]
    fn csv_cells_never_run_as_formulas() {
        let text = csv(&["编码", "名称"], &[vec!["=1+1".into(), "红旗村, \"一\"".into()], vec!["-".into(), "".into()]]).ok().unwrap();
        assert_eq!(text, "编码,名称\n'=1+1,\"红旗村, \"\"一\"\"\"\n'-,\n");
    }
}
