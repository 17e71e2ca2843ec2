//! [`Jitter`]: how a random sample spreads the exponential delay, with the formulas
//! of Brooker's "Exponential Backoff and Jitter" (`../shared/spec/governor.md` section
//! 1.1), tenacity's `wait_exponential_jitter` (section 1.9) and gRPC's connection
//! backoff (section 1.5).
//!
//! Throughout, `n` is the 1-based retry number and
//! `d = min(cap, base · factor^(n−1))` is the un-jittered exponential delay (botocore,
//! tenacity and gRFC A6 all count from `n − 1`; Brooker's simulator writes `2^n` with
//! `n` starting one lower). `U(a, b)` is a uniform draw from `[a, b)`.

use core::time::Duration;

use super::scale::{between, fraction, percent_of};

/// How to randomize the exponential delay `d = min(cap, base · factor^(n−1))`.
///
/// | variant | sleep | name elsewhere |
/// |---|---|---|
/// | `None` | `d` | Brooker "Exponential" |
/// | `Full` (default) | `U(0, d)` | Brooker "Full Jitter", botocore, gRFC A6, google-api-core |
/// | `Equal` | `d/2 + U(0, d/2)` | Brooker "Equal Jitter" |
/// | `Decorrelated` | `min(cap, U(base, 3·prev))`, `prev` starting at `base` | Brooker "Decorrelated Jitter" |
/// | `Additive { max }` | `min(cap, d + U(0, max))` | tenacity `wait_exponential_jitter` |
/// | `Proportional { percent }` | `min(cap, d + U(−p, +p)·d)`, `p = percent/100` | gRPC connection backoff (±20%) |
///
/// Brooker's measurements (section 1.1) favour `Full`: fewest calls, and only
/// `Decorrelated` finishes slightly sooner. `None` and `Equal` are strictly worse under
/// contention; `None` is kept for reproducing vendors' naive schedules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Jitter {
    /// No randomness: `d`.
    None,
    /// Full Jitter: `U(0, d)`.
    #[default]
    Full,
    /// Equal Jitter: `d/2 + U(0, d/2)`.
    Equal,
    /// Decorrelated Jitter: `min(cap, U(base, 3·prev))`, where `prev` is the previous
    /// sleep and starts at `base`. Ignores `factor`; when `3·prev < base` the draw is
    /// `base`.
    Decorrelated,
    /// Additive jitter: `min(cap, d + U(0, max))`.
    Additive {
        /// The largest amount added.
        max: Duration,
    },
    /// Symmetric proportional jitter: `min(cap, d + U(−p, +p)·d)` with
    /// `p = percent / 100` (percent clamped to 100). gRPC uses 20.
    Proportional {
        /// Half-width of the spread, in percent of `d`.
        percent: u32,
    },
}

impl Jitter {
    /// Applies the formula to the un-jittered delay `d` (already capped), with the
    /// schedule's `base` and `cap`, the previous sleep `prev` (used by
    /// [`Jitter::Decorrelated`] only) and a sample `u01` in `[0, 1)` (values outside
    /// are clamped, NaN counts as 0). The result never exceeds `cap`, except that
    /// `Equal`, `Full` and `None` never exceed `d` either.
    pub fn apply(
        self,
        d: Duration,
        base: Duration,
        cap: Duration,
        prev: Duration,
        u01: f64,
    ) -> Duration {
        let d = d.min(cap);
        match self {
            Jitter::None => d,
            Jitter::Full => fraction(d, u01),
            Jitter::Equal => {
                let half = d.checked_div(2).unwrap_or(Duration::ZERO);
                let upper = d.saturating_sub(half);
                half.saturating_add(fraction(upper, u01))
            }
            Jitter::Decorrelated => {
                let high = prev.saturating_mul(3).max(base);
                between(base, high, u01).min(cap)
            }
            Jitter::Additive { max } => d.saturating_add(fraction(max, u01)).min(cap),
            Jitter::Proportional { percent } => {
                let spread = percent_of(d, percent);
                let low = d.saturating_sub(spread);
                let high = d.saturating_add(spread);
                between(low, high, u01).min(cap)
            }
        }
    }

