//! The job's lower bound: the shortest time in which `n` requests can pass the demo
//! server's limits, found by simulating a perfect client that sends each request at
//! the first instant the server accepts it.
//!
//! With windows that start at the first accepted request, sending as early as
//! allowed is optimal: an earlier start only brings every later window end earlier.

use std::time::Duration;

use crate::demo_windows::{FixedWindows, Limit};

/// When the last of `n` requests leaves if each leaves as early as `limits` allow
/// (the first at time zero). Zero for `n` of 0 or 1.
pub fn lower_bound(limits: &[Limit], n: u64) -> Duration {
    let mut server = FixedWindows::new(limits);
    let mut t = Duration::ZERO;
    for _ in 0..n {
        // Bounded: after a rejection's `retry_after` every full window has ended,
        // so the next hit is accepted; the extra passes are a safety margin.
        for _ in 0..=limits.len() {
            let verdict = server.hit(t);
            match verdict.retry_after {
                Some(wait) if !verdict.accepted => t += wait.max(Duration::from_nanos(1)),
                _ => break,
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(pairs: &[(u64, u64)]) -> Vec<Limit> {
        pairs
            .iter()
            .map(|&(quota, secs)| Limit {
                name: "x",
                quota,
                window: Duration::from_secs(secs),
            })
            .collect()
    }

    #[test]
    fn one_window_needs_a_reset_per_full_window() {
        let one = limits(&[(5, 2)]);
        assert_eq!(lower_bound(&one, 0), Duration::ZERO);
        assert_eq!(lower_bound(&one, 5), Duration::ZERO);
        assert_eq!(lower_bound(&one, 6), Duration::from_secs(2));
        // 60 requests: 12 windows, the last starting at 22 s.
        assert_eq!(lower_bound(&one, 60), Duration::from_secs(22));
    }

    #[test]
    fn the_demo_scenarios() {
        // 5 per 2 s and 20 per 10 s: 20 at 0, 2, 4, 6 s; 20 more at 10 .. 16 s.
        let default = limits(&[(5, 2), (20, 10)]);
        assert_eq!(lower_bound(&default, 40), Duration::from_secs(16));
        assert_eq!(lower_bound(&default, 20), Duration::from_secs(6));
        assert_eq!(lower_bound(&default, 21), Duration::from_secs(10));
        // 3 per 1 s and 6 per 3 s: 3 at 0 and 1 s, then 3 at 3 and 4 s.
        let quick = limits(&[(3, 1), (6, 3)]);
        assert_eq!(lower_bound(&quick, 12), Duration::from_secs(4));
    }

    #[test]
    fn matches_the_lead_s_reference_simulation() {
        // The fixed-window simulation of std-adapters/tests/common (Route::lower_bound)
        // for 5 per 2 s and 15 per 10 s over 60 requests: 15 in each of four long
        // windows, the last starting at 30 s, its third burst at 34 s.
        let draft8 = limits(&[(5, 2), (15, 10)]);
        assert_eq!(lower_bound(&draft8, 60), Duration::from_secs(34));
    }
}
