//! Organisation roster files: `编码, 名称, 上级编码, 层级, 领域, 书记, 党员数` (or the English
//! headers), as CSV or XLSX (read into rows by `crate::tabular`). Validation collects every bad
//! row; a roster with any error yields no organisations at all, so an import is all or nothing.

use crate::domain::vocab::Vocab;
use crate::domain::{Field, Level, Org};
use crate::i18n::K;
use crate::tabular::{FileKind, Problem, ReadError, Rows};
use std::collections::HashMap;
use std::fmt;

/// The roster's columns, in their canonical order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Code,
    Name,
    Parent,
    Level,
    Field,
    Secretary,
    Members,
}

impl Column {
    pub const ALL: [Column; 7] =
        [Column::Code, Column::Name, Column::Parent, Column::Level, Column::Field, Column::Secretary, Column::Members];
    const REQUIRED: [Column; 4] = [Column::Code, Column::Name, Column::Parent, Column::Level];

    /// Accepted header words, the first being the canonical Chinese one.
    fn words(self) -> &'static [&'static str] {
        match self {
            Column::Code => &["编码", "code", "组织编码", "代码"],
            Column::Name => &["名称", "name", "组织名称", "党组织名称"],
            Column::Parent => &["上级编码", "parent", "上级组织编码", "上级代码", "parent code"],
            Column::Level => &["层级", "level", "组织层级"],
            Column::Field => &["领域", "field", "所属领域"],
            Column::Secretary => &["书记", "secretary", "书记姓名"],
            Column::Members => &["党员数", "members", "党员人数", "member count"],
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Column::Code => K::ColCode.text(),
            Column::Name => K::ColName.text(),
            Column::Parent => K::ColParent.text(),
            Column::Level => K::ColLevel.text(),
            Column::Field => K::ColField.text(),
            Column::Secretary => K::ColSecretary.text(),
            Column::Members => K::ColMembers.text(),
        }
    }

    fn from_header(h: &str) -> Option<Column> {
        let h = h.trim().trim_start_matches('\u{feff}');
        Column::ALL.into_iter().find(|c| c.words().iter().any(|w| w.eq_ignore_ascii_case(h)))
    }
}

/// One bad cell: the line a person sees, the 1-based column, which column it is, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub column: usize,
    pub field: Column,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&K::RosterRowError.fill(&[&self.line, &self.column, &self.field.label(), &self.reason]))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterError {
    /// The file could not be read as rows, is empty, or lacks required columns.
    File(ReadError),
    DuplicateColumn(String, usize, String),
    /// (file, every bad cell)
    Rows(String, Vec<RowError>),
}

impl fmt::Display for RosterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            RosterError::File(e) => e.to_string(),
            RosterError::DuplicateColumn(file, col, name) => K::RosterDuplicateColumn.fill(&[file, col, name]),
            RosterError::Rows(file, errors) => {
                let mut s = K::RosterRejected.fill(&[file, &errors.len()]);
                for e in errors {
                    s.push_str("\n  ");
                    s.push_str(&e.to_string());
                }
                s
            }
        };
        f.write_str(&s)
    }
}

impl From<ReadError> for RosterError {
    fn from(e: ReadError) -> Self {
        RosterError::File(e)
    }
}

impl std::error::Error for RosterError {}

/// A parsed roster: organisations in file order, and header names that were not recognised
/// (extra columns such as 备注 are ignored, and the import says so).
#[derive(Debug, Clone, PartialEq)]
pub struct Roster {
    pub orgs: Vec<Org>,
    pub ignored_columns: Vec<String>,
}

/// Where each known column sits in the file (0-based).
struct Layout(HashMap<usize, Column>, Vec<String>);

