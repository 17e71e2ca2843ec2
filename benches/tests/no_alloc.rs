//! Proves the "no allocation" promise of `ratelimit-governor`: a counting global
//! allocator records every heap allocation made on the measuring thread while
//! [`parse`] (also into reused storage, [`parse_into`]) and [`advise`] run over
//! realistic responses (IETF drafts 6, 7 and 8, GitHub, OpenAI, Anthropic, Discord,
//! `Retry-After` in every date form, JSON error bodies, malformed and oversized
//! fields), and the test asserts the count is zero.
//!
//! Counting is switched on per thread (a `thread_local!` flag), so allocations made
//! by the test harness or other test threads never count.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ratelimit_governor::parse::parse_into;
use ratelimit_governor::{
    DEFAULT_MAX_WAIT, Limits, ParseOptions, Response, UnixTime, advise, parse, parse_with_capacity,
};

/// The system allocator, counting the allocations of threads that asked for it.
struct CountingAllocator;

/// Allocations (including reallocations) seen while counting was on.
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Whether allocations on this thread are counted.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn note_allocation() {
    // `try_with` because the allocator may run while thread-locals are torn down.
    if COUNTING.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged;
// the counting has no effect on the memory returned.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        // SAFETY: forwarded as is; the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        // SAFETY: forwarded as is.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_allocation();
        // SAFETY: forwarded as is; `ptr` came from this allocator, i.e. from `System`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is; `ptr` came from this allocator, i.e. from `System`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// Runs `f` with counting on and returns how many allocations it made.
fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

/// `NOW` of `../shared/spec/headers.md` section 7.
const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);

/// A named response: status, headers, optional body.
struct Case {
    name: &'static str,
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: Option<&'static [u8]>,
}

fn case(name: &'static str, status: u16, headers: &[(&'static str, &'static str)]) -> Case {
    Case {
        name,
        status,
        headers: headers.to_vec(),
        body: None,
    }
}

