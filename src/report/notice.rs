//! The documents of the escalation ladder's two acting rungs: the 督办通知单 (supervision notice)
//! for problems past their deadline, and the 约谈通知 (notice of an admonition talk) for problems
//! long overdue or overdue repeats. One notice per organisation, each on its own page: the head
//! (who issues it, its number, to whom, the date), the problems with their responsible people, old
//! and new deadlines, what is asked, and lines to sign and to acknowledge receipt. Pure: the
//! facts come from the service, the document goes to a writer.

use super::doc::{Block, Document};
use super::visit_doc::{day, or_dash, responsible};
use super::words::{D, label};
use crate::domain::Finding;
use crate::domain::escalation::Rung;
use crate::i18n::Lang;
use chrono::NaiveDate;

/// One problem in a notice.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub finding: Finding,
    /// Its deadline (the date it is overdue from).
    pub due: NaiveDate,
    pub days_over: i64,
}

/// One organisation's notice.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgNotice {
    pub code: String,
    pub name: String,
    pub problems: Vec<Listed>,
}

/// What every notice of one issue shares.
#[derive(Debug, Clone, PartialEq)]
pub struct Notices {
    pub level: Rung,
    pub lang: Lang,
    /// Who issues it (the office's name), or empty: printed as a blank to fill in.
    pub office: String,
    /// The document's number (示组督〔2026〕3号) or empty.
    pub number: String,
    /// The day issued.
    pub date: NaiveDate,
    /// The day the state was judged on (usually the day issued).
    pub as_of: NaiveDate,
    /// The new date by which the problems are to be fixed.
    pub fix_by: NaiveDate,
    /// For a talk: when and where (blank lines to fill in when not given).
    pub when: String,
    pub place: String,
    pub orgs: Vec<OrgNotice>,
}

impl Notices {
    pub fn title(&self) -> String {
        self.level_title().to_string()
    }

    fn level_title(&self) -> &'static str {
        match self.level {
            Rung::Admonish | Rung::Accountability => D::NtTalkTitle.text_in(self.lang),
            Rung::Supervise | Rung::Remind => D::NtSuperviseTitle.text_in(self.lang),
        }
    }

    fn talk(&self) -> bool {
        matches!(self.level, Rung::Admonish | Rung::Accountability)
    }

    pub fn problem_count(&self) -> usize {
        self.orgs.iter().map(|o| o.problems.len()).sum()
    }
}

/// A blank to fill in by hand when a fact was not given.
fn or_blank(text: &str, lang: Lang) -> String {
    if text.trim().is_empty() { D::NtBlank.text_in(lang).to_string() } else { text.trim().to_string() }
}

/// The notices as one document: each organisation's on a new page.
pub fn document(n: &Notices) -> Document {
    let lang = n.lang;
    let t = |k: D| k.text_in(lang).to_string();
    let mut d = Document::new(&n.title()).in_lang(lang);
    d.date = Some(n.date);
    // Document::new heads the document with its title; each notice below carries its own.
    d.blocks.clear();
    let office = or_blank(&n.office, lang);
    for (i, org) in n.orgs.iter().enumerate() {
        if i > 0 {
            d.blocks.push(Block::PageBreak);
        }
        d.blocks.push(Block::Heading(1, n.title()));
        let (to_label, issuer_label) = if n.talk() { (D::NtTalkOrg, D::NtTalkIssuer) } else { (D::NtOrg, D::NtIssuer) };
        let mut head = vec![
            vec![t(issuer_label), office.clone(), t(D::NtNumber), or_blank(&n.number, lang)],
            vec![t(to_label), org.name.clone(), t(D::NtDate), day(n.date, lang)],
        ];
        if n.talk() {
            let mut people: Vec<String> = Vec::new();
            for p in &org.problems {
                let who = p.finding.responsible_person.trim();
                if !who.is_empty() && !people.iter().any(|x| x == who) {
                    people.push(who.to_string());
                }
            }
            let who = D::NtTalkWhoValue.fill_in(lang, &[&people.join(D::NameSep.text_in(lang))]);
            head.push(vec![t(D::NtTalkWho), who, t(D::NtTalkWhen), or_blank(&n.when, lang)]);
        }
        d.blocks.push(Block::Table { header: Vec::new(), rows: head });
        d.paragraph(D::ImmediateTo.fill_in(lang, &[&org.name]));
        let as_of = day(n.as_of, lang);
        let count = org.problems.len();
        d.paragraph(if n.talk() {
            D::NtTalkIntro.fill_in(lang, &[&as_of, &count])
        } else {
            D::NtSuperviseIntro.fill_in(lang, &[&as_of, &count])
        });
        let fix_by = day(n.fix_by, lang);
        let mut header =
            vec![D::ColSeq, D::ColNumber, D::ColDescription, D::ColSeverity, D::NtColOldDeadline, D::NtColOver, D::ColResponsibleBoth];
        header.push(if n.talk() { D::NtColReason } else { D::NtColOverseer });
        header.push(D::NtColNewDeadline);
        let rows = org
            .problems
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let f = &p.finding;
                let last = if n.talk() { reason(p, lang) } else { or_dash(&f.rect.overseer, lang) };
                vec![
                    (i + 1).to_string(),
                    f.number.clone().unwrap_or_default(),
                    f.description.trim().to_string(),
                    label(f.severity, lang).to_string(),
                    day(p.due, lang),
                    D::NtDays.fill_in(lang, &[&p.days_over.max(0)]),
                    responsible(f, lang),
                    last,
                    fix_by.clone(),
                ]
            })
            .collect();
        d.blocks.push(Block::Table { header: header.into_iter().map(t).collect(), rows });
        d.paragraph(if n.talk() {
            D::NtTalkRequest.fill_in(lang, &[&or_blank(&n.when, lang), &or_blank(&n.place, lang), &fix_by, &office])
        } else {
            D::NtSuperviseRequest.fill_in(lang, &[&fix_by, &office])
        });
        d.blocks.push(Block::Signatures(vec![t(issuer_label) + &t(D::NtSeal), t(D::NtReceived)]));
    }
    d
}

