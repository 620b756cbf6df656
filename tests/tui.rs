//! The screens, driven by keys through the real app state and driver on a real store, drawn on
//! ratatui's TestBackend at 80x24 and 120x40 and snapshotted with insta; caret positions asserted.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod screens;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use screens::{col_of, rig, submit_visit};
use xuncha::domain::vocab::Vocab;
use xuncha::tui::app::Screen;
use xuncha::tui::keymap::Keymap;
#[test]
fn first_run_setup_asks_for_the_name_with_the_caret_after_the_typed_text() {
    let (mut r, _) = rig(true, false);
    r.press("王小红");
    let caret = r.snap("setup").unwrap();
    let (screen, _) = r.screen(80, 24);
    assert_eq!(caret.y, 2);
    assert_eq!(caret.x, col_of(&screen, 2, "王小红") + 6, "the caret follows three wide characters");
    r.press("<Tab>第一组<Tab><Right><Right><C-s>");
    assert!(matches!(r.app.top(), Some(Screen::Rounds(_))));
    assert_eq!(r.app.actor, "王小红");
    assert_eq!(r.driver.session.actor, "王小红", "the name is who acts from now on");
}

#[test]
fn rounds_home_empty_and_with_a_round() {
    let (mut r, _) = rig(false, false);
    r.snap("rounds-empty");
    let (mut r, _) = rig(false, true);
    let (screen, caret) = r.screen(80, 24);
    assert!(screen.contains("2026年第四季度督查") && screen.contains("0/"), "{screen}");
    assert_eq!(caret, None, "no caret outside text fields");
    // The round's id is random: blank it for the snapshot.
    let Some(Screen::Rounds(v)) = r.app.top() else { panic!() };
    let id = v.rows[0].round.id.short();
    insta::assert_snapshot!("rounds-80x24", screen.replace(&id, "########"));
    insta::assert_snapshot!("rounds-120x40", r.screen(120, 40).0.replace(&id, "########"));
}

#[test]
fn new_round_form_defaults_and_errors() {
    let (mut r, _) = rig(false, true);
    r.press("n");
    r.snap("new-round");
    // Sample scope with a bad rate: the error is shown next to the field.
    r.press("<Tab><Tab><Tab><Right><Tab><Tab><Tab><BS><BS><BS>abc<C-s>");
    let (screen, _) = r.screen(80, 24);
    assert!(screen.contains("抽样比例应在"), "{screen}");
    r.press("<BS><BS><BS>50%<C-s>");
    assert!(matches!(r.app.top(), Some(Screen::Dashboard(_))), "created and opened");
}

#[test]
fn dashboard_with_filters_and_search() {
    let (mut r, _) = rig(false, true);
    r.press("<Enter>");
    r.snap("dashboard");
    r.press("/hqc");
    let caret = r.snap("dashboard-search").unwrap();
    assert_eq!(caret.y, 1);
    r.press("<Enter>");
    let Some(Screen::Dashboard(d)) = r.app.top() else { panic!() };
    let names: Vec<String> = d.visible().iter().map(|i| d.rows[*i].org.name.clone()).collect();
    assert!(names.first().is_some_and(|n| n.starts_with("红旗")), "pinyin initials find 红旗村: {names:?}");
    r.press("/<Esc>f");
    let Some(Screen::Dashboard(d)) = r.app.top() else { panic!() };
    assert!(d.field.is_some() && d.query.is_empty());
    assert!(d.visible().iter().all(|i| d.rows[*i].org.field == d.field));
}

