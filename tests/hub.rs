//! The office hub through the binary, against a throwaway PostgreSQL cluster each test starts
//! and removes (tests/support/pg.rs): a team set up with nothing but the hub, the work of four
//! laptops carried through it, push twice, a hub killed in the middle of a push, changes forged
//! or breaking the team's rules refused by the hub itself, and a laptop's role that cannot
//! delete or update what is stored.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod support;

use common::team::NAMES;
use common::{Folder, dump, json};
use std::str::FromStr;
use support::pg::{ADMIN_PASSWORD, Pg};
use xuncha::domain::sync::SyncChange;

const ROLES: [&str; 4] = ["leader", "inspector", "reviewer", "followup"];

/// A laptop with its database login.
struct Laptop {
    f: Folder,
    login: String,
    password: String,
}

impl Laptop {
    /// `xuncha ARGS` with the password in PGPASSWORD (the first laptop uses a .pgpass file).
    fn hub(&self, pg: &Pg, args: &[&str]) -> common::Run {
        let mut c = self.f.command();
        if self.login == "lap_leader" {
            let file = pg.pgpass_file(self.f.tmp.path(), &self.login, &self.password);
            c.env("PGPASSFILE", file).env_remove("PGPASSWORD");
        } else {
            c.env("PGPASSWORD", &self.password).env_remove("PGPASSFILE");
        }
        let mut all: Vec<&str> = vec!["hub"];
        all.extend_from_slice(args);
        let url = pg.url(&self.login);
        if !args.contains(&"--url") {
            all.extend_from_slice(&["--url", &url]);
        }
        c.args(&all).output().unwrap().into()
    }

    fn hub_ok(&self, pg: &Pg, args: &[&str]) -> String {
        let r = self.hub(pg, args);
        assert_eq!(r.code, 0, "hub {args:?} failed:\n{}\n{}", r.stdout, r.stderr);
        r.stdout
    }
}

struct Office {
    pg: Pg,
    laptops: Vec<Laptop>,
    round: String,
}

/// A hub made by `hub init`, and a team of four whose members join through it: the leader
/// admits them from their request files and pushes; each member's first pull brings the roster,
/// the organisations and the round.
fn office(orgs: &str) -> Office {
    let pg = Pg::start();
    let admin = Folder::new();
    let mut c = admin.command();
    c.env("PGPASSWORD", ADMIN_PASSWORD).args(["hub", "init", "--url", &pg.admin_url()]);
    let r: common::Run = c.output().unwrap().into();
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("0001, 0002, 0003"), "{}", r.stdout);
    let laptops: Vec<Laptop> = ROLES
        .iter()
        .map(|role| {
            let login = format!("lap_{role}");
            let password = format!("pw-{role}-秘密");
            pg.create_login(&login, &password, &["xuncha_laptop"]);
            Laptop { f: Folder::new(), login, password }
        })
        .collect();
    let leader = &laptops[0].f;
    leader.run_ok(&["demo", "--orgs", orgs]);
    leader.run_ok(&["team", "init", "--name", NAMES[0], "--team", "市委组织部督查一组"]);
    let round = common::new_round(leader, "2026Q4", "四季度常规督查");
    for (i, role) in ROLES.iter().enumerate().skip(1) {
        let f = &laptops[i].f;
        let req = f.path("join.req");
        f.run_ok(&["team", "request", "--name", NAMES[i], "-o", req.to_str().unwrap()]);
        leader.run_ok(&["team", "admit", req.to_str().unwrap(), "--role", role]);
    }
    leader.run_ok(&["team", "numbering", NAMES[2]]);
    // The office lets the team's four logins in, by the team id the leader's whoami prints.
    let team = team_id(leader);
    allow(&pg, &team, &laptops.iter().map(|l| l.login.as_str()).collect::<Vec<_>>());
    laptops[0].hub_ok(&pg, &["push"]);
    for l in &laptops[1..] {
        let out = l.hub_ok(&pg, &["pull"]);
        assert!(out.contains("已采用人员名单第 5 版"), "{out}");
    }
    Office { pg, laptops, round }
}

/// The team id `xuncha whoami` prints.
fn team_id(f: &Folder) -> String {
    let who = f.run_ok(&["whoami"]);
    let line = who.lines().find(|l| l.contains("督查组编号")).unwrap_or_else(|| panic!("{who}"));
    line.rsplit('：').next().unwrap().trim().to_string()
}

/// `xuncha hub allow` by the administrator.
fn allow(pg: &Pg, team: &str, logins: &[&str]) {
    let admin = Folder::new();
    let mut c = admin.command();
    c.env("PGPASSWORD", ADMIN_PASSWORD).args(["hub", "allow", "--url", &pg.admin_url(), "--team", team]).args(logins);
    let r: common::Run = c.output().unwrap().into();
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("已允许"), "{}", r.stdout);
}

fn rect_list(f: &Folder) -> String {
    let out = f.path("list.csv");
    f.run_ok(&["export", "rectification", "--format", "csv", "-o", out.to_str().unwrap()]);
    std::fs::read_to_string(out).unwrap()
}

fn count(pg: &Pg, sql: &str) -> i64 {
    pg.admin(sql).trim().parse().unwrap()
}

