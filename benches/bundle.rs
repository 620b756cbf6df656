//! Bundles of a whole city round between two laptops of a team, each figure with its raw
//! baseline in the same run, on data from the product's own generator (`demo --visited`: two
//! used rounds, visits for 80% of the Party organisations, findings, reviews, rectification).
//!
//! The leader's laptop holds the city and makes the team (`team init`), then admits a member
//! (the member's laptop writes a join request). Measured:
//! 1. the first export of everything (which adopts the records made before changes were kept:
//!    all the demo data), its size, changes and records;
//! 2. exports after adoption: everything again, one round (`--round`), one round to the member
//!    (`--to --round`) and the same again when the member lacks nothing;
//! 3. the import of the full bundle on the member's empty laptop (it takes the roster from it),
//!    through the service (after its dry parts, for the phases) and through the binary (`xuncha
//!    bundle import`, time and peak memory from wait4's rusage of that one child);
//! 4. importing the same bundle again (everything already held);
//! 5. where the time goes: export (adopt, sign, changes_after, write) and import (read, change
//!    signatures, the dry merge, check, landing) phase by phase.
//!
//! Every measurement runs in a process of its own (this binary run again with `--child OP
//! ARGS`, which prints its figures as JSON, its peak resident memory read from /proc), as a
//! user's `xuncha bundle …` does. (In the process that had generated the city and imported it,
//! the bare sled insert of the same records took 48 s against 3.4 s in a fresh process: glibc's
//! malloc in a heap left fragmented; the profiles of export and import show the same malloc
//! functions on top.)
//!
//! Run: `cargo bench --bench bundle` (a city: 6,000 organisations, 6 to 8 minutes on 2 busy
//! cores). `XUNCHA_BENCH_ORGS`, `XUNCHA_BENCH_VISITED` (default 0.8) and `XUNCHA_BENCH_RUNS`
//! (repeated exports and re-imports, default 3) change the size; `XUNCHA_BENCH_KEEP=DIR` works in
//! DIR and leaves it, for a profiler. Prints two tables: work, figure, baseline, ratio; and the
//! phases. Nothing here asserts a time.
//!
//! The baselines, the honest floors:
//! - export: a bare write of the same records, straight from the store's sled trees (the six
//!   trees whose records travel), each as one JSON line `{"t":tree,"k":hex key,"d":stored
//!   bytes}` through the same gzip level (`Compression::fast()`) into the same kind of file
//!   (temporary, fsync, rename): what any export of those records must at least do. No change
//!   log, no field-by-field split, no hashes, no signatures.
//! - import: the bare file read back into a fresh sled database: gunzip, parse each line
//!   (borrowing the record's bytes), insert key and bytes into its tree, one flush; the sled part
//!   alone is given too. No checks, no indexes, no audit, no versions or change log: what any
//!   import of those records must at least do.
//! - re-import: a bundle is checked whole before anything is taken, so the floor of taking a
//!   bundle whose changes are all held is reading it: gunzip the file and hash its text
//!   (SHA-256, as `bundle::read` checks it).

// Tests and benchmarks may unwrap: a panic there is a failed test, never a user's loss.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// Reads the binary's peak memory (wait4's rusage) through libc.
#![allow(unsafe_code)]

use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use xuncha::atomic_file::{Access, AtomicFile};
use xuncha::bundle::{self, Header};
use xuncha::domain::Id;
use xuncha::domain::sync::{Known, hex, unhex};
use xuncha::domain::team::Role;
use xuncha::identity::Keys;
use xuncha::service::{Session, demo, sync, team};
use xuncha::store::Store;
use xuncha::store::sync::SYNCED;
use xuncha::template::Catalog;

