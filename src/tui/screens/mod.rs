//! Each screen, form and popup turns its keys into actions in its own module. They are handed
//! an [`Input`](super::keymap::Input) the keymap resolved (an action of the table, or a character
//! typed into a field), never a key code: what a key does is in the table, so the help shows it
//! and `keys.toml` can rebind it.

pub mod board;
pub mod dashboard;
pub mod form;
pub mod lookback;
pub mod overlay;
pub mod review;
pub mod rounds;
pub mod sync;
pub mod visit;
