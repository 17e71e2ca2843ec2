//! The discrete-event loop: K closed-loop clients, one server, a virtual clock in
//! integer microseconds and a seeded generator per client. No sleeping, no threads:
//! events are processed in (time, sequence) order, so a run is a pure function of the
//! scenario, the strategy and the seed.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use ratelimit_governor::{RandomSource, Response, SplitMix64, UnixTime, parse};

use super::oracle::{lower_bound, share_of};
use super::scenario::Scenario;
use super::server::{BASE_EPOCH_SECS, Server, SimResponse};
use super::strategy::{Policy, Step, Strategy};
use super::{Micros, SEC, split_rtt};

/// A run stops at this virtual instant even if clients still have work (a safety net
/// against strategies that never finish).
pub const HORIZON: Micros = 8 * 86_400 * SEC;

/// The outcome of one strategy in one scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct RunResult {
    /// The strategy.
    pub strategy: Strategy,
    /// Rejected requests (429s).
    pub rejected: u64,
    /// Requests sent, retries included.
    pub sent: u64,
    /// Requests completed (accepted).
    pub done: u64,
    /// Requests the job had.
    pub requests: u64,
    /// Instant the last client finished, gave up or was stopped, in virtual µs.
    pub completion: Micros,
    /// The oracle's completion time for the same job.
    pub lower_bound: Micros,
    /// Most attempts any one request needed.
    pub max_attempts: u32,
    /// Clients whose strategy gave up.
    pub give_ups: u32,
}

impl RunResult {
    /// Completion time in seconds.
    pub fn completion_secs(&self) -> f64 {
        self.completion as f64 / SEC as f64
    }

    /// Completion time over the oracle's lower bound.
    pub fn ratio(&self) -> f64 {
        self.completion as f64 / self.lower_bound.max(1) as f64
    }

    /// Rejected requests as a share of the job.
    pub fn rejected_share(&self) -> f64 {
        self.rejected as f64 / self.requests.max(1) as f64
    }
}

/// One step of a run, for [`run_traced`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceEvent {
    /// The client's strategy asked to wait this long before sending.
    Wait(Micros),
    /// The client sent a request.
    Sent,
    /// The server handled a request; the response's status and headers.
    Served(SimResponse),
    /// The client's strategy gave up.
    GaveUp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// The client decides what to do next.
    Decide,
    /// The client sends (after a wait).
    Send,
    /// The client's request reaches the server.
    Arrive,
    /// The server's response reaches the client.
    Receive,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Event {
    at: Micros,
    seq: u64,
    client: usize,
    kind: Kind,
}

