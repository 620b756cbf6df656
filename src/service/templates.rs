//! Template snapshots: a round keeps the exact template it started with.

use super::{Result, Session};
use crate::domain::TemplateSnapshot;
use crate::store::{Commit, Write};
use crate::template::Loaded;
use serde_json::json;

/// Stores the template as an immutable snapshot named by its content hash (once; later calls
/// change nothing) and returns the hash.
pub fn snapshot(s: &Session, t: &Loaded) -> Result<String> {
    if s.store.template(&t.hash)?.is_none() {
        let snap =
            TemplateSnapshot { hash: t.hash.clone(), source: t.source.to_string(), text: t.text.clone(), template: t.template.clone() };
        let detail = json!({ "template": t.template.id, "version": t.template.version, "hash": t.hash });
        s.commit(Commit::new("template.snapshot", detail, vec![Write::put(&snap)]))?;
    }
    Ok(t.hash.clone())
}
