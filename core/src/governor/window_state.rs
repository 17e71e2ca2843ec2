//! [`WindowState`]: what the governor remembers of one quota window between
//! responses (`../shared/spec/governor.md` sections 2.5-2.7):
//!
//! - the reset instant, tightened to the earliest seen within one window (integer
//!   `reset` values overstate it by up to a second, and the minimum is still never
//!   early);
//! - the remaining quota, never raised within a window (responses may arrive out of
//!   order);
//! - other clients' request rate and share of the key, estimated from drops in
//!   `remaining` between this client's own responses (EWMA, alpha 0.5).

use core::time::Duration;

use super::MonoTime;
use crate::model::Window;

/// EWMA weight of a new sample.
const ALPHA: f64 = 0.5;

/// Identifies a window across responses: FNV-1a over its source, policy name, unit
/// and length.
pub(crate) fn window_key(w: &Window<'_>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    for b in w.source.as_str().bytes() {
        feed(b);
    }
    feed(0);
    if let Some(p) = w.policy {
        let mut buf = [0u8; 4];
        for c in p.chars() {
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                feed(b);
            }
        }
    }
    feed(0);
    for b in w.unit.as_str().bytes() {
        feed(b);
    }
    feed(0);
    for b in w.window.map_or(0, |d| d.as_secs()).to_le_bytes() {
        feed(b);
    }
    h
}

/// Ceiling of a non-negative float as u64 (no libm in `no_std`).
pub(crate) fn ceil_u64(x: f64) -> u64 {
    if x.is_nan() || x <= 0.0 {
        return 0;
    }
    if x >= u64::MAX as f64 {
        return u64::MAX;
    }
    let t = x as u64;
    if (t as f64) < x {
        t.saturating_add(1)
    } else {
        t
    }
}

/// The governor's memory of one window.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct WindowState {
    pub key: u64,
    pub limit: Option<u64>,
    pub remaining: u64,
    pub reset_at: Option<MonoTime>,
    pub length: Option<Duration>,
    pub observed_at: MonoTime,
    /// The client's accepted-response count when this window was last observed.
    accepted_at_obs: u64,
    /// Other clients' requests per second (EWMA).
    pub others_rate: f64,
    /// 1 + other clients' requests per own request (EWMA).
    pub share: f64,
}

impl WindowState {
    /// A window first seen in a response received at `received_at`.
    pub fn first(
        key: u64,
        w: &Window<'_>,
        remaining: u64,
        received_at: MonoTime,
        accepted: u64,
    ) -> Self {
        WindowState {
            key,
            limit: w.limit,
            remaining,
            reset_at: w.reset.map(|r| received_at.saturating_add(r)),
            length: w.window,
            observed_at: received_at,
            accepted_at_obs: accepted,
            others_rate: 0.0,
            share: 1.0,
        }
    }

    /// Folds in a new observation of the same window.
    pub fn update(
        &mut self,
        w: &Window<'_>,
        remaining: u64,
        sent_at: MonoTime,
        received_at: MonoTime,
        accepted: u64,
        rtt: Duration,
    ) {
        let candidate = w.reset.map(|r| received_at.saturating_add(r));
        let tolerance = Duration::from_secs(1).saturating_add(rtt);
        let rolled = match (self.reset_at, candidate) {
            // The request left after the old window ended, or the new reset is later
            // than rounding can explain: a new window.
            (Some(old), Some(new)) => sent_at >= old || new > old.saturating_add(tolerance),
            (Some(old), None) => sent_at >= old,
            (None, _) => remaining > self.remaining,
        };
        if rolled {
            self.reset_at = candidate;
            self.remaining = remaining;
        } else {
            let own = accepted.saturating_sub(self.accepted_at_obs);
            let dropped = self.remaining.saturating_sub(remaining);
            let others = dropped.saturating_sub(own);
            let dt = received_at.saturating_since(self.observed_at).as_secs_f64();
            if dt > 0.0 && own > 0 {
                let rate = others as f64 / dt;
                self.others_rate = ALPHA * rate + (1.0 - ALPHA) * self.others_rate;
                let share = 1.0 + others as f64 / own as f64;
                self.share = ALPHA * share + (1.0 - ALPHA) * self.share;
            }
            self.reset_at = match (self.reset_at, candidate) {
                // The kept bound has passed and the server still counts the same
                // window (a sliding log, a bucket's next token): trust the server.
                (Some(old), Some(new)) if received_at >= old => Some(new),
                (Some(old), Some(new)) => Some(old.min(new)),
                (old, new) => new.or(old),
            };
            self.remaining = self.remaining.min(remaining);
        }
        self.limit = w.limit.or(self.limit);
        self.length = w.window.or(self.length);
        self.observed_at = received_at;
        self.accepted_at_obs = accepted;
    }

