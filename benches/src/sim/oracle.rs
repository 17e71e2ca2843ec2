//! The oracle (`../shared/spec/governor.md` section 2.1): a scheduler that sees the
//! server's counters and gives requests the earliest conforming arrival instants.
//!
//! Two versions:
//!
//! - [`lower_bound_of`] pools the closed loops (every worker of every client): any of
//!   them may carry any of the N requests, each from its client's start on, at the
//!   network's shortest delays. Every schedule of the real job (each client owns its
//!   share, each delay is at least the shortest) is also a schedule of the pooled job,
//!   and for identical requests greedy earliest-first is optimal for the pooled job
//!   (on every server kind an earlier admission leaves the counters no worse for
//!   later ones: a fixed window, a first-hit window, a log entry or a spent token
//!   frees no later), so its completion time is a true lower bound. It works from the
//!   server's real initial state, prior usage included. Pooling ignores who owns
//!   which request, which matters when clients start at different instants (a late
//!   client's share cannot be done by the early ones), so the bound is the larger of
//!   the pooled schedule and the ownership floor: no client finishes before its start
//!   plus its share's round trips over its own loops, back to back at the shortest
//!   delays.
//! - [`per_client_schedule_of`] keeps each client's own share and, among the clients
//!   with a loop ready by the next conforming instant, serves the one with the most
//!   work left. It is a feasible schedule (at the shortest delays), so it bounds the
//!   optimum from above; where it equals [`lower_bound_of`] both are optimal. (Plain
//!   earliest-ready-first, the spec's wording, is not optimal once the RTT is large:
//!   clients that got fewer slots early end with a long serial tail.)
//!
//! Both return the instant the last response reaches its client.

use super::clock::{Micros, split_rtt};
use super::scenario::Scenario;
use super::server::{Server, ServerConfig};

/// The closed loops of a job as the oracle sees them.
struct Loops {
    /// Earliest arrival at the server of each loop's next request.
    ready: Vec<Micros>,
    /// The client each loop belongs to.
    owner: Vec<usize>,
    /// Each client's share of the job.
    share: Vec<u64>,
    up: Micros,
    down: Micros,
}

impl Loops {
    fn of(scenario: &Scenario) -> Self {
        let (up, down) = scenario.network.min_delays();
        let clients = scenario.clients.max(1);
        let workers = scenario.workers.max(1);
        let owner: Vec<usize> = (0..clients * workers).map(|p| p / workers).collect();
        Loops {
            ready: owner.iter().map(|&c| scenario.start_of(c) + up).collect(),
            owner,
            share: (0..clients)
                .map(|c| share_of(scenario.requests, clients, c))
                .collect(),
            up,
            down,
        }
    }

    fn uniform(clients: usize, requests: u64, rtt: Micros) -> Self {
        let (up, down) = split_rtt(rtt);
        let clients = clients.max(1);
        Loops {
            ready: vec![up; clients],
            owner: (0..clients).collect(),
            share: (0..clients)
                .map(|c| share_of(requests, clients, c))
                .collect(),
            up,
            down,
        }
    }

    /// The pooled bound: the earliest-ready loop takes the next request.
    fn pooled(mut self, server: &ServerConfig) -> Micros {
        let requests: u64 = self.share.iter().sum();
        let mut server = Server::new(server.clone());
        let mut last = 0;
        let mut last_admit = 0;
        for _ in 0..requests {
            let Some((p, &at)) = self.ready.iter().enumerate().min_by_key(|&(p, &r)| (r, p)) else {
                break;
            };
            // Everything before the previous admission was already found full for a
            // loop ready no later, so the search starts there (and the counters never
            // run backwards).
            let at = server.earliest_conforming(at.max(last_admit));
            last_admit = at;
            server.admit(at);
            last = last.max(at + self.down);
            self.ready[p] = at + self.down + self.up;
        }
        last
    }

    /// The feasible schedule: the next conforming instant goes to the client with the
    /// most work left among those with a loop ready by then.
    fn per_client(mut self, server: &ServerConfig) -> Micros {
        let mut left = self.share.clone();
        let mut server = Server::new(server.clone());
        let mut last = 0;
        let mut last_admit = 0;
        let requests: u64 = left.iter().sum();
        for _ in 0..requests {
            let has_work = |p: usize| left[self.owner[p]] > 0;
            let Some(earliest) = (0..self.ready.len())
                .filter(|&p| has_work(p))
                .map(|p| self.ready[p])
                .min()
            else {
                break;
            };
            let at = server.earliest_conforming(earliest.max(last_admit));
            let Some(p) = (0..self.ready.len())
                .filter(|&p| has_work(p) && self.ready[p] <= at)
                .max_by_key(|&p| (left[self.owner[p]], std::cmp::Reverse(p)))
            else {
                break;
            };
            last_admit = at;
            server.admit(at);
            left[self.owner[p]] -= 1;
            last = last.max(at + self.down);
            self.ready[p] = at + self.down + self.up;
        }
        last
    }
}

/// A true lower bound on the completion time of `scenario`'s job (see the module
/// docs).
pub fn lower_bound_of(scenario: &Scenario) -> Micros {
    Loops::of(scenario)
        .pooled(&scenario.server)
        .max(ownership_floor(scenario))
}

