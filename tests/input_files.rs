//! Files people bring, through the binary: hostile XLSX files (a cell at XFD1048576, a lying
//! `<dimension>`, zip bombs) refused within bounds, with the child's peak memory measured; the
//! encodings Excel and WPS save read alike and the others refused by name (or read with
//! `--encoding`); and messages that name the kind of file (名册, 检查表, 整改回执), in both
//! languages.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// Reads the OS's resource usage (getrusage, wait4) through libc.
#![allow(unsafe_code)]

mod common;

use common::{Folder, Run, dump, fixture};
use std::io::Write;
use std::path::{Path, PathBuf};
#[cfg(unix)]
use std::time::{Duration, Instant};

/// The hostile files must be refused within this much memory (resident, peak).
const MEMORY_MB: f64 = 200.0;

// ---- measuring the child

/// Runs `xuncha ARGS` and returns what it printed, its peak resident memory in MB (from wait4's
/// rusage for this one child, so other tests' children do not count) and how long it took.
#[cfg(unix)]
#[allow(clippy::zombie_processes)] // reaped by wait4, which returns this child's rusage; Child::wait does not
fn run_measured(f: &Folder, args: &[&str]) -> (Run, f64, Duration) {
    use std::io::Read;
    use std::process::Stdio;
    let start = Instant::now();
    let mut child = f.command().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        out.read_to_end(&mut s).unwrap();
        s
    });
    let mut err = Vec::new();
    child.stderr.take().unwrap().read_to_end(&mut err).unwrap();
    let out = reader.join().unwrap();
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for the child we spawned and have not waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4: {}", std::io::Error::last_os_error());
    let elapsed = start.elapsed();
    // Linux reports kilobytes, macOS bytes.
    let peak_mb = if cfg!(target_os = "macos") { usage.ru_maxrss as f64 / 1048576.0 } else { usage.ru_maxrss as f64 / 1024.0 };
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
    let run = Run { code, stdout: String::from_utf8_lossy(&out).into_owned(), stderr: String::from_utf8_lossy(&err).into_owned() };
    (run, peak_mb, elapsed)
}

#[cfg(unix)]
/// `org import FILE`, measured; prints the figures (the tests never assert on time).
fn import_measured(f: &Folder, file: &Path, what: &str) -> (Run, f64) {
    let size = std::fs::metadata(file).unwrap().len();
    let (r, peak, elapsed) = run_measured(f, &["org", "import", file.to_str().unwrap()]);
    println!("{what}: {size} bytes on disk, exit {}, peak memory {peak:.1} MB, {:.3} s", r.code, elapsed.as_secs_f64());
    (r, peak)
}

// ---- building XLSX files part by part

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

/// A part's content: small text, or `head`, then `chunk` `times` over, then `tail`, written as it
/// is compressed so that a gigabyte never sits in memory.
enum Part<'a> {
    Text(String),
    Repeated { head: &'a str, chunk: &'a str, times: usize, tail: &'a str },
}

