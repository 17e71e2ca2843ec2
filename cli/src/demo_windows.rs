//! The demo server's rate limit: stacked fixed windows that start at the first
//! accepted request after the previous window ended (as express-rate-limit's and
//! Flask-Limiter's memory stores do), and the draft-8 header lines that describe
//! them.
//!
//! [`FixedWindows::hit`] is a pure function of the time it is given (time since the
//! server started), so the rule is tested without sleeping.

use std::time::Duration;

/// One limit: at most `quota` requests per `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// The draft-8 policy name (`burst`, `long`).
    pub name: &'static str,
    /// Requests allowed per window.
    pub quota: u64,
    /// The window's length (whole seconds in the demo's scenarios).
    pub window: Duration,
}

/// The current window of one limit: when it started, requests accepted in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Window {
    start: Duration,
    used: u64,
}

/// What one limit looks like after a hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WindowView {
    /// Requests left in the window.
    pub remaining: u64,
    /// Time until the window ends.
    pub reset: Duration,
}

/// The server's answer to one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// True when every limit had room: the request was counted and is served.
    pub accepted: bool,
    /// Each limit's state after the hit, in the order of the limits.
    pub windows: Vec<WindowView>,
    /// For a rejected request: the time until every full window has ended.
    pub retry_after: Option<Duration>,
}

/// Every limit's current window, for one client.
#[derive(Clone, Debug)]
pub struct FixedWindows {
    limits: Vec<Limit>,
    windows: Vec<Option<Window>>,
}

impl FixedWindows {
    /// No window started yet.
    pub fn new(limits: &[Limit]) -> Self {
        FixedWindows {
            limits: limits.to_vec(),
            windows: vec![None; limits.len()],
        }
    }

    /// A request at `now`: accepted (and counted in every window) when every limit
    /// has room. A window that has ended is replaced by one starting at `now`, but
    /// only when the request is accepted: a rejected request neither counts nor
    /// starts a window.
    pub fn hit(&mut self, now: Duration) -> Verdict {
        let current: Vec<Window> = self
            .limits
            .iter()
            .zip(&self.windows)
            .map(|(limit, window)| match window {
                Some(w) if now < w.start + limit.window => *w,
                _ => Window {
                    start: now,
                    used: 0,
                },
            })
            .collect();
        let accepted = self
            .limits
            .iter()
            .zip(&current)
            .all(|(limit, w)| w.used < limit.quota);
        let after: Vec<Window> = if accepted {
            current
                .iter()
                .map(|w| Window {
                    used: w.used + 1,
                    ..*w
                })
                .collect()
        } else {
            current
        };
        if accepted {
            self.windows = after.iter().copied().map(Some).collect();
        }
        let windows = self
            .limits
            .iter()
            .zip(&after)
            .map(|(limit, w)| WindowView {
                remaining: limit.quota.saturating_sub(w.used),
                reset: (w.start + limit.window).saturating_sub(now),
            })
            .collect();
        let retry_after = (!accepted).then(|| {
            self.limits
                .iter()
                .zip(&after)
                .filter(|(limit, w)| w.used >= limit.quota)
                .map(|(limit, w)| (w.start + limit.window).saturating_sub(now))
                .max()
                .unwrap_or_default()
        });
        Verdict {
            accepted,
            windows,
            retry_after,
        }
    }
}

