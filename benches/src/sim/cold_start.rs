//! Issue 8 item 3's cold start, as the yardsticks see it: "With nothing known about a
//! server (first contact, or state older than its longest window), one probe goes
//! first; concurrent workers are released by its answer."
//!
//! A client obeying the issue therefore cannot start all its workers at once: its
//! first request goes alone and its other workers start when that request's
//! response reaches the client. A client with one worker loses nothing by it (its
//! first request goes alone anyway); a client with several pays one round trip
//! that a client starting them together does not. Two yardsticks follow:
//!
//! - [`Start::ProbeFirst`], the start rule of the probe-first fair bound
//!   ([`super::fair_bound`]): the perfect client obeying item 3;
//! - [`probe_round_trip_of`], what the probe costs a multi-worker client against a
//!   strategy that starts its workers together (strategy (b), blind): the round trip
//!   of that probe on the run's own delay stream.
//!
//! The probe is worker 0's first request: the engine asks a client's workers in
//! their order at the client's start ([`super::engine`]), so the first decision, the
//! one that may send before anything is known, is worker 0's.

use super::clock::Micros;
use super::scenario::Scenario;
use super::streams::RunStreams;

/// When a client's workers may take their first request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// Every worker at its client's start.
    Together,
    /// Worker 0 at its client's start; the client's other workers when the response
    /// to worker 0's first request reaches it (item 3's probe).
    ProbeFirst,
}

/// Whether the cold-start probe costs `scenario`'s clients anything: some client has
/// more than one worker.
pub fn probe_matters(scenario: &Scenario) -> bool {
    scenario.workers > 1
}

/// The round trip of the cold-start probe in a run of `scenario` with `seed`: the
/// first delays (to the server and back) of worker 0's first-attempt stream
/// ([`super::streams`]), the largest over the clients with more than one worker;
/// 0 when every client has one worker (a lone worker's first request goes alone
/// anyway, so the probe costs it nothing). Exactly one round trip.
pub fn probe_round_trip_of(scenario: &Scenario, seed: u64) -> Micros {
    if !probe_matters(scenario) {
        return 0;
    }
    let workers = scenario.workers;
    let clients = scenario.clients.max(1);
    let mut streams = RunStreams::of(seed, clients, workers).workers;
    (0..clients)
        .map(|c| {
            let (up, down) = scenario.network.delays(&mut streams[c * workers]);
            up + down
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::clock::SEC;
    use super::super::network::Network;
    use super::super::scenario::by_name;
    use super::*;

    #[test]
    fn the_probe_costs_a_lone_worker_nothing_and_several_one_round_trip() {
        let mut s = by_name("S3").unwrap();
        s.workers = 1;
        assert!(!probe_matters(&s));
        assert_eq!(probe_round_trip_of(&s, 5), 0);
        s.workers = 4;
        assert!(probe_matters(&s));
        // Without jitter every round trip is the RTT.
        s.network = Network::steady(SEC / 5);
        assert_eq!(probe_round_trip_of(&s, 5), SEC / 5);
        // With jitter, the run's own first delays of worker 0.
        s.network = Network::jittered(SEC / 5);
        let mut streams = RunStreams::of(5, 1, 4).workers;
        let (up, down) = s.network.delays(&mut streams[0]);
        assert_eq!(probe_round_trip_of(&s, 5), up + down);
        assert!((SEC / 5 * 8 / 10..=SEC / 5 * 3 / 2).contains(&(up + down)));
    }
}