impl Ord for Event {
    fn cmp(&self, other: &Self) -> Ordering {
        // Earliest first in a max-heap.
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

impl PartialOrd for Event {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

struct Client {
    policy: Box<dyn Policy>,
    rng: SplitMix64,
    work_left: u64,
    attempts: u32,
    sent_at: Micros,
    pending: Option<SimResponse>,
    finished: bool,
}

struct Run<'s> {
    scenario: &'s Scenario,
    trace: Option<&'s mut dyn FnMut(Micros, usize, TraceEvent)>,
    server: Server,
    clients: Vec<Client>,
    queue: BinaryHeap<Event>,
    seq: u64,
    up: Micros,
    down: Micros,
    sent: u64,
    rejected: u64,
    done: u64,
    max_attempts: u32,
    give_ups: u32,
    completion: Micros,
}

impl Run<'_> {
    fn push(&mut self, at: Micros, client: usize, kind: Kind) {
        self.seq += 1;
        self.queue.push(Event {
            at,
            seq: self.seq,
            client,
            kind,
        });
    }

    fn trace(&mut self, at: Micros, c: usize, event: impl FnOnce() -> TraceEvent) {
        if let Some(t) = self.trace.as_mut() {
            t(at, c, event());
        }
    }

    fn finish(&mut self, c: usize, at: Micros) {
        self.clients[c].finished = true;
        self.completion = self.completion.max(at);
    }

    fn decide(&mut self, c: usize, now: Micros) {
        let client = &mut self.clients[c];
        match client.policy.next(now, client.work_left, &mut client.rng) {
            Step::Send => self.send(c, now),
            Step::Wait(0) => self.send(c, now),
            Step::Wait(d) => {
                self.trace(now, c, || TraceEvent::Wait(d));
                self.push(now.saturating_add(d), c, Kind::Send);
            }
            Step::GiveUp => {
                self.trace(now, c, || TraceEvent::GaveUp);
                self.give_ups += 1;
                self.finish(c, now);
            }
        }
    }

    fn send(&mut self, c: usize, now: Micros) {
        let client = &mut self.clients[c];
        client.policy.sent(now);
        client.attempts += 1;
        client.sent_at = now;
        self.max_attempts = self.max_attempts.max(client.attempts);
        self.sent += 1;
        self.trace(now, c, || TraceEvent::Sent);
        self.push(now + self.up, c, Kind::Arrive);
    }

    fn arrive(&mut self, c: usize, now: Micros) {
        let response = self.server.handle(now);
        if self.trace.is_some() {
            let copy = response.clone();
            self.trace(now, c, || TraceEvent::Served(copy));
        }
        self.clients[c].pending = Some(response);
        self.push(now + self.down, c, Kind::Receive);
    }

    fn receive(&mut self, c: usize, now: Micros) {
        let skew = self.scenario.client_clock_skew_ms;
        let client = &mut self.clients[c];
        let Some(response) = client.pending.take() else {
            return;
        };
        let pairs: Vec<(&str, &str)> = response
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let wall = BASE_EPOCH_SECS * 1000 + (now / 1000) as i64 + skew;
        let limits = parse(
            &Response::new(&pairs[..])
                .status(response.status)
                .now(UnixTime::from_millis(wall)),
        );
        client.policy.received(&limits, client.sent_at, now);
        if response.status == 429 {
            self.rejected += 1;
        } else {
            self.done += 1;
            client.work_left -= 1;
            client.attempts = 0;
            if client.work_left == 0 {
                self.finish(c, now);
                return;
            }
        }
        self.decide(c, now);
    }
}

/// Runs `strategy` in `scenario` with `seed`; `lower_bound` is the oracle's bound for
/// the same job (see [`lower_bound`]).
pub fn run_with_bound(
    scenario: &Scenario,
    strategy: Strategy,
    seed: u64,
    bound: Micros,
) -> RunResult {
    simulate(scenario, strategy, seed, bound, None)
}

/// Like [`run`], calling `trace(at, client, event)` for every step.
pub fn run_traced(
    scenario: &Scenario,
    strategy: Strategy,
    seed: u64,
    trace: &mut dyn FnMut(Micros, usize, TraceEvent),
) -> RunResult {
    let bound = lower_bound(
        &scenario.server,
        scenario.clients,
        scenario.requests,
        scenario.rtt,
    );
    simulate(scenario, strategy, seed, bound, Some(trace))
}

fn simulate<'s>(
    scenario: &'s Scenario,
    strategy: Strategy,
    seed: u64,
    bound: Micros,
    trace: Option<&'s mut dyn FnMut(Micros, usize, TraceEvent)>,
) -> RunResult {
    let (up, down) = split_rtt(scenario.rtt);
    let mut seeds = SplitMix64::new(seed);
    let clients = (0..scenario.clients)
        .map(|c| Client {
            policy: strategy.client(),
            rng: SplitMix64::new(seeds.next_u64()),
            work_left: share_of(scenario.requests, scenario.clients, c),
            attempts: 0,
            sent_at: 0,
            pending: None,
            finished: false,
        })
        .collect();
    let mut run = Run {
        scenario,
        trace,
        server: Server::new(scenario.server.clone()),
        clients,
        queue: BinaryHeap::new(),
        seq: 0,
        up,
        down,
        sent: 0,
        rejected: 0,
        done: 0,
        max_attempts: 0,
        give_ups: 0,
        completion: 0,
    };
    for c in 0..scenario.clients {
        if run.clients[c].work_left == 0 {
            run.clients[c].finished = true;
        } else {
            run.push(0, c, Kind::Decide);
        }
    }
    while let Some(event) = run.queue.pop() {
        if event.at > HORIZON {
            run.completion = HORIZON;
            break;
        }
        match event.kind {
            Kind::Decide => run.decide(event.client, event.at),
            Kind::Send => run.send(event.client, event.at),
            Kind::Arrive => run.arrive(event.client, event.at),
            Kind::Receive => run.receive(event.client, event.at),
        }
    }
    RunResult {
        strategy,
        rejected: run.rejected,
        sent: run.sent,
        done: run.done,
        requests: scenario.requests,
        completion: run.completion,
        lower_bound: bound,
        max_attempts: run.max_attempts,
        give_ups: run.give_ups,
    }
}

/// Runs `strategy` in `scenario` with `seed`.
pub fn run(scenario: &Scenario, strategy: Strategy, seed: u64) -> RunResult {
    let bound = lower_bound(
        &scenario.server,
        scenario.clients,
        scenario.requests,
        scenario.rtt,
    );
    run_with_bound(scenario, strategy, seed, bound)
}

/// Every strategy of [`Strategy::ALL`] in `scenario`, in table order.
pub fn run_all(scenario: &Scenario, seed: u64) -> Vec<RunResult> {
    let bound = lower_bound(
        &scenario.server,
        scenario.clients,
        scenario.requests,
        scenario.rtt,
    );
    Strategy::ALL
        .iter()
        .map(|&s| run_with_bound(scenario, s, seed, bound))
        .collect()
}
