//! The informed governor: caller-owned state per server and credential, updated by
//! [`GovernorState::observe`] with each parsed response and asked
//! [`GovernorState::decide`] for the wait before the next request. Time and
//! randomness are inputs; nothing here reads a clock (`../shared/spec/governor.md`
//! sections 2 and 4).
//!
//! ```
//! use core::time::Duration;
//! use ratelimit_governor::{parse, Action, GovernorConfig, GovernorState, MonoTime, Response};
//!
//! let cfg = GovernorConfig::DEFAULT;
//! let mut state: GovernorState = GovernorState::new();
//! let t0 = MonoTime::ZERO;
//! state.on_send(t0);
//! let headers: &[(&str, &str)] = &[("RateLimit", r#""burst";r=0;t=2"#)];
//! let limits = parse(&Response::new(headers).status(200));
//! state.observe(&limits, t0, MonoTime::from_millis(50));
//!
//! // 1,000 requests still to send; the burst window is used up: wait for its reset.
//! let advice = state.decide(MonoTime::from_millis(50), Some(1000), &cfg, 0.5);
//! assert_eq!(advice.action, Action::Wait);
//! assert!(advice.wait >= Duration::from_secs(2));
//! ```

mod blind;
mod config;
mod decide;
mod grant_log;
mod known_quota;
mod mono_time;
mod state;
mod whole_length;
mod window_state;

pub use config::{GovernorConfig, Mode, Reserve};
pub use decide::{MIN_RETRY_WAIT, UNKNOWN_RESET_CAP};
pub use known_quota::{KnownQuota, SLIDING_LOG};
pub use mono_time::MonoTime;
pub use state::{GovernorState, QuotaCapacityExceeded};
