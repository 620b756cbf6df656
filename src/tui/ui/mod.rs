//! Rendering: a function of the app state alone.

mod board;
mod form;
mod lists;
mod lookback;
mod review;
mod scrub;
mod sync;
mod visit;

use super::app::{App, Overlay, Screen, Tone};
use crate::domain::scoring::Warning;
use crate::i18n::K;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

/// Borders in plain ASCII: box-drawing characters are of ambiguous width and break the layout on
/// terminals that draw them wide (common with CJK fonts).
pub const ASCII_BORDER: ratatui::symbols::border::Set = ratatui::symbols::border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// A block with ASCII borders.
pub fn block(borders: Borders) -> Block<'static> {
    Block::default().borders(borders).border_set(ASCII_BORDER)
}

/// "得分 96  标杆型 蓝": the score, grade and warning that head the visit and review screens.
pub fn score_spans(s: &crate::domain::scoring::Score) -> Vec<Span<'static>> {
    vec![
        Span::raw(format!(
            "{} {}  ",
            K::Score.text(),
            s.score.map_or_else(|| crate::domain::scoring::UNKNOWN.to_string(), |v| crate::template::fmt_points((v * 10.0).round() / 10.0))
        )),
        Span::styled(s.grade_label().to_string(), Style::default().add_modifier(Modifier::BOLD)),
        Span::raw(" "),
        warning_span(s.warning),
    ]
}

pub fn warning_span(w: Option<Warning>) -> Span<'static> {
    match w {
        Some(Warning::Red) => Span::styled(K::WarnRed.text(), Style::default().fg(Color::White).bg(Color::Red).bold()),
        Some(Warning::Yellow) => Span::styled(K::WarnYellow.text(), Style::default().fg(Color::Black).bg(Color::Yellow)),
        Some(Warning::Blue) => Span::styled(K::WarnBlue.text(), Style::default().fg(Color::White).bg(Color::Blue)),
        None => Span::raw(""),
    }
}

pub fn draw(f: &mut Frame, app: &App) {
    let [head, body, foot] = Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)]).areas(f.area());
    let title = match app.top() {
        Some(Screen::Rounds(_)) | None => K::ScreenRounds.text().to_string(),
        Some(Screen::Dashboard(d)) => format!("{} > {}", K::ScreenRounds.text(), d.round.title),
        Some(Screen::Visit(v)) => format!("{} > {}", v.round.title, v.org.name),
        Some(Screen::Lookback(v)) => format!("{} > {}", v.round.title, v.org.name),
        Some(Screen::Form(form)) => form.title.clone(),
        Some(Screen::Queue(_)) => K::ScreenQueue.text().to_string(),
        Some(Screen::Board(_)) => K::ScreenBoard.text().to_string(),
        Some(Screen::Stats(_)) => K::ScreenStats.text().to_string(),
        Some(Screen::Sync(_)) => K::ScreenSync.text().to_string(),
        Some(Screen::Conflicts(_)) => K::ScreenConflicts.text().to_string(),
        Some(Screen::Review(r)) => format!("{} > {} {}", r.visit.round.title, r.visit.org.name, K::ScreenReview.text()),
    };
    let head_line = Line::from(vec![
        Span::styled(format!(" {} ", K::AppTitle.text()), Style::default().fg(Color::Black).bg(Color::Red).bold()),
        Span::raw(" "),
        Span::styled(title, Style::default().bold()),
        Span::raw("  "),
        Span::styled(app.actor.clone(), Style::default().fg(Color::DarkGray)),
        Span::styled(
            if app.supervisor { format!(" ({})", K::RoleSupervisor.text()) } else { String::new() },
            Style::default().fg(Color::Magenta),
        ),
    ]);
    f.render_widget(Paragraph::new(head_line), head);
    match app.top() {
        Some(Screen::Rounds(v)) => lists::rounds(f, body, v),
        Some(Screen::Dashboard(d)) => lists::dashboard(f, body, d),
        Some(Screen::Visit(v)) => visit::visit(f, body, v, &app.keymap),
        Some(Screen::Lookback(v)) => lookback::lookback(f, body, v),
        Some(Screen::Form(form)) => form::form(f, body, form),
        Some(Screen::Queue(q)) => review::queue(f, body, q),
        Some(Screen::Board(b)) => board::board(f, body, b, &app.keymap),
        Some(Screen::Stats(st)) => board::stats(f, body, st),
        Some(Screen::Review(r)) => review::review(f, body, r),
        Some(Screen::Sync(v)) => sync::sync(f, body, v, &app.keymap),
        Some(Screen::Conflicts(c)) => sync::conflicts(f, body, c, &app.keymap),
        None => {}
    }
    let (text, style) = match &app.status {
        Some((t, Tone::Ok)) => (t.clone(), Style::default().fg(Color::Green)),
        Some((t, Tone::Error)) => (t.clone(), Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)),
        Some((t, Tone::Info)) => (t.clone(), Style::default()),
        None => (String::new(), Style::default()),
    };
    let hint = K::HelpHint.text();
    let [left, right] = Layout::horizontal([Constraint::Min(1), Constraint::Length(hint.chars().count() as u16 + 2)]).areas(foot);
    if unicode_width::UnicodeWidthStr::width(text.as_str()) > left.width as usize {
        // A message is never cut: a long one opens above the status line, wrapped, until the
        // next key.
        let width = f.area().width;
        let lines: Vec<Line> = wrap_columns(&text, width.saturating_sub(2).max(1) as usize).into_iter().map(Line::from).collect();
        let height = (lines.len() as u16 + 2).min(foot.y + 1);
        let area = Rect { x: 0, y: (foot.y + 1).saturating_sub(height), width, height };
        f.render_widget(Clear, area);
        f.render_widget(Paragraph::new(lines).style(style).block(block(Borders::ALL)), area);
    } else {
        f.render_widget(Paragraph::new(Span::styled(text, style)), left);
        f.render_widget(Paragraph::new(Span::styled(hint, Style::default().fg(Color::DarkGray))), right);
    }
    if let Some(o) = &app.overlay {
        overlay(f, app, o);
    }
    scrub::cells(f.buffer_mut());
}

