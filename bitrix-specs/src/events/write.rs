//! An [`EventSpec`] as the TOML of `events/README.md`.

use std::fmt::Write as _;

use super::build::{EventSpec, ExampleKind};
use crate::write::quote;

/// The spec file's text.
pub fn render(ev: &EventSpec) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "event = {}", quote(&ev.name));
    let _ = writeln!(t, "rust_name = {}", quote(&ev.rust_name));
    let _ = writeln!(t, "scope = {}", quote(&ev.scope));
    // Our words, not the page's: the name and where it comes from are the facts we have.
    let _ = writeln!(
        t,
        "summary = {}",
        quote(&format!(
            "The `{}` event, as the reference documents it (imported).",
            ev.name
        ))
    );
    let _ = writeln!(t, "docs = {}", quote(&ev.docs));
    t.push_str("origin = \"import\"\n");
    if !ev.secrets.is_empty() {
        let _ = writeln!(t, "secrets = {}", list(&ev.secrets));
    }
    if !ev.auth.is_empty() {
        let _ = writeln!(t, "auth = {}", list(&ev.auth));
    }
    if !ev.todo.is_empty() {
        t.push_str("todo = [\n");
        for p in &ev.todo {
            let _ = writeln!(t, "    {},", quote(p));
        }
        t.push_str("]\n");
    }
    if ev.deprecated {
        t.push_str("\n[deprecated]\n");
    }
    for f in &ev.fields {
        t.push_str("\n[[fields]]\n");
        field(&mut t, f);
    }
    for ty in &ev.types {
        let _ = write!(t, "\n[types.{}]\n", ty.name);
        if !ty.values.is_empty() {
            let values: Vec<String> = ty
                .values
                .iter()
                .map(|v| format!("{{ value = {} }}", quote(v)))
                .collect();
            let _ = writeln!(t, "values = [{}]", values.join(", "));
            continue;
        }
        for f in &ty.fields {
            let _ = write!(t, "\n[[types.{}.fields]]\n", ty.name);
            field(&mut t, f);
        }
    }
    if let Some((kind, text)) = &ev.example {
        t.push_str("\n[[examples]]\nname = \"documented\"\n");
        let key = match kind {
            ExampleKind::Body => "body",
            ExampleKind::Data => "data",
        };
        let _ = writeln!(t, "{key} = {}", block(text));
    }
    t
}

fn field(t: &mut String, f: &crate::spec::Field) {
    let _ = writeln!(t, "name = {}", quote(&f.name));
    let _ = writeln!(t, "type = {}", quote(&f.ty));
}

fn list(items: &[String]) -> String {
    let q: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", q.join(", "))
}

/// A multi-line TOML string: literal when it can be, basic otherwise.
fn block(s: &str) -> String {
    if !s.contains("'''")
        && !s.ends_with('\'')
        && s.chars().all(|c| c == '\n' || c == '\t' || !c.is_control())
    {
        return format!("'''\n{s}\n'''");
    }
    let mut out = String::from("\"\"\"\n");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push('\n'),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push_str("\n\"\"\"");
    out
}
