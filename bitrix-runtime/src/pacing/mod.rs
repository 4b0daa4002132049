//! Limit-aware calling: a client-side leaky bucket set to the portal's plan, a bound on
//! concurrent requests, per-method operating-time tracking, and bounded retries with backoff and
//! jitter. One [`Pacer`] lives in the client's shared state, so every clone of a client and every
//! task calling through it share the same budget.
//!
//! A [`SharedBucket`] (set with `ClientBuilder::shared_bucket`) takes the rate bucket's place for
//! processes sharing one portal; the client's own bucket still counts every request and paces
//! alone whenever the shared one cannot answer.
//!
//! This is machinery only: it knows nothing of the client. What to retry and when to renew
//! lives in `client/` (`client/retry.rs`), the builder options in `client/options.rs`.

mod bucket;
mod shared;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};
use tokio::time::Instant;

use self::bucket::Bucket;
use crate::envelope::Time;

pub use self::shared::{SharedBucket, SharedBucketError};

/// The portal's plan, which sets how many HTTP requests it accepts (the leaky bucket).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Plan {
    /// Most plans: 2 requests a second, bursts up to 50.
    Standard,
    /// Enterprise: 5 requests a second, bursts up to 250.
    Enterprise,
    /// Another rate, e.g. an on-premise portal's own setting.
    Custom {
        /// Requests the bucket drains per second.
        per_second: f64,
        /// Requests it holds before refusing.
        burst: u32,
    },
    /// No client-side rate limit (an unlimited test portal, or pacing done elsewhere).
    Unlimited,
}

/// A plan's rate as the bucket reads it.
fn rate(r: bitrix_facts::Rate) -> (f64, f64) {
    (r.per_second, f64::from(r.burst))
}

impl Plan {
    /// `(drain per second, capacity)`, or `None` when unlimited (or a custom rate is not positive).
    pub fn bucket(self) -> Option<(f64, f64)> {
        match self {
            Plan::Standard => Some(rate(bitrix_facts::STANDARD)),
            Plan::Enterprise => Some(rate(bitrix_facts::ENTERPRISE)),
            Plan::Custom { per_second, burst }
                if per_second.is_finite() && per_second > 0.0 && burst > 0 =>
            {
                Some((per_second, f64::from(burst)))
            }
            Plan::Custom { .. } | Plan::Unlimited => None,
        }
    }
}

/// When and how often a call is tried again.
///
/// Retried: `503 QUERY_LIMIT_EXCEEDED` (the call did not run) after a backoff with jitter;
/// `429 OPERATION_TIME_LIMIT` after waiting until the method's `operating_reset_at` (from the last
/// answer of that method) if that is at most `max_operating_wait` away; a connection that could not
/// be made; and a timeout or broken connection after sending only for idempotent calls
/// ([`Method::IDEMPOTENT`](crate::Method::IDEMPOTENT) or
/// [`Client::call_idempotent`](crate::Client::call_idempotent)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included (1 = never retry).
    pub max_tries: u32,
    /// Backoff before the first retry; it doubles with each retry.
    pub base_delay: Duration,
    /// Upper bound of one backoff.
    pub max_delay: Duration,
    /// Longest wait for a method's operating-time reset (before a call, or after a 429).
    pub max_operating_wait: Duration,
}

impl Default for RetryPolicy {
    /// 5 tries, backoff from 0.5 s up to 30 s, waits for an operating-time reset up to 10 minutes.
    fn default() -> Self {
        RetryPolicy {
            max_tries: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_operating_wait: Duration::from_secs(600),
        }
    }
}

impl RetryPolicy {
    /// Never retry (each call is tried once); pacing before sending still applies.
    pub fn none() -> Self {
        RetryPolicy {
            max_tries: 1,
            ..RetryPolicy::default()
        }
    }
}

/// Pacing settings gathered by the client's builder.
#[derive(Debug, Clone)]
pub(crate) struct PacingConfig {
    pub(crate) plan: Plan,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_concurrent: usize,
    pub(crate) time_scale: f64,
    pub(crate) operating_budget: Duration,
    pub(crate) operating_reserve: Option<Duration>,
    pub(crate) shared: Option<Shared>,
}

/// A [`SharedBucket`] as the pacing state holds it (it need not be `Debug` itself).
#[derive(Clone)]
pub(crate) struct Shared(pub(crate) Arc<dyn SharedBucket>);

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedBucket")
    }
}

impl Default for PacingConfig {
    fn default() -> Self {
        PacingConfig {
            plan: Plan::Standard,
            retry: RetryPolicy::default(),
            max_concurrent: 50,
            time_scale: 1.0,
            operating_budget: Duration::from_secs(bitrix_facts::OPERATING_BUDGET_SECS),
            operating_reserve: None,
            shared: None,
        }
    }
}

