//! Step 4: Rust tokens from the [`Method`] model.
//!
//! Generated code names the runtime only through `Options::runtime` (default `::bitrix_rest`), so
//! an app can generate its own methods against the same client. Methods are placed in a module
//! tree after their names (`imbot.command.update` -> `imbot::command::Update`, its own types and
//! error enum in `imbot::command::update`).

pub(crate) mod docs;
mod errors;
mod examples;
pub mod facade;
pub(crate) mod record;
mod request;
pub(crate) mod rust_type;
mod tree;
pub(crate) mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub use examples::{expand_answer_table, expand_tables, expand_tests};

use crate::model::{Method, TypeDef};
use crate::valid::SharedTypes;
use rust_type::Paths;
use tree::Tree;

/// Where the types of a folder's `_types.toml` come from.
#[derive(Debug, Clone)]
pub enum Shared {
    /// Generated here, in the folder's module.
    Emit,
    /// Generated elsewhere: this path holds one module per folder (`::bitrix_runtime::shared`).
    Extern(TokenStream),
}

/// Choices for one expansion.
#[derive(Debug, Clone)]
pub struct Options {
    /// Path of the runtime crate in the generated code.
    pub runtime: TokenStream,
    /// Put each folder's module behind the Cargo feature of the same name.
    pub feature_per_folder: bool,
    /// `include_str!` each spec file by absolute path so that editing it triggers a rebuild.
    pub track_files: bool,
    /// Generate only the methods of shard `index` of `count` (see [`shard_of`]).
    pub shard: Option<(u32, u32)>,
    /// Where shared types come from.
    pub shared: Shared,
    /// Generate the methods (off: only the shared types, for the crate that hosts them).
    pub methods: bool,
    /// Also generate the methods' example and answer checks as tables (`__tables`), behind the
    /// Cargo feature of this name, for the SDK's own tests.
    pub tables: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runtime: quote!(::bitrix_rest),
            feature_per_folder: false,
            track_files: false,
            shard: None,
            shared: Shared::Emit,
            methods: true,
            tables: None,
        }
    }
}

/// The shard of `count` that a method belongs to: a stable hash of its name, so that the
/// methods spread evenly over crates that compile in parallel, whatever their folders.
pub fn shard_of(method: &str, count: u32) -> u32 {
    // FNV-1a: stable across platforms and Rust versions, unlike `DefaultHasher`.
    let hash = method.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash % u64::from(count.max(1))) as u32
}

/// All methods (of the shard, if one is chosen) and, where emitted here, the shared types, in
/// one module per folder.
pub fn expand(methods: &[Method], shared: &SharedTypes, opts: &Options) -> TokenStream {
    let mut tree = Tree::default();
    if matches!(opts.shared, Shared::Emit) {
        for (folder, types) in shared {
            let holder = Method::holder(folder, types.clone());
            let p = Paths::new(opts, 0, None, folder);
            let items = types
                .iter()
                .map(|t| types::expand(&holder, t, true, &p, opts));
            let path = [crate::names::module_name(folder)];
            tree.put(&path, quote!(#(#items)*));
            tree.describe(&path, || folder_doc(folder));
        }
    }
    if opts.methods {
        for m in methods
            .iter()
            .filter(|m| opts.shard.is_none_or(|(i, n)| shard_of(&m.name, n) == i))
        {
            expand_method(m, opts, &mut tree);
        }
    }
    let code = tree.render(opts.feature_per_folder);
    match &opts.tables {
        Some(feature) if opts.methods => {
            let tables = expand_tables(methods, opts, feature);
            quote!(#code #tables)
        }
        _ => code,
    }
}

/// Everything generated for one method: the request and its `Method` impl in the method's
/// module; its own types, their batch references and its error enum in its own module.
pub fn expand_method(m: &Method, opts: &Options, tree: &mut Tree) {
    let depth = m.rust.module.len() - 1;
    let own = ident(&m.rust.own);
    let request = request::expand(m, &Paths::new(opts, depth, Some(&own), &m.folder), opts);
    let track = opts.track_files.then(|| {
        let path = &m.path;
        quote! { const _: &str = include_str!(#path); }
    });
    tree.put(&m.rust.module, quote!(#request #track));
    describe_modules(m, tree);

    let p = Paths::new(opts, depth + 1, None, &m.folder);
    let referable = m.result_types();
    let own_types = m.types.iter().filter(|t| t.shared.is_none());
    let types = own_types
        .map(|t: &TypeDef| types::expand(m, t, referable.contains(t.name.as_str()), &p, opts));
    let errors = errors::expand(m, &opts.runtime);
    let mut path = m.rust.module.clone();
    path.push(m.rust.own.clone());
    tree.put(&path, quote!(#(#types)* #errors));
    tree.describe(&path, || {
        format!(
            "The types and errors of `{}` ([`{}`](super::{})).",
            m.name, m.rust.type_name, m.rust.type_name
        )
    });
}

/// Docs for the folder module and the module of the request type, unless they have one.
pub(crate) fn describe_modules(m: &Method, tree: &mut Tree) {
    tree.describe(&m.rust.module[..1], || folder_doc(&m.folder));
    if m.rust.module.len() > 1 {
        if let Some((prefix, _)) = m.name.rsplit_once('.') {
            tree.describe(&m.rust.module, || format!("The `{prefix}.*` methods."));
        }
    }
}

/// The doc of a folder's module.
pub(crate) fn folder_doc(folder: &str) -> String {
    format!("Methods from the `{folder}` folder of specs (Cargo feature `{folder}`).")
}

/// An identifier from a name that may be a raw identifier (`r#type`).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The `#[deprecated]` attribute of a method, if deprecated.
pub(crate) fn deprecated_attr(m: &Method) -> Option<TokenStream> {
    let d = m.deprecated.as_ref()?;
    let mut note = match &d.replacement {
        Some(r) => format!("`{}` is deprecated: use `{r}` instead", m.name),
        None => format!("`{}` is deprecated", m.name),
    };
    if let Some(n) = &d.note {
        note.push_str(". ");
        note.push_str(n);
    }
    Some(quote!(#[deprecated(note = #note)]))
}
