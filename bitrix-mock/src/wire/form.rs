//! The wire form of one field: how the portal writes a value (`"410"` for an ID, `"5000.00"`
//! for money, `"Y"`/`"N"`, a date in one of its shapes), read off a documented example value,
//! and the conversion of a stored value into it.

use serde_json::{Number, Value};

use crate::scalar::number;

/// The shapes of dates the portal writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateShape {
    /// `2024-08-30T14:29:00+02:00`.
    Iso,
    /// `2024-08-30`.
    IsoDate,
    /// `2024-08-30 14:29:00`.
    Sql,
    /// `30.08.2024`.
    Dotted,
    /// `30.08.2024 14:29:00`.
    DottedTime,
}

/// How a field's value goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Out {
    /// Text; numbers become their text.
    Text,
    /// A whole number as text.
    IntText,
    /// A number as text with this many decimals.
    Decimal(u8),
    /// A JSON number.
    Number,
    /// `"Y"`/`"N"`.
    Flag,
    /// `true`/`false`.
    Bool,
    /// A date in this shape.
    Date(DateShape),
    /// As stored (lists, objects, values of unknown form).
    Raw,
}

impl Out {
    /// The form the example value `v` shows; `None` for `null` (which shows no form).
    pub fn of_example(v: &Value) -> Option<Out> {
        Some(match v {
            Value::Null => return None,
            Value::Bool(_) => Out::Bool,
            Value::Number(_) => Out::Number,
            Value::String(s) => {
                if s == "Y" || s == "N" {
                    Out::Flag
                } else if let Some(shape) = date_shape(s) {
                    Out::Date(shape)
                } else if is_int_text(s) {
                    Out::IntText
                } else if let Some(d) = decimals(s) {
                    Out::Decimal(d)
                } else {
                    Out::Text
                }
            }
            Value::Array(_) | Value::Object(_) => Out::Raw,
        })
    }

    /// Converts a stored value into this form; a value that does not fit stays as it is.
    pub fn apply(self, v: &Value) -> Value {
        if v.is_null() {
            return Value::Null;
        }
        let text = crate::scalar::text;
        match self {
            Out::Raw => v.clone(),
            Out::Text => match v {
                Value::Number(_) => Value::String(text(v).unwrap_or_default()),
                // A list of values where the portal shows one text is the list's first, the one
                // its own column keeps (`sonet_group`'s `SITE_ID`: the sites sent, `"s1"` shown).
                Value::Array(items)
                    if !items.is_empty()
                        && items.iter().all(|i| i.is_string() || i.is_number()) =>
                {
                    Value::String(text(&items[0]).unwrap_or_default())
                }
                // Other arrays kept where the portal shows text are answered as PHP stored them.
                Value::Array(_) | Value::Object(_) => Value::String(super::php::serialize(v)),
                _ => v.clone(),
            },
            Out::IntText => match number(v) {
                Some(n) if n.fract() == 0.0 && n.abs() < 9e15 => {
                    Value::String(format!("{}", n as i64))
                }
                _ => text(v).map_or_else(|| v.clone(), Value::String),
            },
            Out::Decimal(d) => match number(v) {
                Some(n) if n.is_finite() => Value::String(format!("{:.*}", usize::from(d), n)),
                _ => v.clone(),
            },
            Out::Number => match (v, number(v)) {
                (Value::String(s), Some(_)) => s
                    .trim()
                    .parse::<i64>()
                    .map(Value::from)
                    .ok()
                    .or_else(|| {
                        s.trim()
                            .parse::<f64>()
                            .ok()
                            .and_then(Number::from_f64)
                            .map(Value::Number)
                    })
                    .unwrap_or_else(|| v.clone()),
                _ => v.clone(),
            },
            Out::Flag => match truth(v) {
                Some(b) => Value::from(if b { "Y" } else { "N" }),
                None => v.clone(),
            },
            Out::Bool => truth(v).map_or_else(|| v.clone(), Value::Bool),
            Out::Date(shape) => match v.as_str().and_then(parse_date) {
                Some(d) => Value::String(d.render(shape)),
                None => v.clone(),
            },
        }
    }
}

