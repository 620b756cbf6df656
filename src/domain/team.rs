//! The team: its roster (人员名单) of people, their laptops and keys and what each may do, and
//! the join request a member's laptop writes for the leader. Pure data and rules: signing and
//! checking signatures happen in the service, with the laptop's key.

use super::{Id, LaptopId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a member may do. Several per person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// 检查员: walks visits, records findings.
    #[serde(rename = "inspector")]
    Inspector,
    /// 审核员: approves or returns visits (never their own), grants extensions.
    #[serde(rename = "reviewer")]
    Reviewer,
    /// 督办员: records rectification steps, closes problems.
    #[serde(rename = "followup")]
    Followup,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Inspector, Role::Reviewer, Role::Followup];

    /// The word on the command line and in files.
    pub fn word(self) -> &'static str {
        match self {
            Role::Inspector => "inspector",
            Role::Reviewer => "reviewer",
            Role::Followup => "followup",
        }
    }

    /// The Chinese name, as the roster and documents show it.
    pub fn zh(self) -> &'static str {
        match self {
            Role::Inspector => "检查员",
            Role::Reviewer => "审核员",
            Role::Followup => "督办员",
        }
    }
}

/// One person of the team, on one laptop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub laptop: LaptopId,
    /// The laptop's ed25519 public key, hex.
    pub key: String,
    pub roles: Vec<Role>,
    /// The leader (组长): the only one whose key changes the roster.
    #[serde(default)]
    pub leader: bool,
}

/// The roster as the leader signed it. Each change makes a new version; a laptop keeps the
/// highest version it has seen whose signature is the leader's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Roster {
    /// The team's identity: bundles for another team are refused by it.
    pub team_id: Id,
    pub team: String,
    pub version: u64,
    /// The laptop that gives problem numbers (the leader's unless moved), so that two laptops
    /// never give the same number.
    pub numbering: LaptopId,
    pub members: Vec<Member>,
    pub changed_at: DateTime<Utc>,
}

impl Roster {
    /// The leader: the member marked so (a roster always has one; `None` only for a damaged one).
    pub fn leader(&self) -> Option<&Member> {
        self.members.iter().find(|m| m.leader)
    }

    /// The member on `laptop`.
    pub fn on_laptop(&self, laptop: LaptopId) -> Option<&Member> {
        self.members.iter().find(|m| m.laptop == laptop)
    }

    /// The bytes the leader signs: the roster as compact JSON, fields in declaration order.
    pub fn signed_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// A roster with the leader's signature of `Roster::signed_bytes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedRoster {
    pub roster: Roster,
    pub signature: String,
}

/// What a member's laptop sends the leader to be admitted: who, which laptop, which key, signed
/// with that key (so the request proves it holds it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinRequest {
    /// The file kind, so that another JSON file is refused by name.
    pub kind: String,
    pub name: String,
    pub laptop: LaptopId,
    pub key: String,
    pub made_at: DateTime<Utc>,
    pub signature: String,
}

/// The kind a join request file carries.
pub const JOIN_REQUEST_KIND: &str = "xuncha-join-request/1";

impl JoinRequest {
    /// The bytes the member signs: every field but the signature.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let unsigned = JoinRequest { signature: String::new(), ..self.clone() };
        serde_json::to_vec(&unsigned).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_have_their_words_and_names() {
        assert_eq!(Role::ALL.map(Role::word), ["inspector", "reviewer", "followup"]);
        assert_eq!(Role::ALL.map(Role::zh), ["检查员", "审核员", "督办员"]);
        assert_eq!(serde_json::to_string(&Role::Followup).unwrap_or_default(), "\"followup\"");
    }
}
