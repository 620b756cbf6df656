//! Store benchmark on generated demo data: record one verdict (with flush), open the store, list
//! an area. Run: `cargo bench --bench store` (6,000 organisations), or with
//! `XUNCHA_BENCH_ORGS=200000` for a province-sized tree. Prints median, p95 and peak memory.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};
use xuncha::domain::{Level, Scope, Verdict};
use xuncha::service::{Session, demo, orgs, rounds, visits};
use xuncha::store::Store;
use xuncha::template::Catalog;

struct Stats {
    samples: Vec<Duration>,
}

impl Stats {
    fn measure(n: usize, mut f: impl FnMut(usize)) -> Stats {
        let mut samples = Vec::with_capacity(n);
        for i in 0..n {
            let t = Instant::now();
            f(i);
            samples.push(t.elapsed());
        }
        samples.sort();
        Stats { samples }
    }
    fn pct(&self, p: f64) -> Duration {
        self.samples[((self.samples.len() - 1) as f64 * p).round() as usize]
    }
    fn line(&self, what: &str) -> String {
        format!(
            "| {what} | {} | {:.3} ms | {:.3} ms | {:.3} ms |",
            self.samples.len(),
            self.pct(0.5).as_secs_f64() * 1e3,
            self.pct(0.95).as_secs_f64() * 1e3,
            self.samples.last().unwrap().as_secs_f64() * 1e3
        )
    }
}

