//! Step 3: the checked, resolved description of a method that the emitter and the emulator use.

mod check;
mod ty;

pub use check::{check_value, check_value_at, TypeMismatch};
pub use ty::{parse_type, Ty, PRIMITIVES};

use std::collections::BTreeMap;

use serde_json::Value;

pub use crate::ast::Required;

/// One REST method, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    /// The REST name, e.g. `imbot.command.update`.
    pub name: String,
    /// The spec folder it came from (`imbot`): its module in the API and its Cargo feature.
    pub folder: String,
    /// Where its items live in the generated API (`imbot::command::Update`).
    pub rust: crate::names::MethodPath,
    /// The permission scope, e.g. `imbot`.
    pub scope: String,
    /// Who may call it.
    pub callers: Option<String>,
    /// One sentence, when the spec has one.
    pub summary: Option<String>,
    /// Longer text.
    pub description: Option<String>,
    /// Official page.
    pub docs: Option<String>,
    /// Safe to repeat.
    pub idempotent: bool,
    /// Only an OAuth application may call it (spec `auth = "application"`); a webhook is refused.
    pub application_only: bool,
    /// The portal reads top-level parameter names only as documented (spec `param_case =
    /// "exact"`, an engine controller's binder); otherwise any case finds them (`ID` is `id`).
    pub exact_names: bool,
    /// The REST version: 2 (`/rest/<method>`) or 3 (`/rest/api/<method>`).
    pub rest: u8,
    /// The REST 3.0 spec of a method that also has a REST 2 spec: its file is `<name>@v3.toml`
    /// and its items sit in a `v3` module beside the REST 2 ones.
    pub twin: bool,
    /// Written by the importer (rewritten by the next import) rather than finished by hand.
    pub imported: bool,
    /// Why a hand-finished spec keeps no example (`no_example`).
    pub no_example: Option<String>,
    /// Points the importer left open.
    pub todo: Vec<String>,
    /// What the method does to portal state, for the emulator.
    pub state: Option<StateDef>,
    /// Deprecation, if any.
    pub deprecated: Option<Deprecation>,
    /// Parameters in documented order.
    pub params: Vec<Field>,
    /// Named types, in file order.
    pub types: Vec<TypeDef>,
    /// What `result` holds.
    pub result: ResultDef,
    /// Documented errors.
    pub errors: Vec<ErrorDef>,
    /// Documented examples.
    pub examples: Vec<Example>,
    /// The spec file it came from, as shown in messages.
    pub source: String,
    /// The spec file's path as read (absolute when loaded from a folder); tracked for rebuilds.
    pub path: String,
}

/// The key of a method among all specs (see [`Method::key`]).
pub fn key(name: &str, twin: bool) -> String {
    if twin {
        format!("{name}@v3")
    } else {
        name.to_string()
    }
}

