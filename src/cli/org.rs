//! `xuncha org import | list`

use super::{CmdResult, Env, Failure, Format, OrgCmd, outln, print_json, table};
use crate::domain::vocab::Vocab;
use crate::i18n::K;
use crate::service::orgs;

pub fn run(env: &Env, cmd: OrgCmd) -> CmdResult {
    match cmd {
        OrgCmd::Import { file, encoding } => {
            let options = encoding.options()?;
            let s = env.session()?;
            let sum = orgs::import_roster(&s, &file, &options)?;
            outln!("{}", K::RosterImported.fill(&[&sum.added, &sum.updated, &sum.unchanged]));
            if !sum.ignored_columns.is_empty() {
                outln!("{}", K::RosterIgnoredColumns.fill(&[&sum.ignored_columns.join(", ")]));
            }
            Ok(())
        }
        OrgCmd::List { under, format } => list(env, under.as_deref(), format),
    }
}

fn list(env: &Env, under: Option<&str>, format: Format) -> CmdResult {
    let s = env.session()?;
    let listed = orgs::list(&s, under)?;
    match format {
        Format::Json => print_json(&listed.iter().map(|l| &l.org).collect::<Vec<_>>()),
        Format::Csv => {
            // The roster's own columns: a listing can be edited and imported again.
            let mut w = csv::Writer::from_writer(Vec::new());
            let header = [K::ColCode, K::ColName, K::ColParent, K::ColLevel, K::ColField, K::ColSecretary, K::ColMembers];
            let io = |e: csv::Error| Failure { message: e.to_string(), code: 1 };
            w.write_record(header.iter().map(|k| k.text())).map_err(io)?;
            for l in &listed {
                let o = &l.org;
                w.write_record(
                    [
                        o.code.as_str(),
                        o.name.as_str(),
                        o.parent.as_deref().unwrap_or(""),
                        o.level_name(),
                        o.field.map_or("", |f| f.label()),
                        o.secretary.as_str(),
                        &o.members.map(|m| m.to_string()).unwrap_or_default(),
                    ]
                    // Opened in a spreadsheet: no cell may run as a formula.
                    .map(|c| crate::safe_text::guard_formula(c).into_owned()),
                )
                .map_err(io)?;
            }
            let bytes = w.into_inner().map_err(|e| Failure { message: e.to_string(), code: 1 })?;
            super::emit(&String::from_utf8_lossy(&bytes));
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = listed
                .iter()
                .map(|l| {
                    let o = &l.org;
                    vec![
                        o.code.clone(),
                        format!("{}{}", "  ".repeat(l.depth), o.name),
                        o.level_name().to_string(),
                        o.field.map_or(String::new(), |f| f.label().to_string()),
                        o.secretary.clone(),
                        o.members.map(|m| m.to_string()).unwrap_or_default(),
                    ]
                })
                .collect();
            let header = [
                K::ColCode.text(),
                K::ColName.text(),
                K::ColLevel.text(),
                K::ColField.text(),
                K::ColSecretary.text(),
                K::ColMembers.text(),
            ];
            super::emit(&table::render(&header, &rows));
        }
    }
    Ok(())
}
