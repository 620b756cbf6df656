//! The screens never send the data's control characters to the terminal: an organisation, a
//! secretary, a round title and a finding carrying escape sequences, BEL and bidi overrides
//! (as a restored backup or an older store may hold them; rosters refuse them in codes and
//! names now) are drawn through the real screens, and no cell of the drawn buffer holds one.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use xuncha::config::Config;
use xuncha::domain::{Id, Scope, Verdict};
use xuncha::safe_text::is_terminal_unsafe;
use xuncha::service::{Session, demo, findings, review, rounds, visits};
use xuncha::store::{Commit, Store, Write};
use xuncha::template::Catalog;
use xuncha::tui::app::{App, Screen};
use xuncha::tui::driver::Driver;
use xuncha::tui::keymap::Keymap;

// Bidi controls after narrow characters too: after a wide one ratatui hides them in the cell the
// wide character covers.
const NAME: &str = "\x1b[2J\x07红旗\u{202E}村党支部A\u{2066}";
const SECRETARY: &str = "\x1b]0;pwned\x07王\u{9b}31m\u{202E}建国";
const TITLE: &str = "2026年\x1b[31m第四季度Q4\u{202D}督查\x08";
const DESCRIPTION: &str = "委员\x1b[8m出缺\u{7f}C1\u{202E}未补选";

fn press(app: &mut App, driver: &mut Driver, keys: &str) {
    for c in keys.chars() {
        let k = match c {
            '\n' => KeyEvent::from(KeyCode::Enter),
            '\x1b' => KeyEvent::from(KeyCode::Esc),
            c => KeyEvent::from(KeyCode::Char(c)),
        };
        let effects = app.key(k);
        driver.run(app, effects);
    }
}

/// Draws the app at a few sizes; fails naming the cell that holds a control character, and
/// returns the 120x40 screen's text.
fn draw_clean(app: &App, what: &str) -> String {
    let mut text = String::new();
    for (w, h) in [(80, 24), (120, 40), (30, 6)] {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        // The whole frame, also the cells hidden behind wide characters: the terminal is sent
        // those too once a later frame uncovers them.
        let frame = t.draw(|f| xuncha::tui::ui::draw(f, app)).unwrap();
        let buf = frame.buffer;
        for y in 0..h {
            for x in 0..w {
                let sym = buf[(x, y)].symbol();
                assert!(!sym.contains(is_terminal_unsafe), "{what} at {w}x{h}: cell ({x},{y}) holds {sym:?}");
            }
        }
        if w == 120 {
            text = t.backend().to_string();
        }
    }
    text
}

/// One org of a round renamed (with a hostile secretary), one other org's finding approved with a
/// hostile description and responsible person.
fn rig() -> (tempfile::TempDir, App, Driver, Id, String) {
    let tmp = tempfile::tempdir().unwrap();
    let clock = xuncha::clock::Clock::fixed_local("2026-11-22 09:30").unwrap();
    let session = Session::new(Store::open(&tmp.path().join("data")).unwrap(), "李明").with_clock(clock);
    demo::fill(&session, 300, 3).unwrap();
    let cat = Catalog::load(&[]);
    let scope = Scope::Subtree { under: "0101001".into(), field: None };
    let round = rounds::create(&session, TITLE, "2026Q4".parse().unwrap(), cat.get("dangzhibu").unwrap(), scope, vec![]).unwrap().id;
    let orgs: Vec<String> = session.visits(round).unwrap().into_iter().map(|v| v.org).collect();

    // The second org's visit: answered, a hostile finding, submitted and approved.
    let other = orgs[1].clone();
    for item in visits::unanswered(&session, round, &other).unwrap() {
        let v = if item == "C1.2" { Verdict::Fails } else { Verdict::Meets };
        visits::record_verdict(&session, round, &other, &item, Some(v), "", false).unwrap();
    }
    let input = findings::FindingInput {
        round: Some(round),
        org: other.clone(),
        item: Some("C1.2".into()),
        description: DESCRIPTION.into(),
        deadline: "2028-06-30".into(),
        responsible_person: SECRETARY.into(),
        ..Default::default()
    };
    findings::save(&session, &input).unwrap();
    let arrival = visits::VisitInfo {
        arrived_at: Some("2026-11-20T09:30:00".parse().unwrap()),
        arrival_state: Some(xuncha::domain::ArrivalState::Open),
        ..Default::default()
    };
    visits::save_info(&session, round, &other, arrival).unwrap();
    visits::submit(&session, round, &other).unwrap();
    // Approved by another person than the inspector (nobody reviews their own visit).
    let mut session = session;
    session.actor = "张督导".into();
    review::approve(&session, round, &other).unwrap();
    session.actor = "李明".into();

    // Every org of the round gets the hostile name, so whichever the dashboard shows first has it.
    let mut writes = Vec::new();
    for code in &orgs {
        let mut org = session.org(code).unwrap().unwrap();
        org.name = format!("{NAME}{}", &code[code.len() - 2..]);
        org.secretary = SECRETARY.into();
        writes.push(Write::put(&org));
    }
    session.raw_store().commit("测试", Commit::new("org.import", serde_json::json!({}), writes)).unwrap();

    let driver = Driver {
        session,
        catalog: Catalog::load(&[]),
        config: Config::default(),
        save_config: false,
        progress: None,
        key_path: tmp.path().join("laptop.key"),
    };
    let app = xuncha::tui::start(&driver, Keymap::default(), false).unwrap();
    (tmp, app, driver, round, other)
}

