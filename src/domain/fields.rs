//! Records as fields named by dotted paths (`rect.status`): what differs between two values of a
//! record, and how to put one field's value back. The audit log keeps changes this way, and
//! changes travel between laptops field by field, so that edits of different fields merge.

use serde_json::Value;
use std::collections::BTreeMap;

/// Whether the fields of `o` can be named by dotted paths: none is empty or holds a '.' (a map
/// keyed by user text could), and none starts with '$'.
pub fn pathable(o: &serde_json::Map<String, Value>) -> bool {
    o.keys().all(|k| !k.is_empty() && !k.contains('.') && !k.starts_with('$'))
}

/// The fields of `new` that differ from `old`, by dotted path under `prefix`, into `out`.
/// Objects on both sides are compared field by field; anything else whole.
pub fn diff_into(out: &mut BTreeMap<String, [Value; 2]>, prefix: &str, old: &Value, new: &Value) {
    match (old, new) {
        (Value::Object(o), Value::Object(n)) if pathable(o) && pathable(n) => {
            let keys: std::collections::BTreeSet<&String> = o.keys().chain(n.keys()).collect();
            for k in keys {
                let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                diff_into(out, &path, o.get(k).unwrap_or(&Value::Null), n.get(k).unwrap_or(&Value::Null));
            }
        }
        // An object that appears or goes is its fields appearing or going, so that a field has one
        // path whether its parent was there before or not (changes of it then meet by path).
        (Value::Null, Value::Object(n)) if !n.is_empty() && pathable(n) => {
            diff_into(out, prefix, &Value::Object(Default::default()), new);
        }
        (Value::Object(o), Value::Null) if !o.is_empty() && pathable(o) => {
            diff_into(out, prefix, old, &Value::Object(Default::default()));
        }
        _ if old == new => {}
        // A whole value: the record itself when it is not an object (never, for xuncha's kinds).
        _ => {
            out.insert(if prefix.is_empty() { "$".to_string() } else { prefix.to_string() }, [old.clone(), new.clone()]);
        }
    }
}

/// Puts `value` at a dotted `path` in `target`, making the objects on the way (null: removed).
pub fn set_path(target: &mut Value, path: &str, value: Value) {
    if path == "$" {
        *target = value;
        return;
    }
    let mut here = target;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        if !here.is_object() {
            *here = Value::Object(Default::default());
        }
        let Value::Object(m) = here else { return };
        if parts.peek().is_none() {
            if value.is_null() {
                m.remove(part);
            } else {
                m.insert(part.to_string(), value);
            }
            return;
        }
        here = m.entry(part.to_string()).or_insert(Value::Object(Default::default()));
    }
}

/// The fields of a new record's data, by path, with their values.
pub fn leaves(data: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    diff_into(&mut out, "", &Value::Object(Default::default()), data);
    out.into_iter().map(|(k, [_, v])| (k, v)).collect()
}

/// The value at a dotted `path` (Null when absent).
pub fn get_path<'a>(data: &'a Value, path: &str) -> &'a Value {
    if path == "$" {
        return data;
    }
    path.split('.').try_fold(data, |v, part| v.get(part)).unwrap_or(&Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_new_object_is_its_fields_and_puts_back_whole() {
        let rec = json!({ "a": 1, "rect": { "status": "x", "steps": [1, 2] }, "empty": {} });
        let l = leaves(&rec);
        assert_eq!(l.keys().map(String::as_str).collect::<Vec<_>>(), ["a", "empty", "rect.status", "rect.steps"]);
        let mut back = json!({});
        for (p, v) in l {
            set_path(&mut back, &p, v);
        }
        assert_eq!(back, rec);
        assert_eq!(get_path(&rec, "rect.status"), &json!("x"));
        assert_eq!(get_path(&rec, "rect.none"), &Value::Null);
        let mut d = BTreeMap::new();
        diff_into(&mut d, "", &json!({ "o": null }), &json!({ "o": { "k": 2 } }));
        assert_eq!(d.keys().collect::<Vec<_>>(), ["o.k"]);
    }
}
