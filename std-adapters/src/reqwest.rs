//! reqwest through [`reqwest_middleware`]: pause before each send, learn from each
//! response, retry what the [`RetryPolicy`](crate::RetryPolicy) allows (feature
//! `reqwest`).
//!
//! [`GovernorMiddleware`] wraps every request a [`ClientWithMiddleware`] sends:
//!
//! 1. It asks the request's server ([`Governor::server_for`]: scheme, host, port, and
//!    the partition header if one is configured) for a permit, waiting as long as
//!    the governor says (the server's quota, its `Retry-After`, backoff).
//! 2. It sends, and settles the permit with the response's status and headers.
//! 3. On a retryable failure it asks the policy whether to send again; the next
//!    permit's wait is the governor's (it already honours the server's hint).
//!
//! What the caller sees:
//!
//! | situation | result |
//! |---|---|
//! | 429 / 503 (or 403 with rate-limit evidence), idempotent method | retried after the server's hint, up to `max_retries` and the retry budget; then the last response |
//! | the same, `POST` / `PATCH` (not idempotent) | the response as is, unless [`RetryPolicy::retry_non_idempotent`](crate::RetryPolicy::retry_non_idempotent) opted in |
//! | the wait needed exceeds `max_wait` (or the server says never) before any response | `Err(Error::Middleware(e))`, `e.downcast_ref::<`[`GaveUp`](crate::GaveUp)`>()` is `Some` |
//! | the same while waiting to retry | the last response (the caller sees the 429) |
//! | a retry is due but the body is a stream ([`reqwest::Request::try_clone`] is `None`) | `Err(Error::Middleware(e))` with [`BodyNotReplayable`]; the request was sent once |
//! | connection error or timeout, idempotent method | retried with backoff, then the error |
//! | the URL names no server the governor can key | `Err(Error::Middleware(e))` with [`GovernorError::NoServer`] |
//!
//! A request's own timeout ([`RequestBuilder::timeout`](reqwest_middleware::RequestBuilder::timeout))
//! covers each send, not the governor's waits between them; those are bounded by
//! `max_wait` (see [`GovernorConfig`](ratelimit_governor::GovernorConfig)).
//!
//! A 429 or 503 without a `Retry-After`-family header often carries its hint in a
//! JSON body (`{"error": {"retry_after_seconds": 12}}`). For those responses only,
//! the middleware reads the first 64 KiB of the body, shows it to the governor and
//! rebuilds the response, so the caller still reads the whole body.
//!
//! ```no_run
//! use ratelimit_governor_std::reqwest::{WorkLeft, client};
//! use ratelimit_governor_std::{GaveUp, Governor};
//!
//! # async fn run() -> Result<(), reqwest_middleware::Error> {
//! let governor = Governor::new();
//! let http = client(reqwest::Client::new(), governor.clone());
//! let ids: Vec<u32> = (1..=100).collect();
//! for (done, id) in ids.iter().enumerate() {
//!     let sent = http
//!         .get(format!("http://127.0.0.1:3000/items/{id}"))
//!         // Optional: what is left of the job, so the governor can finish a batch
//!         // inside the current window instead of holding back its reserve.
//!         .with_extension(WorkLeft((ids.len() - done) as u64))
//!         .send()
//!         .await;
//!     match sent {
//!         Ok(response) => println!("{id}: {}", response.status()),
//!         Err(reqwest_middleware::Error::Middleware(e)) if e.downcast_ref::<GaveUp>().is_some() => {
//!             eprintln!("{id}: not sent: {e}");
//!             break;
//!         }
//!         Err(e) => return Err(e),
//!     }
//! }
//! println!("{:?}", governor.stats());
//! # Ok(())
//! # }
//! ```
//!
//! ## TLS
//!
//! This crate depends on reqwest without default features (plain HTTP/1 only), so
//! it does not choose a TLS stack for you. Enable one in your own `Cargo.toml`; the
//! features unify with this crate's reqwest:
//!
//! ```toml
//! reqwest = { version = "0.13", features = ["default-tls"] }  # or "native-tls"
//! ```

mod envelope;

use ::reqwest::{Client, Request, Response};
use reqwest_middleware::{ClientBuilder, ClientWithMiddleware, Error, Middleware, Next};

use crate::clock::{AsyncSleep, SystemClock};
use crate::error::{BodyNotReplayable, GovernorError};
use crate::governor::Governor;
use crate::retry_policy::{Attempts, Verdict};

pub use reqwest_middleware;

pub use crate::work_left::WorkLeft;

