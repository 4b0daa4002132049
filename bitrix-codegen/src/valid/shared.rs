//! Rules of a folder's shared types (`_types.toml`), and bringing them into the methods that use them.

use std::collections::{BTreeMap, BTreeSet};

use crate::ast::TypeAst;
use crate::diag::{Ctx, Diagnostic};
use crate::model::{Method, TypeDef, TypeKind};
use crate::read::read_types_file;
use crate::source::SpecSource;

/// The shared types of every folder, by folder.
pub type SharedTypes = BTreeMap<String, Vec<TypeDef>>;

/// Reads and checks every `_types.toml`: each on its own, then across folders (one name, one
/// meaning). Problems name the file and line.
pub fn check_shared_types(sources: &[&SpecSource]) -> (SharedTypes, Vec<Diagnostic>) {
    let mut out = SharedTypes::new();
    let mut problems = Vec::new();
    let mut first: BTreeMap<String, (&SpecSource, TypeDef)> = BTreeMap::new();
    for source in sources {
        let folder = source.folder.clone().unwrap_or_default();
        let mut ctx = Ctx::new(&source.display, &source.text);
        let asts: Vec<TypeAst> = read_types_file(&mut ctx, &source.text).unwrap_or_default();
        let known: Vec<&str> = asts.iter().map(|t| t.name.value.as_str()).collect();
        let (mut types, _) = super::types::named_types(&mut ctx, &asts, &known);
        // A name that is no type name has its diagnostic; the type must not reach code
        // generation, where it made `include_specs!` panic (`[[types.-ontact.fields]]`, found by
        // the `spec_reader` fuzz target).
        types.retain(|t| super::header::is_type_name(&t.rust_name));
        for t in &mut types {
            t.shared = Some(folder.clone());
            let ast = asts.iter().find(|a| a.name.value == t.name);
            same_meaning_everywhere(&mut ctx, &mut first, source, t, ast);
        }
        problems.extend(ctx.finish());
        out.insert(folder, types);
    }
    (out, problems)
}

/// A type name declared in two folders' `_types.toml` means the same type in both.
fn same_meaning_everywhere<'s>(
    ctx: &mut Ctx<'_>,
    first: &mut BTreeMap<String, (&'s SpecSource, TypeDef)>,
    source: &'s SpecSource,
    t: &TypeDef,
    ast: Option<&TypeAst>,
) {
    match first.get(&t.name) {
        Some((other, def)) if def.kind != t.kind => {
            let span = ast.map_or(0..0, |a| a.name.span.clone());
            ctx.error_help(
                span,
                format!(
                    "shared type `{}` is declared differently in {}",
                    t.name, other.display
                ),
                "give both folders the same fields (or values), or rename one of them",
            );
        }
        Some(_) => {}
        None => {
            first.insert(t.name.clone(), (source, t.clone()));
        }
    }
}

/// Adds to the method the shared types it uses, directly or through other types, so that the
/// model is complete on its own (the emulator checks values against it); they keep their folder
/// in `shared`, so the generator refers to them instead of generating them again.
pub(super) fn bring_in(method: &mut Method, shared: &[TypeDef]) {
    let own: BTreeSet<String> = method.types.iter().map(|t| t.name.clone()).collect();
    let mut wanted: Vec<String> = method
        .params
        .iter()
        .flat_map(|p| p.ty.named())
        .chain(method.result.ty.named())
        .map(str::to_string)
        .collect();
    for t in &method.types {
        if let TypeKind::Struct { fields, .. } = &t.kind {
            wanted.extend(fields.iter().flat_map(|f| f.ty.named()).map(str::to_string));
        }
    }
    let mut added = BTreeSet::new();
    while let Some(name) = wanted.pop() {
        if own.contains(&name) || !added.insert(name.clone()) {
            continue;
        }
        if let Some(def) = shared.iter().find(|t| t.name == name) {
            if let TypeKind::Struct { fields, .. } = &def.kind {
                wanted.extend(fields.iter().flat_map(|f| f.ty.named()).map(str::to_string));
            }
            method.types.push(def.clone());
        }
    }
}
