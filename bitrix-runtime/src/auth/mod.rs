//! How calls are authorized: an incoming webhook (code in the URL) or an OAuth application
//! (token in the body, renewed through the OAuth server).

mod address;
mod grant;
mod oauth;
mod store;
mod tokens;
mod webhook;

pub use address::check_address;
pub use oauth::{OAuth, OAuthConfig, RefreshCallback, DEFAULT_OAUTH_SERVER};
pub use store::{BoxFuture, Grant, Renewed, TokenStore};
pub use tokens::TokenPair;
pub use webhook::Webhook;

/// The authorization of a client.
#[derive(Debug)]
pub(crate) enum Auth {
    Webhook(Webhook),
    OAuth(Box<OAuth>),
}
