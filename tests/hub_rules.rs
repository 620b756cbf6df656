//! The team's rules are checked twice: by every laptop (domain::sync_rules, in Rust) and by the
//! hub before it stores a change (xuncha.rule_broken, in PL/pgSQL, hub/migrations/0002). If the
//! two disagreed, the hub would refuse a change every laptop accepts (a push stuck for good) or
//! store one they all refuse. This test asks both about the same cases, built from real records:
//! every edit below, alone and in pairs, made new or on the record before, by each member.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod support;

use serde_json::{Value, json};
use std::str::FromStr;
use support::pg::{ADMIN_PASSWORD, Pg};
use xuncha::domain::sync_rules::{Broken, Rec, check};
use xuncha::domain::team::{Member, Roster};
use xuncha::domain::{Finding, Id, Visit};

fn member(name: &str, roles: &str, leader: bool) -> Member {
    serde_json::from_value(json!({
        "name": name, "laptop": Id::new(), "key": "00".repeat(32),
        "roles": roles.split(',').filter(|r| !r.is_empty()).collect::<Vec<_>>(), "leader": leader
    }))
    .unwrap()
}

fn visit() -> Value {
    json!({ "round": Id::new(), "org": "0101001001D1", "status": "已提交", "inspector": "张三",
            "started_at": "2026-11-20T09:00:00Z", "submitted_at": "2026-11-21T09:00:00Z" })
}

fn finding() -> Value {
    json!({ "id": Id::new(), "round": Id::new(), "org": "0101001001D1", "item": "C1.3",
            "description": "换届超期8个月", "severity": "较重", "rect_type": "限期整改",
            "deadline": "2027-06-30", "status": "整改中", "number": "2026Q4-0001", "review": "已通过",
            "approved_on": "2026-11-22", "created_by": "张三", "created_at": "2026-11-21T09:00:00Z",
            "rect": { "updates": [ { "on": "2026-11-23", "by": "赵督", "from": "待整改", "to": "整改中" } ] } })
}

/// A finding recorded and not yet reviewed: no number, no approval, no step.
fn unreviewed() -> Value {
    let mut d = finding();
    for k in ["number", "approved_on", "rect"] {
        d.as_object_mut().unwrap().remove(k);
    }
    set(&set(&d, "review", json!("待审核")), "status", json!("待整改"))
}

fn set(doc: &Value, path: &str, v: Value) -> Value {
    let mut d = doc.clone();
    xuncha::domain::fields::set_path(&mut d, path, v);
    d
}

fn step(by: &str, from: &str, to: &str) -> Value {
    json!({ "on": "2026-11-24", "by": by, "from": from, "to": to })
}

/// A file attached by `by`.
fn file(by: &str) -> Value {
    json!({ "sha256": "ab".repeat(32), "name": "照片.jpg", "size": 1024, "kind": "image/jpeg", "at": "2026-11-24T09:00:00Z", "by": by })
}

fn with_file(doc: &Value, f: Value) -> Value {
    let mut list = doc["attachments"].as_array().cloned().unwrap_or_default();
    list.push(f);
    set(doc, "attachments", Value::Array(list))
}

/// A step that only records a file: the status stays where it is.
fn files_step(by: &str, status: &str) -> Value {
    json!({ "on": "2026-11-25", "by": by, "from": status, "to": status, "attachments": [file(by)] })
}

fn with_step(doc: &Value, s: Value) -> Value {
    let mut list = doc["rect"]["updates"].as_array().cloned().unwrap_or_default();
    list.push(s);
    set(doc, "rect.updates", Value::Array(list))
}

/// A look-back's mark of an earlier problem, made by `by`.
fn recheck(by: &str) -> Value {
    json!({ "finding": Id::new(), "number": "2026Q3-0001", "mark": "已巩固", "by": by, "at": "2026-11-24T09:00:00Z" })
}

