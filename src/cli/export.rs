//! `xuncha export rectification | bulletin | handover | report`, `xuncha rectify import | set`

use super::{
    BulletinFormat, CmdResult, Env, ExportCmd, ExportFilter, Failure, HandoverFormat, ListFormat, RectifyCmd, ReportFormat, VisitArg, outln,
};
use crate::domain::vocab::Vocab;
use crate::domain::{Field, Quarter, RectStatus, Severity};
use crate::i18n::K;
use crate::report::bulletin;
use crate::report::rectification::Filter;
use crate::service::export::{self, Format};
use crate::service::{Session, rectify, rounds};

fn word<V: Vocab>(w: Option<&str>) -> Result<Option<V>, Failure> {
    w.map(|w| V::parse_word(w).ok_or_else(|| Failure::refused(K::TplBadValue.fill(&[&"--", &w, &V::expected()])))).transpose()
}

/// The command line's filter as the report's.
pub fn filter(s: &Session, f: &ExportFilter) -> Result<Filter, Failure> {
    let overdue = f.status.as_deref().is_some_and(|s| s.trim() == "逾期" || s.trim().eq_ignore_ascii_case("overdue"));
    Ok(Filter {
        round: f.round.as_deref().map(|r| rounds::find(s, r)).transpose()?.map(|r| r.id),
        quarter: f.quarter.as_deref().map(|q| q.parse::<Quarter>()).transpose().map_err(Failure::refused)?,
        area: f.area.clone(),
        field: word::<Field>(f.field.as_deref())?,
        status: if overdue { None } else { word::<RectStatus>(f.status.as_deref())? },
        overdue,
        severity: word::<Severity>(f.severity.as_deref())?,
    })
}

/// Each command's own formats (its `--help` lists only those) as the export service's.
fn list_format(f: ListFormat) -> Format {
    match f {
        ListFormat::Xlsx => Format::Xlsx,
        ListFormat::Csv => Format::Csv,
        ListFormat::Json => Format::Json,
        ListFormat::Md => Format::Md,
    }
}

fn bulletin_format(f: BulletinFormat) -> Format {
    match f {
        BulletinFormat::Docx => Format::Docx,
        BulletinFormat::Json => Format::Json,
        BulletinFormat::Md => Format::Md,
        BulletinFormat::Html => Format::Html,
    }
}

/// A date given on the command line (`--as-of`, `--date`).
fn day(text: &str) -> Result<chrono::NaiveDate, Failure> {
    text.trim().parse().map_err(|_| Failure::refused(K::BadDocDate.fill(&[&text])))
}

/// The official document's head and foot from `[office]`, the number and the date; None when no
/// office is set and no number given (the document is then plain, and the user is told).
fn official(
    office: Option<&crate::config::Office>,
    number: Option<&str>,
    date: chrono::NaiveDate,
) -> Result<Option<crate::report::doc::Official>, Failure> {
    use crate::report::words::D;
    use chrono::Datelike;
    let o = office.cloned().unwrap_or_default();
    let name = o.name.clone().unwrap_or_default().trim().to_string();
    let lang = crate::i18n::Lang::Zh;
    let number = match number.map(str::trim) {
        Some("") => return Err(Failure::refused(K::NumberEmpty.text())),
        Some(n) if n.contains('〔') || n.contains('[') => n.to_string(),
        Some(n) => D::DocNumber.fill_in(lang, &[&o.code.as_deref().unwrap_or("").trim(), &date.year(), &n.trim_end_matches('号')]),
        None => String::new(),
    };
    if name.is_empty() && number.is_empty() {
        return Ok(None);
    }
    let written = D::DocDate.fill_in(lang, &[&date.year(), &date.month(), &date.day()]);
    Ok(Some(crate::report::doc::Official {
        issuer_mark: o.mark.clone().unwrap_or_else(|| if name.is_empty() { String::new() } else { D::Masthead.fill_in(lang, &[&name]) }),
        number,
        recipients: o.recipients.clone().unwrap_or_default(),
        printed_by: o.printed_by.clone().unwrap_or_else(|| name.clone()),
        signature: name,
        date: written.clone(),
        cc: o.cc.clone().unwrap_or_default(),
        printed_on: written,
    }))
}

