//! `xuncha round new | list | show`, `xuncha visit sheet | import`, `xuncha finding list`

use super::{CmdResult, Env, FindingCmd, Format, RoundCmd, VisitCmd, outln, print_json, table};
use crate::cli::Failure;
use crate::domain::scoring::Warning;
use crate::domain::vocab::Vocab;
use crate::domain::{Field, Quarter, Scope};
use crate::i18n::K;
use crate::service::{findings, rounds, sheet};
use serde_json::json;

pub fn warning_label(w: Option<Warning>) -> &'static str {
    match w {
        Some(Warning::Red) => K::WarnRed.text(),
        Some(Warning::Yellow) => K::WarnYellow.text(),
        Some(Warning::Blue) => K::WarnBlue.text(),
        None => "",
    }
}

/// 0.25, 25 and 25% all mean a quarter.
fn parse_rate(s: &str) -> Result<f64, Failure> {
    let t = s.trim().trim_end_matches(['%', '％']);
    let v: f64 = t.parse().map_err(|_| Failure::refused(K::SampleRate.text()))?;
    let v = if s.trim().ends_with(['%', '％']) || v > 1.0 { v / 100.0 } else { v };
    Ok(v)
}

fn parse_field(s: Option<&str>) -> Result<Option<Field>, Failure> {
    s.map(|w| Field::parse_word(w).ok_or_else(|| Failure::refused(K::RowBadField.fill(&[&w, &Field::expected()])))).transpose()
}

/// The default title: 2026年第四季度基层党建"四不两直"督查. In the document language, not the
/// screen's: the title is printed in the rectification list and the bulletin.
pub fn default_title(q: Quarter, lang: crate::i18n::Lang) -> String {
    K::DefaultRoundTitle.fill_in(lang, &[&q.zh_title(), &q])
}

