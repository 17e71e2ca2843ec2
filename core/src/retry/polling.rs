//! [`Polling`]: how often to ask an asynchronous export or job API "is it ready
//! yet?", and when to stop asking (`../shared/spec/governor.md` section 0.1: the
//! server's word first, then capped growth).
//!
//! Defaults are in the table on [`Polling`]: waits grow 5, 7.5, 11.25, 16.875, 25.3,
//! 38.0, 57.0 s, then stay at 60 s, without jitter (a poll is one client's own loop,
//! not a crowd). A `Retry-After` on a not-ready answer is waited exactly, and does
//! not advance the growth.

use core::fmt;
use core::time::Duration;

use super::scale::grow;

/// A polling configuration, built with `const` setters.
///
/// Defaults ([`Polling::new`]):
///
/// | setter | default | meaning |
/// |---|---|---|
/// | [`initial`](Polling::initial) | 5 s | wait before the second poll |
/// | [`factor`](Polling::factor) | 1.5 | growth per poll (below 1 counts as 1) |
/// | [`cap`](Polling::cap) | 60 s | the longest wait |
/// | [`max_attempts`](Polling::max_attempts) | 30 | polls before giving up (about 26 minutes of waiting) |
///
/// ```
/// use core::time::Duration;
/// use ratelimit_governor::retry::Polling;
///
/// let mut polls = Polling::new().max_attempts(3).schedule();
/// assert_eq!(polls.next_delay(None), Ok(Duration::from_secs(5)));
/// assert_eq!(polls.next_delay(Some(Duration::from_secs(2))), Ok(Duration::from_secs(2)));
/// let timeout = polls.next_delay(None).unwrap_err();
/// assert_eq!(timeout.to_string(), "export not ready after 3 polls (7 s)");
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Polling {
    initial: Duration,
    factor: f64,
    cap: Duration,
    max_attempts: u32,
}

impl Default for Polling {
    fn default() -> Self {
        Polling::new()
    }
}

impl Polling {
    /// 5 s × 1.5^k capped at 60 s, 30 polls.
    pub const fn new() -> Self {
        Polling {
            initial: Duration::from_secs(5),
            factor: 1.5,
            cap: Duration::from_secs(60),
            max_attempts: 30,
        }
    }

    /// Sets the first wait.
    pub const fn initial(mut self, initial: Duration) -> Self {
        self.initial = initial;
        self
    }

    /// Sets the growth factor.
    pub const fn factor(mut self, factor: f64) -> Self {
        self.factor = factor;
        self
    }

    /// Sets the longest wait.
    pub const fn cap(mut self, cap: Duration) -> Self {
        self.cap = cap;
        self
    }

    /// Sets how many not-ready answers end the polling (0 and 1 both mean: give up
    /// after the first).
    pub const fn max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// The configured maximum number of polls.
    pub const fn attempt_limit(&self) -> u32 {
        self.max_attempts
    }

    /// A fresh schedule, before the first poll's answer.
    pub const fn schedule(&self) -> PollSchedule {
        PollSchedule {
            polling: *self,
            polls: 0,
            step: 0,
            waited: Duration::ZERO,
        }
    }
}

/// The state of one polling loop: call [`PollSchedule::next_delay`] after every
/// not-ready answer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PollSchedule {
    polling: Polling,
    polls: u32,
    step: u32,
    waited: Duration,
}

impl PollSchedule {
    /// Records one not-ready answer (carrying the server's `retry_after`, if any) and
    /// returns how long to wait before the next poll, or [`PollTimeout`] once
    /// `max_attempts` polls have come back not ready.
    pub fn next_delay(&mut self, retry_after: Option<Duration>) -> Result<Duration, PollTimeout> {
        self.polls = self.polls.saturating_add(1);
        if self.polls >= self.polling.max_attempts {
            return Err(PollTimeout {
                attempts: self.polls,
                waited: self.waited,
            });
        }
        let delay = match retry_after {
            Some(exact) => exact,
            None => {
                let d = grow(
                    self.polling.initial,
                    self.polling.factor,
                    self.step,
                    self.polling.cap,
                );
                self.step = self.step.saturating_add(1);
                d
            }
        };
        self.waited = self.waited.saturating_add(delay);
        Ok(delay)
    }

