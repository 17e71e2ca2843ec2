//! A realistic 15-header 429 response ([`RESPONSE_HEADERS`]: draft-08 pair with two
//! policies, `Retry-After`, `Date`, eleven ordinary headers) through
//! `ratelimit_governor::parse`, alone and followed by `advise`. Target: < 300 ns.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratelimit_governor::{DEFAULT_MAX_WAIT, Response, advise, parse};
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
