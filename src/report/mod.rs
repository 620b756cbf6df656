//! Reports: pure builders from a read snapshot (`Snapshot`, which the service implements) to
//! rows and documents, then writers. No report sees the store.

pub mod bulletin;
pub mod doc;
pub mod docx;
pub mod handover;
pub mod rectification;
mod snapshot;
pub mod visit_doc;
pub mod visit_report;
pub mod words;
pub mod writers;

pub use snapshot::Snapshot;
