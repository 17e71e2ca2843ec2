//! [`Backoff`]: the configuration of a client's own retry delays (capped exponential
//! growth plus [`Jitter`]), its presets from published SDKs, and the pure
//! [`Backoff::delay_for`] that every schedule is made of
//! (`../shared/spec/governor.md` sections 0.1, 1.1, 1.2, 1.5, 1.6 and 1.9).
//!
//! The defaults table lives on [`Backoff`] itself (this module is private, and a
//! table is only useful where rustdoc shows it). The deadline counts only the delays
//! a schedule yields, not the time the requests themselves take: callers that also
//! need a wall-clock deadline compare their own clock (the core has none).

use core::time::Duration;

use super::random::{RandomSource, SplitMix64};
use super::scale::grow;
use super::{Jitter, Schedule};

/// A retry backoff configuration, built with `const` setters.
///
/// Defaults ([`Backoff::new`] and [`Default`]), one row per setter:
///
/// | setter | default | meaning |
/// |---|---|---|
/// | [`base`](Backoff::base) | 1 s | delay before retry 1, before jitter |
/// | [`factor`](Backoff::factor) | 2.0 | growth per retry, an `f64`; below 1 (or NaN) counts as 1 |
/// | [`cap`](Backoff::cap) | 20 s | no delay exceeds it (AWS; Google uses 60 s) |
/// | [`max_attempts`](Backoff::max_attempts) | `Some(3)` | total attempts *including the first*, so 2 retries (AWS standard); `None` = unlimited |
/// | [`deadline`](Backoff::deadline) | `None` | budget for the *sum* of yielded delays; the last delay is shortened so the sum never exceeds it, then the schedule ends |
/// | [`jitter`](Backoff::jitter) | [`Jitter::Full`] | how the delay is randomized |
/// | [`seed`](Backoff::seed) | 0 | seed of [`Backoff::seeded_schedule`]; give every client its own |
///
/// The un-jittered delay before retry `n` (1-based) is
/// `d = min(cap, base · factor^(n−1))`, computed without overflow for any `n` up to
/// `u32::MAX`; [`Jitter`] then spreads it.
///
/// ```
/// use core::time::Duration;
/// use ratelimit_governor::retry::{Backoff, Jitter, SplitMix64};
///
/// let backoff = Backoff::new()
///     .base(Duration::from_millis(100))
///     .cap(Duration::from_secs(1))
///     .max_attempts(Some(6))
///     .jitter(Jitter::None);
/// let delays: Vec<u64> = backoff
///     .schedule(SplitMix64::new(1))
///     .map(|d| d.as_millis() as u64)
///     .collect();
/// assert_eq!(delays, [100, 200, 400, 800, 1000]);
///
/// // With a deadline, the sum of the delays never exceeds it.
/// let total: Duration = Backoff::google_cloud().seed(7).seeded_schedule().sum();
/// assert!(total <= Duration::from_secs(120));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    base: Duration,
    factor: f64,
    cap: Duration,
    max_attempts: Option<u32>,
    deadline: Option<Duration>,
    jitter: Jitter,
    seed: u64,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::new()
    }
}

impl Backoff {
    /// The defaults of the module table: 1 s × 2^(n−1) capped at 20 s, full jitter, 3
    /// attempts, no deadline, seed 0.
    pub const fn new() -> Self {
        Backoff {
            base: Duration::from_secs(1),
            factor: 2.0,
            cap: Duration::from_secs(20),
            max_attempts: Some(3),
            deadline: None,
            jitter: Jitter::Full,
            seed: 0,
        }
    }

    /// AWS SDK `standard` retry mode (section 1.2, botocore): `U(0, min(20 s, 1 s ·
    /// 2^(n−1)))`, 3 attempts. Same as [`Backoff::new`].
    pub const fn aws_standard() -> Self {
        Backoff::new()
    }

    /// google-api-core `Retry` (section 1.6): `U(0, min(60 s, 1 s · 2^(n−1)))`, no
    /// attempt limit, 120 s deadline.
    pub const fn google_cloud() -> Self {
        Backoff::new()
            .cap(Duration::from_secs(60))
            .max_attempts(None)
            .deadline(Some(Duration::from_secs(120)))
    }

    /// gRPC connection backoff (section 1.5): 1 s × 1.6^(n−1) capped at 120 s, ±20%
    /// ([`Jitter::Proportional`], then capped at 120 s), and 5 attempts (the client-side
    /// cap of gRFC A6).
    pub const fn grpc() -> Self {
        Backoff::new()
            .factor(1.6)
            .cap(Duration::from_secs(120))
            .max_attempts(Some(5))
            .jitter(Jitter::Proportional { percent: 20 })
    }

