//! [`WindowState`]: the governor's belief about one quota window, kept as the
//! tightest state consistent with every response seen (`../shared/spec/governor.md`
//! sections 2.5-2.7; the reasoning is in `core/src/governor/README.md`).
//!
//! What each response proves, and what is kept:
//!
//! - **Remaining.** A response to a request that arrived at `a` (sent at `s`,
//!   received at `r`, so `s <= a <= r`) says how many units the server had left right
//!   after counting it. Within one cycle of a fixed window the count only grows, so
//!   the least `remaining` seen in the cycle is the newest state, whatever order the
//!   responses came back in. Own requests of the cycle whose acceptance has not been
//!   seen yet may not be in it: the units free for the next request are that least
//!   `remaining` minus them ([`WindowState::available`]).
//! - **The cycle's end.** A reset `t` received at `r` with precision `p` (whole
//!   seconds unless a sub-second value was ever seen) puts the end in `(s + t - p,
//!   r + t]`; the bounds of every response of one cycle are intersected. A rollover
//!   (remaining rising between a response and one to a request sent after it
//!   arrived) puts the previous end after the older request was sent and no later than
//!   the newer one arrived; every window of length `w` that counted a request arriving
//!   at `a` ends by `a + w`, whether the server aligns windows to its clock or opens
//!   them at the first hit, so the new cycle ends by `r + w`.
//! - **After the end.** The cycle is over once its latest possible end has passed;
//!   the client then counts its sends into the new cycle itself (sends that may have
//!   arrived after the earliest possible end count in both). A window seen to reset
//!   in bulk (the whole quota back at once, before a unit used late in the previous
//!   cycle could have expired from a sliding log or refilled in a bucket) starts the
//!   new cycle with its limit less the others' reserve; any other window starts with
//!   one unit: one probe goes, and its answer tells the rest. The new cycle never
//!   holds more than its limit minus the sends made into it, so waiting workers wake
//!   in a number the window can take.
//! - **Refilling windows** (sliding logs, token buckets): `remaining` rising between
//!   two ordered responses, or own requests not showing in its drop. A bucket whose
//!   reset is the time until full (consecutive responses fitting `limit - remaining ~
//!   rate x reset`, the reset pushed later by consumption) holds what the latest
//!   response said plus the refill since.
//! - **Other clients**: their use between two own responses of one cycle is the
//!   drop in `remaining` not explained by own requests (EWMA of the rate, alpha 0.5).

use core::time::Duration;

use super::MonoTime;
use super::whole_length::WholeLength;
use crate::model::{Source, Window};

/// EWMA weight of a new sample.
const ALPHA: f64 = 0.5;

/// Other clients' rate (requests per second) below which the estimate is the
/// decaying remainder of old samples, not evidence of anyone: one request in about
/// 17 minutes.
const MIN_OTHERS_RATE: f64 = 1e-3;

/// Identifies a window across responses: FNV-1a over its source, policy name, unit
/// and length, and, for a window without a policy name, its limit (families that
/// carry one window report whichever is closest to exhaustion, so the window behind
/// the same header names changes from response to response).
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
    if w.policy.is_none() {
        feed(1);
        for b in w.limit.unwrap_or(0).to_le_bytes() {
            feed(b);
        }
    }
    h
}

/// True for the families whose resets carry sub-second resolution: Discord's
/// `Reset-After` in milliseconds, OpenAI's Go durations, Anthropic's RFC 3339
/// instants. Every other family counts whole seconds (an epoch second read against a
/// `Date` refined by the client's clock shows milliseconds it does not have).
fn sub_second_family(source: Source) -> bool {
    matches!(source, Source::Discord | Source::OpenAi | Source::Anthropic)
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

/// One response's view of a window, as [`WindowState`] folds it in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Seen {
    /// Units left right after the server counted the request.
    pub remaining: u64,
    /// When the request left.
    pub sent: MonoTime,
    /// When its response arrived.
    pub received: MonoTime,
    /// The server counted the request (accepted, or a client error it processed).
    pub counted: bool,
    /// Own requests still in flight after this response.
    pub in_flight: u64,
    /// The server refused the request (a rate-limit rejection).
    pub rejected: bool,
    /// The longest one-way transit seen (half the largest RTT), for which sends may
    /// still land in a cycle.
    pub transit: Duration,
    /// Own requests that may have reached the server between the request that
    /// reported the least remaining so far and this one: accepted ones sent in
    /// between (one transit of slack on either side) plus all still in flight.
    /// `None` when the client's grant log no longer covers that span.
    pub between: Option<u64>,
}

