//! What the screen tests share: a real store with demo data and a round, the real app and driver,
//! keys as the user types them, and the screen drawn on ratatui's TestBackend.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Position;
use unicode_width::UnicodeWidthStr;
use xuncha::config::Config;
use xuncha::domain::{Id, Scope};
use xuncha::service::{Session, demo, rounds};
use xuncha::store::Store;
use xuncha::template::Catalog;
use xuncha::tui::app::App;
use xuncha::tui::driver::Driver;
use xuncha::tui::keymap::Keymap;

pub struct Rig {
    pub _tmp: tempfile::TempDir,
    pub app: App,
    pub driver: Driver,
}

/// A store with 300 demo organisations and, unless `empty`, one round over a town's branches.
pub fn rig(setup: bool, with_round: bool) -> (Rig, Option<Id>) {
    let tmp = tempfile::tempdir().unwrap();
    let session = Session::new(Store::open(&tmp.path().join("data")).unwrap(), "李明")
        .with_clock(xuncha::clock::Clock::fixed_local("2026-11-22 09:30").unwrap());
    let mut round = None;
    if with_round {
        demo::fill(&session, 300, 3).unwrap();
        let cat = Catalog::load(&[]);
        let q = "2026Q4".parse().unwrap();
        let scope = Scope::Subtree { under: "0101001".into(), field: None };
        round = Some(rounds::create(&session, "2026年第四季度督查", q, cat.get("dangzhibu").unwrap(), scope, vec![]).unwrap().id);
    }
    let driver = Driver {
        session,
        catalog: Catalog::load(&[]),
        config: Config::default(),
        save_config: false,
        progress: None,
        key_path: tmp.path().join("laptop.key"),
    };
    let app = xuncha::tui::start(&driver, Keymap::default(), setup).unwrap();
    (Rig { _tmp: tmp, app, driver }, round)
}