    /// The naive schedule vendors' docs recommend (Clerk-style): 1, 2, 4 s with no
    /// jitter, 4 attempts. Kept for simulations; clients retrying in lockstep is what
    /// jitter exists to prevent.
    pub const fn clerk_naive() -> Self {
        Backoff::new()
            .cap(Duration::from_secs(4))
            .max_attempts(Some(4))
            .jitter(Jitter::None)
    }

    /// Sets the un-jittered delay before retry 1.
    pub const fn base(mut self, base: Duration) -> Self {
        self.base = base;
        self
    }

    /// Sets the growth factor per retry (below 1 or NaN counts as 1).
    pub const fn factor(mut self, factor: f64) -> Self {
        self.factor = factor;
        self
    }

    /// Sets the largest delay.
    pub const fn cap(mut self, cap: Duration) -> Self {
        self.cap = cap;
        self
    }

    /// Sets the total number of attempts including the first (`Some(1)` and `Some(0)`
    /// mean no retry); `None` for no limit.
    pub const fn max_attempts(mut self, max_attempts: Option<u32>) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Sets the budget for the sum of all delays; `None` for no budget.
    pub const fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// Sets the jitter.
    pub const fn jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// Sets the seed used by [`Backoff::seeded_schedule`].
    pub const fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The un-jittered delay before retry 1.
    pub const fn base_delay(&self) -> Duration {
        self.base
    }

    /// The growth factor as configured (before clamping to at least 1).
    pub const fn growth_factor(&self) -> f64 {
        self.factor
    }

    /// The largest delay.
    pub const fn max_delay(&self) -> Duration {
        self.cap
    }

    /// Total attempts including the first, if limited.
    pub const fn attempt_limit(&self) -> Option<u32> {
        self.max_attempts
    }

    /// The budget for the sum of delays, if any.
    pub const fn delay_budget(&self) -> Option<Duration> {
        self.deadline
    }

    /// The configured jitter.
    pub const fn jitter_kind(&self) -> Jitter {
        self.jitter
    }

    /// The configured seed.
    pub const fn seed_value(&self) -> u64 {
        self.seed
    }

    /// The number of retries (delays) allowed by `max_attempts`, if limited.
    pub const fn max_retries(&self) -> Option<u32> {
        match self.max_attempts {
            Some(attempts) => Some(attempts.saturating_sub(1)),
            None => None,
        }
    }

    /// The delay before retry `attempt` (1-based; 0 counts as 1): the un-jittered
    /// `min(cap, base · factor^(attempt−1))` spread by the jitter with sample `u01` in
    /// `[0, 1)`. `prev` is the previous delay (only [`Jitter::Decorrelated`] uses it;
    /// pass `base` before the first retry). Ignores `max_attempts` and `deadline`,
    /// which belong to the [`Schedule`]. Never exceeds `cap`.
    pub fn delay_for(&self, attempt: u32, prev: Duration, u01: f64) -> Duration {
        let exponent = attempt.saturating_sub(1);
        let d = grow(self.base, self.factor, exponent, self.cap);
        self.jitter.apply(d, self.base, self.cap, prev, u01)
    }

    /// The schedule of delays, drawing jitter from `rng` (pass `&mut rng` to keep the
    /// generator).
    pub fn schedule<R: RandomSource>(&self, rng: R) -> Schedule<R> {
        Schedule::new(*self, rng)
    }

