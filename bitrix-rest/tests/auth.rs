//! Webhook and OAuth calls over real HTTP on loopback, token renewal, and secrets kept out of
//! Debug, Display and errors.

mod support;

use std::sync::{Arc, Mutex};

use bitrix_rest::{AuthError, Client, ConfigError, Error, OAuthConfig};
use serde_json::json;
use support::ScriptedServer;

fn oauth_config(server: &ScriptedServer, access: &str) -> OAuthConfig {
    OAuthConfig::new(
        &server.base,
        "app.client",
        "client-s3cret",
        access,
        "refresh-1",
    )
    .oauth_server(&server.base)
}

#[tokio::test]
async fn oauth_calls_send_the_token_in_the_body() {
    let server = ScriptedServer::start().await;
    let client = Client::oauth(oauth_config(&server, "access-1")).unwrap();
    let answer = client
        .call_raw("user.current", json!({"X": 1}))
        .await
        .unwrap();
    assert_eq!(answer.result, json!(true));
    let seen = server.seen();
    assert_eq!(seen[0].path, "/rest/user.current");
    assert_eq!(seen[0].body, json!({"X": 1, "auth": "access-1"}));
    assert_eq!(server.refreshes(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_refresh_is_shared_by_twenty_concurrent_calls() {
    let server = ScriptedServer::start().await;
    let stored = Arc::new(Mutex::new(Vec::new()));
    let sink = stored.clone();
    let client = Client::builder()
        .on_token_refresh(move |pair| sink.lock().unwrap().push(pair.clone()))
        .oauth(oauth_config(&server, "stale-access"))
        .unwrap();
    server.gather_expired(20);
    let calls = (0..20).map(|i| {
        let client = client.clone();
        tokio::spawn(async move { client.call_raw("user.current", json!({ "N": i })).await })
    });
    let calls: Vec<_> = calls.collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap().result, json!(true));
    }
    assert_eq!(server.refreshes(), 1, "exactly one refresh request");
    let stored = stored.lock().unwrap();
    assert_eq!(stored.len(), 1, "the callback saw the new pair once");
    assert_eq!(stored[0].access_token.expose(), "access-2");
    assert_eq!(stored[0].refresh_token.expose(), "refresh-2");
    assert_eq!(stored[0].expires_in, Some(3600));
    assert_eq!(
        client.oauth_tokens().unwrap().access_token.expose(),
        "access-2"
    );
    // All twenty saw the expiry, each was retried once with the new token, none a third time.
    let seen = server.seen();
    let retried = seen.iter().filter(|s| s.body["auth"] == "access-2").count();
    assert_eq!(retried, 20);
    assert_eq!(seen.len(), 40);
}

#[tokio::test]
async fn a_refused_refresh_is_a_typed_auth_error_without_secrets() {
    let server = ScriptedServer::start().await;
    let mut config = oauth_config(&server, "stale-access");
    config.refresh_token = "wrong-refresh-s3cret".into();
    let client = Client::oauth(config).unwrap();
    let err = client
        .call_raw("user.current", json!({}))
        .await
        .unwrap_err();
    match &err {
        Error::Auth(AuthError::Rejected { code, status, .. }) => {
            assert_eq!(code, "invalid_grant");
            assert_eq!(*status, 400);
        }
        other => panic!("{other:?}"),
    }
    let text = format!("{err} {err:?}");
    for secret in ["wrong-refresh-s3cret", "client-s3cret", "stale-access"] {
        assert!(!text.contains(secret), "{secret} leaked into {text}");
    }
}

#[tokio::test]
async fn webhook_calls_put_the_code_in_the_path() {
    let server = ScriptedServer::start().await;
    let client = Client::webhook(&format!("{}rest/7/c0de-s3cret", server.base)).unwrap();
    client.call_raw("profile", json!({})).await.unwrap();
    assert_eq!(server.seen()[0].path, "/rest/7/c0de-s3cret/profile");
    assert_eq!(server.seen()[0].body, json!({}));
}

#[tokio::test]
async fn secrets_never_show_in_debug_display_or_errors() {
    let server = ScriptedServer::start().await;
    let webhook = Client::webhook(&format!("{}rest/7/c0de-s3cret/", server.base)).unwrap();
    let oauth = Client::oauth(oauth_config(&server, "access-s3cret")).unwrap();
    let printed = format!("{webhook:?} {oauth:?} {:?}", oauth.oauth_tokens().unwrap());
    for secret in ["c0de-s3cret", "access-s3cret", "client-s3cret", "refresh-1"] {
        assert!(!printed.contains(secret), "{secret} leaked into {printed}");
    }
    // A transport error to a closed port must not print the URL (it holds the webhook code).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = listener.local_addr().unwrap();
    drop(listener);
    let dead = Client::webhook(&format!("http://{closed}/rest/7/c0de-s3cret/")).unwrap();
    let err = dead.call_raw("profile", json!({})).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let printed = format!("{err} {err:?}");
    assert!(!printed.contains("c0de-s3cret"), "{printed}");
}

#[test]
fn plain_http_is_refused_except_for_loopback() {
    let err = Client::webhook("http://example.bitrix24.com/rest/1/c0de/").unwrap_err();
    assert!(matches!(err, ConfigError::InsecureUrl { .. }));
    assert!(!err.to_string().contains("c0de"));
    let config = OAuthConfig::new("http://example.bitrix24.com/", "id", "secret", "a", "r");
    assert!(matches!(
        Client::oauth(config),
        Err(ConfigError::InsecureUrl { .. })
    ));
    assert!(Client::webhook("https://example.bitrix24.com/rest/1/c0de/").is_ok());
    assert!(Client::webhook("http://127.0.0.1:1/rest/1/c0de/").is_ok());
}