#[test]
fn four_laptops_work_through_one_hub_and_converge() {
    let o = office("60");
    let [leader, inspector, reviewer, followup] = [&o.laptops[0], &o.laptops[1], &o.laptops[2], &o.laptops[3]];
    for l in &o.laptops {
        let rounds = json(&l.f.run_ok(&["round", "list", "--format", "json"]));
        assert_eq!(rounds[0]["id"], o.round.as_str(), "the round reached every laptop through the hub");
    }
    let (a, b) = ("0101001001D1", "0101001004D1");
    common::fill_sheet(&inspector.f, &o.round, a, &[("C1.3", "换届超期8个月")], "刘书记", true);
    common::fill_sheet(&inspector.f, &o.round, b, &[("C3.1", "本季度未开党员大会")], "陈书记", true);
    let pushed = inspector.hub_ok(&o.pg, &["push"]);
    assert!(pushed.contains("已向汇总库") && !pushed.contains(" 0 条变更"), "{pushed}");

    // Push twice changes nothing: nothing sent, nothing stored.
    let stored = count(&o.pg, "SELECT count(*) FROM xuncha.changes");
    let again = inspector.hub_ok(&o.pg, &["push"]);
    assert!(again.contains("发送 0 条变更"), "{again}");
    assert_eq!(count(&o.pg, "SELECT count(*) FROM xuncha.changes"), stored);

    // The reviewer pulls, returns one visit and approves the other with a number.
    let pulled = reviewer.hub_ok(&o.pg, &["pull"]);
    assert!(pulled.contains("取回并应用"), "{pulled}");
    let before = dump(&reviewer.f);
    assert!(reviewer.hub_ok(&o.pg, &["pull"]).contains("应用 0 条变更"), "pulling twice takes nothing");
    assert_eq!(dump(&reviewer.f), before);
    reviewer.f.run_ok(&["review", "return", &format!("{}:{b}", o.round), "--comment", "党员大会记录需附签到表"]);
    assert!(reviewer.f.run_ok(&["review", "approve", &format!("{}:{a}", o.round)]).contains("2026Q4-0001"));
    reviewer.hub_ok(&o.pg, &["sync"]);

    // The hub's own tables and views show it at once.
    assert_eq!(o.pg.admin(&format!("SELECT status FROM xuncha.visits WHERE org = '{b}'")), "已退回");
    let row = o.pg.admin("SELECT number, org_code, status, org_path FROM xuncha.findings_view WHERE number IS NOT NULL");
    assert!(row.starts_with(&format!("2026Q4-0001|{a}|待整改|")) && row.contains(" / "), "{row}");

    // Follow-up reports it done; its own 销号 is refused on the laptop; the reviewer closes it.
    followup.hub_ok(&o.pg, &["pull"]);
    followup.f.run_ok(&["rectify", "set", "2026Q4-0001", "--status", "整改中", "--note", "已约谈支部书记"]);
    followup.f.run_ok(&["rectify", "set", "2026Q4-0001", "--status", "已整改待验收", "--note", "已完成换届"]);
    assert_eq!(followup.f.run(&["rectify", "set", "2026Q4-0001", "--status", "已销号", "--acceptor", "组织委员"]).code, 2);
    followup.hub_ok(&o.pg, &["push"]);
    reviewer.hub_ok(&o.pg, &["pull"]);
    reviewer.f.run_ok(&["rectify", "set", "2026Q4-0001", "--status", "已销号", "--acceptor", "组织委员"]);
    reviewer.hub_ok(&o.pg, &["push"]);
    let steps = o.pg.admin("SELECT string_agg(to_status || ':' || by, ',' ORDER BY on_date, to_status) FROM xuncha.rect_steps");
    assert!(steps.contains("已整改待验收:赵督") && steps.contains("已销号:李审"), "{steps}");

    // Everyone syncs; the four laptops hold the same list and no conflict.
    for l in &o.laptops {
        l.hub_ok(&o.pg, &["sync"]);
    }
    for l in &o.laptops {
        l.hub_ok(&o.pg, &["pull"]);
    }
    let lists: Vec<String> = o.laptops.iter().map(|l| rect_list(&l.f)).collect();
    assert!(lists[0].contains("2026Q4-0001") && lists[0].contains("已销号"), "{}", lists[0]);
    for l in &lists[1..] {
        assert_eq!(l, &lists[0]);
    }
    for l in &o.laptops {
        assert_eq!(l.f.run_ok(&["conflict", "list"]).trim(), "没有冲突。");
    }
    // The organisations' lines the hub keeps are those a walk up the tree gives.
    let differ = o.pg.admin(
        "WITH RECURSIVE up AS (
           SELECT code, ARRAY[code] AS codes, ARRAY[coalesce(name, code)] AS names, parent AS next FROM xuncha.organisations
           UNION ALL
           SELECT up.code, p.code || up.codes, coalesce(p.name, p.code) || up.names, p.parent
           FROM up JOIN xuncha.organisations p ON p.code = up.next)
         SELECT count(*) FROM up JOIN xuncha.org_paths l ON l.code = up.code
         WHERE up.next IS NULL AND (l.path_codes <> up.codes OR l.path <> array_to_string(up.names, ' / '))",
    );
    assert_eq!(differ, "0");
    assert_eq!(count(&o.pg, "SELECT count(*) FROM xuncha.org_paths"), count(&o.pg, "SELECT count(*) FROM xuncha.organisations"));

    // The bulletin of an area made from the hub (by the office, holding no data of its own) is
    // the one a laptop holding the same data makes.
    let parent = o.pg.admin(&format!("SELECT parent FROM xuncha.organisations WHERE code = '{a}'"));
    let area = o.pg.admin(&format!("SELECT parent FROM xuncha.organisations WHERE code = '{parent}'"));
    assert!(!area.is_empty(), "the demo's organisations have a line: {parent}");
    for (fmt, scope) in [("md", Some(area.as_str())), ("html", Some(area.as_str())), ("md", None)] {
        let on_laptop = reviewer.f.path(&format!("bulletin.{fmt}"));
        let mut args = vec!["export", "bulletin", "--quarter", "2026Q4", "--format", fmt, "-o", on_laptop.to_str().unwrap()];
        if let Some(code) = scope {
            args.extend_from_slice(&["--area", code]);
        }
        reviewer.f.run_ok(&args);
        let office = Folder::new();
        let from_hub = office.path(&format!("hub-bulletin.{fmt}"));
        let url = o.pg.admin_url();
        let mut hub_args = args.clone();
        hub_args[7] = from_hub.to_str().unwrap();
        hub_args.extend_from_slice(&["--from-hub", &url]);
        let mut c = office.command();
        c.env("PGPASSWORD", ADMIN_PASSWORD).args(&hub_args);
        let r: common::Run = c.output().unwrap().into();
        assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
        let (a_text, b_text) = (std::fs::read_to_string(&on_laptop).unwrap(), std::fs::read_to_string(&from_hub).unwrap());
        assert!(a_text.contains("四季度常规督查") && a_text.contains("张三"), "{a_text}");
        // The same document; only its foot says where the data came from.
        let body = |t: &str| t.lines().filter(|l| !l.contains("数据校验")).collect::<Vec<_>>().join("\n");
        assert_eq!(body(&b_text), body(&a_text), "the bulletin from the hub ({fmt}, {scope:?}) is the laptop's");
        assert!(a_text.contains("数据校验：审计链第"), "{a_text}");
        let (id, hash) =
            o.pg.admin("SELECT id || ' ' || hash FROM xuncha.changes ORDER BY id DESC LIMIT 1")
                .split_once(' ')
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .unwrap();
        assert!(
            b_text.contains(&format!("数据校验：汇总库 xuncha_admin@127.0.0.1:{}/xuncha 第 {id} 条变更，{hash}", o.pg.port())),
            "{b_text}"
        );
    }

    // Who pushed what is the database's own login, not a laptop's say.
    let pushers = o.pg.admin("SELECT string_agg(DISTINCT pushed_by::text, ',') FROM xuncha.changes");
    assert!(pushers.contains("lap_inspector") && pushers.contains("lap_reviewer"), "{pushers}");
    let _ = leader;
}

