//! The OAuth server of a cloud's application: `/oauth/token/` renews the pair of whichever portal
//! the refresh token belongs to, answering that portal's `member_id` and `client_endpoint`, as
//! `oauth.bitrix.info` does. A refresh token works once.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;

use super::PortalState;

#[derive(Debug, Default)]
struct Inner {
    portals: Vec<Arc<PortalState>>,
    delay: Duration,
}

/// The server; stops when dropped.
#[derive(Debug)]
pub(super) struct OAuthServer {
    url: String,
    inner: Arc<Mutex<Inner>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for OAuthServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl OAuthServer {
    pub(super) async fn start(client_id: String, client_secret: String) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let url = format!("http://{}/", listener.local_addr()?);
        let inner = Arc::new(Mutex::new(Inner::default()));
        let creds = Arc::new((client_id, client_secret));
        let shared = inner.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let inner = shared.clone();
                let creds = creds.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                        let inner = inner.clone();
                        let creds = creds.clone();
                        async move {
                            let query = req.uri().query().unwrap_or("").to_string();
                            let path = req.uri().path().to_string();
                            let delay = lock(&inner).delay;
                            if !delay.is_zero() {
                                // Before anything is renewed: a client gone meanwhile (its
                                // connection closed) drops this future and renews nothing.
                                tokio::time::sleep(delay).await;
                            }
                            let (status, body) = answer(&inner, &creds, &path, &query);
                            Ok::<_, Infallible>(json_response(status, &body))
                        }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(OAuthServer { url, inner, task })
    }

    pub(super) fn url(&self) -> String {
        self.url.clone()
    }

    pub(super) fn add(&self, portal: Arc<PortalState>) {
        lock(&self.inner).portals.push(portal);
    }

    pub(super) fn set_delay(&self, delay: Duration) {
        lock(&self.inner).delay = delay;
    }
}

fn lock(m: &Mutex<Inner>) -> std::sync::MutexGuard<'_, Inner> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn error(status: u16, code: &str, description: &str) -> (u16, Value) {
    (
        status,
        json!({"error": code, "error_description": description}),
    )
}

/// Answers one token request.
fn answer(inner: &Mutex<Inner>, creds: &(String, String), path: &str, query: &str) -> (u16, Value) {
    if !path.starts_with("/oauth/token") {
        return error(404, "NOT_FOUND", "Unknown address");
    }
    let params = crate::params::parse_query(query);
    let get = |k: &str| {
        params
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    if get("client_id") != creds.0 || get("client_secret") != creds.1 {
        return error(401, "invalid_client", "Invalid client credentials");
    }
    match get("grant_type").as_str() {
        "refresh_token" => {}
        "" => return error(400, "invalid_request", "grant_type is required"),
        _ => {
            return error(
                400,
                "invalid_grant",
                "Only grant_type=refresh_token is emulated",
            )
        }
    }
    let refresh = get("refresh_token");
    if refresh.is_empty() {
        return error(400, "invalid_grant", "Invalid refresh token");
    }
    let portals = lock(inner).portals.clone();
    for portal in portals {
        let mut app = portal.app();
        if !app.installed {
            continue;
        }
        let shared = &portal.shared;
        let now = shared.clock.now();
        let ttl = shared.config.token_ttl.as_secs_f64();
        let mut data = shared.data();
        if data.tokens.creds.refresh_token != refresh {
            continue;
        }
        data.tokens.issue(now, ttl);
        data.tokens.refresh_count += 1;
        app.refreshes += 1;
        let creds = data.tokens.creds.clone();
        let member_id = data.tokens.member_id.clone();
        drop(data);
        let endpoint = format!("{}rest/", shared.portal_url());
        let scope: Vec<&str> = shared.scopes.iter().map(String::as_str).collect();
        return (
            200,
            json!({
                "access_token": creds.access_token,
                "refresh_token": creds.refresh_token,
                "expires": (now + ttl).floor() as i64,
                "expires_in": ttl.round() as i64,
                "client_endpoint": endpoint,
                "server_endpoint": format!("{}rest/", portal.oauth_url),
                "domain": "oauth.bitrix.info",
                "member_id": member_id,
                "scope": scope.join(","),
                "status": "L",
                "user_id": creds.webhook_user_id,
            }),
        );
    }
    error(400, "invalid_grant", "Invalid refresh token")
}

fn json_response(status: u16, body: &Value) -> Response<Full<Bytes>> {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut resp = Response::new(Full::new(Bytes::from(bytes)));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    resp
}
