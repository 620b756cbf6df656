//! Parses and validates one template file. All problems are reported together; a template with
//! any error is not produced at all, so it can never half-load.

use super::reader::{Reader, TemplateError};
use crate::domain::Field;
use crate::domain::template::{Category, GradeBand, Item, Method, Severity, Template, VetoGate, WarningRule, Warnings};
use crate::i18n::K;
use std::collections::HashMap;
use std::ops::Range;
use toml::de::DeTable;

const TOP_KEYS: &[&str] = &[
    "id",
    "version",
    "title",
    "fields",
    "total_points",
    "partial_deduction",
    "categories",
    "vetoes",
    "grades",
    "warnings",
    "praise",
    "criticism",
];
const CATEGORY_KEYS: &[&str] = &["id", "name", "points", "by_field", "items"];
const ITEM_KEYS: &[&str] =
    &["id", "text", "methods", "guidance", "severity", "points", "fields", "weak_lead", "problem", "per_occurrence", "cap"];
const PRAISE_KEYS: &[&str] = &["grades", "forbid"];
const CRITICISM_KEYS: &[&str] = &["veto", "severities", "repeat"];
const VETO_KEYS: &[&str] = &["id", "text", "item"];
const GRADE_KEYS: &[&str] = &["name", "min_score", "forbid"];
const WARNING_KEYS: &[&str] = &["red", "yellow", "blue"];
const RULE_KEYS: &[&str] = &["label", "grades", "veto", "weak_lead", "open_severities", "overdue", "repeated_severities"];

/// Points are compared with this tolerance: templates may use halves and tenths.
const EPS: f64 = 1e-6;

/// Parses `src` (the text of `file`) into a template, or every error found.
pub fn parse_template(file: &str, src: &str) -> Result<Template, Vec<TemplateError>> {
    let mut r = Reader::new(file, src);
    let doc = match DeTable::parse(src) {
        Ok(doc) => doc,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            r.error(span, K::TplSyntax.fill(&[&e.message().trim()]));
            return Err(r.errors);
        }
    };
    let whole = doc.span();
    let t = doc.get_ref();
    r.check_keys(t, TOP_KEYS);
    let mut ids = IdSet::default();

    let id = r.string(t, &whole, "id", true);
    if let Some(id) = &id {
        check_id_chars(&mut r, id);
    }
    let version = r.integer(t, &whole, "version", true);
    if let Some(v) = &version
        && !(1..=u32::MAX as i64).contains(v.get_ref())
    {
        r.error(v.span(), K::TplRange.fill(&[&"version", &1, &u32::MAX]));
    }
    let title = r.string(t, &whole, "title", true);
    let fields: Vec<Field> = r.vocab_list(t, "fields");
    let total = r.number(t, &whole, "total_points", false).map_or(100.0, |n| n.into_inner());
    let partial = r.number(t, &whole, "partial_deduction", false);
    if let Some(p) = &partial
        && !(0.0..=1.0).contains(p.get_ref())
    {
        r.error(p.span(), K::TplRange.fill(&[&"partial_deduction", &0, &1]));
    }

    // Each gate's item, checked once the items are read.
    let mut gate_items: Vec<toml::Spanned<String>> = Vec::new();
    let vetoes: Vec<VetoGate> = r
        .tables(t, "vetoes")
        .into_iter()
        .filter_map(|(vt, span)| {
            r.check_keys(vt, VETO_KEYS);
            let id = r.string(vt, &span, "id", true);
            let text = r.string(vt, &span, "text", true);
            let item = r.string(vt, &span, "item", false);
            if let Some(i) = &item {
                gate_items.push(i.clone());
            }
            let id = ids.claim(&mut r, id?)?;
            Some(VetoGate { id, text: text?.into_inner(), item: item.map(|i| i.into_inner()) })
        })
        .collect();

    let categories = read_categories(&mut r, t, &whole, &mut ids, total, &fields);
    // A gate names an item of the checklist: the one whose failure triggers it.
    for i in gate_items {
        if !categories.iter().flat_map(|c| &c.items).any(|it| &it.id == i.get_ref()) {
            r.error(i.span(), K::TplVetoItemUnknown.fill(&[i.get_ref()]));
        }
    }
    let grades = read_grades(&mut r, t, &whole);
    let warnings = read_warnings(&mut r, t, &grades);
    let honours = read_honours(&mut r, t, &grades);

    if !r.errors.is_empty() {
        r.errors.sort_by_key(|e| (e.line, e.column));
        return Err(r.errors);
    }
    // Every required piece was checked above; a None here would have left an error.
    match (id, version, title) {
        (Some(id), Some(version), Some(title)) => Ok(Template {
            id: id.into_inner(),
            version: version.into_inner() as u32,
            title: title.into_inner(),
            fields,
            total_points: total,
            partial_deduction: partial.map_or(0.5, |p| p.into_inner()),
            categories,
            vetoes,
            grades,
            warnings,
            honours,
        }),
        _ => Err(r.errors),
    }
}

