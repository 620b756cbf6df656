//! `xuncha template list | show | check | new`

use super::{CmdResult, DocFormat, Env, Failure, Format, TemplateCmd, outln, print_json, table};
use crate::domain::vocab::Vocab;
use crate::i18n::K;
use crate::template::{Failed, Loaded, fmt_points, load_file};
use serde_json::json;

pub fn run(env: &Env, cmd: TemplateCmd) -> CmdResult {
    match cmd {
        TemplateCmd::List { format } => list(env, format),
        TemplateCmd::Show { id, format } => show(env, &id, format),
        TemplateCmd::Check { files } => check(&files),
        TemplateCmd::New { output } => new(output.as_deref()),
    }
}

/// The commented starting template, to stdout or to a new file (never over an existing one).
fn new(output: Option<&std::path::Path>) -> CmdResult {
    let Some(path) = output else {
        print!("{}", crate::template::STARTER);
        return Ok(());
    };
    if path.exists() {
        return Err(Failure::refused(K::TemplateNewExists.fill(&[&path.display()])));
    }
    crate::atomic_file::write_atomic(path, crate::template::STARTER.as_bytes())
        .map_err(|e| Failure::refused(crate::oserror::write_failed(path, &e)))?;
    outln!("{}", K::TemplateNewWritten.fill(&[&path.display()]));
    Ok(())
}

fn failed_json(f: &Failed) -> serde_json::Value {
    json!({
        "source": f.source.to_string(),
        "errors": f.errors.iter().map(|e| json!({"file": e.file, "line": e.line, "column": e.column, "message": e.message})).collect::<Vec<_>>(),
    })
}

fn list(env: &Env, format: Format) -> CmdResult {
    let cat = env.catalog();
    if format == Format::Json {
        let loaded: Vec<_> = cat
            .loaded
            .iter()
            .map(|l| {
                json!({
                    "id": l.template.id, "version": l.template.version, "title": l.template.title,
                    "categories": l.template.categories.len(), "items": l.template.item_count(),
                    "source": l.source.to_string(), "hash": l.hash,
                })
            })
            .collect();
        let failed: Vec<_> = cat.failed.iter().map(failed_json).collect();
        print_json(&json!({ "loaded": loaded, "failed": failed }));
        return Ok(());
    }
    let rows: Vec<Vec<String>> = cat
        .loaded
        .iter()
        .map(|l| {
            vec![
                l.template.id.clone(),
                l.template.version.to_string(),
                l.template.title.clone(),
                l.template.categories.len().to_string(),
                l.template.item_count().to_string(),
                l.source.to_string(),
            ]
        })
        .collect();
    let header =
        [K::ColId.text(), K::ColVersion.text(), K::ColTitle.text(), K::ColCategories.text(), K::ColItems.text(), K::ColSource.text()];
    if format == Format::Csv {
        // The loaded templates only: the failures go to stderr, so the file stays rows.
        super::emit(&table::csv(&header, &rows)?);
        for f in &cat.failed {
            eprintln!("{} {}: {}", K::TemplateFailed.text(), crate::safe_text::strip_controls(&f.source.to_string()), f.errors.len());
        }
        return Ok(());
    }
    super::emit(&table::render(&header, &rows));
    for f in &cat.failed {
        outln!("\n{} {}:", K::TemplateFailed.text(), f.source);
        for e in &f.errors {
            outln!("  {e}");
        }
    }
    Ok(())
}

fn show(env: &Env, id: &str, format: DocFormat) -> CmdResult {
    let cat = env.catalog();
    let Some(l) = cat.get(id) else {
        return Err(Failure::refused(K::TplNotFound.fill(&[&id, &cat.ids()])));
    };
    if format == DocFormat::Json {
        print_json(&l.template);
        return Ok(());
    }
    super::emit(&describe(l));
    Ok(())
}

/// The template as a person reads it: header, veto gates, grade bands, categories and items.
fn describe(l: &Loaded) -> String {
    let t = &l.template;
    let unit = K::PointsUnit.text();
    let mut s = format!("{}  ({} v{}, {} {unit})\n", t.title, t.id, t.version, fmt_points(t.total_points));
    s.push_str(&format!("{}: {}\nsha256: {}\n\n", K::ColSource.text(), l.source, l.hash));
    s.push_str(&format!("{}:\n", K::VetoGates.text()));
    for v in &t.vetoes {
        let by = v.item.as_deref().map_or(String::new(), |i| format!("  [{i}]"));
        s.push_str(&format!("  {}  {}{by}\n", v.id, v.text));
    }
    s.push_str(&format!("{}:\n", K::GradeBands.text()));
    for g in &t.grades {
        let forbid = g.forbid.iter().map(|f| f.label()).collect::<Vec<_>>().join("/");
        let forbid = if forbid.is_empty() { String::new() } else { format!("  (-{forbid})") };
        s.push_str(&format!("  {}  >= {}{}\n", g.name, fmt_points(g.min_score), forbid));
    }
    s.push_str(&format!("{}: {} / {} / {}\n", K::Warnings.text(), t.warnings.red.label, t.warnings.yellow.label, t.warnings.blue.label));
    for c in &t.categories {
        let by_field = if c.by_field { format!("  {}", K::ByFieldNote.text()) } else { String::new() };
        s.push_str(&format!("\n{}  {}  ({} {unit}){by_field}\n", c.id, c.name, fmt_points(c.points)));
        let rows: Vec<Vec<String>> = c
            .items
            .iter()
            .map(|i| {
                let fields = if i.fields.is_empty() {
                    String::new()
                } else {
                    format!("  [{}]", i.fields.iter().map(|f| f.label()).collect::<Vec<_>>().join("/"))
                };
                // 2 (0.5/x, <= 2): per occurrence, capped.
                let points = match i.per_occurrence {
                    Some(per) => format!("{} ({}/x, <= {})", fmt_points(i.points), fmt_points(per), fmt_points(i.max_deduction())),
                    None => fmt_points(i.points),
                };
                vec![
                    i.id.clone(),
                    points,
                    i.methods.iter().map(|m| m.label()).collect::<Vec<_>>().join("/"),
                    i.severity.label().to_string(),
                    format!("{}{fields}", i.text),
                ]
            })
            .collect();
        let header = [K::ColId.text(), K::ColPoints.text(), K::ColMethods.text(), K::ColSeverity.text(), K::ColText.text()];
        s.push_str(&table::render(&header, &rows));
    }
    s
}

fn check(files: &[std::path::PathBuf]) -> CmdResult {
    let mut bad = 0;
    for f in files {
        match load_file(f) {
            Ok(l) => {
                let t = &l.template;
                outln!("{}", K::TplChecked.fill(&[&f.display(), &t.id, &t.categories.len(), &t.item_count(), &t.vetoes.len()]));
            }
            Err(failed) => {
                bad += 1;
                for e in &failed.errors {
                    outln!("{e}");
                }
            }
        }
    }
    if bad > 0 {
        return Err(Failure::refused(K::TplErrorsFound.fill(&[&bad])));
    }
    Ok(())
}
