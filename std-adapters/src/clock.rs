//! Time for the governor: a monotonic clock for waits, the wall clock for reading
//! the server's dates, and sleeping, blocking or async.
//!
//! The core crate never reads a clock; everything here exists to feed it. Every
//! adapter is generic over [`Clock`], so tests run against [`FakeClock`](crate::FakeClock)
//! and never sleep for real.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ratelimit_governor::{MonoTime, UnixTime};

/// A future that completes when a sleep is over.
pub type Sleeping = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// A source of time and a way to wait.
///
/// `now` is monotonic (it never goes back; the governor measures waits and resets
/// with it); `wall` is the calendar time used to resolve the server's `Date`-relative
/// values. `Clone` is expected to be cheap: every shared governor holds one.
pub trait Clock: Clone + Debug + Send + Sync + 'static {
    /// Monotonic time since this clock's origin.
    fn now(&self) -> MonoTime;
    /// The wall-clock time (Unix epoch).
    fn wall(&self) -> UnixTime;
    /// Blocks the calling thread for `duration`.
    fn sleep_blocking(&self, duration: Duration);
}

/// Async sleeping for a [`Clock`]: the async adapters (reqwest, tower) need it.
pub trait AsyncSleep: Clock {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> Sleeping;
}

/// The operating system's clocks: [`Instant`] for `now`, [`SystemTime`] for `wall`,
/// [`std::thread::sleep`] for blocking and tokio's timer for async sleeps (feature
/// `tokio`).
#[derive(Clone, Copy, Debug)]
pub struct SystemClock {
    origin: Instant,
}

impl SystemClock {
    /// A clock whose monotonic origin is the moment of the call.
    pub fn new() -> Self {
        SystemClock {
            origin: Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> MonoTime {
        MonoTime::from_duration(self.origin.elapsed())
    }

    fn wall(&self) -> UnixTime {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(since) => UnixTime::from_secs_nanos(
                i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
                since.subsec_nanos(),
            ),
            // A clock set before 1970: report the epoch itself rather than fail.
            Err(_) => UnixTime::from_secs(0),
        }
    }

    fn sleep_blocking(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

#[cfg(feature = "tokio")]
impl AsyncSleep for SystemClock {
    fn sleep(&self, duration: Duration) -> Sleeping {
        Box::pin(tokio::time::sleep(duration))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monotonic_time_moves_forward_with_a_sleep() {
        let clock = SystemClock::new();
        let before = clock.now();
        clock.sleep_blocking(Duration::from_millis(5));
        assert!(clock.now().saturating_since(before) >= Duration::from_millis(5));
    }

    #[test]
    fn wall_time_is_after_2020() {
        assert!(SystemClock::new().wall().as_secs() > 1_577_836_800);
    }
}