fn layout(file: &str, header: &[String]) -> Result<Layout, RosterError> {
    let mut map = HashMap::new();
    let mut ignored = Vec::new();
    let mut seen: HashMap<usize, usize> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        match Column::from_header(h) {
            Some(c) => {
                if seen.insert(c as usize, i).is_some() {
                    return Err(RosterError::DuplicateColumn(file.to_string(), i + 1, h.clone()));
                }
                map.insert(i, c);
            }
            None if h.trim().is_empty() => {}
            None => ignored.push(h.clone()),
        }
    }
    let missing: Vec<Column> = Column::REQUIRED.into_iter().filter(|c| !map.values().any(|v| v == c)).collect();
    if !missing.is_empty() {
        let missing: Vec<&str> = missing.iter().map(|c| c.label()).collect();
        let expected: Vec<&str> = Column::REQUIRED.iter().map(|c| c.label()).collect();
        return Err(FileKind::Roster.missing_columns(file, &missing, &expected).into());
    }
    Ok(Layout(map, ignored))
}

/// One row's cells by column, with where each came from.
struct Row {
    line: usize,
    cells: HashMap<Column, (usize, String)>,
}

impl Row {
    fn get(&self, c: Column) -> &str {
        self.cells.get(&c).map_or("", |(_, s)| s.as_str())
    }
    fn col(&self, c: Column, layout_cols: &HashMap<Column, usize>) -> usize {
        self.cells.get(&c).map(|(i, _)| *i).or_else(|| layout_cols.get(&c).copied()).map_or(1, |i| i + 1)
    }
}

/// Validates the rows of a roster file against the organisations already in the store (for
/// parents and inherited fields). Every bad cell is reported.
pub fn parse_roster(file: &str, rows: Rows, existing: &HashMap<String, Org>) -> Result<Roster, RosterError> {
    let mut rows = rows.into_iter();
    let empty = || RosterError::File(FileKind::Roster.error(file, Problem::Empty));
    let Some((_, header)) = rows.next() else { return Err(empty()) };
    let Layout(layout, ignored_columns) = layout(file, &header)?;
    let col_of: HashMap<Column, usize> = layout.iter().map(|(i, c)| (*c, *i)).collect();
    let rows: Vec<Row> = rows
        .map(|(line, cells)| Row {
            line,
            cells: cells.into_iter().enumerate().filter_map(|(i, s)| layout.get(&i).map(|c| (*c, (i, s)))).collect(),
        })
        .collect();
    if rows.is_empty() {
        return Err(empty());
    }

    let mut errors = Vec::new();
    let mut err = |row: &Row, c: Column, reason: String| {
        errors.push(RowError { line: row.line, column: row.col(c, &col_of), field: c, reason });
    };

    // Pass 1: each row on its own.
    let mut first_line: HashMap<String, usize> = HashMap::new();
    let mut parsed: Vec<(usize, Option<Org>)> = Vec::new();
    for (ri, row) in rows.iter().enumerate() {
        let code = row.get(Column::Code).to_string();
        let name = row.get(Column::Name).to_string();
        let mut ok = true;
        if code.is_empty() {
            err(row, Column::Code, K::RowMissing.text().into());
            ok = false;
        } else if let Some(first) = first_line.get(&code) {
            err(row, Column::Code, K::RowDuplicateCode.fill(&[&code, first]));
            ok = false;
        } else {
            first_line.insert(code.clone(), row.line);
        }
        if name.is_empty() {
            err(row, Column::Name, K::RowMissing.text().into());
            ok = false;
        }
        // Codes and names are shown everywhere and key the records: a control character in one
        // could drive a terminal or hide what the name says. Other text is stripped on output.
        for c in [Column::Code, Column::Name, Column::Parent] {
            if let Some((at, ch)) = crate::safe_text::first_control(row.get(c)) {
                err(row, c, K::RowControlChar.fill(&[&at, &format!("U+{:04X}", ch as u32)]));
                ok = false;
            }
        }
        let level_word = row.get(Column::Level);
        let level = if level_word.is_empty() {
            err(row, Column::Level, K::RowMissing.text().into());
            None
        } else {
            let l = Level::parse_word(level_word);
            if l.is_none() {
                err(row, Column::Level, K::RowBadLevel.fill(&[&level_word, &Level::expected()]));
            }
            l
        };
        let field_word = row.get(Column::Field);
        let field = if field_word.is_empty() {
            None
        } else {
            let f = Field::parse_word(field_word);
            if f.is_none() {
                err(row, Column::Field, K::RowBadField.fill(&[&field_word, &Field::expected()]));
                ok = false;
            }
            f
        };
        let members_word = row.get(Column::Members);
        let members = if members_word.is_empty() {
            None
        } else {
            let m = parse_count(members_word);
            if m.is_none() {
                err(row, Column::Members, K::RowBadMembers.fill(&[&members_word]));
                ok = false;
            }
            m
        };
        let parent = Some(row.get(Column::Parent).to_string()).filter(|p| !p.is_empty());
        if parent.as_deref() == Some(code.as_str()) && !code.is_empty() {
            err(row, Column::Parent, K::RowSelfParent.text().into());
            ok = false;
        }
        let org = match (ok, level) {
            (true, Some(level)) => {
                // Kept only when it says more than the level's own name (区 for 县, 街道 for 乡镇).
                let (zh, en, _) = level.words();
                let level_word = Some(level_word.to_string()).filter(|w| w != zh && !w.eq_ignore_ascii_case(en));
                Some(Org { code, name, parent, level, level_word, field, secretary: row.get(Column::Secretary).to_string(), members })
            }
            _ => None,
        };
        parsed.push((ri, org));
    }

    // Pass 2: the tree as it will be after the import — parents exist, no cycles, fields known.
    let mut after: HashMap<&str, &Org> = existing.iter().map(|(k, v)| (k.as_str(), v)).collect();
    for (_, o) in &parsed {
        if let Some(o) = o {
            after.insert(o.code.as_str(), o);
        }
    }
    let in_file: HashMap<&str, ()> = rows.iter().map(|r| (r.get(Column::Code), ())).collect();
    let mut orgs = Vec::new();
    for (ri, org) in &parsed {
        let row = &rows[*ri];
        let Some(org) = org else { continue };
        if let Some(p) = &org.parent
            && !after.contains_key(p.as_str())
        {
            // A parent whose own row is bad was reported there; don't report it twice.
            if !in_file.contains_key(p.as_str()) {
                err(row, Column::Parent, K::RowUnknownParent.fill(&[p]));
            }
            continue;
        }
        if let Some(cycle) = find_cycle(&org.code, &after) {
            err(row, Column::Parent, K::RowCycle.fill(&[&cycle.join(" → ")]));
            continue;
        }
        let mut org = org.clone();
        if org.field.is_none() && !org.level.is_area() {
            org.field = inherited_field(&org, &after);
            if org.field.is_none() {
                err(row, Column::Field, K::RowFieldNeeded.fill(&[&org.level]));
                continue;
            }
        }
        orgs.push(org);
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| (e.line, e.column));
        return Err(RosterError::Rows(file.to_string(), errors));
    }
    Ok(Roster { orgs, ignored_columns })
}