#[test]
fn hostile_names_reach_no_cell_of_any_screen() {
    let (_tmp, mut app, mut driver, _round, _) = rig();
    let home = draw_clean(&app, "rounds");
    assert!(home.contains("第四季度"), "the title is shown without its controls:\n{home}");

    press(&mut app, &mut driver, "\n");
    assert!(matches!(app.top(), Some(Screen::Dashboard(_))));
    let dash = draw_clean(&app, "dashboard");
    assert!(dash.contains("红旗村党支部A"), "the name is shown without its controls:\n{dash}");

    // The visit opens on the arrival form (text fields on ratatui-textarea), then the checklist.
    press(&mut app, &mut driver, "\n");
    draw_clean(&app, "arrival form");
    press(&mut app, &mut driver, "\x1b");
    assert!(matches!(app.top(), Some(Screen::Visit(_))), "{:?}", app.status);
    let visit = draw_clean(&app, "visit");
    assert!(visit.contains("红旗村党支部"), "{visit}");

    // 不符合 opens the finding form; the responsible person defaults to the hostile secretary,
    // drawn in a text field.
    press(&mut app, &mut driver, "n");
    let Some(Screen::Form(_)) = app.top() else { panic!("{:?}", app.status) };
    let form = draw_clean(&app, "finding form");
    assert!(form.contains("王31m建国"), "{form}");
    // The help overlay and the item's history over the screens.
    // Back on the checklist: the help and the item's history over it.
    press(&mut app, &mut driver, "\x1b?");
    assert!(app.overlay.is_some() && matches!(app.top(), Some(Screen::Visit(_))));
    draw_clean(&app, "help");
    press(&mut app, &mut driver, "\x1bh");
    let history = draw_clean(&app, "item history");
    assert!(history.contains("记录结论"), "{history}");
    press(&mut app, &mut driver, "\x1bqq");
    assert!(matches!(app.top(), Some(Screen::Rounds(_))));

    // The board: the approved finding's description and person responsible.
    press(&mut app, &mut driver, "b");
    let Some(Screen::Board(b)) = app.top() else { panic!("{:?}", app.status) };
    assert_eq!(b.rows.len(), 1);
    let board = draw_clean(&app, "board");
    assert!(board.contains("出缺C1未补选"), "{board}");
    // `x` exports the board like the CLI does: atomically, nothing left beside it, and with the
    // mode the user's umask gives.
    press(&mut app, &mut driver, "x");
    let exported: Vec<std::path::PathBuf> = std::fs::read_dir(driver.export_dir()).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(exported.len() == 1 && exported[0].extension().is_some_and(|x| x == "xlsx"), "{exported:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&exported[0]).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, xuncha::privacy::shared_file_mode(), "{:o}", mode);
    }
    press(&mut app, &mut driver, "h");
    assert!(app.overlay.is_some());
    draw_clean(&app, "rectification history");
    press(&mut app, &mut driver, "\x1b\n");
    assert!(matches!(app.top(), Some(Screen::Form(_))), "{:?}", app.status);
    draw_clean(&app, "status change form");
    press(&mut app, &mut driver, "\x1bqt");
    assert!(matches!(app.top(), Some(Screen::Stats(_))), "{:?}", app.status);
    draw_clean(&app, "statistics");
}

#[test]
fn the_supervisors_screens_are_clean_too() {
    let (_tmp, mut app, mut driver, round, _) = rig();
    // A second visit submitted, so the queue has a row under review.
    let first = driver.session.visits(round).unwrap()[0].org.clone();
    for item in visits::unanswered(&driver.session, round, &first).unwrap() {
        visits::record_verdict(&driver.session, round, &first, &item, Some(Verdict::Meets), DESCRIPTION, false).unwrap();
    }
    let arrival = visits::VisitInfo {
        arrived_at: Some("2026-11-20T09:30:00".parse().unwrap()),
        arrival_state: Some(xuncha::domain::ArrivalState::Open),
        arrival_note: DESCRIPTION.into(),
        ..Default::default()
    };
    visits::save_info(&driver.session, round, &first, arrival).unwrap();
    visits::submit(&driver.session, round, &first).unwrap();
    app.supervisor = true;
    driver.session.actor = "张督导".into();
    app.actor = "张督导".into();
    press(&mut app, &mut driver, "r");
    assert!(matches!(app.top(), Some(Screen::Queue(_))), "{:?}", app.status);
    let queue = draw_clean(&app, "review queue");
    assert!(queue.contains("红旗村党支部"), "{queue}");
    press(&mut app, &mut driver, "\n");
    assert!(matches!(app.top(), Some(Screen::Review(_))), "{:?}", app.status);
    draw_clean(&app, "review");
    press(&mut app, &mut driver, "\n");
    draw_clean(&app, "checklist under review");
}
