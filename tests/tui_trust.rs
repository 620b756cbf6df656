//! The screens record only what is true, and lose nothing typed: every form and popup is a draft
//! offered back after a restart, a verdict key never leaves a finding under 符合, the arrival
//! defaults to when the visit was opened, closed visits read as closed, and `q` asks before
//! leaving drafts behind. Driven by keys through the real app and driver on a real store.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod screens;

use screens::{Rig, rig, submit_visit};
use xuncha::clock::Clock;
use xuncha::domain::{RectStatus, Verdict, VisitStatus};
use xuncha::tui::app::{Overlay, Screen};
use xuncha::tui::keymap::Keymap;

/// A restart on the same store: what a kill (or a pulled plug) and a new start leave.
fn restart(r: &mut Rig) {
    r.app = xuncha::tui::start(&r.driver, Keymap::default(), false).unwrap();
}

/// The question offering a kept draft back (it is also on screen).
fn offered(r: &mut Rig) -> String {
    let (screen, _) = r.screen(100, 30);
    assert!(screen.contains("未保存的草稿"), "a draft is offered: {screen}");
    match &r.app.overlay {
        Some(Overlay::Confirm { text, .. }) => text.clone(),
        _ => panic!("no question"),
    }
}

fn visit(r: &Rig) -> &xuncha::tui::views::VisitView {
    match r.app.top() {
        Some(Screen::Visit(v)) => v,
        other => panic!("not on a visit: {:?} {:?}", other.map(std::mem::discriminant), r.app.status),
    }
}

fn form_text(r: &Rig, field: usize) -> String {
    match r.app.top() {
        Some(Screen::Form(f)) => f.fields[field].1.value(),
        _ => panic!("no form on top: {:?}", r.app.status),
    }
}

#[test]
fn every_form_and_popup_is_kept_while_typed_and_offered_back_after_a_restart() {
    let (mut r, round) = rig(false, true);
    let round = round.unwrap();
    // The arrival form, typed into and never saved.
    r.press("<Enter><Enter><Tab><Tab>门开着无人值守");
    restart(&mut r);
    let screen = offered(&mut r);
    assert!(screen.contains("柳河村党支部 - 到达情况"), "{screen}");
    r.press("y");
    assert_eq!(form_text(&r, 2), "门开着无人值守", "the arrival note comes back as typed");
    assert!(matches!(r.app.screens.get(r.app.screens.len() - 2), Some(Screen::Visit(_))), "over its visit");
    r.press("<Tab><Tab><Tab><Tab><C-s>");
    assert!(visit(&r).visit.arrived_at.is_some() && r.driver.session.drafts().unwrap().is_empty(), "saved: the draft is gone");

    // A veto gate's reason: V4 (书记空缺3个月以上且班子瘫痪), on its item C1.4 answered 不符合.
    r.press("jjjn<Esc>");
    r.press("v<Down><Down><Down><Enter>记录系事后补写");
    restart(&mut r);
    assert!(offered(&mut r).contains("一票否决 V4"));
    r.press("y");
    assert_eq!(form_text(&r, 0), "记录系事后补写");
    r.press("<Esc>y");
    assert!(r.driver.session.drafts().unwrap().is_empty(), "dropped on purpose");

    // The new round form.
    r.press("qqn<BS><BS><BS><BS>专项督查");
    restart(&mut r);
    assert!(offered(&mut r).contains("新建督查批次"));
    r.press("y");
    assert!(form_text(&r, 0).ends_with("专项督查"));
    r.press("<Esc>y");

    // The supervisor's comments: on a finding, and on the whole visit.
    let org = r.driver.session.visits(round).unwrap()[1].org.clone();
    submit_visit(&r, round, &org);
    r.become_supervisor();
    r.press("r<Enter>n请补充照片");
    restart(&mut r);
    r.become_supervisor();
    assert!(offered(&mut r).contains("审核意见"));
    r.press("y");
    assert_eq!(form_text(&r, 0), "请补充照片");
    assert!(matches!(r.app.screens.get(r.app.screens.len() - 2), Some(Screen::Review(_))), "over the review");
    r.press("<C-s>");
    assert!(r.driver.session.drafts().unwrap().is_empty());
    r.press("R退回重查");
    restart(&mut r);
    assert!(offered(&mut r).contains("退回意见"));
    r.press("y");
    assert_eq!(form_text(&r, 0), "退回重查");
    r.press("<C-s>");
    let v = r.driver.session.visit(round, &org).unwrap().unwrap();
    assert_eq!((v.status, v.return_comment.as_str()), (VisitStatus::Returned, "退回重查"));

    // A rectification step on the board.
    r.become_inspector();
    let other = r.driver.session.visits(round).unwrap()[2].org.clone();
    submit_visit(&r, round, &other);
    r.approve_as_supervisor(round, &other).unwrap();
    restart(&mut r);
    r.press("b<Enter><Tab>已召开支委会");
    restart(&mut r);
    assert!(offered(&mut r).contains("更改整改状态"));
    r.press("y");
    assert_eq!(form_text(&r, 1), "已召开支委会");
    assert!(matches!(r.app.screens.get(r.app.screens.len() - 2), Some(Screen::Board(_))), "over the board");
    r.press("<C-s>");
    let numbered = r.driver.session.visit_findings(round, &other).unwrap();
    assert_eq!(numbered[0].status, RectStatus::InProgress);
    assert!(r.driver.session.drafts().unwrap().is_empty());
}

