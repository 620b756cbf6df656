//! The bodies of the fuzz targets: one function per parser of a file a user brings, each taking
//! the fuzzer's bytes. The binaries under `fuzz_targets/` only call these, and
//! `tests/fuzz_regressions.rs` includes this very file (by path) to feed every seed and every
//! crash found to the same functions on the stable toolchain, so a fixed crash stays fixed.
//!
//! This file names only `xuncha`, `zip` and `chrono` (all dependencies of xuncha itself), so that
//! it compiles in both places. A target returns normally when the parser returns (Ok or Err); a
//! panic, an abort, a timeout or too much memory is a finding. Beyond not crashing, a few
//! promises the program makes about every result are checked with `assert!`, so that breaking
//! one is a finding too.
//!
//! To add a target: write `pub fn NAME(data: &[u8])` here, add
//! it to [`TARGETS`], add `fuzz_targets/NAME.rs` and its `[[bin]]` in `fuzz/Cargo.toml`, and put
//! a few seeds in `fuzz/seeds/NAME/`.

use chrono::{NaiveDate, NaiveDateTime};
use std::collections::HashMap;
use std::io::Write;
use std::sync::OnceLock;
use xuncha::domain::{Quarter, Template};
use xuncha::tabular::{FileKind, ReadOptions, Rows};

/// A target's body: the fuzzer's bytes in, a return or a finding out.
pub type Target = fn(&[u8]);

/// Every target by name, as `fuzz/run` and the regression test know them.
pub const TARGETS: &[(&str, Target)] = &[
    ("template", template),
    ("roster_csv", roster_csv),
    ("roster_xlsx", roster_xlsx),
    ("sheet", sheet),
    ("followup", followup),
    ("keymap", keymap),
    ("config", config),
    ("notes", notes),
    ("backup", backup),
    ("join_request", join_request),
    ("bundle", bundle),
    ("pgpass", pgpass),
    ("evidence", evidence),
];

/// A checklist template (`--templates DIR`, the user's template folder). Files that are not
/// UTF-8 are refused before parsing, as `template::load_file` does.
pub fn template(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match xuncha::template::load_text("fuzz.toml", text) {
        Ok((t, hash)) => {
            assert_eq!(hash.len(), 64);
            // A template that loads can be used: its items are found by their own ids.
            for item in t.categories.iter().flat_map(|c| c.items.iter()) {
                assert!(t.item(&item.id).is_some(), "item {} not found in its own template", item.id);
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "a refused template must say why");
            for e in &errors {
                assert!(e.line >= 1 && e.column >= 1, "error at {}:{}", e.line, e.column);
                let _ = e.to_string();
            }
        }
    }
}

/// A roster as a CSV in any encoding (or an XLSX, when the bytes are a zip), then validated.
pub fn roster_csv(data: &[u8]) {
    roster_bytes(data);
}

/// A roster as an XLSX built from fuzzed parts: see [`xlsx_from_parts`].
pub fn roster_xlsx(data: &[u8]) {
    if let Some(book) = xlsx_from_parts(data) {
        roster_bytes(&book);
    }
}

