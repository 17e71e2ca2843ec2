//! ureq 3: a middleware that paces and observes every request of an agent, and a
//! call-site wrapper that retries ([`GovernedAgent::run`]), since a ureq middleware
//! can call the rest of the chain only once.
//!
//! ```no_run
//! use ratelimit_governor_std::Governor;
//! use ratelimit_governor_std::ureq::GovernedAgent;
//!
//! let agent = GovernedAgent::new(Governor::new());
//! for page in 1..=60 {
//!     // Waits as the server's quota requires, retries 429s after the server's hint.
//!     let mut response = agent.get(&format!("http://127.0.0.1:3000/items?page={page}"))?;
//!     let _body = response.body_mut().read_to_string()?;
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! What happens:
//!
//! - Before each send, the middleware waits (blocking the thread) as the server's
//!   governor says; the agent's threads share one [`Governor`], so concurrent
//!   requests to a server count each other in flight.
//! - After each response, its headers are parsed and folded in, and the
//!   [`Observation`] is attached to the response's extensions.
//! - [`GovernedAgent::run`] retries a retryable failure (429 and its relatives,
//!   transient 5xx, connection errors) when the [`RetryPolicy`](crate::RetryPolicy)
//!   allows: idempotent method (or opt-in), retries and budget left. The governor
//!   decides the wait (the server's hint first, then backoff).
//! - When the governor gives up (a wait above `max_wait`) on a retry, the last
//!   outcome is returned as it is (the 429 response, or the connection error); on a
//!   first attempt, the error is [`GovernorError::GaveUp`].
//! - Bodies: `run` needs a body it can clone (`()`, `&str`, `String`, `&[u8]`,
//!   `Vec<u8>`); [`GovernedAgent::run_once`] sends any body once and reports
//!   [`GovernorError::BodyNotReplayable`] when a retry would have been due.
//!
//! The agent is built with `http_status_as_error(false)`: ureq otherwise turns a 429
//! into an error before any middleware sees its headers. A plain agent configured
//! with [`GovernorMiddleware`] but with status errors on still paces, and learns
//! only the status of refused requests.

use std::fmt;

use ::ureq::middleware::{Middleware, MiddlewareNext};
use ::ureq::{Agent, Body, SendBody};
use http::{Method, Request, Response};

use crate::clock::{Clock, SystemClock};
use crate::error::{BodyNotReplayable, GovernorError};
use crate::governor::Governor;
use crate::permit::Observation;
use crate::retry_policy::{Attempts, Verdict};

pub use crate::work_left::WorkLeft;

/// The middleware: waits before each send, observes each response.
#[derive(Clone, Debug)]
pub struct GovernorMiddleware<C: Clock = SystemClock> {
    governor: Governor<C>,
}

impl<C: Clock> GovernorMiddleware<C> {
    /// A middleware over `governor`.
    pub fn new(governor: Governor<C>) -> Self {
        GovernorMiddleware { governor }
    }
}

impl<C: Clock> Middleware for GovernorMiddleware<C> {
    fn handle(
        &self,
        request: Request<SendBody>,
        next: MiddlewareNext,
    ) -> Result<Response<Body>, ::ureq::Error> {
        let Some(server) = self.governor.server_for(request.uri(), request.headers()) else {
            let uri = request.uri().to_string();
            return Err(::ureq::Error::Other(Box::new(GovernorError::NoServer(uri))));
        };
        let work_left = request.extensions().get::<WorkLeft>().map(|w| w.0);
        let permit = server
            .acquire_blocking(work_left)
            .map_err(|gave_up| ::ureq::Error::Other(Box::new(GovernorError::GaveUp(gave_up))))?;
        match next.handle(request) {
            Ok(mut response) => {
                let seen = permit.observe_http(response.status(), response.headers(), None);
                response.extensions_mut().insert(seen);
                Ok(response)
            }
            Err(::ureq::Error::StatusCode(status)) => {
                // ureq dropped the head: only the status is left to learn from.
                let none: [(&str, &str); 0] = [];
                permit.observe(status, none, None);
                Err(::ureq::Error::StatusCode(status))
            }
            Err(e) => {
                permit.transport_error();
                Err(e)
            }
        }
    }
}

/// Errors of [`GovernedAgent`]: ureq's own, or the governor's.
#[derive(Debug)]
pub enum Error {
    /// From ureq (connection, protocol, I/O ...).
    Http(::ureq::Error),
    /// From the governor: gave up, body not replayable, no server in the URI.
    Governor(GovernorError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Http(e) => e.fmt(f),
            Error::Governor(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Http(e) => Some(e),
            Error::Governor(e) => Some(e),
        }
    }
}

impl From<::ureq::Error> for Error {
    /// Unwraps governor errors that travelled through ureq's `Other`.
    fn from(e: ::ureq::Error) -> Self {
        match e {
            ::ureq::Error::Other(inner) => match inner.downcast::<GovernorError>() {
                Ok(governor) => Error::Governor(*governor),
                Err(other) => Error::Http(::ureq::Error::Other(other)),
            },
            e => Error::Http(e),
        }
    }
}

