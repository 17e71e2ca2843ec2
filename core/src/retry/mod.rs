//! Retrying: how long to sleep before each retry, whether to retry at all, and how
//! much retrying the fleet may afford (`../shared/spec/governor.md` sections 0.1 and
//! 1.1-1.9).
//!
//! Everything here is pure: time and randomness are inputs. A [`Backoff`] unrolls
//! into a [`Schedule`], an `Iterator<Item = Duration>` whose jitter is drawn from a
//! caller-supplied [`RandomSource`]; [`combine`] lets a server hint override it;
//! [`classify`] says whether a failure is retryable and whether it was throttling; a
//! [`RetryBudget`] caps retries across requests; [`Polling`] paces "is it ready yet?"
//! loops.
//!
//! ```
//! use core::time::Duration;
//! use ratelimit_governor::retry::{
//!     Backoff, HintOutcome, HintRule, RetryBudget, RetryOn, Retryability, SplitMix64,
//!     classify_limits, combine,
//! };
//! use ratelimit_governor::{parse, Response, UnixTime};
//!
//! let headers: &[(&str, &str)] = &[("Retry-After", "3")];
//! let response = Response::new(headers).status(429).now(UnixTime::from_secs(1_700_000_000));
//! let limits = parse(&response);
//!
//! let mut budget = RetryBudget::aws_standard();
//! let mut schedule = Backoff::aws_standard().schedule(SplitMix64::new(42));
//!
//! let kind = classify_limits(&limits, &RetryOn::new());
//! assert_eq!(kind, Retryability::Throttled);
//! let ticket = budget.try_acquire(kind, false).expect("budget is full");
//! let backoff = schedule.next().expect("3 attempts allow 2 retries");
//! let outcome = combine(HintRule::default(), limits.retry_after(), backoff, Duration::from_secs(60), 0.5);
//! // The 3 s hint wins, plus U(0, min(0.3 s, 1 s)) of jitter.
//! assert_eq!(outcome, HintOutcome::Wait(Duration::from_millis(3_150)));
//! // ... sleep, retry; on success hand the ticket back:
//! budget.on_success(Some(ticket));
//! assert_eq!(budget.tokens(), 500);
//! ```

mod backoff;
mod budget;
mod classify;
mod hint;
mod jitter;
mod polling;
mod random;
mod scale;
mod schedule;

pub use backoff::Backoff;
pub use budget::{RetryBudget, Ticket};
pub use classify::{Outcome, RETRY_ON_CAPACITY, RetryOn, Retryability, classify, classify_limits};
pub use hint::{HintOutcome, HintRule, combine};
pub use jitter::Jitter;
pub use polling::{PollSchedule, PollTimeout, Polling};
pub use random::{RandomSource, SplitMix64};
pub use schedule::Schedule;
