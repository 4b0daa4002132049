//! Many portals and the OAuth server of one application, as the Bitrix24 cloud presents them to
//! an application installed on many portals.
//!
//! Each [`Portal`] is a full emulator (its own address, so its own domain, `member_id`, store and
//! tokens); the [`Cloud`] adds an OAuth server that knows the application's `client_id` and
//! `client_secret` and renews the pair of every portal the application is installed on. A
//! portal installs the application the way Bitrix24 does: it POSTs the install URL with
//! `AUTH_ID`/`REFRESH_ID`/`member_id`/`DOMAIN`, and once the application answered, it sends
//! `ONAPPINSTALL` with the application token to the handler the application bound with
//! `event.bind` during the install; it opens the application's page with a POST, and uninstalls
//! with `ONAPPUNINSTALL`. Bindings and deliveries are the emulator's own (`events/`): `event.bind`
//! books the handler for the cloud's application, and a store write raises what the event specs'
//! `[[raise]]` facts say, to the portal's handlers, with the cloud's OAuth server in `auth`.

mod lifecycle;
mod oauth;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

pub use lifecycle::InstallReport;

use crate::state::Shared;
use crate::{Config, DeliveryReport, Emulator};

/// The application as registered with the cloud: its credentials and addresses.
#[derive(Clone)]
pub struct AppRegistration {
    /// The application's `client_id`.
    pub client_id: String,
    /// The application's `client_secret`.
    pub client_secret: String,
    /// The install URL the portal POSTs (`AUTH_ID`, `REFRESH_ID`, `member_id`, `DOMAIN`).
    pub install_url: String,
    /// The application's page (also the placements' handler).
    pub page_url: String,
    /// The version sent in `ONAPPINSTALL`.
    pub version: u32,
}

impl std::fmt::Debug for AppRegistration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppRegistration")
            .field("client_id", &self.client_id)
            .field("install_url", &self.install_url)
            .field("page_url", &self.page_url)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// An event handler bound on a portal with `event.bind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The event, upper-case (`ONCRMDEALADD`).
    pub event: String,
    /// The handler address.
    pub handler: String,
    /// The binding's ID (`event_handler_id` in deliveries).
    pub id: u64,
}

/// What a cloud portal knows about the application beyond the emulator's own state.
#[derive(Debug, Default)]
pub(crate) struct AppState {
    /// Whether the application is installed (its tokens work).
    pub installed: bool,
    /// The last lifecycle body delivered per event (`ONAPPINSTALL`, `ONAPPUNINSTALL`), for
    /// replay tests.
    pub last_bodies: BTreeMap<String, (String, String)>,
    /// Refreshes granted by the cloud's OAuth server for this portal.
    pub refreshes: usize,
}

/// What the cloud shares with its portals' routes and its OAuth server.
#[derive(Debug)]
pub(crate) struct PortalState {
    pub shared: Arc<Shared>,
    pub app: Mutex<AppState>,
    pub oauth_url: String,
    /// One `add_deal` at a time, so that the deliveries it waits for are its own.
    pub writes: tokio::sync::Mutex<()>,
}

impl PortalState {
    pub(crate) fn app(&self) -> std::sync::MutexGuard<'_, AppState> {
        self.app.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One emulated portal of a [`Cloud`].
#[derive(Debug)]
pub struct Portal {
    emulator: Emulator,
    state: Arc<PortalState>,
    member_id: String,
}

impl Portal {
    /// The portal's identifier.
    pub fn member_id(&self) -> &str {
        &self.member_id
    }

    /// The portal's domain, `127.0.0.1:PORT`.
    pub fn domain(&self) -> String {
        self.emulator.addr().to_string()
    }

    /// The emulator behind the portal (its webhook, records, clock, faults).
    pub fn emulator(&self) -> &Emulator {
        &self.emulator
    }

    /// The online handlers the application bound.
    pub fn bindings(&self) -> Vec<Binding> {
        let data = self.state.shared.data();
        let app = data.tokens.creds.client_id.clone();
        data.events
            .bindings
            .iter()
            .filter(|b| b.app == app && !b.offline())
            .map(|b| Binding {
                event: b.event.clone(),
                handler: b.handler.clone(),
                id: b.id,
            })
            .collect()
    }

    /// Whether the application is installed.
    pub fn installed(&self) -> bool {
        self.state.app().installed
    }

    /// How many renewals the OAuth server granted for this portal.
    pub fn refresh_count(&self) -> usize {
        self.state.app().refreshes
    }

    /// The application's current pair on this portal (for tests that play an attacker who
    /// knows it, or an app restarted from scratch).
    pub fn tokens(&self) -> (String, String) {
        let data = self.state.shared.data();
        (
            data.tokens.creds.access_token.clone(),
            data.tokens.creds.refresh_token.clone(),
        )
    }

