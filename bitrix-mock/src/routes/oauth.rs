//! The OAuth server's `/oauth/token/`: renewing a token pair with `grant_type=refresh_token`.

use serde_json::{json, Value};

use super::{parameters, Reply, Request};
use crate::envelope::ApiError;
use crate::state::Shared;

/// Answers a token request (GET query or POST form).
pub fn token(shared: &Shared, req: &Request) -> Reply {
    let params = match parameters(req) {
        Ok(p) => p,
        Err(e) => return e.into(),
    };
    let get = |k: &str| {
        params
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let now = shared.clock.now();
    let ttl = shared.config.token_ttl.as_secs_f64();
    let mut data = shared.data();
    let tokens = &mut data.tokens;
    // The client is authenticated first, as OAuth servers do: a wrong client is `invalid_client`
    // whatever else the request holds.
    if get("client_id") != tokens.creds.client_id
        || get("client_secret") != tokens.creds.client_secret
    {
        return ApiError::new(401, "invalid_client", "Invalid client credentials").into();
    }
    let grant = get("grant_type");
    if grant.is_empty() {
        return ApiError::new(400, "invalid_request", "grant_type is required").into();
    }
    if grant != "refresh_token" {
        return ApiError::new(
            400,
            "invalid_grant",
            "Only grant_type=refresh_token is emulated",
        )
        .into();
    }
    if get("refresh_token") != tokens.creds.refresh_token {
        return ApiError::new(400, "invalid_grant", "Invalid refresh token").into();
    }
    tokens.issue(now, ttl);
    tokens.refresh_count += 1;
    let creds = tokens.creds.clone();
    let member_id = tokens.member_id.clone();
    let portal = shared.portal_url();
    let scope: Vec<&str> = shared.scopes.iter().map(String::as_str).collect();
    Reply::Json(
        200,
        json!({
            "access_token": creds.access_token,
            "refresh_token": creds.refresh_token,
            "expires": (now + ttl).floor() as i64,
            "expires_in": ttl.round() as i64,
            "client_endpoint": format!("{portal}rest/"),
            "server_endpoint": format!("{portal}rest/"),
            "domain": "oauth.bitrix.info",
            "member_id": member_id,
            "scope": scope.join(","),
            "status": "L",
            "user_id": creds.webhook_user_id,
        }),
    )
}
