//! Turning wire names into Rust names.

/// Words Rust reserves; fields with these names become raw identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];
/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "super", "crate", "Self", "_"];

/// Splits a name into words at `_`, `.`, `-`, spaces, and case changes (`entityTypeId`, `XMLHttp`).
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if c.is_ascii_uppercase() => {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            }
            _ => false,
        };
        if boundary && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `COMMAND_ID` -> `command_id`, `entityTypeId` -> `entity_type_id`, `type` -> `r#type`.
pub fn field_ident(wire: &str) -> String {
    let mut s = words(wire)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if s.is_empty() {
        s = "field".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(0, "n_");
    }
    escape_keyword(s)
}

/// Makes a keyword usable as an identifier.
pub fn escape_keyword(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// `imbot.v2.Command.update` -> `ImbotV2CommandUpdate` (each segment's inner case is kept).
pub fn method_type_name(method: &str) -> String {
    method
        .split(['.', '_'])
        .filter(|s| !s.is_empty())
        .map(|seg| {
            let mut c = seg.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `COMMAND_ID_ERROR` -> `CommandIdError`, `insufficient_scope` -> `InsufficientScope`, `1c` -> `V1c`.
pub fn variant_name(code: &str) -> String {
    let all_caps = !code.chars().any(|c| c.is_ascii_lowercase());
    let mut s: String = words(code)
        .iter()
        .map(|w| {
            let w = if all_caps {
                w.to_ascii_lowercase()
            } else {
                w.clone()
            };
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    if s.is_empty() {
        s = "Empty".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if s == "Self" {
        s.push('_');
    }
    s
}

/// `imbot.command.update` -> `imbot_command_update` (client method names).
pub fn method_fn_name(method: &str) -> String {
    field_ident(&method.replace('.', "_"))
}

/// A module name for a scope: `imbot`, `crm`, `user_brief`.
pub fn module_name(scope: &str) -> String {
    field_ident(scope)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names() {
        assert_eq!(field_ident("COMMAND_ID"), "command_id");
        assert_eq!(field_ident("entityTypeId"), "entity_type_id");
        assert_eq!(field_ident("XMLHttp"), "xml_http");
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("ufCrm5_123"), "uf_crm5_123");
        assert_eq!(field_ident("1C"), "n_1_c");
    }

    #[test]
    fn type_and_variant_names() {
        assert_eq!(
            method_type_name("imbot.command.update"),
            "ImbotCommandUpdate"
        );
        assert_eq!(
            method_type_name("imbot.v2.Command.update"),
            "ImbotV2CommandUpdate"
        );
        assert_eq!(variant_name("COMMAND_ID_ERROR"), "CommandIdError");
        assert_eq!(variant_name("insufficient_scope"), "InsufficientScope");
        assert_eq!(variant_name("Y"), "Y");
        assert_eq!(variant_name("crm.deal"), "CrmDeal");
        assert_eq!(
            method_fn_name("imbot.v2.Command.update"),
            "imbot_v2_command_update"
        );
    }
}
