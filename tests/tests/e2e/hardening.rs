//! Issue 14: a hostile or broken portal (or OAuth server) cannot crash, stall or rob the client.
//! Every server here is a real HTTP server on 127.0.0.1, port 0: the emulator, or a few lines of
//! axum or raw TCP where the emulator would never misbehave that way.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{any, get};
use axum::Router;
use bitrix_mock::{Config, Emulator, Fault};
use bitrix_rest::auth::{BoxFuture, TokenStore};
use bitrix_rest::{
    AuthError, Batch, Client, Error, FastExport, OAuthConfig, RetryPolicy, TokenPair, MAX_KEPT_BODY,
};
use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{mpsc, Notify};

use crate::common;

/// A safety bound on waits that normally end at once; never used to order events. Generous
/// because the tests of this file run in parallel on two cores beside the 32 MiB body tests;
/// the stalls it guards against (an operating wait) last ten minutes.
const BOUND: Duration = Duration::from_secs(90);

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/")
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_tries: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_operating_wait: Duration::from_secs(600),
    }
}

// ---- 1. A renewal survives its caller -------------------------------------------------------

/// A portal whose token `old` has expired and `new` works, and an OAuth server that holds its
/// answer until the test releases it.
struct SlowOAuth {
    arrived: Notify,
    release: Notify,
    grants: AtomicUsize,
}

async fn slow_oauth_portal() -> (String, Arc<SlowOAuth>) {
    let state = Arc::new(SlowOAuth {
        arrived: Notify::new(),
        release: Notify::new(),
        grants: AtomicUsize::new(0),
    });
    let app = Router::new()
        .route(
            "/rest/{method}",
            any(|body: String| async move {
                if body.contains("\"auth\":\"new\"") {
                    (StatusCode::OK, r#"{"result":{"ID":"1"}}"#)
                } else {
                    (
                        StatusCode::UNAUTHORIZED,
                        r#"{"error":"expired_token","error_description":"expired"}"#,
                    )
                }
            }),
        )
        .route(
            "/oauth/token/",
            get(|State(s): State<Arc<SlowOAuth>>| async move {
                s.grants.fetch_add(1, Ordering::SeqCst);
                s.arrived.notify_one();
                s.release.notified().await;
                r#"{"access_token":"new","refresh_token":"new-refresh","expires_in":3600}"#
            }),
        )
        .with_state(state.clone());
    (serve(app).await, state)
}

#[tokio::test]
async fn a_cancelled_call_does_not_lose_the_renewed_pair() {
    let (url, oauth) = slow_oauth_portal().await;
    let (tx, mut reported) = mpsc::unbounded_channel::<TokenPair>();
    let client = Client::builder()
        .on_token_refresh(move |pair| {
            let _ = tx.send(pair.clone());
        })
        .oauth(OAuthConfig::new(&url, "app", "app-secret", "old", "old-refresh").oauth_server(&url))
        .unwrap();
    // The caller gives up as soon as the OAuth server has the old refresh token in hand.
    tokio::select! {
        _ = client.call_raw("profile", json!({})) => panic!("the call cannot finish before the grant"),
        _ = oauth.arrived.notified() => {}
    }
    oauth.release.notify_one();
    let pair = tokio::time::timeout(BOUND, reported.recv())
        .await
        .expect("the renewal finished without its caller")
        .unwrap();
    assert_eq!(pair.access_token.expose(), "new");
    assert_eq!(pair.refresh_token.expose(), "new-refresh");
    let now = client.oauth_tokens().unwrap();
    assert_eq!(now.access_token.expose(), "new");
    assert_eq!(now.refresh_token.expose(), "new-refresh");
    // The next call uses the kept pair without renewing again.
    client.call_raw("profile", json!({})).await.unwrap();
    assert_eq!(oauth.grants.load(Ordering::SeqCst), 1);
}

// ---- 2. A token store shared by clients; a failed renewal shared by its waiters --------------

#[derive(Default, Clone)]
struct MemoryStore(Arc<Mutex<Option<TokenPair>>>, Arc<AtomicUsize>);

impl TokenStore for MemoryStore {
    fn load(&self) -> BoxFuture<'_, Option<TokenPair>> {
        Box::pin(async move { self.0.lock().unwrap().clone() })
    }
    fn save<'a>(&'a self, pair: &'a TokenPair) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            self.1.fetch_add(1, Ordering::SeqCst);
            *self.0.lock().unwrap() = Some(pair.clone());
        })
    }
}

