//! [`Advice`]: what to do before the next request, from one parsed response alone.
//!
//! A stateless default policy implementing the decision rules of
//! `../shared/contract/cli.md` section 1 ("Decision rules the default governor must
//! obey"):
//!
//! | rule | when | advice |
//! |---|---|---|
//! | 5 | failure and the server says not to retry (`Stripe-Should-Retry: false`) | give up |
//! | 1 | failure (status >= 300) with a retry hint `R` | wait `R` |
//! | 2 | a window with nothing remaining and a known reset (`E` = longest such reset) | wait `E`, even on a 200 |
//! | 3 | 429, or 403/503 with rate-limit evidence | wait a documented fallback (below) |
//! | 4 | otherwise | proceed |
//! | 5 | a rule-1 or rule-2 wait longer than `max_wait` | give up, carrying the wait |
//!
//! Rule 3 fallbacks: GitHub's secondary limit without `retry-after` waits 60 s (its
//! documented minimum); an exhausted window whose reset is unknown waits one window
//! length (at most 120 s); anything else waits [`FALLBACK_WAIT`]. A `Retry-After` on a
//! 2xx response is reported but does not force a wait (rule 6).

use core::time::Duration;

use crate::model::Limits;

/// Default longest wait: long enough for an hourly quota to reset (GitHub's 5,000 per
/// hour resets within 3,600 s) with margin for clock skew and jitter, short enough
/// that a key blocked for a day fails fast: 65 minutes.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(3900);

/// Wait after a rate-limit rejection that says nothing about when to retry: one
/// second, the first step of the usual exponential backoff.
pub const FALLBACK_WAIT: Duration = Duration::from_secs(1);

/// GitHub's documented minimum wait after a secondary rate limit without
/// `retry-after`.
pub const GITHUB_SECONDARY_WAIT: Duration = Duration::from_secs(60);

/// Longest rule-3 wait derived from a window length.
pub const RULE3_CAP: Duration = Duration::from_secs(120);

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
}

impl Advice {
    const fn new(action: Action, wait: Duration, reason: Reason) -> Self {
        Advice {
            action,
            wait,
            reason,
        }
    }
}

fn required(wait: Duration, reason: Reason, max_wait: Duration) -> Advice {
    if wait > max_wait {
        Advice::new(Action::GiveUp, wait, Reason::WaitExceedsMax)
    } else {
        Advice::new(Action::Wait, wait, reason)
    }
}

/// Advises on the next request from one response (see the module docs for rules).
pub fn advise<const W: usize, const N: usize>(
    limits: &Limits<'_, W, N>,
    max_wait: Duration,
) -> Advice {
    let failure = limits.is_failure();
    if failure && limits.signals().should_retry == Some(false) {
        return Advice::new(Action::GiveUp, Duration::ZERO, Reason::ServerSaysNoRetry);
    }
    if failure {
        if let Some(r) = limits.retry_after() {
            return required(r, Reason::RetryAfter, max_wait);
        }
    }
    if let Some(e) = limits.exhausted_reset() {
        return required(e, Reason::WindowExhausted, max_wait);
    }
    let status = limits.status().unwrap_or(0);
    let evidence = limits.window_count() > 0 || limits.signals().any_evidence();
    if status == 429 || (matches!(status, 403 | 503) && evidence) {
        if limits.signals().secondary_rate_limit {
            return Advice::new(
                Action::Wait,
                GITHUB_SECONDARY_WAIT,
                Reason::SecondaryRateLimit,
            );
        }
        let window_wait = limits
            .windows()
            .filter(|w| w.remaining == Some(0))
            .filter_map(|w| w.window)
            .max()
            .map(|w| w.min(RULE3_CAP));
        let wait = match window_wait {
            Some(w) if w > Duration::ZERO => w,
            _ => FALLBACK_WAIT,
        };
        return Advice::new(Action::Wait, wait, Reason::Backoff);
    }
    Advice::new(Action::Proceed, Duration::ZERO, Reason::QuotaAvailable)
}
