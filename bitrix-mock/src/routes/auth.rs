//! Who is calling: a webhook's user and code in the address, or an OAuth access token in
//! `auth`, checked as a portal checks them (REST 2 and REST 3.0 alike).

use serde_json::Value;

use crate::envelope::ApiError;
use crate::state::{AuthKind, Caller, Shared};

/// Who is calling, or the 401 a portal answers.
pub(super) fn authenticate(
    shared: &Shared,
    webhook: Option<(&str, &str)>,
    auth: Option<Value>,
    now: f64,
) -> Result<Caller, ApiError> {
    let no_auth = || {
        ApiError::system(
            bitrix_facts::SystemError::NoAuthFound,
            "Wrong authorization data",
        )
    };
    let data = shared.data();
    let creds = &data.tokens.creds;
    if let Some((user, code)) = webhook {
        // A webhook address with an unknown user or code: the portal's answer (system errors
        // table: `INVALID_CREDENTIALS`, "Invalid request credentials"; 401 as portals send it).
        if user.parse::<u64>().ok() != Some(creds.webhook_user_id) || code != creds.webhook_code {
            return Err(ApiError::new(
                401,
                "INVALID_CREDENTIALS",
                "Invalid request credentials",
            ));
        }
        return Ok(Caller {
            kind: AuthKind::Webhook,
            app: format!("webhook:{user}"),
            client_id: None,
        });
    }
    let token = match auth {
        Some(Value::String(s)) if !s.is_empty() => s,
        _ => return Err(no_auth()),
    };
    match data.tokens.access_expiry.get(&token) {
        None => Err(ApiError::system(
            bitrix_facts::SystemError::InvalidToken,
            "Unable to get application by token",
        )),
        Some(expiry) if now >= *expiry => Err(ApiError::system(
            bitrix_facts::SystemError::ExpiredToken,
            "The access token provided has expired.",
        )),
        Some(_) => Ok(Caller {
            kind: AuthKind::OAuth,
            app: creds.client_id.clone(),
            client_id: Some(creds.client_id.clone()),
        }),
    }
}
