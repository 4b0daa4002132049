//! The progress line of `export` on a terminal: items done of the total, the rate, and the time
//! left as the plan's request bucket allows it (2 requests a second on the standard plan, 50
//! items a page). Nothing is drawn when standard error is not a terminal.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use bitrix_rest::PAGE_SIZE;

/// A progress line redrawn in place on standard error.
#[derive(Debug)]
pub struct Progress {
    enabled: bool,
    started: Instant,
    /// Items already in the file before this run (`--resume`), not counted in the rate.
    before: u64,
    done: u64,
    total: Option<u64>,
    per_second: Option<f64>,
    drawn: Option<Instant>,
}

impl Progress {
    /// A progress line, drawn only when standard error is a terminal. `per_second`: the plan's
    /// request rate, `None` when unlimited (then the time left follows the measured rate).
    pub fn new(per_second: Option<f64>, before: u64) -> Self {
        Progress {
            enabled: std::io::stderr().is_terminal(),
            started: Instant::now(),
            before,
            done: before,
            total: None,
            per_second,
            drawn: None,
        }
    }

    /// Whether anything is drawn.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Sets the number of items in all, when known.
    pub fn set_total(&mut self, total: Option<u64>) {
        if total.is_some() {
            self.total = total;
        }
    }

    /// Counts `items` more done and redraws (at most ten times a second).
    pub fn advance(&mut self, items: u64) {
        self.done += items;
        let due = self
            .drawn
            .is_none_or(|t| t.elapsed() >= Duration::from_millis(100));
        if due {
            self.draw();
        }
    }

    /// Draws the final state and ends the line.
    pub fn finish(&mut self) {
        if self.enabled {
            self.draw();
            eprintln!();
        }
    }

    fn draw(&mut self) {
        if !self.enabled {
            return;
        }
        self.drawn = Some(Instant::now());
        let line = line(
            self.done,
            self.total,
            self.done - self.before,
            self.started.elapsed(),
            self.per_second,
        );
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{line}\x1b[K");
        let _ = err.flush();
    }
}

/// The text of the progress line: `120/300 items  48.0 items/s  ~2s left`.
pub fn line(
    done: u64,
    total: Option<u64>,
    this_run: u64,
    elapsed: Duration,
    per_second: Option<f64>,
) -> String {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        this_run as f64 / secs
    } else {
        0.0
    };
    let mut text = match total {
        Some(t) => format!("{done}/{} items", t.max(done)),
        None => format!("{done} items"),
    };
    text.push_str(&format!("  {rate:.1} items/s"));
    if let Some(total) = total {
        let left = total.saturating_sub(done);
        let pages = left.div_ceil(PAGE_SIZE as u64);
        let eta = match per_second {
            Some(rps) if rps > 0.0 => Some(pages as f64 / rps),
            _ if rate > 0.0 => Some(left as f64 / rate),
            _ => None,
        };
        if let Some(eta) = eta {
            text.push_str(&format!("  ~{} left", duration(eta)));
        }
    }
    text
}

fn duration(secs: f64) -> String {
    let s = secs.ceil() as u64;
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_follows_the_bucket() {
        // 1000 left = 20 pages at 2 requests a second.
        let l = line(0, Some(1000), 0, Duration::ZERO, Some(2.0));
        assert_eq!(l, "0/1000 items  0.0 items/s  ~10s left");
        let l = line(100, Some(10_100), 100, Duration::from_secs(2), Some(2.0));
        assert_eq!(l, "100/10100 items  50.0 items/s  ~1m40s left");
        assert_eq!(
            line(5, None, 5, Duration::from_secs(1), None),
            "5 items  5.0 items/s"
        );
    }
}
