//! The spec as written: every value with the byte range it came from, nothing resolved yet.

use std::ops::Range;

/// A value and the byte range of the spec text it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    /// The value.
    pub value: T,
    /// Where it stands in the spec text.
    pub span: Range<usize>,
}

/// A whole spec file.
#[derive(Debug, Clone, Default)]
pub struct SpecAst {
    /// `method`: the REST method name.
    pub method: Option<Sp<String>>,
    /// `scope`: the permission scope.
    pub scope: Option<Sp<String>>,
    /// `callers`: who may call the method.
    pub callers: Option<String>,
    /// `summary`: one sentence.
    pub summary: Option<Sp<String>>,
    /// `description`: longer text.
    pub description: Option<String>,
    /// `docs`: address of the official page.
    pub docs: Option<String>,
    /// `idempotent`: safe to repeat.
    pub idempotent: bool,
    /// `auth`: who may authenticate (`"application"`: OAuth applications only).
    pub auth: Option<Sp<String>>,
    /// `param_case`: how the portal matches top-level parameter names (`"exact"` or absent).
    pub param_case: Option<Sp<String>>,
    /// `rest`: the REST version (2 or 3).
    pub rest: Option<Sp<i64>>,
    /// `origin`: `import` or `hand`.
    pub origin: Option<Sp<String>>,
    /// `todo`: points left open by the importer.
    pub todo: Vec<String>,
    /// `no_example`: why a hand-finished spec keeps no example (the page's are unusable).
    pub no_example: Option<Sp<String>>,
    /// `[[reviewed]]`: differences from the reference a maintainer keeps on purpose.
    pub reviewed: Vec<ReviewedAst>,
    /// `[state]`: what the method does to portal state.
    pub state: Option<StateAst>,
    /// `[deprecated]`.
    pub deprecated: Option<DeprecatedAst>,
    /// `[[params]]`.
    pub params: Vec<FieldAst>,
    /// `[types.*]`, in file order.
    pub types: Vec<TypeAst>,
    /// `[result]`.
    pub result: Option<ResultAst>,
    /// `[[errors]]`.
    pub errors: Vec<ErrorAst>,
    /// `[[examples]]`.
    pub examples: Vec<ExampleAst>,
}

/// One `[[reviewed]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewedAst {
    /// The line `bitrix-specs drift` prints, without the method name.
    pub drift: String,
    /// Why the spec keeps the difference.
    pub why: String,
}

/// `[deprecated]`.
#[derive(Debug, Clone)]
pub struct DeprecatedAst {
    /// Where the table stands.
    pub span: Range<usize>,
    /// The method to use instead.
    pub replacement: Option<Sp<String>>,
    /// Free text.
    pub note: Option<String>,
}

/// `[state]`: the emulator's annotation.
#[derive(Debug, Clone)]
pub struct StateAst {
    /// Where the table stands.
    pub span: Range<usize>,
    /// The store name.
    pub entity: Option<Sp<String>>,
    /// `add`, `get`, `list`, `update`, `delete` or `fields`.
    pub action: Option<Sp<String>>,
    /// The parameter carrying the record ID.
    pub id: Option<Sp<String>>,
    /// The parameter carrying the fields (dotted path).
    pub fields: Option<Sp<String>>,
    /// The record's ID field.
    pub key: Option<Sp<String>>,
    /// Parameters that split the store.
    pub partition: Vec<Sp<String>>,
    /// Fixed partition values, for a family that names no partition parameter.
    pub partition_value: Vec<Sp<String>>,
    /// The parameter carrying the ID of the record that owns nested rows.
    pub parent: Option<Sp<String>>,
    /// The parameter carrying the rows of `set_rows`.
    pub rows: Option<Sp<String>>,
    /// `[state.defaults]`: values of fields an added record does not give.
    pub defaults: Option<Sp<serde_json::Map<String, serde_json::Value>>>,
    /// `[state.form]`: field name -> wire form word.
    pub form: Vec<(Sp<String>, Sp<String>)>,
    /// `[state.copy]`: field name -> the field whose value it takes when an add leaves it out.
    pub copy: Vec<(Sp<String>, Sp<String>)>,
    /// What `result` holds.
    pub answer: Option<Sp<String>>,
    /// The key around the record(s).
    pub wrap: Option<Sp<String>>,
    /// The error code answering a missing ID.
    pub not_found: Option<Sp<String>>,
    /// `missing = "empty"`: a get of a missing ID answers an empty success.
    pub missing: Option<Sp<String>>,
    /// `strict_filter`: a list refuses filter keys naming no field of the entity.
    pub strict_filter: Option<Sp<bool>>,
    /// `owner_type`: the owner type code of nested rows kept by owner (`D` for a deal's).
    pub owner_type: Option<Sp<String>>,
    /// `named`: records are found by the text of their `key` field, which the caller gives on add.
    pub named: Option<Sp<bool>>,
    /// `taken`: the error code answering a named add whose name a record already has.
    pub taken: Option<Sp<String>>,
    /// `documented`: the entity starts with the records of this list's documented answer.
    pub documented: Option<Sp<bool>>,
    /// `upsert`: a named update of a name no record has creates the record.
    pub upsert: Option<Sp<bool>>,
    /// `pick`: the one stored setting a `get_values` answers alone.
    pub pick: Option<Sp<String>>,
}

