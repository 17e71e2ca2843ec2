//! One window's counter: admits or refuses a unit at an instant, and reads out what a
//! server advertises about it (remaining units, time to reset) and what the oracle
//! needs (the earliest instant a unit is free). One variant per [`WindowKind`].
//!
//! Times are signed microseconds ([`At`]) because usage left by someone else before
//! the run ([`super::window::PriorUsage`]) happens before t = 0. Every public reading
//! is taken after [`WindowCounter::roll`] has brought the counter to that instant.

use std::collections::VecDeque;

use super::clock::Micros;
use super::window::{BucketReset, WindowKind, WindowSpec};

/// Signed virtual time in microseconds (negative: before the run).
pub type At = i64;

/// `a / b` rounded towards +infinity, for any sign of `a` and `b > 0`.
fn ceil_div(a: i128, b: i128) -> i128 {
    if b <= 0 { 0 } else { -((-a).div_euclid(b)) }
}

#[derive(Clone, Debug)]
enum State {
    /// Aligned window number `index` (of the server's wall clock), `count` used.
    Fixed { index: i64, count: u64 },
    /// The window opened at `opened` (none open: `None`), `count` used.
    FirstHit { opened: Option<At>, count: u64 },
    /// The instants of the logged requests, oldest first.
    Sliding { log: VecDeque<At> },
    /// `level` in units where one token is `length` units; accrues `limit` per µs,
    /// last brought up to date at `at`.
    Bucket { level: i128, at: At },
    /// The theoretical arrival time times `limit` (each request advances it by
    /// `length`, that is by one emission interval `length / limit`).
    Gcra { tat: i128 },
}

/// One window's counter.
#[derive(Clone, Debug)]
pub struct WindowCounter {
    spec: WindowSpec,
    /// The server's wall clock at t = 0, past its epoch: aligned fixed windows are
    /// aligned to `t + offset`.
    offset: i64,
    state: State,
}

impl WindowCounter {
    /// A counter for `spec` on a server whose wall clock reads `offset` (past its
    /// epoch) at t = 0, with the spec's prior usage already counted.
    pub fn new(spec: &WindowSpec, offset: Micros) -> Self {
        let before = -i64::try_from(spec.prior.ago).unwrap_or(i64::MAX);
        let state = match spec.kind {
            WindowKind::Fixed => State::Fixed {
                index: i64::MIN,
                count: 0,
            },
            WindowKind::FixedFromFirstHit => State::FirstHit {
                opened: None,
                count: 0,
            },
            WindowKind::Sliding => State::Sliding {
                log: VecDeque::new(),
            },
            WindowKind::TokenBucket(_) => State::Bucket {
                level: i128::from(spec.limit) * i128::from(spec.length),
                at: before,
            },
            WindowKind::Gcra => State::Gcra {
                tat: i128::from(before) * i128::from(spec.limit),
            },
        };
        let mut counter = WindowCounter {
            spec: spec.clone(),
            offset: i64::try_from(offset).unwrap_or(0),
            state,
        };
        counter.roll(before);
        for _ in 0..spec.prior.used.min(spec.limit) {
            counter.take(before);
        }
        counter
    }

    /// The window's description.
    pub fn spec(&self) -> &WindowSpec {
        &self.spec
    }

    fn length(&self) -> i128 {
        i128::from(self.spec.length.max(1))
    }

    fn limit(&self) -> i128 {
        i128::from(self.spec.limit)
    }

    /// Brings the counter to `t` (never backwards).
    pub fn roll(&mut self, t: At) {
        let length = self.length();
        let full = self.limit() * length;
        let rate = self.limit();
        let offset = self.offset;
        match &mut self.state {
            State::Fixed { index, count } => {
                let now = i128::from(t + offset).div_euclid(length);
                let now = i64::try_from(now).unwrap_or(i64::MAX);
                if now > *index {
                    *index = now;
                    *count = 0;
                }
            }
            State::FirstHit { opened, count } => {
                if opened.is_some_and(|o| i128::from(o) + length <= i128::from(t)) {
                    *opened = None;
                    *count = 0;
                }
            }
            State::Sliding { log } => {
                while log
                    .front()
                    .is_some_and(|&e| i128::from(e) + length <= i128::from(t))
                {
                    log.pop_front();
                }
            }
            State::Bucket { level, at } => {
                if t > *at {
                    *level = (*level + i128::from(t - *at) * rate).min(full);
                    *at = t;
                }
            }
            State::Gcra { .. } => {}
        }
    }

