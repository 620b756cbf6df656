//! The screens' own cost, in process, on ratatui's TestBackend: a city round (all branches of
//! `demo::fill(6000, 1)`, about 2,600 visits) on the dashboard, then a visit on top of it.
//! Times a key press through `App::key`, the driver and one drawn frame:
//! key `y` until the frame shows 已保存, and key presses on the dashboard (down, typing a search).
//! Run: `cargo bench --bench tui`; `XUNCHA_BENCH_ORGS=200000` for a province-sized tree.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use std::time::{Duration, Instant};
use xuncha::domain::{Level, Scope};
use xuncha::service::{Session, demo, rounds};
use xuncha::store::Store;
use xuncha::template::Catalog;
use xuncha::tui::app::{App, Screen};
use xuncha::tui::driver::Driver;
use xuncha::tui::keymap::Keymap;

struct Stats(Vec<Duration>);

impl Stats {
    fn pct(&self, p: f64) -> f64 {
        let mut s = self.0.clone();
        s.sort();
        s[((s.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e3
    }
    fn line(&self, what: &str) -> String {
        format!("| {what} | {} | {:.2} ms | {:.2} ms | {:.2} ms |", self.0.len(), self.pct(0.5), self.pct(0.99), self.pct(1.0))
    }
}

struct Rig {
    app: App,
    driver: Driver,
    term: Terminal<TestBackend>,
}

impl Rig {
    /// One key as the event loop runs it: the app, the driver's effects, one frame.
    fn press(&mut self, k: KeyEvent) -> Duration {
        let t = Instant::now();
        let effects = self.app.key(k);
        self.driver.run(&mut self.app, effects);
        self.term.draw(|f| xuncha::tui::ui::draw(f, &self.app)).unwrap();
        t.elapsed()
    }
    /// The screen as text, wide characters once.
    fn screen(&self) -> String {
        let buf = self.term.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut x = 0;
            while x < buf.area.width {
                let sym = buf[(x, y)].symbol();
                out.push_str(sym);
                x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
            }
            out.push('\n');
        }
        out
    }
}

fn key(c: char) -> KeyEvent {
    KeyEvent::from(KeyCode::Char(c))
}

fn main() {
    let n: usize = std::env::var("XUNCHA_BENCH_ORGS").ok().and_then(|v| v.parse().ok()).unwrap_or(6000);
    let runs: usize = std::env::var("XUNCHA_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(100);
    let tmp = tempfile::tempdir().unwrap();
    let clock = xuncha::clock::Clock::fixed_local("2026-11-22 10:00").unwrap();
    let s = Session::new(Store::open(&tmp.path().join("data")).unwrap(), "基准测试").with_clock(clock);
    demo::fill(&s, n, 1).unwrap();
    let branches: Vec<String> = s.orgs().unwrap().into_iter().filter(|o| o.level == Level::Branch).map(|o| o.code).collect();
    let cat = Catalog::load(&[]);
    let tpl = cat.get("dangzhibu").unwrap();
    let round = rounds::create(&s, "基准测试批次", "2026Q4".parse().unwrap(), tpl, Scope::List, branches.clone()).unwrap();
    // What opening the dashboard costs, in parts: the service's overview, then the screen's rows.
    let overview = Stats(
        (0..5)
            .map(|_| {
                let t = Instant::now();
                rounds::overview(&s, &round, s.today()).unwrap();
                t.elapsed()
            })
            .collect(),
    );
    let rows = rounds::overview(&s, &round, s.today()).unwrap();
    let view = Stats(
        (0..5)
            .map(|_| {
                let t = Instant::now();
                xuncha::tui::views::DashboardView::new(round.clone(), rows.clone());
                t.elapsed()
            })
            .collect(),
    );
    let driver = Driver {
        session: s,
        catalog: Catalog::load(&[]),
        config: Default::default(),
        save_config: false,
        progress: None,
        key_path: tmp.path().join("laptop.key"),
    };
    let app = xuncha::tui::start(&driver, Keymap::default(), false).unwrap();
    let mut r = Rig { app, driver, term: Terminal::new(TestBackend::new(120, 40)).unwrap() };
    r.term.draw(|f| xuncha::tui::ui::draw(f, &r.app)).unwrap();

    // Open the dashboard (Enter on the round), a few times.
    let mut open = Vec::new();
    for _ in 0..5 {
        open.push(r.press(KeyEvent::from(KeyCode::Enter)));
        assert!(matches!(r.app.top(), Some(Screen::Dashboard(_))));
        r.press(KeyEvent::from(KeyCode::Esc));
    }
    let open = Stats(open);
    r.press(KeyEvent::from(KeyCode::Enter));

    // Down on the dashboard.
    let down = Stats((0..runs).map(|_| r.press(key('j'))).collect());
    // Typing a search: each letter, then erasing it, then Esc.
    let mut typing = Vec::new();
    r.press(key('/'));
    for i in 0..runs {
        let word = ["hqc", "hongqi", "dzb", "0101"][i % 4];
        for c in word.chars() {
            typing.push(r.press(key(c)));
        }
        for _ in word.chars() {
            typing.push(r.press(KeyEvent::from(KeyCode::Backspace)));
        }
    }
    r.press(KeyEvent::from(KeyCode::Esc));
    let typing = Stats(typing);

    // A visit over the dashboard: the arrival form opens first; Esc closes it untouched.
    r.press(KeyEvent::from(KeyCode::Enter));
    if matches!(r.app.top(), Some(Screen::Form(_))) {
        r.press(KeyEvent::from(KeyCode::Esc));
    }
    assert!(matches!(r.app.top(), Some(Screen::Visit(_))));
    let mut yes = Vec::new();
    for _ in 0..runs {
        r.app.status = None;
        yes.push(r.press(key('y')));
        let screen = r.screen();
        assert!(screen.contains("已保存"), "the frame after y shows 已保存:\n{screen}");
        // Back to the item: the next y records again.
        r.press(key('k'));
    }
    let yes = Stats(yes);
    let visits = branches.len();
    println!("xuncha TUI benchmark: {n} organisations, a round of {visits} visits, frames at 120x40 on TestBackend");
    println!();
    println!("| key press to drawn frame | runs | median | p99 | max |");
    println!("| --- | --- | --- | --- | --- |");
    println!("{}", open.line("Enter on the round: open the dashboard"));
    println!("{}", overview.line("  of which the service's rounds::overview"));
    println!("{}", view.line("  of which the screen's rows (search keys, filters)"));
    println!("{}", down.line("j on the dashboard"));
    println!("{}", typing.line("typing a search on the dashboard (letters and Backspace)"));
    println!("{}", yes.line("y on a visit (dashboard below) until 已保存"));
}
