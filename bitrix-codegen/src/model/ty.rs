//! Type expressions: `integer`, `[Lang]`, `{string?}`, …

use std::fmt;

/// A parsed type expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `integer`: i64, quoted numbers accepted when decoding.
    Integer,
    /// `double`: f64.
    Double,
    /// `string`.
    String,
    /// `url`: a string that must be an http(s) address.
    Url,
    /// `boolean`: JSON true/false.
    Boolean,
    /// `flag`: `"Y"`/`"N"` on the wire, bool in Rust.
    Flag,
    /// `date`: text.
    Date,
    /// `datetime`: text.
    DateTime,
    /// `file`: `["name", "base64"]`.
    File,
    /// `any`: free JSON.
    Any,
    /// A named type of the spec.
    Named(String),
    /// `[T]`.
    List(Box<Ty>),
    /// `{T}`.
    Map(Box<Ty>),
    /// `T?`.
    Nullable(Box<Ty>),
    /// `select<T>`: REST 3.0 field paths of the struct `T` (`["id", "responsible.name"]`).
    Select(String),
    /// `filter<T>`: a REST 3.0 filter over the struct `T` (`[["id", "in", [1, 2]], …]`).
    Filter(String),
    /// `conditions<T>` or `conditions`: a REST 2 filter, an object of prefixed field names
    /// (`{">=OPPORTUNITY": 100, "@ID": [1, 2]}`), over the struct `T` when given.
    Conditions(Option<String>),
    /// `lang_text`: a text, or texts by language code (`"Label"` or `{"en": "Label"}`).
    LangText,
    /// `one_or_many<T>`: one plain value or a list of them (`5` or `[5, 7]`).
    OneOrMany(Box<Ty>),
}

/// The primitive type names, for suggestions.
pub const PRIMITIVES: &[&str] = &[
    "integer",
    "double",
    "string",
    "url",
    "boolean",
    "flag",
    "date",
    "datetime",
    "file",
    "any",
    "conditions",
    "lang_text",
];

/// Parses a type expression. The error says what is wrong.
pub fn parse_type(text: &str) -> Result<Ty, String> {
    let text = text.trim();
    if let Some(inner) = text.strip_suffix('?') {
        let inner = parse_type(inner)?;
        if matches!(inner, Ty::Nullable(_)) {
            return Err(format!("`{text}` marks a type nullable twice"));
        }
        return Ok(Ty::Nullable(Box::new(inner)));
    }
    for (word, make) in [
        ("select<", Ty::Select as fn(String) -> Ty),
        ("filter<", Ty::Filter as fn(String) -> Ty),
        ("conditions<", |n| Ty::Conditions(Some(n))),
    ] {
        if let Some(inner) = text.strip_prefix(word) {
            let inner = inner
                .strip_suffix('>')
                .ok_or_else(|| format!("`{text}` opens `<` but does not close it"))?;
            return match parse_type(inner)? {
                Ty::Named(name) => Ok(make(name)),
                _ => Err(format!(
                    "`{text}` needs the name of a struct type between `<` and `>`"
                )),
            };
        }
    }
    if let Some(inner) = text.strip_prefix("one_or_many<") {
        let inner = inner
            .strip_suffix('>')
            .ok_or_else(|| format!("`{text}` opens `<` but does not close it"))?;
        return match parse_type(inner)? {
            t @ (Ty::Integer | Ty::Double | Ty::String | Ty::Date | Ty::DateTime | Ty::Boolean) => {
                Ok(Ty::OneOrMany(Box::new(t)))
            }
            other => Err(format!(
                "`{text}`: `one_or_many` takes one plain value type (integer, double, string, \
                 date, datetime or boolean), not `{other}`"
            )),
        };
    }
    if let Some(inner) = text.strip_prefix('[') {
        let inner = inner
            .strip_suffix(']')
            .ok_or_else(|| format!("`{text}` opens `[` but does not close it"))?;
        return Ok(Ty::List(Box::new(parse_type(inner)?)));
    }
    if let Some(inner) = text.strip_prefix('{') {
        let inner = inner
            .strip_suffix('}')
            .ok_or_else(|| format!("`{text}` opens `{{` but does not close it"))?;
        return Ok(Ty::Map(Box::new(parse_type(inner)?)));
    }
    Ok(match text {
        "integer" => Ty::Integer,
        "double" => Ty::Double,
        "string" => Ty::String,
        "url" => Ty::Url,
        "boolean" => Ty::Boolean,
        "flag" => Ty::Flag,
        "date" => Ty::Date,
        "datetime" => Ty::DateTime,
        "file" => Ty::File,
        "any" => Ty::Any,
        "conditions" => Ty::Conditions(None),
        "lang_text" => Ty::LangText,
        "" => return Err("empty type".to_string()),
        name if name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && name.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            Ty::Named(name.to_string())
        }
        other => return Err(format!("unknown type `{other}`")),
    })
}