/// The visit named by --round and --org or by --visit ROUND/CODE: the round (full or short id)
/// and the organisation's code.
fn visit_of(s: &Session, v: &VisitArg) -> Result<(crate::domain::Round, String), Failure> {
    let (round, org) = v.parts()?;
    Ok((rounds::find(s, &round)?, org))
}

pub fn run(env: &Env, cmd: ExportCmd) -> CmdResult {
    let s = env.session()?;
    let written = match cmd {
        ExportCmd::Rectification { filter: f, format: fmt, output } => {
            let filter = filter(&s, &f)?;
            let mut bar = super::progress::Bar::new();
            let written = export::rectification_in(&s, &filter, list_format(fmt), env.doc_lang, &output, &mut |d, t| bar.tick(d, t));
            bar.finish();
            let written = written?;
            outln!("{}", K::ExportWritten.fill(&[&written.rows, &output.display()]));
            written
        }
        ExportCmd::Bulletin { quarter, area, from_hub, notes, as_of, allow_empty, number, date, format: fmt, output } => {
            let q: Quarter = quarter.parse().map_err(Failure::refused)?;
            let as_of = as_of.as_deref().map(day).transpose()?;
            let date = date.as_deref().map(day).transpose()?.unwrap_or_else(|| env.today());
            let notes = match notes {
                Some(p) => {
                    let text = std::fs::read_to_string(&p)
                        .map_err(|e| Failure::refused(format!("{}：{}", p.display(), crate::oserror::describe(&e))))?;
                    bulletin::Notes::parse(&text)
                }
                None => bulletin::Notes::default(),
            };
            let format = bulletin_format(fmt);
            let official = official(env.config.office.as_ref(), number.as_deref(), date)?;
            if format == Format::Docx && official.as_ref().is_none_or(|o| o.signature.is_empty()) {
                eprintln!("{}", K::BulletinNoOffice.text());
            }
            // From the hub: its records of the area in a private temporary folder, read by the
            // same code as a laptop's.
            let hub = match &from_hub {
                Some(url) => Some(crate::service::hub::snapshot(url, area.as_deref(), &s.actor, env.clock)?),
                None => None,
            };
            let from = hub.as_ref().map_or(&s, |h| &h.session);
            let req = export::BulletinRequest {
                quarter: q,
                area: area.as_deref(),
                as_of,
                notes: &notes,
                format,
                lang: env.doc_lang,
                allow_empty,
                official,
                hub: hub.as_ref().map(|h| h.head.clone()),
                dated: date,
            };
            let written = export::bulletin(from, &req, &output)?;
            outln!("{}", K::BulletinWritten.fill(&[&written.title, &output.display()]));
            written
        }
        ExportCmd::Handover { visit, format: fmt, output } => {
            let (round, org) = visit_of(&s, &visit)?;
            let format = match fmt {
                HandoverFormat::Docx => Format::Docx,
                HandoverFormat::Xlsx => Format::Xlsx,
            };
            let written = export::handover(&s, &round, &org, format, env.doc_lang, &output)?;
            outln!("{}", K::DocumentWritten.fill(&[&written.title, &output.display()]));
            written
        }
        ExportCmd::Notice { level, area, as_of, fix_by, when, place, number, date, format: fmt, output } => {
            use crate::domain::escalation::Rung;
            let notices = crate::domain::escalation::NOTICE_RUNGS.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ");
            let level = Rung::parse_word(&level).ok_or_else(|| Failure::refused(K::NoticeLevel.fill(&[&level, &notices])))?;
            let thresholds = env.config.escalation.unwrap_or_default();
            if let Some(bad) = thresholds.problem() {
                return Err(Failure::refused(K::EscalationBad.fill(&[&bad])));
            }
            let date = date.as_deref().map(day).transpose()?.unwrap_or_else(|| env.today());
            let official = official(env.config.office.as_ref(), number.as_deref(), date)?.unwrap_or_default();
            let req = crate::service::notice::NoticeRequest {
                level,
                area: area.as_deref(),
                as_of: as_of.as_deref().map(day).transpose()?,
                fix_by: fix_by.as_deref().map(day).transpose()?,
                number: official.number,
                office: official.signature,
                date,
                when: when.unwrap_or_default(),
                place: place.unwrap_or_default(),
                format: match fmt {
                    ReportFormat::Docx => Format::Docx,
                    ReportFormat::Md => Format::Md,
                },
                lang: env.doc_lang,
                thresholds,
            };
            let done = crate::service::notice::issue(&s, &req, &output)?;
            outln!("{}", K::NoticeWritten.fill(&[&done.written.title, &done.problems, &done.orgs, &output.display()]));
            if done.recorded > 0 {
                outln!("{}", K::NoticeRecorded.fill(&[&done.recorded]));
            } else {
                outln!("{}", K::NoticeAlready.text());
            }
            done.written
        }
        ExportCmd::Report { visit, format: fmt, output } => {
            let (round, org) = visit_of(&s, &visit)?;
            let format = match fmt {
                ReportFormat::Docx => Format::Docx,
                ReportFormat::Md => Format::Md,
            };
            let written = export::visit_report(&s, &round, &org, format, env.doc_lang, &output)?;
            outln!("{}", K::DocumentWritten.fill(&[&written.title, &output.display()]));
            written
        }
    };
    let (seq, hash) = written.head;
    outln!("{}", K::AuditHeadLine.fill(&[&seq, &hash]));
    Ok(())
}

