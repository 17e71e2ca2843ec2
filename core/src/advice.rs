//! [`Advice`]: what to do before the next request, and [`advise`], the one-shot
//! governor that judges a single response on its own (what `ratelimit-governor
//! inspect` prints).
//!
//! [`advise`] feeds one response to a fresh [`GovernorState`] and asks for its
//! decision, so it obeys the decision rules of `../shared/contract/cli.md` section 1:
//!
//! | rule | when | advice |
//! |---|---|---|
//! | 5 | failure and the server says not to retry (`Stripe-Should-Retry: false`) | give up |
//! | 1 | failure (status >= 300) with a retry hint `R` | wait `R` plus at most 10% / 1 s |
//! | 2 | a window with nothing remaining and a known reset (`E` = longest such reset) | wait `E` plus at most 2% / 1 s, even on a 200 |
//! | 3 | 429, or 403/503 with rate-limit evidence | the backoff's first step (at least 100 ms), one window length when the exhausted window's reset is unknown, 60 s for GitHub's secondary limit |
//! | 4 | otherwise | proceed |
//! | 5 | a rule-1 or rule-2 wait longer than `max_wait` | give up, carrying the wait |
//!
//! A transient server error without rate-limit evidence (500, 502, 504, a 503
//! without a hint) gives "proceed" here: retrying it is the retry policy's business,
//! not the quota's. A `Retry-After` on a 2xx response is reported but does not force
//! a wait (rule 6).

use core::time::Duration;

use crate::governor::{GovernorConfig, GovernorState, MonoTime};
use crate::model::Limits;

/// Default longest wait: long enough for an hourly quota to reset (GitHub's 5,000 per
/// hour resets within 3,600 s) with margin for clock skew and jitter, short enough
/// that a key blocked for a day fails fast: 65 minutes.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(3900);

/// The jitter sample [`advise`] uses, so that its answer is reproducible.
pub const ADVISE_SAMPLE: f64 = 0.5;

/// What to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Send the next request now.
    Proceed,
    /// Wait, then send.
    Wait,
    /// Do not send: the required wait exceeds the caller's bound or the server said
    /// not to retry.
    GiveUp,
}

impl Action {
    /// `proceed`, `wait` or `give_up`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Proceed => "proceed",
            Action::Wait => "wait",
            Action::GiveUp => "give_up",
        }
    }
}

/// Why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// Nothing asks for a wait.
    QuotaAvailable,
    /// The server's retry hint.
    RetryAfter,
    /// A window has no quota left until its reset.
    WindowExhausted,
    /// A rejection without a usable delay: fallback backoff.
    Backoff,
    /// GitHub secondary rate limit: documented minimum wait.
    SecondaryRateLimit,
    /// The required wait is longer than `max_wait`.
    WaitExceedsMax,
    /// The server said not to retry.
    ServerSaysNoRetry,
    /// Spreading the remaining quota (smooth mode or a declared quota).
    Pacing,
    /// A declared lifetime quota is used up.
    QuotaExhausted,
    /// Waiting for the answer to a request in flight before sending more: nothing
    /// is known of the server yet, or a window's new cycle has not been seen.
    Probe,
}

impl Reason {
    /// A short machine-friendly name (`retry-after`, `window-exhausted` ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Reason::QuotaAvailable => "quota-available",
            Reason::RetryAfter => "retry-after",
            Reason::WindowExhausted => "window-exhausted",
            Reason::Backoff => "backoff",
            Reason::SecondaryRateLimit => "secondary-rate-limit",
            Reason::WaitExceedsMax => "wait-exceeds-max",
            Reason::ServerSaysNoRetry => "server-says-no-retry",
            Reason::Pacing => "pacing",
            Reason::QuotaExhausted => "quota-exhausted",
            Reason::Probe => "probe",
        }
    }
}

/// The advice: an action, the wait it implies, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Advice {
    /// What to do.
    pub action: Action,
    /// How long to wait (zero with [`Action::Proceed`]; the required wait with
    /// [`Action::GiveUp`] for [`Reason::WaitExceedsMax`]).
    pub wait: Duration,
    /// Why.
    pub reason: Reason,
    /// A declared lifetime quota has reached its warning threshold.
    pub quota_warning: bool,
}

impl Advice {
    /// Advice with no quota warning.
    pub const fn new(action: Action, wait: Duration, reason: Reason) -> Self {
        Advice {
            action,
            wait,
            reason,
            quota_warning: false,
        }
    }

    /// Send now.
    pub const fn proceed() -> Self {
        Self::new(Action::Proceed, Duration::ZERO, Reason::QuotaAvailable)
    }
}

/// Advises on the next request from one response alone (see the module docs).
pub fn advise<const W: usize, const N: usize>(
    limits: &Limits<'_, W, N>,
    max_wait: Duration,
) -> Advice {
    let cfg = GovernorConfig::DEFAULT.max_wait(max_wait);
    let mut state: GovernorState<W, 1, 1> = GovernorState::new();
    state.on_send(MonoTime::ZERO);
    state.observe(limits, MonoTime::ZERO, MonoTime::ZERO);
    let advice = state.decide(MonoTime::ZERO, None, &cfg, ADVISE_SAMPLE);
    let status = limits.status().unwrap_or(0);
    let evidence = limits.window_count() > 0 || limits.signals().any_evidence();
    let rate_limited = status == 429 || (matches!(status, 403 | 503) && evidence);
    if advice.reason == Reason::Backoff && !rate_limited {
        return Advice::proceed();
    }
    advice
}
