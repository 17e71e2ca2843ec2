//! [`WindowState`]: what the governor remembers of one quota window between
//! responses (`../shared/spec/governor.md` sections 2.5-2.7):
//!
//! - the reset instant, tightened to the earliest seen within one window (integer
//!   `reset` values overstate it by up to a second, and the minimum is still never
//!   early);
//! - the remaining quota, never raised within a window (responses may arrive out of
//!   order);
//! - other clients' request rate and share of the key, estimated from drops in
//!   `remaining` between this client's own responses (EWMA, alpha 0.5);
//! - whether the window refills continuously (a sliding log or a token bucket) rather
//!   than resetting at a fixed boundary: `remaining` rising between two ordered
//!   observations of the same window, or own requests not showing up in its drop;
//! - whether its reset means "time until full" (a draft-08 token bucket): consecutive
//!   observations that all satisfy `limit - remaining ~ rate x reset` (within the
//!   rounding of both), with the reset pushed later by own consumption at least twice.
//!   A fixed window never shows this: its reset never grows within a window.

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

/// True when an observation fits a token bucket whose reset is the time until full:
/// with level `l` in `[remaining, remaining + 1)` and `reset = ceil((limit - l) /
/// rate)` in whole seconds, `limit - rate x reset` lies in `(remaining - rate,
/// remaining + 1)`. The rounding slack is the same for sub-second resets.
fn fits_time_to_full(limit: u64, rate: f64, remaining: u64, reset: Duration) -> bool {
    let x = limit as f64 - rate * reset.as_secs_f64();
    let r = remaining as f64;
    x - 1.0 < r && r < x + rate
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
    /// `others_rate` before clamping at zero.
    others_signed: f64,
    /// `share` before clamping at one.
    share_signed: f64,
    /// `remaining` exactly as the latest observation said it.
    pub last_remaining: u64,
    /// When the request of the latest observation was sent.
    pub last_sent: MonoTime,
    /// Responses received in the window's current cycle (since it was first seen
    /// or last reset).
    pub answered: u64,
    /// Units the server had counted in this cycle before this client's requests:
    /// zero for a cycle seen to start, all but one unit for a window first seen
    /// part-used.
    pub base_used: u64,
    /// The latest observation's reset, as sent.
    last_reset: Option<Duration>,
    /// Increases of the reset over the current run of observations that fit a
    /// time-until-full bucket (`None`: the latest observation did not fit).
    full_run: Option<u8>,
    /// The window refills continuously (sliding log or token bucket).
    pub refills: bool,
    /// The window is a token bucket whose reset is the time until full.
    pub to_full: bool,
    /// Send and receive instants of the first accepted own request since the window
    /// was last seen to reset: its unit is back within one window length of the
    /// receive instant, and not before one window length after the send instant.
    anchor: Option<(MonoTime, MonoTime)>,
}

