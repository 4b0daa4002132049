//! `ONAPPUNINSTALL`: the portal's application token must match, and the event must be younger
//! than the installation it removes (a recorded uninstall replayed after a reinstall is refused:
//! the reinstall brought a new installation time, and usually a new token). `data[CLEAN]=1`
//! removes the account and the application's data of the portal; `0` keeps the data for a
//! reinstall and drops the tokens.

use axum::response::{IntoResponse, Response};
use bitrix_runtime::events::constant_time_eq;
use serde_json::{json, Value};

use super::{required, text};
use crate::app::App;
use crate::db::Status;
use crate::error::AppError;
use crate::verify::short;

pub(crate) async fn uninstall_event(app: &App, params: &Value) -> Result<Response, AppError> {
    let member_id = required(params, &["auth", "member_id"])?;
    let token = required(params, &["auth", "application_token"])?;
    let clean = text(params, &["data", "CLEAN"]).is_some_and(|c| c == "1" || c == "Y");
    let ts = text(params, &["ts"]).and_then(|t| t.parse::<i64>().ok());
    let account = app
        .db()
        .account(member_id)
        .await?
        .filter(|a| a.status != Status::Deleted)
        .ok_or_else(|| AppError::NotInstalled(short(member_id)))?;
    let Some(stored) = &account.application_token else {
        return Err(AppError::Forged(
            "the portal has no application token yet; an uninstall cannot be verified".into(),
        ));
    };
    if !constant_time_eq(stored.expose().as_bytes(), token.as_bytes()) {
        return Err(AppError::Forged(format!(
            "the uninstall's application token is not portal {}'s",
            short(member_id)
        )));
    }
    // `ts` has second precision; the installation time has milliseconds.
    if let Some(ts) = ts {
        if ts.saturating_mul(1000) + 999 < account.installed_at {
            return Err(AppError::Replayed(
                "the uninstall is older than the current installation".into(),
            ));
        }
    }
    if !app
        .db()
        .uninstall(member_id, account.installed_at, clean)
        .await?
    {
        return Err(AppError::Replayed(
            "the installation is already removed".into(),
        ));
    }
    app.forget(member_id);
    tracing::info!(target: "bitrix_app", member_id = %member_id, clean, "uninstalled");
    app.handler()
        .uninstalled(member_id.to_string(), clean)
        .await;
    Ok(axum::Json(json!({"result": true})).into_response())
}
