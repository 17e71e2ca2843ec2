//! Per-request overhead of each HTTP-client adapter against the bare client, on
//! loopback (target: under 5 % or 20 µs per request).
//!
//! A server started inside the bench process (`std::net::TcpListener` on
//! `127.0.0.1:0`, a thread per connection, HTTP/1.1 keep-alive) answers every
//! request with the same 200: a `Date`, a draft-08 pair with plenty of quota
//! ([`POLICY`], [`RATE_LIMIT`]) and the body `ok`. The governor therefore never
//! waits: what is measured is the cost of asking it, settling it with the response
//! head and running the retry policy, with every default on (retry budget included).
//!
//! Each group measures one client both ways in the same run, on the same server,
//! one request at a time (GET, then read the whole body):
//!
//! | group | `bare` | `governed` |
//! |---|---|---|
//! | `ureq` | `ureq::Agent::get(url).call()` | `ureq::GovernedAgent::get(url)` (middleware + call-site retry loop) |
//! | `tower` | hyper-util legacy `Client::request` | the same client in `tower::GovernorLayer`, `ready().await?.call(request)` |
//! | `reqwest` | `reqwest::Client::get(url).send()` | `reqwest_middleware` client with `reqwest::GovernorMiddleware` |
//!
//! `<group>/overhead` measures the difference directly: each iteration sends one
//! bare and one governed request back to back, and each sample reports the median
//! of its per-pair differences (see [`overhead`]), so load on the machine drifting
//! between the `bare` and `governed` runs cancels out.
//! `reqwest/no_middleware` is a `reqwest_middleware` client without any middleware:
//! the share of `reqwest/governed`'s overhead that is `reqwest_middleware`'s own.
//! The async clients run on a current-thread tokio runtime, `block_on` per request.
//!
//! # `governor_round`: where the overhead goes (no network)
//!
//! The CPU work an adapter adds per request, on a [`Server`] that has already seen
//! the response below (steady state):
//!
//! | bench | what |
//! |---|---|
//! | `server_for` | `Governor::server_for(&uri, &headers)`: key the URI, look the server up |
//! | `try_acquire_cancel` | `Server::try_acquire(None)` and drop the permit unsettled |
//! | `parse_http` | `parse_http` of the response head alone (the parse `observe_http` does) |
//! | `try_acquire_observe_http` | one `try_acquire` + `Permit::observe_http(200, &head, None)` round |

use std::hint::black_box;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use criterion::{Bencher, Criterion, criterion_group, criterion_main};
use http::{HeaderMap, HeaderValue, Request, StatusCode, Uri};
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use ratelimit_governor_std::tower::{Governed, GovernorLayer};
use ratelimit_governor_std::ureq::GovernedAgent;
use ratelimit_governor_std::{Clock, Decision, Governor, ServerKey, parse_http};
use reqwest_middleware::ClientWithMiddleware;
use tokio::runtime::Runtime;
use tower::{Layer, Service, ServiceExt};

/// The draft-08 policy the loopback server announces: a million per minute.
const POLICY: &str = r#""burst";q=1000000;w=60"#;

/// The draft-08 quota left after each response: never near exhaustion.
const RATE_LIMIT: &str = r#""burst";r=999999;t=60"#;

/// Starts the loopback server; it lives as long as the bench process.
fn start_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let address = listener.local_addr().expect("local address");
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || serve(stream));
        }
    });
    address
}

/// One keep-alive connection: reads request heads (up to `\r\n\r\n`; GETs have no
/// body) and answers each with the same 200 until the client hangs up.
fn serve(mut stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let mut pending: Vec<u8> = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let end = loop {
            if let Some(at) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => pending.extend_from_slice(&chunk[..n]),
            }
        };
        pending.drain(..end);
        let date = httpdate::fmt_http_date(SystemTime::now());
        let response = format!(
            "HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Type: text/plain\r\n\
             RateLimit-Policy: {POLICY}\r\nRateLimit: {RATE_LIMIT}\r\n\
             Content-Length: 2\r\n\r\nok"
        );
        if stream.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