fn roster_bytes(bytes: &[u8]) {
    let Some(rows) = rows_of(FileKind::Roster, bytes) else { return };
    match xuncha::roster::parse_roster("fuzz", rows, &HashMap::new()) {
        Ok(roster) => {
            let _ = roster.orgs.len();
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// A filled paper visit sheet (`xuncha visit import`), against the built-in template.
pub fn sheet(data: &[u8]) {
    let Some(rows) = rows_of(FileKind::Sheet, data) else { return };
    let (template, quarter, now) = sheet_context();
    if let Err(errors) = xuncha::service::sheet::parse(rows, template, *quarter, *now) {
        assert!(!errors.is_empty(), "a refused sheet must say why");
    }
}

/// A rectification list sent back (`xuncha rectify import`): CSV, XLSX, or the JSON export when
/// the bytes start with `{`.
pub fn followup(data: &[u8]) {
    match xuncha::service::rectify::parse_incoming("fuzz", data, false, &ReadOptions::default()) {
        Ok(rows) => {
            for r in &rows {
                assert!(r.line >= 1, "line {}", r.line);
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// `keys.toml` in the config folder.
pub fn keymap(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = xuncha::tui::keymap::Keymap::parse(text);
}

/// `config.toml` in the config folder.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(c) = xuncha::config::Config::parse(text) {
        // What is read back from a saved config is what was saved.
        let saved = toml::to_string(&c).expect("a config read from a file can be written");
        assert_eq!(xuncha::config::Config::parse(&saved), Ok(c), "config did not round-trip:\n{saved}");
    }
}

/// The bulletin's `--notes` file (Markdown with 好的做法 and 工作要求).
pub fn notes(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let n = xuncha::report::bulletin::Notes::parse(text);
    assert_eq!(n.good.trim(), n.good);
    assert_eq!(n.requirements.trim(), n.requirements);
}

/// Rows of a tabular file, checked against what `read_rows` promises: never empty, numbered from
/// 1 upwards in the order of the file, no row without a filled cell, no row wider than the
/// column limit and no cell longer than the cell limit.
fn rows_of(kind: FileKind, bytes: &[u8]) -> Option<Rows> {
    let options = ReadOptions::default();
    match xuncha::tabular::read_rows(kind, "fuzz", bytes, &options) {
        Ok(rows) => {
            assert!(!rows.is_empty(), "read_rows returned no rows without an error");
            let mut last = 0;
            for (line, cells) in &rows {
                assert!(*line > last, "row numbers out of order: {line} after {last}");
                last = *line;
                assert!(cells.iter().any(|c| !c.is_empty()), "an empty row at {line}");
                assert!(cells.len() <= options.limits.columns, "{} columns at {line}", cells.len());
                assert!(cells.iter().all(|c| c.chars().count() <= options.limits.cell_chars), "an overlong cell at {line}");
            }
            Some(rows)
        }
        Err(e) => {
            let _ = e.to_string();
            None
        }
    }
}

/// The built-in template, the round's quarter and the clock for the sheet target, made once.
fn sheet_context() -> &'static (Template, Quarter, NaiveDateTime) {
    static CONTEXT: OnceLock<(Template, Quarter, NaiveDateTime)> = OnceLock::new();
    CONTEXT.get_or_init(|| {
        let catalog = xuncha::template::Catalog::load(&[]);
        let template = catalog.get("dangzhibu").expect("the built-in template").template.clone();
        let quarter = "2026Q4".parse().expect("a quarter");
        let now = NaiveDate::from_ymd_opt(2026, 11, 22).and_then(|d| d.and_hms_opt(10, 0, 0)).expect("a moment");
        (template, quarter, now)
    })
}

// ---- XLSX from fuzzed parts

/// The parts a fuzz input supplies, in order, separated by a 0xFF byte (never found in UTF-8,
/// so the XML of a part can hold anything else). Parts the input does not reach take the
/// default of a plain workbook, so a seed of one worksheet is a valid file.
const PARTS: &[(&str, &str)] = &[
    ("xl/worksheets/sheet1.xml", ""),
    (
        "xl/sharedStrings.xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>"#,
    ),
    (
        "xl/styles.xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellXfs></styleSheet>"#,
    ),
    (
        "xl/workbook.xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    ),
    (
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
    ),
    (
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#,
    ),
    (
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    ),
];

/// The separator of parts in a fuzz input for [`xlsx_from_parts`].
pub const PART_SEPARATOR: u8 = 0xFF;

/// An XLSX archive (stored, not deflated, so every fuzzed byte reaches the XML reader as it is)
/// of the parts in `data` (see [`PARTS`]); None only if the zip writer refuses.
pub fn xlsx_from_parts(data: &[u8]) -> Option<Vec<u8>> {
    let mut given = data.split(|b| *b == PART_SEPARATOR);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, default) in PARTS {
        let content = given.next().unwrap_or(default.as_bytes());
        zip.start_file(*name, options).ok()?;
        zip.write_all(content).ok()?;
    }
    zip.finish().ok().map(|c| c.into_inner())
}

/// A backup file (`xuncha restore FILE`): checked whole before anything is written.
pub fn backup(data: &[u8]) {
    match xuncha::store::check_backup(data) {
        // A backup that passes names its laptop and holds at least the store's meta.
        Ok(b) => assert!(!b.records.is_empty(), "a checked backup holds records"),
        Err(xuncha::store::BackupError::Line(line, why)) => assert!(line >= 1 && !why.is_empty(), "line {line}: {why:?}"),
        Err(xuncha::store::BackupError::Newer(schema)) => assert!(schema > xuncha::store::SCHEMA_VERSION),
    }
}

/// A join request handed to the leader (`team admit FILE`): refused with a reason or read with
/// its signature checked; one that is accepted is accepted again once written back out.
pub fn join_request(data: &[u8]) {
    if let Ok(r) = xuncha::service::team::read_request("fuzz.req", data) {
        let again = serde_json::to_vec(&r).expect("a request read from a file can be written");
        assert_eq!(xuncha::service::team::read_request("fuzz.req", &again).ok(), Some(r), "join request did not round-trip");
    }
}

/// A bundle file (`xuncha bundle import|verify`): compressed, and its text as it is inside.
/// Whatever reads can be written again and reads back to the same header and changes.
pub fn bundle(data: &[u8]) {
    for read in [xuncha::bundle::read(data), xuncha::bundle::parse(data)] {
        let Ok(b) = read else { continue };
        assert_eq!(b.changes.len(), b.header.changes, "a bundle's count is checked");
        let mut out = Vec::new();
        xuncha::bundle::write_with_files(&mut out, &b.header, &b.changes, &b.files, &|_| b.end.sig.clone())
            .expect("a bundle read can be written");
        let again = xuncha::bundle::read(&out).expect("a bundle written reads back");
        assert_eq!((again.header, again.changes), (b.header, b.changes), "bundle did not round-trip");
    }
}

/// The PostgreSQL password file (~/.pgpass) the hub's connection reads: any text, any lookup,
/// never a panic; a password found, written back on a line of its own (escaped), is found again.
pub fn pgpass(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let esc = |s: &str| s.replace('\\', "\\\\").replace(':', "\\:");
    for (host, port, db, user) in [("127.0.0.1", "5432", "xuncha", "wang"), ("*", "*", "*", "*"), ("h:1", "5", "d\\b", "u")] {
        if let Some(p) = xuncha::hub::pgpass_lookup(text, host, port, db, user) {
            let line = format!("{}:{}:{}:{}:{}", esc(host), esc(port), esc(db), esc(user), esc(&p));
            if !line.contains('\n') && !line.contains('\r') {
                assert_eq!(xuncha::hub::pgpass_lookup(&line, host, port, db, user), Some(p), "{line:?}");
            }
        }
    }
}

/// An evidence file judged by its content (`domain::evidence::kind_of`, the `infer` crate under
/// it), under names that claim kinds: it never crashes; an accepted kind is one of the accepted
/// list, and a name whose ending claims a kind is accepted only as that kind.
pub fn evidence(data: &[u8]) {
    use xuncha::domain::evidence::{ACCEPTED, kind_of};
    for name in ["scan", "照片.jpg", "a.PDF", "b.docx", "c.txt", "d.xls", "e.heic", "f.bin"] {
        if let Ok(kind) = kind_of(name, data) {
            assert!(ACCEPTED.iter().any(|(k, _)| *k == kind), "{kind}");
            let ending = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
            if let Some((claimed, _)) = ACCEPTED.iter().find(|(_, ends)| ends.contains(&ending.as_str())) {
                assert_eq!(*claimed, kind, "{name}");
            }
        }
    }
}
