//! A write refreshes what it touched: the screen on top (after a verdict, only the item and the
//! score), while the screens below are marked stale and reloaded when they come back on top.

mod screens;

use screens::rig;
use xuncha::domain::Verdict;
use xuncha::tui::app::Screen;

fn dashboard_row(r: &screens::Rig, org: &str) -> (usize, usize) {
    let Some(Screen::Dashboard(d)) = r.app.screens.get(1) else { panic!("the dashboard is second on the stack") };
    let row = d.rows.iter().find(|x| x.org.code == org).unwrap();
    (row.score.answered, row.findings)
}

#[test]
fn a_verdict_reloads_only_the_visit_and_the_dashboard_when_it_comes_back() {
    let (mut r, _) = rig(false, true);
    r.press("<Enter><Enter><Esc>");
    let Some(Screen::Visit(v)) = r.app.top() else { panic!() };
    let org = v.org.code.clone();
    let round = v.round.id;
    assert_eq!(dashboard_row(&r, &org), (0, 0));
    r.press("yypn");
    r.press("委员出缺<C-s>");
    r.press("x");
    assert!(r.app.stale_below >= 2, "the dashboard and the rounds are stale: {}", r.app.stale_below);
    assert_eq!(dashboard_row(&r, &org), (0, 0), "the dashboard below was not reloaded after each write");
    // What the visit shows, patched item by item, is what a full load shows.
    let Some(Screen::Visit(v)) = r.app.top() else { panic!() };
    let full = r.driver.visit(round, &org).unwrap();
    assert_eq!(format!("{:?}", v.score), format!("{:?}", full.score));
    assert_eq!(v.results.len(), full.results.len());
    for (item, res) in &full.results {
        assert_eq!(v.results[item].verdict, res.verdict, "{item}");
    }
    assert_eq!(v.visit.status, full.visit.status, "the first verdict started the visit");
    assert_eq!(v.score.answered, 5);
    // Back on the dashboard: it is reloaded as it comes back on top.
    r.press("<Esc>");
    assert!(matches!(r.app.top(), Some(Screen::Dashboard(_))));
    assert_eq!(dashboard_row(&r, &org), (5, 1));
    assert_eq!(r.app.stale_below, 1, "the rounds below are still stale");
    let (screen, _) = r.screen(80, 24);
    assert!(screen.contains("5/52") || screen.contains("5/51"), "{screen}");
    // And the rounds screen too.
    r.press("<Esc>");
    let Some(Screen::Rounds(v)) = r.app.top() else { panic!() };
    assert!(v.rows[0].answered >= 5, "{:?}", v.rows[0].answered);
    assert_eq!(r.app.stale_below, 0);
}

#[test]
fn withdrawing_findings_by_a_verdict_updates_the_visit_and_its_score() {
    let (mut r, _) = rig(false, true);
    r.press("<Enter><Enter><Esc>n会议记录代签<C-s>k");
    r.press("y");
    r.press("y");
    let Some(Screen::Visit(v)) = r.app.top() else { panic!() };
    let full = r.driver.visit(v.round.id, &v.org.code).unwrap();
    assert_eq!(v.verdict_of("C1.1"), Some(Verdict::Meets));
    assert!(v.live_findings(Some("C1.1")).is_empty(), "the withdrawn finding is read again");
    assert_eq!(format!("{:?}", v.score), format!("{:?}", full.score));
    assert_eq!(format!("{:?}", v.findings), format!("{:?}", full.findings));
}