/// Whether a field must be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Required {
    /// Always.
    Yes,
    /// Never.
    No,
    /// Only on webhook calls.
    Webhook,
}

/// One parameter or struct field.
#[derive(Debug, Clone)]
pub struct FieldAst {
    /// Where the field's table stands.
    pub span: Range<usize>,
    /// Wire name.
    pub name: Option<Sp<String>>,
    /// Type expression, unparsed.
    pub ty: Option<Sp<String>>,
    /// `required`.
    pub required: Required,
    /// What it means.
    pub description: Option<String>,
    /// The server's default, as documentation.
    pub default: Option<serde_json::Value>,
    /// `aliases`: older names the portal still reads the parameter under.
    pub aliases: Option<Sp<Vec<Sp<String>>>>,
}

/// `[types.Name]`.
#[derive(Debug, Clone)]
pub struct TypeAst {
    /// The name, spanned at its key.
    pub name: Sp<String>,
    /// What it is.
    pub description: Option<String>,
    /// Struct fields, when a struct.
    pub fields: Option<Sp<Vec<FieldAst>>>,
    /// Least number of fields to set.
    pub min_fields: Option<Sp<i64>>,
    /// Enum values, when an enum.
    pub values: Option<Sp<Vec<EnumValueAst>>>,
}

/// One value of an enum type.
#[derive(Debug, Clone)]
pub struct EnumValueAst {
    /// The wire value.
    pub value: Sp<String>,
    /// What it means.
    pub description: Option<String>,
}

/// `[result]`.
#[derive(Debug, Clone)]
pub struct ResultAst {
    /// Where the table stands.
    pub span: Range<usize>,
    /// Type expression, unparsed.
    pub ty: Option<Sp<String>>,
    /// What it means.
    pub description: Option<String>,
    /// A list method paged by `start`.
    pub paged: bool,
    /// Key of the list inside an object result.
    pub items: Option<Sp<String>>,
}

/// One documented error row.
#[derive(Debug, Clone)]
pub struct ErrorAst {
    /// Where the row stands.
    pub span: Range<usize>,
    /// The `error` code.
    pub code: Option<Sp<String>>,
    /// The server's `error_description`.
    pub description: Option<String>,
    /// What it means.
    pub meaning: Option<String>,
    /// HTTP status.
    pub status: Option<Sp<i64>>,
    /// Rust variant name.
    pub variant: Option<Sp<String>>,
}

/// One documented example.
#[derive(Debug, Clone)]
pub struct ExampleAst {
    /// Where the example stands.
    pub span: Range<usize>,
    /// Its name.
    pub name: Option<Sp<String>>,
    /// What it shows.
    pub description: Option<String>,
    /// Request body (JSON text).
    pub request: Option<Sp<String>>,
    /// HTTP status of the answer.
    pub status: Option<Sp<i64>>,
    /// Answer body (JSON text).
    pub response: Option<Sp<String>>,
}
