//! `xuncha finding attach|files|extract` and `xuncha rectify attach`: evidence files.

use super::{CmdResult, Env, Failure, Format, outln, print_json, table};
use crate::i18n::K;
use crate::service::sync::size_label;
use crate::service::{Session, evidence};
use std::path::Path;

/// The size limit config.toml sets, or the refusal of a bad one.
fn max_mb(env: &Env) -> Result<u64, Failure> {
    env.config.evidence_max_mb().map_err(Failure::refused)
}

fn said(a: &evidence::Attached) {
    if !a.stored {
        outln!("{}", K::EvidenceSameKept.fill(&[&a.attachment.sha256]));
    }
}

pub fn attach(env: &Env, s: &Session, finding: &str, file: &Path) -> CmdResult {
    let max = max_mb(env)?;
    let a = evidence::attach_to_finding(s, finding, file, max)?;
    said(&a);
    let label = a.finding.number.clone().unwrap_or_else(|| a.finding.id.short());
    let x = &a.attachment;
    outln!("{}", K::EvidenceAttached.fill(&[&x.short_id(), &x.name, &size_label(x.size), &label]));
    outln!("SHA-256 {}", x.sha256);
    Ok(())
}

pub fn attach_step(env: &Env, s: &Session, number: &str, file: &Path, note: &str) -> CmdResult {
    let max = max_mb(env)?;
    let a = evidence::attach_to_step(s, number, file, note, max)?;
    said(&a);
    let x = &a.attachment;
    outln!("{}", K::EvidenceStepAttached.fill(&[&x.short_id(), &x.name, &size_label(x.size), &number.trim()]));
    outln!("SHA-256 {}", x.sha256);
    Ok(())
}

pub fn files(s: &Session, finding: &str, format: Format) -> CmdResult {
    let (_, listed) = evidence::list(s, finding)?;
    if format == Format::Json {
        let v: Vec<_> = listed
            .iter()
            .map(|l| {
                let a = &l.attachment;
                serde_json::json!({ "id": a.short_id(), "sha256": a.sha256, "name": a.name, "size": a.size, "kind": a.kind,
                    "at": a.at, "by": a.by, "step": l.step, "present": l.present })
            })
            .collect();
        print_json(&v);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = listed
        .iter()
        .map(|l| {
            let a = &l.attachment;
            let name = if l.present { a.name.clone() } else { format!("{} {}", a.name, K::EvidenceAbsent.text()) };
            vec![
                a.short_id().to_string(),
                l.step.map_or_else(|| K::EvidenceOnFinding.text().to_string(), |d| K::EvidenceOnStep.fill(&[&d])),
                name,
                a.kind.clone(),
                size_label(a.size),
                a.at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string(),
                a.by.clone(),
                a.sha256.clone(),
            ]
        })
        .collect();
    let header = [
        K::ColFileId.text(),
        K::ColOn.text(),
        K::ColFileName.text(),
        K::ColKind.text(),
        K::ColSize.text(),
        K::ColAttachedAt.text(),
        K::Inspector.text(),
        K::ColSha256.text(),
    ];
    match format {
        Format::Csv => super::emit(&table::csv(&header, &rows)?),
        _ if rows.is_empty() => outln!("{}", K::EvidenceNone.fill(&[&finding.trim()])),
        _ => super::emit(&table::render(&header, &rows)),
    }
    Ok(())
}

pub fn extract(s: &Session, finding: &str, id: &str, output: &Path) -> CmdResult {
    let a = evidence::extract(s, finding, id, output)?;
    outln!("{}", K::EvidenceExtracted.fill(&[&a.short_id(), &output.display()]));
    Ok(())
}