/// The bench's clock, as goals.rs: inside the current quarter of the generated rounds.
const NOW: &str = "2026-11-22 10:00";
const TEAM: &str = "县委组织部督查一组";
// Names the demo never gives anyone: adopted changes are judged by the team's rules under the
// adopting member's name, so a leader named like one of the demo's people (王明 is one) would
// "close a finding they reported done" and the whole bundle would be refused.
const LEADER: &str = "基准组长";
const MEMBER: &str = "基准组员";
const LEADER_SECRET: [u8; 32] = [1; 32];
const MEMBER_SECRET: [u8; 32] = [2; 32];

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
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
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

/// The export baseline: every record of the synced trees as one JSON line through gzip (fast),
/// into a file written whole (temporary, fsync, rename). Returns the records written.
fn bare_export(db: &sled::Db, out: &Path) -> usize {
    let mut file = AtomicFile::create(out, Access::Shared).unwrap();
    let mut gz = flate2::write::GzEncoder::new(&mut file, flate2::Compression::fast());
    let mut line = Vec::new();
    let mut n = 0;
    for t in SYNCED {
        for kv in db.open_tree(t.name()).unwrap().iter() {
            let (k, v) = kv.unwrap();
            line.clear();
            line.extend_from_slice(b"{\"t\":\"");
            line.extend_from_slice(t.name().as_bytes());
            line.extend_from_slice(b"\",\"k\":\"");
            line.extend_from_slice(hex(&k).as_bytes());
            line.extend_from_slice(b"\",\"d\":");
            line.extend_from_slice(&v);
            line.extend_from_slice(b"}\n");
            gz.write_all(&line).unwrap();
            n += 1;
        }
    }
    gz.finish().unwrap();
    file.commit().unwrap();
    n
}

#[derive(Deserialize)]
struct BareLine<'a> {
    t: &'a str,
    k: &'a str,
    #[serde(borrow)]
    d: &'a serde_json::value::RawValue,
}

/// The import baseline: the bare file into a fresh sled database (one tree per table, the
/// store's cache size), one flush. Returns (records, the sled part's time).
fn bare_import(file: &Path, dir: &Path) -> (usize, Duration) {
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(file).unwrap()).read_to_end(&mut text).unwrap();
    let mut rows = Vec::new();
    for l in text.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let line: BareLine = serde_json::from_slice(l).unwrap();
        rows.push((line.t, unhex(line.k).unwrap(), line.d.get().as_bytes()));
    }
    let t = Instant::now();
    let db = sled::Config::new().path(dir).cache_capacity(64 * 1024 * 1024).open().unwrap();
    let trees: Vec<(&str, sled::Tree)> = SYNCED.iter().map(|t| (t.name(), db.open_tree(t.name()).unwrap())).collect();
    for (table, key, value) in &rows {
        let tree = &trees.iter().find(|(n, _)| n == table).unwrap().1;
        tree.insert(key.as_slice(), *value).unwrap();
    }
    db.flush().unwrap();
    (rows.len(), t.elapsed())
}

/// The re-import baseline: gunzip the bundle and hash its text.
fn read_and_hash(file: &Path) -> usize {
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(file).unwrap()).read_to_end(&mut text).unwrap();
    std::hint::black_box(Sha256::digest(&text));
    text.len()
}

