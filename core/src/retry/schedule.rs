//! [`Schedule`]: a [`Backoff`] unrolled into an `Iterator<Item = Duration>` of sleeps,
//! one per retry, ending at `max_attempts` or when the delay budget (`deadline`) is
//! spent (`../shared/spec/governor.md` sections 0.1 and 1.6). Sleeping is the
//! caller's business: the same schedule serves async runtimes, threads and timers.

use core::iter::FusedIterator;
use core::time::Duration;

use super::Backoff;
use super::random::RandomSource;

/// The sleeps before retry 1, 2, ... of a [`Backoff`], with jitter drawn from `R`.
///
/// Ends when `max_attempts − 1` delays have been yielded, when the sum of yielded
/// delays reaches the deadline (the last delay is shortened so that the sum equals the
/// deadline: never overslept), or after `u32::MAX` retries at the latest. With neither
/// limit (or with only a deadline and delays of zero) it is practically endless. One
/// sample is drawn from `R` per delay, whatever the jitter.
#[derive(Clone, Debug)]
pub struct Schedule<R: RandomSource> {
    backoff: Backoff,
    rng: R,
    attempt: u32,
    step: u32,
    prev: Duration,
    elapsed: Duration,
    done: bool,
}

impl<R: RandomSource> Schedule<R> {
    /// A schedule that has yielded nothing yet.
    pub fn new(backoff: Backoff, rng: R) -> Self {
        Schedule {
            backoff,
            rng,
            attempt: 0,
            step: 0,
            prev: backoff.base_delay(),
            elapsed: Duration::ZERO,
            done: false,
        }
    }

    /// How many delays have been yielded (the number of the last retry).
    pub const fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The sum of the delays yielded so far.
    pub const fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// What is left of the deadline, if there is one.
    pub fn remaining_budget(&self) -> Option<Duration> {
        self.backoff
            .delay_budget()
            .map(|d| d.saturating_sub(self.elapsed))
    }

    /// Restarts the exponential growth at retry 1 (gRFC A6: after a retry driven by
    /// server pushback the backoff resets to its initial value) without refunding the
    /// attempts or the delay budget already used.
    pub fn restart_growth(&mut self) {
        self.prev = self.backoff.base_delay();
        self.step = 0;
    }

    /// The random source, e.g. to reuse it after the schedule ends.
    pub fn into_rng(self) -> R {
        self.rng
    }
}

impl<R: RandomSource> Iterator for Schedule<R> {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        if self.done {
            return None;
        }
        let Some(attempt) = self.attempt.checked_add(1) else {
            self.done = true;
            return None;
        };
        if self.backoff.max_retries().is_some_and(|max| attempt > max) {
            self.done = true;
            return None;
        }
        let remaining = self.remaining_budget();
        if remaining == Some(Duration::ZERO) {
            self.done = true;
            return None;
        }
        let step = self.step.saturating_add(1);
        let u01 = self.rng.next_unit();
        let delay = self.backoff.delay_for(step, self.prev, u01);
        self.prev = delay;
        self.attempt = attempt;
        self.step = step;
        let delay = match remaining {
            Some(left) if delay >= left => {
                self.done = true;
                left
            }
            _ => delay,
        };
        self.elapsed = self.elapsed.saturating_add(delay);
        Some(delay)
    }
}

