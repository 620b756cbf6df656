//! The 同步 and 冲突 screens on a team of two laptops built through the services (team init, a
//! join request admitted, bundles both ways): the members with what is pending, a bundle
//! exported and imported through the path prompt (Tab completes the name), a refused import,
//! and a conflict that only a reviewer settles. Drawn on TestBackend and snapshotted with insta.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod screens;

use screens::Rig;
use std::path::Path;
use xuncha::clock::Clock;
use xuncha::config::Config;
use xuncha::domain::team::Role;
use xuncha::domain::{Id, Scope, Verdict};
use xuncha::identity::{Keys, load_or_make};
use xuncha::service::{Session, conflicts, demo, rounds, sync, team, visits};
use xuncha::store::Store;
use xuncha::template::Catalog;
use xuncha::tui::app::Screen;
use xuncha::tui::driver::Driver;
use xuncha::tui::keymap::Keymap;

const TEAM: &str = "县委组织部督查一组";

/// A laptop: its folder (data and key), at `now`.
fn laptop(name: &str, now: &str) -> (tempfile::TempDir, Session, Keys) {
    let tmp = tempfile::tempdir().unwrap();
    let s = Session::new(Store::open(&tmp.path().join("data")).unwrap(), name).with_clock(Clock::fixed_local(now).unwrap());
    let keys = load_or_make(&tmp.path().join("laptop.key")).unwrap();
    (tmp, s, keys)
}

/// The laptop's screens, on the rounds list.
fn rig(tmp: tempfile::TempDir, session: Session) -> Rig {
    let key_path = tmp.path().join("laptop.key");
    let driver = Driver { session, catalog: Catalog::load(&[]), config: Config::default(), save_config: false, progress: None, key_path };
    let app = xuncha::tui::start(&driver, Keymap::default(), false).unwrap();
    Rig { _tmp: tmp, app, driver }
}

/// `from` writes a bundle for `to` into `dir`, and the laptop `into` imports it.
fn send(from: &Session, keys: &Keys, to: &str, into: (&Session, &Keys), dir: &Path) {
    let file = dir.join(format!("给{to}.bundle"));
    sync::export(from, keys, &file, Some(to), None).unwrap();
    sync::import(into.0, into.1, "test", &std::fs::read(&file).unwrap()).unwrap();
}

struct Team {
    leader: Rig,
    member: Rig,
    round: Id,
    bundles: tempfile::TempDir,
}

/// The leader 王明 (every role) with 50 organisations and a round, the inspector 张三 admitted
/// and holding the leader's first bundle.
fn team() -> Team {
    let (ta, a, ka) = laptop("王明", "2026-11-22 09:30");
    let (tb, b, kb) = laptop("张三", "2026-11-22 10:05");
    let bundles = tempfile::tempdir().unwrap();
    demo::fill(&a, 50, 3).unwrap();
    let cat = Catalog::load(&[]);
    let scope = Scope::Subtree { under: "0101001".into(), field: None };
    let round =
        rounds::create(&a, "2026年第四季度督查", "2026Q4".parse().unwrap(), cat.get("dangzhibu").unwrap(), scope, vec![]).unwrap().id;
    team::init(&a, &ka, "王明", TEAM).unwrap();
    let request = team::request(&b, &kb, "张三").unwrap();
    team::admit(&a, &ka, &request, &[Role::Inspector]).unwrap();
    send(&a, &ka, "张三", (&b, &kb), bundles.path());
    Team { leader: rig(ta, a), member: rig(tb, b), round, bundles }
}

fn keys_of(r: &Rig) -> Keys {
    load_or_make(&r.driver.key_path).unwrap()
}

/// Both laptops record a verdict on the same item before seeing each other's, then exchange:
/// each holds the same conflicts.
fn conflicting(t: &mut Team) -> String {
    let org = visits_org(&t.leader, t.round);
    let (a, b) = (&t.leader.driver.session, &t.member.driver.session);
    visits::record_verdict(a, t.round, &org, "C1.1", Some(Verdict::Meets), "王明：记录齐全", false).unwrap();
    visits::record_verdict(b, t.round, &org, "C1.1", Some(Verdict::Partly), "张三：缺少签到表", false).unwrap();
    let (ka, kb) = (keys_of(&t.leader), keys_of(&t.member));
    send(b, &kb, "王明", (a, &ka), t.bundles.path());
    send(a, &ka, "张三", (b, &kb), t.bundles.path());
    org
}

