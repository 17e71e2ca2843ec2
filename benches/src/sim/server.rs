//! The simulated server: quota windows (fixed, sliding log, token bucket) that admit or
//! reject each request at its arrival instant, and the header bytes a real server would
//! send back (`../shared/spec/governor.md` section 3, "Server").
//!
//! A request is accepted iff every window has capacity; it then consumes one unit in
//! each. Times are virtual microseconds since the start of the run; fixed windows are
//! aligned to t = 0 of the server's clock.

use std::collections::VecDeque;
use std::fmt::Write as _;

use super::{Micros, SEC};

use ratelimit_governor::UnixTime;
use ratelimit_governor::time::ImfFixdate;

/// Wall-clock instant (Unix seconds) of virtual t = 0 on the server's clock. A multiple
/// of 86 400, so day windows aligned to t = 0 are also aligned to UTC midnight.
pub const BASE_EPOCH_SECS: i64 = 1_699_920_000;

/// How a window counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowKind {
    /// Fixed windows `[k·length, (k+1)·length)` aligned to t = 0.
    Fixed,
    /// A sliding log: at most `limit` accepted requests in any `length`.
    Sliding,
    /// A token bucket of `limit` tokens, refilled from empty to full in `length`
    /// (rate `limit / length`), full at t = 0.
    TokenBucket,
}

/// One quota window of the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WindowSpec {
    /// Policy name sent in the IETF headers.
    pub name: &'static str,
    /// How it counts.
    pub kind: WindowKind,
    /// Requests per window (bucket capacity).
    pub limit: u64,
    /// Window length (bucket: time to refill from empty), in microseconds.
    pub length: Micros,
}

impl WindowSpec {
    /// `limit` requests per fixed window of `secs` seconds.
    pub const fn fixed(name: &'static str, limit: u64, secs: u64) -> Self {
        WindowSpec {
            name,
            kind: WindowKind::Fixed,
            limit,
            length: secs * SEC,
        }
    }

    /// At most `limit` requests in any `secs` seconds.
    pub const fn sliding(name: &'static str, limit: u64, secs: u64) -> Self {
        WindowSpec {
            name,
            kind: WindowKind::Sliding,
            limit,
            length: secs * SEC,
        }
    }

    /// A bucket of `capacity` tokens refilled from empty in `secs` seconds.
    pub const fn bucket(name: &'static str, capacity: u64, secs: u64) -> Self {
        WindowSpec {
            name,
            kind: WindowKind::TokenBucket,
            limit: capacity,
            length: secs * SEC,
        }
    }
}

/// Which headers the server sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderFormat {
    /// No rate-limit headers (only `Retry-After` on 429, if enabled).
    None,
    /// IETF draft-08: `RateLimit-Policy: "n";q=L;w=W` and `RateLimit: "n";r=R;t=T`
    /// for every window, `t` in whole seconds rounded up.
    Ietf,
    /// Legacy `X-RateLimit-Limit/-Remaining/-Reset` for the window closest to
    /// exhaustion, reset as a Unix epoch in whole seconds rounded up (GitHub style).
    LegacyEpoch,
    /// Legacy `X-RateLimit-Limit/-Remaining` plus `X-RateLimit-Reset-After` in seconds
    /// with millisecond precision (Discord style) for the window closest to exhaustion.
    LegacyResetAfterMs,
}

/// What a token bucket's advertised reset means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BucketReset {
    /// Time until the bucket is full again (draft-08 "until the quota resets").
    Full,
    /// Time until the next token (draft-10 "until additional quota is made available").
    NextToken,
}

/// How the server behaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerConfig {
    /// The windows; a request needs capacity in all of them.
    pub windows: Vec<WindowSpec>,
    /// Rate-limit headers.
    pub format: HeaderFormat,
    /// Send a `Date` header (the server's clock, whole seconds).
    pub date: bool,
    /// Send `Retry-After` on 429: seconds to the latest violated window's next free
    /// unit, rounded up.
    pub retry_after: bool,
    /// Rejected requests also consume a unit in every window.
    pub count_rejected: bool,
    /// Token-bucket reset semantics.
    pub bucket_reset: BucketReset,
}

