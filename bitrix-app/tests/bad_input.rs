//! What an application must refuse, and that refusing stores nothing and loses nothing: forged
//! installs, a delivery signed with another portal's token, forged and replayed uninstalls,
//! forged page openings, a failed renewal.

mod common;

use bitrix_app::{Status, TokenState};
use bitrix_mock::Cloud;
use serde_json::{json, Value};

async fn post(url: &str, body: String) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn form(v: &Value) -> String {
    bitrix_runtime::events::form::encode(v)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_installs_are_refused_and_store_nothing() {
    let mut cloud = Cloud::start(2, common::portal_config()).await.unwrap();
    let (db, _dir) = common::sqlite().await;
    let served = common::serve(&mut cloud, db.clone(), false).await;
    let p0 = cloud.portal(0);
    let install = format!("{}install", served.base);

    // Tokens the OAuth server does not know.
    let body = form(
        &json!({"AUTH_ID": "a".repeat(32), "REFRESH_ID": "r".repeat(32),
        "AUTH_EXPIRES": "3600", "member_id": p0.member_id(), "DOMAIN": p0.domain()}),
    );
    let (status, answer) = post(&install, body).await;
    assert_eq!(status, 403, "{answer}");
    assert_eq!(answer["error"], "FORGED");
    assert!(answer["error_description"]
        .as_str()
        .unwrap()
        .contains("refused the installer's tokens"));
    assert!(db.accounts().await.unwrap().is_empty());

    // Portal 0 installs for real; then someone who got its current pair claims portal 1, and
    // then another domain. The OAuth server names the real portal each time, the install is
    // refused, and the pair the check spent is kept in portal 0's account.
    assert!(cloud.install(0).await.unwrap().ok());
    let before = db.account(p0.member_id()).await.unwrap().unwrap();
    let p1 = cloud.portal(1);
    for (member, domain) in [
        (p1.member_id().to_string(), p1.domain()),
        (p0.member_id().to_string(), "evil.example.com".to_string()),
    ] {
        let (access, refresh) = p0.tokens();
        let body = form(
            &json!({"AUTH_ID": access, "REFRESH_ID": refresh, "AUTH_EXPIRES": "3600",
            "member_id": member, "DOMAIN": domain}),
        );
        let (status, answer) = post(&install, body).await;
        assert_eq!(status, 403, "{answer}");
        assert_eq!(answer["error"], "FORGED");
    }
    assert!(db.account(p1.member_id()).await.unwrap().is_none());
    let after = db.account(p0.member_id()).await.unwrap().unwrap();
    assert_eq!(after.status, Status::Active);
    assert_eq!(after.domain, before.domain);
    // Nothing lost: the account holds the pair the OAuth server issued last, and it works.
    assert_eq!(after.refresh_token.expose(), p0.tokens().1);
    let client = served.app.portal(p0.member_id()).await.unwrap();
    client.call_raw("app.info", json!({})).await.unwrap();

    // An ONAPPINSTALL (installation callback) for an unknown portal with made-up tokens.
    let body = form(&json!({"event": "ONAPPINSTALL", "data": {"VERSION": "1"},
        "auth": {"member_id": p1.member_id(), "application_token": "x".repeat(32),
                 "access_token": "a".repeat(32), "refresh_token": "r".repeat(32), "domain": p1.domain()}}));
    let (status, _) = post(&format!("{}events", served.base), body).await;
    assert_eq!(status, 403);
    assert!(db.account(p1.member_id()).await.unwrap().is_none());

    // Missing fields are a clear 400.
    let (status, answer) = post(&install, form(&json!({"AUTH_ID": "x"}))).await;
    assert_eq!(status, 400);
    assert!(answer["error_description"]
        .as_str()
        .unwrap()
        .contains("REFRESH_ID"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_and_uninstalls_with_another_portals_token_are_refused() {
    let mut cloud = Cloud::start(2, common::portal_config()).await.unwrap();
    let (db, _dir) = common::sqlite().await;
    let served = common::serve(&mut cloud, db.clone(), false).await;
    assert!(cloud.install(0).await.unwrap().ok());
    assert!(cloud.install(1).await.unwrap().ok());
    let (p0, p1) = (cloud.portal(0), cloud.portal(1));
    let events = format!("{}events", served.base);

    let deal = |member: &str, token: &str| {
        form(
            &json!({"event": "ONCRMDEALADD", "data": {"FIELDS": {"ID": "5"}}, "ts": "1",
            "auth": {"member_id": member, "application_token": token, "domain": "x"}}),
        )
    };
    // Portal 0's name, portal 1's token.
    let (status, answer) = post(&events, deal(p0.member_id(), &p1.application_token())).await;
    assert_eq!(status, 403, "{answer}");
    assert_eq!(answer["error"], "FORGED");
    // A portal nobody installed on.
    let (status, _) = post(&events, deal("0123456789abcdef", &p0.application_token())).await;
    assert_eq!(status, 404);
    // No token at all.
    let (status, _) = post(&events, deal(p0.member_id(), "")).await;
    assert_eq!(status, 403);
    assert!(served.recorder.handled.lock().unwrap().is_empty());
    // The right token is accepted.
    let (status, _) = post(&events, deal(p0.member_id(), &p0.application_token())).await;
    assert_eq!(status, 200);
    assert_eq!(served.recorder.handled.lock().unwrap().len(), 1);

    // An uninstall of portal 0 signed with portal 1's token: refused, nothing removed.
    let uninstall = form(
        &json!({"event": "ONAPPUNINSTALL", "data": {"CLEAN": "1", "LANGUAGE_ID": "en"},
        "ts": "9999999999", "auth": {"member_id": p0.member_id(), "application_token": p1.application_token()}}),
    );
    let (status, answer) = post(&events, uninstall).await;
    assert_eq!(status, 403, "{answer}");
    let a0 = db.account(p0.member_id()).await.unwrap().unwrap();
    assert_eq!(a0.status, Status::Active);
    assert_eq!(
        db.data(p0.member_id(), "greeting")
            .await
            .unwrap()
            .as_deref(),
        Some("hello")
    );
    assert!(served.recorder.uninstalled.lock().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_uninstall_is_refused() {
    let mut cloud = Cloud::start(1, common::portal_config()).await.unwrap();
    let (db, _dir) = common::sqlite().await;
    let served = common::serve(&mut cloud, db.clone(), false).await;
    let p0 = cloud.portal(0);
    assert!(cloud.install(0).await.unwrap().ok());
    // Uninstall keeping data, then install again.
    let reports = p0.uninstall(false).await.unwrap();
    assert_eq!(reports[0].status, 200, "{}", reports[0].body);
    let a = db.account(p0.member_id()).await.unwrap().unwrap();
    assert_eq!(a.status, Status::Deleted);
    assert!(a.access_token.expose().is_empty() && a.application_token.is_none());
    assert_eq!(
        db.data(p0.member_id(), "greeting")
            .await
            .unwrap()
            .as_deref(),
        Some("hello")
    );
    // The same uninstall again, before any reinstall: nothing to remove.
    let (url, body) = p0.last_delivery("ONAPPUNINSTALL").unwrap();
    let replay = p0.post_form(&url, &body).await.unwrap();
    assert_eq!(replay.status, 404, "{}", replay.body);

    assert!(cloud.install(0).await.unwrap().ok());
    let replay = p0.post_form(&url, &body).await.unwrap();
    assert!(
        replay.status == 403 || replay.status == 409,
        "{}",
        replay.body
    );
    let a = db.account(p0.member_id()).await.unwrap().unwrap();
    assert_eq!(a.status, Status::Active);
    assert_eq!(
        db.data(p0.member_id(), "greeting")
            .await
            .unwrap()
            .as_deref(),
        Some("hello")
    );
    assert_eq!(served.recorder.uninstalled.lock().unwrap().len(), 1);

    // Even with the current application token, an uninstall older than the installation.
    let old = form(
        &json!({"event": "ONAPPUNINSTALL", "data": {"CLEAN": "1"}, "ts": "1000",
        "auth": {"member_id": p0.member_id(), "application_token": p0.application_token()}}),
    );
    let (status, answer) = post(&format!("{}events", served.base), old).await;
    assert_eq!(status, 409, "{answer}");
    assert_eq!(answer["error"], "REPLAYED");
    assert_eq!(
        db.account(p0.member_id()).await.unwrap().unwrap().status,
        Status::Active
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_checks_the_users_token_against_the_stored_portal() {
    let mut cloud = Cloud::start(2, common::portal_config()).await.unwrap();
    let (db, _dir) = common::sqlite().await;
    let served = common::serve(&mut cloud, db.clone(), false).await;
    assert!(cloud.install(0).await.unwrap().ok());
    assert!(cloud.install(1).await.unwrap().ok());
    let reg = cloud.app().clone();
    let opened = cloud
        .portal(0)
        .open_page(&reg, "CRM_DEAL_DETAIL_TAB", json!({"ID": "7"}))
        .await
        .unwrap();
    assert_eq!(opened.status, 200, "{}", opened.body);
    assert!(opened.body.contains("CRM_DEAL_DETAIL_TAB"));
    // Portal 0's name with a token that portal 0 does not know (portal 1's).
    let (access1, _) = cloud.portal(1).tokens();
    let body = form(
        &json!({"AUTH_ID": access1, "member_id": cloud.portal(0).member_id(), "PLACEMENT": "DEFAULT"}),
    );
    let (status, answer) = post(&format!("{}app", served.base), body).await;
    assert_eq!(status, 403, "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_renewal_marks_the_account_and_keeps_the_last_good_pair() {
    let mut cloud = Cloud::start(1, common::portal_config()).await.unwrap();
    let (db, _dir) = common::sqlite().await;
    let served = common::serve(&mut cloud, db.clone(), false).await;
    let p0 = cloud.portal(0);
    assert!(cloud.install(0).await.unwrap().ok());
    let client = served.app.portal(p0.member_id()).await.unwrap();
    client.call_raw("app.info", json!({})).await.unwrap();
    // Someone else spends the refresh token (it leaked), then the access token expires.
    let (_, refresh) = p0.tokens();
    let reg = cloud.app().clone();
    let spent = reqwest::get(format!(
        "{}oauth/token/?grant_type=refresh_token&client_id={}&client_secret={}&refresh_token={refresh}",
        cloud.oauth_server_url(), reg.client_id, reg.client_secret
    ))
    .await
    .unwrap();
    assert_eq!(spent.status(), 200);
    let before = db.account(p0.member_id()).await.unwrap().unwrap();
    p0.expire_tokens();
    let err = client.call_raw("app.info", json!({})).await.unwrap_err();
    assert!(err.to_string().contains("invalid_grant"), "{err}");
    let after = db.account(p0.member_id()).await.unwrap().unwrap();
    assert_eq!(after.token_state, TokenState::RenewalFailed);
    assert!(after
        .renewal_error
        .as_deref()
        .unwrap_or("")
        .contains("invalid_grant"));
    assert_eq!(after.access_token.expose(), before.access_token.expose());
    assert_eq!(after.refresh_token.expose(), before.refresh_token.expose());
    // No token in the account's Debug.
    let shown = format!("{after:?}");
    assert!(
        !shown.contains(after.access_token.expose())
            && !shown.contains(after.refresh_token.expose())
    );
}
