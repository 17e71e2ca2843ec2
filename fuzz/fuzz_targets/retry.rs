//! Fuzzes the retry module. The first byte picks one of three parts; the rest is read
//! by `ratelimit_governor_fuzz::draw`.
//!
//! - **Backoff**: a `Backoff` with every setting drawn (any base and cap, any factor
//!   including NaN, the infinities, zero and negatives, any attempt limit and deadline,
//!   every `Jitter` kind) unrolled into a `Schedule` whose random samples come from the
//!   input (or a seeded `SplitMix64`), for at most [`MAX_STEPS`] steps, sometimes
//!   restarting the growth. Every delay is at most `cap`; the sum never exceeds the
//!   deadline; the schedule's counters agree with what it yielded; it yields at most
//!   `max_attempts - 1` delays and, once ended, stays ended, for a reason it can show.
//!   `delay_for` and `Jitter::apply` are also called directly with any attempt number
//!   and any sample (NaN and values outside `[0, 1)` are clamped).
//! - **Budget**: a `RetryBudget` (every preset, or custom constants) through a random
//!   sequence of `try_acquire`, `on_success` (with and without a ticket, tickets handed
//!   back twice too) and `on_failure`: the tokens never exceed the maximum, and every
//!   operation moves them the documented way.
//! - **Polling**: a `Polling` with any initial wait, factor, cap and attempt limit,
//!   asked `next_delay` with or without a server hint: a hint is waited exactly, a
//!   computed wait is within `[min(initial, cap), cap]` and never shrinks (both up to
//!   the documented `f64` rounding of delays beyond about 104 days, see [`at_least`]),
//!   the counters add up, and once timed out it stays timed out.
#![no_main]

use core::time::Duration;

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use ratelimit_governor::retry::{
    Jitter, Polling, RandomSource, RetryBudget, Retryability, SplitMix64,
};
use ratelimit_governor_fuzz::draw;

/// Schedule, budget and polling steps per input.
const MAX_STEPS: usize = 256;

/// `a >= b` up to the rounding the retry module documents: durations are scaled as
/// `f64` nanoseconds, exact up to about 104 days and within a relative 2^-53 beyond,
/// so a delay of centuries may come back a few microseconds short.
fn at_least(a: Duration, b: Duration) -> bool {
    a >= b || (b - a).as_secs_f64() <= b.as_secs_f64() * f64::EPSILON
}

/// Random samples taken from the input in turn, then from a seeded generator.
struct Samples {
    samples: Vec<u64>,
    next: usize,
    fallback: SplitMix64,
}

impl RandomSource for Samples {
    fn next_u64(&mut self) -> u64 {
        match self.samples.get(self.next) {
            Some(&s) => {
                self.next += 1;
                s
            }
            None => self.fallback.next_u64(),
        }
    }
}

fn backoff(u: &mut Unstructured<'_>) {
    let b = draw::backoff(u);
    let cap = b.max_delay();

    // The pure function, with any attempt number and sample.
    for _ in 0..4 {
        let attempt = match draw::byte(u) % 3 {
            0 => u32::from(draw::byte(u)),
            1 => u32::MAX - u32::from(draw::byte(u)),
            _ => draw::get(u),
        };
        let prev = draw::duration(u);
        let u01 = draw::any_f64(u);
        let d = b.delay_for(attempt, prev, u01);
        assert!(
            d <= cap,
            "delay_for({attempt}) = {d:?} above cap {cap:?}: {b:?}"
        );
        let plain = b.jitter(Jitter::None);
        let un = plain.delay_for(attempt, prev, u01);
        assert!(un <= cap);
        if matches!(b.jitter_kind(), Jitter::None | Jitter::Full | Jitter::Equal) {
            assert!(
                d <= un,
                "jitter above the un-jittered delay: {d:?} > {un:?}"
            );
        }
        let next = plain.delay_for(attempt.saturating_add(1), prev, u01);
        assert!(
            at_least(next, un),
            "delay shrinks after retry {attempt}: {un:?} then {next:?}: {b:?}"
        );

        let (d, base, prev) = (draw::duration(u), draw::duration(u), draw::duration(u));
        let j = draw::jitter(u);
        let out = j.apply(d, base, cap, prev, u01);
        assert!(out <= cap, "{j:?}.apply above cap");
        if matches!(j, Jitter::None | Jitter::Full | Jitter::Equal) {
            assert!(out <= d, "{j:?}.apply above d");
        }
    }

    // The schedule.
    let steps = usize::from(draw::byte(u)) + 1;
    let restarts: u64 = draw::get(u);
    let mut rng = Samples {
        samples: (0..draw::byte(u) % 64).map(|_| draw::get(u)).collect(),
        next: 0,
        fallback: SplitMix64::new(b.seed_value()),
    };
    let mut schedule = b.schedule(&mut rng);
    let mut sum = Duration::ZERO;
    let mut yielded = 0u32;
    for step in 0..steps.min(MAX_STEPS) {
        if restarts >> (step % 64) & 1 == 1 && step % 3 == 0 {
            schedule.restart_growth();
        }
        match schedule.next() {
            Some(d) => {
                yielded += 1;
                assert!(d <= cap, "delay {yielded} = {d:?} above cap {cap:?}: {b:?}");
                sum = sum.saturating_add(d);
                assert_eq!(schedule.elapsed(), sum, "elapsed != sum of delays");
                assert_eq!(schedule.attempt(), yielded);
                if let Some(deadline) = b.delay_budget() {
                    assert!(
                        sum <= deadline,
                        "sum {sum:?} above deadline {deadline:?}: {b:?}"
                    );
                    assert_eq!(schedule.remaining_budget(), Some(deadline - sum));
                }
                if let Some(max) = b.max_retries() {
                    assert!(yielded <= max, "{yielded} delays for {max} retries: {b:?}");
                }
            }
            None => {
                let limit = b.max_retries().is_some_and(|max| yielded >= max);
                let spent = schedule.remaining_budget() == Some(Duration::ZERO);
                assert!(
                    limit || spent || yielded == u32::MAX,
                    "ended after {yielded} delays ({sum:?}) for no reason: {b:?}"
                );
                assert_eq!(schedule.next(), None, "not fused");
                break;
            }
        }
    }
}

