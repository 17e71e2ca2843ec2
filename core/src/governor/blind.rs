//! [`BlindLearner`]: learning a quota's window from bare rejections, for servers that
//! send no rate-limit headers and no `Retry-After` (`../shared/spec/governor.md`
//! section 2.6, "Without RateLimit headers ... keep that path first-class").
//!
//! Against such a server a client can only poll: a polling interval `p` costs about
//! `T/p` rejections per blocked period `T` and finds the reset `p/2` late on average.
//! Fixed windows repeat, though, and a boundary's position bounds the next one:
//!
//! - a boundary `B` lies between the last rejected send and the next accepted send;
//! - the window `W` is at least `B_low - first_send` (the first window began no later
//!   than the first request) and at least `B_k,low - B_k-1,high` afterwards;
//! - so the next boundary is no earlier than `B_low + W_low`.
//!
//! After a rejection the client sleeps until that bound, then polls with its backoff
//! restarted at its first step. The bound is never later than the true boundary of a
//! fixed or sliding window, so no time is lost; it only applies when whole runs of
//! requests are accepted between blocks (a token bucket that refills one unit at a
//! time is left to the plain backoff).

use core::time::Duration;

use super::MonoTime;

/// Fewest accepted requests in a run between blocks for the pattern to count as a
/// window rather than a trickle refill.
const MIN_RUN: u64 = 2;

/// What the governor has learned of a header-less quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct BlindLearner {
    pub(crate) first_send: Option<MonoTime>,
    pub(crate) in_block: bool,
    pub(crate) last_reject_sent: Option<MonoTime>,
    /// Accepted requests since the last block ended.
    pub(crate) run: u64,
    /// Accepted requests in the run before the current or latest block.
    pub(crate) prev_run: u64,
    /// The latest boundary's bounds (latest rejected send, first accepted send).
    pub(crate) boundary: Option<(MonoTime, MonoTime)>,
    pub(crate) window_low: Option<Duration>,
    /// Consecutive-failure count at which the backoff restarts.
    pub(crate) restart_failures: u32,
    pub(crate) restarted: bool,
}

impl BlindLearner {
    pub fn on_send(&mut self, at: MonoTime) {
        if self.first_send.is_none() {
            self.first_send = Some(at);
        }
    }

    /// A bare rejection (no headers, no hint) of a request sent at `sent_at`;
    /// `failures` is the consecutive-failure count including it.
    pub fn on_rejection(&mut self, sent_at: MonoTime, failures: u32) {
        if !self.in_block {
            self.in_block = true;
            self.prev_run = self.run;
            self.run = 0;
        }
        if let Some(b) = self.next_boundary() {
            if sent_at >= b && !self.restarted {
                self.restart_failures = failures.saturating_sub(1);
                self.restarted = true;
            }
        }
        self.last_reject_sent = Some(sent_at);
    }

    /// An accepted request sent at `sent_at`.
    pub fn on_success(&mut self, sent_at: MonoTime) {
        if self.in_block {
            self.in_block = false;
            let low = self.last_reject_sent.unwrap_or(sent_at);
            let bound = match self.boundary {
                None => self.first_send.map(|f| low.saturating_since(f)),
                Some((_, prev_high)) => Some(low.saturating_since(prev_high)),
            };
            self.window_low = match (self.window_low, bound) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            self.boundary = Some((low, sent_at));
            self.restart_failures = 0;
            self.restarted = false;
        }
        self.run = self.run.saturating_add(1);
    }

    /// The earliest instant the next boundary can be, when the pattern looks like a
    /// window.
    pub fn next_boundary(&self) -> Option<MonoTime> {
        let (low, _) = self.boundary?;
        let w = self.window_low?;
        (self.prev_run >= MIN_RUN && !w.is_zero()).then(|| low.saturating_add(w))
    }

    /// The backoff attempt for `failures` consecutive failures: counted from the first
    /// rejection after the predicted boundary.
    pub fn attempt(&self, failures: u32) -> u32 {
        failures.saturating_sub(self.restart_failures).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(secs: u64) -> MonoTime {
        MonoTime::from_secs(secs)
    }

    #[test]
    fn the_next_boundary_is_bounded_from_the_first_window() {
        let mut b = BlindLearner::default();
        b.on_send(s(0));
        for i in 0..10 {
            b.on_success(s(i));
        }
        // Blocked from 10 s; polls at 20, 40, 58 rejected; 61 accepted: boundary in (58, 61].
        for (k, t) in [10, 20, 40, 58].iter().enumerate() {
            b.on_rejection(s(*t), k as u32 + 1);
        }
        assert_eq!(b.next_boundary(), None);
        b.on_success(s(61));
        // The window is at least 58 s: the next boundary is no earlier than 116 s.
        assert_eq!(b.next_boundary(), Some(s(116)));
    }

    #[test]
    fn a_trickle_refill_is_not_taken_for_a_window() {
        let mut b = BlindLearner::default();
        b.on_send(s(0));
        b.on_success(s(0));
        b.on_rejection(s(1), 1);
        b.on_success(s(2));
        assert_eq!(b.next_boundary(), None);
    }

    #[test]
    fn the_backoff_restarts_after_the_predicted_boundary() {
        let mut b = BlindLearner::default();
        b.on_send(s(0));
        b.on_success(s(0));
        b.on_success(s(1));
        for (k, t) in [2, 30, 55].iter().enumerate() {
            b.on_rejection(s(*t), k as u32 + 1);
        }
        b.on_success(s(61));
        assert_eq!(b.next_boundary(), Some(s(110)));
        b.on_success(s(62));
        b.on_success(s(63));
        b.on_rejection(s(64), 1);
        assert_eq!(b.attempt(1), 1);
        // Still rejected after the bound: the backoff starts over.
        b.on_rejection(s(111), 2);
        assert_eq!(b.attempt(2), 1);
        assert_eq!(b.attempt(3), 2);
    }
}