#[tokio::test]
async fn two_clients_sharing_a_store_renew_once() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let store = MemoryStore::default();
    let a = Client::builder()
        .token_store(store.clone())
        .oauth(common::oauth(&emu))
        .unwrap();
    let b = Client::builder()
        .token_store(store.clone())
        .oauth(common::oauth(&emu))
        .unwrap();
    emu.expire_access_token();
    a.call_raw("profile", json!({})).await.unwrap();
    assert_eq!(emu.refresh_count(), 1);
    assert_eq!(store.1.load(Ordering::SeqCst), 1, "the new pair was saved");
    // `b` still holds the expired pair; its refresh token is spent. It must take the stored pair.
    b.call_raw("profile", json!({})).await.unwrap();
    assert_eq!(
        emu.refresh_count(),
        1,
        "b used the stored pair instead of renewing"
    );
    assert_eq!(
        b.oauth_tokens().unwrap().access_token.expose(),
        emu.credentials().access_token
    );
}

/// Counts the portal's requests and tells the OAuth server when all calls have sent theirs.
struct AllIn {
    calls: usize,
    seen: AtomicUsize,
    all_in: Notify,
    grants: AtomicUsize,
}

#[tokio::test]
async fn calls_waiting_on_a_failed_renewal_share_its_failure() {
    const CALLS: usize = 10;
    let state = Arc::new(AllIn {
        calls: CALLS,
        seen: AtomicUsize::new(0),
        all_in: Notify::new(),
        grants: AtomicUsize::new(0),
    });
    let app = Router::new()
        .route(
            "/rest/{method}",
            any(|State(s): State<Arc<AllIn>>| async move {
                if s.seen.fetch_add(1, Ordering::SeqCst) + 1 >= s.calls {
                    s.all_in.notify_one();
                }
                (
                    StatusCode::UNAUTHORIZED,
                    r#"{"error":"expired_token","error_description":"expired"}"#,
                )
            }),
        )
        .route(
            "/oauth/token/",
            get(|State(s): State<Arc<AllIn>>| async move {
                s.grants.fetch_add(1, Ordering::SeqCst);
                // Fail only once every call has sent its request with the old token: each of
                // them is then waiting on this renewal, or will ask after it failed.
                s.all_in.notified().await;
                (
                    StatusCode::BAD_REQUEST,
                    r#"{"error":"invalid_grant","error_description":"Invalid refresh token"}"#,
                )
            }),
        )
        .with_state(state.clone());
    let url = serve(app).await;
    let client = Client::oauth(
        OAuthConfig::new(&url, "app", "app-secret", "old", "old-refresh").oauth_server(&url),
    )
    .unwrap();
    let calls: Vec<_> = (0..CALLS)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.call_raw("profile", json!({})).await })
        })
        .collect();
    for call in calls {
        let err = tokio::time::timeout(BOUND, call)
            .await
            .unwrap()
            .unwrap()
            .unwrap_err();
        assert!(
            matches!(&err, Error::Auth(AuthError::Rejected { code, .. }) if code == "invalid_grant"),
            "{err:?}"
        );
    }
    assert_eq!(
        state.seen.load(Ordering::SeqCst),
        CALLS,
        "no call was sent twice"
    );
    assert_eq!(
        state.grants.load(Ordering::SeqCst),
        1,
        "one renewal, its failure shared"
    );
    // A call made after the failure may try again (a later renewal could work).
    let late = tokio::time::timeout(BOUND, client.call_raw("profile", json!({}))).await;
    assert!(late.unwrap().is_err());
    assert_eq!(state.grants.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_non_json_token_answer_keeps_no_token() {
    let app = Router::new()
        .route(
            "/rest/{method}",
            any(|| async {
                (
                    StatusCode::UNAUTHORIZED,
                    r#"{"error":"expired_token","error_description":"expired"}"#,
                )
            }),
        )
        .route(
            "/oauth/token/",
            get(|| async { "access_token=AT-s3cret&refresh_token=RT-s3cret" }),
        );
    let url = serve(app).await;
    let client = Client::oauth(
        OAuthConfig::new(&url, "app", "app-secret", "old", "old-refresh").oauth_server(&url),
    )
    .unwrap();
    let err = client.call_raw("profile", json!({})).await.unwrap_err();
    assert!(
        matches!(err, Error::Auth(AuthError::Unexpected(_))),
        "{err:?}"
    );
    let text = format!("{err} {err:?}");
    assert!(!text.contains("s3cret"), "{text}");
}

// ---- 3. Redirects are never followed ---------------------------------------------------------

#[tokio::test]
async fn a_redirect_to_another_origin_is_refused_and_not_followed() {
    let elsewhere_hits = Arc::new(AtomicUsize::new(0));
    let hits = elsewhere_hits.clone();
    let elsewhere = serve(Router::new().fallback(any(move || {
        hits.fetch_add(1, Ordering::SeqCst);
        async { r#"{"result":true}"# }
    })))
    .await;
    let target = format!("{elsewhere}stolen");
    let portal = serve(Router::new().fallback(any(move || {
        let target = target.clone();
        async move {
            (
                StatusCode::TEMPORARY_REDIRECT,
                [("location", target)],
                "moved",
            )
                .into_response()
        }
    })))
    .await;
    let client = Client::webhook(&format!("{portal}rest/1/hook-s3cret/")).unwrap();
    let err = client.call_raw("profile", json!({})).await.unwrap_err();
    match &err {
        Error::UnexpectedResponse(u) => {
            assert_eq!(u.status, 307);
            assert_eq!(u.body, "moved");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(elsewhere_hits.load(Ordering::SeqCst), 0);
    assert!(!format!("{err} {err:?}").contains("hook-s3cret"));
}

// ---- 4. The answer size cap ------------------------------------------------------------------

/// A raw HTTP server that answers one request with `total` bytes of `x`, without a length (the
/// body ends when the connection closes), and reports how much it managed to write once a write
/// fails (the client closed the connection) or all was sent.
async fn endless_server(total: usize) -> (String, tokio::sync::oneshot::Receiver<usize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (done, written) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        if let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b'x'; 64 * 1024];
                let mut sent = 0;
                while sent < total {
                    if socket.write_all(&chunk).await.is_err() {
                        break;
                    }
                    sent += chunk.len();
                }
                let _ = done.send(sent);
            });
        }
    });
    (format!("http://{addr}/"), written)
}

