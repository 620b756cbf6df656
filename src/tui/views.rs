//! The list screens' state: rounds, a round's dashboard, a visit's checklist walk.

use super::field::TextField;
use crate::domain::scoring::Score;
use crate::domain::vocab::Vocab;
use crate::domain::{Field, Finding, ItemResult, Org, Round, Template, Visit, VisitStatus};
use crate::service::review::QueueRow;
use crate::service::rounds::{OrgRow, RoundRow};
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};
use pinyin::ToPinyin;
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct RoundsView {
    pub rows: Vec<RoundRow>,
    pub selected: usize,
}

#[derive(Debug, Clone)]
pub struct DashboardView {
    pub round: Round,
    pub rows: Vec<OrgRow>,
    /// Pinyin initials of each row's name, for search: 红旗村党支部 → hqcdzb.
    pub initials: Vec<String>,
    /// Full pinyin of each row's name: 红旗村党支部 → hongqicundangzhibu.
    pub pinyin: Vec<String>,
    /// What the search matches, per row, kept once: name, code, initials, full pinyin.
    keys: Vec<[Utf32String; 4]>,
    /// The county-level area of each row, for the area filter.
    areas: Vec<String>,
    /// The rows that pass the filters (before the search), in order.
    filtered: Vec<usize>,
    /// The rows shown: `filtered` narrowed by the search, best matches first. Computed when a
    /// filter or the search text changes, never while drawing.
    shown: Vec<usize>,
    /// The searches of the text being typed, each a prefix of the next, with their rows: a
    /// letter more narrows the last one; Backspace finds the shorter text's rows again.
    trail: Vec<(String, Vec<usize>)>,
    pub selected: usize,
    pub status: Option<VisitStatus>,
    pub field: Option<Field>,
    pub area: Option<String>,
    pub query: String,
    /// The search box while it is open.
    pub search: Option<TextField>,
}

pub fn initials(s: &str) -> String {
    s.chars().zip(s.to_pinyin()).map(|(c, p)| p.map_or(c.to_ascii_lowercase(), |p| p.first_letter().chars().next().unwrap_or(c))).collect()
}

/// The whole pinyin without tones, other characters as they are (lower case).
pub fn full_pinyin(s: &str) -> String {
    s.chars().zip(s.to_pinyin()).map(|(c, p)| p.map_or_else(|| c.to_lowercase().to_string(), |p| p.plain().to_string())).collect()
}

/// The area path without the city, which every row shares: "东山县 / 城关镇".
pub fn area_short(path: &str) -> String {
    match path.split_once(" / ") {
        Some((_, rest)) => rest.to_string(),
        None => path.to_string(),
    }
}

/// The county-level part of an area path ("清河市 / 东山县 / 城关镇" → "东山县").
pub fn area_key(path: &str) -> String {
    let parts: Vec<&str> = path.split(" / ").collect();
    parts.get(1).or(parts.first()).map_or(String::new(), |s| s.to_string())
}

impl DashboardView {
    pub fn new(round: Round, rows: Vec<OrgRow>) -> DashboardView {
        let mut d = DashboardView {
            round,
            rows: Vec::new(),
            initials: Vec::new(),
            pinyin: Vec::new(),
            keys: Vec::new(),
            areas: Vec::new(),
            filtered: Vec::new(),
            shown: Vec::new(),
            trail: Vec::new(),
            selected: 0,
            status: None,
            field: None,
            area: None,
            query: String::new(),
            search: None,
        };
        d.set_rows(rows);
        d
    }

    /// New rows for the same round (after a write), keeping the filters, the search and the
    /// selection.
    pub fn set_rows(&mut self, rows: Vec<OrgRow>) {
        self.initials = rows.iter().map(|r| initials(&r.org.name)).collect();
        self.pinyin = rows.iter().map(|r| full_pinyin(&r.org.name)).collect();
        self.keys = rows
            .iter()
            .zip(self.initials.iter().zip(&self.pinyin))
            .map(|(r, (i, p))| {
                [
                    Utf32String::from(r.org.name.as_str()),
                    Utf32String::from(r.org.code.as_str()),
                    Utf32String::from(i.as_str()),
                    Utf32String::from(p.as_str()),
                ]
            })
            .collect();
        self.areas = rows.iter().map(|r| area_key(&r.area)).collect();
        self.rows = rows;
        self.refilter();
    }

