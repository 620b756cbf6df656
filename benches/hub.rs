//! The office hub at a province's scale: several laptops push a quarter's signed changes into
//! one PostgreSQL hub, a fresh laptop pulls its team's changes back, and the office queries the
//! views; each figure with its raw baseline measured in the same run, and the ratio.
//!
//! The province is cut into cities, one per laptop (`XUNCHA_BENCH_LAPTOPS`, default 4): each
//! laptop is the leader of its city's team and holds its city, made by the product's own demo
//! generator (the tree of `demo::generate`, two used rounds of `demo::rounds` over its Party
//! organisations with the checklist dangzhibu: verdicts, findings, reviews, rectification), as
//! `demo --visited` makes it, except that each city's codes begin with its own number (01, 02,
//! ...) so that the cities make one province and not four copies of the same codes. As in
//! benches/bundle.rs, the demo's records were never written as changes: each laptop adopts them
//! (`sync.adopt`, 1,000 records a change) and signs them before its first push (timed apart).
//! A leader's adoption is not judged by the team's rules (the hub and the laptops agree: the
//! leader vouches for records made before the team), which is why each city has its own team;
//! the first city's team also admits a member, the fresh laptop that pulls. Each laptop has its
//! own login (member of xuncha_laptop), let in for its team as `xuncha hub allow` does.
//!
//! Measured, each push, pull and baseline in a process of its own (this binary run again with
//! `--child OP ARGS`, printing its figures as JSON and its peak resident memory, VmHWM, read from
//! /proc), as a user's `xuncha hub push` is:
//! 1. push: the first city's laptop alone on the empty hub, then the other laptops all at once
//!    (the hub checks and applies every change: hash, ed25519 signature in plpython3u, chain,
//!    roster, rules, fields, current-state tables; one writer at a time); changes/s, records/s,
//!    wall time, and what the laptops' backends were doing (pg_stat_activity, every 100 ms);
//!    baseline: the same changes, read from the same stores by processes of the same shape,
//!    COPYed in the same parts of 500 into a bare table with the columns of xuncha.changes (no
//!    key, index or trigger); and the same with every field of every change also COPYed as a row
//!    (tree, key, path, jsonb value, time, laptop, seq) into a bare table: the floor of keeping
//!    the fields at all.
//! 2. a day's small changes: the first laptop records verdicts through the service (one change
//!    each, as an inspector does) and pushes them; baseline: the same changes COPYed bare.
//! 3. pull: the fresh member laptop of the first team pulls everything its team pushed
//!    (`hub::pull_with`: roster, changes in pages of at most 2,000 changes or 20,000 records,
//!    signatures, merge with the team's rules, landing); baselines: a bare SELECT of the same
//!    rows in pages of 2,000 (no parsing), and the bundle import of the same changes
//!    (`sync::import` of an export of the leader's laptop) on an equally fresh copy of the
//!    member's laptop: the same landing without the hub.
//! 4. the office's views on the full hub (after one ANALYZE, timed): count of findings_view, one
//!    county's findings through `'CODE' = ANY(path_codes)`, rectification_by_area whole, one
//!    county's visit_grades; each against a plain query of the table under it (alternating,
//!    median of `XUNCHA_BENCH_RUNS`, default 3).
//!
//! Run: `cargo bench --bench hub`: the province, 24 to 32 minutes on the shared 2-core machine
//! (the pushes 11 to 16 of them), with about 22 GB of disk in /tmp while it runs. The scale:
//! `XUNCHA_BENCH_SCALE` (default 1: the province, 200,000 organisations; 0.25 is a city of
//! 50,000), `XUNCHA_BENCH_VISITED` (the share of Party organisations visited in each of the two
//! rounds, default 0.4: about 174,000 visits of which 70,000 answered, 3.5 million results at
//! full scale), `XUNCHA_BENCH_LAPTOPS` (cities, default 4), `XUNCHA_BENCH_SMALL` (verdicts of
//! the small push, default 2,000). `XUNCHA_BENCH_STATEMENTS=1` loads pg_stat_statements (track
//! = all: it slows the triggers' many small statements, so not for the figures) and prints where
//! the hub's time went during the pushes; `XUNCHA_BENCH_EXPLAIN=1` prints the views' plans;
//! `XUNCHA_BENCH_VIEW_CAP` (seconds, default 600) cancels a view query that runs longer, only so
//! that the bench ends. The cluster is the tests' throwaway one (tests/support/pg.rs: fsync off,
//! the server's other settings left at their defaults).
//! Nothing here asserts a time.

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The tests' throwaway PostgreSQL cluster (tests/support/pg.rs); its folder's tmux helper needs
// the tests' common helpers, so they come too, as in tests/pg_harness.rs.
#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/support/mod.rs"]
mod support;

use postgres::{Client, NoTls};
use serde_json::{Value, json};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::pg::{ADMIN_PASSWORD, Pg};
use xuncha::demo::rounds::{Answered, Plan, StepInput, UsedRounds};
use xuncha::domain::sync::{Known, SyncChange, signed_bytes};
use xuncha::domain::team::Role;
use xuncha::domain::{Finding, Org, RectStatus, TemplateSnapshot, Verdict, Visit, VisitStatus};
use xuncha::hub as hubdb;
use xuncha::identity::Keys;
use xuncha::service::demo::Filled;
use xuncha::service::{Session, hub, rectify, rounds, sync, team, visits};
use xuncha::store::{Commit, Counter, Store, Write};
use xuncha::template::{Catalog, Loaded};

/// The bench's clock, as goals.rs and bundle.rs: inside the current quarter of the rounds.
const NOW: &str = "2026-11-22 10:00";
const PROVINCE: usize = 200_000;
const MEMBER: &str = "基准组员";
const MEMBER_SECRET: [u8; 32] = [200; 32];
const MEMBER_LOGIN: &str = "member1";
/// Changes per transaction of a push (service::hub's PUSH_PART), and per page of a pull.
const PUSH_PART: usize = 500;
const PULL_PART: i64 = 2_000;

fn leader_secret(city: u32) -> [u8; 32] {
    [u8::try_from(city).unwrap(); 32]
}

fn leader_name(city: u32) -> String {
    format!("基准组长{city}")
}

fn login(city: u32) -> String {
    format!("laptop{city}")
}

fn password(login: &str) -> String {
    format!("pw-{login}")
}

fn clock() -> xuncha::clock::Clock {
    xuncha::clock::Clock::fixed_local(NOW).unwrap()
}

