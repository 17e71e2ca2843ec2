//! [`GovernorState::decide`]: the wait before the next request
//! (`../shared/spec/governor.md` sections 0, 2.5-2.7; `../shared/contract/cli.md`
//! decision rules 1-6).
//!
//! In order:
//!
//! 1. A declared lifetime quota that is used up: give up. A failed response whose
//!    server said not to retry: give up.
//! 2. A failed response with a retry hint: the hint wins (drafts: "Retry-After MUST
//!    take precedence"), combined by [`GovernorConfig::hint_rule`] (default: the hint
//!    is a floor plus at most 10% / 1 s positive jitter).
//! 3. Cold start: with nothing known of the server (no answer yet, or the latest
//!    is older than its longest window), one request goes first; the others wait
//!    for its answer ([`Reason::Probe`], re-deciding every eighth of a round trip).
//!    A header-less server whose quota and window were learned from refusals: a run
//!    that used the quota waits for the window ([`blind`](super::blind)).
//! 4. Every window that can bind, as its belief ([`WindowState`](super::window_state))
//!    holds it: units free = the newest known remaining less own requests not yet seen
//!    counted; after the cycle's latest possible end, the limit less the sends made
//!    into the new cycle for a window seen to reset in bulk, else one probe (never
//!    "unlimited"). In [`Mode::Batch`], a window with no unit left beyond the reserve
//!    for others waits until its end (plus positive wake-up jitter, at most
//!    `wake_jitter_max` and 2% of the window, for shared windows); when the units are
//!    only held by own requests in flight, until their answers ([`Reason::Probe`]); a
//!    token bucket whose reset is the time until full, until the next request's unit
//!    has refilled; a lone client's sliding log, until its own oldest unit is back.
//!    In [`Mode::Smooth`], a window that binds (`work_left x share > remaining`) paces
//!    sends evenly until its end, or at its refill rate. A window whose remaining quota
//!    covers the work left never slows the client.
//! 5. A failure without a usable hint: the backoff schedule at the consecutive-failure
//!    count (GitHub's secondary limit: at least 60 s); an exhausted window whose reset
//!    is unknown waits one window length; a server with no headers at all is waited
//!    out until the earliest possible next boundary its past rejections allow
//!    ([`blind`](super::blind)), then polled with a restarted backoff.
//! 6. Declared per-period quotas (required waits, like a server's).
//!
//! The wait is the largest of these. A required wait (hint, reset, backoff, declared
//! quota) above `max_wait` gives [`Action::GiveUp`] carrying the wait, never a sleep;
//! smooth pacing is elective and is cut to `max_wait`.

use core::time::Duration;

use super::known_quota::Blocked;
use super::state::GovernorState;
use super::window_state::ceil_u64;
use super::{GovernorConfig, Mode, MonoTime, Reserve};
use crate::advice::{Action, Advice, Reason};
use crate::retry::{HintOutcome, combine};

/// Never retry a rejected request sooner than this after a backoff draw of zero.
pub const MIN_RETRY_WAIT: Duration = Duration::from_millis(100);

/// Shortest wait for the answer to a request in flight.
pub const PROBE_WAIT_MIN: Duration = Duration::from_millis(1);

/// How long an unanswered cold-start probe holds the other requests back.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// Longest wait for the answer to a request in flight before deciding again.
pub const PROBE_WAIT_MAX: Duration = Duration::from_millis(50);

/// Least margin after a declared quota's period before the next request.
pub const DECLARED_MARGIN: Duration = Duration::from_millis(50);

/// Longest wait for an exhausted window whose reset is unknown after a rejection: one
/// window length, at most two minutes; then the server's next answer tells more.
pub const UNKNOWN_RESET_CAP: Duration = Duration::from_secs(120);

fn wait(wait: Duration, reason: Reason) -> Advice {
    if wait.is_zero() {
        Advice::proceed()
    } else {
        Advice::new(Action::Wait, wait, reason)
    }
}

/// Positive jitter for a wake-up at a reset: `U(0, min(max, 2% of the window))`.
fn wake_jitter(cfg: &GovernorConfig, length: Option<Duration>, u01: f64) -> Duration {
    let bound = match length {
        Some(l) => cfg
            .wake_jitter_max
            .min(l.checked_div(50).unwrap_or(Duration::ZERO)),
        None => cfg.wake_jitter_max,
    };
    bound.mul_f64(u01.clamp(0.0, 1.0))
}

