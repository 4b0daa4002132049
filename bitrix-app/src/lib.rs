//! `bitrix-app`: a Bitrix24 application serving many portals.
//!
//! * **Install** (`POST /install`): the install wizard's POST (`AUTH_ID`, `REFRESH_ID`,
//!   `member_id`, `DOMAIN`) is verified at the application's OAuth server, never at the address
//!   the POST names; the account is stored (`new`), the events are bound, and the
//!   `ONAPPINSTALL` event that follows brings the application token (`active`). The installation
//!   callback (an `ONAPPINSTALL` POST with tokens, no wizard) works too.
//! * **Page and placements** (`POST /app`): the user's token is checked against the stored
//!   portal before the application's page handler runs.
//! * **Events** (`POST /events`): each delivery is verified against the application token of the
//!   portal it names (`auth[member_id]`), then decoded into the runtime's typed events.
//! * **Uninstall** (`ONAPPUNINSTALL`): verified like any event, refused when older than the
//!   installation; `CLEAN=1` removes the portal's rows, `0` keeps its data for a reinstall.
//! * **Accounts** in SQLite (a file, the embedded default) or PostgreSQL (several processes),
//!   with the same migrations (`migrations/`): lifecycle, domain history, scopes, installing
//!   user, version, tokens. [`App::portal`] gives a [`bitrix_runtime::Client`] whose renewals are
//!   written back once per expiry across processes ([`AccountTokens`]) and, on PostgreSQL,
//!   whose requests are paced together with every other process's ([`PortalBucket`]: one
//!   rate-bucket row per portal, reserved in one statement by the database's clock; if the
//!   database does not answer, the client paces alone rather than fail the call).
//!
//! ```no_run
//! use bitrix_app::{App, AppConfig, AppHandler, BoxFuture, Db, HandlerError, PortalContext};
//! use bitrix_runtime::events::Incoming;
//!
//! struct Deals;
//!
//! impl AppHandler for Deals {
//!     fn event(&self, portal: PortalContext, event: Incoming) -> BoxFuture<'_, Result<(), HandlerError>> {
//!         Box::pin(async move {
//!             println!("{} on {}", event.event.name(), portal.domain);
//!             Ok(())
//!         })
//!     }
//! }
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let db = Db::sqlite("app.sqlite3").await?;
//! let config = AppConfig::new("app.123", "secret", "https://app.example.com/").event("ONCRMDEALADD");
//! let app = App::new(config, db, Deals)?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, app.router()).await?;
//! # Ok(()) }
//! ```

mod app;
mod config;
pub mod db;
mod error;
mod handlers;
mod pacing;
mod tokens;
mod verify;

pub use app::{html_escape, App, AppHandler, BoxFuture, HandlerError, Page, PortalContext};
pub use config::AppConfig;
pub use db::{Account, Backend, Db, DbError, Status, TokenState};
pub use error::AppError;
pub use pacing::PortalBucket;
pub use tokens::{AccountTokens, DEFAULT_LEASE};
