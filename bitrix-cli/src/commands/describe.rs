//! `b24 describe METHOD`: what the spec says about a method, for a person at a terminal.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write as _;

use bitrix_codegen::model::{Field, Required, TypeKind};
use bitrix_codegen::Method;

use crate::export::paging::{paging_for, Paging};
use crate::failure::{Failure, Outcome};

/// Runs `b24 describe`.
pub fn run(name: &str) -> Outcome {
    let Some(method) = super::lookup(name, false)? else {
        return Err(Failure::usage("describe needs a method with a spec"));
    };
    let text = describe(method);
    let mut out = std::io::stdout().lock();
    // A closed pipe (`b24 describe x | head`) is not an error.
    let _ = out.write_all(text.as_bytes());
    Ok(0)
}

/// The whole description as text.
pub fn describe(m: &Method) -> String {
    let mut s = String::new();
    let mut facts = vec![format!("scope {}", m.scope)];
    if m.rest == 3 {
        facts.push("REST 3.0".into());
    }
    if m.idempotent {
        facts.push("safe to repeat".into());
    }
    let _ = writeln!(s, "{}  ({})", m.name, facts.join(", "));
    if let Some(summary) = &m.summary {
        let _ = writeln!(s, "{summary}");
    }
    if let Some(d) = &m.deprecated {
        let _ = writeln!(
            s,
            "Deprecated{}{}",
            d.replacement
                .as_deref()
                .map(|r| format!(": use {r}"))
                .unwrap_or_default(),
            d.note
                .as_deref()
                .map(|n| format!(". {n}"))
                .unwrap_or_default()
        );
    }
    if let Some(callers) = &m.callers {
        let _ = writeln!(s, "Callers: {callers}");
    }
    if let Some(docs) = &m.docs {
        let _ = writeln!(s, "Docs: {docs}");
    }

    let _ = writeln!(s, "\nParameters:");
    if m.params.is_empty() {
        let _ = writeln!(s, "  (none)");
    }
    fields(&mut s, &m.params, "  ");
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = m
        .params
        .iter()
        .flat_map(|p| p.ty.named().into_iter().map(str::to_string))
        .collect();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(def) = m.type_def(&name) else {
            continue;
        };
        let about = def.description.as_deref().unwrap_or("");
        let _ = writeln!(s, "\n  {name}: {about}");
        match &def.kind {
            TypeKind::Struct {
                fields: f,
                min_fields,
            } => {
                if *min_fields > 0 {
                    let _ = writeln!(s, "    (at least {min_fields} of these)");
                }
                fields(&mut s, f, "    ");
                todo.extend(
                    f.iter()
                        .flat_map(|x| x.ty.named().into_iter().map(str::to_string)),
                );
            }
            TypeKind::Enum { values } => {
                for v in values {
                    let _ = writeln!(
                        s,
                        "    {}  {}",
                        v.value,
                        v.description.as_deref().unwrap_or("")
                    );
                }
            }
        }
    }

    let _ = write!(s, "\nResult: {}", m.result.ty);
    if m.result.paged {
        let _ = write!(s, " (a list, 50 a page");
        if let Some(key) = &m.result.items {
            let _ = write!(s, ", under `{key}`");
        }
        let _ = write!(s, ")");
    }
    let _ = writeln!(s);
    if let Some(d) = &m.result.description {
        let _ = writeln!(s, "  {d}");
    }
    if m.result.paged {
        let how = match paging_for(m, &serde_json::json!({})) {
            Paging::ById { id, .. } => format!("by ID (`{id}`), start=-1"),
            Paging::ByStart => "by start/next".to_string(),
        };
        let _ = writeln!(s, "  b24 export pages it {how}.");
    }

    if !m.errors.is_empty() {
        let _ = writeln!(s, "\nErrors:");
        for e in &m.errors {
            let _ = writeln!(
                s,
                "  {} (HTTP {}){}",
                e.code,
                e.status,
                e.description
                    .as_deref()
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            );
            if let Some(meaning) = &e.meaning {
                let _ = writeln!(s, "      {meaning}");
            }
        }
    }

    let requests: Vec<_> = m.examples.iter().filter(|e| e.request.is_some()).collect();
    if !requests.is_empty() {
        let _ = writeln!(s, "\nExamples:");
        for e in requests {
            let _ = writeln!(
                s,
                "  {}{}",
                e.name,
                e.description
                    .as_deref()
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            );
            if let Some(body) = &e.request {
                let json = body.to_string().replace('\'', "'\\''");
                let _ = writeln!(s, "    b24 call {} --json '{json}'", m.name);
            }
        }
    }
    s
}

fn fields(s: &mut String, list: &[Field], indent: &str) {
    let width = list.iter().map(|f| f.wire.len()).max().unwrap_or(0);
    let type_width = list
        .iter()
        .map(|f| f.ty.to_string().len())
        .max()
        .unwrap_or(0);
    for f in list {
        let required = match f.required {
            Required::Yes => "required",
            Required::Webhook => "required on webhooks",
            _ => "",
        };
        let mut about = f.description.clone().unwrap_or_default();
        if let Some(d) = &f.default {
            about.push_str(&format!(" (default {d})"));
        }
        let line = format!(
            "{indent}{:width$}  {:type_width$}  {:8}  {}",
            f.wire,
            f.ty.to_string(),
            required,
            about.trim()
        );
        let _ = writeln!(s, "{}", line.trim_end());
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn describes_parameters_errors_and_examples() {
        let m = crate::specs::method("crm.item.list").unwrap();
        let text = super::describe(m);
        assert!(text.contains("entityTypeId"));
        assert!(text.contains("required"));
        assert!(text.contains("INVALID_ARG_VALUE"));
        assert!(text.contains("b24 call crm.item.list --json"));
        assert!(text.contains("by ID (`id`)"));
    }
}
