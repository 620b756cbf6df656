//! Reports: pure builders from the store's data to rows and documents, then writers.

pub mod bulletin;
pub mod doc;
pub mod rectification;
pub mod writers;
