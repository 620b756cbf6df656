//! Reading a filled visit sheet back: every row checked first (`parse`), then the verdicts,
//! findings and arrival facts of each organisation written in one audited commit, and the visits
//! submitted when asked and complete.

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SheetSummary {
    pub verdicts: usize,
    pub findings: usize,
    pub submitted: Vec<String>,
}

/// One organisation's visit as the sheet leaves it: what it had, with the sheet's rows applied.
struct Pending {
    visit: Visit,
    verdicts: HashMap<String, Verdict>,
    notes: HashMap<String, String>,
    findings: Vec<Finding>,
    results: BTreeMap<String, ItemResult>,
    new_findings: Vec<Finding>,
    visit_changed: bool,
}

/// Records a filled sheet: all rows or none. With `submit`, every visit of the sheet is submitted
/// too, and the sheet is refused whole, with each visit's gaps, unless every one can be.
pub fn import(s: &Session, round: Id, path: &Path, submit: bool, options: &ReadOptions) -> Result<SheetSummary> {
    let file = path.display().to_string();
    let rows = from_header(crate::tabular::read_file(FileKind::Sheet, path, options)?);
    let Some((_, header)) = rows.first() else { return Err(FileKind::Sheet.error(&file, Problem::Empty).into()) };
    let missing = missing_columns(header);
    if !missing.is_empty() {
        return Err(FileKind::Sheet.missing_columns(&file, &missing, &required_columns()).into());
    }
    let r = rounds::get(s, round)?;
    let template = rounds::template_of(s, &r)?;
    let rejected = |errors: Vec<String>| {
        ServiceError::Invalid(format!("{}\n  {}", K::SheetRejected.fill(&[&file, &errors.len()]), errors.join("\n  ")))
    };
    let (parsed, mut errors) = parse_all(rows, &template, r.quarter, s.clock.local_now());
    let now = s.now();
    let mut pending: BTreeMap<String, Pending> = BTreeMap::new();
    // Organisations already reported as not in the round or locked: one error each, not one a row.
    let mut refused: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut summary = SheetSummary::default();
    // Where the sheet sets each gate and answers each item, to place a broken gate rule.
    let mut gate_lines: HashMap<(String, String), usize> = HashMap::new();
    let mut item_lines: HashMap<(String, String), usize> = HashMap::new();
    for row in parsed {
        let SheetRow { line, org, entry } = row;
        if refused.contains(&org) {
            continue;
        }
        if !pending.contains_key(&org) {
            let visit = match s.store.visit(round, &org)? {
                Some(v) if v.editable() => v,
                Some(v) => {
                    let name = s.store.org(&org)?.map_or(org.clone(), |o| o.name);
                    errors.push(cell_err(line, ORG, K::VisitLocked.fill(&[&name, &v.status])));
                    refused.insert(org);
                    continue;
                }
                None => {
                    errors.push(cell_err(line, ORG, K::OrgNotInRound.fill(&[&org, &round])));
                    refused.insert(org);
                    continue;
                }
            };
            let d = rounds::visit_data(s, round, &org)?;
            let results = s.store.results(round, &org)?.into_iter().map(|r| (r.item.clone(), r)).collect();
            pending.insert(
                org.clone(),
                Pending {
                    visit,
                    verdicts: d.verdicts,
                    notes: d.notes,
                    findings: d.findings,
                    results,
                    new_findings: Vec::new(),
                    visit_changed: false,
                },
            );
        }
        let field = s.store.org(&org)?.and_then(|o| o.field);
        let unit = s.store.org(&org)?.map(|o| o.name).unwrap_or_default();
        let Some(p) = pending.get_mut(&org) else { continue };
        match entry {
            Entry::Arrival(a) => {
                let v = &mut p.visit;
                match a {
                    Arrival::Time(t) => v.arrived_at = Some(t),
                    Arrival::State(st, note) => {
                        if st.is_some() {
                            v.arrival_state = st;
                        }
                        if !note.is_empty() {
                            v.arrival_note = note;
                        }
                    }
                    Arrival::Check(i, Some(b)) => v.unannounced[i] = Some(b),
                    Arrival::Check(_, None) => continue,
                    Arrival::Interviewed(t) if !t.is_empty() => v.interviewed = t,
                    Arrival::RecordsRead(t) if !t.is_empty() => v.records_read = t,
                    Arrival::Interviewed(_) | Arrival::RecordsRead(_) => continue,
                }
                p.visit_changed = true;
            }
            Entry::Veto { set: None, .. } => {}
            Entry::Veto { gate, set: Some(on), reason } => {
                p.visit.vetoes.retain(|m| m.id != gate);
                gate_lines.insert((org.clone(), gate.clone()), line);
                if on {
                    p.visit.vetoes.push(VetoMark { id: gate, reason });
                }
                p.visit_changed = true;
            }
            Entry::Item { item, verdict, note, count, finding } => {
                if !template.item(&item).is_some_and(|it| it.applies_to(field)) {
                    errors.push(cell_err(line, ITEM, K::ItemNotForField.fill(&[&item, &field.map_or("-", |f| f.label())])));
                    continue;
                }
                // A described finding makes an unanswered item 不符合, as on the screens.
                let verdict = if finding.is_some() && verdict.is_none() { Some(Verdict::Fails) } else { verdict };
                let under = rules::item_findings(&p.findings, &item).len();
                if under > 0 && rules::contradicts_findings(verdict) {
                    errors.push(cell_err(line, VERDICT, K::VerdictHasFindings.fill(&[&item, &under, &verdict.map_or("", |v| v.label())])));
                    continue;
                }
                if verdict.is_some() || !note.is_empty() {
                    item_lines.insert((org.clone(), item.clone()), line);
                    p.results.insert(
                        item.clone(),
                        ItemResult {
                            round,
                            org: org.clone(),
                            item: item.clone(),
                            verdict,
                            note: note.clone(),
                            count,
                            by: s.actor.clone(),
                            at: now,
                        },
                    );
                    match verdict {
                        Some(v) => p.verdicts.insert(item.clone(), v),
                        None => p.verdicts.remove(&item),
                    };
                    if !note.is_empty() {
                        p.notes.insert(item.clone(), note);
                    }
                    summary.verdicts += verdict.is_some() as usize;
                }
                if let Some(input) = finding {
                    record_finding(p, &mut summary, s, round, &org, &unit, input)?;
                }
            }
            Entry::Other(input) => record_finding(p, &mut summary, s, round, &org, &unit, input)?,
        }
    }
    // Every gate set stands on its item answered 不符合, as the sheet leaves them: reported at the
    // gate's row when the sheet sets it, else at the item's row that changed the verdict.
    for (org, p) in &pending {
        for m in &p.visit.vetoes {
            if let Some(why) = rules::gate_problem(&template, &m.id, &p.verdicts) {
                let item = template.vetoes.iter().find(|g| g.id == m.id).and_then(|g| g.item.clone()).unwrap_or_default();
                let line = gate_lines.get(&(org.clone(), m.id.clone())).or_else(|| item_lines.get(&(org.clone(), item)));
                errors.push(line.map_or(why.clone(), |l| cell_err(*l, VERDICT, why)));
            }
        }
    }
    if submit {
        for (org, p) in &pending {
            let mut gaps =
                rules::submission_gaps(&template, s.store.org(org)?.and_then(|o| o.field), &p.verdicts, &p.notes, &p.findings, &p.visit);
            if r.revisits().is_some() {
                gaps = rules::lookback_gaps(gaps, crate::service::lookback::unmarked(s, &r, org)?);
            }
            if !gaps.is_empty() {
                let name = s.store.org(org)?.map_or(org.clone(), |o| o.name);
                errors.push(K::SubmitRefused.fill(&[&name, &visits::describe_gaps(&gaps)]));
            }
        }
    }
    if !errors.is_empty() {
        // In the order of the file: line, then column.
        errors.sort_by_key(|e| line_col(e));
        return Err(rejected(errors));
    }
    let mut writes = Vec::new();
    for (_, p) in pending.iter_mut() {
        let started = p.visit.status == VisitStatus::NotStarted;
        if started {
            p.visit.status = VisitStatus::InProgress;
            p.visit.inspector = s.actor.clone();
            p.visit.started_at = Some(now);
        }
        if started || p.visit_changed {
            writes.push(Write::put(&p.visit));
        }
        writes.extend(p.results.values().map(Write::put));
        writes.extend(p.new_findings.iter().map(Write::put));
    }
    let detail = json!({ "round": round.to_string(), "file": file });
    s.commit(Commit::new("visit.import", detail, writes))?;
    if submit {
        for org in pending.keys() {
            visits::submit(s, round, org)?;
            summary.submitted.push(s.store.org(org)?.map_or(org.clone(), |o| o.name));
        }
    }
    Ok(summary)
}

