//! The HTTP/1 server: an accept loop on the bound listener, one task per connection, all of them
//! stopped when the [`Emulator`](crate::Emulator) is dropped. Hyper is used directly (not a router
//! framework) because a dropped-connection fault must close the socket without any answer, which a
//! service error does.

use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CONNECTION, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

use crate::routes::{route, Reply, Request};
use crate::state::Shared;

/// Largest body accepted; bigger ones are refused rather than buffered.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// The error that makes hyper close the connection without answering.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

/// Serves until `shutdown` changes or its sender is dropped; over TLS when `tls` is given.
pub async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<()>,
    tls: Option<TlsAcceptor>,
) {
    loop {
        let accepted = tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors and the like: back off instead of spinning.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        let stop = shutdown.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                None => connection(stream, shared, stop).await,
                Some(acceptor) => {
                    // The handshake counts against the header timeout: a client that opens a
                    // connection and says nothing is cut off like one that stalls in its headers.
                    let limit = shared.config.header_timeout;
                    if let Ok(Ok(stream)) =
                        tokio::time::timeout(limit, acceptor.accept(stream)).await
                    {
                        connection(stream, shared, stop).await;
                    }
                }
            }
        });
    }
}

/// Serves one connection (plain or TLS) until it closes or the emulator stops.
async fn connection<IO>(io: IO, shared: Arc<Shared>, mut stop: watch::Receiver<()>)
where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let header_timeout = shared.config.header_timeout;
    let service = service_fn(move |req| {
        let shared = shared.clone();
        async move { respond(&shared, req).await }
    });
    // A client that sends half a header and stalls is cut off after the header timeout
    // (the body has its own, in `respond`), so no task waits on it forever.
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .serve_connection(TokioIo::new(io), service);
    tokio::select! {
        _ = conn => {}
        _ = stop.changed() => {}
    }
}

async fn respond(
    shared: &Shared,
    req: hyper::Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let idempotency_key = req
        .headers()
        .get("idempotency-key")
        .map(|v| v.as_bytes().to_vec());
    let read = Limited::new(req.into_body(), MAX_BODY).collect();
    let body = match tokio::time::timeout(shared.config.body_timeout, read).await {
        Ok(Ok(collected)) => collected.to_bytes().to_vec(),
        Err(_) => {
            let e = crate::envelope::ApiError::new(
                408,
                "REQUEST_TIMEOUT",
                "The request body did not arrive in time",
            );
            let mut resp = json_response(e.status, &e.body());
            resp.headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
            return Ok(resp);
        }
        Ok(Err(_)) => {
            let e = crate::envelope::ApiError::system(
                bitrix_facts::SystemError::InvalidRequest,
                "Unreadable or too large body",
            );
            return Ok(json_response(e.status, &e.body()));
        }
    };
    let reply = route(
        shared,
        Request {
            path,
            query,
            content_type,
            body,
            idempotency_key,
        },
    )
    .await;
    render(reply)
}

fn render(reply: Reply) -> Result<Response<Full<Bytes>>, Dropped> {
    match reply {
        Reply::Json(status, body) => Ok(json_response(status, &body)),
        Reply::Text(status, content_type, text) => {
            Ok(response(status, content_type, text.into_bytes()))
        }
        Reply::Drop => Err(Dropped),
        Reply::Headed(inner, headers) => {
            let mut resp = render(*inner)?;
            for (name, value) in headers {
                // Values come from a validated key (printable ASCII) or constants.
                if let Ok(v) = HeaderValue::from_str(&value) {
                    resp.headers_mut().insert(name, v);
                }
            }
            Ok(resp)
        }
    }
}

fn json_response(status: u16, body: &serde_json::Value) -> Response<Full<Bytes>> {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    response(status, "application/json; charset=utf-8", bytes)
}

fn response(status: u16, content_type: &'static str, body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut resp = Response::new(Full::new(Bytes::from(body)));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}
