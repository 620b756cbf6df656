//! `xuncha status | demo | audit verify | backup | restore`

use super::{CmdResult, Env, Failure, outln};
use crate::i18n::K;
use crate::service::{demo as demo_service, status as status_service};
use std::io::BufReader;
use std::path::Path;

pub fn status(env: &Env) -> CmdResult {
    let s = env.session()?;
    let st = status_service::status(&s);
    let cat = env.catalog();
    outln!("{}: {}", K::DataDir.text(), env.data_dir.display());
    outln!("{}: {}", K::LaptopId.text(), s.laptop());
    outln!("{}: {}", K::Inspector.text(), s.actor);
    outln!("{}: {}", K::Organisations.text(), st.orgs);
    outln!(
        "{}: {}",
        K::Templates.text(),
        cat.loaded.iter().map(|l| format!("{} v{}", l.template.id, l.template.version)).collect::<Vec<_>>().join(", ")
    );
    for f in &cat.failed {
        outln!("  {} {} ({})", K::TemplateFailed.text(), f.source, f.errors.len());
    }
    outln!("{}: {}", K::Rounds.text(), st.rounds);
    outln!("{}: {}", K::Findings.text(), st.findings);
    outln!("{}: {}", K::AuditEntries.text(), st.audit_entries);
    outln!("\n{}", K::StatusHint.text());
    Ok(())
}

pub fn demo(env: &Env, orgs: usize, seed: u64, visited: f64) -> CmdResult {
    let s = env.session()?;
    let catalog = env.catalog();
    let template =
        if visited > 0.0 { Some(catalog.get("dangzhibu").ok_or_else(|| Failure::refused(K::DemoNoTemplate.text()))?) } else { None };
    let f = demo_service::fill_used(&s, orgs, seed, visited, template)?;
    outln!("{}", K::DemoDone.fill(&[&orgs, &seed]));
    if f.rounds > 0 {
        outln!("{}", K::DemoRoundsDone.fill(&[&f.rounds, &f.visits, &f.approved, &f.results, &f.findings]));
    }
    Ok(())
}

/// `SEQ:HASH` (or `#SEQ:HASH`, as the head is printed) with a whole SHA-256.
fn parse_head(text: &str) -> Result<(u64, String), Failure> {
    let bad = || Failure::refused(K::AuditPinBad.fill(&[&text]));
    let (seq, hash) = text.trim().trim_start_matches('#').split_once([':', ' ']).ok_or_else(bad)?;
    let seq: u64 = seq.trim().parse().map_err(|_| bad())?;
    let hash = hash.trim().to_ascii_lowercase();
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    Ok((seq, hash))
}

pub fn audit_verify(env: &Env, heads: &[String]) -> CmdResult {
    let pins = heads.iter().map(|h| parse_head(h)).collect::<Result<Vec<_>, _>>()?;
    let s = env.session()?;
    let r = s.verify_audit(&pins)?;
    if let Some((seq, why)) = r.broken {
        return Err(Failure::refused(K::AuditBroken.fill(&[&seq, &why])));
    }
    if let Some((table, key, why)) = r.record {
        return Err(Failure::refused(K::AuditRecordBroken.fill(&[&table, &key, &why])));
    }
    outln!("{}", K::AuditOk.fill(&[&r.entries, &r.last_hash]));
    outln!("{}", K::AuditRecordsOk.fill(&[&r.records]));
    if !pins.is_empty() {
        outln!("{}", K::AuditPinsOk.fill(&[&pins.iter().map(|(seq, hash)| format!("#{seq} {hash}")).collect::<Vec<_>>().join(", ")]));
    }
    Ok(())
}

pub fn backup(env: &Env, file: &Path) -> CmdResult {
    let s = env.session()?;
    let written = s.backup_to(file)?;
    outln!("{}", K::BackupWritten.fill(&[&written.records, &file.display()]));
    if written.files > 0 {
        outln!("{}", K::BackupFilesWritten.fill(&[&written.files]));
    }
    // A damaged evidence file is left out, loudly: the records are backed up all the same.
    for bad in &written.skipped {
        eprintln!("{}", K::BackupFileSkipped.fill(&[bad]));
    }
    super::print_audit_head(&s)
}

pub fn restore(env: &Env, file: &Path) -> CmdResult {
    let mut s = env.session()?;
    let f = std::fs::File::open(file)
        .map_err(|e| Failure::refused(K::BackupUnreadable.fill(&[&file.display(), &crate::oserror::describe(&e)])))?;
    let n = s.restore(&file.display().to_string(), &mut BufReader::new(f))?;
    outln!("{}", K::RestoreDone.fill(&[&file.display(), &n]));
    Ok(())
}
