//! Fuzzes whole-response parsing and advice: the input is split into a status line,
//! `Name: value` header lines and an optional body (see
//! `ratelimit_governor_fuzz::split_response`), parsed with several option sets and
//! capacities, and every result and its advice is checked (`check_response`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ratelimit_governor_fuzz::check_response(data));
