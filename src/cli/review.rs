//! `xuncha review list | approve | return`, `xuncha audit log`

use super::{CmdResult, Env, Failure, Format, ReviewCmd, outln, print_json, round::warning_label, table};
use crate::i18n::K;
use crate::service::bulk::{self, Outcome};
use crate::service::{Session, history, review, rounds};
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
            // A spreadsheet gets the whole time and leaves unknown scores and grades empty.
            let csv = format == Format::Csv;
            let time = if csv { "%Y-%m-%d %H:%M" } else { "%m-%d %H:%M" };
            let rows: Vec<Vec<String>> = queue
                .iter()
                .map(|q| {
                    vec![
                        review::visit_ref(&q.round, &q.row.org.code),
                        q.row.org.name.clone(),
                        q.row.area.clone(),
                        q.row.visit.inspector.clone(),
                        q.submitted_at.map(|t| t.with_timezone(&chrono::Local).format(time).to_string()).unwrap_or_default(),
                        q.row.findings.to_string(),
                        if csv { q.row.score.score.map(|s| format!("{s:.1}")).unwrap_or_default() } else { q.row.score.score_label() },
                        if csv { q.row.score.grade.clone().unwrap_or_default() } else { q.row.score.grade_label().to_string() },
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
            if csv {
                super::emit(&table::csv(&header, &rows)?);
            } else {
                super::emit(&table::render(&header, &rows));
            }
            Ok(())
        }
        ReviewCmd::Approve { round: Some(round), all: true, .. } => approve_round(&s, &round),
        ReviewCmd::Approve { visit: None, .. } | ReviewCmd::Approve { all: true, .. } => {
            // clap requires a visit, or --all with --round.
            Err(Failure::refused(K::VisitRefBad.fill(&[&""])))
        }
        ReviewCmd::Approve { visit: Some(visit), .. } => {
            let (round, org) = review::parse_visit_ref(&s, &visit)?;
            let findings = review::approve(&s, round.id, &org)?;
            let numbers: Vec<String> = findings.iter().filter_map(|f| f.number.clone()).collect();
            outln!("{}", K::ReviewApproved.fill(&[&visit, &numbers.len(), &numbers.join(", ")]));
            for f in findings.iter().filter(|f| f.repeat_of.is_some() && f.number.is_some()) {
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

/// `review approve --round ID --all`: every submitted visit of the round that can be approved,
/// each listed with its problem numbers as it is approved, each refused one with the reason. Exit 2
/// when any was refused (they stay submitted).
fn approve_round(s: &Session, round: &str) -> CmdResult {
    let r = rounds::find(s, round)?;
    let mut each = |o: &Outcome| match o {
        Outcome::Approved { org, name, findings } => {
            let numbers: Vec<&str> = findings.iter().filter_map(|f| f.number.as_deref()).collect();
            let visit = review::visit_ref(&r, org);
            if numbers.is_empty() {
                outln!("{}", K::BulkApprovedNone.fill(&[name, &visit]));
            } else {
                outln!("{}", K::BulkApproved.fill(&[name, &visit, &numbers.len(), &numbers.join(", ")]));
            }
            for f in findings.iter().filter(|f| f.repeat_of.is_some() && f.number.is_some()) {
                outln!("  {} {}", f.number.as_deref().unwrap_or(""), K::RepeatOf.fill(&[&f.repeat_of.as_deref().unwrap_or("")]));
            }
        }
        Outcome::Refused { org, name, reason } => outln!("{}", K::BulkRefused.fill(&[name, &review::visit_ref(&r, org), reason])),
    };
    let outcomes = bulk::approve_round(s, r.id, &mut each)?;
    if outcomes.is_empty() {
        outln!("{}", K::BulkNothing.fill(&[&r.title]));
        return Ok(());
    }
    let approved = outcomes.iter().filter(|o| o.is_approved()).count();
    let refused = outcomes.len() - approved;
    outln!("{}", K::BulkSummary.fill(&[&approved, &refused]));
    if refused > 0 {
        return Err(Failure::refused(K::BulkSomeRefused.fill(&[&refused])));
    }
    Ok(())
}

pub fn audit_log(env: &Env, org: Option<&str>, round: Option<&str>, format: Format) -> CmdResult {
    let s = env.session()?;
    let round = round.map(|r| rounds::find(&s, r)).transpose()?.map(|r| r.id);
    let lines = history::log(&s, org, round)?;
    if format == Format::Json {
        print_json(&lines);
        return Ok(());
    }
    let csv = format == Format::Csv;
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                l.seq.to_string(),
                l.at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S").to_string(),
                l.actor.clone(),
                l.laptop.clone(),
                l.action_label.clone(),
                // A round's creation lists every visit: the table shows the start, json and csv
                // all of it.
                if !csv && l.what.chars().count() > 120 {
                    format!("{}…", l.what.chars().take(120).collect::<String>())
                } else {
                    l.what.clone()
                },
            ]
        })
        .collect();
    let header = [K::ColId.text(), K::ColTime.text(), K::ColActor.text(), K::ColLaptop.text(), K::ColAction.text(), K::ColChange.text()];
    if csv {
        super::emit(&table::csv(&header, &rows)?);
    } else {
        super::emit(&table::render(&header, &rows));
    }
    Ok(())
}
