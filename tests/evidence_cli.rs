//! Evidence files through the binary: `finding attach|files|extract` and `rectify attach` with
//! real PNG, JPEG and PDF bytes; what is refused (a text file named .jpg, an oversize file, a
//! missing file, an unknown number) changes nothing; the evidence store keeps each content once,
//! read-only, under its SHA-256; the exports and the history name the files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::evidence::{JPEG, PDF, PNG, sha, write};
use common::{Folder, json};
use std::path::{Path, PathBuf};

/// Every file in the evidence store, by path, with its content's hash.
fn store_files(data: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(data.join("evidence")) else { return out };
    for d in dirs {
        for e in std::fs::read_dir(d.unwrap().path()).unwrap() {
            let p = e.unwrap().path();
            let h = sha(&std::fs::read(&p).unwrap());
            out.push((p, h));
        }
    }
    out.sort();
    out
}

/// A town's branch visited, with two problems (C1.1, C1.2), approved and numbered: returns the
/// folder and the two numbers.
pub fn scenario() -> (Folder, String, String) {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "300", "--seed", "3"]);
    let round = common::new_round(&f, "2026Q4", "第四季度督查");
    let shown = json(&f.run_ok(&["round", "show", &round, "--format", "json"]));
    let org = shown["organisations"][0]["code"].as_str().unwrap().to_string();
    common::fill_sheet(&f, &round, &org, &[("C1.1", "三会一课记录缺失"), ("C1.2", "党费收缴不规范")], "王书记", true);
    common::approve_all(&f);
    let list = json(&f.run_ok(&["finding", "list", "--format", "json"]));
    let number = |d: &str| list.as_array().unwrap().iter().find(|x| x["description"] == d).unwrap()["number"].as_str().unwrap().to_string();
    let (a, b) = (number("三会一课记录缺失"), number("党费收缴不规范"));
    (f, a, b)
}

