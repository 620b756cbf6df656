//! End to end in a real terminal: the binary runs in tmux, keys (Chinese included) are typed
//! with send-keys, the screen is read with capture-pane. The process is killed with SIGKILL in
//! the middle of typing a finding; after a restart the typed text is offered back, saved, and
//! found through the CLI. The tests install tmux (and procps) when they are missing (tests/support).

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod common;

use common::Folder;
use std::process::Command;
use std::time::Duration;
use support::tmux::{Tmux, wait_until_gone};

#[test]
fn a_chinese_finding_typed_before_a_sigkill_is_offered_back_and_saved() {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "300", "--seed", "3"]);
    f.run_ok(&["round", "new", "--title", "端到端测试批次", "--quarter", "2026Q4", "--under", "0101001"]);
    let t = Tmux { socket: format!("xuncha-e2e-{}", std::process::id()) };
    t.start(&f);

    t.wait_for("端到端测试批次");
    t.keys(&["Enter"]);
    t.wait_for("未开始");
    t.keys(&["Enter"]);
    t.wait_for("到达时间");
    // The arrival: found the door open, a note in Chinese.
    t.keys(&["Tab", "Right", "Tab"]);
    t.type_text("门开着，值班人员在岗");
    t.keys(&["C-s"]);
    t.wait_for("得分");
    t.keys(&["y"]);
    t.wait_for("进度 1/");
    t.keys(&["n"]);
    t.wait_for("问题描述");
    let text = "会议记录由他人代签，书记未到场";
    t.type_text(text);
    let screen = t.wait_for(text);
    assert!(screen.contains("整改时限"), "{screen}");

    // Pull the plug: SIGKILL every process of this data folder.
    let killed = Command::new("pkill").args(["-KILL", "-f", &f.data().display().to_string()]).status().unwrap();
    assert!(killed.success(), "the running xuncha was found and killed");
    wait_until_gone(&f);
    t.run(&["kill-server"]);

    // The verdicts before the kill are stored; the half-typed finding is not a finding yet.
    let rounds: serde_json::Value = serde_json::from_str(&f.run_ok(&["round", "list", "--format", "json"])).unwrap();
    let id = rounds[0]["id"].as_str().unwrap().to_string();
    let shown: serde_json::Value = serde_json::from_str(&f.run_ok(&["round", "show", &id, "--format", "json"])).unwrap();
    let first = &shown["organisations"][0];
    assert_eq!((first["answered"].as_u64(), first["status"].as_str()), (Some(2), Some("检查中")), "y and n were saved: {first}");
    let findings: serde_json::Value = serde_json::from_str(&f.run_ok(&["finding", "list", "--format", "json"])).unwrap();
    assert_eq!(findings.as_array().unwrap().len(), 0);

    t.start(&f);
    let screen = t.wait_for("未保存的草稿");
    assert!(screen.contains("C1.2"), "the draft names its item: {screen}");
    t.keys(&["y"]);
    t.wait_for(text);
    t.keys(&["C-s"]);
    t.wait_for("已保存");
    t.keys(&["C-c"]);
    wait_until_gone(&f);

    let findings: serde_json::Value = serde_json::from_str(&f.run_ok(&["finding", "list", "--format", "json"])).unwrap();
    let list = findings.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["description"], text);
    assert_eq!(list[0]["item"], "C1.2");
    assert_eq!(list[0]["created_by"], "测试员");
    f.run_ok(&["audit", "verify"]);
}

#[test]
fn the_first_run_asks_for_the_inspector_once_and_loads_demo_data() {
    let f = Folder::new();
    let t = Tmux { socket: format!("xuncha-first-{}", std::process::id()) };
    t.start_as(&f, None);
    t.wait_for("检查人姓名");
    t.type_text("王小红");
    t.keys(&["Tab"]);
    t.type_text("第二督查组");
    t.keys(&["C-s"]);
    t.wait_for("还没有督查批次");
    t.keys(&["C-c"]);
    wait_until_gone(&f);
    let config = std::fs::read_to_string(f.config().join("config.toml")).unwrap();
    assert!(config.contains("王小红") && config.contains("第二督查组"), "{config}");
    let status = f.command().env_remove("XUNCHA_INSPECTOR").arg("status").output().unwrap();
    let status = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(status.contains("组织: 2000") && status.contains("检查人: 王小红"), "{status}");
    // Asked once: the next start goes straight to the rounds.
    t.start_as(&f, None);
    t.wait_for("还没有督查批次");
}

