//! `RateLimit-Policy` as an SF List: `ratelimit_governor::sf::parse_list` plus reading
//! every member's id, `q` and `w`, against the `sfv` crate doing the same
//! ([`policy_ours`] / [`policy_sfv`]). Target: ours at least 5x faster.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratelimit_governor_benches::{POLICY_VALUE, policy_ours, policy_sfv};

fn rate_limit_policy(c: &mut Criterion) {
    let mut g = c.benchmark_group("rate_limit_policy");
    g.bench_function("ours", |b| {
        b.iter(|| policy_ours(black_box(POLICY_VALUE.as_bytes())))
    });
    g.bench_function("sfv", |b| b.iter(|| policy_sfv(black_box(POLICY_VALUE))));
    g.finish();
}

criterion_group!(benches, rate_limit_policy);
criterion_main!(benches);
