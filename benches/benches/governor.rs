//! The informed governor and the retry schedule.
//!
//! # `governor`: `GovernorState::decide` and `observe` (target: `decide` < 50 ns)
//!
//! A `GovernorState` with the default capacities (16 windows, 4 declared quotas) and
//! [`GovernorConfig::DEFAULT`] (batch mode, strict reserve) that has sent two requests
//! and observed the response to each (so it has an RTT and per-window history), then
//! asked `state.decide(now, Some(500), &GovernorConfig::DEFAULT, 0.37)`:
//!
//! | bench | observed response | path through `decide` |
//! |---|---|---|
//! | `decide/draft08_2w` | 200, draft-08 `RateLimit` + `RateLimit-Policy`, two windows with quota left | every window checked, none binds: `Proceed` |
//! | `decide/draft08_2w_exhausted` | the same with `burst` at `r=0` | the exhausted window waits for its reset: `Wait` / `WindowExhausted` |
//! | `decide/draft08_4w_429` | 429, four draft-08 windows (`burst` at `r=0`), `Retry-After: 20` | the server's hint wins (rule 2): `Wait` / `RetryAfter` |
//!
//! `observe/*` folds the same, already-parsed `Limits` into a state:
//! `observe/<response>_update` into a state that already tracks its windows (the
//! steady state of a client: every window is found and updated), and
//! `observe/<response>_first` into a state that has never seen them (every window is
//! inserted; the state is copied in un-timed setup).
//!
//! # `retry_step`: one backoff delay, ours against `backon` and `retry-policies`
//!
//! Every bench computes exactly one jittered delay per iteration for the same
//! configuration: exponential, 1 s doubling, capped at 20 s, ten retries per
//! sequence (so retries 1..=10 cycle: 1, 2, 4, 8, 16, 20, 20, 20, 20, 20 s before
//! jitter), jitter on, random sample drawn from each crate's own generator inside the
//! timed call.
//!
//! | bench | call | what it includes | jitter |
//! |---|---|---|---|
//! | `ours_delay_for` | `Backoff::new().delay_for(attempt, prev, u01)`, `attempt` cycling 1..=10 | one `SplitMix64::next_unit` draw + the pure delay formula | full: `U(0, d)` |
//! | `ours_schedule_next` | `Schedule::next()` of `Backoff::new().max_attempts(Some(11))` | attempt / deadline bookkeeping + one draw + `delay_for`; every 11th call finds the schedule ended and builds a new one (`Backoff::schedule(SplitMix64::new(seed))`), so the rebuild is amortized over 10 delays | full: `U(0, d)` |
//! | `backon_next` | `Iterator::next()` of `ExponentialBuilder::default().with_jitter().with_max_delay(20 s).with_max_times(10).with_jitter_seed(seed).build()` | backon's bookkeeping (`f32` growth) + one `fastrand` `f32` draw; rebuilt the same way every 11th call (seeded, so building does not touch the global generator) | additive: `d + U(0, d)`, *not* capped afterwards (backon has no full jitter; its draw and arithmetic are the same size of work) |
//! | `retry_policies_should_retry` | `ExponentialBackoff::builder().retry_bounds(1 s, 20 s).jitter(Jitter::Full).build_with_max_retries(10).should_retry(start, n)`, `n` cycling 0..=9 | one `rand::rng()` (thread-local ChaCha12) draw + the formula + **`SystemTime::now()`**, since it returns an absolute `execute_after` instant | full: `U(0, d)` |
//! | `clock_system_time_now` | `SystemTime::now()` alone | the clock read `retry_policies_should_retry` cannot avoid; subtract it to compare the computation alone | n/a |
//!
//! `delay_for` is a pure function and `Schedule` / `backon` are iterators, all returning
//! a `Duration`; `retry-policies` is stateless too but returns a wall-clock
//! `SystemTime`, hence its clock read.

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use backon::{BackoffBuilder, ExponentialBuilder};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratelimit_governor::retry::{RandomSource, SplitMix64};
use ratelimit_governor::{
    Action, Backoff, GovernorConfig, GovernorState, Limits, MonoTime, Reason, Response, UnixTime,
    parse,
};
use retry_policies::RetryPolicy;
use retry_policies::policies::ExponentialBackoff;

