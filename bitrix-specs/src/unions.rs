//! Documented unions (`string | lang_map`, `integer | integer[]`, `boolean | integer`) as the
//! type expressions that take every form portals send.

use crate::types::{map_word, Mapped};

/// What a union of type words becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Union {
    /// A type expression that takes every member (`lang_text`, `one_or_many<integer>`).
    Expr(String),
    /// An object, where the other members are PHP's stand-ins for an empty one (`false`, `[]`):
    /// the object's type, if a table describes it.
    Object,
}

/// The type of a union of `words` (`null` already left out); `None` when no expression takes
/// every member honestly (it stays `any`). `name` and `description` are the row's (a
/// text-or-object union is a text by language where the row says so or the field is a label:
/// `NAME`, `DESCRIPTION`, `TITLE`, `*_LABEL`); `input`: a request parameter;
/// `bare_list`: a bare `array` member is a list (a request parameter whose name or example shows
/// a list: in an answer it may hold anything, and `order` is an associative array).
pub fn union_type(
    words: &[&str],
    name: &str,
    description: &str,
    input: bool,
    bare_list: bool,
) -> Option<Union> {
    let lower: Vec<String> = words
        .iter()
        .map(|w| w.trim().trim_matches('`').to_ascii_lowercase())
        .collect();
    let has = |w: &str| lower.iter().any(|x| x == w);
    let only = |set: &[&str]| lower.iter().all(|x| set.contains(&x.as_str()));
    // A text, or the same text by language code.
    let by_lang = only(&["string", "lang_map", "textwithtranslation"])
        && (has("lang_map") || has("textwithtranslation"));
    let localized = {
        let d = description.to_ascii_lowercase();
        let n = name.to_ascii_lowercase();
        d.contains("locali")
            || d.contains("language")
            || matches!(n.as_str(), "name" | "description" | "title" | "label")
            || n.ends_with("_label")
    };
    if by_lang || (only(&["string", "object"]) && has("object") && localized) {
        return Some(Union::Expr("lang_text".into()));
    }
    // `boolean | integer`: "cast to true"; the boolean decoder reads `1`/`0` (and `"Y"`/`"N"`).
    if has("boolean")
        && has("integer")
        && (only(&["boolean", "integer"]) || input && only(&["boolean", "integer", "string"]))
    {
        return Some(Union::Expr("boolean".into()));
    }
    // An object, or `false` / `[]` for none.
    if has("object") && only(&["object", "array", "boolean"]) {
        return Some(Union::Object);
    }
    // Texts and numbers: text (numbers read as their digits), else the widest number. (A text
    // or `false` stays open: the examples' check takes no `false` for a text.)
    let scalar = |w: &str| match map_word(w, false) {
        Mapped::Expr(e)
            if matches!(
                e.as_str(),
                "integer" | "double" | "string" | "date" | "datetime"
            ) =>
        {
            Some(e)
        }
        _ => None,
    };
    let mut items: Vec<String> = Vec::new();
    let mut one = false;
    let mut many = false;
    for w in &lower {
        if let Some(inner) = w.strip_suffix("[]") {
            items.push(scalar(inner)?);
            many = true;
        } else if w == "array" && bare_list {
            many = true;
        } else {
            items.push(scalar(w)?);
            one = true;
        }
    }
    let widest = if items.iter().all(|e| e == "integer") {
        "integer"
    } else if items.iter().all(|e| e == "integer" || e == "double") {
        "double"
    } else {
        "string"
    };
    match (one, many) {
        (true, true) => Some(Union::Expr(format!("one_or_many<{widest}>"))),
        (true, false) => Some(Union::Expr(widest.into())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(words: &str, description: &str, input: bool) -> Option<Union> {
        let w: Vec<&str> = words.split(" | ").collect();
        union_type(&w, "VALUE", description, input, input)
    }

    fn expr(e: &str) -> Option<Union> {
        Some(Union::Expr(e.into()))
    }

    #[test]
    fn texts_by_language() {
        assert_eq!(of("string | lang_map", "", false), expr("lang_text"));
        assert_eq!(
            of(
                "string | object",
                "A string or an array of localized strings",
                true
            ),
            expr("lang_text")
        );
        assert_eq!(of("string | object", "Settings", true), None);
        assert_eq!(
            union_type(
                &["string", "object"],
                "Name",
                "Name of the parameter",
                true,
                true
            ),
            expr("lang_text")
        );
    }

    #[test]
    fn one_value_or_a_list() {
        assert_eq!(
            of("integer | integer[]", "", true),
            expr("one_or_many<integer>")
        );
        assert_eq!(of("array | string", "", true), expr("one_or_many<string>"));
        assert_eq!(
            of("integer | array", "", true),
            expr("one_or_many<integer>")
        );
        assert_eq!(
            of("string | number | string[] | number[]", "", false),
            expr("one_or_many<string>")
        );
        // A list of unnamed items in an answer may hold anything (`[{}, "getTitle"]`).
        assert_eq!(of("string | array", "", false), None);
        assert_eq!(of("string[] | integer[]", "", true), None);
        // `order`: `string | array` where the array is associative.
        assert_eq!(
            union_type(&["string", "array"], "order", "", true, false),
            None
        );
    }

    #[test]
    fn loose_booleans_objects_and_texts() {
        assert_eq!(of("boolean | integer", "", false), expr("boolean"));
        assert_eq!(of("boolean | integer | string", "", true), expr("boolean"));
        assert_eq!(of("boolean | integer | string", "", false), None);
        assert_eq!(of("object | boolean", "", false), Some(Union::Object));
        assert_eq!(of("object | array", "", false), Some(Union::Object));
        assert_eq!(of("datetime | string", "", false), expr("string"));
        assert_eq!(of("string | boolean", "", false), None);
        assert_eq!(of("integer | boolean", "", false), expr("boolean"));
        assert_eq!(of("integer | object", "", false), None);
        assert_eq!(of("file | integer | string", "", true), None);
        assert_eq!(
            of("string | sale_order_property_value_file_value", "", false),
            None
        );
    }
}