pub fn run_round(env: &Env, cmd: RoundCmd) -> CmdResult {
    let s = env.session()?;
    match cmd {
        RoundCmd::New { title, quarter, template, under, field, sample, seed, revisit } => {
            let q = match quarter {
                Some(q) => q.parse::<Quarter>().map_err(Failure::refused)?,
                None => Quarter::of(env.today()),
            };
            if let Some(earlier) = revisit {
                let earlier = rounds::find(&s, &earlier)?;
                let title = title.unwrap_or_else(|| K::DefaultLookbackTitle.fill_in(env.doc_lang, &[&earlier.title]));
                let r = crate::service::lookback::create(&s, &title, q, &earlier)?;
                outln!("{}", K::LookbackCreated.fill(&[&r.title, &r.id, &r.org_count, &earlier.title]));
                return Ok(());
            }
            let cat = env.catalog();
            let tpl = cat.get(&template).ok_or_else(|| Failure::refused(K::TplNotFound.fill(&[&template, &cat.ids()])))?;
            let field = parse_field(field.as_deref())?;
            let scope = match (sample, under) {
                (Some(rate), under) => Scope::Sample { under, field, rate: parse_rate(&rate)?, seed },
                (None, Some(under)) => Scope::Subtree { under, field },
                (None, None) => return Err(Failure::refused(K::RoundScopeNeeded.text())),
            };
            let title = title.unwrap_or_else(|| default_title(q, env.doc_lang));
            let r = rounds::create(&s, &title, q, tpl, scope, Vec::new())?;
            outln!("{}", K::RoundCreated.fill(&[&r.title, &r.id, &r.org_count]));
            Ok(())
        }
        RoundCmd::List { format } => {
            let rows = rounds::list(&s)?;
            if format == Format::Json {
                let v: Vec<_> = rows
                    .iter()
                    .map(|r| {
                        json!({"id": r.round.id, "title": r.round.title, "quarter": r.round.quarter, "template": r.round.template_id,
                               "scope": r.round.scope, "organisations": r.visits, "answered": r.answered, "applicable": r.applicable,
                               "submitted": r.by_status[2] + r.by_status[4]})
                    })
                    .collect();
                print_json(&v);
                return Ok(());
            }
            if format == Format::Csv {
                // Progress as two numbers: a spreadsheet reads "1/12" as a date.
                let body: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.round.id.to_string(),
                            r.round.title.clone(),
                            r.round.quarter.to_string(),
                            r.round.template_id.clone(),
                            r.visits.to_string(),
                            r.answered.to_string(),
                            r.applicable.to_string(),
                            (r.by_status[2] + r.by_status[4]).to_string(),
                        ]
                    })
                    .collect();
                let header = [
                    K::ColId.text(),
                    K::ColTitle.text(),
                    K::ColQuarter.text(),
                    K::Templates.text(),
                    K::Organisations.text(),
                    K::ColAnswered.text(),
                    K::ColApplicable.text(),
                    K::ColSubmitted.text(),
                ];
                super::emit(&table::csv(&header, &body)?);
                return Ok(());
            }
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.round.id.short(),
                        r.round.title.clone(),
                        r.round.quarter.to_string(),
                        r.round.template_id.clone(),
                        r.visits.to_string(),
                        format!("{}/{}", r.answered, r.applicable),
                        (r.by_status[2] + r.by_status[4]).to_string(),
                    ]
                })
                .collect();
            let header = [
                K::ColId.text(),
                K::ColTitle.text(),
                K::ColQuarter.text(),
                K::Templates.text(),
                K::Organisations.text(),
                K::ColProgress.text(),
                K::ColSubmitted.text(),
            ];
            super::emit(&table::render(&header, &body));
            Ok(())
        }
        RoundCmd::Show { id, format } => {
            let r = rounds::find(&s, &id)?;
            let rows = rounds::overview(&s, &r, s.today())?;
            if format == Format::Json {
                let v: Vec<_> = rows
                    .iter()
                    .map(|o| {
                        json!({"code": o.org.code, "name": o.org.name, "area": o.area, "field": o.org.field, "status": o.visit.status,
                               "answered": o.score.answered, "applicable": o.score.applicable, "findings": o.findings,
                               "score": o.score.score, "grade": o.score.grade, "warning": warning_label(o.score.warning), "veto": o.score.veto})
                    })
                    .collect();
                print_json(&json!({"id": r.id, "title": r.title, "quarter": r.quarter, "template": r.template_id, "organisations": v}));
                return Ok(());
            }
            if format == Format::Csv {
                // One row per organisation, nothing above the header; progress as two numbers (a
                // spreadsheet reads "1/12" as a date) and unknown scores and grades empty.
                let body: Vec<Vec<String>> = rows
                    .iter()
                    .map(|o| {
                        vec![
                            o.org.code.clone(),
                            o.org.name.clone(),
                            o.area.clone(),
                            o.org.field.map_or(String::new(), |f| f.label().to_string()),
                            o.visit.status.label().to_string(),
                            o.score.answered.to_string(),
                            o.score.applicable.to_string(),
                            o.findings.to_string(),
                            o.score.score.map(|s| format!("{s:.1}")).unwrap_or_default(),
                            o.score.grade.clone().unwrap_or_default(),
                            warning_label(o.score.warning).to_string(),
                            if o.score.veto { K::ColVeto.text().to_string() } else { String::new() },
                        ]
                    })
                    .collect();
                let header = [
                    K::ColCode.text(),
                    K::ColName.text(),
                    K::ColArea.text(),
                    K::ColField.text(),
                    K::ColStatus.text(),
                    K::ColAnswered.text(),
                    K::ColApplicable.text(),
                    K::Findings.text(),
                    K::ColScore.text(),
                    K::ColGrade.text(),
                    K::ColWarning.text(),
                    K::ColVeto.text(),
                ];
                super::emit(&table::csv(&header, &body)?);
                return Ok(());
            }
            outln!("{}  {}  {}  ({})", r.title, r.quarter, r.template_id, r.id);
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|o| {
                    vec![
                        o.org.code.clone(),
                        o.org.name.clone(),
                        o.org.field.map_or(String::new(), |f| f.label().to_string()),
                        o.visit.status.label().to_string(),
                        format!("{}/{}", o.score.answered, o.score.applicable),
                        o.findings.to_string(),
                        o.score.score_label(),
                        o.score.grade_label().to_string(),
                        warning_label(o.score.warning).to_string(),
                    ]
                })
                .collect();
            let header = [
                K::ColCode.text(),
                K::ColName.text(),
                K::ColField.text(),
                K::ColStatus.text(),
                K::ColProgress.text(),
                K::Findings.text(),
                K::ColScore.text(),
                K::ColGrade.text(),
                K::ColWarning.text(),
            ];
            super::emit(&table::render(&header, &body));
            Ok(())
        }
    }
}