/// The governor's memory of one window.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct WindowState {
    pub key: u64,
    /// The header family that reports the window.
    pub source: Source,
    pub limit: Option<u64>,
    pub length: Option<Duration>,
    pub observed_at: MonoTime,
    /// Every reset seen was a whole number of seconds: its precision is 1 s.
    coarse: bool,
    /// Least remaining the server reported in the current cycle (or, after the
    /// client entered a new cycle on its own, what it assumes the cycle holds).
    pub remaining: u64,
    /// Send and receive instants of the response that reported `remaining`.
    remaining_sent: MonoTime,
    remaining_recv: MonoTime,
    /// Own sends since that response arrived: surely not counted in `remaining`.
    sent_since_remaining: u64,
    /// `remaining` is the client's assumption, not yet a server's report.
    assumed: bool,
    /// Own sends counted into the current cycle.
    cycle_sent: u64,
    /// Of those, how many a response has shown counted in `remaining`.
    cycle_seen: u64,
    /// The latest own send into the current cycle.
    cycle_last_send: Option<MonoTime>,
    /// Send and receive instants of the first own request counted in the cycle:
    /// in a sliding log its unit is back by the receive instant plus the length.
    anchor: Option<(MonoTime, MonoTime)>,
    /// Instant the client entered the current cycle on its own (requests sent before
    /// it belong to the previous one, unless counted in both).
    cycle_began: MonoTime,
    /// Latest possible end of the current cycle (the reset), when known.
    pub end_hi: Option<MonoTime>,
    /// Earliest possible end of the current cycle.
    end_lo: MonoTime,
    /// Own sends that may land after the earliest possible end: they count in the
    /// next cycle too.
    next_sent: u64,
    /// After a local roll: sends from this instant on (plus transit) were carried
    /// into the new cycle; answers to earlier ones are not its business.
    carried_since: MonoTime,
    /// The first own send counted in `next_sent` (the earliest that may open the
    /// next cycle).
    next_first_send: Option<MonoTime>,
    /// The earliest own send that may have opened the current cycle, when the
    /// client entered it on its own.
    opener: Option<MonoTime>,
    /// The window was seen to give its whole quota back at once (a fixed window).
    pub bulk: bool,
    /// Other clients' requests per second (EWMA).
    pub others_rate: f64,
    /// 1 + other clients' requests per own request (EWMA).
    pub share: f64,
    others_signed: f64,
    share_signed: f64,
    /// `remaining` exactly as the latest ordered observation said it.
    pub last_remaining: u64,
    /// When the request of the latest observation was sent.
    pub last_sent: MonoTime,
    /// The latest observation's reset, as sent.
    last_reset: Option<Duration>,
    /// Increases of the reset over the current run of observations that fit a
    /// time-until-full bucket (`None`: the latest observation did not fit).
    full_run: Option<u8>,
    /// The window refills continuously (sliding log or token bucket).
    pub refills: bool,
    /// The window is a token bucket whose reset is the time until full.
    pub to_full: bool,
    /// A reset longer than one unit's refill time (plus the precision) was seen:
    /// a refilling window that is not a bucket's next token (a sliding log).
    long_reset: bool,
    /// A request this client sent was refused although the window had room for
    /// it by its own count: someone else uses the quota (sticky).
    contended: bool,
    /// When the cycle's first own unit is surely back in a sliding log.
    anchor_back: Option<MonoTime>,
    /// The window's length learned from fresh windows, when its headers lack it.
    whole: WholeLength,
}

