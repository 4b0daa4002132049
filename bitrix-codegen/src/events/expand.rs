//! Step 4 for events: one struct per payload (`data`), its named types, and one `Event` enum
//! over all events with a dispatching `parse`.
//!
//! Payload structs only decode (events arrive, they are not sent): every field decodes
//! leniently (numbers and booleans as text, as form-encoded deliveries carry them), unknown keys
//! are kept in `extra`, and fields listed in `secrets` become `Secret`s that never print.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::EventDef;
use crate::expand::docs::field_doc;
use crate::expand::rust_type::rust_type;
use crate::expand::{ident, Options};
use crate::model::{Field, Method, Ty, TypeKind};
use crate::names;

/// Everything generated for a folder of event specs: a module per folder (`events/crm` -> `crm`) with the payload types,
/// and `Event` (with `parse`) next to them.
pub fn expand_events(events: &[EventDef], opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let mut folders: Vec<&str> = events.iter().map(EventDef::module).collect();
    folders.sort();
    folders.dedup();
    let modules = folders.iter().map(|folder| {
        let module = ident(&names::module_name(folder));
        let items = events
            .iter()
            .filter(|e| e.module() == *folder)
            .map(|e| expand_event(e, opts));
        let doc = format!("Payloads of the events in `events/{folder}/`.");
        quote! {
            #[doc = #doc]
            pub mod #module {
                #(#items)*
            }
        }
    });
    let variants = events.iter().map(|e| {
        let v = format_ident!("{}", e.rust_name);
        let path = payload_path(e);
        let doc = format!("`{}`: {}", e.name, e.summary);
        quote!(#[doc = #doc] #v(#path),)
    });
    let arms = events.iter().map(|e| {
        let v = format_ident!("{}", e.rust_name);
        let name = &e.name;
        quote!(#name => #rt::events::decode_data(&raw).map(Self::#v),)
    });
    let name_arms = events.iter().map(|e| {
        let v = format_ident!("{}", e.rust_name);
        let name = &e.name;
        quote!(Self::#v(_) => #name,)
    });
    let debug_arms = events.iter().map(|e| {
        let v = format_ident!("{}", e.rust_name);
        let label = &e.rust_name;
        quote!(Self::#v(payload) => f.debug_tuple(#label).field(payload).finish(),)
    });
    let names_list = events.iter().map(|e| &e.name);
    let list_doc = events
        .iter()
        .map(|e| format!("- `{}` ([`{}`])", e.name, payload_doc_path(e)))
        .collect::<Vec<_>>()
        .join("\n");
    let enum_doc = format!(
        "An incoming event, decoded by its name. Events without a spec are kept as \
         [`Unknown`](Self::Unknown) with their raw `data`.\n\n{list_doc}"
    );
    quote! {
        #(#modules)*

        #[doc = #enum_doc]
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            #(#variants)*
            /// An event this crate has no spec for, kept as sent.
            Unknown(#rt::events::RawEvent),
        }

        impl Event {
            /// The event names that decode to a typed variant.
            pub const NAMES: &'static [&'static str] = &[#(#names_list),*];

            /// Decodes `raw.data` by `raw.name` (compared case-insensitively). Unknown names give
            /// [`Event::Unknown`]; a known event whose `data` does not fit its spec is an error.
            // Inlined: the dispatch decodes every payload type, so it is compiled only in the
            // crates that receive events, not in every build of the runtime.
            #[inline]
            pub fn parse(raw: #rt::events::RawEvent) -> ::std::result::Result<Self, #rt::events::EventError> {
                match raw.name.to_ascii_uppercase().as_str() {
                    #(#arms)*
                    _ => ::std::result::Result::Ok(Self::Unknown(raw)),
                }
            }

            /// The event name, upper case as Bitrix24 sends it (as sent for unknown events).
            pub fn name(&self) -> &str {
                match self {
                    #(#name_arms)*
                    Self::Unknown(raw) => &raw.name,
                }
            }
        }

        impl ::std::fmt::Debug for Event {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#debug_arms)*
                    Self::Unknown(raw) => f.debug_tuple("Unknown").field(raw).finish(),
                }
            }
        }

        impl #rt::events::FromRawEvent for Event {
            #[inline]
            fn from_raw(raw: #rt::events::RawEvent) -> ::std::result::Result<Self, #rt::events::EventError> {
                Self::parse(raw)
            }
        }
    }
}