fn visits_org(r: &Rig, round: Id) -> String {
    r.driver.dashboard(round).unwrap().rows[0].org.code.clone()
}

fn path_text(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn the_sync_screen_shows_the_team_and_exports_through_a_completed_path() {
    let mut t = team();
    // One change the member lacks: a verdict on the leader's laptop.
    let org = visits_org(&t.leader, t.round);
    visits::record_verdict(&t.leader.driver.session, t.round, &org, "C1.1", Some(Verdict::Meets), "", false).unwrap();
    let r = &mut t.leader;
    r.press("s");
    assert!(matches!(r.app.top(), Some(Screen::Sync(_))), "s opens 同步 from home");
    let (screen, _) = r.screen(80, 24);
    assert!(screen.contains(TEAM) && screen.contains("王明（本机）") && screen.contains("张三"), "{screen}");
    // The member's row: one change to send, the first bundle sent at 09:30.
    r.press("j");
    r.snap("sync");

    // A bundle for 张三, its name typed in Chinese; Tab completes the folder.
    let dir = t.bundles.path().join("U盘");
    std::fs::create_dir(&dir).unwrap();
    let base = path_text(t.bundles.path());
    r.press("e<C-u>");
    r.press(&format!("{base}/U<Tab>"));
    let Some(Screen::Sync(v)) = r.app.top() else { panic!() };
    assert_eq!(v.prompt.as_ref().unwrap().1.text(), format!("{base}/U盘/"), "Tab completes the one folder that fits");
    r.press("给张三的同步包.bundle");
    r.snap_masked("sync-export-prompt", std::slice::from_ref(&base));
    r.press("<Enter>");
    let file = dir.join("给张三的同步包.bundle");
    assert!(file.exists(), "{:?}", r.app.status);
    let (screen, _) = r.screen(120, 40);
    assert!(screen.contains("已写出同步包") && screen.contains("发给 张三"), "{screen}");

    // The member imports it from its own 同步 screen; Tab completes the file's name.
    let m = &mut t.member;
    m.press("s<Down>i<C-u>");
    m.press(&format!("{base}/U盘/给<Tab>"));
    let Some(Screen::Sync(v)) = m.app.top() else { panic!() };
    assert_eq!(v.prompt.as_ref().unwrap().1.path(), file);
    m.press("<Enter>");
    let Some(Screen::Sync(v)) = m.app.top() else { panic!() };
    let (lines, refused) = v.report.clone().unwrap();
    assert!(!refused && lines.iter().any(|l| l.contains("来自 王明") && l.contains("应用 1 条变更")), "{lines:?}");
    m.snap_masked("sync-imported", std::slice::from_ref(&base));

    // A file that is no bundle is refused with the service's reason, and nothing changed.
    let junk = t.bundles.path().join("不是同步包.txt");
    std::fs::write(&junk, "你好").unwrap();
    m.press(&format!("i<C-u>{}<Enter>", path_text(&junk)));
    let Some(Screen::Sync(v)) = m.app.top() else { panic!() };
    let (lines, refused) = v.report.clone().unwrap();
    assert!(refused && lines[0].contains("未导入") && lines[0].contains("不是 xuncha 的同步包"), "{lines:?}");
    let (screen, _) = m.screen(120, 40);
    assert!(screen.contains("未导入") && screen.contains("不是 xuncha 的同步包"), "{screen}");

    // Esc closes a prompt without doing anything; an empty path is refused.
    m.press("i<C-u><Enter>");
    assert!(m.app.status.as_ref().is_some_and(|(s, _)| s.contains("请输入文件路径")), "{:?}", m.app.status);
    m.press("<Esc>");
    let Some(Screen::Sync(v)) = m.app.top() else { panic!() };
    assert!(v.prompt.is_none());
    m.press("q");
    assert!(matches!(m.app.top(), Some(Screen::Rounds(_))));
}

#[test]
fn a_laptop_in_no_team_is_told_how_to_join() {
    let (mut r, _) = screens::rig(false, false);
    r.press("s");
    let (screen, _) = r.screen(80, 24);
    assert!(screen.contains("本机还没有加入督查组") && screen.contains("xuncha team request"), "{screen}");
    r.snap("sync-no-team");
    // Exporting needs a team: the service says so.
    r.press("E<Enter>");
    let status = r.app.status.clone().unwrap().0;
    assert!(status.contains("本机还没有督查组"), "{status}");
}

#[test]
fn a_conflict_is_listed_on_both_laptops_and_only_a_reviewer_settles_it() {
    let mut t = team();
    // No conflicts yet: the screen says so.
    t.leader.press("c");
    let (screen, _) = t.leader.screen(80, 24);
    assert!(screen.contains("没有冲突"), "{screen}");
    t.leader.press("q");

    conflicting(&mut t);
    let ids: Vec<String> = conflicts::list(&t.leader.driver.session).unwrap().into_iter().map(|c| c.id).collect();
    assert!(!ids.is_empty());
    // From the 同步 screen, which counts them.
    t.leader.press("s");
    let (screen, _) = t.leader.screen(80, 24);
    assert!(screen.contains(&format!("冲突（{}）", ids.len())), "{screen}");
    t.leader.press("c");
    assert!(matches!(t.leader.app.top(), Some(Screen::Conflicts(_))));
    let (screen, _) = t.leader.screen(80, 24);
    assert!(screen.contains("王明：记录齐全") && screen.contains("张三：缺少签到表"), "both values: {screen}");
    t.leader.snap_masked("conflicts", &ids);

    // The inspector may not settle it: the service's reason is shown.
    let m = &mut t.member;
    m.press("c");
    let Some(Screen::Conflicts(c)) = m.app.top() else { panic!() };
    let row = c.row().unwrap().clone();
    let take = row.choices.iter().position(|x| x.author == "张三").unwrap();
    m.press(&"<Right>".repeat(take));
    m.press("<Enter>y");
    let status = m.app.status.clone().unwrap().0;
    assert!(status.contains("审核员"), "{status}");
    assert_eq!(conflicts::list(&m.driver.session).unwrap().len(), ids.len(), "nothing settled");

    // The leader (a reviewer too) settles each on 张三's value.
    let r = &mut t.leader;
    for _ in 0..ids.len() {
        let Some(Screen::Conflicts(c)) = r.app.top() else { panic!() };
        let row = c.row().unwrap().clone();
        let take = row.choices.iter().position(|x| x.author == "张三").unwrap_or(0);
        r.press(&"<Right>".repeat(take));
        r.press("<Enter>");
        let (screen, _) = r.screen(80, 24);
        assert!(screen.contains(&row.id), "the question names the conflict: {screen}");
        r.press("y");
        let status = r.app.status.clone().unwrap().0;
        assert!(status.contains("已选定"), "{status}");
    }
    let (screen, _) = r.screen(80, 24);
    assert!(screen.contains("没有冲突"), "{screen}");
}

/// A visit returned on the reviewer's laptop reaches the inspector's by bundle, and the
/// inspector's visit screen shows the reviewer's comment.
#[test]
fn a_return_comment_sent_by_bundle_shows_on_the_inspectors_visit_screen() {
    let t = team();
    let org = visits_org(&t.leader, t.round);
    let (ka, kb) = (keys_of(&t.leader), keys_of(&t.member));
    let mut member = t.member;
    screens::submit_visit(&member, t.round, &org);
    send(&member.driver.session, &kb, "王明", (&t.leader.driver.session, &ka), t.bundles.path());
    xuncha::service::review::return_visit(&t.leader.driver.session, t.round, &org, "请补充党员大会签到表").unwrap();
    send(&t.leader.driver.session, &ka, "张三", (&member.driver.session, &kb), t.bundles.path());
    // The round, then its first organisation's visit.
    member.press("<Enter><Enter>");
    let (screen, _) = member.screen(120, 40);
    assert!(screen.contains("已退回") && screen.contains("请补充党员大会签到表"), "{screen}");
}
