//! Shared by the integration tests: an application that records what it handles and answers new
//! deals, served on loopback, registered with an emulated cloud.

#![allow(dead_code)]

pub mod pg;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bitrix_app::{App, AppConfig, AppHandler, BoxFuture, Db, HandlerError, PortalContext};
use bitrix_mock::Cloud;
use bitrix_runtime::events::{Event, Incoming};
use serde_json::json;

/// One handled event: the portal the app handled it under, the portal the delivery named, and
/// the deal ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled {
    pub context_member: String,
    pub delivery_member: String,
    pub deal: i64,
}

/// Records every event; answers `ONCRMDEALADD` on the portal when `answer` is set.
#[derive(Default)]
pub struct Recorder {
    pub handled: Mutex<Vec<Handled>>,
    pub installed: Mutex<Vec<String>>,
    pub uninstalled: Mutex<Vec<(String, bool)>>,
    pub answer: bool,
}

pub fn deal_id(incoming: &Incoming) -> Option<i64> {
    match &incoming.event {
        Event::OnCrmDealAdd(d) => d.fields.as_ref().and_then(|f| f.id),
        _ => None,
    }
}

/// The handler the app runs: the shared recorder.
pub struct Handle(pub Arc<Recorder>);

impl AppHandler for Handle {
    fn event(
        &self,
        portal: PortalContext,
        incoming: Incoming,
    ) -> BoxFuture<'_, Result<(), HandlerError>> {
        Box::pin(async move {
            let deal = deal_id(&incoming).ok_or("not a deal event")?;
            if self.0.answer {
                portal
                    .client
                    .call_raw(
                        "crm.deal.update",
                        json!({"id": deal, "fields": {"COMMENTS": format!("seen by {}", portal.member_id)}}),
                    )
                    .await?;
            }
            portal
                .app
                .db()
                .add_data(&portal.member_id, "deals", 1)
                .await?;
            self.0.handled.lock().unwrap().push(Handled {
                context_member: portal.member_id.clone(),
                delivery_member: incoming.auth.member_id.clone().unwrap_or_default(),
                deal,
            });
            Ok(())
        })
    }

    fn installed(&self, portal: PortalContext) -> BoxFuture<'_, Result<(), HandlerError>> {
        Box::pin(async move {
            portal
                .app
                .db()
                .put_data(&portal.member_id, "greeting", "hello")
                .await?;
            self.0.installed.lock().unwrap().push(portal.member_id);
            Ok(())
        })
    }

    fn uninstalled(&self, member_id: String, clean: bool) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            self.0.uninstalled.lock().unwrap().push((member_id, clean));
        })
    }
}

/// An application served on loopback.
pub struct Served {
    pub app: App,
    pub recorder: Arc<Recorder>,
    pub base: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves an application for `cloud` on a loopback port, keeping accounts in `db`, and registers
/// its addresses with the cloud.
pub async fn serve(cloud: &mut Cloud, db: Db, answer: bool) -> Served {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/", listener.local_addr().unwrap());
    let reg = cloud.app().clone();
    let config = AppConfig::new(
        reg.client_id.clone(),
        reg.client_secret.clone(),
        base.clone(),
    )
    .oauth_server(cloud.oauth_server_url())
    .event("ONCRMDEALADD")
    .lease(Duration::from_secs(3));
    let recorder = Arc::new(Recorder {
        answer,
        ..Default::default()
    });
    let app = App::new(config, db, Handle(recorder.clone())).unwrap();
    let router = app.router();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    cloud.register(format!("{base}install"), format!("{base}app"));
    Served {
        app,
        recorder,
        base,
        task,
    }
}

/// A template for the cloud's portals: unlimited plan, a small call log.
pub fn portal_config() -> bitrix_mock::Config {
    bitrix_mock::Config::new().call_log(16)
}

/// An SQLite database in a fresh temp folder.
pub async fn sqlite() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::sqlite(dir.path().join("app.sqlite3")).await.unwrap();
    (db, dir)
}