/// One measurement in a process of its own; prints its figures as one JSON object.
fn child(op: &str, args: &[String]) {
    let arg = |i: usize| PathBuf::from(&args[i]);
    let lkeys = Keys::from_secret(&LEADER_SECRET);
    let mkeys = Keys::from_secret(&MEMBER_SECRET);
    let out = match op {
        // `bundle export -o OUT [--to NAME] [--round ID]` on the leader's laptop.
        "export" => {
            let s = session(&arg(0));
            let to = Some(args[2].as_str()).filter(|t| *t != "-");
            let round = Some(args[3].as_str()).filter(|r| *r != "-").map(|r| r.parse::<Id>().unwrap());
            let (e, t) = timed(|| sync::export(&s, &lkeys, &arg(1), to, round).unwrap());
            json!({ "ms": ms(t), "changes": e.changes, "bytes": e.bytes })
        }
        "bare-export" => {
            let db = sled::Config::new().path(arg(0).join("db")).cache_capacity(64 * 1024 * 1024).open().unwrap();
            let (n, t) = timed(|| bare_export(&db, &arg(1)));
            json!({ "ms": ms(t), "records": n })
        }
        // The export's parts, on a laptop that has not exported yet.
        "export-phases" => {
            let s = session(&arg(0));
            let store = s.raw_store();
            let team_id = team::roster(&s).unwrap().unwrap().roster.team_id;
            let (adopted, adopt) = timed(|| store.adopt_records(&s.actor, s.now(), 1000).unwrap());
            let (signed, sign) = timed(|| store.sign_own(&|hash| lkeys.sign(&xuncha::domain::sync::signed_bytes(team_id, hash))).unwrap());
            let (changes, after) = timed(|| store.changes_after(&Known::new()).unwrap());
            let header = Header {
                kind: bundle::KIND.into(),
                team: team_id,
                from: s.laptop(),
                author: LEADER.into(),
                to: None,
                made_at: s.now(),
                roster: team::roster(&s).unwrap().unwrap(),
                have: store.sync_heads().unwrap().known(),
                audit_head: store.audit_head().unwrap(),
                round: None,
                changes: changes.len(),
                files: 0,
            };
            let write = timed(|| {
                let mut file = AtomicFile::create(&arg(1), Access::Shared).unwrap();
                bundle::write(&mut file, &header, &changes, &|b| lkeys.sign(b)).unwrap();
                file.commit().unwrap();
            })
            .1;
            let ser = timed(|| changes.iter().map(|c| serde_json::to_vec(c).unwrap().len()).sum::<usize>()).1;
            let adopt_again = timed(|| store.adopt_records(&s.actor, s.now(), 1000).unwrap()).1;
            let sign_again = timed(|| store.sign_own(&|hash| lkeys.sign(&xuncha::domain::sync::signed_bytes(team_id, hash))).unwrap()).1;
            json!({
                "adopted": adopted, "adopt": ms(adopt), "signed": signed, "sign": ms(sign),
                "changes": changes.len(), "after": ms(after), "write": ms(write), "ser": ms(ser),
                "adopt_again": ms(adopt_again), "sign_again": ms(sign_again),
            })
        }
        // `bundle import FILE` on the member's laptop, after its dry parts one by one (nothing
        // written): read, the changes' signatures, the merge without the rules, the whole check.
        "import" => {
            let s = session(&arg(0));
            let file = args[1].clone();
            let (bytes, load) = timed(|| std::fs::read(&file).unwrap());
            let (b, read) = timed(|| bundle::read(&bytes).unwrap());
            let team_id = b.header.team;
            let sigs = timed(|| {
                for c in &b.changes {
                    let key = &b.header.roster.roster.on_laptop(c.laptop).unwrap().key;
                    assert!(xuncha::identity::verify(key, &c.signed_bytes(team_id), c.sig.as_deref().unwrap()));
                }
            })
            .1;
            let fields: usize = b.changes.iter().flat_map(|c| &c.ops).map(|o| o.sets.len()).sum();
            let (merged, merge) =
                timed(|| s.raw_store().merge(b.changes.clone(), &mut |_, _| Ok(())).unwrap_or_else(|_| panic!("merge refused")));
            let merged_writes = merged.writes.len();
            drop((b, merged));
            let check = timed(|| sync::check(&s, &mkeys, &file, &bytes).unwrap()).1;
            let peak_dry = peak_rss_mib();
            let start = Instant::now();
            let mut parts: Vec<(usize, f64)> = Vec::new();
            let i = sync::import_with(&s, &mkeys, &file, &bytes, &mut |done, _| parts.push((done, ms(start.elapsed())))).unwrap();
            let import = start.elapsed();
            json!({
                "load": ms(load), "read": ms(read), "sigs": ms(sigs), "fields": fields, "merge": ms(merge),
                "merged": merged_writes, "check": ms(check), "peak_dry": peak_dry, "parts": parts,
                "ms": ms(import), "applied": i.applied, "records": i.records, "known": i.known,
                "roster": i.roster_version, "conflicts": i.conflicts,
            })
        }
        // `bundle import FILE` again: the bundle read from the file, then imported.
        "reimport" => {
            let s = session(&arg(0));
            let (i, t) = timed(|| sync::import(&s, &mkeys, &args[1], &std::fs::read(arg(1)).unwrap()).unwrap());
            json!({ "ms": ms(t), "applied": i.applied, "known": i.known })
        }
        "bare-import" => {
            let ((n, sled_t), t) = timed(|| bare_import(&arg(0), &arg(1)));
            json!({ "ms": ms(t), "sled": ms(sled_t), "records": n })
        }
        "reread" => {
            let (n, t) = timed(|| read_and_hash(&arg(0)));
            json!({ "ms": ms(t), "text": n })
        }
        other => panic!("unknown child op {other}"),
    };
    let mut out = out;
    out["peak"] = json!(peak_rss_mib());
    println!("{out}");
}

