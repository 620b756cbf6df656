//! Form fields: text (one line or several, on ratatui-textarea) and choices. Each knows where the
//! terminal cursor belongs, so an input method's window opens at the caret.

use super::keymap::{Act, Input};
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui_textarea::{CursorMove, TextArea};

#[derive(Debug, Clone)]
pub struct TextField {
    pub area: TextArea<'static>,
    pub multiline: bool,
}

impl TextField {
    pub fn new(text: &str, multiline: bool) -> TextField {
        let lines: Vec<String> = if multiline { text.split('\n').map(str::to_string).collect() } else { vec![text.replace('\n', " ")] };
        let mut area = TextArea::new(lines);
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        // The real terminal cursor shows the caret; no underline on the current line.
        area.set_cursor_line_style(Style::default());
        area.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
        TextField { area, multiline }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn set_text(&mut self, text: &str) {
        *self = TextField::new(text, self.multiline);
    }

    /// Types one character; returns whether the text changed. A line break goes only into a
    /// multi-line field.
    pub fn type_char(&mut self, c: char) -> bool {
        if c == '\n' && !self.multiline {
            return false;
        }
        self.area.insert_char(c);
        true
    }

    /// Does an editing action of the keymap; returns whether the text changed (a cursor move
    /// does not change it).
    pub fn apply(&mut self, a: Act) -> bool {
        let mut go = |m: CursorMove| {
            self.area.move_cursor(m);
            false
        };
        match a {
            Act::Left => go(CursorMove::Back),
            Act::Right => go(CursorMove::Forward),
            Act::WordLeft => go(CursorMove::WordBack),
            Act::WordRight => go(CursorMove::WordForward),
            Act::LineStart => go(CursorMove::Head),
            Act::LineEnd => go(CursorMove::End),
            Act::LineUp if self.multiline => go(CursorMove::Up),
            Act::LineDown if self.multiline => go(CursorMove::Down),
            Act::DeleteBack => self.area.delete_char(),
            Act::DeleteForward => self.area.delete_next_char(),
            Act::DeleteWord => self.area.delete_word(),
            Act::DeleteToEnd => self.area.delete_line_by_end(),
            Act::DeleteToStart => self.area.delete_line_by_head(),
            Act::Undo => self.area.undo(),
            Act::Redo => self.area.redo(),
            Act::Newline if self.multiline => {
                self.area.insert_newline();
                true
            }
            _ => false,
        }
    }

    /// A key resolved by the keymap: a typed character or an editing action.
    pub fn input(&mut self, input: Input) -> bool {
        match input {
            Input::Char(c) => self.type_char(c),
            Input::Act(_, a) => self.apply(a),
        }
    }

    /// Draws the field into `rect` (with `style`, if given) and puts the terminal cursor at the
    /// caret. The text is drawn from a fresh view each frame, so a resize never leaves it
    /// scrolled out of sight: the viewport is worked out for the size it is drawn at.
    pub fn draw(&self, f: &mut ratatui::Frame, rect: Rect, style: Option<Style>) {
        let mut view = TextArea::new(self.area.lines().to_vec());
        let (row, col) = (self.area.cursor().0, self.area.cursor().1);
        view.move_cursor(ratatui_textarea::CursorMove::Jump(row as u16, col as u16));
        view.set_cursor_line_style(Style::default());
        view.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
        if let Some(s) = style {
            view.set_style(s);
        }
        f.render_widget(&view, rect);
        f.set_cursor_position(Self::caret_in(&view, rect));
    }

    /// Where the caret is on screen once the field was drawn into `inner`.
    pub fn caret(&self, inner: Rect) -> Position {
        Self::caret_in(&self.area, inner)
    }

    fn caret_in(area: &TextArea<'_>, inner: Rect) -> Position {
        let c = area.screen_cursor();
        let (top, left) = area.scroll_offset();
        let row = (c.row as u16).saturating_sub(top).min(inner.height.saturating_sub(1));
        let col = (c.col as u16).saturating_sub(left).min(inner.width.saturating_sub(1));
        Position { x: inner.x + col, y: inner.y + row }
    }
}

/// One of a fixed list of options, moved with ←/→ (or space).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub options: Vec<String>,
    pub index: usize,
}

