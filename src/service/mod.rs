//! Use cases shared by the CLI and the TUI: the only door to the data. The store is private to
//! this layer: every read is a query on the [`Session`] that returns domain values, every write a
//! command that checks its input and writes through one audited, flushed commit. Screens, reports
//! and the command line never name the store.

pub mod bulk;
pub mod conflicts;
pub mod data;
pub mod demo;
pub mod evidence;
pub mod export;
pub mod findings;
pub mod history;
pub mod hub;
pub mod lookback;
pub mod notice;
pub mod orgs;
pub mod rectify;
pub mod review;
pub mod rounds;
pub mod sheet;
mod snapshot;
pub mod status;
pub mod summary;
pub mod sync;
pub mod team;
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
    /// Private to the service layer: the one door.
    store: Store,
    pub actor: String,
    pub clock: Clock,
}

impl Session {
    /// A session on the system clock.
    pub fn new(store: Store, actor: impl Into<String>) -> Session {
        let actor = team::acting_name(&store, actor.into());
        Session { store, actor, clock: Clock::System }
    }

    /// Opens (creating if needed) the data folder `dir`.
    pub fn open(dir: &std::path::Path, actor: impl Into<String>) -> Result<Session> {
        Ok(Session::new(Store::open(dir)?, actor))
    }

    /// The store itself, for tests and benchmarks that examine or damage it on purpose (the
    /// architecture test keeps it out of the screens, reports and command line).
    #[doc(hidden)]
    pub fn raw_store(&self) -> &Store {
        &self.store
    }

    /// Acts under `name` from now on, unless the laptop belongs to a team: then the roster's name
    /// stays (the roster, not a form or a flag, says who someone is). Returns the name in force.
    pub fn act_as(&mut self, name: String) -> String {
        self.actor = team::acting_name(&self.store, name);
        self.actor.clone()
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

/// Why a service refused or failed. The causes are kept as sources (`std::error::Error::source`),
/// so the command line and the screens can say what happened and logs can show the chain.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Roster(#[from] RosterError),
    /// A user's file (roster, visit sheet, follow-up list) could not be read as rows.
    #[error(transparent)]
    File(#[from] ReadError),
    /// The input was refused; the text says why.
    #[error("{0}")]
    Invalid(String),
    /// A file could not be written (disk full, no permission); the text names it and says why.
    #[error("{0}")]
    Io(String),
}

impl ServiceError {
    /// Whether the machine failed (disk, I/O) rather than the input being refused: the command
    /// line's exit status 1 instead of 2.
    pub fn is_io(&self) -> bool {
        matches!(
            self,
            ServiceError::Io(_)
                | ServiceError::Store(StoreError::Io(_) | StoreError::Engine(_) | StoreError::Os(_) | StoreError::DiskFull(_))
        )
    }
}

pub type Result<T> = std::result::Result<T, ServiceError>;

pub(crate) fn invalid(k: K, args: &[&dyn fmt::Display]) -> ServiceError {
    ServiceError::Invalid(k.fill(args))
}