/// A ureq [`Agent`] with the governor's middleware, and retries at the call site.
/// `Clone` shares the agent's connection pool and the governor.
#[derive(Clone, Debug)]
pub struct GovernedAgent<C: Clock = SystemClock> {
    agent: Agent,
    governor: Governor<C>,
}

impl<C: Clock> GovernedAgent<C> {
    /// An agent with ureq's default configuration plus the middleware, and
    /// `http_status_as_error(false)`.
    pub fn new(governor: Governor<C>) -> Self {
        GovernedAgent::with_config(governor, Agent::config_builder())
    }

    /// An agent from a ureq configuration builder (timeouts, proxy, TLS ...), with
    /// the middleware added and `http_status_as_error(false)`.
    pub fn with_config(
        governor: Governor<C>,
        builder: ::ureq::config::ConfigBuilder<::ureq::typestate::AgentScope>,
    ) -> Self {
        let config = builder
            .http_status_as_error(false)
            .middleware(GovernorMiddleware::new(governor.clone()))
            .build();
        GovernedAgent {
            agent: Agent::new_with_config(config),
            governor,
        }
    }

    /// The underlying agent: its requests are paced and observed, not retried.
    pub fn agent(&self) -> &Agent {
        &self.agent
    }

    /// The governor.
    pub fn governor(&self) -> &Governor<C> {
        &self.governor
    }

    /// A GET with retries.
    pub fn get(&self, url: &str) -> Result<Response<Body>, Error> {
        let request = Request::get(url)
            .body(())
            .map_err(|e| Error::Http(::ureq::Error::Http(e)))?;
        self.run(request)
    }

    /// Sends `request`, retrying as the policy allows; the body is cloned for each
    /// attempt.
    pub fn run<B>(&self, request: Request<B>) -> Result<Response<Body>, Error>
    where
        B: ::ureq::AsSendBody + Clone,
    {
        self.run_with(request, |r| Some(clone_request(r)))
    }

    /// Sends `request` once; when a retry would have been due, the error is
    /// [`GovernorError::BodyNotReplayable`].
    pub fn run_once<B: ::ureq::AsSendBody>(
        &self,
        request: Request<B>,
    ) -> Result<Response<Body>, Error> {
        self.run_with(request, |_| None)
    }

    fn run_with<B: ::ureq::AsSendBody>(
        &self,
        request: Request<B>,
        copy: impl Fn(&Request<B>) -> Option<Request<B>>,
    ) -> Result<Response<Body>, Error> {
        let server = self
            .governor
            .server_for(request.uri(), request.headers())
            .ok_or_else(|| Error::Governor(GovernorError::NoServer(request.uri().to_string())))?;
        let mut attempts = Attempts::new(server, request.method());
        let mut next = Some(request);
        // The latest outcome, handed back if the governor gives up on the retry.
        let mut last: Option<Result<Response<Body>, ::ureq::Error>> = None;
        // Bounded: every pass either returns or takes a retry, and retries are
        // bounded by the policy's `max_retries`.
        loop {
            let Some(request) = next.take() else {
                return Err(Error::Governor(GovernorError::NoServer(String::new())));
            };
            let spare = copy(&request);
            let (method, uri) = (request.method().clone(), request.uri().to_string());
            match self.agent.run(request) {
                Ok(response) => {
                    let verdict = match response.extensions().get::<Observation>() {
                        Some(seen) => attempts.after_response(seen),
                        None => Verdict::Return,
                    };
                    if verdict != Verdict::Retry {
                        return Ok(response);
                    }
                    let Some(spare) = spare else {
                        return Err(not_replayable(
                            &method,
                            uri,
                            Some(response.status().as_u16()),
                        ));
                    };
                    next = Some(spare);
                    last = Some(Ok(response));
                }
                Err(e) => match Error::from(e) {
                    Error::Governor(GovernorError::GaveUp(gave_up)) => {
                        return match last {
                            Some(outcome) => outcome.map_err(Error::Http),
                            None => Err(Error::Governor(GovernorError::GaveUp(gave_up))),
                        };
                    }
                    Error::Http(e) => {
                        let timeout = matches!(e, ::ureq::Error::Timeout(_));
                        if attempts.after_transport_error(timeout) != Verdict::Retry {
                            return Err(Error::Http(e));
                        }
                        let Some(spare) = spare else {
                            return Err(not_replayable(&method, uri, None));
                        };
                        next = Some(spare);
                        last = Some(Err(e));
                    }
                    other => return Err(other),
                },
            }
        }
    }
}

fn not_replayable(method: &Method, uri: String, status: Option<u16>) -> Error {
    Error::Governor(GovernorError::BodyNotReplayable(BodyNotReplayable {
        method: method.to_string(),
        uri,
        status,
    }))
}

/// A copy of a request with a cloneable body (extensions are not `Clone` in
/// general: the governor's [`WorkLeft`] is carried over, others are dropped).
fn clone_request<B: Clone>(request: &Request<B>) -> Request<B> {
    let mut copy = Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    if let Some(work_left) = request.extensions().get::<WorkLeft>() {
        copy.extensions_mut().insert(*work_left);
    }
    copy
}
