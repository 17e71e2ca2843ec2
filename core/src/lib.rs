//! # ratelimit-governor
//!
//! Parse every rate-limit header family a server may send (the IETF `RateLimit` /
//! `RateLimit-Policy` fields of drafts 00-11, legacy `X-RateLimit-*`, GitHub, OpenAI,
//! Anthropic, Discord, Shopify, Salesforce, Kong, Envoy, GitLab and more,
//! `Retry-After` in every form, JSON error envelopes) into one normalized model of
//! quota [`Window`]s, and advise how long to wait before the next request.
//!
//! `#![no_std]`, no allocation, no `unsafe`, no clock: the caller passes header bytes
//! from any HTTP library, the status, the body and its own wall-clock time, and gets
//! back values that borrow from them.
//!
//! ```
//! use core::time::Duration;
//! use ratelimit_governor::{advise, parse, Action, Response, UnixTime, DEFAULT_MAX_WAIT};
//!
//! let headers: &[(&str, &str)] = &[
//!     ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"),
//!     ("RateLimit-Policy", r#""burst";q=5;w=2, "daily";q=100;w=86400"#),
//!     ("RateLimit", r#""burst";r=0;t=2, "daily";r=95;t=86400"#),
//! ];
//! let response = Response::new(headers)
//!     .status(200)
//!     .now(UnixTime::from_secs(1_700_000_000));
//! let limits = parse(&response);
//!
//! let burst = limits.windows().find(|w| w.policy.is_some_and(|p| p.eq_str("burst"))).unwrap();
//! assert_eq!((burst.limit, burst.remaining), (Some(5), Some(0)));
//! assert_eq!(burst.window, Some(Duration::from_secs(2)));
//!
//! let advice = advise(&limits, DEFAULT_MAX_WAIT);
//! assert_eq!(advice.action, Action::Wait);
//! // The reset, plus a little positive jitter so that clients sharing a key do not
//! // all wake at the same instant.
//! assert!(advice.wait >= Duration::from_secs(2) && advice.wait < Duration::from_millis(2050));
//! assert_eq!(limits.warnings().count(), 0);
//! ```
//!
//! See [`parse()`] for the input, [`Limits`] for the output, and [`advise`] for the
//! stateless decision rules.
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::panic
    )
)]

pub mod advice;
pub mod governor;
pub mod model;
pub mod number;
pub mod parse;
pub mod retry;
pub mod sf;
pub mod time;

pub use advice::{Action, Advice, DEFAULT_MAX_WAIT, Reason, advise};
pub use governor::{GovernorConfig, GovernorState, KnownQuota, Mode, MonoTime, Reserve};
pub use model::{
    Bounded, HintSource, Limits, PartitionKey, Problem, ProblemType, Refill, RetryHint, Signals,
    Source, Text, Unit, Warning, Window,
};
pub use parse::{HeaderPair, ParseOptions, Response, parse, parse_into, parse_with_capacity};
pub use retry::{
    Backoff, HintOutcome, HintRule, Jitter, Outcome, PollSchedule, PollTimeout, Polling,
    RandomSource, RetryBudget, RetryOn, Retryability, Schedule, SplitMix64, Ticket,
};
pub use time::UnixTime;

/// The README's examples, compiled and run as doc-tests so that they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