/// Ids are used on the command line and in exported files: no spaces.
fn check_id_chars(r: &mut Reader<'_>, id: &toml::Spanned<String>) {
    if id.get_ref().chars().any(char::is_whitespace) {
        r.error(id.span(), K::TplBadValue.fill(&[&"id", id.get_ref(), &"A-Z a-z 0-9 . _ -"]));
    }
}

/// Ids of categories, items and veto gates share one namespace, so a reference is never ambiguous.
#[derive(Default)]
struct IdSet(HashMap<String, usize>);

impl IdSet {
    fn claim(&mut self, r: &mut Reader<'_>, id: toml::Spanned<String>) -> Option<String> {
        check_id_chars(r, &id);
        let line = r.line_of(&id.span());
        if let Some(first) = self.0.get(id.get_ref()) {
            r.error(id.span(), K::TplDuplicateId.fill(&[id.get_ref(), first]));
            return None;
        }
        self.0.insert(id.get_ref().clone(), line);
        Some(id.into_inner())
    }
}

fn read_categories(
    r: &mut Reader<'_>,
    t: &DeTable<'_>,
    whole: &Range<usize>,
    ids: &mut IdSet,
    total: f64,
    template_fields: &[Field],
) -> Vec<Category> {
    let tables = r.tables(t, "categories");
    if tables.is_empty() {
        r.error(whole.clone(), K::TplMissingKey.fill(&[&"categories"]));
    }
    // A wrong total is reported at the first category, where the points start.
    let total_at = tables.first().map_or(whole.start..whole.start, |(_, span)| span.clone());
    let mut categories = Vec::new();
    let mut sum = 0.0;
    let mut all_points_known = true;
    // Items seen so far, and where the first one past the limit sits.
    let mut count = 0usize;
    let mut past_limit: Option<Range<usize>> = None;
    for (ct, span) in tables {
        r.check_keys(ct, CATEGORY_KEYS);
        let id = r.string(ct, &span, "id", true);
        let name = r.string(ct, &span, "name", true);
        let points = r.number(ct, &span, "points", true);
        if let Some(p) = &points
            && *p.get_ref() <= 0.0
        {
            r.error(p.span(), K::TplRange.fill(&[&"points", &0, &total]));
        }
        let by_field = r.boolean(ct, "by_field");
        let id = id.and_then(|id| ids.claim(r, id));
        let item_tables = r.tables(ct, "items");
        if item_tables.is_empty() {
            r.error(span.clone(), K::TplMissingKey.fill(&[&"items"]));
        }
        let mut items = Vec::new();
        let mut item_sum = 0.0;
        let mut items_complete = true;
        for (it, ispan) in item_tables {
            count += 1;
            if count > crate::domain::limits::TEMPLATE_ITEMS {
                // Counted, not read: a template this large is refused whole.
                past_limit.get_or_insert(ispan);
                items_complete = false;
                continue;
            }
            match read_item(r, it, &ispan, ids, template_fields) {
                Some(item) => {
                    item_sum += item.points;
                    items.push(item);
                }
                None => items_complete = false,
            }
        }
        match &points {
            Some(p) => {
                sum += *p.get_ref();
                let label = id.clone().unwrap_or_default();
                // Only compare sums that are complete, or the message would mislead.
                if items_complete && !items.is_empty() && by_field {
                    check_field_sums(r, p, &label, &items, template_fields);
                } else if items_complete && !items.is_empty() && (item_sum - p.get_ref()).abs() > EPS {
                    r.error(p.span(), K::TplItemPointsSum.fill(&[&label, &fmt_points(*p.get_ref()), &fmt_points(item_sum)]));
                }
            }
            None => all_points_known = false,
        }
        if let (Some(id), Some(name), Some(points)) = (id, name, points) {
            categories.push(Category { id, name: name.into_inner(), points: points.into_inner(), items, by_field });
        }
    }
    if let Some(at) = past_limit {
        r.error(at, K::TemplateTooManyItems.fill(&[&count, &crate::domain::limits::TEMPLATE_ITEMS]));
    }
    if all_points_known && !categories.is_empty() && (sum - total).abs() > EPS {
        r.error(total_at, K::TplTotalPointsSum.fill(&[&fmt_points(sum), &fmt_points(total)]));
    }
    categories
}