#[test]
fn three_laptops_editing_at_once_converge_through_the_hub() {
    let o = office("60");
    let [_, inspector, reviewer, followup] = [&o.laptops[0], &o.laptops[1], &o.laptops[2], &o.laptops[3]];
    common::fill_sheet(&inspector.f, &o.round, "0101001001D1", &[("C1.3", "换届超期8个月")], "刘书记", true);
    inspector.hub_ok(&o.pg, &["push"]);
    reviewer.hub_ok(&o.pg, &["pull"]);
    reviewer.f.run_ok(&["review", "approve", &format!("{}:0101001001D1", o.round)]);
    reviewer.hub_ok(&o.pg, &["push"]);
    followup.hub_ok(&o.pg, &["pull"]);
    inspector.hub_ok(&o.pg, &["pull"]);
    // Three laptops write without seeing each other: the same note field on two, an organisation
    // on the third.
    reviewer.f.run_ok(&["rectify", "set", "2026Q4-0001", "--status", "整改中", "--note", "审核员：已电话督促"]);
    followup.f.run_ok(&["rectify", "set", "2026Q4-0001", "--status", "整改中", "--note", "督办员：已约谈书记"]);
    common::fill_sheet(&inspector.f, &o.round, "0101001004D1", &[("C3.1", "本季度未开党员大会")], "陈书记", false);
    for l in [inspector, reviewer, followup] {
        l.hub_ok(&o.pg, &["push"]);
    }
    for l in [inspector, reviewer, followup] {
        l.hub_ok(&o.pg, &["pull"]);
    }
    let lists: Vec<String> = [inspector, reviewer, followup].iter().map(|l| rect_list(&l.f)).collect();
    assert_eq!(lists[1], lists[0]);
    assert_eq!(lists[2], lists[0]);
    let conflicts: Vec<String> = [inspector, reviewer, followup].iter().map(|l| l.f.run_ok(&["conflict", "list"])).collect();
    assert!(conflicts[0].contains("审核员：已电话督促") && conflicts[0].contains("督办员：已约谈书记"), "{}", conflicts[0]);
    assert_eq!(conflicts[1], conflicts[0]);
    assert_eq!(conflicts[2], conflicts[0]);
    // The hub shows the value every laptop shows.
    let shown = json(&reviewer.f.run_ok(&["finding", "list", "--format", "json"]));
    let progress = shown.as_array().unwrap().iter().find(|f| f["number"] == "2026Q4-0001").unwrap()["rect"]["progress"].clone();
    let on_hub = o.pg.admin("SELECT progress FROM xuncha.findings_view WHERE number = '2026Q4-0001'");
    assert_eq!(progress.as_str(), Some(on_hub.as_str()), "{shown}");
}

#[test]
fn a_push_cut_by_the_hub_going_down_is_completed_by_the_next() {
    let o = office("400");
    let leader = &o.laptops[0];
    // More work on the leader's laptop: a second round over every organisation.
    common::new_round(&leader.f, "2027Q1", "一季度督查");
    let pg = &o.pg;
    let mut cmd = leader.f.command();
    cmd.env("PGPASSFILE", pg.pgpass_file(leader.f.tmp.path(), &leader.login, &leader.password));
    cmd.args(["hub", "push", "--url", &pg.url(&leader.login)]);
    cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    // Kill the server as soon as the push has stored some of its parts.
    let started = std::time::Instant::now();
    let stored0 = count(pg, "SELECT count(*) FROM xuncha.changes");
    while count(pg, "SELECT count(*) FROM xuncha.changes") == stored0 && started.elapsed().as_secs() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    pg.kill();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        eprintln!("the push finished before the kill; the rerun below must then send nothing");
    } else {
        assert!(stderr.contains("连不上汇总库") && stderr.contains("本机数据未作任何改动"), "{stderr}");
    }
    pg.start_again();
    let partial = count(pg, "SELECT count(*) FROM xuncha.changes");
    leader.hub_ok(pg, &["push"]);
    let whole = count(pg, "SELECT count(*) FROM xuncha.changes");
    assert!(whole >= partial);
    // Nothing duplicated: every change once, each laptop's chain whole from 1.
    assert_eq!(count(pg, "SELECT count(DISTINCT (laptop, seq)) FROM xuncha.changes"), whole);
    let gaps =
        count(pg, "SELECT count(*) FROM (SELECT laptop, max(seq) - count(*) AS gap FROM xuncha.changes GROUP BY laptop) g WHERE gap <> 0");
    assert_eq!(gaps, 0);
    assert!(leader.hub_ok(pg, &["push"]).contains("发送 0 条变更"));
    // A member's pull killed again and again, then run to the end, holds what the leader holds.
    let inspector = &o.laptops[1];
    for delay in [200, 500, 1000, 2000] {
        let mut cmd = inspector.f.command();
        cmd.env("PGPASSWORD", &inspector.password).args(["hub", "pull", "--url", &pg.url(&inspector.login)]);
        cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
        let mut child = cmd.spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
    }
    inspector.hub_ok(pg, &["pull"]);
    assert!(inspector.hub_ok(pg, &["pull"]).contains("应用 0 条变更"));
    inspector.f.run_ok(&["audit", "verify"]);
    let rounds_l = leader.f.run_ok(&["round", "list", "--format", "json"]);
    let rounds_i = inspector.f.run_ok(&["round", "list", "--format", "json"]);
    assert_eq!(rounds_l, rounds_i);
    assert_eq!(leader.f.run_ok(&["org", "list", "--format", "json"]), inspector.f.run_ok(&["org", "list", "--format", "json"]));
}

