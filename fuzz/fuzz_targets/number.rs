//! Fuzzes the plain-number readers `ratelimit_governor::number::parse_u64`,
//! `parse_decimal` and `fraction_nanos`: an integer `parse_u64` accepts must be read
//! by `parse_decimal` as the same whole number, and conversions must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratelimit_governor::number::{Decimal, fraction_nanos, parse_decimal, parse_u64};

fuzz_target!(|data: &[u8]| {
    let integer = parse_u64(data);
    let decimal = parse_decimal(data);
    if let Ok(v) = integer {
        assert_eq!(decimal, Ok(Decimal { whole: v, nanos: 0 }));
    }
    if let Ok(d) = decimal {
        assert!(d.nanos < 1_000_000_000, "fraction out of range: {d:?}");
        let _ = (d.as_seconds(), d.as_millis_duration(), d.is_whole());
    }
    if let Ok(n) = fraction_nanos(data) {
        assert!(n < 1_000_000_000, "fraction out of range: {n}");
    }
});