/// `[state]`: what a method does to portal state.
#[derive(Debug, Clone, PartialEq)]
pub struct StateDef {
    /// The store the records live in (`crm.deal`).
    pub entity: String,
    /// What the method does.
    pub action: Action,
    /// The parameter carrying the record ID (get, update, delete).
    pub id: Option<String>,
    /// The parameter carrying the fields (add, update), as a dotted path.
    pub fields: Option<String>,
    /// The record's ID field in answers.
    pub key: String,
    /// Parameters that split the store.
    pub partition: Vec<String>,
    /// Fixed partition values of a family that names no partition parameter (`crm.deal.*` is
    /// entity type `2` of the one CRM store).
    pub partition_value: Vec<String>,
    /// The parameter carrying the ID of the record that owns nested rows (`crm.deal.productrows.*`):
    /// its value extends the partition, so each owner has rows of its own.
    pub parent: Option<String>,
    /// The parameter carrying the complete new rows of `set_rows`.
    pub rows: Option<String>,
    /// Values of fields an added record does not give, as the portal fills them (`STAGE_ID`).
    pub defaults: serde_json::Map<String, serde_json::Value>,
    /// Wire forms of fields the documented example cannot tell, by field name.
    pub form: BTreeMap<String, WireForm>,
    /// Fields an added record takes from another of its fields when it leaves them out, by
    /// field name (`sale.shipment`'s `priceDelivery` is its `basePriceDelivery`).
    pub copy: BTreeMap<String, String>,
    /// What `result` holds.
    pub answer: Answer,
    /// The key `result` puts the record(s) under.
    pub wrap: Option<String>,
    /// The error code answering a missing ID.
    pub not_found: Option<String>,
    /// A get of a missing ID answers an empty success (`[]`, PHP's empty array) instead of an
    /// error, as portals do for some REST 2 reads (`missing = "empty"`).
    pub missing_empty: bool,
    /// A list refuses a filter key naming no field of the entity (engine controllers such as
    /// `crm.item.list`); without it the key is ignored, as the legacy lists ignore it.
    pub strict_filter: bool,
    /// The owner type code (`D`, `L`, `Q`) of nested rows that live with every other family's
    /// rows of the entity, told apart by their `OWNER_TYPE` and `OWNER_ID` fields (the `parent`
    /// parameter's value), as the portal's one product-row table keeps them.
    pub owner_type: Option<String>,
    /// Records are named by the caller: the `id` parameter's text is the record's `key` field,
    /// given on add and looked up by get, update and delete (`entity.add`'s `ENTITY`,
    /// `bizproc.activity.add`'s `CODE`), instead of an ID the store counts.
    pub named: bool,
    /// The error code answering a named add whose name a record of the partition already has.
    pub taken: Option<String>,
    /// The entity's records at start are the records of this list's documented answer: static
    /// reference data no method writes, such as REST 3.0 field descriptions
    /// (`tasks.task.field.list`), which its named get (`tasks.task.field.get`) then finds.
    pub documented: bool,
    /// A named update of a name no record has creates the record (`crm.timeline.note.save`
    /// writes the note of an item whether or not it has one).
    pub upsert: bool,
    /// The one stored setting a `get_values` answers alone, as a bare value (`STATUS` of
    /// `im.user.status.get`, the setting `im.user.status.set` writes).
    pub pick: Option<String>,
}

/// The operation of a stateful method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Creates a record.
    Add,
    /// Reads one record.
    Get,
    /// Lists records (filter, order, select, paging).
    List,
    /// Merges fields into a record.
    Update,
    /// Removes a record.
    Delete,
    /// Describes the fields.
    Fields,
    /// Replaces every record of the partition (nested rows of one owner) with the given rows.
    SetRows,
    /// Answers every record of the partition, unpaged.
    GetRows,
    /// Answers the emulated clock's current time.
    Now,
    /// Merges the given keys into the partition's one set of settings (`app.option.set`).
    SetValues,
    /// Answers the partition's settings: all of them, or the one key a parameter or `pick`
    /// names (`app.option.get`).
    GetValues,
}

impl Action {
    /// Every action with its spec word.
    pub const ALL: [(&'static str, Action); 11] = [
        ("add", Action::Add),
        ("get", Action::Get),
        ("list", Action::List),
        ("update", Action::Update),
        ("delete", Action::Delete),
        ("fields", Action::Fields),
        ("set_rows", Action::SetRows),
        ("get_rows", Action::GetRows),
        ("now", Action::Now),
        ("set_values", Action::SetValues),
        ("get_values", Action::GetValues),
    ];

    /// The answer the action gives when the spec names none.
    pub fn default_answer(self) -> Answer {
        match self {
            Action::Add => Answer::Id,
            Action::Get => Answer::Record,
            Action::List => Answer::Records,
            Action::Update | Action::Delete | Action::SetRows | Action::SetValues => Answer::True,
            Action::Fields => Answer::Fields,
            Action::GetRows => Answer::Records,
            Action::Now => Answer::Time,
            Action::GetValues => Answer::Record,
        }
    }
}

/// What a stateful method's `result` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The new record's ID.
    Id,
    /// `true`.
    True,
    /// The record.
    Record,
    /// A page of records.
    Records,
    /// The field descriptions.
    Fields,
    /// The current time, in the documented example's shape.
    Time,
    /// The key of each listed record, not the record (`bizproc.activity.list` answers codes).
    Keys,
    /// The listed records as an object keyed by each one's key (`task.stages.get` answers
    /// `{"5": {...}, "6": {...}}`).
    Keyed,
}