/// The team's id and every change `f` holds, read from a bundle it writes.
fn changes_of(f: &Folder) -> (xuncha::domain::Id, Vec<SyncChange>) {
    let file = f.path("all.bundle");
    f.run_ok(&["bundle", "export", "-o", file.to_str().unwrap()]);
    let b = xuncha::bundle::read(&std::fs::read(&file).unwrap()).unwrap();
    (b.header.team, b.changes)
}

fn client(pg: &Pg, login: &str, password: &str) -> postgres::Client {
    let mut config = postgres::Config::from_str(&pg.url(login)).unwrap();
    config.password(password);
    config.connect(postgres::NoTls).unwrap()
}

#[test]
fn the_hub_refuses_forged_changes_and_broken_rules_and_keeps_what_it_stored() {
    let o = office("60");
    let inspector = &o.laptops[1];
    common::fill_sheet(&inspector.f, &o.round, "0101001001D1", &[("C1.3", "换届超期8个月")], "刘书记", true);
    let (team, changes) = changes_of(&inspector.f);
    let me = changes.iter().rev().find(|c| c.action.contains("submit")).unwrap().laptop;
    let mine: Vec<SyncChange> = changes.into_iter().filter(|c| c.laptop == me).collect();
    let (last, earlier) = mine.split_last().unwrap();
    let mut c = client(&o.pg, &inspector.login, &inspector.password);
    let there = xuncha::hub::heads(&mut c, team).unwrap().get(&me).copied().unwrap_or(0);
    let earlier: Vec<SyncChange> = earlier.iter().filter(|x| x.seq > there).cloned().collect();
    xuncha::hub::insert_changes(&mut c, team, &earlier).unwrap();
    let keys = xuncha::identity::load_or_make(&inspector.f.config().join("laptop.key")).unwrap();
    let stored = count(&o.pg, "SELECT count(*) FROM xuncha.changes");

    // The inspector's laptop, tampered, approves its own submitted visit and signs it.
    let mut forged = last.clone();
    let set = forged
        .ops
        .iter_mut()
        .filter(|op| op.table == "visits")
        .flat_map(|op| op.sets.iter_mut())
        .find(|s| s.field == "status")
        .unwrap_or_else(|| panic!("no visit status in {:?}", last.action));
    set.value = serde_json::json!("已通过");
    forged.sig = Some(keys.sign(&forged.signed_bytes(team)));
    let e = xuncha::hub::insert_changes(&mut c, team, std::slice::from_ref(&forged)).unwrap_err();
    assert!(
        matches!(&e, xuncha::hub::HubError::Refused { code, detail, .. } if code == "XC006" && detail.as_deref().is_some_and(|d| d.contains("\"rule\": \"review\""))),
        "{e:?}"
    );

    // The same change signed by another key; and one whose text is not what its hash covers.
    let other = xuncha::identity::load_or_make(&o.laptops[3].f.config().join("laptop.key")).unwrap();
    let mut resigned = last.clone();
    resigned.sig = Some(other.sign(&resigned.signed_bytes(team)));
    let e = xuncha::hub::insert_changes(&mut c, team, std::slice::from_ref(&resigned)).unwrap_err();
    assert!(matches!(&e, xuncha::hub::HubError::Refused { code, .. } if code == "XC004"), "{e:?}");
    // The same JSON with one more space: other bytes than those hashed and signed.
    let payload = String::from_utf8(last.hashed_json()).unwrap().replacen("{\"laptop\"", "{ \"laptop\"", 1);
    let sql = format!(
        "INSERT INTO xuncha.changes (team, laptop, seq, prev, hash, author, at, action, sig, payload) VALUES ('{team}', '{}', {}, '{}', '{}', $a${}$a$, '{}', '{}', '{}', $p${payload}$p$)",
        last.laptop.0,
        last.seq,
        last.prev,
        last.hash(),
        last.author,
        last.at.to_rfc3339(),
        last.action,
        last.sig.clone().unwrap()
    );
    let err = o.pg.psql(&inspector.login, &inspector.password, &sql).unwrap_err();
    assert!(err.contains("hash does not match"), "{err}");
    assert_eq!(count(&o.pg, "SELECT count(*) FROM xuncha.changes"), stored, "nothing forged was stored");

    // Through the binary: a laptop's push with the real change goes through.
    inspector.hub_ok(&o.pg, &["push"]);
    assert_eq!(count(&o.pg, "SELECT count(*) FROM xuncha.changes"), stored + 1);
    assert_eq!(o.pg.admin("SELECT status FROM xuncha.visits WHERE org = '0101001001D1'"), "已提交");
}

#[test]
fn a_laptops_role_cannot_delete_or_update_and_nobody_alters_what_is_stored() {
    let o = office("50");
    let l = &o.laptops[1];
    let stored = count(&o.pg, "SELECT count(*) FROM xuncha.changes");
    for sql in [
        "DELETE FROM xuncha.changes",
        "UPDATE xuncha.changes SET author = '某人'",
        "TRUNCATE xuncha.changes",
        "DELETE FROM xuncha.rosters",
        "UPDATE xuncha.findings SET status = '已销号'",
        "DELETE FROM xuncha.fields",
    ] {
        let err = o.pg.psql(&l.login, &l.password, sql).unwrap_err();
        assert!(err.contains("permission denied"), "{sql}: {err}");
    }
    // Not even the owner: the triggers refuse.
    for sql in ["DELETE FROM xuncha.changes", "UPDATE xuncha.changes SET author = '某人'", "TRUNCATE xuncha.changes"] {
        let err = o.pg.psql("xuncha_admin", ADMIN_PASSWORD, sql).unwrap_err();
        assert!(err.contains("append only"), "{sql}: {err}");
    }
    assert_eq!(count(&o.pg, "SELECT count(*) FROM xuncha.changes"), stored);
    // A password in the URL is refused before anything is sent.
    let r = l.hub(&o.pg, &["push", "--url", &o.pg.url(&l.login).replace("lap_inspector@", "lap_inspector:pw@")]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("不能写密码"), "{}", r.stderr);
    // A wrong password: said so, and the laptop works on.
    let mut c = l.f.command();
    c.env("PGPASSWORD", "wrong").args(["hub", "push", "--url", &o.pg.url(&l.login)]);
    let r: common::Run = c.output().unwrap().into();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("连不上汇总库") && r.stderr.contains("password"), "{}", r.stderr);
}

