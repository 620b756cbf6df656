//! `xuncha org import | list`

use super::{CmdResult, Env, Format, OrgCmd, outln, print_json, table};
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
            // The roster's own columns: a listing can be edited and imported again. Opened in a
            // spreadsheet: no cell may run as a formula (table::csv guards them).
            let header = [K::ColCode, K::ColName, K::ColParent, K::ColLevel, K::ColField, K::ColSecretary, K::ColMembers].map(K::text);
            let rows: Vec<Vec<String>> = listed
                .iter()
                .map(|l| {
                    let o = &l.org;
                    vec![
                        o.code.clone(),
                        o.name.clone(),
                        o.parent.clone().unwrap_or_default(),
                        o.level_name().to_string(),
                        o.field.map_or(String::new(), |f| f.label().to_string()),
                        o.secretary.clone(),
                        o.members.map(|m| m.to_string()).unwrap_or_default(),
                    ]
                })
                .collect();
            super::emit(&table::csv(&header, &rows)?);
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
