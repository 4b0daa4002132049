//! A reader over one TOML table that remembers which keys were used, so unknown keys (typos) can
//! be reported with a suggestion.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::ast::Sp;

/// Tables of an array, each with its span, and the span of the array.
pub type SpannedTables<'t, 'i> = (Vec<(&'t DeTable<'i>, Range<usize>)>, Range<usize>);
use crate::diag::{did_you_mean, Ctx};

/// Reads the keys of one table; `finish` reports the keys nobody asked for.
pub struct TableReader<'t, 'i> {
    table: &'t DeTable<'i>,
    what: &'static str,
    known: &'static [&'static str],
}

impl<'t, 'i> TableReader<'t, 'i> {
    /// Wraps `table`, described to the user as `what`, whose allowed keys are `known`.
    pub fn new(table: &'t DeTable<'i>, what: &'static str, known: &'static [&'static str]) -> Self {
        TableReader { table, what, known }
    }

    /// The raw value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        debug_assert!(
            self.known.contains(&key),
            "{key} missing from the known keys of {}",
            self.what
        );
        self.table
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(_, v)| v)
    }

    /// A string value.
    pub fn string(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<Sp<String>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(Sp {
                value: s.to_string(),
                span: v.span(),
            }),
            other => {
                wrong_kind(ctx, v.span(), self.what, key, "a string", other);
                None
            }
        }
    }

    /// A boolean value.
    pub fn boolean(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<Sp<bool>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(Sp {
                value: *b,
                span: v.span(),
            }),
            other => {
                wrong_kind(ctx, v.span(), self.what, key, "true or false", other);
                None
            }
        }
    }

    /// An integer value.
    pub fn integer(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<Sp<i64>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Integer(i) => {
                match i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()) {
                    Ok(n) => Some(Sp {
                        value: n,
                        span: v.span(),
                    }),
                    Err(_) => {
                        ctx.error(
                            v.span(),
                            format!("`{key}` in {} is not a 64-bit integer", self.what),
                        );
                        None
                    }
                }
            }
            other => {
                wrong_kind(ctx, v.span(), self.what, key, "an integer", other);
                None
            }
        }
    }

    /// An array of strings, each with its span.
    pub fn strings(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<Sp<Vec<Sp<String>>>> {
        let v = self.get(key)?;
        let DeValue::Array(items) = v.get_ref() else {
            wrong_kind(
                ctx,
                v.span(),
                self.what,
                key,
                "an array of strings",
                v.get_ref(),
            );
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(Sp {
                    value: s.to_string(),
                    span: item.span(),
                }),
                other => wrong_kind(ctx, item.span(), self.what, key, "a string", other),
            }
        }
        Some(Sp {
            value: out,
            span: v.span(),
        })
    }

    /// A sub-table.
    pub fn table(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<(&'t DeTable<'i>, Range<usize>)> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some((t, v.span())),
            other => {
                wrong_kind(ctx, v.span(), self.what, key, "a table", other);
                None
            }
        }
    }

    /// A table of texts (`[state.form]`: field name -> word), each key and value with its span;
    /// a value that is not text is reported with `hint` and left out.
    pub fn text_pairs(
        &self,
        ctx: &mut Ctx<'_>,
        key: &str,
        hint: &str,
    ) -> Vec<(Sp<String>, Sp<String>)> {
        let Some((table, _)) = self.table(ctx, key) else {
            return Vec::new();
        };
        let mut pairs = Vec::new();
        for (k, v) in table {
            let name = Sp {
                value: k.get_ref().to_string(),
                span: k.span(),
            };
            match v.get_ref() {
                DeValue::String(w) => pairs.push((
                    name,
                    Sp {
                        value: w.to_string(),
                        span: v.span(),
                    },
                )),
                _ => ctx.error_help(
                    v.span(),
                    format!(
                        "`{}.{key}]` value of `{}` is not a string",
                        self.what.trim_end_matches(']'),
                        name.value
                    ),
                    hint,
                ),
            }
        }
        pairs
    }

    /// An array of tables (`[[key]]` or `key = [{...}]`); each with its span.
    pub fn tables(&self, ctx: &mut Ctx<'_>, key: &str) -> Option<SpannedTables<'t, 'i>> {
        let v = self.get(key)?;
        let DeValue::Array(items) = v.get_ref() else {
            wrong_kind(
                ctx,
                v.span(),
                self.what,
                key,
                "an array of tables",
                v.get_ref(),
            );
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => out.push((t, item.span())),
                other => wrong_kind(ctx, item.span(), self.what, key, "a table", other),
            }
        }
        Some((out, v.span()))
    }

    /// Reports every key that is not one of the known keys, with a suggestion where one is close.
    pub fn finish(self, ctx: &mut Ctx<'_>) {
        for (key, _) in self.table.iter() {
            let name = key.get_ref().as_ref();
            if self.known.contains(&name) {
                continue;
            }
            let message = format!("unknown key `{name}` in {}", self.what);
            match did_you_mean(name, self.known.iter().copied()) {
                Some(close) => {
                    ctx.error_help(key.span(), message, format!("did you mean `{close}`?"))
                }
                None => ctx.error_help(
                    key.span(),
                    message,
                    format!("the keys allowed here are: {}", self.known.join(", ")),
                ),
            }
        }
    }
}

fn wrong_kind(
    ctx: &mut Ctx<'_>,
    span: Range<usize>,
    what: &str,
    key: &str,
    wanted: &str,
    got: &DeValue<'_>,
) {
    ctx.error(
        span,
        format!(
            "`{key}` in {what} must be {wanted}, found {}",
            got.type_str()
        ),
    );
}

/// Converts a TOML value to JSON, for free-form values such as `default`.
pub fn to_json(value: &DeValue<'_>) -> serde_json::Value {
    use serde_json::Value;
    match value {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(i.as_str().to_string())),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::String(d.to_string()),
        DeValue::Array(a) => Value::Array(a.iter().map(|v| to_json(v.get_ref())).collect()),
        DeValue::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.get_ref().to_string(), to_json(v.get_ref())))
                .collect(),
        ),
    }
}