impl ServerConfig {
    /// IETF headers, `Date`, `Retry-After`, rejections not counted.
    pub fn ietf(windows: Vec<WindowSpec>) -> Self {
        ServerConfig {
            windows,
            format: HeaderFormat::Ietf,
            date: true,
            retry_after: true,
            count_rejected: false,
            bucket_reset: BucketReset::Full,
        }
    }
}

/// A response as the server sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimResponse {
    /// 200 or 429.
    pub status: u16,
    /// Header lines, as sent.
    pub headers: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
enum Counter {
    Fixed {
        index: u64,
        count: u64,
    },
    Sliding {
        log: VecDeque<Micros>,
    },
    /// `level` in units where one token is `length` units; accrues `limit` per µs.
    Bucket {
        level: u128,
        at: Micros,
    },
}

/// One window's counter.
#[derive(Clone, Debug)]
struct WindowCounter {
    spec: WindowSpec,
    counter: Counter,
}

fn ceil_div(a: u128, b: u128) -> u128 {
    if b == 0 { 0 } else { a.div_ceil(b) }
}

impl WindowCounter {
    fn new(spec: WindowSpec) -> Self {
        let counter = match spec.kind {
            WindowKind::Fixed => Counter::Fixed { index: 0, count: 0 },
            WindowKind::Sliding => Counter::Sliding {
                log: VecDeque::new(),
            },
            WindowKind::TokenBucket => Counter::Bucket {
                level: Self::full(&spec),
                at: 0,
            },
        };
        WindowCounter { spec, counter }
    }

    fn full(spec: &WindowSpec) -> u128 {
        u128::from(spec.limit) * u128::from(spec.length)
    }

    /// Brings the counter to time `t` (never backwards).
    fn roll(&mut self, t: Micros) {
        let spec = self.spec;
        match &mut self.counter {
            Counter::Fixed { index, count } => {
                let now = t / spec.length.max(1);
                if now > *index {
                    *index = now;
                    *count = 0;
                }
            }
            Counter::Sliding { log } => {
                while log.front().is_some_and(|&e| e + spec.length <= t) {
                    log.pop_front();
                }
            }
            Counter::Bucket { level, at } => {
                if t > *at {
                    let gained = u128::from(t - *at) * u128::from(spec.limit);
                    *level = (*level + gained).min(Self::full(&spec));
                    *at = t;
                }
            }
        }
    }

    fn remaining(&self) -> u64 {
        match &self.counter {
            Counter::Fixed { count, .. } => self.spec.limit.saturating_sub(*count),
            Counter::Sliding { log } => self.spec.limit.saturating_sub(log.len() as u64),
            Counter::Bucket { level, .. } => (*level / u128::from(self.spec.length.max(1))) as u64,
        }
    }

    fn take(&mut self, t: Micros) {
        let length = u128::from(self.spec.length);
        match &mut self.counter {
            Counter::Fixed { count, .. } => *count += 1,
            Counter::Sliding { log } => log.push_back(t),
            Counter::Bucket { level, .. } => *level = level.saturating_sub(length),
        }
    }

    /// The advertised time until the window resets, at `t` (after `roll`).
    fn reset_after(&self, t: Micros, bucket: BucketReset) -> Micros {
        let spec = self.spec;
        match &self.counter {
            Counter::Fixed { index, .. } => (index + 1) * spec.length - t,
            Counter::Sliding { log } => log.front().map_or(spec.length, |&e| e + spec.length - t),
            Counter::Bucket { level, .. } => {
                let rate = u128::from(spec.limit);
                let missing = match bucket {
                    BucketReset::Full => Self::full(&spec) - *level,
                    BucketReset::NextToken => {
                        let length = u128::from(spec.length.max(1));
                        if *level >= Self::full(&spec) {
                            0
                        } else {
                            length - *level % length
                        }
                    }
                };
                ceil_div(missing, rate) as Micros
            }
        }
    }

