//! Property tests (proptest) for the retry module (`../shared/spec/governor.md`
//! sections 1.1-1.9):
//!
//! - every schedule stays within `[0, cap]` per delay and within its deadline in sum,
//!   whatever the configuration, jitter and seed;
//! - `delay_for` never exceeds the cap and never panics, for any attempt and sample;
//! - `combine` never waits below the hint (except under `Ignore`) or above `max_wait`,
//!   and gives up exactly when the hint exceeds `max_wait`;
//! - retry budgets stay within `[0, max]` under arbitrary operation sequences;
//! - polling never panics and times out after exactly `max_attempts` polls.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "test code: failing loudly is the point"
)]

use core::time::Duration;

use proptest::prelude::*;
use ratelimit_governor::retry::{
    Backoff, HintOutcome, HintRule, Jitter, Polling, RetryBudget, Retryability, SplitMix64, combine,
};

/// 256 cases per property; `PROPTEST_CASES` raises it.
fn config() -> ProptestConfig {
    ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(256),
    )
}

/// Durations from nothing to `Duration::MAX`, weighted toward realistic delays.
fn duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        4 => (0u64..=120_000).prop_map(Duration::from_millis),
        1 => any::<u64>().prop_map(Duration::from_secs),
        1 => Just(Duration::ZERO),
        1 => Just(Duration::MAX),
    ]
}

fn jitter() -> impl Strategy<Value = Jitter> {
    prop_oneof![
        Just(Jitter::None),
        Just(Jitter::Full),
        Just(Jitter::Equal),
        Just(Jitter::Decorrelated),
        duration().prop_map(|max| Jitter::Additive { max }),
        (0u32..=300).prop_map(|percent| Jitter::Proportional { percent }),
    ]
}

fn factor() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => 0.0f64..10.0,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(1.0),
    ]
}

fn backoff() -> impl Strategy<Value = Backoff> {
    (
        duration(),
        factor(),
        duration(),
        proptest::option::of(0u32..64),
        proptest::option::of(duration()),
        jitter(),
        any::<u64>(),
    )
        .prop_map(|(base, factor, cap, attempts, deadline, jitter, seed)| {
            Backoff::new()
                .base(base)
                .factor(factor)
                .cap(cap)
                .max_attempts(attempts)
                .deadline(deadline)
                .jitter(jitter)
                .seed(seed)
        })
}

fn rule() -> impl Strategy<Value = HintRule> {
    prop_oneof![
        (any::<u32>(), duration()).prop_map(|(jitter_percent, jitter_cap)| HintRule::Floor {
            jitter_percent,
            jitter_cap
        }),
        Just(HintRule::Exact),
        Just(HintRule::Max),
        Just(HintRule::Ignore),
    ]
}

/// One event a retry budget sees.
#[derive(Clone, Copy, Debug)]
enum Op {
    Acquire(Retryability, bool),
    SuccessFirst,
    SuccessWithLastTicket,
    Failure,
}

fn op() -> impl Strategy<Value = Op> {
    let kind = prop_oneof![
        Just(Retryability::No),
        Just(Retryability::Transient),
        Just(Retryability::Throttled),
    ];
    prop_oneof![
        (kind, any::<bool>()).prop_map(|(k, t)| Op::Acquire(k, t)),
        Just(Op::SuccessFirst),
        Just(Op::SuccessWithLastTicket),
        Just(Op::Failure),
    ]
}

