//! The speed goals of issue 10 and issue 13's documents, each measured with its baseline in the
//! same run, on data from the product's own generator (`demo --visited`: two used rounds, visits
//! for 80% of the Party organisations, findings, reviews, rectification steps).
//!
//! Run: `cargo bench --bench goals` (a city: 6,000 organisations), `XUNCHA_BENCH_ORGS=200000` for
//! a province. `XUNCHA_BENCH_ONLY=status,first_frame,bulletin` runs only those parts (names: verdict,
//! save_key, first_frame, dashboard_key, status, xlsx, csv, bulletin, bulletin_docx, bulletin_json,
//! notice_docx, attach;
//! xlsx also times the whole list exported through the export service); `XUNCHA_BENCH_DATA=DIR`
//! keeps the generated data folder there and reuses it on the next run (generating a province
//! takes minutes). `XUNCHA_BENCH_VISITED` changes the share (default 0.8).
//!
//! Memory figures come from a child process per measurement (this binary run again with
//! `--child OP DIR`), which reads its own peak resident memory (VmHWM) from /proc.
//!
//! Prints one table: work, goal, figure, baseline, ratio. Nothing here asserts a time.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use xuncha::domain::{ItemResult, Verdict, VisitStatus};
use xuncha::service::{Session, demo, status, visits};
use xuncha::store::Store;
use xuncha::template::Catalog;
use xuncha::tui::app::App;
use xuncha::tui::driver::Driver;

/// The bench's clock: inside the current quarter of the generated rounds, so arrivals, deadlines
/// and overdue marks are the same whenever it runs.
const NOW: &str = "2026-11-22 10:00";

fn clock() -> xuncha::clock::Clock {
    xuncha::clock::Clock::fixed_local(NOW).unwrap()
}

fn session(dir: &Path) -> Session {
    Session::new(Store::open(dir).unwrap(), "基准测试").with_clock(clock())
}

fn driver(dir: &Path) -> Driver {
    Driver {
        session: session(dir),
        catalog: Catalog::load(&[]),
        config: Default::default(),
        save_config: false,
        progress: None,
        key_path: dir.join("laptop.key"),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn sorted(mut v: Vec<Duration>) -> Vec<Duration> {
    v.sort();
    v
}

fn peak_rss_mib() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Draws the app's current screen on a 120x40 test terminal; the status line's text.
fn frame(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
    t.draw(|f| xuncha::tui::ui::draw(f, app)).unwrap();
    app.status.as_ref().map(|(s, _)| s.clone()).unwrap_or_default()
}

fn press(app: &mut App, d: &mut Driver, c: KeyCode) {
    let effects = app.key(KeyEvent::from(c));
    d.run(app, effects);
}

/// The head and foot of the bulletin as a county's office fills them (`[office]` in config.toml,
/// `--number`, `--date`).
fn county_office() -> xuncha::report::doc::Official {
    xuncha::report::doc::Official {
        issuer_mark: "中共基准县委组织部文件".into(),
        number: "基组通〔2026〕12号".into(),
        recipients: "各乡镇党委，县直各党（工）委，县委各部委办，县级国家机关各部门党组（党委）".into(),
        signature: "中共基准县委组织部".into(),
        date: "2026年11月22日".into(),
        cc: "县委办公室，县纪委监委机关，县委巡察办".into(),
        printed_by: "中共基准县委组织部办公室".into(),
        printed_on: "2026年11月22日".into(),
    }
}

fn county_notes() -> xuncha::report::bulletin::Notes {
    xuncha::report::bulletin::Notes::parse(
        "## 好的做法\n红旗村党支部坚持“三会一课”按月记录，问题清单逐条销号。\n城关镇建立整改台账，按周调度。\n\
         ## 工作要求\n一、各党（工）委于12月31日前报送整改情况。\n二、对逾期未整改的问题，县委组织部将约谈有关负责同志。\n",
    )
}

/// What `xuncha export bulletin --format FORMAT` asks the export service for, in a county.
fn bulletin_request<'a>(
    q: xuncha::domain::Quarter,
    notes: &'a xuncha::report::bulletin::Notes,
    format: xuncha::service::export::Format,
) -> xuncha::service::export::BulletinRequest<'a> {
    xuncha::service::export::BulletinRequest {
        quarter: q,
        area: None,
        as_of: None,
        notes,
        format,
        lang: xuncha::i18n::Lang::Zh,
        allow_empty: false,
        official: Some(county_office()),
        hub: None,
        dated: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default(),
    }
}

/// A file for a child to write to, beside the data (removed after).
/// `xuncha export notice --level 督办` over the whole data set, numbered `number` (each run a
/// notice of its own, so each records its steps as a real issue does).
fn notice_request(today: chrono::NaiveDate, number: &str) -> xuncha::service::notice::NoticeRequest<'static> {
    xuncha::service::notice::NoticeRequest {
        level: xuncha::domain::escalation::Rung::Supervise,
        area: None,
        as_of: None,
        fix_by: None,
        number: format!("基组督〔2026〕{number}号"),
        office: "中共基准县委组织部".into(),
        date: today,
        when: String::new(),
        place: String::new(),
        format: xuncha::service::export::Format::Docx,
        lang: xuncha::i18n::Lang::Zh,
        thresholds: Default::default(),
    }
}

