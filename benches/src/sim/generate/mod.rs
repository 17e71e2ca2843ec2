//! Scenarios drawn from a seed: `generate(seed)` is a pure function, so a failing
//! scenario is replayed from its seed alone.
//!
//! Each scenario draws, in this order:
//!
//! - its class: (a) [`Class::OneClient`], one client with rate-limit headers, whose
//!   K = 1-16 closed-loop workers share one governor; (b) [`Class::Sharers`],
//!   K = 2-64 independent clients with headers, each with its own governor, each
//!   starting at a random instant of the binding window's first length;
//!   (c) [`Class::Headerless`], no rate-limit headers (bare 429s, with or without
//!   `Retry-After`), one client with 1-4 workers or 2-4 independent clients;
//! - the server kind, for all its windows: fixed windows aligned to the wall clock,
//!   fixed windows opened by the first hit, sliding logs, token buckets (reset = time
//!   until full, or until the next token) or GCRA;
//! - 1-3 windows of 1 s to 1 day (1 h at most without headers) with limits of 1 to
//!   10,000 and a job of about 1-5 windows' worth of the binding limit, at most
//!   3,000 requests ([`quota`]);
//! - the header family (every family of [`HeaderFormat::WITH_HEADERS`], or none),
//!   `Retry-After` on 429 or not, rejected requests counted or not (fixed windows
//!   only: on a log, a bucket or GCRA a client that keeps retrying would then lock
//!   itself out for good), the server's wall clock (a random time of day, so aligned
//!   boundaries do not fall at t = 0), and usage left in each window by someone else
//!   before the run (in half the scenarios: up to `limit - 1` units at a random
//!   instant up to one window length earlier, so at least one unit is left);
//! - the network (RTT 10-500 ms, log-uniform, with per-request jitter) and the
//!   client's clock skew (up to ±60 s).
//!
//! **The job's patience.** The governed strategies ("ours", "ours-smooth") run with
//! `GovernorConfig::max_wait` set to [`max_wait_for`] the server: the larger of the
//! library's default ([`ratelimit_governor::DEFAULT_MAX_WAIT`], 65 min) and the
//! scenario's longest window plus [`MAX_WAIT_SLACK`] ([`Scenario::governor_max_wait`]).
//! The default gives up on a required wait above it, by design, and a user running
//! a job against a day window configures the wait the job tolerates: windows of up
//! to a day would otherwise leave the job unfinished by configuration, not by a
//! fault of the governor. Against short windows the default stands: a job never
//! runs with less patience than the library gives it out of the box. The catalogue
//! (S1-S12) keeps the default.
//!
//! **The precondition of uncoordinated sharing.** In class (b) every window's limit
//! (the binding window's first of all) is at least 4 x K. With fewer units per window than about the number of
//! clients, uncoordinated clients collide by necessity: each of them must send to
//! learn anything, and K first requests into a window with fewer than K units left
//! are rejected whatever the clients do. This is the physical limit of sharing a key
//! without coordination, not a loosening of the invariants.

mod draw;
pub mod quota;

use ratelimit_governor::DEFAULT_MAX_WAIT;

use super::clock::{MS, Micros, SEC, secs};
use super::headers::HeaderFormat;
use super::network::Network;
use super::scenario::{Scenario, Target};
use super::server::ServerConfig;
use super::window::{BucketReset, PriorUsage, WindowKind};
use draw::Draw;
use quota::{MAX_WINDOW_SECS, QuotaRules, draw_quota};

/// The largest clock skew of a client, in milliseconds.
pub const MAX_SKEW_MS: i64 = 60_000;
/// The binding limit of class (b) is at least this many times the number of clients.
pub const UNITS_PER_SHARER: u64 = 4;
/// The governed strategies' `max_wait` in a generated scenario is at least its
/// longest window plus this much ([`max_wait_for`]).
pub const MAX_WAIT_SLACK: Micros = 120 * SEC;

/// The governed strategies' `max_wait` against `server`: the larger of the
/// library's [`DEFAULT_MAX_WAIT`] and the longest window plus [`MAX_WAIT_SLACK`].
pub fn max_wait_for(server: &ServerConfig) -> Micros {
    let default = u64::try_from(DEFAULT_MAX_WAIT.as_micros()).unwrap_or(u64::MAX);
    default.max(server.longest_window() + MAX_WAIT_SLACK)
}