fn budget() -> impl Strategy<Value = RetryBudget> {
    prop_oneof![
        Just(RetryBudget::aws_standard()),
        Just(RetryBudget::aws_2026()),
        Just(RetryBudget::grpc()),
        (
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            any::<u32>()
        )
            .prop_map(|(m, a, b, c, d)| RetryBudget::quota(m, a, b, c, d)),
        (any::<u32>(), any::<u32>()).prop_map(|(m, r)| RetryBudget::ratio(m, r)),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn schedules_stay_within_cap_and_deadline(b in backoff()) {
        let mut sum = Duration::ZERO;
        let mut count = 0u32;
        for d in b.seeded_schedule().take(300) {
            prop_assert!(d <= b.max_delay(), "{d:?} above cap");
            sum = sum.saturating_add(d);
            count += 1;
        }
        if let Some(deadline) = b.delay_budget() {
            prop_assert!(sum <= deadline, "sum {sum:?} above deadline {deadline:?}");
        }
        if let Some(retries) = b.max_retries() {
            prop_assert!(count <= retries);
        }
    }

    #[test]
    fn same_seed_same_schedule(b in backoff()) {
        let a: Vec<Duration> = b.seeded_schedule().take(50).collect();
        let again: Vec<Duration> = b.schedule(SplitMix64::new(b.seed_value())).take(50).collect();
        prop_assert_eq!(a, again);
    }

    #[test]
    fn delay_for_never_exceeds_cap(
        b in backoff(),
        attempt in any::<u32>(),
        prev in duration(),
        u in prop_oneof![0.0f64..1.0, Just(f64::NAN), Just(-1.0), Just(2.0)],
    ) {
        prop_assert!(b.delay_for(attempt, prev, u) <= b.max_delay());
    }

    #[test]
    fn combine_waits_between_hint_and_max_wait(
        r in rule(),
        hint in proptest::option::of(duration()),
        backoff in duration(),
        max_wait in duration(),
        u in 0.0f64..1.0,
    ) {
        match combine(r, hint, backoff, max_wait, u) {
            HintOutcome::Wait(w) => {
                prop_assert!(w <= max_wait, "{w:?} above max_wait");
                if let (Some(h), false) = (hint, r == HintRule::Ignore) {
                    prop_assert!(w >= h, "{w:?} below hint {h:?}");
                }
            }
            HintOutcome::GiveUp { required } => {
                prop_assert_ne!(r, HintRule::Ignore);
                prop_assert_eq!(Some(required), hint);
                prop_assert!(required > max_wait);
            }
        }
    }

    #[test]
    fn budget_tokens_stay_within_zero_and_max(b in budget(), ops in proptest::collection::vec(op(), 0..400)) {
        let mut b = b;
        let mut last = None;
        for op in ops {
            match op {
                Op::Acquire(kind, timeout) => {
                    let before = b.milli_tokens();
                    let ticket = b.try_acquire(kind, timeout);
                    if let Some(t) = ticket {
                        prop_assert_eq!(b.milli_tokens(), before - t.milli_cost());
                        last = Some(t);
                    } else {
                        prop_assert_eq!(b.milli_tokens(), before);
                    }
                }
                Op::SuccessFirst => b.on_success(None),
                Op::SuccessWithLastTicket => b.on_success(last.take()),
                Op::Failure => b.on_failure(),
            }
            prop_assert!(b.milli_tokens() <= b.milli_max());
            prop_assert_eq!(b.tokens(), b.milli_tokens() / 1000);
        }
    }

    #[test]
    fn polling_times_out_after_max_attempts(
        initial in duration(),
        f in factor(),
        cap in duration(),
        max in 0u32..200,
        hints in proptest::collection::vec(proptest::option::of(duration()), 200),
    ) {
        let mut p = Polling::new().initial(initial).factor(f).cap(cap).max_attempts(max).schedule();
        let mut oks = 0u32;
        for hint in hints {
            match p.next_delay(hint) {
                Ok(d) => {
                    oks += 1;
                    if let Some(h) = hint {
                        prop_assert_eq!(d, h);
                    } else {
                        prop_assert!(d <= cap);
                    }
                }
                Err(e) => {
                    prop_assert_eq!(e.attempts, oks + 1);
                    prop_assert_eq!(e.waited, p.waited());
                    break;
                }
            }
        }
        prop_assert_eq!(oks, max.saturating_sub(1));
    }
}