impl WindowState {
    /// A window first seen in a response received at `received_at`.
    pub fn first(
        key: u64,
        w: &Window<'_>,
        remaining: u64,
        (sent_at, received_at): (MonoTime, MonoTime),
        accepted: u64,
        ok: bool,
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
            others_signed: 0.0,
            share_signed: 1.0,
            last_remaining: remaining,
            last_sent: sent_at,
            answered: 1,
            base_used: w
                .limit
                .map_or(0, |l| l.saturating_sub(remaining).saturating_sub(1)),
            last_reset: w.reset,
            full_run: None,
            refills: false,
            to_full: false,
            anchor: ok.then_some((sent_at, received_at)),
        }
    }

    /// Units per second the window refills at: `limit / length`.
    pub fn rate(&self) -> Option<f64> {
        let secs = self.length?.as_secs_f64();
        let limit = self.limit?;
        (secs > 0.0 && limit > 0).then(|| limit as f64 / secs)
    }

    /// Tracks the evidence for a time-until-full bucket (see the module docs).
    fn track_time_to_full(&mut self, remaining: u64, reset: Option<Duration>) {
        let fits = match (self.limit, self.rate(), reset) {
            (Some(limit), Some(rate), Some(t)) => fits_time_to_full(limit, rate, remaining, t),
            _ => false,
        };
        self.full_run = if fits {
            match (self.full_run, self.last_reset, reset) {
                (Some(n), Some(old), Some(new)) if new > old => Some(n.saturating_add(1)),
                (Some(n), Some(old), Some(new)) if new == old => Some(n),
                _ => Some(0),
            }
        } else {
            None
        };
        if self.full_run.is_some_and(|n| n >= 2) {
            self.to_full = true;
            self.refills = true;
        }
    }

    /// Folds in a new observation of the same window.
    pub fn update(
        &mut self,
        w: &Window<'_>,
        remaining: u64,
        (sent_at, received_at): (MonoTime, MonoTime),
        (accepted, own_sent, own_outstanding): (u64, Option<u64>, u64),
        rtt: Duration,
        ok: bool,
    ) {
        self.limit = w.limit.or(self.limit);
        self.length = w.window.or(self.length);
        let candidate = w.reset.map(|r| received_at.saturating_add(r));
        let tolerance = Duration::from_secs(1).saturating_add(rtt);
        // The request left after the previous response arrived: the server's state it
        // reports is strictly newer (no reordering).
        let ordered = sent_at >= self.observed_at;
        let after_reset = self.reset_at.is_some_and(|old| sent_at >= old);
        let rolled = match (self.reset_at, candidate) {
            // The request left after the old window ended, or the new reset is later
            // than rounding can explain: a new window.
            (Some(old), Some(new)) => after_reset || new > old.saturating_add(tolerance),
            (Some(_), None) => after_reset,
            (None, _) => remaining > self.remaining && !self.refills,
        };
        if after_reset || (rolled && !self.refills) {
            // A new cycle: this request's unit is back within one window length.
            self.anchor = ok.then_some((sent_at, received_at));
        }
        // Own requests the server counted since the previous observation: those sent
        // after the previous observed request, up to this one (including own requests
        // still in flight), else those accepted since.
        let own = own_sent.unwrap_or_else(|| accepted.saturating_sub(self.accepted_at_obs));
        // Units the window regained since the previous observation, at its refill rate
        // (between the two requests' arrivals, estimated by their send instants).
        let refilled = match (self.to_full, self.rate()) {
            (true, Some(rate)) => rate * sent_at.saturating_since(self.last_sent).as_secs_f64(),
            _ => 0.0,
        };
        if rolled {
            self.reset_at = candidate;
            self.remaining = remaining;
            self.answered = 1;
            self.base_used = 0;
        } else {
            self.answered = self.answered.saturating_add(1);
            let dropped = self.remaining as f64 - remaining as f64;
            // With a refill the floor of `remaining` makes single samples swing both
            // ways around the truth: average them signed, clamp the average.
            // Own requests still in flight may have reached the server out of send
            // order (a worker reconnecting is overtaken by one on a warm
            // connection): up to that many units of the drop may be own ones.
            let others = dropped + refilled - own as f64 - own_outstanding as f64;
            let others = if refilled > 0.0 {
                others
            } else {
                others.max(0.0)
            };
            let dt = received_at.saturating_since(self.observed_at).as_secs_f64();
            if dt > 0.0 && own > 0 {
                let rate = others / dt;
                self.others_signed = ALPHA * rate + (1.0 - ALPHA) * self.others_signed;
                self.others_rate = self.others_signed.max(0.0);
                let share = 1.0 + others / own as f64;
                self.share_signed = ALPHA * share + (1.0 - ALPHA) * self.share_signed;
                self.share = self.share_signed.max(1.0);
            }
            // Own requests that did not show up in the drop: units came back before
            // the reset.
            if ordered && remaining.saturating_add(own) > self.remaining {
                self.refills = true;
            }
            self.reset_at = match (self.reset_at, candidate) {
                // The kept bound has passed and the server still counts the same
                // window (a sliding log, a bucket's next token): trust the server.
                (Some(old), Some(new)) if received_at >= old => Some(new),
                (Some(old), Some(new)) => Some(old.min(new)),
                (old, new) => new.or(old),
            };
            self.remaining = if ordered {
                remaining
            } else {
                self.remaining.min(remaining)
            };
        }
        // A continuously refilling window gives the anchor's unit back within one
        // window length, which can be well before a reset rounded up to whole seconds.
        // Only while that unit is surely still out when this request arrived, and only
        // for a lone client (a sharer may take it first).
        if let (true, Some((sent, recv)), Some(length)) = (
            self.refills && !self.to_full && !self.shared(),
            self.anchor,
            self.length,
        ) {
            let back = recv.saturating_add(length);
            if sent.saturating_add(length) > received_at {
                self.reset_at = self.reset_at.map(|r| r.min(back));
            }
        }
        self.track_time_to_full(remaining, w.reset);
        self.last_remaining = remaining;
        self.last_sent = sent_at;
        self.last_reset = w.reset;
        self.observed_at = received_at;
        self.accepted_at_obs = accepted;
    }

    /// Units a time-until-full bucket holds for a request arriving as if sent at
    /// `now`: the latest observation plus the refill since its request, less what
    /// other clients are expected to have taken meanwhile. `None` for other windows.
    pub fn projected(&self, now: MonoTime) -> Option<f64> {
        let rate = self.rate().filter(|_| self.to_full)?;
        let dt = now.saturating_since(self.last_sent).as_secs_f64();
        let level = self.last_remaining as f64 + self.net_refill(rate) * dt;
        Some(level.min(self.limit.unwrap_or(u64::MAX) as f64))
    }

    /// The part of the refill `rate` left for this client: what other clients are
    /// seen to take is deducted, but at least half its fair share is left (the
    /// estimate of the others lags when some of them finish).
    fn net_refill(&self, rate: f64) -> f64 {
        let floor = rate / (2.0 * self.share.max(1.0));
        (rate - self.others_rate).max(floor)
    }

    /// When a time-until-full bucket is expected to hold `units` (at most its reset,
    /// when it is full). `None` for other windows.
    pub fn refilled_at(&self, units: u64) -> Option<MonoTime> {
        let rate = self.rate().filter(|_| self.to_full)?;
        let net = self.net_refill(rate);
        let missing = units.saturating_sub(self.last_remaining) as f64;
        let at = if net > 0.0 {
            Duration::try_from_secs_f64(missing / net)
                .ok()
                .map(|d| self.last_sent.saturating_add(d))
        } else {
            None
        };
        match (at, self.reset_at) {
            (Some(a), Some(r)) => Some(a.min(r)),
            (a, r) => a.or(r),
        }
    }

    /// Own requests the server has counted in this cycle whose responses have not
    /// arrived yet, for a lone client: the units used (less what was used before
    /// this client's requests) minus the responses received. `None` when the limit
    /// is unknown.
    pub fn counted_unanswered(&self) -> Option<u64> {
        let used = self.limit?.saturating_sub(self.remaining);
        Some(
            used.saturating_sub(self.base_used)
                .saturating_sub(self.answered),
        )
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
        let mut s = WindowState::first(
            1,
            &w,
            99,
            (MonoTime::from_millis(200), MonoTime::from_millis(300)),
            1,
            true,
        );
        // 0.9 s later the server says 9 s (it rounds up): the end is 9.3 s, not 10.3 s.
        s.update(
            &window(98, 9),
            98,
            (MonoTime::from_millis(1100), MonoTime::from_millis(1200)),
            (2, None, 0),
            Duration::from_millis(100),
            true,
        );
        assert_eq!(s.reset_at, Some(MonoTime::from_millis(10_200)));
        assert_eq!(s.remaining, 98);
    }

    #[test]
    fn others_are_estimated_from_drops() {
        let mut s = WindowState::first(
            1,
            &window(90, 10),
            90,
            (MonoTime::from_millis(900), MonoTime::from_secs(1)),
            1,
            true,
        );
        // One own request accepted, remaining fell by 8: seven others in one second.
        s.update(
            &window(82, 9),
            82,
            (MonoTime::from_millis(1900), MonoTime::from_secs(2)),
            (2, None, 0),
            Duration::from_millis(100),
            true,
        );
        assert!((s.others_rate - 3.5).abs() < 1e-9, "{}", s.others_rate);
        assert!((s.share - 4.5).abs() < 1e-9, "{}", s.share);
        assert_eq!(s.others_in_flight(Duration::from_millis(100)), 1);
    }

    #[test]
    fn a_later_reset_starts_a_new_window() {
        let mut s = WindowState::first(
            1,
            &window(0, 2),
            0,
            (MonoTime::from_millis(900), MonoTime::from_secs(1)),
            1,
            true,
        );
        s.update(
            &window(99, 10),
            99,
            (MonoTime::from_secs(3), MonoTime::from_millis(3100)),
            (2, None, 0),
            Duration::from_millis(100),
            true,
        );
        assert_eq!(s.remaining, 99);
        assert_eq!(s.reset_at, Some(MonoTime::from_millis(13_100)));
    }

    fn policy(remaining: u64, reset_s: u64, limit: u64, length_s: u64) -> Window<'static> {
        let mut w = Window::new(Source::IetfDraft08);
        w.limit = Some(limit);
        w.remaining = Some(remaining);
        w.reset = Some(Duration::from_secs(reset_s));
        w.window = Some(Duration::from_secs(length_s));
        w
    }

    fn ms(x: u64) -> MonoTime {
        MonoTime::from_millis(x)
    }

    #[test]
    fn a_time_to_full_bucket_is_detected_and_projected() {
        // 100 tokens, refilled from empty in 20 s (5/s); one request every 50 ms, so
        // the level after i requests is 100 - 0.75 i and the reset ceil(0.15 i) s.
        let mut s = WindowState::first(1, &policy(99, 1, 100, 20), 99, (ms(0), ms(50)), 1, true);
        for i in 1..=14u64 {
            let r = (400 - 3 * i) / 4;
            let t = (3 * i).div_ceil(20);
            let sent = ms(50 * i);
            s.update(
                &policy(r, t, 100, 20),
                r,
                (sent, sent.saturating_add(Duration::from_millis(50))),
                (1 + i, None, 0),
                Duration::from_millis(50),
                true,
            );
        }
        assert!(s.to_full && s.refills);
        assert_eq!(s.projected(ms(700)).map(|l| l as u64), Some(89));
        // One more unit takes a fifth of a second at the refill rate.
        let at = s.refilled_at(90).unwrap();
        assert!(at >= ms(900) && at <= ms(1000), "{at:?}");
    }

    #[test]
    fn a_fixed_window_drained_by_sharers_is_not_a_bucket() {
        // 100 per 10 s: empty at the start of every window, the reset never grows
        // within one.
        let mut s = WindowState::first(1, &policy(0, 10, 100, 10), 0, (ms(0), ms(50)), 1, true);
        for (i, t) in [10, 9, 8, 10, 9, 10, 10, 9].into_iter().enumerate() {
            let sent = ms(1000 * (i as u64 + 1));
            s.update(
                &policy(0, t, 100, 10),
                0,
                (sent, sent.saturating_add(Duration::from_millis(50))),
                (1, None, 0),
                Duration::from_millis(50),
                true,
            );
            assert!(!s.to_full, "after {t}");
        }
        assert!(s.projected(ms(9000)).is_none());
    }

    #[test]
    fn a_sliding_log_comes_back_one_length_after_the_cycle_began() {
        // 3 per 10 s. The cycle begins with a request sent after the previous reset.
        let mut s = WindowState::first(1, &policy(0, 1, 3, 10), 0, (ms(0), ms(50)), 1, true);
        let rtt = Duration::from_millis(50);
        s.update(
            &policy(1, 1, 3, 10),
            1,
            (ms(1050), ms(1100)),
            (2, None, 0),
            rtt,
            true,
        );
        // Own request did not show in the drop: the window refills.
        s.update(
            &policy(1, 1, 3, 10),
            1,
            (ms(1100), ms(1150)),
            (3, None, 0),
            rtt,
            true,
        );
        assert!(s.refills && !s.to_full);
        // Exhausted; the server rounds the reset up to 10 s, but the unit taken at
        // 1.05-1.1 s is back by 11.1 s.
        s.update(
            &policy(0, 10, 3, 10),
            0,
            (ms(1150), ms(1200)),
            (4, None, 0),
            rtt,
            true,
        );
        assert_eq!(s.reset_at, Some(ms(11_100)));
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