#[test]
fn the_first_run_form_comes_back_as_typed() {
    let (mut r, _) = rig(true, false);
    r.press("王小红<Tab>第二组");
    r.app = xuncha::tui::start(&r.driver, Keymap::default(), true).unwrap();
    assert_eq!((form_text(&r, 0), form_text(&r, 1)), ("王小红".to_string(), "第二组".to_string()));
}

#[test]
fn drafts_are_offered_one_after_another_esc_keeps_them_and_q_asks() {
    let (mut r, _) = rig(false, true);
    // Two kept: a note on C1.1 and a finding on C1.2, both half-typed.
    r.press("<Enter><Enter><Esc>e记录本缺页");
    r.app.screens.truncate(2);
    r.press("<Enter><Esc>ja书记不在");
    restart(&mut r);
    let first = offered(&mut r);
    r.press("n");
    let second = offered(&mut r);
    assert_ne!(first, second, "the next draft is offered once the first is dealt with");
    r.press("<Esc>");
    let (screen, _) = r.screen(100, 30);
    assert!(screen.contains("草稿已保留"), "Esc keeps the draft for the next start: {screen}");
    assert_eq!(r.driver.session.drafts().unwrap().len(), 1);
    // q on the home screen asks, because a draft is kept.
    r.press("q");
    let Some(Overlay::Confirm { text, .. }) = &r.app.overlay else { panic!("q asks first") };
    assert!(text.contains("1 份未保存的草稿"), "{text}");
    r.press("n");
    assert!(!r.app.quit, "n stays");
    r.press("qy");
    assert!(r.app.quit);
}

#[test]
fn a_verdict_key_never_leaves_a_finding_under_meets() {
    let (mut r, _) = rig(false, true);
    r.press("<Enter><Enter><Esc>n会议记录代签<C-s>");
    assert_eq!(visit(&r).item_id(), Some("C1.2"), "saved: on to the next item without a verdict");
    // Back on C1.1: y asks what to do with its finding; n keeps the old verdict.
    r.press("k");
    r.press("y");
    let Some(Overlay::Confirm { text, .. }) = &r.app.overlay else { panic!("y over a finding asks") };
    assert!(text.contains("C1.1 已记录 1 个问题") && text.contains("符合"), "{text}");
    r.press("n");
    let v = visit(&r);
    assert_eq!((v.verdict_of("C1.1"), v.live_findings(Some("C1.1")).len()), (Some(Verdict::Fails), 1), "nothing changed");
    // x the same; y withdraws the finding and records the verdict in one step.
    r.press("x");
    assert!(r.app.overlay.is_some(), "x over a finding asks too");
    r.press("y");
    r.press("k");
    let v = visit(&r);
    assert_eq!(v.verdict_of("C1.1"), Some(Verdict::NotApplicable));
    assert!(v.live_findings(Some("C1.1")).is_empty());
    assert_eq!(v.item_findings(Some("C1.1"))[0].status, RectStatus::Withdrawn, "withdrawn, not deleted");
    let (screen, _) = r.screen(120, 40);
    assert!(screen.contains("[已撤销] 会议记录代签"), "{screen}");
    // a on an item marked 符合 asks before a finding turns it into 不符合.
    r.press("jy");
    r.press("k");
    assert_eq!(visit(&r).verdict_of("C1.2"), Some(Verdict::Meets));
    r.press("a");
    let Some(Overlay::Confirm { text, .. }) = &r.app.overlay else { panic!("a over 符合 asks") };
    assert!(text.contains("C1.2 的结论为\"符合\""), "{text}");
    r.press("y委员缺额<C-s>");
    r.press("k");
    let v = visit(&r);
    assert_eq!(v.verdict_of("C1.2"), Some(Verdict::Fails), "the finding made the item 不符合");
    assert_eq!(v.live_findings(Some("C1.2")).len(), 1);
}

