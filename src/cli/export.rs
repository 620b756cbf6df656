//! `xuncha export rectification | bulletin`, `xuncha rectify import | set`

use super::{CmdResult, Env, ExportCmd, ExportFilter, ExportFormat, Failure, RectifyCmd, outln};
use crate::domain::vocab::Vocab;
use crate::domain::{Field, Quarter, RectStatus, Severity};
use crate::i18n::K;
use crate::report::rectification::{Filter, rows_with};
use crate::report::{bulletin, writers};
use crate::service::{rectify, rounds};
use crate::store::Store;
use std::path::Path;

fn word<V: Vocab>(w: Option<&str>) -> Result<Option<V>, Failure> {
    w.map(|w| V::parse_word(w).ok_or_else(|| Failure::refused(K::TplBadValue.fill(&[&"--", &w, &V::expected()])))).transpose()
}

/// The command line's filter as the report's.
pub fn filter(store: &Store, f: &ExportFilter) -> Result<Filter, Failure> {
    let overdue = f.status.as_deref().is_some_and(|s| s.trim() == "逾期" || s.trim().eq_ignore_ascii_case("overdue"));
    Ok(Filter {
        round: f.round.as_deref().map(|r| rounds::find(store, r)).transpose()?.map(|r| r.id),
        quarter: f.quarter.as_deref().map(|q| q.parse::<Quarter>()).transpose().map_err(Failure::refused)?,
        area: f.area.clone(),
        field: word::<Field>(f.field.as_deref())?,
        status: if overdue { None } else { word::<RectStatus>(f.status.as_deref())? },
        overdue,
        severity: word::<Severity>(f.severity.as_deref())?,
    })
}

/// Writes beside the target and renames: an interrupted or failed export never looks complete.
/// The file gets the user's umask (0644 with 022): an export is meant to be handed on.
pub fn write_file(path: &Path, bytes: &[u8]) -> CmdResult {
    super::write_atomically(path, crate::atomic_file::Access::Shared, |f| std::io::Write::write_all(f, bytes))
}

pub fn run(env: &Env, cmd: ExportCmd) -> CmdResult {
    let s = env.session()?;
    let today = env.today();
    match cmd {
        ExportCmd::Rectification { filter: f, format, output } => {
            let filter = filter(&s.store, &f)?;
            let mut bar = super::progress::Bar::new();
            let rows = rows_with(&s.store, &filter, today, &mut |d, t| bar.tick(d, t))?;
            bar.finish();
            let title = K::RectListTitle.fill(&[&f.quarter.as_deref().unwrap_or("")]);
            let bytes = match format {
                ExportFormat::Xlsx => writers::xlsx(&rows, &title).map_err(Failure::refused)?,
                ExportFormat::Csv => writers::csv(&rows).map_err(Failure::refused)?,
                ExportFormat::Json => {
                    let (seq, hash) = s.store.audit_head()?;
                    writers::json(&rows, Some((seq, &hash))).map_err(Failure::refused)?
                }
                ExportFormat::Md => writers::markdown(&rows, &title),
                ExportFormat::Html => return Err(Failure::refused(K::FormatNotFor.fill(&[&"html", &"xlsx, csv, json, md"]))),
            };
            write_file(&output, &bytes)?;
            outln!("{}", K::ExportWritten.fill(&[&rows.len(), &output.display()]));
            super::print_audit_head(&s.store)
        }
        ExportCmd::Bulletin { quarter, area, notes, format, output } => {
            let q: Quarter = quarter.parse().map_err(Failure::refused)?;
            let notes = match notes {
                Some(p) => {
                    let text = std::fs::read_to_string(&p)
                        .map_err(|e| Failure::refused(format!("{}：{}", p.display(), crate::oserror::describe(&e))))?;
                    bulletin::Notes::parse(&text)
                }
                None => bulletin::Notes::default(),
            };
            let doc = bulletin::build(&s.store, q, area.as_deref(), today)?;
            let bytes = match format {
                ExportFormat::Md => bulletin::markdown(&doc, &notes),
                ExportFormat::Html => bulletin::html(&doc, &notes),
                _ => return Err(Failure::refused(K::FormatNotFor.fill(&[&format!("{format:?}").to_lowercase(), &"md, html"]))),
            };
            write_file(&output, bytes.as_bytes())?;
            outln!("{}", K::BulletinWritten.fill(&[&doc.title, &output.display()]));
            super::print_audit_head(&s.store)
        }
    }
}

pub fn rectify(env: &Env, cmd: RectifyCmd) -> CmdResult {
    let s = env.session()?;
    match cmd {
        RectifyCmd::Import { file, encoding } => {
            let options = encoding.options()?;
            let mut bar = super::progress::Bar::new();
            let sum = rectify::import_with(&s, &file, &options, &mut |d, t| bar.tick(d, t));
            bar.finish();
            let sum = sum?;
            outln!("{}", K::RectImported.fill(&[&sum.updated, &sum.unchanged]));
        }
        RectifyCmd::Set { number, status, note, evidence, deadline, acceptor } => {
            let status = word::<RectStatus>(Some(&status))?;
            let deadline = deadline
                .map(|d| crate::service::findings::parse_deadline(&d, env.today()))
                .transpose()
                .map_err(Failure::refused)?
                .flatten();
            let u = rectify::Update { status, note, evidence, deadline, acceptor, ..Default::default() };
            let f = rectify::set(&s, &number, &u)?;
            outln!("{}", K::RectMoved.fill(&[&number, &f.status.label()]));
        }
    }
    Ok(())
}