impl WindowState {
    /// A window first seen in a response.
    pub fn first(key: u64, w: &Window<'_>, seen: &Seen) -> Self {
        let mut s = WindowState {
            key,
            source: w.source,
            limit: w.limit,
            length: w.window,
            observed_at: seen.received,
            coarse: true,
            remaining: seen.remaining,
            remaining_sent: seen.sent,
            remaining_recv: seen.received,
            sent_since_remaining: 0,
            assumed: false,
            cycle_sent: 0,
            cycle_seen: 0,
            cycle_last_send: None,
            anchor: None,
            cycle_began: MonoTime::ZERO,
            end_hi: None,
            end_lo: MonoTime::ZERO,
            next_sent: 0,
            carried_since: MonoTime::ZERO,
            next_first_send: None,
            opener: None,
            bulk: false,
            others_rate: 0.0,
            share: 1.0,
            others_signed: 0.0,
            share_signed: 1.0,
            last_remaining: seen.remaining,
            last_sent: seen.sent,
            last_reset: w.reset,
            full_run: None,
            refills: false,
            to_full: false,
            long_reset: false,
            contended: false,
            anchor_back: None,
            whole: WholeLength::default(),
        };
        s.note_fresh(w, seen, 0);
        s.start_cycle(w, seen);
        s
    }

    /// Units per second the window refills at: `limit / length`.
    pub fn rate(&self) -> Option<f64> {
        let secs = self.length?.as_secs_f64();
        let limit = self.limit?;
        (secs > 0.0 && limit > 0).then(|| limit as f64 / secs)
    }

    /// The precision of the resets seen.
    fn precision(&self) -> Duration {
        if self.coarse {
            Duration::from_secs(1)
        } else {
            Duration::from_millis(1)
        }
    }

    /// A new cycle whose first response is `seen`: the request it answers and every
    /// own request still in flight are in it.
    fn start_cycle(&mut self, w: &Window<'_>, seen: &Seen) {
        self.take_state(seen);
        self.assumed = false;
        self.cycle_sent = seen.in_flight.saturating_add(1);
        self.cycle_seen = u64::from(seen.counted);
        self.cycle_last_send = Some(seen.sent);
        self.anchor = seen.counted.then_some((seen.sent, seen.received));
        self.anchor_back = None;
        self.cycle_began = seen.sent;
        self.next_sent = 0;
        self.next_first_send = None;
        // Every window of this length that counted the request ends by its arrival
        // plus the length; the reset bounds it too.
        // A zero reset ("conforming now", as GCRA servers say while quota is
        // left) tells nothing about when a cycle ends.
        let reset = w.reset.filter(|t| !t.is_zero());
        let by_reset = reset.map(|t| seen.received.saturating_add(t));
        let by_length = self
            .length
            .or(self.whole.length().filter(|_| self.coarse))
            .filter(|_| !self.refills)
            .map(|l| seen.received.saturating_add(l));
        self.end_hi = match (by_reset, by_length) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.end_lo = match reset {
            Some(t) => seen.sent.saturating_add(t.saturating_sub(self.precision())),
            None => seen.sent,
        };
    }

    /// A first answer of a cycle: when it shows that this client opened the window
    /// (the limit less the request itself and `earlier` own requests that may have
    /// preceded it), its reset brackets a length the headers do not carry.
    fn note_fresh(&mut self, w: &Window<'_>, seen: &Seen, earlier: u64) {
        let (Some(limit), Some(t), None) = (self.limit, w.reset, self.length) else {
            return;
        };
        let fresh = seen.remaining.saturating_add(1).saturating_add(earlier) >= limit;
        if fresh && seen.counted && !self.refills && !self.to_full {
            // The window opened no earlier than the first own send that may have
            // opened it: the bracket reaches back to it.
            let opened = self.opener.map_or(seen.sent, |o| o.min(seen.sent));
            self.whole
                .observe_fresh(t, seen.received.saturating_since(opened));
        }
    }

    /// Takes `seen` as the newest state of the window.
    fn take_state(&mut self, seen: &Seen) {
        self.remaining = seen.remaining;
        self.remaining_sent = seen.sent;
        self.remaining_recv = seen.received;
        self.sent_since_remaining = 0;
    }

    /// Records an own send at `at`, entering the next cycle first when the current
    /// one has surely ended.
    pub fn on_send(&mut self, at: MonoTime, transit: Duration) {
        if self.end_hi.is_some_and(|end| at >= end) {
            self.roll_locally();
        }
        self.cycle_sent = self.cycle_sent.saturating_add(1);
        self.sent_since_remaining = self.sent_since_remaining.saturating_add(1);
        self.cycle_last_send = Some(at);
        if self.end_hi.is_some() && at.saturating_add(transit) >= self.end_lo {
            self.next_sent = self.next_sent.saturating_add(1);
            self.next_first_send.get_or_insert(at);
        }
        if self.assumed {
            self.opener.get_or_insert(at);
        }
    }

