//! `--lang en`: the language is process-wide, so this runs in its own test process.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use xuncha::config::Config;
use xuncha::domain::Scope;
use xuncha::service::{Session, demo, rounds};
use xuncha::store::Store;
use xuncha::template::Catalog;
use xuncha::tui::driver::Driver;
use xuncha::tui::keymap::Keymap;

#[test]
fn the_visit_screen_and_help_in_english() {
    xuncha::i18n::set_lang(xuncha::i18n::Lang::En);
    let tmp = tempfile::tempdir().unwrap();
    let session = Session::new(Store::open(tmp.path()).unwrap(), "Li Ming")
        .with_clock(xuncha::clock::Clock::fixed_local("2026-11-22 09:30").unwrap());
    demo::fill(&session, 100, 3).unwrap();
    let cat = Catalog::load(&[]);
    let scope = Scope::Subtree { under: "0101001".into(), field: None };
    rounds::create(&session, "Q4 round", "2026Q4".parse().unwrap(), cat.get("dangzhibu").unwrap(), scope, vec![]).unwrap();
    let mut driver = Driver {
        session,
        catalog: cat,
        config: Config::default(),
        save_config: false,
        progress: None,
        key_path: tmp.path().join("laptop.key"),
    };
    let mut app = xuncha::tui::start(&driver, Keymap::default(), false).unwrap();
    for k in [KeyCode::Enter, KeyCode::Enter, KeyCode::Esc, KeyCode::Char('n'), KeyCode::Esc, KeyCode::Char('?')] {
        let effects = app.key(KeyEvent::from(k));
        driver.run(&mut app, effects);
    }
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| xuncha::tui::ui::draw(f, &app)).unwrap();
    let screen = t.backend().to_string();
    for expected in ["score", "progress", "fails (and record a finding)", "next item without a verdict", "Q4 round"] {
        assert!(screen.contains(expected), "{expected:?} missing:\n{screen}");
    }
}
