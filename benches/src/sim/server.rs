//! The simulated server (`../shared/spec/governor.md` section 3, "Server"): quota
//! windows ([`super::window`], counted by [`super::counter`]) that admit or reject
//! each request at its arrival instant, and the response a real server would send
//! back: status, `Date`, the rate-limit headers of one family ([`super::headers`]) and
//! `Retry-After` on 429.
//!
//! A request is accepted iff every window has capacity; it then consumes one unit in
//! each (rejected ones too when `count_rejected` is set).

use super::clock::{Micros, SEC, ceil_secs};
use super::counter::{At, WindowCounter};
use super::headers::{HeaderFormat, Reading};
use super::window::WindowSpec;

use ratelimit_governor::UnixTime;
use ratelimit_governor::time::ImfFixdate;

/// Wall-clock instant (Unix seconds) of virtual t = 0 on the server's clock, before
/// its `clock_offset`. A multiple of 86 400, so with offset 0 day windows aligned to
/// t = 0 are also aligned to UTC midnight.
pub const BASE_EPOCH_SECS: i64 = 1_699_920_000;

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
    /// The server's wall clock at t = 0, past [`BASE_EPOCH_SECS`]: fixed windows are
    /// aligned to the wall clock, so their boundaries fall at `k·length - offset`.
    pub clock_offset: Micros,
}

impl ServerConfig {
    /// IETF draft-08 headers, `Date`, `Retry-After`, rejections not counted, fixed
    /// windows aligned to t = 0.
    pub fn ietf(windows: Vec<WindowSpec>) -> Self {
        ServerConfig {
            windows,
            format: HeaderFormat::Draft8,
            date: true,
            retry_after: true,
            count_rejected: false,
            clock_offset: 0,
        }
    }

    /// The server's wall clock at virtual `t`, in µs past the Unix epoch.
    pub fn wall_micros(&self, t: Micros) -> Micros {
        let base = u64::try_from(BASE_EPOCH_SECS).unwrap_or(0) * SEC;
        base + self.clock_offset + t
    }

    /// The longest window's length (0 without windows).
    pub fn longest_window(&self) -> Micros {
        self.windows.iter().map(|w| w.length).max().unwrap_or(0)
    }

