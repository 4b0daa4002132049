//! The emulator's time source. Tests speed it up or jump it forward so that limit windows and token
//! lifetimes pass without waiting in real time.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Emulated time: `real time elapsed * speed + advanced offset`, as Unix seconds.
#[derive(Debug)]
pub struct Clock {
    inner: Mutex<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Real instant of the last rebase.
    base_real: Instant,
    /// Emulated Unix time at that instant.
    base_emu: f64,
    /// How fast emulated time runs compared with real time.
    speed: f64,
}

impl Clock {
    /// A clock that starts at the real current time and runs at `speed`.
    pub fn new(speed: f64) -> Self {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0);
        Clock {
            inner: Mutex::new(Inner {
                base_real: Instant::now(),
                base_emu: now,
                speed: sanitize(speed),
            }),
        }
    }

    /// The current emulated Unix time in seconds.
    pub fn now(&self) -> f64 {
        let inner = self.lock();
        inner.base_emu + inner.base_real.elapsed().as_secs_f64() * inner.speed
    }

    /// Jumps emulated time forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.lock().base_emu += by.as_secs_f64();
    }

    /// Changes how fast emulated time runs (`0.0` freezes it, `60.0` makes a second a minute).
    pub fn set_speed(&self, speed: f64) {
        let mut inner = self.lock();
        // Rebase first so the time already elapsed keeps the old speed.
        inner.base_emu += inner.base_real.elapsed().as_secs_f64() * inner.speed;
        inner.base_real = Instant::now();
        inner.speed = sanitize(speed);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A poisoned lock only means another thread panicked mid-update of plain numbers.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Negative or non-finite speeds would run time backwards or break arithmetic; treat them as frozen.
fn sanitize(speed: f64) -> f64 {
    if speed.is_finite() && speed >= 0.0 {
        speed
    } else {
        0.0
    }
}

/// Formats Unix seconds as ISO 8601 in UTC, as the `date_start`/`date_finish` fields carry it
/// (`2026-02-26T13:50:02+00:00`).
pub fn iso8601(unix: f64) -> String {
    let secs = unix.floor() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+00:00",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        );
    }
    // Every answer carries several of these: digits pushed directly, no formatting machinery.
    let mut out = String::with_capacity(25);
    let parts = [
        (y / 100, ""),
        (y % 100, "-"),
        (i64::from(m), "-"),
        (i64::from(d), "T"),
        (rem / 3600, ":"),
        (rem % 3600 / 60, ":"),
        (rem % 60, "+00:00"),
    ];
    for (n, after) in parts {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
        out.push_str(after);
    }
    out
}

/// Days since 1970-01-01 to (year, month, day), after Howard Hinnant's `civil_from_days`.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_dates() {
        assert_eq!(iso8601(0.0), "1970-01-01T00:00:00+00:00");
        assert_eq!(iso8601(1_772_103_002.5), "2026-02-26T10:50:02+00:00");
        assert_eq!(iso8601(951_782_400.0), "2000-02-29T00:00:00+00:00");
        assert_eq!(iso8601(-62_135_596_800.0), "0001-01-01T00:00:00+00:00");
        assert_eq!(iso8601(253_402_300_799.0), "9999-12-31T23:59:59+00:00");
        assert_eq!(iso8601(253_402_300_800.0), "10000-01-01T00:00:00+00:00");
    }

    #[test]
    fn advance_and_freeze() {
        let c = Clock::new(0.0);
        let t = c.now();
        c.advance(Duration::from_secs(5));
        assert!((c.now() - t - 5.0).abs() < 1e-9);
    }
}