#[test]
fn the_checklist_walk_scores_live_and_opens_the_finding_form_on_fails() {
    let (mut r, _) = rig(false, true);
    r.press("<Enter><Enter><Esc>");
    r.snap("visit");
    r.press("yyp");
    let Some(Screen::Visit(v)) = r.app.top() else { panic!() };
    assert_eq!((v.score.answered, v.selected), (3, 3), "each verdict moves to the next item");
    assert_eq!(v.score.score, Some(99.0), "partly deducts half of C1.3's 2 points");
    r.press("n");
    assert!(matches!(r.app.top(), Some(Screen::Form(_))), "不符合 opens the finding form");
    r.press("委员出缺半年未补选");
    let caret = r.snap("finding-form").unwrap();
    let (screen, _) = r.screen(80, 24);
    assert_eq!(caret.x, col_of(&screen, caret.y, "委员出缺半年未补选") + 18);
    // A fixed date, so the snapshot does not move with the calendar.
    r.press("<Tab><Tab><Tab><Tab><Tab><BS><BS><BS>2028-01-15<C-s>");
    let Some(Screen::Visit(v)) = r.app.top() else { panic!("saved and back: {:?}", r.app.status) };
    assert_eq!(v.findings.len(), 1);
    assert_eq!(v.item_id(), Some("C1.5"), "saved: on to the next item without a verdict");
    assert_eq!(v.findings[0].description, "委员出缺半年未补选");
    assert_eq!(v.score.score, Some(97.0));
    r.app.status = None;
    r.snap("visit-after-finding");
}

#[test]
fn an_invalid_finding_is_kept_with_its_errors_shown() {
    let (mut r, _) = rig(false, true);
    r.press("<Enter><Enter><Esc>a<Tab><Tab><Tab><Tab><Tab><BS><BS><BS>2020-01-01<C-s>");
    let (screen, _) = r.screen(80, 24);
    assert!(screen.contains("问题描述不能为空") && screen.contains("早于今天"), "{screen}");
    r.snap("finding-form-errors");
    r.press("<Esc>");
    let (screen, _) = r.screen(80, 24);
    assert!(screen.contains("放弃已输入的内容"), "Esc asks before dropping typed text: {screen}");
    r.press("n");
    assert!(matches!(r.app.top(), Some(Screen::Form(_))), "n keeps editing");
}

#[test]
fn notes_edit_in_place_with_the_caret_at_the_end() {
    let (mut r, _) = rig(false, true);
    r.press("<Enter><Enter><Esc>e现场查看记录本");
    let caret = r.snap("visit-note").unwrap();
    let (screen, _) = r.screen(80, 24);
    assert_eq!(caret.x, col_of(&screen, caret.y, "现场查看记录本") + 14);
    r.press("<Enter>");
    let Some(Screen::Visit(v)) = r.app.top() else { panic!() };
    assert_eq!(v.note_of("C1.1"), "现场查看记录本");
}

#[test]
fn opening_a_new_visit_starts_with_the_arrival() {
    let (mut r, _) = rig(false, true);
    r.press("<Enter><Enter>");
    let (screen, caret) = r.screen(80, 24);
    assert!(screen.contains("到达时间  2026-11-22 09:30") && screen.contains("不发通知"), "{screen}");
    assert!(caret.is_some());
    r.press("<Tab><Right><C-s>");
    let Some(Screen::Visit(v)) = r.app.top() else { panic!() };
    assert_eq!(v.visit.status, xuncha::domain::VisitStatus::InProgress, "saving the arrival starts the visit");
    assert_eq!(v.visit.arrival_state, Some(xuncha::domain::ArrivalState::Open));
    r.press("q<Enter>");
    assert!(matches!(r.app.top(), Some(Screen::Visit(_))), "a started visit resumes without the form");
}

