//! [`HintRule`] and [`combine`]: how a server's retry hint (`Retry-After`,
//! `retry-after-ms`, `x-amz-retry-after`, `grpc-retry-pushback-ms`) combines with the
//! client's own backoff, and when a hint is too long to honour
//! (`../shared/spec/governor.md` section 0.1 "use the server's word first", sections
//! 1.2, 1.5 and 1.8).
//!
//! The rule is explicit because published clients disagree: urllib3 replaces the
//! backoff with the hint (`Exact`), AWS 2026 takes the larger of the two within 5 s
//! (`Max` with a bound), gRPC waits exactly the pushback, and a tenacity client without
//! a custom `wait` ignores it (`Ignore`). The default `Floor` honours the hint and adds
//! a little jitter so that clients told the same instant do not return together.
//!
//! Whatever the rule, a wait never exceeds `max_wait`; a hint that does is reported as
//! [`HintOutcome::GiveUp`] carrying the required wait (the IETF draft warns that a huge
//! `Retry-After` is itself a denial-of-service vector).

use core::time::Duration;

use super::scale::{fraction, percent_of};

/// How a server hint and the client's backoff combine into one wait.
///
/// | rule | wait (hint `h`, backoff `b`) |
/// |---|---|
/// | `Floor { jitter_percent: p, jitter_cap: c }` (default `p = 10`, `c = 1 s`) | `h + U(0, min(p% of h, c))` |
/// | `Exact` | `h` |
/// | `Max` | `max(h, b)` |
/// | `Ignore` | `b` |
///
/// Without a hint every rule waits `b`. Every wait is then capped at `max_wait`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HintRule {
    /// The hint is a floor: wait the hint plus a small jitter
    /// `U(0, min(jitter_percent% of hint, jitter_cap))`; the backoff is not used.
    Floor {
        /// The jitter's upper bound in percent of the hint (clamped to 100).
        jitter_percent: u32,
        /// The jitter's absolute upper bound.
        jitter_cap: Duration,
    },
    /// Wait exactly the hint (urllib3, gRPC pushback).
    Exact,
    /// Wait the longer of the hint and the backoff.
    Max,
    /// Ignore the hint; wait the backoff.
    Ignore,
}

impl HintRule {
    /// The default rule: `Floor { jitter_percent: 10, jitter_cap: 1 s }`.
    pub const DEFAULT: HintRule = HintRule::Floor {
        jitter_percent: 10,
        jitter_cap: Duration::from_secs(1),
    };
}

impl Default for HintRule {
    fn default() -> Self {
        HintRule::DEFAULT
    }
}

/// What [`combine`] decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HintOutcome {
    /// Wait this long, then retry. Never above `max_wait`, never below the hint
    /// (unless the rule is [`HintRule::Ignore`]).
    Wait(Duration),
    /// The server requires a wait longer than `max_wait`: do not retry.
    GiveUp {
        /// The wait the server asked for (the hint, without jitter).
        required: Duration,
    },
}

impl HintOutcome {
    /// The wait, when the outcome is [`HintOutcome::Wait`].
    pub const fn wait(self) -> Option<Duration> {
        match self {
            HintOutcome::Wait(d) => Some(d),
            HintOutcome::GiveUp { .. } => None,
        }
    }
}

