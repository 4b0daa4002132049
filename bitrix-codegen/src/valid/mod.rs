//! Step 2: the meaning of a spec. Checks every rule of `specs/README.md`, reports all problems
//! together, and builds the [`Method`] model when there are none.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::ast::*;
use crate::diag::{did_you_mean, Ctx};
use crate::model::*;
use crate::model::{parse_type, Ty, PRIMITIVES};
use crate::names;
use crate::source::SpecSource;

mod state;

/// What validation made of a spec.
#[derive(Debug)]
pub enum Validated {
    /// No problem: the method.
    Valid(Method),
    /// Problems were reported, but the spec is sound enough to generate its types from what was
    /// understood (bad fields left out), so that code using it gets no follow-on errors.
    Fallback(Method),
    /// Nothing can be generated.
    Invalid,
}

/// Validates one spec. `stem` is the file name without `.toml` (the method name must equal it).
pub fn validate(
    ctx: &mut Ctx<'_>,
    spec: SpecAst,
    stem: Option<&str>,
    source: &SpecSource,
) -> Validated {
    // Whether the names that become Rust identifiers are usable, for fallback code.
    let mut sound = true;
    let name = required_text(
        ctx,
        &spec.method,
        0..0,
        "method",
        "add `method = \"scope.name\"` at the top",
    );
    sound &= name.is_some();
    if let Some(m) = &spec.method {
        if !is_method_name(&m.value) {
            sound = false;
            ctx.error_help(m.span.clone(), format!("`{}` is not a valid method name", m.value), "a method name is dot-separated segments of letters, digits and `_`, e.g. `imbot.command.update`");
        } else if m.value == "batch" {
            // Its parameters are other calls and its result theirs: no spec can type it.
            sound = false;
            ctx.error_help(
                m.span.clone(),
                "`batch` is built into the runtime and cannot be a spec",
                "use `bitrix_rest::Batch` with `Client::batch`; see specs/README.md, *Methods that are not specs*",
            );
        } else if let Some(stem) = stem.filter(|s| *s != m.value) {
            ctx.error_help(
                m.span.clone(),
                format!("method `{}` is in a file named `{stem}.toml`", m.value),
                format!("rename the file to `{}.toml` or fix the name", m.value),
            );
        }
    }
    let scope = required_text(
        ctx,
        &spec.scope,
        0..0,
        "scope",
        "add `scope = \"…\"`, e.g. `scope = \"imbot\"`",
    );
    sound &= scope.is_some();
    if let Some(s) = &spec.scope {
        if !s
            .value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            || s.value.is_empty()
        {
            sound = false;
            ctx.error_help(
                s.span.clone(),
                format!("scope `{}` is not a valid scope name", s.value),
                "use lower-case letters, digits and `_`",
            );
        }
    }
    let summary = spec.summary.as_ref().map(|s| s.value.trim().to_string());
    let rest = rest_version(ctx, &spec.rest);
    let imported = origin(ctx, &spec.origin);
    if let Some(dep) = &spec.deprecated {
        if let Some(r) = &dep.replacement {
            if !is_method_name(&r.value) {
                ctx.error_help(
                    r.span.clone(),
                    format!("replacement `{}` is not a valid method name", r.value),
                    "name the method to use instead, e.g. `imbot.v2.Command.update`",
                );
            }
        }
    }

    // Named types first: fields refer to them.
    let mut type_names: BTreeMap<&str, &TypeAst> = BTreeMap::new();
    for t in &spec.types {
        if !is_type_name(&t.name.value) {
            sound = false;
            ctx.error_help(
                t.name.span.clone(),
                format!("type name `{}` is not PascalCase", t.name.value),
                "name types like `Fields` or `LangEntry`",
            );
        }
        type_names.insert(&t.name.value, t);
    }
    let known: Vec<&str> = type_names.keys().copied().collect();
    let method_rust = name
        .as_deref()
        .map(names::method_type_name)
        .unwrap_or_default();

    let params = fields(ctx, &spec.params, &known, "parameter");
    let mut types = Vec::new();
    let error_rust = format!("{method_rust}Error");
    let mut rust_seen: BTreeMap<String, &str> = BTreeMap::new();
    for t in &spec.types {
        let rust_name = if t.name.value.starts_with(&method_rust) {
            t.name.value.clone()
        } else {
            format!("{method_rust}{}", t.name.value)
        };
        if !method_rust.is_empty() {
            let clash = if rust_name == method_rust {
                Some("the request type".to_string())
            } else if rust_name == error_rust {
                Some("the error enum".to_string())
            } else {
                rust_seen
                    .get(rust_name.as_str())
                    .map(|other| format!("type `{other}`"))
            };
            if let Some(clash) = clash {
                sound = false;
                ctx.error_help(
                    t.name.span.clone(),
                    format!(
                        "type `{}` would be named `{rust_name}` in Rust, the same as {clash}",
                        t.name.value
                    ),
                    format!("rename the type; generated types are named `{method_rust}<Name>`, so a short name such as `Info` or `Details` is enough"),
                );
            }
            rust_seen.entry(rust_name.clone()).or_insert(&t.name.value);
        }
        let kind = match (&t.fields, &t.values) {
            (Some(_), Some(v)) => {
                ctx.error_help(
                    v.span.clone(),
                    format!("type `{}` has both `fields` and `values`", t.name.value),
                    "a type is either a struct (`fields`) or an enum (`values`)",
                );
                continue;
            }
            (None, None) => {
                ctx.error_help(t.name.span.clone(), format!("type `{}` has neither `fields` nor `values`", t.name.value), "add `[[types.Name.fields]]` entries for a struct or `values = [...]` for an enum");
                continue;
            }
            (Some(f), None) => {
                let fields = fields(ctx, &f.value, &known, "field");
                let min_fields = match &t.min_fields {
                    Some(m) if m.value < 0 || m.value as usize > fields.len() => {
                        ctx.error_help(
                            m.span.clone(),
                            format!(
                                "`min_fields = {}` but type `{}` has {} fields",
                                m.value,
                                t.name.value,
                                fields.len()
                            ),
                            "use a number between 0 and the number of fields",
                        );
                        0
                    }
                    Some(m) => m.value as usize,
                    None => 0,
                };
                TypeKind::Struct { fields, min_fields }
            }
            (None, Some(v)) => {
                if v.value.is_empty() {
                    ctx.error_help(
                        v.span.clone(),
                        format!("enum type `{}` has no values", t.name.value),
                        "list the allowed values: `values = [{ value = \"…\" }]`",
                    );
                }
                if let Some(m) = &t.min_fields {
                    ctx.error(m.span.clone(), "`min_fields` applies to structs, not enums");
                }
                let mut seen = BTreeSet::new();
                let values = v
                    .value
                    .iter()
                    .filter_map(|e| {
                        let mut variant = names::variant_name(&e.value.value);
                        // `Unknown(String)` is the catch-all for values the spec does not list.
                        if variant == "Unknown" {
                            variant = "UnknownValue".to_string();
                        }
                        if !seen.insert(variant.clone()) {
                            ctx.error(e.value.span.clone(), format!("enum value `{}` repeats (or has the same Rust name as) another value", e.value.value));
                            return None;
                        }
                        Some(EnumValue { value: e.value.value.clone(), variant, description: e.description.clone() })
                    })
                    .collect();
                TypeKind::Enum { values }
            }
        };
        types.push(TypeDef {
            name: t.name.value.clone(),
            rust_name,
            description: t.description.clone(),
            kind,
        });
    }
    sound &= !check_cycles(ctx, &spec.types);
    // Every struct also gets its batch reference type, `<Rust name>Ref`. Checked for all structs,
    // not only those the result holds, so editing `[result]` cannot make a name clash appear.
    let reference_types: BTreeMap<String, &str> = types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Struct { .. }))
        .map(|t| (format!("{}Ref", t.rust_name), t.name.as_str()))
        .collect();
    for t in &types {
        if let (Some(owner), Some(ast)) = (
            reference_types.get(&t.rust_name),
            type_names.get(t.name.as_str()),
        ) {
            sound = false;
            ctx.error_help(
                ast.name.span.clone(),
                format!(
                    "type `{}` would be named `{}` in Rust, the same as the batch reference type of `{owner}`",
                    t.name, t.rust_name
                ),
                "rename the type; names ending in `Ref` are taken by the reference types of structs",
            );
        }
    }

    let result = match &spec.result {
        None => {
            ctx.error_help(
                0..0,
                "the spec has no `[result]`",
                "add `[result]` with `type = \"…\"` (e.g. `boolean`)",
            );
            None
        }
        Some(r) => {
            let ty = match &r.ty {
                None => {
                    ctx.error_help(
                        r.span.clone(),
                        "`[result]` has no `type`",
                        "add `type = \"boolean\"` or another type expression",
                    );
                    None
                }
                Some(t) => type_expr(ctx, t, &known),
            };
            if let (Some(items), false) = (&r.items, r.paged) {
                ctx.error_help(
                    items.span.clone(),
                    "`items` is only meaningful with `paged = true`",
                    "add `paged = true` or remove `items`",
                );
            }
            ty.map(|ty| ResultDef {
                ty,
                description: r.description.clone(),
                paged: r.paged,
                items: r.items.as_ref().map(|i| i.value.clone()),
            })
        }
    };

    let errors = errors(ctx, &spec.errors);
    let paged = result.as_ref().is_some_and(|r| r.paged);
    let state = spec
        .state
        .as_ref()
        .and_then(|s| state::state(ctx, s, &params, &errors, paged));
    let mut method = Method {
        name: name.unwrap_or_default(),
        rust_name: method_rust,
        scope: scope.unwrap_or_default(),
        callers: spec.callers.clone(),
        summary,
        description: spec.description.clone(),
        docs: spec.docs.clone(),
        idempotent: spec.idempotent,
        rest,
        imported,
        todo: spec.todo.clone(),
        state,
        deprecated: spec.deprecated.as_ref().map(|d| Deprecation {
            replacement: d.replacement.as_ref().map(|r| r.value.clone()),
            note: d.note.clone(),
        }),
        params,
        types,
        result: result.unwrap_or(ResultDef {
            ty: Ty::Any,
            description: None,
            paged: false,
            items: None,
        }),
        errors,
        examples: Vec::new(),
        source: source.display.clone(),
        path: source.path.display().to_string(),
    };
    // Examples are checked against the parameters, so only once the rest is sound.
    if !ctx.has_errors() {
        method.examples = examples(ctx, &spec.examples, &method);
    }
    if !ctx.has_errors() {
        Validated::Valid(method)
    } else if sound && method.errors.iter().all(|e| is_type_name(&e.variant)) {
        prune_unresolved(&mut method);
        Validated::Fallback(method)
    } else {
        Validated::Invalid
    }
}

