//! The team: who this laptop is (`whoami`), the roster the leader makes and signs (`init`,
//! `admit`), and the join request a member's laptop writes (`request`). The roster is a record
//! of the store, audited like any other; only a roster whose signature is the leader's key is
//! ever kept, and only the leader's laptop signs a new version.

use super::visits::check_len;
use super::{Result, Session, invalid};
use crate::domain::limits::NAME_CHARS;
use crate::domain::team::{JOIN_REQUEST_KIND, JoinRequest, Member, Role, Roster, SignedRoster};
use crate::domain::{Id, LaptopId};
use crate::i18n::K;
use crate::identity::{self, Keys};
use crate::store::{Commit, Write};
use serde_json::json;

/// Who this laptop is, as `whoami` prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct Me {
    pub name: String,
    /// None: the laptop belongs to no team (one person working alone).
    pub team: Option<String>,
    pub roles: Vec<Role>,
    pub leader: bool,
    pub laptop: LaptopId,
    pub fingerprint: String,
}

/// The roster this laptop holds, if it belongs to a team.
pub fn roster(s: &Session) -> Result<Option<SignedRoster>> {
    Ok(s.store.roster()?)
}

/// This laptop: its name and roles on the roster (or the acting name, alone), its id and key.
pub fn whoami(s: &Session, keys: &Keys) -> Result<Me> {
    let laptop = s.laptop();
    let held = roster(s)?;
    let member = held.as_ref().and_then(|r| r.roster.on_laptop(laptop).filter(|m| m.key == keys.public_hex()).cloned());
    Ok(Me {
        name: member.as_ref().map_or_else(|| s.actor.clone(), |m| m.name.clone()),
        team: held.map(|r| r.roster.team),
        roles: member.as_ref().map_or_else(Vec::new, |m| m.roles.clone()),
        leader: member.is_some_and(|m| m.leader),
        laptop,
        fingerprint: keys.fingerprint(),
    })
}

/// Makes the team with this laptop's person as its leader (all three roles, numbering laptop):
/// version 1 of the roster, signed with this laptop's key.
pub fn init(s: &Session, keys: &Keys, name: &str, team: &str) -> Result<SignedRoster> {
    let (name, team) = (name.trim(), team.trim());
    if name.is_empty() || team.is_empty() {
        return Err(invalid(K::TeamNameEmpty, &[]));
    }
    check_len(K::WhoName.text(), name, NAME_CHARS)?;
    check_len(K::WhoTeam.text(), team, NAME_CHARS)?;
    if let Some(held) = roster(s)? {
        return Err(invalid(K::TeamExists, &[&held.roster.team, &held.roster.version]));
    }
    let laptop = s.laptop();
    let roster = Roster {
        team_id: Id::new(),
        team: team.to_string(),
        version: 1,
        numbering: laptop,
        members: vec![Member { name: name.to_string(), laptop, key: keys.public_hex(), roles: Role::ALL.to_vec(), leader: true }],
        changed_at: s.now(),
    };
    let signed = SignedRoster { signature: keys.sign(&roster.signed_bytes()), roster };
    save(s, &signed, "team.init")?;
    Ok(signed)
}

/// A join request for this laptop under `name`, signed with its key (written to a file by the
/// caller and handed to the leader).
pub fn request(s: &Session, keys: &Keys, name: &str) -> Result<JoinRequest> {
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid(K::TeamNameEmpty, &[]));
    }
    check_len(K::WhoName.text(), name, NAME_CHARS)?;
    let mut r = JoinRequest {
        kind: JOIN_REQUEST_KIND.to_string(),
        name: name.to_string(),
        laptop: s.laptop(),
        key: keys.public_hex(),
        made_at: s.now(),
        signature: String::new(),
    };
    r.signature = keys.sign(&r.signed_bytes());
    Ok(r)
}

/// Writes this laptop's join request to `path`, atomically.
pub fn write_request(s: &Session, keys: &Keys, name: &str, path: &std::path::Path) -> Result<JoinRequest> {
    let r = request(s, keys, name)?;
    let bytes = serde_json::to_vec_pretty(&r).unwrap_or_default();
    crate::atomic_file::write_atomic(path, &bytes).map_err(|e| super::ServiceError::Io(crate::oserror::write_failed(path, &e)))?;
    Ok(r)
}

/// Reads a join request file's bytes: the kind, the fields and the member's own signature
/// checked. `file` names it in errors.
pub fn read_request(file: &str, bytes: &[u8]) -> Result<JoinRequest> {
    let bad = |reason: String| invalid(K::JoinRequestBad, &[&file, &reason]);
    let r: JoinRequest = serde_json::from_slice(bytes).map_err(|e| bad(K::JoinRequestNotJson.fill(&[&e])))?;
    if r.kind != JOIN_REQUEST_KIND {
        return Err(bad(K::JoinRequestNotJson.fill(&[&r.kind])));
    }
    if r.name.trim().is_empty() || !crate::domain::limits::fits(&r.name, NAME_CHARS) {
        return Err(bad(K::TooLong.fill(&[&K::WhoName.text(), &NAME_CHARS, &crate::domain::limits::chars(&r.name)])));
    }
    if !identity::verify(&r.key, &r.signed_bytes(), &r.signature) {
        return Err(bad(K::JoinRequestSignature.text().to_string()));
    }
    Ok(r)
}

/// Admits the member of `request` with `roles`, on the leader's laptop only: a new version of
/// the roster, signed. Admitting the same laptop again under the same name sets its roles (and
/// key, when the laptop made a new one); another name for a laptop already on it is refused.
pub fn admit(s: &Session, keys: &Keys, request: &JoinRequest, roles: &[Role]) -> Result<SignedRoster> {
    if roles.is_empty() {
        return Err(invalid(K::TeamRolesNone, &[]));
    }
    let held = roster(s)?.ok_or_else(|| invalid(K::TeamNone, &[]))?;
    let mut roster = held.roster;
    let leader = roster.leader().cloned();
    if !leader.as_ref().is_some_and(|l| l.key == keys.public_hex() && l.laptop == s.laptop()) {
        return Err(invalid(K::TeamNotLeader, &[&leader.map(|l| l.name).unwrap_or_default()]));
    }
    let mut roles = roles.to_vec();
    roles.sort();
    roles.dedup();
    match roster.members.iter_mut().find(|m| m.laptop == request.laptop) {
        Some(m) if m.name != request.name => {
            return Err(invalid(K::JoinRequestBad, &[&request.name, &K::JoinRequestOtherName.fill(&[&request.laptop, &m.name])]));
        }
        Some(m) => {
            m.roles = roles;
            m.key = request.key.clone();
        }
        None => roster.members.push(Member {
            name: request.name.clone(),
            laptop: request.laptop,
            key: request.key.clone(),
            roles,
            leader: false,
        }),
    }
    roster.version += 1;
    roster.changed_at = s.now();
    let signed = SignedRoster { signature: keys.sign(&roster.signed_bytes()), roster };
    save(s, &signed, "team.admit")?;
    Ok(signed)
}

/// Whether the roster's signature is its leader's.
pub fn is_signed_by_leader(r: &SignedRoster) -> bool {
    r.roster.leader().is_some_and(|l| identity::verify(&l.key, &r.roster.signed_bytes(), &r.signature))
}

fn save(s: &Session, signed: &SignedRoster, action: &str) -> Result<()> {
    let detail = json!({ "team": signed.roster.team, "version": signed.roster.version, "members": signed.roster.members.len() });
    s.commit(Commit::new(action, detail, vec![Write::put(signed)]))?;
    Ok(())
}