/// A flag's truth in any of the portal's spellings.
fn truth(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        Value::String(s) => match s.as_str() {
            "Y" | "y" | "true" | "1" => Some(true),
            "N" | "n" | "false" | "0" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

fn is_int_text(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.len() < 16 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The number of decimals of `"5000.00"`; `None` unless the text is a decimal number.
fn decimals(s: &str) -> Option<u8> {
    let (int, frac) = s.split_once('.')?;
    (is_int_text(int)
        && !frac.is_empty()
        && frac.len() < 10
        && frac.bytes().all(|b| b.is_ascii_digit()))
    .then_some(frac.len() as u8)
}

/// A date's parts, with the offset as written (`+02:00`; `+00:00` when none was).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateParts {
    ymd: (u32, u32, u32),
    hms: (u32, u32, u32),
    offset: String,
}

impl DateParts {
    /// The date in `shape`.
    pub fn render(&self, shape: DateShape) -> String {
        let (y, mo, d) = self.ymd;
        let (h, mi, s) = self.hms;
        match shape {
            DateShape::Iso => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{}", self.offset),
            DateShape::IsoDate => format!("{y:04}-{mo:02}-{d:02}"),
            DateShape::Sql => format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}"),
            DateShape::Dotted => format!("{d:02}.{mo:02}.{y:04}"),
            DateShape::DottedTime => format!("{d:02}.{mo:02}.{y:04} {h:02}:{mi:02}:{s:02}"),
        }
    }
}

/// The shape of a date text, if it is one.
fn date_shape(s: &str) -> Option<DateShape> {
    parse_date(s)?;
    let b = s.as_bytes();
    Some(match (b.get(2), s.len()) {
        (Some(b'.'), 10) => DateShape::Dotted,
        (Some(b'.'), _) => DateShape::DottedTime,
        (_, 10) => DateShape::IsoDate,
        _ if b.get(10) == Some(&b' ') && s.len() == 19 => DateShape::Sql,
        _ => DateShape::Iso,
    })
}

/// Reads `2024-08-30`, `2024-08-30T14:29:00+02:00` (or `Z`, or no offset), `2024-08-30 14:29:00`,
/// `30.08.2024` and `30.08.2024 14:29:00`.
pub fn parse_date(s: &str) -> Option<DateParts> {
    let s = s.trim();
    if !s.is_ascii() || s.len() < 10 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let t = s.get(r)?;
        t.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| t.parse().ok())
            .flatten()
    };
    let ymd = if s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' {
        (num(0..4)?, num(5..7)?, num(8..10)?)
    } else if s.as_bytes()[2] == b'.' && s.as_bytes()[5] == b'.' {
        (num(6..10)?, num(3..5)?, num(0..2)?)
    } else {
        return None;
    };
    if !(1..=12).contains(&ymd.1) || !(1..=31).contains(&ymd.2) {
        return None;
    }
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(DateParts {
            ymd,
            hms: (0, 0, 0),
            offset: "+00:00".into(),
        });
    }
    if !(rest.starts_with('T') || rest.starts_with(' ')) || rest.len() < 9 {
        return None;
    }
    let t = &rest[1..];
    let part = |r: std::ops::Range<usize>| -> Option<u32> {
        let x = t.get(r)?;
        x.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| x.parse().ok())
            .flatten()
    };
    if t.as_bytes().get(2) != Some(&b':') || t.as_bytes().get(5) != Some(&b':') {
        return None;
    }
    let hms = (part(0..2)?, part(3..5)?, part(6..8)?);
    let mut tail = &t[8..];
    // Fractions of a second are dropped; the portal writes whole seconds.
    if let Some(f) = tail.strip_prefix('.') {
        tail = f.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match tail {
        "" | "Z" => "+00:00".to_string(),
        o if o.len() == 6
            && (o.starts_with('+') || o.starts_with('-'))
            && o.as_bytes()[3] == b':' =>
        {
            o.to_string()
        }
        _ => return None,
    };
    Some(DateParts { ymd, hms, offset })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn forms_from_examples() {
        assert_eq!(Out::of_example(&json!("410")), Some(Out::IntText));
        assert_eq!(Out::of_example(&json!("1000000.00")), Some(Out::Decimal(2)));
        assert_eq!(Out::of_example(&json!("Y")), Some(Out::Flag));
        assert_eq!(
            Out::of_example(&json!("2024-08-30T02:00:00+02:00")),
            Some(Out::Date(DateShape::Iso))
        );
        assert_eq!(
            Out::of_example(&json!("30.08.2024")),
            Some(Out::Date(DateShape::Dotted))
        );
        assert_eq!(Out::of_example(&json!("New Deal")), Some(Out::Text));
        assert_eq!(Out::of_example(&json!(null)), None);
    }

    #[test]
    fn stored_values_take_the_form() {
        assert_eq!(Out::IntText.apply(&json!(410)), json!("410"));
        assert_eq!(Out::Decimal(2).apply(&json!(5000)), json!("5000.00"));
        assert_eq!(Out::Decimal(2).apply(&json!("12.5")), json!("12.50"));
        assert_eq!(Out::Flag.apply(&json!(true)), json!("Y"));
        assert_eq!(Out::Bool.apply(&json!("N")), json!(false));
        assert_eq!(Out::Number.apply(&json!("7")), json!(7));
        assert_eq!(
            Out::Date(DateShape::Iso).apply(&json!("2024-08-30")),
            json!("2024-08-30T00:00:00+00:00")
        );
        assert_eq!(
            Out::Date(DateShape::Dotted).apply(&json!("2024-08-30T10:00:00+02:00")),
            json!("30.08.2024")
        );
        assert_eq!(Out::IntText.apply(&json!(null)), json!(null));
        assert_eq!(Out::IntText.apply(&json!("abc")), json!("abc"));
        assert!(parse_date("2024-13-01").is_none());
        assert!(parse_date("ééééééééééé").is_none());
    }
}
