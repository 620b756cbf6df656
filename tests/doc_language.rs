//! Documents for the office are written in Chinese whatever the screen language (xuncha issue 10,
//! "strings, once"): under `--lang en` the rectification list (xlsx read back, csv, md), the
//! bulletin (md, html) and the paper visit sheet hold no English word; with `--doc-lang en` the
//! list and the bulletin come out in English. The visit sheet stays Chinese even then: it is a form
//! that `visit import` reads back by its Chinese headers and row names.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use calamine::{Reader, Xlsx, open_workbook};
use common::{Folder, json};

/// Two quarters at one town, everything approved: repeats, a serious finding, last quarter's
/// rectification, a ranking (as in tests/exports.rs).
fn scenario() -> (Folder, String) {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "300", "--seed", "3"]);
    let r3 = common::new_round(&f, "2026Q3", "2026Q3督查");
    let shown = json(&f.run_ok(&["round", "show", &r3, "--format", "json"]));
    let orgs: Vec<String> = shown["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["field"] == "农村")
        .map(|o| o["code"].as_str().unwrap().to_string())
        .collect();
    let (a, b, c) = (&orgs[0], &orgs[1], &orgs[2]);
    common::fill_sheet(&f, &r3, a, &[("C1.3", "换届超期8个月"), ("C3.1", "本季度未开党员大会")], "王书记", true);
    common::fill_sheet(&f, &r3, b, &[("C6.1", "党费未按月交纳")], "王书记", true);
    common::approve_all(&f);
    let r4 = common::new_round(&f, "2026Q4", "2026Q4督查");
    common::fill_sheet(&f, &r4, a, &[("C1.3", "换届仍未完成"), ("C9.3", "党员作用发挥不明显")], "王书记", true);
    common::fill_sheet(&f, &r4, c, &[], "王书记", true);
    common::approve_all(&f);
    (f, r4)
}

/// Words of ASCII letters a Chinese document may hold: the verification command printed at the
/// foot of the bulletin (`xuncha audit verify --head SEQ:HASH`).
const ALLOWED: &[&str] = &["xuncha", "audit", "verify", "head"];

/// The runs of 3 or more ASCII letters in `text` that are not allowed: each token of ASCII letters
/// and digits is judged whole, so codes (0101001, C1.3, 2026Q4-0001) pass, and so does the audit
/// hash (64 hex digits).
fn english_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for token in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let longest_letters = token.split(|c: char| !c.is_ascii_alphabetic()).map(str::len).max().unwrap_or(0);
        if longest_letters < 3 || ALLOWED.contains(&token) {
            continue;
        }
        if token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit()) {
            continue;
        }
        out.push(token.to_string());
    }
    out.sort();
    out.dedup();
    out
}

/// The text a reader sees on an HTML page: no style sheet, no tags, no entities.
fn visible(html: &str) -> String {
    let mut s = html.to_string();
    while let (Some(a), Some(b)) = (s.find("<style"), s.find("</style>")) {
        s.replace_range(a..b + "</style>".len(), " ");
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    for entity in ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#x27;", "&nbsp;"] {
        out = out.replace(entity, " ");
    }
    out
}

/// Every cell of every sheet of a workbook, and its sheet names.
fn workbook_text(path: &std::path::Path) -> String {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let mut text = wb.sheet_names().join("\n");
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for c in row {
                text.push('\n');
                text.push_str(&c.to_string());
            }
        }
    }
    text
}

/// Writes every document with `langs` before the command; returns (name, visible text) of each.
fn documents(f: &Folder, round: &str, langs: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let run = |args: &[&str]| {
        let mut a: Vec<&str> = langs.to_vec();
        a.extend_from_slice(args);
        f.run_ok(&a)
    };
    for format in ["xlsx", "csv", "md"] {
        let p = f.path(&format!("list.{format}"));
        run(&["export", "rectification", "--format", format, "-o", p.to_str().unwrap()]);
        let text = match format {
            "xlsx" => workbook_text(&p),
            _ => String::from_utf8(std::fs::read(&p).unwrap()).unwrap(),
        };
        out.push((format!("rectification list ({format})"), text));
    }
    for format in ["md", "html"] {
        let p = f.path(&format!("bulletin.{format}"));
        run(&["export", "bulletin", "--quarter", "2026Q4", "--format", format, "-o", p.to_str().unwrap()]);
        let text = std::fs::read_to_string(&p).unwrap();
        out.push((format!("bulletin ({format})"), if format == "html" { visible(&text) } else { text }));
    }
    let shown = json(&f.run_ok(&["round", "show", round, "--format", "json"]));
    let org = shown["organisations"][0]["code"].as_str().unwrap().to_string();
    let p = f.path("visit-sheet.csv");
    run(&["visit", "sheet", "--round", round, "--org", &org, "-o", p.to_str().unwrap()]);
    out.push(("visit sheet (csv)".into(), String::from_utf8(std::fs::read(&p).unwrap()).unwrap()));
    out
}

