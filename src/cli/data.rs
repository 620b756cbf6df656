//! `xuncha status | demo | audit verify | backup | restore`

use super::{CmdResult, Env, Failure, outln};
use crate::atomic_file::{Access, AtomicFile};
use crate::i18n::K;
use crate::service::{demo as demo_service, status as status_service};
use std::io::{BufReader, BufWriter};
use std::path::Path;

pub fn status(env: &Env) -> CmdResult {
    let s = env.session()?;
    let st = status_service::status(&s.store);
    let cat = env.catalog();
    outln!("{}: {}", K::DataDir.text(), env.data_dir.display());
    outln!("{}: {}", K::LaptopId.text(), s.store.laptop());
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

pub fn demo(env: &Env, orgs: usize, seed: u64) -> CmdResult {
    let s = env.session()?;
    demo_service::fill(&s, orgs, seed)?;
    outln!("{}", K::DemoDone.fill(&[&orgs, &seed]));
    Ok(())
}

pub fn audit_verify(env: &Env) -> CmdResult {
    let s = env.session()?;
    let r = s.store.verify_audit()?;
    match r.broken {
        None => {
            outln!("{}", K::AuditOk.fill(&[&r.entries, &r.last_hash]));
            Ok(())
        }
        Some((seq, why)) => Err(Failure::refused(K::AuditBroken.fill(&[&seq, &why]))),
    }
}

pub fn backup(env: &Env, file: &Path) -> CmdResult {
    let s = env.session()?;
    let io = |e: std::io::Error| Failure { message: format!("{}: {e}", file.display()), code: 1 };
    // Written beside the target, then renamed: an interrupted backup never looks complete. It
    // holds everything, so it is the user's alone (0600).
    let f = AtomicFile::create(file, Access::Private).map_err(io)?;
    let mut w = BufWriter::new(f);
    let n = s.store.backup(&mut w)?;
    let f = w.into_inner().map_err(|e| io(e.into_error()))?;
    f.commit().map_err(io)?;
    outln!("{}", K::BackupWritten.fill(&[&n, &file.display()]));
    Ok(())
}

pub fn restore(env: &Env, file: &Path) -> CmdResult {
    let mut s = env.session()?;
    let f = std::fs::File::open(file).map_err(|e| Failure::refused(format!("{}: {e}", file.display())))?;
    let n = s.store.restore(&file.display().to_string(), &mut BufReader::new(f))?;
    outln!("{}", K::RestoreDone.fill(&[&file.display(), &n]));
    Ok(())
}
