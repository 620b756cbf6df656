//! The speed goals of issue 10, each measured with its baseline in the same run, on data from the
//! product's own generator (`demo --visited`: two used rounds, visits for 80% of the Party
//! organisations, findings, reviews, rectification steps).
//!
//! Run: `cargo bench --bench goals` (a city: 6,000 organisations), `XUNCHA_BENCH_ORGS=200000` for
//! a province. `XUNCHA_BENCH_ONLY=status,first_frame,bulletin` runs only those parts (names: verdict,
//! save_key, first_frame, dashboard_key, status, xlsx, csv, bulletin); `XUNCHA_BENCH_DATA=DIR`
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

/// One measurement in a process of its own: prints "ms peak_mib".
fn child(op: &str, dir: &Path) {
    let t = Instant::now();
    match op {
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
    println!("{} {}", ms(t.elapsed()), peak_rss_mib());
}

/// Runs `op` in `runs` child processes: the times (sorted) and the highest peak memory.
fn in_children(op: &str, dir: &Path, runs: usize) -> (Vec<Duration>, f64) {
    let exe = std::env::current_exe().unwrap();
    let mut times = Vec::new();
    let mut peak: f64 = 0.0;
    for _ in 0..runs {
        let out = std::process::Command::new(&exe).args(["--child", op]).arg(dir).output().unwrap();
        assert!(out.status.success(), "child {op}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        let mut it = text.split_whitespace();
        let t: f64 = it.next().unwrap().parse().unwrap();
        let m: f64 = it.next().unwrap().parse().unwrap();
        times.push(Duration::from_secs_f64(t / 1e3));
        peak = peak.max(m);
    }
    (sorted(times), peak)
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
