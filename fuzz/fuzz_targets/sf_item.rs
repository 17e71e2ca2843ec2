//! Fuzzes `ratelimit_governor::sf::parse_item` (RFC 9651 field type "item") and walks
//! every part of any value it accepts (see `check_sf_item`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ratelimit_governor_fuzz::check_sf_item(data));
