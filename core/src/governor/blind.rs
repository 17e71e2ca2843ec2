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
//!
//! Once two boundaries are bracketed, the client also knows the quota (the longest
//! run accepted between two blocks: a run that starts at a boundary uses every unit
//! of its window before the first refusal) and an upper bound on the window: with
//! `B_k` in `(low_k, high_k]`, a window opened at the first hit after `B_k-1` or
//! aligned to the server's clock lasts at most `high_k - low_k-1`. A run that has
//! used the quota then waits until the run's first answer plus that bound before
//! sending again ([`BlindLearner::run_exhausted_until`]): no refusal at all while the
//! learned figures hold, and a refusal (which updates them) when they do not.

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
    /// The longest run accepted between two blocks: the quota, once learned.
    pub(crate) quota: Option<u64>,
    /// Upper bound on the window length (see the module docs).
    pub(crate) window_high: Option<Duration>,
    /// Receive instant of the current run's first accepted request.
    pub(crate) run_start: Option<MonoTime>,
    /// Send instant of the latest accepted request.
    pub(crate) last_send: Option<MonoTime>,
    /// Length of the latest complete run between two blocks.
    pub(crate) last_run: Option<u64>,
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
        }
        if let Some(b) = self.next_boundary() {
            if sent_at >= b && !self.restarted {
                self.restart_failures = failures.saturating_sub(1);
                self.restarted = true;
            }
        }
        self.last_reject_sent = Some(sent_at);
    }

    /// An accepted request sent at `sent_at` and answered at `received_at`.
    pub fn on_success(&mut self, sent_at: MonoTime, received_at: MonoTime) {
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
            if let Some((prev_low, _)) = self.boundary {
                // This boundary came by `sent_at`; the previous one after `prev_low`.
                let high = sent_at.saturating_since(prev_low);
                self.window_high = Some(self.window_high.map_or(high, |h| h.min(high)));
            }
            // A run that started at a boundary: on a fixed window a lone client's
            // runs all have its quota's length. Two equal runs in a row are
            // believed; a different one drops the belief (a bucket's runs, or
            // sharers', vary; the first run may start in a part-used window).
            if self.prev_run >= MIN_RUN {
                self.quota = (self.last_run == Some(self.prev_run)).then_some(self.prev_run);
                self.last_run = Some(self.prev_run);
            }
            self.boundary = Some((low, sent_at));
            self.restart_failures = 0;
            self.restarted = false;
            self.run = 0;
            self.run_start = Some(received_at);
        }
        // A request accepted after the run used the whole quota proves a boundary
        // since the run's last send (no refusal marks it: the client waited): the
        // next run starts, and the window is at most this send less the previous
        // boundary's lower end.
        if !self.in_block && self.quota.is_some_and(|q| self.run >= q) {
            if let Some((prev_low, _)) = self.boundary {
                let high = sent_at.saturating_since(prev_low);
                self.window_high = Some(self.window_high.map_or(high, |h| h.min(high)));
            }
            self.boundary = Some((self.last_send.unwrap_or(sent_at), sent_at));
            self.run = 0;
            self.run_start = Some(received_at);
        }
        if self.run_start.is_none() {
            self.run_start = Some(received_at);
        }
        self.run = self.run.saturating_add(1);
        self.last_send = Some(sent_at);
    }

    /// When the current run has used the learned quota: the instant to try the
    /// next window. While the window's bounds are further apart than a fiftieth of
    /// it, the middle of the two (one probe per window: at most one refusal, and
    /// the bracket halves either way); then the upper bound, which no refusal can
    /// follow while the figures hold. `None` while nothing is learned, or the run
    /// has quota left.
    pub fn run_exhausted_until(&self, in_flight: u64) -> Option<MonoTime> {
        let quota = self.quota?;
        let start = self.run_start?;
        let high = self.window_high?;
        if self.in_block || self.run.saturating_add(in_flight) < quota {
            return None;
        }
        let low = self.window_low.unwrap_or(Duration::ZERO).min(high);
        let gap = high.saturating_sub(low);
        let at = if gap > high.checked_div(50).unwrap_or(Duration::ZERO) {
            low.saturating_add(gap.checked_div(2).unwrap_or(Duration::ZERO))
        } else {
            high
        };
        Some(start.saturating_add(at))
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

    impl BlindLearner {
        fn on_success_at(&mut self, at: MonoTime) {
            self.on_success(at, at);
        }
    }

    #[test]
    fn the_quota_and_the_window_are_learned_from_two_boundaries() {
        let mut b = BlindLearner::default();
        b.on_send(s(0));
        // 5 per 10 s, a window opened at the first hit: accepted 0-4, refused at 5
        // and 9, accepted from 10.5 (boundary in (9, 10.5]).
        for i in 0..5 {
            b.on_success_at(s(i));
        }
        b.on_rejection(s(5), 1);
        b.on_rejection(s(9), 2);
        assert_eq!(b.run_exhausted_until(0), None);
        b.on_success(MonoTime::from_millis(10_500), MonoTime::from_millis(10_600));
        for i in 11..15 {
            b.on_success_at(s(i));
        }
        b.on_rejection(s(15), 1);
        b.on_rejection(s(20), 2);
        b.on_success(MonoTime::from_millis(21_000), MonoTime::from_millis(21_100));
        // Quota 5; the window lasts at most 21 - 9 = 12 s.
        assert_eq!(b.quota, Some(5));
        assert_eq!(b.window_high, Some(Duration::from_secs(12)));
        for i in 22..26 {
            b.on_success_at(s(i));
        }
        // Five accepted in this run: the window is in [9.5 s, 12 s] (the second
        // block began at 20 s, 9.5 s after the run that opened its window); the gap
        // is wider than a fiftieth, so the next window is tried in the middle.
        assert_eq!(b.window_low, Some(Duration::from_millis(9_500)));
        assert_eq!(
            b.run_exhausted_until(0),
            Some(MonoTime::from_millis(21_100 + 10_750))
        );
        // Accepted there: a new run, and the window is at most 31.9 - 20 = 11.9 s.
        b.on_success(MonoTime::from_millis(31_900), MonoTime::from_millis(32_000));
        assert_eq!(b.run_exhausted_until(0), None);
        assert_eq!(b.window_high, Some(Duration::from_millis(11_900)));
    }

    #[test]
    fn the_next_boundary_is_bounded_from_the_first_window() {
        let mut b = BlindLearner::default();
        b.on_send(s(0));
        for i in 0..10 {
            b.on_success_at(s(i));
        }
        // Blocked from 10 s; polls at 20, 40, 58 rejected; 61 accepted: boundary in (58, 61].
        for (k, t) in [10, 20, 40, 58].iter().enumerate() {
            b.on_rejection(s(*t), k as u32 + 1);
        }
        assert_eq!(b.next_boundary(), None);
        b.on_success_at(s(61));
        // The window is at least 58 s: the next boundary is no earlier than 116 s.
        assert_eq!(b.next_boundary(), Some(s(116)));
    }

    #[test]
    fn a_trickle_refill_is_not_taken_for_a_window() {
        let mut b = BlindLearner::default();
        b.on_send(s(0));
        b.on_success_at(s(0));
        b.on_rejection(s(1), 1);
        b.on_success_at(s(2));
        assert_eq!(b.next_boundary(), None);
    }

    #[test]
    fn the_backoff_restarts_after_the_predicted_boundary() {
        let mut b = BlindLearner::default();
        b.on_send(s(0));
        b.on_success_at(s(0));
        b.on_success_at(s(1));
        for (k, t) in [2, 30, 55].iter().enumerate() {
            b.on_rejection(s(*t), k as u32 + 1);
        }
        b.on_success_at(s(61));
        assert_eq!(b.next_boundary(), Some(s(110)));
        b.on_success_at(s(62));
        b.on_success_at(s(63));
        b.on_rejection(s(64), 1);
        assert_eq!(b.attempt(1), 1);
        // Still rejected after the bound: the backoff starts over.
        b.on_rejection(s(111), 2);
        assert_eq!(b.attempt(2), 1);
        assert_eq!(b.attempt(3), 2);
    }
}
