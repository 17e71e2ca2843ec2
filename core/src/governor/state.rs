//! [`GovernorState`]: the caller-owned, fixed-size state of one client talking to one
//! server with one credential, and how responses and sends update it
//! (`../shared/spec/governor.md` section 4).

use core::time::Duration;

use super::MonoTime;
use super::blind::BlindLearner;
use super::grant_log::GrantLog;
use super::known_quota::{KnownQuota, QuotaState};
use super::window_state::{Seen, WindowState, window_key};
use crate::model::{Bounded, Limits, Window};

/// A failed response the next decision must account for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    pub at: MonoTime,
    /// Absolute instant from the server's retry hint.
    pub retry_at: Option<MonoTime>,
    pub status: Option<u16>,
    /// A rate-limit rejection (429, or 403/503 with rate-limit evidence).
    pub throttled: bool,
    /// GitHub's secondary rate limit.
    pub secondary: bool,
    /// The server's explicit verdict (`Stripe-Should-Retry`, `x-should-retry`).
    pub should_retry: Option<bool>,
}

/// Capacity for declared quotas was exceeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuotaCapacityExceeded;

impl core::fmt::Display for QuotaCapacityExceeded {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("no room for another declared quota (raise the Q capacity)")
    }
}

/// The state of one client for one server and credential: the windows it has seen,
/// its requests in flight, its consecutive failures and its declared quotas. Fixed
/// size: at most `W` windows (the least recently observed is replaced), `Q`
/// declared quotas, and a log of the latest `G` accepted requests (a sliding log
/// longer than that is governed without it: by its resets and probes, never by
/// guessing). Requests in flight are counted, not listed, so any concurrency fits. All methods are pure functions of their inputs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GovernorState<const W: usize = 16, const Q: usize = 4, const G: usize = 512> {
    pub(crate) windows: Bounded<WindowState, W>,
    pub(crate) quotas: Bounded<QuotaState, Q>,
    pub(crate) in_flight: u32,
    pub(crate) sent_total: u64,
    pub(crate) accepted_total: u64,
    pub(crate) last_send: Option<MonoTime>,
    pub(crate) rtt: Option<Duration>,
    pub(crate) failures: u32,
    pub(crate) last_failure: Option<Failure>,
    /// The wait before the latest retry (for decorrelated jitter).
    pub(crate) prev_retry_wait: Duration,
    pub(crate) windows_replaced: u64,
    /// What bare rejections taught about a header-less quota.
    pub(crate) blind: BlindLearner,
    /// The largest round-trip time seen: sends within half of it of a cycle's end
    /// may land in either cycle.
    pub(crate) max_rtt: Duration,
    /// When the latest response arrived (`None`: no response yet).
    pub(crate) last_response: Option<MonoTime>,
    /// The latest `G` accepted own requests (send and receive instants): when
    /// their units come back in a sliding log.
    pub(crate) grants: GrantLog<G>,
}

impl<const W: usize, const Q: usize, const G: usize> Default for GovernorState<W, Q, G> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const W: usize, const Q: usize, const G: usize> GovernorState<W, Q, G> {
    /// A client that has sent nothing yet.
    pub const fn new() -> Self {
        GovernorState {
            windows: Bounded::new(),
            quotas: Bounded::new(),
            in_flight: 0,
            sent_total: 0,
            accepted_total: 0,
            last_send: None,
            rtt: None,
            failures: 0,
            last_failure: None,
            prev_retry_wait: Duration::ZERO,
            windows_replaced: 0,
            blind: BlindLearner {
                first_send: None,
                in_block: false,
                last_reject_sent: None,
                run: 0,
                prev_run: 0,
                boundary: None,
                window_low: None,
                restart_failures: 0,
                restarted: false,
                quota: None,
                window_high: None,
                run_start: None,
                last_send: None,
                last_run: None,
            },
            max_rtt: Duration::ZERO,
            last_response: None,
            grants: GrantLog::new(),
        }
    }

    /// Declares a quota the server does not announce.
    pub fn declare(&mut self, quota: KnownQuota) -> Result<(), QuotaCapacityExceeded> {
        if self.quotas.push(QuotaState::new(quota)) {
            Ok(())
        } else {
            Err(QuotaCapacityExceeded)
        }
    }