    /// True when the variant draws a random sample (everything but [`Jitter::None`]).
    pub const fn is_random(self) -> bool {
        !matches!(self, Jitter::None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;
    const MS: fn(u64) -> Duration = Duration::from_millis;
    /// The largest sample a [`super::super::RandomSource`] returns.
    const TOP: f64 = 1.0 - 1.0 / 9_007_199_254_740_992.0;

    #[test]
    fn formulas_at_the_bounds_of_the_sample() {
        let base = S(1);
        let cap = S(20);
        let d = S(8);
        let prev = S(4);
        // jitter, u01, expected
        let rows: &[(Jitter, f64, Duration)] = &[
            (Jitter::None, 0.0, S(8)),
            (Jitter::None, TOP, S(8)),
            (Jitter::Full, 0.0, Duration::ZERO),
            (Jitter::Full, 0.5, S(4)),
            (Jitter::Full, 1.0, S(8)),
            (Jitter::Equal, 0.0, S(4)),
            (Jitter::Equal, 0.5, S(6)),
            (Jitter::Equal, 1.0, S(8)),
            (Jitter::Decorrelated, 0.0, S(1)),
            (Jitter::Decorrelated, 0.5, MS(6500)),
            (Jitter::Decorrelated, 1.0, S(12)),
            (Jitter::Additive { max: S(1) }, 0.0, S(8)),
            (Jitter::Additive { max: S(1) }, 0.5, MS(8500)),
            (Jitter::Additive { max: S(1) }, 1.0, S(9)),
            (Jitter::Proportional { percent: 20 }, 0.0, MS(6400)),
            (Jitter::Proportional { percent: 20 }, 0.5, S(8)),
            (Jitter::Proportional { percent: 20 }, 1.0, MS(9600)),
        ];
        for &(jitter, u, want) in rows {
            assert_eq!(
                jitter.apply(d, base, cap, prev, u),
                want,
                "{jitter:?} u={u}"
            );
        }
    }

    #[test]
    fn every_variant_respects_the_cap() {
        let cap = S(20);
        let all = [
            Jitter::None,
            Jitter::Full,
            Jitter::Equal,
            Jitter::Decorrelated,
            Jitter::Additive { max: S(30) },
            Jitter::Proportional { percent: 20 },
            Jitter::Proportional { percent: 500 },
        ];
        for jitter in all {
            for u in [0.0, 0.3, TOP, 1.0] {
                let got = jitter.apply(S(20), S(1), cap, S(19), u);
                assert!(got <= cap, "{jitter:?} u={u}: {got:?}");
            }
        }
    }

    #[test]
    fn decorrelated_below_base_draws_base() {
        assert_eq!(
            Jitter::Decorrelated.apply(S(1), S(3), S(20), S(0), 0.9),
            S(3)
        );
    }

    #[test]
    fn samples_outside_the_unit_interval_are_clamped() {
        assert_eq!(
            Jitter::Full.apply(S(8), S(1), S(20), S(1), -3.0),
            Duration::ZERO
        );
        assert_eq!(Jitter::Full.apply(S(8), S(1), S(20), S(1), 7.0), S(8));
        assert_eq!(
            Jitter::Full.apply(S(8), S(1), S(20), S(1), f64::NAN),
            Duration::ZERO
        );
    }

    #[test]
    fn saturates_at_duration_max() {
        let max = Duration::MAX;
        assert_eq!(Jitter::Additive { max }.apply(max, max, max, max, 1.0), max);
        assert_eq!(Jitter::Decorrelated.apply(max, S(1), max, max, 1.0), max);
        assert_eq!(
            Jitter::Proportional { percent: 100 }.apply(max, S(1), max, max, 1.0),
            max
        );
    }

    #[test]
    fn only_none_is_deterministic() {
        assert!(!Jitter::None.is_random());
        assert!(Jitter::Full.is_random());
        assert_eq!(Jitter::default(), Jitter::Full);
    }
}
