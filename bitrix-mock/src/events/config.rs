//! The event settings of [`Config`].

use std::time::Duration;

use crate::Config;

impl Config {
    /// How long the emulator waits for an event handler's answer before it counts the delivery
    /// as failed (default 10 s). The write that raised the event never waits for it.
    #[must_use]
    pub fn event_timeout(mut self, timeout: Duration) -> Self {
        self.events.timeout = timeout;
        self
    }

    /// How many deliveries may wait for one handler (default 1024); more are dropped and counted
    /// in [`EventCounters::dropped`](crate::EventCounters::dropped).
    #[must_use]
    pub fn event_queue(mut self, deliveries: usize) -> Self {
        self.events.queue = deliveries.max(1);
        self
    }

    /// How many offline events the portal keeps (default 10 000); more are dropped and counted.
    #[must_use]
    pub fn offline_queue(mut self, events: usize) -> Self {
        self.events.offline = events;
        self
    }
}