fn session(dir: &Path) -> Session {
    Session::new(Store::open(dir).unwrap(), "基准测试").with_clock(clock())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn secs(d: Duration) -> String {
    if d >= Duration::from_secs(1) { format!("{:.2} s", d.as_secs_f64()) } else { format!("{:.1} ms", ms(d)) }
}

fn ratio(p: Duration, b: Duration) -> String {
    format!("{:.2}x", p.as_secs_f64() / b.as_secs_f64())
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.2} GiB", b as f64 / f64::from(1 << 30)),
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

/// `n` per second over `d`, with thousands separated.
fn rate(n: u64, d: Duration) -> String {
    thousands((n as f64 / d.as_secs_f64()).round() as u64)
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[(v.len() - 1) / 2]
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

fn peak_rss_mib() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Copies a closed data folder (the store's sled files and its identity file).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// One city of the province on an empty laptop: `service::demo::fill_used` step by step, with
/// the tree's codes beginning with the city's number instead of 01 (the generator always roots
/// its tree at 01), and the seed the city's number.
fn fill_city(s: &Session, n: usize, city: u32, visited: f64, loaded: &Loaded) -> Filled {
    let seed = u64::from(city);
    let prefix = format!("{city:02}");
    let renamed = |code: &str| {
        assert!(code.starts_with("01"), "a generated code not under 01: {code}");
        format!("{prefix}{}", &code[2..])
    };
    let mut orgs = xuncha::demo::generate(n, seed);
    for o in &mut orgs {
        o.code = renamed(&o.code);
        o.parent = o.parent.as_deref().map(renamed);
    }
    let t = &loaded.template;
    let mut members: Vec<&Org> = orgs
        .iter()
        .filter(|o| rounds::inspectable(o.level))
        .filter(|o| t.fields.is_empty() || o.field.is_some_and(|f| t.fields.contains(&f)))
        .collect();
    members.sort_by(|a, b| a.code.cmp(&b.code));
    let root = orgs.iter().find(|o| o.parent.is_none()).map(|o| o.code.clone()).unwrap_or_default();
    let plan = Plan {
        orgs: members.clone(),
        root,
        template: t,
        template_id: &t.id,
        template_hash: &loaded.hash,
        visited,
        seed,
        now: s.clock.local_now(),
        actor: &s.actor,
    };
    let used = UsedRounds::new(plan);
    let made = used.rounds();
    let mut filled = Filled { orgs: n, rounds: made.len(), ..Default::default() };
    let mut writes: Vec<Write> = orgs.iter().map(Write::put).collect();
    writes.push(Write::put(&TemplateSnapshot {
        hash: loaded.hash.clone(),
        source: loaded.source.to_string(),
        text: loaded.text.clone(),
        template: t.clone(),
    }));
    for r in &made {
        writes.push(Write::put(r));
        writes.extend(members.iter().map(|o| Write::put(&Visit::new(r.id, &o.code))));
    }
    let store = s.raw_store();
    let mut commit = Commit::new("demo.fill", json!({ "orgs": n, "seed": seed, "visited": visited, "city": prefix }), writes);
    commit.record_values = false;
    commit.at = Some(s.now());
    store.fill_empty(&s.actor, commit).unwrap();

    // Made on one thread, written on this one, in commits of about 10,000 records, as fill_used.
    let (tx, rx) = std::sync::mpsc::sync_channel::<(Vec<Write>, Filled)>(2);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let step = |f: &Finding, i: StepInput<'_>| -> Option<Finding> {
                let u = rectify::Update {
                    status: Some(i.to),
                    note: i.note.to_string(),
                    evidence: i.evidence.to_string(),
                    deadline: i.deadline,
                    measures: i.measures.to_string(),
                    overseer: i.overseer.to_string(),
                    acceptor: i.acceptor.to_string(),
                    extension: (f.status == RectStatus::ExtensionRequested).then_some(rectify::Extension::Grant),
                    ..Default::default()
                };
                rectify::apply(f, &u, i.by, i.on).ok().flatten()
            };
            let mut batch: Vec<Write> = Vec::with_capacity(10_200);
            let mut counts = Filled::default();
            used.answered(&step, |a: Answered| {
                counts.visits += 1;
                counts.results += a.results.len();
                counts.findings += a.findings.len();
                counts.approved += usize::from(a.visit.status == VisitStatus::Approved);
                batch.push(Write::put(&a.visit));
                batch.extend(a.results.iter().map(Write::put));
                batch.extend(a.findings.iter().map(Write::put));
                if let Some((name, value)) = a.counter {
                    batch.push(Write::put(&Counter { name, value }));
                }
                if batch.len() >= 10_000 {
                    tx.send((std::mem::take(&mut batch), std::mem::take(&mut counts))).unwrap();
                }
            });
            if !batch.is_empty() {
                tx.send((batch, counts)).unwrap();
            }
        });
        for (part, (writes, counts)) in rx.iter().enumerate() {
            let mut commit = Commit::new("demo.visits", json!({ "seed": seed, "visited": visited, "part": part + 1 }), writes);
            commit.record_values = false;
            commit.at = Some(s.now());
            store.commit(&s.actor, commit).unwrap();
            filled.visits += counts.visits;
            filled.results += counts.results;
            filled.findings += counts.findings;
            filled.approved += counts.approved;
        }
    });
    filled
}

/// Records, fields and text bytes of some changes.
fn carried(changes: &[SyncChange]) -> (usize, usize, usize) {
    let records = changes.iter().map(|c| c.ops.len()).sum();
    let fields = changes.iter().flat_map(|c| &c.ops).map(|o| o.sets.len()).sum();
    let bytes = changes.iter().map(|c| c.hashed_json().len()).sum();
    (records, fields, bytes)
}

/// One value of a COPY text row: backslash, tab, newline and return escaped.
fn copy_field(out: &mut Vec<u8>, s: &str) {
    for b in s.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b => out.push(b),
        }
    }
}

fn copy_row(out: &mut Vec<u8>, values: &[&str]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        copy_field(out, v);
    }
    out.push(b'\n');
}

/// The push baseline: `changes` COPYed in parts of 500, each part one transaction, into the bare
/// copy of xuncha.changes; with `fields`, every field of every change too, into a bare table.
fn bare_push(c: &mut Client, team: &str, changes: &[SyncChange], fields: bool) {
    let mut rows = Vec::new();
    let mut frows = Vec::new();
    for part in changes.chunks(PUSH_PART) {
        rows.clear();
        frows.clear();
        for ch in part {
            let payload = String::from_utf8(ch.hashed_json()).unwrap();
            let laptop = ch.laptop.0.to_string();
            let seq = ch.seq.to_string();
            let sig = ch.sig.clone().unwrap_or_default();
            copy_row(&mut rows, &[team, &laptop, &seq, &ch.prev, &ch.hash(), &ch.author, &ch.at.to_rfc3339(), &ch.action, &sig, &payload]);
            if fields {
                let at_ns = ch.at.timestamp_nanos_opt().unwrap_or(0).to_string();
                for op in &ch.ops {
                    for set in &op.sets {
                        let value = serde_json::to_string(&set.value).unwrap();
                        copy_row(&mut frows, &[&op.table, &op.key, &set.field, &value, &at_ns, &laptop, &seq]);
                    }
                }
            }
        }
        let mut tx = c.transaction().unwrap();
        let mut w =
            tx.copy_in("COPY bench.bare_changes (team, laptop, seq, prev, hash, author, at, action, sig, payload) FROM STDIN").unwrap();
        w.write_all(&rows).unwrap();
        w.finish().unwrap();
        if fields {
            let mut w = tx.copy_in("COPY bench.bare_fields (tree, key, path, value, at_ns, laptop, seq) FROM STDIN").unwrap();
            w.write_all(&frows).unwrap();
            w.finish().unwrap();
        }
        tx.commit().unwrap();
    }
}