#[tokio::test]
async fn a_300_mib_answer_is_refused_without_being_read() {
    const MIB: usize = 1024 * 1024;
    let (url, written) = endless_server(300 * MIB).await;
    let client = Client::webhook(&format!("{url}rest/1/code/")).unwrap();
    let err = client.call_raw("profile", json!({})).await.unwrap_err();
    match &err {
        Error::UnexpectedResponse(u) => {
            assert!(u.reason.contains("limit"), "{}", u.reason);
            assert!(u.body.len() <= MAX_KEPT_BODY);
        }
        other => panic!("{other:?}"),
    }
    // The client stopped reading at the limit (32 MiB) and closed the connection; socket
    // buffers let the server write a little more before its writes fail, far from 300 MiB.
    let sent = tokio::time::timeout(BOUND, written).await.unwrap().unwrap();
    println!(
        "300 MiB answer: the server managed to write {} MiB",
        sent / MIB
    );
    assert!(sent < 64 * MIB, "the server wrote {} MiB", sent / MIB);
}

#[tokio::test]
async fn a_small_limit_refuses_by_content_length_and_every_kept_body_is_bounded() {
    let big = "y".repeat(1024 * 1024);
    let body = big.clone();
    let url = serve(Router::new().fallback(any(move || {
        let body = body.clone();
        async move { (StatusCode::BAD_GATEWAY, body) }
    })))
    .await;
    let hook = format!("{url}rest/1/code/");
    // Under the default limit: unreadable, and only a bounded prefix is kept.
    let err = Client::webhook(&hook)
        .unwrap()
        .call_raw("profile", json!({}))
        .await
        .unwrap_err();
    let Error::UnexpectedResponse(u) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(u.status, 502);
    assert_eq!(u.body.len(), MAX_KEPT_BODY);
    // Over a configured limit: refused.
    let err = Client::builder()
        .max_body_size(1000)
        .webhook(&hook)
        .unwrap()
        .call_raw("profile", json!({}))
        .await
        .unwrap_err();
    let Error::UnexpectedResponse(u) = &err else {
        panic!("{err:?}")
    };
    assert!(u.reason.contains("limit of 1000 bytes"), "{}", u.reason);
}

// ---- 5. Keyset export trusts nothing ---------------------------------------------------------

fn item(id: i64) -> Value {
    json!({"id": id, "entityTypeId": 2, "stageId": "NEW", "title": format!("Deal {id}")})
}

fn page(ids: &[i64]) -> Fault {
    let items: Vec<Value> = ids.iter().map(|id| item(*id)).collect();
    Fault::Respond {
        status: 200,
        body: json!({"result": {"items": items}}).to_string(),
    }
}

