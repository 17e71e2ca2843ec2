//! When a failed request is sent again, shared by every adapter.
//!
//! The wait before a retry is not decided here: the next acquisition from the
//! governor already honours the server's hint, then the exponential backoff at the
//! consecutive-failure count (see the core crate's `GovernorState::decide`). This
//! module only answers *whether*: the failure must be retryable (429, 503 or 403
//! with rate-limit evidence, 408/500/502/504, a transport error; per-status
//! overrides in [`RetryPolicy::retry_on`]), the method idempotent (or the caller
//! opted in), the retry count under its limit, and the server's retry budget must
//! have a token. A budget beats a bare count: when a server is down for everyone,
//! retries stop after a few failures instead of multiplying the load.

use ratelimit_governor::{RetryBudget, RetryOn, Retryability, Ticket};

use crate::clock::Clock;
use crate::events;
use crate::permit::Observation;
use crate::server::Server;
use crate::stats::Count;

/// The retry rules. The defaults:
///
/// | setting | default | why |
/// |---|---|---|
/// | `max_retries` | 5 | a bulk job against a server with no headers polls a few times per window |
/// | `retry_non_idempotent` | false | a POST may have been processed before the failure |
/// | `budget` | [`RetryBudget::aws_standard`], per server | stops retry storms when a server fails for everyone |
/// | `retry_on` | [`RetryOn::new`] (no overrides) | the core classification |
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Most retries of one request.
    pub max_retries: u32,
    /// Retry methods that are not idempotent (POST, PATCH, CONNECT).
    pub retry_non_idempotent: bool,
    /// Per-server retry budget; `None` for no budget.
    pub budget: Option<RetryBudget>,
    /// Per-status overrides of the classification.
    pub retry_on: RetryOn,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::new()
    }
}

impl RetryPolicy {
    /// The defaults (see the table above).
    pub fn new() -> Self {
        RetryPolicy {
            max_retries: 5,
            retry_non_idempotent: false,
            budget: Some(RetryBudget::aws_standard()),
            retry_on: RetryOn::new(),
        }
    }

    /// Never retry (the governor still paces the sends).
    pub fn never() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::new()
        }
    }

    /// Sets the most retries of one request.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Opts in to retrying non-idempotent methods.
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = yes;
        self
    }

    /// Sets the per-server retry budget (`None`: no budget).
    pub fn with_budget(mut self, budget: Option<RetryBudget>) -> Self {
        self.budget = budget;
        self
    }

    /// Sets the per-status overrides.
    pub fn with_retry_on(mut self, retry_on: RetryOn) -> Self {
        self.retry_on = retry_on;
        self
    }

    /// The budget each server starts with.
    pub(crate) fn budget(&self) -> Option<RetryBudget> {
        self.budget
    }

    /// True when requests with `method` may be retried.
    pub fn allows(&self, method: &http::Method) -> bool {
        method.is_idempotent() || self.retry_non_idempotent
    }
}

/// What to do after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Hand this outcome to the caller.
    Return,
    /// Send the request again (after the governor's wait).
    Retry,
    /// A retry could help but is not allowed; hand the outcome to the caller.
    Stop(StopReason),
}

/// Why a retryable failure is handed to the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// The method is not idempotent and the policy did not opt in.
    NotIdempotent,
    /// `max_retries` reached.
    RetriesExhausted,
    /// The server's retry budget is spent.
    BudgetExhausted,
}

impl StopReason {
    /// A short description.
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::NotIdempotent => "method is not idempotent",
            StopReason::RetriesExhausted => "max_retries reached",
            StopReason::BudgetExhausted => "retry budget spent",
        }
    }
}

/// The retry bookkeeping of one logical request: how many retries so far, and the
/// budget ticket of the latest one.
#[derive(Debug)]
pub struct Attempts<C: Clock> {
    server: Server<C>,
    idempotent: bool,
    retries: u32,
    ticket: Option<Ticket>,
}

impl<C: Clock> Attempts<C> {
    /// Starts a request with `method` to `server`.
    pub fn new(server: Server<C>, method: &http::Method) -> Self {
        let idempotent = server.inner.settings.retry.allows(method);
        Attempts {
            server,
            idempotent,
            retries: 0,
            ticket: None,
        }
    }

    /// Retries made so far.
    pub fn retries(&self) -> u32 {
        self.retries
    }

    /// The server's governor.
    pub fn server(&self) -> &Server<C> {
        &self.server
    }

    /// The verdict after a response.
    pub fn after_response(&mut self, seen: &Observation) -> Verdict {
        if !seen.retryability.is_retryable() {
            if seen.is_success() {
                self.server.retry_succeeded(self.ticket.take());
            }
            return Verdict::Return;
        }
        self.server.retry_failed();
        self.retry_or_stop(seen.retryability, false, Some(seen.status))
    }

    /// The verdict after a transport error (`timeout`: the attempt timed out).
    pub fn after_transport_error(&mut self, timeout: bool) -> Verdict {
        self.server.retry_failed();
        self.retry_or_stop(Retryability::Transient, timeout, None)
    }

    fn retry_or_stop(&mut self, kind: Retryability, timeout: bool, status: Option<u16>) -> Verdict {
        let policy = &self.server.inner.settings.retry;
        let stop = if !self.idempotent {
            Some(StopReason::NotIdempotent)
        } else if self.retries >= policy.max_retries {
            Some(StopReason::RetriesExhausted)
        } else {
            match self.server.retry_ticket(kind, timeout) {
                Ok(ticket) => {
                    self.ticket = ticket;
                    None
                }
                Err(()) => Some(StopReason::BudgetExhausted),
            }
        };
        match stop {
            Some(reason) => {
                events::not_retried(self.server.key(), reason.as_str());
                self.server.inner.counters.add(Count::GaveUp);
                Verdict::Stop(reason)
            }
            None => {
                self.retries = self.retries.saturating_add(1);
                self.server.inner.counters.add(Count::Retry);
                events::retrying(self.server.key(), self.retries, status);
                Verdict::Retry
            }
        }
    }
}