/// The changes of this laptop's store after `since` of its own (0: all).
fn read_changes(s: &Session, since: u64) -> Vec<SyncChange> {
    let mut known = Known::new();
    if since > 0 {
        known.insert(s.laptop(), since);
    }
    s.raw_store().changes_after(&known).unwrap()
}

/// One measurement in a process of its own; prints its figures as one JSON object.
fn child(op: &str, a: &[String]) {
    let arg = |i: usize| PathBuf::from(&a[i]);
    let num = |i: usize| a[i].parse::<u64>().unwrap();
    let mut out = match op {
        // DIR CITY ORGS VISITED [MEMBER_DIR]: a city on an empty laptop, the city's team with
        // this laptop as its leader, and the member admitted when a member's folder is given.
        "gen" => {
            let city = num(1) as u32;
            let cat = Catalog::load(&[]);
            let loaded = cat.get("dangzhibu").unwrap();
            let s = session(&arg(0));
            let (f, t) = timed(|| fill_city(&s, num(2) as usize, city, a[3].parse().unwrap(), loaded));
            let keys = Keys::from_secret(&leader_secret(city));
            team::init(&s, &keys, &leader_name(city), &format!("{city:02}市督查组")).unwrap();
            if let Some(m) = a.get(4) {
                let ms_ = session(Path::new(m));
                let request = team::request(&ms_, &Keys::from_secret(&MEMBER_SECRET), MEMBER).unwrap();
                drop(ms_);
                team::admit(&s, &keys, &request, &[Role::Inspector]).unwrap();
            }
            let team_id = team::roster(&s).unwrap().unwrap().roster.team_id.to_string();
            json!({ "ms": ms(t), "team": team_id, "orgs": f.orgs, "rounds": f.rounds, "visits": f.visits, "results": f.results,
                    "findings": f.findings, "approved": f.approved })
        }
        // DIR CITY: the adoption of every record into changes and their signing, as the first
        // push (or export) of a laptop does.
        "adopt" => {
            let s = session(&arg(0));
            let keys = Keys::from_secret(&leader_secret(num(1) as u32));
            let team_id = team::roster(&s).unwrap().unwrap().roster.team_id;
            let store = s.raw_store();
            let (adopted, adopt) = timed(|| store.adopt_records(&s.actor, s.now(), 1000).unwrap());
            let (signed, sign) = timed(|| store.sign_own(&|h| keys.sign(&signed_bytes(team_id, h))).unwrap());
            json!({ "adopted": adopted, "adopt": ms(adopt), "signed": signed, "sign": ms(sign) })
        }
        // DIR CITY URL (password in PGPASSWORD): `hub push` on a leader's laptop. Then, for the
        // phases, the same read of the changes it sent (those after what the hub held of this
        // laptop before), and the push's adoption and signing passes again (nothing left).
        "push" => {
            let s = session(&arg(0));
            let keys = Keys::from_secret(&leader_secret(num(1) as u32));
            let url = &a[2];
            let team_id = team::roster(&s).unwrap().unwrap().roster.team_id;
            let before = hubdb::heads(&mut hubdb::connect(url).unwrap(), team_id).unwrap();
            let start = Instant::now();
            let mut parts: Vec<f64> = Vec::new();
            let p = hub::push_with(&s, &keys, url, &mut |_, _| parts.push(ms(start.elapsed()))).unwrap();
            let push = start.elapsed();
            let peak = peak_rss_mib();
            let (changes, read) = timed(|| s.raw_store().changes_after(&before).unwrap());
            let (records, fields, bytes) = carried(&changes);
            drop(changes);
            let store = s.raw_store();
            let adopt_again = timed(|| store.adopt_records(&s.actor, s.now(), 1000).unwrap()).1;
            let sign_again = timed(|| store.sign_own(&|h| keys.sign(&signed_bytes(team_id, h))).unwrap()).1;
            json!({ "ms": ms(push), "changes": p.changes, "records": records, "fields": fields, "bytes": bytes,
                    "parts": parts, "read": ms(read), "adopt_again": ms(adopt_again), "sign_again": ms(sign_again), "peak": peak })
        }
        // DIR URL TEAM MODE SINCE: the push baseline (MODE `changes` or `fields`), the changes
        // after this laptop's SINCE.
        "bare-push" => {
            let s = session(&arg(0));
            let start = Instant::now();
            let changes = read_changes(&s, num(4));
            let read = start.elapsed();
            let mut c = hubdb::connect(&a[1]).unwrap();
            let t = Instant::now();
            bare_push(&mut c, &a[2], &changes, a[3] == "fields");
            let copy = t.elapsed();
            json!({ "ms": ms(start.elapsed()), "read": ms(read), "copy": ms(copy), "changes": changes.len(), "peak": peak_rss_mib() })
        }
        // DIR CITY N: N verdicts recorded through the service on visits nobody has started, by
        // the laptop's member (one change each); prints this laptop's last change before them.
        "verdicts" => {
            let store = Store::open(&arg(0)).unwrap();
            let name = team::acting_name(&store, "基准测试".into());
            let s = Session::new(store, name).with_clock(clock());
            let since = s.raw_store().sync_heads().unwrap().known().get(&s.laptop()).copied().unwrap_or(0);
            let cat = Catalog::load(&[]);
            let loaded = cat.get("dangzhibu").unwrap();
            let items: Vec<String> = loaded.template.items().filter(|(_, i)| i.fields.is_empty()).map(|(_, i)| i.id.clone()).collect();
            let mut rs = s.raw_store().rounds().unwrap();
            rs.sort_by_key(|r| std::cmp::Reverse((r.quarter, r.id)));
            let current = rs[0].id;
            let open: Vec<String> =
                s.raw_store().visits(current).unwrap().into_iter().filter(|v| v.status == VisitStatus::NotStarted).map(|v| v.org).collect();
            let n = num(2) as usize;
            let t = timed(|| {
                for i in 0..n {
                    let org = &open[i / items.len() % open.len()];
                    visits::record_verdict(&s, current, org, &items[i % items.len()], Some(Verdict::Meets), "", false).unwrap();
                }
            })
            .1;
            let after = s.raw_store().sync_heads().unwrap().known().get(&s.laptop()).copied().unwrap_or(0);
            json!({ "ms": ms(t), "since": since, "after": after, "visits": n.div_ceil(items.len()) })
        }
        // DIR URL (password in PGPASSWORD): `hub pull` on the member's laptop.
        "pull" => {
            let s = session(&arg(0));
            let keys = Keys::from_secret(&MEMBER_SECRET);
            let start = Instant::now();
            let mut parts: Vec<(usize, usize, f64)> = Vec::new();
            let p = hub::pull_with(&s, &keys, &a[1], &mut |done, fetched| parts.push((done, fetched, ms(start.elapsed())))).unwrap();
            json!({ "ms": ms(start.elapsed()), "applied": p.applied, "records": p.records, "held": p.held,
                    "roster": p.roster_version, "conflicts": p.conflicts, "skipped": p.skipped, "parts": parts, "peak": peak_rss_mib() })
        }
        // URL TEAM: the pull baseline, the team's rows in the pull's pages, nothing parsed.
        "bare-pull" => {
            let start = Instant::now();
            let mut c = hubdb::connect(&a[0]).unwrap();
            let (mut after, mut rows, mut bytes) = (0i64, 0usize, 0usize);
            loop {
                let page = c
                    .query(
                        "SELECT id, payload, sig, hash FROM xuncha.changes WHERE team = $1::text::uuid AND id > $2 ORDER BY id LIMIT $3",
                        &[&a[1], &after, &PULL_PART],
                    )
                    .unwrap();
                if page.is_empty() {
                    break;
                }
                for r in &page {
                    after = r.get(0);
                    bytes += r.get::<_, &str>(1).len();
                }
                rows += page.len();
            }
            json!({ "ms": ms(start.elapsed()), "rows": rows, "bytes": bytes, "peak": peak_rss_mib() })
        }
        // DIR CITY FILE: `bundle export -o FILE` on a leader's laptop (everything).
        "export" => {
            let s = session(&arg(0));
            let keys = Keys::from_secret(&leader_secret(num(1) as u32));
            let (e, t) = timed(|| sync::export(&s, &keys, &arg(2), None, None).unwrap());
            json!({ "ms": ms(t), "changes": e.changes, "bytes": e.bytes, "peak": peak_rss_mib() })
        }
        // DIR FILE: `bundle import FILE` on the member's laptop, the file read included.
        "import" => {
            let s = session(&arg(0));
            let keys = Keys::from_secret(&MEMBER_SECRET);
            let (i, t) = timed(|| sync::import(&s, &keys, &a[1], &std::fs::read(arg(1)).unwrap()).unwrap());
            json!({ "ms": ms(t), "applied": i.applied, "records": i.records, "peak": peak_rss_mib() })
        }
        other => panic!("unknown child op {other}"),
    };
    if out.get("peak").is_none() {
        out["peak"] = json!(peak_rss_mib());
    }
    println!("{out}");
}