fn out_file(dir: &Path, what: &str) -> PathBuf {
    dir.parent().unwrap_or(dir).join(format!("bench-out-{}-{what}", std::process::id()))
}

/// A document's paragraphs and table rows, counted in its word/document.xml.
fn docx_counts(bytes: &[u8]) -> (usize, usize) {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let n = |tag: &str| xml.matches(&format!("<{tag}>")).count() + xml.matches(&format!("<{tag} ")).count();
    (n("w:p"), n("w:tr"))
}

/// The bare docx-rs write of a plan (a JSON array: a string is a paragraph, an array of rows a
/// table): plain text, one run a paragraph, one paragraph a cell, no fonts, sizes or page setup.
fn raw_docx(plan: &serde_json::Value) -> Vec<u8> {
    use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};
    let para = |t: &str| Paragraph::new().add_run(Run::new().add_text(t));
    let mut d = Docx::new();
    for item in plan.as_array().unwrap() {
        match item {
            serde_json::Value::String(t) => d = d.add_paragraph(para(t)),
            serde_json::Value::Array(rows) => {
                let rows = rows
                    .iter()
                    .map(|r| {
                        TableRow::new(
                            r.as_array().unwrap().iter().map(|c| TableCell::new().add_paragraph(para(c.as_str().unwrap()))).collect(),
                        )
                    })
                    .collect();
                d = d.add_table(Table::new(rows));
            }
            _ => panic!("plan item {item}"),
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut out).unwrap();
    out.into_inner()
}

/// The bulletin's text as a plan for `raw_docx`: its headings, paragraphs and signature lines as
/// paragraphs, its tables (a header row and the body) as tables, the attachments' too; charts
/// left out, as the Word export leaves them out.
fn docx_plan(doc: &xuncha::report::doc::Document) -> Vec<serde_json::Value> {
    use xuncha::report::doc::Block;
    fn add(blocks: &[Block], plan: &mut Vec<serde_json::Value>) {
        for b in blocks {
            match b {
                Block::Heading(_, t) | Block::Paragraph(t) => plan.push(serde_json::json!(t)),
                Block::Table { header, rows } => {
                    plan.push(serde_json::json!(std::iter::once(header).chain(rows.iter()).collect::<Vec<_>>()));
                }
                Block::Chart(_) | Block::PageBreak => {}
                Block::Signatures(who) => plan.extend(who.iter().map(|w| serde_json::json!(w))),
            }
        }
    }
    let mut plan = Vec::new();
    add(&doc.blocks, &mut plan);
    for a in &doc.attachments {
        plan.push(serde_json::json!(a.title));
        add(&a.blocks, &mut plan);
    }
    plan
}