/// Peak resident memory of this process, from /proc (Linux); None elsewhere.
fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` would pass nothing and run it too.
    let n: usize = std::env::var("XUNCHA_BENCH_ORGS").ok().and_then(|v| v.parse().ok()).unwrap_or(6000);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    // A fixed moment, so the rounds' quarter, arrivals and deadlines stay valid whenever it runs.
    let clock = xuncha::clock::Clock::fixed_local("2026-11-22 10:00").unwrap();
    let open = |dir: &std::path::Path| Session::new(Store::open(dir).unwrap(), "基准测试").with_clock(clock);

    let t = Instant::now();
    let s = open(&dir);
    demo::fill(&s, n, 1).unwrap();
    let fill = t.elapsed();

    let all = s.orgs().unwrap();
    let branches: Vec<String> = all.iter().filter(|o| o.level == Level::Branch).map(|o| o.code.clone()).collect();
    let county = all.iter().find(|o| o.level == Level::County).unwrap().code.clone();
    let cat = Catalog::load(&[]);
    let tpl = cat.get("dangzhibu").unwrap();
    let round = rounds::create(&s, "基准测试批次", "2026Q4".parse().unwrap(), tpl, Scope::List, branches.clone()).unwrap();
    let items: Vec<String> = tpl.template.items().filter(|(_, i)| i.fields.is_empty()).map(|(_, i)| i.id.clone()).collect();

    let verdict = Stats::measure(500, |i| {
        let org = &branches[i % branches.len()];
        let item = &items[i % items.len()];
        visits::record_verdict(&s, round.id, org, item, Some(Verdict::Fails), "会议记录缺少签到，书记当场说明", false).unwrap();
    });
    let area_size = orgs::list(&s, Some(&county)).unwrap().len();
    let list_area = Stats::measure(50, |_| {
        assert_eq!(orgs::list(&s, Some(&county)).unwrap().len(), area_size);
    });
    let list_all = Stats::measure(5, |_| {
        assert_eq!(orgs::list(&s, None).unwrap().len(), n);
    });
    // What the screens load: a county's round on the dashboard, one visit, the rounds list.
    let county_round =
        rounds::create(&s, "县级批次", "2026Q4".parse().unwrap(), tpl, Scope::Subtree { under: county.clone(), field: None }, vec![])
            .unwrap();
    let county_orgs = county_round.org_count;
    let dashboard = Stats::measure(10, |_| {
        assert_eq!(rounds::overview(&s, &county_round, s.today()).unwrap().len(), county_orgs);
    });
    let first = s.visits(county_round.id).unwrap()[0].org.clone();
    let driver = xuncha::tui::driver::Driver {
        session: s,
        catalog: Catalog::load(&[]),
        config: Default::default(),
        save_config: false,
        progress: None,
        key_path: tmp.path().join("laptop.key"),
    };
    let visit_screen = Stats::measure(50, |_| {
        driver.visit(county_round.id, &first).unwrap();
    });
    let rounds_list = Stats::measure(10, |_| {
        rounds::list(&driver.session).unwrap();
    });
    // The county round's visits answered (two failures each, through the paper sheet), submitted
    // and approved: then the list and the bulletin over all of them.
    let s = driver.session;
    let sheet_dir = tmp.path().join("sheets");
    std::fs::create_dir_all(&sheet_dir).unwrap();
    let visits = s.visits(county_round.id).unwrap();
    let t = Instant::now();
    for (i, v) in visits.iter().enumerate() {
        let blank = xuncha::service::sheet::blank(&s, county_round.id, &v.org).unwrap();
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(&blank[3..]);
        let mut rows: Vec<Vec<String>> = rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
        let (verdict, points, desc, deadline) = (col("结论"), col("分值"), col("问题描述"), col("整改时限"));
        let mut j = 0;
        for r in rows.iter_mut().skip(1) {
            match r[1].as_str() {
                "到达时间" => r[verdict] = "2026-11-20 09:30".into(),
                "到达情况" => r[verdict] = "有人值班".into(),
                _ if r[points].is_empty() => {}
                _ => {
                    j += 1;
                    r[verdict] = if j == 3 || j == 20 { "不符合".into() } else { "符合".into() };
                    if j == 3 || j == 20 {
                        r[desc] = format!("第{i}号问题：会议记录缺少签到");
                        r[deadline] = "2027-12-31".into();
                    }
                }
            }
        }
        let path = sheet_dir.join(format!("{i}.csv"));
        let mut w = csv::Writer::from_path(&path).unwrap();
        for r in &rows {
            w.write_record(r).unwrap();
        }
        w.flush().unwrap();
        xuncha::service::sheet::import(&s, county_round.id, &path, true, &Default::default()).unwrap();
        xuncha::service::review::approve(&s, county_round.id, &v.org).unwrap();
    }
    let fill_time = t.elapsed();
    let today = s.today();
    let list = Stats::measure(5, |_| {
        xuncha::report::rectification::rows(&s, &Default::default(), today).unwrap();
    });
    let all_rows = xuncha::report::rectification::rows(&s, &Default::default(), today).unwrap();
    let heading = xuncha::report::writers::Heading { scope: String::new(), exported_on: today, figures: None };
    let xlsx = Stats::measure(5, |_| {
        xuncha::report::writers::xlsx(&all_rows, &heading).unwrap();
    });
    let csv_w = Stats::measure(5, |_| {
        xuncha::report::writers::csv(&all_rows).unwrap();
    });
    let q = county_round.quarter;
    let bulletin = Stats::measure(5, |_| {
        let b = xuncha::report::bulletin::build(&s, q, None, today).unwrap();
        xuncha::report::bulletin::html(&b, &Default::default());
    });
    let n_rows = all_rows.len();
    drop(s);
    let reopen = Stats::measure(20, |_| {
        drop(open(&dir));
    });
    let disk: u64 = walk_size(&dir);

    println!(
        "xuncha store benchmark: {n} organisations ({} branches), demo fill {:.2} s, store on disk {:.1} MiB",
        branches.len(),
        fill.as_secs_f64(),
        disk as f64 / 1048576.0
    );
    println!();
    println!("| operation | runs | median | p95 | max |");
    println!("| --- | --- | --- | --- | --- |");
    println!("{}", verdict.line("record one verdict (audited, flushed)"));
    println!("{}", reopen.line("open the store"));
    println!("{}", list_area.line(&format!("list an area (one county, {area_size} organisations)")));
    println!("{}", list_all.line(&format!("list the whole tree ({n} organisations)")));
    println!("{}", dashboard.line(&format!("dashboard of a county round ({county_orgs} visits: progress, score, grade, warning)")));
    println!("{}", visit_screen.line("open a visit screen (template, results, findings, score)"));
    println!("{}", rounds_list.line("rounds home (every round with its progress)"));
    println!("{}", list.line(&format!("build the rectification list ({n_rows} approved findings)")));
    println!("{}", xlsx.line(&format!("write it as xlsx ({n_rows} rows)")));
    println!("{}", csv_w.line(&format!("write it as csv ({n_rows} rows)")));
    println!("{}", bulletin.line(&format!("build the quarter's bulletin and its HTML ({} approved visits)", county_orgs)));
    println!();
    println!("answering, submitting and approving {county_orgs} visits through the paper sheet: {:.1} s", fill_time.as_secs_f64());
    if let Some(mib) = peak_rss_mib() {
        println!();
        println!("peak memory (VmHWM): {mib:.0} MiB");
    }
}

fn walk_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| {
                    let m = e.metadata().unwrap();
                    if m.is_dir() { walk_size(&e.path()) } else { m.len() }
                })
                .sum()
        })
        .unwrap_or(0)
}