#[tokio::test]
async fn export_refuses_a_portal_that_ignores_the_order() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let client = Client::webhook(&emu.webhook_url()).unwrap();
    let mut ids: Vec<i64> = (1..=50).collect();
    ids.swap(10, 40);
    emu.inject(page(&ids), 1);
    let got: Vec<_> = client
        .export(
            &bitrix_rest::api::crm::item::List::new(2),
            FastExport::new("id"),
        )
        .collect()
        .await;
    let err = got.last().unwrap().as_ref().unwrap_err();
    assert!(
        err.to_string().contains("ignores the ID filter or order"),
        "{err}"
    );
}

#[tokio::test]
async fn export_does_not_end_on_a_short_middle_page() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    emu.seed_list("crm.item.list", (1..=120).map(item).collect());
    let client = Client::webhook(&emu.webhook_url()).unwrap();
    // The first page comes back short (20 of 50), as a portal cutting a page would send it.
    emu.inject(page(&(1..=20).collect::<Vec<_>>()), 1);
    let ids: Vec<i64> = client
        .export(
            &bitrix_rest::api::crm::item::List::new(2),
            FastExport::new("id"),
        )
        .map(|r| r.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, (1..=120).collect::<Vec<_>>(), "no item lost");
}

// ---- 6. call_raw checks the method name ------------------------------------------------------

#[tokio::test]
async fn call_raw_refuses_names_that_change_the_address() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let client = Client::webhook(&emu.webhook_url()).unwrap();
    for name in [
        "",
        "user.current?x=1",
        "a#b",
        "../../x",
        "a/b",
        "a b",
        "a..b",
        "user\n",
    ] {
        let err = client.call_raw(name, json!({})).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{name:?}: {err:?}");
    }
    assert!(emu.calls().is_empty(), "nothing was sent");
    client.call_raw("profile", json!({})).await.unwrap();
}

// ---- 7. Secrets stay out of Debug ------------------------------------------------------------

#[test]
fn batch_debug_hides_secret_parameters() {
    let mut batch = Batch::new();
    batch
        .add_raw(
            "bot",
            "imbot.v2.Bot.update",
            json!({"botToken": "bt-s3cret", "fields": {"BOT_TOKEN": "BT-s3cret"},
                   "CLIENT_SECRET": "cs-s3cret", "auth": "a-s3cret", "access_token": "at-s3cret",
                   "refresh_token": "rt-s3cret", "application_token": "ap-s3cret",
                   "password": "pw-s3cret", "NAME": "visible"}),
        )
        .unwrap();
    let text = format!("{batch:?}");
    assert!(!text.contains("s3cret"), "{text}");
    assert!(text.contains("visible"));
}

// ---- 9. Absurd `time` figures ----------------------------------------------------------------

#[tokio::test]
async fn absurd_time_figures_neither_panic_nor_stall() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    // The emulator's own answers report a sane reset ten minutes ahead, which a 429 rightly
    // waits for when it is within the policy: the limit here keeps that wait out, so only the
    // absurd figures are under test, however slow the machine.
    let client = Client::builder()
        .retry(RetryPolicy {
            max_operating_wait: Duration::from_secs(30),
            ..fast_retries()
        })
        .webhook(&emu.webhook_url())
        .unwrap();
    let far = 4_000_000_000_000i64;
    let times = [
        json!({"start": -1e300, "finish": -1e300, "operating": 1e308, "operating_reset_at": 1}),
        json!({"start": 1e300, "finish": 1e308, "operating": 1e308, "operating_reset_at": i64::MAX}),
        json!({"start": "inf", "finish": "-inf", "operating": "inf", "operating_reset_at": far}),
        json!({"start": "NaN", "finish": "NaN", "operating": "NaN", "operating_reset_at": far}),
        json!({"start": 1.0, "finish": 2.0, "duration": -5, "operating": 1e9, "operating_reset_at": far}),
        json!({"start": 1.0, "finish": 2.0, "operating": 1e9, "operating_reset_at": i64::MIN}),
    ];
    for time in times {
        emu.inject(
            Fault::Respond {
                status: 200,
                body: json!({"result": true, "time": time}).to_string(),
            },
            1,
        );
        // Then a 429 for the same method: the retry reads the recorded figures.
        emu.inject(
            Fault::Respond {
                status: 429,
                body: r#"{"error":"OPERATION_TIME_LIMIT","error_description":"slow down"}"#.into(),
            },
            1,
        );
        let first = tokio::time::timeout(BOUND, client.call_raw("profile", json!({})));
        first.await.expect("no stall").unwrap();
        let second = tokio::time::timeout(BOUND, client.call_raw("profile", json!({})));
        second
            .await
            .expect("no stall (429 then the answer)")
            .unwrap();
    }
}
