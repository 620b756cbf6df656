//! A checklist template: categories of items with points, veto gates, grade bands and warning
//! rules. Everything a county may do differently lives here as data.

use super::org::Field;
use super::vocab::Vocab;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Minor,
    Significant,
    Serious,
}

impl Vocab for Severity {
    const ALL: &'static [Self] = &[Severity::Minor, Severity::Significant, Severity::Serious];
    fn words(self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            Severity::Minor => ("一般", "minor", &[]),
            Severity::Significant => ("较重", "significant", &["较严重"]),
            Severity::Serious => ("严重", "serious", &[]),
        }
    }
}
crate::vocab_serde!(Severity);

/// How an item is checked: 查 read the records, 看 look on site, 问 question people, 访 visit members
/// and the public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Read,
    Look,
    Ask,
    Visit,
}

impl Vocab for Method {
    const ALL: &'static [Self] = &[Method::Read, Method::Look, Method::Ask, Method::Visit];
    fn words(self) -> (&'static str, &'static str, &'static [&'static str]) {
        match self {
            Method::Read => ("查", "read", &["records"]),
            Method::Look => ("看", "look", &["see"]),
            Method::Ask => ("问", "ask", &[]),
            Method::Visit => ("访", "visit", &[]),
        }
    }
}
crate::vocab_serde!(Method);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub text: String,
    pub methods: Vec<Method>,
    pub guidance: String,
    pub severity: Severity,
    pub points: f64,
    /// Empty: the item applies to every field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// Failing this item is a lead for a weak and lax organisation (软弱涣散), e.g. residents'
    /// satisfaction below 60%.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub weak_lead: bool,
    /// How the problem reads when the item is failed ("三会一课"记录不全): what a bulletin quotes,
    /// where `text` is the standard checked. Empty: the bulletin says the standard was not met.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub problem: String,
    /// Points deducted per occurrence (0.5 per missing record): the inspector records how many
    /// with the verdict. None: the item deducts as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_occurrence: Option<f64>,
    /// The most a per-occurrence item deducts; None: its points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<f64>,
}

impl Item {
    pub fn applies_to(&self, field: Option<Field>) -> bool {
        self.fields.is_empty() || field.is_some_and(|f| self.fields.contains(&f))
    }

    /// The most this item can deduct: its cap, or its points.
    pub fn max_deduction(&self) -> f64 {
        self.cap.unwrap_or(self.points).min(self.points)
    }

    /// What a verdict (with the occurrences counted, for a per-occurrence item) deducts. Without
    /// a count a per-occurrence item deducts as a whole item whose points are its cap: 不符合 all
    /// of it, 部分符合 `partial` of it; with one, min(count × per_occurrence, cap) whether the
    /// verdict is 不符合 or 部分符合.
    pub fn deduction(&self, verdict: Option<super::round::Verdict>, count: Option<u32>, partial: f64) -> f64 {
        use super::round::Verdict;
        let whole = self.max_deduction();
        match (verdict, self.per_occurrence, count) {
            (Some(Verdict::Fails | Verdict::Partly), Some(per), Some(n)) => (f64::from(n) * per).min(whole),
            (Some(Verdict::Fails), _, _) => whole,
            (Some(Verdict::Partly), _, _) => whole * partial,
            _ => 0.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub id: String,
    pub name: String,
    pub points: f64,
    pub items: Vec<Item>,
    /// Field variants: the items that apply to each field add up to `points` (a school's items
    /// and a village's items are alternatives), instead of all the items together.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub by_field: bool,
}

/// A condition outside the score that forces the lowest grade and a red warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VetoGate {
    pub id: String,
    pub text: String,
    /// The item whose failure triggers the gate: the gate may be set only while that item is
    /// answered 不符合. None (templates from before): the gate stands alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
}

/// A grade band: reached with at least `min_score` and none of the `forbid` severities among the
/// visit's findings. Bands are listed from best to worst; the last has `min_score` 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeBand {
    pub name: String,
    pub min_score: f64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forbid: Vec<Severity>,
}

/// When a warning colour applies: any one trigger is enough.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct WarningRule {
    pub label: String,
    /// The organisation's grade is one of these.
    #[serde(default)]
    pub grades: Vec<String>,
    /// Any veto gate is set.
    #[serde(default)]
    pub veto: bool,
    /// An item marked `weak_lead` failed.
    #[serde(default)]
    pub weak_lead: bool,
    /// An open finding of one of these severities.
    #[serde(default)]
    pub open_severities: Vec<Severity>,
    /// A rectification is overdue.
    #[serde(default)]
    pub overdue: bool,
    /// Two or more findings of one of these severities (repeated minor problems).
    #[serde(default)]
    pub repeated_severities: Vec<Severity>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warnings {
    pub red: WarningRule,
    pub yellow: WarningRule,
    pub blue: WarningRule,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    pub id: String,
    pub version: u32,
    pub title: String,
    /// Empty: for every field.
    #[serde(default)]
    pub fields: Vec<Field>,
    pub total_points: f64,
    /// The share of an item's points that 部分符合 deducts.
    pub partial_deduction: f64,
    pub categories: Vec<Category>,
    pub vetoes: Vec<VetoGate>,
    pub grades: Vec<GradeBand>,
    pub warnings: Warnings,
    /// Who the bulletin praises and criticises (表扬、批评), stated in it.
    #[serde(default)]
    pub honours: Honours,
}

/// The bulletin's 表扬 and 批评 rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Honours {
    /// 表扬: an approved visit graded one of these (empty: the top grade)…
    #[serde(default)]
    pub praise_grades: Vec<String>,
    /// …with no finding of these severities.
    pub praise_forbid: Vec<Severity>,
    /// 批评: a veto…
    pub criticise_veto: bool,
    /// …or a finding of one of these severities…
    pub criticise_severities: Vec<Severity>,
    /// …or a repeat problem.
    pub criticise_repeat: bool,
}

impl Default for Honours {
    fn default() -> Honours {
        Honours {
            praise_grades: Vec::new(),
            praise_forbid: vec![Severity::Significant, Severity::Serious],
            criticise_veto: true,
            criticise_severities: vec![Severity::Serious],
            criticise_repeat: true,
        }
    }
}

impl Template {
    pub fn items(&self) -> impl Iterator<Item = (&Category, &Item)> {
        self.categories.iter().flat_map(|c| c.items.iter().map(move |i| (c, i)))
    }
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items().map(|(_, i)| i).find(|i| i.id == id)
    }
    /// The veto gates this item triggers.
    pub fn gates_of<'a>(&'a self, item: &'a str) -> impl Iterator<Item = &'a VetoGate> + 'a {
        self.vetoes.iter().filter(move |g| g.item.as_deref() == Some(item))
    }
    pub fn item_count(&self) -> usize {
        self.categories.iter().map(|c| c.items.len()).sum()
    }
}

/// A template as a round saw it: frozen by content hash, so a later edit of the file never
/// changes past results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateSnapshot {
    pub hash: String,
    pub source: String,
    pub text: String,
    pub template: Template,
}
