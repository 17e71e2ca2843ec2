//! Saturating `Duration` arithmetic shared by the retry module: scaling a delay by a
//! random fraction and growing it geometrically without overflow
//! (`../shared/spec/governor.md` sections 1.1 and 1.5).
//!
//! Durations are handled as nanoseconds in `f64` (53 bits of precision: exact up to
//! about 104 days, then relative error below 2^-53, far below any timer's resolution)
//! and converted back with round-to-nearest, so `1 s × 1.6²` is exactly 2.56 s.
//! Nothing here panics: NaN, infinities and overflow saturate.

use core::time::Duration;

/// Nanoseconds per second.
const NANOS_PER_SEC: u128 = 1_000_000_000;

/// `d` in nanoseconds, as `f64`.
pub(crate) fn nanos_f64(d: Duration) -> f64 {
    d.as_nanos() as f64
}

/// Nanoseconds (rounded to nearest) to a `Duration`; NaN and negatives become zero,
/// anything past [`Duration::MAX`] saturates.
pub(crate) fn from_nanos_f64(nanos: f64) -> Duration {
    if nanos.is_nan() || nanos <= 0.0 {
        return Duration::ZERO;
    }
    // `as` from f64 saturates at u128::MAX (and maps infinity there too).
    from_nanos_u128((nanos + 0.5) as u128)
}

/// Nanoseconds to a `Duration`, saturating at [`Duration::MAX`].
pub(crate) fn from_nanos_u128(nanos: u128) -> Duration {
    let secs = nanos.checked_div(NANOS_PER_SEC).unwrap_or(0);
    let sub = nanos.checked_rem(NANOS_PER_SEC).unwrap_or(0);
    match (u64::try_from(secs), u32::try_from(sub)) {
        (Ok(secs), Ok(sub)) => Duration::new(secs, sub),
        _ => Duration::MAX,
    }
}

/// `u` clamped to `[0, 1]`; NaN becomes 0.
pub(crate) fn unit(u: f64) -> f64 {
    if u.is_nan() || u <= 0.0 {
        0.0
    } else if u >= 1.0 {
        1.0
    } else {
        u
    }
}

/// `U(0, d)` for a sample `u` in `[0, 1)`: `d × u`, never above `d`.
pub(crate) fn fraction(d: Duration, u: f64) -> Duration {
    from_nanos_f64(nanos_f64(d) * unit(u)).min(d)
}

/// `d × percent / 100` (percent clamped to 100), never above `d`.
pub(crate) fn percent_of(d: Duration, percent: u32) -> Duration {
    let p = percent.min(100);
    let scaled = d
        .as_nanos()
        .checked_mul(u128::from(p))
        .and_then(|n| n.checked_div(100))
        .unwrap_or(0);
    from_nanos_u128(scaled).min(d)
}

/// `U(low, high)`: `low + (high − low) × u`; `high` below `low` counts as `low`.
pub(crate) fn between(low: Duration, high: Duration, u: f64) -> Duration {
    let span = high.saturating_sub(low);
    low.saturating_add(fraction(span, u))
}

/// `min(cap, base × factor^exponent)` without overflow.
///
/// `factor` below 1 or NaN counts as 1 (constant delay). Computed by exponentiation
/// by squaring that stops as soon as the running product reaches `cap`, so an
/// exponent of `u32::MAX` costs at most 32 steps.
pub(crate) fn grow(base: Duration, factor: f64, exponent: u32, cap: Duration) -> Duration {
    let factor = if factor.is_nan() || factor < 1.0 {
        1.0
    } else {
        factor
    };
    let cap_nanos = nanos_f64(cap);
    let mut acc = nanos_f64(base);
    if acc >= cap_nanos {
        return cap;
    }
    if acc <= 0.0 {
        return Duration::ZERO;
    }
    let mut square = factor;
    let mut rest = exponent;
    while rest > 0 {
        if rest % 2 == 1 {
            acc *= square;
            if acc >= cap_nanos {
                return cap;
            }
        }
        rest /= 2;
        if rest > 0 {
            square *= square;
        }
    }
    from_nanos_f64(acc).min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;
    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[test]
    fn grow_matches_published_sequences() {
        let rows: &[(Duration, f64, u32, Duration, Duration)] = &[
            // base, factor, exponent, cap, expected
            (S(1), 2.0, 0, S(20), S(1)),
            (S(1), 2.0, 1, S(20), S(2)),
            (S(1), 2.0, 4, S(20), S(16)),
            (S(1), 2.0, 5, S(20), S(20)),
            (MS(50), 2.0, 1, S(20), MS(100)),
            (S(1), 1.6, 1, S(120), MS(1600)),
            (S(1), 1.6, 2, S(120), MS(2560)),
            (S(1), 1.6, 3, S(120), MS(4096)),
            (S(5), 1.5, 2, S(60), MS(11_250)),
            (S(1), 0.5, 7, S(20), S(1)),
            (S(1), f64::NAN, 7, S(20), S(1)),
            (S(1), f64::INFINITY, 1, S(20), S(20)),
            (Duration::ZERO, 2.0, 9, S(20), Duration::ZERO),
        ];
        for &(base, factor, exp, cap, want) in rows {
            assert_eq!(
                grow(base, factor, exp, cap),
                want,
                "{base:?}×{factor}^{exp}"
            );
        }
    }

    #[test]
    fn grow_saturates_at_huge_exponents() {
        assert_eq!(grow(S(1), 2.0, u32::MAX, S(20)), S(20));
        assert_eq!(grow(S(1), 2.0, u32::MAX, Duration::MAX), Duration::MAX);
        assert_eq!(
            grow(Duration::from_nanos(1), 1.000_001, u32::MAX, Duration::MAX),
            Duration::MAX
        );
    }

    #[test]
    fn fraction_bounds() {
        assert_eq!(fraction(S(10), 0.0), Duration::ZERO);
        assert_eq!(fraction(S(10), 0.5), S(5));
        assert_eq!(fraction(S(10), 1.0), S(10));
        assert_eq!(fraction(S(10), f64::NAN), Duration::ZERO);
        assert_eq!(fraction(Duration::MAX, 1.0), Duration::MAX);
        assert!(fraction(S(10), 1.0 - f64::EPSILON) <= S(10));
    }

    #[test]
    fn nanos_round_trip_saturates() {
        assert_eq!(from_nanos_f64(f64::INFINITY), Duration::MAX);
        assert_eq!(from_nanos_f64(-1.0), Duration::ZERO);
        assert_eq!(from_nanos_u128(u128::MAX), Duration::MAX);
        assert_eq!(from_nanos_u128(1_500_000_000), MS(1500));
    }

    #[test]
    fn percent_of_clamps() {
        assert_eq!(percent_of(S(10), 10), S(1));
        assert_eq!(percent_of(S(10), 250), S(10));
        assert_eq!(percent_of(Duration::MAX, 100), Duration::MAX);
    }
}
