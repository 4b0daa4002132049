//! What the specs say about an entity's records: the ID field, the partition parameters, and the
//! fields with their kinds, gathered from every method that names the entity in `[state]` (the
//! record type of get/list/add answers and the `fields` parameter of add/update). The store uses
//! it to accept or refuse filter, order and select names, to fill system fields, and to answer
//! `fields` methods.

use std::collections::BTreeMap;

use bitrix_codegen::model::{Action, Answer, Ty, TypeKind};
use bitrix_codegen::Method;

/// The kind of a field, enough to compare and describe it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Whole numbers.
    Integer,
    /// Numbers.
    Double,
    /// Text (and enums).
    Text,
    /// `Y`/`N`.
    Flag,
    /// `true`/`false`.
    Boolean,
    /// A date.
    Date,
    /// A date and time.
    DateTime,
    /// A file.
    File,
    /// Several values.
    List,
    /// Several `{VALUE, VALUE_TYPE}` entries (phones, e-mails).
    Multi,
    /// A nested object or anything else.
    Other,
}

impl Kind {
    /// Whether filter values of this field must be numbers.
    pub fn numeric(self) -> bool {
        matches!(self, Kind::Integer | Kind::Double)
    }

    /// The type word `fields` methods show.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Integer => "integer",
            Kind::Double => "double",
            Kind::Text => "string",
            Kind::Flag => "char",
            Kind::Boolean => "boolean",
            Kind::Date => "date",
            Kind::DateTime => "datetime",
            Kind::File => "file",
            Kind::List | Kind::Other => "object",
            Kind::Multi => "crm_multifield",
        }
    }
}

/// What the specs say about one entity.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shape {
    /// The ID field (`ID`, `id`).
    pub key: String,
    /// Parameters that split the store.
    pub partition: Vec<String>,
    /// Known fields and their kinds.
    pub fields: BTreeMap<String, Kind>,
    /// Loose names (see [`crate::names::loose`]) of the fields the add and update methods
    /// take; the others a record shows are the portal's own to fill.
    pub writable: std::collections::BTreeSet<String>,
    /// The names of [`system`] this entity has, found once when the shapes are built: a write
    /// looks its system fields up in these few rather than in every field.
    pub system: Vec<&'static str>,
}

/// The system facts the portal fills on writes, by group, under every family's name for them.
pub mod system {
    /// When the record was created.
    pub const CREATED_AT: [&str; 4] = ["DATE_CREATE", "createdTime", "CREATED_DATE", "createdDate"];
    /// Times a new record is stamped with: its stage was entered and it was touched now.
    pub const STAMPED_AT: [&str; 6] = [
        "MOVED_TIME",
        "movedTime",
        "LAST_ACTIVITY_TIME",
        "lastActivityTime",
        "activityDate",
        "statusChangedDate",
    ];
    /// Who created the record.
    pub const CREATED_BY: [&str; 3] = ["CREATED_BY_ID", "createdBy", "CREATED_BY"];
    /// Users a new record names unless given: the responsible one, who moved or touched it.
    pub const TOUCHED_BY: [&str; 7] = [
        "ASSIGNED_BY_ID",
        "assignedById",
        "MOVED_BY_ID",
        "movedBy",
        "LAST_ACTIVITY_BY",
        "lastActivityBy",
        "statusChangedBy",
    ];
    /// When the record last changed.
    pub const MODIFIED_AT: [&str; 4] =
        ["DATE_MODIFY", "updatedTime", "UPDATED_DATE", "changedDate"];
    /// Who last changed the record.
    pub const MODIFIED_BY: [&str; 4] = ["MODIFY_BY_ID", "updatedBy", "MODIFIED_BY", "changedBy"];
    /// Every group.
    pub const ALL: [&[&str]; 6] = [
        &CREATED_AT,
        &STAMPED_AT,
        &CREATED_BY,
        &TOUCHED_BY,
        &MODIFIED_AT,
        &MODIFIED_BY,
    ];
}

impl Shape {
    /// The kind of `name`, when the entity has it: a declared field, the ID, a partition
    /// parameter, or a user field (`UF_*`, `uf*`), which portals add at will.
    pub fn kind(&self, name: &str) -> Option<Kind> {
        if name == self.key {
            return Some(Kind::Integer);
        }
        if let Some(k) = self.fields.get(name) {
            return Some(*k);
        }
        if self.partition.iter().any(|p| p == name) {
            return Some(Kind::Integer);
        }
        if is_user_field(name) || self.fields.is_empty() {
            // No declared fields at all: nothing to check names against, accept them.
            return Some(Kind::Other);
        }
        None
    }

    /// Whether field names are UPPER_CASE (`crm.deal`) rather than camelCase (`crm.item`).
    pub fn upper(&self) -> bool {
        self.key.chars().any(|c| c.is_ascii_uppercase())
    }
}

/// User fields: `UF_CRM_1721244707107`, `ufCrm_1721244707107`, `ufCrm2_1639669411830`.
pub fn is_user_field(name: &str) -> bool {
    name.starts_with("UF_")
        || (name.starts_with("uf") && name[2..].starts_with(|c: char| c.is_ascii_uppercase()))
}

