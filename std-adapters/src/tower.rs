//! A `tower` [`Layer`](tower_layer::Layer) that governs any HTTP service: hyper-util's
//! client, or anything else that takes an [`http::Request`] and answers an
//! [`http::Response`] (feature `tower`).
//!
//! [`GovernorLayer`] wraps a service in [`Governed`]. Each request then
//!
//! 1. waits until the server's governor lets it go (the wait happens in the
//!    returned future; no lock is held while waiting),
//! 2. is sent through the inner service,
//! 3. settles the governor with the response head (status and headers: every
//!    rate-limit header family the core crate reads), so the next request, from
//!    this task or any other sharing the [`Governor`], is paced by
//!    what the server just said,
//! 4. is sent again when the [`RetryPolicy`](crate::RetryPolicy) says so, after the
//!    wait the governor asks for.
//!
//! What the caller sees:
//!
//! | situation | result |
//! |---|---|
//! | 429 / 503 (or 403 with rate-limit evidence), idempotent method | retried after `Retry-After` (or the quota's reset, or backoff) up to `max_retries`; then the last response |
//! | the required wait exceeds `max_wait`, the server says never | the last response if there was one (the caller sees the 429), else [`Error::Governor`] with [`GovernorError::GaveUp`](crate::GovernorError::GaveUp) |
//! | POST, PATCH, CONNECT | never retried unless [`RetryPolicy::retry_non_idempotent`](crate::RetryPolicy::retry_non_idempotent): the 429 is returned as it is |
//! | a retry is due but the body is a stream ([`ReplayBody::replay`] gives `None`) | [`Error::Governor`] with [`GovernorError::BodyNotReplayable`](crate::GovernorError::BodyNotReplayable) |
//! | a transport error, idempotent method | retried like a 5xx; then the inner error, [`Error::Inner`] |
//! | a URI without scheme or host | [`GovernorError::NoServer`](crate::GovernorError::NoServer) |
//!
//! Request bodies are copied before a send only when a retry could follow it, and
//! only if the body type implements [`ReplayBody`] with a copy (bytes, strings,
//! `Full`, `Empty`). Transport errors are charged to the retry budget as
//! non-timeouts (the inner error type is opaque to the layer).
//!
//! ```no_run
//! use bytes::Bytes;
//! use http_body_util::{BodyExt, Empty};
//! use hyper_util::client::legacy::Client;
//! use hyper_util::rt::TokioExecutor;
//! use ratelimit_governor_std::Governor;
//! use ratelimit_governor_std::tower::GovernorLayer;
//! use tower::{Layer, Service, ServiceExt};
//!
//! # async fn job() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
//! // One governor for the whole job: clones of the service share it.
//! let governor = Governor::new();
//! let mut service = GovernorLayer::new(governor.clone()).layer(client);
//!
//! for id in 0..100 {
//!     let request = http::Request::get(format!("http://127.0.0.1:3000/items/{id}"))
//!         .body(Empty::new())?;
//!     // Waits as long as the server's quota requires, then sends (and retries a 429).
//!     let response = service.ready().await?.call(request).await?;
//!     let body = response.into_body().collect().await?.to_bytes();
//!     println!("{id}: {} bytes", body.len());
//! }
//! println!("{:?}", governor.stats());
//! # Ok(())
//! # }
//! ```

mod error;
mod replay_body;
mod service;

pub use error::Error;
pub use replay_body::{NoReplay, ReplayBody};
pub use service::{Governed, ResponseFuture};

use crate::clock::{Clock, SystemClock};
use crate::governor::Governor;

/// The `tower` layer: wraps a service in [`Governed`], all sharing one
/// [`Governor`]. `Clone` shares the governor.
///
/// ```
/// use ratelimit_governor_std::{Governor, RetryPolicy, Settings};
/// use ratelimit_governor_std::tower::GovernorLayer;
///
/// // Retry a POST too: the caller knows it is safe to repeat.
/// let settings = Settings {
///     retry: RetryPolicy::new().retry_non_idempotent(true),
///     ..Settings::default()
/// };
/// let layer = GovernorLayer::new(Governor::with_settings(settings));
/// assert!(layer.governor().settings().retry.retry_non_idempotent);
/// ```
#[derive(Clone, Debug)]
pub struct GovernorLayer<C: Clock = SystemClock> {
    governor: Governor<C>,
}

impl<C: Clock> GovernorLayer<C> {
    /// A layer whose services share `governor`.
    pub fn new(governor: Governor<C>) -> Self {
        GovernorLayer { governor }
    }

    /// The governor every wrapped service shares.
    pub fn governor(&self) -> &Governor<C> {
        &self.governor
    }
}

impl Default for GovernorLayer<SystemClock> {
    /// A layer on a fresh [`Governor::new`].
    fn default() -> Self {
        GovernorLayer::new(Governor::new())
    }
}

impl<S, C: Clock> tower_layer::Layer<S> for GovernorLayer<C> {
    type Service = Governed<S, C>;

    fn layer(&self, inner: S) -> Self::Service {
        Governed::new(inner, self.governor.clone())
    }
}
