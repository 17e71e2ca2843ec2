//! What one quota window of the simulated server is: how it counts (the server kinds
//! of `../shared/spec/governor.md` section 2: fixed windows, sliding logs, token
//! buckets, GCRA), its limit and length, and the usage someone else left in it
//! before the run started. The counting itself is in [`super::counter`].

use super::clock::{Micros, SEC};

/// What a token bucket's advertised reset means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BucketReset {
    /// Time until the bucket is full again (draft-08 "until the quota resets").
    Full,
    /// Time until the next token (draft-10 "until additional quota is made available").
    NextToken,
}

/// How a window counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WindowKind {
    /// Fixed windows `[k·length, (k+1)·length)` aligned to the server's wall clock
    /// (see `ServerConfig::clock_offset`: with offset 0 they are aligned to t = 0).
    Fixed,
    /// Fixed windows opened by the first hit after the previous window ended: the
    /// reset is that hit's instant plus the length (express-rate-limit's
    /// `MemoryStore`, Python `limits`' fixed window).
    FixedFromFirstHit,
    /// A sliding log: at most `limit` accepted requests in any `length`; the reset is
    /// the time until the oldest logged request leaves the log.
    Sliding,
    /// A token bucket of `limit` tokens, refilled from empty to full in `length`
    /// (rate `limit / length`), full at the start.
    TokenBucket(BucketReset),
    /// The generic cell rate algorithm: burst `limit`, emission interval
    /// `length / limit` (the same admissions as a token bucket); the reset is the
    /// time until the next request would conform (0 while some quota is left).
    Gcra,
}

impl WindowKind {
    /// Whether a window of this kind is cut into fixed intervals (the only kinds for
    /// which counting rejected requests cannot lock a retrying client out for good).
    pub const fn is_fixed(self) -> bool {
        matches!(self, WindowKind::Fixed | WindowKind::FixedFromFirstHit)
    }

    /// A short label for tables (`fixed`, `first-hit`, `sliding`, ...).
    pub const fn label(self) -> &'static str {
        match self {
            WindowKind::Fixed => "fixed",
            WindowKind::FixedFromFirstHit => "first-hit",
            WindowKind::Sliding => "sliding",
            WindowKind::TokenBucket(BucketReset::Full) => "bucket(full)",
            WindowKind::TokenBucket(BucketReset::NextToken) => "bucket(next)",
            WindowKind::Gcra => "gcra",
        }
    }
}

/// Units someone else used in a window before the run: `used` requests at `ago`
/// before t = 0 (all at that one instant).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PriorUsage {
    /// Units used.
    pub used: u64,
    /// How long before t = 0 they were used.
    pub ago: Micros,
}

/// One quota window of the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WindowSpec {
    /// Policy name sent in the IETF headers.
    pub name: String,
    /// How it counts.
    pub kind: WindowKind,
    /// Requests per window (bucket capacity, GCRA burst).
    pub limit: u64,
    /// Window length (bucket: time to refill from empty), in microseconds.
    pub length: Micros,
    /// Usage left by someone else before the run.
    pub prior: PriorUsage,
}

impl WindowSpec {
    /// A window of `kind` with `limit` requests per `length`, unused before the run.
    pub fn new(name: &str, kind: WindowKind, limit: u64, length: Micros) -> Self {
        WindowSpec {
            name: name.to_owned(),
            kind,
            limit,
            length,
            prior: PriorUsage::default(),
        }
    }

    /// `limit` requests per fixed window of `secs` seconds.
    pub fn fixed(name: &str, limit: u64, secs: u64) -> Self {
        Self::new(name, WindowKind::Fixed, limit, secs * SEC)
    }

    /// At most `limit` requests in any `secs` seconds.
    pub fn sliding(name: &str, limit: u64, secs: u64) -> Self {
        Self::new(name, WindowKind::Sliding, limit, secs * SEC)
    }

    /// A bucket of `capacity` tokens refilled from empty in `secs` seconds, whose
    /// reset means `reset`.
    pub fn bucket(name: &str, capacity: u64, secs: u64, reset: BucketReset) -> Self {
        Self::new(name, WindowKind::TokenBucket(reset), capacity, secs * SEC)
    }

    /// The same window with `prior` usage before the run.
    pub fn with_prior(mut self, prior: PriorUsage) -> Self {
        self.prior = prior;
        self
    }
}
