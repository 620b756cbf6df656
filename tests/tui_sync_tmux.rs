//! The 同步 screen end to end in a real terminal: the leader's binary runs in tmux, opens 同步,
//! writes a bundle for the new member to a path typed in Chinese; the member's binary, in no team
//! yet, imports it from its own 同步 screen (Tab completes the file's name); the command line
//! then finds the round and the team on the member's laptop. tmux is installed when missing
//! (tests/support), like the other tmux tests.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod common;

use common::{Folder, json, new_round};
use support::tmux::{Tmux, wait_until_gone};

#[test]
fn a_bundle_written_on_the_sync_screen_is_imported_on_the_members_sync_screen() {
    let leader = Folder::new();
    let member = Folder::new();
    leader.run_ok(&["demo", "--orgs", "60"]);
    leader.run_ok(&["team", "init", "--name", "王明", "--team", "县委组织部督查一组"]);
    let round = new_round(&leader, "2026Q4", "四季度同步测试");
    let request = member.path("join.req");
    member.run_ok(&["team", "request", "--name", "张三", "-o", request.to_str().unwrap()]);
    leader.run_ok(&["team", "admit", request.to_str().unwrap(), "--role", "inspector"]);

    // The leader: 同步, the member's row, a bundle for them to a path typed in Chinese.
    let t = Tmux { socket: format!("xuncha-sync-{}", std::process::id()) };
    t.start(&leader);
    t.wait_for("四季度同步测试");
    t.keys(&["s"]);
    t.wait_for("县委组织部督查一组");
    t.keys(&["j", "e"]);
    t.wait_for("导出给 张三");
    let file = leader.path("给张三的同步包.bundle");
    t.keys(&["C-u"]);
    t.type_text(file.to_str().unwrap());
    t.wait_for("给张三的同步包.bundle");
    t.keys(&["Enter"]);
    t.wait_for("已写出同步包");
    assert!(file.exists(), "the bundle is where the path said");
    t.keys(&["C-c"]);
    wait_until_gone(&leader);
    t.run(&["kill-server"]);

    // The member, in no team yet: its 同步 screen says how to join, and imports the bundle.
    t.start(&member);
    t.wait_for("还没有督查批次");
    t.keys(&["s"]);
    t.wait_for("本机还没有加入督查组");
    t.keys(&["i"]);
    t.wait_for("导入同步包，读取");
    t.keys(&["C-u"]);
    t.type_text(&format!("{}/给张", leader.tmp.path().display()));
    t.keys(&["Tab"]);
    t.wait_for("给张三的同步包.bundle");
    t.keys(&["Enter"]);
    let screen = t.wait_for("已导入同步包");
    assert!(screen.contains("来自 王明") && screen.contains("县委组织部督查一组"), "the team shows once imported: {screen}");
    let header = screen.lines().find(|l| l.contains("巡查")).unwrap_or_default();
    assert!(header.contains("张三") && !header.contains("测试员"), "the roster's name acts from now on: {screen}");
    t.keys(&["q", "q"]);
    wait_until_gone(&member);

    // The command line on the member's laptop finds what landed.
    let rounds = json(&member.run_ok(&["round", "list", "--format", "json"]));
    assert_eq!(rounds[0]["id"], round.as_str(), "{rounds}");
    let status = member.run_ok(&["bundle", "status"]);
    assert!(status.contains("县委组织部督查一组") && status.contains("王明") && status.contains("张三（本机）"), "{status}");
}