struct Job {
    op: &'static str,
    args: Vec<String>,
    password: Option<String>,
}

fn job(op: &'static str, args: &[&str], password: Option<&str>) -> Job {
    Job { op, args: args.iter().map(|s| s.to_string()).collect(), password: password.map(str::to_string) }
}

fn spawn(j: &Job) -> Child {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args(["--child", j.op]).args(&j.args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    c.env_remove("PGPASSFILE");
    match &j.password {
        Some(p) => c.env("PGPASSWORD", p),
        None => c.env_remove("PGPASSWORD"),
    };
    c.spawn().unwrap()
}

fn collect(j: &Job, c: Child) -> Value {
    let out = c.wait_with_output().unwrap();
    assert!(out.status.success(), "child {} {:?}: {}", j.op, j.args, String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn in_child(j: Job) -> Value {
    let c = spawn(&j);
    collect(&j, c)
}

/// Runs the jobs at most `width` at a time; their figures in order, and the wall time.
fn run_jobs(jobs: &[Job], width: usize) -> (Vec<Value>, Duration) {
    let start = Instant::now();
    let mut out = Vec::new();
    for group in jobs.chunks(width) {
        let running: Vec<Child> = group.iter().map(spawn).collect();
        out.extend(group.iter().zip(running).map(|(j, c)| collect(j, c)));
    }
    (out, start.elapsed())
}

/// Runs the jobs all at once and, until they end, samples every 100 ms what the laptops'
/// backends on the hub are doing (pg_stat_activity: on the CPU, or the wait event). Their
/// figures, the wall time, and the samples per state.
fn run_sampled(jobs: &[Job], sampler: &mut Client) -> (Vec<Value>, Duration, Vec<(String, usize)>) {
    let start = Instant::now();
    let mut running: Vec<Child> = jobs.iter().map(spawn).collect();
    let mut tally: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    while running.iter_mut().any(|c| c.try_wait().unwrap().is_none()) {
        for r in sampler
            .query(
                "SELECT coalesce(wait_event_type || '/' || wait_event, 'on CPU') FROM pg_stat_activity
                 WHERE usename LIKE 'laptop%' AND state = 'active'",
                &[],
            )
            .unwrap()
        {
            *tally.entry(r.get(0)).or_default() += 1;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let wall = start.elapsed();
    let out = jobs.iter().zip(running).map(|(j, c)| collect(j, c)).collect();
    let mut tally: Vec<(String, usize)> = tally.into_iter().collect();
    tally.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    (out, wall, tally)
}

/// Samples per state, as shares.
fn shares(tally: &[(String, usize)]) -> String {
    let all: usize = tally.iter().map(|(_, n)| n).sum();
    if all == 0 {
        return "no samples".into();
    }
    let parts: Vec<String> = tally.iter().take(6).map(|(w, n)| format!("{w} {:.0}%", 100.0 * *n as f64 / all as f64)).collect();
    format!("{} ({all} backend samples)", parts.join(", "))
}

fn dur(v: &Value, key: &str) -> Duration {
    Duration::from_secs_f64(v[key].as_f64().unwrap_or_else(|| panic!("{key} in {v}")) / 1e3)
}

fn sum(vs: &[Value], key: &str) -> u64 {
    vs.iter().map(|v| v[key].as_u64().unwrap_or_else(|| panic!("{key} in {v}"))).sum()
}

fn max_peak(vs: &[Value]) -> f64 {
    vs.iter().map(|v| v["peak"].as_f64().unwrap()).fold(0.0, f64::max)
}

struct Line {
    work: String,
    figure: String,
    baseline: String,
    ratio: String,
}

fn line(work: impl Into<String>, figure: String, baseline: impl Into<String>, ratio: String) -> Line {
    Line { work: work.into(), figure, baseline: baseline.into(), ratio }
}

fn admin_client(pg: &Pg) -> Client {
    postgres::Config::new()
        .host("127.0.0.1")
        .port(pg.port())
        .user("xuncha_admin")
        .password(ADMIN_PASSWORD)
        .dbname("xuncha")
        .connect(NoTls)
        .unwrap()
}

fn count(c: &mut Client, sql: &str) -> i64 {
    c.query_one(sql, &[]).unwrap().get(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        child(&args[2], &args[3..]);
        return;
    }
    let bench_start = Instant::now();
    let env_f64 = |name: &str, default: f64| std::env::var(name).ok().and_then(|v| v.parse::<f64>().ok()).unwrap_or(default);
    let scale = env_f64("XUNCHA_BENCH_SCALE", 1.0);
    let visited = env_f64("XUNCHA_BENCH_VISITED", 0.4);
    let laptops = env_f64("XUNCHA_BENCH_LAPTOPS", 4.0) as u32;
    let runs = env_f64("XUNCHA_BENCH_RUNS", 3.0).max(1.0) as usize;
    let small = env_f64("XUNCHA_BENCH_SMALL", 2000.0) as usize;
    let statements = std::env::var("XUNCHA_BENCH_STATEMENTS").is_ok_and(|v| v == "1");
    let explain = std::env::var("XUNCHA_BENCH_EXPLAIN").is_ok_and(|v| v == "1");
    assert!((1..=9).contains(&laptops), "XUNCHA_BENCH_LAPTOPS: 1 to 9");
    let orgs_total = ((PROVINCE as f64 * scale).round() as usize).max(50 * laptops as usize);
    let per_city = orgs_total / laptops as usize;
    let tmp = tempfile::Builder::new().prefix("xuncha-hub-bench-").tempdir_in("/tmp").unwrap();
    let path = |name: &str| -> PathBuf { tmp.path().join(name) };
    let p = |name: &str| -> String { path(name).display().to_string() };
    let cities: Vec<u32> = (1..=laptops).collect();
    let mut lines: Vec<Line> = Vec::new();
    let mut phases: Vec<(String, String)> = Vec::new();
    eprintln!(
        "hub bench: scale {scale} ({orgs_total} organisations, {laptops} cities of {per_city}), visited {visited}, in {}",
        tmp.path().display()
    );

    // 1. The hub: a throwaway cluster, the schema, a login per laptop, the bare tables.
    let (pg, pg_start) = timed(Pg::start);
    if statements {
        pg.admin("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
        pg.stop();
        pg.start_again();
        pg.admin("ALTER SYSTEM SET pg_stat_statements.track = 'all'");
        pg.admin("SELECT pg_reload_conf()");
        pg.admin("CREATE EXTENSION pg_stat_statements");
    }
    let mut admin = admin_client(&pg);
    hubdb::migrate(&mut admin).unwrap();
    for &city in &cities {
        pg.create_login(&login(city), &password(&login(city)), &["xuncha_laptop"]);
    }
    pg.create_login(MEMBER_LOGIN, &password(MEMBER_LOGIN), &["xuncha_laptop"]);
    admin
        .batch_execute(
            "CREATE SCHEMA bench;
             CREATE TABLE bench.bare_changes (
               id bigint GENERATED ALWAYS AS IDENTITY, team uuid NOT NULL, laptop uuid NOT NULL, seq bigint NOT NULL,
               prev text NOT NULL, hash text NOT NULL, author text NOT NULL, at timestamptz NOT NULL,
               at_ns bigint NOT NULL DEFAULT 0, action text NOT NULL, sig text NOT NULL, payload text NOT NULL,
               pushed_by name NOT NULL DEFAULT session_user, pushed_at timestamptz NOT NULL DEFAULT now());
             CREATE TABLE bench.bare_fields (
               tree text NOT NULL, key text NOT NULL, path text NOT NULL, value jsonb NOT NULL,
               at_ns bigint NOT NULL, laptop uuid NOT NULL, seq bigint NOT NULL);
             GRANT USAGE ON SCHEMA bench TO xuncha_laptop;
             GRANT INSERT ON ALL TABLES IN SCHEMA bench TO xuncha_laptop;",
        )
        .unwrap();
    let settings: Vec<String> = ["shared_buffers", "work_mem", "fsync", "synchronous_commit", "max_wal_size", "server_version"]
        .iter()
        .map(|s| format!("{s}={}", admin.query_one(&format!("SHOW {s}"), &[]).unwrap().get::<_, String>(0)))
        .collect();
    let url = |user: &str| pg.url(user);

    // 2. The laptops: each city generated (two at a time: the machine has two cores), then its
    // records adopted into changes and signed (two at a time).
    let dir = |city: u32| p(&format!("laptop{city}"));
    let gen_jobs: Vec<Job> = cities
        .iter()
        .map(|&c| {
            let (d, n, v, m) = (dir(c), per_city.to_string(), visited.to_string(), p("member"));
            let mut a = vec![d.as_str(), &c.to_string()].into_iter().map(str::to_string).collect::<Vec<_>>();
            a.extend([n, v]);
            if c == 1 {
                a.push(m);
            }
            Job { op: "gen", args: a, password: None }
        })
        .collect();
    let (gens, gen_wall) = run_jobs(&gen_jobs, 2);
    eprintln!("generated in {:.1} s", gen_wall.as_secs_f64());
    // The office lets each laptop's login write for its team, and the member's for the first.
    let hub_team: Vec<String> = gens.iter().map(|g| g["team"].as_str().unwrap().to_string()).collect();
    for (&c, t) in cities.iter().zip(&hub_team) {
        let mut logins = vec![login(c)];
        if c == 1 {
            logins.push(MEMBER_LOGIN.to_string());
        }
        hubdb::allow(&mut admin, t.parse().unwrap(), &logins).unwrap();
    }
    copy_dir(&path("member"), &path("member-bundle"));
    let adopt_jobs: Vec<Job> = cities.iter().map(|&c| job("adopt", &[&dir(c), &c.to_string()], None)).collect();
    let (adopts, adopt_wall) = run_jobs(&adopt_jobs, 2);
    eprintln!("adopted in {:.1} s", adopt_wall.as_secs_f64());
    let (visits_n, results_n, findings_n) = (sum(&gens, "visits"), sum(&gens, "results"), sum(&gens, "findings"));

    // 3. Push: the first laptop alone on the empty hub, then the others at once.
    let push_job = |c: u32| job("push", &[&dir(c), &c.to_string(), &url(&login(c))], Some(&password(&login(c))));
    let mut sampler = admin_client(&pg);
    let (first, _, first_waits) = run_sampled(&[push_job(1)], &mut sampler);
    let first = first.into_iter().next().unwrap();
    eprintln!("first push in {:.1} s", dur(&first, "ms").as_secs_f64());
    let rest_jobs: Vec<Job> = cities[1..].iter().map(|&c| push_job(c)).collect();
    let (rest, rest_wall, rest_waits) =
        if rest_jobs.is_empty() { (Vec::new(), Duration::ZERO, Vec::new()) } else { run_sampled(&rest_jobs, &mut sampler) };
    eprintln!("other pushes in {:.1} s", rest_wall.as_secs_f64());
    let mut stmts: Vec<(String, i64, f64, f64)> = Vec::new();
    let mut shared_keys: Vec<(String, i64)> = Vec::new();
    if statements {
        // The records more than one laptop wrote: where concurrent pushes wait for each other.
        for r in admin
            .query(
                "SELECT t, count(*) FROM (SELECT o->>'t' AS t, o->>'k' AS k FROM xuncha.changes c,
                   jsonb_array_elements(c.payload::jsonb->'ops') o GROUP BY 1, 2 HAVING count(DISTINCT c.laptop) > 1) x GROUP BY t",
                &[],
            )
            .unwrap()
        {
            shared_keys.push((r.get(0), r.get(1)));
        }
        for r in admin
            .query(
                "SELECT regexp_replace(left(query, 110), '\\s+', ' ', 'g'), calls, total_exec_time, mean_exec_time
                 FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 16",
                &[],
            )
            .unwrap()
        {
            stmts.push((r.get(0), r.get(1), r.get(2), r.get(3)));
        }
    }

    // Baselines: the same changes, the same shape (one alone, then the others at once).
    let bare = |mode: &str, admin: &mut Client| -> (Value, Vec<Value>, Duration) {
        admin.batch_execute("TRUNCATE bench.bare_changes, bench.bare_fields").unwrap();
        let bj = |c: u32| job("bare-push", &[&dir(c), &url(&login(c)), &hub_team[c as usize - 1], mode, "0"], Some(&password(&login(c))));
        let one = in_child(bj(1));
        let others: Vec<Job> = cities[1..].iter().map(|&c| bj(c)).collect();
        let (rest, wall) = if others.is_empty() { (Vec::new(), Duration::ZERO) } else { run_jobs(&others, others.len()) };
        (one, rest, wall)
    };
    let (bare1, bare_rest, bare_rest_wall) = bare("changes", &mut admin);
    let bare_bytes = count(&mut admin, "SELECT pg_total_relation_size('bench.bare_changes')");
    let (fbare1, fbare_rest, fbare_rest_wall) = bare("fields", &mut admin);
    let bare_field_rows = count(&mut admin, "SELECT count(*) FROM bench.bare_fields");
    admin.batch_execute("TRUNCATE bench.bare_changes, bench.bare_fields").unwrap();
    eprintln!("baselines done");

    let all_push: Vec<Value> = std::iter::once(first.clone()).chain(rest.iter().cloned()).collect();
    let (changes_n, records_n, fields_n, bytes_n) =
        (sum(&all_push, "changes"), sum(&all_push, "records"), sum(&all_push, "fields"), sum(&all_push, "bytes"));
    let push_total = dur(&first, "ms") + rest_wall;
    let bare_total = dur(&bare1, "ms") + bare_rest_wall;
    let fbare_total = dur(&fbare1, "ms") + fbare_rest_wall;
    let c1 = (first["changes"].as_u64().unwrap(), first["records"].as_u64().unwrap());
    lines.push(line(
        format!(
            "push, laptop 1 alone on the empty hub: {} changes, {} records, {} fields, {} of change text",
            thousands(c1.0),
            thousands(c1.1),
            thousands(first["fields"].as_u64().unwrap()),
            size(first["bytes"].as_u64().unwrap())
        ),
        format!(
            "{}: {} changes/s, {} records/s, peak {:.0} MiB",
            secs(dur(&first, "ms")),
            rate(c1.0, dur(&first, "ms")),
            rate(c1.1, dur(&first, "ms")),
            first["peak"].as_f64().unwrap()
        ),
        format!("bare COPY of the same rows (read from the store included): {}", secs(dur(&bare1, "ms"))),
        ratio(dur(&first, "ms"), dur(&bare1, "ms")),
    ));
    if !rest.is_empty() {
        let (cn, rn) = (sum(&rest, "changes"), sum(&rest, "records"));
        lines.push(line(
            format!("push, laptops 2 to {laptops} at once: {} changes, {} records", thousands(cn), thousands(rn)),
            format!(
                "{} wall (each {}): {} changes/s, {} records/s, peak {:.0} MiB",
                secs(rest_wall),
                rest.iter().map(|v| secs(dur(v, "ms"))).collect::<Vec<_>>().join(", "),
                rate(cn, rest_wall),
                rate(rn, rest_wall),
                max_peak(&rest)
            ),
            format!("bare COPY, the same at once: {}", secs(bare_rest_wall)),
            ratio(rest_wall, bare_rest_wall),
        ));
    }
    lines.push(line(
        format!(
            "push, the whole province from {laptops} laptops: {} changes, {} records, {} fields",
            thousands(changes_n),
            thousands(records_n),
            thousands(fields_n)
        ),
        format!("{}: {} changes/s, {} records/s", secs(push_total), rate(changes_n, push_total), rate(records_n, push_total)),
        format!("bare COPY of the change rows: {} ({} in the table)", secs(bare_total), size(bare_bytes as u64)),
        ratio(push_total, bare_total),
    ));
    lines.push(line(
        "push, the whole province (same)",
        secs(push_total),
        format!(
            "bare COPY of the change rows and of their {} field rows (jsonb): {}",
            thousands(bare_field_rows as u64),
            secs(fbare_total)
        ),
        ratio(push_total, fbare_total),
    ));

    // 4. A day's small changes: verdicts recorded on laptop 1, one change each, then pushed.
    let v = in_child(job("verdicts", &[&dir(1), "1", &small.to_string()], None));
    let since = v["since"].as_u64().unwrap();
    let small_push = in_child(push_job(1));
    admin.batch_execute("TRUNCATE bench.bare_changes, bench.bare_fields").unwrap();
    let small_bare =
        in_child(job("bare-push", &[&dir(1), &url(&login(1)), &hub_team[0], "changes", &since.to_string()], Some(&password(&login(1)))));
    let sn = small_push["changes"].as_u64().unwrap();
    lines.push(line(
        format!(
            "push of small changes: {} verdicts recorded through the service on laptop 1 ({} changes, {} records; recording took {})",
            thousands(small as u64),
            thousands(sn),
            thousands(small_push["records"].as_u64().unwrap()),
            secs(dur(&v, "ms"))
        ),
        format!(
            "{}: {} changes/s, peak {:.0} MiB",
            secs(dur(&small_push, "ms")),
            rate(sn, dur(&small_push, "ms")),
            small_push["peak"].as_f64().unwrap()
        ),
        format!("bare COPY of the same {} change rows (read included): {}", small_bare["changes"], secs(dur(&small_bare, "ms"))),
        ratio(dur(&small_push, "ms"), dur(&small_bare, "ms")),
    ));

    // 5. Pull: the member's fresh laptop takes its team's everything; the bare SELECT; the
    // bundle import of the same changes on an equally fresh copy.
    let pull = in_child(job("pull", &[&p("member"), &url(MEMBER_LOGIN)], Some(&password(MEMBER_LOGIN))));
    let bare_pull = in_child(job("bare-pull", &[&url(MEMBER_LOGIN), &hub_team[0]], Some(&password(MEMBER_LOGIN))));
    let export = in_child(job("export", &[&dir(1), "1", &p("all.bundle")], None));
    let import = in_child(job("import", &[&p("member-bundle"), &p("all.bundle")], None));
    let pulled = pull["applied"].as_u64().unwrap();
    let pull_t = dur(&pull, "ms");
    lines.push(line(
        format!(
            "pull, the member's fresh laptop takes team 1's everything ({} changes applied, {} records, roster v{}, {} skipped, {} held)",
            thousands(pulled),
            thousands(pull["records"].as_u64().unwrap()),
            pull["roster"],
            pull["skipped"].as_array().map_or(0, Vec::len),
            pull["held"]
        ),
        format!(
            "{}: {} changes/s, {} records/s, peak {:.0} MiB",
            secs(pull_t),
            rate(pulled, pull_t),
            rate(pull["records"].as_u64().unwrap(), pull_t),
            pull["peak"].as_f64().unwrap()
        ),
        format!(
            "bare SELECT of the same {} rows in pages of 2,000 ({}): {}",
            thousands(bare_pull["rows"].as_u64().unwrap()),
            size(bare_pull["bytes"].as_u64().unwrap()),
            secs(dur(&bare_pull, "ms"))
        ),
        ratio(pull_t, dur(&bare_pull, "ms")),
    ));
    lines.push(line(
        "pull (same)",
        secs(pull_t),
        format!(
            "bundle import of the same changes on an equally fresh laptop ({} applied; the export, {}, took {}): {}, peak {:.0} MiB",
            thousands(import["applied"].as_u64().unwrap()),
            size(export["bytes"].as_u64().unwrap()),
            secs(dur(&export, "ms")),
            secs(dur(&import, "ms")),
            import["peak"].as_f64().unwrap()
        ),
        ratio(pull_t, dur(&import, "ms")),
    ));

    // 6. The views on the full hub, after one ANALYZE.
    let analyze = timed(|| admin.batch_execute("ANALYZE").unwrap()).1;
    let area = "0101";
    let area_name: String = admin.query_one("SELECT name FROM xuncha.organisations WHERE code = $1", &[&area]).unwrap().get(0);
    let queries: Vec<(String, String, String, String)> = vec![
        (
            "SELECT count(*) FROM xuncha.findings_view".into(),
            "count of findings_view".into(),
            "SELECT count(*) FROM xuncha.findings".into(),
            "count(*) of xuncha.findings".into(),
        ),
        (
            format!("SELECT * FROM xuncha.findings_view WHERE '{area}' = ANY(path_codes)"),
            format!("one county's findings: findings_view WHERE '{area}' = ANY(path_codes) ({area_name})"),
            format!("SELECT * FROM xuncha.findings WHERE org LIKE '{area}%'"),
            format!("xuncha.findings WHERE org LIKE '{area}%'"),
        ),
        (
            "SELECT * FROM xuncha.rectification_by_area".into(),
            "rectification_by_area, whole".into(),
            "SELECT org, count(*), count(*) FILTER (WHERE deadline <= current_date), \
             count(*) FILTER (WHERE status IN ('已整改待验收', '已销号')) FROM xuncha.findings WHERE number IS NOT NULL GROUP BY org"
                .into(),
            "findings counted per organisation (GROUP BY org, no tree)".into(),
        ),
        (
            format!("SELECT * FROM xuncha.visit_grades WHERE '{area}' = ANY(path_codes)"),
            format!("one county's visit_grades ({area_name})"),
            format!("SELECT * FROM xuncha.visits WHERE org LIKE '{area}%'"),
            format!("xuncha.visits WHERE org LIKE '{area}%'"),
        ),
    ];
    // No time limit is asserted; a cap only keeps the bench finishing should a plan go wrong.
    let cap = env_f64("XUNCHA_BENCH_VIEW_CAP", 600.0) as u64;
    admin.batch_execute(&format!("SET statement_timeout = '{cap}s'")).unwrap();
    // The rows of a query and the first column of its first row (for the counts), or None
    // when the cap cancelled it.
    let run_q = |admin: &mut Client, q: &str| -> (Option<(usize, String)>, Duration) {
        let (r, t) = timed(|| admin.query(q, &[]));
        let r = match r {
            Ok(rows) => {
                let first = rows.first().and_then(|r| r.try_get::<_, i64>(0).ok()).map(|n| n.to_string()).unwrap_or_default();
                Some((rows.len(), first))
            }
            Err(e) => {
                eprintln!("{q}: {e}");
                None
            }
        };
        (r, t)
    };
    for (q, what, b, bwhat) in &queries {
        let (mut pt, mut bt) = (Vec::new(), Vec::new());
        let (mut got, mut bgot) = (None, None);
        for _ in 0..runs {
            let (r, t) = run_q(&mut admin, q);
            pt.push(t);
            let cancelled = r.is_none();
            got = r;
            let (r, t) = run_q(&mut admin, b);
            bt.push(t);
            bgot = r;
            if cancelled {
                break;
            }
        }
        let n = pt.len();
        let (pt, bt) = (median(pt), median(bt));
        let shown = |g: &Option<(usize, String)>, t: Duration| match g {
            Some((rows, first)) if q.contains("count(*)") && rows == &1 => format!("{:.1} ms (count {first})", ms(t)),
            Some((rows, _)) => format!("{:.1} ms ({} rows)", ms(t), thousands(*rows as u64)),
            None => format!("cancelled after {}", secs(t)),
        };
        lines.push(line(
            format!("view: {what} ({n} runs, alternating, median)"),
            shown(&got, pt),
            format!("{bwhat}: {}", shown(&bgot, bt)),
            ratio(pt, bt),
        ));
        admin.batch_execute("SET jit = off").unwrap();
        let (r, t) = run_q(&mut admin, q);
        admin.batch_execute("RESET jit").unwrap();
        phases.push((format!("view: {what}, once more with jit = off"), shown(&r, t)));
        if explain {
            let plan: Vec<String> = admin
                .query(format!("EXPLAIN (ANALYZE, BUFFERS) {q}").as_str(), &[])
                .unwrap()
                .iter()
                .map(|r| r.get::<_, String>(0))
                .collect();
            eprintln!("EXPLAIN ANALYZE {q}\n{}\n", plan.join("\n"));
        }
    }
    admin.batch_execute("RESET statement_timeout").unwrap();

    // 7. What the hub holds.
    let held: Vec<(String, i64, i64)> = ["changes", "fields", "organisations", "rounds", "visits", "results", "findings", "rect_steps"]
        .iter()
        .map(|t| {
            (
                t.to_string(),
                count(&mut admin, &format!("SELECT count(*) FROM xuncha.{t}")),
                count(&mut admin, &format!("SELECT pg_total_relation_size('xuncha.{t}')")),
            )
        })
        .collect();
    let db_size = count(&mut admin, "SELECT pg_database_size('xuncha')");

    // Phases.
    for (i, (g, a)) in gens.iter().zip(&adopts).enumerate() {
        phases.push((
            format!(
                "laptop {}: city generated ({} orgs, {} visits answered, {} results, {} findings)",
                i + 1,
                g["orgs"],
                g["visits"],
                g["results"],
                g["findings"]
            ),
            secs(dur(g, "ms")),
        ));
        phases.push((
            format!(
                "laptop {}: adopt {} records into changes, then sign {} changes (two laptops at a time)",
                i + 1,
                a["adopted"],
                a["signed"]
            ),
            format!("{} + {}", secs(dur(a, "adopt")), secs(dur(a, "sign"))),
        ));
    }
    for (i, v) in all_push.iter().enumerate() {
        let parts: Vec<f64> = v["parts"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
        let part_text = match parts.len() {
            0 => "no part".to_string(),
            1 => format!("1 part, landed at {}", secs(Duration::from_secs_f64(parts[0] / 1e3))),
            n => format!(
                "{n} parts: the first landed at {}, then {} a part",
                secs(Duration::from_secs_f64(parts[0] / 1e3)),
                secs(Duration::from_secs_f64((parts[n - 1] - parts[0]) / 1e3 / (n - 1) as f64))
            ),
        };
        phases.push((
            format!(
                "push laptop {}: read its {} changes from sled (changes_after, after the push); the push's adopt and sign passes with nothing left",
                i + 1,
                v["changes"]
            ),
            format!("{} ; {} + {}", secs(dur(v, "read")), secs(dur(v, "adopt_again")), secs(dur(v, "sign_again"))),
        ));
        phases.push((
            format!("push laptop {}: {part_text} (parts of at most 500 changes or 5,000 records, each a transaction)", i + 1),
            secs(dur(v, "ms")),
        ));
    }
    phases.push(("push laptop 1 alone: what its backend on the hub was doing, sampled every 100 ms".into(), shares(&first_waits)));
    if !rest.is_empty() {
        phases.push((format!("push laptops 2 to {laptops} at once: what their backends were doing"), shares(&rest_waits)));
    }
    let bares: Vec<&Value> = std::iter::once(&bare1).chain(&bare_rest).collect();
    phases.push((
        "bare COPY per laptop: read from sled + COPY".into(),
        bares.iter().map(|v| format!("{} + {}", secs(dur(v, "read")), secs(dur(v, "copy")))).collect::<Vec<_>>().join(", "),
    ));
    let fbares: Vec<&Value> = std::iter::once(&fbare1).chain(&fbare_rest).collect();
    phases.push((
        "bare COPY with the fields per laptop: read from sled + COPY".into(),
        fbares.iter().map(|v| format!("{} + {}", secs(dur(v, "read")), secs(dur(v, "copy")))).collect::<Vec<_>>().join(", "),
    ));
    let pparts = pull["parts"].as_array().unwrap();
    phases.push((
        format!(
            "pull: pages landed (applied, fetched, at): {}",
            pparts
                .iter()
                .map(|x| format!("({}, {}, {})", x[0], x[1], secs(Duration::from_secs_f64(x[2].as_f64().unwrap() / 1e3))))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        secs(pull_t),
    ));
    phases.push(("ANALYZE of the whole hub, before the views".into(), secs(analyze)));

    println!(
        "xuncha hub benchmark: scale {scale} of a {PROVINCE}-organisation province: {orgs_total} organisations in {laptops} cities (one laptop, one team each); \
         two rounds, {} of the Party organisations visited in each: {} visits answered, {} results, {} findings; \
         generated in {} (two at a time), adopted in {} (two at a time). PostgreSQL {}; cluster started in {}. Whole bench: {}.",
        visited,
        thousands(visits_n),
        thousands(results_n),
        thousands(findings_n),
        secs(gen_wall),
        secs(adopt_wall),
        settings.join(", "),
        secs(pg_start),
        secs(bench_start.elapsed())
    );
    println!();
    println!("| work | figure | baseline | ratio |");
    println!("| --- | --- | --- | --- |");
    for l in &lines {
        println!("| {} | {} | {} | {} |", l.work, l.figure, l.baseline, l.ratio);
    }
    println!();
    println!(
        "The hub after the pushes: {} in all; {}. Pushed: {} changes, {} of change text.",
        size(db_size as u64),
        held.iter().map(|(t, n, b)| format!("{t} {} rows ({})", thousands(*n as u64), size(*b as u64))).collect::<Vec<_>>().join(", "),
        thousands(changes_n),
        size(bytes_n)
    );
    println!();
    println!("| phase | time |");
    println!("| --- | --- |");
    for (p, t) in &phases {
        println!("| {p} | {t} |");
    }
    if statements {
        println!();
        println!("pg_stat_statements (track = all) after the pushes, by total time (nested statements counted inside their callers too):");
        println!();
        println!(
            "Records written by more than one laptop (trees: records): {}",
            if shared_keys.is_empty() {
                "none".to_string()
            } else {
                shared_keys.iter().map(|(t, n)| format!("{t}: {n}")).collect::<Vec<_>>().join(", ")
            }
        );
        println!();
        println!("| statement | calls | total | mean |");
        println!("| --- | --- | --- | --- |");
        for (q, calls, total, mean) in &stmts {
            println!("| `{}` | {} | {:.1} s | {:.2} ms |", q.replace('|', "\\|"), thousands(*calls as u64), total / 1e3, mean);
        }
    }
    drop(admin);
    drop(pg);
}
