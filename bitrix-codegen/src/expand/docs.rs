//! Rustdoc text for generated items.

use std::fmt::Write;

use crate::model::{Field, Method, Required, TypeDef};

/// The documentation of a method's request type: summary, facts, parameters, result, errors, example.
pub fn method_doc(m: &Method) -> String {
    let mut d = String::new();
    // Without a summary of our own, the first line states the facts and the page is linked below.
    match &m.summary {
        Some(summary) => {
            let _ = writeln!(d, "{summary}\n");
        }
        None => {
            let _ = writeln!(d, "The `{}` method.\n", m.name);
        }
    }
    if let Some(desc) = &m.description {
        let _ = writeln!(d, "{desc}\n");
    }
    if let Some(dep) = &m.deprecated {
        let _ = write!(d, "**Deprecated.**");
        if let Some(r) = &dep.replacement {
            let _ = write!(d, " Use `{r}` instead.");
        }
        if let Some(n) = &dep.note {
            let _ = write!(d, " {n}");
        }
        d.push_str("\n\n");
    }
    let _ = writeln!(d, "- Method: `{}`", m.name);
    let _ = writeln!(d, "- Scope: `{}`", m.scope);
    if let Some(c) = &m.callers {
        let _ = writeln!(d, "- Who may call it: {c}");
    }
    if m.idempotent {
        let _ = writeln!(d, "- Safe to repeat (idempotent)");
    }
    if let Some(url) = &m.docs {
        let _ = writeln!(d, "- Official reference: <{url}>");
    }
    d.push('\n');
    if !m.params.is_empty() {
        d.push_str("# Parameters\n\n| Name | Type | Required | Description |\n|---|---|---|---|\n");
        for p in &m.params {
            let _ = writeln!(
                d,
                "| `{}` | `{}` | {} | {} |",
                p.wire,
                p.ty,
                required_text(p),
                cell(p.description.as_deref())
            );
        }
        for t in &m.types {
            if let crate::model::TypeKind::Struct { fields, .. } = &t.kind {
                let _ = writeln!(d, "\n`{}` ({}):\n\n| Name | Type | Required | Description |\n|---|---|---|---|", t.name, type_link(m, t));
                for f in fields {
                    let _ = writeln!(
                        d,
                        "| `{}` | `{}` | {} | {} |",
                        f.wire,
                        f.ty,
                        required_text(f),
                        cell(f.description.as_deref())
                    );
                }
            }
        }
        d.push('\n');
    }
    let _ = writeln!(
        d,
        "# Result\n\n`{}`{}\n",
        m.result.ty,
        m.result
            .description
            .as_deref()
            .map(|s| format!(": {s}"))
            .unwrap_or_default()
    );
    if m.result.paged {
        d.push_str("A list method: pages of 50 items, selected with `start`; the answer carries `next` and `total`.\n\n");
    }
    d.push_str("# Errors\n\n");
    if m.errors.is_empty() {
        d.push_str("No method-specific errors are documented.");
    } else {
        let _ = writeln!(
            d,
            "Documented errors, as variants of [`{own}::Error`]({own}::Error):\n",
            own = m.rust.own.trim_start_matches("r#")
        );
        for e in &m.errors {
            let _ = write!(d, "- `{}` → `{}` (HTTP {})", e.code, e.variant, e.status);
            if let Some(desc) = &e.description {
                let _ = write!(d, ", \"{desc}\"");
            }
            if let Some(meaning) = &e.meaning {
                let _ = write!(d, ": {meaning}");
            }
            d.push('\n');
        }
    }
    d.push_str("\nSystem errors (rate limits, authentication, …) arrive as `SystemError`.\n");
    if let Some(req) = m.examples.iter().find_map(|e| e.request.as_ref()) {
        let pretty = serde_json::to_string_pretty(req).unwrap_or_default();
        let _ = write!(d, "\n# Example request\n\n```json\n{pretty}\n```\n");
    }
    d
}

/// A link to a named type from the request's module: own types through the method's own module,
/// shared ones by name only (they live in the folder's module).
fn type_link(m: &Method, t: &TypeDef) -> String {
    match &t.shared {
        Some(folder) => format!("`{}`, shared in `{folder}`", t.rust_name),
        None => format!("[`{own}::{name}`]({own}::{name})", own = m.rust.own.trim_start_matches("r#"), name = t.rust_name),
    }
}

/// The documentation of a named type.
pub fn type_doc(m: &Method, t: &TypeDef) -> String {
    let what = t.description.as_deref().unwrap_or("A nested type.");
    match &t.shared {
        Some(folder) => format!("{what}\n\nShared by the specs of the `{folder}` folder (`_types.toml`)."),
        None => format!("{what}\n\nPart of `{}` ([`{}`](super::{})).", m.name, m.rust.type_name, m.rust.type_name),
    }
}

/// The documentation of a field.
pub fn field_doc(f: &Field) -> String {
    let mut d = format!("`{}` (`{}`, {})", f.wire, f.ty, required_text(f));
    if let Some(desc) = &f.description {
        d.push_str(": ");
        d.push_str(desc);
    }
    if let Some(def) = &f.default {
        let _ = write!(d, " Default: `{def}`.");
    }
    d
}

fn required_text(f: &Field) -> &'static str {
    match f.required {
        Required::Yes => "required",
        Required::No => "optional",
        Required::Webhook => "required for webhook calls",
    }
}

fn cell(text: Option<&str>) -> String {
    text.unwrap_or("").replace('\n', " ").replace('|', "\\|")
}