/// A named edit of a record.
type Edits = Vec<(&'static str, Box<dyn Fn(&Value) -> Value>)>;

fn visit_edits() -> Edits {
    vec![
        ("approve", Box::new(|d| set(d, "status", json!("已通过")))),
        ("return", Box::new(|d| set(&set(d, "status", json!("已退回")), "return_comment", json!("补签到表")))),
        ("reviewed_by 李审", Box::new(|d| set(d, "reviewed_by", json!("李审")))),
        ("reviewed_by 王明", Box::new(|d| set(d, "reviewed_by", json!("王明")))),
        ("inspector 赵督", Box::new(|d| set(d, "inspector", json!("赵督")))),
        ("back to 检查中", Box::new(|d| set(d, "status", json!("检查中")))),
        ("arrival note", Box::new(|d| set(d, "arrival_note", json!("书记不在")))),
        ("look-back mark by 王明", Box::new(|d| set(d, "rechecks", json!([recheck("王明")])))),
        ("look-back mark by 赵督", Box::new(|d| set(d, "rechecks", json!([recheck("赵督")])))),
    ]
}

fn finding_edits() -> Edits {
    vec![
        ("renumber", Box::new(|d| set(d, "number", json!("2026Q4-0002")))),
        ("unnumbered", Box::new(|d| set(d, "number", Value::Null))),
        ("review returned", Box::new(|d| set(d, "review", json!("已退回")))),
        ("review comment", Box::new(|d| set(d, "review_comment", json!("描述不清")))),
        ("corrected by 李审", Box::new(|d| set(d, "corrected_by", json!("李审")))),
        ("corrected by 张三", Box::new(|d| set(d, "corrected_by", json!("张三")))),
        ("deadline moved", Box::new(|d| set(d, "deadline", json!("2027-12-31")))),
        ("withdrawn", Box::new(|d| set(d, "status", json!("已撤销")))),
        ("progress", Box::new(|d| set(d, "rect.progress", json!("已约谈")))),
        ("done by 赵督", Box::new(|d| with_step(&set(d, "status", json!("已整改待验收")), step("赵督", "整改中", "已整改待验收")))),
        ("done by 李审", Box::new(|d| with_step(&set(d, "status", json!("已整改待验收")), step("李审", "整改中", "已整改待验收")))),
        ("closed", Box::new(|d| set(d, "status", json!("已销号")))),
        ("extension asked", Box::new(|d| set(d, "status", json!("申请延期")))),
        ("pending", Box::new(|d| set(d, "status", json!("待整改")))),
        ("created by 李审", Box::new(|d| set(d, "created_by", json!("李审")))),
        ("description", Box::new(|d| set(d, "description", json!("换届超期9个月")))),
        ("file by 张三", Box::new(|d| with_file(d, file("张三")))),
        ("file by 李审", Box::new(|d| with_file(d, file("李审")))),
        ("file by 赵督", Box::new(|d| with_file(d, file("赵督")))),
        ("file by 张三 unnumbered", Box::new(|d| with_file(&set(d, "number", Value::Null), file("张三")))),
        ("file by 张三 on the approval day", Box::new(|d| with_file(d, set(&file("张三"), "at", json!("2026-11-22T23:00:00Z"))))),
        ("withdrawn with its reason", Box::new(|d| set(&set(d, "status", json!("已撤销")), "review_comment", json!("结论改为符合")))),
        ("files step by 赵督", Box::new(|d| with_step(d, files_step("赵督", "整改中")))),
        ("files step by 王明", Box::new(|d| with_step(d, files_step("王明", "整改中")))),
        (
            "done by 赵督, files by 李审",
            Box::new(|d| {
                let done = with_step(&set(d, "status", json!("已整改待验收")), step("赵督", "整改中", "已整改待验收"));
                with_step(&done, files_step("李审", "已整改待验收"))
            }),
        ),
    ]
}

fn rust_verdict(roster: &Roster, m: &Member, before: Option<&Value>, after: &Value, tree: &str) -> String {
    let rec = |v: &Value| -> Rec {
        if tree == "visits" {
            Rec::Visit(serde_json::from_value::<Visit>(v.clone()).unwrap())
        } else {
            Rec::Finding(serde_json::from_value::<Finding>(v.clone()).unwrap())
        }
    };
    let before = before.map(rec);
    match check(roster, m, before.as_ref(), &rec(after)) {
        Ok(()) => String::new(),
        Err(Broken::Review { .. }) => "review".into(),
        Err(Broken::OwnVisit { .. }) => "own_visit".into(),
        Err(Broken::Numbering { .. }) => "numbering".into(),
        Err(Broken::Rectify { .. }) => "rectify".into(),
        Err(Broken::CloseOwn { .. }) => "close_own".into(),
        Err(Broken::Attach { .. }) => "attach".into(),
        Err(Broken::Name { field, named, .. }) => format!("name:{field}:{named}"),
    }
}

/// A record as the hub holds it: the typed record written by xuncha, then put back field by
/// field (the leaves a laptop's changes carry).
fn as_on_hub(tree: &str, v: &Value) -> Value {
    let typed = if tree == "visits" {
        serde_json::to_value(serde_json::from_value::<Visit>(v.clone()).unwrap()).unwrap()
    } else {
        serde_json::to_value(serde_json::from_value::<Finding>(v.clone()).unwrap()).unwrap()
    };
    let mut out = json!({});
    for (p, x) in xuncha::domain::fields::leaves(&typed) {
        xuncha::domain::fields::set_path(&mut out, &p, x);
    }
    out
}

#[test]
fn the_hub_and_the_laptops_judge_every_edit_alike() {
    let pg = Pg::start();
    let mut config = postgres::Config::from_str(&pg.admin_url()).unwrap();
    config.password(ADMIN_PASSWORD);
    let mut c = config.connect(postgres::NoTls).unwrap();
    xuncha::hub::migrate(&mut c).unwrap();
    let members = [
        member("王明", "inspector,reviewer", true),
        member("张三", "inspector", false),
        member("李审", "reviewer", false),
        member("赵督", "followup", false),
    ];
    let numbering = members[2].laptop;
    let roster: Roster = serde_json::from_value(json!({
        "team_id": Id::new(), "team": "督查一组", "version": 1, "numbering": numbering,
        "members": members, "changed_at": "2026-11-22T10:00:00Z"
    }))
    .unwrap();
    let stmt = c
        .prepare(
            "SELECT coalesce(xuncha.rule_broken($1, ROW($2::text::uuid, $3::text::uuid, $4, $5, $6::text[], $7, $8)::xuncha.members,
                                                $9::text::jsonb, $10::text::jsonb), '')",
        )
        .unwrap();
    let (mut cases, mut refused) = (0, 0);
    let mut disagree = Vec::new();
    for (tree, base, edits) in
        [("visits", visit(), visit_edits()), ("findings", finding(), finding_edits()), ("findings", unreviewed(), finding_edits())]
    {
        let mut pairs: Vec<(String, Value)> = vec![("as is".into(), base.clone())];
        for (i, (a, fa)) in edits.iter().enumerate() {
            pairs.push(((*a).into(), fa(&base)));
            for (b, fb) in edits.iter().skip(i + 1) {
                pairs.push((format!("{a} + {b}"), fb(&fa(&base))));
            }
        }
        for (what, after) in &pairs {
            for before in [Some(&base), None] {
                for m in &members {
                    let rust = rust_verdict(&roster, m, before, after, tree);
                    let roles: Vec<String> = m.roles.iter().map(|r| r.word().to_string()).collect();
                    let before_text = before.map(|b| as_on_hub(tree, b).to_string());
                    let after_text = as_on_hub(tree, after).to_string();
                    let row = c
                        .query_one(
                            &stmt,
                            &[
                                &tree,
                                &roster.team_id.to_string(),
                                &m.laptop.0.to_string(),
                                &m.name,
                                &m.key,
                                &roles,
                                &m.leader,
                                &(m.laptop == numbering),
                                &before_text,
                                &after_text,
                            ],
                        )
                        .unwrap();
                    let sql: String = row.get(0);
                    cases += 1;
                    refused += usize::from(!rust.is_empty());
                    if sql != rust {
                        disagree.push(format!("{tree} {what} (new: {}) by {}: laptops {rust:?}, hub {sql:?}", before.is_none(), m.name));
                    }
                }
            }
        }
    }
    println!("{cases} cases, {refused} refused by the rules, {} disagreements", disagree.len());
    assert!(refused > cases / 10 && refused < cases, "the cases exercise both verdicts: {refused} of {cases}");
    assert!(disagree.is_empty(), "{} of {cases} cases judged differently:\n{}", disagree.len(), disagree.join("\n"));
}