#[test]
fn help_submit_veto_and_arrival_overlays() {
    let (mut r, _) = rig(false, true);
    r.press("<Enter><Enter><Esc>?");
    r.snap("help-visit");
    r.press("x");
    r.press("s");
    r.snap("confirm-submit");
    r.press("y");
    let (screen, _) = r.screen(80, 24);
    // A village branch: 58 items (55 for every field, 3 of 领域重点 for 农村), none answered.
    assert!(screen.contains("58 个检查项未作结论") && screen.contains("未填到达时间"), "submit is refused while items are open: {screen}");
    r.press("v");
    r.snap("veto");
    // V2 (伪造会议记录或台账) is triggered by C8.4, not answered yet: refused before a reason is typed.
    r.press("<Down><Enter>");
    let (screen, _) = r.screen(80, 24);
    assert!(screen.contains("请先将 C8.4 判为不符合"), "{screen}");
    // V4 (书记空缺3个月以上且班子瘫痪) stands on C1.4: answered 不符合 first (three items down
    // from C1.1), then the gate with its reason.
    r.press("<Esc>jjjn<Esc>");
    r.press("v<Down><Down><Down><Enter>记录系事后补写");
    let caret = r.screen(80, 24).1;
    assert!(caret.is_some(), "the reason field has the caret");
    r.press("<C-s>");
    let Some(Screen::Visit(v)) = r.app.top() else { panic!() };
    assert_eq!((v.score.grade.as_deref(), v.score.veto), (Some("未达标型"), true));
    r.press("i");
    r.snap("arrival");
    r.press("<Tab><Right><Right><Tab>门锁着，电话联系后10分钟到<C-s>");
    let Some(Screen::Visit(v)) = r.app.top() else { panic!() };
    assert_eq!(v.visit.arrival_note, "门锁着，电话联系后10分钟到");
    assert_eq!(v.visit.arrived_at.unwrap().to_string(), "2026-11-22 09:30:00");
}

#[test]
fn drafts_are_offered_back_at_the_next_start() {
    let (mut r, _) = rig(false, true);
    r.press("<Enter><Enter><Esc><Down>e到达时无人");
    // Restart on the same store: the half-typed note is offered back.
    r.app = xuncha::tui::start(&r.driver, Keymap::default(), false).unwrap();
    let (screen, _) = r.screen(80, 24);
    assert!(screen.contains("未保存的草稿") && screen.contains("C1.2"), "{screen}");
    r.press("y");
    let Some(Screen::Visit(v)) = r.app.top() else { panic!() };
    assert_eq!(v.item_id(), Some("C1.2"));
    assert_eq!(v.note.as_ref().map(|n| n.text()), Some("到达时无人".to_string()));
    r.press("<Enter>");
    assert!(r.driver.session.drafts().unwrap().is_empty(), "saved: the draft is gone");

    // A finding form: declined, the draft is dropped.
    r.press("a书记不在");
    r.app = xuncha::tui::start(&r.driver, Keymap::default(), false).unwrap();
    assert!(r.screen(80, 24).0.contains("未保存的草稿"));
    r.press("n");
    assert!(r.driver.session.drafts().unwrap().is_empty());
}

#[test]
fn the_review_cycle_on_screen() {
    let (mut r, round) = rig(false, true);
    let round = round.unwrap();
    let org = r.driver.session.visits(round).unwrap()[0].org.clone();
    submit_visit(&r, round, &org);
    r.press("r");
    let (screen, _) = r.screen(80, 24);
    assert!(screen.contains("督导使用"), "an inspector has no review queue: {screen}");
    r.become_supervisor();
    r.press("r");
    let Some(Screen::Queue(q)) = r.app.top() else { panic!() };
    let submitted = q.rows[0].submitted_at.unwrap().with_timezone(&chrono::Local).format("%m-%d %H:%M").to_string();
    r.snap_masked("review-queue", &[submitted]);
    r.press("<Enter>");
    r.snap("review-visit");
    // Return the finding with a comment; the visit cannot then be approved as a whole.
    r.press("n请补充佐证照片编号<C-s>A");
    r.press("y");
    let (screen, _) = r.screen(80, 24);
    assert!(screen.contains("被标记为退回"), "{screen}");
    r.press("R请补充后重新提交<C-s>");
    let Some(Screen::Queue(q)) = r.app.top() else { panic!("back on the queue") };
    assert!(q.rows.is_empty());

    // The inspector sees the comments, corrects and resubmits.
    r.become_inspector();
    r.press("q<Enter><Enter>");
    r.press("j");
    let (screen, _) = r.screen(120, 40);
    assert!(screen.contains("请补充后重新提交") && screen.contains("审核意见：请补充佐证照片编号"), "{screen}");
    r.app.status = None;
    r.snap("returned-visit");
    r.press("c<Tab><Tab><Tab><Tab><Tab><Tab>照片3、4<C-s>");
    r.press("sy");
    let Some(Screen::Dashboard(_)) = r.app.top() else { panic!("submitted: {:?}", r.app.status) };

    // The supervisor approves: the finding gets its number.
    r.become_supervisor();
    r.press("qr<Enter>yAy");
    let status = r.app.status.clone().unwrap().0;
    assert!(status.contains("2026Q4-0001"), "{status}");
    let f = &r.driver.session.visit_findings(round, &org).unwrap()[0];
    assert_eq!((f.number.as_deref(), f.evidence.clone()), (Some("2026Q4-0001"), vec!["照片3、4".to_string()]));
}

