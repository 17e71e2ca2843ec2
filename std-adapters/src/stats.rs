//! Totals a [`Governor`](crate::Governor) keeps across all its servers and clones:
//! what a bulk job's summary reports.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A snapshot of a governor's totals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Requests sent (retries included).
    pub sent: u64,
    /// Responses received.
    pub responses: u64,
    /// Responses with status 429 or 503.
    pub rejected: u64,
    /// Requests re-sent by a retry policy.
    pub retries: u64,
    /// Requests abandoned: the governor's wait exceeded `max_wait`, or the retry
    /// policy stopped while the server still refused.
    pub gave_up: u64,
    /// Requests that failed without a response (connection errors, timeouts).
    pub transport_errors: u64,
    /// Total time spent waiting on the governor, summed over concurrent waiters.
    pub waited: Duration,
}

/// The live counters behind [`Stats`].
#[derive(Debug, Default)]
pub(crate) struct Counters {
    sent: AtomicU64,
    responses: AtomicU64,
    rejected: AtomicU64,
    retries: AtomicU64,
    gave_up: AtomicU64,
    transport_errors: AtomicU64,
    waited_nanos: AtomicU64,
}

/// One of the counted events.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Count {
    Sent,
    Response,
    Rejected,
    Retry,
    GaveUp,
    TransportError,
}

impl Counters {
    pub(crate) fn add(&self, what: Count) {
        let counter = match what {
            Count::Sent => &self.sent,
            Count::Response => &self.responses,
            Count::Rejected => &self.rejected,
            Count::Retry => &self.retries,
            Count::GaveUp => &self.gave_up,
            Count::TransportError => &self.transport_errors,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn add_wait(&self, wait: Duration) {
        let nanos = u64::try_from(wait.as_nanos()).unwrap_or(u64::MAX);
        // fetch_update never fails with a closure that always returns Some.
        let _ = self
            .waited_nanos
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |w| {
                Some(w.saturating_add(nanos))
            });
    }

    pub(crate) fn snapshot(&self) -> Stats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        Stats {
            sent: get(&self.sent),
            responses: get(&self.responses),
            rejected: get(&self.rejected),
            retries: get(&self.retries),
            gave_up: get(&self.gave_up),
            transport_errors: get(&self.transport_errors),
            waited: Duration::from_nanos(get(&self.waited_nanos)),
        }
    }
}
