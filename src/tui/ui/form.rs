//! Forms: a label column, the fields, and each field's error next to it.

use crate::i18n::K;
use crate::tui::field::Field;
use crate::tui::forms::Form;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub fn form(f: &mut Frame, area: Rect, form: &Form) {
    let label_w = form.fields.iter().map(|(l, _)| l.width()).max().unwrap_or(8) as u16 + 2;
    f.render_widget(Paragraph::new(Span::styled(form.intro.as_str(), Style::default().fg(Color::DarkGray))), Rect { height: 1, ..area });
    let mut y = area.y + 1;
    let bottom = area.y + area.height;
    let field_w = area.width.saturating_sub(label_w + 2);
    // An error is never cut: it wraps under its field.
    let error_lines =
        |i: usize| form.errors.get(&i).map_or(Vec::new(), |e| super::wrap_columns(&format!("  {e}"), field_w.max(1) as usize));
    // Scroll so the focused field is on screen at 80x24 too.
    let heights: Vec<u16> = form.fields.iter().enumerate().map(|(i, (_, fld))| fld.height() + error_lines(i).len() as u16).collect();
    let mut first = 0;
    while first < form.focus && heights[first..=form.focus].iter().sum::<u16>() + 2 > area.height {
        first += 1;
    }
    for (i, (label, field)) in form.fields.iter().enumerate().skip(first) {
        let h = field.height();
        if y + h > bottom.saturating_sub(1) {
            break;
        }
        let focused = i == form.focus;
        let label_style = if focused { Style::default().fg(Color::Yellow).bold() } else { Style::default() };
        f.render_widget(
            Paragraph::new(Span::styled(
                format!("{label:>w$}", w = label_w as usize - 1 - (label.width() - label.chars().count())),
                label_style,
            )),
            Rect { x: area.x, y, width: label_w, height: 1 },
        );
        let fx = area.x + label_w + 1;
        let rect = Rect { x: fx, y, width: area.width.saturating_sub(label_w + 2), height: h };
        match field {
            Field::Text(t) => {
                if focused {
                    t.draw(f, rect, Some(Style::default().bg(Color::DarkGray)));
                } else {
                    let mut ta = t.area.clone();
                    ta.set_style(Style::default().add_modifier(Modifier::UNDERLINED));
                    f.render_widget(&ta, rect);
                }
            }
            Field::Choice(c) => {
                let style = if focused { Style::default().bg(Color::DarkGray).bold() } else { Style::default() };
                f.render_widget(
                    Paragraph::new(Line::from(vec![Span::raw("< "), Span::styled(c.label().to_string(), style), Span::raw(" >")])),
                    rect,
                );
            }
        }
        y += h;
        let lines = error_lines(i);
        if !lines.is_empty() {
            let n = (lines.len() as u16).min(bottom.saturating_sub(1).saturating_sub(y));
            let text: Vec<Line> = lines.into_iter().map(|l| Line::from(Span::styled(l, Style::default().fg(Color::Red)))).collect();
            f.render_widget(Paragraph::new(text), Rect { x: fx, y, width: rect.width, height: n });
            y += n;
        }
    }
    let hint = Rect { x: area.x, y: bottom.saturating_sub(1), width: area.width, height: 1 };
    f.render_widget(Paragraph::new(Span::styled(K::FormHint.text(), Style::default().fg(Color::DarkGray))), hint);
}