pub fn run_visit(env: &Env, cmd: VisitCmd) -> CmdResult {
    let s = env.session()?;
    match cmd {
        VisitCmd::Sheet { round, org, format, output } => {
            let r = rounds::find(&s, &round)?;
            use crate::service::export::{Format, visit_sheet};
            let format = match format {
                Some(super::SheetFormat::Csv) => Format::Csv,
                Some(super::SheetFormat::Xlsx) => Format::Xlsx,
                None => Format::by_extension(&output, Format::Csv),
            };
            visit_sheet(&s, r.id, &org, format, &output)?;
            outln!("{}", K::SheetWritten.fill(&[&output.display()]));
            super::print_audit_head(&s)
        }
        VisitCmd::Lookback { visit, format } => {
            let (round, org) = visit.parts()?;
            let r = rounds::find(&s, &round)?;
            if r.revisits().is_none() {
                return Err(Failure::refused(K::LookbackNotOne.fill(&[&r.title])));
            }
            let earlier = crate::service::lookback::earlier(&s, &r, &org)?;
            if format == Format::Json {
                let v: Vec<_> = earlier
                    .iter()
                    .map(|e| json!({"finding": e.finding, "mark": e.recheck.as_ref().map(|x| x.mark.zh()), "note": e.recheck.as_ref().map(|x| x.note.clone()),
                                    "relapse": e.recheck.as_ref().and_then(|x| x.relapse)}))
                    .collect();
                print_json(&v);
                return Ok(());
            }
            let rows: Vec<Vec<String>> = earlier
                .iter()
                .map(|e| {
                    let f = &e.finding;
                    vec![
                        f.number.clone().unwrap_or_default(),
                        f.description.replace('\n', " "),
                        f.deadline.map(|d| d.to_string()).unwrap_or_default(),
                        f.status.label().to_string(),
                        f.rect.latest_progress().replace('\n', " "),
                        e.recheck.as_ref().map(|x| x.mark.label().to_string()).unwrap_or_default(),
                        e.recheck.as_ref().map(|x| x.note.replace('\n', " ")).unwrap_or_default(),
                    ]
                })
                .collect();
            let header = [
                K::ColNumber.text(),
                K::ColDescription.text(),
                K::ColDeadline.text(),
                K::ColStatus.text(),
                K::FieldProgress.text(),
                K::ColRecheck.text(),
                K::RecheckSeen.text(),
            ];
            match format {
                Format::Csv => super::emit(&table::csv(&header, &rows)?),
                _ => super::emit(&table::render(&header, &rows)),
            }
            Ok(())
        }
        VisitCmd::Recheck { visit, number, mark, note, clear } => {
            use crate::domain::lookback::Mark;
            let (round, org) = visit.parts()?;
            let r = rounds::find(&s, &round)?;
            let mark = if clear {
                None
            } else {
                let w = mark.unwrap_or_default();
                Some(Mark::parse_word(&w).ok_or_else(|| Failure::refused(K::TplBadValue.fill(&[&"MARK", &w, &Mark::expected()])))?)
            };
            let f = findings::find(&s, &number)?;
            // A mark changed without --note keeps what was seen.
            let note = match note {
                Some(n) => n,
                None => crate::service::lookback::earlier(&s, &r, &org)?
                    .into_iter()
                    .find(|e| e.finding.id == f.id)
                    .and_then(|e| e.recheck)
                    .map(|x| x.note)
                    .unwrap_or_default(),
            };
            let opened = crate::service::lookback::mark(&s, r.id, &org, f.id, mark, &note)?;
            outln!("{}", K::LookbackMarked.fill(&[&number.trim(), &mark.map_or("-", |m| m.label())]));
            if opened.is_some() {
                outln!("{}", K::LookbackRelapseOpened.fill(&[&number.trim()]));
            }
            super::print_audit_head(&s)
        }
        VisitCmd::Import { file, round, submit, encoding } => {
            let options = encoding.options()?;
            let r = rounds::find(&s, &round)?;
            let sum = sheet::import(&s, r.id, &file, submit, &options)?;
            outln!("{}", K::SheetImported.fill(&[&sum.verdicts, &sum.findings]));
            for org in &sum.submitted {
                outln!("{}", K::VisitSubmitted.fill(&[org]));
            }
            Ok(())
        }
    }
}

pub fn run_finding(env: &Env, cmd: FindingCmd) -> CmdResult {
    let s = env.session()?;
    let (round, org, format) = match cmd {
        FindingCmd::List { round, org, format } => (round, org, format),
        FindingCmd::Attach { finding, file } => return super::evidence::attach(env, &s, &finding, &file),
        FindingCmd::Files { finding, format } => return super::evidence::files(&s, &finding, format),
        FindingCmd::Extract { finding, id, output } => return super::evidence::extract(&s, &finding, &id, &output),
        FindingCmd::Withdraw { finding, reason } => {
            let f = findings::find(&s, &finding)?;
            let f = crate::service::review::withdraw(&s, f.id, &reason)?;
            outln!("{}", K::Withdrawn.fill(&[&f.number.unwrap_or_default()]));
            return Ok(());
        }
    };
    let round = round.map(|r| rounds::find(&s, &r)).transpose()?.map(|r| r.id);
    let list = findings::list(&s, round, org.as_deref())?;
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|f| {
            vec![
                f.id.short(),
                f.number.clone().unwrap_or_default(),
                f.org.clone(),
                f.item.clone().unwrap_or_else(|| K::OtherItem.text().to_string()),
                f.severity.label().to_string(),
                f.rect_type.label().to_string(),
                f.deadline.map(|d| d.to_string()).unwrap_or_default(),
                f.responsible_person.clone(),
                f.status.label().to_string(),
                match &f.repeat_of {
                    Some(r) => format!("[{}] {}", K::RepeatOf.fill(&[r]), f.description.replace('\n', " ")),
                    None => f.description.replace('\n', " "),
                },
            ]
        })
        .collect();
    let header = [
        K::ColId.text(),
        K::ColNumber.text(),
        K::ColCode.text(),
        K::ColItem.text(),
        K::ColSeverityShort.text(),
        K::ColRectType.text(),
        K::ColDeadline.text(),
        K::ColResponsible.text(),
        K::ColStatus.text(),
        K::ColDescription.text(),
    ];
    match format {
        Format::Json => print_json(&findings::list_with_visits(&s, round, org.as_deref())?),
        // Piped into a file, this opens in a spreadsheet: no cell may run as a formula.
        Format::Csv => super::emit(&table::csv(&header, &rows)?),
        Format::Table => super::emit(&table::render(&header, &rows)),
    }
    Ok(())
}
