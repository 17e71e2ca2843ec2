//! [`Server`]: the handle on one server's governor, and the wait before a send.
//!
//! Asking is a short critical section: lock, let the core crate decide, and on
//! "proceed" count the request in flight before unlocking, so a concurrent caller's
//! decision already reserves quota for it. Waiting happens outside the lock.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use ratelimit_governor::{
    Action, GovernorState, RandomSource, Reason, RetryBudget, SplitMix64, Window,
};

use crate::clock::{AsyncSleep, Clock};
use crate::error::GaveUp;
use crate::events;
use crate::governor::Inner;
use crate::key::ServerKey;
use crate::permit::Permit;
use crate::stats::Count;

/// Most wake-ups one acquisition may take before it gives up: a bound on the loop,
/// far above what contention between workers needs.
pub const MAX_WAKEUPS: u32 = 10_000;

/// One server's state: the core governor, its jitter stream, its retry budget and
/// the latest quota seen.
#[derive(Debug)]
pub(crate) struct ServerState {
    pub(crate) governor: GovernorState,
    pub(crate) rng: SplitMix64,
    pub(crate) budget: Option<RetryBudget>,
    pub(crate) quota: Option<Quota>,
}

impl ServerState {
    pub(crate) fn from_parts(
        governor: GovernorState,
        seed: u64,
        budget: Option<RetryBudget>,
    ) -> Self {
        ServerState {
            governor,
            rng: SplitMix64::new(seed),
            budget,
            quota: None,
        }
    }
}

/// The most restrictive window of the latest response, for progress displays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quota {
    /// Requests (or units) the window allows.
    pub limit: Option<u64>,
    /// What was left when the response was sent.
    pub remaining: Option<u64>,
    /// Time until the window resets, as of that response.
    pub reset: Option<Duration>,
}

impl Quota {
    pub(crate) fn of(window: &Window<'_>) -> Self {
        Quota {
            limit: window.limit,
            remaining: window.effective_remaining(),
            reset: window.reset,
        }
    }
}

/// The governor's answer to "may I send now?".
#[derive(Debug)]
pub enum Decision<C: Clock> {
    /// Send now; the permit records the outcome.
    Ready(Permit<C>),
    /// Ask again after this long.
    Wait(Duration, Reason),
    /// Do not send: the required wait exceeds `max_wait`, or the server or a
    /// declared quota says never.
    GiveUp(GaveUp),
}

/// A handle on one server's governor. `Clone` shares it.
#[derive(Clone, Debug)]
pub struct Server<C: Clock> {
    key: Arc<ServerKey>,
    state: Arc<Mutex<ServerState>>,
    pub(crate) inner: Arc<Inner<C>>,
}

impl<C: Clock> Server<C> {
    pub(crate) fn new(
        key: ServerKey,
        state: Arc<Mutex<ServerState>>,
        inner: Arc<Inner<C>>,
    ) -> Self {
        Server {
            key: Arc::new(key),
            state,
            inner,
        }
    }

