//! The scenarios: S1-S3 of `../shared/spec/governor.md` section 3, and S4-S12, which
//! probe what S1-S3 do not (no headers, sharers with N = 960, sliding and token-bucket
//! servers, clock skew, millisecond resets, rejected requests that count, large RTT).

use super::clock::{Micros, SEC};
use super::headers::HeaderFormat;
use super::network::Network;
use super::server::ServerConfig;
use super::window::{BucketReset, WindowSpec};

/// The target a scenario is held to (see [`super::targets`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// One client, rate-limit headers present: "ours" gets 0 rejections and finishes
    /// within 1.005 x the lower bound.
    Lone,
    /// K clients share one key: "ours" gets at most 0.5% of the job rejected and
    /// finishes within 1.10 x the lower bound.
    Shared,
    /// No rate-limit headers: "ours" is no worse than (b) honour-Retry-After in both
    /// 429s and completion time.
    Headerless,
    /// Reported only; the reason why no target applies.
    Report(&'static str),
}

/// One simulated job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// Short name (`S1`, `S5-sliding`, `gen-42` ...).
    pub name: String,
    /// One-line description.
    pub title: String,
    /// Clients (processes) sharing the key, each with its own strategy state (its
    /// own governor).
    pub clients: usize,
    /// Closed-loop workers per client, one request in flight each, all sharing their
    /// client's strategy state (1: a client is one closed loop).
    pub workers: usize,
    /// Requests in the job, split evenly over the clients; a client's workers take
    /// them from the client's common queue.
    pub requests: u64,
    /// Round-trip time and jitter.
    pub network: Network,
    /// The server.
    pub server: ServerConfig,
    /// Client wall clock minus server wall clock, in milliseconds.
    pub client_clock_skew_ms: i64,
    /// The instant each client starts (empty: every client at t = 0).
    pub starts: Vec<Micros>,
    /// What "ours" is held to.
    pub target: Target,
    /// The seed the scenario was generated from (`None`: the catalogue below).
    pub seed: Option<u64>,
    /// The `GovernorConfig::max_wait` the governed strategies ("ours",
    /// "ours-smooth") run with: the longest wait the job tolerates, beyond which the
    /// governor gives up (`None`: the library's default, 65 min, as in S1-S12).
    /// Generated scenarios set it to the larger of the default and their longest
    /// window plus [`super::generate::MAX_WAIT_SLACK`]
    /// ([`super::generate::max_wait_for`]), as a user running a job against a day
    /// window allows a day's wait.
    pub governor_max_wait: Option<Micros>,
}

impl Scenario {
    /// The instant client `c` starts.
    pub fn start_of(&self, c: usize) -> Micros {
        self.starts.get(c).copied().unwrap_or(0)
    }

    /// Closed loops in all: clients times workers.
    pub fn pipelines(&self) -> usize {
        self.clients.max(1) * self.workers.max(1)
    }
}

const RTT: Micros = 50_000;

fn scenario(
    name: &str,
    title: &str,
    clients: usize,
    requests: u64,
    server: ServerConfig,
    target: Target,
) -> Scenario {
    Scenario {
        name: name.to_owned(),
        title: title.to_owned(),
        clients,
        workers: 1,
        requests,
        network: Network::steady(RTT),
        server,
        client_clock_skew_ms: 0,
        starts: Vec::new(),
        target,
        seed: None,
        governor_max_wait: None,
    }
}

fn without_headers(mut server: ServerConfig, retry_after: bool) -> ServerConfig {
    server.format = HeaderFormat::None;
    server.retry_after = retry_after;
    server
}

fn legacy(mut server: ServerConfig, format: HeaderFormat, date: bool) -> ServerConfig {
    server.format = format;
    server.date = date;
    server
}

