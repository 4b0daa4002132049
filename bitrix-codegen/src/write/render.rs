//! A [`Spec`] as TOML text, the same text for the same spec: the layout every imported spec has.

use std::fmt::Write as _;

use super::spec::{Field, Origin, Required, Spec};
use super::toml::{block, quote};

/// What a range of output lines came from, so a validator problem can be traced to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The top-level keys.
    Top,
    /// `[deprecated]`.
    Deprecated,
    /// `[state]`.
    State,
    /// `params[i]`.
    Param(usize),
    /// The header of `types[i]`.
    Type(usize),
    /// `types[i].fields[j]`.
    TypeField(usize, usize),
    /// `[result]`.
    Result,
    /// `errors[i]`.
    Error(usize),
    /// `examples[i]`.
    Example(usize),
}

/// Whether to write the annotations the validator may not know yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The spec as written to disk: `origin`, `todo`, `[state]`.
    Full,
    /// For a validator without the new keys: those left out, a placeholder `summary` added.
    Compat,
}

/// TOML text and, for each part, its first and last line (1-based).
pub struct Rendered {
    /// The text.
    pub text: String,
    /// `(first line, last line, part)`.
    pub parts: Vec<(usize, usize, Part)>,
}

impl Rendered {
    /// The part that the given line belongs to.
    pub fn part_at(&self, line: usize) -> Option<Part> {
        self.parts
            .iter()
            .rev()
            .find(|(a, b, _)| *a <= line && line <= *b)
            .map(|(_, _, p)| *p)
    }
}

struct Out {
    text: String,
    parts: Vec<(usize, usize, Part)>,
}

impl Out {
    fn line(&self) -> usize {
        self.text.matches('\n').count() + 1
    }
    fn part(&mut self, part: Part, f: impl FnOnce(&mut String)) {
        let start = self.line();
        f(&mut self.text);
        let end = self.line().saturating_sub(1).max(start);
        self.parts.push((start, end, part));
    }
}

/// Renders a spec.
pub fn render(spec: &Spec, mode: Mode) -> Rendered {
    let mut o = Out {
        text: String::new(),
        parts: Vec::new(),
    };
    o.part(Part::Top, |t| {
        let _ = writeln!(
            t,
            "# {}: imported from the official reference by `bitrix-specs import`.",
            spec.method
        );
        let _ = writeln!(t, "method = {}", quote(&spec.method));
        let _ = writeln!(t, "scope = {}", quote(&spec.scope));
        if spec.rest == 3 {
            t.push_str("rest = 3\n");
        }
        if mode == Mode::Full {
            match spec.origin {
                Origin::Import => t.push_str("origin = \"import\"\n"),
                Origin::Hand => t.push_str("origin = \"hand\"\n"),
                Origin::Unsaid => {}
            }
        } else {
            t.push_str("summary = \"Imported.\"\n");
        }
        let _ = writeln!(t, "docs = {}", quote(&spec.docs));
        if spec.idempotent {
            t.push_str("idempotent = true\n");
        }
        if mode == Mode::Full && !spec.todo.is_empty() {
            t.push_str("todo = [\n");
            for p in &spec.todo {
                let _ = writeln!(t, "    {},", quote(p));
            }
            t.push_str("]\n");
        }
    });
    if let Some(rep) = &spec.deprecated {
        o.part(Part::Deprecated, |t| {
            t.push_str("\n[deprecated]\n");
            if let Some(r) = rep {
                let _ = writeln!(t, "replacement = {}", quote(r));
            }
        });
    }
    if let (Some(s), Mode::Full) = (&spec.state, mode) {
        o.part(Part::State, |t| {
            t.push_str("\n[state]\n");
            let _ = writeln!(t, "entity = {}", quote(&s.entity));
            let _ = writeln!(t, "action = {}", quote(&s.action));
            for (k, v) in [
                ("id", &s.id),
                ("fields", &s.fields),
                ("key", &s.key),
                ("wrap", &s.wrap),
                ("not_found", &s.not_found),
                ("answer", &s.answer),
            ] {
                if let Some(v) = v {
                    let _ = writeln!(t, "{k} = {}", quote(v));
                }
            }
        });
    }
    for (i, p) in spec.params.iter().enumerate() {
        o.part(Part::Param(i), |t| {
            t.push_str("\n[[params]]\n");
            field(t, p);
        });
    }
    for (i, ty) in spec.types.iter().enumerate() {
        o.part(Part::Type(i), |t| {
            let _ = writeln!(t, "\n[types.{}]", ty.name);
            if !ty.values.is_empty() {
                t.push_str("values = [\n");
                for v in &ty.values {
                    let _ = writeln!(t, "    {{ value = {} }},", quote(v));
                }
                t.push_str("]\n");
            }
        });
        for (j, f) in ty.fields.iter().enumerate() {
            o.part(Part::TypeField(i, j), |t| {
                let _ = writeln!(t, "\n[[types.{}.fields]]", ty.name);
                field(t, f);
            });
        }
    }
    o.part(Part::Result, |t| {
        t.push_str("\n[result]\n");
        let _ = writeln!(t, "type = {}", quote(&spec.result.ty));
        if spec.result.paged {
            t.push_str("paged = true\n");
        }
        if let Some(items) = &spec.result.items {
            let _ = writeln!(t, "items = {}", quote(items));
        }
    });
    for (i, e) in spec.errors.iter().enumerate() {
        o.part(Part::Error(i), |t| {
            t.push_str("\n[[errors]]\n");
            let _ = writeln!(t, "code = {}", quote(&e.code));
            if let Some(d) = &e.description {
                let _ = writeln!(t, "description = {}", quote(d));
            }
            if let Some(s) = e.status {
                let _ = writeln!(t, "status = {s}");
            }
            if let Some(v) = &e.variant {
                let _ = writeln!(t, "variant = {}", quote(v));
            }
        });
    }
    for (i, e) in spec.examples.iter().enumerate() {
        o.part(Part::Example(i), |t| {
            t.push_str("\n[[examples]]\n");
            let _ = writeln!(t, "name = {}", quote(&e.name));
            if let Some(r) = &e.request {
                let _ = writeln!(t, "request = {}", block(r));
            }
            let _ = writeln!(t, "status = {}", e.status);
            if let Some(r) = &e.response {
                let _ = writeln!(t, "response = {}", block(r));
            }
        });
    }
    Rendered {
        text: o.text,
        parts: o.parts,
    }
}

fn field(t: &mut String, f: &Field) {
    let _ = writeln!(t, "name = {}", quote(&f.name));
    let _ = writeln!(t, "type = {}", quote(&f.ty));
    match f.required {
        Required::Yes => t.push_str("required = true\n"),
        Required::Webhook => t.push_str("required = \"webhook\"\n"),
        Required::No => {}
    }
}
