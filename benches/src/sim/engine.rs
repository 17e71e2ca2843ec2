//! The discrete-event loop: clients made of closed-loop workers, one server, a
//! network, a virtual clock in integer microseconds and seeded generators. No
//! sleeping, no threads: events are processed in (time, sequence) order, so a run is
//! a pure function of the scenario, the strategy and the seed.
//!
//! Each client has one strategy state (for "ours", one `GovernorState`) shared by its
//! workers, and a queue of its share of the job; a worker takes the next request from
//! its client's queue and keeps it until the server accepts it. A worker asks the
//! strategy before every send and again after every wait, as the real adapters do
//! (`acquire` loops on `decide` until it says proceed), so a strategy may wait again
//! after a wake-up. More than [`MAX_IDLE_DECISIONS`] decisions per worker in a row
//! without a send by any worker of the client stop the client's workers and count as
//! a livelock (a client whose workers take turns is making progress; one that keeps
//! deciding and never sends is not).
//!
//! When the server handles a client's very first request (the first of the client's
//! requests to reach it), the engine also records whether it was rejected with no
//! unit left in a window at that instant: nothing of the client's had been counted
//! yet and a client knows nothing of the key before its first response, so no
//! client could have avoided that rejection ([`RunResult::forced_rejections`], which the sharers'
//! invariant allows on top of its share, [`super::invariants`]).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use ratelimit_governor::{Response, SplitMix64, UnixTime, parse};

use super::bounds::Bounds;
use super::clock::{Micros, SEC};
use super::oracle::share_of;
use super::scenario::Scenario;
use super::server::{Server, SimResponse};
use super::strategy::{Policy, Step, Strategy, micros};
use super::streams::RunStreams;

/// A run stops at this virtual instant even if clients still have work (a safety net
/// against strategies that never finish).
pub const HORIZON: Micros = 30 * 86_400 * SEC;

/// Decisions per worker in a row without a send by the client, after which the
/// client's workers are stopped (a livelock).
pub const MAX_IDLE_DECISIONS: u32 = 10_000;

/// Events after which a run is stopped (a safety net that keeps a runaway strategy
/// cheap; a run cut short leaves work undone).
pub const EVENT_BUDGET: u64 = 4_000_000;

/// A wait longer than the rule allows: the longest window plus 1 s, or the latest
/// instant a server hint (`Retry-After`, a window's reset) named plus 1 s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverlongWait {
    /// When the wait was asked.
    pub at: Micros,
    /// The worker that asked it.
    pub worker: usize,
    /// How long.
    pub wait: Micros,
    /// The longest wait the rule allowed at that instant.
    pub allowed: Micros,
}

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
    /// Instant the last worker finished, gave up or was stopped, in virtual µs.
    pub completion: Micros,
    /// The fair bound: the perfect client's completion time on this run's own
    /// network delays ([`super::fair_bound`]). Ratios are taken to it.
    pub lower_bound: Micros,
    /// The probe-first fair bound: the perfect client obeying issue 8 item 3's cold
    /// start on this run's own network delays
    /// ([`super::fair_bound::probe_first_bound_of`]); equal to
    /// [`RunResult::lower_bound`] when every client has one worker.
    pub probe_first_bound: Micros,
    /// The min-RTT bound: the oracle's completion time with every delay at the
    /// shortest of the jitter range ([`super::oracle::lower_bound_of`]); equal to
    /// [`RunResult::lower_bound`] without jitter. For reports.
    pub min_rtt_bound: Micros,
    /// Rejections forced by first contact: clients whose very first request the
    /// server handled was rejected while the server had no unit left in a window it
    /// violated at that request's arrival (the key was drained by others before the
    /// client knew anything of it: none of its requests had been handled yet).
    /// Counted in [`RunResult::rejected`] too.
    pub forced_rejections: u64,
    /// Most attempts any one request needed.
    pub max_attempts: u32,
    /// Workers whose strategy gave up.
    pub give_ups: u32,
    /// Workers stopped after their client made [`MAX_IDLE_DECISIONS`] decisions per
    /// worker without a send.
    pub livelocks: u32,
    /// The longest single wait any strategy step asked for.
    pub longest_wait: Micros,
    /// Waits longer than the rule of [`OverlongWait`] allows.
    pub overlong_waits: u32,
    /// The first of them.
    pub first_overlong: Option<OverlongWait>,
    /// The run hit [`HORIZON`] or [`EVENT_BUDGET`].
    pub cut_short: bool,
    /// Events processed.
    pub events: u64,
}

