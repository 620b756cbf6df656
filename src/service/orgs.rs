//! The organisation roster: import (all or nothing) and listing by subtree.

use super::{Result, Session, invalid};
use crate::domain::Org;
use crate::i18n::K;
use crate::roster::parse_roster;
use crate::store::{Commit, Write};
use crate::tabular::{FileKind, ReadOptions};
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub ignored_columns: Vec<String>,
}

/// Reads, validates and stores a roster file. Any error in the file leaves the store as it was:
/// everything is checked before the first write. A very large roster is written in parts; if the
/// machine dies between parts, importing the same file again completes it.
pub fn import_roster(s: &Session, path: &Path, options: &ReadOptions) -> Result<ImportSummary> {
    let file = path.display().to_string();
    let rows = crate::tabular::read_file(FileKind::Roster, path, options)?;
    let existing: HashMap<String, Org> = s.store.orgs()?.into_iter().map(|o| (o.code.clone(), o)).collect();
    let roster = parse_roster(&file, rows, &existing)?;
    let mut summary = ImportSummary { ignored_columns: roster.ignored_columns, ..Default::default() };
    let mut writes = Vec::new();
    for org in &roster.orgs {
        match existing.get(&org.code) {
            None => summary.added += 1,
            Some(old) if old == org => {
                summary.unchanged += 1;
                continue;
            }
            Some(_) => summary.updated += 1,
        }
        writes.push(Write::put(org));
    }
    let detail = json!({ "file": file, "added": summary.added, "updated": summary.updated });
    s.commit_in_parts(Commit::new("org.import", detail, writes))?;
    Ok(summary)
}

/// One organisation with its depth below the listing's top (0 for the top).
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub org: Org,
    pub depth: usize,
}

/// The subtree under `under` (itself first), or the whole tree, depth first in code order.
pub fn list(session: &Session, under: Option<&str>) -> Result<Vec<Listed>> {
    let store = &session.store;
    let mut out = Vec::new();
    let mut stack: Vec<(String, usize)> = match under {
        Some(code) => {
            if store.org(code)?.is_none() {
                return Err(invalid(K::OrgNotFound, &[&code]));
            }
            vec![(code.to_string(), 0)]
        }
        None => store.child_codes(None)?.into_iter().rev().map(|c| (c, 0)).collect(),
    };
    while let Some((code, depth)) = stack.pop() {
        let Some(org) = store.org(&code)? else { continue };
        for child in store.child_codes(Some(&code))?.into_iter().rev() {
            stack.push((child, depth + 1));
        }
        out.push(Listed { org, depth });
    }
    Ok(out)
}

/// The areas (市, 县, 乡镇) above `code`, from the top: "清河市 / 东山县 / 城关镇".
pub fn area_path(session: &Session, code: &str) -> Result<String> {
    let store = &session.store;
    let mut names = Vec::new();
    let mut cur = store.org(code)?.and_then(|o| o.parent);
    while let Some(c) = cur {
        let Some(o) = store.org(&c)? else { break };
        if o.level.is_area() {
            names.push(o.name);
        }
        cur = o.parent;
        if names.len() > 64 {
            break;
        }
    }
    names.reverse();
    Ok(names.join(" / "))
}
