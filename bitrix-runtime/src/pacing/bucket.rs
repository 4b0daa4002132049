//! The client-side copy of the portal's leaky bucket: each request adds a drop, the bucket drains
//! at the plan's rate, and a request that would overflow waits for its slot instead.

use std::time::Duration;

use tokio::time::Instant;

/// A leaky bucket that hands out send times. Reservations count at once, so concurrent callers
/// queue behind each other instead of all waiting for the same slot.
#[derive(Debug)]
pub(crate) struct Bucket {
    rate: f64,
    capacity: f64,
    level: f64,
    last: Instant,
    /// Portal seconds per real second (1.0 outside tests against a sped-up emulator).
    scale: f64,
}

impl Bucket {
    /// A bucket draining `rate` drops a (portal) second and holding `capacity` drops.
    pub(crate) fn new(rate: f64, capacity: f64, scale: f64) -> Self {
        Bucket {
            rate,
            capacity,
            level: 0.0,
            last: Instant::now(),
            scale,
        }
    }

    fn drain(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64() * self.scale;
        self.level = (self.level - elapsed * self.rate).max(0.0);
        self.last = now;
    }

    /// Reserves the next slot and returns how long (real time) to wait before sending in it.
    pub(crate) fn reserve(&mut self, now: Instant) -> Duration {
        self.drain(now);
        let wait = ((self.level + 1.0 - self.capacity) / self.rate).max(0.0);
        self.level += 1.0;
        // Finite by construction (rate and scale are checked positive); saturate just in case.
        Duration::try_from_secs_f64(wait / self.scale).unwrap_or(Duration::MAX)
    }

    /// The portal said the bucket is full (503): assume it is, so later calls wait for drain.
    pub(crate) fn saturate(&mut self, now: Instant) {
        self.drain(now);
        self.level = self.level.max(self.capacity);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn burst_then_rate() {
        let mut b = Bucket::new(2.0, 50.0, 1.0);
        let now = Instant::now();
        for _ in 0..50 {
            assert_eq!(b.reserve(now), Duration::ZERO);
        }
        assert_eq!(b.reserve(now), Duration::from_millis(500));
        assert_eq!(b.reserve(now), Duration::from_millis(1000));
        tokio::time::advance(Duration::from_secs(10)).await;
        // 10 s drained 20 drops; 52 were counted, so 32 remain and 18 pass at once.
        let now = Instant::now();
        for _ in 0..18 {
            assert_eq!(b.reserve(now), Duration::ZERO);
        }
        assert_eq!(b.reserve(now), Duration::from_millis(500));
    }

    #[tokio::test(start_paused = true)]
    async fn scale_shortens_waits_and_saturate_fills() {
        let mut b = Bucket::new(2.0, 50.0, 10.0);
        let now = Instant::now();
        b.saturate(now);
        assert_eq!(b.reserve(now), Duration::from_millis(50));
    }
}
