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
    /// The team's id (the office's hub lets logins write for a team by it).
    pub team_id: Option<crate::domain::Id>,
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
        team_id: held.as_ref().map(|r| r.roster.team_id),
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
    // Names are how people are chosen (`--to`, `team remove`): one name, one laptop.
    if let Some(other) = roster.members.iter().find(|m| m.name == request.name && m.laptop != request.laptop) {
        return Err(invalid(K::JoinRequestBad, &[&request.name, &K::JoinRequestSameName.fill(&[&other.name, &other.laptop])]));
    }
    match roster.members.iter_mut().find(|m| m.laptop == request.laptop) {
        // The leader's own entry never changes by a request: a request naming the leader's laptop
        // with another key would hand the team to whoever wrote it.
        Some(m) if m.leader => {
            return Err(invalid(K::JoinRequestBad, &[&request.name, &K::JoinRequestLeaderLaptop.fill(&[&m.name])]));
        }
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

/// Takes the member `name` off the roster, on the leader's laptop only: a new version, signed.
/// Their laptop's changes are refused from then on, by every laptop that holds this version. The
/// leader stays; numbering moves to the leader's laptop if it was theirs.
pub fn remove(s: &Session, keys: &Keys, name: &str) -> Result<SignedRoster> {
    let held = roster(s)?.ok_or_else(|| invalid(K::TeamNone, &[]))?;
    let mut roster = held.roster;
    let leader = roster.leader().cloned();
    let Some(leader) = leader.filter(|l| l.key == keys.public_hex() && l.laptop == s.laptop()) else {
        return Err(invalid(K::TeamNotLeader, &[&roster.leader().map(|l| l.name.clone()).unwrap_or_default()]));
    };
    let Some(gone) = roster.members.iter().find(|m| m.name == name.trim()).cloned() else {
        return Err(invalid(K::BundleNoSuchMember, &[&name.trim(), &roster.team]));
    };
    if gone.leader {
        return Err(invalid(K::TeamRemoveLeader, &[&gone.name]));
    }
    roster.members.retain(|m| m.laptop != gone.laptop);
    if roster.numbering == gone.laptop {
        roster.numbering = leader.laptop;
    }
    roster.version += 1;
    roster.changed_at = s.now();
    let signed = SignedRoster { signature: keys.sign(&roster.signed_bytes()), roster };
    save(s, &signed, "team.remove")?;
    Ok(signed)
}

/// Makes the laptop of `name` the team's numbering laptop (usually the reviewer's, so that they
/// number what they approve), on the leader's laptop only: a new version, signed.
pub fn set_numbering(s: &Session, keys: &Keys, name: &str) -> Result<SignedRoster> {
    let held = roster(s)?.ok_or_else(|| invalid(K::TeamNone, &[]))?;
    let mut roster = held.roster;
    if !roster.leader().is_some_and(|l| l.key == keys.public_hex() && l.laptop == s.laptop()) {
        return Err(invalid(K::TeamNotLeader, &[&roster.leader().map(|l| l.name.clone()).unwrap_or_default()]));
    }
    let Some(m) = roster.members.iter().find(|m| m.name == name.trim()).cloned() else {
        return Err(invalid(K::BundleNoSuchMember, &[&name.trim(), &roster.team]));
    };
    roster.numbering = m.laptop;
    roster.version += 1;
    roster.changed_at = s.now();
    let signed = SignedRoster { signature: keys.sign(&roster.signed_bytes()), roster };
    save(s, &signed, "team.numbering")?;
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

/// What the roster decides: who may do it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Approve or return a visit: reviewers.
    Review,
    /// Record rectification steps and close problems: follow-up tracking or reviewers.
    Rectify,
}

impl Act {
    fn roles(self) -> &'static [Role] {
        match self {
            Act::Review => &[Role::Reviewer],
            Act::Rectify => &[Role::Followup, Role::Reviewer],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Act::Review => K::ActReview.text(),
            Act::Rectify => K::ActRectify.text(),
        }
    }
}