fn cases() -> Vec<Case> {
    let mut cases = vec![
        case(
            "draft-8 pair (T04)",
            429,
            &[
                ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"),
                (
                    "RateLimit-Policy",
                    r#""1-in-5sec"; q=1; w=5; pk=:MmMyNmI0NmI2OGZm:, "5-in-1min"; q=5; w=60; pk=:MmMyNmI0NmI2OGZm:, "6-in-1hr"; q=6; w=3600"#,
                ),
                (
                    "RateLimit",
                    r#""1-in-5sec"; r=0; t=5, "5-in-1min"; r=4; t=60, "6-in-1hr"; r=5; t=3600"#,
                ),
            ],
        ),
        case(
            "draft-8 escaped id, unit, split lines (T09, T11)",
            200,
            &[
                (
                    "RateLimit-Policy",
                    r#""per\"user";q=65535;qu="content-bytes";w=10;pk=:sdfjLJUOUH==:"#,
                ),
                ("RateLimit", r#""a";r=1;t=10"#),
                ("RateLimit", r#""b";r=0;t=60"#),
            ],
        ),
        case(
            "draft-7 (T02, T18)",
            200,
            &[
                ("RateLimit-Policy", "5;w=60"),
                (
                    "RateLimit",
                    "limit=100, remaining=50;foo=1, reset=5, acme-x=?1",
                ),
            ],
        ),
        case(
            "draft-6 (T01, T22)",
            200,
            &[
                ("RateLimit-Policy", "1000;w=3600, 5000;w=86400"),
                ("RateLimit-Limit", "5000"),
                ("RateLimit-Remaining", "100"),
                ("RateLimit-Reset", "36000"),
            ],
        ),
        case(
            "draft-02 list limit (T23)",
            200,
            &[
                (
                    "RateLimit-Limit",
                    "10, 10;w=1, 50;w=60, 1000;w=3600, 5000;w=86400",
                ),
                ("RateLimit-Remaining", "9"),
                ("RateLimit-Reset", "1"),
            ],
        ),
        case(
            "GitHub primary exhausted (T39)",
            403,
            &[
                ("x-ratelimit-limit", "60"),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-used", "60"),
                ("x-ratelimit-reset", "1700000060"),
                ("x-ratelimit-resource", "core"),
            ],
        ),
        case(
            "OpenAI (T42, T43)",
            200,
            &[
                ("x-ratelimit-limit-requests", "60"),
                ("x-ratelimit-limit-tokens", "150000"),
                ("x-ratelimit-remaining-requests", "59"),
                ("x-ratelimit-remaining-tokens", "149984"),
                ("x-ratelimit-reset-requests", "12ms"),
                ("x-ratelimit-reset-tokens", "23h47m36.648s"),
            ],
        ),
        case(
            "Anthropic (T46)",
            200,
            &[
                ("anthropic-ratelimit-requests-limit", "1000"),
                ("anthropic-ratelimit-requests-remaining", "999"),
                ("anthropic-ratelimit-requests-reset", "2023-11-14T22:13:25Z"),
                ("anthropic-ratelimit-input-tokens-limit", "80000"),
                ("anthropic-ratelimit-input-tokens-remaining", "80000"),
                (
                    "anthropic-ratelimit-input-tokens-reset",
                    "2023-11-14T22:13:20Z",
                ),
                ("anthropic-ratelimit-output-tokens-limit", "16000"),
                ("anthropic-ratelimit-output-tokens-remaining", "16000"),
                (
                    "anthropic-ratelimit-output-tokens-reset",
                    "2023-11-14T22:13:21Z",
                ),
            ],
        ),
        case(
            "Retry-After IMF-fixdate (T29)",
            503,
            &[
                ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"),
                ("Retry-After", "Tue, 14 Nov 2023 22:15:20 GMT"),
            ],
        ),
        case(
            "Retry-After rfc850 (T30)",
            429,
            &[
                ("Date", "Tue, 14 Nov 2023 22:13:20 GMT"),
                ("Retry-After", "Tuesday, 14-Nov-23 22:15:20 GMT"),
            ],
        ),
        case(
            "Retry-After asctime (T31)",
            429,
            &[
                ("Date", "Fri, 01 Dec 2023 22:13:20 GMT"),
                ("Retry-After", "Fri Dec  1 22:15:20 2023"),
            ],
        ),
        case(
            "Retry-After conflicting lines, retry-after-ms (T36, T37)",
            429,
            &[("Retry-After", "30, 120"), ("retry-after-ms", "1500")],
        ),
        case(
            "lemlist JS date reset (T70)",
            200,
            &[
                ("Retry-After", "2"),
                ("X-RateLimit-Limit", "20"),
                ("X-RateLimit-Remaining", "7"),
                (
                    "X-RateLimit-Reset",
                    "Tue Feb 16 2021 09:02:42 GMT+0100 (Central European Standard Time)",
                ),
            ],
        ),
        case(
            "malformed fields with warnings (T13, T14, T35)",
            429,
            &[
                ("RateLimit", r#""default" ;r=50"#),
                ("RateLimit-Policy", r#""x";q=10;w=0"#),
                ("Retry-After", "120 seconds"),
                ("Date", "yesterday"),
                ("x-ratelimit-reset-tokens", "-1"),
            ],
        ),
        case(
            "cached response (T26)",
            200,
            &[("Age", "30"), ("RateLimit", r#""default";r=0;t=50"#)],
        ),
    ];
    let mut body = |name, status, headers: &[(&'static str, &'static str)], body| {
        let mut c = case(name, status, headers);
        c.body = Some(body);
        cases.push(c);
    };
    body(
        "Discord JSON body (T49)",
        429,
        &[
            ("Retry-After", "65"),
            ("X-RateLimit-Limit", "10"),
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Reset", "1700000064.57"),
            ("X-RateLimit-Reset-After", "64.57"),
            ("X-RateLimit-Bucket", "abcd1234"),
            ("X-RateLimit-Scope", "user"),
        ],
        br#"{"message":"You are being rate limited.","retry_after":64.57,"global":false}"#,
    );
    body(
        "OpenAI message body (T44)",
        429,
        &[],
        br#"{"error":{"message":"Rate limit reached for gpt-4.1 on tokens per min (TPM): Limit 30000, Used 28039, Requested 3906. Please try again in 3.89s.","code":"rate_limit_exceeded"}}"#,
    );
    body(
        "problem+json violated policies (T08)",
        429,
        &[
            ("Date", "Mon, 05 Aug 2019 09:27:00 GMT"),
            ("Retry-After", "Mon, 05 Aug 2019 09:27:05 GMT"),
            ("RateLimit", r#""default";r=0;t=5"#),
        ],
        br#"{"type":"https://iana.org/assignments/http-problem-types#quota-exceeded","violated-policies":["default"]}"#,
    );
    body(
        "Shopify GraphQL throttle body (T53)",
        200,
        &[],
        br#"{"extensions":{"cost":{"requestedQueryCost":252,"actualQueryCost":12,"throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":988.0,"restoreRate":50.0}}}}"#,
    );
    cases
}

#[test]
fn parse_and_advise_never_allocate() {
    // Inputs are built before counting starts; only parse + advise are measured.
    let cases = cases();
    let huge_list: String = (0..2_000)
        .map(|i| format!(r#""p{i}";r={i};t=60"#))
        .collect::<Vec<_>>()
        .join(", ");
    let huge_garbage = "\u{7f}x".repeat(64 * 1024);
    let hostile = [
        ("RateLimit", huge_list.as_str()),
        ("RateLimit-Policy", huge_garbage.as_str()),
    ];
    let byte_headers: Vec<(&[u8], &[u8])> = vec![
        (b"RATELIMIT-POLICY", br#""burst";q=100;w=60"#),
        (b"ratelimit", b"\"burst\";r=0;t=12"),
        (b"X-RateLimit-Bucket", b"\xff\xfe"),
    ];

    let mut failures = Vec::new();
    // Storage kept from one case to the next, as a client reusing it would.
    let mut reused = Limits::new();
    for c in &cases {
        let mut response = Response::new(c.headers.as_slice())
            .status(c.status)
            .now(NOW);
        if let Some(body) = c.body {
            response = response.body(body);
        }
        let permissive = response.options(ParseOptions {
            ignore_cached_ietf_fields: false,
            body_scan_limit: 32,
            refine_date_with_clock: true,
        });
        let n = allocations_during(|| {
            let limits = parse(black_box(&response));
            black_box(advise(&limits, DEFAULT_MAX_WAIT));
            black_box(advise(&limits, Duration::ZERO));
            black_box(limits.most_restrictive());
            let small = parse_with_capacity::<_, _, 2, 2>(black_box(&permissive));
            black_box(advise(&small, DEFAULT_MAX_WAIT));
            parse_into(black_box(&response), &mut reused);
            black_box(advise(&reused, DEFAULT_MAX_WAIT));
        });
        if n != 0 {
            failures.push(format!("{}: {n} allocation(s)", c.name));
        }
        // Sanity: the case really exercised the parser.
        let limits = parse(&response);
        assert!(
            limits.window_count() > 0
                || limits.retry_hint().is_some()
                || limits.warnings().count() > 0
                || limits.signals().any_evidence(),
            "{}: nothing parsed",
            c.name
        );
    }

    let response = Response::new(&hostile[..]).status(429).now(NOW);
    let n = allocations_during(|| {
        let limits = parse(black_box(&response));
        black_box(advise(&limits, DEFAULT_MAX_WAIT));
    });
    if n != 0 {
        failures.push(format!("hostile 2,000-member list: {n} allocation(s)"));
    }

    let response = Response::new(byte_headers.as_slice()).status(200);
    let n = allocations_during(|| {
        let limits = parse(black_box(&response));
        black_box(advise(&limits, DEFAULT_MAX_WAIT));
    });
    if n != 0 {
        failures.push(format!("byte-pair headers: {n} allocation(s)"));
    }

    // The counter itself works: an allocation inside the window is seen.
    let n = allocations_during(|| drop(black_box(vec![1u8; 16])));
    assert_eq!(n, 1, "the counting allocator does not count");

    assert!(failures.is_empty(), "allocations: {failures:#?}");
}