#[test]
fn item_history_shows_who_changed_what() {
    let (mut r, _) = rig(false, true);
    r.press("<Enter><Enter><Esc>yk");
    r.press("n会议记录缺签到<C-s>");
    let Some(Screen::Visit(v)) = r.app.top() else { panic!() };
    assert_eq!(v.item_id(), Some("C1.2"), "saved: on to the next item without a verdict");
    r.press("kh");
    let (screen, _) = r.screen(120, 40);
    assert!(screen.contains("C1.1 修改记录") && screen.contains("记录结论") && screen.contains("李明"), "{screen}");
    assert!(
        screen.contains("结论: 符合 → 不符合") && screen.contains("记录问题") && screen.contains("问题描述: 会议记录缺签到"),
        "{screen}"
    );
    assert!(!screen.contains("verdict") && !screen.contains("0101001"), "words and names, not keys: {screen}");
}

/// The board's `F` opens a path prompt that completes folders and files with Tab; Enter attaches
/// the file to the selected problem's rectification (a step that keeps the status), says so, and
/// the problem's history shows the file.
#[test]
fn a_file_is_attached_from_the_board() {
    let (mut r, round) = rig(false, true);
    let round = round.unwrap();
    let org = r.driver.session.visits(round).unwrap()[0].org.clone();
    submit_visit(&r, round, &org);
    r.approve_as_supervisor(round, &org).unwrap();
    let files = r._tmp.path().join("佐证");
    std::fs::create_dir_all(&files).unwrap();
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";
    std::fs::write(files.join("现场照片.png"), png).unwrap();
    r.press("b");
    let Some(Screen::Board(b)) = r.app.top() else { panic!() };
    let number = b.rows[0].number.clone();
    let days = b.rows[0].days_left.unwrap().to_string();
    // The folder typed, then Tab completes the one file in it.
    r.press("F");
    let dir = format!("{}/", files.display());
    r.press(&dir);
    r.press("<Tab>");
    let Some(Screen::Board(b)) = r.app.top() else { panic!() };
    assert_eq!(b.prompt.as_ref().unwrap().1.text(), format!("{dir}现场照片.png"));
    r.snap_masked("board-attach", &[days, dir.clone()]);
    // A file that is refused (no such file): the error said, the typed path kept to correct.
    r.press("x<Enter>");
    let Some(Screen::Board(b)) = r.app.top() else { panic!() };
    assert_eq!(b.prompt.as_ref().map(|p| p.1.text()), Some(format!("{dir}现场照片.pngx")), "{:?}", r.app.status);
    assert!(r.app.status.as_ref().is_some_and(|(t, _)| t.contains("现场照片.pngx")), "{:?}", r.app.status);
    r.press("<BS><Enter>");
    let status = r.app.status.clone().unwrap().0;
    assert!(status.contains("现场照片.png") && status.contains(&number), "{status}");
    let (f, listed) = xuncha::service::evidence::list(&r.driver.session, &number).unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].present && listed[0].step.is_some(), "on a step of its own");
    assert_eq!(f.status, xuncha::domain::RectStatus::Pending, "the status stays where it was");
    r.press("h");
    let (screen, _) = r.screen(120, 40);
    assert!(screen.contains(&format!("附件 {} 现场照片.png", listed[0].attachment.short_id())), "{screen}");
    r.press("q");
    // Esc closes the prompt without attaching anything.
    r.press("F<Esc>");
    let Some(Screen::Board(b)) = r.app.top() else { panic!() };
    assert!(b.prompt.is_none());
    assert_eq!(xuncha::service::evidence::list(&r.driver.session, &number).unwrap().1.len(), 1);
}