    /// The filters changed: which rows pass them, then the search over those.
    fn refilter(&mut self) {
        self.filtered = (0..self.rows.len())
            .filter(|i| {
                let r = &self.rows[*i];
                self.status.is_none_or(|s| r.visit.status == s)
                    && self.field.is_none_or(|f| r.org.field == Some(f))
                    && self.area.as_ref().is_none_or(|a| &self.areas[*i] == a)
            })
            .collect();
        self.trail.clear();
        self.research();
    }

    /// The search text changed: the rows shown, best matches first (ties in list order). A text
    /// that only grew looks among the rows the shorter one matched (a fuzzy match of the longer
    /// text is a match of the shorter one); a text cut back to an earlier one takes its rows.
    fn research(&mut self) {
        let q = self.query.trim().to_string();
        while self.trail.last().is_some_and(|(t, _)| !q.starts_with(t.as_str())) {
            self.trail.pop();
        }
        if q.is_empty() {
            self.shown = self.filtered.clone();
        } else if let Some((_, rows)) = self.trail.last().filter(|(t, _)| *t == q) {
            self.shown = rows.clone();
        } else {
            let candidates = self.trail.last().map_or_else(|| self.filtered.clone(), |(_, rows)| rows.clone());
            // Case never matters: HQC finds 红旗村 as hqc does.
            let pattern = Pattern::new(&q, CaseMatching::Ignore, Normalization::Smart, AtomKind::Fuzzy);
            let mut matcher = Matcher::new(Config::DEFAULT);
            let mut scored: Vec<(u32, usize)> = candidates
                .into_iter()
                .filter_map(|i| self.keys[i].iter().filter_map(|k| pattern.score(k.slice(..), &mut matcher)).max().map(|s| (s, i)))
                .collect();
            // Ties in list order, whatever order the candidates came in.
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            self.shown = scored.into_iter().map(|(_, i)| i).collect();
            self.trail.push((q, self.shown.clone()));
        }
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
    }

    /// The search text as typed.
    pub fn set_query(&mut self, query: String) {
        self.query = query;
        self.selected = 0;
        self.research();
    }

    /// Indices of the rows that pass the filters, best search matches first when searching.
    pub fn visible(&self) -> &[usize] {
        &self.shown
    }

    pub fn selected_row(&self) -> Option<&OrgRow> {
        self.shown.get(self.selected).map(|i| &self.rows[*i])
    }

    pub fn cycle_status(&mut self) {
        let all = VisitStatus::ALL;
        self.status = match self.status {
            None => Some(all[0]),
            Some(s) => all.iter().position(|x| *x == s).and_then(|i| all.get(i + 1)).copied(),
        };
        self.selected = 0;
        self.refilter();
    }

    pub fn cycle_field(&mut self) {
        let mut present: Vec<Field> = Field::ALL.iter().copied().filter(|f| self.rows.iter().any(|r| r.org.field == Some(*f))).collect();
        present.dedup();
        self.field = match self.field {
            None => present.first().copied(),
            Some(f) => present.iter().position(|x| *x == f).and_then(|i| present.get(i + 1)).copied(),
        };
        self.selected = 0;
        self.refilter();
    }

    pub fn cycle_area(&mut self) {
        let mut areas: Vec<String> = self.areas.clone();
        areas.sort();
        areas.dedup();
        self.area = match &self.area {
            None => areas.first().cloned(),
            Some(a) => areas.iter().position(|x| x == a).and_then(|i| areas.get(i + 1)).cloned(),
        };
        self.selected = 0;
        self.refilter();
    }
}

#[derive(Debug, Clone)]
pub struct VisitView {
    pub round: Round,
    pub template: Template,
    pub org: Org,
    pub area: String,
    pub visit: Visit,
    pub results: HashMap<String, ItemResult>,
    pub findings: Vec<Finding>,
    pub score: Score,
    /// The applicable items, in template order: (category index, item id).
    pub items: Vec<(usize, String)>,
    pub selected: usize,
    /// The note being edited, if any (or the count of occurrences, while `counting`).
    pub note: Option<TextField>,
    /// A path being typed: the file to attach to the finding (its id and how it is named).
    pub prompt: Option<(crate::domain::Id, String, super::complete::PathPrompt)>,
    /// The editor holds the item's count of occurrences, not its note.
    pub counting: bool,
    /// When the visit was opened on screen: the arrival time defaults to it.
    pub opened_at: Option<chrono::NaiveDateTime>,
    /// Opened from the supervisor's review: read only whatever the visit's status.
    pub reviewing: bool,
}

