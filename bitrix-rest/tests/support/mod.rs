//! A scripted HTTP server on loopback: answers REST calls from a queue of canned answers and
//! plays a minimal OAuth server, recording what it received. Real sockets, real HTTP.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::IntoResponse;
use axum::Router;

/// What the server saw of one REST call.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub body: serde_json::Value,
}

#[derive(Default)]
struct Shared {
    answers: Mutex<VecDeque<(u16, String)>>,
    seen: Mutex<Vec<Seen>>,
    /// OAuth: the access token that works; any other gets `expired_token`.
    valid_token: Mutex<String>,
    refresh_token: Mutex<String>,
    refreshes: Mutex<usize>,
    /// When set, `expired_token` answers wait until this many have gathered, so that all the
    /// concurrent calls see the expiry before any renewal.
    expired_barrier: Mutex<Option<Arc<tokio::sync::Barrier>>>,
}

pub struct ScriptedServer {
    pub base: String,
    shared: Arc<Shared>,
}

impl ScriptedServer {
    pub async fn start() -> ScriptedServer {
        let shared = Arc::new(Shared::default());
        *shared.valid_token.lock().unwrap() = "access-1".into();
        *shared.refresh_token.lock().unwrap() = "refresh-1".into();
        let app = Router::new()
            .route("/oauth/token/", axum::routing::get(token))
            .fallback(rest)
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        ScriptedServer { base, shared }
    }

    /// The next REST call answers `status` with `body`.
    pub fn answer(&self, status: u16, body: impl Into<String>) {
        self.shared
            .answers
            .lock()
            .unwrap()
            .push_back((status, body.into()));
    }

    /// Holds `expired_token` answers until `n` calls have received one.
    pub fn gather_expired(&self, n: usize) {
        *self.shared.expired_barrier.lock().unwrap() = Some(Arc::new(tokio::sync::Barrier::new(n)));
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().unwrap().clone()
    }

    pub fn refreshes(&self) -> usize {
        *self.shared.refreshes.lock().unwrap()
    }
}

async fn rest(State(s): State<Arc<Shared>>, uri: Uri, body: Bytes) -> impl IntoResponse {
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    s.seen.lock().unwrap().push(Seen {
        path: uri.path().to_string(),
        body: body.clone(),
    });
    if let Some(token) = body.get("auth").and_then(|a| a.as_str()) {
        if token != *s.valid_token.lock().unwrap() {
            let barrier = s.expired_barrier.lock().unwrap().clone();
            if let Some(b) = barrier {
                b.wait().await;
            }
            return (
                StatusCode::UNAUTHORIZED,
                r#"{"error":"expired_token","error_description":"The access token provided has expired."}"#.to_string(),
            );
        }
    }
    let (status, text) = s
        .answers
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or((200, r#"{"result":true}"#.into()));
    (StatusCode::from_u16(status).unwrap(), text)
}

async fn token(
    State(s): State<Arc<Shared>>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> impl IntoResponse {
    let ok = q.get("grant_type").map(String::as_str) == Some("refresh_token")
        && q.get("client_id").map(String::as_str) == Some("app.client")
        && q.get("client_secret").map(String::as_str) == Some("client-s3cret")
        && q.get("refresh_token") == Some(&*s.refresh_token.lock().unwrap());
    if !ok {
        return (
            StatusCode::BAD_REQUEST,
            r#"{"error":"invalid_grant","error_description":"Invalid grant"}"#.to_string(),
        );
    }
    let n = {
        let mut r = s.refreshes.lock().unwrap();
        *r += 1;
        *r + 1
    };
    let access = format!("access-{n}");
    let refresh = format!("refresh-{n}");
    *s.valid_token.lock().unwrap() = access.clone();
    *s.refresh_token.lock().unwrap() = refresh.clone();
    let body = serde_json::json!({
        "access_token": access, "refresh_token": refresh, "expires_in": 3600,
        "member_id": "m", "status": "L", "scope": "imbot"
    });
    (StatusCode::OK, body.to_string())
}
