//! A clock for tests: time moves only when told to, and sleeping moves it at once.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use ratelimit_governor::{MonoTime, UnixTime};

use crate::clock::{AsyncSleep, Clock, Sleeping};

/// A manual clock shared by its clones. Sleeping on it (blocking or async) does not
/// wait: it advances the shared time by the duration and returns, so a test of a
/// 60-second job finishes in microseconds and every wait the governor asked for is
/// recorded in [`FakeClock::slept`].
///
/// ```
/// use std::time::Duration;
/// use ratelimit_governor_std::{Clock, FakeClock};
///
/// let clock = FakeClock::at_unix_secs(1_700_000_000);
/// clock.sleep_blocking(Duration::from_secs(2));
/// assert_eq!(clock.now().since_origin(), Duration::from_secs(2));
/// assert_eq!(clock.wall().as_secs(), 1_700_000_002);
/// assert_eq!(clock.slept(), vec![Duration::from_secs(2)]);
/// ```
#[derive(Clone, Debug)]
pub struct FakeClock {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    /// Nanoseconds since the origin.
    elapsed: AtomicU64,
    /// Unix time of the origin.
    origin_wall: UnixTime,
    /// Every sleep asked for, in order.
    slept: Mutex<Vec<Duration>>,
}

impl FakeClock {
    /// A clock whose origin is the Unix time `secs`.
    pub fn at_unix_secs(secs: i64) -> Self {
        FakeClock {
            shared: Arc::new(Shared {
                elapsed: AtomicU64::new(0),
                origin_wall: UnixTime::from_secs(secs),
                slept: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Moves time forward by `by` (saturating after 584 years).
    pub fn advance(&self, by: Duration) {
        let nanos = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
        // fetch_update never fails with a closure that always returns Some.
        let _ = self
            .shared
            .elapsed
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |now| {
                Some(now.saturating_add(nanos))
            });
    }

    /// Every sleep asked of this clock (and its clones), in order.
    pub fn slept(&self) -> Vec<Duration> {
        self.shared
            .slept
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn record_sleep(&self, duration: Duration) {
        self.shared
            .slept
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(duration);
        self.advance(duration);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> MonoTime {
        MonoTime::from_duration(Duration::from_nanos(
            self.shared.elapsed.load(Ordering::SeqCst),
        ))
    }

    fn wall(&self) -> UnixTime {
        self.shared
            .origin_wall
            .saturating_add(self.now().since_origin())
    }

    fn sleep_blocking(&self, duration: Duration) {
        self.record_sleep(duration);
    }
}

impl AsyncSleep for FakeClock {
    fn sleep(&self, duration: Duration) -> Sleeping {
        self.record_sleep(duration);
        Box::pin(std::future::ready(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_time() {
        let a = FakeClock::at_unix_secs(0);
        let b = a.clone();
        a.advance(Duration::from_millis(1500));
        assert_eq!(b.now().since_origin(), Duration::from_millis(1500));
        assert_eq!(b.wall().as_millis(), 1500);
    }

    #[test]
    fn async_sleep_advances_and_records() {
        let clock = FakeClock::at_unix_secs(10);
        let sleeping = clock.sleep(Duration::from_secs(3));
        drop(sleeping);
        assert_eq!(clock.now().since_origin(), Duration::from_secs(3));
        assert_eq!(clock.slept(), vec![Duration::from_secs(3)]);
    }

    #[test]
    fn advancing_saturates() {
        let clock = FakeClock::at_unix_secs(0);
        clock.advance(Duration::MAX);
        clock.advance(Duration::from_secs(1));
        assert_eq!(clock.now().since_origin(), Duration::from_nanos(u64::MAX));
    }
}