#[test]
fn the_office_reads_scores_grades_and_due_problems_per_area_from_the_views() {
    let o = office("60");
    let [_, inspector, reviewer, _] = [&o.laptops[0], &o.laptops[1], &o.laptops[2], &o.laptops[3]];
    let (a, b) = ("0101001001D1", "0101001004D1");
    common::fill_sheet(&inspector.f, &o.round, a, &[("C1.3", "换届超期8个月")], "刘书记", true);
    common::fill_sheet(&inspector.f, &o.round, b, &[("C3.1", "本季度未开党员大会"), ("C1.3", "换届超期")], "陈书记", false);
    // At b, C3.7 deducts per occurrence: 3 records missing their elements, 0.5 each.
    let mut rows = common::blank_sheet(&inspector.f, &o.round, b);
    for (column, value) in
        [("结论", "不符合"), ("次数", "3"), ("问题描述", "3份记录要素不全"), ("责任人", "陈书记"), ("整改时限", common::DEADLINE)]
    {
        let c = common::col(&rows, column);
        common::row_of(&mut rows, "C3.7")[c] = value.to_string();
    }
    let sheet = common::write_rows(&inspector.f, "counted.csv", &rows);
    inspector.f.run_ok(&["visit", "import", &sheet, "--round", &o.round, "--submit"]);
    inspector.hub_ok(&o.pg, &["push"]);
    // The hub URL from the config file: no --url needed.
    let config = reviewer.f.config().join("config.toml");
    let mut text = std::fs::read_to_string(&config).unwrap_or_default();
    text.push_str(&format!("hub_url = \"{}\"\n", o.pg.url(&reviewer.login)));
    std::fs::write(&config, text).unwrap();
    let mut c = reviewer.f.command();
    c.env("PGPASSWORD", &reviewer.password).args(["hub", "status"]);
    let r: common::Run = c.output().unwrap().into();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("待上传 0 条") && !r.stdout.contains("待取回 0 条"), "{}", r.stdout);
    reviewer.hub_ok(&o.pg, &["pull"]);
    for org in [a, b] {
        reviewer.f.run_ok(&["review", "approve", &format!("{}:{org}", o.round)]);
    }
    reviewer.hub_ok(&o.pg, &["push"]);
    assert!(reviewer.hub_ok(&o.pg, &["status"]).contains("待上传 0 条，待取回 0 条"));

    // The office computes the figures with xuncha's scoring; once is enough until more comes.
    o.pg.create_login("office", "office-pw", &["xuncha_office"]);
    let office = Folder::new();
    let refresh = |expect: &str| {
        let mut c = office.command();
        c.env("PGPASSWORD", "office-pw").args(["hub", "refresh", "--url", &o.pg.url("office")]);
        let r: common::Run = c.output().unwrap().into();
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains(expect), "{}", r.stdout);
    };
    refresh("次检查");
    refresh("重新计算 0 次检查");
    let shown = json(&reviewer.f.run_ok(&["round", "show", &o.round, "--format", "json"]));
    let rows = shown["organisations"].as_array().unwrap_or_else(|| panic!("{shown}")).clone();
    // The count came to the reviewer's laptop through the hub: b is a village (100 points, none
    // rescaled), 100 - 3 (C3.1) - 2 (C1.3) - 3 × 0.5 (C3.7) = 93.5 (without the count, C3.7
    // would deduct its whole 2: 93).
    let at_b = rows.iter().find(|r| r["code"] == b).unwrap_or_else(|| panic!("{shown}"));
    assert_eq!(at_b["score"].as_f64(), Some(93.5), "{at_b}");
    for org in [a, b] {
        let on_laptop = rows.iter().find(|r| r["code"] == org).unwrap_or_else(|| panic!("{shown}"));
        let on_hub =
            o.pg.psql(
                "office",
                "office-pw",
                &format!("SELECT round(score, 2) || '|' || grade || '|' || warning FROM xuncha.visit_grades WHERE org_code = '{org}'"),
            )
            .unwrap();
        let laptop = format!(
            "{:.2}|{}|{}",
            on_laptop["score"].as_f64().unwrap(),
            on_laptop["grade"].as_str().unwrap(),
            on_laptop["warning"].as_str().unwrap()
        );
        assert_eq!(on_hub, laptop, "{org}: the hub's figures are the laptop's");
    }
    // Only what changed is computed again: one more visit walked, one visit's figures.
    common::fill_sheet(&inspector.f, &o.round, "0101001002D1", &[], "", false);
    inspector.hub_ok(&o.pg, &["push"]);
    refresh("重新计算 1 次检查");
    let walked = o.pg.admin("SELECT answered > 0 FROM xuncha.visit_grades WHERE org_code = '0101001002D1'");
    assert_eq!(walked, "t");
    // Organisations not visited yet have no figures, as on the laptop.
    let unknown = o.pg.admin("SELECT count(*) FROM xuncha.visit_grades WHERE score IS NULL AND status = '未开始'");
    assert!(unknown.parse::<i64>().unwrap() > 0, "{unknown}");

    // A reader (a spreadsheet, a BI tool) reads the views and writes nothing.
    o.pg.create_login("reader", "reader-pw", &["xuncha_reader"]);
    let due =
        o.pg.psql(
            "reader",
            "reader-pw",
            &format!("SELECT problems || '|' || overdue FROM xuncha.rectification_by_area WHERE area_code = '{a}'"),
        )
        .unwrap();
    assert_eq!(due, "1|0", "one tracked problem of {a}, not overdue");
    let parent = o.pg.admin(&format!("SELECT parent FROM xuncha.organisations WHERE code = '{a}'"));
    let area =
        o.pg.psql("reader", "reader-pw", &format!("SELECT problems FROM xuncha.rectification_by_area WHERE area_code = '{parent}'"))
            .unwrap();
    assert!(area.parse::<i64>().unwrap() >= 1, "{area}");
    let listed = o.pg.psql("reader", "reader-pw", "SELECT count(*) FROM xuncha.findings_view WHERE number IS NOT NULL").unwrap();
    // Numbered when approved: a's C1.3, b's C3.1, C1.3 and C3.7.
    assert_eq!(listed, "4");
    let err =
        o.pg.psql("reader", "reader-pw", "INSERT INTO xuncha.visit_scores (visit, round, org) VALUES ('x', gen_random_uuid(), 'y')")
            .unwrap_err();
    assert!(err.contains("permission denied"), "{err}");
}

