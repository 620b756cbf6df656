//! Bad bundles change nothing: a flipped byte, a cut file, a bundle from a laptop taken off the
//! roster, a forged signature, a change the author's role does not allow (signed by a tampered
//! laptop), a roster not signed by the leader, a bundle for another team. Each is refused whole
//! with the reason, exit status 2, and the receiving store is byte for byte what it was.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::team::{NAMES, team};
use common::{Folder, dump};
use std::io::{Read, Write};
use std::path::Path;
use xuncha::bundle::{self, Header};
use xuncha::domain::sync::SyncChange;

/// Rewrites a bundle as a tampered laptop holding `key` would: `edit` changes header and
/// changes, then every change it touched and the end are signed again with `key`.
fn rewrite(from: &Path, to: &Path, key: &Path, edit: impl FnOnce(&mut Header, &mut Vec<SyncChange>)) {
    let keys = xuncha::identity::load_or_make(key).unwrap();
    let mut b = bundle::read(&std::fs::read(from).unwrap()).unwrap();
    let before = b.changes.clone();
    edit(&mut b.header, &mut b.changes);
    let team = b.header.team;
    for (c, old) in b.changes.iter_mut().zip(before.iter()) {
        if c != old {
            c.sig = Some(keys.sign(&c.signed_bytes(team)));
        }
    }
    b.header.changes = b.changes.len();
    let mut out = Vec::new();
    bundle::write(&mut out, &b.header, &b.changes, &|x| keys.sign(x)).unwrap();
    std::fs::write(to, out).unwrap();
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut text).unwrap();
    text
}

fn gzip(text: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(text).unwrap();
    gz.finish().unwrap()
}

/// The hash of the built-in template, the one the team's round was made from.
fn template_hash(f: &Folder) -> String {
    let t = common::json(&f.run_ok(&["template", "list", "--format", "json"]));
    t["loaded"][0]["hash"].as_str().unwrap_or_else(|| panic!("no hash in {t}")).to_string()
}

/// The last field set of a visit in `changes` that sets `field` to `value`.
fn last_visit_set<'a>(changes: &'a mut [SyncChange], field: &str, value: &str) -> &'a mut xuncha::domain::sync::Set {
    changes
        .iter_mut()
        .flat_map(|c| c.ops.iter_mut())
        .filter(|o| o.table == "visits")
        .flat_map(|o| o.sets.iter_mut())
        .rfind(|s| s.field == field && s.value == value)
        .unwrap_or_else(|| panic!("no visit field {field} set to {value}"))
}