/// Runs `--child OP ARGS` in a process of its own; its figures.
fn in_child(op: &str, args: &[&str]) -> Value {
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new(exe).args(["--child", op]).args(args).output().unwrap();
    assert!(out.status.success(), "child {op}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn dur(v: &Value, key: &str) -> Duration {
    Duration::from_secs_f64(v[key].as_f64().unwrap_or_else(|| panic!("{key} in {v}")) / 1e3)
}

/// A laptop's config folder holding its key file (the hex of the secret, as `load_or_make`
/// reads it).
fn config_with_key(dir: &Path, secret: &[u8; 32]) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(xuncha::identity::KEY_FILE), hex(secret)).unwrap();
}

/// Runs the real binary on a laptop's folders; returns stdout, its peak resident memory (MiB,
/// from wait4's rusage of this one child) and how long it took.
#[allow(clippy::zombie_processes)] // reaped by wait4, which returns this child's rusage
fn run_binary(data: &Path, config: &Path, args: &[&str]) -> (String, f64, Duration) {
    use std::process::Stdio;
    let start = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_xuncha"))
        .args(args)
        .env("XUNCHA_DATA_DIR", data)
        .env("XUNCHA_CONFIG_DIR", config)
        .env("XUNCHA_INSPECTOR", "基准测试")
        .env("XUNCHA_NOW", NOW)
        .env_remove("XUNCHA_LANG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        out.read_to_end(&mut s).unwrap();
        s
    });
    let mut err = Vec::new();
    child.stderr.take().unwrap().read_to_end(&mut err).unwrap();
    let out = reader.join().unwrap();
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for the child we spawned and have not waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4: {}", std::io::Error::last_os_error());
    let elapsed = start.elapsed();
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "xuncha {args:?}: {}", String::from_utf8_lossy(&err));
    // Linux reports kilobytes, macOS bytes.
    let peak = if cfg!(target_os = "macos") { usage.ru_maxrss as f64 / 1048576.0 } else { usage.ru_maxrss as f64 / 1024.0 };
    (String::from_utf8_lossy(&out).trim().replace('\n', " / "), peak, elapsed)
}

/// What a bundle file carries: bytes, changes, records (ops), fields (sets), adopted changes.
struct Carried {
    bytes: u64,
    changes: usize,
    records: usize,
    fields: usize,
    adopted: usize,
}

