//! An app-provided place for the OAuth pair, shared by clients and processes: read before a
//! renewal (another client may have renewed already), written after one.

use std::future::Future;
use std::pin::Pin;

use super::oauth::TokenPair;

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
}
