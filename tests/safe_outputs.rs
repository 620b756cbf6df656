//! Outputs are safe to open, and the data stays private, through the binary: CSV cells never
//! start like a formula (and the list sent back unchanged changes nothing), XLSX text cells are
//! strings and never formulas, Markdown and HTML carry no markup from names and texts, the command
//! line prints no control characters, and on Unix the data folder is the user's alone while
//! exports follow the user's umask.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{Folder, dump, json};

/// The cells that make a spreadsheet run a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

const HOSTILE_DESCRIPTIONS: [(&str, &str); 5] =
    [("C1.1", "=cmd|' /C calc'!A0"), ("C1.2", "+1"), ("C1.3", "-1"), ("C1.4", "@SUM(A1)"), ("C1.5", "=HYPERLINK(\"http://x\",\"y\")")];

/// Demo data, one round, one branch failing five items with formula-like descriptions, approved.
fn formula_scenario() -> (Folder, String) {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "300", "--seed", "3"]);
    let round = common::new_round(&f, "2026Q4", "2026Q4督查");
    let shown = json(&f.run_ok(&["round", "show", &round, "--format", "json"]));
    let org =
        shown["organisations"].as_array().unwrap().iter().find(|o| o["field"] == "农村").unwrap()["code"].as_str().unwrap().to_string();
    common::fill_sheet(&f, &round, &org, &HOSTILE_DESCRIPTIONS, "王书记", true);
    common::approve_all(&f);
    (f, org)
}

fn csv_cells(bytes: &[u8]) -> Vec<Vec<String>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes);
    rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

fn assert_no_formula_cell(what: &str, rows: &[Vec<String>]) {
    for (i, r) in rows.iter().enumerate() {
        for (j, c) in r.iter().enumerate() {
            assert!(!c.starts_with(FORMULA_STARTS), "{what}: row {i} column {j} starts like a formula: {c:?}");
        }
    }
}

#[test]
fn csv_cells_are_guarded_and_the_list_sent_back_changes_nothing() {
    let (f, _) = formula_scenario();
    // Data written by an older version or restored from a backup may even start with a tab.
    let replaced = {
        use xuncha::store::{Commit, Store, Write};
        let store = Store::open(&f.data()).unwrap();
        let mut finding = store.findings().unwrap().into_iter().find(|x| x.number.as_deref() == Some("2026Q4-0002")).unwrap();
        let old = std::mem::replace(&mut finding.description, "\t+1".into());
        store.commit("测试", Commit::new("finding.edit", serde_json::json!({}), vec![Write::put(&finding)])).unwrap();
        old
    };
    // Follow-up texts that start like formulas, sent in by a follow-up file.
    let follow = f.path("follow.csv");
    let mut w = csv::Writer::from_path(&follow).unwrap();
    w.write_record(["问题编号", "整改状态", "整改进展", "整改措施", "备注"]).unwrap();
    w.write_record(["2026Q4-0001", "整改中", "=已完成50%", "-召开专题会研究补选", "@备注"]).unwrap();
    w.flush().unwrap();
    assert!(f.run_ok(&["rectify", "import", follow.to_str().unwrap()]).contains("已更新 1 个问题"));

    let out = f.path("list.csv");
    f.run_ok(&["export", "rectification", "--format", "csv", "-o", out.to_str().unwrap()]);
    let rows = csv_cells(&std::fs::read(&out).unwrap());
    assert_no_formula_cell("rectification csv", &rows);
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let descriptions: Vec<&str> = rows[1..].iter().map(|r| r[col("问题描述")].as_str()).collect();
    for (_, d) in HOSTILE_DESCRIPTIONS.iter().filter(|(_, d)| *d != replaced) {
        assert!(descriptions.contains(&format!("'{d}").as_str()), "{d:?} guarded: {descriptions:?}");
    }
    assert!(descriptions.contains(&"'\t+1"), "{descriptions:?}");
    let first = rows.iter().find(|r| r[col("问题编号")] == "2026Q4-0001").unwrap();
    assert_eq!(
        (first[col("整改进展")].as_str(), first[col("整改措施")].as_str(), first[col("备注")].as_str()),
        ("'=已完成50%", "'-召开专题会研究补选", "'@备注")
    );

    // The exported list imported unchanged changes nothing: the apostrophes are read off.
    let before = dump(&f);
    assert!(f.run_ok(&["rectify", "import", out.to_str().unwrap()]).contains("已更新 0 个问题"));
    assert_eq!(dump(&f), before);

    // `finding list --format csv` on stdout, and the blank paper sheet, are guarded the same way.
    let listed = csv_cells(f.run_ok(&["finding", "list", "--format", "csv"]).as_bytes());
    assert_eq!(listed.len(), 6, "header and five findings");
    assert_no_formula_cell("finding list csv", &listed);
    assert!(listed.iter().any(|r| r.last().unwrap() == "'=cmd|' /C calc'!A0"), "{listed:?}");
    let orgs = csv_cells(f.run_ok(&["org", "list", "--under", "0101001", "--format", "csv"]).as_bytes());
    assert_no_formula_cell("org list csv", &orgs);
}