    /// The application token the portal signs events with.
    pub fn application_token(&self) -> String {
        self.state
            .shared
            .data()
            .tokens
            .creds
            .application_token
            .clone()
    }

    /// Makes every access token of the application on this portal answer `expired_token` from
    /// now on (the current one and older ones not yet expired).
    pub fn expire_tokens(&self) {
        let mut data = self.state.shared.data();
        for expiry in data.tokens.access_expiry.values_mut() {
            *expiry = f64::NEG_INFINITY;
        }
    }

    /// The last body delivered for `event`, and where: `(url, body)`.
    pub fn last_delivery(&self, event: &str) -> Option<(String, String)> {
        self.state
            .app()
            .last_bodies
            .get(&event.to_ascii_uppercase())
            .cloned()
    }

    /// POSTs `body` (form-encoded) to `url` as the portal's event sender does: a replay.
    pub async fn post_form(&self, url: &str, body: &str) -> std::io::Result<DeliveryReport> {
        lifecycle::post(url, "REPLAY", body.to_string()).await
    }
}

/// Many portals and the OAuth server of one application.
#[derive(Debug)]
pub struct Cloud {
    portals: Vec<Portal>,
    oauth: oauth::OAuthServer,
    app: AppRegistration,
}

impl Cloud {
    /// Starts `n` portals (each an emulator built from `template`) and the OAuth server of an
    /// application with fresh credentials, whose addresses are set later with
    /// [`register`](Cloud::register).
    pub async fn start(n: usize, template: Config) -> std::io::Result<Cloud> {
        let seed = std::process::id() as u64 ^ n as u64;
        let app = AppRegistration {
            client_id: format!("app.{}", lifecycle::random_hex(seed, 16)),
            client_secret: lifecycle::random_hex(seed ^ 0x5ec2e7, 40),
            install_url: String::new(),
            page_url: String::new(),
            version: 1,
        };
        let oauth =
            oauth::OAuthServer::start(app.client_id.clone(), app.client_secret.clone()).await?;
        let mut cloud = Cloud {
            portals: Vec::with_capacity(n),
            oauth,
            app,
        };
        for _ in 0..n {
            cloud.add_portal(template.clone()).await?;
        }
        Ok(cloud)
    }

    /// Adds one more portal.
    pub async fn add_portal(&mut self, config: Config) -> std::io::Result<&Portal> {
        let emulator = Emulator::start(config).await?;
        let shared = emulator.shared.clone();
        let member_id = {
            let mut data = shared.data();
            // The portal's own single-application credentials give way to the cloud's
            // application, not installed yet: no token of it works.
            data.tokens.creds.client_id = self.app.client_id.clone();
            data.tokens.creds.client_secret = self.app.client_secret.clone();
            data.tokens.creds.access_token.clear();
            data.tokens.creds.refresh_token.clear();
            data.tokens.access_expiry.clear();
            data.tokens.server_endpoint = Some(format!("{}rest/", self.oauth.url()));
            data.tokens.member_id.clone()
        };
        let state = Arc::new(PortalState {
            shared,
            app: Mutex::new(AppState::default()),
            oauth_url: self.oauth.url(),
            writes: tokio::sync::Mutex::new(()),
        });
        self.oauth.add(state.clone());
        self.portals.push(Portal {
            emulator,
            state,
            member_id,
        });
        Ok(self.portals.last().expect("just pushed"))
    }

    /// Sets where the application lives (install URL, page).
    pub fn register(&mut self, install_url: impl Into<String>, page_url: impl Into<String>) {
        self.app.install_url = install_url.into();
        self.app.page_url = page_url.into();
    }

    /// The application's registration (credentials, addresses).
    pub fn app(&self) -> &AppRegistration {
        &self.app
    }

    /// The OAuth server's address (it serves `/oauth/token/`).
    pub fn oauth_server_url(&self) -> String {
        self.oauth.url()
    }

    /// Delays every answer of the OAuth server by `delay` before it renews anything (a slow
    /// server; a client that disconnects meanwhile renews nothing).
    pub fn set_oauth_delay(&self, delay: std::time::Duration) {
        self.oauth.set_delay(delay);
    }

    /// How many renewals the OAuth server granted in all.
    pub fn refresh_count(&self) -> usize {
        self.portals.iter().map(Portal::refresh_count).sum()
    }

    /// The portals.
    pub fn portals(&self) -> &[Portal] {
        &self.portals
    }

    /// Portal `i`.
    pub fn portal(&self, i: usize) -> &Portal {
        &self.portals[i]
    }

    /// Installs the application on portal `i` (see [`Portal::install`]).
    pub async fn install(&self, i: usize) -> std::io::Result<InstallReport> {
        self.portals[i].install(&self.app).await
    }
}
