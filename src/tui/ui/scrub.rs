//! The last step of every frame: no cell may carry a control character to the terminal.
//!
//! ratatui drops control characters (Cc) from text, but not the bidi overrides and isolates
//! (zero-width format characters it appends to the previous cell), and not what reaches a cell
//! through `Cell::set_symbol` directly. Names and texts come from files anyone may have edited,
//! so the drawn buffer is checked as a whole rather than every path into it.

use crate::safe_text::{is_terminal_unsafe, strip_controls};
use ratatui::buffer::Buffer;

pub fn cells(buf: &mut Buffer) {
    for cell in &mut buf.content {
        if cell.symbol().contains(is_terminal_unsafe) {
            let clean = strip_controls(cell.symbol()).into_owned();
            // A cell left empty would be skipped; a space keeps the layout.
            cell.set_symbol(if clean.is_empty() { " " } else { &clean });
        }
    }
}
