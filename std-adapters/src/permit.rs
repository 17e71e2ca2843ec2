//! [`Permit`]: a request the governor let go, and what its response taught.
//!
//! The permit was counted in flight when it was issued; it must be settled exactly
//! once: with the response ([`Permit::observe`], [`Permit::observe_http`]) or with a
//! transport failure ([`Permit::transport_error`]). A permit dropped unsettled (a
//! cancelled future) is taken out of flight without counting as a failure.

use std::time::Duration;

use http::{HeaderMap, StatusCode};
use ratelimit_governor::{
    HeaderPair, MonoTime, ParseOptions, Response, Retryability, parse, retry::classify_limits,
};

use crate::bridge::HeaderPairs;
use crate::clock::Clock;
use crate::events;
use crate::server::{Quota, Server};
use crate::stats::Count;

/// Parse options of the adapters: the defaults, plus the sub-second refinement of
/// `Date` by the client clock (a real clock is at hand here).
const REFINE_DATE: ParseOptions = ParseOptions {
    refine_date_with_clock: true,
    ..ParseOptions::DEFAULT
};

/// A request the governor let go.
#[derive(Debug)]
pub struct Permit<C: Clock> {
    server: Server<C>,
    sent_at: MonoTime,
    pub(crate) waited: Duration,
    settled: bool,
}

/// What one response says, as the adapters need it.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    /// The status code.
    pub status: u16,
    /// Whether a retry may help, and why (429 and rate-limit evidence: throttled).
    pub retryability: Retryability,
    /// The server's retry hint (`Retry-After` and its relatives), if any.
    pub retry_after: Option<Duration>,
    /// The most restrictive window of this response, if it had any.
    pub quota: Option<Quota>,
    /// The parser's warnings about the response, as text.
    pub warnings: Vec<String>,
}

impl Observation {
    /// True for 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// True for 429 and 503: the server refused for load or quota.
    pub fn is_rejection(&self) -> bool {
        matches!(self.status, 429 | 503)
    }
}

impl<C: Clock> Permit<C> {
    pub(crate) fn new(server: Server<C>, sent_at: MonoTime) -> Self {
        Permit {
            server,
            sent_at,
            waited: Duration::ZERO,
            settled: false,
        }
    }

    /// How long the governor made this request wait before it was let go.
    pub fn waited(&self) -> Duration {
        self.waited
    }

    /// The server this permit is for.
    pub fn server(&self) -> &Server<C> {
        &self.server
    }

    /// Settles the permit with a response: `status`, header pairs from any source
    /// (`&[(&str, &str)]`, `&[(&[u8], &[u8])]`, a mapped iterator) and the body's
    /// first bytes when the caller has them.
    pub fn observe<'a, H, P>(
        mut self,
        status: u16,
        headers: H,
        body: Option<&'a [u8]>,
    ) -> Observation
    where
        H: IntoIterator<Item = P> + Clone,
        P: HeaderPair<'a>,
    {
        self.settled = true;
        let inner = &self.server.inner;
        let mut response = Response::new(headers)
            .status(status)
            .now(inner.clock.wall())
            .options(REFINE_DATE);
        if let Some(body) = body {
            response = response.body(body);
        }
        let limits = parse(&response);
        let received_at = inner.clock.now();
        let quota = limits.most_restrictive().map(Quota::of);
        {
            let mut state = self.server.lock();
            state.governor.observe(&limits, self.sent_at, received_at);
            if quota.is_some() {
                state.quota = quota;
            }
        }
        inner.counters.add(Count::Response);
        if matches!(status, 429 | 503) {
            inner.counters.add(Count::Rejected);
        }
        let warnings: Vec<String> = limits.warnings().map(|w| w.to_string()).collect();
        for warning in &warnings {
            events::warning(self.server.key(), warning);
        }
        Observation {
            status,
            retryability: classify_limits(&limits, &inner.settings.retry.retry_on),
            retry_after: limits.retry_after(),
            quota,
            warnings,
        }
    }

    /// Settles the permit with a response given as `http` types.
    pub fn observe_http(
        self,
        status: StatusCode,
        headers: &HeaderMap,
        body: Option<&[u8]>,
    ) -> Observation {
        self.observe(status.as_u16(), HeaderPairs(headers), body)
    }

    /// Settles the permit with a failure that produced no response.
    pub fn transport_error(mut self) {
        self.settled = true;
        let inner = &self.server.inner;
        let at = inner.clock.now();
        self.server.lock().governor.on_transport_error(at);
        inner.counters.add(Count::TransportError);
    }
}

impl<C: Clock> Drop for Permit<C> {
    fn drop(&mut self) {
        if !self.settled {
            self.server.lock().governor.on_cancel();
        }
    }
}
