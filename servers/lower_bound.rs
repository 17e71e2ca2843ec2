//! The shortest time in which a job can pass the test servers' limits: the yardstick
//! of the real-server tests ("at most 1.10x the lower bound").
//!
//! Both servers keep fixed windows per client key that open at the first hit after
//! the previous window ended, and count every hit, rejected ones included:
//! express-rate-limit's `MemoryStore` (`increment`: `resetTime = now + windowMs` once
//! the old reset time has passed, then `totalHits++`) and the `limits` package's
//! memory storage behind Flask-Limiter (`incr`: the expiry is set when the counter
//! goes from 0 to the first hit). A perfect client is simulated against exactly
//! that: every request leaves as early as every limit allows.
//!
//! std only; included by path from the tests of `std-adapters` and `cli`.
#![allow(dead_code)]

use std::time::Duration;

/// What an earlier job on the same key left in the server's windows when the
/// measured job starts: `hits` accepted hits, all in the windows its first hit
/// opened, `opened` before the measured job's start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Prior {
    /// Hits counted in every limit's current window.
    pub hits: u64,
    /// How long before the measured job's start those windows opened. A value
    /// measured before the earlier job's first request (so a little early) keeps
    /// the bound a lower bound: the windows seem to end a little sooner.
    pub opened: Duration,
}

impl Prior {
    /// A server nobody used before the job.
    pub const NONE: Prior = Prior {
        hits: 0,
        opened: Duration::ZERO,
    };
}

/// When the last of `n` requests can leave, counted from the job's start, if every
/// request leaves as early as `limits` (requests, window) allow after `prior`.
pub fn lower_bound(limits: &[(u64, Duration)], prior: Prior, n: u64) -> Duration {
    // Time runs from the prior windows' opening; the job starts `opened` later.
    let start = if prior.hits > 0 {
        prior.opened
    } else {
        Duration::ZERO
    };
    // Per limit: the current window (start, hits), if one was ever opened.
    let mut windows: Vec<Option<(Duration, u64)>> = limits
        .iter()
        .map(|_| (prior.hits > 0).then_some((Duration::ZERO, prior.hits)))
        .collect();
    let mut t = start;
    for _ in 0..n {
        // Bounded: a limit that moves `t` to its window's end no longer blocks, so
        // each limit moves it at most once.
        for _ in 0..=limits.len() {
            let blocked = limits
                .iter()
                .zip(&windows)
                .find_map(|(&(limit, length), window)| {
                    let (opened, hits) = (*window)?;
                    (t < opened + length && hits >= limit).then_some(opened + length)
                });
            match blocked {
                Some(end) => t = end,
                None => break,
            }
        }
        for (window, &(_, length)) in windows.iter_mut().zip(limits) {
            match window {
                Some((opened, hits)) if t < *opened + length => *hits += 1,
                _ => *window = Some((t, 1)),
            }
        }
    }
    t - start
}
