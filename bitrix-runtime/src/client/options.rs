//! The builder's pacing and retry options (the machinery itself is in `pacing/`).

use std::time::Duration;

use super::ClientBuilder;
use crate::pacing::{Plan, RetryPolicy, Shared, SharedBucket};

impl ClientBuilder {
    /// The portal's plan: the client paces requests to its leaky bucket (default
    /// [`Plan::Standard`], the safe choice when unsure). The client keeps one drop of the burst in
    /// reserve against network jitter.
    #[must_use]
    pub fn plan(mut self, plan: Plan) -> Self {
        self.pacing.plan = plan;
        self
    }

    /// Paces requests with a bucket shared by every process calling the portal (see
    /// [`SharedBucket`]) instead of this client's own, which then only stands in when the shared
    /// one cannot answer. Has no effect with [`Plan::Unlimited`].
    #[must_use]
    pub fn shared_bucket(mut self, bucket: impl SharedBucket) -> Self {
        self.pacing.shared = Some(Shared(std::sync::Arc::new(bucket)));
        self
    }

    /// Retry policy (default [`RetryPolicy::default`]; [`RetryPolicy::none`] turns retries off).
    #[must_use]
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.pacing.retry = retry;
        self
    }

    /// Most requests in flight at once across all clones (default 50; at least 1).
    #[must_use]
    pub fn max_concurrent(mut self, n: usize) -> Self {
        self.pacing.max_concurrent = n.max(1);
        self
    }

    /// The operating-time budget of one method over ten minutes (default 480 s, the cloud limit)
    /// and the reserve below it (default 5 % of it): when the last answer of a method reports
    /// `operating` at or above `budget - reserve`, the next call of that method waits until its
    /// `operating_reset_at` (at most [`RetryPolicy::max_operating_wait`]) instead of being blocked.
    #[must_use]
    pub fn operating_budget(mut self, budget: Duration, reserve: Duration) -> Self {
        self.pacing.operating_budget = budget;
        self.pacing.operating_reserve = Some(reserve);
        self
    }

    /// **Testing only.** Portal seconds per real second, to pace against an emulator whose clock
    /// runs `factor` times faster (`bitrix_mock::Config::clock_speed`). Every pacing wait and
    /// backoff is divided by it. Never set it for a real portal.
    #[doc(hidden)]
    #[must_use]
    pub fn time_scale(mut self, factor: f64) -> Self {
        if factor.is_finite() && factor > 0.0 {
            self.pacing.time_scale = factor;
        }
        self
    }
}
