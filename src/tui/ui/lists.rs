//! The rounds list and a round's dashboard.

use super::warning_span;
use crate::domain::vocab::Vocab;
use crate::i18n::K;
use crate::tui::views::{DashboardView, RoundsView, area_short};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Borders, Cell, Paragraph, Row, Table, TableState};

fn selected_style() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}

pub fn rounds(f: &mut Frame, area: Rect, v: &RoundsView) {
    if v.rows.is_empty() {
        f.render_widget(Paragraph::new(K::NoRounds.text()).block(super::block(Borders::TOP)), area);
        return;
    }
    // Every column has a title, and the numbers are as wide as they need to be: 2331/2615, never
    // 2331/26. Visits checked: started or further; handed over: submitted or approved. The widths
    // come from the numbers of every row; only the rows in sight are formatted.
    let digits = |n: usize| n.checked_ilog10().map_or(1, |d| d as usize + 1);
    let fraction = |r: &crate::service::rounds::RoundRow, n: usize| digits(n) + 1 + digits(r.visits);
    let cell = |r: &crate::service::rounds::RoundRow| -> [String; 6] {
        let started = r.visits - r.by_status[0];
        [
            r.round.id.short(),
            r.round.title.clone(),
            r.round.quarter.to_string(),
            r.round.template_id.clone(),
            format!("{started}/{}", r.visits),
            format!("{}/{}", r.by_status[2] + r.by_status[4], r.visits),
        ]
    };
    let titles =
        [K::ColId.text(), K::ColTitle.text(), K::ColQuarter.text(), K::FieldTemplate.text(), K::ColChecked.text(), K::ColSubmitted.text()];
    let title_w = |i: usize| unicode_width::UnicodeWidthStr::width(titles[i]);
    let w = |i: usize| -> u16 {
        let cells = v.rows.iter().map(|r| match i {
            0 => unicode_width::UnicodeWidthStr::width(r.round.id.short().as_str()),
            2 => unicode_width::UnicodeWidthStr::width(r.round.quarter.to_string().as_str()),
            3 => unicode_width::UnicodeWidthStr::width(r.round.template_id.as_str()),
            4 => fraction(r, r.visits - r.by_status[0]),
            _ => fraction(r, r.by_status[2] + r.by_status[4]),
        });
        cells.chain(std::iter::once(title_w(i))).max().unwrap_or(0) as u16
    };
    let widths = [
        Constraint::Length(w(0)),
        Constraint::Min(10),
        Constraint::Length(w(2)),
        Constraint::Length(w(3)),
        Constraint::Length(w(4)),
        Constraint::Length(w(5)),
    ];
    let name_w = super::column_widths(area.width, &widths)[1];
    let header = Row::new(titles).bold();
    // The block's top border and the header take two rows.
    let (range, sel) = super::window(v.rows.len(), v.selected, area.height.saturating_sub(2) as usize);
    let rows = v.rows[range]
        .iter()
        .map(cell)
        .map(|[id, title, q, t, checked, submitted]| Row::new([id, super::fit(&title, name_w), q, t, checked, submitted]));
    let table = Table::new(rows, widths).header(header).row_highlight_style(selected_style()).block(super::block(Borders::TOP));
    let mut state = TableState::default().with_selected(Some(sel));
    f.render_stateful_widget(table, area, &mut state);
}

pub fn dashboard(f: &mut Frame, area: Rect, d: &DashboardView) {
    let [filters, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let all = K::FilterAll.text();
    let mut spans = vec![
        Span::raw(format!("{} {}  ", K::ColStatus.text(), d.status.map_or(all, |s| s.label()))),
        Span::raw(format!("{} {}  ", K::ColField.text(), d.field.map_or(all, |s| s.label()))),
        Span::raw(format!("{} {}  ", K::ColArea.text(), d.area.as_deref().unwrap_or(all))),
    ];
    let visible = d.visible();
    spans.push(Span::styled(format!("({}/{})  ", visible.len(), d.rows.len()), Style::default().fg(Color::DarkGray)));
    if d.search.is_some() || !d.query.is_empty() {
        spans.push(Span::styled(format!("{}: ", K::SearchPrompt.text()), Style::default().fg(Color::Yellow)));
    }
    let prefix_width: u16 = spans.iter().map(|s| s.width() as u16).sum();
    f.render_widget(Paragraph::new(Line::from(spans.clone())), filters);
    if let Some(search) = &d.search {
        let x = filters.x + prefix_width;
        let field = Rect { x, y: filters.y, width: 20.min(filters.width.saturating_sub(prefix_width)), height: 1 };
        search.draw(f, field, None);
    } else if !d.query.is_empty() {
        let x = filters.x + prefix_width;
        f.render_widget(
            Paragraph::new(d.query.as_str()),
            Rect { x, y: filters.y, width: 20.min(filters.width.saturating_sub(prefix_width)), height: 1 },
        );
    }
    let header = Row::new([
        K::ColArea.text(),
        K::ColName.text(),
        K::ColField.text(),
        K::ColProgress.text(),
        K::Findings.text(),
        K::ColScore.text(),
        K::ColGrade.text(),
        K::ColWarning.text(),
        K::ColStatus.text(),
    ])
    .bold();
    let wide = area.width >= 110;
    // County and town when there is room; the town alone at 80 columns.
    let area_w = if wide { 22 } else { 10 };
    let widths = [
        Constraint::Length(area_w),
        Constraint::Min(14),
        Constraint::Length(8),
        Constraint::Length(6),
        Constraint::Length(4),
        Constraint::Length(5),
        Constraint::Length(8),
        Constraint::Length(4),
        Constraint::Length(6),
    ];
    let cols = super::column_widths(list.width, &widths);
    // Only the rows in sight are formatted.
    let (range, sel) = super::window(visible.len(), d.selected, list.height.saturating_sub(1) as usize);
    let rows = visible[range].iter().map(|i| {
        let r = &d.rows[*i];
        let place = if wide { area_short(&r.area) } else { r.area.rsplit(" / ").next().unwrap_or("").to_string() };
        Row::new(vec![
            Cell::from(super::fit(&place, cols[0])),
            Cell::from(super::fit(&r.org.name, cols[1])),
            Cell::from(r.org.field.map_or("", |f| f.label())),
            Cell::from(format!("{}/{}", r.score.answered, r.score.applicable)),
            Cell::from(r.findings.to_string()),
            Cell::from(r.score.score_label()),
            Cell::from(r.score.grade_label().to_string()),
            Cell::from(warning_span(r.score.warning)),
            Cell::from(r.visit.status.label()),
        ])
    });
    let table = Table::new(rows, widths).header(header).row_highlight_style(selected_style());
    let mut state = TableState::default().with_selected(Some(sel));
    f.render_stateful_widget(table, list, &mut state);
}
