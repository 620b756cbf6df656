//! The supervisor's screens: the review queue, and one visit's findings under review.

use super::{block, warning_span};
use crate::domain::vocab::Vocab;
use crate::domain::{RectStatus, Review};
use crate::i18n::K;
use crate::template::fmt_points;
use crate::tui::views::{QueueView, ReviewView, area_short};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Borders, Cell, List, ListItem, ListState, Paragraph, Row, Table, TableState, Wrap};

pub fn queue(f: &mut Frame, area: Rect, q: &QueueView) {
    if q.rows.is_empty() {
        f.render_widget(Paragraph::new(K::QueueEmpty.text()).block(block(Borders::TOP)), area);
        return;
    }
    let header = Row::new([
        K::ColRound.text(),
        K::ColArea.text(),
        K::ColName.text(),
        K::Inspector.text(),
        K::ColSubmittedAt.text(),
        K::Findings.text(),
        K::ColScore.text(),
        K::ColGrade.text(),
        K::ColWarning.text(),
    ])
    .bold();
    let widths = [
        Constraint::Length(12),
        Constraint::Length(10),
        Constraint::Min(12),
        Constraint::Length(8),
        Constraint::Length(11),
        Constraint::Length(4),
        Constraint::Length(5),
        Constraint::Length(8),
        Constraint::Length(4),
    ];
    let cols = super::column_widths(area.width, &widths);
    let (range, sel) = super::window(q.rows.len(), q.selected, area.height.saturating_sub(1) as usize);
    let rows = q.rows[range].iter().map(|r| {
        Row::new(vec![
            Cell::from(super::fit(&r.round.title, cols[0])),
            Cell::from(super::fit(&area_short(&r.row.area), cols[1])),
            Cell::from(super::fit(&r.row.org.name, cols[2])),
            Cell::from(super::fit(&r.row.visit.inspector, cols[3])),
            Cell::from(r.submitted_at.map(|t| t.with_timezone(&chrono::Local).format("%m-%d %H:%M").to_string()).unwrap_or_default()),
            Cell::from(r.row.findings.to_string()),
            Cell::from(r.row.score.score_label()),
            Cell::from(r.row.score.grade_label().to_string()),
            Cell::from(warning_span(r.row.score.warning)),
        ])
    });
    let table = Table::new(rows, widths).header(header).row_highlight_style(Style::default().add_modifier(Modifier::REVERSED));
    let mut state = TableState::default().with_selected(Some(sel));
    f.render_stateful_widget(table, area, &mut state);
}

/// The arrival as the inspector recorded it: time, what was found, the "四不两直" checks that did
/// not hold, who was asked and what was read.
pub fn arrival_line(v: &crate::domain::Visit) -> String {
    let unknown = crate::domain::scoring::UNKNOWN;
    let mut parts = vec![format!(
        "{} {}  {} {}",
        K::FieldArrivedAt.text(),
        v.arrived_at.map_or_else(|| unknown.to_string(), |t| t.format("%Y-%m-%d %H:%M").to_string()),
        K::FieldArrivalState.text(),
        v.arrival_state.map_or(unknown, |a| a.label())
    )];
    if !v.arrival_note.is_empty() {
        parts.push(v.arrival_note.replace('\n', " "));
    }
    let broken: Vec<&str> = crate::domain::UNANNOUNCED_CHECKS
        .iter()
        .zip(v.unannounced)
        .filter(|(_, held)| *held == Some(false))
        .map(|((zh, en), _)| crate::i18n::pick(zh, en))
        .collect();
    if !broken.is_empty() {
        parts.push(K::ChecksBroken.fill(&[&broken.join("、")]));
    }
    if !v.interviewed.is_empty() {
        parts.push(format!("{} {}", K::FieldInterviewed.text(), v.interviewed.replace('\n', " ")));
    }
    if !v.records_read.is_empty() {
        parts.push(format!("{} {}", K::FieldRecordsRead.text(), v.records_read.replace('\n', " ")));
    }
    parts.join("  ")
}

fn review_mark(r: Review) -> Span<'static> {
    match r {
        Review::Pending => Span::raw("?"),
        Review::Approved => Span::styled("+", Style::default().fg(Color::Green).bold()),
        Review::Returned => Span::styled("R", Style::default().fg(Color::Red).bold()),
    }
}