/// Adds a sheet's finding to the visit, unless the same problem is already recorded (the sheet
/// imported again).
#[allow(clippy::too_many_arguments)]
fn record_finding(
    p: &mut Pending,
    summary: &mut SheetSummary,
    s: &Session,
    round: Id,
    org: &str,
    unit: &str,
    input: FindingInput,
) -> Result<()> {
    let known = p.findings.iter().any(|f| rules::live(f) && f.item == input.item && f.description == input.description.trim());
    if known {
        return Ok(());
    }
    let checked = validate(&input, s.today())
        .map_err(|errs| ServiceError::Invalid(errs.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("；")))?;
    let input = FindingInput { org: org.to_string(), ..input };
    let f = crate::service::findings::from_input(s, round, unit, &input, checked);
    p.findings.push(f.clone());
    p.new_findings.push(f);
    summary.findings += 1;
    Ok(())
}

/// The (line, column) an error message names, for sorting; messages without them go last.
fn line_col(e: &str) -> (usize, usize) {
    let nums: Vec<usize> =
        e.split(|c: char| !c.is_ascii_digit()).filter(|t| !t.is_empty()).take(2).filter_map(|t| t.parse().ok()).collect();
    match nums.as_slice() {
        [l, c, ..] if e.starts_with(['第', 'l']) => (*l, *c),
        _ => (usize::MAX, 0),
    }
}
