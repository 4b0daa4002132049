//! A method spec as the writer holds it: the keys the importer decides from a reference page.
//! [`super::render()`] writes it, [`super::back`] reads a spec file into it again.

pub use crate::ast::Required;

/// One imported spec.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Spec {
    /// REST method name.
    pub method: String,
    /// `origin`: who keeps the spec up to date.
    pub origin: Origin,
    /// Permission scope.
    pub scope: String,
    /// REST version: 2 (`/rest/<method>`) or 3 (`/rest/api/<method>`).
    pub rest: u8,
    /// The REST 3.0 spec of a method that also has a REST 2 spec (file `<method>@v3.toml`).
    pub twin: bool,
    /// Address of the official page.
    pub docs: String,
    /// Present when the page marks the method deprecated; holds the replacement if named.
    pub deprecated: Option<Option<String>>,
    /// Parameters in page order.
    pub params: Vec<Field>,
    /// Named struct types.
    pub types: Vec<TypeDef>,
    /// What `result` holds.
    pub result: ResultDef,
    /// Documented error rows.
    pub errors: Vec<ErrorRow>,
    /// Documented request and answer examples.
    pub examples: Vec<Example>,
    /// Emulator annotation, where the method name decides it.
    pub state: Option<State>,
    /// Points the importer could not decide.
    pub todo: Vec<String>,
    /// A read by its name (`idempotent = true`).
    pub idempotent: bool,
}

/// A parameter or a struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Wire name.
    pub name: String,
    /// Spec type expression.
    pub ty: String,
    /// Marked required (`**NAME***`).
    pub required: Required,
}

/// Who keeps a spec up to date (`origin`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Origin {
    /// `origin = "import"`: the importer rewrites it.
    #[default]
    Import,
    /// `origin = "hand"`: finished by hand; the importer leaves it alone.
    Hand,
    /// No `origin` key: finished by hand too.
    Unsaid,
}

impl From<bool> for Required {
    /// A reference page's required mark: required or not, never only on webhook calls.
    fn from(required: bool) -> Self {
        if required {
            Required::Yes
        } else {
            Required::No
        }
    }
}

/// A named struct type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// PascalCase name.
    pub name: String,
    /// Its fields in table order (a struct).
    pub fields: Vec<Field>,
    /// Its allowed values (an enum); empty for a struct.
    pub values: Vec<String>,
}

/// The `[result]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultDef {
    /// Type expression.
    pub ty: String,
    /// A list method (`start`, `next`, `total`).
    pub paged: bool,
    /// Key of the list inside `result`, for paged methods that wrap it.
    pub items: Option<String>,
}

impl Default for ResultDef {
    fn default() -> Self {
        ResultDef {
            ty: "any".into(),
            paged: false,
            items: None,
        }
    }
}

/// One `[[errors]]` row.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorRow {
    /// The `error` code.
    pub code: String,
    /// The literal `error_description`, when the page gives it.
    pub description: Option<String>,
    /// HTTP status when not 400.
    pub status: Option<u16>,
    /// Variant name, for rows that share a code.
    pub variant: Option<String>,
}

/// One `[[examples]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// snake_case name.
    pub name: String,
    /// Request JSON text.
    pub request: Option<String>,
    /// HTTP status of the answer.
    pub status: u16,
    /// Answer JSON text.
    pub response: Option<String>,
}

/// The `[state]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Store name (`crm.deal`).
    pub entity: String,
    /// `add`, `get`, `list`, `update`, `delete` or `fields`.
    pub action: String,
    /// Parameter carrying the record ID.
    pub id: Option<String>,
    /// Parameter carrying the record's fields.
    pub fields: Option<String>,
    /// The record's ID field in answers, when not `ID`.
    pub key: Option<String>,
    /// Key `result` puts the record(s) under.
    pub wrap: Option<String>,
    /// Error code answering a missing ID.
    pub not_found: Option<String>,
    /// What `result` holds when not the action's default (`record`).
    pub answer: Option<String>,
}

impl Spec {
    /// The file name without `.toml`: the method name, with `@v3` for a twin.
    pub fn stem(&self) -> String {
        stem(&self.method, self.twin)
    }

    /// Replaces every use of type `name` with `any` and removes the type.
    pub fn forget_type(&mut self, name: &str) {
        self.types.retain(|t| t.name != name);
        let fix = |ty: &mut String| {
            if ty.trim_matches(|c| "[]{}?".contains(c)) == name {
                *ty = ty.replace(name, "any");
            }
        };
        self.params.iter_mut().for_each(|f| fix(&mut f.ty));
        for t in &mut self.types {
            t.fields.iter_mut().for_each(|f| fix(&mut f.ty));
        }
        fix(&mut self.result.ty);
    }

    /// Adds a todo point once.
    pub fn todo(&mut self, point: impl Into<String>) {
        let p = point.into();
        if !self.todo.contains(&p) {
            self.todo.push(p);
        }
    }
}

/// A spec file's name without `.toml`: `method`, or `method@v3` for the REST 3.0 twin of a
/// REST 2 method.
pub fn stem(method: &str, twin: bool) -> String {
    if twin {
        format!("{method}@v3")
    } else {
        method.to_string()
    }
}
