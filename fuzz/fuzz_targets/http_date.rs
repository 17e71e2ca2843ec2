//! Fuzzes the strict HTTP-date readers `parse_imf_fixdate` and `parse_http_date`
//! against several reference times: an IMF-fixdate accepted by the first must be read
//! the same by the second, whatever the reference.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ratelimit_governor::time::{parse_http_date, parse_imf_fixdate};
use ratelimit_governor_fuzz::REFERENCES;

fuzz_target!(|data: &[u8]| {
    let fixdate = parse_imf_fixdate(data);
    for reference in REFERENCES {
        let any = parse_http_date(data, reference);
        if fixdate.is_some() {
            assert_eq!(
                any, fixdate,
                "IMF-fixdate read differently by parse_http_date"
            );
        }
    }
});
