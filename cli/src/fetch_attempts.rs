//! How many attempts of one logical request were really sent, as `fetch` needs it
//! for its summary.
//!
//! [`GovernedAgent::run`](ratelimit_governor_std::ureq::GovernedAgent::run) returns
//! one result per logical request, and the governor's `Stats::retries` also counts
//! a retry the governor then declined to send. [`AttemptLog`], a ureq middleware on
//! the same agent, counts the sends in a thread-local: the agent runs all attempts of a request on the calling
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
        if let Err(ureq::Error::Other(inner)) = &result {
            if inner.is::<GovernorError>() {
                // The governor declined to send: nothing was attempted.
                return result;
            }
        }
        CURRENT.with_borrow_mut(|current| current.sent = current.sent.saturating_add(1));
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_is_per_request() {
        Attempts::start();
        CURRENT.with_borrow_mut(|c| c.sent = 3);
        let log = Attempts::finish();
        assert_eq!(log.resent(), 2);
        assert_eq!(Attempts::finish(), Attempts::default());
        assert_eq!(Attempts::default().resent(), 0);
    }
}