impl RunResult {
    /// Completion time in seconds.
    pub fn completion_secs(&self) -> f64 {
        self.completion as f64 / SEC as f64
    }

    /// Completion time over the fair bound.
    pub fn ratio(&self) -> f64 {
        self.completion as f64 / self.lower_bound.max(1) as f64
    }

    /// Completion time over the probe-first fair bound.
    pub fn probe_first_ratio(&self) -> f64 {
        self.completion as f64 / self.probe_first_bound.max(1) as f64
    }

    /// Completion time over the min-RTT bound.
    pub fn min_rtt_ratio(&self) -> f64 {
        self.completion as f64 / self.min_rtt_bound.max(1) as f64
    }

    /// Rejected requests as a share of the job.
    pub fn rejected_share(&self) -> f64 {
        self.rejected as f64 / self.requests.max(1) as f64
    }
}

/// One step of a run, for [`run_traced`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceEvent {
    /// The worker's strategy asked to wait this long before deciding again.
    Wait(Micros),
    /// The worker sent a request.
    Sent,
    /// The server handled a request; the response's status and headers.
    Served(SimResponse),
    /// The worker's strategy gave up.
    GaveUp,
    /// The worker was stopped after too many decisions without a send.
    Livelock,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// The worker asks its strategy what to do next.
    Decide,
    /// The worker's request reaches the server.
    Arrive,
    /// The server's response reaches the worker.
    Receive,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Event {
    at: Micros,
    seq: u64,
    worker: usize,
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

/// One client: its strategy state, shared by its workers, and its work.
struct Client {
    policy: Box<dyn Policy>,
    rng: SplitMix64,
    /// Requests no worker has taken yet.
    queued: u64,
    /// Requests not accepted yet (queued, held by a worker or in flight).
    not_done: u64,
    /// The latest instant a server hint received by this client named.
    hinted_until: Micros,
    /// The server has handled a request of this client.
    contacted: bool,
    /// Decisions of the client's workers since the client's last send.
    idle_decisions: u64,
    /// The bound on `idle_decisions`.
    max_idle_decisions: u64,
}

/// One closed loop of a client.
struct Worker {
    client: usize,
    /// The network delays of this loop's first attempts, drawn in order (so its
    /// `k`-th request leaves with the same delays whatever the strategy, as in the
    /// fair bound's schedule).
    net_rng: SplitMix64,
    /// The network delays of this loop's retries.
    retry_rng: SplitMix64,
    /// Holds a request taken from the queue and not accepted yet.
    holds: bool,
    attempts: u32,
    sent_at: Micros,
    pending: Option<SimResponse>,
    finished: bool,
}

impl Worker {
    /// The stream the request in hand draws its delays from: the first attempts' or
    /// the retries'.
    fn delays(&mut self) -> &mut SplitMix64 {
        if self.attempts > 1 {
            &mut self.retry_rng
        } else {
            &mut self.net_rng
        }
    }
}

struct Run<'s> {
    scenario: &'s Scenario,
    trace: Option<&'s mut dyn FnMut(Micros, usize, TraceEvent)>,
    server: Server,
    clients: Vec<Client>,
    workers: Vec<Worker>,
    queue: BinaryHeap<Event>,
    seq: u64,
    longest_window: Micros,
    result: RunResult,
}