#[test]
fn xlsx_text_cells_are_strings_never_formulas() {
    let (f, _) = formula_scenario();
    let out = f.path("list.xlsx");
    f.run_ok(&["export", "rectification", "--format", "xlsx", "-o", out.to_str().unwrap()]);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = wb.worksheet_range("整改清单").unwrap();
    assert_eq!(sheet.height(), 7, "the title, the header, five rows");
    let col = (0..sheet.width()).find(|c| *sheet.get_value((1, *c as u32)).unwrap() == "问题描述").unwrap() as u32;
    let mut seen = Vec::new();
    for row in 2..7 {
        match sheet.get_value((row, col)).unwrap() {
            Data::String(s) => seen.push(s.clone()),
            other => panic!("row {row}: not a string cell: {other:?}"),
        }
    }
    for (_, d) in HOSTILE_DESCRIPTIONS {
        assert!(seen.iter().any(|s| s == d), "{d:?} reads back as the same text: {seen:?}");
    }
    for name in ["整改清单", "统计"] {
        let formulas = wb.worksheet_formula(name).unwrap();
        let found: Vec<&String> = formulas.used_cells().map(|(_, _, f)| f).filter(|f| !f.is_empty()).collect();
        assert!(found.is_empty(), "{name} has formula cells: {found:?}");
    }
}

const HOSTILE_ROSTER: &str = "编码,名称,上级编码,层级,领域,书记,党员数\n\
    23,<b>清河市</b>,,市,,,\n\
    2301,<script>alert(1)</script>东山县,23,县,,,\n\
    230101,城关镇 & \"x\",2301,镇,,,\n\
    23010101,红旗村|[y](javascript:z),230101,村,农村,,\n\
    23010101D1,<script>alert(1)</script>红旗村,23010101,党支部,,\"\x1b]0;pwned\x07王\u{202E}建国\",36\n";

/// A tree whose names are markup, and a branch of it with an approved finding whose description
/// is markup too.
fn hostile_scenario() -> Folder {
    let f = Folder::new();
    let roster = f.path("roster.csv");
    std::fs::write(&roster, HOSTILE_ROSTER).unwrap();
    f.run_ok(&["org", "import", roster.to_str().unwrap()]);
    f.run_ok(&["round", "new", "--under", "230101", "--quarter", "2026Q4", "--title", "<i>督查</i>"]);
    let round = json(&f.run_ok(&["round", "list", "--format", "json"]))[0]["id"].as_str().unwrap().to_string();
    common::fill_sheet(&f, &round, "23010101D1", &[("C1.2", "<img src=x onerror=alert(1)>支委会委员仅2人")], "孙国庆", true);
    common::approve_all(&f);
    f
}

