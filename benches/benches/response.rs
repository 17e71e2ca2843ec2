//! A realistic 15-header 429 response ([`RESPONSE_HEADERS`]: draft-08 pair with two
//! policies, `Retry-After`, `Date`, eleven ordinary headers) through
//! `ratelimit_governor::parse`, alone and followed by `advise`. Target: < 300 ns.
//!
//! `parse_15_headers` returns a new `Limits` (kilobytes large) each time, as
//! `parse` does; `parse_into_15_headers` fills storage the caller keeps from one
//! response to the next (`parse::parse_into`), the pattern of a client that parses
//! every response it receives.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratelimit_governor::parse::parse_into;
use ratelimit_governor::{DEFAULT_MAX_WAIT, Limits, Response, advise, parse};
use ratelimit_governor_benches::{NOW, RESPONSE_HEADERS};

fn response(c: &mut Criterion) {
    let mut g = c.benchmark_group("response");
    g.bench_function("parse_15_headers", |b| {
        b.iter(|| {
            let response = Response::new(black_box(&RESPONSE_HEADERS[..]))
                .status(429)
                .now(NOW);
            parse(&response)
        })
    });
    g.bench_function("parse_into_15_headers", |b| {
        let mut limits = Limits::new();
        b.iter(|| {
            let response = Response::new(black_box(&RESPONSE_HEADERS[..]))
                .status(429)
                .now(NOW);
            parse_into(&response, &mut limits);
            black_box(&limits);
        })
    });
    g.bench_function("parse_and_advise_15_headers", |b| {
        b.iter(|| {
            let response = Response::new(black_box(&RESPONSE_HEADERS[..]))
                .status(429)
                .now(NOW);
            advise(&parse(&response), DEFAULT_MAX_WAIT)
        })
    });
    g.finish();
}

criterion_group!(benches, response);
criterion_main!(benches);