fn carried(path: &Path) -> Carried {
    let bytes = std::fs::read(path).unwrap();
    let b = bundle::read(&bytes).unwrap();
    Carried {
        bytes: bytes.len() as u64,
        changes: b.changes.len(),
        records: b.changes.iter().map(|c| c.ops.len()).sum(),
        fields: b.changes.iter().flat_map(|c| &c.ops).map(|o| o.sets.len()).sum(),
        adopted: b.changes.iter().filter(|c| c.action == "sync.adopt").count(),
    }
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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        child(&args[2], &args[3..]);
        return;
    }
    let n: usize = std::env::var("XUNCHA_BENCH_ORGS").ok().and_then(|v| v.parse().ok()).unwrap_or(6000);
    let visited: f64 = std::env::var("XUNCHA_BENCH_VISITED").ok().and_then(|v| v.parse().ok()).unwrap_or(0.8);
    let runs: usize = std::env::var("XUNCHA_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(3).max(1);
    let tmp = tempfile::tempdir().unwrap();
    // `XUNCHA_BENCH_KEEP=DIR` works in DIR (new or empty) and leaves it, for a profiler: the
    // laptops' folders and config folders, the bundles, and `member-empty` (the member's laptop
    // before any import).
    let keep = std::env::var_os("XUNCHA_BENCH_KEEP").map(PathBuf::from);
    let root = keep.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    let path = |name: &str| -> PathBuf { root.join(name) };
    let p = |name: &str| -> String { path(name).display().to_string() };
    let (leader, member) = (path("leader"), path("member"));
    let mut lines: Vec<Line> = Vec::new();

    // 1. The leader's laptop: the demo city, the team, a member admitted.
    let cat = Catalog::load(&[]);
    let template = cat.get("dangzhibu").unwrap();
    let s = session(&leader);
    let (f, gen_time) = timed(|| demo::fill_used(&s, n, 1, visited, Some(template)).unwrap());
    team::init(&s, &Keys::from_secret(&LEADER_SECRET), LEADER, TEAM).unwrap();
    let ms_ = session(&member);
    let request = team::request(&ms_, &Keys::from_secret(&MEMBER_SECRET), MEMBER).unwrap();
    drop(ms_);
    team::admit(&s, &Keys::from_secret(&LEADER_SECRET), &request, &[Role::Inspector]).unwrap();
    let synced: usize = SYNCED.iter().map(|t| s.raw_store().count(*t)).sum();
    let mut rounds = s.raw_store().rounds().unwrap();
    rounds.sort_by_key(|r| std::cmp::Reverse((r.quarter, r.id)));
    let current = rounds[0].clone();
    let round_id = current.id.to_string();
    drop(s);
    // Untouched copies: the export phases (adoption happens once per laptop), the binary's
    // import (it needs the member's laptop as empty as the other import).
    copy_dir(&leader, &path("leader-phases"));
    copy_dir(&member, &path("member-bin"));
    if keep.is_some() {
        copy_dir(&member, &path("member-empty"));
        config_with_key(&path("leader-config"), &LEADER_SECRET);
    }
    let member_cfg = path("member-config");
    config_with_key(&member_cfg, &MEMBER_SECRET);

    // 2. Exports. The first adopts every record (all demo data) into changes, then signs them.
    let e1 = in_child("export", &[&p("leader"), &p("full.bundle"), "-", "-"]);
    let first = dur(&e1, "ms");
    let c1 = carried(&path("full.bundle"));
    // After adoption: everything again, alternating with the bare write.
    let (mut again, mut bare) = (Vec::new(), Vec::new());
    let mut bare_records = 0;
    for _ in 0..runs {
        again.push(dur(&in_child("export", &[&p("leader"), &p("full2.bundle"), "-", "-"]), "ms"));
        let b = in_child("bare-export", &[&p("leader"), &p("bare.jsonl.gz")]);
        bare_records = b["records"].as_u64().unwrap();
        bare.push(dur(&b, "ms"));
    }
    let bare_size = std::fs::metadata(path("bare.jsonl.gz")).unwrap().len();
    let c2 = carried(&path("full2.bundle"));
    let (again, bare_t) = (median(again), median(bare));
    // One round, as `bundle export --round`: its changes and, per laptop, every earlier one.
    let round_t = median((0..runs).map(|_| dur(&in_child("export", &[&p("leader"), &p("round.bundle"), "-", &round_id]), "ms")).collect());
    let cr = carried(&path("round.bundle"));
    // To the member, one round: the first time, then again when the member lacks nothing (as
    // far as the leader knows: the first was sent to it).
    let to_first = dur(&in_child("export", &[&p("leader"), &p("to.bundle"), MEMBER, &round_id]), "ms");
    let ct = carried(&path("to.bundle"));
    let none = in_child("export", &[&p("leader"), &p("to-none.bundle"), MEMBER, &round_id]);

    let bare_note =
        format!("bare write of the {bare_records} stored records, JSON lines, gzip fast: {} ({})", secs(bare_t), size(bare_size));
    lines.push(line(
        format!(
            "first export, everything (adopts all records: {} changes of which {} adopted, {} records, {} fields; once)",
            c1.changes, c1.adopted, c1.records, c1.fields
        ),
        format!("{}, {}, peak {:.0} MiB", secs(first), size(c1.bytes), e1["peak"].as_f64().unwrap()),
        bare_note.clone(),
        ratio(first, bare_t),
    ));
    lines.push(line(
        format!(
            "export everything again, after adoption ({} changes, {} records; {runs} runs, alternating, median)",
            c2.changes, c2.records
        ),
        format!("{}, {}", secs(again), size(c2.bytes)),
        bare_note.clone(),
        ratio(again, bare_t),
    ));
    lines.push(line(
        format!(
            "export one round, `--round` {} ({} changes, {} records: each laptop's chain is sent whole; {runs} runs, median)",
            current.quarter, cr.changes, cr.records
        ),
        format!("{}, {}", secs(round_t), size(cr.bytes)),
        bare_note,
        ratio(round_t, bare_t),
    ));
    lines.push(line(
        format!("export `--to {MEMBER} --round` ({} changes; once)", ct.changes),
        format!("{}, {}", secs(to_first), size(ct.bytes)),
        "-",
        "-".into(),
    ));
    lines.push(line(
        format!("export `--to {MEMBER} --round` again, nothing lacking ({} changes; once)", none["changes"]),
        secs(dur(&none, "ms")),
        "-",
        "-".into(),
    ));

    // 3. Import on the member's empty laptop, its baseline, and the binary on the untouched copy.
    let full = p("full.bundle");
    let im = in_child("import", &[&p("member"), &full]);
    let import_t = dur(&im, "ms");
    let bi = in_child("bare-import", &[&p("bare.jsonl.gz"), &p("bare-sled")]);
    let bare_import_t = dur(&bi, "ms");
    let (out, peak, bin_t) = run_binary(&path("member-bin"), &member_cfg, &["bundle", "import", &full]);
    let bare_import_note = format!(
        "bare file into a fresh sled: gunzip, parse, insert, flush of {} records: {} (sled insert+flush alone {})",
        bi["records"],
        secs(bare_import_t),
        secs(dur(&bi, "sled"))
    );
    lines.push(line(
        format!(
            "import the full bundle on the member's empty laptop ({} changes applied, {} records changed, roster taken: v{}; once, after its dry parts)",
            im["applied"], im["records"], im["roster"]
        ),
        format!("{}, peak {:.0} MiB", secs(import_t), im["peak"].as_f64().unwrap()),
        bare_import_note.clone(),
        ratio(import_t, bare_import_t),
    ));
    lines.push(line(
        format!("the same through the binary (once; time, peak resident memory): {}", out.replace(&full, "full.bundle")),
        format!("{}, peak {peak:.0} MiB", secs(bin_t)),
        bare_import_note,
        ratio(bin_t, bare_import_t),
    ));

    // 4. The same bundle again: everything already held.
    let (mut re, mut floor) = (Vec::new(), Vec::new());
    let mut re_known = Value::Null;
    for _ in 0..runs {
        let r = in_child("reimport", &[&p("member"), &full]);
        assert_eq!(r["applied"], 0);
        re_known = r["known"].clone();
        re.push(dur(&r, "ms"));
        floor.push(dur(&in_child("reread", &[&full]), "ms"));
    }
    let (re, floor) = (median(re), median(floor));
    lines.push(line(
        format!("import the same bundle again, all {re_known} changes held ({runs} runs, alternating, median)"),
        secs(re),
        format!("gunzip + SHA-256 of the bundle: {}", secs(floor)),
        ratio(re, floor),
    ));

    // 5. The export, phase by phase, on the untouched copy of the leader's laptop.
    let ph = in_child("export-phases", &[&p("leader-phases"), &p("phases.bundle")]);
    let mut phases: Vec<(String, Duration)> = vec![
        (format!("export: Store::adopt_records ({} records into changes of 1000)", ph["adopted"]), dur(&ph, "adopt")),
        (format!("export: Store::sign_own ({} changes: parse, hash, sign, rewrite, flush)", ph["signed"]), dur(&ph, "sign")),
        (format!("export: Store::changes_after (read and parse {} changes)", ph["changes"]), dur(&ph, "after")),
        ("export: bundle::write (JSON, SHA-256, gzip fast, fsync, rename)".into(), dur(&ph, "write")),
        ("export: of which serde_json::to_vec of every change alone".into(), dur(&ph, "ser")),
        ("export: adopt_records again, nothing left to adopt (every export pays it)".into(), dur(&ph, "adopt_again")),
        ("export: sign_own again, nothing left to sign (every export pays it)".into(), dur(&ph, "sign_again")),
        ("import: read the file".into(), dur(&im, "load")),
        ("import: bundle::read (gunzip, parse every change, hash)".into(), dur(&im, "read")),
        (format!("import: verify {} change signatures (hash of each change + ed25519)", c1.changes), dur(&im, "sigs")),
        (format!("import: Store::merge, dry, without the rules ({} records, {} fields)", im["merged"], im["fields"]), dur(&im, "merge")),
        (
            format!(
                "import: sync::check whole (read + signatures + merge with the team's rules; as `bundle verify`; peak {:.0} MiB)",
                im["peak_dry"].as_f64().unwrap()
            ),
            dur(&im, "check"),
        ),
    ];
    // The parts the import lands (each one transaction): the first, and the last if more.
    let parts = im["parts"].as_array().unwrap();
    let at = |i: usize| Duration::from_secs_f64(parts[i][1].as_f64().unwrap() / 1e3);
    if let Some(first) = parts.first() {
        phases.push((
            format!(
                "import: first of {} parts landed ({} changes), since the import began: check + roster + merge + one commit",
                parts.len(),
                first[0]
            ),
            at(0),
        ));
    }
    if parts.len() > 1 {
        let last = parts.len() - 1;
        phases.push((
            format!(
                "import: last part landed ({} changes in all); the parts after the first took {} each on average",
                parts[last][0],
                secs((at(last) - at(0)) / last as u32)
            ),
            at(last),
        ));
    }
    phases.push(("import: whole (sync::import_with)".into(), import_t));

    println!(
        "xuncha bundle benchmark: {} organisations, {} rounds, {} visits, {} results, {} findings ({synced} records in the synced trees); generated in {:.1} s",
        f.orgs,
        f.rounds,
        f.visits,
        f.results,
        f.findings,
        gen_time.as_secs_f64()
    );
    println!();
    println!("| work | figure | baseline | ratio |");
    println!("| --- | --- | --- | --- |");
    for l in &lines {
        println!("| {} | {} | {} | {} |", l.work, l.figure, l.baseline, l.ratio);
    }
    println!();
    println!(
        "Bundle sizes: everything {} ({} changes), again after adoption {}, one round {}, to the member one round {}, nothing lacking {}; the bare JSON lines {}.",
        size(c1.bytes),
        c1.changes,
        size(c2.bytes),
        size(cr.bytes),
        size(ct.bytes),
        size(none["bytes"].as_u64().unwrap()),
        size(bare_size)
    );
    println!();
    println!("| phase | time |");
    println!("| --- | --- |");
    for (p, t) in &phases {
        println!("| {p} | {} |", secs(*t));
    }
}
