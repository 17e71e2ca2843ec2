//! [`MonoTime`]: an instant on the caller's monotonic clock.

use core::time::Duration;

/// An instant on the caller's monotonic clock, as the time since an origin the caller
/// chooses (process start, a test's virtual zero). The governor never reads a clock:
/// every instant is passed in. Arithmetic saturates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct MonoTime(Duration);

impl MonoTime {
    /// The origin.
    pub const ZERO: MonoTime = MonoTime(Duration::ZERO);

    /// The instant `since_origin` after the origin.
    pub const fn from_duration(since_origin: Duration) -> Self {
        MonoTime(since_origin)
    }

    /// The instant `secs` seconds after the origin.
    pub const fn from_secs(secs: u64) -> Self {
        MonoTime(Duration::from_secs(secs))
    }

    /// The instant `millis` milliseconds after the origin.
    pub const fn from_millis(millis: u64) -> Self {
        MonoTime(Duration::from_millis(millis))
    }

    /// The time since the origin.
    pub const fn since_origin(self) -> Duration {
        self.0
    }

    /// `self + d`, saturating.
    pub const fn saturating_add(self, d: Duration) -> Self {
        MonoTime(self.0.saturating_add(d))
    }

    /// `self - d`, saturating at the origin.
    pub const fn saturating_sub(self, d: Duration) -> Self {
        MonoTime(self.0.saturating_sub(d))
    }

    /// How long after `earlier` this is; zero if it is not after it.
    pub const fn saturating_since(self, earlier: MonoTime) -> Duration {
        self.0.saturating_sub(earlier.0)
    }
}