/// The latest of the clients' own floors: start, then its share in round trips over
/// its loops at the shortest delays.
fn ownership_floor(scenario: &Scenario) -> Micros {
    let clients = scenario.clients.max(1);
    let workers = scenario.workers.max(1) as u64;
    let rtt = scenario.network.min_rtt();
    (0..clients)
        .map(|c| share_of(scenario.requests, clients, c))
        .enumerate()
        .filter(|&(_, share)| share > 0)
        .map(|(c, share)| scenario.start_of(c) + share.div_ceil(workers) * rtt)
        .max()
        .unwrap_or(0)
}

/// A feasible schedule of `scenario`'s job at the network's shortest delays (client
/// `c` sends exactly its [`share_of`] the requests). Returns its completion time.
pub fn per_client_schedule_of(scenario: &Scenario) -> Micros {
    Loops::of(scenario).per_client(&scenario.server)
}

/// [`lower_bound_of`] for `requests` requests over `clients` closed loops starting at
/// t = 0 with a steady round-trip time `rtt`.
pub fn lower_bound(server: &ServerConfig, clients: usize, requests: u64, rtt: Micros) -> Micros {
    Loops::uniform(clients, requests, rtt).pooled(server)
}

/// [`per_client_schedule_of`] for `requests` requests over `clients` closed loops
/// starting at t = 0 with a steady round-trip time `rtt`.
pub fn per_client_schedule(
    server: &ServerConfig,
    clients: usize,
    requests: u64,
    rtt: Micros,
) -> Micros {
    Loops::uniform(clients, requests, rtt).per_client(server)
}

/// Requests of client `c` when `requests` are split over `clients` (the first
/// `requests mod clients` clients get one more).
pub fn share_of(requests: u64, clients: usize, c: usize) -> u64 {
    let k = clients.max(1) as u64;
    requests / k + u64::from((c as u64) < requests % k)
}

#[cfg(test)]
mod tests {
    use super::super::clock::SEC;
    use super::super::scenario::by_name;
    use super::super::window::{PriorUsage, WindowKind, WindowSpec};
    use super::*;

    fn ms(x: Micros) -> Micros {
        x * 1000
    }

    #[test]
    fn spec_bounds_of_s1_s2_s3() {
        let s1 = ServerConfig::ietf(vec![
            WindowSpec::fixed("minute", 300, 60),
            WindowSpec::fixed("day", 10_000, 86_400),
        ]);
        // 900 requests in three windows, then 100 at one per RTT from t = 180 s.
        assert_eq!(lower_bound(&s1, 1, 1000, ms(50)), 180 * SEC + ms(4975));
        let s2 = ServerConfig::ietf(vec![WindowSpec::fixed("w", 100, 10)]);
        let b2 = lower_bound(&s2, 8, 1000, ms(50));
        assert!((90 * SEC..91 * SEC).contains(&b2), "{b2}");
        assert!(b2 <= per_client_schedule(&s2, 8, 1000, ms(50)));
        let s3 = ServerConfig::ietf(vec![WindowSpec::fixed("hour", 400, 3600)]);
        assert_eq!(lower_bound(&s3, 1, 1000, ms(50)), 7200 * SEC + ms(9975));
    }

    #[test]
    fn the_scenario_form_agrees_with_the_uniform_form() {
        let s = by_name("S2").unwrap();
        assert_eq!(
            lower_bound_of(&s),
            lower_bound(&s.server, s.clients, s.requests, s.network.rtt)
        );
    }

    #[test]
    fn prior_usage_late_starts_and_workers_move_the_bound() {
        let mut s = by_name("S3").unwrap();
        s.requests = 10;
        s.server.windows = vec![WindowSpec::new(
            "w",
            WindowKind::FixedFromFirstHit,
            5,
            10 * SEC,
        )];
        // Five in the first window (one per RTT), five from t = 10 s on.
        assert_eq!(lower_bound_of(&s), 10 * SEC + ms(25) + ms(4 * 50 + 25));
        s.server.windows[0].prior = PriorUsage {
            used: 4,
            ago: 3 * SEC,
        };
        // One unit left until 7 s; then five, then the rest from 17 s on.
        let b = lower_bound_of(&s);
        assert_eq!(b, 17 * SEC + ms(3 * 50 + 25));
        s.starts = vec![SEC];
        assert_eq!(lower_bound_of(&s), b);
        s.workers = 5;
        assert_eq!(lower_bound_of(&s), 17 * SEC + ms(25));
        assert!(lower_bound_of(&s) <= per_client_schedule_of(&s));
    }

    #[test]
    fn a_late_client_cannot_hand_its_share_to_the_early_ones() {
        let mut s = by_name("S2").unwrap();
        s.server.windows = vec![WindowSpec::fixed("w", 1000, 3600)];
        s.clients = 2;
        s.requests = 20;
        let together = lower_bound_of(&s);
        // Pooled, two loops do 20 requests in 10 round trips.
        assert_eq!(together, ms(500));
        s.starts = vec![0, 100 * SEC];
        // The late client's 10 requests take 10 round trips from its start.
        assert_eq!(lower_bound_of(&s), 100 * SEC + ms(500));
        assert!(lower_bound_of(&s) <= per_client_schedule_of(&s));
    }
}
