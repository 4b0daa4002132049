//! Delivering events as a portal's queue server does: after the write, never inside it; one
//! queue and one worker per handler address of an application, so each handler gets its events
//! in write order and a slow, failing or unreachable handler holds up only itself. No retries
//! (the reference: a failed delivery is logged, not sent again). Queues are bounded: an event
//! that finds its queue full is dropped and counted.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, Notify};

use super::wire::post;

/// What happened to one delivered event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryReport {
    /// The event sent, e.g. `ONCRMDEALADD`.
    pub event: String,
    /// The handler address it was POSTed to.
    pub url: String,
    /// The HTTP status the handler answered; `0` when it gave no HTTP answer (see `error`).
    pub status: u16,
    /// The handler's response body (at most 64 KiB, lossily decoded).
    pub body: String,
    /// For bot events: the ID the emulator gave the user's message (`MESSAGE_ID`); else `0`.
    pub message_id: u64,
    /// The `event_handler_id` sent (the binding's ID); `0` for bot events.
    pub handler_id: u64,
    /// Why there was no answer: refused connection, timeout, not HTTP.
    pub error: Option<String>,
}

/// Counts of the event machinery since start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventCounters {
    /// Online deliveries queued (one per bound handler and write).
    pub queued: u64,
    /// Deliveries answered 2xx.
    pub delivered: u64,
    /// Deliveries answered otherwise, timed out or not connected (not retried).
    pub failed: u64,
    /// Deliveries dropped because the handler's queue was full.
    pub dropped: u64,
    /// Offline events stored for `event.offline.get` (or refreshed: a changed object keeps one).
    pub offline_stored: u64,
    /// Offline events dropped because the offline queue was full.
    pub offline_dropped: u64,
}

/// Limits of the event machinery ([`crate::Config::event_timeout`] and friends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Settings {
    /// How long a handler may take to answer.
    pub timeout: Duration,
    /// Deliveries waiting per handler.
    pub queue: usize,
    /// Offline events kept per portal.
    pub offline: usize,
    /// Delivery reports kept.
    pub reports: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout: Duration::from_secs(10),
            queue: 1024,
            offline: 10_000,
            reports: 10_000,
        }
    }
}

/// One POST to make.
#[derive(Debug)]
pub(crate) struct Job {
    pub event: String,
    pub url: String,
    pub handler_id: u64,
    pub body: String,
}

/// What the workers share with the emulator handle.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    queued: AtomicU64,
    delivered: AtomicU64,
    failed: AtomicU64,
    dropped: AtomicU64,
    pub offline_stored: AtomicU64,
    pub offline_dropped: AtomicU64,
    /// Deliveries queued and not yet reported.
    pending: AtomicU64,
    settled: Notify,
    reports: Mutex<VecDeque<DeliveryReport>>,
}

impl Stats {
    /// The counters now.
    pub fn counters(&self) -> EventCounters {
        EventCounters {
            queued: self.queued.load(Ordering::SeqCst),
            delivered: self.delivered.load(Ordering::SeqCst),
            failed: self.failed.load(Ordering::SeqCst),
            dropped: self.dropped.load(Ordering::SeqCst),
            offline_stored: self.offline_stored.load(Ordering::SeqCst),
            offline_dropped: self.offline_dropped.load(Ordering::SeqCst),
        }
    }

    /// The kept reports, oldest first.
    pub fn reports(&self) -> Vec<DeliveryReport> {
        self.lock_reports().iter().cloned().collect()
    }

    /// The newest `n` kept reports (fewer when fewer are kept), oldest first.
    pub fn last_reports(&self, n: usize) -> Vec<DeliveryReport> {
        let kept = self.lock_reports();
        kept.iter()
            .skip(kept.len().saturating_sub(n))
            .cloned()
            .collect()
    }

    /// Returns once no delivery is queued or under way.
    pub async fn settled(&self) {
        loop {
            let notified = self.settled.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.pending.load(Ordering::SeqCst) == 0 {
                return;
            }
            notified.await;
        }
    }

    fn lock_reports(&self) -> std::sync::MutexGuard<'_, VecDeque<DeliveryReport>> {
        self.reports.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn report(&self, report: DeliveryReport, limit: usize) {
        let ok = (200..300).contains(&report.status);
        let counter = if ok { &self.delivered } else { &self.failed };
        counter.fetch_add(1, Ordering::SeqCst);
        {
            let mut reports = self.lock_reports();
            while limit > 0 && reports.len() >= limit {
                reports.pop_front();
            }
            if limit > 0 {
                reports.push_back(report);
            }
        }
        self.pending.fetch_sub(1, Ordering::SeqCst);
        self.settled.notify_waiters();
    }
}

/// The queues by (application, handler address).
#[derive(Debug)]
pub(crate) struct Dispatcher {
    settings: Settings,
    queues: Mutex<BTreeMap<(String, String), mpsc::Sender<Job>>>,
    /// Shared with the workers; the queues are not, so dropping the dispatcher ends them.
    pub stats: Arc<Stats>,
}

impl Dispatcher {
    pub fn new(settings: Settings) -> Self {
        Dispatcher {
            settings,
            queues: Mutex::new(BTreeMap::new()),
            stats: Arc::new(Stats::default()),
        }
    }

    /// Queues `job` for the handler `job.url` of application `app`, starting its worker on the
    /// current tokio runtime if needed. Never waits: a full queue drops the job (counted).
    pub fn send(&self, app: &str, job: Job) {
        let mut queues = self.queues.lock().unwrap_or_else(|p| p.into_inner());
        let key = (app.to_string(), job.url.clone());
        let sender = match queues.get(&key).filter(|s| !s.is_closed()) {
            Some(s) => s.clone(),
            None => {
                let Ok(runtime) = tokio::runtime::Handle::try_current() else {
                    self.stats.dropped.fetch_add(1, Ordering::SeqCst);
                    return;
                };
                let (tx, rx) = mpsc::channel(self.settings.queue.max(1));
                runtime.spawn(work(rx, self.stats.clone(), self.settings));
                queues.insert(key, tx.clone());
                tx
            }
        };
        // Counted before it can be reported, so `pending` never goes below zero.
        self.stats.pending.fetch_add(1, Ordering::SeqCst);
        match sender.try_send(job) {
            Ok(()) => {
                self.stats.queued.fetch_add(1, Ordering::SeqCst);
            }
            Err(_) => {
                self.stats.dropped.fetch_add(1, Ordering::SeqCst);
                self.stats.pending.fetch_sub(1, Ordering::SeqCst);
                self.stats.settled.notify_waiters();
            }
        }
    }

    /// Forgets the queue of a handler no binding uses any more (its worker ends after the
    /// deliveries already queued).
    pub fn forget(&self, app: &str, url: &str) {
        self.queues
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&(app.to_string(), url.to_string()));
    }
}

/// One handler's worker: its jobs one after another, in the order queued.
async fn work(mut rx: mpsc::Receiver<Job>, stats: Arc<Stats>, settings: Settings) {
    while let Some(job) = rx.recv().await {
        let (status, body, error) = match post(&job.url, &job.body, settings.timeout).await {
            Ok((status, body)) => (status, body, None),
            Err(e) => (0, String::new(), Some(e.to_string())),
        };
        stats.report(
            DeliveryReport {
                event: job.event,
                url: job.url,
                status,
                body,
                message_id: 0,
                handler_id: job.handler_id,
                error,
            },
            settings.reports,
        );
    }
}
