//! The limits a portal enforces, from the reference's limits page.

/// A plan's leaky bucket: requests drained per second and requests held before refusing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// Requests the bucket drains per second.
    pub per_second: f64,
    /// Requests it holds before answering `QUERY_LIMIT_EXCEEDED`.
    pub burst: u32,
}

/// Most plans: 2 requests a second, bursts up to 50.
pub const STANDARD: Rate = Rate {
    per_second: 2.0,
    burst: 50,
};

/// Enterprise: 5 requests a second, bursts up to 250.
pub const ENTERPRISE: Rate = Rate {
    per_second: 5.0,
    burst: 250,
};

/// Seconds of a method's execution time an application may spend in the window below before
/// the method answers `OPERATION_TIME_LIMIT`.
pub const OPERATING_BUDGET_SECS: u64 = 480;

/// How long spent operating time counts: ten minutes from the first call of its minute.
pub const OPERATING_WINDOW_SECS: u64 = 600;

/// Records a list method answers per page (`start` moves by this much).
pub const PAGE_SIZE: usize = 50;

/// Commands one `batch` call may carry.
pub const MAX_BATCH_COMMANDS: usize = 50;

/// Lifetime of an OAuth access token, in seconds.
pub const ACCESS_TOKEN_LIFETIME_SECS: u64 = 3600;