/// A `by_field` category: for every field the template is for (all of them when it names none),
/// the items that apply add up to the category's points, so each field is scored out of the
/// same total without rescaling. One error per field that does not, naming its sum.
fn check_field_sums(r: &mut Reader<'_>, points: &toml::Spanned<f64>, label: &str, items: &[Item], template_fields: &[Field]) {
    use crate::domain::vocab::Vocab;
    let fields: &[Field] = if template_fields.is_empty() { Field::ALL } else { template_fields };
    for f in fields {
        let sum: f64 = items.iter().filter(|i| i.applies_to(Some(*f))).map(|i| i.points).sum();
        if (sum - points.get_ref()).abs() > EPS {
            r.error(points.span(), K::TplFieldPointsSum.fill(&[&label, &f.label(), &fmt_points(sum), &fmt_points(*points.get_ref())]));
        }
    }
}

fn read_item(r: &mut Reader<'_>, it: &DeTable<'_>, span: &Range<usize>, ids: &mut IdSet, template_fields: &[Field]) -> Option<Item> {
    r.check_keys(it, ITEM_KEYS);
    let id = r.string(it, span, "id", true);
    let text = r.string(it, span, "text", true);
    let guidance = r.string(it, span, "guidance", false);
    let severity = r.string(it, span, "severity", true).and_then(|w| r.vocab_word::<Severity>(&w, "severity"));
    let points = r.number(it, span, "points", true);
    if let Some(p) = &points
        && *p.get_ref() <= 0.0
    {
        r.error(p.span(), K::TplRange.fill(&[&"points", &"0", &"100"]));
    }
    let method_words = r.strings(it, "methods");
    if method_words.is_empty() {
        r.error(span.clone(), K::TplMissingKey.fill(&[&"methods"]));
    }
    let methods: Vec<Method> = method_words.iter().filter_map(|w| r.vocab_word::<Method>(w, "methods")).collect();
    let fields: Vec<Field> = r.vocab_list(it, "fields");
    // An item only for fields the template is not for is never asked: an error, not a silent gap.
    if !fields.is_empty() && !template_fields.is_empty() && !fields.iter().any(|f| template_fields.contains(f)) {
        let names = |v: &[Field]| v.iter().map(|f| crate::domain::vocab::Vocab::label(*f)).collect::<Vec<_>>().join("、");
        let id = r.string(it, span, "id", false).map(|s| s.into_inner()).unwrap_or_default();
        r.error(span.start..span.start, K::TplUnreachable.fill(&[&id, &names(&fields), &names(template_fields)]));
    }
    let weak_lead = r.boolean(it, "weak_lead");
    let problem = r.string(it, span, "problem", false);
    // Per-occurrence deductions: a positive amount per occurrence, capped at most at the points.
    let per = r.number(it, span, "per_occurrence", false);
    let cap = r.number(it, span, "cap", false);
    let item_points = points.as_ref().map(|p| *p.get_ref());
    let mut deduction_ok = true;
    if let Some(p) = &per
        && (*p.get_ref() <= 0.0 || item_points.is_some_and(|max| *p.get_ref() > max + EPS))
    {
        r.error(p.span(), K::TplPerOccurrence.fill(&[&fmt_points(*p.get_ref()), &item_points.map_or("-".into(), fmt_points)]));
        deduction_ok = false;
    }
    if let Some(c) = &cap {
        if per.is_none() {
            r.error(c.span(), K::TplCapWithoutPer.text().to_string());
            deduction_ok = false;
        } else if *c.get_ref() <= 0.0 || item_points.is_some_and(|max| *c.get_ref() > max + EPS) {
            r.error(c.span(), K::TplCap.fill(&[&fmt_points(*c.get_ref()), &item_points.map_or("-".into(), fmt_points)]));
            deduction_ok = false;
        }
    }
    let id = id.and_then(|id| ids.claim(r, id));
    if methods.len() != method_words.len() || !deduction_ok {
        return None;
    }
    Some(Item {
        id: id?,
        text: text?.into_inner(),
        methods,
        guidance: guidance.map(|g| g.into_inner()).unwrap_or_default(),
        severity: severity?,
        points: points.filter(|p| *p.get_ref() > 0.0)?.into_inner(),
        fields,
        weak_lead,
        problem: problem.map(|p| p.into_inner()).unwrap_or_default(),
        per_occurrence: per.map(|p| p.into_inner()),
        cap: cap.map(|c| c.into_inner()),
    })
}