/// One measurement in a process of its own: prints "ms peak_mib", then any phases in ms.
fn child(op: &str, dir: &Path) {
    use xuncha::service::export::{self, Format};
    let t = Instant::now();
    let mut phases: Vec<f64> = Vec::new();
    match op {
        // `xuncha export bulletin --format docx|json` in a county: open, build the figures, lay
        // out, write the file through the export service.
        "bulletin_docx" | "bulletin_json" => {
            let format = if op == "bulletin_docx" { Format::Docx } else { Format::Json };
            let s = session(dir);
            let q = xuncha::domain::Quarter::of(s.today());
            let notes = county_notes();
            let out = out_file(dir, op);
            export::bulletin(&s, &bulletin_request(q, &notes, format), &out).unwrap();
            let _ = std::fs::remove_file(out);
        }
        // The same by hand, timing its phases: open, build, lay out and write the bytes, write
        // the file.
        "phases_docx" | "phases_json" => {
            let s = session(dir);
            phases.push(ms(t.elapsed()));
            let q = xuncha::domain::Quarter::of(s.today());
            let opts = xuncha::report::bulletin::Options { quarter: q, area: None, as_of: None, lang: xuncha::i18n::Lang::Zh };
            let b = xuncha::report::bulletin::build_with(&s, &opts, s.today()).unwrap();
            phases.push(ms(t.elapsed()));
            let bytes = if op == "phases_docx" {
                let mut doc = xuncha::report::bulletin::document(&b, &county_notes());
                doc.official = Some(county_office());
                doc.blocks.retain(|b| !matches!(b, xuncha::report::doc::Block::Chart(_)));
                xuncha::report::docx::docx(&doc).unwrap()
            } else {
                xuncha::report::bulletin::json(&b).unwrap()
            };
            phases.push(ms(t.elapsed()));
            let out = out_file(dir, op);
            std::fs::write(&out, &bytes).unwrap();
            phases.push(ms(t.elapsed()));
            let _ = std::fs::remove_file(out);
        }
        // `xuncha export notice --level 督办`: open, list the problems at 督办 or above, lay out,
        // write, record the notice in each problem's history.
        "notice_docx" => {
            let s = session(dir);
            let out = out_file(dir, op);
            xuncha::service::notice::issue(&s, &notice_request(s.today(), &std::process::id().to_string()), &out).unwrap();
            let _ = std::fs::remove_file(out);
        }
        // `xuncha export rectification --format xlsx`: the whole list through the export service.
        "export_xlsx" => {
            let s = session(dir);
            let out = out_file(dir, op);
            export::rectification_in(&s, &Default::default(), Format::Xlsx, xuncha::i18n::Lang::Zh, &out, &mut |_, _| {}).unwrap();
            let _ = std::fs::remove_file(out);
        }
        // The same by hand, timing its phases: open, the rows, the counts sheet's
        // rectification figures (from the visit summaries, as the service counts them), the
        // workbook's bytes, the file.
        "phases_xlsx" => {
            use xuncha::domain::figures::{Period, rectification};
            use xuncha::report::bulletin::{as_of, quarter_end, quarter_start};
            let s = session(dir);
            phases.push(ms(t.elapsed()));
            let lang = xuncha::i18n::Lang::Zh;
            let rows = xuncha::report::rectification::rows_in(&s, &Default::default(), s.today(), lang, &mut |_, _| {}).unwrap();
            phases.push(ms(t.elapsed()));
            let q = xuncha::domain::Quarter::of(s.today());
            let period = Period { start: quarter_start(q), end: quarter_end(q), as_of: as_of(q, None, s.today()) };
            let listed: std::collections::HashSet<_> = rows.iter().map(|r| r.id).collect();
            let rounds: std::collections::BTreeSet<_> = rows.iter().map(|r| r.round_id).collect();
            let mut timelines = Vec::new();
            for round in rounds {
                for v in s.visit_summaries(round).unwrap() {
                    timelines.extend(v.problems.into_iter().filter(|p| listed.contains(&p.id)).map(|p| p.timeline));
                }
            }
            let figures = rectification(timelines.iter().map(|t| (t, false)), &period);
            let scope = xuncha::report::rectification::scope(None, None, &rows, lang);
            let heading = xuncha::report::writers::Heading { scope, exported_on: s.today(), figures: Some((period, figures)) };
            phases.push(ms(t.elapsed()));
            let bytes = xuncha::report::writers::xlsx_in(&rows, &heading, lang).unwrap();
            phases.push(ms(t.elapsed()));
            let out = out_file(dir, op);
            std::fs::write(&out, &bytes).unwrap();
            phases.push(ms(t.elapsed()));
            let _ = std::fs::remove_file(out);
        }
        // Baselines: `dir` is a plan file the parent wrote; reading it is not timed.
        "raw_docx" | "raw_json" | "raw_xlsx" => {
            let plan: serde_json::Value = serde_json::from_slice(&std::fs::read(dir).unwrap()).unwrap();
            let t = Instant::now();
            let bytes = match op {
                "raw_docx" => raw_docx(&plan),
                "raw_json" => serde_json::to_vec_pretty(&plan).unwrap(),
                _ => {
                    let mut wb = rust_xlsxwriter::Workbook::new();
                    let ws = wb.add_worksheet();
                    for (i, row) in plan.as_array().unwrap().iter().enumerate() {
                        for (c, v) in row.as_array().unwrap().iter().enumerate() {
                            ws.write_string(i as u32, c as u16, v.as_str().unwrap()).unwrap();
                        }
                    }
                    wb.save_to_buffer().unwrap()
                }
            };
            let out = out_file(dir, op);
            std::fs::write(&out, &bytes).unwrap();
            let _ = std::fs::remove_file(out);
            println!("{} {}", ms(t.elapsed()), peak_rss_mib());
            return;
        }
        // What `xuncha status` does: open the store, count, load the templates.
        "status" => {
            let s = session(dir);
            let st = status::status(&s);
            let cat = Catalog::load(&[]);
            std::hint::black_box((st, cat.loaded.len()));
        }
        // The quarter's bulletin as `export bulletin --format html` builds it.
        "bulletin" => {
            let s = session(dir);
            let q = xuncha::domain::Quarter::of(s.today());
            let b = xuncha::report::bulletin::build(&s, q, None, s.today()).unwrap();
            std::hint::black_box(xuncha::report::bulletin::html(&b, &Default::default()));
        }
        // The first frame after the program opens the store: the rounds home.
        "first_frame" => {
            let d = driver(dir);
            let app = xuncha::tui::start(&d, Default::default(), false).unwrap();
            frame(&app);
        }
        other => panic!("unknown child op {other}"),
    }
    let phases: Vec<String> = phases.iter().map(|p| p.to_string()).collect();
    println!("{} {} {}", ms(t.elapsed()), peak_rss_mib(), phases.join(" "));
}

/// Runs `op` in `runs` child processes: the times (sorted) and the highest peak memory.
fn in_children(op: &str, dir: &Path, runs: usize) -> (Vec<Duration>, f64) {
    let (times, peak, _) = in_children_phases(op, dir, runs);
    (times, peak)
}

