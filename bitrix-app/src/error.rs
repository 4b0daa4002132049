//! What can go wrong in an application's handlers and calls, and the HTTP answer for each.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::db::{DbError, Status};

/// An error of the application layer. Messages hold no token and at most a short excerpt of
/// untrusted input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// The request is not what the portal sends (a missing field, an unreadable body). HTTP 400.
    #[error("malformed request: {0}")]
    Malformed(String),
    /// The request claims what it cannot prove: tokens the OAuth server refuses or that belong to
    /// another portal, a domain that is not the portal's, an application token that does not
    /// match. HTTP 403.
    #[error("refused: {0}")]
    Forged(String),
    /// No installation is known for this `member_id`. HTTP 404.
    #[error("the application is not installed on portal {0}")]
    NotInstalled(String),
    /// The account exists but is not in a state that allows this. HTTP 409.
    #[error("the portal's account is {}", .0.as_str())]
    NotActive(Status),
    /// An uninstall older than the current installation, or one already processed. HTTP 409.
    #[error("replayed: {0}")]
    Replayed(String),
    /// The OAuth server could not be asked or answered nonsense. HTTP 502.
    #[error("OAuth server: {0}")]
    OAuthServer(String),
    /// A call to the portal failed. HTTP 502.
    #[error("portal call failed: {0}")]
    Portal(String),
    /// The application's own handler failed. HTTP 500.
    #[error("handler failed: {0}")]
    Handler(String),
    /// The database failed. HTTP 500.
    #[error(transparent)]
    Db(#[from] DbError),
    /// Something else that is our fault (configuration). HTTP 500.
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    /// The HTTP status answered for it.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Malformed(_) => 400,
            AppError::Forged(_) => 403,
            AppError::NotInstalled(_) => 404,
            AppError::NotActive(_) | AppError::Replayed(_) => 409,
            AppError::OAuthServer(_) | AppError::Portal(_) => 502,
            AppError::Handler(_) | AppError::Db(_) | AppError::Internal(_) => 500,
        }
    }

    /// A short machine-readable code for the answer body.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Malformed(_) => "MALFORMED",
            AppError::Forged(_) => "FORGED",
            AppError::NotInstalled(_) => "NOT_INSTALLED",
            AppError::NotActive(_) => "NOT_ACTIVE",
            AppError::Replayed(_) => "REPLAYED",
            AppError::OAuthServer(_) => "OAUTH_SERVER",
            AppError::Portal(_) => "PORTAL",
            AppError::Handler(_) => "HANDLER",
            AppError::Db(_) => "DATABASE",
            AppError::Internal(_) => "INTERNAL",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if status.is_server_error() {
            tracing::warn!(target: "bitrix_app", error = %self, "request failed");
        } else {
            tracing::info!(target: "bitrix_app", error = %self, "request refused");
        }
        let body = serde_json::json!({"error": self.code(), "error_description": self.to_string()});
        (status, axum::Json(body)).into_response()
    }
}
