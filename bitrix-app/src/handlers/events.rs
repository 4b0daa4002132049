//! The events endpoint. Each delivery names its portal (`auth[member_id]`) and is verified
//! against that portal's application token before anything else: a delivery signed with another
//! portal's token, or for a portal that is not active, is refused and reaches no handler.
//! `ONAPPINSTALL` brings the application token (verified by the access token it carries);
//! `ONAPPUNINSTALL` removes the portal (see `uninstall.rs`).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use bitrix_runtime::events::{constant_time_eq, Receiver};
use bitrix_runtime::Secret;
use serde_json::{json, Value};

use super::{content_type, parameters, required, text};
use crate::app::App;
use crate::db::Status;
use crate::error::AppError;
use crate::verify::short;

pub(crate) async fn events(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    let run = async {
        let params = parameters(None, &headers, &body)?;
        dispatch(&app, &headers, &body, &params).await
    };
    match run.await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

/// Routes a parsed delivery by its event name.
pub(crate) async fn dispatch(
    app: &App,
    headers: &HeaderMap,
    body: &[u8],
    params: &Value,
) -> Result<Response, AppError> {
    let event = required(params, &["event"])?.to_ascii_uppercase();
    match event.as_str() {
        "ONAPPINSTALL" => install_event(app, params).await,
        "ONAPPUNINSTALL" => super::uninstall::uninstall_event(app, params).await,
        _ => other_event(app, headers, body, params).await,
    }
}

fn ok() -> Response {
    axum::Json(json!({"result": true})).into_response()
}

/// `ONAPPINSTALL`: after a verified install POST, the event must carry the stored access token
/// (or one the stored portal address accepts); without an install POST (the installation
/// callback), its refresh token is verified at the OAuth server like an install POST's.
async fn install_event(app: &App, params: &Value) -> Result<Response, AppError> {
    let member_id = required(params, &["auth", "member_id"])?;
    let app_token = Secret::new(required(params, &["auth", "application_token"])?);
    let access = text(params, &["auth", "access_token"]).map(Secret::new);
    let version = text(params, &["data", "VERSION"])
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    let account = app.db().account(member_id).await?;
    let proven = match (&account, &access) {
        (Some(a), Some(access)) if a.status != Status::Deleted => {
            constant_time_eq(
                a.access_token.expose().as_bytes(),
                access.expose().as_bytes(),
            ) || app.verifier().token_works(&a.client_endpoint, access).await
        }
        _ => false,
    };
    if !proven {
        // The installation callback: no install POST came first. Its refresh token is the proof.
        let Some(refresh) = text(params, &["auth", "refresh_token"]).map(Secret::new) else {
            return Err(AppError::Forged(
                "ONAPPINSTALL carries no token this portal accepts".into(),
            ));
        };
        let domain = text(params, &["auth", "domain"]);
        let installed = super::proof::verified(app, &refresh, member_id, domain).await?;
        app.db().record_install(&installed).await?;
        app.forget(member_id);
    }
    if !app.db().activate(member_id, &app_token, version).await? {
        return Err(AppError::NotInstalled(short(member_id)));
    }
    let account = app
        .db()
        .account(member_id)
        .await?
        .ok_or_else(|| AppError::NotInstalled(short(member_id)))?;
    tracing::info!(target: "bitrix_app", member_id = %member_id, "installed");
    if account.status == Status::Active {
        let portal = app.context(&account)?;
        app.handler()
            .installed(portal)
            .await
            .map_err(|e| AppError::Handler(e.to_string()))?;
    }
    Ok(ok())
}

/// Any other event: the portal's application token must match, then the handler runs.
async fn other_event(
    app: &App,
    headers: &HeaderMap,
    body: &[u8],
    params: &Value,
) -> Result<Response, AppError> {
    let member_id = required(params, &["auth", "member_id"])?;
    let account = app
        .db()
        .account(member_id)
        .await?
        .ok_or_else(|| AppError::NotInstalled(short(member_id)))?;
    if account.status != Status::Active {
        return Err(AppError::NotActive(account.status));
    }
    let Some(token) = &account.application_token else {
        return Err(AppError::NotActive(Status::New));
    };
    let incoming = Receiver::new(token.clone())
        .receive(content_type(headers), body)
        .map_err(|e| match e.status() {
            401 => AppError::Forged(format!("{e} for portal {}", short(member_id))),
            _ => AppError::Malformed(e.to_string()),
        })?;
    let portal = app.context(&account)?;
    app.handler()
        .event(portal, incoming)
        .await
        .map_err(|e| AppError::Handler(e.to_string()))?;
    Ok(ok())
}