/// The three classes of generated scenarios.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// (a) One client with headers; its workers share one governor.
    OneClient,
    /// (b) Independent clients with headers, each with its own governor.
    Sharers,
    /// (c) No rate-limit headers.
    Headerless,
}

impl Class {
    /// Every class, in report order.
    pub const ALL: [Class; 3] = [Class::OneClient, Class::Sharers, Class::Headerless];

    /// A label for tables.
    pub const fn label(self) -> &'static str {
        match self {
            Class::OneClient => "(a) one client, headers",
            Class::Sharers => "(b) K sharers, headers",
            Class::Headerless => "(c) no headers",
        }
    }

    /// The catalogue target a scenario of this class carries.
    pub const fn target(self) -> Target {
        match self {
            Class::OneClient => Target::Lone,
            Class::Sharers => Target::Shared,
            Class::Headerless => Target::Headerless,
        }
    }

    /// The class of a scenario, from its target.
    pub fn of(scenario: &Scenario) -> Option<Class> {
        Class::ALL
            .into_iter()
            .find(|c| c.target() == scenario.target)
    }
}

fn kind(d: &mut Draw) -> WindowKind {
    d.weighted(&[
        (30, WindowKind::Fixed),
        (20, WindowKind::FixedFromFirstHit),
        (20, WindowKind::Sliding),
        (10, WindowKind::TokenBucket(BucketReset::Full)),
        (10, WindowKind::TokenBucket(BucketReset::NextToken)),
        (10, WindowKind::Gcra),
    ])
}

/// The scenario of `seed`.
pub fn generate(seed: u64) -> Scenario {
    let mut d = Draw::new(seed);
    let class = d.weighted(&[
        (45, Class::OneClient),
        (35, Class::Sharers),
        (20, Class::Headerless),
    ]);
    let (clients, workers) = match class {
        Class::OneClient => (1, if d.chance(0.5) { 1 } else { d.between(2, 16) }),
        Class::Sharers => (d.log_between(2, 64), 1),
        Class::Headerless => {
            if d.chance(0.7) {
                (1, d.between(1, 4))
            } else {
                (d.between(2, 4), 1)
            }
        }
    };
    let kind = kind(&mut d);
    let rules = QuotaRules {
        kind,
        longest_secs: if class == Class::Headerless {
            3_600
        } else {
            MAX_WINDOW_SECS
        },
        min_limit: if class == Class::Sharers {
            UNITS_PER_SHARER * clients
        } else {
            1
        },
        min_requests: clients,
    };
    let quota = draw_quota(&mut d, &rules);
    let format = if class == Class::Headerless {
        HeaderFormat::None
    } else {
        d.pick(&HeaderFormat::WITH_HEADERS)
    };
    let retry_after = d.chance(if class == Class::Headerless {
        0.5
    } else {
        0.75
    });
    let count_rejected = kind.is_fixed() && d.chance(0.15);
    let clock_offset = d.between(0, MAX_WINDOW_SECS * 1000 - 1) * MS;
    let mut windows = quota.windows;
    let prior = d.chance(0.5);
    if prior {
        for w in &mut windows {
            w.prior = PriorUsage {
                used: d.between(0, w.limit - 1),
                ago: d.between(0, w.length - 1),
            };
        }
    }
    let binding_length = windows[quota.binding].length;
    let starts: Vec<Micros> = if clients > 1 {
        (0..clients)
            .map(|_| d.between(0, binding_length - 1))
            .collect()
    } else {
        Vec::new()
    };
    let rtt = d.log_between(10 * MS, 500 * MS);
    let skew_ms = i64::try_from(d.between(0, 2 * MAX_SKEW_MS as u64)).unwrap_or(0) - MAX_SKEW_MS;

    let server = ServerConfig {
        windows,
        format,
        date: true,
        retry_after,
        count_rejected,
        clock_offset,
    };
    let clients = usize::try_from(clients).unwrap_or(1);
    let workers = usize::try_from(workers).unwrap_or(1);
    let title = describe(
        class,
        clients,
        workers,
        quota.requests,
        &server,
        rtt,
        skew_ms,
        prior,
    );
    let max_wait = max_wait_for(&server);
    Scenario {
        name: format!("gen-{seed}"),
        title,
        clients,
        workers,
        requests: quota.requests,
        network: Network::jittered(rtt),
        server,
        client_clock_skew_ms: skew_ms,
        starts,
        target: class.target(),
        seed: Some(seed),
        governor_max_wait: Some(max_wait),
    }
}

