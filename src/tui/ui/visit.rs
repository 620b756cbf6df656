//! The visit: categories and items on the left, the item with its verdict, note and findings on
//! the right, the live score on top.

use crate::domain::Verdict;
use crate::domain::vocab::Vocab;
use crate::i18n::K;
use crate::template::fmt_points;
use crate::tui::views::VisitView;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Borders, List, ListItem, ListState, Paragraph, Wrap};

/// One ASCII mark per verdict: unambiguous in width on every terminal.
fn mark(v: Option<Verdict>) -> Span<'static> {
    match v {
        Some(Verdict::Meets) => Span::styled("Y", Style::default().fg(Color::Green)),
        Some(Verdict::Fails) => Span::styled("N", Style::default().fg(Color::Red).bold()),
        Some(Verdict::Partly) => Span::styled("P", Style::default().fg(Color::Yellow)),
        Some(Verdict::NotApplicable) => Span::styled("X", Style::default().fg(Color::DarkGray)),
        None => Span::raw("."),
    }
}

/// What follows a visit's status on its top line: the supervisor's comment when it was returned,
/// else a reminder while the arrival is missing (the checklist and the look-back alike).
pub(super) fn state_after(visit: &crate::domain::Visit) -> Option<Span<'static>> {
    if visit.status == crate::domain::VisitStatus::Returned && !visit.return_comment.is_empty() {
        Some(Span::styled(format!("  {}：{}", K::ReturnComment.text(), visit.return_comment), Style::default().fg(Color::Red).bold()))
    } else if visit.arrived_at.is_none() {
        Some(Span::styled(format!("  {}", K::ArrivalMissing.text()), Style::default().fg(Color::DarkGray)))
    } else {
        None
    }
}

