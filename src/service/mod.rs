//! Use cases shared by the CLI and the TUI. Each takes the store (and who is acting), checks its
//! input, and writes through one audited, flushed commit.

pub mod demo;
pub mod findings;
pub mod history;
pub mod orgs;
pub mod rectify;
pub mod review;
pub mod rounds;
pub mod sheet;
pub mod status;
pub mod templates;
pub mod visits;

use crate::clock::Clock;
use crate::i18n::K;
use crate::roster::RosterError;
use crate::store::{Store, StoreError};
use crate::tabular::ReadError;
use std::fmt;

/// The open store, who is acting on it, and the clock every service reads "now" from.
pub struct Session {
    pub store: Store,
    pub actor: String,
    pub clock: Clock,
}

impl Session {
    /// A session on the system clock.
    pub fn new(store: Store, actor: impl Into<String>) -> Session {
        Session { store, actor: actor.into(), clock: Clock::System }
    }

    pub fn with_clock(mut self, clock: Clock) -> Session {
        self.clock = clock;
        self
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// The local date, for deadlines and overdue marks.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
    }
}

#[derive(Debug)]
pub enum ServiceError {
    Store(StoreError),
    Roster(RosterError),
    /// A user's file (roster, visit sheet, follow-up list) could not be read as rows.
    File(ReadError),
    /// The input was refused; the text says why.
    Invalid(String),
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServiceError::Store(e) => e.fmt(f),
            ServiceError::Roster(e) => e.fmt(f),
            ServiceError::File(e) => e.fmt(f),
            ServiceError::Invalid(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for ServiceError {}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        ServiceError::Store(e)
    }
}

impl From<RosterError> for ServiceError {
    fn from(e: RosterError) -> Self {
        ServiceError::Roster(e)
    }
}

impl From<ReadError> for ServiceError {
    fn from(e: ReadError) -> Self {
        ServiceError::File(e)
    }
}

pub type Result<T> = std::result::Result<T, ServiceError>;

pub(crate) fn invalid(k: K, args: &[&dyn fmt::Display]) -> ServiceError {
    ServiceError::Invalid(k.fill(args))
}