/// The shape of every family of methods with `[state]` (`crm.deal`, `crm.item`; see
/// [`crate::names::family`]): families that share an entity each keep their own names.
pub fn catalog<'a>(methods: impl Iterator<Item = &'a Method>) -> BTreeMap<String, Shape> {
    let mut out: BTreeMap<String, Shape> = BTreeMap::new();
    for m in methods {
        let Some(st) = &m.state else { continue };
        let shape = out.entry(crate::names::family(m)).or_default();
        shape.key.clone_from(&st.key);
        for p in &st.partition {
            if !shape.partition.contains(p) {
                shape.partition.push(p.clone());
            }
        }
        let mut types = Vec::new();
        if matches!(st.answer, Answer::Record | Answer::Records | Answer::Keyed) {
            types.push(record_type(m, &m.result.ty, st.wrap.as_deref()));
        }
        if matches!(st.action, Action::Add | Action::Update | Action::SetValues) {
            if st.fields.as_deref() == Some("*") {
                shape
                    .writable
                    .extend(m.params.iter().map(|p| crate::names::loose(&p.wire)));
            }
            if let Some(path) = st.fields.as_deref().filter(|p| *p != "*") {
                let ty = param_type(m, path);
                if let Some(TypeKind::Struct { fields, .. }) = ty
                    .as_ref()
                    .and_then(named)
                    .and_then(|n| m.type_def(n))
                    .map(|t| &t.kind)
                {
                    shape
                        .writable
                        .extend(fields.iter().map(|f| crate::names::loose(&f.wire)));
                }
                types.push(ty);
            }
        }
        for ty in types.into_iter().flatten() {
            if let Some(TypeKind::Struct { fields, .. }) =
                named(&ty).and_then(|n| m.type_def(n)).map(|t| &t.kind)
            {
                for f in fields {
                    shape
                        .fields
                        .entry(f.wire.clone())
                        .or_insert_with(|| kind(m, &f.ty));
                }
            }
        }
    }
    for shape in out.values_mut() {
        shape.system = system::ALL
            .iter()
            .flat_map(|group| group.iter().copied())
            .filter(|n| shape.fields.contains_key(*n))
            .collect();
    }
    out
}

/// The record type inside a result type: through the `wrap` key, lists and nullables.
fn record_type(m: &Method, ty: &Ty, wrap: Option<&str>) -> Option<Ty> {
    // Records keyed by their key (`answer = "keyed"`: `{KanbanStage}`) are each the map's value.
    let ty = match strip(ty) {
        Ty::Map(inner) => strip(inner),
        other => other,
    };
    let Some(wrap) = wrap else {
        return Some(ty.clone());
    };
    // The result is either the wrapper struct itself (`ItemEnvelope`) or the list the spec's
    // `items` key unwraps (`[Item]` with `items = "items"`).
    if let Some(TypeKind::Struct { fields, .. }) =
        named(ty).and_then(|n| m.type_def(n)).map(|t| &t.kind)
    {
        if let Some(f) = fields.iter().find(|f| f.wire == wrap) {
            return Some(strip(&f.ty).clone());
        }
    }
    Some(ty.clone())
}

/// The type at a dotted parameter path (`fields`, `params.fields`).
fn param_type(m: &Method, path: &str) -> Option<Ty> {
    let mut parts = path.split('.');
    let mut ty = m.param(parts.next()?)?.ty.clone();
    for part in parts {
        let TypeKind::Struct { fields, .. } = &m.type_def(named(&ty)?)?.kind else {
            return None;
        };
        ty = fields.iter().find(|f| f.wire == part)?.ty.clone();
    }
    Some(ty)
}

fn strip(ty: &Ty) -> &Ty {
    match ty {
        Ty::Nullable(inner) | Ty::List(inner) => strip(inner),
        other => other,
    }
}

fn named(ty: &Ty) -> Option<&str> {
    match strip(ty) {
        Ty::Named(n) => Some(n),
        _ => None,
    }
}

fn kind(m: &Method, ty: &Ty) -> Kind {
    match ty {
        Ty::Nullable(inner) => kind(m, inner),
        Ty::Integer => Kind::Integer,
        Ty::Double => Kind::Double,
        Ty::String | Ty::Url => Kind::Text,
        Ty::Flag => Kind::Flag,
        Ty::Boolean => Kind::Boolean,
        Ty::Date => Kind::Date,
        Ty::DateTime => Kind::DateTime,
        Ty::File => Kind::File,
        Ty::List(inner) => match m.type_def(named(inner).unwrap_or("")).map(|t| &t.kind) {
            // A list of `{VALUE, VALUE_TYPE}` entries is a multi-value field.
            Some(TypeKind::Struct { fields, .. })
                if fields.iter().any(|f| f.wire.eq_ignore_ascii_case("value"))
                    && fields
                        .iter()
                        .any(|f| f.wire.eq_ignore_ascii_case("value_type")) =>
            {
                Kind::Multi
            }
            _ => Kind::List,
        },
        Ty::Named(n) => match m.type_def(n).map(|t| &t.kind) {
            Some(TypeKind::Enum { .. }) => Kind::Text,
            _ => Kind::Other,
        },
        Ty::Select(_) => Kind::List,
        Ty::Map(_)
        | Ty::Any
        | Ty::Filter(_)
        | Ty::Conditions(_)
        | Ty::LangText
        | Ty::OneOrMany(_) => Kind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_fields_in_both_spellings() {
        assert!(is_user_field("UF_CRM_1"));
        assert!(is_user_field("ufCrm2_1639669411830"));
        assert!(!is_user_field("uf"));
        assert!(!is_user_field("unfold"));
        assert!(!is_user_field("uff"));
    }
}
