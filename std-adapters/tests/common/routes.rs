//! The routes of the real test servers the jobs run on, one constant each.

use std::time::Duration;

use super::route::{Route, Server};

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
    declared: &[],
};

/// express-rate-limit, draft-8, two stacked policies (5 per 2 s, 15 per 10 s).
pub const DRAFT8: Route = Route {
    name: "draft8",
    path: "/draft8",
    server: Server::Express,
    limits: &[BURST, LONG],
    headers: true,
    env: &[],
    declared: &[],
};

/// express-rate-limit, legacy `X-RateLimit-*`, 5 per 15 s. The reset is whole epoch
/// seconds rounded up (up to 1 s late), small beside a 15 s window.
pub const LEGACY: Route = Route {
    name: "legacy",
    path: "/legacy",
    server: Server::Express,
    limits: &[SLOW],
    headers: true,
    env: &[("LIMIT", "5"), ("WINDOW_MS", "15000")],
    declared: &[],
};

/// express-rate-limit, legacy `X-RateLimit-*`, 5 per 2 s: the epoch reset rounded up
/// to the whole second is up to half a window late, and the targets still hold.
pub const LEGACY_2S: Route = Route {
    name: "legacy",
    path: "/legacy",
    server: Server::Express,
    limits: &[BURST],
    headers: true,
    env: &[("LIMIT", "5"), ("WINDOW_MS", "2000")],
    declared: &[],
};

/// express-rate-limit, no rate-limit headers, but `Retry-After` (delay seconds,
/// rounded up) on 429.
pub const BARE: Route = Route {
    name: "bare",
    path: "/bare",
    server: Server::Express,
    limits: &[BURST],
    headers: false,
    env: &[],
    declared: &[],
};

/// express-rate-limit, a bare 429: no rate-limit headers and no `Retry-After`.
pub const SILENT: Route = Route {
    name: "silent",
    path: "/silent",
    server: Server::Express,
    limits: &[BURST],
    headers: false,
    env: &[],
    declared: &[],
};

/// Flask-Limiter, a burst and an hourly limit on one route, `Retry-After` seconds.
/// `X-RateLimit-Reset` is the whole epoch second after the window's end (up to 1 s
/// late), small beside a 15 s window.
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
    declared: &[],
};

/// Flask-Limiter, 5 per 2 s alone: `X-RateLimit-*` with an epoch reset (the whole
/// second after the window's end, up to 1 s late) and `Retry-After` seconds
/// (truncated) on every response.
pub const FLASK_2S: Route = Route {
    name: "limited",
    path: "/limited",
    server: Server::FlaskSeconds,
    limits: &[BURST],
    headers: true,
    env: &[("LIMITS", "5 per 2 seconds"), ("RETRY_AFTER", "seconds")],
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
    declared: &[LONG],
};