/// Fallback code keeps only what resolves: fields whose type names a type that was left out are
/// dropped, and a result of such a type becomes free JSON.
fn prune_unresolved(method: &mut Method) {
    let known: BTreeSet<String> = method.types.iter().map(|t| t.name.clone()).collect();
    let resolves = |ty: &Ty| ty.named().iter().all(|n| known.contains(*n));
    method.params.retain(|f| resolves(&f.ty));
    for t in &mut method.types {
        if let TypeKind::Struct { fields, min_fields } = &mut t.kind {
            fields.retain(|f| resolves(&f.ty));
            *min_fields = (*min_fields).min(fields.len());
        }
    }
    if !resolves(&method.result.ty) {
        method.result.ty = Ty::Any;
    }
}

/// `rest` is 2 or 3.
fn rest_version(ctx: &mut Ctx<'_>, rest: &Option<Sp<i64>>) -> u8 {
    match rest {
        None => 2,
        Some(r) if r.value == 2 || r.value == 3 => r.value as u8,
        Some(r) => {
            ctx.error_help(
                r.span.clone(),
                format!("`rest = {}` is no REST version", r.value),
                "use `rest = 3` for a REST 3.0 method, or leave it out for REST 2",
            );
            2
        }
    }
}

/// `origin` is `import` or `hand`; whether it says `import`.
fn origin(ctx: &mut Ctx<'_>, origin: &Option<Sp<String>>) -> bool {
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

fn required_text(
    ctx: &mut Ctx<'_>,
    v: &Option<Sp<String>>,
    at: Range<usize>,
    key: &str,
    help: &str,
) -> Option<String> {
    match v {
        Some(s) if !s.value.trim().is_empty() => Some(s.value.trim().to_string()),
        Some(s) => {
            ctx.error_help(s.span.clone(), format!("`{key}` is empty"), help);
            None
        }
        None => {
            ctx.error_help(at, format!("the spec has no `{key}`"), help);
            None
        }
    }
}

fn fields(ctx: &mut Ctx<'_>, rows: &[FieldAst], known: &[&str], what: &str) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    let mut wire_seen: BTreeMap<String, Range<usize>> = BTreeMap::new();
    let mut rust_seen: BTreeMap<String, String> = BTreeMap::new();
    for row in rows {
        let Some(name) = &row.name else {
            ctx.error_help(
                row.span.clone(),
                format!("a {what} has no `name`"),
                "add `name = \"WIRE_NAME\"`",
            );
            continue;
        };
        if name.value.is_empty() {
            ctx.error(name.span.clone(), format!("a {what} has an empty name"));
            continue;
        }
        let ty = match &row.ty {
            None => {
                ctx.error_help(
                    name.span.clone(),
                    format!("{what} `{}` has no `type`", name.value),
                    "add `type = \"string\"` or another type expression",
                );
                None
            }
            Some(t) => type_expr(ctx, t, known),
        };
        if wire_seen
            .insert(name.value.clone(), name.span.clone())
            .is_some()
        {
            ctx.error_help(
                name.span.clone(),
                format!("duplicate {what} `{}`", name.value),
                "each name may appear once; remove or rename the copy",
            );
            continue;
        }
        let rust = names::field_ident(&name.value);
        if rust == "extra" {
            ctx.error_help(
                name.span.clone(),
                format!(
                    "{what} `{}` would be named `extra` in Rust, which holds unknown fields",
                    name.value
                ),
                "this name is reserved",
            );
            continue;
        }
        if let Some(other) = rust_seen.insert(rust.clone(), name.value.clone()) {
            ctx.error_help(name.span.clone(), format!("{what}s `{other}` and `{}` both become `{rust}` in Rust", name.value), "Rust names are the snake case of wire names; two wire names that differ only in case cannot both be fields");
            continue;
        }
        if let Some(ty) = ty {
            out.push(Field {
                wire: name.value.clone(),
                rust,
                ty,
                required: row.required,
                description: row.description.clone(),
                default: row.default.clone(),
            });
        }
    }
    out
}

fn type_expr(ctx: &mut Ctx<'_>, t: &Sp<String>, known: &[&str]) -> Option<Ty> {
    match parse_type(&t.value) {
        Ok(ty) => {
            let mut ok = true;
            for n in ty.named() {
                if !known.contains(&n) {
                    ok = false;
                    // A PascalCase name is meant as a named type: suggest declared types only.
                    let help = match did_you_mean(n, known.iter().copied()) {
                        Some(c) => format!("did you mean `{c}`?"),
                        None => format!(
                            "declare it as `[types.{n}]`, or use a primitive: {}",
                            PRIMITIVES.join(", ")
                        ),
                    };
                    ctx.error_help(
                        t.span.clone(),
                        format!("type `{n}` is not defined in this spec"),
                        help,
                    );
                }
            }
            ok.then_some(ty)
        }
        Err(e) => {
            let word = t.value.trim_matches(|c| "[]{}?".contains(c));
            let help = match did_you_mean(
                word,
                PRIMITIVES.iter().copied().chain(known.iter().copied()),
            ) {
                Some(c) => format!("did you mean `{c}`?"),
                None => "see the type table in specs/README.md".to_string(),
            };
            // `unknown type `integr`` says it all when the whole expression is the unknown word.
            let message = if t.value.trim() == word {
                e
            } else {
                format!("bad type `{}`: {e}", t.value)
            };
            ctx.error_help(t.span.clone(), message, help);
            None
        }
    }
}

/// A struct may not contain itself other than through a list or a map. True when one does.
fn check_cycles(ctx: &mut Ctx<'_>, types: &[TypeAst]) -> bool {
    let edges: BTreeMap<String, Vec<String>> = types
        .iter()
        .map(|t| {
            let inline = t
                .fields
                .iter()
                .flat_map(|f| f.value.iter())
                .filter_map(|f| f.ty.as_ref())
                .filter_map(|ty| parse_type(&ty.value).ok())
                .filter_map(|ty| ty.named_inline().map(str::to_string))
                .collect();
            (t.name.value.clone(), inline)
        })
        .collect();
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for t in types {
        let start = t.name.value.as_str();
        if reported.contains(start) {
            continue;
        }
        if let Some(cycle) = find_cycle(&edges, start, &mut vec![start]) {
            reported.extend(cycle.iter().cloned());
            ctx.error_help(
                t.name.span.clone(),
                format!("type `{start}` contains itself: {}", cycle.join(" -> ")),
                "break the cycle with a list (`[T]`) or a map (`{T}`)",
            );
        }
    }
    !reported.is_empty()
}

fn find_cycle<'a>(
    edges: &'a BTreeMap<String, Vec<String>>,
    start: &str,
    path: &mut Vec<&'a str>,
) -> Option<Vec<String>> {
    let last = *path.last()?;
    for next in edges.get(last).into_iter().flatten() {
        if next == start {
            let mut cycle: Vec<String> = path.iter().map(|s| s.to_string()).collect();
            cycle.push(next.clone());
            return Some(cycle);
        }
        if path.contains(&next.as_str()) {
            continue;
        }
        path.push(next);
        if let Some(c) = find_cycle(edges, start, path) {
            return Some(c);
        }
        path.pop();
    }
    None
}

