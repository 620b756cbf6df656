//! Globally unique, time-ordered ids (UUIDv7): records made on different laptops never collide and
//! sort by creation time.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(Uuid);

impl Id {
    /// A new id for now.
    pub fn new() -> Self {
        Id(Uuid::now_v7())
    }
    pub fn from_bytes(b: [u8; 16]) -> Self {
        Id(Uuid::from_bytes(b))
    }
    pub fn as_bytes(&self) -> &[u8; 16] {
        self.0.as_bytes()
    }
    /// The last 8 hex digits, which are random (the first ones are the time, shared by ids made
    /// in the same moment): enough for a person to tell rounds apart and to type one back.
    pub fn short(&self) -> String {
        self.0.simple().to_string()[24..].to_string()
    }

    /// Whether `text` names this id: the whole id, or its short form.
    pub fn matches(&self, text: &str) -> bool {
        let t = text.trim().to_ascii_lowercase().replace('-', "");
        !t.is_empty() && (self.0.simple().to_string() == t || (t.len() >= 6 && self.0.simple().to_string().ends_with(&t)))
    }
}

impl Default for Id {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for Id {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s.trim()).map(Id)
    }
}

/// The id of one store (one laptop). Chosen once when a data folder is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LaptopId(pub Id);

impl fmt::Display for LaptopId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_time_ordered() {
        let ids: Vec<Id> = (0..1000).map(|_| Id::new()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, ids, "ids must come out in creation order, without repeats");
    }

    #[test]
    fn id_round_trips_through_text_and_bytes() {
        let id = Id::new();
        assert_eq!(id.to_string().parse::<Id>().unwrap(), id);
        assert_eq!(Id::from_bytes(*id.as_bytes()), id);
        assert_eq!(id.short().len(), 8);
        assert!(id.matches(&id.short()) && id.matches(&id.to_string()) && !id.matches("12"));
    }
}
