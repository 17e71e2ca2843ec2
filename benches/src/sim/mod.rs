//! A deterministic discrete-event simulator of clients pacing against a rate-limited
//! server (`../shared/spec/governor.md` sections 2 and 3): the server produces real
//! header bytes, every client parses them with `ratelimit_governor::parse`, and the
//! strategies (the seed rules a-d and the library's governor) decide when to send.
//!
//! Virtual time is integer microseconds; randomness is one
//! `ratelimit_governor::SplitMix64` per client, seeded from the run's seed; nothing
//! sleeps and nothing runs concurrently, so a run is reproducible bit for bit.
//!
//! ```
//! use ratelimit_governor_benches::sim::{self, Strategy};
//!
//! let s1 = sim::scenario::by_name("S1").unwrap();
//! let ours = sim::run(&s1, Strategy::Ours, 1);
//! assert_eq!(ours.done, 1000);
//! ```
//!
//! | module | owns |
//! |---|---|
//! | [`server`] | quota windows, accept/reject, header bytes |
//! | [`strategy`] | the client strategies a-d and the governor adapter |
//! | [`engine`] | the event loop and per-run metrics |
//! | [`oracle`] | the lower bound |
//! | [`scenario`] | S1-S12 |
//! | [`targets`] | the issue's targets as checks |
//! | [`report`] | markdown tables |

pub mod engine;
pub mod oracle;
pub mod report;
pub mod scenario;
pub mod server;
pub mod strategy;
pub mod targets;

pub use engine::{RunResult, TraceEvent, run, run_all, run_traced};
pub use scenario::{Scenario, Target};
pub use strategy::Strategy;

/// Virtual time in microseconds.
pub type Micros = u64;

/// One second in [`Micros`].
pub const SEC: Micros = 1_000_000;

/// The one-way delays (client to server, server to client) of a round-trip time.
pub const fn split_rtt(rtt: Micros) -> (Micros, Micros) {
    let up = rtt / 2;
    (up, rtt - up)
}
