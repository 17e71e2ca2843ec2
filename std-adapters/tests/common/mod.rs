//! The bulk-job scenarios every adapter runs against real rate limiters on
//! 127.0.0.1 (express-rate-limit from npm, Flask-Limiter from PyPI), and the checks
//! they must pass: zero rejections counted by the server, at most 1.10x the quota's
//! lower bound, and, against a server without headers, bounded rejections.
//!
//! The servers come from `servers/` (installed by `scripts/servers-setup.sh`); a
//! server that cannot start fails the test loudly.
#![allow(dead_code)]

use std::time::Duration;

use ratelimit_governor_std::ratelimit_governor::KnownQuota;

#[path = "../../../servers/support.rs"]
pub mod support;

pub use support::TestServer;

/// Requests in the usual bulk job (5 per 2 s: a lower bound of 22 s).
pub const JOB: u64 = 60;

/// Which real server a route lives on.
#[derive(Clone, Copy, Debug)]
pub enum Server {
    /// express-rate-limit.
    Express,
    /// Flask-Limiter with `Retry-After` as delay seconds.
    FlaskSeconds,
    /// Flask-Limiter with `Retry-After` as an HTTP-date.
    FlaskHttpDate,
}

/// One rate-limited route and what the server enforces on it.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    /// Name in the server's `/stats`.
    pub name: &'static str,
    /// Request path.
    pub path: &'static str,
    /// The server.
    pub server: Server,
    /// The limits enforced: (requests, window).
    pub limits: &'static [(u64, Duration)],
    /// False for the route that sends no rate-limit headers (only `Retry-After`).
    pub headers: bool,
    /// Server settings (environment of the server process).
    pub env: &'static [(&'static str, &'static str)],
    /// Requests in the bulk job.
    pub requests: u64,
    /// Quotas the client declares because the server's headers do not show them.
    pub declared: &'static [(u64, Duration)],
}

const BURST: (u64, Duration) = (5, Duration::from_secs(2));
const LONG: (u64, Duration) = (15, Duration::from_secs(10));
const SLOW: (u64, Duration) = (5, Duration::from_secs(15));
const HOURLY: (u64, Duration) = (1000, Duration::from_secs(3600));

/// express-rate-limit, draft-6 headers (`RateLimit-Limit/-Remaining/-Reset`).
pub const DRAFT6: Route = Route {
    name: "draft6",
    path: "/draft6",
    server: Server::Express,
    limits: &[BURST],
    headers: true,
    env: &[],
    requests: JOB,
    declared: &[],
};
/// express-rate-limit, draft-7 (`RateLimit: limit=5, remaining=4, reset=2`).
pub const DRAFT7: Route = Route {
    name: "draft7",
    path: "/draft7",
    server: Server::Express,
    limits: &[BURST],
    headers: true,
    env: &[],
    requests: JOB,
    declared: &[],
};
/// express-rate-limit, draft-8, two stacked policies.
pub const DRAFT8: Route = Route {
    name: "draft8",
    path: "/draft8",
    server: Server::Express,
    limits: &[BURST, LONG],
    headers: true,
    env: &[],
    requests: JOB,
    declared: &[],
};
/// express-rate-limit, legacy `X-RateLimit-*`: the reset is whole epoch seconds
/// rounded up (up to 1 s late), so the window is 15 s (see [`FLASK_SECONDS`]).
pub const LEGACY: Route = Route {
    name: "legacy",
    path: "/legacy",
    server: Server::Express,
    limits: &[SLOW],
    headers: true,
    env: &[("LIMIT", "5"), ("WINDOW_MS", "15000")],
    requests: 20,
    declared: &[],
};
/// express-rate-limit, no headers but `Retry-After` on 429.
pub const BARE: Route = Route {
    name: "bare",
    path: "/bare",
    server: Server::Express,
    limits: &[BURST],
    headers: false,
    env: &[],
    requests: JOB,
    declared: &[],
};
/// Flask-Limiter, a burst and an hourly limit on one route, `Retry-After` seconds.
/// `X-RateLimit-Reset` is whole epoch seconds (up to 1 s late), so the window is
/// 15 s, for the 1.10x bound to measure the governor rather than the header's
/// precision (each window opens just after a whole second, so each reset reads
/// almost 1 s late).
pub const FLASK_SECONDS: Route = Route {
    name: "limited",
    path: "/limited",
    server: Server::FlaskSeconds,
    limits: &[SLOW, HOURLY],
    headers: true,
    env: &[
        ("LIMITS", "5 per 15 seconds;1000 per 1 hour"),
        ("RETRY_AFTER", "seconds"),
    ],
    requests: 20,
    declared: &[],
};
/// Flask-Limiter, a burst and an hourly limit on one route, `Retry-After` as an
/// HTTP-date (sent on every response, 200s included).
pub const FLASK_HTTP_DATE: Route = Route {
    name: "limited",
    path: "/limited",
    server: Server::FlaskHttpDate,
    limits: &[SLOW, HOURLY],
    headers: true,
    env: &[
        ("LIMITS", "5 per 15 seconds;1000 per 1 hour"),
        ("RETRY_AFTER", "http-date"),
    ],
    requests: 20,
    declared: &[],
};

