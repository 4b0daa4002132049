//! The application's page and its placements: the portal POSTs the user's `AUTH_ID`,
//! `REFRESH_ID`, `member_id`, `PLACEMENT`, `PLACEMENT_OPTIONS` (and `DOMAIN`, `LANG` in the query
//! string) each time it opens them. The token is checked against the stored portal address, so a
//! POST naming a portal with a token of another (or none) is refused.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use bitrix_runtime::{Client, OAuthConfig, Secret};

use super::{parameters, required, text};
use crate::app::{App, Page};
use crate::error::AppError;
use crate::verify::short;

pub(crate) async fn page(
    State(app): State<App>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match run(&app, query.as_deref(), &headers, &body).await {
        Ok(html) => Html(html).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn run(
    app: &App,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<String, AppError> {
    let params = parameters(query, headers, body)?;
    let access = Secret::new(required(&params, &["AUTH_ID"])?);
    let member_id = required(&params, &["member_id"])?;
    let account = app
        .db()
        .account(member_id)
        .await?
        .ok_or_else(|| AppError::NotInstalled(short(member_id)))?;
    if let Some(domain) = text(&params, &["DOMAIN"]) {
        if !domain.eq_ignore_ascii_case(&account.domain) {
            return Err(AppError::Forged(format!(
                "DOMAIN `{}` is not the portal's domain",
                short(domain)
            )));
        }
    }
    let portal = app.context(&account)?;
    if !app
        .verifier()
        .token_works(&account.client_endpoint, &access)
        .await
    {
        return Err(AppError::Forged(
            "AUTH_ID is not a live token of this portal".into(),
        ));
    }
    let options = text(&params, &["PLACEMENT_OPTIONS"])
        .and_then(|o| serde_json::from_str(o).ok())
        .or_else(|| params.get("PLACEMENT_OPTIONS").cloned())
        .unwrap_or(serde_json::Value::Null);
    let config = app.config();
    let refresh = Secret::new(text(&params, &["REFRESH_ID"]).unwrap_or_default());
    let user_client = Client::oauth(
        OAuthConfig::new(
            account.portal_url(),
            config.client_id.clone(),
            config.client_secret.clone(),
            access,
            refresh,
        )
        .oauth_server(config.oauth_server.clone()),
    )
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let page = Page {
        placement: text(&params, &["PLACEMENT"])
            .unwrap_or("DEFAULT")
            .to_string(),
        options,
        lang: text(&params, &["LANG"]).unwrap_or("en").to_string(),
        user_client,
    };
    app.handler()
        .page(portal, page)
        .await
        .map_err(|e| AppError::Handler(e.to_string()))
}