/// Keys: plain characters, or <Enter>, <Tab>, <BackTab>, <Esc>, <Down>, <Up>, <Right>, <C-s>, <C-u>, <BS>.
pub fn keys(spec: &str) -> Vec<KeyEvent> {
    let mut out = Vec::new();
    let mut rest = spec;
    while !rest.is_empty() {
        if rest.starts_with('<')
            && let Some(end) = rest.find('>')
        {
            let name = &rest[1..end];
            let ev = match name {
                "Enter" => KeyEvent::from(KeyCode::Enter),
                "Tab" => KeyEvent::from(KeyCode::Tab),
                "BackTab" => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
                "Esc" => KeyEvent::from(KeyCode::Esc),
                "Down" => KeyEvent::from(KeyCode::Down),
                "Up" => KeyEvent::from(KeyCode::Up),
                "Right" => KeyEvent::from(KeyCode::Right),
                "BS" => KeyEvent::from(KeyCode::Backspace),
                "C-s" => KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
                "C-u" => KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
                other => panic!("unknown key {other}"),
            };
            out.push(ev);
            rest = &rest[end + 1..];
        } else {
            let c = rest.chars().next().unwrap();
            out.push(KeyEvent::from(KeyCode::Char(c)));
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The supervisor of the screen tests: nobody reviews a visit they inspected (李明 inspects).
pub const SUPERVISOR: &str = "张督导";

impl Rig {
    /// From now on acts as the supervisor: the review screens, under another name than the
    /// inspector's.
    pub fn become_supervisor(&mut self) {
        self.app.supervisor = true;
        self.driver.session.actor = SUPERVISOR.to_string();
        self.app.actor = SUPERVISOR.to_string();
    }

    /// Back to the inspector 李明.
    pub fn become_inspector(&mut self) {
        self.app.supervisor = false;
        self.driver.session.actor = "李明".to_string();
        self.app.actor = "李明".to_string();
    }

    /// Approves a visit as the supervisor through the service, then acts as before.
    pub fn approve_as_supervisor(&mut self, round: Id, org: &str) -> xuncha::service::Result<Vec<xuncha::domain::Finding>> {
        let me = std::mem::replace(&mut self.driver.session.actor, SUPERVISOR.to_string());
        let out = xuncha::service::review::approve(&self.driver.session, round, org);
        self.driver.session.actor = me;
        out
    }

    pub fn press(&mut self, spec: &str) {
        for k in keys(spec) {
            let effects = self.app.key(k);
            self.driver.run(&mut self.app, effects);
        }
    }

    /// The screen as text (wide characters once), and the caret if shown. The status line's
    /// clock is blanked so snapshots do not change with the time.
    pub fn screen(&mut self, w: u16, h: u16) -> (String, Option<Position>) {
        if let Some((text, _)) = &mut self.app.status
            && text.starts_with("已保存")
        {
            *text = "已保存".into();
        }
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| xuncha::tui::ui::draw(f, &self.app)).unwrap();
        let b = t.backend();
        let buf = b.buffer();
        let mut lines = Vec::new();
        for y in 0..h {
            let mut line = String::new();
            let mut x = 0;
            while x < w {
                let sym = buf[(x, y)].symbol();
                line.push_str(sym);
                x += sym.width().max(1) as u16;
            }
            lines.push(line.trim_end().to_string());
        }
        let caret = b.cursor_visible().then(|| b.cursor_position());
        (lines.join("\n"), caret)
    }

    pub fn snap(&mut self, name: &str) -> Option<Position> {
        self.snap_masked(name, &[])
    }

    /// Snapshots with the given texts (times, random ids) masked, also where a column cut them.
    pub fn snap_masked(&mut self, name: &str, masks: &[String]) -> Option<Position> {
        let mask = |mut text: String| {
            for m in masks {
                for n in (4..=m.chars().count()).rev() {
                    let part: String = m.chars().take(n).collect();
                    text = text.replace(&part, &"#".repeat(n));
                }
            }
            text
        };
        let (small, caret_small) = self.screen(80, 24);
        let (big, _) = self.screen(120, 40);
        // Kept beside the other tests' snapshots, named after the screen test binary.
        let binary = module_path!().split("::").next().unwrap_or("tui");
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("{binary}__{name}-80x24"), mask(small));
            insta::assert_snapshot!(format!("{binary}__{name}-120x40"), mask(big));
        });
        // A terminal squeezed to almost nothing still draws without a panic.
        for (w, h) in [(12, 4), (30, 6), (1, 1)] {
            let (tiny, _) = self.screen(w, h);
            assert_eq!(tiny.split('\n').count(), h as usize);
        }
        caret_small
    }
}

/// The display column of `needle` in `line`.
pub fn col_of(screen: &str, row: u16, needle: &str) -> u16 {
    let line = screen.lines().nth(row as usize).unwrap();
    line[..line.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {line:?}"))].width() as u16
}

/// Answers every item of a visit (C1.2 fails with a finding) and submits it, through the services.
pub fn submit_visit(r: &Rig, round: Id, org: &str) {
    use xuncha::domain::{ArrivalState, Verdict};
    use xuncha::service::{findings, visits};
    let s = &r.driver.session;
    let arrival = visits::VisitInfo {
        arrived_at: Some("2026-11-20T09:30:00".parse().unwrap()),
        arrival_state: Some(ArrivalState::OnDuty),
        unannounced: [Some(true); 6],
        ..Default::default()
    };
    visits::save_info(s, round, org, arrival).unwrap();
    for item in visits::unanswered(s, round, org).unwrap() {
        let v = if item == "C1.2" { Verdict::Fails } else { Verdict::Meets };
        visits::record_verdict(s, round, org, &item, Some(v), "", false).unwrap();
    }
    let input = findings::FindingInput {
        round: Some(round),
        org: org.into(),
        item: Some("C1.2".into()),
        description: "支委会委员仅2人，未按规定补选".into(),
        deadline: "2028-06-30".into(),
        responsible_person: "孙国庆".into(),
        ..Default::default()
    };
    findings::save(s, &input).unwrap();
    visits::submit(s, round, org).unwrap();
}
