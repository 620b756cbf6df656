//! `whoami` and `team …`: this laptop's identity and the team's roster.

use super::args::TeamCmd;
use super::{CmdResult, Env, Failure, outln, table};
use crate::i18n::K;
use crate::identity;
use crate::service::team;
use std::path::Path;

pub(super) fn keys() -> Result<identity::Keys, Failure> {
    identity::load_or_make(&identity::key_path()).map_err(|m| Failure { message: m, code: 1 })
}

/// Roles as the screen language says them: 检查员（inspector）、审核员（reviewer） or
/// inspector, reviewer.
fn roles_text(roles: &[crate::domain::team::Role]) -> String {
    match crate::i18n::lang() {
        crate::i18n::Lang::Zh => roles.iter().map(|r| format!("{}（{}）", r.zh(), r.word())).collect::<Vec<_>>().join("、"),
        crate::i18n::Lang::En => roles.iter().map(|r| r.word()).collect::<Vec<_>>().join(", "),
    }
}

fn leader_mark(name: &str, leader: bool) -> String {
    if leader { K::WhoLeader.fill(&[&name]) } else { name.to_string() }
}

pub fn whoami(env: &Env) -> CmdResult {
    let s = env.session()?;
    let me = team::whoami(&s, &keys()?)?;
    let line = |label: &str, value: &str| outln!("{}", K::WhoLine.fill(&[&label, &value]));
    line(K::WhoName.text(), &leader_mark(&me.name, me.leader));
    line(K::WhoTeam.text(), &me.team.clone().unwrap_or_else(|| K::WhoAlone.text().to_string()));
    line(K::WhoRoles.text(), &if me.roles.is_empty() { "-".to_string() } else { roles_text(&me.roles) });
    line(K::LaptopId.text(), &me.laptop.to_string());
    line(K::WhoKey.text(), &me.fingerprint);
    if let Some(id) = me.team_id {
        // What the office's hub administrator needs to let this team's logins in (hub allow).
        line(K::WhoTeamId.text(), &id.to_string());
    }
    Ok(())
}

pub fn run(env: &Env, cmd: TeamCmd) -> CmdResult {
    let s = env.session()?;
    match cmd {
        TeamCmd::Init { name, team: t } => {
            let r = team::init(&s, &keys()?, &name, &t)?;
            outln!("{}", K::TeamInitDone.fill(&[&r.roster.team, &name.trim()]));
        }
        TeamCmd::Request { name, output } => {
            let keys = keys()?;
            team::write_request(&s, &keys, &name, &output)?;
            outln!("{}", K::TeamRequestWritten.fill(&[&output.display(), &keys.fingerprint()]));
        }
        TeamCmd::Admit { file, roles } => {
            let bytes = read(&file)?;
            let request = team::read_request(&file.display().to_string(), &bytes)?;
            let roles: Vec<_> = roles.iter().map(|r| r.role()).collect();
            let r = team::admit(&s, &keys()?, &request, &roles)?;
            outln!("{}", K::TeamAdmitted.fill(&[&request.name, &roles_text(&roles), &r.roster.version]));
        }
        TeamCmd::Numbering { name } => {
            let r = team::set_numbering(&s, &keys()?, &name)?;
            outln!("{}", K::TeamNumberingMoved.fill(&[&name.trim(), &r.roster.version]));
        }
        TeamCmd::Remove { name } => {
            let r = team::remove(&s, &keys()?, &name)?;
            outln!("{}", K::TeamRemoved.fill(&[&name.trim(), &r.roster.version]));
        }
        TeamCmd::List => {
            let Some(r) = team::roster(&s)? else { return Err(Failure::refused(K::TeamNone.text())) };
            let changed = r.roster.changed_at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string();
            outln!("{}", K::TeamListHeader.fill(&[&r.roster.team, &r.roster.version, &changed]));
            let rows: Vec<Vec<String>> = r
                .roster
                .members
                .iter()
                .map(|m| {
                    let name = leader_mark(&m.name, m.leader);
                    let numbering = if m.laptop == r.roster.numbering { K::TeamNumbering.text() } else { "" };
                    vec![name, roles_text(&m.roles), m.laptop.to_string(), identity::fingerprint(&m.key), numbering.to_string()]
                })
                .collect();
            let header = [K::WhoName.text(), K::WhoRoles.text(), K::LaptopId.text(), K::WhoKey.text(), ""];
            super::emit(&table::render(&header, &rows));
        }
    }
    Ok(())
}

fn read(file: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(file).map_err(|e| Failure::refused(K::JoinRequestBad.fill(&[&file.display(), &crate::oserror::describe(&e)])))
}