/// This laptop's id, as `xuncha whoami` prints it.
fn laptop_id(f: &Folder) -> xuncha::domain::LaptopId {
    let who = f.run_ok(&["whoami"]);
    let line = who.lines().find(|l| l.contains("本机编号")).unwrap_or_else(|| panic!("{who}"));
    xuncha::domain::LaptopId(line.rsplit('：').next().unwrap().trim().parse().unwrap())
}

/// A change of `l`'s laptop made by hand (as a tampered laptop would), following its last
/// change, setting `field` of the record `(table, key)` to `value`, signed with `l`'s key.
fn hand_made(l: &Laptop, team: xuncha::domain::Id, table: &str, key: &str, field: &str, value: serde_json::Value) -> SyncChange {
    let me = laptop_id(&l.f);
    let (_, changes) = changes_of(&l.f);
    let last = changes.iter().rfind(|c| c.laptop == me).unwrap();
    let keys = xuncha::identity::load_or_make(&l.f.config().join("laptop.key")).unwrap();
    let mut ch = SyncChange {
        laptop: me,
        seq: last.seq + 1,
        prev: last.hash(),
        author: last.author.clone(),
        at: last.at + chrono::Duration::seconds(60),
        action: "visit.save".into(),
        ops: vec![xuncha::domain::sync::Op {
            table: table.into(),
            key: key.into(),
            sets: vec![xuncha::domain::sync::Set { field: field.into(), value, seen: Vec::new() }],
        }],
        sig: None,
    };
    ch.sig = Some(keys.sign(&ch.signed_bytes(team)));
    ch
}

/// The hex key of the visit of `org` in `round`, as changes name it.
fn visit_key(round: &str, org: &str) -> String {
    xuncha::domain::sync::hex(&xuncha::store::visit_key(round.parse().unwrap(), org))
}

