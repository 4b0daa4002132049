//! An application that subscribes to portal events: at start it binds `ONCRMDEALADD` and
//! `ONTASKADD` to its own axum handler with `event.bind` (OAuth: binding is for applications),
//! and every deal or task created on the portal reaches the handler as a typed event, its
//! `application_token` checked by `events::Receiver`.
//!
//! It runs against the emulator, started in-process: it creates a deal and a task through the
//! SDK, prints the two events as they arrive, and exits.
//!
//! ```sh
//! cargo run -p bitrix-rest --no-default-features --features axum,core,crm,tasks,task --example events_app
//! ```
#![allow(deprecated)] // crm.deal.* are deprecated upstream for crm.item.*; both raise ONCRMDEALADD

use std::time::Duration;

use bitrix_rest::api::core::event;
use bitrix_rest::api::crm::deal;
use bitrix_rest::api::tasks;
use bitrix_rest::events::{Event, Incoming, Receiver};
use bitrix_rest::{Client, OAuthConfig};
use tokio::sync::mpsc;

/// What the handler does with an event: here, pass it on to `main`.
async fn on_event(seen: mpsc::UnboundedSender<String>, incoming: Incoming) {
    let line = match incoming.event {
        Event::OnCrmDealAdd(e) => format!("deal {:?} added", e.fields.and_then(|f| f.id)),
        Event::OnTaskAdd(e) => format!("task {:?} added", e.fields_after.and_then(|f| f.id)),
        other => format!("another event: {other:?}"),
    };
    let _ = seen.send(line);
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emu = bitrix_mock::Emulator::start(bitrix_mock::Config::new()).await?;
    let creds = emu.credentials();
    // The application's tokens, as the portal's install gave them; refreshed by the client.
    let oauth = OAuthConfig::new(
        emu.portal_url(),
        creds.client_id,
        creds.client_secret,
        creds.access_token,
        creds.refresh_token,
    )
    .oauth_server(emu.oauth_server_url());
    let client = Client::oauth(oauth)?;

    // The handler: POST / takes events signed with the application token.
    let (tx, mut seen) = mpsc::unbounded_channel();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let handler = format!("http://{}/", listener.local_addr()?);
    let app = bitrix_rest::events::axum::router(
        Receiver::new(creds.application_token),
        move |incoming| on_event(tx.clone(), incoming),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });

    for name in ["ONCRMDEALADD", "ONTASKADD"] {
        client
            .call(&event::Bind::new(name).handler(handler.clone()))
            .await?;
        println!("bound {name} to {handler}");
    }

    let deal = client
        .call(&deal::Add::new().fields(deal::add::Fields::new().title("Events demo")))
        .await?
        .result;
    println!("created deal {deal}");
    let fields = tasks::TaskFields::new()
        .title("Call the client")
        .responsible_id(1);
    client.call(&tasks::task::Add::new(fields)).await?;
    println!("created a task");

    for _ in 0..2 {
        let line = tokio::time::timeout(Duration::from_secs(10), seen.recv())
            .await?
            .ok_or("the handler stopped")?;
        println!("handler got: {line}");
    }
    Ok(())
}