    /// The earliest instant at or after `t` (after `roll`) with a free unit.
    fn free_at(&self, t: Micros) -> Micros {
        let spec = self.spec;
        match &self.counter {
            Counter::Fixed { index, count } => {
                if *count < spec.limit {
                    t
                } else {
                    (index + 1) * spec.length
                }
            }
            Counter::Sliding { log } => {
                let used = log.len() as u64;
                if used < spec.limit {
                    t
                } else {
                    let i = (used - spec.limit) as usize;
                    log.get(i).map_or(t, |&e| e + spec.length)
                }
            }
            Counter::Bucket { level, .. } => {
                let length = u128::from(spec.length);
                if *level >= length {
                    t
                } else {
                    t + ceil_div(length - *level, u128::from(spec.limit)) as Micros
                }
            }
        }
    }
}

/// The server's counters.
#[derive(Clone, Debug)]
pub struct Server {
    config: ServerConfig,
    windows: Vec<WindowCounter>,
    /// Requests accepted so far.
    pub accepted: u64,
    /// Requests rejected so far.
    pub rejected: u64,
}

/// `secs` since the epoch as an IMF-fixdate (`Tue, 14 Nov 2023 22:13:20 GMT`).
pub fn imf_fixdate(secs: i64) -> String {
    ImfFixdate(UnixTime::from_secs(secs)).to_string()
}

fn ceil_secs(us: Micros) -> u64 {
    us.div_ceil(SEC)
}

impl Server {
    /// A server whose windows are all fresh at t = 0.
    pub fn new(config: ServerConfig) -> Self {
        let windows = config
            .windows
            .iter()
            .copied()
            .map(WindowCounter::new)
            .collect();
        Server {
            config,
            windows,
            accepted: 0,
            rejected: 0,
        }
    }

    fn roll(&mut self, t: Micros) {
        for w in &mut self.windows {
            w.roll(t);
        }
    }

    /// The earliest instant at or after `t` at which a request would be accepted
    /// (the oracle's view of the counters). Advances the counters to that instant, so
    /// later calls must not ask about earlier ones.
    pub fn earliest_conforming(&mut self, t: Micros) -> Micros {
        let mut t = t;
        loop {
            self.roll(t);
            let next = self.windows.iter().map(|w| w.free_at(t)).max().unwrap_or(t);
            if next <= t {
                return t;
            }
            t = next;
        }
    }

    /// Admits one request at `t` without producing a response (the oracle). The
    /// caller has checked [`Server::earliest_conforming`].
    pub fn admit(&mut self, t: Micros) {
        self.roll(t);
        for w in &mut self.windows {
            w.take(t);
        }
        self.accepted += 1;
    }

    /// Handles a request arriving at `t`: accept or reject it, and build the response.
    pub fn handle(&mut self, t: Micros) -> SimResponse {
        self.roll(t);
        let accepted = self.windows.iter().all(|w| w.remaining() > 0);
        // Retry-After: to the latest violated window's next free unit.
        let wait = if accepted {
            0
        } else {
            self.windows
                .iter()
                .filter(|w| w.remaining() == 0)
                .map(|w| w.free_at(t) - t)
                .max()
                .unwrap_or(0)
        };
        if accepted || self.config.count_rejected {
            for w in &mut self.windows {
                w.take(t);
            }
        }
        if accepted {
            self.accepted += 1;
        } else {
            self.rejected += 1;
        }
        let status = if accepted { 200 } else { 429 };
        let mut headers = Vec::with_capacity(4);
        if self.config.date {
            let wall = BASE_EPOCH_SECS + (t / SEC) as i64;
            headers.push(("Date".to_owned(), imf_fixdate(wall)));
        }
        self.rate_limit_headers(t, &mut headers);
        if !accepted && self.config.retry_after {
            headers.push(("Retry-After".to_owned(), ceil_secs(wait).max(1).to_string()));
        }
        SimResponse { status, headers }
    }

    /// The window a legacy single-window header reports: an exhausted one with the
    /// longest reset, else the one with the smallest share of its limit left.
    fn closest_to_exhaustion(&self, t: Micros) -> Option<&WindowCounter> {
        let bucket = self.config.bucket_reset;
        let exhausted = self
            .windows
            .iter()
            .filter(|w| w.remaining() == 0)
            .max_by_key(|w| w.reset_after(t, bucket));
        exhausted.or_else(|| {
            self.windows.iter().min_by(|a, b| {
                let left = u128::from(a.remaining()) * u128::from(b.spec.limit);
                let right = u128::from(b.remaining()) * u128::from(a.spec.limit);
                left.cmp(&right)
            })
        })
    }

