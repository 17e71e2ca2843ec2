//! IMF-fixdate parsing: `ratelimit_governor::time::parse_imf_fixdate` (strict, the hot
//! path) and `parse_http_date` (all three forms, trimming) against
//! `httpdate::parse_http_date`, on the RFC 9110 example date. Target: at least 1.5x
//! faster.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratelimit_governor::time::{parse_http_date, parse_imf_fixdate};
use ratelimit_governor_benches::{IMF_DATE, NOW};

fn http_date(c: &mut Criterion) {
    let mut g = c.benchmark_group("http_date");
    g.bench_function("ours_imf_fixdate", |b| {
        b.iter(|| parse_imf_fixdate(black_box(IMF_DATE.as_bytes())))
    });
    g.bench_function("ours_http_date", |b| {
        b.iter(|| parse_http_date(black_box(IMF_DATE.as_bytes()), NOW))
    });
    g.bench_function("httpdate", |b| {
        b.iter(|| httpdate::parse_http_date(black_box(IMF_DATE)).ok())
    });
    g.finish();
}

criterion_group!(benches, http_date);
criterion_main!(benches);
