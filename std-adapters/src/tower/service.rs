//! [`Governed`]: a tower service that waits for the governor before each send,
//! settles it with each response head, and retries per the policy.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http::request::Parts;
use http::{Request, Response};
use ratelimit_governor::Reason;
use tower_service::Service;

use super::error::Error;
use super::replay_body::ReplayBody;
use crate::clock::{AsyncSleep, Clock, SystemClock};
use crate::error::{BodyNotReplayable, GaveUp, GovernorError};
use crate::governor::Governor;
use crate::retry_policy::{Attempts, Verdict};

/// The future of a [`Governed`] call: the governor's waits, every attempt and the
/// retries, boxed (`Send`).
pub type ResponseFuture<R, E> = Pin<Box<dyn Future<Output = Result<R, Error<E>>> + Send>>;

/// An HTTP service governed by a shared [`Governor`]; see the
/// [module docs](super) for what it does with 429s, give-ups and bodies.
///
/// `Clone` (when the inner service is) shares the governor: clones given to many
/// tasks are paced together.
#[derive(Clone, Debug)]
pub struct Governed<S, C: Clock = SystemClock> {
    inner: S,
    governor: Governor<C>,
}

impl<S, C: Clock> Governed<S, C> {
    /// Wraps `inner`; its requests are paced by `governor`.
    pub fn new(inner: S, governor: Governor<C>) -> Self {
        Governed { inner, governor }
    }

    /// The governor this service shares.
    pub fn governor(&self) -> &Governor<C> {
        &self.governor
    }

    /// The inner service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The inner service, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// The inner service, unwrapped.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S, C, B, RB> Service<Request<B>> for Governed<S, C>
where
    S: Service<Request<B>, Response = Response<RB>> + Clone + Send + 'static,
    S::Future: Send,
    S::Error: Send + 'static,
    C: AsyncSleep,
    B: ReplayBody + Send + 'static,
    RB: Send + 'static,
{
    type Response = Response<RB>;
    type Error = Error<S::Error>;
    type Future = ResponseFuture<Response<RB>, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(Error::Inner)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        // The service that was polled ready goes into the future; a fresh clone
        // stays behind for the next poll_ready.
        let fresh = self.inner.clone();
        let ready = std::mem::replace(&mut self.inner, fresh);
        Box::pin(send(ready, self.governor.clone(), request))
    }
}

/// The head of the request and the body to send next.
struct Replay<B> {
    parts: Parts,
    /// `None` once a body that cannot be copied has been sent.
    body: Option<B>,
}

impl<B: ReplayBody> Replay<B> {
    /// The request to send now; with `keep_copy`, a copy of the body is kept for a
    /// retry (when the body can be copied).
    fn next(&mut self, keep_copy: bool) -> Option<Request<B>> {
        let body = self.body.take()?;
        if keep_copy {
            self.body = body.replay();
        }
        Some(Request::from_parts(self.parts.clone(), body))
    }

    /// True when another attempt can be sent.
    fn can_send(&self) -> bool {
        self.body.is_some()
    }

    /// The error for a retry that is due but cannot be sent.
    fn not_replayable<E>(&self, status: Option<u16>) -> Error<E> {
        GovernorError::BodyNotReplayable(BodyNotReplayable {
            method: self.parts.method.to_string(),
            uri: self.parts.uri.to_string(),
            status,
        })
        .into()
    }
}

/// One governed request: the adapter loop (the governor decides when, the policy
/// whether). Bounded: one attempt plus at most `max_retries` retries.
async fn send<S, C, B, RB>(
    mut inner: S,
    governor: Governor<C>,
    request: Request<B>,
) -> Result<Response<RB>, Error<S::Error>>
where
    S: Service<Request<B>, Response = Response<RB>>,
    C: AsyncSleep,
    B: ReplayBody,
{
    let (parts, body) = request.into_parts();
    let Some(server) = governor.server_for(&parts.uri, &parts.headers) else {
        return Err(GovernorError::NoServer(parts.uri.to_string()).into());
    };
    let policy = &governor.settings().retry;
    let (max_retries, retryable) = (policy.max_retries, policy.allows(&parts.method));
    let mut attempts = Attempts::new(server.clone(), &parts.method);
    let mut request = Replay {
        parts,
        body: Some(body),
    };
    // The outcome of the latest attempt, kept while waiting for a retry's slot.
    let mut last: Option<Result<Response<RB>, S::Error>> = None;
    for _ in 0..=max_retries {
        let permit = match server.acquire(None).await {
            Ok(permit) => permit,
            Err(gave_up) => {
                return match last {
                    Some(outcome) => outcome.map_err(Error::Inner),
                    None => Err(GovernorError::GaveUp(gave_up).into()),
                };
            }
        };
        // Ready already for the first attempt (the caller polled it); a retry's
        // copy must be polled again. A failure drops the permit (cancelled).
        poll_fn(|cx| inner.poll_ready(cx))
            .await
            .map_err(Error::Inner)?;
        let keep_copy = retryable && attempts.retries() < max_retries;
        let Some(attempt) = request.next(keep_copy) else {
            let status = match &last {
                Some(Ok(response)) => Some(response.status().as_u16()),
                _ => None,
            };
            return Err(request.not_replayable(status));
        };
        match inner.call(attempt).await {
            Ok(response) => {
                let seen = permit.observe_http(response.status(), response.headers(), None);
                match attempts.after_response(&seen) {
                    Verdict::Retry if !request.can_send() => {
                        return Err(request.not_replayable(Some(seen.status)));
                    }
                    Verdict::Retry => last = Some(Ok(response)),
                    Verdict::Return | Verdict::Stop(_) => return Ok(response),
                }
            }
            Err(error) => {
                permit.transport_error();
                match attempts.after_transport_error(false) {
                    Verdict::Retry if !request.can_send() => {
                        return Err(request.not_replayable(None));
                    }
                    Verdict::Retry => last = Some(Err(error)),
                    Verdict::Return | Verdict::Stop(_) => return Err(Error::Inner(error)),
                }
            }
        }
    }
    // Not reached: the policy stops after max_retries retries, and every attempt
    // before that leaves its outcome in `last`.
    match last {
        Some(outcome) => outcome.map_err(Error::Inner),
        None => Err(GovernorError::GaveUp(GaveUp {
            server: server.key().to_string(),
            wait: Duration::ZERO,
            reason: Reason::WaitExceedsMax,
        })
        .into()),
    }
}