#[test]
fn files_are_attached_kept_once_read_only_and_named_in_exports_and_history() {
    let (f, a, b) = scenario();
    let png = write(&f, "现场照片.png", PNG);
    let jpg = write(&f, "会议记录.jpg", JPEG);
    let pdf = write(&f, "扫描件.pdf", PDF);
    let out = f.run_ok(&["finding", "attach", &a, &png]);
    assert!(out.contains(&sha(PNG)[..8]) && out.contains(&a) && out.contains(&sha(PNG)), "{out}");
    f.run_ok(&["finding", "attach", &a, &jpg]);
    let out = f.run_ok(&["rectify", "attach", &a, &pdf, "--note", "整改会议纪要"]);
    assert!(out.contains(&sha(PDF)[..8]), "{out}");

    // Listed with short id, hash, size, kind and where it hangs.
    let files = json(&f.run_ok(&["finding", "files", &a, "--format", "json"]));
    let got: Vec<(String, String, u64, String, bool)> = files
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["id"].as_str().unwrap().into(),
                x["kind"].as_str().unwrap().into(),
                x["size"].as_u64().unwrap(),
                x["sha256"].as_str().unwrap().into(),
                x["step"].is_null(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (sha(PNG)[..8].to_string(), "image/png".to_string(), PNG.len() as u64, sha(PNG), true),
            (sha(JPEG)[..8].to_string(), "image/jpeg".to_string(), JPEG.len() as u64, sha(JPEG), true),
            (sha(PDF)[..8].to_string(), "application/pdf".to_string(), PDF.len() as u64, sha(PDF), false),
        ]
    );
    let table = f.run_ok(&["finding", "files", &a]);
    assert!(table.contains("现场照片.png") && table.contains("整改 2026-11-22") && table.contains(&sha(PDF)), "{table}");

    // The store holds each content once, read-only, under its hash.
    let kept = store_files(&f.data());
    assert_eq!(kept.len(), 3);
    for (p, h) in &kept {
        assert_eq!(p.file_name().unwrap().to_str().unwrap(), h, "named by its hash");
        assert!(std::fs::metadata(p).unwrap().permissions().readonly(), "{p:?} is read-only");
    }
    // The same content on another finding, under another name: recorded there, stored once.
    let again = write(&f, "copy.png", PNG);
    let out = f.run_ok(&["finding", "attach", &b, &again]);
    assert!(out.contains("只保存一份"), "{out}");
    assert_eq!(store_files(&f.data()), kept);
    // On the same finding twice: refused, nothing changes.
    let before = common::dump(&f);
    let r = f.run(&["finding", "attach", &a, &again]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("已是此问题的附件"), "{}", r.stderr);
    assert_eq!(common::dump(&f), before);

    // Taken back out, checked against the hash.
    let back = f.path("back.pdf");
    f.run_ok(&["finding", "extract", &a, &sha(PDF)[..8], "-o", back.to_str().unwrap()]);
    assert_eq!(std::fs::read(&back).unwrap(), PDF);

    // The rectification list names them by short id in every format.
    for fmt in ["csv", "json", "md", "xlsx"] {
        let out = f.path(&format!("list.{fmt}"));
        f.run_ok(&["export", "rectification", "--format", fmt, "-o", out.to_str().unwrap()]);
        if fmt == "xlsx" {
            let mut book: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
            let range = calamine::Reader::worksheet_range_at(&mut book, 0).unwrap().unwrap();
            let cells: Vec<String> = range.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
            assert!(cells.iter().any(|c| c == "附件"), "a 附件 column");
            assert!(cells.iter().any(|c| c.contains(&sha(PNG)[..8]) && c.contains(&sha(PDF)[..8])), "{cells:?}");
        } else {
            let text = std::fs::read_to_string(&out).unwrap();
            assert!(text.contains(&sha(JPEG)[..8]) && text.contains(&sha(PDF)[..8]), "{fmt}: {text}");
            if fmt == "json" {
                let row = &json(&text)["rows"].as_array().unwrap().iter().find(|r| r["number"] == a.as_str()).unwrap().clone();
                let pdf = row["files"].as_array().unwrap().iter().find(|x| x["name"] == "扫描件.pdf").unwrap();
                assert_eq!(
                    (pdf["sha256"].as_str(), pdf["size"].as_u64(), pdf["step"].as_str()),
                    (Some(sha(PDF).as_str()), Some(PDF.len() as u64), Some("2026-11-22"))
                );
                assert!(pdf["at"].as_str().is_some_and(|t| t.starts_with("2026-11-22")), "{pdf}");
            }
            if fmt != "json" {
                assert!(text.contains("附件"), "{fmt}");
            }
        }
    }

    // The branch's report lists each finding's files: short id, name, size, hash prefix.
    let list = json(&f.run_ok(&["finding", "list", "--format", "json"]));
    let x = list.as_array().unwrap().iter().find(|x| x["number"] == a.as_str()).unwrap();
    let visit = format!("{}/{}", x["round"].as_str().unwrap(), x["org"].as_str().unwrap());
    let report = f.path("report.md");
    f.run_ok(&["export", "report", "--visit", &visit, "--format", "md", "-o", report.to_str().unwrap()]);
    let text = std::fs::read_to_string(&report).unwrap();
    let png_line = format!("{} 现场照片.png（{} B，SHA-256 {}…）", &sha(PNG)[..8], PNG.len(), &sha(PNG)[..16]);
    assert!(text.contains("附件：") && text.contains(&png_line) && text.contains(&sha(PDF)[..8]), "{text}");

    // The history shows each attach with its hash and size.
    let log = json(&f.run_ok(&["audit", "log", "--format", "json"]));
    let attached: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["action"] == "finding.attach" || l["action"] == "rectify.attach")
        .map(|l| l["what"].as_str().unwrap())
        .collect();
    assert_eq!(attached.len(), 4, "{attached:?}");
    assert!(attached.iter().any(|w| w.contains(&sha(PDF)) && w.contains(&format!("{} B", PDF.len()))), "{attached:?}");
}