impl<const W: usize, const Q: usize, const G: usize> GovernorState<W, Q, G> {
    /// True when other clients are seen spending quota of any window this client
    /// tracks: then wake-ups and retries get jitter so that sharers do not stampede.
    pub fn shared(&self) -> bool {
        self.windows.iter().any(|w| w.shared())
    }

    /// True when nothing is known of the server yet, or what is known is older
    /// than its longest window (someone else may have used the quota since).
    pub(crate) fn cold(&self, now: MonoTime) -> bool {
        let Some(last) = self.last_response else {
            return true;
        };
        let longest = self.windows.iter().filter_map(|w| w.length).max();
        longest.is_some_and(|l| now.saturating_since(last) > l)
    }

    /// True when the cold-start probe has gone unanswered for [`PROBE_TIMEOUT`] (or
    /// four round trips, if longer): it may be lost, or its caller never reports
    /// answers, and it no longer holds the others back.
    pub(crate) fn probe_lost(&self, now: MonoTime) -> bool {
        let limit = PROBE_TIMEOUT.max(self.max_rtt.saturating_mul(4));
        self.blind
            .first_send
            .is_some_and(|first| now.saturating_since(first) >= limit)
            && self.last_response.is_none()
    }

    /// How long to wait for the answer to a request in flight before deciding
    /// again: an eighth of the round-trip time, between 1 ms and 50 ms (10 ms
    /// before any is known).
    pub(crate) fn probe_wait(&self) -> Duration {
        match self.rtt {
            Some(rtt) => rtt
                .checked_div(8)
                .unwrap_or(PROBE_WAIT_MIN)
                .clamp(PROBE_WAIT_MIN, PROBE_WAIT_MAX),
            None => Duration::from_millis(10),
        }
    }

    /// The advice before the next request, at `now`, with `work_left` requests still to
    /// send by this client (this one included; `None` for an open-ended workload, where
    /// every window binds), and `u01`, a uniform random sample in `[0, 1)` for jitter.
    pub fn decide(
        &self,
        now: MonoTime,
        work_left: Option<u64>,
        cfg: &GovernorConfig,
        u01: f64,
    ) -> Advice {
        // A sample outside [0, 1) (or NaN) from a careless caller is clamped, not trusted.
        let u01 = if u01.is_nan() {
            0.0
        } else {
            u01.clamp(0.0, 1.0)
        };
        let mut advice = self.decide_inner(now, work_left, cfg, u01);
        advice.quota_warning = self.quotas.iter().any(|q| q.warns(self.sent_total));
        advice
    }

