//! `b24 call METHOD [KEY=VALUE ...]`: one call, checked against the spec, `result` printed.

use crate::auth::connect;
use crate::cli::Global;
use crate::failure::Outcome;
use crate::output::{call_failure, print_json};
use crate::params::{build_body, check_body};

/// Runs `b24 call`.
pub async fn run(
    global: &Global,
    method: &str,
    args: &[String],
    json: Option<&str>,
    raw: bool,
) -> Outcome {
    let spec = super::lookup(method, raw)?;
    let body = build_body(spec, json, args)?;
    if let Some(d) = spec.and_then(|s| s.deprecated.as_ref()) {
        let instead = d
            .replacement
            .as_deref()
            .map(|r| format!("; use {r}"))
            .unwrap_or_default();
        eprintln!("b24: warning: {method} is deprecated{instead}");
    }
    // `tasks.task.get@v3` names the REST 3.0 spec of a method that has both; the wire name has
    // no suffix.
    let name = spec.map_or(method, |s| s.name.as_str());
    let v3 = spec.is_some_and(|s| s.rest == 3);
    if let Some(spec) = spec {
        // Checked before connecting, so that a wrong call is refused even without a portal.
        check_body(spec, &body, global.oauth.is_none())?;
    }
    let portal = connect(global)?;
    super::trace(global, name, &body);
    let answer = if v3 {
        portal.client.call_raw_v3(name, body, None).await
    } else {
        portal.client.call_raw(name, body).await
    };
    match answer {
        Ok(answer) => {
            if global.verbose {
                if let Some(time) = &answer.time {
                    eprintln!(
                        "b24: <- {method} in {:.3} s{}",
                        time.duration,
                        answer
                            .total
                            .map(|t| format!(", total {t}"))
                            .unwrap_or_default()
                    );
                }
            }
            print_json(&answer.result)?;
            Ok(0)
        }
        Err(e) => Err(call_failure(spec, method, &e)),
    }
}