fn budget(u: &mut Unstructured<'_>) {
    let mut budget = match draw::byte(u) % 5 {
        0 => RetryBudget::aws_standard(),
        1 => RetryBudget::aws_2026(),
        2 => RetryBudget::grpc(),
        3 => RetryBudget::quota(
            draw::get(u),
            draw::get(u),
            draw::get(u),
            draw::get(u),
            draw::get(u),
        ),
        _ => RetryBudget::ratio(draw::get(u), draw::get(u)),
    };
    let max = budget.milli_max();
    assert_eq!(budget.milli_tokens(), max, "a budget starts full");
    let mut tickets = Vec::new();
    for _ in 0..MAX_STEPS {
        if u.is_empty() {
            break;
        }
        let before = budget.milli_tokens();
        match draw::byte(u) % 4 {
            0 => {
                let kind = match draw::byte(u) % 3 {
                    0 => Retryability::No,
                    1 => Retryability::Transient,
                    _ => Retryability::Throttled,
                };
                let timeout = draw::flag(u);
                match budget.try_acquire(kind, timeout) {
                    Some(t) => {
                        assert!(kind.is_retryable(), "a ticket for a non-retryable failure");
                        assert_eq!(
                            budget.milli_tokens(),
                            before - t.milli_cost(),
                            "charged other than the ticket's cost"
                        );
                        tickets.push(t);
                    }
                    None => assert_eq!(budget.milli_tokens(), before, "charged for a refusal"),
                }
            }
            1 => {
                budget.on_success(None);
                assert!(budget.milli_tokens() >= before, "a success drained tokens");
            }
            2 => {
                // Hand back the latest ticket, or sometimes one already handed back.
                let ticket = if draw::flag(u) {
                    tickets.pop()
                } else {
                    tickets.last().copied()
                };
                budget.on_success(ticket);
                assert!(budget.milli_tokens() >= before, "a success drained tokens");
            }
            _ => {
                budget.on_failure();
                assert!(budget.milli_tokens() <= before, "a failure added tokens");
            }
        }
        assert!(
            budget.milli_tokens() <= max,
            "{} milli-tokens above the max {max}",
            budget.milli_tokens()
        );
        assert_eq!(budget.milli_max(), max, "the max changed");
        assert_eq!(budget.tokens(), budget.milli_tokens() / 1000);
    }
}

fn polling(u: &mut Unstructured<'_>) {
    let initial = draw::duration(u);
    let cap = draw::duration(u);
    let max_attempts = match draw::byte(u) % 3 {
        0 => u32::from(draw::byte(u) % 40),
        1 => u32::MAX - u32::from(draw::byte(u)),
        _ => draw::get(u),
    };
    let p = Polling::new()
        .initial(initial)
        .factor(draw::factor(u))
        .cap(cap)
        .max_attempts(max_attempts);
    let mut s = p.schedule();
    let mut waited = Duration::ZERO;
    let mut last_computed = Duration::ZERO;
    let mut oks = 0u32;
    let mut timed_out = false;
    for step in 1..=MAX_STEPS {
        if u.is_empty() {
            break;
        }
        let hint = draw::flag(u).then(|| draw::duration(u));
        match s.next_delay(hint) {
            Ok(d) => {
                assert!(!timed_out, "a poll after the timeout: {p:?}");
                oks += 1;
                match hint {
                    Some(h) => assert_eq!(d, h, "the hint is not waited exactly"),
                    None => {
                        assert!(d <= cap, "poll wait {d:?} above cap {cap:?}: {p:?}");
                        assert!(
                            at_least(d, initial.min(cap)),
                            "poll wait {d:?} below initial: {p:?}"
                        );
                        assert!(
                            at_least(d, last_computed),
                            "poll wait shrinks: {last_computed:?} then {d:?}: {p:?}"
                        );
                        last_computed = d;
                    }
                }
                waited = waited.saturating_add(d);
                assert_eq!(s.waited(), waited);
            }
            Err(t) => {
                timed_out = true;
                assert_eq!(t.attempts, s.polls());
                assert_eq!(t.waited, waited);
                assert!(s.polls() >= max_attempts, "timed out early: {p:?}");
                assert!(!t.to_string().is_empty());
            }
        }
        assert_eq!(s.polls(), u32::try_from(step).unwrap_or(u32::MAX));
        assert!(oks < max_attempts.max(1), "{oks} polls for {max_attempts}");
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    match draw::byte(&mut u) % 3 {
        0 => backoff(&mut u),
        1 => budget(&mut u),
        _ => polling(&mut u),
    }
});
