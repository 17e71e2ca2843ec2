//! Fuzzes `ratelimit_governor::sf::parse_list` (RFC 9651 field type "list") and walks
//! every part of any value it accepts (see `check_sf_list`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ratelimit_governor_fuzz::check_sf_list(data));