/// Whole seconds, rounded up (as servers send `t` and `Retry-After`).
pub fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The `RateLimit-Policy` value: `"burst";q=5;w=2, "long";q=20;w=10`.
pub fn policy_header(limits: &[Limit]) -> String {
    limits
        .iter()
        .map(|l| format!("\"{}\";q={};w={}", l.name, l.quota, ceil_secs(l.window)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `RateLimit` value after a hit: `"burst";r=4;t=2, "long";r=19;t=10`.
pub fn ratelimit_header(limits: &[Limit], windows: &[WindowView]) -> String {
    limits
        .iter()
        .zip(windows)
        .map(|(l, w)| format!("\"{}\";r={};t={}", l.name, w.remaining, ceil_secs(w.reset)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: [Limit; 2] = [
        Limit {
            name: "burst",
            quota: 2,
            window: Duration::from_secs(2),
        },
        Limit {
            name: "long",
            quota: 3,
            window: Duration::from_secs(10),
        },
    ];

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn windows_start_at_the_first_hit_and_count_accepted_requests() {
        let mut limiter = FixedWindows::new(&LIMITS);
        let first = limiter.hit(ms(500));
        assert!(first.accepted);
        assert_eq!(first.retry_after, None);
        assert_eq!(
            first.windows,
            vec![
                WindowView {
                    remaining: 1,
                    reset: ms(2000)
                },
                WindowView {
                    remaining: 2,
                    reset: ms(10_000)
                }
            ]
        );
        let second = limiter.hit(ms(1500));
        assert!(second.accepted);
        assert_eq!(second.windows[0].remaining, 0);
        assert_eq!(second.windows[0].reset, ms(1000));
        assert_eq!(second.windows[1].remaining, 1);
    }

    #[test]
    fn a_full_window_rejects_until_its_end_and_the_rejection_does_not_count() {
        let mut limiter = FixedWindows::new(&LIMITS);
        limiter.hit(ms(0));
        limiter.hit(ms(100));
        let rejected = limiter.hit(ms(1200));
        assert!(!rejected.accepted);
        assert_eq!(rejected.retry_after, Some(ms(800)));
        assert_eq!(rejected.windows[0].remaining, 0);
        assert_eq!(
            rejected.windows[1].remaining, 1,
            "rejections are not counted"
        );
        // Still inside the burst window one nanosecond before its end.
        assert!(!limiter.hit(ms(2000) - Duration::from_nanos(1)).accepted);
        // At its end a new burst window starts.
        let next = limiter.hit(ms(2000));
        assert!(next.accepted);
        assert_eq!(next.windows[0].reset, ms(2000));
        assert_eq!(next.windows[1].remaining, 0);
    }

    #[test]
    fn the_long_window_blocks_even_when_the_burst_has_room() {
        let mut limiter = FixedWindows::new(&LIMITS);
        for t in [0, 1, 2000] {
            assert!(limiter.hit(ms(t)).accepted);
        }
        let blocked = limiter.hit(ms(4000));
        assert!(!blocked.accepted);
        assert_eq!(blocked.retry_after, Some(ms(6000)));
        // The burst window that ended was not restarted by the rejection.
        assert_eq!(blocked.windows[0].remaining, 2);
        assert_eq!(blocked.windows[0].reset, ms(2000));
        let later = limiter.hit(ms(10_000));
        assert!(later.accepted);
        assert_eq!(later.windows[1].reset, ms(10_000));
    }

    #[test]
    fn retry_after_waits_for_every_full_window() {
        let limits = [
            Limit {
                name: "a",
                quota: 1,
                window: Duration::from_secs(2),
            },
            Limit {
                name: "b",
                quota: 1,
                window: Duration::from_secs(5),
            },
        ];
        let mut limiter = FixedWindows::new(&limits);
        limiter.hit(ms(0));
        assert_eq!(limiter.hit(ms(1000)).retry_after, Some(ms(4000)));
    }

    #[test]
    fn header_lines_round_times_up_to_whole_seconds() {
        let views = [
            WindowView {
                remaining: 4,
                reset: ms(1001),
            },
            WindowView {
                remaining: 19,
                reset: ms(10_000),
            },
        ];
        assert_eq!(
            policy_header(&LIMITS),
            "\"burst\";q=2;w=2, \"long\";q=3;w=10"
        );
        assert_eq!(
            ratelimit_header(&LIMITS, &views),
            "\"burst\";r=4;t=2, \"long\";r=19;t=10"
        );
        assert_eq!(ceil_secs(Duration::ZERO), 0);
        assert_eq!(ceil_secs(Duration::from_nanos(1)), 1);
    }
}
