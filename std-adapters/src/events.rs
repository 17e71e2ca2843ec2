//! Events for every wait, retry, give-up and warning: `tracing` events with the
//! `tracing` feature (target `ratelimit_governor`), nothing without it.
//!
//! | event | level | fields |
//! |---|---|---|
//! | waiting | `debug` | `server`, `wait_ms`, `reason` |
//! | retrying | `info` | `server`, `attempt`, `status` (absent after a transport error) |
//! | not retried | `info` | `server`, `why` |
//! | gave up | `warn` | `server`, `wait_ms`, `reason` |
//! | warning | `warn` | `server`, `warning` (the parser's text) |

use std::time::Duration;

use ratelimit_governor::Reason;

use crate::error::GaveUp;
use crate::key::ServerKey;

/// The governor asked to wait before a send.
pub(crate) fn waiting(server: &ServerKey, wait: Duration, reason: Reason) {
    #[cfg(feature = "tracing")]
    tracing::debug!(
        target: "ratelimit_governor",
        server = %server,
        wait_ms = wait.as_millis() as u64,
        reason = reason.as_str(),
        "waiting before the next request"
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (server, wait, reason);
}

/// A request is sent again.
pub(crate) fn retrying(server: &ServerKey, attempt: u32, status: Option<u16>) {
    #[cfg(feature = "tracing")]
    tracing::info!(
        target: "ratelimit_governor",
        server = %server,
        attempt,
        status,
        "retrying"
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (server, attempt, status);
}

/// A retryable failure is returned to the caller without a retry.
pub(crate) fn not_retried(server: &ServerKey, why: &str) {
    #[cfg(feature = "tracing")]
    tracing::info!(target: "ratelimit_governor", server = %server, why, "not retried");
    #[cfg(not(feature = "tracing"))]
    let _ = (server, why);
}

/// The governor gave up on a request.
pub(crate) fn gave_up(server: &ServerKey, gave_up: &GaveUp) {
    #[cfg(feature = "tracing")]
    tracing::warn!(
        target: "ratelimit_governor",
        server = %server,
        wait_ms = gave_up.wait.as_millis() as u64,
        reason = gave_up.reason.as_str(),
        "gave up"
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (server, gave_up);
}

/// The parser found something wrong in a response.
pub(crate) fn warning(server: &ServerKey, warning: &str) {
    #[cfg(feature = "tracing")]
    tracing::warn!(target: "ratelimit_governor", server = %server, warning, "rate-limit header warning");
    #[cfg(not(feature = "tracing"))]
    let _ = (server, warning);
}