impl VisitView {
    /// Why nothing on this visit may be changed here, or None when the inspector may edit it.
    pub fn read_only(&self) -> Option<String> {
        use crate::i18n::K;
        match self.visit.status {
            VisitStatus::Submitted => Some(K::ReadOnlySubmitted.text().to_string()),
            VisitStatus::Approved => Some(K::ReadOnlyApproved.fill(&[&self.visit.reviewed_by.as_deref().unwrap_or("-")])),
            _ if self.reviewing => Some(K::ReadOnlyReview.text().to_string()),
            _ => None,
        }
    }

    /// The score again from what the screen holds (after one item's verdict changed).
    pub fn rescore(&mut self, today: chrono::NaiveDate) {
        let verdicts: HashMap<String, crate::domain::Verdict> =
            self.results.iter().filter_map(|(k, r)| r.verdict.map(|v| (k.clone(), v))).collect();
        let counts: HashMap<String, u32> = self.results.iter().filter_map(|(k, r)| r.count.map(|n| (k.clone(), n))).collect();
        self.score = crate::domain::scoring::score(&crate::domain::scoring::Inputs {
            template: &self.template,
            field: self.org.field,
            verdicts: &verdicts,
            counts: &counts,
            findings: &self.findings,
            vetoed: !self.visit.vetoes.is_empty(),
            today,
        });
    }

    /// The findings of an item (None: those outside the checklist) that still count.
    pub fn live_findings(&self, item: Option<&str>) -> Vec<&Finding> {
        self.item_findings(item).into_iter().filter(|f| crate::domain::rules::live(f)).collect()
    }
    /// The occurrences counted on an item, if any.
    pub fn count_of(&self, item: &str) -> Option<u32> {
        self.results.get(item).and_then(|r| r.count)
    }
    pub fn item_id(&self) -> Option<&str> {
        self.items.get(self.selected).map(|(_, id)| id.as_str())
    }

    pub fn item(&self) -> Option<&crate::domain::Item> {
        self.item_id().and_then(|id| self.template.item(id))
    }

    pub fn note_of(&self, item: &str) -> String {
        self.results.get(item).map(|r| r.note.clone()).unwrap_or_default()
    }

    pub fn verdict_of(&self, item: &str) -> Option<crate::domain::Verdict> {
        self.results.get(item).and_then(|r| r.verdict)
    }

    /// The next item after the selected one with no verdict, wrapping around.
    pub fn next_unanswered(&self) -> Option<usize> {
        let n = self.items.len();
        (1..=n).map(|d| (self.selected + d) % n).find(|i| self.verdict_of(&self.items[*i].1).is_none())
    }

    pub fn item_findings(&self, item: Option<&str>) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.item.as_deref() == item).collect()
    }
}

/// Submitted visits waiting for a supervisor.
#[derive(Debug, Clone, Default)]
pub struct QueueView {
    pub rows: Vec<QueueRow>,
    pub selected: usize,
}

/// One submitted visit under review: its findings, one at a time.
#[derive(Debug, Clone)]
pub struct ReviewView {
    pub visit: VisitView,
    /// For each finding (same order as `visit.findings`), the earlier problem it repeats.
    pub repeats: Vec<Option<String>>,
    pub selected: usize,
}

impl ReviewView {
    pub fn finding(&self) -> Option<&Finding> {
        self.visit.findings.get(self.selected)
    }
}

