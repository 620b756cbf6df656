//! Template fixtures: every valid one loads; every invalid one is refused with file, line, column
//! and what was expected (snapshotted), through the library and through `xuncha template check`.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Folder, fixture};
use std::path::Path;
use xuncha::template::{Catalog, load_file};

fn tomls(dir: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(fixture(dir)).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

/// Error text with the machine-specific folder removed, so snapshots are stable.
fn relative(text: &str) -> String {
    text.replace(&format!("{}/", fixture("templates").display()), "")
}

#[test]
fn valid_fixtures_load() {
    let files = tomls("templates/valid");
    assert_eq!(files.len(), 2);
    for f in files {
        let l = load_file(&f).unwrap_or_else(|e| panic!("{f:?}: {:?}", e.errors));
        assert!(l.template.item_count() > 0);
        assert_eq!(l.hash.len(), 64);
    }
    let two_new = load_file(&fixture("templates/valid/two-new.toml")).unwrap().template;
    assert_eq!(two_new.version, 3);
    assert_eq!(two_new.partial_deduction, 0.25);
    assert_eq!(two_new.categories[0].points, 20.5);
    assert_eq!(two_new.warnings.red.label, "红色预警");
    assert_eq!(two_new.warnings.yellow.label, "黄", "an absent warning table gets its default label");
}

#[test]
fn invalid_fixtures_are_refused_with_located_errors() {
    for f in tomls("templates/invalid") {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        let failed = load_file(&f).expect_err(&name);
        let text = relative(&failed.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"));
        insta::assert_snapshot!(format!("invalid-{name}"), text);
    }
}

#[test]
fn shipped_templates_pass_check_through_the_binary() {
    let f = Folder::new();
    let shipped: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("checklists"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    let mut args = vec!["template", "check"];
    args.extend(shipped.iter().map(String::as_str));
    let out = f.run_ok(&args);
    assert!(out.contains("dangzhibu") && out.contains("11 个分类"), "{out}");
}

#[test]
fn template_check_exits_2_listing_every_error() {
    let f = Folder::new();
    let bad = fixture("templates/invalid/vocab-and-duplicates.toml");
    let good = fixture("templates/valid/minimal.toml");
    let r = f.run(&["template", "check", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("minimal.toml：通过"), "{}", r.stdout);
    assert!(r.stdout.contains("vocab-and-duplicates.toml:27:6:"), "{}", r.stdout);
    assert!(r.stdout.contains("特别严重") && r.stdout.contains("一般, 较重, 严重"), "{}", r.stdout);
    assert!(r.stderr.contains("1 个模板文件有错误"), "{}", r.stderr);
    let en = f.run(&["--lang", "en", "template", "check", bad.to_str().unwrap()]);
    assert!(en.stdout.contains("expected one of: minor, significant, serious"), "{}", en.stdout);
}

#[test]
fn default_template_matches_the_domain_outline() {
    let cat = Catalog::load(&[]);
    assert!(cat.failed.is_empty(), "{:?}", cat.failed);
    let t = &cat.get("dangzhibu").unwrap().template;
    let points: Vec<f64> = t.categories.iter().map(|c| c.points).collect();
    // Version 2: 政治建设 (C10) and the field variants (C11, 5 points for each field) came in; the
    // points of the older categories made room (docs/templates.md lists what moved).
    assert_eq!(points, vec![10.0, 11.0, 17.0, 11.0, 11.0, 7.0, 7.0, 6.0, 7.0, 8.0, 5.0]);
    assert_eq!(t.vetoes.len(), 6);
    // Every gate is tied to the item that triggers it.
    let gates: Vec<(&str, Option<&str>)> = t.vetoes.iter().map(|g| (g.id.as_str(), g.item.as_deref())).collect();
    assert_eq!(
        gates,
        [
            ("V1", Some("C5.4")),
            ("V2", Some("C8.4")),
            ("V3", Some("C3.1")),
            ("V4", Some("C1.4")),
            ("V5", Some("C2.6")),
            ("V6", Some("C9.4"))
        ]
    );
    // Every field scores out of the full 100 without rescaling: its items' points add up to it.
    use xuncha::domain::vocab::Vocab;
    for field in xuncha::domain::Field::ALL {
        let sum: f64 = t.items().filter(|(_, i)| i.applies_to(Some(*field))).map(|(_, i)| i.points).sum();
        assert!((sum - 100.0).abs() < 1e-9, "{field:?}: {sum}");
    }
    let per: Vec<(&str, Option<f64>, f64)> =
        t.items().filter(|(_, i)| i.per_occurrence.is_some()).map(|(_, i)| (i.id.as_str(), i.per_occurrence, i.max_deduction())).collect();
    assert_eq!(per, [("C3.7", Some(0.5), 2.0), ("C10.3", Some(0.5), 3.0)]);
    let grades: Vec<(&str, f64)> = t.grades.iter().map(|g| (g.name.as_str(), g.min_score)).collect();
    assert_eq!(grades, vec![("标杆型", 90.0), ("成长型", 75.0), ("达标型", 60.0), ("未达标型", 0.0)]);
    let rural_only = t.item("C11.1").unwrap();
    assert!(rural_only.text.contains("四议两公开"));
    assert!(rural_only.applies_to(Some(xuncha::domain::Field::Rural)));
    assert!(!rural_only.applies_to(Some(xuncha::domain::Field::Government)));
    assert!(t.item("C9.4").unwrap().weak_lead);
}

#[test]
fn a_broken_user_template_is_listed_with_its_error_and_changes_nothing() {
    let f = Folder::new();
    let dir = f.path("tpl");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixture("templates/valid/minimal.toml"), dir.join("a.toml")).unwrap();
    std::fs::copy(fixture("templates/invalid/points.toml"), dir.join("b.toml")).unwrap();
    let out = f.run_ok(&["--templates", dir.to_str().unwrap(), "template", "list"]);
    assert!(out.contains("minimal") && out.contains("dangzhibu"), "{out}");
    assert!(out.contains("未加载") && out.contains("b.toml:13:10:"), "{out}");
    assert!(!out.lines().any(|l| l.starts_with("points ")), "the broken template is not loaded: {out}");
    let json = f.run_ok(&["--templates", dir.to_str().unwrap(), "template", "list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["loaded"].as_array().unwrap().len(), 2);
    assert_eq!(v["failed"][0]["errors"][0]["line"], 10, "the categories' total, at the first category");
}

#[test]
fn a_template_of_more_than_two_thousand_items_is_refused_at_the_item_past_the_limit() {
    let f = Folder::new();
    let mut text = String::from(
        "id = \"huge\"\nversion = 1\ntitle = \"过大的清单\"\ntotal_points = 2001\n\n[[grades]]\nname = \"达标\"\nmin_score = 0\n\n[[categories]]\nid = \"A\"\nname = \"甲\"\npoints = 2001\n",
    );
    for i in 1..=2001 {
        text.push_str(&format!("\n[[categories.items]]\nid = \"A.{i}\"\ntext = \"第{i}项\"\nmethods = [\"查\"]\nguidance = \"\"\nseverity = \"一般\"\npoints = 1\n"));
    }
    let path = f.path("huge.toml");
    std::fs::write(&path, &text).unwrap();
    let r = f.run(&["template", "check", path.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    let line = text.lines().position(|l| l == "id = \"A.2001\"").unwrap();
    let expected = format!("huge.toml:{line}:1: 模板有 2001 个检查项，最多 2000 个");
    assert!(r.stdout.contains(&expected) || r.stderr.contains(&expected), "{expected}\n{}\n{}", r.stdout, r.stderr);
}

#[test]
fn template_new_writes_a_commented_start_that_passes_check() {
    let f = Folder::new();
    let printed = f.run_ok(&["template", "new"]);
    assert!(printed.contains("problem = ") && printed.contains("[praise]") && printed.contains("# "), "{printed}");
    let path = f.path("mine.toml");
    let said = f.run_ok(&["template", "new", "-o", path.to_str().unwrap()]);
    assert!(said.contains("已写出起始模板") && said.contains("mine.toml"), "{said}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), printed);
    let checked = f.run_ok(&["template", "check", path.to_str().unwrap()]);
    assert!(checked.contains("通过（my-checklist，2 个分类，5 个检查项，1 项否决）"), "{checked}");
    // It shows the keys of per-occurrence deductions, field variants and a gate's item.
    for key in ["per_occurrence = ", "cap = ", "by_field = true", "item = \"C1.1\""] {
        assert!(printed.contains(key), "{key}: {printed}");
    }
    // Never over an existing file.
    std::fs::write(&path, "# 我改过的\n").unwrap();
    let r = f.run(&["template", "new", "-o", path.to_str().unwrap()]);
    assert!(r.code == 2 && r.stderr.contains("已存在，没有覆盖"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# 我改过的\n");
}

#[test]
fn an_item_for_a_field_the_template_is_not_for_is_refused_as_unreachable() {
    let f = Folder::new();
    let bad = fixture("templates/invalid/unreachable.toml");
    let r = f.run(&["template", "check", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stdout.contains("unreachable.toml:96:1: 检查项 C2.1 只适用于 农村，而本模板只用于 社区：永远不会被检查"), "{}", r.stdout);
    assert!(r.stderr.contains("1 个模板文件有错误"), "{}", r.stderr);
}

#[test]
fn the_new_keys_are_refused_out_of_range_through_the_binary() {
    let f = Folder::new();
    let bad = fixture("templates/invalid/fields-and-occurrences.toml");
    let r = f.run(&["template", "check", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    for (at, says) in [
        ("fields-and-occurrences.toml:12:8:", "否决项所属的检查项 \"A.9\" 不在本模板中"),
        ("fields-and-occurrences.toml:29:18:", "\"per_occurrence\" 为 0"),
        ("fields-and-occurrences.toml:38:7:", "\"cap\" 为 5：扣分上限应大于 0 且不超过该项分值 3"),
        ("fields-and-occurrences.toml:46:7:", "请同时写 per_occurrence"),
        ("fields-and-occurrences.toml:51:10:", "适用于学校的检查项合计 6 分，应为 10"),
    ] {
        let line = r.stdout.lines().find(|l| l.contains(at)).unwrap_or_else(|| panic!("{at}: {}", r.stdout));
        assert!(line.contains(says), "{line}");
    }
    let en = f.run(&["--lang", "en", "template", "check", bad.to_str().unwrap()]);
    assert!(en.stdout.contains("its items for school add up to 6, expected 10"), "{}", en.stdout);
}