/// On the visit, `F` attaches a file to the selected item's finding through the same path
/// prompt; the finding then lists its file; an item without a finding says so.
#[test]
fn a_file_is_attached_to_a_finding_on_the_visit() {
    let (mut r, _) = rig(false, true);
    let dir = r._tmp.path().join("photos");
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
    std::fs::write(dir.join("签到表.pdf"), pdf).unwrap();
    r.press("<Enter><Enter><Esc>");
    r.press("F");
    assert!(r.app.status.clone().unwrap().0.contains("没有问题"), "no finding on the first item yet");
    r.press("yyn委员出缺半年未补选<Tab><Tab><Tab><Tab><Tab><BS><BS><BS>2028-01-15<C-s>");
    r.press("k");
    let Some(Screen::Visit(v)) = r.app.top() else { panic!("{:?}", r.app.status) };
    assert_eq!(v.item_id(), Some("C1.3"));
    r.press("F");
    r.press(&format!("{}/签", dir.display()));
    r.press("<Tab><Enter>");
    let Some(Screen::Visit(v)) = r.app.top() else { panic!("{:?}", r.app.status) };
    assert!(v.prompt.is_none());
    let a = &v.findings[0].attachments;
    assert_eq!((a.len(), a[0].name.as_str(), a[0].kind.as_str()), (1, "签到表.pdf", "application/pdf"));
    let id = a[0].short_id().to_string();
    let (screen, _) = r.screen(120, 40);
    assert!(screen.contains(&format!("附件 {id} 签到表.pdf")), "{screen}");
    assert!(r.app.status.clone().unwrap().0.contains("签到表.pdf"));
}

/// The supervisor's review shows each finding's files with their short ids and sizes.
#[test]
fn the_review_shows_a_findings_files() {
    let (mut r, round) = rig(false, true);
    let round = round.unwrap();
    let org = r.driver.session.visits(round).unwrap()[0].org.clone();
    submit_visit(&r, round, &org);
    let finding = xuncha::service::findings::list(&r.driver.session, Some(round), Some(&org)).unwrap()[0].id;
    let photo = r._tmp.path().join("现场照片.png");
    std::fs::write(&photo, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
        .unwrap();
    let a = xuncha::service::evidence::attach_to_finding(&r.driver.session, &finding.to_string(), &photo, 20).unwrap();
    r.become_supervisor();
    r.press("r<Enter>");
    let (screen, _) = r.screen(120, 40);
    assert!(screen.contains(&format!("附件 {} 现场照片.png（33 B）", a.attachment.short_id())), "{screen}");
}

#[test]
fn the_rectification_board_and_statistics() {
    let (mut r, round) = rig(false, true);
    let round = round.unwrap();
    let org = r.driver.session.visits(round).unwrap()[0].org.clone();
    submit_visit(&r, round, &org);
    r.approve_as_supervisor(round, &org).unwrap();
    r.press("b");
    let Some(Screen::Board(b)) = r.app.top() else { panic!() };
    assert_eq!(b.rows.len(), 1);
    let days = b.rows[0].days_left.unwrap().to_string();
    r.snap_masked("board", &[days]);

    // Enter: change the status through the machine; 待整改 → 整改中 with a note.
    r.press("<Enter>");
    r.snap("board-change-status");
    r.press("<Tab>已召开支委会补选委员<C-s>");
    let Some(Screen::Board(b)) = r.app.top() else { panic!("{:?}", r.app.status) };
    assert_eq!(b.rows[0].status, "整改中");
    r.press("h");
    let (screen, _) = r.screen(120, 40);
    assert!(screen.contains("待整改 → 整改中") && screen.contains("已召开支委会补选委员"), "{screen}");
    r.press("q");

    // Filters reload the same rows the export writes; the export key writes them.
    r.press("tt");
    let Some(Screen::Board(b)) = r.app.top() else { panic!() };
    assert_eq!(b.filter.status, Some(xuncha::domain::RectStatus::InProgress));
    assert_eq!(b.rows.len(), 1);
    r.press("x");
    let status = r.app.status.clone().unwrap().0;
    assert!(status.contains("已导出 1 行"), "{status}");
    let exported = std::fs::read_dir(r.driver.export_dir()).unwrap().next().unwrap().unwrap().path();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&exported).unwrap();
    use calamine::Reader;
    let sheet = wb.worksheet_range("整改清单").unwrap();
    assert_eq!(sheet.height(), 3, "the title, the header, the row");
    assert_eq!(sheet.get_value((2, 24)).unwrap().to_string(), "整改中");
    r.press("t");
    let Some(Screen::Board(b)) = r.app.top() else { panic!() };
    assert!(b.rows.is_empty(), "已整改待验收: none");

    r.press("qt");
    r.app.status = None;
    r.snap("statistics");
}