    fn rate_limit_headers(&self, t: Micros, out: &mut Vec<(String, String)>) {
        let bucket = self.config.bucket_reset;
        match self.config.format {
            HeaderFormat::None => {}
            HeaderFormat::Ietf => {
                let mut policy = String::new();
                let mut state = String::new();
                for (i, w) in self.windows.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    let _ = write!(
                        policy,
                        "{sep}\"{}\";q={};w={}",
                        w.spec.name,
                        w.spec.limit,
                        ceil_secs(w.spec.length).max(1)
                    );
                    let _ = write!(
                        state,
                        "{sep}\"{}\";r={};t={}",
                        w.spec.name,
                        w.remaining(),
                        ceil_secs(w.reset_after(t, bucket))
                    );
                }
                out.push(("RateLimit-Policy".to_owned(), policy));
                out.push(("RateLimit".to_owned(), state));
            }
            HeaderFormat::LegacyEpoch | HeaderFormat::LegacyResetAfterMs => {
                let Some(w) = self.closest_to_exhaustion(t) else {
                    return;
                };
                out.push(("X-RateLimit-Limit".to_owned(), w.spec.limit.to_string()));
                out.push((
                    "X-RateLimit-Remaining".to_owned(),
                    w.remaining().to_string(),
                ));
                let reset = w.reset_after(t, bucket);
                if self.config.format == HeaderFormat::LegacyEpoch {
                    let at = u64::try_from(BASE_EPOCH_SECS).unwrap_or(0) * SEC + t + reset;
                    out.push(("X-RateLimit-Reset".to_owned(), ceil_secs(at).to_string()));
                } else {
                    let ms = reset.div_ceil(1000);
                    out.push((
                        "X-RateLimit-Reset-After".to_owned(),
                        format!("{}.{:03}", ms / 1000, ms % 1000),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imf_fixdate_matches_the_spec_example() {
        assert_eq!(imf_fixdate(1_700_000_000), "Tue, 14 Nov 2023 22:13:20 GMT");
        assert_eq!(imf_fixdate(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    }

    #[test]
    fn fixed_window_rejects_the_limit_plus_one_and_rounds_reset_up() {
        let mut s = Server::new(ServerConfig::ietf(vec![WindowSpec::fixed("m", 2, 60)]));
        assert_eq!(s.handle(SEC / 2).status, 200);
        assert_eq!(s.handle(SEC).status, 200);
        let r = s.handle(SEC + 1);
        assert_eq!(r.status, 429);
        let get = |name: &str| r.headers.iter().find(|h| h.0 == name).map(|h| h.1.clone());
        assert_eq!(get("RateLimit").as_deref(), Some("\"m\";r=0;t=59"));
        assert_eq!(get("Retry-After").as_deref(), Some("59"));
        assert_eq!(s.handle(60 * SEC).status, 200);
    }

    #[test]
    fn sliding_log_frees_the_oldest_unit() {
        let mut s = Server::new(ServerConfig::ietf(vec![WindowSpec::sliding("s", 2, 10)]));
        s.handle(SEC);
        s.handle(2 * SEC);
        assert_eq!(s.handle(11 * SEC - 1).status, 429);
        assert_eq!(s.earliest_conforming(11 * SEC - 1), 11 * SEC);
        assert_eq!(s.handle(11 * SEC).status, 200);
    }

    #[test]
    fn token_bucket_refills_at_its_rate() {
        // 10 tokens, refilled from empty in 10 s: one per second.
        let mut s = Server::new(ServerConfig::ietf(vec![WindowSpec::bucket("b", 10, 10)]));
        for _ in 0..10 {
            assert_eq!(s.handle(0).status, 200);
        }
        assert_eq!(s.handle(0).status, 429);
        assert_eq!(s.earliest_conforming(0), SEC);
        assert_eq!(s.handle(SEC).status, 200);
    }
}
