//! Evidence files travel with bundles: the inspector's photo on a finding and follow-up's scan on
//! a step reach the other laptops, each checked against its SHA-256 on arrival and kept once,
//! read-only; a bundle whose file does not match its hash (even signed again by the sender's
//! key) is refused whole and changes nothing; who may attach is judged on every laptop.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::evidence::{PDF, PNG, sha, write};
use common::team::team;
use common::{Folder, dump, json};

/// The file with hash `h` in `f`'s evidence store: its content, if there, and whether read-only.
fn kept(f: &Folder, h: &str) -> Option<(Vec<u8>, bool)> {
    let p = f.data().join("evidence").join(&h[..2]).join(h);
    let bytes = std::fs::read(&p).ok()?;
    Some((bytes, std::fs::metadata(&p).unwrap().permissions().readonly()))
}

fn files(f: &Folder, finding: &str) -> Vec<(String, bool)> {
    let v = json(&f.run_ok(&["finding", "files", finding, "--format", "json"]));
    v.as_array().unwrap().iter().map(|x| (x["sha256"].as_str().unwrap().to_string(), x["present"].as_bool().unwrap())).collect()
}

#[test]
fn files_travel_with_bundles_and_are_checked_on_arrival() {
    let t = team();
    let round = t.round.clone();
    let org = "0101001001D1";
    common::fill_sheet(&t.inspector, &round, org, &[("C1.3", "换届超期8个月")], "刘书记", true);
    let id = json(&t.inspector.run_ok(&["finding", "list", "--format", "json"]))[0]["id"].as_str().unwrap().to_string();
    // The inspector attaches a photo to their finding before it is reviewed.
    t.inspector.run_ok(&["finding", "attach", &id, &write(&t.inspector, "照片.png", PNG)]);

    // A bundle whose file is not what its hash says, signed again with the inspector's own key:
    // refused whole, nothing changes.
    let good = t.inspector.path("good.bundle");
    let out = t.inspector.run_ok(&["bundle", "export", "-o", good.to_str().unwrap(), "--to", common::team::NAMES[2]]);
    assert!(out.contains("含 1 个佐证文件"), "{out}");
    let bad = t.inspector.path("bad.bundle");
    let keys = xuncha::identity::load_or_make(&t.inspector.config().join("laptop.key")).unwrap();
    let mut b = xuncha::bundle::read(&std::fs::read(&good).unwrap()).unwrap();
    assert_eq!(b.files.len(), 1, "the photo travels");
    b.files[0].1[20] ^= 1;
    let mut out = Vec::new();
    xuncha::bundle::write_with_files(&mut out, &b.header, &b.changes, &b.files, &|x| keys.sign(x)).unwrap();
    std::fs::write(&bad, out).unwrap();
    let before = dump(&t.reviewer);
    let r = t.reviewer.run(&["bundle", "import", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(&sha(PNG)) && r.stderr.contains("不符"), "{}", r.stderr);
    assert_eq!(dump(&t.reviewer), before);
    assert!(kept(&t.reviewer, &sha(PNG)).is_none(), "no file kept from a refused bundle");

    let verified = t.reviewer.run_ok(&["bundle", "verify", good.to_str().unwrap()]);
    assert!(verified.contains("1 个佐证文件，SHA-256 均已核对"), "{verified}");
    // The real one brings the photo: on the reviewer's laptop, read-only, with its hash.
    t.reviewer.run_ok(&["bundle", "import", good.to_str().unwrap()]);
    assert_eq!(kept(&t.reviewer, &sha(PNG)), Some((PNG.to_vec(), true)));
    assert_eq!(files(&t.reviewer, &id), [(sha(PNG), true)]);

    // Approved and numbered, sent on to follow-up, who records a scan with a step.
    t.reviewer.run_ok(&["review", "approve", &format!("{round}:{org}")]);
    let number = "2026Q4-0001";
    t.send(&t.reviewer, 3);
    assert_eq!(kept(&t.followup, &sha(PNG)).map(|k| k.0), Some(PNG.to_vec()), "carried on by the reviewer");
    // Follow-up may not attach to the finding itself (neither its inspector nor a reviewer).
    let r = t.followup.run(&["finding", "attach", number, &write(&t.followup, "x.png", PNG)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("张三"), "names who may: {}", r.stderr);
    t.followup.run_ok(&["rectify", "attach", number, &write(&t.followup, "整改报告.pdf", PDF), "--note", "支部换届请示"]);
    t.send(&t.followup, 2);
    assert_eq!(files(&t.reviewer, number), [(sha(PNG), true), (sha(PDF), true)]);
    let extracted = t.reviewer.path("报告.pdf");
    t.reviewer.run_ok(&["finding", "extract", number, &sha(PDF)[..8], "-o", extracted.to_str().unwrap()]);
    assert_eq!(std::fs::read(&extracted).unwrap(), PDF);

    // After a full exchange every laptop holds both files and lists them alike.
    t.exchange_all();
    for f in t.laptops() {
        assert_eq!(files(f, number), [(sha(PNG), true), (sha(PDF), true)]);
        assert!(kept(f, &sha(PDF)).is_some_and(|(b, ro)| b == PDF && ro));
    }
}

#[test]
fn two_laptops_attaching_at_once_both_keep_theirs() {
    let t = team();
    let round = t.round.clone();
    let org = "0101001004D1";
    common::fill_sheet(&t.inspector, &round, org, &[("C3.1", "本季度未开党员大会")], "陈书记", true);
    t.send(&t.inspector, 2);
    t.reviewer.run_ok(&["review", "approve", &format!("{round}:{org}")]);
    t.send(&t.reviewer, 1);
    let number = "2026Q4-0001";
    // Approved, the finding takes files from a reviewer only; its steps from follow-up and the
    // reviewer, who each attach without having seen the other's.
    t.reviewer.run_ok(&["finding", "attach", number, &write(&t.reviewer, "a.pdf", PDF)]);
    let r = t.inspector.run(&["finding", "attach", number, &write(&t.inspector, "b.png", PNG)]);
    assert_eq!(r.code, 2, "the inspector may not once it is approved: {}", r.stderr);
    t.send(&t.reviewer, 3);
    t.followup.run_ok(&["rectify", "attach", number, &write(&t.followup, "c.png", PNG)]);
    t.reviewer.run_ok(&["rectify", "attach", number, &write(&t.reviewer, "d.pdf", PDF), "--note", "复核"]);
    t.send(&t.followup, 2);
    t.send(&t.reviewer, 3);
    let a = files(&t.reviewer, number);
    assert_eq!(a, files(&t.followup, number), "the same list on both");
    assert_eq!(a.len(), 3, "one on the finding, one step from each: {a:?}");
    assert!(t.reviewer.run_ok(&["conflict", "list"]).lines().all(|l| !l.contains("附件")), "a log is no conflict");
}
