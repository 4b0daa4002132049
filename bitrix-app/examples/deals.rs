//! An application that answers every new deal on the portal it was added on.
//!
//! At install it binds `ONCRMDEALADD` (with `ONAPPINSTALL` and `ONAPPUNINSTALL`); each new deal
//! gets a comment naming the portal, and a per-portal counter in the database.
//!
//! ```sh
//! # Against three emulated portals, in-process (no network, nothing to configure):
//! cargo run -p bitrix-app --example deals
//! # Serving real portals: the application's credentials, its public address, a database.
//! B24_CLIENT_ID=app.xxx B24_CLIENT_SECRET=... B24_PUBLIC_URL=https://app.example.com/ \
//! B24_DATABASE_URL='sqlite://deals.sqlite3?mode=rwc' B24_LISTEN=0.0.0.0:8080 \
//!     cargo run -p bitrix-app --example deals -- serve
//! ```
//!
//! For a real portal, register the application with install URL `PUBLIC_URL/install` and
//! handler (page) URL `PUBLIC_URL/app`, scope `crm`.

use bitrix_app::{App, AppConfig, AppHandler, BoxFuture, Db, HandlerError, PortalContext};
use bitrix_runtime::events::{Event, Incoming};
use serde_json::json;

/// The application: the same code for real and emulated portals.
struct DealAnswer;

impl AppHandler for DealAnswer {
    fn event(
        &self,
        portal: PortalContext,
        incoming: Incoming,
    ) -> BoxFuture<'_, Result<(), HandlerError>> {
        Box::pin(async move {
            let Event::OnCrmDealAdd(data) = &incoming.event else {
                return Ok(());
            };
            let id = data
                .fields
                .as_ref()
                .and_then(|f| f.id)
                .ok_or("a deal event without ID")?;
            let note = format!("Seen by the deals app on {}", portal.domain);
            portal
                .client
                .call_raw(
                    "crm.deal.update",
                    json!({"id": id, "fields": {"COMMENTS": note}}),
                )
                .await?;
            let n = portal
                .app
                .db()
                .add_data(&portal.member_id, "deals_answered", 1)
                .await?;
            println!("{}: answered deal {id} ({n} so far)", portal.domain);
            Ok(())
        })
    }

    fn installed(&self, portal: PortalContext) -> BoxFuture<'_, Result<(), HandlerError>> {
        Box::pin(async move {
            println!(
                "{}: installed (member_id {})",
                portal.domain, portal.member_id
            );
            Ok(())
        })
    }

    fn uninstalled(&self, member_id: String, clean: bool) -> BoxFuture<'_, ()> {
        Box::pin(async move { println!("{member_id}: uninstalled (clean: {clean})") })
    }
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

/// Serves real portals (or any emulator) as configured by the environment.
async fn serve() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = AppConfig::new(
        env("B24_CLIENT_ID")?,
        env("B24_CLIENT_SECRET")?,
        env("B24_PUBLIC_URL")?,
    )
    .event("ONCRMDEALADD");
    if let Ok(oauth) = std::env::var("B24_OAUTH_SERVER") {
        config = config.oauth_server(oauth);
    }
    let db = Db::connect(&env("B24_DATABASE_URL")?).await?;
    let app = App::new(config, db, DealAnswer)?;
    let listen = std::env::var("B24_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    println!("serving on {listen}");
    axum::serve(listener, app.router()).await?;
    Ok(())
}

/// Three emulated portals install the application, get deals, and one uninstalls it.
async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    let mut cloud = bitrix_mock::Cloud::start(3, bitrix_mock::Config::new()).await?;
    let dir = std::env::temp_dir().join(format!("bitrix-app-deals-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let db = Db::sqlite(dir.join("deals.sqlite3")).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}/", listener.local_addr()?);
    let reg = cloud.app().clone();
    let config = AppConfig::new(
        reg.client_id.clone(),
        reg.client_secret.clone(),
        base.clone(),
    )
    .oauth_server(cloud.oauth_server_url())
    .event("ONCRMDEALADD");
    let app = App::new(config, db.clone(), DealAnswer)?;
    let router = app.router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    cloud.register(format!("{base}install"), format!("{base}app"));
    let reg = cloud.app().clone();

    for i in 0..3 {
        let report = cloud.install(i).await?;
        if !report.ok() {
            return Err(format!("install on portal {i} failed: {report:?}").into());
        }
        let page = cloud
            .portal(i)
            .open_page(&reg, "DEFAULT", json!({}))
            .await?;
        println!(
            "{}: page answered {} ({} bytes)",
            cloud.portal(i).domain(),
            page.status,
            page.body.len()
        );
    }
    for i in 0..3 {
        for n in 1..=2 {
            let p = cloud.portal(i);
            let (id, reports) = p.add_deal(&format!("Deal {n}")).await?;
            if reports.iter().any(|r| r.status != 200) {
                return Err(
                    format!("deal {id} on {} was not handled: {reports:?}", p.domain()).into(),
                );
            }
        }
    }
    for p in cloud.portals() {
        for deal in p.emulator().records("crm") {
            println!(
                "{}: deal {} {:?} -> {}",
                p.domain(),
                deal["ID"],
                deal["TITLE"],
                deal["COMMENTS"]
            );
        }
    }
    cloud.portal(2).uninstall(true).await?;
    for a in db.accounts().await? {
        println!("account {} {} {:?}", a.member_id, a.domain, a.status);
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    match std::env::args().nth(1).as_deref() {
        Some("serve") => serve().await,
        None | Some("demo") => demo().await,
        Some(other) => Err(format!("unknown mode `{other}` (demo or serve)").into()),
    }
}
