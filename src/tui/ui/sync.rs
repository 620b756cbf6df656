//! The 同步 screen (the team's members with what is pending each way, a path prompt, what the
//! last import did) and the 冲突 screen (each field in conflict with its values).

use super::{block, fit, wrap_columns};
use crate::i18n::K;
use crate::service::conflicts::{self, value_text};
use crate::tui::keymap::{Act, Ctx, Keymap};
use crate::tui::views::{ConflictsView, PathFor, SyncView};
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Borders, Paragraph, Row, Table, TableState};
use unicode_width::UnicodeWidthStr;

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map_or_else(|| "-".into(), |t| t.with_timezone(&chrono::Local).format("%m-%d %H:%M").to_string())
}

/// Roles as the screen language says them: 检查员、审核员 or inspector, reviewer.
fn roles_text(roles: &[crate::domain::team::Role]) -> String {
    match crate::i18n::lang() {
        crate::i18n::Lang::Zh => roles.iter().map(|r| r.zh()).collect::<Vec<_>>().join("、"),
        crate::i18n::Lang::En => roles.iter().map(|r| r.word()).collect::<Vec<_>>().join(", "),
    }
}

fn hint(text: String) -> Paragraph<'static> {
    Paragraph::new(Span::styled(text, Style::default().fg(Color::DarkGray)))
}

pub fn sync(f: &mut Frame, area: Rect, v: &SyncView, keys: &Keymap) {
    let width = area.width.max(1) as usize;
    let report: Vec<Line> = v.report.as_ref().map_or_else(Vec::new, |(lines, refused)| {
        let style = if *refused { Style::default().fg(Color::Red).add_modifier(Modifier::BOLD) } else { Style::default().fg(Color::Green) };
        let title = if *refused { K::SyncImportRefused.text() } else { K::SyncImportReport.text() };
        let mut out = vec![Line::from(Span::styled(title, style))];
        out.extend(lines.iter().flat_map(|l| wrap_columns(l, width)).map(|l| Line::from(Span::styled(l, style))));
        out
    });
    let prompt_h = v.prompt.as_ref().map_or(0, |(_, p)| prompt_height(p, width));
    let [title, table, report_area, prompt_area, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(2),
        Constraint::Length(report.len() as u16),
        Constraint::Length(prompt_h),
        Constraint::Length(1),
    ])
    .areas(area);
    let k = |a: Act| keys.key_of(Ctx::Sync, a);
    let keys_line =
        K::SyncKeys.fill(&[&k(Act::ExportBundle), &k(Act::ExportBundleAll), &k(Act::ImportBundle), &k(Act::Conflicts), &v.conflicts]);
    f.render_widget(hint(keys_line), foot);
    f.render_widget(Paragraph::new(report), report_area);
    if let Some((what, p)) = &v.prompt {
        prompt(f, prompt_area, what, p, keys);
    }
    let Some(team) = &v.team else {
        let text = K::SyncNoTeam.fill(&[&k(Act::ImportBundle)]);
        let lines: Vec<Line> = wrap_columns(&text, width).into_iter().map(Line::from).collect();
        f.render_widget(
            Paragraph::new(lines).block(block(Borders::TOP)),
            Rect { y: title.y, height: title.height + table.height, ..title },
        );
        return;
    };
    f.render_widget(Paragraph::new(Span::raw(K::SyncTeam.fill(&[team])).bold()), title);
    let name = |r: &crate::service::sync::PeerRow| if r.me { format!("{}{}", r.name, K::BundleMe.text()) } else { r.name.clone() };
    let count = |r: &crate::service::sync::PeerRow, n: u64| if r.me { "-".to_string() } else { n.to_string() };
    let cells: Vec<[String; 6]> = v
        .rows
        .iter()
        .map(|r| [name(r), roles_text(&r.roles), count(r, r.to_send), count(r, r.to_receive), when(r.last_sent), when(r.last_received)])
        .collect();
    let titles = [
        K::WhoName.text(),
        K::WhoRoles.text(),
        K::BundleToSend.text(),
        K::BundleToReceive.text(),
        K::BundleLastSent.text(),
        K::BundleLastReceived.text(),
    ];
    let w = |i: usize| super::widest(titles[i], cells.iter().map(|c| c[i].as_str()));
    let widths = [
        Constraint::Length(w(0)),
        Constraint::Min(8),
        Constraint::Length(w(2)),
        Constraint::Length(w(3)),
        Constraint::Length(w(4)),
        Constraint::Length(w(5)),
    ];
    let cols = super::column_widths(table.width, &widths);
    let rows = cells.into_iter().map(|c| {
        let [n, roles, send, receive, sent, received] = c;
        Row::new([n, fit(&roles, cols[1]), send, receive, sent, received])
    });
    let t = Table::new(rows, widths)
        .header(Row::new(titles).bold())
        .row_highlight_style(Style::default().add_modifier(Modifier::REVERSED))
        .block(block(Borders::TOP));
    let mut state = TableState::default().with_selected(Some(v.selected));
    f.render_stateful_widget(t, table, &mut state);
}