/// Every scenario, in report order.
pub fn all() -> Vec<Scenario> {
    let minute = || ServerConfig::ietf(vec![WindowSpec::fixed("minute", 300, 60)]);
    let ten_s = || ServerConfig::ietf(vec![WindowSpec::fixed("10s", 100, 10)]);
    let hour = || ServerConfig::ietf(vec![WindowSpec::fixed("hour", 400, 3600)]);
    let bucket = |reset| ServerConfig::ietf(vec![WindowSpec::bucket("bucket", 100, 20, reset)]);
    let skewed = |name: &str, title: &str, skew_ms: i64, date, target| Scenario {
        client_clock_skew_ms: skew_ms,
        ..scenario(
            name,
            title,
            1,
            1000,
            legacy(minute(), HeaderFormat::LegacyEpoch, date),
            target,
        )
    };
    let mut counted = ServerConfig::ietf(vec![
        WindowSpec::fixed("hour", 400, 3600),
        WindowSpec::fixed("day", 2000, 86_400),
    ]);
    counted.count_rejected = true;
    vec![
        scenario(
            "S1",
            "1 client, 1000 req, 300/min + 10000/day, headers on",
            1,
            1000,
            ServerConfig::ietf(vec![
                WindowSpec::fixed("minute", 300, 60),
                WindowSpec::fixed("day", 10_000, 86_400),
            ]),
            Target::Lone,
        ),
        scenario(
            "S2",
            "8 clients share one key, 1000 req total, 100 per 10 s",
            8,
            1000,
            ten_s(),
            Target::Shared,
        ),
        scenario(
            "S3",
            "1 client, 1000 req, 400/hour",
            1,
            1000,
            hour(),
            Target::Lone,
        ),
        scenario(
            "S4a",
            "no RateLimit headers, 429 + Retry-After only; 1 client, 1000 req, 300/min",
            1,
            1000,
            without_headers(minute(), true),
            Target::Headerless,
        ),
        scenario(
            "S4b",
            "bare 429 (no headers at all); 1 client, 1000 req, 300/min",
            1,
            1000,
            without_headers(minute(), false),
            Target::Headerless,
        ),
        scenario(
            "S4c",
            "bare 429 (no headers at all); 1 client, 1000 req, 400/hour",
            1,
            1000,
            without_headers(hour(), false),
            Target::Headerless,
        ),
        scenario(
            "S4d",
            "no RateLimit headers, 429 + Retry-After only; 8 clients, 960 req, 100 per 10 s",
            8,
            960,
            without_headers(ten_s(), true),
            Target::Headerless,
        ),
        scenario(
            "S5",
            "8 clients share one key, 960 req total, 100 per 10 s",
            8,
            960,
            ten_s(),
            Target::Shared,
        ),
        scenario(
            "S5-sliding",
            "8 clients, 960 req, sliding log 100 per 10 s",
            8,
            960,
            ServerConfig::ietf(vec![WindowSpec::sliding("10s", 100, 10)]),
            Target::Shared,
        ),
        scenario(
            "S5-bucket",
            "8 clients, 960 req, token bucket 100, refill 5/s (t = time to full)",
            8,
            960,
            bucket(BucketReset::Full),
            Target::Shared,
        ),
        scenario(
            "S6-ms",
            "1 client, 1000 req, 300/min, X-RateLimit-* with Reset-After in ms",
            1,
            1000,
            legacy(minute(), HeaderFormat::LegacyResetAfterMs, true),
            Target::Lone,
        ),
        scenario(
            "S7",
            "1 client, 1000 req, 400/hour + 2000/day, rejected requests count",
            1,
            1000,
            counted,
            Target::Lone,
        ),
        scenario(
            "S8-sliding",
            "1 client, 1000 req, sliding log 300 per 60 s",
            1,
            1000,
            ServerConfig::ietf(vec![WindowSpec::sliding("minute", 300, 60)]),
            Target::Lone,
        ),
        scenario(
            "S9-bucket",
            "1 client, 1000 req, token bucket 100, refill 5/s (t = time to full)",
            1,
            1000,
            bucket(BucketReset::Full),
            Target::Lone,
        ),
        scenario(
            "S9-bucket-next",
            "1 client, 1000 req, token bucket 100, refill 5/s (t = time to next token)",
            1,
            1000,
            bucket(BucketReset::NextToken),
            Target::Lone,
        ),
        skewed(
            "S10-skew+",
            "1 client, 1000 req, 300/min, epoch X-RateLimit-Reset + Date, client clock 30 s ahead",
            30_000,
            true,
            Target::Lone,
        ),
        skewed(
            "S10-skew-",
            "1 client, 1000 req, 300/min, epoch X-RateLimit-Reset + Date, client clock 30 s behind",
            -30_000,
            true,
            Target::Lone,
        ),
        skewed(
            "S10-nodate",
            "1 client, 1000 req, 300/min, epoch X-RateLimit-Reset, no Date, client clock 30 s ahead",
            30_000,
            false,
            Target::Report(
                "without Date the client's own (30 s fast) clock is the only reference for epoch resets",
            ),
        ),
        scenario(
            "S11-870",
            "1 client, 870 req, 300/min (the job size where 5% threshold costs a window)",
            1,
            870,
            minute(),
            Target::Lone,
        ),
        Scenario {
            network: Network::steady(500_000),
            ..scenario(
                "S12-rtt",
                "8 clients, 960 req, 100 per 10 s, RTT 500 ms",
                8,
                960,
                ten_s(),
                Target::Shared,
            )
        },
        Scenario {
            network: Network::steady(SEC),
            ..scenario(
                "S12-rtt1",
                "1 client, 300 req, 30/min, RTT 1 s",
                1,
                300,
                ServerConfig::ietf(vec![WindowSpec::fixed("minute", 30, 60)]),
                Target::Lone,
            )
        },
    ]
}

/// The scenario called `name`.
pub fn by_name(name: &str) -> Option<Scenario> {
    all()
        .into_iter()
        .find(|s| s.name.eq_ignore_ascii_case(name))
}
