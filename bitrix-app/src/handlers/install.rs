//! The install URL. The install wizard (local and Marketplace applications) POSTs `AUTH_ID`,
//! `REFRESH_ID`, `AUTH_EXPIRES`, `member_id` and `DOMAIN` (the latter also in the query string);
//! an application without interface gets the installation callback instead, an `ONAPPINSTALL`
//! event POSTed to this same URL, handled as the events endpoint handles it.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use bitrix_runtime::Secret;
use serde_json::json;

use super::proof::verified;
use super::{parameters, required, text};
use crate::app::{html_escape, App};
use crate::error::AppError;

pub(crate) async fn install(
    State(app): State<App>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match run(&app, query.as_deref(), &headers, &body).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn run(
    app: &App,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, AppError> {
    let params = parameters(query, headers, body)?;
    if text(&params, &["event"]).is_some() {
        return super::events::dispatch(app, headers, body, &params).await;
    }
    let refresh = Secret::new(required(&params, &["REFRESH_ID"])?);
    let member_id = required(&params, &["member_id"])?;
    let domain = required(&params, &["DOMAIN"])?;
    // The only party asked is the OAuth server the app is configured with, never DOMAIN.
    let installed = verified(app, &refresh, member_id, Some(domain)).await?;
    app.db().record_install(&installed).await?;
    app.forget(&installed.member_id);
    bind_events(app, &installed.member_id).await?;
    tracing::info!(target: "bitrix_app", member_id = %installed.member_id, domain = %installed.domain, "install verified");
    Ok(Html(format!(
        "<!doctype html><meta charset=utf-8><title>Installed</title>\
         <script src=\"//api.bitrix24.com/api/v1/\"></script>\
         <script>if (window.BX24) BX24.init(function () {{ BX24.installFinish(); }});</script>\
         <p>Installed on {}.</p>",
        html_escape(&installed.domain)
    ))
    .into_response())
}

/// Binds `ONAPPINSTALL`, `ONAPPUNINSTALL` and the configured events to the events endpoint.
async fn bind_events(app: &App, member_id: &str) -> Result<(), AppError> {
    let client = app.portal(member_id).await?;
    let handler = app.config().events_url();
    let mut events = vec!["ONAPPINSTALL".to_string(), "ONAPPUNINSTALL".to_string()];
    events.extend(app.config().events.iter().cloned());
    for event in events {
        let bound = client
            .call_raw("event.bind", json!({"event": event, "handler": handler}))
            .await;
        if let Err(e) = bound {
            let text = e.to_string();
            // Installing again (an update) finds the handlers in place.
            if !text.contains("ALREADY") && !text.contains("already") {
                return Err(AppError::Portal(format!("event.bind {event}: {text}")));
            }
        }
    }
    Ok(())
}
