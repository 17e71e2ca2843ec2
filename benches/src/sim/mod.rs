//! A deterministic discrete-event simulator of clients pacing against a rate-limited
//! server (`../shared/spec/governor.md` sections 2 and 3): the server produces real
//! header bytes, every client parses them with `ratelimit_governor::parse`, and the
//! strategies (the seed rules a-d and the library's governor) decide when to send.
//!
//! Virtual time is integer microseconds; randomness is one
//! `ratelimit_governor::SplitMix64` per client (and two per worker for its network
//! delays: first attempts, retries; see [`streams`]), seeded from the run's seed;
//! nothing sleeps and nothing runs concurrently, so a run is reproducible bit for
//! bit. Scenarios come from a fixed catalogue (S1-S12) or from a seeded generator.
//!
//! ```
//! use ratelimit_governor_benches::sim::{self, Strategy};
//!
//! let s1 = sim::scenario::by_name("S1").unwrap();
//! let ours = sim::run(&s1, Strategy::Ours, 1);
//! assert_eq!(ours.done, 1000);
//!
//! let generated = sim::generate::generate(7);
//! assert_eq!(generated, sim::generate::generate(7));
//! ```
//!
//! | module | owns |
//! |---|---|
//! | [`clock`] | virtual time and its units |
//! | [`window`] | what a quota window is: kind, limit, length, prior usage |
//! | [`counter`] | counting one window: admit, remaining, reset, next free unit |
//! | [`headers`] | the rate-limit header families, as text |
//! | [`server`] | accept/reject, `Date`, `Retry-After`, the response |
//! | [`network`] | round-trip time and jitter |
//! | [`strategy`] | the client strategies a-d and the governor adapter |
//! | [`engine`] | the event loop (clients, workers, re-decisions) and per-run metrics |
//! | [`streams`] | the seeded random streams of a run (per client, per worker) |
//! | [`oracle`] | the min-RTT lower bound |
//! | [`cold_start`] | issue 8 item 3's cold-start probe: start rules, the probe's round trip |
//! | [`fair_bound`] | the fair bound: the perfect client on the run's own delays (and probing first) |
//! | [`bounds`] | the yardsticks a run is measured against |
//! | [`scenario`] | what a job is, and S1-S12 |
//! | [`generate`] | scenarios drawn from a seed |
//! | [`targets`] | the issue's targets for S1-S12, as checks |
//! | [`invariants`] | the invariants every generated scenario is held to |
//! | [`sweep`] | a range of generated scenarios, summarized per class |
//! | [`report`] | markdown tables |

pub mod bounds;
pub mod clock;
pub mod cold_start;
pub mod counter;
pub mod engine;
pub mod fair_bound;
pub mod generate;
pub mod headers;
pub mod invariants;
pub mod network;
pub mod oracle;
pub mod report;
pub mod scenario;
pub mod server;
pub mod strategy;
pub mod streams;
pub mod sweep;
pub mod targets;
pub mod window;

pub use bounds::Bounds;
pub use clock::{Micros, SEC, split_rtt};
pub use engine::{RunResult, TraceEvent, run, run_all, run_traced};
pub use scenario::{Scenario, Target};
pub use strategy::Strategy;