impl Choice {
    pub fn new(options: Vec<String>, index: usize) -> Choice {
        let index = index.min(options.len().saturating_sub(1));
        Choice { options, index }
    }
    pub fn next(&mut self) {
        if !self.options.is_empty() {
            self.index = (self.index + 1) % self.options.len();
        }
    }
    pub fn prev(&mut self) {
        if !self.options.is_empty() {
            self.index = (self.index + self.options.len() - 1) % self.options.len();
        }
    }
    pub fn label(&self) -> &str {
        self.options.get(self.index).map_or("", String::as_str)
    }
}

#[derive(Debug, Clone)]
pub enum Field {
    Text(Box<TextField>),
    Choice(Choice),
}

impl Field {
    pub fn text(s: &str) -> Field {
        Field::Text(Box::new(TextField::new(s, false)))
    }
    pub fn multiline(s: &str) -> Field {
        Field::Text(Box::new(TextField::new(s, true)))
    }
    pub fn choice(options: Vec<String>, index: usize) -> Field {
        Field::Choice(Choice::new(options, index))
    }
    pub fn value(&self) -> String {
        match self {
            Field::Text(t) => t.text(),
            Field::Choice(c) => c.label().to_string(),
        }
    }
    pub fn index(&self) -> usize {
        match self {
            Field::Choice(c) => c.index,
            Field::Text(_) => 0,
        }
    }
    /// Rows the field takes on screen.
    pub fn height(&self) -> u16 {
        match self {
            Field::Text(t) if t.multiline => 4,
            _ => 1,
        }
    }
    /// A key resolved by the keymap; returns whether the value changed.
    pub fn input(&mut self, input: Input) -> bool {
        match self {
            Field::Text(t) => t.input(input),
            Field::Choice(c) => match input {
                Input::Act(_, Act::NextOption) => {
                    c.next();
                    true
                }
                Input::Act(_, Act::PrevOption) => {
                    c.prev();
                    true
                }
                _ => false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_fields_take_no_line_break_and_keep_chinese() {
        let mut f = TextField::new("", false);
        for c in "会议记录".chars() {
            assert!(f.type_char(c));
        }
        assert!(!f.apply(Act::Newline));
        assert!(!f.type_char('\n'));
        assert_eq!(f.text(), "会议记录");
        assert!(f.apply(Act::DeleteBack));
        f.apply(Act::LineStart);
        assert!(f.apply(Act::DeleteForward));
        assert_eq!(f.text(), "议记");
        assert!(f.apply(Act::Undo));
        assert_eq!(f.text(), "会议记");
    }

    #[test]
    fn multi_line_fields_break_lines_and_move_between_them() {
        let mut f = TextField::new("一", true);
        assert!(f.apply(Act::Newline));
        f.type_char('二');
        f.apply(Act::LineUp);
        f.type_char('x');
        assert_eq!(f.text(), "一x\n二");
    }

    #[test]
    fn the_caret_counts_display_columns() {
        let mut f = TextField::new("", false);
        for c in "党支部ab".chars() {
            f.type_char(c);
        }
        let inner = Rect::new(10, 5, 30, 1);
        // Three wide characters (6 columns) and two narrow ones.
        assert_eq!(f.caret(inner), Position { x: 10 + 8, y: 5 });
    }

    #[test]
    fn choices_wrap_around() {
        let mut c = Choice::new(vec!["一般".into(), "较重".into(), "严重".into()], 2);
        c.next();
        assert_eq!(c.label(), "一般");
        c.prev();
        assert_eq!(c.label(), "严重");
    }
}