/// An XLSX file of the workbook's fixed parts plus `sheet` and `shared_strings`, deflated.
fn write_xlsx(path: &Path, sheet: Part, shared_strings: Part) {
    write_parts(path, vec![("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared_strings)]);
}

/// An XLSX file of the workbook's fixed parts plus `parts`, deflated.
fn write_parts(path: &Path, parts: Vec<(&str, Part)>) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).compression_level(Some(9));
    let fixed = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ];
    for (name, text) in fixed {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    for (name, part) in parts {
        zip.start_file(name, options).unwrap();
        match part {
            Part::Text(text) => zip.write_all(text.as_bytes()).unwrap(),
            Part::Repeated { head, chunk, times, tail } => {
                zip.write_all(head.as_bytes()).unwrap();
                let block = chunk.repeat((1 << 20) / chunk.len());
                let per_block = (1 << 20) / chunk.len();
                let mut left = times;
                while left >= per_block {
                    zip.write_all(block.as_bytes()).unwrap();
                    left -= per_block;
                }
                zip.write_all(chunk.repeat(left).as_bytes()).unwrap();
                zip.write_all(tail.as_bytes()).unwrap();
            }
        }
    }
    zip.finish().unwrap();
}

/// Makes the archive claim that `part` unpacks to `size` bytes, in its local header and in the
/// central directory, as a zip bomb would to slip past a check of the declared sizes.
fn claim_size(path: &Path, part: &str, size: u32) {
    let mut bytes = std::fs::read(path).unwrap();
    let name_at = |at: usize, len_at: usize, name_at: usize| {
        let len = u16::from_le_bytes([bytes[at + len_at], bytes[at + len_at + 1]]) as usize;
        bytes.get(at + name_at..at + name_at + len) == Some(part.as_bytes())
    };
    let mut patched = Vec::new();
    for at in 0..bytes.len().saturating_sub(46) {
        if bytes[at..].starts_with(b"PK\x03\x04") && name_at(at, 26, 30) {
            patched.push(at + 22);
        } else if bytes[at..].starts_with(b"PK\x01\x02") && name_at(at, 28, 46) {
            patched.push(at + 24);
        }
    }
    assert_eq!(patched.len(), 2, "{part}: one local header and one central directory entry");
    for at in patched {
        bytes[at..at + 4].copy_from_slice(&size.to_le_bytes());
    }
    std::fs::write(path, bytes).unwrap();
}

fn sheet(dimension: &str, rows: &str) -> Part<'static> {
    Part::Text(format!(r#"{SHEET_HEAD}<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>"#))
}

fn no_strings() -> Part<'static> {
    Part::Text(r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>"#.into())
}

/// A row of inline-string cells starting in column A.
fn row(r: usize, cells: &[&str]) -> String {
    let cells: String = cells
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_empty())
        .map(|(c, v)| format!(r#"<c r="{}{r}" t="inlineStr"><is><t>{v}</t></is></c>"#, (b'A' + c as u8) as char))
        .collect();
    format!(r#"<row r="{r}">{cells}</row>"#)
}

fn roster_rows() -> String {
    [
        row(1, &["编码", "名称", "上级编码", "层级", "领域"]),
        row(2, &["23", "清河市", "", "市", ""]),
        row(3, &["2301", "红旗村党支部", "23", "党支部", "农村"]),
    ]
    .concat()
}

// ---- hostile XLSX files

#[cfg(unix)]
#[test]
fn a_two_kilobyte_xlsx_with_its_one_cell_at_xfd1048576_is_refused_within_bounds() {
    let f = Folder::new();
    f.run_ok(&["status"]);
    let before = dump(&f);
    let path = f.path("far.xlsx");
    let far = r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#;
    write_xlsx(&path, sheet("A1:XFD1048576", far), no_strings());
    assert!(std::fs::metadata(&path).unwrap().len() < 3000, "the file is about 2 KB");
    let (r, peak) = import_measured(&f, &path, "one cell at XFD1048576");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("名册") && r.stderr.contains("far.xlsx"), "{}", r.stderr);
    assert!(r.stderr.contains("工作表声明范围到 XFD1048576，超出可读范围：最多 1000000 行、256 列（到 IV1000000）"), "{}", r.stderr);
    assert!(peak < MEMORY_MB, "peak memory {peak:.1} MB");
    assert_eq!(dump(&f), before, "a refused file changes nothing");

    // The same cell under a <dimension> that claims less: found as it streams by.
    write_xlsx(&path, sheet("A1:A1", far), no_strings());
    let (r, peak) = import_measured(&f, &path, "one cell at XFD1048576, dimension A1:A1");
    assert!(r.code == 2 && r.stderr.contains("单元格 XFD1048576 超出可读范围：最多 1000000 行、256 列（到 IV1000000）"), "{}", r.stderr);
    assert!(peak < MEMORY_MB, "peak memory {peak:.1} MB");

    // Far away in one direction only: the row, then the column.
    for (cell, r_attr) in [("A1048576", "1048576"), ("XFD1", "1")] {
        let path = f.path("far2.xlsx");
        let rows = format!(r#"{}<row r="{r_attr}"><c r="{cell}"><v>1</v></c></row>"#, roster_rows());
        write_xlsx(&path, sheet("A1:E3", &rows), no_strings());
        let (r, peak) = import_measured(&f, &path, &format!("a roster and one cell at {cell}"));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains(&format!("单元格 {cell} 超出可读范围")), "{}", r.stderr);
        assert!(peak < MEMORY_MB, "peak memory {peak:.1} MB");
    }
    assert_eq!(dump(&f), before);
}

/// The sheet's `<dimension>` is not trusted in either direction: A1:XFD1048576 over three rows
/// allocates nothing and is refused before a cell is read; A1:A1 over cells elsewhere reads them
/// all.
#[cfg(unix)]
#[test]
fn a_lying_dimension_neither_allocates_nor_hides_cells() {
    let f = Folder::new();
    let path = f.path("lying.xlsx");
    write_xlsx(&path, sheet("A1:XFD1048576", &roster_rows()), no_strings());
    let (r, peak) = import_measured(&f, &path, "dimension A1:XFD1048576 over three rows");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("工作表声明范围到 XFD1048576") && r.stderr.contains("请只保留有数据的区域后另存"), "{}", r.stderr);
    assert!(peak < MEMORY_MB, "peak memory {peak:.1} MB");

    let f = Folder::new();
    write_xlsx(&path, sheet("A1:A1", &roster_rows()), no_strings());
    let (r, _) = import_measured(&f, &path, "dimension A1:A1 over three rows");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let listed = f.run_ok(&["org", "list", "--format", "csv"]);
    assert!(listed.contains("2301,红旗村党支部,23,党支部,农村"), "{listed}");
}

#[cfg(unix)]
#[test]
fn zip_bombs_are_refused_before_they_are_unpacked_into_memory() {
    let f = Folder::new();
    f.run_ok(&["status"]);
    let before = dump(&f);
    let gigabyte = 1 << 30;

    // Shared strings: calamine reads them whole when the workbook opens.
    let path = f.path("strings-bomb.xlsx");
    let t = Instant::now();
    let si = "<si><t>红旗村党支部红旗村党支部</t></si>";
    let strings = Part::Repeated {
        head: r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
        chunk: si,
        times: gigabyte / si.len(),
        tail: "</sst>",
    };
    write_xlsx(&path, sheet("A1:A1", &roster_rows()), strings);
    println!("wrote a 1 GB sharedStrings.xml bomb in {:.1} s", t.elapsed().as_secs_f64());
    let (r, peak) = import_measured(&f, &path, "1 GB sharedStrings.xml");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("名册") && r.stderr.contains("xl/sharedStrings.xml 解压后超过 64 MB"), "{}", r.stderr);
    assert!(peak < MEMORY_MB, "peak memory {peak:.1} MB");
    // The same bomb claiming to unpack to 1 KB, then to 60 MB (under the limit): the bytes are
    // counted as they come out, and the zip reader stops where the claim ends.
    for claim in [1024, 60 << 20] {
        claim_size(&path, "xl/sharedStrings.xml", claim);
        let (r, peak) = import_measured(&f, &path, &format!("1 GB sharedStrings.xml claiming {claim} bytes"));
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains(&format!("名册 {} 不是可读的 XLSX 文件（", path.display())), "{}", r.stderr);
        assert!(peak < MEMORY_MB, "peak memory {peak:.1} MB");
    }

    // The worksheet: streamed by calamine, but not without end.
    let path = f.path("sheet-bomb.xlsx");
    let t = Instant::now();
    let empty_row = r#"<row><c t="inlineStr"><is><t></t></is></c></row>"#;
    let rows = Part::Repeated {
        head: r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
        chunk: empty_row,
        times: gigabyte / empty_row.len(),
        tail: "</sheetData></worksheet>",
    };
    write_xlsx(&path, rows, no_strings());
    println!("wrote a 1 GB sheet1.xml bomb in {:.1} s", t.elapsed().as_secs_f64());
    let (r, peak) = import_measured(&f, &path, "1 GB sheet1.xml");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("xl/worksheets/sheet1.xml 解压后超过 256 MB"), "{}", r.stderr);
    assert!(peak < MEMORY_MB, "peak memory {peak:.1} MB");

    // One text node of 100 MB: the XML parser would hold it whole.
    let path = f.path("run-bomb.xlsx");
    let rows = Part::Repeated {
        head: r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#,
        chunk: "党支部",
        times: 100 * (1 << 20) / "党支部".len(),
        tail: "</t></is></c></row></sheetData></worksheet>",
    };
    write_xlsx(&path, rows, no_strings());
    let (r, peak) = import_measured(&f, &path, "one 100 MB text node");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("xl/worksheets/sheet1.xml 有一段超过 1 MB 的连续内容"), "{}", r.stderr);
    assert!(peak < MEMORY_MB, "peak memory {peak:.1} MB");
    assert_eq!(dump(&f), before, "a refused file changes nothing");
}

