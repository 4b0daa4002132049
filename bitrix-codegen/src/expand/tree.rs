//! The module tree of the generated API: items are put at a module path, and the tree is
//! rendered as nested `pub mod`s, the first level gated on its folder's Cargo feature.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;

/// A module: its doc, its items, its child modules by name.
#[derive(Default)]
pub struct Tree {
    doc: Option<String>,
    items: Vec<TokenStream>,
    children: BTreeMap<String, Tree>,
}

impl Tree {
    /// Adds `items` to the module at `path` (created as needed).
    pub fn put(&mut self, path: &[String], items: TokenStream) {
        self.node(path).items.push(items);
    }

    /// Gives the module at `path` a doc, unless it has one.
    pub fn describe(&mut self, path: &[String], doc: impl FnOnce() -> String) {
        let node = self.node(path);
        if node.doc.is_none() {
            node.doc = Some(doc());
        }
    }

    fn node(&mut self, path: &[String]) -> &mut Tree {
        path.iter().fold(self, |node, name| node.children.entry(name.clone()).or_default())
    }

    /// The tree as nested modules; `gate` puts each top-level module behind the feature of its name.
    pub fn render(&self, gate: bool) -> TokenStream {
        let children = self.children.iter().map(|(name, child)| child.render_module(name, gate));
        quote! { #(#children)* }
    }

    fn render_module(&self, name: &str, gate: bool) -> TokenStream {
        let id = ident(name);
        let doc = self.doc.clone().unwrap_or_else(|| format!("The `{}` methods.", name.trim_start_matches("r#")));
        let feature = name.trim_start_matches("r#");
        let gate = gate.then(|| quote! {
            #[cfg(feature = #feature)]
            #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
        });
        let items = &self.items;
        let children = self.children.iter().map(|(n, c)| c.render_module(n, false));
        quote! {
            #[doc = #doc]
            #gate
            pub mod #id {
                #(#items)*
                #(#children)*
            }
        }
    }
}
