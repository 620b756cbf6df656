//! Use cases shared by the CLI and the TUI: the only door to the data. The store is private to
//! this layer: every read is a query on the [`Session`] that returns domain values, every write a
//! command that checks its input and writes through one audited, flushed commit. Screens, reports
//! and the command line never name the store.

pub mod bulk;
pub mod data;
pub mod demo;
pub mod export;
pub mod findings;
pub mod history;
pub mod orgs;
pub mod rectify;
pub mod review;
pub mod rounds;
pub mod sheet;
mod snapshot;
pub mod status;
pub mod summary;
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
        Session { store, actor: actor.into(), clock: Clock::System }
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
    /// A file could not be written (disk full, no permission); the text names it and says why.
    Io(String),
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServiceError::Store(e) => e.fmt(f),
            ServiceError::Roster(e) => e.fmt(f),
            ServiceError::File(e) => e.fmt(f),
            ServiceError::Invalid(s) | ServiceError::Io(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for ServiceError {}

impl ServiceError {
    /// Whether the machine failed (disk, I/O) rather than the input being refused: the command
    /// line's exit status 1 instead of 2.
    pub fn is_io(&self) -> bool {
        matches!(self, ServiceError::Io(_) | ServiceError::Store(StoreError::Io(_) | StoreError::DiskFull(_)))
    }
}

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