/// `in_children`, with the phases (cumulative ms) the median run printed.
fn in_children_phases(op: &str, dir: &Path, runs: usize) -> (Vec<Duration>, f64, Vec<f64>) {
    let exe = std::env::current_exe().unwrap();
    let mut runs_seen: Vec<(Duration, Vec<f64>)> = Vec::new();
    let mut peak: f64 = 0.0;
    for _ in 0..runs {
        let out = std::process::Command::new(&exe).args(["--child", op]).arg(dir).output().unwrap();
        assert!(out.status.success(), "child {op}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        let mut it = text.split_whitespace();
        let t: f64 = it.next().unwrap().parse().unwrap();
        let m: f64 = it.next().unwrap().parse().unwrap();
        let phases: Vec<f64> = it.map(|p| p.parse().unwrap()).collect();
        runs_seen.push((Duration::from_secs_f64(t / 1e3), phases));
        peak = peak.max(m);
    }
    runs_seen.sort_by_key(|r| r.0);
    let phases = runs_seen[(runs_seen.len() - 1) / 2].1.clone();
    (runs_seen.into_iter().map(|r| r.0).collect(), peak, phases)
}

/// Phases printed as cumulative times, as the time each took: "open 25, build 80, …".
fn phase_text(names: &[&str], cumulative: &[f64]) -> String {
    let mut last = 0.0;
    names
        .iter()
        .zip(cumulative)
        .map(|(n, c)| {
            let took = c - last;
            last = *c;
            format!("{n} {took:.0}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

struct Line {
    work: String,
    goal: String,
    figure: String,
    baseline: String,
    ratio: String,
}

fn line(work: impl Into<String>, goal: &str, figure: String, baseline: &str, ratio: String) -> Line {
    Line { work: work.into(), goal: goal.to_string(), figure, baseline: baseline.to_string(), ratio }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        child(&args[2], Path::new(&args[3]));
        return;
    }
    let n: usize = std::env::var("XUNCHA_BENCH_ORGS").ok().and_then(|v| v.parse().ok()).unwrap_or(6000);
    let visited: f64 = std::env::var("XUNCHA_BENCH_VISITED").ok().and_then(|v| v.parse().ok()).unwrap_or(0.8);
    let only: Option<Vec<String>> = std::env::var("XUNCHA_BENCH_ONLY").ok().map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let run = |part: &str| only.as_ref().is_none_or(|o| o.iter().any(|p| p == part));
    let tmp = tempfile::tempdir().unwrap();
    let dir: PathBuf = std::env::var("XUNCHA_BENCH_DATA").map(PathBuf::from).unwrap_or_else(|_| tmp.path().join("data"));

    // The data: the product's generator, or the folder it filled on an earlier run.
    let cat = Catalog::load(&[]);
    let template = cat.get("dangzhibu").unwrap();
    let fresh = !dir.join("db").exists();
    let mut gen_note = String::from("reused");
    if fresh {
        let s = session(&dir);
        let t = Instant::now();
        let f = demo::fill_used(&s, n, 1, visited, Some(template)).unwrap();
        gen_note = format!(
            "{:.1} s: {} organisations, {} rounds, {} visits ({} approved), {} results, {} findings",
            t.elapsed().as_secs_f64(),
            f.orgs,
            f.rounds,
            f.visits,
            f.approved,
            f.results,
            f.findings
        );
    }
    let s = session(&dir);
    let results = s.raw_store().count(xuncha::store::Table::Results);
    let findings_n = s.raw_store().count(xuncha::store::Table::Findings);
    let orgs_n = s.raw_store().count(xuncha::store::Table::Orgs);
    let mut rounds = s.raw_store().rounds().unwrap();
    rounds.sort_by_key(|r| std::cmp::Reverse((r.quarter, r.id)));
    let current = rounds[0].clone();
    // Visits an inspector can still answer: the ones nobody has started.
    let open: Vec<String> =
        s.raw_store().visits(current.id).unwrap().into_iter().filter(|v| v.status == VisitStatus::NotStarted).map(|v| v.org).collect();
    let items: Vec<String> = template.template.items().filter(|(_, i)| i.fields.is_empty()).map(|(_, i)| i.id.clone()).collect();
    drop(s);
    let mut lines: Vec<Line> = Vec::new();

    if run("verdict") {
        let s = session(&dir);
        let samples = 300;
        let verdict = sorted(
            (0..samples)
                .map(|i| {
                    let org = &open[i / items.len() % open.len()];
                    let item = &items[i % items.len()];
                    let t = Instant::now();
                    visits::record_verdict(&s, current.id, org, item, Some(Verdict::Meets), "", false).unwrap();
                    t.elapsed()
                })
                .collect(),
        );
        // The bytes the service stores for one result: its key and its enveloped JSON.
        let result = ItemResult {
            round: current.id,
            org: open[0].clone(),
            item: items[0].clone(),
            verdict: Some(Verdict::Meets),
            note: String::new(),
            count: None,
            by: "基准测试".into(),
            at: clock().now(),
        };
        let value = serde_json::to_vec(&serde_json::json!({ "v": 1, "d": result })).unwrap();
        drop(s);
        let raw_dir = tempfile::tempdir_in(dir.parent().unwrap()).unwrap();
        let db = sled::Config::new().path(raw_dir.path()).cache_capacity(64 * 1024 * 1024).open().unwrap();
        let tree = db.open_tree("results").unwrap();
        let raw = sorted(
            (0..samples)
                .map(|i| {
                    let key = xuncha::store::keys::Key::new()
                        .part(current.id)
                        .part(open[i / items.len() % open.len()].as_str())
                        .part(items[i % items.len()].as_str())
                        .bytes();
                    let t = Instant::now();
                    tree.insert(key, value.as_slice()).unwrap();
                    db.flush().unwrap();
                    t.elapsed()
                })
                .collect(),
        );
        let (v, r) = (pct(&verdict, 0.5), pct(&raw, 0.5));
        lines.push(line(
            format!("record one verdict, acknowledged after flush ({samples} runs, median; p95 {:.3} ms)", ms(pct(&verdict, 0.95))),
            "≤ 1.5x raw",
            format!("{:.3} ms", ms(v)),
            &format!("{:.3} ms raw sled insert+flush of the same {} bytes (p95 {:.3} ms)", ms(r), value.len(), ms(pct(&raw, 0.95))),
            format!("{:.2}x", v.as_secs_f64() / r.as_secs_f64()),
        ));
    }

    if run("first_frame") {
        let runs = if orgs_n > 50_000 { 3 } else { 5 };
        let (times, peak) = in_children("first_frame", &dir, runs);
        let goal = if orgs_n > 50_000 { "< 1 s" } else { "< 100 ms" };
        lines.push(line(
            format!(
                "first frame: open the store, the rounds home drawn ({runs} processes, median; max {:.0} ms; peak {peak:.0} MiB)",
                ms(*times.last().unwrap())
            ),
            goal,
            format!("{:.1} ms", ms(pct(&times, 0.5))),
            "-",
            "-".into(),
        ));
    }

    if run("save_key") || run("dashboard_key") {
        let mut d = driver(&dir);
        let mut app = xuncha::tui::start(&d, Default::default(), false).unwrap();
        frame(&app);
        // Home → the current round (newest first) → its dashboard.
        press(&mut app, &mut d, KeyCode::Enter);
        frame(&app);
        if run("dashboard_key") {
            let mut times = Vec::new();
            for i in 0..300 {
                let c = if (i / 50) % 2 == 0 { KeyCode::Char('j') } else { KeyCode::Char('k') };
                let t = Instant::now();
                press(&mut app, &mut d, c);
                frame(&app);
                times.push(t.elapsed());
            }
            let times = sorted(times);
            lines.push(line(
                format!(
                    "key press to frame on the round dashboard ({} visits; j/k, 300 presses; median {:.2} ms)",
                    current.org_count,
                    ms(pct(&times, 0.5))
                ),
                "p99 < 16 ms",
                format!("p99 {:.2} ms", ms(pct(&times, 0.99))),
                "-",
                "-".into(),
            ));
        }
        if run("save_key") {
            // Search an unstarted visit by its code, open it, and answer items with `y`.
            let mut times = Vec::new();
            for org in open.iter().take(3) {
                // `/` then Esc clears the last search; `/` again types this one.
                press(&mut app, &mut d, KeyCode::Char('/'));
                press(&mut app, &mut d, KeyCode::Esc);
                press(&mut app, &mut d, KeyCode::Char('/'));
                for c in org.chars() {
                    press(&mut app, &mut d, KeyCode::Char(c));
                }
                press(&mut app, &mut d, KeyCode::Enter);
                press(&mut app, &mut d, KeyCode::Enter);
                frame(&app);
                for _ in 0..20 {
                    let t = Instant::now();
                    press(&mut app, &mut d, KeyCode::Char('y'));
                    let status = frame(&app);
                    times.push(t.elapsed());
                    assert!(status.starts_with("已保存"), "status after y: {status}");
                }
                press(&mut app, &mut d, KeyCode::Char('q'));
                frame(&app);
            }
            let times = sorted(times);
            let goal = if orgs_n > 50_000 { "< 50 ms" } else { "< 20 ms" };
            lines.push(line(
                format!(
                    "key y to 已保存 on screen, dashboard below ({} presses, median; p95 {:.2} ms)",
                    times.len(),
                    ms(pct(&times, 0.95))
                ),
                goal,
                format!("{:.2} ms", ms(pct(&times, 0.5))),
                "-",
                "-".into(),
            ));
        }
    }

    if run("status") {
        let (times, peak) = in_children("status", &dir, 5);
        lines.push(line(
            "status (open the store, count, templates; 5 processes, median)",
            "< 50 ms, < 100 MB",
            format!("{:.1} ms, {peak:.0} MiB", ms(pct(&times, 0.5))),
            "-",
            "-".into(),
        ));
    }

    if run("xlsx") || run("csv") {
        let s = session(&dir);
        let mut rows = xuncha::report::rectification::rows(&s, &Default::default(), s.today()).unwrap();
        let official = rows.len();
        // 30,000 findings: the first 30,000 of the list, or the list repeated up to 30,000 (a
        // city holds fewer), renumbered.
        let base = rows.clone();
        while rows.len() < 30_000 && !base.is_empty() {
            rows.extend(base.iter().take(30_000 - rows.len()).cloned());
        }
        rows.truncate(30_000);
        for (i, r) in rows.iter_mut().enumerate() {
            r.seq = i + 1;
        }
        let how =
            if official >= 30_000 { format!("first 30,000 of {official}") } else { format!("{official} official repeated to 30,000") };
        let cells: Vec<Vec<String>> = rows.iter().map(|r| r.cells()).collect();
        if run("xlsx") {
            let heading = xuncha::report::writers::Heading { scope: String::new(), exported_on: s.today(), figures: None };
            let raw = || {
                let mut wb = rust_xlsxwriter::Workbook::new();
                let ws = wb.add_worksheet();
                for (c, h) in xuncha::report::rectification::COLUMNS.iter().enumerate() {
                    ws.write_string(0, c as u16, *h).unwrap();
                }
                for (i, row) in cells.iter().enumerate() {
                    for (c, v) in row.iter().enumerate() {
                        ws.write_string((i + 1) as u32, c as u16, v).unwrap();
                    }
                }
                wb.save_to_buffer().unwrap().len()
            };
            let (product, raw) = alternating(5, || xuncha::report::writers::xlsx(&rows, &heading).unwrap().len(), raw);
            let (p, r) = (pct(&product, 0.5), pct(&raw, 0.5));
            lines.push(line(
                format!("rectification list as xlsx, 30,000 findings ({how}; 5 runs each, alternating, median)"),
                "≤ 1.3x rust_xlsxwriter",
                format!("{:.0} ms", ms(p)),
                &format!("{:.0} ms rust_xlsxwriter, same strings, one sheet, no formats", ms(r)),
                format!("{:.2}x", p.as_secs_f64() / r.as_secs_f64()),
            ));
            // The whole list as `export rectification --format xlsx` writes it: the rows read,
            // the title rows, the counts sheet with its rectification figures, the print setup,
            // the file; against rust_xlsxwriter writing the same strings to a file.
            let mut plan = vec![xuncha::report::rectification::COLUMNS.iter().map(|c| c.to_string()).collect::<Vec<_>>()];
            plan.extend(base.iter().map(|r| r.cells()));
            let plans = tempfile::tempdir_in(dir.parent().unwrap()).unwrap();
            let plan_file = plans.path().join("xlsx.json");
            std::fs::write(&plan_file, serde_json::to_vec(&plan).unwrap()).unwrap();
            // The children open the store: this process lets go of it first.
            drop(s);
            let runs = if official > 50_000 { 1 } else { 3 };
            let (product, peak, raw, raw_peak) = alternating_children(("export_xlsx", &dir), ("raw_xlsx", &plan_file), runs);
            let (_, _, phases) = in_children_phases("phases_xlsx", &dir, runs);
            let (p, r) = (pct(&product, 0.5), pct(&raw, 0.5));
            lines.push(line(
                format!(
                    "rectification list exported as xlsx, all {official} findings (export service: title rows, counts and figures sheet, \
                     print setup, file; {runs} processes each, alternating, median; phases of the median of {runs} more runs: {} ms)",
                    phase_text(&["open", "rows", "figures", "xlsx", "write"], &phases)
                ),
                "-",
                format!("{:.0} ms, {peak:.0} MiB", ms(p)),
                &format!("{:.0} ms, {raw_peak:.0} MiB rust_xlsxwriter, same strings, one sheet, no formats, to a file", ms(r)),
                format!("{:.2}x", p.as_secs_f64() / r.as_secs_f64()),
            ));
        }
        if run("csv") {
            let raw = || {
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(xuncha::report::rectification::COLUMNS).unwrap();
                for row in &cells {
                    w.write_record(row).unwrap();
                }
                w.into_inner().unwrap().len()
            };
            let (product, raw) = alternating(9, || xuncha::report::writers::csv(&rows).unwrap().len(), raw);
            let (p, r) = (pct(&product, 0.5), pct(&raw, 0.5));
            lines.push(line(
                format!("rectification list as csv, 30,000 findings ({how}; 9 runs each, alternating, median)"),
                "≤ 2x csv crate",
                format!("{:.1} ms", ms(p)),
                &format!("{:.1} ms csv crate, same strings", ms(r)),
                format!("{:.2}x", p.as_secs_f64() / r.as_secs_f64()),
            ));
        }
    }

    if run("bulletin") {
        let (times, peak) = in_children("bulletin", &dir, 3);
        lines.push(line(
            "quarter's bulletin as HTML (open, build, write; 3 processes, median)",
            "< 2 s, < 250 MB peak",
            format!("{:.0} ms, {peak:.0} MiB", ms(pct(&times, 0.5))),
            "-",
            "-".into(),
        ));
    }

    if run("bulletin_docx") || run("bulletin_json") {
        // The bulletin once in this process, for its size and the baselines' plans.
        let s = session(&dir);
        let q = xuncha::domain::Quarter::of(s.today());
        let opts = xuncha::report::bulletin::Options { quarter: q, area: None, as_of: None, lang: xuncha::i18n::Lang::Zh };
        let b = xuncha::report::bulletin::build_with(&s, &opts, s.today()).unwrap();
        drop(s);
        let plans = tempfile::tempdir_in(dir.parent().unwrap()).unwrap();
        if run("bulletin_docx") {
            // The document as the Word export writes it, and its size.
            let mut doc = xuncha::report::bulletin::document(&b, &county_notes());
            doc.official = Some(county_office());
            doc.blocks.retain(|b| !matches!(b, xuncha::report::doc::Block::Chart(_)));
            let bytes = xuncha::report::docx::docx(&doc).unwrap();
            let (paras, rows) = docx_counts(&bytes);
            // The body rows of its tables: the body's, and each attachment's.
            let body_rows = |blocks: &[xuncha::report::doc::Block]| -> usize {
                blocks.iter().map(|b| if let xuncha::report::doc::Block::Table { rows, .. } = b { rows.len() } else { 0 }).sum()
            };
            let mut tables = format!("body tables {} rows", body_rows(&doc.blocks));
            for (i, a) in doc.attachments.iter().enumerate() {
                tables.push_str(&format!(", 附件{} {}", i + 1, body_rows(&a.blocks)));
            }
            // The baseline: the same text, tables and rows, padded with empty paragraphs to the
            // same number of paragraphs (the 公文's head, blank lines, 版记).
            let mut plan = docx_plan(&doc);
            let (bare_paras, _) = docx_counts(&raw_docx(&serde_json::json!(plan)));
            plan.extend((bare_paras..paras).map(|_| serde_json::json!("")));
            let plan = serde_json::json!(plan);
            let raw_bytes = raw_docx(&plan);
            let (raw_paras, raw_rows) = docx_counts(&raw_bytes);
            let plan_file = plans.path().join("docx.json");
            std::fs::write(&plan_file, serde_json::to_vec(&plan).unwrap()).unwrap();
            let (product, peak, raw, raw_peak) = alternating_children(("bulletin_docx", &dir), ("raw_docx", &plan_file), 3);
            let (_, _, phases) = in_children_phases("phases_docx", &dir, 3);
            let (p, r) = (pct(&product, 0.5), pct(&raw, 0.5));
            lines.push(line(
                format!(
                    "quarter's bulletin as a Word 公文 with a county's head and foot (export service, `--format docx`: open, build, \
                     lay out, write; 3 processes each, alternating, median; {paras} paragraphs, {rows} table rows ({tables}), \
                     {} bytes; phases of the median of 3 more runs: {} ms)",
                    bytes.len(),
                    phase_text(&["open", "build", "lay out + docx", "write"], &phases)
                ),
                "< 2 s, < 250 MB peak",
                format!("{:.0} ms, {peak:.0} MiB", ms(p)),
                &format!(
                    "{:.1} ms, {raw_peak:.0} MiB: bare docx-rs write of the same text, plain ({raw_paras} paragraphs, \
                     {raw_rows} table rows, {} bytes)",
                    ms(r),
                    raw_bytes.len()
                ),
                format!("{:.1}x", p.as_secs_f64() / r.as_secs_f64()),
            ));
        }
        if run("bulletin_json") {
            // The baseline: the same value (the export's JSON read back), written pretty.
            let bytes = xuncha::report::bulletin::json(&b).unwrap();
            let plan_file = plans.path().join("json.json");
            std::fs::write(&plan_file, &bytes).unwrap();
            let (product, peak, raw, raw_peak) = alternating_children(("bulletin_json", &dir), ("raw_json", &plan_file), 3);
            let (_, _, phases) = in_children_phases("phases_json", &dir, 3);
            let (p, r) = (pct(&product, 0.5), pct(&raw, 0.5));
            lines.push(line(
                format!(
                    "quarter's bulletin as JSON (export service, `--format json`: open, build, write; 3 processes each, alternating, \
                     median; {} bytes; phases of the median of 3 more runs: {} ms)",
                    bytes.len(),
                    phase_text(&["open", "build", "json", "write"], &phases)
                ),
                "< 2 s, < 250 MB peak",
                format!("{:.0} ms, {peak:.0} MiB", ms(p)),
                &format!("{:.2} ms, {raw_peak:.0} MiB: serde_json::to_vec_pretty of the same value, written", ms(r)),
                format!("{:.0}x", p.as_secs_f64() / r.as_secs_f64()),
            ));
        }
    }

    if run("notice_docx") {
        // The notices once in this process (nothing recorded), for their size and the baseline.
        let s = session(&dir);
        let notices = xuncha::service::notice::prepare(&s, &notice_request(s.today(), "0")).unwrap();
        drop(s);
        let doc = xuncha::report::notice::document(&notices);
        let bytes = xuncha::report::docx::docx(&doc).unwrap();
        let (paras, rows) = docx_counts(&bytes);
        let mut plan = docx_plan(&doc);
        let (bare_paras, _) = docx_counts(&raw_docx(&serde_json::json!(plan)));
        plan.extend((bare_paras..paras).map(|_| serde_json::json!("")));
        let plan = serde_json::json!(plan);
        let raw_bytes = raw_docx(&plan);
        let (raw_paras, raw_rows) = docx_counts(&raw_bytes);
        let plans = tempfile::tempdir_in(dir.parent().unwrap()).unwrap();
        let plan_file = plans.path().join("notice.json");
        std::fs::write(&plan_file, serde_json::to_vec(&plan).unwrap()).unwrap();
        let (product, peak, raw, raw_peak) = alternating_children(("notice_docx", &dir), ("raw_docx", &plan_file), 3);
        let (p, r) = (pct(&product, 0.5), pct(&raw, 0.5));
        lines.push(line(
            format!(
                "督办通知单 for every problem at 督办 or above (export service, `export notice --level 督办`: open, list, lay out, \
                 write, record the notice in each problem's history; {} organisations, {} problems, {paras} paragraphs, {rows} table \
                 rows, {} bytes; 3 processes each, alternating, median)",
                notices.orgs.len(),
                notices.problem_count(),
                bytes.len()
            ),
            "-",
            format!("{:.0} ms, {peak:.0} MiB", ms(p)),
            &format!(
                "{:.1} ms, {raw_peak:.0} MiB: bare docx-rs write of the same text, plain ({raw_paras} paragraphs, {raw_rows} table rows, {} bytes)",
                ms(r),
                raw_bytes.len()
            ),
            format!("{:.1}x", p.as_secs_f64() / r.as_secs_f64()),
        ));
    }

    if run("attach") {
        // `xuncha rectify attach`: a 10 MiB scan to a problem's rectification, five times, each a
        // file of its own (never one already kept).
        use std::io::Write;
        let s = session(&dir);
        let number = xuncha::service::findings::list(&s, None, None).unwrap().into_iter().find_map(|f| f.number).unwrap();
        let files = tempfile::tempdir_in(dir.parent().unwrap()).unwrap();
        let (mut product, mut raw) = (Vec::new(), Vec::new());
        for i in 0..5u32 {
            let mut bytes = format!("%PDF-1.4\n%{} {i}\n", std::process::id()).into_bytes();
            bytes.extend((0..10usize * 1024 * 1024).map(|j| (j as u8).wrapping_mul(31).wrapping_add(i as u8)));
            let src = files.path().join(format!("scan{i}.pdf"));
            std::fs::write(&src, &bytes).unwrap();
            let t = Instant::now();
            xuncha::service::evidence::attach_to_step(&s, &number, &src, "", 20).unwrap();
            product.push(t.elapsed());
            // The baseline: the same bytes read and written to a file of its own, fsynced.
            let t = Instant::now();
            let b = std::fs::read(&src).unwrap();
            let mut f = std::fs::File::create(files.path().join(format!("copy{i}"))).unwrap();
            f.write_all(&b).unwrap();
            f.sync_all().unwrap();
            raw.push(t.elapsed());
        }
        product.sort();
        raw.sort();
        let (p, r) = (pct(&product, 0.5), pct(&raw, 0.5));
        lines.push(line(
            "attach a 10 MiB scan to a problem's rectification (`rectify attach` through the service: find the problem, read, \
             SHA-256, kind by content, keep under its hash with fsync, read-only, the step committed and flushed; 5 runs, median)",
            "-",
            format!("{:.0} ms", ms(p)),
            &format!("{:.0} ms: the same bytes read and written to a file, fsynced", ms(r)),
            format!("{:.1}x", p.as_secs_f64() / r.as_secs_f64()),
        ));
    }

    println!(
        "xuncha goals benchmark: {orgs_n} organisations, {} rounds, {results} results, {findings_n} findings; data: {gen_note}",
        rounds.len()
    );
    println!();
    println!("| work | goal | figure | baseline | ratio |");
    println!("| --- | --- | --- | --- | --- |");
    for l in &lines {
        println!("| {} | {} | {} | {} | {} |", l.work, l.goal, l.figure, l.baseline, l.ratio);
    }
}

/// Runs two child measurements `n` times each, one after the other: the first's times (sorted)
/// and peak, the second's.
fn alternating_children(a: (&str, &Path), b: (&str, &Path), n: usize) -> (Vec<Duration>, f64, Vec<Duration>, f64) {
    let (mut at, mut ap, mut bt, mut bp) = (Vec::new(), 0.0f64, Vec::new(), 0.0f64);
    for _ in 0..n {
        let (t, p) = in_children(a.0, a.1, 1);
        at.extend(t);
        ap = ap.max(p);
        let (t, p) = in_children(b.0, b.1, 1);
        bt.extend(t);
        bp = bp.max(p);
    }
    (sorted(at), ap, sorted(bt), bp)
}

/// Runs the product and its baseline `n` times each, one after the other, so that neither gets
/// a warmer cache or allocator; returns both sets of times, sorted.
fn alternating<A, B>(n: usize, mut product: impl FnMut() -> A, mut baseline: impl FnMut() -> B) -> (Vec<Duration>, Vec<Duration>) {
    let (mut p, mut b) = (Vec::new(), Vec::new());
    for _ in 0..n {
        p.push(timed(&mut product));
        b.push(timed(&mut baseline));
    }
    (sorted(p), sorted(b))
}

fn timed<T>(f: impl FnOnce() -> T) -> Duration {
    let t = Instant::now();
    std::hint::black_box(f());
    t.elapsed()
}