pub fn rectify(env: &Env, cmd: RectifyCmd) -> CmdResult {
    let s = env.session()?;
    match cmd {
        RectifyCmd::Due { as_of, format } => {
            let day = as_of.as_deref().map(day).transpose()?.unwrap_or_else(|| env.today());
            let t = env.config.escalation.unwrap_or_default();
            if let Some(bad) = t.problem() {
                return Err(Failure::refused(K::EscalationBad.fill(&[&bad])));
            }
            let due = rectify::due(&s, day, &t)?;
            if format == super::Format::Json {
                let v: Vec<_> = due
                    .iter()
                    .map(|d| {
                        serde_json::json!({"number": d.finding.number, "org": d.finding.org, "name": d.org, "description": d.finding.description,
                            "due": d.due, "days_over": d.days_over, "rung": d.rung.zh(), "responsible": d.finding.responsible_person,
                            "status": d.finding.status.zh(), "repeat": d.finding.repeat_of.is_some()})
                    })
                    .collect();
                super::print_json(&v);
                return Ok(());
            }
            let rows: Vec<Vec<String>> = due
                .iter()
                .map(|d| {
                    vec![
                        d.finding.number.clone().unwrap_or_default(),
                        d.org.clone(),
                        d.finding.description.replace('\n', " "),
                        d.due.to_string(),
                        d.days_over.to_string(),
                        d.rung.label().to_string(),
                        d.finding.responsible_person.clone(),
                        d.finding.status.label().to_string(),
                    ]
                })
                .collect();
            let header = [
                K::ColNumber.text(),
                K::ColName.text(),
                K::ColDescription.text(),
                K::ColDue.text(),
                K::ColDaysOver.text(),
                K::ColRung.text(),
                K::ColResponsible.text(),
                K::ColStatus.text(),
            ];
            if format == super::Format::Csv {
                super::emit(&super::table::csv(&header, &rows)?);
            } else if rows.is_empty() {
                outln!("{}", K::NothingDue.fill(&[&day]));
            } else {
                super::emit(&super::table::render(&header, &rows));
            }
        }
        RectifyCmd::Import { file, encoding } => {
            let options = encoding.options()?;
            let mut bar = super::progress::Bar::new();
            let sum = rectify::import_with(&s, &file, &options, &mut |d, t| bar.tick(d, t));
            bar.finish();
            let sum = sum?;
            outln!("{}", K::RectImported.fill(&[&sum.updated, &sum.unchanged]));
        }
        RectifyCmd::Attach { number, file, note } => return super::evidence::attach_step(env, &s, &number, &file, &note),
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
        RectifyCmd::Extension { number, grant, refuse: _, deadline, note } => {
            let deadline = deadline
                .map(|d| crate::service::findings::parse_deadline(&d, env.today()))
                .transpose()
                .map_err(Failure::refused)?
                .flatten();
            let extension = Some(if grant { rectify::Extension::Grant } else { rectify::Extension::Refuse });
            let u = rectify::Update { status: Some(RectStatus::InProgress), note, deadline, extension, ..Default::default() };
            let f = rectify::set(&s, &number, &u)?;
            let shown = f.deadline.map_or_else(|| "-".to_string(), |d| d.to_string());
            outln!("{}", if grant { K::ExtensionGranted.fill(&[&number, &shown]) } else { K::ExtensionRefused.fill(&[&number, &shown]) });
        }
    }
    Ok(())
}
