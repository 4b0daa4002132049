//! The `auth` block of a delivered event: the portal's address and `member_id`, the application's
//! `application_token` (how a handler knows the POST came from the portal) and a token of the
//! user the handler runs as.

use serde_json::{json, Value};

use crate::state::{Data, Shared};

/// The block for application `app` (its `client_id`), user `user` and the event's `scope`.
/// A portal has one application (a [`crate::Cloud`] portal: the cloud's), so every `client_id`
/// is answered with its credentials.
pub(crate) fn block(
    shared: &Shared,
    data: &Data,
    _app: &str,
    user: u64,
    scope: &str,
    now: f64,
) -> Value {
    let creds = &data.tokens.creds;
    let portal = shared.portal_url();
    json!({
        "access_token": creds.access_token,
        "expires": ((now as i64) + 3600).to_string(),
        "expires_in": "3600",
        "scope": scope,
        "domain": shared.addr.to_string(),
        "server_endpoint": data
            .tokens
            .server_endpoint
            .clone()
            .unwrap_or_else(|| format!("{portal}rest/")),
        "status": "L",
        "client_endpoint": format!("{portal}rest/"),
        "member_id": data.tokens.member_id,
        "user_id": user.to_string(),
        "application_token": creds.application_token,
    })
}