fn errors(ctx: &mut Ctx<'_>, rows: &[ErrorAst]) -> Vec<ErrorDef> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        if let Some(c) = &r.code {
            *count.entry(c.value.as_str()).or_default() += 1;
        }
    }
    let mut out: Vec<ErrorDef> = Vec::new();
    let mut variants: BTreeSet<String> = ["Unknown".to_string()].into();
    for r in rows {
        let Some(code) = &r.code else {
            ctx.error_help(
                r.span.clone(),
                "an [[errors]] row has no `code`",
                "add `code = \"ERROR_CODE\"` as the server sends it",
            );
            continue;
        };
        if code.value.trim().is_empty() {
            ctx.error(code.span.clone(), "an error `code` is empty");
            continue;
        }
        let shared = count[code.value.as_str()] > 1;
        let variant = match &r.variant {
            Some(v) => {
                if !is_type_name(&v.value) {
                    ctx.error_help(
                        v.span.clone(),
                        format!("variant `{}` is not a PascalCase name", v.value),
                        "e.g. `variant = \"EmptyFields\"`",
                    );
                }
                v.value.clone()
            }
            None if shared => {
                ctx.error_help(
                    code.span.clone(),
                    format!(
                        "code `{}` appears in several rows, so each needs its own `variant`",
                        code.value
                    ),
                    "add `variant = \"…\"` to each row, e.g. `EmptyFields` and `UpdateFailed`",
                );
                continue;
            }
            None => names::variant_name(&code.value),
        };
        if shared && r.description.as_deref().is_none_or(str::is_empty) {
            ctx.error_help(
                code.span.clone(),
                format!(
                    "code `{}` appears in several rows; this one has no `description`",
                    code.value
                ),
                "give the server's `error_description` so the rows can be told apart",
            );
        }
        if variant == "Unknown" {
            ctx.error_help(
                r.variant
                    .as_ref()
                    .map_or(code.span.clone(), |v| v.span.clone()),
                "the error variant `Unknown` is reserved for codes the spec does not list",
                "set another `variant` on this row, e.g. `variant = \"UnknownEntity\"`",
            );
            continue;
        }
        if !variants.insert(variant.clone()) {
            ctx.error_help(
                r.variant
                    .as_ref()
                    .map_or(code.span.clone(), |v| v.span.clone()),
                format!("two error rows have the Rust variant `{variant}`"),
                "set a distinct `variant` on one of them",
            );
            continue;
        }
        let status = match &r.status {
            Some(s) if !(400..=599).contains(&s.value) => {
                ctx.error_help(
                    s.span.clone(),
                    format!("error status {} is not an HTTP error status", s.value),
                    "use a status from 400 to 599",
                );
                400
            }
            Some(s) => s.value as u16,
            None => 400,
        };
        out.push(ErrorDef {
            code: code.value.clone(),
            description: r.description.clone(),
            meaning: r.meaning.clone(),
            status,
            variant,
            shared_code: shared,
        });
    }
    out
}

