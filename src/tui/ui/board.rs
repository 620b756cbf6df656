//! The rectification board and the statistics screen.

use super::block;
use crate::domain::vocab::Vocab;
use crate::i18n::K;
use crate::tui::views::{BoardView, StatsView};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Borders, Cell, Paragraph, Row, Table, TableState};
use unicode_width::UnicodeWidthStr;

pub fn board(f: &mut Frame, area: Rect, b: &BoardView, keys: &crate::tui::keymap::Keymap) {
    let prompt_h = b.prompt.as_ref().map_or(0, |(_, p)| super::sync::prompt_height(p, area.width as usize));
    let [filters, list, prompt] = Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(prompt_h)]).areas(area);
    if let Some((number, p)) = &b.prompt {
        super::sync::path_prompt(f, prompt, K::BoardAttachTo.fill(&[number]), p, keys);
    }
    let all = K::FilterAll.text();
    let fl = &b.filter;
    let status = if fl.overdue { K::Overdue.text() } else { fl.status.map_or(all, |s| s.label()) };
    let round = fl.round.and_then(|id| b.rounds.iter().find(|(r, _)| *r == id)).map_or(all, |(_, t)| t.as_str());
    let text = format!(
        "{} {}  {} {}  {} {}  {} {}  {} {}  {} {}  {}  ({})",
        K::ColRound.text(),
        round,
        K::ColQuarter.text(),
        fl.quarter.map_or(all.to_string(), |q| q.to_string()),
        K::ColStatus.text(),
        status,
        K::ColSeverityShort.text(),
        fl.severity.map_or(all, |s| s.label()),
        K::ColField.text(),
        fl.field.map_or(all, |s| s.label()),
        K::ColArea.text(),
        b.area_name.as_deref().unwrap_or(all),
        if b.sort_area { K::SortArea.text() } else { K::SortDeadline.text() },
        b.rows.len()
    );
    f.render_widget(Paragraph::new(text), filters);
    if b.rows.is_empty() {
        f.render_widget(Paragraph::new(K::BoardEmpty.text()).block(block(Borders::TOP)), list);
        return;
    }
    let header = Row::new([
        K::ColNumber.text(),
        K::ColOrg.text(),
        K::ColItem.text(),
        K::ColSeverityShort.text(),
        K::ColStatus.text(),
        K::ColDeadline.text(),
        K::ColLadder.text(),
        K::ColDescription.text(),
    ])
    .bold();
    let widths = [
        Constraint::Length(11),
        Constraint::Length(16),
        Constraint::Length(5),
        Constraint::Length(8),
        Constraint::Length(12),
        Constraint::Length(10),
        Constraint::Length(8),
        Constraint::Min(10),
    ];
    let cols = super::column_widths(list.width, &widths);
    let (range, sel) = super::window(b.rows.len(), b.selected, list.height.saturating_sub(1) as usize);
    let rows = b.rows[range].iter().map(|r| {
        // The rung of the escalation ladder in its colour, with the days left or over.
        use crate::domain::escalation::Rung;
        let days = match (r.days_left, b.rung(r)) {
            (Some(d), Some(rung)) => {
                let (word, style) = match rung {
                    Rung::Remind => (K::RungRemindShort, Style::default().fg(Color::Black).bg(Color::Yellow)),
                    Rung::Supervise => (K::RungSuperviseShort, Style::default().fg(Color::White).bg(Color::Red)),
                    Rung::Admonish => (K::RungAdmonishShort, Style::default().fg(Color::White).bg(Color::Magenta)),
                    Rung::Accountability => {
                        (K::RungAccountabilityShort, Style::default().fg(Color::White).bg(Color::Black).add_modifier(Modifier::BOLD))
                    }
                };
                Span::styled(format!("{}{}", word.text(), d.abs()), style)
            }
            (Some(d), None) => Span::raw(d.to_string()),
            (None, _) => Span::raw(""),
        };
        let desc = if r.repeat {
            format!("[{}] {}", K::RepeatOf.fill(&[&r.repeat_of.clone().unwrap_or_default()]), r.description)
        } else {
            r.description.clone()
        };
        Row::new(vec![
            Cell::from(r.number.clone()),
            Cell::from(super::fit(&r.org, cols[1])),
            Cell::from(r.item.clone()),
            Cell::from(r.severity.clone()),
            Cell::from(r.status.clone()),
            Cell::from(r.deadline.map(|d| d.to_string()).unwrap_or_default()),
            Cell::from(days),
            Cell::from(super::fit(&desc.replace('\n', " "), cols[7])),
        ])
    });
    let table = Table::new(rows, widths).header(header).row_highlight_style(Style::default().add_modifier(Modifier::REVERSED));
    let mut state = TableState::default().with_selected(Some(sel));
    f.render_stateful_widget(table, list, &mut state);
}