/// Flask-Limiter, two binding limits on one route. Its headers describe only the
/// first limit until the second is breached, so the client declares the second
/// (`Settings::quotas`): the way to get zero rejections from such a server.
pub const FLASK_DECLARED: Route = Route {
    name: "limited",
    path: "/limited",
    server: Server::FlaskSeconds,
    limits: &[BURST, LONG],
    headers: true,
    env: &[
        ("LIMITS", "5 per 2 seconds;15 per 10 seconds"),
        ("RETRY_AFTER", "seconds"),
    ],
    requests: 45,
    declared: &[LONG],
};

impl Route {
    /// Starts a fresh server for this route (its own process: counts are per test).
    pub fn start(&self) -> TestServer {
        match self.server {
            Server::Express => TestServer::express(self.env),
            Server::FlaskSeconds | Server::FlaskHttpDate => TestServer::flask(self.env),
        }
    }

    /// Worker `w`'s part of the job when `workers` share it (the first ones take
    /// one more when it does not divide evenly).
    pub fn share(&self, workers: u64, w: u64) -> u64 {
        self.requests / workers + u64::from(w < self.requests % workers)
    }

    /// The client settings for this route: the defaults, plus the declared quotas.
    pub fn settings(&self) -> ratelimit_governor_std::Settings {
        ratelimit_governor_std::Settings {
            quotas: self
                .declared
                .iter()
                .map(|&(limit, period)| KnownQuota::PerPeriod { limit, period })
                .collect(),
            ..ratelimit_governor_std::Settings::default()
        }
    }

    /// The shortest time in which `n` requests can pass every limit: when the last
    /// request can leave if every request leaves as early as the server allows.
    /// Both servers keep fixed windows that start at a client's first hit after the
    /// previous window ended (express-rate-limit's and limits' memory stores), so a
    /// perfect client is simulated against exactly that.
    pub fn lower_bound(&self, n: u64) -> Duration {
        // Per limit: (window start, hits in it).
        let mut windows: Vec<(Duration, u64)> = vec![(Duration::ZERO, 0); self.limits.len()];
        let mut started = vec![false; self.limits.len()];
        let mut t = Duration::ZERO;
        for _ in 0..n {
            // Bounded: each pass moves `t` to a window end at most once per limit.
            for _ in 0..=self.limits.len() {
                let blocked = self
                    .limits
                    .iter()
                    .enumerate()
                    .find_map(|(i, &(limit, length))| {
                        let (start, hits) = windows[i];
                        let open = started[i] && t < start + length;
                        (open && hits >= limit).then_some(start + length)
                    });
                match blocked {
                    Some(end) => t = end,
                    None => break,
                }
            }
            for (i, &(_, length)) in self.limits.iter().enumerate() {
                if !started[i] || t >= windows[i].0 + length {
                    windows[i] = (t, 0);
                    started[i] = true;
                }
                windows[i].1 += 1;
            }
        }
        t
    }
}

/// What a client-side bulk job saw.
#[derive(Clone, Debug, Default)]
pub struct JobReport {
    /// Wall time of the whole job.
    pub elapsed: Duration,
    /// Final responses with a 2xx status.
    pub ok: u64,
    /// Final statuses that were not 2xx, and errors, as text.
    pub failures: Vec<String>,
}

impl JobReport {
    /// Adds a worker's part to the job's report.
    pub fn add(&mut self, part: JobReport) {
        self.ok += part.ok;
        self.failures.extend(part.failures);
    }
}

/// The checks of the issue for one job of `n` requests against `route`.
pub fn assert_job(route: &Route, server: &TestServer, report: &JobReport, n: u64) {
    let counts = server.stats().get(route.name);
    assert!(
        report.failures.is_empty(),
        "{}: {} requests did not end 2xx: {:?}",
        route.name,
        report.failures.len(),
        report.failures
    );
    assert_eq!(report.ok, n, "{}: ok responses", route.name);
    assert_eq!(counts.ok, n, "{}: server-counted successes", route.name);
    let bound = route.lower_bound(n);
    let ratio = report.elapsed.as_secs_f64() / bound.as_secs_f64();
    eprintln!(
        "{}: {n} requests in {:.2} s = {ratio:.3}x the lower bound {:.0} s, {} rejections (server count)",
        route.name,
        report.elapsed.as_secs_f64(),
        bound.as_secs_f64(),
        counts.rejected
    );
    if route.headers {
        assert_eq!(
            counts.rejected, 0,
            "{}: server-counted rejections",
            route.name
        );
        assert!(
            ratio <= 1.10,
            "{}: took {:.2} s, {ratio:.3}x the lower bound of {:.0} s (limit 1.10x)",
            route.name,
            report.elapsed.as_secs_f64(),
            bound.as_secs_f64()
        );
    } else {
        // No headers: the client learns only from rejections. Bounded: at most two
        // per window the job spans.
        let windows = n.div_ceil(route.limits.first().map_or(1, |l| l.0));
        assert!(
            counts.rejected <= 2 * windows,
            "{}: {} rejections, more than {} (two per window)",
            route.name,
            counts.rejected,
            2 * windows
        );
    }
}