pub fn review(f: &mut Frame, area: Rect, r: &ReviewView) {
    let v = &r.visit;
    let [top, arrival, main] = Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let s = &v.score;
    let mut spans = super::score_spans(s);
    spans.push(Span::raw(format!("  {} {}  {}", K::Inspector.text(), v.visit.inspector, v.visit.status.label())));
    if s.veto {
        spans.push(Span::styled(format!("  {}", K::Vetoed.text()), Style::default().fg(Color::Red).bold()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), top);
    f.render_widget(Paragraph::new(arrival_line(&v.visit)).style(Style::default().fg(Color::DarkGray)), arrival);
    let left_width = (main.width * 2 / 5).clamp(24, 48);
    let [left, right] = Layout::horizontal([Constraint::Length(left_width), Constraint::Min(20)]).areas(main);
    let items: Vec<ListItem> = v
        .findings
        .iter()
        .enumerate()
        .map(|(i, fd)| {
            let mut spans =
                vec![Span::raw(" "), review_mark(fd.review), Span::raw(format!(" {} ", fd.item.as_deref().unwrap_or(K::OtherItem.text())))];
            if r.repeats.get(i).is_some_and(Option::is_some) {
                spans.push(Span::styled("* ", Style::default().fg(Color::Magenta).bold()));
            }
            spans.push(Span::raw(fd.description.replace('\n', " ")));
            ListItem::new(Line::from(spans))
        })
        .collect();
    let list = List::new(items).highlight_style(Style::default().add_modifier(Modifier::REVERSED)).block(block(Borders::RIGHT));
    let mut state = ListState::default().with_selected(Some(r.selected));
    f.render_stateful_widget(list, left, &mut state);

    let Some(fd) = r.finding() else {
        f.render_widget(Paragraph::new(K::NoFindings.text()), Rect { x: right.x + 1, ..right });
        return;
    };
    let item = fd.item.as_deref().and_then(|i| v.template.item(i));
    let mut lines = Vec::new();
    if let Some(it) = item {
        let verdict = v.verdict_of(&it.id);
        lines.push(Line::from(vec![Span::styled(it.id.clone(), Style::default().bold()), Span::raw(format!("  {}", it.text))]));
        lines.push(Line::from(format!(
            "{}：{}  {}：{}",
            K::ColVerdict.text(),
            verdict.map_or("", |v| v.label()),
            K::ColNote.text(),
            v.note_of(&it.id)
        )));
        // The supervisor sees the count a per-occurrence deduction rests on.
        if let (Some(per), Some(n)) = (it.per_occurrence, v.count_of(&it.id)) {
            let deducted = it.deduction(verdict, Some(n), v.template.partial_deduction);
            let rule = K::CountRule.fill(&[&fmt_points(per), &fmt_points(it.max_deduction()), &fmt_points(deducted)]);
            lines.push(Line::from(format!("{}：{n}  {rule}", K::CountLabel.text())));
        }
        // The veto gates this item triggers that are set.
        for g in v.template.gates_of(&it.id).filter(|g| v.visit.vetoes.iter().any(|m| m.id == g.id)) {
            lines.push(Line::from(Span::styled(K::GateAtItem.fill(&[&g.id, &g.text]), Style::default().fg(Color::Red).bold())));
        }
        lines.push(Line::from(""));
    }
    lines.push(Line::from(vec![
        Span::styled(format!("[{}] ", fd.severity.label()), Style::default().fg(Color::Red)),
        Span::raw(fd.description.clone()),
    ]));
    lines.push(Line::from(format!(
        "{}：{}  {}：{}",
        K::FieldRectType.text(),
        fd.rect_type.label(),
        K::FieldDeadline.text(),
        fd.deadline.map(|d| d.to_string()).unwrap_or_default()
    )));
    lines.push(Line::from(format!("{}：{}", K::FieldRequirement.text(), fd.requirement)));
    lines.push(Line::from(format!("{}：{}", K::FieldResponsible.text(), fd.responsible_person)));
    lines.push(Line::from(format!("{}：{}", K::FieldEvidence.text(), fd.evidence.join("；"))));
    // The files attached: what the supervisor can take out with `xuncha finding extract`.
    let files = crate::domain::evidence::of_finding(fd);
    if !files.is_empty() {
        let list: Vec<String> =
            files.iter().map(|(_, a)| format!("{} {}（{}）", a.short_id(), a.name, crate::service::sync::size_label(a.size))).collect();
        lines.push(Line::from(Span::styled(K::HistoryFiles.fill(&[&list.join("、")]), Style::default().fg(Color::Cyan))));
    }
    if let Some(Some(rep)) = r.repeats.get(r.selected) {
        lines.push(Line::from(Span::styled(K::RepeatOf.fill(&[rep]), Style::default().fg(Color::Magenta).bold())));
    }
    if let Some(n) = &fd.number {
        lines.push(Line::from(format!("{}：{}", K::ColNumber.text(), n)));
    }
    if fd.status == RectStatus::Withdrawn {
        lines.push(Line::from(Span::styled(fd.status.label(), Style::default().fg(Color::DarkGray))));
    }
    lines.push(Line::from(format!("{}：{}", K::ColReview.text(), fd.review.label())));
    if !fd.review_comment.is_empty() {
        lines
            .push(Line::from(Span::styled(format!("{}：{}", K::ReviewComment.text(), fd.review_comment), Style::default().fg(Color::Red))));
    }
    if let Some(by) = &fd.corrected_by {
        lines.push(Line::from(Span::styled(format!("({by})"), Style::default().fg(Color::DarkGray))));
    }
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }),
        Rect { x: right.x + 1, width: right.width.saturating_sub(1), ..right },
    );
}