impl Answer {
    /// Every answer with its spec word.
    pub const ALL: [(&'static str, Answer); 8] = [
        ("id", Answer::Id),
        ("true", Answer::True),
        ("record", Answer::Record),
        ("records", Answer::Records),
        ("fields", Answer::Fields),
        ("time", Answer::Time),
        ("keys", Answer::Keys),
        ("keyed", Answer::Keyed),
    ];
}

/// How a field's value is written on the wire, where the documented example cannot tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireForm {
    /// Text as given; numbers become their text.
    Text,
    /// A whole number written as text (`"410"`).
    IntText,
    /// A number written as text with two decimals (`"5000.00"`).
    Money,
    /// A JSON number.
    Number,
    /// `"Y"` / `"N"`.
    Flag,
    /// JSON `true` / `false`.
    Boolean,
    /// A date, `2024-08-30`.
    Date,
    /// A date and time with offset, `2024-08-30T14:29:00+02:00`.
    DateTime,
    /// Kept as stored.
    Raw,
}

impl WireForm {
    /// Every form with its spec word.
    pub const ALL: [(&'static str, WireForm); 9] = [
        ("text", WireForm::Text),
        ("int_text", WireForm::IntText),
        ("money", WireForm::Money),
        ("number", WireForm::Number),
        ("flag", WireForm::Flag),
        ("boolean", WireForm::Boolean),
        ("date", WireForm::Date),
        ("datetime", WireForm::DateTime),
        ("raw", WireForm::Raw),
    ];
}

/// A deprecated method's replacement and note.
#[derive(Debug, Clone, PartialEq)]
pub struct Deprecation {
    /// The method to use instead.
    pub replacement: Option<String>,
    /// Free text.
    pub note: Option<String>,
}

/// A parameter or a struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Wire name.
    pub wire: String,
    /// Rust field name (snake case, `r#` for keywords).
    pub rust: String,
    /// Its type.
    pub ty: Ty,
    /// Whether it must be given.
    pub required: Required,
    /// What it means.
    pub description: Option<String>,
    /// The server's default.
    pub default: Option<Value>,
    /// Older names the portal still reads the parameter under (spec `aliases`): the emulator
    /// takes them, the generated client sends only `wire`.
    pub aliases: Vec<String>,
}

impl Field {
    /// A constructor argument (`required = true`), as opposed to a setter.
    pub fn is_required(&self) -> bool {
        self.required == Required::Yes
    }
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Name in the spec (`Fields`).
    pub name: String,
    /// Rust name (`Fields`), in the method's own module.
    pub rust_name: String,
    /// What it is.
    pub description: Option<String>,
    /// Struct or enum.
    pub kind: TypeKind,
    /// The folder whose `_types.toml` declares it, for a shared type; `None` for the method's own.
    pub shared: Option<String>,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known fields (and `extra` for the rest).
    Struct {
        /// Its fields.
        fields: Vec<Field>,
        /// Least number of fields that must be set.
        min_fields: usize,
    },
    /// A string with a fixed set of values.
    Enum {
        /// The values.
        values: Vec<EnumValue>,
    },
}

/// One enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The wire value.
    pub value: String,
    /// The Rust variant.
    pub variant: String,
    /// What it means.
    pub description: Option<String>,
}

/// What `result` holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultDef {
    /// Its type.
    pub ty: Ty,
    /// What it means.
    pub description: Option<String>,
    /// A list method paged by `start`.
    pub paged: bool,
    /// Key of the list inside an object result.
    pub items: Option<String>,
    /// `type = "binary"`: the method answers a file, not JSON; the output is the runtime's
    /// `Download` (`ty` is then `any`, for the tools that read the model).
    pub binary: bool,
}

/// One documented error row.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorDef {
    /// The `error` code.
    pub code: String,
    /// The server's `error_description`.
    pub description: Option<String>,
    /// What it means.
    pub meaning: Option<String>,
    /// HTTP status.
    pub status: u16,
    /// The Rust variant.
    pub variant: String,
    /// Whether another row has the same code (then the description tells them apart).
    pub shared_code: bool,
}

