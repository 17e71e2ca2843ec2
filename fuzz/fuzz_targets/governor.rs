//! Fuzzes the informed governor: a `GovernorState` driven through a byte-chosen
//! sequence of `on_send`, `observe`, `on_transport_error` and `decide` calls.
//!
//! Input: segments separated by `\n%%\n` (`ratelimit_governor_fuzz::split_segments`).
//! The first segment is control bytes, read by `ratelimit_governor_fuzz::draw`; each
//! further one (at most [`MAX_RESPONSES`]) is a response in the `response` target's
//! text format (`split_response`), parsed once and observed whenever the control bytes
//! pick it.
//!
//! The control bytes choose the configuration (mode, reserve, wake-up jitter, reset
//! margin, backoff, hint rule, secondary wait), up to five declared quotas, the
//! starting instant, then per step: the call, the clock's advance (zero to saturating),
//! and the arguments of the `decide` that follows every step (`max_wait`, `work_left`,
//! a sample in `[0, 1)`). Every `decide` must:
//!
//! - not panic, and be a pure function of its arguments;
//! - `Proceed` with a zero wait (and reason `QuotaAvailable`);
//! - `Wait` a non-zero time that never exceeds `max_wait`;
//! - `GiveUp` for `WaitExceedsMax` only with a wait above `max_wait`.
//!
//! The same sequence runs on the default capacities (16 windows, 4 quotas) and on
//! tiny ones (2 windows, 1 quota), where windows are replaced and quotas refused.
#![no_main]

use std::collections::VecDeque;

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use ratelimit_governor::retry::HintRule;
use ratelimit_governor::{
    Action, Advice, GovernorConfig, GovernorState, KnownQuota, Limits, Mode, MonoTime, Reason,
    Reserve, parse,
};
use ratelimit_governor_fuzz::{check_advice, draw, split_response, split_segments};

/// Responses after the control segment.
const MAX_RESPONSES: usize = 8;
/// Steps per input.
const MAX_STEPS: usize = 256;
/// Sends remembered for pairing with a later `observe`.
const MAX_PENDING: usize = 64;

fn config(u: &mut Unstructured<'_>) -> GovernorConfig {
    let mut cfg = GovernorConfig::DEFAULT
        .mode(if draw::flag(u) {
            Mode::Smooth
        } else {
            Mode::Batch
        })
        .reserve(match draw::byte(u) % 4 {
            0 | 1 => Reserve::Strict,
            2 => Reserve::Optimistic,
            _ => Reserve::Fixed(match draw::byte(u) % 3 {
                0 => u32::from(draw::byte(u)),
                1 => u32::MAX,
                _ => draw::get(u),
            }),
        });
    if draw::flag(u) {
        cfg = cfg
            .wake_jitter_max(draw::duration(u))
            .reset_margin(draw::duration(u));
    }
    if draw::flag(u) {
        cfg = cfg.backoff(draw::backoff(u));
    }
    cfg = cfg.hint_rule(match draw::byte(u) % 5 {
        0 => HintRule::Exact,
        1 => HintRule::Max,
        2 => HintRule::Ignore,
        3 => HintRule::Floor {
            jitter_percent: draw::get(u),
            jitter_cap: draw::duration(u),
        },
        _ => HintRule::DEFAULT,
    });
    if draw::flag(u) {
        cfg.secondary_wait = draw::duration(u);
    }
    cfg
}

fn quota(u: &mut Unstructured<'_>) -> KnownQuota {
    let limit = match draw::byte(u) % 4 {
        0 => 0,
        1 => u64::from(draw::byte(u) % 40),
        2 => u64::from(draw::get::<u16>(u)),
        _ => draw::get(u),
    };
    if draw::flag(u) {
        KnownQuota::PerPeriod {
            limit,
            period: draw::duration(u),
        }
    } else {
        KnownQuota::Lifetime {
            limit,
            warn_at: draw::get(u),
        }
    }
}

fn work_left(u: &mut Unstructured<'_>) -> Option<u64> {
    match draw::byte(u) % 4 {
        0 => None,
        1 => Some(u64::from(draw::byte(u))),
        2 => Some(u64::from(draw::get::<u16>(u))),
        _ => Some(draw::get(u)),
    }
}

fn check_decision(advice: Advice, max_wait: core::time::Duration) {
    check_advice(advice, max_wait);
    match advice.action {
        Action::Proceed => assert!(advice.wait.is_zero(), "Proceed with a wait: {advice:?}"),
        Action::Wait => {
            assert!(
                advice.wait <= max_wait,
                "Wait over max_wait {max_wait:?}: {advice:?}"
            );
            assert!(!advice.wait.is_zero(), "Wait of zero: {advice:?}");
        }
        Action::GiveUp => {
            if advice.reason == Reason::WaitExceedsMax {
                assert!(
                    advice.wait > max_wait,
                    "WaitExceedsMax within max_wait {max_wait:?}: {advice:?}"
                );
            }
        }
    }
}

fn run<const W: usize, const Q: usize>(control: &[u8], responses: &[Limits<'_>]) {
    let mut u = Unstructured::new(control);
    let cfg = config(&mut u);
    let mut state: GovernorState<W, Q> = GovernorState::new();
    for _ in 0..draw::byte(&mut u) % 6 {
        let _ = state.declare(quota(&mut u));
    }
    let mut now = if draw::flag(&mut u) {
        MonoTime::from_duration(draw::duration(&mut u))
    } else {
        MonoTime::ZERO
    };
    let mut pending: VecDeque<MonoTime> = VecDeque::new();
    for _ in 0..MAX_STEPS {
        if u.is_empty() {
            break;
        }
        match draw::byte(&mut u) % 6 {
            0 | 1 => {
                state.on_send(now);
                if pending.len() == MAX_PENDING {
                    pending.pop_front();
                }
                pending.push_back(now);
            }
            2 | 3 if !responses.is_empty() => {
                let limits = &responses[usize::from(draw::byte(&mut u)) % responses.len()];
                let sent_at = match draw::byte(&mut u) % 4 {
                    // Sent before it arrived, by an arbitrary amount.
                    0 => MonoTime::from_duration(
                        now.since_origin().saturating_sub(draw::delta(&mut u)),
                    ),
                    // Out of order: "sent" after it was received.
                    1 => now.saturating_add(draw::delta(&mut u)),
                    _ => pending.pop_front().unwrap_or(now),
                };
                state.observe(limits, sent_at, now);
            }
            4 => {
                pending.pop_front();
                state.on_transport_error(now);
            }
            _ => {}
        }
        now = now.saturating_add(draw::delta(&mut u));

        let max_wait = draw::max_wait(&mut u);
        let work_left = work_left(&mut u);
        let u01 = draw::unit(&mut u);
        let cfg = cfg.max_wait(max_wait);
        let advice = state.decide(now, work_left, &cfg, u01);
        check_decision(advice, max_wait);
        assert_eq!(
            advice,
            state.decide(now, work_left, &cfg, u01),
            "decide is not deterministic"
        );

        assert!(state.window_count() <= W);
        assert!(u64::from(state.in_flight()) <= state.sent_total());
        let _ = (
            state.rtt(),
            state.consecutive_failures(),
            state.windows_replaced(),
            state.shared(),
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let segments = split_segments(data, MAX_RESPONSES + 1);
    let (control, rest) = segments.split_first().expect("at least one segment");
    let splits: Vec<_> = rest.iter().map(|r| split_response(r)).collect();
    let responses: Vec<Limits<'_>> = splits.iter().map(|s| parse(&s.response())).collect();
    run::<16, 4>(control, &responses);
    run::<2, 1>(control, &responses);
});