#[test]
fn refused_files_change_nothing() {
    let (f, a, _) = scenario();
    let before = common::dump(&f);
    let refused = |args: &[&str], says: &str| {
        let r = f.run(args);
        assert_eq!(r.code, 2, "{args:?}: {}\n{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert_eq!(common::dump(&f), before, "{args:?} changed nothing");
        assert!(store_files(&f.data()).is_empty(), "{args:?} kept no file");
    };
    // A text file named .jpg: judged by its content.
    let fake = write(&f, "照片.jpg", "这不是照片".as_bytes());
    refused(&["finding", "attach", &a, &fake], ".jpg");
    // A program named .jpg.
    let elf = write(&f, "photo.jpg", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00\x01\x00\x00\x00");
    refused(&["rectify", "attach", &a, &elf], "photo.jpg");
    // Something that is no evidence at all, whatever its name.
    let zip = write(&f, "archive.bin", b"PK\x03\x04\x14\x00\x00\x00\x00\x00");
    refused(&["finding", "attach", &a, &zip], "archive.bin");
    // Text in GBK (a Chinese Windows' notepad): told to save it as UTF-8.
    let (gbk, _, _) = encoding_rs::GBK.encode("整改情况说明：已补齐台账");
    let gbk = write(&f, "说明.txt", &gbk);
    refused(&["finding", "attach", &a, &gbk], "UTF-8");
    // Missing, or a folder.
    refused(&["finding", "attach", &a, f.path("nowhere.png").to_str().unwrap()], "nowhere.png");
    refused(&["finding", "attach", &a, f.tmp.path().to_str().unwrap()], "不是文件");
    // An unknown number.
    let png = write(&f, "p.png", PNG);
    refused(&["finding", "attach", "2026Q4-9999", &png], "2026Q4-9999");
    refused(&["rectify", "attach", "2026Q4-9999", &png], "2026Q4-9999");
    // Over the size configured: [evidence] max_mb = 1, and a PNG of 1.5 MiB.
    std::fs::create_dir_all(f.config()).unwrap();
    std::fs::write(f.config().join("config.toml"), "[evidence]\nmax_mb = 1\n").unwrap();
    let mut big = PNG.to_vec();
    big.resize(3 << 19, 0);
    let big = write(&f, "big.png", &big);
    refused(&["finding", "attach", &a, &big], "1.5 MiB");
    refused(&["finding", "attach", &a, &big], "1 MiB");
    // A bad setting is named.
    std::fs::write(f.config().join("config.toml"), "[evidence]\nmax_mb = 0\n").unwrap();
    refused(&["finding", "attach", &a, &png], "max_mb");
    std::fs::write(f.config().join("config.toml"), "[evidence]\nmax_size = 3\n").unwrap();
    let r = f.run(&["finding", "attach", &a, &png]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("max_size"), "{}", r.stderr);
    // A note longer than any text field may be, on a step.
    std::fs::remove_file(f.config().join("config.toml")).unwrap();
    let long = "记".repeat(5000);
    refused(&["rectify", "attach", &a, &png, "--note", &long], "5000");
    // Within the limit it is taken.
    std::fs::write(f.config().join("config.toml"), "[evidence]\nmax_mb = 2\n").unwrap();
    f.run_ok(&["finding", "attach", &a, &big]);
    // The same file twice on the rectification: the second is refused, naming the first.
    f.run_ok(&["rectify", "attach", &a, &png]);
    let kept = common::dump(&f);
    let r = f.run(&["rectify", "attach", &a, &png]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(&sha(PNG)[..8]), "{}", r.stderr);
    assert_eq!(common::dump(&f), kept, "nothing changed");
}

#[test]
fn a_changed_file_in_the_store_is_caught() {
    let (f, a, _) = scenario();
    let png = write(&f, "p.png", PNG);
    f.run_ok(&["finding", "attach", &a, &png]);
    let (path, _) = store_files(&f.data()).remove(0);
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path, perms).unwrap();
    std::fs::write(&path, b"\x89PNG\r\n\x1a\nchanged").unwrap();
    let out = f.path("out.png");
    let r = f.run(&["finding", "extract", &a, &sha(PNG)[..8], "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("已被改动或损坏"), "{}", r.stderr);
    assert!(!out.exists());
}

#[test]
fn a_backup_carries_the_files_and_restore_brings_them_back() {
    let (f, a, _) = scenario();
    let png = write(&f, "现场照片.png", PNG);
    f.run_ok(&["finding", "attach", &a, &png]);
    let backup = f.path("全部.jsonl");
    f.run_ok(&["backup", backup.to_str().unwrap()]);
    // Another laptop's empty folder: restored, the file is there and comes out whole.
    let g = Folder::new();
    g.run_ok(&["restore", backup.to_str().unwrap()]);
    let files = json(&g.run_ok(&["finding", "files", &a, "--format", "json"]));
    assert_eq!(files[0]["sha256"], sha(PNG));
    let out = g.path("取回.png");
    g.run_ok(&["finding", "extract", &a, &sha(PNG)[..8], "-o", out.to_str().unwrap()]);
    assert_eq!(std::fs::read(&out).unwrap(), PNG);
    assert_eq!(store_files(&g.data()).len(), 1, "kept under its hash in the restored folder");
    // A backup whose file was changed is refused whole, naming the line; nothing restored.
    let text = std::fs::read_to_string(&backup).unwrap();
    let line = text.lines().position(|l| l.starts_with("{\"f\"")).unwrap() + 1;
    let png_hex: String = PNG.iter().map(|b| format!("{b:02x}")).collect();
    let bad = f.path("坏.jsonl");
    std::fs::write(&bad, text.replacen(&png_hex, &png_hex.replacen("89", "88", 1), 1)).unwrap();
    let h = Folder::new();
    let r = h.run(&["restore", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("第 {line} 行")) && r.stderr.contains(&sha(PNG)), "{}", r.stderr);
    assert!(store_files(&h.data()).is_empty());
    // A photo damaged on disk: the records are backed up all the same, the photo left out and
    // named.
    let (kept, _) = store_files(&f.data()).into_iter().next().unwrap();
    let mut perms = std::fs::metadata(&kept).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&kept, perms).unwrap();
    std::fs::write(&kept, b"bit rot").unwrap();
    let again = f.path("再备份.jsonl");
    let r = f.run(&["backup", again.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("警告") && r.stderr.contains(&sha(PNG)), "{}", r.stderr);
    let text = std::fs::read_to_string(&again).unwrap();
    assert!(!text.contains("{\"f\"") && text.contains("\"files\":0"), "no file line");
    let k = Folder::new();
    k.run_ok(&["restore", again.to_str().unwrap()]);
}