/// Sends one `bare` and one `governed` request back to back, `iters` times, and
/// reports the median of the per-pair differences (governed minus bare) for each
/// iteration: the governed client's extra time per request, both sides under the
/// same load. A preemption that hits one request of a pair moves the median by one
/// rank only. Every other pair goes governed first, so neither side always runs on
/// a connection (and caches) the other has just warmed. Clamped at 1 ns per
/// iteration (criterion rejects zero).
fn overhead(b: &mut Bencher<'_>, mut bare: impl FnMut(), mut governed: impl FnMut()) {
    b.iter_custom(|iters| {
        let mut differences: Vec<i128> = Vec::with_capacity(iters as usize);
        for pair in 0..iters {
            let (bare_time, governed_time) = if pair % 2 == 0 {
                let bare_time = timed(&mut bare);
                (bare_time, timed(&mut governed))
            } else {
                let governed_time = timed(&mut governed);
                (timed(&mut bare), governed_time)
            };
            differences.push(governed_time.as_nanos() as i128 - bare_time.as_nanos() as i128);
        }
        differences.sort_unstable();
        let median = differences.get(differences.len() / 2).copied().unwrap_or(0);
        let per_iteration = u64::try_from(median).unwrap_or(0).max(1);
        Duration::from_nanos(per_iteration.saturating_mul(iters))
    })
}

/// How long one call of `send` takes.
fn timed(send: &mut impl FnMut()) -> Duration {
    let start = Instant::now();
    send();
    start.elapsed()
}

/// A current-thread runtime for the async clients.
fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn ureq_group(c: &mut Criterion, url: &str) {
    let bare: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let governed = GovernedAgent::new(Governor::new());

    let send_bare = || {
        let mut response = bare.get(url).call().expect("bare ureq GET");
        black_box(response.body_mut().read_to_vec().expect("body"));
    };
    let send_governed = || {
        let mut response = governed.get(url).expect("governed ureq GET");
        black_box(response.body_mut().read_to_vec().expect("body"));
    };

    let mut g = c.benchmark_group("ureq");
    g.bench_function("bare", |b| b.iter(send_bare));
    g.bench_function("governed", |b| b.iter(send_governed));
    g.bench_function("overhead", |b| overhead(b, send_bare, send_governed));
    g.finish();
}

/// hyper-util's legacy client, HTTP/1 over plain TCP.
type HyperClient = Client<HttpConnector, Empty<Bytes>>;

/// A GET through the bare hyper client, whole body read.
async fn hyper_get(client: &HyperClient, uri: &Uri) {
    let request = Request::get(uri.clone())
        .body(Empty::new())
        .expect("request");
    let response = client.request(request).await.expect("bare hyper GET");
    black_box(
        response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes(),
    );
}

/// A GET through the governed hyper client, whole body read.
async fn governed_hyper_get(service: &mut Governed<HyperClient>, uri: &Uri) {
    let request = Request::get(uri.clone())
        .body(Empty::new())
        .expect("request");
    let ready = service.ready().await.expect("ready");
    let response = ready.call(request).await.expect("governed hyper GET");
    black_box(
        response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes(),
    );
}

fn tower_group(c: &mut Criterion, url: &str) {
    let rt = runtime();
    let uri: Uri = url.parse().expect("uri");
    let bare: HyperClient = {
        let _entered = rt.enter();
        Client::builder(TokioExecutor::new()).build_http()
    };
    let governed = GovernorLayer::new(Governor::new()).layer(bare.clone());

    let mut g = c.benchmark_group("tower");
    g.bench_function("bare", |b| b.iter(|| rt.block_on(hyper_get(&bare, &uri))));
    g.bench_function("governed", |b| {
        let mut service = governed.clone();
        b.iter(|| rt.block_on(governed_hyper_get(&mut service, &uri)))
    });
    g.bench_function("overhead", |b| {
        let mut service = governed.clone();
        overhead(
            b,
            || rt.block_on(hyper_get(&bare, &uri)),
            || rt.block_on(governed_hyper_get(&mut service, &uri)),
        )
    });
    g.finish();
}

