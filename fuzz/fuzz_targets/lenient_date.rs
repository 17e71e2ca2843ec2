//! Fuzzes the reset-field date readers `parse_rfc3339` and `parse_lenient_date`
//! against several reference times. The lenient reader tries RFC 3339 first and then
//! the strict HTTP-date forms, so whatever those accept it must read the same way.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratelimit_governor::time::{parse_http_date, parse_lenient_date, parse_rfc3339};
use ratelimit_governor_fuzz::REFERENCES;

fuzz_target!(|data: &[u8]| {
    let rfc3339 = parse_rfc3339(data.trim_ascii());
    for reference in REFERENCES {
        let lenient = parse_lenient_date(data, reference);
        if rfc3339.is_some() {
            assert_eq!(
                lenient, rfc3339,
                "RFC 3339 read differently by the lenient reader"
            );
        } else if let Some(strict) = parse_http_date(data, reference) {
            assert_eq!(
                lenient,
                Some(strict),
                "HTTP-date read differently by the lenient reader"
            );
        }
    }
});