    /// Units left at `t`.
    pub fn remaining(&self, t: At) -> u64 {
        let left: i128 = match &self.state {
            State::Fixed { count, .. } | State::FirstHit { count, .. } => {
                self.limit() - i128::from(*count)
            }
            State::Sliding { log } => self.limit() - log.len() as i128,
            State::Bucket { level, .. } => level / self.length(),
            State::Gcra { tat } => {
                let now = i128::from(t) * self.limit();
                (now + self.limit() * self.length() - (*tat).max(now)).div_euclid(self.length())
            }
        };
        u64::try_from(left.max(0)).unwrap_or(u64::MAX)
    }

    /// Uses one unit at `t` (also past the limit, for servers that count rejected
    /// requests).
    pub fn take(&mut self, t: At) {
        let length = self.length();
        let rate = self.limit();
        match &mut self.state {
            State::Fixed { count, .. } => *count += 1,
            State::FirstHit { opened, count } => {
                opened.get_or_insert(t);
                *count += 1;
            }
            State::Sliding { log } => log.push_back(t),
            State::Bucket { level, .. } => *level = (*level - length).max(0),
            State::Gcra { tat } => *tat = (*tat).max(i128::from(t) * rate) + length,
        }
    }

    /// The earliest instant at or after `t` with a free unit.
    pub fn free_at(&self, t: At) -> At {
        let length = self.length();
        let limit = self.limit();
        let at: i128 = match &self.state {
            State::Fixed { index, count } => {
                if i128::from(*count) < limit {
                    i128::from(t)
                } else {
                    (i128::from(*index) + 1) * length - i128::from(self.offset)
                }
            }
            State::FirstHit { opened, count } => match opened {
                Some(o) if i128::from(*count) >= limit => i128::from(*o) + length,
                _ => i128::from(t),
            },
            State::Sliding { log } => {
                let used = log.len() as i128;
                if used < limit {
                    i128::from(t)
                } else {
                    let oldest_blocking = usize::try_from(used - limit).unwrap_or(0);
                    log.get(oldest_blocking)
                        .map_or(i128::from(t), |&e| i128::from(e) + length)
                }
            }
            State::Bucket { level, .. } => {
                if *level >= length {
                    i128::from(t)
                } else {
                    i128::from(t) + ceil_div(length - level, limit)
                }
            }
            State::Gcra { tat } => ceil_div(tat - (limit - 1) * length, limit),
        };
        i64::try_from(at.max(i128::from(t))).unwrap_or(i64::MAX)
    }

