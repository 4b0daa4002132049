//! Step 2 for events: the rules of `events/README.md`. The `data` fields and types are checked by
//! the rule functions they share with method specs (`valid::fields`, `valid::types`); the rest of
//! an event's schema (its name, Rust name, secrets, examples) is checked here.

use std::collections::BTreeSet;

use serde_json::Value;

use super::read::{EventAst, ExampleAst};
use super::{EventDef, EventExample};
use crate::diag::Ctx;
use crate::model::{Deprecation, Method, Ty, TypeKind};
use crate::source::SpecSource;
use crate::valid::examples::json;

/// Validates one event spec. `stem` is the file name without `.toml` (the event name must equal it).
pub fn validate(
    ctx: &mut Ctx<'_>,
    ev: EventAst,
    stem: Option<&str>,
    source: &SpecSource,
) -> Option<EventDef> {
    let name = match &ev.event {
        None => {
            ctx.error_help(
                0..0,
                "the event spec has no `event`",
                "add `event = \"ONIMCOMMANDADD\"`: the name as Bitrix24 sends it",
            );
            None
        }
        Some(e) if !is_event_name(&e.value) => {
            ctx.error_help(
                e.span.clone(),
                format!("`{}` is not a valid event name", e.value),
                "event names are upper-case letters, digits and `_`, dot-separated, e.g. `ONIMCOMMANDADD`, `CATALOG.PRICE.ON.ADD`",
            );
            None
        }
        Some(e) => {
            if let Some(stem) = stem.filter(|s| *s != e.value) {
                ctx.error_help(
                    e.span.clone(),
                    format!("event `{}` is in a file named `{stem}.toml`", e.value),
                    format!("rename the file to `{}.toml` or fix the name", e.value),
                );
            }
            Some(e.value.clone())
        }
    };
    let rust_name = match &ev.rust_name {
        None => {
            ctx.error_help(
                0..0,
                "the event spec has no `rust_name`",
                "add `rust_name = \"OnImCommandAdd\"`: event names carry no word breaks, so the Rust name is spelled out",
            );
            None
        }
        Some(r) if !is_pascal(&r.value) || r.value == "Unknown" => {
            ctx.error_help(
                r.span.clone(),
                format!("`{}` is not a usable Rust name for an event", r.value),
                "use PascalCase letters and digits, e.g. `OnImBotMessageAdd` (`Unknown` is reserved)",
            );
            None
        }
        Some(r) => Some(r.value.clone()),
    };
    if let Some(dep) = &ev.deprecated {
        if let Some(r) = dep
            .replacement
            .as_ref()
            .filter(|r| !is_event_name(&r.value))
        {
            ctx.error_help(
                r.span.clone(),
                format!("replacement `{}` is not a valid event name", r.value),
                "name the event to handle instead, e.g. `ONIMBOTV2COMMANDADD`",
            );
        }
    }

    let imported = origin(ctx, &ev.origin);
    if ev.summary.is_none() {
        ctx.error_help(
            0..0,
            "the event spec has no `summary`",
            "add `summary = \"…\"`: one sentence on when the event arrives",
        );
    }
    // The payload: its fields and named types, in the grammar they share with method specs and
    // checked by the same rule functions, with event words in the messages.
    let scope = crate::valid::header::event_scope(ctx, &ev.scope);
    let known: Vec<&str> = ev.types.iter().map(|t| t.name.value.as_str()).collect();
    let fields = crate::valid::fields::fields(ctx, &ev.fields, &known, "field");
    let (mut types, _) = crate::valid::types::named_types(ctx, &ev.types, &known);
    // Event types share their scope's module, so they carry the event's name.
    let prefix = rust_name.clone().unwrap_or_default();
    for t in &mut types {
        t.rust_name = format!("{prefix}{}", t.name);
    }
    let data = scope.as_ref().map(|scope| {
        let mut holder = Method::holder(scope, types);
        holder.params = fields;
        holder
    });

    let mut secrets = Vec::new();
    if let Some(data) = &data {
        for s in &ev.secrets {
            let uses = secret_uses(data, &s.value);
            if uses.is_empty() {
                ctx.error_help(
                    s.span.clone(),
                    format!("secret `{}` is not a field of the payload", s.value),
                    "list wire names of `string` fields that hold tokens",
                );
            } else if let Some(ty) = uses.iter().find(|t| !is_text(t)) {
                ctx.error_help(
                    s.span.clone(),
                    format!("secret `{}` has type `{ty}`", s.value),
                    "secrets are `string` (or `string?`) fields",
                );
            }
            secrets.push(s.value.clone());
        }
    }
    let examples = examples(ctx, &ev.examples, name.as_deref());
    let raise = super::raise::validate(ctx, &ev.raise, data.as_ref());
    if ctx.has_errors() {
        return None;
    }
    let data = data?;
    Some(EventDef {
        name: name?,
        rust_name: rust_name?,
        scope: data.scope.clone(),
        summary: ev
            .summary
            .as_ref()
            .map(|s| s.value.trim().to_string())
            .unwrap_or_default(),
        description: ev.description.clone(),
        docs: ev.docs.clone(),
        deprecated: ev.deprecated.as_ref().map(|d| Deprecation {
            replacement: d.replacement.as_ref().map(|r| r.value.clone()),
            note: d.note.clone(),
        }),
        secrets,
        data,
        examples,
        imported,
        todo: ev.todo.iter().map(|t| t.value.clone()).collect(),
        auth: auth_keys(ctx, &ev.auth),
        folder: source.folder.clone(),
        raise,
        source: source.display.clone(),
        path: source.path.display().to_string(),
    })
}