    /// What a new cycle holds before any response of it: the whole limit for a
    /// window seen to reset in bulk (or a bucket whose reset is the time until
    /// full) that no other client is seen using; one unit (a probe) otherwise:
    /// its answer tells the rest.
    fn fresh_remaining(&self) -> u64 {
        match (self.bulk || self.to_full, self.limit) {
            (true, Some(limit)) if !self.shared() => limit.max(1),
            _ => 1,
        }
    }

    /// Units free once the cycle's latest possible end has passed, before the next
    /// cycle's first answer: what the new cycle is assumed to hold less the sends
    /// already made into it, and never less than what the old state still proves
    /// (a count only falls by consumption: a fixed window's reset, a log's expiry
    /// and a bucket's refill all give units back).
    fn after_end(&self) -> u64 {
        let carried = self.remaining.saturating_sub(self.pending());
        self.fresh_remaining()
            .saturating_sub(self.next_sent)
            .max(carried)
    }

    /// Enters the next cycle without a response (its latest possible end passed).
    fn roll_locally(&mut self) {
        let end = self.end_hi.unwrap_or(self.end_lo);
        self.carried_since = self.end_lo;
        self.remaining = self.after_end().saturating_add(self.next_sent);
        self.assumed = true;
        self.sent_since_remaining = self.next_sent;
        self.cycle_sent = self.next_sent;
        self.cycle_seen = 0;
        self.cycle_last_send = None;
        self.anchor = None;
        self.anchor_back = None;
        self.cycle_began = end;
        self.end_hi = None;
        self.end_lo = end;
        self.opener = self.next_first_send.take();
        self.next_sent = 0;
    }

    /// Units free for a request sent at `now`, before any reserve for others: the
    /// newest known remaining less own requests not yet seen counted in it (after
    /// the cycle's latest possible end: the new cycle's assumption less the sends
    /// already made into it). A time-until-full bucket adds its refill since.
    pub fn available(&self, now: MonoTime) -> u64 {
        if self.end_hi.is_some_and(|end| now >= end) {
            return self.after_end();
        }
        let pending = self.cycle_sent.saturating_sub(self.cycle_seen);
        self.reported(now).saturating_sub(pending)
    }

    /// Own requests of the cycle not yet seen counted.
    pub fn pending(&self) -> u64 {
        self.cycle_sent.saturating_sub(self.cycle_seen)
    }

    /// Units own requests in flight may be holding: the newest known state less
    /// the own sends made since it arrived (those are surely not in it). Their
    /// answers will tell whether the server counted them already.
    pub fn held_by_own(&self, now: MonoTime) -> u64 {
        self.reported(now)
            .saturating_sub(self.sent_since_remaining)
            .min(self.cycle_sent.saturating_sub(self.cycle_seen))
    }

    /// Units the newest known state holds for a request sent at `now`, before own
    /// requests not yet seen counted are taken off.
    pub fn reported(&self, now: MonoTime) -> u64 {
        if self.end_hi.is_some_and(|end| now >= end) {
            return self.after_end().saturating_add(self.next_sent);
        }
        match self.projected(now) {
            // Truncation is the floor of a non-negative level.
            Some(level) => level as u64,
            None => self.remaining,
        }
    }

    /// Send and receive instants of the response that reported the least
    /// remaining (the newest state of a fixed window).
    pub fn snapshot(&self) -> (MonoTime, MonoTime) {
        (self.remaining_sent, self.remaining_recv)
    }

    /// True when own units come back one by one, one length after they were taken
    /// (a sliding log a lone client uses): the grant log then says when.
    pub fn returns_by_grant(&self) -> bool {
        self.refills && self.long_reset && !self.to_full && !self.shared() && self.length.is_some()
    }