    fn decide_inner(
        &self,
        now: MonoTime,
        work_left: Option<u64>,
        cfg: &GovernorConfig,
        u01: f64,
    ) -> Advice {
        // 1. Hard stops.
        for q in self.quotas.iter() {
            if q.next_allowed(now, self.sent_total) == Err(Blocked::Forever) {
                return Advice::new(Action::GiveUp, Duration::ZERO, Reason::QuotaExhausted);
            }
        }
        if let Some(f) = self.last_failure {
            if f.should_retry == Some(false) {
                return Advice::new(Action::GiveUp, Duration::ZERO, Reason::ServerSaysNoRetry);
            }
            // 2. The server's hint wins.
            if let Some(retry_at) = f.retry_at {
                let hint = retry_at.saturating_since(now);
                if !hint.is_zero() {
                    // Jitter spreads clients that share the key; a client seen alone
                    // gains nothing from it.
                    let sample = if self.shared() { u01 } else { 0.0 };
                    return match combine(
                        cfg.hint_rule,
                        Some(hint),
                        Duration::ZERO,
                        cfg.max_wait,
                        sample,
                    ) {
                        HintOutcome::Wait(d) => wait(d, Reason::RetryAfter),
                        HintOutcome::GiveUp { required } => {
                            Advice::new(Action::GiveUp, required, Reason::WaitExceedsMax)
                        }
                    };
                }
            }
        }

        // 3. Cold start: with nothing known of the server (or only what is older
        //    than its longest window), one request goes first and its answer
        //    releases the rest.
        let rtt = self.rtt.unwrap_or(Duration::ZERO);
        let in_flight = u64::from(self.in_flight);
        let probing = in_flight > 0 && self.cold(now) && !self.probe_lost(now);

        // A server without headers whose quota and window were learned from its
        // refusals: a run that has used the quota waits out its window.
        if self.windows.is_empty() && self.last_failure.is_none() {
            if let Some(until) = self.blind.run_exhausted_until(in_flight) {
                let w = until.saturating_since(now);
                if w > cfg.max_wait {
                    return Advice::new(Action::GiveUp, w, Reason::WaitExceedsMax);
                }
                if !w.is_zero() {
                    return wait(w, Reason::WindowExhausted);
                }
            }
        }

        // 4. Windows.
        let mut required: Option<(Duration, Reason)> =
            probing.then(|| (self.probe_wait(), Reason::Probe));
        let mut jitter_length: Option<Duration> = None;
        let mut jitter_shared = false;
        let mut paced = Duration::ZERO;
        for ws in self.windows.iter() {
            let reserve = match cfg.reserve {
                Reserve::Strict => ws.others_in_flight(rtt),
                Reserve::Optimistic => 0,
                Reserve::Fixed(n) => u64::from(n),
            };
            let mut own_room = ws.available(now);
            // A sliding log a lone client uses: own units counted in the newest
            // state come back one length after they arrived.
            let mut next_return: Option<MonoTime> = None;
            if own_room == 0 && ws.returns_by_grant() {
                let (snap_sent, snap_recv) = ws.snapshot();
                if let Some(length) = ws.length.filter(|_| self.grants.covers(snap_sent)) {
                    for back in self.grants.returns(snap_sent, snap_recv, length) {
                        if back <= now {
                            own_room = own_room.saturating_add(1);
                        } else {
                            next_return = Some(next_return.map_or(back, |n| n.min(back)));
                        }
                    }
                    own_room = own_room.saturating_sub(
                        ws.pending()
                            .saturating_sub(ws.reported(now).min(ws.pending())),
                    );
                }
            }
            let effective = own_room.saturating_sub(reserve);
            // Finish line: when only the reserve for others blocks and this client's
            // whole remaining job fits, send. The worst case is one rejection, which
            // retries at the reset the client would have waited for anyway.
            let finishing = reserve > 0 && work_left.is_some_and(|n| n <= own_room);
            if effective == 0 && !finishing {
                let units = in_flight.saturating_add(reserve).saturating_add(1);
                let reset_ahead = match (ws.reset_at().filter(|&r| r > now), next_return) {
                    (Some(r), Some(n)) => Some(r.min(n)),
                    (r, n) => r.or(n),
                };
                // Units the server reported that only own requests in flight may
                // hold: their answers will tell, well before any reset.
                let held_by_own = ws.held_by_own(now).saturating_sub(reserve) > 0;
                let (w, reason) = match (
                    ws.refilled_at(units),
                    reset_ahead,
                    ws.length,
                    self.last_failure,
                ) {
                    _ if held_by_own && in_flight > 0 => (self.probe_wait(), Reason::Probe),
                    // A bucket: wait only until the next request's unit has refilled.
                    (Some(at), _, _, _) => (at.saturating_since(now), Reason::Pacing),
                    (None, Some(r), _, _) => (
                        r.saturating_add(cfg.reset_margin).saturating_since(now),
                        Reason::WindowExhausted,
                    ),
                    // A request in flight will tell what the window holds now.
                    _ if in_flight > 0 => (self.probe_wait(), Reason::Probe),
                    // Rejected, reset unknown: one window length bounds the wait.
                    (None, None, Some(length), Some(_)) => (
                        ws.observed_at
                            .saturating_add(length.min(UNKNOWN_RESET_CAP))
                            .saturating_since(now),
                        Reason::Backoff,
                    ),
                    // No reset known and nothing rejected yet: let the server's next
                    // answer tell.
                    _ => continue,
                };
                if required.is_none_or(|(r, _)| w > r) {
                    required = Some((w, reason));
                    jitter_length = ws.length;
                    jitter_shared = ws.shared();
                }
                continue;
            }
            // Sharers of a time-until-full bucket pace at its refill rate in batch mode
            // too: draining it together collides once it runs dry.
            if cfg.mode == Mode::Smooth || (ws.to_full && ws.shared()) {
                let need = work_left.map(|n| ceil_u64(n as f64 * ws.share));
                let binds = need.is_none_or(|n| n > effective);
                // Sharers of a sliding log cannot see each other's consumption behind the
                // refill, so their share is unknown: they keep the reset-based pace, and
                // so do smooth sharers of a bucket (steadier than the refill-rate pace,
                // which collides now and then). Batch sharers of a bucket pace at the
                // refill rate: it is much faster than the reset-based pace.
                let by_rate = if ws.shared() {
                    ws.to_full && cfg.mode == Mode::Batch
                } else {
                    ws.refills
                };
                let rate = ws.rate().filter(|_| by_rate);
                match (binds, rate, ws.reset_at().filter(|&r| r > now)) {
                    (false, _, _) => {}
                    // A refilling window: what it lacks arrives at its refill rate, so
                    // spread the job over the time that takes (the window's own share
                    // of the rate for an open-ended job), never toward a reset.
                    (true, Some(rate), _) => {
                        let secs = match (need, work_left) {
                            (Some(n), Some(k)) if k > 0 => {
                                n.saturating_sub(effective) as f64 / rate / k as f64
                            }
                            _ => ws.share.max(1.0) / rate,
                        };
                        if let (Some(last), Ok(pace)) =
                            (self.last_send, Duration::try_from_secs_f64(secs))
                        {
                            let next = last.saturating_add(pace);
                            paced = paced.max(next.saturating_since(now));
                        }
                    }
                    (true, None, Some(reset_at)) => {
                        let span = reset_at.saturating_since(now).mul_f64(ws.share.max(1.0));
                        let pace = span
                            .checked_div(u32::try_from(effective).unwrap_or(u32::MAX))
                            .unwrap_or(span);
                        let next = match self.last_send {
                            Some(last) => last.saturating_add(pace).min(reset_at),
                            None => now,
                        };
                        paced = paced.max(next.saturating_since(now));
                    }
                    (true, None, None) => {}
                }
            }
        }

        // 5. A failure without a usable hint.
        if let (None, Some(f)) = (required, self.last_failure) {
            let headerless = f.throttled && self.windows.is_empty() && f.retry_at.is_none();
            let attempt = if headerless {
                self.blind.attempt(self.failures)
            } else {
                self.failures.max(1)
            };
            let schedule = if headerless {
                cfg.headerless_poll
            } else {
                cfg.backoff
            };
            let drawn = schedule.delay_for(attempt, self.prev_retry_wait, u01);
            let since = now.saturating_since(f.at);
            let mut w = drawn.max(MIN_RETRY_WAIT);
            // A header-less window's next boundary is no earlier than this: sleep to it.
            if let (true, Some(b)) = (headerless, self.blind.next_boundary()) {
                w = w.max(b.saturating_since(f.at));
            }
            let mut reason = Reason::Backoff;
            if f.secondary {
                w = w.max(cfg.secondary_wait);
                reason = Reason::SecondaryRateLimit;
            }
            let remaining = w.saturating_sub(since);
            if !remaining.is_zero() {
                required = Some((remaining, reason));
            }
        }

        // 6. Declared per-period quotas.
        // A declared quota is a hard limit: its wait is required.
        // The server opens its window when the first request arrives, not when it
        // left: a request sent exactly one period later can arrive a little sooner
        // (latency varies, and a new connection's handshake adds to it). Two RTTs,
        // at least `DECLARED_MARGIN`, cover it.
        let margin = rtt
            .saturating_mul(2)
            .max(DECLARED_MARGIN)
            .saturating_add(cfg.reset_margin);
        for q in self.quotas.iter() {
            if let Ok(Some(at)) = q.next_allowed(now, self.sent_total) {
                let w = at.saturating_add(margin).saturating_since(now);
                if required.is_none_or(|(r, _)| w > r) {
                    required = Some((w, Reason::Pacing));
                }
            }
        }
        // Smooth pacing is elective: never longer than max_wait.
        let paced = paced.min(cfg.max_wait);

        match required {
            Some((w, _)) if w > cfg.max_wait => {
                Advice::new(Action::GiveUp, w, Reason::WaitExceedsMax)
            }
            Some((w, reason)) if w >= paced => {
                // Wake-ups at a reset get positive jitter, within max_wait.
                let w = if reason == Reason::WindowExhausted && jitter_shared {
                    w.saturating_add(wake_jitter(cfg, jitter_length, u01))
                        .min(cfg.max_wait)
                } else {
                    w
                };
                wait(w, reason)
            }
            _ => wait(paced, Reason::Pacing),
        }
    }
}