/// What the last answer of one method said about its operating time.
#[derive(Debug, Clone, Copy)]
struct Operating {
    operating: f64,
    reset_at: f64,
    server_now: f64,
    seen: Instant,
}

/// The shared pacing state of a client.
#[derive(Debug)]
pub(crate) struct Pacer {
    bucket: Option<Mutex<Bucket>>,
    /// The shared bucket with the real-time `(rate, capacity)` it is asked for; only set when
    /// the plan has a bucket.
    shared: Option<(Shared, f64, f64)>,
    permits: Semaphore,
    operating: Mutex<HashMap<String, Operating>>,
    retry: RetryPolicy,
    scale: f64,
    threshold: f64,
    seed: AtomicU64,
}

impl Pacer {
    pub(crate) fn new(config: &PacingConfig) -> Self {
        let scale = config.time_scale;
        let limits = config.plan.bucket().map(|(rate, capacity)| {
            // Keep up to one drop of the burst free: requests sent in order can arrive a few
            // milliseconds apart in another order, and a full bucket would then refuse one.
            let safety = (capacity * 0.02).clamp(0.0, 1.0);
            (rate, capacity - safety)
        });
        let bucket = limits.map(|(rate, capacity)| Mutex::new(Bucket::new(rate, capacity, scale)));
        // The shared store works in real time: a sped-up portal drains `scale` times faster.
        let shared = limits.and_then(|(rate, capacity)| {
            config
                .shared
                .clone()
                .map(|shared| (shared, rate * scale, capacity))
        });
        let budget = config.operating_budget.as_secs_f64();
        let reserve = config
            .operating_reserve
            .map_or(budget * 0.05, |r| r.as_secs_f64());
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9E37_79B9, |d| d.as_nanos() as u64)
            | 1;
        Pacer {
            bucket,
            shared,
            permits: Semaphore::new(config.max_concurrent.clamp(1, Semaphore::MAX_PERMITS)),
            operating: Mutex::new(HashMap::new()),
            retry: config.retry.clone(),
            scale,
            threshold: budget - reserve,
            seed: AtomicU64::new(seed),
        }
    }

    fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
        // Only plain numbers are updated under these locks; a panic elsewhere leaves them usable.
        m.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for the method's operating budget, a concurrency permit and a bucket slot.
    pub(crate) async fn acquire(&self, method: &str) -> Option<SemaphorePermit<'_>> {
        if let Some(wait) = self.operating_wait(method, true) {
            tracing::debug!(target: "bitrix_rest", method, wait_ms = wait.as_millis() as u64, reason = "operating", "pacing wait");
            tokio::time::sleep(wait).await;
            if let Some(op) = Self::lock(&self.operating).get_mut(method) {
                // The oldest minute has left the window; the next answer tells the new figure.
                op.operating = 0.0;
            }
        }
        // The semaphore is never closed, so this only fails if it were.
        let permit = self.permits.acquire().await.ok();
        if let Some(bucket) = &self.bucket {
            // The own bucket counts every request even when a shared one paces, so that it
            // knows this process's recent sends if it has to take over.
            let mut wait = Self::lock(bucket).reserve(Instant::now());
            if let Some((shared, rate, capacity)) = &self.shared {
                match shared.0.reserve(*rate, *capacity).await {
                    Ok(shared_wait) => wait = shared_wait,
                    Err(error) => {
                        tracing::debug!(target: "bitrix_rest", method, error = %error, "shared bucket unavailable; pacing with the client's own");
                    }
                }
            }
            if !wait.is_zero() {
                tracing::debug!(target: "bitrix_rest", method, wait_ms = wait.as_millis() as u64, reason = "rate", "pacing wait");
                tokio::time::sleep(wait).await;
            }
        }
        permit
    }

    /// Notes the operating time an answer of `method` reported. Figures that cannot be true
    /// (NaN, infinite, negative, a clock before 1970) are ignored rather than trusted.
    pub(crate) fn record(&self, method: &str, time: Option<&Time>) {
        let Some(time) = time else { return };
        let (Some(operating), Some(reset_at)) = (time.operating, time.operating_reset_at) else {
            return;
        };
        let sane = |x: f64| x.is_finite() && x >= 0.0;
        let server_now = [time.finish, time.start]
            .into_iter()
            .find(|t| sane(*t) && *t > 0.0);
        let (Some(server_now), true) = (server_now, sane(operating)) else {
            return;
        };
        Self::lock(&self.operating).insert(
            method.to_string(),
            Operating {
                operating,
                reset_at: reset_at as f64,
                server_now,
                seen: Instant::now(),
            },
        );
    }

    /// The real time until the method's `operating_reset_at` (plus a second, as the portal
    /// rounds it down), if known, in the future and within the policy's limit. With `only_near`,
    /// only when the method is at or above its threshold.
    pub(crate) fn operating_wait(&self, method: &str, only_near: bool) -> Option<Duration> {
        let op = *Self::lock(&self.operating).get(method)?;
        if only_near && op.operating < self.threshold {
            return None;
        }
        let server_now = op.server_now + op.seen.elapsed().as_secs_f64() * self.scale;
        let remaining = op.reset_at + 1.0 - server_now;
        if !remaining.is_finite() || remaining <= 0.0 {
            return None;
        }
        // A reset too far away to convert is further than any policy waits.
        let wait = Duration::try_from_secs_f64(remaining / self.scale).ok()?;
        (wait <= self.retry.max_operating_wait).then_some(wait)
    }

    /// A backoff for retry number `retry` (1-based): exponential, capped, with full jitter in
    /// its upper half.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let base = self.retry.base_delay.as_secs_f64();
        let cap = self.retry.max_delay.as_secs_f64();
        let exp = base * 2f64.powi(retry.saturating_sub(1).min(30) as i32);
        let jitter = 0.5 + 0.5 * self.random();
        Duration::try_from_secs_f64((exp.min(cap) * jitter / self.scale).max(0.0))
            .unwrap_or(self.retry.max_delay)
    }

    /// Tries in all the policy allows.
    pub(crate) fn max_tries(&self) -> u32 {
        self.retry.max_tries
    }

    /// The portal said its bucket is full (503): later calls wait for it to drain, in every
    /// process when a shared bucket is set.
    pub(crate) async fn saturate(&self) {
        if let Some(bucket) = &self.bucket {
            Self::lock(bucket).saturate(Instant::now());
        }
        if let Some((shared, rate, capacity)) = &self.shared {
            if let Err(error) = shared.0.saturate(*rate, *capacity).await {
                tracing::debug!(target: "bitrix_rest", error = %error, "shared bucket unavailable to mark full");
            }
        }
    }

    /// A number in `[0, 1)` (xorshift; only for jitter).
    fn random(&self) -> f64 {
        let mut x = self.seed.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.seed.store(x, Ordering::Relaxed);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pacing_imports_nothing_from_the_client() {
        // Pacing is machinery; retries and renewal live in `client/`. Spelled in two halves so
        // that this test does not find itself.
        let client = concat!("crate::", "client");
        for (file, text) in [
            ("mod.rs", include_str!("mod.rs")),
            ("bucket.rs", include_str!("bucket.rs")),
            ("shared.rs", include_str!("shared.rs")),
        ] {
            assert!(!text.contains(client), "pacing/{file} imports from client/");
        }
    }

    #[test]
    fn plans_have_their_buckets() {
        assert_eq!(Plan::Standard.bucket(), Some((2.0, 50.0)));
        assert_eq!(Plan::Enterprise.bucket(), Some((5.0, 250.0)));
        assert_eq!(Plan::Unlimited.bucket(), None);
        let bad = Plan::Custom {
            per_second: 0.0,
            burst: 5,
        };
        assert_eq!(bad.bucket(), None);
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let p = Pacer::new(&PacingConfig::default());
        for retry in 1..10 {
            let d = p.backoff(retry).as_secs_f64();
            let full = (0.5 * 2f64.powi(retry as i32 - 1)).min(30.0);
            assert!(d >= full * 0.5 - 1e-9 && d <= full + 1e-9, "{retry}: {d}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn eight_tasks_share_one_bucket() {
        let p = std::sync::Arc::new(Pacer::new(&PacingConfig::default()));
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let p = p.clone();
            tasks.push(tokio::spawn(async move {
                let mut at = Vec::new();
                for _ in 0..20 {
                    drop(p.acquire("m").await);
                    at.push(start.elapsed().as_secs_f64());
                }
                at
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        all.sort_by(f64::total_cmp);
        // 160 requests: 49 at once, then one every 0.5 s.
        assert!(all[48] < 1e-6);
        assert!(
            (all[159] - (160.0 - 49.0) * 0.5).abs() < 1e-3,
            "{}",
            all[159]
        );
        // At every moment the portal's bucket (50, 2/s) would accept what was sent.
        for (i, t) in all.iter().enumerate() {
            let sent = (i + 1) as f64;
            assert!(sent - t * 2.0 <= 50.0 + 1e-9, "request {i} at {t}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn absurd_figures_never_panic_nor_wait_past_the_cap() {
        let p = Pacer::new(&PacingConfig::default());
        let absurd = [
            (-1e300, -1e300, 1e308, 1),
            (f64::NAN, f64::NAN, f64::NAN, i64::MAX),
            (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, i64::MIN),
            (1000.0, 1000.0, 1e9, i64::MAX),
            (1000.0, 1000.0, -5.0, 4_000_000_000_000),
        ];
        for (start, finish, operating, reset_at) in absurd {
            p.record(
                "m",
                Some(&Time {
                    start,
                    finish,
                    operating: Some(operating),
                    operating_reset_at: Some(reset_at),
                    ..Time::default()
                }),
            );
            assert!(p
                .operating_wait("m", false)
                .is_none_or(|w| w <= p.retry.max_operating_wait));
            let before = Instant::now();
            drop(p.acquire("m").await);
            assert!(before.elapsed() <= p.retry.max_operating_wait);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn waits_for_the_operating_reset_when_near_the_budget() {
        let p = Pacer::new(&PacingConfig {
            operating_budget: Duration::from_secs(10),
            operating_reserve: Some(Duration::from_secs(1)),
            ..PacingConfig::default()
        });
        let time = |operating: f64| Time {
            finish: 1000.0,
            operating: Some(operating),
            operating_reset_at: Some(1100),
            ..Time::default()
        };
        p.record("m", Some(&time(5.0)));
        let start = Instant::now();
        drop(p.acquire("m").await);
        assert!(start.elapsed() < Duration::from_millis(1));
        p.record("m", Some(&time(9.5)));
        drop(p.acquire("other").await);
        assert!(start.elapsed() < Duration::from_millis(1));
        drop(p.acquire("m").await);
        let waited = start.elapsed().as_secs_f64();
        assert!((waited - 101.0).abs() < 0.01, "{waited}");
    }

    /// A shared bucket that records what it is asked and answers a fixed wait, or fails.
    #[derive(Default)]
    struct Recording {
        asked: Mutex<Vec<(f64, f64)>>,
        saturated: Mutex<Vec<(f64, f64)>>,
        fail: bool,
    }

    impl SharedBucket for Arc<Recording> {
        fn reserve(
            &self,
            rate: f64,
            capacity: f64,
        ) -> crate::auth::BoxFuture<'_, Result<Duration, SharedBucketError>> {
            Box::pin(async move {
                self.asked.lock().unwrap().push((rate, capacity));
                if self.fail {
                    return Err("store unreachable".into());
                }
                Ok(Duration::from_secs(3))
            })
        }

        fn saturate(
            &self,
            rate: f64,
            capacity: f64,
        ) -> crate::auth::BoxFuture<'_, Result<(), SharedBucketError>> {
            Box::pin(async move {
                self.saturated.lock().unwrap().push((rate, capacity));
                Ok(())
            })
        }
    }

    fn with_shared(shared: &Arc<Recording>, plan: Plan, scale: f64) -> Pacer {
        Pacer::new(&PacingConfig {
            plan,
            time_scale: scale,
            shared: Some(Shared(Arc::new(shared.clone()))),
            ..PacingConfig::default()
        })
    }

    #[tokio::test(start_paused = true)]
    async fn a_shared_bucket_decides_the_wait_in_real_time() {
        let shared = Arc::new(Recording::default());
        let p = with_shared(&shared, Plan::Standard, 10.0);
        let start = Instant::now();
        drop(p.acquire("m").await);
        // The shared answer (3 s) wins over the own bucket's (none for the first request).
        assert_eq!(start.elapsed(), Duration::from_secs(3));
        p.saturate().await;
        // Real drops a second (2 x the time scale) and the capacity less the safety drop.
        assert_eq!(*shared.asked.lock().unwrap(), vec![(20.0, 49.0)]);
        assert_eq!(*shared.saturated.lock().unwrap(), vec![(20.0, 49.0)]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failing_shared_bucket_falls_back_to_the_own_one() {
        let shared = Arc::new(Recording {
            fail: true,
            ..Recording::default()
        });
        let p = with_shared(&shared, Plan::Standard, 1.0);
        let start = Instant::now();
        for _ in 0..51 {
            drop(p.acquire("m").await);
        }
        // Paced as without a shared bucket: 49 at once, then one every 0.5 s.
        assert_eq!(start.elapsed(), Duration::from_secs(1));
        assert_eq!(shared.asked.lock().unwrap().len(), 51);
    }

    #[tokio::test(start_paused = true)]
    async fn an_unlimited_plan_never_asks_the_shared_bucket() {
        let shared = Arc::new(Recording::default());
        let p = with_shared(&shared, Plan::Unlimited, 1.0);
        drop(p.acquire("m").await);
        p.saturate().await;
        assert!(shared.asked.lock().unwrap().is_empty());
        assert!(shared.saturated.lock().unwrap().is_empty());
    }
}
