//! What the attempts of one logical request did, as `fetch` needs it for its
//! summary: how many were really sent, and whether the latest one ended in a
//! transport error.
//!
//! [`GovernedAgent::run`](ratelimit_governor_std::ureq::GovernedAgent::run) returns
//! one result per logical request. When a transport error is followed by a retry
//! the governor declines (its backoff exceeds `--max-wait`), that result is only
//! "gave up", and a retry the governor declined was counted as a retry but never
//! sent. [`AttemptLog`], a ureq middleware on the same agent, keeps the rest of the
//! story in a thread-local: the agent runs all attempts of a request on the calling
//! thread, so the thread-local follows one logical request between
//! [`Attempts::start`] and [`Attempts::finish`].

use std::cell::RefCell;

use ratelimit_governor_std::GovernorError;
use ureq::http::{Request, Response};
use ureq::middleware::{Middleware, MiddlewareNext};
use ureq::{Body, SendBody};

/// The attempts of the logical request running on this thread.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attempts {
    /// Attempts sent (the governor let them go).
    pub sent: u64,
    /// The transport error of the latest attempt sent, if it ended so.
    pub transport_error: Option<String>,
}

thread_local! {
    static CURRENT: RefCell<Attempts> = RefCell::default();
}

impl Attempts {
    /// Starts the log of a new logical request on this thread.
    pub fn start() {
        CURRENT.with_borrow_mut(|current| *current = Attempts::default());
    }

    /// The log of the logical request on this thread since [`Attempts::start`].
    pub fn finish() -> Attempts {
        CURRENT.with_borrow_mut(std::mem::take)
    }

    /// Retries really sent: every attempt after the first.
    pub fn resent(&self) -> u64 {
        self.sent.saturating_sub(1)
    }
}

/// The middleware that keeps the thread's [`Attempts`]. Add it to the agent's
/// configuration before the governor's middleware (outside it), so that it sees
/// the governor's refusals too and can leave them out.
#[derive(Clone, Copy, Debug, Default)]
pub struct AttemptLog;

impl Middleware for AttemptLog {
    fn handle(
        &self,
        request: Request<SendBody>,
        next: MiddlewareNext,
    ) -> Result<Response<Body>, ureq::Error> {
        let result = next.handle(request);
        let transport_error = match &result {
            Ok(_) => None,
            // The governor declined to send: nothing was attempted.
            Err(ureq::Error::Other(inner)) if inner.is::<GovernorError>() => return result,
            Err(e) => Some(e.to_string()),
        };
        CURRENT.with_borrow_mut(|current| {
            current.sent = current.sent.saturating_add(1);
            current.transport_error = transport_error;
        });
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_is_per_request() {
        Attempts::start();
        CURRENT.with_borrow_mut(|c| {
            c.sent = 3;
            c.transport_error = Some("refused".to_owned());
        });
        let log = Attempts::finish();
        assert_eq!(log.resent(), 2);
        assert_eq!(log.transport_error.as_deref(), Some("refused"));
        assert_eq!(Attempts::finish(), Attempts::default());
        assert_eq!(Attempts::default().resent(), 0);
    }
}