/// Imports `file` on `f`: refused with exit 2, a message holding `why`, nothing changed.
fn refused(f: &Folder, file: &Path, why: &str) {
    let before = dump(f);
    let r = f.run(&["bundle", "import", file.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("未导入，本机数据未作任何改动") && r.stderr.contains(why), "expected {why}: {}", r.stderr);
    let v = f.run(&["bundle", "verify", file.to_str().unwrap()]);
    assert_eq!(v.code, 2, "verify refuses it too");
    assert_eq!(dump(f), before, "a refused bundle changes nothing");
}

#[test]
fn every_bad_bundle_is_refused_whole() {
    let t = team();
    let round = t.round.clone();
    common::fill_sheet(&t.inspector, &round, "0101001001D1", &[("C1.3", "换届超期8个月")], "刘书记", true);
    let good = t.inspector.path("good.bundle");
    t.inspector.run_ok(&["bundle", "export", "-o", good.to_str().unwrap(), "--to", NAMES[2]]);
    let bytes = std::fs::read(&good).unwrap();
    let r = &t.reviewer;

    // A flipped byte, in the compressed file and in the text inside it.
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    let p = r.path("flipped.bundle");
    std::fs::write(&p, &flipped).unwrap();
    refused(r, &p, "文件已损坏或不完整");
    let mut text = gunzip(&bytes);
    let at = text.windows("换届超期".len()).position(|w| w == "换届超期".as_bytes()).unwrap();
    text[at..at + "换届超期".len()].copy_from_slice("换届正常".as_bytes());
    std::fs::write(&p, gzip(&text)).unwrap();
    refused(r, &p, "内容与结尾记录的条数或校验值不符");

    // A cut file: the compressed stream cut, and the text cut before its end line.
    let p = r.path("cut.bundle");
    std::fs::write(&p, &bytes[..bytes.len() * 2 / 3]).unwrap();
    refused(r, &p, "文件已损坏或不完整");
    let text = gunzip(&bytes);
    let last = text[..text.len() - 1].iter().rposition(|b| *b == b'\n').unwrap();
    std::fs::write(&p, gzip(&text[..=last])).unwrap();
    refused(r, &p, "文件不完整");
    std::fs::write(&p, b"just some text").unwrap();
    refused(r, &p, "不是 xuncha 的同步包");

    // Signed again by a key that is not the sender's.
    let other = Folder::new();
    other.run_ok(&["whoami"]);
    let p = r.path("forged.bundle");
    rewrite(&good, &p, &other.config().join("laptop.key"), |_, _| {});
    refused(r, &p, "签名与 张三 的密钥不符");

    // The inspector's laptop, tampered with, approves its own submitted visit: the change is
    // signed by its real key, and refused by the rule.
    let key = t.inspector.config().join("laptop.key");
    let p = r.path("approve.bundle");
    rewrite(&good, &p, &key, |_, changes| {
        last_visit_set(changes, "status", "已提交").value = "已通过".into();
    });
    refused(r, &p, "张三 不是审核员");

    // A template snapshot given another text under its hash (its name): refused.
    let p = r.path("template.bundle");
    rewrite(&good, &p, &key, |_, changes| {
        let hash = xuncha::domain::sync::hex(&xuncha::store::keys::Key::new().part(template_hash(&t.reviewer).as_str()).bytes());
        let set = xuncha::domain::sync::Set { field: "text".into(), value: "篡改后的模板".into(), seen: Vec::new() };
        changes.last_mut().unwrap().ops.push(xuncha::domain::sync::Op { table: "templates".into(), key: hash, sets: vec![set] });
    });
    refused(r, &p, "检查模板快照的哈希与其正文不符");

    // A field naming who acted, written with another member's name: refused.
    let p = r.path("name.bundle");
    rewrite(&good, &p, &key, |_, changes| {
        last_visit_set(changes, "inspector", "张三").value = "李审".into();
    });
    refused(r, &p, "把 inspector 写成了 李审");

    // A roster the sender changed (giving themselves the reviewer's role) is not the leader's.
    let p = r.path("roster.bundle");
    rewrite(&good, &p, &key, |h, _| {
        let me = h.roster.roster.members.iter_mut().find(|m| m.name == "张三").unwrap();
        me.roles.push(xuncha::domain::team::Role::Reviewer);
        h.roster.roster.version += 1;
    });
    refused(r, &p, "人员名单不是本组组长签名的");

    // A bundle of another team.
    let other = Folder::new();
    other.run_ok(&["demo", "--orgs", "50"]);
    other.run_ok(&["team", "init", "--name", "孙组长", "--team", "督查二组"]);
    let p = r.path("other.bundle");
    other.run_ok(&["bundle", "export", "-o", p.to_str().unwrap()]);
    refused(r, &p, "这是督查组“督查二组”的同步包，本机属于“县委组织部督查一组”");

    // A laptop taken off the roster: once the reviewer holds that roster, its bundles are refused.
    t.leader.run_ok(&["team", "remove", "张三"]);
    t.send(&t.leader, 2);
    refused(r, &good, "不在人员名单上（未加入或已移出）");

    // The good bundle itself was fine all along (on a laptop that still has 张三 on its roster).
    let f = &t.followup;
    let out = f.run_ok(&["bundle", "import", good.to_str().unwrap()]);
    assert!(out.contains("来自 张三"), "{out}");
}