    /// The server this handle governs.
    pub fn key(&self) -> &ServerKey {
        &self.key
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, ServerState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The most restrictive window of the latest response that had one.
    pub fn quota(&self) -> Option<Quota> {
        self.lock().quota
    }

    /// Requests sent to this server and not yet answered (all clones together).
    pub fn in_flight(&self) -> u32 {
        self.lock().governor.in_flight()
    }

    /// Asks once, without waiting. `work_left` is how many requests this caller
    /// still has to send, this one included (`None`: open-ended).
    pub fn try_acquire(&self, work_left: Option<u64>) -> Decision<C> {
        let now = self.inner.clock.now();
        let advice = {
            let mut state = self.lock();
            let u01 = state.rng.next_unit();
            let advice = state
                .governor
                .decide(now, work_left, &self.inner.settings.config, u01);
            if advice.action == Action::Proceed {
                state.governor.on_send(now);
            }
            advice
        };
        match advice.action {
            Action::Proceed => {
                self.inner.counters.add(Count::Sent);
                Decision::Ready(Permit::new(self.clone(), now))
            }
            Action::Wait => Decision::Wait(advice.wait, advice.reason),
            Action::GiveUp => Decision::GiveUp(GaveUp {
                server: self.key.to_string(),
                wait: advice.wait,
                reason: advice.reason,
            }),
        }
    }

    /// Waits (blocking the thread) until the governor lets a request go, and returns
    /// the permit for it.
    pub fn acquire_blocking(&self, work_left: Option<u64>) -> Result<Permit<C>, GaveUp> {
        let mut waited = Duration::ZERO;
        for _ in 0..MAX_WAKEUPS {
            match self.next_step(work_left, waited) {
                Step::Ready(permit) => return Ok(permit),
                Step::GiveUp(gave_up) => return Err(gave_up),
                Step::Sleep(wait) => {
                    self.inner.clock.sleep_blocking(wait);
                    waited = waited.saturating_add(wait);
                }
            }
        }
        Err(self.too_many_wakeups())
    }

    /// Waits (asynchronously) until the governor lets a request go, and returns the
    /// permit for it. No lock is held while waiting.
    pub async fn acquire(&self, work_left: Option<u64>) -> Result<Permit<C>, GaveUp>
    where
        C: AsyncSleep,
    {
        let mut waited = Duration::ZERO;
        for _ in 0..MAX_WAKEUPS {
            match self.next_step(work_left, waited) {
                Step::Ready(permit) => return Ok(permit),
                Step::GiveUp(gave_up) => return Err(gave_up),
                Step::Sleep(wait) => {
                    self.inner.clock.sleep(wait).await;
                    waited = waited.saturating_add(wait);
                }
            }
        }
        Err(self.too_many_wakeups())
    }

    /// One round of an acquisition: decide, count and report.
    fn next_step(&self, work_left: Option<u64>, waited: Duration) -> Step<C> {
        match self.try_acquire(work_left) {
            Decision::Ready(mut permit) => {
                permit.waited = waited;
                Step::Ready(permit)
            }
            Decision::Wait(wait, reason) => {
                events::waiting(&self.key, wait, reason);
                self.inner.counters.add_wait(wait);
                Step::Sleep(wait)
            }
            Decision::GiveUp(gave_up) => {
                events::gave_up(&self.key, &gave_up);
                self.inner.counters.add(Count::GaveUp);
                Step::GiveUp(gave_up)
            }
        }
    }

    fn too_many_wakeups(&self) -> GaveUp {
        let gave_up = GaveUp {
            server: self.key.to_string(),
            wait: Duration::ZERO,
            reason: Reason::WaitExceedsMax,
        };
        events::gave_up(&self.key, &gave_up);
        self.inner.counters.add(Count::GaveUp);
        gave_up
    }

    /// Takes a retry ticket from this server's retry budget for a failure of
    /// `kind`; `None` when the budget is spent. With no budget configured every
    /// retry is allowed.
    pub(crate) fn retry_ticket(
        &self,
        kind: ratelimit_governor::Retryability,
        timeout: bool,
    ) -> Result<Option<ratelimit_governor::Ticket>, ()> {
        let mut state = self.lock();
        match state.budget.as_mut() {
            None => Ok(None),
            Some(budget) => budget.try_acquire(kind, timeout).map(Some).ok_or(()),
        }
    }

    /// Refunds the budget after a success (`ticket`: the retry that succeeded).
    pub(crate) fn retry_succeeded(&self, ticket: Option<ratelimit_governor::Ticket>) {
        if let Some(budget) = self.lock().budget.as_mut() {
            budget.on_success(ticket);
        }
    }

    /// Charges the budget for a failed attempt (only ratio budgets charge).
    pub(crate) fn retry_failed(&self) {
        if let Some(budget) = self.lock().budget.as_mut() {
            budget.on_failure();
        }
    }
}

enum Step<C: Clock> {
    Ready(Permit<C>),
    Sleep(Duration),
    GiveUp(GaveUp),
}