/// The rectification board: official findings under the board's filter (the same rows the
/// export writes), and what the filters may cycle through.
#[derive(Debug, Clone, Default)]
pub struct BoardView {
    pub rows: Vec<crate::report::rectification::RectRow>,
    pub filter: crate::report::rectification::Filter,
    /// The filter's area as a name, for the screen.
    pub area_name: Option<String>,
    pub sort_area: bool,
    pub selected: usize,
    pub quarters: Vec<crate::domain::Quarter>,
    /// (id, title) of the rounds with official findings.
    pub rounds: Vec<(crate::domain::Id, String)>,
    pub areas: Vec<(String, String)>,
    pub fields: Vec<Field>,
    /// The office's escalation thresholds (`[escalation]` in config.toml).
    pub thresholds: crate::domain::escalation::Thresholds,
    /// A path being typed: the file to attach to the problem numbered.
    pub prompt: Option<(String, super::complete::PathPrompt)>,
}

impl BoardView {
    /// A row's rung on the escalation ladder, while it is open (domain::escalation).
    pub fn rung(&self, r: &crate::report::rectification::RectRow) -> Option<crate::domain::escalation::Rung> {
        crate::domain::escalation::rung_over(-r.days_left?, r.repeat, &self.thresholds)
    }

    pub fn selected_row(&self) -> Option<&crate::report::rectification::RectRow> {
        self.rows.get(self.selected)
    }

    /// The rows in display order: the highest rung of the escalation ladder first, then by
    /// deadline (soonest first); or by area, then the same.
    pub fn sort(&mut self) {
        let mut rows = std::mem::take(&mut self.rows);
        let key = |r: &crate::report::rectification::RectRow| {
            (std::cmp::Reverse(self.rung(r)), r.deadline.unwrap_or(chrono::NaiveDate::MAX), r.number.clone())
        };
        if self.sort_area {
            rows.sort_by(|a, b| a.area.cmp(&b.area).then(key(a).cmp(&key(b))));
        } else {
            rows.sort_by_cached_key(key);
        }
        self.rows = rows;
    }
}

/// Cycles an optional choice through `all`: None → first → … → last → None.
pub fn cycle<T: Clone + PartialEq>(cur: &Option<T>, all: &[T]) -> Option<T> {
    match cur {
        None => all.first().cloned(),
        Some(c) => all.iter().position(|x| x == c).and_then(|i| all.get(i + 1)).cloned(),
    }
}

/// The statistics of one quarter and area.
#[derive(Debug, Clone)]
pub struct StatsView {
    pub bulletin: crate::report::bulletin::Bulletin,
    pub rect: Vec<(String, usize)>,
    pub quarters: Vec<crate::domain::Quarter>,
    pub areas: Vec<(String, String)>,
    pub area: Option<(String, String)>,
}

/// What a path prompt on the 同步 screen is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathFor {
    /// A bundle for the member named (everyone's changes without one).
    Export(Option<String>),
    Import,
}

/// The team's exchange: each member with what is pending, a path being typed, and what the
/// last import did.
#[derive(Debug, Clone, Default)]
pub struct SyncView {
    /// The team's name; None for a laptop in no team.
    pub team: Option<String>,
    pub rows: Vec<crate::service::sync::PeerRow>,
    pub selected: usize,
    /// Fields in conflict, waiting for a reviewer.
    pub conflicts: usize,
    pub prompt: Option<(PathFor, super::complete::PathPrompt)>,
    /// What the last import did, or why it was refused (true).
    pub report: Option<(Vec<String>, bool)>,
    /// Where a bundle is suggested to be written (the exports folder), and the folder an import
    /// starts from (where the program was started).
    pub export_dir: String,
    pub import_dir: String,
}

/// The fields in conflict, and the value chosen in the selected one.
#[derive(Debug, Clone, Default)]
pub struct ConflictsView {
    pub rows: Vec<crate::service::conflicts::ConflictRow>,
    pub selected: usize,
    /// The value picked in the selected conflict (from 0).
    pub take: usize,
}

