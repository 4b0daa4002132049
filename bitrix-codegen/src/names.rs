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

/// Where a method's items live in the generated API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodPath {
    /// The module of the request type: the folder's module, then the method's middle segments
    /// (`["imbot", "command"]` for `imbot.command.update` in `specs/imbot`).
    pub module: Vec<String>,
    /// The request type (`Update`).
    pub type_name: String,
    /// The module of the method's own types and error enum, inside `module` (`update`).
    pub own: String,
}

/// The path of `method` from a spec in folder `folder`: the method's first segment is dropped
/// when it repeats the folder (`imbot.command.update` in `imbot` -> `imbot::command::Update`),
/// so that names do not stutter.
pub fn method_path(folder: &str, method: &str) -> MethodPath {
    let mut segments: Vec<&str> = method.split('.').filter(|s| !s.is_empty()).collect();
    if segments.len() > 1 && segments[0].eq_ignore_ascii_case(folder) {
        segments.remove(0);
    }
    let last = segments.pop().unwrap_or("method");
    let mut module = vec![module_name(folder)];
    module.extend(segments.iter().map(|s| module_name(s)));
    MethodPath {
        module,
        type_name: type_name(last),
        own: module_name(last),
    }
}

/// `getContext` -> `GetContext`, `get_brief` -> `GetBrief`, `update` -> `Update`.
pub fn type_name(segment: &str) -> String {
    let mut s: String = segment
        .split(['_', '-'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'M');
    }
    if s == "Self" {
        s.push('_');
    }
    s
}

/// The variant of an error code, without the `Error` that every variant of an error enum would
/// repeat: `COMMAND_ID_ERROR` -> `CommandId`, `ERROR_METHOD_NOT_FOUND` -> `MethodNotFound`.
pub fn error_variant_name(code: &str) -> String {
    let full = variant_name(code);
    let trimmed = full.strip_prefix("Error").unwrap_or(&full);
    let trimmed = trimmed.strip_suffix("Error").unwrap_or(trimmed);
    if trimmed.is_empty()
        || trimmed.starts_with(|c: char| c.is_ascii_digit())
        || trimmed.starts_with(|c: char| c.is_ascii_lowercase())
    {
        full
    } else {
        trimmed.to_string()
    }
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
        assert_eq!(variant_name("COMMAND_ID_ERROR"), "CommandIdError");
        assert_eq!(variant_name("insufficient_scope"), "InsufficientScope");
        assert_eq!(variant_name("Y"), "Y");
        assert_eq!(variant_name("crm.deal"), "CrmDeal");
        assert_eq!(error_variant_name("COMMAND_ID_ERROR"), "CommandId");
        assert_eq!(
            error_variant_name("ERROR_METHOD_NOT_FOUND"),
            "MethodNotFound"
        );
        assert_eq!(error_variant_name("ERROR"), "Error");
        assert_eq!(error_variant_name("ERRORS"), "Errors");
    }

    #[test]
    fn method_paths_do_not_stutter() {
        let p = method_path("imbot", "imbot.command.update");
        assert_eq!(
            (p.module.join("::"), p.type_name.as_str(), p.own.as_str()),
            ("imbot::command".into(), "Update", "update")
        );
        let p = method_path("imbot", "imbot.v2.Chat.Message.getContext");
        assert_eq!(
            (p.module.join("::"), p.type_name.as_str(), p.own.as_str()),
            (
                "imbot::v2::chat::message".into(),
                "GetContext",
                "get_context"
            )
        );
        let p = method_path("core", "profile");
        assert_eq!(
            (p.module.join("::"), p.type_name.as_str()),
            ("core".into(), "Profile")
        );
        let p = method_path("tasks", "tasks.task.add");
        assert_eq!(p.module.join("::"), "tasks::task");
        let p = method_path("crm", "crm.type");
        assert_eq!(
            (p.module.join("::"), p.type_name.as_str(), p.own.as_str()),
            ("crm".into(), "Type", "r#type")
        );
    }
}
