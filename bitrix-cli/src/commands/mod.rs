//! One module per `b24` command.

pub mod batch;
pub mod call;
pub mod completions;
pub mod describe;
pub mod export;
pub mod methods;
pub mod mock;

use bitrix_codegen::Method;
use serde_json::Value;

use crate::cli::Global;
use crate::failure::Failure;
use crate::redact::redact;
use crate::specs::catalog;

/// The spec of `name`; a name without one is refused with the closest known name, unless `raw`
/// (then `None`: the call goes out unchecked).
pub fn lookup(name: &str, raw: bool) -> Result<Option<&'static Method>, Failure> {
    if raw {
        return Ok(None);
    }
    match crate::specs::method(name) {
        Some(m) => Ok(Some(m)),
        None => {
            let hint = catalog()
                .suggest(name)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            Err(Failure::usage(format!(
                "no spec describes `{name}`{hint}\n  (`b24 methods` lists them; --raw calls a method without a spec)"
            )))
        }
    }
}

/// `--verbose`: the method and parameters about to be sent, on standard error. Credentials are
/// not part of the parameters (the client adds them), and remembered secrets are masked anyway.
pub fn trace(global: &Global, method: &str, params: &Value) {
    if global.verbose {
        eprintln!("b24: -> {method} {}", redact(&params.to_string()));
    }
}