    /// Units other clients are estimated to have in flight: their rate times the RTT.
    pub fn others_in_flight(&self, rtt: Duration) -> u64 {
        ceil_u64(self.others_rate * rtt.as_secs_f64())
    }

    /// True when other clients are seen spending this window's quota.
    pub fn shared(&self) -> bool {
        self.others_rate > 0.0
    }

    /// True once the window's reset has passed: its quota is fresh again.
    pub fn expired(&self, now: MonoTime) -> bool {
        self.reset_at.is_some_and(|r| now >= r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;

    fn window(remaining: u64, reset_s: u64) -> Window<'static> {
        let mut w = Window::new(Source::IetfDraft08);
        w.limit = Some(100);
        w.remaining = Some(remaining);
        w.reset = Some(Duration::from_secs(reset_s));
        w
    }

    #[test]
    fn reset_is_tightened_within_a_window() {
        let w = window(99, 10);
        let mut s = WindowState::first(1, &w, 99, MonoTime::from_millis(300), 1);
        // 0.9 s later the server says 9 s (it rounds up): the end is 9.3 s, not 10.3 s.
        s.update(
            &window(98, 9),
            98,
            MonoTime::from_millis(1100),
            MonoTime::from_millis(1200),
            2,
            Duration::from_millis(100),
        );
        assert_eq!(s.reset_at, Some(MonoTime::from_millis(10_200)));
        assert_eq!(s.remaining, 98);
    }

    #[test]
    fn others_are_estimated_from_drops() {
        let mut s = WindowState::first(1, &window(90, 10), 90, MonoTime::from_secs(1), 1);
        // One own request accepted, remaining fell by 8: seven others in one second.
        s.update(
            &window(82, 9),
            82,
            MonoTime::from_millis(1900),
            MonoTime::from_secs(2),
            2,
            Duration::from_millis(100),
        );
        assert!((s.others_rate - 3.5).abs() < 1e-9, "{}", s.others_rate);
        assert!((s.share - 4.5).abs() < 1e-9, "{}", s.share);
        assert_eq!(s.others_in_flight(Duration::from_millis(100)), 1);
    }

    #[test]
    fn a_later_reset_starts_a_new_window() {
        let mut s = WindowState::first(1, &window(0, 2), 0, MonoTime::from_secs(1), 1);
        s.update(
            &window(99, 10),
            99,
            MonoTime::from_secs(3),
            MonoTime::from_millis(3100),
            2,
            Duration::from_millis(100),
        );
        assert_eq!(s.remaining, 99);
        assert_eq!(s.reset_at, Some(MonoTime::from_millis(13_100)));
    }

    #[test]
    fn ceil_handles_edges() {
        assert_eq!(ceil_u64(0.0), 0);
        assert_eq!(ceil_u64(-1.0), 0);
        assert_eq!(ceil_u64(f64::NAN), 0);
        assert_eq!(ceil_u64(1.0), 1);
        assert_eq!(ceil_u64(1.2), 2);
        assert_eq!(ceil_u64(1e30), u64::MAX);
    }
}