/// A whole, non-negative count; "12.0" (as spreadsheets write numbers) is accepted.
fn parse_count(s: &str) -> Option<u32> {
    let s = s.trim();
    s.parse::<u32>().ok().or_else(|| {
        let f: f64 = s.parse().ok()?;
        (f >= 0.0 && f.fract() == 0.0 && f <= u32::MAX as f64).then_some(f as u32)
    })
}

/// The chain from `code` back to itself, if following parents ever returns to it.
fn find_cycle(code: &str, tree: &HashMap<&str, &Org>) -> Option<Vec<String>> {
    let mut path = vec![code.to_string()];
    let mut cur = code;
    for _ in 0..=tree.len() {
        let parent = tree.get(cur)?.parent.as_deref()?;
        path.push(parent.to_string());
        if parent == code {
            return Some(path);
        }
        cur = parent;
    }
    None
}

fn inherited_field(org: &Org, tree: &HashMap<&str, &Org>) -> Option<Field> {
    let mut cur = org.parent.as_deref();
    for _ in 0..=tree.len() {
        let p = tree.get(cur?)?;
        if p.field.is_some() {
            return p.field;
        }
        cur = p.parent.as_deref();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(csv: &str) -> Rows {
        crate::tabular::read_rows(FileKind::Roster, "t.csv", csv.as_bytes(), &Default::default()).unwrap()
    }

    #[test]
    fn counts_accept_spreadsheet_numbers_only_when_whole() {
        assert_eq!(parse_count("12"), Some(12));
        assert_eq!(parse_count("12.0"), Some(12));
        assert_eq!(parse_count("12.5"), None);
        assert_eq!(parse_count("-1"), None);
        assert_eq!(parse_count("十二"), None);
    }

    #[test]
    fn english_headers_extra_columns_and_inherited_fields() {
        let r = parse_roster(
            "t.csv",
            rows("code,name,parent,level,field,secretary,members,备注\nC,清河市,,市,,,,\nV,东村,C,村,农村,,,\nB,东村党支部,V,党支部,,王芳,23,新建\n"),
            &HashMap::new(),
        )
        .unwrap();
        assert_eq!(r.ignored_columns, vec!["备注".to_string()]);
        let b = r.orgs.iter().find(|o| o.code == "B").unwrap();
        assert_eq!(b.field, Some(Field::Rural), "a branch inherits its village's field");
        assert_eq!(b.members, Some(23));
        assert_eq!(b.secretary, "王芳");
    }

    #[test]
    fn a_parent_already_in_the_store_is_found() {
        let city = Org {
            level_word: None,
            code: "C".into(),
            name: "清河市".into(),
            parent: None,
            level: Level::City,
            field: None,
            secretary: String::new(),
            members: None,
        };
        let existing = HashMap::from([("C".to_string(), city)]);
        let r = parse_roster("t.csv", rows("编码,名称,上级编码,层级\nX,某县,C,县\n"), &existing).unwrap();
        assert_eq!(r.orgs.len(), 1);
    }

    #[test]
    fn every_bad_row_is_reported_with_line_and_column() {
        let csv = "编码,名称,上级编码,层级,领域,书记,党员数\n\
                   A,甲,,市,,,\n\
                   ,乙,A,县,,,\n\
                   A,丙,,市,,,\n\
                   B,丁,NOPE,党支部,机关,,\n\
                   C,戊,A,党支部,军队,,\n\
                   D,己,A,党支部,机关,,3.5\n\
                   E,庚,F,党支部,机关,,\n\
                   F,辛,E,党支部,机关,,\n\
                   G,壬,A,省,,,\n\
                   H,癸,A,党支部,,,\n";
        let err = parse_roster("t.csv", rows(csv), &HashMap::new()).unwrap_err();
        let RosterError::Rows(_, errors) = &err else { panic!("{err}") };
        let got: Vec<(usize, usize)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(got, vec![(3, 1), (4, 1), (5, 3), (6, 5), (7, 7), (8, 3), (9, 3), (10, 4), (11, 5)]);
        let text = err.to_string();
        assert!(text.contains("NOPE") && text.contains("军队") && text.contains("3.5") && text.contains("省"), "{text}");
        assert!(text.contains("E → F → E") || text.contains("F → E → F"), "{text}");
    }

    #[test]
    fn control_characters_in_codes_and_names_are_refused_where_they_are() {
        let csv = "编码,名称,上级编码,层级,领域,书记\nA,甲,,市,,\"\x1b]0;x\x07王\"\nB\x07,乙,A,县,,\nC,红旗村\u{202E}部支党,A,县,,\n";
        let err = parse_roster("t.csv", rows(csv), &HashMap::new()).unwrap_err();
        let RosterError::Rows(_, errors) = &err else { panic!("{err}") };
        let got: Vec<(usize, usize)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(got, vec![(3, 1), (4, 2)], "{err}");
        let text = err.to_string();
        assert!(text.contains("U+0007") && text.contains("U+202E") && text.contains("第 4 个字符"), "{text}");
    }

    #[test]
    fn missing_and_duplicate_columns_are_refused() {
        let e = parse_roster("t.csv", rows("编码,名称\nA,甲\n"), &HashMap::new()).unwrap_err();
        let RosterError::File(ReadError { kind: FileKind::Roster, problem: Problem::MissingColumns { missing, .. }, .. }) = &e else {
            panic!("{e}")
        };
        assert_eq!(missing, &format!("{}, {}", Column::Parent.label(), Column::Level.label()));
        let e = parse_roster("t.csv", rows("编码,名称,上级编码,层级,code\nA,甲,,市,A\n"), &HashMap::new()).unwrap_err();
        assert!(matches!(e, RosterError::DuplicateColumn(_, 5, _)));
    }
}