fn examples(ctx: &mut Ctx<'_>, rows: &[ExampleAst], method: &Method) -> Vec<Example> {
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
        let request = r.request.as_ref().and_then(|req| {
            let v = json(ctx, req, "request")?;
            if let Err(problem) = method.check_request(&v, false) {
                ctx.error_help(
                    req.span.clone(),
                    format!("example `{}`: {problem}", name.value),
                    "the example request must use the spec's own parameters",
                );
            }
            Some(v)
        });
        let status = r
            .status
            .as_ref()
            .map_or(200, |s| s.value.clamp(100, 599) as u16);
        let response = r.response.as_ref().and_then(|resp| {
            let v = json(ctx, resp, "response")?;
            let key = if status < 300 { "result" } else { "error" };
            if v.get(key).is_none() {
                ctx.error_help(
                    resp.span.clone(),
                    format!(
                        "example `{}` answers {status} but its response has no `{key}`",
                        name.value
                    ),
                    "a success answer has `result`, an error answer has `error`",
                );
            }
            Some(v)
        });
        out.push(Example {
            name: name.value.clone(),
            description: r.description.clone(),
            request,
            status,
            response,
        });
    }
    out
}

fn json(ctx: &mut Ctx<'_>, text: &Sp<String>, what: &str) -> Option<serde_json::Value> {
    match serde_json::from_str(&text.value) {
        Ok(v) => Some(v),
        Err(e) => {
            ctx.error_help(
                text.span.clone(),
                format!("example {what} is not valid JSON: {e}"),
                "paste the JSON body exactly as documented",
            );
            None
        }
    }
}

fn is_method_name(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|seg| {
            !seg.is_empty() && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

fn is_type_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}
