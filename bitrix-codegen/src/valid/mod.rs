//! Step 2: the meaning of a spec. Each rule of `specs/README.md` is a small function in the file
//! of the part it checks (`header`, `fields`, `types`, `result`, `errors`, `examples`, `state`);
//! this file runs them in order, collects every problem, and builds the [`Method`] model.

use std::collections::BTreeSet;

use crate::ast::*;
use crate::diag::Ctx;
use crate::model::*;
use crate::names;
use crate::source::SpecSource;

mod errors;
pub(crate) mod examples;
pub(crate) mod fields;
pub(crate) mod header;
mod result;
mod shared;
mod state;
pub(crate) mod types;

pub use shared::{check_shared_types, SharedTypes};

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

/// Validates one spec. `stem` is the file name without `.toml` (the method name must equal it);
/// `shared` are the types of the spec's folder's `_types.toml`.
pub fn validate(
    ctx: &mut Ctx<'_>,
    spec: SpecAst,
    stem: Option<&str>,
    source: &SpecSource,
    shared: &[TypeDef],
) -> Validated {
    let name = header::method_name(ctx, &spec.method, stem);
    let scope = header::scope(ctx, &spec.scope);
    let rest = header::rest_version(ctx, &spec.rest);
    let twin = header::twin(ctx, &spec.method, stem, rest);
    let imported = header::origin(ctx, &spec.origin);
    let no_example = header::no_example(ctx, &spec.no_example, imported, spec.examples.len());
    let application_only = header::application_only(ctx, &spec.auth);
    let exact_names = header::exact_names(ctx, &spec.param_case);
    header::replacement(ctx, &spec.deprecated);
    // Whether the names that become Rust identifiers are usable, for fallback code.
    let mut sound = name.is_some() && scope.is_some();

    // Named types first: fields refer to them. A spec's own type wins over a shared one.
    let own: BTreeSet<&str> = spec.types.iter().map(|t| t.name.value.as_str()).collect();
    let known: Vec<&str> = own
        .iter()
        .copied()
        .chain(
            shared
                .iter()
                .map(|t| t.name.as_str())
                .filter(|n| !own.contains(n)),
        )
        .collect();
    let params = fields::fields(ctx, &spec.params, &known, "parameter");
    fields::aliases(ctx, &spec.params, &spec.types, exact_names);
    let (types, types_sound) = types::named_types(ctx, &spec.types, &known);
    sound &= types_sound;
    let result = result::result(ctx, &spec.result, &known);
    let errors = errors::errors(ctx, &spec.errors);
    let state = spec
        .state
        .as_ref()
        .and_then(|s| state::state(ctx, s, &params, &errors));

    let name = name.unwrap_or_default();
    let scope = scope.unwrap_or_default();
    let folder = source.folder.clone().unwrap_or_else(|| scope.clone());
    let mut rust = names::method_path(&folder, &name);
    if twin {
        rust.module.push("v3".to_string());
    }
    let mut method = Method {
        rust,
        folder,
        name,
        scope,
        callers: spec.callers.clone(),
        summary: spec
            .summary
            .as_ref()
            .map(|s| s.value.trim().to_string())
            .filter(|s| !s.is_empty()),
        description: spec.description.clone(),
        docs: spec.docs.clone(),
        idempotent: spec.idempotent,
        application_only,
        exact_names,
        rest,
        twin,
        imported,
        no_example,
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
            binary: false,
        }),
        errors,
        examples: Vec::new(),
        source: source.display.clone(),
        path: source.path.display().to_string(),
    };
    shared::bring_in(&mut method, shared);
    fields::query_types_name_structs(ctx, &spec.params, &method);
    // Examples are checked against the parameters, so only once the rest is sound.
    if !ctx.has_errors() {
        method.examples = examples::examples(ctx, &spec.examples, &method);
    }
    if !ctx.has_errors() {
        Validated::Valid(method)
    } else if sound
        && method
            .errors
            .iter()
            .all(|e| header::is_type_name(&e.variant))
    {
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