/// The client clock of every parsed response (`Tue, 14 Nov 2023 22:13:20 GMT`).
const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);

/// A 200 with a draft-08 pair: a per-minute burst window and a daily window, both
/// with quota left.
const DRAFT08_2W: [(&str, &str); 4] = [
    ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"),
    ("Content-Type", "application/json"),
    (
        "RateLimit-Policy",
        r#""burst";q=100;w=60, "daily";q=1000;w=86400"#,
    ),
    ("RateLimit", r#""burst";r=42;t=20, "daily";r=950;t=3600"#),
];

/// [`DRAFT08_2W`] with the burst window used up.
const DRAFT08_2W_EXHAUSTED: [(&str, &str); 4] = [
    ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"),
    ("Content-Type", "application/json"),
    (
        "RateLimit-Policy",
        r#""burst";q=100;w=60, "daily";q=1000;w=86400"#,
    ),
    ("RateLimit", r#""burst";r=0;t=20, "daily";r=950;t=3600"#),
];

/// A 429 with four draft-08 windows (the burst one used up) and `Retry-After`.
const DRAFT08_4W_429: [(&str, &str); 5] = [
    ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"),
    ("Content-Type", "application/problem+json"),
    (
        "RateLimit-Policy",
        r#""burst";q=100;w=60, "hourly";q=1000;w=3600, "daily";q=10000;w=86400, "monthly";q=200000;w=2592000"#,
    ),
    (
        "RateLimit",
        r#""burst";r=0;t=20, "hourly";r=420;t=1800, "daily";r=9000;t=40000, "monthly";r=150000;t=900000"#,
    ),
    ("Retry-After", "20"),
];

fn parsed(headers: &'static [(&'static str, &'static str)], status: u16) -> Limits<'static> {
    parse(&Response::new(headers).status(status).now(NOW))
}

/// Instants of the two request/response round trips every `decide` state has seen.
const T0: MonoTime = MonoTime::from_secs(1_000);
const RTT: Duration = Duration::from_millis(80);

fn observed(limits: &Limits<'_>) -> GovernorState {
    let mut state: GovernorState = GovernorState::new();
    let mut sent = T0;
    for _ in 0..2 {
        state.on_send(sent);
        state.observe(limits, sent, sent.saturating_add(RTT));
        sent = sent.saturating_add(Duration::from_millis(100));
    }
    state
}

/// One observed response and the decision it must lead to.
struct Case {
    name: &'static str,
    headers: &'static [(&'static str, &'static str)],
    status: u16,
    action: Action,
    reason: Reason,
}

const CASES: [Case; 3] = [
    Case {
        name: "draft08_2w",
        headers: &DRAFT08_2W,
        status: 200,
        action: Action::Proceed,
        reason: Reason::QuotaAvailable,
    },
    Case {
        name: "draft08_2w_exhausted",
        headers: &DRAFT08_2W_EXHAUSTED,
        status: 200,
        action: Action::Wait,
        reason: Reason::WindowExhausted,
    },
    Case {
        name: "draft08_4w_429",
        headers: &DRAFT08_4W_429,
        status: 429,
        action: Action::Wait,
        reason: Reason::RetryAfter,
    },
];

fn governor(c: &mut Criterion) {
    let cfg = GovernorConfig::DEFAULT;
    // The decision is taken just after the second response arrived.
    let now = T0.saturating_add(Duration::from_millis(200));

    let mut g = c.benchmark_group("decide");
    for case in &CASES {
        let limits = parsed(case.headers, case.status);
        let state = observed(&limits);
        let advice = state.decide(now, Some(500), &cfg, 0.37);
        assert_eq!(
            (advice.action, advice.reason),
            (case.action, case.reason),
            "{}: {advice:?}",
            case.name
        );
        g.bench_function(case.name, |b| {
            b.iter(|| black_box(&state).decide(black_box(now), Some(500), &cfg, black_box(0.37)))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("observe");
    for case in CASES.iter().filter(|c| c.name != "draft08_2w_exhausted") {
        let name = case.name;
        let limits = parsed(case.headers, case.status);
        let sent = T0.saturating_add(Duration::from_millis(200));
        let received = sent.saturating_add(RTT);
        let mut state = observed(&limits);
        g.bench_function(format!("{name}_update"), |b| {
            b.iter(|| state.observe(black_box(&limits), sent, received))
        });
        let mut fresh: GovernorState = GovernorState::new();
        fresh.on_send(sent);
        g.bench_function(format!("{name}_first"), |b| {
            b.iter_batched_ref(
                || fresh,
                |s| s.observe(black_box(&limits), sent, received),
                BatchSize::SmallInput,
            )
        });
    }
    g.finish();
}

/// Ten retries per sequence, as in every `retry_step` bench.
const RETRIES: u32 = 10;
const CAP: Duration = Duration::from_secs(20);

fn backon_builder(seed: u64) -> ExponentialBuilder {
    ExponentialBuilder::default()
        .with_jitter()
        .with_max_delay(CAP)
        .with_max_times(RETRIES as usize)
        .with_jitter_seed(seed)
}

fn retry_step(c: &mut Criterion) {
    // `Backoff::new()` is 1 s x 2 capped at 20 s with full jitter; eleven attempts
    // give the schedule ten delays.
    let ours = Backoff::new();
    assert_eq!(
        (ours.base_delay(), ours.max_delay()),
        (Duration::from_secs(1), CAP)
    );
    let ours_schedule = ours.max_attempts(Some(RETRIES + 1));
    assert_eq!(ours_schedule.seeded_schedule().count(), RETRIES as usize);
    assert_eq!(backon_builder(1).build().count(), RETRIES as usize);
    let peer = ExponentialBackoff::builder()
        .retry_bounds(Duration::from_secs(1), CAP)
        .jitter(retry_policies::Jitter::Full)
        .base(2)
        .build_with_max_retries(RETRIES);

    let mut g = c.benchmark_group("retry_step");
    g.bench_function("ours_delay_for", |b| {
        let mut rng = SplitMix64::new(0x5EED);
        let mut attempt = 0u32;
        let mut prev = ours.base_delay();
        b.iter(|| {
            attempt = attempt % RETRIES + 1;
            let d = ours.delay_for(black_box(attempt), prev, rng.next_unit());
            prev = d;
            d
        })
    });
    g.bench_function("ours_schedule_next", |b| {
        let mut seed = 0x5EED;
        let mut schedule = ours_schedule.schedule(SplitMix64::new(seed));
        b.iter(|| match schedule.next() {
            Some(d) => d,
            None => {
                seed += 1;
                schedule = black_box(&ours_schedule).schedule(SplitMix64::new(seed));
                schedule.next().unwrap_or_default()
            }
        })
    });
    g.bench_function("backon_next", |b| {
        let mut seed = 0x5EED;
        let mut backoff = backon_builder(seed).build();
        b.iter(|| match backoff.next() {
            Some(d) => d,
            None => {
                seed += 1;
                backoff = black_box(backon_builder(seed)).build();
                backoff.next().unwrap_or_default()
            }
        })
    });
    g.bench_function("retry_policies_should_retry", |b| {
        let start = SystemTime::now();
        let mut n = RETRIES - 1;
        b.iter(|| {
            n = (n + 1) % RETRIES;
            peer.should_retry(black_box(start), black_box(n))
        })
    });
    g.bench_function("clock_system_time_now", |b| b.iter(SystemTime::now));
    g.finish();
}

criterion_group!(benches, governor, retry_step);
criterion_main!(benches);
