//! The reference time for epoch resets and HTTP-date hints: the server's `Date`,
//! with `ParseOptions::refine_date_with_clock` refined by the client's clock when that clock reads within the second `Date`
//! names (one-second epoch resets then lose nothing), and `Date` alone otherwise
//! (a skewed client clock never shortens or stretches a wait).
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use core::time::Duration;

use ratelimit_governor::{ParseOptions, Response, UnixTime, parse};

const REFINE: ParseOptions = ParseOptions {
    refine_date_with_clock: true,
    ..ParseOptions::DEFAULT
};

/// `Date: Sun, 22 Nov 2026 07:14:17 GMT`.
const DATE_SECS: i64 = 1_795_331_657;

/// The reset of a legacy `X-RateLimit-Reset` epoch value, for a client clock `now`.
fn legacy_reset(reset_epoch: i64, now: UnixTime) -> Option<Duration> {
    let reset = reset_epoch.to_string();
    let headers = [
        ("Date", "Sun, 22 Nov 2026 07:14:17 GMT"),
        ("X-RateLimit-Limit", "5"),
        ("X-RateLimit-Remaining", "0"),
        ("X-RateLimit-Reset", reset.as_str()),
    ];
    let limits = parse(
        &Response::new(&headers[..])
            .status(200)
            .now(now)
            .options(REFINE),
    );
    limits.windows().next().unwrap().reset
}

#[test]
fn by_default_the_date_alone_is_the_reference() {
    let headers = [
        ("Date", "Sun, 22 Nov 2026 07:14:17 GMT"),
        ("X-RateLimit-Limit", "5"),
        ("X-RateLimit-Remaining", "0"),
        ("X-RateLimit-Reset", "1795331660"),
    ];
    let now = UnixTime::from_millis(DATE_SECS * 1000 + 800);
    let limits = parse(&Response::new(&headers[..]).status(200).now(now));
    assert_eq!(
        limits.windows().next().unwrap().reset,
        Some(Duration::from_secs(3))
    );
}

#[test]
fn client_clock_within_the_date_second_refines_it() {
    let now = UnixTime::from_millis(DATE_SECS * 1000 + 800);
    assert_eq!(
        legacy_reset(DATE_SECS + 3, now),
        Some(Duration::from_millis(2200))
    );
}

#[test]
fn client_clock_on_the_date_second_is_the_same_reference() {
    let now = UnixTime::from_secs(DATE_SECS);
    assert_eq!(
        legacy_reset(DATE_SECS + 3, now),
        Some(Duration::from_secs(3))
    );
}

#[test]
fn client_clock_ahead_of_the_date_second_is_not_trusted() {
    let now = UnixTime::from_millis(DATE_SECS * 1000 + 1000);
    assert_eq!(
        legacy_reset(DATE_SECS + 3, now),
        Some(Duration::from_secs(3))
    );
    let far = UnixTime::from_secs(DATE_SECS + 600);
    assert_eq!(
        legacy_reset(DATE_SECS + 3, far),
        Some(Duration::from_secs(3))
    );
}

#[test]
fn client_clock_behind_the_date_is_not_trusted() {
    let now = UnixTime::from_millis(DATE_SECS * 1000 - 1);
    assert_eq!(
        legacy_reset(DATE_SECS + 3, now),
        Some(Duration::from_secs(3))
    );
}

#[test]
fn http_date_retry_after_uses_the_refined_reference() {
    let headers = [
        ("Date", "Sun, 22 Nov 2026 07:14:17 GMT"),
        ("Retry-After", "Sun, 22 Nov 2026 07:14:20 GMT"),
    ];
    let now = UnixTime::from_millis(DATE_SECS * 1000 + 250);
    let limits = parse(
        &Response::new(&headers[..])
            .status(429)
            .now(now)
            .options(REFINE),
    );
    assert_eq!(limits.retry_after(), Some(Duration::from_millis(2750)));
}
