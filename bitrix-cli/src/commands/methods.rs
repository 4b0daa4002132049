//! `b24 methods [SCOPE]`: the methods the embedded specs describe.

use std::io::Write;

use bitrix_codegen::diag::did_you_mean;

use crate::failure::{Failure, Outcome};
use crate::specs::catalog;

/// Runs `b24 methods`: one method a line, with its summary; deprecated ones marked.
pub fn run(scope: Option<&str>) -> Outcome {
    let catalog = catalog();
    if let Some(scope) = scope {
        let folders = catalog.folders();
        if !folders.contains(&scope) {
            let hint = did_you_mean(scope, folders.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(Failure::usage(format!(
                "no scope `{scope}`{hint}\n  scopes: {}",
                folders.join(", ")
            )));
        }
    }
    let chosen: Vec<_> = catalog
        .methods
        .values()
        .filter(|m| scope.is_none_or(|s| m.folder == s))
        .collect();
    let width = chosen.iter().map(|m| m.name.len()).max().unwrap_or(0);
    let mut out = std::io::stdout().lock();
    for m in chosen {
        let mut about = m.summary.clone().unwrap_or_default();
        if m.deprecated.is_some() {
            about = format!("(deprecated) {about}");
        }
        let line = format!("{:width$}  {}", m.name, about);
        if writeln!(out, "{}", line.trim_end()).is_err() {
            // A closed pipe (`b24 methods | head`) ends the listing.
            break;
        }
    }
    Ok(0)
}
