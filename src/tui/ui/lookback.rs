//! The look-back (回头看) visit: the organisation's earlier problems on the left, each with its
//! mark; the selected one on the right with its rectification record and what this visit found.

use crate::domain::lookback::Mark;
use crate::domain::vocab::Vocab;
use crate::i18n::K;
use crate::tui::views::LookbackView;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Borders, List, ListItem, ListState, Paragraph, Wrap};

/// One ASCII mark per look-back mark: unambiguous in width on every terminal.
fn mark(m: Option<Mark>) -> Span<'static> {
    match m {
        Some(Mark::Held) => Span::styled("Y", Style::default().fg(Color::Green)),
        Some(Mark::Relapsed) => Span::styled("F", Style::default().fg(Color::Red).bold()),
        Some(Mark::NotDone) => Span::styled("W", Style::default().fg(Color::Yellow).bold()),
        None => Span::raw("."),
    }
}

pub fn lookback(f: &mut Frame, area: Rect, v: &LookbackView) {
    let banner = v.read_only();
    let [top, notice, main] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(u16::from(banner.is_some())), Constraint::Min(1)]).areas(area);
    if let Some(text) = banner {
        f.render_widget(Paragraph::new(Span::styled(text, Style::default().fg(Color::Yellow).bold())), notice);
    }
    let (done, total) = v.progress();
    let mut spans = vec![Span::styled(K::LookbackProgress.fill(&[&done, &total]), Style::default().bold()), Span::raw("  ")];
    spans.push(Span::raw(v.visit.status.label()));
    spans.extend(super::visit::state_after(&v.visit));
    f.render_widget(Paragraph::new(Line::from(spans)), top);

    let left_width = (main.width * 2 / 5).clamp(24, 48);
    let [left, right] = Layout::horizontal([Constraint::Length(left_width), Constraint::Min(20)]).areas(main);
    if v.earlier.is_empty() {
        f.render_widget(Paragraph::new(K::LookbackNone2.text()), main);
        return;
    }
    let items: Vec<ListItem> = v
        .earlier
        .iter()
        .map(|e| {
            let number = e.finding.number.clone().unwrap_or_default();
            let used = 4 + unicode_width::UnicodeWidthStr::width(number.as_str());
            let text = super::fit(&e.finding.description.replace('\n', " "), (left.width as usize).saturating_sub(used + 1));
            ListItem::new(Line::from(vec![
                Span::raw(" "),
                mark(e.recheck.as_ref().map(|r| r.mark)),
                Span::raw(format!(" {number} ")),
                Span::raw(text),
            ]))
        })
        .collect();
    let list = List::new(items).highlight_style(Style::default().add_modifier(Modifier::REVERSED)).block(super::block(Borders::RIGHT));
    let mut state = ListState::default().with_selected(Some(v.selected));
    f.render_stateful_widget(list, left, &mut state);

    let Some(e) = v.current() else { return };
    let fd = &e.finding;
    let dim = Style::default().fg(Color::DarkGray);
    let deadline = fd.due_date().map(|d| d.to_string()).unwrap_or_else(|| fd.rect_type.label().to_string());
    let mut lines = vec![
        Line::from(vec![
            Span::styled(fd.number.clone().unwrap_or_default(), Style::default().bold()),
            Span::raw(format!(
                "  {}  {}  {} {}",
                fd.item.as_deref().unwrap_or(K::OtherItem.text()),
                fd.severity.label(),
                K::ColDeadline.text(),
                deadline
            )),
        ]),
        Line::from(fd.description.replace('\n', " ")),
        Line::from(vec![
            Span::styled(format!("{}：", K::ColStatus.text()), dim),
            Span::styled(fd.status.label().to_string(), Style::default().bold()),
            Span::styled(format!("  {}：", K::ColResponsible.text()), dim),
            Span::raw(fd.responsible_person.clone()),
        ]),
        Line::from(""),
        Line::from(Span::styled(K::RectRecord.text(), Style::default().bold())),
    ];
    let history = v.histories.get(v.selected).cloned().unwrap_or_default();
    if history.is_empty() {
        lines.push(Line::from(Span::styled("-", dim)));
    }
    lines.extend(history.into_iter().map(|h| Line::from(Span::styled(h, dim))));
    lines.push(Line::from(""));
    let m = e.recheck.as_ref().map(|r| r.mark);
    lines.push(Line::from(vec![
        Span::raw(format!("{}：", K::ColRecheck.text())),
        mark(m),
        Span::raw(format!(" {}", m.map_or("", |m| m.label()))),
    ]));
    if let Some(r) = &e.recheck {
        if !r.note.is_empty() {
            lines.push(Line::from(format!("{}：{}", K::RecheckSeen.text(), r.note.replace('\n', " "))));
        }
        if r.mark == Mark::Relapsed {
            lines.push(Line::from(Span::styled(
                K::RepeatOf.fill(&[&fd.number.clone().unwrap_or_default()]),
                Style::default().fg(Color::Red),
            )));
        }
    }
    let inner = Rect { x: right.x + 1, width: right.width.saturating_sub(1), ..right };
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
