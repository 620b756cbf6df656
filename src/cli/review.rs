//! `xuncha review list | approve | return`, `xuncha audit log`

use super::{CmdResult, Env, Format, ReviewCmd, outln, print_json, round::warning_label, table};
use crate::i18n::K;
use crate::service::{history, review, rounds};
use serde_json::json;

pub fn run(env: &Env, cmd: ReviewCmd) -> CmdResult {
    let s = env.session()?;
    match cmd {
        ReviewCmd::List { round, format } => {
            let round = round.map(|r| rounds::find(&s, &r)).transpose()?.map(|r| r.id);
            let queue = review::queue(&s, round, s.today())?;
            if format == Format::Json {
                let v: Vec<_> = queue
                    .iter()
                    .map(|q| {
                        json!({"visit": review::visit_ref(&q.round, &q.row.org.code), "round": q.round.id, "round_title": q.round.title,
                               "org": q.row.org.code, "name": q.row.org.name, "area": q.row.area, "inspector": q.row.visit.inspector,
                               "submitted_at": q.submitted_at, "findings": q.row.findings, "score": q.row.score.score,
                               "grade": q.row.score.grade, "warning": warning_label(q.row.score.warning)})
                    })
                    .collect();
                print_json(&v);
                return Ok(());
            }
            let rows: Vec<Vec<String>> = queue
                .iter()
                .map(|q| {
                    vec![
                        review::visit_ref(&q.round, &q.row.org.code),
                        q.row.org.name.clone(),
                        q.row.area.clone(),
                        q.row.visit.inspector.clone(),
                        q.submitted_at.map(|t| t.with_timezone(&chrono::Local).format("%m-%d %H:%M").to_string()).unwrap_or_default(),
                        q.row.findings.to_string(),
                        q.row.score.score_label(),
                        q.row.score.grade_label().to_string(),
                        warning_label(q.row.score.warning).to_string(),
                    ]
                })
                .collect();
            let header = [
                K::ColVisit.text(),
                K::ColName.text(),
                K::ColArea.text(),
                K::Inspector.text(),
                K::ColSubmittedAt.text(),
                K::Findings.text(),
                K::ColScore.text(),
                K::ColGrade.text(),
                K::ColWarning.text(),
            ];
            super::emit(&table::render(&header, &rows));
            Ok(())
        }
        ReviewCmd::Approve { visit } => {
            let (round, org) = review::parse_visit_ref(&s, &visit)?;
            let findings = review::approve(&s, round.id, &org)?;
            let numbers: Vec<String> = findings.iter().filter_map(|f| f.number.clone()).collect();
            outln!("{}", K::ReviewApproved.fill(&[&visit, &numbers.len(), &numbers.join(", ")]));
            for f in findings.iter().filter(|f| f.repeat_of.is_some()) {
                outln!("  {} {}", f.number.as_deref().unwrap_or(""), K::RepeatOf.fill(&[&f.repeat_of.as_deref().unwrap_or("")]));
            }
            Ok(())
        }
        ReviewCmd::Return { visit, comment } => {
            let (round, org) = review::parse_visit_ref(&s, &visit)?;
            review::return_visit(&s, round.id, &org, &comment)?;
            outln!("{}", K::ReviewReturned.fill(&[&visit]));
            Ok(())
        }
    }
}

pub fn audit_log(env: &Env, org: Option<&str>, round: Option<&str>, format: Format) -> CmdResult {
    let s = env.session()?;
    let round = round.map(|r| rounds::find(&s, r)).transpose()?.map(|r| r.id);
    let lines = history::log(&s, org, round)?;
    if format == Format::Json {
        print_json(&lines);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                l.seq.to_string(),
                l.at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S").to_string(),
                l.actor.clone(),
                l.laptop.clone(),
                l.action_label.clone(),
                // A round's creation lists every visit: the table shows the start, json all of it.
                if l.what.chars().count() > 120 { format!("{}…", l.what.chars().take(120).collect::<String>()) } else { l.what.clone() },
            ]
        })
        .collect();
    let header = [K::ColId.text(), K::ColTime.text(), K::ColActor.text(), K::ColLaptop.text(), K::ColAction.text(), K::ColChange.text()];
    super::emit(&table::render(&header, &rows));
    Ok(())
}