    /// Records that a request left at `at`.
    pub fn on_send(&mut self, at: MonoTime) {
        self.in_flight = self.in_flight.saturating_add(1);
        self.sent_total = self.sent_total.saturating_add(1);
        if let Some(f) = self.last_failure {
            self.prev_retry_wait = at.saturating_since(f.at);
        }
        self.last_send = Some(at);
        self.blind.on_send(at);
        for q in self.quotas.iter_mut() {
            q.on_send(at);
        }
        let transit = self.transit();
        for w in self.windows.iter_mut() {
            w.on_send(at, transit);
        }
    }

    /// Half the largest round-trip time seen: the longest a request may take to
    /// reach the server.
    pub(crate) fn transit(&self) -> Duration {
        self.max_rtt.checked_div(2).unwrap_or(Duration::ZERO)
    }

    /// Records a request that failed without a response (connection error, timeout)
    /// at `at`.
    pub fn on_transport_error(&mut self, at: MonoTime) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.failures = self.failures.saturating_add(1);
        self.last_failure = Some(Failure {
            at,
            retry_at: None,
            status: None,
            throttled: false,
            secondary: false,
            should_retry: None,
        });
    }

    /// Records a request that was sent but whose outcome will never be known (the
    /// caller dropped it: a cancelled future, a timeout above the HTTP client). It is
    /// no longer in flight; it is neither a success nor a failure, so no backoff
    /// follows. The server may have counted it: the next response's remaining quota
    /// says so.
    pub fn on_cancel(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// Folds in a parsed response to a request sent at `sent_at` and received at
    /// `received_at`.
    pub fn observe<const LW: usize, const LN: usize>(
        &mut self,
        limits: &Limits<'_, LW, LN>,
        sent_at: MonoTime,
        received_at: MonoTime,
    ) {
        // A cached response (`Age > 0`) has already lost its IETF fields in the parser
        // (draft-08+); whatever else it carries is used as it is.
        self.in_flight = self.in_flight.saturating_sub(1);
        let accepted_before = self.accepted_total;
        let sample = received_at.saturating_since(sent_at);
        self.rtt = Some(match self.rtt {
            None => sample,
            Some(old) => old.saturating_add(sample).checked_div(2).unwrap_or(sample),
        });
        let status = limits.status();
        // A hint on a redirect-class status is still the server asking to wait.
        let failure = status.is_some_and(|s| s >= 400)
            || (status.is_some_and(|s| s >= 300) && limits.retry_hint().is_some());
        let evidence = limits.window_count() > 0
            || limits.signals().any_evidence()
            || limits.retry_hint().is_some();
        let throttled = match status {
            Some(429) => true,
            Some(403 | 503) => evidence,
            _ => false,
        };
        let retryable = throttled || matches!(status, Some(408 | 500 | 502 | 503 | 504));
        let bare = limits.window_count() == 0 && limits.retry_hint().is_none();
        if !failure {
            self.accepted_total = self.accepted_total.saturating_add(1);
            self.failures = 0;
            self.last_failure = None;
            self.blind.on_success(sent_at, received_at);
        } else if retryable
            || limits.signals().should_retry.is_some()
            || limits.retry_hint().is_some()
        {
            self.failures = self.failures.saturating_add(1);
            self.last_failure = Some(Failure {
                at: received_at,
                retry_at: limits.retry_after().map(|d| received_at.saturating_add(d)),
                status,
                throttled,
                secondary: limits.signals().secondary_rate_limit,
                should_retry: limits.signals().should_retry,
            });
            if throttled && bare {
                self.blind.on_rejection(sent_at, self.failures);
            }
        } else {
            // Any other client error was processed, and counted, by the server.
            self.accepted_total = self.accepted_total.saturating_add(1);
        }
        self.max_rtt = self.max_rtt.max(sample);
        self.last_response = Some(
            self.last_response
                .map_or(received_at, |l| l.max(received_at)),
        );
        // The server counted this request (its unit is in the window).
        let counted = self.accepted_total > accepted_before;
        if counted {
            self.grants.push(sent_at, received_at);
        }
        let transit = self.transit();
        // What this answer shows of every window, but its remaining count.
        let answer = Seen {
            remaining: 0,
            sent: sent_at,
            received: received_at,
            counted,
            rejected: throttled,
            in_flight: u64::from(self.in_flight),
            transit,
            between: None,
        };
        for (i, w) in limits.windows().enumerate() {
            let Some(remaining) = w.effective_remaining() else {
                continue;
            };
            if is_coarser_alias(limits, i, w) {
                continue;
            }
            let mut seen = Seen {
                remaining,
                ..answer
            };
            let key = window_key(w);
            let grants = &self.grants;
            if let Some(state) = self.windows.iter_mut().find(|s| s.key == key) {
                let (min_sent, min_recv) = state.snapshot();
                // Only a rise whose answer came back out of order needs the count
                // (a scan of the grant log).
                let unordered_rise = sent_at < min_recv && remaining > state.remaining;
                let (from, to) = if min_sent <= sent_at {
                    (min_sent, sent_at)
                } else {
                    (sent_at, min_sent)
                };
                let from = from.saturating_sub(transit).max(MonoTime::ZERO);
                let to = to.saturating_add(transit).max(min_recv.min(received_at));
                seen.between = (unordered_rise && grants.covers(from)).then(|| {
                    grants
                        .sent_between(from, to)
                        .saturating_add(u64::from(self.in_flight))
                });
                state.update(w, &seen);
                continue;
            }
            let fresh = WindowState::first(key, w, &seen);
            if !self.windows.push(fresh) {
                // Replace the least recently observed window.
                let oldest = self.windows.iter_mut().min_by_key(|s| s.observed_at);
                if let Some(slot) = oldest {
                    *slot = fresh;
                    self.windows_replaced = self.windows_replaced.saturating_add(1);
                }
            }
        }
        // A window counts as reported when the response says how much it holds (a
        // policy listed without its state reports nothing). The keys are computed
        // once per answer (a response rarely states more than a few windows; past
        // 16 the rest count as unreported, which only adds the conservative floors).
        let stated = || {
            limits
                .windows()
                .filter(|w| w.effective_remaining().is_some())
        };
        let mut keys = [0u64; 16];
        let mut stated_count = 0usize;
        for (slot, w) in keys.iter_mut().zip(stated()) {
            *slot = window_key(w);
            stated_count = stated_count.saturating_add(1);
        }
        let keys = keys.get(..stated_count).unwrap_or(&[]);
        let reported = |key: u64| keys.contains(&key);
        // A family that reports one window at a time reports the one closest to
        // exhaustion: another window of the server holds at least the same share
        // of its limit. A window of it that the client entered on its own after its
        // end takes that share as a floor (it no longer waits for its own report).
        let share = stated()
            .filter(|w| w.policy.is_none())
            .find_map(|w| Some((w.source, w.effective_remaining()?, w.limit?)));
        if let Some((source, remaining, limit)) = share {
            for s in self.windows.iter_mut() {
                if s.source == source && !reported(s.key) {
                    s.share_floor(remaining, limit);
                }
            }
        }
        let seen = answer;
        for s in self.windows.iter_mut() {
            if !reported(s.key) {
                s.on_unreported_answer(&seen);
            }
        }
    }

    /// Requests sent and not yet answered.
    pub const fn in_flight(&self) -> u32 {
        self.in_flight
    }

    /// Requests sent so far.
    pub const fn sent_total(&self) -> u64 {
        self.sent_total
    }

    /// Consecutive failed attempts (reset by a success).
    pub const fn consecutive_failures(&self) -> u32 {
        self.failures
    }

    /// The smoothed round-trip time, once a response has been observed.
    pub const fn rtt(&self) -> Option<Duration> {
        self.rtt
    }

    /// Windows tracked.
    pub const fn window_count(&self) -> usize {
        self.windows.len()
    }

    /// Windows replaced because the capacity `W` was full.
    pub const fn windows_replaced(&self) -> u64 {
        self.windows_replaced
    }
}

/// True when another window of the same response describes the same quota (same
/// limit and remaining, another header family) with a reset at least as tight:
/// IETF fields and their legacy alias, for instance. The more precise one is kept,
/// and the coarser one would only add its rounding to every wait.
fn is_coarser_alias<const LW: usize, const LN: usize>(
    limits: &Limits<'_, LW, LN>,
    index: usize,
    w: &Window<'_>,
) -> bool {
    limits.windows().enumerate().any(|(j, v)| {
        j != index
            && v.source != w.source
            && v.limit.is_some()
            && v.limit == w.limit
            && v.effective_remaining() == w.effective_remaining()
            && match (v.reset, w.reset) {
                (Some(a), Some(b)) => a < b || (a == b && j < index),
                (Some(_), None) => true,
                _ => false,
            }
    })
}