#[test]
fn documents_are_chinese_under_an_english_screen_and_english_when_asked() {
    let (f, round) = scenario();

    // The screen in English: every document in Chinese, with no English word in it.
    let zh = documents(&f, &round, &["--lang", "en"]);
    for (name, text) in &zh {
        let words = english_words(text);
        assert!(words.is_empty(), "English words in the {name} under --lang en: {words:?}\n{text}");
        assert!(text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "the {name} has no Chinese:\n{text}");
    }
    let find = |docs: &[(String, String)], name: &str| docs.iter().find(|(n, _)| n == name).unwrap().1.clone();
    assert!(find(&zh, "rectification list (csv)").contains("问题编号"));
    assert!(find(&zh, "rectification list (xlsx)").contains("整改清单"));
    assert!(find(&zh, "bulletin (md)").contains("一、基本情况"));
    // The messages on the screen stay English.
    let p = f.path("x.csv");
    let said = f.run_ok(&["--lang", "en", "export", "rectification", "--format", "csv", "-o", p.to_str().unwrap()]);
    assert!(said.contains("exported 5 rows"), "{said}");

    // Documents in English: headers, labels, sections and sheet names.
    let en = documents(&f, &round, &["--lang", "zh", "--doc-lang", "en"]);
    let csv = find(&en, "rectification list (csv)");
    assert!(csv.contains("Problem number") && csv.contains("Status") && !csv.contains("问题编号"), "{csv}");
    assert!(csv.contains(",significant,") && csv.contains(",pending,") && csv.contains(",rural,"), "labels in English: {csv}");
    assert!(!csv.contains("待整改") && !csv.contains("较重"), "no Chinese labels in the English list: {csv}");
    let xlsx = find(&en, "rectification list (xlsx)");
    assert!(xlsx.starts_with("Rectification list\nCounts"), "sheet names: {xlsx}");
    assert!(xlsx.contains("Total") && !xlsx.contains("合计"), "{xlsx}");
    let md = find(&en, "bulletin (md)");
    for section in ["1. Overview", "2. Overall assessment", "4. Main problems", "6. Ranking", "7. Requirements"] {
        assert!(md.contains(section), "{section} in the English bulletin:\n{md}");
    }
    assert!(!md.contains("一、基本情况") && !md.contains("个百分点") && !md.contains("通报批评"), "{md}");
    let html = std::fs::read_to_string(f.path("bulletin.html")).unwrap();
    assert!(html.contains(r#"<html lang="en">"#), "the page says its language");
    // The visit sheet is a form read back by its Chinese headers: Chinese even then.
    let sheet = find(&en, "visit sheet (csv)");
    assert!(sheet.contains("检查项编号") && english_words(&sheet).is_empty(), "{sheet}");

    // The config file can choose it too: `doc_lang = "en"`, and the flag still wins.
    std::fs::create_dir_all(f.config()).unwrap();
    std::fs::write(f.config().join("config.toml"), "doc_lang = \"en\"\n").unwrap();
    let p = f.path("by-config.csv");
    f.run_ok(&["export", "rectification", "--format", "csv", "-o", p.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&p).unwrap().contains("Problem number"), "doc_lang from config.toml");
    f.run_ok(&["--doc-lang", "zh", "export", "rectification", "--format", "csv", "-o", p.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&p).unwrap().contains("问题编号"), "--doc-lang zh over the config");
    std::fs::remove_file(f.config().join("config.toml")).unwrap();

    // JSON is data: its labels are Chinese whatever the document language.
    let js = f.path("list.json");
    f.run_ok(&["--lang", "en", "--doc-lang", "en", "export", "rectification", "--format", "json", "-o", js.to_str().unwrap()]);
    let doc = json(&std::fs::read_to_string(&js).unwrap());
    assert_eq!(doc["rows"][0]["status"], "待整改");

    // A round's default title is printed in the list and the bulletin: the document language too.
    f.run_ok(&["--lang", "en", "round", "new", "--under", "0101001", "--quarter", "2026Q4"]);
    let title = json(&f.run_ok(&["round", "list", "--format", "json"]))[0]["title"].as_str().unwrap().to_string();
    assert_eq!(title, "2026年第四季度基层党建\"四不两直\"督查");
    f.run_ok(&["--doc-lang", "en", "round", "new", "--under", "0101001", "--quarter", "2026Q4"]);
    let title = json(&f.run_ok(&["round", "list", "--format", "json"]))[0]["title"].as_str().unwrap().to_string();
    assert_eq!(title, "Unannounced inspection of grassroots Party building, 2026Q4");
}

#[test]
fn the_word_check_finds_english_and_passes_codes() {
    assert_eq!(english_words("2026Q4-0001 C1.3 0101001 审计链第 12 条 xuncha audit verify --head 12:ab"), Vec::<String>::new());
    assert_eq!(english_words("整改状态 open（逾期）"), vec!["open".to_string()]);
    assert_eq!(english_words(&"a1".repeat(32)), Vec::<String>::new(), "a hash");
    assert_eq!(visible("<style>body { font: serif }</style><p>红旗村 &amp; 柳河村</p>").trim(), "红旗村   柳河村");
}