/// A one-line description for tables.
#[allow(clippy::too_many_arguments)]
fn describe(
    class: Class,
    clients: usize,
    workers: usize,
    requests: u64,
    server: &ServerConfig,
    rtt: Micros,
    skew_ms: i64,
    prior: bool,
) -> String {
    let who = match class {
        Class::OneClient => format!("1 client x {workers} workers (one governor)"),
        _ if clients > 1 => format!("{clients} independent clients"),
        _ => format!("1 client x {workers} workers"),
    };
    let windows: Vec<String> = server
        .windows
        .iter()
        .map(|w| format!("{} {}/{}", w.kind.label(), w.limit, w.name))
        .collect();
    let mut extras = Vec::new();
    if prior {
        extras.push("prior usage".to_owned());
    }
    if server.retry_after {
        extras.push("Retry-After".to_owned());
    }
    if server.count_rejected {
        extras.push("rejections count".to_owned());
    }
    format!(
        "{}: {who}, {requests} req, {}, headers {}, RTT {:.0} ms jittered, skew {:+.1} s{}{}",
        class.label(),
        windows.join(" + "),
        server.format.label(),
        secs(rtt) * 1000.0,
        skew_ms as f64 / 1000.0,
        if extras.is_empty() { "" } else { ", " },
        extras.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::super::oracle::lower_bound_of;
    use super::*;

    #[test]
    fn max_wait_is_the_default_or_the_longest_window_plus_the_slack() {
        let mut server = generate(1).server;
        server.windows.truncate(1);
        server.windows[0].length = 60 * SEC;
        assert_eq!(max_wait_for(&server), 3_900 * SEC);
        server.windows[0].length = 3_780 * SEC;
        assert_eq!(max_wait_for(&server), 3_900 * SEC);
        server.windows[0].length = 3_781 * SEC;
        assert_eq!(max_wait_for(&server), 3_901 * SEC);
        server.windows[0].length = 86_400 * SEC;
        assert_eq!(max_wait_for(&server), 86_520 * SEC);
    }

    #[test]
    fn a_seed_always_gives_the_same_scenario() {
        for seed in 1..50 {
            assert_eq!(generate(seed), generate(seed));
        }
        assert_ne!(generate(1), generate(2));
    }

    #[test]
    fn generated_scenarios_respect_their_class() {
        let mut seen = std::collections::HashSet::new();
        let mut formats = std::collections::HashSet::new();
        let mut kinds = std::collections::HashSet::new();
        for seed in 1..=600 {
            let s = generate(seed);
            let class = Class::of(&s).unwrap();
            seen.insert(class);
            formats.insert(s.server.format);
            kinds.insert(s.server.windows[0].kind);
            assert!(s.requests >= 1 && s.requests <= quota::MAX_REQUESTS);
            assert!((10 * MS..=500 * MS).contains(&s.network.rtt));
            assert!(s.client_clock_skew_ms.abs() <= MAX_SKEW_MS);
            assert!(s.server.count_rejected <= s.server.windows[0].kind.is_fixed());
            for w in &s.server.windows {
                assert!(w.prior.used < w.limit && w.prior.ago < w.length);
            }
            match class {
                Class::OneClient => {
                    assert_eq!(s.clients, 1);
                    assert!((1..=16).contains(&s.workers));
                    assert_ne!(s.server.format, HeaderFormat::None);
                }
                Class::Sharers => {
                    assert!((2..=64).contains(&s.clients) && s.workers == 1);
                    assert_eq!(s.starts.len(), s.clients);
                    let floor = UNITS_PER_SHARER * s.clients as u64;
                    assert!(s.server.windows.iter().all(|w| w.limit >= floor), "{seed}");
                    assert_ne!(s.server.format, HeaderFormat::None);
                }
                Class::Headerless => {
                    assert_eq!(s.server.format, HeaderFormat::None);
                    assert!(s.server.longest_window() <= 3_600 * SEC);
                }
            }
            assert!(lower_bound_of(&s) > 0);
            let patience = s.governor_max_wait.unwrap();
            assert!(patience >= s.server.longest_window() + MAX_WAIT_SLACK);
            assert!(patience >= 3_900 * SEC);
            assert!(
                patience == 3_900 * SEC || patience == s.server.longest_window() + MAX_WAIT_SLACK
            );
        }
        assert_eq!(seen.len(), 3);
        assert_eq!(formats.len(), 8);
        assert_eq!(kinds.len(), 6);
    }
}