#[test]
fn the_progress_gauge_is_ascii() {
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| xuncha::tui::ui::gauge(f, "导出", 0.45)).unwrap();
    let screen = t.backend().to_string();
    assert!(screen.contains("####") && screen.contains("45%") && screen.contains("导出"), "{screen}");
    assert!(!screen.contains('█'));
}

#[test]
fn the_board_shows_each_open_problem_on_the_escalation_ladder_highest_first() {
    let (mut r, round) = rig(false, true);
    let round = round.unwrap();
    let org = r.driver.session.visits(round).unwrap()[0].org.clone();
    submit_visit(&r, round, &org);
    r.approve_as_supervisor(round, &org).unwrap();
    r.press("b");
    // The one approved problem as four, 3 days left and 5, 40 and 70 days over (default
    // thresholds: 提醒 within 7 days, 督办 over, 约谈 past 30, 问责 past 60), in deadline order.
    let Some(Screen::Board(b)) = r.app.screens.last_mut() else { panic!() };
    let one = b.rows[0].clone();
    b.rows = [(3, "A"), (-5, "B"), (-40, "C"), (-70, "D")]
        .into_iter()
        .map(|(d, n)| {
            let mut row = one.clone();
            row.days_left = Some(d);
            row.number = format!("2026Q4-000{n}");
            row
        })
        .collect();
    b.sort();
    let order: Vec<&str> = b.rows.iter().map(|r| r.number.as_str()).collect();
    assert_eq!(order, ["2026Q4-000D", "2026Q4-000C", "2026Q4-000B", "2026Q4-000A"], "the highest rung first");
    let (screen, _) = r.screen(120, 40);
    for cell in ["问责70", "约谈40", "督办5", "提醒3"] {
        assert!(screen.contains(cell), "{cell}: {screen}");
    }
}

#[test]
fn a_look_back_visit_marks_each_earlier_problem_with_one_key() {
    let (mut r, round) = rig(false, true);
    let round = round.unwrap();
    let org = r.driver.session.visits(round).unwrap()[0].org.clone();
    submit_visit(&r, round, &org);
    r.approve_as_supervisor(round, &org).unwrap();
    // Reported fixed by follow-up: a look-back may find it held or come back.
    let number = r.driver.session.visit_findings(round, &org).unwrap()[0].number.clone().unwrap();
    let done = xuncha::service::rectify::Update {
        status: Some(xuncha::domain::RectStatus::AwaitingAcceptance),
        note: "已补选委员".into(),
        ..Default::default()
    };
    xuncha::service::rectify::set(&r.driver.session, &number, &done).unwrap();
    // On the rounds screen, `l` asks, then starts a look-back at the round selected.
    r.press("l");
    assert!(matches!(r.app.overlay, Some(xuncha::tui::app::Overlay::Confirm { .. })));
    r.press("y");
    let Some(Screen::Dashboard(d)) = r.app.top() else { panic!("the new round's dashboard") };
    assert_eq!((d.round.title.as_str(), d.rows.len()), ("2026年第四季度督查回头看", 1), "the one organisation with a problem");
    let lb = d.round.id;
    // Opening the visit asks for the arrival first, as any visit does.
    r.press("<Enter>");
    assert!(matches!(r.app.top(), Some(Screen::Form(_))));
    r.press("<Esc>");
    let Some(Screen::Lookback(v)) = r.app.top() else { panic!("the look-back visit") };
    assert_eq!(v.earlier.len(), 1);
    // 未整改到位 with a note typed in its form (Chinese), then saved.
    r.press("w");
    r.press("e<Tab>台账仍缺三个月<C-s>");
    let visit = r.driver.session.visit(lb, &org).unwrap().unwrap();
    assert_eq!(visit.rechecks.len(), 1);
    assert_eq!((visit.rechecks[0].mark.zh(), visit.rechecks[0].note.as_str()), ("未整改到位", "台账仍缺三个月"));
    r.snap_masked("lookback", &[lb.short()]);
    // 反弹 opens the new problem it made, a repeat of the earlier one, to complete.
    r.press("f");
    let Some(Screen::Form(_)) = r.app.top() else { panic!("the relapse's form") };
    r.press("<Esc>");
    let relapse = |r: &screens::Rig| {
        r.driver.session.visit_findings(lb, &org).unwrap().into_iter().find(|f| f.repeat_of.as_deref() == Some(number.as_str()))
    };
    let made = relapse(&r).expect("a new problem repeating the earlier one");
    assert_eq!(made.status, xuncha::domain::RectStatus::Pending);
    // Changed to 已巩固: the relapse goes.
    r.press("y");
    assert_eq!(relapse(&r).unwrap().status, xuncha::domain::RectStatus::Withdrawn);
    let visit = r.driver.session.visit(lb, &org).unwrap().unwrap();
    assert_eq!(visit.rechecks[0].mark.zh(), "已巩固");
}

