//! `hub init | push | pull | sync`: the team's changes through the office's PostgreSQL hub.

use super::args::{HubCmd, HubUrl};
use super::team::keys;
use super::{CmdResult, Env, outln};
use crate::i18n::K;
use crate::service::hub;

fn url(env: &Env, u: &HubUrl) -> Result<String, super::Failure> {
    Ok(hub::url_or_config(u.url.as_deref(), env.config.hub_url.as_deref())?)
}

pub fn run(env: &Env, cmd: HubCmd) -> CmdResult {
    match cmd {
        HubCmd::Init(u) => {
            let url = url(env, &u)?;
            let applied = hub::init(&url)?;
            let label = crate::hub::label(&url);
            if applied.is_empty() {
                outln!("{}", K::HubInitNothing.fill(&[&label]));
            } else {
                let list = applied.iter().map(|n| format!("{n:04}")).collect::<Vec<_>>().join(", ");
                outln!("{}", K::HubInitDone.fill(&[&label, &list]));
            }
        }
        HubCmd::Push(u) => push(env, &url(env, &u)?)?,
        HubCmd::Pull(u) => pull(env, &url(env, &u)?)?,
        HubCmd::Allow { url: u, team, logins } => {
            let url = url(env, &u)?;
            let n = hub::allow(&url, &team, &logins)?;
            outln!("{}", K::HubAllowed.fill(&[&n, &team.trim()]));
        }
        HubCmd::Status(u) => {
            let url = url(env, &u)?;
            let st = hub::status(&env.session()?, &url)?;
            outln!("{}", K::HubStatusLine.fill(&[&crate::hub::label(&url), &st.hub_changes, &st.to_push, &st.to_pull]));
        }
        HubCmd::Refresh(u) => {
            let url = url(env, &u)?;
            let r = hub::refresh(&url, &env.session()?.actor, env.clock)?;
            outln!("{}", K::HubRefreshed.fill(&[&crate::hub::label(&url), &r.visits, &r.upto]));
        }
        HubCmd::Sync(u) => {
            let url = url(env, &u)?;
            push(env, &url)?;
            pull(env, &url)?;
        }
    }
    Ok(())
}

fn push(env: &Env, url: &str) -> CmdResult {
    let s = env.session()?;
    let mut bar = super::progress::Bar::new();
    let p = hub::push_with(&s, &keys()?, url, &mut |d, t| bar.tick(d, t))?;
    bar.finish();
    outln!("{}", K::HubPushed.fill(&[&crate::hub::label(url), &p.changes, &p.laptops]));
    Ok(())
}

fn pull(env: &Env, url: &str) -> CmdResult {
    let s = env.session()?;
    let mut bar = super::progress::Bar::new();
    let p = hub::pull_with(&s, &keys()?, url, &mut |d, t| bar.tick(d, t))?;
    bar.finish();
    if let Some(v) = p.roster_version {
        outln!("{}", K::BundleImportedRoster.fill(&[&v]));
    }
    outln!("{}", K::HubPulled.fill(&[&crate::hub::label(url), &p.applied, &p.records, &p.held]));
    if let Some(first) = p.skipped.first() {
        outln!("{}", K::HubSkipped.fill(&[&p.skipped.len(), first]));
    }
    if p.conflicts > 0 {
        outln!("{}", K::HubPulledConflicts.fill(&[&p.conflicts]));
    }
    Ok(())
}