impl ConflictsView {
    pub fn row(&self) -> Option<&crate::service::conflicts::ConflictRow> {
        self.rows.get(self.selected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_initials_of_chinese_names() {
        assert_eq!(initials("红旗村党支部"), "hqcdzb");
        assert_eq!(initials("A1党支部"), "a1dzb");
        assert_eq!(full_pinyin("红旗村A1"), "hongqicuna1");
    }

    #[test]
    fn area_key_is_the_county() {
        assert_eq!(area_key("清河市 / 东山县 / 城关镇"), "东山县");
        assert_eq!(area_key("清河市"), "清河市");
    }
}

/// A finding's rectification steps as the board's history shows them, oldest first: each move,
/// each notice issued, each look-back's finding; a step that reported the fix done and that a
/// look-back found not done is flagged. `titles` names the rounds.
pub fn rect_history(f: &crate::domain::Finding, titles: &std::collections::HashMap<crate::domain::Id, String>) -> Vec<String> {
    use crate::domain::lookback::Mark;
    use crate::domain::vocab::Vocab;
    use crate::i18n::K;
    let flagged: Vec<(chrono::NaiveDate, &str)> = f
        .rect
        .updates
        .iter()
        .filter_map(|u| u.recheck.as_ref().filter(|r| r.mark == Mark::NotDone).and_then(|r| r.flags_on.map(|on| (on, r.flags_by.as_str()))))
        .collect();
    f.rect
        .updates
        .iter()
        .map(|u| {
            let mut line = format!("{}  {}  ", u.on, u.by);
            if let Some(n) = &u.notice {
                let fix_by = n.fix_by.map(|d| d.to_string()).unwrap_or_default();
                line.push_str(&K::NoticeStep.fill(&[&n.level.label(), &n.number, &fix_by]));
            } else if let Some(r) = &u.recheck {
                let round = titles.get(&r.round).cloned().unwrap_or_else(|| r.round.short());
                line.push_str(&K::RecheckStep.fill(&[&round, &r.mark.label()]));
                if u.is_move() {
                    line.push_str(&format!("  {} → {}", u.from.label(), u.to.label()));
                }
                if let Some(on) = r.flags_on {
                    line.push_str(&K::RecheckFlags.fill(&[&on, &r.flags_by]));
                }
            } else {
                line.push_str(&format!("{} → {}", u.from.label(), u.to.label()));
                if u.to == crate::domain::RectStatus::AwaitingAcceptance && flagged.contains(&(u.on, u.by.as_str())) {
                    line.push_str(K::RecheckClaimFlagged.text());
                }
            }
            if let Some(d) = u.deadline_to {
                line.push_str(&format!("  {} {}", K::FieldNewDeadline.text(), d));
            }
            if !u.note.is_empty() {
                line.push_str(&format!("  {}", u.note));
            }
            if !u.evidence.is_empty() {
                line.push_str(&format!("  [{}]", u.evidence));
            }
            if !u.attachments.is_empty() {
                let files: Vec<String> = u.attachments.iter().map(|a| format!("{} {}", a.short_id(), a.name)).collect();
                line.push_str(&format!("  {}", K::HistoryFiles.fill(&[&files.join("、")])));
            }
            line
        })
        .collect()
}

/// A look-back (回头看) visit: the organisation's earlier problems, each with its record and the
/// mark this visit gives it.
#[derive(Debug, Clone)]
pub struct LookbackView {
    pub round: Round,
    pub org: Org,
    pub area: String,
    pub visit: Visit,
    pub earlier: Vec<crate::service::lookback::Earlier>,
    /// Each earlier problem's rectification history, as the board shows it.
    pub histories: Vec<Vec<String>>,
    pub selected: usize,
    /// When the visit was opened on screen: the arrival time defaults to it.
    pub opened_at: Option<chrono::NaiveDateTime>,
    /// Opened from the supervisor's review: read only whatever the visit's status.
    pub reviewing: bool,
}

impl LookbackView {
    pub fn current(&self) -> Option<&crate::service::lookback::Earlier> {
        self.earlier.get(self.selected)
    }

    /// Why nothing may be changed, or None while the inspector may mark.
    pub fn read_only(&self) -> Option<String> {
        use crate::i18n::K;
        match self.visit.status {
            VisitStatus::Submitted => Some(K::ReadOnlySubmitted.text().to_string()),
            VisitStatus::Approved => Some(K::ReadOnlyApproved.fill(&[&self.visit.reviewed_by.as_deref().unwrap_or("-")])),
            _ if self.reviewing => Some(K::ReadOnlyReview.text().to_string()),
            _ => None,
        }
    }

    /// Marked so far, of all.
    pub fn progress(&self) -> (usize, usize) {
        (self.earlier.iter().filter(|e| e.recheck.is_some()).count(), self.earlier.len())
    }
}
