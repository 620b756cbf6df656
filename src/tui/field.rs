//! Form fields: text (one line or several, on ratatui-textarea) and choices. Each knows where the
//! terminal cursor belongs, so an input method's window opens at the caret.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui_textarea::TextArea;

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

    /// Feeds a key; returns whether the text changed. Enter adds a line only in a multi-line
    /// field.
    pub fn input(&mut self, key: KeyEvent) -> bool {
        if !self.multiline && key.code == KeyCode::Enter {
            return false;
        }
        // Ctrl-M and Ctrl-J are Enter in disguise.
        if !self.multiline && key.modifiers.contains(KeyModifiers::CONTROL) && matches!(key.code, KeyCode::Char('m' | 'j')) {
            return false;
        }
        self.area.input(key)
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
    /// Feeds an editing key; returns whether the value changed.
    pub fn input(&mut self, key: KeyEvent) -> bool {
        match self {
            Field::Text(t) => t.input(key),
            Field::Choice(c) => match key.code {
                KeyCode::Right | KeyCode::Char(' ') => {
                    c.next();
                    true
                }
                KeyCode::Left => {
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

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn one_line_fields_ignore_enter_and_keep_chinese() {
        let mut f = TextField::new("", false);
        for c in "会议记录".chars() {
            assert!(f.input(key(c)));
        }
        assert!(!f.input(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
        assert_eq!(f.text(), "会议记录");
    }

    #[test]
    fn the_caret_counts_display_columns() {
        let mut f = TextField::new("", false);
        for c in "党支部ab".chars() {
            f.input(key(c));
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
