//! `cargo xtask docs-check`: the generated API documents itself. rustdoc builds with no warning
//! for all features, the page of the seed method shows its summary, parameters, errors and
//! deprecation, and `Client`'s page stays short (the API is in modules, not methods of `Client`).

use crate::util::{cargo, run, target_dir};
use std::path::Path;

/// The seed method's page, under the doc folder.
const PAGE: &str = "bitrix_rest/api/imbot/command/struct.Update.html";

/// What the seed method's page must show.
const NEEDLES: &[&str] = &[
    "Changes the text, handler, visibility or translations of a registered bot command.",
    "COMMAND_ID",
    "FIELDS",
    "CLIENT_ID",
    "COMMAND_ID_ERROR",
    "APP_ID_ERROR",
    "EVENT_COMMAND_ADD_ERROR",
    "Update fields can",
    "Command can",
    "Deprecated",
    "imbot.v2.Command.update",
    "Scope: <code>imbot</code>",
];

/// More methods than this on `Client`'s page means the API leaked into `Client`.
const CLIENT_METHOD_LIMIT: usize = 150;

/// The needles `page` lacks.
pub fn missing<'a>(page: &str, needles: &[&'a str]) -> Vec<&'a str> {
    needles
        .iter()
        .copied()
        .filter(|n| !page.contains(n))
        .collect()
}

/// How many distinct methods a rustdoc page documents (its `id="method.NAME"` anchors).
pub fn method_count(page: &str) -> usize {
    let mut names: Vec<&str> = page
        .match_indices("id=\"method.")
        .filter_map(|(at, m)| {
            let rest = &page[at + m.len()..];
            let end =
                rest.find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))?;
            rest[end..].starts_with('"').then(|| &rest[..end])
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names.len()
}

/// The command.
pub fn run_check(root: &Path) -> Result<(), String> {
    run(cargo()
        .current_dir(root)
        .env("RUSTDOCFLAGS", "-D warnings")
        .args(["doc", "-q", "--no-deps", "--all-features"])
        .args(["-p", "bitrix-rest", "-p", "bitrix-runtime"])
        .args(["-p", "bitrix-codegen", "-p", "bitrix-macros"]))?;
    let doc = target_dir(root).join("doc");
    let page_path = doc.join(PAGE);
    let page = std::fs::read_to_string(&page_path)
        .map_err(|e| format!("docs: {}: {e}", page_path.display()))?;
    if let Some(needle) = missing(&page, NEEDLES).first() {
        return Err(format!(
            "docs: '{needle}' missing from {}",
            page_path.display()
        ));
    }
    let client_path = doc.join("bitrix_rest/struct.Client.html");
    let client = std::fs::read_to_string(&client_path)
        .map_err(|e| format!("docs: {}: {e}", client_path.display()))?;
    let methods = method_count(&client);
    if methods >= CLIENT_METHOD_LIMIT {
        return Err(format!(
            "docs: Client's page lists {methods} methods (limit {CLIENT_METHOD_LIMIT})"
        ));
    }
    println!(
        "docs: ok ({}; Client has {methods} methods)",
        page_path.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_anchors_are_counted_once_each() {
        let page = r##"<section id="method.call"></section><a href="#method.call"></a>
            <section id="method.call"></section><section id="method.batch_v3"></section>
            <section id="method.Weird"></section><section id="tymethod.x"></section>"##;
        assert_eq!(method_count(page), 2);
        assert_eq!(method_count(""), 0);
    }

    #[test]
    fn missing_lists_absent_needles() {
        assert_eq!(
            missing("a COMMAND_ID b", &["COMMAND_ID", "FIELDS"]),
            vec!["FIELDS"]
        );
        assert!(missing("COMMAND_ID FIELDS", &["COMMAND_ID", "FIELDS"]).is_empty());
    }
}
