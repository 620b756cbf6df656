//! Reports: pure builders from a read snapshot (`Snapshot`, which the service implements) to
//! rows and documents, then writers. No report sees the store.

pub mod bulletin;
pub mod doc;
pub mod docx;
pub mod handover;
pub mod notice;
pub mod rectification;
pub mod sheet_layout;
mod snapshot;
pub mod visit_doc;
pub mod visit_report;
pub mod words;
pub mod writers;
#[cfg(test)]
mod xlsx_tests;

pub use snapshot::Snapshot;
