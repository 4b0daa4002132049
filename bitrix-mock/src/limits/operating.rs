//! Operating time: the emulated execution time of one method for one application, summed in
//! one-minute buckets over ten minutes. As documented (limits.md), a bucket collects the calls of
//! one clock minute and its ten minutes count from its first call: a first call at 10:05:20 makes
//! `operating_reset_at` 10:15:20, even if later calls of that minute came at 10:05:50.

use std::collections::HashMap;

use crate::envelope::Operating;

/// How long a minute bucket counts.
const WINDOW: f64 = 600.0;
/// The clock minute a bucket collects.
const MINUTE: f64 = 60.0;

/// Operating time of every (application, method) pair.
#[derive(Debug, Default)]
pub struct OperatingTime {
    buckets: HashMap<(String, String), Vec<(f64, f64)>>,
}

impl OperatingTime {
    /// The current figures for `app` and `method`, with expired buckets dropped. Before any call,
    /// `reset_at` is ten minutes from `now`.
    pub fn current(&mut self, app: &str, method: &str, now: f64) -> Operating {
        // Looked up, not inserted: names read from the network must not grow the map.
        let key = (app.to_string(), method.to_string());
        let Some(list) = self.buckets.get_mut(&key) else {
            return Operating {
                operating: 0.0,
                reset_at: (now + WINDOW).floor() as i64,
            };
        };
        list.retain(|(start, _)| start + WINDOW > now);
        let operating = list.iter().map(|(_, sum)| sum).sum();
        let reset_at = list
            .first()
            .map_or(now + WINDOW, |(start, _)| start + WINDOW);
        Operating {
            operating,
            reset_at: reset_at.floor() as i64,
        }
    }

    /// Whether the method is blocked for the application: the sum already exceeds `limit`.
    pub fn blocked(&mut self, app: &str, method: &str, now: f64, limit: f64) -> bool {
        self.current(app, method, now).operating > limit
    }

    /// Charges `cost` seconds at `now` and returns the figures after the call.
    pub fn record(&mut self, app: &str, method: &str, now: f64, cost: f64) -> Operating {
        let _ = self.current(app, method, now);
        let list = self
            .buckets
            .entry((app.to_string(), method.to_string()))
            .or_default();
        match list.last_mut() {
            Some((start, sum)) if (*start / MINUTE).floor() == (now / MINUTE).floor() => {
                *sum += cost
            }
            _ => list.push((now, cost)),
        }
        self.current(app, method, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_exceeding_and_frees_after_ten_minutes() {
        let mut op = OperatingTime::default();
        for i in 0..3 {
            assert!(!op.blocked("app", "m", i as f64, 1.0));
            op.record("app", "m", i as f64, 0.5);
        }
        assert!(op.blocked("app", "m", 3.0, 1.0));
        assert!(!op.blocked("other", "m", 3.0, 1.0));
        assert_eq!(op.current("app", "m", 3.0).reset_at, 600);
        assert!(!op.blocked("app", "m", 600.0, 1.0));
    }

    #[test]
    fn buckets_are_clock_minutes_counted_from_their_first_call() {
        let mut op = OperatingTime::default();
        // 10:05:20 and 10:05:50 share a bucket; 10:06:10 opens the next one.
        let t = 1_778_753_120.0; // a :20 second mark
        op.record("app", "m", t, 1.0);
        op.record("app", "m", t + 30.0, 1.0);
        let after = op.record("app", "m", t + 50.0, 1.0);
        assert_eq!(after.reset_at, (t + 600.0) as i64);
        assert_eq!(after.operating, 3.0);
        // When the first bucket ends, only the second minute's call still counts.
        assert_eq!(op.current("app", "m", t + 600.0).operating, 1.0);
        assert_eq!(
            op.current("app", "m", t + 600.0).reset_at,
            (t + 650.0) as i64
        );
    }
}