    /// Polls answered so far.
    pub const fn polls(&self) -> u32 {
        self.polls
    }

    /// The sum of the waits returned so far.
    pub const fn waited(&self) -> Duration {
        self.waited
    }
}

/// The export was still not ready after the configured number of polls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PollTimeout {
    /// How many polls came back not ready.
    pub attempts: u32,
    /// The total time waited between them.
    pub waited: Duration,
}

impl fmt::Display for PollTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "export not ready after {} polls ({} s)",
            self.attempts,
            self.waited.as_secs_f64()
        )
    }
}

impl core::error::Error for PollTimeout {}

#[cfg(test)]
mod tests {
    extern crate std;

    use std::string::ToString;

    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;
    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn grows_by_one_and_a_half_up_to_sixty_seconds() {
        let mut p = Polling::new().schedule();
        let want = [
            MS(5_000),
            MS(7_500),
            MS(11_250),
            MS(16_875),
            Duration::from_micros(25_312_500),
            Duration::from_nanos(37_968_750_000),
            Duration::from_nanos(56_953_125_000),
            S(60),
            S(60),
        ];
        for w in want {
            assert_eq!(p.next_delay(None), Ok(w));
        }
    }

    #[test]
    fn retry_after_is_exact_and_does_not_advance_growth() {
        let mut p = Polling::new().schedule();
        // retry_after, expected
        let rows = [
            (None, MS(5_000)),
            (Some(S(2)), S(2)),
            (Some(S(300)), S(300)),
            (None, MS(7_500)),
            (Some(Duration::ZERO), Duration::ZERO),
            (None, MS(11_250)),
        ];
        for (hint, want) in rows {
            assert_eq!(p.next_delay(hint), Ok(want), "{hint:?}");
        }
        assert_eq!(p.waited(), MS(325_750));
    }

    #[test]
    fn times_out_after_max_attempts() {
        // max_attempts, Ok delays before the error
        let rows = [(0, 0), (1, 0), (2, 1), (4, 3), (30, 29)];
        for (max, oks) in rows {
            let mut p = Polling::new().max_attempts(max).schedule();
            for _ in 0..oks {
                assert!(p.next_delay(None).is_ok());
            }
            let err = p.next_delay(None).unwrap_err();
            assert_eq!(err.attempts, oks + 1, "max {max}");
            assert_eq!(err.waited, p.waited());
            assert!(p.next_delay(None).is_err(), "stays timed out");
        }
    }

    #[test]
    fn timeout_message() {
        let mut p = Polling::new().max_attempts(4).schedule();
        while p.next_delay(None).is_ok() {}
        let err = p.next_delay(None).unwrap_err();
        assert_eq!(err.to_string(), "export not ready after 5 polls (23.75 s)");
        let first = PollTimeout {
            attempts: 4,
            waited: MS(23_750),
        };
        assert_eq!(
            first.to_string(),
            "export not ready after 4 polls (23.75 s)"
        );
    }

    #[test]
    fn saturates_without_panic() {
        let mut p = Polling::new()
            .max_attempts(u32::MAX)
            .cap(Duration::MAX)
            .schedule();
        p.step = u32::MAX;
        p.polls = u32::MAX - 2;
        assert_eq!(p.next_delay(Some(Duration::MAX)), Ok(Duration::MAX));
        assert_eq!(
            p.next_delay(None),
            Err(PollTimeout {
                attempts: u32::MAX,
                waited: Duration::MAX
            })
        );
        assert_eq!(p.next_delay(None).map_err(|e| e.attempts), Err(u32::MAX));
    }

    #[test]
    fn defaults() {
        assert_eq!(Polling::default(), Polling::new());
        assert_eq!(Polling::new().attempt_limit(), 30);
    }
}