    /// The shortest window's length (0 without windows).
    pub fn shortest_window(&self) -> Micros {
        self.windows.iter().map(|w| w.length).min().unwrap_or(0)
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

fn signed(t: Micros) -> At {
    At::try_from(t).unwrap_or(At::MAX)
}

fn unsigned(t: At) -> Micros {
    Micros::try_from(t).unwrap_or(0)
}

impl Server {
    /// A server with each window's prior usage already counted.
    pub fn new(config: ServerConfig) -> Self {
        let windows = config
            .windows
            .iter()
            .map(|w| WindowCounter::new(w, config.clock_offset))
            .collect();
        Server {
            config,
            windows,
            accepted: 0,
            rejected: 0,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    fn roll(&mut self, t: At) {
        for w in &mut self.windows {
            w.roll(t);
        }
    }

    /// The earliest instant at or after `t` at which a request would be accepted
    /// (the oracle's view of the counters). Advances the counters to that instant, so
    /// later calls must not ask about earlier ones.
    pub fn earliest_conforming(&mut self, t: Micros) -> Micros {
        let mut t = signed(t);
        // Each round moves `t` to some window's next free unit; a window whose unit
        // is free stays free until someone takes it, so rounds are bounded by the
        // windows' count (the loop guard is a generous multiple of it).
        for _ in 0..=4 * self.windows.len() + 4 {
            self.roll(t);
            let next = self.windows.iter().map(|w| w.free_at(t)).max().unwrap_or(t);
            if next <= t {
                break;
            }
            t = next;
        }
        unsigned(t)
    }

    /// Admits one request at `t` without producing a response (the oracle). The
    /// caller has checked [`Server::earliest_conforming`].
    pub fn admit(&mut self, t: Micros) {
        let t = signed(t);
        self.roll(t);
        for w in &mut self.windows {
            w.take(t);
        }
        self.accepted += 1;
    }

    /// Whether some window has no unit left at `t` (a request arriving then is
    /// rejected). Advances the counters to `t`, so later calls must not ask about
    /// earlier instants.
    pub fn drained(&mut self, t: Micros) -> bool {
        let at = signed(t);
        self.roll(at);
        self.windows.iter().any(|w| w.remaining(at) == 0)
    }

    /// Handles a request arriving at `t`: accept or reject it, and build the response.
    pub fn handle(&mut self, t: Micros) -> SimResponse {
        let at = signed(t);
        self.roll(at);
        let accepted = self.windows.iter().all(|w| w.remaining(at) > 0);
        // Retry-After: to the latest violated window's next free unit.
        let wait = self
            .windows
            .iter()
            .filter(|w| w.remaining(at) == 0)
            .map(|w| unsigned(w.free_at(at) - at))
            .max()
            .unwrap_or(0);
        if accepted || self.config.count_rejected {
            for w in &mut self.windows {
                w.take(at);
            }
        }
        if accepted {
            self.accepted += 1;
        } else {
            self.rejected += 1;
        }
        let status = if accepted { 200 } else { 429 };
        let mut headers = Vec::with_capacity(6);
        let wall = self.config.wall_micros(t);
        if self.config.date {
            let secs = i64::try_from(wall / SEC).unwrap_or(0);
            headers.push(("Date".to_owned(), imf_fixdate(secs)));
        }
        if self.config.format != HeaderFormat::None {
            let readings: Vec<Reading<'_>> = self
                .windows
                .iter()
                .map(|w| Reading {
                    name: &w.spec().name,
                    limit: w.spec().limit,
                    length: w.spec().length,
                    remaining: w.remaining(at),
                    reset: w.reset_after(at),
                })
                .collect();
            self.config.format.write(&readings, wall, &mut headers);
        }
        if !accepted && self.config.retry_after {
            headers.push(("Retry-After".to_owned(), ceil_secs(wait).max(1).to_string()));
        }
        SimResponse { status, headers }
    }
}

#[cfg(test)]
mod tests {
    use super::super::window::{BucketReset, WindowKind};
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
    fn clock_offset_moves_the_boundaries_and_the_date() {
        let mut config = ServerConfig::ietf(vec![WindowSpec::fixed("m", 1, 60)]);
        config.clock_offset = 45 * SEC;
        let mut s = Server::new(config);
        let r = s.handle(0);
        assert_eq!(r.headers[0].1, imf_fixdate(BASE_EPOCH_SECS + 45));
        assert_eq!(r.headers[2].1, "\"m\";r=0;t=15");
        assert_eq!(s.handle(15 * SEC - 1).status, 429);
        assert_eq!(s.earliest_conforming(SEC), 15 * SEC);
        assert_eq!(s.handle(15 * SEC).status, 200);
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
        let mut s = Server::new(ServerConfig::ietf(vec![WindowSpec::bucket(
            "b",
            10,
            10,
            BucketReset::Full,
        )]));
        for _ in 0..10 {
            assert_eq!(s.handle(0).status, 200);
        }
        assert_eq!(s.handle(0).status, 429);
        assert_eq!(s.earliest_conforming(0), SEC);
        assert_eq!(s.handle(SEC).status, 200);
    }

    #[test]
    fn a_request_needs_every_window_and_retry_after_names_the_latest() {
        let mut s = Server::new(ServerConfig::ietf(vec![
            WindowSpec::new("burst", WindowKind::Gcra, 2, 2 * SEC),
            WindowSpec::fixed("minute", 3, 60),
        ]));
        assert_eq!(s.handle(0).status, 200);
        assert_eq!(s.handle(0).status, 200);
        assert_eq!(s.handle(SEC).status, 200);
        let r = s.handle(3 * SEC);
        assert_eq!(r.status, 429);
        let retry = r.headers.iter().find(|h| h.0 == "Retry-After").unwrap();
        assert_eq!(retry.1, "57");
        assert_eq!(s.earliest_conforming(3 * SEC), 60 * SEC);
    }

    #[test]
    fn a_drained_server_rejects_and_a_server_with_units_accepts() {
        let mut s = Server::new(ServerConfig::ietf(vec![
            WindowSpec::fixed("m", 1, 60),
            WindowSpec::fixed("h", 5, 3600),
        ]));
        assert!(!s.drained(0));
        assert_eq!(s.handle(0).status, 200);
        assert!(s.drained(SEC));
        assert_eq!(s.handle(SEC).status, 429);
        assert!(!s.drained(60 * SEC));
        assert_eq!(s.handle(60 * SEC).status, 200);
    }

    #[test]
    fn counted_rejections_keep_a_fixed_window_full() {
        let mut config = ServerConfig::ietf(vec![WindowSpec::fixed("m", 1, 10)]);
        config.count_rejected = true;
        let mut s = Server::new(config);
        assert_eq!(s.handle(0).status, 200);
        assert_eq!(s.handle(SEC).status, 429);
        assert_eq!(s.handle(10 * SEC).status, 200);
        assert_eq!((s.accepted, s.rejected), (2, 1));
    }
}