/// A per-occurrence item with its count and a veto gate at the item that triggers it: both on
/// the checklist (x3 and V3 in the list; the count's rule and the gate on the item's page).
#[test]
fn a_count_and_a_gate_show_at_their_items() {
    let (mut r, _) = rig(false, true);
    r.press("<Enter><Enter><Esc>");
    // C3.7 (会议记录要素齐全, 0.5 per record, at most 2) is the 18th item of a village's list.
    r.press(&"j".repeat(17));
    let Some(Screen::Visit(v)) = r.app.top() else { panic!() };
    assert_eq!(v.item_id(), Some("C3.7"));
    // t on an item not found wanting says why not; after 不符合 it asks for the number.
    r.press("t");
    assert!(r.screen(80, 24).0.contains("须为不符合或部分符合才填次数"));
    r.press("n<Esc>t3<Enter>");
    let Some(Screen::Visit(v)) = r.app.top() else { panic!() };
    assert_eq!(v.count_of("C3.7"), Some(3));
    // 3 records × 0.5 = 1.5 of C3.7's 2 points.
    assert_eq!(v.score.score, Some(98.5));
    // C3.1 (6 up) fails, and V3, the gate it triggers (the third), is set.
    r.press("kkkkkkn<Esc>v<Down><Down><Enter>半年未开展组织生活<C-s>");
    let Some(Screen::Visit(v)) = r.app.top() else { panic!() };
    assert_eq!(v.item_id(), Some("C3.1"));
    // 100 - 3 (C3.1) - 1.5 = 95.5, and the veto forces the lowest grade.
    assert_eq!((v.score.score, v.score.grade.as_deref(), v.score.veto), (Some(95.5), Some("未达标型"), true));
    r.snap("visit-gate-at-item");
    // The item cannot leave 不符合 while its gate is set.
    r.press("y");
    let (screen, _) = r.screen(80, 24);
    assert!(screen.contains("触发了已设置的一票否决 V3"), "{screen}");
    let Some(Screen::Visit(v)) = r.app.top() else { panic!() };
    assert_eq!(v.verdict_of("C3.1"), Some(xuncha::domain::Verdict::Fails), "refused: still 不符合");
    // The verdict key moved on to C3.2: C3.7 is five further.
    r.press("jjjjj");
    let Some(Screen::Visit(v)) = r.app.top() else { panic!() };
    assert_eq!(v.item_id(), Some("C3.7"));
    let (screen, _) = r.screen(80, 24);
    assert!(screen.contains("次数：3") && screen.contains("每次扣 0.5 分，最多扣 2 分，已扣 1.5 分"), "{screen}");
    r.snap("visit-count-at-item");
}