/// Whether this laptop's member may do `act`. A laptop in no team may (one person working alone
/// decides for themselves); in a team the roster decides, whatever `--inspector` says. The
/// refusal names the rule and who may.
pub fn require(s: &Session, act: Act) -> Result<()> {
    let Some(held) = roster(s)? else { return Ok(()) };
    let r = held.roster;
    let Some(me) = r.on_laptop(s.laptop()) else { return Err(invalid(K::RuleNotMember, &[&r.team])) };
    if me.roles.iter().any(|x| act.roles().contains(x)) {
        return Ok(());
    }
    let who: Vec<&str> = r.members.iter().filter(|m| m.roles.iter().any(|x| act.roles().contains(x))).map(|m| m.name.as_str()).collect();
    let role = act.roles().iter().map(|x| x.zh()).collect::<Vec<_>>().join("/");
    Err(invalid(K::RuleNeedsRole, &[&act.name(), &role, &who.join("、")]))
}

/// Problem numbers are given on one laptop per team (the roster's numbering laptop), so two
/// laptops never give the same number. Alone, this laptop numbers.
pub fn require_numbering(s: &Session) -> Result<()> {
    let Some(held) = roster(s)? else { return Ok(()) };
    let r = held.roster;
    if r.numbering == s.laptop() {
        return Ok(());
    }
    let who = r.on_laptop(r.numbering).map_or_else(|| r.numbering.to_string(), |m| m.name.clone());
    Err(invalid(K::RuleNumbering, &[&who]))
}

