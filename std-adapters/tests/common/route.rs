//! A rate-limited route of a test server: where it lives, what the server enforces
//! on it, and what the client is told about it.

use std::time::Duration;

use ratelimit_governor_std::Settings;
use ratelimit_governor_std::ratelimit_governor::KnownQuota;

use super::lower_bound::{Prior, lower_bound};
use super::support::TestServer;

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
    /// False for the routes that send no rate-limit headers (at most `Retry-After`).
    pub headers: bool,
    /// Server settings (environment of the server process).
    pub env: &'static [(&'static str, &'static str)],
    /// Quotas the client declares because the server's headers do not show them.
    pub declared: &'static [(u64, Duration)],
}

impl Route {
    /// Starts a fresh server for this route (its own process: counts are per test).
    pub fn start(&self) -> TestServer {
        match self.server {
            Server::Express => TestServer::express(self.env),
            Server::FlaskSeconds | Server::FlaskHttpDate => TestServer::flask(self.env),
        }
    }

    /// The client settings for this route: the defaults, plus the declared quotas.
    pub fn settings(&self) -> Settings {
        Settings {
            quotas: self
                .declared
                .iter()
                .map(|&(limit, period)| KnownQuota::PerPeriod { limit, period })
                .collect(),
            ..Settings::default()
        }
    }

    /// The shortest time in which `n` requests can pass every limit after `prior`
    /// (see `servers/lower_bound.rs`).
    pub fn lower_bound(&self, prior: Prior, n: u64) -> Duration {
        lower_bound(self.limits, prior, n)
    }

    /// The shortest window of the route's limits.
    pub fn shortest_window(&self) -> Duration {
        self.limits
            .iter()
            .map(|&(_, length)| length)
            .min()
            .expect("a route has at least one limit")
    }
}