/// Event types sit side by side in their folder's module and share no types with methods.
fn paths(opts: &Options) -> crate::expand::rust_type::Paths {
    crate::expand::rust_type::Paths::new(opts, 0, None, "")
}

fn payload_path(e: &EventDef) -> TokenStream {
    let module = ident(&names::module_name(e.module()));
    let name = format_ident!("{}", e.rust_name);
    quote!(#module::#name)
}

fn payload_doc_path(e: &EventDef) -> String {
    format!("{}::{}", names::module_name(e.module()), e.rust_name)
}

/// The payload struct of one event, its named types and the rebuild tracking of its file.
pub fn expand_event(e: &EventDef, opts: &Options) -> TokenStream {
    let m = &e.data;
    let name = format_ident!("{}", e.rust_name);
    let payload = expand_struct(e, &name, &event_doc(e), &m.params, opts);
    let event_name = &e.name;
    let types = m.types.iter().map(|t| match &t.kind {
        TypeKind::Struct { fields, .. } => {
            let doc = format!(
                "{}\n\nPart of the `{}` payload ([`{}`]).",
                t.description.as_deref().unwrap_or("A nested object."),
                e.name,
                e.rust_name
            );
            expand_struct(e, &format_ident!("{}", t.rust_name), &doc, fields, opts)
        }
        TypeKind::Enum { .. } => crate::expand::types::expand(m, t, false, &paths(opts), opts),
    });
    let track = opts.track_files.then(|| {
        let path = &e.path;
        quote! { const _: &str = include_str!(#path); }
    });
    quote! {
        #payload
        impl #name {
            /// The event name as Bitrix24 sends it.
            pub const EVENT: &'static str = #event_name;
        }
        #(#types)*
        #track
    }
}

fn event_doc(e: &EventDef) -> String {
    let mut d = format!("{}\n\nThe `data` of the `{}` event.", e.summary, e.name);
    if let Some(desc) = &e.description {
        d.push_str("\n\n");
        d.push_str(desc);
    }
    if let Some(dep) = &e.deprecated {
        d.push_str("\n\n**Deprecated upstream**");
        if let Some(r) = &dep.replacement {
            d.push_str(&format!(": handle `{r}` instead"));
        }
        d.push('.');
        if let Some(n) = &dep.note {
            d.push(' ');
            d.push_str(n);
        }
    }
    if !e.auth.is_empty() {
        d.push_str(&format!(
            "\n\nDocumented `auth` keys: `{}` (see `Incoming::auth`).",
            e.auth.join("`, `")
        ));
    }
    if !e.todo.is_empty() {
        d.push_str("\n\nImported from the reference; still loose:");
        for t in &e.todo {
            // Brackets in the points (`[any]`) are no links.
            let t = t.replace('[', "\\[").replace(']', "\\]");
            d.push_str(&format!("\n- {t}"));
        }
    }
    if let Some(docs) = &e.docs {
        d.push_str(&format!("\n\nOfficial page: <{docs}>"));
    }
    d
}

fn expand_struct(
    e: &EventDef,
    name: &Ident,
    doc: &str,
    fields: &[Field],
    opts: &Options,
) -> TokenStream {
    let m: &Method = &e.data;
    let rt = &opts.runtime;
    let defs = fields.iter().map(|f| {
        let id = ident(&f.rust);
        let ty = field_type(e, m, f, opts);
        let doc = field_doc(f);
        quote! {
            #[doc = #doc]
            pub #id: #ty,
        }
    });
    let reads = fields.iter().map(|f| read(f, rt));
    let writes = fields.iter().map(|f| write(e, f, rt));
    let debug_fields = fields.iter().map(|f| {
        let id = ident(&f.rust);
        let label = f.rust.trim_start_matches("r#");
        quote!(.field(#label, &self.#id))
    });
    let label = name.to_string();
    // The wire form is the runtime's `Record` (a line per field, inlined) rather than a serde
    // derive: ~200 payload types derived would be most of the runtime's build.
    quote! {
        #[doc = #doc]
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#defs)*
            /// Keys the spec does not describe, kept as sent (values of keys that look like
            /// tokens are hidden from `Debug`).
            pub extra: #rt::__private::Map,
        }

        impl #rt::__private::Record for #name {
            #[inline]
            fn write(&self, w: &mut #rt::__private::Writer) {
                #(#writes)*
                w.extra(&self.extra);
            }
            #[inline]
            fn read(map: &mut #rt::__private::Map) -> ::std::result::Result<Self, #rt::__private::serde_json::Error> {
                ::std::result::Result::Ok(Self { #(#reads)* extra: ::std::mem::take(map) })
            }
        }

        impl #rt::__private::serde::Serialize for #name {
            fn serialize<S: #rt::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                #rt::__private::ser_record(self, s)
            }
        }

        impl<'de> #rt::__private::serde::Deserialize<'de> for #name {
            fn deserialize<D: #rt::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                #rt::__private::de_record(d)
            }
        }

        impl ::std::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label)
                    #(#debug_fields)*
                    .field("extra", &#rt::events::Redacted(&self.extra))
                    .finish()
            }
        }
    }
}