/// Horizontal bars in ASCII (no block glyphs of ambiguous width).
fn bars(title: &str, data: &[(String, usize)], width: u16) -> Vec<Line<'static>> {
    let label_w = data.iter().map(|(k, _)| k.width()).max().unwrap_or(4);
    let max = data.iter().map(|d| d.1).max().unwrap_or(0).max(1);
    let room = (width as usize).saturating_sub(label_w + 8).max(4);
    let mut lines = vec![Line::from(Span::styled(title.to_string(), Style::default().bold()))];
    for (k, n) in data {
        let len = (n * room).div_ceil(max).min(room);
        lines.push(Line::from(vec![
            Span::raw(format!("{}{} ", " ".repeat(label_w - k.width()), k)),
            Span::styled("#".repeat(len), Style::default().fg(Color::Red)),
            Span::raw(format!(" {n}")),
        ]));
    }
    lines.push(Line::from(""));
    lines
}

pub fn stats(f: &mut Frame, area: Rect, st: &StatsView) {
    let b = &st.bulletin;
    // The look-back's results on a line of their own, when the quarter had one.
    let lookback = (b.lookback.visits > 0).then(|| {
        let l = &b.lookback;
        let rate = l.held_rate.as_ref().map_or_else(|| "-".to_string(), |x| format!("{x}%"));
        K::LookbackTally.fill(&[&l.visits, &l.checked, &l.held, &l.relapsed, &l.not_done, &rate])
    });
    let figure_lines = if lookback.is_some() { 2 } else { 1 };
    let [head, figures, body] = Layout::vertical([Constraint::Length(1), Constraint::Length(figure_lines), Constraint::Min(1)]).areas(area);
    let area_name = st.area.as_ref().map_or(K::FilterAll.text(), |(_, n)| n.as_str());
    let avg = b.avg_score.clone().unwrap_or_else(|| "-".to_string());
    // Only approved visits count; the others are said, not folded into the figures.
    f.render_widget(
        Paragraph::new(format!(
            "{} {}  {} {}  {} {}  {}",
            K::ColQuarter.text(),
            b.quarter,
            K::ColArea.text(),
            area_name,
            K::Score.text(),
            avg,
            K::StatsCounted.fill(&[&b.checked, &b.in_scope, &b.pending, &b.not_visited]),
        )),
        head,
    );
    // The rectification figures of the bulletin, from the same function (domain::figures).
    let r = &b.rect.figures;
    let rate = b.rect.on_time_rate.as_ref().map_or_else(|| "-".to_string(), |x| format!("{x}%"));
    let mut lines = vec![Line::from(K::StatsRectFigures.fill(&[&b.period.as_of, &r.due, &r.on_time, &rate, &r.overdue, &r.carried_over]))];
    lines.extend(lookback.map(Line::from));
    f.render_widget(Paragraph::new(lines), figures);
    if b.checked == 0 && st.rect.is_empty() {
        f.render_widget(Paragraph::new(K::StatsNone.text()).block(block(Borders::TOP)), body);
        return;
    }
    let [left, right] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
    let warn = vec![
        (K::WarnRed.text().to_string(), b.warnings[0]),
        (K::WarnYellow.text().to_string(), b.warnings[1]),
        (K::WarnBlue.text().to_string(), b.warnings[2]),
    ];
    let mut l = bars(K::StatsGrades.text(), &b.grades, left.width);
    l.extend(bars(K::StatsWarnings.text(), &warn, left.width));
    f.render_widget(Paragraph::new(l).block(block(Borders::TOP)), left);
    let mut r = bars(K::StatsCategories.text(), &b.by_category, right.width);
    r.extend(bars(K::StatsRect.text(), &st.rect, right.width));
    f.render_widget(Paragraph::new(r).block(block(Borders::TOP)), right);
}
