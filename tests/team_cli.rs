//! The team through the binary, on two laptops (two data and config folders): the leader makes
//! the team, a member's laptop writes a signed join request, the leader admits it with roles;
//! `whoami` and `team list` show the same names and key fingerprints on both sides; a changed
//! request, a request that is not one, a second init and an admit away from the leader's laptop
//! are refused with the reason and change nothing.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Folder, dump};

fn line_value<'a>(out: &'a str, label: &str) -> &'a str {
    out.lines().find_map(|l| l.strip_prefix(label).and_then(|r| r.strip_prefix('：'))).unwrap_or_else(|| panic!("no {label} in:\n{out}"))
}

#[test]
fn leader_admits_a_member_by_signed_request() {
    let leader = Folder::new();
    let member = Folder::new();

    // Alone, each laptop says so; the key is made once, owner-only.
    let alone = leader.run_ok(&["whoami"]);
    assert_eq!(line_value(&alone, "督查组"), "未加入督查组（单人使用）");
    assert_eq!(line_value(&alone, "姓名"), "测试员");
    let key = leader.config().join("laptop.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let leader_print = line_value(&alone, "密钥指纹").to_string();
    assert_eq!(line_value(&leader.run_ok(&["whoami"]), "密钥指纹"), leader_print, "the same key on every run");

    let made = leader.run_ok(&["team", "init", "--name", "王明", "--team", "县委组织部督查一组"]);
    assert!(made.contains("已建立督查组“县委组织部督查一组”，组长：王明"), "{made}");
    let me = leader.run_ok(&["whoami"]);
    assert_eq!(line_value(&me, "姓名"), "王明（组长）");
    assert_eq!(line_value(&me, "督查组"), "县委组织部督查一组");
    assert_eq!(line_value(&me, "角色"), "检查员（inspector）、审核员（reviewer）、督办员（followup）");
    let en = leader.run_ok(&["--lang", "en", "whoami"]);
    assert!(
        en.contains("name: 王明 (leader)\nteam: 县委组织部督查一组\nroles: inspector, reviewer, followup\n"),
        "no Chinese punctuation in English: {en}"
    );

    // A second team on the same laptop is refused.
    let again = leader.run(&["team", "init", "--name", "王明", "--team", "二组"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("本机已有督查组“县委组织部督查一组”的人员名单（第 1 版）"), "{}", again.stderr);

    // The member's laptop writes its request; its fingerprint is printed for comparing aloud.
    let req = member.path("zhangsan.req");
    let wrote = member.run_ok(&["team", "request", "--name", "张三", "-o", req.to_str().unwrap()]);
    let member_print = line_value(&member.run_ok(&["whoami"]), "密钥指纹").to_string();
    assert!(wrote.contains(&member_print), "{wrote}");
    assert_ne!(member_print, leader_print);

    // A request changed on the way is refused whole, naming the file and the reason.
    let before = dump(&leader);
    let text = std::fs::read_to_string(&req).unwrap();
    let forged = leader.path("forged.req");
    std::fs::write(&forged, text.replace("张三", "李四")).unwrap();
    let r = leader.run(&["team", "admit", forged.to_str().unwrap(), "--role", "reviewer"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("forged.req") && r.stderr.contains("签名与申请内容或密钥不符"), "{}", r.stderr);
    let not_one = leader.path("notes.req");
    std::fs::write(&not_one, "{\"hello\": 1}").unwrap();
    let r = leader.run(&["team", "admit", not_one.to_str().unwrap(), "--role", "reviewer"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("不是 xuncha 的加入申请"), "{}", r.stderr);
    assert_eq!(dump(&leader), before, "refused requests change nothing");

    // Admitted with two roles: version 2, both names and fingerprints on the list.
    let admitted = leader.run_ok(&["team", "admit", req.to_str().unwrap(), "--role", "inspector", "--role", "reviewer"]);
    assert!(admitted.contains("已加入：张三（检查员（inspector）、审核员（reviewer）），人员名单第 2 版"), "{admitted}");
    let list = leader.run_ok(&["team", "list"]);
    assert!(list.contains("督查组“县委组织部督查一组”人员名单 第 2 版"), "{list}");
    let zhang = list.lines().find(|l| l.starts_with("张三")).unwrap();
    assert!(zhang.contains(&member_print) && zhang.contains("审核员"), "{list}");
    let wang = list.lines().find(|l| l.starts_with("王明（组长）")).unwrap();
    assert!(wang.contains(&leader_print) && wang.contains("编号电脑"), "{list}");

    // The member's laptop holds no roster yet (it arrives in a bundle): admitting there is refused.
    let r = member.run(&["team", "admit", req.to_str().unwrap(), "--role", "inspector"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("本机还没有督查组"), "{}", r.stderr);

    // The roster is a record like any other: carried by a backup and restored whole.
    let backup = leader.path("team.jsonl");
    leader.run_ok(&["backup", backup.to_str().unwrap()]);
    let elsewhere = Folder::new();
    elsewhere.run_ok(&["restore", backup.to_str().unwrap()]);
    assert_eq!(elsewhere.run_ok(&["team", "list"]), list, "the restored roster is the same");

    // Audited, and the chain verifies.
    let verified = leader.run_ok(&["audit", "verify"]);
    assert!(verified.contains("审计链完整：2 条记录") && verified.contains("数据记录与审计日志一致：1 条"), "{verified}");
}

#[test]
fn a_damaged_key_is_refused_never_replaced() {
    let f = Folder::new();
    std::fs::create_dir_all(f.config()).unwrap();
    std::fs::write(f.config().join("laptop.key"), "not a key").unwrap();
    let r = f.run(&["whoami"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("laptop.key 不是 xuncha 的本机密钥"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(f.config().join("laptop.key")).unwrap(), "not a key");
}