    /// The advertised time until the window resets, at `t`.
    pub fn reset_after(&self, t: At) -> Micros {
        let length = self.length();
        let limit = self.limit();
        let full = limit * length;
        let until: i128 = match &self.state {
            State::Fixed { index, .. } => {
                (i128::from(*index) + 1) * length - i128::from(self.offset) - i128::from(t)
            }
            State::FirstHit { opened, .. } => {
                opened.map_or(length, |o| i128::from(o) + length - i128::from(t))
            }
            State::Sliding { log } => log
                .front()
                .map_or(length, |&e| i128::from(e) + length - i128::from(t)),
            State::Bucket { level, .. } => {
                let missing = match self.spec.kind {
                    WindowKind::TokenBucket(BucketReset::NextToken) => {
                        if *level >= full {
                            0
                        } else {
                            length - level % length
                        }
                    }
                    _ => full - level,
                };
                ceil_div(missing, limit)
            }
            State::Gcra { .. } => i128::from(self.free_at(t)) - i128::from(t),
        };
        u64::try_from(until.max(0)).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::super::clock::SEC;
    use super::super::window::PriorUsage;
    use super::*;

    const S: At = SEC as At;

    fn counter(kind: WindowKind, limit: u64, secs: u64) -> WindowCounter {
        WindowCounter::new(&WindowSpec::new("w", kind, limit, secs * SEC), 0)
    }

    /// Takes `n` units at `t` if free, returning how many were taken.
    fn take_n(c: &mut WindowCounter, t: At, n: u64) -> u64 {
        let mut taken = 0;
        for _ in 0..n {
            c.roll(t);
            if c.remaining(t) == 0 {
                break;
            }
            c.take(t);
            taken += 1;
        }
        taken
    }

    #[test]
    fn aligned_fixed_window_follows_the_clock_offset() {
        // Wall clock reads 7 s at t = 0: 10-s windows end at t = 3 s, 13 s ...
        let mut c = WindowCounter::new(&WindowSpec::fixed("w", 2, 10), 7 * SEC);
        assert_eq!(take_n(&mut c, 0, 5), 2);
        assert_eq!(c.reset_after(0), 3 * SEC);
        assert_eq!(c.free_at(0), 3 * S);
        c.roll(3 * S);
        assert_eq!(c.remaining(3 * S), 2);
    }

    #[test]
    fn first_hit_window_opens_at_the_first_request_after_the_last_one_ended() {
        let mut c = counter(WindowKind::FixedFromFirstHit, 2, 10);
        assert_eq!(take_n(&mut c, 4 * S, 5), 2);
        assert_eq!(c.reset_after(5 * S), 9 * SEC);
        assert_eq!(c.free_at(5 * S), 14 * S);
        c.roll(20 * S);
        assert_eq!(c.remaining(20 * S), 2);
        take_n(&mut c, 20 * S, 1);
        assert_eq!(c.reset_after(20 * S), 10 * SEC);
    }

    #[test]
    fn sliding_log_frees_its_oldest_unit() {
        let mut c = counter(WindowKind::Sliding, 2, 10);
        take_n(&mut c, S, 1);
        take_n(&mut c, 2 * S, 1);
        assert_eq!(c.free_at(3 * S), 11 * S);
        assert_eq!(c.reset_after(3 * S), 8 * SEC);
    }

    #[test]
    fn token_bucket_readings_of_the_reset() {
        for (reset, expected) in [(BucketReset::Full, 10 * SEC), (BucketReset::NextToken, SEC)] {
            let mut c = counter(WindowKind::TokenBucket(reset), 10, 10);
            assert_eq!(take_n(&mut c, 0, 20), 10);
            assert_eq!(c.reset_after(0), expected);
            assert_eq!(c.free_at(0), S);
        }
    }

    #[test]
    fn gcra_admits_a_burst_then_one_per_emission_interval() {
        // Burst 4, emission interval 10 s / 4 = 2.5 s.
        let mut c = counter(WindowKind::Gcra, 4, 10);
        assert_eq!(c.reset_after(0), 0);
        assert_eq!(take_n(&mut c, 0, 10), 4);
        assert_eq!(c.free_at(0), 2_500_000);
        assert_eq!(c.reset_after(0), 2_500_000);
        assert_eq!(take_n(&mut c, 2_500_000, 10), 1);
        assert_eq!(take_n(&mut c, 10 * S, 10), 3);
    }

    #[test]
    fn prior_usage_is_counted_where_it_still_falls_in_the_window() {
        let prior = PriorUsage {
            used: 3,
            ago: 2 * SEC,
        };
        let spec = |kind| WindowSpec::new("w", kind, 5, 10 * SEC).with_prior(prior);
        // Aligned to t = 0: the prior usage was in the previous window.
        let mut fixed = WindowCounter::new(&spec(WindowKind::Fixed), 0);
        fixed.roll(0);
        assert_eq!(fixed.remaining(0), 5);
        // Offset 5 s: the window [-5 s, 5 s) holds it.
        let mut shifted = WindowCounter::new(&spec(WindowKind::Fixed), 5 * SEC);
        shifted.roll(0);
        assert_eq!(shifted.remaining(0), 2);
        let mut first_hit = WindowCounter::new(&spec(WindowKind::FixedFromFirstHit), 0);
        first_hit.roll(0);
        assert_eq!(
            (first_hit.remaining(0), first_hit.reset_after(0)),
            (2, 8 * SEC)
        );
        let mut log = WindowCounter::new(&spec(WindowKind::Sliding), 0);
        log.roll(0);
        assert_eq!(log.free_at(0), 0);
        assert_eq!(log.remaining(0), 2);
        // A bucket refills one token per 2 s: 2 + 1 tokens by t = 0.
        let mut bucket = WindowCounter::new(&spec(WindowKind::TokenBucket(BucketReset::Full)), 0);
        bucket.roll(0);
        assert_eq!(bucket.remaining(0), 3);
        let gcra = WindowCounter::new(&spec(WindowKind::Gcra), 0);
        assert_eq!(gcra.remaining(0), 3);
    }
}