impl Ty {
    /// Every named type this expression mentions.
    pub fn named(&self) -> Vec<&str> {
        match self {
            Ty::Named(n) | Ty::Select(n) | Ty::Filter(n) | Ty::Conditions(Some(n)) => {
                vec![n.as_str()]
            }
            Ty::List(t) | Ty::Map(t) | Ty::Nullable(t) | Ty::OneOrMany(t) => t.named(),
            _ => Vec::new(),
        }
    }

    /// Named types reached without going through a list or a map (these make a type infinitely large).
    pub fn named_inline(&self) -> Option<&str> {
        match self {
            Ty::Named(n) => Some(n),
            Ty::Nullable(t) => t.named_inline(),
            _ => None,
        }
    }

    /// Whether an integer or a flag occurs in it (such values need lenient decoding).
    pub fn contains(&self, pred: &dyn Fn(&Ty) -> bool) -> bool {
        pred(self)
            || match self {
                Ty::List(t) | Ty::Map(t) | Ty::Nullable(t) | Ty::OneOrMany(t) => t.contains(pred),
                _ => false,
            }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Integer => f.write_str("integer"),
            Ty::Double => f.write_str("double"),
            Ty::String => f.write_str("string"),
            Ty::Url => f.write_str("url"),
            Ty::Boolean => f.write_str("boolean"),
            Ty::Flag => f.write_str("flag"),
            Ty::Date => f.write_str("date"),
            Ty::DateTime => f.write_str("datetime"),
            Ty::File => f.write_str("file"),
            Ty::Any => f.write_str("any"),
            Ty::Named(n) => f.write_str(n),
            Ty::List(t) => write!(f, "[{t}]"),
            Ty::Map(t) => write!(f, "{{{t}}}"),
            Ty::Nullable(t) => write!(f, "{t}?"),
            Ty::Select(n) => write!(f, "select<{n}>"),
            Ty::Filter(n) => write!(f, "filter<{n}>"),
            Ty::Conditions(Some(n)) => write!(f, "conditions<{n}>"),
            Ty::Conditions(None) => f.write_str("conditions"),
            Ty::LangText => f.write_str("lang_text"),
            Ty::OneOrMany(t) => write!(f, "one_or_many<{t}>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_expressions() {
        assert_eq!(
            parse_type("[Lang]"),
            Ok(Ty::List(Box::new(Ty::Named("Lang".into()))))
        );
        assert_eq!(
            parse_type("{string?}"),
            Ok(Ty::Map(Box::new(Ty::Nullable(Box::new(Ty::String)))))
        );
        assert_eq!(parse_type("integer").unwrap().to_string(), "integer");
        assert_eq!(parse_type("[{flag}]").unwrap().to_string(), "[{flag}]");
        assert_eq!(parse_type("select<Task>"), Ok(Ty::Select("Task".into())));
        assert_eq!(
            parse_type("filter<Task>?").unwrap().to_string(),
            "filter<Task>?"
        );
        assert_eq!(
            parse_type("lang_text?"),
            Ok(Ty::Nullable(Box::new(Ty::LangText)))
        );
        assert_eq!(
            parse_type("one_or_many<integer>"),
            Ok(Ty::OneOrMany(Box::new(Ty::Integer)))
        );
        assert_eq!(
            parse_type("[one_or_many<string>]").unwrap().to_string(),
            "[one_or_many<string>]"
        );
    }

    #[test]
    fn rejects_bad_expressions() {
        assert!(parse_type("[Lang").is_err());
        assert!(parse_type("strin").unwrap_err().contains("unknown type"));
        assert!(parse_type("int??").is_err());
        assert!(parse_type("").is_err());
        assert!(parse_type("select<string>").is_err());
        assert!(parse_type("filter<Task").is_err());
        assert!(parse_type("conditions<integer>").is_err());
        assert!(parse_type("conditions<Deal").is_err());
        assert!(parse_type("one_or_many<integer").is_err());
        for bad in [
            "one_or_many<[integer]>",
            "one_or_many<Task>",
            "one_or_many<flag>",
        ] {
            let e = parse_type(bad).unwrap_err();
            assert!(e.contains("takes one plain value type"), "{e}");
        }
    }

    #[test]
    fn conditions_with_and_without_a_record_type() {
        for (text, ty) in [
            ("conditions<Deal>", Ty::Conditions(Some("Deal".into()))),
            ("conditions", Ty::Conditions(None)),
        ] {
            assert_eq!(parse_type(text), Ok(ty.clone()));
            assert_eq!(ty.to_string(), text);
        }
        assert_eq!(
            parse_type("conditions<Deal>").unwrap().named(),
            vec!["Deal"]
        );
    }
}