/// A GET through a reqwest client, whole body read.
async fn reqwest_get(client: &reqwest::Client, url: &str) {
    let response = client.get(url).send().await.expect("bare reqwest GET");
    black_box(response.bytes().await.expect("body"));
}

/// A GET through a `reqwest_middleware` client, whole body read.
async fn middleware_get(client: &ClientWithMiddleware, url: &str) {
    let response = client
        .get(url)
        .send()
        .await
        .expect("reqwest_middleware GET");
    black_box(response.bytes().await.expect("body"));
}

fn reqwest_group(c: &mut Criterion, url: &str) {
    let rt = runtime();
    let bare = reqwest::Client::new();
    let no_middleware = reqwest_middleware::ClientBuilder::new(bare.clone()).build();
    let governed = ratelimit_governor_std::reqwest::client(bare.clone(), Governor::new());

    let mut g = c.benchmark_group("reqwest");
    g.bench_function("bare", |b| b.iter(|| rt.block_on(reqwest_get(&bare, url))));
    g.bench_function("no_middleware", |b| {
        b.iter(|| rt.block_on(middleware_get(&no_middleware, url)))
    });
    g.bench_function("governed", |b| {
        b.iter(|| rt.block_on(middleware_get(&governed, url)))
    });
    g.bench_function("overhead", |b| {
        overhead(
            b,
            || rt.block_on(reqwest_get(&bare, url)),
            || rt.block_on(middleware_get(&governed, url)),
        )
    });
    g.finish();
}

/// The loopback server's response head, as an `http::HeaderMap`.
fn response_head() -> HeaderMap {
    let mut head = HeaderMap::new();
    let date = httpdate::fmt_http_date(SystemTime::now());
    head.insert("date", HeaderValue::from_str(&date).expect("date"));
    head.insert("content-type", HeaderValue::from_static("text/plain"));
    head.insert("ratelimit-policy", HeaderValue::from_static(POLICY));
    head.insert("ratelimit", HeaderValue::from_static(RATE_LIMIT));
    head.insert("content-length", HeaderValue::from_static("2"));
    head
}

fn governor_round(c: &mut Criterion) {
    let governor = Governor::new();
    let uri: Uri = "http://127.0.0.1:8080/items".parse().expect("uri");
    let key = ServerKey::from_uri(&uri).expect("key");
    let server = governor.server(&key);
    let head = response_head();
    let request_headers = HeaderMap::new();
    let round = || match server.try_acquire(None) {
        Decision::Ready(permit) => permit.observe_http(StatusCode::OK, &head, None),
        other => panic!("the governor should not hold back: {other:?}"),
    };
    // Steady state: the server's windows are known.
    black_box(round());

    let mut g = c.benchmark_group("governor_round");
    g.bench_function("server_for", |b| {
        b.iter(|| governor.server_for(black_box(&uri), black_box(&request_headers)))
    });
    g.bench_function("try_acquire_cancel", |b| {
        b.iter(|| black_box(server.try_acquire(black_box(None))))
    });
    g.bench_function("parse_http", |b| {
        let clock = governor.clock();
        b.iter(|| {
            let limits = parse_http(StatusCode::OK, black_box(&head), None, clock.wall());
            black_box(limits.most_restrictive().is_some())
        })
    });
    g.bench_function("try_acquire_observe_http", |b| {
        b.iter(|| black_box(round()))
    });
    g.finish();
}

fn adapters(c: &mut Criterion) {
    let address = start_server();
    let url = format!("http://{address}/items");
    ureq_group(c, &url);
    tower_group(c, &url);
    reqwest_group(c, &url);
}

criterion_group!(benches, adapters, governor_round);
criterion_main!(benches);
