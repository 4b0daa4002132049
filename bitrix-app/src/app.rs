//! The application: its configuration, database, handler, and one client per portal.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bitrix_runtime::events::Incoming;
use bitrix_runtime::{Client, OAuthConfig};

use crate::config::AppConfig;
use crate::db::{Account, Db, Status};
use crate::error::AppError;
use crate::pacing::PortalBucket;
use crate::tokens::AccountTokens;
use crate::verify::Verifier;

/// A boxed future returned by [`AppHandler`] methods.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// An error of the application's own code.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// One portal as a handler sees it: who it is and a client for it.
#[derive(Clone, Debug)]
pub struct PortalContext {
    /// The portal's identifier.
    pub member_id: String,
    /// The portal's current domain.
    pub domain: String,
    /// A client for the portal (its tokens, renewal written back, pacing shared).
    pub client: Client,
    /// The application (for its database and other portals).
    pub app: App,
}

/// An opening of the application's page or a placement, verified.
#[derive(Clone, Debug)]
pub struct Page {
    /// The placement code (`DEFAULT` for the application's page).
    pub placement: String,
    /// `PLACEMENT_OPTIONS`, decoded when it is JSON.
    pub options: serde_json::Value,
    /// The interface language of the user.
    pub lang: String,
    /// A client acting as the user who opened the page (the page's own tokens, not renewed).
    pub user_client: Client,
}

/// What the application does; every method but [`event`](AppHandler::event) has a default.
pub trait AppHandler: Send + Sync + 'static {
    /// An event delivered by `portal`, verified against that portal's application token.
    fn event(
        &self,
        portal: PortalContext,
        event: Incoming,
    ) -> BoxFuture<'_, Result<(), HandlerError>>;

    /// The application was installed (the `ONAPPINSTALL` event arrived and was verified).
    fn installed(&self, _portal: PortalContext) -> BoxFuture<'_, Result<(), HandlerError>> {
        Box::pin(async { Ok(()) })
    }

    /// The application was uninstalled from `member_id`; with `clean` its data is gone.
    fn uninstalled(&self, _member_id: String, _clean: bool) -> BoxFuture<'_, ()> {
        Box::pin(async {})
    }

    /// The page (or a placement) was opened; the answer is the HTML to show.
    fn page(
        &self,
        portal: PortalContext,
        page: Page,
    ) -> BoxFuture<'_, Result<String, HandlerError>> {
        Box::pin(async move {
            Ok(format!(
                "<!doctype html><title>App</title><p>Portal {} ({})</p>",
                html_escape(&portal.domain),
                html_escape(&page.placement)
            ))
        })
    }
}

/// Escapes text for HTML.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

struct Inner {
    config: AppConfig,
    db: Db,
    verifier: Verifier,
    handler: Arc<dyn AppHandler>,
    /// One client per portal, so that its clones share tokens and pacing; keyed by member_id,
    /// rebuilt when the installation changes (`installed_at`).
    clients: Mutex<HashMap<String, (i64, Client)>>,
}

/// A Bitrix24 application serving many portals. Cheap to clone.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("config", &self.inner.config)
            .field("db", &self.inner.db.backend())
            .finish_non_exhaustive()
    }
}

impl App {
    /// An application with `config`, keeping accounts in `db`, doing what `handler` says.
    pub fn new(config: AppConfig, db: Db, handler: impl AppHandler) -> Result<App, AppError> {
        let oauth_server = url::Url::parse(&config.oauth_server)
            .map_err(|e| AppError::Internal(format!("bad oauth_server address: {e}")))?;
        bitrix_runtime::auth::check_address(&config.oauth_server, "oauth_server")
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let verifier = Verifier {
            http,
            oauth_server,
            client_id: config.client_id.clone(),
            client_secret: config.client_secret.clone(),
        };
        Ok(App {
            inner: Arc::new(Inner {
                config,
                db,
                verifier,
                handler: Arc::new(handler),
                clients: Mutex::new(HashMap::new()),
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &AppConfig {
        &self.inner.config
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub(crate) fn verifier(&self) -> &Verifier {
        &self.inner.verifier
    }

    pub(crate) fn handler(&self) -> &Arc<dyn AppHandler> {
        &self.inner.handler
    }

    /// A client for the portal `member_id`: its stored tokens, each renewal written back (once
    /// per expiry across processes), pacing shared by every clone and, on PostgreSQL, by every
    /// process using the database ([`PortalBucket`]). Refused for a portal that is
    /// not installed, blocked or deleted.
    pub async fn portal(&self, member_id: &str) -> Result<Client, AppError> {
        let account = self
            .db()
            .account(member_id)
            .await?
            .ok_or_else(|| AppError::NotInstalled(crate::verify::short(member_id)))?;
        self.client_for(&account)
    }

    /// The portal's context for a handler.
    pub(crate) fn context(&self, account: &Account) -> Result<PortalContext, AppError> {
        Ok(PortalContext {
            member_id: account.member_id.clone(),
            domain: account.domain.clone(),
            client: self.client_for(account)?,
            app: self.clone(),
        })
    }

    pub(crate) fn client_for(&self, account: &Account) -> Result<Client, AppError> {
        match account.status {
            Status::Active | Status::New => {}
            s => return Err(AppError::NotActive(s)),
        }
        let mut clients = self.inner.clients.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((installed_at, client)) = clients.get(&account.member_id) {
            if *installed_at == account.installed_at {
                return Ok(client.clone());
            }
        }
        let config = &self.inner.config;
        let oauth = OAuthConfig::new(
            account.portal_url(),
            config.client_id.clone(),
            config.client_secret.clone(),
            account.access_token.clone(),
            account.refresh_token.clone(),
        )
        .oauth_server(config.oauth_server.clone());
        let store = AccountTokens::new(self.db().clone(), account.member_id.clone(), config.lease);
        let mut builder = Client::builder().token_store(store);
        if let Some(plan) = config.plan {
            builder = builder.plan(plan);
        }
        if config.shared_pacing {
            if let Some(bucket) = PortalBucket::new(self.db().clone(), account.member_id.clone()) {
                builder = builder.shared_bucket(bucket);
            }
        }
        let client = builder
            .oauth(oauth)
            .map_err(|e| AppError::Internal(format!("a client for the portal: {e}")))?;
        clients.insert(
            account.member_id.clone(),
            (account.installed_at, client.clone()),
        );
        Ok(client)
    }

    /// Forgets the cached client of a portal (after an install or uninstall).
    pub(crate) fn forget(&self, member_id: &str) {
        self.inner
            .clients
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(member_id);
    }

    /// Blocks a portal: its events are refused and no client is given for it.
    pub async fn block(&self, member_id: &str) -> Result<bool, AppError> {
        self.forget(member_id);
        Ok(self.db().set_status(member_id, Status::Blocked).await?)
    }

    /// Unblocks a portal.
    pub async fn unblock(&self, member_id: &str) -> Result<bool, AppError> {
        Ok(self.db().set_status(member_id, Status::Active).await?)
    }
}
