//! `Retry-After` alone: a whole-response `ratelimit_governor::parse` of a response
//! whose only header is `Retry-After` (delay-seconds, then IMF-fixdate) against
//! decoding the same header value with `headers::RetryAfter`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use headers::{Header, RetryAfter};
use http::HeaderValue;
use ratelimit_governor::{Response, parse};
use ratelimit_governor_benches::{NOW, RETRY_AFTER_DATE, RETRY_AFTER_SECONDS};

fn retry_after(c: &mut Criterion) {
    let mut g = c.benchmark_group("retry_after");
    for (name, headers) in [("seconds", RETRY_AFTER_SECONDS), ("date", RETRY_AFTER_DATE)] {
        g.bench_function(format!("ours_parse_{name}"), |b| {
            b.iter(|| {
                let response = Response::new(black_box(&headers[..])).status(429).now(NOW);
                parse(&response).retry_after()
            })
        });
        let value = HeaderValue::from_static(headers[0].1);
        g.bench_function(format!("headers_{name}"), |b| {
            b.iter(|| RetryAfter::decode(&mut std::iter::once(black_box(&value))).ok())
        });
    }
    g.finish();
}

criterion_group!(benches, retry_after);
criterion_main!(benches);
