//! An app-provided place for the OAuth pair, shared by clients and processes: read before a
//! renewal (another client may have renewed already), written after one.

use std::future::Future;
use std::pin::Pin;

use super::tokens::TokenPair;
use crate::error::AuthError;
use crate::secret::Secret;

/// Spends a refresh token at the OAuth server for a new pair (handed to [`TokenStore::renew`]).
pub type Grant<'a> =
    Box<dyn FnOnce(Secret) -> BoxFuture<'a, Result<TokenPair, AuthError>> + Send + 'a>;

/// What [`TokenStore::renew`] brings back: the pair to use, and whether this call had it issued
/// (`false`: another client or process renewed first and the store handed its pair over).
#[derive(Debug, Clone)]
pub struct Renewed {
    /// The pair to use from now on.
    pub pair: TokenPair,
    /// Whether the OAuth server issued it to this call.
    pub issued: bool,
}

/// A boxed future, so that [`TokenStore`] stays object safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where an app keeps the OAuth pair (a database row, a file, a key-value store), so that several
/// clients and processes of the same application share one pair.
///
/// A refresh token works once: when two processes hold the same pair and both renew it, the
/// second renewal fails. With a store, a client first [`load`](TokenStore::load)s the pair: if it
/// is another than the one that just expired, someone renewed already and the client uses it;
/// otherwise it renews and [`save`](TokenStore::save)s the new pair.
///
/// ```
/// use std::sync::Mutex;
/// use bitrix_runtime::auth::{BoxFuture, TokenStore};
/// use bitrix_runtime::TokenPair;
///
/// struct InMemory(Mutex<Option<TokenPair>>);
///
/// impl TokenStore for InMemory {
///     fn load(&self) -> BoxFuture<'_, Option<TokenPair>> {
///         Box::pin(async move { self.0.lock().unwrap().clone() })
///     }
///     fn save<'a>(&'a self, pair: &'a TokenPair) -> BoxFuture<'a, ()> {
///         Box::pin(async move { *self.0.lock().unwrap() = Some(pair.clone()) })
///     }
/// }
/// ```
pub trait TokenStore: Send + Sync + 'static {
    /// The latest stored pair, or `None` when there is none (or it cannot be read).
    fn load(&self) -> BoxFuture<'_, Option<TokenPair>>;
    /// Stores a freshly issued pair.
    fn save<'a>(&'a self, pair: &'a TokenPair) -> BoxFuture<'a, ()>;

    /// Replaces the pair whose access token `failed` expired. The default loads the stored pair
    /// (someone else may have renewed already), else spends `refresh` through `grant` and saves
    /// the answer. A store shared by processes overrides it to let one renewal run at a time
    /// (a row lock, a lease, a compare-and-swap on the refresh token), so that a refresh token is
    /// spent once however many processes saw the expiry.
    fn renew<'a>(
        &'a self,
        failed: &'a Secret,
        refresh: &'a Secret,
        grant: Grant<'a>,
    ) -> BoxFuture<'a, Result<Renewed, AuthError>> {
        Box::pin(async move {
            if let Some(pair) = self.load().await.filter(|p| p.access_token != *failed) {
                return Ok(Renewed {
                    pair,
                    issued: false,
                });
            }
            let pair = grant(refresh.clone()).await?;
            self.save(&pair).await;
            Ok(Renewed { pair, issued: true })
        })
    }
}
