//! A write refreshes what it touched: the screen on top (after a verdict, only the item and the
//! score), while the screens below are marked stale and reloaded when they come back on top.
//! And the dashboard's search over the kept rows: pinyin initials, full pinyin, any case.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

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
    // 58 items for a village, 57 for the other fields (docs/templates.md).
    assert!(screen.contains("5/58") || screen.contains("5/57"), "{screen}");
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

#[test]
fn search_finds_pinyin_initials_full_pinyin_and_codes_in_any_case() {
    let (mut r, _) = rig(false, true);
    r.press("<Enter>");
    for q in ["hqc", "HQC", "hongqi", "HongQi", "红旗"] {
        r.press(&format!("/{q}<Enter>"));
        let Some(Screen::Dashboard(d)) = r.app.top() else { panic!() };
        let first = d.selected_row().map(|x| x.org.name.clone()).unwrap_or_default();
        assert!(first.starts_with("红旗"), "{q} finds 红旗村 first, got {first:?}");
        r.press("/<Esc>");
    }
    let Some(Screen::Dashboard(d)) = r.app.top() else { panic!() };
    let all = d.visible().len();
    assert_eq!(all, d.rows.len(), "Esc clears the search");
    let code = d.rows[3].org.code.clone();
    r.press(&format!("/{code}<Enter>"));
    let Some(Screen::Dashboard(d)) = r.app.top() else { panic!() };
    assert_eq!(d.selected_row().map(|x| x.org.code.clone()), Some(code.clone()), "a code finds its row first");
    // Typing more narrows; erasing widens again to what the shorter text finds.
    r.press("/<Esc>/hq");
    let Some(Screen::Dashboard(d)) = r.app.top() else { panic!() };
    let two = d.visible().to_vec();
    r.press("c");
    let Some(Screen::Dashboard(d)) = r.app.top() else { panic!() };
    let three = d.visible().to_vec();
    assert!(three.len() <= two.len() && three.iter().all(|i| two.contains(i)));
    r.press("<BS>");
    let Some(Screen::Dashboard(d)) = r.app.top() else { panic!() };
    assert_eq!(d.visible(), two.as_slice(), "the same rows in the same order as typed the first time");
    // A filter applies to the kept rows, with the search.
    r.press("<Enter>f");
    let Some(Screen::Dashboard(d)) = r.app.top() else { panic!() };
    assert!(d.field.is_some());
    assert!(d.visible().iter().all(|i| d.rows[*i].org.field == d.field));
}

#[test]
fn a_long_dashboard_scrolls_with_the_selection_in_sight() {
    let (mut r, _) = rig(false, true);
    r.press("<Enter>");
    let Some(Screen::Dashboard(d)) = r.app.top() else { panic!() };
    let n = d.rows.len();
    // 80x24: 20 rows under the header.
    assert!(n > 20, "{n}");
    let name = |d: &xuncha::tui::views::DashboardView, i: usize| -> String { d.rows[d.visible()[i]].org.name.chars().take(5).collect() };
    let (first, last) = (name(d, 0), name(d, n - 1));
    for _ in 0..n + 3 {
        r.press("j");
    }
    let Some(Screen::Dashboard(d)) = r.app.top() else { panic!() };
    assert_eq!(d.selected, n - 1);
    let top_now = name(d, n - 20);
    let (screen, _) = r.screen(80, 24);
    let rows: Vec<&str> = screen.lines().skip(3).take(20).collect();
    assert!(rows[19].contains(&last), "the selected last row is drawn at the bottom:\n{screen}");
    assert!(rows[0].contains(&top_now), "the window starts 20 rows above:\n{screen}");
    assert!(!rows.iter().any(|l| l.contains(&first)) || first == top_now, "scrolled past the first row:\n{screen}");
    r.press("<Up>");
    let (again, _) = r.screen(80, 24);
    assert_eq!(again.lines().skip(3).take(20).collect::<Vec<_>>().len(), 20);
}