#[test]
fn a_half_typed_arrival_survives_a_sigkill_and_the_home_screen_never_quits_by_reflex() {
    let f = Folder::new();
    f.run_ok(&["demo", "--orgs", "300", "--seed", "3"]);
    f.run_ok(&["round", "new", "--title", "到达草稿测试", "--quarter", "2026Q4", "--under", "0101001"]);
    let t = Tmux { socket: format!("xuncha-arrival-{}", std::process::id()) };
    t.start(&f);
    t.wait_for("到达草稿测试");
    // Esc on the home screen is not quit.
    t.keys(&["Escape"]);
    std::thread::sleep(Duration::from_millis(300));
    t.wait_for("到达草稿测试");
    t.keys(&["Enter"]);
    t.wait_for("未开始");
    t.keys(&["Enter"]);
    t.wait_for("到达时间");
    // The arrival: the state, then a note in Chinese, never saved.
    t.keys(&["Tab", "Right", "Tab"]);
    let note = "大门敞开，值班室无人";
    t.type_text(note);
    t.wait_for(note);
    let killed = Command::new("pkill").args(["-KILL", "-f", &f.data().display().to_string()]).status().unwrap();
    assert!(killed.success(), "the running xuncha was found and killed");
    wait_until_gone(&f);
    t.run(&["kill-server"]);

    t.start(&f);
    let screen = t.wait_for("未保存的草稿");
    assert!(screen.contains("到达情况"), "the draft names its form: {screen}");
    t.keys(&["y"]);
    let screen = t.wait_for(note);
    assert!(screen.contains("< 开门 >"), "the choice comes back too: {screen}");
    t.keys(&["C-s"]);
    t.wait_for("已保存");
    // A finding, so the arrival shows in `finding list`.
    t.keys(&["n"]);
    t.wait_for("问题描述");
    t.type_text("党员大会记录缺签到");
    t.keys(&["C-s"]);
    t.wait_for("已保存");
    // q with nothing kept quits at once.
    t.keys(&["q", "q", "q"]);
    wait_until_gone(&f);

    let findings: serde_json::Value = serde_json::from_str(&f.run_ok(&["finding", "list", "--format", "json"])).unwrap();
    let visit = &findings[0]["visit"];
    assert_eq!((visit["arrival_note"].as_str(), visit["arrival_state"].as_str()), (Some(note), Some("开门")), "{visit}");
    assert!(visit["arrived_at"].is_string());
    f.run_ok(&["audit", "verify"]);
}

#[test]
fn a_look_back_visit_is_started_marked_in_chinese_and_submitted_in_a_real_terminal() {
    let f = Folder::new();
    // The earlier round: one branch, two problems approved; one reported done.
    f.set_now("2026-08-20 10:00");
    f.run_ok(&["demo", "--orgs", "300", "--seed", "3"]);
    let q3 = common::new_round(&f, "2026Q3", "三季度督查");
    let shown = common::json(&f.run_ok(&["round", "show", &q3, "--format", "json"]));
    let org = shown["organisations"][0]["code"].as_str().unwrap().to_string();
    common::fill_sheet(&f, &q3, &org, &[("C1.1", "名册不全"), ("C1.2", "台账缺失")], "王书记", true);
    common::approve_all(&f);
    let list = common::json(&f.run_ok(&["finding", "list", "--format", "json"]));
    let number = |d: &str| list.as_array().unwrap().iter().find(|x| x["description"] == d).unwrap()["number"].as_str().unwrap().to_string();
    let (held, not_done) = (number("名册不全"), number("台账缺失"));
    f.set_now("2026-09-01 10:00");
    f.run_ok(&["rectify", "set", &held, "--status", "已整改待验收", "--note", "已补齐名册"]);
    f.run_ok(&["rectify", "set", &not_done, "--status", "已整改待验收", "--note", "已补齐台账"]);

    // In the terminal: `l` on the round, yes, the look-back's dashboard, its one visit.
    let t = Tmux { socket: format!("xuncha-e2e-lb-{}", std::process::id()) };
    t.start(&f);
    t.wait_for("三季度督查");
    t.keys(&["l"]);
    t.wait_for("开展整改回头看");
    t.keys(&["y"]);
    t.wait_for("三季度督查回头看");
    t.keys(&["Enter"]);
    t.wait_for("到达时间");
    t.keys(&["Tab", "Right", "Tab"]);
    t.type_text("直奔现场，书记在岗");
    t.keys(&["C-s"]);
    let screen = t.wait_for("回头看 0/2");
    assert!(screen.contains(&held) && screen.contains(&not_done), "each earlier problem:\n{screen}");
    // The first held; on to the second, shown with its record; not done, with what was seen
    // typed in Chinese.
    t.keys(&["y"]);
    let screen = t.wait_for("回头看 1/2");
    assert!(screen.contains("已整改待验收") && screen.contains("已补齐台账"), "the record of the second:\n{screen}");
    t.keys(&["w"]);
    t.wait_for("回头看 2/2");
    t.keys(&["e"]);
    t.wait_for("看到的情况");
    t.keys(&["Tab"]);
    t.type_text("台账仍缺三个月");
    t.keys(&["C-s"]);
    t.wait_for("台账仍缺三个月");
    t.keys(&["s"]);
    t.wait_for("提交");
    t.keys(&["y"]);
    t.wait_for("已提交");
    t.keys(&["C-c"]);
    wait_until_gone(&f);
    t.run(&["kill-server"]);

    // Approved by the supervisor: the marks are in the earlier problems' histories.
    common::approve_all(&f);
    let list = common::json(&f.run_ok(&["finding", "list", "--format", "json"]));
    let get = |n: &str| list.as_array().unwrap().iter().find(|x| x["number"] == n).unwrap().clone();
    let (h, w) = (get(&held), get(&not_done));
    let last = |x: &serde_json::Value| x["rect"]["updates"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last(&h)["recheck"]["mark"], "已巩固");
    assert_eq!(w["status"], "退回重改", "reported done, found not done: reopened");
    assert_eq!((last(&w)["recheck"]["mark"].as_str(), last(&w)["note"].as_str()), (Some("未整改到位"), Some("台账仍缺三个月")));
    assert_eq!(last(&w)["recheck"]["flags_on"], "2026-09-01", "the claim of 09-01 is flagged");
    f.run_ok(&["audit", "verify"]);
}