#[test]
fn markdown_and_html_carry_no_markup_from_the_data() {
    let f = hostile_scenario();
    let export = |args: &[&str], name: &str| -> String {
        let out = f.path(name);
        let mut a = vec!["export"];
        a.extend_from_slice(args);
        a.extend_from_slice(&["-o", out.to_str().unwrap()]);
        f.run_ok(&a);
        std::fs::read_to_string(&out).unwrap()
    };
    let list_md = export(&["rectification", "--format", "md"], "list.md");
    let bulletin_md = export(&["bulletin", "--quarter", "2026Q4", "--format", "md"], "b.md");
    let bulletin_html = export(&["bulletin", "--quarter", "2026Q4", "--format", "html"], "b.html");
    for (what, text) in [("list md", &list_md), ("bulletin md", &bulletin_md), ("bulletin html", &bulletin_html)] {
        for raw in ["<script", "</script", "<img", "<b>", "<i>", "[y](javascript"] {
            assert!(!text.contains(raw), "{what} carries {raw:?}:\n{text}");
        }
        assert!(text.contains("&lt;img src=x onerror=alert(1)&gt;支委会委员仅2人"), "{what} keeps the description as text:\n{text}");
        assert!(!text.contains('\x1b') && !text.contains('\u{202E}'), "{what}");
    }
    // The list names the organisation and its parents; the bulletin its county.
    assert!(list_md.contains("&lt;script&gt;alert(1)&lt;/script&gt;红旗村 |"), "{list_md}");
    assert!(list_md.contains(r"红旗村\|\[y\](javascript:z)"), "the pipe cannot open a column: {list_md}");
    assert!(bulletin_md.contains("| 1 | &lt;script&gt;alert(1)&lt;/script&gt;东山县 | 1 |"), "{bulletin_md}");
    assert!(bulletin_html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;东山县</td>"), "{bulletin_html}");
    assert!(bulletin_html.contains(r#"text-anchor="end">&lt;script&gt;alert(1)&lt;/script&gt;东山县</text>"#), "the chart's label too");
    // Every table row of the list keeps its 29 columns.
    for line in list_md.lines().filter(|l| l.starts_with('|')) {
        assert_eq!(line.replace("\\|", "").matches('|').count(), 30, "{line}");
    }
}

fn assert_printable(what: &str, text: &str) {
    let bad: Vec<char> = text.chars().filter(|c| xuncha::safe_text::is_terminal_unsafe(*c)).collect();
    assert!(bad.is_empty(), "{what} prints control characters {bad:?}:\n{text}");
}

#[test]
fn the_command_line_prints_no_control_characters() {
    let f = hostile_scenario();
    let table = f.run_ok(&["org", "list"]);
    assert_printable("org list", &table);
    assert!(table.contains("]0;pwned王建国"), "the secretary is shown without the controls: {table}");
    let listed = f.run_ok(&["org", "list", "--format", "json"]);
    assert_printable("org list json", &listed);
    // JSON keeps the value whole: the controls are escapes, not raw characters.
    let v = json(&listed);
    assert_eq!(v[4]["secretary"], "\x1b]0;pwned\x07王\u{202E}建国");
    assert_printable("org list csv", &f.run_ok(&["org", "list", "--format", "csv"]));
    assert_printable("finding list", &f.run_ok(&["finding", "list"]));
    assert_printable("round list", &f.run_ok(&["round", "list"]));
    assert_printable("audit log", &f.run_ok(&["audit", "log"]));

    // Errors quote what was typed: on stderr without the controls too.
    let r = f.run(&["round", "show", "\x1b[2J\x07nope\u{202E}"]);
    assert_eq!(r.code, 2);
    assert_printable("an error", &r.stderr);
    assert!(r.stderr.contains("[2Jnope"), "{}", r.stderr);
}

#[test]
fn control_characters_in_codes_and_names_are_refused_with_line_and_column() {
    let f = Folder::new();
    let roster = f.path("bad.csv");
    std::fs::write(&roster, "编码,名称,上级编码,层级\n23,清河市,,市\n2301\x1b,东山县,23,县\n2302,西山\u{202E}县,23,县\n").unwrap();
    let r = f.run(&["org", "import", roster.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("第 3 行第 1 列（编码）：第 5 个字符是控制字符 U+001B"), "{}", r.stderr);
    assert!(r.stderr.contains("第 4 行第 2 列（名称）：第 3 个字符是控制字符 U+202E"), "{}", r.stderr);
    assert_printable("the refusal", &r.stderr);
    assert_eq!(json(&f.run_ok(&["org", "list", "--format", "json"])).as_array().unwrap().len(), 0, "nothing imported");
}

#[cfg(unix)]
mod modes {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    /// Every folder and file under `dir`, with its mode.
    fn walk(dir: &Path, out: &mut Vec<(String, bool, u32)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let is_dir = p.is_dir();
            out.push((p.display().to_string(), is_dir, mode(&p)));
            if is_dir {
                walk(&p, out);
            }
        }
    }

    #[test]
    fn the_data_folder_is_private_and_exports_follow_the_umask() {
        let f = Folder::new();
        // A permissive umask: what xuncha creates for itself stays private anyway.
        with_umask(&f, "000", &["demo", "--orgs", "300", "--seed", "3"]);
        let round = common::new_round(&f, "2026Q4", "2026Q4督查");
        let org = json(&f.run_ok(&["round", "show", &round, "--format", "json"]))["organisations"][0]["code"].as_str().unwrap().to_string();
        common::fill_sheet(&f, &round, &org, &[("C1.2", "支委会委员仅2人")], "孙国庆", true);
        common::approve_all(&f);
        with_umask(&f, "000", &["backup", f.path("backup.jsonl").to_str().unwrap()]);
        assert_eq!(mode(&f.path("backup.jsonl")), 0o600, "a backup holds everything: the user's alone");

        let mut all = Vec::new();
        walk(&f.data(), &mut all);
        assert!(all.len() >= 4, "{all:?}");
        assert_eq!(mode(&f.data()), 0o700, "the data folder");
        for (p, is_dir, m) in &all {
            assert_eq!(*m, if *is_dir { 0o700 } else { 0o600 }, "{p}");
        }
        println!("{} entries under the data folder, all private", all.len());

        // Exports are the user's documents: the user's umask decides.
        let exports = f.path("exports");
        std::fs::create_dir(&exports).unwrap();
        for (umask, expected, name, args) in [
            ("022", 0o644, "list.xlsx", vec!["export", "rectification", "--format", "xlsx"]),
            ("027", 0o640, "list.csv", vec!["export", "rectification", "--format", "csv"]),
            ("022", 0o644, "b.html", vec!["export", "bulletin", "--quarter", "2026Q4", "--format", "html"]),
            ("077", 0o600, "sheet.csv", vec!["visit", "sheet", "--round", &round, "--org", &org]),
        ] {
            let out = exports.join(name);
            let mut a = args.clone();
            a.extend_from_slice(&["-o", out.to_str().unwrap()]);
            with_umask(&f, umask, &a);
            assert_eq!(mode(&out), expected, "{name} with umask {umask}");
        }
        // Written again over an existing file: still atomic, still the umask's mode.
        let out = exports.join("list.csv");
        with_umask(&f, "022", &["export", "rectification", "--format", "csv", "-o", out.to_str().unwrap()]);
        assert_eq!(mode(&out), 0o644);
        let mut left: Vec<String> =
            std::fs::read_dir(&exports).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, ["b.html", "list.csv", "list.xlsx", "sheet.csv"], "no temporary file is left beside the exports");
        let top: Vec<String> =
            std::fs::read_dir(f.tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert!(!top.iter().any(|n| n.ends_with(".partial")), "{top:?}");
    }

    /// Runs xuncha on the folder under the given umask, as from a user's shell.
    fn with_umask(f: &Folder, umask: &str, args: &[&str]) {
        let xuncha = f.command();
        let mut sh = std::process::Command::new("sh");
        for (k, v) in xuncha.get_envs() {
            match v {
                Some(v) => sh.env(k, v),
                None => sh.env_remove(k),
            };
        }
        sh.arg("-c").arg(format!("umask {umask}; exec \"$0\" \"$@\"")).arg(xuncha.get_program()).args(args);
        let r: common::Run = sh.output().unwrap().into();
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    }
}
