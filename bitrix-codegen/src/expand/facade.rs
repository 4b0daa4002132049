//! The facade over sharded API crates: the same module tree as a single expansion would make,
//! each item re-exported by name from the crate that generated it, so users see one API
//! (`bitrix_rest::api::imbot::command::Update`) however many crates compile it in parallel.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tree::Tree;
use super::{describe_modules, folder_doc, ident, shard_of};
use crate::model::{Method, TypeKind};
use crate::names::module_name;
use crate::valid::SharedTypes;

/// Re-exports of every method from `crates[shard_of(method, crates.len())]` and of every shared
/// type from `shared_path` (one module per folder), gated per folder when `gate`.
pub fn expand_reexports(methods: &[Method], shared: &SharedTypes, crates: &[TokenStream], shared_path: &TokenStream, gate: bool) -> TokenStream {
    let mut tree = Tree::default();
    for (folder, types) in shared {
        let module = ident(&module_name(folder));
        let names = types.iter().flat_map(|t| {
            let id = format_ident!("{}", t.rust_name);
            let reference = matches!(t.kind, TypeKind::Struct { .. }).then(|| format_ident!("{}Ref", t.rust_name));
            std::iter::once(id).chain(reference)
        });
        let path = [module_name(folder)];
        tree.put(&path, quote!(#[doc(inline)] #[allow(deprecated)] pub use #shared_path::#module::{#(#names),*};));
        tree.describe(&path, || folder_doc(folder));
    }
    for m in methods {
        let krate = &crates[shard_of(&m.name, crates.len() as u32) as usize];
        let segments: Vec<_> = m.rust.module.iter().map(|s| ident(s)).collect();
        let ty = ident(&m.rust.type_name);
        tree.put(&m.rust.module, quote!(#[doc(inline)] #[allow(deprecated)] pub use #krate::#(#segments::)*#ty;));
        describe_modules(m, &mut tree);

        let own = ident(&m.rust.own);
        let referable = m.result_types();
        let names = m.types.iter().filter(|t| t.shared.is_none()).flat_map(|t| {
            let id = format_ident!("{}", t.rust_name);
            let reference = (matches!(t.kind, TypeKind::Struct { .. }) && referable.contains(t.name.as_str())).then(|| format_ident!("{}Ref", t.rust_name));
            std::iter::once(id).chain(reference)
        });
        let mut path = m.rust.module.clone();
        path.push(m.rust.own.clone());
        tree.put(&path, quote!(#[doc(inline)] #[allow(deprecated)] pub use #krate::#(#segments::)*#own::{Error, #(#names),*};));
        tree.describe(&path, || format!("The types and errors of `{}` ([`{}`](super::{})).", m.name, m.rust.type_name, m.rust.type_name));
    }
    tree.render(gate)
}
