//! [`UnixTime`]: a wall-clock instant with millisecond precision.

use core::time::Duration;

/// A wall-clock instant: milliseconds since 1970-01-01T00:00:00Z (negative before it).
///
/// Millisecond precision covers every format servers send (Discord's `1470173023.123`,
/// RFC 3339 fractions are truncated to milliseconds). The range is about +-292 million
/// years; every operation saturates instead of overflowing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UnixTime {
    millis: i64,
}

impl UnixTime {
    /// 1970-01-01T00:00:00Z.
    pub const EPOCH: UnixTime = UnixTime { millis: 0 };

    /// The instant `secs` whole seconds after the epoch (saturating).
    pub const fn from_secs(secs: i64) -> Self {
        UnixTime {
            millis: secs.saturating_mul(1000),
        }
    }

    /// The instant `millis` milliseconds after the epoch.
    pub const fn from_millis(millis: i64) -> Self {
        UnixTime { millis }
    }

    /// The instant `secs` seconds and `nanos` nanoseconds after the epoch; the
    /// nanoseconds are truncated to milliseconds (saturating).
    pub const fn from_secs_nanos(secs: i64, nanos: u32) -> Self {
        let frac = (nanos / 1_000_000) as i64;
        UnixTime {
            millis: secs.saturating_mul(1000).saturating_add(frac),
        }
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> i64 {
        self.millis
    }

    /// Whole seconds since the epoch, rounded towards minus infinity.
    pub const fn as_secs(self) -> i64 {
        self.millis.div_euclid(1000)
    }

    /// `self + d`, saturating at the end of the range.
    pub fn saturating_add(self, d: Duration) -> Self {
        let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        UnixTime {
            millis: self.millis.saturating_add(ms),
        }
    }

    /// `self - d`, saturating at the start of the range.
    pub fn saturating_sub(self, d: Duration) -> Self {
        let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        UnixTime {
            millis: self.millis.saturating_sub(ms),
        }
    }

    /// How long after `earlier` this instant is; zero when it is not after it.
    pub fn saturating_duration_since(self, earlier: UnixTime) -> Duration {
        let diff = i128::from(self.millis).saturating_sub(i128::from(earlier.millis));
        if diff <= 0 {
            Duration::ZERO
        } else {
            Duration::from_millis(u64::try_from(diff).unwrap_or(u64::MAX))
        }
    }

    /// The signed distance `self - other` in milliseconds (saturating).
    pub fn millis_since(self, other: UnixTime) -> i64 {
        self.millis.saturating_sub(other.millis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_is_zero_for_the_past() {
        let a = UnixTime::from_secs(10);
        let b = UnixTime::from_secs(20);
        assert_eq!(a.saturating_duration_since(b), Duration::ZERO);
        assert_eq!(b.saturating_duration_since(a), Duration::from_secs(10));
    }

    #[test]
    fn arithmetic_saturates() {
        let t = UnixTime::from_secs(i64::MAX);
        assert_eq!(t.as_millis(), i64::MAX);
        assert_eq!(
            UnixTime::from_millis(i64::MAX).saturating_add(Duration::MAX),
            UnixTime::from_millis(i64::MAX)
        );
        assert_eq!(
            UnixTime::from_millis(i64::MIN)
                .saturating_duration_since(UnixTime::from_millis(i64::MAX)),
            Duration::ZERO
        );
        assert_eq!(UnixTime::from_millis(-1).as_secs(), -1);
    }
}