/// `text` in at most `width` display columns. A cut is marked with "~" (ASCII: the ellipsis is of
/// ambiguous width), so a shortened name never reads as another.
pub fn fit(text: &str, width: usize) -> String {
    if unicode_width::UnicodeWidthStr::width(text) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    if width > 0 {
        out.push('~');
    }
    out
}

/// The width of the widest of `texts` (and the header), in display columns: a column of numbers
/// is as wide as its longest number, so none is ever cut.
pub fn widest<'a>(header: &str, texts: impl Iterator<Item = &'a str>) -> u16 {
    texts
        .map(unicode_width::UnicodeWidthStr::width)
        .chain(std::iter::once(unicode_width::UnicodeWidthStr::width(header)))
        .max()
        .unwrap_or(0) as u16
}

/// The widths a table (column spacing 1) gives its columns in `width`, so text can be fitted
/// to them before ratatui would cut it silently.
pub fn column_widths(width: u16, constraints: &[Constraint]) -> Vec<usize> {
    Layout::horizontal(constraints.iter().copied())
        .spacing(1)
        .split(Rect { x: 0, y: 0, width, height: 1 })
        .iter()
        .map(|r| r.width as usize)
        .collect()
}

/// The part of a list a table of `height` rows shows with `selected` in sight, scrolled as ratatui
/// scrolls a table drawn from its top: the range of rows to build, and the selected row within it.
/// Only those rows are formatted; a list of 80,000 costs what its 30 visible rows cost.
pub fn window(len: usize, selected: usize, height: usize) -> (std::ops::Range<usize>, usize) {
    let selected = selected.min(len.saturating_sub(1));
    let first = (selected + 1).saturating_sub(height.max(1));
    (first..len.min(first + height), selected - first)
}

/// Breaks text into lines of at most `width` display columns (at any character: Chinese has no
/// spaces to break at), keeping its own line breaks.
pub fn wrap_columns(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut cur = String::new();
        let mut w = 0;
        for c in line.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if w + cw > width && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
                w = 0;
            }
            cur.push(c);
            w += cw;
        }
        out.push(cur);
    }
    out
}