/// The names a Tab left in question, as lines of `width` columns.
fn choices_lines(choices: &[String], width: usize) -> Vec<String> {
    if choices.is_empty() {
        return Vec::new();
    }
    wrap_columns(&choices.join("  "), width)
}

fn prompt(f: &mut Frame, area: Rect, what: &PathFor, p: &crate::tui::complete::PathPrompt, keys: &Keymap) {
    let title = match what {
        PathFor::Export(Some(name)) => K::SyncExportTo.fill(&[name]),
        PathFor::Export(None) => K::SyncExportAll.text().to_string(),
        PathFor::Import => K::SyncImportFrom.text().to_string(),
    };
    path_prompt(f, area, title, p, keys);
}

/// The rows a path prompt takes at `width`: its title, the field, and up to 4 lines of names.
pub fn prompt_height(p: &crate::tui::complete::PathPrompt, width: usize) -> u16 {
    2 + choices_lines(&p.choices, width).len().min(4) as u16
}

/// A path prompt under `title`: the keys that complete, run and close it, the field, and the
/// names a Tab left in question.
pub fn path_prompt(f: &mut Frame, area: Rect, title: String, p: &crate::tui::complete::PathPrompt, keys: &Keymap) {
    let [label, field, choices] = Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let k = |a: Act| keys.key_of(Ctx::Path, a);
    let keys_text = K::SyncPathKeys.fill(&[&k(Act::Complete), &k(Act::RunPath), &k(Act::Back)]);
    let gap = (label.width as usize).saturating_sub(title.width() + keys_text.width()).max(2);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(title, Style::default().fg(Color::Yellow).bold()),
            Span::raw(" ".repeat(gap)),
            Span::styled(keys_text, Style::default().fg(Color::DarkGray)),
        ])),
        label,
    );
    p.field.draw(f, field, Some(Style::default().add_modifier(Modifier::UNDERLINED)));
    let lines: Vec<Line> = choices_lines(&p.choices, choices.width.max(1) as usize).into_iter().take(4).map(Line::from).collect();
    f.render_widget(Paragraph::new(lines).style(Style::default().fg(Color::Cyan)), choices);
}

pub fn conflicts(f: &mut Frame, area: Rect, c: &ConflictsView, keys: &Keymap) {
    let [list, foot] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    if c.rows.is_empty() {
        f.render_widget(Paragraph::new(K::ConflictNone.text()).block(block(Borders::TOP)), list);
        return;
    }
    let k = |a: Act| keys.key_of(Ctx::Conflicts, a);
    f.render_widget(hint(K::ConflictsHint.fill(&[&k(Act::PrevOption), &k(Act::NextOption), &k(Act::Resolve)])), foot);
    let width = list.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    let mut span = (0, 0);
    for (i, r) in c.rows.iter().enumerate() {
        let selected = i == c.selected;
        let start = lines.len();
        // The field before the record: a long record is what gets cut.
        let head = format!("{}  {} {}  {}", r.id, K::ConflictField.text(), conflicts::field_text(&r.field), r.record);
        let head_style = if selected { Style::default().bold().fg(Color::Yellow) } else { Style::default().bold() };
        lines.push(Line::from(Span::styled(fit(&head, width), head_style)));
        for (n, x) in r.choices.iter().enumerate() {
            let at = x.at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M");
            let picked = selected && n == c.take;
            let mark = if picked { ">" } else { " " };
            let text = format!("{mark} {}. {}  （{}，{at}）", n + 1, value_text(&x.value), x.author);
            let line = Line::from(fit(&text, width));
            lines.push(if picked { line.style(Style::default().add_modifier(Modifier::REVERSED)) } else { line });
        }
        if selected {
            span = (start, lines.len());
        }
        lines.push(Line::from(""));
    }
    // The selected conflict in sight, its head first when it does not fit whole.
    let height = list.height as usize;
    let scroll = if span.1 > height { (span.1 - height).min(span.0) } else { 0 };
    f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), list);
}
