//! Properties of the governor over arbitrary response sequences: a decision is never
//! shorter than the wait the server requires (its Retry-After after a failure, the
//! reset of an exhausted window) and never longer than `max_wait` (a longer required
//! wait is a give-up carrying it); nothing overflows or panics.
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]

use core::time::Duration;

use proptest::prelude::*;
use ratelimit_governor::{
    Action, GovernorConfig, GovernorState, Mode, MonoTime, Reason, Response, parse,
};

#[derive(Clone, Debug)]
struct Exchange {
    status: u16,
    retry_after: Option<u64>,
    remaining: Option<u64>,
    reset: u64,
    rtt_ms: u64,
    gap_ms: u64,
}

fn exchange() -> impl Strategy<Value = Exchange> {
    (
        prop::sample::select(vec![200u16, 200, 200, 429, 503, 403, 500, 404]),
        prop::option::of(prop_oneof![0u64..120, Just(u64::MAX), 0u64..100_000]),
        prop::option::of(0u64..5),
        0u64..4000,
        0u64..2000,
        0u64..5000,
    )
        .prop_map(
            |(status, retry_after, remaining, reset, rtt_ms, gap_ms)| Exchange {
                status,
                retry_after,
                remaining,
                reset,
                rtt_ms,
                gap_ms,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn decisions_respect_required_waits_and_max_wait(
        exchanges in prop::collection::vec(exchange(), 1..12),
        max_wait_s in 1u64..5000,
        u01 in 0.0f64..1.0,
        later_ms in 0u64..10_000,
        smooth in any::<bool>(),
        work_left in prop::option::of(1u64..10_000),
    ) {
        let cfg = GovernorConfig::DEFAULT
            .max_wait(Duration::from_secs(max_wait_s))
            .mode(if smooth { Mode::Smooth } else { Mode::Batch });
        let mut state: GovernorState = GovernorState::new();
        let mut t = 0u64;
        let mut last = None;
        for e in &exchanges {
            t += e.gap_ms;
            let sent = t;
            t += e.rtt_ms;
            let ra = e.retry_after.map(|v| v.to_string());
            let rl = e.remaining.map(|r| format!("\"w\";r={r};t={}", e.reset));
            let mut headers: Vec<(&str, &str)> = Vec::new();
            if let Some(v) = &ra { headers.push(("Retry-After", v)); }
            if let Some(v) = &rl { headers.push(("RateLimit", v)); }
            state.on_send(MonoTime::from_millis(sent));
            let limits = parse(&Response::new(&headers[..]).status(e.status));
            state.observe(&limits, MonoTime::from_millis(sent), MonoTime::from_millis(t));
            last = Some((e.clone(), t));
        }
        let now = t + later_ms;
        let advice = state.decide(MonoTime::from_millis(now), work_left, &cfg, u01);
        let (e, received) = last.unwrap();
        // What the server requires from `now`.
        let elapsed = Duration::from_millis(now - received);
        let failure = e.status >= 400 && matches!(e.status, 429 | 503 | 500 | 403);
        let required = match (failure, e.retry_after) {
            (true, Some(r)) => Some(Duration::from_secs(r).saturating_sub(elapsed)),
            _ => None,
        };
        match advice.action {
            Action::Wait => {
                prop_assert!(advice.wait <= cfg.max_wait, "{advice:?}");
                if let Some(r) = required {
                    prop_assert!(advice.wait >= r, "{advice:?} < {r:?}");
                }
            }
            Action::GiveUp => {
                prop_assert!(
                    advice.wait > cfg.max_wait
                        || matches!(advice.reason, Reason::ServerSaysNoRetry | Reason::QuotaExhausted),
                    "{advice:?}"
                );
            }
            Action::Proceed => {
                prop_assert_eq!(advice.wait, Duration::ZERO);
                if let Some(r) = required {
                    prop_assert!(r.is_zero(), "proceeded with {r:?} still required");
                }
            }
        }
    }

    #[test]
    fn an_exhausted_window_is_never_left_early(
        reset in 1u64..100_000,
        rtt_ms in 0u64..3000,
        later_ms in 0u64..200_000,
        u01 in 0.0f64..1.0,
    ) {
        let mut state: GovernorState = GovernorState::new();
        let value = format!("\"w\";r=0;t={reset}");
        let headers = [("RateLimit", value.as_str())];
        state.on_send(MonoTime::ZERO);
        let limits = parse(&Response::new(&headers[..]).status(200));
        state.observe(&limits, MonoTime::ZERO, MonoTime::from_millis(rtt_ms));
        let now = rtt_ms + later_ms;
        let reset_at = rtt_ms + reset * 1000;
        let advice = state.decide(MonoTime::from_millis(now), Some(1), &GovernorConfig::DEFAULT, u01);
        if now < reset_at {
            let required = Duration::from_millis(reset_at - now);
            match advice.action {
                Action::Wait => prop_assert!(advice.wait >= required && advice.wait <= GovernorConfig::DEFAULT.max_wait),
                Action::GiveUp => prop_assert!(required > GovernorConfig::DEFAULT.max_wait),
                Action::Proceed => prop_assert!(false, "proceeded {required:?} before the reset"),
            }
        } else {
            prop_assert_eq!(advice.action, Action::Proceed);
        }
    }
}