#[test]
fn the_arrival_defaults_to_when_the_visit_was_opened() {
    let (mut r, _) = rig(false, true);
    r.press("<Enter><Enter><Esc>");
    // Time passes on site before the inspector gets to the arrival form.
    let later = Clock::fixed_local("2026-11-22 10:45").unwrap();
    r.driver.session.clock = later;
    r.app.clock = later;
    r.press("i");
    assert_eq!(form_text(&r, 0), "2026-11-22 09:30", "the moment the visit was opened, not now");
    // A time in the future, or before the round's quarter, is refused at the field.
    r.press("<BS><BS><BS><BS><BS>11:00<C-s>");
    assert!(r.screen(80, 24).0.contains("晚于现在"));
    for _ in 0.."2026-11-22 11:00".chars().count() {
        r.press("<BS>");
    }
    r.press("2026-09-30 10:00<C-s>");
    let (screen, _) = r.screen(80, 24);
    assert!(screen.contains("早于本批次所在季度的开始") && screen.contains("2026-10-01"), "wrapped under the field, never cut: {screen}");
}

#[test]
fn submitted_and_approved_visits_read_as_closed() {
    let (mut r, round) = rig(false, true);
    let round = round.unwrap();
    let org = r.driver.session.visits(round).unwrap()[0].org.clone();
    submit_visit(&r, round, &org);
    r.press("<Enter><Enter>");
    let (screen, _) = r.screen(80, 24);
    assert!(screen.contains("只读：已提交，等待督导审核。如需修改，请督导退回。"), "{screen}");
    let before = r.driver.session.results(round, &org).unwrap();
    for key in ["y", "n", "i", "v", "a", "e", "s"] {
        r.press(key);
        assert!(matches!(r.app.top(), Some(Screen::Visit(_))) && r.app.overlay.is_none(), "{key} opens nothing");
        assert!(r.app.status.as_ref().is_some_and(|(t, _)| t.starts_with("只读")), "{key} says why");
    }
    assert_eq!(r.driver.session.results(round, &org).unwrap(), before);
    r.approve_as_supervisor(round, &org).unwrap();
    r.press("q<Enter>");
    let (screen, _) = r.screen(100, 30);
    assert!(screen.contains("只读：已由 张督导 审核通过"), "{screen}");
}

#[test]
fn approval_checks_the_gaps_a_submission_does() {
    let (mut r, round) = rig(false, true);
    let round = round.unwrap();
    let org = r.driver.session.visits(round).unwrap()[0].org.clone();
    submit_visit(&r, round, &org);
    // A visit submitted by an earlier version, without its arrival state.
    let mut v = r.driver.session.visit(round, &org).unwrap().unwrap();
    v.arrival_state = None;
    let commit = xuncha::store::Commit::new("test.legacy", serde_json::json!({}), vec![xuncha::store::Write::put(&v)]);
    r.driver.session.raw_store().commit("测试", commit).unwrap();
    let err = r.approve_as_supervisor(round, &org).unwrap_err().to_string();
    assert!(err.contains("不能通过") && err.contains("未填到达情况"), "{err}");
    assert_eq!(r.driver.session.visit(round, &org).unwrap().unwrap().status, VisitStatus::Submitted);
}

#[test]
fn long_names_are_whole_or_visibly_cut() {
    let (mut r, round) = rig(false, true);
    let round = round.unwrap();
    let mut names: Vec<String> =
        r.driver.session.visits(round).unwrap().iter().map(|v| r.driver.session.org(&v.org).unwrap().unwrap().name).collect();
    names.sort_by_key(|n| std::cmp::Reverse(unicode_width::UnicodeWidthStr::width(n.as_str())));
    r.press("<Enter>");
    for (w, h) in [(80, 24), (120, 40)] {
        let (screen, _) = r.screen(w, h);
        for name in &names {
            // Rows below the fold are not drawn: a name is judged where its start is on screen.
            if !screen.contains(&name.chars().take(5).collect::<String>()) {
                continue;
            }
            let whole = screen.contains(name.as_str());
            let cut = (2..name.chars().count()).any(|n| screen.contains(&format!("{}~", name.chars().take(n).collect::<String>())));
            assert!(whole || cut, "{name} at {w}x{h} is neither whole nor marked as cut:\n{screen}");
        }
    }
    let (wide, _) = r.screen(120, 40);
    assert!(wide.contains(names[0].as_str()), "the longest name ({}) fits at 120 columns:\n{wide}", names[0]);
}

#[test]
fn the_first_run_loads_demo_data_with_its_form_kept_as_a_draft() {
    let (mut r, _) = rig(true, false);
    r.press("王小红<Tab>第二组<C-s>");
    assert!(matches!(r.app.top(), Some(Screen::Rounds(_))), "{:?}", r.app.status);
    assert_eq!(r.driver.session.orgs().unwrap().len(), 2000, "the demo data loaded although the form had a draft");
    assert!(r.driver.session.drafts().unwrap().is_empty());
}