/// The name this laptop acts under: its member's on the roster when it belongs to a team (the
/// roster, not `--inspector`, says who someone is), else `fallback`.
pub fn acting_name(store: &crate::store::Store, fallback: String) -> String {
    let laptop = store.laptop();
    store.roster().ok().flatten().and_then(|r| r.roster.on_laptop(laptop).map(|m| m.name.clone())).unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn session(dir: &tempfile::TempDir) -> Session {
        Session::new(Store::open(dir.path()).unwrap_or_else(|e| panic!("{e}")), "测试员")
    }

    /// Replaces the roster (signed by this laptop's key as leader) with `edit` applied.
    fn reroster(s: &Session, keys: &Keys, edit: impl FnOnce(&mut Roster)) {
        let mut r = roster(s).unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("no roster")).roster;
        edit(&mut r);
        r.version += 1;
        let signed = SignedRoster { signature: keys.sign(&r.signed_bytes()), roster: r };
        assert!(is_signed_by_leader(&signed));
        save(s, &signed, "test.roster").unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn the_roster_decides_who_reviews_rectifies_and_numbers() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut s = session(&dir);
        let keys = Keys::from_secret(&[3u8; 32]);
        // Alone: this laptop decides, and numbers.
        assert!(require(&s, Act::Review).is_ok() && require(&s, Act::Rectify).is_ok() && require_numbering(&s).is_ok());
        assert_eq!(s.act_as("新名字".into()), "新名字", "alone, the name given is the name");

        init(&s, &keys, "王明", "督查一组").unwrap_or_else(|e| panic!("{e}"));
        assert!(require(&s, Act::Review).is_ok(), "the leader holds every role");
        // The name comes from the roster, not from --inspector.
        assert_eq!(acting_name(&s.store, "测试员".into()), "王明");
        assert_eq!(s.act_as("别人".into()), "王明", "a form's name does not replace the roster's");

        // Only an inspector now, with 李四 as the reviewer and 赵六 as follow-up on other laptops.
        let other = |name: &str, roles: Vec<Role>| Member {
            name: name.into(),
            laptop: LaptopId(Id::new()),
            key: "00".repeat(32),
            roles,
            leader: false,
        };
        reroster(&s, &keys, |r| {
            r.members[0].roles = vec![Role::Inspector];
            r.members.push(other("李四", vec![Role::Reviewer]));
            r.members.push(other("赵六", vec![Role::Followup]));
        });
        let e = require(&s, Act::Review).unwrap_err().to_string();
        assert!(e.contains("审核通过或退回检查需要审核员角色；可以做的人：李四"), "{e}");
        let e = require(&s, Act::Rectify).unwrap_err().to_string();
        assert!(e.contains("记录整改进展需要督办员/审核员角色；可以做的人：李四、赵六"), "{e}");

        // Numbers come from the numbering laptop only.
        let numbering = LaptopId(Id::new());
        reroster(&s, &keys, |r| {
            r.numbering = numbering;
            r.members.push(Member {
                name: "孙七".into(),
                laptop: numbering,
                key: "00".repeat(32),
                roles: vec![Role::Reviewer],
                leader: false,
            });
        });
        let e = require_numbering(&s).unwrap_err().to_string();
        assert!(e.contains("问题编号只由编号电脑（孙七的电脑）给出"), "{e}");

        // A laptop not on the roster may do nothing the roster decides.
        reroster(&s, &keys, |r| r.members.iter_mut().for_each(|m| m.laptop = LaptopId(Id::new())));
        let e = require(&s, Act::Rectify).unwrap_err().to_string();
        assert!(e.contains("本机不在督查组“督查一组”的人员名单上"), "{e}");
    }

    #[test]
    fn a_request_naming_the_leaders_laptop_is_refused() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let s = session(&dir);
        let leader = Keys::from_secret(&[4u8; 32]);
        init(&s, &leader, "王明", "督查一组").unwrap_or_else(|e| panic!("{e}"));
        // Another key, claiming the leader's laptop and name, properly signed by that key.
        let other = Keys::from_secret(&[5u8; 32]);
        let mut forged = request(&s, &other, "王明").unwrap_or_else(|e| panic!("{e}"));
        forged.signature = other.sign(&forged.signed_bytes());
        let bytes = serde_json::to_vec(&forged).unwrap_or_default();
        let read = read_request("forged.req", &bytes).unwrap_or_else(|e| panic!("{e}"));
        let e = admit(&s, &leader, &read, &[Role::Inspector]).unwrap_err().to_string();
        assert!(e.contains("组长王明的电脑不能通过加入申请改动"), "{e}");
        let held = roster(&s).unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("no roster"));
        assert_eq!((held.roster.version, held.roster.members[0].key.clone()), (1, leader.public_hex()), "nothing changed");
    }

    #[test]
    fn one_name_is_one_laptop() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let s = session(&dir);
        let leader = Keys::from_secret(&[6u8; 32]);
        init(&s, &leader, "王明", "督查一组").unwrap_or_else(|e| panic!("{e}"));
        let ask = |secret: u8, laptop: LaptopId| {
            let k = Keys::from_secret(&[secret; 32]);
            let mut r = JoinRequest {
                kind: JOIN_REQUEST_KIND.into(),
                name: "张三".into(),
                laptop,
                key: k.public_hex(),
                made_at: s.now(),
                signature: String::new(),
            };
            r.signature = k.sign(&r.signed_bytes());
            r
        };
        admit(&s, &leader, &ask(7, LaptopId(Id::new())), &[Role::Inspector]).unwrap_or_else(|e| panic!("{e}"));
        let e = admit(&s, &leader, &ask(8, LaptopId(Id::new())), &[Role::Inspector]).unwrap_err().to_string();
        assert!(e.contains("名单上已有 张三") && e.contains("team remove 张三"), "{e}");
        remove(&s, &leader, "张三").unwrap_or_else(|e| panic!("{e}"));
        admit(&s, &leader, &ask(8, LaptopId(Id::new())), &[Role::Inspector]).unwrap_or_else(|e| panic!("{e}"));
        let held = roster(&s).unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|| panic!("no roster"));
        assert_eq!(held.roster.members.iter().filter(|m| m.name == "张三").count(), 1);
    }
}