/// Why a problem is on the talk's list: how long overdue, and whether it repeats an earlier one.
fn reason(p: &Listed, lang: Lang) -> String {
    let over = D::NtOverBy.fill_in(lang, &[&p.days_over.max(0)]);
    match &p.finding.repeat_of {
        Some(of) => format!("{over}{}{}", D::NameSep.text_in(lang), D::NtRepeatOf.fill_in(lang, &[of])),
        None => over,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RectStatus;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn listed(number: &str, who: &str, over: i64, repeat: Option<&str>) -> Listed {
        let mut f = Finding::sample(RectStatus::InProgress, Some(d("2026-11-01")));
        f.number = Some(number.into());
        f.responsible_person = who.into();
        f.repeat_of = repeat.map(Into::into);
        f.rect.overseer = "张督促".into();
        Listed { finding: f, due: d("2026-11-01"), days_over: over }
    }

    fn notices(level: Rung) -> Notices {
        Notices {
            level,
            lang: Lang::Zh,
            office: "中共示例县委组织部".into(),
            number: "示组督〔2026〕3号".into(),
            date: d("2026-12-01"),
            as_of: d("2026-12-01"),
            fix_by: d("2026-12-15"),
            when: String::new(),
            place: "县委组织部三楼会议室".into(),
            orgs: vec![
                OrgNotice {
                    code: "A".into(), name: "红旗村党支部".into(), problems: vec![listed("2026Q4-0001", "王书记", 30, None)]
                },
                OrgNotice {
                    code: "B".into(),
                    name: "柳河村党支部".into(),
                    problems: vec![listed("2026Q4-0002", "李书记", 45, Some("2026Q3-0007")), listed("2026Q4-0003", "李书记", 3, None)],
                },
            ],
        }
    }

    fn text(doc: &Document) -> String {
        crate::report::doc::markdown(doc)
    }

    #[test]
    fn a_supervision_notice_per_organisation_each_on_its_own_page() {
        let doc = document(&notices(Rung::Supervise));
        assert_eq!(doc.blocks.iter().filter(|b| matches!(b, Block::PageBreak)).count(), 1, "two notices, one break between");
        assert_eq!(doc.blocks.iter().filter(|b| matches!(b, Block::Heading(1, t) if t == "督办通知单")).count(), 2);
        let md = text(&doc);
        for want in ["被督办单位", "红旗村党支部：", "示组督〔2026〕3号", "2026Q4-0003", "30天", "张督促", "2026年12月15日", "签收人"]
        {
            assert!(md.contains(want), "{want} missing:\n{md}");
        }
        assert!(md.contains("下列 2 个问题已超过整改时限"), "{md}");
    }

    #[test]
    fn a_talk_names_the_people_the_reason_and_leaves_blanks_for_what_was_not_given() {
        let md = text(&document(&notices(Rung::Admonish)));
        for want in ["约谈通知", "被约谈单位", "李书记", "逾期45天、重复发生（原问题2026Q3-0007）", "县委组织部三楼会议室", "＿＿＿＿"]
        {
            assert!(md.contains(want), "{want} missing:\n{md}");
        }
        assert!(!md.contains("李书记、李书记"), "each person once:\n{md}");
    }

    #[test]
    fn english_when_asked() {
        let mut n = notices(Rung::Supervise);
        n.lang = Lang::En;
        let md = text(&document(&n));
        assert!(md.contains("Supervision notice") && md.contains("New deadline"), "{md}");
    }
}
