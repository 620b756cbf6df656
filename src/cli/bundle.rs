//! `bundle …` and `conflict …`: the team's changes between laptops, and the fields that two
//! laptops edited at once.

use super::args::{BundleCmd, ConflictCmd};
use super::team::keys;
use super::{CmdResult, Env, Failure, outln, table};
use crate::i18n::K;
use crate::service::{conflicts, rounds, sync};
use std::path::Path;

fn when(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or_else(|| "-".into(), |t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string())
}

fn read(file: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(file).map_err(|e| Failure::refused(K::BundleRefused.fill(&[&file.display(), &crate::oserror::describe(&e)])))
}

pub fn run(env: &Env, cmd: BundleCmd) -> CmdResult {
    let s = env.session()?;
    match cmd {
        BundleCmd::Export { output, to, round } => {
            let round = round.map(|r| rounds::find(&s, &r)).transpose()?.map(|r| r.id);
            let e = sync::export(&s, &keys()?, &output, to.as_deref(), round)?;
            outln!("{}", K::BundleWritten.fill(&[&output.display(), &e.changes, &e.laptops, &sync::size_label(e.bytes)]));
            if e.files > 0 {
                outln!("{}", K::BundleFilesCarried.fill(&[&e.files]));
            }
            if let Some(name) = e.to {
                outln!("{}", K::BundleWrittenTo.fill(&[&name]));
            }
        }
        BundleCmd::Verify { file } => {
            let bytes = read(&file)?;
            let c = sync::check(&s, &keys()?, &file.display().to_string(), &bytes)?;
            outln!("{}", K::BundleVerified.fill(&[&file.display(), &c.sender, &c.roster.roster.team, &c.header.roster.roster.version]));
            if c.roster_newer {
                outln!("{}", K::BundleRosterNewer.fill(&[&c.roster.roster.version]));
            }
            outln!("{}", K::BundleAuditHead.fill(&[&c.header.audit_head.0, &c.header.audit_head.1]));
            outln!("{}", K::BundleWouldApply.fill(&[&c.fresh, &c.known, &c.held, &c.records]));
            if !c.files.is_empty() {
                outln!("{}", K::BundleFilesChecked.fill(&[&c.files.len()]));
            }
        }
        BundleCmd::Import { file } => {
            let bytes = read(&file)?;
            let name = file.display().to_string();
            let i = sync::import(&s, &keys()?, &name, &bytes)?;
            if let Some(v) = i.roster_version {
                outln!("{}", K::BundleImportedRoster.fill(&[&v]));
            }
            outln!("{}", K::BundleImported.fill(&[&name, &i.sender, &i.applied, &i.records]));
            if i.known > 0 {
                outln!("{}", K::BundleImportedKnown.fill(&[&i.known]));
            }
            if i.held > 0 {
                outln!("{}", K::BundleImportedHeld.fill(&[&i.held]));
            }
            if i.conflicts > 0 {
                outln!("{}", K::BundleConflicts.fill(&[&i.conflicts]));
            }
        }
        BundleCmd::Status => {
            let Some(r) = crate::service::team::roster(&s)? else { return Err(Failure::refused(K::TeamNone.text())) };
            outln!("{}", K::BundleStatusHeader.fill(&[&r.roster.team]));
            let rows: Vec<Vec<String>> = sync::status(&s)?
                .into_iter()
                .map(|p| {
                    let name = if p.me { format!("{}{}", p.name, K::BundleMe.text()) } else { p.name.clone() };
                    let count = |n: u64| if p.me { "-".to_string() } else { n.to_string() };
                    vec![name, count(p.to_send), count(p.to_receive), when(p.last_sent), when(p.last_received)]
                })
                .collect();
            let header = [
                K::WhoName.text(),
                K::BundleToSend.text(),
                K::BundleToReceive.text(),
                K::BundleLastSent.text(),
                K::BundleLastReceived.text(),
            ];
            super::emit(&table::render(&header, &rows));
        }
    }
    Ok(())
}

pub fn conflict(env: &Env, cmd: ConflictCmd) -> CmdResult {
    let s = env.session()?;
    match cmd {
        ConflictCmd::List => {
            let rows = conflicts::list(&s)?;
            if rows.is_empty() {
                outln!("{}", K::ConflictNone.text());
                return Ok(());
            }
            let rows: Vec<Vec<String>> = rows
                .into_iter()
                .map(|c| {
                    let values = c
                        .choices
                        .iter()
                        .enumerate()
                        .map(|(i, x)| format!("{}. {}（{}，{}）", i + 1, conflicts::value_text(&x.value), x.author, when(Some(x.at))))
                        .collect::<Vec<_>>()
                        .join("  ");
                    vec![c.id, c.record, conflicts::field_text(&c.field), values]
                })
                .collect();
            let header = ["id", K::ConflictRecord.text(), K::ConflictField.text(), K::ConflictValues.text()];
            super::emit(&table::render(&header, &rows));
        }
        ConflictCmd::Resolve { id, take } => {
            let row = conflicts::resolve(&s, &id, take)?;
            let value = row.choices.get(take.saturating_sub(1)).map(|c| conflicts::value_text(&c.value)).unwrap_or_default();
            outln!("{}", K::ConflictResolved.fill(&[&row.id, &value]));
        }
    }
    Ok(())
}
