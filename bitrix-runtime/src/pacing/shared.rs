//! The extension point for a rate bucket kept outside the process (a database row, a key-value
//! store), so that several processes calling the same portal share one budget.

use std::time::Duration;

use crate::auth::BoxFuture;

/// Why a [`SharedBucket`] could not answer (the store is unreachable, a statement failed).
pub type SharedBucketError = Box<dyn std::error::Error + Send + Sync>;

/// A leaky bucket of one portal kept where every process calling it can reach it.
///
/// The client's own bucket (set by [`Plan`](crate::Plan)) is per process: clones and tasks share
/// it, but two processes each send the plan's full rate. With
/// [`ClientBuilder::shared_bucket`](crate::ClientBuilder::shared_bucket), every request first
/// [`reserve`](SharedBucket::reserve)s its slot here instead. The store must do the whole
/// reservation atomically (drain by elapsed time, add the drop, compute the wait) with one clock
/// for every process, e.g. a database's own clock in one `UPDATE … RETURNING`.
///
/// When a call fails, the client paces that request with its own bucket and goes on (logged at
/// debug level): a store outage must not stop calls that the portal would still accept, and the
/// portal's `QUERY_LIMIT_EXCEEDED` answer, which the client retries, remains the backstop.
///
/// ```
/// use std::sync::Mutex;
/// use std::time::{Duration, Instant};
/// use bitrix_runtime::auth::BoxFuture;
/// use bitrix_runtime::{SharedBucket, SharedBucketError};
///
/// /// Level and time of the last reservation (a real store keeps them in a row).
/// struct InMemory(Mutex<(f64, Instant)>);
///
/// impl SharedBucket for InMemory {
///     fn reserve(&self, rate: f64, capacity: f64) -> BoxFuture<'_, Result<Duration, SharedBucketError>> {
///         Box::pin(async move {
///             let mut state = self.0.lock().unwrap();
///             let now = Instant::now();
///             let drained = (state.0 - (now - state.1).as_secs_f64() * rate).max(0.0);
///             *state = (drained + 1.0, now);
///             Ok(Duration::from_secs_f64(((drained + 1.0 - capacity) / rate).max(0.0)))
///         })
///     }
/// }
/// ```
pub trait SharedBucket: Send + Sync + 'static {
    /// Reserves the next request slot of a bucket draining `rate` drops a (real) second and
    /// holding `capacity` drops; returns how long to wait before sending in it. Reservations
    /// count at once, so that concurrent callers in every process queue behind each other.
    fn reserve(
        &self,
        rate: f64,
        capacity: f64,
    ) -> BoxFuture<'_, Result<Duration, SharedBucketError>>;

    /// The portal answered that its bucket is full: mark the shared one full as well (at least
    /// `capacity`), so that every process waits for it to drain. The default does nothing.
    fn saturate(&self, rate: f64, capacity: f64) -> BoxFuture<'_, Result<(), SharedBucketError>> {
        let _ = (rate, capacity);
        Box::pin(async { Ok(()) })
    }
}