    /// The schedule of delays, drawing jitter from a [`SplitMix64`] seeded with
    /// [`Backoff::seed`]: the same seed always yields the same delays.
    pub fn seeded_schedule(&self) -> Schedule<SplitMix64> {
        Schedule::new(*self, SplitMix64::new(self.seed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;
    const MS: fn(u64) -> Duration = Duration::from_millis;
    const TOP: f64 = 1.0 - 1.0 / 9_007_199_254_740_992.0;

    #[test]
    fn defaults_match_the_table() {
        let b = Backoff::default();
        assert_eq!(b.base_delay(), S(1));
        assert_eq!(b.growth_factor(), 2.0);
        assert_eq!(b.max_delay(), S(20));
        assert_eq!(b.attempt_limit(), Some(3));
        assert_eq!(b.max_retries(), Some(2));
        assert_eq!(b.delay_budget(), None);
        assert_eq!(b.jitter_kind(), Jitter::Full);
        assert_eq!(b.seed_value(), 0);
        assert_eq!(b, Backoff::aws_standard());
    }

    #[test]
    fn presets_match_their_sources() {
        let grpc_jitter = Jitter::Proportional { percent: 20 };
        // preset, base, factor, cap, attempts, deadline, jitter
        #[rustfmt::skip]
        let rows = [
            (Backoff::aws_standard(), S(1), 2.0, S(20),  Some(3), None,         Jitter::Full),
            (Backoff::google_cloud(), S(1), 2.0, S(60),  None,    Some(S(120)), Jitter::Full),
            (Backoff::grpc(),         S(1), 1.6, S(120), Some(5), None,         grpc_jitter),
            (Backoff::clerk_naive(),  S(1), 2.0, S(4),   Some(4), None,         Jitter::None),
        ];
        for (b, base, factor, cap, attempts, deadline, jitter) in rows {
            assert_eq!(b.base_delay(), base);
            assert_eq!(b.growth_factor(), factor);
            assert_eq!(b.max_delay(), cap);
            assert_eq!(b.attempt_limit(), attempts);
            assert_eq!(b.delay_budget(), deadline);
            assert_eq!(b.jitter_kind(), jitter);
        }
    }

    #[test]
    fn exponential_without_jitter_is_min_cap_base_factor_pow() {
        let b = Backoff::new().jitter(Jitter::None);
        let rows = [
            (0, S(1)),
            (1, S(1)),
            (2, S(2)),
            (3, S(4)),
            (5, S(16)),
            (6, S(20)),
            (64, S(20)),
        ];
        for (attempt, want) in rows {
            assert_eq!(b.delay_for(attempt, S(1), 0.5), want, "attempt {attempt}");
        }
    }

    #[test]
    fn full_jitter_bounds_are_zero_and_d() {
        let b = Backoff::new();
        for attempt in 1..=8 {
            let d = Backoff::new()
                .jitter(Jitter::None)
                .delay_for(attempt, S(1), 0.0);
            assert_eq!(b.delay_for(attempt, S(1), 0.0), Duration::ZERO);
            let top = b.delay_for(attempt, S(1), TOP);
            assert!(
                top <= d && d.saturating_sub(top) < MS(1),
                "attempt {attempt}"
            );
        }
    }

    #[test]
    fn grpc_sequence_is_1_1_6_2_56_with_20_percent() {
        let mid = Backoff::grpc();
        let want = [
            S(1),
            MS(1600),
            MS(2560),
            MS(4096),
            Duration::from_micros(6_553_600),
        ];
        for (attempt, w) in (1..).zip(want) {
            assert_eq!(mid.delay_for(attempt, S(1), 0.5), w);
            assert_eq!(mid.delay_for(attempt, S(1), 0.0), w - w / 5);
            assert_eq!(mid.delay_for(attempt, S(1), 1.0), w + w / 5);
        }
    }

    #[test]
    fn clerk_naive_is_1_2_4_seconds() {
        let delays: [Option<Duration>; 4] = {
            let mut s = Backoff::clerk_naive().seeded_schedule();
            [s.next(), s.next(), s.next(), s.next()]
        };
        assert_eq!(delays, [Some(S(1)), Some(S(2)), Some(S(4)), None]);
    }

    #[test]
    fn attempt_u32_max_saturates_at_cap() {
        let plain = Backoff::new().jitter(Jitter::None);
        // backoff, delay_for(u32::MAX)
        #[rustfmt::skip]
        let rows = [
            (plain,                                            S(20)),
            (Backoff::grpc().jitter(Jitter::None),             S(120)),
            (plain.cap(Duration::MAX),                         Duration::MAX),
            (plain.base(Duration::MAX),                        S(20)),
            (plain.factor(f64::INFINITY),                      S(20)),
        ];
        for (b, want) in rows {
            assert_eq!(b.delay_for(u32::MAX, b.base_delay(), 0.5), want, "{b:?}");
        }
        let all = [
            Jitter::Full,
            Jitter::Equal,
            Jitter::Decorrelated,
            Jitter::Additive { max: Duration::MAX },
            Jitter::Proportional { percent: 20 },
        ];
        for jitter in all {
            let b = Backoff::new().jitter(jitter);
            assert!(
                b.delay_for(u32::MAX, Duration::MAX, TOP) <= S(20),
                "{jitter:?}"
            );
        }
    }

    #[test]
    fn factor_below_one_is_constant() {
        let b = Backoff::new().factor(0.5).jitter(Jitter::None);
        assert_eq!(b.delay_for(10, S(1), 0.0), S(1));
    }

    #[test]
    fn max_retries_is_attempts_minus_one() {
        let rows = [
            (Some(0), Some(0)),
            (Some(1), Some(0)),
            (Some(3), Some(2)),
            (None, None),
        ];
        for (attempts, retries) in rows {
            assert_eq!(Backoff::new().max_attempts(attempts).max_retries(), retries);
        }
    }
}