/// The [`Middleware`] that governs a reqwest client. `Clone` shares the governor.
///
/// ```
/// use ratelimit_governor_std::Governor;
/// use ratelimit_governor_std::reqwest::GovernorMiddleware;
///
/// let governor = Governor::new();
/// let http = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
///     .with(GovernorMiddleware::new(governor.clone()))
///     .build();
/// # let _ = http;
/// ```
#[derive(Clone, Debug)]
pub struct GovernorMiddleware<C: AsyncSleep = SystemClock> {
    governor: Governor<C>,
}

impl<C: AsyncSleep> GovernorMiddleware<C> {
    /// Middleware that sends every request through `governor`.
    pub fn new(governor: Governor<C>) -> Self {
        GovernorMiddleware { governor }
    }

    /// The governor (its stats, its servers).
    pub fn governor(&self) -> &Governor<C> {
        &self.governor
    }
}

/// `client` with a [`GovernorMiddleware`] on `governor` as its only middleware.
pub fn client<C: AsyncSleep>(client: Client, governor: Governor<C>) -> ClientWithMiddleware {
    ClientBuilder::new(client)
        .with(GovernorMiddleware::new(governor))
        .build()
}

#[async_trait::async_trait]
impl<C: AsyncSleep> Middleware for GovernorMiddleware<C> {
    async fn handle(
        &self,
        request: Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        let work_left = extensions.get::<WorkLeft>().map(|w| w.0);
        let server = request
            .url()
            .as_str()
            .parse::<http::Uri>()
            .ok()
            .and_then(|uri| self.governor.server_for(&uri, request.headers()));
        let Some(server) = server else {
            return Err(middleware_error(GovernorError::NoServer(
                request.url().to_string(),
            )));
        };
        let mut attempts = Attempts::new(server.clone(), request.method());
        let named = Named::of(&request);
        // The request kept for the next attempt: `None` once a request whose body
        // cannot be cloned has been sent.
        let mut spare = Some(request);
        // The response kept while waiting for a retry's permit.
        let mut last: Option<Response> = None;
        // Bounded: every pass either returns or counts a retry, and the policy
        // stops after `max_retries`.
        loop {
            let permit = match server.acquire(work_left).await {
                Ok(permit) => permit,
                Err(gave_up) => return last.ok_or_else(|| middleware_error(gave_up)),
            };
            // A copy while the body can be cloned; else the request itself, once.
            let Some(outgoing) = spare
                .as_ref()
                .and_then(Request::try_clone)
                .or_else(|| spare.take())
            else {
                return Err(named.not_replayable(last.map(|r| r.status().as_u16())));
            };
            match next.clone().run(outgoing, extensions).await {
                Ok(response) => {
                    let (response, seen) =
                        envelope::observe(permit, response, self.governor.clock()).await;
                    match attempts.after_response(&seen) {
                        Verdict::Retry if spare.is_none() => {
                            return Err(named.not_replayable(Some(seen.status)));
                        }
                        Verdict::Retry => last = Some(response),
                        Verdict::Return | Verdict::Stop(_) => return Ok(response),
                    }
                }
                Err(Error::Reqwest(e)) if is_transport(&e) => {
                    permit.transport_error();
                    match attempts.after_transport_error(e.is_timeout()) {
                        Verdict::Retry if spare.is_none() => {
                            let cause = anyhow::Error::new(e);
                            return Err(Error::Middleware(cause.context(named.unreplayable(None))));
                        }
                        // `last` keeps the latest response, if any: should the
                        // governor give up, the caller sees what the server said.
                        Verdict::Retry => {}
                        Verdict::Return | Verdict::Stop(_) => return Err(Error::Reqwest(e)),
                    }
                }
                // Not a failure of the server: a request that could not be built, a
                // redirect policy, a middleware further down. The permit is dropped
                // (not counted as a failure) and the error handed back.
                Err(other) => return Err(other),
            }
        }
    }
}

/// What a [`BodyNotReplayable`] error names about the request.
struct Named {
    method: String,
    uri: String,
}

impl Named {
    fn of(request: &Request) -> Self {
        Named {
            method: request.method().to_string(),
            uri: request.url().to_string(),
        }
    }

    fn unreplayable(&self, status: Option<u16>) -> BodyNotReplayable {
        BodyNotReplayable {
            method: self.method.clone(),
            uri: self.uri.clone(),
            status,
        }
    }

    fn not_replayable(&self, status: Option<u16>) -> Error {
        middleware_error(self.unreplayable(status))
    }
}

/// True for errors of the exchange itself (connect, send, timeout), the ones a
/// retry may cure; false for a request that could not be built and for redirect
/// policy errors.
fn is_transport(e: &::reqwest::Error) -> bool {
    !(e.is_builder() || e.is_redirect())
}

fn middleware_error<E: std::error::Error + Send + Sync + 'static>(e: E) -> Error {
    Error::Middleware(anyhow::Error::new(e))
}
