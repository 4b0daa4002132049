//! Webhook and OAuth calls over real HTTP against the emulator, token renewal through its OAuth
//! server, and secrets kept out of Debug, Display and errors.

use bitrix_mock::{AuthKind, Config, Emulator};
use bitrix_rest::{AuthError, Client, ConfigError, Error, OAuthConfig};
use serde_json::json;

use crate::common;

use common::oauth;

#[tokio::test]
async fn oauth_and_webhook_calls_authenticate() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let by_token = Client::oauth(oauth(&emu)).unwrap();
    by_token.call_raw("profile", json!({})).await.unwrap();
    let by_hook = Client::webhook(&emu.webhook_url()).unwrap();
    by_hook.call_raw("profile", json!({})).await.unwrap();
    let kinds: Vec<AuthKind> = emu.calls().iter().map(|c| c.auth_kind).collect();
    assert_eq!(kinds, [AuthKind::OAuth, AuthKind::Webhook]);
    assert_eq!(emu.refresh_count(), 0);
}

#[tokio::test]
async fn a_renewed_pair_replaces_the_old_one() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let before = emu.credentials();
    let client = Client::oauth(oauth(&emu)).unwrap();
    emu.expire_access_token();
    client.call_raw("profile", json!({})).await.unwrap();
    emu.expire_access_token();
    client.call_raw("profile", json!({})).await.unwrap();
    assert_eq!(
        emu.refresh_count(),
        2,
        "each expiry renewed once, with the latest refresh token"
    );
    let now = client.oauth_tokens().unwrap();
    assert_eq!(now.access_token.expose(), emu.credentials().access_token);
    assert_ne!(now.refresh_token.expose(), before.refresh_token);
}

#[tokio::test]
async fn a_refused_refresh_is_a_typed_auth_error_without_secrets() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let mut config = oauth(&emu);
    config.refresh_token = "wrong-refresh-s3cret".into();
    let client = Client::oauth(config).unwrap();
    emu.expire_access_token();
    let err = client.call_raw("profile", json!({})).await.unwrap_err();
    match &err {
        Error::Auth(AuthError::Rejected { code, .. }) => assert_eq!(code, "invalid_grant"),
        other => panic!("{other:?}"),
    }
    let creds = emu.credentials();
    let text = format!("{err} {err:?}");
    for secret in [
        "wrong-refresh-s3cret",
        &creds.client_secret,
        &creds.access_token,
    ] {
        assert!(!text.contains(secret), "{secret} leaked into {text}");
    }
}

#[tokio::test]
async fn secrets_never_show_in_debug_display_or_errors() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let creds = emu.credentials();
    let webhook = Client::webhook(&emu.webhook_url()).unwrap();
    let oauth = Client::oauth(oauth(&emu)).unwrap();
    let printed = format!("{webhook:?} {oauth:?} {:?}", oauth.oauth_tokens().unwrap());
    for secret in [
        &creds.webhook_code,
        &creds.access_token,
        &creds.client_secret,
        &creds.refresh_token,
    ] {
        assert!(
            !printed.contains(secret.as_str()),
            "a secret leaked into {printed}"
        );
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
