//! Hostile input: a 1 MiB `RateLimit` header value through `ratelimit_governor::parse`
//! as a valid List of ~50,000 members ([`hostile_list`]), as one huge SF String
//! ([`hostile_string`]) and as printable garbage ([`hostile_garbage`]). Target: well
//! under 5 ms each.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ratelimit_governor::{Response, parse};
use ratelimit_governor_benches::{HOSTILE_LEN, NOW, hostile_garbage, hostile_list, hostile_string};

fn hostile(c: &mut Criterion) {
    let mut g = c.benchmark_group("hostile");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(HOSTILE_LEN as u64));
    for (name, value) in [
        ("valid_list_1mib", hostile_list()),
        ("one_string_1mib", hostile_string()),
        ("garbage_1mib", hostile_garbage()),
    ] {
        let headers = [("RateLimit", value.as_str())];
        g.bench_function(name, |b| {
            b.iter(|| {
                let response = Response::new(black_box(&headers[..])).status(429).now(NOW);
                parse(&response).window_count()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, hostile);
criterion_main!(benches);