pub fn visit(f: &mut Frame, area: Rect, v: &VisitView, keys: &crate::tui::keymap::Keymap) {
    // A closed record says so above everything else, with who can change it.
    let banner = v.read_only();
    let prompt_h = v.prompt.as_ref().map_or(0, |(_, _, p)| super::sync::prompt_height(p, area.width as usize));
    let [top, notice, main, prompt] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(u16::from(banner.is_some())),
        Constraint::Min(1),
        Constraint::Length(prompt_h),
    ])
    .areas(area);
    if let Some((_, label, p)) = &v.prompt {
        super::sync::path_prompt(f, prompt, K::VisitAttachTo.fill(&[label]), p, keys);
    }
    if let Some(text) = banner {
        f.render_widget(Paragraph::new(Span::styled(text, Style::default().fg(Color::Yellow).bold())), notice);
    }
    let s = &v.score;
    let mut spans = super::score_spans(s);
    spans.push(Span::raw(format!("  {} {}/{}  ", K::Progress.text(), s.answered, s.applicable)));
    spans.push(Span::raw(v.visit.status.label()));
    if s.veto {
        spans.push(Span::styled(format!("  {}", K::Vetoed.text()), Style::default().fg(Color::Red).bold()));
    }
    spans.extend(state_after(&v.visit));
    f.render_widget(Paragraph::new(Line::from(spans)), top);

    let left_width = (main.width * 2 / 5).clamp(24, 48);
    let [left, right] = Layout::horizontal([Constraint::Length(left_width), Constraint::Min(20)]).areas(main);

    // Left: category headers with their health, then their items.
    let mut items: Vec<ListItem> = Vec::new();
    let mut selected_row = 0;
    let mut last_cat = usize::MAX;
    for (i, (ci, id)) in v.items.iter().enumerate() {
        if *ci != last_cat {
            last_cat = *ci;
            let c = &v.template.categories[*ci];
            let health = s.categories.get(*ci).and_then(|c| c.health());
            let health = health.map_or_else(|| crate::domain::scoring::UNKNOWN.to_string(), |h| format!("{:.0}%", h * 100.0));
            items.push(ListItem::new(Line::from(vec![
                Span::styled(c.name.clone(), Style::default().bold()),
                Span::styled(format!(" {health}"), Style::default().fg(Color::DarkGray)),
            ])));
        }
        if i == v.selected {
            selected_row = items.len();
        }
        let text = v.template.item(id).map_or(String::new(), |it| it.text.clone());
        let nf = v.live_findings(Some(id)).len();
        let count = if nf > 0 { format!("!{nf} ") } else { String::new() };
        // Occurrences counted (×3) and the veto gates set at this item (V3), before its text.
        let times = v.count_of(id).map_or(String::new(), |n| format!("x{n} "));
        let gates: String =
            v.template.gates_of(id).filter(|g| v.visit.vetoes.iter().any(|m| m.id == g.id)).map(|g| format!("{} ", g.id)).collect();
        // The item's text in what is left of the line, marked where it is cut (the border takes one).
        let used = 2 + unicode_width::UnicodeWidthStr::width(format!(" {id} {count}{times}{gates}").as_str());
        let text = super::fit(&text, (left.width as usize).saturating_sub(used + 1));
        let mut spans = vec![Span::raw(" "), mark(v.verdict_of(id)), Span::raw(format!(" {id} "))];
        if nf > 0 {
            spans.push(Span::styled(count, Style::default().fg(Color::Red)));
        }
        if !times.is_empty() {
            spans.push(Span::styled(times, Style::default().fg(Color::Yellow)));
        }
        if !gates.is_empty() {
            spans.push(Span::styled(gates, Style::default().fg(Color::Red).bold()));
        }
        spans.push(Span::raw(text));
        items.push(ListItem::new(Line::from(spans)));
    }
    let list = List::new(items).highlight_style(Style::default().add_modifier(Modifier::REVERSED)).block(super::block(Borders::RIGHT));
    let mut state = ListState::default().with_selected(Some(selected_row));
    f.render_stateful_widget(list, left, &mut state);

    // Right: the selected item.
    let Some(item) = v.item() else { return };
    let verdict = v.verdict_of(&item.id);
    let methods = item.methods.iter().map(|m| m.label()).collect::<Vec<_>>().join("/");
    let mut lines = vec![
        Line::from(vec![
            Span::styled(item.id.clone(), Style::default().bold()),
            Span::raw(format!("  {} {}  {}  {}", fmt_points(item.points), K::PointsUnit.text(), methods, item.severity.label())),
        ]),
        Line::from(item.text.clone()),
        Line::from(""),
        Line::from(vec![
            Span::styled(format!("{}：", K::Guidance.text()), Style::default().fg(Color::DarkGray)),
            Span::raw(item.guidance.clone()),
        ]),
        Line::from(""),
        Line::from(vec![
            Span::raw(format!("{}：", K::ColVerdict.text())),
            mark(verdict),
            Span::raw(format!(" {}", verdict.map_or("", |v| v.label()))),
        ]),
    ];
    let note_label = format!("{}：", K::ColNote.text());
    let count_label = format!("{}：", K::CountLabel.text());
    let mut note_row = lines.len() as u16;
    let editing_note = v.note.is_some() && !v.counting;
    lines.push(Line::from(vec![Span::raw(note_label.clone()), Span::raw(if editing_note { String::new() } else { v.note_of(&item.id) })]));
    // A per-occurrence item: how many, and what they deduct under the template's rule.
    if let Some(per) = item.per_occurrence {
        let counted = v.count_of(&item.id);
        let rule = match counted {
            Some(_) => {
                let deducted = item.deduction(verdict, counted, v.template.partial_deduction);
                K::CountRule.fill(&[&fmt_points(per), &fmt_points(item.max_deduction()), &fmt_points(deducted)])
            }
            None => K::CountRuleOnly.fill(&[&fmt_points(per), &fmt_points(item.max_deduction())]),
        };
        if v.counting {
            note_row = lines.len() as u16;
        }
        let shown = if v.counting { String::new() } else { counted.map_or(String::new(), |n| format!("{n}  ")) };
        lines.push(Line::from(vec![
            Span::raw(count_label.clone()),
            Span::raw(shown),
            Span::styled(if v.counting { String::new() } else { rule }, Style::default().fg(Color::DarkGray)),
        ]));
    }
    // The veto gates this item triggers, set or not.
    for g in v.template.gates_of(&item.id) {
        let set = v.visit.vetoes.iter().find(|m| m.id == g.id);
        let state = set.map_or_else(|| K::GateNotSet.text().to_string(), |m| K::GateSet.fill(&[&m.reason]));
        let style = if set.is_some() { Style::default().fg(Color::Red).bold() } else { Style::default().fg(Color::DarkGray) };
        lines.push(Line::from(vec![
            Span::styled(format!("{}  ", K::GateAtItem.fill(&[&g.id, &g.text])), style),
            Span::styled(state, style),
        ]));
    }
    lines.push(Line::from(""));
    let found = v.item_findings(Some(&item.id));
    lines.push(Line::from(Span::styled(K::Findings.text(), Style::default().bold())));
    if found.is_empty() {
        lines.push(Line::from(Span::styled(K::NoFindings.text(), Style::default().fg(Color::DarkGray))));
    }
    for (n, fd) in found.iter().enumerate() {
        // A withdrawn finding stays visible, marked, so the record shows what happened to it.
        if !crate::domain::rules::live(fd) {
            lines.push(Line::from(Span::styled(
                format!("{}. [{}] {}", n + 1, fd.status.label(), fd.description.replace('\n', " ")),
                Style::default().fg(Color::DarkGray).add_modifier(Modifier::CROSSED_OUT),
            )));
            continue;
        }
        lines.push(Line::from(vec![
            Span::styled(format!("{}. [{}] ", n + 1, fd.severity.label()), Style::default().fg(Color::Red)),
            Span::raw(fd.description.replace('\n', " ")),
        ]));
        let deadline = fd.deadline.map(|d| d.to_string()).unwrap_or_default();
        lines.push(Line::from(Span::styled(
            format!("   {} {}  {} {}", fd.rect_type.label(), deadline, K::ColResponsible.text(), fd.responsible_person),
            Style::default().fg(Color::DarkGray),
        )));
        if let Some(n) = &fd.number {
            lines.push(Line::from(format!("   {}：{}  {}", K::ColNumber.text(), n, fd.status.label())));
        }
        // Its files, by short id and name.
        let files = crate::domain::evidence::of_finding(fd);
        if !files.is_empty() {
            let list: Vec<String> = files.iter().map(|(_, a)| format!("{} {}", a.short_id(), a.name)).collect();
            lines.push(Line::from(Span::styled(
                format!("   {}", K::HistoryFiles.fill(&[&list.join("、")])),
                Style::default().fg(Color::Cyan),
            )));
        }
        // The supervisor's comment, next to the finding it is about.
        if !fd.review_comment.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("   {}：{}", K::ReviewComment.text(), fd.review_comment),
                Style::default().fg(Color::Red),
            )));
        }
    }
    let others = v.live_findings(None);
    if !others.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(format!("{} ({})", K::OtherItem.text(), others.len()), Style::default().bold())));
        for fd in others {
            lines.push(Line::from(format!("[{}] {}", fd.severity.label(), fd.description.replace('\n', " "))));
        }
    }
    let inner = Rect { x: right.x + 1, width: right.width.saturating_sub(1), ..right };
    // The note editor sits on the note's line; wrapping above it would move that line, so the
    // lines before it are kept short by not wrapping while editing.
    let para = Paragraph::new(lines);
    let para = if v.note.is_some() { para } else { para.wrap(Wrap { trim: false }) };
    f.render_widget(para, inner);
    if let Some(note) = &v.note {
        let label = if v.counting { &count_label } else { &note_label };
        let x = inner.x + unicode_width::UnicodeWidthStr::width(label.as_str()) as u16;
        let field = Rect { x, y: inner.y + note_row, width: inner.width.saturating_sub(x - inner.x), height: 1 };
        note.draw(f, field, None);
    }
}
