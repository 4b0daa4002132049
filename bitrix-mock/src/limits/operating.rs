//! Operating time: the emulated execution time of one method for one application, summed in
//! one-minute buckets over ten minutes. As documented (limits.md), a bucket collects the calls of
//! one clock minute and its ten minutes count from its first call: a first call at 10:05:20 makes
//! `operating_reset_at` 10:15:20, even if later calls of that minute came at 10:05:50.

use std::collections::HashMap;

use crate::envelope::Operating;

/// How long a minute bucket counts.
const WINDOW: f64 = bitrix_facts::OPERATING_WINDOW_SECS as f64;
/// The clock minute a bucket collects.
const MINUTE: f64 = 60.0;

/// Operating time of every (application, method) pair: application, then method, each looked
/// up by `&str` so a call allocates a key only the first time its pair is seen.
#[derive(Debug, Default)]
pub struct OperatingTime {
    buckets: HashMap<String, HashMap<String, Vec<(f64, f64)>>>,
}

/// The figures of one pair's buckets at `now`, expired ones dropped first.
fn figures(list: &mut Vec<(f64, f64)>, now: f64) -> Operating {
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

impl OperatingTime {
    /// The current figures for `app` and `method`, with expired buckets dropped. Before any call,
    /// `reset_at` is ten minutes from `now`.
    pub fn current(&mut self, app: &str, method: &str, now: f64) -> Operating {
        // Looked up, not inserted: names read from the network must not grow the map.
        match self.buckets.get_mut(app).and_then(|m| m.get_mut(method)) {
            Some(list) => figures(list, now),
            None => Operating {
                operating: 0.0,
                reset_at: (now + WINDOW).floor() as i64,
            },
        }
    }

    /// Whether the method is blocked for the application: the sum already exceeds `limit`.
    pub fn blocked(&mut self, app: &str, method: &str, now: f64, limit: f64) -> bool {
        self.current(app, method, now).operating > limit
    }

    /// Charges `cost` seconds at `now` and returns the figures after the call.
    pub fn record(&mut self, app: &str, method: &str, now: f64, cost: f64) -> Operating {
        if let Some(list) = self.buckets.get_mut(app).and_then(|m| m.get_mut(method)) {
            return charge(list, now, cost);
        }
        let mut list = Vec::new();
        let after = charge(&mut list, now, cost);
        self.buckets
            .entry(app.to_string())
            .or_default()
            .insert(method.to_string(), list);
        after
    }
}

/// Adds `cost` to the bucket of `now`'s clock minute (opening one when the minute is new).
fn charge(list: &mut Vec<(f64, f64)>, now: f64, cost: f64) -> Operating {
    list.retain(|(start, _)| start + WINDOW > now);
    match list.last_mut() {
        Some((start, sum)) if (*start / MINUTE).floor() == (now / MINUTE).floor() => *sum += cost,
        _ => list.push((now, cost)),
    }
    figures(list, now)
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