    /// The instant the current cycle surely ends (the reset), when known.
    pub fn reset_at(&self) -> Option<MonoTime> {
        match (
            self.end_hi,
            self.anchor_back.filter(|_| self.returns_by_grant()),
        ) {
            (Some(e), Some(a)) => Some(e.min(a)),
            (e, a) => e.or(a),
        }
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
    pub fn update(&mut self, w: &Window<'_>, seen: &Seen) {
        self.limit = w.limit.or(self.limit);
        self.length = w.window.or(self.length);
        if w.reset.is_some_and(|t| t.subsec_nanos() != 0) && sub_second_family(w.source) {
            self.coarse = false;
        }
        if let (Some(t), Some(rate)) = (w.reset, self.rate()) {
            if t.as_secs_f64() > 1.0 / rate + self.precision().as_secs_f64() {
                self.long_reset = true;
            }
        }
        // The request left after the response that reported the least remaining
        // arrived: it reached the server later.
        let ordered = seen.sent >= self.remaining_recv;
        let rose = seen.remaining > self.remaining;
        // The server shows a new cycle: its count went down between two requests
        // that reached it in order.
        // (A bucket's count, or a shared sliding log's, goes down and up all the
        // time: its newest ordered response is simply the newest state.)
        // A request that left before that response arrived may have reached the
        // server earlier, but then at most the own requests in between separate the
        // two counts (a lone client): a larger rise is a new cycle all the same.
        let beyond_reorder = !self.shared()
            && seen
                .between
                .is_some_and(|n| seen.remaining > self.remaining.saturating_add(n));
        let server_rolled = !self.assumed
            && (ordered || beyond_reorder)
            && rose
            && !self.to_full
            && !(self.refills && self.shared());
        // Otherwise, once the cycle's latest possible end has passed, the client is
        // in the next one.
        if !server_rolled && self.end_hi.is_some_and(|end| seen.received >= end) {
            self.roll_locally();
        }
        let stale = seen.sent < self.cycle_began;
        if seen.rejected && !stale && !self.assumed && self.remaining > 0 {
            self.contended = true;
        }
        if seen.rejected {
            self.whole.refute();
        }
        let dt_obs = seen
            .received
            .saturating_since(self.observed_at)
            .as_secs_f64();
        if server_rolled {
            let returned = seen.remaining.saturating_sub(self.remaining);
            if seen.received > self.remaining_recv {
                self.refill_evidence(returned, seen);
            }
            let old_min_sent = self.remaining_sent;
            self.start_cycle(w, seen);
            if let Some(length) = self.length.filter(|_| !self.refills) {
                // The previous end came after the older request left.
                self.end_lo = self.end_lo.max(old_min_sent.saturating_add(length));
            }
        } else if self.assumed && !stale {
            // The first answer of a cycle the client entered on its own.
            let carried = self.cycle_sent;
            // Only part of the quota back after the end, and nobody else seen: the
            // units come back one by one (a sliding log, a bucket's next token).
            if !self.bulk
                && self.long_reset
                && !self.shared()
                && self
                    .limit
                    .is_some_and(|l| seen.remaining.saturating_add(carried).saturating_mul(2) < l)
            {
                self.refills = true;
            }
            let seen_before = self.cycle_seen;
            self.note_fresh(w, seen, carried.saturating_sub(1));
            self.start_cycle(w, seen);
            // The sends carried in, and the answers to them already seen (the
            // family may have reported another window in them), stay as they were.
            self.cycle_sent = carried.max(seen.in_flight.saturating_add(1));
            self.cycle_seen = seen_before
                .saturating_add(u64::from(seen.counted))
                .min(self.cycle_sent);
        } else if stale {
            // A request of the previous cycle, or one that may have landed in this
            // one: its unit is accounted for either way, and what it reports is a
            // floor either way (an old cycle's count is only lower than the new
            // one's); a reset still ahead bounds the cycle it landed in.
            let carried = seen.sent.saturating_add(seen.transit) >= self.carried_since;
            if seen.counted && carried && self.cycle_seen < self.cycle_sent {
                self.cycle_seen = self.cycle_seen.saturating_add(1);
            }
            if seen.remaining < self.remaining {
                self.take_state(seen);
            }
            if let Some(t) = w.reset.filter(|t| !t.is_zero()) {
                let hi = seen.received.saturating_add(t);
                self.end_hi = Some(self.end_hi.map_or(hi, |e| e.min(hi)));
            }
        } else {
            // Others' use between this response and the newest state before it.
            if ordered {
                self.estimate_others(self.remaining, seen, dt_obs);
            }
            // The same cycle: the least remaining is the newest state (a bucket's
            // level rises: the latest ordered response is).
            if seen.counted {
                self.cycle_seen = self.cycle_seen.saturating_add(1).min(self.cycle_sent);
            }
            // Its answer continues this cycle: the request landed in it, not in the
            // next one it was carried into as a precaution.
            if self.end_hi.is_some() && seen.sent.saturating_add(seen.transit) >= self.end_lo {
                self.next_sent = self.next_sent.saturating_sub(1);
            }
            let newer = if self.to_full || (self.refills && self.shared()) {
                // A level that rises: the latest ordered answer is the newest
                // state; a lower one that came back out of order is a floor.
                ordered || seen.remaining < self.remaining
            } else {
                seen.remaining <= self.remaining
            };
            if newer {
                self.take_state(seen);
            }
            // The cycle's end, intersected over its responses; a refilling window's
            // reset is the server's latest word.
            if let Some(t) = w.reset.filter(|t| !t.is_zero()) {
                let hi = seen.received.saturating_add(t);
                let lo = seen.sent.saturating_add(t.saturating_sub(self.precision()));
                // A fixed window's end never moves; one that moves later than
                // rounding and transit explain is a refilling window's next unit.
                let slack = self
                    .precision()
                    .saturating_add(seen.transit.saturating_mul(2));
                let fits_bucket = match (self.limit, self.rate()) {
                    (Some(limit), Some(rate)) => fits_time_to_full(limit, rate, seen.remaining, t),
                    _ => false,
                };
                if !self.bulk
                    && !fits_bucket
                    && self.end_hi.is_some_and(|e| hi > e.saturating_add(slack))
                {
                    self.refills = true;
                }
                if self.refills {
                    self.end_hi = Some(hi);
                    self.end_lo = lo.min(hi);
                } else {
                    self.end_hi = Some(self.end_hi.map_or(hi, |e| e.min(hi)));
                    self.end_lo = self.end_lo.max(lo).min(self.end_hi.unwrap_or(hi));
                }
            }
        }
        // A sliding log gives the cycle's first own unit back one length after it
        // arrived, which can be well before a reset rounded up to whole seconds;
        // only for a lone client (a sharer may take it first), and only while that
        // unit is surely still out.
        if let (true, Some((sent, received)), Some(length)) =
            (self.returns_by_grant(), self.anchor, self.length)
        {
            if sent.saturating_add(length) > seen.received {
                self.anchor_back = Some(received.saturating_add(length));
            }
        }
        if !stale {
            self.track_time_to_full(seen.remaining, w.reset);
            self.last_remaining = seen.remaining;
            self.last_sent = seen.sent;
            self.last_reset = w.reset;
        }
        self.observed_at = self.observed_at.max(seen.received);
    }

    /// Folds in other clients' use between the previous ordered response and
    /// `seen`: the drop not explained by own requests, nor by what a bucket refilled
    /// meanwhile (between the two requests' arrivals). Where units come back
    /// (refilling windows) single samples swing both ways: they are averaged signed.
    fn estimate_others(&mut self, before: u64, seen: &Seen, dt_obs: f64) {
        if dt_obs <= 0.0 || !seen.counted {
            return;
        }
        let dropped = before as f64 - seen.remaining as f64;
        let refilled = match (self.to_full, self.rate()) {
            (true, Some(rate)) => rate * seen.sent.saturating_since(self.last_sent).as_secs_f64(),
            _ => 0.0,
        };
        let others = dropped + refilled - 1.0 - seen.in_flight as f64;
        let others = if refilled > 0.0 {
            others
        } else {
            others.max(0.0)
        };
        let rate = others / dt_obs;
        self.others_signed = ALPHA * rate + (1.0 - ALPHA) * self.others_signed;
        self.others_rate = self.others_signed.max(0.0);
        let share = 1.0 + others;
        self.share_signed = ALPHA * share + (1.0 - ALPHA) * self.share_signed;
        self.share = self.share_signed.max(1.0);
    }

    /// Classifies a rise of `returned` units between the response that reported the
    /// least remaining and `seen`. The whole limit back (all but the request
    /// itself) while an own unit of the previous cycle is surely still out of a
    /// sliding log (sent less than one length before this answer) is a bulk reset:
    /// a sliding log or a bucket cannot do that. A small part of the limit back is a
    /// refill. Anything in between proves nothing: the window stays on probes.
    fn refill_evidence(&mut self, returned: u64, seen: &Seen) {
        let Some(limit) = self.limit else {
            return;
        };
        let unexpired = match (self.cycle_last_send, self.length) {
            (Some(last), Some(length)) => last.saturating_add(length) > seen.received,
            _ => false,
        };
        let refill_bound = self.rate().map_or(f64::INFINITY, |rate| {
            rate * seen
                .received
                .saturating_since(self.remaining_sent)
                .as_secs_f64()
                + 1.0
        });
        if unexpired && seen.remaining.saturating_add(1) >= limit {
            self.bulk = true;
        } else if !self.bulk
            && (returned as f64) <= refill_bound
            && returned.saturating_mul(2) < limit
        {
            self.refills = true;
        }
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
        match (at, self.end_hi) {
            (Some(a), Some(r)) => Some(a.min(r)),
            (a, r) => a.or(r),
        }
    }

    /// Units other clients are estimated to have in flight: their rate times the RTT.
    pub fn others_in_flight(&self, rtt: Duration) -> u64 {
        if self.others_rate < MIN_OTHERS_RATE {
            return 0;
        }
        ceil_u64(self.others_rate * rtt.as_secs_f64())
    }

    /// An answer to an own request that does not report this window (its family
    /// reported another one): the server counted the request here too.
    pub fn on_unreported_answer(&mut self, seen: &Seen) {
        let in_cycle = seen.sent >= self.cycle_began
            || seen.sent.saturating_add(seen.transit) >= self.carried_since;
        if seen.counted && in_cycle && self.cycle_seen < self.cycle_sent {
            self.cycle_seen = self.cycle_seen.saturating_add(1);
        }
    }

    /// The family reported another window with `remaining` of `limit` left, and
    /// reports the window closest to exhaustion: this one holds at least that share
    /// of its own limit. Used once this window's end has passed (the client entered
    /// its new cycle on its own); before that its own report is newer.
    pub fn share_floor(&mut self, remaining: u64, limit: u64) {
        let (Some(own_limit), true) = (self.limit, self.assumed) else {
            return;
        };
        let floor = u128::from(own_limit)
            .saturating_mul(u128::from(remaining))
            .checked_div(u128::from(limit))
            .unwrap_or(0);
        let floor = u64::try_from(floor).unwrap_or(u64::MAX).min(own_limit);
        self.remaining = self.remaining.max(floor);
    }

    /// True when other clients are seen spending this window's quota.
    pub fn shared(&self) -> bool {
        self.others_rate >= MIN_OTHERS_RATE || self.contended
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(remaining: u64, reset_ms: u64, limit: u64, length_s: u64) -> Window<'static> {
        let mut w = Window::new(Source::IetfDraft08);
        w.limit = Some(limit);
        w.remaining = Some(remaining);
        w.reset = Some(Duration::from_millis(reset_ms));
        w.window = Some(Duration::from_secs(length_s));
        w
    }

    fn ms(x: u64) -> MonoTime {
        MonoTime::from_millis(x)
    }

    fn seen(remaining: u64, sent: u64, received: u64, in_flight: u64) -> Seen {
        Seen {
            remaining,
            sent: ms(sent),
            received: ms(received),
            counted: true,
            rejected: false,
            in_flight,
            transit: Duration::from_millis(25),
            between: None,
        }
    }

    #[test]
    fn whole_second_resets_are_intersected_within_a_cycle() {
        // 100 per 10 s; the server rounds the reset up.
        let mut s = WindowState::first(1, &policy(99, 10_000, 100, 10), &seen(99, 200, 300, 0));
        assert_eq!(s.end_hi, Some(ms(10_300)));
        s.on_send(ms(1100), Duration::from_millis(50));
        // 0.9 s later the server says 9 s: the end is no later than 9.3 s + 0.9 s.
        s.update(&policy(98, 9000, 100, 10), &seen(98, 1100, 1200, 0));
        assert_eq!(s.end_hi, Some(ms(10_200)));
        assert_eq!(s.available(ms(1200)), 98);
    }

    #[test]
    fn own_requests_in_flight_are_not_free_units() {
        let mut s = WindowState::first(1, &policy(4, 2000, 5, 2), &seen(4, 0, 10, 0));
        for at in [10, 11, 12] {
            s.on_send(ms(at), Duration::from_millis(5));
        }
        assert_eq!(s.available(ms(12)), 1);
        // A response comes back out of order: the count it shows includes requests
        // whose answers are still out.
        s.update(&policy(1, 2000, 5, 2), &seen(1, 12, 20, 2));
        assert_eq!(s.available(ms(20)), 0);
        s.update(&policy(3, 2000, 5, 2), &seen(3, 10, 21, 1));
        s.update(&policy(2, 2000, 5, 2), &seen(2, 11, 22, 0));
        assert_eq!(s.available(ms(22)), 1);
    }

    #[test]
    fn after_the_reset_a_probe_goes_first_then_the_answer_releases_the_rest() {
        let mut s = WindowState::first(1, &policy(0, 2000, 5, 2), &seen(0, 0, 10, 0));
        assert_eq!(s.available(ms(1000)), 0);
        // Past the latest possible end: one unit, not the whole limit.
        assert_eq!(s.available(ms(2010)), 1);
        s.on_send(ms(2010), Duration::from_millis(5));
        assert_eq!(s.available(ms(2011)), 0);
        s.update(&policy(4, 2000, 5, 2), &seen(4, 2010, 2020, 0));
        assert_eq!(s.available(ms(2020)), 4);
    }

    #[test]
    fn a_bulk_reset_is_learned_and_then_releases_the_whole_limit() {
        // 10 per 1 s aligned windows; one request every 100 ms.
        let mut s = WindowState::first(1, &policy(9, 1000, 10, 1), &seen(9, 0, 20, 0));
        let mut remaining = 9;
        for i in 1..=9u64 {
            s.on_send(ms(100 * i), Duration::from_millis(10));
            remaining -= 1;
            s.update(
                &policy(remaining, 1000, 10, 1),
                &seen(remaining, 100 * i, 100 * i + 20, 0),
            );
        }
        assert_eq!(s.available(ms(920)), 0);
        // The server's window ended at 950 ms; the request sent at 1000 ms shows it.
        s.on_send(ms(1000), Duration::from_millis(10));
        s.update(&policy(9, 1000, 10, 1), &seen(9, 1000, 1020, 0));
        assert!(s.bulk, "{s:?}");
        assert_eq!(s.end_hi, Some(ms(2020)));
        assert_eq!(s.end_lo, ms(1900));
        // Drained; after the end the whole limit is free for the waiting workers.
        for i in 1..=9u64 {
            s.on_send(ms(1000 + i), Duration::from_millis(10));
        }
        assert_eq!(s.available(ms(1500)), 0);
        assert_eq!(s.available(ms(2020)), 10);
        s.on_send(ms(2020), Duration::from_millis(10));
        assert_eq!(s.available(ms(2021)), 9);
    }

    #[test]
    fn a_time_to_full_bucket_is_detected_and_projected() {
        // 100 tokens, refilled from empty in 20 s (5/s); one request every 50 ms, so
        // the level after i requests is 100 - 0.75 i and the reset ceil(0.15 i) s.
        let mut s = WindowState::first(1, &policy(99, 1000, 100, 20), &seen(99, 0, 50, 0));
        for i in 1..=14u64 {
            let r = (400 - 3 * i) / 4;
            let t = (3 * i).div_ceil(20);
            s.on_send(ms(50 * i), Duration::from_millis(25));
            s.update(
                &policy(r, 1000 * t, 100, 20),
                &seen(r, 50 * i, 50 * i + 50, 0),
            );
        }
        assert!(s.to_full && s.refills);
        assert_eq!(s.projected(ms(700)).map(|l| l as u64), Some(89));
        let at = s.refilled_at(90).unwrap();
        assert!(at >= ms(900) && at <= ms(1000), "{at:?}");
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