/// Millions of tiny shared strings fit in the size limit but each costs memory when the workbook
/// opens: they are counted first. The most the limit lets through still opens within bounds.
#[cfg(unix)]
#[test]
fn shared_strings_are_counted_before_the_workbook_opens() {
    let files = Folder::new();
    let path = files.path("tiny-strings.xlsx");
    let si = "<si><t>x</t></si>";
    for (times, accepted) in [(2_000_000, true), (2_000_001, false)] {
        let f = Folder::new();
        let strings = Part::Repeated {
            head: r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
            chunk: si,
            times,
            tail: "</sst>",
        };
        write_xlsx(&path, sheet("A1:A1", &roster_rows()), strings);
        let (r, peak) = import_measured(&f, &path, &format!("{times} shared strings"));
        assert_eq!(r.code == 0, accepted, "{}", r.stderr);
        if !accepted {
            assert!(r.stderr.contains("xl/sharedStrings.xml 有超过 2000000 条记录"), "{}", r.stderr);
        }
        assert!(peak < MEMORY_MB, "peak memory {peak:.1} MB");
    }
}

/// Styles are read whole and each format becomes a large record: the most the limit lets through
/// still opens within bounds, one more is refused.
#[cfg(unix)]
#[test]
fn styles_are_read_within_bounds() {
    let f = Folder::new();
    let path = f.path("styles.xlsx");
    let head = r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><fonts count="1"><font><sz val="11"/><color theme="1"/><name val="宋体"/><family val="2"/><charset val="134"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellXfs>"#;
    let xf =
        r#"<xf numFmtId="164" fontId="0" fillId="0" borderId="0"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>"#;
    for (times, accepted) in [(200_000 - 4, true), (200_000 - 3, false)] {
        let styles = Part::Repeated { head, chunk: xf, times, tail: "</cellXfs></styleSheet>" };
        write_parts(&path, vec![("xl/worksheets/sheet1.xml", sheet("A1:E3", &roster_rows())), ("xl/styles.xml", styles)]);
        let g = Folder::new();
        let (r, peak) = import_measured(&g, &path, &format!("{} formats in styles.xml", times + 4));
        assert_eq!(r.code == 0, accepted, "{}", r.stderr);
        if !accepted {
            assert!(r.stderr.contains("xl/styles.xml 有超过 200000 条记录"), "{}", r.stderr);
        }
        assert!(peak < MEMORY_MB, "peak memory {peak:.1} MB");
    }
}