impl Run<'_> {
    fn push(&mut self, at: Micros, worker: usize, kind: Kind) {
        self.seq += 1;
        self.queue.push(Event {
            at,
            seq: self.seq,
            worker,
            kind,
        });
    }

    fn trace(&mut self, at: Micros, w: usize, event: impl FnOnce() -> TraceEvent) {
        if let Some(t) = self.trace.as_mut() {
            t(at, w, event());
        }
    }

    fn finish(&mut self, w: usize, at: Micros) {
        self.workers[w].finished = true;
        self.result.completion = self.result.completion.max(at);
    }

    fn decide(&mut self, w: usize, now: Micros) {
        let c = self.workers[w].client;
        if !self.workers[w].holds {
            if self.clients[c].queued == 0 {
                self.finish(w, now);
                return;
            }
            self.clients[c].queued -= 1;
            self.workers[w].holds = true;
        }
        self.clients[c].idle_decisions += 1;
        if self.clients[c].idle_decisions > self.clients[c].max_idle_decisions {
            self.trace(now, w, || TraceEvent::Livelock);
            self.result.livelocks += 1;
            self.finish(w, now);
            return;
        }
        let client = &mut self.clients[c];
        match client.policy.next(now, w, client.not_done, &mut client.rng) {
            Step::Send | Step::Wait(0) => self.send(w, now),
            Step::Wait(d) => {
                self.check_wait(w, now, d);
                self.trace(now, w, || TraceEvent::Wait(d));
                self.push(now.saturating_add(d), w, Kind::Decide);
            }
            Step::GiveUp => {
                self.trace(now, w, || TraceEvent::GaveUp);
                self.result.give_ups += 1;
                self.finish(w, now);
            }
        }
    }

    fn check_wait(&mut self, w: usize, now: Micros, wait: Micros) {
        self.result.longest_wait = self.result.longest_wait.max(wait);
        let hinted = self.clients[self.workers[w].client].hinted_until;
        let allowed_until = (now + self.longest_window).max(hinted) + SEC;
        if now.saturating_add(wait) > allowed_until {
            self.result.overlong_waits += 1;
            self.result.first_overlong.get_or_insert(OverlongWait {
                at: now,
                worker: w,
                wait,
                allowed: allowed_until - now,
            });
        }
    }

    fn send(&mut self, w: usize, now: Micros) {
        let worker = &mut self.workers[w];
        worker.attempts += 1;
        worker.sent_at = now;
        let attempts = worker.attempts;
        let client = &mut self.clients[worker.client];
        client.idle_decisions = 0;
        client.policy.sent(now);
        self.result.max_attempts = self.result.max_attempts.max(attempts);
        self.result.sent += 1;
        self.trace(now, w, || TraceEvent::Sent);
        let up = self.scenario.network.up(self.workers[w].delays());
        self.push(now + up, w, Kind::Arrive);
    }

    fn arrive(&mut self, w: usize, now: Micros) {
        let drained = self.server.drained(now);
        let response = self.server.handle(now);
        let client = &mut self.clients[self.workers[w].client];
        let first_contact = !std::mem::replace(&mut client.contacted, true);
        if first_contact && drained && response.status == 429 {
            self.result.forced_rejections += 1;
        }
        if self.trace.is_some() {
            let copy = response.clone();
            self.trace(now, w, || TraceEvent::Served(copy));
        }
        self.workers[w].pending = Some(response);
        let down = self.scenario.network.down(self.workers[w].delays());
        self.push(now + down, w, Kind::Receive);
    }

    fn receive(&mut self, w: usize, now: Micros) {
        let Some(response) = self.workers[w].pending.take() else {
            return;
        };
        let pairs: Vec<(&str, &str)> = response
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let server_ms = self.server.config().wall_micros(now) / 1000;
        let wall = i64::try_from(server_ms).unwrap_or(0) + self.scenario.client_clock_skew_ms;
        let limits = parse(
            &Response::new(&pairs[..])
                .status(response.status)
                .now(UnixTime::from_millis(wall)),
        );
        let hint = limits
            .windows()
            .filter_map(|w| w.reset)
            .chain(limits.retry_after())
            .max()
            .map_or(0, micros);
        let c = self.workers[w].client;
        let sent_at = self.workers[w].sent_at;
        let client = &mut self.clients[c];
        client.policy.received(&limits, sent_at, now);
        client.hinted_until = client.hinted_until.max(now.saturating_add(hint));
        if response.status == 429 {
            self.result.rejected += 1;
        } else {
            self.result.done += 1;
            client.not_done -= 1;
            let worker = &mut self.workers[w];
            worker.holds = false;
            worker.attempts = 0;
        }
        self.decide(w, now);
    }
}