/// A progress gauge over the screen, in ASCII: `[#####.....]  45%`.
pub fn gauge(f: &mut Frame, label: &str, ratio: f64) {
    let area = centered(f.area(), 60, 3);
    let inner = (area.width.saturating_sub(10)) as usize;
    let filled = ((ratio.clamp(0.0, 1.0)) * inner as f64).round() as usize;
    let bar = format!("[{}{}] {:>3.0}%", "#".repeat(filled), ".".repeat(inner - filled), ratio * 100.0);
    f.render_widget(Clear, area);
    f.render_widget(Paragraph::new(bar).block(block(Borders::ALL).title(label)), area);
    scrub::cells(f.buffer_mut());
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

fn overlay(f: &mut Frame, app: &App, o: &Overlay) {
    match o {
        Overlay::Help(chain) => {
            let rows = app.keymap.help(chain);
            let lines: Vec<Line> = rows
                .iter()
                .map(|(k, what)| Line::from(vec![Span::styled(format!("{k:>14}  "), Style::default().bold()), Span::raw(*what)]))
                .collect();
            let area = centered(f.area(), 64, rows.len() as u16 + 2);
            f.render_widget(Clear, area);
            f.render_widget(Paragraph::new(lines).block(block(Borders::ALL).title(K::HelpHelp.text())), area);
        }
        Overlay::History { title, lines } => {
            let body: Vec<Line> = if lines.is_empty() {
                vec![Line::from(K::NoHistory.text())]
            } else {
                lines.iter().map(|l| Line::from(l.as_str())).collect()
            };
            // Long lines wrap: leave them room, up to the screen's height.
            let width = f.area().width.saturating_sub(4);
            let rows: u16 =
                lines.iter().map(|l| (unicode_width::UnicodeWidthStr::width(l.as_str()) as u16 / width.saturating_sub(2).max(1)) + 1).sum();
            let area = centered(f.area(), width, rows.max(1) + 2);
            f.render_widget(Clear, area);
            f.render_widget(Paragraph::new(body).wrap(Wrap { trim: false }).block(block(Borders::ALL).title(title.as_str())), area);
        }
        Overlay::Confirm { text, .. } => {
            // As tall as the question needs: a question is never cut.
            let width = 60.min(f.area().width);
            let lines: Vec<Line> = wrap_columns(text, width.saturating_sub(2).max(1) as usize).into_iter().map(Line::from).collect();
            let area = centered(f.area(), width, (lines.len() as u16 + 2).max(5));
            f.render_widget(Clear, area);
            f.render_widget(Paragraph::new(lines).block(block(Borders::ALL)), area);
        }
        Overlay::Veto { selected } => {
            let Some(Screen::Visit(v)) = app.top() else { return };
            let lines: Vec<Line> = v
                .template
                .vetoes
                .iter()
                .enumerate()
                .map(|(i, g)| {
                    let set = v.visit.vetoes.iter().find(|m| m.id == g.id);
                    let mark = if set.is_some() { "[x]" } else { "[ ]" };
                    let by = g.item.as_deref().map_or(String::new(), |i| format!(" [{i}]"));
                    let mut spans = vec![Span::raw(format!("{mark} {}{by} {}", g.id, g.text))];
                    if let Some(m) = set {
                        spans.push(Span::styled(format!("  ({})", m.reason), Style::default().fg(Color::Red)));
                    }
                    let line = Line::from(spans);
                    if i == *selected { line.style(Style::default().add_modifier(Modifier::REVERSED)) } else { line }
                })
                .collect();
            let area = centered(f.area(), 70, lines.len() as u16 + 2);
            f.render_widget(Clear, area);
            f.render_widget(Paragraph::new(lines).block(block(Borders::ALL).title(K::HelpVeto.text())), area);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_window_keeps_the_selection_in_sight() {
        assert_eq!(super::window(100, 0, 10), (0..10, 0));
        assert_eq!(super::window(100, 9, 10), (0..10, 9));
        assert_eq!(super::window(100, 10, 10), (1..11, 9));
        assert_eq!(super::window(100, 99, 10), (90..100, 9));
        assert_eq!(super::window(5, 3, 10), (0..5, 3));
        assert_eq!(super::window(0, 0, 10), (0..0, 0));
        assert_eq!(super::window(5, 3, 0), (3..3, 0));
    }
}
