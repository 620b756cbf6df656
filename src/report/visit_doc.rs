//! What the two documents of one visit read (the handover sheet and the per-branch report): the
//! round, the organisation, the visit with its verdicts and findings, the template and the audit
//! head, gathered once from the snapshot; and the words both print a finding with.

use super::Snapshot;
use super::words::{D, label};
use crate::domain::finding::RectType;
use crate::domain::{Finding, Org, RectStatus, Round, Template, Visit};
use crate::i18n::Lang;
use crate::service::Result;
use crate::service::rounds::VisitData;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use std::collections::HashMap;

/// One visit as its documents see it.
pub struct VisitFacts {
    pub round: Round,
    pub org: Org,
    /// The parent organisation's name (empty at the top of the tree).
    pub parent: String,
    pub visit: Visit,
    pub verdicts: HashMap<String, crate::domain::Verdict>,
    /// Occurrences counted on per-occurrence items.
    pub counts: HashMap<String, u32>,
    pub notes: HashMap<String, String>,
    /// Every finding of the visit, withdrawn ones included (the score leaves those out itself).
    pub all_findings: Vec<Finding>,
    /// The findings handed over: not withdrawn, numbered ones first by number, then as recorded.
    pub findings: Vec<Finding>,
    /// The visit's inspector, then whoever else recorded a finding, each once.
    pub inspectors: Vec<String>,
    pub template: Template,
    pub head: (u64, String),
    pub today: NaiveDate,
    pub lang: Lang,
}

impl VisitFacts {
    /// Whether anything was recorded: an arrival, a verdict, a note, a veto or a finding.
    pub fn recorded(&self) -> bool {
        self.visit.arrived_at.is_some()
            || !self.verdicts.is_empty()
            || !self.notes.is_empty()
            || !self.visit.vetoes.is_empty()
            || !self.all_findings.is_empty()
    }

    /// When the team was there: the arrival, else the day the document is made.
    pub fn when(&self) -> String {
        match self.visit.arrived_at {
            Some(t) => date_time(t, self.lang),
            None => day(self.today, self.lang),
        }
    }

    /// The day of the visit (the arrival's, else today), written out.
    pub fn visit_day(&self) -> String {
        day(self.visit.arrived_at.map_or(self.today, |t| t.date()), self.lang)
    }

    /// A finding's item: "C1.3 按期换届", or 其他 outside the checklist.
    pub fn item_text(&self, f: &Finding) -> String {
        match f.item.as_deref() {
            Some(id) => match self.template.item(id) {
                Some(item) => D::ItemWithText.fill_in(self.lang, &[&id, &item.text]),
                None => id.to_string(),
            },
            None => D::OtherItem.text_in(self.lang).to_string(),
        }
    }
}

/// Reads one visit of `round` for its documents.
pub fn gather(snap: &dyn Snapshot, round: &Round, org: &str, today: NaiveDate, lang: Lang) -> Result<VisitFacts> {
    let VisitData { org, visit, verdicts, counts, notes, findings } = snap.visit_data(round.id, org)?;
    let parent = match &org.parent {
        Some(code) => snap.org(code)?.map_or_else(|| code.clone(), |o| o.name),
        None => String::new(),
    };
    let mut live: Vec<Finding> = findings.iter().filter(|f| f.status != RectStatus::Withdrawn).cloned().collect();
    live.sort_by(|a, b| {
        (a.number.is_none(), a.number.as_deref(), a.created_at, a.id).cmp(&(b.number.is_none(), b.number.as_deref(), b.created_at, b.id))
    });
    let mut inspectors: Vec<String> = Vec::new();
    for name in std::iter::once(visit.inspector.as_str()).chain(live.iter().map(|f| f.created_by.as_str())) {
        let name = name.trim();
        if !name.is_empty() && !inspectors.iter().any(|n| n == name) {
            inspectors.push(name.to_string());
        }
    }
    Ok(VisitFacts {
        template: snap.template_of(round)?,
        head: snap.audit_head()?,
        round: round.clone(),
        org,
        parent,
        visit,
        verdicts,
        counts,
        notes,
        all_findings: findings,
        findings: live,
        inspectors,
        today,
        lang,
    })
}

/// "2026年11月22日" (zh) or "2026-11-22" (en).
pub fn day(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.to_string(),
    }
}

/// "2026年10月1日 09:30" (zh) or "2026-10-01 09:30" (en).
pub fn date_time(t: NaiveDateTime, lang: Lang) -> String {
    format!("{} {:02}:{:02}", day(t.date(), lang), t.hour(), t.minute())
}

/// The deadline as handed over: 立行立改 (by its day if one was set), 长期整改, or the day.
pub fn deadline_text(f: &Finding, lang: Lang) -> String {
    match (f.rect_type, f.deadline) {
        (RectType::Immediate, Some(d)) => D::ImmediateBy.fill_in(lang, &[&day(d, lang)]),
        (RectType::Immediate, None) | (RectType::LongTerm, _) => label(f.rect_type, lang).to_string(),
        (RectType::ByDeadline, Some(d)) => day(d, lang),
        (RectType::ByDeadline, None) => D::Dash.text_in(lang).to_string(),
    }
}

/// "村党支部／王书记", whichever of the two is given, or "-".
pub fn responsible(f: &Finding, lang: Lang) -> String {
    let parts: Vec<&str> = [f.responsible_unit.trim(), f.responsible_person.trim()].into_iter().filter(|p| !p.is_empty()).collect();
    if parts.is_empty() { D::Dash.text_in(lang).to_string() } else { parts.join("／") }
}

/// The problem number, or 待审核 before the supervisor approves it.
pub fn number(f: &Finding, lang: Lang) -> String {
    f.number.clone().unwrap_or_else(|| D::PendingNumber.text_in(lang).to_string())
}

/// A text the inspector may have left empty, or "-".
pub fn or_dash(text: &str, lang: Lang) -> String {
    if text.trim().is_empty() { D::Dash.text_in(lang).to_string() } else { text.trim().to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::finding::Finding;

    #[test]
    fn deadlines_read_as_handed_over() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let mut f = Finding::sample(RectStatus::Pending, Some(d));
        assert_eq!(deadline_text(&f, Lang::Zh), "2026年11月25日");
        f.rect_type = RectType::Immediate;
        assert_eq!(deadline_text(&f, Lang::Zh), "立行立改（2026年11月25日前）");
        f.deadline = None;
        assert_eq!(deadline_text(&f, Lang::Zh), "立行立改");
        f.rect_type = RectType::LongTerm;
        assert_eq!(deadline_text(&f, Lang::En), "long term");
        assert_eq!(responsible(&f, Lang::Zh), "-");
        f.responsible_person = "王书记".into();
        assert_eq!(responsible(&f, Lang::Zh), "王书记");
        f.responsible_unit = "柳河村党支部".into();
        assert_eq!(responsible(&f, Lang::Zh), "柳河村党支部／王书记");
        assert_eq!(number(&f, Lang::Zh), "待审核");
    }
}