/// Combines the server's `hint` with the client's `backoff` by `rule`, bounded by
/// `max_wait`, with `u01` in `[0, 1)` for the `Floor` jitter.
///
/// * `hint > max_wait` (and the rule is not `Ignore`): [`HintOutcome::GiveUp`] with
///   `required = hint`.
/// * Otherwise [`HintOutcome::Wait`] with the rule's wait capped at `max_wait`; since
///   `hint <= max_wait`, capping never takes the wait below the hint (the `Floor`
///   jitter is what gets cut).
/// * No hint, or `Ignore`: `Wait(min(backoff, max_wait))`. The client's own backoff
///   is never a reason to give up.
///
/// ```
/// use core::time::Duration;
/// use ratelimit_governor::retry::{combine, HintOutcome, HintRule};
///
/// let s = Duration::from_secs;
/// let rule = HintRule::default();
/// // 30 s hint: + U(0, min(3 s, 1 s)); u01 = 0.5 adds 0.5 s.
/// assert_eq!(combine(rule, Some(s(30)), s(4), s(60), 0.5), HintOutcome::Wait(Duration::from_millis(30_500)));
/// assert_eq!(combine(rule, Some(s(90)), s(4), s(60), 0.5), HintOutcome::GiveUp { required: s(90) });
/// assert_eq!(combine(rule, None, s(4), s(60), 0.5), HintOutcome::Wait(s(4)));
/// ```
pub fn combine(
    rule: HintRule,
    hint: Option<Duration>,
    backoff: Duration,
    max_wait: Duration,
    u01: f64,
) -> HintOutcome {
    let hint = match (rule, hint) {
        (HintRule::Ignore, _) | (_, None) => return HintOutcome::Wait(backoff.min(max_wait)),
        (_, Some(h)) => h,
    };
    if hint > max_wait {
        return HintOutcome::GiveUp { required: hint };
    }
    let wait = match rule {
        HintRule::Floor {
            jitter_percent,
            jitter_cap,
        } => {
            let spread = percent_of(hint, jitter_percent).min(jitter_cap);
            hint.saturating_add(fraction(spread, u01))
        }
        HintRule::Exact => hint,
        HintRule::Max => hint.max(backoff),
        HintRule::Ignore => backoff,
    };
    HintOutcome::Wait(wait.min(max_wait))
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;
    const MS: fn(u64) -> Duration = Duration::from_millis;
    const TOP: f64 = 1.0 - 1.0 / 9_007_199_254_740_992.0;

    fn wait(d: Duration) -> HintOutcome {
        HintOutcome::Wait(d)
    }

    fn give_up(d: Duration) -> HintOutcome {
        HintOutcome::GiveUp { required: d }
    }

    #[test]
    fn combination_table() {
        let floor = HintRule::DEFAULT;
        let max = S(60);
        // rule, hint, backoff, u01, expected
        let rows: &[(HintRule, Option<Duration>, Duration, f64, HintOutcome)] = &[
            // Floor: hint + U(0, min(10% of hint, 1 s)).
            (floor, Some(S(5)), S(2), 0.0, wait(S(5))),
            (floor, Some(S(5)), S(2), 0.5, wait(MS(5250))),
            (floor, Some(S(5)), S(2), 1.0, wait(MS(5500))),
            (floor, Some(S(30)), S(2), 1.0, wait(S(31))),
            (floor, Some(S(30)), S(40), 0.0, wait(S(30))),
            (floor, Some(Duration::ZERO), S(2), 1.0, wait(Duration::ZERO)),
            // Floor jitter is cut at max_wait, never the hint.
            (floor, Some(MS(59_800)), S(2), 1.0, wait(S(60))),
            (floor, Some(S(60)), S(2), TOP, wait(S(60))),
            (floor, Some(MS(60_001)), S(2), 0.0, give_up(MS(60_001))),
            // Exact.
            (HintRule::Exact, Some(S(5)), S(9), 0.9, wait(S(5))),
            (HintRule::Exact, Some(S(61)), S(9), 0.9, give_up(S(61))),
            // Max.
            (HintRule::Max, Some(S(5)), S(9), 0.9, wait(S(9))),
            (HintRule::Max, Some(S(9)), S(5), 0.9, wait(S(9))),
            (HintRule::Max, Some(S(5)), S(90), 0.9, wait(S(60))),
            (HintRule::Max, Some(S(90)), S(5), 0.9, give_up(S(90))),
            // Ignore.
            (HintRule::Ignore, Some(S(90)), S(5), 0.9, wait(S(5))),
            (HintRule::Ignore, Some(S(5)), S(90), 0.9, wait(S(60))),
            // No hint: the backoff, capped.
            (floor, None, S(5), 0.9, wait(S(5))),
            (HintRule::Exact, None, S(90), 0.9, wait(S(60))),
        ];
        for &(rule, hint, backoff, u, want) in rows {
            assert_eq!(
                combine(rule, hint, backoff, max, u),
                want,
                "{rule:?} {hint:?} {backoff:?} u={u}"
            );
        }
    }

    #[test]
    fn custom_floor_jitter() {
        let rule = HintRule::Floor {
            jitter_percent: 50,
            jitter_cap: S(10),
        };
        assert_eq!(combine(rule, Some(S(4)), S(1), S(60), 1.0), wait(S(6)));
        let huge = HintRule::Floor {
            jitter_percent: 1000,
            jitter_cap: Duration::MAX,
        };
        assert_eq!(combine(huge, Some(S(4)), S(1), S(60), 1.0), wait(S(8)));
    }

    #[test]
    fn huge_hints_saturate_and_give_up() {
        let hints = [Duration::from_secs(u64::MAX), Duration::MAX];
        let rules = [HintRule::DEFAULT, HintRule::Exact, HintRule::Max];
        for hint in hints {
            for rule in rules {
                assert_eq!(
                    combine(rule, Some(hint), S(1), S(3900), 0.99),
                    give_up(hint)
                );
            }
        }
        // With an unbounded max_wait the hint is honoured and the jitter saturates.
        assert_eq!(
            combine(
                HintRule::DEFAULT,
                Some(Duration::MAX),
                Duration::MAX,
                Duration::MAX,
                TOP
            ),
            wait(Duration::MAX)
        );
    }

    #[test]
    fn wait_accessor() {
        assert_eq!(wait(S(1)).wait(), Some(S(1)));
        assert_eq!(give_up(S(1)).wait(), None);
        assert_eq!(HintRule::default(), HintRule::DEFAULT);
    }
}