#[test]
fn teams_keep_to_their_own_and_a_login_writes_only_for_its_team() {
    let o = office("60");
    let inspector = &o.laptops[1];
    // A second team on the same hub, its leader's login let in for it only.
    o.pg.create_login("lap_other", "pw-other", &["xuncha_laptop"]);
    let other = Laptop { f: Folder::new(), login: "lap_other".into(), password: "pw-other".into() };
    other.f.run_ok(&["demo", "--orgs", "50"]);
    other.f.run_ok(&["team", "init", "--name", "钱二", "--team", "市委组织部督查二组"]);
    // Before the office lets it in, its login writes nothing.
    let r = other.hub(&o.pg, &["push"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("未被允许为本督查组写入") && r.stderr.contains("xuncha hub allow"), "{}", r.stderr);
    allow(&o.pg, &team_id(&other.f), &["lap_other"]);
    other.hub_ok(&o.pg, &["push"]);
    // Its login reads its own team's changes only; the office's views are not for laptops.
    let seen = o.pg.psql("lap_other", "pw-other", "SELECT count(DISTINCT team) FROM xuncha.changes").unwrap();
    assert_eq!(seen, "1");
    assert!(o.pg.psql("lap_other", "pw-other", "SELECT count(*) FROM xuncha.findings_view").unwrap_err().contains("permission denied"));
    // A change of the second team touching the first team's visit is refused.
    let team_b: xuncha::domain::Id = team_id(&other.f).parse().unwrap();
    let forged = hand_made(&other, team_b, "visits", &visit_key(&o.round, "0101001001D1"), "status", serde_json::json!("已通过"));
    let mut c = client(&o.pg, "lap_other", "pw-other");
    let e = xuncha::hub::insert_changes(&mut c, team_b, &[forged]).unwrap_err();
    assert!(matches!(&e, xuncha::hub::HubError::Refused { code, .. } if code == "XC007"), "{e:?}");
    // Nor can its roster claim the first team's inspector's laptop: a laptop is on one team.
    let mut roster = xuncha::hub::roster(&mut c, team_b).unwrap().unwrap();
    let mut stolen = roster.roster.members[0].clone();
    stolen.name = "张三".into();
    stolen.laptop = laptop_id(&inspector.f);
    stolen.leader = false;
    roster.roster.members.push(stolen);
    roster.roster.version += 1;
    let keys = xuncha::identity::load_or_make(&other.f.config().join("laptop.key")).unwrap();
    roster.signature = keys.sign(&roster.roster.signed_bytes());
    let e = xuncha::hub::put_roster(&mut c, &roster).unwrap_err();
    assert!(matches!(&e, xuncha::hub::HubError::Refused { code, .. } if code == "XC013"), "{e:?}");
    // The first team's login cannot write for the second team, even a change signed right.
    let stored = count(&o.pg, "SELECT count(*) FROM xuncha.changes");
    let (_, theirs) = changes_of(&other.f);
    let mut c = client(&o.pg, &inspector.login, &inspector.password);
    let e = xuncha::hub::insert_changes(&mut c, team_b, &theirs[..1]).unwrap_err();
    assert!(matches!(&e, xuncha::hub::HubError::Refused { code, .. } if code == "XC012"), "{e:?}");
    assert_eq!(count(&o.pg, "SELECT count(*) FROM xuncha.changes"), stored);
}

#[test]
fn a_relayed_change_a_long_step_and_a_change_laptops_refuse() {
    let o = office("60");
    let [_, inspector, reviewer, followup] = [&o.laptops[0], &o.laptops[1], &o.laptops[2], &o.laptops[3]];
    // The inspector never reaches the hub: the work goes to the reviewer by bundle, who approves
    // and pushes both laptops' changes at once, each after what it follows.
    common::fill_sheet(&inspector.f, &o.round, "0101001001D1", &[("C1.3", "换届超期8个月")], "刘书记", true);
    let file = inspector.f.path("to-reviewer.bundle");
    inspector.f.run_ok(&["bundle", "export", "-o", file.to_str().unwrap(), "--to", NAMES[2]]);
    reviewer.f.run_ok(&["bundle", "import", file.to_str().unwrap()]);
    reviewer.f.run_ok(&["review", "approve", &format!("{}:0101001001D1", o.round)]);
    reviewer.hub_ok(&o.pg, &["push"]);
    assert_eq!(o.pg.admin("SELECT status FROM xuncha.visits WHERE org = '0101001001D1'"), "已通过");

    // A step with the longest note the program takes (2,000 characters) is stored and pulled.
    followup.hub_ok(&o.pg, &["pull"]);
    let long = "整改".repeat(1000);
    followup.f.run_ok(&["rectify", "set", "2026Q4-0001", "--status", "整改中", "--note", &long]);
    followup.hub_ok(&o.pg, &["push"]);
    assert_eq!(o.pg.admin("SELECT length(note) FROM xuncha.rect_steps WHERE to_status = '整改中'"), "2000");

    // A change the hub takes but a laptop does not (a status no laptop knows): the pull skips it,
    // says so, and takes the rest; the next pull meets it again.
    inspector.hub_ok(&o.pg, &["pull"]);
    let team: xuncha::domain::Id = team_id(&inspector.f).parse().unwrap();
    // What laptops refuse of an op, the hub refuses too: a field twice, a field inside another,
    // a tree that does not travel; and a value replaced that the hub lacks.
    let key = visit_key(&o.round, "0101001004D1");
    let mut c = client(&o.pg, &inspector.login, &inspector.password);
    let set = |f: &str, v: serde_json::Value| xuncha::domain::sync::Set { field: f.into(), value: v, seen: Vec::new() };
    let resign = |mut ch: SyncChange| {
        let keys = xuncha::identity::load_or_make(&inspector.f.config().join("laptop.key")).unwrap();
        ch.sig = Some(keys.sign(&ch.signed_bytes(team)));
        ch
    };
    let base = hand_made(inspector, team, "visits", &key, "arrival_note", serde_json::json!("甲"));
    let mut twice = base.clone();
    twice.ops[0].sets.push(set("arrival_note", serde_json::json!("乙")));
    let mut inside = base.clone();
    inside.ops[0].sets = vec![set("unannounced", serde_json::json!({})), set("unannounced.不发通知", serde_json::json!(true))];
    let mut tree = base.clone();
    tree.ops[0].table = "audit".into();
    let mut unseen = base.clone();
    unseen.ops[0].sets[0].seen = vec![xuncha::domain::sync::Dot { laptop: laptop_id(&o.laptops[3].f), seq: 99 }];
    for (what, ch, code) in [("twice", twice, "XC009"), ("inside", inside, "XC009"), ("tree", tree, "XC009"), ("unseen", unseen, "XC008")] {
        let e = xuncha::hub::insert_changes(&mut c, team, &[resign(ch)]).unwrap_err();
        assert!(matches!(&e, xuncha::hub::HubError::Refused { code: c, .. } if c == code), "{what}: {e:?}");
    }
    let odd = hand_made(inspector, team, "visits", &key, "arrival_state", serde_json::json!("飞走了"));
    xuncha::hub::insert_changes(&mut c, team, &[odd]).unwrap();
    followup.f.run_ok(&["rectify", "set", "2026Q4-0001", "--status", "已整改待验收", "--note", "已完成"]);
    followup.hub_ok(&o.pg, &["push"]);
    let pulled = reviewer.hub_ok(&o.pg, &["pull"]);
    assert!(pulled.contains("有 1 条变更本机不接受，已跳过") && pulled.contains("飞走了"), "{pulled}");
    let list = rect_list(&reviewer.f);
    assert!(list.contains("已整改待验收"), "the follow-up's step arrived beside the skipped change: {list}");
    assert!(reviewer.hub_ok(&o.pg, &["pull"]).contains("有 1 条变更本机不接受"));
}

#[test]
fn the_hub_is_reached_over_tls_and_its_certificate_is_checked() {
    let pg = Pg::start();
    let root = pg.enable_tls();
    let admin = Folder::new();
    let run = |f: &Folder, env: &[(&str, &str)], args: &[&str]| -> common::Run {
        let mut c = f.command();
        c.env_remove("PGSSLROOTCERT");
        for (k, v) in env {
            c.env(k, v);
        }
        c.args(args).output().unwrap().into()
    };
    let root_s = root.to_str().unwrap();
    // Checked against the root certificate (PGSSLROOTCERT), TLS required.
    let url = format!("{}?sslmode=require", pg.admin_url());
    let r = run(&admin, &[("PGPASSWORD", ADMIN_PASSWORD), ("PGSSLROOTCERT", root_s)], &["hub", "init", "--url", &url]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Without TLS the server lets nobody in: so every success here went over TLS.
    let plain = format!("{}?sslmode=disable", pg.admin_url());
    let r = run(&admin, &[("PGPASSWORD", ADMIN_PASSWORD)], &["hub", "init", "--url", &plain]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("连不上汇总库") && r.stderr.contains("no encryption"), "{}", r.stderr);
    // A certificate that does not chain to the given root is refused before any password is sent.
    let other = admin.path("other.crt");
    let key = admin.path("other.key");
    let out = std::process::Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"])
        .args(["-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.to_str().unwrap(), "-out", other.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let r = run(&admin, &[("PGPASSWORD", ADMIN_PASSWORD), ("PGSSLROOTCERT", other.to_str().unwrap())], &["hub", "init", "--url", &url]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("连不上汇总库") && r.stderr.to_lowercase().contains("certificate"), "{}", r.stderr);
    // A root file that is not a certificate is said so.
    std::fs::write(admin.path("bad.crt"), "not a certificate").unwrap();
    let r = run(
        &admin,
        &[("PGPASSWORD", ADMIN_PASSWORD), ("PGSSLROOTCERT", admin.path("bad.crt").to_str().unwrap())],
        &["hub", "init", "--url", &url],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("根证书文件"), "{}", r.stderr);
    // With no root file at all the channel is still encrypted (libpq's sslmode=require).
    let r = run(&admin, &[("PGPASSWORD", ADMIN_PASSWORD)], &["hub", "init", "--url", &url]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("无需迁移"), "{}", r.stdout);
}

/// Evidence files through the hub: the inspector's photo and follow-up's scan are pushed before
/// the changes that name them, checked by the hub against their hashes, pulled by the laptops
/// that lack them and checked again there; a file on the hub that no longer matches its hash is
/// refused by the laptop, which then takes nothing of that part.
#[test]
fn evidence_files_travel_through_the_hub_checked_at_both_ends() {
    use common::evidence::{PDF, PNG, sha};
    let o = office("60");
    let [leader, inspector, reviewer, followup] = [&o.laptops[0], &o.laptops[1], &o.laptops[2], &o.laptops[3]];
    let a = "0101001001D1";
    common::fill_sheet(&inspector.f, &o.round, a, &[("C1.3", "换届超期8个月")], "刘书记", true);
    let id = json(&inspector.f.run_ok(&["finding", "list", "--format", "json"]))[0]["id"].as_str().unwrap().to_string();
    let photo = inspector.f.path("照片.png");
    std::fs::write(&photo, PNG).unwrap();
    inspector.f.run_ok(&["finding", "attach", &id, photo.to_str().unwrap()]);
    inspector.hub_ok(&o.pg, &["push"]);
    // The hub holds the file under its hash, checked by the hub itself.
    assert_eq!(
        o.pg.admin("SELECT sha256 || ':' || size || ':' || (encode(sha256(content), 'hex') = sha256) FROM xuncha.files"),
        format!("{}:{}:true", sha(PNG), PNG.len())
    );
    assert_eq!(count(&o.pg, "SELECT count(*) FROM xuncha.finding_files"), 1);
    // A laptop's login cannot change or remove it, nor store a file under another's hash.
    let (login, pw) = (&inspector.login, &inspector.password);
    assert!(o.pg.psql(login, pw, "UPDATE xuncha.files SET size = 1").is_err());
    assert!(o.pg.psql(login, pw, "DELETE FROM xuncha.files").is_err());
    let team = team_id(&leader.f);
    let forged = format!("INSERT INTO xuncha.files (team, sha256, size, content) VALUES ('{team}', '{}', 3, '\\x616263')", sha(PDF));
    let err = o.pg.psql(login, pw, &forged).unwrap_err();
    assert!(err.contains("content_has_its_hash"), "{err}");

    // The reviewer pulls the change and its file, approves; follow-up records a scan.
    reviewer.hub_ok(&o.pg, &["pull"]);
    let listed = json(&reviewer.f.run_ok(&["finding", "files", &id, "--format", "json"]));
    assert_eq!(listed[0]["sha256"], sha(PNG).as_str());
    assert_eq!(listed[0]["present"], true);
    // The inspector and the reviewer each attach one more without seeing the other's: the hub
    // keeps both (its finding lists three), and so does every laptop, with no conflict.
    let jpg = inspector.f.path("会议记录.jpg");
    std::fs::write(&jpg, common::evidence::JPEG).unwrap();
    inspector.f.run_ok(&["finding", "attach", &id, jpg.to_str().unwrap()]);
    inspector.hub_ok(&o.pg, &["push"]);
    let txt = reviewer.f.path("谈话记录.txt");
    std::fs::write(&txt, "支部书记称活动室钥匙由村委会保管".as_bytes()).unwrap();
    reviewer.f.run_ok(&["finding", "attach", &id, txt.to_str().unwrap()]);
    reviewer.hub_ok(&o.pg, &["sync"]);
    assert_eq!(o.pg.admin("SELECT jsonb_array_length(doc->'attachments') FROM xuncha.findings"), "3");
    inspector.hub_ok(&o.pg, &["pull"]);
    for l in [inspector, reviewer] {
        let files = json(&l.f.run_ok(&["finding", "files", &id, "--format", "json"]));
        assert_eq!(files.as_array().unwrap().len(), 3, "{files}");
        assert!(files.as_array().unwrap().iter().all(|x| x["present"] == true), "{files}");
        assert_eq!(l.f.run_ok(&["conflict", "list"]).trim(), "没有冲突。");
    }
    reviewer.f.run_ok(&["review", "approve", &format!("{}:{a}", o.round)]);
    reviewer.hub_ok(&o.pg, &["push"]);
    followup.hub_ok(&o.pg, &["pull"]);
    let scan = followup.f.path("整改报告.pdf");
    std::fs::write(&scan, PDF).unwrap();
    followup.f.run_ok(&["rectify", "attach", "2026Q4-0001", scan.to_str().unwrap(), "--note", "换届请示"]);
    followup.hub_ok(&o.pg, &["push"]);
    assert_eq!(count(&o.pg, "SELECT count(*) FROM xuncha.files"), 4);
    reviewer.hub_ok(&o.pg, &["pull"]);
    let out = reviewer.f.path("back.pdf");
    reviewer.f.run_ok(&["finding", "extract", "2026Q4-0001", &sha(PDF)[..8], "-o", out.to_str().unwrap()]);
    assert_eq!(std::fs::read(&out).unwrap(), PDF);

    // A file damaged on the hub (its checks taken off by hand) is refused by the laptop that
    // pulls it: nothing of that part lands.
    o.pg.admin(
        "ALTER TABLE xuncha.files DROP CONSTRAINT content_has_its_hash; ALTER TABLE xuncha.files DISABLE TRIGGER files_kept;
         UPDATE xuncha.files SET content = '\\x00' || content",
    );
    let before = dump(&leader.f);
    let r = leader.hub(&o.pg, &["pull"]);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("不符"), "{}", r.stderr);
    assert_eq!(dump(&leader.f), before);
    assert!(!leader.f.data().join("evidence").exists() || std::fs::read_dir(leader.f.data().join("evidence")).unwrap().next().is_none());
}