/// Cell references beyond Excel's sheet or ranges that end before they start (found by fuzzing:
/// the XLSX library's arithmetic overflows on them) are refused naming the reference, in both
/// languages, and change nothing; a well-formed file beside them still imports.
#[test]
fn cell_references_beyond_excel_or_reversed_are_refused_by_name() {
    let f = Folder::new();
    f.run_ok(&["status"]);
    let before = dump(&f);
    let path = f.path("refs.xlsx");
    let cases = [
        ("A1:G3", format!(r#"{}<row r="4"><c r="AAAAAAA4"><v>1</v></c></row>"#, roster_rows()), "AAAAAAA4"),
        ("A1:G3", format!(r#"{}<row r="99999999999"><c r="A5"><v>1</v></c></row>"#, roster_rows()), "99999999999"),
        ("XinlineStr", roster_rows(), "XinlineStr"),
        ("B3:A1", roster_rows(), "B3:A1"),
    ];
    for (dimension, rows, named) in &cases {
        write_xlsx(&path, sheet(dimension, rows), no_strings());
        let r = f.run(&["org", "import", path.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{named}: {}", r.stderr);
        let expected = format!("名册 {} 中的 xl/worksheets/sheet1.xml 有无效的单元格引用“{named}”", path.display());
        assert!(r.stderr.contains(&expected), "{}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
    let r = f.run(&["--lang", "en", "org", "import", path.to_str().unwrap()]);
    assert!(r.code == 2 && r.stderr.contains("holds the cell reference \"B3:A1\", which is not valid"), "{}", r.stderr);
    assert_eq!(dump(&f), before, "a refused file changes nothing");
    write_xlsx(&path, sheet("A1:E3", &roster_rows()), no_strings());
    assert!(f.run_ok(&["org", "import", path.to_str().unwrap()]).contains("新增 2"));
}

#[test]
fn a_cell_longer_than_excel_allows_is_named_by_its_cell() {
    let f = Folder::new();
    let path = f.path("long.xlsx");
    let long = "党".repeat(40_000);
    let rows = format!("{}{}", roster_rows(), row(4, &["2302", &long, "23", "党支部", "农村"]));
    write_xlsx(&path, sheet("A1:E4", &rows), no_strings());
    let r = f.run(&["org", "import", path.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("单元格 B4：有 40000 个字符，超过了每个单元格 32767 个字符的上限"), "{}", r.stderr);
}

#[test]
fn a_file_over_the_size_limit_is_refused_from_its_metadata() {
    let f = Folder::new();
    let path = f.path("huge.csv");
    // Sparse: no disk is used, and nothing is read.
    std::fs::File::create(&path).unwrap().set_len(201 * 1024 * 1024).unwrap();
    let r = f.run(&["org", "import", path.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("名册") && r.stderr.contains("huge.csv 有 201 MB，超过了 200 MB 的上限"), "{}", r.stderr);
}

#[test]
fn os_errors_are_a_sentence_first_with_the_system_detail_after() {
    let f = Folder::new();
    let dir = f.path("a-folder.csv");
    std::fs::create_dir(&dir).unwrap();
    let r = f.run(&["org", "import", dir.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("无法读取名册") && r.stderr.contains("a-folder.csv：这是文件夹，不是文件（"), "{}", r.stderr);
    let r = f.run(&["--lang", "en", "org", "import", f.path("missing.csv").to_str().unwrap()]);
    assert!(r.stderr.contains("cannot read the roster") && r.stderr.contains("missing.csv: the file does not exist ("), "{}", r.stderr);
}

// ---- encodings

/// The roster fixture's text.
fn roster_text() -> String {
    std::fs::read_to_string(fixture("roster/roster.csv")).unwrap()
}

fn write(f: &Folder, name: &str, bytes: &[u8]) -> PathBuf {
    let path = f.path(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn utf8_bom_utf16_and_gb18030_rosters_import_alike() {
    let text = roster_text();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    // Excel's "Unicode text": UTF-16LE with BOM, cells separated by tabs (one cell holds a comma).
    let tabbed: String = {
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        rdr.records().map(|r| r.unwrap().iter().collect::<Vec<_>>().join("\t") + "\r\n").collect()
    };
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(tabbed.encode_utf16().flat_map(u16::to_le_bytes));
    let gb18030 = encoding_rs::GB18030.encode(&text).0.into_owned();
    let mut listings = Vec::new();
    for (name, bytes) in [("utf8.csv", text.as_bytes().to_vec()), ("bom.csv", bom), ("utf16.txt", utf16), ("gb18030.csv", gb18030)] {
        let f = Folder::new();
        let path = write(&f, name, &bytes);
        let r = f.run(&["org", "import", path.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        assert!(r.stdout.contains("新增 11"), "{name}: {}", r.stdout);
        listings.push((name, f.run_ok(&["org", "list", "--format", "csv"])));
    }
    for (name, listing) in &listings[1..] {
        assert_eq!(listing, &listings[0].1, "{name} imports like UTF-8");
    }
    assert!(listings[0].1.contains("孙丽, 副书记代"), "{}", listings[0].1);
}

/// A roster in English words with names in another script, as another office might send it.
fn foreign_roster(names: [&str; 4], secretary: &str) -> String {
    format!(
        "code,name,parent,level,field,secretary,members\nT1,{},,city,,,\nT2,{},T1,district,,,\nT3,{},T2,village,rural,,\nT4,{},T3,branch,,{secretary},36\n",
        names[0], names[1], names[2], names[3]
    )
}

#[test]
fn big5_shift_jis_and_latin1_are_refused_by_name_and_big5_reads_with_encoding() {
    let f = Folder::new();
    f.run_ok(&["status"]);
    let before = dump(&f);
    let big5_text = foreign_roster(["清河市", "東山縣", "紅旗村", "紅旗村黨支部"], "王建國");
    let files = [
        ("big5.csv", encoding_rs::BIG5, big5_text.clone(), "繁体中文 Big5", "big5"),
        (
            "sjis.csv",
            encoding_rs::SHIFT_JIS,
            foreign_roster(["東京都", "新宿区", "テスト村", "テスト村支部"], "山田太郎"),
            "日文",
            "shift_jis",
        ),
        (
            "latin1.csv",
            encoding_rs::WINDOWS_1252,
            foreign_roster(["Zürich", "Genève", "Châteaux-d'Œx", "Cellule Ménétrier"], "François Müller"),
            "西欧 Latin-1",
            "windows-1252",
        ),
    ];
    for (name, enc, text, words, label) in &files {
        let (bytes, _, unmappable) = enc.encode(text);
        assert!(!unmappable, "{name}");
        let path = write(&f, name, &bytes);
        let r = f.run(&["org", "import", path.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        let expected = format!("名册 {} 的编码看起来是{words}，不是 UTF-8 或 GB18030（GBK）", path.display());
        assert!(r.stderr.contains(&expected), "{name}: {}", r.stderr);
        assert!(r.stderr.contains(&format!("--encoding {label}")), "{name}: {}", r.stderr);
        assert_eq!(dump(&f), before, "{name}: a refused file changes nothing");
    }
    let en = f.run(&["--lang", "en", "org", "import", f.path("big5.csv").to_str().unwrap()]);
    assert!(en.stderr.contains("the roster") && en.stderr.contains("seems to be encoded as Traditional Chinese (Big5)"), "{}", en.stderr);

    let r = f.run(&["org", "import", f.path("big5.csv").to_str().unwrap(), "--encoding", "big5"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let listed = f.run_ok(&["org", "list", "--format", "csv"]);
    assert!(listed.contains("T4,紅旗村黨支部,T3,党支部,农村,王建國,36"), "{listed}");

    let r = f.run(&["org", "import", f.path("big5.csv").to_str().unwrap(), "--encoding", "klingon"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("未知的编码名称 \"klingon\""), "{}", r.stderr);
}

// ---- the kind of file in every message

#[test]
fn a_visit_sheet_with_a_bad_cell_is_called_a_visit_sheet() {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "400", "--seed", "5"]);
    let round = common::new_round(&f, "2026Q4", "检查表测试");
    let org =
        common::json(&f.run_ok(&["round", "show", &round, "--format", "json"]))["organisations"][0]["code"].as_str().unwrap().to_string();
    let blank = f.path("blank.csv");
    f.run_ok(&["visit", "sheet", "--round", &round, "--org", &org, "-o", blank.to_str().unwrap()]);
    let bytes = std::fs::read(&blank).unwrap();
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let before = dump(&f);

    rows[2][4] = "差不多".into();
    let bad = common::write_rows(&f, "bad-verdict.csv", &rows);
    let r = f.run(&["visit", "import", &bad, "--round", &round]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("检查表 {bad} 有 1 处错误")) && r.stderr.contains("第 3 行第 5 列（结论）"), "{}", r.stderr);

    rows[2][4] = "符合".into();
    rows[2][5] = "说".repeat(40_000);
    let long = common::write_rows(&f, "long-note.csv", &rows);
    let r = f.run(&["visit", "import", &long, "--round", &round]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("检查表 {long} 第 3 行第 6 列：有 40000 个字符")), "{}", r.stderr);

    let missing = common::write_rows(&f, "missing.csv", &rows.iter().map(|r| r[..4].to_vec()).collect::<Vec<_>>());
    let r = f.run(&["visit", "import", &missing, "--round", &round]);
    assert!(r.stderr.contains(&format!("检查表 {missing} 缺少列：结论")), "{}", r.stderr);
    assert!(!r.stderr.contains("名册"), "{}", r.stderr);
    let en = f.run(&["--lang", "en", "visit", "import", &long, "--round", &round]);
    assert!(en.stderr.contains(&format!("the visit sheet {long} line 3 column 6: 40000 characters")), "{}", en.stderr);
    assert_eq!(dump(&f), before, "a refused sheet records nothing");
}

#[test]
fn a_follow_up_list_with_a_bad_cell_is_called_a_follow_up_list() {
    let f = Folder::new();
    f.run_ok(&["status"]);
    let before = dump(&f);
    let header = vec!["问题编号".to_string(), "整改状态".to_string()];
    let bad = common::write_rows(&f, "bad.csv", &[header.clone(), vec!["2026Q9-0001".into(), "整改中".into()]]);
    let r = f.run(&["rectify", "import", &bad]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("整改回执 {bad} 有 1 处错误")) && r.stderr.contains("第 2 行第 1 列（问题编号）"), "{}", r.stderr);

    let missing = common::write_rows(&f, "missing.csv", &[vec!["问题编号".into(), "备注".into()], vec!["2026Q3-0001".into(), "x".into()]]);
    let r = f.run(&["rectify", "import", &missing]);
    assert!(r.stderr.contains(&format!("整改回执 {missing} 缺少列：整改状态（表头应包含：问题编号, 整改状态）")), "{}", r.stderr);

    let big5 = f.path("big5.csv");
    std::fs::write(&big5, encoding_rs::BIG5.encode("問題編號,整改狀態\n2026Q3-0001,整改中\n").0).unwrap();
    let r = f.run(&["rectify", "import", big5.to_str().unwrap()]);
    assert!(r.stderr.contains(&format!("整改回执 {} 的编码看起来是繁体中文 Big5", big5.display())), "{}", r.stderr);
    let r = f.run(&["--lang", "en", "rectify", "import", &missing]);
    assert!(r.stderr.contains(&format!("the follow-up list {missing} lacks the columns: 整改状态")), "{}", r.stderr);
    // The JSON export sent back, broken or of another shape.
    let js = f.path("list.json");
    for (text, why) in [("{\"rows\": [", "JSON 格式错误"), ("{\"items\": []}", "缺少 rows 数组")] {
        std::fs::write(&js, text).unwrap();
        let r = f.run(&["rectify", "import", js.to_str().unwrap()]);
        assert!(r.code == 2 && r.stderr.contains(&format!("整改回执 {}", js.display())) && r.stderr.contains(why), "{}", r.stderr);
    }
    assert_eq!(dump(&f), before);
}