/// One documented example.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Its name.
    pub name: String,
    /// What it shows.
    pub description: Option<String>,
    /// Request body.
    pub request: Option<Value>,
    /// HTTP status of the answer.
    pub status: u16,
    /// Answer body.
    pub response: Option<Value>,
}

impl Method {
    /// A method-less holder of a folder's shared types, so that code made for a method's types
    /// (which looks types up by name) serves them too.
    pub fn holder(folder: &str, types: Vec<TypeDef>) -> Method {
        Method {
            name: String::new(),
            folder: folder.to_string(),
            rust: crate::names::method_path(folder, folder),
            scope: folder.to_string(),
            callers: None,
            summary: None,
            description: None,
            docs: None,
            idempotent: false,
            application_only: false,
            exact_names: false,
            rest: 2,
            twin: false,
            imported: false,
            no_example: None,
            todo: Vec::new(),
            state: None,
            deprecated: None,
            params: Vec::new(),
            types,
            result: ResultDef {
                ty: Ty::Any,
                description: None,
                paged: false,
                items: None,
                binary: false,
            },
            errors: Vec::new(),
            examples: Vec::new(),
            source: String::new(),
            path: String::new(),
        }
    }

    /// The named type `name` of this method.
    /// The method's key among all specs: its name, or `<name>@v3` for the REST 3.0 twin of a
    /// REST 2 method.
    pub fn key(&self) -> String {
        key(&self.name, self.twin)
    }

    /// The named type `name` (own or shared).
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == name)
    }

    /// The named types `result` can hold, directly or through other types' fields: the ones a
    /// batch reference can point into, and the ones REST 3.0 `select<T>` and `filter<T>` pick
    /// field paths from.
    pub fn result_types(&self) -> std::collections::BTreeSet<&str> {
        let mut seen = std::collections::BTreeSet::new();
        let mut todo = self.result.ty.named();
        for p in &self.params {
            let ty = match &p.ty {
                Ty::Nullable(inner) => inner.as_ref(),
                other => other,
            };
            if matches!(ty, Ty::Select(_) | Ty::Filter(_) | Ty::Conditions(Some(_))) {
                todo.extend(ty.named());
            }
        }
        while let Some(name) = todo.pop() {
            if !seen.insert(name) {
                continue;
            }
            if let Some(TypeDef {
                kind: TypeKind::Struct { fields, .. },
                ..
            }) = self.type_def(name)
            {
                todo.extend(fields.iter().flat_map(|f| f.ty.named()));
            }
        }
        seen
    }

    /// The parameter with wire name `wire`.
    pub fn param(&self, wire: &str) -> Option<&Field> {
        self.params.iter().find(|p| p.wire == wire)
    }

    /// Checks a request body (a JSON object) against the parameters: unknown keys, missing
    /// required parameters and wrong types. `webhook` makes `required = "webhook"` parameters
    /// required too.
    pub fn check_request(&self, body: &Value, webhook: bool) -> Result<(), RequestProblem> {
        let Value::Object(map) = body else {
            return Err(RequestProblem::NotAnObject);
        };
        for p in &self.params {
            let must = p.required == Required::Yes || (webhook && p.required == Required::Webhook);
            if must && map.get(&p.wire).is_none_or(Value::is_null) {
                return Err(RequestProblem::Missing(p.wire.clone()));
            }
        }
        for (key, value) in map {
            let Some(p) = self.param(key) else {
                return Err(RequestProblem::Unknown(key.clone()));
            };
            check_value_at(self, &p.ty, value, key).map_err(RequestProblem::WrongType)?;
        }
        Ok(())
    }
}

/// Why a request body does not fit a method's parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestProblem {
    /// The body is not a JSON object.
    NotAnObject,
    /// A required parameter is absent.
    Missing(String),
    /// A key that is no parameter.
    Unknown(String),
    /// A value of the wrong type: where and what was expected.
    WrongType(TypeMismatch),
}

impl std::fmt::Display for RequestProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestProblem::NotAnObject => f.write_str("the request body is not a JSON object"),
            RequestProblem::Missing(p) => write!(f, "required parameter `{p}` is missing"),
            RequestProblem::Unknown(p) => write!(f, "`{p}` is not a parameter of this method"),
            RequestProblem::WrongType(t) => t.fmt(f),
        }
    }
}
