//! The reference's type words (`integer`, `crm_status`, `object[]`) as spec type expressions.

/// What a documented type word becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Mapped {
    /// A spec type expression that needs nothing more (`integer`, `[string]`, `{string}`).
    Expr(String),
    /// An object: a struct if a table describes it, else `any`.
    Object,
    /// A list of objects: `[Struct]` if a table describes them, else `[any]`.
    ObjectList,
    /// A word the importer does not know; becomes `any` with a todo.
    Unknown(String),
}

/// Maps one type word. `yn` tells whether the description shows only `Y`/`N` as values.
pub fn map_word(word: &str, yn: bool) -> Mapped {
    let w = word.trim().trim_matches('`');
    if let Some(inner) = w.strip_suffix("[]") {
        return match map_word(inner, yn) {
            Mapped::Expr(e) => Mapped::Expr(format!("[{e}]")),
            Mapped::Object | Mapped::ObjectList => Mapped::ObjectList,
            Mapped::Unknown(u) => Mapped::Unknown(format!("{u}[]")),
        };
    }
    let lower = w.to_ascii_lowercase();
    let scalar = match lower.as_str() {
        "boolean" | "bool" | "char" | "y/n" | "string" if yn => "flag",
        "integer"
        | "int"
        | "long"
        | "bigint"
        | "user"
        | "location"
        | "crm_lead"
        | "crm_deal"
        | "crm_contact"
        | "crm_company"
        | "crm_quote"
        | "crm_category"
        | "crm_entity"
        | "crm_item_product_row"
        | "crm_invoice"
        | "crm_smart_invoice" => "integer",
        "double" | "float" | "number" | "decimal" | "numeric" => "double",
        "string" | "text" | "crm_status" | "crm_currency" | "userfieldentityid" | "enum"
        | "url" | "uri" | "email" | "phone" | "html" | "guid" | "uuid" => "string",
        "boolean" | "bool" => "boolean",
        "char" | "y/n" => "string",
        "date" => "date",
        "datetime" | "timestamp" | "time_string" => "datetime",
        "file" | "base64" => "file",
        "lang_map" | "textwithtranslation" => "{string}",
        "array" => return Mapped::ObjectList,
        "object" | "json" | "map" | "struct" | "hash" | "assoc" => return Mapped::Object,
        "any" | "mixed" | "null" | "callable" | "time" | "diskfile" | "attached_diskfile"
        | "product_file" | "crm_userfield" => "any",
        _ if lower.ends_with(".id") || lower.ends_with("_id") || lower.starts_with("crm_enum_") => {
            "integer"
        }
        _ if lower.ends_with(".code") || lower.ends_with(".currency") => "string",
        _ => return Mapped::Unknown(w.to_string()),
    };
    Mapped::Expr(scalar.to_string())
}

/// True when the description's value codes are exactly `Y` and `N`.
pub fn only_y_n(description: &str) -> bool {
    let spans = crate::markdown::code_spans(description);
    let values: Vec<&str> = spans
        .iter()
        .map(|s| s.trim().trim_matches(['\'', '"']))
        .filter(|s| {
            !s.is_empty() && s.len() <= 12 && s.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        })
        .collect();
    values.contains(&"Y") && values.contains(&"N") && values.iter().all(|v| *v == "Y" || *v == "N")
}

/// `FIELDS.LANG` -> `FieldsLang`, `productRows` -> `ProductRows`: a PascalCase type name.
pub fn type_name(path: &str) -> String {
    let mut out = String::new();
    for word in path.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let all_caps = !word.chars().any(|c| c.is_ascii_lowercase());
        let mut chars = word.chars();
        if let Some(f) = chars.next() {
            out.push(f.to_ascii_uppercase());
            let rest: String = chars.collect();
            if all_caps {
                out.push_str(&rest.to_ascii_lowercase());
            } else {
                out.push_str(&rest);
            }
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'T');
    }
    // Names of the Rust prelude (and the method's own `Error`) would shadow or clash.
    const TAKEN: &[&str] = &[
        "Result", "Option", "Vec", "String", "Box", "Some", "None", "Ok", "Err", "Error", "Self",
        "Default", "Clone", "Copy", "Send", "Sync", "Sized", "Drop", "Fn", "Iterator", "ToString",
    ];
    if out.ends_with("Ref") || TAKEN.contains(&out.as_str()) {
        out.push_str("Type");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(map_word("integer", false), Mapped::Expr("integer".into()));
        assert_eq!(map_word("char", true), Mapped::Expr("flag".into()));
        assert_eq!(
            map_word("crm_contact[]", false),
            Mapped::Expr("[integer]".into())
        );
        assert_eq!(map_word("object[]", false), Mapped::ObjectList);
        assert_eq!(map_word("array", false), Mapped::ObjectList);
        assert_eq!(
            map_word("catalog_vat.id", false),
            Mapped::Expr("integer".into())
        );
        assert!(matches!(map_word("weird", false), Mapped::Unknown(_)));
    }

    #[test]
    fn names() {
        assert_eq!(type_name("FIELDS.LANG"), "FieldsLang");
        assert_eq!(type_name("productRows"), "ProductRows");
        assert_eq!(type_name("itemRef"), "ItemRefType");
    }

    #[test]
    fn y_n() {
        assert!(only_y_n("- `Y` - yes\n- `N` - no"));
        assert!(!only_y_n("- `Y` - yes\n- `N` - no\n- `D` - maybe"));
    }
}