/// `[praise]` and `[criticism]`: the bulletin's rules, each key optional (the defaults are
/// `Honours::default()`); a grade named must be one of the template's.
fn read_honours(r: &mut Reader<'_>, t: &DeTable<'_>, grades: &[GradeBand]) -> crate::domain::template::Honours {
    let mut h = crate::domain::template::Honours::default();
    if let Some((pt, _)) = r.table(t, "praise") {
        r.check_keys(pt, PRAISE_KEYS);
        for g in r.strings(pt, "grades") {
            if grades.iter().any(|b| &b.name == g.get_ref()) {
                h.praise_grades.push(g.into_inner());
            } else {
                let names = grades.iter().map(|b| b.name.as_str()).collect::<Vec<_>>().join(" / ");
                r.error(g.span(), K::TplBadValue.fill(&[&"praise.grades", g.get_ref(), &names]));
            }
        }
        if Reader::has(pt, "forbid") {
            h.praise_forbid = r.vocab_list(pt, "forbid");
        }
    }
    if let Some((ct, _)) = r.table(t, "criticism") {
        r.check_keys(ct, CRITICISM_KEYS);
        if Reader::has(ct, "veto") {
            h.criticise_veto = r.boolean(ct, "veto");
        }
        if Reader::has(ct, "severities") {
            h.criticise_severities = r.vocab_list(ct, "severities");
        }
        if Reader::has(ct, "repeat") {
            h.criticise_repeat = r.boolean(ct, "repeat");
        }
    }
    h
}

fn read_grades(r: &mut Reader<'_>, t: &DeTable<'_>, whole: &Range<usize>) -> Vec<GradeBand> {
    let tables = r.tables(t, "grades");
    if tables.is_empty() {
        r.error(whole.start..whole.start, K::TplNoGrades.text().to_string());
        return Vec::new();
    }
    let mut grades: Vec<GradeBand> = Vec::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut last: Option<(f64, Range<usize>)> = None;
    for (gt, span) in tables {
        r.check_keys(gt, GRADE_KEYS);
        let name = r.string(gt, &span, "name", true);
        let min = r.number(gt, &span, "min_score", true);
        let forbid: Vec<Severity> = r.vocab_list(gt, "forbid");
        if let Some(n) = &name {
            let line = r.line_of(&n.span());
            if let Some(first) = names.insert(n.get_ref().clone(), line) {
                r.error(n.span(), K::TplDuplicateId.fill(&[n.get_ref(), &first]));
            }
        }
        if let Some(m) = &min {
            if let Some((prev, _)) = &last
                && *m.get_ref() >= *prev
            {
                r.error(m.span(), K::TplGradeOrder.text().to_string());
            }
            last = Some((*m.get_ref(), m.span()));
        }
        if let (Some(name), Some(min)) = (name, min) {
            grades.push(GradeBand { name: name.into_inner(), min_score: min.into_inner(), forbid });
        }
    }
    if let Some((lowest, span)) = last
        && lowest != 0.0
    {
        r.error(span, K::TplLowestGrade.text().to_string());
    }
    grades
}

fn read_warnings(r: &mut Reader<'_>, t: &DeTable<'_>, grades: &[GradeBand]) -> Warnings {
    let rule = |r: &mut Reader<'_>, table: Option<&DeTable<'_>>, key: &str, default_label: &str| -> WarningRule {
        let Some(wt) = table.and_then(|w| r.table(w, key)) else {
            return WarningRule { label: default_label.to_string(), ..Default::default() };
        };
        let (wt, span) = wt;
        r.check_keys(wt, RULE_KEYS);
        let label = r.string(wt, &span, "label", false).map_or(default_label.to_string(), |l| l.into_inner());
        let grade_words = r.strings(wt, "grades");
        for g in &grade_words {
            if !grades.iter().any(|b| &b.name == g.get_ref()) {
                let known = grades.iter().map(|b| b.name.as_str()).collect::<Vec<_>>().join(", ");
                r.error(g.span(), K::TplUnknownGrade.fill(&[g.get_ref(), &known]));
            }
        }
        WarningRule {
            label,
            grades: grade_words.into_iter().map(|g| g.into_inner()).collect(),
            veto: r.boolean(wt, "veto"),
            weak_lead: r.boolean(wt, "weak_lead"),
            open_severities: r.vocab_list(wt, "open_severities"),
            overdue: r.boolean(wt, "overdue"),
            repeated_severities: r.vocab_list(wt, "repeated_severities"),
        }
    };
    let table = r.table(t, "warnings");
    if let Some((w, _)) = table {
        r.check_keys(w, WARNING_KEYS);
    }
    let w = table.map(|(w, _)| w);
    Warnings { red: rule(r, w, "red", "红"), yellow: rule(r, w, "yellow", "黄"), blue: rule(r, w, "blue", "蓝") }
}

/// 10 rather than 10.0, 2.5 as is.
pub fn fmt_points(p: f64) -> String {
    if (p - p.round()).abs() < EPS { format!("{}", p.round() as i64) } else { format!("{p}") }
}
