//! Plain types and rules of the inspection work. No I/O, no storage, no terminal.

pub mod escalation;
pub mod evidence;
pub mod fields;
pub mod figures;
pub mod finding;
pub mod ids;
pub mod limits;
pub mod lookback;
pub mod org;
pub mod rectification;
pub mod round;
pub mod rules;
pub mod scoring;
pub mod sync;
pub mod sync_rules;
pub mod team;
pub mod template;
pub mod vocab;

pub use finding::{Finding, RectType, RectUpdate, Rectification, Review};
pub use ids::{Id, LaptopId};
pub use org::{Field, Level, Org};
pub use rectification::RectStatus;
pub use round::{ArrivalState, ItemResult, Quarter, Round, Scope, UNANNOUNCED_CHECKS, Verdict, VetoMark, Visit, VisitStatus};
pub use template::{Category, GradeBand, Item, Method, Severity, Template, TemplateSnapshot, VetoGate, WarningRule};
