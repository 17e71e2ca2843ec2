//! # ratelimit-governor-std
//!
//! The std side of [`ratelimit_governor`]: real clocks and sleeping, one governor
//! state per server shared by every task and thread, an `http` crate bridge, and
//! thin adapters for the HTTP clients people use, each behind a feature flag:
//!
//! | feature | what |
//! |---|---|
//! | `tokio` (default) | async sleeping on tokio's timer |
//! | `reqwest` | [`reqwest_middleware`] middleware: pause, observe, retry |
//! | `tower` | a `tower` `Layer` / `Service` (hyper-util's client, anything tower-based) |
//! | `ureq` | ureq 3 middleware (pause, observe) and a call-site retry wrapper |
//! | `tracing` | `tracing` events for every wait, retry, give-up and warning |
//!
//! Every adapter does the same three things around a request: ask the server's
//! [`Server`] for a [`Permit`] (waiting as long as the governor says, outside any
//! lock), send, and settle the permit with the response ([`Permit::observe`]) so the
//! next decision knows the quota. On a retryable failure the [`RetryPolicy`] decides
//! whether to send again; the governor decides when.
//!
//! ```
//! use std::time::Duration;
//! use ratelimit_governor_std::{Clock, FakeClock, Governor, ServerKey, Settings};
//!
//! // A fake clock: waits are recorded, not slept.
//! let clock = FakeClock::at_unix_secs(1_700_000_000);
//! let governor = Governor::with_clock(clock.clone(), Settings::default());
//! let server = governor.server(&ServerKey::from_url("https://api.example.com/").unwrap());
//!
//! // The server: 5 requests per 2 s, in windows that start at a client's first hit.
//! let (mut used, mut start) = (0, clock.now());
//! for _ in 0..6 {
//!     let permit = server.acquire_blocking(None).unwrap();
//!     if clock.now().saturating_since(start) >= Duration::from_secs(2) {
//!         (used, start) = (0, clock.now());
//!     }
//!     used += 1;
//!     let header = format!("\"burst\";r={};t=2", 5 - used);
//!     let headers = [("RateLimit-Policy", "\"burst\";q=5;w=2"), ("RateLimit", header.as_str())];
//!     permit.observe(200, &headers, None);
//! }
//! // Five went at once; the sixth waited for the reset.
//! assert_eq!(clock.slept(), vec![Duration::from_secs(2)]);
//! ```
#![forbid(unsafe_code)]

mod bridge;
mod clock;
mod error;
mod events;
mod fake_clock;
mod governor;
mod key;
mod permit;
#[cfg(feature = "reqwest")]
pub mod reqwest;
mod retry_policy;
mod server;
mod stats;
#[cfg(feature = "tower")]
pub mod tower;
mod work_left;

#[cfg(feature = "reqwest")]
pub use crate::reqwest::GovernorMiddleware;
#[cfg(feature = "tower")]
pub use crate::tower::{Governed, GovernorLayer, NoReplay, ReplayBody};
pub use bridge::{HeaderPairs, parse_http, parse_http_response};
pub use clock::{AsyncSleep, Clock, Sleeping, SystemClock};
pub use error::{BodyNotReplayable, GaveUp, GovernorError};
pub use fake_clock::FakeClock;
pub use governor::{Governor, Settings};
pub use key::ServerKey;
pub use permit::{Observation, Permit};
pub use retry_policy::{Attempts, RetryPolicy, StopReason, Verdict};
pub use server::{Decision, MAX_WAKEUPS, Quota, Server};
pub use stats::Stats;
pub use work_left::WorkLeft;

#[cfg(feature = "ureq")]
pub mod ureq;

pub use ratelimit_governor;
