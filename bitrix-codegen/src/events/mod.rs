//! Incoming events (`ONIMCOMMANDADD`, `ONIMBOTV2MESSAGEADD`, …): specs of the `data` payload
//! Bitrix24 POSTs to a handler, in the same field and type grammar as method specs.
//!
//! The steps mirror the method pipeline: [`read`] (TOML to a spanned syntax tree), [`valid`]
//! (every rule of `events/README.md`, with file, line and column), the [`EventDef`] model, and
//! [`mod@expand`] (one typed struct per payload and one `Event` enum over all of them).

pub mod expand;
pub mod raise;
pub mod read;
pub mod valid;

use serde_json::Value;

use crate::diag::{self, Diagnostic};
use crate::model::{Deprecation, Method};
use crate::source::SpecSource;

pub use expand::expand_events;

/// One incoming event, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDef {
    /// The event name as Bitrix24 sends it in `event`, e.g. `ONIMCOMMANDADD`.
    pub name: String,
    /// The Rust name of the payload struct and of the enum variant, e.g. `OnImCommandAdd`.
    pub rust_name: String,
    /// The permission scope, e.g. `imbot`.
    pub scope: String,
    /// One sentence.
    pub summary: String,
    /// Longer text.
    pub description: Option<String>,
    /// Official page.
    pub docs: Option<String>,
    /// Deprecation, if any (`replacement` names an event).
    pub deprecated: Option<Deprecation>,
    /// Wire names whose values are secrets wherever they occur in `data` (tokens).
    pub secrets: Vec<String>,
    /// The `data` payload: `params` are its fields, `types` its named types (Rust names prefixed
    /// with `rust_name`). Reuses the method model so types and fields expand the same way.
    pub data: Method,
    /// Documented payloads.
    pub examples: Vec<EventExample>,
    /// Written by the importer (`origin = "import"`): rewritten by the next import.
    pub imported: bool,
    /// Points the importer could not decide.
    pub todo: Vec<String>,
    /// The keys of the delivery's `auth` block the page documents (decoded by the runtime's
    /// `Auth`, whatever they are).
    pub auth: Vec<String>,
    /// The folder below `events/` (`crm`): the module of the payload types and, with
    /// `scope_features`, the Cargo feature that turns the event on. `None` for a file read alone.
    pub folder: Option<String>,
    /// The emulator's store writes that raise the event (`[[raise]]`).
    pub raise: Vec<raise::Raise>,
    /// The spec file, as shown in messages.
    pub source: String,
    /// The spec file's path as read; tracked for rebuilds.
    pub path: String,
}

/// One documented delivery of an event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventExample {
    /// Its name.
    pub name: String,
    /// What it shows.
    pub description: Option<String>,
    /// The whole JSON body (`event`, `data`, `ts`, `auth`, …), when documented so.
    pub body: Option<Value>,
    /// Only the `data` object, when the page documents only that.
    pub data: Option<Value>,
    /// The body as form fields (`data[PARAMS][MESSAGE]=…`), when documented so.
    pub form: Option<String>,
}

impl EventDef {
    /// The module (and Cargo feature) of the event: its folder, else its scope.
    pub fn module(&self) -> &str {
        self.folder.as_deref().unwrap_or(&self.scope)
    }
}

impl EventExample {
    /// The `data` object of this example, from `data` or from `body`.
    pub fn data_value(&self) -> Option<&Value> {
        self.data
            .as_ref()
            .or_else(|| self.body.as_ref().and_then(|b| b.get("data")))
    }
}

/// Reads and validates one event spec. All of its problems are returned together.
pub fn parse_event(source: &SpecSource) -> Result<EventDef, Vec<Diagnostic>> {
    let mut ctx = diag::Ctx::new(&source.display, &source.text);
    let event = read::read_event(&mut ctx, &source.text)
        .and_then(|ast| valid::validate(&mut ctx, ast, source.stem(), source));
    let problems = ctx.finish();
    match event {
        Some(e) if problems.is_empty() => Ok(e),
        _ => Err(problems),
    }
}

/// The outcome of checking a folder of event specs.
#[derive(Debug, Default)]
pub struct CheckedEvents {
    /// Specs that passed, sorted by event name.
    pub events: Vec<EventDef>,
    /// Problems, grouped by file.
    pub problems: Vec<Diagnostic>,
}

/// Reads and validates many event specs, then checks what only shows across files (two specs of
/// one event, two events with one Rust name).
pub fn check_events(sources: &[SpecSource]) -> CheckedEvents {
    let mut out = CheckedEvents::default();
    let mut names: std::collections::BTreeMap<String, String> = Default::default();
    let mut rust: std::collections::BTreeMap<String, String> = Default::default();
    for s in sources {
        match parse_event(s) {
            Ok(e) => {
                let dup = names
                    .get(&e.name)
                    .map(|f| {
                        (
                            format!("event `{}` is already defined in {f}", e.name),
                            "event",
                        )
                    })
                    .or_else(|| {
                        rust.get(&e.rust_name).map(|f| {
                            (
                                format!("Rust name `{}` is already used by {f}", e.rust_name),
                                "rust_name",
                            )
                        })
                    });
                if let Some((message, key)) = dup {
                    let (line, column) = s.position_of_key(key);
                    out.problems.push(Diagnostic {
                        file: s.display.clone(),
                        line,
                        column,
                        message,
                        help: Some("each event has exactly one spec and its own Rust name".into()),
                    });
                    continue;
                }
                names.insert(e.name.clone(), s.display.clone());
                rust.insert(e.rust_name.clone(), s.display.clone());
                out.events.push(e);
            }
            Err(p) => out.problems.extend(p),
        }
    }
    out.events.sort_by(|a, b| a.name.cmp(&b.name));
    out
}