/// The types of every field named `wire`, in the payload and its struct types.
fn secret_uses<'m>(data: &'m Method, wire: &str) -> Vec<&'m Ty> {
    let nested = data.types.iter().filter_map(|t| match &t.kind {
        TypeKind::Struct { fields, .. } => Some(fields),
        TypeKind::Enum { .. } => None,
    });
    std::iter::once(&data.params)
        .chain(nested)
        .flatten()
        .filter(|f| f.wire == wire)
        .map(|f| &f.ty)
        .collect()
}

fn is_text(ty: &Ty) -> bool {
    match ty {
        Ty::String => true,
        Ty::Nullable(t) => **t == Ty::String,
        _ => false,
    }
}

fn examples(ctx: &mut Ctx<'_>, rows: &[ExampleAst], event: Option<&str>) -> Vec<EventExample> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for r in rows {
        let Some(name) = &r.name else {
            ctx.error_help(
                r.span.clone(),
                "an example has no `name`",
                "add `name = \"snake_case_name\"`",
            );
            continue;
        };
        if !seen.insert(name.value.clone()) {
            ctx.error(
                name.span.clone(),
                format!("two examples are named `{}`", name.value),
            );
        }
        if r.body.is_none() && r.data.is_none() && r.form.is_none() {
            ctx.error_help(
                r.span.clone(),
                format!("example `{}` has no payload", name.value),
                "give `body` (the JSON body), `data` (only the data object) or `form` (the form body)",
            );
        }
        let body = r.body.as_ref().and_then(|b| json(ctx, b, "`body`"));
        if let (Some(b), Some(text)) = (&body, &r.body) {
            let sent = b.get("event").and_then(Value::as_str);
            match (sent, event) {
                (None, _) => ctx.error_help(
                    text.span.clone(),
                    format!("example `{}`: the body has no `event` string", name.value),
                    "a delivered body carries `event`, `data` and `auth`",
                ),
                (Some(s), Some(e)) if !s.eq_ignore_ascii_case(e) => ctx.error(
                    text.span.clone(),
                    format!("example `{}` is an `{s}` body, not `{e}`", name.value),
                ),
                _ => {}
            }
            // PHP writes an empty `data` object as `[]`.
            let data_ok = b
                .get("data")
                .is_some_and(|d| d.is_object() || d.as_array().is_some_and(Vec::is_empty));
            if !data_ok {
                ctx.error(
                    text.span.clone(),
                    format!("example `{}`: the body has no `data` object", name.value),
                );
            }
        }
        let data = r.data.as_ref().and_then(|d| {
            let v = json(ctx, d, "`data`")?;
            if !v.is_object() {
                ctx.error(
                    d.span.clone(),
                    format!("example `{}`: `data` is not a JSON object", name.value),
                );
            }
            Some(v)
        });
        if let Some(f) = &r.form {
            let form = f.value.trim();
            if !form.split('&').any(|pair| pair.starts_with("event=")) {
                ctx.error_help(
                    f.span.clone(),
                    format!("example `{}`: the form body has no `event=` field", name.value),
                    "write the body as sent: `event=ONIMCOMMANDADD&data%5B…%5D=…&auth%5Bapplication_token%5D=…`",
                );
            }
        }
        out.push(EventExample {
            name: name.value.clone(),
            description: r.description.clone(),
            body,
            data,
            form: r.form.as_ref().map(|f| f.value.trim().to_string()),
        });
    }
    out
}

/// Upper-case letters, digits and `_`, in segments separated by dots (`ONCRMDEALADD`,
/// `CATALOG.PRICE.ON.ADD`).
fn is_event_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.split('.').all(|seg| {
            !seg.is_empty()
                && seg
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
}

/// `auth` lists wire names (letters, digits, `_`).
fn auth_keys(ctx: &mut Ctx<'_>, keys: &[crate::ast::Sp<String>]) -> Vec<String> {
    for k in keys {
        if k.value.is_empty()
            || !k
                .value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            ctx.error_help(
                k.span.clone(),
                format!("`{}` is not a key of the `auth` block", k.value),
                "list wire names such as `access_token`, `domain`, `member_id`",
            );
        }
    }
    keys.iter().map(|k| k.value.clone()).collect()
}

/// `origin` is `import` or `hand`; whether it says `import`.
fn origin(ctx: &mut Ctx<'_>, origin: &Option<crate::ast::Sp<String>>) -> bool {
    match origin {
        None => false,
        Some(o) if o.value == "import" => true,
        Some(o) if o.value == "hand" => false,
        Some(o) => {
            ctx.error_help(
                o.span.clone(),
                format!("`origin = \"{}\"` is not known", o.value),
                "use `\"import\"` (rewritten by the importer) or `\"hand\"` (finished by hand)",
            );
            false
        }
    }
}

fn is_pascal(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}