/// Runs `strategy` in `scenario` with `seed`; `bounds` are [`Bounds::of`] the same
/// scenario and seed (computed once for several strategies).
pub fn run_with_bounds(
    scenario: &Scenario,
    strategy: Strategy,
    seed: u64,
    bounds: Bounds,
) -> RunResult {
    simulate(
        scenario,
        strategy,
        &mut || strategy.client(scenario.governor_max_wait),
        seed,
        bounds,
        None,
    )
}

/// Like [`run`], calling `trace(at, worker, event)` for every step.
pub fn run_traced(
    scenario: &Scenario,
    strategy: Strategy,
    seed: u64,
    trace: &mut dyn FnMut(Micros, usize, TraceEvent),
) -> RunResult {
    simulate(
        scenario,
        strategy,
        &mut || strategy.client(scenario.governor_max_wait),
        seed,
        Bounds::of(scenario, seed),
        Some(trace),
    )
}

/// The run of `strategy`, whose per-client state `policy` makes.
fn simulate<'s>(
    scenario: &'s Scenario,
    strategy: Strategy,
    policy: &mut dyn FnMut() -> Box<dyn Policy>,
    seed: u64,
    bounds: Bounds,
    trace: Option<&'s mut dyn FnMut(Micros, usize, TraceEvent)>,
) -> RunResult {
    let n_clients = scenario.clients.max(1);
    let n_workers = scenario.workers.max(1);
    let streams = RunStreams::of(seed, n_clients, n_workers);
    let clients: Vec<Client> = streams
        .clients
        .into_iter()
        .enumerate()
        .map(|(c, rng)| {
            let work = share_of(scenario.requests, n_clients, c);
            Client {
                policy: policy(),
                rng,
                queued: work,
                not_done: work,
                hinted_until: 0,
                contacted: false,
                idle_decisions: 0,
                max_idle_decisions: u64::from(MAX_IDLE_DECISIONS) * n_workers as u64,
            }
        })
        .collect();
    let workers = streams
        .workers
        .into_iter()
        .zip(streams.retries)
        .enumerate()
        .map(|(w, (net_rng, retry_rng))| Worker {
            client: w / n_workers,
            net_rng,
            retry_rng,
            holds: false,
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
        workers,
        queue: BinaryHeap::new(),
        seq: 0,
        longest_window: scenario.server.longest_window(),
        result: RunResult {
            strategy,
            rejected: 0,
            sent: 0,
            done: 0,
            requests: scenario.requests,
            completion: 0,
            lower_bound: bounds.fair,
            probe_first_bound: bounds.probe_first,
            min_rtt_bound: bounds.min_rtt,
            forced_rejections: 0,
            max_attempts: 0,
            give_ups: 0,
            livelocks: 0,
            longest_wait: 0,
            overlong_waits: 0,
            first_overlong: None,
            cut_short: false,
            events: 0,
        },
    };
    for w in 0..run.workers.len() {
        let c = run.workers[w].client;
        if run.clients[c].queued == 0 {
            run.workers[w].finished = true;
        } else {
            run.push(scenario.start_of(c), w, Kind::Decide);
        }
    }
    while let Some(event) = run.queue.pop() {
        if event.at > HORIZON || run.result.events >= EVENT_BUDGET {
            run.result.cut_short = true;
            run.result.completion = run.result.completion.max(event.at.min(HORIZON));
            break;
        }
        run.result.events += 1;
        match event.kind {
            Kind::Decide => run.decide(event.worker, event.at),
            Kind::Arrive => run.arrive(event.worker, event.at),
            Kind::Receive => run.receive(event.worker, event.at),
        }
    }
    run.result
}

/// Runs `strategy` in `scenario` with `seed`.
pub fn run(scenario: &Scenario, strategy: Strategy, seed: u64) -> RunResult {
    run_with_bounds(scenario, strategy, seed, Bounds::of(scenario, seed))
}

/// Every strategy of [`Strategy::ALL`] in `scenario`, in table order.
pub fn run_all(scenario: &Scenario, seed: u64) -> Vec<RunResult> {
    let bounds = Bounds::of(scenario, seed);
    Strategy::ALL
        .iter()
        .map(|&s| run_with_bounds(scenario, s, seed, bounds))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fair_bound::fair_schedule_of;
    use super::super::generate::{Class, generate};
    use super::super::scenario::by_name;
    use super::*;

    /// A client that sends on the fair bound's own schedule: worker `p`'s `k`-th
    /// request leaves at `sends[p][k]`.
    struct Replay {
        sends: Vec<Vec<Micros>>,
        sent: Vec<usize>,
    }

    impl Policy for Replay {
        fn next(&mut self, now: Micros, worker: usize, _: u64, _: &mut SplitMix64) -> Step {
            match self.sends[worker].get(self.sent[worker]) {
                Some(&at) if at > now => Step::Wait(at - now),
                Some(_) => {
                    self.sent[worker] += 1;
                    Step::Send
                }
                None => Step::GiveUp,
            }
        }
        fn sent(&mut self, _: Micros) {}
        fn received(&mut self, _: &ratelimit_governor::Limits<'_>, _: Micros, _: Micros) {}
    }

    #[test]
    fn a_client_on_the_fair_schedule_meets_the_fair_bound_exactly() {
        let (mut replayed, mut several) = (0, 0);
        for seed in 1..=120 {
            let s = generate(seed);
            // One client: the pooled schedule is then a schedule of the real job.
            if Class::of(&s) != Some(Class::OneClient) {
                continue;
            }
            assert!(s.network.jitter);
            let schedule = fair_schedule_of(&s, seed);
            let sent = vec![0; schedule.sends.len()];
            let mut replay = || -> Box<dyn Policy> {
                Box::new(Replay {
                    sends: schedule.sends.clone(),
                    sent: sent.clone(),
                })
            };
            let bounds = Bounds::of(&s, seed);
            let r = simulate(&s, Strategy::Ours, &mut replay, seed, bounds, None);
            assert_eq!(
                (r.done, r.rejected, r.give_ups),
                (s.requests, 0, 0),
                "seed {seed}"
            );
            assert_eq!(r.completion, r.lower_bound, "seed {seed}");
            assert!((r.ratio() - 1.0).abs() < f64::EPSILON);
            assert!(r.lower_bound >= r.min_rtt_bound, "seed {seed}");
            replayed += 1;
            several += usize::from(s.workers > 1);
        }
        assert!(replayed >= 40 && several >= 15, "{replayed} {several}");
    }

    #[test]
    fn a_late_starter_into_a_drained_key_is_forced_into_exactly_one_rejection() {
        // Two sharers of 4 units an hour: the first takes all four, then is refused;
        // the second starts 100 s later, into the drained key, knowing nothing.
        let mut s = by_name("S2").unwrap();
        s.server.windows = vec![super::super::window::WindowSpec::fixed("h", 4, 3600)];
        s.clients = 2;
        s.requests = 10;
        s.starts = vec![0, 100 * SEC];
        let r = run(&s, Strategy::RetryAfter, 1);
        assert_eq!(r.done, 10);
        // The first sharer's fifth request and later retries are not first contact.
        assert!(r.rejected >= 3, "{r:?}");
        assert_eq!(r.forced_rejections, 1, "{r:?}");
        let ours = run(&s, Strategy::Ours, 1);
        assert_eq!(ours.forced_rejections, 1, "{ours:?}");
        // Starting together, both first requests find units.
        s.starts = vec![0, 0];
        let r = run(&s, Strategy::RetryAfter, 1);
        assert!(r.rejected > 0);
        assert_eq!(r.forced_rejections, 0, "{r:?}");
    }

    #[test]
    fn a_lone_client_is_never_forced_even_when_its_own_requests_race() {
        // (b) sends blind from 3 workers at t = 0 into 1 unit per 3 s: worker 0's
        // request, the first sent, arrives after worker 1's and is rejected, by the
        // client's own doing (prior usage always leaves a unit), so not forced.
        let s = generate(385);
        assert_eq!((s.clients, s.workers), (1, 3));
        let mut served = Vec::new();
        let r = run_traced(&s, Strategy::RetryAfter, 385, &mut |_, w, e| {
            if let TraceEvent::Served(response) = e {
                served.push((w, response.status));
            }
        });
        assert_eq!(served[..3], [(1, 200), (2, 429), (0, 429)]);
        assert_eq!(r.forced_rejections, 0, "{r:?}");
    }

    #[test]
    fn workers_of_one_client_share_its_queue() {
        let mut s = by_name("S3").unwrap();
        s.workers = 4;
        s.requests = 10;
        let r = run(&s, Strategy::RetryAfter, 1);
        assert_eq!((r.done, r.rejected, r.sent), (10, 0, 10));
        // Four loops of 50 ms: ten requests in three round trips.
        assert_eq!(r.completion, 150_000);
        assert_eq!(r.lower_bound, 150_000);
    }

    #[test]
    fn a_generated_job_waits_as_long_as_its_longest_window() {
        // Fixed 46 per 6 h: the job needs a wait of hours for the next window.
        let mut s = generate(13);
        assert_eq!(s.server.longest_window(), 6 * 3600 * SEC);
        for strategy in [Strategy::Ours, Strategy::OursSmooth] {
            let r = run(&s, strategy, 13);
            assert_eq!((r.done, r.give_ups), (s.requests, 0), "{strategy:?}");
        }
        // The library's default (65 min) gives up, by design.
        s.governor_max_wait = None;
        let r = run(&s, Strategy::Ours, 13);
        assert!(r.give_ups > 0 && r.done < s.requests, "{r:?}");
    }

    #[test]
    fn a_strategy_that_always_waits_briefly_is_stopped_as_a_livelock() {
        struct Dither;
        impl Policy for Dither {
            fn next(&mut self, _: Micros, _: usize, _: u64, _: &mut SplitMix64) -> Step {
                Step::Wait(1)
            }
            fn sent(&mut self, _: Micros) {}
            fn received(&mut self, _: &ratelimit_governor::Limits<'_>, _: Micros, _: Micros) {}
        }
        let mut s = by_name("S2").unwrap();
        s.workers = 2;
        let bounds = Bounds::of(&s, 1);
        let r = simulate(
            &s,
            Strategy::Ours,
            &mut || Box::new(Dither),
            1,
            bounds,
            None,
        );
        assert_eq!(r.livelocks, 16);
        assert_eq!(r.sent, 0);
        assert_eq!(r.events, 16 * (u64::from(MAX_IDLE_DECISIONS) + 1));
        assert!(!r.cut_short);
    }
}