/// One payload field taken out of `data`: required fields decode leniently (as text, numbers,
/// flags); optional ones through the events' own reader, for which `undefined`, and `""` where
/// the type has no text form, are absent and a PHP list stands for a keyed map.
fn read(f: &Field, rt: &TokenStream) -> TokenStream {
    let id = ident(&f.rust);
    let wire = &f.wire;
    let decode = if f.ty.contains(&|t| *t == Ty::Flag) {
        quote!(#rt::__private::flag::deserialize)
    } else {
        quote!(#rt::__private::lenient_value)
    };
    if f.is_required() {
        let nullable = matches!(f.ty, Ty::Nullable(_));
        quote!(#id: #rt::__private::take_required(map, #wire, #nullable, #decode)?,)
    } else {
        quote!(#id: #rt::events::de::take_optional(map, #wire, #decode)?,)
    }
}

/// One payload field written back under its wire name; secrets as their text, since writing a
/// payload is an explicit act (forwarding it), unlike printing it.
fn write(e: &EventDef, f: &Field, rt: &TokenStream) -> TokenStream {
    if !e.secrets.contains(&f.wire) {
        return crate::expand::record::write(f, rt);
    }
    let id = ident(&f.rust);
    let wire = &f.wire;
    let expose = quote!(#rt::Secret::expose);
    match (f.is_required(), matches!(f.ty, Ty::Nullable(_))) {
        (true, false) => quote!(w.put(#wire, self.#id.expose());),
        (true, true) => quote!(w.put(#wire, &self.#id.as_ref().map(#expose));),
        (false, false) => quote!(w.put_opt(#wire, self.#id.as_ref().map(#expose));),
        (false, true) => {
            quote!(w.put_opt(#wire, self.#id.as_ref().map(|s| s.as_ref().map(#expose)));)
        }
    }
}

/// The Rust type of a payload field: secrets become `Secret`, optional fields `Option`.
fn field_type(e: &EventDef, m: &Method, f: &Field, opts: &Options) -> TokenStream {
    let rt = &opts.runtime;
    let t = if e.secrets.contains(&f.wire) {
        match &f.ty {
            Ty::Nullable(_) => quote!(::std::option::Option<#rt::Secret>),
            _ => quote!(#rt::Secret),
        }
    } else {
        rust_type(m, &f.ty, &paths(opts))
    };
    if f.is_required() {
        t
    } else {
        quote!(::std::option::Option<#t>)
    }
}