impl<R: RandomSource> FusedIterator for Schedule<R> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retry::{Jitter, SplitMix64};

    const S: fn(u64) -> Duration = Duration::from_secs;
    const MS: fn(u64) -> Duration = Duration::from_millis;

    /// A source that always returns the same sample.
    struct Fixed(u64);

    impl RandomSource for Fixed {
        fn next_u64(&mut self) -> u64 {
            self.0
        }
    }

    fn take20<R: RandomSource>(s: Schedule<R>) -> [Duration; 20] {
        let mut out = [Duration::ZERO; 20];
        for (slot, d) in out.iter_mut().zip(s) {
            *slot = d;
        }
        out
    }

    #[test]
    fn max_attempts_counts_the_first_attempt() {
        // attempts, delays yielded
        let rows = [
            (Some(0), 0),
            (Some(1), 0),
            (Some(3), 2),
            (Some(5), 4),
            (Some(40), 39),
        ];
        for (attempts, want) in rows {
            let b = Backoff::new().max_attempts(attempts);
            assert_eq!(b.seeded_schedule().count(), want, "{attempts:?}");
        }
    }

    #[test]
    fn same_seed_same_schedule() {
        let b = Backoff::new().max_attempts(None).seed(99);
        assert_eq!(take20(b.seeded_schedule()), take20(b.seeded_schedule()));
        assert_eq!(
            take20(b.schedule(SplitMix64::new(99))),
            take20(b.seeded_schedule())
        );
        for jitter in [
            Jitter::Decorrelated,
            Jitter::Equal,
            Jitter::Proportional { percent: 20 },
        ] {
            let b = b.jitter(jitter);
            assert_eq!(take20(b.seeded_schedule()), take20(b.seeded_schedule()));
        }
    }

    #[test]
    fn jitter_varies_between_draws() {
        // Past retry 5 every un-jittered delay is the 20 s cap, so differences are jitter.
        let b = Backoff::new().max_attempts(None).seed(3);
        let delays = take20(b.seeded_schedule());
        let capped = delays.get(5..).unwrap();
        assert!(capped.iter().any(|d| d != capped.first().unwrap()));
        let other = take20(b.seed(4).seeded_schedule());
        assert_ne!(delays, other, "different seeds give different schedules");
    }

    #[test]
    fn deadline_is_never_overslept() {
        let rows = [
            // deadline, jitter, sample bits
            (S(10), Jitter::None, 0),
            (S(7), Jitter::None, 0),
            (MS(2500), Jitter::Full, u64::MAX),
            (S(120), Jitter::Full, 1 << 63),
            (S(5), Jitter::Decorrelated, u64::MAX),
        ];
        for (deadline, jitter, bits) in rows {
            let b = Backoff::new()
                .max_attempts(None)
                .deadline(Some(deadline))
                .jitter(jitter);
            let mut schedule = b.schedule(Fixed(bits));
            let mut sum = Duration::ZERO;
            let mut last = Duration::ZERO;
            for d in schedule.by_ref() {
                sum += d;
                last = d;
            }
            assert_eq!(sum, deadline, "{jitter:?} deadline {deadline:?}");
            assert_eq!(schedule.elapsed(), deadline);
            assert_eq!(schedule.remaining_budget(), Some(Duration::ZERO));
            assert!(last <= S(20));
        }
    }

    #[test]
    fn last_delay_is_shortened_to_the_deadline() {
        // 1 + 2 + 4 = 7, then 8 would oversleep a 10 s budget: shortened to 3.
        let b = Backoff::new()
            .max_attempts(None)
            .deadline(Some(S(10)))
            .jitter(Jitter::None);
        let mut s = b.seeded_schedule();
        let got = [s.next(), s.next(), s.next(), s.next(), s.next()];
        assert_eq!(got, [Some(S(1)), Some(S(2)), Some(S(4)), Some(S(3)), None]);
    }

    #[test]
    fn zero_deadline_yields_nothing() {
        let b = Backoff::new().deadline(Some(Duration::ZERO));
        assert_eq!(b.seeded_schedule().next(), None);
    }

    #[test]
    fn cap_is_respected_forever() {
        let b = Backoff::new()
            .max_attempts(None)
            .jitter(Jitter::Additive { max: S(5) });
        assert!(b.schedule(Fixed(u64::MAX)).take(200).all(|d| d <= S(20)));
    }

    #[test]
    fn attempt_counter_saturates_and_ends() {
        let b = Backoff::new().max_attempts(None).jitter(Jitter::None);
        let mut s = b.seeded_schedule();
        s.attempt = u32::MAX - 1;
        s.step = u32::MAX - 1;
        assert_eq!(s.next(), Some(S(20)));
        assert_eq!(s.attempt(), u32::MAX);
        assert_eq!(s.next(), None);
        assert_eq!(s.next(), None);
    }

    #[test]
    fn restart_growth_returns_to_base() {
        let b = Backoff::new().max_attempts(None).jitter(Jitter::None);
        let mut s = b.seeded_schedule();
        assert_eq!((s.next(), s.next()), (Some(S(1)), Some(S(2))));
        s.restart_growth();
        assert_eq!(s.next(), Some(S(1)));
        assert_eq!(s.elapsed(), S(4));
        assert_eq!(s.attempt(), 3, "attempts are not refunded");
        let limited = Backoff::new().jitter(Jitter::None);
        let mut s = limited.seeded_schedule();
        assert_eq!(s.next(), Some(S(1)));
        s.restart_growth();
        assert_eq!((s.next(), s.next()), (Some(S(1)), None));
    }
}
