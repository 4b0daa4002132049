//! The leaky bucket of request intensity: each HTTP request adds one drop, the bucket drains at a
//! fixed rate, and a request that would lift it above the capacity is refused with 503.

/// One portal's bucket.
#[derive(Debug, Clone)]
pub struct Bucket {
    drain_per_sec: f64,
    capacity: f64,
    level: f64,
    last: f64,
}

impl Bucket {
    /// An empty bucket draining `drain_per_sec` and holding `capacity` drops, at time `now`.
    pub fn new(drain_per_sec: f64, capacity: f64, now: f64) -> Self {
        Bucket {
            drain_per_sec,
            capacity,
            level: 0.0,
            last: now,
        }
    }

    /// Adds a drop at `now` if it fits; `false` means the request is refused (and not counted).
    pub fn try_add(&mut self, now: f64) -> bool {
        // The clock may be set back between calls only through rebasing; never drain negatively.
        let elapsed = (now - self.last).max(0.0);
        self.level = (self.level - elapsed * self.drain_per_sec).max(0.0);
        self.last = now;
        // A tiny tolerance keeps float rounding from refusing the call that exactly fills the bucket.
        if self.level + 1.0 > self.capacity + 1e-9 {
            return false;
        }
        self.level += 1.0;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifty_pass_then_two_a_second() {
        let mut b = Bucket::new(2.0, 50.0, 0.0);
        assert!((0..50).all(|_| b.try_add(0.0)));
        assert!(!b.try_add(0.0));
        assert!(b.try_add(1.0));
        assert!(b.try_add(1.0));
        assert!(!b.try_add(1.0));
    }
}
